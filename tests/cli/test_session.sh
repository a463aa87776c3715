#!/usr/bin/env bash
# examples/coordinator-session.sh run against the build: it must finish, and
# leave 30 exchanges and 2 voids, balances summing to zero and a clean store.
SRC=${TB_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$(dirname "$0")/lib.sh"
SCRIPT="$SRC/examples/coordinator-session.sh"

t "the session runs to the end"
run bash "$SCRIPT" "$WORK/session.db"
expect_rc 0
expect_err_empty
expect_out_has "added 10 members: M0001 M0002 M0003 M0004 M0005 M0006 M0007 M0008 M0009 M0010"
expect_out_has "recorded 30 exchanges: $(seq -s' ' 1 30)"
expect_out_has "store OK"
expect_out_has "store: $WORK/session.db"
export TIMEBANK_DB="$WORK/session.db"

t "ten members, people and organisations"
expect_sql "SELECT kind, count(*) FROM member WHERE kind <> 'pot' GROUP BY kind ORDER BY kind" "organisation|2
person|8"
expect_sql "SELECT count(*) FROM member WHERE name GLOB '*[^ -~]*'" "4"
expect_sql "SELECT count(*) FROM member WHERE status = 'active' AND kind <> 'pot'" "10"

t "30 exchanges and 2 voids"
expect_sql "SELECT count(*) FROM exchange" "32"
expect_sql "SELECT count(*) FROM exchange WHERE reverses IS NULL" "30"
expect_sql "SELECT count(*) FROM exchange WHERE reverses IS NOT NULL" "2"
expect_sql "SELECT count(*) FROM exchange e WHERE reverses IS NULL
  AND date BETWEEN date('2026-11-27', '-42 days') AND '2026-11-27'" "30"

t "balances sum to zero, apart from the opening balance"
expect_sql "SELECT sum(balance) - sum(opening), sum(opening) FROM member" "0|-120"
run tb-exchange balance --format json
expect_rc 0
sum=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(sum(m["minutes"] - round(m["opening"] * 60) for m in json.load(sys.stdin)))')
[ "$sum" = 0 ] && ok || fail "balances without openings sum to $sum minutes"

t "every write is in the audit log, by the coordinator"
expect_sql "SELECT count(*) FROM audit WHERE command = 'tb-exchange record'" "30"
expect_sql "SELECT count(*) FROM audit WHERE command = 'tb-exchange void'" "2"
expect_sql "SELECT count(*) FROM audit WHERE command = 'tb-member add'" "10"
expect_sql "SELECT DISTINCT who FROM audit" "tester"

t "tb check is clean"
run tb check
expect_rc 0
expect_out_empty
expect_err_empty

t "the session refuses to reuse a store"
before=$(store_digest)
run bash "$SCRIPT" "$WORK/session.db"
expect_rc 1
expect_err_has "already exists"
if [ "$(store_digest)" = "$before" ]; then ok; else fail "the store changed"; fi

finish
