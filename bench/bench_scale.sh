#!/usr/bin/env bash
# A national network on one machine (issue 18): the everyday commands on a
# store of 1M exchanges / 10k members and on one of 10M exchanges / 100k
# members, CPU (user + sys) and peak RSS of each, side by side in one table.
#
# The stores are built once with bench/tb_bench_gen (the 10M one takes about
# an hour and 5 GB) and kept in WORK_DIR/1m/store.db and WORK_DIR/10m/store.db;
# each run copies them to run.db (the import and the request change the
# copy, never the kept store). Check the disk first: the 10M store and its
# copy need about 11 GB.
#
# Needs (Debian): time (GNU time), sqlite3, bc.
# Usage: bench/bench_scale.sh [BUILD_DIR] [WORK_DIR]
#   SIZES="1m 10m"    which stores to measure (1m: 1M/10k, 10m: 10M/100k)
#   RUNS=3            runs of each read-only command, after one unmeasured: the
#                     median CPU is shown, and the largest RSS (CPU time on a
#                     shared 2-core VM moves by +-20% from run to run; the
#                     import and both checks run once)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$src/build-bench}")
work=$(realpath -m "${2:-/work/benchscale}")
SIZES=${SIZES:-"1m 10m"}
RUNS=${RUNS:-3}
if [ ! -x "$build/bench/tb_bench_gen" ] || [ ! -x "$build/tools/tb-report" ]; then
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTB_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j "$(nproc)" >/dev/null
fi
export PATH="$build/tools:$PATH" TB_SHARE_DIR="$src/share" TB_TODAY=2026-11-27 TB_USER=bench
unset TIMEBANK_CONFIG
mkdir -p "$work"

declare -A cpu rss seen
rows=()
# timed LABEL SIZE CMD...: one run; CPU seconds (user + sys) and peak RSS in MB.
timed() {
  local label=$1 size=$2
  shift 2
  if ! /usr/bin/time -f "%U %S %M" -o "$dir/t.out" "$@" >/dev/null 2>"$dir/t.err"; then
    # tb check exits 1 when it finds problems: its figures still count.
    if [ "$1" != tb ] || [ "$2" != check ]; then
      cpu[$label,$size]=failed
      [ -n "${seen[$label]:-}" ] || rows+=("$label")
      seen[$label]=1
      return
    fi
    echo "  ($label: $(tail -1 "$dir/t.err"))" >&2
  fi
  read -r user sys kb < <(tail -1 "$dir/t.out")
  cpu[$label,$size]=$(printf '%.2f' "$(echo "$user + $sys" | bc)")
  rss[$label,$size]=$((kb / 1024))
  [ -n "${seen[$label]:-}" ] || rows+=("$label")
  seen[$label]=1
}

# timed_runs LABEL SIZE CMD...: a read-only command once unmeasured (the
# store is a fresh copy: its pages are read from disk the first time), then
# RUNS times; the median CPU and the largest RSS (a failed run shows as
# failed).
timed_runs() {
  local label=$1 size=$2 i all=() top=0
  "${@:3}" >/dev/null 2>&1 || true
  for ((i = 0; i < RUNS; i++)); do
    timed "$@"
    [ "${cpu[$label,$size]}" != failed ] || return 0
    all+=("${cpu[$label,$size]}")
    ((rss[$label,$size] > top)) && top=${rss[$label,$size]}
  done
  cpu[$label,$size]=$(printf '%s\n' "${all[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
  rss[$label,$size]=$top
}

# 200 exchanges dated this week (2026-11-23 to 27) between active members:
# the 200 lowest balances give to the 200 highest, so no balance limit is
# reached.
week_csv() {
  local q="SELECT id FROM member WHERE status = 'active' AND id <> 'pot' ORDER BY balance"
  paste -d, <(sqlite3 -readonly run.db "$q LIMIT 200") <(sqlite3 -readonly run.db "$q DESC LIMIT 200") |
    awk -F, 'BEGIN { print "date,provider,recipient,hours,category,note,ref" }
         { printf "2026-11-%02d,%s,%s,1.5,%s,\"week, row %d\",bench-scale-%d\n", 23 + NR % 5, $1, $2, cat, NR, NR }' \
      cat="$1"
}

measure() {  # measure SIZE MEMBERS EXCHANGES
  local size=$1
  dir=$work/$size
  mkdir -p "$dir" && cd "$dir"
  if [ ! -f store.db ]; then
    echo "building the $size store ($2 members, $3 exchanges)..." >&2
    "$build/bench/tb_bench_gen" --db store.db.part --members "$2" --exchanges "$3" >gen.log 2>&1
    mv store.db.part store.db
  fi
  rm -f run.db run.db-wal run.db-shm run.db.v*.bak
  cp store.db run.db
  export TIMEBANK_DB=$dir/run.db
  tb-report balances >/dev/null  # migrates the copy if this tb is newer; warms the file cache
  # The copy's 7 GB are written back to disk for a minute after cp returns:
  # measured meanwhile, the first commands paid for it (weekly 0.33 s
  # against 0.21 s alone).
  sync
  [ -f busiest ] || sqlite3 -readonly run.db \
    "SELECT m FROM (SELECT provider m, count(*) n FROM exchange GROUP BY provider
                    UNION ALL SELECT recipient, count(*) FROM exchange GROUP BY recipient)
     GROUP BY m ORDER BY sum(n) DESC LIMIT 1" >busiest
  local busiest category
  busiest=$(cat busiest)
  category=$(sqlite3 -readonly run.db "SELECT category FROM exchange WHERE number = 1")
  echo "$size: $(du -m store.db | cut -f1) MB; busiest member $busiest; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  timed_runs "tb-report balances" "$size" tb-report balances
  timed_runs "tb-report weekly" "$size" tb-report weekly
  timed_runs "tb-report summary" "$size" tb-report summary
  timed_runs "tb-report summary --by tag" "$size" tb-report summary --by tag
  timed_runs "tb-report activity --by month" "$size" tb-report activity --by month
  timed_runs "tb-report network" "$size" tb-report network
  timed_runs "tb-exchange statement (busiest member)" "$size" tb-exchange statement "$busiest"
  timed_runs "tb-exchange statement --format csv (busiest)" "$size" tb-exchange statement "$busiest" --format csv
  local request
  request=$(tb-match request add M00002 --category "$category" --text "A hand with $category, please" | grep -o '[0-9]\+' | head -1)
  timed_runs "tb-match suggest" "$size" tb-match suggest "$request"
  week_csv "$category" >week.csv
  timed "tb-exchange import, this week's 200 rows" "$size" tb-exchange import week.csv
  [ "$(sqlite3 -readonly run.db "SELECT count(*) FROM exchange WHERE ref LIKE 'bench-scale-%'")" = 200 ] ||
    echo "  the import did not write the 200 rows: $(tail -1 t.err)" >&2
  timed "tb check --quick (after the 200 new exchanges)" "$size" tb check --quick
  timed "tb check" "$size" tb check
  rm -f run.db run.db-wal run.db-shm run.db.v*.bak
}

started=$(date -u '+%F %H:%M')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for size in $SIZES; do
  case $size in
    1m) measure 1m 10000 1000000 ;;
    10m) measure 10m 100000 10000000 ;;
    *) echo "unknown size $size (1m or 10m)" >&2; exit 2 ;;
  esac
done

echo "## National network: $started UTC to $(date -u '+%H:%M'), load average $load_before before," \
  "$(cut -d' ' -f1-3 /proc/loadavg) after; $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?')," \
  "$(nproc) cores; read-only commands: median CPU of $RUNS runs after one unmeasured"
echo
printf '| command | 1M CPU (s) | 1M RSS (MB) | 10M CPU (s) | 10M RSS (MB) |\n|:---|---:|---:|---:|---:|\n'
for r in "${rows[@]}"; do
  printf '| `%s` | %s | %s | %s | %s |\n' "$r" "${cpu[$r,1m]:-}" "${rss[$r,1m]:-}" "${cpu[$r,10m]:-}" "${rss[$r,10m]:-}"
done
