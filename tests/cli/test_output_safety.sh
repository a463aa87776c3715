#!/usr/bin/env bash
# Command-level tests of where output goes (SPEC "Common options": -o, and
# "tb": backup): the store and its -wal/-shm are never overwritten by any
# spelling of their path; a FILE that is not a regular file is written, not
# replaced; a symlink's target is replaced, never the link; temporary files
# of a killed run are removed by the next one.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${TB_SRC:=$(cd "$HERE/../.." && pwd)}"
: "${TB_SHARE_DIR:=$TB_SRC/share}"
export TB_SHARE_DIR
# shellcheck source=tests/cli/lib.sh
. "$HERE/lib.sh"

sha() { sha256sum "$1" | cut -d' ' -f1; }
expect_same_bytes() { if [ "$(sha "$1")" = "$2" ]; then ok; else fail "$1 changed"; fi; }
expect_no_temps() {
  local left
  left=$(find "$1" -maxdepth 1 -name '.*.tb-tmp-*' | head -5)
  if [ -z "$left" ]; then ok; else fail "temporary files left: $left"; fi
}

mkdir -p bank sub
export TIMEBANK_DB="$WORK/bank/bank.db"
tb init --name Test >/dev/null
ann=$(tb-member add "Ann Lee")
bob=$(tb-member add "Bob Singh")
tb-exchange record --provider "$ann" --recipient "$bob" --hours 2 --category Gardening >/dev/null
tb-exchange record --provider "$bob" --recipient "$ann" --hours 1 --category Gardening >/dev/null
ln -s ../bank/bank.db sub/link.db
ln bank/bank.db hard.db

# --- -o naming the store ------------------------------------------------------

for spelling in bank/bank.db "$WORK/bank/bank.db" ./bank/../bank/bank.db bank//bank.db sub/link.db hard.db \
                "$WORK/sub/../bank/./bank.db"; do
  t "-o $spelling (the store) is refused with exit 2 and the store is unchanged"
  before=$(sha bank/bank.db)
  run tb-exchange export -o "$spelling"
  expect_rc 2
  expect_err_has "refusing to overwrite it"
  expect_out_empty
  expect_same_bytes bank/bank.db "$before"
  run tb check
  expect_rc 0
done

for suffix in -wal -shm; do
  for spelling in "bank/bank.db$suffix" "$WORK/bank/bank.db$suffix" "./bank/./bank.db$suffix" "sub/../bank/bank.db$suffix"; do
    t "-o $spelling (a sidecar, there or not yet) is refused with exit 2"
    run tb-report summary -o "$spelling"
    expect_rc 2
    expect_err_has "is the store"
    # never created by the refusal: a regular file of CSV where SQLite looks for its WAL
    if [ -f "$spelling" ] && [ "$(head -c 4 "$spelling" | tr -d '\0')" = "expo" ]; then fail "$spelling holds output"; else ok; fi
  done
done

t "a -wal that exists is compared by device and inode"
: > bank/bank.db-wal
run tb-member list -o bank/bank.db-wal
expect_rc 2
run tb-member list --format csv -o "$WORK/bank/../bank/bank.db-wal"
expect_rc 2
rm -f bank/bank.db-wal
run tb check
expect_rc 0

# --- tb backup onto the store ---------------------------------------------------

for spelling in bank/bank.db sub/link.db hard.db "$WORK/bank/bank.db-wal" bank/bank.db-shm; do
  t "tb backup $spelling (the store) is refused with exit 2"
  before=$(sha bank/bank.db)
  run tb backup "$spelling"
  expect_rc 2
  expect_err_has "a backup cannot replace it"
  expect_same_bytes bank/bank.db "$before"
done
run tb check
expect_rc 0

# --- non-regular files --------------------------------------------------------

t "-o /dev/null succeeds and /dev/null stays a character device"
run tb-exchange export -o /dev/null
expect_rc 0
expect_out_empty
if [ -c /dev/null ]; then ok; else fail "/dev/null is no longer a character device"; fi
run tb backup /dev/null
expect_rc 0
if [ -c /dev/null ]; then ok; else fail "/dev/null replaced by tb backup"; fi
expect_no_temps bank

t "-o /dev/stdout writes to standard output (a pipe), in the format asked"
expected=$(tb-member list --format csv)
OUT=$(tb-member list --format csv -o /dev/stdout | cat); RC=$?
expect_rc 0
expect_out "$expected"
expect_out_has "M0002,Bob Singh,person,active"

t "-o /dev/stdout appends to a file stdout was opened on with >>"
echo "first line" > log.txt
tb-report summary --format csv -o /dev/stdout >> log.txt
run head -1 log.txt
expect_out "first line"
[ "$(wc -l < log.txt)" -gt 2 ] && ok || fail "the report was not appended"

t "-o to a named pipe writes into the pipe; the pipe stays a pipe"
mkfifo fifo
cat fifo > from-fifo.csv &
reader=$!
run tb-exchange export --format csv -o fifo
expect_rc 0
wait "$reader"
if [ -p fifo ]; then ok; else fail "fifo replaced"; fi
run head -1 from-fifo.csv
expect_out_has "number"

t "tb backup /dev/stdout streams a complete store"
tb backup /dev/stdout > streamed.db
run tb check --db streamed.db
expect_rc 0
expect_out_empty
run sqlite3 streamed.db 'SELECT count(*) FROM exchange'
expect_out 2

# --- symlinks ------------------------------------------------------------------

t "-o through a symlink replaces the target, never the link"
mkdir -p reports
echo old > reports/real.csv
ln -s reports/real.csv latest.csv
run tb-exchange export -o latest.csv
expect_rc 0
if [ -L latest.csv ]; then ok; else fail "latest.csv is no longer a symlink"; fi
run head -1 reports/real.csv
expect_out_has "number"
expect_no_temps .
expect_no_temps reports

t "a chain of symlinks, and a dangling one, are followed"
ln -s latest.csv chain.csv
ln -s reports/new.csv dangling.csv
run tb-exchange export -o chain.csv
expect_rc 0
if [ -L chain.csv ] && [ -L latest.csv ]; then ok; else fail "a link was replaced"; fi
run tb-exchange export -o dangling.csv
expect_rc 0
if [ -L dangling.csv ] && [ -f reports/new.csv ]; then ok; else fail "dangling link not followed"; fi

t "tb backup through a symlink replaces the target"
ln -s reports/nightly.db nightly.db
run tb backup nightly.db
expect_rc 0
if [ -L nightly.db ] && [ -f reports/nightly.db ]; then ok; else fail "backup replaced the link"; fi
run tb check --db reports/nightly.db
expect_rc 0

# --- temporary files ------------------------------------------------------------

# A PID that is certainly not running: a subshell that has exited.
dead=$(bash -c 'echo $$')
t "stale temporary files of a killed -o run are removed by the next run"
echo "half a report" > "reports/.weekly.txt.tb-tmp-$dead"
echo "mine" > "reports/.weekly.txt.tb-tmp-$$"
run tb-report summary -o reports/weekly.txt
expect_rc 0
if [ -e "reports/.weekly.txt.tb-tmp-$dead" ]; then fail "stale temporary file kept"; else ok; fi
# A live process's file is not touched.
if [ -e "reports/.weekly.txt.tb-tmp-$$" ]; then ok; else fail "a live process's temporary file was removed"; fi
rm -f "reports/.weekly.txt.tb-tmp-$$"

t "stale copies of a killed tb backup are removed by the next backup"
mkdir -p backups
cp bank/bank.db "backups/.nightly.db.tb-tmp-$dead"
echo x > "backups/.nightly.db.tb-tmp-$dead-journal"
run tb backup backups/nightly.db
expect_rc 0
expect_no_temps backups
run ls -A backups
expect_out "nightly.db"

t "a killed tb backup leaves only a .NAME.tb-tmp-PID file, which the next run removes"
# Stop the backup before it renames (SIGSTOP then SIGKILL: deterministic).
big=$(seq 1 3000 | awk -v a="$ann" -v b="$bob" 'BEGIN{print "date,provider,recipient,hours,category"} {printf "2026-0%d-%02d,%s,%s,1,Gardening\n", ($1%9)+1, ($1%28)+1, (NR%2?a:b), (NR%2?b:a)}')
printf '%s\n' "$big" > big.csv
tb-exchange import big.csv >/dev/null 2>&1 || true
for i in 1 2 3 4 5 6 7 8; do
  tb backup backups/killed.db & pid=$!
  sleep 0.0$i; kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
done
# whatever it left: only our names, and the next run cleans them
bad=$(find backups -maxdepth 1 -type f ! -name 'nightly.db' ! -name 'killed.db' ! -name '.*.tb-tmp-*')
[ -z "$bad" ] && ok || fail "unexpected files: $bad"
run tb backup backups/killed.db
expect_rc 0
expect_no_temps backups
run tb check --db backups/killed.db
expect_rc 0

finish
