#!/bin/sh
# The shipped sap-mrbr profile: SAP blocked invoices extracted with the
# technical field names; UTF-8 BOM, CRLF, semicolons, 1.234,56- and
# YYYYMMDD (00000000 empty); X flags to hold codes; amounts in SAP's
# stored form or as displayed, decided per file and held to; exact
# records, rejects, messages.
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

# The form of the amounts, per file (amount_form: auto). Two decimals in
# JPY or KWD is SAP's stored form, the currency's own decimals the form
# an ALV list or SE16 display shows; the first row that tells decides.
golden displayed 0 displayed.csv
golden stored 0 stored.csv
golden nomark 0 nomark.csv
golden mixed 1 mixed.csv
amounts() { grep -o '"amount":[^,]*' "$G/$1.out" | cut -d: -f2 | paste -sd' '; }
check_eq "displayed: 125.000 JPY, 1.250,125 KWD, 98000 JPY as written" \
    '4980.00 125000 1250.125 98000 -0.500' "$(amounts displayed)"
check_eq "stored: 3.400,00 JPY is 340000, 512,34 KWD 51.234, 1,00 JPY 100" \
    '340000 51.234 -1234.56 100' "$(amounts stored)"
check_eq "no decimal mark: never scaled, and it decides nothing" \
    '125000 -7500 310.00|2' "$(amounts nomark)|$(wc -l <"$G/nomark.err" | tr -d ' ')"
check_eq "mixed: the stored file keeps its stored and unmarked rows" \
    '2016.00 340000 51.234 125000' "$(amounts mixed)"
check_eq "mixed: each row in the other form refused at its amount" \
    '4:71 7:71 8:71' "$(jq -r '"\(.line):\(.col)"' "$G/mixed.rej" | paste -sd' ')"

# A row rejected for a later field decides nothing: the next one does.
{
	head -n 1 "$G/clean.csv"
	printf '2000;5105600701;2026;000001;0000300150;INV-1;20261101;20261102;ZB30;20261101;4500020019;00010;5,0x0;1,00;JPY;0,000;0,00;R;X;;;;;;;\r\n'
	printf '3000;5105600702;2026;000001;0000400021;KW-1;20261101;20261102;ZB14;20261101;4500031002;00010;1,000;1.250,125;KWD;0,000;0,00;R;X;;;;;;;\r\n'
} >"$tmp/undo.csv"
run fo-ingest "$tmp/undo.csv"
check_eq "a rejected row does not decide the form" \
    "fo-ingest: $tmp/undo.csv:2:98: inv_qty '5,0x0': bad character 'x'|fo-ingest: $tmp/undo.csv: amounts in WRBTR are as displayed, in each currency's decimals, from line 3: 1.250,125 KWD|1250.125" \
    "$(sed -n '2,3p' "$tmp/err" | paste -sd'|')|$(jq -r .amount "$tmp/out")"
run fo-ingest -q "$tmp/undo.csv"
check_eq "-q: the form is not said" "fo-ingest: $tmp/undo.csv:2:98: inv_qty '5,0x0': bad character 'x'" "$(cat "$tmp/err")"

# A site profile that names the form refuses the other one, and says
# nothing on stderr when it is met.
mkdir -p "$tmp/rules/ingest"
sed 's/amount_form: auto/amount_form: displayed/' "$FO_RULES/ingest/sap-mrbr.yaml" >"$tmp/rules/ingest/sap-mrbr.yaml"
cd "$G" && FO_RULES=$tmp/rules run fo-ingest -p sap-mrbr stored.csv && cd - >/dev/null
check_eq "amount_form: displayed refuses 3.400,00 JPY" \
    "fo-ingest: stored.csv:2:71: amount '3.400,00': JPY with 2 decimals is SAP's stored form (2 decimals for every currency), but the profile says WRBTR is as displayed, in each currency's decimals" \
    "$(sed -n 2p "$tmp/err")"
check_eq "amount_form: displayed: EUR read, JPY and KWD refused" "1 4 -1234.56" \
    "$rc $(tail -n 1 "$tmp/err" | awk '{ print $2 }') $(jq -r .amount "$tmp/out")"
sed 's/amount_form: auto/stored_decimals: 2/' "$FO_RULES/ingest/sap-mrbr.yaml" >"$tmp/rules/ingest/sap-mrbr.yaml"
cd "$G" && FO_RULES=$tmp/rules run fo-ingest -p sap-mrbr displayed.csv && cd - >/dev/null
check_eq "stored_decimals: 2 alone is the stored form: KWD as displayed refused" \
    "1 125000 98000|displayed.csv:4:71 displayed.csv:6:71" \
    "$rc $(jq -r 'select(.currency == "JPY") | .amount' "$tmp/out" | paste -sd' ')|$(grep -o 'displayed.csv:[0-9]*:[0-9]*' "$tmp/err" | paste -sd' ')"
sed 's/amount_form: auto/amount_form: raw/' "$FO_RULES/ingest/sap-mrbr.yaml" >"$tmp/rules/ingest/sap-mrbr.yaml"
FO_RULES=$tmp/rules run fo-ingest -p sap-mrbr /dev/null
check_eq "amount_form: a bad value, with its position" \
    "2 fo-ingest: $tmp/rules/ingest/sap-mrbr.yaml:45:24: amount_form 'raw': auto, stored or displayed" \
    "$rc $(cat "$tmp/err")"

# Each file is decided on its own; two columns each say their form.
cd "$G" && run fo-ingest stored.csv displayed.csv && cd - >/dev/null
check_eq "two files, two forms: both read" "0 9" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ')"
check_eq "two files, two forms: each said" \
    "fo-ingest: stored.csv: amounts in WRBTR are SAP's stored form (2 decimals for every currency), from line 2: 3.400,00 JPY|fo-ingest: displayed.csv: amounts in WRBTR are as displayed, in each currency's decimals, from line 4: 1.250,125 KWD" \
    "$(grep amounts "$tmp/err" | paste -sd'|')"
sed -e 's/^  amount: WRBTR/&\n  tax_amount: DWERT/' \
    -e 's/^  WRBTR: {amount_form: auto}/&\n  DWERT: {amount_form: auto}/' \
    "$FO_RULES/ingest/sap-mrbr.yaml" >"$tmp/rules/ingest/sap-mrbr.yaml"
cd "$G" && FO_RULES=$tmp/rules run fo-ingest -p sap-mrbr clean.csv && cd - >/dev/null
check_eq "two columns decided by one row: a line each" \
    "0|fo-ingest: clean.csv: amounts in WRBTR are SAP's stored form (2 decimals for every currency), from line 5: 1.250,00 JPY|fo-ingest: clean.csv: amounts in DWERT are SAP's stored form (2 decimals for every currency), from line 5: 75,00 JPY|7500 0.000" \
    "$rc|$(sed -n 2,3p "$tmp/err" | paste -sd'|')|$(grep -E '"currency":"(JPY|KWD)"' "$tmp/out" | grep -o '"tax_amount":[^,]*' | cut -d: -f2 | paste -sd' ')"

done_testing
