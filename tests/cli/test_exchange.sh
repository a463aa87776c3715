#!/usr/bin/env bash
# tb-exchange on a temporary store: record (single and group), every policy
# rule at its limit and one minute past it, --override, void, opening
# balances, list filters, show, balance, statement, output formats, and
# balances exact to the minute.
source "$(dirname "$0")/lib.sh"

LAST_AUDIT="SELECT who || '|' || command || '|' || target || '|' || fields FROM audit ORDER BY id DESC LIMIT 1"
# unchanged DIGEST: the store is exactly as it was.
unchanged() { if [ "$(store_digest)" = "$1" ]; then ok; else fail "the store changed"; fi; }
count_exchanges() { sqlite3 -readonly "$TIMEBANK_DB" "SELECT count(*) FROM exchange"; }

t "a read-only command on a missing store"
run tb-exchange balance
expect_rc 1
expect_err "tb-exchange: error: no store at $TIMEBANK_DB (create one with: tb init, or name one with --db)"
if [ -e "$TIMEBANK_DB" ]; then fail "a read-only command created the store"; else ok; fi

# Members of the policy store.
tb init >/dev/null
tb-member add "Ann Lee" >/dev/null                       # M0001
tb-member add "Bob Marsh" >/dev/null                     # M0002
tb-member add "Cath O'Brien" >/dev/null                  # M0003
tb-member add "Dev Patel" >/dev/null                     # M0004
tb-member add "Ivy Inactive" >/dev/null                  # M0005
tb-member deactivate M0005 >/dev/null
tb-member add "Lim Its" --min-balance -2 --max-balance 3 >/dev/null   # M0006
tb-member add "Una Limited" --min-balance none >/dev/null            # M0007
tb-member add "Leeds Community Centre" --kind organisation --max-balance none --min-balance none >/dev/null  # M0008

# --- record -----------------------------------------------------------------
t "record prints the exchange number and only that"
run tb-exchange record --provider M0001 --recipient M0003 --hours 1:30 --category gardening --note "Weeding" --ref R-1
expect_rc 0
expect_out "1"
expect_err_empty
expect_sql "SELECT number, date, provider, recipient, minutes, category, note, ref, recorded_by FROM exchange" \
  "1|2026-11-27|M0001|M0003|90|Gardening|Weeding|R-1|tester"
expect_sql "SELECT id || ':' || balance FROM member WHERE id IN ('M0001', 'M0003') ORDER BY id" "M0001:90
M0003:-90"
expect_sql "$LAST_AUDIT" "tester|tb-exchange record|exchange 1|date,provider,recipient,minutes,category,note,ref"

t "record: a member may be named by email; --recorded-by is kept"
tb-member edit M0004 --email dev@example.org >/dev/null
run tb-exchange record --provider dev@example.org --recipient M0001 --hours 0.5h --recorded-by coordinator
expect_rc 0
expect_out "2"
expect_sql "SELECT provider, minutes, recorded_by FROM exchange WHERE number = 2" "M0004|30|coordinator"
expect_sql "$LAST_AUDIT" "coordinator|tb-exchange record|exchange 2|date,provider,recipient,minutes"

t "record: every time format"
for pair in "1.25:75" "2h30m:150" "90m:90" "0:45:45" ".5:30" "1:05:65"; do
  hours=${pair%:*}; want=${pair##*:}
  run tb-exchange record --provider M0007 --recipient M0008 --hours "$hours"
  expect_rc 0
  expect_sql "SELECT minutes FROM exchange WHERE number = $OUT" "$want"
done

t "record: a duplicate ref is rejected"
before=$(store_digest)
run tb-exchange record --provider M0001 --recipient M0003 --hours 1 --ref R-1
expect_rc 3
expect_err_has "ref 'R-1' already exists"
unchanged "$before"

# --- group exchanges ----------------------------------------------------------
t "group exchange: one per recipient, all numbers printed"
run tb-exchange record --provider M0008 --recipient M0001,M0003,M0004 --hours 1 --category "Learning & tutoring" --note "Class"
expect_rc 0
expect_out "9
10
11"
expect_sql "SELECT group_concat(provider || '>' || recipient, ' ') FROM exchange WHERE number BETWEEN 9 AND 11" \
  "M0008>M0001 M0008>M0003 M0008>M0004"
expect_sql "SELECT group_concat(target, ',') FROM audit WHERE command = 'tb-exchange record' AND target IN ('exchange 9', 'exchange 10', 'exchange 11')" \
  "exchange 9,exchange 10,exchange 11"

t "group exchange: several providers"
run tb-exchange record --provider M0001 --provider M0004 --recipient M0008 --hours 0:20
expect_rc 0
expect_out "12
13"

t "group exchange: one pair breaking a rule writes nothing at all"
before=$(store_digest)
run tb-exchange record --provider M0001 --recipient M0004,M0005,M0003 --hours 1
expect_rc 3
expect_out_empty
expect_err_has "M0005 is inactive, not active"
unchanged "$before"
run tb-exchange record --provider M0001 --recipient M0004,M0001 --hours 1
expect_rc 3
expect_err_has "M0001 cannot exchange with themselves"
unchanged "$before"
run tb-exchange record --provider M0001 --recipient M0004,M0099 --hours 1
expect_rc 4
unchanged "$before"
run tb-exchange record --provider M0001,M0003 --recipient M0004,M0008 --hours 1
expect_rc 2
unchanged "$before"
run tb-exchange record --provider M0001 --recipient M0003,M0004 --hours 1 --ref R-2
expect_rc 2
unchanged "$before"

# --- the rules: who ---------------------------------------------------------
t "no exchange with oneself"
run tb-exchange record --provider M0001 --recipient M0001 --hours 1
expect_rc 3
expect_err "tb-exchange: rejected: M0001 cannot exchange with themselves"
run tb-exchange record --provider M0001 --recipient M0001 --hours 1 --override "coordinator says so"
expect_rc 3
unchanged "$before"

t "both members active"
run tb-exchange record --provider M0005 --recipient M0001 --hours 1
expect_rc 3
expect_err "tb-exchange: rejected: M0005 is inactive, not active"
run tb-exchange record --provider M0001 --recipient M0005 --hours 1 --override "coordinator says so"
expect_rc 3
unchanged "$before"

t "an unknown member is exit 4"
run tb-exchange record --provider M0001 --recipient M0099 --hours 1
expect_rc 4
expect_err "tb-exchange: error: no member 'M0099'"
run tb-exchange record --provider nobody@example.org --recipient M0001 --hours 1
expect_rc 4
unchanged "$before"

# --- the rules: hours -------------------------------------------------------
t "hours: 24 is the limit"
run tb-exchange record --provider M0008 --recipient M0007 --hours 24
expect_rc 0
expect_out "14"
before=$(store_digest)
run tb-exchange record --provider M0008 --recipient M0007 --hours 24:01
expect_rc 3
expect_err_has "rejected: 24.02 hours is more than the limit of 24.00 hours per exchange"
run tb-exchange record --provider M0008 --recipient M0007 --hours 24:01 --override "long day"
expect_rc 3

t "hours: zero, negative, not a whole minute, not a number"
run tb-exchange record --provider M0008 --recipient M0007 --hours 0
expect_rc 3
run tb-exchange record --provider M0008 --recipient M0007 --hours 0:00
expect_rc 3
run tb-exchange record --provider M0008 --recipient M0007 --hours=-1
expect_rc 3
run tb-exchange record --provider M0008 --recipient M0007 --hours 1.333
expect_rc 3
expect_err_has "not a whole number of minutes"
run tb-exchange record --provider M0008 --recipient M0007 --hours abc
expect_rc 2
expect_err_has "'abc' is not a duration"
run tb-exchange record --provider M0008 --recipient M0007 --hours 1:75
expect_rc 3
run tb-exchange record --provider M0008 --recipient M0007
expect_rc 2
unchanged "$before"

# --- the rules: dates -------------------------------------------------------
t "date: today and yesterday are fine, tomorrow is refused"
run tb-exchange record --provider M0008 --recipient M0007 --hours 1 --date 2026-11-27
expect_rc 0
expect_out "15"
run tb-exchange record --provider M0008 --recipient M0007 --hours 1 --date yesterday
expect_rc 0
expect_sql "SELECT date FROM exchange WHERE number = $OUT" "2026-11-26"
before=$(store_digest)
run tb-exchange record --provider M0008 --recipient M0007 --hours 1 --date 2026-11-28
expect_rc 3
expect_err "tb-exchange: rejected: date 2026-11-28 is in the future (today is 2026-11-27) (a coordinator may use --override REASON)"
run tb-exchange record --provider M0008 --recipient M0007 --hours 1 --date 2026-02-30
expect_rc 2
unchanged "$before"

t "date: 365 days back is fine, 366 is refused"
run tb-exchange record --provider M0008 --recipient M0007 --hours 1 --date 2025-11-27
expect_rc 0
before=$(store_digest)
run tb-exchange record --provider M0008 --recipient M0007 --hours 1 --date 2025-11-26
expect_rc 3
expect_err "tb-exchange: rejected: date 2025-11-26 is 366 days ago, more than the limit of 365 days (a coordinator may use --override REASON)"
unchanged "$before"

t "date: --today moves today"
run tb-exchange record --provider M0008 --recipient M0007 --hours 1 --date 2026-11-28 --today 2026-11-28
expect_rc 0

t "--override lets a date through, keeps the reason and shows it"
run tb-exchange record --provider M0008 --recipient M0007 --hours 1 --date 2025-11-01 --override "paper log found late"
expect_rc 0
n=$OUT
expect_sql "SELECT date, override_reason FROM exchange WHERE number = $n" "2025-11-01|paper log found late"
expect_sql "$LAST_AUDIT" "tester|tb-exchange record|exchange $n|date,provider,recipient,minutes,override"
run tb-exchange show "$n"
expect_out_has "override:       paper log found late"

# --- the rules: balances ----------------------------------------------------
t "min_balance: -20 reached exactly is fine"
run tb-exchange record --provider M0001 --recipient M0002 --hours 20
expect_rc 0
n20=$OUT
expect_sql "SELECT balance FROM member WHERE id = 'M0002'" "-1200"

t "min_balance: one minute more is refused, naming member and numbers"
before=$(store_digest)
run tb-exchange record --provider M0001 --recipient M0002 --hours 0:01
expect_rc 3
expect_out_empty
expect_err "tb-exchange: rejected: M0002 would reach -20.02 hours, below the limit of -20.00 (a coordinator may use --override REASON)"
unchanged "$before"

t "min_balance: a group where the second row crosses the limit"
tb-exchange record --provider M0003 --recipient M0004 --hours 19 >/dev/null || fail "set-up"
before=$(store_digest)
run tb-exchange record --provider M0001,M0003 --recipient M0004 --hours 0:30
expect_rc 3
expect_err_has "M0004 would reach -20.17 hours, below the limit of -20.00"
unchanged "$before"

t "--override lets a balance limit through"
run tb-exchange record --provider M0001 --recipient M0002 --hours 0:01 --override "agreed by the steering group"
expect_rc 0
nov=$OUT
expect_sql "SELECT balance FROM member WHERE id = 'M0002'" "-1201"
run tb-exchange show "$nov" --format json
expect_out_has '"override": "agreed by the steering group"'

t "per-member limits override the bank's"
run tb-exchange record --provider M0006 --recipient M0007 --hours 3
expect_rc 0
nlim=$OUT
before=$(store_digest)
run tb-exchange record --provider M0006 --recipient M0007 --hours 0:01
expect_rc 3
expect_err "tb-exchange: rejected: M0006 would reach 3.02 hours, above the limit of 3.00 (a coordinator may use --override REASON)"
unchanged "$before"
run tb-exchange record --provider M0003 --recipient M0006 --hours 5
expect_rc 0
expect_sql "SELECT balance FROM member WHERE id = 'M0006'" "-120"
before=$(store_digest)
run tb-exchange record --provider M0003 --recipient M0006 --hours 0:01
expect_rc 3
expect_err "tb-exchange: rejected: M0006 would reach -2.02 hours, below the limit of -2.00 (a coordinator may use --override REASON)"
unchanged "$before"

t "min_balance none: unlimited"
bal7=$(sqlite3 -readonly "$TIMEBANK_DB" "SELECT balance FROM member WHERE id = 'M0007'")
[ "$bal7" -lt -1200 ] && ok || fail "M0007 should be far below -20 hours, has $bal7 minutes"

t "max_balance from a config file in the current directory"
printf '[policy]\nmax_balance = 10\n' > "$WORK/timebank.toml"
tb-member add "Max Capped" >/dev/null   # M0009
run tb-exchange record --provider M0009 --recipient M0007 --hours 10
expect_rc 0
before=$(store_digest)
run tb-exchange record --provider M0009 --recipient M0007 --hours 0:01
expect_rc 3
expect_err "tb-exchange: rejected: M0009 would reach 10.02 hours, above the limit of 10.00 (a coordinator may use --override REASON)"
unchanged "$before"
run tb-exchange record --provider M0008 --recipient M0007 --hours 12
expect_rc 0
expect_err_empty
rm "$WORK/timebank.toml"
run tb-exchange record --provider M0009 --recipient M0007 --hours 0:01
expect_rc 0
# The store remembers the config it was written with, and says it is missing.
expect_err "tb-exchange: warning: no timebank.toml found: running on built-in defaults, but this store was set up with $WORK/timebank.toml (name it with --config or TIMEBANK_CONFIG, or run from its directory)"
# From here on the bank's config is an empty one in the current directory.
: > "$WORK/timebank.toml"

t "--config FILE and TIMEBANK_CONFIG"
mkdir -p "$WORK/etc"
printf '[policy]\nmax_balance = 10\n' > "$WORK/etc/tight.toml"
before=$(store_digest)
run tb-exchange record --provider M0009 --recipient M0007 --hours 1 --config "$WORK/etc/tight.toml"
expect_rc 3
run env TIMEBANK_CONFIG="$WORK/etc/tight.toml" tb-exchange record --provider M0009 --recipient M0007 --hours 1
expect_rc 3
unchanged "$before"

t "strict_categories (the default): a category resolves to the taxonomy or is refused"
run tb-exchange record --provider M0008 --recipient M0007 --hours 1 --category Plumbing
expect_rc 3
expect_err "tb-exchange: rejected: category 'Plumbing' is not in the taxonomy; the categories are listed by \`tb config\`"
run tb-exchange record --provider M0008 --recipient M0007 --hours 1 --category "Cokking"
expect_rc 3
expect_err "tb-exchange: rejected: category 'Cokking' is not in the taxonomy (did you mean 'Cooking & food'?); the categories are listed by \`tb config\`"
unchanged "$before"
run tb-exchange record --provider M0008 --recipient M0007 --hours 1 --category "cooking & food"
expect_rc 0
expect_sql "SELECT category FROM exchange WHERE number = $OUT" "Cooking & food"
run tb-exchange record --provider M0008 --recipient M0007 --hours 1 --category Cooking
expect_rc 0
expect_sql "SELECT category FROM exchange WHERE number = $OUT" "Cooking & food"
run tb-exchange record --provider M0008 --recipient M0007 --hours 1
expect_rc 0   # an exchange may have no category
expect_sql "SELECT category FROM exchange WHERE number = $OUT" ""
printf '[policy]\nstrict_categories = false\n' > "$WORK/etc/loose.toml"
run tb-exchange record --provider M0008 --recipient M0007 --hours 1 --category "Anything goes" --config "$WORK/etc/loose.toml"
expect_rc 0
expect_err "tb-exchange: warning: category 'Anything goes' is not in the taxonomy; recorded as given (strict_categories = false)"
expect_sql "SELECT category FROM exchange WHERE number = $OUT" "Anything goes"

t "warn_below: recorded, with a warning on stderr"
printf '[policy]\nwarn_below = -5\n' > "$WORK/etc/warn.toml"
run tb-exchange record --provider M0008 --recipient M0007 --hours 1 --config "$WORK/etc/warn.toml"
expect_rc 0
nw=$OUT
expect_sql "SELECT count(*) FROM exchange WHERE number = $nw" "1"
una=$(sqlite3 -readonly "$TIMEBANK_DB" "SELECT printf('%.2f', balance / 60.0) FROM member WHERE id = 'M0007'")
expect_err "tb-exchange: warning: M0007 has $una hours, below the warning level of -5.00"
run tb-exchange record --provider M0007 --recipient M0008 --hours 1 --config "$WORK/etc/warn.toml"
expect_rc 0
expect_err_has "warning: M0007"
run tb-exchange record --provider M0008 --recipient M0001 --hours 1 --config "$WORK/etc/warn.toml"
expect_rc 0
expect_err_empty
run tb-exchange record --provider M0008 --recipient M0001 --hours 1
expect_err_empty

# --- void -------------------------------------------------------------------
t "void prints the reversing exchange's number"
run tb-exchange void "$nov" --reason "entered twice"
expect_rc 0
nv=$OUT
expect_sql "SELECT provider, recipient, minutes, reverses, note, date FROM exchange WHERE number = $nv" \
  "M0002|M0001|1|$nov|entered twice|2026-11-27"
expect_sql "SELECT balance FROM member WHERE id = 'M0002'" "-1200"
expect_sql "$LAST_AUDIT" "tester|tb-exchange void|exchange $nv|reverses,note"
run tb-exchange show "$nov"
expect_out_has "voided_by:      $nv"

before=$(store_digest)
t "void twice is exit 3"
run tb-exchange void "$nov" --reason "again"
expect_rc 3
expect_err "tb-exchange: rejected: exchange $nov is already voided (by exchange $nv)"
t "a void cannot be voided"
run tb-exchange void "$nv" --reason "again"
expect_rc 3
t "void of an unknown exchange is exit 4"
run tb-exchange void 9999 --reason "no such"
expect_rc 4
expect_err "tb-exchange: error: no exchange 9999"
t "void needs a number and a reason"
run tb-exchange void abc --reason x
expect_rc 2
run tb-exchange void 1
expect_rc 2
run tb-exchange void 1 --reason "  "
expect_rc 2
unchanged "$before"

t "a void is never refused for a balance limit"
# M0006 stands at -2.00, its own minimum; voiding the 3 hours it gave takes it to -5.00.
run tb-exchange void "$nlim" --reason "wrong member"
expect_rc 0
expect_sql "SELECT balance FROM member WHERE id = 'M0006'" "-300"
# Bob stands at -20.00; voiding what Ann gave him hands it back to Ann (far above any limit too).
printf '[policy]\nmax_balance = 1\n' > "$WORK/etc/max1.toml"
run tb-exchange void "$n20" --reason "never happened" --config "$WORK/etc/max1.toml"
expect_rc 0

t "a void of an inactive member's exchange still works"
tb-exchange record --provider M0004 --recipient M0008 --hours 1 >/dev/null
tb-member deactivate M0004 >/dev/null
run tb-exchange void "$(count_exchanges)" --reason "left before it was confirmed"
expect_rc 0
tb-member reactivate M0004 >/dev/null

t "the policy store checks clean"
run tb check
expect_rc 0
expect_out_empty
expect_err_empty
expect_sql "SELECT sum(balance) FROM member" "0"
expect_sql "SELECT count(*) FROM audit WHERE command = 'tb-exchange record'" \
  "$(sqlite3 -readonly "$TIMEBANK_DB" "SELECT count(*) FROM exchange WHERE reverses IS NULL")"

# --- a ledger with history: list, show, balance, statement --------------------
export TIMEBANK_DB="$WORK/ledger.db"
tb init >/dev/null
tb-member add "Ann Lee" >/dev/null
tb-member add "Bob Marsh" >/dev/null
tb-member add "Cath O'Brien" --email cath@example.org >/dev/null
tb-exchange record --provider M0001 --recipient M0002 --hours 2 --date 2026-09-15 --category Gardening --note "Hedge" >/dev/null
tb-exchange record --provider M0002 --recipient M0003 --hours 1:30 --date 2026-10-03 --category "Shopping & errands" >/dev/null
tb-exchange record --provider M0003 --recipient M0001 --hours 0:45 --date 2026-10-20 --category gardening --note "Lawn, front" >/dev/null
tb-exchange record --provider M0001 --recipient M0003 --hours 1 --date 2026-11-02 --category "Cooking & food" >/dev/null
tb-exchange record --provider M0002 --recipient M0001 --hours 3 --date 2026-11-20 --category "Home & DIY" --ref "INV 7" >/dev/null

t "opening: negative hours, printed number, counted in the balance"
run tb-exchange opening --member cath@example.org --hours=-2 --date 2026-01-01 --note "carried over"
expect_rc 0
expect_out "1"
expect_sql "SELECT number, member, minutes, date, note FROM opening" "1|M0003|-120|2026-01-01|carried over"
expect_sql "SELECT balance, opening FROM member WHERE id = 'M0003'" "-225|-120"
expect_sql "$LAST_AUDIT" "tester|tb-exchange opening|M0003|opening"
run tb-exchange opening --member M0099 --hours 1
expect_rc 4
run tb-exchange opening --member M0003 --hours lots
expect_rc 2

t "void in the history"
run tb-exchange void 2 --reason "did not happen"
expect_out "6"

t "an opening balance is not an exchange"
expect_sql "SELECT count(*) FROM exchange" "6"
run tb-exchange list --all --format csv --no-header
expect_out_lacks "carried over"

t "list: voided exchanges and their voids are left out by default"
run tb-exchange list
expect_rc 0
expect_out "number  date        provider  provider_name  recipient  recipient_name  hours  category        note         reverses
     1  2026-09-15  M0001     Ann Lee        M0002      Bob Marsh        2.00  Gardening       Hedge
     3  2026-10-20  M0003     Cath O'Brien   M0001      Ann Lee          0.75  Gardening       Lawn, front
     4  2026-11-02  M0001     Ann Lee        M0003      Cath O'Brien     1.00  Cooking & food
     5  2026-11-20  M0002     Bob Marsh      M0001      Ann Lee          3.00  Home & DIY"

t "list --voided, --all"
run tb-exchange list --voided --format csv --no-header
expect_out "2,2026-10-03,M0002,M0003,1.50,90,Shopping & errands,,,,$(sqlite3 -readonly "$TIMEBANK_DB" "SELECT recorded_at || ',' || recorded_by FROM exchange WHERE number = 2"),Bob Marsh,Cath O'Brien
6,2026-11-27,M0003,M0002,1.50,90,Shopping & errands,did not happen,,2,$(sqlite3 -readonly "$TIMEBANK_DB" "SELECT recorded_at || ',' || recorded_by FROM exchange WHERE number = 6"),Cath O'Brien,Bob Marsh"
run tb-exchange list --all --format csv --no-header
expect_rc 0
expect_out_has "1,2026-09-15,"
expect_out_has "6,2026-11-27,"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 6 ] && ok || fail "--all should list 6 exchanges"
run tb-exchange list --all --voided
expect_rc 2

numbers() { printf '%s\n' "$OUT" | cut -d, -f1 | paste -sd' '; }
t "list --member"
run tb-exchange list --member M0002 --format csv --no-header
expect_rc 0
[ "$(numbers)" = "1 5" ] && ok || fail "--member M0002 gave $(numbers)"
run tb-exchange list --member M0002 --all --format csv --no-header
[ "$(numbers)" = "1 2 5 6" ] && ok || fail "--member M0002 --all gave $(numbers)"
run tb-exchange list --member cath@example.org --format csv --no-header
[ "$(numbers)" = "3 4" ] && ok || fail "--member by email gave $(numbers)"
run tb-exchange list --member M0099
expect_rc 4

t "list --period"
run tb-exchange list --period 2026-10 --format csv --no-header
[ "$(numbers)" = "3" ] && ok || fail "2026-10 gave $(numbers)"
run tb-exchange list --period 2026-10 --all --format csv --no-header
[ "$(numbers)" = "2 3" ] && ok || fail "2026-10 --all gave $(numbers)"
run tb-exchange list --period last-month --format csv --no-header
[ "$(numbers)" = "3" ] && ok || fail "last-month gave $(numbers)"
run tb-exchange list --period 2026-W47 --format csv --no-header
[ "$(numbers)" = "5" ] && ok || fail "2026-W47 gave $(numbers)"
run tb-exchange list --period 2026-Q3 --format csv --no-header
[ "$(numbers)" = "1" ] && ok || fail "2026-Q3 gave $(numbers)"
run tb-exchange list --period 2026-10-20..2026-11-02 --format csv --no-header
[ "$(numbers)" = "3 4" ] && ok || fail "FROM..TO gave $(numbers)"
run tb-exchange list --period nonsense
expect_rc 2

t "list --since/--until are inclusive"
run tb-exchange list --since 2026-10-20 --until 2026-11-02 --format csv --no-header
[ "$(numbers)" = "3 4" ] && ok || fail "--since/--until gave $(numbers)"
run tb-exchange list --since 2026-11-02 --format csv --no-header
[ "$(numbers)" = "4 5" ] && ok || fail "--since gave $(numbers)"
run tb-exchange list --until 2026-10-20 --format csv --no-header
[ "$(numbers)" = "1 3" ] && ok || fail "--until gave $(numbers)"
run tb-exchange list --period 2026 --since 2026-01-01
expect_rc 2
run tb-exchange list --since 2026-11-02 --until 2026-10-20
expect_rc 2
expect_err_has "--until 2026-10-20 is before --since 2026-11-02"
run tb-exchange statement M0003 --since 2026-11-02 --until 2026-10-20
expect_rc 2

t "list --category (any case)"
run tb-exchange list --category GARDENING --format csv --no-header
[ "$(numbers)" = "1 3" ] && ok || fail "--category gave $(numbers)"
run tb-exchange list --category gardening --member M0003 --format csv --no-header
[ "$(numbers)" = "3" ] && ok || fail "--category --member gave $(numbers)"

t "every exchange field in csv and json; json has minutes and hours"
run tb-exchange list --member M0003 --until 2026-10-31 --all --format csv
expect_rc 0
expect_out "number,date,provider,recipient,hours,minutes,category,note,ref,reverses,recorded_at,recorded_by,provider_name,recipient_name
2,2026-10-03,M0002,M0003,1.50,90,Shopping & errands,,,,$(sqlite3 -readonly "$TIMEBANK_DB" "SELECT recorded_at FROM exchange WHERE number = 2"),tester,Bob Marsh,Cath O'Brien
3,2026-10-20,M0003,M0001,0.75,45,Gardening,\"Lawn, front\",,,$(sqlite3 -readonly "$TIMEBANK_DB" "SELECT recorded_at FROM exchange WHERE number = 3"),tester,Cath O'Brien,Ann Lee"
run tb-exchange list --voided --format json
expect_rc 0
at2=$(sqlite3 -readonly "$TIMEBANK_DB" "SELECT recorded_at FROM exchange WHERE number = 2")
at6=$(sqlite3 -readonly "$TIMEBANK_DB" "SELECT recorded_at FROM exchange WHERE number = 6")
expect_out "[
  {\"number\":2,\"date\":\"2026-10-03\",\"provider\":\"M0002\",\"recipient\":\"M0003\",\"hours\":1.5,\"minutes\":90,\"category\":\"Shopping & errands\",\"note\":\"\",\"ref\":null,\"reverses\":null,\"recorded_at\":\"$at2\",\"recorded_by\":\"tester\",\"provider_name\":\"Bob Marsh\",\"recipient_name\":\"Cath O'Brien\"},
  {\"number\":6,\"date\":\"2026-11-27\",\"provider\":\"M0003\",\"recipient\":\"M0002\",\"hours\":1.5,\"minutes\":90,\"category\":\"Shopping & errands\",\"note\":\"did not happen\",\"ref\":null,\"reverses\":2,\"recorded_at\":\"$at6\",\"recorded_by\":\"tester\",\"provider_name\":\"Cath O'Brien\",\"recipient_name\":\"Bob Marsh\"}
]"
if printf '%s' "$OUT" | python3 -c '
import json,sys
d=json.load(sys.stdin)
assert all(list(x)==["number","date","provider","recipient","hours","minutes","category","note","ref","reverses","recorded_at","recorded_by","provider_name","recipient_name"] for x in d)
import re
assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", x["recorded_at"]) for x in d)' 2>/dev/null; then ok; else fail "json keys or recorded_at differ"; fi
run tb-exchange list --format jsonl --category "home & diy"
expect_out_has '"ref":"INV 7"'
expect_out_has '"hours":3,"minutes":180'
run tb-exchange list --format tsv --no-header --category "home & diy"
expect_out_has "$(printf '5\t2026-11-20\tM0002\tM0001\t3.00\t180\tHome & DIY\t\tINV 7\t')"

t "show N"
run tb-exchange show 3
expect_rc 0
expect_out "number:         3
date:           2026-10-20
provider:       M0003
recipient:      M0001
hours:          0.75
minutes:        45
category:       Gardening
note:           Lawn, front
ref:            
reverses:       
recorded_at:    $(sqlite3 -readonly "$TIMEBANK_DB" "SELECT recorded_at FROM exchange WHERE number = 3")
recorded_by:    tester
provider_name:  Cath O'Brien
recipient_name: Ann Lee
override:       
voided_by:      
amends:         
amended_by:     "
run tb-exchange show 6 --format json
expect_out_has '"reverses": 2'
run tb-exchange show 99
expect_rc 4
run tb-exchange show nine
expect_rc 2

t "balance"
run tb-exchange balance
expect_rc 0
expect_out "id     name          balance  minutes  opening
M0001  Ann Lee         -0.75      -45     0.00
M0002  Bob Marsh        1.00       60     0.00
M0003  Cath O'Brien    -2.25     -135    -2.00"
run tb-exchange balance M0003 cath@example.org --format json
expect_out '[
  {"id":"M0003","name":"Cath O'"'"'Brien","balance":-2.25,"minutes":-135,"opening":-2,"opening_minutes":-120},
  {"id":"M0003","name":"Cath O'"'"'Brien","balance":-2.25,"minutes":-135,"opening":-2,"opening_minutes":-120}
]'
run tb-exchange balance M0099
expect_rc 4

t "statement: every exchange and the opening with a running balance"
run tb-exchange statement M0003
expect_rc 0
expect_out "date        number  type       provider  provider_name  recipient  recipient_name  category            note            amends  amended_by  hours  minutes  balance
2026-01-01       1  opening                                                                            carried over                        -2.00     -120    -2.00
2026-10-03       2  received   M0002     Bob Marsh      M0003      Cath O'Brien    Shopping & errands                                      -1.50      -90    -3.50
2026-10-20       3  gave       M0003     Cath O'Brien   M0001      Ann Lee         Gardening           Lawn, front                          0.75       45    -2.75
2026-11-02       4  received   M0001     Ann Lee        M0003      Cath O'Brien    Cooking & food                                          -1.00      -60    -3.75
2026-11-27       6  void of 2  M0003     Cath O'Brien   M0002      Bob Marsh       Shopping & errands  did not happen                       1.50       90    -2.25"

t "statement --period: a brought-forward line"
run tb-exchange statement M0003 --period 2026-11 --format csv
expect_rc 0
expect_out "date,number,type,provider,provider_name,recipient,recipient_name,category,note,amends,amended_by,hours,minutes,balance
2026-10-31,,brought forward,,,,,,,,,,,-2.75
2026-11-02,4,received,M0001,Ann Lee,M0003,Cath O'Brien,Cooking & food,,,,-1.00,-60,-3.75
2026-11-27,6,void of 2,M0003,Cath O'Brien,M0002,Bob Marsh,Shopping & errands,did not happen,,,1.50,90,-2.25"
run tb-exchange statement M0003 --since 2026-10-04 --until 2026-11-26 --format csv --no-header
expect_out "2026-10-03,,brought forward,,,,,,,,,,,-3.50
2026-10-20,3,gave,M0003,Cath O'Brien,M0001,Ann Lee,Gardening,\"Lawn, front\",,,0.75,45,-2.75
2026-11-02,4,received,M0001,Ann Lee,M0003,Cath O'Brien,Cooking & food,,,,-1.00,-60,-3.75"
run tb-exchange statement M0002 --period 2026-12 --format csv --no-header
expect_out "2026-11-30,,brought forward,,,,,,,,,,,1.00"

t "statement --format json: the running balance in minutes too; a void is type void with reverses"
run tb-exchange statement M0003 --period 2026-11 --format jsonl
expect_rc 0
expect_out '{"date":"2026-10-31","number":null,"type":"brought_forward","provider":null,"provider_name":null,"recipient":null,"recipient_name":null,"category":null,"note":null,"amends":null,"amended_by":null,"hours":null,"minutes":null,"balance":-2.75,"balance_minutes":-165,"reverses":null}
{"date":"2026-11-02","number":4,"type":"received","provider":"M0001","provider_name":"Ann Lee","recipient":"M0003","recipient_name":"Cath O'"'"'Brien","category":"Cooking & food","note":"","amends":null,"amended_by":null,"hours":-1,"minutes":-60,"balance":-3.75,"balance_minutes":-225,"reverses":null}
{"date":"2026-11-27","number":6,"type":"void","provider":"M0003","provider_name":"Cath O'"'"'Brien","recipient":"M0002","recipient_name":"Bob Marsh","category":"Shopping & errands","note":"did not happen","amends":null,"amended_by":null,"hours":1.5,"minutes":90,"balance":-2.25,"balance_minutes":-135,"reverses":2}'
run tb-exchange statement M0099
expect_rc 4

t "-o FILE.csv writes csv atomically"
run tb-exchange list --all -o "$WORK/out.csv"
expect_rc 0
expect_out_empty
want=$(tb-exchange list --all --format csv)
if [ "$(cat "$WORK/out.csv")" = "$want" ]; then ok; else fail "out.csv differs from --format csv"; fi
if [ "$(find "$WORK" -maxdepth 1 -name 'out.csv?*' | wc -l)" -eq 0 ]; then ok; else fail "a temporary file was left"; fi
run tb-exchange list --all -o "$WORK/out.csv" --no-header
if [ "$(cat "$WORK/out.csv")" = "$(printf '%s\n' "$want" | tail -n +2)" ]; then ok; else fail "--no-header in the file"; fi
t "-o keeps the old file when the command fails"
cp "$WORK/out.csv" "$WORK/before.csv"
run tb-exchange list --member M0099 -o "$WORK/out.csv"
expect_rc 4
if cmp -s "$WORK/out.csv" "$WORK/before.csv"; then ok; else fail "a failed command touched the output file"; fi
t "-o into a file that cannot be written: exit 1 and nothing recorded"
n_before=$(count_exchanges)
run tb-exchange record --provider M0001 --recipient M0002 --hours 1 -o "$WORK/no/such/dir/n.txt"
expect_rc 1
expect_err_has "no/such/dir/n.txt"
if [ "$(count_exchanges)" = "$n_before" ]; then ok; else fail "the exchange was recorded although the command failed"; fi

t "-o FILE.json, and --format beats the extension"
run tb-exchange balance -o "$WORK/bal.json"
expect_rc 0
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[2]["minutes"]==-135' "$WORK/bal.json"; then ok; else fail "bal.json"; fi
run tb-exchange balance -o "$WORK/bal.json" --format csv
if [ "$(head -1 "$WORK/bal.json")" = "id,name,balance,minutes,opening" ]; then ok; else fail "--format csv with a .json name"; fi
run tb-exchange balance --format yaml
expect_rc 2

t "-o FILE.xlsx or .ods: exit 2, no file (tb never writes spreadsheets); --format csv is taken as asked"
for f in out.xlsx OUT.XLS out.ods; do
  run tb-exchange export -o "$WORK/$f"
  expect_rc 2
  expect_err_has "cannot write ."
  expect_err_has "use -o FILE.csv"
  if ls "$WORK/$f"* >/dev/null 2>&1; then fail "$f was written"; else ok; fi
done
run tb-exchange export -o "$WORK/asked.ods" --format csv
expect_rc 0
if [ "$(head -c 12 "$WORK/asked.ods")" = "number,date," ]; then ok; else fail "--format csv into .ods"; fi

t "the ledger store checks clean"
run tb check
expect_rc 0
expect_out_empty

t "the monthly totals hold every exchange, voids taken out, whatever their dates"
expect_sql "SELECT value = (SELECT max(number) FROM exchange) FROM meta WHERE key = 'rollup_upto'" "1"
expect_sql "SELECT count(*) > 0 FROM exchange WHERE reverses IS NOT NULL" "1"
expect_sql "SELECT (SELECT sum(exchanges) || '/' || sum(minutes) FROM trade_month) = (SELECT count(*) || '/' || sum(minutes)
  FROM exchange e WHERE reverses IS NULL AND number NOT IN (SELECT reverses FROM exchange WHERE reverses IS NOT NULL))" "1"

# --- exact to the minute -----------------------------------------------------
export TIMEBANK_DB="$WORK/exact.db"
tb init >/dev/null
tb-member add "Giver" >/dev/null
tb-member add "Taker" --min-balance none >/dev/null
tb-member add "Third" --min-balance none >/dev/null
t "balances are exact to the minute after many fractional exchanges"
amounts=("0:01" "0.05h" "1:07" "0.1" "0.1h" "7m" "1.35" "2h01m" "0.2" "0.3")
minutes=(1 3 67 6 6 7 81 121 12 18)
total=0; third=0
for i in $(seq 0 59); do
  k=$((i % 10))
  if [ $((i % 3)) -eq 2 ]; then
    tb-exchange record --provider M0001 --recipient M0003 --hours "${amounts[$k]}" --date 2026-11-0$((i % 9 + 1)) >/dev/null \
      || fail "exchange $i (${amounts[$k]}) was refused"
    third=$((third + minutes[k]))
  else
    tb-exchange record --provider M0001 --recipient M0002 --hours "${amounts[$k]}" --date 2026-11-0$((i % 9 + 1)) >/dev/null \
      || fail "exchange $i (${amounts[$k]}) was refused"
  fi
  total=$((total + minutes[k]))
done
run tb-exchange balance --format json
expect_rc 0
got=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(" ".join(str(x["minutes"]) for x in json.load(sys.stdin)))')
[ "$got" = "$total -$((total - third)) -$third" ] && ok || fail "minutes are '$got', expected '$total -$((total - third)) -$third'"
expect_sql "SELECT sum(minutes) FROM exchange" "$total"
hours=$(printf '%d.%02d' $((total / 60)) $(( (total % 60 * 100 + 30) / 60 )))
run tb-exchange balance M0001 --format csv --no-header
expect_out "M0001,Giver,$hours,$total,0.00"
run tb-exchange statement M0001 --format csv --no-header
last=$(printf '%s\n' "$OUT" | tail -1)
[ "${last##*,}" = "$hours" ] && ok || fail "the statement ends at ${last##*,}, not $hours"
run tb check
expect_rc 0
expect_out_empty

finish
