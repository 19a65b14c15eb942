#!/bin/sh
# What fo-ingest keeps between rows, or leaves until needed, to save work
# must never change an answer: dates are kept by text and format (two
# columns read the same text two ways); an extract regex ^(R)L takes its
# group from the match less the literal L, where any other regex asks
# regexec for the group; currencies.yaml is read when a row first names
# a currency otherwise than by its code, and a mistake in it then stops
# the run (exit 2, no output file). Expected values are written by hand
# from the rows.
. "$(dirname "$0")/lib.sh"

cat >"$tmp/dm.yaml" <<'EOF2'
profile: dm
fields:
  doc_number: Invoice
  doc_date: Invoice Date
  due_date: Due Date
dates: DD/MM/YYYY
columns:
  Due Date: {dates: MM/DD/YYYY}
keys: [doc_number]
EOF2
cat >"$tmp/dm.csv" <<'EOF2'
Invoice,Invoice Date,Due Date
A,01/02/2026,01/02/2026
B,01/02/2026,01/02/2026
C,13/02/2026,02/13/2026
D,01/02/2026,13/02/2026
E,2026-02-01,01/02/2026
F,1/2/2026,01/02/2026
EOF2
run fo-ingest -q -p "$tmp/dm.yaml" "$tmp/dm.csv"
check_eq "the same date text in two formats, on every row" \
    "1|A 2026-02-01 2026-01-02|B 2026-02-01 2026-01-02|C 2026-02-13 2026-02-13|E 2026-02-01 2026-01-02|F 2026-02-01 2026-01-02" \
    "$rc|$(jq -r '"\(.doc_number) \(.doc_date) \(.due_date)"' "$tmp/out" | paste -sd'|' -)"
check_eq "a text read before in one format is still refused in the other" \
    "fo-ingest: $tmp/dm.csv:5:14: due_date '13/02/2026': month 13" \
    "$(cat "$tmp/err")"

cat >"$tmp/xt.yaml" <<'EOF2'
profile: xt
fields:
  doc_number: Invoice
  vendor_name: Name
extract:
  vendor_id: {from: vendor_name, regex: '^([A-Z]{1,4}-?[0-9]{3,}) - '}
  po_number: {from: vendor_name, regex: '(PO-[0-9]+)'}
  reference: {from: Memo, regex: '^([A-Z]+)-([0-9]+)$', group: 2}
keys: [doc_number]
EOF2
cat >"$tmp/x.csv" <<'EOF2'
Invoice,Name,Memo
1,V3001 - Summit Built Components,AB-123
2,V3001 - Summit Built Components,AB-123
3,Summit V3001 - Components,AB-12x
4,ABCD-12345 - Widgets PO-77 rush,X-9
5,V12 - Short,
6,V3001 -  Two spaces,CD-0042
7,ABCDE123 - Five letters,
8,V3001 Summit,
EOF2
run fo-ingest -q -p "$tmp/xt.yaml" "$tmp/x.csv"
check_eq "extract: literal tail, no tail, and a second group" \
    "0|1 V3001 - 123|2 V3001 - 123|3 - - -|4 ABCD-12345 PO-77 9|5 - - -|6 V3001 - 0042|7 - - -|8 - - -" \
    "$rc|$(jq -r '"\(.doc_number) \(.vendor_id // "-") \(.po_number // "-") \(.reference // "-")"' "$tmp/out" | paste -sd'|' -)"

# currencies.yaml: a table with a mistake, not needed, then needed
mkdir -p "$tmp/rules/ingest"
cp "$FO_RULES/ingest/generic.yaml" "$tmp/rules/ingest/"
printf 'currencies:\n  USD: {names: [US Dollar], symbols: [$]}\n  XYZ: {names: [Nothing]}\n' \
    >"$tmp/rules/currencies.yaml"
printf 'Invoice Number,Currency,Amount\nA1,EUR,10.00\nA2,usd,5.00\n' >"$tmp/iso.csv"
printf 'Invoice Number,Currency,Amount\nA1,EUR,10.00\nA2,US Dollar,5.00\nA3,EUR,1.00\n' \
    >"$tmp/names.csv"
FO_RULES=$tmp/rules run fo-ingest -q "$tmp/iso.csv"
check_eq "codes only: the table is not read, its mistake not met" \
    '0|"doc_number":"A1","currency":"EUR","amount":10.00|"doc_number":"A2","currency":"USD","amount":5.00|' \
    "$rc|$(grep -o '"doc_number.*' "$tmp/out" | tr -d '}' | paste -sd'|' -)|$(cat "$tmp/err")"
FO_RULES=$tmp/rules run fo-ingest -q -o "$tmp/names.out" "$tmp/names.csv"
check_eq "a name needs the table: its mistake, where the run stopped, exit 2" \
    "2|fo-ingest: $tmp/rules/currencies.yaml:3:3: 'XYZ' is not an ISO 4217 code fo knows (a minor unit)|fo-ingest: $tmp/names.csv:3: its currency needs currencies.yaml, which has mistakes: stopped" \
    "$rc|$(paste -sd'|' - <"$tmp/err")"
check "no output file after the stop" test ! -e "$tmp/names.out"
FO_RULES=$tmp/rules run fo-ingest "$tmp/names.csv"
check_eq "the summary counts the rows read before the stop" \
    "fo-ingest: 1 rows, 1 records, 0 rejected" "$(tail -n 1 "$tmp/err")"
printf 'currencies:\n  USD: {names: [US Dollar], symbols: [$]}\n' \
    >"$tmp/rules/currencies.yaml"
FO_RULES=$tmp/rules run fo-ingest -q "$tmp/names.csv" "$tmp/iso.csv"
check_eq "a good table, read at the first name, serves every file" \
    "0|A1 EUR|A2 USD|A3 EUR|A1 EUR|A2 USD" \
    "$rc|$(jq -r '"\(.doc_number) \(.currency)"' "$tmp/out" | paste -sd'|' -)"

done_testing
