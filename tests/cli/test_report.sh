#!/usr/bin/env bash
# tb-report on a store built with tb-member and tb-exchange: every report in
# every format parses, the figures agree with the ledger (tb-exchange list,
# balance), voids cancel, opening balances are balances but not trade, the
# weekly report lists what it should, and no report ever writes.
source "$(dirname "$0")/lib.sh"

REPORTS="summary weekly balances activity members categories network social-value"
DATA_REPORTS="summary balances activity members categories network social-value"

# --- a missing store -----------------------------------------------------------
for r in $REPORTS; do
  t "$r on a missing store"
  run tb-report "$r"
  expect_rc 1
  expect_err "tb-report: error: no store at $TIMEBANK_DB (create one with: tb init, or name one with --db)"
  if [ -e "$TIMEBANK_DB" ]; then fail "tb-report $r created the store"; else ok; fi
done

# --- the bank -------------------------------------------------------------------
cat >"$WORK/timebank.toml" <<'EOF'
[timebank]
name = "Newsome <Timebank>"
[policy]
warn_below = -2
[report]
inactive_days = 60
value_per_hour = 12.5
currency = "GBP"
EOF
export TIMEBANK_CONFIG="$WORK/timebank.toml"
tb init >/dev/null
tb-member add "Ann Lee" --id ann --tag carer --neighbourhood Newsome --joined 2025-01-10 >/dev/null
tb-member add "Bob Marsh" --id bob --tag carer --tag ward-3 --neighbourhood Lockwood --joined 2026-11-18 >/dev/null
tb-member add "Café Sól" --id cafe --kind organisation --neighbourhood Newsome --joined 2024-05-01 >/dev/null
tb-member add "Rosewood Care Home" --id home --kind organisation --joined 2024-05-01 >/dev/null
tb-member add 'Zoë "Z" <b>Ó Súilleabháin</b>, Esq.' --id zoe --joined 2024-02-01 >/dev/null
tb-member add "Eve Never" --id eve --joined 2024-03-01 >/dev/null
tb-member add "Dan Debt" --id dan --joined 2024-03-01 --min-balance none >/dev/null
rec() { tb-exchange record --provider "$1" --recipient "$2" --hours "$3" --date "$4" --category "$5" >/dev/null 2>&1; }
rec ann bob 1.5 2026-11-17 Gardening
rec bob ann 1 2026-11-18 Gardening
rec ann home 2 2026-11-19 "Care & companionship"
rec home cafe 0:30 2026-11-20 Household
rec ann bob 0.75 2026-11-10 Gardening
rec zoe ann 1 2026-06-01 "Cooking & food"
rec ann bob 3 2025-12-01 Gardening
rec dan bob 1.25 2026-11-24 "Computers & IT"
voided=$(tb-exchange record --provider cafe --recipient ann --hours 2 --date 2026-11-21 --category "Pets & animals")
tb-exchange void "$voided" --reason "recorded by mistake" >/dev/null
tb-exchange opening --member ann --hours -3 >/dev/null
tb-exchange opening --member cafe --hours 5 >/dev/null
tb-exchange opening --member dan --hours -25 >/dev/null
tb-match request add zoe --category Gardening --text 'Hedge <script>alert(1)</script>, "urgent"' --hours 2 \
  --needed-by 2026-12-10 >/dev/null
closed=$(tb-match request add bob --category Household --text "Ironing")
tb-match request close "$closed" --withdrawn >/dev/null
BEFORE=$(store_digest)

# Sums of exchange minutes from the ledger itself (tb-exchange list hides
# voided exchanges and their voids, as reports do).
ledger_minutes() {
  tb-exchange list "$@" --format csv | python3 -c '
import csv, sys
print(sum(int(r["minutes"]) for r in csv.DictReader(sys.stdin)))'
}
# csv_value CSV-TEXT PYTHON-EXPR: evaluates EXPR over rows (a list of dicts).
csv_value() {
  printf '%s' "$1" | python3 -c "
import csv, sys
rows = list(csv.DictReader(sys.stdin))
print($2)"
}

# --- summary --------------------------------------------------------------------
t "summary hours equal the ledger's exchange minutes, week by week and for the year"
for p in 2026-W47 2026-W46 2026-11 this-year 2025-12; do
  run tb-report summary --period "$p" --format csv
  expect_rc 0
  got=$(csv_value "$OUT" 'next(r["minutes"] for r in rows if r["measure"] == "hours")')
  want=$(ledger_minutes --period "$p")
  if [ "$got" = "$want" ]; then ok; else fail "$p: summary says $got minutes, the ledger $want"; fi
done

t "summary of the week: the split by kind, members, new members, the previous week"
run tb-report summary --period 2026-W47 --format csv
expect_rc 0
expect_out_has "all,exchanges,,4,1,300,,"
expect_out_has "all,hours,,5.00,0.75,566.7,300,45"
expect_out_has "all,members,,4,2,100,,"
expect_out_has "all,new_members,,1,0,,,"
expect_out_has "all,hours_person-person,,2.50,0.75,233.3,150,45"
expect_out_has "all,hours_person-organisation,,2.00,0.00,,120,0"
expect_out_has "all,hours_organisation-organisation,,0.50,0.00,,30,0"
expect_out_has "all,category_hours,Gardening,2.50,0.75,233.3,150,45"
expect_out_lacks "Pets & animals"

t "summary for people: a title, hours with two decimals, changes in percent"
run tb-report summary --period 2026-W47
expect_rc 0
expect_out_has "Summary, 2026-11-16 to 2026-11-22, compared with 2026-11-09 to 2026-11-15"
expect_out_has "hours person↔organisation"
expect_out_has "+566.7%"
expect_out_lacks "minutes"

t "summary --by tag, neighbourhood and kind"
run tb-report summary --period 2026-W47 --by tag --format csv
expect_rc 0
expect_out_has "carer,exchanges,,3,1,200,,"
expect_out_has "ward-3,members,,1,1,0,,"
run tb-report summary --period 2026-W47 --by neighbourhood --format csv
expect_out_has "Newsome,exchanges,,4,1,300,,"
expect_out_has "(none),exchanges,,2,0,,,"
run tb-report summary --period 2026-W47 --by kind --format json
expect_rc 0
expect_out_has '{"group":"person-organisation","measure":"hours","item":null,"value":2,"previous":0,"change_pct":null,"minutes":120,"previous_minutes":0}'

# --- balances -------------------------------------------------------------------
t "balances agree with tb-exchange balance and sum to the opening balances"
run tb-report balances --format csv
expect_rc 0
for m in ann bob cafe home zoe eve dan; do
  mine=$(csv_value "$OUT" "next(r['balance'] for r in rows if r['member'] == '$m')")
  theirs=$(tb-exchange balance "$m" --format csv | python3 -c 'import csv,sys; print(next(csv.DictReader(sys.stdin))["balance"])')
  if [ "$mine" = "$theirs" ]; then ok; else fail "$m: report $mine, tb-exchange $theirs"; fi
done
total=$(csv_value "$OUT" 'sum(int(r["minutes"]) for r in rows)')
opening=$(csv_value "$OUT" 'sum(int(r["opening_minutes"]) for r in rows)')
if [ "$total" = "$opening" ] && [ "$opening" = "$(( (-3 + 5 - 25) * 60 ))" ]; then ok; else fail "balances sum to $total, openings $opening"; fi
expect_out_has "dan,Dan Debt,person,active,-23.75,-1425,-25.00,-1500,"

t "balances: the void nets to zero; --below, --above, --as-of"
# ann: +1.50 -1.00 +2.00 +0.75 -1.00 +3.00, the voided -2.00 and its void +2.00, opening -3.00.
run tb-report balances --format csv
expect_out_has "ann,Ann Lee,person,active,2.25,135,-3.00,-180,"
run tb-report balances --format csv --below -1
expect_out_has "bob,Bob Marsh,person,active,-5.50,-330,0.00,0,"
expect_out_has "home,"
expect_out_lacks "ann,"
expect_out_lacks "zoe,"
run tb-report balances --format csv --above 1
expect_out_has "cafe,Café Sól,organisation,active,4.50,270,5.00,300,"
expect_out_has "ann,"
expect_out_lacks "bob,"
expect_out_lacks "zoe,"
run tb-report balances --format csv --as-of 2026-11-17
# As of the 17th: ann earned 3 + 0.75 + 1.5 and received 1; no opening yet (dated today).
expect_out_has "ann,Ann Lee,person,active,4.25,255,0.00,0,"
run tb-report balances --below abc
expect_rc 2
expect_err "tb-report: error: --below: 'abc' is not a duration (use hours such as 1.5, 0.5h, 1:30, 90m or 2h30m)"
want=$(tb-report balances --format csv --below 0)
for zero in 0h 0:00 -0 +0.0 0m; do
  run tb-report balances --format csv --below "$zero"
  expect_rc 0
  if [ "$OUT" = "$want" ]; then ok; else fail "--below $zero differs from --below 0"; fi
done
expect_out_has "bob,"
expect_out_lacks "ann,"
run tb-report balances --as-of 2026-11-17 --period 2026-W47
expect_rc 2

# --- activity, categories, members, network, social value ---------------------------
t "activity by week adds up to the year's hours"
run tb-report activity --by week --format csv
expect_rc 0
got=$(csv_value "$OUT" 'sum(int(r["minutes"]) for r in rows)')
want=$(ledger_minutes --period this-year)
if [ "$got" = "$want" ]; then ok; else fail "activity $got, ledger $want"; fi
expect_out_has "2026-W47,2026-11-16,2026-11-22,4,5.00,300,4,1"
run tb-report activity --by fortnight
expect_rc 2
expect_err_has "'fortnight' is not a time step"

t "categories: the voided exchange's category has no hours"
run tb-report categories --period 2026-11 --format csv
expect_rc 0
expect_out_has "Gardening,3,3.25,195,"
expect_out_has "Pets & animals,0,0.00,0,0,"

t "members: never traded, inactive"
run tb-report members --never-traded --format csv
expect_rc 0
expect_out_has "eve,Eve Never,person,,2024-03-01,,"
expect_out_lacks "ann,"
run tb-report members --inactive-days 100 --format csv
expect_out_has "eve,"
expect_out_has "zoe,"
expect_out_lacks "ann,"
run tb-report members --inactive-days abc
expect_rc 2
run tb-report members --inactive-days -5
expect_rc 3

t "network: hubs, groups, reciprocity"
run tb-report network --format json
expect_rc 0
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["members_took_part"] == 6, d
assert d["hubs"][0]["member"] == "ann", d["hubs"][0]
assert d["hubs"][0]["partners"] == 3, d["hubs"][0]
assert [g["members"] for g in d["groups"]] == [6], d["groups"]
assert d["gave_and_received"] == 3 and d["reciprocity_pct"] == 50, d
assert [m["member"] for m in d["no_partner"]] == ["eve"], d["no_partner"]
' && ok || fail "network figures"
run tb-report network
expect_out_has "Reciprocity:             50.0% (3 of 6 members who took part both gave and received)"

t "social value: the configured rate, an override, labelled as an estimate"
run tb-report social-value --period 2026-11
expect_rc 0
expect_out_has "(an estimate)"
expect_out_has "12.50 GBP per hour"
expect_out_has "87.50 GBP"
run tb-report social-value --period 2026-11 --rate 10 --currency EUR --format json
expect_out_has '"estimated_value": 70'
expect_out_has '"currency": "EUR"'
run tb-report social-value --rate -1
expect_rc 3

# --- weekly ---------------------------------------------------------------------------
t "weekly: last complete week by default, in words"
run tb-report weekly
expect_rc 0
expect_out_has "Newsome <Timebank>: weekly report"
expect_out_has "Week 2026-W47, 2026-11-16 to 2026-11-22"
expect_out_has "Balances beyond limits (0)"
expect_out_has "Balances under the warning level of -2.00 (2)"
expect_out_has "Members inactive for 60 days or more (2)"
expect_out_has "New members (1)"
expect_out_has "Bob Marsh"
expect_out_has "Open requests with no match (1)"
expect_out_has 'Hedge <script>alert(1)</script>, "urgent"'
run tb-report weekly --format json
expect_rc 0
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["summary"]["minutes"] == 300 and d["summary"]["hours"] == 5, d["summary"]
assert len(d["weeks"]) == 12 and d["weeks"][-1]["week"] == "2026-W47", d["weeks"]
assert sum(w["minutes"] for w in d["weeks"]) == 300 + 45, d["weeks"]
assert [m["member"] for m in d["under_warning"]] == ["bob", "dan"], d["under_warning"]
assert [m["member"] for m in d["inactive"]] == ["eve", "zoe"], d["inactive"]
assert [(r["member"], r["minutes"], r["needed_by"]) for r in d["open_requests"]] == [("zoe", 120, "2026-12-10")], d
' && ok || fail "weekly json"
run tb-report weekly --period 2026-W48 --format markdown
expect_rc 0
expect_out_has "# Newsome \\<Timebank\\>: weekly report"
expect_out_has "| Dan Debt | -23.75 |"

t "weekly: a balance beyond the bank's limit"
tb-member edit dan --min-balance default >/dev/null
run tb-report weekly --format json
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [(m["member"], m["side"], m["limit_minutes"]) for m in d["beyond_limits"]] == [("dan", "below", -1200)], d
' && ok || fail "beyond limits"

t "weekly: a request whose proposals were all declined has no match again"
req=$(sqlite3 "$TIMEBANK_DB" "SELECT number FROM request WHERE status = 'open'")
sqlite3 "$TIMEBANK_DB" "INSERT INTO proposal (run, request, member, score, status, created_at) VALUES (1, $req, 'ann', 1.0, 'proposed', '2026-11-27T09:00:00Z')"
run tb-report weekly
expect_out_has "Open requests with no match (0)"
sqlite3 "$TIMEBANK_DB" "UPDATE proposal SET status = 'declined'"
run tb-report weekly
expect_out_has "Open requests with no match (1)"
sqlite3 "$TIMEBANK_DB" "DELETE FROM proposal"
BEFORE=$(store_digest)

# --- formats and files ------------------------------------------------------------------
check_format() {  # FORMAT: checks $OUT parses as FORMAT
  case "$1" in
    json) printf '%s' "$OUT" | python3 -c 'import json,sys; json.load(sys.stdin)' ;;
    jsonl) printf '%s\n' "$OUT" | python3 -c '
import json, sys
lines = [l for l in sys.stdin.read().splitlines() if l]
[json.loads(l) for l in lines]' ;;
    csv|tsv) printf '%s\n' "$OUT" | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin, delimiter="," if sys.argv[1] == "csv" else "\t"))
assert rows and all(len(r) == len(rows[0]) for r in rows), rows' "$1" ;;
    table) [ -n "$OUT" ] ;;
  esac
}
for r in $DATA_REPORTS; do
  for f in table csv tsv json jsonl; do
    t "$r --format $f parses"
    run tb-report "$r" --format "$f"
    expect_rc 0
    if check_format "$f"; then ok; else fail "$r --format $f does not parse as $f"; fi
  done
done
for f in text markdown html json; do
  t "weekly --format $f"
  run tb-report weekly --format "$f"
  expect_rc 0
  if [ "$f" = json ]; then check_format json && ok || fail "weekly json"; fi
done

t "no thousands separators; zoe's name survives csv quoting"
run tb-report balances --format csv
expect_out_has 'zoe,"Zoë ""Z"" <b>Ó Súilleabháin</b>, Esq.",person'
run tb-report summary --period this-year --format csv --no-header
expect_out_lacks "group,measure"

t "-o writes atomically and takes the format from the extension"
run tb-report weekly -o "$WORK/weekly.html"
expect_rc 0
expect_out_empty
head -c 15 "$WORK/weekly.html" | grep -q '<!DOCTYPE html>' && ok || fail "weekly.html is not html"
grep -q '&lt;b&gt;Ó Súilleabháin&lt;/b&gt;' "$WORK/weekly.html" || grep -q 'Newsome &lt;Timebank&gt;' "$WORK/weekly.html" && ok || fail "html not escaped"
run tb-report summary -o "$WORK/summary.csv"
expect_rc 0
head -1 "$WORK/summary.csv" | grep -q '^group,measure,item,value' && ok || fail "summary.csv is not csv"
run tb-report weekly -o "$WORK/weekly.md"
head -1 "$WORK/weekly.md" | grep -q '^# ' && ok || fail "weekly.md is not markdown"
run tb-report summary -o "$WORK/summary.html"
expect_rc 2

# --- usage errors ---------------------------------------------------------------------------
t "usage errors are exit 2"
run tb-report summary --period nonsense
expect_rc 2
expect_err_has "'nonsense' is not a period"
run tb-report summary --period 2026 --since 2026-01-01
expect_rc 2
expect_err_has "--period cannot be combined with --since or --until"
run tb-report summary --since 2026-11-20 --until 2026-11-01
expect_rc 2
run tb-report summary --by colour
expect_rc 2
run tb-report summary --format html
expect_rc 2
run tb-report weekly --format csv
expect_rc 2
run tb-report frobnicate
expect_rc 2

t "--since/--until: inclusive days"
run tb-report summary --since 2026-11-17 --until 2026-11-18 --format csv
got=$(csv_value "$OUT" 'next(r["minutes"] for r in rows if r["measure"] == "hours")')
if [ "$got" = "150" ]; then ok; else fail "--since/--until gave $got minutes"; fi

t "an open-ended period has nothing to compare with"
run tb-report summary --period ..2026-06-30 --format csv
expect_rc 0
expect_out_has "all,hours,,4.00,,,240,"
run tb-report summary --period ..2026-06-30
expect_out_has "Summary, up to 2026-06-30"
expect_out_lacks "compared with"

t "no report wrote to the store"
if [ "$(store_digest)" = "$BEFORE" ]; then ok; else fail "the store changed"; fi
tb check && ok || fail "tb check"

# --- monthly totals ---------------------------------------------------------------
# summary reads whole months from the monthly totals the ledger keeps and the
# days around them from the exchanges; a copy without the totals' marker reads
# every exchange. Both must print the same, for every shape of period.
t "summary from the monthly totals equals summary from every exchange"
tb backup "$WORK/months.db"
(
  export TIMEBANK_DB="$WORK/months.db"
  rec ann zoe 2 2026-09-30 Gardening
  late=$(tb-exchange record --provider zoe --recipient cafe --hours 1 --date 2026-10-31 --category Household)
  tb-exchange void "$late" --reason "wrong month" >/dev/null  # dated 2026-11-27
  rec cafe home 1.5 2026-10-15 Household
  rec ann eve 0.25 2026-10-01 "Computers & IT"
  rec zoe eve 0.5 2025-11-30 "Computers & IT"
  tb-member edit zoe --kind organisation >/dev/null  # her trades move to other pairs
  tb-member edit cafe --kind person >/dev/null
)
TIMEBANK_DB="$WORK/months.db" tb backup "$WORK/scan.db"
sqlite3 "$WORK/scan.db" "DELETE FROM meta WHERE key = 'rollup_upto';"
TIMEBANK_DB="$WORK/months.db" expect_sql "SELECT count(*) FROM trade_month" "$(sqlite3 "$WORK/scan.db" "SELECT count(*) FROM trade_month")"
for p in this-year last-year 2026 2025 2026-Q4 2026-Q3 2026-11 2026-10 2026-09 2026-06 2025-12 last-month this-month \
         2026-W47 2026-10-31 2026-10-01..2026-10-30 2026-09-30..2026-11-01 2025-12-02..2026-10-31 \
         2026-10-02..2026-11-30 2025-11-30..2026-11-27 ..2026-10-31 2026-10-01.. 2024 2030; do
  a=$(TIMEBANK_DB="$WORK/months.db" tb-report summary --period "$p" --format json 2>&1)
  b=$(TIMEBANK_DB="$WORK/scan.db" tb-report summary --period "$p" --format json 2>&1)
  if [ "$a" = "$b" ]; then ok; else fail "summary --period $p: from the totals
$a
from the exchanges
$b"; fi
done
# The table too, and the figures really moved with the new exchanges.
a=$(TIMEBANK_DB="$WORK/months.db" tb-report summary)
b=$(TIMEBANK_DB="$WORK/scan.db" tb-report summary)
if [ "$a" = "$b" ]; then ok; else fail "summary (this year) differs"; fi
run env TIMEBANK_DB="$WORK/months.db" tb-report summary --period 2026-10 --format csv
expect_out_has "all,exchanges,,2,"
expect_out_has "all,hours,,1.75,"
run env TIMEBANK_DB="$WORK/months.db" tb check
expect_rc 0
run env TIMEBANK_DB="$WORK/scan.db" tb check
expect_rc 1
expect_out "monthly totals: they hold exchanges up to number (none), but the last is 16"

t "summary reads whole months from the totals, so tb check guards them"
sqlite3 "$WORK/months.db" "UPDATE trade_month SET minutes = minutes + 60 WHERE month = '2026-10' AND category = 'Household';"
run env TIMEBANK_DB="$WORK/months.db" tb-report summary --period 2026-10 --format csv
expect_out_has "all,hours,,2.75,"
run env TIMEBANK_DB="$WORK/months.db" tb-report summary --period 2026-10-02..2026-10-31 --format csv
expect_out_has "all,hours,,1.50,"
run env TIMEBANK_DB="$WORK/months.db" tb check
expect_rc 1
expect_out "monthly totals for 2026-10 (trade_month) do not match the ledger"

finish
