#!/usr/bin/env bash
# Command-level tests of SPEC "tb": tb init is atomic (a killed init leaves
# a whole store or nothing that blocks the next init), and no command changes
# a file that is not a timebank store before refusing it.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${TB_SRC:=$(cd "$HERE/../.." && pwd)}"
: "${TB_SHARE_DIR:=$TB_SRC/share}"
export TB_SHARE_DIR
# shellcheck source=tests/cli/lib.sh
. "$HERE/lib.sh"

sha() { sha256sum "$1" | cut -d' ' -f1; }
expect_no_temps() {
  local left
  left=$(find "$1" -maxdepth 1 -name '.*.tb-tmp-*' | head -5)
  if [ -z "$left" ]; then ok; else fail "temporary files left: $left"; fi
}

# --- tb init is atomic ------------------------------------------------------------

t "init leaves no temporary file and makes a complete store"
run tb init --name Atomic
expect_rc 0
expect_no_temps "$WORK"
run tb check
expect_rc 0
expect_sql "SELECT value FROM meta WHERE key = 'name'" "Atomic"
expect_sql "PRAGMA journal_mode" "wal"

t "a killed tb init leaves a complete store or nothing; the next init always works"
mkdir -p kills
complete=0 nothing=0
for i in $(seq 1 40); do
  db="kills/k$i.db"
  tb --db "$db" init --name "Kill $i" >/dev/null 2>&1 & pid=$!
  # spread the kills over the whole run (tens of ms on a busy machine)
  sleep "$(printf '0.%03d' $(( (i * 7) % 120 )))"
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  if [ -e "$db" ]; then
    complete=$((complete + 1))
    if tb --db "$db" check >/dev/null 2>&1 && [ "$(sqlite3 "$db" "SELECT value FROM meta WHERE key='name'")" = "Kill $i" ]; then ok
    else fail "killed init $i left an incomplete store"; fi
  else
    nothing=$((nothing + 1))
    run tb --db "$db" init --name "Again $i"
    if [ "$RC" -eq 0 ]; then ok; else fail "init after a killed init $i failed"; fi
  fi
done
# the next init in the directory removed every temporary file of the killed ones
tb --db kills/last.db init >/dev/null
expect_no_temps kills
run ls -A kills
[ "$(ls -A kills | grep -vc '\.db$')" = 0 ] && ok || fail "files other than stores left: $(ls -A kills)"
echo "killed inits: $complete complete, $nothing left nothing" >&2

t "a temporary file of a killed init (stopped before the link) does not block the next init"
dead=$(bash -c 'echo $$')
printf 'half a store' > "kills/.stopped.db.tb-tmp-$dead"
printf 'x' > "kills/.stopped.db.tb-tmp-$dead-journal"
run tb --db kills/stopped.db init
expect_rc 0
expect_no_temps kills
run tb --db kills/stopped.db check
expect_rc 0

# --- files that are not stores -------------------------------------------------------

sqlite3 foreign.db "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('precious'); PRAGMA user_version = 7;"
sqlite3 foreign-v0.db "CREATE TABLE t (x); INSERT INTO t VALUES (1);"
: > empty.db
printf 'just some text\n' > text.db
for f in foreign.db foreign-v0.db empty.db text.db; do
  before=$(sha "$f")
  mode=$(sqlite3 "$f" 'PRAGMA journal_mode' 2>/dev/null)
  while IFS= read -r cmd; do
    t "$cmd on $f: refused (exit 1), the file's bytes unchanged, no WAL"
    # shellcheck disable=SC2086
    run $cmd --db "$f"
    if [ "$RC" -eq 0 ]; then fail "accepted a file that is not a store"; else ok; fi
    if [ "$(sha "$f")" = "$before" ]; then ok; else fail "$f changed"; fi
    if [ -e "$f-wal" ] || [ -e "$f-shm" ]; then fail "$f got a -wal/-shm file"; else ok; fi
  done <<'CMDS'
tb-member add Ann
tb-exchange record --provider a --recipient b --hours 1
tb-exchange opening --member a --hours 1
tb-member import /dev/null
tb-match request a --category Gardening --text help
tb-report summary
tb-member list
tb check
tb check --rebuild-totals
tb backup copy.db
tb init
CMDS
  [ "$(sqlite3 "$f" 'PRAGMA journal_mode' 2>/dev/null)" = "$mode" ] && ok || fail "$f journal mode changed"
  if [ -e copy.db ]; then fail "a backup of $f was written"; rm -f copy.db; else ok; fi
done

t "the refusal names the file"
run tb-member add Ann --db foreign.db
expect_err_has "foreign.db is not a timebank store"
run tb-member list --db empty.db
expect_err_has "empty.db is not a timebank store"

t "the foreign database still reads as before"
run sqlite3 foreign.db 'SELECT body FROM notes; PRAGMA user_version; PRAGMA journal_mode;'
expect_out "precious
7
delete"

finish
