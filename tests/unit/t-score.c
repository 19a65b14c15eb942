/* t-score.c - payment terms, pay dates and the vendor master: lib/stage/terms.c and vendors.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"
#include "tap.h"

/* The terms as one string: "pct/days net N [eom]", "-" when not read. */
static const char *
terms(const char *s)
{
	static char buf[128];
	struct fo_terms t;
	char pct[FO_DEC_BUFSZ];
	size_t n = 0;

	if (fo_terms_parse(s, strlen(s), &t) != FO_OK)
		return "-";
	buf[0] = '\0';
	if (t.has_discount) {
		fo_dec_fmt(&t.pct, pct);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s/%d", pct,
		    t.disc_days);
	}
	if (t.has_net)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%snet %d",
		    n ? " " : "", t.net_days);
	if (t.eom)
		snprintf(buf + n, sizeof buf - n, " eom");
	return buf;
}

static void
test_terms(void)
{
	static const char *const cases[][2] = {
		{ "2/10 net 30", "2/10 net 30" },
		{ "2% 10 Net 30", "2/10 net 30" },
		{ "2/10 n/30", "2/10 net 30" },
		{ "2/10, net 30", "2/10 net 30" },
		{ "  2 / 10  NET  30 days ", "2/10 net 30" },
		{ "1.5/15 net 45", "1.5/15 net 45" },
		{ "3.000/14 net30", "3.000/14 net 30" },
		{ "2/10 n30", "2/10 net 30" },
		{ "Net 30", "net 30" },
		{ "net 45 EOM", "net 45 eom" },
		{ "2/10 net 30 EOM", "2/10 net 30 eom" },
		{ "Due on receipt", "net 0" },
		{ "Immediate", "net 0" },
		{ "2/10", "2/10" },
		/* not terms fo reads: an ERP key, or nonsense */
		{ "ZB01", "-" },
		{ "0001", "-" },
		{ "30", "-" },
		{ "30 days", "-" },
		{ "10 net 30", "-" },
		{ "100/10 net 30", "-" },
		{ "0/10 net 30", "-" },
		{ "2/10 net 30 please", "-" },
		{ "net", "-" },
		{ "net 123456", "-" },
		{ "", "-" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is_str(terms(cases[i][0]), cases[i][1], "terms '%s'",
		    cases[i][0]);
}

/* The pay dates of a record as one string. */
static const char *
paydates(const char *json)
{
	static char buf[512];
	struct fo_rec r;
	struct fo_err e;
	struct fo_paydates pd;
	char due[16], disc[16], pct[FO_DEC_BUFSZ];
	int rc;

	fo_rec_init(&r);
	if (fo_rec_parse(&r, json, strlen(json), &e) != FO_OK) {
		fo_rec_free(&r);
		return "not a record";
	}
	fo_err_clear(&e);
	rc = fo_rec_paydates(&r, &pd, &e);
	fo_rec_free(&r);
	if (rc != FO_OK) {
		snprintf(buf, sizeof buf, "error %ld: %s", e.col, e.msg);
		return buf;
	}
	strcpy(due, "-");
	strcpy(disc, "-");
	strcpy(pct, "-");
	if (pd.has_due)
		fo_date_fmt(pd.due, due);
	if (pd.has_discount) {
		fo_date_fmt(pd.disc_date, disc);
		fo_dec_fmt(&pd.pct, pct);
	}
	snprintf(buf, sizeof buf, "due %s (%s) discount %s%% by %s (%s)", due,
	    pd.has_due ? pd.due_from : "-", pct, disc,
	    pd.has_discount ? pd.disc_from : "-");
	return buf;
}

static void
test_paydates(void)
{
	is_str(paydates("{\"due_date\":\"2026-12-01\",\"discount_pct\":2,"
	    "\"discount_date\":\"2026-11-22\",\"terms\":\"3/5 net 60\","
	    "\"doc_date\":\"2026-11-01\"}"),
	    "due 2026-12-01 (due_date) discount 2% by 2026-11-22 "
	    "(discount_date)", "the record's own dates win over its terms");
	is_str(paydates("{\"doc_date\":\"2026-11-01\",\"baseline_date\":"
	    "\"2026-11-05\",\"terms\":\"2/10 net 30\"}"),
	    "due 2026-12-05 (terms) discount 2% by 2026-11-15 (terms)",
	    "terms count from baseline_date, not doc_date");
	is_str(paydates("{\"doc_date\":\"2026-11-01\",\"terms\":\"2/10 net "
	    "30\"}"), "due 2026-12-01 (terms) discount 2% by 2026-11-11 "
	    "(terms)", "else from doc_date");
	is_str(paydates("{\"doc_date\":\"2026-02-10\",\"terms\":\"Net 30 "
	    "EOM\"}"), "due 2026-03-30 (terms) discount -% by - (-)",
	    "EOM: from the end of the month (February 2026 has 28 days)");
	is_str(paydates("{\"due_date\":\"2026-12-01\",\"doc_date\":"
	    "\"2026-11-01\",\"discount_pct\":2,\"terms\":\"1/10 net 30\"}"),
	    "due 2026-12-01 (due_date) discount 1% by 2026-11-11 (terms)",
	    "discount_pct without discount_date: the terms' discount");
	is_str(paydates("{\"baseline_date\":\"2026-11-07\",\"terms\":\"ZB01\","
	    "\"extra\":{\"ZBD1T\":\"014\",\"ZBD1P\":\"3,000\",\"ZBD2T\":\"\","
	    "\"ZBD3T\":\"030\"}}"),
	    "due 2026-12-07 (ZBD3T) discount 3.000% by 2026-11-21 "
	    "(ZBD1T/ZBD1P)", "SAP: ZBD1T/ZBD1P discount, ZBD3T net");
	is_str(paydates("{\"baseline_date\":\"2026-11-07\",\"extra\":{\"ZBD1T\":"
	    "\"14\",\"ZBD1P\":\"2.5\",\"ZBD2T\":\"30\"}}"),
	    "due 2026-12-07 (ZBD2T) discount 2.5% by 2026-11-21 "
	    "(ZBD1T/ZBD1P)", "SAP: no ZBD3T, the net days are ZBD2T's");
	is_str(paydates("{\"baseline_date\":\"2026-11-07\",\"extra\":{\"ZBD1T\":"
	    "\"30\",\"ZBD1P\":\"0,000\"}}"),
	    "due 2026-12-07 (ZBD1T) discount -% by - (-)",
	    "SAP: ZBD1T alone, no percent: net days");
	is_str(paydates("{\"baseline_date\":\"2026-11-07\",\"extra\":{\"ZBD1T\":"
	    "\"14\",\"ZBD1P\":\"1.234,5\"}}"),
	    "error 61: extra.ZBD1P: a percent below 100, as 2,000 or 2.000",
	    "SAP: a percent that is not one, at its column");
	is_str(paydates("{\"terms\":\"2/10 net 30\"}"),
	    "due - (-) discount -% by - (-)", "terms without a date: nothing");
	is_str(paydates("{\"due_date\":\"2026-02-30\"}"),
	    "error 13: due_date '2026-02-30': not a date, YYYY-MM-DD",
	    "a bad date, at its column");
	is_str(paydates("{\"discount_pct\":\"2\"}"),
	    "error 17: discount_pct '2': not a number", "discount_pct as text");
	is_str(paydates("{\"discount_pct\":100,\"discount_date\":"
	    "\"2026-11-01\"}"),
	    "error 17: discount_pct: a percent from 0 to below 100",
	    "discount_pct 100");
}

static void
test_vendors(void)
{
	char path[] = "/tmp/t-score-XXXXXX";
	struct fo_vendors *vs;
	struct fo_errs errs = { 0 };
	const struct fo_vendor *v;
	const char *csv = "\xef\xbb\xbfVendor ID;Tier;Blocked\n"
	    "0000104711;Strategic;\n104712;tail;x\nAB-1;;\n";
	int fd;

	if ((fd = mkstemp(path)) < 0 || write(fd, csv, strlen(csv)) !=
	    (ssize_t)strlen(csv)) {
		ok(0, "temp file");
		return;
	}
	close(fd);
	ok(fo_vendors_load(path, &vs, &errs) == FO_OK && errs.n == 0,
	    "a BOM, ';' and a header in its own words");
	unlink(path);
	if (vs == NULL)
		return;
	is_int(fo_vendors_count(vs), 3, "three vendors");
	v = fo_vendors_get(vs, "104711", 6);
	is_str(v ? v->tier : NULL, "strategic", "an SAP id found without its "
	    "zeros, the tier in lower case");
	v = fo_vendors_get(vs, "0000104712", 10);
	ok(v && v->blocked && strcmp(v->tier, "tail") == 0,
	    "an id without zeros found with them; x is blocked");
	ok(fo_vendors_get(vs, "ab-1", 4) == NULL &&
	    fo_vendors_get(vs, "AB-1", 4) != NULL, "other ids: exact");
	ok(fo_vendors_get(vs, "0", 1) == NULL, "no vendor 0");
	fo_vendors_free(vs);
	fo_errs_free(&errs);
}

int
main(void)
{
	test_terms();
	test_paydates();
	test_vendors();
	return done_testing();
}
