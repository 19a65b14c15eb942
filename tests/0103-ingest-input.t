#!/bin/sh
# What exports really look like on the wire: limits at and one past the
# edge, encodings, truncated files, and input arriving in odd chunks.
. "$(dirname "$0")/lib.sh"

G=$TD/generic
hdr='Invoice,Vendor,Amount,Currency'

# --max-field: 16 bytes pass, 17 are rejected, the run goes on
{
	echo "$hdr"
	echo "I-1,VVVVVVVVVVVVVVVV,1.00,EUR"
	echo "I-2,VVVVVVVVVVVVVVVVV,2.00,EUR"
	echo "I-3,V,3.00,EUR"
} >"$tmp/field.csv"
run fo-ingest -q --max-field 16 --rejects "$tmp/rej" "$tmp/field.csv"
check_eq "field at the limit passes, one past is rejected" "1 I-1 I-3" \
    "$rc $(jq -r .doc_number "$tmp/out" | paste -sd' ')"
check_eq "field past the limit: the message" \
    "3 field 2 longer than 16 bytes" \
    "$(jq -r '"\(.line) \(.error)"' "$tmp/rej")"

# --max-record: the text of a row, line end not counted
{
	echo "$hdr"
	echo "I-1,V,1.00,EUR,,,,,,,,,,,,,,,,,,"	# 32 bytes
	echo "I-2,V,2.00,EUR,,,,,,,,,,,,,,,,,,,"	# 33 bytes
	echo "I-3,V,3.00,EUR"
} >"$tmp/rec.csv"
run fo-ingest -q --max-record 32 --rejects "$tmp/rej" "$tmp/rec.csv"
check_eq "row at the limit passes, one past is rejected" "1 I-1 I-3" \
    "$rc $(jq -r .doc_number "$tmp/out" | paste -sd' ')"

# a runaway quote cannot swallow the file: the row is cut at the limit
# and reading goes on at the next line
{
	echo "$hdr"
	echo 'I-1,"V,1.00,EUR'
	i=0
	while [ $i -lt 50 ]; do echo "I-x$i,V,1.00,EUR"; i=$((i + 1)); done
} >"$tmp/runaway.csv"
run fo-ingest --max-record 64 --rejects "$tmp/rej" "$tmp/runaway.csv"
check_eq "runaway quote: one reject, the rows after it resume" "1 1" \
    "$rc $(wc -l <"$tmp/rej" | tr -d ' ')"
check_eq "runaway quote: the message" \
    "2 row longer than 64 bytes (a quote not closed?)" \
    "$(jq -r '"\(.line) \(.error)"' "$tmp/rej")"
check_eq "runaway quote: raw is kept up to the limit" 64 \
    "$(jq -r '.raw|length' "$tmp/rej")"
tail -n 1 "$tmp/err" >"$tmp/sum"
# the four lines the open quote took are text of the rejected row
check_eq "runaway quote: every row accounted for" \
    "fo-ingest: 47 rows, 46 records, 1 rejected" "$(cat "$tmp/sum")"
check_eq "runaway quote: reading resumes after the cut" "I-x4" \
    "$(jq -r .doc_number "$tmp/out" | head -n 1)"

# a huge field under the default limit (1 MiB) is read whole
awk -v h="$hdr" 'BEGIN { print h; printf "I-1,\""; for (i = 0; i < 1048570; i++)
    printf "x"; print "\",1.00,EUR" }' >"$tmp/huge.csv"
run fo-ingest -q "$tmp/huge.csv"
check_eq "a field just under 1 MiB is read whole" "0 1048570" \
    "$rc $(jq -r '.vendor_id|length' "$tmp/out")"

# encodings
printf 'Invoice;Vendor;Amount;Currency\r\nI-1;M\374ller;1.234,56;EUR\r\n' \
    >"$tmp/latin1.csv"
run fo-ingest -q -e latin1 "$tmp/latin1.csv"
check_eq "latin1" '"Müller" 1234.56' \
    "$(jq -r '"\(.vendor_id|tojson) \(.amount)"' "$tmp/out")"
printf 'Invoice,Vendor,Amount,Currency\nI-1,V\201,1.00,EUR\n' >"$tmp/undef.csv"
run fo-ingest -q -e windows-1252 --rejects "$tmp/rej" "$tmp/undef.csv"
check_eq "a byte windows-1252 does not have: rejected at its place" \
    "1 2:6: byte not valid in windows-1252" \
    "$rc $(jq -r '"\(.line):\(.col): \(.error)"' "$tmp/rej")"
printf '\377\376' >"$tmp/utf16.csv"
printf 'Invoice\tVendor\tAmount\tCurrency\r\nI-1\tS\344ge\t7.50\tEUR\r\n' |
    iconv -f latin1 -t UTF-16LE >>"$tmp/utf16.csv"
run fo-ingest "$tmp/utf16.csv"
check_eq "UTF-16 with a BOM (Excel's Unicode text)" '"vendor_id":"Säge","doc_number":"I-1","currency":"EUR","amount":7.50' \
    "$(grep -o '"vendor_id.*7.50' "$tmp/out")"
check_eq "UTF-16: says what it read" \
    "fo-ingest: $tmp/utf16.csv: profile generic (no profile matched), delimiter 'tab' (sniffed), encoding utf-16le" \
    "$(head -n 1 "$tmp/err")"
run fo-ingest -q -e ebcdic "$G/bom-crlf.csv"
check_eq "unknown encoding: a usage error, nothing read" \
    "2 fo-ingest: -e ebcdic: use utf-8, windows-1252, latin1, iso-8859-15, utf-16le, utf-16be or auto" \
    "$rc $(cat "$tmp/err")"
# auto decides on the first 256 KiB; a late stray byte rejects its row
awk -v h="$hdr" 'BEGIN { print h; for (i = 0; i < 15000; i++)
    printf "I-%d,V-%d,1.00,EUR\n", i, i; printf "I-x,V\351,1.00,EUR\n" }' \
    >"$tmp/late.csv"
run fo-ingest -q --rejects "$tmp/rej" "$tmp/late.csv"
check_eq "late non-UTF-8 byte: that row rejected with a hint" \
    "1 15000 15002:6: invalid UTF-8 byte 0xE9 (not UTF-8? give -e windows-1252)" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ') $(jq -r '"\(.line):\(.col): \(.error)"' "$tmp/rej")"

# real encodings (testdata/ingest/encodings/SOURCES): each file read with
# the profile and encoding it shows; the records (id aside: a hash), the
# messages, the rejects (raw aside) and the exit status written by hand,
# and every row accounted for.
E=$TD/ingest/encodings
enc_golden() {
	_e_name=$1 _e_want=$2
	shift 2
	cd "$E" || exit 1
	run fo-ingest --rejects "$tmp/rej" "$@" "$_e_name.csv"
	cd - >/dev/null || exit 1
	check_eq "$_e_name: exit status" "$_e_want" "$rc"
	# the records as written (jq would rewrite 98.10 as 98.1)
	sed 's/^{"id":"[^"]*",/{/' "$tmp/out" >"$tmp/out2"
	check_same "$_e_name: records" "$E/$_e_name.out" "$tmp/out2"
	check_same "$_e_name: messages" "$E/$_e_name.err" "$tmp/err"
	jq -c '{file, line, col, error}' "$tmp/rej" >"$tmp/rej2"
	if [ -f "$E/$_e_name.rej" ]; then
		check_same "$_e_name: rejects" "$E/$_e_name.rej" "$tmp/rej2"
	else
		check_same "$_e_name: no rejects" /dev/null "$tmp/rej2"
	fi
	tail -n 1 "$tmp/err" >"$tmp/sum"
	check "$_e_name: rows = records + rejected + skipped" \
	    awk '{ t = 0; for (i = 4; i < NF; i += 2) t += $i; exit !($2 == t) }' \
	    "$tmp/sum"
}
enc_golden csvkit-utf16le-bom 0
enc_golden csvkit-utf16be-bom 0
# Excel's "Unicode Text" without its BOM: the NULs say UTF-16, whatever
# -e says (an 8-bit file never has them)
enc_golden csvkit-utf16le-nobom 0
enc_golden csvkit-utf16be-nobom 0
enc_golden csvkit-latin1 0
enc_golden csvkit-utf8-bom 0
# two exports joined with cat: the second BOM is removed with a warning,
# so its header is seen as the repeated header it is
enc_golden csvkit-utf8-bom-joined 0
# UTF-8 with one row from elsewhere: that row rejected at its byte, the
# others read as UTF-8, never re-decoded as windows-1252
enc_golden ap-utf8-one-1252-row 1
check_eq "a rejected bad byte keeps the row's bytes (raw_base64)" \
    "$(sed -n 4p "$E/ap-utf8-one-1252-row.csv" | tr -d '\n' | od -An -tx1)" \
    "$(jq -r .raw_base64 "$tmp/rej" | base64 -d | od -An -tx1)"
# windows-1252 that happens to hold one valid UTF-8 pair: still 1252
enc_golden ap-1252-one-utf8-pair 0
cd "$E" || exit 1
run fo-ingest -q -e utf-8 csvkit-utf16le-nobom.csv
cd - >/dev/null || exit 1
check_eq "UTF-16 without a BOM beats -e utf-8" "0 2" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ')"
check_eq "-q: the BOM warning is still shown" \
    "fo-ingest: csvkit-utf8-bom-joined.csv:4: byte order mark inside the file (files joined?): removed" \
    "$(cd "$E" && fo-ingest -q csvkit-utf8-bom-joined.csv 2>&1 >/dev/null)"
# a BOM joined after a file without a final newline lands mid-line
printf 'Invoice,Vendor,Amount,Currency\nI-1,V,1.00,EUR' >"$tmp/j.csv"
printf '\357\273\277Invoice,Vendor,Amount,Currency\nI-2,V,2.00,EUR\n' >>"$tmp/j.csv"
run fo-ingest --rejects "$tmp/rej" "$tmp/j.csv"
check_eq "a BOM mid-line is removed, not left in a value" \
    "1 fo-ingest: $tmp/j.csv:2: byte order mark inside the file (files joined?): removed|2: row has 7 fields, the header has 4|I-1,V,1.00,EURInvoice,Vendor,Amount,Currency" \
    "$rc $(sed -n 2p "$tmp/err")|$(jq -r '"\(.line): \(.error)|\(.raw)"' "$tmp/rej")"

# two Excel "Unicode Text" files joined: the second BOM is U+FEFF too
{
	printf '\377\376'
	printf 'Invoice\tVendor\tAmount\tCurrency\r\nI-1\tV\t1.00\tEUR\r\n' |
	    iconv -t UTF-16LE
	printf '\377\376'
	printf 'Invoice\tVendor\tAmount\tCurrency\r\nI-2\tV\t2.00\tEUR\r\n' |
	    iconv -t UTF-16LE
} >"$tmp/u16j.csv"
run fo-ingest "$tmp/u16j.csv"
check_eq "UTF-16 files joined: the BOM of the second removed, its header skipped" \
    "0 I-1 I-2|fo-ingest: $tmp/u16j.csv:3: byte order mark inside the file (files joined?): removed|fo-ingest: 3 rows, 2 records, 0 rejected, 1 skipped" \
    "$rc $(jq -r .doc_number "$tmp/out" | paste -sd' ')|$(sed 1d "$tmp/err" | paste -sd'|')"

# truncated files: mid-row, mid-quote, mid-UTF-8 sequence
printf '%s\nI-1,V,1.00,EUR\nI-2,V,2.0,EUR' "$hdr" >"$tmp/trunc1.csv"
run fo-ingest -q "$tmp/trunc1.csv"
check_eq "no newline at the end: the last row is read" "0 2" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ')"
printf '%s\nI-1,V,1.00,EUR\nI-2,V,2.0' "$hdr" >"$tmp/trunc1.csv"
run fo-ingest -q --rejects "$tmp/rej" "$tmp/trunc1.csv"
check_eq "cut mid-row: the short row is rejected, not lost" \
    "1 3: row has 3 fields, the header has 4" \
    "$rc $(jq -r '"\(.line): \(.error)"' "$tmp/rej")"
printf '%s\nI-1,V,1.00,EUR\nI-2,"V' "$hdr" >"$tmp/trunc2.csv"
run fo-ingest -q --rejects "$tmp/rej" "$tmp/trunc2.csv"
check_eq "cut inside a quote: rejected, not lost" \
    "1 1 3: quoted field not closed at end of input" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ') $(jq -r '"\(.line): \(.error)"' "$tmp/rej")"
printf '%s\nI-1,V\303' "$hdr" >"$tmp/trunc3.csv"
run fo-ingest -q -e utf-8 --rejects "$tmp/rej" "$tmp/trunc3.csv"
check_eq "cut inside a UTF-8 sequence: rejected at the byte" \
    "1 2:6: invalid UTF-8 byte 0xC3 (not UTF-8? give -e windows-1252)" \
    "$rc $(jq -r '"\(.line):\(.col): \(.error)"' "$tmp/rej")"

# empty input is a failed extract, not a quiet night (tests/0109 has
# more); a header alone is no rows, exit 0, and said
: >"$tmp/empty.csv"
run fo-ingest "$tmp/empty.csv"
check_eq "empty file" "1 fo-ingest: $tmp/empty.csv: empty file|fo-ingest: 1 rows, 0 records, 1 rejected" \
    "$rc $(paste -sd'|' "$tmp/err")"
echo "$hdr" >"$tmp/hdr.csv"
run fo-ingest -q "$tmp/hdr.csv"
check_eq "header only" "0 0 fo-ingest: $tmp/hdr.csv: header only, 0 rows" \
    "$rc $(wc -c <"$tmp/out" | tr -d ' ') $(cat "$tmp/err")"

# the same bytes arriving in odd chunks through a pipe: same records
for f in ap-us.csv de-1252.csv bad.csv tabs.tsv; do
	fo-ingest -q --numbers 1,234.56 -e windows-1252 "$G/$f" >"$tmp/whole" 2>/dev/null
	perl -e 'binmode STDIN; binmode STDOUT; $| = 1; srand(7);
	    local $/; my $d = <STDIN>; my $i = 0;
	    while ($i < length $d) { my $n = 1 + int(rand(13));
	        print substr($d, $i, $n); $i += $n;
	        select(undef, undef, undef, 0.0005) }' <"$G/$f" |
	    fo-ingest -q --numbers 1,234.56 -e windows-1252 2>/dev/null |
	    sed 's/"source_file":"<stdin>"/"source_file":"'"$f"'"/' >"$tmp/chunks"
	sed "s#\"source_file\":\"$G/$f\"#\"source_file\":\"$f\"#" "$tmp/whole" \
	    >"$tmp/whole2"
	check_same "$f in odd chunks: same records" "$tmp/whole2" "$tmp/chunks"
done

done_testing
