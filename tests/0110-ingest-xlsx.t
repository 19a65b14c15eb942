#!/bin/sh
# Excel workbooks (.xlsx): read by content, not by name; the cells feed
# the same ingest path as CSV rows. Expected outputs are written by hand
# from the cells (testdata/ingest/xlsx/SOURCES, gen.py).
. "$(dirname "$0")/lib.sh"

G=$TD/ingest/xlsx
golden() { ingest_golden "$G" "$@"; }
fo() { fo-ingest "$@"; }

# Shared and inline strings, rich text runs (phonetic run left out), a
# formula's string, booleans; numbers read from their text (15 digits:
# 1234.5600000000001 is 1234.56, 0.30000000000000004 is 0.30, 1E-3 is
# 0.001), identifiers stored as numbers (4500012345, 4.500012345E9)
# as their integer text; date cells by their style (built-in 14 and 22,
# custom yyyy-mm-dd and dd/mm/yyyy) from 1900 serials, 59 and 61 either
# side of the 60 that never was; text cells parsed as the profile says
# (DD.MM.YYYY, 1.234,56); a gap in the row numbers and in a row's
# columns; an empty styled row and a total skipped. Rejected, naming
# the cell: more decimals than EUR has, #N/A, serial 60.
golden book 1 -p ap-test.yaml book.xlsx
check_eq "line numbers are the sheet's row numbers" "4 5 6 9 11" \
    "$(jq -r .source_line "$G/book.out" | paste -sd' ')"

# --sheet: the second sheet; an unknown one lists those there are.
cd "$G" && run fo -p ap-test.yaml --sheet Notes book.xlsx && cd - >/dev/null
check_eq "--sheet Notes: exit status" 0 "$rc"
check_same "--sheet Notes: records" "$G/notes.out" "$tmp/out"
check_same "--sheet Notes: messages" "$G/notes.err" "$tmp/err"
cd "$G" && run fo -p ap-test.yaml --sheet Nope book.xlsx && cd - >/dev/null
check_eq "--sheet Nope: exit status" 1 "$rc"
check_eq "--sheet Nope: the sheets listed" \
    "fo-ingest: book.xlsx: no sheet 'Nope' in the workbook; its sheets: 'Invoices', 'Notes'
fo-ingest: 1 rows, 0 records, 1 rejected" "$(cat "$tmp/err")"
check_eq "--sheet Nope: no records" "" "$(cat "$tmp/out")"

# The 1904 date system: serial 0 is 1904-01-01, 60 is 1904-03-01.
golden book1904 0 -p ap-test.yaml book1904.xlsx

# A NetSuite saved search saved as a workbook: detected by its header,
# read by the shipped profile; Internal ID a number cell, the id its
# integer text; dates as date cells, or as text in the profile's
# M/D/YYYY; amounts from number cells whatever the profile's 1,234.56;
# the Total: row skipped.
golden bills 0 bills.xlsx
cd "$TD/ingest/netsuite-bills" && run fo -p netsuite-bills bills.csv &&
    cd - >/dev/null
check_eq "the same bill from the CSV export and the workbook" \
    "$(jq -c 'select(.id == "netsuite-bills:48211") | del(.source_file, .extra.Amount)' "$tmp/out")" \
    "$(jq -c 'select(.id == "netsuite-bills:48211") | del(.source_file, .extra.Amount)' "$G/bills.out")"

# SAP MRBR as a workbook: a number cell drops trailing zeros, so it
# cannot show SAP's stored form (1250 may be 1.250,00 JPY, 125000 yen):
# refused until a text cell (1.250,00 JPY) decides the file's form, then
# read in it (980 is 98000 yen, 12.5 KWD is 1.250). EUR is the same in
# both forms.
golden mrbr 1 mrbr.xlsx

# Files that mix row types: the Coupa export of tests/0205 saved as a
# workbook gives the CSV's records, merged rows and rejects alike; only
# source_line differs where a cell holds a line break (one sheet row,
# two CSV lines).
cd "$G" && run fo --rejects "$tmp/rej" coupa.xlsx && cd - >/dev/null
C=$TD/ingest/coupa-invoices
norm() { sed 's/"source_line":[0-9]*,//; s/"source_file":"[^"]*",//' "$1"; }
norm "$C/invoices.out" >"$tmp/want"
norm "$tmp/out" >"$tmp/got"
check_same "a Coupa export as a workbook: the CSV's records" "$tmp/want" \
    "$tmp/got"
check_eq "a Coupa export as a workbook: the CSV's account" \
    "$(tail -n 1 "$C/invoices.err")" "$(tail -n 1 "$tmp/err")"
check_eq "a cell with a line break is one row" "13 14" \
    "$(jq -r 'select(.doc_number == "JP-7781") | .source_line' "$tmp/out") $(jq -r 'select(.doc_number == "JP-7781") | .source_line' "$C/invoices.out")"

# --explain of a workbook: its sheet instead of encoding and delimiter,
# the whole sheet read; a damaged one refused, exit 0.
cd "$G" && run fo --explain bills.xlsx && cd - >/dev/null
check_eq "--explain of a workbook" \
    "0|sheet:      Results (a workbook: no encoding or delimiter)|rows:       3 read in the sheet: 3 records, 0 rejected" \
    "$rc|$(grep -E '^(sheet|rows):' "$tmp/out" | paste -sd'|')"
cd "$G" && run fo --explain cut.xlsx && cd - >/dev/null
check_eq "--explain of a damaged workbook" \
    "0|file:       cut.xlsx|refused:    a zip archive that cannot be read (cut short?): Not a zip archive" \
    "$rc|$(paste -sd'|' "$tmp/out")"

# By content, not by name: a workbook named .csv, a CSV named .xlsx.
cp "$G/book1904.xlsx" "$tmp/book.csv"
printf 'Invoice Number;Amount;Currency\nC-1;1,50;EUR\n' >"$tmp/csv.xlsx"
cd "$tmp" && run fo -q -p "$G/ap-test.yaml" book.csv csv.xlsx && cd - >/dev/null
check_eq "a workbook named .csv, a CSV named .xlsx" \
    "ap-test:M-1 ap-test:M-2 ap-test:C-1" \
    "$(jq -r .id "$tmp/out" | paste -sd' ')"

# Standard input: a pipe is read whole into memory (at most
# --max-part), a redirected file where it lies; the same records.
sed 's/"source_file":"book.xlsx"/"source_file":"<stdin>"/' "$G/book.out" \
    >"$tmp/want"
rc=0
cat "$G/book.xlsx" | fo -q -p "$G/ap-test.yaml" >"$tmp/out" 2>"$tmp/err" ||
    rc=$?
check_same "a workbook on a pipe" "$tmp/want" "$tmp/out"
run_in "$G/book.xlsx" fo -q -p "$G/ap-test.yaml"
check_same "a workbook redirected" "$tmp/want" "$tmp/out"
rc=0
cat "$G/book.xlsx" | fo -p "$G/ap-test.yaml" --max-part 4096 >"$tmp/out" \
    2>"$tmp/err" || rc=$?
check_eq "a pipe past --max-part: refused" "1|fo-ingest: <stdin>: a workbook read from a pipe may be 4096 bytes at most (see --max-part)" \
    "$rc|$(head -n 1 "$tmp/err")"

# Damaged and hostile workbooks: one error naming the part, counted as
# a rejected row; the run goes on to the next file.
bad() {
	_name=$1 _want=$2
	shift 2
	cd "$G" && run fo -p ap-test.yaml "$@" && cd - >/dev/null
	check_eq "$_name" "1|$_want" "$rc|$(grep -v 'profile ap-test' "$tmp/err" | head -n 1)"
}
bad "a cut zip" \
    "fo-ingest: cut.xlsx: a zip archive that cannot be read (cut short?): Not a zip archive" \
    cut.xlsx
bad "a zip that is no workbook" \
    "fo-ingest: notbook.xlsx: a zip archive without xl/workbook.xml: not an Excel workbook" \
    notbook.xlsx
bad "a binary workbook" \
    "fo-ingest: xlsb.xlsx: an Excel binary workbook (.xlsb): save it as .xlsx" \
    xlsb.xlsx
bad "an OpenDocument spreadsheet" \
    "fo-ingest: ods.xlsx: an OpenDocument file (.ods): save it as .xlsx" \
    ods.xlsx
bad "a sheet whose XML breaks off" \
    "fo-ingest: badxml.xlsx:1: xl/worksheets/sheet1.xml:1: not well-formed XML: Opening and ending tag mismatch: t line 1 and x" \
    badxml.xlsx
bad "a part larger than --max-part, by its header" \
    "fo-ingest: bomb.xlsx: xl/worksheets/sheet1.xml: 2098116 bytes uncompressed, more than the limit of 65536" \
    --max-part 65536 bomb.xlsx
bad "a part larger than --max-part, its header lying: counted as it inflates" \
    "fo-ingest: liar.xlsx: xl/worksheets/sheet1.xml: more than 65536 bytes uncompressed (the limit; see --max-part)" \
    --max-part 65536 liar.xlsx
cd "$G" && run fo -q -p ap-test.yaml cut.xlsx book1904.xlsx && cd - >/dev/null
check_eq "after a damaged file, the next is read" "1 ap-test:M-1 ap-test:M-2" \
    "$rc $(jq -r .id "$tmp/out" | paste -sd' ')"
cd "$G" && run fo -p ap-test.yaml bomb.xlsx && cd - >/dev/null
check_eq "within the default limit the same sheet is read" \
    "0 fo-ingest: 2 rows, 2 records, 0 rejected" "$rc $(tail -n 1 "$tmp/err")"
cd "$G" && run fo -p ap-test.yaml --max-field 16 book.xlsx && cd - >/dev/null
check_eq "a cell past --max-field: its row rejected, naming the cell" \
    "fo-ingest: book.xlsx:4:9: Invoices!I4: text longer than 16 bytes" \
    "$(grep ':4:' "$tmp/err")"

# The cells of real workbooks from other readers' test suites, as read;
# and numbers.xlsx: exponents, a carry past 15 digits (9.99...E+22 is
# 1E+23), half-even at the 15th digit, -0, and texts that are no number;
# times.xlsx: times, a duration (built-in 46) and dates by built-in and
# custom formats, quoted text and [colours] that are no date codes, and
# serials 0 and -1 under a date format.
if [ -x "$FO_BIN/xlsxdump" ]; then
	for d in "$G"/*.dump; do
		x=${d%.dump}.xlsx
		"$FO_BIN/xlsxdump" "$x" >"$tmp/dump" 2>&1
		check_same "cells of $(basename "$x")" "$d" "$tmp/dump"
	done
	"$FO_BIN/xlsxdump" "$G/xlsx2csv-sheets_order.xlsx" | head -n 3 >"$tmp/dump"
	check_eq "the first sheet in workbook order, not by sheetId" \
	    "sheet b|1|t:x|t:y|2|n:-10|n:-1000" "$(paste -sd'|' "$tmp/dump")"
	"$FO_BIN/xlsxdump" "$G/xlsx2csv-sheets_order.xlsx" c >"$tmp/dump"
	check_eq "an unknown sheet: the sheets in workbook order" \
	    "OPEN -1 no sheet 'c' in the workbook; its sheets: 'b', 'e', 'd', 'a'" \
	    "$(cat "$tmp/dump")"
else
	not_ok "xlsxdump not built (make $FO_BIN/xlsxdump)"
fi

done_testing
