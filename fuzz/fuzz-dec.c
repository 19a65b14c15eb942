/*
 * fuzz-dec.c - libFuzzer target for fo_dec_parse: no crash in any style
 * or scale, errors carry a column inside the text, and what parses
 * formats to plain text that parses back to the same value.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
roundtrip(const struct fo_dec *d, int scale)
{
	char buf[FO_DEC_BUFSZ];
	struct fo_dec back;
	struct fo_err e;
	size_t len;

	len = fo_dec_fmt(d, buf);
	if (len != strlen(buf) || len >= FO_DEC_BUFSZ)
		abort();
	fo_err_clear(&e);
	if (fo_dec_parse(buf, len, FO_NUM_PLAIN, scale, &back, &e) != FO_OK)
		abort();
	if (back.v != d->v || back.scale != d->scale)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static const int scales[] = { FO_DEC_ASIS, 0, 2, 3, 4, 6 };
	const char *s = (const char *)data;
	struct fo_dec d, asis, at2;
	struct fo_err e;
	size_t k;
	int st, rc, rcasis, rc2;

	for (st = FO_NUM_AUTO; st <= FO_NUM_PLAIN; st++) {
		rcasis = rc2 = FO_ERR;
		for (k = 0; k < sizeof scales / sizeof scales[0]; k++) {
			fo_err_clear(&e);
			rc = fo_dec_parse(s, n, (enum fo_numstyle)st,
			    scales[k], &d, &e);
			if (rc == FO_ERR) {
				if (e.col < 1 || (size_t)e.col > n ||
				    e.msg[0] == '\0' || e.line != 0 ||
				    fo_utf8_check(e.msg, strlen(e.msg)) !=
				    strlen(e.msg))
					abort();
				continue;
			}
			if (rc != FO_OK)
				continue;
			if (scales[k] != FO_DEC_ASIS && d.scale != scales[k])
				abort();
			if (d.scale < 0 || d.scale > FO_DEC_MAX_SCALE)
				abort();
			roundtrip(&d, scales[k]);
			if (scales[k] == FO_DEC_ASIS) {
				asis = d;
				rcasis = rc;
			} else if (scales[k] == 2) {
				at2 = d;
				rc2 = rc;
			}
		}
		/* The same text read at two scales is the same value. */
		if (rcasis == FO_OK && rc2 == FO_OK &&
		    fo_dec_cmp(&asis, &at2) != 0)
			abort();
	}
	return 0;
}
