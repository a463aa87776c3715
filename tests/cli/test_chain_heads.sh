#!/usr/bin/env bash
# Command-level tests of SPEC "tb": tb check: the audit log is hash-chained
# like the ledger; tb check --head prints the chains' heads, the weekly
# report's footer carries them, and tb check --expect-head FILE fails once
# the history they stand for is no longer a prefix of the store's.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${TB_SRC:=$(cd "$HERE/../.." && pwd)}"
: "${TB_SHARE_DIR:=$TB_SRC/share}"
export TB_SHARE_DIR
# shellcheck source=tests/cli/lib.sh
. "$HERE/lib.sh"

sq() { sqlite3 "$TIMEBANK_DB" "$@"; }
hash_of() { sq "SELECT hash FROM $1 WHERE $2"; }
GENESIS=0000000000000000000000000000000000000000000000000000000000000000

tb init --name Chains >/dev/null

t "--head on a new store: every chain at 0 but the audit log's tb init entry"
run tb check --head
expect_rc 0
expect_err_empty
expect_out "exchanges 0 $GENESIS
openings 0 $GENESIS
audit 1 $(hash_of audit 'id = 1')"
expect_sql "SELECT length(hash) FROM audit" "64"
expect_sql "SELECT value = (SELECT hash FROM audit WHERE id = 1) FROM meta WHERE key = 'audit_head'" "1"

ann=$(tb-member add "Ann Lee")
bob=$(tb-member add "Bob Singh")
cyd=$(tb-member add "Cyd Jones")
tb-exchange record --provider "$ann" --recipient "$bob" --hours 2 --category Gardening --date 2026-11-20 >/dev/null
tb-exchange record --provider "$bob" --recipient "$cyd" --hours 1 --category Gardening --date 2026-11-20 >/dev/null
tb-exchange opening --member "$cyd" --hours 3 >/dev/null

t "--head prints exchanges, openings and audit: NAME NUMBER SHA256, one a line"
run tb check --head
expect_rc 0
n_audit=$(sq "SELECT max(id) FROM audit")
expect_out "exchanges 2 $(hash_of exchange 'number = 2')
openings 1 $(hash_of opening 'number = 1')
audit $n_audit $(hash_of audit "id = $n_audit")"
printf '%s\n' "$OUT" > head-before.txt

t "the head just printed is expected: exit 0, no output"
run tb check --expect-head head-before.txt
expect_rc 0
expect_out_empty
expect_err_empty

t "a later head still has the earlier history as its prefix"
tb-exchange record --provider "$cyd" --recipient "$ann" --hours 1.5 --category Gardening --date 2026-11-20 >/dev/null
run tb check --expect-head head-before.txt
expect_rc 0
expect_out_empty
run tb check --head
expect_rc 0
printf '%s\n' "$OUT" > head-published.txt
run tb check --expect-head - < head-published.txt
expect_rc 0

t "the weekly report's footer carries the heads, in every format, and --expect-head reads it"
for fmt in text markdown html json; do
  run tb-report weekly --format "$fmt"
  expect_rc 0
  printf '%s\n' "$OUT" > "weekly.$fmt"
  while IFS= read -r line; do
    expect_out_has "$(printf '%s' "$line" | cut -d' ' -f3)"
  done < head-published.txt
  run tb check --expect-head "weekly.$fmt"
  expect_rc 0
  expect_out_empty
done
run tb-report weekly --format text
expect_out_has "Chain heads (check with: tb check --expect-head FILE):
  $(sed -n 1p head-published.txt)
  $(sed -n 2p head-published.txt)
  $(sed -n 3p head-published.txt)"
run tb-report weekly --format json
expect_out_has "\"chain_heads\": [
    {\"chain\":\"exchanges\",\"number\":3,\"hash\":\"$(hash_of exchange 'number = 3')\"},"

t "a file without any head is a usage error (exit 2)"
echo "nothing here" > nohead.txt
run tb check --expect-head nohead.txt
expect_rc 2
expect_err_has "nohead.txt: no chain head in it"
run tb check --expect-head missing.txt
expect_rc 1

# --- the attack of issue 17 --------------------------------------------------------

cp "$TIMEBANK_DB" before-attack.db
n_audit_pub=$(sed -n 3p head-published.txt | cut -d' ' -f2)
n_audit_last=$(sq "SELECT max(id) FROM audit")
t "the attack: delete the newest exchange, fix the chain head, balances, totals and its audit row"
m=$(sq "SELECT minutes FROM exchange WHERE number = 3")
day=$(sq "SELECT date FROM exchange WHERE number = 3")
sq "
DROP TRIGGER exchange_append_only_delete;
DROP TRIGGER audit_append_only_delete;
DELETE FROM exchange WHERE number = 3;
UPDATE meta SET value = (SELECT hash FROM exchange WHERE number = 2) WHERE key = 'exchange_head';
UPDATE meta SET value = '2' WHERE key = 'rollup_upto';
UPDATE member SET balance = balance - $m WHERE id = '$cyd';
UPDATE member SET balance = balance + $m WHERE id = '$ann';
UPDATE trade_month SET exchanges = exchanges - 1, minutes = minutes - $m WHERE month = '2026-11' AND category = 'Gardening';
UPDATE member_month SET trades = trades - 1 WHERE month = '2026-11' AND member IN ('$cyd', '$ann');
UPDATE pair_month SET exchanges = exchanges - 1, minutes = minutes - $m
WHERE month = '2026-11' AND provider = '$cyd' AND recipient = '$ann' AND category = 'Gardening';
DELETE FROM pair_month WHERE exchanges = 0;
UPDATE trade_day SET exchanges = exchanges - 1, minutes = minutes - $m WHERE day = '$day';
DELETE FROM trade_day WHERE exchanges = 0;
UPDATE member_year SET trades = trades - 1, provided = provided - 1, given = given - $m WHERE year = 2026 AND member = '$cyd';
UPDATE member_year SET trades = trades - 1, received = received - $m WHERE year = 2026 AND member = '$ann';
DELETE FROM member_year WHERE trades = 0;
UPDATE pair_year SET exchanges_lh = exchanges_lh - (low = (SELECT num FROM member WHERE id = '$cyd')),
minutes_lh = minutes_lh - $m * (low = (SELECT num FROM member WHERE id = '$cyd')),
exchanges_hl = exchanges_hl - (low <> (SELECT num FROM member WHERE id = '$cyd')),
minutes_hl = minutes_hl - $m * (low <> (SELECT num FROM member WHERE id = '$cyd'))
WHERE year = CAST(substr('$day', 1, 4) AS INTEGER) AND low = (SELECT min(num) FROM member WHERE id IN ('$cyd', '$ann'))
AND high = (SELECT max(num) FROM member WHERE id IN ('$cyd', '$ann'));
DELETE FROM pair_year WHERE exchanges_lh = 0 AND exchanges_hl = 0;
UPDATE group_month SET exchanges = exchanges - 1, minutes = minutes - $m
WHERE month = '2026-11' AND category = 'Gardening' AND pair = 0 AND group_key = char(1) || 'none';
DELETE FROM group_month WHERE exchanges = 0;
DELETE FROM audit WHERE id = (SELECT max(id) FROM audit);
UPDATE meta SET value = (SELECT hash FROM audit ORDER BY id DESC LIMIT 1) WHERE key = 'audit_head';
"
run tb check
expect_rc 0
expect_out_empty

t "... but --expect-head of the published head fails (exit 1), naming both chains"
run tb check --expect-head head-published.txt
expect_rc 1
expect_out "exchanges: the history published as head $(sed -n 1p head-published.txt | cut -d' ' -f2-) is no longer in the store: exchange 3 is gone (rewritten or cut short)
audit: the history published as head $(sed -n 3p head-published.txt | cut -d' ' -f2-) is no longer in the store: entry $n_audit_pub is gone (rewritten or cut short)"
expect_err "tb: error: 2 problems found in $TIMEBANK_DB"

t "... and so does the weekly report published before the attack"
run tb check --expect-head weekly.html
expect_rc 1
expect_out_has "exchanges: the history published"
run tb check --expect-head head-before.txt
expect_rc 0

t "a rewritten (not removed) row is named with its new hash"
sq "DROP TRIGGER exchange_append_only_update;
UPDATE exchange SET hash = '$(printf 'f%.0s' $(seq 64))' WHERE number = 2;
UPDATE meta SET value = '$(printf 'f%.0s' $(seq 64))' WHERE key = 'exchange_head';"
run tb check --expect-head head-before.txt
expect_rc 1
expect_out_has "exchanges: the history published as head 2 $(sed -n 1p head-before.txt | cut -d' ' -f3) is no longer a prefix of the store's: exchange 2 now has hash ffff"

# --- the audit log's own chain ------------------------------------------------------

cp before-attack.db "$TIMEBANK_DB"
rm -f "$TIMEBANK_DB-wal" "$TIMEBANK_DB-shm"
t "an audit entry edited outside tb is reported by number"
sq "DROP TRIGGER audit_append_only_update; UPDATE audit SET who = 'mallory' WHERE id = 2;"
run tb check
expect_rc 1
expect_out "audit: entry 2 was changed outside tb (hash chain broken)"

cp before-attack.db "$TIMEBANK_DB"
t "audit entries deleted in the middle are reported as a range"
sq "DROP TRIGGER audit_append_only_delete; DELETE FROM audit WHERE id IN (3, 4);"
run tb check
expect_rc 1
expect_out "audit: entries 3 to 4 were deleted outside tb"

cp before-attack.db "$TIMEBANK_DB"
t "the newest audit entry deleted (head left alone) is reported"
sq "DROP TRIGGER audit_append_only_delete; DELETE FROM audit WHERE id = (SELECT max(id) FROM audit);"
run tb check
expect_rc 1
expect_out "audit: the newest entries (after entry $((n_audit_last - 1))) were removed or replaced outside tb (chain head does not match)"

cp before-attack.db "$TIMEBANK_DB"
t "the audit log is append-only for tb's own connection too (triggers)"
run sqlite3 "$TIMEBANK_DB" "DELETE FROM audit WHERE id = 1"
expect_err_has "the audit log is append-only"
run sqlite3 "$TIMEBANK_DB" "UPDATE audit SET command = 'x' WHERE id = 1"
expect_err_has "the audit log is append-only"
run tb check
expect_rc 0

finish
