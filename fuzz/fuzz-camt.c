/*
 * fuzz-camt.c - the camt reader must not crash, must give records that
 * are one line of valid JSON each, messages in UTF-8, must end (one
 * error for damaged XML, then the end), and must read a document the
 * same way twice.
 */
#include <stdlib.h>
#include <string.h>

#include "fo.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static void
read_all(const unsigned char *data, size_t n, struct fo_buf *b)
{
	struct fo_camt *c;
	struct fo_buf rec = { 0 };
	struct fo_err e;
	struct fo_span raw;
	int r;

	if (fo_camt_open(&c, (const char *)data, n, "f", &e) != FO_OK)
		abort();
	while ((r = fo_camt_next(c, &rec, &e)) != FO_EMPTY) {
		if (r == FO_ENOMEM)
			abort();
		if (r == FO_ERR) {
			raw = fo_camt_raw(c);
			if (fo_utf8_check(e.msg, strlen(e.msg)) !=
			    strlen(e.msg) || raw.n > n + 64)
				abort();
			fo_buf_printf(b, "ERR %ld %s\n", e.line, e.msg);
			continue;
		}
		if (rec.n < 2 || rec.p[rec.n - 1] != '\n' ||
		    memchr(rec.p, '\n', rec.n - 1) != NULL ||
		    fo_json_check(rec.p, rec.n - 1, 8, &e) != FO_OK)
			abort();
		fo_buf_put(b, rec.p, rec.n);
		fo_buf_reset(&rec);
	}
	fo_camt_close(c);
	fo_buf_free(&rec);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	struct fo_buf one = { 0 }, two = { 0 };

	if (n > (1 << 20))
		return 0;
	read_all(data, n, &one);
	read_all(data, n, &two);
	if (one.n != two.n || (one.n && memcmp(one.p, two.p, one.n) != 0))
		abort();
	fo_buf_free(&one);
	fo_buf_free(&two);
	return 0;
}
