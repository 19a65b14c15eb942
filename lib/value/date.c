/*
 * date.c - dates as days since 1970-01-01, and UTC timestamps.
 *
 * The calendar is proleptic Gregorian, computed from day counts: no
 * mktime, timegm or strptime, whose answers depend on TZ and locale.
 * Each format is read strictly; a value that could be read two ways is
 * refused rather than guessed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fo.h"

#define EPOCH_RD	719162	/* days from 0001-01-01 to 1970-01-01 */
#define DAYS_400Y	146097
#define DAYS_100Y	36524
#define DAYS_4Y		1461
#define YEAR_MIN	1
#define YEAR_MAX	9999

/* Days before the first of each month in a common year. */
static const int mstart[13] = {
	0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365
};

static const char *const fmtnames[] = {
	[FO_DATE_AUTO] = "auto",
	[FO_DATE_ISO] = "YYYY-MM-DD",
	[FO_DATE_DMY_DOT] = "DD.MM.YYYY",
	[FO_DATE_MDY_SLASH] = "MM/DD/YYYY",
	[FO_DATE_DMY_SLASH] = "DD/MM/YYYY",
	[FO_DATE_YYYYMMDD] = "YYYYMMDD",
	[FO_DATE_DD_MON_YYYY] = "DD-MON-YYYY",
	[FO_DATE_DD_MON_YY] = "DD-MON-YY",
	[FO_DATE_YYMMDD] = "YYMMDD",
	[FO_DATE_EXCEL] = "EXCEL",
	[FO_DATE_EXCEL1904] = "EXCEL1904",
	[FO_DATE_DMY_DOT_YY] = "DD.MM.YY"
};
#define NFMT (sizeof fmtnames / sizeof fmtnames[0])

static const char mnames[12][4] = {
	"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
	"JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
};

/* C division truncates; the calendar needs it to round down. */
static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

static int
isleap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int
mdays(int64_t y, int m)
{
	if (m == 2 && isleap(y))
		return 29;
	return mstart[m] - mstart[m - 1];
}

int
fo_date_valid(int y, int m, int d)
{
	if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12)
		return 0;
	return d >= 1 && d <= mdays(y, m);
}

/*
 * Any y, m, d: a month outside 1..12 carries into the year and a day
 * outside the month counts on from its first, so callers can step.
 */
int32_t
fo_date_from_ymd(int y, int m, int d)
{
	int64_t yy, mm, py, days;
	uint32_t uy;

	/* a month of the year 1 to 9999 (a date as written): no carry,
	 * and the divisions of a count that is not negative */
	if (m >= 1 && m <= 12 && y >= YEAR_MIN && y <= YEAR_MAX) {
		uy = (uint32_t)y - 1;
		days = 365 * (int64_t)uy + uy / 4 - uy / 100 + uy / 400 +
		    mstart[m - 1] + (m > 2 && isleap(y));
		return (int32_t)(days + d - 1 - EPOCH_RD);
	}
	mm = (int64_t)m - 1;
	yy = y + floordiv(mm, 12);
	mm -= floordiv(mm, 12) * 12;
	py = yy - 1;
	days = 365 * py + floordiv(py, 4) - floordiv(py, 100) +
	    floordiv(py, 400);
	days += mstart[mm] + (mm >= 2 && isleap(yy));
	days += (int64_t)d - 1;
	return (int32_t)(days - EPOCH_RD);
}

void
fo_date_to_ymd(int32_t days, int *y, int *m, int *d)
{
	int64_t rd, n400, n100, n4, n1, yy;
	int doy, mm, leap;

	/* Peel off whole cycles: 400 years, 100, 4, then single years. */
	rd = (int64_t)days + EPOCH_RD;
	n400 = floordiv(rd, DAYS_400Y);
	rd -= n400 * DAYS_400Y;
	n100 = rd / DAYS_100Y;
	if (n100 == 4)		/* the last day of a 400-year cycle */
		n100 = 3;
	rd -= n100 * DAYS_100Y;
	n4 = rd / DAYS_4Y;
	rd -= n4 * DAYS_4Y;
	n1 = rd / 365;
	if (n1 == 4)		/* the last day of a leap year */
		n1 = 3;
	rd -= n1 * 365;
	yy = n400 * 400 + n100 * 100 + n4 * 4 + n1 + 1;

	doy = (int)rd;
	leap = isleap(yy);
	/* no month is longer than 31 days, so the month is at least
	 * doy / 31 + 1: at most two steps from there */
	for (mm = doy / 31 + 1; mm < 12; mm++)
		if (doy < mstart[mm] + (mm >= 2 && leap))
			break;
	*y = (int)yy;
	*m = mm;
	*d = doy - mstart[mm - 1] - (mm > 2 && leap) + 1;
}

int
fo_date_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday. */
	return (int)(((int64_t)days + 3) - floordiv((int64_t)days + 3, 7) * 7);
}

static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* Years that do not fit four digits give a date no parser accepts. */
static int
put_ymd(char *p, int32_t days)
{
	int y, m, d;

	fo_date_to_ymd(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		memcpy(p, "0000-00-00", 10);
		return 0;
	}
	put2(p, y / 100);
	put2(p + 2, y % 100);
	p[4] = '-';
	put2(p + 5, m);
	p[7] = '-';
	put2(p + 8, d);
	return 1;
}

size_t
fo_date_fmt(int32_t days, char *buf)
{
	put_ymd(buf, days);
	buf[10] = '\0';
	return 10;
}

size_t
fo_ts_fmt(int64_t secs, char *buf)
{
	int64_t days, sod;

	/* Not days * 86400: that overflows near INT64_MIN. */
	days = secs / 86400;
	sod = secs % 86400;
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	if (days < INT32_MIN || days > INT32_MAX ||
	    !put_ymd(buf, (int32_t)days)) {
		memcpy(buf, "0000-00-00T00:00:00Z", 21);
		return 20;
	}
	buf[10] = 'T';
	put2(buf + 11, (int)(sod / 3600));
	buf[13] = ':';
	put2(buf + 14, (int)(sod / 60 % 60));
	buf[16] = ':';
	put2(buf + 17, (int)(sod % 60));
	buf[19] = 'Z';
	buf[20] = '\0';
	return 20;
}

int
fo_datefmt_parse(const char *name, enum fo_datefmt *f)
{
	size_t i;

	if (name == NULL)
		return FO_ERR;
	for (i = 0; i < NFMT; i++)
		if (strcmp(name, fmtnames[i]) == 0) {
			*f = (enum fo_datefmt)i;
			return FO_OK;
		}
	return FO_ERR;
}

const char *
fo_datefmt_name(enum fo_datefmt f)
{
	if ((unsigned)f >= NFMT)
		return "?";
	return fmtnames[f];
}

/* A reading position in the trimmed text, and where to report. */
struct cur {
	const char *s;
	size_t n, i;
	long base;		/* offset of s in the caller's text */
	const char *want;	/* the format, for messages */
	int ts;			/* reading a timestamp, not a date */
	int yany;		/* a year of two digits or four (fo_date_read) */
	struct fo_err *e;
};

static int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

static int
isalpha_ascii(int c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int
isspace_ascii(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	    c == '\r';
}

static int
bad(struct cur *c, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Report at byte at of the trimmed text; past its end means "too short",
 * which has no better place than the start. */
static int
bad(struct cur *c, size_t at, const char *fmt, ...)
{
	va_list ap;

	if (c->e == NULL)
		return FO_ERR;
	c->e->col = c->base + (at < c->n ? (long)at : 0) + 1;
	va_start(ap, fmt);
	vsnprintf(c->e->msg, sizeof c->e->msg, fmt, ap);
	va_end(ap);
	return FO_ERR;
}

static int
shape(struct cur *c)
{
	if (c->ts)
		return bad(c, c->i, "not an ISO 8601 timestamp");
	return bad(c, c->i, "not a %s date", c->want);
}

static int
peek(const struct cur *c)
{
	return c->i < c->n ? (unsigned char)c->s[c->i] : -1;
}

static int
lit(struct cur *c, int ch)
{
	if (peek(c) != ch)
		return 0;
	c->i++;
	return 1;
}

/* Between min and max digits into *v; 0 when fewer than min. */
static int
num(struct cur *c, int min, int max, int *v)
{
	int k;

	*v = 0;
	for (k = 0; k < max && isdig(peek(c)); k++)
		*v = *v * 10 + (c->s[c->i++] - '0');
	return k >= min;
}

static int
yy_pivot(int yy)
{
	return yy <= 68 ? 2000 + yy : 1900 + yy;	/* as POSIX strptime %y */
}

/* Columns (trimmed offsets) of year, month and day, for messages. */
struct ymdpos {
	size_t y, m, d;
};

static int
check_ymd(struct cur *c, int y, int m, int d, const struct ymdpos *at)
{
	if (y < YEAR_MIN || y > YEAR_MAX)
		return bad(c, at->y, "year %04d", y);
	if (m < 1 || m > 12)
		return bad(c, at->m, "month %02d", m);
	if (!fo_date_valid(y, m, d))
		return bad(c, at->d, "no such date %04d-%02d-%02d", y, m, d);
	return FO_OK;
}

/* What may follow the clock: nothing, an optional zone, a required one. */
enum { ZONE_NO, ZONE_OPT, ZONE_REQ };

/*
 * HH:MM[:SS[.frac]] then Z, +HH:MM, -HH:MM, +HHMM or -HHMM. *sod gets
 * the seconds of the day as written, *off the zone's seconds east of UTC.
 */
static int
read_time(struct cur *c, int needsecs, int fracok, int zone, long *sod,
    long *off)
{
	size_t at, zat;
	int h, mi, se, oh, om, sign;

	*sod = *off = 0;
	at = c->i;
	if (!num(c, 2, 2, &h) || !lit(c, ':'))
		return bad(c, c->i, "bad time");
	if (h > 23)
		return bad(c, at, "hour %02d", h);
	at = c->i;
	if (!num(c, 2, 2, &mi))
		return bad(c, c->i, "bad time");
	if (mi > 59)
		return bad(c, at, "minute %02d", mi);
	se = 0;
	if (lit(c, ':')) {
		at = c->i;
		if (!num(c, 2, 2, &se))
			return bad(c, c->i, "bad time");
		if (se > 59)
			return bad(c, at, "second %02d", se);
		if (fracok && lit(c, '.')) {
			if (!isdig(peek(c)))
				return bad(c, c->i, "bad time");
			while (isdig(peek(c)))
				c->i++;
		}
	} else if (needsecs)
		return bad(c, c->i, "bad time");
	*sod = h * 3600L + mi * 60L + se;

	zat = c->i;
	if (zone == ZONE_NO || c->i == c->n) {
		if (zone == ZONE_REQ)
			return bad(c, zat, "no UTC offset: give Z or +HH:MM");
		return FO_OK;
	}
	if (lit(c, 'Z'))
		return FO_OK;
	if (lit(c, '+'))
		sign = 1;
	else if (lit(c, '-'))
		sign = -1;
	else if (zone == ZONE_REQ)
		return bad(c, zat, "bad UTC offset");
	else
		return FO_OK;	/* the caller sees what follows */
	if (!num(c, 2, 2, &oh))
		return bad(c, zat, "bad UTC offset");
	lit(c, ':');
	if (!num(c, 2, 2, &om) || oh > 23 || om > 59)
		return bad(c, zat, "bad UTC offset");
	*off = sign * (oh * 3600L + om * 60L);
	return FO_OK;
}

/* YYYY-MM-DD, the start of both ISO dates and timestamps. */
static int
iso_ymd(struct cur *c, int *y, int *m, int *d)
{
	struct ymdpos at;

	at.y = c->i;
	if (!num(c, 4, 4, y) || !lit(c, '-'))
		return shape(c);
	at.m = c->i;
	if (!num(c, 2, 2, m) || !lit(c, '-'))
		return shape(c);
	at.d = c->i;
	if (!num(c, 2, 2, d))
		return shape(c);
	if (isdig(peek(c)))
		return shape(c);
	return check_ymd(c, *y, *m, *d, &at);
}

/* The ten digits and dashes of YYYY-MM-DD and nothing else, the shape
 * nearly every date of a record has: read in one step, then checked as
 * iso_ymd checks them. */
static int
is_iso10(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	return n == 10 && p[4] == '-' && p[7] == '-' && isdig(p[0]) &&
	    isdig(p[1]) && isdig(p[2]) && isdig(p[3]) && isdig(p[5]) &&
	    isdig(p[6]) && isdig(p[8]) && isdig(p[9]);
}

static int
parse_iso(struct cur *c, int32_t *days)
{
	static const struct ymdpos at10 = { 0, 5, 8 };
	const char *s = c->s;
	long sod, off;
	/* iso_ymd sets them; set here too, for -O3 and -flto's warnings */
	int y = 0, m = 0, d = 0, rc;

	if (c->i == 0 && is_iso10(s, c->n)) {
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
		    (s[2] - '0') * 10 + (s[3] - '0');
		m = (s[5] - '0') * 10 + (s[6] - '0');
		d = (s[8] - '0') * 10 + (s[9] - '0');
		c->i = 10;
		if ((rc = check_ymd(c, y, m, d, &at10)) != FO_OK)
			return rc;
		*days = fo_date_from_ymd(y, m, d);
		return FO_OK;
	}
	if ((rc = iso_ymd(c, &y, &m, &d)) != FO_OK)
		return rc;
	/* A time after the date must be well formed, but the date as
	 * written is the answer: a due date is not moved by a zone. */
	if (lit(c, 'T') || lit(c, ' ')) {
		if ((rc = read_time(c, 0, 1, ZONE_OPT, &sod, &off)) != FO_OK)
			return rc;
	}
	if (c->i != c->n)
		return shape(c);
	*days = fo_date_from_ymd(y, m, d);
	return FO_OK;
}

/* D.M.YYYY, M/D/YYYY, D/M/YYYY: one or two digits for day and month. */
/* A time after a day-month or month-day date, as Excel and NetSuite
 * write it: H:MM[:SS], maybe AM or PM. It is checked, then dropped. */
static int
clock_time(struct cur *c)
{
	size_t at = c->i;
	int h, mi, se, ampm = 0;

	if (!num(c, 1, 2, &h) || !lit(c, ':') || !num(c, 2, 2, &mi))
		return bad(c, at, "bad time");
	if (lit(c, ':') && (!num(c, 2, 2, &se) || se > 59))
		return bad(c, at, "bad time");
	if (lit(c, ' ')) {
		if (c->n - c->i != 2 || (c->s[c->i + 1] & ~0x20) != 'M' ||
		    ((c->s[c->i] & ~0x20) != 'A' && (c->s[c->i] & ~0x20) != 'P'))
			return bad(c, c->i, "bad time");
		c->i += 2;
		ampm = 1;
	}
	if (h > (ampm ? 12 : 23) || (ampm && h == 0) || mi > 59)
		return bad(c, at, "bad time");
	return FO_OK;
}

/* ydigits 4: the year in full; 0: two digits (German bank downloads:
 * 24.03.14) or four, whichever was written. */
static int
parse_dmy(struct cur *c, int sep, int monthfirst, int ydigits, int32_t *days)
{
	struct ymdpos at;
	size_t a0, b0;
	int a, b, y, m, d;

	a0 = c->i;
	if (!num(c, 1, 2, &a) || !lit(c, sep))
		return shape(c);
	b0 = c->i;
	if (!num(c, 1, 2, &b) || !lit(c, sep))
		return shape(c);
	at.y = c->i;
	if (ydigits == 0 || c->yany)	/* whichever was written */
		ydigits = num(c, 4, 4, &y) ? 4 : 2;
	c->i = at.y;
	if (!num(c, ydigits, ydigits, &y) || isdig(peek(c)))
		return shape(c);
	if (ydigits == 2)
		y = yy_pivot(y);
	if (lit(c, ' ') && clock_time(c) != FO_OK)
		return FO_ERR;
	if (c->i != c->n)
		return shape(c);
	m = monthfirst ? a : b;
	d = monthfirst ? b : a;
	at.m = monthfirst ? a0 : b0;
	at.d = monthfirst ? b0 : a0;
	if (check_ymd(c, y, m, d, &at) != FO_OK)
		return FO_ERR;
	*days = fo_date_from_ymd(y, m, d);
	return FO_OK;
}

/* DD-MON-YYYY and DD-MON-YY, as Oracle writes them, maybe with a time;
 * or with spaces, as UK bank downloads write them (15 Jun 2016). */
static int
parse_dmon(struct cur *c, int ydigits, int32_t *days)
{
	struct ymdpos at;
	size_t k;
	long sod, off;
	int d, m, y, rc, sep;

	at.d = c->i;
	if (!num(c, 1, 2, &d))
		return shape(c);
	sep = peek(c) == ' ' ? ' ' : '-';
	if (!lit(c, sep))
		return shape(c);
	at.m = c->i;
	for (k = 0; k < 3; k++, c->i++)
		if (!isalpha_ascii(peek(c)))
			return shape(c);
	/* Clearing bit 5 upper-cases an ASCII letter. */
	for (m = 0; m < 12; m++)
		if ((c->s[at.m] & ~0x20) == mnames[m][0] &&
		    (c->s[at.m + 1] & ~0x20) == mnames[m][1] &&
		    (c->s[at.m + 2] & ~0x20) == mnames[m][2])
			break;
	if (m == 12)
		return bad(c, at.m, "unknown month '%.3s'", c->s + at.m);
	m++;
	if (!lit(c, sep))
		return shape(c);
	at.y = c->i;
	if (ydigits == 0 || c->yany)	/* whichever was written */
		ydigits = num(c, 4, 4, &y) ? 4 : 2;
	c->i = at.y;
	if (!num(c, ydigits, ydigits, &y) || isdig(peek(c)))
		return shape(c);
	if (ydigits == 2)
		y = yy_pivot(y);
	if (lit(c, ' ')) {
		if ((rc = read_time(c, 1, 0, ZONE_NO, &sod, &off)) != FO_OK)
			return rc;
	}
	if (c->i != c->n)
		return shape(c);
	if (check_ymd(c, y, m, d, &at) != FO_OK)
		return FO_ERR;
	*days = fo_date_from_ymd(y, m, d);
	return FO_OK;
}

/* YYYYMMDD or YYMMDD: fixed width, nothing else. */
static int
parse_compact(struct cur *c, int ydigits, int32_t *days)
{
	struct ymdpos at;
	int y, m, d;

	at.y = c->i;
	if (!num(c, ydigits, ydigits, &y))
		return shape(c);
	at.m = c->i;
	if (!num(c, 2, 2, &m))
		return shape(c);
	at.d = c->i;
	if (!num(c, 2, 2, &d) || c->i != c->n)
		return shape(c);
	if (ydigits == 2)
		y = yy_pivot(y);
	if (check_ymd(c, y, m, d, &at) != FO_OK)
		return FO_ERR;
	*days = fo_date_from_ymd(y, m, d);
	return FO_OK;
}

/*
 * Excel serials. The 1900 system counts the 1900-02-29 that never was
 * (serial 60), so serials past it count from 1899-12-30 and serials
 * before it from 1899-12-31. The 1904 system starts at 0 = 1904-01-01.
 * A fraction is the time of day and is dropped.
 */
static int
parse_excel(struct cur *c, int sys1904, int32_t *days)
{
	int32_t base, last;
	long v;
	int big;

	if (peek(c) == '-')
		return bad(c, c->i, "negative Excel serial");
	if (!isdig(peek(c)))
		return shape(c);
	v = 0;
	big = 0;
	while (isdig(peek(c))) {
		if (v < 100000000L)
			v = v * 10 + (c->s[c->i] - '0');
		else
			big = 1;
		c->i++;
	}
	if (lit(c, '.')) {
		if (!isdig(peek(c)))
			return shape(c);
		while (isdig(peek(c)))
			c->i++;
	}
	if (c->i != c->n)
		return shape(c);
	last = fo_date_from_ymd(YEAR_MAX, 12, 31);
	if (sys1904)
		base = fo_date_from_ymd(1904, 1, 1);
	else if (v == 0)
		return bad(c, 0, "Excel serial 0 is not a date");
	else if (v == 60)
		return bad(c, 0, "no such date 1900-02-29 (Excel serial 60)");
	else if (v < 60)
		base = fo_date_from_ymd(1899, 12, 31);
	else
		base = fo_date_from_ymd(1899, 12, 30);
	if (big || v > last - base)
		return bad(c, 0, "Excel serial out of range");
	*days = base + (int32_t)v;
	return FO_OK;
}

/* Only forms that cannot be read two ways; a slash can always be. */
static int
parse_auto(struct cur *c, int32_t *days)
{
	size_t k;

	if (memchr(c->s, '/', c->n) != NULL)
		return bad(c, 0, "ambiguous: day or month first? give the "
		    "date format");
	for (k = 0; k < c->n && isdig((unsigned char)c->s[k]); k++)
		;
	if (k == 8 && c->n == 8) {
		c->want = fmtnames[FO_DATE_YYYYMMDD];
		return parse_compact(c, 4, days);
	}
	if (k == 4 && k < c->n && c->s[k] == '-') {
		c->want = fmtnames[FO_DATE_ISO];
		return parse_iso(c, days);
	}
	if ((k == 1 || k == 2) && k < c->n && c->s[k] == '.') {
		c->want = fmtnames[FO_DATE_DMY_DOT];
		return parse_dmy(c, '.', 0, 4, days);
	}
	if ((k == 1 || k == 2) && k + 1 < c->n &&
	    (c->s[k] == '-' || c->s[k] == ' ') &&
	    isalpha_ascii((unsigned char)c->s[k + 1])) {
		c->want = "DD-MON-YY(YY)";
		return parse_dmon(c, 0, days);
	}
	return bad(c, 0, "unknown date format");
}

/* A date in format f; yany: a year of two digits as well (fo_date_read). */
static int
date_parse(const char *s, size_t n, enum fo_datefmt f, int yany,
    int32_t *days, struct fo_err *e)
{
	struct cur c;
	size_t lead;

	for (lead = 0; lead < n && isspace_ascii((unsigned char)s[lead]); lead++)
		;
	while (n > lead && isspace_ascii((unsigned char)s[n - 1]))
		n--;
	if (n == lead)
		return FO_EMPTY;
	c.s = s + lead;
	c.n = n - lead;
	c.i = 0;
	c.base = (long)lead;
	c.want = fo_datefmt_name(f);
	c.ts = 0;
	c.yany = yany;
	c.e = e;

	/* fo_date_read: ISO 8601 whatever the format, and only as ISO */
	if (yany && c.n > 4 && c.s[4] == '-' && isdig((unsigned char)c.s[0]) &&
	    isdig((unsigned char)c.s[1]) && isdig((unsigned char)c.s[2]) &&
	    isdig((unsigned char)c.s[3])) {
		c.want = fmtnames[FO_DATE_ISO];
		return parse_iso(&c, days);
	}
	switch (f) {
	case FO_DATE_AUTO:
		if (c.n == 8 && memcmp(c.s, "00000000", 8) == 0)
			return FO_EMPTY;
		c.yany = 0;	/* auto guesses no more than it did */
		return parse_auto(&c, days);
	case FO_DATE_ISO:
		return parse_iso(&c, days);
	case FO_DATE_DMY_DOT:
		return parse_dmy(&c, '.', 0, 4, days);
	case FO_DATE_MDY_SLASH:
		return parse_dmy(&c, '/', 1, 4, days);
	case FO_DATE_DMY_SLASH:
		return parse_dmy(&c, '/', 0, 4, days);
	case FO_DATE_YYYYMMDD:
		/* SAP writes an unset date as zeros. */
		if (c.n == 8 && memcmp(c.s, "00000000", 8) == 0)
			return FO_EMPTY;
		return parse_compact(&c, 4, days);
	case FO_DATE_DD_MON_YYYY:
		return parse_dmon(&c, 4, days);
	case FO_DATE_DD_MON_YY:
		return parse_dmon(&c, 2, days);
	case FO_DATE_YYMMDD:
		return parse_compact(&c, 2, days);
	case FO_DATE_EXCEL:
		return parse_excel(&c, 0, days);
	case FO_DATE_EXCEL1904:
		return parse_excel(&c, 1, days);
	case FO_DATE_DMY_DOT_YY:
		return parse_dmy(&c, '.', 0, 0, days);
	}
	return bad(&c, 0, "unknown date format");
}

int
fo_date_parse(const char *s, size_t n, enum fo_datefmt f, int32_t *days,
    struct fo_err *e)
{
	return date_parse(s, n, f, 0, days, e);
}

int
fo_date_read(const char *s, size_t n, enum fo_datefmt f, int32_t *days,
    struct fo_err *e)
{
	return date_parse(s, n, f, 1, days, e);
}

int
fo_ts_parse(const char *s, size_t n, int64_t *secs, struct fo_err *e)
{
	struct cur c;
	size_t lead;
	long sod, off;
	int64_t t;
	/* iso_ymd sets them; set here too, for -O3 and -flto's warnings */
	int y = 0, m = 0, d = 0, rc;

	for (lead = 0; lead < n && isspace_ascii((unsigned char)s[lead]); lead++)
		;
	while (n > lead && isspace_ascii((unsigned char)s[n - 1]))
		n--;
	if (n == lead)
		return FO_EMPTY;
	c.s = s + lead;
	c.n = n - lead;
	c.i = 0;
	c.base = (long)lead;
	c.want = NULL;
	c.ts = 1;
	c.yany = 0;
	c.e = e;

	if ((rc = iso_ymd(&c, &y, &m, &d)) != FO_OK)
		return rc;
	if (!lit(&c, 'T') && !lit(&c, ' '))
		return shape(&c);
	/* The zone is required: a timestamp without one is a guess. */
	if ((rc = read_time(&c, 0, 1, ZONE_REQ, &sod, &off)) != FO_OK)
		return rc;
	if (c.i != c.n)
		return shape(&c);
	t = (int64_t)fo_date_from_ymd(y, m, d) * 86400 + sod - off;
	/* Keep the UTC result printable by fo_ts_fmt and readable here. */
	if (t < (int64_t)fo_date_from_ymd(YEAR_MIN, 1, 1) * 86400 ||
	    t >= ((int64_t)fo_date_from_ymd(YEAR_MAX, 12, 31) + 1) * 86400)
		return bad(&c, 0, "timestamp out of range");
	*secs = t;
	return FO_OK;
}
