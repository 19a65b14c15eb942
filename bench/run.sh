#!/bin/sh
# bench/run.sh - each fo tool against peers computing the same thing, on
# the same generated data, in one process tree, interleaved (A B A B ...),
# medians of BENCHRUNS runs. Not part of make check.
#
#   bench/run.sh BUILD_DIR [ROWS [RUNS]]   (make bench, make bench BENCHROWS=100000)
#
# Environment: BENCHRUNS (5), BENCHSLOWROWS (10000: the prefix the jq
# peers, and the fo tool they are compared with, run on), BENCHWORK (keep
# the generated data there between runs; else a temporary directory).
# Writes the report (markdown) to stdout; make bench tees it into
# bench/results.md.
set -eu
B=${1:?usage: bench/run.sh BUILD_DIR [ROWS]}
ROWS=${2:-1000000}
RUNS=${3:-${BENCHRUNS:-5}}
SLOW=${BENCHSLOWROWS:-10000}
[ "$SLOW" -le "$ROWS" ] || SLOW=$ROWS
VAL=$SLOW; [ "$VAL" -le 10000 ] || VAL=10000
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
need fo-ingest fo-classify fo-score fo-route fo-age yaml2json rss
if [ -n "${BENCHWORK:-}" ]; then
	work=$BENCHWORK; mkdir -p "$work"
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/fo-bench.XXXXXX")
	trap 'rm -rf "$work"' EXIT
fi
say() { echo "bench: $*" >&2; }
TAB=$(printf '\t')
t0=$(date +%s)

# 1. Data: the CSV exports of the mix, their records (fo-ingest's output),
# the prefix the slow peers run on, classified, scored and routed by fo.
V=$((ROWS / 50))
key="$ROWS $V $(cksum <"$here/gen.awk") $(cksum <"$B/fo-ingest")"
if [ "$(cat "$work/stamp" 2>/dev/null)" != "$key" ]; then
	say "generating $ROWS rows in $work"
	mixgen "$work" "$ROWS" >"$work/records.ndjson"
	gen ap "$SLOW" "$V" >"$work/ap-slow.csv"
	echo "$key" >"$work/stamp"
fi
head -n "$SLOW" "$work/records.ndjson" >"$work/slow.ndjson"
"$B/fo-classify" -q "$work/slow.ndjson" >"$work/slow.cls"
"$B/fo-score" -q --as-of "$ASOF" --rates "$RATES" "$work/slow.cls" >"$work/slow.sc"
"$B/fo-route" -q --as-of "$ASOF" "$work/slow.sc" >"$work/slow.rt"
# the stateless stages and fo-age also run at ROWS, on the prefix's
# records repeated (their input needs fo-classify, too slow for ROWS)
replicate "$work/slow.cls" "$ROWS" >"$work/big.cls"
replicate "$work/slow.sc" "$ROWS" >"$work/big.sc"
replicate "$work/slow.rt" "$ROWS" >"$work/big.rt"
jqprogs "$work"
rates=$(ratesjson)
# the peers' stand-in for fo-ingest on the AP export (pipeline)
MLRMAP="mlr -S --icsv --ojsonl put -f $here/ap-map.mlr"

# 2. The contenders: comparison|tool|records|input bytes|command
: >"$work/list"
add() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$(wc -c <"$4")" "$5" >>"$work/list"; }
add "I/O limit" "cat" "$ROWS" "$work/records.ndjson" "cat $work/records.ndjson"
for pw in $MIX; do
	p=${pw%%:*}; f=$work/$p.csv; n=$(mixrows "$p" "$ROWS")
	ifs=""; [ "$p" = sap-mrbr ] && ifs="--ifs ';'"
	pre="cat $f |"
	# mlr cannot skip a report's title lines: the peer gets the CSV from
	# its header on, and without its trailer (sed), a cost on the peer's side
	case $p in
	oracle-ap-holds) pre="sed -e 1,4d -e '/^$/d' -e '/^[*]/d' $f |" ;;
	bank-csv) pre="sed -e 1,6d -e '/^Closing Balance/d' $f |" ;;
	esac
	add "ingest $p" "fo-ingest" "$n" "$f" "$B/fo-ingest -q $(ingestopts "$p") $f"
	add "ingest $p" "mlr --icsv --ojsonl cat" "$n" "$f" "$pre mlr --icsv --ojsonl $ifs cat"
done
if command -v csvjson >/dev/null 2>&1; then
	head -n 100001 "$work/payment-status.csv" >"$work/csvkit.csv"
	n=$(($(wc -l <"$work/csvkit.csv") - 1))
	add "ingest payment-status (csvkit slice)" "fo-ingest" "$n" "$work/csvkit.csv" "$B/fo-ingest -q -p payment-status $work/csvkit.csv"
	add "ingest payment-status (csvkit slice)" "csvjson --stream" "$n" "$work/csvkit.csv" "csvjson --stream $work/csvkit.csv"
	csvkit="csvkit: csvjson on the first 100000 rows of payment-status.csv"
else
	csvkit="csvkit: csvjson is not installed here; its comparison was skipped"
fi
add "classify @$SLOW" "fo-classify" "$SLOW" "$work/slow.ndjson" "$B/fo-classify -q $work/slow.ndjson"
add "classify @$SLOW" "jq classify.jq" "$SLOW" "$work/slow.ndjson" "jq -nc -f $work/classify.jq $work/slow.ndjson"
add "score @$ROWS" "fo-score" "$ROWS" "$work/big.cls" "$B/fo-score -q --as-of $ASOF --rates $RATES $work/big.cls"
add "score @$SLOW" "fo-score" "$SLOW" "$work/slow.cls" "$B/fo-score -q --as-of $ASOF --rates $RATES $work/slow.cls"
add "score @$SLOW" "jq score.jq" "$SLOW" "$work/slow.cls" "jq -c --argjson rates '$rates' --arg asof $ASOF -f $work/score.jq $work/slow.cls"
add "route @$ROWS" "fo-route" "$ROWS" "$work/big.sc" "$B/fo-route -q --as-of $ASOF $work/big.sc"
add "route @$SLOW" "fo-route" "$SLOW" "$work/slow.sc" "$B/fo-route -q --as-of $ASOF $work/slow.sc"
add "route @$SLOW" "jq route.jq" "$SLOW" "$work/slow.sc" "jq -c --arg asof $ASOF -f $work/route.jq $work/slow.sc"
add "age report @$ROWS" "fo-age -g queue" "$ROWS" "$work/big.rt" "$B/fo-age -q --as-of $ASOF -g queue $work/big.rt"
add "age report @$SLOW" "fo-age -g queue" "$SLOW" "$work/slow.rt" "$B/fo-age -q --as-of $ASOF -g queue $work/slow.rt"
add "age report @$SLOW" "jq reduce age.jq" "$SLOW" "$work/slow.rt" "jq -nc --arg asof $ASOF -f $work/age.jq $work/slow.rt"
add "age report @$SLOW" "mlr stats1" "$SLOW" "$work/slow.rt" "mlr --ijsonl --ojson filter 'is_not_empty(\$exception)' then stats1 -a count,sum -f amount -g queue,currency $work/slow.rt"
add "pipeline @$SLOW" "fo-ingest|fo-classify|fo-score|fo-route|fo-age" "$SLOW" "$work/ap-slow.csv" \
    "$B/fo-ingest -q -p generic --numbers 1,234.56 $work/ap-slow.csv | $B/fo-classify -q | $B/fo-score -q --as-of $ASOF --rates $RATES | $B/fo-route -q --as-of $ASOF | $B/fo-age -q --as-of $ASOF -g queue"
add "pipeline @$SLOW" "mlr|jq classify|jq score|jq route|jq reduce" "$SLOW" "$work/ap-slow.csv" \
    "$MLRMAP $work/ap-slow.csv | jq -nc -f $work/classify.jq | jq -c --argjson rates '$rates' --arg asof $ASOF -f $work/score.jq | jq -c --arg asof $ASOF -f $work/route.jq | jq -nc --arg asof $ASOF -f $work/age.jq"

# 3. Timed runs, interleaved: every contender once per round.
ncont=$(wc -l <"$work/list")
rm -f "$work"/t.*
i=0
while [ $i -lt "$RUNS" ]; do
	say "round $((i + 1)) of $RUNS ($(( $(date +%s) - t0 )) s so far)"
	j=0
	while IFS="$TAB" read -r cmp tool n bytes cmd; do
		j=$((j + 1))
		"$B/rss" -o "$work/t" sh -c "$cmd >/dev/null" </dev/null || {
			echo "bench: failed: $cmd" >&2; exit 1; }
		cat "$work/t" >>"$work/t.$j"
	done <"$work/list"
	i=$((i + 1))
done

# 4. Agreement of the jq programs with fo on the first VAL records.
pct() { awk -F'\t' '{ t++; if ($2 == $3) a++ } END { printf "%d of %d (%.2f%%)", a, t, t ? 100 * a / t : 0 }'; }
head -n "$VAL" "$work/slow.ndjson" >"$work/val.ndjson"
head -n "$VAL" "$work/slow.cls" >"$work/val.cls"
head -n "$VAL" "$work/slow.sc" >"$work/val.sc"
jq -nc -f "$work/classify.jq" "$work/val.ndjson" >"$work/val.jqcls"
jq -c --argjson rates "$rates" --arg asof "$ASOF" -f "$work/score.jq" "$work/val.cls" >"$work/val.jqsc"
jq -c --arg asof "$ASOF" -f "$work/route.jq" "$work/val.sc" >"$work/val.jqrt"
head -n "$VAL" "$work/slow.rt" >"$work/val.rt"
# by id: a record fo rejects is missing on one side and counts as a miss
byid() { jq -r "[.id, ($2 | tojson)] | @tsv" "$1" | sort -t"$(printf '\t')" -k1,1; }
agree() { join -t"$(printf '\t')" -a 1 -e MISSING -o 0,1.2,2.2 "$1" "$2" | pct; }
byid "$work/val.cls" '[.exception]' >"$work/a1"; byid "$work/val.jqcls" '[.exception]' >"$work/a2"
a_cls=$(agree "$work/a1" "$work/a2")
byid "$work/val.cls" '[.exception, .exceptions, .domain, .sensitivity, .confidence, .duplicate_of, .duplicate_score]' >"$work/a1"
byid "$work/val.jqcls" '[.exception, .exceptions, .domain, .sensitivity, .confidence, .duplicate_of, .duplicate_score]' >"$work/a2"
a_cls2=$(agree "$work/a1" "$work/a2")
byid "$work/val.sc" '[.priority]' >"$work/a1"; byid "$work/val.jqsc" '[.priority]' >"$work/a2"
a_sc=$(agree "$work/a1" "$work/a2")
byid "$work/val.sc" '[.priority, .priority_band, .priority_factors, .amount_base]' >"$work/a1"
byid "$work/val.jqsc" '[.priority, .priority_band, .priority_factors, .amount_base]' >"$work/a2"
a_sc2=$(agree "$work/a1" "$work/a2")
byid "$work/val.rt" '[.queue, .review, .sla_due]' >"$work/a1"; byid "$work/val.jqrt" '[.queue, .review, .sla_due]' >"$work/a2"
a_rt=$(agree "$work/a1" "$work/a2")
byid "$work/val.rt" '[.sla_hours, .escalate, .escalate_reason, .route_rule]' >"$work/a1"
byid "$work/val.jqrt" '[.sla_hours, .escalate, .escalate_reason, .route_rule]' >"$work/a2"
a_rt2=$(agree "$work/a1" "$work/a2")
# fo-age vs the jq reduce: count and exact sums per queue and bucket
"$B/fo-age" -q --as-of "$ASOF" -g queue -f csv "$work/val.rt" | awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^amount_[A-Z]+$/) cur[i] = substr($i, 8); next }
	$1 == "(all)" || $2 == "total" || $3 == 0 { next }
	{ s = ""; for (i = 1; i <= NF; i++) if ((i in cur) && $i != "") { v = $i; gsub(/\./, "", v); v = sprintf("%.0f", v + 0); s = s (s == "" ? "" : ",") cur[i] "=" v }
	  printf "%s\t%s\n", "[\"" $1 "\",\"" $2 "\"]", $3 " " s }' | sort >"$work/a1x"
jq -nc --arg asof "$ASOF" -f "$work/age.jq" "$work/val.rt" | jq -r 'select(.group)
    | [([.group, .bucket] | tojson), "\(.count) \(.minor | to_entries | sort_by(.key) | map("\(.key)=\(.value)") | join(","))"] | @tsv' |
    sort >"$work/a2"
a_age=$(join -t"$(printf '\t')" -a 1 -a 2 -e MISSING -o 0,1.2,2.2 "$work/a1x" "$work/a2" | pct)
# the two pipelines end to end (on the AP export): count per queue and bucket
head -c "$(wc -c <"$work/ap-slow.csv")" "$work/ap-slow.csv" >/dev/null
"$B/fo-ingest" -q -p generic --numbers 1,234.56 "$work/ap-slow.csv" | "$B/fo-classify" -q |
    "$B/fo-score" -q --as-of "$ASOF" --rates "$RATES" | "$B/fo-route" -q --as-of "$ASOF" |
    "$B/fo-age" -q --as-of "$ASOF" -g queue | jq -r 'select(.group and .group.queue != null and .bucket != "total" and .count > 0) | [([.group.queue, .bucket] | tojson), .count] | @tsv' |
    sort >"$work/a1"
$MLRMAP "$work/ap-slow.csv" | jq -nc -f "$work/classify.jq" | jq -c --argjson rates "$rates" --arg asof "$ASOF" -f "$work/score.jq" |
    jq -c --arg asof "$ASOF" -f "$work/route.jq" | jq -nc --arg asof "$ASOF" -f "$work/age.jq" |
    jq -r 'select(.group) | [([.group, .bucket] | tojson), .count] | @tsv' | sort >"$work/a2"
a_pipe=$(join -t"$(printf '\t')" -a 1 -a 2 -e MISSING -o 0,1.2,2.2 "$work/a1" "$work/a2" | pct)

# 5. The differential test of the native jq evaluator (tests/unit/t-exprdiff.c),
# when built: BENCHEXPRDIFF (6000) generated expressions, plus the shipped
# ones, on as many generated records (the comparisons grow as the square:
# 6000 gives some 33 million), stopped after BENCHEXPRDIFFSECS (900) seconds
# (0: not run).
exprdiff=""
xn=${BENCHEXPRDIFF:-6000}
xs=${BENCHEXPRDIFFSECS:-900}
for t in "$B/t-exprdiff" "$top/build/t-exprdiff"; do
	if [ -x "$t" ] && [ "$xs" != 0 ]; then
		say "$t $xn (at most $xs s)"
		rc=0
		x0=$(date +%s)
		timeout "$xs" "$t" "$xn" >"$work/xd" 2>&1 || rc=$?
		exprdiff="$t $xn: $(grep -c '^ok' "$work/xd") ok, $(grep -c '^not ok' "$work/xd") not ok, exit status $rc, $(( $(date +%s) - x0 )) s$( [ $rc = 124 ] && echo " (stopped after $xs s: BENCHEXPRDIFFSECS)")
$(grep '^not ok' "$work/xd" | head -n 5)
$(grep '^#' "$work/xd" | tail -n 6)"
		break
	fi
done

# 6. The report.
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
{
	echo "# fo benchmark"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, ${cpu:-unknown CPU}"
	echo "- \`uname -a\`: $(uname -a)"
	echo "- versions: $(jq --version), $(mlr --version), fo $("$B/fo-ingest" -V 2>&1 | head -n 1)"
	echo "- command: \`BENCHRUNS=$RUNS BENCHSLOWROWS=$SLOW sh bench/run.sh BUILD $ROWS\` (make bench BENCHROWS=$ROWS BENCHRUNS=$RUNS BENCHSLOWROWS=$SLOW)"
	echo "- data: bench/gen.awk, $ROWS records in the mix $MIX (weights of 20), $((ROWS / 50)) vendors;"
	echo "  as-of $ASOF, rates testdata/demo-rates.csv. Median of $RUNS runs, interleaved"
	echo "  (every contender once per round), wall-clock seconds and peak RSS (wait4 ru_maxrss"
	echo "  of the command and its children: a pipeline shows its largest process) by bench/rss."
	echo "- the jq peers are slow (jq 1.6 takes about 1.5 ms a record on the classify program): they run on"
	echo "  the first $SLOW records of the same data (BENCHSLOWROWS), and so does the fo tool"
	echo "  they are compared with; score, route and age also run on $ROWS records (the prefix's"
	echo "  records repeated) for fo's own throughput; mlr stats1 runs on the prefix too"
	echo "  (its RSS grew with its JSON input here: 75 MB on 2.7 MB, 190 MB on 27 MB). The"
	echo "  pipelines run on the first $SLOW rows"
	echo "  of the AP export (the peers' mlr stand-in for fo-ingest is bench/ap-map.mlr)."
	echo "- $csvkit"
	echo "- total time of this run: $(( $(date +%s) - t0 )) s"
	echo
	echo "| comparison | tool | records | MB in | seconds | records/s | MB/s | peak RSS KiB | throughput fo/peer |"
	echo "|---|---|---|---|---|---|---|---|---|"
	j=0
	while IFS="$TAB" read -r cmp tool n bytes cmd; do
		j=$((j + 1))
		s=$(cut -d' ' -f1 "$work/t.$j" | median)
		m=$(cut -d' ' -f2 "$work/t.$j" | median)
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$cmp" "$tool" "$n" "$bytes" "$s" "$m"
	done <"$work/list" | awk -F'\t' '
	{ c[NR] = $1; t[NR] = $2; n[NR] = $3; b[NR] = $4; s[NR] = $5; m[NR] = $6
	  if ($2 ~ /^fo/ && !(($1) in fo)) fo[$1] = $5 }
	END {
		for (i = 1; i <= NR; i++) {
			gsub(/\|/, "\\|", t[i])
			r = "";
			if (t[i] !~ /^fo/ && t[i] != "cat" && (c[i] in fo) && fo[c[i]] > 0)
				r = sprintf("%.2fx", s[i] / fo[c[i]])
			printf "| %s | %s | %d | %.1f | %.3f | %.0f | %.1f | %d | %s |\n", c[i], t[i], n[i], b[i] / 1e6, s[i], \
			    (s[i] > 0 ? n[i] / s[i] : 0), (s[i] > 0 ? b[i] / s[i] / 1e6 : 0), m[i], r
		}
	}'
	echo
	echo "throughput fo/peer: the peer's seconds over fo's on the same input (2.00x: fo does"
	echo "the same work in half the time)."
	echo
	echo "## Agreement of the generated jq programs with fo (first $VAL records)"
	echo
	echo "| stage | key outputs | agree | more outputs | agree |"
	echo "|---|---|---|---|---|"
	echo "| classify | exception | $a_cls | exceptions, domain, sensitivity, confidence, duplicate_of, duplicate_score | $a_cls2 |"
	echo "| score | priority | $a_sc | priority_band, priority_factors, amount_base | $a_sc2 |"
	echo "| route | queue, review, sla_due | $a_rt | sla_hours, escalate, escalate_reason, route_rule | $a_rt2 |"
	echo "| age | count and exact sums per queue and bucket | $a_age | | |"
	echo "| pipeline (AP export, first $SLOW rows) | count per queue and bucket | $a_pipe | | |"
	echo
	echo "What the jq programs leave out (each generator's header says it too): reason"
	echo "sentences' number text (jq prints 12.4 for 12.40) and the duplicate evidence"
	echo "sentence; duplicate_amount_tolerance_bp other than 0 and duplicate_match_bank;"
	echo "the re-read rule for an id already indexed; SAP ZBD* terms and the vendor master"
	echo "(--vendors) in score; as-of timestamps and --split in route; fo-age's SLA"
	echo "breaches, oldest/median days and total rows (mlr stats1 groups by queue and"
	echo "currency only, with float sums). Money in jq is a double: amounts are compared,"
	echo "never summed, except the age peer's sums in integer minor units."
	if [ -n "$exprdiff" ]; then
		echo
		echo "## Native evaluator differential test"
		echo
		echo '```'
		echo "$exprdiff"
		echo '```'
	fi
	# fo-ingest against an older build of itself (issue 14), when
	# BENCHINGESTBASE names a checkout with its fo-ingest built
	if [ -n "${BENCHINGESTBASE:-}" ] && [ "$B" -ef "$top/build" ]; then
		echo
		echo "## fo-ingest against $BENCHINGESTBASE"
		echo
		echo "\`sh bench/ingest-cost.sh $BENCHINGESTBASE\` (bench/ingest-cost.sh says how):"
		echo
		BENCHWORK=$work/ingest-cost sh "$here/ingest-cost.sh" "$BENCHINGESTBASE" "$top"
	fi
}
