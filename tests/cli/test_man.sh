#!/usr/bin/env bash
# Every manual page under man/ renders without a warning: `groff -ww -z -man`
# (all warnings) and `mandoc -T lint -W warning`. mandoc's STYLE messages are
# left out on purpose: they are advice, not faults, and the ones it gives
# here are "input text line longer than 80 bytes" on NAME lines (which
# cannot be wrapped) and in literal examples (which must show the tools'
# real output). Each tool that is missing is skipped with a message.
source "$(dirname "$0")/lib.sh"
: "${TB_SRC:?TB_SRC must point at the source tree}"

PAGES=("$TB_SRC"/man/man[157]/*.[157])
t "there are manual pages in man1, man5 and man7"
[ "${#PAGES[@]}" -ge 8 ] && ok || fail "only ${#PAGES[@]} pages"
for s in 1 5 7; do
  ls "$TB_SRC/man/man$s/"*."$s" >/dev/null 2>&1 && ok || fail "no page in man$s"
done

t "groff -ww -z -man: no warning"
if command -v groff >/dev/null; then
  for p in "${PAGES[@]}"; do
    run groff -ww -z -man "$p"
    LAST="groff -ww -z -man ${p#"$TB_SRC"/}"
    expect_rc 0
    expect_err_empty
  done
else
  echo "test_man: groff not installed; groff check skipped" >&2
fi

t "mandoc -T lint: no warning or error (STYLE advice left out)"
if command -v mandoc >/dev/null; then
  for p in "${PAGES[@]}"; do
    run mandoc -T lint -W warning "$p"
    LAST="mandoc -T lint -W warning ${p#"$TB_SRC"/}"
    expect_rc 0
    expect_out_empty
    expect_err_empty
  done
else
  echo "test_man: mandoc not installed; mandoc check skipped" >&2
fi

t "MANPATH=man finds every tool's page from a clone"
if command -v man >/dev/null; then
  for page in tb tb-member tb-exchange tb-report tb-match tb-hub timebank.toml tb-periods; do
    run env MANPATH="$TB_SRC/man" man -w "$page"
    expect_rc 0
  done
else
  echo "test_man: man not installed; MANPATH check skipped" >&2
fi

t "each tool's page documents its help command"
for page in tb-member tb-exchange tb-report tb-match tb-hub; do
  grep -q '^\.B tb.*help' "$TB_SRC/man/man1/$page.1" && ok ||
    fail "$page(1) does not mention its help command"
done

echo "test_man: $PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
