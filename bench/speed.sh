#!/bin/sh
# bench/speed.sh - CPU time of fo-classify, fo-score, fo-route and the
# whole pipeline against jq on the same records: start-up alone, a
# one-record run, a nightly-sized run (5,000 records) and a large one, in
# interleaved rounds (A B C A B C ...). CPU seconds (user + sys of the
# command and its children), not wall time: the machine is shared, and
# CPU time is what a run costs whoever else is busy. Not part of make
# check.
#
#   bench/speed.sh BUILD_DIR [ROWS [RUNS]]   (make bench-speed)
#
# Each stage runs against two jq peers: the floor, jq doing nothing
# (`jq -c .`, or `jq -c '. + {priority: 0}'`, one field added), and the
# hand-written peer making the same decisions (bench/peer-classify.jq,
# peer-score.jq, peer-route.jq). The whole pipeline (fo-ingest |
# fo-classify | fo-score | fo-route on the AP export) runs against mlr
# (bench/ap-map.mlr) and the three peers. bench/compare.sh then counts on
# the nightly records how often each peer reached fo's decisions. The data
# is bench/gen.awk's mix, ROWS records, none of them repeated. Writes
# markdown to stdout.
set -eu
B=${1:?usage: bench/speed.sh BUILD_DIR [ROWS [RUNS]]}
ROWS=${2:-200000}
RUNS=${3:-${BENCHRUNS:-5}}
NIGHTLY=5000
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
need fo-ingest fo-classify fo-score fo-route
command -v mlr >/dev/null 2>&1 || { echo "speed: mlr is not installed (apt-get install miller)" >&2; exit 2; }
command -v bash >/dev/null 2>&1 || { echo "speed: needs bash (its times reads getrusage)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/fo-speed.XXXXXX")
trap 'rm -rf "$work"' EXIT
say() { echo "speed: $*" >&2; }

say "generating $ROWS records"
mixgen "$work" "$ROWS" >"$work/big.ndjson"
ROWS=$(wc -l <"$work/big.ndjson" | tr -d ' ')
DISTINCT=$(sort -u "$work/big.ndjson" | wc -l | tr -d ' ')
head -n "$NIGHTLY" "$work/big.ndjson" >"$work/nightly.ndjson"
head -n 1 "$work/big.ndjson" >"$work/one.ndjson"
for s in big nightly one; do
	"$B/fo-classify" -q "$work/$s.ndjson" >"$work/$s.cls"
	"$B/fo-score" -q --as-of "$ASOF" --rates "$RATES" "$work/$s.cls" >"$work/$s.sc"
	"$B/fo-route" -q --as-of "$ASOF" "$work/$s.sc" >"$work/$s.rt"
done
AP=$(mixrows ap "$ROWS")
rates=$(ratesjson)
JQ="jq -nc -L $here"
PCLS="$JQ -f $here/peer-classify.jq"
PSC="$JQ --argjson rates '$rates' --arg asof $ASOF -f $here/peer-score.jq"
PRT="$JQ --arg asof $ASOF -f $here/peer-route.jq"
FOSC="$B/fo-score -q --as-of $ASOF --rates $RATES"
FORT="$B/fo-route -q --as-of $ASOF"

# cpu N CMD: CPU milliseconds of N runs of CMD, on stdout: the children's
# user + sys that bash's times reads from getrusage, to the millisecond.
# bash runs CMD itself (eval: its redirections and pipes in the child it
# forks), so what is counted is the command, its exec and its exit. Until
# 2026-12-08 each run was `sh -c CMD`, and the shell's own start and exit
# counted too: 0.7 ms a run, fo's and jq's alike (40 runs of fo-classify's
# start-up: 3.13 ms a run through sh -c, 2.43 through eval, 2.11 by perf
# stat's task-clock of the command). perl's times (times(2)) counted clock
# ticks of 10 ms, so a nightly round (three runs of about 20 ms) could
# only read 60, 70 or 80 ms; bash's time keyword would add the loop's own
# forks.
cpu() {
	_t=$(bash -c 'n=$1 c=$2 i=0; exec 3>&2
	    while [ "$i" -lt "$n" ]; do eval "$c" 2>&3 || exit 1
	    i=$((i + 1)); done; times' sh "$@") || { say "failed: $2"; exit 1; }
	echo "$_t" | sed -n 2p | tr 'ms' '  ' | awk '{ printf "%.1f\n",
	    1000 * (60 * $1 + $2 + 60 * $3 + $4) }'
}

# round LABEL N RECORDS CMD...: RUNS interleaved rounds, each command N
# times a round; prints "LABEL<TAB>RECORDS<TAB>i<TAB>CMD<TAB>median ms
# per run<TAB>min" per command, i its place (0 fo, 1 the floor, 2 the
# peer)
round() {
	label=$1 nrun=$2 recs=$3
	shift 3
	: >"$work/times"
	r=0
	while [ "$r" -lt "$RUNS" ]; do
		i=0
		for c; do
			ms=$(cpu "$nrun" "$c >/dev/null")
			echo "$i $ms" >>"$work/times"
			i=$((i + 1))
		done
		r=$((r + 1))
	done
	i=0
	for c; do
		awk -v i="$i" -v n="$nrun" '$1 == i { print $2 / n }' "$work/times" |
		    sort -n | awk -v l="$label" -v c="$c" -v i="$i" -v recs="$recs" '{ v[NR] = $1 }
		    END { printf "%s\t%s\t%s\t%s\t%.2f\t%.2f\n", l, recs, i, c,
		    (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1] }'
		i=$((i + 1))
	done
}

{
say "start-up"
round "start-up" 10 0 "$B/fo-classify -q </dev/null" "jq -n 1"
round "start-up" 10 0 "$B/fo-score -q --as-of $ASOF --rates $RATES </dev/null" "jq -n 1"
round "start-up" 10 0 "$B/fo-route -q --as-of $ASOF </dev/null" "jq -n 1"
round "one record, classify" 10 1 "$B/fo-classify -q $work/one.ndjson" "jq -c . $work/one.ndjson" "$PCLS $work/one.ndjson"
# a nightly run of fo takes about 20 ms: three runs a round, so that a
# round reads more than the noise of one start
for s in nightly big; do
	cnt=$(wc -l <"$work/$s.ndjson" | tr -d ' ')
	n=1
	[ "$s" = nightly ] && n=3
	say "$s: $cnt records"
	round "classify $s" "$n" "$cnt" "$B/fo-classify -q $work/$s.ndjson" "jq -c . $work/$s.ndjson" \
	    "$PCLS $work/$s.ndjson"
	round "score $s" "$n" "$cnt" "$FOSC $work/$s.cls" "jq -c '. + {priority: 0}' $work/$s.cls" \
	    "$PSC $work/$s.cls"
	round "route $s" "$n" "$cnt" "$FORT $work/$s.sc" "jq -c '. + {priority: 0}' $work/$s.sc" \
	    "$PRT $work/$s.sc"
done
say "pipeline: $AP rows of the AP export"
round "pipeline, AP export" 1 "$AP" \
    "$B/fo-ingest -q -p generic --numbers 1,234.56 $work/ap.csv | $B/fo-classify -q | $FOSC | $FORT" \
    "mlr -S --icsv --ojsonl cat $work/ap.csv | jq -c . | jq -c . | jq -c ." \
    "mlr -S --icsv --ojsonl put -f $here/ap-map.mlr $work/ap.csv | $PCLS | $PSC | $PRT"
} >"$work/all.tsv"

say "agreement"
$PCLS "$work/nightly.ndjson" >"$work/nightly.pcls"
sh -c "$PSC $work/nightly.cls" >"$work/nightly.psc"
sh -c "$PRT $work/nightly.sc" >"$work/nightly.prt"
a_cls=$(sh "$here/compare.sh" "$work/nightly.cls" "$work/nightly.pcls" exception exceptions domain \
    sensitivity confidence duplicate_of reasons)
a_sc=$(sh "$here/compare.sh" "$work/nightly.sc" "$work/nightly.psc" priority priority_band \
    priority_factors amount_base)
a_rt=$(sh "$here/compare.sh" "$work/nightly.rt" "$work/nightly.prt" queue route_rule sla_hours \
    sla_due review escalate)
# the two pipelines: records paired by row (the peers' ids are row numbers,
# fo-ingest's a hash), duplicate_of as found or not
"$B/fo-ingest" -q -p generic --numbers 1,234.56 "$work/ap.csv" | "$B/fo-classify" -q |
    $FOSC | $FORT | jq -c '.id = (input_line_number | tostring) | .duplicate_of |= (. != null)' >"$work/pipe.fo"
mlr -S --icsv --ojsonl put -f "$here/ap-map.mlr" "$work/ap.csv" | sh -c "$PCLS | $PSC | $PRT" |
    jq -c '.id = (input_line_number | tostring) | .duplicate_of |= (. != null)' >"$work/pipe.jq"
a_pipe=$(sh "$here/compare.sh" "$work/pipe.fo" "$work/pipe.jq" exception confidence duplicate_of \
    priority priority_factors queue sla_due review escalate)

echo "# fo speed: CPU time against jq"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; $(jq --version); $(mlr --version)"
echo "- command: \`sh bench/speed.sh BUILD $ROWS $RUNS\` (make bench-speed BENCHSPEEDROWS=$ROWS BENCHRUNS=$RUNS)"
echo "- data: bench/gen.awk's mix, $ROWS records ($DISTINCT distinct lines); nightly: the first $NIGHTLY;"
echo "  the pipeline: the mix's AP export, $AP rows"
echo "- CPU milliseconds of CMD per run, as bash runs it (user + sys of the command, its"
echo "  exec and its exit, from getrusage through bash's \`times\`, to the millisecond a"
echo "  round; no \`sh -c\` around it since 2026-12-08, which added 0.7 ms a run), median"
echo "  and minimum of $RUNS interleaved rounds (start-up and one record: 10 runs a round,"
echo "  nightly: 3)."
echo "- floor: jq doing nothing (\`jq -c .\`, or adding one field), the least any jq"
echo "  program costs; peer: the hand-written jq program making the same decisions"
echo "  (bench/peer-*.jq); x floor, x peer: their CPU time over fo's, medians over"
echo "  medians; x floor (min): minimum over minimum, what a run costs when nothing"
echo "  else on the machine gets in the way (the medians move with the neighbours)."
echo
echo "| what | records | command | ms median | ms min | records/CPU-s | x floor | x floor (min) | x peer |"
echo "|---|---|---|---|---|---|---|---|---|"
awk -F'\t' '
	{ k = $1 SUBSEP $3; med[k] = $5; min[k] = $6; lab[NR] = $1; recs[NR] = $2; idx[NR] = $3
	  cmd[NR] = $4; md[NR] = $5; mn[NR] = $6 }
	END { for (i = 1; i <= NR; i++) {
		rate = ""
		if (recs[i] > 0 && md[i] > 0) rate = sprintf("%d", recs[i] / (md[i] / 1000))
		xf = xm = xp = ""
		if (idx[i] == 0 && md[i] > 0) {
			if ((lab[i] SUBSEP 1) in med) xf = sprintf("%.1f", med[lab[i] SUBSEP 1] / md[i])
			if ((lab[i] SUBSEP 2) in med) xp = sprintf("%.1f", med[lab[i] SUBSEP 2] / md[i])
		}
		if (idx[i] == 0 && mn[i] > 0 && (lab[i] SUBSEP 1) in min)
			xm = sprintf("%.1f", min[lab[i] SUBSEP 1] / mn[i])
		c = cmd[i]
		gsub(/--argjson rates \x27[^\x27]*\x27/, "--argjson rates RATES", c)
		gsub(/<\/dev\/null/, "<DEVNULL", c)
		gsub(/[^ <|]*\//, "", c)
		gsub(/<DEVNULL/, "</dev/null", c)
		gsub(/\|/, "\\|", c)
		printf "| %s | %s | `%s` | %s | %s | %s | %s | %s | %s |\n", lab[i], recs[i], c,
		    md[i], mn[i], rate, xf, xm, xp } }' "$work/all.tsv"
echo
echo "## Agreement of the peers with fo"
echo
echo "bench/compare.sh on the $(wc -l <"$work/nightly.ndjson" | tr -d ' ') nightly records (records paired by id; a"
echo "field agrees when jq reads the two values as equal):"
echo
echo "classify (peer-classify.jq):"
echo
echo "$a_cls" | sed 's/^/    /'
echo
echo "score (peer-score.jq):"
echo
echo "$a_sc" | sed 's/^/    /'
echo
echo "route (peer-route.jq):"
echo
echo "$a_rt" | sed 's/^/    /'
echo
echo "pipeline, the $AP rows of the AP export (paired by row; duplicate_of: found or not):"
echo
echo "$a_pipe" | sed 's/^/    /'
