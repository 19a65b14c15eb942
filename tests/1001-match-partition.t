#!/bin/sh
# fo-match at scale (design 7): split by currency, which never pairs
# across, one fo-match per part under GNU parallel, as fo(7) shows; the
# records out, sorted, are the bytes of one process over the whole, and
# a record without a currency still reaches a job (rejected, not lost).
. "$(dirname "$0")/lib.sh"

if ! parallel --will-cite --version 2>/dev/null | grep -q 'GNU parallel'; then
	echo "1..0 # SKIP GNU parallel is not installed (make deps)"
	exit 0
fi
R=$FO_RULES/match.yaml

# 400 items in four currencies, document numbers reused across
# currencies (D-0001 in EUR and in USD); 420 lines naming them in their
# text, every 7th 30.00 short (beyond the tolerance), every 13th naming two numbers, every 50th
# a second line for an item already named, 20 naming nothing; one line
# with no currency at all
cd "$tmp" || exit 1
awk '
BEGIN {
	split("EUR USD GBP JPY", cur, " ")
	for (i = 1; i <= 400; i++) {
		c = cur[i % 4 + 1]
		amt = c == "JPY" ? sprintf("%d", i * 1000) : sprintf("%d.%02d", i * 10, i % 100)
		printf "{\"id\":\"ap:%d\",\"doc_type\":\"invoice\",\"doc_number\":\"D-%04d\",\"currency\":\"%s\",\"amount\":%s}\n", i, int((i + 3) / 4), c, amt > "items.ndjson"
		pay = c == "JPY" ? sprintf("-%d", i * 1000) : sprintf("-%d.%02d", i * 10 - (i % 7 == 0) * 30, i % 100)
		txt = "RE D-" sprintf("%04d", int((i + 3) / 4))
		if (i % 13 == 0)
			txt = txt " D-" sprintf("%04d", int((i + 7) / 4))
		printf "{\"id\":\"bank:%d\",\"currency\":\"%s\",\"amount\":%s,\"remittance\":\"%s\"}\n", i, c, pay, txt > "lines.ndjson"
		if (i % 50 == 0)
			printf "{\"id\":\"bank:%d-b\",\"currency\":\"%s\",\"amount\":%s,\"remittance\":\"%s\"}\n", i, c, pay, txt > "lines.ndjson"
	}
	for (i = 1; i <= 20; i++)
		printf "{\"id\":\"bank:x%d\",\"currency\":\"%s\",\"amount\":-%d.00,\"remittance\":\"fees\"}\n", i, cur[i % 4 + 1], i > "lines.ndjson"
	print "{\"id\":\"bank:nocur\",\"amount\":-1.00}" > "lines.ndjson"
}' </dev/null

# one process over the whole
fo-match -r "$R" --against items.ndjson lines.ndjson >single.out 2>single.err
check_eq "one process: exit 1 (the line without a currency)" 1 "$?"

# fo(7)'s recipe: a job per currency, and one for records naming none
grep -ho '"currency":"[^"]*"' items.ndjson lines.ndjson | sort -u >keys
check_eq "four currencies" 4 "$(wc -l <keys | tr -d ' ')"
parallel --will-cite -j 4 'grep -F -e {} items.ndjson >items.{#};
    grep -F -e {} lines.ndjson | fo-match -q -r '"$R"' --against items.{#} >part.{#}' <keys
grep -v -F -f keys items.ndjson >items.none
grep -v -F -f keys lines.ndjson | fo-match -q -r "$R" --against items.none \
    >part.none 2>none.err
check_eq "the job of records without a currency rejects the one line" \
    "fo-match: <stdin>:1: a record to match needs a currency" "$(cat none.err)"
sort single.out >single.sorted
cat part.* | sort >parts.sorted
check_same "the parts, sorted, are the bytes of one process" \
    single.sorted parts.sorted
check_eq "records in = records out + rejected, both ways" "829 828 828" \
    "$(cat items.ndjson lines.ndjson | wc -l | tr -d ' ') $(wc -l <single.sorted | tr -d ' ') $(wc -l <parts.sorted | tr -d ' ')"
check_eq "every verdict occurs" "ambiguous matched suggested unmatched" \
    "$(jq -r .match_status single.out | sort -u | tr '\n' ' ' | sed 's/ $//')"
check_eq "the run matched something in every currency" "EUR GBP JPY USD" \
    "$(jq -r 'select(.match_status == "matched") | .currency' single.out | sort -u | tr '\n' ' ' | sed 's/ $//')"
cd - >/dev/null || exit 1

done_testing
