#!/bin/sh
# bench/allocs.sh - mallocs per record in each tool's loop: valgrind's
# memcheck counts the heap allocations of a run ("total heap usage: N
# allocs"); a run on N and one on 2N records differ by the loop's
# allocations alone (start-up, rules and libjq's compile cancel out), so
# (allocs(2N) - allocs(N)) / N is the figure. ltrace -c would count the
# calls too, but is not installed on the Debian target by default.
#
#   bench/allocs.sh BUILD_DIR            (make bench-allocs; ALLOCROWS=1000)
set -eu
B=${1:?usage: bench/allocs.sh BUILD_DIR}
N=${ALLOCROWS:-1000}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
need fo-ingest fo-classify fo-score fo-route fo-age
command -v valgrind >/dev/null 2>&1 || { echo "allocs: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
w=$(mktemp -d "${TMPDIR:-/tmp}/fo-allocs.XXXXXX")
trap 'rm -rf "$w"' EXIT

N2=$((N * 2))
mixgen "$w" "$N2" >"$w/all.ndjson"
"$B/fo-classify" -q "$w/all.ndjson" >"$w/all.cls"
"$B/fo-score" -q --as-of "$ASOF" --rates "$RATES" "$w/all.cls" >"$w/all.sc"
"$B/fo-route" -q --as-of "$ASOF" "$w/all.sc" >"$w/all.rt"
for f in all.ndjson all.cls all.sc all.rt; do
	head -n "$N" "$w/$f" >"$w/$N.$f"; head -n "$N2" "$w/$f" >"$w/$N2.$f"
done
gen ap "$N" $((N2 / 50)) >"$w/$N.ap.csv"; gen ap "$N2" $((N2 / 50)) >"$w/$N2.ap.csv"
gen sap-mrbr "$N" $((N2 / 50)) >"$w/$N.sap.csv"; gen sap-mrbr "$N2" $((N2 / 50)) >"$w/$N2.sap.csv"

allocs() {
	valgrind --tool=memcheck --leak-check=no --undef-value-errors=no "$@" 2>&1 >/dev/null |
	    awk '/total heap usage:/ { gsub(",", ""); for (i = 1; i <= NF; i++) if ($(i + 1) == "allocs") print $i }'
}
# name, input file stem, command (the input file is appended)
run() {
	name=$1 f=$2; shift 2
	a1=$(allocs "$@" "$w/$N.$f") a2=$(allocs "$@" "$w/$N2.$f")
	awk -v t="$name" -v a1="$a1" -v a2="$a2" -v n="$N" 'BEGIN {
		printf "| %s | %d | %d | %.2f |\n", t, a1, a2, (a2 - a1) / n }'
}
echo "# fo allocations per record"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(valgrind --version); command: \`ALLOCROWS=$N sh bench/allocs.sh BUILD\`"
echo "- heap allocations (malloc, calloc, realloc, new) counted by memcheck on $N and $N2 records"
echo
echo "| tool | allocs at $N | allocs at $N2 | mallocs per record |"
echo "|---|---|---|---|"
run "fo-ingest -p generic (AP export)" ap.csv "$B/fo-ingest" -q -p generic --numbers 1,234.56
run "fo-ingest -p sap-mrbr" sap.csv "$B/fo-ingest" -q -p sap-mrbr
run "fo-classify (shipped rules, native)" all.ndjson "$B/fo-classify" -q
run "fo-classify -r bench/dup-only.yaml" all.ndjson "$B/fo-classify" -q -r "$here/dup-only.yaml"
run "fo-score" all.cls "$B/fo-score" -q --as-of "$ASOF" --rates "$RATES"
run "fo-route" all.sc "$B/fo-route" -q --as-of "$ASOF"
run "fo-age -g queue (report)" all.rt "$B/fo-age" -q --as-of "$ASOF" -g queue
run "fo-age -a (annotate)" all.rt "$B/fo-age" -q -a --as-of "$ASOF"
