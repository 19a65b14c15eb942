#!/bin/sh
# fo-age -f html in a real browser: Debian's Chromium, headless, renders
# the report to a PNG, which must not be blank (text and the SVG chart
# put ink on many pixels, in many colours). The page must need nothing
# from the network and hold no script. Skipped when chromium is not
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
# and a blank page would fail the same check
printf '<html><body></body></html>' >"$tmp/blank.html"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$tmp/profile2" --window-size=1000,900 \
    --screenshot="$tmp/blank.png" "file://$tmp/blank.html" >/dev/null 2>&1
set -- $(python3 "$(dirname "$0")/tools/png-ink.py" "$tmp/blank.png" 2>/dev/null)
check "the check tells a blank page (${3:-?} pixels inked)" [ "${3:-1}" -eq 0 ]

done_testing
