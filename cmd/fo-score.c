/*
 * fo-score - how much each exception matters: a priority from 0 to 100,
 * its band, and the points of every factor that make it up.
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

#define PROG "fo-score"

struct ctx {
	struct fo_score *model;
	struct fo_rates *rates;
	struct fo_vendors *vendors;
	struct fo_route *sla;	/* route.yaml, for sla_risk's SLAs */
	struct fo_run run;
	struct fo_out out;
};

/* --help: one line an option, in the order of the manual's list. */
static const struct fo_opthelp help[] = {
	{ "--as-of date", "score as of YYYY-MM-DD ($FO_AS_OF, else today)" },
	{ "-h, --help", "this help" },
	{ "-o, --output file", "records to file, whole or not at all" },
	{ "-q, --quiet", "no progress or summary line" },
	{ "-r, --rules rules", "the model file, not $FO_RULES/score.yaml" },
	{ "--rates file", "exchange rates to the base currency" },
	{ "--rejects file", "every rejected line to file, as reject records" },
	{ "--vendors file", "the vendor master, by vendor_id (CSV or NDJSON)" },
	{ "-V, --version", "print the version" },
	{ NULL, NULL }
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s [-hqV] [-o file] [-r rules] [--as-of date] "
	    "[--rates file]\n                [--rejects file] [--vendors file] "
	    "[file ...]\n", PROG);
}

/* One record: scored, or FO_EMPTY for one that is no exception. */
static int
score_one(void *ctx, const struct fo_rec *rec, const char *file, long line,
    struct fo_buf *out, struct fo_err *e)
{
	struct ctx *x = ctx;

	(void)file;
	(void)line;
	return fo_score_rec(x->model, rec, out, e);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "as-of", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "rates", required_argument, NULL, 'R' },
		{ "rejects", required_argument, NULL, 'j' },
		{ "rules", required_argument, NULL, 'r' },
		{ "vendors", required_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctx x;
	struct fo_out rej;
	struct fo_errs errs = { 0 };
	struct fo_main m = { PROG, usage, help, NULL, NULL, NULL, NULL, 0 };
	const char *rates = NULL, *vendors = NULL;
	char rbuf[4096], sbuf[4096];
	struct fo_asof day;
	struct fo_err e;
	int ch, bad = 0, status;

	memset(&x, 0, sizeof x);
	x.run.prog = PROG;
	while ((ch = getopt_long(argc, argv, "ho:qr:V", longopts, NULL)) != -1) {
		switch (ch) {
		case 'R':
			rates = optarg;
			break;
		case 'v':
			vendors = optarg;
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

	/* the day: --as-of, FO_AS_OF, else today in UTC */
	if (fo_asof_get(m.asof, &day, &e) != FO_OK) {
		fo_warnx(PROG, "%s", e.msg);
		return FO_EXIT_USAGE;
	}

	/* the model, the rates and the vendor master, all checked, every
	 * mistake reported, before any record is read */
	if (m.rules == NULL)
		m.rules = fo_rules_file(FO_RULESDIR, "score.yaml", rbuf,
		    sizeof rbuf);
	if (fo_score_load(m.rules, &x.model, &errs) != FO_OK)
		bad = 1;
	if (rates && fo_rates_load(rates, x.model ? fo_score_base(x.model) :
	    NULL, &x.rates, &errs) != FO_OK)
		bad = 1;
	if (vendors && fo_vendors_load(vendors, &x.vendors, &errs) != FO_OK)
		bad = 1;
	/* the SLAs are fo-route's: one table for both (fo-rules(5)) */
	if (x.model && fo_score_uses_sla(x.model) &&
	    fo_route_load(fo_rules_file(FO_RULESDIR, "route.yaml", sbuf,
	    sizeof sbuf), &x.sla, &errs) != FO_OK)
		bad = 1;
	fo_warn_errs(PROG, &errs);
	if (bad) {
		status = FO_EXIT_USAGE;
		goto done;
	}
	fo_score_use(x.model, x.rates, x.vendors, day.day);
	fo_score_sla(x.model, x.sla, &day);
	if (fo_run_open(&x.run, &x.out, m.output, &rej, m.rejects) != FO_OK) {
		status = FO_EXIT_SYSTEM;
		goto done;
	}
	status = FO_EXIT_OK;
	if (fo_stage_files(&x.run, argc, argv, score_one, &x, &x.out) != FO_OK)
		status = FO_EXIT_SYSTEM;
	if (!x.run.quiet && fo_score_norate(x.model) > 0)
		fo_warnx(PROG, "%ld exception%s without a rate to %s: scored "
		    "with the amount factor unknown", fo_score_norate(x.model),
		    fo_score_norate(x.model) == 1 ? "" : "s",
		    fo_score_base(x.model));
	status = fo_run_close(&x.run, &x.out, status == FO_EXIT_SYSTEM);
done:
	if (FO_TEARDOWN) {	/* else exit gives it all back at once */
		fo_route_free(x.sla);
		fo_vendors_free(x.vendors);
		fo_rates_free(x.rates);
		fo_score_free(x.model);
	}
	return status;
}
