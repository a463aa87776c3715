#!/usr/bin/env bash
# Imports and exports: the files a volunteer would really have, all or
# nothing, idempotent, dry runs, and export -> import round trips.
source "$(dirname "$0")/lib.sh"
EX="$TB_SRC/examples"
FX="$TB_SRC/tests/fixtures"

t "Excel export of members: BOM, CRLF, UK dates, First name + Surname, accents"
run tb init
run tb-member import "$EX/members.csv" --mapping "$EX/mapping-members.toml" --dry-run
expect_rc 0; expect_out "would be: 12 added, 0 updated, 0 unchanged"
expect_sql "SELECT count(*) FROM member WHERE kind <> 'pot'" "0"
run tb-member import "$EX/members.csv" --mapping "$EX/mapping-members.toml"
expect_rc 0; expect_out "12 added, 0 updated, 0 unchanged"; expect_err_empty
expect_sql "SELECT name, kind, joined, neighbourhood FROM member WHERE id = 'NT003'" "Zoë Ñúñez-Smith|person|2025-04-01|Burley"
expect_sql "SELECT kind FROM member WHERE id = 'NT011'" "organisation"
expect_sql "SELECT group_concat(skill, ';') FROM (SELECT skill FROM member_skill WHERE member = 'NT005' AND direction = 'offers' ORDER BY rowid)" "diy;putting up shelves;lifts to appointments"

t "re-importing the same members changes nothing"
before=$(store_digest)
run tb-member import "$EX/members.csv" --mapping "$EX/mapping-members.toml"
expect_rc 0; expect_out "0 added, 0 updated, 12 unchanged"

t "exchange log import, then again: 0 added"
run tb-exchange import "$EX/exchanges.csv" --mapping "$EX/mapping-exchanges.toml" --dry-run
expect_rc 0; expect_out "would be: 40 added, 0 updated, 0 unchanged"
expect_sql "SELECT count(*) FROM exchange" "0"
run tb-exchange import "$EX/exchanges.csv" --mapping "$EX/mapping-exchanges.toml"
expect_rc 0; expect_out "40 added, 0 updated, 0 unchanged"
before=$(store_digest)
run tb-exchange import "$EX/exchanges.csv" --mapping "$EX/mapping-exchanges.toml"
expect_rc 0; expect_out "0 added, 0 updated, 40 unchanged"
[ "$(store_digest)" = "$before" ] && ok || fail "re-import changed the store"
run tb check
expect_rc 0; expect_out_empty
# Hours traded equal the sum of the file's hours, to the minute.
expect_sql "SELECT sum(minutes) FROM exchange" "$(python3 - "$EX/exchanges.csv" <<'PY'
import csv, sys, re
total = 0
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")):
    h = row["Hours"]
    if ":" in h: a, b = h.split(":"); total += int(a) * 60 + int(b)
    elif h.endswith("m"): total += int(h[:-1])
    else: total += round(float(h) * 60)
print(total)
PY
)"

t "UK dates without a mapping: every row reported with a hint, nothing written"
before=$(store_digest)
run tb --db other.db init
run tb-exchange --db other.db import "$EX/exchanges.csv"
expect_rc 3
expect_err_has "exchanges.csv:2: Date: '03/09/2026' is not a date in the format YYYY-MM-DD"
expect_err_has 'date_format = "%d/%m/%Y"'
expect_err_has "exchanges.csv:41: Date:"
expect_err_has "tb-exchange: rejected: 40 bad rows in"

t "a file with several bad rows: all reported, store unchanged"
cat > bad.csv <<'CSV'
date,provider,recipient,hours,category,note
2026-11-01,NT001,NT002,1.5,Gardening,fine
2026-11-02,NT001,NOBODY,1,Gardening,unknown member
2026-11-03,NT001,NT002,abc,Gardening,bad hours
2026-11-04,NT001,NT001,1,Gardening,self
2026-13-01,NT001,NT002,1,Gardening,bad date
2027-01-01,NT001,NT002,1,Gardening,future
2026-11-05,NT001,NT002,25,Gardening,too long
2026-11-06,NT001,NT002,1.333,Gardening,not whole minutes
CSV
before=$(store_digest)
run tb-exchange import bad.csv
expect_rc 3
expect_err_has "bad.csv:3: recipient: no member 'NOBODY'"
expect_err_has "bad.csv:4: hours: 'abc' is not a duration"
expect_err_has "bad.csv:5: recipient: NT001 cannot exchange with themselves"
expect_err_has "bad.csv:6: date: '2026-13-01' is not a date"
expect_err_has "bad.csv:7: date: date 2027-01-01 is in the future"
expect_err_has "bad.csv:8: hours: 25.00 hours is more than the limit of 24.00 hours per exchange"
expect_err_has "bad.csv:9: hours: '1.333' hours is not a whole number of minutes"
expect_err_has "7 bad rows in bad.csv; nothing was imported"
[ "$(store_digest)" = "$before" ] && ok || fail "a rejected import changed the store"

t "unknown column is an error unless mapped to ignore"
printf 'date,provider,recipient,hours,Colour\n2026-11-01,NT001,NT002,1,red\n' > extra.csv
run tb-exchange import extra.csv
expect_rc 3; expect_err_has "extra.csv:1: Colour: unknown column"
printf 'ignore = ["colour"]\n' > ign.toml
run tb-exchange import extra.csv --mapping ign.toml --dry-run
expect_rc 0; expect_out "would be: 1 added, 0 updated, 0 unchanged"

t "a ';' export with decimal commas, from stdin, with constants"
printf 'Datum;Gever;Ontvanger;Uren\n01/11/2026;NT003;NT004;1,5\n02/11/2026;NT003;NT004;0,25\n' > semi.csv
cat > semi.toml <<'TOML'
date_format = "%d/%m/%Y"
decimal_mark = ","
date = ["Datum"]
provider = ["Gever"]
recipient = ["Ontvanger"]
hours = ["Uren"]
[constants]
category = "Computers & IT"
TOML
OUT=$(tb-exchange import - --mapping semi.toml < semi.csv 2>&1); RC=$?; LAST="import - < semi.csv"
expect_rc 0; expect_out "2 added, 0 updated, 0 unchanged"
expect_sql "SELECT minutes, category FROM exchange WHERE provider = 'NT003' AND recipient = 'NT004' ORDER BY number" "90|Computers & IT
15|Computers & IT"

t "hours with a decimal comma and no decimal_mark: the problem suggests it"
grep -v decimal_mark semi.toml > semi-nomark.toml
run tb-exchange import semi.csv --mapping semi-nomark.toml
expect_rc 3
expect_err_has "semi.csv:2: Uren: '1,5' is not a duration"
expect_err_has 'set decimal_mark = "," in a --mapping file'

t "identical rows in one file are distinct exchanges; the n-th matches the n-th"
printf 'date,provider,recipient,hours\n2026-11-10,NT007,NT008,1\n2026-11-10,NT007,NT008,1\n' > twice.csv
run tb-exchange import twice.csv
expect_out "2 added, 0 updated, 0 unchanged"
printf 'date,provider,recipient,hours\n2026-11-10,NT007,NT008,1\n2026-11-10,NT007,NT008,1\n2026-11-10,NT007,NT008,1\n' > thrice.csv
run tb-exchange import thrice.csv
expect_out "1 added, 0 updated, 2 unchanged"

t "policy applied in date order: a row that would break min_balance is rejected"
printf 'date,provider,recipient,hours\n2026-11-20,NT001,NT009,20\n2026-11-12,NT001,NT009,4\n' > limit.csv
run tb-exchange import limit.csv
expect_rc 3; expect_err_has "limit.csv:2: recipient: NT009 would reach"

t "members: duplicate id and email in one file, bad email: all reported"
printf 'id,name,email\nA1,Ann,ann@example.org\nA1,Bob,bob@example.org\nA3,Cy,ann@example.org\nA4,Di,not-an-email\nA5,,e@example.org\n' > m.csv
run tb-member import m.csv
expect_rc 3
expect_err_has "m.csv:3: id: A1 appears twice (first on line 2)"
expect_err_has "m.csv:4: email: ann@example.org appears twice (first on line 2)"
expect_err_has "m.csv:5: email: 'not-an-email' is not an email address"
expect_err_has "m.csv:6: name: a member needs a name"

t "members --update changes members that differ; without it they are counted"
printf 'Membership No,Area\nNT001,Headingley\n' > upd.csv
run tb-member import upd.csv
expect_rc 0; expect_out "0 added, 0 updated, 0 unchanged, 1 differ (use --update to change them)"
expect_sql "SELECT neighbourhood FROM member WHERE id = 'NT001'" "Hyde Park"
run tb-member import upd.csv --update
expect_out "0 added, 1 updated, 0 unchanged"
expect_sql "SELECT neighbourhood FROM member WHERE id = 'NT001'" "Headingley"

t "members --update with a new kind moves their trades in the monthly totals"
pairs="SELECT pair || ':' || sum(exchanges) FROM trade_month GROUP BY pair ORDER BY pair"
before_pairs=$(sqlite3 -readonly "$TIMEBANK_DB" "$pairs")
printf 'Membership No,Type\nNT011,person\nNT002,organisation\n' > kinds.csv
run tb-member import kinds.csv --update
expect_out "0 added, 2 updated, 0 unchanged"
expect_sql "SELECT group_concat(kind, ',') FROM (SELECT kind FROM member WHERE id IN ('NT002', 'NT011') ORDER BY id)" \
  "organisation,person"
if [ "$(sqlite3 -readonly "$TIMEBANK_DB" "$pairs")" != "$before_pairs" ]; then ok; else fail "the pairs did not move"; fi
run tb check
expect_rc 0; expect_out_empty
printf 'Membership No,Type\nNT011,organisation\nNT002,person\n' > kinds.csv
run tb-member import kinds.csv --update
expect_out "0 added, 2 updated, 0 unchanged"
expect_sql "$pairs" "$before_pairs"

t ".xlsx and .ods: shared strings, date serials, numbers, sheets, accents"
printf 'date_format = "%%d/%%m/%%Y"\nopening = ["Hours owed"]\n' > sheet.toml
tb --db x.db init >/dev/null; tb --db o.db init >/dev/null
run tb-member --db x.db import "$FX/members.xlsx" --mapping sheet.toml
expect_rc 0; expect_out "3 added, 0 updated, 0 unchanged"
run tb-member --db x.db export
expect_out_has "X001,Zoë Ñúñez,person,active,zoe@example.org,,,,2023-03-15,gardening;befriending"
expect_out_has "X002,Łukasz Wójcik,person,active,lukasz@example.org,,,,2024-03-15,,,,,,1.50,,,1.50"
run tb-member --db o.db import "$FX/members.ods" --mapping sheet.toml
expect_rc 0; expect_out "3 added, 0 updated, 0 unchanged"
run tb-member --db o.db export
expect_out_has "X003,Ann O'Neill,person,active,,,,,2025-01-01,computer help"
run tb-member --db x.db import "$FX/members.xlsx" --sheet Nope
expect_rc 2; expect_err_has 'no sheet named "Nope"'

t "a misspelt field in a mapping file is a configuration error (exit 2)"
printf 'nmae = ["Full name"]\n' > typo.toml
run tb-member import "$EX/members.csv" --mapping typo.toml
expect_rc 2; expect_err_has "typo.toml:1: nmae: unknown key"

t "export -> import into a new store: same members, balances and exchanges"
run tb-exchange void 1 --reason "recorded twice"
run tb-exchange opening --member NT002 --hours -2.5
# History that today's rules would refuse: an old exchange past a limit, and
# members who have since left or been forgotten: imported with --history.
run tb-exchange record --provider NT010 --recipient NT012 --hours 20 --date 2025-06-01 --override "moved in late"
expect_rc 0
run tb-member deactivate NT010
run tb-member forget NT006 --reason "asked to leave" --yes
tb-member export > members-out.csv
tb-exchange export > exchanges-out.csv
run tb --db copy.db init
run tb-member --db copy.db import members-out.csv
expect_rc 0; expect_out "12 added, 0 updated, 0 unchanged"
run tb-exchange --db copy.db --today "$(date -u +%F)" import exchanges-out.csv --history "restored from the export"
expect_rc 0
run tb-exchange balance --format csv; orig=$OUT
run tb-exchange --db copy.db balance --format csv
expect_out "$orig"
run tb-exchange list --format csv; orig=$(printf '%s' "$OUT" | cut -d, -f2-9)
run tb-exchange --db copy.db list --format csv
[ "$(printf '%s' "$OUT" | cut -d, -f2-9)" = "$orig" ] && ok || fail "exchange lists differ after the round trip"
run tb --db copy.db check
expect_rc 0; expect_out_empty
run tb-exchange --db copy.db --today "$(date -u +%F)" import exchanges-out.csv --history "restored from the export"
expect_out_has "0 added"

t "a forgotten member stays forgotten: an import cannot bring their data back"
printf 'id,name,email\nNT006,Siobhán Murphy,siobhan.murphy@example.org\n' > back.csv
run tb-member import back.csv --update
expect_rc 3; expect_err_has "back.csv:2: id: member NT006 has been forgotten; their row cannot change"
expect_sql "SELECT name, coalesce(email, '') FROM member WHERE id = 'NT006'" "forgotten-NT006|"
printf 'id,name,status\nZZ1,Zed,forgotten\n' > fake.csv
run tb-member import fake.csv
expect_rc 3; expect_err_has "fake.csv:2: status: forgotten is set only by tb-member forget"

t "into an empty ledger: a file out of date order is recorded in date order"
run tb --db order.db init
printf 'id,name\nOA,Ann\nOB,Bob\n' > om.csv
run tb-member --db order.db import om.csv
printf 'date,provider,recipient,hours\n2026-11-05,OA,OB,1\n2026-11-01,OB,OA,2\n2026-11-03,OA,OB,3\n' > unordered.csv
run tb-exchange --db order.db import unordered.csv
expect_rc 0; expect_out "3 added, 0 updated, 0 unchanged"
TIMEBANK_DB=order.db expect_sql "SELECT group_concat(number || ':' || date || ':' || minutes, ' ') FROM (SELECT * FROM exchange ORDER BY number)" \
  "1:2026-11-01:120 2:2026-11-03:180 3:2026-11-05:60"
run tb --db order.db check
expect_rc 0

t "two voids of one exchange in a file: the second is reported by line, nothing written"
run tb --db voids.db init
run tb-member --db voids.db import om.csv
printf 'number,date,provider,recipient,hours,reverses\n1,2026-11-01,OA,OB,1,\n2,2026-11-02,OB,OA,1,1\n3,2026-11-03,OB,OA,1,1\n' > twovoids.csv
run tb-exchange --db voids.db import twovoids.csv
expect_rc 3; expect_err_has "twovoids.csv:4: reverses: exchange 1 is already voided on line 3"
TIMEBANK_DB=voids.db expect_sql "SELECT count(*) FROM exchange" "0"

t "a void in a file must reverse its exchange exactly, and point at one row only"
printf 'number,date,provider,recipient,hours,reverses\n1,2026-11-01,OA,OB,1,\n2,2026-11-03,OA,OB,2,1\n' > badvoid.csv
run tb-exchange --db voids.db import badvoid.csv
expect_rc 3; expect_err_has "badvoid.csv:3: reverses: does not reverse exchange 1 (line 2: OA to OB, 1.00 hours)"
printf 'number,date,provider,recipient,hours,reverses\n1,2026-11-01,OA,OB,1,\n1,2026-11-02,OB,OA,2,\n2,2026-11-03,OB,OA,1,1\n' > dupnumber.csv
run tb-exchange --db voids.db import dupnumber.csv
expect_rc 3; expect_err_has "dupnumber.csv:3: number: exchange 1 is also on line 2, and a void refers to it"
TIMEBANK_DB=voids.db expect_sql "SELECT count(*) FROM exchange" "0"
printf 'No,date,provider,recipient,hours\n1,2026-11-01,OA,OB,1\n1,2026-11-02,OB,OA,2\n' > renumbered.csv
run tb-exchange --db voids.db import renumbered.csv --dry-run
expect_rc 0; expect_out "would be: 2 added, 0 updated, 0 unchanged"

t "export -> import: 80 minutes exported as 1.33 hours come back as 80 minutes"
run tb --db thirds.db init
run tb-member --db thirds.db import om.csv
run tb-exchange --db thirds.db record --provider OA --recipient OB --hours 1:20 --date 2026-11-01
run tb-exchange --db thirds.db export
printf '%s\n' "$OUT" > thirds.csv
expect_out_has ",OA,OB,1.33,80,"
run tb --db thirds2.db init
run tb-member --db thirds2.db import om.csv
run tb-exchange --db thirds2.db import thirds.csv
expect_rc 0; expect_out "1 added, 0 updated, 0 unchanged"
TIMEBANK_DB=thirds2.db expect_sql "SELECT minutes FROM exchange" "80"
run tb-exchange --db thirds2.db import thirds.csv
expect_rc 0; expect_out "0 added, 0 updated, 1 unchanged"
printf 'date,provider,recipient,hours,minutes\n2026-11-02,OA,OB,1.5,80\n2026-11-02,OA,OB,,1.5\n' > disagree.csv
run tb-exchange --db thirds2.db import disagree.csv
expect_rc 3
expect_err_has "disagree.csv:2: minutes: 80 minutes does not agree with 1.5 hours"
expect_err_has "disagree.csv:3: minutes: '1.5' is not a whole number of minutes"

t "members with decimal_mark = \",\": balance limits and opening read with the decimal comma"
run tb --db comma.db init
printf 'decimal_mark = ","\n' > comma.toml
printf 'id;name;min balance;max balance;opening\nC1;Cy;-10,5;0,00;2,5\nC2;Di;0,0;none;0,00\n' > comma.csv
run tb-member --db comma.db import comma.csv --mapping comma.toml
expect_rc 0; expect_out "2 added, 0 updated, 0 unchanged"
run tb-member --db comma.db export
expect_out_has "C1,Cy,person,active,,,,,2026-11-27,,,,,,2.50,-10.50,0.00,2.50"
expect_out_has "C2,Di,person,active,,,,,2026-11-27,,,,,,0.00,0.00,none,0.00"

t "members: a generated ID never takes an ID that a later row of the file names"
run tb --db gen.db init
printf 'id,name\n,Ann\nM0001,Bob\n' > gen.csv
run tb-member --db gen.db import gen.csv --dry-run
expect_rc 0; expect_out "would be: 2 added, 0 updated, 0 unchanged"
run tb-member --db gen.db import gen.csv
expect_rc 0; expect_out "2 added, 0 updated, 0 unchanged"
TIMEBANK_DB=gen.db expect_sql "SELECT group_concat(id || '=' || name, ' ') FROM (SELECT * FROM member WHERE kind <> 'pot' ORDER BY id)" "M0001=Bob M0002=Ann"
run tb-member --db gen.db import gen.csv
expect_rc 0; expect_out "0 added, 0 updated, 2 unchanged"
printf 'id,name\nG1,Cy\n,Cy\n' > samename.csv
run tb-member --db gen.db import samename.csv --dry-run
expect_rc 0; expect_out "would be: 2 added, 0 updated, 0 unchanged"
run tb-member --db gen.db import samename.csv
expect_rc 0; expect_out "2 added, 0 updated, 0 unchanged"

t "a Google Forms sheet's Timestamp column does not exempt its rows from the policy"
printf 'Timestamp,Date,Given by,Received by,Hours\n27/11/2026 10:01:02,2027-01-01,NT003,NT004,1\n27/11/2026 10:02:03,2020-11-01,NT003,NT004,1\n' > form.csv
before=$(store_digest)
run tb-exchange import form.csv
expect_rc 3
expect_err_has "form.csv:2: Date: date 2027-01-01 is in the future"
expect_err_has "form.csv:3: Date: date 2020-11-01 is"
[ "$(store_digest)" = "$before" ] && ok || fail "a rejected import changed the store"

t "a note with spaces at its ends: its own export imported again adds nothing"
run tb --db spaces.db init
run tb-member --db spaces.db import om.csv
run tb-member --db spaces.db edit OA --note " spaced note "
run tb-exchange --db spaces.db record --provider OA --recipient OB --hours 1 --date 2026-11-02 --note " padded "
TIMEBANK_DB=spaces.db tb-member export > spaces-m.csv
TIMEBANK_DB=spaces.db tb-exchange export > spaces-x.csv
run tb-member --db spaces.db import spaces-m.csv
expect_rc 0; expect_out "0 added, 0 updated, 2 unchanged"
run tb-exchange --db spaces.db import spaces-x.csv
expect_rc 0; expect_out "0 added, 0 updated, 1 unchanged"
TIMEBANK_DB=spaces.db expect_sql "SELECT count(*) FROM exchange" "1"

t "date_format: a date-time column is read with %H:%M; a conversion we cannot read is exit 2"
printf 'Date,Given by,Received by,Hours\n03/11/2026 10:15,NT003,NT004,1\n' > datetime.csv
printf 'date_format = "%%d/%%m/%%Y %%H:%%M"\n' > datetime.toml
run tb-exchange import datetime.csv --mapping datetime.toml --dry-run
expect_rc 0; expect_out "would be: 1 added, 0 updated, 0 unchanged"
printf 'date_format = "%%d/%%m/%%Y %%I:%%M %%p"\n' > ampm.toml
run tb-exchange import datetime.csv --mapping ampm.toml --dry-run
expect_rc 2; expect_err_has "ampm.toml:1: date_format: %I is not supported"

t "a row of cells holding only spaces is an empty row"
printf 'date,provider,recipient,hours\n2026-11-21,NT003,NT004,1\n , , , \n\t,\n' > blankish.csv
run tb-exchange import blankish.csv --dry-run
expect_rc 0; expect_out "would be: 1 added, 0 updated, 0 unchanged"
printf 'id,name\nW1,Wyn\n  ,  \n' > blankish-m.csv
run tb-member import blankish-m.csv --dry-run
expect_rc 0; expect_out "would be: 1 added, 0 updated, 0 unchanged"


t "a bank moving in from a pipe: a later bad row is reported as it is, not an empty file"
# Into an empty ledger a regular file is checked as it is written, and read
# again the staged way at its first problem; a pipe cannot be read again,
# so it is always staged.
run tb --db moving.db init
run tb-member --db moving.db import "$EX/members.csv" --mapping "$EX/mapping-members.toml"
printf 'date,provider,recipient,hours\n2026-11-20,NT003,NT004,1\n2026-11-21,NT004,Nobody,1\n' > moving.csv
run tb-exchange --db moving.db import moving.csv
expect_rc 3; expect_err_has "moving.csv:3: recipient: no member 'Nobody'"
for how in stdin fifo; do
  if [ $how = stdin ]; then run_in "$(cat moving.csv)" tb-exchange --db moving.db import -
  else
    rm -f fifo.csv; mkfifo fifo.csv
    (cat moving.csv > fifo.csv &)
    run timeout 20 tb-exchange --db moving.db import fifo.csv
  fi
  expect_rc 3; expect_err_has ":3: recipient: no member 'Nobody'"; expect_err_lacks "no header row"
done
[ "$(sqlite3 moving.db 'SELECT count(*) FROM exchange')" = 0 ] && ok || fail "a rejected import wrote rows"
printf '2026-11-22,NT004,NT003,1\n' >> moving.csv
sed -i '/Nobody/d' moving.csv
run tb-exchange --db moving.db import moving.csv
expect_rc 0; expect_out "2 added, 0 updated, 0 unchanged"; expect_err_empty
run tb --db moving.db check
expect_rc 0

finish
