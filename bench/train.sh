#!/bin/sh
# bench/train.sh BUILD_DIR [ROWS]: the run a profile-guided build learns
# from (make PGO=1, the default; the Makefile runs it). The tools of
# BUILD_DIR, compiled with -fprofile-generate, do what a night does:
# gen.awk's mix of exports (ROWS rows, another seed than the benchmarks'
# so that the build does not learn the very records it is timed on) read
# by fo-ingest, then fo-classify, fo-score, fo-route and fo-age; the
# sample exports of testdata/ingest read in every format fo-ingest
# knows; and fo-match on the sample statements. Each tool writes its
# counts (the .gcda files) when it exits. What the run prints is thrown
# away and its exit statuses are not held against the build: bad rows
# in the samples are meant to be rejected. Seconds, not minutes.
set -u
B=${1:?usage: bench/train.sh BUILD_DIR [ROWS]}
ROWS=${2:-20000}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/fo-train.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

mixgen "$work" "$ROWS" 4242 >"$work/mix.ndjson"
"$B/fo-classify" -q "$work/mix.ndjson" >"$work/cls.ndjson"
"$B/fo-score" -q --as-of "$ASOF" --rates "$RATES" "$work/cls.ndjson" \
    >"$work/sc.ndjson"
"$B/fo-route" -q --as-of "$ASOF" "$work/sc.ndjson" >"$work/rt.ndjson"
for f in table csv html; do
	"$B/fo-age" -q --as-of "$ASOF" -g queue -f "$f" "$work/rt.ndjson" 2>/dev/null \
	    >/dev/null
done

# every sample export, as fo-ingest sniffs it
find "$top/testdata/ingest" -type f ! -name '*.ndjson' ! -name '*.err' \
    ! -name '*.yaml' ! -name '*.md' ! -name 'README*' | sort |
while read -r f; do
	"$B/fo-ingest" -q "$f" >/dev/null 2>&1 </dev/null
done

# reconciliation: the sample statements against their open items
m=$top/testdata/match
for s in "" bp- dec- net- parts- pipe- ret-; do
	[ -f "$m/${s}lines.ndjson" ] && [ -f "$m/${s}items.ndjson" ] || continue
	"$B/fo-match" -q --against "$m/${s}items.ndjson" \
	    "$m/${s}lines.ndjson" 2>/dev/null | "$B/fo-classify" -q >/dev/null
done
exit 0
