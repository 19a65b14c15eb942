#!/bin/sh
# examples/nightly.sh, the cron job, on two nights of sample exports:
# dated snapshots, queue files, the reports, --prev on the second night,
# exit 1 when anything was rejected, and 75 while another run holds the
# lock.
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

done_testing
