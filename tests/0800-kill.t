#!/bin/sh
# Killed at a random moment (SIGKILL, 50 times per tool), a tool leaves
# each output file it names (-o, --rejects, --split) absent or complete:
# never half written. A rerun then gives the same bytes as before.
. "$(dirname "$0")/lib.sh"

# an input big enough that the kill lands mid-run
awk 'BEGIN { print "Invoice Number,Vendor ID,Invoice Date,Currency,Amount,Hold Code";
    for (i = 0; i < 30000; i++)
	printf "I-%d,V%d,2026-10-%02d,EUR,%d.%02d,%s\n", i, i % 300, 1 + i % 28,
	    i, i % 100, (i % 3 ? "PRICE" : "QTY REC");
    print "bad,row" }' >"$tmp/in.csv"
AS=2026-11-21

# the complete outputs, from runs that were not killed
fo-ingest -q -o "$tmp/ing.want" --rejects "$tmp/ingrej.want" "$tmp/in.csv"
fo-classify -q -o "$tmp/cls.want" "$tmp/ing.want"
fo-score -q --as-of $AS -o "$tmp/sco.want" "$tmp/cls.want"
mkdir "$tmp/split.want"
fo-route -q --as-of $AS --split "$tmp/split.want" -o "$tmp/rou.want" \
    "$tmp/sco.want"

# kill TOOL ARGS: start it, kill it 0-40 ms later
killed() {
	"$@" 2>/dev/null &
	pid=$!
	sleep "0.0$(awk -v s="$$$i" 'BEGIN { srand(s); printf "%02d", int(rand() * 40) }')"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
}

# whole: FILE WANT: absent, or exactly the complete output
whole() {
	if [ ! -e "$1" ]; then
		absent=$((absent + 1))
		return 0
	fi
	cmp -s "$1" "$2"
}

bad=0
absent=0
i=0
while [ $i -lt 50 ]; do
	rm -rf "$tmp/o" && mkdir "$tmp/o" "$tmp/o/split"
	killed fo-ingest -q -o "$tmp/o/ing" --rejects "$tmp/o/rej" "$tmp/in.csv"
	whole "$tmp/o/ing" "$tmp/ing.want" || bad=$((bad + 1))
	whole "$tmp/o/rej" "$tmp/ingrej.want" || bad=$((bad + 1))
	killed fo-classify -q -o "$tmp/o/cls" "$tmp/ing.want"
	whole "$tmp/o/cls" "$tmp/cls.want" || bad=$((bad + 1))
	killed fo-score -q --as-of $AS -o "$tmp/o/sco" "$tmp/cls.want"
	whole "$tmp/o/sco" "$tmp/sco.want" || bad=$((bad + 1))
	killed fo-route -q --as-of $AS --split "$tmp/o/split" -o "$tmp/o/rou" \
	    "$tmp/sco.want"
	whole "$tmp/o/rou" "$tmp/rou.want" || bad=$((bad + 1))
	for f in "$tmp"/split.want/*.ndjson; do
		whole "$tmp/o/split/$(basename "$f")" "$f" || bad=$((bad + 1))
	done
	i=$((i + 1))
done
check_eq "200 kills: every output file absent or complete" 0 "$bad"
check "the kills landed mid-run ($absent outputs not there yet)" \
    [ "$absent" -gt 50 ]

# after the kills, a run to the end gives the same bytes
rm -rf "$tmp/o" && mkdir "$tmp/o"
fo-ingest -q -o "$tmp/o/ing" --rejects "$tmp/o/rej" "$tmp/in.csv"
check_same "rerun: same records" "$tmp/ing.want" "$tmp/o/ing"
check_same "rerun: same rejects" "$tmp/ingrej.want" "$tmp/o/rej"

done_testing
