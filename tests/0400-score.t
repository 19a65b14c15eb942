#!/bin/sh
# fo-score with the shipped model (rules/score.yaml) on records shaped
# as fo-classify writes them (testdata/score), as of 2026-11-21: the
# orderings a finance lead expects, factors that add up to the priority,
# exact currency conversion, the vendor master in CSV and NDJSON, every
# mistake in a rates, vendors or rules file reported with its position,
# and the exit codes.
. "$(dirname "$0")/lib.sh"

S=$TD/score
DAY=2026-11-21
cd "$S" || exit 1
run fo-score --as-of $DAY --rates rates.csv --vendors vendors.csv \
    --rejects "$tmp/rej" records.ndjson
cd - >/dev/null || exit 1
check_eq "exit 1: some lines are rejected" 1 "$rc"
check_same "records" "$S/records.out" "$tmp/out"
check_same "messages" "$S/records.err" "$tmp/err"
check_same "rejects" "$S/records.rej" "$tmp/rej"
cp "$tmp/out" "$tmp/scored"

# prio ID: the priority and band of a record of the golden output
prio() {
	jq -r --arg id "$1" 'select(.id == $id) |
	    "\(.priority) \(.priority_band)"' "$S/records.out"
}
# base ID: amount_base as written (jq would print 1135.8)
base() {
	grep -F "\"id\":\"$1\"" "$S/records.out" |
	    sed 's/.*"amount_base":\([^,}]*\).*/\1/'
}

# the orderings
big=sap-mrbr:1000:5105600101:2026:000001
small=sap-mrbr:1000:5105600102:2026:000001
check_eq "a strategic supplier's 50,000 EUR invoice, discount ending tomorrow: P1" \
    "42 P1" "$(prio $big)"
check_eq "a tail supplier's 300 EUR one on the same terms: P4" \
    "11 P4" "$(prio $small)"
check_eq "overdue beats the same invoice not yet due" "30 P2 17 P3" \
    "$(prio 'oracle-ap-holds:US1:INV-7001:QTY REC') $(prio 'oracle-ap-holds:US1:INV-7002:QTY REC')"
check_eq "the queue, highest first: the suspected fraud and the discount (42, by id), the duplicate" \
    "d365:USMF:V-BLK-77 $big coupa:INV-5521" \
    "$(jq -sr '[.[] | select(.priority)] | sort_by(-.priority, .id) |
        .[0:3] | map(.id) | join(" ")' "$S/records.out")"
check_eq "a discount whose last day has passed scores nothing (it is lost)" \
    "0 3" "$(jq -r 'select(.id == "generic:lost-discount") |
        "\(.priority_factors.discount) \(.priority_factors.due)"' "$S/records.out")"
check_eq "a credit memo has no discount to lose, but its amount is at stake" \
    "0 5 -5000.00" "$(jq -r 'select(.doc_type == "credit_memo") |
        "\(.priority_factors.discount) \(.priority_factors.amount)"' \
        "$S/records.out") $(base sap-mrbr:1000:5105600150:2026:000001)"

# exact factor sums
check_eq "every factor listed, in the model's order, zeros included" \
    "amount vendor_tier due discount age sla_risk duplicate sensitivity class blocked_vendor bank_mismatch" \
    "$(jq -r 'select(.priority) | .priority_factors | keys_unsorted | join(" ")' \
        "$S/records.out" | sort -u)"
check_eq "priority = the sum of priority_factors, for every record" "18 0" \
    "$(jq -s '[.[] | select(.priority)] | length,
        map(select(.priority != ([.priority_factors[]] | add))) | length' \
        "$S/records.out" | paste -sd' ')"
# (and one more when the amount has no rate: the reason says so)
check_eq "a reason for every factor that scores, none for the others" "0" \
    "$(jq -s 'map(select(.priority) | select((.priority_reasons |
        map(select(startswith("amount: unknown") | not)) | length) !=
        ([.priority_factors[] | select(. != 0)] | length))) | length' \
        "$S/records.out")"
check_eq "the discount in money, and when it is lost" \
    "discount: 2% = 1000.00 EUR, last day 2026-11-22 (in 1 day; terms from baseline_date)" \
    "$(jq -r --arg id $big 'select(.id == $id) | .priority_reasons[2]' "$S/records.out")"
check_eq "SAP ZBD1T/ZBD1P under extra: the discount's last day is today" \
    "discount: 3% = 120.00 EUR, last day 2026-11-21 (today; ZBD1T/ZBD1P from baseline_date)" \
    "$(jq -r 'select(.id == "sap-mrbr:1000:5105600140:2026:000001") |
        .priority_reasons[2]' "$S/records.out")"
check_eq "an SAP vendor id with its zeros is found in a master without them" \
    "vendor_tier: strategic (vendor master)" \
    "$(jq -r --arg id $big 'select(.id == $id) | .priority_reasons[1]' "$S/records.out")"
check_eq "the record's own vendor_tier wins over the vendor master's" \
    "vendor_tier: preferred (record)" \
    "$(jq -r 'select(.id == "generic:tier-in-record") | .priority_reasons[1]' "$S/records.out")"
check_eq "blocked in the vendor master, and an IBAN that is not the master's" \
    "4 6" "$(jq -r 'select(.id == "d365:USMF:V-BLK-77") |
        "\(.priority_factors.blocked_vendor) \(.priority_factors.bank_mismatch)"' \
        "$S/records.out")"
check_eq "duplicate exposure: duplicate_score x amount" \
    "duplicate: 0.95 x 24800.00 EUR = 23560.00 EUR exposed" \
    "$(jq -r 'select(.id == "coupa:INV-5521") | .priority_reasons[3]' "$S/records.out")"

# money: exact conversion, rounded half-even once, minor units of each
check_eq "1234.56 USD x 0.92 = 1135.7952: 1135.80 EUR" "1135.80" "$(base generic:usd-1)"
check_eq "0.10 GBP x 1.15 = 0.115: 0.12 (half-even, up to even)" "0.12" \
    "$(base generic:gbp-up)"
check_eq "0.30 GBP x 1.15 = 0.345: 0.34 (half-even, down to even)" "0.34" \
    "$(base generic:gbp-down)"
check_eq "123457 JPY (0 decimals) x 0.0061 = 753.0877: 753.09" "753.09" \
    "$(base generic:jpy)"
check_eq "1.250 KWD (3 decimals) x 2.987654 = 3.7345675: 3.73" "3.73" \
    "$(base generic:kwd)"
check_eq "1.5% of 20000.00 USD at 0.92, rounded once: 276.00 EUR" \
    "discount: 1.5% = 276.00 EUR, last day 2026-11-24 (in 3 days)" \
    "$(jq -r 'select(.id == "d365:USMF:V-STD-88") | .priority_reasons[2]' "$S/records.out")"
cd "$S" || exit 1
run fo-score -q --as-of $DAY --rates rates.yaml ties.ndjson
cd - >/dev/null || exit 1
check_eq "ties, YAML rates: 0.125 -> 0.12, 0.135 -> 0.14, negatives alike; VND at 7 decimals" \
    "usd 1135.80 chf-0.125 0.12 chf-0.135 0.14 chf--0.125 -0.12 chf--0.135 -0.14 vnd 361.00" \
    "$(sed 's/^{"id":"\([^"]*\)".*"amount_base":\([^,}]*\).*/\1 \2/' "$tmp/out" | paste -sd' ')"
check_eq "an amount with more decimals than its currency: rejected, never rounded" \
    "1 ties.ndjson:7:43: amount 0.005: too many decimals: 3, at most 2" \
    "$rc $(sed -n 's/^fo-score: //p' "$tmp/err")"
sed 's/^base_currency: EUR/base_currency: JPY/' "$FO_RULES/score.yaml" >"$tmp/jpy.yaml"
printf 'EUR,125\n' >"$tmp/eur.csv"
printf '{"id":"a","currency":"EUR","amount":0.02,"exception":"other"}\n{"id":"b","currency":"EUR","amount":0.06,"exception":"other"}\n{"id":"c","currency":"JPY","amount":7,"exception":"other"}\n' |
    fo-score -q -r "$tmp/jpy.yaml" --rates "$tmp/eur.csv" --as-of $DAY >"$tmp/out"
check_eq "base JPY: 0.02 EUR x 125 = 2.5 -> 2, 0.06 x 125 = 7.5 -> 8, no decimals" \
    "2 JPY 8 JPY 7 JPY" \
    "$(sed 's/.*"amount_base":\([^,]*\),"base_currency":"\([A-Z]*\)".*/\1 \2/' "$tmp/out" | paste -sd' ')"
printf '{"id":"a","currency":"USD","amount":1.00,"exception":"other"}\n{"id":"b","currency":"EUR","amount":1.00,"exception":"other"}\n' >"$tmp/two.ndjson"
run fo-score --as-of $DAY "$tmp/two.ndjson"
check_eq "no --rates: the USD amount is never guessed, but its exception is scored and kept, exit 0" \
    "0 2 null \"amount\":1.00" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ') $(head -n 1 "$tmp/out" | jq -r '.amount_base') $(head -n 1 "$tmp/out" | grep -o '"amount":[0-9.]*' | head -n 1)"
check_eq "no --rates: the reason says why the amount counts for nothing" \
    "amount: unknown, no rate for USD to EUR (no --rates): 0 points for the amount" \
    "$(head -n 1 "$tmp/out" | jq -r '.priority_reasons[0]')"
check_eq "no --rates: the run counts it" \
    "fo-score: 1 exception without a rate to EUR: scored with the amount factor unknown" \
    "$(head -n 1 "$tmp/err")"

# not exceptions: through as read
check_eq "exception null, or no exception key: passed through byte for byte" \
    "$(grep -e '"exception":null' -e '"id":"generic:raw"' "$S/records.ndjson")" \
    "$(grep -e '"exception":null' -e '"id":"generic:raw"' "$S/records.out")"

# the vendor master as NDJSON gives the same bytes
cd "$S" || exit 1
run fo-score -q --as-of $DAY --rates rates.csv --vendors vendors.ndjson records.ndjson
cd - >/dev/null || exit 1
check_same "vendors.ndjson scores as vendors.csv" "$S/records.out" "$tmp/out"

# the same bytes: twice, in another time zone and locale, split in parts
cd "$S" || exit 1
TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 fo-score -q --as-of $DAY --rates rates.csv \
    --vendors vendors.csv records.ndjson >"$tmp/tz" 2>/dev/null
FO_AS_OF=$DAY fo-score -q --rates rates.csv --vendors vendors.csv \
    records.ndjson >"$tmp/env" 2>/dev/null
FO_AS_OF=1999-01-01 fo-score -q --as-of $DAY --rates rates.csv \
    --vendors vendors.csv records.ndjson >"$tmp/wins" 2>/dev/null
split -l 7 records.ndjson "$tmp/part."
for p in "$tmp"/part.*; do
	fo-score -q --as-of $DAY --rates rates.csv --vendors vendors.csv "$p" \
	    2>/dev/null
done >"$tmp/parts"
cd - >/dev/null || exit 1
check_same "same bytes with TZ and LC_ALL changed" "$S/records.out" "$tmp/tz"
check_same "FO_AS_OF gives the as-of date" "$S/records.out" "$tmp/env"
check_same "--as-of wins over FO_AS_OF" "$S/records.out" "$tmp/wins"
check_same "in parts (as under GNU parallel): the same records" \
    "$S/records.out" "$tmp/parts"

# idempotent: score(score(x)) = score(x)
grep -v '^not json$' "$tmp/scored" >"$tmp/again.in"
cd "$S" && fo-score -q --as-of $DAY --rates rates.csv --vendors vendors.csv \
    "$tmp/again.in" >"$tmp/again.out" 2>/dev/null; cd - >/dev/null
check_same "idempotent: score(score(x)) = score(x)" "$tmp/again.in" "$tmp/again.out"
printf '{"id":"x","exception":"other","amount_base":5.00,"base_currency":"EUR"}\n' |
    fo-score -q --as-of $DAY >"$tmp/out"
check_eq "no amount now: an earlier amount_base does not stay" \
    '"amount_base":null,"base_currency":null,"priority":4' \
    "$(grep -o '"amount_base".*"priority":[0-9]*' "$tmp/out")"

# every mistake of a rates, vendors or rules file, with its position
for f in bad-rates.csv bad-rates.yaml bad-vendors.csv bad-vendors.ndjson; do
	case $f in
	*rates*) opt=--rates ;;
	*) opt=--vendors ;;
	esac
	cd "$S" && run fo-score $opt $f records.ndjson && cd - >/dev/null
	check_eq "$f: exit 2, nothing read" "2 0" \
	    "$rc $(wc -c <"$tmp/out" | tr -d ' ')"
	check_same "$f: every mistake as FILE:LINE:COL" "$S/$f.err" "$tmp/err"
done
for f in broken over100; do
	cd "$S" && run fo-score -r $f.yaml records.ndjson && cd - >/dev/null
	check_eq "$f.yaml: exit 2, nothing read" "2 0" \
	    "$rc $(wc -c <"$tmp/out" | tr -d ' ')"
	check_same "$f.yaml: every mistake as FILE:LINE:COL" "$S/$f.err" "$tmp/err"
done
cd "$S" && run fo-score -r broken.yaml --rates bad-rates.yaml \
    --vendors bad-vendors.ndjson /dev/null && cd - >/dev/null
check_eq "rules, rates and vendors: all their mistakes in one run" \
    "2 $(cat "$S/broken.err" "$S/bad-rates.yaml.err" "$S/bad-vendors.ndjson.err" | wc -l | tr -d ' ')" \
    "$rc $(wc -l <"$tmp/err" | tr -d ' ')"

# exit codes
printf '{"id":"a","currency":"EUR","amount":1.00,"exception":"other"}\n\n{"id":"b","exception":null}\n' >"$tmp/clean.ndjson"
run fo-score --as-of $DAY "$tmp/clean.ndjson"
check_eq "exit 0: every line scored, passed or blank" \
    "0 fo-score: 3 rows, 2 records, 0 rejected, 1 skipped" "$rc $(cat "$tmp/err")"
run fo-score --as-of 2026-11-31 /dev/null
check_eq "exit 2: --as-of not a date" \
    "2 fo-score: --as-of '2026-11-31': a date, YYYY-MM-DD: no such date 2026-11-31" \
    "$rc $(cat "$tmp/err")"
run fo-score --as-of 2026-11-21T10:00 /dev/null
check_eq "exit 2: a timestamp needs Z or an offset" \
    "2 fo-score: --as-of '2026-11-21T10:00': a date, YYYY-MM-DD, or a timestamp with Z or an offset" \
    "$rc $(cat "$tmp/err")"
# a timestamp stands for its UTC day, as in fo-route and fo-age
fo-score -q --as-of 2026-11-21T23:30:00-05:00 "$S/records.ndjson" \
    2>/dev/null >"$tmp/ts.out"
fo-score -q --as-of 2026-11-22 "$S/records.ndjson" 2>/dev/null >"$tmp/day.out"
check_same "a timestamp as of: its UTC day" "$tmp/day.out" "$tmp/ts.out"
FO_AS_OF=21.11.2026 run fo-score /dev/null
check_eq "exit 2: FO_AS_OF not a date" 2 "$rc"
run fo-score --nope /dev/null
check_eq "exit 2: unknown option" 2 "$rc"
run fo-score -r "$tmp/nope.yaml" /dev/null
check_eq "exit 2: no rules file" 2 "$rc"
run fo-score --rates "$tmp/nope.csv" /dev/null
check_eq "exit 2: no rates file" \
    "2 fo-score: $tmp/nope.csv: No such file or directory" "$rc $(cat "$tmp/err")"
run fo-score --as-of $DAY "$tmp/nope.ndjson"
check_eq "exit 3: no input file" 3 "$rc"
if [ -w /dev/full ]; then
	rc=0
	fo-score -q --as-of $DAY --rates "$S/rates.yaml" "$S/ties.ndjson" \
	    >/dev/full 2>"$tmp/err" || rc=$?
	check_eq "exit 3: full disk" 3 "$rc"
fi

run fo-score -h
check_eq "-h: usage" \
    "usage: fo-score [-hqV] [-o file] [-r rules] [--as-of date] [--rates file]" \
    "$(head -n 1 "$tmp/out")"
check_eq "the shipped model loads" 0 \
    "$(fo-score -q /dev/null >/dev/null 2>&1; echo $?)"

done_testing
