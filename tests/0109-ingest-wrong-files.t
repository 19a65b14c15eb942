#!/bin/sh
# Files that are not what the job expects: empty (a failed extract), a
# header alone, every row rejected, and a zip, PDF, old .xls, gzip or
# other binary given by mistake, each refused by name and counted as one
# rejected input. Then --explain, which says why a file reads as it does.
. "$(dirname "$0")/lib.sh"

W=$TD/ingest/wrong-files
E=$TD/ingest/encodings

# wrong NAME FILE STATUS [args]: records, messages and rejects as written
# by hand in W/FILE.out, .err, .rej; rows = records + rejected + skipped
wrong() {
	_w_file=$1 _w_want=$2
	shift 2
	cd "$W" || exit 1
	run fo-ingest --rejects "$tmp/rej" "$@" "$_w_file"
	cd - >/dev/null || exit 1
	check_eq "$_w_file: exit status" "$_w_want" "$rc"
	check_same "$_w_file: records" "$W/$_w_file.out" "$tmp/out"
	check_same "$_w_file: messages" "$W/$_w_file.err" "$tmp/err"
	if [ -f "$W/$_w_file.rej" ]; then
		check_same "$_w_file: rejects" "$W/$_w_file.rej" "$tmp/rej"
	else
		check_same "$_w_file: no rejects" /dev/null "$tmp/rej"
	fi
	tail -n 1 "$tmp/err" >"$tmp/sum"
	check "$_w_file: rows = records + rejected + skipped" \
	    awk '{ t = 0; for (i = 4; i < NF; i += 2) t += $i; exit !($2 == t) }' \
	    "$tmp/sum"
	check_eq "$_w_file: the summary counts the rejects written" \
	    "$(wc -l <"$tmp/rej" | tr -d ' ')" "$(awk '{ print $6 }' "$tmp/sum")"
}

wrong empty.csv 1
wrong header-only.csv 0
# a ';' export read with -d ',': every row rejected, and said so
wrong wrong-delimiter.csv 1 -d ,
wrong minimal.pdf 1
wrong csvkit-dummy.xls 1
wrong csvkit-dummy.xlsx 1
wrong csvkit-dummy.csv.gz 1
wrong ledger.dat 1

# refused files do not stop the run: the good file after them is read
cd "$W" || exit 1
run fo-ingest -q minimal.pdf empty.csv "$E/csvkit-utf8-bom.csv"
cd - >/dev/null || exit 1
check_eq "refused files, then a good one: its records, exit 1" \
    "1 2 fo-ingest: minimal.pdf: a PDF document, not a CSV export|fo-ingest: empty.csv: empty file" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ') $(paste -sd'|' "$tmp/err")"
# standard input is sniffed the same way
run_in "$W/minimal.pdf" fo-ingest
check_eq "a PDF on standard input" \
    "1 fo-ingest: <stdin>: a PDF document, not a CSV export|fo-ingest: 1 rows, 0 records, 1 rejected" \
    "$rc $(paste -sd'|' "$tmp/err")"
run_in /dev/null fo-ingest -q
check_eq "nothing on standard input: empty, exit 1" \
    "1 fo-ingest: <stdin>: empty file" "$rc $(cat "$tmp/err")"
# a file of blank lines is no better than an empty one
printf '\r\n\r\n\n' >"$tmp/blank.csv"
run fo-ingest "$tmp/blank.csv"
check_eq "blank lines only: rejected as a whole" \
    "1 fo-ingest: $tmp/blank.csv: no rows: only blank or skipped lines|fo-ingest: 4 rows, 0 records, 1 rejected, 3 skipped" \
    "$rc $(sed 1d "$tmp/err" | paste -sd'|')"
# one stray NUL is a bad row, not a binary file
printf 'a,b\n1,2\n3,\0004\n5,6\n' >"$tmp/nul.csv"
run fo-ingest -q "$tmp/nul.csv"
check_eq "one NUL: its row rejected, the rest read" \
    "1 2 fo-ingest: $tmp/nul.csv:3:3: NUL byte" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ') $(cat "$tmp/err")"

# --explain: one screen on stdout, exit 0; the ids are hashes (masked)
cd "$E" || exit 1
run fo-ingest --explain ap-utf8-one-1252-row.csv
cd - >/dev/null || exit 1
sed 's/"id":"generic:[0-9a-f]*"/"id":"generic:HASH"/' "$tmp/out" >"$tmp/out2"
check_eq "--explain: exit 0, nothing on stderr" "0 0" \
    "$rc $(wc -c <"$tmp/err" | tr -d ' ')"
check_same "--explain: encoding, profile, mapping, styles, first rows" \
    "$E/ap-utf8-one-1252-row.explain" "$tmp/out2"
# a detected profile: its signature, and the runners-up
cd "$TD/ingest/sap-mrbr" || exit 1
run fo-ingest --explain messy.csv
cd - >/dev/null || exit 1
check_eq "--explain: why this profile" \
    "profile:    sap-mrbr (detected: most signature headers in one of the first rows)|signature:  all of: BUKRS, BELNR, GJAHR, SPGRP, SPGRM" \
    "$(grep -E '^(profile|signature):' "$tmp/out" | paste -sd'|')"
check_eq "--explain: a flag column and the rows that do not fit" \
    "   19 SPGRP  flag: an X adds hold code SPGRP|            rows that do not fit: 1; the first: line 4: doc_date '20261131': no such date 2026-11-31" \
    "$(grep -E 'SPGRP  flag|line 4: doc_date' "$tmp/out" | paste -sd'|')"
cd "$W" || exit 1
run fo-ingest --explain minimal.pdf
cd - >/dev/null || exit 1
check_eq "--explain of a PDF: says so, exit 0" \
    "0 file:       minimal.pdf|refused:    a PDF document, not a CSV export" \
    "$rc $(paste -sd'|' "$tmp/out")"
cd "$W" || exit 1
run fo-ingest --explain -d , wrong-delimiter.csv
cd - >/dev/null || exit 1
check_eq "--explain of a wholly rejected file" \
    "rows:       3 read in the first 256 KiB: 0 records, 3 rejected|            every row is rejected: check the profile (-p) and the styles" \
    "$(grep -A1 '^rows:' "$tmp/out" | paste -sd'|')"
run fo-ingest --explain
check_eq "--explain without a file: usage, exit 2" \
    "2 fo-ingest: --explain: one file, without -l, -o or --rejects" \
    "$rc $(head -n 1 "$tmp/err")"
run fo-ingest --explain -o "$tmp/x" "$W/empty.csv"
check_eq "--explain with -o: usage, exit 2" 2 "$rc"

done_testing
