#!/usr/bin/env bash
# Matching benchmark (issue: tb-match). Generates a store of 10,000 members
# (skills, neighbourhoods, postcodes, checks, 30,000 exchanges) and 1,000 open
# requests with bench/tb_match_gen, then times
#   - `tb-match suggest N` for 50 requests (median, 90th percentile, max), as
#     whole processes and, with bench/tb_match_time, inside one process,
#   - `tb-match run --dry-run` and `tb-match run` over the 1,000 requests,
# with peak RSS from GNU time (/usr/bin/time, Debian package `time`).
# Usage: bench/bench_match.sh [BUILD_DIR] [WORK_DIR]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$src/build-bench}")
work=${2:-$(mktemp -d /tmp/tb-bench-match.XXXXXX)}
if [ ! -x "$build/bench/tb_match_gen" ] || [ ! -x "$build/bench/tb_match_time" ]; then
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTB_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j "$(nproc)" >/dev/null
fi
export PATH="$build/tools:$PATH" TB_SHARE_DIR="$src/share" TB_TODAY=2026-11-27 TB_USER=bench
unset TIMEBANK_CONFIG
cd "$work"
db="$work/match.db"
if [ ! -f "$db" ]; then
  "$build/bench/tb_match_gen" --db "$db" --members 10000 --requests 1000 --exchanges 30000 >/dev/null
fi
export TIMEBANK_DB="$db"

# Wall-clock and CPU (user + system) milliseconds of one command, from bash's `time`.
TIMEFORMAT='%3R %3U %3S'
timed() { { time "$@" >/dev/null 2>&1 || true; } 2>&1 | awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }'; }
# nth PERCENT FILE: the value at that percentile of a sorted column.
nth() { local n; n=$(wc -l < "$2"); sed -n "$(( (n * $1 + 99) / 100 ))p" "$2"; }

# suggest: each run is a fresh process on a cold SQLite cache (as a coordinator sees it).
tb-match suggest 1 >/dev/null  # the OS file cache, warm
: > suggest.ms
for n in $(seq 1 20 1000); do timed tb-match suggest "$n" >> suggest.ms; done
cut -d' ' -f1 suggest.ms | sort -n > wall.sorted
cut -d' ' -f2 suggest.ms | sort -n > cpu.sorted
count=$(wc -l < wall.sorted)
/usr/bin/time -f "%M" -o suggest.rss tb-match suggest 1 --explain >/dev/null
: > base.ms
for i in 1 2 3 4 5; do timed tb-match suggest 999999 >> base.ms; done
base_wall=$(cut -d' ' -f1 base.ms | sort -n | sed -n 3p)
base_cpu=$(cut -d' ' -f2 base.ms | sort -n | sed -n 3p)

# The same, inside one process: the matching alone, a fresh connection each time.
"$build/bench/tb_match_time" --db "$db" --every 20 > inprocess.txt
inprocess=$(tail -1 inprocess.txt)

# run: the whole bank at once; --dry-run first (must not change the store), then for real on a copy.
before=$(sqlite3 -readonly "$db" .dump | sha256sum)
/usr/bin/time -f "%e %M" -o dry.time tb-match run --dry-run --format csv > dry.csv 2> dry.err
after=$(sqlite3 -readonly "$db" .dump | sha256sum)
[ "$before" = "$after" ] || { echo "run --dry-run changed the store" >&2; exit 1; }
cp "$db" copy.db
/usr/bin/time -f "%e %M" -o real.time tb-match --db copy.db run --format csv > real.csv 2> real.err
cmp -s dry.csv real.csv || { echo "run and run --dry-run disagree" >&2; exit 1; }
written=$(sqlite3 copy.db "SELECT count(*) FROM proposal")
assigned=$(($(wc -l < dry.csv) - 1))
read -r dry_s dry_kb < dry.time
read -r real_s real_kb < real.time

printf '| measure | value |\n|---|---:|\n'
printf '| suggest, %s requests: median | %s ms (CPU %s ms) |\n' "$count" "$(nth 50 wall.sorted)" "$(nth 50 cpu.sorted)"
printf '| suggest: 90th percentile | %s ms (CPU %s ms) |\n' "$(nth 90 wall.sorted)" "$(nth 90 cpu.sorted)"
printf '| suggest: max | %s ms (CPU %s ms) |\n' "$(tail -1 wall.sorted)" "$(tail -1 cpu.sorted)"
printf '| suggest --explain: peak RSS | %.1f MB |\n' "$(echo "$(cat suggest.rss) / 1024" | bc -l)"
printf '| of which process start, config, store open (median of 5) | %s ms (CPU %s ms) |\n' "$base_wall" "$base_cpu"
printf '| suggest inside the process (tb_match_time) | %s |\n' "$inprocess"
printf '| run --dry-run, 1000 open requests | %s s, peak RSS %.1f MB |\n' "$dry_s" "$(echo "$dry_kb / 1024" | bc -l)"
printf '| run (writes proposals) | %s s, peak RSS %.1f MB |\n' "$real_s" "$(echo "$real_kb / 1024" | bc -l)"
printf '| requests assigned / proposals written | %s / %s |\n' "$assigned" "$written"
