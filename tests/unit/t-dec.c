/* t-dec.c - exact decimals and currency minor units: lib/value/dec.c, currency.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"
#include "tap.h"

static const char *
rcname(int rc)
{
	switch (rc) {
	case FO_OK:
		return "OK";
	case FO_EMPTY:
		return "EMPTY";
	case FO_ERR:
		return "ERROR";
	default:
		return "?";
	}
}

/* The outcome of a parse as one string: the value, EMPTY or ERROR. */
static const char *
parsed(const char *s, enum fo_numstyle st, int scale, struct fo_err *e)
{
	static char buf[FO_DEC_BUFSZ];
	struct fo_dec d;
	int rc;

	fo_err_clear(e);
	rc = fo_dec_parse(s, strlen(s), st, scale, &d, e);
	if (rc != FO_OK)
		return rcname(rc);
	fo_dec_fmt(&d, buf);
	return buf;
}

static void
is_dec(const char *s, enum fo_numstyle st, int scale, const char *want)
{
	struct fo_err e;

	is_str(parsed(s, st, scale, &e), want, "%s '%s' scale %d -> %s",
	    fo_numstyle_name(st), s, scale, want);
}

/* An error at a column, with a message that contains msg. */
static void
is_err(const char *s, enum fo_numstyle st, int scale, long col,
    const char *msg)
{
	struct fo_err e;
	const char *got;

	got = parsed(s, st, scale, &e);
	if (!ok(strcmp(got, "ERROR") == 0 && e.col == col &&
	    strstr(e.msg, msg) != NULL && e.line == 0,
	    "%s '%s' scale %d -> error at %ld: %s", fo_numstyle_name(st), s,
	    scale, col, msg))
		printf("#   got:  %s at %ld: %s\n", got, e.col, e.msg);
}

static const char *
fmt(int64_t v, int scale)
{
	static char buf[FO_DEC_BUFSZ];
	struct fo_dec d = { v, scale };

	fo_dec_fmt(&d, buf);
	return buf;
}

static const char *
showdec(const struct fo_dec *d)
{
	static char buf[FO_DEC_BUFSZ];

	fo_dec_fmt(d, buf);
	return buf;
}

/* Every line of the vectors (testdata/vectors), exactly. */
static void
vectors(void)
{
	const char *path = testdata_path("vectors/amounts.tsv");
	char *line = NULL, *f[4] = { NULL }, *q;
	size_t cap = 0, len;
	long lineno = 0, ncase = 0;
	enum fo_numstyle st;
	struct fo_err e;
	int i, minor;
	FILE *fp;

	if (!ok((fp = fopen(path, "r")) != NULL, "open %s", path))
		return;
	while (getline(&line, &cap, fp) != -1) {
		lineno++;
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (line[0] == '#' || len == 0)
			continue;
		f[0] = line;
		for (i = 1; i < 4; i++) {
			if ((q = strchr(f[i - 1], '\t')) == NULL)
				break;
			*q = '\0';
			f[i] = q + 1;
		}
		if (!ok(i == 4 && strchr(f[3], '\t') == NULL,
		    "amounts.tsv:%ld has 4 columns", lineno))
			continue;
		ncase++;
		if (!ok(fo_numstyle_parse(f[0], &st) == FO_OK,
		    "amounts.tsv:%ld style '%s'", lineno, f[0]))
			continue;
		minor = fo_currency_minor(f[1], strlen(f[1]));
		if (!ok(minor >= 0, "amounts.tsv:%ld currency %s", lineno,
		    f[1]))
			continue;
		is_str(parsed(f[2], st, minor, &e), f[3],
		    "amounts.tsv:%ld %s %s '%s' -> %s", lineno, f[0], f[1],
		    f[2], f[3]);
	}
	ok(!ferror(fp) && ncase >= 50, "read %ld vectors from amounts.tsv",
	    ncase);
	free(line);
	fclose(fp);
}

static void
styles(void)
{
	static const char *names[] = {
		"auto", "1,234.56", "1.234,56", "1 234,56", "1'234.56",
		"1234.56"
	};
	enum fo_numstyle st;
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		st = (enum fo_numstyle)99;
		ok(fo_numstyle_parse(names[i], &st) == FO_OK,
		    "style '%s' parses", names[i]);
		is_str(fo_numstyle_name(st), names[i], "style '%s' round trip",
		    names[i]);
	}
	is_int(fo_numstyle_parse("1,234.56", &st), FO_OK, "dot style");
	is_int(st, FO_NUM_DOT, "1,234.56 is FO_NUM_DOT");
	is_int(fo_numstyle_parse("1.234,56", &st), FO_OK, "comma style");
	is_int(st, FO_NUM_COMMA, "1.234,56 is FO_NUM_COMMA");
	is_int(fo_numstyle_parse("AUTO", &st), FO_ERR, "AUTO is not a style");
	is_int(fo_numstyle_parse("", &st), FO_ERR, "empty is not a style");
	is_int(fo_numstyle_parse("1,234", &st), FO_ERR, "1,234 not a style");
	is_str(fo_numstyle_name((enum fo_numstyle)42), "?", "unknown style");
}

static void
parsing(void)
{
	/* Styles and their group marks. */
	is_dec("1,234,567.89", FO_NUM_DOT, 2, "1234567.89");
	is_dec("1234567.89", FO_NUM_DOT, 2, "1234567.89");
	is_dec("1.234.567,89", FO_NUM_COMMA, 2, "1234567.89");
	is_dec("1234,5", FO_NUM_COMMA, 2, "1234.50");
	is_dec("1 234 567,89", FO_NUM_SPACE, 2, "1234567.89");
	is_dec("1\xc2\xa0" "234\xc2\xa0" "567,89", FO_NUM_SPACE, 2,
	    "1234567.89");
	is_dec("1\xe2\x80\xaf" "234,5", FO_NUM_SPACE, 2, "1234.50");
	is_dec("1 234,56 CR", FO_NUM_SPACE, 2, "-1234.56");
	is_dec("1 234 EUR", FO_NUM_SPACE, 2, "1234.00");
	is_dec("1 234,56\xc2\xa0\xe2\x82\xac", FO_NUM_SPACE, 2, "1234.56");
	is_dec("3'045'000.76", FO_NUM_APOS, 2, "3045000.76");
	is_dec("3\xe2\x80\x99" "045\xe2\x80\x99" "000.76", FO_NUM_APOS, 2,
	    "3045000.76");
	is_dec("1234.56", FO_NUM_PLAIN, 2, "1234.56");
	is_dec("-0.5", FO_NUM_PLAIN, 2, "-0.50");
	is_err("1,234.56", FO_NUM_PLAIN, 2, 2, "misplaced ','");
	is_err("1 234,56", FO_NUM_DOT, 2, 2, "space inside the number");
	is_err("1 234.56", FO_NUM_SPACE, 2, 6, "misplaced '.'");
	is_err("1'234.56", FO_NUM_DOT, 2, 2, "misplaced '''");
	is_err("1,234.56", FO_NUM_COMMA, 2, 6, "misplaced '.'");
	is_err("1,2345.00", FO_NUM_DOT, 2, 2,
	    "group mark not followed by 3 digits");
	is_err("1,23.00", FO_NUM_DOT, 2, 2,
	    "group mark not followed by 3 digits");
	is_err("1,234,", FO_NUM_DOT, 2, 6,
	    "group mark not followed by 3 digits");
	is_err("1234,567.00", FO_NUM_DOT, 2, 5,
	    "group mark after more than 3 digits");
	is_err(",123", FO_NUM_DOT, 2, 1, "misplaced ','");
	is_err("12 34", FO_NUM_SPACE, 2, 3,
	    "group mark not followed by 3 digits");
	is_err("1.234.56", FO_NUM_COMMA, 2, 6,
	    "group mark not followed by 3 digits");
	is_err("5.", FO_NUM_COMMA, 2, 2,
	    "group mark not followed by 3 digits");

	/* Blanks, zeros, leading zeros. */
	is_dec("", FO_NUM_DOT, 2, "EMPTY");
	is_dec(" \t ", FO_NUM_DOT, 2, "EMPTY");
	is_dec("\t12.5\t", FO_NUM_DOT, 2, "12.50");
	is_dec("0", FO_NUM_DOT, 2, "0.00");
	is_dec("007", FO_NUM_DOT, 0, "7");
	is_dec("-0", FO_NUM_DOT, 0, "0");
	is_dec("(0.00)", FO_NUM_DOT, 2, "0.00");
	is_dec("0.00 CR", FO_NUM_DOT, 2, "0.00");
	is_err("0. 5", FO_NUM_DOT, 2, 3, "space inside the number");

	/* Signs. */
	is_dec("+5", FO_NUM_DOT, 2, "5.00");
	is_dec("100.20CR", FO_NUM_DOT, 2, "-100.20");
	is_dec("100.20DR", FO_NUM_DOT, 2, "100.20");
	is_dec("(1,234.56)", FO_NUM_DOT, 2, "-1234.56");
	is_err("--5", FO_NUM_DOT, 2, 2, "two signs");
	is_err("-5-", FO_NUM_DOT, 2, 3, "two signs");
	is_err("(-5)", FO_NUM_DOT, 2, 2, "two signs");
	is_err("-5 CR", FO_NUM_DOT, 2, 4, "two signs");
	is_err("5 CR DR", FO_NUM_DOT, 2, 6, "two signs");
	is_err("+5-", FO_NUM_DOT, 2, 3, "two signs");
	is_err("(5)-", FO_NUM_DOT, 2, 4, "two signs");
	is_err("(5", FO_NUM_DOT, 2, 1, "'(' without ')'");
	is_err("5)", FO_NUM_DOT, 2, 2, "misplaced ')'");
	is_err("(5))", FO_NUM_DOT, 2, 4, "misplaced ')'");
	is_err("- 5", FO_NUM_DOT, 2, 2, "misplaced ' '");
	is_err("5 -", FO_NUM_DOT, 2, 3, "misplaced '-'");
	is_err("-", FO_NUM_DOT, 2, 1, "no digits");
	is_err("()", FO_NUM_DOT, 2, 2, "misplaced ')'");
	is_err(".", FO_NUM_DOT, 2, 1, "misplaced '.'");
	is_err("5 cr", FO_NUM_DOT, 2, 3, "bad character 'c'");

	/* Currency marks. */
	is_dec("$1,234.56", FO_NUM_DOT, 2, "1234.56");
	is_dec("$-5", FO_NUM_DOT, 2, "-5.00");
	is_dec("-$5", FO_NUM_DOT, 2, "-5.00");
	is_dec("($250.00)", FO_NUM_DOT, 2, "-250.00");
	is_dec("(250.00$)", FO_NUM_DOT, 2, "-250.00");
	is_dec("\xc2\xa3" "9.99", FO_NUM_DOT, 2, "9.99");
	is_dec("\xc2\xa5" "1,000", FO_NUM_DOT, 0, "1000");
	is_dec("\xe2\x82\xb9" "5", FO_NUM_DOT, 2, "5.00");
	is_dec("1.234,56 \xe2\x82\xac", FO_NUM_COMMA, 2, "1234.56");
	is_dec("1.234,56\xe2\x82\xac", FO_NUM_COMMA, 2, "1234.56");
	is_dec("EUR 1.234,56", FO_NUM_COMMA, 2, "1234.56");
	is_dec("EUR1.234,56-", FO_NUM_COMMA, 2, "-1234.56");
	is_dec("1,234.56 USD", FO_NUM_DOT, 2, "1234.56");
	is_dec("1,234.56USD", FO_NUM_DOT, 2, "1234.56");
	is_dec("-1,234.56 USD", FO_NUM_DOT, 2, "-1234.56");
	is_dec("1,234.56 USD CR", FO_NUM_DOT, 2, "-1234.56");
	is_err("$5 USD", FO_NUM_DOT, 2, 4, "two currency marks");
	is_err("XYZ 5", FO_NUM_DOT, 2, 1, "unknown currency 'XYZ'");
	is_err("5 XYZ", FO_NUM_DOT, 2, 3, "unknown currency 'XYZ'");
	is_err("eur 5", FO_NUM_DOT, 2, 1, "bad character 'e'");
	is_err("EURO 5", FO_NUM_DOT, 2, 1, "bad character 'E'");
	is_err("EUR  5", FO_NUM_DOT, 2, 5, "misplaced ' '");
	is_err("abc", FO_NUM_DOT, 2, 1, "bad character 'a'");
	is_err("12a", FO_NUM_DOT, 2, 3, "bad character 'a'");
	is_err("1e3", FO_NUM_DOT, 2, 2, "bad character 'e'");
	is_err("NaN", FO_NUM_DOT, 2, 1, "bad character 'N'");
	is_err("Infinity", FO_NUM_DOT, 2, 1, "bad character 'I'");
	is_err("5\x01", FO_NUM_DOT, 2, 2, "bad byte 0x01");
	is_err("5\xff", FO_NUM_DOT, 2, 2, "bad byte 0xff");
	is_err("5\xc3\xa9", FO_NUM_DOT, 2, 2, "bad character '\xc3\xa9'");
	is_err("5\xe2\x82", FO_NUM_DOT, 2, 2, "bad byte 0xe2");

	/* Scale: padding, zeros past it, too many decimals. */
	is_dec("12.340", FO_NUM_DOT, 2, "12.34");
	is_dec("125000.00", FO_NUM_DOT, 0, "125000");
	is_dec("1.2300000000", FO_NUM_DOT, 4, "1.2300");
	is_dec("12", FO_NUM_DOT, 6, "12.000000");
	is_dec("1", FO_NUM_DOT, 18, "1.000000000000000000");
	is_err("12.345", FO_NUM_DOT, 2, 6, "too many decimals: 3, at most 2");
	is_err("12.3450", FO_NUM_DOT, 2, 6, "too many decimals: 3, at most 2");
	is_err("12.5", FO_NUM_DOT, 0, 4, "too many decimals: 1, at most 0");
	is_err("  12.345 ", FO_NUM_DOT, 2, 8, "too many decimals");
	is_err("5", FO_NUM_DOT, 19, 1, "bad scale 19");
	is_err("5", FO_NUM_DOT, -2, 1, "bad scale -2");

	/* FO_DEC_ASIS: the scale as written. */
	is_dec("1.234,500", FO_NUM_COMMA, FO_DEC_ASIS, "1234.500");
	is_dec("12", FO_NUM_DOT, FO_DEC_ASIS, "12");
	is_dec("12.", FO_NUM_DOT, FO_DEC_ASIS, "12");
	is_dec("0.000001", FO_NUM_DOT, FO_DEC_ASIS, "0.000001");
	is_dec("-3.50", FO_NUM_DOT, FO_DEC_ASIS, "-3.50");
	is_dec("", FO_NUM_DOT, FO_DEC_ASIS, "EMPTY");
	is_err("1,2345670", FO_NUM_COMMA, FO_DEC_ASIS, 9,
	    "too many decimals: 7, at most 6");
	is_err("1.0000000", FO_NUM_DOT, FO_DEC_ASIS, 9,
	    "too many decimals: 7, at most 6");
	{
		struct fo_dec d;
		struct fo_err e;

		is_int(fo_dec_parse("1.234,500", 9, FO_NUM_COMMA, FO_DEC_ASIS,
		    &d, &e), FO_OK, "asis quantity parses");
		is_int(d.v, 1234500, "asis quantity v");
		is_int(d.scale, 3, "asis quantity scale 3");
		/* Only n bytes are read: the rest of the buffer is not. */
		is_int(fo_dec_parse("12.5xyz", 4, FO_NUM_DOT, 1, &d, &e),
		    FO_OK, "parse reads n bytes only");
		is_int(d.v, 125, "n bytes only: value");
	}

	/* FO_NUM_AUTO: only what has one reading. */
	is_dec("1234.56", FO_NUM_AUTO, 2, "1234.56");
	is_dec("12,5", FO_NUM_AUTO, 2, "12.50");
	is_dec("1,234.56", FO_NUM_AUTO, 2, "1234.56");
	is_dec("1.234,56", FO_NUM_AUTO, 2, "1234.56");
	is_dec("1,234,567", FO_NUM_AUTO, 2, "1234567.00");
	is_dec("1.234.567", FO_NUM_AUTO, 2, "1234567.00");
	is_dec("1,234,567.5", FO_NUM_AUTO, 2, "1234567.50");
	is_dec("1234,567", FO_NUM_AUTO, FO_DEC_ASIS, "1234.567");
	is_dec(".123", FO_NUM_AUTO, FO_DEC_ASIS, "0.123");
	is_dec("1,2345", FO_NUM_AUTO, FO_DEC_ASIS, "1.2345");
	is_dec("1,23", FO_NUM_AUTO, 2, "1.23");
	is_dec("1234", FO_NUM_AUTO, 0, "1234");
	is_dec("-$1,234.56", FO_NUM_AUTO, 2, "-1234.56");
	is_dec("(1.234,56)", FO_NUM_AUTO, 2, "-1234.56");
	is_err("1,234", FO_NUM_AUTO, 2, 2,
	    "ambiguous: ',' may group thousands or mark decimals; give the number style");
	is_err("1.234", FO_NUM_AUTO, 3, 2,
	    "ambiguous: '.' may group thousands or mark decimals; give the number style");
	is_err("-$123.456", FO_NUM_AUTO, 3, 6, "ambiguous: '.' may group thousands or mark decimals; give the number style");
	is_err("1,234.567,8", FO_NUM_AUTO, 2, 6, "misplaced '.'");
	is_err("1.234,567.8", FO_NUM_AUTO, FO_DEC_ASIS, 6,
	    "misplaced ','");
	is_err("1,23,456.00", FO_NUM_AUTO, 2, 2,
	    "group mark not followed by 3 digits");
	is_err("1 234,56", FO_NUM_AUTO, 2, 2, "space inside the number");

	/* INT64 edges. */
	is_dec("9223372036854775807", FO_NUM_PLAIN, 0, "9223372036854775807");
	is_dec("-9223372036854775807", FO_NUM_PLAIN, 0,
	    "-9223372036854775807");
	is_dec("92233720368547758.07", FO_NUM_DOT, 2, "92233720368547758.07");
	is_dec("(92,233,720,368,547,758.07)", FO_NUM_DOT, 2,
	    "-92233720368547758.07");
	is_dec("9.223372036854775807", FO_NUM_DOT, 18, "9.223372036854775807");
	is_dec("0000000000000000000000000001", FO_NUM_PLAIN, 0, "1");
	is_err("9223372036854775808", FO_NUM_PLAIN, 0, 1, "number too large");
	is_err("-9223372036854775808", FO_NUM_PLAIN, 0, 2, "number too large");
	is_err("$99999999999999999999999", FO_NUM_DOT, 0, 2,
	    "number too large");
	is_err("92233720368547758.08", FO_NUM_DOT, 2, 1, "number too large");
	is_err("92233720368547758", FO_NUM_DOT, 3, 1, "number too large");
	is_err("10", FO_NUM_DOT, 18, 1, "number too large");
}

static void
formatting(void)
{
	char buf[FO_DEC_BUFSZ];
	struct fo_dec d;

	is_str(fmt(-123456, 2), "-1234.56", "fmt -1234.56");
	is_str(fmt(0, 2), "0.00", "fmt 0.00");
	is_str(fmt(0, 0), "0", "fmt 0");
	is_str(fmt(125000, 0), "125000", "fmt scale 0");
	is_str(fmt(-125000, 0), "-125000", "fmt negative scale 0");
	is_str(fmt(1250, 3), "1.250", "fmt 1.250 keeps its zero");
	is_str(fmt(-5, 2), "-0.05", "fmt -0.05");
	is_str(fmt(5, 6), "0.000005", "fmt 0.000005");
	is_str(fmt(-1, 18), "-0.000000000000000001", "fmt scale 18");
	is_str(fmt(INT64_MAX, 0), "9223372036854775807", "fmt INT64_MAX");
	is_str(fmt(-INT64_MAX, 2), "-92233720368547758.07", "fmt -INT64_MAX");
	is_str(fmt(INT64_MIN, 0), "-9223372036854775808", "fmt INT64_MIN");
	is_str(fmt(INT64_MIN, 18), "-9.223372036854775808",
	    "fmt INT64_MIN scale 18");
	is_str(fmt(5, 19), "?", "fmt bad scale");
	is_str(fmt(5, -1), "?", "fmt negative scale");
	d.v = -123456;
	d.scale = 2;
	is_int(fo_dec_fmt(&d, buf), 8, "fmt returns the length");
}

static void
arithmetic(void)
{
	struct fo_dec a, b, r;

	/* rescale: up exactly, down half-even. */
	a = (struct fo_dec){ 2345, 3 };
	is_int(fo_dec_rescale(&a, 2), FO_OK, "rescale 2.345");
	is_str(showdec(&a), "2.34", "2.345 -> 2.34 (half-even)");
	a = (struct fo_dec){ 2355, 3 };
	fo_dec_rescale(&a, 2);
	is_str(showdec(&a), "2.36", "2.355 -> 2.36 (half-even)");
	a = (struct fo_dec){ -2345, 3 };
	fo_dec_rescale(&a, 2);
	is_str(showdec(&a), "-2.34", "-2.345 -> -2.34 (half-even)");
	a = (struct fo_dec){ -2355, 3 };
	fo_dec_rescale(&a, 2);
	is_str(showdec(&a), "-2.36", "-2.355 -> -2.36 (half-even)");
	a = (struct fo_dec){ 2346, 3 };
	fo_dec_rescale(&a, 2);
	is_str(showdec(&a), "2.35", "2.346 -> 2.35");
	a = (struct fo_dec){ 23451, 4 };
	fo_dec_rescale(&a, 2);
	is_str(showdec(&a), "2.35", "2.3451 -> 2.35 (not a tie)");
	a = (struct fo_dec){ 5, 1 };
	fo_dec_rescale(&a, 0);
	is_str(showdec(&a), "0", "0.5 -> 0");
	a = (struct fo_dec){ 15, 1 };
	fo_dec_rescale(&a, 0);
	is_str(showdec(&a), "2", "1.5 -> 2");
	a = (struct fo_dec){ -5, 1 };
	fo_dec_rescale(&a, 0);
	is_str(showdec(&a), "0", "-0.5 -> 0, not -0");
	a = (struct fo_dec){ INT64_MAX, 18 };
	is_int(fo_dec_rescale(&a, 0), FO_OK, "rescale INT64_MAX/1e18");
	is_str(showdec(&a), "9", "9.22... -> 9");
	a = (struct fo_dec){ 1234, 2 };
	is_int(fo_dec_rescale(&a, 4), FO_OK, "rescale up");
	is_str(showdec(&a), "12.3400", "12.34 -> 12.3400");
	a = (struct fo_dec){ INT64_MAX / 10 + 1, 0 };
	is_int(fo_dec_rescale(&a, 1), FO_ERR, "rescale up overflows");
	is_int(a.v, INT64_MAX / 10 + 1, "failed rescale leaves d alone");
	a = (struct fo_dec){ INT64_MAX / 10, 0 };
	is_int(fo_dec_rescale(&a, 1), FO_OK, "rescale up to the edge");
	a = (struct fo_dec){ 1, 0 };
	is_int(fo_dec_rescale(&a, 18), FO_OK, "rescale to 18");
	is_int(fo_dec_rescale(&a, 19), FO_ERR, "rescale to 19 refused");
	is_int(fo_dec_rescale(&a, -1), FO_ERR, "rescale to -1 refused");

	/* shift: the point moves, the digits stay. */
	a = (struct fo_dec){ 100, 2 };		/* SAP's 1.00 JPY */
	is_int(fo_dec_shift(&a, fo_currency_minor("JPY", 3) - 2), FO_OK,
	    "shift SAP JPY");
	is_int(a.scale, 0, "SAP JPY 1.00 -> scale 0");
	is_str(showdec(&a), "100", "SAP JPY 1.00 -> 100");
	a = (struct fo_dec){ 12345, 2 };	/* SAP's 123.45 KWD */
	is_int(fo_dec_shift(&a, fo_currency_minor("KWD", 3) - 2), FO_OK,
	    "shift SAP KWD");
	is_str(showdec(&a), "12.345", "SAP KWD 123.45 -> 12.345");
	a = (struct fo_dec){ 12345, 2 };
	is_int(fo_dec_shift(&a, 0), FO_OK, "shift 0");
	is_str(showdec(&a), "123.45", "shift 0 changes nothing");
	a = (struct fo_dec){ 5, 0 };
	is_int(fo_dec_shift(&a, -3), FO_OK, "shift below scale 0");
	is_str(showdec(&a), "5000", "5 shifted by -3 -> 5000");
	a = (struct fo_dec){ -5, 17 };
	is_int(fo_dec_shift(&a, 1), FO_OK, "shift to scale 18");
	is_str(showdec(&a), "-0.000000000000000005", "scale 18 after shift");
	a = (struct fo_dec){ 500, 17 };
	is_int(fo_dec_shift(&a, 3), FO_OK, "shift past 18, zeros dropped");
	is_int(a.scale, 18, "shift past 18 -> scale 18");
	is_str(showdec(&a), "0.000000000000000005", "shift past 18: value");
	a = (struct fo_dec){ 501, 17 };
	is_int(fo_dec_shift(&a, 3), FO_ERR, "shift past 18 losing digits");
	is_int(a.v, 501, "failed shift leaves d alone");
	a = (struct fo_dec){ INT64_MAX / 100 + 1, 0 };
	is_int(fo_dec_shift(&a, -2), FO_ERR, "shift overflows");
	a = (struct fo_dec){ 0, 0 };
	is_int(fo_dec_shift(&a, -30), FO_OK, "shift 0 far left");
	is_int(fo_dec_shift(&a, 99), FO_ERR, "absurd shift refused");

	/* cmp across scales. */
	a = (struct fo_dec){ 1230, 3 };
	b = (struct fo_dec){ 123, 2 };
	is_int(fo_dec_cmp(&a, &b), 0, "1.230 == 1.23");
	b = (struct fo_dec){ 124, 2 };
	is_int(fo_dec_cmp(&a, &b), -1, "1.230 < 1.24");
	is_int(fo_dec_cmp(&b, &a), 1, "1.24 > 1.230");
	a = (struct fo_dec){ -1, 0 };
	b = (struct fo_dec){ 1, 18 };
	is_int(fo_dec_cmp(&a, &b), -1, "-1 < 1e-18");
	a = (struct fo_dec){ INT64_MAX, 0 };
	b = (struct fo_dec){ INT64_MAX, 18 };
	is_int(fo_dec_cmp(&a, &b), 1, "cmp at the edges does not overflow");
	is_int(fo_dec_cmp(&b, &a), -1, "cmp at the edges, reversed");

	/* add: the larger scale, exact. */
	a = (struct fo_dec){ 1050, 2 };
	b = (struct fo_dec){ -3, 3 };
	is_int(fo_dec_add(&a, &b, &r), FO_OK, "add");
	is_str(showdec(&r), "10.497", "10.50 + -0.003 = 10.497");
	a = (struct fo_dec){ 5, 2 };
	b = (struct fo_dec){ -5, 2 };
	fo_dec_add(&a, &b, &r);
	is_str(showdec(&r), "0.00", "0.05 - 0.05 = 0.00");
	a = (struct fo_dec){ INT64_MAX, 2 };
	b = (struct fo_dec){ 1, 2 };
	is_int(fo_dec_add(&a, &b, &r), FO_ERR, "add overflows");
	a = (struct fo_dec){ -INT64_MAX, 2 };
	b = (struct fo_dec){ -1, 2 };
	is_int(fo_dec_add(&a, &b, &r), FO_ERR, "add overflows negative");
	a = (struct fo_dec){ INT64_MAX, 2 };
	b = (struct fo_dec){ -1, 2 };
	is_int(fo_dec_add(&a, &b, &r), FO_OK, "add near the edge");
	a = (struct fo_dec){ INT64_MAX / 10, 0 };
	b = (struct fo_dec){ 0, 1 };
	is_int(fo_dec_add(&a, &b, &r), FO_OK, "add rescales to the edge");
	a = (struct fo_dec){ INT64_MAX / 10 + 1, 0 };
	is_int(fo_dec_add(&a, &b, &r), FO_ERR, "add rescale overflows");
	a = (struct fo_dec){ 7, 1 };
	is_int(fo_dec_add(&a, &a, &a), FO_OK, "add in place");
	is_str(showdec(&a), "1.4", "0.7 + 0.7 in place");

	/* mul: exact product, rounded once half-even. */
	a = (struct fo_dec){ 2345, 3 };
	b = (struct fo_dec){ 1, 0 };
	is_int(fo_dec_mul(&a, &b, 2, &r), FO_OK, "mul");
	is_str(showdec(&r), "2.34", "2.345 * 1 -> 2.34");
	a = (struct fo_dec){ 2355, 3 };
	fo_dec_mul(&a, &b, 2, &r);
	is_str(showdec(&r), "2.36", "2.355 * 1 -> 2.36");
	a = (struct fo_dec){ -2345, 3 };
	fo_dec_mul(&a, &b, 2, &r);
	is_str(showdec(&r), "-2.34", "-2.345 * 1 -> -2.34");
	a = (struct fo_dec){ 12500, 3 };	/* 12.500 units */
	b = (struct fo_dec){ 19990, 4 };	/* at 1.9990 */
	fo_dec_mul(&a, &b, 2, &r);
	is_str(showdec(&r), "24.99", "12.500 * 1.9990 = 24.9875 -> 24.99");
	a = (struct fo_dec){ 3, 1 };
	b = (struct fo_dec){ 5, 1 };
	fo_dec_mul(&a, &b, 4, &r);
	is_str(showdec(&r), "0.1500", "0.3 * 0.5 at scale 4");
	fo_dec_mul(&a, &b, 1, &r);
	is_str(showdec(&r), "0.2", "0.3 * 0.5 = 0.15 -> 0.2 (half-even)");
	a = (struct fo_dec){ 25, 1 };
	b = (struct fo_dec){ 1, 1 };
	fo_dec_mul(&a, &b, 1, &r);
	is_str(showdec(&r), "0.2", "2.5 * 0.1 = 0.25 -> 0.2 (half-even)");
	/* mul3: amount x rate x percent / 100, rounded once, half-even
	 * (fo-score's discount), never twice */
	{
		struct fo_dec amt = { 100005, 2 }, rate = { 1, 0 },
		    pct = { 2, 0 };

		/* 1000.05 x 2% = 20.001 -> 20.00 */
		is_int(fo_dec_mul3(&amt, &rate, &pct, 2, 2, &r), FO_OK, "mul3");
		is_str(showdec(&r), "20.00", "1000.05 x 2%% -> 20.00");
		amt = (struct fo_dec){ 125, 2 };	/* 1.25 */
		pct = (struct fo_dec){ 50, 0 };	/* 50%: 0.625 */
		fo_dec_mul3(&amt, &rate, &pct, 2, 2, &r);
		is_str(showdec(&r), "0.62", "1.25 x 50%% = 0.625 -> 0.62 (even)");
		amt = (struct fo_dec){ 135, 2 };	/* 1.35 x 50% = 0.675 */
		fo_dec_mul3(&amt, &rate, &pct, 2, 2, &r);
		is_str(showdec(&r), "0.68", "0.675 -> 0.68 (even)");
		amt = (struct fo_dec){ -135, 2 };
		fo_dec_mul3(&amt, &rate, &pct, 2, 2, &r);
		is_str(showdec(&r), "-0.68", "-0.675 -> -0.68");
		/* 0.0000361 EUR a VND: a rate of 7 decimals, rounded once */
		amt = (struct fo_dec){ 1000000, 0 };
		rate = (struct fo_dec){ 361, 7 };
		pct = (struct fo_dec){ 1, 0 };
		fo_dec_mul3(&amt, &rate, &pct, 0, 2, &r);
		is_str(showdec(&r), "36.10", "1000000 VND at 0.0000361");
		amt = (struct fo_dec){ INT64_MAX, 0 };
		rate = (struct fo_dec){ INT64_MAX, 0 };
		is_int(fo_dec_mul3(&amt, &rate, &rate, 0, 0, &r), FO_ERR,
		    "mul3 past 128 bits refused");
		rate = (struct fo_dec){ 2, 0 };
		pct = (struct fo_dec){ 1, 0 };
		is_int(fo_dec_mul3(&amt, &rate, &pct, 0, 0, &r), FO_ERR,
		    "mul3 past int64 refused");
	}
	a = (struct fo_dec){ INT64_MAX, 18 };
	b = (struct fo_dec){ INT64_MAX, 18 };
	is_int(fo_dec_mul(&a, &b, 2, &r), FO_OK, "mul huge product, scaled");
	is_str(showdec(&r), "85.07", "9.22...^2 = 85.07");
	a = (struct fo_dec){ INT64_MAX, 0 };
	b = (struct fo_dec){ 2, 0 };
	is_int(fo_dec_mul(&a, &b, 0, &r), FO_ERR, "mul overflows");
	b = (struct fo_dec){ 1, 0 };
	is_int(fo_dec_mul(&a, &b, 0, &r), FO_OK, "mul by one at the edge");
	is_int(fo_dec_mul(&a, &b, 1, &r), FO_ERR, "mul scale-up overflows");
	a = (struct fo_dec){ INT64_MAX, 0 };
	b = (struct fo_dec){ INT64_MAX, 0 };
	is_int(fo_dec_mul(&a, &b, 18, &r), FO_ERR, "mul 2^126 scale-up");
	b = (struct fo_dec){ -1, 0 };
	is_int(fo_dec_mul(&a, &b, 0, &r), FO_OK, "mul by -1");
	is_str(showdec(&r), "-9223372036854775807", "-INT64_MAX");
	is_int(fo_dec_mul(&a, &b, 19, &r), FO_ERR, "mul bad scale");
}

static void
currencies(void)
{
	is_int(fo_currency_minor("EUR", 3), 2, "EUR 2");
	is_int(fo_currency_minor("USD", 3), 2, "USD 2");
	is_int(fo_currency_minor("AED", 3), 2, "AED 2 (first)");
	is_int(fo_currency_minor("ZWG", 3), 2, "ZWG 2 (last)");
	is_int(fo_currency_minor("JPY", 3), 0, "JPY 0");
	is_int(fo_currency_minor("KWD", 3), 3, "KWD 3");
	is_int(fo_currency_minor("CLF", 3), 4, "CLF 4");
	is_int(fo_currency_minor("UYW", 3), 4, "UYW 4");
	is_int(fo_currency_minor("EURO", 3), 2, "only n bytes are read");
	is_int(fo_currency_minor("eur", 3), -1, "lower case unknown");
	is_int(fo_currency_minor("EURO", 4), -1, "four letters unknown");
	is_int(fo_currency_minor("EU", 2), -1, "two letters unknown");
	is_int(fo_currency_minor("", 0), -1, "empty unknown");
	is_int(fo_currency_minor("XXX", 3), -1, "XXX has no minor unit");
	is_int(fo_currency_minor("XAU", 3), -1, "XAU has no minor unit");
	is_int(fo_currency_minor("HRK", 3), -1, "HRK withdrawn");
	is_int(fo_currency_minor("ABC", 3), -1, "ABC unknown");
	{
		static const char *zero[] = {
			"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
			"PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF",
			"XPF"
		};
		static const char *three[] = {
			"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"
		};
		size_t i;
		int bad = 0;

		for (i = 0; i < sizeof zero / sizeof zero[0]; i++)
			if (fo_currency_minor(zero[i], 3) != 0)
				bad++;
		is_int(bad, 0, "all 0-decimal currencies");
		bad = 0;
		for (i = 0; i < sizeof three / sizeof three[0]; i++)
			if (fo_currency_minor(three[i], 3) != 3)
				bad++;
		is_int(bad, 0, "all 3-decimal currencies");
	}
}

/* fo_dec_parse_marks: "value|mark|mark", or "ERROR@col: message". */
static const char *
marked(const char *s, enum fo_numstyle st, int scale)
{
	static char buf[256];
	struct fo_span m[2];
	struct fo_dec d;
	struct fo_err e;
	char num[FO_DEC_BUFSZ];
	int n = -1, i;

	fo_err_clear(&e);
	if (fo_dec_parse_marks(s, strlen(s), st, scale, &d, m, &n, &e) !=
	    FO_OK) {
		snprintf(buf, sizeof buf, "ERROR@%ld: %.200s", e.col, e.msg);
		return buf;
	}
	fo_dec_fmt(&d, num);
	snprintf(buf, sizeof buf, "%s", num);
	for (i = 0; i < n; i++)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "|%.*s",
		    (int)m[i].n, m[i].p);
	return buf;
}

static void
is_marked(const char *s, enum fo_numstyle st, int scale, const char *want)
{
	is_str(marked(s, st, scale), want, "marks: '%s' -> %s", s, want);
}

/* Amounts whose currency marks the caller resolves (fo-ingest). */
static void
marks(void)
{
	is_marked("$12,480.00", FO_NUM_DOT, 2, "12480.00|$");
	is_marked("12480.00", FO_NUM_DOT, 2, "12480.00");
	is_marked("($250.00)", FO_NUM_DOT, 2, "-250.00|$");
	is_marked("-$250.00", FO_NUM_DOT, 2, "-250.00|$");
	is_marked("$-250.00", FO_NUM_DOT, 2, "-250.00|$");
	is_marked("¥125,000", FO_NUM_DOT, 0, "125000|¥");
	is_marked("CHF 1,234.50", FO_NUM_DOT, 2, "1234.50|CHF");
	is_marked("A$1,234.50", FO_NUM_DOT, 2, "1234.50|A$");
	is_marked("NZ$ 99.00", FO_NUM_DOT, 2, "99.00|NZ$");
	is_marked("US$5.00", FO_NUM_DOT, 2, "5.00|US$");
	is_marked("HK$5.00", FO_NUM_DOT, 2, "5.00|HK$");
	is_marked("1.234,50 kr", FO_NUM_COMMA, 2, "1234.50|kr");
	is_marked("1.234,50 €", FO_NUM_COMMA, 2, "1234.50|€");
	is_marked("Fr. 1'234.50", FO_NUM_APOS, 2, "1234.50|Fr.");
	is_marked("Rs.500", FO_NUM_DOT, 2, "500.00|Rs.");
	is_marked("$CAD1,000.00", FO_NUM_DOT, 2, "1000.00|$CAD");
	is_marked("$ USD 1,000.00", FO_NUM_DOT, 2, "1000.00|$|USD");
	is_marked("$12.00 USD", FO_NUM_DOT, 2, "12.00|$|USD");
	is_marked("zł 10,00", FO_NUM_COMMA, 2, "10.00|zł");
	is_marked("XYZ 10.00", FO_NUM_DOT, 2, "10.00|XYZ");
	/* CR and DR stay signs, CRC is Costa Rica's colón */
	is_marked("100.20 CR", FO_NUM_DOT, 2, "-100.20");
	is_marked("100.20 CRC", FO_NUM_DOT, 2, "100.20|CRC");
	is_marked("$5 USD €", FO_NUM_DOT, 2,
	    "ERROR@8: three currency marks");
	is_marked("Dollars 5", FO_NUM_DOT, 2, "ERROR@1: bad character 'D'");
	is_marked("abc", FO_NUM_DOT, 2, "ERROR@1: bad character 'a'");
	is_marked("5,0x0", FO_NUM_COMMA, 2, "ERROR@4: bad character 'x'");
	is_marked("12 abc", FO_NUM_DOT, 2, "12.00|abc");
	/* the minus sign and spaces are no marks */
	is_marked("\xe2\x88\x92" "5.00", FO_NUM_DOT, 2,
	    "ERROR@1: bad character '\xe2\x88\x92'");
	/* without the marks argument, the old checks */
	is_dec("$5.00", FO_NUM_DOT, 2, "5.00");
	is_dec("XYZ 5.00", FO_NUM_DOT, 2, "ERROR");
	is_dec("100.20 CR", FO_NUM_DOT, 2, "-100.20");
}

int
main(void)
{
	marks();
	vectors();
	styles();
	parsing();
	formatting();
	arithmetic();
	currencies();
	return done_testing();
}
