#!/usr/bin/env bash
# Help and "did you mean": `tb help [TOOL [COMMAND]]` and `tb-TOOL help
# [COMMAND]` print exactly what --help prints (exit 0, stdout); an unknown
# tool, command or option is a usage error (exit 2) naming the nearest one,
# and writes nothing.
source "$(dirname "$0")/lib.sh"
unset TIMEBANK_DB

# same_help HELP-CMD -- HELP-FLAG-CMD: both print the same, exit 0, on stdout.
same_help() {
  local a=() b=()
  while [ "$1" != "--" ]; do a+=("$1"); shift; done
  shift
  b=("$@")
  run "${b[@]}" --help
  local want=$OUT
  run "${a[@]}"
  LAST="${a[*]} (against ${b[*]} --help)"
  expect_rc 0
  expect_err_empty
  [ -n "$want" ] && [ "$OUT" = "$want" ] && ok || fail "help differs from --help"
}

t "tb help, tb help TOOL, tb help TOOL COMMAND, tb-TOOL help [COMMAND]"
same_help tb help -- tb
same_help tb help init -- tb init
same_help tb help hub -- tb hub
same_help tb help hub report -- tb hub report
same_help tb help member -- tb-member
same_help tb help member list -- tb-member list
same_help tb help member skill add -- tb-member skill add
same_help tb help exchange -- tb-exchange
same_help tb-exchange help -- tb-exchange
same_help tb-exchange help statement -- tb-exchange statement
same_help tb-report help weekly -- tb-report weekly
same_help tb-match help request decline -- tb-match request decline
same_help tb member help list -- tb-member list

t "every command of every tool: PROG help PATH is PROG PATH --help"
n=0
while IFS=$'\t' read -r kind key _; do
  [ "$kind" = command ] || continue
  read -r -a words <<<"$key"
  same_help "${words[0]}" help "${words[@]:1}" -- "${words[@]}"
  n=$((n + 1))
done < <(tb __complete spec)
[ "$n" -ge 60 ] && ok || fail "only $n commands checked"

t "the help says how to get help"
run tb --help
expect_out_has "Help: tb help [TOOL [COMMAND]], or --help after any command."
for tool in tb-member tb-exchange tb-report tb-match; do
  run $tool --help
  expect_out_has "Help: $tool help [COMMAND], or --help after any command."
done

t "an unknown tool: did you mean"
run tb memebr list
expect_rc 2
expect_out_empty
expect_err "tb: error: 'memebr' is not a tb command (no tb-memebr beside tb or on PATH); did you mean 'member'?"
run tb help memebr
expect_rc 2
expect_err "tb: error: 'memebr' is not a tb command (no tb-memebr beside tb or on PATH); did you mean 'member'?"
run tb hlep
expect_rc 2
expect_err "tb: error: 'hlep' is not a tb command (no tb-hlep beside tb or on PATH); did you mean 'help'?"
run tb exchagne list
expect_rc 2
expect_err_has "did you mean 'exchange'?"
run tb zzzzzz
expect_rc 2
expect_err "tb: error: 'zzzzzz' is not a tb command (no tb-zzzzzz beside tb or on PATH)"

t "an unknown command: did you mean"
run tb-member lsit
expect_rc 2
expect_out_empty
expect_err "tb-member: error: 'lsit' is not a tb-member command; did you mean 'list'?
Run with --help for more information."
run tb member lsit
expect_rc 2
expect_err "tb-member: error: 'lsit' is not a tb-member command; did you mean 'list'?
Run with --help for more information."
run tb-member skill ad M0001 x
expect_rc 2
expect_err "tb-member: error: 'ad' is not a tb-member skill command; did you mean 'add'?
Run with --help for more information."
run tb-report weekyl
expect_rc 2
expect_err_has "tb-report: error: 'weekyl' is not a tb-report command; did you mean 'weekly'?"
run tb-exchange recrod --provider A --recipient B --hours 1
expect_rc 2
expect_err_has "tb-exchange: error: 'recrod' is not a tb-exchange command; did you mean 'record'?"
run tb-match requst list
expect_rc 2
expect_err_has "tb-match: error: 'requst' is not a tb-match command; did you mean 'request'?"
run tb hub reprot summary --hub x.toml
expect_rc 2
expect_err_has "tb: error: 'reprot' is not a tb hub command; did you mean 'report'?"
run tb-member hepl
expect_rc 2
expect_err_has "did you mean 'help'?"
run tb-member xyzzy
expect_rc 2
expect_err "tb-member: error: 'xyzzy' is not a tb-member command (see tb-member --help)
Run with --help for more information."

t "help of an unknown command: did you mean"
run tb-member help lsit
expect_rc 2
expect_out_empty
expect_err "tb-member: error: 'lsit' is not a tb-member command; did you mean 'list'?"
run tb help member skill remvoe
expect_rc 2
expect_err "tb-member: error: 'remvoe' is not a tb-member skill command; did you mean 'remove'?"
run tb help hub recnocile
expect_rc 2
expect_err "tb: error: 'recnocile' is not a tb hub command; did you mean 'reconcile'?"

t "an unknown option: did you mean"
run tb-member list --fromat json
expect_rc 2
expect_out_empty
expect_err "tb-member: error: unknown option '--fromat'; did you mean '--format'?
Run with --help for more information."
run tb-member list --fromat=json
expect_rc 2
expect_err_has "unknown option '--fromat'; did you mean '--format'?"
run tb-exchange record --provdier M0001 --recipient M0002 --hours 1
expect_rc 2
expect_err_has "tb-exchange: error: unknown option '--provdier'; did you mean '--provider'?"
run tb-report summary --perod 2026-11
expect_rc 2
expect_err_has "unknown option '--perod'; did you mean '--period'?"
run tb check --hed
expect_rc 2
expect_err_has "tb: error: unknown option '--hed'; did you mean '--head'?"
run tb-member list --zzzzzzzz
expect_rc 2
expect_err "tb-member: error: unknown option '--zzzzzzzz' (see tb-member list --help)
Run with --help for more information."

t "an unexpected argument keeps CLI11's own words"
run tb-member list extra
expect_rc 2
expect_err "tb-member: error: The following argument was not expected: extra
Run with --help for more information."

t "none of these wrote anything"
[ -z "$(ls -A | grep -vx '.stderr')" ] && ok || fail "files appeared: $(ls -A)"

echo "test_help: $PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
