/*
 * statement.h - what fuzz-camt.c and fuzz-mt940.c check of a statement
 * reader, written once: it must not crash, must give records that are
 * one line of valid JSON each and messages in UTF-8, must come to its
 * end, and must read an input the same way twice. Include it after
 * defining STMT as the reader's name (camt, mt940): fo_STMT_open,
 * fo_STMT_next, fo_STMT_raw and fo_STMT_close are its functions.
 */
#include <stdlib.h>
#include <string.h>

#include "fo.h"

#define STMT_CAT_(a, b, c)	a##b##c
#define STMT_CAT(a, b, c)	STMT_CAT_(a, b, c)
#define STMT_FN(f)		STMT_CAT(fo_, STMT, f)

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static void
read_all(const unsigned char *data, size_t n, struct fo_buf *b)
{
	struct STMT_CAT(fo_, STMT, ) *c;
	struct fo_buf rec = { 0 };
	struct fo_err e;
	struct fo_span raw;
	int r;

	if (STMT_FN(_open)(&c, (const char *)data, n, "f", &e) != FO_OK)
		abort();
	while ((r = STMT_FN(_next)(c, &rec, &e)) != FO_EMPTY) {
		if (r == FO_ENOMEM)
			abort();
		if (r == FO_ERR) {
			raw = STMT_FN(_raw)(c);
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
	STMT_FN(_close)(c);
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
