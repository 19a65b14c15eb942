/* buf.c - growable byte buffers with a sticky out-of-memory flag. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

void
fo_buf_reset(struct fo_buf *b)
{
	b->n = 0;
}

void
fo_buf_free(struct fo_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

void
fo_bufs_free(struct fo_buf *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fo_buf_free(&v[i]);
}

/* fo_buf_reserve's way when there is no room yet. */
int
fo_buf_grow(struct fo_buf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->oom)
		return FO_ENOMEM;
	if (more < b->cap - b->n)
		return FO_OK;
	if (more > SIZE_MAX / 2 - b->n) {
		b->oom = 1;
		return FO_ENOMEM;
	}
	cap = b->cap ? b->cap : 256;
	while (cap - b->n <= more)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->oom = 1;
		return FO_ENOMEM;
	}
	b->p = p;
	b->cap = cap;
	return FO_OK;
}

void
fo_buf_putll(struct fo_buf *b, long long v)
{
	char t[24], *e = t + sizeof t, *q = e;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	if (v >= 0 && v < 10) {		/* most counts and points */
		fo_buf_putc(b, (int)('0' + v));
		return;
	}
	if (v >= 10 && v < 100) {	/* most of the rest */
		t[0] = (char)('0' + v / 10);
		t[1] = (char)('0' + v % 10);
		fo_buf_put(b, t, 2);
		return;
	}

	do
		*--q = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--q = '-';
	fo_buf_put(b, q, (size_t)(e - q));
}

void
fo_buf_printf(struct fo_buf *b, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || fo_buf_reserve(b, (size_t)len) != FO_OK)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)len;
}

void *
fo_own(struct fo_owned *o, void *p)
{
	void **v;
	size_t cap;

	if (p == NULL)
		return NULL;
	if (o->n == o->cap) {
		cap = o->cap ? 2 * o->cap : 64;
		if ((v = realloc(o->v, cap * sizeof *v)) == NULL) {
			free(p);
			return NULL;
		}
		o->v = v;
		o->cap = cap;
	}
	return o->v[o->n++] = p;
}

void
fo_owned_free(struct fo_owned *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->v[i]);
	free(o->v);
	o->v = NULL;
	o->n = o->cap = 0;
}
