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

# A holds report without Business Unit, its dates with two-digit years
# (05-OCT-26, the NLS default DD-MON-RR), one hold date in ISO 8601: the
# ids fall back to supplier, invoice, hold and date, said once; 26 is
# 2026 (fo-ingest(1), Dates); a three-digit year is rejected.
golden holds-yy 1 holds-yy.csv
check_eq "no Business Unit: ids and documents without it" \
    "oracle-ap-holds:10447:NF-3391:PRICE:06-OCT-26 09:14:02 oracle-ap-holds:10447:NF-3391" \
    "$(jq -r 'select(.source_line == 5) | "\(.id) \(.doc_id)"' "$G/holds-yy.out")"
check_eq "two-digit years: 2026" "2026-10-05 2026-11-04 2026-10-06" \
    "$(jq -r 'select(.source_line == 5) | "\(.doc_date) \(.due_date) \(.hold_date)"' "$G/holds-yy.out")"

# An extract of the table itself, its columns as AP_HOLDS_ALL names them
# (Oracle's table reference: SOURCES): HOLD_LOOKUP_CODE, HOLD_DATE,
# HELD_BY, ORG_ID; no supplier, no invoice number, only INVOICE_ID,
# which the profile's key accepts in the invoice's place. The second
# PRICE hold of invoice 10023 (another shipment, LINE_LOCATION_ID 5533)
# has the same key and gets :2.
golden ap-holds-all 1 ap-holds-all.csv
check_eq "AP_HOLDS_ALL: detected by its column names" \
    "fo-ingest: ap-holds-all.csv: profile oracle-ap-holds (detected), delimiter ',', encoding utf-8" \
    "$(head -n 1 "$G/ap-holds-all.err")"
check_eq "AP_HOLDS_ALL: ids of ORG_ID, INVOICE_ID, hold and date" \
    "oracle-ap-holds:204:10023:PRICE:06-OCT-26|oracle-ap-holds:204:10023:QTY REC:06-OCT-26|oracle-ap-holds:204:10023:PRICE:06-OCT-26:2|oracle-ap-holds:204:10031:AMOUNT:10-OCT-26|oracle-ap-holds:458:10040:AP MGR REVIEW:02-NOV-26" \
    "$(jq -r .id "$G/ap-holds-all.out" | paste -sd'|')"
fo-classify -q "$G/ap-holds-all.out" >"$tmp/c"
check_eq "AP_HOLDS_ALL: a RELEASE_LOOKUP_CODE is a released hold, no exception" \
    "price_variance|missing_receipt|price_variance|null|manual_hold" \
    "$(jq -r '.exception' "$tmp/c" | paste -sd'|')"
check_eq "every hold record says it comes from an exception list" "exceptions" \
    "$(jq -r .listing "$G/holds.out" "$G/holds-yy.out" "$G/ap-holds-all.out" | sort -u)"

done_testing
