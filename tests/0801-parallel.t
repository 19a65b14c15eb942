#!/bin/sh
# Scale-out (design 7, fo(7) Scale-out): the recipe of fo(7) with GNU
# parallel. fo-classify split by vendor, fo-score and fo-route split
# anyhow, and fo-age --partial per job then --merge, give the same
# records (sorted) and the same report as one process over the whole;
# and Hadoop Streaming's shuffle, emulated, for fo-classify as a reducer.
. "$(dirname "$0")/lib.sh"

# (moreutils has a parallel(1) too, with other options.)
if ! parallel --will-cite --version 2>/dev/null | grep -q 'GNU parallel'; then
	echo "1..0 # SKIP GNU parallel is not installed (make deps)"
	exit 0
fi

AS_OF=2026-11-21
J=4
tab=$(printf '\t')
# Blocks of 50 kB: some 600 kB of records make a dozen jobs or more.
par() { parallel --will-cite --pipe -j $J --block 50k "$@"; }
jobs() { echo $(($(wc -l <"$1") - 1)); }

# 3000 canonical invoices of 50 vendors (i and i-350 share a vendor):
# numbers reused in another spelling or with another amount, every 17th
# an exact double of an earlier one, and vendor V07 spelt " V07" too.
awk '
function num(k) { return sprintf("INV-%05d", int(k / 50) - (k % 11 == 0) * 3) }
function cents(k) { return (k * 7919) % 500000 + 100 }
BEGIN {
	for (i = 1; i <= 3000; i++) {
		v = (i * 7) % 50
		vend = sprintf("V%02d", v)
		if (v == 7 && i % 2) vend = " V07"
		no = num(i); c = cents(i)
		if (i % 13 == 0) no = sprintf("inv %d", int(i / 50))
		if (i % 17 == 0 && i > 350) { no = num(i - 350); c = cents(i - 350) }
		d = 1 + (i * 37) % 300
		m = 1; while (d > 28) { d -= 28; m++ }
		printf "{\"id\":\"syn:%05d\",\"source\":\"syn\",\"doc_type\":\"invoice\",\"vendor_id\":\"%s\",\"doc_number\":\"%s\",\"doc_date\":\"2026-%02d-%02d\",\"due_date\":\"2026-%02d-%02d\",\"currency\":\"%s\",\"amount\":%d.%02d,\"status\":\"%s\"}\n", \
		    i, vend, no, m, d, m % 12 + 1, d, v % 3 ? "EUR" : "USD", \
		    c / 100, c % 100, i % 3 ? "ap_hold" : "open"
	}
}' >"$tmp/in"
n=$(wc -l <"$tmp/in" | tr -d ' ')
check_eq "3000 records to work on" 3000 "$n"

# One process: the reference.
fo-classify -q "$tmp/in" >"$tmp/c1"
fo-score -q --as-of $AS_OF --rates "$TD/demo-rates.csv" "$tmp/c1" >"$tmp/s1"
fo-route -q --as-of $AS_OF "$tmp/s1" >"$tmp/r1"
fo-age -q --as-of $AS_OF -g queue "$tmp/r1" >"$tmp/a1"
fo-age -q --as-of $AS_OF -g queue -f table "$tmp/r1" >"$tmp/t1"
dups=$(jq -r 'select(.duplicate_of != null) | .id' "$tmp/c1" | wc -l | tr -d ' ')
check "duplicates to find ($dups)" [ "$dups" -gt 100 ]

# fo-classify partitioned by vendor: the key (without white space: the
# index trims it) before each line, a stable sort on it, so that one
# vendor's records keep their order, and --group-by on it, so that they
# reach one job; cut drops the key.
jq -r '.vendor_id // "" | tostring | gsub("\\s"; "")' "$tmp/in" |
    paste - "$tmp/in" | LC_ALL=C sort -s -t "$tab" -k1,1 |
    par --joblog "$tmp/log" --group-by 1 --colsep '\t' \
    'cut -f2- | fo-classify -q' >"$tmp/c2"
check "fo-classify ran as several jobs ($(jobs "$tmp/log"))" \
    [ "$(jobs "$tmp/log")" -gt $J ]
sort "$tmp/c1" >"$tmp/want"; sort "$tmp/c2" >"$tmp/got"
check_same "fo-classify by vendor: the same records, sorted" "$tmp/want" "$tmp/got"

# Without the partition a job misses the earlier invoices of its vendor.
par fo-classify -q <"$tmp/in" | sort >"$tmp/naive"
check "a split that ignores the vendor does not (the test has teeth)" \
    sh -c "! cmp -s '$tmp/want' '$tmp/naive'"

# fo-score and fo-route: stateless per record, any split.
par --joblog "$tmp/log" fo-score -q --as-of $AS_OF \
    --rates "$TD/demo-rates.csv" <"$tmp/c2" >"$tmp/s2"
sort "$tmp/s1" >"$tmp/want"; sort "$tmp/s2" >"$tmp/got"
check_same "fo-score: the same records, sorted ($(jobs "$tmp/log") jobs)" \
    "$tmp/want" "$tmp/got"
par fo-route -q --as-of $AS_OF <"$tmp/s2" >"$tmp/r2"
sort "$tmp/r1" >"$tmp/want"; sort "$tmp/r2" >"$tmp/got"
check_same "fo-route: the same records, sorted" "$tmp/want" "$tmp/got"

# fo-age: a partial per job, merged.
par fo-age -q --as-of $AS_OF -g queue --partial <"$tmp/r2" >"$tmp/partials"
np=$(grep -c '^{"partial":' "$tmp/partials")
check "fo-age --partial ran as several jobs ($np)" [ "$np" -gt 1 ]
fo-age -q --merge "$tmp/partials" >"$tmp/a2"
check_same "fo-age --merge: the same report (ndjson)" "$tmp/a1" "$tmp/a2"
fo-age -q --merge -f table "$tmp/partials" >"$tmp/t2"
check_same "fo-age --merge: the same report (table)" "$tmp/t1" "$tmp/t2"

# Hadoop Streaming's contract, emulated (fo(7) gives the job; there is no
# cluster here): the map is cat; the shuffle loses the input order, sends
# each vendor (key field 1) to one of R reducers by a hash, and sorts
# each reducer's lines as -k1,1 -k2,2n; the reducer is the documented
# command; TextOutputFormat ends each line, all key, with a tab, which
# the documented sed takes off. fo-score as a map-only job, on lines
# carrying that tab, keeps it as white space after the record.
jq -r '.vendor_id // "" | tostring | gsub("\\s"; "")' "$tmp/in" |
    awk '{ print $0 "\t" NR }' | paste - "$tmp/in" >"$tmp/keyed.tsv"
R=3
awk -F '\t' -v R=$R -v dir="$tmp" '
BEGIN { for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i }
{	h = 0
	for (i = 1; i <= length($1); i++)
		h = (h * 31 + ord[substr($1, i, 1)]) % 1000003
	print > (dir "/red" (h % R))
}' "$tmp/keyed.tsv"
# reduce SORT-KEYS: every reducer, its lines sorted so, into $tmp/c3
reduce() {
	: >"$tmp/c3"
	for i in $(seq 0 $((R - 1))); do
		[ -f "$tmp/red$i" ] || continue
		# the lines reach a reducer in another order than they were read
		awk '{ print (NR * 7919) % 3001 "\t" $0 }' "$tmp/red$i" |
		    LC_ALL=C sort -t "$tab" -k1,1n | cut -f2- |
		    LC_ALL=C sort -s -t "$tab" "$@" |
		    cut -f3- | fo-classify -q | sed 's/$/\t/' >>"$tmp/c3"
	done
	sed 's/\t$//' "$tmp/c3" | sort >"$tmp/got"
}
check "the emulated shuffle used every reducer" \
    [ "$(ls "$tmp"/red* | wc -l)" -eq $R ]
sort "$tmp/c1" >"$tmp/want"
reduce -k1,1 -k2,2n
check_same "Hadoop Streaming, emulated: fo-classify as the reducer, the same records" \
    "$tmp/want" "$tmp/got"
reduce -k1,1
check "sorted on the vendor alone, the reducers do not (the test has teeth)" \
    sh -c "! cmp -s '$tmp/want' '$tmp/got'"
sed 's/$/\t/' "$tmp/c1" | fo-score -q --as-of $AS_OF \
    --rates "$TD/demo-rates.csv" | sed 's/\t$//' >"$tmp/s3"
check_same "fo-score on lines ending in Hadoop's tab: the same records" \
    "$tmp/s1" "$tmp/s3"

done_testing
