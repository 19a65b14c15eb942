#!/bin/sh
# What fo-ingest keeps between rows to save work must never change an
# answer: dates are kept by text and format (two columns read the same
# text two ways), and an extract regex ^(R)L takes its group from the
# match less the literal L, where any other regex asks regexec for the
# group. Expected values are written by hand from the rows.
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

done_testing
