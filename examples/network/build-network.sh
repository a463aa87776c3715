#!/usr/bin/env bash
# Builds a hub of three small banks with the tb tools, as in tb-hub(1):
#
#   examples/network/build-network.sh DIR
#
# makes DIR/newsome, DIR/islington and DIR/hackney (each a timebank.toml and
# its store), DIR/hub.toml listing them, and DIR/transfers/ with the files
# of two trades between banks, each received by the other side. Then
#
#   tb hub report summary --hub DIR/hub.toml --by bank
#   tb hub reconcile --hub DIR/hub.toml
#
# Dates are in November 2026; TB_TODAY defaults to 2026-11-27.
set -euo pipefail
dir=${1:?usage: build-network.sh DIR}
mkdir -p "$dir/transfers"
cd "$dir"
export TB_TODAY=${TB_TODAY:-2026-11-27}
export TB_USER=${TB_USER:-hub-example}
unset TIMEBANK_CONFIG TIMEBANK_DB

# bank DIR NAME WEEK_STARTS VALUE_PER_HOUR: a config and a new store.
bank() {
  mkdir -p "$1"
  cat >"$1/timebank.toml" <<TOML
[timebank]
name = "$2"
week_starts = "$3"

[store]
path = "timebank.db"

[report]
value_per_hour = $4
TOML
  tb --config "$1/timebank.toml" --db "$1/timebank.db" init >/dev/null
}
# at DIR TOOL ARGS...: runs a tool on that bank's store and config.
at() {
  local b=$1; shift
  TIMEBANK_CONFIG="$b/timebank.toml" TIMEBANK_DB="$b/timebank.db" "$@"
}

bank newsome "Newsome Timebank" monday 11.44
bank islington "Islington Time Bank" sunday 12.00
bank hackney "Hackney Timebank" monday 11.44

# Members (IDs given, as a bank that has its own numbering would).
at newsome tb-member add "Ann Lee" --id ann >/dev/null
at newsome tb-member add "Bob Marsh" --id bob >/dev/null
at newsome tb-member add "Newsome Care Home" --id carehome --kind organisation >/dev/null
at islington tb-member add "Ife Okoro" --id IS041 >/dev/null
at islington tb-member add "Sam Reid" --id IS042 >/dev/null
at hackney tb-member add "Hana Ito" --id H001 >/dev/null
at hackney tb-member add "Kofi Mensah" --id H002 >/dev/null

# Clearing accounts: in each bank, one member of kind bank per partner,
# named by the partner's [timebank] name, with limits as the trust between them.
at newsome tb-member add "Islington Time Bank" --id bank-islington --kind bank --min-balance -10 --max-balance 10 >/dev/null
at islington tb-member add "Newsome Timebank" --id bank-newsome --kind bank --min-balance -10 --max-balance 10 >/dev/null
at islington tb-member add "Hackney Timebank" --id bank-hackney --kind bank >/dev/null
at hackney tb-member add "Islington Time Bank" --id bank-islington --kind bank >/dev/null

# Exchanges inside each bank.
at newsome tb-exchange record --provider ann --recipient bob --hours 2 --category Gardening --date 2026-11-02 >/dev/null
at newsome tb-exchange record --provider bob --recipient carehome --hours 1.5 --category "Care & companionship" --date 2026-11-10 >/dev/null
at newsome tb-exchange record --provider carehome --recipient ann --hours 1 --category "Transport" --date 2026-11-16 >/dev/null
at islington tb-exchange record --provider IS041 --recipient IS042 --hours 3 --category "Home & DIY" --date 2026-11-05 >/dev/null
at islington tb-exchange record --provider IS042 --recipient IS041 --hours 1 --category Gardening --date 2026-11-20 >/dev/null
at hackney tb-exchange record --provider H001 --recipient H002 --hours 0:45 --category Gardening --date 2026-11-12 >/dev/null

# The community pot of Newsome: a donation and a grant.
at newsome tb-exchange donate --from ann --hours 2 --note "spare hours" --date 2026-11-18 >/dev/null
at newsome tb-exchange grant --to bob --hours 1 --reason "housebound this month" --date 2026-11-19 >/dev/null

# Trade between banks: Ann (Newsome) helps Sam (Islington) for 2 hours;
# Kofi (Hackney) helps Ife (Islington) for 1.5 hours.
at newsome tb-exchange -q transfer out --bank bank-islington --provider ann --remote-member IS042 --hours 2 \
  --category Gardening --date 2026-11-21 -o transfers/newsome-islington-1.json
at islington tb-exchange transfer in transfers/newsome-islington-1.json >/dev/null
at hackney tb-exchange -q transfer out --bank bank-islington --provider H002 --remote-member IS041 --hours 1.5 \
  --category Transport --date 2026-11-23 -o transfers/hackney-islington-1.json
at islington tb-exchange transfer in transfers/hackney-islington-1.json >/dev/null

cat >hub.toml <<'TOML'
# The banks of the network; paths are relative to this file.
[[bank]]
name = "Newsome Timebank"
store = "newsome/timebank.db"
config = "newsome/timebank.toml"

[[bank]]
name = "Islington Time Bank"
store = "islington/timebank.db"
config = "islington/timebank.toml"

[[bank]]
name = "Hackney Timebank"
store = "hackney/timebank.db"
config = "hackney/timebank.toml"
TOML
