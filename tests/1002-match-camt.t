#!/bin/sh
# A camt.053 statement read by fo-ingest, its bank lines matched by
# fo-match against open items written for the purpose
# (testdata/match/camt/items.ndjson): the customer's credit names both
# its invoices in two Ustrd lines (reference pass, 1:n), the supplier
# payment carries the bill's end-to-end id. Expected by hand from the
# statement and the shipped passes (rules/match.yaml).
. "$(dirname "$0")/lib.sh"

export FO_RULES="${FO_RULES:-$(cd "$(dirname "$0")/../rules" && pwd)}"
I=$TD/match/camt/items.ndjson

cd "$TD/ingest/camt" || exit 1
run fo-ingest -q made-camt053-v08.xml
cd - >/dev/null || exit 1
check_eq "fo-ingest: 4 records, the bad entry rejected" "1 4" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ')"
# the statement records go in with their lines: fo-match checks their
# balances (fo-record.5, Statements and balance assertions)
cp "$tmp/out" "$tmp/lines"
run fo-match -r "$FO_RULES/match.yaml" --against "$I" "$tmp/lines"
check_eq "fo-match: exit 0" 0 "$rc"
check_eq "verdicts: line or item, status, rule, matched ids" \
    "camt:STM-2026-11-29:N1 matched reference ar:INV-2026-0042,ar:INV-2026-0043
camt:STM-2026-11-30:1 matched end_to_end ap:BILL-9001
ar:INV-2026-0042 matched reference camt:STM-2026-11-29:N1
ar:INV-2026-0043 matched reference camt:STM-2026-11-29:N1
ap:BILL-9001 matched end_to_end camt:STM-2026-11-30:1
ap:BILL-9002 unmatched null " \
    "$(jq -r 'select(.doc_type != "statement") | "\(.id) \(.match_status) \(.match_rule) \(.matched_ids | join(","))"' "$tmp/out")"
check_eq "no difference on either match" "0.00 0.00 0.00 0.00 0.00 null" \
    "$(grep -v '"doc_type":"statement"' "$tmp/out" | sed 's/.*"match_difference":\([^,]*\),.*/\1/' | paste -sd' ' -)"
check_eq "the lines keep what fo-ingest wrote, statement and account" \
    "camt:STM-2026-11-29 DE89370400440532013000|camt:STM-2026-11-30 DE89370400440532013000" \
    "$(jq -r 'select(.doc_type == "bank_line") | "\(.statement_id) \(.account)"' "$tmp/out" | paste -sd'|' -)"
check_eq "the summary" "fo-match: 2 lines, 2 matched (100.0%), 0 suggested, 0 ambiguous, 0 unmatched; 4 items, 3 settled; 2 statements, 0 breaks" \
    "$(tail -n 1 "$tmp/err")"

# the XML's balances: -250.00 + 4950.00 = 4700.00 (the entry of
# 12.345 EUR rejected by fo-ingest is not in the closing balance), and
# 4700.00 - 1189.50 = 3510.50, opening where the 29th closed
check_eq "the statements balance and follow each other" \
    "camt:STM-2026-11-29 balanced 0.00 null|camt:STM-2026-11-30 balanced 0.00 null" \
    "$(jq -r 'select(.doc_type == "statement") | "\(.id) \(.balance_status) \(.balance_difference) \(.exception)"' "$tmp/out" | sed 's/ 0 / 0.00 /' | paste -sd'|' -)"

done_testing
