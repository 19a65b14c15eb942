#!/bin/sh
# Not every row is an exception: a record of a document list (listing:
# documents, fo-record(5)) with no sign of trouble gets "exception": null
# (rule document_without_exception, class none); a record of an exception
# list, one without listing, and a document that carries a sign no rule
# explains stay "other". Then the pipeline of an invoice register: its
# plain invoices go through fo-score, fo-route and fo-age untouched, and
# only what is wrong with it reaches a queue.
. "$(dirname "$0")/lib.sh"

D=$TD/classify-documents
G=$TD/ingest/d365-vendor-invoices
AS_OF=2026-11-21

run fo-classify "$D/records.ndjson"
check_eq "every record classified" \
    "0 fo-classify: 16 rows, 16 records, 0 rejected" "$rc $(cat "$tmp/err")"
jq -c '{id, exception, confidence}' "$tmp/out" >"$tmp/got"
check_same "verdicts as written down by hand" "$D/records.expect" "$tmp/got"
check_eq "a plain document: no classes, the rule and its fact as the reason" \
    '[] ["document_without_exception: document A-1 of a document list (t): no hold, block, reason code or troubled status, and no rule found an exception"] accounting low' \
    "$(jq -c 'select(.id == "t:plain") | .exceptions, .reasons' "$tmp/out" | paste -sd' ') $(jq -r 'select(.id == "t:plain") | "\(.domain) \(.sensitivity)"' "$tmp/out")"
check_eq "what an exception list lists stays other, and so does a record without listing" \
    '["other"] ["other"]' \
    "$(jq -c 'select(.id == "t:exception-list" or .id == "t:no-listing") | .exceptions' "$tmp/out" | paste -sd' ')"
fo-classify -q "$tmp/out" >"$tmp/again"
check_same "classify(classify(x)) = classify(x)" "$tmp/out" "$tmp/again"

# The register of no-company.csv: four plain invoices, and one booked
# twice (the same vendor and number, the :2 of an id without the legal
# entity), which the duplicate check flags.
fo-ingest -q "$G/no-company.csv" >"$tmp/in" 2>/dev/null
fo-classify -q "$tmp/in" >"$tmp/c"
fo-score -q --as-of $AS_OF --rates "$TD/demo-rates.csv" "$tmp/c" >"$tmp/s"
fo-route -q --as-of $AS_OF "$tmp/s" >"$tmp/r"
check_eq "register: four documents without an exception" \
    "d365-vendor-invoices:US-101:INV-20011 d365-vendor-invoices:US-104:INV-20012 d365-vendor-invoices:US-107:INV-20013 d365-vendor-invoices:US-102:INV-20011" \
    "$(jq -r 'select(.exception == null) | .id' "$tmp/r" | paste -sd' ')"
check_eq "register: the one queue entry is the invoice booked twice" \
    "d365-vendor-invoices:US-101:INV-20011:2 duplicate_suspect" \
    "$(jq -r 'select(.queue != null) | "\(.id) \(.exception)"' "$tmp/r")"
check_eq "register: nothing escalated but what is wrong" \
    "d365-vendor-invoices:US-101:INV-20011:2" \
    "$(jq -r 'select(.escalate == true or .priority != null) | .id' "$tmp/r" | sort -u)"
grep '"exception":null' "$tmp/c" >"$tmp/nullc"
grep '"exception":null' "$tmp/r" >"$tmp/nullr"
check_same "register: fo-score and fo-route pass a null exception through byte for byte" \
    "$tmp/nullc" "$tmp/nullr"
fo-age -q --as-of $AS_OF -a "$tmp/r" | grep '"exception":null' >"$tmp/nulla"
check_same "register: so does fo-age -a" "$tmp/nullc" "$tmp/nulla"
check_eq "register: the aging report counts one exception, skips four" \
    '1 4' "$(fo-age -q --as-of $AS_OF -f ndjson "$tmp/r" | head -n 1 | jq -r '"\(.records) \(.skipped)"')"

# A D365 export that says more: IsOnHold Yes and MatchStatus Failed are
# signs of trouble no rule explains, so those two stay other (and reach
# a queue); the rest are documents.
fo-ingest -q "$G/dataareaid.csv" 2>/dev/null | fo-classify -q >"$tmp/c"
check_eq "D365 IsOnHold and MatchStatus: other; the rest null" \
    "INV-30001 null|INV-30002 other|INV-30003 other|UK-7001 null|INV-30006 null" \
    "$(jq -r '"\(.doc_number) \(.exception)"' "$tmp/c" | paste -sd'|')"

done_testing
