#!/usr/bin/env bash
# Every cron example in the man pages and examples/ runs exactly as printed,
# from / with cron's bare environment (env -i HOME=... PATH=...): the crontab
# lines are read from the pages, roff escapes and cron's \% undone, /srv
# mapped into the scratch directory (the one change), and tb's build
# directory put first on the crontab's PATH (where it would be installed).
# The bank's own limits must apply: a member at -17 against the bank's -15 is
# in the weekly report.
source "$(dirname "$0")/lib.sh"
SRC=${TB_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
unset TIMEBANK_DB
srv="$WORK/srv"
mkdir -p "$srv/timebank/reports" "$srv/backup" "$srv/www" "$WORK/home" "$WORK/bin"
# The bank: store newsome.db and its timebank.toml, min_balance -15.
(cd "$srv/timebank" && tb init --db newsome.db --name "Newsome Timebank" --config-out timebank.toml >/dev/null)
sed -i 's/^min_balance = .*/min_balance = -15/' "$srv/timebank/timebank.toml"
grep -q '^min_balance = -15' "$srv/timebank/timebank.toml" || echo "setup: no min_balance line" >&2
export TIMEBANK_DB="$srv/timebank/newsome.db"
tb-member add "Ann Lee" --id ann >/dev/null
tb-member add "Bob Marsh" --id bob >/dev/null
tb-exchange opening --member bob --hours=-17 --date 2026-01-01 >/dev/null
tb-exchange opening --member ann --hours=17 --date 2026-01-01 >/dev/null
unset TIMEBANK_DB
# mail-report: the bank's own script; here it notes the file it was given.
printf '#!/bin/sh\n[ -f "$1" ] && echo "$PWD/$1" >> %s/mailed\n' "$WORK" > "$WORK/bin/mail-report"
chmod +x "$WORK/bin/mail-report"

# cron_jobs PAGE: "VAR=value" and schedule lines of every .EX block that has
# a crontab line, roff escapes undone.
cron_jobs() {
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
for block in re.findall(r"^\.EX\n(.*?)^\.EE", text, flags=re.S | re.M):
    lines = [l.replace("\\-", "-").replace("\\e", "\\") for l in block.splitlines()]
    if not any(re.match(r"^[0-9*/,-]+ +[0-9*/,-]+ +[0-9*/,-]+ +[0-9*/,-]+ +[0-9*/,-]+ +\S", l) for l in lines):
        continue
    print("#BLOCK")
    for l in lines:
        if l.startswith("#") or not l.strip():
            continue
        print(l)
PY
}

ran=0
for page in "$SRC"/man/man*/*.[1-9] "$SRC"/examples/*; do
  [ -f "$page" ] || continue
  envs=()
  while IFS= read -r line; do
    if [ "$line" = "#BLOCK" ]; then envs=(); continue; fi
    line=${line//\/srv\//$srv\/}
    if [[ $line =~ ^[A-Z_]+= ]]; then
      [[ $line == PATH=* ]] && line="PATH=$TB_BIN:$WORK/bin:${line#PATH=}"
      envs+=("$line"); continue
    fi
    read -r _ _ _ _ _ cmd <<<"$line"
    cmd=${cmd//\\%/%}
    t "cron example from ${page#"$SRC"/}: $cmd"
    has_path=no
    for e in "${envs[@]}"; do [[ $e == PATH=* ]] && has_path=yes; done
    [ "$has_path" = yes ] || fail "the crontab sets no PATH: cron's /usr/bin:/bin has no tb"
    run env -i HOME="$WORK/home" PATH=/usr/bin:/bin "${envs[@]}" /bin/sh -c "cd / && $cmd"
    expect_rc 0
    expect_err_empty
    ran=$((ran + 1))
  done < <(cron_jobs "$page")
done

t "the examples ran and did their work"
[ "$ran" -ge 4 ] && ok || fail "only $ran cron jobs found in the man pages"
ls "$srv/backup"/newsome-*.db >/dev/null 2>&1 && ok || fail "no backup written"
[ -f "$srv/www/weekly.html" ] && ok || fail "no weekly report in /srv/www"
[ -f "$srv/timebank/reports/weekly.html" ] && ok || fail "no weekly report in /srv/timebank/reports"
grep -q "$srv/timebank/reports/weekly.html" "$WORK/mailed" 2>/dev/null && ok || fail "mail-report was not given the report"
for f in "$srv/www/weekly.html" "$srv/timebank/reports/weekly.html"; do
  grep -q 'bob' "$f" && grep -q -- '-17.00' "$f" && grep -q -- '-15.00' "$f" && ok ||
    fail "$f does not list bob at -17.00 against the bank's -15.00"
done

finish
