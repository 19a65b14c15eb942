#!/bin/sh
# The shipped policy (rules/classify.yaml) on records of every class and
# every mapped source code (testdata/classify), and on what the shipped
# ingest profiles make of their fixtures.
. "$(dirname "$0")/lib.sh"

C=$TD/classify
run fo-classify "$C/records.ndjson"
check_eq "every record classified" \
    "0 fo-classify: 159 rows, 159 records, 0 rejected" \
    "$rc $(cat "$tmp/err")"
# the verdicts written down by hand, compared through jq on both sides
jq -cS . "$C/records.expect" >"$tmp/want"
jq -cS --slurpfile w "$C/records.expect" '. as $r |
    ($w[] | select(.id == $r.id)) as $e | {id, exception, exceptions,
    domain, sensitivity} + (if $e.confidence then {confidence} else {} end)' \
    "$tmp/out" >"$tmp/got"
check_same "verdicts as written down by hand" "$tmp/want" "$tmp/got"
check_same "the whole output, reasons included (regression)" \
    "$C/records.out" "$tmp/out"
check_eq "the design's reason, word for word" \
    "price_variance: inv_price 12.40 > po_price 11.00 (+12.7%, tolerance 2%)" \
    "$(jq -r '.reasons[] | select(startswith("price_variance: inv_price 12.40"))' "$tmp/out" | head -n 1)"
check_eq "every class of the taxonomy is reachable" \
    "amount_limit approval_missing bank_rejection blocked_vendor coding_error date_variance duplicate_suspect funds_check fx_missing manual_hold missing_po missing_receipt other price_variance quantity_variance recon_break short_payment tax_mismatch unapplied_cash vendor_master_mismatch" \
    "$(jq -r '.exceptions[]' "$tmp/out" | sort -u | paste -sd' ')"
check_eq "class none: accepted payments and released holds are no exceptions" \
    "null" "$(jq -c 'select(.status == "ACSC") | .exception' "$tmp/out" | sort -u)"

# idempotent on its own output
fo-classify -q "$tmp/out" >"$tmp/again"
check_same "classify(classify(x)) = classify(x)" "$tmp/out" "$tmp/again"

# the pipeline on every ingest fixture: no row is a duplicate of another
# row of its own document (SAP items, Oracle holds)
for f in "$TD"/ingest/*/*.csv "$TD"/ingest/*/*.txt; do
	fo-ingest -q "$f" 2>/dev/null
done >"$tmp/all"
run fo-classify "$tmp/all"
check_eq "pipeline: every ingested record classified" \
    "$(wc -l <"$tmp/all" | tr -d ' ')" "$(wc -l <"$tmp/out" | tr -d ' ')"
check_eq "pipeline: no duplicate within one document" "" \
    "$(jq -r '. as $r | select($r.duplicate_of and $r.doc_id and
    ($r.duplicate_of | startswith($r.doc_id))) | $r.id' "$tmp/out")"
check_eq "pipeline: two holds of one Oracle invoice are not duplicates" "0" \
    "$(jq -r 'select(.source == "oracle-ap-holds" and .duplicate_of)' "$tmp/out" | wc -l | tr -d ' ')"

done_testing
