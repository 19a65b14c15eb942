/*
 * ageflow.c - what fo-age knows of cases beyond last night's snapshot:
 * the resolution history (--resolved, --resolved-out), one file a
 * night, which tells a case resolved on an earlier night and back
 * tonight (reopened) from a new one; and people's decisions
 * (--decisions), which tell how a resolved case was resolved.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"
#include "age.h"

/* A whole number of at least 0 under key: FO_OK, FO_EMPTY when absent,
 * FO_ERR (e->msg, e->col) when not one. */
static int
count_field(const struct fo_rec *r, const char *key, long *v,
    struct fo_err *e)
{
	struct fo_dec d;
	int rc;

	if ((rc = fo_get_dec(r, key, &d, e)) != FO_OK)
		return rc;
	if (d.scale != 0 || d.v < 0 || d.v > 1000000) {
		e->col = fo_rec_col(r, fo_rec_find(r, key));
		fo_err_msg(e, "%s: a whole number, 0 to 1000000", key);
		return FO_ERR;
	}
	*v = (long)d.v;
	return FO_OK;
}

/* A field every line must have: FO_EMPTY becomes an error. */
static int
need(int rc, const char *key, struct fo_err *e)
{
	if (rc == FO_EMPTY) {
		e->col = 0;
		fo_err_msg(e, "no %s", key);
		return FO_ERR;
	}
	return rc;
}

static int
gone_cmp(const void *x, const void *y)
{
	return strcmp(((const struct fo_gone *)x)->id,
	    ((const struct fo_gone *)y)->id);
}

static int
dec_cmp(const void *x, const void *y)
{
	const struct decision *p = x, *q = y;
	int c;

	if ((c = strcmp(p->id, q->id)) != 0)
		return c;
	if (p->resolved_on != q->resolved_on)
		return p->resolved_on > q->resolved_on ? 1 : -1;
	return (p->line > q->line) - (p->line < q->line);
}

/* The history last night's run wrote, for fo-age --resolved and
 * fo-classify --resolved alike: the same verdict on the same line. */
int
fo_history_load(const char *path, int32_t as_of, struct fo_gone **vp,
    size_t *np, struct fo_err *e)
{
	struct fo_recfile f;
	struct fo_rec *r = &f.rec;
	struct fo_buf b = { 0 };
	struct fo_gone *g, *v = NULL;
	char day[16], asof[16];
	size_t cap = 0, n = 0, i;
	int rr, ret;

	*vp = NULL;
	*np = 0;
	if ((ret = fo_recfile_open(&f, path, "the resolution history", e)) !=
	    FO_OK)
		return ret;
	while ((rr = fo_recfile_next(&f, e)) != FO_EMPTY) {
		if (rr != FO_OK) {
			ret = rr == FO_ERR || rr == FO_ENOMEM ? rr : FO_EIO;
			break;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			if ((g = realloc(v, cap * sizeof *g)) == NULL) {
				ret = FO_ENOMEM;
				break;
			}
			v = g;
		}
		g = &v[n];
		memset(g, 0, sizeof *g);
		if ((rr = need(fo_get_text(r, "id", &b, e), "id", e)) ==
		    FO_OK &&
		    (rr = need(fo_get_date(r, "first_seen", &g->first_seen,
		    e), "first_seen", e)) == FO_OK &&
		    (rr = need(fo_get_date(r, "resolved_on", &g->resolved_on,
		    e), "resolved_on", e)) == FO_OK &&
		    (rr = need(count_field(r, "reopens", &g->reopens, e),
		    "reopens", e)) == FO_OK &&
		    (rr = need(count_field(r, "reassigns", &g->reassigns, e),
		    "reassigns", e)) == FO_OK && g->resolved_on > as_of) {
			e->col = fo_rec_col(r, fo_rec_find(r, "resolved_on"));
			fo_date_fmt(g->resolved_on, day);
			fo_date_fmt(as_of, asof);
			fo_err_msg(e, "resolved on %.10s, after --as-of %.10s: "
			    "the history of a later night", day, asof);
			rr = FO_ERR;
		} else if (rr == FO_OK && g->first_seen > g->resolved_on) {
			e->col = fo_rec_col(r, fo_rec_find(r, "first_seen"));
			fo_err_msg(e, "first_seen after resolved_on");
			rr = FO_ERR;
		}
		if (rr != FO_OK) {
			fo_recfile_at(&f, e);
			ret = rr == FO_ENOMEM ? rr : FO_ERR;
			break;
		}
		if ((g->id = strdup(b.p)) == NULL) {
			ret = FO_ENOMEM;
			break;
		}
		n++;
	}
	fo_recfile_close(&f);
	fo_buf_free(&b);
	if (ret == FO_OK && n > 1)
		qsort(v, n, sizeof *v, gone_cmp);
	for (i = 1; ret == FO_OK && i < n; i++)
		if (strcmp(v[i - 1].id, v[i].id) == 0) {
			fo_err_set(e, path, 0, 0, "id '%.60s' twice: not a "
			    "history fo-age wrote", v[i].id);
			ret = FO_ERR;
		}
	if (ret != FO_OK) {
		fo_history_free(v, n);
		return ret;
	}
	*vp = v;
	*np = n;
	return FO_OK;
}

struct fo_gone *
fo_history_find(struct fo_gone *v, size_t n, const char *id)
{
	size_t lo = 0, hi = n, m;
	int c;

	while (lo < hi) {
		m = lo + (hi - lo) / 2;
		if ((c = strcmp(id, v[m].id)) == 0)
			return &v[m];
		if (c < 0)
			hi = m;
		else
			lo = m + 1;
	}
	return NULL;
}

void
fo_history_free(struct fo_gone *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].id);
	free(v);
}

/* --resolved: a line that is not one stops the run: a history misread
 * would call a reopened case new. */
int
fo_age_resolved_load(struct fo_age *a, const char *path, struct fo_err *e)
{
	a->has_gone = 1;
	return fo_history_load(path, a->as_of, &a->gone, &a->ngone, e);
}

static void
gone_line(struct fo_buf *o, const char *id, int32_t first, int32_t on,
    long reopens, long reassigns)
{
	char day[11];

	fo_buf_puts(o, "{\"id\":");
	fo_json_str(o, id, strlen(id));
	fo_date_fmt(first, day);
	day[10] = '\0';
	fo_buf_printf(o, ",\"first_seen\":\"%s\"", day);
	fo_date_fmt(on, day);
	fo_buf_printf(o, ",\"resolved_on\":\"%s\",\"reopens\":%ld,"
	    "\"reassigns\":%ld}\n", day, reopens, reassigns);
}

/* Tonight's history: last night's, less the cases back tonight, and the
 * cases of last night's snapshot not here tonight, resolved tonight; by
 * id, so that a rerun of the night gives the same bytes. Call after
 * every record was read. */
int
fo_age_resolved_write(struct fo_age *a, struct fo_buf *o)
{
	size_t i = 0, j = 0;
	int c;

	for (;;) {
		while (i < a->ngone && a->gone[i].back)
			i++;
		while (j < a->nprev && a->prev[j].seen)
			j++;
		if (i == a->ngone && j == a->nprev)
			break;
		c = i == a->ngone ? 1 : j == a->nprev ? -1 :
		    strcmp(a->gone[i].id, a->prev[j].id);
		if (c < 0) {
			gone_line(o, a->gone[i].id, a->gone[i].first_seen,
			    a->gone[i].resolved_on, a->gone[i].reopens,
			    a->gone[i].reassigns);
			i++;
		} else {
			/* resolved again tonight: tonight's word */
			if (c == 0)
				i++;
			gone_line(o, a->prev[j].id, a->prev[j].first_seen,
			    a->as_of, a->prev[j].reopens,
			    a->prev[j].reassigns);
			j++;
		}
		fo_age_spill(a);
	}
	return o->oom ? FO_ENOMEM : FO_OK;
}

/* --decisions: {"id","resolved_on","by","action","touches"} a line.
 * Every mistake is reported with its position (errs); FO_OK, FO_ERR or
 * FO_EIO. */
int
fo_age_decisions_load(struct fo_age *a, const char *path,
    struct fo_errs *errs)
{
	struct fo_recfile f;
	struct fo_rec *r = &f.rec;
	struct fo_buf b = { 0 };
	struct fo_err e;
	struct decision *d;
	size_t cap = 0, i, before = errs->n;
	int rr, ret;

	a->has_dec = 1;
	fo_err_clear(&e);
	/* a file named and not there is the user's mistake, as --prev's */
	if ((ret = fo_recfile_open(&f, path, "the decisions", &e)) != FO_OK) {
		fo_errs_addf(errs, path, 0, 0, "%s", e.msg);
		return ret;
	}
	while ((rr = fo_recfile_next(&f, &e)) != FO_EMPTY) {
		if (rr == FO_EIO || rr == FO_ENOMEM) {
			ret = rr;
			break;
		}
		if (a->ndec == cap) {
			cap = cap ? 2 * cap : 64;
			if ((d = realloc(a->dec, cap * sizeof *d)) == NULL) {
				ret = FO_ENOMEM;
				break;
			}
			a->dec = d;
		}
		d = &a->dec[a->ndec];
		memset(d, 0, sizeof *d);
		if (rr == FO_OK &&
		    (rr = need(fo_get_text(r, "id", &b, &e), "id", &e)) ==
		    FO_OK && (d->id = strdup(b.p)) == NULL)
			rr = FO_ENOMEM;
		if (rr == FO_OK)
			rr = need(fo_get_date(r, "resolved_on",
			    &d->resolved_on, &e), "resolved_on", &e);
		if (rr == FO_OK)
			rr = need(fo_get_text(r, "by", &b, &e), "by", &e);
		if (rr == FO_OK)
			rr = need(fo_get_text(r, "action", &b, &e), "action",
			    &e);
		if (rr == FO_OK)
			rr = need(count_field(r, "touches", &d->touches, &e),
			    "touches", &e);
		if (rr == FO_ENOMEM) {
			free(d->id);
			ret = FO_ENOMEM;
			break;
		}
		if (rr != FO_OK) {
			free(d->id);
			if (fo_errs_addf(errs, path, f.in.lineno, e.col, "%s",
			    e.msg) != FO_OK) {
				ret = FO_ENOMEM;
				break;
			}
			continue;
		}
		d->line = f.in.lineno;
		a->ndec++;
	}
	fo_recfile_close(&f);
	fo_buf_free(&b);
	if (ret == FO_OK && a->ndec > 1) {
		/* the same case resolved twice on one day: the later line is
		 * the mistake */
		qsort(a->dec, a->ndec, sizeof *a->dec, dec_cmp);
		for (i = 1; i < a->ndec; i++)
			if (strcmp(a->dec[i - 1].id, a->dec[i].id) == 0 &&
			    a->dec[i - 1].resolved_on == a->dec[i].resolved_on)
				fo_errs_addf(errs, path, a->dec[i].line, 0,
				    "a second decision on id '%.60s' resolved "
				    "the same day (line %ld)", a->dec[i].id,
				    a->dec[i - 1].line);
	}
	if (ret != FO_OK)
		return ret;
	return errs->n > before ? FO_ERR : FO_OK;
}

/* The decision of a case resolved tonight: its latest from the day it
 * was first seen to the as-of date; one before is of an earlier life of
 * the case, one after of a later night. */
const struct decision *
fo_age_decision_find(const struct fo_age *a, const char *id, int32_t from)
{
	const struct decision *best = NULL;
	size_t lo = 0, hi = a->ndec, m;

	while (lo < hi) {	/* the first of id */
		m = (lo + hi) / 2;
		if (strcmp(a->dec[m].id, id) < 0)
			lo = m + 1;
		else
			hi = m;
	}
	for (; lo < a->ndec && strcmp(a->dec[lo].id, id) == 0; lo++)
		if (a->dec[lo].resolved_on >= from &&
		    a->dec[lo].resolved_on <= a->as_of)
			best = &a->dec[lo];
	return best;
}
