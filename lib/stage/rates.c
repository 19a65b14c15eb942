/*
 * rates.c - the exchange rates to the base currency (--rates): a YAML
 * map or a CSV of "currency, rate", each rate an exact decimal, every
 * mistake reported at its line.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fo.h"
#include "score.h"

#define RATE_MAX_SCALE 10	/* 1 VND is 0.0000361 EUR: 6 are too few */

/*
 * Rates.
 */

struct rate {
	char code[4];
	struct fo_dec rate;
	long line;
};

struct fo_rates {
	const char *file;	/* the caller's: errors point at it */
	struct rate *v;
	size_t n, cap;
};

static int
rate_cmp(const void *a, const void *b)
{
	return memcmp(((const struct rate *)a)->code,
	    ((const struct rate *)b)->code, 3);
}

int
fo_score_add_err(struct fo_errs *errs, size_t before, const char *file,
    long line, long col, const char *msg)
{
	if (errs->n - before == MAX_ERRS)
		fo_errs_addf(errs, file, line, col, "more than %d errors, "
		    "stopping", MAX_ERRS);
	if (errs->n - before > MAX_ERRS)
		return FO_ERR;
	fo_errs_addf(errs, file, line, col, "%s", msg);
	return FO_OK;
}

/* One "currency, rate" pair, checked; errors at their own positions. */
static void
rate_add(struct fo_rates *rt, const char *base, const char *code, size_t n,
    long cl, long cc, const char *text, size_t tn, long rl, long rc,
    struct fo_errs *errs, size_t before)
{
	struct fo_dec d;
	struct fo_err e;
	struct rate *v;
	char msg[320];
	size_t i;
	int r;

	while (n > 0 && (*code == ' ' || *code == '\t')) {
		code++;
		n--;
		cc++;
	}
	while (n > 0 && (code[n - 1] == ' ' || code[n - 1] == '\t'))
		n--;
	if (fo_currency_minor(code, n) < 0) {
		snprintf(msg, sizeof msg, "unknown currency '%.*s': an ISO "
		    "4217 code in upper case", (int)(n > 40 ? 40 : n), code);
		fo_score_add_err(errs, before, rt->file, cl, cc, msg);
		return;
	}
	fo_err_clear(&e);
	if ((r = fo_dec_parse(text, tn, FO_NUM_PLAIN, RATE_MAX_SCALE, &d,
	    &e)) != FO_OK || d.v <= 0) {
		if (r == FO_EMPTY)
			snprintf(msg, sizeof msg, "no rate for %.3s", code);
		else
			snprintf(msg, sizeof msg, "rate '%.*s' for %.3s: %s",
			    (int)(tn > 40 ? 40 : tn), text, code, r == FO_ERR ?
			    e.msg : "must be more than 0");
		fo_score_add_err(errs, before, rt->file, rl,
		    rc + (r == FO_ERR &&
		    e.col > 1 ? e.col - 1 : 0), msg);
		return;
	}
	while (d.scale > 0 && d.v % 10 == 0) {
		d.v /= 10;
		d.scale--;
	}
	if (base && memcmp(code, base, 3) == 0 && (d.v != 1 || d.scale != 0)) {
		snprintf(msg, sizeof msg, "rate for %.3s, the base currency, "
		    "must be 1", code);
		fo_score_add_err(errs, before, rt->file, rl, rc, msg);
		return;
	}
	for (i = 0; i < rt->n; i++)
		if (memcmp(rt->v[i].code, code, 3) == 0) {
			snprintf(msg, sizeof msg, "duplicate currency %.3s "
			    "(first at line %ld)", code, rt->v[i].line);
			fo_score_add_err(errs, before, rt->file, cl, cc, msg);
			return;
		}
	if (rt->n == rt->cap) {
		rt->cap = rt->cap ? 2 * rt->cap : 32;
		if ((v = realloc(rt->v, rt->cap * sizeof *v)) == NULL) {
			fo_score_add_err(errs, before, rt->file, cl, 0,
			    "out of memory");
			return;
		}
		rt->v = v;
	}
	memcpy(rt->v[rt->n].code, code, 3);
	rt->v[rt->n].code[3] = '\0';
	rt->v[rt->n].rate = d;
	rt->v[rt->n++].line = cl;
}

int
fo_score_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static void
rates_yaml(struct fo_rates *rt, const char *base, struct fo_errs *errs,
    size_t before)
{
	struct fo_ydoc *doc = NULL;
	const struct fo_ynode *root, *k, *v;
	size_t i;

	if (fo_yaml_load(rt->file, &doc, errs) != FO_OK)
		return;
	root = doc->root;
	if (root == NULL || root->type != FO_Y_MAP) {
		fo_errs_addf(errs, rt->file, root ? root->line : 1,
		    root ? root->col : 1, "a rates file is a mapping of "
		    "currency to rate: 'USD: 0.92'");
		fo_yaml_free(doc);
		return;
	}
	for (i = 0; i + 1 < root->n; i += 2) {
		k = root->kid[i];
		v = root->kid[i + 1];
		if (v->type != FO_Y_SCALAR) {
			fo_errs_addf(errs, rt->file, v->line, v->col, "rate for "
			    "%.40s must be a single value", k->str);
			continue;
		}
		/* a quoted value's text starts after its quote */
		rate_add(rt, base, k->str, k->len, k->line, k->col, v->str,
		    v->len, v->line, v->col + !v->plain, errs, before);
	}
	fo_yaml_free(doc);
}

static int
is_comment(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	return i < n && s[i] == '#';
}

static void
rates_csv(struct fo_rates *rt, int fd, const char *base, struct fo_errs *errs,
    size_t before)
{
	struct fo_csv_opts o = { 0 };
	struct fo_csv *c;
	struct fo_csv_row *row;
	struct fo_err e;
	struct fo_span raw;
	long l1, c1, l2, c2;
	int r, first = 1;

	o.encoding = "auto";
	if (fo_csv_open(&c, fd, rt->file, &o, &e) != FO_OK) {
		fo_errs_add(errs, &e);
		return;
	}
	while ((r = fo_csv_next(c, &row, &e)) != FO_EMPTY) {
		if (r == FO_ERR) {
			raw = fo_csv_raw(c);
			if (!is_comment(raw.p, raw.n) && fo_score_add_err(errs,
			    before,
			    rt->file, e.line, e.col, e.msg) != FO_OK)
				break;
			continue;
		}
		if (r != FO_OK) {
			fo_errs_add(errs, &e);
			break;
		}
		if (row->nf == 0 || is_comment(row->raw, row->rawlen) ||
		    (row->nf == 1 && row->f[0].n == 0))
			continue;
		if (row->nf != 2) {
			if (fo_score_add_err(errs, before, rt->file, row->line,
			    1, "a "
			    "rates line is currency,rate") != FO_OK)
				break;
			continue;
		}
		/* an optional header: currency,rate */
		if (first && fo_header_fold_eq(row->f[0].p, row->f[0].n,
		    "currency") && fo_header_fold_eq(row->f[1].p, row->f[1].n,
		    "rate")) {
			first = 0;
			continue;
		}
		first = 0;
		fo_csv_field_pos(c, row, 0, &l1, &c1);
		fo_csv_field_pos(c, row, 1, &l2, &c2);
		rate_add(rt, base, row->f[0].p, row->f[0].n, l1, c1,
		    row->f[1].p, row->f[1].n, l2, c2, errs, before);
		if (errs->n - before > MAX_ERRS)
			break;
	}
	fo_csv_close(c);
}

int
fo_rates_load(const char *path, const char *base, struct fo_rates **rp,
    struct fo_errs *errs)
{
	struct fo_rates *rt;
	size_t before = errs->n;
	int fd;

	*rp = NULL;
	if ((rt = calloc(1, sizeof *rt)) == NULL)
		return FO_ENOMEM;
	rt->file = path;
	if (fo_score_ends_with(path, ".yaml") || fo_score_ends_with(path,
	    ".yml"))
		rates_yaml(rt, base, errs, before);
	else if ((fd = open(path, O_RDONLY)) < 0) {
		fo_errs_addf(errs, path, 0, 0, "%s", strerror(errno));
		fo_rates_free(rt);
		return FO_EIO;
	} else {
		rates_csv(rt, fd, base, errs, before);
		close(fd);
	}
	if (fo_errs_verdict(errs, before) != FO_OK) {
		fo_rates_free(rt);
		return FO_ERR;
	}
	qsort(rt->v, rt->n, sizeof *rt->v, rate_cmp);
	*rp = rt;
	return FO_OK;
}

void
fo_rates_free(struct fo_rates *rt)
{
	if (rt == NULL)
		return;
	free(rt->v);
	free(rt);
}

int
fo_rates_get(const struct fo_rates *rt, const char *code, struct fo_dec *d)
{
	struct rate key, *hit;

	if (rt == NULL || rt->n == 0)
		return FO_EMPTY;
	memcpy(key.code, code, 3);
	hit = bsearch(&key, rt->v, rt->n, sizeof *rt->v, rate_cmp);
	if (hit == NULL)
		return FO_EMPTY;
	*d = hit->rate;
	return FO_OK;
}

const char *
fo_rates_file(const struct fo_rates *rt)
{
	return rt ? rt->file : NULL;
}
