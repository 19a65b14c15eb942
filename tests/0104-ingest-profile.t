#!/bin/sh
# A customer profile using every profile key (testdata/profiles/rules):
# header found after a preamble, per-column styles, flag columns, key
# columns, constants, minor units; detection among several profiles.
. "$(dirname "$0")/lib.sh"

P=$TD/profiles
export FO_RULES="$P/rules"

cd "$P" || exit 1
run fo-ingest --rejects "$tmp/rej" acme-holds.csv
cd - >/dev/null || exit 1
check_eq "acme-holds: exit 1 (one empty key)" 1 "$rc"
check_same "acme-holds: records" "$P/acme-holds.out" "$tmp/out"
check_same "acme-holds: messages" "$P/acme-holds.err" "$tmp/err"
check_same "acme-holds: rejects" "$P/acme-holds.rej" "$tmp/rej"
check_eq "two holds on one invoice: two ids" \
    "acme-holds:S-1:INV-1:H1 acme-holds:S-1:INV-1:H2" \
    "$(jq -r .id "$tmp/out" | head -n 2 | paste -sd' ')"

# each file of one call gets its own profile
run fo-ingest "$P/acme-holds.csv" "$TD/generic/bom-crlf.csv"
check_eq "two profiles in one call" "acme-holds generic" \
    "$(jq -r .source "$tmp/out" | uniq | paste -sd' ')"
check_eq "each file says its profile" \
    "fo-ingest: $P/acme-holds.csv: profile acme-holds (detected), delimiter ';', encoding utf-8|fo-ingest: $TD/generic/bom-crlf.csv: profile generic (no profile matched), delimiter ',' (sniffed), encoding utf-8" \
    "$(grep ': profile ' "$tmp/err" | paste -sd'|')"

# -p forces a profile; --numbers then beats the profile's column style
run fo-ingest -q -p acme-holds --numbers 1.234,56 "$P/acme-holds.csv"
check_eq "--numbers over a column's own style: both 1,000.500 rejected" \
    "1 2" "$rc $(grep -c inv_qty "$tmp/err")"

# a key column the header lacks: the ids fall back, said once for the
# file. Left are vendor_id, which does not name the document by itself,
# so the ids are entity (a constant), vendor_id and doc_number; the two
# holds of INV-1 then share a key, and the second gets :2. H4's empty
# invoice number is a key still, and rejected.
mkdir -p "$tmp/rules/ingest"
sed 's/^keys: .*/keys: [vendor_id, Line No]/' "$P/rules/ingest/acme-holds.yaml" \
    >"$tmp/rules/ingest/acme-holds.yaml"
FO_RULES=$tmp/rules run fo-ingest -p acme-holds "$P/acme-holds.csv"
check_eq "missing key column: said once, at the header" \
    "1 fo-ingest: $P/acme-holds.csv:4: key column 'Line No' of profile acme-holds is not in the header: ids are acme-holds:<entity>:<vendor_id>:<doc_number>, :2, :3 added to a repeat" \
    "$(grep -c "not in the header" "$tmp/err") $(grep "not in the header" "$tmp/err")"
check_eq "missing key column: ids of entity, vendor and invoice, a repeat :2" \
    "acme-holds:DE01:S-1:INV-1 acme-holds:DE01:S-1:INV-1:2 acme-holds:DE01:S-2:INV-9" \
    "$(jq -r .id "$tmp/out" | paste -sd' ')"
check_eq "missing key column: accounted for" \
    "1 fo-ingest: 7 rows, 3 records, 1 rejected, 3 skipped" "$rc $(tail -n 1 "$tmp/err")"

# a header that never comes: the file is one reject, not silence
printf 'Acme ERP - Hold report\nno header here\n' >"$tmp/nohdr.csv"
run fo-ingest -p acme-holds --rejects "$tmp/rej" "$tmp/nohdr.csv"
check_eq "no header row: exit 1, one reject" \
    "1 no header row found (profile acme-holds)" \
    "$rc $(jq -r .error "$tmp/rej")"

done_testing
