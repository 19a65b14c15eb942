#!/bin/sh
# The shipped netsuite-bills profile: a vendor bills saved search with
# field labels, M/D/YYYY dates, $1,234.56 and ($250.00), Parent : Child
# subsidiaries, the trailing Total: row skipped and counted; amount is the
# bill's own currency (Amount (Foreign Currency)), Amount stays in extra.
. "$(dirname "$0")/lib.sh"

G=$TD/ingest/netsuite-bills

# golden NAME STATUS [args...]: see ingest_golden in lib.sh
golden() { ingest_golden "$G" "$@"; }

# Without -p: the header signature picks the profile.
golden bills 1 bills.csv
check_eq "detected among the shipped profiles" \
    "fo-ingest: bills.csv: profile netsuite-bills (detected), delimiter ',', encoding utf-8" \
    "$(head -n 1 "$G/bills.err")"
check_eq "the Total: row is skipped and counted, not a record" \
    "fo-ingest: 11 rows, 9 records, 1 rejected, 1 skipped" "$(tail -n 1 "$G/bills.err")"
check_eq "no record from the Total: row" "" \
    "$(jq -r 'select(.extra."Internal ID" == "Total:") | .id' "$G/bills.out")"

# -p names it: the same records, and no "(detected)".
cd "$G" && run fo-ingest -p netsuite-bills bills.csv && cd - >/dev/null
check_same "-p netsuite-bills: same records" "$G/bills.out" "$tmp/out"
check_eq "-p netsuite-bills: says the profile" \
    "fo-ingest: bills.csv: profile netsuite-bills, delimiter ',', encoding utf-8" \
    "$(head -n 1 "$tmp/err")"

# The id is the Internal ID.
check_eq "ids" \
    "netsuite-bills:48211 netsuite-bills:48230 netsuite-bills:48244 netsuite-bills:48257 netsuite-bills:48263 netsuite-bills:48270 netsuite-bills:48281 netsuite-bills:48295 netsuite-bills:48302" \
    "$(jq -r .id "$G/bills.out" | paste -sd' ')"

# amount: Amount (Foreign Currency) in the Currency column's currency,
# exact; JPY without decimals, HUF without decimals as NetSuite writes it.
check_eq "amounts in the bill's currency" \
    '12480.00 USD|3100.00 USD|-250.00 USD|8920.40 EUR|3410.00 GBP|1250000 JPY|125000 HUF|415.00 USD|640.00 USD' \
    "$(grep -o '"currency":"[A-Z]*","amount":[^,]*' "$G/bills.out" | sed 's/"currency":"\([A-Z]*\)","amount":\(.*\)/\2 \1/' | paste -sd'|')"
check_eq "the base-currency Amount kept as written under extra" \
    '"amount":3410.00 "€3,955.60"' \
    "$(grep -o '"amount":[^,]*' "$G/bills.out" | sed -n 5p) $(jq -c 'select(.currency == "GBP") | .extra.Amount' "$G/bills.out")"

# Statuses and subsidiaries as written; dates M/D/YYYY.
check_eq "statuses as written" \
    "Bill:Open|Bill:Pending Approval|Bill Credit:Open|Bill:Open|Bill:Pending Approval|Bill:Open|Bill:Open|Bill:Pending Approval|Bill:Paid In Full" \
    "$(jq -r .status "$G/bills.out" | paste -sd'|')"
check_eq "Parent : Child subsidiary is the entity, as written" \
    "Honeycomb Holdings Inc. : Honeycomb Europe B.V." \
    "$(jq -r 'select(.id == "netsuite-bills:48257") | .entity' "$G/bills.out")"
check_eq "M/D/YYYY dates" "2026-10-05 2026-11-04" \
    "$(jq -r 'select(.id == "netsuite-bills:48211") | "\(.doc_date) \(.due_date)"' "$G/bills.out")"

# A bill without a vendor reference (Document Number) is still a record:
# the key is the Internal ID.
check_eq "no Document Number: a record without doc_number" "null 10" \
    "$(jq -r 'select(.id == "netsuite-bills:48295") | "\(.doc_number) \(.source_line)"' "$G/bills.out")"

done_testing
