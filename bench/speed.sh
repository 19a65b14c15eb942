#!/bin/sh
# bench/speed.sh - CPU time of fo-classify, fo-score and fo-route against
# jq on the same records: start-up alone, a one-record run, a nightly-
# sized run (5,000 records) and a large one, in interleaved rounds (A B C
# A B C ...). CPU seconds (user + sys of the command and its children),
# not wall time: the machine is shared, and CPU time is what a run costs
# whoever else is busy. Not part of make check.
#
#   bench/speed.sh BUILD_DIR [ROWS [RUNS]]   (make bench-speed)
#
# The floor is jq doing nothing: `jq -c .` for fo-classify, and
# `jq -c '. + {priority: 0}'` (one field added) for fo-score and
# fo-route. The data is bench/gen.awk's mix, ROWS distinct records (no
# record repeats). Writes markdown to stdout.
set -eu
B=${1:?usage: bench/speed.sh BUILD_DIR [ROWS [RUNS]]}
ROWS=${2:-200000}
RUNS=${3:-${BENCHRUNS:-5}}
NIGHTLY=5000
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
need fo-ingest fo-classify fo-score fo-route
work=$(mktemp -d "${TMPDIR:-/tmp}/fo-speed.XXXXXX")
trap 'rm -rf "$work"' EXIT
say() { echo "speed: $*" >&2; }

say "generating $ROWS records"
V=$((ROWS / 50))
for pw in $MIX; do
	p=${pw%%:*}
	gen "$p" "$(mixrows "$p" "$ROWS")" "$V" >"$work/$p.csv"
	# shellcheck disable=SC2046
	"$B/fo-ingest" -q $(ingestopts "$p") "$work/$p.csv" >"$work/$p.ndjson"
done
merge "$work" >"$work/big.ndjson"
ROWS=$(wc -l <"$work/big.ndjson" | tr -d ' ')
head -n "$NIGHTLY" "$work/big.ndjson" >"$work/nightly.ndjson"
head -n 1 "$work/big.ndjson" >"$work/one.ndjson"
for s in big nightly one; do
	"$B/fo-classify" -q "$work/$s.ndjson" >"$work/$s.cls"
	"$B/fo-score" -q --as-of "$ASOF" --rates "$RATES" "$work/$s.cls" >"$work/$s.sc"
done

# cpu N CMD: CPU milliseconds of N runs of CMD (sh -c), on stdout
cpu() {
	perl -e 'my $n = shift; for (1..$n) { system("sh", "-c", $ARGV[0]) == 0
	    or die "failed: $ARGV[0]\n" } my @t = times;
	    printf "%.1f\n", 1000 * ($t[2] + $t[3])' "$@"
}

# round LABEL N CMD...: RUNS interleaved rounds, each command N times a
# round; prints "LABEL<TAB>CMD<TAB>median ms per run<TAB>min" per command
round() {
	label=$1 n=$2
	shift 2
	: >"$work/times"
	r=0
	while [ "$r" -lt "$RUNS" ]; do
		i=0
		for c; do
			echo "$i $(cpu "$n" "$c")" >>"$work/times"
			i=$((i + 1))
		done
		r=$((r + 1))
	done
	i=0
	for c; do
		awk -v i="$i" -v n="$n" '$1 == i { print $2 / n }' "$work/times" |
		    sort -n | awk -v l="$label" -v c="$c" '{ v[NR] = $1 }
		    END { printf "%s\t%s\t%.2f\t%.2f\n", l, c,
		    (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1] }'
		i=$((i + 1))
	done
}

say "start-up"
{
round "start-up" 10 "$B/fo-classify -q </dev/null" "$B/fo-score -q --as-of $ASOF --rates $RATES </dev/null" \
    "$B/fo-route -q --as-of $ASOF </dev/null" "jq -n 1 >/dev/null"
round "one record" 10 "$B/fo-classify -q $work/one.ndjson >/dev/null" "jq -c . $work/one.ndjson >/dev/null"
say "nightly ($NIGHTLY) and $ROWS records"
for s in nightly big; do
	round "classify $s" 1 "$B/fo-classify -q $work/$s.ndjson >/dev/null" "jq -c . $work/$s.ndjson >/dev/null"
	round "score $s" 1 "$B/fo-score -q --as-of $ASOF --rates $RATES $work/$s.cls >/dev/null" \
	    "jq -c '. + {priority: 0}' $work/$s.cls >/dev/null"
	round "route $s" 1 "$B/fo-route -q --as-of $ASOF $work/$s.sc >/dev/null" \
	    "jq -c '. + {priority: 0}' $work/$s.sc >/dev/null"
done
} >"$work/all.tsv"

echo "# fo speed: CPU time against jq"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; $(jq --version)"
echo "- command: \`sh bench/speed.sh BUILD $ROWS $RUNS\` (make bench-speed)"
echo "- data: bench/gen.awk's mix, $ROWS distinct records; nightly: the first $NIGHTLY"
echo "- CPU milliseconds (user + sys) per run, median and minimum of $RUNS interleaved"
echo "  rounds (start-up and one record: 10 runs a round). The peer is jq doing nothing"
echo "  (\`jq -c .\`, or adding one field): the floor any jq program stands on."
echo
echo "| what | command | ms median | ms min | records/CPU-s | jq CPU / fo CPU |"
echo "|---|---|---|---|---|---|"
awk -F'\t' -v rows="$ROWS" -v nightly="$NIGHTLY" '
	{ n = 0
	  if ($1 ~ /big/) n = rows
	  else if ($1 ~ /nightly/) n = nightly
	  else if ($1 ~ /one/) n = 1
	  lab[NR] = $1; cmd[NR] = $2; med[NR] = $3; mn[NR] = $4
	  rate[NR] = ""
	  if (n && $3 > 0) rate[NR] = sprintf("%d", n / ($3 / 1000))
	  if ($2 ~ /^jq/) jq[$1] = $3 }
	END { for (i = 1; i <= NR; i++) {
		r = ""
		if (cmd[i] !~ /^jq/ && jq[lab[i]] > 0 && med[i] > 0)
			r = sprintf("%.2f", jq[lab[i]] / med[i])
		c = cmd[i]
		sub(/ >\/dev\/null$/, "", c)
		gsub(/<\/dev\/null/, "<DEVNULL", c)
		gsub(/[^ <]*\//, "", c)
		gsub(/<DEVNULL/, "</dev/null", c)
		printf "| %s | `%s` | %s | %s | %s | %s |\n", lab[i], c, med[i],
		    mn[i], rate[i], r } }' "$work/all.tsv"
