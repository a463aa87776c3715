#!/usr/bin/env bash
# tb-match end to end: requests, every hard rule, stem matching, stable
# tie-breaking, --explain, the optimal run, --dry-run, declining a proposal,
# exit codes.
. "$(dirname "$0")/lib.sh"

cat > timebank.toml <<'EOF'
[match]
max_open_per_member = 1

[[category]]
name = "Care & companionship"
skills = ["befriending", "lifts to appointments"]
keywords = ["company", "visit"]
requires = ["dbs"]

[[category]]
name = "Gardening"
skills = ["gardening", "lawn mowing", "weeding"]
keywords = ["garden", "grass", "hedge"]
EOF
sed 's/^\[match\]$/[policy]\nstrict_categories = true\n\n[match]/' timebank.toml > strict.toml
sed 's/^max_open_per_member = 1$/max_open_per_member = 2/' timebank.toml > roomy.toml
sed 's/^\[match\]$/[policy]\nstrict_categories = false\n\n[match]/' timebank.toml > loose.toml

tb init >/dev/null
add() { tb-member add "$@" >/dev/null || echo "setup failed: tb-member add $*" >&2; }
add "Rita Requester" --id R1 --email rita@example.org --neighbourhood "Hyde Park" --postcode "LS6 1AA" \
  --offers "lifts to appointments"
tb-member check add R1 dbs --expires 2027-06-01 >/dev/null
for id in D-OK D-NOCHK D-EXP D-TODAY D-INACT D-FORGOT D-BLOCK; do
  add "Driver $id" --id "$id" --offers "lifts to appointments"
done
for id in D-OK D-INACT D-FORGOT D-BLOCK; do tb-member check add "$id" dbs --expires 2027-06-01 >/dev/null; done
tb-member check add D-EXP dbs --expires 2026-11-26 >/dev/null 2>&1
tb-member check add D-TODAY dbs --expires 2026-11-27 >/dev/null
tb-member deactivate D-INACT >/dev/null
tb-member forget D-FORGOT --reason "asked to leave" --yes >/dev/null 2>&1
tb-member block D-BLOCK R1 >/dev/null
add "Gus Gardener" --id G1 --offers "gardening"

t "request add prints the number only"
run tb-match request add R1 --category "care & companionship" --text "a lift to the hospital" --hours 1.5 \
  --needed-by 2026-12-01
expect_rc 0; expect_out "1"; expect_err_empty
expect_sql "SELECT member, category, text, minutes, needed_by, status, recorded_by FROM request" \
  "R1|Care & companionship|a lift to the hospital|90|2026-12-01|open|tester"

t "request add: a member by email"
run tb-match request add rita@example.org --category Gardening --text "the hedge is too high"
expect_rc 0; expect_out "2"

t "the audit log names fields, never the request's words"
expect_sql "SELECT command, target, fields FROM audit WHERE command LIKE 'tb-match%' ORDER BY id" \
  "tb-match request add|request 1|member,category,text,minutes,needed_by
tb-match request add|request 2|member,category,text"
expect_sql "SELECT count(*) FROM audit WHERE fields LIKE '%hospital%' OR target LIKE '%hospital%'" "0"

t "hard rules: only members who pass every one are suggested; stems match (lift ~ lifts)"
run tb-match suggest 1 --limit 20 --format csv
expect_rc 0
members=$(printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f1 | tr '\n' ' ')
if [ "$members" = "D-OK D-TODAY " ]; then ok; else fail "suggested: $members"; fi
expect_out_lacks "R1,"       # the requester
expect_out_lacks "D-INACT"   # inactive
expect_out_lacks "D-FORGOT"  # forgotten
expect_out_lacks "D-NOCHK"   # no dbs check
expect_out_lacks "D-EXP"     # dbs expired yesterday
expect_out_lacks "D-BLOCK"   # blocked with R1
expect_out_lacks "G1"        # no skill match at all

t "each rule is what kept the member out"
tb-member check add D-NOCHK dbs --expires 2027-01-01 >/dev/null
tb-member check add D-EXP dbs --expires 2027-01-01 >/dev/null
tb-member unblock D-BLOCK R1 >/dev/null
tb-member reactivate D-INACT >/dev/null
run tb-match suggest 1 --limit 20 --format csv
members=$(printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f1 | sort | tr '\n' ' ')
if [ "$members" = "D-BLOCK D-EXP D-INACT D-NOCHK D-OK D-TODAY " ]; then ok; else fail "suggested: $members"; fi
tb-member block D-BLOCK R1 >/dev/null
tb-member deactivate D-INACT >/dev/null

t "a check is valid through its expiry date, not after"
run tb-match --today 2026-11-28 suggest 1 --limit 20 --format csv
expect_out_lacks "D-TODAY"

t "ties are broken by member ID, and the same input gives the same output"
add "Gardener three" --id G3 --offers "gardening"
add "Gardener two" --id G2 --offers "gardening"
run tb-match suggest 2 --format csv
expect_rc 0
members=$(printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f1 | tr '\n' ' ')
if [ "$members" = "G1 G2 G3 " ]; then ok; else fail "order: $members"; fi
first=$OUT
run tb-match suggest 2 --format csv
expect_out "$first"

t "stems: weeds finds weeding"
add "Wendy Weeder" --id W1 --offers "weeding"
n=$(tb-match request add G1 --category Gardening --text "weeds everywhere")
run tb-match suggest "$n" --format csv --no-header
expect_out_has "W1,Wendy Weeder,"

t "--explain shows the parts of the score and why"
run tb-match suggest 1 --explain --format csv
expect_rc 0
header=$(printf '%s\n' "$OUT" | head -1)
if [ "$header" = "member,name,score,skill,place,recency,fairness,history,why" ]; then ok; else fail "header: $header"; fi
expect_out_has "offers: lift"
expect_out_has "category: care, companionship"
run tb-match suggest 1 --explain --format json
expect_out_has '"skill":0.5,'
expect_out_has '"fairness":'

t "--explain: the score is the weighted sum of the parts"
run tb-match suggest 1 --explain --format csv --no-header --limit 1
# default weights: skill 1.0, place 0.5, recency 0.3, fairness 0.3, history 0.2
sum=$(printf '%s\n' "$OUT" | awk -F, '{ printf "%.4f %.4f", $3, 1.0*$4 + 0.5*$5 + 0.3*$6 + 0.3*$7 + 0.2*$8 }')
set -- $sum
if [ "$1" = "$2" ]; then ok; else fail "score $1 but parts give $2"; fi

t "request list: open by default, --all, formats"
run tb-match request list --format csv
expect_rc 0
expect_out_has "number,member,member_name,category,text,hours,needed_by,status,exchange,proposed,created_at"
expect_out_has "1,R1,Rita Requester,Care & companionship,a lift to the hospital,1.50,2026-12-01,open,,,"
run tb-match request list --format json
expect_out_has '"minutes":90'
expect_out_has '"hours":1.5'
run tb-match request list --open --all
expect_rc 2

t "request close, twice, unknown"
tb-exchange record --provider G1 --recipient R1 --hours 1 --category Gardening >/dev/null
run tb-match request close 2 --exchange 1
expect_rc 0; expect_out_empty
expect_sql "SELECT status, exchange FROM request WHERE number = 2" "closed|1"
run tb-match request close 2 --met
expect_rc 3; expect_err_has "already closed"
run tb-match request close 99 --met
expect_rc 4; expect_err "tb-match: error: no request 99"
run tb-match request close 1 --exchange 99
expect_rc 4
run tb-match request list --format csv --no-header
expect_out_lacks "the hedge"
run tb-match request list --all --format csv --no-header
expect_out_has "the hedge is too high"
run tb-match request list --open --format csv --no-header
expect_rc 0; expect_out_lacks "the hedge"; expect_out_has "a lift to the hospital"

t "request close --met / --withdrawn, with a reason; list --all shows how"
met=$(tb-match request add R1 --category Gardening --text "weeding the border")
gone=$(tb-match request add R1 --category Gardening --text "mowing")
run tb-match request close "$met" --met --reason "a neighbour did it"
expect_rc 0; expect_out_empty; expect_err_empty
expect_sql "SELECT status, outcome, coalesce(exchange, '-'), close_reason FROM request WHERE number = $met" \
  "closed|met|-|a neighbour did it"
run tb-match request close "$gone" --withdrawn -v
expect_rc 0; expect_out_empty; expect_err_has "request $gone closed: withdrawn"
expect_sql "SELECT status, outcome, coalesce(close_reason, '-') FROM request WHERE number = $gone" "closed|withdrawn|-"
expect_sql "SELECT outcome FROM request WHERE number = 2" "met"   # closed with --exchange above
expect_sql "SELECT fields FROM audit WHERE command = 'tb-match request close' AND target = 'request $met'" \
  "status,outcome,closed_at,close_reason"
run tb-match request list --all --format csv
expect_out_has "needed_by,status,exchange,proposed,created_at,outcome,closed_at,reason"
expect_out_has ",weeding the border,,,closed,,,"
expect_out_has ",met,"
expect_out_has ",a neighbour did it"
run tb-match request list --all --format json
expect_out_has '"outcome":"withdrawn"'
expect_out_has '"outcome":null'   # the open request

t "request close: a closed request (3), both flags or none (2), an empty reason (2); nothing written"
before=$(store_digest)
run tb-match request close "$gone" --met
expect_rc 3; expect_err "tb-match: rejected: request $gone is already closed (withdrawn)"
run tb-match request close 1 --met --withdrawn
expect_rc 2; expect_err_has "excludes"
run tb-match request close 1 --exchange 1 --withdrawn
expect_rc 2; expect_err_has "excludes"
run tb-match request close 1 --exchange 1 --met
expect_rc 2; expect_err_has "excludes"
run tb-match request close 1
expect_rc 2; expect_err "tb-match: error: say how request 1 was closed: --exchange M, --met or --withdrawn"
run tb-match request close 1 --withdrawn --reason "  "
expect_rc 2; expect_err "tb-match: error: --reason is empty"
run tb-match request close 99 --withdrawn
expect_rc 4; expect_err "tb-match: error: no request 99"
after=$(store_digest)
if [ "$before" = "$after" ]; then ok; else fail "a refused close changed the store"; fi

t "exit codes: unknown member 4, strict category 3, bad values 2 and 3"
before=$(store_digest)
run tb-match request add NOPE --category Gardening --text "x"
expect_rc 4; expect_err "tb-match: error: no member 'NOPE'"
run tb-match --config strict.toml request add R1 --category "Plumbing" --text "a dripping tap"
expect_rc 3; expect_err_has "not in the taxonomy"
run tb-match request add R1 --category Gardening --text "lawn" --hours abc
expect_rc 2
run tb-match request add R1 --category Gardening --text "lawn" --hours 0
expect_rc 3
run tb-match request add R1 --category Gardening --text "lawn" --needed-by nonsense
expect_rc 2
run tb-match request add R1 --category Gardening --text "lawn" --needed-by 2026-01-01
expect_rc 3
run tb-match request add D-INACT --category Gardening --text "lawn"
expect_rc 3
run tb-match request add R1 --category Gardening --text "   "
expect_rc 3
after=$(store_digest)
if [ "$before" = "$after" ]; then ok; else fail "a rejected command changed the store"; fi
run tb-match --config loose.toml request add R1 --category "Plumbing" --text "a dripping tap"
expect_rc 0   # not strict: any category is accepted
run tb-match suggest 99
expect_rc 4; expect_err "tb-match: error: no request 99"
run tb-match suggest abc
expect_rc 2
run tb-match suggest 1 --limit 0
expect_rc 3
run tb-match frobnicate
expect_rc 2
run env TIMEBANK_DB="$WORK/none.db" tb-match suggest 1
expect_rc 1; expect_err_has "no store at"
if [ ! -e "$WORK/none.db" ]; then ok; else fail "a read-only command created a store"; fi

# --- run: a tiny instance where greedy is wrong -----------------------------
export TIMEBANK_DB="$WORK/run.db"
tb init >/dev/null
add "Ann Asker" --id RA --neighbourhood "Hyde Park"
add "Bill Asker" --id RB
# A is the better gardener for RA (same neighbourhood) and the only one who can befriend RB.
add "Alice" --id A --neighbourhood "Hyde Park" --offers "gardening;befriending"
add "Bert" --id B --offers "gardening"
tb-member check add A dbs --expires 2027-06-01 >/dev/null
tb-match request add RA --category Gardening --text "gardening" >/dev/null
tb-match request add RB --category "Care & companionship" --text "befriending visits" >/dev/null

t "greedy would give request 1 to A (its best pair) and leave request 2 unmet"
run tb-match suggest 1 --format csv --no-header
first_pair=$(printf '%s\n' "$OUT" | head -1 | cut -d, -f1)
if [ "$first_pair" = "A" ]; then ok; else fail "expected A first for request 1"; fi
run tb-match suggest 2 --format csv --no-header
if [ "$(printf '%s\n' "$OUT" | cut -d, -f1 | tr '\n' ' ')" = "A " ]; then ok; else fail "only A can meet request 2"; fi

t "run --dry-run: the optimal assignment, nothing written"
before=$(store_digest)
run tb-match run --dry-run --format csv
expect_rc 0
got=$(printf '%s\n' "$OUT" | cut -d, -f1,2,4 | tr '\n' ' ')
if [ "$got" = "request,requester,member 1,RA,B 2,RB,A " ]; then ok; else fail "assignment: $got"; fi
expect_err_has "dry run"
after=$(store_digest)
if [ "$before" = "$after" ]; then ok; else fail "--dry-run changed the store"; fi
dry=$OUT
run tb-match run --dry-run --format csv
expect_out "$dry"

t "run writes one run of proposals, then has nothing left to assign"
run tb-match run --format csv
expect_rc 0; expect_out "$dry"
expect_sql "SELECT run, request, member, status FROM proposal ORDER BY request" "1|1|B|proposed
1|2|A|proposed"
expect_sql "SELECT count(*) FROM audit WHERE command = 'tb-match run'" "2"
run tb-match run --format csv --no-header
expect_rc 0; expect_out_empty; expect_err_has "nothing to assign"
run tb-match request list --format csv --no-header
expect_out_has ",B,"

t "max_open_per_member: a member with a pending proposal takes no more"
add "Carl Asker" --id RC
tb-match request add RC --category Gardening --text "gardening" >/dev/null
run tb-match run --dry-run --format csv --no-header
expect_rc 0; expect_out_empty; expect_err_has "no member can take request 3"
run tb-match --config roomy.toml run --dry-run --format csv --no-header
expect_out_has "3,RC,Gardening,"   # with the default of 2 there is room again

t "closing a request with the exchange that met it accepts the proposal"
tb-exchange record --provider B --recipient RA --hours 1 --category Gardening >/dev/null
run tb-match request close 1 --exchange 1
expect_rc 0
expect_sql "SELECT status FROM proposal WHERE request = 1" "accepted"
run tb-match request close 2 --exchange 1
expect_rc 3; expect_err_has "not by the requester RB"

# --- request decline (our addition to SPEC) -----------------------------------
export TIMEBANK_DB="$WORK/decline.db"
tb init >/dev/null
add "Rob Requester" --id RQ --neighbourhood "Hyde Park" --postcode "LS6 1AA"
add "Ria Requester" --id RQ2 --neighbourhood "Hyde Park"
# The order for a gardening request of RQ: H1 and H2 tie on place (same
# neighbourhood, same district) and H1 wins on ID; H3 lives elsewhere.
add "Hal" --id H1 --email hal@example.org --neighbourhood "Hyde Park" --offers "gardening"
add "Hana" --id H2 --postcode "LS6 3CC" --offers "gardening"
add "Hugo" --id H3 --postcode "LS9 1AA" --offers "gardening"
tb-match request add RQ --category Gardening --text "gardening" >/dev/null

t "decline: an unknown request (4), none pending (3), a bad number (2); nothing written"
before=$(store_digest)
run tb-match request decline 99
expect_rc 4; expect_err "tb-match: error: no request 99"
run tb-match request decline 1
expect_rc 3; expect_err "tb-match: rejected: request 1 has no pending proposal"
run tb-match request decline abc
expect_rc 2
after=$(store_digest)
if [ "$before" = "$after" ]; then ok; else fail "a refused decline changed the store"; fi

t "decline --member: an unknown member (4), one with no pending proposal there (3); nothing written"
run tb-match run --format csv --no-header
expect_rc 0; expect_out "1,RQ,Gardening,H1,Hal,1.7499"
before=$(store_digest)
run tb-match request decline 1 --member NOPE
expect_rc 4; expect_err "tb-match: error: no member 'NOPE'"
run tb-match request decline 1 --member H2
expect_rc 3; expect_err "tb-match: rejected: request 1 has no pending proposal to H2"
after=$(store_digest)
if [ "$before" = "$after" ]; then ok; else fail "a refused decline changed the store"; fi
expect_sql "SELECT member, status FROM proposal" "H1|proposed"

t "decline marks the pending proposal declined, prints nothing, audits field names"
run tb-match request decline 1 --member hal@example.org
expect_rc 0; expect_out_empty; expect_err_empty
expect_sql "SELECT member, status FROM proposal" "H1|declined"
expect_sql "SELECT command, target, fields FROM audit WHERE command = 'tb-match request decline'" \
  "tb-match request decline|request 1|proposal.status"
run tb-match request list --format csv --no-header
expect_rc 0; expect_out_lacks "H1"   # not shown as pending
expect_out_has "1,RQ,Rob Requester,Gardening,gardening,,,open,,,"
run tb-match request decline 1
expect_rc 3; expect_err_has "no pending proposal"

t "suggest leaves out a member who declined the request"
run tb-match -v suggest 1 --format csv --no-header
expect_rc 0
members=$(printf '%s\n' "$OUT" | cut -d, -f1 | tr '\n' ' ')
if [ "$members" = "H2 H3 " ]; then ok; else fail "suggested: $members"; fi
expect_err_has "left out: 1 member (declined this request)"

t "the next run assigns the request again, never to a member who declined it"
run tb-match run --format csv --no-header
expect_rc 0; expect_out_has "1,RQ,Gardening,H2,"
run tb-match request decline 1
expect_rc 0
run tb-match run --format csv --no-header
expect_rc 0; expect_out_has "1,RQ,Gardening,H3,"
run tb-match request decline 1
expect_rc 0
run tb-match run --format csv --no-header
expect_rc 0; expect_out_empty; expect_err_has "no member can take request 1"
run tb-match suggest 1 --format csv --no-header
expect_rc 0; expect_out_empty; expect_err_has "no member can meet request 1"
expect_sql "SELECT run, member, status FROM proposal ORDER BY id" "1|H1|declined
2|H2|declined
3|H3|declined"

t "declined proposals are not open: no weight on max_open_per_member (1 here) or fairness"
tb-match request add RQ2 --category Gardening --text "gardening" >/dev/null
run tb-match suggest 2 --explain --format csv --no-header
expect_out_has "H1,Hal,"
expect_out_lacks "1 open proposal"
run tb-match run --format csv --no-header
expect_rc 0; expect_out_has "2,RQ2,Gardening,H1,"

t "decline --member with two proposals pending declines only that member's"
# run never leaves two proposals pending on one request: make a second by hand.
sqlite3 "$TIMEBANK_DB" "INSERT INTO proposal (run, request, member, score, status, created_at)
  VALUES (9, 2, 'H3', 0.5, 'proposed', '2026-11-27T00:00:00Z')"
run tb-match request decline 2 --member H3
expect_rc 0
expect_sql "SELECT member, status FROM proposal WHERE request = 2 ORDER BY id" "H1|proposed
H3|declined"
run tb-match request list --format csv --no-header
expect_out_has "2,RQ2,Ria Requester,Gardening,gardening,,,open,,H1,"

t "a closed request cannot be declined (3), and nothing is written"
run tb-match request close 2 --withdrawn
expect_rc 0
before=$(store_digest)
run tb-match request decline 2
expect_rc 3; expect_err "tb-match: rejected: request 2 is closed"
after=$(store_digest)
if [ "$before" = "$after" ]; then ok; else fail "a refused decline changed the store"; fi

# --- members who leave -------------------------------------------------------
export TIMEBANK_DB="$WORK/leave.db"
tb init >/dev/null
add "Lena Requester" --id LQ --neighbourhood "Hyde Park"
add "Leo Requester" --id LQ2 --neighbourhood "Hyde Park"
add "Lou" --id L1 --neighbourhood "Hyde Park" --offers "gardening"
add "Lyn" --id L2 --postcode "LS9 1AA" --offers "gardening"
add "Lee" --id L3 --postcode "LS9 2AA" --offers "gardening"
tb-match request add LQ --category Gardening --text "gardening" >/dev/null
tb-match request add LQ2 --category Gardening --text "gardening" >/dev/null

t "a proposal to a member who has since left is not pending: run assigns the request again"
run tb-match run --format csv --no-header
expect_rc 0; expect_out_has "1,LQ,Gardening,L"; expect_out_has "2,LQ2,Gardening,L"
first=$(sqlite3 "$TIMEBANK_DB" "SELECT member FROM proposal WHERE request = 1")
tb-member deactivate "$first" --reason moved >/dev/null
run tb-report weekly --format json
expect_rc 0; expect_out_has '{"number":1,"member":"LQ",'
run tb-match request list --format csv --no-header
expect_out_has "1,LQ,Lena Requester,Gardening,gardening,,,open,,,"
run tb-match run --format csv --no-header
expect_rc 0; expect_out_has "1,LQ,Gardening,"; expect_out_lacks ",$first,"
expect_sql "SELECT count(*) FROM proposal WHERE request = 1 AND status = 'proposed'" "2"

t "a request whose requester is inactive or forgotten is skipped by run, and suggest says so"
tb-match request decline 1 >/dev/null
tb-member deactivate LQ --reason moved >/dev/null
before=$(store_digest)
run tb-match run --format csv --no-header
expect_rc 0; expect_out_empty
expect_err_has "tb-match: skipped (the requester is inactive or forgotten): 1"
after=$(store_digest)
if [ "$before" = "$after" ]; then ok; else fail "run with nothing to assign changed the store"; fi
run tb-match suggest 1 --format csv --no-header
expect_rc 0; expect_err_has "request 1 is from a member who is inactive"
tb-member forget LQ --reason "asked" --yes >/dev/null 2>&1
run tb-match run --format csv --no-header
expect_rc 0; expect_err_has "skipped (the requester is inactive or forgotten): 1"
tb-member reactivate LQ >/dev/null 2>&1 || true
run tb-match suggest 1 --format csv --no-header
expect_err_has "request 1 is from a member who is forgotten"

t "bash completion knows request decline and its --member"
complete_words() {
  bash -c '. "$1/tb.bash"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tb
    printf "%s\n" "${COMPREPLY[@]}"' _ "$TB_COMPLETION_DIR" "$@"
}
run complete_words tb-match request ""
expect_out_has "decline"
run complete_words tb-match request decline 1 --m
expect_out "--member"
run complete_words tb-match request close 1 --
expect_out_has "--met"; expect_out_has "--withdrawn"; expect_out_has "--exchange"; expect_out_has "--reason"

t "request decline --help"
run tb-match request decline --help
expect_rc 0; expect_out_has "--member"

finish
