#!/usr/bin/env bash
# tb-exchange amend: a void and the corrected exchange in one transaction,
# linked by `amends`; every rule of a record, limits taken as if the amended
# exchange were voided; balances, the hash chain, the monthly totals, show,
# statements and each refusal, on a small store whose figures are worked out
# by hand in the comments.
source "$(dirname "$0")/lib.sh"

unchanged() { if [ "$(store_digest)" = "$1" ]; then ok; else fail "the store changed"; fi; }
balances() { sqlite3 -readonly "$TIMEBANK_DB" "SELECT group_concat(id || ':' || balance, ' ') FROM (SELECT id, balance FROM member WHERE kind = 'person' ORDER BY id)"; }

tb init --name "Leeds Timebank" >/dev/null
tb-member add "Ann Lee" --id ann --phone "0113 496 0001" >/dev/null
tb-member add "Bob Marsh" --id bob >/dev/null
tb-member add "Cath O'Brien" --id cath >/dev/null
tb-member add "Dan Tight" --id dan --min-balance -2 >/dev/null
# 1: ann gave bob 2:00 (Gardening) on 2026-10-05; 2: bob gave cath 1:00 on 2026-11-10.
tb-exchange record --provider ann --recipient bob --hours 2 --date 2026-10-05 --category gardening --note hedge >/dev/null
tb-exchange record --provider bob --recipient cath --hours 1 --date 2026-11-10 --category household >/dev/null
# ann +120, bob -120 + 60 = -60, cath -60.

t "before: balances and monthly totals"
expect_sql "SELECT group_concat(id || ':' || balance, ' ') FROM (SELECT id, balance FROM member WHERE kind = 'person' ORDER BY id)" \
  "ann:120 bob:-60 cath:-60 dan:0"
run tb-report activity --by month --period 2026-10..2026-11 --format csv
expect_out "period,from,to,exchanges,hours,minutes,members,new_members
2026-10,2026-10-01,2026-10-31,1,2.00,120,2,0
2026-11,2026-11-01,2026-11-27,1,1.00,60,2,4"
run tb check --head
head_before=$(printf '%s\n' "$OUT" | grep '^exchanges ')
[ "${head_before%% *} ${head_before#* }" != "" ] && [ "$(printf '%s' "$head_before" | cut -d' ' -f2)" = 2 ] && ok || fail "head before: $head_before"

t "amend prints the new number only; the void and the correction in one go"
# It was Cath, not Bob, for 1:30, and a lift: void 3 (bob -> ann 2:00, dated
# as 1), corrected 4 (ann -> cath 1:30, Transport & lifts, the note kept).
run tb-exchange amend 1 --recipient cath --hours 1:30 --category transport --reason "it was Cath, a lift"
expect_rc 0
expect_out "4"
expect_err_empty
expect_sql "SELECT number || '|' || date || '|' || provider || '|' || recipient || '|' || minutes || '|' || category || '|' || note || '|' || coalesce(reverses, '') || '|' || coalesce(amends, '') FROM exchange WHERE number > 2 ORDER BY number" \
  "3|2026-10-05|bob|ann|120|Gardening|it was Cath, a lift|1|
4|2026-10-05|ann|cath|90|Transport & lifts|hedge||1"
expect_sql "SELECT who || '|' || command || '|' || target || '|' || fields FROM audit WHERE command = 'tb-exchange amend' ORDER BY id" \
  "tester|tb-exchange amend|exchange 3|reverses,note
tester|tb-exchange amend|exchange 4|amends,recipient,minutes,category"

t "after: all three members' balances"
# ann 120 - 120 + 90 = 90; bob -60 + 120 = 60; cath -60 - 90 = -150.
expect_sql "SELECT group_concat(id || ':' || balance, ' ') FROM (SELECT id, balance FROM member WHERE kind = 'person' ORDER BY id)" \
  "ann:90 bob:60 cath:-150 dan:0"
run tb-exchange balance ann bob cath --format csv
expect_out "id,name,balance,minutes,opening
ann,Ann Lee,1.50,90,0.00
bob,Bob Marsh,1.00,60,0.00
cath,Cath O'Brien,-2.50,-150,0.00"

t "after: tb check is clean and the chain head moved"
run tb check
expect_rc 0; expect_out_empty
run tb check --head
head_after=$(printf '%s\n' "$OUT" | grep '^exchanges ')
[ "$(printf '%s' "$head_after" | cut -d' ' -f2)" = 4 ] && [ "$head_after" != "$head_before" ] && ok \
  || fail "head after: $head_after (before: $head_before)"
printf '%s\n' "$head_before" > head-before.txt
run tb check --expect-head head-before.txt
expect_rc 0

t "after: the monthly totals count the correction in place of the original"
# October: one exchange of 1:30 (ann, cath); November unchanged.
run tb-report activity --by month --period 2026-10..2026-11 --format csv
expect_out "period,from,to,exchanges,hours,minutes,members,new_members
2026-10,2026-10-01,2026-10-31,1,1.50,90,2,0
2026-11,2026-11-01,2026-11-27,1,1.00,60,2,4"
expect_sql "SELECT month || '|' || category || '|' || exchanges || '|' || minutes FROM trade_month WHERE exchanges <> 0 ORDER BY month, category" \
  "2026-10|Transport & lifts|1|90
2026-11|Household|1|60"
run tb-report categories --period 2026 --format csv --no-header
expect_out_has "Transport & lifts,1,1.50,90,"
expect_out_has "Gardening,0,0.00,0,"

t "show: amends and amended_by"
run tb-exchange show 4 --format json
expect_out_has '"amends": 1,'
expect_out_has '"amended_by": null'
run tb-exchange show 1
expect_out_has "voided_by:      3"
expect_out_has "amended_by:     4"
run tb-exchange show 1 --format json
expect_out_has '"voided_by": 3,'
expect_out_has '"amends": null,'
expect_out_has '"amended_by": 4'

t "statement: the original, its void and the correction, in every format"
run tb-exchange statement ann --format csv
expect_out "date,number,type,provider,provider_name,recipient,recipient_name,category,note,amends,amended_by,hours,minutes,balance
2026-10-05,1,gave,ann,Ann Lee,bob,Bob Marsh,Gardening,hedge,,4,2.00,120,2.00
2026-10-05,3,void of 1,bob,Bob Marsh,ann,Ann Lee,Gardening,\"it was Cath, a lift\",,,-2.00,-120,0.00
2026-10-05,4,gave,ann,Ann Lee,cath,Cath O'Brien,Transport & lifts,hedge,1,,1.50,90,1.50"
run tb-exchange statement cath --format jsonl
expect_out '{"date":"2026-10-05","number":4,"type":"received","provider":"ann","provider_name":"Ann Lee","recipient":"cath","recipient_name":"Cath O'"'"'Brien","category":"Transport & lifts","note":"hedge","amends":1,"amended_by":null,"hours":-1.5,"minutes":-90,"balance":-1.5,"balance_minutes":-90,"reverses":null}
{"date":"2026-11-10","number":2,"type":"received","provider":"bob","provider_name":"Bob Marsh","recipient":"cath","recipient_name":"Cath O'"'"'Brien","category":"Household","note":"","amends":null,"amended_by":null,"hours":-1,"minutes":-60,"balance":-2.5,"balance_minutes":-150,"reverses":null}'
run tb-exchange statement ann
expect_out "date        number  type       provider  provider_name  recipient  recipient_name  category           note                 amends  amended_by  hours  minutes  balance
2026-10-05       1  gave       ann       Ann Lee        bob        Bob Marsh       Gardening          hedge                                 4   2.00      120     2.00
2026-10-05       3  void of 1  bob       Bob Marsh      ann        Ann Lee         Gardening          it was Cath, a lift                      -2.00     -120     0.00
2026-10-05       4  gave       ann       Ann Lee        cath       Cath O'Brien    Transport & lifts  hedge                     1               1.50       90     1.50"
run tb-exchange statement ann --format html
expect_out_has "<td>gave<div class=\"small\">corrected by no. 4</div></td>"
expect_out_has "<td>gave<div class=\"small\">corrects no. 1</div></td>"

# --- refusals: nothing written ----------------------------------------------
before=$(store_digest)
t "amending an amended exchange is refused (3), naming the correction"
run tb-exchange amend 1 --hours 1 --reason again
expect_rc 3; expect_out_empty
expect_err "tb-exchange: rejected: exchange 1 is already amended (by exchange 4); amend exchange 4 instead"
t "amending a void is refused (3)"
run tb-exchange amend 3 --hours 1 --reason again
expect_rc 3
expect_err "tb-exchange: rejected: exchange 3 is a void (of exchange 1); a void cannot be amended"
t "an unknown exchange is 4"
run tb-exchange amend 99 --hours 1 --reason x
expect_rc 4
expect_err "tb-exchange: error: no exchange 99"
t "no change given is a usage error (2)"
run tb-exchange amend 4 --reason "nothing"
expect_rc 2
expect_err "tb-exchange: error: amend needs a change: --category, --hours, --date, --provider, --recipient or --note"
t "--reason is required (2); values that do not parse are 2"
run tb-exchange amend 4 --hours 1
expect_rc 2
run tb-exchange amend 4 --hours abc --reason x
expect_rc 2
run tb-exchange amend 4 --date "" --reason x
expect_rc 2
run tb-exchange amend four --hours 1 --reason x
expect_rc 2
t "an unknown member is 4"
run tb-exchange amend 4 --provider nobody --reason x
expect_rc 4
expect_err_has "no member 'nobody'"
t "the same values again change nothing: refused (3)"
run tb-exchange amend 4 --category "transport & lifts" --note hedge --reason same
expect_rc 3
expect_err "tb-exchange: rejected: exchange 4 already has those values: nothing to amend"
t "every rule of a record applies: category, self, hours, date"
run tb-exchange amend 4 --category "basket weaving" --reason x
expect_rc 3; expect_err_has "basket weaving"
run tb-exchange amend 4 --recipient ann --reason x
expect_rc 3; expect_err "tb-exchange: rejected: ann cannot exchange with themselves"
run tb-exchange amend 4 --hours 25 --reason x
# cath, as if 4 were voided: -150 + 90 - 25:00 = -26:00.
expect_rc 3
expect_err "tb-exchange: rejected: 25.00 hours is more than the limit of 24.00 hours per exchange; cath would reach -26.00 hours, below the limit of -20.00"
run tb-exchange amend 4 --date 2026-11-28 --reason x
expect_rc 3
expect_err "tb-exchange: rejected: date 2026-11-28 is in the future (today is 2026-11-27) (a coordinator may use --override REASON)"
t "a blocked pair is refused unless --override"
tb-member block ann bob --reason safeguarding >/dev/null
before=$(store_digest)
run tb-exchange amend 4 --recipient bob --reason x
expect_rc 3
expect_err "tb-exchange: rejected: ann and bob are a blocked pair (tb-member block list) (a coordinator may use --override REASON)"
unchanged "$before"
tb-member unblock ann bob >/dev/null

t "limits are taken as if the amended exchange were voided"
# dan (min -2:00) received 2:00 from ann: at his limit. Amending it to 1:45
# is fine (0 - 1:45); counting the old 2:00 too would give -3:45.
run tb-exchange record --provider ann --recipient dan --hours 2 --date 2026-11-20
expect_out "5"
before=$(store_digest)
run tb-exchange amend 5 --hours 2:30 --reason "longer"
expect_rc 3
expect_err "tb-exchange: rejected: dan would reach -2.50 hours, below the limit of -2.00 (a coordinator may use --override REASON)"
unchanged "$before"
run tb-exchange amend 5 --hours 1:45 --reason "shorter"
expect_rc 0; expect_out "7"
expect_sql "SELECT balance FROM member WHERE id = 'dan'" "-105"
t "--override lets a limit through and is kept"
run tb-exchange amend 7 --hours 2:30 --reason "longer after all" --override "agreed by the coordinator"
expect_rc 0; expect_out "9"
expect_sql "SELECT balance || '|' || override_reason || '|' || amends FROM exchange e JOIN member m ON m.id = 'dan' WHERE e.number = 9" \
  "-150|agreed by the coordinator|7"
run tb-exchange show 9
expect_out_has "override:       agreed by the coordinator"

t "a voided exchange cannot be amended (3)"
run tb-exchange record --provider bob --recipient ann --hours 1 --date 2026-11-21
expect_out "10"
tb-exchange void 10 --reason "never happened" >/dev/null
run tb-exchange amend 10 --hours 2 --reason x
expect_rc 3
expect_err "tb-exchange: rejected: exchange 10 is voided (by exchange 11); record a new exchange instead"

t "donations and grants are not amended (3)"
run tb-exchange donate --from ann --hours 0.5
expect_out "12"
run tb-exchange amend 12 --hours 1 --reason x
expect_rc 3
expect_err "tb-exchange: rejected: exchange 12 is with the pot account pot: amend corrects exchanges between members; void it (tb-exchange void 12) and record it again"

t "warn_below: a correction that leaves a balance under it is warned about"
printf '[policy]\nwarn_below = -2\n' > timebank.toml
run tb-exchange amend 2 --hours 1:30 --reason "an hour and a half"
expect_rc 0; expect_out "14"
# cath: -150 + 60 - 90 = -180, under -2:00.
expect_err "tb-exchange: warning: cath has -3.00 hours, below the warning level of -2.00"
rm timebank.toml

t "a new date moves the exchange to its month in the monthly totals"
# 4 (ann -> cath 1:30, October) moves to 2026-11-02: October has none left,
# November gains it (bob -> cath's 14 and 2's void already there).
run tb-report activity --by month --period 2026-10..2026-11 --format csv --no-header
before_nov=$(printf '%s\n' "$OUT" | sed -n 2p | cut -d, -f4,6)
run tb-exchange amend 4 --date 2026-11-02 --reason "it was November"
expect_rc 0; expect_out "16"
expect_sql "SELECT date || '|' || amends FROM exchange WHERE number = 16" "2026-11-02|4"
expect_sql "SELECT date || '|' || reverses FROM exchange WHERE number = 15" "2026-10-05|4"
run tb-report activity --by month --period 2026-10..2026-11 --format csv --no-header
expect_out_has "2026-10,2026-10-01,2026-10-31,0,0.00,0,0,0"
after_nov=$(printf '%s\n' "$OUT" | sed -n 2p | cut -d, -f4,6)
[ "${before_nov%,*}" -eq $(( ${after_nov%,*} - 1 )) ] && [ "${before_nov#*,}" -eq $(( ${after_nov#*,} - 90 )) ] && ok \
  || fail "November went from $before_nov to $after_nov (want one more exchange and 90 more minutes)"

t "tb check stays clean after all of it"
run tb check
expect_rc 0; expect_out_empty

t "an edited amends link is caught by tb check"
cp "$TIMEBANK_DB" tampered.db
sqlite3 tampered.db "DROP TRIGGER exchange_append_only_update; UPDATE exchange SET amends = NULL WHERE number = 4;"
run tb --db tampered.db check
expect_rc 1
expect_out_has "exchange 4: hash chain broken (row edited outside tb)"
cp "$TIMEBANK_DB" tampered2.db
# 5 is amended by 7 and voided by 6; 2 is live (amended later by 14: voided).
sqlite3 tampered2.db "DROP TRIGGER exchange_append_only_update; DROP INDEX exchange_amends;
  UPDATE exchange SET amends = 9 WHERE number = 7; UPDATE exchange SET amends = 2 WHERE number = 3;
  UPDATE exchange SET amends = 12 WHERE number = 9;"
run tb --db tampered2.db check
expect_rc 1
expect_out_has "exchange 7: amends a later exchange 9"
expect_out_has "exchange 3: is a void and amends exchange 2"
expect_out_has "exchange 9: amends exchange 12, which is not voided"

t "the ledger refuses an update of amends"
run sqlite3 "$TIMEBANK_DB" "UPDATE exchange SET amends = 2 WHERE number = 4"
expect_err_has "the ledger is append-only"

t "an import's likely correction names amend; after it the sheet imports unchanged"
export TIMEBANK_DB="$WORK/sheet.db"
tb init >/dev/null
tb-member add "Ann Lee" --id A >/dev/null
tb-member add "Bob Bell" --id B >/dev/null
printf 'date,provider,recipient,hours,category\n2026-11-01,A,B,1:30,Gardening\n2026-11-02,B,A,1,Household\n' > log.csv
run tb-exchange import log.csv
expect_out "2 added, 0 updated, 0 unchanged"
sed -i 's/^2026-11-01,A,B,1:30,Gardening$/2026-11-01,A,B,2:00,Gardening/' log.csv
run tb-exchange import log.csv
expect_rc 3
expect_err_has "log.csv:2: hours: looks like exchange 1 edited: 1:30 → 2:00; correct it with tb-exchange amend 1 (a second"
run tb-exchange amend 1 --hours 2 --reason "the sheet was corrected"
expect_out "4"
run tb-exchange import log.csv
expect_rc 0
expect_out "0 added, 0 updated, 2 unchanged"

t "bash completion knows amend and its options"
complete_words() {
  bash -c '. "$1/tb.bash"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tb
    printf "%s\n" "${COMPREPLY[@]}"' _ "$TB_COMPLETION_DIR" "$@"
}
run complete_words tb-exchange am
expect_out "amend"
run complete_words tb-exchange amend 1 --rea
expect_out "--reason"

t "amend --help names every option"
run tb-exchange amend --help
expect_rc 0
for o in --category --hours --date --provider --recipient --note --reason --override; do expect_out_has "$o"; done

finish
