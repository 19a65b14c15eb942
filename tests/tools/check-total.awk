# check-total.awk - the one line that ends make check: the tests of every
# prove run named (its output, tee'd to a log), passed and failed, from
# prove's own summary: "Files=N, Tests=N" and, per script that did not
# pass, "(Wstat: W Tests: N Failed: N)". A failed test counts once; a
# script that failed with no failed test (it died, exited non-zero or
# broke its plan) counts one failure too; a log with no summary (prove
# stopped, or never ran) counts one.
function flush() {
	if (script && nfail == 0 && broken)
		failed++
	script = broken = nfail = 0
}
FNR == 1 {
	flush()
}
/^[^ ].* \(Wstat: .* Tests: [0-9]+ Failed: [0-9]+\)$/ {
	flush()
	script = 1
	nfail = $NF
	sub(/\)$/, "", nfail)
	nfail += 0
	failed += nfail
	tests_failed += nfail
	next
}
/^  (Parse errors|Non-zero exit status|Non-zero wait status):/ {
	broken = 1
	next
}
/^Files=[0-9]+, Tests=[0-9]+,/ {
	flush()
	n = $2
	sub(/^Tests=/, "", n)
	sub(/,$/, "", n)
	tests += n
	summaries++
}
END {
	flush()
	if (summaries < ARGC - 1)
		failed += ARGC - 1 - summaries
	printf "check: %d passed, %d failed\n", tests - tests_failed, failed
	exit failed > 0
}
