#!/bin/sh
# fo-ingest with the bank-csv profile: statement lines downloaded as CSV,
# in English (',', UTF-8, 1,234.56, ISO dates) and in German (';',
# ISO-8859-1, 1.234,56, DD.MM.YYYY), each with a preamble before the
# header and a balance line after the last transaction.
. "$(dirname "$0")/lib.sh"

export FO_RULES="${FO_RULES:-$(cd "$(dirname "$0")/../rules" && pwd)}"
G=$TD/ingest/bank-csv

# golden NAME STATUS [args...]: see ingest_golden in lib.sh
golden() { ingest_golden "$G" "$@"; }

golden statement-en 0 statement-en.csv
golden umsaetze-de 0 umsaetze-de.csv
# real shapes (SOURCES): DKB's own test file, Sparkasse CSV-CAMT,
# Deutsche Bank's Soll and Haben, Nationwide's Paid out and Paid in.
# Columns count the bytes of the UTF-8 text read (a £ before the column
# in the windows-1252 Nationwide file counts two).
golden dkb-2018 0 dkb-2018.csv
golden sparkasse-camt 1 sparkasse-camt.csv
golden deutsche-bank 1 deutsche-bank.csv
golden nationwide 1 nationwide.csv

check_eq "DD.MM.YY and DD Mon YYYY read" "2026-10-02 2026-10-05 2026-10-06|2026-10-02 2026-10-05 2026-10-06" \
    "$(jq -r .posting_date "$G/sparkasse-camt.out" | paste -sd' ' -)|$(jq -r .posting_date "$G/nationwide.out" | paste -sd' ' -)"
check_eq "Soll and Haben: one signed amount, Betrag kept" "-5057.50 1234.56 -98.00|" \
    "$(grep -o '"amount":[^,]*' "$G/deutsche-bank.out" | cut -d: -f2 | paste -sd' ' -)|$(jq -r .extra.Betrag "$G/deutsche-bank.out" | sort -u)"
check_eq "reconciliation fields: end-to-end id, IBAN, counterparty" \
    "E2E-2026-000871 DE89370400440532013001 Nordwerk GmbH" \
    "$(jq -r 'select(.end_to_end_id == "E2E-2026-000871") | "\(.end_to_end_id) \(.iban) \(.counterparty)"' "$G/sparkasse-camt.out")"

# Paid Out and Paid In without Nationwide's Transaction type (an HSBC-like
# download): a statement, but neither pounds nor a date style is assumed
printf 'Date,Description,Paid Out,Paid In,Balance\n15/03/2026,ASDA STORES,45.20,,1000.00\n16/03/2026,SALARY,,2500.00,3500.00\n' >"$tmp/paid.csv"
run fo-ingest --rejects "$tmp/rej" "$tmp/paid.csv"
check_eq "Paid Out, Paid In: bank-csv, dates refused as ambiguous" \
    "1 bank-csv 2" \
    "$rc $(head -n 1 "$tmp/err" | sed 's/.*profile \([^ ]*\) .*/\1/') $(grep -c 'day or month first' "$tmp/rej")"
run fo-ingest -q --dates DD/MM/YYYY "$tmp/paid.csv"
check_eq "Paid Out, Paid In with --dates: signed amounts, no currency" \
    '"posting_date":"2026-03-15","amount":-45.20,"remittance" "posting_date":"2026-03-16","amount":2500.00,"remittance"' \
    "$(grep -o '"posting_date".*"remittance"' "$tmp/out" | paste -sd' ' -)"

# a general-ledger journal with Debit and Credit is not a bank statement
printf 'Date,Account,Debit,Credit\n2026-10-01,4000,100.00,\n' >"$tmp/journal.csv"
run fo-ingest "$tmp/journal.csv"
check_eq "a journal with Debit and Credit: not bank-csv" \
    "fo-ingest: $tmp/journal.csv: profile generic (no profile matched), delimiter ',' (sniffed), encoding utf-8" \
    "$(head -n 1 "$tmp/err")"

# both languages detected without -p; -p gives the same records
for f in statement-en umsaetze-de; do
	cd "$G" && run fo-ingest -p bank-csv $f.csv && cd - >/dev/null
	check_same "$f: -p bank-csv, same records" "$G/$f.out" "$tmp/out"
done
check_eq "detected by the header, delimiter and encoding sniffed" \
    "profile bank-csv (detected), delimiter ',' (sniffed), encoding utf-8|profile bank-csv (detected), delimiter ';' (sniffed), encoding windows-1252" \
    "$(for f in statement-en umsaetze-de; do head -n 1 "$G/$f.err"; done | sed 's/^[^:]*: [^:]*: //' | paste -sd'|' -)"

# an export of another kind with an IBAN column is not a statement
printf 'Vendor ID,Name,IBAN\nV1,Nordwerk GmbH,DE89370400440532013000\n' >"$tmp/vendors.csv"
run fo-ingest "$tmp/vendors.csv"
check_eq "a vendor master with an IBAN column: not bank-csv" \
    "fo-ingest: $tmp/vendors.csv: profile generic (no profile matched), delimiter ',' (sniffed), encoding utf-8" \
    "$(head -n 1 "$tmp/err")"

# the German file is ISO-8859-1 bytes; the records are UTF-8
check "umsaetze-de.csv holds ISO-8859-1 bytes" grep -q "$(printf 'M\374ller')" "$G/umsaetze-de.csv"
check_eq "umsaetze-de: names and texts in UTF-8" \
    "Müller Bürobedarf e.K.|Kontoführungsgebühren 10/2026" \
    "$(jq -r 'select(.amount == -1234.56 or .amount == -45) | .counterparty // .remittance' "$G/umsaetze-de.out" | paste -sd'|' -)"

# each variant's number and date style, signs kept, EUR from the header
check_eq "statement-en: amounts" \
    "-5057.50 -1180.40 5057.50 -410.00 -25.00 12400.00" \
    "$(grep -o '"amount":[^,]*' "$G/statement-en.out" | cut -d: -f2 | paste -sd' ' -)"
check_eq "umsaetze-de: amounts, in EUR" \
    "EUR:-5057.50 EUR:-1234.56 EUR:-12.00 EUR:-12.00 EUR:1234.56 EUR:-45.00 EUR:-23400.00" \
    "$(sed 's/.*"currency":"\([A-Z]*\)","amount":\([^,]*\).*/\1:\2/' "$G/umsaetze-de.out" | paste -sd' ' -)"
check_eq "umsaetze-de: booking 30.10.2026, value 01.11.2026" \
    "2026-10-30 2026-11-01" \
    "$(jq -r 'select(.amount == -45) | "\(.posting_date) \(.value_date)"' "$G/umsaetze-de.out")"

# the German file without CR: the sniffer misreads its preamble, -d helps
tr -d '\r' <"$G/umsaetze-de.csv" >"$tmp/umsaetze-lf.csv"
run fo-ingest -q -d ';' "$tmp/umsaetze-lf.csv"
check_eq "LF line ends with -d ';': the same records" \
    "$(sed "s|\"source_file\":\"umsaetze-de.csv\"|\"source_file\":\"$tmp/umsaetze-lf.csv\"|" "$G/umsaetze-de.out")" \
    "$(cat "$tmp/out")"

# --dates beats the variant's style
cd "$G" && run fo-ingest -q --dates YYYY-MM-DD umsaetze-de.csv && cd - >/dev/null
check_eq "--dates over the variant: every line rejected" "1 0 7" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ') $(grep -c "not a YYYY-MM-DD date" "$tmp/err")"

# no keys: the id is a hash of the mapped values, stable between runs;
# two lines alike in every mapped field share it (documented)
cd "$G" && fo-ingest -q statement-en.csv umsaetze-de.csv >"$tmp/a"
fo-ingest -q statement-en.csv umsaetze-de.csv >"$tmp/b"
cd - >/dev/null
check_same "two runs, same bytes" "$tmp/a" "$tmp/b"
check_eq "ids: bank-csv and 16 hex digits, :2 for a repeat" 13 \
    "$(jq -r .id "$tmp/a" | grep -c '^bank-csv:[0-9a-f]\{16\}\(:[0-9]*\)\{0,1\}$')"
check_eq "two identical lines: two records, two ids" \
    "bank-csv:8bed660e11a3ada3 bank-csv:8bed660e11a3ada3:2" \
    "$(jq -r .id "$G/umsaetze-de.out" | grep 8bed660e11a3ada3 | paste -sd' ')"
check_eq "every id unique" "" \
    "$(jq -r .id "$G/umsaetze-de.out" "$G/statement-en.out" | sort | uniq -d)"

done_testing
