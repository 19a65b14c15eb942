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
	struct fo_rec rec;	/* for --history */
	long history, history_bad;
};

/* --help: one line an option, in the order of the manual's list. */
static const struct fo_opthelp help[] = {
	{ "--explain-rules", "say which evaluator runs each rule, and exit" },
	{ "-h, --help", "this help" },
	{ "--history file", "earlier invoices, for duplicates (repeatable)" },
	{ "--no-native", "run every rule under libjq (for checking)" },
	{ "-o, --output file", "records to file, whole or not at all" },
	{ "-q, --quiet", "no history count, progress or summary line" },
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
	fprintf(f, "usage: %s [-hqV] [-o file] [-r rules] [--explain-rules]\n"
	    "                   [--history file] [--no-native] "
	    "[--rejects file]\n                   "
	    "[--rule-budget budget] [file ...]\n", PROG);
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
 * gets a '?' there, so that the output stays UTF-8. */
static void
default_id(char *buf, size_t n, const char *file, long line)
{
	snprintf(buf, n, "%.40s:%ld", file, line);
	fo_utf8_scrub(buf);
}

/* --history: index earlier invoices, print nothing. FO_OK or FO_EIO. */
static int
read_history(struct ctx *x, const char *path)
{
	struct fo_lines in;
	struct fo_err e;
	const char *line, *name;
	char defid[64];
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
			default_id(defid, sizeof defid, name, in.lineno);
			r = fo_classify_history(x->rules, &x->rec, defid,
			    x->dup, &e);
			if (r == FO_ENOMEM) {
				fo_warnx(PROG, "out of memory");
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
	char defid[64];

	default_id(defid, sizeof defid, file, line);
	return fo_classify_rec(x->rules, rec, defid, x->dup, out, e);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "explain-rules", no_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ "history", required_argument, NULL, 'H' },
		{ "no-native", no_argument, NULL, 'N' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "rejects", required_argument, NULL, 'j' },
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
	const char **hist = NULL;
	char rbuf[4096];
	size_t nhist = 0, i;
	int ch, explain = 0, status = FO_EXIT_OK;

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
		case 'H':
			hist[nhist++] = optarg;
			break;
		case 'N':
			fo_jq_native(0);
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
		fo_warnx(PROG, "out of memory");
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
	fo_rec_free(&x.rec);
	fo_dup_free(x.dup);
	fo_classify_free(x.rules);
	free(hist);
	return status;
}
