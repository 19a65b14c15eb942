#!/bin/sh
# fo-match with the shipped passes (rules/match.yaml) on bank lines and
# open items written for the purpose (testdata/match): every cardinality,
# netting a credit memo, references with leading zeros and separators,
# tolerance exactly at and one cent past, ambiguity (two candidates, two
# lines for one item), currencies that never cross, a duplicate line, a
# refund, JPY and KWD, a discount, IBAN and name passes; rejects, the
# report, order independence, idempotence and a bad rules file.
. "$(dirname "$0")/lib.sh"

M=$TD/match
R=$FO_RULES/match.yaml

# verdicts FILE: id, status, rule, matched_ids, class, exception (absent:
# not written), then match_difference as written
verdicts() {
	jq -r '[.id, .match_status, (.match_rule // "null"),
	    (.matched_ids | join(",")), (.difference_class // "null"),
	    (if has("exception") then (.exception // "null") else "absent"
	    end)] | @tsv' "$1" >"$tmp/v1"
	sed 's/.*"match_difference":\([^,]*\),.*/\1/' "$1" >"$tmp/v2"
	paste "$tmp/v1" "$tmp/v2"
}

cd "$M" || exit 1
run fo-match -r "$R" --against items.ndjson --rejects "$tmp/rej" \
    --report "$tmp/report" lines.ndjson
cd - >/dev/null || exit 1
check_eq "exit 1: two lines rejected" 1 "$rc"
cp "$tmp/out" "$tmp/all"
verdicts "$tmp/all" >"$tmp/verdicts"
check_same "every record of both sides once, lines then items, each verdict" \
    "$M/verdicts.tsv" "$tmp/verdicts"
check_same "the rejects named, then the summary" "$M/lines.err" "$tmp/err"
check_eq "the rejects file: line and reason of each" \
    "19 a record to match needs an amount
20 a record to match needs a currency" \
    "$(jq -r '"\(.line) \(.error)"' "$tmp/rej")"
check_same "the report: per pass, then exact totals per side, status and currency" \
    "$M/report.ndjson" "$tmp/report"
check_eq "records in = records out + rejected" "38 36 2" \
    "$(cat "$M/items.ndjson" "$M/lines.ndjson" | wc -l | tr -d ' ') $(wc -l <"$tmp/all" | tr -d ' ') $(wc -l <"$tmp/rej" | tr -d ' ')"

# match_id: one per match, on all its members, and only on matches
check_eq "one match_id per match, shared by its members (bank:2, ap:INV-2, ap:CM-7)" \
    "1 3" "$(jq -r 'select(.id == "bank:2" or .id == "ap:INV-2" or
        .id == "ap:CM-7") | .match_id' "$tmp/all" | sort -u | wc -l |
        tr -d ' ') $(jq -r --arg m "$(jq -r 'select(.id == "bank:2") |
        .match_id' "$tmp/all")" 'select(.match_id == $m) | .id' "$tmp/all" |
        wc -l | tr -d ' ')"
check_eq "12 lines matched or suggested: 12 match_ids, 16 hex digits, each on its items too" \
    "12 12 12" \
    "$(jq -r 'select((.id | startswith("bank:")) and .match_id) | .match_id' \
        "$tmp/all" | grep -E '^[0-9a-f]{16}$' | sort -u | wc -l | tr -d ' ') $(
        jq -r 'select((.id | startswith("ap:")) and .match_id) | .match_id' \
        "$tmp/all" | sort -u | wc -l | tr -d ' ') $(jq -r 'select(.match_id) |
        .match_id' "$tmp/all" | sort | uniq -c | awk '$1 >= 2' | wc -l |
        tr -d ' ')"
check_eq "unmatched, ambiguous and duplicate records have no match_id" "0" \
    "$(jq -r 'select((.match_status == "unmatched" or
        .match_status == "ambiguous" or .match_status == "duplicate") and
        .match_id != null) | .id' "$tmp/all" | wc -l | tr -d ' ')"

# reasons say which keys agreed, the amounts and the difference
reason() {
	jq -r --arg id "$1" --argjson k "$2" 'select(.id == $id and
	    .match_status != "duplicate") | .match_reasons[$k]' "$tmp/all"
}
check_eq "tolerance exactly at: matched, a fee" \
    "paid 995.00 EUR, settled 1000.00 EUR: difference -5.00 EUR within (tolerance 5.00 EUR): fee" \
    "$(reason bank:4 1)"
check_eq "one cent past: only suggested, a short payment" \
    "paid 994.99 EUR, settled 1000.00 EUR: difference -5.01 EUR beyond (tolerance 5.00 EUR): short_payment" \
    "$(reason bank:5 1)"
check_eq "leading zeros: 0004711 is found as 4711" \
    "reference: doc_number 0004711 (4711) of ap:INV-4 in the text 'RE 4711'" \
    "$(reason bank:3 0)"
check_eq "separators: T-100 is found in 'T 100' (two tokens together)" \
    "reference: doc_number T-100 (T100) of ap:INV-5 in the text 'T 100'" \
    "$(reason bank:4 0)"
check_eq "netting: -800.00 settles 1000.00 and the credit memo -200.00" \
    "paid 800.00 EUR, settled 800.00 EUR (-200.00 + 1000.00): no difference" \
    "$(reason bank:2 2)"
check_eq "a discount the terms grant is no short payment" \
    "paid 980.00 EUR, settled 1000.00 EUR: difference -20.00 EUR, the early-payment discount of 20.00 EUR the terms grant: discount" \
    "$(reason bank:16 1)"
check_eq "two items under one number: neither settled" \
    "reference: 2 candidates it cannot tell apart" "$(reason bank:6 0)"
check_eq "two lines for one item: both ambiguous" \
    "reference: another line claims the same item in this pass" \
    "$(reason bank:8 0)"
check_eq "the duplicate line names the first" \
    "id bank:1 already seen at lines.ndjson:1" \
    "$(jq -r 'select(.match_status == "duplicate") | .match_reasons[0]' "$tmp/all")"
check_eq "an item's own exception stays when it is merely open" \
    "price_variance" \
    "$(jq -r 'select(.id == "ap:INV-16") | .exception' "$tmp/all")"

# the keys set in place, the others appended: byte for byte
cd "$M" || exit 1
run fo-match -q -r "$R" --against net-items.ndjson net-lines.ndjson
cd - >/dev/null || exit 1
sed 's/"match_id":"[0-9a-f]\{16\}"/"match_id":"M"/' "$tmp/out" >"$tmp/net"
check_same "netting, whole records: keys present replaced in place" \
    "$M/net.out" "$tmp/net"
check_eq "-q: nothing on stderr, exit 0" "0 " "$rc $(cat "$tmp/err")"

# order independence: the same inputs shuffled give the same verdicts
grep -v -e '"source_line":30' -e 'bank:bad' "$M/lines.ndjson" >"$tmp/l"
run fo-match -q -r "$R" --against "$M/items.ndjson" "$tmp/l"
sort "$tmp/out" >"$tmp/base"
for seed in 1 2 3; do
	awk -v s=$seed 'BEGIN { srand(s) } { print rand() "\t" $0 }' "$tmp/l" |
	    sort | cut -f2- >"$tmp/ls"
	awk -v s=$seed 'BEGIN { srand(s + 7) } { print rand() "\t" $0 }' \
	    "$M/items.ndjson" | sort | cut -f2- >"$tmp/is"
	check "shuffle $seed: the inputs are in another order" \
	    sh -c "! cmp -s '$tmp/l' '$tmp/ls' || ! cmp -s '$M/items.ndjson' '$tmp/is'"
	run fo-match -q -r "$R" --against "$tmp/is" "$tmp/ls"
	sort "$tmp/out" >"$tmp/shuf"
	check_same "shuffle $seed: the same records, the same verdicts" \
	    "$tmp/base" "$tmp/shuf"
done

# rerunning on its own output changes nothing
mkdir "$tmp/again" && cd "$tmp/again" || exit 1
head -n 18 "$tmp/all" >lines.ndjson
tail -n +19 "$tmp/all" >items.ndjson
run fo-match -q -r "$R" --against items.ndjson lines.ndjson
cd - >/dev/null || exit 1
check_same "rerun on the output: the same bytes" "$tmp/all" "$tmp/out"

# --sign same: payment records written positive
printf '%s\n' '{"id":"pay:1","currency":"USD","amount":250.00,"remittance":"US-250"}' \
    >"$tmp/pay"
run fo-match -q -r "$R" --sign same --against "$M/items.ndjson" "$tmp/pay"
check_eq "--sign same: a positive payment settles a positive invoice" \
    "matched ap:INV-10" \
    "$(head -n 1 "$tmp/out" | jq -r '"\(.match_status) \(.matched_ids[0])"')"
run fo-match -q -r "$R" --against "$M/items.ndjson" "$tmp/pay"
check_eq "--sign opposite (the default): found by its reference, it would pay -250.00: only suggested" \
    "suggested -500.00 short_payment short_payment" \
    "$(head -n 1 "$tmp/out" | jq -r .match_status) $(head -n 1 "$tmp/out" |
        sed 's/.*"match_difference":\([^,]*\),.*/\1/') $(head -n 1 \
        "$tmp/out" | jq -r '"\(.difference_class) \(.exception)"')"
run fo-match -q -r "$R" --sign upside </dev/null
check_eq "--sign upside: exit 2, said" "2 fo-match: --sign 'upside': opposite or same" \
    "$rc $(cat "$tmp/err")"

# tolerance in basis points, exactly at and one cent past; a line
# ambiguous in one pass is settled by a later one; a repeated item
run fo-match -r "$M/bp.yaml" --against "$M/bp-items.ndjson" \
    "$M/bp-lines.ndjson"
verdicts "$tmp/out" >"$tmp/verdicts"
check_same "10 bp of 1000.00: -1.00 matched, -1.01 suggested; e2e ambiguous, then text; a duplicate item" \
    "$M/bp.tsv" "$tmp/verdicts"
check_eq "the summary counts the items, duplicates among them" \
    "fo-match: 3 lines, 2 matched (66.7%), 1 suggested, 0 ambiguous, 0 unmatched; 5 items, 2 settled" \
    "$(cat "$tmp/err")"

# a bank statement as fo-ingest reads it; an IBAN from the vendor master
fo-ingest -q "$TD/ingest/bank-csv/statement-en.csv" >"$tmp/stmt"
run fo-match -q -r "$R" --vendors "$M/stmt-vendors.csv" \
    --against "$M/stmt-items.ndjson" "$tmp/stmt"
verdicts "$tmp/out" >"$tmp/verdicts"
check_same "fo-ingest's bank lines: a payment and its return pair with each other, the invoice they name stays open; the IBAN of the vendor master" \
    "$M/stmt.tsv" "$tmp/verdicts"
check_eq "the reason says where the IBAN came from" \
    "iban_amount: iban GB33BUKB20201555555555 of ap:HM-2240 (vendor master), dates 2026-10-06 and 2026-10-05 within 7 days" \
    "$(jq -r 'select(.id == "ap:HM-2240") | .match_reasons[0]' "$tmp/out")"
run fo-match -q -r "$R" --against "$M/stmt-items.ndjson" "$tmp/stmt"
check_eq "without --vendors that line is unmatched" "unmatched recon_break" \
    "$(jq -r 'select(.id == "bank-csv:aba85f3cdf11ddff") |
        "\(.match_status) \(.exception)"' "$tmp/out")"

# when: a jq condition on the line scopes a pass
run fo-match -q -r "$M/when.yaml" --against "$M/items.ndjson" \
    "$M/when-lines.ndjson"
head -n 2 "$tmp/out" >"$tmp/w"
verdicts "$tmp/w" >"$tmp/verdicts"
check_same "when: the bank line by the first pass, the payment by the second" \
    "$M/when.tsv" "$tmp/verdicts"
run fo-match -r "$M/badwhen.yaml" </dev/null
check_eq "when: jq's refusal at its position, exit 2" \
    "2 fo-match: $M/badwhen.yaml:4:11: rule p: when: syntax error, unexpected ')'" \
    "$rc $(head -n 1 "$tmp/err")"

# reasons quote at most 80 bytes of the text, cut where a character
# begins (an é straddles byte 80 here), and stay UTF-8
x79=$(printf '%079d' 0 | tr 0 x)
printf '{"id":"u:1","currency":"EUR","amount":-10.00,"remittance":"%s\303\251 UTF-1"}\n' \
    "$x79" >"$tmp/ul"
printf '%s\n' '{"id":"u:i","doc_number":"UTF-1","currency":"EUR","amount":10.00}' \
    >"$tmp/ui"
run fo-match -q -r "$R" --against "$tmp/ui" "$tmp/ul"
check_eq "the text quoted up to the character that crosses 80 bytes" \
    "reference: doc_number UTF-1 (UTF1) of u:i in the text '$x79'" \
    "$(head -n 1 "$tmp/out" | jq -r '.match_reasons[0]')"

# an empty key never pairs, however equal
printf '%s\n' '{"id":"e:i","end_to_end_id":"","doc_number":"  ","currency":"EUR","amount":1.00}' \
    >"$tmp/ei"
printf '%s\n' '{"id":"e:l","end_to_end_id":" ","remittance":"","currency":"EUR","amount":-1.00}' \
    >"$tmp/el"
run fo-match -q -r "$R" --against "$tmp/ei" "$tmp/el"
check_eq "empty end_to_end_id and doc_number: both unmatched" \
    "unmatched unmatched" "$(jq -r .match_status "$tmp/out" | paste -sd' ')"

# what cannot be read is rejected at its position, and counted
printf '%s\n' '{"id":"x:1","currency":"EUR","amount":"12.00"}' \
    '{"id":"x:2","currency":"EUR","amount":12.345}' \
    '{"id":"x:3","currency":"EUR","amount":1.00,"value_date":"2026-13-01"}' \
    '{"id":"x:4","currency":"XXY","amount":1.00}' \
    '{"currency":"EUR","amount":1.00}' >"$tmp/bad"
run fo-match -r "$R" --rejects "$tmp/rej" "$tmp/bad"
check_eq "bad records: exit 1, nothing written, five rejects" "1 0 5" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ') $(wc -l <"$tmp/rej" | tr -d ' ')"
check_eq "each with FILE:LINE:COL and why" \
"fo-match: $tmp/bad:1:39: amount '12.00': not a number
fo-match: $tmp/bad:2:44: amount 12.345: too many decimals: 3, at most 2
fo-match: $tmp/bad:3:57: value_date '2026-13-01': not a date, YYYY-MM-DD
fo-match: $tmp/bad:4:24: currency 'XXY': not an ISO 4217 currency code
fo-match: $tmp/bad:5: a record to match needs an id" \
    "$(sed '$d' "$tmp/err")"

# system errors: exit 3, said, before any work
run fo-match -q -r "$R" --against "$tmp/none" /dev/null
check_eq "an --against file that is not there: exit 3" \
    "3 fo-match: $tmp/none: No such file or directory" "$rc $(cat "$tmp/err")"
run fo-match -q -r "$R" --report "$tmp/none/r" /dev/null
check_eq "a report that cannot be written: exit 3, nothing on stdout" \
    "3 0 fo-match: $tmp/none/r: No such file or directory" \
    "$rc $(wc -c <"$tmp/out" | tr -d ' ') $(cat "$tmp/err")"
run env TMPDIR="$tmp/none" fo-match -q -r "$R" /dev/null
check_eq "no room for the temporary files: exit 3" \
    "3 fo-match: $tmp/none: temporary file: No such file or directory" \
    "$rc $(cat "$tmp/err")"

# a bad rules file: every mistake at once, with its position, exit 2
cd "$M" || exit 1
run fo-match -r bad.yaml --against items.ndjson lines.ndjson
cd - >/dev/null || exit 1
check_eq "bad rules: exit 2, nothing written" "2 0" \
    "$rc $(wc -c <"$tmp/out" | tr -d ' ')"
check_same "bad rules: every mistake with FILE:LINE:COL" "$M/bad.err" "$tmp/err"

done_testing
