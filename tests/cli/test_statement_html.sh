#!/usr/bin/env bash
# tb-exchange statement --format html: one printable page for a member
# without email. Its content is checked with grep (the bank, the member, the
# period, opening and closing balance, each exchange with both names and the
# running balance; member-provided text escaped; nothing external), then, when
# Chromium is installed, it is printed to PDF (one A4 page) and laid out at
# the width of an A4 page's text (nothing wider). The PDF and a screenshot are
# kept as test artifacts ($TB_BIN/../test-artifacts/statement.*).
source "$(dirname "$0")/lib.sh"

tb init --name "Newsome <Timebank> & Friends" >/dev/null
tb-member add "Ann Lee" --id ann >/dev/null
tb-member add "Bob <b>Bold</b> Marsh" --id bob >/dev/null
long=Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegeundsorgfaltigkeit
tb-member add "Zoë $long" --id zoe >/dev/null
# ann: -3:00 carried over; gave bob 2:00 on 10-10 (-1:00); received 1:30 from
# bob on 11-03 (-2:30); gave zoe 0:45 on 11-20 (-1:45).
tb-exchange opening --member ann --hours -3 --date 2026-01-01 >/dev/null
tb-exchange record --provider ann --recipient bob --hours 2 --date 2026-10-10 --category gardening >/dev/null
tb-exchange record --provider bob --recipient ann --hours 1:30 --date 2026-11-03 --category household >/dev/null
tb-exchange record --provider ann --recipient zoe --hours 0:45 --date 2026-11-20 --category computers >/dev/null

t "statement --format html: the bank, the member, the period, both balances"
run tb-exchange statement ann --period 2026-11 --format html
expect_rc 0; expect_err_empty
html=$OUT
expect_out_has "<!DOCTYPE html>"
expect_out_has "<title>Newsome &lt;Timebank&gt; &amp; Friends: statement for Ann Lee, 2026-11-01 to 2026-11-30</title>"
expect_out_has "<h1>Newsome &lt;Timebank&gt; &amp; Friends</h1>"
expect_out_has "Statement for <b>Ann Lee</b> (member ann) &middot; 2026-11-01 to 2026-11-30"
expect_out_has '<div class="kl">Opening balance</div><div class="kv">-1.00</div>'
expect_out_has '<div class="kl">Closing balance</div><div class="kv">-1.75</div>'

t "each exchange with the date, both names, category, hours and running balance"
expect_out_has '<tr><td>2026-10-31</td><td class="n"></td><td>brought forward</td><td></td><td></td><td></td><td class="n"></td><td class="n">-1.00</td></tr>'
expect_out_has '<tr><td>2026-11-03</td><td class="n">2</td><td>received</td><td>Bob &lt;b&gt;Bold&lt;/b&gt; Marsh</td><td>Ann Lee</td><td>Household</td><td class="n">-1.50</td><td class="n">-2.50</td></tr>'
expect_out_has "<tr><td>2026-11-20</td><td class=\"n\">3</td><td>gave</td><td>Ann Lee</td><td>Zoë $long</td><td>Computers &amp; IT</td><td class=\"n\">0.75</td><td class=\"n\">-1.75</td></tr>"
expect_out_lacks "2026-10-10"
rows=$(printf '%s\n' "$OUT" | grep -c '^<tr><td>')
[ "$rows" = 3 ] && ok || fail "$rows rows, expected 3"

t "member-provided text is escaped; nothing is fetched from anywhere; A4 print CSS"
expect_out_lacks "<b>Bold</b>"
expect_out_lacks "<script"
if printf '%s' "$OUT" | grep -qE '(src|href)=|@import|url\('; then fail "the page refers to something outside itself"; else ok; fi
expect_out_has "@page{size:A4"
expect_out_has "@media print"

t "-o statement.html picks html from the extension, atomically"
run tb-exchange statement ann --period 2026-11 -o statement.html
expect_rc 0; expect_out_empty
[ "$(cat statement.html)" = "$html" ] && ok || fail "-o statement.html differs from --format html"

t "the statement of the whole history: opening 0, every line"
run tb-exchange statement bob --format html
expect_out_has "Statement for <b>Bob &lt;b&gt;Bold&lt;/b&gt; Marsh</b> (member bob) &middot; up to 2026-11-27"
expect_out_has '<div class="kl">Opening balance</div><div class="kv">0.00</div>'
expect_out_has '<div class="kl">Closing balance</div><div class="kv">-0.50</div>'
expect_out_has '<tr><td>2026-10-10</td><td class="n">1</td><td>received</td><td>Ann Lee</td><td>Bob &lt;b&gt;Bold&lt;/b&gt; Marsh</td><td>Gardening</td><td class="n">-2.00</td><td class="n">-2.00</td></tr>'

t "a period without exchanges says so"
run tb-exchange statement zoe --period 2026-10 --format html
expect_out_has "No exchanges in this period."
expect_out_has '<div class="kv">0.00</div>'

t "html is not a format of the other exchange commands"
run tb-exchange list --format html
expect_rc 2

# --- in a real browser --------------------------------------------------------
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "SKIP: $CHROMIUM not installed (scripts/install-deps --with-browser)"
  finish; exit $?
fi
ARTIFACTS="$TB_BIN/../test-artifacts"
mkdir -p "$ARTIFACTS"
cp statement.html "$ARTIFACTS/statement.html"
chrome() {  # chrome ARGS... URL: headless chromium, output in $WORK/browser.*
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d)" "$@" >"$WORK/browser.out" 2>"$WORK/browser.err"
}

t "chromium prints it to one A4 page"
rm -f "$ARTIFACTS/statement.pdf"
chrome --no-pdf-header-footer --print-to-pdf="$ARTIFACTS/statement.pdf" "file://$ARTIFACTS/statement.html"
RC=$?; OUT=""; ERR=$(cat "$WORK/browser.err"); LAST="chromium --print-to-pdf"
expect_rc 0
pdf=$(python3 - "$ARTIFACTS/statement.pdf" <<'PY'
import re, sys
d = open(sys.argv[1], "rb").read()
boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]", d)
pages = len(re.findall(rb"/Type\s*/Page\b", d))
w, h = (round(float(x)) for x in boxes[0]) if boxes else (0, 0)
print(d[:5].decode("latin-1"), pages, w, h)
PY
)
# A4 is 595 x 842 points.
[ "$pdf" = "%PDF- 1 595 842" ] && ok || fail "the PDF is '$pdf' (want one A4 page: %PDF- 1 595 842)"

t "laid out at the width of an A4 page's text, nothing is wider (a long name wraps)"
# A4 at 96 px per inch is 794 px wide; less the print margins, 718.
sed 's|</body>|<script>document.body.setAttribute("data-scroll-width", document.documentElement.scrollWidth)</script></body>|' \
  statement.html > probe.html
chrome --window-size=718,1000 --dump-dom --virtual-time-budget=2000 "file://$WORK/probe.html"
RC=$?; OUT=$(cat "$WORK/browser.out"); ERR=$(cat "$WORK/browser.err"); LAST="chromium --dump-dom"
expect_rc 0
width=$(printf '%s' "$OUT" | grep -o 'data-scroll-width="[0-9]*"' | grep -o '[0-9]*')
if [ -n "$width" ] && [ "$width" -le 718 ]; then ok; else fail "the page is ${width:-?} px wide, wider than 718"; fi
expect_out_has "Newsome &lt;Timebank&gt; &amp; Friends"
expect_out_lacks "<b>Bold</b>"

t "chromium takes a screenshot of it at A4 size"
rm -f "$ARTIFACTS/statement.png"
chrome --screenshot="$ARTIFACTS/statement.png" --window-size=794,1123 --hide-scrollbars "file://$ARTIFACTS/statement.html"
RC=$?; OUT=""; ERR=$(cat "$WORK/browser.err"); LAST="chromium --screenshot"
expect_rc 0
size=$(python3 - "$ARTIFACTS/statement.png" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
w, h = struct.unpack(">II", data[16:24])
print(w, h, len(data) > 10000)
PY
)
[ "$size" = "794 1123 True" ] && ok || fail "screenshot is '$size'"
echo "statement: $ARTIFACTS/statement.pdf, $ARTIFACTS/statement.png"

finish
