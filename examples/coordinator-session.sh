#!/usr/bin/env bash
# A coordinator's session with tb, from an empty store to a checked ledger.
#
#   examples/coordinator-session.sh [STORE]
#
# Uses whichever tb, tb-member and tb-exchange are first on PATH. STORE is
# the store to create (it must not exist yet); without it, a new one is made
# in a temporary directory and its path printed at the end. Exchanges are
# dated over the last six weeks before today (TB_TODAY, if set, is today).
set -euo pipefail

if [ $# -gt 1 ]; then
  echo "usage: $0 [STORE]" >&2
  exit 2
fi
if [ $# -eq 1 ]; then
  store=$1
else
  store="$(mktemp -d "${TMPDIR:-/tmp}/timebank.XXXXXX")/timebank.db"
fi
if [ -e "$store" ]; then
  echo "$0: $store already exists; give the path of a new store" >&2
  exit 1
fi
# Every tool finds the store through TIMEBANK_DB (or --db on each command).
export TIMEBANK_DB=$store
# Who is at the keyboard: recorded with every write in the audit log.
export TB_USER=${TB_USER:-coordinator}
today=${TB_TODAY:-$(date +%F)}
# ago N: the date N days before today.
ago() { date -d "$today - $1 days" +%F; }

section() { printf '\n== %s ==\n' "$*"; }

section "A new store"
tb init --name "Meanwood & Headingley Timebank"

section "Members"
# `tb-member add` prints the new member's ID and nothing else, so a script
# can keep it. IDs are generated (M0001, M0002, ...) unless --id is given.
declare -A id
id[sian]=$(tb-member add "Siân Evans" --email sian.evans@example.org --phone "0113 496 0101" \
  --postcode "LS6 4AB" --neighbourhood Meanwood --offers "gardening;lawn mowing" --wants "diy" --tag carer)
id[zoe]=$(tb-member add "Zoë Okafor" --email zoe.okafor@example.org --postcode "LS6 2QT" \
  --neighbourhood Headingley --offers "befriending;telephone befriending" --wants "shopping" --joined "$(ago 60)")
id[ruairi]=$(tb-member add "Ruairí O'Neill" --neighbourhood "Hyde Park" --offers "diy;putting up shelves;small repairs" \
  --wants "cooking")
id[margaret]=$(tb-member add "Margaret Thompson" --phone "0113 496 0199" --neighbourhood Meanwood \
  --wants "lifts to appointments;shopping;befriending" --tag uses-services --note "Hard of hearing: ring twice")
id[tomasz]=$(tb-member add "Tomasz Kowalczyk" --neighbourhood "Chapel Allerton" \
  --offers "lifts to appointments;hospital runs" --wants "gardening")
id[aisha]=$(tb-member add "Aisha Rahman" --email aisha.r@example.org --neighbourhood Headingley \
  --offers "cooking;batch cooking;baking" --wants "ironing")
id[gareth]=$(tb-member add "Gareth Hughes" --neighbourhood "Hyde Park" --offers "computer help;form filling" \
  --wants "gardening" --tag ward-3)
id[chloe]=$(tb-member add "Chloé Martin" --neighbourhood Meanwood --offers "ironing;cleaning;shopping" \
  --wants "computer help")
# Organisations give and receive time too (funders ask for these figures apart).
id[hollybush]=$(tb-member add "Hollybush Care Home" --kind organisation --neighbourhood Meanwood \
  --offers "meeting room" --wants "befriending;gardening" --max-balance none --min-balance -40)
id[centre]=$(tb-member add "Meanwood Community Centre" --kind organisation --neighbourhood Meanwood \
  --offers "baking;computer help" --wants "cleaning;diy")
echo "added ${#id[@]} members: $(printf '%s\n' "${id[@]}" | sort | paste -sd' ')"

# A safeguarding check for the befriender and the driver, and one skill more.
tb-member check add "${id[zoe]}" dbs --expires "$(date -d "$today + 300 days" +%F)"
tb-member check add "${id[tomasz]}" driving-licence --expires "$(date -d "$today + 2 years" +%F)"
tb-member skill add "${id[sian]}" --offers "hedge trimming"
tb-member list

section "Exchanges of the last six weeks"
# Each line: days ago | provider | recipient(s) | time | category | note.
# The provider gave the service and earns; the recipient pays. Time may be
# written 1.5, 1:30, 90m or 1h30m; it is kept as whole minutes.
numbers=()
while IFS='|' read -r days provider recipient hours category note; do
  [ -z "$days" ] && continue
  recipients=()
  for r in ${recipient//,/ }; do recipients+=("${id[$r]}"); done
  out=$(tb-exchange record --provider "${id[$provider]}" --recipient "$(IFS=,; echo "${recipients[*]}")" \
    --hours "$hours" --date "$(ago "$days")" --category "$category" --note "$note")
  # A group exchange prints one number per pair.
  while read -r n; do numbers+=("$n"); done <<< "$out"
done <<'EOF'
41|sian|margaret|1.5|Gardening|Front garden tidy
40|zoe|margaret|1|Care & companionship|Weekly visit
39|tomasz|margaret|2|Transport & lifts|LGI outpatients
38|ruairi|centre|2h30m|Home & DIY|Noticeboard and shelves
37|aisha|hollybush|3|Cooking & food|Batch of soups for residents
35|chloe|zoe|1:30|Shopping & errands|Weekly shop
34|gareth|chloe|1|Computers & IT|Setting up email
33|zoe|hollybush|2|Care & companionship|Afternoon with residents
32|centre|ruairi,gareth,chloe|1|Computers & IT|Computer class
30|sian|tomasz|2|Gardening|Allotment help
28|zoe|margaret|1|Care & companionship|Weekly visit
27|chloe|aisha|45m|Household|Ironing
26|tomasz|margaret|1.25|Transport & lifts|Surgery and chemist
25|ruairi|sian|1|Home & DIY|Fixed gate latch
23|hollybush|centre|2|Events & community|Meeting room for the steering group
21|aisha|ruairi|1.5|Cooking & food|Meals for the week
20|sian|hollybush|3|Gardening|Raised beds
19|gareth|margaret|1|Admin & paperwork|Online pension form
17|chloe|centre|2|Household|Deep clean after the fair
14|zoe|margaret|1|Care & companionship|Weekly visit
13|tomasz|gareth|1|Transport & lifts|Lift to the tip
12|centre|aisha|0.5|Events & community|Printing flyers
10|ruairi|chloe|2|Home & DIY|Flat-pack wardrobe
8|sian|gareth|1:15|Gardening|Hedge
6|aisha|zoe|1|Cooking & food|Birthday cake
5|zoe|hollybush|1.5|Care & companionship|Reading group
3|tomasz|margaret|1|Transport & lifts|Physio
1|chloe|margaret|1|Shopping & errands|Prescription and bread
EOF
echo "recorded ${#numbers[@]} exchanges: ${numbers[*]}"

section "Corrections"
# The ledger is append-only: a mistake is voided by a reversing exchange,
# which tb-exchange prints the number of. Find the entries to void first.
tb-exchange list --member "${id[hollybush]}" --category "Events & community"
wrong=$(tb-exchange list --member "${id[hollybush]}" --category "Events & community" --format csv --no-header | cut -d, -f1)
tb-exchange void "$wrong" --reason "Room booking is not a service between members"
# The lift 26 days ago was cancelled on the day, but the paper log still had it.
lift=$(tb-exchange list --member "${id[tomasz]}" --since "$(ago 26)" --until "$(ago 26)" --format csv --no-header | cut -d, -f1)
tb-exchange show "$lift"
tb-exchange void "$lift" --reason "Cancelled on the day"
# An opening balance carried over from the paper ledger is not an exchange.
tb-exchange opening --member "${id[margaret]}" --hours=-2 --date "$(ago 45)" --note "From the paper ledger"

section "Balances"
tb-exchange balance
section "Margaret's statement for the last four weeks"
tb-exchange statement "${id[margaret]}" --since "$(ago 28)"
section "Voided exchanges"
tb-exchange list --voided

section "Checking the store"
# No output and exit 0 means the hash chain, the voids and the balances agree.
tb check && echo "store OK"
echo
echo "store: $store"
