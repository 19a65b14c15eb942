#!/bin/sh
# The reports people read: fo-age's nightly page (-f html: headline,
# worklist, groups on one scale, digits grouped) and its workbook (-f
# xlsx, opened by openpyxl, not by fo). Every expected value is worked
# out by hand from testdata/age/worklist.ndjson (four exceptions and a
# non-exception).
. "$(dirname "$0")/lib.sh"

A=$TD/age
W=$A/worklist.ndjson
age() { fo-age -q --as-of 2026-11-21 "$@"; }
# the page's parts as text: a cell (or a tile's number) ends in '|'
rows() {
	sed -n "/<table class=\"$2\">/,/<\/table>/p" "$1" | grep '^<tr' |
	    sed 's/<\/td>/|/g; s/<br>/ /g; s/<[^>]*>//g'
}
tiles() {
	grep '^<div class="tile">' "$1" | sed 's/<\/b>/|/g; s/<br>/ /g; s/<[^>]*>//g'
}

run age -g queue -f html --top 3 "$W"
check_eq "-f html: exit 0" 0 "$rc"
cp "$tmp/out" "$tmp/page.html"
# priority first; at 35 the SLA that ends first (w:3, the 22nd); --top 3
# leaves w:4 (5) out; vendor_name, else vendor_id; the first reason; the
# SLA of w:1 ended on the 20th, before the end of the 21st
rows "$tmp/page.html" work >"$tmp/rows"
cat >"$tmp/want" <<'E'
P1 (40)|INV-1|Fabrikam &amp; Sons &lt;EU&gt;|1,234,567.89&nbsp;EUR|duplicate_suspect|ap_triage|2026-11-20 16:00 UTC SLA missed escalated|dup: same amount as INV-0|
P2 (35)|Q-3|Acme|−1.250&nbsp;KWD|quantity_variance|purchasing|2026-11-22 09:00 UTC||
P2 (35)|PO-77|V2|12,500,000&nbsp;JPY|price_variance|purchasing|2026-11-25 16:00 UTC|=HYPERLINK(&quot;x&quot;)|
E
check_same "worklist: the 3 highest priorities, in order, every column" \
    "$tmp/want" "$tmp/rows"
check_eq "worklist: only the missed SLA's row is marked" \
    '1 <tr class="breach"><td class="d">P1' \
    "$(grep -c 'class="breach"' "$tmp/page.html") $(grep -o '<tr class="breach"><td class="d">P1' "$tmp/page.html")"
check_eq "worklist: says how many of how many" \
    "The 3 highest priorities of 4 exceptions; a missed SLA is marked." \
    "$(grep -o 'The [0-9]* highest[^<]*' "$tmp/page.html")"

# headline: 4 exceptions (w:5 is none); base 1234567.89 + 76923.08 - 3.75;
# each currency, the one without a code first
tiles "$tmp/page.html" >"$tmp/tiles"
cat >"$tmp/want" <<'E'
4|open exceptions
1,311,487.22&nbsp;EUR|money at stake in base currency, of which: 5.00 1,234,567.89&nbsp;EUR 12,500,000&nbsp;JPY −1.250&nbsp;KWD
1|SLA missed
1|escalated
E
check_same "headline: exceptions, money, SLA missed, escalated" \
    "$tmp/want" "$tmp/tiles"

# the queues on one scale: 2 and 2 exceptions, both 220 px; amounts
# 1234567.89 (220 px) and 76923.08 - 3.75 = 76919.33: 220 * 7691933 /
# 123456789 = 13.7, 13 px; every bar labelled
check_eq "by queue: count bars on one scale" "220 220" \
    "$(grep -o 'width="[0-9]*" height="16" fill="#4a7ab5"' "$tmp/page.html" |
        sed 's/width="\([0-9]*\)".*/\1/' | paste -sd' ')"
check_eq "by queue: amount bars on one scale" "220 13" \
    "$(grep -o 'width="[0-9]*" height="16" fill="#5aa55a"' "$tmp/page.html" |
        sed 's/width="\([0-9]*\)".*/\1/' | paste -sd' ')"
check_eq "by queue: each bar labelled with its value" \
    "2 1,234,567.89 2 76,919.33" \
    "$(grep -o '"/><text x="[0-9]*" y="[0-9]*">[^<]*' "$tmp/page.html" |
        sed 's/.*>//' | paste -sd' ')"
rows "$tmp/page.html" groups >"$tmp/rows"
cat >"$tmp/want" <<'E'
ap_triage|2|5.00 1,234,567.89&nbsp;EUR|1,234,567.89&nbsp;EUR|1|20|
purchasing|2|12,500,000&nbsp;JPY −1.250&nbsp;KWD|76,919.33&nbsp;EUR|0|51|
E
check_same "by queue: count, money, SLA missed, oldest" "$tmp/want" "$tmp/rows"
check_eq "aging: buckets and headings in words" \
    "Age|Exceptions|Amount|In base currency|SLA missed|Oldest (days)|Median (days)|current (0 days)|1 to 30 days|31 to 60 days|61 to 90 days|over 90 days|no date to age from|all" \
    "$(sed -n '/How old, all together/,/<\/table>/p' "$tmp/page.html" |
        grep -o -e '<th>[^<]*' -e '<th class="n">[^<]*' -e '<tr[^>]*><td>[^<]*' |
        sed 's/.*>//' |
        paste -sd'|')"
check_eq "print: A4, rows not cut" "1 1" \
    "$(grep -c '@page{size:A4' "$tmp/page.html") $(grep -c 'tr,svg{break-inside:avoid}' "$tmp/page.html")"
check_eq "self-contained: no script, no link, no font, no URL" "" \
    "$(grep -ioE '<script|<link|src=|href=|url\(|@import|@font-face' "$tmp/page.html")"

# --prev: the headline says what the table says (tests/0700: new 8,
# carried 3, resolved 2 after 7.5 days on average)
check_eq "headline with --prev: new, resolved (mean days open), carried" \
    "8 new|since the night before; 2 resolved (mean 7.5 days open), 3 carried" \
    "$(age --prev "$A/prev.ndjson" -f html "$A/records.ndjson" |
        grep -o '<div class="tile"><b>[0-9]* new</b><span>[^<]*' |
        sed 's/<\/b>/|/; s/<[^>]*>//g')"

# --number-style, the base total of the headline
for s in "1.234,56|1.311.487,22" "1 234,56|1 311 487,22" \
    "1'234.56|1'311'487.22" "1,234.56|1,311,487.22"; do
	style=${s%|*}
	# the space is a no-break space
	want=$(printf '%s' "${s#*|}" | sed 's/ /\xc2\xa0/g')
	check_eq "--number-style '$style'" "$want&nbsp;EUR" \
	    "$(age -g queue -f html --number-style "$style" "$W" |
	        grep -o '<div class="tile"><b>[^<]*EUR' | sed 's/.*<b>//')"
done
run age -f html --number-style 1234.56 "$W"
check_eq "--number-style not known: exit 2, said" "2 1" \
    "$rc $(grep -c "number-style '1234.56'" "$tmp/err")"
run age -f html --top -1 "$W"
check_eq "--top -1: exit 2" 2 "$rc"
run age -f html --top 0 "$W"
check_eq "--top 0: no worklist table" "0 0" \
    "$rc $(grep -c '<table class="work">' "$tmp/out")"

# partials made for a page carry the worklist: merged, the same bytes
head -n 2 "$W" | age -g queue -f html --partial >"$tmp/p1"
tail -n +3 "$W" | age -g queue -f html --partial >"$tmp/p2"
fo-age -q --merge -f html --top 3 "$tmp/p2" "$tmp/p1" >"$tmp/merged"
check_same "--partial -f html x2 then --merge -f html = one run" \
    "$tmp/page.html" "$tmp/merged"
head -n 2 "$W" | age -g queue --partial >"$tmp/p1"
fo-age -q --merge -f html "$tmp/p1" "$tmp/p2" >"$tmp/merged"
check_eq "a partial made without -f html: the page says it has no worklist" \
    "1 0" "$(grep -c 'No worklist: the partials were made without' "$tmp/merged") $(grep -c '<table class="work">' "$tmp/merged")"

# -f xlsx
run age -g queue -f xlsx "$W"
check_eq "-f xlsx without -o: exit 2" 2 "$rc"
run age -g queue -f xlsx -o "$tmp/a.xlsx" "$W"
check_eq "-f xlsx -o: exit 0, nothing on stdout" "0 0" "$rc $(wc -c <"$tmp/out" | tr -d ' ')"
sleep 1.1
age -g queue -f xlsx -o "$tmp/b.xlsx" "$W"
check "-f xlsx: the same bytes a second later" cmp -s "$tmp/a.xlsx" "$tmp/b.xlsx"
check_eq "-f xlsx: no temporary file left" "a.xlsx b.xlsx" \
    "$(cd "$tmp" && ls *.xlsx* | paste -sd' ')"

PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	ok "# SKIP python3 with openpyxl (python3-openpyxl) is not installed"
else
	"$PY" - "$tmp/a.xlsx" >"$tmp/xl" 2>&1 <<'E'
import sys, zipfile, openpyxl
f = sys.argv[1]
z = zipfile.ZipFile(f)
print("zip times", sorted(set(i.date_time for i in z.infolist())))
core = z.read("docProps/core.xml").decode()
print("created", core.split("<dcterms:created")[1].split(">")[1].split("<")[0])
wb = openpyxl.load_workbook(f)
print("sheets", wb.sheetnames)
ws = wb["Worklist"]
print("freeze", ws.freeze_panes, "filter", ws.auto_filter.ref)
for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
    print("|".join(repr(c.value) for c in row))
for r in range(2, 6):
    print(r, ws.cell(r, 5).number_format, ws.cell(r, 5).data_type,
        ws.cell(r, 11).number_format, ws.cell(r, 11).is_date,
        ws.cell(r, 14).data_type)
for q in ("ap_triage", "purchasing"):
    s = wb[q]
    print(q, [c.value for c in s["C"]], s.freeze_panes, s.auto_filter.ref)
s = wb["Summary"]
print(s["A1"].value)
print([c.value for c in s[3]])
for row in s.iter_rows(min_row=4, values_only=True):
    if row[0] == "(all)" and row[1] == "all":
        print(row)
E
	cat >"$tmp/want" <<'E'
zip times [(1980, 1, 1, 0, 0, 0)]
created 2026-11-21T00:00:00Z
sheets ['Summary', 'Worklist', 'ap_triage', 'purchasing']
freeze A2 filter A1:O5
'Priority'|'Band'|'Document'|'Vendor'|'Amount'|'Amount (exact)'|'Currency'|'Class'|'Queue'|'Age (days)'|'SLA due (UTC)'|'SLA missed'|'Escalated'|'Why'|'Id'
40|'P1'|'INV-1'|'Fabrikam & Sons <EU>'|1234567.89|'1234567.89'|'EUR'|'duplicate_suspect'|'ap_triage'|20|datetime.datetime(2026, 11, 20, 16, 0)|'yes'|'yes'|'dup: same amount as INV-0'|'w:1'
35|'P2'|'Q-3'|'Acme'|-1.25|'-1.250'|'KWD'|'quantity_variance'|'purchasing'|0|datetime.datetime(2026, 11, 22, 9, 0)|'no'|'no'|None|'w:3'
35|'P2'|'PO-77'|'V2'|12500000|'12500000'|'JPY'|'price_variance'|'purchasing'|51|datetime.datetime(2026, 11, 25, 16, 0)|'no'|'no'|'=HYPERLINK("x")'|'w:2'
5|'P4'|None|None|5|'5.00'|None|'other'|'ap_triage'|None|None|None|'no'|None|'w:4'
2 #,##0.00 n yyyy-mm-dd hh:mm True s
3 #,##0.000 n yyyy-mm-dd hh:mm True n
4 #,##0 n yyyy-mm-dd hh:mm True s
5 #,##0.00#### n General False n
ap_triage ['Document', 'INV-1', None] A2 A1:O3
purchasing ['Document', 'Q-3', 'PO-77'] A2 A1:O3
Aging as of 2026-11-21, ages from the hold date
['queue', 'Age', 'Exceptions', 'Amount', 'Amount (exact)', 'Currency', 'In base currency', 'In base (exact)', 'Base currency', 'SLA missed', 'Oldest (days)', 'Median (days)']
('(all)', 'all', 4, 5, '5.00', None, 1311487.22, '1311487.22', 'EUR', 1, 51, 20)
('(all)', 'all', None, 1234567.89, '1234567.89', 'EUR', None, None, None, None, None, None)
('(all)', 'all', None, 12500000, '12500000', 'JPY', None, None, None, None, None, None)
('(all)', 'all', None, -1.25, '-1.250', 'KWD', None, None, None, None, None, None)
E
	check_same "-f xlsx read by openpyxl: sheets, types, formats, values" \
	    "$tmp/want" "$tmp/xl"
	# a sheet a queue, also grouped by more; names Excel takes: one
	# taken without case gets ~2, [ ] : * ? / \ ' become _, 25 chars
	age -g queue,exception -f xlsx -o "$tmp/c.xlsx" "$W"
	printf '%s\n' '{"id":"s1","queue":"summary","exception":"x"}' \
	    '{"id":"s2","queue":"a/b:c*d?e[f]g\\h'"'"'ijklmnopqrstuvwxyz","exception":"x"}' |
	    age -g queue -f xlsx -o "$tmp/d.xlsx"
	check_eq "-f xlsx: a sheet per queue whatever the groups; safe names" \
	    "Summary Worklist ap_triage purchasing|Summary Worklist a_b_c_d_e_f_g_h_ijklmnopq summary~2" \
	    "$("$PY" -c 'import sys, openpyxl
print("|".join(" ".join(openpyxl.load_workbook(f).sheetnames) for f in sys.argv[1:]))' \
	    "$tmp/c.xlsx" "$tmp/d.xlsx")"
	check_eq "-f xlsx: a queue's sheet holds its rows, its name decoded" \
	    "s2 a/b:c*d?e[f]g\\h'ijklmnopqrstuvwxyz|s1 summary" \
	    "$("$PY" -c 'import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print("|".join(" ".join(str(c.value) for c in wb.worksheets[i][2][-1:] + wb.worksheets[i][2][8:9]) for i in (2, 3)))' \
	    "$tmp/d.xlsx")"
fi

done_testing
