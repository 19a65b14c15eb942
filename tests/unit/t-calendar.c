/* t-calendar.c - business-time arithmetic (calendar.c) and the SLA due
 * instants fo-route computes from it (route.c). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"
#include "tap.h"

#define H 3600

static int32_t hol[4];
static struct fo_cal cal;

static int64_t
ts(const char *s)
{
	struct fo_err e;
	int64_t t = 0;

	if (fo_ts_parse(s, strlen(s), &t, &e) != FO_OK) {
		printf("# bad timestamp %s\n", s);
		exit(2);
	}
	return t;
}

static int32_t
day(const char *s)
{
	struct fo_err e;
	int32_t d = 0;

	fo_date_parse(s, strlen(s), FO_DATE_ISO, &d, &e);
	return d;
}

/* The due instant, as UTC text, of secs of business time from start. */
static const char *
due(const struct fo_cal *c, const char *start, int64_t secs)
{
	static char buf[32];
	int64_t t;

	if (fo_cal_add(c, ts(start), secs, &t) != FO_OK)
		return "ERROR";
	fo_ts_fmt(t, buf);
	return buf;
}

/* Route one record under a policy given as text: the keys fo-route sets. */
static const char *
route(const char *policy, const char *rec, const char *as_of)
{
	static char buf[1024];
	char path[] = "/tmp/t-calendar.XXXXXX";
	struct fo_errs errs = { 0 };
	struct fo_route *r;
	struct fo_rec fr;
	struct fo_buf out = { 0 };
	struct fo_err e;
	struct fo_asof a;
	size_t q;
	int fd;
	const char *p;

	if ((fd = mkstemp(path)) < 0 || write(fd, policy, strlen(policy)) !=
	    (ssize_t)strlen(policy))
		return "TMPFILE";
	close(fd);
	if (fo_route_load(path, &r, &errs) != FO_OK) {
		snprintf(buf, sizeof buf, "LOAD %s", errs.n ? errs.v[0].msg : "");
		fo_errs_free(&errs);
		unlink(path);
		return buf;
	}
	unlink(path);
	fo_rec_init(&fr);
	if (fo_asof_parse(as_of, "--as-of", &a, &e) != FO_OK ||
	    fo_rec_parse(&fr, rec, strlen(rec), &e) != FO_OK ||
	    fo_route_rec(r, &fr, &a, &out, &q, &e) != FO_OK)
		snprintf(buf, sizeof buf, "ERROR %s", e.msg);
	else {
		p = strstr(fo_buf_cstr(&out), "\"sla_hours\"");
		snprintf(buf, sizeof buf, "%.*s", (int)strcspn(p, ",") +
		    (int)strcspn(p + strcspn(p, ",") + 1, ",") + 1, p);
	}
	fo_buf_free(&out);
	fo_rec_free(&fr);
	fo_route_free(r);
	return buf;
}

static const char *policy =
    "calendar:\n"
    "  timezone: \"+01:00\"\n"
    "  workdays: [mon, tue, wed, thu, fri]\n"
    "  hours: \"09:00-17:00\"\n"
    "  holidays: [2026-12-24, 2026-12-25]\n"
    "routes:\n"
    "  - { id: days, when: '.k == \"days\"', queue: q, sla: 2 days }\n"
    "  - { id: hours, when: '.k == \"hours\"', queue: q, sla: 30 hours }\n"
    "  - { id: bhours, when: '.k == \"bhours\"', queue: q, sla: 12 business hours }\n"
    "default: { queue: q, sla: 3 business days }\n";

int
main(void)
{
	struct fo_cal c2;
	int off, open, close;

	hol[0] = day("2026-12-24");
	hol[1] = day("2026-12-25");
	hol[2] = day("2026-12-31");
	hol[3] = day("2027-01-01");
	cal.offset = H;
	memset(cal.workday, 1, 5);
	cal.open = 9 * H;
	cal.close = 17 * H;
	cal.holiday = hol;
	cal.nholiday = 4;

	/* within a day (times local +01:00, due in UTC) */
	is_str(due(&cal, "2026-11-23T09:00:00+01:00", 4 * H),
	    "2026-11-23T12:00:00Z", "within a day: Mon 09:00 + 4 h = 13:00");
	is_str(due(&cal, "2026-11-23T09:00:00+01:00", 8 * H),
	    "2026-11-23T16:00:00Z", "a whole day ends at that day's close");
	is_str(due(&cal, "2026-11-23T15:00:00+01:00", 8 * H),
	    "2026-11-24T14:00:00Z", "into the next day: 2 h Mon, 6 h Tue");
	/* weekends */
	is_str(due(&cal, "2026-11-27T13:00:00+01:00", 8 * H),
	    "2026-11-30T12:00:00Z", "across a weekend: Fri 13:00 + 1 day");
	is_str(due(&cal, "2026-11-21T00:00:00+01:00", 8 * H),
	    "2026-11-23T16:00:00Z", "a start on a Saturday begins Monday");
	is_str(due(&cal, "2026-11-22T16:00:00+01:00", 1 * H),
	    "2026-11-23T09:00:00Z", "a start on a Sunday afternoon too");
	/* outside working hours */
	is_str(due(&cal, "2026-11-23T18:30:00+01:00", 2 * H),
	    "2026-11-24T10:00:00Z", "a start after hours begins next morning");
	is_str(due(&cal, "2026-11-23T07:00:00+01:00", 1 * H),
	    "2026-11-23T09:00:00Z", "a start before hours begins at opening");
	is_str(due(&cal, "2026-11-23T17:00:00+01:00", 1 * H),
	    "2026-11-24T09:00:00Z", "a start at the close begins next morning");
	is_str(due(&cal, "2026-11-23T23:30:00Z", 1 * H),
	    "2026-11-24T09:00:00Z", "the calendar's day, not UTC's: 23:30Z is "
	    "Tue 00:30 local");
	/* holidays */
	is_str(due(&cal, "2026-12-23T09:00:00+01:00", 16 * H),
	    "2026-12-28T16:00:00Z", "across Christmas: Wed, then Mon");
	is_str(due(&cal, "2026-12-24T10:00:00+01:00", 1 * H),
	    "2026-12-28T09:00:00Z", "a start on a holiday begins next workday");
	/* month and year ends */
	is_str(due(&cal, "2026-11-30T09:00:00+01:00", 24 * H),
	    "2026-12-02T16:00:00Z", "across a month end: 3 days from Mon 30th");
	is_str(due(&cal, "2026-10-30T16:00:00+01:00", 2 * H),
	    "2026-11-02T09:00:00Z", "month end on a Friday: Mon 2nd 10:00");
	is_str(due(&cal, "2026-12-30T13:00:00+01:00", 8 * H),
	    "2027-01-04T12:00:00Z", "across the year end and New Year's Eve "
	    "and Day");
	is_str(due(&cal, "2028-02-28T16:00:00+01:00", 2 * H),
	    "2028-02-29T09:00:00Z", "a leap day is a workday");
	/* business hours against days */
	is_str(due(&cal, "2026-11-23T09:00:00+01:00", 12 * H),
	    "2026-11-24T12:00:00Z", "12 business hours: Tue 13:00");
	is_str(due(&cal, "2026-11-23T09:00:00+01:00", 5 * 8 * H),
	    "2026-11-27T16:00:00Z", "5 business days: Friday's close");
	is_str(due(&cal, "2026-11-23T10:00:00+01:00", 0),
	    "2026-11-23T09:00:00Z", "no time at all: the start itself");

	/* other calendars */
	c2 = cal;
	c2.offset = -5 * H;
	c2.nholiday = 0;
	is_str(due(&c2, "2026-11-23T13:00:00Z", 1 * H),
	    "2026-11-23T15:00:00Z", "-05:00: 08:00 local, due 10:00 local");
	c2 = cal;
	c2.open = 8 * H + 1800;
	is_str(due(&c2, "2026-11-23T08:30:00+01:00", 8 * H + 1800),
	    "2026-11-23T16:00:00Z", "an 8.5 h day: one business day ends at "
	    "its close");
	memset(c2.workday, 0, 7);
	is_str(due(&c2, "2026-11-23T08:30:00+01:00", H), "ERROR",
	    "no workdays: an error, not a loop");
	c2 = cal;
	memset(c2.workday, 0, 7);
	c2.workday[5] = 1;		/* Saturday only */
	is_str(due(&c2, "2026-11-23T08:30:00+01:00", 9 * H),
	    "2026-12-05T09:00:00Z", "a Saturday-only team: two Saturdays");

	ok(!fo_cal_is_workday(&cal, day("2026-11-21")), "Saturday: no workday");
	ok(!fo_cal_is_workday(&cal, day("2026-12-25")), "holiday: no workday");
	ok(fo_cal_is_workday(&cal, day("2026-12-28")), "Monday: a workday");
	is_int(fo_cal_day(&cal, ts("2026-11-23T23:30:00Z")),
	    day("2026-11-24"), "local day of an instant");
	is_int(fo_cal_midnight(&cal, day("2026-11-24")),
	    ts("2026-11-23T23:00:00Z"), "local midnight as an instant");

	ok(fo_cal_offset_parse("+01:00", &off) == FO_OK && off == H,
	    "offset +01:00");
	ok(fo_cal_offset_parse("-05:30", &off) == FO_OK && off == -5 * H - 1800,
	    "offset -05:30");
	ok(fo_cal_offset_parse("Z", &off) == FO_OK && off == 0, "offset Z");
	ok(fo_cal_offset_parse("+1:00", &off) == FO_ERR, "offset +1:00 refused");
	ok(fo_cal_offset_parse("Europe/Berlin", &off) == FO_ERR,
	    "a zone name refused: fixed offsets only");
	ok(fo_cal_hours_parse("09:00-17:00", &open, &close) == FO_OK &&
	    open == 9 * H && close == 17 * H, "hours 09:00-17:00");
	ok(fo_cal_hours_parse("17:00-09:00", &open, &close) == FO_ERR,
	    "hours that close before they open refused");
	ok(fo_cal_hours_parse("09:00-25:00", &open, &close) == FO_ERR,
	    "hours past 24:00 refused");
	ok(fo_cal_hours_parse("00:00-24:00", &open, &close) == FO_OK &&
	    close == 24 * H, "a whole day, 00:00-24:00");

	/* the SLA as fo-route computes it: from hold_date's local midnight */
	is_str(route(policy, "{\"exception\":\"x\",\"hold_date\":\"2026-11-20\"}",
	    "2026-11-20"), "\"sla_hours\":24,\"sla_due\":\"2026-11-24T16:00:00Z\"",
	    "3 business days from Friday: Tuesday's close");
	is_str(route(policy, "{\"exception\":\"x\",\"hold_date\":\"2026-12-23\"}",
	    "2026-12-23"), "\"sla_hours\":24,\"sla_due\":\"2026-12-29T16:00:00Z\"",
	    "3 business days over Christmas");
	is_str(route(policy, "{\"exception\":\"x\",\"k\":\"days\","
	    "\"hold_date\":\"2026-11-20\"}", "2026-11-20"),
	    "\"sla_hours\":48,\"sla_due\":\"2026-11-21T23:00:00Z\"",
	    "a calendar SLA: 2 days, weekend and all");
	is_str(route(policy, "{\"exception\":\"x\",\"k\":\"hours\"}",
	    "2026-11-20T18:00:00Z"),
	    "\"sla_hours\":30,\"sla_due\":\"2026-11-22T00:00:00Z\"",
	    "30 calendar hours from --as-of (no hold_date)");
	is_str(route(policy, "{\"exception\":\"x\",\"k\":\"bhours\"}",
	    "2026-11-20T15:00:00+01:00"),
	    "\"sla_hours\":12,\"sla_due\":\"2026-11-24T10:00:00Z\"",
	    "12 business hours from Friday 15:00: 2 h Fri, 8 h Mon, Tuesday 11:00");
	is_str(route(policy, "{\"exception\":\"x\",\"hold_date\":\"20.11.2026\"}",
	    "2026-11-20"), "ERROR hold_date '20.11.2026': not a date, YYYY-MM-DD",
	    "a hold_date that is no date: the record is refused");
	return done_testing();
}
