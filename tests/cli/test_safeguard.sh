#!/usr/bin/env bash
# Safeguarding that a spelling cannot bypass (issue 12): categories resolve to
# the taxonomy, matching fails safe, check names are a closed list, blocked
# pairs need --override, checks travel through export and import.
. "$(dirname "$0")/lib.sh"

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
tb-match request close 1 >/dev/null; tb-match request close 2 >/dev/null
tb-match request close 3 >/dev/null; tb-match request close 4 >/dev/null

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

t "the starter config has strict_categories = true and a commented [safeguarding] table"
run tb init --db starter.db --config-out starter.toml
expect_rc 0
grep -q '^strict_categories = true' starter.toml && ok || fail "starter config: strict_categories"
grep -q '^# \[safeguarding\]' starter.toml && ok || fail "starter config: [safeguarding]"
grep -q '^# aliases = { "enhanced dbs" = "dbs"' starter.toml && ok || fail "starter config: aliases"
run tb --config starter.toml config
expect_rc 0
expect_out_has "strict_categories = true  # starter.toml:"

finish
