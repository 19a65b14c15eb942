#!/bin/sh
# fo-ingest on ISO 20022 bank statements (camt.053 .02, .04, .08) and a
# notification (camt.054): entries become bank_line records, one a Ntry
# or one a TxDtls of a batch entry, and each statement a record of
# doc_type statement with its balances. Every expectation below is read
# off the XML by hand (testdata/ingest/camt/SOURCES says whence).
. "$(dirname "$0")/lib.sh"

export FO_RULES="${FO_RULES:-$(cd "$(dirname "$0")/../rules" && pwd)}"
G=$TD/ingest/camt
cd "$G" || exit 1

# the fields a reconciliation reads, one record a line; '-' when absent
fields() {
	jq -r '[.id, .doc_type, .posting_date, .value_date, .end_to_end_id,
	    .reference, .counterparty, .iban, .remittance, .reason_code] |
	    map(. // "-") | join("|")' "$1"
}
# amounts as written (jq would read them as doubles)
amounts() {
	sed 's/.*"\(amount\|opening_balance\)":\([^,}]*\).*/\2/' "$1" |
	    paste -sd' ' -
}
balances() {
	jq -r 'select(.doc_type == "statement") | [.account, .statement_seq,
	    .currency, .opening_date, .closing_date, .entries] |
	    map(. // "-" | tostring) | join(" ")' "$1"
	grep -o '"\(opening\|closing\)_balance":[^,}]*' "$1" | paste -sd' ' -
}

# camt.053.001.02 (OCA): three entries with one TxDtls each, a return
run fo-ingest --rejects "$tmp/rej" oca-camt053-v02.xml
check_eq "v02: exit status, summary" "0|fo-ingest: oca-camt053-v02.xml: profile camt (detected)|fo-ingest: 4 rows, 4 records, 0 rejected" \
    "$rc|$(paste -sd'|' "$tmp/err")"
check_eq "v02: fields" "camt:1234Test/1:1|bank_line|2013-01-05|2013-01-05|435005714488-ABNO33052620|INNDNL2U20141231000142300002844|INSURANCE COMPANY TESTX|NL46ABNA0499998748|Insurance policy 857239PERIOD 01.01.2013 - 31.12.2013|-
camt:1234Test/1:2|bank_line|2013-01-05|2013-01-05|TESTBANK/NL/20141229/01206408|TESTBANK/NL/20141229/01206408|Test Customer|NL46ABNA0499998748|Direct Debit S14 0410|AC06
camt:1234Test/1:3|bank_line|2013-01-05|2013-01-05|115|INNDNL2U20130105000217200000708|3rd party Media|NL69ABNA0522123643|-|-
camt:1234Test/1|statement|-|-|-|-|-|-|-|-" "$(fields "$tmp/out")"
# the entry's Amt moves the balance, not the detail's TxAmt (564.05)
check_eq "v02: amounts signed by CdtDbtInd" "-754.25 -594.05 1405.31 15568.27" \
    "$(amounts "$tmp/out")"
check_eq "v02: first record whole" '{"id":"camt:1234Test/1:1","source":"camt","source_file":"oca-camt053-v02.xml","source_line":50,"doc_type":"bank_line","account":"NL77ABNA0574908765","statement_id":"camt:1234Test/1","statement_ref":"1234Test/1","statement_seq":"2","posting_date":"2013-01-05","value_date":"2013-01-05","currency":"EUR","amount":-754.25,"status":"BOOK","end_to_end_id":"435005714488-ABNO33052620","reference":"INNDNL2U20141231000142300002844","counterparty":"INSURANCE COMPANY TESTX","iban":"NL46ABNA0499998748","remittance":"Insurance policy 857239PERIOD 01.01.2013 - 31.12.2013","extra":{"AddtlTxInf":"MKB Insurance 859239PERIOD 01.01.2013 - 31.12.2013"}}' \
    "$(head -n 1 "$tmp/out")"
check_eq "v02: statement record whole, after its entries" '{"id":"camt:1234Test/1","source":"camt","source_file":"oca-camt053-v02.xml","source_line":7,"doc_type":"statement","account":"NL77ABNA0574908765","statement_id":"camt:1234Test/1","statement_ref":"1234Test/1","statement_seq":"2","currency":"EUR","opening_balance":15568.27,"opening_date":"2013-01-05","closing_balance":15121.12,"closing_date":"2013-01-05","entries":3}' \
    "$(tail -n 1 "$tmp/out")"
check_eq "v02: a reversal keeps RvslInd" "true" \
    "$(jq -r 'select(.reason_code) | .extra.RvslInd' "$tmp/out")"
check_eq "v02: source_line is the Ntry's line" "50 113 180 7" \
    "$(jq -r .source_line "$tmp/out" | paste -sd' ' -)"

# camt.053.001.04 (OCA): one batch entry of two TxDtls, one record each
run fo-ingest -q oca-camt053-v04-batch.xml
check_eq "v04 batch: fields" "camt:20170323123456789012345:012345678:1|bank_line|2017-03-22|2017-03-23|-|123456CHCAFEBABE|Banque Cantonale Vaudoise|CH2222000000123456789|302388292000011111111111111|-
camt:20170323123456789012345:012345678:2|bank_line|2017-03-22|2017-03-23|-|123456CHCAFEBABE|Banque Cantonale Vaudoise|CH3333000000123456789|302388292000022222222222222|-
camt:20170323123456789012345|statement|-|-|-|-|-|-|-|-" "$(fields "$tmp/out")"
check_eq "v04 batch: each detail's own amount, lines at each TxDtls" \
    "2187.00 1296.00 75960.15|79 144 13" \
    "$(amounts "$tmp/out")|$(jq -r .source_line "$tmp/out" | paste -sd' ' -)"
check_eq "v04 batch: balances, ElctrncSeqNb for the sequence" \
    "CH1111000000123456789 58 CHF 2017-03-22 2017-03-23 2
\"opening_balance\":75960.15 \"closing_balance\":79443.15" "$(balances "$tmp/out")"

# details that do not add up to their entry: the entry is one rejected
# row, not two lines that lie about money (2187.00 + 1269.00 = 3456.00)
sed 's|<Amt Ccy="CHF">1296.00</Amt>|<Amt Ccy="CHF">1269.00</Amt>|' \
    oca-camt053-v04-batch.xml >"$tmp/sum.xml"
run fo-ingest -q "$tmp/sum.xml"
check_eq "batch that does not add up: rejected at the Ntry, counted" \
    "1|fo-ingest: $tmp/sum.xml:53: entry 1: its 2 transaction details add up to 3456.00 CHF, not the entry's 3483.00|statement 1" \
    "$rc|$(cat "$tmp/err")|$(jq -r '"\(.doc_type) \(.entries)"' "$tmp/out")"

# a statement with no entries: its record alone
run fo-ingest oca-camt053-no-ntry.xml
check_eq "no entries: one statement record" "0|1 rows, 1 records|NL77ABNA0574908765 2 CHF 2014-01-05 2014-01-05 0
\"opening_balance\":1520.76 \"closing_balance\":1520.76" \
    "$rc|$(tail -n 1 "$tmp/err" | sed 's/^fo-ingest: //; s/, 0 rejected//')|$(balances "$tmp/out")"

# camt.053.001.08 made for fo: two statements, PRCD for the opening, an
# ITBD passed over, DtTm dates, Pty/Nm, NOTPROVIDED, two Ustrd, CdtrRefInf,
# and an amount with more decimals than EUR has
run fo-ingest --rejects "$tmp/rej" made-camt053-v08.xml
check_eq "v08: exit 1, one rejected entry, at its line" "1|fo-ingest: made-camt053-v08.xml:58: entry 2: not an amount of EUR: '12.345'|fo-ingest: 5 rows, 4 records, 1 rejected" \
    "$rc|$(sed -n 2,3p "$tmp/err" | paste -sd'|' -)"
check_eq "v08: the reject record" '{"file":"made-camt053-v08.xml","line":58,"error":"entry 2: not an amount of EUR: '"'"'12.345'"'"'","raw":"12.345"}' \
    "$(jq -c '{file, line, error, raw}' "$tmp/rej")"
check_eq "v08: fields" "camt:STM-2026-11-29:N1|bank_line|2026-11-29|2026-11-30|-|BANKREF-0001|Nordwerk GmbH|DE02120300000000202051|INV-2026-0042 and INV-2026-0043|-
camt:STM-2026-11-29|statement|-|-|-|-|-|-|-|-
camt:STM-2026-11-30:1|bank_line|2026-11-30|2026-11-30|E2E-BILL-9001|PAYRUN-77|Acme Supplies Ltd|GB29NWBK60161331926819|RF18539007547034|-
camt:STM-2026-11-30|statement|-|-|-|-|-|-|-|-" "$(fields "$tmp/out")"
check_eq "v08: balances of both statements; entries count the rejected one" \
    "DE89370400440532013000 47 EUR 2026-11-28 2026-11-29 2
DE89370400440532013000 48 EUR 2026-11-30 2026-11-30 1
\"opening_balance\":-250.00 \"closing_balance\":4700.00 \"opening_balance\":4700.00 \"closing_balance\":3510.50" \
    "$(balances "$tmp/out")"
check_eq "v08: amounts" "4950.00 -250.00 -1189.50 4700.00" "$(amounts "$tmp/out")"

# camt.053.001.08 (genkgo/camt): the account by Othr/Id, DtTm booking,
# Pty/Nm, one TxDtls whose Amt (0 SEK) is not the entry's (8.85 EUR);
# its balances are in EUR and SEK: the statement record is rejected,
# as one currency field cannot tell both
run fo-ingest --rejects "$tmp/rej" genkgo-camt053-v08.xml
check_eq "genkgo v08: the entry, the statement rejected at its CLBD" \
    "1|fo-ingest: genkgo-camt053-v08.xml:74: statement: opening balance in EUR, closing balance in SEK|fo-ingest: 2 rows, 1 records, 1 rejected" \
    "$rc|$(sed -n 2,3p "$tmp/err" | paste -sd'|' -)"
check_eq "genkgo v08: fields" "camt:253EURNL26VAYB8060476890:AAAASESS-FP-CN_98765/01|bank_line|2014-12-31|2015-01-02|MUELL/FINP/RA12345|AAAASESS-FP-CN_98765/01|NAME NAME|NL56AGDH9619008421|4654654654654654|-" \
    "$(fields "$tmp/out")"
check_eq "genkgo v08: the entry's amount and currency, the account" \
    "8.85 EUR NL26VAYB8060476890 110" \
    "$(amounts "$tmp/out") $(jq -r '"\(.currency) \(.account) \(.source_line)"' "$tmp/out")"

# camt.054: a notification, an account by Othr/Id, JPY without decimals
run fo-ingest -q made-camt054.xml
check_eq "camt.054: a returned credit" "camt:NTF-1-1:RET-55|bank_line|2026-12-02|2026-12-02|E2E-JP-1|RET-55|Tokyo Parts KK|-|-|AC04
camt:NTF-1-1|statement|-|-|-|-|-|-|-|-|15000 JPY 0532013000" \
    "$(fields "$tmp/out")|$(jq -r 'select(.amount) | "\(.amount) \(.currency) \(.account)"' "$tmp/out")"
check_eq "camt.054: its statement record has no balances" '{"id":"camt:NTF-1-1","source":"camt","source_file":"made-camt054.xml","source_line":8,"doc_type":"statement","account":"0532013000","statement_id":"camt:NTF-1-1","statement_ref":"NTF-1-1","entries":1}' \
    "$(tail -n 1 "$tmp/out")"

# -p camt gives the same records; stdin is read as well
run fo-ingest -q -p camt oca-camt053-v02.xml
cp "$tmp/out" "$tmp/p.out"
run_in oca-camt053-v02.xml fo-ingest -q -p camt
check_eq "-p camt and stdin: the same records but the file name" "" \
    "$(sed 's/"source_file":"[^"]*",//' "$tmp/out" | diff - "$(sed 's/"source_file":"[^"]*",//' "$tmp/p.out" >"$tmp/p2"; echo "$tmp/p2")")"

# damage: a document cut short keeps what came before it and says where
head -n 115 oca-camt053-v02.xml >"$tmp/cut.xml"
run fo-ingest --rejects "$tmp/rej" "$tmp/cut.xml"
check_eq "cut short: the first entry, then one reject" "1|camt:1234Test/1:1|1 rows" \
    "$rc|$(jq -r .id "$tmp/out")|$(wc -l <"$tmp/rej" | tr -d ' ') rows"
check_eq "cut short: not well-formed, nothing after it read" "1" \
    "$(grep -c "cut.xml:[0-9]*: not well-formed XML: .*; what follows is not read" "$tmp/err")"

# a DTD is refused: no entity is ever expanded
printf '<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY x "12.00">]>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>S</Id><Ntry><Amt Ccy="EUR">&x;</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry></Stmt></BkToCstmrStmt></Document>\n' >"$tmp/dtd.xml"
run fo-ingest -q -p camt "$tmp/dtd.xml"
check_eq "a DTD: refused, no record" "1||fo-ingest: $tmp/dtd.xml:2: not well-formed XML: a DTD, which a statement never has; what follows is not read" \
    "$rc|$(cat "$tmp/out")|$(cat "$tmp/err")"

# -p camt on something else: one rejected input, with why
printf '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>\n' >"$tmp/pain.xml"
run fo-ingest -q -p camt "$tmp/pain.xml"
check_eq "-p camt on a pain.001: refused by its namespace" "1|fo-ingest: $tmp/pain.xml:1: not an ISO 20022 camt.052, camt.053 or camt.054 document: its root is Document in namespace urn:iso:std:iso:20022:tech:xsd:pain.001.001.03" \
    "$rc|$(cat "$tmp/err")"

# listed among the shipped profiles
run fo-ingest -l
check_eq "-l lists camt and mt940, in order" "bank-csv camt coupa-invoices" \
    "$(awk '{ print $1 }' "$tmp/out" | grep -x -e bank-csv -e camt -e coupa-invoices | paste -sd' ' -)"

done_testing
