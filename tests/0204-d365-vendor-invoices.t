#!/bin/sh
# The shipped d365-vendor-invoices profile: Dynamics 365 Finance vendor
# invoice headers, UTF-8 with a byte order mark and CRLF, headers either
# the data entity's field names or the display labels of Open in Excel;
# month-first dates as en-US writes them, --dates DD/MM/YYYY for en-GB.
. "$(dirname "$0")/lib.sh"

G=$TD/ingest/d365-vendor-invoices

# golden NAME STATUS [args...]: see ingest_golden in lib.sh
golden() { ingest_golden "$G" "$@"; }

# Without -p: both header styles pick the profile.
golden open-in-excel-en-us 1 open-in-excel-en-us.csv
golden entity-export 1 entity-export.csv
check_eq "display labels: detected" \
    "fo-ingest: open-in-excel-en-us.csv: profile d365-vendor-invoices (detected), delimiter ',', encoding utf-8" \
    "$(head -n 1 "$G/open-in-excel-en-us.err")"
check_eq "entity field names: detected" \
    "fo-ingest: entity-export.csv: profile d365-vendor-invoices (detected), delimiter ',', encoding utf-8" \
    "$(head -n 1 "$G/entity-export.err")"

# -p names it: the same records, and no "(detected)".
cd "$G" && run fo-ingest -p d365-vendor-invoices open-in-excel-en-us.csv && cd - >/dev/null
check_same "-p d365-vendor-invoices: same records" "$G/open-in-excel-en-us.out" "$tmp/out"
check_eq "-p d365-vendor-invoices: says the profile" \
    "fo-ingest: open-in-excel-en-us.csv: profile d365-vendor-invoices, delimiter ',', encoding utf-8" \
    "$(head -n 1 "$tmp/err")"

# The byte order mark is not part of the first header: Legal entity (and
# HEADERREFERENCE) are found, so the key has its legal entity.
check_eq "BOM: the first column is mapped" "USMF USMF GBSI JPMF DEMF" \
    "$(jq -r .entity "$G/open-in-excel-en-us.out" | paste -sd' ')"
check_eq "BOM: the first column of the entity export kept under extra" \
    "APINV-000871" "$(jq -r '.extra.HEADERREFERENCE' "$G/entity-export.out" | head -n 1)"

# Field names and labels are synonyms: the same invoice, the same record.
check_eq "same invoice, same id and fields from either header style" \
    "$(jq -c 'del(.source_file, .extra)' "$G/open-in-excel-en-us.out" | head -n 2)" \
    "$(jq -c 'del(.source_file, .extra)' "$G/entity-export.out" | head -n 2)"
check_eq "ids: legal entity, vendor account, invoice number" \
    "d365-vendor-invoices:USMF:US-101:INV-10045 d365-vendor-invoices:USMF:US-104:CN-10046 d365-vendor-invoices:GBSI:GB-0012:UK-5521 d365-vendor-invoices:JPMF:JP-001:TK-0042 d365-vendor-invoices:DEMF:DE-001:2026-4471" \
    "$(jq -r .id "$G/open-in-excel-en-us.out" | paste -sd' ')"
check_eq "the invoice account stays under extra" "US-104-P" \
    "$(jq -r 'select(.doc_number == "CN-10046") | .extra."Invoice account"' "$G/open-in-excel-en-us.out")"

# Money exact in each currency's minor units; identifiers keep zeros.
check_eq "amounts" '12480.00 -250.00 3410.00 1250000 8920.40' \
    "$(grep -o '"amount":[^,]*' "$G/open-in-excel-en-us.out" | cut -d: -f2 | paste -sd' ')"
check_eq "KWD: 3 decimals kept, a 4th rejects" '1250.125 1' \
    "$(grep -o '"amount":[^,]*' "$G/entity-export.out" | cut -d: -f2 | sed -n 3p) $(grep -c "too many decimals: 4, at most 3" "$G/entity-export.err")"
check_eq "purchase order keeps its leading zeros" '"po_number":"00000123"' \
    "$(grep -o '"po_number":"[^"]*"' "$G/open-in-excel-en-us.out" | head -n 1)"

# en-US dates are month first.
check_eq "en-US: 10/2/2026 is 2 October" "2026-10-02 2026-11-01 2026-10-12" \
    "$(jq -r 'select(.doc_number == "INV-10045") | "\(.doc_date) \(.due_date) \(.discount_date)"' "$G/open-in-excel-en-us.out")"

# en-GB: the header is the same as en-US, so nothing tells the profile;
# --dates DD/MM/YYYY reads it, and gives the records of the en-US file.
golden open-in-excel-en-gb 1 --dates DD/MM/YYYY open-in-excel-en-gb.csv
sed 's/open-in-excel-en-gb/X/' "$G/open-in-excel-en-gb.out" >"$tmp/gb"
sed 's/open-in-excel-en-us/X/' "$G/open-in-excel-en-us.out" >"$tmp/us"
check_same "en-GB with --dates DD/MM/YYYY: the en-US records" "$tmp/us" "$tmp/gb"
check_eq "same header in en-GB and en-US" \
    "$(head -n 1 "$G/open-in-excel-en-us.csv")" "$(head -n 1 "$G/open-in-excel-en-gb.csv")"

# Without --dates an en-GB file is misread where the day is 12 or less
# and rejected where it is not: the flag is the analyst's to give.
cd "$G" && run fo-ingest open-in-excel-en-gb.csv && cd - >/dev/null
check_eq "en-GB without --dates: 02/10/2026 read as 10 February" \
    "2026-02-10" "$(jq -r .doc_date "$tmp/out" | head -n 1)"
check_eq "en-GB without --dates: days over 12 rejected" \
    "1 fo-ingest: 7 rows, 1 records, 6 rejected" "$rc $(tail -n 1 "$tmp/err")"

# Without the legal entity column (an Open in Excel view without it): no
# row is rejected for it. The ids fall back to the keys the header has,
# vendor account and invoice number, and one warning says so for the
# whole file; the invoice booked twice (once per legal entity, which the
# file no longer tells apart) gets :2. Two-digit years (10/6/26) and ISO
# dates are read beside the profile's MM/DD/YYYY; a three-digit year is
# rejected with its position. Written by hand from the sample: SOURCES.
golden no-company 1 no-company.csv
check_eq "no legal entity: one warning for seven rows" 1 \
    "$(grep -c 'not in the header' "$G/no-company.err")"
check_eq "no legal entity: ids of vendor and invoice, a repeat :2" \
    "d365-vendor-invoices:US-101:INV-20011 d365-vendor-invoices:US-104:INV-20012 d365-vendor-invoices:US-107:INV-20013 d365-vendor-invoices:US-102:INV-20011 d365-vendor-invoices:US-101:INV-20011:2" \
    "$(jq -r .id "$G/no-company.out" | paste -sd' ')"
cd "$G" && fo-ingest -q no-company.csv >"$tmp/a" 2>/dev/null
fo-ingest -q no-company.csv >"$tmp/b" 2>/dev/null; cd - >/dev/null
check_same "no legal entity: the same ids on the next night's run" "$tmp/a" "$tmp/b"
check_same "no legal entity: and what the golden says" "$G/no-company.out" "$tmp/a"

# A data management export with dataAreaId (the entity's key, lower
# case as D365 writes it) and ISO 8601 dates, with a time, Z or an
# offset: the date as written. An impossible date is rejected at its day.
golden dataareaid 1 dataareaid.csv
check_eq "dataAreaId is the legal entity" "usmf usmf usmf gbsi usmf" \
    "$(jq -r .entity "$G/dataareaid.out" | paste -sd' ')"
check_eq "ISO dates, with time and offset, and the profile's own" \
    "2026-10-02 2026-10-05 2026-10-06 2026-10-07 2026-10-08" \
    "$(jq -r .doc_date "$G/dataareaid.out" | paste -sd' ')"
check_eq "every record says it comes from a document list" "documents" \
    "$(jq -r .listing "$G/no-company.out" "$G/dataareaid.out" "$G/entity-export.out" | sort -u)"

done_testing
