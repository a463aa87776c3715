#!/usr/bin/env bash
# tb-member on a temporary store: add, list, show, edit, status, skills,
# safeguarding checks, blocks, forget, and the audit log of every write.
source "$(dirname "$0")/lib.sh"

# last_audit: who|command|target|fields of the newest audit row.
LAST_AUDIT="SELECT who || '|' || command || '|' || target || '|' || fields FROM audit ORDER BY id DESC LIMIT 1"

# --- a missing store --------------------------------------------------------
t "list on a missing store"
run tb-member list
expect_rc 1
expect_err "tb-member: error: no store at $TIMEBANK_DB (create one with: tb init, or name one with --db)"
expect_out_empty
if [ -e "$TIMEBANK_DB" ]; then fail "a read-only command created the store"; else ok; fi

t "a rejected add on a missing store creates no store"
run tb-member add "Ann Lee" --email not-an-email
expect_rc 3
expect_err "tb-member: rejected: email: 'not-an-email' is not an email address"
expect_out_empty
if ls "$TIMEBANK_DB"* >/dev/null 2>&1; then fail "a rejected add created the store"; else ok; fi

t "add on a missing store is exit 1 and creates nothing: only tb init creates a store"
run tb-member add "Ann Lee"
expect_rc 1
expect_err "tb-member: error: no store at $TIMEBANK_DB (create one with: tb init, or name one with --db)"
if ls "$TIMEBANK_DB"* >/dev/null 2>&1; then fail "add created the store"; else ok; fi
tb init >/dev/null

# --- add --------------------------------------------------------------------
t "add prints the generated ID and only that"
run tb-member add "Ann Lee" --email ann@example.org --phone "0113 496 0000" --postcode "LS6 1AA" \
  --neighbourhood Hyde --offers "gardening;lifts to appointments" --wants ironing --note "Prefers mornings" \
  --tag carer --tag ward-3
expect_rc 0
expect_out "M0001"
expect_err_empty
expect_sql "SELECT id, name, kind, status, email, phone, postcode, neighbourhood, joined, note FROM member WHERE kind <> 'pot'" \
  "M0001|Ann Lee|person|active|ann@example.org|0113 496 0000|LS6 1AA|Hyde|2026-11-27|Prefers mornings"
expect_sql "SELECT direction || ':' || skill FROM member_skill WHERE member = 'M0001' ORDER BY rowid" \
  "offers:gardening
offers:lifts to appointments
wants:ironing"
expect_sql "SELECT group_concat(tag, ',') FROM (SELECT tag FROM member_tag WHERE member = 'M0001' ORDER BY rowid)" \
  "carer,ward-3"
expect_sql "$LAST_AUDIT" \
  "tester|tb-member add|M0001|id,name,kind,joined,email,phone,postcode,neighbourhood,note,offers,wants,tags"

t "the store is created private"
if [ "$(stat -c %a "$TIMEBANK_DB")" = 600 ]; then ok; else fail "mode $(stat -c %a "$TIMEBANK_DB")"; fi

t "add: the next generated ID"
run tb-member add "Bob Marsh"
expect_rc 0
expect_out "M0002"

t "add --id, an organisation with tags and limits"
run tb-member add "St Mary's Care Home" --id STMARY --kind organisation --neighbourhood "Little London" \
  --offers baking --tag ward-3 --min-balance none --max-balance 40 --joined 2025-06-01
expect_rc 0
expect_out "STMARY"
expect_sql "SELECT kind, joined, min_limit, max_limit FROM member WHERE id = 'STMARY'" \
  "organisation|2025-06-01|none|2400"
expect_sql "$LAST_AUDIT" "tester|tb-member add|STMARY|id,name,kind,joined,neighbourhood,offers,tags,min_balance,max_balance"

t "add --min-balance in hours"
run tb-member add "Cath O'Brien" --min-balance -5 --max-balance none --wants "gardening;shopping" --neighbourhood hyde
expect_rc 0
expect_out "M0003"
expect_sql "SELECT min_limit, max_limit FROM member WHERE id = 'M0003'" "-300|none"

t "a generated ID follows the highest M number"
run tb-member add "Dev Patel" --id M0010 --kind person --offers "dog walking"
expect_out "M0010"
run tb-member add "Éilís Ní Bhriain" --email Eilis@Example.org
expect_rc 0
expect_out "M0011"
expect_sql "SELECT name FROM member WHERE id = 'M0011'" "Éilís Ní Bhriain"

before=$(store_digest)
audits=$(sqlite3 -readonly "$TIMEBANK_DB" "SELECT count(*) FROM audit")

t "add: a duplicate ID is rejected"
run tb-member add "Someone" --id M0001
expect_rc 3
expect_out_empty
expect_err "tb-member: rejected: id: member M0001 already exists"

t "add: a bad ID is rejected"
run tb-member add "Someone" --id "bad id"
expect_rc 3
expect_err_has "'bad id' is not a valid ID"
run tb-member add "Someone" --id "x/y"
expect_rc 3

t "add: a duplicate email (any case) is rejected"
run tb-member add "Someone" --email ANN@example.org
expect_rc 3
expect_err "tb-member: rejected: email: ANN@example.org already belongs to member M0001"

t "add: a bad email is rejected"
run tb-member add "Someone" --email not-an-email
expect_rc 3

t "add: an empty name is rejected"
run tb-member add ""
expect_rc 3

t "add --kind robot is a usage error"
run tb-member add "Someone" --kind robot
expect_rc 2
expect_err_has "'robot' is not a kind of member"

t "add --min-balance that does not parse is a usage error"
run tb-member add "Someone" --min-balance lots
expect_rc 2

t "add: a minimum above the maximum is rejected"
run tb-member add "Someone" --min-balance 5 --max-balance 2
expect_rc 3

t "add without a name is a usage error"
run tb-member add
expect_rc 2

t "rejected adds wrote nothing"
if [ "$(store_digest)" = "$before" ]; then ok; else fail "the store changed"; fi
expect_sql "SELECT count(*) FROM audit" "$audits"

# --- list -------------------------------------------------------------------
t "list: active members in a table"
run tb-member list
expect_rc 0
expect_out "id      name                 kind          status  neighbourhood  joined      balance
M0001   Ann Lee              person        active  Hyde           2026-11-27     0.00
M0002   Bob Marsh            person        active                 2026-11-27     0.00
M0003   Cath O'Brien         person        active  hyde           2026-11-27     0.00
M0010   Dev Patel            person        active                 2026-11-27     0.00
M0011   Éilís Ní Bhriain     person        active                 2026-11-27     0.00
STMARY  St Mary's Care Home  organisation  active  Little London  2025-06-01     0.00"

t "list --format csv: the member fields of SPEC, in order"
run tb-member list --format csv
expect_rc 0
expect_out "id,name,kind,status,email,phone,postcode,neighbourhood,joined,offers,wants,tags,checks,note,balance
M0001,Ann Lee,person,active,ann@example.org,0113 496 0000,LS6 1AA,Hyde,2026-11-27,gardening;lifts to appointments,ironing,carer;ward-3,,Prefers mornings,0.00
M0002,Bob Marsh,person,active,,,,,2026-11-27,,,,,,0.00
M0003,Cath O'Brien,person,active,,,,hyde,2026-11-27,,gardening;shopping,,,,0.00
M0010,Dev Patel,person,active,,,,,2026-11-27,dog walking,,,,,0.00
M0011,Éilís Ní Bhriain,person,active,Eilis@Example.org,,,,2026-11-27,,,,,,0.00
STMARY,St Mary's Care Home,organisation,active,,,,Little London,2025-06-01,baking,,ward-3,,,0.00"

t "list --format csv --no-header"
run tb-member list --format csv --no-header --kind organisation
expect_out "STMARY,St Mary's Care Home,organisation,active,,,,Little London,2025-06-01,baking,,ward-3,,,0.00"

t "list --format tsv has the same header"
run tb-member list --format tsv --kind organisation
expect_out "$(printf 'id\tname\tkind\tstatus\temail\tphone\tpostcode\tneighbourhood\tjoined\toffers\twants\ttags\tchecks\tnote\tbalance\nSTMARY\tSt Mary'"'"'s Care Home\torganisation\tactive\t\t\t\tLittle London\t2025-06-01\tbaking\t\tward-3\t\t\t0.00')"

t "list --format json: every field, lists as arrays"
run tb-member list --format json --tag carer
expect_rc 0
expect_out '[
  {"id":"M0001","name":"Ann Lee","kind":"person","status":"active","email":"ann@example.org","phone":"0113 496 0000","postcode":"LS6 1AA","neighbourhood":"Hyde","joined":"2026-11-27","offers":["gardening","lifts to appointments"],"wants":["ironing"],"tags":["carer","ward-3"],"checks":[],"note":"Prefers mornings","balance":0,"balance_minutes":0}
]'
if printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert list(d[0])==["id","name","kind","status","email","phone","postcode","neighbourhood","joined","offers","wants","tags","checks","note","balance","balance_minutes"]' 2>/dev/null; then ok; else fail "json keys differ"; fi

t "list --format jsonl"
run tb-member list --format jsonl --kind organisation
expect_out '{"id":"STMARY","name":"St Mary'"'"'s Care Home","kind":"organisation","status":"active","email":"","phone":"","postcode":"","neighbourhood":"Little London","joined":"2025-06-01","offers":["baking"],"wants":[],"tags":["ward-3"],"checks":[],"note":"","balance":0,"balance_minutes":0}'

t "list --kind"
run tb-member list --kind person --format csv --no-header
expect_rc 0
expect_out_lacks "STMARY"
expect_out_has "M0001,"
run tb-member list --kind robot
expect_rc 2

t "list --offers (words match within skills, any case)"
run tb-member list --offers LIFTS --format csv --no-header
expect_out "M0001,Ann Lee,person,active,ann@example.org,0113 496 0000,LS6 1AA,Hyde,2026-11-27,gardening;lifts to appointments,ironing,carer;ward-3,,Prefers mornings,0.00"
run tb-member list --offers "dog"
expect_out_has "M0010"
expect_out_lacks "M0001"

t "list --wants"
run tb-member list --wants gardening --format csv --no-header
expect_rc 0
expect_out "M0003,Cath O'Brien,person,active,,,,hyde,2026-11-27,,gardening;shopping,,,,0.00"

t "list --neighbourhood (any case)"
run tb-member list --neighbourhood HYDE --format csv --no-header
expect_out "M0001,Ann Lee,person,active,ann@example.org,0113 496 0000,LS6 1AA,Hyde,2026-11-27,gardening;lifts to appointments,ironing,carer;ward-3,,Prefers mornings,0.00
M0003,Cath O'Brien,person,active,,,,hyde,2026-11-27,,gardening;shopping,,,,0.00"

t "list --tag"
run tb-member list --tag ward-3 --format csv --no-header
expect_out_has "M0001,"
expect_out_has "STMARY,"
expect_out_lacks "M0002"

t "list: filters combine"
run tb-member list --tag ward-3 --kind organisation --neighbourhood "little london" --format csv --no-header
expect_out "STMARY,St Mary's Care Home,organisation,active,,,,Little London,2025-06-01,baking,,ward-3,,,0.00"
run tb-member list --tag ward-3 --offers knitting
expect_rc 0
expect_out "id  name  kind  status  neighbourhood  joined  balance"

# --- show -------------------------------------------------------------------
t "show by ID"
run tb-member show M0001
expect_rc 0
expect_out_has "id:            M0001"
expect_out_has "name:          Ann Lee"
expect_out_has "offers:        gardening; lifts to appointments"
expect_out_has "balance:       0.00"
expect_out_has "last_exchange: "

t "show by email, any case; json has every member field"
run tb-member show ANN@EXAMPLE.ORG --format json
expect_rc 0
expect_out_has '"id": "M0001"'
expect_out_has '"offers": ["gardening","lifts to appointments"]'
expect_out_has '"min_balance": {"hours":-20,"minutes":-1200,"source":"bank"}'
expect_out_has '"max_balance": {"hours":null,"minutes":null,"source":"bank"}'
expect_out_has '"last_exchange": null'
if printf '%s' "$OUT" | python3 -c '
import json,sys
d=json.load(sys.stdin)
want=["id","name","kind","status","email","phone","postcode","neighbourhood","joined","offers","wants","tags","checks","note","balance"]
assert list(d)[:len(want)]==want, list(d)' 2>/dev/null; then ok; else fail "show json does not start with the member fields"; fi

t "show --format json: the opening balance in minutes too"
run tb-member show M0001 --format json
if printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["opening"]==0 and d["opening_minutes"]==0' 2>/dev/null
then ok; else fail "no opening_minutes in json"; fi
run tb-member show M0001 --format csv
expect_out_lacks "opening_minutes"

t "show: per-member limits"
run tb-member show STMARY --format json
expect_out_has '"min_balance": {"hours":null,"minutes":null,"source":"member"}'
expect_out_has '"max_balance": {"hours":40,"minutes":2400,"source":"member"}'

t "show: an unknown member is exit 4"
run tb-member show M9999
expect_rc 4
expect_err "tb-member: error: no member 'M9999'"
expect_out_empty
run tb-member show nobody@example.org
expect_rc 4

t "IDs are case-sensitive"
run tb-member show m0001
expect_rc 4

# --- edit -------------------------------------------------------------------
t "edit --set FIELD=VALUE and flags, by email, with --recorded-by"
run tb-member edit ann@example.org --set phone=07700900001 --set "note=Has a dog" --name "Ann Leigh" \
  --postcode "LS6 2BB" --recorded-by alice
expect_rc 0
expect_out_empty
expect_sql "SELECT name, phone, postcode, note FROM member WHERE id = 'M0001'" "Ann Leigh|07700900001|LS6 2BB|Has a dog"
expect_sql "$LAST_AUDIT" "alice|tb-member edit|M0001|phone,note,name,postcode"

t "edit --set lists and limits"
run tb-member edit M0002 --set "offers=cooking;baking" --set tags=uses-services --set min_balance=-10 \
  --set max_balance=none --set kind=organisation --set joined=2026-01-15 --set neighbourhood=Burley
expect_rc 0
run tb-member show M0002 --format json
expect_out_has '"offers": ["cooking","baking"]'
expect_out_has '"tags": ["uses-services"]'
expect_out_has '"min_balance": {"hours":-10,"minutes":-600,"source":"member"}'
expect_out_has '"max_balance": {"hours":null,"minutes":null,"source":"member"}'
expect_out_has '"kind": "organisation"'
expect_out_has '"joined": "2026-01-15"'
expect_sql "SELECT min_limit, max_limit FROM member WHERE id = 'M0002'" "-600|none"
run tb-member edit M0002 --set kind=person --min-balance none
expect_rc 0
expect_sql "SELECT kind, min_limit FROM member WHERE id = 'M0002'" "person|none"

t "edit: a limit of zero in any time form"
run tb-member edit M0002 --min-balance 0:00 --set max_balance=0h
expect_rc 0
expect_err_empty
expect_sql "SELECT min_limit, max_limit FROM member WHERE id = 'M0002'" "0|0"
run tb-member edit M0002 --min-balance none --max-balance default
expect_rc 0

before=$(store_digest)
t "edit: an unknown field is a usage error"
run tb-member edit M0001 --set colour=red
expect_rc 2
expect_err_has "'colour' is not a member field that can be set"

t "edit: --set without = is a usage error"
run tb-member edit M0001 --set note
expect_rc 2

t "edit: nothing to change is a usage error"
run tb-member edit M0001
expect_rc 2

t "edit: an email that belongs to another member is rejected"
run tb-member edit M0002 --email ann@example.org
expect_rc 3

t "edit: a bad kind is a usage error, a bad date too"
run tb-member edit M0002 --set kind=robot
expect_rc 2
run tb-member edit M0002 --set joined=someday
expect_rc 2

t "edit: an unknown member is exit 4"
run tb-member edit M9999 --set phone=1
expect_rc 4

t "failed edits wrote nothing"
if [ "$(store_digest)" = "$before" ]; then ok; else fail "the store changed"; fi

# --- deactivate / reactivate -----------------------------------------------
t "deactivate"
run tb-member deactivate M0010 --reason "moved away"
expect_rc 0
expect_out_empty
expect_sql "SELECT status, status_reason FROM member WHERE id = 'M0010'" "inactive|moved away"
expect_sql "$LAST_AUDIT" "tester|tb-member deactivate|M0010|status,status_reason"

t "list leaves out inactive members; --inactive and --all show them"
run tb-member list --format csv --no-header
expect_out_lacks "M0010"
run tb-member list --inactive --format csv --no-header
expect_out "M0010,Dev Patel,person,inactive,,,,,2026-11-27,dog walking,,,,,0.00"
run tb-member list --all --format csv --no-header
expect_out_has "M0010,"
expect_out_has "M0001,"
run tb-member list --all --inactive
expect_rc 2

t "deactivate twice is a notice, not an error"
before=$(store_digest)
run tb-member deactivate M0010
expect_rc 0
expect_err "tb-member: M0010 is already inactive"
if [ "$(store_digest)" = "$before" ]; then ok; else fail "the store changed"; fi

t "reactivate"
run tb-member reactivate M0010
expect_rc 0
expect_sql "SELECT status, coalesce(status_reason, '') FROM member WHERE id = 'M0010'" "active|"
expect_sql "$LAST_AUDIT" "tester|tb-member reactivate|M0010|status"
run tb-member reactivate M0010
expect_rc 0
expect_err "tb-member: M0010 is already active"
run tb-member deactivate M9999
expect_rc 4

# --- skills -----------------------------------------------------------------
t "skill add --offers, several at once"
run tb-member skill add M0003 --offers "dog walking" "shopping;ironing"
expect_rc 0
expect_out_empty
expect_sql "SELECT group_concat(skill, ',') FROM (SELECT skill FROM member_skill WHERE member = 'M0003' AND direction = 'offers' ORDER BY rowid)" \
  "dog walking,shopping,ironing"
expect_sql "$LAST_AUDIT" "tester|tb-member skill add|M0003|offers"

t "skill remove --wants"
run tb-member skill remove M0003 --wants shopping
expect_rc 0
expect_sql "SELECT group_concat(skill, ',') FROM member_skill WHERE member = 'M0003' AND direction = 'wants'" "gardening"
expect_sql "$LAST_AUDIT" "tester|tb-member skill remove|M0003|wants"

t "skill remove of a skill the member lacks"
before=$(store_digest)
run tb-member skill remove M0003 --wants shopping
expect_rc 4
run tb-member skill add M0003 knitting
expect_rc 2
expect_err_has "say --offers or --wants"
run tb-member skill add M0003 --offers --wants knitting
expect_rc 2
run tb-member skill add M9999 --offers knitting
expect_rc 4
if [ "$(store_digest)" = "$before" ]; then ok; else fail "the store changed"; fi

# --- safeguarding checks ----------------------------------------------------
t "check add with expiry"
run tb-member check add M0001 DBS --expires 2027-03-01
expect_rc 0
expect_out_empty
expect_sql "SELECT name, expires FROM member_check WHERE member = 'M0001'" "dbs|2027-03-01"
expect_sql "$LAST_AUDIT" "tester|tb-member check add|M0001|checks"

t "check add again renews the expiry"
run tb-member check add M0001 dbs --expires 2028-03-01
expect_rc 0
expect_sql "SELECT name, expires FROM member_check WHERE member = 'M0001'" "dbs|2028-03-01"

t "an expired check is kept, warned about, and shown as expired"
run tb-member check add M0001 driving-licence --expires 2026-11-26
expect_rc 0
expect_err "tb-member: warning: the driving-licence check of M0001 has already expired"
run tb-member show M0001
expect_out_has "checks:        dbs (expires 2028-03-01); driving-licence (expires 2026-11-26, EXPIRED)"
run tb-member check add M0001 dbs --expires 2027-02-30
expect_rc 2
run tb-member check add M0001 dbs
expect_rc 2

t "check remove"
run tb-member check remove M0001 driving-licence
expect_rc 0
expect_sql "SELECT count(*) FROM member_check WHERE member = 'M0001'" "1"
expect_sql "$LAST_AUDIT" "tester|tb-member check remove|M0001|checks"
run tb-member check remove M0001 driving-licence
expect_rc 4

# --- blocks -----------------------------------------------------------------
t "block a pair"
run tb-member block M0002 M0001 --reason "safeguarding concern"
expect_rc 0
expect_out_empty
expect_sql "SELECT a, b, reason FROM block" "M0001|M0002|safeguarding concern"
expect_sql "SELECT command || ':' || target FROM audit WHERE command = 'tb-member block' ORDER BY id" \
  "tb-member block:M0002
tb-member block:M0001"
run tb-member show M0001 --format json
expect_out_has '"blocked_with": ["M0002"]'

t "block again is a notice; a member cannot be blocked from themselves"
run tb-member block M0001 M0002
expect_rc 0
expect_err "tb-member: M0001 and M0002 are already blocked"
run tb-member block M0001 M0001
expect_rc 3
run tb-member block M0001 M9999
expect_rc 4

t "unblock"
run tb-member unblock M0001 ann@example.org
expect_rc 3
run tb-member unblock M0001 M0002
expect_rc 0
expect_sql "SELECT count(*) FROM block" "0"
run tb-member unblock M0001 M0002
expect_rc 4

# --- who: --recorded-by, TB_USER, USER ---------------------------------------
t "who is recorded: TB_USER, else USER"
run env -u TB_USER USER=carol tb-member skill add M0002 --wants gardening
expect_rc 0
expect_sql "$LAST_AUDIT" "carol|tb-member skill add|M0002|wants"
run env TB_USER=dave tb-member skill add M0002 --wants ironing --recorded-by erin
expect_sql "$LAST_AUDIT" "erin|tb-member skill add|M0002|wants"
expect_sql "SELECT count(*) FROM audit WHERE at NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'" "0"

# --- forget -----------------------------------------------------------------
t "forget: set up a member with personal data and exchanges"
run tb-member add "Zebedee Quintrell" --email zeb.quintrell@example.org --phone 07700900123 \
  --postcode "LS6 2QT" --neighbourhood Woodhouse --note "Hearing aid, call twice" --offers knitting \
  --wants "lifts" --tag uses-services
expect_out "M0012"
tb-member check add M0012 dbs --expires 2027-01-01 || fail "check add"
tb-member block M0012 M0002 --reason "Quintrell family dispute" || fail "block"
n1=$(tb-exchange record --provider M0012 --recipient M0002 --hours 2 --note "Knitted scarf for Quintrell grandchild" \
  --override "Quintrell family agreed")
tb-exchange record --provider M0002 --recipient M0012 --hours 1 --date 2026-11-28 \
  --note "Lift to Quintrell GP" --override "Quintrell asked late" >/dev/null || fail "record"
tb-exchange record --provider M0001 --recipient M0003 --hours 1 --note "Keep this note" >/dev/null || fail "record"
tb-exchange void "$n1" --reason "Quintrell says it was wrong" >/dev/null || fail "void"
tb-exchange opening --member M0012 --hours 3 --note "Quintrell old bank" >/dev/null || fail "opening"
balances=$(sqlite3 -readonly "$TIMEBANK_DB" "SELECT id || ':' || balance || ':' || opening FROM member ORDER BY id")
grep -qa "Quintrell" "$TIMEBANK_DB" "$TIMEBANK_DB-wal" 2>/dev/null && ok || fail "set-up: the name should be in the store before forget"

t "forget needs --yes when not on a terminal"
before=$(store_digest)
run_in "" tb-member forget M0012 --reason "member asked"
expect_rc 2
expect_err_has "add --yes"
if [ "$(store_digest)" = "$before" ]; then ok; else fail "the store changed"; fi

t "forget needs --reason"
run_in "" tb-member forget M0012 --yes
expect_rc 2

t "forget an unknown member"
run_in "" tb-member forget M9999 --reason x --yes
expect_rc 4

t "forget --yes, by email"
run_in "" tb-member forget zeb.quintrell@example.org --reason "member asked" --yes
expect_rc 0
expect_out_empty
expect_sql "SELECT name, status, coalesce(email, ''), coalesce(phone, ''), coalesce(postcode, ''),
  coalesce(neighbourhood, ''), coalesce(note, '') FROM member WHERE id = 'M0012'" "forgotten-M0012|forgotten|||||"
expect_sql "SELECT (SELECT count(*) FROM member_skill WHERE member = 'M0012')
  + (SELECT count(*) FROM member_tag WHERE member = 'M0012')
  + (SELECT count(*) FROM member_check WHERE member = 'M0012')
  + (SELECT count(*) FROM block WHERE a = 'M0012' OR b = 'M0012')" "0"
expect_sql "SELECT number || ':' || note || ':' || override_reason FROM exchange ORDER BY number" "1::
2::
3:Keep this note:
4::"
expect_sql "SELECT note FROM opening WHERE member = 'M0012'" ""
expect_sql "$LAST_AUDIT" \
  "tester|tb-member forget|M0012|name,email,phone,postcode,neighbourhood,note,offers,wants,tags,checks,blocks,exchange notes,request texts"

t "forget: balances unchanged, the ledger still checks"
expect_sql "SELECT id || ':' || balance || ':' || opening FROM member ORDER BY id" "$balances"
run tb-exchange balance M0012 --format csv --no-header
expect_out "M0012,forgotten-M0012,2.00,120,3.00"
run tb check
expect_rc 0
expect_out_empty
expect_err_empty

t "forget: nothing of the person is left in the raw store file"
for word in Quintrell Zebedee zeb.quintrell 07700900123 "LS6 2QT" Woodhouse "Hearing aid" knitting "Knitted scarf" "Lift to"; do
  if grep -qaF -- "$word" "$TIMEBANK_DB" "$TIMEBANK_DB-wal" 2>/dev/null; then fail "'$word' is still in the store file"; else ok; fi
done
t "forget: the audit log holds no personal values"
audit_dump=$(sqlite3 -readonly "$TIMEBANK_DB" "SELECT * FROM audit")
for word in Quintrell Zebedee zeb Hearing 07700 Ann "ann@example.org" "Prefers" "Has a dog" "safeguarding concern" "moved away"; do
  if printf '%s' "$audit_dump" | grep -qF -- "$word"; then fail "audit holds '$word'"; else ok; fi
done

t "a forgotten member is listed only with --all, and cannot be edited"
run tb-member list --format csv --no-header
expect_out_lacks "M0012"
run tb-member list --all --format csv --no-header
expect_out_has "M0012,forgotten-M0012,person,forgotten,,,,,"
run tb-member edit M0012 --set phone=1
expect_rc 3
run tb-member reactivate M0012
expect_rc 3
run_in "" tb-member forget M0012 --reason again --yes
expect_rc 0
expect_err "tb-member: M0012 is already forgotten"

finish
