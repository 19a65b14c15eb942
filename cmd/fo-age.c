/*
 * fo-age - how long each exception has been open, as of a date, on an
 * explicit basis: per record (-a) or as an aging report by group and
 * bucket with exact sums per currency; partial reports merge byte for
 * byte (map/reduce).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fo.h"

#define PROG "fo-age"
#define MAXGROUPS 16

struct ctx {
	struct fo_age *age;
	struct fo_run run;
	struct fo_out out;
	int annotate, merge;
};

/* --help: one line an option, in the order of the manual's list. */
static const struct fo_opthelp help[] = {
	{ "-a, --annotate", "each record with its age, not a report" },
	{ "--as-of date", "as of a day or instant ($FO_AS_OF, else today)" },
	{ "--basis basis", "age from the hold, doc, due or posting date" },
	{ "--buckets list", "bucket bounds in days, e.g. 0,30,60,90" },
	{ "--decisions file", "with --prev: who resolved what, and how" },
	{ "-f, --format format", "the report as ndjson, csv, table, html or xlsx" },
	{ "-g, --group field,...", "group by these fields (at most 16)" },
	{ "-h, --help", "this help" },
	{ "--merge", "merge partial reports" },
	{ "--number-style style", "html: 1,234.56 1.234,56 '1 234,56' 1'234.56" },
	{ "-o, --output file", "write to file, whole or not at all" },
	{ "--partial", "a partial report, for --merge" },
	{ "--prev file", "last night's records: new, carried, resolved" },
	{ "-q, --quiet", "no progress or summary line" },
	{ "-r, --rules file", "the policy file, not $FO_RULES/age.yaml" },
	{ "--resolved file", "with --prev: last night's resolution history" },
	{ "--resolved-out file", "with --prev: tonight's, written there" },
	{ "--top n", "html: the worklist's n highest priorities (25)" },
	{ "--trend dir", "the backlog per night of dir's snapshots" },
	{ "--rejects file", "every rejected line to file, as reject records" },
	{ "-V, --version", "print the version" },
	{ NULL, NULL }
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s [-ahqV] [-f ndjson|csv|table|html|xlsx] "
	    "[-g field,...] [-o file]\n              [-r rules] [--as-of date] "
	    "[--basis hold|doc|due|posting]\n"
	    "              [--buckets list] [--prev file] [--resolved file]\n"
	    "              [--resolved-out file] [--decisions file] "
	    "[--trend dir]\n"
	    "              [--partial | --merge] [--number-style style] "
	    "[--top n]\n"
	    "              [--rejects file] [file ...]\n", PROG);
}

static int
age_one(void *ctx, const struct fo_rec *rec, const char *file, long line,
    struct fo_buf *out, struct fo_err *e)
{
	struct ctx *x = ctx;

	(void)file;
	(void)line;
	if (x->merge)
		return fo_age_merge_rec(x->age, rec, e);
	return fo_age_rec(x->age, rec, x->annotate, out, e);
}

/* The workbook beside path, then renamed over it: whole or not at all. */
static int
write_xlsx(struct fo_age *a, const char *path)
{
	struct fo_err e;
	char *tmp;
	mode_t m;
	int fd;

	fo_err_clear(&e);
	if ((tmp = malloc(strlen(path) + 16)) == NULL)
		return FO_ENOMEM;
	sprintf(tmp, "%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		fo_warnx(PROG, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return FO_EIO;
	}
	m = umask(0);
	umask(m);
	if (fchmod(fd, 0666 & ~m) != 0 || close(fd) != 0) {
		fo_warnx(PROG, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (fo_age_write_xlsx(a, tmp, &e) != FO_OK) {
		fo_warnx(PROG, "%s: %s", path, e.msg);
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		fo_warnx(PROG, "%s: %s", path, strerror(errno));
		goto fail;
	}
	free(tmp);
	return FO_OK;
fail:
	unlink(tmp);
	free(tmp);
	return FO_EIO;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "annotate", no_argument, NULL, 'a' },
		{ "as-of", required_argument, NULL, 'A' },
		{ "basis", required_argument, NULL, 'B' },
		{ "buckets", required_argument, NULL, 'K' },
		{ "decisions", required_argument, NULL, 'D' },
		{ "format", required_argument, NULL, 'f' },
		{ "group", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ "merge", no_argument, NULL, 'M' },
		{ "number-style", required_argument, NULL, 'N' },
		{ "output", required_argument, NULL, 'o' },
		{ "partial", no_argument, NULL, 'P' },
		{ "prev", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "rejects", required_argument, NULL, 'j' },
		{ "resolved", required_argument, NULL, 'R' },
		{ "resolved-out", required_argument, NULL, 'S' },
		{ "rules", required_argument, NULL, 'r' },
		{ "top", required_argument, NULL, 'T' },
		{ "trend", required_argument, NULL, 'W' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctx x;
	struct fo_age_cfg cfg;
	struct fo_out rej;
	struct fo_errs errs = { 0 };
	struct fo_err e;
	enum fo_age_fmt fmt = FO_AGE_NDJSON;
	struct fo_main m = { PROG, usage, help, NULL, NULL, NULL, NULL, 0 };
	const char *basis = NULL, *buckets = NULL, *prev = NULL;
	const char *resolved = NULL, *resolved_out = NULL, *decisions = NULL;
	const char *trend = NULL;
	struct fo_out hist;
	int trend_only;
	char rbuf[4096], *groups[MAXGROUPS], *gcopy = NULL, *p;
	size_t ngroups = 0;
	struct fo_asof day;
	int ch, partial = 0, status, style = 0;
	long top = 25;
	char *end;

	memset(&x, 0, sizeof x);
	x.run.prog = PROG;
	while ((ch = getopt_long(argc, argv, "af:g:ho:qr:V", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			x.annotate = 1;
			break;
		case 'B':
			basis = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "ndjson") == 0)
				fmt = FO_AGE_NDJSON;
			else if (strcmp(optarg, "csv") == 0)
				fmt = FO_AGE_CSV;
			else if (strcmp(optarg, "table") == 0)
				fmt = FO_AGE_TABLE;
			else if (strcmp(optarg, "html") == 0)
				fmt = FO_AGE_HTML;
			else if (strcmp(optarg, "xlsx") == 0)
				fmt = FO_AGE_XLSX;
			else {
				fo_warnx(PROG, "-f '%s': ndjson, csv, table, html "
				    "or xlsx",
				    optarg);
				return FO_EXIT_USAGE;
			}
			break;
		case 'g':
			free(gcopy);
			if ((gcopy = strdup(optarg)) == NULL)
				return FO_EXIT_SYSTEM;
			for (ngroups = 0, p = strtok(gcopy, ","); p;
			    p = strtok(NULL, ",")) {
				if (ngroups == MAXGROUPS) {
					fo_warnx(PROG, "-g: at most %d fields",
					    MAXGROUPS);
					return FO_EXIT_USAGE;
				}
				groups[ngroups++] = p;
			}
			break;
		case 'D':
			decisions = optarg;
			break;
		case 'K':
			buckets = optarg;
			break;
		case 'R':
			resolved = optarg;
			break;
		case 'S':
			resolved_out = optarg;
			break;
		case 'W':
			trend = optarg;
			break;
		case 'M':
			x.merge = 1;
			break;
		case 'N':
			if (fo_age_numstyle_parse(optarg, &style) != FO_OK) {
				fo_warnx(PROG, "--number-style '%s': 1,234.56, "
				    "1.234,56, '1 234,56' or 1'234.56", optarg);
				return FO_EXIT_USAGE;
			}
			break;
		case 'T':
			errno = 0;
			top = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || top < 0 ||
			    top > 1000000) {
				fo_warnx(PROG, "--top '%s': a whole number, 0 to "
				    "1000000", optarg);
				return FO_EXIT_USAGE;
			}
			break;
		case 'P':
			partial = 1;
			break;
		case 'p':
			prev = optarg;
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
	if (fmt == FO_AGE_XLSX && !partial && (m.output == NULL ||
	    x.annotate)) {
		fo_warnx(PROG, "-f xlsx writes a workbook: it needs -o file, "
		    "and is a report (not -a)");
		usage(stderr);
		free(gcopy);
		return FO_EXIT_USAGE;
	}
	if ((partial && x.merge) || (x.annotate && (partial || x.merge)) ||
	    (prev && (partial || x.merge))) {
		fo_warnx(PROG, "-a, --partial and --merge exclude each other; "
		    "--prev needs the whole night in one run");
		usage(stderr);
		free(gcopy);
		return FO_EXIT_USAGE;
	}
	if (!prev && (resolved || resolved_out || decisions)) {
		fo_warnx(PROG, "--resolved, --resolved-out and --decisions "
		    "need --prev");
		usage(stderr);
		free(gcopy);
		return FO_EXIT_USAGE;
	}
	if (decisions && x.annotate) {
		fo_warnx(PROG, "--decisions is for a report, not -a");
		usage(stderr);
		free(gcopy);
		return FO_EXIT_USAGE;
	}
	/* --trend: the backlog alone, or drawn on the page */
	trend_only = trend && fmt != FO_AGE_HTML;
	if (trend && (x.annotate || partial || x.merge || fmt == FO_AGE_XLSX ||
	    (trend_only && (prev || argc > 0)))) {
		fo_warnx(PROG, "--trend writes the backlog as ndjson, csv or "
		    "table, from the snapshots alone, or draws it on the page "
		    "(-f html): not with -a, --partial, --merge, -f xlsx, nor "
		    "with --prev or records but for -f html");
		usage(stderr);
		free(gcopy);
		return FO_EXIT_USAGE;
	}

	/* the policy, then the command line over it */
	if (m.rules == NULL)
		m.rules = fo_rules_file(FO_RULESDIR, "age.yaml", rbuf,
		    sizeof rbuf);
	/* a merge takes basis, buckets and groups from its partials */
	if (x.merge) {
		cfg.basis = FO_AGE_HOLD;
		(void)fo_age_buckets_parse("0,30,60,90", &cfg);
	} else if (fo_age_load(m.rules, &cfg, &errs) != FO_OK) {
		fo_warn_errs(PROG, &errs);
		free(gcopy);
		return FO_EXIT_USAGE;
	}
	if ((basis && fo_age_basis_parse(basis, &cfg.basis) != FO_OK) ||
	    (buckets && fo_age_buckets_parse(buckets, &cfg) != FO_OK)) {
		fo_warnx(PROG, basis && fo_age_basis_parse(basis, &cfg.basis) ?
		    "--basis '%s': hold, doc, due or posting" :
		    "--buckets '%s': 1 to 16 ascending whole days "
		    "(at most 36500), e.g. 0,30,60,90",
		    basis && fo_age_basis_parse(basis, &cfg.basis) ? basis :
		    buckets);
		free(gcopy);
		return FO_EXIT_USAGE;
	}
	if (fo_asof_get(m.asof, &day, &e) != FO_OK) {
		fo_warnx(PROG, "%s", e.msg);
		free(gcopy);
		return FO_EXIT_USAGE;
	}
	if ((x.age = fo_age_new(&cfg, day.day, day.at, day.text, groups,
	    ngroups)) == NULL) {
		fo_warnx(PROG, "out of memory");
		free(gcopy);
		return FO_EXIT_SYSTEM;
	}
	free(gcopy);
	if (fmt == FO_AGE_HTML || fmt == FO_AGE_XLSX)
		fo_age_keep(x.age, (int)top, style);
	if ((prev && (status = fo_age_prev_load(x.age, prev, &e)) !=
	    FO_OK) || (resolved && (status = fo_age_resolved_load(x.age,
	    resolved, &e)) != FO_OK) || (trend &&
	    (status = fo_age_trend_load(x.age, trend, &e)) != FO_OK)) {
		if (status == FO_ENOMEM)
			fo_warnx(PROG, "out of memory");
		else
			fo_warn(PROG, &e);
		fo_age_free(x.age);
		return status == FO_ERR ? FO_EXIT_USAGE : FO_EXIT_SYSTEM;
	}
	if (decisions && (status = fo_age_decisions_load(x.age, decisions,
	    &errs)) != FO_OK) {
		fo_warn_errs(PROG, &errs);
		fo_age_free(x.age);
		return status == FO_ERR ? FO_EXIT_USAGE : FO_EXIT_SYSTEM;
	}
	/* -f xlsx: the workbook is written beside its file, not through out */
	if (fo_run_open(&x.run, &x.out, fmt == FO_AGE_XLSX && !partial ? NULL :
	    m.output, &rej, m.rejects) != FO_OK) {
		fo_age_free(x.age);
		return FO_EXIT_SYSTEM;
	}
	/* the history, known writable before the work */
	if (resolved_out && fo_out_atomic(&hist, resolved_out, &e) != FO_OK) {
		fo_warn(PROG, &e);
		fo_age_free(x.age);
		fo_run_close(&x.run, &x.out, 1);
		return FO_EXIT_SYSTEM;
	}
	status = FO_EXIT_OK;
	if (trend_only) {
		x.run.quiet = 1;
		if (fo_age_trend_write(x.age, fmt, fo_out_buf(&x.out)) !=
		    FO_OK) {
			fo_warnx(PROG, "out of memory");
			status = FO_EXIT_SYSTEM;
		}
		fo_out_done(&x.out);
		goto close;
	}
	/* a report reads every record first: they go nowhere */
	if (fo_stage_files(&x.run, argc, argv, age_one, &x, x.annotate ?
	    &x.out : NULL) != FO_OK)
		status = FO_EXIT_SYSTEM;
	if (resolved_out) {	/* committed with the run's outputs */
		if (status != FO_EXIT_OK)
			fo_out_abort(&hist);
		else if (fo_age_resolved_write(x.age, fo_out_buf(&hist)) !=
		    FO_OK) {
			fo_warnx(PROG, "out of memory");
			fo_out_abort(&hist);
			status = FO_EXIT_SYSTEM;
		} else {
			fo_out_done(&hist);
			x.run.extra = &hist;
			x.run.nextra = 1;
		}
	}
	if (!x.annotate) {
		if (status == FO_EXIT_OK && fmt == FO_AGE_XLSX && !partial) {
			if (write_xlsx(x.age, m.output) != FO_OK)
				status = FO_EXIT_SYSTEM;
		} else if (status == FO_EXIT_OK) {
			if (fo_age_write_out(x.age, fmt, partial, &x.out) !=
			    FO_OK) {
				fo_warnx(PROG, "out of memory");
				status = FO_EXIT_SYSTEM;
			}
		}
	}
close:
	status = fo_run_close(&x.run, &x.out, status == FO_EXIT_SYSTEM);
	fo_age_free(x.age);
	return status;
}
