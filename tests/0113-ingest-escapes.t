#!/bin/sh
# fo-ingest's own JSON string writer (ingest.c put_jstr) checks and
# copies clean text eight bytes at a time, the last eight overlapping the
# words before: a byte to escape is found wherever it falls, first byte,
# last byte, inside a word or in the overlap, and clean text of every
# length up to 17 comes out whole. Expected values are written by hand:
# " and \ get a backslash, a tab is \t, a line feed \n.
. "$(dirname "$0")/lib.sh"

# one Note cell a row; the CSV doubles quotes inside a quoted cell
cat >"$tmp/e.csv" <<'CSV'
Invoice Number,Note
I1,a
I2,abc
I3,abcdefg
I4,abcdefgh
I5,abcdefghi
I6,abcdefghijklmnop
I7,abcdefghijklmnopq
I8,"a""c"
I9,"1234567\"
I10,"""2345678"
I11,"12345678"""
I12,"123456789ABCDEF"""
I13,"""23456789ABCDEFGH"
I14,"1234""6789ABCDEFGH"
I15,"12345678ABCDE	GH"
I16,"back\slash and ""quotes"" in 36 bytes"
I17,"line one
line two, and a longer tail after it"
I18,Müller Präzisionsteile GmbH
I19,"tab	x"
CSV
cat >"$tmp/want" <<'WANT'
"a"
"abc"
"abcdefg"
"abcdefgh"
"abcdefghi"
"abcdefghijklmnop"
"abcdefghijklmnopq"
"a\"c"
"1234567\\"
"\"2345678"
"12345678\""
"123456789ABCDEF\""
"\"23456789ABCDEFGH"
"1234\"6789ABCDEFGH"
"12345678ABCDE\tGH"
"back\\slash and \"quotes\" in 36 bytes"
"line one\nline two, and a longer tail after it"
"Müller Präzisionsteile GmbH"
"tab\tx"
WANT

run fo-ingest -q -p generic "$tmp/e.csv"
check_eq "19 rows, 19 records, exit 0" "0 19" \
    "$rc $(wc -l <"$tmp/out" | tr -d ' ')"
sed 's/.*"extra":{"Note":\(.*\)}}$/\1/' "$tmp/out" >"$tmp/got"
check_same "each note escaped exactly, at every place in a word" \
    "$tmp/want" "$tmp/got"
# the record is JSON that jq reads back to the cell's own text
jq -r '.extra.Note' "$tmp/out" | head -n 3 >"$tmp/back"
printf 'a\nabc\nabcdefg\n' >"$tmp/want3"
check_same "jq reads the short ones back" "$tmp/want3" "$tmp/back"
check_eq "jq reads the line feed back" "line one
line two, and a longer tail after it" \
    "$(jq -r 'select(.doc_number == "I17") | .extra.Note' "$tmp/out")"

done_testing
