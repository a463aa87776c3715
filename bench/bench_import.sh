#!/usr/bin/env bash
# Import benchmark (issue: spreadsheet imports). Generates 10,000 members and
# 1,000,000 exchanges as CSV, then imports the first 10k, 100k and 1M exchange
# rows into a fresh store with `tb-exchange import`, timing it and measuring
# peak RSS, side by side with the sqlite3 shell's own `.import` of the same CSV
# into a plain table. Needs: hyperfine is not used; GNU time (/usr/bin/time,
# Debian package `time`) and sqlite3.
# Usage: bench/bench_import.sh [BUILD_DIR] [WORK_DIR]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$src/build-bench}")
work=${2:-$(mktemp -d /tmp/tb-bench-import.XXXXXX)}
if [ ! -x "$build/bench/tb_bench_gen" ]; then
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTB_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j "$(nproc)" >/dev/null
fi
export PATH="$build/tools:$PATH" TB_SHARE_DIR="$src/share" TB_TODAY=2026-11-27 TB_USER=bench
mkdir -p "$work" && cd "$work"
if [ ! -f csv/exchanges.csv ]; then
  "$build/bench/tb_bench_gen" --db gen.db --members 10000 --exchanges 1000000 --csv-dir csv >/dev/null
fi
# The generated history spans three years and goes past the default limits:
# this config lets the policy run (every rule is still checked) without refusing it.
cat > timebank.toml <<'TOML'
[policy]
min_balance = "none"
max_balance = "none"
backdate_days = 3650
TOML
export TIMEBANK_CONFIG="$work/timebank.toml"
# Some generated members have left since their exchanges: load them as
# active so that the history imports as new exchanges would.
printf 'ignore = ["status"]\n' > members-mapping.toml
# The floor: the sqlite3 shell itself writing the very rows tb wrote (hash
# chain, digests, fingerprints already computed) into a fresh store with the
# ledger's indexes, the fastest way SQLite offers (indexes dropped, rows
# copied, indexes built again, one transaction). No parsing, no checks, no
# hashing: what the ledger's shape alone costs.
floor_sql() {
  echo "ATTACH 'store.db' AS s; BEGIN;"
  sqlite3 floor.db "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'exchange' AND sql IS NOT NULL"
  echo "INSERT INTO main.exchange SELECT * FROM s.exchange;"
  sqlite3 floor.db "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'exchange' AND sql IS NOT NULL"
  echo "COMMIT;"
}
# The narrowest ledger: the same floor for a ledger cut to what the features
# need, as a format change could make it: hashes, digest, salt and fingerprint
# as binary blobs instead of hex text, and only the five indexes statements,
# reports, refs and voids need (no fingerprint index, no date index: the
# trade index starts with the date). Blob contents do not change the cost,
# so the source rows get random ones.
narrow_sql() {
  cat <<'SQL'
ATTACH 'narrow-src.db' AS s;
PRAGMA journal_mode = WAL;
CREATE TABLE exchange (
  number INTEGER PRIMARY KEY, date TEXT NOT NULL, provider TEXT NOT NULL, recipient TEXT NOT NULL,
  minutes INTEGER NOT NULL CHECK (minutes > 0), category TEXT NOT NULL, note TEXT NOT NULL, ref TEXT,
  reverses INTEGER, override_reason TEXT NOT NULL, recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL,
  fingerprint BLOB NOT NULL, salt BLOB, note_digest BLOB NOT NULL, hash BLOB NOT NULL);
BEGIN;
INSERT INTO exchange SELECT * FROM s.x;
CREATE INDEX exchange_provider ON exchange (provider, date);
CREATE INDEX exchange_recipient ON exchange (recipient, date);
CREATE UNIQUE INDEX exchange_ref ON exchange (ref) WHERE ref IS NOT NULL;
CREATE UNIQUE INDEX exchange_reverses ON exchange (reverses) WHERE reverses IS NOT NULL;
CREATE INDEX exchange_trade ON exchange (date, provider, recipient, minutes, category, reverses);
COMMIT;
SQL
}
printf '| rows | tb-exchange import (s) | peak RSS (MB) | sqlite3 .import (s) | ratio | shell writing the same ledger rows (s) | its ratio | same, narrowest ledger (s) | its ratio |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for n in 10000 100000 1000000; do
  head -n $((n + 1)) csv/exchanges.csv > ex.csv
  rm -f store.db* plain.db floor.db*
  tb --db store.db init >/dev/null
  tb-member --db store.db import csv/members.csv --mapping members-mapping.toml >/dev/null
  /usr/bin/time -f "%e %M" -o tb.time tb-exchange --db store.db import ex.csv > tb.out
  /usr/bin/time -f "%e %M" -o sq.time sqlite3 plain.db ".import --csv ex.csv plain"
  tb --db floor.db init >/dev/null
  sqlite3 floor.db "ATTACH 'store.db' AS s; INSERT OR REPLACE INTO member SELECT * FROM s.member;"
  floor_sql > floor.sql
  /usr/bin/time -f "%e %M" -o floor.time sqlite3 floor.db < floor.sql
  rm -f narrow-src.db narrow.db*
  sqlite3 narrow-src.db "ATTACH 'store.db' AS s; CREATE TABLE x AS SELECT number, date, provider, recipient,
    minutes, category, note, ref, reverses, override_reason, recorded_at, recorded_by, randomblob(16),
    randomblob(16), randomblob(32), randomblob(32) FROM s.exchange"
  narrow_sql > narrow.sql
  /usr/bin/time -f "%e %M" -o narrow.time sqlite3 narrow.db < narrow.sql >/dev/null
  read -r tb_s tb_kb < tb.time
  read -r sq_s _ < sq.time
  read -r fl_s _ < floor.time
  read -r nw_s _ < narrow.time
  echo "  $n rows: $(cat tb.out)" >&2
  printf '| %s | %s | %.1f | %s | %.1f | %s | %.1f | %s | %.1f |\n' "$n" "$tb_s" "$(echo "$tb_kb / 1024" | bc -l)" "$sq_s" \
    "$(echo "$tb_s / $sq_s" | bc -l)" "$fl_s" "$(echo "$fl_s / $sq_s" | bc -l)" "$nw_s" "$(echo "$nw_s / $sq_s" | bc -l)"
done
tb --db store.db check && echo "tb check: clean"
