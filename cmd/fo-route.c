/*
 * fo-route - which team resolves each exception, whether a human must
 * review it, when its SLA falls due, and whether to escalate it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fo.h"

#define PROG "fo-route"

struct ctx {
	struct fo_route *rules;
	struct fo_run run;
	struct fo_out out;
	struct fo_out *split;	/* one per queue, or NULL */
	struct fo_outdir dir;	/* where they go */
	struct fo_asof as_of;
	int csv;		/* --format csv: the split files as CSV */
	struct fo_rec rec;	/* csv: the routed record, read back */
	struct fo_buf row, val;
};

/* --format csv: the split files' columns, fixed (fo-route(1)); reason is
 * the first of reasons. */
static const char *const csv_cols[] = { "id", "doc_number", "vendor_id",
    "vendor_name", "currency", "amount", "exception", "priority",
    "priority_band", "queue", "sla_due", "escalate", "reason" };
#define NCSV (sizeof csv_cols / sizeof *csv_cols)

/* --help: one line an option, in the order of the manual's list. */
static const struct fo_opthelp help[] = {
	{ "--as-of date", "as of a day or instant ($FO_AS_OF, else today)" },
	{ "--explain-rules", "say which evaluator runs each route, and exit" },
	{ "--format format", "--split files as ndjson or csv (ndjson)" },
	{ "-h, --help", "this help" },
	{ "--no-native", "run every condition under libjq (for checking)" },
	{ "-o, --output file", "records to file, whole or not at all" },
	{ "-q, --quiet", "no progress or summary line" },
	{ "-r, --rules rules", "the policy file, not $FO_RULES/route.yaml" },
	{ "--rejects file", "every rejected line to file, as reject records" },
	{ "--rule-budget budget", "a rule's steps[,MiB] per record "
	    "(2000000,64)" },
	{ "--split dir", "also one file a queue: dir/QUEUE.ndjson, as a set" },
	{ "-V, --version", "print the version" },
	{ "--wait seconds", "wait for another run's lock on --split dir" },
	{ NULL, NULL }
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s [-hqV] [-o file] [-r rules] [--as-of date] "
	    "[--explain-rules]\n                [--format ndjson|csv] "
	    "[--no-native] [--rejects file]\n"
	    "                [--rule-budget budget] [--split dir] "
	    "[--wait seconds]\n                [file ...]\n", PROG);
}


/* The routed record as a CSV line of the fixed columns: strings as
 * text (guarded against formulas), numbers and booleans as written,
 * null or absent empty. */
static int
csv_row(struct ctx *x, struct fo_out *o, const struct fo_buf *out,
    struct fo_err *e)
{
	struct fo_span sp;
	size_t i;
	int t, r;

	if ((r = fo_rec_parse(&x->rec, out->p, out->n, e)) != FO_OK)
		return r;
	fo_buf_reset(&x->row);
	for (i = 0; i < NCSV; i++) {
		if (i)
			fo_buf_putc(&x->row, ',');
		t = fo_rec_find(&x->rec, strcmp(csv_cols[i], "reason") == 0 ?
		    "reasons" : csv_cols[i]);
		if (t >= 0 && fo_rec_type(&x->rec, t) == FO_J_ARRAY)
			t = fo_rec_size(&x->rec, t) > 0 ? t + 1 : -1;
		if (t < 0)
			continue;
		if (fo_rec_type(&x->rec, t) == FO_J_STRING) {
			fo_buf_reset(&x->val);
			if (fo_rec_str(&x->rec, t, &x->val) != FO_OK)
				return FO_ENOMEM;
			fo_csv_cell(&x->row, x->val.p ? x->val.p : "",
			    x->val.n, 1);
			continue;
		}
		sp = fo_rec_span(&x->rec, t);
		if (fo_rec_type(&x->rec, t) == FO_J_PRIMITIVE &&
		    !(sp.n == 4 && memcmp(sp.p, "null", 4) == 0))
			fo_csv_cell(&x->row, sp.p, sp.n, 0);
	}
	fo_buf_puts(&x->row, "\r\n");
	if (x->row.oom || x->val.oom)
		return FO_ENOMEM;
	fo_out_put(o, x->row.p, x->row.n);
	return FO_OK;
}

/* One record: routed (and copied to its queue's split file), or
 * FO_EMPTY for one that is no exception. */
static int
route_one(void *ctx, const struct fo_rec *rec, const char *file, long line,
    struct fo_buf *out, struct fo_err *e)
{
	struct ctx *x = ctx;
	size_t q;
	int r;

	(void)file;
	(void)line;
	r = fo_route_rec(x->rules, rec, &x->as_of, out, &q, e);
	if (r == FO_OK && x->split && x->csv)
		return csv_row(x, &x->split[q], out, e);
	if (r == FO_OK && x->split) {
		fo_out_put(&x->split[q], out->p, out->n);
		fo_out_put(&x->split[q], "\n", 1);
	}
	return r;
}

/* One file per queue, every queue of the policy (an empty file says
 * "nothing tonight": yesterday's must not stay), in a new set of dir
 * that the run's close switches in with its other outputs. FO_OK or
 * FO_EIO. */
static int
split_open(struct ctx *x, const char *dir, long wait)
{
	struct fo_err e;
	char name[FO_QUEUE_MAX + 8], *path;
	size_t i, n = fo_route_nqueue(x->rules);
	int r;

	struct fo_errs notes;

	r = fo_outdir_open(&x->dir, dir, wait, &e);
	fo_out_notes(&notes);	/* what killed runs left, removed */
	fo_warn_errs(PROG, &notes);
	if (r != FO_OK) {
		fo_warn(PROG, &e);
		return FO_EIO;
	}
	x->run.dir = &x->dir;
	if ((x->split = calloc(n + 1, sizeof *x->split)) == NULL) {
		fo_warnx(PROG, "out of memory");
		return FO_EIO;
	}
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "%s.%s",
		    fo_route_queue(x->rules, i), x->csv ? "csv" : "ndjson");
		if ((path = fo_outdir_file(&x->dir, name)) == NULL) {
			fo_warnx(PROG, "out of memory");
			return FO_EIO;
		}
		if (fo_out_atomic(&x->split[i], path, &e) != FO_OK) {
			free(path);
			fo_warn(PROG, &e);
			return FO_EIO;
		}
		free(path);
		x->run.extra = x->split;
		x->run.nextra = i + 1;
		if (x->csv) {
			size_t k;

			for (k = 0; k < NCSV; k++) {
				fo_out_put(&x->split[i], k ? "," : "", k ? 1 : 0);
				fo_out_put(&x->split[i], csv_cols[k],
				    strlen(csv_cols[k]));
			}
			fo_out_put(&x->split[i], "\r\n", 2);
		}
	}
	return FO_OK;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "as-of", required_argument, NULL, 'A' },
		{ "format", required_argument, NULL, 'F' },
		{ "explain-rules", no_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ "no-native", no_argument, NULL, 'N' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "rejects", required_argument, NULL, 'j' },
		{ "rule-budget", required_argument, NULL, 'B' },
		{ "rules", required_argument, NULL, 'r' },
		{ "split", required_argument, NULL, 'S' },
		{ "version", no_argument, NULL, 'V' },
		{ "wait", required_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctx x;
	struct fo_out rej;
	struct fo_errs errs = { 0 };
	struct fo_err e;
	struct fo_main m = { PROG, usage, help, NULL, NULL, NULL, NULL, 0 };
	const char *split = NULL;
	char rbuf[4096];
	long wait = 0;
	char *end;
	int ch, explain = 0, failed = 0, status;

	memset(&x, 0, sizeof x);
	x.run.prog = PROG;
	fo_rec_init(&x.rec);
	while ((ch = getopt_long(argc, argv, "ho:qr:V", longopts, NULL)) != -1) {
		switch (ch) {
		case 'B':
			if (fo_expr_budget_parse(optarg, &e) != FO_OK) {
				fo_warnx(PROG, "%s", e.msg);
				return FO_EXIT_USAGE;
			}
			break;
		case 'E':
			explain = 1;
			break;
		case 'F':
			if (strcmp(optarg, "csv") == 0)
				x.csv = 1;
			else if (strcmp(optarg, "ndjson") == 0)
				x.csv = 0;
			else {
				fo_warnx(PROG, "--format '%s': ndjson or csv",
				    optarg);
				return FO_EXIT_USAGE;
			}
			break;
		case 'N':
			fo_jq_native(0);
			break;
		case 'S':
			split = optarg;
			break;
		case 'W':
			errno = 0;
			wait = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || wait < 0 ||
			    wait > 86400) {
				fo_warnx(PROG, "--wait '%s': seconds, 0 to 86400",
				    optarg);
				return FO_EXIT_USAGE;
			}
			break;
		default:
			if ((status = fo_main_opt(&m, ch, optarg)) !=
			    FO_MAIN_NEXT)
				return status;
		}
	}
	argc -= optind;
	argv += optind;
	x.run.quiet = m.quiet;

	if (x.csv && split == NULL) {
		fo_warnx(PROG, "--format is the --split files' format: it "
		    "needs --split");
		usage(stderr);
		return FO_EXIT_USAGE;
	}
	/* the whole policy is checked before any record is read */
	if (m.rules == NULL)
		m.rules = fo_rules_file(FO_RULESDIR, "route.yaml", rbuf,
		    sizeof rbuf);
	if (fo_route_load(m.rules, &x.rules, &errs) != FO_OK) {
		fo_warn_errs(PROG, &errs);
		return FO_EXIT_USAGE;
	}
	if (explain) {
		status = fo_explain(PROG, fo_route_jq(x.rules), x.run.quiet);
		fo_route_free(x.rules);
		return status;
	}
	if (fo_asof_get(m.asof, &x.as_of, &e) != FO_OK) {
		fo_warnx(PROG, "%s", e.msg);
		fo_route_free(x.rules);
		return FO_EXIT_USAGE;
	}
	if (fo_run_open(&x.run, &x.out, m.output, &rej, m.rejects) != FO_OK) {
		status = FO_EXIT_SYSTEM;
		goto done;
	}
	if (split && split_open(&x, split, wait) != FO_OK) {
		failed = 1;
		goto finish;
	}
	if (fo_stage_files(&x.run, argc, argv, route_one, &x, &x.out) !=
	    FO_OK)
		failed = 1;
	/* every output, the --split set with them, or none */
finish:
	status = fo_run_close(&x.run, &x.out, failed);
	if (split)
		fo_outdir_abort(&x.dir);	/* committed or not: freed */
	free(x.split);
done:
	if (FO_TEARDOWN) {	/* else exit gives it all back at once */
		fo_route_free(x.rules);
		fo_rec_free(&x.rec);
		fo_buf_free(&x.row);
		fo_buf_free(&x.val);
	}
	return status;
}
