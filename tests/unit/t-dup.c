/* t-dup.c - duplicate invoice suspects: lib/stage/dup.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"
#include "tap.h"

static const struct fo_dup_params defaults = { 30, 0, 0, 0 };

static int32_t
day(const char *iso)
{
	int y, m, d;

	if (sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3)
		abort();
	return fo_date_from_ymd(y, m, d);
}

/* An open invoice: amount in minor units, date "YYYY-MM-DD" or NULL. */
static struct fo_dup_inv
inv(const char *id, const char *vendor, const char *num, const char *cur,
    int64_t amount, const char *date)
{
	struct fo_dup_inv v;

	memset(&v, 0, sizeof v);
	v.id = id;
	v.vendor_id = vendor;
	v.doc_number = num;
	v.currency = cur;
	v.amount = amount;
	v.has_amount = 1;
	if (date != NULL) {
		v.date = day(date);
		v.has_date = 1;
	}
	v.doc_type = "invoice";
	v.status = "open";
	return v;
}

static struct fo_dup_match mres;

/* Check (and add); the match is left in mres. */
static const struct fo_dup_match *
check(struct fo_dup *d, struct fo_dup_inv v, int add)
{
	int rc;

	rc = fo_dup_check(d, &v, add, &mres);
	if (rc != FO_OK) {
		printf("# fo_dup_check: %d\n", rc);
		exit(1);
	}
	return &mres;
}

static void
is_none(const struct fo_dup_match *m, const char *what)
{
	if (!ok(m->ev == FO_DUP_NONE && m->score == 0 && m->of[0] == '\0' &&
	    m->why[0] == '\0', "%s: no suspect", what))
		printf("#   got: ev %d score %d of '%s' why '%s'\n", m->ev,
		    m->score, m->of, m->why);
}

static void
is_match(const struct fo_dup_match *m, enum fo_dup_evidence ev, int score,
    const char *of, const char *what)
{
	if (!ok(m->ev == ev && m->score == score && strcmp(m->of, of) == 0,
	    "%s: evidence %d, score %d, of %s", what, ev, score, of))
		printf("#   got: ev %d score %d of '%s' why '%s'\n", m->ev,
		    m->score, m->of, m->why);
}

/* Out of line: inlined with a NULL in, gcc -O1 with sanitizers warns
 * about a %s it cannot see is guarded. */
static void is_norm(const char *, const char *) __attribute__((noinline));

static void
is_norm(const char *in, const char *want)
{
	char buf[64];
	size_t n;

	n = fo_dup_norm(in, buf, sizeof buf);
	is_str(buf, want, "norm '%s' -> '%s'", in ? in : "(null)",
	    want ? want : "(null)");
	is_int(n, strlen(want), "norm '%s' length", in ? in : "(null)");
}

static void
t_norm(void)
{
	char buf[4], buf64[64];

	is_norm("INV-00042", "INV00042");
	is_norm("00042", "42");
	is_norm("0-0042", "42");
	is_norm("  inv 1001 ", "INV1001");
	is_norm("inv#1001/a.b", "INV1001AB");
	fo_dup_norm("\tINV\t7\r\n", buf64, sizeof buf64);
	is_str(buf64, "INV\t7", "norm trims white space, keeps a tab inside");
	is_norm("000", "");
	is_norm("0", "");
	is_norm("", "");
	is_norm(NULL, "");
	is_norm("\xc3\xa9t\xc3\xa9-1", "\xc3\xa9T\xc3\xa9" "1");
	is_int(fo_dup_norm("ABCDEF", buf, sizeof buf), 3, "norm truncates");
	is_str(buf, "ABC", "norm truncates to n-1 and terminates");
	is_int(fo_dup_norm("ABC", buf, 0), 0, "norm into no room");
}

static void
t_same_number(void)
{
	struct fo_dup *d = fo_dup_new(&defaults);
	struct fo_dup_inv v;

	is_none(check(d, inv("generic:a1", "V100", "INV1001", "EUR", 123456,
	    "2026-01-05"), 1), "first invoice");
	is_match(check(d, inv("generic:a2", "V100", "INV-1001", "EUR", 123456,
	    "2026-01-20"), 0), FO_DUP_SAME_NUMBER, 95, "generic:a1",
	    "same number, same amount");
	is_str(mres.why, "same vendor V100, invoice number INV-1001 = INV1001 "
	    "after normalising, same amount 1234.56 EUR, dated 2026-01-20 and "
	    "2026-01-05 (first seen as generic:a1)", "why, same number");
	is_match(check(d, inv("generic:a3", "V100", " inv 1001", "EUR", 100000,
	    "2026-01-20"), 0), FO_DUP_SAME_NUMBER, 85, "generic:a1",
	    "same number, other amount");
	is_str(mres.why, "same vendor V100, invoice number inv 1001 = INV1001 "
	    "after normalising, amounts differ: 1000.00 EUR and 1234.56 EUR, "
	    "dated 2026-01-20 and 2026-01-05 (first seen as generic:a1)",
	    "why, other amount");
	v = inv("generic:a4", "V100", "INV1001", NULL, 0, NULL);
	v.has_amount = 0;
	is_match(check(d, v, 0), FO_DUP_SAME_NUMBER, 85, "generic:a1",
	    "same number, amount not known");
	is_str(mres.why, "same vendor V100, same invoice number INV1001, "
	    "amount not known (first seen as generic:a1)", "why, no amount");
	is_match(check(d, inv("generic:a5", "V100", "INV1001", "USD", 123456,
	    "2026-01-05"), 0), FO_DUP_SAME_NUMBER, 85, "generic:a1",
	    "same number and figure, other currency");
	ok(strstr(mres.why, "amounts differ: 1234.56 USD and 1234.56 EUR") !=
	    NULL, "why names both currencies");
	is_match(check(d, inv("generic:a6", "V100", "INV1001", "eur", 123456,
	    "2026-01-05"), 0), FO_DUP_SAME_NUMBER, 95, "generic:a1",
	    "currency compared without case");
	is_int(fo_dup_count(d), 1, "add=0 indexes nothing");
	fo_dup_free(d);

	/* a currency that is no code, 16 bytes and more, is cut to 15
	 * between characters: the reason quoting it stays UTF-8 (fuzz-dup) */
	d = fo_dup_new(&defaults);
	check(d, inv("x:1", "V1", "K1", "EURO\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9", 100, "2026-01-05"), 1);
	check(d, inv("x:2", "V1", "K1", "EUR", 200, "2026-01-05"), 0);
	is_str(mres.why, "same vendor V1, same invoice number K1, amounts "
	    "differ: 2.00 EUR and 1.00 EURO\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9, both dated 2026-01-05 (first seen as x:1)",
	    "a long currency: cut before the character that does not fit");
	ok(fo_utf8_check(mres.why, strlen(mres.why)) == strlen(mres.why),
	    "the reason is UTF-8");
	fo_dup_free(d);
}

static void
t_lookalike(void)
{
	struct fo_dup *d = fo_dup_new(&defaults);

	check(d, inv("x:1", "V1", "INV1001", "EUR", 5000, "2026-03-01"), 1);
	is_match(check(d, inv("x:2", "V1", "INV1O01", "EUR", 5000,
	    "2026-03-02"), 0), FO_DUP_LOOKALIKE, 90, "x:1", "O for 0");
	is_str(mres.why, "same vendor V1, invoice number INV1O01 matches "
	    "INV1001 but for OCR look-alikes, same amount 50.00 EUR, dated "
	    "2026-03-02 and 2026-03-01 (first seen as x:1)", "why, look-alike");
	is_match(check(d, inv("x:3", "V1", "inv-l001", "EUR", 5000,
	    "2026-03-02"), 0), FO_DUP_LOOKALIKE, 90, "x:1",
	    "lower-case l for 1");
	is_match(check(d, inv("x:4", "V1", "1NV1OO1", "EUR", 7000,
	    "2026-03-02"), 0), FO_DUP_LOOKALIKE, 70, "x:1",
	    "look-alike, other amount");
	check(d, inv("x:5", "V1", "85-2026", "EUR", 100, "2026-03-01"), 1);
	is_match(check(d, inv("x:6", "V1", "BS2O26", "EUR", 100,
	    "2026-03-01"), 0), FO_DUP_LOOKALIKE, 90, "x:5", "B, S and O");
	check(d, inv("x:7", "V1", "042", "EUR", 300, "2026-03-01"), 1);
	is_match(check(d, inv("x:8", "V1", "O42", "EUR", 300, "2026-03-01"),
	    0), FO_DUP_LOOKALIKE, 90, "x:7", "leading O is a leading zero");
	is_match(check(d, inv("x:9", "V1", "Z6G", "EUR", 1, "2026-03-01"), 0),
	    FO_DUP_NONE, 0, "", "Z6G is 266, seen nowhere");
	fo_dup_free(d);
}

static void
t_trailing(void)
{
	struct fo_dup *d = fo_dup_new(&defaults);

	check(d, inv("t:1", "V7", "582789", "EUR", 99900, "2026-04-01"), 1);
	is_match(check(d, inv("t:2", "V7", "582789a", "EUR", 99900,
	    "2026-04-09"), 0), FO_DUP_TRAILING, 85, "t:1",
	    "trailing letter, same amount");
	is_str(mres.why, "same vendor V7, invoice number 582789A is 582789 "
	    "with a trailing letter, same amount 999.00 EUR, dated 2026-04-09 "
	    "and 2026-04-01 (first seen as t:1)", "why, trailing letter");
	is_match(check(d, inv("t:3", "V7", "582789B", "EUR", 12000,
	    "2026-04-09"), 0), FO_DUP_TRAILING, 65, "t:1",
	    "trailing letter, other amount");
	check(d, inv("t:4", "V8", "7731C", "EUR", 500, NULL), 1);
	is_match(check(d, inv("t:5", "V8", "7731", "EUR", 500, NULL), 0),
	    FO_DUP_TRAILING, 85, "t:4", "the earlier one has the letter");
	ok(strstr(mres.why, "7731 is 7731C without its trailing letter") !=
	    NULL, "why, letter on the earlier");
	is_match(check(d, inv("t:6", "V8", "77319", "EUR", 501, NULL), 0),
	    FO_DUP_NONE, 0, "", "a trailing digit is no letter");
	fo_dup_free(d);
}

static void
t_one_edit(void)
{
	struct fo_dup *d = fo_dup_new(&defaults);

	check(d, inv("e:1", "V9", "AB-7781", "EUR", 25000, "2026-05-01"), 1);
	is_match(check(d, inv("e:2", "V9", "AC7781", "EUR", 25000,
	    "2026-07-01"), 0), FO_DUP_ONE_EDIT, 80, "e:1", "substitution");
	is_str(mres.why, "same vendor V9, invoice number AC7781 is one edit "
	    "from AB7781, same amount 250.00 EUR, dated 2026-07-01 and "
	    "2026-05-01 (first seen as e:1)", "why, one edit");
	is_match(check(d, inv("e:3", "V9", "AB77781", "EUR", 25000,
	    "2026-07-01"), 0), FO_DUP_ONE_EDIT, 80, "e:1", "insertion");
	is_match(check(d, inv("e:4", "V9", "AB781", "EUR", 25000,
	    "2026-07-01"), 0), FO_DUP_ONE_EDIT, 80, "e:1", "deletion");
	is_match(check(d, inv("e:5", "V9", "BA7781", "EUR", 25000,
	    "2026-07-01"), 0), FO_DUP_ONE_EDIT, 80, "e:1", "transposition");
	is_match(check(d, inv("e:6", "V9", "AC7781", "EUR", 25001,
	    "2026-05-02"), 0), FO_DUP_NONE, 0, "",
	    "one edit, other amount: not enough");
	is_match(check(d, inv("e:7", "V9", "BA7871", "EUR", 25000,
	    "2026-07-01"), 0), FO_DUP_NONE, 0, "", "two edits");
	check(d, inv("e:8", "V10", "AB1", "EUR", 700, "2026-01-01"), 1);
	is_match(check(d, inv("e:9", "V10", "AC1", "EUR", 700, "2026-06-01"),
	    0), FO_DUP_NONE, 0, "", "three characters: too short to edit");
	/* A series pair on one day is a double keyed twice. */
	check(d, inv("e:10", "V11", "INV1234", "EUR", 4200, "2026-02-02"), 1);
	is_match(check(d, inv("e:11", "V11", "INV1243", "EUR", 4200,
	    "2026-02-02"), 0), FO_DUP_ONE_EDIT, 80, "e:10",
	    "transposed digits, same date");
	ok(strstr(mres.why, ", both dated 2026-02-02 (first") != NULL,
	    "why says the date is the same");
	is_match(check(d, inv("e:12", "V11", "INV1243", "EUR", 4200,
	    "2026-02-12"), 0), FO_DUP_NONE, 0, "",
	    "transposed digits of a series, other date");
	fo_dup_free(d);
}

static void
t_amount_date(void)
{
	struct fo_dup_params p = { 30, 100, 0, 0 };
	struct fo_dup *d = fo_dup_new(&defaults), *t;

	check(d, inv("g:1", "V20", "A100", "EUR", 50000, "2026-06-01"), 1);
	is_match(check(d, inv("g:2", "V20", "B200", "EUR", 50000,
	    "2026-06-11"), 0), FO_DUP_AMOUNT_DATE, 60, "g:1",
	    "same amount inside the window");
	is_str(mres.why, "same vendor V20, invoice numbers B200 and A100, "
	    "same amount 500.00 EUR, dated 2026-06-11 and 2026-06-01 (10 days "
	    "apart, window 30) (first seen as g:1)", "why, amount and date");
	is_match(check(d, inv("g:3", "V20", "B200", "EUR", 50000,
	    "2026-07-01"), 0), FO_DUP_AMOUNT_DATE, 60, "g:1",
	    "30 days apart is inside a 30-day window");
	is_match(check(d, inv("g:4", "V20", "B200", "EUR", 50000,
	    "2026-07-02"), 0), FO_DUP_NONE, 0, "", "31 days apart is outside");
	is_match(check(d, inv("g:5", "V20", "B200", "EUR", 50001,
	    "2026-06-02"), 0), FO_DUP_NONE, 0, "", "no tolerance: exact");
	is_match(check(d, inv("g:6", "V20", NULL, "EUR", 50000, "2026-06-02"),
	    0), FO_DUP_AMOUNT_DATE, 60, "g:1", "no number, same amount");
	ok(strstr(mres.why, "no invoice number, first A100") != NULL,
	    "why, no number");
	is_match(check(d, inv("g:7", "V20", "B200", "EUR", 50000, NULL), 0),
	    FO_DUP_NONE, 0, "", "undated: no window to be inside");
	fo_dup_free(d);

	t = fo_dup_new(&p);
	check(t, inv("g:10", "V21", "K-1", "EUR", 100000, "2026-06-01"), 1);
	is_match(check(t, inv("g:11", "V21", "Q-9", "EUR", 101010,
	    "2026-06-01"), 0), FO_DUP_AMOUNT_DATE, 60, "g:10",
	    "1% of the larger amount: inside");
	is_str(mres.why, "same vendor V21, invoice numbers Q9 and K1, amounts "
	    "1010.10 EUR and 1000.00 EUR within 1.00%, both dated 2026-06-01 "
	    "(first seen as g:10)", "why, tolerance");
	is_match(check(t, inv("g:12", "V21", "Q-9", "EUR", 101011,
	    "2026-06-01"), 0), FO_DUP_NONE, 0, "", "just past 1%: outside");
	is_match(check(t, inv("g:13", "V21", "Q-9", "EUR", -100000,
	    "2026-06-01"), 0), FO_DUP_NONE, 0, "", "opposite sign: no match");
	is_match(check(t, inv("g:14", "V21", "K1", "EUR", 100500,
	    "2026-06-01"), 0), FO_DUP_SAME_NUMBER, 95, "g:10",
	    "tolerance counts as the same amount for a number too");
	fo_dup_free(t);
}

static void
t_shared_bank(void)
{
	struct fo_dup_params p = { 30, 0, 1, 0 };
	struct fo_dup *d = fo_dup_new(&p), *nob = fo_dup_new(&defaults);
	struct fo_dup_inv a, b, c;

	a = inv("b:1", "V100", "X-1", "EUR", 50000, "2026-02-01");
	a.iban = "DE89 3704 0044 0532 0130 00";
	b = inv("b:2", "V200", "Y-7", "EUR", 50000, "2026-02-10");
	b.iban = "de89370400440532013000";
	c = b;
	c.id = "b:3";
	c.iban = "DE02120300000000202051";
	is_none(check(d, a, 1), "first vendor");
	is_match(check(d, b, 0), FO_DUP_SHARED_BANK, 55, "b:1",
	    "other vendor, same IBAN, same amount");
	is_str(mres.why, "vendor V200 shares IBAN DE89370400440532013000 with "
	    "vendor V100, invoice numbers Y7 and X1, same amount 500.00 EUR, "
	    "dated 2026-02-10 and 2026-02-01 (9 days apart, window 30) (first "
	    "seen as b:1)", "why, shared bank");
	is_none(check(d, c, 0), "other vendor, other IBAN");
	c = b;
	c.date = day("2026-03-10");
	is_none(check(d, c, 0), "shared IBAN outside the window");
	c = b;
	c.amount = 50100;
	is_none(check(d, c, 0), "shared IBAN, other amount");
	check(nob, a, 1);
	is_none(check(nob, b, 0), "shared IBAN without match_bank");
	fo_dup_free(d);
	fo_dup_free(nob);
}

/*
 * A status that names a void, a cancellation or a reversal anywhere in
 * it, in any case, keeps the invoice out of the index; one that only
 * begins such a word does not. Each invoice has a number of its own:
 * only the count of those indexed is asked.
 */
static void
t_status_words(void)
{
	static const struct {
		const char *status;
		int out;	/* kept out of the index */
	} c[] = {
		{ "Approved", 0 }, { "VOI", 0 }, { "Rever", 0 },
		{ "Cancel", 1 }, { "pre-cancellation", 1 }, { "vvOID", 1 },
		{ "Bill:Reversal pending", 1 }, { "canceL", 1 },
		{ "Revers", 1 }, { "cance", 0 }, { "", 0 },
	};
	struct fo_dup *d = fo_dup_new(&defaults);
	struct fo_dup_inv v;
	char id[16], num[16];
	size_t i, want = 0;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		snprintf(id, sizeof id, "s:%zu", i);
		snprintf(num, sizeof num, "ST%zu", 1000 + i * 37);
		v = inv(id, "V9", num, "EUR", 1000 + 7 * (int64_t)i,
		    "2026-03-01");
		v.status = c[i].status;
		check(d, v, 1);
		want += !c[i].out;
		is_int(fo_dup_count(d), (long)want, "status \"%s\": %s",
		    c[i].status, c[i].out ? "not indexed" : "indexed");
	}
	fo_dup_free(d);
}

static void
t_false_positives(void)
{
	struct fo_dup *d = fo_dup_new(&defaults);
	struct fo_dup_inv v, w;

	/* A credit memo credits an invoice of the same number. */
	check(d, inv("f:1", "V1", "INV-9", "EUR", 10000, "2026-01-10"), 1);
	v = inv("f:2", "V1", "INV-9", "EUR", -10000, "2026-01-12");
	v.doc_type = "credit_memo";
	is_none(check(d, v, 1), "credit memo against its invoice");
	v.id = "f:3";
	v.doc_type = "CREDIT_MEMO";
	is_none(check(d, v, 1), "second credit memo of the pair");
	is_int(fo_dup_count(d), 1, "credit memos are not indexed");
	v = inv("f:4", "V1", "PAY-1", "EUR", 10000, "2026-01-12");
	v.doc_type = "payment";
	is_none(check(d, v, 1), "a payment of the invoice");

	/* Voided, then entered again. */
	v = inv("f:10", "V2", "7000", "EUR", 33300, "2026-02-01");
	v.status = "Voided";
	is_none(check(d, v, 1), "voided invoice");
	w = inv("f:11", "V2", "7000", "EUR", 33300, "2026-02-01");
	is_none(check(d, w, 1), "re-entered after the void");
	v.id = "f:12";
	v.status = "CANCELLED";
	is_none(check(d, v, 1), "cancelled invoice is no suspect");
	v.id = "f:13";
	v.status = "Bill:Reversed";
	is_none(check(d, v, 1), "reversed invoice is no suspect");
	is_int(fo_dup_count(d), 2, "void, cancel, reversal not indexed");

	/* Rent: one amount every month. */
	check(d, inv("f:20", "V3", "JAN26", "EUR", 250000, "2026-01-01"), 1);
	is_none(check(d, inv("f:21", "V3", "MAR26", "EUR", 250000,
	    "2026-03-01"), 1), "same amount, other number, outside window");
	check(d, inv("f:22", "V4", "R-2026-10", "EUR", 250000, "2026-10-31"),
	    1);
	is_none(check(d, inv("f:23", "V4", "R-2026-11", "EUR", 250000,
	    "2026-11-30"), 1), "series numbers inside the window");
	is_none(check(d, inv("f:24", "V4", "R-2026-12", "EUR", 250000,
	    "2026-12-31"), 1), "and the next month");
	is_match(check(d, inv("f:25", "V4", "R-2026-13", "EUR", 250000,
	    "2026-12-31"), 0), FO_DUP_ONE_EDIT, 80, "f:24",
	    "series numbers on the same day are a suspect");
	check(d, inv("f:26", "V5", "4711", "EUR", 9900, "2026-01-03"), 1);
	is_none(check(d, inv("f:27", "V5", "4890", "EUR", 9900,
	    "2026-01-29"), 1), "numeric series inside the window");
	is_match(check(d, inv("f:28", "V5", "990001", "EUR", 9900,
	    "2026-02-01"), 0), FO_DUP_AMOUNT_DATE, 60, "f:27",
	    "another pattern is no series");

	/* Numbers reused years apart. */
	check(d, inv("f:30", "V6", "100", "EUR", 50000, "2024-03-01"), 1);
	is_none(check(d, inv("f:31", "V6", "100", "EUR", 72000, "2026-03-01"),
	    0), "same number two years on, other amount");
	is_match(check(d, inv("f:32", "V6", "100", "EUR", 50000,
	    "2026-03-01"), 0), FO_DUP_SAME_NUMBER, 95, "f:30",
	    "two years on, same amount: still a suspect");
	is_match(check(d, inv("f:33", "V6", "100", "EUR", 72000,
	    "2024-12-26"), 0), FO_DUP_SAME_NUMBER, 85, "f:30",
	    "300 days on, other amount: still a suspect");
	is_none(check(d, inv("f:34", "V6", "1OO", "EUR", 72000, "2026-03-01"),
	    0), "a look-alike reused years on");

	/* Two vendors, one number. */
	check(d, inv("f:40", "V7", "INV1", "EUR", 1000, "2026-01-01"), 1);
	is_none(check(d, inv("f:41", "V8", "INV1", "EUR", 1000,
	    "2026-01-01"), 1), "other vendor, same number and amount");

	/* No vendor: never a suspect, never indexed. */
	check(d, inv("f:50", NULL, "INV1", "EUR", 1000, "2026-01-01"), 1);
	is_none(check(d, inv("f:51", "", "INV1", "EUR", 1000, "2026-01-01"),
	    1), "empty vendor");
	is_none(check(d, inv("f:52", "  ", "INV1", "EUR", 1000,
	    "2026-01-01"), 1), "blank vendor");
	is_none(check(d, inv("f:53", "V9", "", "EUR", 1000, NULL), 1),
	    "no number, no date");
	is_none(check(d, inv("f:54", "V9", "000", "EUR", 1000, NULL), 1),
	    "empty numbers are not the same number");
	fo_dup_free(d);
}

static void
t_ties(void)
{
	struct fo_dup *d = fo_dup_new(&defaults);

	check(d, inv("k:1", "V1", "N-5", "EUR", 100, "2026-01-01"), 1);
	check(d, inv("k:2", "V1", "N5", "EUR", 100, "2026-01-10"), 1);
	check(d, inv("k:3", "V1", "n 5", "EUR", 100, "2026-01-05"), 1);
	check(d, inv("k:4", "V1", "N#5", "EUR", 100, NULL), 1);
	is_match(check(d, inv("k:5", "V1", "N5", "EUR", 100, "2026-01-20"),
	    0), FO_DUP_SAME_NUMBER, 95, "k:2", "tie: the latest date wins");
	check(d, inv("k:6", "V1", "N/5", "EUR", 100, "2026-01-10"), 1);
	is_match(check(d, inv("k:7", "V1", "N5", "EUR", 100, "2026-01-20"),
	    0), FO_DUP_SAME_NUMBER, 95, "k:6", "same date: the latest added");
	check(d, inv("k:8", "V1", "N5", "EUR", 999, "2026-01-19"), 1);
	is_match(check(d, inv("k:9", "V1", "N5", "EUR", 100, "2026-01-20"),
	    0), FO_DUP_SAME_NUMBER, 95, "k:6",
	    "a higher score beats a more recent one");
	check(d, inv("u:1", "V2", "M1", "EUR", 100, NULL), 1);
	check(d, inv("u:2", "V2", "M1", "EUR", 100, "2020-01-01"), 1);
	check(d, inv("u:3", "V2", "M1", "EUR", 100, NULL), 1);
	is_match(check(d, inv("u:4", "V2", "M1", "EUR", 100, NULL), 0),
	    FO_DUP_SAME_NUMBER, 95, "u:2", "dated beats undated");
	fo_dup_free(d);
}

static void
t_history(void)
{
	struct fo_dup *d = fo_dup_new(&defaults);
	struct fo_dup_inv a, b;

	a = inv("h:A", "V1", "INV1", "EUR", 100, "2026-01-01");
	b = inv("h:B", "V1", "INV-1", "EUR", 100, "2026-01-02");
	is_none(check(d, a, 0), "check only: nothing earlier");
	is_none(check(d, b, 0), "check only: the first was not added");
	is_int(fo_dup_count(d), 0, "add=0 indexes nothing");
	/* --history of the very file being checked. */
	check(d, a, 1);
	check(d, b, 1);
	is_int(fo_dup_count(d), 2, "history indexed");
	is_none(check(d, a, 1), "a record is not its own duplicate");
	is_match(check(d, b, 1), FO_DUP_SAME_NUMBER, 95, "h:A",
	    "re-run gives what the first run gave");
	is_int(fo_dup_count(d), 2, "an id already indexed is not added again");
	a.id = "";
	b.id = NULL;
	is_match(check(d, a, 1), FO_DUP_SAME_NUMBER, 95, "h:B",
	    "no id: still checked");
	check(d, b, 1);
	is_int(fo_dup_count(d), 2, "no id: not indexed, nothing could name it");
	fo_dup_free(d);

	/* No parameters: a 30-day window, exact amounts, no bank match. */
	d = fo_dup_new(NULL);
	check(d, inv("n:1", "V1", "A100", "EUR", 100, "2026-01-01"), 1);
	is_match(check(d, inv("n:2", "V1", "B200", "EUR", 100, "2026-01-31"),
	    0), FO_DUP_AMOUNT_DATE, 60, "n:1", "default window is 30 days");
	is_none(check(d, inv("n:3", "V1", "B200", "EUR", 101, "2026-01-02"),
	    0), "default tolerance is none");
	fo_dup_free(d);
}

static void
t_format(void)
{
	struct fo_dup *d = fo_dup_new(&defaults);
	struct fo_dup_inv v;
	char id[600];
	size_t i;

	check(d, inv("m:1", "V1", "J1", "JPY", 1235, NULL), 1);
	check(d, inv("m:2", "V1", "J1", "JPY", 1235, NULL), 0);
	ok(strstr(mres.why, "same amount 1235 JPY") != NULL,
	    "JPY: no decimals");
	check(d, inv("m:3", "V1", "K1", "KWD", 1250, NULL), 1);
	check(d, inv("m:4", "V1", "K1", "KWD", 1250, NULL), 0);
	ok(strstr(mres.why, "same amount 1.250 KWD") != NULL, "KWD: three");
	check(d, inv("m:5", "V1", "Q1", "XYZ", 5, NULL), 1);
	check(d, inv("m:6", "V1", "Q1", "XYZ", 5, NULL), 0);
	ok(strstr(mres.why, "same amount 0.05 XYZ") != NULL,
	    "unknown currency: two");
	check(d, inv("m:7", "V1", "P1", NULL, -123456, NULL), 1);
	check(d, inv("m:8", "V1", "P1", NULL, -123456, NULL), 0);
	is_int(mres.score, 95, "FBL1N negatives, no currency on either");
	ok(strstr(mres.why, "same amount -1234.56 (first") != NULL,
	    "negative, no currency");
	check(d, inv("m:9", "V1", "P1", "EUR", -123456, NULL), 0);
	is_int(mres.score, 85, "a currency on one side only differs");
	check(d, inv("m:10", "V1", "MIN", "EUR", INT64_MIN, NULL), 1);
	check(d, inv("m:11", "V1", "MIN", "EUR", INT64_MIN, NULL), 0);
	ok(strstr(mres.why, "same amount -92233720368547758.08 EUR") != NULL,
	    "the most negative amount");

	v = inv("m:20", "V2", "E1", "EUR", 100, NULL);
	v.entity = "1000";
	check(d, v, 1);
	v.id = "m:21";
	v.entity = "2000";
	check(d, v, 0);
	ok(mres.score == 95 && strstr(mres.why, ", entity 2000 and 1000 (") !=
	    NULL, "another entity: same score, said");

	/* An id past the sizes: named whole; the reason cut at a character. */
	for (i = 0; i + 2 < sizeof id - 1; i += 2)
		memcpy(id + i, "\xc3\xa9", 2);
	id[i] = '\0';
	check(d, inv(id, "V3", "L1", "EUR", 1, NULL), 1);
	check(d, inv("m:30", "V3", "L1", "EUR", 1, NULL), 0);
	ok(strcmp(mres.of, id) == 0, "a long id named whole");
	ok(strlen(mres.why) < sizeof mres.why &&
	    fo_utf8_check(mres.why, strlen(mres.why)) == strlen(mres.why),
	    "long why cut at a character");
	fo_dup_free(d);
}

/* 10,000 invoices with 10-character numbers and realistic ids. */
static void
t_memory(void)
{
	struct fo_dup *d = fo_dup_new(&defaults), *w;
	char id[64], num[16], vendor[16];
	size_t bytes, i;
	int suspects = 0;

	for (i = 0; i < 10000; i++) {
		snprintf(id, sizeof id, "sap-mrbr:1000:%010zu:2026",
		    5100000000 + i);
		snprintf(num, sizeof num, "%010zu", 8000000000 + i * 7);
		snprintf(vendor, sizeof vendor, "V%05zu", i % 100);
		check(d, inv(id, vendor, num, "EUR", 10000 + (int64_t)i,
		    "2026-01-01"), 1);
		suspects += mres.ev != FO_DUP_NONE;
	}
	is_int(fo_dup_count(d), 10000, "10,000 invoices indexed");
	is_int(suspects, 0, "distinct invoices: no suspect");
	bytes = fo_dup_bytes(d);
	printf("# 10000 invoices, 100 vendors: %zu bytes, %zu per invoice\n",
	    bytes, bytes / 10000);
	ok(bytes / 10000 < 160, "under 160 bytes an invoice");
	for (i = 0; i < 10000; i++) {
		snprintf(id, sizeof id, "sap-mrbr:1000:%010zu:2026",
		    5100000000 + i);
		snprintf(num, sizeof num, "%010zu", 8000000000 + i * 7);
		snprintf(vendor, sizeof vendor, "V%05zu", i % 100);
		check(d, inv(id, vendor, num, "EUR", 10000 + (int64_t)i,
		    "2026-01-01"), 1);
	}
	ok(fo_dup_count(d) == 10000 && fo_dup_bytes(d) == bytes,
	    "the same invoices again: no growth");
	fo_dup_free(d);

	w = fo_dup_new(&defaults);
	for (i = 0; i < 10000; i++) {
		snprintf(id, sizeof id, "sap-mrbr:1000:%010zu:2026",
		    5100000000 + i);
		snprintf(num, sizeof num, "%010zu", 8000000000 + i * 7);
		snprintf(vendor, sizeof vendor, "V%05zu", i);
		check(w, inv(id, vendor, num, "EUR", 10000, "2026-01-01"), 1);
	}
	bytes = fo_dup_bytes(w);
	printf("# 10000 invoices, one vendor each: %zu bytes, %zu per "
	    "invoice\n", bytes, bytes / 10000);
	ok(bytes / 10000 < 250, "under 250 bytes an invoice, vendor each");
	fo_dup_free(w);

	/* The long tail of real AP data: what one more vendor of one
	 * invoice costs, from 50,000 to 100,000 of them (its head and
	 * entry, 52 bytes, and its slots in the vendors' table). */
	w = fo_dup_new(&defaults);
	for (i = 0; i < 100000; i++) {
		if (i == 50000)
			bytes = fo_dup_bytes(w);
		snprintf(id, sizeof id, "ap:%zu", i);
		snprintf(num, sizeof num, "%zu", 4000000 + i);
		snprintf(vendor, sizeof vendor, "U%zu", i);
		check(w, inv(id, vendor, num, "EUR", 10000, "2026-01-01"), 1);
	}
	bytes = fo_dup_bytes(w) - bytes;
	printf("# 50000 more vendors of one invoice: %zu bytes, %zu each\n",
	    bytes, bytes / 50000);
	ok(bytes / 50000 < 80, "under 80 bytes a vendor of one invoice");
	fo_dup_free(w);
}

/* Rows of one document (an SAP invoice's items, an Oracle invoice's
 * holds) are never each other's duplicates; another document with the
 * same number still is. */
static void
t_same_document(void)
{
	struct fo_dup *d = fo_dup_new(NULL);
	struct fo_dup_inv a, b, c;

	a = inv("sap:1000:51:2026:1", "V1", "RE-1", "EUR", 12450, "2026-10-02");
	a.doc_id = "sap:1000:51:2026";
	b = a;
	b.id = "sap:1000:51:2026:2";
	c = a;
	c.id = "sap:1000:77:2026:1";
	c.doc_id = "sap:1000:77:2026";
	is_none(check(d, a, 1), "first item");
	is_none(check(d, b, 1), "second item of the same document");
	is_match(check(d, c, 1), FO_DUP_SAME_NUMBER, 95, "sap:1000:51:2026:2",
	    "the same invoice posted again as another document");
	fo_dup_free(d);
}

/*
 * A vendor's invoices lie in blocks of 1, 2, 4 and then 8 entries, among
 * the blocks of other vendors: a check reads every invoice, at every
 * place of every block, and a re-run of an invoice (--history of
 * itself) sees only what came before it, of its vendor and, through a
 * shared IBAN, of another vendor.
 */
static void
t_blocks(void)
{
	static const int sizes[] = {
		1, 2, 3, 4, 6, 7, 8, 9, 14, 15, 16, 17, 23, 24, 25, 40
	};
	static const char iban[] = "DE89370400440532013000";
	struct fo_dup_params p = { 30, 0, 1, 0 };
	struct fo_dup *d;
	struct fo_dup_inv v;
	char id[32], num[32], id2[32], num2[32], one[32];
	size_t s;
	int k, n, bad;

	for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		n = sizes[s];
		d = fo_dup_new(&p);
		bad = 0;
		for (k = 0; k < n; k++) {
			/* V1's invoice k, then V2's with its amount and
			 * date on the same IBAN, then a vendor of one */
			snprintf(id, sizeof id, "v1:%d", k);
			snprintf(num, sizeof num, "%d", 100000 + 1111 * k);
			v = inv(id, "V1", num, "EUR", 1000 + 10 * k,
			    "2026-03-01");
			v.iban = iban;
			bad += check(d, v, 1)->ev != FO_DUP_NONE;
			snprintf(id2, sizeof id2, "v2:%d", k);
			snprintf(num2, sizeof num2, "%d", 900000 + 1111 * k);
			v = inv(id2, "V2", num2, "EUR", 1000 + 10 * k,
			    "2026-03-01");
			v.iban = iban;
			check(d, v, 1);
			bad += mres.ev != FO_DUP_SHARED_BANK ||
			    strcmp(mres.of, id) != 0;
			snprintf(one, sizeof one, "S%d", k);
			bad += check(d, inv(one, one, "1", "EUR", 5,
			    "2026-03-01"), 1)->ev != FO_DUP_NONE;
		}
		if (!ok(bad == 0, "%d invoices of a vendor: added, none a "
		    "suspect but through the IBAN", n))
			printf("#   %d wrong\n", bad);
		for (k = 0; k < n; k++) {
			snprintf(id, sizeof id, "v1:%d", k);
			snprintf(num, sizeof num, "%d", 100000 + 1111 * k);
			check(d, inv("new", "V1", num, "EUR", 1000 + 10 * k,
			    "2026-03-20"), 0);
			if (mres.ev != FO_DUP_SAME_NUMBER ||
			    strcmp(mres.of, id) != 0) {
				if (bad++ == 0)
					printf("#   V1 %s: %d %s\n", num,
					    mres.ev, mres.of);
			}
			/* itself again: V2's came after it */
			v = inv(id, "V1", num, "EUR", 1000 + 10 * k,
			    "2026-03-01");
			v.iban = iban;
			if (check(d, v, 1)->ev != FO_DUP_NONE && bad++ == 0)
				printf("#   %s again: %d %s\n", id, mres.ev,
				    mres.of);
			/* V2's again: V1's came before it */
			snprintf(id2, sizeof id2, "v2:%d", k);
			snprintf(num2, sizeof num2, "%d", 900000 + 1111 * k);
			v = inv(id2, "V2", num2, "EUR", 1000 + 10 * k,
			    "2026-03-01");
			v.iban = iban;
			check(d, v, 1);
			if ((mres.ev != FO_DUP_SHARED_BANK ||
			    strcmp(mres.of, id) != 0) && bad++ == 0)
				printf("#   %s again: %d %s\n", id2, mres.ev,
				    mres.of);
		}
		if (!ok(bad == 0 && fo_dup_count(d) == (size_t)(3 * n),
		    "%d invoices of a vendor: each found at its place, each "
		    "again sees only those before it", n))
			printf("#   %d wrong, %zu held\n", bad, fo_dup_count(d));
		fo_dup_free(d);
	}
}

/* Vendor ids of 254 bytes and more (255 and on are kept apart from the
 * index's blocks): compared whole, and named whole. */
static void
t_long_vendor(void)
{
	static const size_t lens[] = { 254, 255, 300 };
	struct fo_dup_params p = { 30, 0, 1, 0 };
	struct fo_dup *d;
	struct fo_dup_inv v;
	char a[301], b[301], want[400];
	size_t i, n;

	for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		n = lens[i];
		memset(a, 'a', n);
		a[n] = '\0';
		memcpy(b, a, n + 1);
		b[n - 1] = 'b';
		d = fo_dup_new(&p);
		v = inv("l:1", a, "INV-1", "EUR", 700, "2026-04-01");
		v.iban = "DE89370400440532013000";
		is_none(check(d, v, 1), "a long vendor id");
		is_none(check(d, inv("l:2", b, "INV-1", "EUR", 700,
		    "2026-04-01"), 1), "another, one byte apart at its end");
		is_match(check(d, inv("l:3", a, "INV1", "EUR", 700,
		    "2026-04-01"), 0), FO_DUP_SAME_NUMBER, 95, "l:1",
		    "the same long vendor id");
		v = inv("l:4", "V9", "Z-77", "EUR", 700, "2026-04-02");
		v.iban = "DE89 3704 0044 0532 0130 00";
		check(d, v, 0);
		snprintf(want, sizeof want, "vendor V9 shares IBAN "
		    "DE89370400440532013000 with vendor %s", a);
		/* the reason is cut at its size */
		ok(mres.ev == FO_DUP_SHARED_BANK &&
		    strlen(mres.why) == sizeof mres.why - 1 &&
		    strncmp(mres.why, want, sizeof mres.why - 1) == 0,
		    "a vendor id of %zu bytes named in a reason", n);
		fo_dup_free(d);
	}
}

/* Every hash alike (params.collide): each finding must still come from
 * the texts. Collisions alone are no duplicates, and a seeded stream of
 * invoices built to be alike (numbers from a few letters and digits, a
 * few amounts and dates, rows of one document, ids seen again) gives
 * exactly the findings of the index with its real hashes. */
static void
t_collisions(void)
{
	struct fo_dup_params p = defaults;
	struct fo_dup *d, *real;
	struct fo_dup_inv v;
	struct fo_dup_match a, b;
	static const char alpha[] = "01OISB8Z2A";
	char id[32], num[16], vendor[8], doc[32], date[16];
	unsigned long long rng = 0x9e3779b97f4a7c15ULL;
	size_t i, k, n, diffs = 0, found = 0;

	p.collide = 1;
	d = fo_dup_new(&p);
	check(d, inv("c:1", "V1", "INV-100", "EUR", 10000, "2026-01-10"), 1);
	is_none(check(d, inv("c:2", "V1", "INV-377", "EUR", 99900,
	    "2026-06-10"), 1), "hashes alike, numbers and amounts not: none");
	a = *check(d, inv("c:3", "V1", "INV-100", "EUR", 10000,
	    "2026-01-11"), 1);
	is_match(&a, FO_DUP_SAME_NUMBER, 95, "c:1",
	    "hashes alike, the same number: found");
	v = inv("c:4", "V1", "INV-900", "EUR", 10000, "2026-01-10");
	v.doc_id = "doc:A";
	check(d, v, 1);
	v = inv("c:5", "V1", "INV-901", "EUR", 10000, "2026-01-10");
	v.doc_id = "doc:B";
	a = *check(d, v, 1);
	ok(a.ev != FO_DUP_NONE, "hashes of two doc_ids alike: not one "
	    "document");
	/* c:1 again (--history of itself): only what came before it */
	is_none(check(d, inv("c:1", "V1", "INV-100", "EUR", 10000,
	    "2026-01-10"), 1), "hashes of ids alike: itself is itself only");
	is_int(fo_dup_count(d), 5, "no id taken for another's");
	fo_dup_free(d);

	d = fo_dup_new(&p);
	real = fo_dup_new(&defaults);
	for (i = 0; i < 3000; i++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		n = 2 + rng % 5;
		for (k = 0; k < n; k++)
			num[k] = alpha[(rng >> (8 + 4 * k)) % 10];
		num[n] = '\0';
		snprintf(vendor, sizeof vendor, "V%llu", (rng >> 40) % 60);
		snprintf(id, sizeof id, "c:%llu", (rng >> 20) % 2500);
		snprintf(date, sizeof date, "2026-0%llu-1%llu",
		    1 + (rng >> 30) % 3, (rng >> 34) % 3);
		v = inv(id, vendor, num, (rng >> 50) % 5 ? "EUR" : "USD",
		    (int64_t)(100 * (1 + (rng >> 45) % 6)), date);
		if ((rng >> 55) % 4 == 0) {
			snprintf(doc, sizeof doc, "d:%llu", (rng >> 24) % 40);
			v.doc_id = doc;
		}
		if (fo_dup_check(d, &v, 1, &a) != FO_OK ||
		    fo_dup_check(real, &v, 1, &b) != FO_OK)
			abort();
		found += b.ev != FO_DUP_NONE;
		if (a.ev != b.ev || a.score != b.score ||
		    strcmp(a.of, b.of) != 0 || strcmp(a.why, b.why) != 0) {
			if (diffs++ < 5)
				printf("# %s %s %s: collide %d %d %s '%s', "
				    "real %d %d %s '%s'\n", id, vendor, num,
				    a.ev, a.score, a.of, a.why, b.ev, b.score,
				    b.of, b.why);
		}
	}
	printf("# 3000 invoices, %zu suspects\n", found);
	ok(found > 300 && found < 2700, "the stream has suspects of its own, "
	    "and invoices that are none");
	is_int(diffs, 0, "every hash alike: the same findings, word for word");
	is_int(fo_dup_count(d), fo_dup_count(real), "the same invoices held");
	fo_dup_free(d);
	fo_dup_free(real);
}

int
main(void)
{
	t_collisions();
	t_blocks();
	t_long_vendor();
	t_norm();
	t_same_document();
	t_same_number();
	t_lookalike();
	t_trailing();
	t_one_edit();
	t_amount_date();
	t_shared_bank();
	t_false_positives();
	t_status_words();
	t_ties();
	t_history();
	t_format();
	t_memory();
	return done_testing();
}
