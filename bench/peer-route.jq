# bench/peer-route.jq - fo-route's decisions written by hand in jq for
# rules/route.yaml: queue, route_rule, sla_hours, sla_due, review and
# escalate. Run as
#
#   jq -nc -L bench --arg asof 2026-11-21 -f bench/peer-route.jq records.ndjson
#
# Left out, so that it is if anything cheaper than fo-route: the
# review_reason and escalate_reason sentences (review and escalate say
# whether there is one). bench/compare.sh counts where it agrees.
include "peer-lib";

# the calendar once, then the records (jq -n: the program's head runs once)
($asof | dayn) as $today | holidays as $h | (($today + 1) * 86400 - 1) as $now |
inputs |
if .exception == null then . else
  (.exception | route) as $r | sla($today; $h) as $due |
  ((.hold_date | dayn) // (.doc_date | dayn)) as $since |
  (.discount_date | dayn) as $disc | (.due_date | dayn) as $net |
  . + {queue: $r[1],
       review: ((.confidence | numbers // 1) < 0.6
         or ((.amount_base | numbers // 0) | fabs) >= 50000
         or .sensitivity == "high"
         or ((.created_by | strings // "") != "" and (.approved_by | strings // "") != ""
             and (.created_by | ascii_downcase) == (.approved_by | ascii_downcase))),
       sla_hours: ($r[2] * 8),
       sla_due: ($due | ts),
       escalate: ($now > $due
         or ($disc != null and ($disc - $today) >= 0 and ($disc - $today) <= 5)
         or ($net != null and ($net - $today) <= 5)
         or ($since != null and ($today - $since) > 30)),
       route_rule: $r[0]}
end
