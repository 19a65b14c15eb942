# gen-ap.awk - a seeded AP export for benchmarks: awk -v n=ROWS -f gen-ap.awk
# The same n gives the same bytes (srand with a fixed seed).
BEGIN {
	if (n == "") n = 1000000
	srand(20261121)
	split("EUR USD GBP JPY CHF KWD", cur, " ")
	split("PRICE,QTY REC,,,TAX VARIANCE,,", hold, ",")
	print "Invoice Number,Vendor ID,Vendor Name,Invoice Date,Due Date,Currency,Amount,PO Number,Hold Code,Comments"
	for (i = 0; i < n; i++) {
		c = cur[1 + int(rand() * 6)]
		if (c == "JPY") amt = sprintf("\"%d,%03d\"", int(rand() * 900) + 1, int(rand() * 1000))
		else if (c == "KWD") amt = sprintf("%d.%03d", int(rand() * 90000), int(rand() * 1000))
		else amt = sprintf("\"%d,%03d.%02d\"", int(rand() * 90) + 1, int(rand() * 1000), int(rand() * 100))
		printf "INV-%07d,V%05d,\"Vendor %d, Inc.\",2026-%02d-%02d,2026-12-%02d,%s,%s,45%08d,%s,%s\n", \
		    i, i % 20000, i % 20000, 1 + i % 12, 1 + i % 28, 1 + i % 28, c, amt, \
		    int(rand() * 1e8), hold[1 + int(rand() * 7)], (i % 10 == 0 ? "\"checked, see ticket\nline 2\"" : "")
	}
}
