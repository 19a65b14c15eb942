/*
 * fo-classify - what kind of exception each record is, why, how sure,
 * who owns it, and which invoices look like duplicates.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"

#define PROG "fo-classify"

struct ctx {
	struct fo_classify *rules;
	struct fo_dup *dup;
	struct fo_run run;
	struct fo_out out;
	struct fo_rec rec;	/* for --history, then --prev */
	struct fo_carry *carry;	/* --prev, --first-night */
	struct fo_buf cls;	/* a record classified, before it is carried */
	long history, history_bad;
	char idsrc[41];		/* the file record_id last named, */
	char idpre[48];		/* its part of the id, and */
	size_t idprelen;	/* that part's length; 0 none yet */
};

/* --help: one line an option, in the order of the manual's list. */
static const struct fo_opthelp help[] = {
	{ "--as-of date", "the night of --prev ($FO_AS_OF, else today)" },
	{ "--explain-rules", "say which evaluator runs each rule, and exit" },
	{ "--first-night", "no snapshot yet: every case first seen tonight" },
	{ "-h, --help", "this help" },
	{ "--history file", "earlier invoices, for duplicates (repeatable)" },
	{ "--no-native", "run every rule under libjq (for checking)" },
	{ "-o, --output file", "records to file, whole or not at all" },
	{ "--prev file", "last night's snapshot: the cases carried" },
	{ "-q, --quiet", "no history count, progress or summary line" },
	{ "--resolved file", "fo-age's resolution history: reopened cases" },
	{ "-r, --rules rules", "the policy file, not $FO_RULES/classify.yaml" },
	{ "--rejects file", "every rejected line to file, as reject records" },
	{ "--rule-budget budget", "a rule's steps[,MiB] per record "
	    "(2000000,64)" },
	{ "-V, --version", "print the version" },
	{ NULL, NULL }
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s [-hqV] [-o file] [-r rules] [--as-of date]\n"
	    "                   [--explain-rules] [--first-night] "
	    "[--history file]\n                   [--no-native] "
	    "[--prev file] [--rejects file]\n                   "
	    "[--resolved file] [--rule-budget budget] [file ...]\n", PROG);
}

static int
open_input(const char *path, const char **name)
{
	int fd;

	if (strcmp(path, "-") == 0) {
		*name = "<stdin>";
		return 0;
	}
	*name = path;
	if ((fd = open(path, O_RDONLY)) < 0)
		fo_warnx(PROG, "%s: %s", path, strerror(errno));
	return fd;
}

/* The id of a record that has none, for duplicate_of and its reason:
 * where it was read. A file name cut inside a character, or not UTF-8,
 * gets a '?' there, so that the output stays UTF-8. The file's part
 * ("%.40s:", scrubbed) is made when the file changes; the line number
 * is written after it. At most 41 + 20 bytes and the NUL: it fits. */
#define IDMAX	64

static void
record_id(struct ctx *x, char buf[IDMAX], const char *file, long line)
{
	char num[24];
	size_t k = sizeof num;
	unsigned long u = line < 0 ? 0UL - (unsigned long)line :
	    (unsigned long)line;

	if (x->idprelen == 0 || strncmp(file, x->idsrc, 40) != 0) {
		snprintf(x->idsrc, sizeof x->idsrc, "%s", file);
		snprintf(x->idpre, sizeof x->idpre, "%.40s:", file);
		fo_utf8_scrub(x->idpre);
		x->idprelen = strlen(x->idpre);
	}
	do
		num[--k] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (line < 0)
		num[--k] = '-';
	memcpy(buf, x->idpre, x->idprelen);
	memcpy(buf + x->idprelen, num + k, sizeof num - k);
	buf[x->idprelen + sizeof num - k] = '\0';
}

/* --history: index earlier invoices, print nothing. FO_OK or FO_EIO. */
static int
read_history(struct ctx *x, const char *path)
{
	struct fo_lines in;
	struct fo_err e;
	const char *line, *name;
	char defid[IDMAX];
	size_t len;
	int fd, r, ret = FO_OK;

	if ((fd = open_input(path, &name)) < 0)
		return FO_EIO;
	fo_lines_open(&in, fd, name, 0);
	while ((r = fo_lines_next(&in, &line, &len, &e)) != FO_EMPTY) {
		if (r == FO_EIO || r == FO_ENOMEM) {
			fo_warn(PROG, &e);
			ret = FO_EIO;
			break;
		}
		if (r == FO_OK && len == 0)
			continue;
		if (r == FO_OK && fo_rec_parse(&x->rec, line, len, &e) ==
		    FO_OK) {
			record_id(x, defid, name, in.lineno);
			r = fo_classify_history(x->rules, &x->rec, defid,
			    x->dup, &e);
			if (r == FO_ENOMEM || r == FO_EIO) {
				if (r == FO_ENOMEM)
					fo_warnx(PROG, "out of memory");
				else
					fo_warnx(PROG, "%s", e.msg);
				ret = FO_EIO;
				break;
			}
			if (r == FO_OK) {
				x->history++;
				continue;
			}
		}
		e.file = name;
		e.line = in.lineno;
		fo_warn(PROG, &e);
		x->history_bad++;
	}
	fo_lines_close(&in);
	if (fd > 0)
		close(fd);
	return ret;
}

/* One record of the input, classified. */
static int
classify_one(void *ctx, const struct fo_rec *rec, const char *file,
    long line, struct fo_buf *out, struct fo_err *e)
{
	struct ctx *x = ctx;
	char defid[IDMAX];
	int rc;

	record_id(x, defid, file, line);
	if (x->carry == NULL)
		return fo_classify_rec(x->rules, rec, defid, x->dup, out, e);
	/* the case is carried once its class says it is one */
	fo_buf_reset(&x->cls);
	if ((rc = fo_classify_rec(x->rules, rec, defid, x->dup, &x->cls,
	    e)) == FO_EMPTY)
		return fo_carry_rec(x->carry, rec, out, e);
	if (rc != FO_OK)
		return rc;
	if (x->cls.oom)
		return FO_ENOMEM;
	if ((rc = fo_rec_parse(&x->rec, x->cls.p, x->cls.n, e)) != FO_OK)
		return rc;
	if ((rc = fo_carry_rec(x->carry, &x->rec, out, e)) == FO_EMPTY)
		fo_buf_put(out, x->cls.p, x->cls.n);
	return rc == FO_EMPTY ? FO_OK : rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "as-of", required_argument, NULL, 'A' },
		{ "explain-rules", no_argument, NULL, 'E' },
		{ "first-night", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "history", required_argument, NULL, 'H' },
		{ "no-native", no_argument, NULL, 'N' },
		{ "output", required_argument, NULL, 'o' },
		{ "prev", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "rejects", required_argument, NULL, 'j' },
		{ "resolved", required_argument, NULL, 'G' },
		{ "rule-budget", required_argument, NULL, 'B' },
		{ "rules", required_argument, NULL, 'r' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctx x;
	struct fo_out rej;
	struct fo_errs errs = { 0 };
	struct fo_dup_params dp;
	struct fo_err e;
	struct fo_main m = { PROG, usage, help, NULL, NULL, NULL, NULL, 0 };
	const char *prev = NULL, *gone = NULL, **hist = NULL;
	struct fo_asof day;
	char rbuf[4096];
	size_t nhist = 0, i;
	int ch, explain = 0, first = 0, status = FO_EXIT_OK;

	memset(&x, 0, sizeof x);
	x.run.prog = PROG;
	if ((hist = calloc((size_t)argc + 1, sizeof *hist)) == NULL)
		return FO_EXIT_SYSTEM;
	while ((ch = getopt_long(argc, argv, "ho:qr:V", longopts, NULL)) != -1) {
		switch (ch) {
		case 'B':
			if (fo_expr_budget_parse(optarg, &e) != FO_OK) {
				fo_warnx(PROG, "%s", e.msg);
				free(hist);
				return FO_EXIT_USAGE;
			}
			break;
		case 'E':
			explain = 1;
			break;
		case 'F':
			first = 1;
			break;
		case 'G':
			gone = optarg;
			break;
		case 'H':
			hist[nhist++] = optarg;
			break;
		case 'N':
			fo_jq_native(0);
			break;
		case 'p':
			prev = optarg;
			break;
		default:
			if ((status = fo_main_opt(&m, ch, optarg)) !=
			    FO_MAIN_NEXT) {
				free(hist);
				return status;
			}
		}
	}
	argc -= optind;
	argv += optind;
	x.run.quiet = m.quiet;
	status = FO_EXIT_OK;
	if (first && prev) {
		fo_warnx(PROG, "--first-night and --prev: one or the other");
		free(hist);
		return FO_EXIT_USAGE;
	}
	if (gone && !prev) {
		fo_warnx(PROG, "--resolved needs --prev: a case is reopened "
		    "only against last night's snapshot");
		free(hist);
		return FO_EXIT_USAGE;
	}
	/* last night's snapshot, read whole before any record: one it
	 * cannot read is no first night (fo-record.5) */
	if (first || prev) {
		if (fo_asof_get(m.asof, &day, &e) != FO_OK) {
			fo_warnx(PROG, "%s", e.msg);
			free(hist);
			return FO_EXIT_USAGE;
		}
		if ((ch = fo_carry_load(prev, day.day, &x.carry, &e)) !=
		    FO_OK || (gone && (ch = fo_carry_history(x.carry, gone,
		    &e)) != FO_OK)) {
			if (ch == FO_ENOMEM)
				fo_warnx(PROG, "out of memory");
			else
				fo_warn(PROG, &e);
			fo_carry_free(x.carry);
			free(hist);
			return ch == FO_ERR ? FO_EXIT_USAGE : FO_EXIT_SYSTEM;
		}
	}

	/* the whole policy is checked before any record is read */
	if (m.rules == NULL)
		m.rules = fo_rules_file(FO_RULESDIR, "classify.yaml", rbuf,
		    sizeof rbuf);
	if (fo_classify_load(m.rules, &x.rules, &errs) != FO_OK) {
		fo_warn_errs(PROG, &errs);
		free(hist);
		return FO_EXIT_USAGE;
	}
	if (explain) {
		status = fo_explain(PROG, fo_classify_jq(x.rules), x.run.quiet);
		goto done;
	}
	if (nhist > 0 && !fo_classify_dup_params(x.rules, &dp)) {
		fo_warnx(PROG, "--history: %s has no rule with builtin: "
		    "duplicate, so nothing would use it", m.rules);
		status = FO_EXIT_USAGE;
		goto done;
	}
	if (fo_classify_dup_params(x.rules, &dp) &&
	    (x.dup = fo_dup_new(&dp)) == NULL) {
		fo_warnx(PROG, "duplicate index: %s", strerror(errno));
		status = FO_EXIT_SYSTEM;
		goto done;
	}
	fo_rec_init(&x.rec);
	if (fo_run_open(&x.run, &x.out, m.output, &rej, m.rejects) != FO_OK) {
		status = FO_EXIT_SYSTEM;
		goto done;
	}
	for (i = 0; i < nhist && status == FO_EXIT_OK; i++)
		if (read_history(&x, hist[i]) != FO_OK)
			status = FO_EXIT_SYSTEM;
	if (nhist > 0 && !x.run.quiet)
		fo_warnx(PROG, "history: %ld records, %zu invoices indexed%s",
		    x.history, fo_dup_count(x.dup),
		    x.history_bad ? ", some lines unreadable (above)" : "");
	if (status == FO_EXIT_OK && fo_stage_files(&x.run, argc, argv,
	    classify_one, &x, &x.out) != FO_OK)
		status = FO_EXIT_SYSTEM;

	status = fo_run_close(&x.run, &x.out, status == FO_EXIT_SYSTEM);
	if (status == FO_EXIT_OK && x.history_bad)
		status = FO_EXIT_REJECTED;
done:
	if (FO_TEARDOWN) {	/* else exit gives it all back at once */
		fo_carry_free(x.carry);
		fo_buf_free(&x.cls);
		fo_rec_free(&x.rec);
		fo_dup_free(x.dup);
		fo_classify_free(x.rules);
		free(hist);
	}
	return status;
}
