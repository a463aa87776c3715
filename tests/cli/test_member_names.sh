#!/usr/bin/env bash
# Members named by ID, email or a name only they have (case-, accent- and
# space-insensitive) on every tool; ambiguous and missing names; tb-member
# find; names beside IDs in exchange lists, statements and request lists.
source "$(dirname "$0")/lib.sh"

tb init >/dev/null
tb-member add "José Álvarez" --email jose@example.org --phone "07700 900123" >/dev/null   # M0001
tb-member add "Ann Lee" --email ann@example.org >/dev/null                               # M0002
tb-member add "ann  LEE" --id ann2 >/dev/null                                            # ann2
tb-member add "Zoë Brontë" --neighbourhood "Hyde Park" >/dev/null                        # M0003

t "show by a name in another case, without accents, with other spaces"
for key in "jose alvarez" "JOSÉ ÁLVAREZ" "  josé   álvarez " "Jose Alvarez" "JOSE@example.ORG" M0001; do
  run tb-member show "$key" --format csv --no-header
  expect_rc 0
  expect_out_has "M0001,José Álvarez,"
done

t "an ID is case-sensitive"
run tb-member show m0001
expect_rc 4
expect_err "tb-member: error: no member 'm0001'; nearest: José Álvarez (M0001), Ann Lee (M0002), Zoë Brontë (M0003)"

t "a name two members share is exit 2 listing their IDs, and nothing is written"
before=$(store_digest)
run tb-member show "Ann Lee"
expect_rc 2
expect_err "tb-member: error: 'Ann Lee' is the name of 2 members: M0002, ann2 (name one by ID or email)"
expect_out_empty
run tb-exchange record --provider "ann lee" --recipient M0001 --hours 1
expect_rc 2
expect_err_has "is the name of 2 members: M0002, ann2"
[ "$(store_digest)" = "$before" ] && ok || fail "an ambiguous name changed the store"

t "a missing member is exit 4 with the nearest names and IDs"
run tb-member show "Jose Alvares"
expect_rc 4
expect_err "tb-member: error: no member 'Jose Alvares'; nearest: José Álvarez (M0001)"
run tb-member show "Bronte"
expect_rc 4
expect_err "tb-member: error: no member 'Bronte'; nearest: Zoë Brontë (M0003)"
run tb-member show "Quentin Zygmunt"
expect_rc 4
expect_err "tb-member: error: no member 'Quentin Zygmunt'"
run tb-match request add "Zoe Bronty" --category Gardening --text "the hedge"
expect_rc 4
expect_err "tb-match: error: no member 'Zoe Bronty'; nearest: Zoë Brontë (M0003)"

t "names work wherever a member is named: every tool"
run tb-exchange record --provider "jose alvarez" --recipient "zoe bronte" --hours 1.5 --category Gardening --note "hedge"
expect_rc 0; expect_out "1"
run tb-exchange record --provider "zoe bronte" --recipient "jose@example.org,Ann2" --hours 1 --category Gardening
expect_rc 4; expect_err_has "no member 'Ann2'; nearest: ann  LEE (ann2)"
run tb-exchange record --provider "zoe bronte" --recipient "ann2,M0002" --hours 1 --category Gardening
expect_rc 0; expect_out "2
3"
run tb-exchange record --provider M0001 --recipient "M0003,zoe bronte" --hours 1 --category Gardening
expect_rc 2; expect_err "tb-exchange: error: member M0003 is named twice ('M0003' and 'zoe bronte')"
run tb-exchange balance "zoë brontë" --format csv --no-header
expect_rc 0; expect_out "M0003,Zoë Brontë,0.50,30,0.00"
run tb-exchange list --member "Jose Alvarez" --format csv --no-header
expect_rc 0; expect_out_has "1,2026-11-27,M0001,M0003,1.50,90,Gardening,hedge,"
run tb-member skill add "zoe bronte" --offers knitting
expect_rc 0
run tb-member check add "jose alvarez" dbs --expires 2027-01-31
expect_rc 0
run tb-member block "jose alvarez" "ann2"
expect_rc 0
expect_sql "SELECT a || ' ' || b FROM block" "M0001 ann2"
run tb-member edit "Zoe Bronte" --name "Zoë Brontë-Smith"
expect_rc 0
run tb-member show "zoe bronte-smith" --format csv --no-header
expect_rc 0; expect_out_has "M0003,Zoë Brontë-Smith,"
run tb-member deactivate "ann2"
expect_rc 0
run tb-member reactivate "ANN  lee" 
expect_rc 2
run tb-match request add "zoe bronte-smith" --category Gardening --text "the lawn"
expect_rc 0; expect_out "1"
run tb-exchange statement "JOSÉ álvarez" --format csv --no-header
expect_rc 0; expect_out_has "1,gave,M0001,José Álvarez,M0003,Zoë Brontë-Smith,Gardening,hedge,,,1.50,90,1.50"

t "names beside IDs: exchange list, show and statement in every format"
run tb-exchange list
expect_rc 0
expect_out "number  date        provider  provider_name     recipient  recipient_name    hours  category   note   reverses
     1  2026-11-27  M0001     José Álvarez      M0003      Zoë Brontë-Smith   1.50  Gardening  hedge
     2  2026-11-27  M0003     Zoë Brontë-Smith  ann2       ann  LEE           1.00  Gardening
     3  2026-11-27  M0003     Zoë Brontë-Smith  M0002      Ann Lee            1.00  Gardening"
run tb-exchange list --format csv
expect_out_has "number,date,provider,recipient,hours,minutes,category,note,ref,reverses,recorded_at,recorded_by,provider_name,recipient_name"
expect_out_has ",tester,José Álvarez,Zoë Brontë-Smith"
for f in tsv json jsonl; do
  run tb-exchange list --format $f
  expect_rc 0; expect_out_has "provider_name"; expect_out_has "Zoë Brontë-Smith"
done
run tb-exchange list --format json
if printf '%s' "$OUT" | python3 -c '
import json,sys
d=json.load(sys.stdin)
assert [(x["provider_name"], x["recipient_name"]) for x in d] == [("José Álvarez","Zoë Brontë-Smith"),("Zoë Brontë-Smith","ann  LEE"),("Zoë Brontë-Smith","Ann Lee")], d'; then ok; else fail "json names"; fi
run tb-exchange show 1 --format json
expect_out_has '"provider_name": "José Álvarez",'
expect_out_has '"recipient_name": "Zoë Brontë-Smith",'
run tb-exchange statement M0003
expect_rc 0
expect_out "date        number  type      provider  provider_name     recipient  recipient_name    category   note   amends  amended_by  hours  minutes  balance
2026-11-27       1  received  M0001     José Álvarez      M0003      Zoë Brontë-Smith  Gardening  hedge                      -1.50      -90    -1.50
2026-11-27       2  gave      M0003     Zoë Brontë-Smith  ann2       ann  LEE          Gardening                              1.00       60    -0.50
2026-11-27       3  gave      M0003     Zoë Brontë-Smith  M0002      Ann Lee           Gardening                              1.00       60     0.50"
run tb-exchange statement M0003 --format jsonl
expect_out_has '"provider":"M0001","provider_name":"José Álvarez","recipient":"M0003","recipient_name":"Zoë Brontë-Smith"'

t "request list: the requester's name beside the ID, every format"
run tb-match request list
expect_rc 0
expect_out_has "member  member_name"
expect_out_has "M0003   Zoë Brontë-Smith"
run tb-match request list --format csv --no-header
expect_out_has "1,M0003,Zoë Brontë-Smith,Gardening,the lawn,"
run tb-match request list --format json
expect_out_has '"member":"M0003","member_name":"Zoë Brontë-Smith"'

t "find: name, email, phone or ID contains the text, case- and accent-insensitively"
run tb-member find alv
expect_rc 0
expect_out "id     name          kind    status  neighbourhood  joined      balance
M0001  José Álvarez  person  active                 2026-11-27     1.50"
run tb-member find "BRONTE" --format csv --no-header
expect_out_has "M0003,Zoë Brontë-Smith,"
run tb-member find lee --format csv --no-header
expect_rc 0
[ "$(printf '%s\n' "$OUT" | cut -d, -f1 | paste -sd' ')" = "M0002 ann2" ] && ok || fail "find lee: $OUT"
run tb-member find example.ORG --format tsv --no-header
expect_rc 0
[ "$(printf '%s\n' "$OUT" | cut -f1 | paste -sd' ')" = "M0001 M0002" ] && ok || fail "find by email: $OUT"
run tb-member find "07700900" --format json
expect_rc 0
if printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert [x["id"] for x in d] == ["M0001"], d'; then ok; else fail "find --format json"; fi
run tb-member find m000 --format jsonl
expect_rc 0
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 3 ] && ok || fail "find m000 should give 3 lines"
run tb-member find inactive-nobody
expect_rc 0
expect_err "tb-member: no member's name, email, phone or ID contains 'inactive-nobody'"
run tb-member find "   "
expect_rc 2
run tb-member find
expect_rc 2

finish
