#!/bin/sh
# Every exit status fo-ingest documents, and the faults behind them:
# usage and profile errors (2, nothing read), rejects (1), system errors
# (3): missing files, full disks, unwritable reject files, closed pipes.
. "$(dirname "$0")/lib.sh"

G=$TD/generic
P=$TD/profiles

run fo-ingest -q "$G/bom-crlf.csv"
check_eq "clean input: exit 0" 0 "$rc"
run fo-ingest -q -e utf-8 "$G/bad.csv"
check_eq "rejected rows: exit 1" 1 "$rc"
check_eq "rejected rows: good ones still written" 2 "$(wc -l <"$tmp/out")"

# 2: usage, nothing read
for args in "--frobnicate" "--numbers 1.23" "--dates YYYY/MM/DD" "-d x" \
    "--max-field 3" "-p no-such-profile"; do
	# shellcheck disable=SC2086
	run fo-ingest $args "$G/bom-crlf.csv"
	check_eq "usage error ($args): exit 2" 2 "$rc"
	check_eq "usage error ($args): nothing read" 0 "$(wc -c <"$tmp/out")"
done
run fo-ingest --numbers 1.23 "$G/bom-crlf.csv"
check_eq "bad --numbers says why" \
    "fo-ingest: --numbers 1.23: use 1,234.56, 1.234,56, 1 234,56, 1'234.56, 1234.56 or auto" \
    "$(cat "$tmp/err")"
run fo-ingest -h
check_eq "-h: exit 0" 0 "$rc"
check_eq "-h: usage on stdout" "usage: fo-ingest [-hlqV] [-d delim] [-e encoding] [-o file] [-p profile]" \
    "$(head -n 1 "$tmp/out")"
run fo-ingest -V
check_eq "-V: version" "fo-ingest 0.1.0" "$(cat "$tmp/out")"
run fo-ingest -l
check_eq "-l: lists the generic profile" "generic" \
    "$(awk '$1 == "generic" { print $1 }' "$tmp/out")"

# 2: a broken profile: every mistake, in file order, before any record
cp "$P/broken.yaml" "$tmp/broken.yaml"
run fo-ingest -p "$tmp/broken.yaml" "$G/bom-crlf.csv"
check_eq "broken profile: exit 2" 2 "$rc"
check_eq "broken profile: no record" 0 "$(wc -c <"$tmp/out")"
sed "s#$tmp/#PROFILES/#" "$tmp/err" >"$tmp/err2"
check_same "broken profile: every error with FILE:LINE:COL" "$P/broken.err" \
    "$tmp/err2"
cp "$P/syntax.yaml" "$tmp/syntax.yaml"
run fo-ingest -p "$tmp/syntax.yaml" "$G/bom-crlf.csv"
check_eq "YAML syntax error: exit 2 and position" \
    "2 fo-ingest: $tmp/syntax.yaml:2:1: did not find expected ',' or ']' (while parsing a flow sequence at 1:10)" \
    "$rc $(cat "$tmp/err")"
cp "$P/dup.yaml" "$tmp/dup.yaml"
run fo-ingest -p "$tmp/dup.yaml" "$G/bom-crlf.csv"
check_eq "duplicate keys and aliases refused" \
    "2 fo-ingest: $tmp/dup.yaml:2:1: duplicate key 'profile'|fo-ingest: $tmp/dup.yaml:3:9: anchors and aliases are not allowed|fo-ingest: $tmp/dup.yaml:4:12: anchors and aliases are not allowed" \
    "$rc $(paste -sd'|' "$tmp/err")"
sed 's/^profile: broken/profile: other/' "$P/broken.yaml" | head -n 2 >"$tmp/named.yaml"
run fo-ingest -p "$tmp/named.yaml" "$G/bom-crlf.csv"
check_eq "a profile is named like its file" \
    "2 fo-ingest: $tmp/named.yaml:2:10: profile 'other' must be named like its file" \
    "$rc $(cat "$tmp/err")"
# without -p every installed profile is checked, so one broken file stops it
mkdir -p "$tmp/rules/ingest"
cp "$FO_RULES/ingest/generic.yaml" "$P/syntax.yaml" "$tmp/rules/ingest/"
FO_RULES=$tmp/rules run fo-ingest "$G/bom-crlf.csv"
check_eq "a broken installed profile stops detection: exit 2" 2 "$rc"
FO_RULES=$tmp/nowhere run fo-ingest "$G/bom-crlf.csv"
check_eq "no rules directory: exit 2 and says so" \
    "2 fo-ingest: no profiles: $tmp/nowhere/ingest: No such file or directory (set FO_RULES to the rules directory)" \
    "$rc $(cat "$tmp/err")"

# 3: system errors
run fo-ingest -q "$tmp/no-such.csv"
check_eq "missing input: exit 3" \
    "3 fo-ingest: $tmp/no-such.csv: No such file or directory" \
    "$rc $(cat "$tmp/err")"
run fo-ingest -q "$tmp"
check_eq "a directory as input: exit 3" \
    "3 fo-ingest: $tmp: read: Is a directory" "$rc $(cat "$tmp/err")"
run fo-ingest -q --rejects "$tmp/no/dir/rej" "$G/bom-crlf.csv"
check_eq "reject file cannot be made: exit 3 before reading" \
    "3 0" "$rc $(wc -c <"$tmp/out")"
if [ -w /dev/full ]; then
	rc=0
	fo-ingest -q --numbers 1,234.56 "$G/ap-us.csv" >/dev/full 2>"$tmp/err" || rc=$?
	check_eq "full disk: exit 3 with a message" \
	    "3 fo-ingest: <stdout>: write: No space left on device" \
	    "$rc $(cat "$tmp/err")"
else
	ok "# SKIP no /dev/full"
fi

# -o: the file appears whole or not at all
printf 'old\n' >"$tmp/out.ndjson"
run fo-ingest -q -o "$tmp/out.ndjson" "$G/bom-crlf.csv" "$tmp/no-such.csv"
check_eq "-o with a system error: old file untouched" "3 old" \
    "$rc $(cat "$tmp/out.ndjson")"
check_eq "-o with a system error: no temporary file left" "out.ndjson" \
    "$(cd "$tmp" && ls -a | grep out.ndjson)"
run fo-ingest -q -o "$tmp/out.ndjson" "$G/bom-crlf.csv"
check_eq "-o: written when the run completes" "0 2" \
    "$rc $(wc -l <"$tmp/out.ndjson")"

# -o naming a FIFO (or a device) writes into it, never renames over it
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/from-fifo" &
run fo-ingest -q -o "$tmp/fifo" "$G/bom-crlf.csv"
wait
check_eq "-o to a FIFO: written through, still a FIFO" "0 2 fifo" \
    "$rc $(wc -l <"$tmp/from-fifo" | tr -d ' ') $([ -p "$tmp/fifo" ] && echo fifo)"

# a closed pipe ends the tool quietly: SIGPIPE, no message, no core
awk 'BEGIN { print "Invoice,Vendor,Amount,Currency";
    for (i = 0; i < 200000; i++) printf "I-%d,V%d,%d.00,EUR\n", i, i % 97, i }' \
    >"$tmp/big.csv"
fo-ingest -q "$tmp/big.csv" 2>"$tmp/err" | head -n 1 >"$tmp/first"
check_eq "| head -1: the first record" '"I-0"' \
    "$(jq -c .doc_number "$tmp/first")"
check_eq "| head -1: nothing on stderr" "" "$(cat "$tmp/err")"

done_testing
