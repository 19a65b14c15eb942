#!/bin/sh
# fo-match, the return pass: a returned payment pairs with the payment it
# returns (opposite amount, same end-to-end id, IBAN or counterparty,
# dated no later), the invoice they name stays open; never a guess
# between two payments, never a payment made after the return.
# Inputs: testdata/match/ret-*.ndjson; verdicts worked out by hand.
. "$(dirname "$0")/lib.sh"

M=$TD/match
R=$FO_RULES/match.yaml

verdicts() {
	jq -r '[.id, .match_status, (.match_rule // "null"),
	    (.matched_ids | join(",")), (if has("exception") then
	    (.exception // "null") else "absent" end)] | @tsv' "$1"
}

run fo-match -r "$R" --against "$M/ret-items.ndjson" "$M/ret-lines.ndjson"
check_eq "exit 0" 0 "$rc"
verdicts "$tmp/out" >"$tmp/got"
printf '%s\t%s\t%s\t%s\t%s\n' \
    bank:r1 matched return bank:r2 null \
    bank:r2 matched return bank:r1 bank_rejection \
    bank:r3 unmatched null '' recon_break \
    bank:r4 unmatched null '' recon_break \
    bank:r5 unmatched null '' unapplied_cash \
    bank:r6 unmatched null '' unapplied_cash \
    bank:r7 unmatched null '' recon_break \
    ap:V-77 unmatched null '' absent >"$tmp/want"
check_same "a payment and its return pair; two payments it may return, or one after it, do not" \
    "$tmp/want" "$tmp/got"
check_eq "the return's reasons: what agreed, and the amounts that cancel out" \
    "return: bank:r2 returns bank:r1 (same end_to_end_id)
-400.00 EUR and 400.00 EUR cancel out: what bank:r1 paid is open again" \
    "$(jq -r 'select(.id == "bank:r2") | .match_reasons[]' "$tmp/out")"
check_eq "one match_id on both, a difference of 0.00" "1 0.00" \
    "$(jq -r 'select(.id == "bank:r1" or .id == "bank:r2") | .match_id' \
        "$tmp/out" | sort -u | wc -l | tr -d ' ') $(sed -n 2p "$tmp/out" |
        sed 's/.*"match_difference":\([^,]*\),.*/\1/')"
check_eq "the summary: both sides of the return matched" \
    "fo-match: 7 lines, 2 matched (28.6%), 0 suggested, 0 ambiguous, 5 unmatched; 1 items, 0 settled" \
    "$(cat "$tmp/err")"

# fo-classify agrees: the return is a bank rejection, AC04 (closed
# account) a bank-data reason for the vendor master; the payment itself
# is no exception
fo-classify -q "$tmp/out" >"$tmp/cls"
check_eq "fo-classify keeps the return's bank_rejection and the payment's null" \
    "bank:r1 null treasury
bank:r2 bank_rejection vendor_master" \
    "$(jq -r 'select(.id == "bank:r1" or .id == "bank:r2") | "\(.id) \(.exception) \(.domain)"' "$tmp/cls")"

# a rules file: a return pass needs its when
printf 'passes:\n  - id: r\n    key: return\n' >"$tmp/bad.yaml"
run fo-match -r "$tmp/bad.yaml" "$M/ret-lines.ndjson"
check_eq "key return without when: exit 2 and the position" \
    "2 fo-match: $tmp/bad.yaml:3:10: key return needs when: the condition that tells a return (a reason code, the word RETURN)" \
    "$rc $(cat "$tmp/err")"

done_testing
