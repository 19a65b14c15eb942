/*
 * currencies.c - the currency table (rules/currencies.yaml): the names
 * and symbols exports write for a currency (US Dollar, $, A$, CHF), to
 * ISO 4217 codes, for fo-ingest.
 */
#include <stdlib.h>
#include <string.h>

#include "fo.h"

/*
 * The currency table (rules/currencies.yaml): names and symbols to
 * codes. One sorted array of keys, names folded like headers and
 * symbols with ASCII letters lowered, so that the codes a key names are
 * neighbours and a look-up is one binary search.
 */
struct curkey {
	char *key;		/* "s" or "n", then the compared text */
	char code[4];
};

struct fo_currencies {
	struct curkey *v;
	size_t n, cap;
	int oom;
};

static int
keycmp(const void *a, const void *b)
{
	const struct curkey *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->code, y->code);
}

/* A symbol's key into buf (n + 2 bytes): "s", then its bytes, ASCII
 * letters lowered. */
static char *
symkey(char *k, const char *s, size_t n)
{
	size_t i;

	k[0] = 's';
	for (i = 0; i < n; i++)
		k[i + 1] = s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i];
	k[n + 1] = '\0';
	return k;
}

/* The key of a symbol: its kind, then its bytes, ASCII letters lowered;
 * of a name: its kind, then its fold. NULL on want of memory. */
static char *
curkey_make(int symbol, const char *s, size_t n)
{
	char *k, *f;

	if (!symbol) {
		if ((f = fo_header_fold(s, n)) == NULL)
			return NULL;
		n = strlen(f);
		if ((k = malloc(n + 2)) != NULL) {
			k[0] = 'n';
			memcpy(k + 1, f, n + 1);
		}
		free(f);
		return k;
	}
	if ((k = malloc(n + 2)) == NULL)
		return NULL;
	return symkey(k, s, n);
}

static void
curkey_add(struct fo_currencies *t, int symbol, const char *s,
    const char *code)
{
	struct curkey *v;

	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 512;
		if ((v = realloc(t->v, t->cap * sizeof *v)) == NULL) {
			t->oom = 1;
			return;
		}
		t->v = v;
	}
	if ((t->v[t->n].key = curkey_make(symbol, s, strlen(s))) == NULL) {
		t->oom = 1;
		return;
	}
	memcpy(t->v[t->n++].code, code, 4);
}

/* A symbol stands beside digits: no digit, sign, space or group mark in
 * it, and at most 8 bytes. */
static int
symbol_ok(const char *s)
{
	return *s != '\0' && strlen(s) <= 8 &&
	    strpbrk(s, "0123456789+-(), '\t\"") == NULL;
}

static void
load_list(struct fo_currencies *t, const struct fo_ynode *y, int symbol,
    const char *code, const char *file, struct fo_errs *errs)
{
	const char *s;
	char *f;
	size_t i;

	if (y == NULL)
		return;
	if (y->type != FO_Y_SEQ) {
		fo_yerr(errs, file, y, "%s must be a list", symbol ? "symbols" :
		    "names");
		return;
	}
	for (i = 0; i < y->n; i++) {
		if ((s = fo_yscalar(y->kid[i])) == NULL || *s == '\0') {
			fo_yerr(errs, file, y->kid[i], "%s: each entry is a "
			    "non-empty text", symbol ? "symbols" : "names");
			continue;
		}
		if (symbol && !symbol_ok(s)) {
			fo_yerr(errs, file, y->kid[i], "symbol '%s': at most 8 "
			    "bytes, no digits, signs, spaces or commas", s);
			continue;
		}
		if (!symbol) {
			if ((f = fo_header_fold(s, strlen(s))) == NULL) {
				t->oom = 1;
				return;
			}
			if (*f == '\0')
				fo_yerr(errs, file, y->kid[i], "name '%s' has "
				    "no letters or digits", s);
			free(f);
		}
		curkey_add(t, symbol, s, code);
	}
}

int
fo_currencies_load(const char *path, struct fo_currencies **tp,
    struct fo_errs *errs)
{
	static const char *const top[] = { "currencies", NULL };
	static const char *const per[] = { "names", "symbols", NULL };
	const struct fo_ynode *m, *k, *v;
	struct fo_currencies *t;
	struct fo_ydoc *doc = NULL;
	size_t before = errs->n, i, j;
	int r;

	*tp = NULL;
	if ((r = fo_yaml_load(path, &doc, errs)) != FO_OK) {
		fo_yaml_free(doc);
		return r;
	}
	if ((t = calloc(1, sizeof *t)) == NULL) {
		fo_yaml_free(doc);
		fo_errs_addf(errs, path, 0, 0, "out of memory");
		return FO_ENOMEM;
	}
	if (doc->root == NULL || doc->root->type != FO_Y_MAP ||
	    (m = fo_ymap_get(doc->root, "currencies")) == NULL ||
	    m->type != FO_Y_MAP)
		fo_errs_addf(errs, path, doc->root ? doc->root->line : 1,
		    doc->root ? doc->root->col : 1, "the currency table is a "
		    "mapping 'currencies' of ISO 4217 code to names and "
		    "symbols (fo-rules(5))");
	else if (fo_ymap_check(doc->root, top, "currency table", path,
	    errs) == 0)
		for (i = 0; i + 1 < m->n && !t->oom; i += 2) {
			k = m->kid[i];
			v = m->kid[i + 1];
			if (fo_currency_minor(k->str, k->len) < 0) {
				fo_yerr(errs, path, k, "'%s' is not an ISO 4217 "
				    "code fo knows (a minor unit)", k->str);
				continue;
			}
			if (v->type != FO_Y_MAP) {
				fo_yerr(errs, path, v, "%s: give names and "
				    "symbols", k->str);
				continue;
			}
			if (fo_ymap_check(v, per, k->str, path, errs))
				continue;
			load_list(t, fo_ymap_get(v, "names"), 0, k->str, path,
			    errs);
			load_list(t, fo_ymap_get(v, "symbols"), 1, k->str, path,
			    errs);
		}
	fo_yaml_free(doc);
	if (t->oom)
		fo_errs_addf(errs, path, 0, 0, "out of memory");
	if (t->oom || errs->n > before) {
		r = t->oom ? FO_ENOMEM : FO_ERR;
		fo_currencies_free(t);
		return r;
	}
	qsort(t->v, t->n, sizeof *t->v, keycmp);
	/* a code listed twice under one key counts once */
	for (i = j = 0; i < t->n; i++) {
		if (j > 0 && keycmp(&t->v[j - 1], &t->v[i]) == 0) {
			free(t->v[i].key);
			continue;
		}
		t->v[j++] = t->v[i];
	}
	t->n = j;
	*tp = t;
	return FO_OK;
}

void
fo_currencies_free(struct fo_currencies *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		free(t->v[i].key);
	free(t->v);
	free(t);
}

/* The codes of one key, appended to m (each once). */
static void
find_key(const struct fo_currencies *t, const char *key,
    struct fo_curmatch *m)
{
	size_t lo = 0, hi = t->n, mid, k;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(t->v[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->n && strcmp(t->v[lo].key, key) == 0; lo++) {
		for (k = 0; k < m->n; k++)
			if (memcmp(m->code[k], t->v[lo].code, 4) == 0)
				break;
		if (k == m->n && m->n < FO_CUR_MAXCAND)
			memcpy(m->code[m->n++], t->v[lo].code, 4);
	}
}

/* A code, a symbol or a name. */
static void
lookup_one(const struct fo_currencies *t, const char *s, size_t n,
    struct fo_curmatch *m)
{
	char code[4], buf[32], *k;
	size_t i;

	m->n = 0;
	if (n == 3) {
		for (i = 0; i < 3; i++)
			code[i] = s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' :
			    s[i];
		code[3] = '\0';
		if (fo_currency_minor(code, 3) >= 0) {
			memcpy(m->code[m->n++], code, 4);
			return;
		}
	}
	if (t == NULL)
		return;
	/* marks are short: their key on the stack, no allocation a row */
	if (n + 2 <= sizeof buf)
		find_key(t, symkey(buf, s, n), m);
	else if ((k = curkey_make(1, s, n)) == NULL) {
		m->oom = 1;
		return;
	} else {
		find_key(t, k, m);
		free(k);
	}
	if (m->n > 0)
		return;
	if ((k = curkey_make(0, s, n)) == NULL) {
		m->oom = 1;
		return;
	}
	if (k[1] != '\0')
		find_key(t, k, m);
	free(k);
}

static int
isalpha_ascii(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int
fo_currency_lookup(const struct fo_currencies *t, const char *s, size_t n,
    struct fo_curmatch *m)
{
	struct fo_curmatch a, b;
	size_t i, j, k;

	memset(m, 0, sizeof *m);
	if (n == 0)
		return FO_EMPTY;
	lookup_one(t, s, n, m);
	if (m->n > 0 || m->oom)
		return m->oom ? FO_ENOMEM : FO_OK;
	/* "$CAD", "CAD$": a sign and a code or symbol written together (a
	 * NetSuite currency's display symbol): the codes both name */
	for (i = 1; i < n && !!isalpha_ascii(s[i]) == !!isalpha_ascii(s[0]);
	    i++)
		;
	for (j = i; j < n && !!isalpha_ascii(s[j]) == !!isalpha_ascii(s[i]);
	    j++)
		;
	if (i == n || j < n)
		return FO_EMPTY;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	lookup_one(t, s, i, &a);
	lookup_one(t, s + i, n - i, &b);
	if (a.oom || b.oom)
		return FO_ENOMEM;
	for (i = 0; i < a.n; i++)
		for (k = 0; k < b.n; k++)
			if (memcmp(a.code[i], b.code[k], 4) == 0)
				memcpy(m->code[m->n++], a.code[i], 4);
	return m->n > 0 ? FO_OK : FO_EMPTY;
}
