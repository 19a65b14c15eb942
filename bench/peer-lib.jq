# bench/peer-lib.jq - what the hand-written jq peers share (jq -L bench,
# include "peer-lib";): days, the business calendar of rules/route.yaml
# and its routes, payment dates from the terms. Written by hand for the
# shipped rules, not read from them.

# a YYYY-MM-DD text as a day number (days since 1970-01-01), else null
def dayn: if type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    then strptime("%Y-%m-%d") | mktime / 86400 | floor else null end;
def day_text: . * 86400 | strftime("%Y-%m-%d");

# route.yaml: Mon-Fri, 09:00-17:00 at +01:00, the holidays it lists
def holidays: ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14",
    "2026-05-25", "2026-10-03", "2026-12-24", "2026-12-25", "2026-12-26", "2026-12-31",
    "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-17",
    "2027-10-03", "2027-12-24", "2027-12-25", "2027-12-26", "2027-12-31"]
    | map(dayn) | map({key: tostring, value: true}) | from_entries;
# day 0 was a Thursday
def workday($h): ((. + 3) % 7) < 5 and ($h[tostring] | not);
# the route of an exception: [rule, queue, business days]
def route: {duplicate_suspect: ["duplicate", "ap_duplicates", 1],
    bank_rejection: ["bank_rejection", "treasury_payments", 1], short_payment: ["bank_rejection", "treasury_payments", 1],
    unapplied_cash: ["bank_rejection", "treasury_payments", 1], recon_break: ["bank_rejection", "treasury_payments", 1],
    match_ambiguous: ["bank_rejection", "treasury_payments", 1],
    blocked_vendor: ["vendor_master", "vendor_master", 2], vendor_master_mismatch: ["vendor_master", "vendor_master", 2],
    tax_mismatch: ["tax", "tax", 3],
    approval_missing: ["approvals", "ap_approvals", 2], amount_limit: ["approvals", "ap_approvals", 2], funds_check: ["approvals", "ap_approvals", 2],
    price_variance: ["price_quantity", "purchasing", 3], quantity_variance: ["price_quantity", "purchasing", 3], missing_po: ["price_quantity", "purchasing", 3],
    missing_receipt: ["receipt", "receiving", 5], date_variance: ["receipt", "receiving", 5],
    coding_error: ["accounting", "gl_accounting", 3], fx_missing: ["accounting", "gl_accounting", 3], manual_hold: ["accounting", "gl_accounting", 3]}[.]
    // ["default", "ap_triage", 1];
# the SLA's end: $n whole business days from the start of day $d (the
# hold's day, which counts when it is a workday), at 17:00 +01:00
def sla_end($d; $n; $h): last(limit($n; range($d; $d + 400) | select(workday($h))))
    | . * 86400 + 16 * 3600;
# a record's SLA end in seconds: from hold_date, else first_seen, else the
# as-of instant (23:59:59 UTC, 00:59:59 the next day at +01:00)
def sla($asofday; $h): ((.hold_date | dayn) // (.first_seen | dayn) // ($asofday + 1)) as $d
    | (.exception | route) as $r | sla_end($d; $r[2]; $h);
def ts: todate;

# payment dates: due_date, else net days of the terms text from
# baseline_date (else doc_date); the discount from discount_pct and
# discount_date, else from the terms ("2% 10 Net 30", "2/10 net 30")
def terms: strings | ascii_downcase
    | capture("^\\s*((?<p>[0-9]+(\\.[0-9]+)?)\\s*%?\\s*(/\\s*|\\s+)(?<dd>[0-9]+)\\s*,?\\s*)?(net\\s*(?<n>[0-9]+)(\\s+days)?)?\\s*$")
    | select(.p != null or .n != null);
def paydates: ((.baseline_date | dayn) // (.doc_date | dayn)) as $b | (.terms | terms // null) as $t
    | {due: ((.due_date | dayn) // (if $b and $t.n then $b + ($t.n | tonumber) else null end)),
       disc: (if (.discount_pct | type) == "number" and (.discount_date | dayn) then {pct: .discount_pct, d: (.discount_date | dayn)}
         elif $b and $t.p then {pct: ($t.p | tonumber), d: ($b + ($t.dd | tonumber))} else null end)};

# half-even to cents, for money in EUR
def cents: (. * 100) as $x | ($x | floor) as $i | ($x - $i) as $f
    | (if $f > 0.5 + 1e-9 then $i + 1 elif $f < 0.5 - 1e-9 then $i elif $i % 2 == 0 then $i else $i + 1 end) / 100;
