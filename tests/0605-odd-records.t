#!/bin/sh
# One record layer (fo-record.5, VERDICTS): an odd value gets the same
# verdict, and the same message, in every stage that reads its field,
# and every other stage lets it pass. The table is written by hand:
#   FIELDS <TAB> READERS <TAB> VERDICT
# FIELDS go into {"id":"t:N","exception":"other",FIELDS} (without the
# exception when FIELDS name one); READERS are the stages that read the
# field (c fo-classify, s fo-score, r fo-route, a fo-age -a), "-" none;
# VERDICT is "ok" (every stage passes the record) or the message each
# reader rejects it with, the others passing it.
. "$(dirname "$0")/lib.sh"

AS_OF=2026-11-21
cat >"$tmp/table" <<'EOF'
"currency":"EUR","amount":1250.00	-	ok
"currency":"EUR","amount":10	-	ok
"currency":"EUR","amount":10.000	-	ok
"currency":"EUR","amount":null	-	ok
"currency":"EUR","amount":"10.00"	csa	amount '10.00': not a number
"currency":"EUR","amount":10.005	csa	amount 10.005: too many decimals: 3, at most 2
"currency":"JPY","amount":10.5	csa	amount 10.5: too many decimals: 1, at most 0
"currency":"EUR","amount":99999999999999999999.00	csa	amount 99999999999999999999.00: number too large
"currency":"EUR","amount":1e3	csa	amount 1e3: not a plain decimal (an exponent)
"currency":"EUR","amount":true	csa	amount true: not a number
"currency":"EUR","amount":[10]	csa	amount [10]: not a number
"currency":"EUR","amount":{"v":10}	csa	amount {"v":10}: not a number
"currency":"XYZ","amount":1.00	csa	currency 'XYZ': not an ISO 4217 currency code
"currency":"eur","amount":1.00	csa	currency 'eur': not an ISO 4217 currency code
"currency":978	csa	currency 978: not a string
"amount":10.125	s	amount without a currency
"amount":10.1234567	csa	amount 10.1234567: too many decimals: 7, at most 6
"amount_scope":"document","doc_id":"d1"	-	ok
"amount_scope":"row"	-	ok
"amount_scope":"both"	a	amount_scope 'both': document or row
"amount_scope":7	a	amount_scope 7: not a string
"amount_base":"lots"	ra	amount_base 'lots': not a number
"amount_base":100.00,"base_currency":"EURO"	ra	base_currency 'EURO': not an ISO 4217 currency code
"amount_base":100.005,"base_currency":"EUR"	ra	amount_base 100.005: too many decimals: 3, at most 2
"hold_date":"2026-11-01"	-	ok
"hold_date":"2026\u002d11\u002d01"	-	ok
"hold_date":""	-	ok
"hold_date":null	-	ok
"hold_date":"2026-02-30"	sra	hold_date '2026-02-30': not a date, YYYY-MM-DD
"hold_date":"2026-11-01T10:00:00Z"	sra	hold_date '2026-11-01T10:00:00Z': not a date, YYYY-MM-DD
"hold_date":"01.11.2026"	sra	hold_date '01.11.2026': not a date, YYYY-MM-DD
"hold_date":20261101	sra	hold_date 20261101: not a date, YYYY-MM-DD
"hold_date":["2026-11-01"]	sra	hold_date ["2026-11-01"]: not a date, YYYY-MM-DD
"doc_date":"2026-13-01"	csra	doc_date '2026-13-01': not a date, YYYY-MM-DD
"due_date":"31/11/2026"	sra	due_date '31/11/2026': not a date, YYYY-MM-DD
"discount_date":"2026-02-29"	sr	discount_date '2026-02-29': not a date, YYYY-MM-DD
"posting_date":"2026-00-10"	a	posting_date '2026-00-10': not a date, YYYY-MM-DD
"first_seen":"2026-02-30"	sra	first_seen '2026-02-30': not a date, YYYY-MM-DD
"sla_due":"2026-11-20T16:00:00Z"	-	ok
"sla_due":"tomorrow"	a	sla_due 'tomorrow': not a timestamp, YYYY-MM-DDTHH:MM:SSZ
"sla_due":"2026-11-21"	a	sla_due '2026-11-21': not a timestamp, YYYY-MM-DDTHH:MM:SSZ
"exception":null	-	ok
"exception":42	sra	exception 42: not a class name or null
"exception":""	sra	exception '': not a class name or null
"exception":["other"]	sra	exception ["other"]: not a class name or null
"exception":true	sra	exception true: not a class name or null
"vendor_id":"V1"	-	ok
"vendor_id":12345	cs	vendor_id 12345: not a string
"vendor_id":["V1"]	cs	vendor_id ["V1"]: not a string
"doc_type":["invoice"]	cs	doc_type ["invoice"]: not a string
"iban":123	cs	iban 123: not a string
"doc_number":12	c	doc_number 12: not a string
"status":false	c	status false: not a string
"id":7	c	id 7: not a string
"entity":1000,"amount_base":60000.00	cr	entity 1000: not a string
"sensitivity":3	sr	sensitivity 3: not a string
"created_by":["JDOE"]	r	created_by ["JDOE"]: not a string
"confidence":"0.9"	r	confidence '0.9': not a number
"duplicate_score":"0.95"	s	duplicate_score '0.95': not a number
"discount_pct":"2"	s	discount_pct '2': not a number
"vendor_tier":1	s	vendor_tier 1: not a string
"doc_date":"2026-11-01","terms":30	s	terms 30: not a string
EOF

# every record into one input, line n the table's line n
n=0
while IFS='	' read -r fields readers want; do
	n=$((n + 1))
	case $fields in
	'"id":'*)	printf '{"exception":"other",%s}\n' "$fields" ;;
	*'"exception"'*)	printf '{"id":"t:%d",%s}\n' $n "$fields" ;;
	*)	printf '{"id":"t:%d","exception":"other",%s}\n' $n "$fields" ;;
	esac
done <"$tmp/table" >"$tmp/in"

for s in c s r a; do
	case $s in
	c)	tool="fo-classify" ;;
	s)	tool="fo-score --as-of $AS_OF" ;;
	r)	tool="fo-route --as-of $AS_OF" ;;
	a)	tool="fo-age -a --as-of $AS_OF" ;;
	esac
	$tool -q --rejects "$tmp/rej.$s" "$tmp/in" >"$tmp/out.$s" 2>/dev/null
	echo $? >"$tmp/rc.$s"
	jq -r '"\(.line)\t\(.error)"' "$tmp/rej.$s" >"$tmp/why.$s"
done

n=0
while IFS='	' read -r fields readers want; do
	n=$((n + 1))
	for s in c s r a; do
		case $s in
		c)	tool=fo-classify ;;
		s)	tool=fo-score ;;
		r)	tool=fo-route ;;
		a)	tool=fo-age ;;
		esac
		got=$(awk -F '\t' -v n=$n '$1 == n { print $2 }' "$tmp/why.$s")
		case $readers in
		*$s*)	expect=$want ;;
		*)	expect=ok ;;
		esac
		check_eq "$tool on $fields" "$expect" "${got:-ok}"
	done
done <"$tmp/table"

# rows in = records out + rejected, in every stage; exit 1 for a reject
for s in c s r a; do
	check_eq "$s: every row accounted for, exit 1" "$n 1" \
	    "$(($(wc -l <"$tmp/out.$s") + $(wc -l <"$tmp/why.$s"))) $(cat "$tmp/rc.$s")"
done
# fo-classify --history reads its records the same way: one it would
# reject is reported with its position, not indexed, and the run exits 1
printf '%s\n' \
    '{"id":"h1","doc_type":"invoice","vendor_id":"V1","doc_number":"A1","currency":"EUR","amount":"10.00"}' \
    '{"id":"h2","doc_type":"invoice","vendor_id":"V1","doc_number":"A2","currency":"EUR","amount":10.00}' \
    >"$tmp/hist"
echo '{"id":"t1","doc_type":"invoice","vendor_id":"V1","doc_number":"A1","currency":"EUR","amount":10.00}' >"$tmp/in1"
run fo-classify --history "$tmp/hist" "$tmp/in1"
check_eq "--history: a bad amount is reported, at its column, exit 1" \
    "1 fo-classify: $tmp/hist:1:94: amount '10.00': not a number" \
    "$rc $(head -1 "$tmp/err")"
check_eq "--history: and not indexed (A1 has no earlier twin)" "other" \
    "$(jq -r .exception "$tmp/out")"
done_testing
