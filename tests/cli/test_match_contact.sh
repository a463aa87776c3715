#!/usr/bin/env bash
# tb-match run --contact: the broker's call list, with both members' names
# and phone numbers beside the IDs, in table, csv and json; a member without
# a phone has an empty cell (null in json).
source "$(dirname "$0")/lib.sh"

tb init >/dev/null
add() { tb-member add "$@" >/dev/null; }
add "Ann Asker" --id RA --neighbourhood "Hyde Park" --phone "0113 496 0001"
add "Bill Asker" --id RB
add "Alice Able" --id A --neighbourhood "Hyde Park" --offers "gardening;befriending" --phone "+44 7700 900123"
tb-member check add A dbs --expires 2027-06-01 >/dev/null
tb-match request add RA --category Gardening --text "gardening" >/dev/null
tb-match request add RB --category "Care & companionship" --text "befriending visits" >/dev/null

t "without --contact the columns are as before"
run tb-match run --dry-run --format csv
expect_rc 0
expect_out_has "request,requester,category,member,name,score"
plain=$(printf '%s\n' "$OUT" | cut -d, -f1,2,4 | tr '\n' ' ')

t "--contact: csv with names and phones (a leading + is quoted for spreadsheets)"
run tb-match run --dry-run --contact --format csv
expect_rc 0
score1=$(printf '%s\n' "$OUT" | sed -n 2p | awk -F, '{print $NF}')
score2=$(printf '%s\n' "$OUT" | sed -n 3p | awk -F, '{print $NF}')
expect_out "request,requester,requester_name,requester_phone,category,member,name,member_phone,score
1,RA,Ann Asker,0113 496 0001,Gardening,A,Alice Able,'+44 7700 900123,$score1
2,RB,Bill Asker,,Care & companionship,A,Alice Able,'+44 7700 900123,$score2"
[ "$plain" = "request,requester,member 1,RA,A 2,RB,A " ] && ok || fail "the assignment changed: $plain"

t "--contact: json gives null for a missing phone"
run tb-match run --dry-run --contact --format jsonl
expect_rc 0
expect_out "{\"request\":1,\"requester\":\"RA\",\"requester_name\":\"Ann Asker\",\"requester_phone\":\"0113 496 0001\",\"category\":\"Gardening\",\"member\":\"A\",\"name\":\"Alice Able\",\"member_phone\":\"+44 7700 900123\",\"score\":$score1}
{\"request\":2,\"requester\":\"RB\",\"requester_name\":\"Bill Asker\",\"requester_phone\":null,\"category\":\"Care & companionship\",\"member\":\"A\",\"name\":\"Alice Able\",\"member_phone\":\"+44 7700 900123\",\"score\":$score2}"

t "--contact: a table for people"
run tb-match run --dry-run --contact
expect_rc 0
expect_out "request  requester  requester_name  requester_phone  category              member  name        member_phone      score
      1  RA         Ann Asker       0113 496 0001    Gardening             A       Alice Able  +44 7700 900123  $score1
      2  RB         Bill Asker                       Care & companionship  A       Alice Able  +44 7700 900123  $score2"

t "--contact when writing: the same list, the proposals written"
run tb-match run --contact --format csv --no-header
expect_rc 0
expect_out "1,RA,Ann Asker,0113 496 0001,Gardening,A,Alice Able,'+44 7700 900123,$score1
2,RB,Bill Asker,,Care & companionship,A,Alice Able,'+44 7700 900123,$score2"
expect_sql "SELECT request || '|' || member FROM proposal ORDER BY request" "1|A
2|A"

t "bash completion and --help know --contact"
run bash -c '. "$1/tb.bash"; COMP_WORDS=(tb-match run --cont); COMP_CWORD=2; _tb; printf "%s\n" "${COMPREPLY[@]}"' _ "$TB_COMPLETION_DIR"
expect_out "--contact"
run tb-match run --help
expect_out_has "--contact"

finish
