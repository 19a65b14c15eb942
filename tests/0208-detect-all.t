#!/bin/sh
# Auto-detection among every shipped profile: each fixture of
# testdata/ingest/NAME is read as NAME, each generic fixture as generic,
# and the profile is named on stderr. Folders not named after a profile
# (encodings, wrong-files) hold cases of their own tests.
. "$(dirname "$0")/lib.sh"

n=0
for dir in "$TD"/ingest/*/; do
	want=$(basename "$dir")
	[ -f "$FO_RULES/ingest/$want.yaml" ] || continue
	for f in "$dir"*.csv "$dir"*.txt; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		got=$(fo-ingest "$f" 2>&1 >/dev/null | sed -n \
		    's/^fo-ingest: .*: profile \([^ ,]*\) (detected).*/\1/p')
		check_eq "$want/$(basename "$f") is detected as $want" "$want" "$got"
	done
done
check "every shipped profile has fixtures (found $n)" [ "$n" -ge 16 ]
check_eq "nine profiles and the two statement readers ship" \
    "bank-csv camt coupa-invoices d365-vendor-invoices generic mt940 netsuite-bills oracle-ap-holds payment-status sap-fbl1n sap-mrbr" \
    "$(fo-ingest -l | awk '{ print $1 }' | paste -sd' ')"

for f in "$TD"/generic/*.csv "$TD"/generic/*.tsv; do
	got=$(fo-ingest -e windows-1252 "$f" 2>&1 >/dev/null | sed -n \
	    's/^fo-ingest: .*: profile \([^ ,]*\) (no profile matched).*/\1/p')
	check_eq "generic/$(basename "$f") matches no ERP profile" generic "$got"
done

done_testing
