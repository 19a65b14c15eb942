#!/bin/sh
# bench/match.sh BUILD [N]: fo-match on N generated bank lines against N
# open items (default 200000 each), every line paying one item by its
# end-to-end id, against mlr join -j end_to_end_id on the same records.
# Not part of make check: timing belongs to a benchmark. Prints seconds,
# peak RSS (bench/rss, wait4's ru_maxrss) and the RSS per held record.
set -eu
B=${1:?usage: bench/match.sh BUILD [N]}
N=${2:-200000}
[ -x "$B/rss" ] || { echo "bench/match.sh: make $B/rss first" >&2; exit 2; }
command -v mlr >/dev/null || { echo "bench/match.sh: mlr not installed" >&2; exit 2; }
w=$(mktemp -d "${TMPDIR:-/tmp}/fo-bench-match.XXXXXX")
trap 'rm -rf "$w"' EXIT
R=$(cd "$(dirname "$0")/.." && pwd)/rules/match.yaml

# items in one order, lines in another (a stride through them), so
# neither side is sorted like the other
awk -v n="$N" 'BEGIN {
	for (i = 0; i < n; i++)
		printf "{\"id\":\"ap:INV-%d\",\"doc_type\":\"invoice\",\"vendor_id\":\"V%d\",\"vendor_name\":\"Vendor %d GmbH\",\"doc_number\":\"INV-%07d\",\"currency\":\"EUR\",\"amount\":%d.%02d,\"end_to_end_id\":\"E2E-%d\",\"due_date\":\"2026-10-%02d\"}\n", i, i % 5000, i % 5000, i, 100 + i % 9000, i % 100, i, 1 + i % 28
}' >"$w/items"
awk -v n="$N" 'BEGIN {
	for (k = 0; k < n; k++) {
		i = (k * 7919) % n
		printf "{\"id\":\"bank:%d\",\"doc_type\":\"bank_line\",\"currency\":\"EUR\",\"amount\":-%d.%02d,\"end_to_end_id\":\"E2E-%d\",\"value_date\":\"2026-10-%02d\",\"counterparty\":\"Vendor %d GmbH\",\"remittance\":\"INV-%07d\"}\n", k, 100 + i % 9000, i % 100, i, 1 + i % 28, i % 5000, i
	}
}' >"$w/lines"

"$B/rss" -o "$w/t.fo" "$B/fo-match" -q -r "$R" --against "$w/items" \
    "$w/lines" >"$w/out.fo"
"$B/rss" -o "$w/t.mlr" mlr --ijsonl --ojsonl join -j end_to_end_id \
    -f "$w/items" "$w/lines" >"$w/out.mlr"
read -r s_fo k_fo x_fo <"$w/t.fo"
read -r s_mlr k_mlr x_mlr <"$w/t.mlr"
matched=$(grep -c '"match_status":"matched"' "$w/out.fo" || true)
echo "# fo-match vs mlr join, $N lines x $N items ($(uname -m), $(nproc) cores)"
echo
echo "| tool | seconds | peak RSS KiB | records out | exit |"
echo "|---|---|---|---|---|"
echo "| fo-match | $s_fo | $k_fo | $(wc -l <"$w/out.fo" | tr -d ' ') ($matched matched) | $x_fo |"
echo "| mlr join -j end_to_end_id | $s_mlr | $k_mlr | $(wc -l <"$w/out.mlr" | tr -d ' ') | $x_mlr |"
echo
awk -v a="$s_fo" -v b="$s_mlr" -v k="$k_fo" -v n="$N" 'BEGIN {
	printf "- time ratio fo-match / mlr: %.2f\n", a / b
	printf "- fo-match peak RSS per held record (both sides): %.0f bytes\n", k * 1024 / (2 * n)
}'
echo "- mlr join pairs only; fo-match writes both sides whole, with verdicts"
