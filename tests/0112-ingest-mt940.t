#!/bin/sh
# fo-ingest on SWIFT MT940 statements: ABN AMRO's plain :86: text, a
# German bank's structured :86: (?20.. remittance, ?31 IBAN, ?32/?33
# name), SWIFT blocks with CRLF, entry dates across the year end, RC and
# RD marks, a bad amount. Every expectation is read off the text by hand
# (testdata/ingest/mt940/SOURCES says whence).
. "$(dirname "$0")/lib.sh"

export FO_RULES="${FO_RULES:-$(cd "$(dirname "$0")/../rules" && pwd)}"
G=$TD/ingest/mt940
cd "$G" || exit 1

fields() {
	jq -r '[.id, .doc_type, .posting_date, .value_date, .end_to_end_id,
	    .reference, .counterparty, .iban, .remittance] |
	    map(. // "-") | join("|")' "$1"
}
amounts() {
	grep -o '"\(amount\|opening_balance\|closing_balance\)":[^,}]*' "$1" |
	    sed 's/.*://' | paste -sd' ' -
}

# ABN AMRO (jejik): bank lines around each message, :28: and :28C:,
# free-text :86: over several lines, a blank line, two statements
run fo-ingest --rejects "$tmp/rej" jejik-abnamro.sta
check_eq "abnamro: status, summary" "0|fo-ingest: jejik-abnamro.sta: profile mt940 (detected)|fo-ingest: 12 rows, 12 records, 0 rejected" \
    "$rc|$(paste -sd'|' "$tmp/err")"
check_eq "abnamro: amounts: lines, then the statement's balances" \
    "-9.00 -11.59 -11.63 -11.80 -13.45 -15.49 -107.00 -141.48 3236.28 876.84 -9.49 -15.00 2876.84 1849.75" \
    "$(amounts "$tmp/out")"
check_eq "abnamro: first line whole" '{"id":"mt940:517852257:19321/1:1","source":"mt940","source_file":"jejik-abnamro.sta","source_line":8,"doc_type":"bank_line","account":"517852257","statement_id":"mt940:517852257:19321/1","statement_ref":"ABN AMRO BANK NV","statement_seq":"19321/1","posting_date":"2011-05-24","value_date":"2011-05-24","currency":"EUR","amount":-9.00,"remittance":"GIRO   428428 KPN - DIGITENNE    BETALINGSKENM.  000000042188659 5314606715                       BETREFT FACTUUR D.D. 20-05-2011 INCL. 1,44 BTW","extra":{"mark":"D","transaction_type":"N192","customer_reference":"NONREF"}}' \
    "$(head -n 1 "$tmp/out")"
check_eq "abnamro: entry date after the value date" "2011-05-23 2011-05-21" \
    "$(sed -n 2p "$tmp/out" | jq -r '"\(.posting_date) \(.value_date)"')"
check_eq "abnamro: statement records" '{"id":"mt940:517852257:19321/1","source":"mt940","source_file":"jejik-abnamro.sta","source_line":4,"doc_type":"statement","account":"517852257","statement_id":"mt940:517852257:19321/1","statement_ref":"ABN AMRO BANK NV","statement_seq":"19321/1","currency":"EUR","opening_balance":3236.28,"opening_date":"2011-05-22","closing_balance":876.84,"closing_date":"2011-05-23","entries":8}
{"id":"mt940:517852257:19322/1","source":"mt940","source_file":"jejik-abnamro.sta","source_line":32,"doc_type":"statement","account":"517852257","statement_id":"mt940:517852257:19322/1","statement_ref":"ABN AMRO BANK NV","statement_seq":"19322/1","currency":"EUR","opening_balance":2876.84,"opening_date":"2011-05-23","closing_balance":1849.75,"closing_date":"2011-05-24","entries":2}' \
    "$(grep '"doc_type":"statement"' "$tmp/out")"

# German structured :86: (betterplace): ?20.. joined across line breaks,
# even one inside a ?22 mark; EREF+ and SVWZ+ items; RC is a debit
run fo-ingest -q betterplace-sepa.sta
check_eq "sepa: amounts (RC negative); opening D" \
    "300.00 335.33 15000.00 66295.08 915311.55 -204.88 -999946.95 -1234718.36 -1237628.23 15000.05 -500250.00 -970499.90 -1455749.85" \
    "$(amounts "$tmp/out")"
check_eq "sepa: fields" "mt940:50880050/0194774600888:00004/00001:1|bank_line|2007-09-04|2007-09-04|TFNR 40005 00005|0724710345313905|-|-|EREF+TFNR 40005 00005MTLG:Grund nicht spezifiziert Reject aus SEPA-Ueberweisungsauftrag
mt940:50880050/0194774600888:00004/00001:2|bank_line|2007-09-04|2007-09-04|TFNR 44003 00001|0724710351061491|-|-|EREF+TFNR 44003 00001MTLG:Grund nicht spezifiziert Reject aus SEPA-Ueberweisungsauftrag
mt940:50880050/0194774600888:00004/00001:3|bank_line|2007-09-04|2007-09-04|TFNR 40005 00002|0724710345313900|-|-|EREF+TFNR 40005 00002MTLG:Grund nicht spezifiziert Reject aus SEPA-Ueberweisungsauftrag
mt940:50880050/0194774600888:00004/00001:4|bank_line|2007-09-04|2007-09-04|-|-|-|-|0904059001
mt940:50880050/0194774600888:00004/00001:5|bank_line|2007-09-04|2007-09-04|TFNR 44003 00002|R724710351061495|-|-|EREF+TFNR 44003 00002MTLG:Konto gesperrt Rueckueberweisung aus SEPA-Ueberweisungsauftrag
mt940:50880050/0194774600888:00004/00001:6|bank_line|2007-09-04|2007-09-04|-|-|-|-|0904059003
mt940:50880050/0194774600888:00004/00001:7|bank_line|2007-09-04|2007-09-04|-|-|-|-|0904059002
mt940:50880050/0194774600888:00004/00001|statement|-|-|-|-|-|-|-
mt940:50880050/0194777100888:00004/00001:1|bank_line|2007-09-04|2007-09-04|EndToEndIdTFNR2000400001|0724710290621954|Richter Renate 70 Zeichen Beginn Fuellzeichen xxxxxxxx|DE42100100100043921105|TO 13 TFNr 20004 Eingangskanal Mint ..........................................  ...........................................................
mt940:50880050/0194777100888:00004/00001:2|bank_line|2007-09-04|2007-09-04|-|BD7CFA74485E7E69|-|-|KREF+TFNr 01005 PayId CTSc-01 EBBMTLG:SEPA-Ueberweisungsauftrag Datei mit 0000005 Zahlungen
mt940:50880050/0194777100888:00004/00001|statement|-|-|-|-|-|-|-" "$(fields "$tmp/out")"
check_eq "sepa: RC mark, funds code, GVC, return code kept in extra" \
    'RC R 079 SAMMLER/STORNO|C R 159 914' \
    "$(sed -n 6p "$tmp/out" | jq -r '.extra | "\(.mark) \(.funds_code) \(.gvc) \(.booking_text)"')|$(sed -n 1p "$tmp/out" | jq -r '.extra | "\(.mark) \(.funds_code) \(.gvc) \(.return_code)"')"
check_eq "sepa: :64: kept as available_balance" "-1237628.23 2007-09-04" \
    "$(sed -n 8p "$tmp/out" | grep -o '"available_balance":[^,]*' | cut -d: -f2) $(sed -n 8p "$tmp/out" | jq -r .available_date)"

# made for fo: SWIFT blocks, CRLF, a supplementary line, entry dates
# across the year end both ways, RD, a dot for a decimal comma
run fo-ingest --rejects "$tmp/rej" made-yearend.sta
check_eq "year end: exit 1, the bad amount at its column" "1|fo-ingest: made-yearend.sta:11:18: :61: not an amount of EUR with a decimal comma|fo-ingest: 5 rows, 4 records, 1 rejected" \
    "$rc|$(sed -n 2,3p "$tmp/err" | paste -sd'|' -)"
check_eq "year end: the reject record" '{"file":"made-yearend.sta","line":11,"col":18,"raw":"2701020102C12.50NTRFNONREF"}' \
    "$(jq -c '{file, line, col, raw}' "$tmp/rej")"
check_eq "year end: fields" "mt940:DE89370400440532013000:00052/001:1|bank_line|2027-01-02|2026-12-31|-|B1|-|-|Acme Supplies Ltd invoice 4711
mt940:DE89370400440532013000:00052/001:2|bank_line|2026-12-31|2027-01-02|-|-|-|-|charge refunded
mt940:DE89370400440532013000:00052/001:4|bank_line|2027-01-02|2027-01-02|E2E-2026-000871|INV-2026-0042|Nordwerk GmbH|DE02120300000000202051|INV-2026-0042
mt940:DE89370400440532013000:00052/001|statement|-|-|-|-|-|-|-" "$(fields "$tmp/out")"
check_eq "year end: D negative, RD positive; balances" \
    "-250.00 10.50 1000.00 1000.00 1760.50" "$(amounts "$tmp/out")"
check_eq "year end: supplementary line and customer reference kept" \
    "PAYMENT RUN 52 RG-4711" \
    "$(head -n 1 "$tmp/out" | jq -r '"\(.extra.supplementary) \(.extra.customer_reference)"')"
check_eq "year end: the statement counts the rejected line" "4 2026-12-30 2027-01-02" \
    "$(tail -n 1 "$tmp/out" | jq -r '"\(.entries) \(.opening_date) \(.closing_date)"')"

# bad tags and balances: each a reject with its position (4:17 the
# thousands dot, 5:12 the amount that has no currency)
printf ':20:X\n:25:ACC\n:28C:1\n:60F:C260101EUR1.000,00\n:61:260102C5,NTRFNONREF\n:99:what\n:62F:C260102EUR5,\n' >"$tmp/bad.sta"
run fo-ingest -q -p mt940 "$tmp/bad.sta"
check_eq "bad opening balance, then lines without a currency, an unknown tag" \
    "1|fo-ingest: $tmp/bad.sta:4:17: :60F: not an amount of EUR with a decimal comma
fo-ingest: $tmp/bad.sta:5:12: :61: no currency: the statement has no opening balance :60F: or :60M: before it
fo-ingest: $tmp/bad.sta:6:1: :99: not a tag of an MT940 statement|" \
    "$rc|$(cat "$tmp/err")|$(cat "$tmp/out")"

# balances in two currencies: the statement's record is rejected
printf ':20:X\n:25:ACC\n:28C:2\n:60F:C260101EUR5,00\n:62F:C260102CHF5,00\n-\n' >"$tmp/ccy.sta"
run fo-ingest -q "$tmp/ccy.sta"
check_eq "opening EUR, closing CHF: rejected at the :62F:" \
    "1|fo-ingest: $tmp/ccy.sta:5: statement: opening balance in EUR, closing balance in CHF|" \
    "$rc|$(cat "$tmp/err")|$(cat "$tmp/out")"

# -p mt940 gives the same records as detection
run fo-ingest -q -p mt940 jejik-abnamro.sta
cp "$tmp/out" "$tmp/p.out"
run fo-ingest -q jejik-abnamro.sta
check_same "-p mt940: the same records" "$tmp/p.out" "$tmp/out"

done_testing
