/*
 * carry.c - the cases across nights: last night's snapshot read once,
 * by id, so that each exception of tonight carries the day it was first
 * seen, how many nights it has been open and the queue it was in
 * (fo-record.5, CASES ACROSS NIGHTS). A clock that restarts every night
 * never breaches: a snapshot that cannot be read is an error, never a
 * first night.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

struct carried {
	char *id;
	char *queue;		/* last night's queue, or NULL */
	char *prev_queue;	/* the night before's, for a rerun */
	int32_t first_seen;
	long nights;		/* nights open, last night included */
};

struct fo_carry {
	int32_t as_of;
	int32_t night;		/* the snapshot's seen_on; -1: first night */
	struct carried *c;
	size_t n;
	struct fo_gone *gone;	/* the resolution history, by id */
	size_t ngone;
	struct fo_buf id, val;
};

static int
carried_cmp(const void *x, const void *y)
{
	return strcmp(((const struct carried *)x)->id,
	    ((const struct carried *)y)->id);
}

static const struct carried *
carried_find(const struct fo_carry *k, const char *id)
{
	size_t lo = 0, hi = k->n, m;
	int c;

	while (lo < hi) {
		m = lo + (hi - lo) / 2;
		if ((c = strcmp(id, k->c[m].id)) == 0)
			return &k->c[m];
		if (c < 0)
			hi = m;
		else
			lo = m + 1;
	}
	return NULL;
}

/* One exception of the snapshot: its carried fields, all of them. */
static int
snap_rec(struct fo_carry *k, const struct fo_rec *r, struct carried *c,
    struct fo_buf *b, struct fo_err *e)
{
	struct fo_dec nights;
	int32_t seen;
	int rc;

	if ((rc = fo_get_text(r, "id", b, e)) == FO_EMPTY)
		fo_err_msg(e, "an exception without an id");
	if (rc != FO_OK)
		return rc == FO_ENOMEM ? rc : FO_ERR;
	if ((c->id = strdup(b->p)) == NULL)
		return FO_ENOMEM;
	if ((rc = fo_get_date(r, "seen_on", &seen, e)) == FO_EMPTY ||
	    (rc == FO_OK && (rc = fo_get_date(r, "first_seen",
	    &c->first_seen, e)) == FO_EMPTY) ||
	    (rc == FO_OK && (rc = fo_get_dec(r, "nights_open", &nights,
	    e)) == FO_EMPTY)) {
		fo_err_msg(e, "no seen_on, first_seen or nights_open: not a "
		    "snapshot of records carried by fo-classify --prev or "
		    "--first-night");
		return FO_ERR;
	}
	if (rc != FO_OK)
		return rc;
	if (nights.scale != 0 || nights.v < 1 || nights.v > 100000) {
		e->col = fo_rec_col(r, fo_rec_find(r, "nights_open"));
		fo_err_msg(e, "nights_open: not a whole number of nights");
		return FO_ERR;
	}
	c->nights = (long)nights.v;
	if (c->first_seen > seen) {
		e->col = fo_rec_col(r, fo_rec_find(r, "first_seen"));
		fo_err_msg(e, "first_seen after seen_on");
		return FO_ERR;
	}
	e->col = fo_rec_col(r, fo_rec_find(r, "seen_on"));
	if (k->night >= 0 && seen != k->night) {
		fo_err_msg(e, "seen_on differs from the snapshot's first "
		    "record: not one night's snapshot");
		return FO_ERR;
	}
	if (seen > k->as_of) {
		char d1[16], d2[16];

		fo_date_fmt(seen, d1);
		fo_date_fmt(k->as_of, d2);
		fo_err_msg(e, "a snapshot of %s, after --as-of %s", d1, d2);
		return FO_ERR;
	}
	k->night = seen;
	e->col = 0;
	if ((rc = fo_get_text(r, "queue", b, e)) == FO_OK &&
	    (c->queue = strdup(b->p)) == NULL)
		return FO_ENOMEM;
	if (rc != FO_OK && rc != FO_EMPTY)
		return rc;
	if ((rc = fo_get_text(r, "prev_queue", b, e)) == FO_OK &&
	    (c->prev_queue = strdup(b->p)) == NULL)
		return FO_ENOMEM;
	return rc == FO_EMPTY ? FO_OK : rc;
}

int
fo_carry_load(const char *path, int32_t as_of, struct fo_carry **kp,
    struct fo_err *e)
{
	struct fo_carry *k;
	struct fo_recfile f;
	struct carried *c;
	size_t cap = 0, i, j;
	int rc, ret = FO_OK;

	if ((*kp = k = calloc(1, sizeof *k)) == NULL)
		return FO_ENOMEM;
	k->as_of = as_of;
	k->night = -1;
	if (path == NULL)	/* the first night */
		return FO_OK;
	/* one that cannot be opened, for whatever reason, is no first night */
	if (fo_recfile_open(&f, path, "the previous snapshot", e) != FO_OK)
		return FO_ERR;
	while ((rc = fo_recfile_next(&f, e)) != FO_EMPTY) {
		if (rc == FO_OK && (rc = fo_rec_exception(&f.rec, NULL, e)) ==
		    FO_EMPTY)
			continue;
		if (rc == FO_OK) {
			if (k->n == cap) {
				cap = cap ? 2 * cap : 64;
				if ((c = realloc(k->c, cap * sizeof *c)) ==
				    NULL) {
					ret = FO_ENOMEM;
					break;
				}
				k->c = c;
			}
			c = &k->c[k->n++];
			memset(c, 0, sizeof *c);
			rc = snap_rec(k, &f.rec, c, &k->id, e);
		}
		if (rc != FO_OK) {
			ret = rc == FO_EIO || rc == FO_ENOMEM ? rc : FO_ERR;
			if (ret == FO_ERR)
				fo_recfile_at(&f, e);
			break;
		}
	}
	fo_recfile_close(&f);
	if (ret != FO_OK)
		return ret;
	if (k->n > 1)
		qsort(k->c, k->n, sizeof *k->c, carried_cmp);
	/* an id twice (a snapshot concatenated with itself): the first
	 * day it was seen, and the most nights */
	for (i = j = 0; i < k->n; i++) {
		if (j > 0 && strcmp(k->c[j - 1].id, k->c[i].id) == 0) {
			if (k->c[i].first_seen < k->c[j - 1].first_seen)
				k->c[j - 1].first_seen = k->c[i].first_seen;
			if (k->c[i].nights > k->c[j - 1].nights)
				k->c[j - 1].nights = k->c[i].nights;
			free(k->c[i].id);
			free(k->c[i].queue);
			free(k->c[i].prev_queue);
			continue;
		}
		k->c[j++] = k->c[i];
	}
	k->n = j;
	return FO_OK;
}

int
fo_carry_history(struct fo_carry *k, const char *path, struct fo_err *e)
{
	fo_history_free(k->gone, k->ngone);
	return fo_history_load(path, k->as_of, &k->gone, &k->ngone, e);
}

size_t
fo_carry_count(const struct fo_carry *k)
{
	return k->n;
}

int32_t
fo_carry_night(const struct fo_carry *k)
{
	return k->night;
}

int
fo_carry_rec(struct fo_carry *k, const struct fo_rec *r, struct fo_buf *out,
    struct fo_err *e)
{
	const struct carried *c = NULL;
	const struct fo_gone *g;
	const char *pq;
	struct fo_buf *v = &k->val;
	struct fo_kv kv[4];
	size_t off[5], n = 0, i;
	char d[16];
	int32_t first;
	long nights;
	int rc;

	if ((rc = fo_rec_exception(r, NULL, e)) != FO_OK)
		return rc;
	if ((rc = fo_get_text(r, "id", &k->id, e)) == FO_EMPTY)
		fo_err_msg(e, "an exception without an id: no case to "
		    "carry across nights");
	if (rc != FO_OK)
		return rc == FO_ENOMEM ? rc : FO_ERR;
	if (k->night >= 0)
		c = carried_find(k, k->id.p);
	first = k->as_of;
	nights = 1;
	if (c && k->night == k->as_of) {
		/* tonight's own snapshot: the night again, the same bytes */
		first = c->first_seen;
		nights = c->nights;
	} else if (c) {
		first = c->first_seen;
		nights = c->nights + 1;
	} else if ((g = fo_history_find(k->gone, k->ngone, k->id.p))) {
		/* resolved on an earlier night, back tonight: reopened, its
		 * clock where it was; its nights count from tonight */
		first = g->first_seen;
	}
	fo_buf_reset(v);
	off[n] = v->n;
	fo_date_fmt(first, d);
	fo_json_str(v, d, strlen(d));
	kv[n++].key = "first_seen";
	off[n] = v->n;
	fo_buf_putll(v, nights);
	kv[n++].key = "nights_open";
	off[n] = v->n;
	pq = c == NULL ? NULL : k->night == k->as_of ? c->prev_queue :
	    c->queue;
	if (pq)
		fo_json_str(v, pq, strlen(pq));
	else
		fo_buf_puts(v, "null");
	kv[n++].key = "prev_queue";
	off[n] = v->n;
	fo_date_fmt(k->as_of, d);
	fo_json_str(v, d, strlen(d));
	kv[n++].key = "seen_on";
	off[n] = v->n;
	if (v->oom)
		return FO_ENOMEM;
	for (i = 0; i < n; i++) {
		kv[i].val = v->p + off[i];
		kv[i].vlen = off[i + 1] - off[i];
	}
	return fo_rec_write(r, kv, n, out);
}

void
fo_carry_free(struct fo_carry *k)
{
	size_t i;

	if (k == NULL)
		return;
	for (i = 0; i < k->n; i++) {
		free(k->c[i].id);
		free(k->c[i].queue);
		free(k->c[i].prev_queue);
	}
	free(k->c);
	fo_history_free(k->gone, k->ngone);
	fo_buf_free(&k->id);
	fo_buf_free(&k->val);
	free(k);
}
