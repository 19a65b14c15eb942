/*
 * score.c - fo-score's model (rules/score.yaml): the points a record
 * earns on each factor, which add up to its priority, loaded and checked
 * with every mistake at its position; the rates, vendors and SLAs it
 * scores with. scoring.c scores a record with it; rates.c, vendors.c and
 * terms.c read the exchange rates, the vendor master and payment terms.
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
#include "score.h"

const char *const fo_score_factor_names[] = {
	"amount", "vendor_tier", "due", "discount", "age", "sla_risk",
	"duplicate", "sensitivity", "class", "blocked_vendor",
	"bank_mismatch", NULL
};

const char *const fo_score_tiers[] = {
	"strategic", "preferred", "standard", "tail", "unknown", NULL
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

int
fo_score_lookup(const char *s, const char *const *list)
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
		if ((k = fo_score_lookup(y->kid[i]->str, names)) >= 0)
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
		load_named(s, y, "vendor_tier", fo_score_tiers, s->tier, errs);
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
	if (fo_ymap_check(y, fo_score_factor_names, "factors", path,
	    errs) == 0 &&
	    y->n == 0)
		fo_yerr(errs, path, y, "factors: %s", "at least one factor");
	if (y->type != FO_Y_MAP)
		goto out;
	for (i = 0; i + 1 < y->n; i += 2) {
		if ((f = fo_score_lookup(y->kid[i]->str,
		    fo_score_factor_names)) < 0)
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
		    fo_score_factor_names[s->order[i]], m);
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
	if (fo_errs_verdict(errs, before) != FO_OK) {
		fo_score_free(s);
		return FO_ERR;
	}
	*sp = s;
	return FO_OK;
}

void
fo_score_free(struct fo_score *s)
{
	if (s == NULL)
		return;
	fo_owned_free(&s->owned);
	fo_buf_free(&s->vals);
	fo_buf_free(&s->why);
	fo_buf_free(&s->tmp);
	fo_buf_free(&s->facs);
	fo_bufs_free(s->f, sizeof s->f / sizeof s->f[0]);
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
