#!/bin/sh
# fo-age with the shipped policy (rules/age.yaml) on routed records
# (testdata/age), as of 2026-11-21: bucket bounds, every basis, month
# and leap-year edges, exact sums per currency that add up, --prev,
# partials that merge to the same bytes, every format, the exit codes.
. "$(dirname "$0")/lib.sh"

A=$TD/age
DAY=2026-11-21
age() { fo-age -q --as-of $DAY "$@"; }

# golden outputs, every format (the page's parts: tests/0704-reports.t)
for f in ndjson csv table; do
	run age -g queue -f $f "$A/records.ndjson"
	check_eq "report -f $f: exit 0" 0 "$rc"
	check_same "report -f $f" "$A/report.$f" "$tmp/out"
done
run age -g queue -f html "$A/records.ndjson"
check_eq "report -f html: exit 0" 0 "$rc"
cp "$tmp/out" "$tmp/report.html"
run age -a "$A/records.ndjson"
check_same "-a annotates every exception" "$A/annotated.ndjson" "$tmp/out"
check_eq "-a passes a non-exception through byte for byte" \
    "$(grep -F '"t:paid"' "$A/records.ndjson")" \
    "$(grep -F '"t:paid"' "$tmp/out")"

check_eq "html: self-contained, no script, no link, no network; one chart" \
    "0 1" \
    "$(grep -ciE '<script|<link|src=|href=|url\(|@import' "$tmp/report.html") $(grep -c '<svg' "$tmp/report.html")"

# bucket bounds: 0 current, 1 and 30 in 1-30, 31 and 60 in 31-60, ...
check_eq "bounds inclusive at 0/1/30/31/60/61/90/91" \
    "0:current 1:1-30 30:1-30 31:31-60 60:31-60 61:61-90 90:61-90 91:90+" \
    "$(jq -r 'select(.id | test("^t:age")) | "\(.age_days):\(.age_bucket)"' \
        "$A/annotated.ndjson" | paste -sd' ')"
check_eq "days past due, due today is 0; SLA judged at the end of the day" \
    "-10 true 0 false 1 null" \
    "$(jq -r 'select(.id == "t:age0" or .id == "t:age1" or .id == "t:age30") |
        "\(.days_past_due) \(.sla_breached)"' "$A/annotated.ndjson" | paste -sd' ')"
check_eq "--buckets 0,7 makes current, 1-7, 7+" \
    '["current","1-7","7+"] 2 1 7' \
    "$(age --buckets 0,7 "$A/records.ndjson" | jq -rsc '.[0].buckets,
        (.[1:4] | map(.count) | join(" "))' | paste -sd' ')"

# every basis, month and leap-year edges
cat >"$tmp/leap" <<'X'
{"id":"l1","exception":"other","doc_date":"2028-02-29","posting_date":"2028-03-01","due_date":"2028-02-28","hold_date":"2028-01-31"}
{"id":"l2","exception":"other","doc_date":"2027-12-31","posting_date":"2028-02-28","due_date":"2028-03-02","hold_date":"2027-03-01"}
X
for b in hold:"30 366" doc:"1 61" due:"2 -1" posting:"0 2"; do
	check_eq "--basis ${b%%:*}, as of 2028-03-01 (leap day, year ends)" \
	    "${b#*:}" "$(fo-age -q --as-of 2028-03-01 --basis ${b%%:*} -a "$tmp/leap" |
	        jq -r .age_days | paste -sd' ')"
done
check_eq "the basis is printed" '"due"' \
    "$(fo-age -q --as-of 2028-03-01 --basis due "$tmp/leap" | head -1 | jq .basis)"
check_eq "a timestamp as of: its UTC day, SLAs at that instant" "1 true" \
    "$(echo '{"id":"s","exception":"other","hold_date":"2026-11-20","sla_due":"2026-11-21T10:00:00Z"}' |
        fo-age -q --as-of 2026-11-21T12:00:00Z -a | jq -r '"\(.age_days) \(.sla_breached)"')"

# exact money: bucket sums add up to the totals, per currency
check_eq "every total equals the sum of its buckets, per currency, to the cent" "0" \
    "$(jq -s '[group_by(.group)[] | . as $g |
        ($g | map(select(.bucket == "total"))[0]) as $t |
        ($t.amounts | keys[]) as $c |
        select(([$g[] | select(.bucket != "total") | .amounts[$c] // 0] | add) * 1000
            | round != ($t.amounts[$c] * 1000 | round))] | length' \
        "$A/report.ndjson" | tail -1)"
check_eq "JPY without decimals, KWD with three, 1e9 USD exact" \
    '"JPY":12346,"KWD":1.255,"USD":1000000000.00' \
    "$(tail -1 "$A/report.ndjson" | grep -o '"JPY":[^,]*,"KWD":[^,]*,"USD":[^}]*')"
check_eq "the meta row counts the skipped non-exceptions" "11 1" \
    "$(head -1 "$A/report.ndjson" | jq -r '"\(.records) \(.skipped)"')"

# --prev: new, carried, resolved; first_seen carried forward
run age --prev "$A/prev.ndjson" "$A/records.ndjson"
check_eq "--prev: new 8, carried 3, resolved 2 in 7.5 days on average" \
    "8 3 2 7.5" "$(head -1 "$tmp/out" | jq -r '"\(.new) \(.carried) \(.resolved) \(.mean_days_to_resolve)"')"
run age --prev "$A/prev.ndjson" -a "$A/records.ndjson"
check_same "--prev -a: first_seen carried" "$A/prev-annotated.ndjson" "$tmp/out"
check_eq "no hold date: aged from first_seen, not the later doc_date" \
    "2026-11-05 16" "$(jq -r 'select(.id == "t:nohold") | "\(.first_seen) \(.age_days)"' "$tmp/out")"
run age --prev "$A/prev.ndjson" -f table "$A/records.ndjson"
check_same "--prev -f table" "$A/prev.table" "$tmp/out"

# partials: three parts merged give the bytes of one run, every format
# (made for the page: they carry its worklist, which the others skip)
head -4 "$A/records.ndjson" | age -g queue,exception -f html --partial >"$tmp/p1"
sed -n 5,8p "$A/records.ndjson" | age -g queue,exception -f html --partial >"$tmp/p2"
sed -n '9,$p' "$A/records.ndjson" | age -g queue,exception -f html --partial >"$tmp/p3"
for f in ndjson csv table html; do
	age -g queue,exception -f $f "$A/records.ndjson" >"$tmp/one"
	fo-age -q --merge -f $f "$tmp/p3" "$tmp/p1" "$tmp/p2" >"$tmp/merged"
	check_same "--partial x3 then --merge = one run, -f $f" "$tmp/one" "$tmp/merged"
done
age --basis due --partial "$A/records.ndjson" >"$tmp/pd"
run fo-age -q --merge "$tmp/p1" "$tmp/pd"
check_eq "--merge refuses partials of another report: exit 1" 1 "$rc"

# rejects and exit codes
run age --rejects "$tmp/rej" "$A/bad.ndjson"
check_eq "bad records: exit 1" 1 "$rc"
check_eq "each rejected with its position" \
    "2:72 3:113 4:95 5:2 6:94" \
    "$(jq -r '"\(.line):\(.col)"' "$tmp/rej" | paste -sd' ')"
check_eq "the good record is still counted" 1 "$(jq -s '.[0].records' "$tmp/out")"
run fo-age --basis sideways "$A/records.ndjson"
check_eq "a bad --basis: exit 2" 2 "$rc"
run fo-age --buckets 30,10 "$A/records.ndjson"
check_eq "descending --buckets: exit 2" 2 "$rc"
run fo-age --as-of 2026-02-30 "$A/records.ndjson"
check_eq "a bad --as-of: exit 2" 2 "$rc"
run fo-age -a --partial "$A/records.ndjson"
check_eq "-a with --partial: exit 2" 2 "$rc"
printf 'basis: hold\nbuckets: [0, x]\ncolour: red\n' >"$tmp/bad.yaml"
run fo-age -r "$tmp/bad.yaml" "$A/records.ndjson"
check_eq "a bad rules file: exit 2, every mistake with its position" \
    "2 2" "$rc $(grep -c "bad.yaml:[0-9]*:[0-9]*:" "$tmp/err")"
run fo-age "$tmp/missing"
check_eq "a missing input: exit 3" 3 "$rc"
run fo-age -h
check_eq "-h: exit 0" 0 "$rc"

# examples/nightly.sh: two nights, the second aged against the first
NS=$(cd "$(dirname "$0")/.." && pwd)/examples/nightly.sh
mkdir -p "$tmp/inbox" "$tmp/fo"
cp "$TD/ingest/sap-mrbr/clean.csv" "$TD/ingest/oracle-ap-holds/holds.csv" \
    "$tmp/inbox/"
run env FO_RATES=$TD/demo-rates.csv sh "$NS" "$tmp/inbox" "$tmp/fo" 2026-11-20
check_eq "nightly.sh: some rows rejected: exit 1" 1 "$rc"
run env FO_RATES=$TD/demo-rates.csv sh "$NS" "$tmp/inbox" "$tmp/fo" 2026-11-21
check_eq "nightly.sh: the second night carries the first night's 16" \
    "1 16 0 0" "$rc $(head -1 "$tmp/fo/latest/aging.ndjson" |
        jq -r '"\(.carried) \(.new) \(.resolved)"')"
check_eq "nightly.sh: dated snapshots, one file per queue, the HTML report" \
    "2026-11-21 9 1" "$(readlink "$tmp/fo/latest") \
$(ls "$tmp/fo/2026-11-21/queues" | wc -l | tr -d ' ') \
$(grep -c '<svg' "$tmp/fo/2026-11-21/aging.html" | sed 's/^[1-9][0-9]*$/1/')"
flock "$tmp/fo/.lock" sleep 3 &
sleep 1
run sh "$NS" "$tmp/inbox" "$tmp/fo" 2026-11-22
check_eq "nightly.sh: a second run while one holds the lock: exit 75" 75 "$rc"
wait

# A report of megabytes is written as it is made, 256 KiB at a time:
# every line whole, the groups in order, the counts adding up, in every
# format, and --partial then --merge the same bytes as one run.
awk 'BEGIN { for (i = 0; i < 4000; i++)
	printf "{\"id\":\"b%05d\",\"exception\":\"price_variance\",\"queue\":\"ap\",\"hold_date\":\"2026-%02d-%02d\",\"currency\":\"EUR\",\"amount\":%d.25}\n",
	    i, 1 + i % 11, 1 + i % 28, i }' >"$tmp/many.ndjson"
run fo-age -q --as-of 2026-11-21 -g id "$tmp/many.ndjson"
check_eq "4000 groups: a report of megabytes, every line JSON" \
    "0 1 $(((4000 + 1) * 6 + 1))" \
    "$rc $([ "$(wc -c <"$tmp/out")" -gt 1000000 ] && echo 1) $(jq -c . "$tmp/out" | wc -l | tr -d ' ')"
check_eq "4000 groups: in order, the totals add up, and (all) says the same" \
    "4000 true 4000 true 4000 true" \
    "$(jq -s -r '[.[1:][] | select(.bucket == "total")] as $t |
    [$t[] | select(.group != null)] as $g | ($t[] | select(.group == null)) as $all |
    "\($g | length) \(($g | map(.group.id)) == ($g | map(.group.id) | sort)) \($g | map(.count) | add) \(($g | map(.amounts.EUR) | add) == 7999000) \($all.count) \($all.amounts.EUR == 7999000)"' "$tmp/out")"
cp "$tmp/out" "$tmp/many.rep"
head -n 1500 "$tmp/many.ndjson" | fo-age -q --as-of 2026-11-21 -g id \
    -f html --partial >"$tmp/p1"
tail -n +1501 "$tmp/many.ndjson" | fo-age -q --as-of 2026-11-21 -g id \
    -f html --partial >"$tmp/p2"
fo-age -q --merge "$tmp/p1" "$tmp/p2" >"$tmp/merged"
check_same "4000 groups: --partial then --merge, the same bytes" \
    "$tmp/many.rep" "$tmp/merged"
for f in csv table html; do
	fo-age -q --as-of 2026-11-21 -g id -f $f "$tmp/many.ndjson" >"$tmp/a.$f"
	fo-age -q --merge -f $f "$tmp/p1" "$tmp/p2" >"$tmp/b.$f"
	check_same "4000 groups, -f $f: one run and a merge, the same bytes" \
	    "$tmp/a.$f" "$tmp/b.$f"
done
check_eq "4000 groups: csv and table, a line per group and bucket" \
    "24007 24010" \
    "$(wc -l <"$tmp/a.csv" | tr -d ' ') $(wc -l <"$tmp/a.table" | tr -d ' ')"

# groups on decoded values: an escape is the same text as its character
cat >"$tmp/esc.ndjson" <<'EOF'
{"id":"e1","exception":"other","vendor_name":"M\u00fcller","hold_date":"2026-11-20"}
{"id":"e2","exception":"other","vendor_name":"Müller","hold_date":"2026-11-20"}
{"id":"e3","exception":"other","vendor_name":"A \"B\", C","hold_date":"2026-11-20"}
{"id":"e4","exception":"other","vendor_name":"back\\slash","hold_date":"2026-11-20"}
EOF
check_eq "an escaped and a plain Müller: one group of 2" \
    '{"vendor_name":"back\\slash"} 1|{"vendor_name":"Müller"} 2|{"vendor_name":"A \"B\", C"} 1' \
    "$(fo-age -q --as-of 2026-11-21 -g vendor_name "$tmp/esc.ndjson" |
        jq -r 'select(.bucket == "total" and .group != null) | "\(.group | tojson) \(.count)"' |
        LC_ALL=C sort -r | paste -sd'|')"
check_eq "CSV: decoded text, quoted where it must be, no escape left" \
    'A "B", C|Müller|back\slash' \
    "$(fo-age -q --as-of 2026-11-21 -g vendor_name -f csv "$tmp/esc.ndjson" |
        grep ',total,' | python3 -c '
import csv, sys
print("|".join(sorted(r[0] for r in csv.reader(sys.stdin) if r[0] != "(all)")))')"
fo-age -q --as-of 2026-11-21 -g vendor_name -f html "$tmp/esc.ndjson" \
    >"$tmp/esc.html"
check "HTML: the decoded name is on the page" grep -q 'Müller' "$tmp/esc.html"
check "HTML: no JSON escape reaches the page" \
    sh -c "! grep -q 'u00fc' '$tmp/esc.html'"

done_testing
