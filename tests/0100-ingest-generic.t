#!/bin/sh
# fo-ingest with the generic profile: each fixture gives exactly the
# expected records, rejects, messages and exit status.
. "$(dirname "$0")/lib.sh"

G=$TD/generic

# golden NAME STATUS [args...]: see ingest_golden in lib.sh
golden() { ingest_golden "$G" "$@"; }

golden ap-us 0 --numbers 1,234.56 ap-us.csv
golden de-1252 0 -e windows-1252 --numbers 1.234,56 --dates DD.MM.YYYY \
    de-1252.csv
golden bom-crlf 0 bom-crlf.csv
golden tabs 0 tabs.tsv
golden bad 1 -e utf-8 --numbers 1,234.56 bad.csv

# The German export needs no flags at all: encoding and delimiter are
# sniffed and its numbers and dates can only be read one way.
cd "$G" && run fo-ingest de-1252.csv && cd - >/dev/null
check_same "de-1252 sniffed: same records" "$G/de-1252.out" "$tmp/out"
check_eq "de-1252 sniffed: says what it chose" \
    "fo-ingest: de-1252.csv: profile generic (no profile matched), delimiter ';' (sniffed), encoding windows-1252" \
    "$(head -n 1 "$tmp/err")"

# Money is exact text (jq would print -250.00 as -250: it reads doubles).
check_eq "ap-us: amounts as written in the JSON text" \
    '"amount":1234.56 "amount":125000 "amount":1250.125 "amount":-250.00' \
    "$(grep -o '"amount":[^,]*' "$G/ap-us.out" | tr '\n' ' ' | sed 's/ $//')"

# The same input gives the same bytes: ids are stable between runs.
cd "$G" && fo-ingest -q bad.csv >"$tmp/a"; fo-ingest -q bad.csv >"$tmp/b"
cd - >/dev/null
check_same "two runs, same bytes" "$tmp/a" "$tmp/b"

# Several files in one call: one stream, one summary.
cd "$G" && run fo-ingest -q --numbers 1,234.56 ap-us.csv bom-crlf.csv && cd - >/dev/null
check_eq "two files: records of both" 6 "$(wc -l <"$tmp/out")"
check_eq "two files: source_file of each" "ap-us.csv bom-crlf.csv" \
    "$(jq -r .source_file "$tmp/out" | uniq | tr '\n' ' ' | sed 's/ $//')"

# stdin is "-", and named <stdin>.
run_in "$G/bom-crlf.csv" fo-ingest -q -
check_eq "stdin: source_file" '"<stdin>"' "$(jq -c .source_file "$tmp/out" | head -n 1)"

done_testing
