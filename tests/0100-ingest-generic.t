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
# payment processors and bank downloads (shapes: testdata/generic/SOURCES)
golden stripe-balance 0 stripe-balance.csv
golden paypal 1 --dates MM/DD/YYYY paypal.csv
golden debit-credit 1 debit-credit.csv
golden revolut 0 revolut.csv

# gross, fee and net: gross is the amount, the others stay as written
check_eq "stripe: amounts exact, JPY without decimals" \
    '"amount":600.00 "amount":19.00 "amount":-19.00 "amount":1200 "amount":-580.78' \
    "$(grep -o '"amount":[^,]*' "$G/stripe-balance.out" | paste -sd' ' -)"
check_eq "stripe: fee and net under extra, as written" "8.70/591.30 66/1134" \
    "$(jq -r 'select(.doc_type == "charge" and (.reference == "txn_1Q01" or .reference == "txn_1Q04")) | "\(.extra.fee)/\(.extra.net)"' "$G/stripe-balance.out" | paste -sd' ' -)"
cd "$G" && run fo-ingest -q stripe-balance.csv && cd - >/dev/null
check_eq "-q: no word of which column became amount" "" "$(cat "$tmp/err")"

# PayPal's US dates cannot be read without --dates: every row refused
cd "$G" && run fo-ingest -q --rejects "$tmp/rej" paypal.csv && cd - >/dev/null
check_eq "paypal without --dates: 4 rejects, day or month first" "1 0 4" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ') $(grep -c 'ambiguous: day or month first' "$tmp/rej")"

# a debit is negative however written; --numbers settles the ambiguous row
check_eq "debit and credit: one signed amount" "5000.00 -1234.56 34.56 -25.00 -" \
    "$(sed 's/.*"amount":\([^,]*\),.*/\1/; t; s/.*/-/' "$G/debit-credit.out" | paste -sd' ' -)"
cd "$G" && run fo-ingest -q --numbers 1,234.56 debit-credit.csv && cd - >/dev/null
check_eq "debit 1,234 read with --numbers 1,234.56" '"amount":-1234.00' \
    "$(grep '"source_line":8,' "$tmp/out" | grep -o '"amount":[^,]*')"

# a pair needs both halves; money names headers
printf 'profile: dc\ndebit_credit:\n  debit: [Out]\nmoney: {Fee: x}\n' >"$tmp/dc.yaml"
run fo-ingest -p "$tmp/dc.yaml" /dev/null
check_eq "profile: debit without credit, money not a list" \
    "2|fo-ingest: $tmp/dc.yaml:3:3: debit_credit needs debit and credit headers|fo-ingest: $tmp/dc.yaml:4:8: money must be a header or a list of headers" \
    "$rc|$(paste -sd'|' - <"$tmp/err")"
printf 'profile: dck\ndebit_credit: {debit: Out, credit: In}\nkeys: [amount]\n' >"$tmp/dck.yaml"
printf 'Out,In\n5.00,\n,7.00\n' >"$tmp/dck.csv"
run fo-ingest -q -p "$tmp/dck.yaml" "$tmp/dck.csv"
check_eq "the pair's signed amount can be a key" "0 dck:-5.00 dck:7.00" \
    "$rc $(jq -r .id "$tmp/out" | paste -sd' ' -)"

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
