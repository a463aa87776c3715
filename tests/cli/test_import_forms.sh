#!/usr/bin/env bash
# Spreadsheets and migrations as volunteers have them (issue 14): Google
# Forms sheets, mapping precedence, durations, dry-run diffs, the correction
# hint, re-import after forget, TimeOverflow, --history, and the write lock.
source "$(dirname "$0")/lib.sh"
EX="$TB_SRC/examples"

t "Google Forms member sheet: checkboxes, Yes/No, a double submission, trailing spaces, accents"
run tb init
run tb-member import "$EX/forms-members.csv" --mapping "$EX/mapping-forms-members.toml" --dry-run -v
expect_rc 0
expect_out "line 7: ann.lee@example.org again (first on line 2): this row is taken (duplicates = \"last\")
line 3: add M0001 (Renée Dubois)
line 4: add M0002 (Zoë Brontë)
line 5: add M0003 (Woodhouse Allotment Society)
line 6: add M0004 (Dave Smith)
line 7: add M0005 (Ann Lee)
would be: 5 added, 0 updated, 0 unchanged, 1 duplicate row passed over"
run tb-member import "$EX/forms-members.csv" --mapping "$EX/mapping-forms-members.toml"
expect_rc 0; expect_out "5 added, 0 updated, 0 unchanged, 1 duplicate row passed over"
expect_sql "SELECT kind FROM member WHERE name = 'Woodhouse Allotment Society'" "organisation"
expect_sql "SELECT kind FROM member WHERE name = 'Ann Lee'" "person"
expect_sql "SELECT group_concat(skill, ';') FROM (SELECT skill FROM member_skill s JOIN member m ON m.id = s.member WHERE m.name = 'Ann Lee' AND direction = 'offers' ORDER BY s.rowid)" "Gardening;Befriending;Shopping"
expect_sql "SELECT joined FROM member WHERE name = 'Ann Lee'" "2026-10-05"
expect_sql "SELECT phone FROM member WHERE name = 'Zoë Brontë'" "07700 900003"
run tb-member import "$EX/forms-members.csv" --mapping "$EX/mapping-forms-members.toml"
expect_rc 0; expect_out "0 added, 0 updated, 5 unchanged, 1 duplicate row passed over"

t "duplicates: error (the default) names both lines; first keeps the first row"
printf 'name,email,offers\nAnn,a@x.org,one\nAnn B,a@x.org,two\n' > twice.csv
run tb --db dup.db init
run tb-member --db dup.db import twice.csv
expect_rc 3; expect_err_has "twice.csv:3: email: a@x.org appears twice (first on line 2); set duplicates"
printf 'duplicates = "first"\n' > first.toml
run tb-member --db dup.db import twice.csv --mapping first.toml
expect_rc 0; expect_out "1 added, 0 updated, 0 unchanged, 1 duplicate row passed over"
TIMEBANK_DB=dup.db expect_sql "SELECT name FROM member WHERE kind <> 'pot'" "Ann"

t "an explicit mapping wins over the built-in aliases: opening = [Balance], note = [zip]"
run tb --db map.db init
printf 'name,Balance,zip\nAnn,2.5,LS6 1AA\n' > prec.csv
printf 'opening = ["Balance"]\nnote = ["zip"]\n' > prec.toml
run tb-member --db map.db import prec.csv --mapping prec.toml
expect_rc 0; expect_out "1 added, 0 updated, 0 unchanged"
TIMEBANK_DB=map.db expect_sql "SELECT opening, balance, coalesce(postcode, ''), note FROM member WHERE kind <> 'pot'" "150|150||LS6 1AA"

t "durations in an exchange file: every form a form or a person writes"
run tb --db dur.db init
printf 'id,name\nA,Ann\nB,Bob\n' > ab.csv
run tb-member --db dur.db import ab.csv
printf 'date,provider,recipient,hours\n2026-11-01,A,B,1:30:00\n2026-11-02,A,B,90 mins\n2026-11-03,A,B,1.5 hrs\n2026-11-04,A,B,1h30\n2026-11-05,A,B,1 hour\n2026-11-06,A,B,90 minutes\n2026-11-07,A,B,1h 30m\n2026-11-08,A,B,2h30m\n' > dur.csv
run tb-exchange --db dur.db import dur.csv
expect_rc 0; expect_out "8 added, 0 updated, 0 unchanged"
TIMEBANK_DB=dur.db expect_sql "SELECT group_concat(minutes, ' ') FROM (SELECT minutes FROM exchange ORDER BY number)" "90 90 90 90 60 90 90 150"
printf 'date,provider,recipient,hours\n2026-11-09,A,B,1:30:15\n' > secs.csv
run tb-exchange --db dur.db import secs.csv
expect_rc 3; expect_err_has "secs.csv:2: hours: '1:30:15' is not a whole number of minutes"

t "--update --dry-run -v: each update with its fields' old and new values"
printf 'id,name,offers,joined\nA,Ann Lee,gardening,2026-01-02\nB,Bob,,\n' > upd.csv
run tb-member --db dur.db import upd.csv --update --dry-run -v
expect_rc 0
expect_out "line 2: update A: name: Ann → Ann Lee; joined: 2026-11-27 → 2026-01-02; offers: (blank) → gardening
would be: 0 added, 1 updated, 1 unchanged"
run tb-member --db dur.db import upd.csv --dry-run -v
expect_out "line 2: A differs (use --update): name: Ann → Ann Lee; joined: 2026-11-27 → 2026-01-02; offers: (blank) → gardening
would be: 0 added, 0 updated, 1 unchanged, 1 differ (use --update to change them)"

t "exchange import -v lists each row to be added by its line"
printf 'date,provider,recipient,hours,category\n2026-11-01,A,B,1:30:00,\n2026-11-20,B,A,2,Gardening\n' > more.csv
run tb-exchange --db dur.db import more.csv --dry-run -v
expect_rc 0
expect_out "line 3: add 2026-11-20 B → A 2:00 Gardening
would be: 1 added, 0 updated, 1 unchanged"

t "a corrected row of a cumulative sheet is reported as a likely correction, not added"
cp dur.csv cumulative.csv
sed -i 's/^2026-11-02,A,B,90 mins$/2026-11-02,A,B,2:00/' cumulative.csv
before=$(TIMEBANK_DB=dur.db store_digest)
run tb-exchange --db dur.db import cumulative.csv --dry-run
expect_rc 3
expect_err_has "cumulative.csv:3: hours: looks like exchange 2 edited: 1:30 → 2:00; correct it with tb-exchange amend 2 (a second exchange that day needs its own ref, or tb-exchange record)"
run tb-exchange --db dur.db import cumulative.csv
expect_rc 3
[ "$(TIMEBANK_DB=dur.db store_digest)" = "$before" ] && ok || fail "a rejected import changed the store"

t "after forget, re-importing the same sheet finds the forgotten member's rows unchanged"
run tb --db fg.db init
printf 'id,name,email\nA,Ann Lee,ann@x.org\nB,Bob Bell,bob@x.org\nC,Cy Moss,cy@x.org\n' > fgm.csv
run tb-member --db fg.db import fgm.csv
printf 'date,provider,recipient,hours,note\n2026-11-01,A,B,1,hedge for bob\n2026-11-02,bob@x.org,C,1,\n2026-11-03,C,A,2,lifts\n' > fgx.csv
run tb-exchange --db fg.db import fgx.csv
expect_rc 0; expect_out "3 added, 0 updated, 0 unchanged"
run tb-member --db fg.db forget B --yes
run tb-exchange --db fg.db import fgx.csv
expect_rc 0; expect_out "0 added, 0 updated, 3 unchanged"
TIMEBANK_DB=fg.db expect_sql "SELECT count(*) FROM exchange" "3"

t "--history: a tb export is history only when asked, with its reason"
run tb --db h.db init
printf 'id,name\nA,Ann\nB,Bob\n' > hm.csv
run tb-member --db h.db import hm.csv
printf 'number,date,provider,recipient,hours,minutes,category,note,ref,reverses,recorded_at,recorded_by\n1,2099-01-01,A,B,41.50,2490,,,,,2026-11-01T10:00:00Z,ann\n' > h.csv
run tb-exchange --db h.db import h.csv
expect_rc 3
expect_err_has "h.csv:2: date: date 2099-01-01 is in the future"
expect_err_has "h.csv:2: recipient:"
expect_sql "SELECT count(*) FROM exchange" "0"
run tb-exchange --db h.db import h.csv --history "moved from the old store"
expect_rc 3; expect_err_has "h.csv:2: recorded_at: 2026-11-01T10:00:00Z is before the exchange's date 2099-01-01"
printf 'number,date,provider,recipient,hours,minutes,category,note,ref,reverses,recorded_at,recorded_by\n1,2026-10-01,A,B,41.50,2490,,,,,2099-11-01T10:00:00Z,ann\n' > h2.csv
run tb-exchange --db h.db import h2.csv --history "moved"
expect_rc 3; expect_err_has "h2.csv:2: recorded_at: 2099-11-01T10:00:00Z is after today (2026-11-27)"
printf 'number,date,provider,recipient,hours,minutes,category,note,ref,reverses,recorded_at,recorded_by\n1,2026-10-01,A,B,12.00,720,,,,,2026-10-02T10:00:00Z,ann\n2,2026-10-03,A,B,12.00,720,,,,,2026-10-03T10:00:00Z,ann\n' > h3.csv
run tb-exchange --db h.db import h3.csv
expect_rc 3; expect_err_has "h3.csv:3: recipient: B would reach -24.00 hours, below the limit of -20.00"
run tb-exchange --db h.db import h3.csv --history "moved from the old store"
expect_rc 0; expect_out "2 added, 0 updated, 0 unchanged"
TIMEBANK_DB=h.db expect_sql "SELECT override_reason, recorded_at, recorded_by FROM exchange WHERE number = 1" "moved from the old store|2026-10-02T10:00:00Z|ann"
run tb --db h.db check
expect_rc 0

t "TimeOverflow: balances only (preset timeoverflow), seconds -> opening balances"
run tb --db to1.db init
run tb-member --db to1.db import "$EX/timeoverflow-members.csv" --preset timeoverflow
expect_rc 0; expect_out "4 added, 0 updated, 0 unchanged"
TIMEBANK_DB=to1.db expect_sql "SELECT group_concat(id || '=' || balance || '@' || joined, ' ') FROM (SELECT * FROM member WHERE kind <> 'pot' ORDER BY id)" "1=-30@2026-01-15 2=-180@2026-01-20 3=225@2026-02-03 4=-15@2026-03-10"
run tb --db to1.db check
expect_rc 0

t "TimeOverflow: history (preset timeoverflow-history) gives the same balances"
run tb --db to2.db init
run tb-member --db to2.db import "$EX/timeoverflow-members.csv" --preset timeoverflow-history
expect_rc 0; expect_out "4 added, 0 updated, 0 unchanged"
run tb-exchange --db to2.db import "$EX/timeoverflow-transfers.csv" --preset timeoverflow-history
expect_rc 0; expect_out "5 added, 0 updated, 0 unchanged"
TIMEBANK_DB=to2.db expect_sql "SELECT group_concat(id || '=' || balance, ' ') FROM (SELECT * FROM member WHERE kind <> 'pot' ORDER BY id)" "1=-30 2=-180 3=225 4=-15"
TIMEBANK_DB=to2.db expect_sql "SELECT provider || '>' || recipient || ':' || minutes || '@' || date FROM exchange WHERE number = 1" "1>2:90@2026-09-02"
run tb --db to2.db check
expect_rc 0
run tb-exchange --db to2.db import "$EX/timeoverflow-transfers.csv" --preset timeoverflow-history
expect_rc 0; expect_out "0 added, 0 updated, 5 unchanged"

t "--preset: an unknown name lists the presets"
run tb-member --db to2.db import "$EX/timeoverflow-members.csv" --preset nosuch
expect_rc 2; expect_err_has "no preset 'nosuch' (presets: timeoverflow, timeoverflow-history)"

t "Google Forms exchange log naming people"
run tb-exchange import "$EX/forms-exchanges.csv" --mapping "$EX/mapping-forms-exchanges.toml"
expect_rc 0; expect_out "6 added, 0 updated, 0 unchanged"
run tb check
expect_rc 0
run tb-exchange import "$EX/forms-exchanges.csv" --mapping "$EX/mapping-forms-exchanges.toml"
expect_rc 0; expect_out "0 added, 0 updated, 6 unchanged"

t "exchange files: names are case-, accent- and space-insensitive; a shared name rejects the row listing the IDs"
run tb-member add "Dave Smith" --email dave.smith2@example.org
printf 'date,provider,recipient,hours\n2026-11-20,renee  DUBOIS,zoe bronte,1\n2026-11-21,Dave Smith,Ann Lee,1\n' > names.csv
run tb-exchange import names.csv --dry-run
expect_rc 3
expect_err_has "names.csv:3: provider: 'Dave Smith' is the name of 2 members: M0004, M0006"
[ "$(printf '%s\n' "$ERR" | grep -c '^names.csv:2')" = 0 ] && ok || fail "line 2 should resolve: $ERR"

t "locks: 4 writers recording while a 20,000-row import runs all succeed"
run tb --db lock.db init
printf 'id,name\nA,Ann\nB,Bob\nC,Cy\nD,Di\n' > lm.csv
run tb-member --db lock.db import lm.csv
awk 'BEGIN { print "date,provider,recipient,minutes,note"; for (i = 0; i < 20000; i++) printf "2026-11-%02d,%s,%s,%d,row %d\n", 1 + int(i / 800), (i % 2 ? "A" : "B"), (i % 2 ? "B" : "A"), 30, i }' > big.csv
tb-exchange --db lock.db import big.csv > big.out 2> big.err & imp=$!
pids=()
for w in 1 2 3 4; do
  ( fails=0; for i in 1 2 3 4 5 6 7 8; do tb-exchange --db lock.db record --provider C --recipient D --hours 0.5 --note "w$w $i" >/dev/null 2>>"w$w.err" || fails=$((fails + 1)); done; exit $fails ) & pids+=($!)
done
wfail=0
for p in "${pids[@]}"; do wait "$p" || wfail=$((wfail + 1)); done
wait $imp; irc=$?
RC=$irc; OUT=$(cat big.out); ERR=$(cat big.err w*.err)
[ "$wfail" -eq 0 ] && ok || fail "$wfail writers failed: $(cat w*.err)"
expect_rc 0
expect_out "20000 added, 0 updated, 0 unchanged"
TIMEBANK_DB=lock.db expect_sql "SELECT count(*) FROM exchange" "20032"
run tb --db lock.db check
expect_rc 0

finish
