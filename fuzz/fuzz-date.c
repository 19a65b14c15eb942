/*
 * fuzz-date.c - libFuzzer target for date.c: no input crashes any
 * format, strict or as a column reads it, and whatever parses survives
 * a trip through the ISO form.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_days(int32_t days)
{
	struct fo_err e;
	char buf[11];
	int32_t again;
	int y, m, d, w;

	fo_date_to_ymd(days, &y, &m, &d);
	if (fo_date_from_ymd(y, m, d) != days)
		abort();
	w = fo_date_weekday(days);
	if (w < 0 || w > 6)
		abort();
	if (fo_date_fmt(days, buf) != 10 || buf[10] != '\0')
		abort();
	if (!fo_date_valid(y, m, d))
		return;
	fo_err_clear(&e);
	if (fo_date_parse(buf, 10, FO_DATE_ISO, &again, &e) != FO_OK ||
	    again != days)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct fo_err e;
	char buf[21];
	int64_t secs, again;
	int32_t days, raw;
	int f, y, m, d, rc;

	/* each format strictly, then as a column reads it (fo_date_read) */
	for (f = FO_DATE_AUTO; f <= 2 * FO_DATE_DMY_DOT_YY + 1; f++) {
		fo_err_clear(&e);
		rc = f <= FO_DATE_DMY_DOT_YY ?
		    fo_date_parse(s, size, f, &days, &e) :
		    fo_date_read(s, size, f - FO_DATE_DMY_DOT_YY - 1, &days, &e);
		if (rc == FO_ERR && (e.col < 1 || e.col > (long)size ||
		    e.msg[0] == '\0' ||
		    fo_utf8_check(e.msg, strlen(e.msg)) != strlen(e.msg)))
			abort();
		if (rc != FO_OK)
			continue;
		fo_date_to_ymd(days, &y, &m, &d);
		if (!fo_date_valid(y, m, d))
			abort();
		check_days(days);
	}

	fo_err_clear(&e);
	rc = fo_ts_parse(s, size, &secs, &e);
	if (rc == FO_ERR && (e.col < 1 || e.col > (long)size))
		abort();
	if (rc == FO_OK) {
		if (fo_ts_fmt(secs, buf) != 20 || buf[20] != '\0')
			abort();
		if (fo_ts_parse(buf, 20, &again, &e) != FO_OK || again != secs)
			abort();
	}

	/* Any day count at all: the calendar must agree with itself. */
	if (size >= 4) {
		memcpy(&raw, data, 4);
		check_days(raw);
	}
	if (size >= 8) {
		memcpy(&secs, data, 8);
		fo_ts_fmt(secs, buf);
	}
	return 0;
}
