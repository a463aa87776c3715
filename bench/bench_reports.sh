#!/usr/bin/env bash
# Report benchmark (issue: tb-report). Builds a store of 10,000 members and
# 1,000,000 exchanges over three years once (bench/tb_bench_gen, through the
# store API), checks it with `tb check`, times every report, and times
# `ledger balance` and `hledger balance` on a journal of the same ledger
# beside `tb-report balances`.
#
# Needs (Debian): hyperfine (else a loop with date +%s.%N is used), ledger,
# hledger, time (GNU time, for peak memory), bc, sqlite3.
# Usage: bench/bench_reports.sh [BUILD_DIR] [WORK_DIR]
#   RUNS=10            runs per report (hyperfine: after one warm-up run)
#   LEDGER_FULL=0      skip ledger/hledger on the 1M journal (minutes each)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$src/build-bench}")
work=${2:-$(mktemp -d /tmp/tb-bench-reports.XXXXXX)}
RUNS=${RUNS:-10}
LEDGER_FULL=${LEDGER_FULL:-1}
if [ ! -x "$build/bench/tb_bench_gen" ] || [ ! -x "$build/tools/tb-report" ]; then
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTB_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j "$(nproc)" >/dev/null
fi
export PATH="$build/tools:$PATH" TB_SHARE_DIR="$src/share" TB_TODAY=2026-11-27 TB_USER=bench
unset TIMEBANK_CONFIG
mkdir -p "$work" && cd "$work"
export TIMEBANK_DB="$work/reports.db"

echo "## Reports benchmark ($(date -u +%F), $(nproc) cores, $(uname -m))"
echo
if [ ! -f reports.db ]; then
  s=$(date +%s.%N)
  "$build/bench/tb_bench_gen" --db reports.db --members 10000 --exchanges 1000000 --journal reports.journal \
    --journal-exchanges 100000 2>gen.log
  echo "store built through the store API in $(echo "$(date +%s.%N) - $s" | bc | cut -c1-6) s: $(tail -1 gen.log)"
fi
s=$(date +%s.%N)
tb check
echo "tb check: no problems ($(echo "$(date +%s.%N) - $s" | bc | cut -c1-6) s)"
echo "store: $(du -m reports.db | cut -f1) MB; $(sqlite3 -readonly reports.db 'SELECT count(*) FROM exchange') exchange rows, $(sqlite3 -readonly reports.db 'SELECT count(*) FROM member') members"
for p in 2026 2025 2026-W47; do
  echo "trades in $p: $(tb-exchange list --period $p --format csv --no-header | wc -l)"
done
echo

reports=(
  "tb-report weekly"
  "tb-report weekly --format html"
  "tb-report summary --period last-week"
  "tb-report summary --period last-month"
  "tb-report summary --period 2026-Q3"
  "tb-report summary"
  "tb-report summary --by tag"
  "tb-report summary --period 2026-Q3 --compare last-year"
  "tb-report onboarding"
  "tb-report balances"
  "tb-report balances --as-of 2026-09-30"
  "tb-report activity --by week"
  "tb-report members --inactive-days 90"
  "tb-report categories"
  "tb-report network"
  "tb-report social-value"
)
echo "### tb-report on the 1M store"
echo
if command -v hyperfine >/dev/null; then
  # -N: no shell in between; hyperfine discards the reports' output.
  hyperfine -N --warmup 1 --runs "$RUNS" --export-markdown reports.md "${reports[@]}" >/dev/null
  cat reports.md
else
  printf '| Command | Mean [ms] | Min [ms] | Max [ms] |\n|:---|---:|---:|---:|\n'
  for c in "${reports[@]}"; do
    $c >/dev/null
    times=()
    for _ in $(seq "$RUNS"); do
      s=$(date +%s.%N); $c >/dev/null; e=$(date +%s.%N)
      times+=("$(echo "($e - $s) * 1000" | bc)")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v c="$c" '{a[NR]=$1; t+=$1} END {printf "| `%s` | %.1f | %.1f | %.1f |\n", c, t/NR, a[1], a[NR]}'
  done
fi
echo

# The same balances from ledger and hledger, on the same exchanges.
timed() {  # timed LABEL CMD...: one run, wall seconds and peak RSS
  /usr/bin/time -f "%e %M" -o t.out "${@:2}" >/dev/null 2>&1 || { echo "| $1 | failed | |"; return; }
  read -r secs kb < t.out
  printf '| %s | %s | %d |\n' "$1" "$secs" "$((kb / 1024))"
}
echo "### balances beside ledger and hledger (one run each; wall seconds, peak RSS)"
echo
printf '| command | seconds | peak RSS (MB) |\n|:---|---:|---:|\n'
timed "tb-report balances (1M exchanges)" tb-report balances
timed "tb-report balances --as-of 2026-09-30 (1M)" tb-report balances --as-of 2026-09-30
if command -v ledger >/dev/null; then
  timed "ledger -f journal balance (first 100k exchanges)" ledger -f reports.journal.small balance
  [ "$LEDGER_FULL" = 1 ] && timed "ledger -f journal balance (1M exchanges)" ledger -f reports.journal balance
fi
if command -v hledger >/dev/null; then
  timed "hledger -f journal balance (first 100k exchanges)" hledger -f reports.journal.small balance
  [ "$LEDGER_FULL" = 1 ] && timed "hledger -f journal balance (1M exchanges)" hledger -f reports.journal balance
fi
echo
echo "work directory: $work"
