#!/bin/sh
# The same input, rules and as-of give the same bytes out (fo.7): the
# whole nightly pipeline, every output a tool writes (records, messages,
# rejects, -o and --split files, every report format), in time zones on
# both sides of UTC and off the hour, other locales and umasks, and with
# every pipe fed a few bytes at a time by tests/tools/chunk and every
# read(2) cut short (tests/tools/shortread.c). make check also runs the
# golden tests a second time so (tests/lib.sh); this test tries more
# environments on one pipeline. The tools run from FO_BIN, whatever
# wrappers lib.sh puts in PATH.
. "$(dirname "$0")/lib.sh"

SRC=$(cd "$(dirname "$0")/.." && pwd)
B=$FO_BIN
AS=2026-11-21
SO=$FO_BIN/shortread.so
[ -f "$SO" ] || SO=

for f in "$TD"/ingest/*/*.csv "$TD"/ingest/*/*.txt; do
	cp "$f" "$tmp/$(basename "$(dirname "$f")")-$(basename "$f")"
done
# a line no stage can read, to have rejects everywhere
printf '{"id":"broken"\n' >"$tmp/broken.ndjson"

# night DIR TZ LC UMASK SEED: the pipeline, every output kept in DIR.
night() {
	_d=$1 _seed=$5
	mkdir -p "$_d/split"
	(
	umask "$4"
	export TZ="$2" LC_ALL="$3"
	if [ "$5" = 0 ]; then
		pipe() { cat; }
		unset LD_PRELOAD
	else
		pipe() { perl "$SRC/tests/tools/chunk" -s "$_seed"; }
		if [ -n "$SO" ]; then
			export LD_PRELOAD="$SO" FO_TEST_CHUNK="$5"
			export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
		fi
	fi
	cd "$tmp" || exit 1
	for f in *.csv *.txt; do
		"$B/fo-ingest" --rejects "$_d/ing-$f.rej" "$f" 2>>"$_d/ing.err"
	done | pipe >"$_d/ing.ndjson"
	cat "$_d/ing.ndjson" broken.ndjson | pipe |
	    "$B/fo-classify" --rejects "$_d/cls.rej" 2>"$_d/cls.err" | pipe |
	    "$B/fo-score" --as-of $AS --rates "$TD/demo-rates.csv" \
		--rejects "$_d/sco.rej" 2>"$_d/sco.err" | pipe |
	    "$B/fo-route" --as-of $AS --split "$_d/split" \
		--rejects "$_d/rou.rej" 2>"$_d/rou.err" |
	    pipe >"$_d/routed.ndjson"
	pipe <"$_d/routed.ndjson" |
	    "$B/fo-age" -a --as-of $AS -o "$_d/aged.ndjson" 2>"$_d/age.err"
	for fmt in ndjson csv table html; do
		"$B/fo-age" -q --as-of $AS -g queue -f $fmt "$_d/routed.ndjson" \
		    >"$_d/report.$fmt"
	done
	"$B/fo-age" -q --as-of $AS -g queue --partial "$_d/routed.ndjson" |
	    pipe | "$B/fo-age" -q --as-of $AS --merge -f csv >"$_d/merged.csv"
	)
}

night "$tmp/base" UTC C 022 0
n=$(cat "$tmp/base/ing.ndjson" | wc -l)
check "the pipeline has records to work on ($n)" [ "$n" -gt 80 ]
check "and rejects at every stage" [ -s "$tmp/base/cls.rej" ] &&
    [ -s "$tmp/base/sco.rej" ] && [ -s "$tmp/base/rou.rej" ]

i=0
tz_kiri='<+14>-14'
[ -f /usr/share/zoneinfo/Pacific/Kiritimati ] && tz_kiri=Pacific/Kiritimati
for env in "<-12>12 C.UTF-8 077 2" "<+0545>-5:45 POSIX 002 3" \
    "$tz_kiri C.UTF-8 027 4" "America/St_Johns C 077 5"; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	night "$tmp/v$i" $env
	# split is a link to a set of a random name (fo-route(1)): by it
	(cd "$tmp/base" && find -L . -type f ! -path './.split.*' | sort) \
	    >"$tmp/files.base"
	(cd "$tmp/v$i" && find -L . -type f ! -path './.split.*' | sort) \
	    >"$tmp/files.v$i"
	check_same "TZ LC_ALL umask seed = $env: the same files" \
	    "$tmp/files.base" "$tmp/files.v$i"
	bad=
	while read -r f; do
		cmp -s "$tmp/base/$f" "$tmp/v$i/$f" || bad="$bad $f"
	done <"$tmp/files.base"
	check_eq "TZ LC_ALL umask seed = $env: the same bytes in every file" \
	    "" "$bad"
	[ -n "$bad" ] && for f in $bad; do
		diff -u "$tmp/base/$f" "$tmp/v$i/$f" | head -10 | sed 's/^/# /'
	done
done

done_testing
