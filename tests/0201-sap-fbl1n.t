#!/bin/sh
# The shipped sap-fbl1n profile: the FBL1N vendor line-item list saved as
# an unconverted local file; German (Windows-1252) and English (UTF-8)
# headings; title and key-date lines, dashed rules, the headings again at
# every page break, '|' columns padded and framed, subtotal rows; the
# company code and vendor carried from their lines into the rows below.
. "$(dirname "$0")/lib.sh"

G=$TD/ingest/sap-fbl1n

# golden NAME FILE STATUS [args...]: see ingest_golden in lib.sh
golden() {
	_n=$1 _f=$2 _s=$3
	shift 3
	ingest_golden "$G" "$_n" "$_s" "$_f" "$@"
}

# Without -p: the header signature picks the profile, in either language.
golden de-1252 de-1252.txt 0
check_eq "German: detected, '|', Windows-1252" \
    "fo-ingest: de-1252.txt: profile sap-fbl1n (detected), delimiter '|', encoding windows-1252" \
    "$(head -n 1 "$G/de-1252.err")"
golden en-utf8 en-utf8.txt 0
check_eq "English: detected, '|', UTF-8" \
    "fo-ingest: en-utf8.txt: profile sap-fbl1n (detected), delimiter '|', encoding utf-8" \
    "$(head -n 1 "$G/en-utf8.err")"
check_eq "German: page headers, rules, subtotals, context lines skipped" \
    "fo-ingest: 34 rows, 8 records, 0 rejected, 26 skipped" "$(tail -n 1 "$G/de-1252.err")"
check_eq "English: page headers, rules, subtotals, context lines skipped" \
    "fo-ingest: 33 rows, 7 records, 0 rejected, 26 skipped" "$(tail -n 1 "$G/en-utf8.err")"

# -p names it: the same records, and no "(detected)".
for f in de-1252 en-utf8; do
	cd "$G" && run fo-ingest -p sap-fbl1n $f.txt && cd - >/dev/null
	check_same "-p sap-fbl1n $f: same records" "$G/$f.out" "$tmp/out"
	check_eq "-p sap-fbl1n $f: says the profile" "profile sap-fbl1n," \
	    "$(head -n 1 "$tmp/err" | awk '{ print $3, $4 }')"
done

# The company code and vendor lines feed the rows below them, across the
# page break; the key is company code, vendor, SAP document number.
check_eq "German: vendor per row, kept across the page break" \
    "4711 Müller GmbH|4711 Müller GmbH|4711 Müller GmbH|4711 Müller GmbH|4712 Schäfer & Söhne KG|4712 Schäfer & Söhne KG|4712 Schäfer & Söhne KG|4712 Schäfer & Söhne KG" \
    "$(jq -r '.vendor_id + " " + .vendor_name' "$G/de-1252.out" | paste -sd'|')"
check_eq "English: ids from the context lines and DocumentNo" \
    "sap-fbl1n:3000:100234:5100007311 sap-fbl1n:3000:100871:5100007519" \
    "$(jq -r .id "$G/en-utf8.out" | sed -n '1p;6p' | paste -sd' ')"
check_eq "German: source lines of the items only" "9 10 11 12 21 22 29 30" \
    "$(jq -r .source_line "$G/de-1252.out" | paste -sd' ')"

# Numbers and dates follow the headings: 1.234,56- and DD.MM.YYYY in
# German, 1,234.56- and MM/DD/YYYY in English; invoices are negative.
check_eq "German amounts" \
    '-12450.00 -3120.50 5000.00 180.00 -1047.62 -23800.00 -1234567.89 -596.00' \
    "$(grep -o '"amount":[^,]*' "$G/de-1252.out" | cut -d: -f2 | paste -sd' ')"
check_eq "English amounts" \
    '-24980.00 -1312.75 10000.00 -4250.00 -1125.00 -1234567.89 -987.40' \
    "$(grep -o '"amount":[^,]*' "$G/en-utf8.out" | cut -d: -f2 | paste -sd' ')"
check_eq "English dates, month first" "2026-10-15 2026-11-14" \
    "$(jq -r 'select(.id | endswith(":5100007402")) | .doc_date + " " + .due_date' "$G/en-utf8.out")"
check_eq "Windows-1252 text decoded (€ is 0x80 there)" "Fracht €-Zuschlag" \
    "$(jq -r 'select(.id | endswith(":5100005012")) | .extra.Text' "$G/de-1252.out")"
check_eq "the empty columns outside the frame are not in extra" \
    "Zuordnung,Belegnr,Art,Text" "$(jq -r '.extra | keys_unsorted | join(",")' "$G/de-1252.out" | sort -u)"

# The command line beats the variant the headings chose.
cd "$G" && run fo-ingest -q --dates DD/MM/YYYY en-utf8.txt && cd - >/dev/null
check_eq "--dates over the English variant: days past 12 read as months" \
    "1 10:40 11:40 20:40 21:40" \
    "$rc $(grep "month" "$tmp/err" | cut -d: -f3,4 | paste -sd' ')"

# A bad cell inside the padded columns: line and column point at it.
sed 's|10/15/2026|10/32/2026|' "$G/en-utf8.txt" >"$tmp/bad.txt"
run fo-ingest -q "$tmp/bad.txt"
check_eq "bad date in a padded column: its position" \
    "fo-ingest: $tmp/bad.txt:10:40: doc_date '10/32/2026': no such date 2026-10-32" \
    "$(cat "$tmp/err")"

# A vendor line without a name: the vendor changes, the old name goes.
sed 's/Nordström Logistics AB//' "$G/en-utf8.txt" >"$tmp/noname.txt"
run fo-ingest -q "$tmp/noname.txt"
check_eq "vendor line without a name" "100871 -" \
    "$(jq -r '.vendor_id + " " + (.vendor_name // "-")' "$tmp/out" | tail -n 1)"

# Other list layouts: rules of '=', '_' and '-' with or without '|' at
# the column edges, a title line with the date and page number, and one
# context line with both the company code and the vendor.
golden de-combined de-combined.txt 0
golden en-combined en-combined.txt 1
check_eq "German: rules of every style, titles, subtotals skipped" \
    "fo-ingest: 29 rows, 4 records, 0 rejected, 25 skipped" \
    "$(tail -n 1 "$G/de-combined.err")"
check_eq "English: a title known only by its page number skipped" \
    "fo-ingest: 29 rows, 5 records, 1 rejected, 23 skipped" \
    "$(tail -n 1 "$G/en-combined.err")"
check_eq "German: company code and vendor from one line; a vendor without a name" \
    "2000 200451 Lieferant Süd GmbH|2000 200451 Lieferant Süd GmbH|2000 200452 -|2000 200452 -" \
    "$(jq -r '"\(.entity) \(.vendor_id) \(.vendor_name // "-")"' "$G/de-combined.out" | paste -sd'|')"
check_eq "English: both lines set both, kept across the page break" \
    "5000:300120 5000:300120 6000:400077 6000:400077 6000:400077" \
    "$(jq -r '"\(.entity):\(.vendor_id)"' "$G/en-combined.out" | paste -sd' ')"
check_eq "English: JPY and KWD as displayed; 7.50- KWD refused at its column" \
    "-1250000 -36800 -1250.125 512.340 -0.875|20:107" \
    "$(grep -o '"amount":[^,]*' "$G/en-combined.out" | cut -d: -f2 | paste -sd' ')|$(jq -r '"\(.line):\(.col)"' "$G/en-combined.rej")"

# A data row is never a context line, whatever its text says.
sed 's/|Freight   /|Vendor 77 /' "$G/en-combined.txt" >"$tmp/text.txt"
run fo-ingest -q "$tmp/text.txt"
check_eq "'Vendor 77' in an item's text: still an item, the vendor unchanged" \
    "300120 Vendor 77|300120" \
    "$(jq -r 'select(.extra.DocumentNo == "5100009102") | "\(.vendor_id) \(.extra.Text)"' "$tmp/out")|$(jq -r 'select(.extra.DocumentNo == "5100009101") | .vendor_id' "$tmp/out")"

done_testing
