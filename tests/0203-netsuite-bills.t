#!/bin/sh
# The shipped netsuite-bills profile: a vendor bills saved search with
# field labels, M/D/YYYY dates, $1,234.56 and ($250.00), Parent : Child
# subsidiaries, the trailing Total: row skipped and counted; amount is the
# bill's own currency (Amount (Foreign Currency)), Amount stays in extra;
# then the variants real searches take (SOURCES).
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

# The variants analysts export (SOURCES says what each is shaped on).

# Currencies by name (US Dollar, Japanese Yen, Swiss Franc, British pound),
# amounts with their symbols ($, ¥, CHF, £, A$, -$250.00, $-75.00), the
# Internal ID three times over, Total in the first column: a symbol that
# is not the Currency column's is rejected where it stands, '$' is CAD's
# too, an unknown name is quoted.
golden names-symbols 1 names-symbols.csv
check_eq "vendor_id from the name's entity id, for duplicates" \
    "52101:V3001 52111:null" \
    "$(jq -r 'select(.vendor_name | test("Summit")) | "\(.extra."Internal ID"):\(.vendor_id)"' \
    "$G/names-symbols.out" | paste -sd' ')"

# The default transaction search: no Internal ID (ids fall back to the
# vendor and Document Number, with a warning; a bill without a Document
# Number is refused), no Currency, Amount with '$', the Total in the Memo
# column after seven empty ones. '$' alone says no currency: every row is
# refused until --currency says which dollar.
golden default-search 1 --currency USD default-search.csv
cd "$G" && run fo-ingest --rejects "$tmp/rej" default-search.csv && cd - >/dev/null
check_eq "\$ without --currency: exit 1, no records, every row rejected" \
    "1 0 5" "$rc $(wc -l <"$tmp/out" | tr -d ' ') $(wc -l <"$tmp/rej" | tr -d ' ')"
check_eq "\$ without --currency: why, where" \
    "fo-ingest: default-search.csv:2:110: amount '\$12,480.00': currency mark '\$' is ambiguous (ARS, AUD, CAD, CLP, COP, HKD, MXN, NZD, SGD, TWD or USD): give the currency (--currency, or the profile's constants)" \
    "$(sed -n 3p "$tmp/err")"
run fo-ingest --currency usd "$G/default-search.csv"
check_eq "--currency wants an ISO code" \
    "2 fo-ingest: --currency usd: an ISO 4217 code such as USD (upper case)" \
    "$rc $(cat "$tmp/err")"

# A search with Amount (base currency) beside the bill's Currency: the
# amount keeps its own currency (the £ of a UK subsidiary), Currency
# stays under extra; a UK user's D/M/YYYY dates with --dates.
golden base-currency-en-gb 1 --dates DD/MM/YYYY base-currency-en-gb.csv
cd "$G" && run fo-ingest base-currency-en-gb.csv && cd - >/dev/null
check_eq "D/M/YYYY without --dates is refused, not misread" \
    "fo-ingest: base-currency-en-gb.csv:2:7: doc_date '20/10/2026': month 20" \
    "$(sed -n 2p "$tmp/err")"

# Totals in any column and of any kind are skipped; a vendor whose name
# begins with Total is not.
printf '%s\n' 'Name,Document Number,Currency,Amount (Foreign Currency)' \
    'Total Quality Supplies,TQ-1,USD,$5.00' \
    '"Total - V1042 Northwind Components",,,"$5.00"' \
    ',,Total:,$10.00' ',,,TOTAL' 'Totals Inc,TI-9,USD,$1.00' >"$tmp/tot.csv"
cd "$tmp" && run fo-ingest -p netsuite-bills tot.csv && cd - >/dev/null
check_eq "Total rows skipped, Total Quality and Totals Inc kept" \
    "0 Total Quality Supplies|Totals Inc|fo-ingest: 5 rows, 2 records, 0 rejected, 3 skipped" \
    "$rc $(jq -r .vendor_name "$tmp/out" | paste -sd'|')|$(tail -n 1 "$tmp/err")"

# Two marks of one amount say the currency together; two currencies are
# refused at the second.
printf '%s\n' 'Document Number,Name,Amount' 'A-1,V1001 Acme,$12.00 USD' \
    'A-2,V1001 Acme,$ CAD 5.00' 'A-3,V1001 Acme,€5.00 USD' >"$tmp/two.csv"
cd "$tmp" && run fo-ingest -p netsuite-bills two.csv && cd - >/dev/null
check_eq "\$12.00 USD and \$ CAD 5.00 need no --currency" \
    '1 "currency":"USD","amount":12.00 "currency":"CAD","amount":5.00' \
    "$rc $(grep -o '"currency":"[A-Z]*","amount":[^,}]*' "$tmp/out" | paste -sd' ')"
check_eq "€5.00 USD is refused at USD" \
    "fo-ingest: two.csv:4:24: amount '€5.00 USD': 'USD' is not EUR, the row's currency" \
    "$(sed -n 3p "$tmp/err")"

# values: maps currency too, before the table; extract's regex is checked.
mkdir -p "$tmp/rules/ingest"
cp "$FO_RULES/currencies.yaml" "$tmp/rules/"
sed 's/^values: .*/&\
  currency: {Dollar américain: USD}/' "$FO_RULES/ingest/netsuite-bills.yaml" \
    >"$tmp/rules/ingest/netsuite-bills.yaml"
printf '%s\n' 'Internal ID,Document Number,Name,Currency,Amount (Foreign Currency)' \
    '1,A-1,V1001 Acme,Dollar américain,$5.00' >"$tmp/fr.csv"
FO_RULES=$tmp/rules run fo-ingest -q -p netsuite-bills "$tmp/fr.csv"
check_eq "values: on currency" '0 "currency":"USD","amount":5.00' \
    "$rc $(grep -o '"currency":"[A-Z]*","amount":[^,}]*' "$tmp/out")"
sed 's/regex: .*}/regex: '"'"'^(V[0-9+ '"'"'}/' "$FO_RULES/ingest/netsuite-bills.yaml" \
    >"$tmp/rules/ingest/netsuite-bills.yaml"
FO_RULES=$tmp/rules run fo-ingest -q -p netsuite-bills "$tmp/fr.csv"
check_eq "a bad extract regex: exit 2, with its position" \
    "2 0 1" "$rc $(wc -c <"$tmp/out" | tr -d ' ') $(grep -c 'netsuite-bills.yaml:[0-9]*:[0-9]*: extract: bad regular expression' "$tmp/err")"
rm "$tmp/rules/currencies.yaml"
cp "$FO_RULES/ingest/netsuite-bills.yaml" "$tmp/rules/ingest/"
cd "$G" && FO_RULES=$tmp/rules run fo-ingest -q -p netsuite-bills names-symbols.csv && cd - >/dev/null
check_eq "without currencies.yaml: ISO codes only, names are rejected" \
    "1 0 fo-ingest: names-symbols.csv:2:86: currency 'US Dollar' is not an ISO 4217 code, nor a name or symbol of currencies.yaml" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ') $(head -n 1 "$tmp/err")"
# A profile's constant currency says which dollar, as --currency does.
cp "$FO_RULES/currencies.yaml" "$tmp/rules/"
{ cat "$FO_RULES/ingest/netsuite-bills.yaml"; echo 'constants: {currency: CAD}'; } \
    >"$tmp/rules/ingest/netsuite-bills.yaml"
FO_RULES=$tmp/rules run fo-ingest -q -p netsuite-bills "$G/default-search.csv"
check_eq "the profile's constant currency resolves \$" "1 CAD CAD CAD" \
    "$rc $(jq -r .currency "$tmp/out" | paste -sd' ')"
FO_RULES=$tmp/rules run fo-ingest -q -p netsuite-bills --currency USD \
    "$G/default-search.csv"
check_eq "--currency wins over the profile's constant" "1 USD USD USD" \
    "$rc $(jq -r .currency "$tmp/out" | paste -sd' ')"
# extract from a column no field takes: a PO number out of the Memo.
sed 's/^extract:$/&\
  po_number: {from: Memo, regex: "(^| )PO-?([0-9]+)", group: 2}/' \
    "$FO_RULES/ingest/netsuite-bills.yaml" >"$tmp/rules/ingest/netsuite-bills.yaml"
printf '%s\n' 'Internal ID,Document Number,Name,Memo,Currency,Amount (Foreign Currency)' \
    '1,A-1,V1001 Acme,Re PO-4471 pallets,USD,$5.00' \
    '2,A-2,V1001 Acme,no order,USD,$6.00' >"$tmp/po.csv"
FO_RULES=$tmp/rules run fo-ingest -q -p netsuite-bills "$tmp/po.csv"
check_eq "extract from a header, group 2; no match, no field" \
    '0 "4471" null' "$rc $(jq -c .po_number "$tmp/out" | paste -sd' ')"
# The answers are kept per text and per matched text (" PO-4471" in
# several memos): the same match at another place of another text.
printf '%s\n' 'Internal ID,Document Number,Name,Memo,Currency,Amount (Foreign Currency)' \
    '1,A-1,V1,Re PO-4471 pallets,USD,1' '2,A-2,V1,no order,USD,1' \
    '3,A-3,V1,PO-4471,USD,1' '4,A-4,V1,see PO-4471 again,USD,1' \
    '5,A-5,V1,x PO-4471,USD,1' '6,A-6,V1,Re PO-4471 pallets,USD,1' \
    '7,A-7,V1,PO-0099 and PO-1,USD,1' '8,A-8,V1,and PO-0099 x,USD,1' \
    '9,A-9,V1,Re: PO-0099 x,USD,1' '10,A-10,V1,PO-4471,USD,1' >"$tmp/po.csv"
FO_RULES=$tmp/rules run fo-ingest -q -p netsuite-bills "$tmp/po.csv"
check_eq "extract: a match seen in another text, at another place" \
    '0 "4471" null "4471" "4471" "4471" "4471" "0099" "0099" "0099" "4471"' \
    "$rc $(jq -c .po_number "$tmp/out" | paste -sd' ')"
rm "$tmp/rules/currencies.yaml"
cp "$FO_RULES/ingest/netsuite-bills.yaml" "$tmp/rules/ingest/"

printf '%s\n' 'Internal ID,Document Number,Name,Currency,Amount (Foreign Currency)' \
    '1,A-1,V1001 Acme,EUR,100.00 S' '2,A-2,V1001 Acme,EUR,€5.00' >"$tmp/sh.csv"
FO_RULES=$tmp/rules run fo-ingest -p netsuite-bills "$tmp/sh.csv"
check_eq "without the table: a sign alone is passed over, letters are not" \
    "1 1 fo-ingest: $tmp/sh.csv:2:29: amount '100.00 S': currency mark 'S' is not an ISO 4217 code, nor a name or symbol of currencies.yaml" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ') $(sed -n 2p "$tmp/err")"

done_testing
