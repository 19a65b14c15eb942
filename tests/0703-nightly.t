#!/bin/sh
# examples/nightly.sh, the cron job, on five nights of sample exports:
# dated snapshots, queue files, the reports, --prev on the second night,
# exit 1 when anything was rejected, and 75 while another run holds the
# lock; cases resolved and reopened, the decisions, the backlog.
. "$(dirname "$0")/lib.sh"

N=$(cd "$(dirname "$0")/../examples" && pwd)/nightly.sh
mkdir -p "$tmp/inbox"
cp "$TD/ingest/sap-mrbr/clean.csv" "$TD/ingest/oracle-ap-holds/holds.csv" \
    "$tmp/inbox/"
export FO_RATES="$TD/demo-rates.csv"

run sh "$N" "$tmp/inbox" "$tmp/night" 2026-11-21
check_eq "night 1: exit 1 (the Oracle export has two bad rows)" 1 "$rc"
for f in ingested classified scored routed aged aging.html aging.xlsx \
    aging.table aging.ndjson; do
	case $f in *.*) ;; *) f=$f.ndjson ;; esac
	check "night 1: $f written" [ -s "$tmp/night/2026-11-21/$f" ]
done
check_eq "night 1: every stage's rejects kept" "2" \
    "$(cat "$tmp/night/2026-11-21/rejects/"*.ndjson | wc -l | tr -d ' ')"
check "night 1: one file per queue" [ -s "$tmp/night/2026-11-21/queues/purchasing.ndjson" ]
check_eq "night 1: latest" 2026-11-21 "$(readlink "$tmp/night/latest")"

run sh "$N" "$tmp/inbox" "$tmp/night" 2026-11-22
check_eq "night 2: the same exports, all carried over" \
    "new 0, carried 16, resolved 0" \
    "$(grep -o 'new [0-9]*, carried [0-9]*, resolved [0-9]*' "$tmp/night/2026-11-22/aging.table")"
check_eq "night 2: the page's headline, since the night before" \
    "0 new|since the night before; 0 resolved, 16 carried" \
    "$(grep -o '<div class="tile"><b>[0-9]* new</b><span>[^<]*' "$tmp/night/2026-11-22/aging.html" |
        sed 's/<\/b>/|/; s/<[^>]*>//g')"
check_eq "night 2: latest moves" 2026-11-22 "$(readlink "$tmp/night/latest")"

# another run holds the lock: this one does nothing and says so
(flock 9; sleep 3) 9>"$tmp/night/.lock" &
sleep 0.5
run sh "$N" "$tmp/inbox" "$tmp/night" 2026-11-23
wait
check_eq "locked: exit 75, nothing written" "75 no" \
    "$rc $([ -e "$tmp/night/2026-11-23" ] && echo yes || echo no)"

# a later night, Tuesday the 24th: the cases are carried from the 22nd,
# first seen on the 21st, and no SLA clock restarts (from the 24th, a
# purchasing case's three business days would end on the 26th, not the
# 25th)
run sh "$N" "$tmp/inbox" "$tmp/night" 2026-11-24
sla() {
	jq -r 'select(.exception) | "\(.id) \(.sla_due)"' \
	    "$tmp/night/$1/aged.ndjson" | sort
}
check_eq "night 3: every case first seen on night 1, open 3 nights" \
    "16 2026-11-21 3" \
    "$(jq -r 'select(.exception) | "\(.first_seen) \(.nights_open)"' \
        "$tmp/night/2026-11-24/aged.ndjson" | uniq -c | sed 's/^ *//')"
check_eq "night 3: a record without a hold date keeps its sla_due" \
    "sap-mrbr:1000:5105600101:2026:000001 2026-11-25T16:00:00Z" \
    "$(sla 2026-11-24 | grep -F 'sap-mrbr:1000:5105600101:2026:000001')"
check_eq "night 3: every sla_due as on night 1" "$(sla 2026-11-21)" \
    "$(sla 2026-11-24)"
check_eq "night 3: last night's queue travels as prev_queue" \
    "purchasing purchasing" \
    "$(jq -r 'select(.id == "sap-mrbr:1000:5105600101:2026:000001") |
        "\(.prev_queue) \(.queue)"' "$tmp/night/2026-11-24/aged.ndjson")"

# a fourth and a fifth night. On Wednesday the 25th the Oracle export is
# not there: its 8 exceptions (11 rows, 2 rejected, 1 hold released)
# are resolved, each first seen on the 21st, 4 days to resolve; the 8
# of SAP are carried. On Thursday the 26th it is back: the 25th's
# resolution history says those 8 were resolved, so they are reopened,
# not new. FO_AGE_DECISIONS says how two of them were resolved: one
# with one touch (first pass), one by the system (untouched).
jq -r 'select(.source == "oracle-ap-holds" and .exception) | .id' \
    "$tmp/night/2026-11-24/aged.ndjson" >"$tmp/oracle-ids"
check_eq "night 3: 8 Oracle exceptions" 8 "$(wc -l <"$tmp/oracle-ids" | tr -d ' ')"
{
	printf '{"id":"%s","resolved_on":"2026-11-25","by":"mia","action":"released","touches":1}\n' \
	    "$(sed -n 1p "$tmp/oracle-ids")"
	printf '{"id":"%s","resolved_on":"2026-11-25","by":"system","action":"auto_release","touches":0}\n' \
	    "$(sed -n 2p "$tmp/oracle-ids")"
} >"$tmp/decisions.ndjson"
mv "$tmp/inbox/holds.csv" "$tmp/holds.csv"
FO_AGE_DECISIONS=$tmp/decisions.ndjson run sh "$N" "$tmp/inbox" "$tmp/night" 2026-11-25
check_eq "night 4: SAP alone, nothing rejected: exit 0" 0 "$rc"
flow() {
	head -n 1 "$tmp/night/$1/aging.ndjson" | grep -o '"new":.*'
}
check_eq "night 4: 8 carried, 8 resolved in 4.0 days, and the decisions" \
    '"new":0,"carried":8,"reopened":0,"reassigned":0,"resolved":8,"mean_days_to_resolve":4.0,"touched":1,"untouched":1,"undecided":6,"first_pass":1}' \
    "$(flow 2026-11-25)"
check_eq "night 4: the resolution history, the 8 Oracle cases" \
    "$(sort "$tmp/oracle-ids" | sed 's/.*/& 2026-11-21 2026-11-25/')" \
    "$(jq -r '"\(.id) \(.first_seen) \(.resolved_on)"' \
        "$tmp/night/2026-11-25/resolved.ndjson")"
check_eq "night 4: the page's headline, with the decisions" \
    "1 first pass|of 8 resolved: 1 touched, 1 untouched, 6 without a decision" \
    "$(grep -o '<div class="tile"><b>[0-9]* first pass</b><span>[^<]*' "$tmp/night/2026-11-25/aging.html" |
        sed 's/<\/b>/|/; s/<[^>]*>//g')"

mv "$tmp/holds.csv" "$tmp/inbox/holds.csv"
run sh "$N" "$tmp/inbox" "$tmp/night" 2026-11-26
check_eq "night 5: the Oracle cases back: reopened, not new" \
    '"new":0,"carried":8,"reopened":8,"reassigned":0,"resolved":0,"mean_days_to_resolve":null}' \
    "$(flow 2026-11-26)"
check_eq "night 5: reopened, first seen on the 21st still" \
    "8 2026-11-21 1" \
    "$(jq -r 'select(.source == "oracle-ap-holds" and .exception) |
        "\(.first_seen) \(.reopens)"' "$tmp/night/2026-11-26/aged.ndjson" |
        uniq -c | sed 's/^ *//')"
check_eq "night 5: the history is empty again" 0 \
    "$(wc -c <"$tmp/night/2026-11-26/resolved.ndjson" | tr -d ' ')"
# the backlog: no night on the 23rd (the locked run wrote nothing); BHD
# is only the Oracle export's (MOS-551, (75.500))
check_eq "night 5: backlog.csv, a line a night, BHD absent on the 25th" \
    "2026-11-21 16 -75.500|2026-11-22 16 -75.500|2026-11-24 16 -75.500|2026-11-25 8 |2026-11-26 16 -75.500" \
    "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "amount_BHD") c = i; next }
        { print $1, $2, $c }' "$tmp/night/2026-11-26/backlog.csv" | paste -sd'|' -)"
check_eq "night 5: the page draws the backlog of the 5 nights" \
    "<title>2026-11-21: 16 open</title>|<title>2026-11-22: 16 open</title>|<title>2026-11-24: 16 open</title>|<title>2026-11-25: 8 open</title>|<title>2026-11-26: 16 open</title>" \
    "$(grep -o '<title>[0-9-]*: [0-9]* open</title>' "$tmp/night/2026-11-26/aging.html" |
        paste -sd'|' -)"

done_testing
