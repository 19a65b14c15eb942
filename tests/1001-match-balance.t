#!/bin/sh
# fo-match, balance assertions: a statement record (doc_type statement)
# with opening_balance and closing_balance; its lines name it by
# statement_id. Opening + lines = closing, exactly, and per account the
# closing of one statement is the opening of the next (by closing_date,
# whatever the input order); a break is the statement's recon_break.
# Input: testdata/match/bal-lines.ndjson; verdicts worked out by hand.
. "$(dirname "$0")/lib.sh"

M=$TD/match
R=$FO_RULES/match.yaml

run fo-match -r "$R" "$M/bal-lines.ndjson"
check_eq "exit 0: a break is a verdict, not a rejected input" 0 "$rc"
jq -r 'select(.doc_type == "statement") | [.id, .balance_status,
    (.exception // "null"), (.balance_reasons | join(" | "))] | @tsv' \
    "$tmp/out" >"$tmp/got"
printf '%s\t%s\t%s\t%s\n' \
    stmt:3 break recon_break "opening 600.00 + 0 lines 0.00 = 600.00 EUR, closing 600.00 EUR: balanced | previous statement stmt:2 of account DE11 closed at 650.00, this one opens at 600.00: a gap" \
    stmt:1 balanced null "opening 1000.00 + 2 lines -300.00 = 700.00 EUR, closing 700.00 EUR: balanced" \
    stmt:2 break recon_break "opening 700.00 + 1 line -40.00 = 660.00 EUR, closing 650.00 EUR: difference 10.00 EUR | previous statement stmt:1 of account DE11 closed at 700.00, this one opens at it" \
    >"$tmp/want"
check_same "three statements: balanced; 10.00 missing; a gap after the one before" \
    "$tmp/want" "$tmp/got"
check_eq "balance_difference exact, with the currency's digits" \
    "0.00 0.00 10.00" \
    "$(grep '"doc_type":"statement"' "$tmp/out" |
        sed 's/.*"balance_difference":\([^,]*\),.*/\1/' | tr '\n' ' ' | sed 's/ $//')"
check_eq "a statement is no line to settle: no match keys on it" "0" \
    "$(jq -r 'select(.doc_type == "statement") | select(has("match_status"))' "$tmp/out" | wc -l | tr -d ' ')"
check_eq "the repeated line counts once; the summary counts statements and breaks" \
    "fo-match: 4 lines, 0 matched (0.0%), 0 suggested, 0 ambiguous, 3 unmatched, 1 duplicate; 0 items, 0 settled; 3 statements, 2 breaks" \
    "$(cat "$tmp/err")"

# the same records in another order: the same verdicts
sort -r "$M/bal-lines.ndjson" >"$tmp/rev"
fo-match -q -r "$R" "$tmp/rev" | jq -c 'select(.doc_type == "statement") |
    {id, balance_status, balance_reasons}' | sort >"$tmp/a"
jq -c 'select(.doc_type == "statement") | {id, balance_status,
    balance_reasons}' "$tmp/out" | sort >"$tmp/b"
check_same "input order changes nothing" "$tmp/b" "$tmp/a"

# fo-classify keeps it
fo-classify -q "$tmp/out" >"$tmp/cls"
check_eq "fo-classify: breaks are recon_break for treasury, the balanced one none" \
    "stmt:3 recon_break treasury
stmt:1 null treasury
stmt:2 recon_break treasury" \
    "$(jq -r 'select(.doc_type == "statement") | "\(.id) \(.exception) \(.domain)"' "$tmp/cls")"

# a statement without its balances is rejected with its position
echo '{"id":"stmt:9","doc_type":"statement","currency":"EUR","opening_balance":1.00}' >"$tmp/bad"
run fo-match -q -r "$R" "$tmp/bad"
check_eq "no closing_balance: exit 1, rejected" \
    "1 fo-match: $tmp/bad:1: a statement needs opening_balance and closing_balance" \
    "$rc $(cat "$tmp/err")"

done_testing
