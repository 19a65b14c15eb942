/*
 * expr.c - the subset of jq that rules use, compiled once and evaluated
 * on a record's jsmn tokens with jq 1.6's semantics (fo-rules.5, NATIVE
 * EVALUATION).
 *
 * Evaluation is continuation passing: every node calls a callback once
 * per output, and the callback's status comes back up the C stack. That
 * stack is jq's fork stack: an error or a break travels up it until a
 * try (postfix '?') or its label catches it, which is how jq 1.6 itself
 * behaves, down to a '?' swallowing the break of an enclosing first().
 * Values are small structs on the C stack; strings and arrays that are
 * built live in an arena that is reset, never freed, per evaluation.
 * Anything outside the subset is refused at compile time so that libjq
 * runs it instead: a refusal is always safe, a different answer never.
 */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <oniguruma.h>

#include "fo.h"

/* Bounds that keep any input, however hostile, cheap and finite. */
#define X_MAX_NEST	128		/* parser nesting */
#define X_MAX_NODES	20000
#define X_LOWER_MAX	1024	/* a longer regex is not lowered */
#define X_MAX_STEPS	2000000UL	/* node evaluations per run */
#define X_MAX_ARENA	((size_t)64 << 20)
#define X_MAX_VDEPTH	256		/* compare, contains, tojson */
#define X_CHUNK		((size_t)64 << 10)

/* The budget of one evaluation (fo_expr_budget, --rule-budget). */
static unsigned long max_steps = X_MAX_STEPS;
static size_t max_arena = X_MAX_ARENA;

/* Statuses: 0 goes on; a positive one is a break to that label. */
#define XR_ERR		(-1)	/* a jq error: try catches it */
#define XR_NOMEM	(-2)
#define XR_LIMIT	(-3)	/* a bound above: nothing catches it */

/* Kinds in jq's order, for comparing values of different kinds. */
enum { XK_NULL = 1, XK_FALSE, XK_TRUE, XK_NUM, XK_STR, XK_ARR, XK_OBJ };

struct xv {
	int k;
	int tok;		/* ARR/OBJ in the record: its token, else -1 */
	size_t n;		/* STR bytes; built ARR items, OBJ members */
	double d;
	const char *s;
	const struct xv *v;	/* built ARR: n items; OBJ: n key, value */
};

enum xop {
	N_DOT, N_CONST, N_VAR, N_INDEX, N_SLICE, N_EACH, N_PIPE, N_COMMA,
	N_ALT, N_AND, N_OR, N_BIN, N_NEG, N_IF, N_REDUCE, N_BIND, N_TRY,
	N_COLLECT, N_CALL
};

enum xbin { B_ADD, B_SUB, B_MUL, B_DIV, B_MOD, B_EQ, B_NE, B_LT, B_LE,
	B_GT, B_GE };

enum xfn {
	F_EMPTY, F_NOT, F_LENGTH, F_TYPE, F_NUMBERS, F_STRINGS, F_VALUES,
	F_NULLS, F_BOOLEANS, F_ARRAYS, F_OBJECTS, F_DOWN, F_UP, F_KEYS,
	F_KEYSU, F_EXPLODE, F_TOSTRING, F_TOJSON, F_TONUMBER, F_FIRST0,
	F_ANY0, F_ALL0, F_ROUND, F_FLOOR, F_CEIL, F_FABS, F_SELECT, F_MAP,
	F_FIRST, F_ANY1, F_ALL1, F_IN1, F_IN2, F_STARTS, F_ENDS, F_TEST,
	F_SPLIT, F_JOIN, F_INDEX, F_HAS, F_IN, F_CONTAINS, F_ANY2, F_ALL2
};

/*
 * A case-blind regex is compiled at load for ASCII texts only, where it
 * can be had for less than jq's: lowered and not folding at all, to
 * search the text lowered (lower_regex), or else, when it names ASCII
 * characters only, folding ASCII letters only (ascii_regex). Either
 * finds what jq's finds in an ASCII text. Its twin with Unicode's
 * folding, jq's own, is compiled at the first text that is not ASCII,
 * and may never be (compile_test, regex_test).
 */
struct xtwin {
	const char *src;	/* the regex, n bytes, the node's constant */
	size_t n;
	OnigOptionType opt;	/* jq's options */
	regex_t *re;		/* compiled with them, or NULL: not yet */
	int lower;		/* the node's re is the regex lowered, not
				 * folding: it searches the text lowered */
};

struct xnode {			/* what every step reads, in one cache line */
	enum xop op;
	int sub;		/* N_BIN: enum xbin; N_CALL: enum xfn */
	int opt;		/* '?' on an index, slice or .[] */
	int slot;		/* N_VAR, N_REDUCE, N_BIND */
	int simp;		/* at most one output, no generator in it:
				 * simple() computes it without continuations */
	int fid;		/* N_INDEX by a constant string: its fo_field_id */
	uint32_t kh;		/* and its fo_rec_keyhash */
	struct xnode *a, *b, *c;
	struct xmemo *memo;	/* its results by the fields it reads */
	struct xv v;		/* N_CONST */
	regex_t *re;		/* N_CALL F_TEST */
	struct xtwin *twin;	/* and its twin for any text, or NULL */
	struct xmemo *rmemo;	/* N_CALL F_TEST: its verdicts by the text */
	const struct xguard *set;	/* N_CALL F_IN1 of string literals */
	struct xnode *next;	/* every node, for freeing */
};

struct xguard;

struct fo_expr {
	struct xnode *root;
	const struct xguard *guard;	/* what a match needs, or NULL */
	/* root without the clauses of its and that are their own guard
	 * (expr_rest), for a record whose plan judged the guard true */
	struct xnode *rest;
	const struct xguard **skip;	/* the clauses left out */
	size_t nskip;
	struct xnode *nodes;
	size_t nnodes;
	int nslots;
	void **own;		/* constants' memory */
	size_t nown, capown;
};

struct xchunk {
	struct xchunk *next;
	size_t cap, used;
	max_align_t mem[];
};

struct fo_xrun {
	const struct fo_rec *r;
	struct xchunk *first, *cur;
	size_t arena;		/* bytes in all chunks */
	size_t req;		/* bytes this evaluation asked for */
	int over;		/* it asked for more than max_arena */
	struct fo_buf mkey;	/* a memo's key (memo_key) */
	struct xv *vars;
	int nvars;
	unsigned long steps;
	unsigned long serial;	/* this evaluation's number (run_setup) */
	int labels;
	struct fo_buf scratch;	/* tojson, before it moves to the arena */
	struct fo_buf lower;	/* a text lowered for a lowered regex */
	/* The record's text as last seen: while it is the same, what
	 * tokval kept of it holds. */
	struct fo_buf rtext;
	int rntok;
	/* The record's scalars as tokval first read them, by token: a
	 * kind, and a number's value (a string's text is the record's,
	 * found again from its token). Stamped with the record's gen. */
	unsigned gen;
	unsigned long long recno;	/* the record's, unique in the process */
	unsigned *tvgen;
	signed char *tvk;	/* XK_, or -1: a string with an escape */
	double *tvd;
	size_t tvcap;
	/* fo_xrun_record's record: while its text stays where and what
	 * it was, the copy above need not be compared again */
	const struct fo_rec *pin;
	const char *pintext;
	size_t pinlen;
	int pinntok;
};

typedef int xk(struct fo_xrun *, const struct xv *, void *);

static const struct xv v_null = { XK_NULL, -1, 0, 0, NULL, NULL };
static const struct xv v_false = { XK_FALSE, -1, 0, 0, NULL, NULL };
static const struct xv v_true = { XK_TRUE, -1, 0, 0, NULL, NULL };

/* ------------------------------------------------------------------ */
/* Scratch memory */

static void *
xalloc(struct fo_xrun *x, size_t n)
{
	struct xchunk *c = x->cur;
	size_t need = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) *
	    sizeof(max_align_t), cap;
	void *p;

	/* the bound is on what one evaluation asks for, whatever the
	 * chunks already hold: the same evaluation, the same verdict */
	if (n > max_arena || x->req + need > max_arena) {
		x->over = 1;
		return NULL;
	}
	while (c != NULL && c->cap - c->used < need) {
		c = c->next;
		if (c != NULL)
			c->used = 0;
	}
	if (c == NULL) {
		cap = need > X_CHUNK ? need : X_CHUNK;
		if ((c = malloc(sizeof *c + cap)) == NULL)
			return NULL;
		c->cap = cap;
		c->used = 0;
		c->next = NULL;
		x->arena += cap;
		/* chunks stay in order of allocation for the next reset */
		if (x->cur == NULL)
			x->first = c;
		else {
			struct xchunk *t = x->cur;

			while (t->next != NULL)
				t = t->next;
			t->next = c;
		}
	}
	x->cur = c;
	p = (char *)c->mem + c->used;
	c->used += need;
	x->req += need;
	return p;
}

/* XR_NOMEM for the system, XR_LIMIT for our own bound. */
static int
nomem(const struct fo_xrun *x)
{
	return x->over ? XR_LIMIT : XR_NOMEM;
}

static void
arena_reset(struct fo_xrun *x)
{
	x->req = 0;
	x->over = 0;
	x->cur = x->first;
	if (x->cur)
		x->cur->used = 0;
}

struct fo_xrun *
fo_xrun_new(void)
{
	return calloc(1, sizeof(struct fo_xrun));
}

void
fo_xrun_free(struct fo_xrun *x)
{
	struct xchunk *c, *n;

	if (x == NULL)
		return;
	for (c = x->first; c; c = n) {
		n = c->next;
		free(c);
	}
	free(x->vars);
	fo_buf_free(&x->scratch);
	fo_buf_free(&x->lower);
	fo_buf_free(&x->mkey);
	fo_buf_free(&x->rtext);
	free(x->tvgen);
	free(x->tvk);
	free(x->tvd);
	free(x);
}

/* ------------------------------------------------------------------ */
/* Values */

static int
truthy(const struct xv *v)
{
	return v->k != XK_NULL && v->k != XK_FALSE;
}

static struct xv
mknum(double d)
{
	struct xv v = { XK_NUM, -1, 0, d, NULL, NULL };

	return v;
}

static struct xv
mkstr(const char *s, size_t n)
{
	struct xv v = { XK_STR, -1, n, 0, s, NULL };

	return v;
}

static struct xv
mkbool(int b)
{
	return b ? v_true : v_false;
}

/* A number as JSON writes it: strict grammar already checked. */
static double
parse_num(const char *s, size_t n)
{
	char buf[64], *tmp;
	double d = 0;
	size_t i = 0;
	int neg = 0;

	if (s[0] == '-')
		neg = i = 1;
	/* at most 15 digits, a point and no exponent: the digits and the
	 * power of ten are exact doubles, and one division rounds once, as
	 * strtod does (Clinger's fast path) */
	if (n - i <= 16) {
		static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5,
		    1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
		size_t dig = 0, frac = 0, point = 0;

		for (; i < n; i++) {
			if (s[i] >= '0' && s[i] <= '9') {
				d = d * 10 + (s[i] - '0');
				dig++;
				frac += point;
			} else if (s[i] == '.' && !point)
				point = 1;
			else
				break;
		}
		if (i == n && dig <= 15) {
			d /= p10[frac];
			return neg ? -d : d;
		}
	}
	if (n < sizeof buf) {
		memcpy(buf, s, n);
		buf[n] = '\0';
		return strtod(buf, NULL);
	}
	if ((tmp = malloc(n + 1)) == NULL)
		return NAN;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	d = strtod(tmp, NULL);
	free(tmp);
	return d;
}

/* The value of record token t. */
static int
tokval_read(struct fo_xrun *x, int t, struct xv *v)
{
	struct fo_span sp;
	char *p;

	sp = fo_rec_span(x->r, t);
	*v = v_null;
	if ((size_t)t < x->tvcap) {
		/* kept for the next read: an escape is decoded every time,
		 * into the evaluation's arena */
		x->tvgen[t] = x->gen;
		x->tvk[t] = -1;
	}
	switch (fo_rec_type(x->r, t)) {
	case FO_J_OBJECT:
		v->k = XK_OBJ;
		v->tok = t;
		break;
	case FO_J_ARRAY:
		v->k = XK_ARR;
		v->tok = t;
		break;
	case FO_J_STRING:
		v->k = XK_STR;
		if (!fo_rec_esc(x->r, t)) {
			v->s = sp.p;
			v->n = sp.n;
			break;
		}
		if ((p = xalloc(x, sp.n + 1)) == NULL)
			return nomem(x);
		v->n = fo_json_unescape(sp.p, sp.n, p);
		v->s = p;
		return 0;
	default:
		if (sp.n == 0)
			return 0;
		if (sp.p[0] == 't')
			*v = v_true;
		else if (sp.p[0] == 'f')
			*v = v_false;
		else if (sp.p[0] != 'n')
			*v = mknum(parse_num(sp.p, sp.n));
		break;
	}
	if ((size_t)t < x->tvcap) {
		x->tvk[t] = (signed char)v->k;
		x->tvd[t] = v->d;
	}
	return 0;
}

/* The same, inline where this record's token was read already. */
static inline int
tokval(struct fo_xrun *x, int t, struct xv *v)
{
	struct fo_span sp;
	int k;

	if ((size_t)t < x->tvcap && x->tvgen[t] == x->gen &&
	    (k = x->tvk[t]) >= 0) {
		*v = v_null;
		v->k = k;
		if (k == XK_NUM)
			v->d = x->tvd[t];
		else if (k == XK_STR) {
			sp = fo_rec_span(x->r, t);
			v->s = sp.p;
			v->n = sp.n;
		} else if (k == XK_ARR || k == XK_OBJ)
			v->tok = t;
		return 0;
	}
	return tokval_read(x, t, v);
}

/* A new record: nothing tokval kept holds, room for all its tokens. */
static void
tv_reset(struct fo_xrun *x, const struct fo_rec *r)
{
	size_t cap = x->tvcap, need = r->ntok > 0 ? (size_t)r->ntok : 0;
	unsigned *g;
	signed char *k;
	double *d;

	static unsigned long long recnos;

	x->recno = ++recnos;
	if (++x->gen == 0) {
		/* the stamps went round: none may match by chance */
		if (x->tvgen)
			memset(x->tvgen, 0, x->tvcap * sizeof *x->tvgen);
		x->gen = 1;
	}
	if (need <= cap)
		return;
	for (cap = cap ? cap : 64; cap < need; cap *= 2)
		;
	if ((g = realloc(x->tvgen, cap * sizeof *g)) != NULL)
		x->tvgen = g;
	if ((k = realloc(x->tvk, cap)) != NULL)
		x->tvk = k;
	if ((d = realloc(x->tvd, cap * sizeof *d)) != NULL)
		x->tvd = d;
	if (g == NULL || k == NULL || d == NULL)
		return;		/* the first tokens only, as before */
	memset(g + x->tvcap, 0, (cap - x->tvcap) * sizeof *g);
	x->tvcap = cap;
}

static size_t
vsize(const struct fo_xrun *x, const struct xv *v)
{
	return v->tok >= 0 ? (size_t)fo_rec_size(x->r, v->tok) : v->n;
}

/* Members of an array or object, in order: jq keeps an object's keys in
 * the order they were written. */
struct xit {
	const struct xv *c;
	size_t i, n;
	int t;
};

static void
it_start(struct fo_xrun *x, struct xit *it, const struct xv *c)
{
	it->c = c;
	it->i = 0;
	it->n = vsize(x, c);
	it->t = c->tok + 1;
}

/* 1 and the member, 0 at the end, or a status. key may be NULL, and
 * so may val: then no value is read. */
static int
it_next(struct fo_xrun *x, struct xit *it, struct xv *key, struct xv *val)
{
	int rc;

	if (it->i >= it->n)
		return 0;
	if (it->c->tok < 0) {
		if (it->c->k == XK_ARR) {
			if (key)
				*key = mknum((double)it->i);
			if (val)
				*val = it->c->v[it->i];
		} else {
			if (key)
				*key = it->c->v[2 * it->i];
			if (val)
				*val = it->c->v[2 * it->i + 1];
		}
		it->i++;
		return 1;
	}
	if (it->c->k == XK_ARR) {
		if (key)
			*key = mknum((double)it->i);
		if (val && (rc = tokval(x, it->t, val)) != 0)
			return rc;
		it->t = fo_rec_next(x->r, it->t);
	} else {
		if (key && (rc = tokval(x, it->t, key)) != 0)
			return rc;
		if (val && (rc = tokval(x, it->t + 1, val)) != 0)
			return rc;
		it->t = fo_rec_next(x->r, it->t + 1);
	}
	it->i++;
	return 1;
}

/* A literal's hash, for the sets of literals (only ever in memory). */
static uint32_t
key_hash(const char *s, size_t n)
{
	return (uint32_t)fo_hash_words(s, n);
}

/* The value token of top-level key k (n bytes, fo_rec_keyhash h) whose
 * fo_field_id is fid (or -1), or -1: among the record's numbered fields
 * (fo_rec_field), whatever number of rules read it. */
static inline int
root_field(struct fo_xrun *x, int fid, const char *k, size_t n, uint32_t h)
{
	if (fid >= 0)
		return fo_rec_field(x->r, fid);
	return fo_rec_root(x->r, k, n, h);
}

static int
root_member(struct fo_xrun *x, const char *k, size_t n)
{
	return fo_rec_member(x->r, 0, k, n);
}

/* Object member by key: 1 found, 0 not, or a status. */
static int
obj_get(struct fo_xrun *x, const struct xv *o, const char *k, size_t n,
    struct xv *val)
{
	size_t i;
	int t;

	if (o->tok >= 0) {
		t = o->tok == 0 ? root_member(x, k, n) : -2;
		if (t == -2)
			t = fo_rec_member(x->r, o->tok, k, n);
		if (t < 0)
			return 0;
		return tokval(x, t, val) == 0 ? 1 : nomem(x);
	}
	for (i = 0; i < o->n; i++)
		if (o->v[2 * i].n == n && fo_same(o->v[2 * i].s, k, n)) {
			*val = o->v[2 * i + 1];
			return 1;
		}
	return 0;
}

/* Array item i (0 <= i < size). */
static int
arr_get(struct fo_xrun *x, const struct xv *a, size_t i, struct xv *val)
{
	struct xit it;
	int rc;

	if (a->tok < 0) {
		*val = a->v[i];
		return 0;
	}
	it_start(x, &it, a);
	do {
		rc = it_next(x, &it, NULL, val);
	} while (rc == 1 && it.i <= i);
	return rc == 1 ? 0 : rc < 0 ? rc : XR_ERR;
}

/* Building arrays in the arena. */
struct xbuild {
	struct xv *v;
	size_t n, cap;
};

static int
build_add(struct fo_xrun *x, struct xbuild *b, const struct xv *v)
{
	struct xv *nv;

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 8;
		if ((nv = xalloc(x, b->cap * sizeof *nv)) == NULL)
			return nomem(x);
		if (b->n)
			memcpy(nv, b->v, b->n * sizeof *nv);
		b->v = nv;
	}
	b->v[b->n++] = *v;
	return 0;
}

static struct xv
build_arr(const struct xbuild *b)
{
	struct xv v = { XK_ARR, -1, b->n, 0, NULL, b->v };

	return v;
}

/* Keys of an object sorted as jq sorts them (bytes, then length). */
static int
strcmp_v(const struct xv *a, const struct xv *b)
{
	size_t n = a->n < b->n ? a->n : b->n;
	int r = n ? memcmp(a->s, b->s, n) : 0;

	if (r)
		return r < 0 ? -1 : 1;
	return (a->n > b->n) - (a->n < b->n);
}

static int
keycmp(const void *a, const void *b)
{
	return strcmp_v(a, b);
}

static int
obj_keys(struct fo_xrun *x, const struct xv *o, int sorted, struct xv *out)
{
	struct xbuild b = { NULL, 0, 0 };
	struct xv k, v;
	struct xit it;
	int rc;

	it_start(x, &it, o);
	while ((rc = it_next(x, &it, &k, &v)) == 1)
		if ((rc = build_add(x, &b, &k)) != 0)
			return rc;
	if (rc < 0)
		return rc;
	if (sorted && b.n > 1)
		qsort(b.v, b.n, sizeof *b.v, keycmp);
	*out = build_arr(&b);
	return 0;
}

static int vcmp(struct fo_xrun *, const struct xv *, const struct xv *,
    int, int *);

/* jq's jv_cmp: kinds in order, numbers, strings bytewise, arrays item
 * by item, objects by sorted keys and then the values in that order. */
static int
vcmp(struct fo_xrun *x, const struct xv *a, const struct xv *b, int depth,
    int *r)
{
	struct xit ia, ib;
	struct xv ka, kb, va, vb;
	size_t i;
	int rc, ra, rb;

	if (depth > X_MAX_VDEPTH)
		return XR_LIMIT;
	*r = 0;
	if (a->k != b->k) {
		*r = a->k < b->k ? -1 : 1;
		return 0;
	}
	switch (a->k) {
	case XK_NUM:
		/* jq 1.6 orders NaN below every number, itself included */
		*r = isnan(a->d) ? -1 : isnan(b->d) ? 1 : a->d < b->d ? -1 :
		    a->d == b->d ? 0 : 1;
		return 0;
	case XK_STR:
		*r = strcmp_v(a, b);
		return 0;
	case XK_ARR:
		it_start(x, &ia, a);
		it_start(x, &ib, b);
		for (;;) {
			if ((ra = it_next(x, &ia, NULL, &va)) < 0)
				return ra;
			if ((rb = it_next(x, &ib, NULL, &vb)) < 0)
				return rb;
			if (!ra || !rb) {
				*r = ra - rb;
				return 0;
			}
			if ((rc = vcmp(x, &va, &vb, depth + 1, r)) != 0 || *r)
				return rc;
		}
	case XK_OBJ:
		if ((rc = obj_keys(x, a, 1, &ka)) != 0 ||
		    (rc = obj_keys(x, b, 1, &kb)) != 0)
			return rc;
		if ((rc = vcmp(x, &ka, &kb, depth + 1, r)) != 0 || *r)
			return rc;
		for (i = 0; i < ka.n; i++) {
			if ((rc = obj_get(x, a, ka.v[i].s, ka.v[i].n, &va)) < 0 ||
			    (rc = obj_get(x, b, ka.v[i].s, ka.v[i].n, &vb)) < 0)
				return rc;
			if ((rc = vcmp(x, &va, &vb, depth + 1, r)) != 0 || *r)
				return rc;
		}
		return 0;
	default:
		return 0;
	}
}

/*
 * Where an array's items live, as jq 1.6 knows it (jv's u.ptr): a
 * slice shares it with the array it was cut from (jvp_array_slice moves
 * only the offset), anything built has its own. A record's array is its
 * token; a built one its items, or for a slice its source's (kept in
 * s, which an array does not use otherwise).
 */
static const void *
arr_store(const struct fo_xrun *x, const struct xv *a)
{
	if (a->tok >= 0)
		return fo_rec_span(x->r, a->tok).p;
	return a->s != NULL ? (const void *)a->s : (const void *)a->v;
}

static int vequal_d(struct fo_xrun *, const struct xv *, const struct xv *,
    int);

/* jq 1.6's jv_equal: 1, 0 or (negative) a status. Its shortcut is
 * kept: two arrays of the same length whose items live in the same
 * place are equal, so two slices of one array of the same length are
 * ([1,2,3] | .[1:] == .[:2] is true), as they are nowhere else (<, >,
 * sort compare the items). */
static int
vequal_d(struct fo_xrun *x, const struct xv *a, const struct xv *b,
    int depth)
{
	struct xit ia, ib;
	struct xv va, vb, ka;
	size_t i;
	int rc, ra, rb;

	if (depth > X_MAX_VDEPTH)
		return XR_LIMIT;
	if (a->k != b->k)
		return 0;
	switch (a->k) {
	case XK_NUM:
		return a->d == b->d;
	case XK_STR:
		return a->n == b->n && fo_same(a->s, b->s, a->n);
	case XK_ARR:
		if (vsize(x, a) != vsize(x, b))
			return 0;
		if (arr_store(x, a) == arr_store(x, b))
			return 1;
		it_start(x, &ia, a);
		it_start(x, &ib, b);
		for (;;) {
			if ((ra = it_next(x, &ia, NULL, &va)) < 0)
				return ra;
			if ((rb = it_next(x, &ib, NULL, &vb)) < 0)
				return rb;
			if (!ra || !rb)
				return 1;
			if ((rc = vequal_d(x, &va, &vb, depth + 1)) <= 0)
				return rc;
		}
	case XK_OBJ:
		if (vsize(x, a) != vsize(x, b))
			return 0;
		if ((rc = obj_keys(x, a, 0, &ka)) != 0)
			return rc;
		for (i = 0; i < ka.n; i++) {
			if ((rc = obj_get(x, a, ka.v[i].s, ka.v[i].n, &va)) < 0 ||
			    (rb = obj_get(x, b, ka.v[i].s, ka.v[i].n, &vb)) < 0)
				return rc < 0 ? rc : rb;
			if (rb == 0)
				return 0;
			if ((rc = vequal_d(x, &va, &vb, depth + 1)) <= 0)
				return rc;
		}
		return 1;
	default:
		return 1;
	}
}

static int
vequal(struct fo_xrun *x, const struct xv *a, const struct xv *b)
{
	return vequal_d(x, a, b, 0);
}

/* ------------------------------------------------------------------ */
/* Writing values as jq 1.6 does (tojson, tostring, reasons) */

/*
 * The digits fmt_num's search finds, for a number of at most six
 * decimals and fifteen digits in all (an amount, a percentage): the
 * integer d * 10^j for the least j at which it reads back as d, without
 * printf. A decimal of fifteen digits or fewer reads back as one double
 * and no other of its length does, so the shortest that reads back is
 * that one, and the closest of its length: the digits %.*e gives. At
 * such a j the product is within far less than a half of that integer,
 * so rounding finds it. 1 with dig (nd digits, no sign) and e, the
 * exponent of the first; 0 when d is not such a number.
 */
static int
few_decimals(double d, char *dig, int *nd, int *e)
{
	static const double p10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6 };
	double a = fabs(d), m;
	uint64_t u;
	char t[24];
	int j, n, i;

	if (!(a >= 1e-6 && a < 1e9))
		return 0;
	for (j = 1; j <= 6; j++) {
		m = nearbyint(a * p10[j]);
		if (m >= 1e15)
			return 0;
		if (m / p10[j] != a)
			continue;
		for (u = (uint64_t)m, n = 0; u != 0; u /= 10)
			t[n++] = (char)('0' + u % 10);
		for (i = 0; i < n; i++)
			dig[i] = t[n - 1 - i];
		*nd = n;
		*e = n - j - 1;
		return 1;
	}
	return 0;
}

/* jq 1.6 prints the shortest digits that read back (David Gay's mode 0),
 * with an exponent below 1e-5 and from 1e17 on (or a 17-digit value's
 * width past that), infinities as the largest double, NaN as null. */
static size_t
fmt_num(double d, char *out)
{
	char tmp[40], dig[20];
	int p, nd, decpt, e, neg = 0;
	size_t o = 0, i;
	char *q;

	if (isnan(d)) {
		memcpy(out, "null", 5);
		return 4;
	}
	if (d > DBL_MAX)
		d = DBL_MAX;
	else if (d < -DBL_MAX)
		d = -DBL_MAX;
	if (d == 0)
		return (size_t)snprintf(out, 8, "%s", signbit(d) ? "-0" : "0");
	if (d == floor(d) && fabs(d) < 1e16)
		return (size_t)snprintf(out, 24, "%.0f", d);
	if (few_decimals(d, dig, &nd, &e))
		neg = d < 0;
	else {
		for (p = 0; p < 17; p++) {
			snprintf(tmp, sizeof tmp, "%.*e", p, d);
			if (strtod(tmp, NULL) == d)
				break;
		}
		q = tmp;
		if (*q == '-') {
			neg = 1;
			q++;
		}
		for (nd = 0; *q && *q != 'e'; q++)
			if (*q != '.')
				dig[nd++] = *q;
		e = atoi(q + 1);
	}
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	decpt = e + 1;
	if (neg)
		out[o++] = '-';
	if (decpt <= -4 || decpt > nd + 15) {
		out[o++] = dig[0];
		if (nd > 1) {
			out[o++] = '.';
			memcpy(out + o, dig + 1, (size_t)nd - 1);
			o += (size_t)nd - 1;
		}
		o += (size_t)snprintf(out + o, 8, "e%c%02d", e < 0 ? '-' : '+',
		    e < 0 ? -e : e);
	} else if (decpt <= 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (i = 0; i < (size_t)-decpt; i++)
			out[o++] = '0';
		memcpy(out + o, dig, (size_t)nd);
		o += (size_t)nd;
	} else {
		for (i = 0; i < (size_t)nd; i++) {
			out[o++] = dig[i];
			if (i + 1 == (size_t)decpt && i + 1 < (size_t)nd)
				out[o++] = '.';
		}
		for (i = (size_t)nd; i < (size_t)decpt; i++)
			out[o++] = '0';
	}
	out[o] = '\0';
	return o;
}

/* jq's string escaping: quote, backslash, control characters and DEL;
 * everything else, UTF-8 included, as it is. */
static void
put_jstr(struct fo_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;
	unsigned char c;
	char e[6];

	fo_buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		fo_buf_put(b, s + run, i - run);
		run = i + 1;
		e[0] = '\\';
		switch (c) {
		case '"':
		case '\\':
			e[1] = (char)c;
			break;
		case '\b':
			e[1] = 'b';
			break;
		case '\f':
			e[1] = 'f';
			break;
		case '\n':
			e[1] = 'n';
			break;
		case '\r':
			e[1] = 'r';
			break;
		case '\t':
			e[1] = 't';
			break;
		default:
			fo_buf_put(b, "\\u00", 4);
			fo_buf_putc(b, hex[c >> 4]);
			fo_buf_putc(b, hex[c & 15]);
			continue;
		}
		fo_buf_put(b, e, 2);
	}
	fo_buf_put(b, s + run, n - run);
	fo_buf_putc(b, '"');
}

static int
put_json(struct fo_xrun *x, const struct xv *v, struct fo_buf *b, int depth)
{
	char num[40];
	struct xv k, m;
	struct xit it;
	int rc, first = 1;

	if (depth > X_MAX_VDEPTH)
		return XR_LIMIT;
	switch (v->k) {
	case XK_NULL:
		fo_buf_puts(b, "null");
		return 0;
	case XK_FALSE:
		fo_buf_puts(b, "false");
		return 0;
	case XK_TRUE:
		fo_buf_puts(b, "true");
		return 0;
	case XK_NUM:
		fo_buf_put(b, num, fmt_num(v->d, num));
		return 0;
	case XK_STR:
		put_jstr(b, v->s, v->n);
		return 0;
	default:
		fo_buf_putc(b, v->k == XK_ARR ? '[' : '{');
		it_start(x, &it, v);
		while ((rc = it_next(x, &it, &k, &m)) == 1) {
			if (!first)
				fo_buf_putc(b, ',');
			first = 0;
			if (v->k == XK_OBJ) {
				put_jstr(b, k.s, k.n);
				fo_buf_putc(b, ':');
			}
			if ((rc = put_json(x, &m, b, depth + 1)) != 0)
				return rc;
		}
		if (rc < 0)
			return rc;
		fo_buf_putc(b, v->k == XK_ARR ? ']' : '}');
		return 0;
	}
}

/* tojson into the arena: a scratch fo_buf would be a second heap. */
static int
to_json(struct fo_xrun *x, const struct xv *v, struct xv *out)
{
	struct fo_buf *b = &x->scratch;
	char *p;
	int rc;

	fo_buf_reset(b);
	b->oom = 0;
	if ((rc = put_json(x, v, b, 0)) != 0 || b->oom)
		return rc ? rc : XR_NOMEM;
	if ((p = xalloc(x, b->n + 1)) == NULL)
		return nomem(x);
	if (b->n)
		memcpy(p, b->p, b->n);
	*out = mkstr(p, b->n);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Operators and builtins on values */

static int
concat(struct fo_xrun *x, const char *a, size_t an, const char *b, size_t bn,
    struct xv *out)
{
	char *p;

	if ((p = xalloc(x, an + bn + 1)) == NULL)
		return nomem(x);
	if (an)
		memcpy(p, a, an);
	if (bn)
		memcpy(p + an, b, bn);
	*out = mkstr(p, an + bn);
	return 0;
}

/* An object built from two: a's members, then b's (merged deeply when
 * both members are objects), as jq's + and * do. */
static int
obj_merge(struct fo_xrun *x, const struct xv *a, const struct xv *b, int deep,
    int depth, struct xv *out)
{
	struct xbuild m = { NULL, 0, 0 };
	struct xv k, v, *slot;
	struct xit it;
	size_t i;
	int rc;

	if (depth > X_MAX_VDEPTH)
		return XR_LIMIT;
	it_start(x, &it, a);
	while ((rc = it_next(x, &it, &k, &v)) == 1)
		if ((rc = build_add(x, &m, &k)) != 0 ||
		    (rc = build_add(x, &m, &v)) != 0)
			return rc;
	if (rc < 0)
		return rc;
	it_start(x, &it, b);
	while ((rc = it_next(x, &it, &k, &v)) == 1) {
		slot = NULL;
		for (i = 0; i < m.n; i += 2)
			if (strcmp_v(&m.v[i], &k) == 0)
				slot = &m.v[i + 1];
		if (slot == NULL) {
			if ((rc = build_add(x, &m, &k)) != 0 ||
			    (rc = build_add(x, &m, &v)) != 0)
				return rc;
		} else if (deep && slot->k == XK_OBJ && v.k == XK_OBJ) {
			struct xv sub;

			if ((rc = obj_merge(x, slot, &v, 1, depth + 1,
			    &sub)) != 0)
				return rc;
			*slot = sub;
		} else
			*slot = v;
	}
	if (rc < 0)
		return rc;
	out->k = XK_OBJ;
	out->tok = -1;
	out->n = m.n / 2;
	out->v = m.v;
	out->s = NULL;
	out->d = 0;
	return 0;
}

/* jq's f_mod: both operands cast to intmax_t (out of range as x86 does
 * it), a zero divisor an error. */
static int64_t
to_imax(double d)
{
	if (isnan(d) || d >= 9223372036854775808.0 ||
	    d < -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)d;
}

static int split_str(struct fo_xrun *, const struct xv *, const struct xv *,
    struct xv *);

static int
binop(struct fo_xrun *x, int op, const struct xv *a, const struct xv *b,
    struct xv *out)
{
	struct xbuild m = { NULL, 0, 0 };
	struct xv v, w;
	struct xit it, jt;
	int rc, r, found;
	int64_t ia, ib;
	double n;

	switch (op) {
	case B_EQ:
	case B_NE:
		/* two numbers or two strings, most of what rules compare,
		 * as vequal has them, without its call */
		if (a->k == XK_NUM && b->k == XK_NUM)
			rc = a->d == b->d;
		else if (a->k == XK_STR && b->k == XK_STR)
			rc = a->n == b->n && fo_same(a->s, b->s, a->n);
		else if ((rc = vequal(x, a, b)) < 0)
			return rc;
		*out = mkbool(op == B_EQ ? rc : !rc);
		return 0;
	case B_LT:
	case B_LE:
	case B_GT:
	case B_GE:
		/* two numbers or two strings (dates) as vcmp orders
		 * them (NaN first) */
		if (a->k == XK_NUM && b->k == XK_NUM)
			r = isnan(a->d) ? -1 : isnan(b->d) ? 1 : a->d < b->d ?
			    -1 : a->d == b->d ? 0 : 1;
		else if (a->k == XK_STR && b->k == XK_STR)
			r = strcmp_v(a, b);
		else if ((rc = vcmp(x, a, b, 0, &r)) != 0)
			return rc;
		*out = mkbool(op == B_LT ? r < 0 : op == B_LE ? r <= 0 :
		    op == B_GT ? r > 0 : r >= 0);
		return 0;
	case B_ADD:
		if (a->k == XK_NULL) {
			*out = *b;
			return 0;
		}
		if (b->k == XK_NULL) {
			*out = *a;
			return 0;
		}
		if (a->k != b->k || a->k < XK_NUM)
			return XR_ERR;
		if (a->k == XK_NUM) {
			*out = mknum(a->d + b->d);
			return 0;
		}
		if (a->k == XK_STR)
			return concat(x, a->s, a->n, b->s, b->n, out);
		if (a->k == XK_OBJ)
			return obj_merge(x, a, b, 0, 0, out);
		it_start(x, &it, a);
		while ((rc = it_next(x, &it, NULL, &v)) == 1)
			if ((rc = build_add(x, &m, &v)) != 0)
				return rc;
		it_start(x, &it, b);
		while (rc == 0 && (rc = it_next(x, &it, NULL, &v)) == 1)
			if ((rc = build_add(x, &m, &v)) != 0)
				return rc;
		if (rc < 0)
			return rc;
		*out = build_arr(&m);
		return 0;
	case B_SUB:
		if (a->k == XK_NUM && b->k == XK_NUM) {
			*out = mknum(a->d - b->d);
			return 0;
		}
		if (a->k != XK_ARR || b->k != XK_ARR)
			return XR_ERR;
		it_start(x, &it, a);
		while ((rc = it_next(x, &it, NULL, &v)) == 1) {
			found = 0;
			it_start(x, &jt, b);
			while (!found && (rc = it_next(x, &jt, NULL, &w)) == 1)
				if ((found = vequal(x, &v, &w)) < 0)
					return found;
			if (rc < 0)
				return rc;
			if (!found && (rc = build_add(x, &m, &v)) != 0)
				return rc;
		}
		if (rc < 0)
			return rc;
		*out = build_arr(&m);
		return 0;
	case B_MUL:
		if (a->k == XK_NUM && b->k == XK_NUM) {
			*out = mknum(a->d * b->d);
			return 0;
		}
		if ((a->k == XK_STR && b->k == XK_NUM) ||
		    (a->k == XK_NUM && b->k == XK_STR)) {
			const struct xv *s = a->k == XK_STR ? a : b;
			double k = a->k == XK_NUM ? a->d : b->d;
			char *p;
			size_t i;

			/* jq: int n = k - 1, then n more copies; n < 0 null */
			n = k - 1;
			if (!(n > -1)) {
				*out = v_null;
				return 0;
			}
			if (n >= 1e6 || (size_t)n * s->n > max_arena)
				return XR_LIMIT;
			ia = (int64_t)n;
			if ((p = xalloc(x, s->n * (size_t)(ia + 1) + 1)) == NULL)
				return nomem(x);
			for (i = 0; i <= (size_t)ia; i++)
				memcpy(p + i * s->n, s->s, s->n);
			*out = mkstr(p, s->n * (size_t)(ia + 1));
			return 0;
		}
		if (a->k == XK_OBJ && b->k == XK_OBJ)
			return obj_merge(x, a, b, 1, 0, out);
		return XR_ERR;
	case B_DIV:
		if (a->k == XK_NUM && b->k == XK_NUM) {
			if (b->d == 0)
				return XR_ERR;
			*out = mknum(a->d / b->d);
			return 0;
		}
		if (a->k == XK_STR && b->k == XK_STR)
			return split_str(x, a, b, out);
		return XR_ERR;
	case B_MOD:
		if (a->k != XK_NUM || b->k != XK_NUM)
			return XR_ERR;
		ia = to_imax(a->d);
		ib = to_imax(b->d);
		if (ib == 0)
			return XR_ERR;
		/* INT64_MIN % -1 traps in C; every x % -1 is 0 */
		*out = mknum(ib == -1 ? 0 : (double)(ia % ib));
		return 0;
	}
	return XR_ERR;
}

/* jq's jv_string_split: no separator splits into characters; an empty
 * input gives no pieces; a trailing separator an empty last piece. */
static int
split_str(struct fo_xrun *x, const struct xv *s, const struct xv *sep,
    struct xv *out)
{
	struct xbuild m = { NULL, 0, 0 };
	const char *p = s->s, *end = s->s + s->n, *q;
	struct xv piece;
	size_t len;
	int rc;

	if (sep->n == 0) {
		while (p < end) {
			len = 1;
			while (p + len < end && ((unsigned char)p[len] & 0xc0) ==
			    0x80)
				len++;
			piece = mkstr(p, len);
			if ((rc = build_add(x, &m, &piece)) != 0)
				return rc;
			p += len;
		}
	} else {
		while (p < end) {
			for (q = p; q + sep->n <= end; q++)
				if (memcmp(q, sep->s, sep->n) == 0)
					break;
			if (q + sep->n > end)
				q = end;
			piece = mkstr(p, (size_t)(q - p));
			if ((rc = build_add(x, &m, &piece)) != 0)
				return rc;
			if (q != end && q + sep->n == end) {
				piece = mkstr("", 0);
				if ((rc = build_add(x, &m, &piece)) != 0)
					return rc;
			}
			p = q + sep->n;
		}
	}
	*out = build_arr(&m);
	return 0;
}

/* Code points of UTF-8 text (valid: jq's strings always are). */
static size_t
utf8_len(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* Byte offset of code point i. */
static size_t
utf8_off(const char *s, size_t n, size_t i)
{
	size_t o = 0;

	while (o < n && i > 0) {
		o++;
		while (o < n && ((unsigned char)s[o] & 0xc0) == 0x80)
			o++;
		i--;
	}
	return o;
}

/* jq's parse_slice: start and end clamped to the length, end rounded up. */
static int
slice(struct fo_xrun *x, const struct xv *c, const struct xv *from,
    const struct xv *to, struct xv *out)
{
	struct xbuild m = { NULL, 0, 0 };
	double len, ds, de;
	size_t s, e, i, bs, be;
	struct xv v;
	int rc;

	if (c->k == XK_NULL) {
		*out = v_null;
		return 0;
	}
	if (c->k != XK_ARR && c->k != XK_STR)
		return XR_ERR;
	len = c->k == XK_ARR ? (double)vsize(x, c) : (double)utf8_len(c->s,
	    c->n);
	if ((from->k != XK_NULL && from->k != XK_NUM) ||
	    (to->k != XK_NULL && to->k != XK_NUM))
		return XR_ERR;
	ds = from->k == XK_NULL ? 0 : from->d;
	de = to->k == XK_NULL ? len : to->d;
	if (isnan(ds))
		ds = 0;
	if (isnan(de))
		de = 0;
	if (ds < 0)
		ds += len;
	if (de < 0)
		de += len;
	if (ds < 0)
		ds = 0;
	if (ds > len)
		ds = len;
	if (de > len)
		de = len;
	if (de < 0)
		de = 0;
	/* as jq 1.6 does it: the end rounded up, then kept from going
	 * below the start (so [1.5:1.2] is one item, [0.5:0] none) */
	s = (size_t)ds;
	e = (size_t)de;
	if ((double)e < de)
		e++;
	if (e < s)
		e = s;
	if (e > (size_t)len)
		e = (size_t)len;
	if (c->k == XK_STR) {
		bs = utf8_off(c->s, c->n, s);
		be = bs + utf8_off(c->s + bs, c->n - bs, e - s);
		*out = mkstr(c->s + bs, be - bs);
		return 0;
	}
	for (i = s; i < e; i++) {
		if ((rc = arr_get(x, c, i, &v)) != 0 ||
		    (rc = build_add(x, &m, &v)) != 0)
			return rc;
	}
	*out = build_arr(&m);
	/* its items live where c's do, for jq 1.6 (vequal) */
	out->s = arr_store(x, c);
	return 0;
}

/* jq 1.6's jv_array_indexes: every start in t at which all of the
 * needle's items follow (an empty needle matches nowhere); with first,
 * only the first of them or null. */
static int
arr_indexes(struct fo_xrun *x, const struct xv *t, const struct xv *needle,
    int first, struct xv *out)
{
	struct xbuild m = { NULL, 0, 0 };
	struct xv v, w, pos;
	struct xit jt;
	size_t k, b, n = vsize(x, needle), len = vsize(x, t);
	int rc, all;

	*out = v_null;
	for (k = 0; n > 0 && k < len; k++) {
		all = 1;
		it_start(x, &jt, needle);
		for (b = 0; b < n && all; b++) {
			if ((rc = it_next(x, &jt, NULL, &w)) < 0)
				return rc;
			if (k + b >= len) {
				all = 0;
				break;
			}
			if ((rc = arr_get(x, t, k + b, &v)) != 0)
				return rc;
			if ((all = vequal(x, &v, &w)) < 0)
				return all;
		}
		if (!all)
			continue;
		pos = mknum((double)k);
		if (first) {
			*out = pos;
			return 0;
		}
		if ((rc = build_add(x, &m, &pos)) != 0)
			return rc;
	}
	if (!first)
		*out = build_arr(&m);
	return 0;
}

/* jq's jv_get: t[k]. */
static int
index_get(struct fo_xrun *x, const struct xv *t, const struct xv *k,
    struct xv *out)
{
	struct xv from, to;
	double d, len;
	int rc;

	if (t->k == XK_OBJ && k->k == XK_STR) {
		rc = obj_get(x, t, k->s, k->n, out);
		if (rc == 0)
			*out = v_null;
		return rc < 0 ? rc : 0;
	}
	if (t->k == XK_ARR && k->k == XK_NUM) {
		d = k->d;
		if (isnan(d) || d > INT_MAX || d < INT_MIN || d != (int)d) {
			*out = v_null;
			return 0;
		}
		len = (double)vsize(x, t);
		if (d < 0)
			d += len;
		if (d < 0 || d >= len) {
			*out = v_null;
			return 0;
		}
		return arr_get(x, t, (size_t)d, out);
	}
	if ((t->k == XK_ARR || t->k == XK_STR) && k->k == XK_OBJ) {
		/* a missing start or end is an error, a null one a default */
		if ((rc = obj_get(x, k, "start", 5, &from)) <= 0 ||
		    (rc = obj_get(x, k, "end", 3, &to)) <= 0)
			return rc < 0 ? rc : XR_ERR;
		return slice(x, t, &from, &to, out);
	}
	if (t->k == XK_ARR && k->k == XK_ARR)
		return arr_indexes(x, t, k, 0, out);
	if (t->k == XK_NULL && (k->k == XK_STR || k->k == XK_NUM ||
	    k->k == XK_OBJ)) {
		*out = v_null;
		return 0;
	}
	return XR_ERR;
}

/* .k of t, n being an index by the constant k: the record's own field
 * once per record, anything else as index_get. */
static int
index_node(struct fo_xrun *x, const struct xnode *n, const struct xv *t,
    struct xv *out)
{
	int k;

	if (t->k != XK_OBJ || t->tok != 0 || n->fid < 0)
		return index_get(x, t, &n->b->v, out);
	if ((k = root_field(x, n->fid, n->b->v.s, n->b->v.n, n->kh)) < 0) {
		*out = v_null;
		return 0;
	}
	return tokval(x, k, out) == 0 ? 0 : nomem(x);
}

/* jq's jv_contains. */
static int
contains(struct fo_xrun *x, const struct xv *a, const struct xv *b, int depth)
{
	struct xit ia, ib;
	struct xv k, v, w;
	size_t an, bn;
	int rc, r, found;
	const char *p;

	if (depth > X_MAX_VDEPTH)
		return XR_LIMIT;
	if (a->k != b->k)
		return 0;
	switch (a->k) {
	case XK_OBJ:
		it_start(x, &ib, b);
		while ((rc = it_next(x, &ib, &k, &w)) == 1) {
			if ((rc = obj_get(x, a, k.s, k.n, &v)) < 0)
				return rc;
			if (rc == 0)
				return 0;
			if ((r = contains(x, &v, &w, depth + 1)) <= 0)
				return r;
		}
		return rc < 0 ? rc : 1;
	case XK_ARR:
		it_start(x, &ib, b);
		while ((rc = it_next(x, &ib, NULL, &w)) == 1) {
			found = 0;
			it_start(x, &ia, a);
			while (!found && (rc = it_next(x, &ia, NULL, &v)) == 1)
				if ((found = contains(x, &v, &w, depth + 1)) < 0)
					return found;
			if (rc < 0)
				return rc;
			if (!found)
				return 0;
		}
		return rc < 0 ? rc : 1;
	case XK_STR:
		/* strstr: each side ends at its first NUL */
		p = memchr(a->s, '\0', a->n);
		an = p ? (size_t)(p - a->s) : a->n;
		p = memchr(b->s, '\0', b->n);
		bn = p ? (size_t)(p - b->s) : b->n;
		if (bn == 0)
			return 1;
		/* to each place the first byte is, not each byte */
		for (p = a->s; bn <= an - (size_t)(p - a->s) &&
		    (p = memchr(p, b->s[0], an - (size_t)(p - a->s) - bn + 1)) !=
		    NULL; p++)
			if (memcmp(p, b->s, bn) == 0)
				return 1;
		return 0;
	default:
		return vequal(x, a, b);
	}
}

/* jq's tonumber reads the string as JSON text: a number, with
 * whitespace around it, "nan" and the infinities as its strtod takes
 * them. */
static int
to_number(struct fo_xrun *x, const struct xv *s, struct xv *out)
{
	const char *p = s->s, *e = s->s + s->n, *q;
	char *buf;
	size_t n;
	int digits = 0;

	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r'))
		e--;
	n = (size_t)(e - p);
	if (n == 3 && memcmp(p, "nan", 3) == 0) {
		*out = mknum(NAN);
		return 0;
	}
	if (n == 0 || *p == 'n' || *p == 't' || *p == 'f')
		return XR_ERR;
	q = p;
	if (*q == '+' || *q == '-')
		q++;
	if ((size_t)(e - q) == 3 && strncasecmp(q, "inf", 3) == 0)
		goto ok;
	if ((size_t)(e - q) == 8 && strncasecmp(q, "infinity", 8) == 0)
		goto ok;
	if ((size_t)(e - q) == 3 && strncasecmp(q, "nan", 3) == 0) {
		*out = mknum(NAN);
		return 0;
	}
	for (; q < e && *q >= '0' && *q <= '9'; q++)
		digits++;
	if (q < e && *q == '.')
		for (q++; q < e && *q >= '0' && *q <= '9'; q++)
			digits++;
	if (!digits)
		return XR_ERR;
	if (q < e && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < e && (*q == '+' || *q == '-'))
			q++;
		if (q == e || *q < '0' || *q > '9')
			return XR_ERR;
		while (q < e && *q >= '0' && *q <= '9')
			q++;
	}
	if (q != e)
		return XR_ERR;
ok:
	if ((buf = xalloc(x, n + 1)) == NULL)
		return nomem(x);
	memcpy(buf, p, n);
	buf[n] = '\0';
	*out = mknum(strtod(buf, NULL));
	return 0;
}

/* ASCII's, whatever the locale's */
#define A_LC(c)		((c) >= 'a' && (c) <= 'z')
#define A_UC(c)		((c) >= 'A' && (c) <= 'Z')
#define A_ALNUM(c)	(A_LC(c) || A_UC(c) || ((c) >= '0' && (c) <= '9'))
#define A_LOWER(c)	(A_UC(c) ? (c) + ('a' - 'A') : (c))
#define A_UPPER(c)	(A_LC(c) ? (c) - ('a' - 'A') : (c))

/* The n bytes at s into d with their ASCII letters in one case, as
 * jq's ascii_downcase and ascii_upcase: every other byte as it is. */
static void
ascii_case(char *d, const char *s, size_t n, int up)
{
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = (char)(up ? A_UPPER(s[i]) : A_LOWER(s[i]));
}

static int
case_map(struct fo_xrun *x, const struct xv *s, int up, struct xv *out)
{
	char *p;

	if (s->k != XK_STR)
		return XR_ERR;
	if ((p = xalloc(x, s->n + 1)) == NULL)
		return nomem(x);
	ascii_case(p, s->s, s->n, up);
	*out = mkstr(p, s->n);
	return 0;
}

static int
explode(struct fo_xrun *x, const struct xv *s, struct xv *out)
{
	struct xbuild m = { NULL, 0, 0 };
	const unsigned char *p = (const unsigned char *)s->s;
	size_t i = 0, len;
	unsigned long cp;
	struct xv v;
	int rc;

	if (s->k != XK_STR)
		return XR_ERR;
	while (i < s->n) {
		cp = p[i];
		len = cp < 0x80 ? 1 : cp < 0xe0 ? 2 : cp < 0xf0 ? 3 : 4;
		if (len > 1)
			cp &= 0x3fUL >> (len - 1);
		for (size_t k = 1; k < len && i + k < s->n; k++)
			cp = cp << 6 | (p[i + k] & 0x3f);
		i += len;
		v = mknum((double)cp);
		if ((rc = build_add(x, &m, &v)) != 0)
			return rc;
	}
	*out = build_arr(&m);
	return 0;
}

/* jq's has: a string key of an object, a number (truncated) of an
 * array. */
static int
has_key(struct fo_xrun *x, const struct xv *t, const struct xv *k,
    struct xv *out)
{
	struct xv v;
	double len;
	int rc;

	if (t->k == XK_NULL) {
		*out = v_false;
		return 0;
	}
	if (t->k == XK_OBJ && k->k == XK_STR) {
		if ((rc = obj_get(x, t, k->s, k->n, &v)) < 0)
			return rc;
		*out = mkbool(rc);
		return 0;
	}
	if (t->k == XK_ARR && k->k == XK_NUM) {
		/* jv_array_get(t, (int)k): out of range casts as x86 does */
		double d = k->d;
		int i = isnan(d) || d >= 2147483648.0 || d <= -2147483649.0 ?
		    INT_MIN : (int)d;

		len = (double)vsize(x, t);
		*out = mkbool(i >= 0 && (double)i < len);
		return 0;
	}
	return XR_ERR;
}

static int
length(struct fo_xrun *x, const struct xv *v, struct xv *out)
{
	switch (v->k) {
	case XK_NULL:
		*out = mknum(0);
		return 0;
	case XK_NUM:
		*out = mknum(fabs(v->d));
		return 0;
	case XK_STR:
		*out = mknum((double)utf8_len(v->s, v->n));
		return 0;
	case XK_ARR:
	case XK_OBJ:
		*out = mknum((double)vsize(x, v));
		return 0;
	default:
		return XR_ERR;
	}
}

/* jq 1.6's index($i): indices($i) | .[0], the string case in bytes. */
static int
index_of(struct fo_xrun *x, const struct xv *t, const struct xv *i,
    struct xv *out)
{
	struct xv first;
	size_t k;
	int rc;

	if (t->k == XK_STR && i->k == XK_STR) {
		if (i->n == 0)
			return XR_ERR;	/* jq 1.6 runs out of memory */
		for (k = 0; k + i->n <= t->n; k++)
			if (memcmp(t->s + k, i->s, i->n) == 0) {
				*out = mknum((double)k);
				return 0;
			}
		*out = v_null;
		return 0;
	}
	if (t->k == XK_ARR) {
		struct xbuild one = { NULL, 0, 0 };
		struct xv needle;

		if (i->k == XK_ARR)
			needle = *i;
		else {
			if ((rc = build_add(x, &one, i)) != 0)
				return rc;
			needle = build_arr(&one);
		}
		return arr_indexes(x, t, &needle, 1, out);
	}
	/* .[$i] | .[0] */
	if ((rc = index_get(x, t, i, &first)) != 0)
		return rc;
	return index_get(x, &first, &(struct xv){ XK_NUM, -1, 0, 0, NULL,
	    NULL }, out);
}

static regex_t	*regex_get(const char *, size_t, OnigOptionType);

/* Whether the n bytes at s are all ASCII. */
static int
all_ascii(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t w;
	size_t i = 0;

	for (; n - i >= 8; i += 8) {
		memcpy(&w, p + i, 8);
		if (w & FO_HIGHS)
			return 0;
	}
	for (; i < n; i++)
		if (p[i] & 0x80)
			return 0;
	return 1;
}

/* test() of node n on s: the twin with Unicode's folding for a text
 * that is not ASCII, compiled then (struct xtwin). A regex Oniguruma
 * compiles folding ASCII only but not folding Unicode is an error there,
 * as jq's test() raises one for a regex it cannot compile. */
static int
regex_test(struct fo_xrun *x, const struct xnode *n, const struct xv *s)
{
	const UChar *p = (const UChar *)s->s, *e = p + s->n;
	struct xtwin *tw = n->twin;
	regex_t *re = n->re;
	int r;

	if (tw != NULL && !all_ascii(s->s, s->n)) {
		if (tw->re == NULL &&
		    (tw->re = regex_get(tw->src, tw->n, tw->opt)) == NULL)
			return XR_ERR;
		re = tw->re;
	} else if (tw != NULL && tw->lower) {
		fo_buf_reset(&x->lower);
		if (fo_buf_reserve(&x->lower, s->n) != FO_OK)
			return XR_NOMEM;
		ascii_case(x->lower.p, s->s, s->n, 0);
		p = (const UChar *)x->lower.p;
		e = p + s->n;
	}

	r = onig_search(re, p, e, p, e, NULL, ONIG_OPTION_NONE);
	if (r >= 0)
		return 1;
	return r == ONIG_MISMATCH ? 0 : XR_ERR;
}

/* ------------------------------------------------------------------ */
/* Evaluation */

static int eval(struct fo_xrun *, const struct xnode *, const struct xv *,
    xk *, void *);
static int regex_kept(struct fo_xrun *, const struct xnode *,
    const struct xv *);
static int lit_has(const struct xguard *, const char *, size_t);
static int simple(struct fo_xrun *, const struct xnode *, const struct xv *,
    struct xv *);

struct kc {			/* a continuation and what it closes over */
	xk *k;
	void *ka;
	const struct xnode *n;
	const struct xv *in;
	const struct xv *v1, *v2;
	int label, found, count;
	struct xv state;
	struct xbuild b;
};

static int
k_pipe(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;

	return eval(x, c->n->b, v, c->k, c->ka);
}

static int
k_alt(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;

	if (!truthy(v))
		return 0;
	c->found = 1;
	return c->k(x, v, c->ka);
}

static int
k_bool(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;

	return c->k(x, truthy(v) ? &v_true : &v_false, c->ka);
}

static int
k_and(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;
	struct kc c2 = { c->k, c->ka, NULL, NULL, NULL, NULL, 0, 0, 0,
	    { 0, 0, 0, 0, NULL, NULL }, { NULL, 0, 0 } };

	if (c->n->op == N_AND ? !truthy(v) : truthy(v))
		return c->k(x, c->n->op == N_AND ? &v_false : &v_true, c->ka);
	return eval(x, c->n->b, c->in, k_bool, &c2);
}

static int
k_bin2(struct fo_xrun *x, const struct xv *a, void *arg)
{
	struct kc *c = arg;
	struct xv r;
	int rc;

	if ((rc = binop(x, c->n->sub, a, c->v1, &r)) != 0)
		return rc;
	return c->k(x, &r, c->ka);
}

static int
k_bin1(struct fo_xrun *x, const struct xv *b, void *arg)
{
	struct kc c2 = *(struct kc *)arg;

	c2.v1 = b;
	return eval(x, c2.n->a, c2.in, k_bin2, &c2);
}

static int
k_neg(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;
	struct xv r;

	if (v->k != XK_NUM)
		return XR_ERR;
	r = mknum(-v->d);
	return c->k(x, &r, c->ka);
}

static int
k_idx2(struct fo_xrun *x, const struct xv *t, void *arg)
{
	struct kc *c = arg;
	struct xv r;
	int rc;

	if ((rc = c->n->b->op == N_CONST ? index_node(x, c->n, t, &r) :
	    index_get(x, t, c->v1, &r)) == XR_ERR && c->n->opt)
		return 0;
	if (rc != 0)
		return rc;
	return c->k(x, &r, c->ka);
}

static int
k_idx1(struct fo_xrun *x, const struct xv *key, void *arg)
{
	struct kc c2 = *(struct kc *)arg;

	c2.v1 = key;
	return eval(x, c2.n->a, c2.in, k_idx2, &c2);
}

static int
k_slice3(struct fo_xrun *x, const struct xv *t, void *arg)
{
	struct kc *c = arg;
	struct xv r;
	int rc;

	if ((rc = slice(x, t, c->v1, c->v2, &r)) == XR_ERR && c->n->opt)
		return 0;
	if (rc != 0)
		return rc;
	return c->k(x, &r, c->ka);
}

static int
k_slice2(struct fo_xrun *x, const struct xv *to, void *arg)
{
	struct kc c2 = *(struct kc *)arg;

	c2.v2 = to;
	return eval(x, c2.n->a, c2.in, k_slice3, &c2);
}

static int
k_slice1(struct fo_xrun *x, const struct xv *from, void *arg)
{
	struct kc c2 = *(struct kc *)arg;

	c2.v1 = from;
	if (c2.n->c == NULL)
		return k_slice2(x, &v_null, &c2);
	return eval(x, c2.n->c, c2.in, k_slice2, &c2);
}

/* .[] */
static int
each(struct fo_xrun *x, const struct xv *t, int opt, xk *k, void *ka)
{
	struct xit it;
	struct xv v;
	int rc;

	if (t->k != XK_ARR && t->k != XK_OBJ)
		return opt ? 0 : XR_ERR;
	it_start(x, &it, t);
	while ((rc = it_next(x, &it, NULL, &v)) == 1)
		if ((rc = k(x, &v, ka)) != 0)
			return rc;
	return rc;
}

static int
k_each(struct fo_xrun *x, const struct xv *t, void *arg)
{
	struct kc *c = arg;

	return each(x, t, c->n->opt, c->k, c->ka);
}

static int
k_if(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;

	return eval(x, truthy(v) ? c->n->b : c->n->c, c->in, c->k, c->ka);
}

static int
k_store(struct fo_xrun *x, const struct xv *v, void *arg)
{
	(void)x;
	((struct kc *)arg)->state = *v;
	return 0;
}

/* reduce: the variable bound, the state nulled (jq's LOADVN), then set
 * by each output of the update: the last one wins, none leaves null. */
static int
k_red_src(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;
	struct xv old = c->state;

	x->vars[c->n->slot] = *v;
	c->state = v_null;
	return eval(x, c->n->c, &old, k_store, c);
}

/* jq 1.6 moves the input out of its slot (DUPN) when the loop first
 * starts: for every output of the init after the first, the source
 * reads null. */
static int
k_red_init(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc c2 = *(struct kc *)arg;
	int rc;

	if (((struct kc *)arg)->count++ > 0)
		c2.in = &v_null;
	c2.state = *v;
	if ((rc = eval(x, c2.n->a, c2.in, k_red_src, &c2)) != 0)
		return rc;
	return c2.k(x, &c2.state, c2.ka);
}

static int
k_bind(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;

	x->vars[c->n->slot] = *v;
	return eval(x, c->n->b, c->in, c->k, c->ka);
}

static int
k_collect(struct fo_xrun *x, const struct xv *v, void *arg)
{
	return build_add(x, &((struct kc *)arg)->b, v);
}

static int
k_select(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;

	if (!truthy(v))
		return 0;
	return c->k(x, c->in, c->ka);
}

static int
k_map(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;

	return eval(x, c->n->a, v, k_collect, c);
}

/* first(f): label $out | f | ., break $out */
static int
k_first(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;
	int rc;

	if ((rc = c->k(x, v, c->ka)) != 0)
		return rc;
	return c->label;
}

/*
 * any(g; c) and all(g; c) as jq 1.6 defines them:
 *   [label $out | foreach g as $i (false;
 *       if . then break $out elif $i | c then true else . end;
 *       if . then . else empty end)] | length == 1
 * and all with the truth values turned round: an output of c per step
 * counts, and a state that comes out of no output is null.
 */
static int
k_any_cond(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;
	int isall = c->n->sub == F_ALL2 || c->n->sub == F_ALL1 ||
	    c->n->sub == F_ALL0;
	struct xv out;

	(void)x;
	if (isall)
		out = truthy(v) ? *c->v1 : v_false;
	else
		out = truthy(v) ? v_true : *c->v1;
	c->state = out;
	if (isall ? !truthy(&out) : truthy(&out))
		c->count++;
	return 0;
}

static int
k_any_gen(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;
	int isall = c->n->sub == F_ALL2 || c->n->sub == F_ALL1 ||
	    c->n->sub == F_ALL0;
	struct xv old = c->state, ca, cb, cv;
	const struct xnode *cond;
	const struct xv *saved = c->v1;
	int rc = 0;

	c->state = v_null;
	if (isall ? !truthy(&old) : truthy(&old))
		return c->label;
	cond = c->n->sub == F_ANY2 || c->n->sub == F_ALL2 ? c->n->b :
	    c->n->sub == F_ANY1 || c->n->sub == F_ALL1 ? c->n->a : NULL;
	c->v1 = &old;
	if (cond == NULL)
		rc = k_any_cond(x, v, c);
	else if (cond->op == N_BIN && (rc = simple(x, cond->b, v, &cb)) == 1 &&
	    (rc = simple(x, cond->a, v, &ca)) == 1) {
		/* any(.[]; . == "X"), the common case, without the hops */
		if ((rc = binop(x, cond->sub, &ca, &cb, &cv)) == 0)
			rc = k_any_cond(x, &cv, c);
	} else if (rc == 2)
		rc = 0;		/* an operand with no output: no verdict */
	else if (rc == 0 && cond->simp) {
		/* any(keys[]; test(...) and ...): eval()'s step, and the
		 * value without the continuation */
		if (++x->steps > max_steps)
			rc = XR_LIMIT;
		else if ((rc = simple(x, cond, v, &cv)) == 1)
			rc = k_any_cond(x, &cv, c);
		else if (rc == 2)
			rc = 0;
		else if (rc == 0)	/* never: cond is simple */
			rc = eval(x, cond, v, k_any_cond, c);
	} else if (rc == 0)
		rc = eval(x, cond, v, k_any_cond, c);
	c->v1 = saved;
	return rc;
}

/*
 * any(S | keys_unsorted[]; C) with S simple (mark_simple), as extra's
 * columns are asked about: the keys read where they are and handed to
 * k_any_gen one by one, as each() hands it the array keys_unsorted
 * builds, without building it. The same keys in the same order, the
 * same steps (the pipe, S, the each and keys_unsorted, then C's own).
 * Anything else, and an S that is no object, goes the generic way.
 */
static int
any_keys(struct fo_xrun *x, const struct xnode *n, const struct xv *in,
    struct kc *c)
{
	const struct xnode *g = n->a, *e = g->b;
	struct xv o, key;
	struct xit it;
	int rc;

	if (g->op != N_PIPE || g->memo != NULL || !g->a->simp ||
	    e->op != N_EACH || e->opt || e->memo != NULL ||
	    e->a->op != N_CALL || e->a->sub != F_KEYSU ||
	    e->a->memo != NULL)
		return eval(x, g, in, k_any_gen, c);
	if ((x->steps += 2) > max_steps)
		return XR_LIMIT;
	if ((rc = simple(x, g->a, in, &o)) == 0)
		return eval(x, g, in, k_any_gen, c);	/* never: S is simple */
	if (rc != 1)
		return rc == 2 ? 0 : rc;
	if (o.k != XK_OBJ)
		return eval(x, e, &o, k_any_gen, c);
	if ((x->steps += 2) > max_steps)
		return XR_LIMIT;
	it_start(x, &it, &o);
	while ((rc = it_next(x, &it, &key, NULL)) == 1)
		if ((rc = k_any_gen(x, &key, c)) != 0)
			return rc;
	return rc;
}

/* IN(s): reduce (first(select(. == s)) | true) as $v (false; ...) */
static int
k_in(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;
	int rc;

	if ((rc = vequal(x, c->in, v)) < 0)
		return rc;
	if (!rc)
		return 0;
	c->found = 1;
	return c->label;
}

static int
in1(struct fo_xrun *x, const struct xnode *s, const struct xv *in, int *found)
{
	struct kc c = { NULL, NULL, NULL, in, NULL, NULL, 0, 0, 0,
	    { 0, 0, 0, 0, NULL, NULL }, { NULL, 0, 0 } };
	int rc;

	c.label = ++x->labels;
	rc = eval(x, s, in, k_in, &c);
	if (rc == c.label)
		rc = 0;
	*found = c.found;
	return rc;
}

static int
k_in2(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;
	int found, rc;

	if ((rc = in1(x, c->n->b, v, &found)) != 0)
		return rc;
	if (found)
		c->found = 1;
	return 0;
}

/* The builtins whose one argument is a generator of values. */
static int
k_arg(struct fo_xrun *x, const struct xv *a, void *arg)
{
	struct kc *c = arg;
	const struct xv *in = c->in;
	struct xv r, st, piece;
	struct xit it;
	int rc;

	switch (c->n->sub) {
	case F_STARTS:
	case F_ENDS:
		if (in->k != XK_STR || a->k != XK_STR)
			return XR_ERR;
		r = mkbool(a->n <= in->n && memcmp(c->n->sub == F_STARTS ?
		    in->s : in->s + in->n - a->n, a->s, a->n) == 0);
		break;
	case F_SPLIT:
		if (in->k != XK_STR || a->k != XK_STR)
			return XR_ERR;
		if ((rc = split_str(x, in, a, &r)) != 0)
			return rc;
		break;
	case F_HAS:
		if ((rc = has_key(x, in, a, &r)) != 0)
			return rc;
		break;
	case F_IN:
		if ((rc = has_key(x, a, in, &r)) != 0)
			return rc;
		break;
	case F_CONTAINS:
		if (in->k != a->k)
			return XR_ERR;
		if ((rc = contains(x, in, a, 0)) < 0)
			return rc;
		r = mkbool(rc);
		break;
	case F_INDEX:
		if ((rc = index_of(x, in, a, &r)) != 0)
			return rc;
		break;
	case F_JOIN:
		/* reduce .[] as $i (null; (if . == null then "" else . + $x
		 * end) + ($i | if boolean or number then tostring else
		 * . // "" end)) // "" */
		if (in->k != XK_ARR && in->k != XK_OBJ)
			return XR_ERR;
		st = v_null;
		it_start(x, &it, in);
		while ((rc = it_next(x, &it, NULL, &r)) == 1) {
			struct xv left;

			if (r.k == XK_TRUE || r.k == XK_FALSE ||
			    r.k == XK_NUM) {
				if ((rc = to_json(x, &r, &piece)) != 0)
					return rc;
			} else
				piece = truthy(&r) ? r : mkstr("", 0);
			if (st.k == XK_NULL)
				left = mkstr("", 0);
			else if ((rc = binop(x, B_ADD, &st, a, &left)) != 0)
				return rc;
			if ((rc = binop(x, B_ADD, &left, &piece, &st)) != 0)
				return rc;
		}
		if (rc < 0)
			return rc;
		r = truthy(&st) ? st : mkstr("", 0);
		break;
	default:
		return XR_ERR;
	}
	return c->k(x, &r, c->ka);
}

static int
call(struct fo_xrun *x, const struct xnode *n, const struct xv *in, xk *k,
    void *ka)
{
	struct kc c = { k, ka, n, in, NULL, NULL, 0, 0, 0,
	    { 0, 0, 0, 0, NULL, NULL }, { NULL, 0, 0 } };
	struct xv r, zero = mknum(0);
	int rc;

	switch (n->sub) {
	case F_EMPTY:
		return 0;
	case F_NOT:
		return k(x, truthy(in) ? &v_false : &v_true, ka);
	case F_LENGTH:
		if ((rc = length(x, in, &r)) != 0)
			return rc;
		return k(x, &r, ka);
	case F_TYPE: {
		static const char *const names[] = { "", "null", "boolean",
		    "boolean", "number", "string", "array", "object" };

		r = mkstr(names[in->k], strlen(names[in->k]));
		return k(x, &r, ka);
	}
	case F_NUMBERS:
		return in->k == XK_NUM ? k(x, in, ka) : 0;
	case F_STRINGS:
		return in->k == XK_STR ? k(x, in, ka) : 0;
	case F_VALUES:
		return in->k != XK_NULL ? k(x, in, ka) : 0;
	case F_NULLS:
		return in->k == XK_NULL ? k(x, in, ka) : 0;
	case F_BOOLEANS:
		return in->k == XK_TRUE || in->k == XK_FALSE ? k(x, in, ka) : 0;
	case F_ARRAYS:
		return in->k == XK_ARR ? k(x, in, ka) : 0;
	case F_OBJECTS:
		return in->k == XK_OBJ ? k(x, in, ka) : 0;
	case F_DOWN:
	case F_UP:
		if ((rc = case_map(x, in, n->sub == F_UP, &r)) != 0)
			return rc;
		return k(x, &r, ka);
	case F_KEYS:
	case F_KEYSU:
		if (in->k == XK_OBJ) {
			if ((rc = obj_keys(x, in, n->sub == F_KEYS, &r)) != 0)
				return rc;
		} else if (in->k == XK_ARR) {
			size_t i, len = vsize(x, in);

			for (i = 0; i < len; i++) {
				zero = mknum((double)i);
				if ((rc = build_add(x, &c.b, &zero)) != 0)
					return rc;
			}
			r = build_arr(&c.b);
		} else
			return XR_ERR;
		return k(x, &r, ka);
	case F_EXPLODE:
		if ((rc = explode(x, in, &r)) != 0)
			return rc;
		return k(x, &r, ka);
	case F_TOSTRING:
		if (in->k == XK_STR)
			return k(x, in, ka);
		/* FALLTHROUGH */
	case F_TOJSON:
		if ((rc = to_json(x, in, &r)) != 0)
			return rc;
		return k(x, &r, ka);
	case F_TONUMBER:
		if (in->k == XK_NUM)
			return k(x, in, ka);
		if (in->k != XK_STR)
			return XR_ERR;
		if ((rc = to_number(x, in, &r)) != 0)
			return rc;
		return k(x, &r, ka);
	case F_FIRST0:
		if ((rc = index_get(x, in, &zero, &r)) != 0)
			return rc;
		return k(x, &r, ka);
	case F_ROUND:
	case F_FLOOR:
	case F_CEIL:
	case F_FABS:
		if (in->k != XK_NUM)
			return XR_ERR;
		r = mknum(n->sub == F_ROUND ? round(in->d) : n->sub ==
		    F_FLOOR ? floor(in->d) : n->sub == F_CEIL ? ceil(in->d) :
		    fabs(in->d));
		return k(x, &r, ka);
	case F_SELECT:
		return eval(x, n->a, in, k_select, &c);
	case F_MAP:
		if (in->k != XK_ARR && in->k != XK_OBJ)
			return XR_ERR;
		if ((rc = each(x, in, 0, k_map, &c)) != 0)
			return rc;
		r = build_arr(&c.b);
		return k(x, &r, ka);
	case F_FIRST:
		c.label = ++x->labels;
		rc = eval(x, n->a, in, k_first, &c);
		return rc == c.label ? 0 : rc;
	case F_ANY0:
	case F_ANY1:
	case F_ANY2:
	case F_ALL0:
	case F_ALL1:
	case F_ALL2:
		c.label = ++x->labels;
		c.state = n->sub >= F_ANY0 && (n->sub == F_ANY0 ||
		    n->sub == F_ANY1 || n->sub == F_ANY2) ? v_false : v_true;
		if (n->sub == F_ANY2)
			rc = any_keys(x, n, in, &c);
		else if (n->sub == F_ALL2)
			rc = eval(x, n->a, in, k_any_gen, &c);
		else if (in->k != XK_ARR && in->k != XK_OBJ)
			rc = XR_ERR;
		else
			rc = each(x, in, 0, k_any_gen, &c);
		if (rc == c.label)
			rc = 0;
		if (rc != 0)
			return rc;
		r = mkbool(n->sub == F_ANY0 || n->sub == F_ANY1 ||
		    n->sub == F_ANY2 ? c.count == 1 : c.count == 0);
		return k(x, &r, ka);
	case F_IN1:
		/* IN of string literals: one hash probe; no literal equals
		 * anything but a string */
		if (n->set != NULL)
			return k(x, in->k == XK_STR && lit_has(n->set, in->s,
			    in->n) ? &v_true : &v_false, ka);
		if ((rc = in1(x, n->a, in, &c.found)) != 0)
			return rc;
		return k(x, c.found ? &v_true : &v_false, ka);
	case F_IN2:
		if ((rc = eval(x, n->a, in, k_in2, &c)) != 0)
			return rc;
		return k(x, c.found ? &v_true : &v_false, ka);
	case F_TEST:
		if (in->k != XK_STR)
			return XR_ERR;
		if ((rc = regex_kept(x, n, in)) < 0)
			return rc;
		return k(x, rc ? &v_true : &v_false, ka);
	default:
		return eval(x, n->a, in, k_arg, &c);
	}
}

/* A builtin of a simple node (mark_simple): the value of n on in. */
static int
simple_call(struct fo_xrun *x, const struct xnode *n, const struct xv *in,
    struct xv *v)
{
	static const char *const names[] = { "", "null", "boolean",
	    "boolean", "number", "string", "array", "object" };
	struct xv a;
	int rc, kind = -1;

	switch (n->sub) {
	case F_NOT:
		*v = truthy(in) ? v_false : v_true;
		return 1;
	case F_LENGTH:
		return (rc = length(x, in, v)) != 0 ? rc : 1;
	case F_TYPE:
		*v = mkstr(names[in->k], strlen(names[in->k]));
		return 1;
	case F_NUMBERS:
		kind = in->k == XK_NUM;
		break;
	case F_STRINGS:
		kind = in->k == XK_STR;
		break;
	case F_VALUES:
		kind = in->k != XK_NULL;
		break;
	case F_NULLS:
		kind = in->k == XK_NULL;
		break;
	case F_BOOLEANS:
		kind = in->k == XK_TRUE || in->k == XK_FALSE;
		break;
	case F_ARRAYS:
		kind = in->k == XK_ARR;
		break;
	case F_OBJECTS:
		kind = in->k == XK_OBJ;
		break;
	case F_DOWN:
	case F_UP:
		return (rc = case_map(x, in, n->sub == F_UP, v)) != 0 ? rc : 1;
	case F_TEST:
		if (in->k != XK_STR)
			return XR_ERR;
		if ((rc = regex_kept(x, n, in)) < 0)
			return rc;
		*v = rc ? v_true : v_false;
		return 1;
	case F_IN1:
		*v = in->k == XK_STR && lit_has(n->set, in->s, in->n) ? v_true :
		    v_false;
		return 1;
	case F_STARTS:
	case F_ENDS:
		if ((rc = simple(x, n->a, in, &a)) != 1)
			return rc;
		if (in->k != XK_STR || a.k != XK_STR)
			return XR_ERR;
		*v = mkbool(a.n <= in->n && memcmp(n->sub == F_STARTS ?
		    in->s : in->s + in->n - a.n, a.s, a.n) == 0);
		return 1;
	case F_CONTAINS:
		/* as k_call1's: its one argument, computed whole */
		if ((rc = simple(x, n->a, in, &a)) != 1)
			return rc;
		if (in->k != a.k)
			return XR_ERR;
		if ((rc = contains(x, in, &a, 0)) < 0)
			return rc;
		*v = mkbool(rc);
		return 1;
	default:
		return 0;
	}
	/* the kind filters: the input, or no output */
	if (!kind)
		return 2;
	*v = *in;
	return 1;
}

/* ------------------------------------------------------------------ */
/* Memos. A node that reads of its input only one or two top-level
 * fields, binds what it uses and catches nothing gives the same result
 * for the same values of those fields: a status test, an IBAN's check
 * digits, a hold code list run through regexes. Its result (a null, a
 * boolean, a number, a string of at most XM_KEYMAX bytes, no output, or
 * an error) is kept by the fields' JSON text, and the next record with
 * the same text takes it without running the node. The steps and bytes
 * the node took are charged again, so a record meets its budget
 * (--rule-budget) exactly as if the node had run. Anything else (an
 * array or object, several outputs, an output then an error, a bound
 * reached) is never kept: the node runs as it always did. */

#define XM_FIELDS	2
#define XM_MAX		4096		/* results a node keeps */
#define XM_KEYS		((size_t)256 << 10)	/* bytes of their keys */
#define XM_KEYMAX	1024		/* a longer key is not kept */

struct xment {
	uint64_t h;
	uint32_t koff, kn;
	unsigned long steps;	/* what the node took */
	size_t req;
	double d;		/* a number's value */
	uint32_t vn;		/* a string's bytes, after the key's */
	signed char res;	/* 1 a value, 2 no output, XR_ERR */
	signed char k;		/* the value's kind */
};

struct xmemo {
	const struct xv *f[XM_FIELDS];	/* the fields' names */
	uint32_t fh[XM_FIELDS];
	int fid[XM_FIELDS];
	int nf;
	struct xment *ent;	/* [cap], cap at most XM_MAX */
	size_t nent, cap;
	uint32_t *tab;		/* [2 * cap]: entry + 1 */
	char *keys;		/* [kcap], kcap at most XM_KEYS */
	size_t nkeys, kcap;
	size_t maxent, maxkeys;	/* bounds of its own; 0: XM_MAX, XM_KEYS */
	unsigned long look, hit, skip;
	unsigned long lent;	/* the evaluation given a string of keys[] */
	int off;		/* seldom the same: not worth a key */
};

/* A span onto a memo's key: its length in four bytes, then its bytes. */
static void
memo_span(struct fo_buf *b, struct fo_span sp)
{
	unsigned char len[4];

	len[0] = (unsigned char)(sp.n >> 24);
	len[1] = (unsigned char)(sp.n >> 16);
	len[2] = (unsigned char)(sp.n >> 8);
	len[3] = (unsigned char)sp.n;
	fo_buf_put(b, (const char *)len, sizeof len);
	fo_buf_put(b, sp.p, sp.n);
}

/* Token t (or none, t < 0) onto a memo's key: its kind and its text as
 * written, so that the same text is the same value ("1" and 1 differ in
 * kind), with its length between one field and the next. */
static void
memo_keyput(struct fo_buf *b, const struct fo_rec *r, int t)
{
	struct fo_span sp;

	if (t < 0) {
		fo_buf_putc(b, 0);
		return;
	}
	sp = fo_rec_span(r, t);
	fo_buf_putc(b, (char)(1 + fo_rec_type(r, t)));
	memo_span(b, sp);
}

/* An object's keys (token t) onto a memo's key, each as written after
 * its length: a mark no kind byte of memo_keyput takes comes first. */
static void
memo_keysput(struct fo_buf *b, const struct fo_rec *r, int t)
{
	int m, k, n = fo_rec_size(r, t);

	fo_buf_putc(b, (char)0x80);
	for (m = 0, k = t + 1; m < n; m++, k = fo_rec_next(r, k + 1))
		memo_span(b, fo_rec_span(r, k));
}

/* The key of in for memo m in x->mkey, and its hash: 0, or -1 when in
 * has no key (not an object of the record). */
static int
memo_key(struct fo_xrun *x, const struct xmemo *m, const struct xv *in,
    uint64_t *h)
{
	struct fo_buf *b = &x->mkey;
	int i, t;

	fo_buf_reset(b);
	if (m->nf > 0 && (in->k != XK_OBJ || in->tok < 0))
		return -1;
	for (i = 0; i < m->nf; i++) {
		if (in->tok == 0)
			t = root_field(x, m->fid[i], m->f[i]->s, m->f[i]->n,
			    m->fh[i]);
		else
			t = fo_rec_member(x->r, in->tok, m->f[i]->s,
			    m->f[i]->n);
		memo_keyput(b, x->r, t);
	}
	if (b->oom) {
		b->oom = 0;
		return -1;
	}
	if (b->n > XM_KEYMAX)
		return -1;
	*h = fo_hash_words(b->p, b->n);
	return 0;
}

static const struct xment *
memo_find(const struct xmemo *m, const char *k, size_t n, uint64_t h)
{
	const struct xment *e;
	size_t i, mask = 2 * m->cap - 1;

	if (m->tab == NULL)
		return NULL;
	for (i = h & mask; m->tab[i] != 0; i = (i + 1) & mask) {
		e = &m->ent[m->tab[i] - 1];
		/* (a memo of no field has the one empty key, and no keys) */
		if (e->h == h && e->kn == n && (n == 0 ||
		    fo_same(m->keys + e->koff, k, n)))
			return e;
	}
	return NULL;
}

/* Room for one more entry and n more bytes of key: the memo grows to
 * XM_MAX entries and XM_KEYS bytes, then starts again. 0; 1 when that
 * would move or reuse its bytes while busy (an evaluation still holds a
 * string of them: the result is then not kept); -1 (no memory: the memo
 * stops). */
static int
memo_room(struct xmemo *m, size_t n, int busy)
{
	struct xment *ne;
	uint32_t *nt;
	char *nk;
	size_t cap, kcap, i, j;
	size_t lim = m->maxent ? m->maxent : XM_MAX;
	size_t klim = m->maxkeys ? m->maxkeys : XM_KEYS;

	if (busy && (m->nent == lim || m->nkeys + n > m->kcap))
		return 1;
	if (m->nent == lim || m->nkeys + n > klim) {
		memset(m->tab, 0, 2 * m->cap * sizeof *m->tab);
		m->nent = m->nkeys = 0;
	}
	if (m->nent == m->cap) {
		cap = m->cap ? 2 * m->cap : 16;
		if ((ne = realloc(m->ent, cap * sizeof *ne)) == NULL)
			return -1;
		m->ent = ne;
		if ((nt = calloc(2 * cap, sizeof *nt)) == NULL)
			return -1;
		free(m->tab);
		m->tab = nt;
		m->cap = cap;
		for (i = 0; i < m->nent; i++) {
			for (j = m->ent[i].h & (2 * cap - 1); nt[j] != 0;
			    j = (j + 1) & (2 * cap - 1))
				;
			nt[j] = (uint32_t)i + 1;
		}
	}
	if (m->nkeys + n > m->kcap) {
		for (kcap = m->kcap ? m->kcap : 1024; kcap < m->nkeys + n;
		    kcap *= 2)
			;
		if (kcap > klim)
			kcap = klim;
		if ((nk = realloc(m->keys, kcap)) == NULL)
			return -1;
		m->keys = nk;
		m->kcap = kcap;
	}
	return 0;
}

/* Keep a result (a string's bytes after the key's); no memory, the
 * memo stops. busy: as memo_room. */
static void
memo_put(struct xmemo *m, const char *k, size_t n, uint64_t h, int res,
    const struct xv *v, unsigned long steps, size_t req, int busy)
{
	struct xment *e;
	size_t i, vn = res == 1 && v->k == XK_STR ? v->n : 0;
	int rc;

	if ((rc = memo_room(m, n + vn, busy)) != 0) {
		if (rc < 0)
			m->off = 1;
		return;
	}
	e = &m->ent[m->nent];
	e->h = h;
	e->koff = (uint32_t)m->nkeys;
	e->kn = (uint32_t)n;
	e->res = (signed char)res;
	e->k = (signed char)(res == 1 ? v->k : XK_NULL);
	e->d = res == 1 ? v->d : 0;
	e->steps = steps;
	e->req = req;
	e->vn = (uint32_t)vn;
	if (n)
		memcpy(m->keys + m->nkeys, k, n);
	if (vn)
		memcpy(m->keys + m->nkeys + n, v->s, vn);
	m->nkeys += n + vn;
	for (i = h & (2 * m->cap - 1); m->tab[i] != 0;
	    i = (i + 1) & (2 * m->cap - 1))
		;
	m->tab[i] = (uint32_t)++m->nent;
}

/* A kept value; a string is the memo's own bytes, which it then keeps
 * where they are until this evaluation is over. */
static struct xv
memo_value(struct fo_xrun *x, struct xmemo *m, const struct xment *e)
{
	struct xv v = v_null;

	v.k = e->k;
	v.d = e->d;
	if (v.k == XK_STR) {
		/* an empty string of a memo with no key: no bytes at all */
		v.s = e->vn ? m->keys + e->koff + e->kn : "";
		v.n = e->vn;
		m->lent = x->serial;
	}
	return v;
}

/* What a memo keeps: a null, a boolean, a number, a string of at most
 * XM_KEYMAX bytes. */
static int
memo_keeps(const struct xv *v)
{
	return v->k == XK_NULL || v->k == XK_FALSE || v->k == XK_TRUE ||
	    v->k == XK_NUM || (v->k == XK_STR && v->n <= XM_KEYMAX);
}

/* A kept result's cost charged as the node would have run: 0, or
 * XR_LIMIT where the run would have reached a bound. */
static int
memo_charge(struct fo_xrun *x, const struct xment *e)
{
	x->steps += e->steps;
	if (x->steps > max_steps)
		return XR_LIMIT;
	if (e->req > max_arena - x->req) {
		x->over = 1;
		return XR_LIMIT;
	}
	x->req += e->req;
	return 0;
}

/* After a lookup: a node whose fields seldom repeat, or whose results
 * are seldom kept, stops looking. */
static void
memo_judge(struct xmemo *m)
{
	if ((m->look >= 512 && m->hit * 8 < m->look) ||
	    (m->skip >= 64 && m->skip * 4 > m->look))
		m->off = 1;
}

/*
 * A regex's verdicts by the text it tested: the same text, the same
 * answer, and test() costs nothing of the budget, so keeping them is
 * unseen but in time. Column names in extra, hold codes, statuses and
 * vendor ids come back record after record; texts that seldom do
 * (remittance lines) turn the memo off as any memo (memo_judge).
 */
#define XR_MAX		512		/* verdicts a test keeps */
#define XR_KEYS		((size_t)16 << 10)	/* bytes of their texts */
#define XR_KEYMAX	256		/* a longer text is not kept */

static int
regex_kept(struct fo_xrun *x, const struct xnode *n, const struct xv *s)
{
	struct xmemo *m = n->rmemo;
	const struct xment *e;
	struct xv v;
	uint64_t h;
	int r;

	if (m == NULL || m->off || s->n > XR_KEYMAX)
		return regex_test(x, n, s);
	h = fo_hash_words(s->s, s->n);
	m->look++;
	if ((e = memo_find(m, s->s, s->n, h)) != NULL) {
		m->hit++;
		return e->k == XK_TRUE;
	}
	if ((r = regex_test(x, n, s)) < 0)
		return r;
	v = mkbool(r);
	memo_put(m, s->s, s->n, h, 1, &v, 0, 0, 0);
	memo_judge(m);
	return r;
}

struct kmemo {
	int count;
	struct xv v;
};

static int
k_memo(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kmemo *c = arg;

	(void)x;
	if (c->count++ == 0)
		c->v = *v;
	return 0;
}

static int simple_node(struct fo_xrun *, const struct xnode *,
    const struct xv *, struct xv *);
static int eval_node(struct fo_xrun *, const struct xnode *,
    const struct xv *, xk *, void *);

/* simple() of a node with a memo. */
static int
memo_simple(struct fo_xrun *x, const struct xnode *n, const struct xv *in,
    struct xv *v)
{
	struct xmemo *m = n->memo;
	const struct xment *e;
	unsigned long s0 = x->steps;
	size_t r0 = x->req;
	uint64_t h;
	int rc;

	if (m->off || memo_key(x, m, in, &h) != 0)
		return simple_node(x, n, in, v);
	m->look++;
	if ((e = memo_find(m, x->mkey.p, x->mkey.n, h)) != NULL) {
		m->hit++;
		if ((rc = memo_charge(x, e)) != 0)
			return rc;
		if (e->res == 1)
			*v = memo_value(x, m, e);
		return e->res;
	}
	/* a memo node holds none: x->mkey is still this key after it */
	rc = simple_node(x, n, in, v);
	if ((rc == 1 && memo_keeps(v)) || rc == 2 || rc == XR_ERR)
		memo_put(m, x->mkey.p, x->mkey.n, h, rc, v, x->steps - s0,
		    x->req - r0, m->lent == x->serial);
	else if (rc != 0)
		m->skip++;
	memo_judge(m);
	return rc;
}

/* eval() of a node with a memo, its step counted. */
static int
memo_eval(struct fo_xrun *x, const struct xnode *n, const struct xv *in,
    xk *k, void *ka)
{
	struct xmemo *m = n->memo;
	struct kmemo c = { 0, { XK_NULL, -1, 0, 0, NULL, NULL } };
	const struct xment *e;
	unsigned long s0 = x->steps;
	size_t r0 = x->req;
	int over0 = x->over, rc, res = 0;
	uint64_t h;

	if (m->off || memo_key(x, m, in, &h) != 0)
		return eval_node(x, n, in, k, ka);
	m->look++;
	if ((e = memo_find(m, x->mkey.p, x->mkey.n, h)) != NULL) {
		m->hit++;
		if ((rc = memo_charge(x, e)) != 0)
			return rc;
		if (e->res == 1) {
			c.v = memo_value(x, m, e);
			return k(x, &c.v, ka);
		}
		return e->res == 2 ? 0 : XR_ERR;
	}
	/* the node alone first, its outputs counted */
	rc = eval_node(x, n, in, k_memo, &c);
	if (rc == 0 && c.count == 0)
		res = 2;
	else if (rc == 0 && c.count == 1 && memo_keeps(&c.v))
		res = 1;
	else if (rc == XR_ERR && c.count == 0)
		res = XR_ERR;
	memo_judge(m);
	if (res != 0) {
		memo_put(m, x->mkey.p, x->mkey.n, h, res, &c.v,
		    x->steps - s0, x->req - r0, m->lent == x->serial);
		return res == 1 ? k(x, &c.v, ka) : res == 2 ? 0 : XR_ERR;
	}
	/* not to be kept: run it again with what comes after it, as if
	 * the first run had not been */
	m->skip++;
	x->steps = s0;
	x->req = r0;
	x->over = over0;
	return eval_node(x, n, in, k, ka);
}

/* The fields node n reads of its input, into m: 0, or -1 when it reads
 * more than XM_FIELDS, reads its input whole (unless whole says it
 * may), uses a variable bound outside it (bound: the slots bound
 * around it, inside the candidate), or holds a try (which would catch
 * what comes after the node: jq 1.6). */
static int
memo_reads(const struct xnode *n, uint64_t bound, int whole,
    struct xmemo *m)
{
	const struct xv *f;
	int i;

	if (n == NULL)
		return 0;
	switch (n->op) {
	case N_DOT:
		return whole ? 0 : -1;
	case N_CONST:
		return 0;
	case N_VAR:
		return n->slot >= 0 && n->slot < 64 &&
		    (bound >> n->slot & 1) ? 0 : -1;
	case N_INDEX:
		if (!whole && n->a->op == N_DOT && n->b->op == N_CONST &&
		    n->b->v.k == XK_STR) {
			f = &n->b->v;
			for (i = 0; i < m->nf; i++)
				if (m->f[i]->n == f->n &&
				    memcmp(m->f[i]->s, f->s, f->n) == 0)
					return 0;
			if (m->nf == XM_FIELDS)
				return -1;
			m->fh[m->nf] = fo_rec_keyhash(f->s, f->n);
			m->fid[m->nf] = fo_field_id(f->s, f->n);
			m->f[m->nf++] = f;
			return 0;
		}
		break;
	case N_PIPE:
		return memo_reads(n->a, bound, whole, m) ||
		    memo_reads(n->b, bound, 1, m) ? -1 : 0;
	case N_REDUCE:
		if (n->slot < 0 || n->slot >= 64)
			return -1;
		return memo_reads(n->a, bound, whole, m) ||
		    memo_reads(n->b, bound, whole, m) ||
		    memo_reads(n->c, bound | (uint64_t)1 << n->slot, 1, m) ?
		    -1 : 0;
	case N_BIND:
		if (n->slot < 0 || n->slot >= 64)
			return -1;
		return memo_reads(n->a, bound, whole, m) ||
		    memo_reads(n->b, bound | (uint64_t)1 << n->slot, whole,
		    m) ? -1 : 0;
	case N_TRY:
		return -1;
	case N_CALL:
		switch (n->sub) {
		case F_EMPTY:
		case F_FIRST:
			break;
		case F_ANY2:
		case F_ALL2:
			return memo_reads(n->a, bound, whole, m) ||
			    memo_reads(n->b, bound, 1, m) ? -1 : 0;
		default:
			/* every other builtin reads its input */
			if (!whole)
				return -1;
		}
		break;
	default:
		break;
	}
	/* the operands run on the node's input */
	return memo_reads(n->a, bound, whole, m) ||
	    memo_reads(n->b, bound, whole, m) ||
	    memo_reads(n->c, bound, whole, m) ? -1 : 0;
}

/* Whether n does work worth a memo: a regex, a string taken apart,
 * a loop. */
static int
memo_worth(const struct xnode *n)
{
	if (n == NULL)
		return 0;
	switch (n->op) {
	case N_REDUCE:
	case N_COLLECT:
	case N_SLICE:
	case N_EACH:
		return 1;
	case N_CALL:
		switch (n->sub) {
		case F_TEST: case F_SPLIT: case F_JOIN: case F_EXPLODE:
		case F_ANY0: case F_ANY1: case F_ANY2: case F_ALL0:
		case F_ALL1: case F_ALL2: case F_CONTAINS: case F_DOWN:
		case F_UP: case F_KEYS: case F_KEYSU: case F_TOSTRING:
		case F_TOJSON: case F_TONUMBER: case F_INDEX: case F_MAP:
		case F_IN2: case F_IN:
			return 1;
		case F_IN1:
			return n->set == NULL;
		}
		break;
	default:
		break;
	}
	return memo_worth(n->a) || memo_worth(n->b) || memo_worth(n->c);
}

/* Give memos to the widest nodes worth one that run on the record (or
 * on what their parent runs on) and read at most one field of it; where
 * none is found below, to one reading two. No memo node holds another.
 * 1 when a memo was given, 0 none, FO_ENOMEM. */
static int
memo_mark(struct fo_expr *e, struct xnode *n)
{
	struct xmemo t;
	int rc, r = 0, reads;

	/* nothing below a node not worth a memo is worth one either */
	if (n == NULL || n->op == N_CONST || n->op == N_DOT || !memo_worth(n))
		return 0;
	memset(&t, 0, sizeof t);
	reads = memo_reads(n, 0, 0, &t) == 0;
	if (!reads || t.nf > 1) {
		/* the operands that run on the same input as n */
		switch (n->op) {
		case N_PIPE:
		case N_EACH:
		case N_NEG:
		case N_COLLECT:
			r = memo_mark(e, n->a);
			break;
		case N_COMMA:
		case N_ALT:
		case N_AND:
		case N_OR:
		case N_BIN:
		case N_REDUCE:
		case N_BIND:
		case N_IF:
			/* (c: an if's else; none for the others) */
			if ((r = memo_mark(e, n->a)) < 0)
				return r;
			if ((rc = memo_mark(e, n->b)) < 0)
				return rc;
			r |= rc;
			if (n->op == N_IF && (rc = memo_mark(e, n->c)) < 0)
				return rc;
			r |= n->op == N_IF ? rc : 0;
			break;
		case N_CALL:
			if (n->sub == F_ANY2 || n->sub == F_ALL2 ||
			    n->sub == F_FIRST || n->sub == F_SELECT)
				r = memo_mark(e, n->a);
			break;
		default:
			break;
		}
		if (r != 0 || !reads)
			return r;
	}
	if ((n->memo = calloc(1, sizeof *n->memo)) == NULL)
		return FO_ENOMEM;
	*n->memo = t;
	return 1;
}

static void
memo_free(struct xmemo *m)
{
	if (m == NULL)
		return;
	free(m->ent);
	free(m->tab);
	free(m->keys);
	free(m);
}

/* A node with at most one output or an error and nothing else to do (.,
 * a constant, a variable, .key on such a node, and what mark_simple
 * marks): its value without a continuation. 1 and *v; 2 when it gives
 * no output; 0 when n is not one; or a status. Each case does what
 * eval() and its continuations do for that node, in the same order, so
 * errors come out the same. */
static int
simple_node(struct fo_xrun *x, const struct xnode *n, const struct xv *in,
    struct xv *v)
{
	struct xv t, u;
	int rc;

	switch (n->op) {
	case N_DOT:
		*v = *in;
		return 1;
	case N_CONST:
		*v = n->v;
		return 1;
	case N_VAR:
		*v = x->vars[n->slot];
		return 1;
	case N_INDEX:
		if (n->opt || (n->b->op != N_CONST && !n->simp))
			return 0;
		if (n->b->op == N_CONST) {
			if ((rc = simple(x, n->a, in, &t)) != 1)
				return rc;
			rc = index_node(x, n, &t, v);
			return rc != 0 ? rc : 1;
		}
		/* $x[.]: the key first, as eval (k_idx1) */
		if ((rc = simple(x, n->b, in, &u)) != 1 ||
		    (rc = simple(x, n->a, in, &t)) != 1)
			return rc;
		rc = index_get(x, &t, &u, v);
		return rc != 0 ? rc : 1;
	default:
		break;
	}
	if (!n->simp)
		return 0;
	switch (n->op) {
	case N_PIPE:
		if ((rc = simple(x, n->a, in, &t)) != 1)
			return rc;
		return simple(x, n->b, &t, v);
	case N_ALT:
		/* the first operand's truthy output, else the second's */
		if ((rc = simple(x, n->a, in, &t)) < 0)
			return rc;
		if (rc == 1 && truthy(&t)) {
			*v = t;
			return 1;
		}
		return simple(x, n->b, in, v);
	case N_AND:
	case N_OR:
		if ((rc = simple(x, n->a, in, &t)) != 1)
			return rc;
		if (n->op == N_AND ? !truthy(&t) : truthy(&t)) {
			*v = n->op == N_AND ? v_false : v_true;
			return 1;
		}
		if ((rc = simple(x, n->b, in, &u)) != 1)
			return rc;
		*v = truthy(&u) ? v_true : v_false;
		return 1;
	case N_BIN:
		/* the right operand first, as jq */
		if ((rc = simple(x, n->b, in, &u)) != 1 ||
		    (rc = simple(x, n->a, in, &t)) != 1)
			return rc;
		return (rc = binop(x, n->sub, &t, &u, v)) != 0 ? rc : 1;
	case N_NEG:
		if ((rc = simple(x, n->a, in, &t)) != 1)
			return rc;
		if (t.k != XK_NUM)
			return XR_ERR;
		*v = mknum(-t.d);
		return 1;
	case N_CALL:
		return simple_call(x, n, in, v);
	default:
		return 0;
	}
}

static inline int
simple(struct fo_xrun *x, const struct xnode *n, const struct xv *in,
    struct xv *v)
{
	if (n->memo != NULL)
		return memo_simple(x, n, in, v);
	/* a third of the nodes asked: their value without a call */
	if (n->op == N_CONST) {
		*v = n->v;
		return 1;
	}
	if (n->op == N_DOT) {
		*v = *in;
		return 1;
	}
	/* .field, as simple_node's N_INDEX of a . without a memo */
	if (n->op == N_INDEX && !n->opt && n->b->op == N_CONST &&
	    n->a->op == N_DOT && n->a->memo == NULL) {
		int rc = index_node(x, n, in, v);

		return rc != 0 ? rc : 1;
	}
	return simple_node(x, n, in, v);
}

static int
eval(struct fo_xrun *x, const struct xnode *n, const struct xv *in, xk *k,
    void *ka)
{
	if (++x->steps > max_steps)
		return XR_LIMIT;
	if (n->memo != NULL)
		return memo_eval(x, n, in, k, ka);
	return eval_node(x, n, in, k, ka);
}

/* eval() of n itself, its step counted. */
static int
eval_node(struct fo_xrun *x, const struct xnode *n, const struct xv *in,
    xk *k, void *ka)
{
	struct kc c;
	struct xv sa, sb;
	struct xv r;
	int rc;

	/* at most one output, no generator: no continuation to go through */
	if (n->simp && n->op != N_DOT && n->op != N_CONST) {
		if ((rc = simple_node(x, n, in, &r)) == 1)
			return k(x, &r, ka);
		if (rc != 0)
			return rc == 2 ? 0 : rc;
	}
	/* only what the continuations read: this runs for every node */
	c.k = k;
	c.ka = ka;
	c.n = n;
	c.in = in;
	c.found = c.count = 0;
	c.b.v = NULL;
	c.b.n = c.b.cap = 0;
	switch (n->op) {
	case N_DOT:
		return k(x, in, ka);
	case N_CONST:
		return k(x, &n->v, ka);
	case N_VAR:
		return k(x, &x->vars[n->slot], ka);
	case N_INDEX:
		if (n->b->op == N_CONST) {
			c.v1 = &n->b->v;
			if (n->a->op == N_DOT)
				return k_idx2(x, in, &c);
			return eval(x, n->a, in, k_idx2, &c);
		}
		return eval(x, n->b, in, k_idx1, &c);
	case N_SLICE:
		if (n->b == NULL)
			return k_slice1(x, &v_null, &c);
		return eval(x, n->b, in, k_slice1, &c);
	case N_EACH:
		return eval(x, n->a, in, k_each, &c);
	case N_PIPE:
		return eval(x, n->a, in, k_pipe, &c);
	case N_COMMA:
		if ((rc = eval(x, n->a, in, k, ka)) != 0)
			return rc;
		return eval(x, n->b, in, k, ka);
	case N_ALT:
		if ((rc = eval(x, n->a, in, k_alt, &c)) != 0)
			return rc;
		return c.found ? 0 : eval(x, n->b, in, k, ka);
	case N_AND:
	case N_OR:
		return eval(x, n->a, in, k_and, &c);
	case N_BIN:
		/* one value each side: no continuations to go through (the
		 * right operand first, as jq, for which error comes out) */
		if ((rc = simple(x, n->b, in, &sb)) == 1 &&
		    (rc = simple(x, n->a, in, &sa)) == 1) {
			if ((rc = binop(x, n->sub, &sa, &sb, &r)) != 0)
				return rc;
			return k(x, &r, ka);
		}
		if (rc < 0)
			return rc;
		/* jq evaluates the right operand in the outer loop */
		return eval(x, n->b, in, k_bin1, &c);
	case N_NEG:
		return eval(x, n->a, in, k_neg, &c);
	case N_IF:
		return eval(x, n->a, in, k_if, &c);
	case N_REDUCE:
		return eval(x, n->b, in, k_red_init, &c);
	case N_BIND:
		return eval(x, n->a, in, k_bind, &c);
	case N_TRY:
		rc = eval(x, n->a, in, k, ka);
		/* jq 1.6: a try catches errors and breaks raised anywhere
		 * while its body is running, downstream ones included */
		return rc == XR_ERR || rc > 0 ? 0 : rc;
	case N_COLLECT:
		if ((rc = eval(x, n->a, in, k_collect, &c)) != 0)
			return rc;
		r = build_arr(&c.b);
		return k(x, &r, ka);
	case N_CALL:
		return call(x, n, in, k, ka);
	}
	return XR_ERR;
}

/* The wrappers of jqprog.c: [first(EXPR)], errors caught. */
static int
k_top(struct fo_xrun *x, const struct xv *v, void *arg)
{
	struct kc *c = arg;

	(void)x;
	if (!c->found) {
		c->found = 1;
		c->state = *v;
	}
	return c->label;
}

static int
pinned(const struct fo_xrun *x, const struct fo_rec *r)
{
	return x->pin == r && x->pintext == r->text && x->pinlen == r->len &&
	    x->pinntok == r->ntok;
}

static void
run_setup(struct fo_xrun *x, const struct fo_rec *r)
{
	arena_reset(x);
	/* the same text is the same record, tokens and all */
	if (!pinned(x, r) && (r->ntok != x->rntok || r->len != x->rtext.n ||
	    memcmp(r->text, x->rtext.p, r->len) != 0)) {
		fo_buf_reset(&x->rtext);
		fo_buf_put(&x->rtext, r->text, r->len);
		x->rntok = r->ntok;
		tv_reset(x, r);
		if (x->rtext.oom) {
			x->rtext.oom = 0;
			x->rtext.n = (size_t)-1;
		}
	}
	x->r = r;
	x->steps = 0;
	x->serial++;
	x->labels = 0;
}

/*
 * A new record: what tokval kept is dropped without comparing texts (a
 * record repeating the one before is rare, and the compare and copy
 * cost as much as the reads they would spare). The copy is marked
 * unlike any text, so that the record, once no longer pinned, is
 * compared and kept again by run_setup.
 */
void
fo_xrun_record(struct fo_xrun *x, const struct fo_rec *r)
{
	tv_reset(x, r);
	x->rtext.n = (size_t)-1;
	x->rntok = r->ntok;
	x->pin = r;
	x->pintext = r->text;
	x->pinlen = r->len;
	x->pinntok = r->ntok;
	run_setup(x, r);
}

/* ------------------------------------------------------------------ */
/* Guards: what a condition needs of the record to be true at all, found
 * when it is compiled (a string field equal to one of some literals, a
 * member of an array field equal to one), checked by a hash lookup
 * before the condition runs. A guard is only ever a necessary
 * condition: when it holds, the whole condition still decides. */

enum { G_FIELD_IN, G_ANY_IN, G_TYPE, G_MEMBERS, G_ANY_UNKNOWN, G_AND,
	G_OR, G_KEYSUB, G_HASKEY, G_CMP2 };

struct xguard {
	int kind;
	const char *field;	/* the top-level key it reads */
	size_t fieldn;
	uint32_t fieldh;	/* its fo_rec_keyhash */
	int fid;		/* its fo_field_id */
	const struct xv *alt;	/* G_FIELD_IN, G_TYPE: (.f // alt) */
	const struct xv *known;	/* G_ANY_UNKNOWN: K, pre, post */
	const struct xv *pre, *post;
	const struct xguard *a, *b;	/* G_AND, G_OR */
	const struct xv *lit;	/* the string literals */
	size_t nlit;
	uint32_t lith;		/* G_HASKEY: the key's fo_rec_keyhash */
	unsigned kinds;		/* G_TYPE: 1 << XK_ of the kinds it takes */
	const unsigned *tab;	/* open addressing: literal index + 1 */
	size_t mask;
	/* G_CMP2: .field OP .field2, OP one of < <= > >= (enum xbin) */
	const char *field2;
	size_t fieldn2;
	uint32_t fieldh2;
	int fid2;
	int op;
};

static int
lit_has(const struct xguard *g, const char *s, size_t n)
{
	size_t i;
	unsigned j;

	for (i = key_hash(s, n) & g->mask; (j = g->tab[i]) != 0;
	    i = (i + 1) & g->mask)
		if (g->lit[j - 1].n == n && fo_same(g->lit[j - 1].s, s, n))
			return 1;
	return 0;
}

/* Whether s holds t (bytes, as memmem). */
static int
has_sub(const char *s, size_t n, const char *t, size_t tn)
{
	size_t i;

	if (tn == 0)
		return 1;
	for (i = 0; i + tn <= n; i++)
		if (s[i] == t[0] && memcmp(s + i, t, tn) == 0)
			return 1;
	return 0;
}

/* G_KEYSUB: some key of the object holds one of the literals. It reads
 * the keys alone, never a value: its verdict is the keys' (atoms_test). */
static int
keysub(struct fo_xrun *x, const struct xguard *g, const struct xv *v)
{
	struct xv k;
	struct xit it;
	size_t i;
	int rc;

	if (v->k != XK_OBJ)
		return 1;
	it_start(x, &it, v);
	while ((rc = it_next(x, &it, &k, NULL)) == 1)
		for (i = 0; i < g->nlit; i++)
			if (k.k != XK_STR ||
			    has_sub(k.s, k.n, g->lit[i].s, g->lit[i].n))
				return 1;
	return rc != 0;
}

/* G_CMP2 on a record whose .field is *a: whether .field OP .field2 may
 * be true, as binop gives it (jq's order of any two values); a doubt
 * (no memory, too deep) lets the rule in. */
static int
cmp2_may(struct fo_xrun *x, const struct xguard *g, const struct xv *a)
{
	struct xv b, r;
	int t;

	t = root_field(x, g->fid2, g->field2, g->fieldn2, g->fieldh2);
	if (t < 0)
		b = v_null;
	else if (tokval(x, t, &b) != 0)
		return 1;
	return binop(x, g->op, a, &b, &r) != 0 || r.k == XK_TRUE;
}

/* 0 when the record cannot match, 1 when it may (or on any doubt). */
static int
guard_may(struct fo_xrun *x, const struct xguard *g)
{
	struct xv v, m;
	struct xit it;
	int rc, t;

	switch (g->kind) {
	case G_AND:
		return guard_may(x, g->a) && guard_may(x, g->b);
	case G_OR:
		return guard_may(x, g->a) || guard_may(x, g->b);
	}
	/* the record's own top level, its key hashed when compiled */
	t = root_field(x, g->fid, g->field, g->fieldn, g->fieldh);
	if (t < 0)
		v = v_null;
	else if (tokval(x, t, &v) != 0)
		return 1;
	if (g->kind == G_CMP2)
		return cmp2_may(x, g, &v);
	if (g->alt != NULL && (v.k == XK_NULL || v.k == XK_FALSE))
		v = *g->alt;
	if (g->kind == G_TYPE)
		return (g->kinds >> v.k) & 1;
	if (g->kind == G_FIELD_IN)
		return v.k == XK_STR && lit_has(g, v.s, v.n);
	if (v.k != XK_ARR && v.k != XK_OBJ)
		return 0;
	if (g->kind == G_MEMBERS)
		return vsize(x, &v) > 0;
	if (g->kind == G_KEYSUB)
		return keysub(x, g, &v);
	if (g->kind == G_HASKEY) {
		if (v.k != XK_OBJ || v.tok < 0)
			return v.k == XK_OBJ;
		if ((t = fo_rec_member_h(x->r, v.tok, g->lit->s, g->lit->n,
		    g->lith)) < 0)
			return 0;
		return tokval(x, t, &m) != 0 || truthy(&m);
	}
	if (g->kind == G_ANY_UNKNOWN) {
		it_start(x, &it, &v);
		while ((rc = it_next(x, &it, NULL, &m)) == 1) {
			struct xv needle;
			char *p;

			if (m.k != XK_STR)
				return 1;
			/* "|" + $c + "|" in "|A|B|": $c one of the parts */
			if (g->tab != NULL && memchr(m.s, '|', m.n) == NULL &&
			    memchr(m.s, '\0', m.n) == NULL) {
				if (!lit_has(g, m.s, m.n))
					return 1;
				continue;
			}
			needle = mkstr(NULL, g->pre->n + m.n + g->post->n);
			if ((p = xalloc(x, needle.n + 1)) == NULL)
				return 1;
			memcpy(p, g->pre->s, g->pre->n);
			memcpy(p + g->pre->n, m.s, m.n);
			memcpy(p + g->pre->n + m.n, g->post->s, g->post->n);
			needle.s = p;
			if (contains(x, g->known, &needle, 0) == 0)
				return 1;
		}
		return rc != 0;
	}
	it_start(x, &it, &v);
	while ((rc = it_next(x, &it, NULL, &m)) == 1)
		if (m.k == XK_STR && lit_has(g, m.s, m.n))
			return 1;
	return rc != 0;
}

static int
run_first(const struct fo_expr *e, const struct xnode *top, struct fo_xrun *x,
    const struct fo_rec *r, struct xv *out, int *have)
{
	struct kc c = { NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0,
	    { 0, 0, 0, 0, NULL, NULL }, { NULL, 0, 0 } };
	struct xv root;
	int rc;

	*have = 0;
	run_setup(x, r);
	if (e->nslots > x->nvars) {
		struct xv *v = realloc(x->vars, (size_t)e->nslots * sizeof *v);

		if (v == NULL)
			return XR_NOMEM;
		x->vars = v;
		x->nvars = e->nslots;
	}
	if ((rc = tokval(x, 0, &root)) != 0)
		return rc;
	c.label = ++x->labels;
	rc = eval(x, top, &root, k_top, &c);
	if (rc == c.label)
		rc = 0;
	if (rc == 0 && c.found) {
		*have = 1;
		*out = c.state;
	}
	return rc;
}

/* Whether e->rest may stand for e->root on the record: the clauses it
 * leaves out read no string with an escape (whose decoding the scratch
 * bound counts: fo-rules.5, Budget). */
static int
rest_plain(struct fo_xrun *x, const struct fo_expr *e)
{
	const struct xguard *g;
	size_t i;
	int t;

	for (i = 0; i < e->nskip; i++) {
		g = e->skip[i];
		t = root_field(x, g->fid, g->field, g->fieldn, g->fieldh);
		if (fo_rec_esc(x->r, t))
			return 0;
	}
	return 1;
}

/*
 * run_first for a condition that simple() computes whole: the same
 * step (eval's one for the top node), the same memo, the same verdict,
 * without the continuation a generator needs. RUN_GENERIC when simple()
 * cannot compute it on this record: run_first then starts again, the
 * record set up afresh.
 */
#define RUN_GENERIC	1

static int
run_simple(const struct xnode *top, struct fo_xrun *x,
    const struct fo_rec *r, struct xv *out, int *have)
{
	struct xv root;
	int rc;

	*have = 0;
	run_setup(x, r);
	if ((rc = tokval(x, 0, &root)) != 0)
		return rc;
	if (++x->steps > max_steps)
		return XR_LIMIT;
	switch ((rc = simple(x, top, &root, out))) {
	case 1:
		*have = 1;
		return 0;
	case 2:
		return 0;
	case 0:
		return RUN_GENERIC;
	default:
		return rc;
	}
}

/* The first output of top (e's root or rest) on r: without a
 * continuation when simple() may compute it, as run_simple says. */
static int
run_top(const struct fo_expr *e, const struct xnode *top, struct fo_xrun *x,
    const struct fo_rec *r, struct xv *out, int *have)
{
	int rc;

	rc = top->simp && top->op != N_DOT && top->op != N_CONST &&
	    e->nslots == 0 ? run_simple(top, x, r, out, have) : RUN_GENERIC;
	if (rc == RUN_GENERIC)
		rc = run_first(e, top, x, r, out, have);
	return rc;
}

static int
cond_run(const struct fo_expr *e, struct fo_xrun *x, const struct fo_rec *r,
    int guarded)
{
	const struct xnode *top = e->root;
	struct xv v;
	int have, rc;

	if (guarded && e->guard != NULL) {
		run_setup(x, r);
		if (fo_rec_type(r, 0) == FO_J_OBJECT && !guard_may(x, e->guard))
			return 0;
	}
	if (!guarded && e->rest != NULL) {
		run_setup(x, r);
		if (rest_plain(x, e))
			top = e->rest;
	}
	rc = run_top(e, top, x, r, &v, &have);
	if (rc == XR_NOMEM)
		return FO_ENOMEM;
	if (rc == XR_LIMIT)
		return FO_ERR;
	return rc == 0 && have && truthy(&v);
}

int
fo_expr_cond(const struct fo_expr *e, struct fo_xrun *x,
    const struct fo_rec *r)
{
	return cond_run(e, x, r, 1);
}

int
fo_expr_cond_planned(const struct fo_expr *e, struct fo_xrun *x,
    const struct fo_rec *r)
{
	return cond_run(e, x, r, 0);
}

int
fo_expr_frag(const struct fo_expr *e, struct fo_xrun *x,
    const struct fo_rec *r, struct fo_buf *out)
{
	struct xv v;
	size_t n0 = out->n;
	int have, rc;

	rc = run_top(e, e->root, x, r, &v, &have);
	if (rc == XR_NOMEM)
		return FO_ENOMEM;
	if (rc == 0 && have && v.k == XK_STR)
		fo_buf_put(out, v.s, v.n);
	else if (rc == 0 && have) {
		if (put_json(x, &v, out, 0) != 0) {
			out->n = n0;
			fo_buf_putc(out, '?');
		}
	} else
		fo_buf_putc(out, '?');
	if (out->oom)
		return FO_ENOMEM;
	return rc == XR_LIMIT ? FO_ERR : FO_OK;
}

void
fo_expr_memos(const struct fo_expr *e, size_t *nodes, unsigned long *look,
    unsigned long *hit)
{
	const struct xnode *n;

	*nodes = 0;
	*look = *hit = 0;
	for (n = e->nodes; n; n = n->next)
		if (n->memo) {
			(*nodes)++;
			*look += n->memo->look;
			*hit += n->memo->hit;
		}
}

void
fo_expr_budget(unsigned long steps, size_t bytes)
{
	max_steps = steps;
	max_arena = bytes;
}

void
fo_expr_budget_get(unsigned long *steps, size_t *bytes)
{
	*steps = max_steps;
	*bytes = max_arena;
}

int
fo_expr_budget_parse(const char *s, struct fo_err *e)
{
	unsigned long long steps, mib = max_arena >> 20;
	const char *arg = s;
	char *end;

	errno = 0;
	steps = strtoull(s, &end, 10);
	if (end != s && *end == ',' && errno == 0) {
		s = end + 1;
		mib = strtoull(s, &end, 10);
	}
	if (errno || end == s || *end || *s == '-' || steps < 1000 ||
	    steps > 1000000000000ULL || mib < 1 || mib > 65536) {
		fo_err_set(e, NULL, 0, 0, "--rule-budget '%s': STEPS[,MIB]: "
		    "1000 to 10^12 steps, 1 to 65536 MiB", arg);
		return FO_ERR;
	}
	fo_expr_budget((unsigned long)steps, (size_t)mib << 20);
	return FO_OK;
}

/* ------------------------------------------------------------------ */
/* The parser: jq 1.6's grammar for the subset, with its precedences
 * ('|' < ',' < '//' < or < and < comparisons < + - < * / %, unary minus
 * at the level of + -, postfix '?' above all). */

enum xtok {
	T_EOF, T_DOT, T_FIELD, T_NUM, T_STR, T_IDENT, T_VAR, T_PIPE,
	T_COMMA, T_ALT, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_PLUS, T_MINUS,
	T_STAR, T_SLASH, T_PCT, T_Q, T_LP, T_RP, T_LB, T_RB, T_LC, T_RC,
	T_COLON, T_SEMI, T_BAD
};

struct xscope {
	const char *name;
	size_t n;
	int slot;
};

struct xparse {
	struct fo_expr *e;
	const char *src, *p;
	const struct fo_jqparam *par;
	size_t npar;
	enum xtok tok;
	const char *ts;		/* token start */
	size_t tn;		/* token length */
	double num;
	char *str;		/* T_STR decoded, owned by e */
	size_t strn;
	int depth;
	struct xscope scope[64];
	int nscope;
	struct fo_err *why;
	int failed;
};

static void *
own(struct fo_expr *e, size_t n)
{
	void *p, **v;
	size_t cap;

	if (e->nown == e->capown) {
		cap = e->capown ? e->capown * 2 : 16;
		if ((v = realloc(e->own, cap * sizeof *v)) == NULL)
			return NULL;
		e->own = v;
		e->capown = cap;
	}
	if ((p = malloc(n ? n : 1)) == NULL)
		return NULL;
	e->own[e->nown++] = p;
	return p;
}

static struct xnode *
fail(struct xparse *ps, const char *at, const char *msg)
{
	if (!ps->failed) {
		ps->failed = 1;
		if (ps->why != NULL)
			fo_err_set(ps->why, NULL, 0, (long)(at - ps->src) + 1,
			    "%s", msg);
	}
	return NULL;
}

static struct xnode *
newnode(struct xparse *ps, enum xop op)
{
	struct xnode *n;

	if (ps->e->nnodes >= X_MAX_NODES)
		return fail(ps, ps->ts, "expression too large");
	if ((n = calloc(1, sizeof *n)) == NULL) {
		ps->failed = 2;
		return NULL;
	}
	n->op = op;
	n->slot = -1;
	n->fid = -1;
	n->v = v_null;
	n->next = ps->e->nodes;
	ps->e->nodes = n;
	ps->e->nnodes++;
	return n;
}

static int
is_ident(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (c >= '0' && c <= '9');
}

/* A string literal: escapes as JSON has them; interpolation and
 * surrogates without their partner are left to jq. */
static int
lex_string(struct xparse *ps)
{
	const char *p = ps->ts + 1, *start = ps->ts;
	char *o;
	long cp, lo;
	size_t n = 0;

	if ((o = own(ps->e, strlen(p) + 1)) == NULL) {
		ps->failed = 2;
		return -1;
	}
	for (;;) {
		if (*p == '\0') {
			fail(ps, start, "string not closed");
			return -1;
		}
		if (*p == '"')
			break;
		if (*p != '\\') {
			o[n++] = *p++;
			continue;
		}
		switch (p[1]) {
		case '"':
		case '\\':
		case '/':
			o[n++] = p[1];
			break;
		case 'b':
			o[n++] = '\b';
			break;
		case 'f':
			o[n++] = '\f';
			break;
		case 'n':
			o[n++] = '\n';
			break;
		case 'r':
			o[n++] = '\r';
			break;
		case 't':
			o[n++] = '\t';
			break;
		case 'u':
			if ((cp = fo_hex4(p + 2)) < 0) {
				fail(ps, p, "bad \\u escape");
				return -1;
			}
			p += 6;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (p[0] != '\\' || p[1] != 'u' ||
				    (lo = fo_hex4(p + 2)) < 0xdc00 ||
				    lo > 0xdfff) {
					fail(ps, p, "lone surrogate escape");
					return -1;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				fail(ps, p, "lone surrogate escape");
				return -1;
			}
			n += fo_utf8_put((unsigned long)cp, o + n);
			continue;
		case '(':
			fail(ps, p, "string interpolation");
			return -1;
		default:
			fail(ps, p, "bad escape");
			return -1;
		}
		p += 2;
	}
	o[n] = '\0';
	ps->str = o;
	ps->strn = n;
	ps->p = p + 1;
	return 0;
}

/* The length of jq 1.6's number lexeme at s: [0-9.]+([eE][+-]?[0-9]+)? */
static size_t
num_len(const char *s)
{
	const char *e = s;

	while ((*e >= '0' && *e <= '9') || *e == '.')
		e++;
	if (e > s && (*e == 'e' || *e == 'E') && ((e[1] >= '0' &&
	    e[1] <= '9') || ((e[1] == '+' || e[1] == '-') && e[2] >= '0' &&
	    e[2] <= '9')))
		for (e += 2; *e >= '0' && *e <= '9'; e++)
			;
	return (size_t)(e - s);
}

static void
next(struct xparse *ps)
{
	const char *p = ps->p;
	char *end;
	size_t nl;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p != '#')
			break;
		while (*p && *p != '\n')
			p++;
	}
	ps->ts = p;
	ps->p = p + 1;
	switch (*p) {
	case '\0':
		ps->tok = T_EOF;
		ps->p = p;
		break;
	case '.':
		/* jq 1.6 lexes [0-9.]+([eE][+-]?[0-9]+)? as a number
		 * before a field of the same length: ".e10" is a number
		 * jq then refuses, ".e10x" a field */
		nl = num_len(p);
		if (!is_ident((unsigned char)p[1]) && nl > 1 &&
		    (nl > 2 || p[1] != '.'))
			goto number;
		if ((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' &&
		    p[1] <= 'Z') || p[1] == '_') {
			for (ps->p = p + 1; is_ident((unsigned char)*ps->p);
			    ps->p++)
				;
			ps->tok = T_FIELD;
			if ((size_t)(ps->p - p) <= nl)
				goto number;
		} else if (p[1] == '.')
			ps->tok = T_BAD;
		else
			ps->tok = T_DOT;
		break;
	case '"':
		ps->tok = lex_string(ps) == 0 ? T_STR : T_BAD;
		break;
	case '$':
		if (!((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' &&
		    p[1] <= 'Z') || p[1] == '_')) {
			ps->tok = T_BAD;
			break;
		}
		for (ps->p = p + 1; is_ident((unsigned char)*ps->p); ps->p++)
			;
		ps->tok = *ps->p == ':' && ps->p[1] == ':' ? T_BAD : T_VAR;
		break;
	case '|':
		ps->tok = p[1] == '=' ? T_BAD : T_PIPE;
		break;
	case ',':
		ps->tok = T_COMMA;
		break;
	case '/':
		if (p[1] == '/') {
			ps->p = p + 2;
			ps->tok = *ps->p == '=' ? T_BAD : T_ALT;
		} else
			ps->tok = p[1] == '=' ? T_BAD : T_SLASH;
		break;
	case '=':
		if (p[1] == '=') {
			ps->p = p + 2;
			ps->tok = T_EQ;
		} else
			ps->tok = T_BAD;
		break;
	case '!':
		if (p[1] == '=') {
			ps->p = p + 2;
			ps->tok = T_NE;
		} else
			ps->tok = T_BAD;
		break;
	case '<':
	case '>':
		if (p[1] == '=') {
			ps->p = p + 2;
			ps->tok = *p == '<' ? T_LE : T_GE;
		} else
			ps->tok = *p == '<' ? T_LT : T_GT;
		break;
	case '+':
	case '-':
	case '*':
	case '%':
		if (p[1] == '=')
			ps->tok = T_BAD;
		else
			ps->tok = *p == '+' ? T_PLUS : *p == '-' ? T_MINUS :
			    *p == '*' ? T_STAR : T_PCT;
		break;
	case '?':
		ps->tok = p[1] == '/' && p[2] == '/' ? T_BAD : T_Q;
		break;
	case '(':
		ps->tok = T_LP;
		break;
	case ')':
		ps->tok = T_RP;
		break;
	case '[':
		ps->tok = T_LB;
		break;
	case ']':
		ps->tok = T_RB;
		break;
	case '{':
		ps->tok = T_LC;
		break;
	case '}':
		ps->tok = T_RC;
		break;
	case ':':
		ps->tok = T_COLON;
		break;
	case ';':
		ps->tok = T_SEMI;
		break;
	default:
		if (*p >= '0' && *p <= '9')
			goto number;
		if (is_ident((unsigned char)*p)) {
			for (ps->p = p; is_ident((unsigned char)*ps->p);
			    ps->p++)
				;
			ps->tok = *ps->p == ':' && ps->p[1] == ':' ? T_BAD :
			    T_IDENT;
			break;
		}
		ps->tok = T_BAD;
		break;
	}
	ps->tn = (size_t)(ps->p - ps->ts);
	return;
number:
	/* jq reads the whole lexeme as a number or refuses it: "1.2.3",
	 * ".e1" */
	end = (char *)p + num_len(p);
	{
		char buf[128], *stop;
		size_t n = (size_t)(end - p);

		if (n >= sizeof buf) {
			ps->tok = T_BAD;
			ps->p = end;
			ps->tn = n;
			return;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		ps->num = strtod(buf, &stop);
		if (stop != buf + n) {
			ps->tok = T_BAD;
			ps->p = end;
			ps->tn = n;
			return;
		}
	}
	ps->tok = T_NUM;
	ps->p = end;
	ps->tn = (size_t)(end - p);
}

static int
is_word(const struct xparse *ps, const char *w)
{
	return ps->tok == T_IDENT && ps->tn == strlen(w) &&
	    memcmp(ps->ts, w, ps->tn) == 0;
}

static int
is_keyword(const struct xparse *ps)
{
	static const char *const kw[] = { "as", "import", "include",
	    "module", "def", "if", "then", "elif", "else", "end", "reduce",
	    "foreach", "and", "or", "try", "catch", "label", "__loc__",
	    NULL };
	int i;

	for (i = 0; kw[i]; i++)
		if (is_word(ps, kw[i]))
			return 1;
	return 0;
}

static struct xnode *parse_pipe(struct xparse *);

static struct xnode *
expect(struct xparse *ps, enum xtok t, const char *what, struct xnode *n)
{
	if (n == NULL)
		return NULL;
	if (ps->tok != t)
		return fail(ps, ps->ts, what);
	next(ps);
	return n;
}

static struct xnode *
mk2(struct xparse *ps, enum xop op, struct xnode *a, struct xnode *b)
{
	struct xnode *n;

	if (a == NULL || b == NULL || (n = newnode(ps, op)) == NULL)
		return NULL;
	n->a = a;
	n->b = b;
	return n;
}

static struct xnode *
mkconst(struct xparse *ps, struct xv v)
{
	struct xnode *n = newnode(ps, N_CONST);

	if (n)
		n->v = v;
	return n;
}

static struct xnode *
mkindex(struct xparse *ps, struct xnode *obj, struct xnode *key)
{
	struct xnode *n = mk2(ps, N_INDEX, obj, key);

	if (n && ps->tok == T_Q) {
		n->opt = 1;
		next(ps);
	}
	return n;
}

/* The value of a param as jqprog.c gives it to jq. */
static struct xv
param_value(struct xparse *ps, const struct fo_jqparam *p)
{
	const char *s = p->value;
	size_t n = strlen(s);
	char *end;
	double d;

	if (p->plain) {
		if (strcmp(s, "true") == 0)
			return v_true;
		if (strcmp(s, "false") == 0)
			return v_false;
		if (strcmp(s, "null") == 0)
			return v_null;
		/* JSON's number grammar exactly, as jv_parse would take it */
		{
			const char *q = s;

			if (*q == '-')
				q++;
			if (*q == '0')
				q++;
			else if (*q >= '1' && *q <= '9')
				while (*q >= '0' && *q <= '9')
					q++;
			else
				goto str;
			if (*q == '.') {
				if (!(q[1] >= '0' && q[1] <= '9'))
					goto str;
				for (q++; *q >= '0' && *q <= '9'; q++)
					;
			}
			if (*q == 'e' || *q == 'E') {
				q++;
				if (*q == '+' || *q == '-')
					q++;
				if (!(*q >= '0' && *q <= '9'))
					goto str;
				while (*q >= '0' && *q <= '9')
					q++;
			}
			if (*q != '\0')
				goto str;
			d = strtod(s, &end);
			return mknum(d);
		}
	}
str:
	(void)ps;
	return mkstr(s, n);
}

/* $name: a variable in scope, else a param. */
static struct xnode *
parse_var(struct xparse *ps)
{
	const char *name = ps->ts + 1;
	size_t n = ps->tn - 1, i;
	struct xnode *v;
	int k;

	for (k = ps->nscope - 1; k >= 0; k--)
		if (ps->scope[k].n == n && memcmp(ps->scope[k].name, name,
		    n) == 0) {
			if ((v = newnode(ps, N_VAR)) == NULL)
				return NULL;
			v->slot = ps->scope[k].slot;
			next(ps);
			return v;
		}
	for (i = 0; i < ps->npar; i++)
		if (fo_named(ps->par[i].name, name, n)) {
			next(ps);
			/* a param is a variable to jq: never folded */
			if ((v = mkconst(ps, param_value(ps, &ps->par[i]))))
				v->slot = -2;
			return v;
		}
	return fail(ps, ps->ts, "variable not defined");
}

/* A constant object {"k": literal, ...}; anything more to jq. */
static struct xnode *
parse_object(struct xparse *ps)
{
	struct xv *kv = NULL, *nkv, key, val;
	size_t n = 0, cap = 0, i;
	const char *at = ps->ts;
	int neg;

	next(ps);
	while (ps->tok != T_RC) {
		if (ps->tok == T_STR)
			key = mkstr(ps->str, ps->strn);
		else if (ps->tok == T_IDENT && !is_keyword(ps)) {
			char *s = own(ps->e, ps->tn + 1);

			if (s == NULL) {
				ps->failed = 2;
				return NULL;
			}
			memcpy(s, ps->ts, ps->tn);
			s[ps->tn] = '\0';
			key = mkstr(s, ps->tn);
		} else
			return fail(ps, ps->ts, "object key not a constant");
		next(ps);
		if (ps->tok != T_COLON)
			return fail(ps, ps->ts, "object shorthand");
		next(ps);
		neg = 0;
		if (ps->tok == T_MINUS) {
			neg = 1;
			next(ps);
		}
		if (ps->tok == T_NUM)
			val = mknum(neg ? -ps->num : ps->num);
		else if (neg)
			return fail(ps, ps->ts, "object value not a constant");
		else if (ps->tok == T_STR)
			val = mkstr(ps->str, ps->strn);
		else if (is_word(ps, "true"))
			val = v_true;
		else if (is_word(ps, "false"))
			val = v_false;
		else if (is_word(ps, "null"))
			val = v_null;
		else
			return fail(ps, ps->ts, "object value not a constant");
		next(ps);
		if (ps->tok != T_COMMA && ps->tok != T_RC)
			return fail(ps, ps->ts, "object value not a constant");
		/* a repeated key keeps its place and takes the last value */
		for (i = 0; i < n; i++)
			if (strcmp_v(&kv[2 * i], &key) == 0)
				break;
		if (i < n)
			kv[2 * i + 1] = val;
		else {
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				if ((nkv = own(ps->e, 2 * cap * sizeof *nkv)) ==
				    NULL) {
					ps->failed = 2;
					return NULL;
				}
				if (n)
					memcpy(nkv, kv, 2 * n * sizeof *nkv);
				kv = nkv;
			}
			kv[2 * n] = key;
			kv[2 * n + 1] = val;
			n++;
		}
		if (ps->tok == T_COMMA) {
			next(ps);
			if (ps->tok == T_RC)
				return fail(ps, ps->ts, "object syntax");
		}
	}
	next(ps);
	(void)at;
	{
		struct xv o = { XK_OBJ, -1, n, 0, NULL, kv };

		return mkconst(ps, o);
	}
}

struct xbuiltin {
	const char *name;
	int nargs;
	enum xfn fn;
};

static const struct xbuiltin builtins[] = {
	{ "empty", 0, F_EMPTY }, { "not", 0, F_NOT },
	{ "length", 0, F_LENGTH }, { "type", 0, F_TYPE },
	{ "numbers", 0, F_NUMBERS }, { "strings", 0, F_STRINGS },
	{ "values", 0, F_VALUES }, { "nulls", 0, F_NULLS },
	{ "booleans", 0, F_BOOLEANS }, { "arrays", 0, F_ARRAYS },
	{ "objects", 0, F_OBJECTS }, { "ascii_downcase", 0, F_DOWN },
	{ "ascii_upcase", 0, F_UP }, { "keys", 0, F_KEYS },
	{ "keys_unsorted", 0, F_KEYSU }, { "explode", 0, F_EXPLODE },
	{ "tostring", 0, F_TOSTRING }, { "tojson", 0, F_TOJSON },
	{ "tonumber", 0, F_TONUMBER }, { "first", 0, F_FIRST0 },
	{ "any", 0, F_ANY0 }, { "all", 0, F_ALL0 }, { "round", 0, F_ROUND },
	{ "floor", 0, F_FLOOR }, { "ceil", 0, F_CEIL },
	{ "fabs", 0, F_FABS }, { "select", 1, F_SELECT },
	{ "map", 1, F_MAP }, { "first", 1, F_FIRST }, { "any", 1, F_ANY1 },
	{ "all", 1, F_ALL1 }, { "IN", 1, F_IN1 }, { "IN", 2, F_IN2 },
	{ "startswith", 1, F_STARTS }, { "endswith", 1, F_ENDS },
	{ "test", 1, F_TEST }, { "test", 2, F_TEST },
	{ "split", 1, F_SPLIT }, { "join", 1, F_JOIN },
	{ "index", 1, F_INDEX }, { "has", 1, F_HAS }, { "in", 1, F_IN },
	{ "contains", 1, F_CONTAINS }, { "any", 2, F_ANY2 },
	{ "all", 2, F_ALL2 },
	{ NULL, 0, F_EMPTY }
};

/* A constant string argument (a literal or a param), for regexes. */
static int
const_str(const struct xnode *n, const char **s, size_t *len)
{
	if (n->op != N_CONST || n->v.k != XK_STR)
		return 0;
	*s = n->v.s;
	*len = n->v.n;
	return 1;
}

/* test(re; flags) as jq's f_match compiles it, once. */
/*
 * Compiled regexes, shared: the shipped rules test the same few dozen
 * patterns in many rules (the unknown-hold-code ones, remittance words),
 * and compiling one with the i flag costs more than a record. Each is
 * compiled once however many nodes use it, and freed with the last.
 * Past X_MAX_REGEX patterns a node compiles its own.
 */
#define X_MAX_REGEX	1024

struct xregex {
	char *src;
	size_t n;
	OnigOptionType opt;
	regex_t *re;
	unsigned refs;
};

static struct xregex *xregexes;
static size_t nxregexes;

static regex_t *
regex_get(const char *src, size_t n, OnigOptionType opt)
{
	OnigErrorInfo einfo;
	struct xregex *x;
	regex_t *re;
	size_t i;

	for (i = 0; i < nxregexes; i++) {
		x = &xregexes[i];
		if (x->opt == opt && x->n == n && memcmp(x->src, src, n) == 0) {
			x->refs++;
			return x->re;
		}
	}
	/* jq 1.6 names ONIG_SYNTAX_PERL_NT, Oniguruma 6 calls it _NG */
	if (onig_new(&re, (const UChar *)src, (const UChar *)src + n, opt,
	    ONIG_ENCODING_UTF8, ONIG_SYNTAX_PERL_NG, &einfo) != ONIG_NORMAL)
		return NULL;
	if (nxregexes == X_MAX_REGEX || (xregexes == NULL &&
	    (xregexes = calloc(X_MAX_REGEX, sizeof *xregexes)) == NULL))
		return re;
	x = &xregexes[nxregexes];
	if ((x->src = malloc(n ? n : 1)) == NULL)
		return re;
	if (n)
		memcpy(x->src, src, n);
	x->n = n;
	x->opt = opt;
	x->re = re;
	x->refs = 1;
	nxregexes++;
	return re;
}

static void
regex_put(regex_t *re)
{
	size_t i;

	for (i = 0; i < nxregexes; i++)
		if (xregexes[i].re == re) {
			if (--xregexes[i].refs > 0)
				return;
			free(xregexes[i].src);
			xregexes[i] = xregexes[--nxregexes];
			break;
		}
	onig_free(re);
}

/*
 * Whether a case-blind regex finds the same in an ASCII text when only
 * ASCII letters fold, as when Unicode's folding applies (jq's). It does
 * when the regex names ASCII characters only: Unicode folds an ASCII
 * letter to its other ASCII case, and the only other characters that
 * fold to ASCII (K, the Kelvin sign, to k; the long s to s; the
 * ligatures and sharp s to two letters) are not in an ASCII text. So
 * the regex's bytes are ASCII, and nothing in it may name another
 * character: no escape but of punctuation or \b \B \w \W \d \D \s \S
 * (a code point, a property, an octal or a back reference would), and
 * no group but (?: (an inline option or a name could). Anything else
 * gets no twin.
 */
static int
ascii_regex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] >= 0x80)
			return 0;
		if (s[i] == '\\') {
			if (++i == n)
				return 0;
			if (((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
			    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')) &&
			    strchr("bBwWdDsS", s[i]) == NULL)
				return 0;
			if ((unsigned char)s[i] >= 0x80)
				return 0;
		} else if (s[i] == '(' && i + 1 < n && s[i + 1] == '?' &&
		    (i + 2 >= n || s[i + 2] != ':'))
			return 0;
	}
	return 1;
}

/*
 * A case-blind regex lowered, to search an ASCII text lowered without
 * folding (struct xtwin's lower): 1 and the n bytes at out, or 0. In an
 * ASCII text, folding, an ASCII letter of the regex matches itself and
 * its other case, and nothing else; so a regex whose letters are all
 * literals, of its text or of a bracket, finds the same in the text
 * lowered once they are lowered, and Oniguruma compiles it for a sixth
 * of the instructions (the shipped rules' 29: 1.24 M against 7.03 M).
 * Besides what ascii_regex refuses (an escape that names a character or
 * a class of one case, a group that sets an option), it refuses:
 * - in a bracket, a range but of lower case letters, of upper case
 *   letters (lowered), or of characters none a letter, and any range
 *   with an escape or a character not ASCII at an end;
 * - a bracket in a bracket ([[:upper:]] names letters of one case), an
 *   intersection (&&), a bracket opening on ']' and an unclosed one;
 * - a character not ASCII but a letter of U+00C0-U+024F, and of those
 *   the sharp s, the dotted and dotless i, 'n preceded by apostrophe,
 *   the long s and j with caron: every one kept matches no ASCII
 *   character folding or not (Unicode's case folding takes the Kelvin
 *   and long s signs, the sharp s and the ligatures to ASCII letters).
 * The x flag is not lowered (its comments are not read here).
 */
static int
lower_regex(const char *s, size_t n, char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;
	unsigned lo, hi, cp;
	int incls = 0;

	memcpy(out, s, n);
	while (i < n) {
		if (u[i] == '\\') {
			if (i + 1 == n || u[i + 1] >= 0x80 ||
			    (A_ALNUM(u[i + 1]) && !strchr("bBwWdDsS", s[i + 1])))
				return 0;
			k = 2;
		} else if (u[i] >= 0x80) {
			if (u[i] < 0xC3 || u[i] > 0xC9 || i + 1 == n ||
			    (u[i + 1] & 0xC0) != 0x80)
				return 0;
			cp = (u[i] & 0x1Fu) << 6 | (u[i + 1] & 0x3Fu);
			if (cp < 0xC0 || cp > 0x24F || cp == 0xDF ||
			    cp == 0x130 || cp == 0x131 || cp == 0x149 ||
			    cp == 0x17F || cp == 0x1F0)
				return 0;
			k = 2;
		} else
			k = 0;
		if (k > 0) {
			/* kept as it is, and not a range's first end */
			if (incls && i + k + 1 < n && s[i + k] == '-' &&
			    s[i + k + 1] != ']')
				return 0;
			i += k;
			continue;
		}
		if (!incls) {
			if (s[i] == '(' && i + 1 < n && s[i + 1] == '?' &&
			    (i + 2 == n || s[i + 2] != ':'))
				return 0;
			if (s[i] == '[') {
				incls = 1;
				if (i + 1 < n && s[i + 1] == '^')
					i++;
				if (i + 1 < n && s[i + 1] == ']')
					return 0;
			} else
				out[i] = (char)A_LOWER(u[i]);
			i++;
			continue;
		}
		if (s[i] == ']') {
			incls = 0;
			i++;
			continue;
		}
		if (s[i] == '[' || (s[i] == '&' && i + 1 < n &&
		    s[i + 1] == '&'))
			return 0;
		if (i + 2 < n && s[i + 1] == '-' && s[i + 2] != ']') {
			lo = u[i];
			hi = u[i + 2];
			if (hi == '\\' || hi == '[' || hi >= 0x80)
				return 0;
			if ((A_LC(lo) && A_LC(hi)) || (A_UC(lo) && A_UC(hi))) {
				out[i] = (char)A_LOWER(lo);
				out[i + 2] = (char)A_LOWER(hi);
			} else if (!(hi < 'A' || lo > 'z' ||
			    (lo > 'Z' && hi < 'a')))
				return 0;
			i += 3;
			continue;
		}
		out[i] = (char)A_LOWER(u[i]);
		i++;
	}
	return !incls;
}

static struct xnode *
compile_test(struct xparse *ps, struct xnode *n, const char *at)
{
	OnigOptionType opt = ONIG_OPTION_CAPTURE_GROUP;
	const char *re, *fl = "";
	size_t relen, fln = 0, i;

	if (!const_str(n->a, &re, &relen))
		return fail(ps, at, "test: regex not a constant string");
	if (n->b != NULL && !(n->b->op == N_CONST && n->b->v.k == XK_NULL) &&
	    !const_str(n->b, &fl, &fln))
		return fail(ps, at, "test: flags not a constant string");
	for (i = 0; i < fln; i++)
		switch (fl[i]) {
		case 'g':
			break;
		case 'i':
			opt |= ONIG_OPTION_IGNORECASE;
			break;
		case 'x':
			opt |= ONIG_OPTION_EXTEND;
			break;
		case 'n':
			opt |= ONIG_OPTION_FIND_NOT_EMPTY;
			break;
		case 's':
			opt |= ONIG_OPTION_SINGLELINE;
			break;
		case 'p':
			opt |= ONIG_OPTION_MULTILINE | ONIG_OPTION_SINGLELINE;
			break;
		case 'l':
			opt |= ONIG_OPTION_FIND_LONGEST;
			break;
		default:
			return fail(ps, at, "test: bad flags");
		}
	/* for ASCII texts lowered, or else folding ASCII letters only,
	 * with the twin for other texts (struct xtwin); a regex that
	 * compiles neither way is compiled as jq does and serves every
	 * text */
	if ((opt & ONIG_OPTION_IGNORECASE) && (ascii_regex(re, relen) ||
	    ((opt & ONIG_OPTION_EXTEND) == 0 && relen <= X_LOWER_MAX))) {
		char low[X_LOWER_MAX];

		if ((n->twin = calloc(1, sizeof *n->twin)) == NULL) {
			ps->failed = 2;
			return NULL;
		}
		n->twin->src = re;
		n->twin->n = relen;
		n->twin->opt = opt;
		if ((opt & ONIG_OPTION_EXTEND) == 0 && relen <= X_LOWER_MAX &&
		    lower_regex(re, relen, low) &&
		    (n->re = regex_get(low, relen,
		    opt & ~ONIG_OPTION_IGNORECASE)) != NULL)
			n->twin->lower = 1;
		else if (ascii_regex(re, relen))
			n->re = regex_get(re, relen,
			    opt | ONIG_OPTION_IGNORECASE_IS_ASCII);
		if (n->re == NULL) {
			free(n->twin);
			n->twin = NULL;
		}
	}
	if (n->re == NULL && (n->re = regex_get(re, relen, opt)) == NULL)
		return fail(ps, at, "test: regex does not compile");
	return n;
}

static const struct xguard *guard_lits(struct fo_expr *, int, const char *,
    size_t, const struct xv *, const struct xnode *);

static struct xnode *
parse_call(struct xparse *ps)
{
	const char *name = ps->ts, *at = ps->ts;
	size_t nlen = ps->tn;
	struct xnode *args[3] = { NULL, NULL, NULL }, *n;
	int nargs = 0, i;

	next(ps);
	if (ps->tok == T_LP) {
		next(ps);
		for (;;) {
			if (nargs == 3)
				return fail(ps, at, "too many arguments");
			if ((args[nargs++] = parse_pipe(ps)) == NULL)
				return NULL;
			if (ps->tok == T_SEMI) {
				next(ps);
				continue;
			}
			if (ps->tok != T_RP)
				return fail(ps, ps->ts, "expected ')'");
			next(ps);
			break;
		}
	}
	if (nargs == 0 && ((nlen == 4 && memcmp(name, "true", 4) == 0) ||
	    (nlen == 5 && memcmp(name, "false", 5) == 0) ||
	    (nlen == 4 && memcmp(name, "null", 4) == 0)))
		return mkconst(ps, name[0] == 't' ? v_true : name[0] == 'f' ?
		    v_false : v_null);
	for (i = 0; builtins[i].name; i++)
		if (fo_named(builtins[i].name, name, nlen) &&
		    builtins[i].nargs == nargs)
			break;
	if (builtins[i].name == NULL)
		return fail(ps, at, "function not in the native subset");
	if ((n = newnode(ps, N_CALL)) == NULL)
		return NULL;
	n->sub = builtins[i].fn;
	n->a = args[0];
	n->b = args[1];
	if (n->sub == F_TEST)
		return compile_test(ps, n, at);
	/* a guard that could not be made (no memory) is only no set */
	if (n->sub == F_IN1)
		n->set = guard_lits(ps->e, G_FIELD_IN, "", 0, NULL, n->a);
	return n;
}

/* Term: a primary and its postfix paths. */
static struct xnode *
parse_term(struct xparse *ps)
{
	struct xnode *t = NULL, *key;
	const char *at = ps->ts;

	switch (ps->tok) {
	case T_DOT:
		next(ps);
		if (ps->tok == T_STR) {
			key = mkconst(ps, mkstr(ps->str, ps->strn));
			next(ps);
			t = mkindex(ps, newnode(ps, N_DOT), key);
		} else
			t = newnode(ps, N_DOT);
		break;
	case T_FIELD: {
		char *s = own(ps->e, ps->tn);

		if (s == NULL) {
			ps->failed = 2;
			return NULL;
		}
		memcpy(s, ps->ts + 1, ps->tn - 1);
		s[ps->tn - 1] = '\0';
		key = mkconst(ps, mkstr(s, ps->tn - 1));
		next(ps);
		t = mkindex(ps, newnode(ps, N_DOT), key);
		break;
	}
	case T_NUM:
		t = mkconst(ps, mknum(ps->num));
		next(ps);
		break;
	case T_STR:
		t = mkconst(ps, mkstr(ps->str, ps->strn));
		next(ps);
		break;
	case T_VAR:
		t = parse_var(ps);
		break;
	case T_LP:
		next(ps);
		t = expect(ps, T_RP, "expected ')'", parse_pipe(ps));
		break;
	case T_LB:
		next(ps);
		if (ps->tok == T_RB) {
			struct xv a = { XK_ARR, -1, 0, 0, NULL, NULL };

			next(ps);
			t = mkconst(ps, a);
		} else {
			t = newnode(ps, N_COLLECT);
			if (t && (t->a = expect(ps, T_RB, "expected ']'",
			    parse_pipe(ps))) == NULL)
				t = NULL;
		}
		break;
	case T_LC:
		t = parse_object(ps);
		break;
	case T_IDENT:
		if (is_keyword(ps))
			return fail(ps, at, "keyword not in the native subset");
		t = parse_call(ps);
		break;
	default:
		return fail(ps, at, ps->tok == T_EOF ? "unexpected end" :
		    "construct not in the native subset");
	}
	while (t != NULL) {
		if (ps->tok == T_FIELD) {
			char *s = own(ps->e, ps->tn);

			if (s == NULL) {
				ps->failed = 2;
				return NULL;
			}
			memcpy(s, ps->ts + 1, ps->tn - 1);
			s[ps->tn - 1] = '\0';
			key = mkconst(ps, mkstr(s, ps->tn - 1));
			next(ps);
			t = mkindex(ps, t, key);
		} else if (ps->tok == T_DOT) {
			next(ps);
			if (ps->tok != T_STR)
				return fail(ps, ps->ts, "'.' after a path");
			key = mkconst(ps, mkstr(ps->str, ps->strn));
			next(ps);
			t = mkindex(ps, t, key);
		} else if (ps->tok == T_LB) {
			next(ps);
			if (ps->tok == T_RB) {
				next(ps);
				struct xnode *e = newnode(ps, N_EACH);

				if (e == NULL)
					return NULL;
				e->a = t;
				if (ps->tok == T_Q) {
					e->opt = 1;
					next(ps);
				}
				t = e;
			} else {
				struct xnode *from = NULL, *to = NULL, *s;

				if (ps->tok != T_COLON &&
				    (from = parse_pipe(ps)) == NULL)
					return NULL;
				if (ps->tok == T_RB && from) {
					next(ps);
					t = mkindex(ps, t, from);
					continue;
				}
				if (ps->tok != T_COLON)
					return fail(ps, ps->ts, "expected ':'");
				next(ps);
				if (ps->tok != T_RB &&
				    (to = parse_pipe(ps)) == NULL)
					return NULL;
				if (from == NULL && to == NULL)
					return fail(ps, ps->ts, "empty slice");
				if (ps->tok != T_RB)
					return fail(ps, ps->ts, "expected ']'");
				next(ps);
				if ((s = newnode(ps, N_SLICE)) == NULL)
					return NULL;
				s->a = t;
				s->b = from;
				s->c = to;
				if (ps->tok == T_Q) {
					s->opt = 1;
					next(ps);
				}
				t = s;
			}
		} else
			break;
	}
	return t;
}

/* Exp forms that are not Terms, and Terms with 'as' or postfix '?'. */
static struct xnode *parse_mul(struct xparse *);

static struct xnode *
parse_operand(struct xparse *ps)
{
	struct xnode *n = NULL, *t;
	const char *at = ps->ts;

	if (++ps->depth > X_MAX_NEST)
		return fail(ps, at, "expression nested too deeply");
	if (ps->tok == T_MINUS) {
		next(ps);
		if ((n = newnode(ps, N_NEG)) != NULL &&
		    (n->a = parse_mul(ps)) == NULL)
			n = NULL;
	} else if (is_word(ps, "if")) {
		struct xnode **tail = &n;

		next(ps);
		for (;;) {
			if ((t = newnode(ps, N_IF)) == NULL ||
			    (t->a = parse_pipe(ps)) == NULL)
				return NULL;
			if (!is_word(ps, "then"))
				return fail(ps, ps->ts, "expected 'then'");
			next(ps);
			if ((t->b = parse_pipe(ps)) == NULL)
				return NULL;
			*tail = t;
			tail = &t->c;
			if (is_word(ps, "elif")) {
				next(ps);
				continue;
			}
			if (!is_word(ps, "else"))
				return fail(ps, ps->ts, "if without else");
			next(ps);
			if ((t->c = parse_pipe(ps)) == NULL)
				return NULL;
			if (!is_word(ps, "end"))
				return fail(ps, ps->ts, "expected 'end'");
			next(ps);
			break;
		}
	} else if (is_word(ps, "reduce")) {
		next(ps);
		if ((n = newnode(ps, N_REDUCE)) == NULL ||
		    (n->a = parse_term(ps)) == NULL)
			return NULL;
		if (!is_word(ps, "as"))
			return fail(ps, ps->ts, "expected 'as'");
		next(ps);
		if (ps->tok != T_VAR)
			return fail(ps, ps->ts, "reduce: destructuring");
		if (ps->nscope == 64)
			return fail(ps, ps->ts, "too many variables");
		n->slot = ps->e->nslots++;
		{
			const char *vn = ps->ts + 1;
			size_t vl = ps->tn - 1;

			next(ps);
			if (ps->tok != T_LP)
				return fail(ps, ps->ts, "expected '('");
			next(ps);
			if ((n->b = parse_pipe(ps)) == NULL)
				return NULL;
			if (ps->tok != T_SEMI)
				return fail(ps, ps->ts, "expected ';'");
			next(ps);
			ps->scope[ps->nscope].name = vn;
			ps->scope[ps->nscope].n = vl;
			ps->scope[ps->nscope++].slot = n->slot;
			n->c = parse_pipe(ps);
			ps->nscope--;
			if (n->c == NULL)
				return NULL;
			if (ps->tok != T_RP)
				return fail(ps, ps->ts, "expected ')'");
			next(ps);
		}
	} else {
		if ((t = parse_term(ps)) == NULL)
			return NULL;
		if (is_word(ps, "as")) {
			next(ps);
			if (ps->tok != T_VAR)
				return fail(ps, ps->ts, "as: destructuring");
			if (ps->nscope == 64)
				return fail(ps, ps->ts, "too many variables");
			if ((n = newnode(ps, N_BIND)) == NULL)
				return NULL;
			n->a = t;
			n->slot = ps->e->nslots++;
			ps->scope[ps->nscope].name = ps->ts + 1;
			ps->scope[ps->nscope].n = ps->tn - 1;
			ps->scope[ps->nscope++].slot = n->slot;
			next(ps);
			if (ps->tok != T_PIPE) {
				ps->nscope--;
				return fail(ps, ps->ts, "expected '|'");
			}
			next(ps);
			n->b = parse_pipe(ps);
			ps->nscope--;
			if (n->b == NULL)
				return NULL;
			ps->depth--;
			return n;
		}
		n = t;
	}
	while (n != NULL && ps->tok == T_Q) {
		next(ps);
		if ((t = newnode(ps, N_TRY)) == NULL)
			return NULL;
		t->a = n;
		n = t;
	}
	ps->depth--;
	return n;
}

static int
is_num_const(const struct xnode *n)
{
	return n->op == N_CONST && n->v.k == XK_NUM && n->slot != -2;
}

static struct xnode *
mkbin(struct xparse *ps, int op, struct xnode *a, struct xnode *b,
    const char *at)
{
	struct xnode *n;

	if (a == NULL || b == NULL)
		return NULL;
	/* jq folds constants and refuses "1 / 0" at compile time, and
	 * any other division its folding makes infinite: fold the same way
	 * and leave every constant division to jq */
	if ((op == B_DIV || op == B_MOD) && is_num_const(a) && is_num_const(b))
		return fail(ps, at, "constant division");
	if ((op == B_ADD || op == B_SUB || op == B_MUL) && is_num_const(a) &&
	    is_num_const(b)) {
		a->v.d = op == B_ADD ? a->v.d + b->v.d : op == B_SUB ?
		    a->v.d - b->v.d : a->v.d * b->v.d;
		return a;
	}
	if ((n = mk2(ps, N_BIN, a, b)) != NULL)
		n->sub = op;
	return n;
}

static struct xnode *
parse_mul(struct xparse *ps)
{
	struct xnode *n = parse_operand(ps);
	const char *at;
	int op;

	while (n && (ps->tok == T_STAR || ps->tok == T_SLASH ||
	    ps->tok == T_PCT)) {
		op = ps->tok == T_STAR ? B_MUL : ps->tok == T_SLASH ? B_DIV :
		    B_MOD;
		at = ps->ts;
		next(ps);
		n = mkbin(ps, op, n, parse_operand(ps), at);
	}
	return n;
}

static struct xnode *
parse_add(struct xparse *ps)
{
	struct xnode *n = parse_mul(ps);
	const char *at;
	int op;

	while (n && (ps->tok == T_PLUS || ps->tok == T_MINUS)) {
		op = ps->tok == T_PLUS ? B_ADD : B_SUB;
		at = ps->ts;
		next(ps);
		n = mkbin(ps, op, n, parse_mul(ps), at);
	}
	return n;
}

static int
cmp_op(enum xtok t)
{
	switch (t) {
	case T_EQ:
		return B_EQ;
	case T_NE:
		return B_NE;
	case T_LT:
		return B_LT;
	case T_LE:
		return B_LE;
	case T_GT:
		return B_GT;
	case T_GE:
		return B_GE;
	default:
		return -1;
	}
}

static struct xnode *
parse_cmp(struct xparse *ps)
{
	struct xnode *n = parse_add(ps);
	const char *at;
	int op;

	if (n && (op = cmp_op(ps->tok)) >= 0) {
		at = ps->ts;
		next(ps);
		n = mkbin(ps, op, n, parse_add(ps), at);
		if (n && cmp_op(ps->tok) >= 0)
			return fail(ps, ps->ts, "comparisons do not chain");
	}
	return n;
}

static struct xnode *
parse_and(struct xparse *ps)
{
	struct xnode *n = parse_cmp(ps);

	while (n && is_word(ps, "and")) {
		next(ps);
		n = mk2(ps, N_AND, n, parse_cmp(ps));
	}
	return n;
}

static struct xnode *
parse_or(struct xparse *ps)
{
	struct xnode *n = parse_and(ps);

	while (n && is_word(ps, "or")) {
		next(ps);
		n = mk2(ps, N_OR, n, parse_and(ps));
	}
	return n;
}

static struct xnode *
parse_alt(struct xparse *ps)
{
	struct xnode *n = parse_or(ps);

	if (n && ps->tok == T_ALT) {
		if (++ps->depth > X_MAX_NEST)
			return fail(ps, ps->ts, "expression nested too deeply");
		next(ps);
		n = mk2(ps, N_ALT, n, parse_alt(ps));
		ps->depth--;
	}
	return n;
}

static struct xnode *
parse_comma(struct xparse *ps)
{
	struct xnode *n = parse_alt(ps);

	while (n && ps->tok == T_COMMA) {
		next(ps);
		n = mk2(ps, N_COMMA, n, parse_alt(ps));
	}
	return n;
}

static struct xnode *
parse_pipe(struct xparse *ps)
{
	struct xnode *n;

	if (++ps->depth > X_MAX_NEST)
		return fail(ps, ps->ts, "expression nested too deeply");
	if (is_word(ps, "def") || is_word(ps, "label") || is_word(ps, "try") ||
	    is_word(ps, "foreach") || is_word(ps, "import") ||
	    is_word(ps, "include"))
		return fail(ps, ps->ts, "keyword not in the native subset");
	n = parse_comma(ps);
	if (n && ps->tok == T_PIPE) {
		next(ps);
		n = mk2(ps, N_PIPE, n, parse_pipe(ps));
	}
	ps->depth--;
	return n;
}

/* .key on the input, the key a string constant: its name. */
static const char *
top_field(const struct xnode *n, size_t *len)
{
	if (n->op != N_INDEX || n->a->op != N_DOT || n->b->op != N_CONST ||
	    n->b->v.k != XK_STR)
		return NULL;
	*len = n->b->v.n;
	return n->b->v.s;
}

/* .key or (.key // constant): the key, and the constant in *alt. */
static const char *
top_value(const struct xnode *n, size_t *len, const struct xv **alt)
{
	*alt = NULL;
	if (n->op == N_ALT && n->b->op == N_CONST) {
		*alt = &n->b->v;
		n = n->a;
	}
	return top_field(n, len);
}

static int
is_str_const(const struct xnode *n)
{
	return n->op == N_CONST && n->v.k == XK_STR;
}

/* K | contains(pre + $v + post) | not, K a string, $v in slot. */
static int
not_contains(const struct xnode *n, int slot, const struct xv **k,
    const struct xv **pre, const struct xv **post)
{
	const struct xnode *c, *a;

	if (n->op != N_PIPE || !is_str_const(n->a) || n->b->op != N_PIPE ||
	    (c = n->b->a)->op != N_CALL || c->sub != F_CONTAINS ||
	    n->b->b->op != N_CALL || n->b->b->sub != F_NOT)
		return 0;
	a = c->a;
	if (a->op != N_BIN || a->sub != B_ADD || !is_str_const(a->b) ||
	    a->a->op != N_BIN || a->a->sub != B_ADD ||
	    !is_str_const(a->a->a) || a->a->b->op != N_VAR ||
	    a->a->b->slot != slot)
		return 0;
	*k = &n->a->v;
	*pre = &a->a->a->v;
	*post = &a->b->v;
	return 1;
}

/* . as $v | (... and K | contains(pre + $v + post) | not and ...) */
static int
unknown_member(const struct xnode *n, const struct xv **k,
    const struct xv **pre, const struct xv **post)
{
	const struct xnode *b;

	if (n->op != N_BIND || n->a->op != N_DOT)
		return 0;
	for (b = n->b; b->op == N_AND; b = b->a)
		if (not_contains(b->b, n->slot, k, pre, post))
			return 1;
	return not_contains(b, n->slot, k, pre, post);
}

/* "a", "b", ...: count them, or store them in lit when it is given. */
static int
str_lits(const struct xnode *n, struct xv *lit, size_t *nlit)
{
	if (n->op == N_COMMA)
		return str_lits(n->a, lit, nlit) && str_lits(n->b, lit, nlit);
	if (n->op != N_CONST || n->v.k != XK_STR)
		return 0;
	if (lit)
		lit[*nlit] = n->v;
	(*nlit)++;
	return 1;
}

/* The literals that ". == lit" or "IN(lit, ...)" tests its input
 * against; NULL when it tests anything else. */
static const struct xnode *
dot_in(const struct xnode *n)
{
	if (n->op == N_CALL && n->sub == F_IN1)
		return n->a;
	if (n->op == N_BIN && n->sub == B_EQ && n->a->op == N_DOT &&
	    n->b->op == N_CONST && n->b->v.k == XK_STR)
		return n->b;
	if (n->op == N_BIN && n->sub == B_EQ && n->b->op == N_DOT &&
	    n->a->op == N_CONST && n->a->v.k == XK_STR)
		return n->a;
	return NULL;
}

/* A guard leaf g of kind reading top-level field f (fn bytes), the rest
 * of it zero. */
static void
guard_field(struct xguard *g, int kind, const char *f, size_t fn)
{
	memset(g, 0, sizeof *g);
	g->kind = kind;
	g->field = f;
	g->fieldn = fn;
	g->fieldh = fo_rec_keyhash(f, fn);
	g->fid = fo_field_id(f, fn);
}

static const struct xguard *
guard_lits(struct fo_expr *e, int kind, const char *f, size_t fn,
    const struct xv *alt, const struct xnode *lits)
{
	struct xguard *g;
	struct xv *lit;
	unsigned *tab;
	size_t n = 0, i, cap, h;

	if (lits == NULL || !str_lits(lits, NULL, &n) || n == 0 ||
	    (g = own(e, sizeof *g)) == NULL)
		return NULL;
	for (cap = 4; cap < 2 * n; cap *= 2)
		;
	if ((lit = own(e, n * sizeof *lit)) == NULL ||
	    (tab = own(e, cap * sizeof *tab)) == NULL)
		return NULL;
	memset(tab, 0, cap * sizeof *tab);
	guard_field(g, kind, f, fn);
	g->alt = alt;
	g->lit = lit;
	g->tab = tab;
	str_lits(lits, lit, &g->nlit);
	g->mask = cap - 1;
	for (i = 0; i < n; i++) {
		for (h = key_hash(lit[i].s, lit[i].n) & g->mask; tab[h] != 0;
		    h = (h + 1) & g->mask)
			;
		tab[h] = (unsigned)i + 1;
	}
	return g;
}

/* (.f | type) == "name": the kinds that name takes. */
static const struct xguard *
guard_type(struct fo_expr *e, const struct xnode *p, const struct xnode *t)
{
	static const struct {
		const char *name;
		unsigned kinds;
	} types[] = {
		{ "null", 1u << XK_NULL },
		{ "boolean", 1u << XK_FALSE | 1u << XK_TRUE },
		{ "number", 1u << XK_NUM }, { "string", 1u << XK_STR },
		{ "array", 1u << XK_ARR }, { "object", 1u << XK_OBJ }
	};
	struct xguard *g;
	const char *f;
	size_t fn, i;

	const struct xv *alt;

	if (p->op != N_PIPE || p->b->op != N_CALL || p->b->sub != F_TYPE ||
	    (f = top_value(p->a, &fn, &alt)) == NULL || t->op != N_CONST ||
	    t->v.k != XK_STR)
		return NULL;
	for (i = 0; i < sizeof types / sizeof *types; i++)
		if (t->v.n == strlen(types[i].name) &&
		    memcmp(t->v.s, types[i].name, t->v.n) == 0)
			break;
	if ((g = own(e, sizeof *g)) == NULL)
		return NULL;
	guard_field(g, G_TYPE, f, fn);
	g->alt = alt;
	/* a name type never gives: the comparison is never true */
	g->kinds = i < sizeof types / sizeof *types ? types[i].kinds : 0;
	return g;
}

/*
 * (.f.k // c) != c, c a constant (.f["k"] alike): true only when .f is an
 * object with a member k, whose value is neither null nor false (else
 * the // gives c). .f of another kind gives null (null, then c) or an
 * error: never true.
 */
static int same_const(const struct xv *, const struct xv *);

static const struct xguard *
guard_haskey(struct fo_expr *e, const struct xnode *n)
{
	const struct xnode *alt = n->a, *path;
	struct xguard *g;
	const char *f;
	size_t fn;

	if (alt->op != N_ALT || alt->b->op != N_CONST ||
	    n->b->op != N_CONST || !same_const(&alt->b->v, &n->b->v) ||
	    (path = alt->a)->op != N_INDEX || path->opt ||
	    path->b->op != N_CONST || path->b->v.k != XK_STR ||
	    (f = top_field(path->a, &fn)) == NULL ||
	    (g = own(e, sizeof *g)) == NULL)
		return NULL;
	guard_field(g, G_HASKEY, f, fn);
	g->lit = &path->b->v;	/* the key */
	g->nlit = 1;
	g->lith = fo_rec_keyhash(g->lit->s, g->lit->n);
	return g;
}

/* contains("A") or contains("B") ...: count the literals, or store them
 * in lit when it is given. */
static int
contains_lits(const struct xnode *n, struct xv *lit, size_t *nlit)
{
	if (n->op == N_OR)
		return contains_lits(n->a, lit, nlit) &&
		    contains_lits(n->b, lit, nlit);
	if (n->op != N_CALL || n->sub != F_CONTAINS || !is_str_const(n->a))
		return 0;
	if (lit)
		lit[*nlit] = n->a->v;
	(*nlit)++;
	return 1;
}

/*
 * .f as $x | any($x | keys_unsorted[]; (contains("A") or ...) and ...):
 * a key of .f holds one of the literals. contains on strings is a
 * substring test (jq 1.6: strstr, which stops at a NUL: never more than
 * a byte search finds), and on a key of any other kind an error.
 */
static const struct xguard *
guard_keysub(struct fo_expr *e, const struct xnode *n)
{
	const struct xnode *any, *src, *c;
	struct xguard *g;
	struct xv *lit;
	const char *f;
	size_t fn, nlit = 0;

	if ((f = top_field(n->a, &fn)) == NULL || (any = n->b)->op != N_CALL ||
	    any->sub != F_ANY2 || (src = any->a)->op != N_PIPE ||
	    src->a->op != N_VAR || src->a->slot != n->slot ||
	    src->b->op != N_EACH || src->b->opt ||
	    src->b->a->op != N_CALL || (src->b->a->sub != F_KEYSU &&
	    src->b->a->sub != F_KEYS))
		return NULL;
	for (c = any->b; c->op == N_AND; c = c->a)
		;
	if (!contains_lits(c, NULL, &nlit) || nlit == 0 ||
	    (g = own(e, sizeof *g)) == NULL ||
	    (lit = own(e, nlit * sizeof *lit)) == NULL)
		return NULL;
	guard_field(g, G_KEYSUB, f, fn);
	g->lit = lit;
	contains_lits(c, lit, &g->nlit);
	return g;
}

/*
 * K | contains("|" + $c + "|") with K a text of bars, "|A|B|...|": for a
 * $c without a bar (or a NUL, where jq's strstr stops), true exactly
 * when $c is one of the texts between two bars. Those texts as a hash
 * set (g->lit, g->tab), or none when pre and post are not one bar.
 */
static void
bar_parts(struct fo_expr *e, struct xguard *g)
{
	const char *k = g->known->s, *bar;
	size_t kn = g->known->n, i, n = 0, cap, h;
	struct xv *lit;
	unsigned *tab;

	if (g->pre->n != 1 || g->pre->s[0] != '|' || g->post->n != 1 ||
	    g->post->s[0] != '|' || memchr(k, '\0', kn) != NULL)
		return;
	for (i = 0; i < kn; i++)
		n += k[i] == '|';
	if (n < 2)
		return;
	for (cap = 4; cap < 2 * n; cap *= 2)
		;
	if ((lit = own(e, n * sizeof *lit)) == NULL ||
	    (tab = own(e, cap * sizeof *tab)) == NULL)
		return;
	memset(tab, 0, cap * sizeof *tab);
	g->nlit = 0;
	g->mask = cap - 1;
	for (i = 0; (bar = memchr(k + i, '|', kn - i)) != NULL; ) {
		size_t at = (size_t)(bar - k) + 1;
		const char *next = memchr(k + at, '|', kn - at);

		if (next == NULL)
			break;
		lit[g->nlit] = mkstr(k + at, (size_t)(next - (k + at)));
		for (h = key_hash(lit[g->nlit].s, lit[g->nlit].n) & g->mask;
		    tab[h] != 0; h = (h + 1) & g->mask)
			;
		tab[h] = (unsigned)++g->nlit;
		i = (size_t)(next - k);
	}
	g->lit = lit;
	g->tab = tab;
}

/* .f < .g (<=, >, >=), two top-level fields: the comparison itself, a
 * guard the plan reads with both fields (A_CMP2). Two dates entered
 * wrong are asked of every invoice and seldom true. */
static const struct xguard *
guard_cmp2(struct fo_expr *e, const struct xnode *n)
{
	struct xguard *g;
	const char *f, *f2;
	size_t fn, fn2;

	if ((f = top_field(n->a, &fn)) == NULL ||
	    (f2 = top_field(n->b, &fn2)) == NULL ||
	    (g = own(e, sizeof *g)) == NULL)
		return NULL;
	guard_field(g, G_CMP2, f, fn);
	g->field2 = f2;
	g->fieldn2 = fn2;
	g->fieldh2 = fo_rec_keyhash(f2, fn2);
	g->fid2 = fo_field_id(f2, fn2);
	g->op = n->sub;
	return g;
}

/*
 * What the first output of n being true needs (NULL: nothing known).
 * Each form here yields exactly one boolean:
 *   .f == "x", "x" == .f, .f | IN("x", ...)   .f is one of the strings
 *   any(.f[]; . == "x"), any(.f[]?; IN(...))  a member of .f is one
 *   any(.f[]; anything)                       .f has a member
 *   any(.f[]; . as $c | K | contains("|" + $c + "|") | not and ...)
 *                                   a member is not in K that way
 *   (.f // "x") in place of .f above but in .f[]: the same, .f read so
 *   (.f | type) == "string"                   .f is a string
 *   .f < .g (<=, >, >=)                       the comparison itself
 *   a and b: both guards; a or b: either, when both have one.
 */
static const struct xguard *
guard_of(struct fo_expr *e, const struct xnode *n)
{
	const struct xguard *a, *b;
	const struct xv *alt;
	struct xguard *g;
	const char *f;
	size_t fn;

	switch (n->op) {
	case N_AND:
	case N_OR:
		a = guard_of(e, n->a);
		b = guard_of(e, n->b);
		if (n->op == N_AND && (a == NULL || b == NULL))
			return a ? a : b;
		if (a == NULL || b == NULL || (g = own(e, sizeof *g)) == NULL)
			return NULL;
		memset(g, 0, sizeof *g);
		g->kind = n->op == N_AND ? G_AND : G_OR;
		g->a = a;
		g->b = b;
		return g;
	case N_BIN:
		if (n->sub == B_NE)
			return guard_haskey(e, n);
		if (n->sub == B_LT || n->sub == B_LE || n->sub == B_GT ||
		    n->sub == B_GE)
			return guard_cmp2(e, n);
		if (n->sub != B_EQ)
			return NULL;
		if ((a = guard_type(e, n->a, n->b)) != NULL ||
		    (a = guard_type(e, n->b, n->a)) != NULL)
			return a;
		if ((f = top_value(n->a, &fn, &alt)) != NULL &&
		    is_str_const(n->b))
			return guard_lits(e, G_FIELD_IN, f, fn, alt, n->b);
		if ((f = top_value(n->b, &fn, &alt)) != NULL &&
		    is_str_const(n->a))
			return guard_lits(e, G_FIELD_IN, f, fn, alt, n->a);
		return NULL;
	case N_PIPE:
		if ((f = top_value(n->a, &fn, &alt)) == NULL ||
		    n->b->op != N_CALL || n->b->sub != F_IN1)
			return NULL;
		return guard_lits(e, G_FIELD_IN, f, fn, alt, n->b->a);
	case N_BIND:
		return guard_keysub(e, n);
	case N_CALL:
		if (n->sub != F_ANY2 || n->a->op != N_EACH ||
		    (f = top_field(n->a->a, &fn)) == NULL)
			return NULL;
		if (dot_in(n->b) != NULL)
			return guard_lits(e, G_ANY_IN, f, fn, NULL,
			    dot_in(n->b));
		if ((g = own(e, sizeof *g)) == NULL)
			return NULL;
		guard_field(g, G_MEMBERS, f, fn);
		if (unknown_member(n->b, &g->known, &g->pre, &g->post)) {
			g->kind = G_ANY_UNKNOWN;
			bar_parts(e, g);
		}
		return g;
	default:
		return NULL;
	}
}

/* ------------------------------------------------------------------ */
/*
 * The plan of a rule set: the guards of all its conditions taken apart
 * into facts about the record (atoms), each read once per record, and an
 * index from what a fact finds to the rules that can match with it. A
 * field is read once for all the rules that test it, a hold code is
 * looked up once in one hash set of every literal any rule compares it
 * with, and the record visits only the rules whose guard it may meet.
 * A rule's atoms are a necessary condition of its guard, which is a
 * necessary condition of the rule: a rule left out cannot match. The
 * rules let in still run in full, guard and all.
 */
enum { A_EQ, A_MEMBER, A_KIND, A_MEMBERS, A_UNKNOWN, A_KEYSUB, A_HASKEY,
	A_CMP2 };

struct xatom {
	/* what fo_xplan_may reads of every atom, in its first 64 bytes:
	 * the plan's atoms do not fit in the first level cache beside a
	 * record's rules, and the first of each field's is a line read */
	int kind;
	int fid;		/* g's fo_field_id, */
	uint32_t fieldh;	/* its hash, */
	int gbit;		/* its verdict's bit in the group's */
	const char *field;	/* its name, */
	size_t fieldn;
	size_t run;		/* the first of its field's: atoms in it */
	size_t gn;		/* the first of a group: atoms in it */
	uint64_t *absent;	/* and their bits when the record has no
				 * such field, or NULL (fo_xplan_may) */
	uint64_t *rules;	/* A_MEMBERS, A_UNKNOWN, A_KEYSUB: when it
				 * holds; any kind: on doubt, all its rules */
	const struct xv *alt;	/* and its alt */
	size_t words;
	uint64_t *bykind;	/* A_KIND: [8][words] */
	struct xv *lit;		/* A_EQ, A_MEMBER: the literals, */
	uint64_t *litrules;	/* [nlit][words] the rules of each, */
	unsigned *tab;		/* and a hash set of them */
	size_t mask;
	struct xmemo *memo;	/* A_MEMBERS ...: its verdicts by the text */
	/* what building it needs */
	const struct xguard *g;	/* its field, alt, known/pre/post, lits */
	size_t nlit, caplit;
};

/* The atoms that test their field whole (A_MEMBERS, A_UNKNOWN, A_KEYSUB,
 * A_HASKEY): their verdicts are kept by the field's text, one memo and
 * one lookup for all the atoms of a field, at most ATOM_GROUP of them. */
#define ATOM_GROUP	52	/* verdict bits a double holds exactly */

static int
atom_whole(int kind)
{
	return kind != A_EQ && kind != A_MEMBER && kind != A_KIND &&
	    kind != A_CMP2;
}

/* The atoms whose verdict is the field's keys' when it is an object
 * (keysub reads no value): a group of them is kept by the keys alone,
 * and an extra object whose values never repeat still finds it. */
static int
atom_keys(int kind)
{
	return kind == A_KEYSUB;
}

/*
 * A guard is an and of clauses (each a leaf, or an or of them), and each
 * clause of a rule is filed under the atoms it tests: the cheapest at the
 * rule's own bit i, each other at a slot of its own, bit lw * 64 + s,
 * after the rules' words. A rule may match when its bit and all its
 * slots are let in. So a record without .po_price leaves out a rule that
 * tests (.po_price | type) == "number" even when its cheaper clause,
 * (.doc_type // "invoice") == "invoice", holds.
 */
#define PLAN_CLAUSES	32	/* more than this: the cheapest only */

/*
 * Verdict groups: conditions whose whole verdict is a function of the
 * same top-level fields (memo_reads finds at most XM_FIELDS of them in
 * the condition, and nothing else: no input whole, no variable bound
 * outside it, no try) share one memo. Its key is the fields' text
 * (memo_key), and an entry holds the verdict of each member that has
 * run on that text: a record looks its key up once, for all of them,
 * when the first is asked. A verdict is kept only when the condition
 * gave one, not when it went over the budget or out of memory: the same
 * text takes the same steps to the same verdict, so a kept verdict is
 * what the run would give, and a condition's steps are its own (each
 * run starts from none). The twelve rules of classify.yaml that read
 * only status, or the thirty-four that read only hold codes (in two
 * groups), are one lookup a record each group.
 */
#define VG_MEMBERS	32	/* verdicts an entry holds */

struct xvgroup {
	struct xmemo m;		/* the fields, and entries by their text; in
				 * an entry, bit j of steps: member j ran on
				 * it, of req: and its verdict was true */
	size_t nmem;
	unsigned long long rec;	/* the record (fo_xrun's recno) of cur */
	long cur;		/* its entry, or -1: the members run alone */
};

struct fo_xplan {
	size_t n, words;	/* words: rules' and slots' (atoms' bit sets) */
	size_t lw, nslot;	/* words of the rules, slots */
	uint32_t *slotrule;	/* the rule of each slot */
	uint64_t *always;	/* bits no atom stands for */
	uint64_t *whole;	/* rules whose guard the atoms judge whole */
	uint64_t *wide;		/* fo_xplan_may's bits, being made */
	void *pool;		/* the atoms' sets and tables (plan_pack) */
	uint64_t *absent;	/* the atoms' absent bits (plan_absent) */
	struct xatom *atom;
	size_t natom;
	int bad;		/* out of memory: every rule, every record */
	struct xvgroup *vg;	/* verdict groups (fo_xplan_cond) */
	size_t nvg;
	int *vgof;		/* [n] each rule's group, or -1 */
	unsigned char *vgbit;	/* [n] and its bit in the group */
	const struct fo_expr **vgcond;	/* [n] and its condition */
};

static int
same_const(const struct xv *a, const struct xv *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (a->k != b->k)
		return 0;
	if (a->k == XK_NUM)
		return a->d == b->d;
	if (a->k == XK_STR)
		return a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
	return a->k != XK_ARR && a->k != XK_OBJ;
}

static int
same_str(const struct xv *a, const struct xv *b)
{
	return same_const(a, b);
}

/* The atom a guard leaf reads: the same field, alt and kind share one. */
static struct xatom *
atom_for(struct fo_xplan *p, const struct xguard *g)
{
	static const int kinds[] = { [G_FIELD_IN] = A_EQ,
	    [G_ANY_IN] = A_MEMBER, [G_TYPE] = A_KIND,
	    [G_MEMBERS] = A_MEMBERS, [G_ANY_UNKNOWN] = A_UNKNOWN,
	    [G_KEYSUB] = A_KEYSUB, [G_HASKEY] = A_HASKEY,
	    [G_CMP2] = A_CMP2 };
	struct xatom *a, *na;
	size_t i;
	int kind = kinds[g->kind];

	for (i = 0; i < p->natom; i++) {
		a = &p->atom[i];
		if (a->kind != kind || a->g->fieldn != g->fieldn ||
		    memcmp(a->g->field, g->field, g->fieldn) != 0 ||
		    !same_const(a->g->alt, g->alt))
			continue;
		if (kind == A_UNKNOWN && (!same_str(a->g->known, g->known) ||
		    !same_str(a->g->pre, g->pre) ||
		    !same_str(a->g->post, g->post)))
			continue;
		if (kind == A_KEYSUB && (a->g->nlit != g->nlit ||
		    memcmp(a->g->lit, g->lit, g->nlit * sizeof *g->lit) != 0))
			continue;
		if (kind == A_HASKEY && !same_str(a->g->lit, g->lit))
			continue;
		if (kind == A_CMP2 && (a->g->op != g->op ||
		    a->g->fieldn2 != g->fieldn2 ||
		    memcmp(a->g->field2, g->field2, g->fieldn2) != 0))
			continue;
		return a;
	}
	if ((na = realloc(p->atom, (p->natom + 1) * sizeof *na)) == NULL)
		return NULL;
	p->atom = na;
	a = &na[p->natom];
	memset(a, 0, sizeof *a);
	a->kind = kind;
	a->g = g;
	a->fid = g->fid;
	a->fieldh = g->fieldh;
	a->field = g->field;
	a->fieldn = g->fieldn;
	a->alt = g->alt;
	a->words = p->words;
	if ((a->rules = calloc(p->words, sizeof *a->rules)) == NULL)
		return NULL;
	p->natom++;
	/* a has() reads one member: looked up, it costs less than a key
	 * made of the whole object, which seldom comes back */
	if (atom_whole(kind) && kind != A_HASKEY &&
	    (a->memo = calloc(1, sizeof *a->memo)) == NULL)
		return NULL;
	if (kind == A_KIND &&
	    (a->bykind = calloc(8 * p->words, sizeof *a->bykind)) == NULL)
		return NULL;
	return a;
}

static void
setbit(uint64_t *w, size_t i)
{
	w[i / 64] |= (uint64_t)1 << (i % 64);
}

static void
orbits(uint64_t *to, const uint64_t *from, size_t words)
{
	size_t i;

	for (i = 0; i < words; i++)
		to[i] |= from[i];
}

/* Literal s of atom a: its index, added when new; -1 no memory. */
static long
atom_lit(struct xatom *a, const struct xv *s)
{
	size_t i, h, cap;
	unsigned *tab;
	uint64_t *lr;
	struct xv *lit;

	for (i = a->mask ? key_hash(s->s, s->n) & a->mask : 0;
	    a->tab && a->tab[i] != 0; i = (i + 1) & a->mask)
		if (a->lit[a->tab[i] - 1].n == s->n &&
		    memcmp(a->lit[a->tab[i] - 1].s, s->s, s->n) == 0)
			return (long)a->tab[i] - 1;
	if (a->nlit == a->caplit) {
		cap = a->caplit ? a->caplit * 2 : 8;
		if ((lit = realloc(a->lit, cap * sizeof *lit)) == NULL)
			return -1;
		a->lit = lit;
		if ((lr = realloc(a->litrules, cap * a->words *
		    sizeof *lr)) == NULL)
			return -1;
		a->litrules = lr;
		/* half full at most */
		if ((tab = calloc(2 * cap, sizeof *tab)) == NULL)
			return -1;
		free(a->tab);
		a->tab = tab;
		a->mask = 2 * cap - 1;
		a->caplit = cap;
		for (i = 0; i < a->nlit; i++) {
			for (h = key_hash(a->lit[i].s, a->lit[i].n) & a->mask;
			    tab[h] != 0; h = (h + 1) & a->mask)
				;
			tab[h] = (unsigned)i + 1;
		}
	}
	a->lit[a->nlit] = *s;
	memset(a->litrules + a->nlit * a->words, 0,
	    a->words * sizeof *a->litrules);
	for (h = key_hash(s->s, s->n) & a->mask; a->tab[h] != 0;
	    h = (h + 1) & a->mask)
		;
	a->tab[h] = (unsigned)++a->nlit;
	return (long)a->nlit - 1;
}

/* How much a set of atoms lets through, roughly: lower is better. */
static int
guard_cost(const struct xguard *g)
{
	int a, b;

	switch (g->kind) {
	case G_AND:
		a = guard_cost(g->a);
		b = guard_cost(g->b);
		return a < b ? a : b;
	case G_OR:
		return guard_cost(g->a) + guard_cost(g->b);
	case G_FIELD_IN:
		/* (.f // "x") == "x" is true of every record without .f */
		return g->alt ? 8 : 1;
	case G_ANY_IN:
		return 1;
	case G_KEYSUB:
	case G_ANY_UNKNOWN:
	case G_HASKEY:
		return 2;
	case G_MEMBERS:
		return 4;
	default:
		return 10;
	}
}

static int
guard_has_and(const struct xguard *g)
{
	if (g->kind == G_AND)
		return 1;
	if (g->kind == G_OR)
		return guard_has_and(g->a) || guard_has_and(g->b);
	return 0;
}

/* The clauses of guard g (the operands of its top-level ands) into c[n],
 * at most PLAN_CLAUSES in all; the new count, or PLAN_CLAUSES + 1 when
 * some did not fit. */
static size_t
guard_clauses(const struct xguard *g, const struct xguard **c, size_t n)
{
	if (g->kind == G_AND)
		return guard_clauses(g->b, c, guard_clauses(g->a, c, n));
	if (n >= PLAN_CLAUSES)
		return PLAN_CLAUSES + 1;
	c[n] = g;
	return n + 1;
}

/* File bit i under the atoms of guard g: the cheaper side of an and,
 * both sides of an or. */
static int
plan_add(struct fo_xplan *p, const struct xguard *g, size_t i)
{
	struct xatom *a;
	size_t k, j;
	long l;

	switch (g->kind) {
	case G_AND:
		return plan_add(p, guard_cost(g->a) <= guard_cost(g->b) ?
		    g->a : g->b, i);
	case G_OR:
		return plan_add(p, g->a, i) == FO_OK ? plan_add(p, g->b, i) :
		    FO_ENOMEM;
	}
	if ((a = atom_for(p, g)) == NULL)
		return FO_ENOMEM;
	setbit(a->rules, i);
	switch (a->kind) {
	case A_EQ:
	case A_MEMBER:
		for (k = 0; k < g->nlit; k++) {
			if ((l = atom_lit(a, &g->lit[k])) < 0)
				return FO_ENOMEM;
			setbit(a->litrules + (size_t)l * a->words, i);
		}
		/* (.f // "x") == "x": a record without .f reads "x" */
		break;
	case A_KIND:
		for (j = 0; j < 8; j++)
			if ((g->kinds >> j) & 1)
				setbit(a->bykind + j * a->words, i);
		break;
	}
	return FO_OK;
}

void
fo_xplan_free(struct fo_xplan *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->natom; i++) {
		if (p->pool == NULL) {
			free(p->atom[i].rules);
			free(p->atom[i].bykind);
			free(p->atom[i].lit);
			free(p->atom[i].litrules);
			free(p->atom[i].tab);
		}
		memo_free(p->atom[i].memo);
	}
	for (i = 0; i < p->nvg; i++) {
		free(p->vg[i].m.ent);
		free(p->vg[i].m.tab);
		free(p->vg[i].m.keys);
	}
	free(p->absent);
	free(p->vg);
	free(p->vgof);
	free(p->vgbit);
	free(p->vgcond);
	free(p->pool);
	free(p->atom);
	free(p->always);
	free(p->whole);
	free(p->wide);
	free(p->slotrule);
	free(p);
}

/* The kind of token t (-1: absent, null), without decoding it. */
static int
tok_kind(const struct fo_xrun *x, int t)
{
	struct fo_span sp;

	if (t < 0)
		return XK_NULL;
	switch (fo_rec_type(x->r, t)) {
	case FO_J_OBJECT:
		return XK_OBJ;
	case FO_J_ARRAY:
		return XK_ARR;
	case FO_J_STRING:
		return XK_STR;
	default:
		sp = fo_rec_span(x->r, t);
		if (sp.n == 0 || sp.p[0] == 'n')
			return XK_NULL;
		return sp.p[0] == 't' ? XK_TRUE : sp.p[0] == 'f' ? XK_FALSE :
		    XK_NUM;
	}
}

/* Bytes of a table of n items of size sz, a multiple of 8. */
#define PACKED(n, sz)	(((n) * (sz) + 7) / 8 * 8)

/* n bytes of from into *q, moved on; from freed. */
static void *
pack(char **q, void *from, size_t n)
{
	void *to = *q;

	memcpy(to, from, n);
	free(from);
	*q += PACKED(n, 1);
	return to;
}

/* The atoms' bit sets and literal tables, built in many allocations,
 * into one block in the order fo_xplan_may reads them: a record's plan
 * reads a few kilobytes in a row. */
static int
plan_pack(struct fo_xplan *p)
{
	struct xatom *a;
	size_t i, n = 0, w = p->words * sizeof(uint64_t);
	char *q;

	for (i = 0; i < p->natom; i++) {
		a = &p->atom[i];
		n += w + (a->bykind ? 8 * w : 0);
		if (a->tab != NULL)
			n += a->nlit * w + PACKED(a->mask + 1,
			    sizeof *a->tab) + PACKED(a->nlit, sizeof *a->lit);
	}
	if ((p->pool = q = malloc(n ? n : 1)) == NULL)
		return FO_ENOMEM;
	for (i = 0; i < p->natom; i++) {
		a = &p->atom[i];
		a->rules = pack(&q, a->rules, w);
		if (a->bykind != NULL)
			a->bykind = pack(&q, a->bykind, 8 * w);
		if (a->tab == NULL)
			continue;
		a->tab = pack(&q, a->tab, (a->mask + 1) * sizeof *a->tab);
		a->lit = pack(&q, a->lit, a->nlit * sizeof *a->lit);
		a->litrules = pack(&q, a->litrules, a->nlit * w);
	}
	return FO_OK;
}

/* Atoms of one field next to each other, so that fo_xplan_may reads it
 * once for all of them, those that test it whole last, and of those the
 * ones that read its keys alone; -1 (no number) last of all. */
static int
atom_cmp(const void *a, const void *b)
{
	const struct xatom *x = a, *y = b;
	unsigned fa = (unsigned)x->g->fid, fb = (unsigned)y->g->fid;

	if (fa != fb)
		return fa < fb ? -1 : 1;
	if (atom_whole(x->kind) != atom_whole(y->kind))
		return atom_whole(x->kind) - atom_whole(y->kind);
	return atom_keys(x->kind) - atom_keys(y->kind);
}

static void atoms_run(const struct fo_xplan *, struct fo_xrun *, size_t,
    size_t, int, uint64_t *);

/*
 * The runs of atoms of one field, and what each run lets in on a record
 * without the field, worked out on {} by fo_xplan_may's own atoms_run:
 * an atom reads its field alone, so an absent field always gives the
 * same bits (a kind "null", an alternative's literal, the whole-field
 * tests of a missing field), and such a record pays one or for them.
 * An atom of a field with no number has a run of its own and no absent
 * bits. FO_OK, or FO_ENOMEM.
 */
static int
plan_absent(struct fo_xplan *p)
{
	struct xatom *a;
	struct fo_xrun *x;
	struct fo_rec rec;
	struct fo_err e;
	size_t i, j, nrun = 0;
	int rc = FO_OK;

	for (i = 0; i < p->natom; i = j) {
		a = &p->atom[i];
		for (j = i + 1; j < p->natom && a->fid >= 0 &&
		    p->atom[j].fid == a->fid; j++)
			;
		a->run = j - i;
		nrun += a->fid >= 0;
	}
	if (nrun == 0)
		return FO_OK;
	if ((p->absent = calloc(nrun * p->words, sizeof *p->absent)) == NULL ||
	    (x = fo_xrun_new()) == NULL)
		return FO_ENOMEM;
	fo_rec_init(&rec);
	if ((rc = fo_rec_parse(&rec, "{}", 2, &e)) == FO_OK) {
		fo_xrun_record(x, &rec);
		for (i = 0, j = 0; i < p->natom; i += p->atom[i].run) {
			a = &p->atom[i];
			if (a->fid < 0)
				continue;
			a->absent = p->absent + j++ * p->words;
			atoms_run(p, x, i, i + a->run, -1, a->absent);
		}
	}
	fo_rec_free(&rec);
	fo_xrun_free(x);
	return rc == FO_ENOMEM ? FO_ENOMEM : FO_OK;
}

/* The same fields, in any order. */
static int
same_fields(const struct xmemo *a, const struct xmemo *b)
{
	int i, j;

	if (a->nf != b->nf)
		return 0;
	for (i = 0; i < a->nf; i++) {
		for (j = 0; j < b->nf; j++)
			if (a->f[i]->n == b->f[j]->n &&
			    memcmp(a->f[i]->s, b->f[j]->s, a->f[i]->n) == 0)
				break;
		if (j == b->nf)
			return 0;
	}
	return 1;
}

/* The conditions that read the same fields and nothing else, in groups
 * of two to VG_MEMBERS (at most n groups): FO_OK or FO_ENOMEM. */
static int
plan_groups(struct fo_xplan *p, const struct fo_expr *const *cond,
    size_t n)
{
	struct xmemo t;
	size_t i, g;

	if ((p->vg = calloc(n + 1, sizeof *p->vg)) == NULL ||
	    (p->vgof = calloc(n + 1, sizeof *p->vgof)) == NULL ||
	    (p->vgbit = calloc(n + 1, sizeof *p->vgbit)) == NULL ||
	    (p->vgcond = calloc(n + 1, sizeof *p->vgcond)) == NULL)
		return FO_ENOMEM;
	for (i = 0; i < n; i++) {
		p->vgof[i] = -1;
		if (cond[i] == NULL || cond[i]->root == NULL)
			continue;
		memset(&t, 0, sizeof t);
		if (memo_reads(cond[i]->root, 0, 0, &t) != 0 || t.nf == 0)
			continue;
		/* (a full group is followed by another of the same fields) */
		for (g = 0; g < p->nvg && (p->vg[g].nmem == VG_MEMBERS ||
		    !same_fields(&p->vg[g].m, &t)); g++)
			;
		if (g == p->nvg) {
			p->vg[g].m = t;
			p->vg[g].cur = -1;
			p->nvg++;
		}
		p->vgof[i] = (int)g;
		p->vgbit[i] = (unsigned char)p->vg[g].nmem++;
		p->vgcond[i] = cond[i];
	}
	/* a group of one would only add its lookup to its member's own */
	for (i = 0; i < n; i++)
		if (p->vgof[i] >= 0 && p->vg[p->vgof[i]].nmem < 2)
			p->vgof[i] = -1;
	return FO_OK;
}

int
fo_xplan_new(struct fo_xplan **pp, const struct fo_expr *const *cond,
    size_t n)
{
	const struct xguard *c[PLAN_CLAUSES], *t;
	struct fo_xplan *p;
	size_t i, j, k, s, nc, all;

	*pp = NULL;
	if ((p = calloc(1, sizeof *p)) == NULL)
		return FO_ENOMEM;
	p->n = n;
	p->lw = (n + 63) / 64;
	/* a slot for every clause but the first */
	for (i = 0; i < n; i++)
		if (cond[i] != NULL && cond[i]->guard != NULL) {
			nc = guard_clauses(cond[i]->guard, c, 0);
			p->nslot += (nc > PLAN_CLAUSES ? PLAN_CLAUSES : nc) - 1;
		}
	p->words = p->lw + (p->nslot + 63) / 64;
	if ((p->always = calloc(p->words + 1, sizeof *p->always)) == NULL ||
	    (p->whole = calloc(p->lw + 1, sizeof *p->whole)) == NULL ||
	    (p->wide = calloc(p->words + 1, sizeof *p->wide)) == NULL ||
	    (p->slotrule = calloc(p->nslot + 1, sizeof *p->slotrule)) ==
	    NULL) {
		fo_xplan_free(p);
		return FO_ENOMEM;
	}
	/* the slots past the last are never cleared */
	for (i = p->lw * 64 + p->nslot; i < p->words * 64; i++)
		setbit(p->always, i);
	for (i = 0, s = 0; i < n; i++) {
		if (cond[i] == NULL || cond[i]->guard == NULL) {
			setbit(p->always, i);
			continue;
		}
		nc = guard_clauses(cond[i]->guard, c, 0);
		all = nc <= PLAN_CLAUSES;
		if (nc > PLAN_CLAUSES)
			nc = PLAN_CLAUSES;
		/* the cheapest first, in their order otherwise */
		for (j = 1; j < nc; j++)
			for (k = j; k > 0 &&
			    guard_cost(c[k]) < guard_cost(c[k - 1]); k--) {
				t = c[k];
				c[k] = c[k - 1];
				c[k - 1] = t;
			}
		/* every clause filed and none with an and inside: the
		 * atoms' verdict is the guard's own */
		for (j = 0; j < nc && all; j++)
			if (guard_has_and(c[j]))
				all = 0;
		if (all)
			setbit(p->whole, i);
		for (j = 0; j < nc; j++) {
			if (j > 0)
				p->slotrule[s] = (uint32_t)i;
			if (plan_add(p, c[j], j == 0 ? i : p->lw * 64 + s++) !=
			    FO_OK) {
				fo_xplan_free(p);
				return FO_ENOMEM;
			}
		}
	}
	if (p->natom > 1)
		qsort(p->atom, p->natom, sizeof *p->atom, atom_cmp);
	/* the atoms that test one field whole: one memo, the first's */
	for (i = 0; i < p->natom; i = j) {
		struct xatom *a = &p->atom[i];

		for (j = i + 1; j < p->natom && atom_whole(a->kind) &&
		    a->g->fid >= 0 && p->atom[j].g->fid == a->g->fid &&
		    atom_keys(p->atom[j].kind) == atom_keys(a->kind) &&
		    j - i < ATOM_GROUP; j++) {
			p->atom[j].gbit = (int)(j - i);
			memo_free(p->atom[j].memo);
			p->atom[j].memo = NULL;
		}
		if (atom_whole(a->kind))
			a->gn = j - i;
		else
			j = i + 1;
	}
	if (plan_pack(p) != FO_OK || plan_absent(p) != FO_OK ||
	    plan_groups(p, cond, n) != FO_OK) {
		fo_xplan_free(p);
		return FO_ENOMEM;
	}
	*pp = p;
	return FO_OK;
}

size_t
fo_xplan_words(const struct fo_xplan *p)
{
	return p->lw;
}

/* guard_may of the guards of a group's n atoms (a first), as bits, kept
 * by the text of their field: the same hold codes, the same extra
 * object, the same verdicts. */
static uint64_t
atoms_test(struct fo_xrun *x, const struct xatom *a, size_t n)
{
	struct xmemo *m = a->memo;
	struct fo_buf *b = &x->mkey;
	const struct xment *e;
	struct xv v;
	uint64_t h, bits = 0;
	size_t i;
	int keep = m != NULL && !m->off, t;

	if (keep) {
		fo_buf_reset(b);
		t = root_field(x, a->fid, a->field, a->fieldn, a->fieldh);
		if (atom_keys(a->kind) && fo_rec_type(x->r, t) == FO_J_OBJECT)
			memo_keysput(b, x->r, t);
		else
			memo_keyput(b, x->r, t);
		if (b->oom || b->n > XM_KEYMAX) {
			b->oom = 0;
			keep = 0;
		}
	}
	if (keep) {
		h = fo_hash_words(b->p, b->n);
		m->look++;
		if ((e = memo_find(m, b->p, b->n, h)) != NULL) {
			m->hit++;
			return (uint64_t)e->d;
		}
	}
	for (i = 0; i < n; i++)
		bits |= (uint64_t)(guard_may(x, a[i].g) != 0) << i;
	if (keep) {
		v = mknum((double)bits);
		memo_put(m, b->p, b->n, h, 1, &v, 0, 0, 0);
		memo_judge(m);
	}
	return bits;
}

/* Add the rules of literal s of atom a. */
static void
atom_find(const struct xatom *a, const char *s, size_t n, uint64_t *may)
{
	size_t i;
	unsigned j;

	for (i = key_hash(s, n) & a->mask; (j = a->tab[i]) != 0;
	    i = (i + 1) & a->mask)
		if (a->lit[j - 1].n == n && fo_same(a->lit[j - 1].s, s, n)) {
			orbits(may, a->litrules + (j - 1) * a->words,
			    a->words);
			return;
		}
}

const uint64_t *
fo_xplan_whole(const struct fo_xplan *p)
{
	return p->whole;
}

/* Atoms i to end of one field (token t, -1: none) into w. */
static void
atoms_run(const struct fo_xplan *p, struct fo_xrun *x, size_t i,
    size_t end, int t, uint64_t *w)
{
	const struct xatom *a;
	struct xv v, m, raw;
	struct xit it;
	uint64_t gbits = 0;
	int rc, k, have = 0;

	for (; i < end; i++) {
		a = &p->atom[i];
		if (atom_whole(a->kind)) {
			/* the guard's own test, once for all its rules */
			if (a->gn > 0)
				gbits = atoms_test(x, a, a->gn);
			if (gbits >> a->gbit & 1)
				orbits(w, a->rules, a->words);
			continue;
		}
		/* decoded only when an atom needs more than its kind */
		k = have ? raw.k : tok_kind(x, t);
		if (a->alt != NULL && (k == XK_NULL || k == XK_FALSE)) {
			v = *a->alt;
			k = v.k;
		} else if (a->kind != A_KIND) {
			if (!have) {
				if (t < 0)
					raw = v_null;
				else if (tokval(x, t, &raw) != 0) {
					orbits(w, a->rules, a->words);
					continue;
				}
				have = 1;
			}
			v = raw;
		}
		switch (a->kind) {
		case A_EQ:
			if (v.k == XK_STR)
				atom_find(a, v.s, v.n, w);
			break;
		case A_KIND:
			orbits(w, a->bykind + (size_t)k * a->words,
			    a->words);
			break;
		case A_MEMBER:
			if (v.k != XK_ARR && v.k != XK_OBJ)
				break;
			it_start(x, &it, &v);
			while ((rc = it_next(x, &it, NULL, &m)) == 1)
				if (m.k == XK_STR)
					atom_find(a, m.s, m.n, w);
			if (rc != 0)
				orbits(w, a->rules, a->words);
			break;
		case A_CMP2:
			/* without .field the bits are plan_absent's, made on
			 * {}: they may not hang on .field2 */
			if (t < 0 || cmp2_may(x, a->g, &v))
				orbits(w, a->rules, a->words);
			break;
		}
	}
}

int
fo_xplan_may(const struct fo_xplan *p, struct fo_xrun *x,
    const struct fo_rec *r, uint64_t *may)
{
	const struct xatom *a;
	uint64_t *w = p->wide, z;
	size_t i, end, q;
	int t;

	run_setup(x, r);
	/* a record that is no object is left to the conditions whole */
	if (p->bad || fo_rec_type(r, 0) != FO_J_OBJECT) {
		memset(may, 0xff, p->lw * sizeof *may);
		return 0;
	}
	memcpy(w, p->always, p->words * sizeof *w);
	/* each field once for all its atoms; one the record does not have
	 * always lets in the same rules */
	for (i = 0; i < p->natom; i = end) {
		a = &p->atom[i];
		end = i + a->run;
		t = root_field(x, a->fid, a->field, a->fieldn, a->fieldh);
		if (t < 0 && a->absent != NULL)
			orbits(w, a->absent, p->words);
		else
			atoms_run(p, x, i, end, t, w);
	}
	/* a rule may match when each of its clauses may hold */
	memcpy(may, w, p->lw * sizeof *may);
	for (i = p->lw; i < p->words; i++)
		for (z = ~w[i]; z != 0; z &= z - 1) {
			q = p->slotrule[(i - p->lw) * 64 + fo_lowbit(z)];
			may[q / 64] &= ~((uint64_t)1 << (q % 64));
		}
	return 1;
}

/* The entry of group g for the key in x->mkey (hash h), made when it
 * is new: its index, or -1 when the group keeps none. */
static long
vg_entry(struct xvgroup *g, struct fo_xrun *x, uint64_t h)
{
	struct xmemo *m = &g->m;
	const struct xment *e;

	m->look++;
	if ((e = memo_find(m, x->mkey.p, x->mkey.n, h)) != NULL) {
		m->hit++;
		return (long)(e - m->ent);
	}
	/* no member has run on it: no verdict yet (res 2, no value) */
	memo_put(m, x->mkey.p, x->mkey.n, h, 2, &v_null, 0, 0, 0);
	memo_judge(m);
	if (m->off || m->nent == 0)
		return -1;
	return (long)m->nent - 1;
}

int
fo_xplan_cond(struct fo_xplan *p, size_t i, const struct fo_expr *e,
    struct fo_xrun *x, const struct fo_rec *r, int planned)
{
	struct xvgroup *g;
	struct xment *ent;
	struct xv root = v_null;
	unsigned long bit;
	uint64_t h;
	int v;

	if (p == NULL || p->vgof == NULL || i >= p->n || p->vgof[i] < 0 ||
	    p->vgcond[i] != e)
		return cond_run(e, x, r, !planned);
	g = &p->vg[p->vgof[i]];
	/* the record's number (a kept verdict needs no more: cond_run sets
	 * up its own run) */
	if (!pinned(x, r) || x->r != r)
		run_setup(x, r);
	if (g->rec != x->recno) {
		g->rec = x->recno;
		g->cur = -1;
		root.k = XK_OBJ;
		root.tok = 0;
		if (!g->m.off && fo_rec_type(r, 0) == FO_J_OBJECT &&
		    memo_key(x, &g->m, &root, &h) == 0)
			g->cur = vg_entry(g, x, h);
	}
	if (g->cur < 0)
		return cond_run(e, x, r, !planned);
	ent = &g->m.ent[g->cur];
	bit = 1UL << p->vgbit[i];
	if (ent->steps & bit)
		return (ent->req & bit) != 0;
	v = cond_run(e, x, r, !planned);
	if (v == 0 || v == 1) {
		ent->steps |= bit;
		if (v)
			ent->req |= bit;
	}
	return v;
}

/* Mark the nodes simple() computes whole: at most one output, no
 * generator, no label, nothing bound, nothing caught. */
static int
mark_simple(struct xnode *n)
{
	int a = 1, b = 1;

	if (n == NULL)
		return 1;
	/* every child is marked, whatever n turns out to be */
	if (n->op != N_CONST) {
		a = mark_simple(n->a);
		b = mark_simple(n->b);
		(void)mark_simple(n->c);
	}
	switch (n->op) {
	case N_DOT:
	case N_CONST:
	case N_VAR:
		n->simp = 1;
		break;
	case N_INDEX:
		n->simp = !n->opt && a && (n->b->op == N_CONST || b);
		break;
	case N_PIPE:
	case N_ALT:
	case N_AND:
	case N_OR:
	case N_BIN:
		n->simp = a && b;
		break;
	case N_NEG:
		n->simp = a;
		break;
	case N_CALL:
		switch (n->sub) {
		case F_NOT: case F_LENGTH: case F_TYPE: case F_NUMBERS:
		case F_STRINGS: case F_VALUES: case F_NULLS: case F_BOOLEANS:
		case F_ARRAYS: case F_OBJECTS: case F_DOWN: case F_UP:
		case F_TEST:
			n->simp = 1;
			break;
		case F_IN1:
			n->simp = n->set != NULL;
			break;
		case F_STARTS:
		case F_ENDS:
		case F_CONTAINS:
			n->simp = a;
			break;
		default:
			n->simp = 0;
		}
		break;
	default:
		n->simp = 0;
	}
	return n->simp;
}

/*
 * The rest of a condition once its plan judged its guard true. When
 * the condition is an and of clauses, computed whole by simple() (one
 * step, whatever it holds) and kept by no memo of its own, a clause
 * that is exactly its own guard, a field equal to literals or a field's
 * type, is known true then and need not run: e->rest is the and of the
 * others (true when none is left). Such a clause never fails on the
 * record, and reads nothing but its field. FO_OK or FO_ENOMEM.
 */
#define REST_MAX	32

static size_t
and_clauses(struct xnode *n, struct xnode **c, size_t k)
{
	if (n->op == N_AND)
		return and_clauses(n->b, c, and_clauses(n->a, c, k));
	if (k < REST_MAX)
		c[k] = n;
	return k + 1;
}

static int
expr_rest(struct xparse *ps, struct fo_expr *e)
{
	struct xnode *c[REST_MAX], *rest = NULL, *a;
	const struct xguard *g, *skip[REST_MAX];
	size_t n, i, ns = 0;

	if (e->root->op != N_AND || !e->root->simp || e->root->memo != NULL ||
	    (n = and_clauses(e->root, c, 0)) > REST_MAX)
		return FO_OK;
	for (i = 0; i < n; i++) {
		g = guard_of(e, c[i]);
		if (g != NULL && (g->kind == G_FIELD_IN || g->kind == G_TYPE)) {
			skip[ns++] = g;
			continue;
		}
		if (rest == NULL) {
			rest = c[i];
			continue;
		}
		if ((a = newnode(ps, N_AND)) == NULL)
			return FO_ENOMEM;
		a->a = rest;
		a->b = c[i];
		a->simp = 1;
		rest = a;
	}
	if (ns == 0)
		return FO_OK;
	if (rest == NULL) {
		if ((rest = newnode(ps, N_CONST)) == NULL)
			return FO_ENOMEM;
		rest->v = v_true;
		rest->simp = 1;
	}
	if ((e->skip = own(e, ns * sizeof *e->skip)) == NULL)
		return FO_ENOMEM;
	memcpy(e->skip, skip, ns * sizeof *e->skip);
	e->nskip = ns;
	e->rest = rest;
	return FO_OK;
}

void
fo_expr_free(struct fo_expr *e)
{
	struct xnode *n, *nx;
	size_t i;

	if (e == NULL)
		return;
	for (n = e->nodes; n; n = nx) {
		nx = n->next;
		if (n->re)
			regex_put(n->re);
		if (n->twin != NULL) {
			if (n->twin->re != NULL)
				regex_put(n->twin->re);
			free(n->twin);
		}
		memo_free(n->memo);
		memo_free(n->rmemo);
		free(n);
	}
	for (i = 0; i < e->nown; i++)
		free(e->own[i]);
	free(e->own);
	free(e);
}

int
fo_expr_new(struct fo_expr **ep, const char *src,
    const struct fo_jqparam *par, size_t np, struct fo_err *why)
{
	struct xparse ps;
	struct fo_expr *e;
	struct xnode *nd;
	size_t n = strlen(src);

	*ep = NULL;
	if (why)
		fo_err_clear(why);
	if ((e = calloc(1, sizeof *e)) == NULL)
		return FO_ENOMEM;
	memset(&ps, 0, sizeof ps);
	ps.e = e;
	ps.src = ps.p = src;
	ps.par = par;
	ps.npar = np;
	ps.why = why;
	if (fo_utf8_check(src, n) != n) {
		fail(&ps, src + fo_utf8_check(src, n), "not UTF-8");
		fo_expr_free(e);
		return FO_ERR;
	}
	next(&ps);
	e->root = parse_pipe(&ps);
	if (e->root != NULL && ps.tok != T_EOF)
		fail(&ps, ps.ts, ps.tok == T_BAD ?
		    "construct not in the native subset" : "unexpected token");
	if (ps.failed || e->root == NULL || ps.tok != T_EOF) {
		int rc = ps.failed == 2 ? FO_ENOMEM : FO_ERR;

		if (rc == FO_ERR && !ps.failed)
			fail(&ps, ps.ts, "not understood");
		fo_expr_free(e);
		return rc;
	}
	/* a guard that could not be made (no memory) is only no guard */
	e->guard = guard_of(e, e->root);
	mark_simple(e->root);
	for (nd = e->nodes; nd; nd = nd->next) {
		if (nd->op == N_INDEX && nd->b->op == N_CONST &&
		    nd->b->v.k == XK_STR) {
			nd->fid = fo_field_id(nd->b->v.s, nd->b->v.n);
			nd->kh = fo_rec_keyhash(nd->b->v.s, nd->b->v.n);
		}
		if (nd->op == N_CALL && nd->sub == F_TEST && nd->re != NULL) {
			if ((nd->rmemo = calloc(1, sizeof *nd->rmemo)) ==
			    NULL) {
				fo_expr_free(e);
				return FO_ENOMEM;
			}
			nd->rmemo->maxent = XR_MAX;
			nd->rmemo->maxkeys = XR_KEYS;
		}
	}
	if (memo_mark(e, e->root) < 0 || expr_rest(&ps, e) != FO_OK) {
		fo_expr_free(e);
		return FO_ENOMEM;
	}
	*ep = e;
	return FO_OK;
}
