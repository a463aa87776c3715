#!/usr/bin/env bash
# tb-report onboarding: days from joining to the first exchange, on a small
# bank whose figures are worked out by hand below.
source "$(dirname "$0")/lib.sh"

# Today is 2026-11-27. Joined in 2026:
#   ann 2026-01-05, first exchange 2026-01-15 ->  10 days
#   bob 2026-01-20, first exchange 2026-06-18 -> 149 days
#   cat 2026-03-01, an exchange on 03-05 voided, the next 2026-07-05 -> 126 days
#   dan 2026-10-30, none yet (28 days ago: not yet 30)
#   org 2026-03-10, an organisation, none yet (262 days ago)
# old joined 2025-06-01: not in 2026.
tb init --name "Onboarding Bank" >/dev/null
tb-member add "Ann" --id ann --joined 2026-01-05 >/dev/null
tb-member add "Bob" --id bob --joined 2026-01-20 >/dev/null
tb-member add "Cat" --id cat --joined 2026-03-01 >/dev/null
tb-member add "Dan" --id dan --joined 2026-10-30 >/dev/null
tb-member add "Hall" --id org --kind organisation --joined 2026-03-10 >/dev/null
tb-member add "Old" --id old --joined 2025-06-01 >/dev/null
tb-exchange record --provider ann --recipient old --hours 1 --date 2026-01-15 --category Gardening >/dev/null
tb-exchange record --provider old --recipient bob --hours 1 --date 2026-06-18 --category Gardening >/dev/null
n=$(tb-exchange record --provider cat --recipient old --hours 1 --date 2026-03-05 --category Gardening)
tb-exchange void "$n" --reason "wrong member" >/dev/null
tb-exchange record --provider cat --recipient old --hours 1 --date 2026-07-05 --category Gardening >/dev/null

# all: 5 joined, 3 traded, median of 10, 126, 149 = 126.
# 30 days: eligible ann bob cat org (dan 28 days); waiting bob (149) cat (126) org (none) = 3.
# 90 days: eligible ann bob cat org; waiting bob cat org = 3.
# 365 days: nobody joined that long ago.
t "onboarding by quarter, csv, figures by hand"
run tb-report onboarding --by quarter --format csv
expect_rc 0
expect_out "cohort,from,to,joined,traded,median_days,waiting_30,eligible_30,waiting_90,eligible_90,waiting_365,eligible_365
all,2026-01-01,2026-12-31,5,3,126,3,4,3,4,0,0
2026-Q1,2026-01-01,2026-03-31,4,3,126,3,4,3,4,0,0
2026-Q2,2026-04-01,2026-06-30,0,0,,0,0,0,0,0,0
2026-Q3,2026-07-01,2026-09-30,0,0,,0,0,0,0,0,0
2026-Q4,2026-10-01,2026-12-31,1,0,,0,0,0,0,0,0"

# January: ann 10, bob 149 -> median 79.5 (the mean of the middle two).
t "an even count takes the mean of the middle two; months by default"
run tb-report onboarding --period 2026-01..2026-03 --format json
expect_rc 0
expect_out '[
  {"cohort":"all","from":"2026-01-01","to":"2026-03-31","joined":4,"traded":3,"median_days":126,"waiting_30":3,"eligible_30":4,"waiting_90":3,"eligible_90":4,"waiting_365":0,"eligible_365":0},
  {"cohort":"2026-01","from":"2026-01-01","to":"2026-01-31","joined":2,"traded":2,"median_days":79.5,"waiting_30":1,"eligible_30":2,"waiting_90":1,"eligible_90":2,"waiting_365":0,"eligible_365":0},
  {"cohort":"2026-02","from":"2026-02-01","to":"2026-02-28","joined":0,"traded":0,"median_days":null,"waiting_30":0,"eligible_30":0,"waiting_90":0,"eligible_90":0,"waiting_365":0,"eligible_365":0},
  {"cohort":"2026-03","from":"2026-03-01","to":"2026-03-31","joined":2,"traded":1,"median_days":126,"waiting_30":2,"eligible_30":2,"waiting_90":2,"eligible_90":2,"waiting_365":0,"eligible_365":0}
]'

t "the table for people says waiting of eligible, and the headline"
run tb-report onboarding --by year
expect_rc 0
expect_out "Onboarding: members who joined 2026-01-01 to 2026-12-31

joined in  members  first exchange  median days  none after 30 days  none after 90 days  none after 365 days
all              5               3  126          3 of 4              3 of 4              -
2026             5               3  126          3 of 4              3 of 4              -

5 members joined; 3 have made a first exchange, after a median of 126 days.
Median days: from joining to the first exchange, of those who have made one.
None after N days: members with no exchange in their first N days, of those who joined N or more days ago."

t "one row per member, the voided first exchange left out"
run tb-report onboarding --members --format csv
expect_rc 0
expect_out "member,name,kind,joined,first_exchange,days
ann,Ann,person,2026-01-05,2026-01-15,10
bob,Bob,person,2026-01-20,2026-06-18,149
cat,Cat,person,2026-03-01,2026-07-05,126
org,Hall,organisation,2026-03-10,,
dan,Dan,person,2026-10-30,,"

# A year later, everyone who joined in 2026 is eligible at 30 and 90 days;
# dan (82 days) is not yet eligible at 90; at 365 only ann and bob are.
t "365 days: counted once members have been in that long"
run tb-report onboarding --period 2026 --by year --format csv --today 2027-01-20
expect_rc 0
expect_out "cohort,from,to,joined,traded,median_days,waiting_30,eligible_30,waiting_90,eligible_90,waiting_365,eligible_365
all,2026-01-01,2026-12-31,5,3,126,4,5,3,4,0,2
2026,2026-01-01,2026-12-31,5,3,126,4,5,3,4,0,2"

t "a period with nobody joining"
run tb-report onboarding --period 2024
expect_rc 0
expect_out_has "No member joined in this period."

t "markdown and html name the bank and carry the headline and the chart"
run tb-report onboarding --format markdown
expect_rc 0
expect_out_has "# Onboarding Bank: onboarding"
expect_out_has "5 members joined; 3 have made a first exchange, after a median of 126 days."
run tb-report onboarding --format html
expect_rc 0
expect_out_has "<svg"
expect_out_has "<title id=\"onb-title\">Median days from joining to the first exchange, by month of joining</title>"

t "--by week is a usage error"
run tb-report onboarding --by week
expect_rc 2
expect_err_has "use month, quarter or year"

finish
