#!/bin/sh
# bench/compare.sh - do a peer's records carry the same decisions as
# fo's? Records are paired by id; for each field named, the share of
# records whose values are equal (compared as JSON after jq reads both,
# so 0.90 and 0.9 are equal), then the share equal in every field at
# once. A record on one side only counts as a difference.
#
#   sh bench/compare.sh FO.ndjson PEER.ndjson FIELD...
#
# One line a field on stdout: "FIELD: N of M (P%)", then "all: ...".
# With COMPARE_SHOW=K, K differing records of each field on stderr.
set -eu
[ $# -ge 3 ] || { echo "usage: bench/compare.sh FO.ndjson PEER.ndjson FIELD..." >&2; exit 2; }
fo=$1 peer=$2
shift 2
fields=$(printf '%s\n' "$@" | jq -R . | jq -sc .)
w=$(mktemp -d "${TMPDIR:-/tmp}/fo-compare.XXXXXX")
trap 'rm -rf "$w"' EXIT
# id TAB [values of the fields], sorted by id
pick() {
	jq -r --argjson f "$fields" '"\(.id | tostring | gsub("\t"; " "))\t\([.[$f[]]] | tojson)"' "$1" |
	    LC_ALL=C sort -t "$(printf '\t')" -k1,1
}
pick "$fo" >"$w/a"
pick "$peer" >"$w/b"
LC_ALL=C join -t "$(printf '\t')" -a 1 -a 2 -e MISSING -o 0,1.2,2.2 "$w/a" "$w/b" |
    jq -R -r --argjson f "$fields" --arg show "${COMPARE_SHOW:-0}" '
	split("\t") | .[0] as $id |
	(.[1] | if . == "MISSING" then null else fromjson end) as $a |
	(.[2] | if . == "MISSING" then null else fromjson end) as $b |
	[range(0; $f | length) as $i |
	    if $a != null and $b != null and $a[$i] == $b[$i] then "=" else "!" end] |
	"\($id)\t\(join(""))\t\($a | tojson)\t\($b | tojson)"' >"$w/c"
awk -F'\t' -v names="$*" -v show="${COMPARE_SHOW:-0}" '
	BEGIN { nf = split(names, name, " ") }
	{ n++; all = 1
	  for (i = 1; i <= nf; i++)
		if (substr($2, i, 1) == "=") ok[i]++
		else { all = 0
		       if (shown[i]++ < show) printf "%s differs: %s\n  fo:   %s\n  peer: %s\n", name[i], $1, $3, $4 > "/dev/stderr" }
	  if (all) both++ }
	END { for (i = 1; i <= nf; i++)
		printf "%s: %d of %d (%.2f%%)\n", name[i], ok[i], n, n ? 100 * ok[i] / n : 0
	      printf "all: %d of %d (%.2f%%)\n", both, n, n ? 100 * both / n : 0 }' "$w/c"
