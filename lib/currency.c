/* currency.c - ISO 4217 minor units, the default scale of an amount. */
#include <stdlib.h>
#include <string.h>

#include "fo.h"

struct currency {
	char code[4];
	int minor;
};

/*
 * The active codes of ISO 4217 list one, sorted for bsearch. Codes whose
 * minor unit is "N.A." (metals XAU XAG XPD XPT, bond units XBA-XBD, XDR,
 * XSU, XUA, XTS, XXX) are left out: they name no amount with a scale.
 * Withdrawn codes (HRK, ZWL, ...) are left out too: an invoice in one
 * today is an exception worth seeing.
 */
static const struct currency currencies[] = {
	{ "AED", 2 }, { "AFN", 2 }, { "ALL", 2 }, { "AMD", 2 },
	{ "ANG", 2 }, { "AOA", 2 }, { "ARS", 2 }, { "AUD", 2 },
	{ "AWG", 2 }, { "AZN", 2 }, { "BAM", 2 }, { "BBD", 2 },
	{ "BDT", 2 }, { "BGN", 2 }, { "BHD", 3 }, { "BIF", 0 },
	{ "BMD", 2 }, { "BND", 2 }, { "BOB", 2 }, { "BOV", 2 },
	{ "BRL", 2 }, { "BSD", 2 }, { "BTN", 2 }, { "BWP", 2 },
	{ "BYN", 2 }, { "BZD", 2 }, { "CAD", 2 }, { "CDF", 2 },
	{ "CHE", 2 }, { "CHF", 2 }, { "CHW", 2 }, { "CLF", 4 },
	{ "CLP", 0 }, { "CNY", 2 }, { "COP", 2 }, { "COU", 2 },
	{ "CRC", 2 }, { "CUC", 2 }, { "CUP", 2 }, { "CVE", 2 },
	{ "CZK", 2 }, { "DJF", 0 }, { "DKK", 2 }, { "DOP", 2 },
	{ "DZD", 2 }, { "EGP", 2 }, { "ERN", 2 }, { "ETB", 2 },
	{ "EUR", 2 }, { "FJD", 2 }, { "FKP", 2 }, { "GBP", 2 },
	{ "GEL", 2 }, { "GHS", 2 }, { "GIP", 2 }, { "GMD", 2 },
	{ "GNF", 0 }, { "GTQ", 2 }, { "GYD", 2 }, { "HKD", 2 },
	{ "HNL", 2 }, { "HTG", 2 }, { "HUF", 2 }, { "IDR", 2 },
	{ "ILS", 2 }, { "INR", 2 }, { "IQD", 3 }, { "IRR", 2 },
	{ "ISK", 0 }, { "JMD", 2 }, { "JOD", 3 }, { "JPY", 0 },
	{ "KES", 2 }, { "KGS", 2 }, { "KHR", 2 }, { "KMF", 0 },
	{ "KPW", 2 }, { "KRW", 0 }, { "KWD", 3 }, { "KYD", 2 },
	{ "KZT", 2 }, { "LAK", 2 }, { "LBP", 2 }, { "LKR", 2 },
	{ "LRD", 2 }, { "LSL", 2 }, { "LYD", 3 }, { "MAD", 2 },
	{ "MDL", 2 }, { "MGA", 2 }, { "MKD", 2 }, { "MMK", 2 },
	{ "MNT", 2 }, { "MOP", 2 }, { "MRU", 2 }, { "MUR", 2 },
	{ "MVR", 2 }, { "MWK", 2 }, { "MXN", 2 }, { "MXV", 2 },
	{ "MYR", 2 }, { "MZN", 2 }, { "NAD", 2 }, { "NGN", 2 },
	{ "NIO", 2 }, { "NOK", 2 }, { "NPR", 2 }, { "NZD", 2 },
	{ "OMR", 3 }, { "PAB", 2 }, { "PEN", 2 }, { "PGK", 2 },
	{ "PHP", 2 }, { "PKR", 2 }, { "PLN", 2 }, { "PYG", 0 },
	{ "QAR", 2 }, { "RON", 2 }, { "RSD", 2 }, { "RUB", 2 },
	{ "RWF", 0 }, { "SAR", 2 }, { "SBD", 2 }, { "SCR", 2 },
	{ "SDG", 2 }, { "SEK", 2 }, { "SGD", 2 }, { "SHP", 2 },
	{ "SLE", 2 }, { "SLL", 2 }, { "SOS", 2 }, { "SRD", 2 },
	{ "SSP", 2 }, { "STN", 2 }, { "SVC", 2 }, { "SYP", 2 },
	{ "SZL", 2 }, { "THB", 2 }, { "TJS", 2 }, { "TMT", 2 },
	{ "TND", 3 }, { "TOP", 2 }, { "TRY", 2 }, { "TTD", 2 },
	{ "TWD", 2 }, { "TZS", 2 }, { "UAH", 2 }, { "UGX", 0 },
	{ "USD", 2 }, { "USN", 2 }, { "UYI", 0 }, { "UYU", 2 },
	{ "UYW", 4 }, { "UZS", 2 }, { "VED", 2 }, { "VES", 2 },
	{ "VND", 0 }, { "VUV", 0 }, { "WST", 2 }, { "XAF", 0 },
	{ "XCD", 2 }, { "XCG", 2 }, { "XOF", 0 }, { "XPF", 0 },
	{ "YER", 2 }, { "ZAR", 2 }, { "ZMW", 2 }, { "ZWG", 2 },
};

/* A code as a number, for comparisons without memcmp. */
static unsigned long
codeval(const char *s)
{
	return (unsigned long)(unsigned char)s[0] << 16 |
	    (unsigned long)(unsigned char)s[1] << 8 | (unsigned char)s[2];
}

int
fo_currency_minor(const char *code, size_t n)
{
	size_t i, lo = 0, hi = sizeof currencies / sizeof currencies[0], mid;
	unsigned long want, v;

	/* Exactly three uppercase letters: "eur" and "EURO" are not codes. */
	if (code == NULL || n != 3)
		return -1;
	for (i = 0; i < 3; i++)
		if (code[i] < 'A' || code[i] > 'Z')
			return -1;
	/* every row asks: a binary search by hand, not bsearch's calls */
	want = codeval(code);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((v = codeval(currencies[mid].code)) == want)
			return currencies[mid].minor;
		if (v < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

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
