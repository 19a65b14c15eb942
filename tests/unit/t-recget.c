/*
 * t-recget - the one field reader (recget.c) and the one as-of
 * (asof.c): statuses, values, messages and columns, written by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"
#include "tap.h"

static struct fo_rec rec;

static const struct fo_rec *
R(const char *line)
{
	struct fo_err e;

	if (fo_rec_parse(&rec, line, strlen(line), &e) != FO_OK) {
		fprintf(stderr, "bad fixture %s: %s\n", line, e.msg);
		exit(1);
	}
	return &rec;
}

/* "OK value", "EMPTY" or "ERR col: message" of a getter. */
static char out[512];

static const char *
show(int rc, const char *value, const struct fo_err *e)
{
	if (rc == FO_OK)
		snprintf(out, sizeof out, "OK %s", value);
	else if (rc == FO_EMPTY)
		snprintf(out, sizeof out, "EMPTY");
	else if (rc == FO_ERR)
		snprintf(out, sizeof out, "ERR %ld: %s", e->col, e->msg);
	else
		snprintf(out, sizeof out, "rc %d", rc);
	return out;
}

/*
 * Each text, date and money case is read twice: by the key's name, and
 * by its number (the _k readers, fields numbered before the line was
 * read, so found in the record's walk). The two must say the same,
 * message and column included: kdiff counts where they do not.
 */
static int kcases, kdiff;

static void
same_k(const char *byname, const char *bynum, const char *line)
{
	kcases++;
	if (strcmp(byname, bynum) != 0) {
		kdiff++;
		printf("# %s: by name '%s', by number '%s'\n", line, byname,
		    bynum);
	}
}

static const char *
text(const char *line, const char *key)
{
	static struct fo_buf b;
	static char byname[512];
	struct fo_key k;
	struct fo_err e;
	int rc = fo_get_text(R(line), key, &b, &e);

	snprintf(byname, sizeof byname, "%s", show(rc, rc == FO_OK ? b.p :
	    "", &e));
	fo_key_init(&k, key);
	rc = fo_get_text_k(&rec, &k, &b, &e);
	same_k(byname, show(rc, rc == FO_OK ? b.p : "", &e), line);
	return byname;
}

static const char *
date(const char *line, const char *key)
{
	static char byname[512];
	struct fo_key k;
	struct fo_err e;
	int32_t d;
	char buf[16] = "";
	int rc = fo_get_date(R(line), key, &d, &e);

	if (rc == FO_OK)
		fo_date_fmt(d, buf);
	snprintf(byname, sizeof byname, "%s", show(rc, buf, &e));
	fo_key_init(&k, key);
	buf[0] = '\0';
	if ((rc = fo_get_date_k(&rec, &k, &d, &e)) == FO_OK)
		fo_date_fmt(d, buf);
	same_k(byname, show(rc, buf, &e), line);
	return byname;
}

static const char *
money_show(int rc, const struct fo_money *m, const struct fo_err *e)
{
	char buf[64] = "";

	if (rc == FO_OK) {
		fo_dec_fmt(&m->v, buf);
		strcat(buf, " ");
		strcat(buf, m->cur[0] ? m->cur : "-");
	}
	return show(rc, buf, e);
}

static const char *
money(const char *line)
{
	static char byname[512];
	struct fo_key k, ck;
	struct fo_money m;
	struct fo_err e;
	int rc = fo_get_money(R(line), "amount", "currency", &m, &e);

	snprintf(byname, sizeof byname, "%s", money_show(rc, &m, &e));
	fo_key_init(&k, "amount");
	fo_key_init(&ck, "currency");
	rc = fo_get_money_k(&rec, &k, &ck, &m, &e);
	same_k(byname, money_show(rc, &m, &e), line);
	return byname;
}

static const char *
exc(const char *line)
{
	static struct fo_buf b;
	struct fo_err e;
	int rc = fo_rec_exception(R(line), &b, &e);

	return show(rc, rc == FO_OK ? b.p : "", &e);
}

static const char *
asof(const char *s)
{
	struct fo_asof a;
	struct fo_err e;
	char buf[64];
	int rc = fo_asof_parse(s, "--as-of", &a, &e);

	if (rc == FO_OK)
		snprintf(buf, sizeof buf, "%s %lld %s", a.text, (long long)a.at,
		    a.timed ? "timed" : "day");
	return show(rc, buf, &e);
}

int
main(void)
{
	struct fo_asof a;
	struct fo_err e;
	struct fo_buf b = { 0 };
	struct fo_dec d;
	int v, tok;

	fo_rec_init(&rec);
	/* numbered before any line is read: the _k readers find them in
	 * the record's walk */
	{
		static const char *const names[] = { "v", "d", "amount",
		    "currency" };
		struct fo_key k;
		size_t i;

		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			fo_key_init(&k, names[i]);
	}

	/* text */
	is_str(text("{\"v\":\"V1\"}", "v"), "OK V1", "a string");
	is_str(text("{\"v\":\"M\\u00fcller\"}", "v"), "OK M\xc3\xbcller",
	    "escapes decoded");
	is_str(text("{\"v\":\"\"}", "v"), "EMPTY", "\"\" is no value");
	is_str(text("{\"v\":null}", "v"), "EMPTY", "null is no value");
	is_str(text("{}", "v"), "EMPTY", "absent is no value");
	is_str(text("{\"v\":12345}", "v"), "ERR 6: v 12345: not a string",
	    "a number for text: refused, at its column");
	is_str(text("{\"a\":1, \"v\":[\"x\"]}", "v"),
	    "ERR 13: v [\"x\"]: not a string", "an array for text");

	/* dates */
	is_str(date("{\"d\":\"2026-11-01\"}", "d"), "OK 2026-11-01", "a date");
	is_str(date("{\"d\":\"2026\\u002d11\\u002d01\"}", "d"),
	    "OK 2026-11-01", "a date with escapes");
	is_str(date("{\"d\":\"\"}", "d"), "EMPTY", "\"\" is no date");
	is_str(date("{\"d\":\"2026-02-30\"}", "d"),
	    "ERR 6: d '2026-02-30': not a date, YYYY-MM-DD",
	    "no such day, at the opening quote");
	is_str(date("{\"d\":\"2026-11-01T10:00:00Z\"}", "d"),
	    "ERR 6: d '2026-11-01T10:00:00Z': not a date, YYYY-MM-DD",
	    "a timestamp is not a date");
	is_str(date("{\"d\":20261101}", "d"),
	    "ERR 6: d 20261101: not a date, YYYY-MM-DD", "a number");

	/* money */
	is_str(money("{\"currency\":\"EUR\",\"amount\":1250.50}"),
	    "OK 1250.50 EUR", "an amount in its currency's decimals");
	is_str(money("{\"currency\":\"JPY\",\"amount\":1250}"),
	    "OK 1250 JPY", "JPY: no decimals");
	is_str(money("{\"currency\":\"\\u004aPY\",\"amount\":1250}"),
	    "OK 1250 JPY", "a currency with an escape: decoded");
	is_str(money("{\"currency\":\"EUR\",\"amount\":10}"),
	    "OK 10.00 EUR", "fewer decimals: read at the currency's");
	is_str(money("{\"currency\":\"EUR\",\"amount\":10.000}"),
	    "OK 10.00 EUR", "zeros past them: the same amount");
	is_str(money("{\"amount\":10.125}"), "OK 10.125000 -",
	    "no currency: six decimals");
	is_str(money("{\"currency\":\"EUR\",\"amount\":\"10.00\"}"),
	    "ERR 28: amount '10.00': not a number", "a string amount");
	is_str(money("{\"currency\":\"EUR\",\"amount\":10.005}"),
	    "ERR 33: amount 10.005: too many decimals: 3, at most 2",
	    "too many decimals: never rounded, at the digit");
	is_str(money("{\"currency\":\"EUR\",\"amount\":1e3}"),
	    "ERR 28: amount 1e3: not a plain decimal (an exponent)",
	    "an exponent");
	is_str(money("{\"currency\":\"XYZ\",\"amount\":1}"),
	    "ERR 13: currency 'XYZ': not an ISO 4217 currency code",
	    "an unknown currency");
	is_str(money("{\"currency\":\"XYZ\"}"),
	    "ERR 13: currency 'XYZ': not an ISO 4217 currency code",
	    "an unknown currency without an amount");
	is_str(money("{\"currency\":\"EUR\"}"), "EMPTY", "no amount");
	/* keys spelled with escapes, a nested key of the same name, a key
	 * numbered only now (read by name by both) */
	is_str(money("{\"\\u0063urrency\":\"GBP\",\"am\\u006funt\":7}"),
	    "OK 7.00 GBP", "keys with escapes: decoded");
	is_str(text("{\"x\":{\"v\":\"in\"},\"w\":1}", "v"), "EMPTY",
	    "a nested v is not the record's");
	is_str(text("{\"late\":\"L\"}", "late"), "OK L",
	    "a key numbered after the line was read");
	is_str(text("{\"late\":null}", "late"), "EMPTY",
	    "and a null one, on the next line");
	/* fo_key_find: the value token, null or not; by name without a
	 * number */
	{
		struct fo_key k = { "v", -1 }, kn;

		fo_key_init(&kn, "v");
		R("{\"a\":1,\"v\":null}");
		is_int(fo_key_find(&rec, &kn), 4, "key_find: a null value, found");
		is_int(fo_key_find(&rec, &k), 4, "key_find: by name the same");
		R("{\"a\":1}");
		is_int(fo_key_find(&rec, &kn), -1, "key_find: absent");
		is_int(fo_key_find(&rec, &k), -1, "key_find: by name absent");
	}
	ok(kcases == 29 && kdiff == 0, "by number and by name: the same "
	    "verdict, message and column in %d cases (%d differ)", kcases,
	    kdiff);

	/* decimals, booleans, arrays */
	is_int(fo_get_dec(R("{\"q\":12.500}"), "q", &d, &e), FO_OK,
	    "a quantity");
	is_int(d.v * 10 + d.scale, 125003, "12.500 at scale 3");
	is_int(fo_get_dec(R("{\"q\":1.1234567}"), "q", &d, &e), FO_ERR,
	    "seven decimals refused");
	is_int(fo_get_bool(R("{\"b\":true}"), "b", &v, &e) == FO_OK && v, 1,
	    "true");
	is_int(fo_get_bool(R("{\"b\":\"true\"}"), "b", &v, &e), FO_ERR,
	    "the string true is no boolean");
	is_str(e.msg, "b 'true': not true or false", "its message");
	is_int(fo_get_texts(R("{\"h\":[\"PRICE\",\"QTY\"]}"), "h", &tok, &e),
	    FO_OK, "an array of strings");
	is_int(fo_get_texts(R("{\"h\":[\"PRICE\",1]}"), "h", &tok, &e),
	    FO_ERR, "an array with a number");
	is_int(fo_get_texts(R("{\"h\":\"PRICE\"}"), "h", &tok, &e), FO_ERR,
	    "a string for an array");

	/* the exception test */
	is_str(exc("{\"exception\":\"other\"}"), "OK other", "a class");
	is_str(exc("{\"exception\":null}"), "EMPTY", "null: no exception");
	is_str(exc("{}"), "EMPTY", "absent: no exception");
	is_str(exc("{\"exception\":42}"),
	    "ERR 14: exception 42: not a class name or null", "42 refused");
	is_str(exc("{\"exception\":\"\"}"),
	    "ERR 14: exception '': not a class name or null", "\"\" refused");
	is_str(exc("{\"exception\":[\"other\"]}"),
	    "ERR 14: exception [\"other\"]: not a class name or null",
	    "an array refused");

	/* as-of: a day, its instant the last second (UTC) */
	is_str(asof("2026-11-21"), "OK 2026-11-21 1795305599 day",
	    "a day: 2026-11-21T23:59:59Z");
	is_str(asof("2026-11-21T12:00:00Z"),
	    "OK 2026-11-21T12:00:00Z 1795262400 timed", "a UTC timestamp");
	is_str(asof("2026-11-21T23:30:00-05:00"),
	    "OK 2026-11-22T04:30:00Z 1795321800 timed",
	    "an offset: the instant, its UTC day");
	ok(fo_asof_parse("2026-11-21T23:30:00-05:00", "--as-of", &a, &e) ==
	    FO_OK && a.day == fo_date_from_ymd(2026, 11, 22),
	    "whose day is 2026-11-22");
	is_str(asof("2026-11-31"),
	    "ERR 0: --as-of '2026-11-31': a date, YYYY-MM-DD: no such date "
	    "2026-11-31", "no such day");
	is_str(asof("21.11.2026"),
	    "ERR 0: --as-of '21.11.2026': a date, YYYY-MM-DD, or a timestamp "
	    "with Z or an offset", "another format");
	is_str(asof("2026-11-21T10:00"),
	    "ERR 0: --as-of '2026-11-21T10:00': a date, YYYY-MM-DD, or a "
	    "timestamp with Z or an offset", "a time without a zone");
	setenv("FO_AS_OF", "2026-01-02", 1);
	ok(fo_asof_get(NULL, &a, &e) == FO_OK &&
	    strcmp(a.text, "2026-01-02") == 0, "FO_AS_OF when no --as-of");
	ok(fo_asof_get("2026-03-04", &a, &e) == FO_OK &&
	    strcmp(a.text, "2026-03-04") == 0, "--as-of wins over FO_AS_OF");
	setenv("FO_AS_OF", "soon", 1);
	ok(fo_asof_get(NULL, &a, &e) == FO_ERR &&
	    strncmp(e.msg, "FO_AS_OF 'soon'", 15) == 0,
	    "a bad FO_AS_OF is named as such");
	setenv("FO_AS_OF", "", 1);
	ok(fo_asof_get(NULL, &a, &e) == FO_OK && !a.timed &&
	    a.at == (int64_t)a.day * 86400 + 86399,
	    "an empty FO_AS_OF: today, by the clock");

	fo_buf_free(&b);
	fo_rec_free(&rec);
	return done_testing();
}
