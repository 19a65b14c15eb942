#!/bin/sh
# fo-match | fo-classify | fo-score | fo-route: fo-classify keeps
# fo-match's verdict (a settled line is no unapplied cash, an ambiguous
# one is match_ambiguous for treasury), score and route know
# match_ambiguous. Inputs: testdata/match/pipe-*.ndjson; the verdicts
# below are worked out from them by hand.
. "$(dirname "$0")/lib.sh"

M=$TD/match
export FO_RULES

# id, exception, exceptions, domain, confidence, queue
fields() {
	jq -r '[.id, (.exception // "null"), (.exceptions | join(",")),
	    .domain, .confidence, (.queue // "null")] | @tsv' "$1"
}

# without fo-match the refund is unapplied cash by the text alone
run fo-classify "$M/pipe-lines.ndjson"
check_eq "before matching: the refund of bank:p1 is unapplied cash" \
    "unapplied_cash" "$(jq -r 'select(.id == "bank:p1") | .exception' "$tmp/out")"

fo-match -q --against "$M/pipe-items.ndjson" "$M/pipe-lines.ndjson" \
    >"$tmp/matched" 2>"$tmp/err1"
fo-classify -q "$tmp/matched" >"$tmp/classified" 2>>"$tmp/err1"
fo-score -q --as-of 2026-11-20 "$tmp/classified" >"$tmp/scored" 2>>"$tmp/err1"
run fo-route -q --as-of 2026-11-20 "$tmp/scored"
check_eq "the pipeline exits 0, nothing on stderr" "0 " "$rc $(cat "$tmp/err1" "$tmp/err")"
fields "$tmp/out" | grep -v -e '^ap:A-' -e '^ap:B-' -e '^ap:INV-' >"$tmp/got"
printf '%s\t%s\t%s\t%s\t%s\t%s\n' \
    bank:p1 null '' treasury 0.95 null \
    bank:p2 match_ambiguous match_ambiguous treasury 0.9 treasury_payments \
    bank:p3 unapplied_cash unapplied_cash accounting 0.9 treasury_payments \
    bank:p4 short_payment short_payment accounting 0.9 treasury_payments \
    ap:CM-901 null '' treasury 0.95 null >"$tmp/want"
check_same "each line keeps fo-match's exception; the settled credit memo too" \
    "$tmp/want" "$tmp/got"
check_eq "the settled refund's reason is fo-match's" \
    "match_settled: fo-match matched: reference: doc_number CM-0901 (CM0901) of ap:CM-901 in the text 'Refund CM-0901'; paid -150.00 EUR, settled -150.00 EUR: no difference" \
    "$(jq -r 'select(.id == "bank:p1") | .reasons[]' "$tmp/out")"
check_eq "the partial payment is not counted twice: no bank_partial_payment reason" \
    "match_short_payment" \
    "$(jq -r 'select(.id == "bank:p4") | .reasons[] | sub(":.*"; "")' "$tmp/out" |
        grep -v bank_payment_identified)"
check_eq "a settled record gets no score and no queue" "null null null" \
    "$(jq -r 'select(.id == "bank:p1") | "\(.priority) \(.queue) \(.sla_due)"' "$tmp/out")"
check_eq "match_ambiguous: class points 3 in the score" "3" \
    "$(jq -r 'select(.id == "bank:p2") | .priority_factors.class' "$tmp/out")"

# classified twice: the same bytes
fo-classify -q "$tmp/classified" >"$tmp/twice"
check_same "fo-classify on its own output keeps the verdicts" \
    "$tmp/classified" "$tmp/twice"

done_testing
