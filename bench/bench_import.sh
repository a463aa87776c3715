#!/usr/bin/env bash
# Import benchmark (issue: spreadsheet imports). Generates 10,000 members and
# 1,000,000 exchanges as CSV, then imports the first 10k, 100k and 1M exchange
# rows into a fresh store with `tb-exchange import`, timing it and measuring
# peak RSS, side by side with the sqlite3 shell's own `.import` of the same CSV
# into a plain table. Needs: hyperfine is not used; GNU time (/usr/bin/time,
# Debian package `time`) and sqlite3.
# Usage: bench/bench_import.sh [BUILD_DIR] [WORK_DIR] (a WORK_DIR with csv/ reuses its CSVs;
# SIZES="100000" runs one size; times are CPU seconds, user + sys)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$src/build-bench}")
work=${2:-$(mktemp -d /tmp/tb-bench-import.XXXXXX)}
if [ ! -x "$build/bench/tb_bench_gen" ] || [ ! -x "$build/bench/tb_row_floor" ]; then
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
# The floor of everything the import wrote: the same, for every table whose
# rows it added (the ledger and every kept total: member_month, pair_month,
# trade_month, trade_day, member_year, pair_year, group_month,
# member_org_month..., found by counting each table's rows before and
# after), each table's indexes dropped, its rows copied in key order, its
# indexes built again, all in one transaction. What tb's own rows cost the
# shell to write, totals included.
all_sql() {
  echo "ATTACH 'store.db' AS s; BEGIN;"
  for t in $grown; do
    sqlite3 floor-all.db "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = '$t' AND sql IS NOT NULL"
    # (the audit log is append-only, and has the rows init wrote, as meta has)
    case $t in audit | meta) echo "INSERT OR REPLACE INTO main.$t SELECT * FROM s.$t;" ;;
      *) echo "DELETE FROM main.$t; INSERT INTO main.$t SELECT * FROM s.$t;" ;; esac
    sqlite3 floor-all.db "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = '$t' AND sql IS NOT NULL"
  done
  echo "COMMIT;"
}
# The per-row floor (bench/tb_row_floor): the same rows of every table tb
# wrote, written as a program that makes its rows one at a time must write
# them, through one prepared INSERT per table, each row bound, stepped and
# reset (indexes dropped and built again, one transaction, the store closed).
# Only the writing is timed: the rows are read from tb's store beforehand.
# The shell's floors above copy whole records (INSERT ... SELECT), which no
# importer of a file can. What is left above this one is tb's own work:
# reading the file, the checks, the hashes and summing the kept totals.
# Each table's rows, "table count" a line.
table_counts() {
  for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"); do
    echo "$t $(sqlite3 "$1" "SELECT count(*) FROM \"$t\"")"
  done
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
# Times are CPU seconds (user + sys, GNU time), not wall: the machine may
# be shared. Ratios are against the .import, except the last three columns:
# tb's import against each floor.
printf '| rows | tb-exchange import (s) | peak RSS (MB) | sqlite3 .import (s) | ratio | shell writing the same ledger rows (s) | its ratio | same, narrowest ledger (s) | its ratio | shell writing every table tb wrote (s) | every table a row at a time (s) | tb / ledger floor | tb / all-tables floor | tb / per-row floor |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
fmt='%U %S %M'
cpu() { read -r u s k < "$1"; echo "$u + $s" | bc -l; }
# $1 / $2 with $3 decimals, "-" when $2 is 0 (a run too short for GNU time).
ratio() { if [ "$(echo "$2 == 0" | bc)" = 1 ]; then echo -; else printf "%.${3}f" "$(echo "$1 / $2" | bc -l)"; fi; }
for n in ${SIZES:-10000 100000 1000000}; do
  head -n $((n + 1)) csv/exchanges.csv > ex.csv
  rm -f store.db* plain.db floor.db* floor-all.db* floor-rows.db*
  tb --db store.db init >/dev/null
  tb-member --db store.db import csv/members.csv --mapping members-mapping.toml >/dev/null
  table_counts store.db > before.counts
  /usr/bin/time -f "$fmt" -o tb.time tb-exchange --db store.db import ex.csv > tb.out
  table_counts store.db > after.counts
  # member is left out: it is copied whole (balances and last trades set)
  # into both floors before they are timed.
  grown=$(join before.counts after.counts | awk '$3 > $2 && $1 != "member" { print $1 }')
  /usr/bin/time -f "$fmt" -o sq.time sqlite3 plain.db ".import --csv ex.csv plain"
  for f in floor.db floor-all.db floor-rows.db; do
    tb --db $f init >/dev/null
    sqlite3 $f "ATTACH 'store.db' AS s; INSERT OR REPLACE INTO member SELECT * FROM s.member;"
  done
  floor_sql > floor.sql
  /usr/bin/time -f "$fmt" -o floor.time sqlite3 floor.db < floor.sql
  all_sql > floor-all.sql
  /usr/bin/time -f "$fmt" -o all.time sqlite3 floor-all.db < floor-all.sql
  # (it times its own writing, the rows read beforehand untimed)
  rw_s=$("$build/bench/tb_row_floor" --db floor-rows.db --from store.db --tables "$grown")
  rm -f narrow-src.db narrow.db*
  sqlite3 narrow-src.db "ATTACH 'store.db' AS s; CREATE TABLE x AS SELECT number, date, provider, recipient,
    minutes, category, note, ref, reverses, override_reason, recorded_at, recorded_by, randomblob(16),
    randomblob(16), randomblob(32), randomblob(32) FROM s.exchange"
  narrow_sql > narrow.sql
  /usr/bin/time -f "$fmt" -o narrow.time sqlite3 narrow.db < narrow.sql >/dev/null
  read -r _ _ tb_kb < tb.time
  tb_s=$(cpu tb.time) sq_s=$(cpu sq.time) fl_s=$(cpu floor.time) nw_s=$(cpu narrow.time) al_s=$(cpu all.time)
  echo "  $n rows: $(cat tb.out); tables written:" $grown >&2
  printf '| %s | %.2f | %.1f | %.2f | %s | %.2f | %s | %.2f | %s | %.2f | %.2f | %s | %s | %s |\n' "$n" "$tb_s" \
    "$(echo "$tb_kb / 1024" | bc -l)" "$sq_s" "$(ratio "$tb_s" "$sq_s" 1)" "$fl_s" "$(ratio "$fl_s" "$sq_s" 1)" \
    "$nw_s" "$(ratio "$nw_s" "$sq_s" 1)" "$al_s" "$rw_s" "$(ratio "$tb_s" "$fl_s" 2)" \
    "$(ratio "$tb_s" "$al_s" 2)" "$(ratio "$tb_s" "$rw_s" 2)"
done
tb --db store.db check && echo "tb check: clean"
