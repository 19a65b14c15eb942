/*
 * jqprog.c - the jq conditions of a policy, and the facts its reasons
 * quote. Each expression the native evaluator (expr.c) takes runs there,
 * on the record's tokens, only when asked for: fo-route stops at the
 * first matching rule, and a fragment is computed only for a reason that
 * is written. The rest goes to libjq, compiled into at most two programs
 * (each jq_compile re-reads jq's builtins, tens of milliseconds, so never
 * one per rule):
 *   A: [ rule, ... ] for the rules whose condition needs jq, each null
 *      when the rule does not match, else the array of all its reason
 *      fragments; run on every record, as jq's verdict is needed anyway;
 *   B: [ [frag, ...], ... ] the fragments jq must compute for rules
 *      whose condition is native; run only when one of them is asked for.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>
#include <jv.h>

#include "fo.h"

#ifndef FO_SONAME_JQ
#error "FO_SONAME_JQ: the soname of libjq (the Makefile passes it)"
#endif
_Static_assert(sizeof FO_SONAME_JQ > 1, "FO_SONAME_JQ is empty");

/*
 * libjq is not linked but opened (lib/core/dl.c) when the first program
 * is compiled: with the shipped rules every expression is native, and
 * mapping libjq (and libm after it) was a twentieth of fo-classify's
 * start-up. Every call goes through this table.
 */
#define JQ_FUNCS \
	X(jq_compile_args) X(jq_format_error) X(jq_init) X(jq_next) \
	X(jq_set_error_cb) X(jq_start) X(jq_teardown) X(jv_array_get) \
	X(jv_array_length) X(jv_copy) X(jv_free) X(jv_get_kind) \
	X(jv_invalid_get_msg) X(jv_invalid_has_msg) X(jv_null) \
	X(jv_object) X(jv_object_set) X(jv_parse) X(jv_parse_sized) \
	X(jv_string) X(jv_string_value)

#define X(f) __typeof__(f) *f;
static struct {
	JQ_FUNCS
} jqlib;
#undef X

/* jv.h's jv_is_valid, which calls jv_get_kind itself */
static int
jv_valid(jv v)
{
	return jqlib.jv_get_kind(v) != JV_KIND_INVALID;
}

int
fo_jq_lib(const char *file, struct fo_err *e)
{
	static const char so[] = FO_SONAME_JQ;
	static int done;
	void *h;

	if (done)
		return FO_OK;
	if ((h = fo_dl_open(file, so, "the expressions libjq runs", e)) ==
	    NULL)
		return FO_EIO;
#define X(f) \
	if ((jqlib.f = (__typeof__(jqlib.f))fo_dl_sym(h, file, so, #f, \
	    e)) == NULL) { \
		fo_dl_close(h); \
		return FO_EIO; \
	}
	JQ_FUNCS
#undef X
	done = 1;
	return FO_OK;
}

/* Where one expression runs. */
struct item {
	struct fo_expr *x;	/* native, else NULL */
	char *why;		/* why not native (owned), NULL when it is */
	int slot;		/* its place in program A or B, -1 */
	int state;		/* this record: -1 not yet, else cond 0/1, */
	size_t off;		/* or frag 1 with its offset in q->frags */
	unsigned long gen;	/* the record state is of (fo_jq->gen) */
	int when;		/* cond: the rule has a condition */
};

struct prog {			/* one libjq program */
	jq_state *jq;
	int live;		/* res set: libjq is loaded */
	jv res;			/* its result for this record */
	int ran;		/* on this record */
	size_t n;		/* elements of its result */
	struct fo_buf text;
};

struct fo_jq {
	const char *file;
	jv args;		/* the params: {name: value}, */
	int have_args;		/* made with the first program */
	const struct fo_jqparam *par;	/* while fo_jq_new runs */
	size_t npar;
	size_t n;
	struct item *cond;	/* [n] */
	struct item **frag;	/* [n][nfrag] */
	size_t *nfrag;
	int *bslot;		/* [n] a rule's place in program B, -1 */
	char **id;		/* [n] rule ids, for --explain-rules */
	struct prog a, b;
	struct fo_xrun *xr;
	struct fo_xplan *plan;	/* the native conditions, indexed */
	uint64_t *may;		/* this record: the rules it may match */
	int judged;		/* the plan judged this record */
	const struct fo_rec *rec;	/* the record of this run */
	struct fo_buf frags;	/* computed fragments, NUL-separated */
	struct fo_buf err;	/* jq's first message */
	struct fo_buf clean;	/* the record as jq can read it */
	unsigned long gen;	/* this record's number: older states are -1 */
	int oom;
	size_t over;		/* 1 + the rule over the budget, or 0 */
	int over_frag;		/* 1 + its fragment, or 0: its when */
};

#define JQ_MAX_ERRORS 100	/* as the YAML loader stops at */

/*
 * libjq 1.6's parser loses the text of a string it is lexing when the
 * program ends inside it ('."x', '"a\(1' ...): 21 bytes or so, once per
 * refused rules file, in a tool that is about to exit. Not ours to fix,
 * but LeakSanitizer (check-asan, the fuzzers) would report it, so under
 * it what jq_compile allocates, and only that, is not counted.
 */
#if FO_ASAN
void	__lsan_disable(void);
void	__lsan_enable(void);
#endif

static int native_on = 1;

void
fo_jq_native(int on)
{
	native_on = on;
}

static void
jq_message(void *data, jv msg)
{
	struct fo_buf *b = data;

	msg = jqlib.jq_format_error(msg);
	if (jqlib.jv_get_kind(msg) == JV_KIND_STRING) {
		const char *s = jqlib.jv_string_value(msg);
		const char *nl = strchr(s, '\n');

		/* the first error is the one that says what is wrong; its
		 * place is ours to say, not jq's (a line of the wrapper) */
		if (b->n == 0) {
			const char *cut[] = { " (Unix shell", " at <top-level>" };
			size_t n, k;

			if (strncmp(s, "jq: error: ", 11) == 0)
				s += 11;
			n = nl ? (size_t)(nl - s) : strlen(s);
			for (k = 0; k < 2; k++) {
				const char *x = strstr(s, cut[k]);

				if (x && (size_t)(x - s) < n)
					n = (size_t)(x - s);
			}
			fo_buf_put(b, s, n);
		}
	}
	jqlib.jv_free(msg);
}

int
fo_jq_leaky(const char *s)
{
	static const char *const bad[] = { "index", "rindex", "indices" };
	const char *p, *w;
	size_t i, n;

	for (p = s; *p; p++) {
		if (*p == '"') {	/* skip the string, escapes and all */
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p == '\0')
				break;
			continue;
		}
		if (!isalpha((unsigned char)*p) || (p > s &&
		    (isalnum((unsigned char)p[-1]) || p[-1] == '_' ||
		    p[-1] == '$')))
			continue;
		for (w = p; isalnum((unsigned char)*w) || *w == '_'; w++)
			;
		n = (size_t)(w - p);
		for (i = 0; i < 3; i++)
			if (n == strlen(bad[i]) && strncmp(p, bad[i], n) == 0) {
				while (*w == ' ' || *w == '\t' || *w == '\n')
					w++;
				if (*w == '(')
					return 1;
			}
		p = w - 1;
	}
	return 0;
}

static jv
param_value(const struct fo_jqparam *p)
{
	jv v;

	if (p->plain) {
		v = jqlib.jv_parse(p->value);
		if (jv_valid(v) &&
		    jqlib.jv_get_kind(v) != JV_KIND_STRING &&
		    jqlib.jv_get_kind(v) != JV_KIND_ARRAY &&
		    jqlib.jv_get_kind(v) != JV_KIND_OBJECT)
			return v;
		jqlib.jv_free(v);
	}
	return jqlib.jv_string(p->value);
}

jv
fo_jq_args(const struct fo_jqparam *p, size_t n)
{
	jv args = jqlib.jv_object();
	size_t i;

	for (i = 0; i < n; i++)
		args = jqlib.jv_object_set(args, jqlib.jv_string(p[i].name),
		    param_value(&p[i]));
	return args;
}

/* One expression inside the program, so that a '#' comment or a pipe in
 * it cannot reach past its own parentheses. */
static void
put_expr(struct fo_buf *b, const char *expr)
{
	fo_buf_puts(b, "(\n");
	fo_buf_puts(b, expr);
	fo_buf_puts(b, "\n)");
}

void
fo_jq_put_cond(struct fo_buf *b, const char *when)
{
	fo_buf_puts(b, "(try ([first(");
	put_expr(b, when);
	fo_buf_puts(b, ")] | (length > 0 and (.[0] | . != null and . != "
	    "false))) catch false)");
}

void
fo_jq_put_frag(struct fo_buf *b, const char *expr)
{
	fo_buf_puts(b, "(try ([first(");
	put_expr(b, expr);
	fo_buf_puts(b, ")] | if length > 0 then (.[0] | if type == \"string\" "
	    "then . else tojson end) else \"?\" end) catch \"?\")");
}

/* All of a rule's fragments, as program A computes them. */
static void
put_frags(struct fo_buf *b, const struct fo_jqrule *r, const struct item *f,
    int all)
{
	size_t k;
	int first = 1;

	fo_buf_putc(b, '[');
	for (k = 0; k < r->nfrag; k++) {
		if (!all && f[k].x)
			continue;
		fo_buf_puts(b, first ? "" : ",");
		fo_jq_put_frag(b, r->frag[k]);
		first = 0;
	}
	fo_buf_putc(b, ']');
}

static int
compiles(struct fo_jq *q, jq_state *jq, const char *prog)
{
	int ok;

	fo_buf_reset(&q->err);
#if FO_ASAN
	__lsan_disable();
#endif
	ok = jqlib.jq_compile_args(jq, prog, jqlib.jv_copy(q->args));
#if FO_ASAN
	__lsan_enable();
#endif
	return ok;
}

/* One rule's element: null when it does not match, else all its
 * fragments; a rule decided elsewhere always has its fragments. */
static void
put_rule(struct fo_buf *b, const struct fo_jqrule *r)
{
	if (r->when == NULL) {
		put_frags(b, r, NULL, 1);
		return;
	}
	fo_buf_puts(b, "(if ");
	fo_jq_put_cond(b, r->when);
	fo_buf_puts(b, " then ");
	put_frags(b, r, NULL, 1);
	fo_buf_puts(b, " else null end)");
}

/* Rules lo..hi-1 alone, as in the whole program. */
static void
put_rules(struct fo_buf *b, const struct fo_jqrule *r, size_t lo, size_t hi)
{
	size_t i;

	fo_buf_putc(b, '[');
	for (i = lo; i < hi; i++) {
		fo_buf_puts(b, i > lo ? ",\n" : "\n");
		put_rule(b, &r[i]);
	}
	fo_buf_puts(b, "\n]");
}

/* Report the expressions of rules lo..hi-1 that jq refuses: halves that
 * compile are passed over whole, so a few mistakes among many rules cost
 * a few compiles each (one takes some 17 ms), not one per expression. */
static void
find_bad(struct fo_jq *q, jq_state *jq, const struct fo_jqrule *r, size_t lo,
    size_t hi, struct fo_buf *b, struct fo_errs *errs)
{
	size_t k;

	if (errs->n >= JQ_MAX_ERRORS)	/* enough to be going on with */
		return;
	if (hi - lo > 1) {
		fo_buf_reset(b);
		put_rules(b, r, lo, hi);
		if (compiles(q, jq, fo_buf_cstr(b)))
			return;
		find_bad(q, jq, r, lo, lo + (hi - lo) / 2, b, errs);
		find_bad(q, jq, r, lo + (hi - lo) / 2, hi, b, errs);
		return;
	}
	if (hi == lo)
		return;
	if (r[lo].when) {
		fo_buf_reset(b);
		fo_jq_put_cond(b, r[lo].when);
		if (!compiles(q, jq, fo_buf_cstr(b)))
			fo_errs_addf(errs, q->file, r[lo].line, r[lo].col,
			    "rule %s: when: %s", r[lo].id, fo_buf_cstr(&q->err));
	}
	for (k = 0; k < r[lo].nfrag; k++) {
		fo_buf_reset(b);
		fo_jq_put_frag(b, r[lo].frag[k]);
		if (!compiles(q, jq, fo_buf_cstr(b)))
			fo_errs_addf(errs, q->file, r[lo].fline, r[lo].fcol,
			    "rule %s: reason {=%s}: %s", r[lo].id,
			    r[lo].frag[k], fo_buf_cstr(&q->err));
	}
}

/* A program's libjq state, libjq opened and the params made first:
 * FO_OK, FO_EIO when libjq cannot be loaded (the reason in errs), or
 * FO_ENOMEM. */
static int
prog_init(struct fo_jq *q, struct prog *p, struct fo_errs *errs)
{
	struct fo_err e = { 0 };

	if (fo_jq_lib(q->file, &e) != FO_OK)
		return fo_errs_add(errs, &e) == FO_OK ? FO_EIO : FO_ENOMEM;
	if (!q->have_args) {
		q->args = fo_jq_args(q->par, q->npar);
		q->have_args = 1;
	}
	p->res = jqlib.jv_null();
	p->live = 1;
	if ((p->jq = jqlib.jq_init()) == NULL)
		return FO_ENOMEM;
	jqlib.jq_set_error_cb(p->jq, jq_message, &q->err);
	return FO_OK;
}

static void
prog_free(struct prog *p)
{
	if (p->jq)
		jqlib.jq_teardown(&p->jq);
	if (p->live) {
		jqlib.jv_free(p->res);
		p->res = jqlib.jv_null();
	}
	fo_buf_free(&p->text);
}

/* Try the native evaluator on one expression; why it cannot, if not. */
static int
try_native(struct item *it, const char *src, const struct fo_jqparam *p,
    size_t np)
{
	struct fo_err why = { 0 };
	int rc;

	it->slot = -1;
	it->state = -1;
	if (!native_on) {
		it->why = strdup("native evaluation turned off");
		return it->why ? FO_OK : FO_ENOMEM;
	}
	rc = fo_expr_new(&it->x, src, p, np, &why);
	if (rc == FO_OK || rc == FO_ENOMEM)
		return rc;
	it->x = NULL;
	if (why.col > 0 && (size_t)why.col <= strlen(src)) {
		const char *w = src + why.col - 1;
		char *s;
		size_t n = strlen(why.msg) + 64, wl = 0;

		/* name the word there: "function ...: limit" */
		while (w[wl] && wl < 24 && (isalnum((unsigned char)w[wl]) ||
		    w[wl] == '_' || (wl == 0 && (w[wl] == '$' || w[wl] == '@'))))
			wl++;
		if ((s = malloc(n)) == NULL)
			return FO_ENOMEM;
		if (wl > 0)
			snprintf(s, n, "%s: %.*s (column %ld)", why.msg, (int)wl, w,
			    why.col);
		else
			snprintf(s, n, "%s (column %ld)", why.msg, why.col);
		it->why = s;
	} else
		it->why = strdup(why.msg[0] ? why.msg : "not in the subset");
	return it->why ? FO_OK : FO_ENOMEM;
}

/* Decide where each expression runs, and build programs A and B. */
static int
split(struct fo_jq *q, const struct fo_jqrule *r, const struct fo_jqparam *p,
    size_t np)
{
	size_t i, k, na = 0, nb = 0;
	int rc, s;

	for (i = 0; i < q->n; i++) {
		q->bslot[i] = -1;
		q->nfrag[i] = r[i].nfrag;
		if ((q->frag[i] = calloc(r[i].nfrag + 1,
		    sizeof *q->frag[i])) == NULL)
			return FO_ENOMEM;
		q->cond[i].slot = -1;
		q->cond[i].state = -1;
		q->cond[i].when = r[i].when != NULL;
		if (r[i].when &&
		    (rc = try_native(&q->cond[i], r[i].when, p, np)) != FO_OK)
			return rc;
		for (k = 0; k < r[i].nfrag; k++)
			if ((rc = try_native(&q->frag[i][k], r[i].frag[k], p,
			    np)) != FO_OK)
				return rc;
	}
	fo_buf_putc(&q->a.text, '[');
	fo_buf_putc(&q->b.text, '[');
	for (i = 0; i < q->n; i++) {
		if (r[i].when && q->cond[i].x == NULL) {
			fo_buf_puts(&q->a.text, na ? ",\n" : "\n");
			put_rule(&q->a.text, &r[i]);
			q->cond[i].slot = (int)na++;
			continue;
		}
		for (k = 0; k < r[i].nfrag; k++)
			if (q->frag[i][k].x == NULL)
				break;
		if (k == r[i].nfrag)
			continue;
		fo_buf_puts(&q->b.text, nb ? ",\n" : "\n");
		put_frags(&q->b.text, &r[i], q->frag[i], 0);
		for (k = 0, s = 0; k < r[i].nfrag; k++)
			if (q->frag[i][k].x == NULL)
				q->frag[i][k].slot = s++;
		q->bslot[i] = (int)nb++;
	}
	fo_buf_puts(&q->a.text, "\n]");
	fo_buf_puts(&q->b.text, "\n]");
	q->a.n = na;
	q->b.n = nb;
	return q->a.text.oom || q->b.text.oom ? FO_ENOMEM : FO_OK;
}

/* Report what jq refuses in the rules, one message an expression, as
 * jq judges the whole program; FO_OK when it compiles after all. */
static int
judge_all(struct fo_jq *q, const struct fo_jqrule *r, size_t n,
    struct fo_errs *errs)
{
	struct prog all = { 0 };
	struct fo_buf *b = &all.text, t = { 0 };
	size_t before = errs->n;
	int rc;

	if ((rc = prog_init(q, &all, errs)) != FO_OK)
		goto done;
	put_rules(b, r, 0, n);
	rc = FO_ENOMEM;
	if (b->oom)
		goto done;
	rc = FO_OK;
	if (compiles(q, all.jq, fo_buf_cstr(b)))
		goto done;
	find_bad(q, all.jq, r, 0, n, &t, errs);
	if (errs->n == before)
		fo_errs_addf(errs, q->file, 0, 0, "the rules do not "
		    "compile together: %s", fo_buf_cstr(&q->err));
	else if (errs->n >= JQ_MAX_ERRORS)
		fo_errs_addf(errs, q->file, 0, 0, "too many errors, "
		    "giving up");
	rc = FO_ERR;
done:
	fo_buf_free(&t);
	prog_free(&all);
	return rc;
}

/* Index the native conditions (expr.c's plan): a record is then asked
 * only the conditions it may meet. */
static int
make_plan(struct fo_jq *q)
{
	const struct fo_expr **x;
	size_t i;
	int rc;

	if ((x = calloc(q->n + 1, sizeof *x)) == NULL)
		return FO_ENOMEM;
	for (i = 0; i < q->n; i++)
		x[i] = q->cond[i].x;
	rc = fo_xplan_new(&q->plan, x, q->n);
	free(x);
	if (rc == FO_OK && (q->may = calloc(fo_xplan_words(q->plan) + 1,
	    sizeof *q->may)) == NULL)
		rc = FO_ENOMEM;
	return rc;
}

int
fo_jq_new(struct fo_jq **qp, const char *file, const struct fo_jqrule *r,
    size_t n, const struct fo_jqparam *p, size_t np, struct fo_errs *errs)
{
	struct fo_jq *q;
	size_t i;
	int rc;

	*qp = NULL;
	if ((q = calloc(1, sizeof *q)) == NULL)
		return FO_ENOMEM;
	q->file = file;
	q->n = n;
	q->par = p;
	q->npar = np;

	rc = FO_ENOMEM;
	if ((q->cond = calloc(n + 1, sizeof *q->cond)) == NULL ||
	    (q->frag = calloc(n + 1, sizeof *q->frag)) == NULL ||
	    (q->nfrag = calloc(n + 1, sizeof *q->nfrag)) == NULL ||
	    (q->bslot = calloc(n + 1, sizeof *q->bslot)) == NULL ||
	    (q->id = calloc(n + 1, sizeof *q->id)) == NULL ||
	    (q->xr = fo_xrun_new()) == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		if ((q->id[i] = strdup(r[i].id)) == NULL)
			goto fail;
	if ((rc = split(q, r, p, np)) != FO_OK ||
	    (rc = make_plan(q)) != FO_OK)
		goto fail;
	/*
	 * The native parser takes only what jq compiles (t-exprdiff holds
	 * it to that), so jq judges only the expressions it runs: the
	 * shipped rules load without compiling jq's builtins at all. When
	 * jq refuses its part, it judges the whole file, so a rules file
	 * is refused with the same messages on either path.
	 */
	if (q->a.n > 0 && (rc = prog_init(q, &q->a, errs)) == FO_OK &&
	    !compiles(q, q->a.jq, fo_buf_cstr(&q->a.text)))
		rc = FO_ERR;
	if (rc == FO_OK && q->b.n > 0 &&
	    (rc = prog_init(q, &q->b, errs)) == FO_OK &&
	    !compiles(q, q->b.jq, fo_buf_cstr(&q->b.text)))
		rc = FO_ERR;
	if (rc == FO_ERR && (rc = judge_all(q, r, n, errs)) == FO_OK) {
		fo_errs_addf(errs, q->file, 0, 0, "the rules do not compile "
		    "together: %s", fo_buf_cstr(&q->err));
		rc = FO_ERR;
	}
	if (rc == FO_EIO)	/* no libjq: said in errs, as a mistake is */
		rc = FO_ERR;
	if (rc != FO_OK)
		goto fail;
	q->par = NULL;
	*qp = q;
	return FO_OK;
fail:
	fo_jq_free(q);
	return rc;
}

void
fo_jq_free(struct fo_jq *q)
{
	size_t i, k;

	if (q == NULL)
		return;
	for (i = 0; i < q->n; i++) {
		if (q->cond) {
			fo_expr_free(q->cond[i].x);
			free(q->cond[i].why);
		}
		if (q->frag && q->frag[i]) {
			for (k = 0; k < q->nfrag[i]; k++) {
				fo_expr_free(q->frag[i][k].x);
				free(q->frag[i][k].why);
			}
			free(q->frag[i]);
		}
	}
	free(q->cond);
	free(q->frag);
	free(q->nfrag);
	free(q->bslot);
	if (q->id)
		for (i = 0; i < q->n; i++)
			free(q->id[i]);
	free(q->id);
	fo_xrun_free(q->xr);
	fo_xplan_free(q->plan);
	free(q->may);
	prog_free(&q->a);
	prog_free(&q->b);
	if (q->have_args)
		jqlib.jv_free(q->args);
	fo_buf_free(&q->err);
	fo_buf_free(&q->frags);
	fo_buf_free(&q->clean);
	free(q);
}

/* The record with every unpaired surrogate escape written as \ufffd:
 * jq 1.6 refuses a high surrogate without its low half, which our
 * reader (and the native evaluator) take as U+FFFD, as jq itself does a
 * lone low half. The record text is checked JSON, so "\u" is followed
 * by four hex digits. */
static void
clean_surrogates(struct fo_buf *b, const char *s, size_t n)
{
	size_t i = 0;
	long v, w;

	fo_buf_reset(b);
	while (i < n) {
		if (s[i] == '\\' && i + 1 < n && s[i + 1] == 'u' && i + 5 < n &&
		    (v = fo_hex4(s + i + 2)) >= 0xd800 && v <= 0xdfff) {
			if (v < 0xdc00 && i + 11 < n && s[i + 6] == '\\' &&
			    s[i + 7] == 'u' &&
			    (w = fo_hex4(s + i + 8)) >= 0xdc00 && w <= 0xdfff) {
				fo_buf_put(b, s + i, 12);
				i += 12;
				continue;
			}
			fo_buf_puts(b, "\\ufffd");
			i += 6;
			continue;
		}
		if (s[i] == '\\' && i + 1 < n) {
			fo_buf_put(b, s + i, 2);
			i += 2;
			continue;
		}
		fo_buf_putc(b, s[i++]);
	}
}

/* Run one program on this run's record. */
static int
prog_run(struct fo_jq *q, struct prog *p, struct fo_err *e)
{
	const struct fo_rec *r = q->rec;
	jv in, v;

	p->ran = 1;
	jqlib.jv_free(p->res);
	p->res = jqlib.jv_null();
	fo_buf_reset(&q->err);
	in = jqlib.jv_parse_sized(r->text, (int)r->len);
	if (!jv_valid(in) && memchr(r->text, '\\', r->len)) {
		jqlib.jv_free(in);
		clean_surrogates(&q->clean, r->text, r->len);
		if (q->clean.oom)
			return FO_ENOMEM;
		in = jqlib.jv_parse_sized(q->clean.p, (int)q->clean.n);
	}
	if (!jv_valid(in)) {
		v = jqlib.jv_invalid_get_msg(in);
		fo_err_msg(e, "jq cannot read the record: %s",
		    jqlib.jv_get_kind(v) == JV_KIND_STRING ?
		    jqlib.jv_string_value(v) :
		    "not JSON to jq");
		jqlib.jv_free(v);
		return FO_ERR;
	}
	jqlib.jq_start(p->jq, in, 0);
	p->res = jqlib.jq_next(p->jq);
	if (jqlib.jv_get_kind(p->res) == JV_KIND_ARRAY &&
	    (size_t)jqlib.jv_array_length(jqlib.jv_copy(p->res)) == p->n)
		return FO_OK;
	if (jqlib.jv_invalid_has_msg(jqlib.jv_copy(p->res))) {
		v = jqlib.jv_invalid_get_msg(jqlib.jv_copy(p->res));
		fo_err_msg(e, "jq cannot read the record: %s",
		    jqlib.jv_get_kind(v) == JV_KIND_STRING ?
		    jqlib.jv_string_value(v) :
		    "no result");
		jqlib.jv_free(v);
	} else
		fo_err_msg(e, "jq cannot read the record: %s",
		    q->err.n ? fo_buf_cstr(&q->err) : "no result");
	jqlib.jv_free(p->res);
	p->res = jqlib.jv_null();
	return FO_ERR;
}

int
fo_jq_run(struct fo_jq *q, const struct fo_rec *r, struct fo_err *e)
{
	q->rec = r;
	q->oom = 0;
	q->over = 0;
	fo_xrun_record(q->xr, r);
	q->judged = fo_xplan_may(q->plan, q->xr, r, q->may);
	fo_buf_reset(&q->frags);
	/* every state older than this number is "not yet" */
	q->gen++;
	q->b.ran = 0;
	if (q->b.live) {
		jqlib.jv_free(q->b.res);
		q->b.res = jqlib.jv_null();
	}
	/* jq's verdicts are needed on every record: a record it cannot
	 * read is rejected here, before anything is decided */
	if (q->a.n > 0)
		return prog_run(q, &q->a, e);
	return FO_OK;
}

/* Element slot of a program's result, and element k of that. */
static jv
res_get(const struct prog *p, int slot)
{
	if (jqlib.jv_get_kind(p->res) != JV_KIND_ARRAY || slot < 0 ||
	    (size_t)slot >= p->n)
		return jqlib.jv_null();
	return jqlib.jv_array_get(jqlib.jv_copy(p->res), slot);
}

static const char *
res_frag(const struct prog *p, int slot, size_t k)
{
	const char *s = "?";
	jv v = res_get(p, slot), f;

	if (jqlib.jv_get_kind(v) == JV_KIND_ARRAY) {
		f = jqlib.jv_array_get(jqlib.jv_copy(v), (int)k);
		/* the string lives in p->res, which holds a reference */
		if (jqlib.jv_get_kind(f) == JV_KIND_STRING)
			s = jqlib.jv_string_value(f);
		jqlib.jv_free(f);
	}
	jqlib.jv_free(v);
	return s;
}

const uint64_t *
fo_jq_may(const struct fo_jq *q)
{
	return q->may;
}

int
fo_jq_matched(struct fo_jq *q, size_t i)
{
	struct item *c;
	jv v;
	int m;

	if (i >= q->n || q->rec == NULL)
		return 0;
	c = &q->cond[i];
	if (!c->when)
		return 1;	/* decided elsewhere */
	if (c->gen != q->gen) {
		c->gen = q->gen;
		c->state = -1;
	}
	if (c->x == NULL) {
		v = res_get(&q->a, c->slot);
		m = jqlib.jv_get_kind(v) == JV_KIND_ARRAY;
		jqlib.jv_free(v);
		return m;
	}
	if (c->state < 0 && !(q->may[i / 64] >> (i % 64) & 1))
		c->state = 0;	/* the plan knows it cannot match */
	if (c->state < 0) {
		/* a guard the plan judged whole is not read again */
		m = fo_xplan_cond(q->plan, i, c->x, q->xr, q->rec,
		    q->judged && (fo_xplan_whole(q->plan)[i / 64] >>
		    (i % 64) & 1));
		if (m == FO_ERR && q->over == 0) {
			q->over = i + 1;
			q->over_frag = 0;
		}
		if (m == FO_ENOMEM)
			q->oom = 1;
		if (m < 0)
			m = 0;
		c->state = m;
	}
	return c->state;
}

const char *
fo_jq_frag(struct fo_jq *q, size_t i, size_t k)
{
	struct fo_err e;
	struct item *f;

	if (i >= q->n || k >= q->nfrag[i] || q->rec == NULL)
		return "?";
	if (q->cond[i].when && q->cond[i].x == NULL)
		return res_frag(&q->a, q->cond[i].slot, k);
	f = &q->frag[i][k];
	if (f->gen != q->gen) {
		f->gen = q->gen;
		f->state = -1;
	}
	if (f->x == NULL) {
		if (!q->b.ran && prog_run(q, &q->b, &e) == FO_ENOMEM)
			q->oom = 1;
		return res_frag(&q->b, q->bslot[i], (size_t)f->slot);
	}
	if (f->state < 0) {
		f->off = q->frags.n;
		switch (fo_expr_frag(f->x, q->xr, q->rec, &q->frags)) {
		case FO_OK:
			break;
		case FO_ERR:
			if (q->over == 0) {
				q->over = i + 1;
				q->over_frag = (int)k + 1;
			}
			break;
		default:
			q->oom = 1;
		}
		fo_buf_putc(&q->frags, '\0');
		if (q->frags.oom) {
			q->oom = 1;
			return "?";
		}
		f->state = 1;
	}
	return q->frags.p + f->off;
}

int
fo_jq_oom(const struct fo_jq *q)
{
	return q->oom;
}

int
fo_jq_over(const struct fo_jq *q, struct fo_err *e)
{
	unsigned long steps;
	size_t bytes;

	if (q->over == 0)
		return 0;
	fo_expr_budget_get(&steps, &bytes);
	fo_err_clear(e);
	if (q->over_frag)
		fo_err_msg(e, "rule %s: reason {=%d}: over the rule budget "
		    "(%lu steps, %zu MiB): the record is rejected "
		    "(--rule-budget)", q->id[q->over - 1], q->over_frag, steps,
		    bytes >> 20);
	else
		fo_err_msg(e, "rule %s: when: over the rule budget (%lu steps, "
		    "%zu MiB): the record is rejected (--rule-budget)",
		    q->id[q->over - 1], steps, bytes >> 20);
	return 1;
}

const char *
fo_jq_why(const struct fo_jq *q, size_t i, size_t k)
{
	if (i >= q->n)
		return NULL;
	if (k == 0)
		return q->cond[i].why;
	return k <= q->nfrag[i] ? q->frag[i][k - 1].why : NULL;
}

static void
explain_one(struct fo_buf *b, const char *id, const char *what, size_t k,
    const char *why)
{
	fo_buf_puts(b, id);
	if (k)
		fo_buf_printf(b, "\t%s%zu}", what, k);
	else
		fo_buf_printf(b, "\t%s", what);
	if (why) {
		fo_buf_puts(b, "\tjq\t");
		fo_buf_puts(b, why);
	} else
		fo_buf_puts(b, "\tnative");
	fo_buf_putc(b, '\n');
}

void
fo_jq_explain(const struct fo_jq *q, struct fo_buf *b, size_t count[4])
{
	size_t i, k;

	memset(count, 0, 4 * sizeof *count);
	for (i = 0; i < q->n; i++) {
		if (!q->cond[i].when) {
			fo_buf_puts(b, q->id[i]);
			fo_buf_puts(b, "\twhen\tbuiltin\n");
		} else {
			explain_one(b, q->id[i], "when", 0, q->cond[i].why);
			count[0] += q->cond[i].why == NULL;
			count[1]++;
		}
		for (k = 0; k < q->nfrag[i]; k++) {
			explain_one(b, q->id[i], "{=", k + 1,
			    q->frag[i][k].why);
			count[2] += q->frag[i][k].why == NULL;
			count[3]++;
		}
	}
}

int
fo_explain(const char *prog, const struct fo_jq *q, int quiet)
{
	struct fo_buf b = { 0 };
	size_t c[4];
	int status = FO_EXIT_OK;

	fo_jq_explain(q, &b, c);
	if (b.oom) {
		fo_warnx(prog, "out of memory");
		status = FO_EXIT_SYSTEM;
	} else {
		/* a failed write leaves the stream's error flag set */
		(void)fwrite(b.p, 1, b.n, stdout);
		if ((status = fo_stdout_status(prog)) == FO_EXIT_OK && !quiet)
			fo_warnx(prog, "native: %zu of %zu conditions, %zu of "
			    "%zu fragments", c[0], c[1], c[2], c[3]);
	}
	fo_buf_free(&b);
	return status;
}
