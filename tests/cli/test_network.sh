#!/usr/bin/env bash
# Several banks: examples/network/build-network.sh builds a hub of three;
# tb hub report totals equal the sums of each bank's own tb-report (checked
# per report), --by bank, a missing or unhealthy store; tb-exchange transfer
# out / in with mirrored balances, a file received twice, tampered or
# misaddressed; tb hub reconcile finding a transfer sent but never received,
# and silent once it is.
source "$(dirname "$0")/lib.sh"
unset TIMEBANK_DB

t "the example network builds with the tools"
run bash "$TB_SRC/examples/network/build-network.sh" net
expect_rc 0
expect_err_empty
HUB=net/hub.toml
# at BANK TOOL ARGS...: a tool on one bank of the example.
at() { local b=$1; shift; TIMEBANK_CONFIG="net/$b/timebank.toml" TIMEBANK_DB="net/$b/timebank.db" "$@"; }
for b in newsome islington hackney; do
  run at $b tb check
  expect_rc 0
  expect_out_empty
done

t "hub reconcile is silent when the banks agree"
run tb hub reconcile --hub $HUB
expect_rc 0
expect_out_empty
expect_err_empty

# sum_bank_reports REPORT AWK: runs `tb-report REPORT --format csv --no-header`
# in each bank and sums with the awk program (which prints key,value lines).
sum_banks() {
  local report=$1 prog=$2; shift 2
  for b in newsome islington hackney; do at $b tb-report "$report" "$@" --format csv --no-header; done |
    awk -F, "$prog" | sort
}

t "hub summary: the totals are the sums of the banks' own summaries"
want=$(sum_banks summary '$2=="exchanges"||$2=="members"||$2=="new_members"||$2=="hours_donated"||$2=="hours_granted"||$2=="pot_balance" {s[$2]+=$4} $2=="hours" {s["minutes"]+=$7} END {for (k in s) print k "," s[k]}' --period 2026-11)
run tb hub report summary --hub $HUB --period 2026-11 --format csv --no-header
expect_rc 0
expect_err_empty
got=$(printf '%s\n' "$OUT" | awk -F, '$2=="exchanges"||$2=="members"||$2=="new_members"||$2=="hours_donated"||$2=="hours_granted"||$2=="pot_balance" {s[$2]+=$4} $2=="hours" {s["minutes"]+=$7} END {for (k in s) print k "," s[k]}' | sort)
if [ "$got" = "$want" ]; then ok; else fail "hub summary $got, banks sum to $want"; fi
expect_out_has "all,exchanges,,10,"
expect_out_has "all,members,,7,"

t "hub summary --by bank: a group per bank beside the totals"
run tb hub report summary --hub $HUB --period 2026-11 --by bank --format csv
expect_rc 0
expect_out_has "bank,measure,item,value,previous,change_pct,minutes,previous_minutes"
expect_out_has "all,exchanges,,10,"
expect_out_has "Newsome Timebank,exchanges,,4,"
expect_out_has "Islington Time Bank,exchanges,,4,"
expect_out_has "Hackney Timebank,exchanges,,2,"
expect_out_lacks "Islington Time Bank,hours_donated"

t "hub activity: each period's figures are the banks' summed"
want=$(sum_banks activity '{e[$1]+=$4; m[$1]+=$6; p[$1]+=$7; n[$1]+=$8} END {for (k in e) print k "," e[k] "," m[k] "," p[k] "," n[k]}' --period 2026-11 --by week)
run tb hub report activity --hub $HUB --period 2026-11 --by week --format csv --no-header
expect_rc 0
got=$(printf '%s\n' "$OUT" | awk -F, '{print $1 "," $4 "," $6 "," $7 "," $8}' | sort)
if [ "$got" = "$want" ]; then ok; else fail "hub activity $got, banks sum to $want"; fi
run tb hub report activity --hub $HUB --period 2026-11 --by bank,month --format csv --no-header
expect_out_has "all,2026-11,2026-11-01,2026-11-27,10,"
expect_out_has "Hackney Timebank,2026-11,"

t "hub categories: each category's figures are the banks' summed"
want=$(sum_banks categories '{e[$1]+=$2; m[$1]+=$4} END {for (k in e) print k "," e[k] "," m[k]}' --period 2026-11)
run tb hub report categories --hub $HUB --period 2026-11 --format csv --no-header
expect_rc 0
got=$(printf '%s\n' "$OUT" | awk -F, '{print $2 "," $3 "," $5}' | sort)
if [ "$got" = "$want" ]; then ok; else fail "hub categories $got, banks sum to $want"; fi

t "hub social-value: each bank at its own rate, summed"
want=$(for b in newsome islington hackney; do at $b tb-report social-value --period 2026-11 --format csv --no-header; done |
  awk -F, '{e+=$3; m+=$5; v+=$8} END {printf "%d,%d,%.2f\n", e, m, v}')
run tb hub report social-value --hub $HUB --period 2026-11 --format csv --no-header
expect_rc 0
got=$(printf '%s\n' "$OUT" | awk -F, '$1=="all" {printf "%d,%d,%.2f\n", $4, $6, $9}')
if [ "$got" = "$want" ]; then ok; else fail "hub social value $got, banks sum to $want"; fi
run tb hub report social-value --hub $HUB --period 2026-11 --by bank --format csv --no-header
expect_out_has "Islington Time Bank,2026-11-01,2026-11-30,4,7.50,450,12,GBP,90"

t "hub network: the banks' graphs summed, never merged"
want=$(for b in newsome islington hackney; do at $b tb-report network --period 2026-11 --format json; done |
  python3 -c '
import json, sys
t = p = g = 0
for doc in sys.stdin.read().replace("}\n{", "}\x00{").split("\x00"):
    d = json.loads(doc)
    t += d["members_took_part"]; g += len(d["groups"]); p += d["gave_and_received"]
print(t, g, p)')
run tb hub report network --hub $HUB --period 2026-11 --format json
expect_rc 0
got=$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["members_took_part"], d["groups"], d["gave_and_received"])')
if [ "$got" = "$want" ]; then ok; else fail "hub network $got, banks sum to $want"; fi

t "hub onboarding: the counts are the banks' summed"
want=$(for b in newsome islington hackney; do at $b tb-report onboarding --period 2026 --format csv --no-header; done |
  awk -F, '$1=="all" {for (i=4; i<=12; i++) if (i!=6) s[i]+=$i} END {for (i=4; i<=12; i++) if (i!=6) printf "%d,", s[i]; print ""}')
run tb hub report onboarding --hub $HUB --period 2026 --by bank --format csv --no-header
expect_rc 0
got=$(printf '%s\n' "$OUT" | awk -F, '$1=="all" {for (i=4; i<=12; i++) if (i!=6) printf "%d,", $i; print ""}')
if [ "$got" = "$want" ]; then ok; else fail "hub onboarding $got, banks sum to $want"; fi
expect_out_has "Hackney Timebank,2026-01-01,2026-12-31,2,2,"

t "a bank whose store is missing is named and left out: exit 1, or 0 with --allow-missing"
mv net/hackney/timebank.db net/hackney.db.away
run tb hub report summary --hub $HUB --period 2026-11 --format csv --no-header
expect_rc 1
expect_err_has "left out of the report: bank Hackney Timebank: no store at net/hackney/timebank.db"
expect_out_has "all,exchanges,,8,"
run tb hub report summary --hub $HUB --period 2026-11 --allow-missing --format csv --no-header
expect_rc 0
expect_err_has "bank Hackney Timebank"
mv net/hackney.db.away net/hackney/timebank.db

t "a bank whose store fails tb check is left out"
cp net/hackney/timebank.db broken.db
sqlite3 net/hackney/timebank.db "PRAGMA writable_schema = 0; UPDATE exchange SET note = 'changed' WHERE number = 1" 2>/dev/null
# An old row edited: only the full check reads the whole chain.
run tb hub report summary --hub $HUB --period 2026-11 --format csv --no-header --check full
expect_rc 1
expect_err_has "bank Hackney Timebank: store net/hackney/timebank.db fails tb check (1 problem; first: exchange 1: note changed outside tb (digest mismatch))"
run tb hub report summary --hub $HUB --period 2026-11 --format csv --no-header --check quick
expect_rc 0
cp broken.db net/hackney/timebank.db
rm -f net/hackney/timebank.db-wal net/hackney/timebank.db-shm

t "the quick check (the default) leaves out a bank whose newest exchange was cut off"
sqlite3 net/hackney/timebank.db "DROP TRIGGER exchange_append_only_delete; DELETE FROM exchange WHERE number = (SELECT max(number) FROM exchange)"
run tb hub report summary --hub $HUB --period 2026-11 --format csv --no-header
expect_rc 1
expect_err_has "bank Hackney Timebank: store net/hackney/timebank.db fails tb check --quick"
expect_err_has "exchanges: the newest rows were removed or replaced outside tb (chain head does not match)"
run tb check --quick --db net/hackney/timebank.db --config net/hackney/timebank.toml
expect_rc 1
expect_out_has "exchanges: the newest rows were removed or replaced outside tb (chain head does not match)"
expect_out_has "monthly totals: they hold exchanges up to number"
run tb hub report summary --hub $HUB --period 2026-11 --check none
expect_rc 0
run tb hub report summary --hub $HUB --check thorough
expect_rc 2
expect_err_has "'thorough' is not a check (use quick, full or none)"
cp broken.db net/hackney/timebank.db
rm -f net/hackney/timebank.db-wal net/hackney/timebank.db-shm

t "hub report usage errors"
run tb hub report balances --hub $HUB
expect_rc 2
run tb hub report summary --hub nowhere.toml
expect_rc 2
expect_err_has "nowhere.toml"
printf '[[bank]]\nname = "X"\nstore = "x.db"\ncolour = "red"\n' > bad-hub.toml
run tb hub report summary --hub bad-hub.toml
expect_rc 2
expect_err_has "bad-hub.toml:4: bank.colour: unknown key"

# --- transfers -----------------------------------------------------------------

t "transfer out and in: mirrored balances on both sides"
run at newsome tb-exchange balance bank-islington --format csv --no-header
expect_out "bank-islington,Islington Time Bank,-2.00,-120,0.00"
run at islington tb-exchange balance bank-newsome --format csv --no-header
expect_out "bank-newsome,Newsome Timebank,2.00,120,0.00"
run at islington tb-exchange balance IS042 --format csv --no-header
expect_out "IS042,Sam Reid,-4.00,-240,0.00"

t "the transfer file: both banks, the remote member, minutes, date, category, a SHA-256"
F=net/transfers/newsome-islington-1.json
run python3 -c "import json; d=json.load(open('$F')); print(d['format'], d['from_bank'], '|', d['to_bank'], '|', d['remote_member'], d['remote_role'], d['minutes'], d['date'], d['category'], d['note'], len(d['id']), len(d['sha256']))"
expect_out "tb-transfer/1 Newsome Timebank | Islington Time Bank | IS042 recipient 120 2026-11-21 Gardening  36 64"
ID=$(python3 -c "import json; print(json.load(open('$F'))['id'])")
TIMEBANK_DB=net/newsome/timebank.db expect_sql "SELECT provider || '|' || recipient || '|' || minutes FROM exchange WHERE ref = '$ID'" "ann|bank-islington|120"
TIMEBANK_DB=net/islington/timebank.db expect_sql "SELECT provider || '|' || recipient || '|' || minutes FROM exchange WHERE ref = '$ID'" "bank-newsome|IS042|120"

t "a file received twice adds nothing, and says so"
before=$(TIMEBANK_DB=net/islington/timebank.db store_digest)
run at islington tb-exchange transfer in $F
expect_rc 0
expect_err_has "was already received"
if [ "$(TIMEBANK_DB=net/islington/timebank.db store_digest)" = "$before" ]; then ok; else fail "receiving twice changed the store"; fi

t "a tampered file is rejected"
sed 's/"minutes": 120/"minutes": 1200/' $F > tampered.json
run at islington tb-exchange transfer in tampered.json
expect_rc 3
expect_err_has "tampered.json: the transfer file was changed after it was written"
if [ "$(TIMEBANK_DB=net/islington/timebank.db store_digest)" = "$before" ]; then ok; else fail "a tampered file changed the store"; fi

t "a file addressed to another bank is rejected"
run at hackney tb-exchange transfer in $F
expect_rc 3
expect_err_has "is addressed to 'Islington Time Bank', not to this bank ('Hackney Timebank')"

t "network: a transfer joins no one and counts for no one, over the whole year (kept totals) as over months"
run at islington tb-report network --period 2026-11 --format csv
expect_rc 0
months=$OUT
expect_out_lacks "bank-newsome"
run at islington tb-report network --period 2026 --format csv
expect_rc 0
if [ "$OUT" = "$months" ]; then ok; else fail "the whole year differs from its months"; fi
# IS042 received the transfer: their figures are their trades with members alone.
run at islington tb-report network --period 2026 --format json
expect_rc 0
printf '%s' "$OUT" > islington-network.json
run python3 -c "import json; d=json.load(open('islington-network.json')); print(*[(m['exchanges'], m['given_minutes'], m['received_minutes']) for m in d['members'] if m['member'] == 'IS042'])"
expect_out "$(sqlite3 net/islington/timebank.db "SELECT '(' || count(*) || ', ' || total(CASE WHEN provider = 'IS042' THEN minutes END) || ', ' || total(CASE WHEN recipient = 'IS042' THEN minutes END) || ')' FROM exchange WHERE 'IS042' IN (provider, recipient) AND provider NOT LIKE 'bank-%' AND recipient NOT LIKE 'bank-%'" | sed 's/\.0//g')"

t "transfer out needs a clearing account and keeps its limits"
run at newsome tb-exchange transfer out --bank bob --provider ann --remote-member IS041 --hours 1 --category Gardening -o x.json
expect_rc 3
expect_err_has "bob is not a clearing account"
run at newsome tb-exchange transfer out --bank bank-islington --provider ann --remote-member IS041 --hours 9 --category Gardening -o x.json
expect_rc 3
expect_err_has "bank-islington would reach -11.00 hours, below the limit of -10.00"
run at newsome tb-exchange transfer out --bank bank-islington --provider ann --recipient bob --remote-member IS041 --hours 1 -o x.json
expect_rc 2

t "reconcile finds a transfer sent but never received"
run at islington tb-exchange transfer out --bank bank-newsome --recipient IS041 --remote-member bob --hours 1 --category Gardening --note "lift to the clinic" -o net/transfers/islington-newsome-1.json
expect_rc 0
expect_err_has "send the file to Newsome Timebank"
ID2=$(python3 -c "import json; print(json.load(open('net/transfers/islington-newsome-1.json'))['id'])")
run tb hub reconcile --hub $HUB
expect_rc 1
expect_out "Newsome Timebank and Islington Time Bank: clearing balances are not opposite: Newsome Timebank's account for Islington Time Bank (bank-islington) is -2.00; Islington Time Bank's account for Newsome Timebank (bank-newsome) is 3.00
transfer $ID2: sent by Islington Time Bank to Newsome Timebank, not received by Newsome Timebank"

t "reconcile --format json: each disagreement as data"
run tb hub reconcile --hub $HUB --format json
expect_rc 1
expect_out "[
  {\"problem\":\"balances\",\"transfer\":null,\"banks\":[\"Newsome Timebank\",\"Islington Time Bank\"],\"message\":\"Newsome Timebank and Islington Time Bank: clearing balances are not opposite: Newsome Timebank's account for Islington Time Bank (bank-islington) is -2.00; Islington Time Bank's account for Newsome Timebank (bank-newsome) is 3.00\"},
  {\"problem\":\"not_received\",\"transfer\":\"$ID2\",\"banks\":[\"Islington Time Bank\",\"Newsome Timebank\"],\"message\":\"transfer $ID2: sent by Islington Time Bank to Newsome Timebank, not received by Newsome Timebank\"}
]"
expect_err_has "2 disagreements between the banks"
run tb hub reconcile --hub $HUB --format csv --no-header
expect_rc 1
expect_out_has "not_received,$ID2,Islington Time Bank;Newsome Timebank,"

t "reconcile is silent once it is received"
run at newsome tb-exchange transfer in net/transfers/islington-newsome-1.json
expect_rc 0
run at newsome tb-exchange balance bob --format csv --no-header
expect_out "bob,Bob Marsh,1.50,90,0.00"
run tb hub reconcile --hub $HUB
expect_rc 0
expect_out_empty

t "[transfer] notes = digest sends the note's SHA-256, not the note"
printf '\n[transfer]\nnotes = "digest"\n' >> net/hackney/timebank.toml
run at hackney tb-exchange transfer out --bank bank-islington --provider H001 --remote-member IS042 --hours 1 --category Gardening --note "private detail" -o d.json
expect_rc 0
if grep -q "private detail" d.json; then fail "the note was sent"; else ok; fi
run python3 -c "import json,hashlib; d=json.load(open('d.json')); print(d['note_sha256'] == hashlib.sha256(b'private detail').hexdigest(), 'note' in d)"
expect_out "True False"

t "the clearing accounts are not members in reports, but transfers are exchanges"
run at islington tb-report summary --period 2026-11 --format csv --no-header
expect_out_has "all,members,,2,"
run at islington tb-member list --kind bank --format csv --no-header
expect_out_has "bank-newsome,Newsome Timebank,bank,active"

finish
