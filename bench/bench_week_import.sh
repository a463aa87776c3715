#!/usr/bin/env bash
# This week's import in a large bank (issue 18): a store of 100,000 members
# and 100,000 exchanges from tb_bench_gen, and a file of 200 new exchanges
# naming members by ID or by email. Times `tb-exchange import` of it (on a
# fresh copy of the store each run: user+sys CPU and peak RSS from GNU time),
# and a member import (--dry-run) of the first 20,000 members' rows.
# Usage: bench/bench_week_import.sh [BUILD_DIR] [WORK_DIR] [RUNS]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$src/build-bench}")
work=${2:-$(mktemp -d /tmp/tb-bench-week.XXXXXX)}
runs=${3:-3}
if [ ! -x "$build/bench/tb_bench_gen" ]; then
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTB_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j "$(nproc)" >/dev/null
fi
export PATH="$build/tools:$PATH" TB_SHARE_DIR="$src/share" TB_TODAY=2026-11-27 TB_USER=bench
mkdir -p "$work" && cd "$work"
if [ ! -f control.db ]; then
  "$build/bench/tb_bench_gen" --db control.db --members 100000 --exchanges 100000 --csv-dir csv >/dev/null
fi
printf '[policy]\nmin_balance = "none"\nmax_balance = "none"\n' > timebank.toml
export TIMEBANK_CONFIG="$work/timebank.toml"
# 400 active people with an email, two to a row: the provider by ID on even
# rows and by email on odd ones, the recipient by email on every third.
awk -F, 'NR > 1 && $3 == "person" && $4 == "active" && $5 != "" && NR % 97 == 0 { print $1 "," $5; if (++n == 400) exit }' \
  csv/members.csv | awk -F, '
    BEGIN { print "date,provider,recipient,hours,category,note" }
    { id[NR - 1] = $1; mail[NR - 1] = $2 }
    END {
      for (i = 0; i < 200; i++) {
        p = 2 * i; r = p + 1
        printf "2026-11-2%d,%s,%s,1.5,Care & companionship,weekly %d\n", i % 5 + 2,
          (i % 2 ? mail[p] : id[p]), (i % 3 == 0 ? mail[r] : id[r]), i
      }
    }' > week.csv
head -n 20001 csv/members.csv > members-20k.csv
printf '| run | 200-row exchange import: CPU (s) | peak RSS (MB) | 20,000-row member import --dry-run: CPU (s) |\n'
printf '|---:|---:|---:|---:|\n'
for i in $(seq "$runs"); do
  cp control.db run.db && rm -f run.db-wal run.db-shm
  /usr/bin/time -f "%U %S %M" -o ex.time tb-exchange --db run.db import week.csv > ex.out
  /usr/bin/time -f "%U %S %M" -o mb.time tb-member --db control.db import --dry-run members-20k.csv > mb.out
  read -r eu es ekb < ex.time
  read -r mu ms _ < mb.time
  echo "  run $i: $(cat ex.out); $(cat mb.out)" >&2
  printf '| %s | %.2f | %.1f | %.2f |\n' "$i" "$(echo "$eu + $es" | bc -l)" "$(echo "$ekb / 1024" | bc -l)" \
    "$(echo "$mu + $ms" | bc -l)"
done
