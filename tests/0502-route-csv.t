#!/bin/sh
# fo-route --split DIR --format csv: each queue's worklist for people who
# open it in a spreadsheet. Expected lines written by hand from the three
# records below (the SLA's instant is the routed record's own).
. "$(dirname "$0")/lib.sh"

# a header, the fixed columns, RFC 4180
# quoting, formulas kept text (a number is not text: -5.00 stays)
cat >"$tmp/c.ndjson" <<'E'
{"id":"c1","exception":"price_variance","exceptions":["price_variance"],"sensitivity":"medium","confidence":0.9,"doc_number":"INV, \"big\"","vendor_id":"V9","vendor_name":"=cmd|' /C calc'!A0","currency":"JPY","amount":12500000,"priority":30,"priority_band":"P2","reasons":["line1\nline2","second"]}
{"id":"c2","exception":"other","exceptions":["other"],"sensitivity":"low","confidence":0.9,"vendor_name":"@SUM(1)","currency":"EUR","amount":-5.00,"reasons":["-1 cheaper"]}
{"id":"c3","exception":null}
E
mkdir "$tmp/split"
run fo-route -q -r "$TD/route/rules.yaml" --as-of 2026-11-23 \
    --split "$tmp/split" --format csv "$tmp/c.ndjson"
check_eq "--format csv: exit 0, a .csv per queue" \
    "0 duplicates.csv purchasing.csv treasury.csv triage.csv" \
    "$rc $(ls "$tmp/split" | paste -sd' ')"
H='id,doc_number,vendor_id,vendor_name,currency,amount,exception,priority,priority_band,queue,sla_due,escalate,reason'
sla1=$(jq -r 'select(.id == "c1") | .sla_due' "$tmp/out")
sla2=$(jq -r 'select(.id == "c2") | .sla_due' "$tmp/out")
printf '%s\r\n"c1","INV, ""big""","V9","'"'"'=cmd|'"'"' /C calc'"'"'!A0","JPY","12500000","price_variance","30","P2","purchasing","%s","false","line1\nline2"\r\n' \
    "$H" "$sla1" >"$tmp/want"
check_same "--format csv: purchasing, quoted, guarded, the first reason" \
    "$tmp/want" "$tmp/split/purchasing.csv"
printf '%s\r\n"c2",,,"'"'"'@SUM(1)","EUR","-5.00","other",,,"triage","%s","false","'"'"'-1 cheaper"\r\n' \
    "$H" "$sla2" >"$tmp/want"
check_same "--format csv: triage, empty cells for what is absent" \
    "$tmp/want" "$tmp/split/triage.csv"
printf '%s\r\n' "$H" >"$tmp/want"
check_same "--format csv: a queue with nothing tonight, the header alone" \
    "$tmp/want" "$tmp/split/treasury.csv"
run fo-route -q -r "$TD/route/rules.yaml" --format csv "$tmp/c.ndjson"
check_eq "--format without --split: exit 2" 2 "$rc"

done_testing
