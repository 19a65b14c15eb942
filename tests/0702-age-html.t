#!/bin/sh
# fo-age -f html in a real browser: Debian's Chromium, headless, renders
# the report to a PNG, which must not be blank (text and the SVG chart
# put ink on many pixels, in many colours), and its DOM holds the
# worklist's rows; printed to PDF, it is A4 pages with ink on them. The
# page must need nothing from the network and hold no script. Skipped
# when chromium (or, for the print, pdftoppm: poppler-utils) is not
# installed; CI installs it.
. "$(dirname "$0")/lib.sh"

A=$TD/age
fo-age -q --as-of 2026-11-21 -g queue -f html "$A/records.ndjson" \
    >"$tmp/report.html"
check_eq "self-contained: no script, no remote URL" "" \
    "$(grep -io -e '<script' -e 'src="http' -e 'href="http' -e '@import' "$tmp/report.html")"
check "an inline SVG chart" grep -q '<svg' "$tmp/report.html"

if ! command -v chromium >/dev/null 2>&1; then
	ok "# SKIP chromium is not installed"
	done_testing
	exit
fi
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$tmp/profile" --window-size=1000,900 \
    --screenshot="$tmp/report.png" "file://$tmp/report.html" \
    >"$tmp/chromium.log" 2>&1
check "chromium rendered the report to a PNG" [ -s "$tmp/report.png" ]
set -- $(python3 "$(dirname "$0")/tools/png-ink.py" "$tmp/report.png" 2>/dev/null)
check_eq "the PNG is 1000 x 900" "1000 900" "${1:-} ${2:-}"
check "not blank: more than 5000 pixels inked (${3:-0})" [ "${3:-0}" -gt 5000 ]
check "not blank: more than 10 colours (${4:-0})" [ "${4:-0}" -gt 10 ]
# the worklist as the browser reads it: testdata/age/worklist.ndjson's
# three highest priorities, in order (w:1 40, w:3 35 due first, w:2 35)
fo-age -q --as-of 2026-11-21 -g queue -f html --top 3 "$A/worklist.ndjson" \
    >"$tmp/work.html"
CHROME="timeout 120 chromium --headless --no-sandbox --disable-gpu \
    --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync"
$CHROME --user-data-dir="$tmp/profile3" --dump-dom "file://$tmp/work.html" \
    >"$tmp/dom.html" 2>"$tmp/chromium.log"
check_eq "the browser's DOM: the worklist's rows, in priority order" \
    "INV-1 Q-3 PO-77" \
    "$(sed -n '/<table class="work">/,/<\/table>/p' "$tmp/dom.html" |
        grep -o '<td class="d">[A-Z][^<]*' | sed 's/.*>//' | grep -v '^P[0-9]' |
        paste -sd' ')"
check_eq "the browser's DOM: the missed SLA's row marked" "1" \
    "$(grep -c '<tr class="breach">' "$tmp/dom.html")"
if command -v pdftoppm >/dev/null 2>&1; then
	$CHROME --user-data-dir="$tmp/profile4" --no-pdf-header-footer \
	    --print-to-pdf="$tmp/report.pdf" "file://$tmp/report.html" \
	    >/dev/null 2>&1
	pdftoppm -png -r 50 -f 1 -l 1 "$tmp/report.pdf" "$tmp/a4" 2>/dev/null
	set -- $(python3 "$(dirname "$0")/tools/png-ink.py" "$tmp"/a4*.png 2>/dev/null)
	# A4, 210 x 297 mm (Chromium: 594.96 x 841.92 pt), at 50 dpi:
	# 413.2 x 584.7 pixels, which pdftoppm rounds up
	check_eq "printed: an A4 page (414 x 585 at 50 dpi)" "414 585" \
	    "${1:-} ${2:-}"
	check "printed: not blank (${3:-0} pixels inked)" [ "${3:-0}" -gt 2000 ]
else
	ok "# SKIP pdftoppm (poppler-utils) is not installed"
fi
# and a blank page would fail the same check
printf '<html><body></body></html>' >"$tmp/blank.html"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$tmp/profile2" --window-size=1000,900 \
    --screenshot="$tmp/blank.png" "file://$tmp/blank.html" >/dev/null 2>&1
set -- $(python3 "$(dirname "$0")/tools/png-ink.py" "$tmp/blank.png" 2>/dev/null)
check "the check tells a blank page (${3:-?} pixels inked)" [ "${3:-1}" -eq 0 ]

done_testing
