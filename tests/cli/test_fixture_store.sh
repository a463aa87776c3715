#!/usr/bin/env bash
# A store written by an earlier tb (tests/fixtures/store-v6.sql, schema
# version 6, dumped with sqlite3) stays readable and verifiable by every later
# tb: it migrates forward, its hash chains (ledger, openings, audit log) still
# verify, their heads are the ones published when it was written, and its
# balances, figures and statements are unchanged. A change to the chain
# format or a migration that rewrites history fails here.
FIXTURE="$(cd "$(dirname "$0")/../fixtures" && pwd)/store-v6.sql"
source "$(dirname "$0")/lib.sh"

LAST="sqlite3 < $FIXTURE"
sqlite3 "$TIMEBANK_DB" <"$FIXTURE" || { fail "sqlite3 could not load $FIXTURE"; exit 1; }
chmod 600 "$TIMEBANK_DB"

t "tb check: the version 6 store verifies (after any migration), silently"
run tb check
expect_rc 0
expect_out ""
expect_err ""

t "tb check --head: the heads published when the store was written"
run tb check --head
expect_rc 0
expect_out "exchanges 6 64d08760c0164bc10c99d6085cca6be0dea8167eb6c32cc684d8d95b0a2f4970
openings 1 73efd8ad4a5cfc7fd4bc059286c58f921d9d306dfef4df087ae5019558b9202f
audit 16 cc37241f6e1b30f4142a7ca3d8b8a7cbcb4d5a5fa349dd283f8a6c48656795f4"
printf 'exchanges 6 64d08760c0164bc10c99d6085cca6be0dea8167eb6c32cc684d8d95b0a2f4970\n' >"$WORK/published.txt"
run tb check --expect-head "$WORK/published.txt"
expect_rc 0
expect_out ""

t "balances as they were"
run tb-exchange balance --format csv
expect_rc 0
expect_out "id,name,balance,minutes,opening
ann,Ann Lee,-0.50,-30,-2.00
bob,Bob Marsh,0.50,30,0.00
home,Rosewood Care Home,-5.00,-300,0.00
pot,Community pot,2.00,120,0.00
zoe,Zoë Ó Súilleabháin,1.00,60,0.00"

t "figures as they were: the void and the pot are not trade"
run tb-report summary --period 2026 --format csv --compare none
expect_rc 0
expect_out_has "all,exchanges,,2"
expect_out_has "all,hours,,3.50"
expect_out_has "all,hours_donated,,3.00"
expect_out_has "all,hours_granted,,1.00"
expect_out_has "all,pot_balance,,2.00"

t "a write after the migration extends the old chains, and they still verify"
run tb-exchange record --provider bob --recipient ann --hours 1 --date 2026-11-20 --category Gardening
expect_rc 0
expect_out "7"
run tb check
expect_rc 0
expect_out ""
run tb check --expect-head "$WORK/published.txt"
expect_rc 0

t "the version 6 store is now version 10, its backup left as it was"
expect_sql "PRAGMA user_version" "13"
TIMEBANK_DB="$TIMEBANK_DB.v6.bak" expect_sql "PRAGMA user_version" "6"

t "an amend of an exchange from before the migration: the chains still verify"
run tb-exchange amend 7 --hours 1:30 --reason "it was longer"
expect_rc 0
expect_out "9"
expect_sql "SELECT number || '|' || coalesce(reverses, '') || '|' || coalesce(amends, '') || '|' || minutes FROM exchange WHERE number > 7" "8|7||60
9||7|90"
run tb check
expect_rc 0
expect_out ""
run tb check --expect-head "$WORK/published.txt"
expect_rc 0

t "the block and the check travelled with the store"
run tb-exchange record --provider ann --recipient zoe --hours 1 --date 2026-11-21 --category Gardening
expect_rc 3
expect_err_has "blocked"
run tb-member check list --format csv
expect_rc 0
expect_out_has "zoe"
expect_out_has "2027-01-31"

finish
