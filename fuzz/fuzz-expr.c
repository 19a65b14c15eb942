/*
 * fuzz-expr.c - libFuzzer target for expr.c: the input is an expression
 * and a record, split at the first newline. Whatever compiles is run
 * on whatever parses, as a condition and as a fragment, twice with the
 * same scratch (the second run must say the same): never a crash, a
 * leak or a hang, as the bounds in expr.c turn runaway work into an
 * error result (FO_ERR, as a rule over its budget). The expression is
 * also a rule set of one, planned: the plan may leave it out only when
 * the condition is not true, and when it judged its guard whole, the
 * condition run as planned (clauses the plan found true not run again)
 * says what the guarded run says. The set holds the expression twice,
 * so that a condition reading one or two fields makes a verdict group
 * (fo_xplan_cond): each member, asked twice (the second time from the
 * kept verdict), says what the condition says alone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct fo_jqparam par[] = {
	{ "s", "a|b", 0 },
	{ "n", "2", 1 },
	{ "re", "^x", 0 },
};

static struct fo_rec rec;
static struct fo_buf a, b;
static struct fo_xrun *xr;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	const char *nl = memchr(data, '\n', n);
	struct fo_expr *x;
	const struct fo_expr *cx[2];
	struct fo_xplan *plan;
	struct fo_err e;
	uint64_t may[2];
	char *src;
	size_t sn, i;
	int c1, c2, f1, f2, judged;

	if (xr == NULL && (xr = fo_xrun_new()) == NULL)
		abort();
	sn = nl ? (size_t)(nl - (const char *)data) : n;
	if ((src = malloc(sn + 1)) == NULL)
		return 0;
	memcpy(src, data, sn);
	src[sn] = '\0';
	if (fo_expr_new(&x, src, par, 3, &e) != FO_OK) {
		free(src);
		return 0;
	}
	if (nl == NULL || fo_rec_parse(&rec, nl + 1,
	    n - sn - 1, NULL) != FO_OK) {
		fo_expr_free(x);
		free(src);
		return 0;
	}
	fo_buf_reset(&a);
	fo_buf_reset(&b);
	/* a bound reached (runaway work: a string repeated 1e400 times) is
	 * FO_ERR, the rule's error result, the same on both runs; anything
	 * else but FO_OK is a bug */
	c1 = fo_expr_cond(x, xr, &rec);
	f1 = fo_expr_frag(x, xr, &rec, &a);
	c2 = fo_expr_cond(x, xr, &rec);
	f2 = fo_expr_frag(x, xr, &rec, &b);
	if ((c1 < 0 && c1 != FO_ERR) || (f1 != FO_OK && f1 != FO_ERR) ||
	    c1 != c2 || f1 != f2 || a.n != b.n || memcmp(a.p, b.p, a.n) != 0)
		abort();
	cx[0] = cx[1] = x;
	if (fo_xplan_new(&plan, cx, 2) == FO_OK) {
		fo_xrun_record(xr, &rec);
		judged = fo_xplan_may(plan, xr, &rec, may);
		if (!(may[0] & 1) && c1 == 1)
			abort();	/* left out, and true */
		if (judged && (may[0] & 1) && (fo_xplan_whole(plan)[0] & 1) &&
		    fo_expr_cond_planned(x, xr, &rec) != c1)
			abort();	/* the plan's verdict otherwise */
		for (i = 0; i < 4; i++)
			if (fo_xplan_cond(plan, i % 2, x, xr, &rec, 0) != c1)
				abort();	/* the group's verdict otherwise */
		fo_xplan_free(plan);
	}
	fo_expr_free(x);
	free(src);
	return 0;
}
