/*
 * fo-match - reconciliation: which bank line or payment settles which
 * open items. Every record of both sides comes out once, the lines in
 * input order, then the items, each with its verdict.
 *
 * Decisions must not depend on input order, so every record is read
 * before any is written: the records' text waits in two unlinked
 * temporary files (lines, items) and only small entries stay in memory.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"

#define PROG "fo-match"

struct side {
	struct fo_out spool;	/* the records' text, as read */
	int fd;
	int item;
};

struct ctx {
	struct fo_match *m;
	struct side *side;
};

static const struct fo_opthelp help[] = {
	{ "--against file", "the open items the lines may settle (repeatable)" },
	{ "--decisions file", "people's confirmations and rejections (NDJSON)" },
	{ "-h, --help", "this help" },
	{ "-o, --output file", "records to file, whole or not at all" },
	{ "-q, --quiet", "no progress or summary line" },
	{ "-r, --rules rules", "the passes, not $FO_RULES/match.yaml" },
	{ "--rejects file", "every rejected line to file, as reject records" },
	{ "--report file", "per pass counts and exact totals, as NDJSON" },
	{ "--sign sign", "opposite (bank lines) or same (payment records)" },
	{ "--vendors file", "the vendor master: IBANs the items lack" },
	{ "-V, --version", "print the version" },
	{ NULL, NULL }
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s [-hqV] [-o file] [-r rules] [--against file] "
	    "[--decisions file]\n                [--rejects file] "
	    "[--report file] [--sign sign] [--vendors file]\n"
	    "                [file ...]\n", PROG);
}

static int
hold(void *ctx, const struct fo_rec *rec, const char *file, long line,
    struct fo_buf *out, struct fo_err *e)
{
	struct ctx *x = ctx;
	int r;

	(void)out;
	if ((r = fo_match_add(x->m, x->side->item, rec, file, line, e)) !=
	    FO_OK)
		return r;
	return FO_EMPTY;	/* spooled as read */
}

static int
spool_open(struct side *s, int item)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];

	s->item = item;
	snprintf(path, sizeof path, "%s/fo-match.XXXXXX",
	    dir && *dir ? dir : "/tmp");
	if ((s->fd = mkstemp(path)) < 0) {
		fo_warnx(PROG, "%s: temporary file: %s", dir && *dir ? dir :
		    "/tmp", strerror(errno));
		return FO_EIO;
	}
	(void)unlink(path);
	if (fo_out_fd(&s->spool, s->fd, "<spool>") != FO_OK) {
		fo_warnx(PROG, "out of memory");
		return FO_EIO;
	}
	return FO_OK;
}

/* The spooled records again, each written with its verdict. */
static int
replay(struct fo_match *m, struct side *s, struct fo_out *out)
{
	struct fo_lines in;
	struct fo_rec rec;
	struct fo_err e;
	const char *line;
	size_t len, i = 0;
	int r, ret = FO_OK;

	if (fo_out_flush(&s->spool) != FO_OK ||
	    lseek(s->fd, 0, SEEK_SET) < 0) {
		fo_warnx(PROG, "temporary file: %s", strerror(s->spool.err ?
		    s->spool.err : errno));
		return FO_EIO;
	}
	fo_lines_open(&in, s->fd, "<spool>", 0);
	fo_rec_init(&rec);
	while ((r = fo_lines_next(&in, &line, &len, &e)) == FO_OK) {
		if (fo_rec_parse(&rec, line, len, &e) != FO_OK ||
		    (r = fo_match_write(m, s->item, i++, &rec,
		    fo_out_buf(out))) != FO_OK) {
			fo_warnx(PROG, "temporary file: %s", r == FO_ENOMEM ?
			    "out of memory" : "read back differs");
			ret = FO_EIO;
			break;
		}
		fo_buf_putc(fo_out_buf(out), '\n');
		fo_out_done(out);
		if (out->err)
			break;
	}
	if (r == FO_EIO || r == FO_ENOMEM || r == FO_ERR) {
		fo_warn(PROG, &e);
		ret = FO_EIO;
	}
	fo_rec_free(&rec);
	fo_lines_close(&in);
	return ret;
}

static void
summary(const struct fo_match *m, long rejected)
{
	struct fo_match_counts c;
	long tenths;

	fo_match_counts(m, &c);
	tenths = c.lines ? (c.matched * 2000 + c.lines) / (2 * c.lines) : 0;
	fprintf(stderr, "%s: %ld lines, %ld matched (%ld.%ld%%), %ld "
	    "suggested, %ld ambiguous, %ld unmatched", PROG, c.lines,
	    c.matched, tenths / 10, tenths % 10, c.suggested, c.ambiguous,
	    c.unmatched);
	if (c.duplicate)
		fprintf(stderr, ", %ld duplicate", c.duplicate);
	fprintf(stderr, "; %ld items, %ld settled", c.items, c.settled);
	if (c.statements)
		fprintf(stderr, "; %ld statement%s, %ld break%s", c.statements,
		    c.statements == 1 ? "" : "s", c.breaks, c.breaks == 1 ?
		    "" : "s");
	if (rejected)
		fprintf(stderr, "; %ld rejected", rejected);
	fputc('\n', stderr);
}

/* The report, into a file opened before any record was read; it is
 * committed with the run's other outputs (fo_run_close). */
static int
write_report(const struct fo_match *m, struct fo_out *o)
{
	if (fo_match_report(m, fo_out_buf(o)) != FO_OK) {
		fo_warnx(PROG, "out of memory");
		fo_out_abort(o);
		return FO_EIO;
	}
	fo_out_done(o);
	return FO_OK;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "against", required_argument, NULL, 'a' },
		{ "decisions", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "rejects", required_argument, NULL, 'j' },
		{ "report", required_argument, NULL, 'p' },
		{ "rules", required_argument, NULL, 'r' },
		{ "sign", required_argument, NULL, 's' },
		{ "vendors", required_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct fo_run run;
	struct fo_out out, rej, rep;
	struct fo_err e;
	int rep_open = 0;
	struct fo_errs errs = { 0 };
	struct side sides[2];
	struct ctx x;
	struct fo_main m = { PROG, usage, help, NULL, NULL, NULL, NULL, 0 };
	const char *report = NULL, *sign = NULL, *vendors = NULL;
	const char *decisions = NULL;
	long refused = 0;
	struct fo_vendors *vs = NULL;
	char **against;
	char rbuf[4096];
	size_t nagainst = 0, i;
	int ch, status;

	memset(&run, 0, sizeof run);
	memset(&x, 0, sizeof x);
	memset(sides, 0, sizeof sides);
	sides[0].fd = sides[1].fd = -1;
	run.prog = PROG;
	if ((against = calloc((size_t)argc + 1, sizeof *against)) == NULL) {
		fo_warnx(PROG, "out of memory");
		return FO_EXIT_SYSTEM;
	}
	while ((ch = getopt_long(argc, argv, "ho:qr:V", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			against[nagainst++] = optarg;
			break;
		case 'd':
			decisions = optarg;
			break;
		case 'p':
			report = optarg;
			break;
		case 's':
			sign = optarg;
			break;
		case 'v':
			vendors = optarg;
			break;
		default:
			if ((status = fo_main_opt(&m, ch, optarg)) !=
			    FO_MAIN_NEXT) {
				free(against);
				return status;
			}
		}
	}
	argc -= optind;
	argv += optind;
	run.quiet = m.quiet;
	status = FO_EXIT_OK;

	if (m.rules == NULL)
		m.rules = fo_rules_file(FO_RULESDIR, "match.yaml", rbuf,
		    sizeof rbuf);
	/* the rules and the vendor master, every mistake reported, before
	 * any record is read */
	if (fo_match_load(m.rules, &x.m, &errs) != FO_OK)
		status = FO_EXIT_USAGE;
	if (vendors && fo_vendors_load(vendors, &vs, &errs) != FO_OK)
		status = FO_EXIT_USAGE;
	if (x.m && decisions && fo_match_decisions(x.m, decisions, &errs) !=
	    FO_OK)
		status = FO_EXIT_USAGE;
	fo_warn_errs(PROG, &errs);
	if (status != FO_EXIT_OK)
		goto done;
	fo_match_vendors(x.m, vs);
	if (sign && fo_match_sign(x.m, sign) != FO_OK) {
		fo_warnx(PROG, "--sign '%s': opposite or same", sign);
		status = FO_EXIT_USAGE;
		goto done;
	}
	if (spool_open(&sides[0], 0) != FO_OK ||
	    spool_open(&sides[1], 1) != FO_OK ||
	    fo_run_open(&run, &out, m.output, &rej, m.rejects) != FO_OK) {
		status = FO_EXIT_SYSTEM;
		goto done;
	}
	/* a report that cannot be written is known before the work */
	if (report && fo_out_atomic(&rep, report, &e) != FO_OK) {
		fo_warn(PROG, &e);
		fo_out_abort(&out);
		if (run.rejects)
			fo_out_abort(run.rejects);
		status = FO_EXIT_SYSTEM;
		goto done;
	}
	rep_open = report != NULL;
	/* the items first, then the lines; all held before any decision */
	x.side = &sides[1];
	for (i = 0; i < nagainst && status == FO_EXIT_OK; i++)
		if (fo_stage_run(&run, against[i], hold, &x,
		    &sides[1].spool) != FO_OK || sides[1].spool.err)
			status = FO_EXIT_SYSTEM;
	x.side = &sides[0];
	if (status == FO_EXIT_OK && (fo_stage_files(&run, argc, argv, hold,
	    &x, &sides[0].spool) != FO_OK || sides[0].spool.err))
		status = FO_EXIT_SYSTEM;
	if (status == FO_EXIT_OK && fo_match_run(x.m) != FO_OK) {
		fo_warnx(PROG, "out of memory");
		status = FO_EXIT_SYSTEM;
	}
	/* unknown ids and refused decisions, each at its line */
	if (status == FO_EXIT_OK && decisions) {
		struct fo_errs de = *fo_match_decmsg(x.m, &refused);

		for (i = 0; i < de.n; i++)
			fo_warn(PROG, &de.v[i]);
	}
	if (status == FO_EXIT_OK && (replay(x.m, &sides[0], &out) != FO_OK ||
	    replay(x.m, &sides[1], &out) != FO_OK))
		status = FO_EXIT_SYSTEM;
	if (rep_open) {
		rep_open = 0;
		if (status != FO_EXIT_OK)
			fo_out_abort(&rep);
		else if (write_report(x.m, &rep) != FO_OK)
			status = FO_EXIT_SYSTEM;
		else {		/* all of them or none, with the records */
			run.extra = &rep;
			run.nextra = 1;
		}
	}
	/* fo_run_close's summary counts rows; fo-match's counts matches */
	run.quiet = 1;
	status = fo_run_close(&run, &out, status == FO_EXIT_SYSTEM);
	/* a refused decision is input not taken, as a rejected line is */
	if (refused > 0 && status == FO_EXIT_OK)
		status = FO_EXIT_REJECTED;
	if (!m.quiet && status != FO_EXIT_SYSTEM)
		summary(x.m, run.rejected);
done:
	for (i = 0; i < 2; i++) {
		fo_out_abort(&sides[i].spool);	/* not closed: not its own */
		if (sides[i].fd >= 0)
			close(sides[i].fd);
	}
	fo_match_free(x.m);
	fo_vendors_free(vs);
	free(against);
	return status;
}
