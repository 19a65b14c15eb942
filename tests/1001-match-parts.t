#!/bin/sh
# fo-match, many:1: several lines that each pay part of one item, and
# name nothing else, settle it together (within the tolerance) or are
# suggested as a partial payment so far; parts that pay more than the
# item stay ambiguous. Inputs: testdata/match/parts-*.ndjson; verdicts
# worked out by hand.
. "$(dirname "$0")/lib.sh"

M=$TD/match
R=$FO_RULES/match.yaml

verdicts() {
	jq -r '[.id, .match_status, (.match_rule // "null"),
	    (.matched_ids | join(",")), (.difference_class // "null"),
	    (if has("exception") then (.exception // "null") else "absent"
	    end)] | @tsv' "$1" >"$tmp/v1"
	sed 's/.*"match_difference":\([^,]*\),.*/\1/' "$1" >"$tmp/v2"
	paste "$tmp/v1" "$tmp/v2"
}

run fo-match -r "$R" --against "$M/parts-items.ndjson" "$M/parts-lines.ndjson"
check_eq "exit 0" 0 "$rc"
verdicts "$tmp/out" >"$tmp/got"
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    bank:p1b matched reference ap:P-1 null null 0.00 \
    bank:p2a suggested reference ap:P-2 short_payment short_payment -400.00 \
    bank:p1a matched reference ap:P-1 null null 0.00 \
    bank:p2b suggested reference ap:P-2 short_payment short_payment -400.00 \
    bank:p3a ambiguous reference ap:P-3 null match_ambiguous null \
    bank:p3b ambiguous reference ap:P-3 null match_ambiguous null \
    ap:P-1 matched reference bank:p1a,bank:p1b null null 0.00 \
    ap:P-2 suggested reference bank:p2a,bank:p2b short_payment absent -400.00 \
    ap:P-3 ambiguous null bank:p3a,bank:p3b null absent null >"$tmp/want"
check_same "two parts settle P-1; two of P-2 are short so far; two full payments of P-3 stay ambiguous" \
    "$tmp/want" "$tmp/got"
check_eq "the reasons: each line and its text, then the parts summed" \
    "reference: doc_number P-1001 (P1001) of ap:P-1 in the text 'RE P-1001 part 1', paid by bank:p1a
reference: doc_number P-1001 (P1001) of ap:P-1 in the text 'RE P-1001 part 2', paid by bank:p1b
paid 1000.00 EUR (600.00 + 400.00), settled 1000.00 EUR: no difference" \
    "$(jq -r 'select(.id == "ap:P-1") | .match_reasons[]' "$tmp/out")"
check_eq "one match_id on the three members of P-1" "1 3" \
    "$(jq -r 'select(.id == "ap:P-1" or .id == "bank:p1a" or .id == "bank:p1b") |
        .match_id' "$tmp/out" | sort -u | wc -l | tr -d ' ') $(jq -r --arg m \
        "$(jq -r 'select(.id == "ap:P-1") | .match_id' "$tmp/out")" \
        'select(.match_id == $m) | .id' "$tmp/out" | wc -l | tr -d ' ')"
check_eq "the summary counts each part" \
    "fo-match: 6 lines, 2 matched (33.3%), 2 suggested, 2 ambiguous, 0 unmatched; 3 items, 1 settled" \
    "$(cat "$tmp/err")"

done_testing
