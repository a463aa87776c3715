#!/usr/bin/env bash
# Hub benchmark (issue 16): a hub of 20 banks of 50,000 exchanges and 500
# members each (1M exchanges, 10,000 members in all) beside one store of
# 1,000,000 exchanges and 10,000 members, the same reports side by side in
# one run. The hub's cost should stay within 2x of the single store's.
#
# Needs (Debian): bc; hyperfine if installed (else a loop with date +%s.%N).
# Usage: bench/bench_hub.sh [BUILD_DIR] [WORK_DIR]
#   RUNS=5   runs per command (after one warm-up run)
#   BANKS=20 EXCHANGES=50000 MEMBERS=500   the hub's shape
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$src/build-bench}")
work=$(realpath -m "${2:-$(mktemp -d /tmp/tb-bench-hub.XXXXXX)}")
RUNS=${RUNS:-5}
BANKS=${BANKS:-20}
EXCHANGES=${EXCHANGES:-50000}
MEMBERS=${MEMBERS:-500}
if [ ! -x "$build/bench/tb_bench_gen" ] || [ ! -x "$build/tools/tb" ]; then
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTB_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j "$(nproc)" >/dev/null
fi
export PATH="$build/tools:$PATH" TB_SHARE_DIR="$src/share" TB_TODAY=2026-11-27 TB_USER=bench
unset TIMEBANK_CONFIG TIMEBANK_DB
mkdir -p "$work" && cd "$work"

echo "## Hub benchmark ($(date -u '+%F %H:%M') UTC, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
s=$(date +%s.%N)
{
  for i in $(seq -w 1 "$BANKS"); do
    d="bank$i"
    mkdir -p "$d"
    printf '[timebank]\nname = "Bank %s"\n\n[store]\npath = "timebank.db"\n' "$i" >"$d/timebank.toml"
    [ -f "$d/timebank.db" ] || "$build/bench/tb_bench_gen" --db "$d/timebank.db" --members "$MEMBERS" \
      --exchanges "$EXCHANGES" --seed "$((10#$i))" 2>>gen.log
    printf '[[bank]]\nname = "Bank %s"\nstore = "%s/timebank.db"\nconfig = "%s/timebank.toml"\n\n' "$i" "$d" "$d"
  done
} >hub.toml
total=$((BANKS * EXCHANGES))
members=$((BANKS * MEMBERS))
mkdir -p single
printf '[timebank]\nname = "Single"\n\n[store]\npath = "timebank.db"\n' >single/timebank.toml
[ -f single/timebank.db ] || "$build/bench/tb_bench_gen" --db single/timebank.db --members "$members" \
  --exchanges "$total" --seed 1 2>>gen.log
echo "stores built in $(echo "$(date +%s.%N) - $s" | bc | cut -c1-6) s: $BANKS banks of $EXCHANGES exchanges" \
  "and $MEMBERS members; one store of $total exchanges and $members members"
echo

pairs=(
  "tb hub report summary --hub hub.toml"
  "tb-report --config single/timebank.toml summary"
  "tb hub report summary --hub hub.toml --by bank"
  "tb hub report activity --hub hub.toml"
  "tb-report --config single/timebank.toml activity"
  "tb hub report summary --hub hub.toml --period 2026"
  "tb-report --config single/timebank.toml summary --period 2026"
)
time_one() {  # prints the mean wall time of RUNS runs in ms
  local c=$1 times=() s e
  $c >/dev/null
  for _ in $(seq "$RUNS"); do
    s=$(date +%s.%N); $c >/dev/null; e=$(date +%s.%N)
    times+=("$(echo "($e - $s) * 1000" | bc)")
  done
  printf '%s\n' "${times[@]}" | awk '{t+=$1} END {printf "%.1f", t/NR}'
}
echo "| command | mean (ms) over $RUNS runs |"
echo "|:---|---:|"
for c in "${pairs[@]}"; do
  echo "| \`$c\` | $(time_one "$c") |"
done
