#!/usr/bin/env bash
# Issue 17, the input side: CSV/TSV output safe to open in a spreadsheet and
# exact on import, control characters escaped in tables and messages, values
# quoted to 60 characters, empty option values refused, contradictory config
# refused, and hostile cells and files rejected before they cost memory.
source "$(dirname "$0")/lib.sh"

run tb init
expect_rc 0

# --- 1. spreadsheet-safe CSV/TSV, exact round trip ---------------------------
FORMULA='=HYPERLINK("http://evil.example","click")'
PIPE="+cmd|' /C calc'!A0"
tb-member add "$FORMULA" --note "$PIPE" >/dev/null          # M0001
tb-member add --note "@at" -- "-dash" >/dev/null              # M0002
tb-member add "'=quoted already" --note $'\t=tabbed' >/dev/null  # M0003
tb-member add "Ann Lee" --note "-3.50 is a number" >/dev/null    # M0004
tb-exchange record --provider M0004 --recipient M0001 --hours 1.5 --category gardening \
  --note "=1+1" >/dev/null
tb-exchange record --provider M0004 --recipient M0002 --hours 0.5 --category gardening \
  --note "@SUM(A1)" >/dev/null

t "csv: text that a spreadsheet would run gets a leading apostrophe; numbers never"
run tb-member list --format csv
expect_rc 0
expect_out_has "M0001,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","
expect_out_has "M0002,'-dash,"
# already begins with an apostrophe before '=': one more, so import is exact
expect_out_has "M0003,''=quoted already,"
expect_out_has ",-1.50"          # a negative balance (hours) stays a number
expect_out_has ",-0.50"
expect_out_lacks ",'-1.50"
run tb-member export
expect_out_has ",'+cmd|' /C calc'!A0,"
expect_out_has ",'@at,"
expect_out_has ",'-3.50 is a number,"  # text that begins with '-' (only a plain number does not)
run tb-exchange list --format csv
expect_out_has ",'=1+1,"
expect_out_has ",'@SUM(A1),"
expect_out_has ",2026-11-27,"    # dates never

t "tsv: the same guard"
run tb-member list --format tsv
expect_out_has "M0002	'-dash	"
expect_out_has "M0001	\"'=HYPERLINK("

t "json and the table are data, not spreadsheets: no apostrophes"
run tb-member show M0002 --format json
expect_out_has '"name": "-dash"'

t "export -> import into a new store gives back exactly the same text"
tb-member export > m.csv
tb-exchange export > x.csv
tb-member export --format tsv > m.tsv
run tb --db copy.db init
run tb-member --db copy.db import m.csv
expect_rc 0; expect_out "4 added, 0 updated, 0 unchanged"
run tb-exchange --db copy.db import x.csv
expect_rc 0; expect_out "2 added, 0 updated, 0 unchanged"
Q="SELECT id || '|' || name || '|' || coalesce(note, '') FROM member ORDER BY id"
orig=$(sqlite3 -readonly "$TIMEBANK_DB" "$Q")
copy=$(sqlite3 -readonly copy.db "$Q")
[ "$orig" = "$copy" ] && ok || fail "member names/notes differ after the round trip: $copy"
QX="SELECT number || '|' || note FROM exchange ORDER BY number"
[ "$(sqlite3 -readonly "$TIMEBANK_DB" "$QX")" = "$(sqlite3 -readonly copy.db "$QX")" ] && ok ||
  fail "exchange notes differ after the round trip"
TIMEBANK_DB=copy.db tb-member export > m2.csv
cmp -s m.csv m2.csv && ok || fail "a second export differs from the first"
run tb-member --db copy.db import m.csv
expect_out "0 added, 0 updated, 4 unchanged"
run tb-member --db copy.db import m.tsv
expect_out "0 added, 0 updated, 4 unchanged"

# --- 2. control characters and long values -----------------------------------
ESC=$'\e'
tb-member add "Eve${ESC}[31mRed" >/dev/null                 # M0005

t "table output shows ESC escaped, never raw"
run tb-member list
expect_rc 0
expect_out_has 'Eve\x1b[31mRed'
case "$OUT" in *"$ESC"*) fail "raw ESC in the table" ;; *) ok ;; esac
run tb-member show M0005
expect_out_has 'Eve\x1b[31mRed'
case "$OUT" in *"$ESC"*) fail "raw ESC in the record" ;; *) ok ;; esac

t "a message quotes at most 60 characters of a value, and no raw ESC"
LONG=$(printf 'x%.0s' $(seq 1 10000))
run tb-member add "Long Id" --id "$LONG"
[ "$RC" -ne 0 ] && ok || fail "a 10,000-character ID was accepted"
[ "${#ERR}" -lt 400 ] && ok || fail "the message is ${#ERR} bytes long"
expect_err_has "$(printf 'x%.0s' $(seq 1 60))..."
run tb-member show "$LONG"
expect_rc 4
[ "${#ERR}" -lt 400 ] && ok || fail "the message is ${#ERR} bytes long"
run tb-member show "Nobody${ESC}[2J"
expect_rc 4
case "$ERR" in *"$ESC"*) fail "raw ESC in the message" ;; *) ok ;; esac
expect_err_has 'Nobody\x1b[2J'

# --- 3. empty option values ----------------------------------------------------
t "--date \"\" is a usage error, never today"
before=$(store_digest)
run tb-exchange record --provider M0004 --recipient M0002 --hours 1 --date ""
expect_rc 2
expect_err_has "--date: an empty value"
[ "$(store_digest)" = "$before" ] && ok || fail "the store changed"
run tb-exchange record --provider M0004 --recipient M0002 --hours 1 --date=
expect_rc 2
t "--as-of \"\", --period \"\", --format \"\", --db \"\", --note \"\": all usage errors"
run tb-report balances --as-of ""
expect_rc 2; expect_err_has "--as-of: an empty value"
run tb-report balances --period " "
expect_rc 2
run tb-member list --format ""
expect_rc 2
run tb-member list --db ""
expect_rc 2
run tb-member edit M0004 --note ""
expect_rc 2
run tb-exchange list --today ""
expect_rc 2

# --- 4. contradictory configuration --------------------------------------------
t "min_balance above max_balance is exit 2 naming file, line and key"
printf '[policy]\nmin_balance = 5\nmax_balance = 1\n' > bad1.toml
run tb-member --config bad1.toml list
expect_rc 2
expect_err "tb-member: error: bad1.toml:2: policy.min_balance: min_balance 5.00 is above max_balance 1.00"
printf '[policy]\nmax_balance = 10\n\nmin_balance = 2\n' > bad2.toml
run tb-member --config bad2.toml list
expect_rc 2
expect_err_has "bad2.toml:4: policy.min_balance: 2.00 hours is above 0"
printf '[policy]\nmin_balance = "none"\nmax_balance = -1\n' > bad3.toml
run tb-member --config bad3.toml list
expect_rc 2
expect_err_has "bad3.toml:3: policy.max_balance: -1.00 hours is below 0"
printf '[[category]]\nname = "Gardening"\n\n[[category]]\nname = "gardening "\n' > bad4.toml
run tb-member --config bad4.toml list
expect_rc 2
expect_err_has "bad4.toml:4: category.name: a second category named 'gardening '"
printf '[policy]\nmin_balance = 0\nmax_balance = 0\n' > ok.toml
run tb-member --config ok.toml list --format csv
expect_rc 0

# --- 5. hostile cells and files --------------------------------------------------
t "a NUL byte in a cell rejects the row (FILE:LINE: column: problem)"
before=$(store_digest)
printf 'date,provider,recipient,hours,category\n2026-11-20,M0004,M0002,1,Garden\0ing\n2026-11-20,M0004,M0002,1,Gardening\n' > nul.csv
run tb-exchange import nul.csv
expect_rc 3
expect_err "nul.csv:2: category: a NUL byte in the cell
tb-exchange: rejected: 1 bad row in nul.csv; nothing was imported"
[ "$(store_digest)" = "$before" ] && ok || fail "the store changed"
printf 'name,note\nEsc\033Name,fine\nTab Note,"a\tb\nc"\n' > esc.csv
run tb-member import esc.csv --dry-run
expect_rc 3
expect_err_has "esc.csv:2: name: the control character U+001B in the cell"
expect_err_lacks() { case "$ERR" in *"$1"*) fail "stderr has: $1" ;; *) ok ;; esac; }
expect_err_lacks "esc.csv:3"    # tab and newline in a note are fine

t "a cell over 64 KiB rejects the file, naming the place"
{ printf 'name,note\nAnn,'; head -c 70000 /dev/zero | tr '\0' 'n'; printf '\n'; } > big.csv
run tb-member import big.csv
expect_rc 3
expect_err "tb-member: rejected: big.csv:2: column 2: a cell longer than 64 KiB starts on this row (is a closing quote missing?)"

t "UTF-16 with or without a BOM: a clear message"
printf 'n\0a\0m\0e\0\n\0A\0n\0n\0\n\0' > u16.csv
run tb-member import u16.csv
expect_rc 3
expect_err "tb-member: rejected: u16.csv: UTF-16 text; save it as UTF-8 CSV (\"CSV UTF-8\" in Excel)"
printf '\xff\xfen\0a\0m\0e\0\n\0' > u16bom.csv
run tb-member import u16bom.csv
expect_rc 3
expect_err_has "u16bom.csv: UTF-16 text; save it as UTF-8 CSV"

# An .xlsx with a given sheet and shared strings, built with python's zipfile.
make_xlsx() {  # make_xlsx OUT SHEETDATA [SHAREDSTRINGS-FILE]
  python3 - "$@" <<'PY'
import sys, zipfile
out, rows = sys.argv[1], sys.argv[2]
sst = open(sys.argv[3], 'rb').read() if len(sys.argv) > 3 else None
M = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr('_rels/.rels', f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="{R}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr('xl/workbook.xml', f'<?xml version="1.0"?><workbook xmlns="{M}" xmlns:r="{R}"><sheets><sheet name="S" sheetId="1" r:id="r1"/></sheets></workbook>')
    rels = f'<Relationship Id="r1" Type="{R}/worksheet" Target="worksheets/sheet1.xml"/>'
    if sst is not None:
        rels += f'<Relationship Id="r2" Type="{R}/sharedStrings" Target="sharedStrings.xml"/>'
        with z.open('xl/sharedStrings.xml', 'w', force_zip64=True) as f:
            f.write(sst) if not sst.startswith(b'HUGE') else None
            if sst.startswith(b'HUGE'):
                f.write(f'<?xml version="1.0"?><sst xmlns="{M}"><si><t>'.encode())
                chunk = b'A' * (1 << 20)
                for _ in range(int(sst[4:])): f.write(chunk)
                f.write(b'</t></si></sst>')
    z.writestr('xl/_rels/workbook.xml.rels', f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
    z.writestr('xl/worksheets/sheet1.xml', f'<?xml version="1.0"?><worksheet xmlns="{M}"><sheetData>{rows}</sheetData></worksheet>')
PY
}
is() { printf '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' "$1" "$2"; }

t "an xlsx row whose number is 0, missing or out of order rejects the file"
make_xlsx r0.xlsx "<row r=\"1\">$(is A1 name)</row><row r=\"0\">$(is A2 Zed)</row>"
run tb-member import r0.xlsx
expect_rc 3
expect_err "tb-member: rejected: r0.xlsx: the row after row 1 has the row number r=\"0\""
make_xlsx rmissing.xlsx "<row r=\"1\">$(is A1 name)</row><row>$(is A2 Zed)</row>"
run tb-member import rmissing.xlsx
expect_rc 3
expect_err "tb-member: rejected: rmissing.xlsx: the row after row 1 has no row number (r)"
make_xlsx rorder.xlsx "<row r=\"1\">$(is A1 name)</row><row r=\"3\">$(is A3 Zed)</row><row r=\"2\">$(is A2 Ann)</row>"
run tb-member import rorder.xlsx
expect_rc 3
expect_err "tb-member: rejected: rorder.xlsx: row 2 comes after row 3 (rows out of order)"

t "a 1 GiB shared string in a small xlsx fails fast, with a short message and little memory"
make_xlsx huge.xlsx "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>" <(printf 'HUGE1024')
size=$(stat -c %s huge.xlsx)
[ "$size" -lt 3000000 ] && ok || fail "the test file is $size bytes"
start=$(date +%s)
/usr/bin/time -o rss.txt -f '%M' tb-member import huge.xlsx 2>"$WORK/.stderr" >/dev/null; RC=$?
took=$(( $(date +%s) - start ))
RSS=$(tail -n 1 rss.txt); ERR=$(cat "$WORK/.stderr"); LAST="tb-member import huge.xlsx"
expect_rc 3
expect_err_has "huge.xlsx: xl/sharedStrings.xml: shared string 1 is longer than 64 KiB"
[ "${#ERR}" -lt 200 ] && ok || fail "the message is ${#ERR} bytes"
[ "${RSS:-999999}" -lt 100000 ] && ok || fail "max RSS ${RSS} KiB"
[ "$took" -lt 10 ] && ok || fail "took $took s"

t "an xlsx cell over 64 KiB rejects the file"
make_xlsx bigcell.xlsx "<row r=\"1\">$(is A1 name)</row><row r=\"2\">$(is A2 "$(head -c 70000 /dev/zero | tr '\0' 'n')")</row>"
run tb-member import bigcell.xlsx
expect_rc 3
expect_err "tb-member: rejected: bigcell.xlsx:2: column 1: a cell longer than 64 KiB"

finish
