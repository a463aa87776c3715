#!/usr/bin/env bash
# The store: `tb check` catches edits made behind the toolkit's back, each in
# its own fresh copy of a small ledger; two writers at once both succeed; the
# file stays private; read-only commands never create a store.
source "$(dirname "$0")/lib.sh"

# --- read-only commands on a missing store -----------------------------------
t "read-only commands on a missing store: exit 1, the message, no file"
missing="$WORK/missing.db"
while IFS= read -r cmd; do
  # shellcheck disable=SC2086
  run env TIMEBANK_DB="$missing" $cmd
  expect_rc 1
  expect_out_empty
  expect_err "${cmd%% *}: error: no store at $missing (create one with: tb init, or name one with --db)"
done <<'EOF'
tb check
tb backup copy.db
tb-member list
tb-member show M0001
tb-exchange list
tb-exchange show 1
tb-exchange balance
tb-exchange statement M0001
EOF
if ls "$WORK"/missing.db* "$WORK"/copy.db* >/dev/null 2>&1; then fail "a read-only command created a file"; else ok; fi

t "--db overrides TIMEBANK_DB"
run tb-member list --db "$WORK/other.db"
expect_rc 1
expect_err "tb-member: error: no store at $WORK/other.db (create one with: tb init, or name one with --db)"

t "a writing command in a missing directory"
run tb-member add "Ann" --db "$WORK/no/such/dir/x.db"
expect_rc 1
if [ -e "$WORK/no" ]; then fail "a directory was created"; else ok; fi

t "a writing command that fails on a missing store leaves no store behind"
fresh="$WORK/fresh.db"
printf 'date,provider,recipient,hours\n2026-11-02,M0001,M0002,1\n' > "$WORK/fresh.csv"
while IFS= read -r line; do
  want=${line%% *} cmd=${line#* }
  # shellcheck disable=SC2086
  run env TIMEBANK_DB="$fresh" $cmd
  expect_rc "$want"
  if ls "$fresh"* >/dev/null 2>&1; then fail "a failed command left $(ls "$fresh"*)"; else ok; fi
done <<EOF
1 tb-exchange record --provider A --recipient B --hours 1
1 tb-exchange import $WORK/fresh.csv
1 tb-member edit M0001 --set phone=1
1 tb-match request add M0001 --category Gardening --text digging
1 tb-member add Ann
EOF

t "a failing command keeps a store it did not create"
tb init --db "$fresh" >/dev/null
run tb-member add "Ann" --db "$fresh"
expect_rc 0
run tb-exchange record --provider A --recipient B --hours 1 --db "$fresh"
expect_rc 4
TIMEBANK_DB=$fresh expect_sql "SELECT id, name FROM member WHERE kind <> 'pot'" "M0001|Ann"
run tb init --db "$WORK/empty.db"
expect_rc 0
run tb-exchange record --provider A --recipient B --hours 1 --db "$WORK/empty.db"
expect_rc 4
if [ -f "$WORK/empty.db" ]; then ok; else fail "a failed command removed a store made by tb init"; fi

# --- a small healthy ledger, the template for every tampering test -------------
t "a healthy store: tb check prints nothing"
run tb init --name "Test Timebank"
expect_rc 0
expect_out "$TIMEBANK_DB"
tb-member add "Ann Lee" >/dev/null
tb-member add "Bob Marsh" >/dev/null
tb-member add "Cath O'Brien" --kind organisation >/dev/null
tb-exchange record --provider M0001 --recipient M0002 --hours 1.5 --note "Shelves" --date 2026-11-20 >/dev/null  # 1
tb-exchange record --provider M0002 --recipient M0003 --hours 2 --note "Lift to the GP" --date 2026-11-21 >/dev/null  # 2
tb-exchange record --provider M0003 --recipient M0001,M0002 --hours 0:45 --note "Baking class" >/dev/null  # 3, 4
tb-exchange void 2 --reason "Wrong day" >/dev/null                                                        # 5
tb-exchange record --provider M0002 --recipient M0001 --hours 1 --override "late entry" --date 2026-11-22 >/dev/null  # 6
tb-exchange opening --member M0001 --hours=-3 --note "From the old bank" --date 2026-01-01 >/dev/null
tb-exchange opening --member M0002 --hours 2 --date 2026-01-01 >/dev/null
run tb check
expect_rc 0
expect_out_empty
expect_err_empty
expect_sql "SELECT count(*) FROM exchange" "6"
cp "$TIMEBANK_DB" "$WORK/template.db"

t "tb init on an existing store is exit 1"
before=$(store_digest)
run tb init
expect_rc 1
expect_err_has "already exists"
if [ "$(store_digest)" = "$before" ]; then ok; else fail "the store changed"; fi

# fresh NAME: a copy of the healthy ledger, which becomes the store.
fresh() {
  export TIMEBANK_DB="$WORK/$1.db"
  cp "$WORK/template.db" "$TIMEBANK_DB"
}
# tamper SQL: runs SQL on the store as someone with sqlite3 would.
tamper() { sqlite3 "$TIMEBANK_DB" "$1" || fail "sqlite3 could not run: $1"; }
# expect_problems N: tb check exits 1 and says how many problems.
expect_problems() {
  expect_rc 1
  expect_err "tb: error: $1 problem$([ "$1" -eq 1 ] || echo s) found in $TIMEBANK_DB"
}

t "tb check: an exchange's minutes edited with sqlite3"
fresh minutes
tamper "DROP TRIGGER exchange_append_only_update; UPDATE exchange SET minutes = 120 WHERE number = 3;"
run tb check
expect_out "exchange 3: hash chain broken (row edited outside tb)
member M0001: balance is -3.25 hours, but the ledger gives -4.50
member M0003: balance is 1.50 hours, but the ledger gives 2.75
monthly totals for 2026-11 (trade_month) do not match the ledger
monthly totals for 2026-11 (pair_month) do not match the ledger
daily totals for 2026-11-27 (trade_day) do not match the ledger
yearly totals for 2026 (member_year) do not match the ledger
yearly totals for 2026 (pair_year) do not match the ledger
monthly totals for 2026-11 (group_month, neighbourhood) do not match the ledger
monthly totals for 2026-11 (group_month, postcode-district) do not match the ledger"
expect_problems 10

t "tb check: an exchange's minutes and the kept balances edited together"
fresh minutes2
tamper "DROP TRIGGER exchange_append_only_update; UPDATE exchange SET minutes = 120 WHERE number = 3;
UPDATE member SET balance = balance - 75 WHERE id = 'M0001'; UPDATE member SET balance = balance + 75 WHERE id = 'M0003';"
run tb check
expect_out "exchange 3: hash chain broken (row edited outside tb)
monthly totals for 2026-11 (trade_month) do not match the ledger
monthly totals for 2026-11 (pair_month) do not match the ledger
daily totals for 2026-11-27 (trade_day) do not match the ledger
yearly totals for 2026 (member_year) do not match the ledger
yearly totals for 2026 (pair_year) do not match the ledger
monthly totals for 2026-11 (group_month, neighbourhood) do not match the ledger
monthly totals for 2026-11 (group_month, postcode-district) do not match the ledger"
expect_problems 8

t "tb check: a recipient swapped"
fresh swapped
tamper "DROP TRIGGER exchange_append_only_update; UPDATE exchange SET recipient = 'M0003', provider = 'M0002' WHERE number = 1;"
run tb check
expect_out_has "exchange 1: hash chain broken (row edited outside tb)"
expect_rc 1

t "tb check: a date moved"
fresh date
tamper "DROP TRIGGER exchange_append_only_update; UPDATE exchange SET date = '2026-11-01' WHERE number = 6;"
run tb check
# Within the month: the monthly totals are unmoved, the daily ones are not.
expect_out "exchange 6: hash chain broken (row edited outside tb)
daily totals for 2026-11-01 (trade_day) do not match the ledger
daily totals for 2026-11-22 (trade_day) do not match the ledger"
expect_problems 3

t "tb check: a note edited (no trigger stands in the way)"
fresh note
tamper "UPDATE exchange SET note = 'Shelves and a cupboard' WHERE number = 1;"
run tb check
expect_out "exchange 1: note changed outside tb (digest mismatch)"
expect_problems 1

t "tb check: an override reason edited"
fresh override
tamper "UPDATE exchange SET override_reason = 'approved' WHERE number = 6;"
run tb check
expect_out "exchange 6: note changed outside tb (digest mismatch)"
expect_problems 1

t "tb check: a note and its digest edited together"
fresh digest
tamper "DROP TRIGGER exchange_append_only_update; UPDATE exchange SET note = 'x', note_digest = lower(hex(randomblob(32))) WHERE number = 1;"
run tb check
expect_out_has "exchange 1:"
expect_out_has "hash chain broken"
expect_rc 1

t "tb check: an exchange deleted"
fresh deleted
tamper "DROP TRIGGER exchange_append_only_delete; DELETE FROM exchange WHERE number = 4;"
run tb check
expect_out_has "exchange 5: hash chain broken (row edited outside tb)"
expect_out_has "member M0002: balance is"
expect_out_has "member M0003: balance is"
expect_rc 1

t "tb check: the last exchange deleted, balances fixed up to match"
fresh deleted_last
tamper "DROP TRIGGER exchange_append_only_delete; DELETE FROM exchange WHERE number = 6;
UPDATE member SET balance = balance + 60 WHERE id = 'M0001'; UPDATE member SET balance = balance - 60 WHERE id = 'M0002';"
run tb check
# The chain's head is kept apart from the rows, and the monthly totals
# remember the newest exchange they hold: removing the tail is found.
expect_out "exchanges: the newest rows were removed or replaced outside tb (chain head does not match)
monthly totals: they hold exchanges up to number 6, but the last is 5
monthly totals for 2026-11 (trade_month) do not match the ledger
monthly totals for 2026-11 (member_month) do not match the ledger
monthly totals for 2026-11 (pair_month) do not match the ledger
daily totals for 2026-11-22 (trade_day) do not match the ledger
yearly totals for 2026 (member_year) do not match the ledger
yearly totals for 2026 (pair_year) do not match the ledger
monthly totals for 2026-11 (group_month, neighbourhood) do not match the ledger
monthly totals for 2026-11 (group_month, postcode-district) do not match the ledger"
expect_problems 10
# The quick check reads the newest rows and the kept figures alone.
run tb check --quick
expect_out "exchanges: the newest rows were removed or replaced outside tb (chain head does not match)
monthly totals: they hold exchanges up to number 6, but the last is 5"
expect_problems 2

t "tb check: a member's kept last trade and a member_year row edited, one line each; --rebuild-totals mends them"
fresh kept_state
# Exchange 2 (M0002 to M0003 on the 21st) is voided; 3 and 4 are dated today.
tamper "UPDATE member SET last_trade = '2026-11-21' WHERE id = 'M0002'; UPDATE member SET last_trade = NULL WHERE id = 'M0003';
UPDATE member_year SET trades = trades + 1 WHERE year = 2026 AND member = 'M0001';"
run tb check
expect_out "yearly totals for 2026 (member_year) do not match the ledger
member M0002: last trade is 2026-11-21, but the ledger gives 2026-11-27
member M0003: last trade is none, but the ledger gives 2026-11-27"
expect_problems 3
run tb check --quick
expect_rc 0
run tb check --rebuild-totals
expect_rc 0
expect_out_empty
expect_sql "SELECT id, last_trade FROM member WHERE kind <> 'pot' ORDER BY id" "M0001|2026-11-27
M0002|2026-11-27
M0003|2026-11-27"
expect_sql "SELECT year, member, trades FROM member_year ORDER BY member" "2026|M0001|3
2026|M0002|3
2026|M0003|2"
run tb check
expect_rc 0
expect_out_empty

t "tb check: the last opening balance deleted, balances and the recorded total fixed up to match"
fresh deleted_last_opening
tamper "DROP TRIGGER opening_append_only_delete; DELETE FROM opening WHERE number = 2;
UPDATE member SET balance = balance - 120, opening = opening - 120 WHERE id = 'M0002';
UPDATE meta SET value = CAST(value AS INTEGER) - 120 WHERE key = 'opening_total';"
run tb check
# Only the head kept apart from the rows remembers the removed tail.
expect_out "opening balances: the newest rows were removed or replaced outside tb (chain head does not match)"
expect_problems 1
run tb check --quick
expect_out "opening balances: the newest rows were removed or replaced outside tb (chain head does not match)"
expect_problems 1

t "tb check: a void pointing nowhere"
fresh void_nowhere
tamper "DROP TRIGGER exchange_append_only_update; UPDATE exchange SET reverses = 99 WHERE number = 5;"
run tb check
expect_rc 1
expect_out_has "exchange 5: voids exchange 99, which does not exist"
expect_out_has "foreign key: exchange row 5 points at a missing exchange"
expect_out_has "exchange 5: hash chain broken (row edited outside tb)"

t "tb check: a void inserted pointing nowhere, with foreign keys off"
fresh void_inserted
tamper "PRAGMA foreign_keys = OFF;
INSERT INTO exchange (number, date, provider, recipient, minutes, category, note, reverses, recorded_at, recorded_by,
  fingerprint, salt, note_digest, hash)
SELECT 7, date, recipient, provider, minutes, category, '', 42, recorded_at, recorded_by, fingerprint, NULL, note_digest, hash
FROM exchange WHERE number = 6;"
run tb check
expect_rc 1
expect_out_has "exchange 7: voids exchange 42, which does not exist"
expect_out_has "exchange 7: hash chain broken (row edited outside tb)"
expect_out_has "member M0001: balance is"

t "tb check: a void that does not reverse its exchange exactly"
fresh void_wrong
tamper "DROP TRIGGER exchange_append_only_update; UPDATE exchange SET reverses = 1 WHERE number = 5;"
run tb check
expect_rc 1
expect_out_has "exchange 5: does not reverse exchange 1 exactly"

t "tb check: balances not summing to zero"
fresh balances
tamper "UPDATE member SET balance = balance + 5 WHERE id = 'M0001';"
run tb check
expect_out "member M0001: balance is -3.17 hours, but the ledger gives -3.25
balances without opening balances sum to 0.08 hours, not zero"
expect_problems 2

t "tb check: an opening balance edited"
fresh opening
tamper "UPDATE opening SET minutes = -60 WHERE number = 1;"
run tb check
expect_rc 1
expect_out_has "opening balance 1: hash chain broken (row edited outside tb)"
expect_out_has "opening balances sum to 1.00 hours, but -1.00 hours were recorded"
expect_out_has "member M0001: balance is"

t "tb check: an opening balance's note edited"
fresh opening_note
tamper "UPDATE opening SET note = 'edited' WHERE number = 1;"
run tb check
expect_out "opening balance 1: note changed outside tb (digest mismatch)"
expect_problems 1

t "tb check: a row pointing at a member that is not there"
fresh fk
tamper "PRAGMA foreign_keys = OFF; INSERT INTO member_tag (member, tag) VALUES ('M0099', 'ghost');"
run tb check
expect_out "foreign key: member_tag row 1 points at a missing member"
expect_problems 1

t "tb check: a corrupt file"
fresh corrupt
size=$(stat -c %s "$TIMEBANK_DB")
head -c 8192 /dev/zero | tr '\0' 'X' | dd of="$TIMEBANK_DB" bs=1 seek=$((size / 2)) conv=notrunc status=none
run tb check
if [ "$RC" -ne 0 ]; then ok; else fail "tb check passed a corrupt store"; fi
expect_err_has "tb: error:"
if [ -n "$ERR$OUT" ]; then ok; else fail "no message"; fi

t "tb check: not a store at all"
export TIMEBANK_DB="$WORK/notes.txt"
printf 'shopping list\n' > "$TIMEBANK_DB"
run tb check
expect_rc 1
expect_err_has "tb: error:"
if [ "$(cat "$TIMEBANK_DB")" = "shopping list" ]; then ok; else fail "the file was changed"; fi

t "the template itself is still healthy"
export TIMEBANK_DB="$WORK/template.db"
run tb check
expect_rc 0
expect_out_empty

# --- two writers at once ------------------------------------------------------
t "two processes writing at once both succeed"
export TIMEBANK_DB="$WORK/busy.db"
tb init >/dev/null
tb-member add "Giver" --max-balance none >/dev/null
tb-member add "Taker" --min-balance none >/dev/null
(
  for i in $(seq 1 50); do
    if tb-member add "Member $i" --offers "skill $i" >/dev/null 2>>"$WORK/adds.err"; then echo ok; fi
  done
) > "$WORK/adds.ok" &
p1=$!
(
  for i in $(seq 1 50); do
    if tb-exchange record --provider M0001 --recipient M0002 --hours 0:$(printf '%02d' $((i % 59 + 1))) \
      >/dev/null 2>>"$WORK/records.err"; then echo ok; fi
  done
) > "$WORK/records.ok" &
p2=$!
(
  for i in $(seq 1 20); do
    if tb-exchange balance M0001 >/dev/null 2>>"$WORK/reads.err"; then echo ok; fi
  done
) > "$WORK/reads.ok" &
p3=$!
wait "$p1" "$p2" "$p3"
[ "$(wc -l < "$WORK/adds.ok")" -eq 50 ] && ok || fail "only $(wc -l < "$WORK/adds.ok") of 50 adds succeeded: $(head -3 "$WORK/adds.err")"
[ "$(wc -l < "$WORK/records.ok")" -eq 50 ] && ok || fail "only $(wc -l < "$WORK/records.ok") of 50 records succeeded: $(head -3 "$WORK/records.err")"
[ "$(wc -l < "$WORK/reads.ok")" -eq 20 ] && ok || fail "only $(wc -l < "$WORK/reads.ok") of 20 reads succeeded: $(head -3 "$WORK/reads.err")"
expect_sql "SELECT count(*), count(DISTINCT id) FROM member WHERE kind <> 'pot'" "52|52"
expect_sql "SELECT count(*), max(number) FROM exchange" "50|50"
want=0; for i in $(seq 1 50); do want=$((want + i % 59 + 1)); done
expect_sql "SELECT sum(minutes) FROM exchange" "$want"
expect_sql "SELECT count(*) FROM audit" "$((1 + 2 + 50 + 50))"
run tb check
expect_rc 0
expect_out_empty
expect_err_empty

# --- the file stays private ---------------------------------------------------
t "store files are mode 0600, also after writes"
for f in "$TIMEBANK_DB" "$TIMEBANK_DB-wal" "$TIMEBANK_DB-shm"; do
  if [ -e "$f" ]; then
    [ "$(stat -c %a "$f")" = 600 ] && ok || fail "$f has mode $(stat -c %a "$f")"
  fi
done
export TIMEBANK_DB="$WORK/private.db"
(umask 022; tb init >/dev/null; tb-member add "Ann" >/dev/null; tb-member add "Bob" >/dev/null;
 tb-exchange record --provider M0001 --recipient M0002 --hours 1 >/dev/null; tb-member edit M0001 --set phone=1 >/dev/null)
for f in "$TIMEBANK_DB" "$TIMEBANK_DB-wal" "$TIMEBANK_DB-shm"; do
  if [ -e "$f" ]; then
    [ "$(stat -c %a "$f")" = 600 ] && ok || fail "$f has mode $(stat -c %a "$f") under umask 022"
  fi
done
run tb backup "$WORK/backup.db"
expect_rc 0
[ "$(stat -c %a "$WORK/backup.db")" = 600 ] && ok || fail "the backup has mode $(stat -c %a "$WORK/backup.db")"
run tb check --db "$WORK/backup.db"
expect_rc 0
expect_out_empty

finish
