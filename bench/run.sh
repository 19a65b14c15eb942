#!/bin/sh
# bench/run.sh - fo-ingest against its nearest peers on the same data, in
# one process tree, interleaved (A B C A B C ...), medians of RUNS runs.
# Figures are ratios: these machines are shared and noisy. Not part of
# make check. Usage: bench/run.sh BUILD_DIR [ROWS] [RUNS]
set -eu
B=${1:?usage: bench/run.sh BUILD_DIR [ROWS] [RUNS]}
ROWS=${2:-1000000}
RUNS=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
export FO_RULES="$here/../rules" LC_ALL=C
work=$(mktemp -d "${TMPDIR:-/tmp}/fo-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

awk -v n="$ROWS" -f "$here/gen-ap.awk" >"$work/ap.csv"
bytes=$(wc -c <"$work/ap.csv")

# name and command of each contender
set -- \
    "cat" "cat $work/ap.csv" \
    "fo-ingest" "$B/fo-ingest -q --numbers 1,234.56 $work/ap.csv" \
    "mlr --icsv --ojsonl cat" "mlr --icsv --ojsonl cat $work/ap.csv"

# one timed run: seconds and peak RSS (KiB) from GNU time
timed() {
	/usr/bin/time -f '%e %M' -o "$work/t" sh -c "$1 >/dev/null" 2>/dev/null
	cat "$work/t"
}

i=0
while [ $i -lt "$RUNS" ]; do
	j=1
	for arg; do
		if [ $((j % 2)) -eq 0 ]; then
			timed "$arg" >>"$work/times.$j"
		fi
		j=$((j + 1))
	done
	i=$((i + 1))
done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

{
	echo "# fo-ingest benchmark"
	echo
	echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), $ROWS rows, $bytes bytes, median of $RUNS interleaved runs"
	echo "command: bench/run.sh BUILD_DIR $ROWS $RUNS"
	echo
	echo "| tool | seconds | rows/s | MB/s | peak RSS KiB |"
	echo "|---|---|---|---|---|"
	j=1
	for arg; do
		if [ $((j % 2)) -eq 1 ]; then
			name=$arg
		else
			s=$(cut -d' ' -f1 "$work/times.$j" | median)
			m=$(cut -d' ' -f2 "$work/times.$j" | median)
			echo "$name $s $m" >>"$work/summary"
			awk -v n="$name" -v s="$s" -v m="$m" -v r="$ROWS" -v b="$bytes" \
			    'BEGIN { printf "| %s | %.2f | %.0f | %.1f | %d |\n", n, s, (s > 0 ? r / s : 0), (s > 0 ? b / s / 1e6 : 0), m }'
		fi
		j=$((j + 1))
	done
	echo
	fo=$(awk '$1 == "fo-ingest" { print $2 }' "$work/summary")
	mlr=$(awk '$1 == "mlr" { print $(NF - 1) }' "$work/summary")
	awk -v f="$fo" -v m="$mlr" 'BEGIN { printf "fo-ingest throughput / mlr: %.2fx\n", (f > 0 ? m / f : 0) }'
}
