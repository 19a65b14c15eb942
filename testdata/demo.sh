#!/bin/sh
# make demo: fo on the sample exports in testdata/. Run by the Makefile
# with the build directory as its argument.
set -u
B=${1:?usage: demo.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
export FO_RULES="$top/rules" PATH="$B:$PATH"
cd "$top/testdata/generic" || exit 1
out=$(mktemp -d "${TMPDIR:-/tmp}/fo-demo.XXXXXX")
trap 'rm -rf "$out"' EXIT

say() { printf '\n== %s\n' "$*"; }

say "The nightly pipeline on SAP blocked invoices and Oracle holds, as of 2026-11-21"
echo "\$ fo-ingest sap-mrbr/clean.csv oracle-ap-holds/holds.csv | fo-classify | fo-score --as-of 2026-11-21 --rates demo-rates.csv | fo-route --as-of 2026-11-21"
(cd ../ingest && fo-ingest -q sap-mrbr/clean.csv oracle-ap-holds/holds.csv) 2>/dev/null |
    fo-classify -q | fo-score -q --as-of 2026-11-21 --rates ../demo-rates.csv |
    fo-route -q --as-of 2026-11-21 >"$out/tonight.ndjson"
echo "The five highest priorities (jq for display; the records keep exact amounts):"
jq -r '[.priority, .priority_band, .queue, .exception, .id] | @tsv' \
    "$out/tonight.ndjson" | sort -rn | head -n 5

say "SAP blocked invoices (MRBR): X flags become hold codes, 1.234,56- and YYYYMMDD read exactly"
echo "\$ fo-ingest ../ingest/sap-mrbr/clean.csv | head -n 3"
fo-ingest ../ingest/sap-mrbr/clean.csv | head -n 3

say "SAP vendor line items (FBL1N list, Windows-1252): page junk skipped, vendor lines carried down"
echo "\$ fo-ingest ../ingest/sap-fbl1n/de-1252.txt | head -n 3"
fo-ingest ../ingest/sap-fbl1n/de-1252.txt | head -n 3

say "A US AP export: quoted commas and newlines, JPY and KWD amounts, a credit memo"
echo "\$ fo-ingest --numbers 1,234.56 ap-us.csv"
fo-ingest --numbers 1,234.56 ap-us.csv

say "A German Excel export: semicolons, Windows-1252, 1.234,56 and 98,10- (all sniffed)"
echo "\$ fo-ingest de-1252.csv"
fo-ingest de-1252.csv

say "Bad rows go to the reject stream with their position; every row is accounted for"
echo "\$ fo-ingest -e utf-8 --numbers 1,234.56 --rejects rejects.ndjson bad.csv"
fo-ingest -e utf-8 --numbers 1,234.56 --rejects "$out/rejects.ndjson" bad.csv \
    >"$out/bad.ndjson"
echo "exit status $? (1: some rows rejected)"
echo "\$ head -n 3 rejects.ndjson"
head -n 3 "$out/rejects.ndjson"

say "Records per currency and hold code, with jq (compare in jq; sum money in fo tools)"
echo "\$ fo-ingest -q --numbers 1,234.56 ap-us.csv bom-crlf.csv tabs.tsv | jq -r ... | sort | uniq -c"
fo-ingest -q --numbers 1,234.56 ap-us.csv bom-crlf.csv tabs.tsv |
    jq -r '"\(.currency) \(.hold_codes // ["-"] | join(","))"' | sort | uniq -c

say "Reconciliation: a bank statement against the open items (fo-match), then classified"
echo "\$ fo-ingest ../ingest/bank-csv/statement-en.csv | fo-match --against ../match/stmt-items.ndjson --vendors ../match/stmt-vendors.csv | fo-classify"
fo-ingest -q ../ingest/bank-csv/statement-en.csv |
    fo-match --against ../match/stmt-items.ndjson \
    --vendors ../match/stmt-vendors.csv --report "$out/match.ndjson" |
    fo-classify -q >"$out/matched.ndjson"
echo "Each record, its verdict, the rule that decided and the exception it leaves:"
jq -r '[.id, .match_status, (.match_rule // "-"), (.matched_ids | join(",")),
    (.exception // "none")] | @tsv' "$out/matched.ndjson"
echo "Why the first matched line is settled:"
jq -r 'select(.match_status == "matched") | .match_reasons[]' \
    "$out/matched.ndjson" | head -n 2
echo "\$ cat match.ndjson   (--report: per pass, then exact totals)"
cat "$out/match.ndjson"

say "How old are tonight's exceptions, and where do they pile up? (fo-age, by queue)"
echo "\$ ... | fo-route --as-of 2026-11-21 | fo-age --as-of 2026-11-21 -g queue -f table"
fo-age -q --as-of 2026-11-21 -g queue -f table "$out/tonight.ndjson"

say "The nightly page and the workbook a finance lead opens (fo-age -f html, -f xlsx)"
mkdir -p "$B/demo/queues" || exit 1
echo "\$ ... | fo-age --as-of 2026-11-21 -g queue -f html >tonight.html"
fo-age -q --as-of 2026-11-21 -g queue -f html "$out/tonight.ndjson" \
    >"$B/demo/tonight.html"
echo "\$ ... | fo-age --as-of 2026-11-21 -g queue -f xlsx -o tonight.xlsx"
fo-age -q --as-of 2026-11-21 -g queue -f xlsx -o "$B/demo/tonight.xlsx" \
    "$out/tonight.ndjson"
echo "\$ ... | fo-route --as-of 2026-11-21 --split queues --format csv"
(cd ../ingest && fo-ingest -q sap-mrbr/clean.csv oracle-ap-holds/holds.csv) 2>/dev/null |
    fo-classify -q | fo-score -q --as-of 2026-11-21 --rates ../demo-rates.csv |
    fo-route -q --as-of 2026-11-21 --split "$B/demo/queues" --format csv \
    >/dev/null
echo "Open them: $B/demo/tonight.html, $B/demo/tonight.xlsx,"
echo "and a queue's worklist, e.g. $B/demo/queues/purchasing.csv:"
head -n 3 "$B/demo/queues/purchasing.csv"
