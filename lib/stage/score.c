/*
 * score.c - fo-score's model (rules/score.yaml): the points a record
 * earns on each factor, which add up to its priority; the exchange rates
 * that put its amount in the base currency; the vendor master that gives
 * a vendor's tier, blocked flag and bank account; and the payment terms
 * that say when an invoice falls due and when its discount runs out.
 *
 * Money is exact: an amount is read from its text, products are taken in
 * 128 bits and rounded half-even once, to the base currency's minor
 * units. Days are whole calendar days against the as-of date.
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

#define MAX_ERRS 100		/* per rates or vendors file */
#define RATE_MAX_SCALE 10	/* 1 VND is 0.0000361 EUR: 6 are too few */


/* The factors, as named in the rules file and in priority_factors. */
enum factor {
	F_AMOUNT, F_VENDOR_TIER, F_DUE, F_DISCOUNT, F_AGE, F_SLA_RISK,
	F_DUPLICATE, F_SENSITIVITY, F_CLASS, F_BLOCKED_VENDOR,
	F_BANK_MISMATCH, NFACTOR
};

static const char *const factor_names[] = {
	"amount", "vendor_tier", "due", "discount", "age", "sla_risk",
	"duplicate", "sensitivity", "class", "blocked_vendor",
	"bank_mismatch", NULL
};

static const char *const tiers[] = {
	"strategic", "preferred", "standard", "tail", "unknown", NULL
};
#define TIER_UNKNOWN 4


struct band {
	struct fo_dec min;	/* money bands: from this amount on */
	long days;		/* day bands: max_days (due), min_days (age) */
	int points;
};

struct bands {
	struct band *v;
	size_t n;
};

struct entry {			/* a class (or "default") and its number */
	char *name;
	int val;
};

struct table {
	struct entry *v;
	size_t n;
	int has_default, def;
};

struct fo_score {
	const char *file;	/* the caller's: errors point at it */
	char base[4];
	int minor;		/* of the base currency */
	int p1, p2, p3;		/* band thresholds */
	int order[NFACTOR];	/* the factors in the rules' order */
	size_t nfactor;
	struct bands amount, due, discount, age, duplicate;
	long disc_within;
	int tier[5];
	int sens[3];
	struct table cls;	/* class -> points */
	int sla_points;
	struct fo_route *sla;	/* whose SLAs sla_risk reads, or NULL */
	const struct fo_asof *sla_asof;
	int blocked_points, bank_points;
	char **classes;		/* classes the rules file adds */
	size_t nclasses;
	/* per run */
	long norate;		/* exceptions scored without a rate */
	const struct fo_rates *rates;
	const struct fo_vendors *vendors;
	int32_t as_of;
	/* scratch, reused per record */
	struct fo_buf vals, why, tmp, f[8];
	struct fo_owned owned;
};

static void *
own(struct fo_score *s, void *p)
{
	return fo_own(&s->owned, p);
}

static int
in(const char *s, const char *const *list)
{
	for (; list && *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static int
lookup(const char *s, const char *const *list)
{
	int i;

	for (i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return i;
	return -1;
}





/* The key node of a mapping entry, for errors about the entry as a whole. */
static const struct fo_ynode *
map_key(const struct fo_ynode *map, const char *key)
{
	size_t i;

	for (i = 0; map && map->type == FO_Y_MAP && i + 1 < map->n; i += 2)
		if (strcmp(map->kid[i]->str, key) == 0)
			return map->kid[i];
	return NULL;
}

/* 0..100 points. */
static int
load_points(struct fo_score *s, const struct fo_ynode *y, const char *what,
    int *out, struct fo_errs *errs)
{
	long v;

	if (fo_ywhole(fo_yscalar(y), 0, 100, &v) != FO_OK) {
		fo_errs_addf(errs, s->file, y->line, y->col, "%s '%s': a whole "
		    "number of points, 0 to 100", what, fo_yscalar(y) ? y->str : "");
		return FO_ERR;
	}
	*out = (int)v;
	return FO_OK;
}

/* A required key of a mapping; reported when missing. */
static const struct fo_ynode *
need(struct fo_score *s, const struct fo_ynode *map, const char *key,
    const char *what, struct fo_errs *errs)
{
	const struct fo_ynode *y = fo_ymap_get(map, key);

	if (y == NULL)
		fo_errs_addf(errs, s->file, map->line, map->col, "%s needs %s",
		    what, key);
	return y;
}

/* A list of {min: DECIMAL, points: N}, min rising: the highest min at or
 * below a value gives the points. */
static void
load_money_bands(struct fo_score *s, const struct fo_ynode *y,
    const char *what, struct bands *b, struct fo_errs *errs)
{
	static const char *const keys[] = { "min", "points", NULL };
	const struct fo_ynode *it, *k;
	struct fo_err e;
	struct band *bd;
	char w[64];
	size_t i;

	if (y->type != FO_Y_SEQ || y->n == 0) {
		fo_yerr(errs, s->file, y, "%s: a list of bands {min: AMOUNT, "
		    "points: N}", what);
		return;
	}
	if ((b->v = own(s, calloc(y->n, sizeof *b->v))) == NULL)
		return;
	snprintf(w, sizeof w, "%s band", what);
	for (i = 0; i < y->n; i++) {
		it = y->kid[i];
		if (fo_ymap_check(it, keys, w, s->file, errs))
			continue;
		bd = &b->v[b->n];
		if ((k = need(s, it, "min", w, errs)) != NULL &&
		    (fo_yscalar(k) == NULL || fo_dec_parse(k->str, k->len,
		    FO_NUM_PLAIN, FO_DEC_ASIS, &bd->min, &e) != FO_OK ||
		    bd->min.v < 0)) {
			fo_errs_addf(errs, s->file, k->line, k->col, "%s: min "
			    "'%s': an amount in the base currency, 0 or more, "
			    "at most %d decimals", what, fo_yscalar(k) ? k->str : "",
			    FO_DEC_MAX_SCALE);
			continue;
		}
		if (k == NULL)
			continue;
		if ((k = need(s, it, "points", w, errs)) != NULL)
			load_points(s, k, "points", &bd->points, errs);
		/* the order is checked even when the points are wrong */
		if (b->n > 0 && fo_dec_cmp(&bd->min, &b->v[b->n - 1].min) <= 0) {
			fo_errs_addf(errs, s->file, it->line, it->col, "%s: min "
			    "%s is not above the band before it", what,
			    fo_ymap_get(it, "min")->str);
			continue;
		}
		b->n++;
	}
}

/* A list of {KEY: DAYS, points: N}, days rising. */
static void
load_day_bands(struct fo_score *s, const struct fo_ynode *y, const char *what,
    const char *key, long lo, struct bands *b, struct fo_errs *errs)
{
	const char *keys[] = { key, "points", NULL };
	const struct fo_ynode *it, *k;
	struct band *bd;
	char w[64];
	size_t i;

	if (y->type != FO_Y_SEQ || y->n == 0) {
		fo_errs_addf(errs, s->file, y->line, y->col, "%s: a list of "
		    "bands {%s: DAYS, points: N}", what, key);
		return;
	}
	if ((b->v = own(s, calloc(y->n, sizeof *b->v))) == NULL)
		return;
	snprintf(w, sizeof w, "%s band", what);
	for (i = 0; i < y->n; i++) {
		it = y->kid[i];
		if (fo_ymap_check(it, keys, w, s->file, errs))
			continue;
		bd = &b->v[b->n];
		if ((k = need(s, it, key, w, errs)) == NULL)
			continue;
		if (fo_ywhole(fo_yscalar(k), lo, 36500, &bd->days) != FO_OK) {
			fo_errs_addf(errs, s->file, k->line, k->col, "%s: %s "
			    "'%s': a whole number of days, %ld to 36500", what,
			    key, fo_yscalar(k) ? k->str : "", lo);
			continue;
		}
		if ((k = need(s, it, "points", w, errs)) != NULL)
			load_points(s, k, "points", &bd->points, errs);
		if (b->n > 0 && bd->days <= b->v[b->n - 1].days) {
			fo_errs_addf(errs, s->file, it->line, it->col, "%s: %s "
			    "%ld is not above the band before it", what, key,
			    bd->days);
			continue;
		}
		b->n++;
	}
}

/* {name: points} over a fixed set of names; a name left out is 0. */
static void
load_named(struct fo_score *s, const struct fo_ynode *y, const char *what,
    const char *const *names, int *pts, struct fo_errs *errs)
{
	size_t i;
	int k;

	if (fo_ymap_check(y, names, what, s->file, errs))
		return;
	for (i = 0; i + 1 < y->n; i += 2)
		if ((k = lookup(y->kid[i]->str, names)) >= 0)
			load_points(s, y->kid[i + 1], y->kid[i]->str, &pts[k],
			    errs);
}

/* {class: N, ..., default: N}: classes of the taxonomy or of classes. */
static void
load_table(struct fo_score *s, const struct fo_ynode *y, const char *what,
    long hi, struct table *t, struct fo_errs *errs)
{
	const struct fo_ynode *k, *v;
	struct entry *en;
	size_t i;
	long n;

	if (y->type != FO_Y_MAP) {
		fo_yerr(errs, s->file, y, "%s must be a mapping of classes",
		    what);
		return;
	}
	if ((t->v = own(s, calloc(y->n / 2 + 1, sizeof *t->v))) == NULL)
		return;
	for (i = 0; i + 1 < y->n; i += 2) {
		k = y->kid[i];
		v = y->kid[i + 1];
		if (strcmp(k->str, "default") != 0 && !in(k->str, fo_taxonomy) &&
		    !in(k->str, (const char *const *)s->classes)) {
			fo_errs_addf(errs, s->file, k->line, k->col, "%s: class "
			    "'%s': not in the taxonomy (fo-rules(5)), classes, "
			    "or default", what, k->str);
			continue;
		}
		if (fo_ywhole(fo_yscalar(v), 0, hi, &n) != FO_OK) {
			fo_errs_addf(errs, s->file, v->line, v->col, "%s: %s "
			    "'%s': a whole number, 0 to %ld", what, k->str,
			    fo_yscalar(v) ? v->str : "", hi);
			continue;
		}
		if (strcmp(k->str, "default") == 0) {
			t->has_default = 1;
			t->def = (int)n;
			continue;
		}
		en = &t->v[t->n++];
		en->name = own(s, strdup(k->str));	/* the tree is freed */
		en->val = (int)n;
	}
}

static const struct entry *
table_get(const struct table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].name && strcmp(t->v[i].name, name) == 0)
			return &t->v[i];
	return NULL;
}

static int
max_bands(const struct bands *b)
{
	size_t i;
	int m = 0;

	for (i = 0; i < b->n; i++)
		if (b->v[i].points > m)
			m = b->v[i].points;
	return m;
}

static int
max_of(const int *v, size_t n)
{
	size_t i;
	int m = 0;

	for (i = 0; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

static int
factor_max(const struct fo_score *s, int f)
{
	size_t i;
	int m;

	switch (f) {
	case F_AMOUNT:
		return max_bands(&s->amount);
	case F_VENDOR_TIER:
		return max_of(s->tier, 5);
	case F_DUE:
		return max_bands(&s->due);
	case F_DISCOUNT:
		return max_bands(&s->discount);
	case F_AGE:
		return max_bands(&s->age);
	case F_SLA_RISK:
		return s->sla_points;
	case F_DUPLICATE:
		return max_bands(&s->duplicate);
	case F_SENSITIVITY:
		return max_of(s->sens, 3);
	case F_CLASS:
		m = s->cls.has_default ? s->cls.def : 0;
		for (i = 0; i < s->cls.n; i++)
			if (s->cls.v[i].val > m)
				m = s->cls.v[i].val;
		return m;
	case F_BLOCKED_VENDOR:
		return s->blocked_points;
	case F_BANK_MISMATCH:
		return s->bank_points;
	}
	return 0;
}

static void
load_factor(struct fo_score *s, int f, const struct fo_ynode *y,
    struct fo_errs *errs)
{
	static const char *const disc_keys[] = { "within_days", "bands", NULL };
	static const char *const sla_keys[] = { "points", "days", NULL };
	const struct fo_ynode *k;

	switch (f) {
	case F_AMOUNT:
		load_money_bands(s, y, "amount", &s->amount, errs);
		break;
	case F_VENDOR_TIER:
		load_named(s, y, "vendor_tier", tiers, s->tier, errs);
		break;
	case F_DUE:
		load_day_bands(s, y, "due", "max_days", -36500, &s->due, errs);
		break;
	case F_DISCOUNT:
		if (fo_ymap_check(y, disc_keys, "discount", s->file, errs) &&
		    y->type != FO_Y_MAP)
			break;
		if ((k = need(s, y, "within_days", "discount", errs)) != NULL &&
		    fo_ywhole(fo_yscalar(k), 0, 3650, &s->disc_within) != FO_OK)
			fo_yerr(errs, s->file, k, "discount: within_days '%s': a "
			    "whole number of days, 0 to 3650",
			    fo_yscalar(k) ? k->str : "");
		if ((k = need(s, y, "bands", "discount", errs)) != NULL)
			load_money_bands(s, k, "discount", &s->discount, errs);
		break;
	case F_AGE:
		load_day_bands(s, y, "age", "min_days", 0, &s->age, errs);
		break;
	case F_SLA_RISK:
		if (fo_ymap_check(y, sla_keys, "sla_risk", s->file, errs) &&
		    y->type != FO_Y_MAP)
			break;
		if ((k = need(s, y, "points", "sla_risk", errs)) != NULL)
			load_points(s, k, "sla_risk: points", &s->sla_points,
			    errs);
		if ((k = fo_ymap_get(y, "days")) != NULL)
			fo_yerr(errs, s->file, k, "sla_risk: days: %s", "the "
			    "SLAs are route.yaml's, one table for fo-route and "
			    "fo-score (fo-rules(5))");
		break;
	case F_DUPLICATE:
		load_money_bands(s, y, "duplicate", &s->duplicate, errs);
		break;
	case F_SENSITIVITY:
		load_named(s, y, "sensitivity", fo_sensitivities, s->sens, errs);
		break;
	case F_CLASS:
		load_table(s, y, "class", 100, &s->cls, errs);
		break;
	case F_BLOCKED_VENDOR:
		load_points(s, y, "blocked_vendor", &s->blocked_points, errs);
		break;
	case F_BANK_MISMATCH:
		load_points(s, y, "bank_mismatch", &s->bank_points, errs);
		break;
	}
}

static void
load_bands(struct fo_score *s, const struct fo_ynode *y, struct fo_errs *errs)
{
	static const char *const keys[] = { "P1", "P2", "P3", NULL };
	const struct fo_ynode *k;
	int *dst[3] = { &s->p1, &s->p2, &s->p3 }, bad = 0, i;
	long v;

	if (fo_ymap_check(y, keys, "bands", s->file, errs))
		return;
	for (i = 0; i < 3; i++) {
		if ((k = need(s, y, keys[i], "bands", errs)) == NULL) {
			bad = 1;
			continue;
		}
		if (fo_ywhole(fo_yscalar(k), 1, 100, &v) != FO_OK) {
			fo_errs_addf(errs, s->file, k->line, k->col, "bands: %s "
			    "'%s': a priority from 1 to 100", keys[i],
			    fo_yscalar(k) ? k->str : "");
			bad = 1;
			continue;
		}
		*dst[i] = (int)v;
	}
	if (!bad && !(s->p1 > s->p2 && s->p2 > s->p3))
		fo_errs_addf(errs, s->file, y->line, y->col, "bands: P1 %d, P2 "
		    "%d, P3 %d: each must be above the next", s->p1, s->p2,
		    s->p3);
}

int
fo_score_load(const char *path, struct fo_score **sp, struct fo_errs *errs)
{
	static const char *const top[] = { "base_currency", "bands",
	    "classes", "factors", NULL };
	struct fo_score *s;
	struct fo_ydoc *doc = NULL;
	const struct fo_ynode *root, *y, *k;
	struct fo_buf sum = { 0 };
	size_t before = errs->n, i, ferr;
	int f, total, m;

	*sp = NULL;
	if ((f = fo_yaml_load(path, &doc, errs)) != FO_OK)
		return f;
	if ((s = calloc(1, sizeof *s)) == NULL) {
		fo_yaml_free(doc);
		return FO_ENOMEM;
	}
	s->file = path;
	root = doc->root;
	if (root == NULL || root->type != FO_Y_MAP) {
		fo_errs_addf(errs, path, 1, 1, "a score rules file is a mapping "
		    "with base_currency, bands and factors (fo-rules(5))");
		goto out;
	}
	fo_ymap_check(root, top, "score rules", path, errs);
	if ((y = need(s, root, "base_currency", "a score rules file", errs))) {
		if (fo_yscalar(y) == NULL || (s->minor = fo_currency_minor(y->str,
		    y->len)) < 0)
			fo_yerr(errs, path, y, "base_currency '%s': not an ISO "
			    "4217 currency code", fo_yscalar(y) ? y->str : "");
		else
			memcpy(s->base, y->str, 4);
	}
	if ((y = fo_ymap_get(root, "classes")) != NULL) {
		if (y->type != FO_Y_SEQ)
			fo_yerr(errs, path, y, "%s must be a list of names",
			    "classes");
		else if ((s->classes = own(s, calloc(y->n + 1,
		    sizeof *s->classes))) != NULL) {
			for (i = 0; i < y->n; i++) {
				if (fo_yscalar(y->kid[i]) && fo_yname_ok(y->kid[i]->str))
					s->classes[s->nclasses++] = own(s,
					    strdup(y->kid[i]->str));
				else
					fo_yerr(errs, path, y->kid[i], "class "
					    "'%s': letters, digits and _",
					    fo_yscalar(y->kid[i]) ? y->kid[i]->str :
					    "");
			}
		}
	}
	if ((y = need(s, root, "bands", "a score rules file", errs)) != NULL)
		load_bands(s, y, errs);
	if ((y = need(s, root, "factors", "a score rules file", errs)) == NULL)
		goto out;
	ferr = errs->n;
	if (fo_ymap_check(y, factor_names, "factors", path, errs) == 0 &&
	    y->n == 0)
		fo_yerr(errs, path, y, "factors: %s", "at least one factor");
	if (y->type != FO_Y_MAP)
		goto out;
	for (i = 0; i + 1 < y->n; i += 2) {
		if ((f = lookup(y->kid[i]->str, factor_names)) < 0)
			continue;
		s->order[s->nfactor++] = f;
		load_factor(s, f, y->kid[i + 1], errs);
	}
	if (errs->n > ferr)
		goto out;
	/* so that priority never needs a cap and the factors add up to it */
	for (i = 0, total = 0; i < s->nfactor; i++) {
		m = factor_max(s, s->order[i]);
		total += m;
		fo_buf_printf(&sum, "%s%s %d", i ? " + " : "",
		    factor_names[s->order[i]], m);
	}
	if (total > 100) {
		k = map_key(root, "factors");
		fo_errs_addf(errs, path, k->line, k->col, "factors: the highest "
		    "points add up to %d, more than 100: %s", total,
		    fo_buf_cstr(&sum));
	}
out:
	fo_buf_free(&sum);
	fo_yaml_free(doc);
	if (errs->n > before) {
		fo_errs_sort(errs, before);
		fo_score_free(s);
		return FO_ERR;
	}
	*sp = s;
	return FO_OK;
}

void
fo_score_free(struct fo_score *s)
{
	size_t i;

	if (s == NULL)
		return;
	fo_owned_free(&s->owned);
	fo_buf_free(&s->vals);
	fo_buf_free(&s->why);
	fo_buf_free(&s->tmp);
	for (i = 0; i < sizeof s->f / sizeof s->f[0]; i++)
		fo_buf_free(&s->f[i]);
	free(s);
}

long
fo_score_norate(const struct fo_score *s)
{
	return s->norate;
}

const char *
fo_score_base(const struct fo_score *s)
{
	return s->base;
}

int
fo_score_uses_sla(const struct fo_score *s)
{
	return s->sla_points > 0;
}

void
fo_score_sla(struct fo_score *s, struct fo_route *sla,
    const struct fo_asof *as_of)
{
	s->sla = sla;
	s->sla_asof = as_of;
}

void
fo_score_use(struct fo_score *s, const struct fo_rates *rates,
    const struct fo_vendors *vendors, int32_t as_of)
{
	s->rates = rates;
	s->vendors = vendors;
	s->as_of = as_of;
}

/*
 * Exact money.
 */

static const struct fo_dec one = { 1, 0 };

/* Trailing zeros of the fraction dropped: 2.000 -> 2, for messages. */
static size_t
dec_short(struct fo_dec d, char *buf)
{
	while (d.scale > 0 && d.v % 10 == 0) {
		d.v /= 10;
		d.scale--;
	}
	return fo_dec_fmt(&d, buf);
}

static struct fo_dec
dec_abs(struct fo_dec d)
{
	if (d.v < 0)
		d.v = -d.v;
	return d;
}

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

static int
add_err(struct fo_errs *errs, size_t before, const char *file, long line,
    long col, const char *msg)
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
		add_err(errs, before, rt->file, cl, cc, msg);
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
		add_err(errs, before, rt->file, rl, rc + (r == FO_ERR &&
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
		add_err(errs, before, rt->file, rl, rc, msg);
		return;
	}
	for (i = 0; i < rt->n; i++)
		if (memcmp(rt->v[i].code, code, 3) == 0) {
			snprintf(msg, sizeof msg, "duplicate currency %.3s "
			    "(first at line %ld)", code, rt->v[i].line);
			add_err(errs, before, rt->file, cl, cc, msg);
			return;
		}
	if (rt->n == rt->cap) {
		rt->cap = rt->cap ? 2 * rt->cap : 32;
		if ((v = realloc(rt->v, rt->cap * sizeof *v)) == NULL) {
			add_err(errs, before, rt->file, cl, 0, "out of memory");
			return;
		}
		rt->v = v;
	}
	memcpy(rt->v[rt->n].code, code, 3);
	rt->v[rt->n].code[3] = '\0';
	rt->v[rt->n].rate = d;
	rt->v[rt->n++].line = cl;
}

static int
ends_with(const char *s, const char *suffix)
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
			if (!is_comment(raw.p, raw.n) && add_err(errs, before,
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
			if (add_err(errs, before, rt->file, row->line, 1, "a "
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
	if (ends_with(path, ".yaml") || ends_with(path, ".yml"))
		rates_yaml(rt, base, errs, before);
	else if ((fd = open(path, O_RDONLY)) < 0) {
		fo_errs_addf(errs, path, 0, 0, "%s", strerror(errno));
		fo_rates_free(rt);
		return FO_EIO;
	} else {
		rates_csv(rt, fd, base, errs, before);
		close(fd);
	}
	if (errs->n > before) {
		fo_errs_sort(errs, before);
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

/*
 * Vendor master.
 */

struct fo_vendors {
	const char *file;	/* the caller's: errors point at it */
	struct fo_vendor *v;
	size_t n, cap;
	size_t *slot;		/* 1 + index into v, 0 empty */
	size_t nslot;
};

/* SAP pads numeric vendor ids with zeros and Excel drops them: an id of
 * digits only is keyed without its leading zeros. */
static void
vkey(const char *id, size_t n, const char **k, size_t *kn)
{
	size_t i;

	for (i = 0; i < n && isdigit((unsigned char)id[i]); i++)
		;
	if (i == n)
		while (n > 1 && *id == '0') {
			id++;
			n--;
		}
	*k = id;
	*kn = n;
}

static size_t *
vslot(const struct fo_vendors *vs, const char *id, size_t n)
{
	const char *k, *k2;
	size_t kn, kn2, i;

	vkey(id, n, &k, &kn);
	for (i = fo_fnv1a(FO_FNV_BASIS, k, kn) & (vs->nslot - 1);; i = (i + 1) & (vs->nslot - 1)) {
		if (vs->slot[i] == 0)
			return &vs->slot[i];
		vkey(vs->v[vs->slot[i] - 1].id, strlen(vs->v[vs->slot[i] -
		    1].id), &k2, &kn2);
		if (kn2 == kn && memcmp(k, k2, kn) == 0)
			return &vs->slot[i];
	}
}

static int
vrehash(struct fo_vendors *vs)
{
	size_t i, *old = vs->slot, oldn = vs->nslot, *sl;

	vs->nslot = vs->nslot ? 2 * vs->nslot : 256;
	if ((vs->slot = calloc(vs->nslot, sizeof *vs->slot)) == NULL) {
		vs->slot = old;
		vs->nslot = oldn;
		return FO_ENOMEM;
	}
	for (i = 0; i < oldn; i++)
		if (old[i]) {
			sl = vslot(vs, vs->v[old[i] - 1].id,
			    strlen(vs->v[old[i] - 1].id));
			*sl = old[i];
		}
	free(old);
	return FO_OK;
}

const struct fo_vendor *
fo_vendors_get(const struct fo_vendors *vs, const char *id, size_t n)
{
	size_t *sl;

	if (vs == NULL || vs->n == 0 || n == 0)
		return NULL;
	sl = vslot(vs, id, n);
	return *sl ? &vs->v[*sl - 1] : NULL;
}

size_t
fo_vendors_count(const struct fo_vendors *vs)
{
	return vs ? vs->n : 0;
}

const char *
fo_vendors_file(const struct fo_vendors *vs)
{
	return vs ? vs->file : NULL;
}

/* An IBAN without its spaces, in upper case; "" when not one. */
static char *
iban_norm(const char *s, size_t n)
{
	char *p, *q;
	size_t i;

	if ((p = q = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			*q++ = (char)toupper((unsigned char)s[i]);
	*q = '\0';
	return p;
}

static int
iban_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 15 || n > 34 || !isupper((unsigned char)s[0]) ||
	    !isupper((unsigned char)s[1]) || !isdigit((unsigned char)s[2]) ||
	    !isdigit((unsigned char)s[3]))
		return 0;
	for (i = 4; i < n; i++)
		if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Values of one vendor as read, with where each starts. */
struct vin {
	const char *id, *tier, *blocked, *iban, *tax;
	size_t idn, tiern, blockedn, ibann, taxn;
	long line, col[5];	/* id, tier, blocked, iban, tax */
	int blocked_bool;	/* -1: text in blocked; 0/1 a JSON boolean */
};

static int
trimmed(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
	return *n > 0;
}

static int
word_in(const char *s, size_t n, const char *const *list)
{
	int i;

	for (i = 0; list[i]; i++)
		if (strlen(list[i]) == n && strncasecmp(s, list[i], n) == 0)
			return i;
	return -1;
}

static void
vendor_add(struct fo_vendors *vs, struct vin *in, struct fo_errs *errs,
    size_t before)
{
	static const char *const yes[] = { "x", "true", "1", "yes", "y", NULL };
	static const char *const no[] = { "false", "0", "no", "n", NULL };
	struct fo_vendor *v, nv;
	char msg[256];
	size_t *sl;
	int bad = 0;

	memset(&nv, 0, sizeof nv);
	nv.tier = NULL;
	nv.line = in->line;
	if (in->id == NULL || !trimmed(&in->id, &in->idn)) {
		add_err(errs, before, vs->file, in->line, in->col[0], "no "
		    "vendor_id");
		return;
	}
	if (in->tier && trimmed(&in->tier, &in->tiern)) {
		int t = word_in(in->tier, in->tiern, tiers);

		if (t < 0 || t == TIER_UNKNOWN) {
			snprintf(msg, sizeof msg, "tier '%.*s': strategic, "
			    "preferred, standard or tail", (int)(in->tiern > 40 ?
			    40 : in->tiern), in->tier);
			add_err(errs, before, vs->file, in->line, in->col[1], msg);
			bad = 1;
		} else
			nv.tier = tiers[t];
	}
	if (in->blocked_bool >= 0)
		nv.blocked = in->blocked_bool;
	else if (in->blocked && trimmed(&in->blocked, &in->blockedn)) {
		if (word_in(in->blocked, in->blockedn, yes) >= 0)
			nv.blocked = 1;
		else if (word_in(in->blocked, in->blockedn, no) < 0) {
			snprintf(msg, sizeof msg, "blocked '%.*s': X, true, 1 or "
			    "yes; empty, false, 0 or no", (int)(in->blockedn >
			    40 ? 40 : in->blockedn), in->blocked);
			add_err(errs, before, vs->file, in->line, in->col[2], msg);
			bad = 1;
		}
	}
	if (in->iban && trimmed(&in->iban, &in->ibann)) {
		if ((nv.iban = iban_norm(in->iban, in->ibann)) == NULL)
			bad = 1;
		else if (!iban_ok(nv.iban)) {
			snprintf(msg, sizeof msg, "iban '%.*s': two letters, two "
			    "digits, then letters and digits, 15 to 34 in all",
			    (int)(in->ibann > 40 ? 40 : in->ibann), in->iban);
			add_err(errs, before, vs->file, in->line, in->col[3], msg);
			bad = 1;
		}
	}
	if (in->tax && trimmed(&in->tax, &in->taxn))
		nv.tax_id = strndup(in->tax, in->taxn);
	if (!bad && (nv.id = strndup(in->id, in->idn)) == NULL)
		bad = 1;
	if (!bad && (vs->n + 1) * 2 > vs->nslot && vrehash(vs) != FO_OK)
		bad = 1;
	if (!bad && *(sl = vslot(vs, in->id, in->idn)) != 0) {
		snprintf(msg, sizeof msg, "duplicate vendor_id '%.*s' (first at "
		    "line %ld)", (int)(in->idn > 40 ? 40 : in->idn), in->id,
		    vs->v[*sl - 1].line);
		add_err(errs, before, vs->file, in->line, in->col[0], msg);
		bad = 1;
	}
	if (!bad && vs->n == vs->cap) {
		vs->cap = vs->cap ? 2 * vs->cap : 256;
		if ((v = realloc(vs->v, vs->cap * sizeof *v)) == NULL)
			bad = 1;
		else
			vs->v = v;
	}
	if (bad) {
		free(nv.id);
		free(nv.iban);
		free(nv.tax_id);
		return;
	}
	vs->v[vs->n++] = nv;
	*vslot(vs, in->id, in->idn) = vs->n;
}

/* The vendor master's columns, by header (folded: "Vendor ID" is
 * vendor_id), in the order of struct vin. */
static const char *const vcols[5][3] = {
	{ "vendorid", NULL }, { "tier", "vendortier", NULL },
	{ "blocked", NULL }, { "iban", NULL }, { "taxid", NULL }
};

static const char *const vnames[5] = {
	"vendor_id", "tier", "blocked", "iban", "tax_id"
};

static int
vendors_header(struct fo_vendors *vs, struct fo_csv *c,
    const struct fo_csv_row *row, long *col, struct fo_errs *errs,
    size_t before)
{
	char msg[128];
	size_t i;
	long l, cc;
	int k, j;

	for (i = 0; i < row->nf; i++)
		for (k = 0; k < 5; k++)
			for (j = 0; vcols[k][j]; j++) {
				if (!fo_header_fold_eq(row->f[i].p, row->f[i].n,
				    vcols[k][j]))
					continue;
				if (col[k] >= 0) {
					fo_csv_field_pos(c, row, i, &l, &cc);
					snprintf(msg, sizeof msg, "a second %s "
					    "column (the first is column %ld)",
					    vnames[k], col[k] + 1);
					add_err(errs, before, vs->file, l, cc, msg);
				}
				col[k] = (long)i;
			}
	if (col[0] < 0) {
		add_err(errs, before, vs->file, row->line, 1, "the header has "
		    "no vendor_id column");
		return FO_ERR;
	}
	return FO_OK;
}

static void
vin_set(struct vin *in, int k, const char *p, size_t n)
{
	const char **v[5] = { &in->id, &in->tier, &in->blocked, &in->iban,
	    &in->tax };
	size_t *vn[5] = { &in->idn, &in->tiern, &in->blockedn, &in->ibann,
	    &in->taxn };

	*v[k] = p;
	*vn[k] = n;
}

static void
vendors_csv(struct fo_vendors *vs, int fd, struct fo_errs *errs,
    size_t before)
{
	struct fo_csv_opts o = { 0 };
	struct fo_csv *c;
	struct fo_csv_row *row;
	struct fo_err e;
	struct vin in;
	long col[5] = { -1, -1, -1, -1, -1 }, l;
	size_t width = 0;
	int r, k, header = 0;
	char msg[128];

	o.encoding = "auto";
	if (fo_csv_open(&c, fd, vs->file, &o, &e) != FO_OK) {
		fo_errs_add(errs, &e);
		return;
	}
	while ((r = fo_csv_next(c, &row, &e)) != FO_EMPTY) {
		if (r == FO_ERR) {
			if (add_err(errs, before, vs->file, e.line, e.col,
			    e.msg) != FO_OK)
				break;
			continue;
		}
		if (r != FO_OK) {
			fo_errs_add(errs, &e);
			break;
		}
		if (row->nf == 0 || (row->nf == 1 && row->f[0].n == 0))
			continue;
		if (!header) {
			header = 1;
			width = row->nf;
			if (vendors_header(vs, c, row, col, errs, before) !=
			    FO_OK)
				break;
			continue;
		}
		if (row->nf != width) {
			snprintf(msg, sizeof msg, "%zu fields, the header has "
			    "%zu", row->nf, width);
			if (add_err(errs, before, vs->file, row->line, 1, msg) !=
			    FO_OK)
				break;
			continue;
		}
		memset(&in, 0, sizeof in);
		in.blocked_bool = -1;
		in.line = row->line;
		for (k = 0; k < 5; k++) {
			if (col[k] < 0)
				continue;
			vin_set(&in, k, row->f[col[k]].p, row->f[col[k]].n);
			fo_csv_field_pos(c, row, (size_t)col[k], &l, &in.col[k]);
		}
		vendor_add(vs, &in, errs, before);
		if (errs->n - before > MAX_ERRS)
			break;
	}
	if (!header && errs->n == before)
		add_err(errs, before, vs->file, 1, 1, "no header line with a "
		    "vendor_id column");
	fo_csv_close(c);
}

static int
is_null(const struct fo_rec *r, int t)
{
	struct fo_span sp;

	if (fo_rec_type(r, t) != FO_J_PRIMITIVE)
		return 0;
	sp = fo_rec_span(r, t);
	return sp.n == 4 && memcmp(sp.p, "null", 4) == 0;
}

static int
is_bool(const struct fo_rec *r, int t, int *v)
{
	struct fo_span sp;

	if (fo_rec_type(r, t) != FO_J_PRIMITIVE)
		return 0;
	sp = fo_rec_span(r, t);
	if (sp.n == 4 && memcmp(sp.p, "true", 4) == 0)
		return *v = 1, 1;
	if (sp.n == 5 && memcmp(sp.p, "false", 5) == 0)
		return *v = 0, 1;
	return 0;
}

static int
is_number(const struct fo_rec *r, int t)
{
	struct fo_span sp;

	if (fo_rec_type(r, t) != FO_J_PRIMITIVE)
		return 0;
	sp = fo_rec_span(r, t);
	return sp.n > 0 && (sp.p[0] == '-' || isdigit((unsigned char)sp.p[0]));
}

/* One vendor object of an NDJSON vendor master. FO_OK or FO_ERR. */
static int
vendor_obj(struct fo_vendors *vs, const struct fo_rec *rec, long line,
    struct fo_buf *b, struct vin *in, struct fo_errs *errs, size_t before)
{
	static const char *const keys[5][3] = {
		{ "vendor_id", NULL }, { "tier", "vendor_tier", NULL },
		{ "blocked", NULL }, { "iban", NULL }, { "tax_id", NULL }
	};
	char msg[128];
	int k, j, t, bv;

	memset(in, 0, sizeof *in);
	in->blocked_bool = -1;
	in->line = line;
	in->col[0] = 1;
	for (k = 0; k < 5; k++) {
		for (j = 0, t = -1; keys[k][j] && t < 0; j++)
			t = fo_rec_find(rec, keys[k][j]);
		if (t < 0 || is_null(rec, t))
			continue;
		in->col[k] = fo_rec_col(rec, t);
		if (k == 2 && is_bool(rec, t, &bv)) {
			in->blocked_bool = bv;
			continue;
		}
		/* numbers for an id, a tax id or a 1/0 flag; else text */
		if (fo_rec_type(rec, t) != FO_J_STRING && (k == 1 || k == 3 ||
		    !is_number(rec, t))) {
			snprintf(msg, sizeof msg, "%s must be %s", keys[k][0],
			    k == 2 ? "true, false or a text" : "a text");
			add_err(errs, before, vs->file, line, in->col[k], msg);
			return FO_ERR;
		}
		if (fo_rec_str(rec, t, &b[k]) != FO_OK)
			return FO_ERR;
		vin_set(in, k, b[k].p, b[k].n);
	}
	return FO_OK;
}

static void
vendors_ndjson(struct fo_vendors *vs, int fd, struct fo_errs *errs,
    size_t before)
{
	struct fo_lines ln;
	struct fo_rec rec;
	struct fo_err e;
	struct fo_buf b[5] = { { 0 } };
	struct vin in;
	const char *line;
	size_t len;
	int r, k;

	fo_lines_open(&ln, fd, vs->file, 0);
	fo_rec_init(&rec);
	while ((r = fo_lines_next(&ln, &line, &len, &e)) != FO_EMPTY) {
		if (r == FO_EIO || r == FO_ENOMEM) {
			fo_errs_add(errs, &e);
			break;
		}
		if (r == FO_ERR) {
			if (add_err(errs, before, vs->file, e.line, e.col,
			    e.msg) != FO_OK)
				break;
			continue;
		}
		if (len == 0)
			continue;
		if (fo_rec_parse(&rec, line, len, &e) != FO_OK) {
			if (add_err(errs, before, vs->file, ln.lineno, e.col,
			    e.msg) != FO_OK)
				break;
			continue;
		}
		if (vendor_obj(vs, &rec, ln.lineno, b, &in, errs, before) ==
		    FO_OK)
			vendor_add(vs, &in, errs, before);
		if (errs->n - before > MAX_ERRS)
			break;
	}
	for (k = 0; k < 5; k++)
		fo_buf_free(&b[k]);
	fo_rec_free(&rec);
	fo_lines_close(&ln);
}

int
fo_vendors_load(const char *path, struct fo_vendors **vp,
    struct fo_errs *errs)
{
	struct fo_vendors *vs;
	size_t before = errs->n;
	int fd;

	*vp = NULL;
	if ((vs = calloc(1, sizeof *vs)) == NULL)
		return FO_ENOMEM;
	vs->file = path;
	if ((fd = open(path, O_RDONLY)) < 0) {
		fo_errs_addf(errs, path, 0, 0, "%s", strerror(errno));
		fo_vendors_free(vs);
		return FO_EIO;
	}
	if (ends_with(path, ".ndjson") || ends_with(path, ".jsonl"))
		vendors_ndjson(vs, fd, errs, before);
	else
		vendors_csv(vs, fd, errs, before);
	close(fd);
	if (errs->n > before) {
		fo_errs_sort(errs, before);
		fo_vendors_free(vs);
		return FO_ERR;
	}
	*vp = vs;
	return FO_OK;
}

void
fo_vendors_free(struct fo_vendors *vs)
{
	size_t i;

	if (vs == NULL)
		return;
	for (i = 0; i < vs->n; i++) {
		free(vs->v[i].id);
		free(vs->v[i].iban);
		free(vs->v[i].tax_id);
	}
	free(vs->v);
	free(vs->slot);
	free(vs);
}

/*
 * Payment terms.
 */

struct tcur {
	const char *s;
	size_t i, n;
};

static void
tskip(struct tcur *c)
{
	while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t' ||
	    c->s[c->i] == ','))
		c->i++;
}

/* A word, case-insensitive, not followed by a letter. */
static int
tword(struct tcur *c, const char *w)
{
	size_t k = strlen(w);

	if (c->n - c->i < k || strncasecmp(c->s + c->i, w, k) != 0 ||
	    (c->i + k < c->n && isalpha((unsigned char)c->s[c->i + k])))
		return 0;
	c->i += k;
	return 1;
}

static int
tdays(struct tcur *c, int *days)
{
	size_t st = c->i;
	long v = 0;

	while (c->i < c->n && isdigit((unsigned char)c->s[c->i]) &&
	    c->i - st < 5)
		v = v * 10 + (c->s[c->i++] - '0');
	if (c->i == st || (c->i < c->n && (isdigit((unsigned char)c->s[c->i]) ||
	    c->s[c->i] == '.'))) {
		c->i = st;
		return 0;
	}
	*days = (int)v;
	return 1;
}

static int
tpct(struct tcur *c, struct fo_dec *d)
{
	struct fo_err e;
	size_t st = c->i;

	while (c->i < c->n && (isdigit((unsigned char)c->s[c->i]) ||
	    c->s[c->i] == '.'))
		c->i++;
	if (c->i == st || fo_dec_parse(c->s + st, c->i - st, FO_NUM_PLAIN,
	    FO_DEC_ASIS, d, &e) != FO_OK) {
		c->i = st;
		return 0;
	}
	return 1;
}

static int
tnet(struct tcur *c, struct fo_terms *t)
{
	size_t st = c->i, left = c->n - c->i;

	if (tword(c, "net"))
		tskip(c);
	else if (left >= 2 && strncasecmp(c->s + c->i, "n/", 2) == 0)
		c->i += 2;
	else if (tword(c, "n"))
		tskip(c);
	else if (left >= 3 && strncasecmp(c->s + c->i, "net", 3) == 0)
		c->i += 3;	/* net30 */
	else if (left >= 1 && (c->s[c->i] == 'n' || c->s[c->i] == 'N'))
		c->i += 1;	/* n30 */
	else
		return 0;
	if (!tdays(c, &t->net_days)) {
		c->i = st;
		return 0;
	}
	t->has_net = 1;
	tskip(c);
	(void)tword(c, "days");
	return 1;
}

int
fo_terms_parse(const char *s, size_t n, struct fo_terms *t)
{
	struct tcur c = { s, 0, n };
	size_t st;

	memset(t, 0, sizeof *t);
	tskip(&c);
	if (tword(&c, "due")) {
		tskip(&c);
		if (!tword(&c, "on"))
			return FO_EMPTY;
		tskip(&c);
		if (!tword(&c, "receipt"))
			return FO_EMPTY;
		t->has_net = 1;
		goto end;
	}
	if (tword(&c, "immediate") || tword(&c, "immediately")) {
		t->has_net = 1;
		goto end;
	}
	/* discount: PCT[%] then '/' or spaces, then DAYS */
	st = c.i;
	if (tpct(&c, &t->pct)) {
		int ok = 0;

		if (c.i < c.n && c.s[c.i] == '%')
			c.i++;
		while (c.i < c.n && (c.s[c.i] == ' ' || c.s[c.i] == '\t'))
			c.i++, ok = 1;
		if (c.i < c.n && c.s[c.i] == '/') {
			c.i++;
			ok = 1;
			while (c.i < c.n && c.s[c.i] == ' ')
				c.i++;
		}
		if (ok && tdays(&c, &t->disc_days))
			t->has_discount = 1;
		else {
			c.i = st;
			memset(&t->pct, 0, sizeof t->pct);
		}
	}
	tskip(&c);
	if (!tnet(&c, t) && !t->has_discount)
		return FO_EMPTY;
	tskip(&c);
	if (tword(&c, "eom"))
		t->eom = 1;
end:
	tskip(&c);
	if (c.i != c.n || (t->has_discount && (t->pct.v <= 0 ||
	    fo_dec_cmp(&t->pct, &(struct fo_dec){ 100, 0 }) >= 0))) {
		memset(t, 0, sizeof *t);
		return FO_EMPTY;
	}
	return FO_OK;
}

static int32_t
month_end(int32_t day)
{
	int y, m, d;

	fo_date_to_ymd(day, &y, &m, &d);
	return fo_date_from_ymd(y, m + 1, 1) - 1;
}

/* SAP's days and percents as an export writes them under extra: "10",
 * "010", "2,000", "2.000". A percent below 100 needs no group mark, so
 * a single ',' is its decimal mark. FO_OK, FO_EMPTY (absent or blank),
 * or FO_ERR with *tok the value's token. */
static int
sap_value(const struct fo_rec *x, const char *key, int pct, struct fo_dec *d,
    int *tok)
{
	static const struct fo_dec hundred = { 100, 0 };
	struct fo_buf b = { 0 };
	struct fo_err e;
	char *comma;
	int rc;

	*tok = fo_rec_find(x, key);
	if (*tok < 0 || is_null(x, *tok))
		return FO_EMPTY;
	if (fo_rec_str(x, *tok, &b) != FO_OK || fo_buf_cstr(&b) == NULL) {
		fo_buf_free(&b);
		return FO_ERR;
	}
	if (pct && (comma = strchr(b.p, ',')) != NULL && !strchr(b.p, '.') &&
	    !strchr(comma + 1, ','))
		*comma = '.';
	rc = fo_dec_parse(b.p, b.n, FO_NUM_PLAIN, pct ? FO_DEC_ASIS : 0, d, &e);
	fo_buf_free(&b);
	if (rc == FO_OK && (d->v < 0 || (pct ? fo_dec_cmp(d, &hundred) >= 0 :
	    d->v > 36500)))
		rc = FO_ERR;
	return rc;
}

static int
sap_terms(const struct fo_rec *r, int32_t base, struct fo_paydates *pd,
    struct fo_err *e)
{
	static const char *const keys[] = { "ZBD1T", "ZBD1P", "ZBD2T",
	    "ZBD3T" };
	/* kept across records, so that the hot loop does not allocate;
	 * still reachable at exit (the tools are single-threaded) */
	static struct fo_rec x;
	struct fo_span sp;
	struct fo_dec v[4];
	int t = fo_rec_find(r, "extra"), has[4], k, tok, rc;

	if (t < 0 || fo_rec_type(r, t) != FO_J_OBJECT)
		return FO_OK;
	sp = fo_rec_span(r, t);
	if ((rc = fo_rec_parse(&x, sp.p, sp.n, e)) != FO_OK)
		return rc;	/* it parsed as part of the record: memory */
	for (k = 0; k < 4; k++) {
		has[k] = 0;
		switch (sap_value(&x, keys[k], k == 1, &v[k], &tok)) {
		case FO_OK:
			has[k] = 1;
			break;
		case FO_EMPTY:
			break;
		default:
			fo_err_msg(e, "extra.%s: %s", keys[k], k == 1 ?
			    "a percent below 100, as 2,000 or 2.000" :
			    "a whole number of days");
			e->col = (long)(sp.p - r->text) + fo_rec_col(&x, tok);
			rc = FO_ERR;
			goto out;
		}
	}
	rc = FO_OK;
	/* net days: the last of ZBD3T, ZBD2T, ZBD1T that is set */
	for (k = 3; k >= 0; k--)
		if (k != 1 && has[k] && v[k].v > 0)
			break;
	if (!pd->has_due && k >= 0) {
		pd->has_due = 1;
		pd->due = base + (int32_t)v[k].v;
		pd->due_from = k == 3 ? "ZBD3T" : k == 2 ? "ZBD2T" : "ZBD1T";
	}
	if (!pd->has_discount && has[0] && has[1] && v[1].v > 0) {
		pd->has_discount = 1;
		pd->disc_date = base + (int32_t)v[0].v;
		pd->pct = v[1];
		pd->disc_from = "ZBD1T/ZBD1P";
	}
out:
	return rc;
}

int
fo_rec_paydates(const struct fo_rec *r, struct fo_paydates *pd,
    struct fo_err *e)
{
	static struct fo_buf b;	/* reused: no allocation per record */
	struct fo_terms tm;
	struct fo_dec pct;
	int32_t base, start, dd;
	int rc, hp, hd;

	memset(pd, 0, sizeof *pd);
	if ((rc = fo_get_date(r, "due_date", &pd->due, e)) < 0)
		goto out;
	if (rc == FO_OK) {
		pd->has_due = 1;
		pd->due_from = "due_date";
	}
	if ((hp = fo_get_dec(r, "discount_pct", &pct, e)) < 0 ||
	    (hd = fo_get_date(r, "discount_date", &dd, e)) < 0) {
		rc = FO_ERR;
		goto out;
	}
	if (hp == FO_OK && (pct.v < 0 || fo_dec_cmp(&pct,
	    &(struct fo_dec){ 100, 0 }) >= 0)) {
		fo_err_msg(e, "discount_pct: a percent from 0 to below 100");
		e->col = fo_rec_col(r, fo_rec_find(r, "discount_pct"));
		rc = FO_ERR;
		goto out;
	}
	if (hp == FO_OK && hd == FO_OK) {
		pd->has_discount = 1;
		pd->pct = pct;
		pd->disc_date = dd;
		pd->disc_from = "discount_date";
	}
	rc = FO_OK;
	if (pd->has_due && pd->has_discount)
		goto out;
	if ((rc = fo_get_date(r, "baseline_date", &base, e)) == FO_EMPTY) {
		rc = fo_get_date(r, "doc_date", &base, e);
		pd->base_from = "doc_date";
	} else
		pd->base_from = "baseline_date";
	if (rc != FO_OK)
		goto out;
	pd->has_base = 1;
	pd->base = base;
	if ((rc = fo_get_text(r, "terms", &b, e)) < 0)
		goto out;
	if (rc == FO_OK && fo_terms_parse(b.p, b.n, &tm) == FO_OK) {
		start = tm.eom ? month_end(base) : base;
		if (!pd->has_due && tm.has_net) {
			pd->has_due = 1;
			pd->due = start + tm.net_days;
			pd->due_from = "terms";
		}
		if (!pd->has_discount && tm.has_discount) {
			pd->has_discount = 1;
			pd->disc_date = start + tm.disc_days;
			pd->pct = tm.pct;
			pd->disc_from = "terms";
		}
	}
	rc = FO_OK;
	if (!pd->has_due || !pd->has_discount)
		rc = sap_terms(r, base, pd, e);
out:
	return rc > 0 ? FO_OK : rc;
}

/*
 * Scoring.
 */

static int
money_points(const struct bands *b, const struct fo_dec *v, size_t *which)
{
	size_t i;
	int p = 0;

	for (i = 0; i < b->n && fo_dec_cmp(&b->v[i].min, v) <= 0; i++) {
		p = b->v[i].points;
		*which = i;
	}
	return p;
}

/* What the reasons quote, written without the printf family (they are
 * written on every record), and NULL as printf writes it. */
static void
put_str(struct fo_buf *b, const char *s)
{
	fo_buf_puts(b, s ? s : "(null)");
}

/* pre what " from " from post */
static void
put_from(struct fo_buf *b, const char *pre, const char *what,
    const char *from, const char *post)
{
	fo_buf_puts(b, pre);
	put_str(b, what);
	fo_buf_puts(b, " from ");
	put_str(b, from);
	fo_buf_puts(b, post);
}

static void
put_money(struct fo_buf *b, const struct fo_dec *d, const char *cur)
{
	char buf[FO_DEC_BUFSZ];

	fo_dec_fmt(d, buf);
	fo_buf_puts(b, buf);
	fo_buf_putc(b, ' ');
	put_str(b, cur);
}

static void
put_short(struct fo_buf *b, const struct fo_dec *d)
{
	char buf[FO_DEC_BUFSZ];

	dec_short(*d, buf);
	fo_buf_puts(b, buf);
}

static void
put_days(struct fo_buf *b, long n)
{
	fo_buf_putll(b, n);
	fo_buf_puts(b, n == 1 || n == -1 ? " day" : " days");
}

static void
put_date(struct fo_buf *b, int32_t d)
{
	char buf[16];

	fo_date_fmt(d, buf);
	fo_buf_puts(b, buf);
}

/* What fo-score knows of a record. */
struct facts {
	const char *cls;
	int has_amount;
	struct fo_dec amount, rate, base;	/* base: |amount| converted */
	struct fo_dec amount_base;		/* signed, as written out */
	int norate;		/* an amount, but no rate to the base */
	const char *cur;
	char curbuf[4];
	int credit;				/* doc_type credit_memo */
	struct fo_paydates pd;
	int has_age;
	long age;
	const char *age_from;
	int32_t age_date;
	const char *vendor_id;
	const struct fo_vendor *vendor;
	const char *tier;
	int tier_k;
	const char *tier_from;
	const char *sens;
	int has_dup;
	struct fo_dec dup_score;
	int has_sla;
	int64_t sla_due;
	char sla_what[96];
	const char *iban;
};

static int
gather(struct fo_score *s, const struct fo_rec *r, struct facts *f,
    struct fo_err *e)
{
	struct fo_buf *fb = s->f;
	struct fo_money m;
	int t, rc;
	int32_t d;

	/* exception: read by the caller */
	if ((rc = fo_get_money(r, "amount", "currency", &m, e)) < 0)
		return rc;
	if (rc == FO_OK) {
		t = fo_rec_find(r, "amount");
		if (m.cur[0] == '\0') {
			fo_err_msg(e, "amount without a currency");
			e->col = fo_rec_col(r, t);
			return FO_ERR;
		}
		memcpy(f->curbuf, m.cur, sizeof f->curbuf);
		f->cur = f->curbuf;
		f->amount = m.v;
		if (strcmp(f->cur, s->base) == 0)
			f->rate = one;
		else if (fo_rates_get(s->rates, f->cur, &f->rate) != FO_OK) {
			/* missing reference data never drops an exception
			 * from the night: scored with the amount unknown,
			 * said in its reasons, counted for the run */
			f->norate = 1;
			s->norate++;
			goto noamount;
		}
		if (fo_dec_mul(&f->amount, &f->rate, s->minor,
		    &f->amount_base) != FO_OK) {
			fo_err_msg(e, "amount too large in %s", s->base);
			e->col = fo_rec_col(r, t);
			return FO_ERR;
		}
		f->base = dec_abs(f->amount_base);
		f->has_amount = 1;
	}
noamount:
	if ((rc = fo_get_text(r, "doc_type", &fb[2], e)) < 0)
		return rc;
	f->credit = rc == FO_OK && strcmp(fb[2].p, "credit_memo") == 0;
	if (fo_rec_paydates(r, &f->pd, e) != FO_OK)
		return FO_ERR;
	/* age: of the exception, since the hold; else of the document */
	f->age_from = "hold_date";
	if ((rc = fo_get_date(r, "hold_date", &d, e)) == FO_EMPTY) {
		f->age_from = "doc_date";
		rc = fo_get_date(r, "doc_date", &d, e);
	}
	if (rc < 0)
		return FO_ERR;
	if (rc == FO_OK) {
		f->has_age = 1;
		f->age_date = d;
		f->age = (long)s->as_of - d;
	}
	/* the vendor: the record's tier wins over the vendor master's */
	if ((rc = fo_get_text(r, "vendor_id", &fb[3], e)) < 0)
		return rc;
	if (rc == FO_OK) {
		f->vendor_id = fb[3].p;
		f->vendor = fo_vendors_get(s->vendors, fb[3].p, fb[3].n);
	}
	f->tier_k = TIER_UNKNOWN;
	if ((rc = fo_get_text(r, "vendor_tier", &fb[4], e)) < 0)
		return rc;
	if (rc == FO_OK && (t = word_in(fb[4].p, fb[4].n, tiers)) >= 0 &&
	    t != TIER_UNKNOWN) {
		f->tier_k = t;
		f->tier_from = "record";
	} else if (f->vendor && f->vendor->tier) {
		f->tier_k = lookup(f->vendor->tier, tiers);
		f->tier_from = "vendor master";
	}
	if ((rc = fo_get_text(r, "sensitivity", &fb[5], e)) < 0)
		return rc;
	f->sens = rc == FO_OK ? fb[5].p : NULL;
	if ((rc = fo_get_dec(r, "duplicate_score", &f->dup_score, e)) < 0)
		return rc;
	f->has_dup = rc == FO_OK && f->dup_score.v > 0;
	/* the SLA fo-route will give the record, computed as it does */
	if (s->sla && s->sla_points > 0) {
		if ((rc = fo_route_sla(s->sla, r, s->sla_asof, &f->sla_due,
		    f->sla_what, sizeof f->sla_what, e)) < 0)
			return rc;
		f->has_sla = rc == FO_OK;
	}
	if ((rc = fo_get_text(r, "iban", &fb[6], e)) < 0)
		return rc;
	if (rc == FO_OK) {
		char *p = fb[6].p, *q = p;
		size_t i;

		for (i = 0; i < fb[6].n; i++)
			if (p[i] != ' ' && p[i] != '\t')
				*q++ = (char)toupper((unsigned char)p[i]);
		fb[6].n = (size_t)(q - p);
		f->iban = fo_buf_cstr(&fb[6]);
	}
	return FO_OK;
}

/* The points of one factor, and why, into why (nothing for 0). */
static int
factor(struct fo_score *s, int fac, const struct facts *f, struct fo_buf *w)
{
	const struct entry *en;
	struct fo_dec v;
	size_t k = 0;
	long days;
	int p = 0, t;
	const char *c = f->cls;
	char ts[32];

	switch (fac) {
	case F_AMOUNT:
		if (!f->has_amount || (p = money_points(&s->amount, &f->base,
		    &k)) == 0)
			return 0;
		fo_buf_puts(w, "amount: ");
		put_money(w, &f->amount_base, s->base);
		if (strcmp(f->cur, s->base) != 0) {
			fo_buf_puts(w, " (");
			put_money(w, &f->amount, f->cur);
			fo_buf_puts(w, " at ");
			put_short(w, &f->rate);
			fo_buf_puts(w, ")");
		}
		if (f->amount_base.v < 0) {	/* a credit is at stake too */
			fo_buf_puts(w, ", ");
			put_money(w, &f->base, s->base);
			fo_buf_puts(w, " at stake");
		}
		fo_buf_puts(w, ", band from ");
		put_short(w, &s->amount.v[k].min);
		return p;
	case F_VENDOR_TIER:
		if ((p = s->tier[f->tier_k]) == 0)
			return 0;
		fo_buf_puts(w, "vendor_tier: ");
		put_str(w, tiers[f->tier_k]);
		if (f->tier_from) {
			fo_buf_puts(w, " (");
			put_str(w, f->tier_from);
			fo_buf_putc(w, ')');
		}
		else if (f->vendor_id == NULL)
			fo_buf_puts(w, " (no vendor_id)");
		else if (s->vendors && f->vendor == NULL)
			fo_buf_puts(w, " (not in the vendor master)");
		return p;
	case F_DUE:
		if (!f->pd.has_due)
			return 0;
		days = (long)f->pd.due - s->as_of;
		for (k = 0; k < s->due.n && days > s->due.v[k].days; k++)
			;
		if (k == s->due.n || (p = s->due.v[k].points) == 0)
			return 0;
		fo_buf_puts(w, "due: ");
		if (days < 0) {
			put_days(w, -days);
			fo_buf_puts(w, " overdue");
		} else if (days == 0)
			fo_buf_puts(w, "due today");
		else {
			fo_buf_puts(w, "due in ");
			put_days(w, days);
		}
		fo_buf_puts(w, ", net due ");
		put_date(w, f->pd.due);
		if (strcmp(f->pd.due_from, "due_date") != 0)
			put_from(w, " (", f->pd.due_from, f->pd.base_from,
			    ")");
		return p;
	case F_DISCOUNT:
		if (!f->has_amount || !f->pd.has_discount || f->credit ||
		    f->pd.pct.v <= 0)
			return 0;
		days = (long)f->pd.disc_date - s->as_of;
		if (days < 0 || days > s->disc_within)
			return 0;
		/* |amount| x rate x pct / 100, rounded once */
		if (fo_dec_mul3(&f->amount, &f->rate, &f->pd.pct, 2, s->minor, &v) !=
		    FO_OK)
			return 0;
		v = dec_abs(v);
		if ((p = money_points(&s->discount, &v, &k)) == 0)
			return 0;
		fo_buf_puts(w, "discount: ");
		put_short(w, &f->pd.pct);
		fo_buf_puts(w, "% = ");
		put_money(w, &v, s->base);
		fo_buf_puts(w, ", last day ");
		put_date(w, f->pd.disc_date);
		if (days == 0)
			fo_buf_puts(w, " (today");
		else {
			fo_buf_puts(w, " (in ");
			put_days(w, days);
		}
		if (strcmp(f->pd.disc_from, "discount_date") != 0)
			put_from(w, "; ", f->pd.disc_from, f->pd.base_from,
			    "");
		fo_buf_putc(w, ')');
		return p;
	case F_AGE:
		if (!f->has_age)
			return 0;
		for (k = s->age.n; k > 0 && f->age < s->age.v[k - 1].days; k--)
			;
		if (k == 0 || (p = s->age.v[k - 1].points) == 0)
			return 0;
		fo_buf_puts(w, "age: ");
		put_days(w, f->age);
		fo_buf_puts(w, " since ");
		put_str(w, f->age_from);
		fo_buf_putc(w, ' ');
		put_date(w, f->age_date);
		return p;
	case F_SLA_RISK:
		/* breached by the as-of instant, as fo-route and fo-age
		 * judge it */
		if (!f->has_sla || s->sla_points == 0 ||
		    s->sla_asof->at <= f->sla_due)
			return 0;
		fo_ts_fmt(f->sla_due, ts);
		fo_buf_puts(w, "sla_risk: SLA due ");
		fo_buf_puts(w, ts);
		fo_buf_puts(w, " (");
		put_str(w, f->sla_what);
		fo_buf_puts(w, "), passed");
		return s->sla_points;
	case F_DUPLICATE:
		if (!f->has_amount || !f->has_dup ||
		    fo_dec_mul3(&f->amount, &f->rate, &f->dup_score, 0, s->minor, &v) !=
		    FO_OK)
			return 0;
		v = dec_abs(v);
		if ((p = money_points(&s->duplicate, &v, &k)) == 0)
			return 0;
		fo_buf_puts(w, "duplicate: ");
		put_short(w, &f->dup_score);
		fo_buf_puts(w, " x ");
		put_money(w, &f->base, s->base);
		fo_buf_puts(w, " = ");
		put_money(w, &v, s->base);
		fo_buf_puts(w, " exposed");
		return p;
	case F_SENSITIVITY:
		if (f->sens == NULL || (t = lookup(f->sens, fo_sensitivities)) < 0 ||
		    (p = s->sens[t]) == 0)
			return 0;
		fo_buf_puts(w, "sensitivity: ");
		put_str(w, f->sens);
		return p;
	case F_CLASS:
		if ((en = table_get(&s->cls, c)) != NULL)
			p = en->val;
		else if (s->cls.has_default)
			p = s->cls.def;
		if (p == 0)
			return 0;
		fo_buf_puts(w, "class: ");
		put_str(w, c);
		fo_buf_puts(w, en ? "" : " (default)");
		return p;
	case F_BLOCKED_VENDOR:
		if (f->vendor == NULL || !f->vendor->blocked ||
		    s->blocked_points == 0)
			return 0;
		fo_buf_puts(w, "blocked_vendor: vendor ");
		put_str(w, f->vendor_id);
		fo_buf_puts(w, " is blocked in the vendor master");
		return s->blocked_points;
	case F_BANK_MISMATCH:
		if (f->vendor == NULL || f->vendor->iban == NULL ||
		    f->iban == NULL || strcmp(f->iban, f->vendor->iban) == 0 ||
		    s->bank_points == 0)
			return 0;
		fo_buf_puts(w, "bank_mismatch: iban ending ");
		fo_buf_puts(w, f->iban + (strlen(f->iban) > 4 ?
		    strlen(f->iban) - 4 : 0));
		fo_buf_puts(w, " is not the vendor master's, ending ");
		fo_buf_puts(w, f->vendor->iban + strlen(f->vendor->iban) - 4);
		return s->bank_points;
	}
	return 0;
}

/* The amount factor's reason when no rate reaches the base currency. */
static void
norate_reason(struct fo_score *s, const struct facts *f)
{
	fo_buf_reset(&s->tmp);
	fo_buf_puts(&s->tmp, "amount: unknown, no rate for ");
	fo_buf_puts(&s->tmp, f->cur);
	fo_buf_puts(&s->tmp, " to ");
	fo_buf_puts(&s->tmp, s->base);
	if (s->rates) {
		fo_buf_puts(&s->tmp, " in ");
		fo_buf_puts(&s->tmp, fo_rates_file(s->rates));
	} else
		fo_buf_puts(&s->tmp, " (no --rates)");
	fo_buf_puts(&s->tmp, ": 0 points for the amount");
}

int
fo_score_rec(struct fo_score *s, const struct fo_rec *r, struct fo_buf *out,
    struct fo_err *e)
{
	struct fo_buf *b = &s->vals, *w = &s->why;
	struct facts f;
	struct fo_kv kv[6];
	size_t off[7], nkv = 0, i, nwhy = 0;
	int t, pts[NFACTOR], total = 0;
	char buf[FO_DEC_BUFSZ];

	fo_err_clear(e);
	memset(&f, 0, sizeof f);
	if ((t = fo_rec_exception(r, &s->f[0], e)) != FO_OK)
		return t;
	f.cls = s->f[0].p;
	if ((t = gather(s, r, &f, e)) != FO_OK)
		return t;

	fo_buf_reset(b);
	fo_buf_reset(w);
	fo_buf_putc(w, '[');
	for (i = 0; i < s->nfactor; i++) {
		fo_buf_reset(&s->tmp);
		pts[i] = factor(s, s->order[i], &f, &s->tmp);
		total += pts[i];
		if (pts[i] == 0 && !(s->order[i] == F_AMOUNT && f.norate))
			continue;
		if (pts[i] == 0)
			norate_reason(s, &f);
		if (nwhy++ > 0)
			fo_buf_putc(w, ',');
		fo_json_str_lossy(w, s->tmp.p, s->tmp.n);
	}
	fo_buf_putc(w, ']');

	off[nkv] = b->n;
	fo_buf_putll(b, total);
	kv[nkv++].key = "priority";
	off[nkv] = b->n;
	fo_buf_puts(b, total >= s->p1 ? "\"P1\"" : total >= s->p2 ?
	    "\"P2\"" : total >= s->p3 ? "\"P3\"" : "\"P4\"");
	kv[nkv++].key = "priority_band";
	off[nkv] = b->n;
	fo_buf_putc(b, '{');
	for (i = 0; i < s->nfactor; i++) {
		fo_buf_puts(b, i ? ",\"" : "\"");
		fo_buf_puts(b, factor_names[s->order[i]]);
		fo_buf_puts(b, "\":");
		fo_buf_putll(b, pts[i]);
	}
	fo_buf_putc(b, '}');
	kv[nkv++].key = "priority_factors";
	off[nkv] = b->n;
	fo_buf_put(b, w->p, w->n);
	kv[nkv++].key = "priority_reasons";
	if (f.has_amount) {
		off[nkv] = b->n;
		fo_buf_put(b, buf, fo_dec_fmt(&f.amount_base, buf));
		kv[nkv++].key = "amount_base";
		off[nkv] = b->n;
		fo_buf_putc(b, '"');
		put_str(b, s->base);
		fo_buf_putc(b, '"');
		kv[nkv++].key = "base_currency";
	} else if (fo_rec_find(r, "amount_base") >= 0 ||
	    fo_rec_find(r, "base_currency") >= 0) {
		/* no amount now: an earlier run's must not stay */
		off[nkv] = b->n;
		fo_buf_puts(b, "null");
		kv[nkv++].key = "amount_base";
		off[nkv] = b->n;
		fo_buf_puts(b, "null");
		kv[nkv++].key = "base_currency";
	}
	off[nkv] = b->n;
	if (b->oom || w->oom)
		return FO_ENOMEM;
	for (i = 0; i < nkv; i++) {
		kv[i].val = b->p + off[i];
		kv[i].vlen = off[i + 1] - off[i];
	}
	return fo_rec_write(r, kv, nkv, out);
}
