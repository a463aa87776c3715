#!/usr/bin/env bash
# The weekly report's lists on a small bank whose figures are checked by
# hand (a member at -17 with a limit of -15 and warn_below -10; a proposal
# pending 6 days with follow_up_days 5; a request 2 days past its needed-by
# date; a check expiring in 23 days), [report] follow_up_days in the config,
# and the request figures of summary (made, met, withdrawn, median days to a
# match) in every format, against last year, and summed by tb hub.
# Requests and proposals are stamped with the real clock, so the test dates
# them itself with sqlite3.
source "$(dirname "$0")/lib.sh"

cat > timebank.toml <<'TOML'
[policy]
min_balance = -15
warn_below = -10

[report]
follow_up_days = 5
TOML
tb init --name "Req Bank" >/dev/null
tb-member add "Sam Short" --id sam --joined 2024-01-01 >/dev/null
tb-member add "Ann Lee" --id ann --joined 2024-01-01 --offers gardening >/dev/null
tb-member add "Bob Jones" --id bob --joined 2024-01-01 --offers gardening >/dev/null
tb-exchange opening --member sam --hours -17 --date 2024-01-01 >/dev/null
tb-member check add ann dbs --expires 2026-12-20 >/dev/null
tb-match request add sam --category Gardening --text hedge >/dev/null   # 1
tb-match run >/dev/null 2>&1                                            # proposed to ann
tb-match request add sam --category Gardening --text lawn --needed-by 2026-11-30 >/dev/null   # 2
tb-match request add ann --category Gardening --text weeds >/dev/null   # 3
sqlite3 "$TIMEBANK_DB" "UPDATE proposal SET created_at = '2026-11-21T09:00:00Z';
  UPDATE request SET needed_by = '2026-11-25' WHERE number = 2;
  UPDATE request SET created_at = '2026-11-16T09:00:00Z' WHERE number = 1;
  UPDATE request SET created_at = '2026-11-18T09:00:00Z' WHERE number = 2;
  UPDATE request SET created_at = '2026-11-20T09:00:00Z' WHERE number = 3;"

t "weekly: -17 with a limit of -15 and warn_below -10 is beyond the limit and under the warning level"
run tb-report weekly
expect_rc 0
expect_out_lacks "No balance is under the warning level"
expect_out_has "Balances under the warning level of -10.00 (1)

  member  name       balance  limit
  sam     Sam Short   -17.00  below the limit of -15.00"
expect_out_has "Balances beyond limits (1)"
run tb-report weekly --format json
expect_out_has '"under_warning": [
    {"member":"sam","name":"Sam Short","balance":-17,"balance_minutes":-1020,"beyond_limit":{"hours":-15,"minutes":-900}}
  ],'

t "weekly: a proposal pending 6 days, follow_up_days 5 from the config"
run tb-report weekly
expect_out_has "Proposals pending for more than 5 days (1)

  request  requester  name       category   proposed to  name     proposed    days
        1  sam        Sam Short  Gardening  ann          Ann Lee  2026-11-21     6"
run tb-report weekly --format json
expect_out_has '"follow_up_days": 5,'
expect_out_has '"pending_proposals": [
    {"request":1,"requester":"sam","requester_name":"Sam Short","category":"Gardening","member":"ann","name":"Ann Lee","proposed":"2026-11-21","days":6}
  ],'
printf '[report]\nfollow_up_days = 6\n' > six.toml
run tb-report --config six.toml weekly
expect_rc 0
expect_out_has "Proposals pending for more than 6 days (0)

  No proposal has been pending for more than 6 days."

t "weekly: a request 2 days past its needed-by date; a check expiring in 23 days"
run tb-report weekly
expect_out_has "Open requests past their needed-by date (1)

  request  member  name       category   needed by   days late  text
        2  sam     Sam Short  Gardening  2026-11-25          2  lawn"
expect_out_has "Safeguarding checks expiring within 30 days (1)

  member  name     check  expires     days left
  ann     Ann Lee  dbs    2026-12-20         23"
run tb-report weekly --format markdown
expect_out_has "## Open requests past their needed-by date (1)"
expect_out_has "| 2 | sam | Sam Short | Gardening | 2026-11-25 | 2 | lawn |"
run tb-report weekly --format json
expect_out_has '"past_needed_by": [
    {"number":2,"member":"sam","name":"Sam Short","category":"Gardening","text":"lawn","needed_by":"2026-11-25","days_late":2}
  ],'
expect_out_has '"checks_expiring": [
    {"member":"ann","name":"Ann Lee","check":"dbs","expires":"2026-12-20","days_left":23}
  ],'
run tb-report weekly --format html
expect_out_has "<h2>Proposals pending for more than 5 days (1)</h2>"
expect_out_has "<h2>Safeguarding checks expiring within 30 days (1)</h2>"

t "follow_up_days: a whole number of days from 1; tb config shows where it came from"
run tb config
expect_out_has "follow_up_days = 5  # timebank.toml:6"
printf '[report]\nfollow_up_days = 0\n' > zero.toml
before=$(store_digest)
run tb-report --config zero.toml weekly
expect_rc 2; expect_out_empty; expect_err_has "zero.toml:2"; expect_err_has "follow_up_days"
printf '[report]\nfollow_up_days = "a week"\n' > word.toml
run tb-report --config word.toml weekly
expect_rc 2; expect_err_has "follow_up_days"; expect_err_has "whole number"
printf '[report]\nfollowup_days = 7\n' > typo.toml
run tb-report --config typo.toml weekly
expect_rc 2; expect_err_has "followup_days"
after=$(store_digest)
if [ "$before" = "$after" ]; then ok; else fail "a bad config changed the store"; fi
run tb init --db starter.db --config-out starter.toml
expect_rc 0
if grep -q '^follow_up_days = 7 ' starter.toml; then ok; else fail "the starter config lacks follow_up_days"; fi

# Request 1 met by an exchange dated 26 November (10 days after it was made),
# 2 withdrawn on the 24th, 3 met on the 23rd (3 days): median 6.5.
tb-exchange record --provider bob --recipient sam --hours 1 --category Gardening --date 2026-11-26 \
  --override "test" >/dev/null 2>&1
tb-match request close 1 --exchange 1
tb-match request close 2 --withdrawn --reason "moved away"
tb-match request close 3 --met
sqlite3 "$TIMEBANK_DB" "UPDATE request SET closed_at = '2026-11-24T10:00:00Z' WHERE number = 2;
  UPDATE request SET closed_at = '2026-11-23T10:00:00Z' WHERE number = 3;"

t "summary: requests made, met, withdrawn, median days to a match"
run tb-report summary --period 2026-11 --format csv --no-header
expect_rc 0
expect_out_has "all,requests_made,,3,0,,,
all,requests_met,,2,0,,,
all,requests_withdrawn,,1,0,,,
all,median_days_to_match,,6.5,,,,"
run tb-report summary --period 2026-11 --format json
expect_out_has '{"group":"all","measure":"requests_made","item":null,"value":3,"previous":0,"change_pct":null,"minutes":null,"previous_minutes":null}'
expect_out_has '{"group":"all","measure":"median_days_to_match","item":null,"value":6.5,"previous":null,"change_pct":null,"minutes":null,"previous_minutes":null}'
run tb-report summary --period 2026-11
expect_out_has "median days to a match"
run tb-report summary --period 2026-11 --compare last-year --format csv --no-header
expect_out_has "all,requests_met,,2,0,,,"
run tb-report summary --period 2026-10 --format csv --no-header
expect_out_has "all,requests_made,,0,0,,,"
expect_out_has "all,median_days_to_match,,,,,,"
run tb-report weekly --period 2026-11 --format json
expect_out_has '"requests":{"made":3,"met":2,"withdrawn":1,"median_days_to_match":6.5}'

t "hub summary: the request counts are the banks' summed, the median over every bank's requests"
mkdir b2
TIMEBANK_DB=b2/timebank.db tb init --name "Second" >/dev/null
TIMEBANK_DB=b2/timebank.db tb-member add "Cy Cole" --id cy --joined 2024-01-01 >/dev/null
TIMEBANK_DB=b2/timebank.db tb-match request add cy --category Gardening --text fence >/dev/null
TIMEBANK_DB=b2/timebank.db tb-match request close 1 --met
sqlite3 b2/timebank.db "UPDATE request SET created_at = '2026-11-10T09:00:00Z', closed_at = '2026-11-11T09:00:00Z'"
cat > hub.toml <<'TOML'
[[bank]]
name = "Req Bank"
store = "timebank.db"
config = "timebank.toml"
[[bank]]
name = "Second"
store = "b2/timebank.db"
TOML
run tb hub report summary --hub hub.toml --period 2026-11 --by bank --format csv --no-header
expect_rc 0
# Days to a match: 10 and 3 here, 1 there: the hub's median is 3, not a median of medians.
expect_out_has "all,requests_made,,4,0,,,
all,requests_met,,3,0,,,
all,requests_withdrawn,,1,0,,,
all,median_days_to_match,,3,,,,"
expect_out_has "Second,requests_met,,1,0,,,"
expect_out_has "Second,median_days_to_match,,1,,,,"

t "forget blanks the reason a request was closed with"
expect_sql "SELECT close_reason FROM request WHERE number = 2" "moved away"
run tb-member forget sam --reason "asked to be forgotten" --yes
expect_rc 0
expect_sql "SELECT coalesce(close_reason, 'NULL'), text FROM request WHERE number = 2" "NULL|"
if sqlite3 -readonly "$TIMEBANK_DB" .dump | grep -q "moved away"; then fail "the reason is still in the store"; else ok; fi

finish
