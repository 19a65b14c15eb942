#!/bin/sh
# fo-ingest with the coupa-invoices profile: Coupa's invoice export, whose
# rows of several types (Header, Line, Charge, Tax Line, Failed Tolerance)
# become one record per invoice with its lines under extra.lines and its
# failed tolerances in hold_codes.
. "$(dirname "$0")/lib.sh"

export FO_RULES="${FO_RULES:-$(cd "$(dirname "$0")/../rules" && pwd)}"
G=$TD/ingest/coupa-invoices

# golden NAME STATUS [args...]: see ingest_golden in lib.sh
golden() { ingest_golden "$G" "$@"; }

golden invoices 0 invoices.csv
golden messy 1 messy.csv
# Coupa's standard flat file: a header row of its own for each row type
golden flatfile 0 flatfile.csv
golden flatfile-messy 1 flatfile-messy.csv

# detected without -p, and the same records with -p
cd "$G" && run fo-ingest invoices.csv && cd - >/dev/null
check_eq "detected by its header" \
    "fo-ingest: invoices.csv: profile coupa-invoices (detected), delimiter ',', encoding utf-8" \
    "$(head -n 1 "$tmp/err")"
cd "$G" && run fo-ingest -p coupa-invoices invoices.csv && cd - >/dev/null
check_same "-p coupa-invoices: same records" "$G/invoices.out" "$tmp/out"
check_eq "-p coupa-invoices: not '(detected)'" \
    "fo-ingest: invoices.csv: profile coupa-invoices, delimiter ',', encoding utf-8" \
    "$(head -n 1 "$tmp/err")"

# one record per Header row, keyed by Coupa's invoice id
check_eq "ids: the Coupa id of each Header row" \
    "coupa-invoices:10442 coupa-invoices:10447 coupa-invoices:10452 coupa-invoices:10398" \
    "$(jq -r .id "$G/invoices.out" | paste -sd' ' -)"
check_eq "source_line: the Header row's line" "2 9 14 17" \
    "$(jq -r .source_line "$G/invoices.out" | paste -sd' ' -)"

# two failed tolerances on one invoice, in file order; none on the others
check_eq "hold_codes from the Failed Tolerance rows" \
    '["Price Over PO","Quantity Over Received"] ["Receipt Required"] null null' \
    "$(jq -c .hold_codes "$G/invoices.out" | paste -sd' ' -)"

# every Line, Charge, Tax Line and Failed Tolerance row kept, in file order
check_eq "extra.lines: the merged rows' types" \
    'Line,Failed Tolerance,Line,Failed Tolerance,Line,Charge|Line,Tax Line,Failed Tolerance|Line,Line|Line' \
    "$(jq -r '[.extra.lines[].type] | join(",")' "$G/invoices.out" | paste -sd'|' -)"

# the first Line's PO data fills what the Header leaves empty
check_eq "PO data from the first line" \
    "4500012877/1 100@12.4|4500013002/1 40@106.25|4500013110/1 3@25000|4500012790/3 10@99" \
    "$(jq -r '"\(.po_number)/\(.po_line) \(.inv_qty)@\(.inv_price)"' "$G/invoices.out" | paste -sd'|' -)"
check_eq "quantities and prices as written, not as jq reads them" \
    '"inv_qty":100.0,"inv_price":12.40 "inv_qty":40.0,"inv_price":106.25 "inv_qty":3.0,"inv_price":25000.00 "inv_qty":10.0,"inv_price":99.00' \
    "$(grep -o '"inv_qty":[^,]*,"inv_price":[^,]*' "$G/invoices.out" | paste -sd' ' -)"

# money as text with the currency's minor units; dates as written
check_eq "amounts as written in the JSON text" \
    '"amount":5102.50 "amount":5057.50 "amount":125000 "amount":990.00' \
    "$(grep -o '"amount":[^,]*' "$G/invoices.out" | paste -sd' ' -)"
check_eq "created-at 2026-10-05T23:48:10-07:00: the date as written" \
    "2026-10-05" "$(jq -r 'select(.doc_number == "88213-A") | .posting_date' "$G/invoices.out")"

# a voided invoice is passed through with its status
check_eq "voided: kept, with its status" "INV-2026-0877 voided" \
    "$(jq -r 'select(.status == "voided") | "\(.doc_number) \(.status)"' "$G/invoices.out")"

# the lines of a rejected Header row are rejected, not given to the invoice
# before it
check_eq "messy: lines after a rejected Header are not merged elsewhere" \
    "4500013200" "$(jq -r 'select(.id == "coupa-invoices:10460") | [.extra.lines[]."po-number" // empty] | join(",")' "$G/messy.out")"

# Line Split rows are skipped and counted; the rest are merged
check_eq "messy: every row accounted for" \
    "fo-ingest: 14 rows, 2 records, 5 rejected, 5 merged, 2 skipped" \
    "$(tail -n 1 "$G/messy.err")"
check_eq "messy: Line Split rows not under extra.lines" "Line,Line,Tax Line" \
    "$(jq -r 'select(.id == "coupa-invoices:10463") | [.extra.lines[].type] | join(",")' "$G/messy.out")"

# the flat file: each row read by its own type's header row
check_eq "flatfile: PO data from the Line's own columns (order-line-num)" \
    "4500012877/1 100.0@12.40|4500013002/3 1.0@-100.00|4500013110/1 3.000000@25000.000000" \
    "$(grep -o '"po_number":"[^"]*","po_line":"[^"]*","inv_qty":[^,]*,"inv_price":[^,]*' \
    "$G/flatfile.out" | sed 's/"po_number":"\([^"]*\)","po_line":"\([^"]*\)","inv_qty":\(.*\),"inv_price":\(.*\)/\1\/\2 \3@\4/' |
    paste -sd'|' -)"
check_eq "flatfile: extra.lines keyed by each row's own header" \
    "invoice-line-id invoice-charge-id failable-id|invoice-line-id invoice-number|invoice-line-id" \
    "$(jq -r '[.extra.lines[] | keys_unsorted[2]] | join(" ")' "$G/flatfile.out" | paste -sd'|' -)"
check_eq "flatfile: a line's total is never the amount" \
    '"USD","amount":1325.00 "EUR","amount":-119.00 "JPY","amount":125000' \
    "$(grep -o '"[A-Z]\{3\}","amount":[^,]*' "$G/flatfile.out" | paste -sd' ' -)"
check_eq "flatfile: document-type Credit Note is a credit_memo; empty, an invoice" \
    "invoice credit_memo invoice" \
    "$(jq -r .doc_type "$G/flatfile.out" | paste -sd' ' -)"
check_eq "flatfile: Failed Tolerance code column gives hold_codes" \
    '["Price Over PO"]' "$(jq -c .hold_codes "$G/flatfile.out" | head -n 1)"
check_eq "flatfile: Line Split and Charge Split rows skipped, not under extra.lines" \
    "Line,Charge,Failed Tolerance|Line,Tax Line|Line" \
    "$(jq -r '[.extra.lines[].type] | join(",")' "$G/flatfile.out" | paste -sd'|' -)"
check_eq "flatfile-messy: a Line of another invoice is not merged" \
    "88101" "$(jq -r 'select(.id == "coupa-invoices:30001") | [.extra.lines[]."invoice-line-id"] | join(",")' "$G/flatfile-messy.out")"

# a Line's bad price, read by the Line's own header row: rejected at
# its cell (column 127, the 'O' at 131), and --explain counts it with
# the numbers, not by the Header's column of the same position
sed '9s/,12.40,100.0,/,12.4O,100.0,/' "$G/flatfile.csv" >"$tmp/badprice.csv"
cd "$tmp" && run fo-ingest --explain badprice.csv && cd - >/dev/null
check_eq "explain: a layout row's bad number is counted with the numbers" \
    "            rows that do not fit: 1; the first: line 9: inv_price '12.4O': currency mark 'O' is not an ISO 4217 code, nor a name or symbol of currencies.yaml|  line 9: rejected at column 131: inv_price '12.4O': currency mark 'O' is not an ISO 4217 code, nor a name or symbol of currencies.yaml" \
    "$(grep -e 'rows that do not fit' -e 'line 9: rejected' "$tmp/out" "$tmp/err" | sed 's/^[^:]*://' | paste -sd'|' -)"

# the profile's mistakes in layouts and parent, each with its position
cat >"$tmp/bad-layouts.yaml" <<'YAML'
profile: bad-layouts
detect:
  all: [type]
fields:
  doc_number: invoice-number
row_types:
  column: type
  record: Header
  fill: [Line, Charge]
  layouts:
    Line: invoice-line-id
    Approval: approval-id
    Charge: []
YAML
cat >"$tmp/bad-parent.yaml" <<'YAML'
profile: bad-parent
detect:
  all: [type]
fields:
  doc_number: invoice-number
row_types:
  column: type
  record: Header
  parent: invoice-id
YAML
cd "$tmp" && run fo-ingest -p ./bad-layouts.yaml /dev/null && cd - >/dev/null
check_eq "layouts: a type that no row type names, one without columns" \
    "2|fo-ingest: ./bad-layouts.yaml:12:5: row_types.layouts: 'Approval' is not a fill, hold_code or skip type|fo-ingest: ./bad-layouts.yaml:13:13: row_types.layouts: 'Charge' needs a column" \
    "$rc|$(paste -sd'|' "$tmp/err")"
cd "$tmp" && run fo-ingest -p ./bad-parent.yaml /dev/null && cd - >/dev/null
check_eq "parent without layouts" \
    "2|fo-ingest: ./bad-parent.yaml:9:11: row_types.parent needs layouts" \
    "$rc|$(paste -sd'|' "$tmp/err")"

# the same input gives the same bytes
cd "$G" && fo-ingest -q messy.csv >"$tmp/a" 2>/dev/null
fo-ingest -q messy.csv >"$tmp/b" 2>/dev/null
cd - >/dev/null
check_same "two runs, same bytes" "$tmp/a" "$tmp/b"

done_testing
