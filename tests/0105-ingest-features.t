#!/bin/sh
# The profile keys real exports need (testdata/features): junk rows and
# context lines in an SAP list, debit/credit signs, SAP's scaled currency
# decimals, edge columns of '|' lists, detection through the profile's
# own delimiter, and row types gathered into one record per document.
. "$(dirname "$0")/lib.sh"

F=$TD/features
export FO_RULES="$F/rules"

# golden NAME FILE STATUS [args...]: see ingest_golden in lib.sh
golden() {
	_n=$1 _f=$2 _s=$3
	shift 3
	ingest_golden "$F" "$_n" "$_s" "$_f" "$@"
}

golden fbl fbl.txt 0
check_eq "context lines carry company and vendor into the rows" \
    "1000 4711 Müller GmbH|1000 4712 Straße AG" \
    "$(jq -r '"\(.entity) \(.vendor_id) \(.vendor_name)"' "$F/fbl.out" |
    sort -u | paste -sd'|')"
check_eq "sign H negates; stored decimals: 1,00 JPY is 100, 123,45 KWD 12.345" \
    '"amount":-1234.56 "amount":100 "amount":12.345 "amount":10.00' \
    "$(grep -o '"amount":[^,]*' "$F/fbl.out" | paste -sd' ')"

golden coupa coupa.csv 1
check_eq "row types: lines fill the header's empty fields" "PO-1 10" \
    "$(jq -r 'select(.doc_number == "INV-1") | "\(.po_number) \(.inv_qty)"' "$F/coupa.out")"
check_eq "row types: failed tolerances become hold codes" '["price","quantity"]' \
    "$(jq -c 'select(.doc_number == "INV-1") | .hold_codes' "$F/coupa.out")"
check_eq "fill_fields: a line's total never becomes the invoice amount" \
    "null PO-6 1" "$(jq -r 'select(.doc_number == "INV-4") | "\(.amount) \(.po_number) \(.inv_qty)"' "$F/coupa.out")"
check_eq "row types: every merged row kept whole under extra.lines" "4 1 1" \
    "$(jq -r '.extra.lines | length' "$F/coupa.out" | paste -sd' ')"

# -p with the same rules: no detection, same records
cd "$F" && run fo-ingest -q -p mixed coupa.csv && cd - >/dev/null
check_same "-p mixed: same records as detected" "$F/coupa.out" "$tmp/out"

# choices (the first header present), quote: none, values
mkdir -p "$tmp/rules/ingest"
cp "$F/rules/ingest/generic.yaml" "$tmp/rules/ingest/"
cat >"$tmp/rules/ingest/list.yaml" <<'YAML'
profile: list
detect:
  all: [[Belegnr, Document Number], Text]
delimiter: "|"
quote: none
trim_extra: true
numbers: "1,234.56"
dates: YYYY-MM-DD
fields:
  doc_number: [Belegnr, Document Number]
  doc_type: [Art, Type]
  amount: Amount
  currency: Curr
values:
  doc_type: {RE: invoice, KG: credit_memo, Credit Memo: credit_memo}
keys: [[Belegnr, Document Number]]
YAML
printf '|Document Number|Type       |Amount |Curr|Text            |\n|5100000001     |RE         |10.00  |EUR |Pallets 48"x40" |\n|5100000002     |credit memo|-5.00  |EUR |"quoted" as is  |\n|5100000003     |ZZ         |1.00   |EUR |                |\n' >"$tmp/list.txt"
FO_RULES=$tmp/rules run fo-ingest "$tmp/list.txt"
check_eq "a choice in detect and keys; quote: none keeps quotes; trim_extra" \
    'list:5100000001 Pallets 48"x40"|list:5100000002 "quoted" as is|list:5100000003 ' \
    "$(jq -r '"\(.id) \(.extra.Text)"' "$tmp/out" | paste -sd'|')"
check_eq "values map the export's words to fo's, folded; others as written" \
    "invoice credit_memo ZZ" "$(jq -r .doc_type "$tmp/out" | paste -sd' ')"
check_eq "the choice is detected" \
    "fo-ingest: $tmp/list.txt: profile list (detected), delimiter '|', encoding utf-8" \
    "$(head -n 1 "$tmp/err")"

# every mistake in the new keys, with its position
cp "$F/broken-new.yaml" "$tmp/broken-new.yaml"
cd "$tmp" && run fo-ingest -p ./broken-new.yaml /dev/null && cd - >/dev/null
sed 's#\./##' "$tmp/err" >"$tmp/err2"
check_eq "broken new keys: exit 2" 2 "$rc"
check_same "broken new keys: every error with FILE:LINE:COL" \
    "$F/broken-new.err" "$tmp/err2"

done_testing
