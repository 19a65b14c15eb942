#!/bin/sh
# fo-route with a small policy of its own (testdata/route): first match
# and the default, every review reason and escalation each way, records
# that are no exception passed through, --split files that appear whole
# or not at all, idempotence, every mistake in a policy at once, and
# every exit status. The SLA arithmetic itself is t-calendar's.
. "$(dirname "$0")/lib.sh"

R=$TD/route
cd "$R" || exit 1
run fo-route -r rules.yaml --as-of 2026-11-23 --rejects "$tmp/rej" recs.ndjson
cd - >/dev/null || exit 1
check_eq "exit 1: three lines rejected" 1 "$rc"
check_same "records" "$R/recs.out" "$tmp/out"
check_same "messages" "$R/recs.err" "$tmp/err"
check_same "rejects" "$R/recs.rej" "$tmp/rej"

# one record's verdict: queue rule review review_reason escalate reason
v() {
	jq -r --arg id "$1" 'select(.id == $id) |
	    [.queue, .route_rule, .review, .review_reason, .escalate,
	    .escalate_reason] | map(tostring) | join(" | ")' "$R/recs.out"
}
check_eq "first match wins (a duplicate with a price variance)" \
    "duplicates | duplicate | false | null | false | null" "$(v r01)"
check_eq "a later route" \
    "purchasing | price | false | null | false | null" "$(v r02)"
check_eq "no route matches: the default" \
    "triage | default | false | null | false | null" "$(v r03)"
grep -e '"r04"' -e '"r05"' "$R/recs.ndjson" >"$tmp/pass.want"
grep -e '"r04"' -e '"r05"' "$R/recs.out" >"$tmp/pass.got"
check_same "exception null, or none: passed through byte for byte" \
    "$tmp/pass.want" "$tmp/pass.got"
check_eq "review: confidence below the threshold" \
    "treasury | bank | true | confidence 0.45 below 0.6 | false | null" \
    "$(v r06)"
check_eq "review: amount_base at the default approval threshold" \
    "true | amount_base 50000.00 at or above the approval threshold 50000.00" \
    "$(v r07 | cut -d'|' -f3-4 | sed 's/^ //; s/ $//')"
check_eq "no review one cent below it" "false | null" \
    "$(v r08 | cut -d'|' -f3-4 | sed 's/^ //; s/ $//')"
check_eq "review: at the entity's own threshold" \
    "true | amount_base 25000.00 at or above the approval threshold 25000.00 of entity 2000" \
    "$(v r09 | cut -d'|' -f3-4 | sed 's/^ //; s/ $//')"
check_eq "no review one cent below the entity's threshold" "false | null" \
    "$(v r10 | cut -d'|' -f3-4 | sed 's/^ //; s/ $//')"
check_eq "review: high sensitivity" "true | sensitivity high" \
    "$(v r11 | cut -d'|' -f3-4 | sed 's/^ //; s/ $//')"
check_eq "segregation of duties: creator approved it (case aside)" \
    "true | segregation of duties: created_by and approved_by are both JDOE" \
    "$(v r12 | cut -d'|' -f3-4 | sed 's/^ //; s/ $//')"
check_eq "segregation of duties: creator resolves the queue" \
    "true | segregation of duties: bob created the record and resolves queue purchasing" \
    "$(v r13 | cut -d'|' -f3-4 | sed 's/^ //; s/ $//')"
check_eq "several reasons, joined; a credit memo by absolute value" \
    "true | confidence 0.5 below 0.6; amount_base -60000.00 at or above the approval threshold 50000.00 (in absolute value); sensitivity high" \
    "$(v r14 | cut -d'|' -f3-4 | sed 's/^ //; s/ $//')"
check_eq "escalate: SLA already breached (from hold_date)" \
    "true | SLA breached: due 2026-11-10T16:00:00Z" \
    "$(v r15 | cut -d'|' -f5-6 | sed 's/^ //')"
check_eq "escalate: discount deadline within 5 days" \
    "true | discount_date 2026-11-26 in 3 days (within 5)" \
    "$(v r16 | cut -d'|' -f5-6 | sed 's/^ //')"
check_eq "no escalation for a discount already lost" "false | null" \
    "$(v r17 | cut -d'|' -f5-6 | sed 's/^ //')"
check_eq "escalate: net due date 5 days away" \
    "true | due_date 2026-11-28 in 5 days (within 5)" \
    "$(v r18 | cut -d'|' -f5-6 | sed 's/^ //')"
check_eq "no escalation 6 days before the due date" "false | null" \
    "$(v r19 | cut -d'|' -f5-6 | sed 's/^ //')"
check_eq "escalate: due date passed" \
    "true | due_date 2026-11-01 passed 22 days ago" \
    "$(v r20 | cut -d'|' -f5-6 | sed 's/^ //')"
check_eq "escalate: 31 days old, over 30" \
    "true | age 31 days since doc_date 2026-10-23 (over 30)" \
    "$(v r21 | cut -d'|' -f5-6 | sed 's/^ //')"
check_eq "no escalation at exactly 30 days" "false | null" \
    "$(v r22 | cut -d'|' -f5-6 | sed 's/^ //')"
check_eq "SLA keys: business hours from hold_date" \
    '4 "2026-11-23T12:00:00Z"' \
    "$(jq -r 'select(.id == "r26") | "\(.sla_hours) \"\(.sla_due)\""' "$R/recs.out")"
check_eq "keys added after the input's, in the documented order" \
    "id exception exceptions sensitivity confidence queue review review_reason sla_hours sla_due escalate escalate_reason route_rule" \
    "$(head -n 1 "$R/recs.out" | jq -r 'keys_unsorted | join(" ")')"

# idempotent: routing routed records again, as of the same day
grep -v '^not json$' "$R/recs.out" | grep -v '"r23"\|"r25"' >"$tmp/again.in"
fo-route -q -r "$R/rules.yaml" --as-of 2026-11-23 "$tmp/again.in" \
    >"$tmp/again.out" 2>/dev/null
check_same "idempotent: route(route(x)) = route(x)" "$tmp/again.in" \
    "$tmp/again.out"

# FO_AS_OF, and a timestamp: the same as --as-of
FO_AS_OF=2026-11-23 fo-route -q -r "$R/rules.yaml" "$tmp/again.in" \
    >"$tmp/env.out" 2>/dev/null
check_same "FO_AS_OF stands for --as-of" "$tmp/again.in" "$tmp/env.out"
# a day's instant is its last second, UTC (fo.7, AS OF)
fo-route -q -r "$R/rules.yaml" --as-of 2026-11-23T23:59:59Z \
    "$tmp/again.in" >"$tmp/ts.out" 2>/dev/null
check_same "--as-of a day: the instant is its last second, UTC" \
    "$tmp/again.in" "$tmp/ts.out"

# --split: one file per queue, in input order, each whole
mkdir "$tmp/split"
run fo-route -q -r "$R/rules.yaml" --as-of 2026-11-23 --split "$tmp/split" \
    "$tmp/again.in"
check_eq "--split: exit 0" 0 "$rc"
check_eq "--split: a file for every queue, and nothing else" \
    "duplicates.ndjson purchasing.ndjson treasury.ndjson triage.ndjson" \
    "$(ls -A "$tmp/split" | paste -sd' ')"
for q in duplicates purchasing treasury triage; do
	jq -c --arg q "$q" 'select(.queue == $q)' "$tmp/again.in" >"$tmp/want.$q"
	jq -c . "$tmp/split/$q.ndjson" >"$tmp/got.$q"
	check_same "--split: $q holds its records in input order" \
	    "$tmp/want.$q" "$tmp/got.$q"
done
check_eq "--split: records with no queue are in none" 2 \
    "$(cat "$tmp/split"/*.ndjson | wc -l | awk '{ print 23 - $1 }')"
cat "$tmp/split"/*.ndjson | sort >"$tmp/split.got"
grep '"queue":' "$tmp/again.in" | sort >"$tmp/split.want"
check_same "--split: the split records are the output's bytes" \
    "$tmp/split.want" "$tmp/split.got"
printf '{"id":"old","exception":"other","queue":"triage"}\n' \
    >"$tmp/split/triage.ndjson"
rc=0
fo-route -q -r "$R/rules.yaml" --as-of 2026-11-23 --split "$tmp/split" \
    "$tmp/again.in" >/dev/full 2>"$tmp/err" || rc=$?
check_eq "--split with a failed output: exit 3" 3 "$rc"
check_eq "--split with a failed output: yesterday's file untouched" \
    '{"id":"old","exception":"other","queue":"triage"}' \
    "$(cat "$tmp/split/triage.ndjson")"
check_eq "--split with a failed output: no temporary files left" \
    "duplicates.ndjson purchasing.ndjson treasury.ndjson triage.ndjson" \
    "$(ls -A "$tmp/split" | paste -sd' ')"
mkdir "$tmp/split2"
run fo-route -q -r "$R/rules.yaml" --as-of 2026-11-23 --split "$tmp/split2" \
    "$tmp/again.in" "$tmp/nope.ndjson"
check_eq "--split, an input that cannot be read: exit 3, no file" "3 0" \
    "$rc $(ls -A "$tmp/split2" | wc -l | tr -d ' ')"
run fo-route -r "$R/rules.yaml" --as-of 2026-11-23 --split "$tmp/nodir" \
    "$tmp/again.in"
check_eq "--split into a directory that is not there: exit 3, nothing out" \
    "3 0" "$rc $(wc -c <"$tmp/out" | tr -d ' ')"

# every mistake at once, with positions, exit 2, nothing read
cd "$R" && run fo-route -r broken.yaml /dev/null && cd - >/dev/null
check_eq "broken policy: exit 2" 2 "$rc"
check_same "broken policy: every error with FILE:LINE:COL" "$R/broken.err" \
    "$tmp/err"
run fo-route -r "$tmp/nope.yaml" /dev/null
check_eq "missing policy: exit 2" 2 "$rc"
run fo-route -r "$R/rules.yaml" --as-of 2026-13-01 /dev/null
check_eq "bad --as-of: exit 2" 2 "$rc"
run fo-route -r "$R/rules.yaml" --bogus /dev/null
check_eq "unknown option: exit 2" 2 "$rc"
run fo-route -r "$R/rules.yaml" --as-of 2026-11-23 "$tmp/again.in"
check_eq "clean input: exit 0" 0 "$rc"
run fo-route -r "$R/rules.yaml" "$tmp/nope.ndjson"
check_eq "missing input: exit 3" 3 "$rc"
if [ -w /dev/full ]; then
	rc=0
	fo-route -q -r "$R/rules.yaml" "$R/recs.ndjson" >/dev/full 2>/dev/null ||
	    rc=$?
	check_eq "full disk: exit 3" 3 "$rc"
fi
printf '{"id":"s","exception":"x","t":"\\ud800"}\n' >"$tmp/sur.ndjson"
run fo-route -r "$R/rules.yaml" --as-of 2026-11-23 "$tmp/sur.ndjson"
check_eq "a lone surrogate (jq 1.6 refuses it): read as U+FFFD, routed" "0 1" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ')"

# a message quotes 40 bytes of a bad value: cut inside a character, the
# piece is a '?', and the message, on stderr and in the reject file, UTF-8
printf '{"id":"u","exception":"price_variance","due_date":"%s\303\251"}\n' \
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa >"$tmp/cut.ndjson"
run fo-route -r "$FO_RULES/route.yaml" --as-of 2026-11-21 \
    --rejects "$tmp/rej" "$tmp/cut.ndjson"
check_eq "a message cut inside a character: UTF-8, with a '?'" \
    "1 fo-route: $tmp/cut.ndjson:1:51: due_date 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?': not a date, YYYY-MM-DD" \
    "$rc $(head -n 1 "$tmp/err")"
check "the reject file is UTF-8" \
    sh -c "iconv -f UTF-8 -t UTF-8 '$tmp/rej' >/dev/null && iconv -f UTF-8 -t UTF-8 '$tmp/err' >/dev/null"

# the shipped policy loads and routes the classified sample
run fo-route -r "$FO_RULES/route.yaml" --as-of 2026-11-21 \
    "$TD/classify/records.out"
check_eq "shipped policy on classified records: exit 0" 0 "$rc"
check_eq "shipped policy: every exception has a queue" \
    "$(jq -c 'select(.exception != null)' "$TD/classify/records.out" | wc -l)" \
    "$(jq -c 'select(.queue != null)' "$tmp/out" | wc -l)"

# a reason is cut at 511 bytes, as it always was: the words before the
# name are 59 bytes, so 452 of the name's 600 bytes are left
name=$(printf '%600s' '' | tr ' ' x)
printf '{"id":"long","exception":"other","confidence":0.9,"created_by":"%s","approved_by":"%s"}\n' \
    "$name" "$name" >"$tmp/long.ndjson"
run fo-route -r "$R/rules.yaml" --as-of 2026-11-23 "$tmp/long.ndjson"
check_eq "a reason cut at 511 bytes" \
    "0 511 segregation of duties: created_by and approved_by are both $(printf '%452s' '' | tr ' ' x)" \
    "$rc $(jq -r '.review_reason | length' "$tmp/out") $(jq -r .review_reason "$tmp/out")"
done_testing
