#!/bin/sh
# fo-ingest opens libxml2 and libzip with dlopen(3) the first time a camt
# statement or a workbook comes, not at start-up (lib/ingest/dl.c): a run
# on CSV loads neither, and a library that cannot be loaded is a system
# error for the file that needed it (exit 3, the loader's own words),
# never a crash. "Cannot be loaded" is made here by an empty file of the
# library's soname first in LD_LIBRARY_PATH.
. "$(dirname "$0")/lib.sh"

export FO_RULES="${FO_RULES:-$(cd "$(dirname "$0")/../rules" && pwd)}"
# the sonames the build read (the Makefile's SONAME), read the same way
soname() {
	objdump -p "$(${CC:-cc} -print-file-name="lib$1.so")" |
	    sed -n 's/^ *SONAME *//p'
}
XML=$(soname xml2)
ZIP=$(soname zip)
check_eq "the sonames are found" "libxml2.so.2 libzip.so.4" "$XML $ZIP"
mkdir "$tmp/nozip" "$tmp/noxml" "$tmp/none" || exit 1
: >"$tmp/nozip/$ZIP"
: >"$tmp/noxml/$XML"
: >"$tmp/none/$ZIP"
: >"$tmp/none/$XML"

# the binary names neither library
objdump -p "$FO_BIN/fo-ingest" | awk '$1 == "NEEDED" { print $2 }' \
    >"$tmp/needed"
check_eq "fo-ingest does not link libxml2 or libzip" "" \
    "$(grep -e libxml2 -e libzip "$tmp/needed")"

# CSV: neither is loaded, so neither is missed (tests/0207's expectation)
B=$TD/ingest/bank-csv
cd "$B" || exit 1
LD_LIBRARY_PATH=$tmp/none run fo-ingest dkb-2018.csv
check_eq "csv without the libraries: exit 0" 0 "$rc"
check_same "csv without the libraries: records" "$B/dkb-2018.out" "$tmp/out"
check_same "csv without the libraries: messages" "$B/dkb-2018.err" "$tmp/err"

# camt without libxml2
cd "$TD/ingest/camt" || exit 1
LD_LIBRARY_PATH=$tmp/noxml run fo-ingest --rejects "$tmp/rej" \
    oca-camt053-v02.xml
check_eq "camt without libxml2: exit 3" 3 "$rc"
check_eq "camt without libxml2: message" "fo-ingest: oca-camt053-v02.xml: libxml2.so.2 cannot be loaded, and is needed to read a camt statement: $tmp/noxml/libxml2.so.2: file too short|fo-ingest: 0 rows, 0 records, 0 rejected" \
    "$(paste -sd'|' "$tmp/err")"
check_same "camt without libxml2: no records" /dev/null "$tmp/out"
# a system error leaves every target as it was (fo-ingest(1)): none
check "camt without libxml2: no rejects file" test ! -e "$tmp/rej"
# libzip is not needed for it
LD_LIBRARY_PATH=$tmp/nozip run fo-ingest oca-camt053-v02.xml
check_eq "camt without libzip: exit 0, 4 records" "0|4" \
    "$rc|$(wc -l <"$tmp/out" | tr -d ' ')"

# a workbook without libzip, by name and from a pipe (read whole first,
# then freed), and without libxml2
X=$TD/ingest/xlsx
cd "$X" || exit 1
LD_LIBRARY_PATH=$tmp/nozip run fo-ingest book.xlsx
check_eq "xlsx without libzip: exit 3" 3 "$rc"
check_eq "xlsx without libzip: message" "fo-ingest: book.xlsx: libzip.so.4 cannot be loaded, and is needed to read a workbook: $tmp/nozip/libzip.so.4: file too short|fo-ingest: 0 rows, 0 records, 0 rejected" \
    "$(paste -sd'|' "$tmp/err")"
check_same "xlsx without libzip: no records" /dev/null "$tmp/out"
LD_LIBRARY_PATH=$tmp/nozip run_in book.xlsx fo-ingest
check_eq "xlsx from a pipe without libzip: exit 3, message" "3|fo-ingest: <stdin>: libzip.so.4 cannot be loaded, and is needed to read a workbook: $tmp/nozip/libzip.so.4: file too short" \
    "$rc|$(head -n 1 "$tmp/err")"
LD_LIBRARY_PATH=$tmp/noxml run fo-ingest book.xlsx
check_eq "xlsx without libxml2: exit 3, message" "3|fo-ingest: book.xlsx: libxml2.so.2 cannot be loaded, and is needed to read a workbook: $tmp/noxml/libxml2.so.2: file too short" \
    "$rc|$(head -n 1 "$tmp/err")"

# one run, three files: the CSV before and after are read whole, the
# workbook between is the system error, and the run exits 3
LD_LIBRARY_PATH=$tmp/nozip run fo-ingest "$B/dkb-2018.csv" book.xlsx \
    "$B/dkb-2018.csv"
check_eq "csv, xlsx, csv without libzip: exit 3, 6 records" "3|6" \
    "$rc|$(wc -l <"$tmp/out" | tr -d ' ')"
D="fo-ingest: $B/dkb-2018.csv: profile bank-csv (detected), delimiter ';' (sniffed), encoding windows-1252"
check_eq "csv, xlsx, csv without libzip: the error and the sum" "$D|fo-ingest: book.xlsx: libzip.so.4 cannot be loaded, and is needed to read a workbook: $tmp/nozip/libzip.so.4: file too short|$D|fo-ingest: 18 rows, 6 records, 0 rejected, 12 skipped" \
    "$(paste -sd'|' "$tmp/err")"

done_testing
