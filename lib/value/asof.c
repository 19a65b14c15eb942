/*
 * asof.c - the one as-of of every tool (fo.7, AS OF): a day. Stages
 * that need an instant (when an SLA starts, whether it has run out)
 * take the day's last second, UTC, so that a nightly run judges the
 * whole day and fo-route and fo-age judge an SLA at the same instant.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fo.h"

int
fo_asof_parse(const char *s, const char *what, struct fo_asof *a,
    struct fo_err *e)
{
	struct fo_err de;
	size_t n = strlen(s);

	fo_err_clear(&de);
	fo_err_clear(e);
	memset(a, 0, sizeof *a);
	if (n == 10 && s[4] == '-' && s[7] == '-') {
		if (fo_date_parse(s, 10, FO_DATE_ISO, &a->day, &de) != FO_OK) {
			fo_err_msg(e, "%s '%s': a date, YYYY-MM-DD: %s", what, s,
			    de.msg);
			return FO_ERR;
		}
		a->at = (int64_t)a->day * 86400 + 86399;
	} else if (n > 10 && s[10] == 'T' &&
	    fo_ts_parse(s, n, &a->at, &de) == FO_OK) {
		a->day = (int32_t)(a->at / 86400 - (a->at % 86400 < 0));
		a->timed = 1;
	} else {
		fo_err_msg(e, "%s '%.40s': a date, YYYY-MM-DD, or a timestamp "
		    "with Z or an offset", what, s);
		return FO_ERR;
	}
	fo_date_fmt(a->day, a->text);
	if (a->timed)
		fo_ts_fmt(a->at, a->text);
	return FO_OK;
}

int
fo_asof_get(const char *arg, struct fo_asof *a, struct fo_err *e)
{
	const char *env = getenv("FO_AS_OF");
	time_t now;

	if (arg != NULL)
		return fo_asof_parse(arg, "--as-of", a, e);
	if (env != NULL && *env != '\0')
		return fo_asof_parse(env, "FO_AS_OF", a, e);
	now = time(NULL);
	memset(a, 0, sizeof *a);
	a->day = (int32_t)(now / 86400 - (now % 86400 < 0));
	a->at = (int64_t)a->day * 86400 + 86399;
	fo_date_fmt(a->day, a->text);
	return FO_OK;
}
