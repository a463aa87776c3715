#!/usr/bin/env bash
# Safeguarding that a spelling cannot bypass (issue 12): categories resolve to
# the taxonomy, matching fails safe, check names are a closed list, blocked
# pairs need --override, checks travel through export and import.
. "$(dirname "$0")/lib.sh"

# The bank's own config (empty: every default), found in the current
# directory; a one-off --config below is then not remembered as the bank's.
: > timebank.toml
tb init >/dev/null
add() { tb-member add "$@" >/dev/null || echo "setup failed: tb-member add $*" >&2; }
add "Rita Requester" --id R1 --neighbourhood "Hyde Park"
add "Dan Driver" --id D1 --offers "lifts to the shops;gardening"
add "Nora Nolicence" --id D2 --offers "lifts to the shops;gardening"
add "Evan Expired" --id D3 --offers "lifts to the shops;gardening"
add "Carla Carer" --id C1 --offers "befriending"

# --- categories -------------------------------------------------------------

t "request add: a case variant, a prefix and a skill land under the taxonomy's name"
run tb-match request add R1 --category "transport & LIFTS" --text "lift to the shops"
expect_rc 0
expect_sql "SELECT category FROM request WHERE number = $OUT" "Transport & lifts"
run tb-match request add R1 --category Transport --text "lift to the shops"
expect_rc 0
expect_sql "SELECT category FROM request WHERE number = $OUT" "Transport & lifts"
run tb-match request add R1 --category Care --text "someone to chat to"
expect_rc 0
expect_sql "SELECT category FROM request WHERE number = $OUT" "Care & companionship"
run tb-match request add R1 --category "hospital runs" --text "to the infirmary"
expect_rc 0
expect_sql "SELECT category FROM request WHERE number = $OUT" "Transport & lifts"
tb-match request close 1 --withdrawn >/dev/null; tb-match request close 2 --withdrawn >/dev/null
tb-match request close 3 --withdrawn >/dev/null; tb-match request close 4 --withdrawn >/dev/null

t "request add: an unknown or ambiguous category is refused (exit 3) with the nearest names"
before=$(store_digest)
run tb-match request add R1 --category "Transprot" --text "lift"
expect_rc 3
expect_err "tb-match: rejected: category 'Transprot' is not in the taxonomy (did you mean 'Transport & lifts'?); the categories are listed by \`tb config\`"
run tb-match request add R1 --category "C" --text "x"
expect_rc 3
expect_err_has "(did you mean 'Care & companionship', 'Cooking & food', 'Computers & IT' or 'Children & families'?)"
[ "$(store_digest)" = "$before" ] && ok || fail "a refused request changed the store"

t "exchange record: a case variant, a prefix and a skill land under the taxonomy's name"
run tb-exchange record --provider D1 --recipient R1 --hours 1 --category "languages"
expect_rc 0
expect_sql "SELECT category FROM exchange WHERE number = $OUT" "Languages & translation"
run tb-exchange record --provider D1 --recipient R1 --hours 1 --category "GARDENING"
expect_rc 0
expect_sql "SELECT category FROM exchange WHERE number = $OUT" "Gardening"
run tb-exchange record --provider D1 --recipient R1 --hours 1 --category "weeding"
expect_rc 0
expect_sql "SELECT category FROM exchange WHERE number = $OUT" "Gardening"
expect_sql "SELECT count(DISTINCT category) FROM exchange" "2"

t "exchange record: an unknown category is refused under the default config"
before=$(store_digest)
run tb-exchange record --provider D1 --recipient R1 --hours 1 --category "Langauges"
expect_rc 3
expect_err "tb-exchange: rejected: category 'Langauges' is not in the taxonomy (did you mean 'Languages & translation'?); the categories are listed by \`tb config\`"
[ "$(store_digest)" = "$before" ] && ok || fail "a refused exchange changed the store"

t "exchange list --category resolves the same way"
run tb-exchange list --category garden --format csv --no-header
expect_rc 0
[ "$(printf '%s\n' "$OUT" | cut -d, -f1 | tr '\n' ' ')" = "2 3 " ] && ok || fail "list --category garden gave: $OUT"
run tb-exchange list --category "Gardning"
expect_rc 3
expect_err_has "did you mean 'Gardening'?"

t "exchange import: each row's category resolves; an unknown one rejects the file"
cat > ex.csv <<'CSV'
date,provider,recipient,hours,category
2026-11-20,D1,R1,1,cooking
2026-11-21,D1,R1,1,Shopping
2026-11-22,D1,R1,1,Plumbing
CSV
before=$(store_digest)
run tb-exchange import ex.csv
expect_rc 3
expect_err_has "ex.csv:4: category: category 'Plumbing' is not in the taxonomy"
[ "$(store_digest)" = "$before" ] && ok || fail "a rejected import changed the store"
sed -i '$d' ex.csv
run tb-exchange import ex.csv
expect_rc 0
expect_sql "SELECT group_concat(category, '|') FROM exchange WHERE date IN ('2026-11-20', '2026-11-21')" "Cooking & food|Shopping & errands"

t "strict_categories = false: an unknown category is kept, with a warning"
printf '[policy]\nstrict_categories = false\n' > loose.toml
run tb-exchange --config loose.toml record --provider D1 --recipient R1 --hours 1 --category "Plumbing"
expect_rc 0
expect_err "tb-exchange: warning: category 'Plumbing' is not in the taxonomy; recorded as given (strict_categories = false)"
expect_sql "SELECT category FROM exchange WHERE number = $OUT" "Plumbing"
printf 'date,provider,recipient,hours,category\n2026-11-23,D1,R1,1,Plumbing\n' > loose.csv
run tb-exchange --config loose.toml import loose.csv
expect_rc 0
expect_err "tb-exchange: warning: 1 row of loose.csv has a category that is not in the taxonomy, kept as written (strict_categories = false)"

t "exchange list --category finds an old category the ledger still holds"
run tb-exchange list --category plumbing --format csv --no-header
expect_rc 0
[ "$(printf '%s\n' "$OUT" | wc -l)" = "2" ] && ok || fail "old category rows: $OUT"

t "tb-report categories marks an old category that no longer resolves"
run tb-report categories --period 2026-11 --format csv
expect_rc 0
expect_out_has "Plumbing,2,"
printf '%s\n' "$OUT" | grep -q '^Plumbing,.*,no$' && ok || fail "Plumbing not marked: $OUT"
printf '%s\n' "$OUT" | grep -q '^Gardening,.*,yes$' && ok || fail "Gardening not marked in taxonomy: $OUT"
run tb-report categories --period 2026-11
expect_out_has "not in the taxonomy (in_taxonomy = no): Plumbing"

t "the starter config has strict_categories = true and a commented [safeguarding] table"
run tb init --db starter.db --config-out starter.toml
expect_rc 0
grep -q '^strict_categories = true' starter.toml && ok || fail "starter config: strict_categories"
grep -q '^# \[safeguarding\]' starter.toml && ok || fail "starter config: [safeguarding]"
grep -q '^# aliases = { "enhanced dbs" = "dbs"' starter.toml && ok || fail "starter config: aliases"
run tb --config starter.toml config
expect_rc 0
expect_out_has "strict_categories = true  # starter.toml:"

# --- matching fails safe ------------------------------------------------------

tb-member check add D1 driving-licence --expires 2027-06-01 >/dev/null
tb-member check add D3 driving-licence --expires 2026-11-01 >/dev/null 2>&1
members_of() { printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f1 | sort | tr '\n' ' '; }

t "a request under Other whose text asks for a lift: only a member with a valid driving check (suggest)"
run tb-match request add R1 --category Other --text "a lift to the shops on Friday"
expect_rc 0
lift=$OUT
run tb-match suggest "$lift" --format csv
expect_rc 0
[ "$(members_of)" = "D1 " ] && ok || fail "suggest for a lift under Other gave: $(members_of)"

t "... and the same in run"
run tb-match run --dry-run --format csv
expect_rc 0
expect_out_has "$lift,R1,Other,D1,"
expect_out_lacks ",D2,"
expect_out_lacks ",D3,"

t "a gardening request that also asks for a drive needs the driving check too"
tb-match request close "$lift" --withdrawn >/dev/null
run tb-match request add R1 --category Gardening --text "weeding, and drive me to the garden centre"
expect_rc 0
garden=$OUT
run tb-match suggest "$garden" --format csv
[ "$(members_of)" = "D1 " ] && ok || fail "suggest gave: $(members_of)"
run tb-match run --dry-run --format csv
expect_out_has "$garden,R1,Gardening,D1,"
expect_out_lacks ",D2,"

t "a gardening request that names no other category: every gardener"
tb-match request close "$garden" --withdrawn >/dev/null
run tb-match request add R1 --category Gardening --text "weeding the borders"
weeding=$OUT
run tb-match suggest "$weeding" --format csv
[ "$(members_of)" = "D1 D2 D3 " ] && ok || fail "suggest gave: $(members_of)"
tb-match request close "$weeding" --withdrawn >/dev/null

# --- check names are a closed list ------------------------------------------

t "a check name is one a category requires, in any case, spacing or hyphenation"
run tb-member check add C1 "Driving Licence" --expires 2027-01-31
expect_rc 0
expect_sql "SELECT name FROM member_check WHERE member = 'C1'" "driving-licence"

t "an unknown check name is refused (exit 3) with the known names"
before=$(store_digest)
run tb-member check add C1 "Enhanced DBS" --expires 2027-01-31
expect_rc 3
expect_err "tb-member: rejected: 'Enhanced DBS' is not a known check; the known checks are dbs, driving-licence (add a name to [safeguarding] checks, or another spelling to [safeguarding] aliases)"
run tb-member check add C1 "drivng licence" --expires 2027-01-31
expect_rc 3
expect_err_has "(did you mean 'driving-licence'?)"
[ "$(store_digest)" = "$before" ] && ok || fail "a refused check changed the store"

t "\"Enhanced DBS\" works through an alias, stored as dbs, and counts for a DBS category"
cat > sg.toml <<'TOML'
[safeguarding]
checks = ["first-aid"]
aliases = { "enhanced dbs" = "dbs", "dbs check" = "dbs" }
TOML
run tb-member --config sg.toml check add C1 "Enhanced DBS" --expires 2027-01-31
expect_rc 0
expect_sql "SELECT group_concat(name, ',') FROM member_check WHERE member = 'C1' ORDER BY name" "dbs,driving-licence"
run tb-member --config sg.toml check add C1 First-Aid --expires 2026-12-15
expect_rc 0
expect_sql "SELECT count(*) FROM member_check WHERE member = 'C1' AND name = 'first-aid'" "1"
run tb-member --config sg.toml check remove C1 "DBS check"
expect_rc 0
expect_sql "SELECT count(*) FROM member_check WHERE member = 'C1' AND name = 'dbs'" "0"
tb-member --config sg.toml check add C1 dbs --expires 2027-01-31 >/dev/null

t "[safeguarding]: an alias to no check, or an unknown key, is a config error naming file, line and key"
printf '[safeguarding]\naliases = { "enhanced dbs" = "dbx" }\n' > bad1.toml
run tb-member --config bad1.toml check list
expect_rc 2
expect_err "tb-member: error: bad1.toml:2: safeguarding.aliases.\"enhanced dbs\": 'dbx' is not a check name (the check names are dbs, driving-licence)"
printf '[safeguarding]\nchecks = ["dbs"]\nalias = {}\n' > bad2.toml
run tb-member --config bad2.toml check list
expect_rc 2
expect_err "tb-member: error: bad2.toml:3: safeguarding.alias: unknown key"
printf '[safeguarding]\nchecks = "dbs"\naliases = ["x"]\n' > bad3.toml
run tb-member --config bad3.toml check list
expect_rc 2
expect_err "tb-member: error: bad3.toml:3: safeguarding.aliases: expected a table"

t "check list: the renewal list, soonest first, in every format"
run tb-member check list --format csv
expect_rc 0
expect_out "member,member_name,check,expires,expired,days_left
D3,Evan Expired,driving-licence,2026-11-01,yes,-26
C1,Carla Carer,first-aid,2026-12-15,no,18
C1,Carla Carer,dbs,2027-01-31,no,65
C1,Carla Carer,driving-licence,2027-01-31,no,65
D1,Dan Driver,driving-licence,2027-06-01,no,186"
run tb-member check list --expiring 30 --format csv --no-header
expect_out "C1,Carla Carer,first-aid,2026-12-15,no,18"
run tb-member check list --expired --format json
expect_out '[
  {"member":"D3","member_name":"Evan Expired","check":"driving-licence","expires":"2026-11-01","expired":true,"days_left":-26}
]'
run tb-member check list --expired --expiring 30 --format jsonl
expect_out '{"member":"D3","member_name":"Evan Expired","check":"driving-licence","expires":"2026-11-01","expired":true,"days_left":-26}
{"member":"C1","member_name":"Carla Carer","check":"first-aid","expires":"2026-12-15","expired":false,"days_left":18}'
run tb-member check list --expiring 30
expect_out_has "C1      Carla Carer  first-aid  2026-12-15"
run tb-member check list --expiring soon
expect_rc 2

t "show --format json: a check is {name, expires, expired}; no field is display text"
run tb-member show D3 --format json
expect_rc 0
expect_out_has '"checks": [{"name":"driving-licence","expires":"2026-11-01","expired":true}]'
expect_out_has '"min_balance": {"hours":-20,"minutes":-1200,"source":"bank"}'
run tb-member show D3
expect_out_has "driving-licence (expires 2026-11-01, EXPIRED)"
run tb-member list --format json --all
expect_out_has '"checks":[{"name":"driving-licence","expires":"2027-06-01","expired":false}]'

# --- blocked pairs ------------------------------------------------------------

t "recording an exchange between a blocked pair is refused unless --override REASON"
tb-member block D2 R1 --reason "safeguarding concern" >/dev/null
before=$(store_digest)
run tb-exchange record --provider D2 --recipient R1 --hours 1
expect_rc 3
expect_err "tb-exchange: rejected: D2 and R1 are a blocked pair (tb-member block list) (a coordinator may use --override REASON)"
run tb-exchange record --provider R1 --recipient D2 --hours 1
expect_rc 3
[ "$(store_digest)" = "$before" ] && ok || fail "a refused exchange changed the store"
run tb-exchange record --provider D2 --recipient R1 --hours 1 --override "supervised session"
expect_rc 0
blocked_n=$OUT
expect_sql "SELECT override_reason FROM exchange WHERE number = $blocked_n" "supervised session"
run tb-exchange show "$blocked_n" --format json
expect_out_has '"override": "supervised session"'

t "importing an exchange between a blocked pair is refused"
printf 'date,provider,recipient,hours\n2026-11-24,D1,R1,1\n2026-11-25,R1,D2,1\n' > blocked.csv
before=$(store_digest)
run tb-exchange import blocked.csv
expect_rc 3
expect_err_has "blocked.csv:3: recipient: R1 and D2 are a blocked pair (tb-member block list)"
[ "$(store_digest)" = "$before" ] && ok || fail "a refused import changed the store"

t "block list: every blocked pair, with names, in every format"
run tb-member block list --format csv
expect_rc 0
created=$(sqlite3 -readonly "$TIMEBANK_DB" "SELECT created_at FROM block")
expect_out "member_a,name_a,member_b,name_b,reason,created_at
D2,Nora Nolicence,R1,Rita Requester,safeguarding concern,$created"
run tb-member block list --format json
expect_out "[
  {\"member_a\":\"D2\",\"name_a\":\"Nora Nolicence\",\"member_b\":\"R1\",\"name_b\":\"Rita Requester\",\"reason\":\"safeguarding concern\",\"created_at\":\"$created\"}
]"
run tb-member block D2
expect_rc 2

# --- checks travel ------------------------------------------------------------

t "member export writes a checks column; import into a new store gives the same check list"
tb-member check list --format csv > checks-before.csv
run tb-member export -o members.csv
expect_rc 0
grep -q '^C1,Carla Carer,.*,dbs:2027-01-31;driving-licence:2027-01-31;first-aid:2026-12-15,' members.csv && ok || fail "export checks column: $(grep ^C1 members.csv)"
tb init --db new.db >/dev/null
run tb-member --config sg.toml --db new.db import members.csv
expect_rc 0
run tb-member --db new.db check list --format csv
[ "$OUT" = "$(cat checks-before.csv)" ] && ok || fail "check list differs after export -> import: $OUT"
run tb-member --config sg.toml --db new.db import members.csv
expect_out "0 added, 0 updated, $(tail -n +2 members.csv | wc -l) unchanged"

t "member import: bad dates and unknown names are reported by line; nothing is imported"
cat > badchecks.csv <<'CSV'
id,name,checks
N1,Ned,dbs:2027-02-30
N2,Ola,driving-licence:2027-01-01;basic dbs:2027-01-01
N3,Pia,dbs
N4,Quin,dbs:2027-01-01
CSV
before=$(store_digest)
run tb-member import badchecks.csv
expect_rc 3
expect_err "badchecks.csv:2: checks: '2027-02-30' is not a date (YYYY-MM-DD) for the dbs check
badchecks.csv:3: checks: 'basic dbs' is not a known check; the known checks are dbs, driving-licence (add a name to [safeguarding] checks, or another spelling to [safeguarding] aliases)
badchecks.csv:4: checks: 'dbs' has no expiry date (write NAME:YYYY-MM-DD)
tb-member: rejected: 3 bad rows in badchecks.csv; nothing was imported"
[ "$(store_digest)" = "$before" ] && ok || fail "a rejected import changed the store"

finish
