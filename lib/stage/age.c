/*
 * age.c - fo-age: the age of each exception as of a date, on an explicit
 * basis, and the aging report (domain.md section 7). Money is summed in
 * int64 minor units per currency, never in floating point; the report
 * is written in a fixed order (groups by their JSON text, buckets in
 * order, currencies by code) so that merged partials give the same bytes
 * as a single run. The page (-f html) is written by agehtml.c, the
 * workbook (-f xlsx) by agexlsx.c; age.h is what the three share.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"
#include "age.h"

static long long_field(const struct fo_rec *, const char *);
static struct group *group_get(struct fo_age *, const struct fo_rec *,
    const char *);

static const char *const basis_names[] = { "hold", "doc", "due", "posting" };
static const char *const basis_field[] = {
	"hold_date", "doc_date", "due_date", "posting_date"
};

int
fo_age_basis_parse(const char *s, enum fo_age_basis *b)
{
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(s, basis_names[i]) == 0) {
			*b = (enum fo_age_basis)i;
			return FO_OK;
		}
	return FO_ERR;
}

const char *
fo_age_basis_name(enum fo_age_basis b)
{
	return basis_names[b];
}

int
fo_age_buckets_parse(const char *s, struct fo_age_cfg *c)
{
	int n = 0;
	long v;
	char *end;

	while (*s) {
		if (n == FO_AGE_MAXBOUND || *s < '0' || *s > '9')
			return FO_ERR;
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || v > 36500 || (n && v <= c->bound[n - 1]))
			return FO_ERR;
		c->bound[n++] = (int)v;
		s = end;
		if (*s == ',' && s[1])
			s++;
		else if (*s)
			return FO_ERR;
	}
	if (n == 0)
		return FO_ERR;
	c->nbound = n;
	return FO_OK;
}

int
fo_age_load(const char *path, struct fo_age_cfg *c, struct fo_errs *errs)
{
	static const char *const keys[] = { "basis", "buckets", NULL };
	struct fo_ydoc *doc;
	const struct fo_ynode *y;
	struct fo_buf b = { 0 };
	size_t before = errs->n, i;
	int r;

	c->basis = FO_AGE_HOLD;
	(void)fo_age_buckets_parse("0,30,60,90", c);
	if ((r = fo_yaml_load(path, &doc, errs)) != FO_OK)
		return r == FO_EIO ? FO_EIO : FO_ERR;
	if (doc->root == NULL) {
		fo_yaml_free(doc);
		return FO_OK;
	}
	if (doc->root->type != FO_Y_MAP) {
		fo_errs_addf(errs, path, doc->root->line, doc->root->col,
		    "the rules must be a mapping");
		goto out;
	}
	fo_ymap_check(doc->root, keys, "age rules", path, errs);
	if ((y = fo_ymap_get(doc->root, "basis")) != NULL &&
	    (y->type != FO_Y_SCALAR || fo_age_basis_parse(y->str, &c->basis)))
		fo_errs_addf(errs, path, y->line, y->col,
		    "basis: one of hold, doc, due, posting");
	if ((y = fo_ymap_get(doc->root, "buckets")) != NULL) {
		for (i = 0; y->type == FO_Y_SEQ && i < y->n; i++) {
			if (y->kid[i]->type != FO_Y_SCALAR)
				break;
			if (i)
				fo_buf_putc(&b, ',');
			fo_buf_puts(&b, y->kid[i]->str);
		}
		if (y->type != FO_Y_SEQ || i < y->n || b.oom ||
		    fo_age_buckets_parse(fo_buf_cstr(&b), c) != FO_OK)
			fo_errs_addf(errs, path, y->line, y->col, "buckets: a "
			    "list of 1 to 16 ascending whole days (at most "
			    "36500), e.g. [0, 30, 60, 90]");
	}
out:
	fo_buf_free(&b);
	fo_yaml_free(doc);
	return errs->n > before ? FO_ERR : FO_OK;
}

/* The name of bucket i: current (<= first bound), LO-HI, LAST+, undated. */
static void
bucket_name(const struct fo_age *a, size_t i, char *buf, size_t n)
{
	const struct fo_age_cfg *c = &a->cfg;

	if (i == 0)
		snprintf(buf, n, "current");
	else if (i < (size_t)c->nbound)
		snprintf(buf, n, "%d-%d", c->bound[i - 1] + 1, c->bound[i]);
	else if (i == (size_t)c->nbound)
		snprintf(buf, n, "%d+", c->bound[i - 1]);
	else
		snprintf(buf, n, "undated");
}

static size_t
bucket_of(const struct fo_age *a, int32_t days)
{
	int i;

	for (i = 0; i < a->cfg.nbound; i++)
		if (days <= a->cfg.bound[i])
			return (size_t)i;
	return (size_t)a->cfg.nbound;
}

struct fo_age *
fo_age_new(const struct fo_age_cfg *cfg, int32_t as_of, int64_t sla_at,
    const char *as_of_text, char *const *groups, size_t ngroups)
{
	struct fo_age *a;
	size_t i;

	if ((a = calloc(1, sizeof *a)) == NULL)
		return NULL;
	a->cfg = *cfg;
	a->as_of = as_of;
	a->sla_at = sla_at;
	a->nbucket = (size_t)cfg->nbound + 2;
	if ((a->as_of_text = strdup(as_of_text)) == NULL ||
	    (a->gname = calloc(ngroups + 1, sizeof *a->gname)) == NULL ||
	    (a->allb = calloc(a->nbucket, sizeof *a->allb)) == NULL)
		goto fail;
	for (i = 0; i < ngroups; i++)
		if ((a->gname[a->ngname++] = strdup(groups[i])) == NULL)
			goto fail;
	return a;
fail:
	fo_age_free(a);
	return NULL;
}

static void
groups_free(struct fo_age *a)
{
	size_t i, j;

	for (i = 0; i < a->ng; i++) {
		for (j = 0; j < a->nbucket; j++) {
			free(a->g[i].cell[j].ages);
			free(a->g[i].cell[j].amt);
			free(a->g[i].cell[j].base);
		}
		for (j = 0; j < a->ngname; j++)
			free(a->g[i].val[j]);
		free(a->g[i].val);
		free(a->g[i].cell);
		free(a->g[i].key);
	}
	free(a->g);
	a->g = NULL;
	a->ng = 0;
	free(a->slot);
	a->slot = NULL;
	a->nslot = 0;
}

static void
item_free(struct item *t)
{
	free(t->id);
	free(t->doc);
	free(t->vendor);
	free(t->cls);
	free(t->queue);
	free(t->band);
	free(t->sla);
	free(t->reason);
}

void
fo_age_free(struct fo_age *a)
{
	size_t i;

	if (a == NULL)
		return;
	groups_free(a);
	for (i = 0; a->allb && i < a->nbucket; i++) {
		free(a->allb[i].amt);
		free(a->allb[i].base);
	}
	free(a->allb);
	for (i = 0; i < a->capdoc; i++)
		free(a->doc[i].key);
	free(a->doc);
	fo_buf_free(&a->dockey);
	fo_buf_free(&a->docid);
	for (i = 0; i < a->ngname; i++)
		free(a->gname[i]);
	free(a->gname);
	for (i = 0; i < a->nprev; i++) {
		free(a->prev[i].id);
		free(a->prev[i].gkey);
		free(a->prev[i].queue);
	}
	free(a->prev);
	fo_history_free(a->gone, a->ngone);
	for (i = 0; i < a->ndec; i++)
		free(a->dec[i].id);
	free(a->dec);
	for (i = 0; i < a->ntrend; i++)
		free(a->trend[i].amt);
	free(a->trend);
	free(a->trend_path);
	free(a->as_of_text);
	for (i = 0; i < a->nitem; i++)
		item_free(&a->item[i]);
	free(a->item);
	fo_buf_free(&a->tmp);
	fo_buf_free(&a->key);
	fo_buf_free(&a->val);
	fo_buf_free(&a->ann);
	free(a);
}

/* The text of a field: a string decoded into b; NULL when absent, null,
 * or not a string. */
static const char *
str_field(const struct fo_rec *r, const char *key, struct fo_buf *b)
{
	int t = fo_rec_find(r, key);

	if (t < 0 || fo_rec_type(r, t) != FO_J_STRING)
		return NULL;
	fo_buf_reset(b);
	if (fo_rec_str(r, t, b) != FO_OK || b->oom)
		return NULL;
	return fo_buf_cstr(b);
}

static struct prev *
prev_find(const struct fo_age *a, const char *id)
{
	size_t lo = 0, hi = a->nprev, m;
	int c;

	while (lo < hi) {
		m = (lo + hi) / 2;
		if ((c = strcmp(id, a->prev[m].id)) == 0)
			return &a->prev[m];
		if (c < 0)
			hi = m;
		else
			lo = m + 1;
	}
	return NULL;
}

/* Money as fo-age sums it: minor units of its currency ("" for none,
 * in hundredths). FO_OK, FO_EMPTY or FO_ERR, as fo_get_money. */
static int
money_field(const struct fo_rec *r, const char *key, const char *curkey,
    struct money *m, struct fo_err *e)
{
	struct fo_money fm;
	int rc;

	memset(m, 0, sizeof *m);
	if ((rc = fo_get_money(r, key, curkey, &fm, e)) != FO_OK)
		return rc;
	memcpy(m->cur, fm.cur, sizeof m->cur);
	m->v = fm.v.v;
	return FO_OK;
}

struct aged {
	int has_age;
	int32_t age;
	size_t bucket;
	int has_dpd;
	int32_t dpd;
	int breached;		/* -1: no sla_due */
	int has_first;
	int32_t first;		/* first_seen to write */
	int has_amt, has_base;
	struct money amt, base;
	int doc;		/* the amount is its document's (a->docid) */
	int flow;		/* --prev: FLOW_NEW, _CARRIED or _REOPENED */
	int reassigned;		/* carried, in another queue than last night */
	long reopens, reassigns;	/* over the case's life, tonight's too */
};

enum { FLOW_NONE, FLOW_NEW, FLOW_CARRIED, FLOW_REOPENED };

/* Whether a carried case changed queue since last night: its queue then
 * against tonight's, else tonight's prev_queue (fo-classify --prev)
 * against its queue. Both must be known. */
static int
requeued(struct fo_age *a, const struct fo_rec *r, const struct prev *p,
    struct fo_err *e)
{
	int rq, rp;

	if ((rq = fo_get_text(r, "queue", &a->val, e)) < 0)
		return rq;
	if (rq == FO_EMPTY)
		return 0;
	if (p->queue != NULL)
		return strcmp(p->queue, a->val.p) != 0;
	if ((rp = fo_get_text(r, "prev_queue", &a->dockey, e)) < 0)
		return rp;
	return rp == FO_OK && strcmp(a->dockey.p, a->val.p) != 0;
}

static int
evaluate(struct fo_age *a, const struct fo_rec *r, struct aged *g,
    struct fo_err *e)
{
	struct fo_buf *b = &a->tmp;
	struct prev *p = NULL;
	struct fo_gone *gn;
	int64_t due;
	int32_t d, due_date;
	int rr = FO_EMPTY;

	memset(g, 0, sizeof *g);
	g->breached = -1;
	if (a->has_prev && (rr = fo_get_text(r, "id", b, e)) < 0)
		return rr;
	if (a->has_prev && rr == FO_OK && (p = prev_find(a, b->p)) != NULL) {
		g->has_first = 1;
		g->first = p->first_seen;
		p->seen = 1;
		g->flow = FLOW_CARRIED;
		g->reopens = p->reopens;
		if ((rr = requeued(a, r, p, e)) < 0)
			return rr;
		g->reassigned = rr;
		g->reassigns = p->reassigns + rr;
	} else if (a->has_prev && rr == FO_OK && a->has_gone &&
	    (gn = fo_history_find(a->gone, a->ngone, b->p)) != NULL) {
		/* resolved on an earlier night, back tonight: the case it
		 * was, first seen when it was */
		gn->back = 1;
		g->has_first = 1;
		g->first = gn->first_seen;
		g->flow = FLOW_REOPENED;
		g->reopens = gn->reopens + 1;
		g->reassigns = gn->reassigns;
	} else if (a->has_prev) {
		g->flow = FLOW_NEW;
		g->has_first = 1;
		g->first = a->as_of;
	}
	if (!g->has_first) {
		if ((rr = fo_get_date(r, "first_seen", &d, e)) == FO_ERR)
			return FO_ERR;
		if (rr == FO_OK) {
			g->has_first = 1;
			g->first = d;
		}
	}
	if ((rr = fo_get_date(r, basis_field[a->cfg.basis], &d, e)) ==
	    FO_ERR)
		return FO_ERR;
	if (rr == FO_EMPTY && a->cfg.basis == FO_AGE_HOLD) {
		/* no hold date: open at least since the earliest of first
		 * seen, the document date and the posting date */
		static const char *const since[] = { "doc_date",
		    "posting_date" };
		int32_t d2;
		size_t i;

		if (g->has_first) {
			d = g->first;
			rr = FO_OK;
		}
		for (i = 0; i < 2; i++) {
			int r2 = fo_get_date(r, since[i], &d2, e);

			if (r2 == FO_ERR)
				return FO_ERR;
			if (r2 == FO_OK && (rr != FO_OK || d2 < d)) {
				d = d2;
				rr = FO_OK;
			}
		}
	}
	if (rr == FO_OK) {
		g->has_age = 1;
		g->age = a->as_of - d;
		g->bucket = bucket_of(a, g->age);
	} else
		g->bucket = a->nbucket - 1;
	if ((rr = fo_get_date(r, "due_date", &due_date, e)) == FO_ERR)
		return FO_ERR;
	if (rr == FO_OK) {
		g->has_dpd = 1;
		g->dpd = a->as_of - due_date;
	}
	if ((rr = fo_get_ts(r, "sla_due", &due, e)) < 0)
		return rr;
	if (rr == FO_OK)
		g->breached = a->sla_at > due;
	if ((rr = money_field(r, "amount", "currency", &g->amt, e)) < 0)
		return rr;
	g->has_amt = rr == FO_OK;
	if ((rr = money_field(r, "amount_base", "base_currency", &g->base,
	    e)) < 0)
		return rr;
	g->has_base = rr == FO_OK;
	/* a document's amount, written on each of its records */
	if ((rr = fo_get_text(r, "amount_scope", b, e)) < 0)
		return rr;
	if (rr == FO_OK && strcmp(b->p, "document") == 0) {
		if ((rr = fo_get_text(r, "doc_id", &a->docid, e)) < 0)
			return rr;
		g->doc = rr == FO_OK;
	} else if (rr == FO_OK && strcmp(b->p, "row") != 0) {
		e->col = fo_rec_col(r, fo_rec_find(r, "amount_scope"));
		fo_err_msg(e, "amount_scope '%.40s': document or row", b->p);
		return FO_ERR;
	}
	return FO_OK;
}

/* A group value as JSON text into out: a string decoded and written
 * again the one way fo_json_str writes it, so that "M\u00fcller" and
 * "Müller" are one group; anything else as written; null when absent. */
static void
group_val(struct fo_age *a, const struct fo_rec *r, int t, struct fo_buf *out)
{
	struct fo_span s;

	if (t < 0) {
		fo_buf_puts(out, "null");
		return;
	}
	s = fo_rec_span(r, t);
	if (fo_rec_type(r, t) != FO_J_STRING)
		fo_buf_put(out, s.p, s.n);
	else if (!fo_rec_esc(r, t)) {
		/* no escape: already the one way */
		fo_buf_putc(out, '"');
		fo_buf_put(out, s.p, s.n);
		fo_buf_putc(out, '"');
	} else {
		fo_rec_str(r, t, &a->tmp);
		fo_json_str(out, a->tmp.p, a->tmp.n);
	}
}

static int
group_tok(const struct fo_age *a, const struct fo_rec *r, size_t i)
{
	char k[24];

	if (!a->merged)
		return fo_rec_find(r, a->gname[i]);
	snprintf(k, sizeof k, "g%zu", i);
	return fo_rec_find(r, k);
}

/* The group's JSON text into a->key. */
static void
group_key(struct fo_age *a, const struct fo_rec *r)
{
	size_t i;

	fo_buf_reset(&a->key);
	fo_buf_putc(&a->key, '{');
	for (i = 0; i < a->ngname; i++) {
		if (i)
			fo_buf_putc(&a->key, ',');
		fo_json_str(&a->key, a->gname[i], strlen(a->gname[i]));
		fo_buf_putc(&a->key, ':');
		group_val(a, r, group_tok(a, r, i), &a->key);
	}
	fo_buf_putc(&a->key, '}');
}

static size_t
key_hash(const char *s)
{
	return (size_t)fo_fnv1a(FO_FNV_BASIS, s, strlen(s));
}

/* The slot of key: where it is, or the empty one where it would go. */
static size_t *
group_slot(struct fo_age *a, const char *key)
{
	size_t i = key_hash(key) & (a->nslot - 1);

	while (a->slot[i] && strcmp(a->g[a->slot[i] - 1].key, key) != 0)
		i = (i + 1) & (a->nslot - 1);
	return &a->slot[i];
}

static int
group_rehash(struct fo_age *a)
{
	size_t n = a->nslot ? 2 * a->nslot : 64, i;

	free(a->slot);
	if ((a->slot = calloc(n, sizeof *a->slot)) == NULL) {
		a->nslot = 0;
		return FO_ENOMEM;
	}
	a->nslot = n;
	for (i = 0; i < a->ng; i++)
		*group_slot(a, a->g[i].key) = i + 1;
	return FO_OK;
}

static struct group *
group_get(struct fo_age *a, const struct fo_rec *r, const char *key)
{
	struct group *g;
	size_t i, *slot;

	if (a->nslot && *(slot = group_slot(a, key)))
		return &a->g[*slot - 1];
	if ((a->ng + 1) * 2 > a->nslot && group_rehash(a) != FO_OK)
		return NULL;
	if ((g = realloc(a->g, (a->ng + 1) * sizeof *g)) == NULL)
		return NULL;
	a->g = g;
	g = &a->g[a->ng];
	memset(g, 0, sizeof *g);
	if ((g->key = strdup(key)) == NULL ||
	    (g->val = calloc(a->ngname + 1, sizeof *g->val)) == NULL ||
	    (g->cell = calloc(a->nbucket, sizeof *g->cell)) == NULL) {
		free(g->key);
		free(g->val);
		return NULL;
	}
	a->ng++;
	*group_slot(a, g->key) = a->ng;
	for (i = 0; i < a->ngname; i++) {
		fo_buf_reset(&a->val);
		group_val(a, r, group_tok(a, r, i), &a->val);
		if (a->val.oom || fo_buf_cstr(&a->val) == NULL ||
		    (g->val[i] = strdup(a->val.p)) == NULL)
			return NULL;
	}
	return g;
}

static int
money_add(struct money **v, size_t *n, const char *cur, int64_t x)
{
	struct money *m;
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].cur, cur) == 0) {
			if (__builtin_add_overflow((*v)[i].v, x, &(*v)[i].v))
				return FO_ERR;
			return FO_OK;
		}
	if ((m = realloc(*v, (*n + 1) * sizeof *m)) == NULL)
		return FO_ENOMEM;
	*v = m;
	memset(&m[*n], 0, sizeof *m);
	snprintf(m[*n].cur, sizeof m[*n].cur, "%s", cur);
	m[*n].v = x;
	(*n)++;
	return FO_OK;
}

/* Ages kept sorted: a binary search per record. */
static int
age_add(struct cell *c, int32_t age, long n)
{
	struct agecount *p;
	size_t lo = 0, hi = c->nages, m;

	while (lo < hi) {
		m = (lo + hi) / 2;
		if (c->ages[m].age == age) {
			c->ages[m].n += n;
			return FO_OK;
		}
		if (c->ages[m].age < age)
			lo = m + 1;
		else
			hi = m;
	}
	if (c->nages == c->capages) {
		c->capages = c->capages ? 2 * c->capages : 8;
		if ((p = realloc(c->ages, c->capages * sizeof *p)) == NULL)
			return FO_ENOMEM;
		c->ages = p;
	}
	memmove(&c->ages[lo + 1], &c->ages[lo], (c->nages - lo) *
	    sizeof *c->ages);
	c->ages[lo].age = age;
	c->ages[lo].n = n;
	c->nages++;
	return FO_OK;
}

/* An integer's digits, without printf: -a writes several a record. */
static void
put_long(struct fo_buf *b, long v)
{
	char d[24], *p = d + sizeof d;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	fo_buf_put(b, p, (size_t)(d + sizeof d - p));
}

/* The amount's text into buf (FO_DEC_BUFSZ, NUL-terminated); its
 * length. */
size_t
fo_age_money_text(const struct money *m, char *buf)
{
	struct fo_dec d;
	int minor = m->cur[0] ? fo_currency_minor(m->cur, 3) :
	    FO_MONEY_NOCUR_SCALE;
	size_t n;

	d.v = m->v;
	d.scale = minor;
	/* no currency: the decimals written, at least two */
	while (!m->cur[0] && d.scale > 2 && d.v % 10 == 0) {
		d.v /= 10;
		d.scale--;
	}
	n = fo_dec_fmt(&d, buf);
	buf[n] = '\0';
	return n;
}

static void
put_money(struct fo_buf *b, const struct money *m)
{
	char buf[FO_DEC_BUFSZ];

	fo_buf_put(b, buf, fo_age_money_text(m, buf));
}

/* A decoded text field, copied; NULL when absent or not a string. */
static char *
str_dup(struct fo_age *a, const struct fo_rec *r, const char *key)
{
	const char *s = str_field(r, key, &a->tmp);
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		a->oom = 1;
	return d;
}

static int
is_true(const struct fo_rec *r, const char *key)
{
	int t = fo_rec_find(r, key);
	struct fo_span s;

	if (t < 0 || fo_rec_type(r, t) != FO_J_PRIMITIVE)
		return 0;
	s = fo_rec_span(r, t);
	return s.n == 4 && memcmp(s.p, "true", 4) == 0;
}

/* Keep the exception for the worklist (fo_age_keep). */
static int
item_add(struct fo_age *a, const struct fo_rec *r, const struct aged *g,
    int partial)
{
	struct item *t;
	int k;

	if (a->nitem == a->capitem) {
		size_t n = a->capitem ? 2 * a->capitem : 64;

		if ((t = realloc(a->item, n * sizeof *t)) == NULL)
			return FO_ENOMEM;
		a->item = t;
		a->capitem = n;
	}
	t = &a->item[a->nitem];
	memset(t, 0, sizeof *t);
	t->id = str_dup(a, r, "id");
	t->doc = str_dup(a, r, "doc_number");
	if (partial)
		t->vendor = str_dup(a, r, "vendor");
	else if ((t->vendor = str_dup(a, r, "vendor_name")) == NULL)
		t->vendor = str_dup(a, r, "vendor_id");
	t->cls = str_dup(a, r, "exception");
	t->queue = str_dup(a, r, "queue");
	t->band = str_dup(a, r, "priority_band");
	t->sla = str_dup(a, r, "sla_due");
	k = fo_rec_find(r, "reasons");
	if (partial)
		t->reason = str_dup(a, r, "reason");
	else if (k >= 0 && fo_rec_type(r, k) == FO_J_ARRAY && fo_rec_size(r, k) > 0 &&
	    fo_rec_type(r, k + 1) == FO_J_STRING) {
		fo_buf_reset(&a->tmp);
		if (fo_rec_str(r, k + 1, &a->tmp) != FO_OK || a->tmp.oom ||
		    (t->reason = strdup(fo_buf_cstr(&a->tmp))) == NULL)
			a->oom = 1;
	}
	k = fo_rec_find(r, "priority");
	t->prio = -1;
	if (k >= 0 && fo_rec_type(r, k) == FO_J_PRIMITIVE) {
		struct fo_span sp = fo_rec_span(r, k);
		char buf[24], *end;

		if (sp.n > 0 && sp.n < sizeof buf) {
			memcpy(buf, sp.p, sp.n);
			buf[sp.n] = '\0';
			t->prio = strtol(buf, &end, 10);
			if (*end || t->prio < 0)
				t->prio = -1;
		}
	}
	t->breached = g->breached;
	t->escalate = is_true(r, "escalate");
	t->has_age = g->has_age;
	t->age = g->age;
	t->has_amt = g->has_amt;
	t->amt = g->amt;
	t->has_base = g->has_base;
	t->base = g->base;
	a->nitem++;
	if (a->oom)
		return FO_ENOMEM;
	return FO_OK;
}

void
fo_age_keep(struct fo_age *a, int top, int style)
{
	a->keep = 1;
	a->top = top;
	a->style = style;
}

/* The entry of key in the documents, added empty when new; NULL when
 * memory runs out. */
static struct doc *
doc_get(struct fo_age *a, const char *key, int *isnew)
{
	struct doc *v;
	size_t i, m, cap;

	if ((a->ndoc + 1) * 2 > a->capdoc) {
		cap = a->capdoc ? 2 * a->capdoc : 256;
		if ((v = calloc(cap, sizeof *v)) == NULL)
			return NULL;
		for (i = 0; i < a->capdoc; i++) {
			if (a->doc[i].key == NULL)
				continue;
			m = key_hash(a->doc[i].key) & (cap - 1);
			while (v[m].key)
				m = (m + 1) & (cap - 1);
			v[m] = a->doc[i];
		}
		free(a->doc);
		a->doc = v;
		a->capdoc = cap;
	}
	m = key_hash(key) & (a->capdoc - 1);
	for (; a->doc[m].key; m = (m + 1) & (a->capdoc - 1))
		if (strcmp(a->doc[m].key, key) == 0) {
			*isnew = 0;
			return &a->doc[m];
		}
	if ((a->doc[m].key = strdup(key)) == NULL)
		return NULL;
	a->ndoc++;
	*isnew = 1;
	return &a->doc[m];
}

/* "12480.00 USD", "5.00" or "none", into buf of FO_DEC_BUFSZ + 8. */
static void
money_words(const struct money *m, char *buf)
{
	size_t n;

	if (m == NULL) {
		snprintf(buf, FO_DEC_BUFSZ + 8, "none");
		return;
	}
	n = fo_age_money_text(m, buf);
	if (m->cur[0])
		snprintf(buf + n, FO_DEC_BUFSZ + 8 - n, " %s", m->cur);
}

/* A document's records say the same amount, or the sums would say one
 * of them: another is rejected, counted nowhere. */
static int
doc_check(struct fo_age *a, const struct aged *g, struct fo_err *e)
{
	struct fo_buf *k = &a->dockey;
	const struct doc *d;
	char m1[FO_DEC_BUFSZ + 8], m2[FO_DEC_BUFSZ + 8];
	size_t m;

	if (a->capdoc == 0)
		return FO_OK;
	fo_buf_reset(k);
	fo_buf_puts(k, "*:");
	fo_buf_puts(k, a->docid.p);
	if (k->oom || fo_buf_cstr(k) == NULL)
		return FO_ENOMEM;
	m = key_hash(k->p) & (a->capdoc - 1);
	for (; a->doc[m].key; m = (m + 1) & (a->capdoc - 1))
		if (strcmp(a->doc[m].key, k->p) == 0)
			break;
	d = &a->doc[m];
	if (d->key == NULL || (d->has_amt == g->has_amt && (!g->has_amt ||
	    (strcmp(d->amt.cur, g->amt.cur) == 0 && d->amt.v == g->amt.v))))
		return FO_OK;
	money_words(d->has_amt ? &d->amt : NULL, m1);
	money_words(g->has_amt ? &g->amt : NULL, m2);
	e->col = 0;
	fo_err_msg(e, "amount %s, but %s on an earlier record of doc_id "
	    "'%.60s', whose amount it is (amount_scope document)", m2, m1,
	    a->docid.p);
	return FO_ERR;
}

/* A record whose amount is its document's, in group gi (ALLGROUPS: all
 * of them): the document's amount once, its bucket the oldest. */
static int
doc_add(struct fo_age *a, size_t gi, const struct aged *g)
{
	struct fo_buf *k = &a->dockey;
	struct doc *d;
	int isnew;

	fo_buf_reset(k);
	if (gi == ALLGROUPS)
		fo_buf_puts(k, "*:");
	else
		fo_buf_printf(k, "%zu:", gi);
	fo_buf_puts(k, a->docid.p);
	if (k->oom || fo_buf_cstr(k) == NULL ||
	    (d = doc_get(a, k->p, &isnew)) == NULL)
		return FO_ENOMEM;
	if (isnew) {
		d->g = gi;
		d->has_amt = g->has_amt;
		d->amt = g->amt;
		d->has_base = g->has_base;
		d->base = g->base;
	} else if (!g->has_age || (d->dated && d->age >= g->age))
		return FO_OK;
	d->bucket = g->bucket;
	d->dated = g->has_age;
	d->age = g->age;
	return FO_OK;
}

/* Money into a cell. */
static int
cell_money(struct cell *c, int has_amt, const struct money *amt,
    int has_base, const struct money *base, struct fo_err *e)
{
	int ret;

	if (has_amt && (ret = money_add(&c->amt, &c->namt, amt->cur,
	    amt->v)) != FO_OK)
		goto sum;
	if (has_base && (ret = money_add(&c->base, &c->nbase, base->cur,
	    base->v)) != FO_OK)
		goto sum;
	return FO_OK;
sum:
	if (ret == FO_ERR)
		fo_err_msg(e, "amount: the sum overflows");
	return ret;
}

/* Before the report: each document's amount into the cell of its oldest
 * exception, in its group and in all groups together. */
static int
docs_place(struct fo_age *a)
{
	struct fo_err e;
	struct cell *c;
	size_t i;
	int r;

	if (a->docs_placed)
		return FO_OK;
	a->docs_placed = 1;
	for (i = 0; i < a->capdoc; i++) {
		if (a->doc[i].key == NULL)
			continue;
		c = a->doc[i].g == ALLGROUPS ? &a->allb[a->doc[i].bucket] :
		    &a->g[a->doc[i].g].cell[a->doc[i].bucket];
		if ((r = cell_money(c, a->doc[i].has_amt, &a->doc[i].amt,
		    a->doc[i].has_base, &a->doc[i].base, &e)) != FO_OK)
			return r;
	}
	return FO_OK;
}

int
fo_age_rec(struct fo_age *a, const struct fo_rec *r, int annotate,
    struct fo_buf *out, struct fo_err *e)
{
	struct fo_kv kv[7];
	struct fo_buf *v = &a->ann;	/* the run's, reused per record */
	struct aged g;
	struct group *gr;
	struct cell *c;
	size_t off[7], n = 0, i;
	char name[32];
	int ret;

	if ((ret = fo_rec_exception(r, NULL, e)) == FO_EMPTY) {
		a->skipped++;
		return FO_EMPTY;
	}
	if (ret != FO_OK || (ret = evaluate(a, r, &g, e)) != FO_OK)
		return ret;
	if (!annotate && g.doc && (ret = doc_check(a, &g, e)) != FO_OK)
		return ret;
	a->records++;
	if (annotate) {
		/* values first, pointers after: the buffer moves */
		fo_buf_reset(v);
		off[n] = v->n;
		if (g.has_age)
			put_long(v, g.age);
		else
			fo_buf_puts(v, "null");
		kv[n++].key = "age_days";
		off[n] = v->n;
		if (g.has_age) {
			bucket_name(a, g.bucket, name, sizeof name);
			fo_json_str(v, name, strlen(name));
		} else
			fo_buf_puts(v, "null");
		kv[n++].key = "age_bucket";
		off[n] = v->n;
		if (g.has_dpd)
			put_long(v, g.dpd);
		else
			fo_buf_puts(v, "null");
		kv[n++].key = "days_past_due";
		off[n] = v->n;
		fo_buf_puts(v, g.breached < 0 ? "null" : g.breached ? "true" :
		    "false");
		kv[n++].key = "sla_breached";
		if (a->has_prev && g.has_first) {
			off[n] = v->n;
			fo_buf_putc(v, '"');
			fo_date_fmt(g.first, name);
			fo_buf_put(v, name, 10);
			fo_buf_putc(v, '"');
			kv[n++].key = "first_seen";
			off[n] = v->n;
			put_long(v, g.reopens);
			kv[n++].key = "reopens";
			off[n] = v->n;
			put_long(v, g.reassigns);
			kv[n++].key = "reassigns";
		}
		for (i = 0; i < n; i++) {
			kv[i].val = v->p + off[i];
			kv[i].vlen = (i + 1 < n ? off[i + 1] : v->n) - off[i];
		}
		ret = v->oom ? FO_ENOMEM : fo_rec_write(r, kv, n, out);
		return ret;
	}
	group_key(a, r);
	if (a->key.oom || (gr = group_get(a, r, fo_buf_cstr(&a->key))) == NULL)
		return FO_ENOMEM;
	if (a->keep && item_add(a, r, &g, 0) != FO_OK)
		return FO_ENOMEM;
	switch (g.flow) {
	case FLOW_NEW:
		gr->flow.fresh++;
		break;
	case FLOW_CARRIED:
		gr->flow.carried++;
		gr->flow.reassigned += g.reassigned;
		break;
	case FLOW_REOPENED:
		gr->flow.reopened++;
		break;
	}
	if (is_true(r, "escalate"))
		a->n_escalate++;
	c = &gr->cell[g.bucket];
	c->count++;
	if (g.breached > 0)
		c->breached++;
	if (g.has_age && age_add(c, g.age, 1) != FO_OK)
		return FO_ENOMEM;
	/* a document's amount once in its group and once in all groups,
	 * placed before the report (docs_place); any other in the cell */
	if (g.doc && (!g.has_amt && !g.has_base))
		return FO_OK;
	if (g.doc) {
		if ((ret = doc_add(a, (size_t)(gr - a->g), &g)) != FO_OK)
			return ret;
		return doc_add(a, ALLGROUPS, &g);
	}
	if ((ret = cell_money(c, g.has_amt, &g.amt, g.has_base, &g.base,
	    e)) != FO_OK)
		return ret;
	return cell_money(&a->allb[g.bucket], g.has_amt, &g.amt, g.has_base,
	    &g.base, e);
}

/* qsort, which must not see NULL even for nothing to sort. */
static void
sort_n(void *v, size_t n, size_t size, int (*cmp)(const void *,
    const void *))
{
	if (n > 1)
		qsort(v, n, size, cmp);
}

static int
prev_cmp(const void *x, const void *y)
{
	return strcmp(((const struct prev *)x)->id,
	    ((const struct prev *)y)->id);
}

/* --prev: every exception of last night, with the day it was first seen:
 * its first_seen, else its hold_date, doc_date or posting_date, else the
 * night before as-of (it was open then, at least). */
int
fo_age_prev_load(struct fo_age *a, const char *path, struct fo_err *e)
{
	struct fo_recfile f;
	struct fo_rec *r = &f.rec;
	struct fo_buf b = { 0 };
	struct prev *p;
	const char *id = NULL;
	size_t cap = 0;
	int32_t d;
	int rr, ret;

	a->has_prev = 1;
	/* none is no first night: that would resolve nothing */
	if ((ret = fo_recfile_open(&f, path, "the previous snapshot", e)) !=
	    FO_OK)
		return ret;
	while ((rr = fo_recfile_next(&f, e)) != FO_EMPTY) {
		if (rr == FO_EIO || rr == FO_ENOMEM) {
			ret = rr;
			break;
		}
		if (rr == FO_OK && (rr = fo_rec_exception(r, NULL, e)) ==
		    FO_EMPTY)
			continue;
		if (rr == FO_OK && (rr = fo_get_text(r, "id", &b, e)) ==
		    FO_EMPTY) {
			fo_err_msg(e, "an exception without an id");
			rr = FO_ERR;
		}
		if (rr != FO_OK) {
			fo_recfile_at(&f, e);
			ret = rr == FO_ENOMEM ? rr : FO_ERR;
			break;
		}
		/* a snapshot of a later night would resolve tonight's
		 * cases before they are gone */
		if (fo_get_date(r, "seen_on", &d, e) == FO_OK &&
		    d > a->as_of) {
			char day[16];

			day[fo_date_fmt(d, day)] = '\0';
			fo_err_set(e, path, f.in.lineno, fo_rec_col(r,
			    fo_rec_find(r, "seen_on")), "a snapshot of %s, "
			    "after --as-of %s", day, a->as_of_text);
			ret = FO_ERR;
			break;
		}
		id = b.p;
		if (a->nprev == cap) {
			cap = cap ? 2 * cap : 64;
			if ((p = realloc(a->prev, cap * sizeof *p)) == NULL) {
				ret = FO_ENOMEM;
				break;
			}
			a->prev = p;
		}
		p = &a->prev[a->nprev];
		memset(p, 0, sizeof *p);
		if ((p->id = strdup(id)) == NULL) {
			ret = FO_ENOMEM;
			break;
		}
		a->nprev++;
		group_key(a, r);
		if (a->key.oom || fo_buf_cstr(&a->key) == NULL ||
		    (p->gkey = strdup(a->key.p)) == NULL ||
		    (fo_get_text(r, "queue", &a->val, e) == FO_OK &&
		    (p->queue = strdup(a->val.p)) == NULL)) {
			ret = FO_ENOMEM;
			break;
		}
		p->reopens = long_field(r, "reopens");
		p->reassigns = long_field(r, "reassigns");
		if (p->reopens < 0)
			p->reopens = 0;
		if (p->reassigns < 0)
			p->reassigns = 0;
		p->first_seen = a->as_of - 1;
		if (fo_get_date(r, "first_seen", &d, e) == FO_OK ||
		    fo_get_date(r, "hold_date", &d, e) == FO_OK ||
		    fo_get_date(r, "doc_date", &d, e) == FO_OK ||
		    fo_get_date(r, "posting_date", &d, e) == FO_OK)
			p->first_seen = d;
		e->msg[0] = '\0';
	}
	fo_recfile_close(&f);
	fo_buf_free(&b);
	if (ret == FO_OK)
		sort_n(a->prev, a->nprev, sizeof *a->prev, prev_cmp);
	return ret;
}

static int
cell_merge(struct cell *d, const struct cell *s)
{
	size_t i;
	int r;

	d->count += s->count;
	d->breached += s->breached;
	for (i = 0; i < s->nages; i++)
		if (age_add(d, s->ages[i].age, s->ages[i].n) != FO_OK)
			return FO_ENOMEM;
	for (i = 0; i < s->namt; i++)
		if ((r = money_add(&d->amt, &d->namt, s->amt[i].cur,
		    s->amt[i].v)) != FO_OK)
			return r;
	for (i = 0; i < s->nbase; i++)
		if ((r = money_add(&d->base, &d->nbase, s->base[i].cur,
		    s->base[i].v)) != FO_OK)
			return r;
	return FO_OK;
}

static void
cell_free(struct cell *c)
{
	free(c->ages);
	free(c->amt);
	free(c->base);
	memset(c, 0, sizeof *c);
}

static int
age_cmp(const void *x, const void *y)
{
	int32_t a = ((const struct agecount *)x)->age;
	int32_t b = ((const struct agecount *)y)->age;

	return (a > b) - (a < b);
}

static int
money_cmp(const void *x, const void *y)
{
	return strcmp(((const struct money *)x)->cur,
	    ((const struct money *)y)->cur);
}

static int
group_cmp(const void *x, const void *y)
{
	return strcmp(((const struct group *)x)->key,
	    ((const struct group *)y)->key);
}

static void
cell_sort(struct cell *c)
{
	sort_n(c->ages, c->nages, sizeof *c->ages, age_cmp);
	sort_n(c->amt, c->namt, sizeof *c->amt, money_cmp);
	sort_n(c->base, c->nbase, sizeof *c->base, money_cmp);
}

/* Oldest and median (the lower middle of an even count) of a sorted
 * cell; 0 when it has no dated record. */
int
fo_age_cell_stats(const struct cell *c, long *oldest, long *median)
{
	long n = 0, k, seen = 0;
	size_t i;

	for (i = 0; i < c->nages; i++)
		n += c->ages[i].n;
	if (n == 0)
		return 0;
	*oldest = c->ages[c->nages - 1].age;
	k = (n - 1) / 2;
	for (i = 0; i < c->nages; i++) {
		seen += c->ages[i].n;
		if (seen > k)
			break;
	}
	*median = c->ages[i].age;
	return 1;
}

/* "EUR=12345 JPY=100": minor units; "=5" without currency. */
static void
put_sums(struct fo_buf *b, const struct money *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fo_buf_printf(b, "%s%s=%lld", i ? " " : "", m[i].cur,
		    (long long)m[i].v);
}

static int
get_sums(const char *s, struct money **m, size_t *n)
{
	char cur[4];
	long long v;
	int k, r;

	while (*s) {
		k = 0;
		while (k < 3 && s[k] >= 'A' && s[k] <= 'Z')
			k++;
		if ((k != 0 && k != 3) || s[k] != '=')
			return FO_ERR;
		memcpy(cur, s, (size_t)k);
		cur[k] = '\0';
		errno = 0;
		{
			char *end;

			v = strtoll(s + k + 1, &end, 10);
			if (errno || end == s + k + 1 || (*end && *end != ' '))
				return FO_ERR;
			s = *end ? end + 1 : end;
		}
		if ((r = money_add(m, n, cur, (int64_t)v)) != FO_OK)
			return r;
	}
	return FO_OK;
}

static void
buckets_text(const struct fo_age *a, struct fo_buf *b)
{
	int i;

	for (i = 0; i < a->cfg.nbound; i++)
		fo_buf_printf(b, "%s%d", i ? "," : "", a->cfg.bound[i]);
}

static void
groups_text(const struct fo_age *a, struct fo_buf *b)
{
	size_t i;

	for (i = 0; i < a->ngname; i++)
		fo_buf_printf(b, "%s%s", i ? "," : "", a->gname[i]);
}

/* A long field of a partial line; -1 when absent or bad. */
static long
long_field(const struct fo_rec *r, const char *key)
{
	struct fo_span s;
	char buf[32], *end;
	long v;
	int t = fo_rec_find(r, key);

	if (t < 0 || fo_rec_type(r, t) != FO_J_PRIMITIVE)
		return -1;
	s = fo_rec_span(r, t);
	if (s.n == 0 || s.n >= sizeof buf)
		return -1;
	memcpy(buf, s.p, s.n);
	buf[s.n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	return errno || *end || v < 0 ? -1 : v;
}

static int
merge_meta(struct fo_age *a, const struct fo_rec *r, struct fo_err *e)
{
	struct fo_age_cfg cfg = a->cfg;
	struct fo_buf b = { 0 }, want = { 0 };
	const char *s;
	char *p, *q;
	int ok = 1;

	if ((s = str_field(r, "basis", &b)) == NULL ||
	    fo_age_basis_parse(s, &cfg.basis) != FO_OK ||
	    (s = str_field(r, "buckets", &b)) == NULL ||
	    fo_age_buckets_parse(s, &cfg) != FO_OK ||
	    long_field(r, "records") < 0 || long_field(r, "skipped") < 0 ||
	    str_field(r, "as_of", &b) == NULL ||
	    str_field(r, "groups", &b) == NULL)
		ok = 0;
	if (ok && !a->merged) {
		size_t i;

		a->cfg = cfg;
		a->nbucket = (size_t)cfg.nbound + 2;
		free(a->as_of_text);
		a->as_of_text = strdup(str_field(r, "as_of", &b));
		for (i = 0; i < a->ngname; i++)
			free(a->gname[i]);
		a->ngname = 0;
		s = str_field(r, "groups", &b);
		for (p = (char *)s; p && *p; p = q) {
			if ((q = strchr(p, ',')) != NULL)
				*q++ = '\0';
			char **v = realloc(a->gname, (a->ngname + 1) *
			    sizeof *a->gname);

			if (v == NULL || (v[a->ngname] = strdup(p)) == NULL) {
				if (v)
					a->gname = v;
				fo_buf_free(&b);
				return FO_ENOMEM;
			}
			a->gname = v;
			a->ngname++;
		}
		a->merged = 1;
	} else if (ok) {
		fo_buf_puts(&want, fo_age_basis_name(a->cfg.basis));
		ok = strcmp(str_field(r, "basis", &b), fo_buf_cstr(&want)) == 0;
		fo_buf_reset(&want);
		buckets_text(a, &want);
		ok = ok && strcmp(str_field(r, "buckets", &b),
		    fo_buf_cstr(&want)) == 0;
		fo_buf_reset(&want);
		groups_text(a, &want);
		ok = ok && strcmp(str_field(r, "groups", &b),
		    fo_buf_cstr(&want)) == 0;
		ok = ok && strcmp(str_field(r, "as_of", &b), a->as_of_text) ==
		    0;
		if (!ok)
			fo_err_msg(e, "a partial of another report: as_of, "
			    "basis, buckets and groups must be the same");
	} else
		fo_err_msg(e, "not an fo-age partial header");
	if (ok) {
		a->records += long_field(r, "records");
		a->skipped += long_field(r, "skipped");
		if (long_field(r, "escalated") > 0)
			a->n_escalate += long_field(r, "escalated");
		/* a partial made without -f html or xlsx has no worklist */
		if (long_field(r, "worklist") < 0)
			a->noitems = 1;
	}
	fo_buf_free(&b);
	fo_buf_free(&want);
	return ok ? FO_OK : FO_ERR;
}

/* A worklist line of a partial, kept as fo_age_rec keeps a record. */
static int
merge_item(struct fo_age *a, const struct fo_rec *r, struct fo_err *e)
{
	struct aged g;
	struct fo_span sp;
	char buf[24], *end;
	int t, rr;

	memset(&g, 0, sizeof g);
	g.breached = fo_get_bool(r, "breached", &g.breached, e) == FO_OK ?
	    g.breached : -1;
	t = fo_rec_find(r, "age");
	if (t >= 0) {
		sp = fo_rec_span(r, t);
		if (sp.n == 0 || sp.n >= sizeof buf)
			goto bad;
		memcpy(buf, sp.p, sp.n);
		buf[sp.n] = '\0';
		g.age = (int32_t)strtol(buf, &end, 10);
		if (*end)
			goto bad;
		g.has_age = 1;
	}
	if ((rr = money_field(r, "amount", "currency", &g.amt, e)) == FO_ERR)
		return FO_ERR;
	g.has_amt = rr == FO_OK;
	if ((rr = money_field(r, "amount_base", "base_currency", &g.base,
	    e)) == FO_ERR)
		return FO_ERR;
	g.has_base = rr == FO_OK;
	return item_add(a, r, &g, 1);
bad:
	fo_err_msg(e, "not an fo-age partial line");
	return FO_ERR;
}

int
fo_age_merge_rec(struct fo_age *a, const struct fo_rec *r, struct fo_err *e)
{
	struct fo_buf b = { 0 };
	struct group *g;
	struct cell c = { 0 };
	const char *s, *p;
	long bucket, count, breached;
	int ret = FO_ERR;

	if (fo_rec_find(r, "partial") >= 0)
		return merge_meta(a, r, e);
	if (!a->merged) {
		fo_err_msg(e, "a partial line before its header");
		return FO_ERR;
	}
	if (fo_rec_find(r, "item") >= 0)	/* wanted by html and xlsx */
		return a->keep ? merge_item(a, r, e) : FO_OK;
	bucket = long_field(r, "bucket");
	count = long_field(r, "count");
	breached = long_field(r, "breached");
	if (bucket < 0 || (size_t)bucket >= a->nbucket || count < 0 ||
	    breached < 0) {
		fo_err_msg(e, "not an fo-age partial line");
		return FO_ERR;
	}
	c.count = count;
	c.breached = breached;
	if ((s = str_field(r, "ages", &b)) == NULL)
		goto bad;
	for (p = s; *p;) {
		long age, n;
		char *end;

		age = strtol(p, &end, 10);
		if (*end != ':')
			goto bad;
		n = strtol(end + 1, &end, 10);
		if ((*end && *end != ' ') || n <= 0)
			goto bad;
		if (age_add(&c, (int32_t)age, n) != FO_OK) {
			ret = FO_ENOMEM;
			goto out;
		}
		p = *end ? end + 1 : end;
	}
	if ((s = str_field(r, "amounts", &b)) == NULL ||
	    get_sums(s, &c.amt, &c.namt) != FO_OK ||
	    (s = str_field(r, "base", &b)) == NULL ||
	    get_sums(s, &c.base, &c.nbase) != FO_OK)
		goto bad;
	group_key(a, r);
	if (a->key.oom || (g = group_get(a, r, fo_buf_cstr(&a->key))) ==
	    NULL) {
		ret = FO_ENOMEM;
		goto out;
	}
	if ((ret = cell_merge(&g->cell[bucket], &c)) == FO_ERR)
		fo_err_msg(e, "amount: the sum overflows");
	goto out;
bad:
	fo_err_msg(e, "not an fo-age partial line");
out:
	cell_free(&c);
	fo_buf_free(&b);
	return ret;
}

static void
json_opt(struct fo_buf *o, const char *key, const char *v)
{
	fo_buf_printf(o, ",\"%s\":", key);
	if (v)
		fo_json_str(o, v, strlen(v));
	else
		fo_buf_puts(o, "null");
}

/* A worklist line of a partial: {"item":1,...}, amounts as written. */
static void
item_json(struct fo_buf *o, const struct item *t)
{
	fo_buf_puts(o, "{\"item\":1");
	json_opt(o, "id", t->id);
	json_opt(o, "doc_number", t->doc);
	json_opt(o, "vendor", t->vendor);
	json_opt(o, "exception", t->cls);
	json_opt(o, "queue", t->queue);
	json_opt(o, "priority_band", t->band);
	json_opt(o, "sla_due", t->sla);
	json_opt(o, "reason", t->reason);
	if (t->prio >= 0)
		fo_buf_printf(o, ",\"priority\":%ld", t->prio);
	fo_buf_printf(o, ",\"breached\":%s,\"escalate\":%s", t->breached < 0 ?
	    "null" : t->breached ? "true" : "false", t->escalate ? "true" :
	    "false");
	if (t->has_age)
		fo_buf_printf(o, ",\"age\":%ld", (long)t->age);
	if (t->has_amt) {
		fo_buf_puts(o, ",\"amount\":");
		put_money(o, &t->amt);
		json_opt(o, "currency", t->amt.cur);
	}
	if (t->has_base) {
		fo_buf_puts(o, ",\"amount_base\":");
		put_money(o, &t->base);
		json_opt(o, "base_currency", t->base.cur);
	}
	fo_buf_puts(o, "}\n");
}

static void
write_partial(struct fo_age *a, struct fo_buf *o)
{
	size_t i, j, k;
	struct cell *c;

	fo_buf_puts(o, "{\"partial\":\"fo-age\",\"as_of\":");
	fo_json_str(o, a->as_of_text, strlen(a->as_of_text));
	fo_buf_printf(o, ",\"basis\":\"%s\",\"buckets\":\"",
	    fo_age_basis_name(a->cfg.basis));
	buckets_text(a, o);
	fo_buf_puts(o, "\",\"groups\":");
	fo_buf_reset(&a->tmp);
	groups_text(a, &a->tmp);
	fo_json_str(o, a->tmp.p ? a->tmp.p : "", a->tmp.n);
	fo_buf_printf(o, ",\"records\":%ld,\"skipped\":%ld,\"escalated\":%ld",
	    a->records, a->skipped, a->n_escalate);
	if (a->keep && !a->noitems)
		fo_buf_printf(o, ",\"worklist\":%zu", a->nitem);
	fo_buf_puts(o, "}\n");
	for (i = 0; i < a->ng; i++)
		for (j = 0; j < a->nbucket; j++) {
			c = &a->g[i].cell[j];
			if (c->count == 0)
				continue;
			fo_buf_putc(o, '{');
			for (k = 0; k < a->ngname; k++)
				fo_buf_printf(o, "\"g%zu\":%s,", k,
				    a->g[i].val[k]);
			fo_buf_printf(o, "\"bucket\":%zu,\"count\":%ld,"
			    "\"breached\":%ld,\"ages\":\"", j, c->count,
			    c->breached);
			for (k = 0; k < c->nages; k++)
				fo_buf_printf(o, "%s%ld:%ld", k ? " " : "",
				    (long)c->ages[k].age, c->ages[k].n);
			fo_buf_puts(o, "\",\"amounts\":\"");
			put_sums(o, c->amt, c->namt);
			fo_buf_puts(o, "\",\"base\":\"");
			put_sums(o, c->base, c->nbase);
			fo_buf_puts(o, "\"}\n");
			fo_age_spill(a);
		}
	for (i = 0; a->keep && !a->noitems && i < a->nitem; i++) {
		item_json(o, &a->item[i]);
		fo_age_spill(a);
	}
}

static void
json_sums(struct fo_buf *o, const struct money *m, size_t n)
{
	size_t i;

	fo_buf_putc(o, '{');
	for (i = 0; i < n; i++) {
		if (i)
			fo_buf_putc(o, ',');
		fo_json_str(o, m[i].cur, strlen(m[i].cur));
		fo_buf_putc(o, ':');
		put_money(o, &m[i]);
	}
	fo_buf_putc(o, '}');
}

/* A group value for csv and table: a string without its quotes. */
/* A group value (its JSON text) as text for CSV (quoted when it must
 * be), a table or HTML: a string decoded, no backslash left. */
void
fo_age_put_val(struct fo_buf *o, const char *v, int csv)
{
	size_t n = strlen(v);
	char *d = NULL;
	int q = 0;

	if (strcmp(v, "null") == 0)
		return;
	if (n >= 2 && v[0] == '"') {
		v++;
		n -= 2;
		if (memchr(v, '\\', n) != NULL && (d = malloc(n)) != NULL) {
			n = fo_json_unescape(v, n, d);
			v = d;
		}
	}
	if (csv && (memchr(v, ',', n) || memchr(v, '"', n) ||
	    memchr(v, '\n', n) || memchr(v, '\r', n)))
		q = 1;
	if (q)
		fo_buf_putc(o, '"');
	for (; n; v++, n--) {
		if (q && *v == '"')
			fo_buf_putc(o, '"');
		fo_buf_putc(o, *v);
	}
	if (q)
		fo_buf_putc(o, '"');
	free(d);
}

/* Each case of last night not here tonight into the flow of the group
 * it had last night (made, empty, if no case of tonight is in it), with
 * its decision. Once, before the groups are sorted. */
int
fo_age_flows_place(struct fo_age *a)
{
	const struct decision *d;
	struct fo_rec kr;
	struct group *g;
	struct prev *p;
	struct fo_err e;
	size_t i;
	int ret = FO_OK;

	if (a->flows_placed || !a->has_prev)
		return FO_OK;
	a->flows_placed = 1;
	fo_rec_init(&kr);
	for (i = 0; i < a->nprev && ret == FO_OK; i++) {
		p = &a->prev[i];
		if (p->seen)
			continue;
		/* the group from its key's text, as from a record */
		fo_buf_reset(&a->tmp);
		fo_buf_puts(&a->tmp, p->gkey);
		if (a->tmp.oom || fo_buf_cstr(&a->tmp) == NULL ||
		    fo_rec_parse(&kr, a->tmp.p, a->tmp.n, &e) != FO_OK ||
		    (g = group_get(a, &kr, p->gkey)) == NULL) {
			ret = FO_ENOMEM;
			break;
		}
		g->flow.resolved++;
		g->flow.resolve_days += a->as_of - p->first_seen;
		if (!a->has_dec)
			continue;
		if ((d = fo_age_decision_find(a, p->id, p->first_seen)) ==
		    NULL)
			g->flow.undecided++;
		else if (d->touches == 0)
			g->flow.untouched++;
		else {
			g->flow.touched++;
			if (d->touches == 1 && p->reopens == 0 &&
			    p->reassigns == 0)
				g->flow.first_pass++;
		}
	}
	fo_rec_free(&kr);
	return ret;
}

void
fo_age_flow_total(const struct fo_age *a, struct flow *t)
{
	size_t i;

	memset(t, 0, sizeof *t);
	for (i = 0; i < a->ng; i++) {
		const struct flow *f = &a->g[i].flow;

		t->fresh += f->fresh;
		t->carried += f->carried;
		t->reopened += f->reopened;
		t->reassigned += f->reassigned;
		t->resolved += f->resolved;
		t->resolve_days += f->resolve_days;
		t->touched += f->touched;
		t->untouched += f->untouched;
		t->undecided += f->undecided;
		t->first_pass += f->first_pass;
	}
}

/* The mean days to resolve in tenths of a day, half away from zero. */
long
fo_age_flow_tenths(const struct flow *f)
{
	int64_t sum = f->resolve_days, n = f->resolved;

	return n ? (long)((sum * 20 + (sum >= 0 ? n : -n)) / (2 * n)) : 0;
}

/* The flow as the keys of an NDJSON row. */
static void
flow_json(const struct fo_age *a, const struct flow *f, struct fo_buf *o)
{
	fo_buf_printf(o, ",\"new\":%ld,\"carried\":%ld,\"reopened\":%ld,"
	    "\"reassigned\":%ld,\"resolved\":%ld,\"mean_days_to_resolve\":",
	    f->fresh, f->carried, f->reopened, f->reassigned, f->resolved);
	if (f->resolved)
		fo_age_put_tenths(o, fo_age_flow_tenths(f));
	else
		fo_buf_puts(o, "null");
	if (a->has_dec)
		fo_buf_printf(o, ",\"touched\":%ld,\"untouched\":%ld,"
		    "\"undecided\":%ld,\"first_pass\":%ld", f->touched,
		    f->untouched, f->undecided, f->first_pass);
}

void
fo_age_put_tenths(struct fo_buf *o, long t)
{
	fo_buf_printf(o, "%s%ld.%ld", t < 0 ? "-" : "", labs(t) / 10,
	    labs(t) % 10);
}

static void
write_meta(struct fo_age *a, struct fo_buf *o)
{
	char name[32];
	size_t i;
	struct flow f;

	fo_buf_puts(o, "{\"report\":\"aging\",\"as_of\":");
	fo_json_str(o, a->as_of_text, strlen(a->as_of_text));
	fo_buf_printf(o, ",\"basis\":\"%s\",\"buckets\":[",
	    fo_age_basis_name(a->cfg.basis));
	for (i = 0; i < a->nbucket - 1; i++) {
		bucket_name(a, i, name, sizeof name);
		fo_buf_printf(o, "%s\"%s\"", i ? "," : "", name);
	}
	fo_buf_printf(o, "],\"records\":%ld,\"skipped\":%ld", a->records,
	    a->skipped);
	if (a->has_prev) {
		fo_age_flow_total(a, &f);
		flow_json(a, &f, o);
	}
	fo_buf_puts(o, "}\n");
}

static void
row_ndjson(struct fo_age *a, const struct row *w, struct fo_buf *o)
{
	char name[32];
	long oldest, median;

	fo_buf_puts(o, "{\"group\":");
	fo_buf_puts(o, w->g ? w->g->key : "null");
	if (w->bucket == a->nbucket)
		snprintf(name, sizeof name, "total");
	else
		bucket_name(a, w->bucket, name, sizeof name);
	fo_buf_printf(o, ",\"bucket\":\"%s\",\"count\":%ld,\"amounts\":",
	    name, w->c.count);
	json_sums(o, w->c.amt, w->c.namt);
	fo_buf_puts(o, ",\"amount_base\":");
	json_sums(o, w->c.base, w->c.nbase);
	fo_buf_printf(o, ",\"sla_breached\":%ld", w->c.breached);
	if (fo_age_cell_stats(&w->c, &oldest, &median))
		fo_buf_printf(o, ",\"oldest_days\":%ld,\"median_days\":%ld",
		    oldest, median);
	else
		fo_buf_puts(o, ",\"oldest_days\":null,\"median_days\":null");
	/* since last night: on a group's total row, and over all groups */
	if (a->has_prev && w->bucket == a->nbucket) {
		struct flow f;

		if (w->g == NULL)
			fo_age_flow_total(a, &f);
		flow_json(a, w->g ? &w->g->flow : &f, o);
	}
	fo_buf_puts(o, "}\n");
}

/* Every currency of the report, sorted, in *m (codes only). */
static int
all_currencies(const struct row *w, size_t nw, int base, struct money **m,
    size_t *n)
{
	size_t i, j;
	int r;

	for (i = 0; i < nw; i++)
		for (j = 0; j < (base ? w[i].c.nbase : w[i].c.namt); j++)
			if ((r = money_add(m, n, base ? w[i].c.base[j].cur :
			    w[i].c.amt[j].cur, 0)) != FO_OK)
				return r;
	sort_n(*m, *n, sizeof **m, money_cmp);
	return FO_OK;
}

static const struct money *
sum_of(const struct money *m, size_t n, const char *cur)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(m[i].cur, cur) == 0)
			return &m[i];
	return NULL;
}

/* A row's flow columns: empty but on a total row. */
static void
csv_flow(const struct fo_age *a, const struct flow *f, struct fo_buf *o)
{
	if (f == NULL) {
		fo_buf_puts(o, a->has_dec ? ",,,,,,,,,," : ",,,,,,");
		return;
	}
	fo_buf_printf(o, ",%ld,%ld,%ld,%ld,%ld,", f->fresh, f->carried,
	    f->reopened, f->reassigned, f->resolved);
	if (f->resolved)
		fo_age_put_tenths(o, fo_age_flow_tenths(f));
	if (a->has_dec)
		fo_buf_printf(o, ",%ld,%ld,%ld,%ld", f->touched, f->untouched,
		    f->undecided, f->first_pass);
}

static int
write_csv(struct fo_age *a, const struct row *w, size_t nw, struct fo_buf *o)
{
	struct money *cur = NULL, *base = NULL;
	const struct money *m;
	size_t ncur = 0, nbase = 0, i, k;
	long oldest, median;
	char name[32];
	struct flow tot;

	if (all_currencies(w, nw, 0, &cur, &ncur) != FO_OK ||
	    all_currencies(w, nw, 1, &base, &nbase) != FO_OK) {
		free(cur);
		free(base);
		return FO_ENOMEM;
	}
	for (k = 0; k < a->ngname; k++)
		fo_buf_printf(o, "%s,", a->gname[k]);
	fo_buf_puts(o, "bucket,count");
	for (k = 0; k < ncur; k++)
		fo_buf_printf(o, ",amount_%s", cur[k].cur[0] ? cur[k].cur :
		    "none");
	for (k = 0; k < nbase; k++)
		fo_buf_printf(o, ",amount_base_%s", base[k].cur[0] ?
		    base[k].cur : "none");
	fo_buf_puts(o, ",sla_breached,oldest_days,median_days");
	if (a->has_prev)
		fo_buf_puts(o, ",new,carried,reopened,reassigned,resolved,"
		    "mean_days_to_resolve");
	if (a->has_prev && a->has_dec)
		fo_buf_puts(o, ",touched,untouched,undecided,first_pass");
	fo_buf_putc(o, '\n');
	fo_age_flow_total(a, &tot);
	for (i = 0; i < nw; i++) {
		for (k = 0; k < a->ngname; k++) {
			if (w[i].g)
				fo_age_put_val(o, w[i].g->val[k], 1);
			else
				fo_buf_puts(o, "(all)");
			fo_buf_putc(o, ',');
		}
		if (w[i].bucket == a->nbucket)
			snprintf(name, sizeof name, "total");
		else
			bucket_name(a, w[i].bucket, name, sizeof name);
		fo_buf_printf(o, "%s,%ld", name, w[i].c.count);
		for (k = 0; k < ncur; k++) {
			fo_buf_putc(o, ',');
			if ((m = sum_of(w[i].c.amt, w[i].c.namt, cur[k].cur)))
				put_money(o, m);
		}
		for (k = 0; k < nbase; k++) {
			fo_buf_putc(o, ',');
			if ((m = sum_of(w[i].c.base, w[i].c.nbase,
			    base[k].cur)))
				put_money(o, m);
		}
		fo_buf_printf(o, ",%ld,", w[i].c.breached);
		if (fo_age_cell_stats(&w[i].c, &oldest, &median))
			fo_buf_printf(o, "%ld,%ld", oldest, median);
		else
			fo_buf_putc(o, ',');
		if (a->has_prev)
			csv_flow(a, w[i].bucket != a->nbucket ? NULL : w[i].g ?
			    &w[i].g->flow : &tot, o);
		fo_buf_putc(o, '\n');
		fo_age_spill(a);
	}
	free(cur);
	free(base);
	return FO_OK;
}

/* The flow of each group, under the table: one line a group, then all
 * of them. */
#define FLOWCOLS 10

static void
table_flows(struct fo_age *a, struct fo_buf *o)
{
	static const char *const head[FLOWCOLS] = { "new", "carried",
	    "reopened", "reassigned", "resolved", "mean_days", "touched",
	    "untouched", "undecided", "first_pass" };
	size_t nf = a->has_dec ? FLOWCOLS : 6, ncol = a->ngname + nf;
	size_t nl = a->ng + 2, l, k, *width;
	struct fo_buf *cell;
	struct flow tot;
	const struct flow *f;

	if ((cell = calloc(nl * ncol, sizeof *cell)) == NULL ||
	    (width = calloc(ncol, sizeof *width)) == NULL) {
		free(cell);
		o->oom = 1;
		return;
	}
	fo_age_flow_total(a, &tot);
	for (k = 0; k < ncol; k++)
		fo_buf_puts(&cell[k], k < a->ngname ? a->gname[k] :
		    head[k - a->ngname]);
	for (l = 1; l < nl; l++) {
		f = l <= a->ng ? &a->g[l - 1].flow : &tot;
		for (k = 0; k < a->ngname; k++)
			if (l <= a->ng)
				fo_age_put_val(&cell[l * ncol + k],
				    a->g[l - 1].val[k], 0);
			else
				fo_buf_puts(&cell[l * ncol + k], "(all)");
		{
			long v[FLOWCOLS] = { f->fresh, f->carried,
			    f->reopened, f->reassigned, f->resolved, 0,
			    f->touched, f->untouched, f->undecided,
			    f->first_pass };

			for (k = 0; k < nf; k++) {
				struct fo_buf *c = &cell[l * ncol + a->ngname +
				    k];

				if (k != 5)
					put_long(c, v[k]);
				else if (f->resolved)
					fo_age_put_tenths(c,
					    fo_age_flow_tenths(f));
				else
					fo_buf_putc(c, '-');
			}
		}
	}
	for (l = 0; l < nl * ncol; l++)
		if (cell[l].n > width[l % ncol])
			width[l % ncol] = cell[l].n;
	fo_buf_puts(o, "\nsince --prev, by group (resolved: in last night's "
	    "group)\n\n");
	for (l = 0; l < nl; l++) {
		for (k = 0; k < ncol; k++) {
			const char *s = fo_buf_cstr(&cell[l * ncol + k]);

			if (k)
				fo_buf_puts(o, "  ");
			fo_buf_printf(o, k < a->ngname ? "%-*s" : "%*s",
			    (int)width[k], s ? s : "");
		}
		while (o->n > 0 && o->p[o->n - 1] == ' ')
			o->n--;
		fo_buf_putc(o, '\n');
		fo_age_spill(a);
	}
	for (l = 0; l < nl * ncol; l++)
		fo_buf_free(&cell[l]);
	free(cell);
	free(width);
}

/* table: cells as text, then aligned. */
#define TCOLS_FIXED 7

static void
write_table(struct fo_age *a, const struct row *w, size_t nw,
    struct fo_buf *o)
{
	static const char *const head[TCOLS_FIXED] = { "bucket", "count",
	    "amount", "amount_base", "sla_breached", "oldest", "median" };
	static const int right[TCOLS_FIXED] = { 0, 1, 1, 1, 1, 1, 1 };
	size_t ncol = a->ngname + TCOLS_FIXED, nline = 1, i, j, k, l, lines;
	size_t *width, cap = 0;
	struct fo_buf cell = { 0 };
	char **txt = NULL, name[32];
	long oldest, median;
	struct flow f;

	/* the lines of the table: a header, then per row one per currency */
	for (i = 0; i < nw; i++)
		nline += w[i].c.namt > w[i].c.nbase ? (w[i].c.namt ?
		    w[i].c.namt : 1) : (w[i].c.nbase ? w[i].c.nbase : 1);
	cap = nline * ncol;
	if ((txt = calloc(cap, sizeof *txt)) == NULL ||
	    (width = calloc(ncol, sizeof *width)) == NULL) {
		free(txt);
		o->oom = 1;
		return;
	}
#define SET(L, C) do { txt[(L) * ncol + (C)] = strdup(fo_buf_cstr(&cell)); \
	fo_buf_reset(&cell); } while (0)
	for (k = 0; k < a->ngname; k++) {
		fo_buf_puts(&cell, a->gname[k]);
		SET(0, k);
	}
	for (k = 0; k < TCOLS_FIXED; k++) {
		fo_buf_puts(&cell, head[k]);
		SET(0, a->ngname + k);
	}
	for (i = 0, l = 1; i < nw; i++) {
		lines = w[i].c.namt > w[i].c.nbase ? w[i].c.namt :
		    w[i].c.nbase;
		for (j = 0; j < (lines ? lines : 1); j++, l++) {
			if (j == 0) {
				for (k = 0; k < a->ngname; k++) {
					if (w[i].g)
						fo_age_put_val(&cell,
						    w[i].g->val[k], 0);
					else
						fo_buf_puts(&cell, "(all)");
					SET(l, k);
				}
				if (w[i].bucket == a->nbucket)
					snprintf(name, sizeof name, "total");
				else
					bucket_name(a, w[i].bucket, name,
					    sizeof name);
				fo_buf_puts(&cell, name);
				SET(l, a->ngname);
				fo_buf_printf(&cell, "%ld", w[i].c.count);
				SET(l, a->ngname + 1);
				fo_buf_printf(&cell, "%ld", w[i].c.breached);
				SET(l, a->ngname + 4);
				if (fo_age_cell_stats(&w[i].c, &oldest,
				    &median)) {
					fo_buf_printf(&cell, "%ld", oldest);
					SET(l, a->ngname + 5);
					fo_buf_printf(&cell, "%ld", median);
					SET(l, a->ngname + 6);
				}
			}
			if (j < w[i].c.namt) {
				put_money(&cell, &w[i].c.amt[j]);
				fo_buf_printf(&cell, " %-3s",
				    w[i].c.amt[j].cur);
				SET(l, a->ngname + 2);
			}
			if (j < w[i].c.nbase) {
				put_money(&cell, &w[i].c.base[j]);
				fo_buf_printf(&cell, " %-3s",
				    w[i].c.base[j].cur);
				SET(l, a->ngname + 3);
			}
		}
	}
#undef SET
	for (l = 0; l < nline; l++)
		for (k = 0; k < ncol; k++)
			if (txt[l * ncol + k] && strlen(txt[l * ncol + k]) >
			    width[k])
				width[k] = strlen(txt[l * ncol + k]);
	fo_buf_printf(o, "aging as of %s, basis %s", a->as_of_text,
	    fo_age_basis_name(a->cfg.basis));
	if (a->cfg.basis == FO_AGE_HOLD)
		fo_buf_puts(o, " (hold_date, else the earliest of first_seen, doc_date, posting_date)");
	else
		fo_buf_printf(o, " (%s)", basis_field[a->cfg.basis]);
	fo_buf_printf(o, "\n%ld exceptions, skipped non-exceptions %ld\n",
	    a->records, a->skipped);
	if (a->has_prev) {
		fo_age_flow_total(a, &f);
		fo_buf_printf(o, "since --prev: new %ld, carried %ld, "
		    "resolved %ld, mean days to resolve ", f.fresh, f.carried,
		    f.resolved);
		if (f.resolved)
			fo_age_put_tenths(o, fo_age_flow_tenths(&f));
		else
			fo_buf_puts(o, "-");
		fo_buf_printf(o, ", reopened %ld, reassigned %ld\n",
		    f.reopened, f.reassigned);
		if (a->has_dec)
			fo_buf_printf(o, "decisions: touched %ld, untouched "
			    "%ld, undecided %ld, first pass %ld\n", f.touched,
			    f.untouched, f.undecided, f.first_pass);
	}
	fo_buf_putc(o, '\n');
	for (l = 0; l < nline; l++) {
		size_t end = ncol;

		while (end > 0 && txt[l * ncol + end - 1] == NULL &&
		    (end - 1 < a->ngname || !right[end - 1 - a->ngname]))
			end--;
		for (k = 0; k < end; k++) {
			const char *s = txt[l * ncol + k] ? txt[l * ncol + k] :
			    "";
			int r = k >= a->ngname && right[k - a->ngname];

			if (k)
				fo_buf_puts(o, "  ");
			if (k + 1 == end && !r)
				fo_buf_puts(o, s);
			else
				fo_buf_printf(o, r ? "%*s" : "%-*s",
				    (int)width[k], s);
		}
		while (o->n > 0 && o->p[o->n - 1] == ' ')
			o->n--;
		fo_buf_putc(o, '\n');
		/* between lines: the trim stays in one */
		fo_age_spill(a);
	}
	if (a->has_prev && a->ngname)
		table_flows(a, o);
	for (i = 0; i < cap; i++)
		free(txt[i]);
	free(txt);
	free(width);
	fo_buf_free(&cell);
}

static int
item_cmp(const void *x, const void *y)
{
	const struct item *p = x, *q = y;
	int c;

	if (p->prio != q->prio)
		return p->prio > q->prio ? -1 : 1;
	/* then the SLA that ends first, the oldest, the id */
	if ((p->sla == NULL) != (q->sla == NULL))
		return p->sla == NULL ? 1 : -1;
	if (p->sla && (c = strcmp(p->sla, q->sla)) != 0)
		return c;
	if (p->has_age != q->has_age)
		return p->has_age ? -1 : 1;
	if (p->age != q->age)
		return p->age > q->age ? -1 : 1;
	return strcmp(p->id ? p->id : "", q->id ? q->id : "");
}

/* The money of a row of all groups together: its own sums (allb), not
 * its groups', so that a document in two groups is in it once. */
static int
row_money(const struct fo_age *a, struct row *w)
{
	size_t i, j, lo, hi;
	int r;

	if (w->g != NULL)
		return FO_OK;
	lo = w->bucket < a->nbucket ? w->bucket : 0;
	hi = w->bucket < a->nbucket ? w->bucket + 1 : a->nbucket;
	free(w->c.amt);
	free(w->c.base);
	w->c.amt = w->c.base = NULL;
	w->c.namt = w->c.nbase = 0;
	for (j = lo; j < hi; j++) {
		for (i = 0; i < a->allb[j].namt; i++)
			if ((r = money_add(&w->c.amt, &w->c.namt,
			    a->allb[j].amt[i].cur, a->allb[j].amt[i].v)) !=
			    FO_OK)
				return r;
		for (i = 0; i < a->allb[j].nbase; i++)
			if ((r = money_add(&w->c.base, &w->c.nbase,
			    a->allb[j].base[i].cur, a->allb[j].base[i].v)) !=
			    FO_OK)
				return r;
	}
	cell_sort(&w->c);
	return FO_OK;
}

int
fo_age_write(struct fo_age *a, enum fo_age_fmt fmt, int partial,
    struct fo_buf *o)
{
	struct row *w;
	struct cell *all = NULL;
	size_t nw = 0, i, j;
	int ret = FO_OK;

	if ((ret = docs_place(a)) != FO_OK)	/* before the groups move */
		return ret == FO_ERR ? FO_ENOMEM : ret;
	if ((ret = fo_age_flows_place(a)) != FO_OK)
		return ret;
	sort_n(a->g, a->ng, sizeof *a->g, group_cmp);
	if (a->nslot) {		/* the groups moved: index them again */
		a->nslot /= 2;
		if (group_rehash(a) != FO_OK)
			return FO_ENOMEM;
	}
	for (i = 0; i < a->ng; i++)
		for (j = 0; j < a->nbucket; j++)
			cell_sort(&a->g[i].cell[j]);
	sort_n(a->item, a->nitem, sizeof *a->item, item_cmp);
	if (partial) {
		write_partial(a, o);
		return o->oom ? FO_ENOMEM : FO_OK;
	}
	/* per group: every bucket (undated only when some are), a total;
	 * with groups, all of them together the same way */
	if ((w = calloc((a->ng + 1) * (a->nbucket + 1), sizeof *w)) == NULL ||
	    (all = calloc(a->nbucket, sizeof *all)) == NULL) {
		free(w);
		return FO_ENOMEM;
	}
	for (i = 0; i <= a->ng; i++) {
		struct row *tot;
		const struct cell *src;

		if (i == a->ng && (a->ngname == 0 || a->ng == 0))
			break;
		for (j = 0; j < a->nbucket; j++) {
			src = i < a->ng ? &a->g[i].cell[j] : &all[j];
			if (j == a->nbucket - 1 && src->count == 0)
				continue;
			w[nw].g = i < a->ng ? &a->g[i] : NULL;
			w[nw].bucket = j;
			if ((ret = cell_merge(&w[nw].c, src)) != FO_OK)
				goto out;
			if (i < a->ng && (ret = cell_merge(&all[j], src)) !=
			    FO_OK)
				goto out;
			cell_sort(&w[nw].c);
			nw++;
		}
		tot = &w[nw];
		tot->g = i < a->ng ? &a->g[i] : NULL;
		tot->bucket = a->nbucket;
		for (j = 0; j < a->nbucket; j++)
			if ((ret = cell_merge(&tot->c, i < a->ng ?
			    &a->g[i].cell[j] : &all[j])) != FO_OK)
				goto out;
		cell_sort(&tot->c);
		nw++;
	}
	if (a->ng == 0) {	/* nothing aged: the empty buckets still */
		for (j = 0; j + 1 < a->nbucket; j++)
			w[nw++].bucket = j;
		w[nw++].bucket = a->nbucket;
	}
	/* all groups together: a document in two groups once. Partials
	 * merged have only their groups' cells (fo-age(1), CAVEATS). */
	for (i = 0; i < nw && !a->merged; i++)
		if ((ret = row_money(a, &w[i])) != FO_OK)
			goto out;
	switch (fmt) {
	case FO_AGE_NDJSON:
		write_meta(a, o);
		for (i = 0; i < nw; i++) {
			row_ndjson(a, &w[i], o);
			fo_age_spill(a);
		}
		break;
	case FO_AGE_CSV:
		ret = write_csv(a, w, nw, o);
		break;
	case FO_AGE_TABLE:
		write_table(a, w, nw, o);
		break;
	case FO_AGE_HTML:
		fo_age_write_html(a, w, nw, o);
		break;
	case FO_AGE_XLSX:
		ret = fo_age_write_book(a, w, nw);
		break;
	}
out:
	for (i = 0; i < nw + 1 && i < (a->ng + 1) * (a->nbucket + 1); i++)
		cell_free(&w[i].c);
	for (j = 0; j < a->nbucket; j++)
		cell_free(&all[j]);
	free(all);
	free(w);
	if (ret == FO_ERR)
		ret = FO_ENOMEM;
	return ret == FO_OK && o->oom ? FO_ENOMEM : ret;
}

int
fo_age_write_out(struct fo_age *a, enum fo_age_fmt fmt, int partial,
    struct fo_out *o)
{
	int rc;

	a->sink = o;
	rc = fo_age_write(a, fmt, partial, fo_out_buf(o));
	fo_out_done(o);
	a->sink = NULL;
	return rc;
}
