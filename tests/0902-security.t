#!/bin/sh
# Rules and profiles are data, never code (fo.7, SECURITY): the tools
# start no other program; a rule's jq reads the record and nothing else
# (no environment, no other input, no files, no standard error, no
# clock); YAML anchors, aliases and tags are refused by every tool; the
# one rules value that becomes a file name, a queue, cannot leave the
# --split directory.
. "$(dirname "$0")/lib.sh"

SRC=$(cd "$(dirname "$0")/.." && pwd)
AS="--as-of 2026-11-21"

# --- no shell-outs ---------------------------------------------------------
# dlopen in lib/core/dl.c alone, whose callers open libxml2, libzip
# (lib/ingest/dl.c) and libjq (lib/rules/jqprog.c) by the sonames
# compiled in (fo-ingest(1), ENVIRONMENT; fo-rules(5)): no name data gives
check_eq "no system, popen, exec, fork or dlopen in lib/ and cmd/" "" \
    "$(grep -nE '\b(system|popen|exec[lv]p?e?|fexecve|fork|vfork|posix_spawnp?|dlopen)[[:space:]]*\(' \
	"$SRC"/lib/*/*.c "$SRC"/cmd/*.c | grep -v '^[^:]*/lib/core/dl\.c:')"
check_eq "dl.c: one dlopen, of the name its caller gives" \
    "if ((h = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {" \
    "$(grep -E 'dlopen[[:space:]]*\(' "$SRC"/lib/core/dl.c |
	grep -v '^ \*' | sed 's/^[[:space:]]*//' | paste -sd'|' -)"
check_eq "fo_dl_open: called with the compiled-in sonames alone" \
    "lib/ingest/dl.c:static const char so[] = FO_SONAME_XML;|lib/ingest/dl.c:if ((h = fo_dl_open(file, so, what, e)) == NULL)|lib/ingest/dl.c:static const char so[] = FO_SONAME_ZIP;|lib/ingest/dl.c:if ((h = fo_dl_open(file, so, what, e)) == NULL)|lib/rules/jqprog.c:static const char so[] = FO_SONAME_JQ;|lib/rules/jqprog.c:if ((h = fo_dl_open(file, so, \"the expressions libjq runs\", e)) ==" \
    "$(cd "$SRC" && grep -E 'fo_dl_open[[:space:]]*\(|char so\[\]' \
	lib/*/*.c cmd/*.c | grep -v '^lib/core/dl\.c:' |
	sed 's/:[[:space:]]*/:/' | paste -sd'|' -)"
for t in fo-ingest fo-match fo-classify fo-score fo-route fo-age; do
	# fo-age runs no rule of jq's, so opens no library at all
	dl=
	[ "$t" = fo-age ] && dl='|dlopen'
	check_eq "$t: links no call that starts a program" "" \
	    "$(nm -D --undefined-only "$FO_BIN/$t" 2>/dev/null |
		awk '{ print $NF }' | sed 's/@.*//' |
		grep -xE "system|popen|exec[lv]p?e?|fexecve|fork|vfork|posix_spawnp?$dl")"
done

# --- jq: what a rule may not reach -----------------------------------------
classify_rules() {	# WHEN REASON
	cat <<EOF
rules:
  - id: r1
    when: '$1'
    class: price_variance
    domain: procurement
    sensitivity: low
    confidence: 0.5
    reason: '$2'
EOF
}
echo '{"id":"a","po_price":1,"inv_price":2}' >"$tmp/rec.ndjson"
HOME=/secret-home
export HOME

# name:why (the message's words after the name)
while IFS=: read -r expr name why; do
	classify_rules "$expr" 'x' >"$tmp/c.yaml"
	run fo-classify -r "$tmp/c.yaml" "$tmp/rec.ndjson"
	check_eq "fo-classify refuses when: $expr" \
	    "2 fo-classify: $tmp/c.yaml:3:11: rule r1: when: '$name' $why: rules are data (fo(7), SECURITY)|" \
	    "$rc $(cat "$tmp/err")|$(cat "$tmp/out")"
done <<'EOF'
env.HOME != null:env:reads the environment
$ENV.HOME != null:$ENV:reads the environment
$ ENV.HOME != null:$ ENV:reads the environment
"\(env.HOME)" == "x":env:reads the environment
"a\("b" + "\($ENV.HOME)")" != "":$ENV:reads the environment
[inputs] | length > 0:inputs:reads the tool's input past the record
input == 1:input:reads the tool's input past the record
input_filename != null:input_filename:reads the tool's input past the record
input_line_number > 0:input_line_number:reads the tool's input past the record
"x" | modulemeta | true:modulemeta:reads files
get_search_list | true:get_search_list:reads where files are
(debug | true):debug:writes to standard error
(. | stderr | false):stderr:writes to standard error
if .a then halt else true end:halt:stops the program
halt_error(1):halt_error:stops the program
now > 0:now:reads the clock: the same records must give the same bytes
(0 | localtime | .[0]) > 0:localtime:depends on the time zone: the same records must give the same bytes
(0 | strflocaltime("%H")) != "":strflocaltime:depends on the time zone: the same records must give the same bytes
EOF
classify_rules 'import "x" as x; true' 'x' >"$tmp/c.yaml"
run fo-classify -r "$tmp/c.yaml" "$tmp/rec.ndjson"
check_eq "fo-classify refuses import" \
    "2 fo-classify: $tmp/c.yaml:3:11: rule r1: when: 'import' reads files: rules are data (fo(7), SECURITY)" \
    "$rc $(head -n 1 "$tmp/err")"
classify_rules 'include "x"; true' 'x' >"$tmp/c.yaml"
run fo-classify -r "$tmp/c.yaml" "$tmp/rec.ndjson"
check_eq "fo-classify refuses include" \
    "2 fo-classify: $tmp/c.yaml:3:11: rule r1: when: 'include' reads files: rules are data (fo(7), SECURITY)" \
    "$rc $(head -n 1 "$tmp/err")"

# a rule's budget: libjq has none, so what generates or recurses without
# a bound of the record's is refused at load; the native evaluator
# counts steps and memory per record and rejects a record over them
while IFS=: read -r expr name why; do
	classify_rules "$expr" 'x' >"$tmp/c.yaml"
	run fo-classify -r "$tmp/c.yaml" "$tmp/rec.ndjson"
	check_eq "fo-classify refuses when: $expr" \
	    "2 fo-classify: $tmp/c.yaml:3:11: rule r1: when: '$name' $why: rules are data (fo(7), SECURITY)|" \
	    "$rc $(cat "$tmp/err")|$(cat "$tmp/out")"
done <<'EOF'
last(range(1e9)) > 0:range:generates without a bound (libjq has no budget)
[range(1e8)] | length > 0:range:generates without a bound (libjq has no budget)
first(repeat(1)) == 1:repeat:generates without a bound (libjq has no budget)
[limit(5; 1 | recurse(. + 1))] | length > 0:recurse:generates without a bound (libjq has no budget; .. walks the record)
0 | until(. < 0; . + 1) | true:until:loops without a bound (libjq has no budget)
[0 | while(true; .)] | length > 0:while:generates without a bound (libjq has no budget)
[[1,2],[3,4]] | [combinations] | length > 0:combinations:generates without a bound (libjq has no budget)
EOF
classify_rules 'def f: f; f' 'x' >"$tmp/c.yaml"
run fo-classify -r "$tmp/c.yaml" "$tmp/rec.ndjson"
check_eq "fo-classify refuses a def (recursion without a bound)" \
    "2 fo-classify: $tmp/c.yaml:3:11: rule r1: when: 'def' defines a function, which may recurse without a bound (libjq has no budget): rules are data (fo(7), SECURITY)" \
    "$rc $(head -n 1 "$tmp/err")"
classify_rules '[.a[] as $x | .a[] as $y | .a[] | select(. == $x)] | length > 0' \
    'x' >"$tmp/c.yaml"
{ echo '{"id":"small","a":[1,2]}'; jq -nc '{id: "big", a: [range(200)]}'; } \
    >"$tmp/cube.ndjson"
run fo-classify -q -r "$tmp/c.yaml" --rejects "$tmp/rej" "$tmp/cube.ndjson"
check_eq "fo-classify: a record over the steps budget is rejected, positioned, the run goes on" \
    "1 small|fo-classify: $tmp/cube.ndjson:2: rule r1: when: over the rule budget (2000000 steps, 64 MiB): the record is rejected (--rule-budget)|2 big" \
    "$rc $(jq -r .id "$tmp/out")|$(cat "$tmp/err")|$(jq -r '"\(.line) \(.raw | fromjson | .id)"' "$tmp/rej")"
run fo-classify -q -r "$tmp/c.yaml" --rule-budget 20000000 "$tmp/cube.ndjson"
check_eq "fo-classify --rule-budget 20000000: both records classified" \
    "0 small big|" "$rc $(jq -r .id "$tmp/out" | paste -sd' ' -)|$(cat "$tmp/err")"
classify_rules '[.a[] as $x | .a[] as $y | .a[] | [$x, $y, .]] | length > 0' \
    'x' >"$tmp/c.yaml"
run fo-classify -q -r "$tmp/c.yaml" --rule-budget 1000000000,1 "$tmp/cube.ndjson"
check_eq "fo-classify --rule-budget 1000000000,1: a record over 1 MiB of scratch is rejected" \
    "1 small|fo-classify: $tmp/cube.ndjson:2: rule r1: when: over the rule budget (1000000000 steps, 1 MiB): the record is rejected (--rule-budget)" \
    "$rc $(jq -r .id "$tmp/out")|$(cat "$tmp/err")"
# A memo (fo-rules(5), HOW RULES ARE COMPILED) keeps what a node gave for
# the fields it reads; the steps and bytes it took are charged again when
# the next record takes the kept result. Each half below reads one field:
# .a of 76 numbers takes about 880,000 steps (76^3 triples, two each), .b
# of 300 about 180,000 (pairs). "first" has the 76 and one b; "second" the
# same 76 and 300 b's: together over 1,000,000 steps, alone or after
# "first" alike.
classify_rules '([.a[] as $x | .a[] as $y | .a[] | select(. == $x)] | length > 0) and ([.b[] as $x | .b[] | select(. == $x)] | length > 0)' \
    'x' >"$tmp/c.yaml"
jq -nc '{id: "first", a: [range(76)], b: [1]},
    {id: "second", a: [range(76)], b: [range(300)]},
    {id: "again", a: [range(76)], b: [1]},
    {id: "b-only", a: [1], b: [range(300)]}' >"$tmp/memo.ndjson"
run fo-classify -q -r "$tmp/c.yaml" --rule-budget 1000000 "$tmp/memo.ndjson"
check_eq "fo-classify: a kept result is charged the steps it took: the same verdicts as each record alone" \
    "1 first again b-only|fo-classify: $tmp/memo.ndjson:2: rule r1: when: over the rule budget (1000000 steps, 64 MiB): the record is rejected (--rule-budget)" \
    "$rc $(jq -r .id "$tmp/out" | paste -sd' ' -)|$(cat "$tmp/err")"
sed -n 2p "$tmp/memo.ndjson" >"$tmp/memo2.ndjson"
run fo-classify -q -r "$tmp/c.yaml" --rule-budget 1000000 "$tmp/memo2.ndjson"
check_eq "fo-classify: the second record alone: over the same budget" \
    "1 |fo-classify: $tmp/memo2.ndjson:1: rule r1: when: over the rule budget (1000000 steps, 64 MiB): the record is rejected (--rule-budget)" \
    "$rc $(cat "$tmp/out")|$(cat "$tmp/err")"
# bytes: [$x] for each pair, 40 by 40 about half a MiB a side
classify_rules '([.a[] as $x | .a[] | [$x]] | length > 0) and ([.b[] as $x | .b[] | [$x]] | length > 0)' \
    'x' >"$tmp/c.yaml"
jq -nc '{id: "first", a: [range(40)], b: [1]},
    {id: "second", a: [range(40)], b: [range(40)]},
    {id: "again", a: [range(40)], b: [1]}' >"$tmp/memo.ndjson"
run fo-classify -q -r "$tmp/c.yaml" --rule-budget 1000000000,1 "$tmp/memo.ndjson"
check_eq "fo-classify: a kept result is charged the bytes it took" \
    "1 first again|fo-classify: $tmp/memo.ndjson:2: rule r1: when: over the rule budget (1000000000 steps, 1 MiB): the record is rejected (--rule-budget)" \
    "$rc $(jq -r .id "$tmp/out" | paste -sd' ' -)|$(cat "$tmp/err")"
for b in 10 x 1000,0 -5; do
	run fo-classify --rule-budget "$b" "$tmp/rec.ndjson"
	check_eq "fo-classify --rule-budget $b: a usage error" \
	    "2 fo-classify: --rule-budget '$b': STEPS[,MIB]: 1000 to 10^12 steps, 1 to 65536 MiB" \
	    "$rc $(cat "$tmp/err")"
done
sed "81s/when: .*/when: '[.a[] as \$x | .a[] as \$y | .a[] | select(. == \$x)] | length > 0'/" \
    "$FO_RULES/route.yaml" >"$tmp/route.yaml"
jq -c '. + {exception: "duplicate_suspect"}' "$tmp/cube.ndjson" >"$tmp/cubex.ndjson"
run fo-route -q $AS -r "$tmp/route.yaml" "$tmp/cubex.ndjson"
check_eq "fo-route: a record over the budget is rejected too" \
    "1 small|fo-route: $tmp/cubex.ndjson:2: rule duplicate: when: over the rule budget (2000000 steps, 64 MiB): the record is rejected (--rule-budget)" \
    "$rc $(jq -r .id "$tmp/out")|$(cat "$tmp/err")"

# a reason's {=jq} fragment: the same
classify_rules 'true' 'home {=env.HOME}' >"$tmp/c.yaml"
run fo-classify -r "$tmp/c.yaml" "$tmp/rec.ndjson"
check_eq "fo-classify refuses a reason fragment reading the environment" \
    "2 fo-classify: $tmp/c.yaml:8:19: reason: 'env' reads the environment: rules are data (fo(7), SECURITY)" \
    "$rc $(cat "$tmp/err")"
classify_rules 'true' 'file {=input_filename}' >"$tmp/c.yaml"
run fo-classify -r "$tmp/c.yaml" "$tmp/rec.ndjson"
check_eq "fo-classify refuses a reason fragment reading the input's name" \
    "2 fo-classify: $tmp/c.yaml:8:19: reason: 'input_filename' reads the tool's input past the record: rules are data (fo(7), SECURITY)" \
    "$rc $(cat "$tmp/err")"

# the same names as data are no calls: fields, strings, comments, formats
classify_rules '.env == null and .input == null and ."now" == null and .remittance != "env stderr" and (@text "x") == "x" # env now' \
    '{=.env} {=$ENV_x}' | sed 's/\$ENV_x/"input"/' >"$tmp/c.yaml"
run fo-classify -q -r "$tmp/c.yaml" "$tmp/rec.ndjson"
check_eq "fields, strings, comments and formats named env or input load" \
    '0 ["r1: null input"]' "$rc $(jq -c .reasons "$tmp/out")"

# fo-route: its when
sed "81s/when: .*/when: 'env.HOME == \"\\/secret-home\"'/" \
    "$FO_RULES/route.yaml" >"$tmp/route.yaml"
run fo-route $AS -r "$tmp/route.yaml" "$tmp/rec.ndjson"
check_eq "fo-route refuses a when reading the environment" \
    "2 fo-route: $tmp/route.yaml:81:11: route duplicate: when: 'env' reads the environment: rules are data (fo(7), SECURITY)|" \
    "$rc $(cat "$tmp/err")|$(cat "$tmp/out")"
sed "81s/when: .*/when: '[inputs] | length > 0'/" \
    "$FO_RULES/route.yaml" >"$tmp/route.yaml"
run fo-route $AS -r "$tmp/route.yaml" "$tmp/rec.ndjson"
check_eq "fo-route refuses a when reading the other records" \
    "2 fo-route: $tmp/route.yaml:81:11: route duplicate: when: 'inputs' reads the tool's input past the record: rules are data (fo(7), SECURITY)" \
    "$rc $(cat "$tmp/err")"

# --- YAML anchors, aliases and tags: every tool -----------------------------
printf 'a: &x 1\nb: *x\nc: !!str 2\nd: !local 3\n' >"$tmp/alias.yaml"
for t in fo-classify fo-score fo-route fo-age fo-ingest; do
	opt=-r
	[ $t = fo-ingest ] && opt=-p
	run $t $opt "$tmp/alias.yaml" /dev/null
	check_eq "$t: anchors, aliases and tags refused, each where it is" \
	    "2|$t: $tmp/alias.yaml:1:4: anchors and aliases are not allowed|$t: $tmp/alias.yaml:2:4: anchors and aliases are not allowed|$t: $tmp/alias.yaml:3:4: tags are not allowed|$t: $tmp/alias.yaml:4:4: tags are not allowed|" \
	    "$rc|$(paste -sd'|' "$tmp/err")|$(cat "$tmp/out")"
done
# a rates file in YAML is read by the same loader
run fo-score -q $AS --rates "$tmp/alias.yaml" "$tmp/rec.ndjson"
check_eq "fo-score --rates: anchors refused too" \
    "2 fo-score: $tmp/alias.yaml:1:4: anchors and aliases are not allowed" \
    "$rc $(head -n 1 "$tmp/err")"

# --- file names from rules: queues stay inside --split -----------------------
for q in ../escape /etc/passwd a/b . .. 'x y'; do
	sed "82s|queue: .*|queue: '$q'|" "$FO_RULES/route.yaml" >"$tmp/route.yaml"
	run fo-route $AS -r "$tmp/route.yaml" "$tmp/rec.ndjson"
	check_eq "fo-route: queue '$q' refused (it names a file under --split)" \
	    "2" "$rc"
done
check_eq "fo-route: the queue refusal says why" \
    "queue 'x y': a queue is a file name under --split: letters, digits, _ and -" \
    "$(grep -o "queue 'x y'[^(]*" "$tmp/err" | sed 's/ *$//' | head -n 1)"
# a NUL in a quoted name, a name past 64 bytes: refused at load, where
# they are (a NUL would cut the file name; two names would merge)
sed '54s|.*|  "x\\u0000y": { resolvers: [] }\n  "x\\u0000z": { resolvers: [] }|' \
    "$FO_RULES/route.yaml" >"$tmp/route.yaml"
run fo-route $AS -r "$tmp/route.yaml" "$tmp/rec.ndjson"
check_eq "fo-route: queue names holding a NUL refused at load, each with its position" \
    "2|fo-route: $tmp/route.yaml:54:3: queue 'x...': a queue is a file name under --split: it holds a NUL byte|fo-route: $tmp/route.yaml:55:3: queue 'x...': a queue is a file name under --split: it holds a NUL byte|" \
    "$rc|$(grep NUL "$tmp/err" | paste -sd'|' -)|$(cat "$tmp/out")"
q64=$(printf '%064d' 0 | tr 0 q)
sed "54s|.*|  $q64: { resolvers: [] }|; 82s|queue: .*|queue: $q64|" \
    "$FO_RULES/route.yaml" >"$tmp/route.yaml"
run fo-route -q $AS -r "$tmp/route.yaml" "$tmp/rec.ndjson"
check_eq "fo-route: a 64-byte queue name loads" "0|" "$rc|$(cat "$tmp/err")"
sed "54s|.*|  ${q64}q: { resolvers: [] }|; 82s|queue: .*|queue: ${q64}q|" \
    "$FO_RULES/route.yaml" >"$tmp/route.yaml"
run fo-route $AS -r "$tmp/route.yaml" "$tmp/rec.ndjson"
check_eq "fo-route: a 65-byte queue name refused at load, where it is" \
    "2|fo-route: $tmp/route.yaml:54:3: queue 'qqqqqqqqqqqqqqqqqqqq...': a queue is a file name under --split: 65 bytes, at most 64|fo-route: $tmp/route.yaml:82:12: queue 'qqqqqqqqqqqqqqqqqqqq...': a queue is a file name under --split: 65 bytes, at most 64" \
    "$rc|$(paste -sd'|' "$tmp/err")"
# a profile is named like its file, and -p NAME stays in the rules dir
mkdir -p "$tmp/rules/ingest"
run fo-ingest -p ../../etc/passwd /dev/null
check_eq "fo-ingest -p: a name with / is a path the operator gave" 2 "$rc"

done_testing
