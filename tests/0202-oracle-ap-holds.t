#!/bin/sh
# The shipped oracle-ap-holds profile: Oracle Payables holds report, one
# row per hold; title lines and the report trailer skipped, hold reasons
# with commas and newlines, DD-MON-YYYY, DD-MON-YY and dates with a time,
# (250.00), 3-decimal currencies; exact records, rejects and messages.
. "$(dirname "$0")/lib.sh"

G=$TD/ingest/oracle-ap-holds

# golden NAME STATUS [args...]: see ingest_golden in lib.sh
golden() { ingest_golden "$G" "$@"; }

# Without -p: the header signature picks the profile.
golden holds 1 holds.csv
check_eq "detected among the shipped profiles" \
    "fo-ingest: holds.csv: profile oracle-ap-holds (detected), delimiter ',', encoding utf-8" \
    "$(head -n 1 "$G/holds.err")"
check_eq "title lines, blank lines and the End of Report trailer skipped" \
    "fo-ingest: 17 rows, 9 records, 2 rejected, 6 skipped" "$(tail -n 1 "$G/holds.err")"

# -p names it: the same records, and no "(detected)".
cd "$G" && run fo-ingest -p oracle-ap-holds holds.csv && cd - >/dev/null
check_same "-p oracle-ap-holds: same records" "$G/holds.out" "$tmp/out"
check_eq "-p oracle-ap-holds: says the profile" \
    "fo-ingest: holds.csv: profile oracle-ap-holds, delimiter ',', encoding utf-8" \
    "$(head -n 1 "$tmp/err")"

# One row per hold: two holds on one invoice are two records, and a hold
# released and placed again is a new exception (the hold date is a key).
check_eq "two holds on one invoice: two ids" \
    "oracle-ap-holds:US1 BU:10442:NF-2291:PRICE:06-OCT-2026 09:14:02|oracle-ap-holds:US1 BU:10442:NF-2291:QTY REC:06-OCT-2026 09:14:02" \
    "$(jq -r 'select(.doc_number == "NF-2291") | .id' "$G/holds.out" | paste -sd'|')"
check_eq "released, then placed again: two ids, the release in extra" \
    "2026-09-29 HOLDS QUICK RELEASED|2026-10-05 " \
    "$(jq -r 'select(.doc_number == "NF-2240") | .hold_date + " " + .extra."Release Name"' "$G/holds.out" | paste -sd'|')"
check_eq "ids are unique" 9 "$(jq -r .id "$G/holds.out" | sort -u | wc -l | tr -d ' ')"
check_eq "hold codes: Oracle's own, user-defined ones too" \
    "PRICE,QTY REC,QTY REC,QTY REC,TAX VARIANCE,AP MGR REVIEW,PRICE,DIST VARIANCE,AMOUNT" \
    "$(jq -r '.hold_codes[]' "$G/holds.out" | paste -sd,)"

# Money exact, with each currency's minor units (jq would print doubles).
check_eq "amounts: (250.00) negative, KWD and BHD with 3 decimals" \
    '12480.00 12480.00 3100.00 3100.00 -250.00 8920.40 1250.125 -75.500 45600.00' \
    "$(grep -o '"amount":[^,]*' "$G/holds.out" | cut -d: -f2 | paste -sd' ')"

# Dates: DD-MON-YYYY, the hold date's time dropped, DD-MON-YY due dates.
check_eq "dates of the KWD hold" "2026-10-20 2026-11-19 2026-10-21" \
    "$(jq -r 'select(.currency == "KWD") | "\(.doc_date) \(.due_date) \(.hold_date)"' "$G/holds.out")"

# A quoted hold reason keeps its comma and newline; the next row's line
# number counts the newline.
check_eq "multi-line hold reason kept under extra" \
    '"Vendor disputes freight charge.\nHold until credit note arrives, see ticket AP-7781" 12 14' \
    "$(jq -c 'select(.hold_codes == ["AP MGR REVIEW"]) | .extra."Hold Reason"' "$G/holds.out") $(jq -r 'select(.hold_codes == ["AP MGR REVIEW"]) | .source_line' "$G/holds.out") $(jq -r 'select(.currency == "KWD") | .source_line' "$G/holds.out")"

# The same input gives the same bytes: ids are stable between runs.
cd "$G" && fo-ingest -q holds.csv >"$tmp/a" 2>/dev/null; fo-ingest -q holds.csv >"$tmp/b" 2>/dev/null
cd - >/dev/null
check_same "two runs, same bytes" "$tmp/a" "$tmp/b"

done_testing
