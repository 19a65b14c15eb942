#!/bin/sh
# bench/soak.sh - issue 8's soak: ROWS generated records (10M by default)
# streamed through the whole pipeline, nothing stored on disk but sums:
#
#   gen.awk | fo-ingest (each profile of the mix in turn)
#     | fo-classify | fo-score | fo-route | fo-age -a | fo-age -g queue -f csv
#
# Checks, and exits 1 on any failure:
#   - every record that leaves fo-ingest reaches the end (fo-age -a passes
#     non-exceptions through), and every stage exits 0;
#   - the sum of "amount" per currency after fo-ingest equals the sum at
#     the end, exactly (bench/lib.sh exactsums: from the digits as written,
#     integers of thousandths carried past 2^53, never a double);
#   - fo-age's report (its "(all)" total row) equals the exact sum of the
#     exceptions at the end, per currency, and counts them;
#   - the resident set of each streaming stage stays flat: its largest
#     VmRSS sample is within 10% (or 1 MiB) of the one at a fifth of the run.
#     fo-classify's duplicate index grows with the invoices by design: its
#     growth is printed, with bytes per indexed invoice, not judged.
#
#   bench/soak.sh BUILD_DIR [ROWS]      (make soak [SOAKROWS=100000])
#
# fo-classify runs the shipped rules natively at some 30 us a record
# (under libjq, with --no-native, 10M records would take over an hour).
set -eu
B=${1:?usage: bench/soak.sh BUILD_DIR [ROWS]}
ROWS=${2:-10000000}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
need fo-ingest fo-classify fo-score fo-route fo-age rss
w=$(mktemp -d "${TMPDIR:-/tmp}/fo-soak.XXXXXX")
trap 'rm -rf "$w"' EXIT
V=$((ROWS / 50))
R=$B/rss
t0=$(date +%s)
echo "soak: $ROWS records ($MIX), $V vendors, as-of $ASOF, in $w"

mkfifo "$w/in" "$w/out" "$w/outx"
exactsums all <"$w/in" >"$w/sums.in" &
exactsums all <"$w/out" >"$w/sums.out" &
exactsums exceptions <"$w/outx" >"$w/sums.outx" &
{
	for pw in $MIX; do
		p=${pw%%:*}
		# shellcheck disable=SC2046
		gen "$p" "$(mixrows "$p" "$ROWS")" "$V" | "$R" -o "$w/rss.ingest-$p" "$B/fo-ingest" -q $(ingestopts "$p") -
	done
} | tee "$w/in" |
    "$R" -o "$w/rss.classify" -s "$w/smp.classify" "$B/fo-classify" -q |
    "$R" -o "$w/rss.score" -s "$w/smp.score" "$B/fo-score" -q --as-of "$ASOF" --rates "$RATES" |
    "$R" -o "$w/rss.route" -s "$w/smp.route" "$B/fo-route" -q --as-of "$ASOF" |
    "$R" -o "$w/rss.age-a" -s "$w/smp.age-a" "$B/fo-age" -q -a --as-of "$ASOF" |
    tee "$w/out" "$w/outx" |
    "$R" -o "$w/rss.age-report" -s "$w/smp.age-report" "$B/fo-age" -q --as-of "$ASOF" -g queue -f csv >"$w/report.csv"
wait
secs=$(( $(date +%s) - t0 ))

fail=0
bad() { echo "soak: FAIL: $*"; fail=1; }

echo
echo "stage                    exit  seconds  peak RSS KiB  VmRSS at 1/5  max VmRSS  growth"
for f in "$w"/rss.*; do
	s=${f##*/rss.}
	read -r sec kib code <"$f"
	smp=$w/smp.$s
	if [ -s "$smp" ]; then
		set -- $(awk '{ v[NR] = $2; if ($2 > m) m = $2 } END { i = int(NR / 5); if (i < 1) i = 1; print v[i], m }' "$smp")
		early=$1 late=$2
	else
		early=- late=-
	fi
	g=$(awk -v e="$early" -v l="$late" 'BEGIN { if (e == "-" || e <= 0) print "-"; else printf "%+.1f%%", 100 * (l - e) / e }')
	printf '%-24s %4s %8s %13s %13s %10s %7s\n' "$s" "$code" "$sec" "$kib" "$early" "$late" "$g"
	[ "$code" = 0 ] || bad "$s exited $code"
	case $s in
	classify)
		cls_early=$early cls_late=$late ;;
	ingest-*) ;;
	*)
		if [ "$early" != - ] && awk -v e="$early" -v l="$late" 'BEGIN { exit !(l > e * 1.10 && l - e > 1024) }'; then
			bad "$s: RSS grew from $early to $late KiB"
		fi ;;
	esac
done

echo
n_in=$(awk '$1 == "count" { print $2 }' "$w/sums.in")
n_out=$(awk '$1 == "count" { print $2 }' "$w/sums.out")
n_x=$(awk '$1 == "count" { print $2 }' "$w/sums.outx")
echo "records: $n_in after fo-ingest, $n_out at the end, $n_x exceptions"
[ "$n_in" = "$ROWS" ] || bad "fo-ingest wrote $n_in records of $ROWS rows"
[ "$n_in" = "$n_out" ] || bad "records in $n_in != records out $n_out"

# fo-age's "(all)" total row, per currency, in thousandths as text
awk -F, '
NR == 1 { for (i = 1; i <= NF; i++) { if ($i ~ /^amount_[A-Z]+$/) cur[i] = substr($i, 8); if ($i == "count") cc = i } next }
$1 == "(all)" && $2 == "total" {
	print "count", $cc
	for (i in cur) {
		if ($i == "") continue
		v = $i; neg = substr(v, 1, 1) == "-"; if (neg) v = substr(v, 2)
		d = index(v, "."); fr = d ? substr(v, d + 1) : ""; ip = d ? substr(v, 1, d - 1) : v
		while (length(fr) < 3) fr = fr "0"
		v = ip fr; sub(/^0+/, "", v); if (v == "") { v = "0"; neg = 0 }
		print cur[i], (neg ? "-" : "") v
	}
}' "$w/report.csv" | sort >"$w/sums.report"

echo
echo "sums per currency, in thousandths of a unit (exact):"
join -a 1 -a 2 -e MISSING -o 0,1.2,2.2 "$w/sums.in" "$w/sums.out" >"$w/j1"
join -a 1 -a 2 -e MISSING -o 0,1.2,2.2 "$w/sums.outx" "$w/sums.report" >"$w/j2"
printf '%-8s %24s %24s %24s %24s\n' currency after-fo-ingest at-the-end exceptions-at-end fo-age-report
join -a 1 -a 2 -e - -o 0,1.2,1.3,2.2,2.3 "$w/j1" "$w/j2" | while read -r c a b x r; do
	printf '%-8s %24s %24s %24s %24s\n' "$c" "$a" "$b" "$x" "$r"
done
while read -r c a b; do
	[ "$a" = "$b" ] || bad "$c: after fo-ingest $a, at the end $b"
done <"$w/j1"
while read -r c a b; do
	[ "$a" = "$b" ] || bad "$c: exceptions at the end $a, fo-age report $b"
done <"$w/j2"

if [ -n "${cls_early:-}" ] && [ "$cls_early" != - ]; then
	inv=$(awk '$1 == "count" { print $2 }' "$w/sums.in")
	awk -v e="$cls_early" -v l="$cls_late" -v n="$inv" 'BEGIN {
		printf "\nfo-classify: VmRSS %d KiB at a fifth of the run, %d KiB at most: the duplicate index;\n", e, l
		printf "about %.0f bytes per record over the last four fifths (%d records, not all invoices)\n", (l - e) * 1024 / (n * 0.8), n }'
fi
echo
if [ $fail = 0 ]; then
	echo "soak: PASS: $ROWS records in $secs s; counts and per-currency sums reconcile exactly"
else
	echo "soak: FAILED ($secs s)"
fi
exit $fail
