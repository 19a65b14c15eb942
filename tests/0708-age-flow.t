#!/bin/sh
# fo-age since last night, over three nights (testdata/age-flow): new,
# carried, reopened, reassigned, resolved and mean_days_to_resolve per
# group and in the header, the resolution history that tells a reopened
# case, --decisions (touched, untouched, first pass), --trend and its
# chart; a missing, damaged or future snapshot for --prev.
#
# The cases, by hand (first_seen in brackets):
#   night 1, Fri 2026-11-20: a b h purchasing, c d ap_triage, e tax
#     (a 11-20, b 11-17, c 11-19, d 11-20, e 11-19, h 11-19); n is no
#     exception.
#   night 2, Sat 2026-11-21: a h purchasing carried; c carried and
#     moved ap_triage -> purchasing (reassigned); e tax carried; f new in
#     ap_triage (11-21). Gone: b from purchasing, 11-17 to 11-21 = 4
#     days; d from ap_triage, 11-20 to 11-21 = 1 day.
#   (no run on Sunday 2026-11-22)
#   night 3, Mon 2026-11-23: b back in purchasing: resolved on night 2,
#     so reopened, first seen 11-17 still; f carried, moved ap_triage ->
#     tax (reassigned); g and g2 new in ap_triage (two holds of one
#     JPY document). Gone: a (11-20: 3 days), c (11-19: 4), h (11-19:
#     4) from purchasing, e (11-19: 4) from tax.
. "$(dirname "$0")/lib.sh"

F=$TD/age-flow
cd "$tmp" || exit 1
age() { fo-age -q "$@"; }

# the snapshots, as examples/nightly.sh keeps them, and the history
mkdir -p d/2026-11-20 d/2026-11-21 d/2026-11-22 d/2026-11-23
age -a --as-of 2026-11-20 "$F/night1.ndjson" >d/2026-11-20/aged.ndjson
age -a --as-of 2026-11-21 --prev d/2026-11-20/aged.ndjson \
    --resolved-out d/2026-11-21/resolved.ndjson "$F/night2.ndjson" \
    >d/2026-11-21/aged.ndjson
check_eq "night 2: the history, b and d resolved tonight" \
'{"id":"b","first_seen":"2026-11-17","resolved_on":"2026-11-21","reopens":0,"reassigns":0}
{"id":"d","first_seen":"2026-11-20","resolved_on":"2026-11-21","reopens":0,"reassigns":0}' \
    "$(cat d/2026-11-21/resolved.ndjson)"
check_eq "night 2 -a: c reassigned once, the others not" \
    "a 0 0|c 0 1|e 0 0|f 0 0|h 0 0" \
    "$(jq -r '"\(.id) \(.reopens) \(.reassigns)"' d/2026-11-21/aged.ndjson |
        paste -sd'|' -)"

night3() {
	age -a --as-of 2026-11-23 --prev d/2026-11-21/aged.ndjson \
	    --resolved d/2026-11-21/resolved.ndjson \
	    --resolved-out d/2026-11-23/resolved.ndjson "$F/night3.ndjson"
}
night3 >d/2026-11-23/aged.ndjson
check_eq "night 3: b leaves the history (back), a c e h join it, d stays" \
'{"id":"a","first_seen":"2026-11-20","resolved_on":"2026-11-23","reopens":0,"reassigns":0}
{"id":"c","first_seen":"2026-11-19","resolved_on":"2026-11-23","reopens":0,"reassigns":1}
{"id":"d","first_seen":"2026-11-20","resolved_on":"2026-11-21","reopens":0,"reassigns":0}
{"id":"e","first_seen":"2026-11-19","resolved_on":"2026-11-23","reopens":0,"reassigns":0}
{"id":"h","first_seen":"2026-11-19","resolved_on":"2026-11-23","reopens":0,"reassigns":0}' \
    "$(cat d/2026-11-23/resolved.ndjson)"
check_eq "night 3 -a: b reopened, first seen on 11-17, 6 days old" \
    "2026-11-17 6 1 0" \
    "$(jq -r 'select(.id == "b") | "\(.first_seen) \(.age_days) \(.reopens) \(.reassigns)"' \
        d/2026-11-23/aged.ndjson)"
cp d/2026-11-23/aged.ndjson s3 && cp d/2026-11-23/resolved.ndjson r3
night3 >again
check_same "night 3 rerun: the same snapshot" s3 again
check_same "night 3 rerun: the same history" r3 d/2026-11-23/resolved.ndjson

# night 2's report by queue: new f; carried a c e h, c reassigned;
# resolved b (4 days, purchasing) and d (1 day, ap_triage): mean 2.5
# the flow's keys as written (jq would write 4.0 as 4)
flow() {
	grep "$@" | grep -o '"new":.*"mean_days_to_resolve":[0-9.nul]*' |
	    sed 's/"[a-z_]*"://g; s/,/ /g' | paste -sd'|' -
}
age --as-of 2026-11-21 -g queue --prev d/2026-11-20/aged.ndjson \
    d/2026-11-21/aged.ndjson >n2.ndjson
check_eq "night 2 header: new 1, carried 4, reassigned 1, resolved 2 in 2.5 days" \
    "1 4 0 1 2 2.5" "$(head -n 1 n2.ndjson | flow .)"
check_eq "night 2 by queue (ap_triage, purchasing, tax, all)" \
    "1 0 0 0 1 1.0|0 3 0 1 1 4.0|0 1 0 0 0 null|1 4 0 1 2 2.5" \
    "$(flow '"bucket":"total"' n2.ndjson)"

# night 3, with the decisions: a one touch, first pass; c one touch but
# reassigned on night 2, touched only; h none (the system); e none in
# the file (its line is dated after the night); b's and z's are not
# about tonight's resolved cases. Header: new 2 (g, g2), carried 1 (f),
# reopened 1 (b), reassigned 1 (f), resolved 4: (3+4+4+4)/4 = 3.75,
# 3.8 half up; purchasing (3+4+4)/3 = 3.67, 3.7; tax 4.0.
n3() {
	age --as-of 2026-11-23 -g queue --prev d/2026-11-21/aged.ndjson \
	    --resolved d/2026-11-21/resolved.ndjson \
	    --decisions "$F/decisions.ndjson" "$@" d/2026-11-23/aged.ndjson
}
n3 >n3.ndjson
dec='"\(.touched) \(.untouched) \(.undecided) \(.first_pass)"'
check_eq "night 3 header: flow" "2 1 1 1 4 3.8" \
    "$(head -n 1 n3.ndjson | flow .)"
check_eq "night 3 header: touched 2, untouched 1, undecided 1, first pass 1" \
    "2 1 1 1" "$(head -n 1 n3.ndjson | jq -r "$dec")"
check_eq "night 3 by queue: flow (ap_triage, purchasing, tax, all)" \
    "2 0 0 0 0 null|0 0 1 0 3 3.7|0 1 0 1 1 4.0|2 1 1 1 4 3.8" \
    "$(flow '"bucket":"total"' n3.ndjson)"
check_eq "night 3 by queue: decisions" \
    "0 0 0 0|2 1 0 1|0 0 1 0|2 1 1 1" \
    "$(jq -r "select(.bucket == \"total\") | $dec" n3.ndjson | paste -sd'|' -)"
check_eq "night 3: a bucket row has no flow" "null" \
    "$(sed -n 2p n3.ndjson | jq -c '.new')"

n3 -f csv >n3.csv
check_eq "csv: the flow columns, filled on total rows" \
    "queue,bucket,count,amount_EUR,amount_JPY,amount_USD,sla_breached,oldest_days,median_days,new,carried,reopened,reassigned,resolved,mean_days_to_resolve,touched,untouched,undecided,first_pass
ap_triage,current,2,,1000,,0,0,0,,,,,,,,,,
ap_triage,total,2,,1000,,0,0,0,2,0,0,0,0,,0,0,0,0
purchasing,total,1,50.00,,,0,6,6,0,0,1,0,3,3.7,2,1,0,1
tax,total,1,,,30.00,0,2,2,0,1,0,1,1,4.0,0,0,1,0
(all),total,4,50.00,1000,30.00,0,6,0,2,1,1,1,4,3.8,2,1,1,1" \
    "$(grep -E '^queue|total|^ap_triage,current' n3.csv)"

n3 -f table >n3.table
cat >want <<'EOF'
since --prev: new 2, carried 1, resolved 4, mean days to resolve 3.8, reopened 1, reassigned 1
decisions: touched 2, untouched 1, undecided 1, first pass 1
since --prev, by group (resolved: in last night's group)

queue       new  carried  reopened  reassigned  resolved  mean_days  touched  untouched  undecided  first_pass
ap_triage     2        0         0           0         0          -        0          0          0           0
purchasing    0        0         1           0         3        3.7        2          1          0           1
tax           0        1         0           1         1        4.0        0          0          1           0
(all)         2        1         1           1         4        3.8        2          1          1           1
EOF
{ sed -n 3,4p n3.table; sed -n '/^since --prev, by/,$p' n3.table; } >got
check_same "table: the header's flow, and a table by group" want got

n3 -f html >n3.html
check_eq "html: the headline" \
    "2 new|since the night before; 4 resolved (mean 3.8 days open), 1 carried
1 reopened|resolved before, back tonight; 1 reassigned to another queue
1 first pass|of 4 resolved: 2 touched, 1 untouched, 1 without a decision" \
    "$(grep -o '<div class="tile"><b>[0-9]* [a-z ]*</b><span>[^<]*' n3.html |
        sed 's/<\/b>/|/; s/<[^>]*>//g')"
check_eq "html: a line a queue since the night before" \
    "<tr><td>purchasing</td><td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">3</td><td class=\"n\">3.7</td><td class=\"n\">2</td><td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">1</td></tr>" \
    "$(sed -n '/class="flows"/,/<\/table>/p' n3.html | grep '<td>purchasing')"

n3 -f xlsx -o n3.xlsx
PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	ok "# SKIP python3 with openpyxl (python3-openpyxl) is not installed"
else
# numbers are number cells: 4.0 days reads back as the number 4
check_eq "xlsx: the Summary's flow, a row a queue, then all" \
    "ap_triage 2 0 0 0 0 None 0 0 0 0
purchasing 0 0 1 0 3 3.7 2 1 0 1
tax 0 1 0 1 1 4 0 0 1 0
(all) 2 1 1 1 4 3.8 2 1 1 1" \
    "$("$PY" -c '
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])["Summary"]
rows = list(ws.iter_rows(values_only=True))
i = [r[0] for r in rows].index("queue", 3)
for r in rows[i + 1:]:
    print(" ".join(str(v) for v in r[:11]))
' n3.xlsx 2>&1)"
fi

# the partial cannot know what is resolved: refused
run fo-age --prev d/2026-11-21/aged.ndjson --partial d/2026-11-23/aged.ndjson
check_eq "--prev with --partial: exit 2" 2 "$rc"
run fo-age --decisions "$F/decisions.ndjson" d/2026-11-23/aged.ndjson
check_eq "--decisions without --prev: exit 2, says so" \
    "2|fo-age: --resolved, --resolved-out and --decisions need --prev" \
    "$rc|$(head -n 1 "$tmp/err")"

# a bad decision: every one at its line and column, nothing read
cp "$F/decisions.ndjson" bad.ndjson
printf '%s\n' '{"id":"q","resolved_on":"2026-11-31","by":"mia","action":"x","touches":1}' \
    '{"id":"r","resolved_on":"2026-11-23","by":"mia","action":"x","touches":1.5}' \
    '{"id":"a","resolved_on":"2026-11-23","by":"jon","action":"x","touches":2}' \
    '{"id":"s","resolved_on":"2026-11-23","by":"mia",' >>bad.ndjson
run fo-age --as-of 2026-11-23 --prev d/2026-11-21/aged.ndjson \
    --decisions bad.ndjson d/2026-11-23/aged.ndjson
check_eq "bad decisions: exit 2, nothing written" "2|" "$rc|$(cat "$tmp/out")"
check_eq "bad decisions: each at its line and column" \
    "fo-age: bad.ndjson:7:25: resolved_on '2026-11-31': not a date, YYYY-MM-DD
fo-age: bad.ndjson:8:72: touches: a whole number, 0 to 1000000
fo-age: bad.ndjson:10:49: unexpected end of input, expected string key
fo-age: bad.ndjson:9: a second decision on id 'a' resolved the same day (line 2)" \
    "$(cat "$tmp/err")"

run fo-age --as-of 2026-11-23 --prev d/2026-11-21/aged.ndjson \
    --decisions nodecisions.ndjson d/2026-11-23/aged.ndjson
check_eq "a decisions file named and missing: exit 2, as a missing --prev" \
    "2|fo-age: nodecisions.ndjson: the decisions: No such file or directory|" \
    "$rc|$(cat "$tmp/err")|$(cat "$tmp/out")"

# --prev that cannot be read: no silent first night
run fo-age --as-of 2026-11-23 --prev none.ndjson d/2026-11-23/aged.ndjson
check_eq "missing snapshot: exit 2, says so, nothing written" \
    "2|fo-age: none.ndjson: the previous snapshot: No such file or directory|" \
    "$rc|$(cat "$tmp/err")|$(cat "$tmp/out")"
head -n 1 d/2026-11-21/aged.ndjson >cut.ndjson
head -n 1 d/2026-11-21/aged.ndjson | cut -c1-30 >>cut.ndjson	# '"price_' at 23
run fo-age --as-of 2026-11-23 --prev cut.ndjson d/2026-11-23/aged.ndjson
check_eq "damaged snapshot: exit 2, at its line and column" \
    "2|fo-age: cut.ndjson:2:23:|" \
    "$rc|$(cut -d' ' -f1-2 "$tmp/err")|$(cat "$tmp/out")"
printf '%s\n' '{"id":"a","exception":"other","seen_on":"2026-11-24"}' >future.ndjson
run fo-age --as-of 2026-11-23 --prev future.ndjson d/2026-11-23/aged.ndjson
check_eq "a snapshot of a later night: exit 2, at its seen_on" \
    "2|fo-age: future.ndjson:1:41: a snapshot of 2026-11-24, after --as-of 2026-11-23|" \
    "$rc|$(cat "$tmp/err")|$(cat "$tmp/out")"
run fo-age --as-of 2026-11-23 --prev d/2026-11-21/aged.ndjson \
    --resolved nohist d/2026-11-23/aged.ndjson
check_eq "a missing history: exit 2, says so" \
    "2|fo-age: nohist: the resolution history: No such file or directory" \
    "$rc|$(cat "$tmp/err")"
sed 's/2026-11-21"/2026-11-24"/' d/2026-11-21/resolved.ndjson >laterhist
run fo-age --as-of 2026-11-23 --prev d/2026-11-21/aged.ndjson \
    --resolved laterhist d/2026-11-23/aged.ndjson
check_eq "a history of a later night: exit 2, at its resolved_on" \
    "2|fo-age: laterhist:1:51: resolved on 2026-11-24, after --as-of 2026-11-23: the history of a later night" \
    "$rc|$(cat "$tmp/err")"

# --trend: three nights, none on the 22nd (a directory without a
# snapshot), and one after the as-of date that is not read.
# Night 1: a b c d e h: 6, EUR 100.00 + 50.00 + 5.00 + 7.50 = 162.50,
# USD 10.00 + 20.00 = 30.00. Night 2: a c e f h: 5, EUR 112.50, USD
# 40.00. Night 3: b f g g2: 4, EUR 50.00, USD 30.00, and JPY 1000 once
# (g and g2 are one document).
mkdir d/2026-11-24 && echo '{' >d/2026-11-24/aged.ndjson
ln -s 2026-11-23 d/latest
check_eq "--trend -f ndjson" \
'{"night":"2026-11-20","count":6,"amounts":{"EUR":162.50,"USD":30.00}}
{"night":"2026-11-21","count":5,"amounts":{"EUR":112.50,"USD":40.00}}
{"night":"2026-11-23","count":4,"amounts":{"EUR":50.00,"JPY":1000,"USD":30.00}}' \
    "$(fo-age --as-of 2026-11-23 --trend d)"
check_eq "--trend -f csv" \
"night,count,amount_EUR,amount_JPY,amount_USD
2026-11-20,6,162.50,,30.00
2026-11-21,5,112.50,,40.00
2026-11-23,4,50.00,1000,30.00" \
    "$(fo-age --as-of 2026-11-23 --trend d -f csv)"
cat >want <<'EOF'
backlog by night, to 2026-11-23: 3 nights

night       count      amount
2026-11-20      6  162.50 EUR
                    30.00 USD
2026-11-21      5  112.50 EUR
                    40.00 USD
2026-11-23      4   50.00 EUR
                     1000 JPY
                    30.00 USD
EOF
fo-age --as-of 2026-11-23 --trend d -f table >got
check_same "--trend -f table" want got

n3 -f html --trend d >trend.html
check_eq "html --trend: a bar a night, titled with its count" \
    "<title>2026-11-20: 6 open</title>
<title>2026-11-21: 5 open</title>
<title>2026-11-23: 4 open</title>" \
    "$(grep -o '<title>[0-9-]*: [0-9]* open</title>' trend.html)"
check_eq "html --trend: and a chart per currency, exact" \
    "<title>2026-11-20: 162.50 EUR</title>
<title>2026-11-21: 112.50 EUR</title>
<title>2026-11-23: 50.00 EUR</title>
<title>2026-11-20: 0 JPY</title>
<title>2026-11-21: 0 JPY</title>
<title>2026-11-23: 1000 JPY</title>
<title>2026-11-20: 30.00 USD</title>
<title>2026-11-21: 40.00 USD</title>
<title>2026-11-23: 30.00 USD</title>" \
    "$(grep -o '<title>[0-9-]*: [0-9.]* [A-Z]*</title>' trend.html)"
# heights by integer arithmetic on 120 pixels: 6 -> 120, 5 -> 100,
# 4 -> 80; EUR 16250 -> 120, 11250 -> 83, 5000 -> 36
check_eq "html --trend: bar heights from the exact values" \
    "120 100 80|120 83 36" \
    "$(sed -n '/class="trend"/,/<\/svg>/p' trend.html |
        grep -o 'height="[0-9]*" fill="#4a7ab5"' |
        sed 's/height="\([0-9]*\)".*/\1/' | paste -sd' ' -)|$(grep -o 'height="[0-9]*" fill="#5aa55a"' trend.html |
        sed -n 1,3p | sed 's/height="\([0-9]*\)".*/\1/' | paste -sd' ' -)"
# the span of nights in the caption; under each bar its month and day
# (the year is in the caption and in the bar's title), centred on the bar
check_eq "html --trend: the caption names the first and last night" \
    "<p>3 nights with a snapshot, 2026-11-20 to 2026-11-23; a night without one is not shown.</p>" \
    "$(grep '^<p>3 nights' trend.html)"
check_eq "html --trend: each bar's month and day under it, centred" \
    '<text x="40" y="168" class="d">11-20</text>
<text x="104" y="168" class="d">11-21</text>
<text x="168" y="168" class="d">11-23</text>' \
    "$(sed -n '/class="trend"/,/<\/svg>/p' trend.html | head -n 5 |
        grep -o '<text x="[0-9]*" y="[0-9]*" class="d">[0-9-]*</text>')"
check_eq "html without --trend: no backlog chart" "0" \
    "$(grep -c 'Backlog, night by night' n3.html)"

# a damaged snapshot: its path, line and column, never skipped
cp d/2026-11-21/aged.ndjson keep
sed -i '3s/"amount":5.00/"amount":5.001/' d/2026-11-21/aged.ndjson
run fo-age --as-of 2026-11-23 --trend d
# at the decimal too many, the last of 5.001
col=$(sed -n 3p d/2026-11-21/aged.ndjson | awk '{ print index($0, "5.001") + 4 }')
check_eq "--trend, a damaged snapshot: exit 2, path:line:col, nothing written" \
    "2|fo-age: d/2026-11-21/aged.ndjson:3:$col: amount 5.001: too many decimals: 3, at most 2|" \
    "$rc|$(cat "$tmp/err")|$(cat "$tmp/out")"
cp keep d/2026-11-21/aged.ndjson
chmod 000 d/2026-11-21/aged.ndjson
if [ "$(id -u)" -ne 0 ]; then
	run fo-age --as-of 2026-11-23 --trend d
	check_eq "--trend, an unreadable snapshot: exit 3, its path" \
	    "3|fo-age: d/2026-11-21/aged.ndjson: Permission denied" \
	    "$rc|$(cat "$tmp/err")"
else
	ok "--trend, an unreadable snapshot: # SKIP root reads it"
fi
chmod 644 d/2026-11-21/aged.ndjson
run fo-age --as-of 2026-11-23 --trend d d/2026-11-23/aged.ndjson
check_eq "--trend -f ndjson reads no records: given one, exit 2" 2 "$rc"
run fo-age --as-of 2026-11-23 --trend nodir
check_eq "--trend of no directory: exit 2, says so" \
    "2|fo-age: nodir: --trend: No such file or directory" \
    "$rc|$(cat "$tmp/err")"

done_testing
