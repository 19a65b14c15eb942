/*
 * out.c - buffered output whose every write is checked, and files that
 * appear whole or not at all: written to a temporary file beside the
 * target, flushed to disk, then renamed over it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"

#define OUT_BUFSZ (256 << 10)

int
fo_out_fd(struct fo_out *o, int fd, const char *name)
{
	memset(o, 0, sizeof *o);
	o->fd = fd;
	if ((o->name = strdup(name)) == NULL)
		return FO_ENOMEM;
	return FO_OK;
}

int
fo_out_atomic(struct fo_out *o, const char *path, struct fo_err *e)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	mode_t mask;
	int fd;

	struct stat st;

	memset(o, 0, sizeof *o);
	o->fd = -1;
	/* a device or a pipe (-o /dev/stdout, a FIFO) is written as it is:
	 * renaming over it would replace it with a file */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((fd = open(path, O_WRONLY)) < 0) {
			fo_err_set(e, path, 0, 0, "%s", strerror(errno));
			return FO_EIO;
		}
		if (fo_out_fd(o, fd, path) != FO_OK) {
			close(fd);
			return FO_ENOMEM;
		}
		o->owned_fd = 1;
		return FO_OK;
	}
	o->name = strdup(path);
	o->path = strdup(path);
	/* a dot file beside the target: same file system, so rename works */
	if (o->name == NULL || o->path == NULL ||
	    (o->tmp = malloc(strlen(path) + 16)) == NULL) {
		fo_out_abort(o);
		fo_err_set(e, path, 0, 0, "out of memory");
		return FO_ENOMEM;
	}
	snprintf(o->tmp, strlen(path) + 16, "%.*s.%s.XXXXXX", (int)dirlen,
	    path, path + dirlen);
	if ((fd = mkstemp(o->tmp)) < 0) {
		fo_err_set(e, path, 0, 0, "%s", strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		fo_out_abort(o);
		return FO_EIO;
	}
	/* mkstemp makes 0600; a file written by a tool honours the umask */
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	o->fd = fd;
	return FO_OK;
}

int
fo_out_flush(struct fo_out *o)
{
	size_t off = 0;
	ssize_t w;

	if (o->err)
		return FO_EIO;
	while (off < o->b.n) {
		w = write(o->fd, o->b.p + off, o->b.n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			o->err = errno;
			return FO_EIO;
		}
		off += (size_t)w;
	}
	o->b.n = 0;
	return FO_OK;
}

void
fo_out_put(struct fo_out *o, const void *s, size_t n)
{
	if (o->err)
		return;
	if (o->b.n + n > OUT_BUFSZ && fo_out_flush(o) != FO_OK)
		return;
	fo_buf_put(&o->b, s, n);
	if (o->b.oom)
		o->err = ENOMEM;
}

struct fo_buf *
fo_out_buf(struct fo_out *o)
{
	return &o->b;
}

void
fo_out_done(struct fo_out *o)
{
	if (o->err)
		o->b.n = 0;	/* as fo_out_put, which adds nothing then */
	else if (o->b.oom)
		o->err = ENOMEM;
	else if (o->b.n >= OUT_BUFSZ)
		(void)fo_out_flush(o);
}

static void
out_release(struct fo_out *o)
{
	fo_buf_free(&o->b);
	free(o->name);
	free(o->tmp);
	free(o->path);
	o->name = o->tmp = o->path = NULL;
}

int
fo_out_close(struct fo_out *o, struct fo_err *e)
{
	int r = fo_out_flush(o);

	if (r == FO_OK && o->owned_fd && close(o->fd) != 0)
		o->err = errno, r = FO_EIO;

	if (r == FO_OK && o->tmp) {
		if (fsync(o->fd) != 0 && errno != EINVAL)
			o->err = errno, r = FO_EIO;
		if (close(o->fd) != 0 && r == FO_OK)
			o->err = errno, r = FO_EIO;
		o->fd = -1;
		if (r == FO_OK && rename(o->tmp, o->path) != 0)
			o->err = errno, r = FO_EIO;
	}
	if (r != FO_OK) {
		fo_err_set(e, NULL, 0, 0, "%s: %s", o->name,
		    strerror(o->err ? o->err : EIO));
		fo_out_abort(o);
		return r;
	}
	out_release(o);
	return FO_OK;
}

void
fo_out_abort(struct fo_out *o)
{
	if (o->owned_fd && o->fd >= 0)
		close(o->fd);
	if (o->tmp) {
		if (o->fd >= 0)
			close(o->fd);
		unlink(o->tmp);
	}
	o->fd = -1;
	out_release(o);
}
