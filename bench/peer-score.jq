# bench/peer-score.jq - fo-score's decisions written by hand in jq for
# rules/score.yaml: priority, priority_band, priority_factors (each
# factor's points), amount_base and base_currency. Run as
#
#   jq -nc -L bench --argjson rates '{"EUR":1,"USD":0.92,...}' \
#       --arg asof 2026-11-21 -f bench/peer-score.jq records.ndjson
#
# Left out, so that it is if anything cheaper than fo-score: the
# priority_reasons sentences, the vendor master (the bench runs without
# --vendors: blocked_vendor and bank_mismatch are 0), SAP's ZBD terms
# under extra (none in the bench data). Money is in doubles, rounded
# half-even to cents: a product that lands on a half cent may round the
# other way. bench/compare.sh counts where it agrees with fo-score.
include "peer-lib";

def band($b; $v): reduce ($b[] | select(.[0] <= $v)) as $x (0; $x[1]);
# the calendar once, then the records (jq -n: the program's head runs once)
($asof | dayn) as $today | holidays as $h |
inputs |
if .exception == null then . else
  (.amount | numbers // null) as $amt | (if .currency == "EUR" then 1 else $rates[.currency | strings // ""] end) as $rate |
  (if $amt != null and $rate != null then $amt * $rate | cents else null end) as $ab |
  paydates as $pd |
  ((.hold_date | dayn) // (.doc_date | dayn)) as $since |
  {amount: (if $ab then band([[0, 0], [500, 2], [2500, 5], [10000, 8], [50000, 12], [100000, 16], [500000, 20]]; $ab | fabs) else 0 end),
   vendor_tier: ({strategic: 10, preferred: 6, standard: 3, tail: 0}[.vendor_tier | strings // ""] // 3),
   due: (if $pd.due then ($pd.due - $today) as $d
       | if $d <= -31 then 15 elif $d <= -1 then 13 elif $d <= 2 then 10 elif $d <= 7 then 6 elif $d <= 14 then 3 else 0 end
     else 0 end),
   discount: (if $pd.disc and $ab and .doc_type != "credit_memo" and $pd.disc.pct > 0
       and ($pd.disc.d - $today) >= 0 and ($pd.disc.d - $today) <= 5
     then band([[0.01, 3], [50, 6], [250, 9], [1000, 12], [5000, 15]]; $ab * $pd.disc.pct / 100 | fabs | cents) else 0 end),
   age: (if $since then band([[8, 1], [15, 2], [30, 4], [60, 5]]; $today - $since) else 0 end),
   sla_risk: (if (.hold_date // .first_seen) and sla($today; $h) < ($today + 1) * 86400 - 1 then 4 else 0 end),
   duplicate: (if (.duplicate_score | numbers // 0) > 0 and $ab
     then band([[0.01, 2], [1000, 5], [10000, 8], [50000, 10]]; .duplicate_score * $ab | fabs | cents) else 0 end),
   sensitivity: ({low: 0, medium: 2, high: 5}[.sensitivity | strings // ""] // 0),
   class: ({duplicate_suspect: 6, bank_rejection: 6, match_ambiguous: 3, vendor_master_mismatch: 6,
       blocked_vendor: 5, funds_check: 4, approval_missing: 3, missing_receipt: 3, price_variance: 2,
       quantity_variance: 2, tax_mismatch: 2, amount_limit: 2, fx_missing: 2, coding_error: 1,
       date_variance: 1, manual_hold: 1}[.exception] // 1),
   blocked_vendor: 0, bank_mismatch: 0} as $f |
  ([$f[]] | add) as $p |
  . + {priority: $p, priority_band: (if $p >= 40 then "P1" elif $p >= 25 then "P2" elif $p >= 12 then "P3" else "P4" end),
       priority_factors: $f}
  | if $ab then . + {amount_base: $ab, base_currency: "EUR"} else . end
end
