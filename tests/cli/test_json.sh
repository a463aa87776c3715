#!/usr/bin/env bash
# JSON is data, never display text (issue 12): every command that prints
# json or jsonl, run on one small store, checked field by field for its
# exact keys (in order) and the type of every value: numbers as numbers
# (hours beside minutes), dates as strings, lists as arrays, absent values as
# null, objects where a value has parts. A generic check then walks every
# string value: outside the free-text fields (names, notes, request text,
# reasons) no value is a sentence or a "value (detail)" string.
. "$(dirname "$0")/lib.sh"

cat > timebank.toml <<'EOF'
[timebank]
name = "Json Bank"

[safeguarding]
aliases = { "enhanced dbs" = "dbs" }
EOF
tb init >/dev/null
add() { tb-member add "$@" >/dev/null || echo "setup failed: tb-member add $*" >&2; }
add "Ann Lee" --id A1 --neighbourhood "Hyde Park" --postcode "LS6 1AA" --offers "gardening;lifts to the shops" --tag carer
add "Bob Marsh" --id B1 --neighbourhood "Hyde Park" --postcode "LS6 2BB" --offers "cooking;befriending" --wants gardening --min-balance -10
add "Cath Obi" --id C1 --postcode "LS6 3CC" --offers "gardening;befriending" --max-balance none
add "Dan Wu" --id D1 --kind organisation --wants "befriending"
tb-member check add A1 driving-licence --expires 2027-03-01 >/dev/null
tb-member check add C1 "Enhanced DBS" --expires 2026-10-01 2>/dev/null
tb-member block B1 D1 --reason "a safeguarding concern" >/dev/null
rec() { tb-exchange record "$@" >/dev/null || echo "setup failed: tb-exchange record $*" >&2; }
rec --provider A1 --recipient B1 --hours 1.5 --category Gardening --date 2026-11-02 --note "weeded the beds"
rec --provider B1 --recipient A1 --hours 1 --category Cooking --date 2026-11-10
rec --provider C1 --recipient D1 --hours 2 --category Gardening --date 2026-11-20
rec --provider A1 --recipient C1 --hours 0.25 --category Transport --date 2026-11-24
rec --provider B1 --recipient C1 --hours 12 --category Cooking --date 2026-11-25 --override "agreed by the steering group"
tb-exchange void 4 --reason "entered twice" >/dev/null
tb-exchange opening D1 --hours 3 >/dev/null 2>&1 || tb-exchange opening --member D1 --hours 3 >/dev/null
tb-exchange donate --from A1 --hours 1 >/dev/null
tb-exchange grant --to B1 --hours 0.5 --reason housebound >/dev/null
tb-match request add D1 --category Befriending --text "a weekly visit" --hours 2 --needed-by 2026-12-10 >/dev/null
tb-match request add B1 --category Gardening --text "help with the garden" >/dev/null

# The schemas: key -> type, in output order. A type is int, num (a number:
# int or float, never a string), str, date (YYYY-MM-DD), ts (UTC ISO 8601),
# bool, strs (an array of strings), any, a nested schema (an object), a
# one-element list [schema] (an array of such objects); "?" after a type:
# it may be null.
cat > "$WORK/check.py" <<'EOF'
import json, re, sys

CHECK = {"name": "str", "expires": "date", "expired": "bool"}
LIMIT = {"hours": "num?", "minutes": "int?", "source": "str"}
MEMBER_FIELDS = {"id": "str", "name": "str", "kind": "str", "status": "str", "email": "str", "phone": "str",
                 "postcode": "str", "neighbourhood": "str", "joined": "date", "offers": "strs", "wants": "strs",
                 "tags": "strs", "checks": [CHECK], "note": "str", "balance": "num"}
MEMBER = dict(MEMBER_FIELDS, balance_minutes="int")
EXCHANGE = {"number": "int", "date": "date", "provider": "str", "recipient": "str", "hours": "num",
            "minutes": "int", "category": "str", "note": "str", "ref": "str?", "reverses": "int?",
            "recorded_at": "ts", "recorded_by": "str"}
EXCHANGE_LIST = dict(EXCHANGE, provider_name="str", recipient_name="str")
SUGGEST = {"member": "str", "name": "str", "score": "num"}
TIMES = {"hours": "num", "minutes": "int"}
FIGURES = {"exchanges": "int", "hours": "num", "minutes": "int", "members": "int", "new_members": "int",
           "split": [{"kind": "str", "exchanges": "int", "hours": "num", "minutes": "int"}],
           "requests": {"made": "int", "met": "int", "withdrawn": "int", "median_days_to_match": "num?"}}
LIMIT_ROW = {"member": "str", "name": "str", "balance": "num", "balance_minutes": "int", "limit": "num",
             "limit_minutes": "int", "side": "str"}
NET_MEMBER = {"member": "str", "name": "str", "kind": "str", "partners": "int", "exchanges": "int",
              "given": "num", "given_minutes": "int", "received": "num", "received_minutes": "int",
              "gave_and_received": "bool", "group": "int"}
SCHEMAS = {
    "member": MEMBER,
    "member_show": dict(MEMBER_FIELDS, minutes="int", opening="num", opening_minutes="int", min_balance=LIMIT,
                        max_balance=LIMIT, blocked_with="strs", status_reason="str", last_exchange="date?",
                        created_at="ts"),
    "member_export": dict(MEMBER, min_balance=LIMIT, max_balance=LIMIT, opening="num", opening_minutes="int"),
    "check_list": {"member": "str", "member_name": "str", "check": "str", "expires": "date", "expired": "bool",
                   "days_left": "int"},
    "block_list": {"member_a": "str", "name_a": "str", "member_b": "str", "name_b": "str", "reason": "str",
                   "created_at": "ts"},
    "exchange": EXCHANGE,
    "exchange_list": EXCHANGE_LIST,
    "exchange_show": dict(EXCHANGE_LIST, override="str?", voided_by="int?", amends="int?", amended_by="int?"),
    "balance": {"id": "str", "name": "str", "balance": "num", "minutes": "int", "opening": "num",
                "opening_minutes": "int"},
    "statement": {"date": "date", "number": "int?", "type": "str", "provider": "str?", "provider_name": "str?",
                  "recipient": "str?", "recipient_name": "str?", "category": "str?", "note": "str?", "amends": "int?",
                  "amended_by": "int?", "hours": "num?", "minutes": "int?", "balance": "num", "balance_minutes": "int",
                  "reverses": "int?"},
    "request": {"number": "int", "member": "str", "member_name": "str", "category": "str", "text": "str",
                "hours": "num?", "minutes": "int?", "needed_by": "date?", "status": "str", "exchange": "int?",
                "proposed": "strs", "created_at": "ts", "outcome": "str?", "closed_at": "ts?", "reason": "str?"},
    "suggest": SUGGEST,
    "suggest_explain": dict(SUGGEST, skill="num", place="num", recency="num", fairness="num", history="num",
                            why={"skill": {"offers": "strs", "category": "strs", "terms": "int"},
                                 "place": {"match": "str", "district": "str?"},
                                 "recency": {"last_exchange": "date?", "days_ago": "int?"},
                                 "fairness": {"gave": "int", "in_days": "int", "open_proposals": "int",
                                              "balance": "num", "balance_minutes": "int"},
                                 "history": {"earlier_exchanges": "int"}}),
    "run": {"request": "int", "requester": "str", "category": "str", "member": "str", "name": "str",
            "score": "num"},
    "config": {"key": "str", "value": "any?", "source": "str", "file": "str?", "line": "int?", "name": "str?"},
    "summary": {"group": "str", "measure": "str", "item": "str?", "value": "num?", "previous": "num?",
                "change_pct": "num?", "minutes": "int?", "previous_minutes": "int?"},
    "hub_summary": {"group": "str", "measure": "str", "item": "str?", "value": "num?", "previous": "num?",
                    "change_pct": "num?", "minutes": "int?", "previous_minutes": "int?"},
    "balances": {"member": "str", "name": "str", "kind": "str", "status": "str", "balance": "num",
                 "minutes": "int", "opening": "num", "opening_minutes": "int",
                 "beyond_limit": {"?": True, "side": "str", "limit": "num", "limit_minutes": "int"}},
    "activity": {"period": "str", "from": "date", "to": "date", "exchanges": "int", "hours": "num",
                 "minutes": "int", "members": "int", "new_members": "int"},
    "members": {"member": "str", "name": "str", "kind": "str", "neighbourhood": "str", "joined": "date",
                "last_exchange": "date?", "days_inactive": "int?", "exchanges": "int", "given": "num",
                "given_minutes": "int", "received": "num", "received_minutes": "int"},
    "onboarding": {"cohort": "str", "from": "date", "to": "date", "joined": "int", "traded": "int",
                   "median_days": "num?", "waiting_30": "int", "eligible_30": "int", "waiting_90": "int",
                   "eligible_90": "int", "waiting_365": "int", "eligible_365": "int"},
    "categories": {"category": "str", "exchanges": "int", "hours": "num", "minutes": "int", "share_pct": "num",
                   "previous_hours": "num", "previous_minutes": "int", "change_pct": "num?", "in_taxonomy": "bool"},
    "social_value": {"from": "date", "to": "date", "exchanges": "int", "hours": "num", "minutes": "int",
                     "rate": "num", "currency": "str", "estimated_value": "num", "basis": "str"},
    "network": {"from": "date", "to": "date", "members_took_part": "int", "members_no_partner": "int",
                "gave_and_received": "int", "reciprocity_pct": "num?",
                "groups": [{"group": "int", "members": "int", "exchanges": "int", "hours": "num", "minutes": "int"}],
                "hubs": [NET_MEMBER], "no_partner": [{"member": "str", "name": "str", "kind": "str"}],
                "members": [NET_MEMBER]},
    "weekly": {"report": "str", "bank": "str", "today": "date", "from": "date", "to": "date", "week": "str?",
               "summary": FIGURES, "pot": {"?": True, "donated": "num", "donated_minutes": "int", "granted": "num",
                                           "granted_minutes": "int", "balance": "num", "balance_minutes": "int"},
               "previous": {"?": True, "from": "date", "to": "date", "summary": FIGURES},
               "change_pct": {"?": True, "exchanges": "num?", "hours": "num?", "members": "num?",
                              "new_members": "num?"},
               "weeks": [{"week": "str", "from": "date", "to": "date", "exchanges": "int", "hours": "num",
                          "minutes": "int"}],
               "categories": [{"category": "str", "exchanges": "int", "hours": "num", "minutes": "int"}],
               "beyond_limits": [LIMIT_ROW], "warn_below": {"?": True, "hours": "num", "minutes": "int"},
               "under_warning": [LIMIT_ROW], "inactive_days": "int",
               "inactive": [{"member": "str", "name": "str", "last_exchange": "date?", "joined": "date",
                             "days": "int"}],
               "new_members": [{"member": "str", "name": "str", "kind": "str", "joined": "date",
                                "first_exchange": "date?"}],
               "new_members_without_first_exchange": "int", "open_request_count": "int",
               "open_requests": [{"number": "int", "member": "str", "name": "str", "category": "str",
                                  "text": "str", "hours": "num?", "minutes": "int?", "needed_by": "date?",
                                  "created_at": "ts"}],
               "follow_up_days": "int",
               "pending_proposals": [{"request": "int", "requester": "str", "requester_name": "str",
                                      "category": "str", "member": "str", "name": "str", "proposed": "date",
                                      "days": "int"}],
               "past_needed_by": [{"number": "int", "member": "str", "name": "str", "category": "str",
                                   "text": "str", "needed_by": "date?", "days_late": "int"}],
               "checks_expiring": [{"member": "str", "name": "str", "check": "str", "expires": "date",
                                    "days_left": "int"}],
               "checks_expired": "int",
               "chain_heads": [{"chain": "str", "number": "int", "hash": "str"}]},
}
# Hub reports: the bank's figures with "bank" first.
SCHEMAS["hub_summary_by_bank"] = dict({"bank": "str"}, **{k: v for k, v in SCHEMAS["hub_summary"].items() if k != "group"})
SCHEMAS["hub_social_value"] = dict({"bank": "str"}, **{k: v for k, v in SCHEMAS["social_value"].items() if k != "basis"})
SCHEMAS["hub_social_value"]["rate"] = "num?"
SCHEMAS["hub_network"] = {"bank": "str", "members_took_part": "int", "members_no_partner": "int", "groups": "int",
                          "largest_group": "int", "gave_and_received": "int", "reciprocity_pct": "num?"}
SCHEMAS["hub_onboarding"] = dict({"bank": "str"}, **{k: v for k, v in SCHEMAS["onboarding"].items() if k != "cohort"})
SCHEMAS["hub_categories"] = dict({"bank": "str"}, **{k: v for k, v in SCHEMAS["categories"].items() if k != "in_taxonomy"})
SCHEMAS["hub_activity"] = SCHEMAS["activity"]

# Values a script uses as they are; free text (names, notes, reasons...) may
# be anything a person wrote.
FREE_TEXT = {"name", "member_name", "provider_name", "recipient_name", "name_a", "name_b", "note", "text",
             "reason", "status_reason", "override", "category", "item", "bank", "email", "phone", "postcode",
             "neighbourhood", "offers", "wants", "tags", "recorded_by", "group", "cohort", "file", "value"}
# A value a script uses as it is has no spaces and no brackets: an ID, a
# date, a keyword (hours_x_rate, same_district, void), a hash.
PROSE = re.compile(r"\s|[()]")

def fail(path, msg):
    sys.exit(f"{path}: {msg}")

def check(v, t, path):
    if isinstance(t, dict):
        if v is None:
            if t.get("?"):
                return
            fail(path, "null, expected an object")
        if not isinstance(v, dict):
            fail(path, f"{v!r} is not an object")
        want = [k for k in t if k != "?"]
        if list(v) != want:
            fail(path, f"keys {list(v)}, expected {want}")
        for k in want:
            check(v[k], t[k], f"{path}.{k}")
        return
    if isinstance(t, list):
        if not isinstance(v, list):
            fail(path, f"{v!r} is not an array")
        for i, e in enumerate(v):
            check(e, t[0], f"{path}[{i}]")
        return
    if t.endswith("?"):
        if v is None:
            return
        t = t[:-1]
    ok = {"int": lambda x: isinstance(x, int) and not isinstance(x, bool),
          "num": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
          "str": lambda x: isinstance(x, str),
          "date": lambda x: isinstance(x, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", x),
          "ts": lambda x: isinstance(x, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", x),
          "bool": lambda x: isinstance(x, bool),
          "strs": lambda x: isinstance(x, list) and all(isinstance(e, str) for e in x),
          "any": lambda x: True}[t](v)
    if not ok:
        fail(path, f"{v!r} is not {t}")

def no_prose(v, path, key=None):
    if isinstance(v, dict):
        for k, e in v.items():
            no_prose(e, f"{path}.{k}", k)
    elif isinstance(v, list):
        for i, e in enumerate(v):
            no_prose(e, f"{path}[{i}]", key)
    elif isinstance(v, str) and key not in FREE_TEXT and PROSE.search(v):
        fail(path, f"{v!r} is display text, not data")

mode, name = sys.argv[1], sys.argv[2]
raw = sys.stdin.read()
if mode == "jsonl":
    docs = [json.loads(l) for l in raw.splitlines()]
    if not docs:
        fail(name, "no lines")
else:
    docs = json.loads(raw)
    if mode == "array":
        if not isinstance(docs, list) or not docs:
            fail(name, "not a non-empty array")
    else:
        docs = [docs]
for i, d in enumerate(docs):
    check(d, SCHEMAS[name], f"{name}[{i}]")
    no_prose(d, f"{name}[{i}]")
print(len(docs))
EOF

# json_is MODE SCHEMA COUNT CMD...: runs CMD; its stdout (array: one json
# array; object: one json object; jsonl: one object a line) must match
# SCHEMA in every record and hold COUNT records.
json_is() {
  local mode=$1 schema=$2 count=$3; shift 3
  t "json: $*"
  run "$@"
  if [ "$RC" -ne 0 ]; then fail "exit $RC"; return; fi
  local got
  got=$(printf '%s\n' "$OUT" | python3 "$WORK/check.py" "$mode" "$schema" 2>&1)
  if [ "$got" = "$count" ]; then ok; else fail "$got (expected $count records)"; fi
}

json_is array member 4 tb-member list --format json
json_is jsonl member 4 tb-member find a --format jsonl
json_is object member_show 1 tb-member show A1 --format json
json_is object member_show 1 tb-member show B1 --format json
json_is array member_export 4 tb-member export --format json
json_is array check_list 2 tb-member check list --format json
json_is array block_list 1 tb-member block list --format json
json_is array exchange_list 6 tb-exchange list --format json
json_is jsonl exchange_list 2 tb-exchange list --voided --format jsonl
json_is object exchange_show 1 tb-exchange show 5 --format json
json_is object exchange_show 1 tb-exchange show 4 --format json
json_is array exchange 8 tb-exchange export --format json
json_is array balance 5 tb-exchange balance --format json
json_is array balance 1 tb-exchange balance --pot --format json
json_is array statement 5 tb-exchange statement A1 --format json
json_is jsonl statement 4 tb-exchange statement A1 --period 2026-11-20..2026-11-30 --format jsonl
json_is array request 2 tb-match request list --format json
json_is array suggest 2 tb-match suggest 2 --format json
json_is array suggest_explain 2 tb-match suggest 2 --explain --format json
json_is jsonl suggest_explain 1 tb-match suggest 2 --explain --limit 1 --format jsonl
json_is array run 1 tb-match run --dry-run --format json
json_is array config 21 tb config --format json
json_is array summary 16 tb-report summary --period 2026-11 --format json
json_is array summary 29 tb-report summary --period 2026-11 --by tag --format json
json_is array summary 16 tb-report summary --period 2026-11 --compare last-year --format json
json_is array balances 4 tb-report balances --format json
json_is array activity 5 tb-report activity --period 2026-11 --by week --format json
json_is array members 4 tb-report members --format json
json_is array onboarding 2 tb-report onboarding --period 2026-11 --format json
json_is array categories 21 tb-report categories --period 2026-11 --format json
json_is object social_value 1 tb-report social-value --period 2026-11 --format json
json_is object network 1 tb-report network --period 2026-11 --format json
json_is object weekly 1 tb-report weekly --period 2026-11 --format json
json_is object weekly 1 tb-report weekly --format json

t "json values: a check, a limit, the beyond_limit object, nulls for what is absent"
run tb-member show C1 --format json
expect_out_has '"checks": [{"name":"dbs","expires":"2026-10-01","expired":true}]'
expect_out_has '"max_balance": {"hours":null,"minutes":null,"source":"member"}'
run tb-member show B1 --format json
expect_out_has '"min_balance": {"hours":-10,"minutes":-600,"source":"member"}'
expect_out_has '"max_balance": {"hours":null,"minutes":null,"source":"bank"}'
run tb-report balances --format jsonl
expect_out_has '"member":"C1","name":"Cath Obi","kind":"person","status":"active","balance":-10,"minutes":-600,"opening":0,"opening_minutes":0,"beyond_limit":null}'
run tb-member edit C1 --set max_balance=-11
run tb-report balances --format jsonl
expect_out_has '"beyond_limit":{"side":"above","limit":-11,"limit_minutes":-660}}'
run tb-exchange show 1 --format json
expect_out_has '"override": null,'
run tb-exchange show 5 --format json
expect_out_has '"override": "agreed by the steering group",'

t "json values: members' balances in minutes beside the hours (json and jsonl only)"
run tb-member list --format jsonl
expect_out_has '"note":"","balance":-10,"balance_minutes":-600}'
run tb-member find "Cath" --format json
expect_out_has '"balance":-10,"balance_minutes":-600}'
run tb-member export --format jsonl
expect_out_has '"opening":3,"opening_minutes":180}'
for cmd in "list" "find Cath" "export"; do
  run tb-member $cmd --format csv
  expect_out_lacks "_minutes"
done

t "json values: tb config, each value typed and its origin in fields"
run tb config --format json
expect_out_has '{"key":"timebank.name","value":"Json Bank","source":"file","file":"timebank.toml","line":2,"name":null}'
expect_out_has '{"key":"policy.min_balance","value":-20,"source":"default","file":null,"line":null,"name":null}'
expect_out_has '{"key":"policy.max_balance","value":null,"source":"default","file":null,"line":null,"name":null}'
expect_out_has '{"key":"policy.strict_categories","value":true,"source":"default"'
expect_out_has '{"key":"safeguarding.aliases","value":{"enhanced dbs":"dbs"},"source":"file","file":"timebank.toml","line":5,"name":null}'
expect_out_has '{"key":"match.weights","value":{"skill":1,"place":0.5,"recency":0.3,"fairness":0.3,"history":0.2},"source":"default"'
run tb --db "$WORK/timebank.db" config --format jsonl
expect_out_has '{"key":"store.path","value":"'"$WORK"'/timebank.db","source":"option","file":null,"line":null,"name":"--db"}'
run tb config --format csv
expect_out_has "timebank.name,Json Bank,timebank.toml:2"
expect_out_has "policy.max_balance,none,default"

t "json values: suggest --explain gives the facts behind each part"
run tb-match suggest 2 --explain --format json --limit 1
expect_out '[
  {"member":"A1","name":"Ann Lee","score":2.1311,"skill":1,"place":1,"recency":1,"fairness":0.659,"history":0.667,"why":{"skill":{"offers":["garden"],"category":[],"terms":1},"place":{"match":"same_neighbourhood","district":null},"recency":{"last_exchange":"2026-11-27","days_ago":0},"fairness":{"gave":1,"in_days":90,"open_proposals":0,"balance":-0.5,"balance_minutes":-30},"history":{"earlier_exchanges":2}}}
]'
run tb-match suggest 2 --explain --format jsonl
expect_out_has '"place":{"match":"same_district","district":"LS6"},"recency":{"last_exchange":"2026-11-25","days_ago":2}'
run tb-match suggest 2 --explain --format csv --no-header
expect_out_has "skill: offers: garden; of 1 term | place: same neighbourhood | recency: last exchange 2026-11-27 (today) | fairness: gave 1 in 90 days, 0 open proposals, balance -0.50 | history: 2 earlier exchanges"
expect_out_has "place: same postcode district LS6 | recency: last exchange 2026-11-25 (2 days ago)"

t "json values: a statement's void is type void with reverses; brought forward has no parties"
run tb-exchange statement A1 --period 2026-11-20..2026-11-30 --format jsonl
expect_out_has '{"date":"2026-11-19","number":null,"type":"brought_forward","provider":null,"provider_name":null,"recipient":null,"recipient_name":null,"category":null,"note":null,"amends":null,"amended_by":null,"hours":null,"minutes":null,"balance":0.5,"balance_minutes":30,"reverses":null}'
expect_out_has '"number":6,"type":"void",'
expect_out_has '"balance":0.5,"balance_minutes":30,"reverses":4}'
run tb-exchange statement A1 --period 2026-11-20..2026-11-30 --format csv --no-header
expect_out_has "2026-11-27,6,void of 4,C1,Cath Obi,A1,Ann Lee,Transport & lifts,entered twice,,,-0.25,-15,0.50"

t "the prose check catches display text"
bad='[{"id":"x","name":"n","kind":"person","status":"active (since 2026-01-01)","email":"","phone":"","postcode":"","neighbourhood":"","joined":"2026-01-01","offers":[],"wants":[],"tags":[],"checks":[],"note":"","balance":0}]'
if printf '%s' "$bad" | python3 "$WORK/check.py" array member >/dev/null 2>&1; then fail "a value (detail) string passed"; else ok; fi
bad=${bad/\"balance\":0/\"balance\":\"0.00\"}
if printf '%s' "$bad" | python3 "$WORK/check.py" array member >/dev/null 2>&1; then fail "a number as text passed"; else ok; fi

# A hub of three banks (the shipped example): every hub report in json.
unset TIMEBANK_DB
if bash "$TB_SRC/examples/network/build-network.sh" net >/dev/null 2>&1; then
  json_is array hub_summary 18 tb hub report summary --hub net/hub.toml --period 2026-11 --format json
  json_is array hub_summary_by_bank 59 tb hub report summary --hub net/hub.toml --period 2026-11 --by bank --format json
  json_is array hub_activity 1 tb hub report activity --hub net/hub.toml --period 2026-11 --format json
  json_is array hub_categories 21 tb hub report categories --hub net/hub.toml --period 2026-11 --format json
  json_is object hub_network 1 tb hub report network --hub net/hub.toml --period 2026-11 --format json
  json_is object hub_social_value 1 tb hub report social-value --hub net/hub.toml --period 2026-11 --format json
  json_is array hub_onboarding 1 tb hub report onboarding --hub net/hub.toml --period 2026-11 --format json
else
  t "the example network builds"; fail "build-network.sh failed"
fi

finish
