#!/usr/bin/env bash
# Command-level tests of `tb`: init, check, backup, config, dispatch,
# migration of older stores (SPEC "tb", "The store", "Configuration").
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${TB_SRC:=$(cd "$HERE/../.." && pwd)}"
: "${TB_SHARE_DIR:=$TB_SRC/share}"
export TB_SHARE_DIR
# shellcheck source=tests/cli/lib.sh
. "$HERE/lib.sh"
FIXTURES="$TB_SRC/tests/fixtures"

mode_of() { stat -c %a "$1"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
# expect_file_mode FILE MODE
expect_file_mode() {
  local got
  got=$(mode_of "$1" 2>&1)
  if [ "$got" = "$2" ]; then ok; else fail "mode of $1 is $got, expected $2"; fi
}
expect_exists() { if [ -e "$1" ]; then ok; else fail "$1 does not exist"; fi; }
expect_absent() { if [ -e "$1" ]; then fail "$1 exists"; else ok; fi; }
# expect_out_match ERE: some line of stdout matches the extended regex.
expect_out_match() { if printf '%s\n' "$OUT" | grep -qE -- "$1"; then ok; else fail "no stdout line matches: $1"; fi; }
# A TOML string as tb config prints it: basic or literal quotes.
q() { printf "[\"']%s[\"']" "$1"; }
# expect_json: stdout is valid JSON.
expect_json() {
  if printf '%s' "$OUT" | python3 -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null; then ok
  else fail "stdout is not valid JSON"; fi
}

# --- tb init -----------------------------------------------------------------

t "init creates the store, mode 0600, and prints only its path"
run tb init --name "Newsome Timebank"
expect_rc 0
expect_out "$TIMEBANK_DB"
expect_err_empty
expect_exists "$TIMEBANK_DB"
expect_file_mode "$TIMEBANK_DB" 600
expect_sql "PRAGMA user_version" "13"
# tb(1) names the schema version a new store has.
if [ -n "${TB_SRC:-}" ]; then
  grep -qx "(13 for this" "$TB_SRC/man/man1/tb.1" && ok || fail "tb(1) does not say the schema version is 13"
fi
# README's demo after its tests: scripts/test leaves TB_WERROR=ON in the
# build directory's cache, and GCC 12 at -O2 (the demo's RelWithDebInfo)
# warns falsely where -O3 does not; the demo must build all the same.
if [ -n "${TB_SRC:-}" ]; then
  grep -q -- "-DTB_WERROR=OFF" "$TB_SRC/scripts/demo" && ok || fail "scripts/demo inherits TB_WERROR from scripts/test's build"
fi
expect_sql "SELECT value FROM meta WHERE key = 'name'" "Newsome Timebank"
expect_sql "SELECT count(*) FROM meta WHERE key = 'created_at'" "1"
expect_sql "PRAGMA journal_mode" "wal"
expect_sql "SELECT count(*) FROM member WHERE kind <> 'pot'" "0"
expect_sql "SELECT who || '|' || command FROM audit" "tester|tb init"

t "init refuses an existing store (exit 1) and leaves it alone"
before=$(store_digest)
run tb init --name "Other"
expect_rc 1
expect_out_empty
expect_err_has "tb: error: "
expect_err_has "$TIMEBANK_DB"
if [ "$(store_digest)" = "$before" ]; then ok; else fail "the existing store changed"; fi

t "init with --db, whatever the umask"
run bash -c 'umask 000; tb --db loose.db init'
expect_rc 0
expect_out "loose.db"
expect_file_mode loose.db 600

t "init without --name takes the name from the config"
printf '[timebank]\nname = "Config Name"\n' >named.toml
run tb --config named.toml --db named.db init
expect_rc 0
TIMEBANK_DB=named.db expect_sql "SELECT value FROM meta WHERE key = 'name'" "Config Name"

t "init into a directory that does not exist is exit 1"
run tb --db no/such/dir/x.db init
expect_rc 1
expect_out_empty
expect_err_has "no/such/dir"
expect_absent no

t "init onto a file that is not a store is exit 1, the file untouched"
printf 'precious notes\n' >notes.txt
run tb --db notes.txt init
expect_rc 1
if [ "$(cat notes.txt)" = "precious notes" ]; then ok; else fail "notes.txt was changed"; fi

# --- tb init --config-out ----------------------------------------------------

t "init --config-out writes a starter config listing the default taxonomy"
mkdir -p starter
run tb --db starter/bank.db init --name "Starter Bank" --config-out starter/timebank.toml
expect_rc 0
expect_out "starter/bank.db"
expect_exists starter/timebank.toml
missing=""
while IFS= read -r line; do
  grep -qxF -- "$line" starter/timebank.toml || missing="$missing $line"
done < <(grep '^name = ' "$TB_SHARE_DIR/taxonomy.toml")
if [ -z "$missing" ]; then ok; else fail "starter config lacks:$missing"; fi
n_share=$(grep -c '^\[\[category\]\]' "$TB_SHARE_DIR/taxonomy.toml")
n_starter=$(grep -c '^\[\[category\]\]' starter/timebank.toml)
if [ "$n_share" = "$n_starter" ] && [ "$n_share" -gt 0 ]; then ok; else fail "$n_starter categories, expected $n_share"; fi
if grep -q '^name = "Starter Bank"' starter/timebank.toml; then ok; else fail "starter config lacks the bank's name"; fi

t "tb config accepts the starter config"
run tb --config starter/timebank.toml config
expect_rc 0
expect_err_empty
expect_out_has "starter/timebank.toml:"
expect_out_match "^name = $(q "Starter Bank")"
n_out=$(printf '%s\n' "$OUT" | grep -c '^\[\[category\]\]')
if [ "$n_out" = "$n_share" ]; then ok; else fail "tb config shows $n_out categories, expected $n_share"; fi
run tb --config starter/timebank.toml --db starter/bank.db check
expect_rc 0
expect_out_empty

t "init --config-out never overwrites an existing file"
printf '# mine\n' >keep.toml
run tb --db keep.db init --config-out keep.toml
expect_rc 1
expect_err_has "keep.toml"
if [ "$(cat keep.toml)" = "# mine" ]; then ok; else fail "keep.toml was overwritten"; fi
expect_absent keep.db

t "init --config-out into a missing directory creates nothing, so init can be run again"
run tb --db cfgfail.db init --config-out cfgdir-missing/timebank.toml
expect_rc 1
expect_err_has "cfgdir-missing/timebank.toml"
expect_absent cfgfail.db
mkdir -p cfgdir-missing
run tb --db cfgfail.db init --config-out cfgdir-missing/timebank.toml
expect_rc 0
expect_exists cfgfail.db
expect_exists cfgdir-missing/timebank.toml

t "init --config-out: a store that cannot be made leaves no config behind"
run tb --db no/such/place/x.db init --config-out orphan.toml
expect_rc 1
expect_absent orphan.toml

# --- tb check ----------------------------------------------------------------

t "check on a healthy fresh store prints nothing"
run tb check
expect_rc 0
expect_out_empty
expect_err_empty

t "check -o FILE on a healthy store replaces an old FILE with an empty one"
printf 'exchange 9: hash chain broken (an old run)\n' >check.txt
run tb check -o check.txt
expect_rc 0
expect_out_empty
if [ -f check.txt ] && [ ! -s check.txt ]; then ok; else fail "check.txt still holds: $(cat check.txt)"; fi

t "check on a file of garbage bytes fails with a message on stderr"
python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 37 + 11) % 256 for i in range(8192)))' >junk.db
junk_sum=$(sha junk.db)
run tb --db junk.db check
expect_rc 1
expect_out_empty
expect_err_has "tb: error: "
expect_err_has "junk.db"
if [ "$(sha junk.db)" = "$junk_sum" ]; then ok; else fail "check changed junk.db"; fi
expect_absent junk.db.v0.bak

t "check on an SQLite file that is not a timebank store fails"
sqlite3 other.db 'CREATE TABLE t (x); INSERT INTO t VALUES (1);'
other_sum=$(sha other.db)
run tb --db other.db check
expect_rc 1
expect_err_has "other.db"
if [ "$(sha other.db)" = "$other_sum" ]; then ok; else fail "check changed other.db"; fi

t "check on an empty file fails"
: >empty.db
run tb --db empty.db check
expect_rc 1
expect_err_has "empty.db"

t "check reports a balance edited behind tb's back"
run tb --db edited.db init
expect_rc 0
sqlite3 edited.db "INSERT INTO member (id, name, joined, created_at) VALUES ('M0001', 'Ann Lee', '2026-01-01', '2026-01-01T00:00:00Z');"
run tb --db edited.db check
expect_rc 0
expect_out_empty
sqlite3 edited.db "UPDATE member SET balance = 90 WHERE id = 'M0001';"
run tb --db edited.db check
expect_rc 1
expect_out_has "member M0001: balance is 1.50 hours, but the ledger gives 0.00"
expect_out_has "sum to 1.50 hours, not zero"
expect_err_has "2 problems found in edited.db"

t "check reports a row pointing at a missing member"
run tb --db fk.db init
sqlite3 fk.db "INSERT INTO member_skill (member, direction, skill) VALUES ('M9999', 'offers', 'gardening');"
run tb --db fk.db check
expect_rc 1
expect_out_has "foreign key: member_skill"
expect_err_has "1 problem found in fk.db"

t "check -o writes the problems to a file"
run tb --db edited.db check -o problems.txt
expect_rc 1
expect_out_empty
if grep -q "member M0001" problems.txt 2>/dev/null; then ok; else fail "problems.txt lacks the problem"; fi

# --- tb backup ---------------------------------------------------------------

t "backup makes a private copy that check accepts"
run tb backup copy.db
expect_rc 0
expect_out_empty
expect_err_empty
expect_exists copy.db
expect_file_mode copy.db 600
run tb --db copy.db check
expect_rc 0
expect_out_empty
TIMEBANK_DB=copy.db expect_sql "SELECT value FROM meta WHERE key = 'name'" "Newsome Timebank"
TIMEBANK_DB=copy.db expect_sql "PRAGMA user_version" "13"
expect_absent copy.db-wal

t "backup replaces an older backup, still mode 0600"
printf 'old backup' >old.db
chmod 644 old.db
run tb backup old.db
expect_rc 0
expect_file_mode old.db 600
TIMEBANK_DB=old.db expect_sql "SELECT value FROM meta WHERE key = 'name'" "Newsome Timebank"

t "backup -v says what it did, on stderr"
run tb -v backup verbose.db
expect_rc 0
expect_out_empty
expect_err_has "verbose.db"

t "backup into a directory that does not exist is exit 1"
run tb backup no/such/dir/copy.db
expect_rc 1
expect_err_has "no/such/dir/copy.db"
expect_absent no

t "backup needs its FILE"
run tb backup
expect_rc 2

# --- reading commands on a missing store -------------------------------------

t "check on a missing store: exit 1, the SPEC message, nothing created"
run tb --db missing.db check
expect_rc 1
expect_out_empty
expect_err "tb: error: no store at missing.db (create one with: tb init, or name one with --db)"
expect_absent missing.db

t "backup of a missing store: exit 1, nothing created"
run tb --db missing.db backup copy-of-missing.db
expect_rc 1
expect_err "tb: error: no store at missing.db (create one with: tb init, or name one with --db)"
expect_absent missing.db
expect_absent copy-of-missing.db

t "TIMEBANK_DB names the store"
run env TIMEBANK_DB="$WORK/absent.db" tb check
expect_rc 1
expect_err "tb: error: no store at $WORK/absent.db (create one with: tb init, or name one with --db)"
expect_absent absent.db

t "config needs no store and creates none"
run tb --db missing.db config
expect_rc 0
expect_absent missing.db

# --- tb config ---------------------------------------------------------------

cat >bank.toml <<'EOF'
[timebank]
name = "Newsome Timebank"
week_starts = "sunday"

[store]
path = "newsome.db"
busy_timeout_ms = 2500

[policy]
min_balance = "none"
max_hours_per_exchange = 12
EOF

t "config without a config file shows the built-in defaults"
run tb config
expect_rc 0
expect_err_empty
expect_out_has "[timebank]"
expect_out_match "^name = $(q Timebank)  # default$"
expect_out_has "[policy]"
expect_out_has "min_balance = -20  # default"
expect_out_has "[[category]]"

t "config shows each value and where it came from"
run tb --config bank.toml config
expect_rc 0
expect_out_match "^name = $(q "Newsome Timebank")  # bank.toml:2$"
expect_out_match "^week_starts = $(q sunday)  # bank.toml:3$"
expect_out_has "busy_timeout_ms = 2500  # bank.toml:7"
expect_out_match "^min_balance = $(q none)  # bank.toml:10$"
expect_out_has "max_hours_per_exchange = 12  # bank.toml:11"
expect_out_has "backdate_days = 365  # default"

t "TIMEBANK_CONFIG names the config file"
run env TIMEBANK_CONFIG=bank.toml tb config
expect_rc 0
expect_out_has "bank.toml:2"

t "./timebank.toml is found without --config"
mkdir -p here
cp bank.toml here/timebank.toml
run bash -c 'cd here && tb config'
expect_rc 0
expect_out_has "timebank.toml:2"

t "\$XDG_CONFIG_HOME/timebank/timebank.toml is found without --config"
mkdir -p "$XDG_CONFIG_HOME/timebank"
printf '[timebank]\nname = "From XDG"\n' >"$XDG_CONFIG_HOME/timebank/timebank.toml"
run tb config
expect_rc 0
expect_out_match "^name = $(q "From XDG")  # .*/timebank/timebank.toml:2$"
rm -f "$XDG_CONFIG_HOME/timebank/timebank.toml"

t "config --format json is valid JSON with keys, values and sources"
run tb --config bank.toml config --format json
expect_rc 0
expect_json
got=$(printf '%s' "$OUT" | python3 -c '
import json, sys
rows = {r["key"]: r for r in json.load(sys.stdin)}
n = rows["timebank.name"]
print("Newsome Timebank" in n["value"], n["source"], n["file"], n["line"],
      repr(rows["store.busy_timeout_ms"]["value"]), rows["policy.backdate_days"]["source"],
      rows["policy.backdate_days"]["file"], rows["policy.backdate_days"]["line"])')
if [ "$got" = "True file bank.toml 2 2500 default None None" ]; then ok; else fail "json rows: $got"; fi

t "config --format csv and -o FILE.json"
run tb --config bank.toml config --format csv
expect_rc 0
first=$(printf '%s\n' "$OUT" | head -1)
if [ "$first" = "key,value,source" ]; then ok; else fail "csv header is '$first'"; fi
expect_out_has "store.busy_timeout_ms,2500,bank.toml:7"
run tb --config bank.toml config -o cfg.json
expect_rc 0
expect_out_empty
expect_file_mode cfg.json 600
if python3 -c 'import json,sys; json.load(open("cfg.json"))' 2>/dev/null; then ok; else fail "cfg.json is not JSON"; fi

t "config --format with an unknown format is exit 2"
run tb config --format xml
expect_rc 2
expect_err_has "xml"

t "a missing --config file is exit 2"
run tb --config nope.toml config
expect_rc 2
expect_err_has "nope.toml"

t "an unknown config key is exit 2 naming file, line and key"
printf '[timebank]\nname = "X"\n\n[policy]\nmin_balanse = -10\n' >typo.toml
run tb --config typo.toml config
expect_rc 2
expect_out_empty
expect_err_has "typo.toml:5"
expect_err_has "policy.min_balanse"
# Every command reads the config: a typo stops a cron job's check too.
run tb --config typo.toml check
expect_rc 2
expect_err_has "typo.toml:5: policy.min_balanse"

t "a wrong type in the config is exit 2 naming file, line and key"
printf '[store]\nbusy_timeout_ms = "x"\n' >type.toml
run tb --config type.toml config
expect_rc 2
expect_err_has "type.toml:2: store.busy_timeout_ms"
printf '[policy]\n\nmin_balance = true\n' >type2.toml
run tb --config type2.toml config
expect_rc 2
expect_err_has "type2.toml:3: policy.min_balance"

t "a TOML syntax error is exit 2 naming file and line"
printf '[timebank\nname = "X"\n' >syntax.toml
run tb --config syntax.toml config
expect_rc 2
expect_err_has "syntax.toml:1"

t "the store path in a config is relative to the config file"
mkdir -p cfgdir
printf '[store]\npath = "inside.db"\n' >cfgdir/timebank.toml
run env -u TIMEBANK_DB tb --config cfgdir/timebank.toml init
expect_rc 0
expect_out "cfgdir/inside.db"
expect_exists cfgdir/inside.db
expect_absent inside.db

# --- dispatch, --version, --help ---------------------------------------------

t "an unknown tool is exit 2"
run tb nosuchtool --flag
expect_rc 2
expect_out_empty
expect_err_has "nosuchtool"

t "an unknown option is exit 2"
run tb check --bogus
expect_rc 2
expect_err_has "bogus"

t "a malformed --today is exit 2"
run tb --today 27/11/2026 check
expect_rc 2
expect_err_has "27/11/2026"

t "--version"
run tb --version
expect_rc 0
case "$OUT" in "tb "[0-9]*) ok ;; *) fail "--version printed '$OUT'" ;; esac

t "--help"
run tb --help
expect_rc 0
for word in init check backup config --config --db --today --format; do
  expect_out_has "$word"
done
run tb init --help
expect_rc 0
expect_out_has "--config-out"

t "no command at all is exit 2 with help on stderr"
run tb
expect_rc 2
expect_out_empty
expect_err_has "init"

# --- migration of older stores -----------------------------------------------

t "a version 1 store is migrated by check, with a backup first"
sqlite3 v1.db <"$FIXTURES/store-v1.sql"
TIMEBANK_DB=v1.db expect_sql "PRAGMA user_version" "1"
chmod 600 v1.db
run tb --db v1.db check
expect_rc 0
expect_out_empty
expect_err_empty
TIMEBANK_DB=v1.db expect_sql "PRAGMA user_version" "13"
TIMEBANK_DB=v1.db expect_sql "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'proposal'" "1"
TIMEBANK_DB=v1.db expect_sql "SELECT id || '|' || name || '|' || kind FROM member WHERE kind <> 'pot' ORDER BY id" "M0001|Ann Lee|person
M0002|Newsome Care Home|organisation"
TIMEBANK_DB=v1.db expect_sql "SELECT skill FROM member_skill" "gardening"
TIMEBANK_DB=v1.db expect_sql "SELECT value FROM meta WHERE key = 'name'" "Old Timebank"
TIMEBANK_DB=v1.db expect_sql "SELECT count(*) FROM audit" "1"
expect_exists v1.db.v1.bak
expect_file_mode v1.db.v1.bak 600
TIMEBANK_DB=v1.db.v1.bak expect_sql "PRAGMA user_version" "1"
TIMEBANK_DB=v1.db.v1.bak expect_sql "SELECT count(*) FROM sqlite_master WHERE name = 'proposal'" "0"
TIMEBANK_DB=v1.db.v1.bak expect_sql "SELECT count(*) FROM member" "2"

t "a migrated store is not migrated again"
rm -f v1.db.v1.bak
run tb --db v1.db check
expect_rc 0
expect_out_empty
expect_absent v1.db.v1.bak

t "backup of a version 1 store migrates it first"
sqlite3 v1b.db <"$FIXTURES/store-v1.sql"
run tb --db v1b.db backup v1b-copy.db
expect_rc 0
TIMEBANK_DB=v1b-copy.db expect_sql "PRAGMA user_version" "13"
TIMEBANK_DB=v1b.db.v1.bak expect_sql "PRAGMA user_version" "1"

t "a store from a newer tb is refused, untouched"
run tb --db future.db init
sqlite3 future.db 'PRAGMA user_version = 99;'
future_sum=$(sha future.db)
run tb --db future.db check
expect_rc 1
expect_err_has "99"
if [ "$(sha future.db)" = "$future_sum" ]; then ok; else fail "future.db changed"; fi

t "a version 2 store gets the monthly totals of its ledger when migrated, with a backup first"
run tb --db v2.db init
export TIMEBANK_DB="$WORK/v2.db"
tb-member add "Ann Lee" --id ann >/dev/null
tb-member add "Bob Marsh" --id bob >/dev/null
tb-member add "Rosewood Care Home" --id home --kind organisation >/dev/null
tb-exchange record --provider ann --recipient home --hours 1 --date 2026-10-30 --category Gardening >/dev/null
tb-exchange record --provider bob --recipient ann --hours 0.5 --date 2026-10-31 --category Gardening >/dev/null
voided=$(tb-exchange record --provider ann --recipient bob --hours 2 --date 2026-10-31 --category Household)
tb-exchange void "$voided" --reason "recorded twice" >/dev/null  # dated today, in November
tb-exchange record --provider home --recipient bob --hours 1.5 --date 2026-11-03 --category Household >/dev/null
export TIMEBANK_DB="$WORK/timebank.db"
totals="2026-10|Gardening|0|1|30
2026-10|Gardening|1|1|60
2026-11|Household|1|1|90"
members="2026-10|ann|2
2026-10|bob|1
2026-10|home|1
2026-11|bob|1
2026-11|home|1"
TIMEBANK_DB=v2.db expect_sql "SELECT month, category, pair, exchanges, minutes FROM trade_month ORDER BY 1, 2, 3" "$totals"
TIMEBANK_DB=v2.db expect_sql "SELECT month, member, trades FROM member_month ORDER BY 1, 2" "$members"
TIMEBANK_DB=v2.db expect_sql "SELECT value FROM meta WHERE key = 'rollup_upto'" "5"
sqlite3 v2.db "DROP TABLE trade_month; DROP TABLE member_month; DROP TABLE pair_month; DELETE FROM meta WHERE key = 'rollup_upto'; DROP INDEX member_name_key; ALTER TABLE member DROP COLUMN name_key; PRAGMA user_version = 2;"
run tb --db v2.db check
expect_rc 0
expect_out_empty
expect_err_empty
TIMEBANK_DB=v2.db expect_sql "PRAGMA user_version" "13"
TIMEBANK_DB=v2.db expect_sql "SELECT month, category, pair, exchanges, minutes FROM trade_month ORDER BY 1, 2, 3" "$totals"
TIMEBANK_DB=v2.db expect_sql "SELECT month, provider, recipient, category, exchanges, minutes FROM pair_month ORDER BY 1, 2, 3, 4" "2026-10|ann|home|Gardening|1|60
2026-10|bob|ann|Gardening|1|30
2026-11|home|bob|Household|1|90"
TIMEBANK_DB=v2.db expect_sql "SELECT month, member, trades FROM member_month ORDER BY 1, 2" "$members"
TIMEBANK_DB=v2.db expect_sql "SELECT value FROM meta WHERE key = 'rollup_upto'" "5"
expect_exists v2.db.v2.bak
expect_file_mode v2.db.v2.bak 600
TIMEBANK_DB=v2.db.v2.bak expect_sql "PRAGMA user_version" "2"
TIMEBANK_DB=v2.db.v2.bak expect_sql "SELECT count(*) FROM sqlite_master WHERE name = 'trade_month'" "0"
TIMEBANK_DB=v2.db.v2.bak expect_sql "SELECT count(*) FROM exchange" "5"

t "check reports monthly totals edited behind tb's back"
sqlite3 v2.db "UPDATE trade_month SET minutes = minutes + 60 WHERE month = '2026-10' AND pair = 0;"
run tb --db v2.db check
expect_rc 1
expect_out "monthly totals for 2026-10 (trade_month) do not match the ledger"
expect_err_has "1 problem found in v2.db"
sqlite3 v2.db "UPDATE trade_month SET minutes = minutes - 60 WHERE month = '2026-10' AND pair = 0;
DELETE FROM member_month WHERE month = '2026-11' AND member = 'bob';"
run tb --db v2.db check
expect_rc 1
expect_out "monthly totals for 2026-11 (member_month) do not match the ledger"
sqlite3 v2.db "INSERT INTO member_month VALUES ('2026-11', 'bob', 1);
UPDATE pair_month SET exchanges = exchanges + 1 WHERE month = '2026-10' AND provider = 'ann';"
run tb --db v2.db check
expect_rc 1
expect_out "monthly totals for 2026-10 (pair_month) do not match the ledger"
sqlite3 v2.db "UPDATE pair_month SET exchanges = exchanges - 1 WHERE month = '2026-10' AND provider = 'ann';
DELETE FROM pair_month WHERE month = '2026-11' AND recipient = 'bob';"
run tb --db v2.db check
expect_rc 1
expect_out "monthly totals for 2026-11 (pair_month) do not match the ledger"
sqlite3 v2.db "INSERT INTO pair_month SELECT substr(date, 1, 7), provider, recipient, category, count(*), sum(minutes)
FROM exchange WHERE substr(date, 1, 7) = '2026-11' AND recipient = 'bob' GROUP BY 1, 2, 3, 4;
UPDATE meta SET value = '4' WHERE key = 'rollup_upto';"
run tb --db v2.db check
expect_rc 1
expect_out "monthly totals: they hold exchanges up to number 4, but the last is 5"
sqlite3 v2.db "UPDATE meta SET value = '5' WHERE key = 'rollup_upto';"
run tb --db v2.db check
expect_rc 0
expect_out_empty

t "check --rebuild-totals computes the totals again from the ledger, and nothing else"
good=$(sqlite3 v2.db "SELECT group_concat(month || category || pair || exchanges || minutes) FROM (SELECT * FROM trade_month ORDER BY 1, 2, 3)")
chain=$(sqlite3 v2.db "SELECT group_concat(hash) FROM (SELECT hash FROM exchange ORDER BY number)")
sqlite3 v2.db "UPDATE trade_month SET minutes = minutes + 60 WHERE month = '2026-10' AND pair = 0; DELETE FROM member_month; DELETE FROM pair_month; UPDATE meta SET value = '2' WHERE key = 'rollup_upto';"
run tb --db v2.db check
expect_rc 1
run tb --db v2.db check --rebuild-totals
expect_rc 0
expect_out_empty
TIMEBANK_DB=v2.db expect_sql "SELECT group_concat(month || category || pair || exchanges || minutes) FROM (SELECT * FROM trade_month ORDER BY 1, 2, 3)" "$good"
TIMEBANK_DB=v2.db expect_sql "SELECT group_concat(hash) FROM (SELECT hash FROM exchange ORDER BY number)" "$chain"
TIMEBANK_DB=v2.db expect_sql "SELECT value FROM meta WHERE key = 'rollup_upto'" "5"
TIMEBANK_DB=v2.db expect_sql "SELECT command, target, fields FROM audit ORDER BY rowid DESC LIMIT 1" "tb check --rebuild-totals|monthly totals|trade_month,member_month,pair_month,trade_day,member_year,pair_year,group_month,member_org_month,member.last_trade"
run tb --db v2.db check
expect_rc 0
run tb --db nowhere.db check --rebuild-totals
expect_rc 1
[ ! -e nowhere.db ] && ok || fail "check --rebuild-totals created a store"
COMP_OUT=$(bash -c '. "$1/tb.bash"; COMP_WORDS=(tb check --reb); COMP_CWORD=2; _tb; printf "%s\n" "${COMPREPLY[@]}"' _ "$TB_COMPLETION_DIR")
[ "$COMP_OUT" = "--rebuild-totals" ] && ok || fail "completion of tb check --reb gave '$COMP_OUT'"

t "check reports a pair_year row edited behind tb's back, and --rebuild-totals puts it right"
pairs="2026|ann|bob|0|0|1|30
2026|ann|home|1|60|0|0
2026|bob|home|0|0|1|90"
# Members by the IDs their numbers (member.num) name.
pair_year_sql="SELECT year, lo.id, hi.id, exchanges_lh, minutes_lh, exchanges_hl, minutes_hl FROM pair_year p
JOIN member lo ON lo.num = p.low JOIN member hi ON hi.num = p.high ORDER BY p.year, p.low, p.high"
num() { echo "(SELECT num FROM member WHERE id = '$1')"; }
TIMEBANK_DB=v2.db expect_sql "$pair_year_sql" "$pairs"
sqlite3 v2.db "UPDATE pair_year SET minutes_hl = minutes_hl + 15 WHERE low = $(num ann) AND high = $(num bob);"
run tb --db v2.db check
expect_rc 1
expect_out "yearly totals for 2026 (pair_year) do not match the ledger"
expect_err_has "1 problem found in v2.db"
run tb --db v2.db check --rebuild-totals
expect_rc 0
expect_out_empty
TIMEBANK_DB=v2.db expect_sql "$pair_year_sql" "$pairs"
sqlite3 v2.db "DELETE FROM pair_year WHERE high = $(num home); INSERT INTO pair_year VALUES (2025, $(num ann), $(num bob), 1, 60, 0, 0);"
run tb --db v2.db check
expect_rc 1
expect_out "yearly totals for 2025 (pair_year) do not match the ledger
yearly totals for 2026 (pair_year) do not match the ledger"
expect_err_has "2 problems found in v2.db"
run tb --db v2.db check --rebuild-totals
expect_rc 0
TIMEBANK_DB=v2.db expect_sql "$pair_year_sql" "$pairs"
run tb --db v2.db check
expect_rc 0
expect_out_empty

t "tb config shows the store in use, and plain values as data"
run tb --db elsewhere.db config --format csv
expect_rc 0
expect_out_has "store.path,elsewhere.db,'--db"
expect_out_has "timebank.week_starts,monday,default"

finish
