#!/bin/sh
# fo-ingest on exports written by others than the fo team (public
# repositories, testdata/ingest/outside/SOURCES), for the shipped
# profiles: detected without -p, every row read right or refused.
# Expected records (.want) are written by hand from each file; a record
# id without keys is a hash of its values, so .want has no id and the id
# is checked for its form.
. "$(dirname "$0")/lib.sh"

export FO_RULES="${FO_RULES:-$(cd "$(dirname "$0")/../rules" && pwd)}"
G=$TD/ingest/outside

# outside NAME STATUS ID-FORM ARGS...: records without their id,
# messages, exit status, and the form of the ids
outside() {
	_o_name=$1 _o_want=$2 _o_id=$3
	shift 3
	cd "$G" || exit 1
	run fo-ingest --rejects "$tmp/rej" "$@"
	cd - >/dev/null || exit 1
	check_eq "$_o_name: exit status" "$_o_want" "$rc"
	sed 's/^{"id":"[^"]*",/{/' "$tmp/out" >"$tmp/noid"
	check_same "$_o_name: records, without their id" "$G/$_o_name.want" \
	    "$tmp/noid"
	check_eq "$_o_name: ids" "" \
	    "$(jq -r .id "$tmp/out" | grep -Ev "^$_o_id\$")"
	check_same "$_o_name: messages" "$G/$_o_name.err" "$tmp/err"
	if [ -f "$G/$_o_name.rej" ]; then
		check_same "$_o_name: rejects" "$G/$_o_name.rej" "$tmp/rej"
	else
		check_same "$_o_name: no rejects" /dev/null "$tmp/rej"
	fi
}

# ING Germany: a preamble, Buchung for the booking date, no IBAN column,
# and Währung twice: the balance's (USD here) and the amount's (EUR)
outside ing-de 0 'bank-csv:[0-9a-f]{16}' ing-de.csv
check_eq "ing-de: the amount's currency is the Währung after Betrag" \
    '"currency":"EUR","amount":-500.00 USD' \
    "$(grep -o '"currency":"[A-Z]*","amount":[^,]*' "$tmp/out") $(jq -r '.extra."Währung"' "$tmp/out")"

# Chase checking (US): no IBAN, Posting Date and Check or Slip #,
# MM/DD/YYYY, rows ending in a comma the header lacks; generic refused
# every date as ambiguous
outside chase-checking 0 'bank-csv:[0-9a-f]{16}' chase-checking.csv

# SAP FBL1N saved as a spreadsheet, then as CSV: the ALV's column
# headings, no list rules, the vendor in Account. Not the list export
# sap-fbl1n detects (its delimiter is '|'): named with -p and -d, it is
# read; detected, generic refuses every US date, loudly.
outside sap-fbl1n-sheet 0 'sap-fbl1n:3000:[0-9]+:[0-9]{10}' \
    -p sap-fbl1n -d , sap-fbl1n-sheet.csv
cd "$G" && run fo-ingest sap-fbl1n-sheet.csv && cd - >/dev/null
check_eq "sap-fbl1n-sheet detected: generic, nothing written, all rejected" \
    "1 0 fo-ingest: 2 rows, 0 records, 2 rejected" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ') $(tail -n 1 "$tmp/err")"

done_testing
