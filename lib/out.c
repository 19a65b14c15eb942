/*
 * out.c - buffered output whose every write is checked, and files that
 * appear whole or not at all: written to a temporary file beside the
 * target, flushed to disk, then renamed over it. A tool ended by a
 * signal it can catch (a reader gone: SIGPIPE; ^C, kill, a hangup)
 * removes its temporary files first, then dies of that signal as it
 * would have; only SIGKILL can leave one behind.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"

#define OUT_BUFSZ (256 << 10)

/*
 * The temporary files being written, for the signal handler. It runs on
 * this one thread, between two statements of the code below: each step
 * leaves the table whole (a slot is filled before it is counted, a new
 * table filled before it is published), so what it reads is valid.
 */
static char *volatile *volatile pend;
static volatile size_t npend;	/* slots in use, some NULL */
static size_t pendcap;
static const int sigs[] = { SIGHUP, SIGINT, SIGPIPE, SIGTERM };

static void
on_signal(int sig)
{
	char *volatile *t = pend;
	size_t i, n = npend;
	int saved = errno;

	for (i = 0; i < n; i++)
		if (t[i] != NULL)
			(void)unlink(t[i]);
	errno = saved;
	/* SA_RESETHAND made it SIG_DFL; blocked until we return */
	(void)raise(sig);
}

/* Catch the signals that would otherwise leave tmp behind; those the
 * caller ignores (nohup, trap '' PIPE) stay ignored. */
static int
pend_add(char *tmp)
{
	static int armed;
	struct sigaction sa, old;
	char *volatile *t;
	size_t i;

	if (!armed) {
		armed = 1;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sa.sa_flags = SA_RESETHAND;
		sigemptyset(&sa.sa_mask);
		for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
			sigaddset(&sa.sa_mask, sigs[i]);
		for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
			if (sigaction(sigs[i], NULL, &old) == 0 &&
			    old.sa_handler == SIG_DFL)
				(void)sigaction(sigs[i], &sa, NULL);
	}
	for (i = 0; i < npend; i++)
		if (pend[i] == NULL) {
			pend[i] = tmp;
			return FO_OK;
		}
	if (npend == pendcap) {
		size_t cap = pendcap ? 2 * pendcap : 16;
		char *volatile *old_t = pend;

		if ((t = calloc(cap, sizeof *t)) == NULL)
			return FO_ENOMEM;
		for (i = 0; i < npend; i++)
			t[i] = pend[i];
		pend = t;
		pendcap = cap;
		free((void *)old_t);
	}
	pend[npend] = tmp;
	npend = npend + 1;
	return FO_OK;
}

static void
pend_del(const char *tmp)
{
	size_t i;

	for (i = 0; i < npend; i++)
		if (pend[i] == tmp)
			pend[i] = NULL;
}

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
	if (pend_add(o->tmp) != FO_OK) {
		(void)unlink(o->tmp);
		(void)close(fd);
		fo_out_abort(o);
		fo_err_set(e, path, 0, 0, "out of memory");
		return FO_ENOMEM;
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
	if (o->tmp)
		pend_del(o->tmp);
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
