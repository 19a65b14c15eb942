/*
 * out.c - buffered output whose every write is checked, and files that
 * appear whole or not at all: written to a temporary file beside the
 * target, flushed to disk, then renamed over it. A tool ended by a
 * signal it can catch (a reader gone: SIGPIPE; ^C, kill, a hangup)
 * removes its temporary files first, then dies of that signal as it
 * would have; only SIGKILL can leave one behind, and the next run that
 * writes the same target removes it. A run's outputs are committed
 * together (fo_out_commit): renamed only once every one is complete.
 */
#define _XOPEN_SOURCE 700	/* realpath */

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
static char *volatile pend_dir;	/* a --split set being written */
static const int sigs[] = { SIGHUP, SIGINT, SIGPIPE, SIGTERM };

/* Temporary files and links are ".BASE.PID.fotmp.XXXXXX" beside their
 * target, a name no other program makes; PID tells a dead run's. */
#define TMP_TAG ".fotmp."

static time_t run_start;	/* the first output opened */
static struct fo_errs notes;	/* what was cleaned up, for the tool to say */

static void
on_signal(int sig)
{
	char *volatile *t = pend;
	size_t i, n = npend;
	int saved = errno;

	for (i = 0; i < n; i++)
		if (t[i] != NULL)
			(void)unlink(t[i]);
	if (pend_dir != NULL)
		(void)rmdir(pend_dir);
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

static void
note(const char *fmt, ...)
{
	struct fo_err e;
	va_list ap;

	fo_err_clear(&e);
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof e.msg, fmt, ap);
	va_end(ap);
	(void)fo_errs_add(&notes, &e);
}

void
fo_out_notes(struct fo_errs *to)
{
	*to = notes;
	memset(&notes, 0, sizeof notes);
}

/* Whether name is one of base's temporaries, ".BASE.PID.fotmp.XXXXXX";
 * its PID to *pid. */
static int
tmp_name(const char *name, const char *base, long *pid)
{
	size_t bl = strlen(base), tl = strlen(TMP_TAG);
	char *end;

	if (name[0] != '.' || strncmp(name + 1, base, bl) != 0 ||
	    name[1 + bl] != '.' || !isdigit((unsigned char)name[2 + bl]))
		return 0;
	errno = 0;
	*pid = strtol(name + 2 + bl, &end, 10);
	return errno == 0 && *pid > 0 && strncmp(end, TMP_TAG, tl) == 0 &&
	    strlen(end + tl) == 6;
}

/* Remove the temporaries of base in dir that a killed run left: of a
 * process that is gone, and not written since this run began. */
static void
clean_stale(const char *dir, const char *base)
{
	struct dirent *de;
	struct stat st;
	char p[PATH_MAX];
	DIR *d;
	long pid;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!tmp_name(de->d_name, base, &pid) || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;	/* alive, or another user's */
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		if (lstat(p, &st) != 0 || S_ISDIR(st.st_mode) ||
		    st.st_mtime > run_start)
			continue;
		if (unlink(p) == 0)
			note("%s: removed: a temporary file of a run that was "
			    "killed (pid %ld)", p, pid);
	}
	closedir(d);
}

/* The descriptor that /dev/stdout, /dev/stderr or /dev/fd/N names; -1
 * for any other path. */
static int
fd_name(const char *path)
{
	char *end;
	long n;

	if (strcmp(path, "/dev/stdout") == 0)
		return 1;
	if (strcmp(path, "/dev/stderr") == 0)
		return 2;
	if (strncmp(path, "/dev/fd/", 8) != 0 || !isdigit((unsigned char)path[8]))
		return -1;
	n = strtol(path + 8, &end, 10);
	return *end == '\0' && n < INT_MAX ? (int)n : -1;
}

/* A file written as it is (a device, a FIFO, a descriptor). */
static int
out_direct(struct fo_out *o, int fd, const char *path, struct fo_err *e)
{
	if (fd < 0) {
		fo_err_set(e, path, 0, 0, "%s", strerror(errno));
		return FO_EIO;
	}
	if (fo_out_fd(o, fd, path) != FO_OK) {
		close(fd);
		fo_err_set(e, path, 0, 0, "out of memory");
		return FO_ENOMEM;
	}
	o->owned_fd = 1;
	return FO_OK;
}

int
fo_out_atomic(struct fo_out *o, const char *path, struct fo_err *e)
{
	struct stat st, lst;
	const char *target = path, *slash, *why;
	char *real = NULL;
	size_t dirlen, n;
	mode_t mask;
	int fd, have = 0;

	memset(o, 0, sizeof *o);
	o->fd = -1;
	if (run_start == 0)
		run_start = time(NULL);
	if ((fd = fd_name(path)) >= 0)
		return out_direct(o, dup(fd), path, e);
	if (lstat(path, &lst) == 0) {
		if (S_ISLNK(lst.st_mode)) {
			/* a link is followed to a regular file only, which is
			 * replaced: the link stays, as with the shell's > */
			why = stat(path, &st) != 0 ? "to nothing" :
			    !S_ISREG(st.st_mode) ? "to what is not a regular file" :
			    NULL;
			if (why != NULL || (real = realpath(path, NULL)) == NULL) {
				fo_err_set(e, path, 0, 0, "a symbolic link %s: refused, "
				    "only a regular file is replaced (fo(7), "
				    "SECURITY)", why ? why : strerror(errno));
				return FO_EIO;
			}
			target = real;
			have = 1;
		} else if (S_ISCHR(lst.st_mode) || S_ISFIFO(lst.st_mode)) {
			/* a device or a FIFO named as itself is written as it
			 * is: renaming over it would replace it with a file */
			return out_direct(o, open(path, O_WRONLY | O_NOFOLLOW),
			    path, e);
		} else if (!S_ISREG(lst.st_mode)) {
			fo_err_set(e, path, 0, 0, "not a regular file, a device "
			    "or a FIFO: refused");
			return FO_EIO;
		} else {
			st = lst;
			have = 1;
		}
	}
	slash = strrchr(target, '/');
	dirlen = slash ? (size_t)(slash - target) + 1 : 0;
	o->name = strdup(path);
	o->path = real ? real : strdup(path);
	/* a dot file beside the target: same file system, so rename works */
	n = strlen(target) + 48;
	if (o->name == NULL || o->path == NULL || (o->tmp = malloc(n)) == NULL) {
		fo_out_abort(o);
		fo_err_set(e, path, 0, 0, "out of memory");
		return FO_ENOMEM;
	}
	if (dirlen > 0) {
		snprintf(o->tmp, n, "%.*s", (int)(dirlen > 1 ? dirlen - 1 : 1),
		    target);
		clean_stale(o->tmp, target + dirlen);
	} else
		clean_stale(".", target);
	snprintf(o->tmp, n, "%.*s.%s.%ld" TMP_TAG "XXXXXX", (int)dirlen,
	    target, target + dirlen, (long)getpid());
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
	if (have) {
		/* the file it replaces keeps its mode, and its owner where
		 * that is permitted (root; else the group, if ours) */
		(void)fchmod(fd, st.st_mode & 07777);
		if ((st.st_uid != geteuid() || st.st_gid != getegid()) &&
		    fchown(fd, st.st_uid, st.st_gid) != 0 &&
		    fchown(fd, (uid_t)-1, st.st_gid) != 0) {
			/* not permitted: the file is ours */
		}
		if (st.st_mode & 07000)	/* fchown cleared set-id bits */
			(void)fchmod(fd, st.st_mode & 07777);
	} else {
		/* mkstemp makes 0600; a new file honours the umask */
		mask = umask(0);
		umask(mask);
		(void)fchmod(fd, 0666 & ~mask);
	}
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

/* The signals whose handler removes temporaries, held off while a
 * run's outputs are renamed into place: they all go, or none. */
static void
hold_signals(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&set, sigs[i]);
	(void)sigprocmask(SIG_BLOCK, &set, old);
}

static int
sync_dir(const char *dir)
{
	int fd, r = 0;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) < 0)
		return -1;
	if (fsync(fd) != 0 && errno != EINVAL)
		r = -1;
	close(fd);
	return r;
}

static int	outdir_switch(struct fo_outdir *, struct fo_err *);
static void	outdir_finish(struct fo_outdir *);

int
fo_out_commit(struct fo_out **v, size_t n, struct fo_outdir *d,
    struct fo_err *e)
{
	struct fo_out *o;
	sigset_t old;
	size_t i;
	int r = FO_OK;

	/* every output complete and on disk before any is renamed */
	for (i = 0; i < n; i++) {
		o = v[i];
		if (fo_out_flush(o) != FO_OK) {
			fo_err_set(e, NULL, 0, 0, "%s: write: %s", o->name,
			    strerror(o->err));
			goto fail;
		}
		if (o->tmp && fsync(o->fd) != 0 && errno != EINVAL)
			o->err = errno;
		if ((o->tmp || o->owned_fd) && close(o->fd) != 0 && !o->err)
			o->err = errno;
		if (o->tmp || o->owned_fd)
			o->fd = -1;
		o->owned_fd = 0;
		if (o->err) {
			fo_err_set(e, NULL, 0, 0, "%s: %s", o->name,
			    strerror(o->err));
			goto fail;
		}
	}
	hold_signals(&old);
	for (i = 0; i < n && r == FO_OK; i++) {
		o = v[i];
		if (o->tmp && rename(o->tmp, o->path) != 0) {
			fo_err_set(e, NULL, 0, 0, "%s: %s", o->name,
			    strerror(errno));
			r = FO_EIO;	/* those before it are in place */
		}
		if (r == FO_OK)
			out_release(o);
	}
	if (r == FO_OK && d != NULL)
		r = outdir_switch(d, e);
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	for (i = 0; i < n; i++)
		fo_out_abort(v[i]);	/* the rest, after a failed rename */
	if (d != NULL) {
		if (r == FO_OK)
			outdir_finish(d);
		else
			fo_outdir_abort(d);
	}
	return r;
fail:
	for (i = 0; i < n; i++)
		fo_out_abort(v[i]);
	if (d != NULL)
		fo_outdir_abort(d);
	return FO_EIO;
}

/*
 * A directory whose files appear as one set (fo-route --split): DIR is
 * a symbolic link to ".DIR.set.XXXXXX" beside it. A run writes a new
 * set beside the old one and replaces the link by rename(2), so a
 * reader opening DIR/FILE sees the old set or the new, never a mix;
 * then the old set is removed. A lock file ".DIR.lock" beside it keeps
 * two runs from writing the same DIR at once.
 */
#define SET_TAG ".set."

static int
set_name(const char *name, const char *base)
{
	size_t bl = strlen(base), tl = strlen(SET_TAG);

	return name[0] == '.' && strncmp(name + 1, base, bl) == 0 &&
	    strncmp(name + 1 + bl, SET_TAG, tl) == 0 &&
	    strlen(name + 1 + bl + tl) == 6 && strchr(name + 1 + bl + tl,
	    '/') == NULL;
}

/* A file a set holds: QUEUE.ndjson or QUEUE.csv, or a temporary of
 * one. */
static int
set_file(const char *name)
{
	size_t n, i;
	const char *dot;

	if (name[0] == '.')
		return ((dot = strstr(name, ".ndjson.")) != NULL ||
		    (dot = strstr(name, ".csv.")) != NULL) &&
		    strstr(dot, TMP_TAG) != NULL;
	if ((dot = strrchr(name, '.')) == NULL ||
	    (strcmp(dot, ".ndjson") != 0 && strcmp(dot, ".csv") != 0))
		return 0;
	for (i = 0, n = (size_t)(dot - name); i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' &&
		    name[i] != '-')
			return 0;
	return n > 0;
}

/* Remove a set: its files, then itself; one holding anything else
 * stays, and is named. */
static void
remove_set(const char *set, const char *why)
{
	struct dirent *de;
	char p[PATH_MAX];
	DIR *d;
	int other = 0;

	if ((d = opendir(set)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", set, de->d_name);
		if (!set_file(de->d_name) || unlink(p) != 0)
			other = 1;
	}
	closedir(d);
	if (rmdir(set) == 0) {
		if (why != NULL)
			note("%s: removed: %s", set, why);
	} else if (other)
		note("%s: kept: it holds files that are no queue's", set);
}

static char *
join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p;

	if ((p = malloc(n)) != NULL)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Take the lock, waiting up to wait seconds; FO_OK or FO_EIO. */
static int
outdir_lock(struct fo_outdir *d, long wait, struct fo_err *e)
{
	struct timespec ts = { 0, 100000000 };
	struct flock fl;
	time_t until = time(NULL) + (wait > 0 ? wait : 0);
	char *lock;

	if ((lock = malloc(strlen(d->base) + 8)) == NULL)
		return FO_ENOMEM;
	sprintf(lock, ".%s.lock", d->base);
	d->lockpath = join(d->parent, lock);
	free(lock);
	if (d->lockpath == NULL)
		return FO_ENOMEM;
	if ((d->lockfd = open(d->lockpath, O_RDWR | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0666)) < 0) {
		fo_err_set(e, NULL, 0, 0, "%s: %s", d->lockpath, strerror(errno));
		return FO_EIO;
	}
	for (;;) {
		memset(&fl, 0, sizeof fl);
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fcntl(d->lockfd, F_SETLK, &fl) == 0)
			return FO_OK;
		if (errno != EAGAIN && errno != EACCES && errno != EINTR) {
			fo_err_set(e, NULL, 0, 0, "%s: lock: %s", d->lockpath,
			    strerror(errno));
			return FO_EIO;
		}
		if (time(NULL) >= until)
			break;
		(void)nanosleep(&ts, NULL);
	}
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(d->lockfd, F_GETLK, &fl) != 0 || fl.l_type == F_UNLCK)
		fl.l_pid = 0;
	if (wait > 0)
		fo_err_set(e, NULL, 0, 0, "%s: another run (pid %ld) is writing "
		    "it, still after --wait %ld", d->path, (long)fl.l_pid, wait);
	else
		fo_err_set(e, NULL, 0, 0, "%s: another run (pid %ld) is writing "
		    "it; --wait SECONDS waits for it", d->path, (long)fl.l_pid);
	return FO_EIO;
}

int
fo_outdir_open(struct fo_outdir *d, const char *dir, long wait,
    struct fo_err *e)
{
	struct dirent *de;
	struct stat st;
	char link[PATH_MAX], *p, *slash;
	const char *err;
	ssize_t n;
	mode_t mask;
	DIR *dd;
	int r;

	memset(d, 0, sizeof d[0]);
	d->lockfd = -1;
	if (run_start == 0)
		run_start = time(NULL);
	/* a link of the operator's (not one to a set of ours) is followed */
	if ((n = readlink(dir, link, sizeof link - 1)) >= 0) {
		link[n] = '\0';
		slash = strrchr(dir, '/');
		if (strchr(link, '/') != NULL ||
		    !set_name(link, slash ? slash + 1 : dir))
			d->path = realpath(dir, NULL);
		else
			d->path = strdup(dir);
	} else
		d->path = strdup(dir);
	if (d->path == NULL) {
		fo_err_set(e, NULL, 0, 0, "%s: %s", dir, strerror(errno));
		return FO_EIO;
	}
	p = d->path + strlen(d->path);
	while (p > d->path + 1 && p[-1] == '/')
		*--p = '\0';	/* DIR/ is DIR */
	slash = strrchr(d->path, '/');
	d->base = strdup(slash ? slash + 1 : d->path);
	d->parent = slash == d->path ? strdup("/") : slash ?
	    strndup(d->path, (size_t)(slash - d->path)) : strdup(".");
	if (d->base == NULL || d->parent == NULL) {
		fo_outdir_abort(d);
		fo_err_set(e, NULL, 0, 0, "out of memory");
		return FO_ENOMEM;
	}
	if ((r = outdir_lock(d, wait, e)) != FO_OK) {
		if (r == FO_ENOMEM)
			fo_err_set(e, NULL, 0, 0, "out of memory");
		fo_outdir_abort(d);
		return r;
	}
	/* what DIR is now, under the lock */
	err = NULL;
	if (lstat(d->path, &st) != 0)
		err = strerror(errno);
	else if (S_ISLNK(st.st_mode)) {
		if ((n = readlink(d->path, link, sizeof link - 1)) < 0)
			err = strerror(errno);
		else {
			link[n] = '\0';
			if ((d->prev = join(d->parent, link)) == NULL)
				err = "out of memory";
			else if (stat(d->prev, &st) != 0 || !S_ISDIR(st.st_mode))
				err = "not a directory";
		}
	} else if (!S_ISDIR(st.st_mode))
		err = strerror(ENOTDIR);
	else
		d->plain = 1;	/* moved aside at the switch: migrated */
	if (err != NULL) {
		fo_err_set(e, NULL, 0, 0, "%s: %s", d->path, err);
		fo_outdir_abort(d);
		return FO_EIO;
	}
	d->mode = st.st_mode & 07777;
	/* sets of runs that were killed; no run writes them: locked */
	if ((dd = opendir(d->parent)) != NULL) {
		while ((de = readdir(dd)) != NULL) {
			if (!set_name(de->d_name, d->base) ||
			    (p = join(d->parent, de->d_name)) == NULL)
				continue;
			if (d->prev == NULL || strcmp(p, d->prev) != 0)
				remove_set(p, "a set of a run that was killed");
			free(p);
		}
		closedir(dd);
	}
	clean_stale(d->parent, d->base);
	if ((d->set = malloc(strlen(d->parent) + strlen(d->base) + 16)) ==
	    NULL) {
		fo_outdir_abort(d);
		fo_err_set(e, NULL, 0, 0, "out of memory");
		return FO_ENOMEM;
	}
	sprintf(d->set, "%s/.%s" SET_TAG "XXXXXX", d->parent, d->base);
	if (mkdtemp(d->set) == NULL) {
		fo_err_set(e, NULL, 0, 0, "%s: %s", d->path, strerror(errno));
		free(d->set);
		d->set = NULL;
		fo_outdir_abort(d);
		return FO_EIO;
	}
	pend_dir = d->set;
	if (d->plain || d->prev) {
		(void)chmod(d->set, d->mode);
	} else {
		mask = umask(0);
		umask(mask);
		(void)chmod(d->set, 0777 & ~mask);
	}
	return FO_OK;
}

char *
fo_outdir_file(const struct fo_outdir *d, const char *name)
{
	return join(d->set, name);
}

/* The link to the new set replaces DIR (signals held off). */
static int
outdir_switch(struct fo_outdir *d, struct fo_err *e)
{
	static unsigned long seq;
	const char *setbase = strrchr(d->set, '/') + 1;
	char *tmp = NULL, *aside = NULL;
	size_t n = strlen(d->parent) + strlen(d->base) + 64;
	int r = FO_EIO;

	if (sync_dir(d->set) != 0) {
		fo_err_set(e, NULL, 0, 0, "%s: %s", d->set, strerror(errno));
		return FO_EIO;
	}
	if ((tmp = malloc(n)) == NULL || (aside = malloc(n)) == NULL)
		goto oom;
	for (;;) {
		snprintf(tmp, n, "%s/.%s.%ld" TMP_TAG "%06lu", d->parent,
		    d->base, (long)getpid(), seq++ % 1000000);
		if (symlink(setbase, tmp) == 0)
			break;
		if (errno != EEXIST) {
			fo_err_set(e, NULL, 0, 0, "%s: %s", tmp, strerror(errno));
			goto done;
		}
	}
	if (d->plain) {
		/* the first run: DIR, a directory, is moved aside (a reader
		 * finds no DIR for that moment), to be removed as a set */
		snprintf(aside, n, "%s/.%s" SET_TAG "XXXXXX", d->parent, d->base);
		if (mkdtemp(aside) == NULL || rename(d->path, aside) != 0) {
			fo_err_set(e, NULL, 0, 0, "%s: %s", d->path,
			    strerror(errno));
			(void)rmdir(aside);
			(void)unlink(tmp);
			goto done;
		}
		d->prev = aside;
		aside = NULL;
	}
	if (rename(tmp, d->path) != 0) {
		fo_err_set(e, NULL, 0, 0, "%s: %s", d->path, strerror(errno));
		(void)unlink(tmp);
		if (d->plain)
			(void)rename(d->prev, d->path);
		goto done;
	}
	pend_dir = NULL;
	free(d->set);
	d->set = NULL;		/* it is DIR's now */
	(void)sync_dir(d->parent);
	r = FO_OK;
	goto done;
oom:
	fo_err_set(e, NULL, 0, 0, "out of memory");
done:
	free(tmp);
	free(aside);
	return r;
}

/* After the switch: the old set goes, the lock is let go. */
static void
outdir_finish(struct fo_outdir *d)
{
	if (d->prev != NULL)
		remove_set(d->prev, NULL);
	fo_outdir_abort(d);
}

void
fo_outdir_abort(struct fo_outdir *d)
{
	if (d->set != NULL) {
		remove_set(d->set, NULL);
		if (pend_dir == d->set)
			pend_dir = NULL;
	}
	if (d->lockfd >= 0)
		close(d->lockfd);
	d->lockfd = -1;
	free(d->path);
	free(d->base);
	free(d->parent);
	free(d->set);
	free(d->prev);
	free(d->lockpath);
	memset(d, 0, sizeof d[0]);
	d->lockfd = -1;
}
