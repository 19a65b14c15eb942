/*
 * calendar.c - business time on a calendar: working hours on workdays
 * that are not holidays, at a fixed offset from UTC. Pure functions over
 * integers: no clock, no time zone database, no floating point, so the
 * same input gives the same instant on every machine.
 */
#include <stdlib.h>
#include <string.h>

#include "fo.h"

#define DAY 86400

/* floor(a / b) for b > 0: instants before 1970 stay on the right day. */
static int64_t
floordiv(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

int32_t
fo_cal_day(const struct fo_cal *c, int64_t t)
{
	return (int32_t)floordiv(t + c->offset, DAY);
}

int64_t
fo_cal_midnight(const struct fo_cal *c, int32_t day)
{
	return (int64_t)day * DAY - c->offset;
}

int
fo_cal_is_workday(const struct fo_cal *c, int32_t day)
{
	size_t lo = 0, hi = c->nholiday, mid;

	if (!c->workday[fo_date_weekday(day)])
		return 0;
	while (lo < hi) {		/* holidays are sorted */
		mid = lo + (hi - lo) / 2;
		if (c->holiday[mid] == day)
			return 0;
		if (c->holiday[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 1;
}

int
fo_cal_add(const struct fo_cal *c, int64_t start, int64_t secs, int64_t *due)
{
	int32_t day = fo_cal_day(c, start), last;
	int64_t tod = start + c->offset - (int64_t)day * DAY, begin;

	if (secs <= 0) {
		*due = start;
		return FO_OK;
	}
	/* ten years without enough working time: a calendar mistake */
	for (last = day + 3660; day <= last; day++, tod = 0) {
		if (!fo_cal_is_workday(c, day))
			continue;
		begin = tod > c->open ? tod : c->open;
		if (begin >= c->close)
			continue;
		if (secs <= c->close - begin) {
			/* ending exactly at the close is that close */
			*due = (int64_t)day * DAY + begin + secs - c->offset;
			return FO_OK;
		}
		secs -= c->close - begin;
	}
	return FO_ERR;
}

int
fo_cal_offset_parse(const char *s, int *offset)
{
	int h, m;

	if (strcmp(s, "Z") == 0 || strcmp(s, "UTC") == 0) {
		*offset = 0;
		return FO_OK;
	}
	if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 ||
	    s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9' ||
	    s[3] != ':' || s[4] < '0' || s[4] > '5' || s[5] < '0' || s[5] > '9')
		return FO_ERR;
	h = (s[1] - '0') * 10 + (s[2] - '0');
	m = (s[4] - '0') * 10 + (s[5] - '0');
	if (h > 14 || (h == 14 && m > 0))
		return FO_ERR;
	*offset = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return FO_OK;
}

/* "HH:MM" at s; seconds after midnight or -1. 24:00 is the end of day. */
static int
hhmm(const char *s)
{
	int h, m;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
	    s[2] != ':' || s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || (h == 24 && m > 0))
		return -1;
	return h * 3600 + m * 60;
}

int
fo_cal_hours_parse(const char *s, int *open, int *close)
{
	if (strlen(s) != 11 || s[5] != '-')
		return FO_ERR;
	*open = hhmm(s);
	*close = hhmm(s + 6);
	if (*open < 0 || *close < 0 || *open >= *close)
		return FO_ERR;
	return FO_OK;
}
