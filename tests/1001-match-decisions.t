#!/bin/sh
# fo-match --decisions: a person's confirmation pins a match (before any
# pass, and again on every later run), a rejected pair is never proposed,
# the creator of a record may not confirm it (segregation of duties),
# unknown ids are named with their line and the run goes on; a decisions
# file with a mistake stops the run before any record (exit 2).
# Inputs: testdata/match/dec-*.ndjson; verdicts worked out by hand.
. "$(dirname "$0")/lib.sh"

M=$TD/match
R=$FO_RULES/match.yaml

# id, status, rule, matched_ids, class, exception, then match_difference
verdicts() {
	jq -r '[.id, .match_status, (.match_rule // "null"),
	    (.matched_ids | join(",")), (.difference_class // "null"),
	    (if has("exception") then (.exception // "null") else "absent"
	    end), (.match_difference // "null")] | @tsv' "$1"
}

# without decisions: bank:d1 pays D-1 by reference, bank:d2 is only
# suggested for D-2 by name and amount, bank:d3 pays D-3 10.00 short,
# bank:d4 names nothing
run fo-match -q -r "$R" --against "$M/dec-items.ndjson" "$M/dec-lines.ndjson"
check_eq "no decisions: exit 0" 0 "$rc"
verdicts "$tmp/out" >"$tmp/got"
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    bank:d1 matched reference ap:D-1 null null 0 \
    bank:d2 suggested name_amount ap:D-2 null recon_break 0 \
    bank:d3 suggested reference ap:D-3 short_payment short_payment -10 \
    bank:d4 unmatched null '' null recon_break null \
    ap:D-1 matched reference bank:d1 null null 0 \
    ap:D-2 suggested name_amount bank:d2 null absent 0 \
    ap:D-3 suggested reference bank:d3 short_payment absent -10 \
    ap:D-4 unmatched null '' null absent null \
    ap:D-5 unmatched null '' null absent null >"$tmp/want"
check_same "no decisions: the passes' verdicts" "$tmp/want" "$tmp/got"
mid=$(jq -r 'select(.id == "bank:d2") | .match_id' "$tmp/out")

# the decisions: line 1 rejects D-1 for bank:d1; line 2 confirms the
# suggestion of bank:d2 by its match_id; line 3 is carol confirming
# bank:d3 with D-3, which she created; line 4 pins bank:d4 to D-4; line 5
# names a line no run has; line 6 a match_id no run has
cat >"$tmp/dec.ndjson" <<EOF2
{"decision":"reject","line_id":"bank:d1","item_id":"ap:D-1","by":"alice","at":"2026-11-17T09:00:00Z"}
{"decision":"confirm","match_id":"$mid","by":"alice","at":"2026-11-17T09:01:00Z"}
{"decision":"confirm","line_id":"bank:d3","item_ids":["ap:D-3"],"by":"carol","at":"2026-11-17T09:02:00Z"}
{"decision":"confirm","line_id":"bank:d4","item_id":"ap:D-4","by":"alice","at":"2026-11-17T09:03:00Z"}
{"decision":"confirm","line_id":"bank:gone","item_id":"ap:D-5","by":"alice","at":"2026-11-17T09:04:00Z"}
{"decision":"reject","match_id":"0123456789abcdef","by":"alice","at":"2026-11-17T09:05:00Z"}
EOF2
cd "$tmp" || exit 1
run fo-match -r "$R" --decisions dec.ndjson --against "$M/dec-items.ndjson" \
    "$M/dec-lines.ndjson"
cd - >/dev/null || exit 1
check_eq "a refused decision: exit 1" 1 "$rc"
verdicts "$tmp/out" >"$tmp/got"
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    bank:d1 unmatched null '' null recon_break null \
    bank:d2 matched decision ap:D-2 null null 0 \
    bank:d3 suggested reference ap:D-3 short_payment short_payment -10 \
    bank:d4 matched decision ap:D-4 null null 0 \
    ap:D-1 unmatched null '' null absent null \
    ap:D-2 matched decision bank:d2 null null 0 \
    ap:D-3 suggested reference bank:d3 short_payment absent -10 \
    ap:D-4 matched decision bank:d4 null null 0 \
    ap:D-5 unmatched null '' null absent null >"$tmp/want"
check_same "rejected pair unproposed, confirmations pinned, carol's refused" \
    "$tmp/want" "$tmp/got"
cat >"$tmp/want" <<'EOF2'
fo-match: dec.ndjson:3: confirm refused: carol created ap:D-3 (segregation of duties)
fo-match: dec.ndjson:5: unknown line id 'bank:gone': no line of this run has it
fo-match: dec.ndjson:6: unknown match_id '0123456789abcdef': no match of this run has it
fo-match: 4 lines, 2 matched (50.0%), 1 suggested, 0 ambiguous, 1 unmatched; 5 items, 2 settled
EOF2
check_same "stderr: the refusal and the unknown ids at their lines, then the summary" \
    "$tmp/want" "$tmp/err"
check_eq "a pinned match says who confirmed it, when, and where" \
    "decision: ap:D-4 with bank:d4 confirmed by alice at 2026-11-17T09:03:00Z (dec.ndjson:4)
paid 250.00 EUR, settled 250.00 EUR: no difference" \
    "$(jq -r 'select(.id == "bank:d4") | .match_reasons[]' "$tmp/out")"
check_eq "the rejected pair says so on both its records" \
    "bank:d1 no pass found an open item | decision: ap:D-1 with bank:d1 rejected by alice at 2026-11-17T09:00:00Z (dec.ndjson:1)
ap:D-1 decision: ap:D-1 with bank:d1 rejected by alice at 2026-11-17T09:00:00Z (dec.ndjson:1)" \
    "$(jq -r 'select(.id == "bank:d1" or .id == "ap:D-1") | "\(.id) \(.match_reasons | join(" | "))"' "$tmp/out")"
check_eq "a pinned match: score 100" "100" \
    "$(jq -r 'select(.id == "bank:d4") | .match_score' "$tmp/out")"

# a later night: a new line names D-4 in its text. Without the decisions
# it would settle D-4; with them the pin holds and the new line is open.
cat "$M/dec-lines.ndjson" >"$tmp/night2.ndjson"
echo '{"id":"bank:d5","doc_type":"bank_line","currency":"EUR","amount":-250.00,"remittance":"RE D-4004","value_date":"2026-11-18"}' \
    >>"$tmp/night2.ndjson"
run fo-match -q -r "$R" --against "$M/dec-items.ndjson" "$tmp/night2.ndjson"
check_eq "night 2 without decisions: bank:d5 would settle D-4" \
    "matched reference ap:D-4" \
    "$(jq -r 'select(.id == "bank:d5") | "\(.match_status) \(.match_rule) \(.matched_ids | join(","))"' "$tmp/out")"
cd "$tmp" || exit 1
run fo-match -q -r "$R" --decisions dec.ndjson \
    --against "$M/dec-items.ndjson" night2.ndjson
cd - >/dev/null || exit 1
check_eq "night 2 with decisions: the pin holds, bank:d5 is unmatched" \
    "bank:d4 matched decision ap:D-4
bank:d5 unmatched null " \
    "$(jq -r 'select(.id == "bank:d4" or .id == "bank:d5") | "\(.id) \(.match_status) \(.match_rule) \(.matched_ids | join(","))"' "$tmp/out")"
head -5 "$tmp/out" >"$tmp/again.ndjson"
(cd "$tmp" && fo-match -q -r "$R" --decisions dec.ndjson --against \
    "$M/dec-items.ndjson" again.ndjson) >"$tmp/again.out" 2>/dev/null
check_same "night 2 run again on its own lines: the same bytes" \
    "$tmp/out" "$tmp/again.out"

# mistakes in the decisions file: every one, at its position, exit 2
cat >"$tmp/bad.ndjson" <<'EOF2'
{"decision":"approve","line_id":"bank:d1","item_id":"ap:D-1","by":"alice","at":"2026-11-17T09:00:00Z"}
{"decision":"confirm","match_id":"abc","line_id":"bank:d1","item_id":"ap:D-1","by":"alice","at":"2026-11-17T09:00:00Z"}
{"decision":"confirm","match_id":"abc"}
not json
EOF2
cd "$tmp" || exit 1
run fo-match -r "$R" --decisions bad.ndjson --against "$M/dec-items.ndjson" \
    "$M/dec-lines.ndjson"
cd - >/dev/null || exit 1
check_eq "a bad decisions file: exit 2, nothing written" "2 0" \
    "$rc $(wc -c <"$tmp/out" | tr -d ' ')"
cat >"$tmp/want" <<'EOF2'
fo-match: bad.ndjson:1:13: decision 'approve': confirm or reject
fo-match: bad.ndjson:2:1: a decision names either a match_id, or a line_id and its item_id (or item_ids)
fo-match: bad.ndjson:3:1: a decision needs by: who decided
fo-match: bad.ndjson:3:1: a decision needs at: when, YYYY-MM-DDTHH:MM:SSZ
fo-match: bad.ndjson:4:2: bad literal, expected null
EOF2
check_same "a bad decisions file: every mistake at its position" \
    "$tmp/want" "$tmp/err"

done_testing
