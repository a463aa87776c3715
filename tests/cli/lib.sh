# Shared helpers for command-level tests: each test script sources this, runs
# the real executables on a temporary store and compares stdout, stderr, exit
# status and the store afterwards. The scratch directory is kept on failure.
set -u
: "${TB_BIN:?TB_BIN must point at the build directory holding the tools}"
export PATH="$TB_BIN:$PATH"
export TB_TODAY=${TB_TODAY:-2026-11-27}
export TB_USER=tester
unset TIMEBANK_CONFIG TIMEBANK_DB
export XDG_CONFIG_HOME="$(mktemp -d)"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tb-cli.XXXXXX")
cd "$WORK" || exit 1
export TIMEBANK_DB="$WORK/timebank.db"
FAILS=0
PASSES=0
CURRENT=""

cleanup() {
  if [ "$FAILS" -eq 0 ]; then rm -rf "$WORK" "$XDG_CONFIG_HOME"; else echo "scratch kept in $WORK" >&2; fi
}
trap cleanup EXIT

# run CMD...: runs it, keeping $OUT, $ERR and $RC.
run() {
  OUT=$("$@" 2>"$WORK/.stderr"); RC=$?
  ERR=$(cat "$WORK/.stderr")
  LAST="$*"
}
# run_in STDIN CMD...: same, with STDIN as standard input.
run_in() {
  local input=$1; shift
  OUT=$(printf '%s' "$input" | "$@" 2>"$WORK/.stderr"); RC=$?
  ERR=$(cat "$WORK/.stderr")
  LAST="$*"
}

fail() {
  FAILS=$((FAILS + 1))
  echo "FAIL [$CURRENT]: $*" >&2
  echo "  command: $LAST" >&2
  echo "  rc=$RC" >&2
  echo "  stdout: $(printf '%s' "$OUT" | head -c 2000)" >&2
  echo "  stderr: $(printf '%s' "$ERR" | head -c 2000)" >&2
}
ok() { PASSES=$((PASSES + 1)); }
t() { CURRENT=$*; }

expect_rc() { if [ "$RC" -eq "$1" ]; then ok; else fail "expected exit $1, got $RC"; fi; }
expect_out() { if [ "$OUT" = "$1" ]; then ok; else fail "stdout differs; expected:
$1"; fi; }
expect_err() { if [ "$ERR" = "$1" ]; then ok; else fail "stderr differs; expected:
$1"; fi; }
expect_out_has() { if printf '%s' "$OUT" | grep -qF -- "$1"; then ok; else fail "stdout lacks: $1"; fi; }
expect_out_lacks() { if printf '%s' "$OUT" | grep -qF -- "$1"; then fail "stdout has: $1"; else ok; fi; }
expect_err_has() { if printf '%s' "$ERR" | grep -qF -- "$1"; then ok; else fail "stderr lacks: $1"; fi; }
expect_err_lacks() { if printf '%s' "$ERR" | grep -qF -- "$1"; then fail "stderr has: $1"; else ok; fi; }
expect_err_empty() { if [ -z "$ERR" ]; then ok; else fail "stderr not empty"; fi; }
expect_out_empty() { if [ -z "$OUT" ]; then ok; else fail "stdout not empty"; fi; }
# expect_sql "SQL" "expected": queries the store read-only with sqlite3.
expect_sql() {
  local got
  got=$(sqlite3 -readonly "$TIMEBANK_DB" "$1" 2>&1)
  if [ "$got" = "$2" ]; then ok; else FAILS=$((FAILS + 1)); echo "FAIL [$CURRENT]: $1 gave '$got', expected '$2'" >&2; fi
}
# store_digest: a fingerprint of every row of every table, to prove nothing changed.
store_digest() {
  sqlite3 -readonly "$TIMEBANK_DB" .dump 2>/dev/null | sha256sum | cut -d' ' -f1
}

finish() {
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}
