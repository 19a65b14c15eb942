#!/bin/sh
# Every limit of every tool, at the limit (accepted, exact output) and
# one past it (refused with the documented message, position and exit
# status): CSV field and row (fo-ingest), NDJSON line and JSON depth
# (the four stages), YAML depth and size of rules files and profiles
# (all five), aging buckets (fo-age). A 100,000-deep YAML file is
# refused at once, never parsed to the end.
. "$(dirname "$0")/lib.sh"

AS="--as-of 2026-11-21"
STAGES="fo-classify fo-score fo-route fo-age"

# stage TOOL: the tool as the tests run it (fo-age annotates).
stage() {
	case $1 in
	fo-classify) echo "fo-classify -q" ;;
	fo-age) echo "fo-age -q -a $AS" ;;
	fo-ingest) echo "fo-ingest -q" ;;
	*) echo "$1 -q $AS" ;;
	esac
}

# squeeze: long runs of x as <N>, so a golden of megabytes reads short.
squeeze() {
	perl -pe 's/x{64,}/"<" . length($&) . ">"/ge' "$@"
}

# pad_to FILE SIZE: comment lines appended until FILE is SIZE bytes.
pad_to() {
	perl -e '($f, $n) = @ARGV; $k = $n - -s $f; die "too big\n" if $k < 0;
	    open F, ">>", $f or die; while ($k > 0) {
		if ($k >= 1001) { print F "#", "x" x 999, "\n"; $k -= 1001 }
		elsif ($k >= 2) { print F "#", "x" x ($k - 2), "\n"; $k = 0 }
		else { print F "\n"; $k = 0 } }' "$1" "$2"
}

# --- CSV field: 1 MiB by default, --max-field N ---------------------------
printf 'invoice,vendor,amount,currency\n' >"$tmp/f.csv"
perl -e 'print "INV1,V", "x" x (1048576 - 1), ",10.00,EUR\n";
    print "INV2,V", "x" x 1048576, ",10.00,EUR\n";
    print "INV3,V3,1.00,EUR\n"' >>"$tmp/f.csv"
cd "$tmp" || exit 1
run fo-ingest -q -p generic --rejects rej f.csv
cd - >/dev/null || exit 1
check_eq "field of 1048576 bytes kept, 1048577 rejected: exit 1" 1 "$rc"
check_eq "field: the record at the limit is whole" \
    '{"id":"generic:9a775a9837281db7","source":"generic","source_file":"f.csv","source_line":2,"listing":"exceptions","vendor_id":"V<1048575>","doc_number":"INV1","currency":"EUR","amount":10.00}|{"id":"generic:4a004312cd2ed1ec","source":"generic","source_file":"f.csv","source_line":4,"listing":"exceptions","vendor_id":"V3","doc_number":"INV3","currency":"EUR","amount":1.00}' \
    "$(squeeze "$tmp/out" | paste -sd'|')"
check_eq "field past the limit: message, line and the column it starts at" \
    "fo-ingest: f.csv:3:6: field 2 longer than 1048576 bytes" "$(cat "$tmp/err")"
check_eq "field past the limit: the reject keeps the row" \
    '{"file":"f.csv","line":3,"col":6,"error":"field 2 longer than 1048576 bytes","raw":"INV2,V<1048576>,10.00,EUR"}' \
    "$(squeeze "$tmp/rej")"

# a quoted field counts its bytes as read, quotes and doubling undone
printf 'invoice,vendor,amount,currency\n"I1","abcdefgh""ijklmn""",1.00,EUR\n"I2","abcdefgh""ijklmn""x",1.00,EUR\n' >"$tmp/q.csv"
run fo-ingest -q -p generic --max-field 16 "$tmp/q.csv"
check_eq "--max-field 16: 16 kept, 17 rejected" \
    "1 abcdefgh\"ijklmn\" fo-ingest: $tmp/q.csv:3:7: field 2 longer than 16 bytes" \
    "$rc $(jq -r .vendor_id "$tmp/out") $(cat "$tmp/err")"
run fo-ingest -q -p generic --max-field 15 "$tmp/q.csv"
check_eq "--max-field 15: below the smallest" \
    "2 fo-ingest: --max-field 15: bytes, 16 to 2^30" \
    "$rc $(cat "$tmp/err")"
run fo-ingest -q -p generic --max-field 1073741825 "$tmp/q.csv"
check_eq "--max-field past 1 GiB refused" "2" "$rc"

# --- CSV row: 4 MiB by default, --max-record N -----------------------------
# five fields of under 1 MiB each: the row's text is exactly the limit
printf 'invoice,vendor,amount,currency,n1,n2,n3,n4,n5\n' >"$tmp/r.csv"
perl -e '$fix = "R1,V1,1.00,EUR,"; $rest = 4194304 - length($fix) - 4;
    $a = int($rest / 5); @f = ($a) x 4; push @f, $rest - 4 * $a;
    print $fix, join(",", map { "x" x $_ } @f), "\r\n";
    print $fix, join(",", map { "x" x $_ } @f), "y\r\n";
    print "R3,V3,2.00,EUR,,,,,\n"' >>"$tmp/r.csv"
cd "$tmp" || exit 1
run fo-ingest -q -p generic --rejects rej r.csv
cd - >/dev/null || exit 1
check_eq "row of 4194304 bytes (and CRLF) kept, 4194305 rejected: exit 1" \
    1 "$rc"
check_eq "row: the record at the limit is whole" \
    '{"id":"generic:d724aedf7414c153","source":"generic","source_file":"r.csv","source_line":2,"listing":"exceptions","vendor_id":"V1","doc_number":"R1","currency":"EUR","amount":1.00,"extra":{"n1":"<838857>","n2":"<838857>","n3":"<838857>","n4":"<838857>","n5":"<838857>"}}|{"id":"generic:027cd9de26155f8a","source":"generic","source_file":"r.csv","source_line":4,"listing":"exceptions","vendor_id":"V3","doc_number":"R3","currency":"EUR","amount":2.00,"extra":{"n1":"","n2":"","n3":"","n4":"","n5":""}}' \
    "$(squeeze "$tmp/out" | paste -sd'|')"
check_eq "row past the limit: message and line" \
    "fo-ingest: r.csv:3: row longer than 4194304 bytes (a quote not closed?)" \
    "$(cat "$tmp/err")"
check_eq "row past the limit: the reject" \
    '3 0 row longer than 4194304 bytes (a quote not closed?)' \
    "$(jq -r '"\(.line) \(.col) \(.error)"' "$tmp/rej")"
# a runaway quote takes 16 bytes and the rest of the line they end in
printf 'a,b\n1234567890,1234\n1234567890,12345\n"ab,1\ncdefghijklmnop\n5,6\n1234567890,123456\n' >"$tmp/s.csv"
run fo-ingest -q -p generic --max-record 16 --rejects "$tmp/rej" "$tmp/s.csv"
check_eq "--max-record 16: rows of 15 and 16 kept, a runaway quote and 17 not" \
    "1|fo-ingest: $tmp/s.csv:4: row longer than 16 bytes (a quote not closed?)|fo-ingest: $tmp/s.csv:7: row longer than 16 bytes (a quote not closed?)" \
    "$rc|$(paste -sd'|' "$tmp/err")"
check_eq "--max-record 16: reading goes on after a runaway quote" \
    "1234 12345 6" "$(jq -r .extra.b "$tmp/out" | paste -sd' ' -)"
check_eq "--max-record 16: the reject holds at most 16 bytes" \
    '"\"ab,1\ncdefghijkl"|"1234567890,12345"' \
    "$(jq -c .raw "$tmp/rej" | paste -sd'|' -)"

# --- NDJSON line: 16 MiB, through each stage -------------------------------
# The same record with a short pad gives the output the long one must;
# the line past the limit is rejected, and the line after it read.
p='{"id":"big","exception":"other","sensitivity":"low","confidence":0.3,"doc_date":"2026-11-01","pad":"'
n=$((16777216 - ${#p} - 2))
P=$p N=$n perl -e 'print $ENV{P}, "x" x $ENV{N}, "\"}\n",
    $ENV{P}, "x" x ($ENV{N} + 1), "\"}\n", $ENV{P}, "x" x 70, "\"}\n"' \
    >"$tmp/big.ndjson"
P=$p perl -e 'print $ENV{P}, "x" x 70, "\"}\n"' >"$tmp/small.ndjson"
for t in $STAGES; do
	# shellcheck disable=SC2046
	$(stage $t) "$tmp/small.ndjson" | squeeze >"$tmp/want1"
	sed "s/<70>/<$n>/" "$tmp/want1" >"$tmp/want"
	cat "$tmp/want1" >>"$tmp/want"
	rc=0
	# shellcheck disable=SC2046
	$(stage $t) --rejects "$tmp/rej" "$tmp/big.ndjson" >"$tmp/out" \
	    2>"$tmp/err" || rc=$?
	squeeze "$tmp/out" >"$tmp/got"
	check_same "$t: a line of 16777216 bytes, whole" "$tmp/want" "$tmp/got"
	check_eq "$t: a line of 16777217 bytes: message, line, exit 1" \
	    "1 $t: $tmp/big.ndjson:2: line longer than 16777216 bytes" \
	    "$rc $(cat "$tmp/err")"
	check_eq "$t: its reject" \
	    "{\"file\":\"$tmp/big.ndjson\",\"line\":2,\"col\":0,\"error\":\"line longer than 16777216 bytes\",\"raw\":\"\"}" \
	    "$(cat "$tmp/rej")"
done
# the other NDJSON inputs: history, last night's records, the vendor master
sed -n 2p "$tmp/big.ndjson" >"$tmp/over.ndjson"
echo '{"id":"ok","vendor_id":"V1"}' >>"$tmp/over.ndjson"
rm -f "$tmp/big.ndjson"
run fo-classify -q --history "$tmp/over.ndjson" "$tmp/small.ndjson"
check_eq "fo-classify --history: a line past the limit, exit 1" \
    "1 1 fo-classify: $tmp/over.ndjson:1: line longer than 16777216 bytes" \
    "$rc $(wc -l <"$tmp/out") $(cat "$tmp/err")"
run fo-age -q $AS --prev "$tmp/over.ndjson" "$tmp/small.ndjson"
check_eq "fo-age --prev: a line past the limit, exit 2, nothing read" \
    "2 0 fo-age: $tmp/over.ndjson:1: line longer than 16777216 bytes" \
    "$rc $(wc -l <"$tmp/out") $(cat "$tmp/err")"
run fo-score -q $AS --vendors "$tmp/over.ndjson" "$tmp/small.ndjson"
check_eq "fo-score --vendors: a line past the limit, exit 2, nothing read" \
    "2 0 fo-score: $tmp/over.ndjson:1: line longer than 16777216 bytes" \
    "$rc $(wc -l <"$tmp/out") $(head -n 1 "$tmp/err")"
rm -f "$tmp/over.ndjson"

# --- JSON depth: 64, the record's own object counting as 1 -----------------
perl -e 'print "{\"id\":\"a\",\"x\":", "[" x 63, "1", "]" x 63, "}\n";
    print "{\"id\":\"b\",\"x\":", "[" x 64, "1", "]" x 64, "}\n";
    print "{\"id\":\"c\",\"x\":", "{\"a\":" x 64, "1", "}" x 64, "}\n"' \
    >"$tmp/deep.ndjson"
for t in $STAGES; do
	# shellcheck disable=SC2046
	run $(stage $t) "$tmp/deep.ndjson"
	check_eq "$t: depth 64 kept, 65 rejected with the column" \
	    "1 a|$t: $tmp/deep.ndjson:2:78: nesting deeper than 64|$t: $tmp/deep.ndjson:3:330: nesting deeper than 64" \
	    "$rc $(jq -r .id "$tmp/out")|$(paste -sd'|' "$tmp/err")"
	check_eq "$t: the record at depth 64 as read" \
	    "$(head -n 1 "$tmp/deep.ndjson")" \
	    "$(jq -c 'del(.exception, .exceptions, .domain, .sensitivity, .confidence, .reasons)' "$tmp/out")"
done

# --- YAML depth: 32 levels; a 100,000-deep file refused at once ------------
# At 32 the file parses (the error is about what it says, not its depth);
# at 33 the depth is refused where it begins.
perl -e 'print "zz: ", "[" x 31, "]" x 31, "\n"' >"$tmp/y32.yaml"
perl -e 'print "zz: ", "[" x 32, "]" x 32, "\n"' >"$tmp/y33.yaml"
perl -e 'print "[" x 100000, "]" x 100000, "\n"' >"$tmp/flow.yaml"
perl -e 'print "- " x 100000, "x\n"' >"$tmp/block.yaml"
perl -e 'print "{a: " x 100000, "x", "}" x 100000, "\n"' >"$tmp/map.yaml"
for t in fo-classify fo-score fo-route fo-age fo-match fo-ingest; do
	opt=-r
	[ $t = fo-ingest ] && opt=-p
	run $t $opt "$tmp/y32.yaml" /dev/null
	check_eq "$t: YAML depth 32 parses" \
	    "2 $t: $tmp/y32.yaml:1:1: unknown key 'zz'" \
	    "$rc $(head -n 1 "$tmp/err" | sed 's/ in [a-z ]*$//')"
	run $t $opt "$tmp/y33.yaml" /dev/null
	check_eq "$t: YAML depth 33 refused: exit 2, position" \
	    "2 $t: $tmp/y33.yaml:1:36: nesting deeper than 32" \
	    "$rc $(cat "$tmp/err")"
	for f in flow:1:33 block:1:65 map:1:129; do
		rc=0
		timeout 5 $t $opt "$tmp/${f%%:*}.yaml" /dev/null >"$tmp/out" \
		    2>"$tmp/err" || rc=$?
		check_eq "$t: 100,000 levels (${f%%:*}) refused at once" \
		    "2 $t: $tmp/${f%%:*}.yaml:${f#*:}: nesting deeper than 32" \
		    "$rc $(cat "$tmp/err")"
	done
done

rc=0
timeout 5 fo-score -q $AS --rates "$tmp/map.yaml" /dev/null >"$tmp/out" \
    2>"$tmp/err" || rc=$?
check_eq "fo-score --rates: a rates file 100,000 levels deep refused at once" \
    "2 fo-score: $tmp/map.yaml:1:129: nesting deeper than 32" \
    "$rc $(cat "$tmp/err")"

# --- size of rules files and profiles: 4 MiB -------------------------------
mkdir "$tmp/ingest"
printf 'invoice,vendor,amount,currency\nI1,V1,1.00,EUR\n' >"$tmp/one.csv"
fo-ingest -q -p generic "$tmp/one.csv" | fo-classify -q >"$tmp/one.ndjson"
for t in fo-classify fo-score fo-route fo-age fo-ingest; do
	case $t in
	fo-ingest) f=ingest/generic.yaml opt=-p in=one.csv ;;
	fo-classify) f=classify.yaml opt=-r in=one.ndjson ;;
	fo-score) f=score.yaml opt=-r in=one.ndjson ;;
	fo-route) f=route.yaml opt=-r in=one.ndjson ;;
	fo-age) f=age.yaml opt=-r in=one.ndjson ;;
	esac
	cp "$FO_RULES/$f" "$tmp/$f"
	pad_to "$tmp/$f" 4194304
	# shellcheck disable=SC2046
	$(stage $t) "$tmp/$in" >"$tmp/want" 2>&1
	# shellcheck disable=SC2046
	run $(stage $t) $opt "$tmp/$f" "$tmp/$in"
	check_eq "$t: a rules file of 4194304 bytes loads" \
	    "0 $(cat "$tmp/want")" "$rc $(cat "$tmp/out")"
	echo >>"$tmp/$f"
	# shellcheck disable=SC2046
	run $(stage $t) $opt "$tmp/$f" "$tmp/$in"
	check_eq "$t: 4194305 bytes refused, nothing read" \
	    "2 $t: $tmp/$f: file larger than 4194304 bytes|" \
	    "$rc $(cat "$tmp/err")|$(cat "$tmp/out")"
	# through a pipe, where the size is not known before reading
	# shellcheck disable=SC2046
	rc=0
	# shellcheck disable=SC2046
	cat "$tmp/$f" | $(stage $t) $opt /dev/stdin "$tmp/$in" \
	    >"$tmp/out" 2>"$tmp/err" || rc=$?
	check_eq "$t: 4194305 bytes through a pipe refused" \
	    "2 $t: /dev/stdin: file larger than 4194304 bytes" \
	    "$rc $(cat "$tmp/err")"
	rm -f "$tmp/$f"
done

# --- messages: 100 errors a rules file, 50 rejects a run on stderr ---------
for n in 100 101; do
	{ echo "a: 1"; i=0; while [ $i -lt $n ]; do echo "a: 1"; i=$((i + 1)); done; } \
	    >"$tmp/e$n.yaml"
done
awk 'BEGIN { for (i = 0; i < 51; i++) print "not a record" }' >"$tmp/r51.ndjson"
head -n 50 "$tmp/r51.ndjson" >"$tmp/r50.ndjson"
printf 'a,b\n' >"$tmp/r51.csv"
awk 'BEGIN { for (i = 0; i < 51; i++) print "x,y,z" }' >>"$tmp/r51.csv"
head -n 51 "$tmp/r51.csv" >"$tmp/r50.csv"
for t in fo-classify fo-score fo-route fo-age fo-ingest; do
	opt=-r
	[ $t = fo-ingest ] && opt=-p
	run $t $opt "$tmp/e100.yaml" /dev/null
	check_eq "$t: 100 errors in a rules file, each reported" \
	    "2 100 $t: $tmp/e100.yaml:101:1: duplicate key 'a'" \
	    "$rc $(wc -l <"$tmp/err") $(tail -n 1 "$tmp/err")"
	run $t $opt "$tmp/e101.yaml" /dev/null
	check_eq "$t: 101: the first 100, then it gives up" \
	    "2 101 $t: $tmp/e101.yaml:102:1: too many errors, giving up" \
	    "$rc $(wc -l <"$tmp/err") $(tail -n 1 "$tmp/err")"
	in=ndjson
	[ $t = fo-ingest ] && in=csv
	# shellcheck disable=SC2046
	run $(stage $t) "$tmp/r50.$in"
	check_eq "$t: 50 rejects, each on stderr" "1 50" \
	    "$rc $(grep -c "^$t: $tmp/r50[.a-z]*:[0-9]" "$tmp/err")"
	# shellcheck disable=SC2046
	run $(stage $t) --rejects "$tmp/rej" "$tmp/r51.$in"
	check_eq "$t: 51 rejects: 50 shown, then said, all in the reject file" \
	    "1 50 $t: more rejects: counted below, not shown (all are in the reject file) 51" \
	    "$rc $(grep -c "^$t: $tmp/r51[.a-z]*:[0-9]" "$tmp/err") $(grep 'more rejects' "$tmp/err") $(wc -l <"$tmp/rej")"
done
# past the 50 shown, a file whose every row is rejected still says so
check_eq "fo-ingest: 51 rejects, all of the file: said after them" \
    "fo-ingest: $tmp/r51.csv: 0 of 51 rows read: check the profile (-p) or --explain" \
    "$(grep 'rows read' "$tmp/err")"

# --- record ids: a duplicate names the whole id of the first -------------
for n in 255 256 300; do
	P=$n perl -e '$a = "A" x $ENV{P}; for $id ($a, "B") {
	    print "{\"id\":\"$id\",\"vendor_id\":\"V1\",\"doc_number\":\"INV-1\",\"currency\":\"EUR\",\"amount\":10.00,\"doc_date\":\"2026-11-01\",\"doc_type\":\"invoice\"}\n" }' \
	    >"$tmp/dup.ndjson"
	run fo-classify -q "$tmp/dup.ndjson"
	check_eq "fo-classify: duplicate_of holds an id of $n bytes whole" \
	    "$n" "$(jq -r 'select(.id == "B") | .duplicate_of | length' "$tmp/out")"
done

# --- aging buckets: 16 bounds ----------------------------------------------
b16=$(seq -s, 0 10 150) b17=$(seq -s, 0 10 160)
run fo-age -q $AS --buckets "$b16" -f csv "$tmp/one.ndjson"
check_eq "fo-age: 16 bucket bounds, 17 buckets" \
    "0 current 1-10 141-150 150+ undated total" \
    "$rc $(sed -n '2p;3p;17p;18p;19p;20p' "$tmp/out" | cut -d, -f1 | paste -sd' ' -)"
run fo-age -q $AS --buckets "$b17" "$tmp/one.ndjson"
check_eq "fo-age: 17 bounds refused" \
    "2 fo-age: --buckets '$b17': 1 to 16 ascending whole days (at most 36500), e.g. 0,30,60,90" \
    "$rc $(cat "$tmp/err")"
printf 'basis: hold\nbuckets: [%s]\n' "$b16" >"$tmp/age16.yaml"
run fo-age -q $AS -r "$tmp/age16.yaml" -f csv "$tmp/one.ndjson"
check_eq "fo-age: 16 bounds in the rules" "0 20" "$rc $(wc -l <"$tmp/out")"
printf 'basis: hold\nbuckets: [%s]\n' "$b17" >"$tmp/age17.yaml"
run fo-age -q $AS -r "$tmp/age17.yaml" "$tmp/one.ndjson"
check_eq "fo-age: 17 bounds in the rules refused, with the position" \
    "2 fo-age: $tmp/age17.yaml:2:10: buckets: a list of 1 to 16 ascending whole days (at most 36500), e.g. [0, 30, 60, 90]" \
    "$rc $(cat "$tmp/err")"
run fo-age -q $AS --buckets 0,36500 "$tmp/one.ndjson"
check_eq "fo-age: a bound of 36500 days" 0 "$rc"
run fo-age -q $AS --buckets 0,36501 "$tmp/one.ndjson"
check_eq "fo-age: a bound of 36501 days refused" 2 "$rc"

# A key with a NUL in it (a double-quoted YAML escape) that begins with a
# known key: an unknown key, and no read past the known key's end (the
# names' lookup stopped at the NUL both hold; check-asan saw it).
printf '"rules\\0abc": []\nrules: []\n' >"$tmp/nul.yaml"
run fo-classify -r "$tmp/nul.yaml" /dev/null
check_eq "fo-classify: a key holding a NUL is an unknown key" \
    "2 fo-classify: $tmp/nul.yaml:1:1: unknown key 'rules?abc' in rules file" \
    "$rc $(head -n 1 "$tmp/err")"

done_testing
