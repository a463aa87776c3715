#!/usr/bin/env bash
# Crash safety: kills (SIGKILL) imports, records, `tb init` and `tb backup`
# at random points and checks after each kill that the command did all or
# nothing and that `tb check` passes (SPEC "The store", "tb"; issue 17).
#
#   tests/crash/run.sh [KILLS] [ROWS]
#
# KILLS (default 40) is spread over the four commands in turn; ROWS (default
# 2000) is the size of each import file. The delay before each kill is random
# over the command's measured running time (and a little past it, so that
# some kills land after the end). TB_BIN names the directory holding the
# tools (default: build/tools beside this script's repository); TB_SEED seeds
# the delays. Prints a line per kill with -v, and the figures at the end;
# exit 0 when every kill left all or nothing and a store tb check passes.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
VERBOSE=0
if [ "${1:-}" = "-v" ]; then VERBOSE=1; shift; fi
KILLS=${1:-40}
ROWS=${2:-2000}
TB_BIN=${TB_BIN:-$SRC/build/tools}
export PATH="$TB_BIN:$PATH"
export TB_SHARE_DIR=${TB_SHARE_DIR:-$SRC/share}
export TB_TODAY=2026-11-27 TB_USER=crash
unset TIMEBANK_CONFIG
export XDG_CONFIG_HOME
XDG_CONFIG_HOME=$(mktemp -d)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tb-crash.XXXXXX")
export TIMEBANK_DB="$WORK/bank/bank.db"
RANDOM=${TB_SEED:-$$}
FAILS=0
declare -A KILLED=() NOTHING=() DONE=()

cleanup() {
  if [ "$FAILS" -eq 0 ]; then rm -rf "$WORK" "$XDG_CONFIG_HOME"; else echo "scratch kept in $WORK" >&2; fi
}
trap cleanup EXIT

fail() { FAILS=$((FAILS + 1)); echo "FAIL: $*" >&2; }
say() { if [ "$VERBOSE" = 1 ]; then echo "$*"; fi; }
now_ms() { date +%s%3N; }
count() { sqlite3 "$TIMEBANK_DB" "SELECT count(*) FROM exchange"; }
temps() { find "$1" -maxdepth 1 -name '.*.tb-tmp-*' | wc -l; }

# check_store DB: tb check passes, silently.
check_store() {
  local out rc
  out=$(tb check --db "$1" 2>&1); rc=$?
  if [ "$rc" -ne 0 ] || [ -n "$out" ]; then fail "tb check on $1 after a kill: rc=$rc $out"; return 1; fi
}

# kill_after MS CMD...: runs CMD, kills it (SIGKILL) after MS milliseconds,
# and sets FINISHED=1 when it had already ended by itself.
kill_after() {
  local ms=$1; shift
  "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  if kill -9 "$pid" 2>/dev/null; then FINISHED=0; else FINISHED=1; fi
  wait "$pid" 2>/dev/null
}

# A delay over [0, 1.2 x the command's time]: most kills land during it.
delay_for() { echo $(( (RANDOM * 32768 + RANDOM) % ($1 * 12 / 10 + 1) )); }

# import_file N: ROWS new exchanges (never imported before: the note is new).
import_file() {
  local f="$WORK/import-$1.csv"
  awk -v n="$1" -v rows="$ROWS" 'BEGIN {
    # a ref of their own: rows of an earlier run are other exchanges, not
    # corrections of them
    print "date,provider,recipient,hours,category,note,ref"
    for (i = 1; i <= rows; i++) {
      # in pairs that cancel out, so no balance drifts towards a limit
      j = int((i + 1) / 2)
      a = sprintf("M%04d", (j % 20) + 1); b = sprintf("M%04d", ((j + 7) % 20) + 1)
      if (i % 2 == 0) { t = a; a = b; b = t }
      printf "2026-%02d-%02d,%s,%s,%d,Gardening,run %d row %d,r%d-%d\n", (j % 10) + 1, (j % 28) + 1, a, b, (j % 3) + 1, n, i, n, i
    }
  }' > "$f"
  echo "$f"
}

mkdir -p "$WORK/bank" "$WORK/inits" "$WORK/backups"
tb init --name Crash >/dev/null || { echo "tb init failed" >&2; exit 1; }
for i in $(seq 1 20); do tb-member add "Member $i" >/dev/null || exit 1; done

# Measure each command once, unkilled.
t0=$(now_ms); tb-exchange import "$(import_file 0)" >/dev/null || { echo "import failed" >&2; exit 1; }
# every import file must import on its own: a kill must not be the only
# thing that keeps its rows out
tb-exchange import --dry-run "$(import_file 1000000)" >/dev/null 2>&1 || { echo "a second import file is rejected" >&2; exit 1; }
T_IMPORT=$(( $(now_ms) - t0 ))
t0=$(now_ms); tb-exchange record --provider M0001 --recipient M0002 --hours 1 --category Gardening >/dev/null
T_RECORD=$(( $(now_ms) - t0 ))
t0=$(now_ms); tb --db "$WORK/inits/measure.db" init >/dev/null
T_INIT=$(( $(now_ms) - t0 ))
t0=$(now_ms); tb backup "$WORK/backups/measure.db" >/dev/null
T_BACKUP=$(( $(now_ms) - t0 ))
echo "measured: import of $ROWS rows ${T_IMPORT} ms, record ${T_RECORD} ms, init ${T_INIT} ms, backup ${T_BACKUP} ms"

commands=(import record init backup)
start=$(now_ms)
for k in $(seq 1 "$KILLS"); do
  cmd=${commands[$(( (k - 1) % 4 ))]}
  KILLED[$cmd]=$(( ${KILLED[$cmd]:-0} + 1 ))
  case $cmd in
    import)
      f=$(import_file "$k")
      before=$(count)
      ms=$(delay_for "$T_IMPORT")
      kill_after "$ms" tb-exchange import "$f"
      after=$(count)
      if [ "$after" -eq "$before" ]; then NOTHING[$cmd]=$(( ${NOTHING[$cmd]:-0} + 1 )); outcome=nothing
      elif [ "$after" -eq $((before + ROWS)) ]; then DONE[$cmd]=$(( ${DONE[$cmd]:-0} + 1 )); outcome=all
      else fail "import killed after $ms ms left $((after - before)) of $ROWS rows"; outcome=part; fi
      check_store "$TIMEBANK_DB"
      ;;
    record)
      before=$(count)
      ms=$(delay_for "$T_RECORD")
      kill_after "$ms" tb-exchange record --provider M0003 --recipient M0004 --hours 1 --category Gardening --note "kill $k"
      after=$(count)
      if [ "$after" -eq "$before" ]; then NOTHING[$cmd]=$(( ${NOTHING[$cmd]:-0} + 1 )); outcome=nothing
      elif [ "$after" -eq $((before + 1)) ]; then DONE[$cmd]=$(( ${DONE[$cmd]:-0} + 1 )); outcome=all
      else fail "record killed after $ms ms added $((after - before)) exchanges"; outcome=part; fi
      check_store "$TIMEBANK_DB"
      ;;
    init)
      db="$WORK/inits/k$k.db"
      ms=$(delay_for "$T_INIT")
      kill_after "$ms" tb --db "$db" init --name "Kill $k"
      if [ -e "$db" ]; then
        DONE[$cmd]=$(( ${DONE[$cmd]:-0} + 1 )); outcome=all
        check_store "$db"
        name=$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'name'" 2>&1)
        [ "$name" = "Kill $k" ] || fail "init killed after $ms ms left a store named '$name'"
      else
        NOTHING[$cmd]=$(( ${NOTHING[$cmd]:-0} + 1 )); outcome=nothing
        # Nothing there, and nothing that blocks the next init.
        if ! tb --db "$db" init --name "Again $k" >/dev/null 2>&1; then fail "init after a killed init ($ms ms) failed"; fi
        check_store "$db"
      fi
      ;;
    backup)
      dest="$WORK/backups/b$k.db"
      ms=$(delay_for "$T_BACKUP")
      kill_after "$ms" tb backup "$dest"
      if [ -e "$dest" ]; then
        DONE[$cmd]=$(( ${DONE[$cmd]:-0} + 1 )); outcome=all
        check_store "$dest"
      else
        NOTHING[$cmd]=$(( ${NOTHING[$cmd]:-0} + 1 )); outcome=nothing
      fi
      ;;
  esac
  say "kill $k: $cmd after $ms ms: $outcome$([ "$FINISHED" = 1 ] && echo ' (had finished)')"
done
elapsed=$(( $(now_ms) - start ))

# The next run of each removes what the killed ones left behind.
tb --db "$WORK/inits/final.db" init >/dev/null || fail "final init failed"
tb backup "$WORK/backups/final.db" || fail "final backup failed"
tb-exchange export -o "$WORK/bank/final.csv" || fail "final export failed"
for d in "$WORK/inits" "$WORK/backups" "$WORK/bank"; do
  n=$(temps "$d")
  [ "$n" -eq 0 ] || fail "$n temporary files left in $d after the next run: $(find "$d" -maxdepth 1 -name '.*.tb-tmp-*')"
done
check_store "$TIMEBANK_DB"

echo "kills: $KILLS in $((elapsed / 1000)) s (rows per import: $ROWS)"
for cmd in "${commands[@]}"; do
  printf '  %-7s %3d killed: %3d left nothing, %3d had done all, %d partial\n' "$cmd" "${KILLED[$cmd]:-0}" \
    "${NOTHING[$cmd]:-0}" "${DONE[$cmd]:-0}" $(( ${KILLED[$cmd]:-0} - ${NOTHING[$cmd]:-0} - ${DONE[$cmd]:-0} ))
done
echo "store after: $(count) exchanges; tb check: $( [ "$FAILS" -eq 0 ] && echo clean || echo see above)"
if [ "$FAILS" -eq 0 ]; then echo "PASS"; else echo "$FAILS failures"; fi
[ "$FAILS" -eq 0 ]
