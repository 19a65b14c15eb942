# bench/lib.sh - shared by bench/run.sh, mem.sh, soak.sh and allocs.sh:
# sourced with B (build dir), here (bench/), top, work set.
ASOF=${FO_BENCH_ASOF:-2026-11-21}
RATES=$top/testdata/demo-rates.csv
export FO_RULES="$top/rules" LC_ALL=C

# the profile mix: name and weight out of 20 (records of each in a run)
MIX="ap:8 sap-mrbr:4 oracle-ap-holds:3 netsuite-bills:2 payment-status:2 bank-csv:1"

need() {
	for t; do
		[ -x "$B/$t" ] || { echo "bench: $B/$t missing: run make bench (it builds it)" >&2; exit 2; }
	done
}

# rows of profile $1 in a mix of $2 records
mixrows() {
	for pw in $MIX; do
		[ "${pw%%:*}" = "$1" ] && { echo $(( $2 * ${pw#*:} / 20 )); return; }
	done
}

# fo-ingest options for a profile of gen.awk
ingestopts() {
	if [ "$1" = ap ]; then echo "-p generic --numbers 1,234.56"; else echo "-p $1"; fi
}

# gen PROFILE ROWS VENDORS [SEED]: the CSV on stdout
gen() { awk -v p="$1" -v n="$2" -v vendors="$3" -v seed="${4:-}" -f "$here/gen.awk"; }

# mixgen DIR ROWS [SEED]: the mix of ROWS rows (ROWS / 50 vendors),
# each profile's CSV export in DIR/PROFILE.csv and what $B/fo-ingest
# reads of it in DIR/PROFILE.ndjson; the records merged (merge) on
# stdout.
mixgen() {
	for pw in $MIX; do
		p=${pw%%:*}
		gen "$p" "$(mixrows "$p" "$2")" $(($2 / 50)) "${3:-}" >"$1/$p.csv"
		# shellcheck disable=SC2046
		"$B/fo-ingest" -q $(ingestopts "$p") "$1/$p.csv" >"$1/$p.ndjson"
	done
	merge "$1"
}

# merge the per-profile NDJSON files in the mix's proportions, line by
# line (8 ap, 4 sap-mrbr, ... per 20 records), so that any prefix of the
# result has the mix; stdin-free, streams.
merge() {
	awk -v mix="$MIX" -v dir="$1" 'BEGIN {
		m = split(mix, a, " ")
		for (i = 1; i <= m; i++) { split(a[i], pw, ":"); f[i] = dir "/" pw[1] ".ndjson"; w[i] = pw[2]; live[i] = 1 }
		left = m
		while (left > 0)
			for (i = 1; i <= m; i++)
				for (k = 0; k < w[i] && live[i]; k++)
					if ((getline line < f[i]) > 0) print line
					else { live[i] = 0; left-- }
	}'
}

# rates file as a JSON object for the jq score program
ratesjson() {
	awk -F, '/^[A-Z][A-Z][A-Z],/ { printf "%s\"%s\":%s", (n++ ? "," : "{"), $1, $2 } END { print "}" }' "$RATES"
}

# the jq programs, generated from the rules files
jqprogs() {
	"$B/yaml2json" "$top/rules/classify.yaml" | jq -r -f "$here/jqgen-classify.jq" >"$1/classify.jq"
	"$B/yaml2json" "$top/rules/score.yaml" | jq -r -f "$here/jqgen-score.jq" >"$1/score.jq"
	"$B/yaml2json" "$top/rules/route.yaml" | jq -r -f "$here/jqgen-route.jq" >"$1/route.jq"
	"$B/yaml2json" "$top/rules/age.yaml" | jq -r --arg group queue -f "$here/jqgen-age.jq" >"$1/age.jq"
}

# repeat the lines of file $1 until $2 lines
replicate() {
	awk -v n="$2" '{ l[NR] = $0 } END { if (NR == 0) exit; for (i = 0; i < n; i++) print l[i % NR + 1] }' "$1"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# exact per-currency sums of the top-level "amount" of NDJSON records, in
# minor units, from the number as written (never through a double): one
# line "count N" then "CUR minor" per currency, sorted. The sum is carried
# in two parts (hi * 1e12 + lo, 0 <= lo < 1e12), exact far past 2^53.
# Only records whose exception is not null when $1 is "exceptions".
exactsums() {
	awk -v only="${1:-all}" '
	function add(c, v,   q) {
		lo[c] += v; q = int(lo[c] / 1e12); if (lo[c] - q * 1e12 < 0) q--
		hi[c] += q; lo[c] -= q * 1e12
	}
	{
		if (only == "exceptions" && (index($0, "\"exception\":null") || !index($0, "\"exception\":"))) next
		n++
		if (!match($0, /[{,]"amount":-?[0-9]+(\.[0-9]+)?[,}]/)) next
		a = substr($0, RSTART + 10, RLENGTH - 11)
		c = ""
		if (match($0, /[{,]"currency":"[^"]*"/)) c = substr($0, RSTART + 13, RLENGTH - 14)
		neg = (substr(a, 1, 1) == "-"); if (neg) a = substr(a, 2)
		d = index(a, "."); fr = d ? substr(a, d + 1) : ""; ip = d ? substr(a, 1, d - 1) : a
		sc[c] = length(fr) > sc[c] ? length(fr) : sc[c]
		# scale to 3 decimals (the most any ISO currency has) so that
		# one currency written with different scales still adds up
		while (length(fr) < 3) fr = fr "0"
		v = (ip fr) + 0
		add(c, neg ? -v : v)
	}
	END {
		print "count", n + 0
		for (c in lo) {
			if (hi[c] == 0) s = sprintf("%.0f", lo[c])
			else if (hi[c] > 0) s = sprintf("%.0f%012.0f", hi[c], lo[c])
			else if (lo[c] == 0) s = sprintf("%.0f000000000000", hi[c])
			else if (hi[c] == -1) s = sprintf("-%.0f", 1e12 - lo[c])
			else s = sprintf("-%.0f%012.0f", -hi[c] - 1, 1e12 - lo[c])
			print (c == "" ? "-" : c), s
		}
	}' | sort
}
