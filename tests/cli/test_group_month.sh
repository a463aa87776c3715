#!/usr/bin/env bash
# The monthly totals per group (group_month) that summary --by reads: kept
# through every change of a member's groups (tb-member edit, import --update,
# forget), guarded by tb check, mended by tb check --rebuild-totals.
source "$(dirname "$0")/lib.sh"

tb init >/dev/null
tb-member add "Ann Lee" --id ann --tag carer --tag "Ward 3" --neighbourhood Newsome --postcode "HD1 4QX" --joined 2025-01-10 >/dev/null
tb-member add "Bob Marsh" --id bob --tag carer --neighbourhood "newsome " --postcode hd14ab --joined 2025-01-10 >/dev/null
tb-member add "Zoe Hart" --id zoe --tag ward3 --neighbourhood Lockwood --joined 2025-01-10 >/dev/null
tb-member add "Rosewood Care Home" --id home --kind organisation --joined 2024-05-01 >/dev/null
rec() { tb-exchange record --provider "$1" --recipient "$2" --hours "$3" --date "$4" --category "$5" >/dev/null; }
rec ann bob 1 2026-10-05 Gardening
rec bob zoe 0.5 2026-10-06 Gardening
rec zoe home 0.25 2026-10-07 Household
rec home ann 1.5 2026-11-02 Household
voided=$(tb-exchange record --provider ann --recipient zoe --hours 2 --date 2025-12-30 --category Gardening)
tb-exchange void "$voided" --reason "a year later" >/dev/null

t "every change of a member's groups keeps the totals per group exact"
tb-member edit bob --tag driver --tag "WARD 3" >/dev/null
tb-member edit zoe --neighbourhood "Newsome" --postcode "HD2 1AA" >/dev/null
tb-member edit home --kind person >/dev/null
printf 'id,name,neighbourhood,tags\nann,Ann Lee,Lockwood,carer\n' > upd.csv
run tb-member import upd.csv --update
expect_rc 0
expect_out "0 added, 1 updated, 0 unchanged"
run tb-member forget zoe --reason "asked" --yes
expect_rc 0
run tb check
expect_rc 0
expect_out_empty
expect_sql "SELECT month || ' ' || group_key || ' ' || category || ' ' || exchanges || ' ' || minutes FROM group_month WHERE grouping = 'tag' ORDER BY month, group_key, category" "2026-10 carer Gardening 1 60
2026-10 driver Gardening 2 90
2026-10 ward3 Gardening 2 90
2026-11 carer Household 1 90"

t "summary --by reads the totals per group: a full scan gives the same"
tb backup "$WORK/scan.db"
sqlite3 "$WORK/scan.db" "DELETE FROM meta WHERE key = 'rollup_upto';"
for by in tag neighbourhood postcode-district kind; do
  for p in 2026 2026-10 2026-10-02..2026-11-30; do
    a=$(tb-report summary --by $by --period "$p" --format json --today 2026-11-27 2>&1)
    b=$(TIMEBANK_DB="$WORK/scan.db" tb-report summary --by $by --period "$p" --format json --today 2026-11-27 2>&1)
    if [ "$a" = "$b" ]; then ok; else fail "summary --by $by --period $p: from the totals
$a
from the exchanges
$b"; fi
  done
done

t "tb check reports a group total edited behind tb's back, and --rebuild-totals mends it"
sqlite3 "$TIMEBANK_DB" "UPDATE group_month SET minutes = minutes + 60 WHERE grouping = 'tag' AND month = '2026-10' AND group_key = 'driver';"
run tb-report summary --by tag --period 2026-10 --format csv --today 2026-11-27
expect_out_has "driver,hours,,2.50,"
run tb check
expect_rc 1
expect_out "monthly totals for 2026-10 (group_month, tag) do not match the ledger"
expect_err_has "1 problem found in $TIMEBANK_DB"
run tb check --rebuild-totals
expect_rc 0
expect_out_empty
run tb check
expect_rc 0
expect_out_empty
run tb-report summary --by tag --period 2026-10 --format csv --today 2026-11-27
expect_out_has "driver,hours,,1.50,"

finish
