#!/bin/sh
# The native evaluator against libjq, through the tools: every fixture
# classified and routed both ways gives the same bytes, the shipped
# policies run wholly native, and --explain-rules says which path each
# expression takes.
. "$(dirname "$0")/lib.sh"

AS_OF=2026-11-21
# every record the fixtures make, raw and classified
for f in "$TD"/ingest/*/*.csv "$TD"/ingest/*/*.txt; do
	fo-ingest -q "$f" 2>/dev/null
done >"$tmp/in"
cat "$TD/classify/records.ndjson" "$TD/classify-engine/recs.ndjson" \
    "$TD/route/recs.ndjson" >>"$tmp/in" 2>/dev/null
# lines the tools reject must be rejected alike: keep them in
n=$(wc -l <"$tmp/in" | tr -d ' ')

both() {	# NAME TOOL ARGS...: native and --no-native, same bytes
	_name=$1
	shift
	"$@" --rejects "$tmp/rej1" "$tmp/in" >"$tmp/o1" 2>"$tmp/e1"
	_rc1=$?
	"$@" --no-native --rejects "$tmp/rej2" "$tmp/in" >"$tmp/o2" 2>"$tmp/e2"
	_rc2=$?
	check_eq "$_name: exit status" "$_rc2" "$_rc1"
	check_same "$_name: records" "$tmp/o2" "$tmp/o1"
	check_same "$_name: messages" "$tmp/e2" "$tmp/e1"
	check_same "$_name: rejects" "$tmp/rej2" "$tmp/rej1"
}

both "shipped classify policy ($n lines)" fo-classify
fo-classify -q "$tmp/in" 2>/dev/null >"$tmp/classified"
cp "$tmp/classified" "$tmp/in"
both "shipped route table" fo-route --as-of $AS_OF
cp "$TD/classify-engine/recs.ndjson" "$tmp/in"
both "the engine's own policy" fo-classify -r "$TD/classify-engine/rules.yaml" \
    --history "$TD/classify-engine/history.ndjson"

run fo-classify --explain-rules
check_eq "--explain-rules: exit 0" 0 "$rc"
check_eq "--explain-rules: the shipped policy runs wholly native" \
    "fo-classify: native: 97 of 97 conditions, 71 of 71 fragments" \
    "$(cat "$tmp/err")"
check_eq "--explain-rules: nothing left to libjq" "" \
    "$(awk -F '\t' '$3 != "native" && $3 != "builtin"' "$tmp/out")"
check_eq "--explain-rules: a rule and its fragment" \
    "payment_account_data	when	native|payment_account_data	{=1}	native" \
    "$(grep '^payment_account_data	' "$tmp/out" | paste -sd'|')"
run fo-route --explain-rules -q
check_eq "fo-route --explain-rules -q: every condition native, no count" \
    "0 0" "$rc $(awk -F '\t' '$3 != "native"' "$tmp/out" | wc -l | tr -d ' ')$(cat "$tmp/err")"

cat >"$tmp/mixed.yaml" <<'YAML'
rules:
  - id: plain
    class: price_variance
    domain: procurement
    sensitivity: medium
    confidence: 0.8
    when: '.amount > 100'
    reason: 'amount {=.amount}'
  - id: outside
    class: tax_mismatch
    domain: tax
    sensitivity: medium
    confidence: 0.7
    when: '[limit(1; .hold_codes[]?)] | length > 0'
    reason: 'first code {=[limit(1; .hold_codes[]?)] | tojson | ascii_downcase}'
YAML
run fo-classify -r "$tmp/mixed.yaml" --explain-rules
check_eq "--explain-rules: what stays with libjq, and why" \
    "plain	when	native|plain	{=1}	native|outside	when	jq|outside	{=1}	jq" \
    "$(cut -f 1-3 "$tmp/out" | paste -sd'|')"
check "--explain-rules: the reason names the construct" \
    grep -q "^outside	when	jq	.*limit" "$tmp/out"
printf '%s\n' '{"id":"1","amount":150,"hold_codes":["X"]}' \
    '{"id":"2","amount":5}' '{"id":"3","amount":"150","hold_codes":[]}' \
    >"$tmp/in"
both "a policy split between the paths" fo-classify -r "$tmp/mixed.yaml"
check_eq "split policy: native and libjq rules both decide" \
    'price_variance,tax_mismatch|other' \
    "$(jq -r '.exceptions | join(",")' "$tmp/o1" | paste -sd'|')"
# jq would take "150" for more than 100: the record is refused before
check_eq "split policy: an amount written as a string is refused" \
    "3 amount '150': not a number" \
    "$(jq -r '"\(.line) \(.error)"' "$tmp/rej1")"
check_eq "split policy: fragments from both paths" \
    'plain: amount 150|outside: first code ["x"]' \
    "$(jq -r 'select(.id == "1") | .reasons[]' "$tmp/o1" | paste -sd'|')"

# a lone surrogate: U+FFFD on both paths, as jq reads a lone low half
printf '%s\n' '{"id":"s","amount":150,"hold_codes":["\ud800"]}' >"$tmp/in"
both "a lone surrogate" fo-classify -r "$tmp/mixed.yaml"
check_eq "a lone surrogate: classified, not rejected, read as U+FFFD" \
    "0 1" "$(wc -l <"$tmp/rej1" | tr -d ' ') $(grep -cF "$(printf 'first code [\\"\357\277\275\\"]')" "$tmp/o1")"
# jq refuses these numbers (".e10" is a number to jq 1.6's lexer, not a
# field; "1.5.a" one number too): native refuses them as well, and as
# every expression of this file is native, only that stands between them
# and a rules file that loads
for expr in '.e10 > 1' '.a.E5 == 2' '1.5.a == 1'; do
	sed "s/'\.amount > 100'/'$expr'/" "$tmp/mixed.yaml" | sed '/- id: outside/,$d' \
	    >"$tmp/num.yaml"
	run fo-classify -r "$tmp/num.yaml" </dev/null
	check_eq "'$expr': refused, exit 2, nothing written" "2 0" \
	    "$rc $(wc -c <"$tmp/out" | tr -d ' ')"
	check "'$expr': jq's message at the rule's condition" \
	    grep -q "num.yaml:7:11: rule plain: when: .*Invalid numeric literal" "$tmp/err"
done

# start-up: the shipped rules are all native, so libjq compiles nothing
# (it takes 20-30 ms a compile): CPU seconds of 5 runs, native against
# --no-native, which compiles them all
cpu5() {
	perl -e 'for (1..5) { system(@ARGV) == 0 or exit 1 } my @t = times;
	    printf "%d\n", 1000 * ($t[2] + $t[3])' "$@" </dev/null 2>/dev/null
}
nat=$(cpu5 "$FO_BIN/fo-classify" -q)
jqs=$(cpu5 "$FO_BIN/fo-classify" -q --no-native)
check "start-up: native ${nat} ms for 5 runs, under a fifth of libjq's ${jqs} ms" \
    test "$((nat * 5))" -lt "$jqs"
done_testing
