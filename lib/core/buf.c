/* buf.c - growable byte buffers with a sticky out-of-memory flag. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int
fo_buf_slurp(struct fo_buf *b, const char *path, size_t max)
{
	struct stat st;
	size_t start = b->n, room;
	ssize_t r;
	int fd, rc, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return FO_EIO;
	if (fstat(fd, &st) == -1) {
		rc = FO_EIO;
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
		rc = FO_ERR;
		goto out;
	}
	/* a regular file's size and a byte spare: read to its end at once */
	room = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	for (;;) {
		if (b->cap - b->n <= 1 || room > 0) {
			if (fo_buf_reserve(b, room > 0 ? room : 65536) !=
			    FO_OK) {
				errno = ENOMEM;
				rc = FO_ENOMEM;
				goto out;
			}
			room = 0;
		}
		if ((r = read(fd, b->p + b->n, b->cap - b->n - 1)) == -1) {
			if (errno == EINTR)
				continue;
			rc = FO_EIO;
			goto out;
		}
		if (r == 0)
			break;
		b->n += (size_t)r;
		/* a pipe, or a file that grew: stop a byte past the limit */
		if (b->n - start > max) {
			rc = FO_ERR;
			goto out;
		}
	}
	close(fd);
	return FO_OK;
out:
	saved = errno;
	close(fd);
	b->n = start;
	errno = saved;
	return rc;
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
