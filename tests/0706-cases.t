#!/bin/sh
# Cases across nights: fo-classify --first-night, then --prev, carries
# first_seen, nights_open, prev_queue and seen_on, and fo-route's SLA runs
# from the hold, else from first_seen, so that it never restarts. A rerun
# gives the same bytes; a missing, damaged or future snapshot stops the
# run (exit 2, with its position), never a first night in disguise.
. "$(dirname "$0")/lib.sh"

C=$TD/cases
R=$TD/classify-engine/rules.yaml	# PRICE hold: price_variance, else other
cd "$tmp" || exit 1
cp "$C/night1.ndjson" "$C/night2.ndjson" .
night() {	# night AS_OF CARRY... INPUT: classified, carried, routed
	_d=$1
	shift
	fo-classify -q -r "$R" --as-of "$_d" "$@" | fo-route -q --as-of "$_d"
}
fields='select(.exception) | [.id, .first_seen, .nights_open, .prev_queue,
    .seen_on, .sla_due] | map(tostring) | join(" ")'

# Friday 2026-11-20, the first night: every case first seen tonight. p1
# (price, 3 business days on 09:00-17:00 +01:00) from the start of the
# 20th: the 20th, the 23rd and the 24th, due 17:00 +01:00. o1 from its
# hold, Monday 2026-11-02, one business day.
night 2026-11-20 --first-night night1.ndjson >s1.ndjson
check_eq "first night: first_seen as-of, 1 night, no prev_queue" \
    "p1 2026-11-20 1 null 2026-11-20 2026-11-24T16:00:00Z
o1 2026-11-20 1 null 2026-11-20 2026-11-02T16:00:00Z" \
    "$(jq -r "$fields" s1.ndjson)"
check_eq "first night: a record that is no exception passes as read" \
    '{"id":"n1","status":"ACSC","exception":null,"exceptions":[],"domain":"treasury","sensitivity":"low","confidence":0.90,"reasons":["accepted: payment accepted (ACSC)"]}' \
    "$(grep '"n1"' s1.ndjson)"
check_eq "first night: the carried fields after classify's, before route's" \
    "reasons first_seen nights_open prev_queue seen_on queue" \
    "$(head -n 1 s1.ndjson | jq -r 'keys_unsorted | .[8:14] | join(" ")')"
check_eq "without --prev nor --first-night: nothing carried" "null null" \
    "$(fo-classify -q -r "$R" night1.ndjson | head -n 1 |
        jq -r '"\(.first_seen) \(.nights_open)"')"

# Saturday the 21st: p1 and o1 again, p2 new. p1's clock does not restart
# (from the 21st it would end on Wednesday the 25th); p2's starts tonight,
# and the next working day is Monday: the 23rd, 24th, 25th.
night 2026-11-21 --prev s1.ndjson night2.ndjson >s2.ndjson
check_eq "second night: first_seen kept, nights counted, last queue" \
    "p1 2026-11-20 2 purchasing 2026-11-21 2026-11-24T16:00:00Z
p2 2026-11-21 1 null 2026-11-21 2026-11-25T16:00:00Z
o1 2026-11-20 2 ap_triage 2026-11-21 2026-11-02T16:00:00Z" \
    "$(jq -r "$fields" s2.ndjson)"

# a rerun of the night: the same bytes, from last night's snapshot or
# from tonight's own
night 2026-11-21 --prev s1.ndjson night2.ndjson >again.ndjson
check_same "rerun with last night's snapshot: the same bytes" s2.ndjson \
    again.ndjson
night 2026-11-21 --prev s2.ndjson night2.ndjson >again.ndjson
check_same "rerun with tonight's own snapshot: the same bytes" s2.ndjson \
    again.ndjson

# what the snapshot cannot give is an error, not a restart of every clock
run fo-classify -q -r "$R" --as-of 2026-11-21 --prev none.ndjson night2.ndjson
check_eq "missing snapshot: exit 2, says so, nothing written" \
    "2|fo-classify: none.ndjson: the previous snapshot: No such file or directory|" \
    "$rc|$(cat "$tmp/err")|$(cat "$tmp/out")"
head -n 1 s1.ndjson >cut.ndjson
head -n 1 s1.ndjson | cut -c1-60 >>cut.ndjson	# '"excepti' at 53
run fo-classify -q -r "$R" --as-of 2026-11-21 --prev cut.ndjson night2.ndjson
check_eq "damaged snapshot: exit 2, at its line and column" \
    "2|fo-classify: cut.ndjson:2:53:|" \
    "$rc|$(cut -d' ' -f1-2 "$tmp/err")|$(cat "$tmp/out")"
fo-classify -q -r "$R" night1.ndjson | fo-route -q --as-of 2026-11-20 \
    >plain.ndjson
run fo-classify -q -r "$R" --as-of 2026-11-21 --prev plain.ndjson \
    night2.ndjson
check_eq "a snapshot without carried fields: exit 2, at its line" \
    "2|fo-classify: plain.ndjson:1: no seen_on, first_seen or nights_open: not a snapshot of records carried by fo-classify --prev or --first-night|" \
    "$rc|$(cat "$tmp/err")|$(cat "$tmp/out")"
sed 's/"seen_on":"2026-11-20"/"seen_on":"2026-11-19"/' s1.ndjson >early.ndjson
run fo-classify -q -r "$R" --as-of 2026-11-21 --prev early.ndjson \
    night2.ndjson
col=$(head -n 1 early.ndjson | awk '{ print index($0, "\"first_seen\":") + 13 }')
check_eq "first seen after the night it was seen: exit 2, at first_seen" \
    "2|fo-classify: early.ndjson:1:$col: first_seen after seen_on" \
    "$rc|$(cat "$tmp/err")"
sed '3s/"seen_on":"2026-11-20"/"seen_on":"2026-11-21"/' s1.ndjson >mixed.ndjson
run fo-classify -q -r "$R" --as-of 2026-11-21 --prev mixed.ndjson \
    night2.ndjson
col=$(sed -n 3p mixed.ndjson | awk '{ print index($0, "\"seen_on\":") + 10 }')
check_eq "a snapshot of two nights: exit 2, at the second's seen_on" \
    "2|fo-classify: mixed.ndjson:3:$col: seen_on differs from the snapshot's first record: not one night's snapshot" \
    "$rc|$(cat "$tmp/err")"
run fo-classify -q -r "$R" --as-of 2026-11-20 --prev s2.ndjson night2.ndjson
col=$(head -n 1 s2.ndjson | awk '{ print index($0, "\"seen_on\":") + 10 }')
check_eq "a snapshot of a night after --as-of: exit 2, at its seen_on" \
    "2|fo-classify: s2.ndjson:1:$col: a snapshot of 2026-11-21, after --as-of 2026-11-20|" \
    "$rc|$(cat "$tmp/err")|$(cat "$tmp/out")"
run fo-classify -q -r "$R" --as-of 2026-11-21 --first-night --prev s1.ndjson \
    night2.ndjson
check_eq "--first-night and --prev: exit 2" \
    "2|fo-classify: --first-night and --prev: one or the other" \
    "$rc|$(cat "$tmp/err")"

# an exception without an id has no case to carry: rejected, counted
printf '%s\n' '{"hold_codes":["PRICE"]}' >noid.ndjson
run fo-classify -r "$R" --as-of 2026-11-21 --first-night --rejects rej.ndjson \
    noid.ndjson
check_eq "an exception without id: rejected (exit 1), at its line" \
    "1|fo-classify: noid.ndjson:1: an exception without an id: no case to carry across nights|fo-classify: 1 rows, 0 records, 1 rejected|1" \
    "$rc|$(head -n 1 "$tmp/err")|$(tail -n 1 "$tmp/err")|$(wc -l <rej.ndjson | tr -d ' ')"

# Monday the 23rd, with fo-age's resolution history (--resolved): p9 was
# first seen Monday the 16th and resolved on the 20th; back tonight it is
# reopened, and its clock goes on from the 16th (16th, 17th, 18th: due
# the 18th, long breached) instead of restarting tonight (it would be due
# the 25th). Its nights count again from tonight; it was in no queue last
# night. p1 is carried as before; p3 is new: the 23rd, 24th and 25th.
printf '%s\n' \
    '{"id":"a0","first_seen":"2026-11-02","resolved_on":"2026-11-03","reopens":0,"reassigns":0}' \
    '{"id":"p9","first_seen":"2026-11-16","resolved_on":"2026-11-20","reopens":0,"reassigns":1}' \
    >hist.ndjson
printf '%s\n' '{"id":"p1","hold_codes":["PRICE"],"doc_number":"A1"}' \
    '{"id":"p9","hold_codes":["PRICE"],"doc_number":"A9"}' \
    '{"id":"p3","hold_codes":["PRICE"],"doc_number":"A3"}' >night3.ndjson
night 2026-11-23 --prev s2.ndjson --resolved hist.ndjson night3.ndjson \
    >s3.ndjson
check_eq "reopened (--resolved): first_seen from the history, no restart" \
    "p1 2026-11-20 3 purchasing 2026-11-23 2026-11-24T16:00:00Z
p9 2026-11-16 1 null 2026-11-23 2026-11-18T16:00:00Z
p3 2026-11-23 1 null 2026-11-23 2026-11-25T16:00:00Z" \
    "$(jq -r "$fields" s3.ndjson)"
night 2026-11-23 --prev s2.ndjson night3.ndjson >nohist.ndjson
check_eq "without the history p9 is new: its clock starts tonight" \
    "p9 2026-11-23 1 null 2026-11-23 2026-11-25T16:00:00Z" \
    "$(jq -r "$fields" nohist.ndjson | grep '^p9')"
night 2026-11-23 --prev s2.ndjson --resolved hist.ndjson night3.ndjson \
    >again.ndjson
check_same "reopened: a rerun gives the same bytes" s3.ndjson again.ndjson

run fo-classify -q -r "$R" --as-of 2026-11-23 --resolved hist.ndjson \
    night3.ndjson
check_eq "--resolved without --prev: exit 2" \
    "2|fo-classify: --resolved needs --prev: a case is reopened only against last night's snapshot|" \
    "$rc|$(cat "$tmp/err")|$(cat "$tmp/out")"
run fo-classify -q -r "$R" --as-of 2026-11-23 --prev s2.ndjson \
    --resolved gone.ndjson night3.ndjson
check_eq "missing history: exit 2, says so, nothing written" \
    "2|fo-classify: gone.ndjson: the resolution history: No such file or directory|" \
    "$rc|$(cat "$tmp/err")|$(cat "$tmp/out")"
# the second line's resolved_on "2026-11-24" is after the as-of: its
# value starts at column 52 (37 bytes before "resolved_on":, 14 in it)
sed '2s/2026-11-20/2026-11-24/' hist.ndjson >later.ndjson
run fo-classify -q -r "$R" --as-of 2026-11-23 --prev s2.ndjson \
    --resolved later.ndjson night3.ndjson
check_eq "a history of a later night: exit 2, at its resolved_on" \
    "2|fo-classify: later.ndjson:2:$(sed -n 2p later.ndjson | awk '{ print index($0, "\"resolved_on\":") + 14 }'): resolved on 2026-11-24, after --as-of 2026-11-23: the history of a later night|" \
    "$rc|$(cat "$tmp/err")|$(cat "$tmp/out")"
printf '%s\n' '{"id":"p9","first_seen":"2026-11-16","resolved_on":"2026-11-20","reopens":0}' \
    >short.ndjson
run fo-classify -q -r "$R" --as-of 2026-11-23 --prev s2.ndjson \
    --resolved short.ndjson night3.ndjson
check_eq "a history line without reassigns: exit 2, at its line" \
    "2|fo-classify: short.ndjson:1: no reassigns|" \
    "$rc|$(cat "$tmp/err")|$(cat "$tmp/out")"

done_testing
