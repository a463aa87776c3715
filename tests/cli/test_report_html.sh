#!/usr/bin/env bash
# The weekly html report in a real headless browser: it renders, its SVG
# charts are there, member-provided text stays text, and nothing is fetched
# from anywhere. The screenshot is kept as a test artifact
# ($TB_BIN/../test-artifacts/weekly.png) for people to look at.
source "$(dirname "$0")/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "SKIP: $CHROMIUM not installed (scripts/install-deps --with-browser)"
  exit 0
fi
ARTIFACTS="$TB_BIN/../test-artifacts"
mkdir -p "$ARTIFACTS"

# A bank with twelve weeks of exchanges in several categories, an
# organisation, a name and a request that look like markup.
tb init --name "Newsome <Timebank> & Friends" >/dev/null
tb-member add "Ann Lee" --id ann --joined 2025-01-10 >/dev/null
tb-member add "Bob <b>Bold</b> Marsh" --id bob --joined 2026-11-18 >/dev/null
tb-member add "Rosewood Care Home" --id home --kind organisation --joined 2024-05-01 >/dev/null
tb-member add "Zoë Ó Súilleabháin" --id zoe --joined 2024-02-01 --min-balance none >/dev/null
tb-member add "Eve Never" --id eve --joined 2024-03-01 >/dev/null
categories=("Gardening" "Care & companionship" "Transport & lifts" "Household" "Computers & IT")
pairs=("ann home" "zoe ann" "home zoe" "ann zoe" "zoe home")
day=$(( $(date -d 2026-08-31 +%s) / 86400 ))
for i in $(seq 0 40); do
  d=$(date -u -d "@$(( (day + i * 2) * 86400 ))" +%F)
  set -- ${pairs[$((i % 5))]}
  tb-exchange record --provider "$1" --recipient "$2" --hours "$(printf '%d:%02d' $(( 1 + i % 3 )) $(( (i * 15) % 60 )))" \
    --date "$d" --category "${categories[$((i % 5))]}" >/dev/null 2>&1
done
tb-exchange opening --member zoe --hours -30 >/dev/null
tb-match request add ann --category Gardening --text 'Hedge <script>alert("x")</script> & lawn' >/dev/null

t "the weekly html report is written"
run tb-report weekly -o "$ARTIFACTS/weekly.html"
expect_rc 0
HTML="$ARTIFACTS/weekly.html"
grep -q '<script' "$HTML" && fail "an unescaped <script> in the html" || ok
grep -qE '(src|href)=|@import|url\(' "$HTML" && fail "the html refers to something outside itself" || ok

browse() {  # browse ARGS...: headless chromium on the report, output in $WORK/browser.*
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d)" "$@" "file://$HTML" >"$WORK/browser.out" 2>"$WORK/browser.err"
}

t "chromium renders it: the DOM has the charts, the text stays text"
browse --dump-dom --virtual-time-budget=2000
RC=$?; OUT=$(cat "$WORK/browser.out"); ERR=$(cat "$WORK/browser.err"); LAST="chromium --dump-dom"
expect_rc 0
expect_out_has "<svg"
bars=$(printf '%s' "$OUT" | grep -o '<rect' | wc -l)
if [ "$bars" -ge 14 ]; then ok; else fail "only $bars bars in the charts"; fi
expect_out_has "Hours per week, the last 12 weeks"
expect_out_has "Hours by category"
expect_out_has "Newsome &lt;Timebank&gt; &amp; Friends: weekly report"
expect_out_has "Hedge &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; lawn"
expect_out_has "Bob &lt;b&gt;Bold&lt;/b&gt; Marsh"
expect_out_lacks "<b>Bold</b>"
if grep -qiE 'Uncaught|Failed to load resource|ERR_FILE_NOT_FOUND|net::ERR' "$WORK/browser.err"; then
  fail "the browser reported errors: $(grep -iE 'Uncaught|Failed|ERR_' "$WORK/browser.err" | head -3)"
else ok; fi

t "chromium takes a screenshot"
rm -f "$ARTIFACTS/weekly.png"
browse --screenshot="$ARTIFACTS/weekly.png" --window-size=1000,1600 --hide-scrollbars
RC=$?; OUT=""; ERR=$(cat "$WORK/browser.err"); LAST="chromium --screenshot"
expect_rc 0
size=$(python3 - "$ARTIFACTS/weekly.png" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
w, h = struct.unpack(">II", data[16:24])
print(w, h, len(data))
EOF
)
set -- $size
if [ "${1:-0}" = 1000 ] && [ "${2:-0}" = 1600 ] && [ "${3:-0}" -gt 20000 ]; then ok
else fail "screenshot is '$size' (want 1000x1600 and some content)"; fi
echo "weekly report screenshot: $ARTIFACTS/weekly.png"

finish
