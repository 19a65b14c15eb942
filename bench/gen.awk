# gen.awk - seeded ERP-like CSV exports for benchmarks and the soak test.
#
#   awk -v p=PROFILE -v n=ROWS [-v seed=S] -f bench/gen.awk
#
# PROFILE: ap (a generic AP export, fo-ingest --numbers 1,234.56), sap-mrbr,
# oracle-ap-holds, netsuite-bills, payment-status (pain.002 flattened),
# bank-csv (an English statement download). n data rows (default
# 1000000) are written to stdout as they are made, so 10M rows stream
# through a pipe in constant memory. The random numbers come from our own
# Park-Miller generator (exact in doubles), not rand(): the same p, n and
# seed give the same bytes with mawk, gawk or busybox awk. The vendor
# count is n/50 (at least 100) unless -v vendors=K fixes it; with the same
# vendors, a run of n rows is a prefix of a run of more rows (but for the
# trailer lines of oracle-ap-holds, netsuite-bills and bank-csv).
#
# What it imitates (testdata/ingest/*): the layouts of the fixtures, title
# and trailer junk, UTF-8 names with commas and quotes, fields with
# embedded newlines, empty fields, German numbers with a trailing minus
# (SAP), parentheses for negatives (Oracle, NetSuite), currency signs,
# JPY (0 decimals) and KWD (3 decimals), vendors drawn from a skewed
# distribution (a few vendors have most of the invoices), and about 2% of
# invoices entered again: same vendor, the number re-typed (spaces, dashes,
# case), same amount, same or a later date (fo-classify's duplicates).
function rnd() { st = (st * 48271) % 2147483647; return (st - 1) / 2147483646 }
function ri(k) { return int(rnd() * k) }
function pick(s,   a, m) { m = split(s, a, "|"); return a[1 + ri(m)] }
# civil date of a day number (0 = 2026-01-01), 2026-2027 only
function ymd(d,   y, m) {
	y = 2026
	if (d >= 365) { y = 2027; d -= 365 }
	if (d < 0) { y = 2025; d += 365 }
	for (m = 1; m <= 12 && d >= ml[m]; m++) d -= ml[m]
	Y = y; M = m; D = d + 1
}
function iso(d) { ymd(d); return sprintf("%04d-%02d-%02d", Y, M, D) }
function compact(d) { ymd(d); return sprintf("%04d%02d%02d", Y, M, D) }
function oradate(d) { ymd(d); return sprintf("%02d-%s-%04d", D, mon[M], Y) }
function orayy(d) { ymd(d); return sprintf("%02d-%s-%02d", D, mon[M], Y % 100) }
function usdate(d) { ymd(d); return sprintf("%d/%d/%04d", M, D, Y) }
function usdate0(d) { ymd(d); return sprintf("%02d/%02d/%04d", M, D, Y) }
# an amount in minor units: log-uniform from 10 to ~300,000 major units
function minor(dec) { return int(exp(log(10) * (1 + rnd() * 4.5)) * 10 ^ dec) }
# minor units as text: dec decimals, group mark g ("" for none), decimal mark p
function num(v, dec, g, p,   s, neg, ip, fp, out) {
	neg = v < 0; if (neg) v = -v
	s = sprintf("%d", v)
	while (length(s) <= dec) s = "0" s
	ip = substr(s, 1, length(s) - dec); fp = substr(s, length(s) - dec + 1)
	out = ""
	while (g != "" && length(ip) > 3) { out = g substr(ip, length(ip) - 2) out; ip = substr(ip, 1, length(ip) - 3) }
	out = ip out
	if (dec > 0) out = out p fp
	return (neg ? "-" : "") out
}
function q(s) { return "\"" s "\"" }
function qq(s) { if (s ~ /[",\n]/) { gsub(/"/, "\"\"", s); return q(s) } return s }
function decs(c) { return c == "JPY" ? 0 : (c == "KWD" || c == "BHD") ? 3 : 2 }
function vendor() { return int(nv * rnd() * rnd()) }
function vname(k,   b) {
	b = pick("Northwind Components, Inc.|Contoso Freight LLC|Müller Präzisionsteile GmbH|Albion Fasteners Ltd|Tokai Seiki K.K.|Gulf Trading Co. W.L.L.|Bureau Lefèvre SARL|Fabrikam Office Ltd|Rossi & Figli S.r.l.|Van Dijk Verpakking B.V.|\"Acme\" Tools, Inc.|Hoffmann Logistik AG")
	return b " " k
}
# an invoice identity: fresh, or (2%) one of the last 512 entered again
function invoice(prefix,   j, s) {
	if (nring > 0 && rnd() < 0.02) {
		j = ri(nring < 512 ? nring : 512)
		IK = rk[j]; IC = rc[j]; IA = ra[j]; ID = rd[j] + ri(6)
		s = rn[j]
		if (s ~ /-/ && rnd() < 0.5) sub(/-/, " ", s)
		else if (rnd() < 0.5) s = tolower(s)
		IN = s; IDUP = 1
		return
	}
	IK = vendor(); IC = cur[1 + ri(ncur)]; IA = minor(decs(IC))
	ID = asof - 3 - ri(150); seq++
	IN = sprintf("%s%07d", prefix, seq * 7 + ri(7)); IDUP = 0
	j = nring % 512; nring++
	rk[j] = IK; rc[j] = IC; ra[j] = IA; rd[j] = ID; rn[j] = IN
}
BEGIN {
	if (n == "") n = 1000000
	if (p == "") p = "ap"
	st = (seed == "" ? 20261121 : seed); for (i = 1; i <= length(p); i++) st = (st * 31 + index("abcdefghijklmnopqrstuvwxyz-", substr(p, i, 1))) % 2147483646
	st++
	split("31 28 31 30 31 30 31 31 30 31 30 31", ml, " ")
	split("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC", mon, " ")
	asof = 324			# 2026-11-21
	nv = vendors != "" ? vendors + 0 : int(n / 50); if (nv < 100) nv = 100
	ncur = split("EUR EUR EUR USD USD GBP JPY CHF KWD", cur, " ")
	if (p == "ap") ap()
	else if (p == "sap-mrbr") sap()
	else if (p == "oracle-ap-holds") oracle()
	else if (p == "netsuite-bills") netsuite()
	else if (p == "payment-status") pain()
	else if (p == "bank-csv") bank()
	else { print "gen.awk: unknown profile " p > "/dev/stderr"; exit 2 }
}
function ap(   i, c, pp, ip, gq, iq, tc, ta, hold, st2, cb, ab) {
	print "Invoice Number,Vendor ID,Vendor Name,Invoice Date,Due Date,Currency,Amount,PO Number,PO Price,Invoice Price,Received Quantity,Invoice Quantity,Tax Code,Tax Amount,Hold Code,Status,Created By,Approved By,Comments"
	for (i = 0; i < n; i++) {
		invoice("INV-")
		c = IC; pp = ""; ip = ""; gq = ""; iq = ""; tc = ""; ta = ""
		if (rnd() < 0.7) {
			iq = 1 + ri(500); gq = rnd() < 0.1 ? 0 : (rnd() < 0.1 ? iq - 1 - ri(iq) : iq)
			pp = 100 + ri(99900); ip = rnd() < 0.15 ? int(pp * (1.03 + rnd() / 5)) : pp
			pp = num(pp, 2, "", "."); ip = num(ip, 2, "", ".")
		}
		if (c == "EUR" && rnd() < 0.3) {
			tc = pick("DE-VAT-19|DE-VAT-7|EX|RC")
			ta = int(IA * (tc == "DE-VAT-7" ? 7 : 19) / (tc == "DE-VAT-7" ? 107 : 119))
			if (rnd() < 0.1) ta += 500
			if (tc ~ /EX|RC/ && rnd() < 0.7) ta = 0
			ta = q(num(ta, 2, ",", "."))
		}
		hold = pick("PRICE|QTY REC|TAX VARIANCE|||||||AP MGR REVIEW|Receipt Required")
		st2 = pick("Open|Open|Open|Pending Approval|Approved|Voided")
		cb = pick("JDOE|MWEBER|AKIM|SYSTEM"); ab = rnd() < 0.03 ? tolower(cb) : pick("LCHEN|RPATEL|")
		printf "%s,V%05d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", \
		    IN, IK, qq(vname(IK)), iso(ID), iso(ID + 30), c, q(num((rnd() < 0.03 ? -IA : IA), decs(c), ",", ".")), \
		    (iq == "" || rnd() < 0.05 ? "" : sprintf("45%08d", IK * 7 + ri(1000))), pp, ip, gq, iq, tc, ta, \
		    hold, st2, cb, ab, (i % 10 == 0 ? "\"checked, see ticket\nline 2\"" : "")
	}
}
function sap(   bu, i, b, k, items, it, c, fl, f, blk, v, d) {
	printf "\357\273\277BUKRS;BELNR;GJAHR;BUZEI;LIFNR;XBLNR;BLDAT;BUDAT;ZTERM;ZFBDT;EBELN;EBELP;MENGE;WRBTR;WAERS;DMENG;DWERT;ZLSPR;SPGRP;SPGRM;SPGRT;SPGRQ;SPGRG;SPGRS;SPGRC;SPGRV\n"
	split("SPGRP SPGRM SPGRT SPGRQ SPGRG SPGRS SPGRC SPGRV", fl, " ")
	for (i = 0; i < n; ) {
		invoice("RE-2026-"); b++
		items = 1 + (rnd() < 0.3 ? ri(3) : 0); bu = pick("1000|1000|2000|3000")
		for (it = 1; it <= items && i < n; it++) {
			i++
			c = IC; v = it == 1 ? IA : int(minor(2) / 10)
			blk = pick("R|R|R|R|R|A|*|")
			printf "%s;51%08d;2026;%06d;%010d;%s;%s;%s;%s;%s;45%08d;%05d;%s;%s;%s;%s;%s;%s", \
			    bu, b, it, IK, IN, compact(ID), compact(ID + 2), \
			    pick("ZB01|ZB30|ZB14|0001"), compact(ID), IK * 13 + b % 1000, it * 10, \
			    num(ri(100000), 3, ".", ","), num(v, 2, ".", ",") (rnd() < 0.03 ? "-" : ""), c, \
			    (rnd() < 0.2 ? num(ri(50000), 3, ".", ",") "-" : "0,000"), num(ri(99999), 2, ".", ","), blk
			for (f = 1; f <= 8; f++) printf ";%s", (rnd() < (f <= 2 ? 0.25 : 0.06) ? "X" : "")
			printf "\n"
		}
	}
}
function oracle(   bu, i, holds, h, k, c, rel, amt, hd) {
	print "Invoices on Hold Report"
	print "\"Business Unit: All, Hold Date From: 01-SEP-2026\""
	print "Run Date: 21-NOV-2026 06:00:12"
	print ""
	print "Business Unit,Supplier Number,Supplier Name,Supplier Site,Invoice Number,Invoice Date,Due Date,Invoice Currency,Invoice Amount,PO Number,Hold Name,Hold Reason,Hold Date,Held By,Release Name,Release Reason,Release Date"
	for (i = 0; i < n; ) {
		invoice("NF-")
		holds = 1 + (rnd() < 0.25 ? 1 : 0); bu = pick("US1 BU|DE1 BU|KW1 BU")
		for (h = 1; h <= holds && i < n; h++) {
			i++
			k = pick("PRICE|QTY REC|QTY REC|TAX VARIANCE|AMOUNT|VENDOR|DIST VARIANCE|NO RATE|PO REQUIRED|AP MGR REVIEW|FINAL MATCHING|INSUFFICIENT FUNDS")
			amt = num(IA, decs(IC), ",", ".")
			if (rnd() < 0.03) amt = "(" amt ")"
			rel = rnd() < 0.1
			hd = ID + 1 + h
			printf "%s,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s 0%d:%02d:%02d,%s,%s,%s,%s\n", \
			    bu, IK, qq(vname(IK)), pick("PITTSBURGH|CHICAGO|STUTTGART"), \
			    IN, oradate(ID), orayy(ID + 30), IC, qq(amt), (k == "PO REQUIRED" ? "" : "PO-" (550000 + ri(99999))), \
			    k, (k == "AP MGR REVIEW" ? "\"Vendor disputes freight charge.\nHold until credit note arrives, see ticket AP-" ri(9999) "\"" : "\"Hold " k ", tolerance 2%\""), \
			    oradate(hd), ri(10), ri(60), ri(60), pick("SYSTEM|SYSTEM|MWEBER"), \
			    (rel ? "HOLDS QUICK RELEASED" : ""), (rel ? "\"Goods received at dock 2,\nreceipt " ri(99999) "\"" : ""), (rel ? orayy(hd + 3) : "")
		}
	}
	print ""
	print "*** End of Report ***"
}
function netsuite(   i, typ, c, sym, amt, st2, a) {
	print "Internal ID,Date,Type,Document Number,Name,Memo,Status,Due Date,Terms,Currency,Amount,Amount (Foreign Currency),Approval Status,Subsidiary"
	for (i = 0; i < n; i++) {
		invoice("INV-")
		typ = rnd() < 0.08 ? "Bill Credit" : "Bill"
		c = IC; sym = c == "USD" ? "$" : c == "EUR" ? "€" : c == "GBP" ? "£" : c == "JPY" ? "¥" : ""
		amt = sym num(IA, decs(c), ",", ".")
		if (typ == "Bill Credit") amt = "(" amt ")"
		st2 = typ ":" (typ == "Bill" ? pick("Open|Open|Pending Approval|Paid In Full|Rejected|Cancelled") : "Open")
		a = st2 ~ /Pending/ ? "Pending Approval" : "Approved"
		printf "%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", 48000 + i, usdate(ID), typ, \
		    (rnd() < 0.01 ? "" : IN), qq("V" IK " " vname(IK)), (i % 7 == 0 ? "\"Rush order\nexpedite fee\"" : (i % 5 == 0 ? "\"Pallets, Oct freight\"" : "")), \
		    st2, (typ == "Bill" ? usdate(ID + 30) : ""), pick("Net 30|Net 30|2% 10 Net 30|Net 60"), c, \
		    qq("$" num(IA, 2, ",", ".")), qq(amt), a, "Honeycomb Holdings Inc. : Honeycomb " pick("US|Europe B.V.")
	}
	print "Total:,,,,,,,,,,\"$0.00\",,,"
}
function pain(   i, s, rc, c) {
	print "Original Message ID,Original Payment Information ID,End To End ID,Transaction Status,Reason Code,Additional Information,Creditor Name,Creditor IBAN,Amount,Currency,Requested Execution Date,Remittance Information"
	for (i = 0; i < n; i++) {
		invoice("INV ")
		s = pick("RJCT|RJCT|ACSC|ACSC|ACCP|PDNG|PART")
		rc = s == "RJCT" ? pick("AC01|AC04|AM04|AM05|MS03|NARR|RR04|BE01|FF01|XX99|") : ""
		c = IC
		printf "ACME-PAY-2026%04d-01,PMT-%s,E2E-2026-%07d,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", int(i / 1000), c, i, s, rc, \
		    (rc == "NARR" ? "\"Beneficiary account under review, resubmit after 10.10.\"" : ""), qq(vname(IK)), \
		    pick("DE89370400440532013000|FR7630006000011234567890189|NL91ABNA0417164300|DE89370400440532013001|"), \
		    num(IA, decs(c), "", "."), c, iso(ID), qq("INV " IN ", " IK)
	}
}
function bank(   i, a, bal, cp, rem) {
	print "Account Name,ACME EUROPE LTD - EUR OPERATING"
	print "Account Number,41779023"
	print "IBAN,GB15NWBK60161341779023"
	print "Statement Period,2026-01-01,2026-11-30"
	print "Opening Balance,\"25,000.00\""
	print ""
	print "Booking Date,Value Date,Counterparty,IBAN,Remittance Information,Reference,Amount,Currency,Balance"
	bal = 2500000
	for (i = 0; i < n; i++) {
		invoice("INV ")
		a = rnd() < 0.6 ? -minor(2) : minor(2)
		cp = qq(vname(IK)); rem = qq("INV " IN ", " pick("Oct|Nov"))
		if (rnd() < 0.1) { a = -(500 + ri(5000)); cp = ""; rem = "ACCOUNT FEE " pick("OCT|NOV") " 2026" }
		else if (rnd() < 0.1) rem = ""
		bal += a
		printf "%s,%s,%s,%s,%s,FT%08dRX,%s,EUR,%s\n", iso(ID), iso(ID - ri(3)), cp, \
		    (cp == "" ? "" : pick("DE89370400440532013000|GB33BUKB20201555555555|CH9300762011623852957")), \
		    rem, i, qq(num(a, 2, ",", ".")), qq(num(bal, 2, ",", "."))
	}
	print "Closing Balance,2026-11-30,,,,,,EUR," q(num(bal, 2, ",", "."))
}
