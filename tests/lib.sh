# tests/lib.sh - shared by the TAP scripts: a clean environment, a temp
# dir, and exact comparisons that show a diff on failure.
set -u
export LC_ALL=C TZ=UTC
: "${FO_BIN:?run the tests with make check}"
PATH=$FO_BIN:$PATH
TD=${FO_TESTDATA:-$(cd "$(dirname "$0")/../testdata" && pwd)}
SH=${FO_SHARED:-$(cd "$(dirname "$0")/../../shared" && pwd)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fo-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tap_n=0
tap_failed=0

plan() { echo "1..$1"; }

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
}

# check NAME COMMAND...: passes when the command succeeds.
check() {
	_check_name=$1
	shift
	if "$@"; then ok "$_check_name"; else not_ok "$_check_name"; fi
}

# check_same NAME EXPECTED_FILE ACTUAL_FILE: exact bytes, diff on failure.
check_same() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		diff -u "$2" "$3" | sed 's/^/# /' | head -60
	fi
}

# check_eq NAME EXPECTED ACTUAL: exact strings.
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		printf '# want: %s\n# got:  %s\n' "$2" "$3" | head -40
	fi
}

# run CMD...: stdout to $tmp/out, stderr to $tmp/err, status to $rc.
run() {
	rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
}

# run_in INPUT_FILE CMD...: the same with stdin from a file.
run_in() {
	in=$1; shift
	rc=0
	"$@" <"$in" >"$tmp/out" 2>"$tmp/err" || rc=$?
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
