#!/usr/bin/env bash
# The generated bash completion (build/completions/tb.bash, from
# `tb __complete bash`): every option of every command is offered (the list
# read from each command's --help, not written here); each command offers
# exactly the --format values it accepts (each offered one runs, every other
# one is refused); live member IDs and names, categories, request and
# exchange numbers from the store; `tb __complete` fails quietly without one.
source "$(dirname "$0")/lib.sh"
: "${TB_COMPLETION_DIR:?TB_COMPLETION_DIR must name the generated completion files}"
COMP="$TB_COMPLETION_DIR/tb.bash"

# complete WORD...: what the completion offers for the last word, one a line.
complete_words() {
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tb; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$COMP" "$@"
}
# help_options TOOL [COMMAND...]: the option names its --help lists.
help_options() {
  "$@" --help | sed -n 's/^  \(-[^ ]*\).*/\1/p' | tr ',' '\n' | sort -u
}
sorted() { printf '%s\n' "$@" | sed '/^$/d' | sort -u; }

t "the completion files were generated at build time and parse"
[ -s "$COMP" ] && ok || fail "no $COMP"
[ -s "$TB_COMPLETION_DIR/_tb" ] && ok || fail "no zsh _tb"
run bash -n "$COMP"
expect_rc 0
run tb __complete bash
expect_rc 0
[ "$OUT" = "$(cat "$COMP")" ] && ok || fail "the installed completion is not what tb __complete bash prints"
head -1 "$TB_COMPLETION_DIR/_tb" | grep -q '^#compdef tb tb-member tb-exchange tb-report tb-match$' && ok ||
  fail "_tb does not start with its #compdef line"
if command -v zsh >/dev/null; then
  run zsh -n "$TB_COMPLETION_DIR/_tb"
  expect_rc 0
else
  echo "test_completion: zsh not installed; _tb only checked for its #compdef line" >&2
fi

tb init --name "Completion Bank" >/dev/null 2>&1
tb-member add "Ann Lee" --offers gardening >/dev/null
tb-member add "José Álvarez" >/dev/null
tb-member add "Bob O'Neil" >/dev/null
tb-exchange record --provider M0001 --recipient M0002 --hours 2 --category Gardening --date 2026-11-20 >/dev/null
tb-exchange record --provider M0002 --recipient M0003 --hours 1 --category Gardening --date 2026-11-21 >/dev/null
tb-match request add M0002 --category Gardening --text "weeding" >/dev/null
tb-match request add M0003 --category Gardening --text "hedge" >/dev/null
tb-match request close 2 --withdrawn >/dev/null
printf '[[bank]]\nname = "A"\nstore = "%s"\n' "$WORK/timebank.db" > hub.toml

SPEC=$(tb __complete spec)
[ -n "$SPEC" ] && ok || fail "tb __complete spec printed nothing"
# leaves: "PROG PATH<TAB>formats" of every command that runs
LEAVES=$(printf '%s\n' "$SPEC" | awk -F'\t' '$1=="command" && $3!="-" {print $2 "\t" $3}')
[ "$(printf '%s\n' "$LEAVES" | wc -l)" -ge 50 ] && ok || fail "only $(printf '%s\n' "$LEAVES" | wc -l) commands in the spec"

t "every option of every command is offered, as its --help lists them"
while IFS=$'\t' read -r key formats; do
  read -r -a words <<<"$key"
  prog=${words[0]}
  want=$( { help_options "${words[@]}"; help_options "$prog"; } | sort -u)
  # A command that prints no data takes no --format, and is not offered one.
  [ -z "$formats" ] && want=$(printf '%s\n' "$want" | grep -vx -- '--format')
  got=$(complete_words "${words[@]}" - | sort -u)
  [ "$got" = "$want" ] && ok || fail "$key: offered options differ from --help:
$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got"))"
done <<<"$LEAVES"

t "the same through the umbrella: tb member list, tb report weekly --format"
run complete_words tb member list --ne
expect_out "--neighbourhood"
run complete_words tb report weekly --format ""
expect_out "$(printf '%s\n' text markdown html json)"
run complete_words tb ""
expect_out_has "member"; expect_out_has "init"; expect_out_has "help"

# Arguments that make each data command run on the small store; a command
# that prints data and is missing here fails the test, so none is left out.
declare -A ARGS=(
  ["tb config"]=""
  ["tb hub report"]="summary --hub hub.toml" ["tb hub reconcile"]="--hub hub.toml"
  ["tb-member list"]="" ["tb-member find"]="Ann" ["tb-member show"]="M0001"
  ["tb-member check list"]="" ["tb-member block"]="list" ["tb-member export"]=""
  ["tb-exchange list"]="" ["tb-exchange show"]="1" ["tb-exchange balance"]=""
  ["tb-exchange statement"]="M0001" ["tb-exchange export"]=""
  ["tb-report summary"]="" ["tb-report weekly"]="" ["tb-report balances"]="" ["tb-report activity"]=""
  ["tb-report members"]="" ["tb-report onboarding"]="" ["tb-report categories"]="" ["tb-report network"]=""
  ["tb-report social-value"]="--rate 10"
  ["tb-match request list"]="" ["tb-match suggest"]="1" ["tb-match run"]="--dry-run"
)
ALL_FORMATS="table csv tsv json jsonl text markdown html"

t "each command offers exactly the --format values it accepts"
while IFS=$'\t' read -r key formats; do
  [ -z "$formats" ] && continue
  read -r -a words <<<"$key"
  offered=$(complete_words "${words[@]}" --format "")
  [ "$(sorted $offered)" = "$(sorted ${formats//,/ })" ] && ok ||
    fail "$key offers '$offered' for --format, declares '$formats'"
  if [ -z "${ARGS[$key]+x}" ]; then
    fail "$key prints data but has no arguments in this test: add it to ARGS"
    continue
  fi
  read -r -a extra <<<"${ARGS[$key]}"
  for f in $ALL_FORMATS; do
    run "${words[@]}" "${extra[@]}" --format "$f"
    if printf '%s\n' $offered | grep -qx -- "$f"; then
      [ "$RC" -eq 0 ] && ok || fail "$key --format $f is offered but refused"
    else
      [ "$RC" -eq 2 ] && ok || fail "$key --format $f is not offered but exit $RC"
      expect_err_has "'$f'"
    fi
  done
done <<<"$LEAVES"

t "commands that print no data are offered no --format"
run complete_words tb-member add --form
expect_out_empty
run complete_words tb-exchange record --form
expect_out_empty
run complete_words tb-member list --form
expect_out "--format"

t "fixed values: --kind, --by, --period, --compare, hub REPORT"
run complete_words tb-member list --kind ""
expect_out "$(printf '%s\n' person organisation pot bank)"
run complete_words tb-member add --kind ""
expect_out "$(printf '%s\n' person organisation bank)"
run complete_words tb-report summary --by ""
expect_out "$(printf '%s\n' tag neighbourhood postcode-district kind)"
run complete_words tb-report activity --by ""
expect_out "$(printf '%s\n' week month quarter year)"
run complete_words tb-report summary --compare ""
expect_out "$(printf '%s\n' previous last-year none)"
run complete_words tb-report weekly --period last-
expect_out "$(printf '%s\n' last-week last-month last-quarter last-year)"
run complete_words tb hub report ""
expect_out_has "social-value"

t "live values: member IDs and names, categories, requests, exchanges"
run complete_words tb-member show ""
expect_out "M0001
M0002
M0003
pot
Ann\ Lee
Jos$(printf '\xc3\xa9')\ $(printf '\xc3\x81')lvarez
Bob\ O\'Neil
Community\ pot"
run complete_words tb-exchange record --provider M000
expect_out "M0001
M0002
M0003"
run complete_words tb member show An
expect_out "Ann\ Lee"
run complete_words tb-exchange record --category Gar
expect_out "Gardening"
run complete_words tb-match request close ""
expect_out "1"
run complete_words tb-exchange void ""
expect_out "1
2"
run complete_words tb-exchange balance M0001 ""
expect_out_has "M0002"
run complete_words tb-member show --db "$WORK/timebank.db" M0001
expect_out "M0001"

t "zsh: the same commands, formats and live values (compadd stubbed)"
if command -v zsh >/dev/null; then
  zcomplete() {
    zsh -f -c 'compadd() { if [[ $1 == -a ]]; then print -rl -- ${(P)2}; else shift; print -rl -- "$@"; fi }
      _files() { print -r -- "<files>" }
      source "$1" >/dev/null 2>&1; shift; words=("$@"); CURRENT=$#; _tb' _ "$TB_COMPLETION_DIR/_tb" "$@"
  }
  run zcomplete tb report weekly --format ""
  expect_out "$(printf '%s\n' text markdown html json)"
  run zcomplete tb-exchange statement --format ""
  expect_out "$(printf '%s\n' table csv tsv json jsonl html)"
  run zcomplete tb-member add --form
  expect_out_lacks "--format"
  run zcomplete tb help member ""
  expect_out_has "skill"; expect_out_lacks "help"
  run zcomplete tb-member show ""
  expect_out_has "Bob O'Neil"; expect_out_has "M0003"
  run zcomplete tb-exchange list --category ""
  expect_out_has "Gardening"
  run zcomplete tb-member list --db ""
  expect_out "<files>"
  # every option of every command, as in bash
  while IFS=$'\t' read -r key formats; do
    read -r -a words <<<"$key"
    want=$( { help_options "${words[@]}"; help_options "${words[0]}"; } | sort -u)
    [ -z "$formats" ] && want=$(printf '%s\n' "$want" | grep -vx -- '--format')
    got=$(zcomplete "${words[@]}" - | sort -u)
    [ "$got" = "$want" ] && ok || fail "zsh $key: offered options differ from --help"
  done <<<"$LEAVES"
else
  echo "test_completion: zsh not installed; the zsh completion was only checked for its #compdef line" >&2
fi

t "tb __complete fails quietly where there is no store, and creates none"
mkdir -p empty && cd empty
run env -u TIMEBANK_DB tb __complete members
expect_rc 1; expect_out_empty; expect_err_empty
run tb __complete members --db nowhere.db
expect_rc 1; expect_out_empty; expect_err_empty
[ ! -e nowhere.db ] && [ ! -e timebank.db ] && ok || fail "tb __complete created a store"
run env -u TIMEBANK_DB bash -c '. "$1"; COMP_WORDS=(tb-member show ""); COMP_CWORD=2; _tb; echo "${#COMPREPLY[@]}"' _ "$COMP"
expect_out "0"; expect_err_empty
cd "$WORK"

echo "test_completion: $PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
