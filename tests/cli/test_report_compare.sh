#!/usr/bin/env bash
# tb-report summary --compare, this-quarter/last-quarter, and groups that
# compare case- and space-insensitively, on small banks checked by hand.
source "$(dirname "$0")/lib.sh"

tb init --name "Compare Bank" >/dev/null
tb-member add "Ann" --id ann --joined 2020-01-01 --neighbourhood "Hyde Park" --postcode "LS6 1AB" --tag Carer >/dev/null
tb-member add "Bob" --id bob --joined 2020-01-01 --neighbourhood "hyde  park " --postcode "ls62xy" --tag carer >/dev/null
tb-member add "Cat" --id cat --joined 2020-01-01 --neighbourhood "Hyde Park" --postcode "LS16 5QT" --tag ward-3 >/dev/null
tb-member add "Dee" --id dee --joined 2020-01-01 --neighbourhood "Woodhouse" >/dev/null
rec() { tb-exchange record --provider "$1" --recipient "$2" --hours "$3" --date "$4" --category Gardening --override "history" >/dev/null; }
rec ann cat 1 2026-05-10     # Q2
rec bob ann 2 2026-03-10     # Q1
rec cat dee 4 2025-05-01     # Q2 a year earlier
rec dee ann 1 2026-02-27     # February 2026 (no 29th)
rec ann dee 4 2025-02-28     # 28 February 2025
rec bob dee 5 2024-02-29     # leap day
rec cat bob 6 2023-02-28
rec ann bob 1.5 2026-12-29   # ISO week 2026-W53 (2026-12-28 .. 2027-01-03)
rec bob cat 2.5 2026-12-22   # 2026-W52
rec dee cat 0.5 2025-12-23   # 2025-W52 (2025 has no week 53)
rec cat ann 0.25 2025-12-30  # 2026-W01, not 2025-W53

hours() { printf '%s\n' "$OUT" | grep '^all,hours,' | cut -d, -f4,5; }

t "this-quarter and last-quarter"
run tb-report summary --period this-quarter --format csv --compare none
expect_rc 0
run tb-report summary --period last-quarter
expect_out_has "Summary, 2026-07-01 to 2026-09-30, compared with 2026-04-01 to 2026-06-30"
run tb-report summary --period last-quarter --today 2026-02-10
expect_out_has "Summary, 2025-10-01 to 2025-12-31, compared with 2025-07-01 to 2025-09-30"
run tb-report summary --period this-quarter --today 2026-12-31
expect_out_has "Summary, 2026-10-01 to 2026-12-31, compared with 2026-07-01 to 2026-09-30"

t "--compare previous: a quarter with the quarter before (1 hour against 3)"
run tb-report summary --period 2026-Q2 --format csv
expect_out_has "all,hours,,1.00,3.00,-66.7,60,180"
run tb-report summary --period 2026-Q2
expect_out_has "compared with 2026-01-01 to 2026-03-31"

t "--compare previous: March with February, whole months"
run tb-report summary --period 2026-03
expect_out_has "Summary, 2026-03-01 to 2026-03-31, compared with 2026-02-01 to 2026-02-28"
run tb-report summary --period 2026-03 --format csv
[ "$(hours)" = "2.00,1.00" ] && ok || fail "March against February: $(hours)"

t "--compare previous: two whole months with the two before; other stretches by length"
run tb-report summary --period 2026-03..2026-04
expect_out_has "compared with 2026-01-01 to 2026-02-28"
run tb-report summary --period 2026-03-05..2026-03-14
expect_out_has "compared with 2026-02-23 to 2026-03-04"

t "--compare last-year: the same quarter a year earlier (1 hour against 4)"
run tb-report summary --period 2026-Q2 --compare last-year --format csv
expect_out_has "all,hours,,1.00,4.00,-75,60,240"
run tb-report summary --period 2026-Q2 --compare last-year
expect_out_has "compared with 2025-04-01 to 2025-06-30"

t "--compare last-year: 29 February is compared with 28 February"
run tb-report summary --period 2024-02-29 --compare last-year
expect_out_has "Summary, 2024-02-29, compared with 2023-02-28"
run tb-report summary --period 2024-02-29 --compare last-year --format csv
[ "$(hours)" = "5.00,6.00" ] && ok || fail "leap day: $(hours)"
run tb-report summary --period 2024-02 --compare last-year
expect_out_has "compared with 2023-02-01 to 2023-02-28"
run tb-report summary --period 2025-02-28 --compare last-year
expect_out_has "compared with 2024-02-28"

t "--compare last-year: ISO week 53 against the last week (52) of a year without one"
run tb-report summary --period 2026-W53 --compare last-year --today 2027-01-05 --format csv
[ "$(hours)" = "1.50,0.50" ] && ok || fail "week 53: $(hours)"
run tb-report summary --period 2026-W53 --compare last-year --today 2027-01-05
expect_out_has "Summary, 2026-12-28 to 2027-01-03, compared with 2025-12-22 to 2025-12-28"
run tb-report summary --period 2027-W01 --compare last-year --today 2027-01-10
expect_out_has "compared with 2025-12-29 to 2026-01-04"
run tb-report summary --period 2026-W53 --today 2027-01-05 --format csv
[ "$(hours)" = "1.50,2.50" ] && ok || fail "week 53 against week 52: $(hours)"

t "--compare none has no previous figures"
run tb-report summary --period 2026-Q2 --compare none --format csv
expect_out_has "all,hours,,1.00,,,60,"
run tb-report summary --period 2026-Q2 --compare none
expect_out_has "Summary, 2026-04-01 to 2026-06-30"
expect_out_lacks "compared with"

t "--compare with an unknown value is a usage error"
run tb-report summary --compare lastyear
expect_rc 2
expect_err_has "use previous, last-year or none"

t "--by neighbourhood: 'Hyde Park' and 'hyde  park ' are one ward, shown as the common spelling"
run tb-report summary --period 2026 --by neighbourhood --compare none --format csv
expect_rc 0
got=$(printf '%s\n' "$OUT" | grep ',exchanges,' | cut -d, -f1,4)
expect_lines="all,5
Hyde Park,5
Woodhouse,1"
[ "$got" = "$expect_lines" ] && ok || fail "neighbourhood groups: $got"

t "--by tag: Carer and carer are one tag"
run tb-report summary --period 2026 --by tag --compare none --format csv
got=$(printf '%s\n' "$OUT" | grep ',members,' | cut -d, -f1,4)
# Carer: ann and bob took part (2); ward-3: cat (1). The tie between the
# spellings goes to the first in sorted order.
expect_lines="all,4
Carer,2
ward-3,1"
[ "$got" = "$expect_lines" ] && ok || fail "tag groups: $got"

t "--by postcode-district: the outward code (LS6 1AB and ls62xy are LS6)"
run tb-report summary --period 2026 --by postcode-district --compare none --format csv
got=$(printf '%s\n' "$OUT" | grep ',members,' | cut -d, -f1,4)
# 2026 trades: ann-cat, bob-ann, dee-ann, ann-bob (W53), bob-cat (W52).
# (none): dee; LS16: cat; LS6: ann, bob.
expect_lines="all,4
(none),1
LS16,1
LS6,2"
[ "$got" = "$expect_lines" ] && ok || fail "districts: $got"

finish
