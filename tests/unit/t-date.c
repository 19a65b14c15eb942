/* t-date.c - dates and timestamps: testdata/vectors, then our own cases. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fo.h"
#include "tap.h"

typedef int datefn(const char *, size_t, enum fo_datefmt, int32_t *,
    struct fo_err *);

/* Read s in format name with fn; "ERROR", "EMPTY" or the date as
 * YYYY-MM-DD. */
static const char *
parse_with(datefn *fn, const char *name, const char *s, struct fo_err *e)
{
	static char buf[16];
	enum fo_datefmt f;
	int32_t days;
	int rc;

	if (fo_datefmt_parse(name, &f) != FO_OK)
		return "BADFORMAT";
	fo_err_clear(e);
	rc = fn(s, strlen(s), f, &days, e);
	if (rc == FO_ERR)
		return "ERROR";
	if (rc == FO_EMPTY)
		return "EMPTY";
	if (rc != FO_OK)
		return "BADSTATUS";
	fo_date_fmt(days, buf);
	return buf;
}

static const char *
parse(const char *name, const char *s, struct fo_err *e)
{
	return parse_with(fo_date_parse, name, s, e);
}

static const char *
rd(const char *name, const char *s, struct fo_err *e)
{
	return parse_with(fo_date_read, name, s, e);
}

static const char *
ts(const char *s, struct fo_err *e)
{
	static char buf[32];
	int64_t secs;
	int rc;

	fo_err_clear(e);
	rc = fo_ts_parse(s, strlen(s), &secs, e);
	if (rc == FO_ERR)
		return "ERROR";
	if (rc == FO_EMPTY)
		return "EMPTY";
	if (rc != FO_OK)
		return "BADSTATUS";
	fo_ts_fmt(secs, buf);
	return buf;
}

static void
vectors(void)
{
	struct fo_err e;
	char line[1024], *fmt, *in, *want, *p;
	FILE *fp;
	int n = 0;

	if ((fp = fopen(testdata_path("vectors/dates.tsv"), "r")) == NULL) {
		ok(0, "open %s", testdata_path("vectors/dates.tsv"));
		return;
	}
	while (fgets(line, sizeof line, fp) != NULL) {
		if ((p = strchr(line, '\n')) != NULL)
			*p = '\0';
		if ((p = strchr(line, '\r')) != NULL)
			*p = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		fmt = line;
		if ((in = strchr(fmt, '\t')) == NULL ||
		    (want = strchr(in + 1, '\t')) == NULL) {
			ok(0, "vector line '%s' has three columns", line);
			continue;
		}
		*in++ = '\0';
		*want++ = '\0';
		is_str(parse(fmt, in, &e), want, "vector %s '%s' -> %s", fmt,
		    in, want);
		n++;
	}
	fclose(fp);
	ok(n >= 40, "read %d vectors", n);
}

/* Every day of 1900..2200 against a calendar stepped by hand. */
static void
round_trip(void)
{
	int32_t first, last, days;
	int y, m, d, wy, wm, wd, bad = 0, mlen;
	static const int ml[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	is_int(fo_date_from_ymd(1900, 1, 1), -25567, "1900-01-01 is day -25567");
	is_int(fo_date_from_ymd(2200, 12, 31), 84370, "2200-12-31 is day 84370");
	/* the whole range a date may be written in: 719162 days from
	 * 0001-01-01 to 1970-01-01; 9999-12-31 is the 3652059th day */
	first = fo_date_from_ymd(1, 1, 1);
	last = fo_date_from_ymd(9999, 12, 31);
	is_int(first, -719162, "0001-01-01 is day -719162");
	is_int(last, 3652058 - 719162, "9999-12-31 is day 2932896");
	wy = 1, wm = 1, wd = 1;
	for (days = first; days <= last; days++) {
		fo_date_to_ymd(days, &y, &m, &d);
		if (y != wy || m != wm || d != wd ||
		    fo_date_from_ymd(y, m, d) != days || !fo_date_valid(y, m, d))
			bad++;
		mlen = ml[wm - 1] + (wm == 2 && wy % 4 == 0 &&
		    (wy % 100 != 0 || wy % 400 == 0));
		if (fo_date_valid(wy, wm, mlen + 1))
			bad++;
		if (++wd > mlen) {
			wd = 1;
			if (++wm > 12) {
				wm = 1;
				wy++;
			}
		}
	}
	is_int(bad, 0, "round trip of every day 0001-01-01 .. 9999-12-31");
}

static void
calendar(void)
{
	char buf[32];
	int y, m, d;

	is_int(fo_date_from_ymd(1970, 1, 1), 0, "1970-01-01 is day 0");
	is_int(fo_date_from_ymd(1, 1, 1), -719162, "0001-01-01");
	is_int(fo_date_from_ymd(9999, 12, 31), 2932896, "9999-12-31");
	fo_date_to_ymd(-1, &y, &m, &d);
	ok(y == 1969 && m == 12 && d == 31, "day -1 is 1969-12-31");
	fo_date_to_ymd(-719162, &y, &m, &d);
	ok(y == 1 && m == 1 && d == 1, "day -719162 is 0001-01-01");
	fo_date_to_ymd(2932896, &y, &m, &d);
	ok(y == 9999 && m == 12 && d == 31, "day 2932896 is 9999-12-31");
	is_int(fo_date_from_ymd(2026, 13, 1), fo_date_from_ymd(2027, 1, 1),
	    "month 13 carries into the next year");
	is_int(fo_date_from_ymd(2026, 0, 31), fo_date_from_ymd(2025, 12, 31),
	    "month 0 is December before");
	is_int(fo_date_from_ymd(2026, 1, 32), fo_date_from_ymd(2026, 2, 1),
	    "day 32 of January is February 1");

	is_int(fo_date_weekday(fo_date_from_ymd(2026, 11, 21)), 5,
	    "2026-11-21 is a Saturday");
	is_int(fo_date_weekday(0), 3, "1970-01-01 is a Thursday");
	is_int(fo_date_weekday(-1), 2, "1969-12-31 is a Wednesday");
	is_int(fo_date_weekday(fo_date_from_ymd(1900, 1, 1)), 0,
	    "1900-01-01 is a Monday");
	is_int(fo_date_weekday(fo_date_from_ymd(2000, 1, 1)), 5,
	    "2000-01-01 is a Saturday");
	is_int(fo_date_weekday(fo_date_from_ymd(2200, 12, 31)), 2,
	    "2200-12-31 is a Wednesday");

	ok(!fo_date_valid(1900, 2, 29), "1900 is not a leap year");
	ok(fo_date_valid(2000, 2, 29), "2000 is a leap year");
	ok(!fo_date_valid(2100, 2, 29), "2100 is not a leap year");
	ok(fo_date_valid(2024, 2, 29), "2024 is a leap year");
	ok(!fo_date_valid(2026, 2, 29), "2026 is not a leap year");
	ok(!fo_date_valid(2026, 4, 31), "no April 31");
	ok(!fo_date_valid(2026, 13, 1) && !fo_date_valid(2026, 0, 1),
	    "months 0 and 13 are not valid");
	ok(!fo_date_valid(0, 1, 1) && !fo_date_valid(10000, 1, 1),
	    "years 0 and 10000 are not valid");

	is_int(fo_date_fmt(fo_date_from_ymd(2026, 10, 2), buf), 10,
	    "fo_date_fmt returns 10");
	is_str(buf, "2026-10-02", "fo_date_fmt");
	fo_date_fmt(INT32_MAX, buf);
	is_str(buf, "0000-00-00", "a day past year 9999 formats as zeros");
	fo_date_fmt(INT32_MIN, buf);
	is_str(buf, "0000-00-00", "a day before year 0 formats as zeros");
}

static void
names(void)
{
	static const char *const all[] = {
		"auto", "YYYY-MM-DD", "DD.MM.YYYY", "MM/DD/YYYY", "DD/MM/YYYY",
		"YYYYMMDD", "DD-MON-YYYY", "DD-MON-YY", "YYMMDD", "EXCEL",
		"EXCEL1904", "DD.MM.YY"
	};
	enum fo_datefmt f;
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		if (fo_datefmt_parse(all[i], &f) != FO_OK ||
		    strcmp(fo_datefmt_name(f), all[i]) != 0)
			bad++;
	is_int(bad, 0, "every format name parses and names itself");
	ok(fo_datefmt_parse("auto", &f) == FO_OK && f == FO_DATE_AUTO,
	    "auto is FO_DATE_AUTO");
	ok(fo_datefmt_parse("EXCEL1904", &f) == FO_OK &&
	    f == FO_DATE_EXCEL1904, "EXCEL1904 is FO_DATE_EXCEL1904");
	is_int(fo_datefmt_parse("dd.mm.yyyy", &f), FO_ERR,
	    "format names are case-sensitive");
	is_int(fo_datefmt_parse("AUTO", &f), FO_ERR, "AUTO is not auto");
	is_int(fo_datefmt_parse("", &f), FO_ERR, "empty format name");
	is_int(fo_datefmt_parse("M/D/YYYY", &f), FO_ERR, "M/D/YYYY unknown");
}

static void
formats(void)
{
	struct fo_err e;

	/* auto takes only what cannot be read two ways */
	is_str(parse("auto", "2026-10-02", &e), "2026-10-02", "auto ISO");
	is_str(parse("auto", "2026-10-02T09:14:02.5-05:30", &e), "2026-10-02",
	    "auto ISO with time and offset");
	is_str(parse("auto", "20261002", &e), "2026-10-02", "auto YYYYMMDD");
	is_str(parse("auto", "00000000", &e), "EMPTY", "auto 00000000");
	is_str(parse("auto", "2.10.2026", &e), "2026-10-02", "auto D.MM.YYYY");
	is_str(parse("auto", "05-JAN-2025", &e), "2025-01-05",
	    "auto DD-MON-YYYY");
	is_str(parse("auto", "07-jan-25", &e), "2025-01-07", "auto DD-MON-YY");
	is_str(parse("auto", "06-JAN-2025 09:14:02", &e), "2025-01-06",
	    "auto DD-MON-YYYY with time");
	is_str(parse("auto", "  \t", &e), "EMPTY", "auto blank");
	is_str(parse("auto", "05/01/2025", &e), "ERROR", "auto slash");
	is_str(e.msg, "ambiguous: day or month first? give the date format",
	    "auto slash message");
	is_str(parse("auto", "2025/01/05", &e), "ERROR",
	    "auto any slash is ambiguous");
	is_str(parse("auto", "261002", &e), "ERROR", "auto YYMMDD refused");
	is_str(e.msg, "unknown date format", "auto YYMMDD message");
	is_int(e.col, 1, "auto unknown col");
	is_str(parse("auto", "46297", &e), "ERROR", "auto Excel refused");
	is_str(parse("auto", "Oct 2, 2026", &e), "ERROR", "auto words refused");
	is_str(e.msg, "unknown date format", "auto words message");
	is_str(parse("auto", "2026-02-29", &e), "ERROR", "auto no such date");
	is_str(e.msg, "no such date 2026-02-29", "auto no such date message");
	is_str(parse("auto", "05-JAN-202", &e), "ERROR", "auto 3-digit year");

	/* whitespace, widths, trailing text */
	is_str(parse("YYYY-MM-DD", " 2026-10-02\r\n", &e), "2026-10-02",
	    "whitespace trimmed");
	is_str(parse("YYYY-MM-DD", "2026-10-02T09:14", &e), "2026-10-02",
	    "ISO with HH:MM");
	is_str(parse("YYYY-MM-DD", "2026-10-02T09:14:02Z", &e), "2026-10-02",
	    "ISO with Z");
	is_str(parse("YYYY-MM-DD", "2026-10-02T23:30:00-0530", &e),
	    "2026-10-02", "ISO date as written, not moved to UTC");
	is_str(parse("YYYY-MM-DD", "2026-10-02T", &e), "ERROR",
	    "ISO with T and no time");
	is_str(parse("YYYY-MM-DD", "2026-10-02T9:14", &e), "ERROR",
	    "ISO with one-digit hour");
	is_str(parse("YYYY-MM-DD", "2026-10-02T09:14:02+01", &e), "ERROR",
	    "ISO with +HH offset");
	is_str(parse("YYYY-MM-DD", "2026-10-02x", &e), "ERROR",
	    "ISO with trailing text");
	is_int(e.col, 11, "ISO trailing text col");
	is_str(parse("YYYY-MM-DD", "2026-10-02T09:14.5Z", &e), "ERROR",
	    "ISO fraction without seconds");
	/* YYYY-MM-DD alone is read in one step: the same verdicts,
	 * messages and columns as the general path */
	is_str(parse("YYYY-MM-DD", "2024-02-29", &e), "2024-02-29",
	    "ISO leap day");
	is_str(parse("YYYY-MM-DD", "2026-13-01", &e), "ERROR", "ISO month 13");
	is_str(e.msg, "month 13", "ISO month 13 message");
	is_int(e.col, 6, "ISO month 13 col");
	is_str(parse("YYYY-MM-DD", "2026-00-10", &e), "ERROR", "ISO month 0");
	is_int(e.col, 6, "ISO month 0 col");
	is_str(parse("YYYY-MM-DD", "2025-02-29", &e), "ERROR",
	    "ISO no such date");
	is_str(e.msg, "no such date 2025-02-29", "ISO no such date message");
	is_int(e.col, 9, "ISO no such date col");
	is_str(parse("YYYY-MM-DD", "0000-01-01", &e), "ERROR", "ISO year 0");
	is_str(e.msg, "year 0000", "ISO year 0 message");
	is_int(e.col, 1, "ISO year 0 col");
	is_str(parse("YYYY-MM-DD", "  2026-09-31", &e), "ERROR",
	    "ISO no such date after blanks");
	is_int(e.col, 11, "ISO no such date after blanks col");
	is_str(parse("YYYY-MM-DD", "2026-1-012", &e), "ERROR",
	    "ISO ten bytes, one-digit month");
	is_str(parse("YYYY-MM-DD", "2026-10-0a", &e), "ERROR",
	    "ISO ten bytes, a letter");
	is_str(parse("YYYY-MM-DD", "2026/10/02", &e), "ERROR",
	    "ISO ten bytes, slashes");
	is_str(parse("DD.MM.YYYY", "2.1.2026", &e), "2026-01-02",
	    "one-digit day and month");
	is_str(parse("DD.MM.YYYY", "002.10.2026", &e), "ERROR",
	    "three-digit day");
	is_str(parse("DD.MM.YYYY", "02.10.26", &e), "ERROR", "two-digit year");
	is_str(parse("DD.MM.YYYY", "02.10.2026 10h00", &e), "ERROR",
	    "DD.MM.YYYY with a malformed time");
	is_str(parse("DD/MM/YYYY", "05/01/2025", &e), "2025-01-05",
	    "DD/MM/YYYY");
	is_str(parse("MM/DD/YYYY", "05/01/2025", &e), "2025-05-01",
	    "MM/DD/YYYY");
	is_str(parse("DD-MON-YY", "07-JAN-2025", &e), "ERROR",
	    "DD-MON-YY with four digits");
	is_str(parse("DD-MON-YYYY", "07-JAN-25", &e), "ERROR",
	    "DD-MON-YYYY with two digits");
	is_str(parse("DD-MON-YYYY", "06-JAN-2025 09:14", &e), "ERROR",
	    "DD-MON-YYYY time needs seconds");
	is_str(parse("DD-MON-YYYY", "06-JAN-2025 25:14:02", &e), "ERROR",
	    "DD-MON-YYYY time hour 25");
	is_str(parse("DD-MON-YYYY", "05-J\xc3\xa4N-2025", &e), "ERROR",
	    "DD-MON-YYYY non-ASCII month");
	/* German bank downloads: 24.03.14; a full year is read too */
	is_str(parse("DD.MM.YY", "24.03.14", &e), "2014-03-24", "DD.MM.YY");
	is_str(parse("DD.MM.YY", "31.12.68", &e), "2068-12-31",
	    "DD.MM.YY 68");
	is_str(parse("DD.MM.YY", "01.01.69", &e), "1969-01-01",
	    "DD.MM.YY 69");
	is_str(parse("DD.MM.YY", "2.1.26", &e), "2026-01-02",
	    "DD.MM.YY one-digit day and month");
	is_str(parse("DD.MM.YY", "24.03.2014", &e), "2014-03-24",
	    "DD.MM.YY with four digits");
	is_str(parse("DD.MM.YY", "24.03.201", &e), "ERROR",
	    "DD.MM.YY with three digits");
	is_str(parse("DD.MM.YY", "31.09.26", &e), "ERROR",
	    "DD.MM.YY no such day");
	is_str(e.msg, "no such date 2026-09-31", "DD.MM.YY message");
	is_str(parse("auto", "24.03.14", &e), "ERROR",
	    "auto: a two-digit year after points is a guess");
	/* UK bank downloads: 15 Jun 2016 */
	is_str(parse("DD-MON-YYYY", "15 Jun 2016", &e), "2016-06-15",
	    "DD-MON-YYYY with spaces");
	is_str(parse("auto", "02 Oct 2026", &e), "2026-10-02",
	    "auto DD MON YYYY");
	is_str(parse("DD-MON-YYYY", "15 Jun-2016", &e), "ERROR",
	    "DD-MON-YYYY mixed separators");
	is_str(parse("DD-MON-YYYY", "15-Jun 2016", &e), "ERROR",
	    "DD-MON-YYYY mixed separators the other way");
	is_str(parse("DD-MON-YY", "15 Jun 16", &e), "2016-06-15",
	    "DD-MON-YY with spaces");
	is_str(parse("YYMMDD", "690101", &e), "1969-01-01", "YYMMDD 69");
	is_str(parse("YYMMDD", "681231", &e), "2068-12-31", "YYMMDD 68");
	is_str(parse("YYYYMMDD", "202610021", &e), "ERROR", "nine digits");
	is_str(parse("YYYYMMDD", "00010101", &e), "0001-01-01", "year 1");
	is_str(parse("YYYYMMDD", "00001231", &e), "ERROR", "year 0");
	is_str(e.msg, "year 0000", "year 0 message");

	/* Excel serials */
	is_str(parse("EXCEL", "1", &e), "1900-01-01", "Excel 1");
	is_str(parse("EXCEL", "0", &e), "ERROR", "Excel 0");
	is_str(parse("EXCEL", "-1", &e), "ERROR", "Excel negative");
	is_str(parse("EXCEL", "2958465", &e), "9999-12-31", "Excel last day");
	is_str(parse("EXCEL", "2958466", &e), "ERROR", "Excel past 9999");
	is_str(parse("EXCEL", "99999999999999999999", &e), "ERROR",
	    "Excel huge");
	is_str(parse("EXCEL", "46297.", &e), "ERROR", "Excel bare point");
	is_str(parse("EXCEL", "4.6297E+04", &e), "ERROR", "Excel exponent");
	is_str(parse("EXCEL1904", "1462", &e), "1908-01-02", "Excel 1904");
	is_str(parse("EXCEL1904", "-1", &e), "ERROR", "Excel 1904 negative");
}

/* fo_date_read: a column's dates, the format's own, ISO 8601 beside
 * it, and two-digit years with the POSIX pivot. The vectors hold for
 * it too wherever they are not an ISO date or a two-digit year. */
static void
column_reads(void)
{
	struct fo_err e;

	/* ISO beside every format, with a time and an offset */
	is_str(rd("MM/DD/YYYY", "2026-10-07", &e), "2026-10-07",
	    "read: ISO in an MM/DD/YYYY column");
	is_str(rd("DD.MM.YYYY", "2026-10-07T09:14:02", &e), "2026-10-07",
	    "read: ISO timestamp in a DD.MM.YYYY column");
	is_str(rd("DD-MON-YYYY", "2026-10-07T23:30:00-05:00", &e),
	    "2026-10-07", "read: ISO with offset: the date as written");
	is_str(rd("YYYYMMDD", "2026-10-07 09:14:02Z", &e), "2026-10-07",
	    "read: ISO in a YYYYMMDD column");
	is_str(rd("EXCEL", "2026-10-07", &e), "2026-10-07",
	    "read: ISO in an Excel serial column");
	is_str(rd("DD/MM/YYYY", "2026-02-29", &e), "ERROR",
	    "read: ISO no such date");
	is_str(e.msg, "no such date 2026-02-29", "read: ISO's own message");
	is_str(rd("MM/DD/YYYY", "2026-1-2", &e), "ERROR",
	    "read: ISO with one-digit month");
	is_str(e.msg, "not a YYYY-MM-DD date", "read: says ISO was tried");
	is_int(e.col, 7, "read: column where the month ends too soon");
	is_str(rd("MM/DD/YYYY", "2026-10-07T25:00", &e), "ERROR",
	    "read: ISO with hour 25");
	is_str(rd("MM/DD/YYYY", "2026-10-07 junk", &e), "ERROR",
	    "read: ISO with text after it");
	is_str(rd("MM/DD/YYYY", "20261007", &e), "ERROR",
	    "read: YYYYMMDD is not ISO");
	/* the format's own dates as before */
	is_str(rd("MM/DD/YYYY", "10/7/2026", &e), "2026-10-07",
	    "read: the format's own");
	is_str(rd("MM/DD/YYYY", "13/7/2026", &e), "ERROR",
	    "read: month 13");
	is_str(rd("YYYYMMDD", "00000000", &e), "EMPTY", "read: SAP's no date");
	is_str(rd("DD.MM.YYYY", " ", &e), "EMPTY", "read: blank");
	/* two-digit years: 00-68 20xx, 69-99 19xx */
	is_str(rd("DD-MON-YYYY", "20-OCT-26", &e), "2026-10-20",
	    "read: DD-MON-YY in a DD-MON-YYYY column");
	is_str(rd("DD-MON-YYYY", "07-jan-25", &e), "2025-01-07",
	    "read: lower-case month, two-digit year");
	is_str(rd("DD-MON-YY", "07-JAN-2025", &e), "2025-01-07",
	    "read: four digits in a DD-MON-YY column");
	is_str(rd("DD-MON-YYYY", "01-JAN-68", &e), "2068-01-01",
	    "read: 68 is 2068");
	is_str(rd("DD-MON-YYYY", "31-DEC-69", &e), "1969-12-31",
	    "read: 69 is 1969");
	is_str(rd("DD-MON-YYYY", "06-OCT-26 09:14:02", &e), "2026-10-06",
	    "read: two-digit year and a time");
	is_str(rd("MM/DD/YYYY", "1/5/26", &e), "2026-01-05",
	    "read: M/D/YY");
	is_str(rd("DD/MM/YYYY", "1/5/26", &e), "2026-05-01",
	    "read: D/M/YY");
	is_str(rd("DD.MM.YYYY", "02.10.26", &e), "2026-10-02",
	    "read: DD.MM.YY");
	is_str(rd("MM/DD/YYYY", "1/5/99", &e), "1999-01-05", "read: 99");
	is_str(rd("MM/DD/YYYY", "1/5/00", &e), "2000-01-05", "read: 00");
	is_str(rd("MM/DD/YYYY", "2/29/25", &e), "ERROR",
	    "read: 2025 is no leap year");
	is_str(e.msg, "no such date 2025-02-29", "read: the year pivoted");
	is_str(rd("MM/DD/YYYY", "1/5/202", &e), "ERROR",
	    "read: three-digit year");
	is_str(rd("MM/DD/YYYY", "1/5/6", &e), "ERROR", "read: one-digit year");
	is_str(rd("MM/DD/YYYY", "1/5/20266", &e), "ERROR",
	    "read: five-digit year");
	is_str(rd("DD-MON-YYYY", "20-OCT-026", &e), "ERROR",
	    "read: DD-MON three-digit year");
	is_str(rd("MM/DD/YYYY", "1/5/26 9:14 AM", &e), "2026-01-05",
	    "read: M/D/YY and a clock time");
	/* the strict parser is unchanged */
	is_str(parse("DD-MON-YYYY", "20-OCT-26", &e), "ERROR",
	    "parse: DD-MON-YYYY wants four digits");
	is_str(parse("MM/DD/YYYY", "2026-10-07", &e), "ERROR",
	    "parse: no ISO in MM/DD/YYYY");
}

static void
columns(void)
{
	struct fo_err e;

	parse("DD.MM.YYYY", "  31.04.2026", &e);
	is_int(e.col, 3, "no such date: col of the day after blanks");
	is_str(e.msg, "no such date 2026-04-31", "no such date message");
	parse("DD.MM.YYYY", "02.13.2026", &e);
	is_int(e.col, 4, "month 13: col of the month");
	is_str(e.msg, "month 13", "month 13 message");
	parse("DD.MM.YYYY", "00.10.2026", &e);
	is_int(e.col, 1, "day 00: col of the day");
	parse("MM/DD/YYYY", "13/01/2026", &e);
	is_int(e.col, 1, "MM/DD month 13: col 1");
	is_str(e.msg, "month 13", "MM/DD month 13 message");
	parse("MM/DD/YYYY", "02/30/2026", &e);
	is_int(e.col, 4, "MM/DD day: col 4");
	parse("DD.MM.YYYY", "2026-10-02", &e);
	is_int(e.col, 3, "DD.MM.YYYY given ISO: col where it goes wrong");
	is_str(e.msg, "not a DD.MM.YYYY date", "shape message names format");
	parse("YYYYMMDD", "20261302", &e);
	is_int(e.col, 5, "YYYYMMDD month col");
	parse("YYYYMMDD", "2026100", &e);
	is_int(e.col, 1, "too short: col 1");
	parse("DD-MON-YYYY", "05-JNA-2025", &e);
	is_int(e.col, 4, "unknown month col");
	is_str(e.msg, "unknown month 'JNA'", "unknown month message");
	parse("YYYY-MM-DD", "2026-10-02T25:00", &e);
	is_int(e.col, 12, "hour col");
	is_str(e.msg, "hour 25", "hour message");
	parse("YYYY-MM-DD", "2026-10-02T10:00+01:60", &e);
	is_int(e.col, 17, "offset col");
	parse("EXCEL", "60", &e);
	is_str(e.msg, "no such date 1900-02-29 (Excel serial 60)",
	    "Excel 60 message");
	parse("EXCEL", " x", &e);
	is_int(e.col, 2, "Excel shape col after blank");
}

static void
timestamps(void)
{
	struct fo_err e;
	int64_t secs;
	char buf[32];

	is_str(ts("2026-10-02T00:00:00+01:00", &e), "2026-10-01T23:00:00Z",
	    "+01:00 back across the month");
	is_str(ts("2026-10-02T09:14:02-05:30", &e), "2026-10-02T14:44:02Z",
	    "-05:30");
	is_str(ts("2026-10-02T09:14:02Z", &e), "2026-10-02T09:14:02Z", "Z");
	is_str(ts("2026-10-02 09:14Z", &e), "2026-10-02T09:14:00Z",
	    "space, no seconds");
	is_str(ts("2026-10-02T09:14:02.999999Z", &e), "2026-10-02T09:14:02Z",
	    "fraction dropped");
	is_str(ts("2026-10-02T09:14:02.5+0200", &e), "2026-10-02T07:14:02Z",
	    "fraction and +HHMM");
	is_str(ts("2026-12-31T23:30:00-01:00", &e), "2027-01-01T00:30:00Z",
	    "forward across the year");
	is_str(ts("2027-01-01T00:30:00+01:00", &e), "2026-12-31T23:30:00Z",
	    "back across the year");
	is_str(ts("2028-03-01T00:00+0100", &e), "2028-02-29T23:00:00Z",
	    "back into a leap day");
	is_str(ts("2026-02-28T23:00-0100", &e), "2026-03-01T00:00:00Z",
	    "forward over February");
	is_str(ts("1969-12-31T23:59:59Z", &e), "1969-12-31T23:59:59Z",
	    "before the epoch");
	is_str(ts("0001-01-01T00:00:00Z", &e), "0001-01-01T00:00:00Z",
	    "first second");
	is_str(ts("9999-12-31T23:59:59Z", &e), "9999-12-31T23:59:59Z",
	    "last second");
	is_str(ts("0001-01-01T00:00:00+00:01", &e), "ERROR",
	    "before year 1 in UTC");
	is_str(ts("9999-12-31T23:59:59-00:01", &e), "ERROR",
	    "after year 9999 in UTC");
	is_str(ts("   ", &e), "EMPTY", "blank timestamp");

	fo_err_clear(&e);
	ok(fo_ts_parse("1970-01-01T00:00:00Z", 20, &secs, &e) == FO_OK &&
	    secs == 0, "epoch is 0");
	ok(fo_ts_parse("2026-10-01T23:00:00Z", 20, &secs, &e) == FO_OK &&
	    secs == 1790895600, "2026-10-01T23:00:00Z is 1790895600");
	is_int(fo_ts_fmt(-1, buf), 20, "fo_ts_fmt returns 20");
	is_str(buf, "1969-12-31T23:59:59Z", "second -1");
	fo_ts_fmt(INT64_MAX, buf);
	is_str(buf, "0000-00-00T00:00:00Z", "INT64_MAX formats as zeros");
	fo_ts_fmt(INT64_MIN, buf);
	is_str(buf, "0000-00-00T00:00:00Z", "INT64_MIN formats as zeros");

	is_str(ts("2026-10-02T24:00:01Z", &e), "ERROR", "hour 24");
	is_str(e.msg, "hour 24", "hour 24 message");
	is_int(e.col, 12, "hour 24 col");
	is_str(ts("2026-10-02T24:00:00Z", &e), "ERROR", "24:00:00 too");
	is_str(ts("2026-10-02T10:60:00Z", &e), "ERROR", "minute 60");
	is_str(e.msg, "minute 60", "minute 60 message");
	is_int(e.col, 15, "minute 60 col");
	is_str(ts("2026-10-02T10:59:60Z", &e), "ERROR", "second 60");
	is_str(ts("2026-10-02T10:00:00", &e), "ERROR", "no offset");
	is_str(e.msg, "no UTC offset: give Z or +HH:MM", "no offset message");
	is_str(ts("2026-10-02T10:00:00+1:00", &e), "ERROR", "offset +1:00");
	is_str(e.msg, "bad UTC offset", "bad offset message");
	is_int(e.col, 20, "bad offset col");
	is_str(ts("2026-10-02T10:00:00+01", &e), "ERROR", "offset +01");
	is_str(ts("2026-10-02T10:00:00+24:00", &e), "ERROR", "offset +24:00");
	is_str(ts("2026-10-02T10:00:00+01:60", &e), "ERROR", "offset +01:60");
	is_str(ts("2026-10-02T10:00:00 +01:00", &e), "ERROR",
	    "space before offset");
	is_str(ts("2026-10-02T10:00:00+01:00x", &e), "ERROR", "trailing text");
	is_str(ts("2026-10-02T10:00:00Zx", &e), "ERROR", "trailing after Z");
	is_str(ts("2026-10-02", &e), "ERROR", "date alone");
	is_str(ts("2026-02-29T10:00Z", &e), "ERROR", "no such day");
	is_str(e.msg, "no such date 2026-02-29", "no such day message");
	is_str(ts("2026-10-02T10:00:.5Z", &e), "ERROR", "bad seconds");
	is_str(ts("2026-10-02T10:00:00.Z", &e), "ERROR", "empty fraction");
}

/* A clock time after a slashed or dotted date (Excel, NetSuite). */
static void
clock_times(void)
{
	struct fo_err e;

	is_str(parse("MM/DD/YYYY", "10/2/2026 12:00:00 AM", &e), "2026-10-02",
	    "MM/DD/YYYY with 12:00:00 AM");
	is_str(parse("MM/DD/YYYY", "10/2/2026 9:14 pm", &e), "2026-10-02",
	    "MM/DD/YYYY with 9:14 pm");
	is_str(parse("DD/MM/YYYY", "02/10/2026 23:59:59", &e), "2026-10-02",
	    "DD/MM/YYYY with 23:59:59");
	is_str(parse("DD.MM.YYYY", "02.10.2026 14:30", &e), "2026-10-02",
	    "DD.MM.YYYY with 14:30");
	is_str(parse("MM/DD/YYYY", "10/2/2026 13:00 PM", &e), "ERROR",
	    "13 PM is no time");
	is_str(parse("MM/DD/YYYY", "10/2/2026 0:30 AM", &e), "ERROR",
	    "0 AM is no time");
	is_str(parse("MM/DD/YYYY", "10/2/2026 24:00", &e), "ERROR",
	    "24:00 is no time");
	is_str(parse("MM/DD/YYYY", "10/2/2026 9:60", &e), "ERROR",
	    "minute 60");
	is_str(parse("MM/DD/YYYY", "10/2/2026 9:14:61", &e), "ERROR",
	    "second 61");
	is_str(parse("MM/DD/YYYY", "10/2/2026 noon", &e), "ERROR",
	    "words are no time");
	is_str(parse("MM/DD/YYYY", "2/30/2026 9:14 AM", &e), "ERROR",
	    "a time does not save a bad date");
}

int
main(void)
{
	vectors();
	column_reads();
	round_trip();
	calendar();
	names();
	formats();
	columns();
	timestamps();
	clock_times();
	return done_testing();
}
