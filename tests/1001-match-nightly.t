#!/bin/sh
# examples/nightly.sh with a bank statement and the ledger's open items
# in the inbox: the bank lines go through fo-match before fo-classify, a
# settled line reaches no queue, the return of a payment is a bank
# rejection, the open items come back with their verdicts, and every
# record is accounted for. Verdicts worked out by hand from
# testdata/ingest/bank-csv/statement-en.csv and testdata/match/stmt-items.ndjson
# (as tests/1000-match.t has them).
. "$(dirname "$0")/lib.sh"

N=$(cd "$(dirname "$0")/../examples" && pwd)/nightly.sh
mkdir -p "$tmp/inbox"
cp "$TD/ingest/sap-mrbr/clean.csv" "$TD/ingest/bank-csv/statement-en.csv" \
    "$tmp/inbox/"
cp "$TD/match/stmt-items.ndjson" "$tmp/inbox/open-items.ndjson"
export FO_RATES="$TD/demo-rates.csv"
D=$tmp/night/2026-11-21

run sh "$N" "$tmp/inbox" "$tmp/night" 2026-11-21
check_eq "exit 0" 0 "$rc"
for f in matched items match reconciled; do
	check "$f.ndjson written" [ -s "$D/$f.ndjson" ]
done
check_eq "the six bank lines matched, the three open items back" "6 3" \
    "$(wc -l <"$D/matched.ndjson" | tr -d ' ') $(wc -l <"$D/items.ndjson" | tr -d ' ')"
check_eq "every ingested record classified, none lost" \
    "$(wc -l <"$D/ingested.ndjson" | tr -d ' ')" \
    "$(wc -l <"$D/routed.ndjson" | tr -d ' ')"
check_eq "the bank lines after fo-route: exception and queue" \
    "bank-csv:17642e3902b8a540 null null
bank-csv:03cf59dd2f5bf5be null null
bank-csv:1d57c7145d7b7649 bank_rejection treasury_payments
bank-csv:aba85f3cdf11ddff recon_break treasury_payments
bank-csv:5602342e228e8451 recon_break treasury_payments
bank-csv:ece0ab9db6af2d32 unapplied_cash treasury_payments" \
    "$(jq -r 'select(.doc_type == "bank_line") | "\(.id) \(.exception) \(.queue)"' "$D/routed.ndjson")"
check_eq "a settled line is in no queue file" "0" \
    "$(cat "$D/queues/"*.ndjson | jq -r .id | grep -c -e 17642e3902b8a540 -e 03cf59dd2f5bf5be)"
check_eq "the open item paid tonight is settled" "ap:F-2026-0311 matched" \
    "$(jq -r 'select(.match_status == "matched") | "\(.id) \(.match_status)"' "$D/items.ndjson")"

# without open items the night is as before: no fo-match
rm "$tmp/inbox/open-items.ndjson"
run sh "$N" "$tmp/inbox" "$tmp/night" 2026-11-22
check_eq "no open items: exit 0, no match files, no match keys" "0 no 0" \
    "$rc $([ -e "$tmp/night/2026-11-22/matched.ndjson" ] && echo yes || echo no) $(grep -c match_status "$tmp/night/2026-11-22/routed.ndjson")"

done_testing
