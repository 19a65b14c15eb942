/*
 * match.c - fo-match's reconciliation: which line (a bank line, a
 * payment) settles which open item (an invoice, a credit memo).
 *
 * Both sides are held, each record as a small entry whose strings live
 * in one arena; the records' own text is not (fo-match spools it). The
 * items are indexed by hashed keys. The passes of rules/match.yaml run
 * in order; within a pass every open line proposes the items it would
 * settle from the state the pass began with, and only then are the
 * proposals committed: an item two lines claim settles neither. So no
 * decision depends on the order the records came in.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"

#define DOC_MIN		3	/* shorter doc numbers are never looked for */
#define NONE		((size_t)-1)

enum key { K_E2E, K_TEXT, K_IBAN, K_NAME, K_RETURN, K_DECISION };
static const char *const key_names[] = { "end_to_end_id",
	"reference_in_text", "iban", "amount_name", "return", "decision",
	NULL };

enum st { ST_OPEN, ST_MATCHED, ST_SUGGESTED, ST_AMBIGUOUS, ST_UNMATCHED,
	ST_DUPLICATE, ST_STATEMENT };
static const char *const st_names[] = { "unmatched", "matched",
	"suggested", "ambiguous", "unmatched", "duplicate", "statement" };

enum cls { C_NONE, C_FEE, C_DISCOUNT, C_SHORT, C_OVER };
static const char *const cls_names[] = { NULL, "fee", "discount",
	"short_payment", "overpayment" };

struct pass {
	char *id;
	enum key key;
	int many;		/* cardinality 1:n */
	int confirm;		/* status matched (else suggested) */
	long score;
	long tol_minor, tol_bp;
	long window;		/* days, -1: none */
	long line;		/* of the pass, for messages */
	char *when;		/* jq: the lines the pass applies to, or NULL */
	long wline, wcol;
};

/* A person's decision (--decisions): a match confirmed (pinned: it
 * settles before any pass runs) or a pairing rejected (never proposed). */
struct dec {
	long line;		/* in the decisions file */
	int confirm;
	size_t mid, lid, by, at;	/* arena offsets, 0: none */
	size_t first, n;	/* item ids: dids[first .. first + n] */
	size_t lrec;		/* resolved: the line's record, or NONE */
	int done;		/* refused, unknown, or applied */
};

struct fo_match {
	const char *file;
	struct pass *pass;
	size_t npass;		/* pass[npass] is the decisions' */
	const char *decfile;
	struct dec *dec;
	size_t ndec, capdec;
	size_t *dids, ndids, capdids;	/* item ids (arena), then records */
	size_t *drec, ndrec, capdrec;	/* the items of decisions, resolved */
	size_t *creator, ncreator, capcreator;	/* created_by, with decisions */
	struct dpair {		/* a rejected pairing */
		size_t line, item;
	} *rej;
	size_t nrej, caprej;
	struct fo_errs decmsg;	/* unknown ids, refusals */
	/* balance assertions: per statement_id, its lines' sum, and the
	 * statement record's balances once read */
	struct stmt {
		size_t id, account, rec;	/* rec: NONE, no record yet */
		int64_t open, close, sum;
		long nlines;
		int32_t date;		/* closing_date */
		unsigned char has_date, ovf;
		int64_t diff;		/* open + sum - close */
		size_t prev;		/* the statement before, NONE */
	} *st;
	size_t nst, capst;
	struct idx *stix;
	long refused;
	struct fo_jq *jq;	/* the passes' when, or NULL */
	int same_sign;		/* paid = +amount (else -amount) */
	const struct fo_vendors *vendors;	/* IBANs items lack, or NULL */
	struct fo_owned owned;
	/* held records */
	struct mrec *rec;
	size_t nrec, caprec;
	struct fo_buf str;	/* the arena; offset 0 is "" */
	size_t lastfile;	/* the file name last kept */
	size_t *line_ix, *item_ix;	/* per side, in the order added */
	size_t nl, capl, ni, capi;
	struct idx *idx;	/* per key kind, over the items */
	struct idx *ids[2];	/* ids per side, for duplicates */
	/* results */
	struct grp *grp;
	size_t ngrp, capgrp;
	size_t *gi;		/* items of groups, and of ambiguities */
	size_t ngi, capgi;
	struct amb *amb;
	size_t namb, capamb;
	struct ipair {		/* an ambiguous line and a candidate it left */
		size_t item, line;
	} *ip;
	size_t nip;
	size_t *gl, ngl, capgl;	/* the other lines of many:1 groups */
	struct fo_buf tmp, why;
	long passcount[66][4];	/* matched, suggested, ambiguous, items */
	int ran;
};

struct mrec {
	size_t id, e2e, ref, doc, docn, iban, name, text, entity, file;
	long line;
	int64_t amount, discount;
	int32_t date, disc_date;
	unsigned char has_date, has_disc_date, minor, item, iban_master;
	char cur[4];
	unsigned char status;
	unsigned char rej;	/* a line with a rejected pairing */
	unsigned char stmt;	/* a statement record (no line to settle) */
	uint32_t grp;		/* RNONE, or its group */
	uint32_t amb;		/* RNONE, or its ambiguity (lines) */
	uint32_t dup;		/* the original of a duplicate, else RNONE */
	uint64_t skip;		/* lines: bit i, pass i's when is false */
};

/* Groups, ambiguities and records number fewer than IX_MAXREC. */
#define RNONE		UINT32_MAX

struct grp {
	size_t line, first, n;	/* items: gi[first .. first + n] */
	size_t pass, ncand;
	int64_t paid, settled, diff, discount;
	enum cls cls;
	int beyond, confirm;
	size_t dec;		/* pass K_DECISION: its decision */
	size_t other;		/* pass K_RETURN: the line returned + 1, else 0 */
	size_t lfirst, nl;	/* many:1: the other lines, gl[lfirst ..] */
};

struct amb {
	size_t line, first, n, pass;
	int contested;
};

struct ient {			/* 16 bytes */
	uint64_t h;
	uint32_t rec;		/* the record, and in the top bit which key of
				 * an item (e2e: end_to_end_id 0, reference 1) */
	uint32_t next;
};

#define IX_NONE		UINT32_MAX
#define IX_MAXREC	0x7fffffffUL
#define IX_REC(e)	((size_t)((e).rec & IX_MAXREC))
#define IX_WHAT(e)	((int)((e).rec >> 31))

struct idx {
	uint32_t *head;		/* IX_NONE: empty */
	size_t mask;
	struct ient *e;
	size_t n, cap;
};

static int rejected(const struct fo_match *, size_t, size_t);
static int cmp_ipair(const void *, const void *);

static uint64_t
hash(const char *s, size_t n)
{
	return fo_fnv1a(FO_FNV_BASIS, s, n);
}

static const char *
S(const struct fo_match *m, size_t off)
{
	return m->str.p + off;
}

/* A string kept in the arena: its offset, 0 for none. */
static size_t
keep(struct fo_match *m, const char *s, size_t n)
{
	size_t at;

	if (n == 0)
		return 0;
	if (m->str.n == 0)
		fo_buf_putc(&m->str, '\0');
	at = m->str.n;
	fo_buf_put(&m->str, s, n);
	fo_buf_putc(&m->str, '\0');
	return m->str.oom ? 0 : at;
}

/* ---- the rules ---- */

static void
load_pass(struct fo_match *m, const struct fo_ynode *y, struct fo_errs *errs)
{
	static const char *const keys[] = { "id", "description", "key",
	    "cardinality", "status", "score", "tolerance_minor",
	    "tolerance_bp", "window_days", "when", NULL };
	struct pass *p = &m->pass[m->npass];
	const struct fo_ynode *k;
	const char *s;
	size_t i;

	if (fo_ymap_check(y, keys, "a pass", m->file, errs) &&
	    y->type != FO_Y_MAP)
		return;
	p->line = y->line;
	p->window = -1;
	p->score = 100;
	p->confirm = 1;
	if ((s = fo_yscalar(k = fo_ymap_get(y, "id"))) == NULL ||
	    !fo_yname_ok(s)) {
		fo_yerr(errs, m->file, k ? k : y, "a pass needs an %s: letters, "
		    "digits and _", "id");
		return;
	}
	for (i = 0; i < m->npass; i++)
		if (strcmp(m->pass[i].id, s) == 0)
			fo_errs_addf(errs, m->file, k->line, k->col,
			    "duplicate pass id '%s' (first at line %ld)", s,
			    m->pass[i].line);
	p->id = fo_own(&m->owned, strdup(s));
	s = fo_yscalar(k = fo_ymap_get(y, "key"));
	for (i = 0; s && key_names[i]; i++)
		if (strcmp(s, key_names[i]) == 0)
			break;
	if (s == NULL || key_names[i] == NULL || i == K_DECISION)
		fo_yerr(errs, m->file, k ? k : y, "key '%s': end_to_end_id, "
		    "reference_in_text, iban, amount_name or return",
		    s ? s : "");
	else
		p->key = (enum key)i;
	if ((k = fo_ymap_get(y, "cardinality")) != NULL) {
		s = fo_yscalar(k);
		if (s && strcmp(s, "1:n") == 0)
			p->many = 1;
		else if (s == NULL || strcmp(s, "1:1") != 0)
			fo_yerr(errs, m->file, k, "cardinality '%s': 1:1, or 1:n "
			    "(one line settles several items)", s ? s : "");
		if (p->many && (p->key == K_IBAN || p->key == K_NAME ||
		    p->key == K_RETURN))
			fo_yerr(errs, m->file, k, "cardinality 1:n needs a key "
			    "that names documents (end_to_end_id or "
			    "reference_in_text), not %s", key_names[p->key]);
	}
	if ((k = fo_ymap_get(y, "status")) != NULL) {
		s = fo_yscalar(k);
		if (s && strcmp(s, "suggested") == 0)
			p->confirm = 0;
		else if (s == NULL || strcmp(s, "matched") != 0)
			fo_yerr(errs, m->file, k, "status '%s': matched or "
			    "suggested", s ? s : "");
		else if (p->key == K_NAME)
			fo_yerr(errs, m->file, k, "status matched: %s only "
			    "suggests (a name is no proof)", "amount_name");
	} else if (p->key == K_NAME)
		p->confirm = 0;
	if ((k = fo_ymap_get(y, "score")) != NULL &&
	    fo_ywhole(fo_yscalar(k), 0, 100, &p->score) != FO_OK)
		fo_yerr(errs, m->file, k, "score '%s': a whole number from 0 "
		    "to 100", fo_yscalar(k) ? k->str : "");
	if ((k = fo_ymap_get(y, "tolerance_minor")) != NULL &&
	    fo_ywhole(fo_yscalar(k), 0, 1000000000L, &p->tol_minor) != FO_OK)
		fo_yerr(errs, m->file, k, "tolerance_minor '%s': a whole number "
		    "of minor units (cents), 0 or more", fo_yscalar(k) ?
		    k->str : "");
	if ((k = fo_ymap_get(y, "tolerance_bp")) != NULL &&
	    fo_ywhole(fo_yscalar(k), 0, 10000, &p->tol_bp) != FO_OK)
		fo_yerr(errs, m->file, k, "tolerance_bp '%s': basis points of "
		    "the amount settled, 0 to 10000", fo_yscalar(k) ?
		    k->str : "");
	if ((k = fo_ymap_get(y, "window_days")) != NULL &&
	    fo_ywhole(fo_yscalar(k), 0, 366, &p->window) != FO_OK)
		fo_yerr(errs, m->file, k, "window_days '%s': a whole number of "
		    "days, 0 to 366", fo_yscalar(k) ? k->str : "");
	if ((k = fo_ymap_get(y, "when")) != NULL) {
		size_t at, wlen;
		const char *why;

		if ((s = fo_yscalar(k)) == NULL || *s == '\0')
			fo_yerr(errs, m->file, k, "pass %s: when must be a jq "
			    "condition", p->id ? p->id : "");
		else {
			p->when = fo_own(&m->owned, strdup(s));
			p->wline = k->line;
			p->wcol = k->col;
			if (fo_jq_leaky(s))
				fo_yerr(errs, m->file, k, "pass %s: index, rindex "
				    "and indices leak memory in jq 1.6 on every "
				    "record: write any(.[]; . == X) or "
				    "contains([X])", p->id ? p->id : "");
			if ((why = fo_jq_refused(s, &at, &wlen)) != NULL)
				fo_errs_addf(errs, m->file, k->line, k->col,
				    "pass %s: when: '%.*s' %s: rules are data "
				    "(fo(7), SECURITY)", p->id ? p->id : "",
				    (int)wlen, s + at, why);
		}
	}
	if (p->key == K_RETURN && p->when == NULL && fo_ymap_get(y, "key"))
		fo_yerr(errs, m->file, fo_ymap_get(y, "key"), "key %s needs "
		    "when: the condition that tells a return (a reason code, "
		    "the word RETURN)", "return");
	if (p->key == K_NAME && p->window < 0 && fo_ymap_get(y, "key"))
		fo_yerr(errs, m->file, fo_ymap_get(y, "key"), "key %s needs "
		    "window_days: a name and an amount alone match too much",
		    "amount_name");
	m->npass++;
}

int
fo_match_load(const char *path, struct fo_match **mp, struct fo_errs *errs)
{
	static const char *const top[] = { "sign", "passes", NULL };
	struct fo_match *m;
	struct fo_ydoc *doc = NULL;
	const struct fo_ynode *y, *root;
	size_t before = errs->n, i;
	int r;

	*mp = NULL;
	if ((r = fo_yaml_load(path, &doc, errs)) != FO_OK)
		return r;
	if ((m = calloc(1, sizeof *m)) == NULL) {
		fo_yaml_free(doc);
		return FO_ENOMEM;
	}
	m->file = path;
	root = doc->root;
	if (root == NULL || root->type != FO_Y_MAP) {
		fo_errs_addf(errs, path, 1, 1, "matching rules are a mapping "
		    "with passes (fo-rules(5))");
		goto out;
	}
	fo_ymap_check(root, top, "matching rules", path, errs);
	if ((y = fo_ymap_get(root, "sign")) != NULL &&
	    fo_match_sign(m, fo_yscalar(y)) != FO_OK)
		fo_yerr(errs, path, y, "sign '%s': opposite (a line pays what "
		    "it settles with the other sign, as a bank writes it) or "
		    "same", fo_yscalar(y) ? y->str : "");
	if ((y = fo_ymap_get(root, "passes")) == NULL || y->type != FO_Y_SEQ ||
	    y->n == 0)
		fo_yerr(errs, path, y ? y : root, "%s must be a list of passes",
		    "passes");
	else if (y->n > 64)
		fo_yerr(errs, path, y, "%s: 64 passes at most", "passes");
	else if ((m->pass = fo_own(&m->owned, calloc(y->n + 1,
	    sizeof *m->pass))) != NULL)
		for (i = 0; i < y->n; i++)
			load_pass(m, y->kid[i], errs);
	/* the conditions, compiled once into one program, even when other
	 * mistakes were found: all are reported at once */
	for (i = 0; i < m->npass; i++)
		if (m->pass[i].when)
			break;
	if (i < m->npass) {
		struct fo_jqrule *jr;

		if ((jr = calloc(m->npass, sizeof *jr)) == NULL) {
			fo_errs_addf(errs, path, 0, 0, "out of memory");
			goto out;
		}
		for (i = 0; i < m->npass; i++) {
			jr[i].id = m->pass[i].id ? m->pass[i].id : "";
			jr[i].when = m->pass[i].when;
			jr[i].line = m->pass[i].wline;
			jr[i].col = m->pass[i].wcol;
		}
		if (fo_jq_new(&m->jq, path, jr, m->npass, NULL, 0, errs) ==
		    FO_ENOMEM)
			fo_errs_addf(errs, path, 0, 0, "out of memory");
		free(jr);
	}
out:
	fo_yaml_free(doc);
	if (fo_errs_verdict(errs, before) != FO_OK) {
		fo_match_free(m);
		return FO_ERR;
	}
	*mp = m;
	return FO_OK;
}

void
fo_match_vendors(struct fo_match *m, const struct fo_vendors *v)
{
	m->vendors = v;
}

int
fo_match_sign(struct fo_match *m, const char *s)
{
	if (s && strcmp(s, "opposite") == 0)
		m->same_sign = 0;
	else if (s && strcmp(s, "same") == 0)
		m->same_sign = 1;
	else
		return FO_ERR;
	return FO_OK;
}

static void
idx_free(struct idx *x)
{
	if (x == NULL)
		return;
	free(x->head);
	free(x->e);
}

void
fo_match_free(struct fo_match *m)
{
	size_t i;

	if (m == NULL)
		return;
	fo_jq_free(m->jq);
	if (m->idx)
		for (i = 0; i < 4; i++)
			idx_free(&m->idx[i]);
	free(m->idx);
	for (i = 0; i < 2; i++) {
		idx_free(m->ids[i]);
		free(m->ids[i]);
	}
	fo_owned_free(&m->owned);
	free(m->rec);
	free(m->line_ix);
	free(m->item_ix);
	free(m->grp);
	free(m->gi);
	free(m->amb);
	free(m->ip);
	free(m->gl);
	free(m->st);
	idx_free(m->stix);
	free(m->stix);
	free(m->dec);
	free(m->dids);
	free(m->drec);
	free(m->creator);
	free(m->rej);
	fo_errs_free(&m->decmsg);
	fo_buf_free(&m->str);
	fo_buf_free(&m->tmp);
	fo_buf_free(&m->why);
	free(m);
}

/* ---- the index: hashed keys, chained, grown by doubling ---- */

static int
idx_grow(struct idx *x)
{
	size_t n = x->mask ? 2 * (x->mask + 1) : 1024, i, b;
	uint32_t *head;

	if ((head = malloc(n * sizeof *head)) == NULL)
		return FO_ENOMEM;
	for (i = 0; i < n; i++)
		head[i] = IX_NONE;
	for (i = 0; i < x->n; i++) {
		b = (size_t)x->e[i].h & (n - 1);
		x->e[i].next = head[b];
		head[b] = (uint32_t)i;
	}
	free(x->head);
	x->head = head;
	x->mask = n - 1;
	return FO_OK;
}

/* rec below IX_MAXREC (fo_match_add sees to it). */
static int
idx_add(struct idx *x, uint64_t h, size_t rec, int what)
{
	struct ient *e;
	size_t b;

	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 1024;
		if ((e = realloc(x->e, x->cap * sizeof *e)) == NULL)
			return FO_ENOMEM;
		x->e = e;
	}
	if ((x->mask == 0 || x->n + 1 > (x->mask + 1) / 2) &&
	    idx_grow(x) != FO_OK)
		return FO_ENOMEM;
	b = (size_t)h & x->mask;
	x->e[x->n].h = h;
	x->e[x->n].rec = (uint32_t)rec | (what ? (uint32_t)1 << 31 : 0);
	x->e[x->n].next = x->head[b];
	x->head[b] = (uint32_t)x->n++;
	return FO_OK;
}

/* The first entry of hash h, then the next: an index, NONE at the end. */
static size_t
idx_first(const struct idx *x, uint64_t h)
{
	uint32_t i;

	if (x->mask == 0)
		return NONE;
	for (i = x->head[(size_t)h & x->mask]; i != IX_NONE; i = x->e[i].next)
		if (x->e[i].h == h)
			return i;
	return NONE;
}

static size_t
idx_next(const struct idx *x, size_t at)
{
	uint64_t h = x->e[at].h;
	uint32_t i;

	for (i = x->e[at].next; i != IX_NONE; i = x->e[i].next)
		if (x->e[i].h == h)
			return i;
	return NONE;
}

/* ---- reading records ----
 * Through the one typed reader (recget.c), so that a value gets the
 * verdict and the message it gets in every other stage. */

/* A string field, trimmed, into m->tmp: its length; 0 absent, null or
 * blank; FO_ERR another type; FO_ENOMEM. */
static long
text(struct fo_match *m, const struct fo_rec *r, const char *key,
    struct fo_err *e)
{
	size_t a = 0;
	int rc;

	if ((rc = fo_get_text(r, key, &m->tmp, e)) != FO_OK)
		return rc == FO_EMPTY ? 0 : rc;
	while (a < m->tmp.n && (m->tmp.p[a] == ' ' || m->tmp.p[a] == '\t'))
		a++;
	while (m->tmp.n > a && (m->tmp.p[m->tmp.n - 1] == ' ' ||
	    m->tmp.p[m->tmp.n - 1] == '\t'))
		m->tmp.n--;
	if (a > 0) {
		memmove(m->tmp.p, m->tmp.p + a, m->tmp.n - a);
		m->tmp.n -= a;
	}
	return (long)m->tmp.n;
}

/* A string field kept in the arena: FO_OK (*off 0 when absent). */
static int
keep_field(struct fo_match *m, const struct fo_rec *r, const char *key,
    size_t *off, struct fo_err *e)
{
	long n = text(m, r, key, e);

	*off = 0;
	if (n < 0)
		return (int)n;
	*off = keep(m, m->tmp.p, (size_t)n);
	return m->str.oom ? FO_ENOMEM : FO_OK;
}

static int
date_field(struct fo_match *m, const struct fo_rec *r, const char *key,
    int32_t *day, struct fo_err *e)
{
	(void)m;
	return fo_get_date(r, key, day, e);
}

/* The first of the keys that gives a date. */
static int
first_date(struct fo_match *m, const struct fo_rec *r,
    const char *const *keys, int32_t *day, unsigned char *has,
    struct fo_err *e)
{
	int rc;

	*has = 0;
	for (; *keys; keys++)
		if ((rc = date_field(m, r, *keys, day, e)) == FO_OK) {
			*has = 1;
			return FO_OK;
		} else if (rc != FO_EMPTY)
			return rc;
	return FO_OK;
}

/* Money in the record's currency (whose minor units the caller has
 * checked): 1; absent or null: 0; FO_ERR, FO_ENOMEM. */
static int
money_field(const struct fo_rec *r, const char *key, struct fo_dec *d,
    struct fo_err *e)
{
	struct fo_money mo;
	int rc;

	if ((rc = fo_get_money(r, key, "currency", &mo, e)) != FO_OK)
		return rc == FO_EMPTY ? 0 : rc;
	*d = mo.v;
	return 1;
}

/* A decimal at its written scale: 1; absent or null: 0; FO_ERR. */
static int
number(const struct fo_rec *r, const char *key, struct fo_dec *d,
    struct fo_err *e)
{
	int rc;

	if ((rc = fo_get_dec(r, key, d, e)) != FO_OK)
		return rc == FO_EMPTY ? 0 : rc;
	return 1;
}

/* Upper case letters and digits of a name, legal forms dropped: "Nordwerk
 * GmbH" and "NORDWERK GMBH." are both NORDWERK. */
static void
name_norm(const char *s, size_t n, struct fo_buf *b)
{
	static const char *const forms[] = { "AG", "BV", "CO", "CORP", "EK",
	    "GMBH", "INC", "KG", "LLC", "LTD", "NV", "OHG", "PLC", "SA",
	    "SARL", "SAS", "SPA", "SRL", "UG", NULL };
	size_t i = 0, w, k;
	int c;

	fo_buf_reset(b);
	while (i < n) {
		w = b->n;	/* the word starts here */
		for (; i < n && s[i] != ' ' && s[i] != ',' && s[i] != '&'; i++) {
			c = (unsigned char)s[i];
			if (c >= 'a' && c <= 'z')
				c -= 'a' - 'A';
			if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    c >= 0x80)
				fo_buf_putc(b, c);
		}
		i++;
		for (k = 0; forms[k] && !b->oom; k++)
			if (fo_named(forms[k], b->p + w, b->n - w)) {
				b->n = w;	/* a legal form: dropped */
				break;
			}
	}
}

/* At most max bytes of s, cut where a character begins. */
static int
clip(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return (int)n;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return (int)max;
}

static size_t
add_rec(struct fo_match *m)
{
	struct mrec *v;

	if (m->nrec == m->caprec) {
		m->caprec = m->caprec ? 2 * m->caprec : 1024;
		if ((v = realloc(m->rec, m->caprec * sizeof *v)) == NULL)
			return NONE;
		m->rec = v;
	}
	memset(&m->rec[m->nrec], 0, sizeof m->rec[0]);
	return m->nrec++;
}

static int
push(size_t **v, size_t *n, size_t *cap, size_t x)
{
	size_t *nv;

	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		if ((nv = realloc(*v, *cap * sizeof *nv)) == NULL)
			return FO_ENOMEM;
		*v = nv;
	}
	(*v)[(*n)++] = x;
	return FO_OK;
}

/* The entry of statement_id s (n bytes), made when new: its index. */
static size_t
stmt_get(struct fo_match *m, const char *s, size_t n)
{
	uint64_t h = hash(s, n);
	struct stmt *v;
	struct idx *x;
	size_t i;

	if (m->stix == NULL && (m->stix = calloc(1, sizeof *m->stix)) == NULL)
		return NONE;
	x = m->stix;
	for (i = idx_first(x, h); i != NONE; i = idx_next(x, i))
		if (strlen(S(m, m->st[IX_REC(x->e[i])].id)) == n &&
		    memcmp(S(m, m->st[IX_REC(x->e[i])].id), s, n) == 0)
			return IX_REC(x->e[i]);
	if (m->nst == m->capst) {
		m->capst = m->capst ? 2 * m->capst : 16;
		if ((v = realloc(m->st, m->capst * sizeof *v)) == NULL)
			return NONE;
		m->st = v;
	}
	memset(&m->st[m->nst], 0, sizeof *m->st);
	m->st[m->nst].rec = NONE;
	m->st[m->nst].prev = NONE;
	if ((m->st[m->nst].id = keep(m, s, n)) == 0 ||
	    idx_add(x, h, m->nst, 0) != FO_OK)
		return NONE;
	return m->nst++;
}

/* A statement record (doc_type statement): its balances, kept by id;
 * the record is written back with its verdict, never matched. */
static int
add_statement(struct fo_match *m, const struct fo_rec *r, struct mrec *x,
    struct fo_err *e)
{
	struct fo_dec o = { 0 }, c = { 0 };
	struct stmt *st;
	size_t k;
	int rc;

	if ((rc = money_field(r, "opening_balance", &o, e)) <= 0 ||
	    (rc = money_field(r, "closing_balance", &c, e)) <= 0) {
		if (rc == 0)
			fo_err_msg(e, "a statement needs opening_balance and "
			    "closing_balance");
		return FO_ERR;
	}
	if ((k = stmt_get(m, S(m, x->id), strlen(S(m, x->id)))) == NONE)
		return FO_ENOMEM;
	st = &m->st[k];
	if (st->rec != NONE)
		return FO_OK;	/* a duplicate: the first is kept */
	st->open = o.v;
	st->close = c.v;
	if ((rc = keep_field(m, r, "account", &st->account, e)) != FO_OK)
		return rc;
	if ((rc = date_field(m, r, "closing_date", &st->date, e)) == FO_OK)
		st->has_date = 1;
	else if (rc != FO_EMPTY)
		return rc;
	x->stmt = 1;
	return FO_OK;
}

int
fo_match_add(struct fo_match *m, int item, const struct fo_rec *r,
    const char *file, long line, struct fo_err *e)
{
	static const char *const line_dates[] = { "value_date",
	    "posting_date", "doc_date", NULL };
	static const char *const item_dates[] = { "value_date", "due_date",
	    "doc_date", NULL };
	struct mrec x;
	struct fo_dec amt, pct, frac, disc;
	struct idx *ids;
	size_t i, k, sk = NONE;
	uint64_t h;
	long n;
	int minor, rc;

	memset(&x, 0, sizeof x);
	if (m->nrec >= IX_MAXREC) {
		fo_err_msg(e, "more than %lu records to match", IX_MAXREC);
		return FO_ERR;
	}
	x.item = (unsigned char)(item != 0);
	x.grp = x.amb = x.dup = RNONE;
	if ((n = text(m, r, "id", e)) <= 0) {
		if (n == 0)
			fo_err_msg(e, "a record to match needs an id");
		return n == FO_ENOMEM ? FO_ENOMEM : FO_ERR;
	}
	if ((x.id = keep(m, m->tmp.p, (size_t)n)) == 0)
		return FO_ENOMEM;
	if ((n = text(m, r, "currency", e)) < 0)
		return (int)n;
	if (n == 0) {
		fo_err_msg(e, "a record to match needs a currency");
		return FO_ERR;
	}
	if (n != 3 || (minor = fo_currency_minor(m->tmp.p, 3)) < 0) {
		/* the words recget.c gives the same value in every stage */
		fo_err_msg(e, "currency '%.40s': not an ISO 4217 currency code",
		    fo_buf_cstr(&m->tmp));
		e->col = fo_rec_col(r, fo_rec_find(r, "currency"));
		return FO_ERR;
	}
	memcpy(x.cur, m->tmp.p, 3);
	x.minor = (unsigned char)minor;
	if (!item && (n = text(m, r, "doc_type", e)) == 9 &&
	    memcmp(m->tmp.p, "statement", 9) == 0) {
		if ((rc = add_statement(m, r, &x, e)) != FO_OK)
			return rc;
		goto held;
	}
	if ((rc = money_field(r, "amount", &amt, e)) <= 0) {
		if (rc == 0)
			fo_err_msg(e, "a record to match needs an amount");
		return FO_ERR;
	}
	x.amount = amt.v;
	if ((rc = keep_field(m, r, "end_to_end_id", &x.e2e, e)) != FO_OK ||
	    (rc = keep_field(m, r, "iban", &x.iban, e)) != FO_OK ||
	    (rc = keep_field(m, r, "entity", &x.entity, e)) != FO_OK)
		return rc;
	if ((rc = first_date(m, r, item ? item_dates : line_dates, &x.date,
	    &x.has_date, e)) != FO_OK)
		return rc;
	/* an IBAN compares without spaces, in upper case */
	if (x.iban) {
		char *p = m->str.p + x.iban, *q = p;

		for (; *p; p++)
			if (*p != ' ')
				*q++ = *p >= 'a' && *p <= 'z' ? *p - 32 : *p;
		*q = '\0';
	}
	/* an item without an IBAN: its vendor's, from the vendor master */
	if (item && x.iban == 0 && m->vendors) {
		const struct fo_vendor *v;

		if ((n = text(m, r, "vendor_id", e)) < 0)
			return (int)n;
		if (n > 0 && (v = fo_vendors_get(m->vendors, m->tmp.p,
		    (size_t)n)) != NULL && v->iban && *v->iban) {
			if ((x.iban = keep(m, v->iban, strlen(v->iban))) == 0)
				return FO_ENOMEM;
			x.iban_master = 1;
		}
	}
	if ((n = text(m, r, item ? "vendor_name" : "counterparty", e)) < 0)
		return (int)n;
	if (n == 0 && item && (n = text(m, r, "counterparty", e)) < 0)
		return (int)n;
	if (n > 0) {
		struct fo_buf nb = { 0 };

		name_norm(m->tmp.p, (size_t)n, &nb);
		x.name = keep(m, nb.p, nb.n);
		fo_buf_free(&nb);
	}
	if (item) {
		if ((rc = keep_field(m, r, "reference", &x.ref, e)) != FO_OK ||
		    (rc = keep_field(m, r, "doc_number", &x.doc, e)) != FO_OK)
			return rc;
		if (x.doc) {
			char buf[256];
			size_t dn = fo_dup_norm(S(m, x.doc), buf, sizeof buf);

			/* a number cut short ends where a character does */
			dn = fo_utf8_check(buf, dn);

			if (dn >= DOC_MIN && (x.docn = keep(m, buf, dn)) == 0)
				return FO_ENOMEM;
		}
		/* an early-payment discount: what the terms let a payer
		 * keep, in minor units, half-even */
		if ((rc = number(r, "discount_pct", &pct, e)) < 0)
			return rc;
		if (rc > 0) {
			frac = pct;
			if (fo_dec_shift(&frac, 2) != FO_OK ||
			    fo_dec_mul(&amt, &frac, minor, &disc) != FO_OK) {
				fo_err_msg(e, "discount_pct: out of range");
				return FO_ERR;
			}
			x.discount = disc.v;
			if ((rc = date_field(m, r, "discount_date", &x.disc_date,
			    e)) == FO_OK)
				x.has_disc_date = 1;
			else if (rc != FO_EMPTY)
				return rc;
		}
	} else {
		/* the text a reference is looked for in */
		fo_buf_reset(&m->why);
		if ((n = text(m, r, "remittance", e)) < 0)
			return (int)n;
		fo_buf_put(&m->why, m->tmp.p, (size_t)n);
		if ((n = text(m, r, "reference", e)) < 0)
			return (int)n;
		if (n > 0) {
			fo_buf_putc(&m->why, ' ');
			fo_buf_put(&m->why, m->tmp.p, (size_t)n);
		}
		if (m->why.oom)
			return FO_ENOMEM;
		x.text = keep(m, m->why.p, m->why.n);
	}
	/* a line of a statement: its amount counts to that statement */
	if (!item) {
		if ((n = text(m, r, "statement_id", e)) < 0)
			return (int)n;
		if (n > 0) {
			if ((sk = stmt_get(m, m->tmp.p, (size_t)n)) == NONE)
				return FO_ENOMEM;
		}
	}
	/* the passes whose when this line fails */
	if (!item && m->jq) {
		if (fo_jq_run(m->jq, r, e) != FO_OK)
			return FO_ERR;
		for (i = 0; i < m->npass; i++)
			if (m->pass[i].when && !fo_jq_matched(m->jq, i))
				x.skip |= (uint64_t)1 << i;
		if (fo_jq_oom(m->jq))
			return FO_ENOMEM;
	}
held:
	/* one copy of each file name, not one a record */
	if (m->lastfile && strcmp(S(m, m->lastfile), file) == 0)
		x.file = m->lastfile;
	else if ((x.file = m->lastfile = keep(m, file, strlen(file))) == 0)
		return FO_ENOMEM;
	if (m->str.oom)
		return FO_ENOMEM;
	x.line = line;
	/* a second record with an id seen on its side is a duplicate */
	if (m->ids[x.item] == NULL &&
	    (m->ids[x.item] = calloc(1, sizeof *ids)) == NULL)
		return FO_ENOMEM;
	ids = m->ids[x.item];
	h = hash(S(m, x.id), strlen(S(m, x.id)));
	for (i = idx_first(ids, h); i != NONE; i = idx_next(ids, i))
		if (strcmp(S(m, m->rec[IX_REC(ids->e[i])].id), S(m, x.id)) ==
		    0) {
			x.dup = (uint32_t)IX_REC(ids->e[i]);
			x.status = ST_DUPLICATE;
			break;
		}
	if (x.stmt && x.dup == RNONE)
		x.status = ST_STATEMENT;
	if ((k = add_rec(m)) == NONE)
		return FO_ENOMEM;
	m->rec[k] = x;
	if (x.status == ST_STATEMENT) {
		size_t at = stmt_get(m, S(m, x.id), strlen(S(m, x.id)));

		if (at == NONE)
			return FO_ENOMEM;
		m->st[at].rec = k;
	}
	/* a statement's line counts once, a duplicate not again */
	if (sk != NONE && x.dup == RNONE) {
		struct stmt *st = &m->st[sk];

		if (__builtin_add_overflow(st->sum, x.amount, &st->sum))
			st->ovf = 1;
		st->nlines++;
	}
	/* who made it, for the decisions' segregation of duties */
	if (m->decfile) {
		size_t by;

		if ((rc = keep_field(m, r, "created_by", &by, e)) != FO_OK)
			return rc;
		if (push(&m->creator, &m->ncreator, &m->capcreator, by) !=
		    FO_OK)
			return FO_ENOMEM;
	}
	if (x.dup == RNONE && idx_add(ids, h, k, 0) != FO_OK)
		return FO_ENOMEM;
	if (item)
		return push(&m->item_ix, &m->ni, &m->capi, k);
	return push(&m->line_ix, &m->nl, &m->capl, k);
}

/* ---- decisions by people ---- */

/* A string member of a decision into the arena: 1, 0 absent, FO_ERR. */
static int
dec_str(struct fo_match *m, const struct fo_rec *r, const char *key,
    size_t *off, struct fo_errs *errs, long line)
{
	struct fo_err e = { 0 };
	int rc;

	*off = 0;
	if ((rc = fo_get_text(r, key, &m->tmp, &e)) == FO_EMPTY &&
	    fo_rec_find(r, key) >= 0 && fo_rec_type(r, fo_rec_find(r, key)) ==
	    FO_J_STRING) {
		e.col = fo_rec_col(r, fo_rec_find(r, key));
		fo_err_msg(&e, "%s '': not a text", key);
		rc = FO_ERR;
	}
	if (rc == FO_EMPTY)
		return 0;
	if (rc == FO_ENOMEM)
		return FO_ENOMEM;
	if (rc != FO_OK) {
		fo_errs_addf(errs, m->decfile, line, e.col, "%s", e.msg);
		return FO_ERR;
	}
	if ((*off = keep(m, m->tmp.p, m->tmp.n)) == 0)
		return FO_ENOMEM;
	return 1;
}

static int
dec_one(struct fo_match *m, const struct fo_rec *r, long line,
    struct fo_errs *errs)
{
	struct dec d;
	size_t kind, one;
	struct fo_err te = { 0 };
	int t = -1, el, i, rc, bad = 0;

	memset(&d, 0, sizeof d);
	d.line = line;
	d.lrec = NONE;
	d.first = m->ndids;
	if ((rc = dec_str(m, r, "decision", &kind, errs, line)) <= 0) {
		if (rc == 0)
			fo_errs_addf(errs, m->decfile, line, 1, "a decision "
			    "needs decision: confirm or reject");
		return rc == FO_ENOMEM ? FO_ENOMEM : FO_ERR;
	}
	if (strcmp(S(m, kind), "confirm") == 0)
		d.confirm = 1;
	else if (strcmp(S(m, kind), "reject") != 0) {
		fo_errs_addf(errs, m->decfile, line, fo_rec_col(r,
		    fo_rec_find(r, "decision")), "decision '%.40s': confirm "
		    "or reject", S(m, kind));
		bad = 1;
	}
	if ((rc = dec_str(m, r, "by", &d.by, errs, line)) == FO_ENOMEM)
		return FO_ENOMEM;
	if (rc == 0)
		fo_errs_addf(errs, m->decfile, line, 1, "a decision needs "
		    "by: who decided");
	bad |= rc <= 0;
	if ((rc = dec_str(m, r, "at", &d.at, errs, line)) == FO_ENOMEM)
		return FO_ENOMEM;
	if (rc == 0)
		fo_errs_addf(errs, m->decfile, line, 1, "a decision needs "
		    "at: when, YYYY-MM-DDTHH:MM:SSZ");
	bad |= rc <= 0;
	if ((rc = dec_str(m, r, "match_id", &d.mid, errs, line)) < 0 ||
	    dec_str(m, r, "line_id", &d.lid, errs, line) < 0 ||
	    dec_str(m, r, "item_id", &one, errs, line) < 0)
		return FO_ERR;
	if (one && push(&m->dids, &m->ndids, &m->capdids, one) != FO_OK)
		return FO_ENOMEM;
	if ((rc = fo_get_texts(r, "item_ids", &t, &te)) == FO_ERR) {
		fo_errs_addf(errs, m->decfile, line, te.col, "%s", te.msg);
		return FO_ERR;
	}
	if (rc == FO_OK) {
		for (i = 0, el = t + 1; i < fo_rec_size(r, t); i++,
		    el = fo_rec_next(r, el)) {
			fo_buf_reset(&m->tmp);
			if (fo_rec_str(r, el, &m->tmp) != FO_OK)
				return FO_ENOMEM;
			if (m->tmp.n == 0) {
				fo_errs_addf(errs, m->decfile, line,
				    fo_rec_col(r, el), "item_ids '': not an "
				    "id");
				return FO_ERR;
			}
			if ((one = keep(m, m->tmp.p, m->tmp.n)) == 0 ||
			    push(&m->dids, &m->ndids, &m->capdids, one) != FO_OK)
				return FO_ENOMEM;
		}
	}
	d.n = m->ndids - d.first;
	if ((d.mid != 0) == (d.lid != 0 || d.n > 0) ||
	    (d.lid != 0) != (d.n > 0)) {
		fo_errs_addf(errs, m->decfile, line, 1, "a decision names "
		    "either a match_id, or a line_id and its item_id (or "
		    "item_ids)");
		return FO_ERR;
	}
	if (bad)
		return FO_ERR;
	if (m->ndec == m->capdec) {
		struct dec *v;

		m->capdec = m->capdec ? 2 * m->capdec : 16;
		if ((v = realloc(m->dec, m->capdec * sizeof *v)) == NULL)
			return FO_ENOMEM;
		m->dec = v;
	}
	m->dec[m->ndec++] = d;
	return FO_OK;
}

int
fo_match_decisions(struct fo_match *m, const char *path,
    struct fo_errs *errs)
{
	struct pass *p = &m->pass[m->npass];
	struct fo_lines ln;
	struct fo_rec rec;
	struct fo_err e;
	const char *line;
	size_t len, before = errs->n;
	int fd, r, rc = FO_OK;

	m->decfile = path;
	p->id = "decision";
	p->key = K_DECISION;
	p->confirm = 1;
	p->score = 100;
	p->window = -1;
	if ((fd = open(path, O_RDONLY)) < 0) {
		fo_errs_addf(errs, path, 0, 0, "%s", strerror(errno));
		return FO_EIO;
	}
	fo_lines_open(&ln, fd, path, 0);
	fo_rec_init(&rec);
	while ((r = fo_lines_next(&ln, &line, &len, &e)) != FO_EMPTY) {
		if (r == FO_EIO || r == FO_ENOMEM) {
			fo_errs_add(errs, &e);
			rc = r;
			break;
		}
		if (r == FO_ERR) {
			fo_errs_add(errs, &e);
			continue;
		}
		if (len == 0)
			continue;
		if (fo_rec_parse(&rec, line, len, &e) != FO_OK) {
			fo_errs_addf(errs, path, ln.lineno, e.col, "%s", e.msg);
			continue;
		}
		if (dec_one(m, &rec, ln.lineno, errs) == FO_ENOMEM) {
			rc = FO_ENOMEM;
			break;
		}
	}
	fo_rec_free(&rec);
	fo_lines_close(&ln);
	close(fd);
	if (rc == FO_OK && errs->n > before)
		rc = FO_ERR;
	return rc;
}

/* ---- deciding ---- */

static int64_t
paid(const struct fo_match *m, const struct mrec *l)
{
	return m->same_sign ? l->amount : -l->amount;
}

static int64_t
abs64(int64_t v)
{
	return v < 0 ? -v : v;
}

/* Whether a difference is within the pass's tolerance: tol_minor minor
 * units, or tol_bp basis points of what is settled. */
static int
within(const struct pass *p, int64_t diff, int64_t settled)
{
	int64_t d = abs64(diff), s = abs64(settled);

	if (d <= p->tol_minor)
		return 1;
	if (p->tol_bp == 0 || d > INT64_MAX / 10000 ||
	    s > INT64_MAX / 10000)
		return 0;
	return d * 10000 <= p->tol_bp * s;
}

static int
same_scope(const struct fo_match *m, const struct mrec *l,
    const struct mrec *it)
{
	if (memcmp(l->cur, it->cur, 3) != 0)
		return 0;
	if (l->entity && it->entity &&
	    strcmp(S(m, l->entity), S(m, it->entity)) != 0)
		return 0;
	return 1;
}

static int
in_window(const struct pass *p, const struct mrec *l, const struct mrec *it)
{
	int32_t d;

	if (p->window < 0)
		return 1;
	if (!l->has_date || !it->has_date)
		return 0;
	d = l->date - it->date;
	return (d < 0 ? -d : d) <= p->window;
}

/* The candidates a key finds for line l, appended to c (each once). */
static int
add_cand(size_t **c, size_t *n, size_t *cap, size_t it)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*c)[i] == it)
			return FO_OK;
	return push(c, n, cap, it);
}

struct cands {
	size_t *v;
	size_t n, cap;
	int split;		/* one key named several items */
};

/* Items under key text s in index x that line l may settle in pass p. */
static int
lookup(struct fo_match *m, const struct pass *p, const struct mrec *l,
    int kind, const char *s, size_t n, struct cands *c)
{
	struct idx *x = &m->idx[kind];
	const struct mrec *it;
	uint64_t h = hash(s, n);
	size_t i, before = c->n;
	size_t off;

	for (i = idx_first(x, h); i != NONE; i = idx_next(x, i)) {
		it = &m->rec[IX_REC(x->e[i])];
		off = kind == K_E2E ? (IX_WHAT(x->e[i]) ? it->ref : it->e2e) :
		    kind == K_TEXT ? it->docn : kind == K_IBAN ? it->iban :
		    it->name;
		if (strlen(S(m, off)) != n || memcmp(S(m, off), s, n) != 0)
			continue;
		if (it->status != ST_OPEN || !same_scope(m, l, it) ||
		    !in_window(p, l, it))
			continue;
		if (l->rej && rejected(m, (size_t)(l - m->rec),
		    IX_REC(x->e[i])))
			continue;
		if ((kind == K_IBAN || kind == K_NAME) &&
		    !within(p, paid(m, l) - it->amount, it->amount))
			continue;
		if (add_cand(&c->v, &c->n, &c->cap, IX_REC(x->e[i])) != FO_OK)
			return FO_ENOMEM;
	}
	if (kind != K_E2E && c->n - before > 1)
		c->split = 1;	/* one document number, several items */
	return FO_OK;
}

static int
tok_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '.' ||
	    c == '#' || c == '_' || c >= 0x80;
}

/* reference_in_text: each token of the text, and each two neighbours
 * together ("INV 0042"), normalised as doc numbers are. */
static int
text_cands(struct fo_match *m, const struct pass *p, const struct mrec *l,
    struct cands *c)
{
	const char *t = S(m, l->text);
	size_t a[2] = { 0, 0 }, b[2] = { 0, 0 }, i = 0, len = strlen(t), nn;
	char raw[512], norm[512];
	int have = 0;

	while (i < len) {
		while (i < len && !tok_char((unsigned char)t[i]))
			i++;
		if (i == len)
			break;
		a[1] = i;
		while (i < len && tok_char((unsigned char)t[i]))
			i++;
		b[1] = i;
		/* the token alone, then with the one before */
		if (b[1] - a[1] < sizeof raw) {
			memcpy(raw, t + a[1], b[1] - a[1]);
			raw[b[1] - a[1]] = '\0';
			nn = fo_utf8_check(norm, fo_dup_norm(raw, norm,
			    sizeof norm));
			if (nn >= DOC_MIN && lookup(m, p, l, K_TEXT, norm, nn,
			    c) != FO_OK)
				return FO_ENOMEM;
		}
		if (have && b[1] - a[0] < sizeof raw) {
			size_t n0 = b[0] - a[0], n1 = b[1] - a[1];

			memcpy(raw, t + a[0], n0);
			memcpy(raw + n0, t + a[1], n1);
			raw[n0 + n1] = '\0';
			nn = fo_utf8_check(norm, fo_dup_norm(raw, norm,
			    sizeof norm));
			if (nn >= DOC_MIN && lookup(m, p, l, K_TEXT, norm, nn,
			    c) != FO_OK)
				return FO_ENOMEM;
		}
		a[0] = a[1];
		b[0] = b[1];
		have = 1;
	}
	return FO_OK;
}

static int
cands(struct fo_match *m, const struct pass *p, const struct mrec *l,
    struct cands *c)
{
	const char *s;

	c->n = 0;
	c->split = 0;
	switch (p->key) {
	case K_E2E:
		if (l->e2e == 0)
			return FO_OK;
		s = S(m, l->e2e);
		return lookup(m, p, l, K_E2E, s, strlen(s), c);
	case K_TEXT:
		return l->text ? text_cands(m, p, l, c) : FO_OK;
	case K_IBAN:
		if (l->iban == 0)
			return FO_OK;
		s = S(m, l->iban);
		return lookup(m, p, l, K_IBAN, s, strlen(s), c);
	case K_NAME:
		if (l->name == 0)
			return FO_OK;
		s = S(m, l->name);
		return lookup(m, p, l, K_NAME, s, strlen(s), c);
	case K_RETURN:
	case K_DECISION:
		break;		/* no items: run_returns, dec_apply */
	}
	return FO_OK;
}

static int64_t
sum(const struct fo_match *m, const size_t *v, size_t n, int *overflow)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (__builtin_add_overflow(t, m->rec[v[i]].amount, &t))
			*overflow = 1;
	return t;
}

static struct fo_match *sort_m;

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(S(sort_m, sort_m->rec[*(const size_t *)a].id),
	    S(sort_m, sort_m->rec[*(const size_t *)b].id));
}

/* Members in the order of their ids: reasons and arrays do not depend
 * on the order the records came in. */
static void
sort_ids(struct fo_match *m, size_t *v, size_t n)
{
	if (n < 2)
		return;		/* v may be NULL */
	sort_m = m;
	qsort(v, n, sizeof *v, cmp_id);
}

enum prop { P_NONE, P_GROUP, P_AMB, P_CONTESTED };


/* ---- applying decisions ---- */

enum { D_OPEN, D_UNKNOWN, D_REFUSED, D_APPLIED };

/* The record of an id on a side, or NONE. */
static size_t
find_id(struct fo_match *m, int item, const char *id)
{
	struct idx *x = m->ids[item];
	size_t i;

	if (x == NULL)
		return NONE;
	for (i = idx_first(x, hash(id, strlen(id))); i != NONE;
	    i = idx_next(x, i))
		if (strcmp(S(m, m->rec[IX_REC(x->e[i])].id), id) == 0)
			return IX_REC(x->e[i]);
	return NONE;
}

static int
cmp_dpair(const void *a, const void *b)
{
	const struct dpair *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return (x->item > y->item) - (x->item < y->item);
}

static int
rejected(const struct fo_match *m, size_t line, size_t item)
{
	struct dpair k = { line, item };

	return m->nrej > 0 && bsearch(&k, m->rej, m->nrej, sizeof k,
	    cmp_dpair) != NULL;
}

/* A message on a decision, kept for the caller to print. */
static void __attribute__((format(printf, 4, 5)))
dec_say(struct fo_match *m, const struct dec *d, int refused,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fo_errs_addf(&m->decmsg, m->decfile, d->line, 0, "%s%s",
	    refused ? "confirm refused: " : "", msg);
	m->refused += refused;
}

/* The ids of a decision as records: each known id, or a message. */
static int
dec_resolve(struct fo_match *m)
{
	struct dec *d;
	size_t i, j, r;

	for (i = 0; i < m->ndids; i++)
		if (push(&m->drec, &m->ndrec, &m->capdrec, NONE) != FO_OK)
			return FO_ENOMEM;
	for (i = 0; i < m->ndec; i++) {
		d = &m->dec[i];
		if (d->mid)
			continue;
		if ((d->lrec = find_id(m, 0, S(m, d->lid))) == NONE) {
			dec_say(m, d, 0, "unknown line id '%s': no line of "
			    "this run has it", S(m, d->lid));
			d->done = D_UNKNOWN;
		}
		for (j = 0; j < d->n; j++) {
			r = find_id(m, 1, S(m, m->dids[d->first + j]));
			m->drec[d->first + j] = r;
			if (r == NONE) {
				dec_say(m, d, 0, "unknown item id '%s': no "
				    "item of this run has it",
				    S(m, m->dids[d->first + j]));
				d->done = D_UNKNOWN;
			}
		}
	}
	return FO_OK;
}

static void
group_close(struct fo_match *m, struct grp *g, const struct pass *p,
    const struct mrec *l);

/* Rejections first (the pairs no pass may propose), then confirmations:
 * each settles its records before any pass runs, unless its confirmer
 * created one of them, or one is not open. quiet: a trial, for the
 * match_ids; nothing is said or marked. */
static int
dec_apply(struct fo_match *m, int quiet)
{
	const struct pass *p = &m->pass[m->npass];
	struct dec *d;
	struct grp *g;
	struct mrec *l, *it;
	size_t i, j, *v;
	const char *who;

	for (i = 0; i < m->ndec; i++) {
		d = &m->dec[i];
		if (d->confirm || d->done == D_UNKNOWN || d->lrec == NONE)
			continue;
		for (j = 0; j < d->n; j++) {
			struct dpair *np;

			if (m->nrej == m->caprej) {
				m->caprej = m->caprej ? 2 * m->caprej : 16;
				if ((np = realloc(m->rej, m->caprej *
				    sizeof *np)) == NULL)
					return FO_ENOMEM;
				m->rej = np;
			}
			m->rej[m->nrej].line = d->lrec;
			m->rej[m->nrej++].item = m->drec[d->first + j];
			m->rec[m->drec[d->first + j]].rej = 1;
		}
		m->rec[d->lrec].rej = 1;
		if (!quiet)
			d->done = D_APPLIED;
	}
	if (m->nrej > 1)
		qsort(m->rej, m->nrej, sizeof *m->rej, cmp_dpair);
	for (i = 0; i < m->ndec; i++) {
		d = &m->dec[i];
		if (!d->confirm || d->done == D_UNKNOWN || d->lrec == NONE)
			continue;
		l = &m->rec[d->lrec];
		v = m->drec + d->first;
		who = S(m, d->by);
		/* segregation of duties: no one confirms their own records */
		if (m->creator[d->lrec] &&
		    strcmp(S(m, m->creator[d->lrec]), who) == 0) {
			if (!quiet)
				dec_say(m, d, 1, "%s created %s (segregation of "
				    "duties)", who, S(m, l->id));
			goto refused;
		}
		for (j = 0; j < d->n; j++)
			if (m->creator[v[j]] &&
			    strcmp(S(m, m->creator[v[j]]), who) == 0)
				break;
		if (j < d->n) {
			if (!quiet)
				dec_say(m, d, 1, "%s created %s (segregation of "
				    "duties)", who, S(m, m->rec[v[j]].id));
			goto refused;
		}
		for (j = 0; j <= d->n; j++) {
			it = &m->rec[j < d->n ? v[j] : d->lrec];
			if (it->status != ST_OPEN) {
				if (!quiet)
					dec_say(m, d, 1, "%s is %s", S(m, it->id),
					    it->status == ST_DUPLICATE ?
					    "a duplicate" : it->status ==
					    ST_STATEMENT ? "a statement" :
					    "already settled by an earlier "
					    "decision");
				goto refused;
			}
			if (memcmp(it->cur, l->cur, 3) != 0) {
				if (!quiet)
					dec_say(m, d, 1, "%s is in another "
					    "currency than %s", S(m, it->id),
					    S(m, l->id));
				goto refused;
			}
			if (j < d->n && rejected(m, d->lrec, v[j])) {
				if (!quiet)
					dec_say(m, d, 1, "%s and %s: the pair "
					    "is rejected", S(m, l->id),
					    S(m, it->id));
				goto refused;
			}
		}
		if (m->ngrp == m->capgrp) {
			m->capgrp = m->capgrp ? 2 * m->capgrp : 64;
			if ((g = realloc(m->grp, m->capgrp * sizeof *g)) == NULL)
				return FO_ENOMEM;
			m->grp = g;
		}
		g = &m->grp[m->ngrp];
		memset(g, 0, sizeof *g);
		g->line = d->lrec;
		g->pass = m->npass;
		g->dec = i;
		g->first = m->ngi;
		g->n = d->n;
		for (j = 0; j < d->n; j++)
			if (push(&m->gi, &m->ngi, &m->capgi, v[j]) != FO_OK)
				return FO_ENOMEM;
		sort_ids(m, m->gi + g->first, g->n);
		group_close(m, g, p, l);
		g->confirm = 1;		/* a person confirmed it */
		l->status = ST_MATCHED;
		l->grp = (uint32_t)m->ngrp;
		for (j = 0; j < g->n; j++) {
			it = &m->rec[m->gi[g->first + j]];
			it->status = ST_MATCHED;
			it->grp = (uint32_t)m->ngrp;
		}
		m->passcount[m->npass][0]++;
		m->passcount[m->npass][3] += (long)g->n;
		m->ngrp++;
		if (!quiet)
			d->done = D_APPLIED;
		continue;
refused:
		if (!quiet)
			d->done = D_REFUSED;
	}
	return FO_OK;
}

static int
build_index(struct fo_match *m)
{
	struct mrec *it;
	size_t i;

	if ((m->idx = calloc(4, sizeof *m->idx)) == NULL)
		return FO_ENOMEM;
	for (i = 0; i < m->ni; i++) {
		it = &m->rec[m->item_ix[i]];
		if (it->status == ST_DUPLICATE)
			continue;
		if ((it->e2e && idx_add(&m->idx[K_E2E], hash(S(m, it->e2e),
		    strlen(S(m, it->e2e))), m->item_ix[i], 0) != FO_OK) ||
		    (it->ref && (it->e2e == 0 || strcmp(S(m, it->ref),
		    S(m, it->e2e)) != 0) && idx_add(&m->idx[K_E2E],
		    hash(S(m, it->ref), strlen(S(m, it->ref))),
		    m->item_ix[i], 1) != FO_OK) ||
		    (it->docn && idx_add(&m->idx[K_TEXT], hash(S(m, it->docn),
		    strlen(S(m, it->docn))), m->item_ix[i], 0) != FO_OK) ||
		    (it->iban && idx_add(&m->idx[K_IBAN], hash(S(m, it->iban),
		    strlen(S(m, it->iban))), m->item_ix[i], 0) != FO_OK) ||
		    (it->name && idx_add(&m->idx[K_NAME], hash(S(m, it->name),
		    strlen(S(m, it->name))), m->item_ix[i], 0) != FO_OK))
			return FO_ENOMEM;
	}
	return FO_OK;
}

/* Paid, settled, the difference and its class, of a group formed. */
static void
group_close(struct fo_match *m, struct grp *g, const struct pass *p,
    const struct mrec *l)
{
	size_t j;
	int ovf = 0;

	g->paid = paid(m, l);
	for (j = 0; j < g->nl; j++)
		if (__builtin_add_overflow(g->paid, paid(m,
		    &m->rec[m->gl[g->lfirst + j]]), &g->paid))
			ovf = 1;
	g->settled = sum(m, m->gi + g->first, g->n, &ovf);
	if (ovf || __builtin_sub_overflow(g->paid, g->settled, &g->diff))
		g->diff = INT64_MAX, g->beyond = 1;
	else if (within(p, g->diff, g->settled)) {
		g->cls = g->diff > 0 ? C_OVER : g->diff < 0 ? C_FEE :
		    C_NONE;
	} else {
		/* the early-payment discount the items grant */
		int64_t disc = 0;
		int allowed = 1;

		for (j = 0; j < g->n; j++) {
			const struct mrec *it = &m->rec[m->gi[g->first + j]];

			disc += it->discount;
			if (it->has_disc_date && (!l->has_date ||
			    l->date > it->disc_date))
				allowed = 0;
		}
		if (disc != 0 && allowed && g->diff < 0 &&
		    within(p, g->diff + disc, g->settled)) {
			g->cls = C_DISCOUNT;
			g->discount = disc;
		}
		else {
			g->beyond = 1;
			g->cls = g->diff < 0 ? C_SHORT : C_OVER;
		}
	}
}

/* Pass key return: a line the pass's when calls a return (a reason
 * code, "RETURN" in the text) pairs with the one open line it returns:
 * the opposite amount in its currency, the same end_to_end_id, iban or
 * counterparty, dated no later. Both are settled, and the items the
 * payment would have settled stay open. Two returns that claim one
 * line, or a return with two such lines, settle nothing here. */
static int
run_returns(struct fo_match *m, size_t pi, unsigned *claims, size_t *pick)
{
	const struct pass *p = &m->pass[pi];
	struct idx x = { 0 };
	struct mrec *r, *o;
	struct grp *g;
	size_t i, k, li, oi, n;
	int rc = FO_ENOMEM;

	/* the open lines, by currency and amount */
	for (i = 0; i < m->nl; i++) {
		o = &m->rec[li = m->line_ix[i]];
		if (o->status == ST_OPEN && idx_add(&x, hash(o->cur, 3) ^
		    (uint64_t)o->amount * 0x9e3779b97f4a7c15ULL, li, 0) !=
		    FO_OK)
			goto out;
	}
	for (i = 0; i < m->nl; i++) {
		r = &m->rec[li = m->line_ix[i]];
		pick[i] = NONE;
		if (r->status != ST_OPEN || (r->skip >> pi & 1) ||
		    r->amount == INT64_MIN)
			continue;
		for (n = 0, k = idx_first(&x, hash(r->cur, 3) ^ (uint64_t)
		    -r->amount * 0x9e3779b97f4a7c15ULL); k != NONE;
		    k = idx_next(&x, k)) {
			o = &m->rec[oi = IX_REC(x.e[k])];
			if (oi == li || o->amount != -r->amount ||
			    !same_scope(m, r, o) || !in_window(p, r, o) ||
			    (r->has_date && o->has_date && o->date > r->date))
				continue;
			if (!((r->e2e && o->e2e && strcmp(S(m, r->e2e),
			    S(m, o->e2e)) == 0) || (r->iban && o->iban &&
			    strcmp(S(m, r->iban), S(m, o->iban)) == 0) ||
			    (r->name && o->name && strcmp(S(m, r->name),
			    S(m, o->name)) == 0)))
				continue;
			n++;
			pick[i] = oi;
		}
		if (n != 1)
			pick[i] = NONE;
		else
			claims[pick[i]]++;
	}
	for (i = 0; i < m->nl; i++) {
		if (pick[i] == NONE)
			continue;
		oi = pick[i];
		r = &m->rec[li = m->line_ix[i]];
		/* claimed twice, or itself a return that claims: no pair */
		if (claims[oi] > 1 || claims[li] > 0 ||
		    m->rec[oi].status != ST_OPEN)
			continue;
		if (m->ngrp == m->capgrp) {
			m->capgrp = m->capgrp ? 2 * m->capgrp : 64;
			if ((g = realloc(m->grp, m->capgrp * sizeof *g)) == NULL)
				goto out;
			m->grp = g;
		}
		g = &m->grp[m->ngrp];
		memset(g, 0, sizeof *g);
		g->line = li;
		g->other = oi + 1;
		g->pass = pi;
		g->first = m->ngi;
		g->confirm = 1;
		g->paid = r->amount;
		g->settled = -m->rec[oi].amount;
		r->status = m->rec[oi].status = ST_MATCHED;
		r->grp = m->rec[oi].grp = (uint32_t)m->ngrp;
		m->passcount[pi][0]++;
		m->ngrp++;
	}
	rc = FO_OK;
out:
	for (i = 0; i < m->nl; i++) {
		claims[m->line_ix[i]] = 0;
		pick[i] = NONE;
	}
	idx_free(&x);
	return rc;
}

/* Lines that each name one item, the same, which no other line claims:
 * an item paid in parts (many:1), settled by all of them together as
 * one group (within the tolerance), or suggested (beyond it: a partial
 * payment so far). Those lines leave the pass's other proposals. */
static int
many_to_one(struct fo_match *m, size_t pi, const size_t *start,
    const size_t *count, unsigned char *kind, unsigned *claims,
    const size_t *prop)
{
	const struct pass *p = &m->pass[pi];
	struct ipair *mp;
	struct grp *g;
	struct mrec *it;
	size_t i, a, b, k, n = 0, item;
	int64_t tot;

	for (i = 0; i < m->nl; i++)
		if (kind[i] == P_GROUP && count[i] == 1 &&
		    claims[prop[start[i]]] > 1)
			n++;
	if (n == 0)
		return FO_OK;
	if ((mp = calloc(n, sizeof *mp)) == NULL)
		return FO_ENOMEM;
	for (i = 0, n = 0; i < m->nl; i++)
		if (kind[i] == P_GROUP && count[i] == 1 &&
		    claims[prop[start[i]]] > 1) {
			mp[n].item = prop[start[i]];
			mp[n++].line = i;
		}
	qsort(mp, n, sizeof *mp, cmp_ipair);
	for (a = 0; a < n; a = b) {
		item = mp[a].item;
		for (b = a; b < n && mp[b].item == item; b++)
			;
		if (b - a != claims[item])
			continue;	/* a line that names more claims it too */
		/* parts: each line pays less than the item, all of them
		 * together not more (two full payments stay ambiguous) */
		it = &m->rec[item];
		for (k = a, tot = 0; k < b; k++) {
			int64_t pd = paid(m, &m->rec[m->line_ix[mp[k].line]]);
			int part = it->amount > 0 ? pd > 0 && pd < it->amount :
			    pd < 0 && pd > it->amount;

			if (!part || __builtin_add_overflow(tot, pd, &tot))
				break;
		}
		if (k < b || ((it->amount > 0 ? tot > it->amount :
		    tot < it->amount) && !within(p, tot - it->amount,
		    it->amount)))
			continue;
		if (m->ngrp == m->capgrp) {
			m->capgrp = m->capgrp ? 2 * m->capgrp : 64;
			if ((g = realloc(m->grp, m->capgrp * sizeof *g)) ==
			    NULL)
				goto oom;
			m->grp = g;
		}
		g = &m->grp[m->ngrp];
		memset(g, 0, sizeof *g);
		g->pass = pi;
		g->first = m->ngi;
		g->n = 1;
		g->ncand = 1;
		if (push(&m->gi, &m->ngi, &m->capgi, item) != FO_OK)
			goto oom;
		/* the lines in the order of their ids: the first leads */
		for (k = a; k < b; k++)
			mp[k].line = m->line_ix[mp[k].line];
		for (k = a; k < b; k++)
			if (push(&m->gl, &m->ngl, &m->capgl, mp[k].line) !=
			    FO_OK)
				goto oom;
		sort_ids(m, m->gl + m->ngl - (b - a), b - a);
		g->line = m->gl[m->ngl - (b - a)];
		g->lfirst = m->ngl - (b - a) + 1;
		g->nl = b - a - 1;
		group_close(m, g, p, &m->rec[g->line]);
		g->confirm = p->confirm && !g->beyond;
		it->status = g->confirm ? ST_MATCHED : ST_SUGGESTED;
		it->grp = (uint32_t)m->ngrp;
		for (k = 0; k <= g->nl; k++) {
			struct mrec *l = &m->rec[k ? m->gl[g->lfirst + k - 1] :
			    g->line];

			l->status = it->status;
			l->grp = (uint32_t)m->ngrp;
		}
		m->passcount[pi][g->confirm ? 0 : 1] += (long)(b - a);
		m->passcount[pi][3]++;
		m->ngrp++;
		claims[item] = 0;
	}
	/* the lines settled here propose nothing more in this pass */
	for (i = 0; i < m->nl; i++)
		if (kind[i] == P_GROUP && m->rec[m->line_ix[i]].status !=
		    ST_OPEN)
			kind[i] = P_NONE;
	free(mp);
	return FO_OK;
oom:
	free(mp);
	return FO_ENOMEM;
}

static int
run_pass(struct fo_match *m, size_t pi, struct cands *c, size_t *start,
    size_t *count, unsigned char *kind, unsigned *claims,
    size_t **prop, size_t *nprop, size_t *capprop)
{
	const struct pass *p = &m->pass[pi];
	struct mrec *l;
	struct grp *g;
	struct amb *a;
	size_t i, j, li, w, pick = NONE;
	int64_t pd;

	if (p->key == K_RETURN)
		return run_returns(m, pi, claims, start);
	*nprop = 0;
	for (i = 0; i < m->nl; i++) {
		l = &m->rec[li = m->line_ix[i]];
		kind[i] = P_NONE;
		if (l->status != ST_OPEN || (l->skip >> pi & 1))
			continue;
		if (cands(m, p, l, c) != FO_OK)
			return FO_ENOMEM;
		if (c->n == 0)
			continue;
		start[i] = *nprop;
		pd = paid(m, l);
		if (c->n > 1 && (!p->many || c->split)) {
			/* 1:1, several: the one whose amount agrees, if one */
			for (j = 0, w = 0; !p->many && j < c->n; j++)
				if (within(p, pd - m->rec[c->v[j]].amount,
				    m->rec[c->v[j]].amount)) {
					w++;
					pick = c->v[j];
				}
			if (!p->many && w == 1) {
				kind[i] = P_GROUP;
				count[i] = 1;
				if (push(prop, nprop, capprop, pick) != FO_OK ||
				    push(prop, nprop, capprop, c->n) != FO_OK)
					return FO_ENOMEM;
				claims[pick]++;
				continue;
			}
			kind[i] = P_AMB;
		} else
			kind[i] = P_GROUP;
		count[i] = c->n;
		for (j = 0; j < c->n; j++) {
			if (push(prop, nprop, capprop, c->v[j]) != FO_OK)
				return FO_ENOMEM;
			if (kind[i] == P_GROUP)
				claims[c->v[j]]++;
		}
		if (push(prop, nprop, capprop, c->n) != FO_OK)
			return FO_ENOMEM;
	}
	if ((p->key == K_E2E || p->key == K_TEXT) &&
	    many_to_one(m, pi, start, count, kind, claims, *prop) != FO_OK)
		return FO_ENOMEM;
	/* an item two lines claim goes to neither */
	for (i = 0; i < m->nl; i++)
		if (kind[i] == P_GROUP)
			for (j = 0; j < count[i]; j++)
				if (claims[(*prop)[start[i] + j]] > 1)
					kind[i] = P_CONTESTED;
	for (i = 0; i < m->nl; i++) {
		if (kind[i] == P_NONE)
			continue;
		l = &m->rec[li = m->line_ix[i]];
		for (j = 0; j < count[i]; j++)
			claims[(*prop)[start[i] + j]] = 0;
		if (kind[i] != P_GROUP) {
			if (l->amb != RNONE)
				continue;	/* the first ambiguity is kept */
			if (m->namb == m->capamb) {
				m->capamb = m->capamb ? 2 * m->capamb : 64;
				if ((a = realloc(m->amb, m->capamb *
				    sizeof *a)) == NULL)
					return FO_ENOMEM;
				m->amb = a;
			}
			a = &m->amb[m->namb];
			a->line = li;
			a->pass = pi;
			a->contested = kind[i] == P_CONTESTED;
			a->first = m->ngi;
			a->n = count[i];
			for (j = 0; j < count[i]; j++)
				if (push(&m->gi, &m->ngi, &m->capgi,
				    (*prop)[start[i] + j]) != FO_OK)
					return FO_ENOMEM;
			sort_ids(m, m->gi + a->first, a->n);
			l->amb = (uint32_t)m->namb++;
			continue;
		}
		if (m->ngrp == m->capgrp) {
			m->capgrp = m->capgrp ? 2 * m->capgrp : 64;
			if ((g = realloc(m->grp, m->capgrp * sizeof *g)) == NULL)
				return FO_ENOMEM;
			m->grp = g;
		}
		g = &m->grp[m->ngrp];
		memset(g, 0, sizeof *g);
		g->line = li;
		g->pass = pi;
		g->first = m->ngi;
		g->n = count[i];
		g->ncand = (*prop)[start[i] + count[i]];
		for (j = 0; j < count[i]; j++)
			if (push(&m->gi, &m->ngi, &m->capgi,
			    (*prop)[start[i] + j]) != FO_OK)
				return FO_ENOMEM;
		sort_ids(m, m->gi + g->first, g->n);
		group_close(m, g, p, l);
		g->confirm = p->confirm && !g->beyond;
		l->status = g->confirm ? ST_MATCHED : ST_SUGGESTED;
		l->grp = (uint32_t)m->ngrp;
		for (j = 0; j < g->n; j++) {
			struct mrec *it = &m->rec[m->gi[g->first + j]];

			it->status = l->status;
			it->grp = (uint32_t)m->ngrp;
		}
		m->passcount[pi][g->confirm ? 0 : 1]++;
		m->passcount[pi][3] += (long)g->n;
		m->ngrp++;
	}
	return FO_OK;
}

static int
cmp_ipair(const void *a, const void *b)
{
	const struct ipair *x = a, *y = b;

	if (x->item != y->item)
		return x->item < y->item ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

/* The match_id of the records v[0..n], sorted by id: the hash of their
 * ids, each with its terminating NUL. */
static uint64_t
ids_hash(struct fo_match *m, const size_t *v, size_t n)
{
	uint64_t h = FO_FNV_BASIS;
	const char *s;
	size_t i;

	for (i = 0; i < n; i++) {
		s = S(m, m->rec[v[i]].id);
		h ^= hash(s, strlen(s) + 1);
		h *= FO_FNV_PRIME;
	}
	return h;
}

/* The match_id of a group: the hash of its members' sorted ids. */
static uint64_t
group_hash(struct fo_match *m, const struct grp *g, size_t *v)
{
	size_t i, n = 0;

	v[n++] = g->line;
	if (g->other)
		v[n++] = g->other - 1;
	for (i = 0; i < g->n; i++)
		v[n++] = m->gi[g->first + i];
	for (i = 0; i < g->nl; i++)
		v[n++] = m->gl[g->lfirst + i];
	sort_ids(m, v, n);
	return ids_hash(m, v, n);
}

/* The records of the decisions that name a match_id, from the groups
 * of a trial run; a match_id no group has is unknown. */
static int
dec_match_ids(struct fo_match *m)
{
	const struct grp *g;
	struct dec *d;
	size_t i, j, most = 0, *v;
	char hex[17];

	for (i = 0; i < m->ngrp; i++)
		if (m->grp[i].n + m->grp[i].nl > most)
			most = m->grp[i].n + m->grp[i].nl;
	if ((v = calloc(most + 2, sizeof *v)) == NULL)
		return FO_ENOMEM;
	for (i = 0; i < m->ndec; i++) {
		d = &m->dec[i];
		if (d->mid == 0)
			continue;
		for (j = 0; j < m->ngrp; j++) {
			snprintf(hex, sizeof hex, "%016llx", (unsigned long long)
			    group_hash(m, &m->grp[j], v));
			if (strcmp(hex, S(m, d->mid)) == 0)
				break;
		}
		if (j == m->ngrp) {
			dec_say(m, d, 0, "unknown match_id '%s': no match of "
			    "this run has it", S(m, d->mid));
			d->done = D_UNKNOWN;
			continue;
		}
		g = &m->grp[j];
		d->lrec = g->line;
		d->first = m->ndrec;
		d->n = g->n;
		for (j = 0; j < g->n; j++)
			if (push(&m->drec, &m->ndrec, &m->capdrec,
			    m->gi[g->first + j]) != FO_OK) {
				free(v);
				return FO_ENOMEM;
			}
	}
	free(v);
	return FO_OK;
}

/* Every record open again, as before the first pass (a trial run). */
static void
run_reset(struct fo_match *m)
{
	size_t i;

	for (i = 0; i < m->nrec; i++) {
		if (m->rec[i].status != ST_DUPLICATE &&
		    m->rec[i].status != ST_STATEMENT)
			m->rec[i].status = ST_OPEN;
		m->rec[i].grp = m->rec[i].amb = RNONE;
		m->rec[i].rej = 0;
	}
	m->ngrp = m->namb = m->ngi = m->nrej = m->ngl = 0;
	memset(m->passcount, 0, sizeof m->passcount);
}

const struct fo_errs *
fo_match_decmsg(const struct fo_match *m, long *refused)
{
	*refused = m->refused;
	return &m->decmsg;
}

static int
cmp_stmt(const void *a, const void *b)
{
	const struct stmt *x = &sort_m->st[*(const size_t *)a];
	const struct stmt *y = &sort_m->st[*(const size_t *)b];
	int c;

	if ((c = strcmp(S(sort_m, x->account), S(sort_m, y->account))) != 0)
		return c;
	if ((c = memcmp(sort_m->rec[x->rec].cur, sort_m->rec[y->rec].cur,
	    3)) != 0)
		return c;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return strcmp(S(sort_m, x->id), S(sort_m, y->id));
}

/* Balance assertions: opening + the lines = closing for each statement,
 * and, per account and currency in the order of closing_date, the
 * closing of one statement is the opening of the next. */
static int
balances(struct fo_match *m)
{
	struct stmt *st;
	size_t i, n = 0, *v;

	if ((v = calloc(m->nst, sizeof *v)) == NULL)
		return FO_ENOMEM;
	for (i = 0; i < m->nst; i++) {
		st = &m->st[i];
		if (st->rec == NONE)
			continue;
		if (st->ovf || __builtin_add_overflow(st->open, st->sum,
		    &st->diff) || __builtin_sub_overflow(st->diff, st->close,
		    &st->diff))
			st->ovf = 1;
		if (st->account && st->has_date)
			v[n++] = i;
	}
	sort_m = m;
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_stmt);
	for (i = 1; i < n; i++) {
		const struct stmt *a = &m->st[v[i - 1]];

		st = &m->st[v[i]];
		if (strcmp(S(m, a->account), S(m, st->account)) == 0 &&
		    memcmp(m->rec[a->rec].cur, m->rec[st->rec].cur, 3) == 0)
			st->prev = v[i - 1];
	}
	free(v);
	return FO_OK;
}

int
fo_match_run(struct fo_match *m)
{
	struct cands c = { 0 };
	size_t *start = NULL, *count = NULL, *prop = NULL, nprop = 0, capprop = 0;
	size_t i, j, n;
	unsigned char *kind = NULL;
	unsigned *claims = NULL;
	int r = FO_ENOMEM;

	if (build_index(m) != FO_OK)
		return FO_ENOMEM;
	if ((start = calloc(m->nl + 1, sizeof *start)) == NULL ||
	    (count = calloc(m->nl + 1, sizeof *count)) == NULL ||
	    (kind = calloc(m->nl + 1, 1)) == NULL ||
	    (claims = calloc(m->nrec + 1, sizeof *claims)) == NULL)
		goto out;
	if (m->decfile) {
		if (dec_resolve(m) != FO_OK)
			goto out;
		for (i = 0; i < m->ndec && m->dec[i].mid == 0; i++)
			;
		/* a match_id names what the passes propose: a trial run
		 * finds its records, then the run starts again with them */
		if (i < m->ndec) {
			if (dec_apply(m, 1) != FO_OK)
				goto out;
			for (i = 0; i < m->npass; i++)
				if (run_pass(m, i, &c, start, count, kind, claims,
				    &prop, &nprop, &capprop) != FO_OK)
					goto out;
			if (dec_match_ids(m) != FO_OK)
				goto out;
			run_reset(m);
		}
		if (dec_apply(m, 0) != FO_OK)
			goto out;
	}
	for (i = 0; i < m->npass; i++)
		if (run_pass(m, i, &c, start, count, kind, claims, &prop, &nprop,
		    &capprop) != FO_OK)
			goto out;
	/* what is left: ambiguous, or unmatched; and the items an
	 * ambiguous line left open are ambiguous too */
	for (i = m->namb; i-- > 0; ) {
		struct amb *a = &m->amb[i];

		if (m->rec[a->line].status != ST_OPEN)
			continue;
		m->rec[a->line].status = ST_AMBIGUOUS;
		m->passcount[a->pass][2]++;
	}
	for (i = 0; i < m->nrec; i++)
		if (m->rec[i].status == ST_OPEN)
			m->rec[i].status = ST_UNMATCHED;
	for (i = 0, n = 0; i < m->namb; i++)
		if (m->rec[m->amb[i].line].status == ST_AMBIGUOUS)
			n += m->amb[i].n;
	if ((m->ip = calloc(n + 1, sizeof *m->ip)) == NULL)
		goto out;
	for (i = 0; i < m->namb; i++) {
		struct amb *a = &m->amb[i];

		if (m->rec[a->line].status != ST_AMBIGUOUS)
			continue;
		for (j = 0; j < a->n; j++) {
			struct mrec *it = &m->rec[m->gi[a->first + j]];

			if (it->status == ST_UNMATCHED)
				it->status = ST_AMBIGUOUS;
			if (it->status != ST_AMBIGUOUS)
				continue;
			m->ip[m->nip].item = m->gi[a->first + j];
			m->ip[m->nip++].line = a->line;
		}
	}
	if (m->nip > 1)
		qsort(m->ip, m->nip, sizeof *m->ip, cmp_ipair);
	fo_errs_sort(&m->decmsg, 0);
	if (m->nst > 0 && balances(m) != FO_OK)
		goto out;
	m->ran = 1;
	r = FO_OK;
out:
	free(c.v);
	free(start);
	free(count);
	free(kind);
	free(claims);
	free(prop);
	return r;
}

/* ---- writing ---- */

static void
money(struct fo_buf *b, int64_t v, int minor)
{
	struct fo_dec d = { v, minor };
	char buf[FO_DEC_BUFSZ];

	fo_buf_put(b, buf, fo_dec_fmt(&d, buf));
}

/* The ids of v[0..n] sorted, as a JSON array, and their match_id in *h. */
static int
id_array(struct fo_match *m, size_t *v, size_t n, struct fo_buf *b,
    uint64_t *h)
{
	const char *s;
	size_t i;

	sort_ids(m, v, n);
	fo_buf_putc(b, '[');
	for (i = 0; i < n; i++) {
		s = S(m, m->rec[v[i]].id);
		if (i > 0)
			fo_buf_putc(b, ',');
		fo_json_str(b, s, strlen(s));
	}
	fo_buf_putc(b, ']');
	if (h)
		*h = ids_hash(m, v, n);
	return b->oom ? FO_ENOMEM : FO_OK;
}

static void
tolerance(struct fo_buf *b, const struct pass *p, const struct mrec *l)
{
	if (p->tol_minor == 0 && p->tol_bp == 0) {
		fo_buf_puts(b, "no tolerance");
		return;
	}
	fo_buf_puts(b, "tolerance ");
	if (p->tol_minor > 0 || p->tol_bp == 0) {
		money(b, p->tol_minor, l->minor);
		fo_buf_printf(b, " %.3s", l->cur);
	}
	if (p->tol_bp > 0)
		fo_buf_printf(b, "%s%ld bp", p->tol_minor > 0 ? " or " : "",
		    p->tol_bp);
}

/* The reasons of a group, as a JSON array of strings. */
static void
group_reasons(struct fo_match *m, const struct grp *g, struct fo_buf *out)
{
	const struct pass *p = &m->pass[g->pass];
	const struct mrec *l = &m->rec[g->line], *it;
	struct fo_buf *w = &m->why;
	size_t j;

	fo_buf_putc(out, '[');
	if (p->key == K_RETURN) {
		const struct mrec *o = &m->rec[g->other - 1];

		fo_buf_reset(w);
		fo_buf_printf(w, "%s: %s returns %s (same %s)", p->id,
		    S(m, l->id), S(m, o->id), l->e2e && o->e2e &&
		    strcmp(S(m, l->e2e), S(m, o->e2e)) == 0 ?
		    "end_to_end_id" : l->iban && o->iban &&
		    strcmp(S(m, l->iban), S(m, o->iban)) == 0 ? "iban" :
		    "counterparty");
		fo_json_str(out, w->p, w->n);
		fo_buf_reset(w);
		money(w, o->amount, l->minor);
		fo_buf_printf(w, " %.3s and ", l->cur);
		money(w, l->amount, l->minor);
		fo_buf_printf(w, " %.3s cancel out: what %s paid is open "
		    "again", l->cur, S(m, o->id));
		fo_buf_putc(out, ',');
		fo_json_str(out, w->p, w->n);
		fo_buf_putc(out, ']');
		return;
	}
	for (j = 0; j < g->n + g->nl; j++) {
		/* many:1: a sentence a line, on the one item */
		l = g->nl && j > 0 ? &m->rec[m->gl[g->lfirst + j - 1]] :
		    &m->rec[g->line];
		it = &m->rec[m->gi[g->first + (g->nl ? 0 : j)]];
		fo_buf_reset(w);
		fo_buf_printf(w, "%s: ", p->id);
		switch (p->key) {
		case K_E2E:
			fo_buf_printf(w, "end_to_end_id %s = %s of %s",
			    S(m, l->e2e), it->e2e && strcmp(S(m, it->e2e),
			    S(m, l->e2e)) == 0 ? "end_to_end_id" : "reference",
			    S(m, it->id));
			break;
		case K_TEXT:
			fo_buf_printf(w, "doc_number %s (%s) of %s in the text "
			    "'%.*s'", S(m, it->doc), S(m, it->docn),
			    S(m, it->id), clip(S(m, l->text), 80),
			    S(m, l->text));
			break;
		case K_IBAN:
			fo_buf_printf(w, "iban %s of %s%s", S(m, l->iban),
			    S(m, it->id), it->iban_master ?
			    " (vendor master)" : "");
			break;
		case K_NAME:
			fo_buf_printf(w, "name %s of %s", S(m, l->name),
			    S(m, it->id));
			break;
		case K_RETURN:
			break;
		case K_DECISION: {
			const struct dec *d = &m->dec[g->dec];

			fo_buf_printf(w, "%s with %s confirmed by %s at %s "
			    "(%s:%ld)", S(m, it->id), S(m, l->id), S(m, d->by),
			    S(m, d->at), m->decfile, d->line);
			break;
		}
		}
		if (g->nl)
			fo_buf_printf(w, ", paid by %s", S(m, l->id));
		if (p->window >= 0) {
			char d1[11], d2[11];

			fo_date_fmt(l->date, d1);
			fo_date_fmt(it->date, d2);
			fo_buf_printf(w, ", dates %s and %s within %ld days",
			    d1, d2, p->window);
		}
		if (j > 0)
			fo_buf_putc(out, ',');
		fo_json_str(out, w->p, w->n);
	}
	if (g->ncand > g->n) {
		fo_buf_reset(w);
		fo_buf_printf(w, "%s: the only one of %zu candidates whose "
		    "amount agrees", p->id, g->ncand);
		fo_buf_putc(out, ',');
		fo_json_str(out, w->p, w->n);
	}
	l = &m->rec[g->line];
	fo_buf_reset(w);
	fo_buf_puts(w, "paid ");
	money(w, g->paid, l->minor);
	fo_buf_printf(w, " %.3s", l->cur);
	if (g->nl) {
		fo_buf_puts(w, " (");
		for (j = 0; j <= g->nl; j++) {
			if (j > 0)
				fo_buf_puts(w, " + ");
			money(w, paid(m, &m->rec[j ? m->gl[g->lfirst + j - 1] :
			    g->line]), l->minor);
		}
		fo_buf_putc(w, ')');
	}
	fo_buf_puts(w, ", settled ");
	money(w, g->settled, l->minor);
	fo_buf_printf(w, " %.3s", l->cur);
	if (g->n > 1) {
		fo_buf_puts(w, " (");
		for (j = 0; j < g->n; j++) {
			if (j > 0)
				fo_buf_puts(w, " + ");
			money(w, m->rec[m->gi[g->first + j]].amount, l->minor);
		}
		fo_buf_putc(w, ')');
	}
	if (g->diff == 0)
		fo_buf_puts(w, ": no difference");
	else if (g->cls == C_DISCOUNT) {
		fo_buf_puts(w, ": difference ");
		money(w, g->diff, l->minor);
		fo_buf_printf(w, " %.3s, the early-payment discount of ", l->cur);
		money(w, g->discount, l->minor);
		fo_buf_printf(w, " %.3s the terms grant: discount", l->cur);
	} else {
		fo_buf_puts(w, ": difference ");
		money(w, g->diff, l->minor);
		fo_buf_printf(w, " %.3s %s (", l->cur, g->beyond ? "beyond" :
		    "within");
		tolerance(w, p, l);
		fo_buf_printf(w, "): %s", cls_names[g->cls]);
	}
	if (!p->confirm)
		fo_buf_printf(w, "; pass %s only suggests", p->id);
	fo_buf_putc(out, ',');
	fo_json_str(out, w->p, w->n);
	fo_buf_putc(out, ']');
}

static int
stmt_break(const struct fo_match *m, const struct stmt *st)
{
	return st->ovf || st->diff != 0 || (st->prev != NONE &&
	    m->st[st->prev].close != st->open);
}

/* A statement record's verdict: balance_status, balance_difference,
 * balance_reasons, exception (recon_break on a break). */
static int
write_statement(struct fo_match *m, const struct mrec *x,
    const struct fo_rec *r, struct fo_buf *out)
{
	static const char *const keys[] = { "balance_status",
	    "balance_difference", "balance_reasons", "exception" };
	const struct stmt *st, *pv = NULL;
	struct fo_kv kv[4];
	struct fo_buf b = { 0 }, *w = &m->why;
	size_t at[5], k;
	int brk, rc;

	if ((k = stmt_get(m, S(m, x->id), strlen(S(m, x->id)))) == NONE)
		return FO_ENOMEM;
	st = &m->st[k];
	if (st->prev != NONE)
		pv = &m->st[st->prev];
	brk = stmt_break(m, st);
	at[0] = b.n;
	fo_buf_puts(&b, brk ? "\"break\"" : "\"balanced\"");
	at[1] = b.n;
	if (st->ovf)
		fo_buf_puts(&b, "null");
	else
		money(&b, st->diff, x->minor);
	at[2] = b.n;
	fo_buf_putc(&b, '[');
	fo_buf_reset(w);
	fo_buf_puts(w, "opening ");
	money(w, st->open, x->minor);
	fo_buf_printf(w, " + %ld line%s ", st->nlines, st->nlines == 1 ?
	    "" : "s");
	money(w, st->sum, x->minor);
	fo_buf_puts(w, " = ");
	if (st->ovf)
		fo_buf_puts(w, "(out of range)");
	else
		money(w, st->open + st->sum, x->minor);
	fo_buf_printf(w, " %.3s, closing ", x->cur);
	money(w, st->close, x->minor);
	fo_buf_printf(w, " %.3s: %s", x->cur, st->ovf ? "out of range" :
	    st->diff == 0 ? "balanced" : "difference ");
	if (!st->ovf && st->diff != 0) {
		money(w, st->diff, x->minor);
		fo_buf_printf(w, " %.3s", x->cur);
	}
	fo_json_str(&b, w->p, w->n);
	if (pv) {
		fo_buf_reset(w);
		fo_buf_printf(w, "previous statement %s of account %s closed "
		    "at ", S(m, pv->id), S(m, st->account));
		money(w, pv->close, x->minor);
		fo_buf_puts(w, pv->close == st->open ? ", this one opens at it" :
		    ", this one opens at ");
		if (pv->close != st->open)
			money(w, st->open, x->minor);
		fo_buf_printf(w, "%s", pv->close == st->open ? "" :
		    ": a gap");
		fo_buf_putc(&b, ',');
		fo_json_str(&b, w->p, w->n);
	}
	fo_buf_putc(&b, ']');
	at[3] = b.n;
	fo_buf_puts(&b, brk ? "\"recon_break\"" : "null");
	at[4] = b.n;
	if (b.oom || w->oom) {
		fo_buf_free(&b);
		return FO_ENOMEM;
	}
	for (k = 0; k < 4; k++) {
		kv[k].key = keys[k];
		kv[k].val = b.p + at[k];
		kv[k].vlen = at[k + 1] - at[k];
	}
	rc = fo_rec_write(r, kv, 4, out);
	fo_buf_free(&b);
	return rc;
}

/* The rejections that name record x, as reasons appended to b. */
static int
rejections(struct fo_match *m, const struct mrec *x, struct fo_buf *b,
    int comma)
{
	size_t self = (size_t)(x - m->rec), i, j, o;
	const struct dec *d;

	for (i = 0; i < m->ndec; i++) {
		d = &m->dec[i];
		if (d->confirm || d->done != D_APPLIED)
			continue;
		for (j = 0; j < d->n; j++) {
			o = m->drec[d->first + j];
			if (d->lrec != self && o != self)
				continue;
			fo_buf_reset(&m->tmp);
			fo_buf_printf(&m->tmp, "decision: %s with %s rejected "
			    "by %s at %s (%s:%ld)", S(m, m->rec[o].id),
			    S(m, m->rec[d->lrec].id), S(m, d->by), S(m, d->at),
			    m->decfile, d->line);
			if (comma++)
				fo_buf_putc(b, ',');
			fo_json_str(b, m->tmp.p, m->tmp.n);
		}
	}
	return b->oom || m->tmp.oom ? FO_ENOMEM : FO_OK;
}

int
fo_match_write(struct fo_match *m, int item, size_t i,
    const struct fo_rec *r, struct fo_buf *out)
{
	static const char *const keys[] = { "match_status", "match_id",
	    "matched_ids", "match_rule", "match_score", "match_reasons",
	    "match_difference", "difference_class", "exception" };
	struct fo_kv kv[9];
	struct fo_buf b = { 0 };
	size_t at[10], k, j, nk = 8, *v = NULL, nv = 0, capv = 0;
	struct mrec *x;
	const struct grp *g = NULL;
	const struct amb *a = NULL;
	uint64_t h = 0;
	const char *exc = NULL;
	int rc;

	if (i >= (item ? m->ni : m->nl))
		return FO_ERR;
	x = &m->rec[item ? m->item_ix[i] : m->line_ix[i]];
	if (x->status == ST_STATEMENT)
		return write_statement(m, x, r, out);
	if (x->grp != RNONE)
		g = &m->grp[x->grp];
	else if (!item && x->amb != RNONE)
		a = &m->amb[x->amb];
	/* match_status */
	at[0] = b.n;
	fo_buf_putc(&b, '"');
	fo_buf_puts(&b, st_names[x->status]);
	fo_buf_putc(&b, '"');
	/* the members: matched_ids, and the hash of all for match_id */
	if (g) {
		if (push(&v, &nv, &capv, g->line) != FO_OK ||
		    (g->other && push(&v, &nv, &capv, g->other - 1) != FO_OK))
			goto oom;
		for (j = 0; j < g->nl; j++)
			if (push(&v, &nv, &capv, m->gl[g->lfirst + j]) != FO_OK)
				goto oom;
		for (j = 0; j < g->n; j++)
			if (push(&v, &nv, &capv, m->gi[g->first + j]) != FO_OK)
				goto oom;
	} else if (a) {
		for (j = 0; j < a->n; j++)
			if (push(&v, &nv, &capv, m->gi[a->first + j]) != FO_OK)
				goto oom;
	} else if (item && x->status == ST_AMBIGUOUS) {
		/* the ambiguous lines that name it: a run of the sorted pairs */
		size_t lo = 0, hi = m->nip, self = x - m->rec;

		while (lo < hi) {
			k = lo + (hi - lo) / 2;
			if (m->ip[k].item < self)
				lo = k + 1;
			else
				hi = k;
		}
		for (k = lo; k < m->nip && m->ip[k].item == self; k++)
			if (push(&v, &nv, &capv, m->ip[k].line) != FO_OK)
				goto oom;
	}
	fo_buf_reset(&m->tmp);
	if (id_array(m, v, nv, &m->tmp, g ? &h : NULL) != FO_OK)
		goto oom;
	at[1] = b.n;
	if (g)
		fo_buf_printf(&b, "\"%016llx\"", (unsigned long long)h);
	else
		fo_buf_puts(&b, "null");
	/* matched_ids: the other side */
	at[2] = b.n;
	if (g) {
		fo_buf_putc(&b, '[');
		for (j = 0, k = 0; j < nv; j++) {
			const struct mrec *o = &m->rec[v[j]];

			if (g->other ? o == x : o->item == x->item)
				continue;
			if (k++ > 0)
				fo_buf_putc(&b, ',');
			fo_json_str(&b, S(m, o->id), strlen(S(m, o->id)));
		}
		fo_buf_putc(&b, ']');
	} else
		fo_buf_put(&b, m->tmp.p, m->tmp.n);
	/* match_rule, match_score */
	at[3] = b.n;
	if (g || a) {
		const char *id = m->pass[g ? g->pass : a->pass].id;

		fo_json_str(&b, id, strlen(id));
	} else
		fo_buf_puts(&b, "null");
	at[4] = b.n;
	if (g)
		fo_buf_printf(&b, "%ld", m->pass[g->pass].score);
	else
		fo_buf_puts(&b, "null");
	/* match_reasons */
	at[5] = b.n;
	if (g)
		group_reasons(m, g, &b);
	else {
		fo_buf_reset(&m->why);
		if (x->status == ST_DUPLICATE)
			fo_buf_printf(&m->why, "id %s already seen at %s:%ld",
			    S(m, x->id), S(m, m->rec[x->dup].file),
			    m->rec[x->dup].line);
		else if (a && a->contested)
			fo_buf_printf(&m->why, "%s: another line claims the "
			    "same item%s in this pass", m->pass[a->pass].id,
			    a->n > 1 ? "s" : "");
		else if (a)
			fo_buf_printf(&m->why, "%s: %zu candidates it cannot "
			    "tell apart", m->pass[a->pass].id, a->n);
		else if (item && x->status == ST_AMBIGUOUS)
			fo_buf_printf(&m->why, "claimed by %zu ambiguous "
			    "line%s", nv, nv > 1 ? "s" : "");
		else if (!item)
			fo_buf_puts(&m->why, "no pass found an open item");
		fo_buf_putc(&b, '[');
		if (m->why.n)
			fo_json_str(&b, m->why.p, m->why.n);
		if (x->rej && rejections(m, x, &b, m->why.n > 0) != FO_OK)
			goto oom;
		fo_buf_putc(&b, ']');
	}
	/* match_difference, difference_class */
	at[6] = b.n;
	if (g && g->diff != INT64_MAX)
		money(&b, g->diff, x->minor);
	else
		fo_buf_puts(&b, "null");
	at[7] = b.n;
	if (g && g->cls != C_NONE)
		fo_buf_printf(&b, "\"%s\"", cls_names[g->cls]);
	else
		fo_buf_puts(&b, "null");
	/* exception: a line always; an item only when settled */
	at[8] = b.n;
	if (!item) {
		int incoming = paid(m, x) < 0;

		nk = 9;
		switch (x->status) {
		case ST_MATCHED:
			/* a returned payment: someone pays the item again */
			exc = g && g->other && g->line == (size_t)(x - m->rec) ?
			    "bank_rejection" : NULL;
			break;
		case ST_DUPLICATE:
			exc = NULL;
			break;
		case ST_AMBIGUOUS:
			exc = "match_ambiguous";
			break;
		case ST_SUGGESTED:
			if (g->beyond) {
				exc = g->diff < 0 ? "short_payment" :
				    "recon_break";
				break;
			}
			/* a suggestion settles nothing yet */
			/* FALLTHROUGH */
		default:
			exc = incoming ? "unapplied_cash" : "recon_break";
		}
	} else if (x->status == ST_MATCHED)
		nk = 9;
	if (exc)
		fo_buf_printf(&b, "\"%s\"", exc);
	else
		fo_buf_puts(&b, "null");
	at[9] = b.n;
	if (b.oom)
		goto oom;
	for (k = 0; k < nk; k++) {
		kv[k].key = keys[k];
		kv[k].val = b.p + at[k];
		kv[k].vlen = at[k + 1] - at[k];
	}
	rc = fo_rec_write(r, kv, nk, out);
	free(v);
	fo_buf_free(&b);
	return rc;
oom:
	free(v);
	fo_buf_free(&b);
	return FO_ENOMEM;
}

/* ---- counting ---- */

void
fo_match_counts(const struct fo_match *m, struct fo_match_counts *c)
{
	const struct mrec *x;
	size_t i;

	memset(c, 0, sizeof *c);
	for (i = 0; i < m->nrec; i++) {
		x = &m->rec[i];
		if (x->item) {
			c->items++;
			c->settled += x->status == ST_MATCHED;
			continue;
		}
		if (x->status == ST_STATEMENT) {
			c->statements++;
			continue;
		}
		c->lines++;
		switch (x->status) {
		case ST_MATCHED: c->matched++; break;
		case ST_SUGGESTED: c->suggested++; break;
		case ST_AMBIGUOUS: c->ambiguous++; break;
		case ST_DUPLICATE: c->duplicate++; break;
		default: c->unmatched++; break;
		}
	}
	for (i = 0; i < m->nst; i++)
		c->breaks += m->st[i].rec != NONE && stmt_break(m, &m->st[i]);
}

struct total {
	int item, st;
	char cur[4];
	int minor;
	long n;
	int64_t amount;
	int overflow;
};

static int
cmp_total(const void *a, const void *b)
{
	const struct total *x = a, *y = b;
	int c;

	if (x->item != y->item)
		return x->item - y->item;
	if (x->st != y->st)
		return x->st - y->st;
	c = memcmp(x->cur, y->cur, 3);
	return c;
}

int
fo_match_report(const struct fo_match *m, struct fo_buf *out)
{
	struct total *t = NULL, *nt;
	size_t nt_ = 0, cap = 0, i, j;
	const struct mrec *x;
	struct fo_obj o;
	int st;

	for (i = 0; i < m->npass; i++) {
		fo_obj_begin(&o, out);
		fo_obj_str(&o, "pass", m->pass[i].id, strlen(m->pass[i].id));
		fo_obj_str(&o, "key", key_names[m->pass[i].key],
		    strlen(key_names[m->pass[i].key]));
		fo_obj_long(&o, "matched", m->passcount[i][0]);
		fo_obj_long(&o, "suggested", m->passcount[i][1]);
		fo_obj_long(&o, "ambiguous", m->passcount[i][2]);
		fo_obj_long(&o, "items", m->passcount[i][3]);
		fo_obj_end(&o);
		fo_buf_putc(out, '\n');
	}
	for (i = 0; i < m->nrec; i++) {
		x = &m->rec[i];
		if (x->status == ST_STATEMENT)
			continue;	/* no amount of its own */
		st = x->status == ST_OPEN ? ST_UNMATCHED : x->status;
		for (j = 0; j < nt_; j++)
			if (t[j].item == x->item && t[j].st == st &&
			    memcmp(t[j].cur, x->cur, 3) == 0)
				break;
		if (j == nt_) {
			if (nt_ == cap) {
				cap = cap ? 2 * cap : 16;
				if ((nt = realloc(t, cap * sizeof *nt)) == NULL) {
					free(t);
					return FO_ENOMEM;
				}
				t = nt;
			}
			memset(&t[j], 0, sizeof t[j]);
			t[j].item = x->item;
			t[j].st = st;
			memcpy(t[j].cur, x->cur, 4);
			t[j].minor = x->minor;
			nt_++;
		}
		t[j].n++;
		if (__builtin_add_overflow(t[j].amount, x->amount, &t[j].amount))
			t[j].overflow = 1;
	}
	if (nt_ > 1)
		qsort(t, nt_, sizeof *t, cmp_total);
	/* lines, then items; matched, suggested, ambiguous, unmatched,
	 * duplicate (the order of enum st); currencies alphabetically */
	for (i = 0; i < nt_; i++) {
		fo_obj_begin(&o, out);
		fo_obj_str(&o, "side", t[i].item ? "item" : "line", 4);
		fo_obj_str(&o, "status", st_names[t[i].st],
		    strlen(st_names[t[i].st]));
		fo_obj_str(&o, "currency", t[i].cur, 3);
		fo_obj_long(&o, "count", t[i].n);
		fo_obj_key(&o, "amount");
		if (t[i].overflow)
			fo_buf_puts(out, "null");
		else
			money(out, t[i].amount, t[i].minor);
		fo_obj_end(&o);
		fo_buf_putc(out, '\n');
	}
	free(t);
	return out->oom ? FO_ENOMEM : FO_OK;
}

size_t
fo_match_bytes(const struct fo_match *m)
{
	size_t n = m->caprec * sizeof *m->rec + m->str.cap +
	    (m->capl + m->capi) * sizeof(size_t);
	size_t i;

	for (i = 0; m->idx && i < 4; i++)
		n += m->idx[i].cap * sizeof *m->idx[i].e +
		    (m->idx[i].mask + 1) * sizeof *m->idx[i].head;
	for (i = 0; i < 2; i++)
		if (m->ids[i])
			n += m->ids[i]->cap * sizeof *m->ids[i]->e +
			    (m->ids[i]->mask + 1) * sizeof *m->ids[i]->head;
	return n;
}
