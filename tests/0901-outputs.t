#!/bin/sh
# Every output of every tool on a full disk (/dev/full): exit 3 and a
# message naming the output; and a reader that goes away (| head -1):
# the tool ends by SIGPIPE, quietly, as filters do, or, when SIGPIPE is
# ignored, says "Broken pipe" and exits 3 (fo.7, OUTPUT). A tool ended
# by a signal it can catch removes its temporary files before it dies.
# tests/0102 does the standard output of fo-ingest.
. "$(dirname "$0")/lib.sh"

if [ ! -w /dev/full ]; then
	plan 0
	echo "# SKIP no /dev/full"
	exit 0
fi
AS="--as-of 2026-11-21"
FULL="No space left on device"

# 1,000 exceptions, one line that is no record (a reject) at the end
awk 'BEGIN { for (i = 0; i < 1000; i++)
	printf "{\"id\":\"r%d\",\"vendor_id\":\"V%d\",\"doc_number\":\"I%d\",\"currency\":\"EUR\",\"amount\":%d.00,\"doc_date\":\"2026-11-01\",\"po_price\":1,\"inv_price\":2}\n", i, i % 97, i, i }' \
    >"$tmp/in.ndjson"
fo-classify -q "$tmp/in.ndjson" >"$tmp/cls.ndjson"
cp "$tmp/cls.ndjson" "$tmp/bad.ndjson"
echo 'not a record' >>"$tmp/bad.ndjson"
printf 'invoice,vendor,amount,currency\nI1,V1,1.00,EUR\nI2,V2,x,EUR\n' \
    >"$tmp/bad.csv"
awk 'BEGIN { print "Invoice,Vendor,Amount,Currency";
    for (i = 0; i < 50000; i++) printf "I-%d,V%d,%d.00,EUR\n", i, i % 97, i }' \
    >"$tmp/big.csv"

# full TOOL WHAT WANT_MESSAGE CMD...: exit 3 and the message, last line.
full() {
	_t=$1 _w=$2 _m=$3
	shift 3
	rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	check_eq "$_t: $_w on a full disk: exit 3, says so" "3 $_t: $_m" \
	    "$rc $(tail -n 1 "$tmp/err")"
}

# the tools, each as a stage reading $tmp/bad.ndjson
for t in "fo-classify" "fo-score $AS" "fo-route $AS" "fo-age -a $AS" \
    "fo-age $AS" "fo-age $AS -f table" "fo-age $AS -f csv" \
    "fo-age $AS -f html" "fo-age $AS --partial"; do
	n=${t%% *}
	# shellcheck disable=SC2086
	full "$n" "stdout (${t#$n})" "<stdout>: write: $FULL" \
	    sh -c "exec $t -q \"\$1\" >/dev/full" sh "$tmp/bad.ndjson"
	# shellcheck disable=SC2086
	full "$n" "-o /dev/full (${t#$n})" "/dev/full: write: $FULL" \
	    $t -q -o /dev/full "$tmp/bad.ndjson"
	# shellcheck disable=SC2086
	full "$n" "--rejects /dev/full (${t#$n})" "/dev/full: write: $FULL" \
	    $t -q --rejects /dev/full "$tmp/bad.ndjson"
done
full fo-ingest "-o /dev/full" "/dev/full: write: $FULL" \
    fo-ingest -q -o /dev/full "$tmp/bad.csv"
full fo-ingest "--rejects /dev/full" "/dev/full: write: $FULL" \
    fo-ingest -q --rejects /dev/full "$tmp/bad.csv"

# A full file system (a tmpfs of 256 KiB, root only): a run's outputs
# appear all or none. --rejects fails last, after -o and the queues are
# complete: still none is replaced (-o used to be).
if [ "$(id -u)" = 0 ] && mkdir "$tmp/small" &&
    mount -t tmpfs -o size=256k tmpfs "$tmp/small" 2>/dev/null; then
	S=$tmp/small
	mkdir "$S/split"
	head -n 3 "$tmp/bad.ndjson" >"$tmp/three.ndjson"
	echo 'not a record' >>"$tmp/three.ndjson"
	fo-route -q $AS -o "$S/out" --rejects "$S/rej" --split "$S/split" \
	    "$tmp/three.ndjson" 2>/dev/null
	ls -l "$S/split/" >"$tmp/set.before"
	cat "$S/out" "$S/rej" "$S"/split/*.ndjson | cksum >"$tmp/sum.before"
	# the records fill all but a little: the rejects overflow
	awk 'BEGIN { for (i = 0; i < 400; i++) printf "x%0200d\n", i }' \
	    >"$tmp/junk.ndjson"
	for t in "fo-classify" "fo-score $AS" "fo-route $AS --split $S/split"; do
		n=${t%% *}
		# 40 KiB free: the records fit, their rejects (100 KiB) not
		avail=$(df -k "$S" | awk 'NR == 2 { print $4 }')
		dd if=/dev/zero of="$S/fill" bs=1k \
		    count=$((avail - 40)) 2>/dev/null
		rc=0
		# shellcheck disable=SC2086
		$t -q -o "$S/out" --rejects "$S/rej" "$tmp/three.ndjson" \
		    "$tmp/junk.ndjson" 2>"$tmp/err" || rc=$?
		check_eq "$n: --rejects on a full file system: exit 3, says so" \
		    "3 $n: $S/rej: write: $FULL" "$rc $(tail -n 1 "$tmp/err")"
		check_eq "$n: --rejects on a full file system: -o, --rejects and --split as they were" \
		    "$(cat "$tmp/sum.before")" \
		    "$(cat "$S/out" "$S/rej" "$S"/split/*.ndjson | cksum)"
		check_eq "$n: on a full file system: no temporary file or set left" \
		    ".split.lock .split.set.SET fill out rej split -> .split.set.SET" \
		    "$(ls -A "$S" | sed 's/set\......./set.SET/' | paste -sd' ' -) -> $(readlink "$S/split" | sed 's/set\......./set.SET/')"
		rm -f "$S/fill"
	done
	ls -l "$S/split/" >"$tmp/set.after"
	check_same "fo-route: on a full file system: the queue set unchanged" \
	    "$tmp/set.before" "$tmp/set.after"
	umount "$S"
else
	echo "# SKIP full file system: needs root and a tmpfs"
fi

# files that appear whole have the mode the umask gives, as from open(2)
for m in 022 077 002; do
	rm -rf "$tmp/m"
	mkdir "$tmp/m" "$tmp/m/split"
	(umask $m && fo-route -q $AS -o "$tmp/m/out.ndjson" \
	    --rejects "$tmp/m/rej.ndjson" --split "$tmp/m/split" \
	    "$tmp/bad.ndjson" 2>/dev/null)
	want=$(umask $m && touch "$tmp/m/ref" && ls -l "$tmp/m/ref" | cut -c1-10)
	check_eq "umask $m: -o, --rejects and --split files are $want" \
	    "$want $want $want" \
	    "$(ls -l "$tmp/m/out.ndjson" "$tmp/m/rej.ndjson" \
		"$tmp/m/split/purchasing.ndjson" | cut -c1-10 | paste -sd' ' -)"
done

# | head -1: the first record, nothing on stderr, ended by SIGPIPE (141
# in the shell); with SIGPIPE ignored, EPIPE: a message and exit 3.
fo-ingest -q "$tmp/big.csv" >"$tmp/ing.ndjson"
for t in "fo-ingest" "fo-classify" "fo-score $AS" "fo-route $AS" \
    "fo-age -a $AS"; do
	n=${t%% *} in=$tmp/cls.ndjson
	[ "$n" = fo-ingest ] && in=$tmp/big.csv
	[ "$n" = fo-classify ] && in=$tmp/ing.ndjson
	# shellcheck disable=SC2086
	{ $t -q "$in" 2>"$tmp/err"; echo $? >"$tmp/st"; } |
	    head -n 1 >"$tmp/first"
	check_eq "$n | head -1: one record, SIGPIPE, quiet" "1 141 " \
	    "$(jq -c .id "$tmp/first" | wc -l) $(cat "$tmp/st") $(cat "$tmp/err")"
	# shellcheck disable=SC2086
	{ (trap '' PIPE; exec $t -q "$in" 2>"$tmp/err"); echo $? >"$tmp/st"; } |
	    head -n 1 >"$tmp/first"
	check_eq "$n | head -1, SIGPIPE ignored: exit 3, says so" \
	    "1 3 $n: <stdout>: write: Broken pipe" \
	    "$(wc -l <"$tmp/first") $(cat "$tmp/st") $(cat "$tmp/err")"
	# its other outputs were being written: no temporary file stays
	mkdir "$tmp/sp"
	sp=
	[ "$n" = fo-route ] && sp="--split $tmp/sp/split" &&
	    mkdir "$tmp/sp/split"
	# shellcheck disable=SC2086
	{ $t -q --rejects "$tmp/sp/rej.ndjson" $sp "$in" 2>"$tmp/err"
	    echo $? >"$tmp/st"; } | head -n 1 >"$tmp/first"
	check_eq "$n --rejects${sp:+ --split} | head -1: SIGPIPE, no file left" \
	    "141 " "$(cat "$tmp/st") $(cd "$tmp/sp" && find . -type f ! -name .split.lock)"
	rm -rf "$tmp/sp"
done

# SIGTERM (a cron timeout, kill) or SIGHUP in the middle of a run: the
# temporary files go, the targets are as they were, the tool dies of the
# signal. (SIGINT cannot be tested here: a background job ignores it.)
mkfifo "$tmp/fifo"
for sig in TERM:15 HUP:1; do
	num=${sig#*:} sig=${sig%:*}
	for t in "fo-ingest" "fo-classify" "fo-score $AS" "fo-route $AS" \
	    "fo-age -a $AS"; do
		n=${t%% *} src=$tmp/cls.ndjson
		[ "$n" = fo-ingest ] && src=$tmp/big.csv
		mkdir "$tmp/k"
		echo old >"$tmp/k/out.ndjson"
		sp=
		[ "$n" = fo-route ] && sp="--split $tmp/k/split" &&
		    mkdir "$tmp/k/split"
		# shellcheck disable=SC2086
		$t -q -o "$tmp/k/out.ndjson" --rejects "$tmp/k/rej.ndjson" $sp \
		    "$tmp/fifo" 2>"$tmp/err" &
		pid=$!
		# read-write: never blocks, even if the tool has died already
		exec 7<>"$tmp/fifo"
		head -n 20 "$src" >&7
		# the temporary files are there: two, or two and a queue's
		i=0
		while [ "$(find "$tmp/k" -name '.*.*' ! -name .split.lock | wc -l)" -lt 2 ] &&
		    [ $i -lt 200 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		before=$(find "$tmp/k" -name '.*.*' ! -name .split.lock | wc -l)
		# a parent may ignore it (nohup ignores SIGHUP): then the tool
		# must too, and its run completes
		ign=$(awk '$1 == "SigIgn:" { print $2 }' "/proc/$pid/status" \
		    2>/dev/null)
		ignored=0
		[ -n "$ign" ] && ignored=$(( 0x$ign >> (num - 1) & 1 ))
		kill -s "$sig" $pid
		# the end of the input at once: a tool that lives on finishes
		# (it sees the signal first: it was sent before)
		exec 7>&-
		st=0
		wait $pid 2>/dev/null || st=$?
		if [ "$ignored" = 1 ]; then
			check_eq "$n: SIG$sig ignored by the parent: ignored, the run completes" \
			    "0 yes" "$st $([ "$before" -ge 2 ] && echo yes)"
		else
			check_eq "$n: SIG$sig while writing: dies of it, temporary files gone" \
			    "$((128 + num)) yes old ./out.ndjson" \
			    "$st $([ "$before" -ge 2 ] && echo yes) $(cat "$tmp/k/out.ndjson") $(cd "$tmp/k" && find . -type f ! -name .split.lock | sort | paste -sd' ' -)$(cat "$tmp/err")"
		fi
		rm -rf "$tmp/k"
	done
done

done_testing
