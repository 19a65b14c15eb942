#!/bin/sh
# The nightly pipeline on every ingest fixture: fo-ingest | fo-classify |
# fo-score | fo-route. Every stage accounts for every line, every
# exception ends up with a priority and a queue, the factors sum to the
# priority, and the same input gives the same bytes whatever TZ and the
# locale, and again when the whole chain runs over its own output.
. "$(dirname "$0")/lib.sh"

AS_OF=2026-11-21
pipeline() {
	for f in "$TD"/ingest/*/*.csv "$TD"/ingest/*/*.txt; do
		fo-ingest -q "$f" 2>/dev/null
	done >"$tmp/ingested"
	fo-classify "$tmp/ingested" 2>"$tmp/e1" |
	    fo-score --as-of $AS_OF --rates "$TD/demo-rates.csv" 2>"$tmp/e2" |
	    fo-route --as-of $AS_OF 2>"$tmp/e3"
}

pipeline >"$tmp/tonight"
n=$(wc -l <"$tmp/ingested" | tr -d ' ')
check "some records to work on ($n)" [ "$n" -gt 80 ]
for s in 1 2 3; do
	# every tool: rows = records + rejected (+ skipped)
	tail -n 1 "$tmp/e$s" >"$tmp/sum"
	check "stage $s: rows = records + rejected + skipped ($(cat "$tmp/sum"))" \
	    awk '{ t = 0; for (i = 4; i < NF; i += 2) t += $i; exit !($2 == t) }' \
	    "$tmp/sum"
done
check_eq "nothing rejected on the way, every record out" "$n 0 0 0" \
    "$(wc -l <"$tmp/tonight" | tr -d ' ') $(tail -n 1 "$tmp/e1" | awk '{ print $6 }') $(tail -n 1 "$tmp/e2" | awk '{ print $6 }') $(tail -n 1 "$tmp/e3" | awk '{ print $6 }')"
check_eq "every exception has a priority, a band and a queue" "" \
    "$(jq -r 'select(.exception != null and (.priority == null or .priority_band == null or .queue == null)) | .id' "$tmp/tonight")"
check_eq "the factors sum to the priority, everywhere" "" \
    "$(jq -r 'select(.priority != null and ([.priority_factors[]] | add) != .priority) | .id' "$tmp/tonight")"
check_eq "no exception, no queue: passed through" "" \
    "$(jq -r 'select(.exception == null and .queue != null) | .id' "$tmp/tonight")"

TZ=Asia/Kolkata LC_ALL=C.UTF-8 pipeline >"$tmp/again"
check_same "the same bytes under another TZ and locale" "$tmp/tonight" "$tmp/again"

fo-classify -q "$tmp/tonight" | fo-score -q --as-of $AS_OF \
    --rates "$TD/demo-rates.csv" | fo-route -q --as-of $AS_OF >"$tmp/twice"
check_same "the chain over its own output gives the same bytes" \
    "$tmp/tonight" "$tmp/twice"

done_testing
