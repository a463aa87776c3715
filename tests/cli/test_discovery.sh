#!/usr/bin/env bash
# Finding the bank like git finds its repository, from an empty directory
# tree: --config/TIMEBANK_CONFIG, timebank.toml here or in the nearest parent,
# the one beside the --db/TIMEBANK_DB store, XDG, the defaults; the warning of
# a store whose config is not found; and that no command but tb init creates
# a file.
source "$(dirname "$0")/lib.sh"
unset TIMEBANK_DB TIMEBANK_CONFIG
root="$WORK/tree"
mkdir -p "$root/bank/sub/deeper" "$root/other" "$root/elsewhere" "$root/xdg/timebank" "$root/noxdg"
export XDG_CONFIG_HOME="$root/noxdg"
files() { (cd "$root" && find . -type f | sort | paste -sd' '); }
name_of_bank() { tb config --format csv --no-header "$@" | grep '^timebank.name,' | cut -d, -f2; }

t "from an empty tree, no command but tb init creates a file"
cd "$root/elsewhere" || exit 1
before=$(files)
while IFS= read -r line; do
  prog=${line%% *}
  eval "run $line"
  expect_rc 1
  expect_err "$prog: error: no store at timebank.db (create one with: tb init, or name one with --db)"
  [ "$(files)" = "$before" ] && ok || fail "'$line' created $(files)"
done <<'CMDS'
tb-member list
tb-member add "New Person"
tb-member find ann
tb-exchange list
tb-exchange record --provider a --recipient b --hours 1
tb-exchange balance
tb-report summary
tb-report weekly
tb-match request list
tb check
tb backup copy.db
CMDS
run tb-member --db "$root/elsewhere/typo.db" add "New Person"
expect_rc 1
expect_err "tb-member: error: no store at $root/elsewhere/typo.db (create one with: tb init, or name one with --db)"
[ "$(files)" = "$before" ] && ok || fail "a mistyped --db created $(files)"

t "tb init creates the store beside the config found, and remembers the config"
printf '[timebank]\nname = "Bank"\n' > "$root/bank/timebank.toml"
cd "$root/bank/sub/deeper" || exit 1
run tb init
expect_rc 0
expect_out "$root/bank/timebank.db"
[ -f "$root/bank/timebank.db" ] && ok || fail "no store beside the config"
TIMEBANK_DB="$root/bank/timebank.db" expect_sql "SELECT value FROM meta WHERE key = 'config_file'" "$root/bank/timebank.toml"
tb-member add "Bank Member" >/dev/null

t "rule 2: timebank.toml in the current directory or the nearest parent"
cd "$root/bank" || exit 1
[ "$(name_of_bank)" = "Bank" ] && ok || fail "cwd: $(name_of_bank)"
cd "$root/bank/sub/deeper" || exit 1
[ "$(name_of_bank)" = "Bank" ] && ok || fail "parent: $(name_of_bank)"
run tb-member list --format csv --no-header
expect_rc 0; expect_out_has "M0001,Bank Member,"

t "rule 1: --config and TIMEBANK_CONFIG come first"
printf '[timebank]\nname = "Other"\n' > "$root/other/timebank.toml"
(cd "$root/other" && tb init >/dev/null && tb-member add "Other Member" >/dev/null)
[ "$(name_of_bank --config "$root/other/timebank.toml")" = "Other" ] && ok || fail "--config"
[ "$(TIMEBANK_CONFIG="$root/other/timebank.toml" name_of_bank)" = "Other" ] && ok || fail "TIMEBANK_CONFIG"
run tb-member list --config "$root/other/timebank.toml" --format csv --no-header
expect_out_has "Other Member"

t "rule 3: the timebank.toml beside the store --db or TIMEBANK_DB names"
cd "$root/elsewhere" || exit 1
[ "$(name_of_bank --db ../other/timebank.db)" = "Other" ] && ok || fail "--db"
[ "$(TIMEBANK_DB="$root/other/timebank.db" name_of_bank)" = "Other" ] && ok || fail "TIMEBANK_DB"
run tb-member --db ../other/timebank.db list --format csv --no-header
expect_rc 0; expect_out_has "Other Member"; expect_err_empty

t "rule 4: \$XDG_CONFIG_HOME/timebank/timebank.toml (default ~/.config)"
printf '[timebank]\nname = "Xdg"\n[store]\npath = "xdg.db"\n' > "$root/xdg/timebank/timebank.toml"
cd "$root/elsewhere" || exit 1
[ "$(XDG_CONFIG_HOME="$root/xdg" name_of_bank)" = "Xdg" ] && ok || fail "XDG"
run env XDG_CONFIG_HOME="$root/xdg" tb init
expect_rc 0; expect_out "$root/xdg/timebank/xdg.db"
mkdir -p "$root/home/.config"
cp -r "$root/xdg/timebank" "$root/home/.config/"
[ "$(env -u XDG_CONFIG_HOME HOME="$root/home" tb config --format csv --no-header | grep '^timebank.name,' | cut -d, -f2)" = "Xdg" ] && ok || fail "~/.config"

t "rule 5: built-in defaults, ./timebank.db"
cd "$root/elsewhere" || exit 1
[ "$(name_of_bank)" = "Timebank" ] && ok || fail "defaults: $(name_of_bank)"
run tb-member list
expect_rc 1; expect_err_has "no store at timebank.db"

t "a store set up with a config warns when run without it"
cd "$root/bank" || exit 1
mv timebank.toml timebank.toml.off
run tb-member list --format csv --no-header
expect_rc 0
expect_out_has "Bank Member"
expect_err "tb-member: warning: no timebank.toml found: running on built-in defaults, but this store was set up with $root/bank/timebank.toml (name it with --config or TIMEBANK_CONFIG, or run from its directory)"
run tb-report weekly -q
expect_err_has "warning: no timebank.toml found: running on built-in defaults, but this store was set up with $root/bank/timebank.toml"
mv timebank.toml.off timebank.toml
run tb-member list --format csv --no-header
expect_rc 0; expect_err_empty

t "a writing command run with a config makes the store remember it"
cd "$root/elsewhere" || exit 1
tb init --db plain.db >/dev/null
TIMEBANK_DB=plain.db expect_sql "SELECT count(*) FROM meta WHERE key = 'config_file'" "0"
run tb-member --db plain.db list
expect_rc 0; expect_err_empty
run tb-member --db plain.db add "Refused" --email not-an-email --config "$root/other/timebank.toml"
expect_rc 3
TIMEBANK_DB=plain.db expect_sql "SELECT count(*) FROM meta WHERE key = 'config_file'" "0"
run tb-member --db plain.db add "Taken" --config "$root/other/timebank.toml"
expect_rc 0
TIMEBANK_DB=plain.db expect_sql "SELECT value FROM meta WHERE key = 'config_file'" "$root/other/timebank.toml"
run tb-member --db plain.db list
expect_rc 0
expect_err "tb-member: warning: no timebank.toml found: running on built-in defaults, but this store was set up with $root/other/timebank.toml (name it with --config or TIMEBANK_CONFIG, or run from its directory)"

finish
