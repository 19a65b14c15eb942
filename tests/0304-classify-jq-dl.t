#!/bin/sh
# libjq is opened with dlopen(3) when the first jq program is compiled,
# not linked (lib/rules/jqprog.c, fo-rules(5)): the shipped rules are
# all native, so a run with them never loads it, and a run that needs it
# and cannot load it refuses its rules file with the loader's words
# (exit 2), before reading a record. "Cannot be loaded" is made here by
# an empty file of the soname first in LD_LIBRARY_PATH (tests/0115).
. "$(dirname "$0")/lib.sh"

export FO_RULES="${FO_RULES:-$(cd "$(dirname "$0")/../rules" && pwd)}"
JQ=$(objdump -p "$(${CC:-cc} -print-file-name=libjq.so)" |
    sed -n 's/^ *SONAME *//p')
check_eq "the soname is found" "libjq.so.1" "$JQ"
mkdir "$tmp/nojq" || exit 1
: >"$tmp/nojq/$JQ"

for t in fo-match fo-classify fo-score fo-route; do
	check_eq "$t does not link libjq" "" \
	    "$(objdump -p "$FO_BIN/$t" | awk '$1 == "NEEDED" { print $2 }' |
		grep libjq)"
done

printf '%s\n' \
    '{"id":"i1","doc_type":"invoice","doc_number":"A-1","vendor_id":"V1","amount":120.00,"currency":"EUR","doc_date":"2026-11-02","due_date":"2026-10-01"}' \
    '{"id":"i2","doc_type":"invoice","doc_number":"A-2","vendor_id":"V1","amount":80.00,"currency":"EUR","hold_codes":["PRICE"]}' \
    >"$tmp/in"

# the shipped rules: the same bytes with libjq and without it
fo-classify "$tmp/in" >"$tmp/want" 2>"$tmp/wanterr"
LD_LIBRARY_PATH=$tmp/nojq run fo-classify "$tmp/in"
check_eq "classify without libjq: exit 0" 0 "$rc"
check_same "classify without libjq: records" "$tmp/want" "$tmp/out"
check_same "classify without libjq: messages" "$tmp/wanterr" "$tmp/err"
check_eq "classify without libjq: the dates rule found it" \
    "due_before_invoice_date" \
    "$(head -n 1 "$tmp/out" | grep -o 'due_before_invoice_date' | head -n 1)"
fo-score --as-of 2026-11-21 "$tmp/want" >"$tmp/scwant" 2>/dev/null
LD_LIBRARY_PATH=$tmp/nojq run fo-score --as-of 2026-11-21 "$tmp/want"
check_eq "score without libjq: exit 0, the same bytes" "0|" \
    "$rc|$(cmp "$tmp/scwant" "$tmp/out")"
LD_LIBRARY_PATH=$tmp/nojq run fo-route --as-of 2026-11-21 "$tmp/scwant"
check_eq "route without libjq: exit 0, 2 records" "0|2" \
    "$rc|$(wc -l <"$tmp/out" | tr -d ' ')"

# rules that need libjq: refused, nothing read
LD_LIBRARY_PATH=$tmp/nojq run fo-classify --no-native "$tmp/in"
check_eq "classify --no-native without libjq: exit 2, the loader's words" \
    "2|fo-classify: $FO_RULES/classify.yaml: $JQ cannot be loaded, and is needed to read the expressions libjq runs: $tmp/nojq/$JQ: file too short" \
    "$rc|$(paste -sd'|' "$tmp/err")"
check_same "classify --no-native without libjq: no records" /dev/null \
    "$tmp/out"
LD_LIBRARY_PATH=$tmp/nojq run fo-route --no-native --as-of 2026-11-21 \
    "$tmp/scwant"
check_eq "route --no-native without libjq: exit 2, the loader's words" \
    "2|fo-route: $FO_RULES/route.yaml: $JQ cannot be loaded, and is needed to read the expressions libjq runs: $tmp/nojq/$JQ: file too short" \
    "$rc|$(paste -sd'|' "$tmp/err")"
# with libjq, --no-native gives the native bytes (tests/0302 at length)
run fo-classify --no-native "$tmp/in"
check_eq "classify --no-native with libjq: exit 0, the same bytes" "0|" \
    "$rc|$(cmp "$tmp/want" "$tmp/out")"

done_testing
