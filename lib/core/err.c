/* err.c - filling struct fo_err and collecting every error of a load. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

void
fo_err_clear(struct fo_err *e)
{
	e->file = NULL;
	e->line = e->col = 0;
	e->msg[0] = '\0';
}

void
fo_err_set(struct fo_err *e, const char *file, long line, long col,
    const char *fmt, ...)
{
	va_list ap;

	e->file = file;
	e->line = line;
	e->col = col;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	fo_utf8_scrub(e->msg);
}

void
fo_err_msg(struct fo_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	fo_utf8_scrub(e->msg);
}

int
fo_errs_add(struct fo_errs *es, const struct fo_err *e)
{
	struct fo_err *v;
	size_t cap;

	if (es->n == es->cap) {
		cap = es->cap ? es->cap * 2 : 8;
		if ((v = realloc(es->v, cap * sizeof *v)) == NULL)
			return FO_ENOMEM;
		es->v = v;
		es->cap = cap;
	}
	es->v[es->n++] = *e;
	return FO_OK;
}

int
fo_errs_addf(struct fo_errs *es, const char *file, long line, long col,
    const char *fmt, ...)
{
	struct fo_err e;
	va_list ap;

	e.file = file;
	e.line = line;
	e.col = col;
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof e.msg, fmt, ap);
	va_end(ap);
	fo_utf8_scrub(e.msg);
	return fo_errs_add(es, &e);
}

void
fo_errs_free(struct fo_errs *es)
{
	free(es->v);
	es->v = NULL;
	es->n = es->cap = 0;
}

void
fo_errs_sort(struct fo_errs *es, size_t from)
{
	struct fo_err t;
	size_t i, j;

	/* insertion sort: stable, and a load reports few errors */
	for (i = from + 1; i < es->n; i++) {
		t = es->v[i];
		for (j = i; j > from && (es->v[j - 1].line > t.line ||
		    (es->v[j - 1].line == t.line && es->v[j - 1].col > t.col));
		    j--)
			es->v[j] = es->v[j - 1];
		es->v[j] = t;
	}
}

int
fo_errs_verdict(struct fo_errs *es, size_t from)
{
	if (es->n == from)
		return FO_OK;
	fo_errs_sort(es, from);
	return FO_ERR;
}
