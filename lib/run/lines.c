/*
 * lines.c - NDJSON input a line at a time, through large reads. A line
 * longer than the limit is reported and skipped to its end, so one bad
 * line cannot eat the input or the memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"

#define LINES_READ (256 << 10)

int
fo_lines_open(struct fo_lines *l, int fd, const char *name, size_t max)
{
	memset(l, 0, sizeof *l);
	l->fd = fd;
	l->name = name;
	l->max = max ? max : FO_LINE_MAX;
	return FO_OK;
}

/* Read more after what is not yet handed out: 1, 0 at the end, FO_EIO. */
static int
more(struct fo_lines *l)
{
	ssize_t r;

	if (l->pos > 0) {
		memmove(l->b.p, l->b.p + l->pos, l->b.n - l->pos);
		l->b.n -= l->pos;
		l->pos = 0;
	}
	if (fo_buf_reserve(&l->b, LINES_READ) != FO_OK)
		return FO_ENOMEM;
	do
		r = read(l->fd, l->b.p + l->b.n, LINES_READ);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return FO_EIO;
	l->b.n += (size_t)r;
	return r > 0;
}

int
fo_lines_next(struct fo_lines *l, const char **line, size_t *len,
    struct fo_err *e)
{
	char *nl;
	size_t n;
	int r;

	for (;;) {
		n = l->b.n - l->pos;
		nl = n ? memchr(l->b.p + l->pos, '\n', n) : NULL;
		if (nl == NULL && !l->eof && n <= l->max) {
			if ((r = more(l)) < 0) {
				fo_err_set(e, l->name, l->lineno + 1, 0, "%s",
				    r == FO_ENOMEM ? "out of memory" :
				    strerror(errno));
				return r;
			}
			l->eof = r == 0;
			continue;
		}
		if (n == 0)
			return FO_EMPTY;
		if (nl == NULL && n > l->max) {
			/* drop what is read, then the rest up to a newline */
			l->pos = l->b.n;
			if (l->skipping)
				continue;	/* still the same long line */
			l->skipping = 1;
			fo_err_set(e, l->name, ++l->lineno, 0, "line longer "
			    "than %zu bytes", l->max);
			return FO_ERR;
		}
		*line = l->b.p + l->pos;
		*len = nl ? (size_t)(nl - *line) : n;
		l->pos += *len + (nl != NULL);
		if (l->skipping) {	/* the tail of the line reported */
			l->skipping = 0;
			continue;
		}
		l->lineno++;
		if (*len > l->max) {
			fo_err_set(e, l->name, l->lineno, 0, "line longer than "
			    "%zu bytes", l->max);
			return FO_ERR;
		}
		if (*len > 0 && (*line)[*len - 1] == '\r')
			(*len)--;
		return FO_OK;
	}
}

void
fo_lines_close(struct fo_lines *l)
{
	fo_buf_free(&l->b);
}

int
fo_stage_run(struct fo_run *run, const char *path, fo_stage_fn *fn, void *ctx,
    struct fo_out *out)
{
	struct fo_lines in;
	struct fo_rec rec;
	struct fo_buf buf = { 0 };
	struct fo_err e;
	const char *line, *name = "<stdin>";
	size_t len;
	int fd = 0, r, ret = FO_OK;

	if (strcmp(path, "-") != 0) {
		name = path;
		if ((fd = open(path, O_RDONLY)) < 0) {
			fo_warnx(run->prog, "%s: %s", path, strerror(errno));
			return FO_EIO;
		}
	}
	fo_lines_open(&in, fd, name, 0);
	fo_rec_init(&rec);
	while ((r = fo_lines_next(&in, &line, &len, &e)) != FO_EMPTY) {
		if (r == FO_EIO || r == FO_ENOMEM) {
			fo_warn(run->prog, &e);
			ret = FO_EIO;
			break;
		}
		run->rows++;
		fo_progress(run);
		if (r == FO_OK && len == 0) {	/* a blank line */
			run->skipped++;
			continue;
		}
		if (r == FO_ERR) {		/* too long: reported once */
			fo_reject(run, &e, "", 0);
			continue;
		}
		if (fo_rec_parse(&rec, line, len, &e) != FO_OK) {
			e.file = name;
			e.line = in.lineno;
			fo_reject(run, &e, line, len);
			continue;
		}
		fo_buf_reset(&buf);
		fo_err_clear(&e);
		r = fn(ctx, &rec, name, in.lineno, &buf, &e);
		if (r == FO_ENOMEM) {
			fo_warnx(run->prog, "out of memory");
			ret = FO_EIO;
			break;
		}
		if (r == FO_EIO) {	/* the stage's own system error */
			fo_warnx(run->prog, "%s", e.msg);
			ret = FO_EIO;
			break;
		}
		if (r == FO_ERR) {
			e.file = name;
			e.line = in.lineno;
			fo_reject(run, &e, line, len);
			continue;
		}
		if (r == FO_EMPTY)	/* not the stage's business: as read */
			fo_buf_put(&buf, line, len);
		fo_buf_putc(&buf, '\n');
		if (buf.oom) {
			fo_warnx(run->prog, "out of memory");
			ret = FO_EIO;
			break;
		}
		run->records++;
		if (out == NULL)	/* a report: the records go nowhere */
			continue;
		fo_out_put(out, buf.p, buf.n);
		if (out->err)
			break;
	}
	fo_rec_free(&rec);
	fo_buf_free(&buf);
	fo_lines_close(&in);
	if (fd > 0)
		close(fd);
	return ret;
}

int
fo_recfile_open(struct fo_recfile *f, const char *path, const char *what,
    struct fo_err *e)
{
	memset(f, 0, sizeof *f);
	f->path = path;
	if ((f->fd = open(path, O_RDONLY)) < 0) {
		if (what)
			fo_err_set(e, path, 0, 0, "%s: %s", what,
			    strerror(errno));
		else
			fo_err_set(e, path, 0, 0, "%s", strerror(errno));
		return errno == ENOENT ? FO_ERR : FO_EIO;
	}
	fo_rec_init(&f->rec);
	fo_lines_open(&f->in, f->fd, path, 0);
	return FO_OK;
}

int
fo_recfile_next(struct fo_recfile *f, struct fo_err *e)
{
	const char *line;
	size_t len;
	int rc;

	while ((rc = fo_lines_next(&f->in, &line, &len, e)) == FO_OK &&
	    len == 0)
		;
	if (rc != FO_OK)
		return rc;
	e->col = 0;
	if ((rc = fo_rec_parse(&f->rec, line, len, e)) == FO_ERR)
		fo_recfile_at(f, e);
	return rc;
}

void
fo_recfile_at(const struct fo_recfile *f, struct fo_err *e)
{
	e->file = f->path;
	e->line = f->in.lineno;
}

void
fo_recfile_close(struct fo_recfile *f)
{
	if (f->fd < 0)
		return;
	fo_lines_close(&f->in);
	close(f->fd);
	fo_rec_free(&f->rec);
	f->fd = -1;
}
