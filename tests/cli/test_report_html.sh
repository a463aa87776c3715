#!/usr/bin/env bash
# The weekly html report in a real headless browser: it renders, its SVG
# charts are there, member-provided text stays text, nothing is fetched
# from anywhere, every list (warning level, pending proposals, past
# needed-by, expiring checks, new members) is there, nothing is wider than
# an A4 page (a 120-letter word in a request included), and it prints to
# an A4 PDF. The screenshot is kept as a test artifact
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
# Every weekly list has a row: zoe (and another) under the warning level, a proposal
# pending since 10 November, a request past its needed-by date with a word
# no line can break, a check expiring in 13 days, Bob who is new.
printf '[policy]\nwarn_below = -10\n' > timebank.toml
long=$(printf 'W%.0s' $(seq 1 120))
late=$(tb-match request add eve --category Household --text "ironing $long" --needed-by 2026-11-30)
sqlite3 "$TIMEBANK_DB" "UPDATE request SET needed_by = '2026-11-20' WHERE number = $late;
  INSERT INTO proposal (run, request, member, score, status, created_at)
  VALUES (1, $late, 'zoe', 1.0, 'proposed', '2026-11-10T09:00:00Z')"
tb-member check add eve dbs --expires 2026-12-10 >/dev/null

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
for heading in "Balances under the warning level of -10.00 (2)" "Proposals pending for more than 7 days (1)" \
  "Open requests past their needed-by date (1)" "Safeguarding checks expiring within 30 days (1)" \
  "New members (1)"; do
  expect_out_has "<h2>$heading</h2>"
done
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

# An A4 page is 794 CSS pixels wide; Chromium prints with margins of 1 cm
# (38 px) on each side, so the report must fit 718 px. A copy of the report
# with a script that measures it (the report itself has none).
t "nothing is wider than an A4 page"
python3 - "$HTML" "$WORK/measure.html" <<'PY'
import sys
html = open(sys.argv[1], encoding="utf-8").read()
script = '''<script>
window.addEventListener('load', function () {
  var vw = document.documentElement.clientWidth, max = 0, worst = '';
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right > max) { max = r.right; worst = e.tagName; }
  });
  var p = document.createElement('pre');
  p.id = 'measure';
  p.textContent = 'viewport=' + vw + ' scroll=' + document.documentElement.scrollWidth +
    ' right=' + Math.ceil(max) + ' widest=' + worst;
  document.body.appendChild(p);
});
</script>'''
open(sys.argv[2], "w", encoding="utf-8").write(html.replace("</body>", script + "</body>"))
PY
HTML="$WORK/measure.html" browse --dump-dom --virtual-time-budget=2000 --window-size=718,1123 --hide-scrollbars
RC=$?; OUT=$(cat "$WORK/browser.out"); ERR=$(cat "$WORK/browser.err"); LAST="chromium --dump-dom (measured)"
expect_rc 0
m=$(printf '%s' "$OUT" | grep -o 'viewport=[0-9]* scroll=[0-9]* right=[0-9]* widest=[A-Za-z0-9]*')
set -- $(printf '%s' "$m" | sed 's/[a-z]*=//g')
if [ "${1:-0}" = 718 ] && [ "${2:-99999}" -le 718 ] && [ "${3:-99999}" -le 718 ]; then ok
else fail "wider than an A4 page: '$m' (want viewport=718, scroll and right at most 718)"; fi

t "it prints to an A4 PDF"
sed 's#</head>#<style>@page{size:A4}</style></head>#' "$HTML" > "$WORK/print.html"
rm -f "$ARTIFACTS/weekly.pdf"
HTML="$WORK/print.html" browse --no-pdf-header-footer --print-to-pdf="$ARTIFACTS/weekly.pdf"
RC=$?; OUT=""; ERR=$(cat "$WORK/browser.err"); LAST="chromium --print-to-pdf"
expect_rc 0
if [ "$(head -c 5 "$ARTIFACTS/weekly.pdf" 2>/dev/null)" = "%PDF-" ]; then ok; else fail "no PDF written"; fi
# Every page A4 (595 x 842 points).
boxes=$(grep -a -o 'MediaBox \[[^]]*\]' "$ARTIFACTS/weekly.pdf" | sort -u)
case "$boxes" in
  "MediaBox [0 0 59"[45]*" 84"[12]*) ok ;;
  *) fail "pages are not A4: $boxes" ;;
esac
echo "weekly report PDF: $ARTIFACTS/weekly.pdf"

finish
