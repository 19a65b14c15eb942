#!/bin/sh
# bench/ingest-cost.sh - fo-ingest against an older fo-ingest: instructions
# a row and CPU time on the bench's exports, and the start-up. A regression
# check (issue 14: "not worse than before"), not a peer comparison.
#
#   sh bench/ingest-cost.sh BASE_TREE [NEW_TREE]
#
# A tree is a checkout with its fo-ingest built (TREE/build/fo-ingest) and
# its own rules (TREE/rules); NEW_TREE is this checkout when not given.
# Environment: CGROWS (20000: the rows callgrind runs on), BENCHROWS
# (1000000: the bench's mix, whose share of each profile the CPU runs
# read, as bench/run.sh does), ROUNDS (11), BENCHWORK (keep the data).
#
# Instructions (valgrind --tool=callgrind, deterministic): of
#	fo-ingest -q OPTS FILE >/dev/null
# on CGROWS rows of `awk -v p=P -v n=CGROWS -v vendors=4000 -f gen.awk`,
# less those of the same command on the file's lines up to its header,
# over CGROWS; start-up: the same on /dev/null (refused: empty).
# CPU: user + sys of each run (bash's times), base and new one after the
# other in each round; the median of each, and the median of the rounds'
# new/base ratios. Writes markdown to stdout.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BASE=$(cd "${1:?usage: bench/ingest-cost.sh BASE_TREE [NEW_TREE]}" && pwd)
NEW=$(cd "${2:-$here/..}" && pwd)
CGROWS=${CGROWS:-20000}
ROWS=${BENCHROWS:-1000000}
ROUNDS=${ROUNDS:-11}
export LC_ALL=C
top=$NEW
. "$here/lib.sh"
for t in "$BASE" "$NEW"; do
	[ -x "$t/build/fo-ingest" ] || { echo "ingest-cost: $t/build/fo-ingest missing" >&2; exit 2; }
done
command -v valgrind >/dev/null || { echo "ingest-cost: needs valgrind" >&2; exit 2; }
command -v bash >/dev/null || { echo "ingest-cost: needs bash (times)" >&2; exit 2; }
if [ -n "${BENCHWORK:-}" ]; then
	work=$BENCHWORK; mkdir -p "$work"
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/fo-ingest-cost.XXXXXX")
	trap 'rm -rf "$work"' EXIT
fi
PROFILES="ap sap-mrbr oracle-ap-holds netsuite-bills payment-status bank-csv"
V=$((ROWS / 50))

# the line of a profile's header in gen.awk's exports (title lines before)
hdrline() {
	case $1 in
	oracle-ap-holds) echo 5 ;;
	bank-csv) echo 7 ;;
	*) echo 1 ;;
	esac
}

# ir TREE PROFILE FILE: callgrind's instruction count of one run
ir() {
	# shellcheck disable=SC2046
	FO_RULES=$1/rules valgrind --tool=callgrind \
	    --callgrind-out-file="$work/cg.out" "$1/build/fo-ingest" -q \
	    $(ingestopts "$2") "$3" </dev/null >/dev/null 2>&1 || :
	awk '/^totals:/ { print $2 }' "$work/cg.out"
}

# cpu TREE PROFILE FILE: user + sys seconds of one run
cpu() {
	FO_RULES=$1/rules bash -c 'TIMEFORMAT="%U %S"; { time "$@" >/dev/null 2>&1; } 2>&1' \
	    sh "$1/build/fo-ingest" -q $(ingestopts "$2") "$3" |
	    awk '{ printf "%.3f\n", $1 + $2 }'
}

for p in $PROFILES; do
	[ -s "$work/$p.cg.csv" ] ||
	    awk -v p="$p" -v n="$CGROWS" -v vendors=4000 -f "$here/gen.awk" >"$work/$p.cg.csv"
	head -n "$(hdrline "$p")" "$work/$p.cg.csv" >"$work/$p.hdr.csv"
	[ -s "$work/$p.cpu.csv" ] ||
	    gen "$p" "$(mixrows "$p" "$ROWS")" "$V" >"$work/$p.cpu.csv"
done

echo "Instructions a row (callgrind, $CGROWS rows, less the run on the lines"
echo "up to the header), base $(basename "$BASE") and new $(basename "$NEW"):"
echo
echo "| profile | base Ir/row | new Ir/row | new/base | output bytes base -> new |"
echo "|---|---|---|---|---|"
for p in $PROFILES; do
	f=$work/$p.cg.csv
	b=$(( ($(ir "$BASE" "$p" "$f") - $(ir "$BASE" "$p" "$work/$p.hdr.csv")) / CGROWS ))
	n=$(( ($(ir "$NEW" "$p" "$f") - $(ir "$NEW" "$p" "$work/$p.hdr.csv")) / CGROWS ))
	# shellcheck disable=SC2046
	ob=$(FO_RULES=$BASE/rules "$BASE/build/fo-ingest" -q $(ingestopts "$p") "$f" 2>/dev/null | wc -c)
	# shellcheck disable=SC2046
	on=$(FO_RULES=$NEW/rules "$NEW/build/fo-ingest" -q $(ingestopts "$p") "$f" 2>/dev/null | wc -c)
	echo "| $p | $b | $n | $(awk -v b="$b" -v n="$n" 'BEGIN { printf "%.3f", n / b }') | $ob -> $on |"
done
echo
# an empty input is refused (exit 1): the start-up is all it does
sb=$(ir "$BASE" ap /dev/null)
sn=$(ir "$NEW" ap /dev/null)
echo "Start-up (fo-ingest -q -p generic --numbers 1,234.56 /dev/null): base $sb, new $sn instructions."
echo

echo "CPU seconds (user + sys), the bench's $ROWS-record mix ($V vendors),"
echo "$ROUNDS rounds, base then new in each:"
echo
echo "| profile | rows | base median | new median | median of new/base | base min | new min |"
echo "|---|---|---|---|---|---|---|"
for p in $PROFILES; do
	f=$work/$p.cpu.csv
	: >"$work/t.base"; : >"$work/t.new"; : >"$work/t.ratio"
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		tb=$(cpu "$BASE" "$p" "$f")
		tn=$(cpu "$NEW" "$p" "$f")
		echo "$tb" >>"$work/t.base"
		echo "$tn" >>"$work/t.new"
		awk -v b="$tb" -v n="$tn" 'BEGIN { if (b > 0) printf "%.4f\n", n / b }' >>"$work/t.ratio"
		i=$((i + 1))
	done
	echo "| $p | $(mixrows "$p" "$ROWS") | $(median <"$work/t.base") | $(median <"$work/t.new") | $(median <"$work/t.ratio") | $(sort -n "$work/t.base" | head -1) | $(sort -n "$work/t.new" | head -1) |"
done
