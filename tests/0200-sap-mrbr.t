#!/bin/sh
# The shipped sap-mrbr profile: SAP blocked invoices extracted with the
# technical field names; UTF-8 BOM, CRLF, semicolons, 1.234,56- and
# YYYYMMDD (00000000 empty); X flags to hold codes; amounts stored with
# two decimals rescaled to JPY and KWD; exact records, rejects, messages.
. "$(dirname "$0")/lib.sh"

G=$TD/ingest/sap-mrbr

# golden NAME STATUS [args...]: see ingest_golden in lib.sh
golden() { ingest_golden "$G" "$@"; }

# Without -p: the header signature picks the profile.
golden clean 0 clean.csv
check_eq "clean: detected among the shipped profiles" \
    "fo-ingest: clean.csv: profile sap-mrbr (detected), delimiter ';', encoding utf-8" \
    "$(head -n 1 "$G/clean.err")"
golden messy 1 messy.csv
check_eq "messy: detected among the shipped profiles" \
    "fo-ingest: messy.csv: profile sap-mrbr (detected), delimiter ';', encoding utf-8" \
    "$(head -n 1 "$G/messy.err")"
check_eq "messy: blank line skipped; bad date, bad amount, cut row rejected" \
    "fo-ingest: 7 rows, 3 records, 3 rejected, 1 skipped" "$(tail -n 1 "$G/messy.err")"

# -p names it: the same records, and no "(detected)".
for f in clean messy; do
	cd "$G" && run fo-ingest -p sap-mrbr $f.csv && cd - >/dev/null
	check_same "-p sap-mrbr $f: same records" "$G/$f.out" "$tmp/out"
	check_eq "-p sap-mrbr $f: says the profile" \
	    "fo-ingest: $f.csv: profile sap-mrbr, delimiter ';', encoding utf-8" \
	    "$(head -n 1 "$tmp/err")"
done

# The id: company code, document number, fiscal year, invoice item.
check_eq "two items of one invoice: two ids" \
    "sap-mrbr:1000:5105600101:2026:000001|sap-mrbr:1000:5105600101:2026:000002" \
    "$(jq -r 'select(.extra.BELNR == "5105600101") | .id' "$G/clean.out" | paste -sd'|')"
check_eq "ids are unique" 8 "$(jq -r .id "$G/clean.out" | sort -u | wc -l | tr -d ' ')"

# Every X is a hold code named by its SAP field, in column order.
check_eq "hold codes: one, three, four flags" \
    'SPGRP|SPGRP,SPGRM,SPGRT|SPGRQ|SPGRP|SPGRT|SPGRC|SPGRP,SPGRM,SPGRG,SPGRS|SPGRV' \
    "$(jq -r '.hold_codes | join(",")' "$G/clean.out" | paste -sd'|')"
check_eq "flag columns stay out of extra" "" \
    "$(jq -r '.extra | keys[] | select(startswith("SPGR"))' "$G/clean.out")"
check_eq "DMENG and DWERT kept in extra as written" '50,000-|624,10' \
    "$(jq -r 'select(.id | endswith(":000002")) | .extra.DMENG + "|" + .extra.DWERT' "$G/clean.out")"

# Money as JSON text: stored two decimals moved to the currency's own,
# a trailing minus read, exact digits (jq would print doubles).
check_eq "amounts: EUR, trailing minus, JPY and KWD rescaled, USD" \
    '12450.00 3120.50 -1234.56 125000 123.456 890.00 98760.00 24980.00' \
    "$(grep -o '"amount":[^,]*' "$G/clean.out" | cut -d: -f2 | paste -sd' ')"
check_eq "MENGE keeps its three decimals" '1000.000 250.000 12.000 500.000' \
    "$(grep -o '"inv_qty":[^,]*' "$G/clean.out" | cut -d: -f2 | head -n 4 | paste -sd' ')"

# 00000000 is no date, and an empty ZLSPR no payment block: left out.
check_eq "ZFBDT 00000000 and empty ZLSPR left out" "null null" \
    "$(jq -r 'select(.extra.BELNR == "5105600140") | "\(.baseline_date) \(.payment_block)"' "$G/clean.out")"
check_eq "BUDAT 00000000 left out; XBLNR trimmed" "null RE-2026-09402" \
    "$(jq -r 'select(.extra.BELNR == "5105600204") | "\(.posting_date) \(.doc_number)"' "$G/messy.out")"

done_testing
