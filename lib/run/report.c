/*
 * report.c - what every tool says the same way: one message format
 * ("prog: FILE:LINE:COL: message"), one reject record, one summary line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fo.h"

/* Past this many, rejects are only counted on stderr (all still go to
 * the reject stream): a wrong --numbers must not flood a cron mail. */
#define FO_REJECT_SHOWN 50

void
fo_warn(const char *prog, const struct fo_err *e)
{
	fprintf(stderr, "%s: ", prog);
	if (e->file) {
		fprintf(stderr, "%s:", e->file);
		if (e->line > 0) {
			fprintf(stderr, "%ld:", e->line);
			if (e->col > 0)
				fprintf(stderr, "%ld:", e->col);
		}
		fputc(' ', stderr);
	}
	fprintf(stderr, "%s\n", e->msg);
}

void
fo_warnx(const char *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
fo_warn_errs(const char *prog, struct fo_errs *es)
{
	size_t i;

	for (i = 0; i < es->n; i++)
		fo_warn(prog, &es->v[i]);
	fo_errs_free(es);
}

/* A long option alone lines up under the long form of a pair. */
#define HELP_INDENT(opt)	((opt)[1] == '-' ? "    " : "")

int
fo_help(const char *prog, const struct fo_opthelp *h)
{
	const char *indent;
	size_t i, width = 0;

	for (i = 0; h[i].opt; i++)
		if (strlen(HELP_INDENT(h[i].opt)) + strlen(h[i].opt) > width)
			width = strlen(HELP_INDENT(h[i].opt)) + strlen(h[i].opt);
	putchar('\n');
	for (i = 0; h[i].opt; i++) {
		indent = HELP_INDENT(h[i].opt);
		printf("  %s%-*s  %s\n", indent, (int)(width - strlen(indent)),
		    h[i].opt, h[i].text);
	}
	printf("\nExit status: 0 ok, 1 rows rejected, 2 usage or rules error, "
	    "3 system error.\nThe full reference: %s(1).\n", prog);
	return fo_stdout_status(prog);
}

int
fo_version(const char *prog)
{
	printf("%s %s\n", prog, FO_VERSION);
	return fo_stdout_status(prog);
}

int
fo_stdout_status(const char *prog)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return FO_EXIT_OK;
	fo_warnx(prog, "<stdout>: write: %s", strerror(errno));
	return FO_EXIT_SYSTEM;
}

const char *
fo_rules_file(const char *builtin, const char *name, char *buf, size_t n)
{
	const char *d = getenv("FO_RULES");

	if (d == NULL || *d == '\0')
		d = builtin;
	if (name == NULL)
		return d;
	snprintf(buf, n, "%s/%s", d, name);
	return buf;
}

static void
base64(struct fo_buf *b, const unsigned char *s, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	unsigned v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 | s[i + 2];
		fo_buf_putc(b, tab[v >> 18]);
		fo_buf_putc(b, tab[(v >> 12) & 63]);
		fo_buf_putc(b, tab[(v >> 6) & 63]);
		fo_buf_putc(b, tab[v & 63]);
	}
	if (i < n) {
		v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0);
		fo_buf_putc(b, tab[v >> 18]);
		fo_buf_putc(b, tab[(v >> 12) & 63]);
		fo_buf_putc(b, i + 1 < n ? tab[(v >> 6) & 63] : '=');
		fo_buf_putc(b, '=');
	}
}

void
fo_reject(struct fo_run *run, const struct fo_err *e, const char *raw,
    size_t rawlen)
{
	struct fo_buf b = {0};
	struct fo_obj o;
	size_t bad;

	run->rejected++;
	if (run->rejected <= FO_REJECT_SHOWN)
		fo_warn(run->prog, e);
	else if (run->rejected == FO_REJECT_SHOWN + 1)
		fo_warnx(run->prog, "more rejects: counted below, not shown%s",
		    run->rejects ? " (all are in the reject file)" : "");
	if (run->rejects == NULL)
		return;
	fo_obj_begin(&o, &b);
	fo_obj_str(&o, "file", e->file ? e->file : "", e->file ?
	    strlen(e->file) : 0);
	fo_obj_long(&o, "line", e->line);
	fo_obj_long(&o, "col", e->col);
	fo_obj_key(&o, "error");	/* UTF-8 already (err.c); to be sure */
	(void)fo_json_str_lossy(&b, e->msg, strlen(e->msg));
	fo_obj_key(&o, "raw");
	bad = fo_json_str_lossy(&b, raw, rawlen);
	if (bad > 0) {	/* the bytes themselves, so nothing is lost */
		fo_obj_key(&o, "raw_base64");
		fo_buf_putc(&b, '"');
		base64(&b, (const unsigned char *)raw, rawlen);
		fo_buf_putc(&b, '"');
	}
	fo_obj_end(&o);
	fo_buf_putc(&b, '\n');
	if (b.oom)
		run->rejects_failed = 1;
	else
		fo_out_put(run->rejects, b.p, b.n);
	fo_buf_free(&b);
}

void
fo_progress(struct fo_run *run)
{
	struct timespec ts;

	if (run->rows < run->progress_next || run->progress < 0)
		return;
	run->progress_next = run->rows + 16384;
	if (run->progress_at == 0 && (run->quiet || !isatty(2))) {
		run->progress = -1;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (run->progress_at == 0)
		run->progress_at = ts.tv_sec;
	else if (ts.tv_sec > run->progress_at) {
		run->progress_at = ts.tv_sec;
		run->progress = 1;
		fprintf(stderr, "\r%s: %ld rows, %ld records, %ld rejected ",
		    run->prog, run->rows, run->records, run->rejected);
	}
}

void
fo_summary(const struct fo_run *run)
{
	if (run->progress > 0)
		fputc('\r', stderr);	/* the summary overwrites it */
	if (run->quiet)
		return;
	fprintf(stderr, "%s: %ld rows, %ld records, %ld rejected",
	    run->prog, run->rows, run->records, run->rejected);
	if (run->merged > 0)
		fprintf(stderr, ", %ld merged", run->merged);
	if (run->skipped > 0)
		fprintf(stderr, ", %ld skipped", run->skipped);
	fputc('\n', stderr);
}

/* What opening the outputs cleaned up, said on stderr. */
static void
run_notes(struct fo_run *run)
{
	struct fo_errs notes;

	fo_out_notes(&notes);
	fo_warn_errs(run->prog, &notes);
}

int
fo_run_open(struct fo_run *run, struct fo_out *out, const char *output,
    struct fo_out *rej, const char *rejects)
{
	struct fo_err e;

	if (output ? fo_out_atomic(out, output, &e) != FO_OK :
	    fo_out_fd(out, 1, "<stdout>") != FO_OK) {
		if (output)
			fo_warn(run->prog, &e);
		else
			fo_warnx(run->prog, "out of memory");
		run_notes(run);
		return FO_EIO;
	}
	if (rejects != NULL && fo_out_atomic(rej, rejects, &e) != FO_OK) {
		fo_warn(run->prog, &e);
		fo_out_abort(out);
		run_notes(run);
		return FO_EIO;
	}
	if (rejects != NULL)
		run->rejects = rej;
	run_notes(run);
	return FO_OK;
}

int
fo_run_close(struct fo_run *run, struct fo_out *out, int failed)
{
	struct fo_out **v;
	struct fo_err e;
	size_t i, n = 0;
	int status = failed ? FO_EXIT_SYSTEM : FO_EXIT_OK;

	if (out->err == 0)
		(void)fo_out_flush(out);	/* a failure sets out->err */
	if (out->err) {
		fo_warnx(run->prog, "%s: write: %s", out->name,
		    strerror(out->err));
		status = FO_EXIT_SYSTEM;
	}
	if (run->rejects_failed)
		status = FO_EXIT_SYSTEM;
	if ((v = calloc(run->nextra + 2, sizeof *v)) == NULL) {
		fo_warnx(run->prog, "out of memory");
		status = FO_EXIT_SYSTEM;
	} else {
		v[n++] = out;
		if (run->rejects)
			v[n++] = run->rejects;
		for (i = 0; i < run->nextra; i++)
			v[n++] = &run->extra[i];
	}
	/* records already on a pipe stay there; files appear only whole,
	 * and all of them or none: after a system error each target is as
	 * it was (a pipe was flushed just above) */
	if (status == FO_EXIT_SYSTEM) {
		fo_out_abort(out);
		if (run->rejects)
			fo_out_abort(run->rejects);
		for (i = 0; i < run->nextra; i++)
			fo_out_abort(&run->extra[i]);
		if (run->dir)
			fo_outdir_abort(run->dir);
	} else if (fo_out_commit(v, n, run->dir, &e) != FO_OK) {
		fo_warn(run->prog, &e);
		status = FO_EXIT_SYSTEM;
	}
	free(v);
	run_notes(run);
	fo_summary(run);
	return status == FO_EXIT_OK ? fo_exit_status(run) : status;
}

int
fo_exit_status(const struct fo_run *run)
{
	if (run->rejects_failed)
		return FO_EXIT_SYSTEM;
	return run->rejected > 0 ? FO_EXIT_REJECTED : FO_EXIT_OK;
}
