#!/bin/sh
# --help of every tool: the usage line (the one a usage error prints on
# stderr), then a line on each option. The options it describes are the
# manual's: the first of each line those of the SYNOPSIS, every form the
# entries of the manual's option list. And what a tool prints before it
# exits (--help, -V, fo-ingest -l, --explain-rules) on a full disk: exit
# 3, and says so, as for records.
. "$(dirname "$0")/lib.sh"

MAN=$(cd "$(dirname "$0")/../man" && pwd)
TOOLS="fo-ingest fo-match fo-classify fo-score fo-route fo-age"

# mdoc_flags: the options of every Fl macro on the lines read, one a
# line ("Fl hlqV" is -h -l -q -V, "Fl -as-of" is --as-of, "Fl a , -annotate"
# is -a and --annotate), sorted.
mdoc_flags() {
	awk '{
		fl = 0
		for (i = 2; i <= NF; i++) {
			if ($i == "Fl") { fl = 1; continue }
			if ($i ~ /^[A-Z][a-z]$/) { fl = 0; continue }
			if (!fl || $i == "," || $i == "|") continue
			if ($i ~ /^-/ || length($i) == 1) print "-" $i
			else for (k = 1; k <= length($i); k++)
				print "-" substr($i, k, 1)
		}
	}' | sort
}

# the SYNOPSIS's options
synopsis() {
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$MAN/$1.1" | grep '^\.Op Fl ' |
	    mdoc_flags
}

# the options of the entries of the option list (its first .Bl after
# "The options are as follows:" or .Sh OPTIONS; the lists inside it not)
option_list() {
	awk '/^The options are as follows:|^\.Sh OPTIONS/ { f = 1 }
	    f && /^\.Bl/ { d++ }
	    f && /^\.El/ { if (--d == 0) exit }
	    f && d == 1 && /^\.It Fl / { print }' "$MAN/$1.1" | mdoc_flags
}

# the options of --help's option lines: all forms, or the first of each
help_flags() {
	awk -v all="$2" '/^  +-/ {
		sub(/^ +/, ""); sub(/  .*/, "")
		for (i = 1; i <= NF && $i ~ /^-/; i++) {
			sub(/,$/, "", $i)
			print $i
			if (!all) break
		}
	}' "$1" | sort
}

for t in $TOOLS; do
	run "$t" --help
	check_eq "$t --help: exit 0, nothing on stderr" "0 " "$rc $(cat "$tmp/err")"
	sed '/^$/q' "$tmp/out" | sed '/^$/d' >"$tmp/usage"
	cp "$tmp/out" "$tmp/help"
	run "$t" --no-such-option
	check_eq "$t, a usage error: exit 2, nothing on stdout" "2 0" \
	    "$rc $(wc -c <"$tmp/out" | tr -d ' ')"
	sed -n '/^usage: /,$p' "$tmp/err" >"$tmp/usage-err"
	check_same "$t --help begins with the usage line of a usage error" \
	    "$tmp/usage-err" "$tmp/usage"
	check_eq "$t --help: lines of 80 columns at most" "" \
	    "$(awk 'length > 80' "$tmp/help")"
	synopsis "$t" >"$tmp/syn"
	check "$t: the SYNOPSIS has options" [ -s "$tmp/syn" ]
	help_flags "$tmp/help" "" >"$tmp/first"
	check_same "$t --help: an option a line, those of the SYNOPSIS" \
	    "$tmp/syn" "$tmp/first"
	option_list "$t" >"$tmp/list"
	help_flags "$tmp/help" 1 >"$tmp/all"
	check_same "$t --help: every form, those of the manual's option list" \
	    "$tmp/list" "$tmp/all"
	check_eq "$t --help names the manual" "The full reference: $t(1)." \
	    "$(tail -n 1 "$tmp/help")"
	run "$t" -V
	check_eq "$t -V: the version on stdout, exit 0" "0 $t 0.1.0" \
	    "$rc $(cat "$tmp/out")"
done

# full CMD...: on a full disk, exit 3 and the message as the last line
full() {
	rc=0
	"$@" >/dev/full 2>"$tmp/err" || rc=$?
	check_eq "$* >/dev/full: exit 3, says so" \
	    "3 $1: <stdout>: write: No space left on device" \
	    "$rc $(tail -n 1 "$tmp/err")"
}
if [ -w /dev/full ]; then
	for t in $TOOLS; do
		full "$t" -V
		full "$t" --help
	done
	full fo-ingest -l
	full fo-classify --explain-rules
	full fo-route --explain-rules
else
	for t in $TOOLS; do
		ok "# SKIP no /dev/full ($t -V)"
		ok "# SKIP no /dev/full ($t --help)"
	done
	ok "# SKIP no /dev/full (fo-ingest -l)"
	ok "# SKIP no /dev/full (fo-classify --explain-rules)"
	ok "# SKIP no /dev/full (fo-route --explain-rules)"
fi

done_testing
