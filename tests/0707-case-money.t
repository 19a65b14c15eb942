#!/bin/sh
# One exposure per document: records whose amount is their document's
# (amount_scope "document", as oracle-ap-holds writes each hold of an
# invoice) count that amount once in fo-age's sums, in each group at the
# bucket of the document's oldest exception, and once in all groups
# together; records of item amounts (SAP items, no amount_scope) add up.
# Every format says the same; every exception is still counted and
# listed. testdata/cases/held.ndjson, as of 2026-11-21, basis hold:
#   INV-1  14250.00 USD, two holds of 2026-11-10 (11 days), purchasing
#   D1     two items of 100.00 USD, 2026-11-10, purchasing
#   INV-2  1000.00 USD, a hold of 2026-11-10 in purchasing, one of
#          2026-09-01 (81 days) in receiving
#   INV-3  500.00 USD, two holds in receiving, of 2026-11-20 (1 day) and
#          2026-10-01 (51 days)
. "$(dirname "$0")/lib.sh"

H=$TD/cases/held.ndjson
age() { fo-age -q --as-of 2026-11-21 "$@"; }

# purchasing 1-30: 14250.00 + 100.00 + 100.00 + 1000.00 = 15450.00 (not
# 29700.00, INV-1 twice); receiving: INV-3 at 31-60 (its oldest), INV-2
# at 61-90, 1-30 counts INV-3's younger hold without money; all groups:
# INV-2 once, at 61-90 (its oldest anywhere): 14250.00 + 200.00 = 14450.00
# at 1-30, total 15950.00, the buckets' sum
cat >"$tmp/want.csv" <<'EOF'
queue,bucket,count,amount_USD,sla_breached,oldest_days,median_days
purchasing,current,0,,0,,
purchasing,1-30,5,15450.00,0,11,11
purchasing,31-60,0,,0,,
purchasing,61-90,0,,0,,
purchasing,90+,0,,0,,
purchasing,total,5,15450.00,0,11,11
receiving,current,0,,0,,
receiving,1-30,1,,0,1,1
receiving,31-60,1,500.00,0,51,51
receiving,61-90,1,1000.00,0,81,81
receiving,90+,0,,0,,
receiving,total,3,1500.00,0,81,51
(all),current,0,,0,,
(all),1-30,6,14450.00,0,11,11
(all),31-60,1,500.00,0,51,51
(all),61-90,1,1000.00,0,81,81
(all),90+,0,,0,,
(all),total,8,15950.00,0,81,11
EOF
run age -g queue -f csv "$H"
check_eq "csv: exit 0" "0" "$rc"
check_same "csv: each document's amount once" "$tmp/want.csv" "$tmp/out"

run age -g queue -f ndjson "$H"
check_eq "ndjson: the same sums" \
    'purchasing 1-30 5 {"USD":15450.00}
purchasing total 5 {"USD":15450.00}
receiving 1-30 1 {}
receiving 31-60 1 {"USD":500.00}
receiving 61-90 1 {"USD":1000.00}
receiving total 3 {"USD":1500.00}
all 1-30 6 {"USD":14450.00}
all 31-60 1 {"USD":500.00}
all 61-90 1 {"USD":1000.00}
all total 8 {"USD":15950.00}' \
    "$(sed 1d "$tmp/out" | grep -v '"count":0' |
        sed 's/.*"group":\(null\|{"queue":"\([a-z]*\)"}\),"bucket":"\([^"]*\)","count":\([0-9]*\),"amounts":\({[^}]*}\).*/\2 \3 \4 \5/; s/^ /all /')"

run age -f table "$H"
check_eq "table: the total once, the buckets adding up to it" \
    "1-30 6 14450.00 USD|31-60 1 500.00 USD|61-90 1 1000.00 USD|total 8 15950.00 USD" \
    "$(grep -E '^(1-30|31-60|61-90|total) ' "$tmp/out" |
        awk '{ print $1, $2, $3, $4 }' | paste -sd'|')"

run age -g queue -f html "$H"
check_eq "html: no sum counts a document twice" "0" \
    "$(grep -c '28,500\.00\|29,700\.00\|16,950\.00' "$tmp/out")"
check_eq "html: the total of all queues, 15,950.00" "yes" \
    "$(grep -q '15,950\.00' "$tmp/out" && echo yes || echo no)"
check_eq "html: the worklist lists every exception, INV-1 twice" "2" \
    "$(grep -o '14,250\.00' "$tmp/out" | wc -l | tr -d ' ')"

if [ -x "$FO_BIN/xlsxdump" ]; then
	age -g queue -f xlsx -o "$tmp/h.xlsx" "$H"
	check_eq "xlsx: the Summary's totals" \
	    "t:purchasing|t:all|n:5|n:15450|t:15450.00|t:USD
t:receiving|t:all|n:3|n:1500|t:1500.00|t:USD
t:(all)|t:all|n:8|n:15950|t:15950.00|t:USD" \
	    "$("$FO_BIN/xlsxdump" "$tmp/h.xlsx" | sed -n '/^sheet Summary/,/^sheet /p' |
	        grep '|t:all|' | cut -d'|' -f2-7)"
else
	ok "# SKIP no xlsxdump"
fi

# -a annotates each record as it is: no sums, nothing counted once
run age -a "$H"
check_eq "-a: every record's amount as written" "8 8" \
    "$(wc -l <"$tmp/out" | tr -d ' ') $(grep -c '"amount_scope":"document"\|"amount":100.00' "$tmp/out")"

# one document, two amounts: the sums cannot say which, the second is
# rejected and counted nowhere
{
	head -n 1 "$H"
	sed -n 2p "$H" | sed 's/14250\.00/14520.00/'
} >"$tmp/two.ndjson"
run age -f csv --rejects "$tmp/rej" "$tmp/two.ndjson"
check_eq "two amounts for one document: exit 1, the second rejected" \
    "1|fo-age: $tmp/two.ndjson:2: amount 14520.00 USD, but 14250.00 USD on an earlier record of doc_id 'o:INV-1', whose amount it is (amount_scope document)|1" \
    "$rc|$(cat "$tmp/err")|$(wc -l <"$tmp/rej" | tr -d ' ')"
check_eq "two amounts: the report counts the first only" "total,1,14250.00" \
    "$(grep '^total' "$tmp/out" | cut -d, -f1-3)"

done_testing
