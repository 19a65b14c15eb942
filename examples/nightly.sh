#!/bin/sh
# examples/nightly.sh - the nightly AP exception run, for cron:
#
#   30 2 * * *  FO_RULES=/etc/fo/rules /usr/local/bin/nightly.sh \
#       /srv/ap/exports /srv/ap/fo
#
# usage: nightly.sh INBOX OUTDIR [AS_OF]
#
# Tonight's exports (INBOX/*.csv, *.txt) go through the whole pipeline
# with one as-of date (AS_OF, else FO_AS_OF, else today in UTC). Every
# stage's records are kept as a dated snapshot under OUTDIR/AS_OF/, with
# the rejects of each stage beside them, one file per resolver queue
# under queues/, and the aging report as the nightly page (HTML), an
# Excel workbook of worklists, a table and NDJSON, aged
# against the previous night's snapshot (--prev): new, carried,
# reopened, reassigned and resolved cases per queue. resolved.ndjson is
# tonight's resolution history (the cases resolved and not back), read
# the next night to tell a reopened case from a new one; a night before
# this history existed has none, and its reopened cases count as new.
# The page draws the backlog of every night under OUTDIR (--trend), and
# backlog.csv holds it for a spreadsheet. OUTDIR/latest points at
# tonight's. A lock (flock) keeps two runs from overlapping.
#
# FO_AGE_DECISIONS names the resolution decisions (NDJSON, fo-age(1),
# Decisions: who resolved which case, how, with how many touches), kept
# by the team's workflow tool: with it the reports count first-pass and
# touchless resolutions. It is not FO_DECISIONS, fo-match's.
#
# Reconciliation: when INBOX holds open-items.ndjson (the ledger's open
# invoices and credit memos as records, or FO_OPEN_ITEMS names the file),
# tonight's bank lines and payments (doc_type bank_line, payment, and the
# statement records with their balances) go through fo-match against
# them before they are classified, with FO_DECISIONS (people's
# confirmations and rejections) if set: matched.ndjson holds the lines
# with their verdicts, items.ndjson the open items with theirs (which
# are settled), match.ndjson the report. A settled line is then no
# exception and reaches no queue.
#
# FO_RATES and FO_VENDORS name fo-score's --rates and --vendors files;
# FO_RULES the rules directory. Without rates, amounts in currencies other
# than the base are rejected, and the run says so.
#
# Exit status: 0 all read; 1 some input was rejected (see rejects/);
# 2 a usage, rules or profile error; 3 a system error; 75 another run
# holds the lock.
set -u

inbox=${1:?usage: nightly.sh INBOX OUTDIR [AS_OF]}
out=${2:?usage: nightly.sh INBOX OUTDIR [AS_OF]}
day=${3:-${FO_AS_OF:-$(date -u +%Y-%m-%d)}}
case $day in
[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]) ;;
*) echo "nightly: as-of '$day': YYYY-MM-DD" >&2; exit 2 ;;
esac

mkdir -p "$out" || exit 3
exec 9>>"$out/.lock" || exit 3
if ! flock -n 9; then
	echo "nightly: another run holds $out/.lock" >&2
	exit 75
fi

night=$out/$day
rej=$night/rejects
mkdir -p "$night/queues" "$rej" || exit 3
# the most recent earlier night: the cases carried, new / carried / resolved
prev=
for d in "$out"/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]; do
	[ -f "$d/aged.ndjson" ] || continue
	[ "${d##*/}" \< "$day" ] && prev=$d/aged.ndjson
done
# and its resolution history, when it has one
hist=
[ -n "$prev" ] && [ -f "${prev%/*}/resolved.ndjson" ] &&
    hist=${prev%/*}/resolved.ndjson
decisions=
[ -n "$prev" ] && decisions=${FO_AGE_DECISIONS:-}

rejected=0
# stage STATUS: 1 (rejects) is remembered, 2 and 3 stop the night
stage() {
	_st=0
	"$@" || _st=$?
	case $_st in
	0) ;;
	1) rejected=1 ;;
	*) echo "nightly: $1 failed ($_st); the night stops here" >&2
	   exit "$_st" ;;
	esac
}

: >"$night/ingested.ndjson.tmp" || exit 3
n=0
for f in "$inbox"/*.csv "$inbox"/*.txt; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	b=${f##*/}
	stage fo-ingest --rejects "$rej/ingest-${b%.*}.ndjson" \
	    -o "$night/ingest-$n.tmp" "$f"
	cat "$night/ingest-$n.tmp" >>"$night/ingested.ndjson.tmp" || exit 3
	rm -f "$night/ingest-$n.tmp"
done
if [ "$n" -eq 0 ]; then
	echo "nightly: no exports in $inbox" >&2
	exit 1
fi
mv "$night/ingested.ndjson.tmp" "$night/ingested.ndjson" || exit 3

# the bank lines against the open items; the other records pass by
toclassify=$night/ingested.ndjson
items=${FO_OPEN_ITEMS:-$inbox/open-items.ndjson}
if [ -f "$items" ]; then
	sides='"doc_type":"(bank_line|payment|statement)"'
	grep -E "$sides" "$night/ingested.ndjson" >"$night/lines.tmp"
	grep -v -E "$sides" "$night/ingested.ndjson" >"$night/others.tmp"
	stage fo-match --against "$items" \
	    ${FO_DECISIONS:+--decisions "$FO_DECISIONS"} \
	    ${FO_VENDORS:+--vendors "$FO_VENDORS"} \
	    --report "$night/match.ndjson" --rejects "$rej/match.ndjson" \
	    -o "$night/match-all.tmp" "$night/lines.tmp"
	# fo-match writes the lines it kept, in order, then the items
	nl=$(($(wc -l <"$night/lines.tmp") - $(wc -l <"$rej/match.ndjson")))
	head -n "$nl" "$night/match-all.tmp" >"$night/matched.ndjson" &&
	    tail -n +"$((nl + 1))" "$night/match-all.tmp" \
	    >"$night/items.ndjson" &&
	    cat "$night/others.tmp" "$night/matched.ndjson" \
	    >"$night/tomatch.tmp" || exit 3
	mv "$night/tomatch.tmp" "$night/reconciled.ndjson" || exit 3
	rm -f "$night/lines.tmp" "$night/others.tmp" "$night/match-all.tmp"
	toclassify=$night/reconciled.ndjson
fi

# the cases carried from the night before (first_seen, nights_open,
# prev_queue), so that no SLA clock restarts; none yet: the first night.
# A case resolved on an earlier night and back tonight keeps its first
# day from the resolution history. A snapshot or history fo-classify
# cannot read stops the night (exit 2).
carry=--first-night
[ -n "$prev" ] && carry=--prev
stage fo-classify --as-of "$day" $carry ${prev:+"$prev"} \
    ${hist:+--resolved "$hist"} --rejects "$rej/classify.ndjson" \
    -o "$night/classified.ndjson" "$toclassify"
stage fo-score --as-of "$day" ${FO_RATES:+--rates "$FO_RATES"} \
    ${FO_VENDORS:+--vendors "$FO_VENDORS"} --rejects "$rej/score.ndjson" \
    -o "$night/scored.ndjson" "$night/classified.ndjson"
stage fo-route --as-of "$day" --split "$night/queues" \
    --rejects "$rej/route.ndjson" -o "$night/routed.ndjson" \
    "$night/scored.ndjson"
stage fo-age -a --as-of "$day" ${prev:+--prev "$prev"} \
    ${hist:+--resolved "$hist"} \
    ${prev:+--resolved-out "$night/resolved.ndjson"} \
    --rejects "$rej/age.ndjson" -o "$night/aged.ndjson" \
    "$night/routed.ndjson"
# the page and the workbook by queue, for people; the rest finer; the
# page with the backlog of every night so far
for f in html xlsx table ndjson; do
	case $f in html|xlsx) g=queue;; *) g=queue,exception;; esac
	trend=
	[ $f = html ] && trend=$out
	stage fo-age -q --as-of "$day" ${prev:+--prev "$prev"} \
	    ${hist:+--resolved "$hist"} ${decisions:+--decisions "$decisions"} \
	    ${trend:+--trend "$trend"} \
	    -g $g -f $f -o "$night/aging.$f" "$night/aged.ndjson"
done
stage fo-age -q --as-of "$day" --trend "$out" -f csv \
    -o "$night/backlog.csv"

ln -sfn "$day" "$out/latest" || exit 3
if [ "$rejected" -ne 0 ]; then
	echo "nightly: $day: some input was rejected, see $rej" >&2
	exit 1
fi
exit 0
