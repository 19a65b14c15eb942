# bench/peer-classify.jq - fo-classify's decisions written by hand in jq,
# as a competent engineer would write them for rules/classify.yaml: the
# record's facts read once, the rules as one `if ... then ... else empty
# end` each, in the file's order, and a duplicate index kept in the
# state of a foreach. Run as
#
#   jq -nc -f bench/peer-classify.jq records.ndjson
#
# It gives exception, exceptions, domain, sensitivity, confidence,
# reasons, duplicate_of and duplicate_score. What it leaves out, so that
# it is if anything cheaper than the job fo-classify does:
# - only the 52 rules that fire on bench/gen.awk's data (of 98): fo-match
#   verdicts, Coupa, D365 and SAP tolerance keys do not occur there;
# - the duplicate check is an exact key (vendor, invoice number without
#   spaces, punctuation and leading zeros, case aside) within 30 days,
#   another document than the first (doc_id: one row a hold), not
#   fo's OCR confusions, one-edit numbers and series; its reason is its own
#   sentence;
# - a {field} that is a number is written as jq writes numbers (100 for
#   100.00): jq cannot see the number as written.
# bench/compare.sh counts where the two agree.

def known_codes: "|SPGRP|SPGRM|SPGRT|SPGRQ|SPGRG|SPGRS|SPGRC|SPGRV|PP|DQ|DW|ST|AN|AP|KW|BD|DIST ACCT INVALID|ERV ACCT INVALID|CANT FUNDS CHECK|INSUFFICIENT FUNDS|AMOUNT|VENDOR|AWT ERROR|QTY ORD|QTY REC|PRICE|QUANTITY|MAX QTY ORD|MAX QTY REC|MAX SHIP AMOUNT|MAX RATE AMOUNT|MAX TOTAL AMOUNT|FINAL MATCHING|PO REQUIRED|REC EXCEPTION|TAX DIFFERENCE|DIST VARIANCE|LINE VARIANCE|TAX VARIANCE|TAX AMOUNT RANGE|NO RATE|CURRENCY DIFFERENCE|PO NOT APPROVED|QUALITY|";
def tax_rates: {"DE-VAT-19": 19, "DE-VAT-7": 7, "UK-STD": 20, "UK-RED": 5, "FR-TVA-20": 20, "NL-BTW-21": 21};
def receipt_words: "^receipt|receipt (required|missing)|missing receipt|no receipt|not received";

# a {field} of a reason: "?" when absent, a string as it is
def f($k): if has($k) then .[$k] | (strings // tojson) else "?" end;
def vendor: [.vendor_id, .vendor_name] | map(strings) | join(" ");
def amt: "\(f("amount")) \(f("currency"))";
def pay: "payment \(f("end_to_end_id")) of \(amt) to \(f("counterparty"))";
def xr($k; $d): .extra[$k] // $d | strings // tojson;
def mod97: split(" ") | join("") | (.[4:] + .[:4]) | explode
    | reduce .[] as $c (0; if $c >= 97 then (. * 100 + $c - 87) % 97
        elif $c >= 65 then (. * 100 + $c - 55) % 97 else (. * 10 + $c - 48) % 97 end);
def invoice_ok: (.doc_type // "invoice") == "invoice" and ((.amount | numbers) // 0) >= 0;

# every rule that matches: [id, class, confidence, domain, sensitivity, reason]
def rules($dup):
  . as $r |
  (.hold_codes // [] | if type == "array" then . else [] end) as $hc |
  (.status | strings // "") as $st |
  (.reason_code // "") as $rc |
  ($hc | map(select(. as $c | known_codes | contains("|" + $c + "|") | not))) as $unknown |
  def code($c): $hc | any(. == $c);
  def codes($l): [$hc[] | select(IN($l[]))];
  (if $st != "" and ($st | test("^(void(ed)?|cancell?ed|reversed)$|: ?(void(ed)?|cancell?ed|reversed)$"; "i"))
   then ["cancelled_or_voided", "none", 0.9, "accounting", "low", "document \(f("doc_number")) has status \(f("status")): not payable, nothing to clear"] else empty end),
  (if (.extra | type) == "object" and ((.extra["Release Name"] // "") != "" or (.extra["Release Date"] // "") != "" or (.extra.RELEASE_LOOKUP_CODE // "") != "")
   then ["oracle_hold_released", "none", 0.9, "accounting", "low", "hold \($hc | join(", ")) placed \(f("hold_date")) was released (\(.extra["Release Name"] // .extra.RELEASE_LOOKUP_CODE | strings // tojson), \(.extra["Release Date"] | strings // tojson)): it no longer stops payment"] else empty end),
  (if $dup then ["duplicate", "duplicate_suspect", 0.7, "accounting", "high", $dup.why] else empty end),
  (if $rc == "AM05" or $rc == "R24"
   then ["payment_duplicate", "duplicate_suspect", 0.85, "treasury", "high", "\(pay) refused as a duplicate (\($rc)); check whether the invoice (remittance \(.remittance // "none")) was paid twice"] else empty end),
  ({"AC01": "incorrect account number", "AC03": "invalid creditor account number", "AC04": "closed account", "AC06": "blocked account", "AC07": "closed creditor account", "BE01": "name inconsistent with account", "RC01": "bank identifier incorrect", "RR03": "creditor name or address missing", "MD07": "end customer deceased", "R02": "account closed", "R03": "no account or unable to locate", "R04": "invalid account number", "R16": "account frozen", "R20": "non-transaction account"}[$rc]
   | if . then ["payment_account_data", "bank_rejection", 0.9, "vendor_master", "high", "\($r | pay) returned with \($rc) (\(.)): verify and correct the bank data in the vendor master before paying again"] else empty end),
  ({"AM04": "insufficient funds", "AG01": "transaction forbidden", "R01": "insufficient funds"}[$rc]
   | if . then ["payment_treasury_reason", "bank_rejection", 0.9, "treasury", "medium", "\($r | pay) rejected with \($rc) (\(.)): funding or limits of the paying account"] else empty end),
  (if IN($rc; "RR01", "RR02", "RR04")
   then ["payment_regulatory", "bank_rejection", 0.8, "treasury", "high", "\(pay) rejected for regulatory reasons or missing debtor data (\($rc))"] else empty end),
  ({"DT01": "invalid date", "FF01": "invalid file format"}[$rc]
   | if . then ["payment_file_error", "bank_rejection", 0.8, "integration", "medium", "payment \($r | f("end_to_end_id")) rejected with \($rc) (\(.)): the payment file is at fault, not the payee"] else empty end),
  (if IN($rc; "MS02", "MS03", "NARR")
   then ["payment_reason_unspecified", "bank_rejection", 0.4, "treasury", "medium", "\(pay) rejected with \($rc), no reason given: read the bank text (\(.extra["Additional Information"] // "" | if . == "" then "none given" else . end)) and ask the bank"] else empty end),
  (if IN($st; "RJCT", "Return", "RETURN", "Returned", "RETURNED") and ($rc | IN("AM05", "R24", "AC01", "AC03", "AC04", "AC06", "AC07", "BE01", "RC01", "RR03", "MD07", "R02", "R03", "R04", "R16", "R20", "R23", "R29", "AM04", "AG01", "R01", "RR01", "RR02", "RR04", "DT01", "FF01", "MS02", "MS03", "NARR") or test("^C[0-9]{2}$") | not)
   then ["payment_rejected_unmapped", "bank_rejection", 0.5, "treasury", "medium", "\(pay) has status \($st) with reason code \(.reason_code // "none"), which these rules do not map"] else empty end),
  (if $st == "PART"
   then ["payment_partially_accepted", "short_payment", 0.7, "treasury", "medium", "\(pay) only partly accepted (PART): \(.extra["Additional Information"] // "no detail")"] else empty end),
  (if .doc_type == "bank_line" and (.amount | numbers) > 0 and (.end_to_end_id // "") == "" and (.doc_number // "") == "" and (.remittance // "" | test("\\b(RETURN|RETURNED|RETOUR|RUECKUEBERWEISUNG|RÜCKÜBERWEISUNG|RUECKLASTSCHRIFT|RÜCKLASTSCHRIFT|STORNO|REVERSAL|REVERSED|RUECKBUCHUNG|RÜCKBUCHUNG)\\b"; "i") | not)
   then ["bank_unapplied_receipt", "unapplied_cash", 0.5, "accounting", "low", "receipt of \(amt) from \(f("counterparty")) on \(f("value_date")) carries no end-to-end id or document number to apply it to (remittance: \(.remittance // "none"))"] else empty end),
  (if .payment_block == "*"
   then ["sap_vendor_skip_account", "blocked_vendor", 0.85, "vendor_master", "high", "payment block * (skip account) on vendor \(vendor): the vendor master blocks every payment to it"] else empty end),
  (if code("VENDOR")
   then ["oracle_vendor_hold", "blocked_vendor", 0.9, "vendor_master", "high", "Oracle hold VENDOR on invoice \(f("doc_number")) of \(f("vendor_name")), placed \(f("hold_date")): the supplier is on hold in the supplier master (\(xr("Hold Reason"; "no hold reason")))"] else empty end),
  (if (.created_by | strings // "") != "" and (.approved_by | type) == "string" and (.created_by | ascii_downcase) == (.approved_by | ascii_downcase)
   then ["self_approved", "approval_missing", 0.8, "approvals", "high", "invoice \(f("doc_number")) was entered by \(f("created_by")) and approved by \(f("approved_by")): the same person, so no independent approval"] else empty end),
  (if $st | test("pending[ _]approval"; "i")
   then ["pending_approval", "approval_missing", 0.85, "approvals", "medium", "invoice \(f("doc_number")) of \(f("vendor_name")) (\(amt), due \(f("due_date"))) is waiting for approval (status \($st))"] else empty end),
  (if $st | test("(^|:)rejected$"; "i")
   then ["approval_rejected", "approval_missing", 0.6, "approvals", "medium", "invoice \(f("doc_number")) of \(f("vendor_name")) was rejected in approval (status \($st)): correct or cancel it"] else empty end),
  (if code("PO REQUIRED")
   then ["oracle_po_required", "missing_po", 0.9, "procurement", "high", "Oracle hold PO REQUIRED on invoice \(f("doc_number")) of \(f("vendor_name")) (\(amt)): the supplier site requires a PO and the invoice has none"] else empty end),
  (if code("FINAL MATCHING")
   then ["oracle_final_matching", "missing_po", 0.6, "procurement", "medium", "Oracle hold FINAL MATCHING on invoice \(f("doc_number")) of \(f("vendor_name")): PO \(f("po_number")) is already final-matched, no open PO covers this invoice"] else empty end),
  (if code("QTY REC") and .gr_qty == 0
   then ["oracle_qty_rec_nothing_received", "missing_receipt", 0.85, "receiving", "medium", "Oracle hold QTY REC on invoice \(f("doc_number")) of \(f("vendor_name")), PO \(f("po_number")): gr_qty \(f("gr_qty")), nothing received, placed \(f("hold_date"))"] else empty end),
  (if code("QTY REC") and .gr_qty == null
   then ["oracle_qty_rec_no_receipt_data", "missing_receipt", 0.6, "receiving", "medium", "Oracle hold QTY REC on invoice \(f("doc_number")) of \(f("vendor_name")), PO \(f("po_number")), placed \(f("hold_date")): quantity billed exceeds quantity received (\(xr("Hold Reason"; "no hold reason"))); the export has no gr_qty, most such holds wait for a receipt"] else empty end),
  ([$unknown[] | select(test(receipt_words; "i"))] | if length > 0
   then ["hold_name_receipt", "missing_receipt", 0.8, "receiving", "medium", "hold \(join(", ")) on invoice \($r | f("doc_number")) (PO \($r | f("po_number"))): \([$r.extra.lines[]? | select(.type == "Failed Tolerance") | .["failed-tolerance-message"] // empty | select(test("receipt|receiv"; "i"))] | join("; ") | if . == "" then "no receipt recorded" else . end)"] else empty end),
  (if invoice_ok and (.po_number // "") != "" and (.gr_qty | numbers) == 0 and ((.inv_qty | numbers) // 1) > 0
   then ["nothing_received", "missing_receipt", 0.75, "receiving", "medium", "gr_qty \(f("gr_qty")): nothing received against PO \(f("po_number")) line \(f("po_line")), inv_qty \(f("inv_qty")) billed"] else empty end),
  (codes(["SPGRP", "PP"]) | if length > 0
   then ["sap_price_block", "price_variance", 0.8, "procurement", "medium", "SAP price block \(join("+")) on invoice \($r | f("doc_number")), PO \($r | f("po_number"))/\($r | f("po_line")): value difference DWERT \($r | xr("DWERT"; "?")) \($r | f("currency"))"] else empty end),
  (if code("PRICE")
   then ["oracle_price_hold", "price_variance", 0.8, "procurement", "medium", "Oracle hold PRICE on invoice \(f("doc_number")) of \(f("vendor_name")), PO \(f("po_number")), placed \(f("hold_date")): \(xr("Hold Reason"; "invoice price exceeds PO price"))"] else empty end),
  (if invoice_ok and (.po_price | numbers) > 0 and (.inv_price | numbers) > .po_price * 1.02
   then ["price_variance", "price_variance", 0.75, "procurement", "medium", "inv_price \(f("inv_price")) > po_price \(f("po_price")) (+\((.inv_price / .po_price - 1) * 1000 | round / 10)%, tolerance 2%)"] else empty end),
  (if code("DQ") or (code("SPGRM") and .gr_qty != 0 and (code("DW") | not))
   then ["sap_qty_block", "quantity_variance", 0.8, "receiving", "medium", "SAP quantity block \(codes(["SPGRM", "DQ"]) | join("+")) on invoice \(f("doc_number")), PO \(f("po_number"))/\(f("po_line")): inv_qty \(f("inv_qty")), gr_qty \(f("gr_qty")), quantity difference DMENG \(xr("DMENG"; "?"))"] else empty end),
  (if code("SPGRG")
   then ["sap_order_price_qty_block", "quantity_variance", 0.7, "procurement", "medium", "SAP block SPGRG (order price quantity) on invoice \(f("doc_number")), PO \(f("po_number"))/\(f("po_line")): the quantity in order price unit differs from the PO"] else empty end),
  (if code("SPGRC")
   then ["sap_quality_block", "quantity_variance", 0.7, "receiving", "medium", "SAP block SPGRC (quality inspection) on invoice \(f("doc_number")), PO \(f("po_number"))/\(f("po_line")): inv_qty \(f("inv_qty")) not yet accepted by quality inspection"] else empty end),
  (if code("QTY REC") and (.gr_qty | numbers) > 0
   then ["oracle_qty_rec_partial_receipt", "quantity_variance", 0.8, "receiving", "medium", "Oracle hold QTY REC on invoice \(f("doc_number")) of \(f("vendor_name")), PO \(f("po_number")): inv_qty \(f("inv_qty")) billed, gr_qty \(f("gr_qty")) received, placed \(f("hold_date"))"] else empty end),
  (if invoice_ok and (.gr_qty | numbers) > 0 and (.inv_qty | numbers) > .gr_qty
   then ["quantity_over_received", "quantity_variance", 0.75, "receiving", "medium", "inv_qty \(f("inv_qty")) > gr_qty \(f("gr_qty")) received (+\((.inv_qty - .gr_qty) * 1000 | round / 1000), tolerance 0%)"] else empty end),
  (if code("AMOUNT")
   then ["oracle_amount_hold", "amount_limit", 0.9, "approvals", "high", "Oracle hold AMOUNT on invoice \(f("doc_number")) of \(f("vendor_name")): \(amt) exceeds the site invoice limit, placed \(f("hold_date"))"] else empty end),
  (codes(["SPGRS", "AN", "AP"]) | if length > 0
   then ["sap_amount_block", "amount_limit", 0.8, "approvals", "high", "SAP block \(join("+")) (item amount) on invoice \($r | f("doc_number")), PO \($r | f("po_number"))/\($r | f("po_line")): \($r | amt) above the item amount limit"] else empty end),
  (codes(["TAX DIFFERENCE", "TAX VARIANCE", "TAX AMOUNT RANGE"]) | if length > 0
   then ["oracle_tax_hold", "tax_mismatch", 0.85, "tax", "medium", "Oracle hold \([$hc[] | select(startswith("TAX"))] | join(", ")) on invoice \($r | f("doc_number")) of \($r | f("vendor_name")): \($r | xr("Hold Reason"; "tax on the invoice differs from the calculated tax"))"] else empty end),
  (if (.tax_amount | numbers) != 0 and (.tax_code | strings | test("^(0|Z|ZR|ZERO|EX|EXEMPT|NT|RC|.*[-_ ](0|ZERO|EXEMPT|EX|RC))$"; "i"))
   then ["tax_zero_rated_charged", "tax_mismatch", 0.8, "tax", "medium", "tax code \(f("tax_code")) means no tax (zero rate, exempt or reverse charge) but tax_amount is \(f("tax_amount")) \(f("currency"))"] else empty end),
  (tax_rates[.tax_code | strings // ""] as $t |
   if $t and (.amount | numbers) != 0 and (.tax_amount | type) == "number" and ((.tax_amount - .amount * $t / (100 + $t)) | fabs) > 0.05
   then ["tax_rate_mismatch", "tax_mismatch", 0.75, "tax", "medium", "tax_amount \(f("tax_amount")) \(f("currency")) on gross \(f("amount")) does not fit tax code \(f("tax_code")) at \($t)%: expected \(.amount * $t / (100 + $t) * 100 | round / 100) (tolerance 0.05)"] else empty end),
  (codes(["DIST VARIANCE", "LINE VARIANCE"]) | if length > 0
   then ["oracle_distribution_variance", "coding_error", 0.85, "accounting", "medium", "Oracle hold \(join(", ")) on invoice \($r | f("doc_number")) of \($r | f("vendor_name")) (\($r | amt)): \($r | xr("Hold Reason"; "lines or distributions do not add up to the invoice"))"] else empty end),
  (if .doc_type == "invoice" and (.doc_number // "") == ""
   then ["invoice_number_missing", "coding_error", 0.6, "accounting", "medium", "invoice \(f("id")) of \(vendor) (\(amt), \(f("doc_date"))) has no doc_number: it cannot be checked for duplicates"] else empty end),
  (if code("NO RATE")
   then ["oracle_no_rate", "fx_missing", 0.9, "accounting", "low", "Oracle hold NO RATE on invoice \(f("doc_number")) of \(f("vendor_name")): no exchange rate for \(f("currency")) on \(f("doc_date"))"] else empty end),
  (if code("SPGRV")
   then ["sap_budget_block", "funds_check", 0.85, "accounting", "medium", "SAP block SPGRV (project budget) on invoice \(f("doc_number")), PO \(f("po_number"))/\(f("po_line")): \(amt) exceeds the budget available"] else empty end),
  (codes(["CANT FUNDS CHECK", "INSUFFICIENT FUNDS"]) | if length > 0
   then ["oracle_funds_hold", "funds_check", 0.9, "accounting", "medium", "Oracle hold \(join(", ")) on invoice \($r | f("doc_number")) of \($r | f("vendor_name")) (\($r | amt)), placed \($r | f("hold_date"))"] else empty end),
  (if (.iban | strings | split(" ") | join("") | test("^[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{11,30}$")) and (.iban | mod97) != 1
   then ["iban_check_digits", "vendor_master_mismatch", 0.8, "vendor_master", "high", "IBAN \(f("iban")) of \(f("counterparty")) fails the ISO 13616 check digits (mod 97 gives \(.iban | mod97), not 1): the bank data on file is mistyped"] else empty end),
  (codes(["SPGRT", "ST"]) | if length > 0
   then ["sap_date_block", "date_variance", 0.8, "procurement", "low", "SAP date block \(join("+")) on invoice \($r | f("doc_number")) dated \($r | f("doc_date")), PO \($r | f("po_number"))/\($r | f("po_line")): invoiced ahead of the planned delivery date (days DTAGE \($r | xr("DTAGE"; "?")))"] else empty end),
  (if code("SPGRQ")
   then ["sap_manual_block", "manual_hold", 0.9, "accounting", "low", "SAP manual block SPGRQ on invoice \(f("doc_number")), PO \(f("po_number"))/\(f("po_line")) (\(amt)): released by whoever set it"] else empty end),
  (if (.payment_block | strings | IN("", "R", "*") | not)
   then ["sap_manual_payment_block", "manual_hold", 0.7, "accounting", "low", "payment block \(f("payment_block")) on \(f("doc_number")) of \(vendor) (\(amt)): set by hand, released by whoever set it"] else empty end),
  (if .payment_block == "R" and ($hc | length) == 0
   then ["sap_iv_block_unexplained", "manual_hold", 0.4, "accounting", "low", "payment block R (invoice verification) on \(f("doc_number")) of \(vendor) (\(amt)) with no block reason in this export: see MRBR"] else empty end),
  (if $unknown | any(test(receipt_words + "|price|quantit|qty|amount|total|tax|vat"; "i") | not)
   then ["unrecognised_hold_code", "manual_hold", 0.6, "accounting", "low", "user-defined hold \($unknown | join(", ")) on invoice \(f("doc_number")) of \(f("vendor_name")), placed \(f("hold_date")) by \(f("held_by")): \(xr("Hold Reason"; "no hold reason"))"] else empty end),
  (if IN($st; "ACCP", "ACSC", "ACSP", "ACTC", "PDNG")
   then ["payment_accepted", "none", 0.9, "treasury", "low", "\(pay): status \($st), accepted or in process"] else empty end),
  (if $st | test("^(bill|bill credit|vendor credit) ?: ?(open|paid in full|fully applied|closed)$"; "i")
   then ["netsuite_open_or_settled", "none", 0.8, "accounting", "low", "NetSuite \(f("doc_type")) \(f("doc_number")) is \($st): approved, nothing on hold"] else empty end),
  (if .doc_type == "bank_line" and (.amount | numbers) < 0 and (.remittance // "" | test("\\bfees?\\b|\\bcharges?\\b|geb[uü]hr|kontof[uü]hrung|entgelt|\\bfrais\\b|commission"; "i"))
   then ["bank_charges", "none", 0.8, "treasury", "low", "bank charge of \(amt) on \(f("value_date")) (\(f("remittance")))"] else empty end),
  (if .doc_type == "bank_line" and (.amount | numbers) < 0 and (.counterparty // "") != ""
   then ["bank_payment_identified", "none", 0.7, "treasury", "low", "payment of \(amt) to \(f("counterparty")) on \(f("value_date")) (\(.remittance // "no remittance text"))"] else empty end),
  (if .listing == "documents" and ($hc | length) == 0 and (.payment_block // "") == "" and $rc == ""
      and ((.status // "") | tostring | test("hold|held|block|reject|rjct|pending|disput|fail|error|exception|suspend|return|variance|unmatched"; "i") | not)
      and ((.extra | type) != "object" or (.extra | to_entries | any((.key | test("hold|block|match|disput"; "i")) and (.value | strings | test("^ *(yes|y|true|x|1|on hold|held|blocked|fail(ed)?|mismatch(ed)?|not passed|not matched|warning) *$"; "i")))) | not)
   then ["document_without_exception", "none", 0.8, "accounting", "low", "\(.doc_type // "document") \(.doc_number // .reference // .id) of a document list (\(f("source"))): no hold, block, reason code or troubled status, and no rule found an exception"] else empty end)
  ;

# the duplicate index: invoices by vendor and normalised number
def dupkey: if (.doc_type // "invoice") != "invoice" or (.status | strings // "" | test("void|cancel|revers"; "i"))
      or (.vendor_id | strings // "") == "" then null
    else "\(.vendor_id)|\(.doc_number // "" | tostring | gsub("[ /.#-]"; "") | ascii_upcase | sub("^0+"; ""))" end;
def day: strings | select(test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")) | strptime("%Y-%m-%d") | mktime / 86400;

# The state is the index itself, flat, and everything the update needs of
# the record is read before it: jq 1.6 updates a flat object in place but
# copies the state whole on every record when it is nested or when the
# update's input is still held by a generator (quadratic). The key ""
# holds the current record's match.
def hit($e; $x): ($e.doc == null or $e.doc != $x.doc) and ($e.day - $x.day | fabs) <= 30;
foreach (inputs | [., (dupkey // ""), {id, doc: .doc_id, day: (.doc_date | day // 0), amount, currency}]) as [$r, $k, $x]
  ({}; if $k == "" then .[""] = null
       elif .[$k] == null then .[$k] = $x | .[""] = null
       elif hit(.[$k]; $x) then .[""] = .[$k]
       else .[""] = null end;
  [$r, .[""]])
| .[1] as $h | .[0] as $r |
  ($r | if $h then {why: "same vendor \(.vendor_id), invoice number \(.doc_number) as \($h.id)",
        of: $h.id, score: (if $h.amount == .amount and $h.currency == .currency then 0.95 else 0.85 end)} else null end) as $dup |
  $r | [rules($dup)] as $m |
  if $m == [] then . + {exception: "other", exceptions: ["other"], domain: "unknown", sensitivity: "low",
      confidence: 0.3, reasons: ["other: no rule matched"]}
  else $m[0] as $p
    | . + {exception: (if $p[1] == "none" then null else $p[1] end),
        exceptions: (reduce ($m[] | select(.[1] != "none") | .[1]) as $c ([]; if any(.[]; . == $c) then . else . + [$c] end)),
        domain: $p[3], sensitivity: $p[4],
        confidence: (1 - (reduce ($m[] | select(.[1] == $p[1]) | .[2]) as $c (1; . * (1 - $c))) | . * 100 | round / 100),
        reasons: [$m[] | "\(.[0]): \(.[5])"]}
  end
  | if $dup then . + {duplicate_of: $dup.of, duplicate_score: $dup.score} else . end
