#!/bin/sh
# bench/mem.sh - peak RSS of each fo tool at 100k records and at BIG
# records (10M by default), the records made on the fly and piped in, so
# that nothing of the input sits in a file or in the page cache:
#
#   bench/mem.sh BUILD_DIR [BIG]          (make bench-mem [BENCHMEMROWS=N])
#
# - fo-ingest: gen.awk's SAP MRBR export (a keyed profile: streams) and its
#   AP export (-p generic: keyless, its ids are kept, fo-ingest(1) Record
#   ids) through a pipe (fo-ingest -);
# - fo-score, fo-route, fo-age -g queue (a report of a few groups): a
#   classified / scored / routed sample of 20000 records repeated;
# - fo-classify: the shipped rules at 100k (libjq's cost; 10M would take
#   over an hour), and bench/dup-only.yaml (only the duplicate index) at
#   100k and BIG: the index grows with the invoices by design;
# - bytes per key: fo-classify's index at AGEKEYS and 2 x AGEKEYS invoices
#   of the AP export (every row an invoice), and fo-age's groups with
#   -g id at AGEKEYS and 2 x AGEKEYS distinct ids (the sample repeated with
#   its ids made unique): (RSS(2N) - RSS(N)) / N.
# The streaming tools pass when RSS at BIG is within 10% of RSS at 100k.
set -eu
B=${1:?usage: bench/mem.sh BUILD_DIR [BIG]}
BIG=${2:-10000000}
KEYS=${AGEKEYS:-100000}
SMALL=100000
[ "$BIG" -ge "$SMALL" ] || SMALL=$BIG
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
need fo-ingest fo-classify fo-score fo-route fo-age rss
w=$(mktemp -d "${TMPDIR:-/tmp}/fo-mem.XXXXXX")
trap 'rm -rf "$w"' EXIT
R=$B/rss
t0=$(date +%s)
say() { echo "mem: $*" >&2; }

# the sample the stateless stages are fed with (20000 records of the mix)
S=20000
for pw in $MIX; do
	p=${pw%%:*}
	# shellcheck disable=SC2046
	gen "$p" "$(mixrows "$p" $S)" $((S / 50)) | "$B/fo-ingest" -q $(ingestopts "$p") - >"$w/$p.ndjson"
done
merge "$w" >"$w/sample.ndjson"
"$B/fo-classify" -q "$w/sample.ndjson" >"$w/sample.cls"
"$B/fo-score" -q --as-of "$ASOF" --rates "$RATES" "$w/sample.cls" >"$w/sample.sc"
"$B/fo-route" -q --as-of "$ASOF" "$w/sample.sc" >"$w/sample.rt"

# rss NAME N: run the command on stdin; peak KiB to $w/r.NAME.N
m() {
	name=$1 n=$2; shift 2
	say "$name at $n records"
	"$R" -o "$w/t" "$@" >/dev/null
	read -r sec kib code <"$w/t"
	[ "$code" = 0 ] || { echo "mem: $name at $n: exit $code" >&2; exit 1; }
	echo "$kib" >"$w/r.$name.$n"
	echo "$sec" >"$w/s.$name.$n"
}
# the repeated sample, ids made unique when $3 is "uniq"
rep() { awk -v n="$2" -v u="${3:-}" '{ l[NR] = $0 } END { for (i = 0; i < n; i++) { s = l[i % NR + 1]; if (u != "") sub(/"id":"/, "\"id\":\"" i ":", s); print s } }' "$1"; }
ap() { gen ap "$1" $(($1 / 50)) | "$B/fo-ingest" -q -p generic --numbers 1,234.56 -; }

for n in $SMALL $BIG; do
	gen sap-mrbr "$n" $((n / 50)) | m fo-ingest-sap-mrbr "$n" "$B/fo-ingest" -q -p sap-mrbr -
	gen ap "$n" $((n / 50)) | m fo-ingest-generic "$n" "$B/fo-ingest" -q -p generic --numbers 1,234.56 -
	rep "$w/sample.cls" "$n" | m fo-score "$n" "$B/fo-score" -q --as-of "$ASOF" --rates "$RATES"
	rep "$w/sample.sc" "$n" | m fo-route "$n" "$B/fo-route" -q --as-of "$ASOF"
	rep "$w/sample.rt" "$n" | m "fo-age-report" "$n" "$B/fo-age" -q --as-of "$ASOF" -g queue
	ap "$n" | m "fo-classify-dup-only" "$n" "$B/fo-classify" -q -r "$here/dup-only.yaml"
done
ap $SMALL | m "fo-classify" $SMALL "$B/fo-classify" -q
for n in $KEYS $((KEYS * 2)); do
	ap "$n" | m "index" "$n" "$B/fo-classify" -q -r "$here/dup-only.yaml"
	rep "$w/sample.rt" "$n" uniq | m "groups" "$n" "$B/fo-age" -q --as-of "$ASOF" -g id
done

r() { cat "$w/r.$1.$2" 2>/dev/null || echo -; }
fail=0
{
	echo "# fo memory"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; $(uname -srm)"
	echo "- command: \`sh bench/mem.sh BUILD $BIG\` (make bench-mem BENCHMEMROWS=$BIG), AGEKEYS=$KEYS; $(( $(date +%s) - t0 )) s"
	echo "- peak RSS (KiB) from wait4's ru_maxrss (bench/rss); input generated and piped in"
	echo
	echo "| tool | RSS at $SMALL | RSS at $BIG | ratio | streaming within 10% |"
	echo "|---|---|---|---|---|"
	for t in fo-ingest-sap-mrbr fo-ingest-generic fo-score fo-route fo-age-report fo-classify-dup-only fo-classify; do
		a=$(r $t $SMALL) b=$(r $t $BIG)
		v=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a == "-" || b == "-" || a <= 0) print "- -"; else printf "%.3f %s\n", b / a, (b <= a * 1.10 ? "yes" : "NO") }')
		case $t in
		fo-classify*) v="${v% *} (grows by design: duplicate index)" ;;
		fo-ingest-generic) v="${v% *} (grows by design: ids of a keyless profile)" ;;
		esac
		echo "| $t | $a | $b | $v |" | sed 's/ \([0-9.]*\) \(yes\|NO\) |$/ \1 | \2 |/; s/ \(- -\) |$/ - | - |/; s/(grows by design: \([^)]*\)) |$/| (by design: \1) |/'
		case "$t:$v" in *NO) fail=1 ;; esac
	done
	echo
	i1=$(r index "$KEYS") i2=$(r index $((KEYS * 2)))
	g1=$(r groups "$KEYS") g2=$(r groups $((KEYS * 2)))
	awk -v s="$SMALL" -v b="$BIG" -v a1="$(r fo-ingest-generic $SMALL)" -v a2="$(r fo-ingest-generic $BIG)" -v k="$KEYS" -v i1="$i1" -v i2="$i2" -v g1="$g1" -v g2="$g2" 'BEGIN {
		printf "- fo-classify duplicate index: %d KiB at %d invoices, %d KiB at %d: %.0f bytes per invoice\n", i1, k, i2, 2 * k, (i2 - i1) * 1024 / k
		printf "  (the AP export: every row an invoice, about 2%% of them entered twice)\n"
		printf "- fo-ingest -p generic: %d KiB at %d rows, %d KiB at %d: %.0f bytes per row (fo-ingest(1), Record ids: a profile\n", a1, s, a2, b, (a2 - a1) * 1024 / (b - s)
		printf "  without keys numbers rows alike :2, :3, so it keeps every id it gave; -p sap-mrbr, keyed, stays flat)\n"
		printf "- fo-age groups (-g id): %d KiB at %d groups, %d KiB at %d: %.0f bytes per group\n", g1, k, g2, 2 * k, (g2 - g1) * 1024 / k
	}'
	echo "- fo-classify with the shipped rules at $SMALL: $(r fo-classify $SMALL) KiB, $(cat "$w/s.fo-classify.$SMALL") s"
}
exit $fail
