#!/usr/bin/env bash
# The community pot: tb init creates it; donate, grant (reason required),
# balance --pot, [pot] min_balance, voids, statements; donations and grants
# never count as exchanges, hours traded or members in any report; the pot
# is listed only with --kind pot; a v3 store is migrated and stays clean.
source "$(dirname "$0")/lib.sh"

count_exchanges() { sqlite3 -readonly "$TIMEBANK_DB" "SELECT count(*) FROM exchange"; }

tb init >/dev/null
t "tb init creates the pot"
expect_sql "SELECT id || '|' || kind || '|' || status FROM member" "pot|pot|active"
run tb check
expect_rc 0
expect_out ""

tb-member add "Ann Lee" >/dev/null     # M0001
tb-member add "Bob Marsh" >/dev/null   # M0002
tb-member add "Cath O'Brien" >/dev/null  # M0003

t "the pot is an account, listed only with --kind pot"
run tb-member list --format csv
expect_rc 0
expect_out_lacks "pot"
run tb-member list --kind pot --format csv --no-header
expect_out_has "pot,Community pot,pot,active"
run tb-member export
expect_out_lacks "Community pot"
run tb-member add "Second pot" --kind pot
expect_rc 3
expect_err_has "there is no other"

t "an empty pot grants nothing (min_balance 0 by default)"
run tb-exchange grant --to M0002 --hours 1 --reason "housebound"
expect_rc 3
expect_err "tb-exchange: rejected: pot would reach -1.00 hours, below the limit of 0.00"
[ "$(count_exchanges)" = 0 ] && ok || fail "a refused grant was recorded"

t "grant needs a reason"
run tb-exchange grant --to M0002 --hours 1
expect_rc 2
run tb-exchange grant --to M0002 --hours 1 --reason "  "
expect_rc 2

t "donate prints the exchange number; the donor pays, the pot earns"
run tb-exchange donate --from M0001 --hours 3 --note "spare hours" --date 2026-11-20
expect_rc 0
expect_out "1"
run tb-exchange balance --pot --format csv
expect_rc 0
expect_out "id,name,balance,minutes,opening
pot,Community pot,3.00,180,0.00"
run tb-exchange balance M0001 --format csv --no-header
expect_out "M0001,Ann Lee,-3.00,-180,0.00"
expect_sql "SELECT command || '|' || target FROM audit ORDER BY id DESC LIMIT 1" "tb-exchange donate|exchange 1"

t "grant takes from the pot, down to its limit and no further"
run tb-exchange grant --to M0002 --hours 2 --reason "in crisis" --date 2026-11-21
expect_rc 0
expect_out "2"
run tb-exchange grant --to M0003 --hours 1:01 --reason "community lunch"
expect_rc 3
expect_err "tb-exchange: rejected: pot would reach -0.02 hours, below the limit of 0.00"
run tb-exchange balance --pot --format csv --no-header
expect_out "pot,Community pot,1.00,60,0.00"

t "the donor's own limit applies to a donation"
run tb-exchange donate --from M0003 --hours 21
expect_rc 3
expect_err_has "M0003 would reach -21.00 hours, below the limit of -20.00"

t "the pot cannot donate to itself, nor be granted to"
run tb-exchange grant --to pot --hours 1 --reason x
expect_rc 3
expect_err_has "not a member"
run tb-exchange donate --from nobody --hours 1
expect_rc 4

t "[pot] min_balance lets a pot run into debt, to its limit"
cat > pot.toml <<'TOML'
[pot]
min_balance = -2
TOML
run tb-exchange --config pot.toml grant --to M0003 --hours 3:01 --reason "winter"
expect_rc 3
expect_err "tb-exchange: rejected: pot would reach -2.02 hours, below the limit of -2.00"
run tb-exchange --config pot.toml grant --to M0003 --hours 3 --reason "winter" --date 2026-11-22
expect_rc 0
expect_out "3"
run tb --config pot.toml config
expect_out_has "min_balance = -2"

t "a donation or grant is voidable like any exchange"
run tb-exchange void 3 --reason "granted by mistake"
expect_rc 0
expect_out "4"
run tb-exchange balance --pot --format csv --no-header
expect_out "pot,Community pot,1.00,60,0.00"
run tb-exchange void 3 --reason again
expect_rc 3

t "statements show donations and grants"
run tb-exchange statement M0001 --format csv
expect_out "date,number,type,provider,provider_name,recipient,recipient_name,category,note,amends,amended_by,hours,minutes,balance
2026-11-20,1,donated,pot,Community pot,M0001,Ann Lee,,spare hours,,,-3.00,-180,-3.00"
run tb-exchange statement M0002 --format csv --no-header
expect_out "2026-11-21,2,granted,M0002,Bob Marsh,pot,Community pot,,in crisis,,,2.00,120,2.00"
run tb-exchange statement pot --format csv --no-header
expect_out "2026-11-20,1,gave,pot,Community pot,M0001,Ann Lee,,spare hours,,,3.00,180,3.00
2026-11-21,2,received,M0002,Bob Marsh,pot,Community pot,,in crisis,,,-2.00,-120,1.00
2026-11-22,3,received,M0003,Cath O'Brien,pot,Community pot,,winter,,,-3.00,-180,-2.00
2026-11-27,4,void of 3,pot,Community pot,M0003,Cath O'Brien,,granted by mistake,,,3.00,180,1.00"

t "the pot is never an exchange, hours traded or a member in reports"
run tb-report summary --period 2026-11 --format csv
expect_rc 0
expect_out_has "all,exchanges,,0,"
expect_out_has "all,hours,,0.00,"
expect_out_has "all,members,,0,"
expect_out_has "all,hours_donated,,3.00,"
expect_out_has "all,hours_granted,,2.00,"
expect_out_has "all,pot_balance,,1.00,"
run tb-report activity --period 2026-11 --format csv --no-header
expect_out "2026-11,2026-11-01,2026-11-27,0,0.00,0,0,3"
run tb-report categories --period 2026-11 --format csv
expect_out_lacks "(none)"
run tb-report social-value --period 2026-11 --format json
expect_out_has '"exchanges": 0'
run tb-report network --period 2026-11 --format json
expect_out_lacks '"pot"'
run tb-report balances --format csv
expect_out_lacks "pot"

t "a real exchange beside them counts as before"
tb-exchange record --provider M0002 --recipient M0003 --hours 1.5 --date 2026-11-25 >/dev/null
run tb-report summary --period 2026-11 --format csv
expect_out_has "all,exchanges,,1,"
expect_out_has "all,hours,,1.50,"
expect_out_has "all,members,,2,"
expect_out_has "all,new_members,,3,"

t "weekly shows the pot's lines"
run tb-report weekly --period 2026-11 --format text
expect_out_has "Hours donated to the pot"
expect_out_has "Pot balance"
run tb-report weekly --period 2026-11 --format json
expect_out_has '"pot": {"donated":3,"donated_minutes":180,"granted":2,"granted_minutes":120,"balance":1,"balance_minutes":60}'

t "the monthly totals leave the pot out, and tb check agrees"
expect_sql "SELECT count(*) FROM member_month WHERE member = 'pot'" "0"
expect_sql "SELECT sum(exchanges) FROM trade_month" "1"
run tb check
expect_rc 0
expect_out ""

# --- migration -----------------------------------------------------------------

t "an older store gains the pot and the wider kinds, and tb check stays clean"
sqlite3 old.db <"$TB_SRC/tests/fixtures/store-v1.sql"
chmod 600 old.db
run tb --db old.db check
expect_rc 0
expect_out_empty
TIMEBANK_DB=old.db expect_sql "PRAGMA user_version" "13"
TIMEBANK_DB=old.db expect_sql "SELECT id || '|' || kind FROM member ORDER BY id" "M0001|person
M0002|organisation
pot|pot"
TIMEBANK_DB=old.db expect_sql "PRAGMA foreign_key_check" ""
TIMEBANK_DB=old.db expect_sql "SELECT count(*) FROM sqlite_master WHERE name = 'member_email'" "1"
run tb-member --db old.db add "Islington Time Bank" --id bank-islington --kind bank
expect_rc 0
expect_out "bank-islington"
run tb-exchange --db old.db donate --from M0001 --hours 1
expect_rc 0
run tb --db old.db check
expect_rc 0
expect_out_empty

finish
