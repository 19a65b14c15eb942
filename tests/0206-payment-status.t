#!/bin/sh
# fo-ingest with the payment-status profile: pain.002 status reports and
# ACH returns and notifications of change, flattened to CSV, read by one
# profile; accepted payments pass through with their status.
. "$(dirname "$0")/lib.sh"

export FO_RULES="${FO_RULES:-$(cd "$(dirname "$0")/../rules" && pwd)}"
G=$TD/ingest/payment-status

# golden NAME STATUS [args...]: see ingest_golden in lib.sh
golden() { ingest_golden "$G" "$@"; }

golden pain002 0 pain002.csv
golden ach-returns 0 ach-returns.csv
golden pain002-bad 1 pain002-bad.csv
golden pain002-dd 1 pain002-dd.csv

# what fo-match needs: who, which account, which payment, booked when
check_eq "direct debits: debtor, IBAN, end-to-end id, booking and value date" \
    "Kunde Beispiel AG|CH9300762011623852957|DD-2026-10-0001|2026-10-03|2026-10-01" \
    "$(jq -r 'select(.reason_code == "AM04") | "\(.counterparty)|\(.iban)|\(.end_to_end_id)|\(.posting_date)|\(.value_date)"' "$G/pain002-dd.out")"
check_eq "ACH: the return date is the booking date" "2026-10-06 2026-10-06 2026-10-07 2026-10-07 2026-10-08 2026-10-08" \
    "$(jq -r .posting_date "$G/ach-returns.out" | paste -sd' ' -)"

# both layouts detected without -p; -p gives the same records
for f in pain002 ach-returns; do
	cd "$G" && run fo-ingest $f.csv && cd - >/dev/null
	check_eq "$f: detected by its header" \
	    "fo-ingest: $f.csv: profile payment-status (detected), delimiter ',' (sniffed), encoding utf-8" \
	    "$(head -n 1 "$tmp/err")"
	cd "$G" && run fo-ingest -p payment-status $f.csv && cd - >/dev/null
	check_same "$f: -p payment-status, same records" "$G/$f.out" "$tmp/out"
done

# a Reason Code column alone does not make a payment status report
printf 'Invoice Number,Reason Code,Amount\nINV-1,PRICE,100.00\n' >"$tmp/holds.csv"
run fo-ingest "$tmp/holds.csv"
check_eq "Reason Code without an end-to-end id column: not payment-status" \
    "fo-ingest: $tmp/holds.csv: profile generic (no profile matched), delimiter ',' (sniffed), encoding utf-8" \
    "$(head -n 1 "$tmp/err")"

# the ISO 20022 codes, each kept as the bank wrote it
check_eq "pain.002: status and reason code of every row" \
    "RJCT/AC01 RJCT/AC04 RJCT/AM04 RJCT/AM05 RJCT/MS03 RJCT/NARR ACSC/- ACCP/- PART/-" \
    "$(jq -r '"\(.status)/\(.reason_code // "-")"' "$G/pain002.out" | paste -sd' ' -)"
check_eq "pain.002: accepted payments passed through" \
    "payment-status:E2E-2026-000877 ACSC|payment-status:E2E-2026-000878 ACCP" \
    "$(jq -r 'select(.status == "ACSC" or .status == "ACCP") | "\(.id) \(.status)"' "$G/pain002.out" | paste -sd'|' -)"
check_eq "pain.002: amounts with each currency's minor units" \
    '"amount":125000 "amount":1250.500' \
    "$(grep -o '"amount":[^,]*' "$G/pain002.out" | tail -n 2 | paste -sd' ' -)"
check_eq "pain.002: the reason text stays under extra" \
    "Beneficiary account under review, resubmit after 10.10." \
    "$(jq -r 'select(.reason_code == "NARR") | .extra["Additional Information"]' "$G/pain002.out")"

# ACH: US numbers and dates by the variant, US dollars by the constant
check_eq "ACH: returns and NOCs" \
    "Return/R01 Return/R02 Return/R03 Return/R24 NOC/C01 NOC/C02" \
    "$(jq -r '"\(.status)/\(.reason_code)"' "$G/ach-returns.out" | paste -sd' ' -)"
check_eq "ACH: 1,250.00 and 10/02/2026 read by the variant" \
    '"currency":"USD","amount":1250.00 2026-10-02' \
    "$(head -n 1 "$G/ach-returns.out" | grep -o '"currency":"USD","amount":[^,]*') $(head -n 1 "$G/ach-returns.out" | jq -r .value_date)"
check_eq "ACH: a NOC's corrected account number kept as text" \
    "00458812093" \
    "$(jq -r 'select(.reason_code == "C01") | .extra["Corrected Data"]' "$G/ach-returns.out")"

# the two layouts in one call: each file read with its own variant
cd "$G" && run fo-ingest -q pain002.csv ach-returns.csv && cd - >/dev/null
check_eq "two layouts in one call: every record" "0 15" "$rc $(wc -l <"$tmp/out" | tr -d ' ')"
check_eq "two layouts in one call: dates of both read" \
    "2026-10-02 2026-10-05" "$(jq -r .value_date "$tmp/out" | sort -u | paste -sd' ' -)"

done_testing
