#!/bin/sh
# The contract at its edges (fo.7, RELIABILITY and SECURITY): a run's
# outputs appear all or none; --split switches in a whole set under a
# lock; -o replaces a regular file only, keeping its mode; temporaries
# a killed run left are removed by the next run that writes there.
. "$(dirname "$0")/lib.sh"

AS="--as-of 2026-11-21"
# three exceptions for purchasing (the shipped policy), then a bad line
for i in 1 2 3; do
	printf '{"id":"r%d","exception":"price_variance","vendor_id":"V1","doc_number":"I%d","currency":"EUR","amount":10.00,"doc_date":"2026-11-01"}\n' $i $i
done >"$tmp/in.ndjson"
cp "$tmp/in.ndjson" "$tmp/bad.ndjson"
echo 'not a record' >>"$tmp/bad.ndjson"
QUEUES="ap_approvals.ndjson ap_duplicates.ndjson ap_triage.ndjson gl_accounting.ndjson purchasing.ndjson receiving.ndjson tax.ndjson treasury_payments.ndjson vendor_master.ndjson"

# --- a failed --rejects replaces nothing ------------------------------------
mkdir "$tmp/r" "$tmp/r/split"
echo old >"$tmp/r/split/purchasing.ndjson"
for t in "fo-classify" "fo-score $AS" "fo-route $AS --split $tmp/r/split"; do
	n=${t%% *}
	echo old >"$tmp/r/out"
	# shellcheck disable=SC2086
	run $t -q -o "$tmp/r/out" --rejects /dev/full "$tmp/bad.ndjson"
	check_eq "$n: --rejects on a full disk: exit 3, -o as it was" \
	    "3 old $n: /dev/full: write: No space left on device" \
	    "$rc $(cat "$tmp/r/out") $(tail -n 1 "$tmp/err")"
done
check_eq "fo-route: --rejects on a full disk: the --split directory as it was" \
    "old" "$(cat "$tmp/r/split"/*)"
# fo-match's --report is one of the run's outputs too
M=$TD/match
echo old >"$tmp/r/report"
(cd "$M" && fo-match -q -r "$FO_RULES/match.yaml" --against items.ndjson \
    --rejects /dev/full --report "$tmp/r/report" -o "$tmp/r/out" \
    lines.ndjson >/dev/null 2>"$tmp/err")
check_eq "fo-match: --rejects on a full disk: exit 3, -o and --report as they were" \
    "old old fo-match: /dev/full: write: No space left on device" \
    "$(cat "$tmp/r/out") $(cat "$tmp/r/report") $(tail -n 1 "$tmp/err")"

# --- --split: a plain directory becomes a link to a set, once ---------------
mkdir "$tmp/p" "$tmp/p/inbox"
echo old >"$tmp/p/inbox/purchasing.ndjson"
echo old >"$tmp/p/inbox/receiving.ndjson"
run fo-route -q $AS -o "$tmp/p/out" --split "$tmp/p/inbox" "$tmp/in.ndjson"
check_eq "--split into a plain directory: exit 0, quiet" "0 " "$rc $(cat "$tmp/err")"
set1=$(readlink "$tmp/p/inbox")
check_eq "--split: DIR is now a link to a hidden set beside it" ".inbox.set.X" \
    "$(echo "$set1" | sed 's/set\......./set.X/')"
check_eq "--split: beside it only the set, its lock, and nothing of the old" \
    ".inbox.lock $set1 inbox out" "$(ls -A "$tmp/p" | paste -sd' ' -)"
check_eq "--split: a file for every queue, the old ones replaced" "$QUEUES" \
    "$(ls "$tmp/p/inbox/" | paste -sd' ' -)"
check_eq "--split: purchasing holds tonight's three" "r1 r2 r3" \
    "$(jq -r .id "$tmp/p/inbox/purchasing.ndjson" | paste -sd' ' -)"
run fo-route -q $AS -o "$tmp/p/out" --split "$tmp/p/inbox" "$tmp/bad.ndjson"
set2=$(readlink "$tmp/p/inbox")
check_eq "--split, the next run: a new set, the previous one removed" \
    "1 .inbox.lock $set2 inbox out" \
    "$([ "$set1" != "$set2" ] && echo 1) $(ls -A "$tmp/p" | paste -sd' ' -)"
# --format csv: the same sets, of QUEUE.csv files
mkdir "$tmp/p/csv"
fo-route -q $AS --split "$tmp/p/csv" --format csv "$tmp/in.ndjson" >/dev/null
run fo-route -q $AS --split "$tmp/p/csv" --format csv "$tmp/in.ndjson"
check_eq "--split --format csv: the next run removes the previous set, quietly" \
    "0 1 purchasing.csv|" \
    "$rc $(ls -d "$tmp/p"/.csv.set.* | wc -l | tr -d ' ') $(ls "$tmp/p/csv" | grep purch)|$(cat "$tmp/err")"
# a directory that held more than queues is moved aside and kept, named
mkdir "$tmp/p/box2"
echo mine >"$tmp/p/box2/notes.txt"
echo old >"$tmp/p/box2/tax.ndjson"
run fo-route -q $AS --split "$tmp/p/box2" "$tmp/in.ndjson"
aside=$(cd "$tmp/p" && ls -d .box2.set.* | grep -vx "$(readlink "$tmp/p/box2")")
check_eq "--split: a directory with other files: moved aside, kept, said" \
    "0 fo-route: $tmp/p/$aside: kept: it holds files that are no queue's|notes.txt" \
    "$rc $(cat "$tmp/err")|$(ls "$tmp/p/$aside")"
# a link of the operator's is followed: the set goes beside its target
mkdir "$tmp/p/real"
ln -s real "$tmp/p/mine"
run fo-route -q $AS --split "$tmp/p/mine" "$tmp/in.ndjson"
check_eq "--split through an operator's link: it stays, its target is switched" \
    "0 real .real.set.X" \
    "$rc $(readlink "$tmp/p/mine") $(readlink "$tmp/p/real" | sed 's/set\......./set.X/')"

# --- --split: one run at a time ---------------------------------------------
mkdir "$tmp/l" "$tmp/l/box"
mkfifo "$tmp/l/fifo"
fo-route -q $AS -o "$tmp/l/first" --split "$tmp/l/box" "$tmp/l/fifo" \
    2>"$tmp/l/err1" &
first=$!
# it holds the lock while it waits for its input
i=0
while ! grep -q "^[0-9]*: POSIX *ADVISORY *WRITE *$first " /proc/locks &&
    [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
run fo-route -q $AS --split "$tmp/l/box" "$tmp/in.ndjson"
check_eq "--split: a second run into a locked directory: exit 3, says who" \
    "3 fo-route: $tmp/l/box: another run (pid $first) is writing it; --wait SECONDS waits for it" \
    "$rc $(cat "$tmp/err")"
start=$(date +%s)
run fo-route -q $AS --split "$tmp/l/box" --wait 1 "$tmp/in.ndjson"
check_eq "--split --wait 1: waits, then exit 3" \
    "3 fo-route: $tmp/l/box: another run (pid $first) is writing it, still after --wait 1 yes" \
    "$rc $(cat "$tmp/err") $([ $(($(date +%s) - start)) -ge 1 ] && echo yes)"
fo-route -q $AS -o "$tmp/l/third" --split "$tmp/l/box" --wait 60 \
    "$tmp/bad.ndjson" 2>"$tmp/l/err3" &
third=$!
sleep 0.3
cat "$tmp/in.ndjson" >"$tmp/l/fifo"
st1=0 st3=0
wait $first || st1=$?
wait $third || st3=$?
check_eq "--split --wait 60: both runs complete, one after the other" \
    "0 1 r1 r2 r3" \
    "$st1 $st3 $(jq -r .id "$tmp/l/box/purchasing.ndjson" | paste -sd' ' -)"
check_eq "--split: after both, one set" "1" \
    "$(ls -d "$tmp/l"/.box.set.* | wc -l | tr -d ' ')"
run fo-route $AS --wait x --split "$tmp/l/box" "$tmp/in.ndjson"
check_eq "--wait x: a usage error" "2 fo-route: --wait 'x': seconds, 0 to 86400" \
    "$rc $(cat "$tmp/err")"

# --- -o: a regular file only, its mode kept ---------------------------------
mkdir "$tmp/o"
mkfifo "$tmp/o/fifo"
ln -s fifo "$tmp/o/to-fifo"
ln -s /dev/null "$tmp/o/to-null"
ln -s nowhere "$tmp/o/dangling"
for l in to-fifo:"to what is not a regular file" \
    to-null:"to what is not a regular file" dangling:"to nothing"; do
	why=${l#*:} l=${l%%:*}
	run fo-classify -q -o "$tmp/o/$l" "$tmp/in.ndjson"
	check_eq "-o a symbolic link $why: refused, exit 3" \
	    "3 fo-classify: $tmp/o/$l: a symbolic link $why: refused, only a regular file is replaced (fo(7), SECURITY)" \
	    "$rc $(cat "$tmp/err")"
done
run fo-classify -q --rejects "$tmp/o" "$tmp/in.ndjson"
check_eq "--rejects a directory: refused, exit 3" \
    "3 fo-classify: $tmp/o: not a regular file, a device or a FIFO: refused" \
    "$rc $(cat "$tmp/err")"
echo old >"$tmp/o/target"
chmod 640 "$tmp/o/target"
ln -s target "$tmp/o/link"
run fo-classify -q -o "$tmp/o/link" "$tmp/in.ndjson"
check_eq "-o a link to a regular file: the link stays, its target replaced, mode kept" \
    "0 target 3 -rw-r-----" \
    "$rc $(readlink "$tmp/o/link") $(wc -l <"$tmp/o/target" | tr -d ' ') $(ls -l "$tmp/o/target" | cut -c1-10)"
touch "$tmp/o/rej"
chmod 600 "$tmp/o/rej"
(umask 022 && fo-classify -q --rejects "$tmp/o/rej" -o "$tmp/o/new" \
    "$tmp/bad.ndjson" 2>/dev/null)
check_eq "a rejects file made 0600 stays 0600 after a rerun; a new file has the umask's" \
    "-rw------- 1 -rw-r--r--" \
    "$(ls -l "$tmp/o/rej" | cut -c1-10) $(wc -l <"$tmp/o/rej" | tr -d ' ') $(ls -l "$tmp/o/new" | cut -c1-10)"
fo-classify -q -o /dev/stdout "$tmp/in.ndjson" >"$tmp/o/stdout"
check_eq "-o /dev/stdout is the standard output" 3 \
    "$(wc -l <"$tmp/o/stdout" | tr -d ' ')"

# --- leftovers of killed runs -----------------------------------------------
mkdir "$tmp/k" "$tmp/k/box"
dead=2147483646		# above any pid_max: no such process
for f in ".out.$dead.fotmp.AbCdEf" ".out.$dead.fotmp.AbCdEf.keep" \
    ".out.$dead.tmp.AbCdEf" ".out.$$.fotmp.AbCdEf" ".outx.$dead.fotmp.AbCdEf" \
    ".rej.$dead.fotmp.Zz0123"; do
	echo half >"$tmp/k/$f"
	touch -d '1 hour ago' "$tmp/k/$f"
done
mkdir "$tmp/k/.box.set.Qq1234"
echo half >"$tmp/k/.box.set.Qq1234/tax.ndjson"
echo half >"$tmp/k/.box.set.Qq1234/.tax.ndjson.$dead.fotmp.AAAAAA"
ln -s .box.set.Qq1234 "$tmp/k/.box.$dead.fotmp.BBBBBB"
run fo-route -q $AS -o "$tmp/k/out" --rejects "$tmp/k/rej" --split "$tmp/k/box" \
    "$tmp/bad.ndjson"
check_eq "a rerun removes what killed runs left, and says so" \
    "1|fo-route: $tmp/k/.out.$dead.fotmp.AbCdEf: removed: a temporary file of a run that was killed (pid $dead)|fo-route: $tmp/k/.rej.$dead.fotmp.Zz0123: removed: a temporary file of a run that was killed (pid $dead)|fo-route: $tmp/k/.box.set.Qq1234: removed: a set of a run that was killed|fo-route: $tmp/k/.box.$dead.fotmp.BBBBBB: removed: a temporary file of a run that was killed (pid $dead)|fo-route: $tmp/bad.ndjson:4:2: bad literal, expected null" \
    "$rc|$(paste -sd'|' "$tmp/err")"
check_eq "what is not a killed run's temporary stays" \
    ".box.lock .box.set.X .out.$dead.fotmp.AbCdEf.keep .out.$dead.tmp.AbCdEf .out.PID.fotmp.AbCdEf .outx.$dead.fotmp.AbCdEf box out rej" \
    "$(ls -A "$tmp/k" | sed "s/set\\......./set.X/; s/\\.$$\\./.PID./" | sort | paste -sd' ' -)"

done_testing
