/*
 * ingest.c - CSV rows to canonical records under a profile: the header
 * mapped once per file, then each row's cells parsed by the type of the
 * field they feed (money exact, dates checked), the id built from the key
 * columns, and every column no field takes kept under "extra". Junk rows
 * and context lines are recognised here too, and, for exports that mix
 * row types, the rows of one document are gathered into one record.
 */
/* madvise(MADV_HUGEPAGE) is Linux's, outside POSIX: see table_alloc */
#define _DEFAULT_SOURCE 1

#include <sys/mman.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"
#include "ingest.h"

#define COL_EXTRA (-1)
#define COL_FLAG (-2)
#define COL_DEBIT (-3)
#define COL_CREDIT (-4)

/* Shown in messages: at most 40 bytes of a cell. */
#define SHOW(t) (int)((t).n > 40 ? 40 : (t).n), (t).p

/*
 * extract's answers for the texts it has seen: regexec costs a few
 * microseconds, and an export names the same few hundred vendors on
 * every page. By hash, two places a key; texts past 47 bytes are not
 * kept.
 * glibc finds the whole match ten times faster than its captures, and
 * these depend only on the matched text and whether it touches the
 * ends of the text (^, $), unless the regex looks at the bytes around
 * it (\b, \<...): so a text not seen is looked up again by its matched
 * text ("V3001 ", one for all of that vendor's names).
 * 2,048 slots (108 KiB) stay in the cache: with 16,384 (864 KiB) a
 * file of mostly new names paid a cache miss a row, 7% of
 * netsuite-bills' time on the bench, for a few more answers kept.
 */
#define XMEMO_SLOTS 2048
#define XMEMO_TEXT 4		/* edge of a key that is the whole text */

struct fo_xmemo {
	int bymatch;		/* keyed by the matched text */
	int tail;		/* the capture is the match less a literal
				 * tail of this many bytes; -1: ask regexec */
	struct {
		char text[48];
		unsigned char n;	/* 0: empty */
		unsigned char edge;	/* match: 1 at the start, 2 at the end;
					 * XMEMO_TEXT: the whole text */
		short so, eo;		/* the capture, or so -1: no match */
	} slot[XMEMO_SLOTS];
};

/*
 * Dates as written out, for the texts read so far: an export has a few
 * hundred dates, each on many rows, and reading one (fo_date_read) and
 * writing it (fo_date_fmt) cost ten times a look-up. By text and format,
 * one place a key, the newer answer kept; only dates read whole.
 */
#define DMEMO_SLOTS 1024

struct fo_dmemo {
	char text[22];
	unsigned char n;	/* 0: empty */
	unsigned char fmt;	/* the format read with */
	char iso[10];		/* YYYY-MM-DD */
};

/* The memos' hash of a key: eight bytes a step, not FNV's one. */
static uint64_t
memo_hash(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;
	size_t i;

	for (i = 0; n - i >= 8; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	for (w = 0; i < n; i++)
		w = w << 8 | (unsigned char)p[i];
	h = (h ^ w) * 0xff51afd7ed558ccdULL;
	return h ^ h >> 29;
}

/*
 * JSON output for the record, written straight into the buffer after
 * one reservation. It gives exactly what fo_json_str and fo_obj_key
 * (json.c) give; it only checks and copies clean bytes eight at a time,
 * as a row's cells seldom hold anything to escape.
 */

static void
put_jstr(struct fo_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint64_t w;
	char *d;

	/* the worst case, \u00XX for every byte, and the quotes */
	if (n > (SIZE_MAX - 2) / 6)
		return;
	if (6 * n + 2 >= b->cap - b->n && fo_buf_reserve(b, 6 * n + 2) != FO_OK)
		return;
	d = b->p + b->n;
	*d++ = '"';
	/* clean words are stored as they are checked; a text of 8 bytes or
	 * more ends with its last 8, which overlap the words before */
	for (; n - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		if (FO_JSON_ESC8(w))
			goto escape;
		memcpy(d + i, &w, 8);
	}
	if (i < n && n >= 8) {
		memcpy(&w, s + n - 8, 8);
		if (FO_JSON_ESC8(w))
			goto escape;
		memcpy(d + n - 8, &w, 8);
		i = n;
	}
	for (; i < n; i++) {
		if (u[i] < 0x20 || u[i] == '"' || u[i] == '\\')
			goto escape;
		d[i] = s[i];
	}
	d += n;
	*d++ = '"';
	b->n = (size_t)(d - b->p);
	return;

escape:
	/* the bytes before i are clean and in place */
	for (d += i; i < n; i++) {
		if (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if (!FO_JSON_ESC8(w)) {
				memcpy(d, &w, 8);
				d += 8;
				i += 7;
				continue;
			}
		}
		if (u[i] >= 0x20 && u[i] != '"' && u[i] != '\\') {
			*d++ = (char)u[i];
			continue;
		}
		*d++ = '\\';
		switch (u[i]) {
		case '"':
		case '\\':
			*d++ = (char)u[i];
			break;
		case '\b':
			*d++ = 'b';
			break;
		case '\f':
			*d++ = 'f';
			break;
		case '\n':
			*d++ = 'n';
			break;
		case '\r':
			*d++ = 'r';
			break;
		case '\t':
			*d++ = 't';
			break;
		default:
			memcpy(d, "u00", 3);
			d[3] = hex[u[i] >> 4];
			d[4] = hex[u[i] & 0xf];
			d += 5;
			break;
		}
	}
	*d++ = '"';
	b->n = (size_t)(d - b->p);
}

/* ,"key": for a key that needs no escapes (a field's name) */
static inline void
put_key(struct fo_obj *o, const char *key, size_t n)
{
	struct fo_buf *b = o->b;
	char *d;

	if (n + 4 >= b->cap - b->n && fo_buf_reserve(b, n + 4) != FO_OK)
		return;
	d = b->p + b->n;
	if (o->n++ > 0)
		*d++ = ',';
	*d++ = '"';
	memcpy(d, key, n);
	d += n;
	*d++ = '"';
	*d++ = ':';
	b->n = (size_t)(d - b->p);
}

static inline void
put_kstr(struct fo_obj *o, const char *key, size_t kn, const char *s,
    size_t n)
{
	put_key(o, key, kn);
	put_jstr(o->b, s, n);
}

/* A number as fo_obj_long writes it. */
static void
put_long(struct fo_buf *b, long v)
{
	char d[24];
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	int i = sizeof d;

	do
		d[--i] = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		d[--i] = '-';
	fo_buf_put(b, d + i, sizeof d - (size_t)i);
}

static struct fo_span
trim(const char *s, size_t n)
{
	struct fo_span sp;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	sp.p = s;
	sp.n = n;
	return sp;
}

static struct fo_span
cell(const struct fo_csv_row *row, int c)
{
	struct fo_span none = { "", 0 };

	return c >= 0 && (size_t)c < row->nf ? trim(row->f[c].p, row->f[c].n) :
	    none;
}

static int
in_list(struct fo_span t, char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(v[i]) == t.n && memcmp(v[i], t.p, t.n) == 0)
			return 1;
	return 0;
}

static int
fail_at(struct fo_err *e, long *badcol, int col, long off, const char *fmt,
    ...) __attribute__((format(printf, 5, 6)));

static int
fail_at(struct fo_err *e, long *badcol, int col, long off, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	e->col = off;
	*badcol = col;
	return FO_ERR;
}

struct fo_ingest *
fo_ingest_new(const struct fo_profile *p, const char *file,
    const enum fo_numstyle *numbers, const enum fo_datefmt *dates)
{
	struct fo_ingest *g;
	size_t f;

	if ((g = calloc(1, sizeof *g)) == NULL)
		return NULL;
	g->prof = p;
	g->file = file;
	g->numbers = numbers ? *numbers : p->numbers;
	g->dates = dates ? *dates : p->dates;
	g->numbers_given = numbers != NULL;
	g->dates_given = dates != NULL;
	g->signcol = g->typecol = -1;
	g->debitcol = g->creditcol = -1;
	g->currency = fo_field_find("currency");
	g->amount = fo_field_find("amount");
	for (f = 0; f < fo_nfields; f++)
		g->namelen[f] = strlen(fo_fields[f].name);
	return g;
}

void
fo_ingest_currencies(struct fo_ingest *g, const struct fo_currencies *c,
    const char defcur[4])
{
	g->currencies = c;
	memcpy(g->defcur, defcur, sizeof g->defcur);
}

char *
fo_ingest_note(struct fo_ingest *g)
{
	return g->note;
}

const struct fo_err *
fo_ingest_keynote(const struct fo_ingest *g)
{
	return &g->keynote;
}

const struct fo_profile *
fo_ingest_profile(const struct fo_ingest *g)
{
	return g->prof;
}

enum fo_numstyle
fo_ingest_numbers(const struct fo_ingest *g)
{
	return g->numbers;
}

enum fo_datefmt
fo_ingest_dates(const struct fo_ingest *g)
{
	return g->dates;
}

size_t
fo_ingest_ncol(const struct fo_ingest *g)
{
	return g->ncol;
}

int
fo_ingest_column(const struct fo_ingest *g, size_t j, const char **code,
    const char **extra, int *optional)
{
	*code = g->code[j];
	*extra = g->extra[j];
	*optional = g->optional[j];
	return g->field[j];
}

int
fo_ingest_fieldcol(const struct fo_ingest *g, size_t f)
{
	return g->fieldcol[f];
}

long
fo_ingest_pending_line(const struct fo_ingest *g)
{
	return g->pend_line;
}

/* regexec wants a C string; the row's text is not one. */
static const char *
row_text(struct fo_ingest *g, const struct fo_csv_row *row)
{
	fo_buf_reset(&g->scratch);
	fo_buf_put(&g->scratch, row->raw, row->rawlen);
	return fo_buf_cstr(&g->scratch);
}

int
fo_ingest_junk(struct fo_ingest *g, const struct fo_csv_row *row)
{
	const struct fo_profile *p = g->prof;
	const struct fo_pcontext *x;
	regmatch_t m[10];
	const char *text;
	size_t i, k;
	int f, gr, ctx = 0;

	if (p->nskip == 0 && p->ncontext == 0)
		return 0;
	text = row_text(g, row);
	for (i = 0; i < p->nskip; i++)
		if (p->skip[i].compiled &&
		    regexec(&p->skip[i].re, text, 0, NULL, 0) == 0)
			return 1;
	for (i = 0; i < p->ncontext; i++) {
		x = &p->context[i];
		if (!x->match.compiled ||
		    regexec(&x->match.re, text, 10, m, 0) != 0)
			continue;
		for (k = 0; k < x->nset; k++) {
			f = x->field[k];
			gr = x->group[k];
			free(g->ctx[f]);
			g->ctx[f] = NULL;
			if (m[gr].rm_so >= 0) {
				struct fo_span t = trim(text + m[gr].rm_so,
				    (size_t)(m[gr].rm_eo - m[gr].rm_so));

				g->ctx[f] = strndup(t.p, t.n);
			}
		}
		/* every entry is tried: one line may carry several, as
		 * FBL1N's company code and vendor */
		ctx = 1;
	}
	return ctx;
}

static int	fills(const struct fo_prowtypes *, int);
static int	literal_tail(const char *, int);
static int	looks_around(const char *);
static int	layout_of(const struct fo_prowtypes *, const char *, size_t);

static int
find_col(char **fold, size_t ncol, const int *taken, const char *want)
{
	size_t j;

	for (j = 0; j < ncol; j++)
		if ((taken == NULL || taken[j] == COL_EXTRA) && *fold[j] &&
		    strcmp(fold[j], want) == 0)
			return (int)j;
	return -1;
}

/* A column the profile names: the header, or the first of a choice. */
static int
find_pcol(char **fold, size_t ncol, const int *taken, const struct fo_pcol *c)
{
	size_t i;
	int k;

	for (i = 0; i < c->nor; i++)
		if ((k = find_col(fold, ncol, taken, c->or[i].fold)) >= 0)
			return k;
	return c->nor ? -1 : find_col(fold, ncol, taken, c->fold);
}

static int
has_all(char **fold, size_t ncol, const struct fo_pcol *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (find_pcol(fold, ncol, NULL, &c[i]) < 0)
			return 0;
	return 1;
}

static int
has_any(char **fold, size_t ncol, const struct fo_pcol *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (find_pcol(fold, ncol, NULL, &c[i]) >= 0)
			return 1;
	return n == 0;
}

/* Keys under "extra": the header as written, made unique. */
static char *
extra_key(const struct fo_csv_row *h, size_t j, char **done)
{
	struct fo_span t = trim(h->f[j].p, h->f[j].n);
	char *k;
	size_t i, len = t.n + 32;
	int dup = 1;

	if ((k = malloc(len)) == NULL)
		return NULL;
	if (t.n == 0)
		snprintf(k, len, "column_%zu", j + 1);
	else
		snprintf(k, len, "%.*s", (int)t.n, t.p);
	for (;;) {
		for (i = 0; i < j; i++)
			if (done[i] && strcmp(done[i], k) == 0)
				break;
		if (i == j)
			return k;
		snprintf(k, len, "%.*s (%d)", (int)t.n, t.p, ++dup);
	}
}

static int
context_sets(const struct fo_profile *p, int f)
{
	size_t i, k;

	for (i = 0; i < p->ncontext; i++)
		for (k = 0; k < p->context[i].nset; k++)
			if (p->context[i].field[k] == f)
				return 1;
	return 0;
}

/* A column the profile needs and the header lacks. */
static int
missing(struct fo_ingest *g, const struct fo_csv_row *h, struct fo_err *e,
    const char *what, const char *name)
{
	fo_err_set(e, g->file, h->line, 0, "%s '%s' of profile %s is not in "
	    "the header", what, name, g->prof->name);
	return FO_ERR;
}

/* The first of a list of headers free in the header, or -1. */
static int
first_free(char **fold, size_t ncol, const int *taken,
    const struct fo_pcol *c, size_t n)
{
	size_t i;
	int k;

	for (i = 0; i < n; i++)
		if ((k = find_pcol(fold, ncol, taken, &c[i])) >= 0)
			return k;
	return -1;
}

static int
pcol_names(const struct fo_pcol *c, const char *fold)
{
	size_t i;

	for (i = 0; i < c->nor; i++)
		if (pcol_names(&c->or[i], fold))
			return 1;
	return c->nor == 0 && *fold && strcmp(c->fold, fold) == 0;
}

static int
list_names(const struct fo_pcol *c, size_t n, const char *fold)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pcol_names(&c[i], fold))
			return 1;
	return 0;
}

/* A column that holds money: one the profile names for amount, debit,
 * credit or under money. */
static int
is_money(const struct fo_ingest *g, const char *fold)
{
	const struct fo_profile *p = g->prof;

	return list_names(p->fields[g->amount].syn, p->fields[g->amount].nsyn,
	    fold) || list_names(p->debit, p->ndebit, fold) ||
	    list_names(p->credit, p->ncredit, fold) ||
	    list_names(p->money, p->nmoney, fold);
}

/* Say which column became amount, and name the other money columns,
 * which stay under extra as written: a file with gross, fee and net
 * must not leave the reader guessing which one fo took. */
static int
money_note(struct fo_ingest *g, const struct fo_csv_row *h, char **fold)
{
	struct fo_buf b = { 0 };
	int a = g->fieldcol[g->amount], n = 0;
	size_t j, len;

	if (g->debitcol >= 0) {
		fo_buf_puts(&b, "amount is '");
		fo_buf_puts(&b, g->extra[g->creditcol]);
		fo_buf_puts(&b, "' or minus '");
		fo_buf_puts(&b, g->extra[g->debitcol]);
		fo_buf_puts(&b, "', whichever is filled");
	} else if (a >= 0) {
		fo_buf_puts(&b, "amount is '");
		fo_buf_puts(&b, g->extra[a]);
		fo_buf_puts(&b, "', the first of the profile's amount headers");
	} else
		return FO_OK;
	for (j = 0; j < h->nf; j++) {
		if (g->field[j] != COL_EXTRA || !is_money(g, fold[j]))
			continue;
		fo_buf_puts(&b, n++ ? "', '" :
		    "; kept under extra as written: '");
		fo_buf_puts(&b, g->extra[j]);
	}
	if (n > 0)
		fo_buf_putc(&b, '\'');
	/* one money column, no pair: nothing to say */
	if (!b.oom && (n > 0 || g->debitcol >= 0)) {
		len = strlen(g->note);
		snprintf(g->note + len, sizeof g->note - len, "%s%s:%ld: %.*s",
		    len ? "\n" : "", g->file, h->line, (int)b.n, b.p);
	}
	n = b.oom;
	fo_buf_free(&b);
	return n ? FO_ENOMEM : FO_OK;
}

/* Whether the header (or a context line, or a constant) gives field f. */
static int
field_fed(const struct fo_ingest *g, int f)
{
	const struct fo_profile *p = g->prof;

	return g->fieldcol[f] >= 0 || p->fields[f].constant != NULL ||
	    (g->vconst && g->vconst[f]) || context_sets(p, f) ||
	    (f == g->amount && g->debitcol >= 0);	/* the debit/credit pair */
}

/* A field as a key of this file's ids. */
static void
key_field(struct fo_ingest *g, int f)
{
	g->keyfield[g->nkey] = f;
	g->keycol[g->nkey] = -1;
	g->keyname[g->nkey++] = fo_fields[f].name;
}

/* The note of a file whose ids are not made of the profile's keys:
 * gone lists the missing keys, each quoted. */
static void
key_note(struct fo_ingest *g, const struct fo_csv_row *h, const char *gone,
    int ngone)
{
	struct fo_buf b = { 0 };
	size_t i;

	fo_buf_puts(&b, g->prof->name);
	for (i = 0; i < g->nkey; i++) {
		fo_buf_puts(&b, ":<");
		fo_buf_puts(&b, g->keyname[i]);
		fo_buf_putc(&b, '>');
	}
	if (g->keymode == FO_KEYS_HASH)
		fo_buf_puts(&b, ":<hash of the row>");
	fo_err_set(&g->keynote, g->file, h->line, 0, "key column%s %s of profile "
	    "%s %s not in the header: ids are %s, :2, :3 added to a repeat",
	    ngone > 1 ? "s" : "", gone, g->prof->name, ngone > 1 ? "are" : "is",
	    b.oom ? "?" : fo_buf_cstr(&b));
	fo_utf8_scrub(g->keynote.msg);
	fo_buf_free(&b);
}

/*
 * The keys of this file's ids (fo-ingest(1), Record ids): the profile's,
 * when the header has them all; else those it has, when one of them
 * names the document by itself (a column the profile names by header,
 * doc_number, end_to_end_id, reference); else entity, vendor_id (or
 * vendor_name) and doc_number, those the header has, when doc_number is
 * one; else a hash of the row. The same header gives the same choice,
 * every night; it is said once, in g->keynote.
 */
static int
choose_keys(struct fo_ingest *g, const struct fo_csv_row *h, char **fold)
{
	static const char *const names_doc[] = { "doc_number",
	    "end_to_end_id", "reference", NULL };
	const struct fo_profile *p = g->prof;
	struct fo_buf gone = { 0 };
	size_t i, k, ndoc = 0;
	int f, c, byself = 0, ngone = 0;

	g->nkey = 0;
	g->keymode = p->nkeys ? FO_KEYS_PROFILE : FO_KEYS_HASH;
	for (i = 0; i < p->nkeys; i++) {
		/* a canonical field name, or a header (or a choice of them) */
		f = p->keys[i].nor ? -1 : fo_field_find(p->keys[i].text);
		c = f >= 0 ? -1 : find_pcol(fold, h->nf, NULL, &p->keys[i]);
		if (f >= 0 ? !field_fed(g, f) : c < 0) {
			fo_buf_puts(&gone, ngone++ ? ", '" : "'");
			fo_buf_puts(&gone, p->keys[i].text);
			fo_buf_putc(&gone, '\'');
			continue;
		}
		for (k = 0; f >= 0 && names_doc[k] && strcmp(names_doc[k],
		    fo_fields[f].name) != 0; k++)
			;
		byself |= f < 0 || names_doc[k] != NULL;
		ndoc += i < p->document_keys;
		g->keyfield[g->nkey] = f;
		g->keycol[g->nkey] = c;
		/* a header key by the header this file has */
		g->keyname[g->nkey++] = f >= 0 ? fo_fields[f].name :
		    g->extra[c];
	}
	g->docn = p->document_keys;
	if (gone.n == 0) {
		fo_buf_free(&gone);
		return FO_OK;
	}
	/* the document keys that are left, when other keys follow them */
	g->docn = ndoc < g->nkey ? ndoc : 0;
	g->keymode = FO_KEYS_PRESENT;
	if (!byself) {
		g->nkey = g->docn = 0;
		g->keymode = FO_KEYS_DOCUMENT;
		if (field_fed(g, f = fo_field_find("doc_number"))) {
			if (field_fed(g, fo_field_find("entity")))
				key_field(g, fo_field_find("entity"));
			if (field_fed(g, fo_field_find("vendor_id")))
				key_field(g, fo_field_find("vendor_id"));
			else if (field_fed(g, fo_field_find("vendor_name")))
				key_field(g, fo_field_find("vendor_name"));
			key_field(g, f);
		} else
			g->keymode = FO_KEYS_HASH;
	}
	key_note(g, h, gone.oom ? "?" : fo_buf_cstr(&gone), ngone);
	fo_buf_free(&gone);
	return FO_OK;
}

static int
map_header(struct fo_ingest *g, const struct fo_csv_row *h, char **fold,
    struct fo_err *e)
{
	const struct fo_profile *p = g->prof;
	const struct fo_prowtypes *t = p->rowtypes;
	const struct fo_pvariant *vr;
	size_t i, j, k;
	int c, f, r;

	for (j = 0; j < h->nf; j++) {
		g->field[j] = COL_EXTRA;
		g->numbers_col[j] = g->dates_col[j] = -1;
		g->amt[j].stored = 2;
		g->optional[j] = *fold[j] == '\0';
	}
	/* flags first: a flag column is never a field's synonym */
	for (i = 0; i < p->nflags; i++)
		if ((c = find_pcol(fold, h->nf, g->field,
		    &p->flags[i].col)) >= 0) {
			g->field[c] = COL_FLAG;
			g->code[c] = p->flags[i].code;
		}
	/* the first variant the header matches */
	for (i = 0; i < p->nvariant; i++)
		if (has_all(fold, h->nf, p->variant[i].all, p->variant[i].nall) &&
		    has_any(fold, h->nf, p->variant[i].any, p->variant[i].nany) &&
		    (p->variant[i].nnone == 0 || !has_any(fold, h->nf,
		    p->variant[i].none, p->variant[i].nnone)))
			break;
	vr = i < p->nvariant ? &p->variant[i] : NULL;
	/* fields in table order, each taking its first synonym present */
	for (f = 0; f < (int)fo_nfields; f++) {
		const struct fo_pfield *pf = vr && vr->has_field &&
		    vr->has_field[f] ? &vr->fields[f] : &p->fields[f];

		g->fieldcol[f] = -1;
		for (k = 0; k < pf->nsyn; k++)
			if ((c = find_pcol(fold, h->nf, g->field,
			    &pf->syn[k])) >= 0) {
				g->field[c] = f;
				g->fieldcol[f] = c;
				break;
			}
	}
	/* a currency column before the amount whose header comes again
	 * after it (ING: Saldo;Währung;Betrag;Währung) is the balance's:
	 * the amount's currency is the one after the amount */
	if ((c = g->fieldcol[g->currency]) >= 0 &&
	    (k = (size_t)g->fieldcol[g->amount]) < h->nf &&
	    (size_t)c < k) {
		for (j = k + 1; j < h->nf; j++)
			if (g->field[j] == COL_EXTRA &&
			    strcmp(fold[j], fold[c]) == 0)
				break;
		if (j < h->nf) {
			g->field[c] = COL_EXTRA;
			g->field[j] = g->currency;
			g->fieldcol[g->currency] = (int)j;
		}
	}
	/* a debit and a credit column make the amount, over a column
	 * named like an amount (left empty by such banks) */
	if ((g->debitcol = first_free(fold, h->nf, g->field, p->debit,
	    p->ndebit)) >= 0 && (g->creditcol = first_free(fold, h->nf,
	    g->field, p->credit, p->ncredit)) >= 0) {
		if ((c = g->fieldcol[g->amount]) >= 0)
			g->field[c] = COL_EXTRA;
		g->fieldcol[g->amount] = -1;
		g->field[g->debitcol] = COL_DEBIT;
		g->field[g->creditcol] = COL_CREDIT;
	} else
		g->debitcol = g->creditcol = -1;
	for (i = 0; i < p->nover; i++)
		if ((c = find_pcol(fold, h->nf, NULL, &p->over[i].col)) >= 0) {
			if (p->over[i].has_numbers)
				g->numbers_col[c] = (int)p->over[i].numbers;
			if (p->over[i].has_dates)
				g->dates_col[c] = (int)p->over[i].dates;
			g->amt[c].form = p->over[i].amount_form;
			g->amt[c].stored = p->over[i].stored_decimals;
		}
	/* the variant sets the styles */
	if (vr != NULL) {
		if (vr->has_numbers && !g->numbers_given)
			g->numbers = vr->numbers;
		if (vr->has_dates && !g->dates_given)
			g->dates = vr->dates;
		g->vconst = vr->constant;
	}
	/* every column gets its unique name: extra and extra.lines use it */
	for (j = 0; j < h->nf; j++) {
		if ((g->extra[j] = extra_key(h, j, g->extra)) == NULL)
			return FO_ENOMEM;
		g->extralen[j] = strlen(g->extra[j]);
	}
	if (money_note(g, h, fold) != FO_OK)
		return FO_ENOMEM;
	for (f = 0; f < (int)fo_nfields; f++)
		g->active[f] = g->fieldcol[f] >= 0 || context_sets(p, f) ||
		    p->fields[f].constant != NULL ||
		    (g->vconst && g->vconst[f]) ||
		    fo_fields[f].type == FO_F_CODES ||
		    (f == g->amount && g->debitcol >= 0);
	if ((g->xcol = calloc(p->nextract + 1, sizeof *g->xcol)) == NULL)
		return FO_ENOMEM;
	if (p->nextract > 0 &&
	    (g->xmemo = calloc(p->nextract, sizeof *g->xmemo)) == NULL)
		return FO_ENOMEM;
	for (i = 0; i < p->nextract; i++) {
		g->xmemo[i].bymatch = p->extract[i].re.text != NULL &&
		    !looks_around(p->extract[i].re.text);
		g->xmemo[i].tail = p->extract[i].re.text == NULL ? -1 :
		    literal_tail(p->extract[i].re.text, p->extract[i].group);
		g->xcol[i] = p->extract[i].from >= 0 ? -1 :
		    find_pcol(fold, h->nf, NULL, &p->extract[i].col);
		if (p->extract[i].from >= 0 || g->xcol[i] >= 0)
			g->active[p->extract[i].field] = 1;
	}
	if ((r = choose_keys(g, h, fold)) != FO_OK)
		return r;
	if (p->sign_col.fold && (g->signcol = find_pcol(fold, h->nf, NULL,
	    &p->sign_col)) < 0)
		return missing(g, h, e, "sign column", p->sign_col.text);
	if (t == NULL)
		return FO_OK;
	if ((g->typecol = find_pcol(fold, h->nf, NULL, &t->col)) < 0)
		return missing(g, h, e, "row type column", t->col.text);
	if ((g->holdcol = calloc(t->nhold + 1, sizeof *g->holdcol)) == NULL)
		return FO_ENOMEM;
	for (i = 0; i < t->nhold; i++)
		if ((g->holdcol[i] = find_pcol(fold, h->nf, NULL,
		    &t->hold_col[i])) < 0 &&
		    layout_of(t, t->hold_type[i], strlen(t->hold_type[i])) < 0)
			return missing(g, h, e, "hold code column",
			    t->hold_col[i].text);
	return FO_OK;
}

/*
 * Fields that only the rows of a layout have (Coupa's Header row has no
 * po-number: its Line rows do) get a column after the header's, empty
 * in the record row, that a fill row fills.
 */
static int
add_virtual(struct fo_ingest *g)
{
	const struct fo_prowtypes *t = g->prof->rowtypes;
	size_t c;
	int f;

	if (t == NULL || t->nlayout == 0)
		return FO_OK;
	if ((g->layout = calloc(t->nlayout, sizeof *g->layout)) == NULL)
		return FO_ENOMEM;
	for (f = 0; f < (int)fo_nfields; f++) {
		if (g->fieldcol[f] >= 0 || !fills(t, f) ||
		    g->prof->fields[f].nsyn == 0)
			continue;
		c = g->ncol + g->nvirt++;
		g->field[c] = f;
		g->fieldcol[f] = (int)c;
		g->numbers_col[c] = g->dates_col[c] = -1;
		g->amt[c].stored = 2;
		g->active[f] = 1;
		if ((g->extra[c] = strdup(fo_fields[f].name)) == NULL)
			return FO_ENOMEM;
		g->extralen[c] = strlen(g->extra[c]);
	}
	return FO_OK;
}

/* A row looks only at the few fields the header feeds, not at all of
 * them: the list, and which of them the profile's values map. */
static void
make_order(struct fo_ingest *g)
{
	const struct fo_profile *p = g->prof;
	size_t i;
	int f;

	g->norder = 0;
	for (f = 0; f < (int)fo_nfields; f++)
		if (g->active[f] || f == g->currency)
			g->order[g->norder++] = f;
	for (i = 0; i < p->nvalues; i++)
		if (p->values[i].field >= 0 &&
		    p->values[i].field < (int)fo_nfields)
			g->mapped[p->values[i].field] = 1;
}

int
fo_ingest_header(struct fo_ingest *g, const struct fo_csv_row *h,
    struct fo_err *e)
{
	const struct fo_profile *p = g->prof;
	char **fold;
	size_t j, n = h->nf + 1;
	int r = FO_ENOMEM;

	if (p->rowtypes && p->rowtypes->nlayout)
		n += fo_nfields;
	g->ncol = h->nf;
	g->field = calloc(n, sizeof *g->field);
	g->code = calloc(n, sizeof *g->code);
	g->extra = calloc(n, sizeof *g->extra);
	g->extralen = calloc(n, sizeof *g->extralen);
	g->optional = calloc(n, sizeof *g->optional);
	g->numbers_col = calloc(n, sizeof *g->numbers_col);
	g->dates_col = calloc(n, sizeof *g->dates_col);
	g->amt = calloc(n, sizeof *g->amt);
	g->undo = calloc(n, sizeof *g->undo);
	/* the profile's keys, or at most three of the fallback's */
	g->keycol = calloc(p->nkeys + 3, sizeof *g->keycol);
	g->keyfield = calloc(p->nkeys + 3, sizeof *g->keyfield);
	g->keyname = calloc(p->nkeys + 3, sizeof *g->keyname);
	if ((fold = calloc(n, sizeof *fold)) == NULL || !g->field ||
	    !g->code || !g->extra || !g->optional || !g->numbers_col ||
	    !g->dates_col || !g->amt || !g->undo || !g->keycol ||
	    !g->keyfield || !g->keyname || !g->extralen)
		goto out;
	for (j = 0; j < h->nf; j++)
		if ((fold[j] = fo_header_fold(h->f[j].p, h->f[j].n)) == NULL)
			goto out;
	if ((r = map_header(g, h, fold, e)) == FO_OK &&
	    (r = add_virtual(g)) == FO_OK)
		make_order(g);
out:
	if (fold)
		for (j = 0; j < h->nf; j++)
			free(fold[j]);
	free(fold);
	if (r == FO_ENOMEM)
		fo_err_set(e, g->file, h->line, 0, "out of memory");
	return r;
}

static void
layout_clear(struct fo_rowlayout *l)
{
	size_t j;

	if (l->key)
		for (j = 0; j < l->nf; j++)
			free(l->key[j]);
	free(l->key);
	l->key = NULL;
	l->nf = 0;
	l->line = 0;
}

void
fo_ingest_free(struct fo_ingest *g)
{
	size_t j;

	if (g == NULL)
		return;
	if (g->extra)
		for (j = 0; j < g->ncol + g->nvirt; j++)
			free(g->extra[j]);
	if (g->layout)
		for (j = 0; j < g->prof->rowtypes->nlayout; j++)
			layout_clear(&g->layout[j]);
	free(g->layout);
	for (j = 0; j < FO_FIELDS_MAX; j++)
		free(g->ctx[j]);
	free(g->extra);
	free(g->extralen);
	free(g->field);
	free(g->code);
	free(g->optional);
	free(g->numbers_col);
	free(g->dates_col);
	free(g->amt);
	free(g->undo);
	free(g->keycol);
	free(g->keyfield);
	free(g->keyname);
	free(g->holdcol);
	free(g->xcol);
	free(g->xmemo);
	free(g->dmemo);
	free(g->seen);
	free(g->nameskip);
	free(g->again);
	free(g->pend_row.f);
	free(g->pend_kind);
	fo_buf_free(&g->scratch);
	fo_buf_free(&g->pend_cells);
	fo_buf_free(&g->pend_lines);
	fo_buf_free(&g->pend_codes);
	fo_buf_free(&g->trial);
	fo_buf_free(&g->fixed);
	fo_buf_free(&g->listing);
	free(g);
}

/* The text that feeds field f: its cell, else the context, else the
 * constant. */
static struct fo_span
field_text(const struct fo_ingest *g, const struct fo_csv_row *row, int f)
{
	struct fo_span t = cell(row, g->fieldcol[f]);
	const char *k;

	if (t.n == 0 && (k = g->ctx[f]) != NULL) {
		t.p = k;
		t.n = strlen(k);
	}
	if (t.n == 0 && g->vconst && (k = g->vconst[f]) != NULL) {
		t.p = k;
		t.n = strlen(k);
	}
	if (t.n == 0 && (k = g->prof->fields[f].constant) != NULL) {
		t.p = k;
		t.n = strlen(k);
	}
	return t;
}

/*
 * Hash ids written in this file. Nearly every one is written once, and
 * each row looks at a random slot of a set that outgrows the cache at a
 * few hundred thousand rows: so the set holds the bare hash, 8 bytes,
 * and the few written again are counted in a second, small table.
 */
#define HUGE_PAGE (2UL << 20)

/* Zeroed memory; large tables ask for huge pages, as with 4 KiB pages a
 * random slot is a TLB miss as well as a cache miss (Linux; elsewhere,
 * or when refused, ordinary memory). */
static void *
table_alloc(size_t n, size_t size)
{
	void *v;

	if (n * size < HUGE_PAGE)
		return calloc(n, size);
	if (posix_memalign(&v, HUGE_PAGE, n * size) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(v, n * size, MADV_HUGEPAGE);
#endif
	memset(v, 0, n * size);
	return v;
}

/* The slot of h in the set: where it is, or the free one it would take. */
static size_t
set_slot(const uint64_t *v, size_t cap, uint64_t h)
{
	size_t i;

	for (i = h & (cap - 1); v[i] != 0 && v[i] != h; i = (i + 1) & (cap - 1))
		;
	return i;
}

static size_t
again_slot(const struct fo_seen *v, size_t cap, uint64_t h)
{
	size_t i;

	for (i = h & (cap - 1); v[i].n > 0 && v[i].h != h;
	    i = (i + 1) & (cap - 1))
		;
	return i;
}

/* How often a hash id was written in this file so far. */
static size_t
seen_count(const struct fo_ingest *g, uint64_t h)
{
	size_t i;

	if (h == 0)
		return (size_t)g->nzero;
	if (g->capseen == 0 || g->seen[set_slot(g->seen, g->capseen, h)] == 0)
		return 0;
	if (g->capagain == 0)
		return 1;
	i = again_slot(g->again, g->capagain, h);
	return g->again[i].n > 0 ? (size_t)g->again[i].n : 1;
}

/* A hash id written again: its count, from 2 up. */
static int
again_add(struct fo_ingest *g, uint64_t h)
{
	struct fo_seen *old = g->again, *v;
	size_t i, k, cap;

	if (2 * (g->nagain + 1) > g->capagain) {
		cap = g->capagain ? 2 * g->capagain : 64;
		if ((v = table_alloc(cap, sizeof *v)) == NULL)
			return FO_ENOMEM;
		for (k = 0; k < g->capagain; k++)
			if (old[k].n > 0)
				v[again_slot(v, cap, old[k].h)] = old[k];
		free(old);
		g->again = v;
		g->capagain = cap;
	}
	i = again_slot(g->again, g->capagain, h);
	if (g->again[i].n == 0) {
		g->again[i].h = h;
		g->again[i].n = 1;
		g->nagain++;
	}
	g->again[i].n++;
	return FO_OK;
}

/* Count a hash id written: open addressing, half full at most. */
static int
seen_add(struct fo_ingest *g, uint64_t h)
{
	uint64_t *old = g->seen, *v;
	size_t i, k, cap;

	if (h == 0) {
		g->nzero++;
		return FO_OK;
	}
	if (2 * (g->nseen + 1) > g->capseen) {
		cap = g->capseen ? 2 * g->capseen : 1024;
		if ((v = table_alloc(cap, sizeof *v)) == NULL)
			return FO_ENOMEM;
		for (k = 0; k < g->capseen; k++)
			if (old[k] != 0)
				v[set_slot(v, cap, old[k])] = old[k];
		free(old);
		g->seen = v;
		g->capseen = cap;
	}
	i = set_slot(g->seen, g->capseen, h);
	if (g->seen[i] == h)
		return again_add(g, h);
	g->seen[i] = h;
	g->nseen++;
	return FO_OK;
}

static int
is_flag_set(struct fo_span t)
{
	return t.n == 1 && (t.p[0] == 'X' || t.p[0] == 'x');
}

/* Whether t is a real date written YYYY-MM-DD, nothing around it. */
static int
iso_valid(struct fo_span t)
{
	static const char shape[] = "dddd-dd-dd";
	int v[10];
	size_t i;

	if (t.n != 10)
		return 0;
	for (i = 0; i < 10; i++) {
		v[i] = t.p[i] - '0';
		if (shape[i] == 'd' ? v[i] < 0 || v[i] > 9 : t.p[i] != shape[i])
			return 0;
	}
	return fo_date_valid(v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3],
	    v[5] * 10 + v[6], v[8] * 10 + v[9]);
}

/* The field's text: as build found it when the field is active. */
static struct fo_span
text_of(const struct fo_ingest *g, const struct fo_csv_row *row,
    const struct fo_span *txt, int f)
{
	return g->active[f] ? txt[f] : field_text(g, row, f);
}

/*
 * FNV-1a over a fixed text in one step. Each byte only flips the low 8
 * bits of the state before its multiplication, and a multiple of 256
 * stays one when multiplied, so for h = H + l (l its low byte)
 *
 *	fnv1a(H + l, text) = H * P^len + fnv1a(l, text)	(mod 2^64)
 *
 * with P the FNV prime: a product and a look-up in a table of the 256
 * values of l, not len dependent multiplications one after another.
 * Every hash id in the tests' goldens holds it to the byte-by-byte loop.
 */
struct fo_fnvskip {
	uint64_t mul;		/* P^len */
	uint64_t low[256];	/* fnv1a(l, text) */
};

static void
fnvskip_make(struct fo_fnvskip *k, const char *text, size_t len)
{
	size_t i;

	k->mul = 1;
	for (i = 0; i < len; i++)
		k->mul *= FO_FNV_PRIME;
	for (i = 0; i < 256; i++)
		k->low[i] = fo_fnv1a(i, text, len);
}

static uint64_t
fnvskip(const struct fo_fnvskip *k, uint64_t h)
{
	return (h & ~(uint64_t)0xff) * k->mul + k->low[h & 0xff];
}

/* The tables of name= for the fields a hash id may take. */
static int
nameskip_make(struct fo_ingest *g)
{
	char text[64];
	int f, n;

	if ((g->nameskip = calloc(fo_nfields, sizeof *g->nameskip)) == NULL)
		return FO_ENOMEM;
	for (f = 0; f < (int)fo_nfields; f++) {
		if (!g->active[f])
			continue;
		n = snprintf(text, sizeof text, "%s=", fo_fields[f].name);
		if (n < 0 || (size_t)n >= sizeof text)
			return FO_ENOMEM;	/* no field has such a name */
		fnvskip_make(&g->nameskip[f], text, (size_t)n);
	}
	return FO_OK;
}

/*
 * The hash id of a profile without key columns, kept exactly as first
 * released (ids must not change): FNV-1a over name=text and a 0x1f for
 * each field with text, then over each flag set and a 0x1f.
 */
static uint64_t
hash_row(const struct fo_ingest *g, const struct fo_csv_row *row,
    const struct fo_span *txt)
{
	uint64_t h = FO_FNV_BASIS;
	struct fo_span t;
	int f, c;

	for (f = 0; f < (int)fo_nfields; f++) {
		if (!g->active[f])
			continue;
		t = txt[f];
		if (t.n == 0 && fo_fields[f].type != FO_F_CODES)
			continue;
		h = fnvskip(&g->nameskip[f], h);	/* name= */
		h = fo_fnv1a(h, t.p, t.n);
		h = fo_fnv1a(h, "\x1f", 1);
	}
	for (c = 0; c < (int)g->ncol; c++)	/* flags set */
		if (g->field[c] == COL_FLAG && is_flag_set(cell(row, c)))
			h = fo_fnv1a(fo_fnv1a(h, g->code[c], strlen(g->code[c])),
			    "\x1f", 1);
	return h;
}

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* The id. Where ids may repeat in the file (a hash, or keys that are
 * not the profile's), *idend is set to the offset of its closing quote, and
 * the :2 of a repeat is left to the caller (add_repeat), so that the
 * look-up in a set larger than the cache overlaps with the rest of the
 * record's work. */
static int
put_id(struct fo_ingest *g, const struct fo_csv_row *row,
    const struct fo_span *txt, struct fo_obj *o, struct fo_err *e,
    long *badcol, size_t *idend)
{
	const struct fo_profile *p = g->prof;
	struct fo_buf *b = &g->scratch;
	struct fo_span t;
	uint64_t h;
	size_t i, doclen = 0;
	int f, c;

	fo_buf_reset(b);
	fo_buf_puts(b, p->name);
	for (i = 0; i < g->nkey; i++) {
		if (i == g->docn && i > 0)
			doclen = b->n;
		if ((f = g->keyfield[i]) >= 0) {
			t = text_of(g, row, txt, f);
			c = g->fieldcol[f];
		} else
			t = cell(row, c = g->keycol[i]);
		if (t.n == 0)
			return fail_at(e, badcol, c, 0, "key %s is empty",
			    g->keyname[i]);
		fo_buf_putc(b, ':');
		fo_buf_put(b, t.p, t.n);
	}
	if (g->keymode == FO_KEYS_HASH) {
		if (g->nameskip == NULL && nameskip_make(g) != FO_OK)
			return FO_ENOMEM;
		h = hash_row(g, row, txt);
		fo_buf_putc(b, ':');
		for (i = 16; i-- > 0;)
			fo_buf_putc(b, "0123456789abcdef"[(h >> (4 * i)) & 15]);
	} else if (g->keymode != FO_KEYS_PROFILE)
		/* keys that may not be unique: the id's text counts */
		h = fo_fnv1a(FO_FNV_BASIS, b->p, b->n);
	else
		h = 0;	/* the profile's keys: no set of ids, no hash */
	put_kstr(o, "id", 2, b->p, b->n);
	if (g->keymode != FO_KEYS_PROFILE) {
		g->last_hash = h;
		/* the set of hashes is larger than the cache: its slot is
		 * fetched now, to be there when the record is done */
		if (g->capseen > 0)
			PREFETCH(&g->seen[h & (g->capseen - 1)]);
		*idend = o->b->n - 1;
	}
	if (doclen > 0)
		put_kstr(o, "doc_id", 6, b->p, doclen);
	return FO_OK;
}

/* A hash id seen before in this file gets :2, :3... (the same row twice,
 * as two identical bank lines, is two records): inserted before the
 * closing quote of the id, at byte end of out. */
static void
add_repeat(struct fo_ingest *g, struct fo_buf *out, size_t end)
{
	char num[24];
	size_t k;
	int len;

	if ((k = seen_count(g, g->last_hash)) == 0)
		return;
	len = snprintf(num, sizeof num, ":%zu", k + 1);
	if (fo_buf_reserve(out, (size_t)len) != FO_OK)
		return;
	memmove(out->p + end + len, out->p + end, out->n - end);
	memcpy(out->p + end, num, (size_t)len);
	out->n += (size_t)len;
}

/* hold_codes, opened by the first code: flag columns set, the mapped
 * column, then the codes that rows of a hold type gave (codes: JSON
 * strings, comma-separated). */
static void
next_code(struct fo_obj *o, int *n)
{
	if ((*n)++ == 0) {
		put_key(o, "hold_codes", 10);
		fo_buf_putc(o->b, '[');
	} else
		fo_buf_putc(o->b, ',');
}

static void
put_codes(struct fo_ingest *g, const struct fo_csv_row *row,
    struct fo_obj *o, struct fo_span t, struct fo_span codes)
{
	size_t j;
	int n = 0;

	for (j = 0; j < g->ncol; j++)
		if (g->field[j] == COL_FLAG && is_flag_set(cell(row, (int)j))) {
			next_code(o, &n);
			put_jstr(o->b, g->code[j], strlen(g->code[j]));
		}
	if (t.n > 0) {
		next_code(o, &n);
		put_jstr(o->b, t.p, t.n);
	}
	if (codes.n > 0) {
		next_code(o, &n);
		fo_buf_put(o->b, codes.p, codes.n);
	}
	if (n > 0)
		fo_buf_putc(o->b, ']');
}

/* A text field's value after the profile's values table, if it has one. */
static struct fo_span
mapped_value(const struct fo_profile *p, int f, struct fo_span t)
{
	const struct fo_pvalues *v;
	size_t i, k;

	for (i = 0; i < p->nvalues; i++) {
		if ((v = &p->values[i])->field != f)
			continue;
		for (k = 0; k < v->n; k++)
			if (fo_header_fold_eq(t.p, t.n, v->from[k].fold)) {
				t.p = v->to[k];
				t.n = strlen(v->to[k]);
				return t;
			}
	}
	return t;
}

static const char *
form_name(const struct fo_amtcol *a, enum fo_amtform form, char *buf,
    size_t n)
{
	if (form == FO_AMT_STORED)
		snprintf(buf, n, "SAP's stored form (%d decimals for every "
		    "currency)", a->stored);
	else
		snprintf(buf, n, "as displayed, in each currency's decimals");
	return buf;
}

/*
 * An amount of a column with an amount_form. Its decimals against its
 * currency's show the form: in a currency of 0 or 3 decimals, the stored
 * form's two are SAP's storage (1,00 JPY is 100 yen), the currency's own
 * are the amount as displayed; a 2-decimal currency, or an amount without
 * a decimal mark, shows nothing and is read as written. Under auto, the
 * first row that shows a form decides it for the file; a row that shows
 * the other is refused, as under stored or displayed.
 *
 * A workbook's number cell shows no form at all (Excel writes 1250.00
 * as 1250): in a currency where the forms differ it is read in the form
 * the profile names or an earlier row decided, and refused while none
 * has, rather than read as written and maybe a hundred times off.
 */
static int
read_form(struct fo_ingest *g, int c, struct fo_span t, int style, int minor,
    const char *cur, long line, int numcell, struct fo_dec *d,
    struct fo_err *e)
{
	struct fo_amtcol *a = &g->amt[c];
	enum fo_amtform shows = FO_AMT_ASIS, want;
	char n1[64], n2[64];
	size_t len;
	int r, w;

	if (numcell && minor != a->stored) {
		want = a->form == FO_AMT_AUTO ? a->found : a->form;
		if (want == FO_AMT_DISPLAYED)
			return fo_dec_parse(t.p, t.n, (enum fo_numstyle)style,
			    minor, d, e);
		if (want != FO_AMT_STORED) {
			fo_err_msg(e, "%s in a number cell shows neither SAP's "
			    "stored form nor the displayed one: give %s "
			    "amount_form stored or displayed", cur, g->extra[c]);
			e->col = 1;
			return FO_ERR;
		}
		if ((r = fo_dec_parse(t.p, t.n, (enum fo_numstyle)style,
		    a->stored, d, e)) != FO_OK)
			return r;
		if (fo_dec_shift(d, minor - a->stored) != FO_OK) {
			fo_err_msg(e, "stored with %d decimals: too large",
			    a->stored);
			e->col = 1;
			return FO_ERR;
		}
		return FO_OK;
	}

	if ((r = fo_dec_parse(t.p, t.n, (enum fo_numstyle)style, FO_DEC_ASIS,
	    d, e)) != FO_OK)
		return r;
	w = d->scale;
	if (minor != a->stored && w > 0) {
		if (w == a->stored)
			shows = FO_AMT_STORED;
		else if (w == minor)
			shows = FO_AMT_DISPLAYED;
		else {
			fo_err_msg(e, "%s with %d decimal%s is neither SAP's "
			    "stored form (%d decimals) nor %s's own (%d)", cur,
			    w, w == 1 ? "" : "s", a->stored, cur, minor);
			e->col = 1;
			return FO_ERR;
		}
	}
	want = a->form == FO_AMT_AUTO ? a->found : a->form;
	if (shows != FO_AMT_ASIS && want != FO_AMT_ASIS && shows != want) {
		if (a->form == FO_AMT_AUTO)
			fo_err_msg(e, "%s with %d decimals is %s, but line %ld "
			    "(%s) showed %s", cur, w,
			    form_name(a, shows, n1, sizeof n1), a->line, a->why,
			    form_name(a, want, n2, sizeof n2));
		else
			fo_err_msg(e, "%s with %d decimals is %s, but the "
			    "profile says %s is %s", cur, w,
			    form_name(a, shows, n1, sizeof n1), g->extra[c],
			    form_name(a, want, n2, sizeof n2));
		e->col = 1;
		return FO_ERR;
	}
	if (shows != FO_AMT_ASIS && want == FO_AMT_ASIS) {
		a->found = shows;
		a->line = line;
		snprintf(a->why, sizeof a->why, "%.*s %s", SHOW(t), cur);
		g->undo[g->nundo++] = c;
		len = strlen(g->note);
		snprintf(g->note + len, sizeof g->note - len, "%s%s: amounts "
		    "in %s are %s, from line %ld: %s", len ? "\n" : "",
		    g->file, g->extra[c], form_name(a, shows, n1, sizeof n1),
		    line, a->why);
	}
	if (shows != FO_AMT_STORED)
		return fo_dec_parse(t.p, t.n, (enum fo_numstyle)style, minor,
		    d, e);
	if (fo_dec_shift(d, minor - a->stored) != FO_OK) {
		fo_err_msg(e, "stored with %d decimals: too large", a->stored);
		e->col = 1;
		return FO_ERR;
	}
	return FO_OK;
}

/* Whether a regex looks at the bytes around its match: glibc's \b, \B,
 * \<, \>, \` and \' (a \\ is a backslash). */
static int
looks_around(const char *re)
{
	for (; *re != '\0'; re++)
		if (*re == '\\' && *++re != '\0' && strchr("bB<>`'", *re))
			return 1;
		else if (*re == '\0')
			break;
	return 0;
}

/*
 * A regex written ^(R)L or (R)L, its only parentheses the group's and L
 * a literal (no character special in an ERE, ASCII): a match is R's
 * text then L's bytes, so the group is the whole match less L, and
 * regexec's captures, ten times the price of the match, are not needed.
 * The length of L, or -1 for any other regex or group.
 */
static int
literal_tail(const char *re, int group)
{
	const char *open, *close, *t;

	if (group != 1)
		return -1;
	open = re + (*re == '^');
	if (*open != '(' || strchr(open + 1, '(') != NULL ||
	    (close = strchr(open + 1, ')')) == NULL ||
	    strchr(close + 1, ')') != NULL || close[-1] == '\\')
		return -1;
	for (t = close + 1; *t != '\0'; t++)
		if ((unsigned char)*t < 0x20 || (unsigned char)*t >= 0x7f ||
		    strchr(".[]()*+?{}|^$\\", *t) != NULL)
			return -1;
	return (int)(t - close - 1);
}

/* The slot of key in extract i's memo, XMEMO_SLOTS if it cannot be kept.
 * Not found, the slot returned is empty (n 0) for the caller to fill:
 * each key has two places, the newer answer first. */
static size_t
xmemo_slot(struct fo_xmemo *xm, size_t i, struct fo_span key, int edge)
{
	size_t k, j;

	if (xm == NULL || key.n == 0 || key.n >= sizeof xm->slot[0].text)
		return XMEMO_SLOTS;
	/* whole texts in one half, matched texts in the other: the many
	 * names of a vendor do not push out its one id */
	k = (size_t)((unsigned)memo_hash(key.p, key.n) ^
	    (unsigned)edge * 0x9e3779b9u ^ (unsigned)i * 31u) %
	    (XMEMO_SLOTS / 2) & ~(size_t)1;
	if (edge == XMEMO_TEXT)
		k += XMEMO_SLOTS / 2;
	for (j = k; j < k + 2; j++)
		if (xm->slot[j].n == key.n && xm->slot[j].edge == edge &&
		    memcmp(xm->slot[j].text, key.p, key.n) == 0)
			return j;
	if (xm->slot[k].n != 0)
		xm->slot[k + 1] = xm->slot[k];
	xm->slot[k].n = 0;
	return k;
}

static void
xmemo_keep(struct fo_xmemo *xm, size_t k, const char *key, size_t n, int edge,
    int so, int eo)
{
	memcpy(xm->slot[k].text, key, n);
	xm->slot[k].n = (unsigned char)n;
	xm->slot[k].edge = (unsigned char)edge;
	xm->slot[k].so = (short)so;
	xm->slot[k].eo = (short)eo;
}

/* extract: a field no column fills, from a capture of another field's
 * (or column's) text: V3001 out of "V3001 Summit Built Components". */
static void
extract(struct fo_ingest *g, const struct fo_csv_row *row,
    struct fo_span *txt, size_t i)
{
	const struct fo_pextract *x = &g->prof->extract[i];
	struct fo_xmemo *xm = g->xmemo != NULL ? &g->xmemo[i] : NULL;
	struct fo_span src;
	regmatch_t m[10];
	const char *text;
	size_t kt, km = XMEMO_SLOTS, at = 0, mlen = 0;
	int so = -1, eo = -1, edge = 0;

	if (!x->re.compiled || txt[x->field].n > 0)
		return;
	src = x->from >= 0 ? text_of(g, row, txt, x->from) :
	    cell(row, g->xcol[i]);
	if (src.n == 0)
		return;
	kt = xmemo_slot(xm, i, src, XMEMO_TEXT);
	if (kt < XMEMO_SLOTS && xm->slot[kt].n > 0) {
		so = xm->slot[kt].so;
		eo = xm->slot[kt].eo;
		goto found;
	}
	fo_buf_reset(&g->scratch);
	fo_buf_put(&g->scratch, src.p, src.n);
	if ((text = fo_buf_cstr(&g->scratch)) == NULL)
		return;
	if (xm != NULL && xm->tail >= 0) {
		/* the group is the match less its literal tail */
		if (regexec(&x->re.re, text, 1, m, 0) == 0) {
			so = (int)m[0].rm_so;
			eo = (int)m[0].rm_eo - xm->tail;
		}
		goto keep;
	}
	if (xm != NULL && xm->bymatch) {
		if (regexec(&x->re.re, text, 1, m, 0) != 0)
			goto keep;
		at = (size_t)m[0].rm_so;
		mlen = (size_t)(m[0].rm_eo - m[0].rm_so);
		edge = (at == 0) | (text[m[0].rm_eo] == '\0') << 1;
		km = xmemo_slot(xm, i, (struct fo_span){ src.p + at, mlen },
		    edge);
		if (km < XMEMO_SLOTS && xm->slot[km].n > 0) {
			so = xm->slot[km].so;
			eo = xm->slot[km].eo;
			goto keep;
		}
	}
	if (regexec(&x->re.re, text, 10, m, 0) == 0 &&
	    m[x->group].rm_so >= 0) {
		so = (int)(m[x->group].rm_so - at);
		eo = (int)(m[x->group].rm_eo - at);
	}
	if (km < XMEMO_SLOTS)
		xmemo_keep(xm, km, src.p + at, mlen, edge, so, eo);
keep:
	if (kt < XMEMO_SLOTS)
		xmemo_keep(xm, kt, src.p, src.n, XMEMO_TEXT,
		    so < 0 ? -1 : so + (int)at, eo + (int)at);
	if (so < 0)
		return;
	so += (int)at;
	eo += (int)at;
found:
	if (so >= 0)
		txt[x->field] = trim(src.p + so, (size_t)(eo - so));
}

/* The number style of field f's column. A workbook's number cell is
 * plain decimal text whatever the profile says of the exports it writes
 * as text. */
static enum fo_numstyle
style_of(const struct fo_ingest *g, const struct fo_csv_row *row, int f)
{
	int c = g->fieldcol[f];

	if (c >= 0 && row->kind && (size_t)c < row->nf &&
	    row->kind[c] == FO_CELL_NUM)
		return FO_NUM_PLAIN;
	return c >= 0 && !g->numbers_given && g->numbers_col[c] >= 0 ?
	    (enum fo_numstyle)g->numbers_col[c] : g->numbers;
}

/* Whether a currency mark is checked: without the table a sign alone
 * ($, €) is passed over as it always was; letters (a code, or S and H,
 * which are signs and no currency) are checked, and rejected unless a
 * code. */
static int
mark_known(const struct fo_ingest *g, struct fo_span m)
{
	size_t i;

	if (g->currencies != NULL)
		return 1;
	for (i = 0; i < m.n; i++)
		if ((m.p[i] >= 'A' && m.p[i] <= 'Z') ||
		    (m.p[i] >= 'a' && m.p[i] <= 'z'))
			return 1;
	return 0;
}

/* Whether mark was checked before against the currency code. */
static int
mark_seen(const struct fo_ingest *g, struct fo_span mark, const char *code)
{
	size_t i;

	for (i = 0; i < sizeof g->markseen / sizeof g->markseen[0]; i++)
		if (g->markseen[i].n == mark.n &&
		    memcmp(g->markseen[i].mark, mark.p, mark.n) == 0 &&
		    memcmp(g->markseen[i].code, code, 4) == 0)
			return 1;
	return 0;
}

/* Codes, for messages: "USD, CAD or AUD", at most 6 of them. */
static void
codes_text(const struct fo_curmatch *m, char *buf, size_t n)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < m->n && i < 12 && len + 8 < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
		    i == 0 ? "" : i + 1 == m->n ? " or " : ", ", m->code[i]);
	if (i < m->n)
		snprintf(buf + len, n - len, " or another");
}

/* One code for text: the only one it names, or the default when it
 * names several and the default is one of them. FO_OK, or FO_ERR with
 * e->msg (what: "currency" or "currency mark"). */
static int
pick_code(const struct fo_ingest *g, const char *what, struct fo_span t,
    const char *def, char *code, struct fo_err *e)
{
	struct fo_curmatch m;
	char list[96];
	size_t i;

	if (fo_currency_lookup(g->currencies, t.p, t.n, &m) != FO_OK) {
		if (t.n == 3)
			fo_err_msg(e, "%s '%.*s' is not an ISO 4217 code", what,
			    SHOW(t));
		else
			fo_err_msg(e, "%s '%.*s' is not an ISO 4217 code, nor "
			    "a name or symbol of currencies.yaml", what,
			    SHOW(t));
		return FO_ERR;
	}
	if (m.n == 1) {
		memcpy(code, m.code[0], 4);
		return FO_OK;
	}
	for (i = 0; def != NULL && def[0] != '\0' && i < m.n; i++)
		if (memcmp(m.code[i], def, 4) == 0) {
			memcpy(code, def, 4);
			return FO_OK;
		}
	codes_text(&m, list, sizeof list);
	fo_err_msg(e, "%s '%.*s' is ambiguous (%s): give the currency "
	    "(--currency, or the profile's constants)", what, SHOW(t), list);
	return FO_ERR;
}

/* The one code two marks of an amount both name ("$" and "USD"), or
 * the default among several; FO_EMPTY when they do not settle it. */
static int
both_marks(const struct fo_ingest *g, const struct fo_span *m,
    const char *def, char *code)
{
	struct fo_curmatch a, b;
	size_t i, k, n = 0, hit = 0;

	if (fo_currency_lookup(g->currencies, m[0].p, m[0].n, &a) != FO_OK ||
	    fo_currency_lookup(g->currencies, m[1].p, m[1].n, &b) != FO_OK)
		return FO_EMPTY;
	for (i = 0; i < a.n; i++)
		for (k = 0; k < b.n; k++)
			if (memcmp(a.code[i], b.code[k], 4) == 0) {
				if (n++ == 0)
					memcpy(code, a.code[i], 4);
				hit |= def != NULL && memcmp(a.code[i], def,
				    4) == 0;
			}
	if (n == 1)
		return FO_OK;
	if (n > 1 && hit) {
		memcpy(code, def, 4);
		return FO_OK;
	}
	code[0] = '\0';
	return FO_EMPTY;
}

/*
 * The row's currency into code ("" for none): the currency column or a
 * context line, through the profile's values and the currency table;
 * else the first currency mark of an amount; else the default (the
 * command line's --currency, else the profile's constant). A default
 * only chooses among the codes of an ambiguous name or mark ($, kr); a
 * mark that contradicts the column is left to put_money.
 */
static int
row_currency(struct fo_ingest *g, const struct fo_csv_row *row,
    const struct fo_span *txt, char *code, struct fo_err *e, long *badcol)
{
	struct fo_span t, m[2], def = { "", 0 };
	struct fo_dec d;
	char dcode[4] = "", why[sizeof e->msg];
	int f = g->currency, c, k, nm, a;

	code[0] = '\0';
	if (f < 0)
		return FO_OK;
	c = g->fieldcol[f];
	/* the default: --currency, else a constant */
	if (g->defcur[0] != '\0')
		memcpy(dcode, g->defcur, 4);
	else {
		if (g->vconst && g->vconst[f])
			def.p = g->vconst[f];
		else if (g->prof->fields[f].constant)
			def.p = g->prof->fields[f].constant;
		def.n = strlen(def.p);
		if (def.n > 0 && pick_code(g, "currency", def, NULL, dcode,
		    e) != FO_OK) {
			snprintf(why, sizeof why, "%s", e->msg);
			return fail_at(e, badcol, -1, 0, "the profile's "
			    "constant %.200s", why);
		}
	}
	t = cell(row, c);
	if (t.n == 0 && g->ctx[f] != NULL) {
		t.p = g->ctx[f];
		t.n = strlen(t.p);
		c = -1;
	}
	if (t.n > 0) {
		if (g->mapped[f])
			t = mapped_value(g->prof, f, t);
		/* a file has a few currencies: their codes are kept (the
		 * default is the file's) */
		for (k = 0; k < (int)(sizeof g->curseen /
		    sizeof g->curseen[0]); k++)
			if (g->curseen[k].n == t.n &&
			    memcmp(t.p, g->curseen[k].text, t.n) == 0) {
				memcpy(code, g->curseen[k].code, 4);
				return FO_OK;
			}
		if (pick_code(g, "currency", t, dcode, code, e) != FO_OK) {
			snprintf(why, sizeof why, "%s", e->msg);
			return fail_at(e, badcol, c, c >= 0 ? 1 : 0, "%s", why);
		}
		if (t.n < sizeof g->curseen[0].text) {
			k = (int)(g->curnext++ % (sizeof g->curseen /
			    sizeof g->curseen[0]));
			memcpy(g->curseen[k].text, t.p, t.n);
			g->curseen[k].n = (unsigned char)t.n;
			memcpy(g->curseen[k].code, code, 4);
		}
		return FO_OK;
	}
	/* no column: an amount's mark says it */
	for (a = 0; a < (int)fo_nfields; a++) {
		if (fo_fields[a].type != FO_F_AMOUNT || !g->active[a] ||
		    txt[a].n == 0)
			continue;
		if (fo_dec_parse_marks(txt[a].p, txt[a].n, style_of(g, row, a),
		    FO_DEC_ASIS, &d, m, &nm, e) != FO_OK)
			continue;	/* put_money says what is wrong */
		/* "$ USD", "$12.00 USD": the marks together say it */
		if (nm == 2 && mark_known(g, m[0]) && mark_known(g, m[1]) &&
		    both_marks(g, m, dcode, code) == FO_OK)
			return FO_OK;
		for (k = 0; k < nm; k++) {
			if (!mark_known(g, m[k]))
				continue;
			if (pick_code(g, "currency mark", m[k], dcode, code,
			    e) != FO_OK) {
				snprintf(why, sizeof why, "%s", e->msg);
				c = g->fieldcol[a];
				if (c < 0 || m[k].p < row->f[c].p ||
				    m[k].p > row->f[c].p + row->f[c].n)
					c = -1;
				return fail_at(e, badcol, c, c >= 0 ?
				    (long)(m[k].p - row->f[c].p) + 1 : 0,
				    "%s '%.*s': %s", fo_fields[a].name,
				    SHOW(txt[a]), why);
			}
			return FO_OK;
		}
	}
	memcpy(code, dcode, 4);
	return FO_OK;
}

static int
put_money(struct fo_ingest *g, const struct fo_csv_row *row, int f,
    struct fo_span t, int scale, const char *code, long line,
    struct fo_obj *o, struct fo_err *e)
{
	char num[FO_DEC_BUFSZ], mc[4];
	struct fo_curmatch cm;
	struct fo_span m[2];
	struct fo_dec d;
	size_t len, i;
	int c = g->fieldcol[f], r, nm = 0, k;

	if (fo_fields[f].type == FO_F_AMOUNT && scale >= 0 && c >= 0 &&
	    g->amt[c].form != FO_AMT_ASIS)
		r = read_form(g, c, t, style_of(g, row, f), scale, code, line,
		    row->kind && (size_t)c < row->nf &&
		    row->kind[c] == FO_CELL_NUM, &d, e);
	else
		r = fo_dec_parse_marks(t.p, t.n, style_of(g, row, f),
		    fo_fields[f].type != FO_F_AMOUNT ? FO_DEC_ASIS : scale,
		    &d, m, &nm, e);
	if (r != FO_OK)
		return r;
	/* each mark must be the row's currency: '$' is CAD's too, '€' is
	 * no dollar's */
	for (k = 0; k < nm; k++) {
		/* a price's or quantity's sign is checked against a currency
		 * the row has, and gives none */
		if (!mark_known(g, m[k]) || (fo_fields[f].type != FO_F_AMOUNT &&
		    code[0] == '\0'))
			continue;
		/* a mark and currency checked before */
		if (code[0] != '\0' && mark_seen(g, m[k], code))
			continue;
		if (fo_currency_lookup(g->currencies, m[k].p, m[k].n, &cm) !=
		    FO_OK)
			r = pick_code(g, "currency mark", m[k], NULL, mc, e);
		else if (code[0] == '\0')
			r = pick_code(g, "currency mark", m[k], NULL, mc, e);
		else {
			for (i = 0; i < cm.n && memcmp(cm.code[i], code, 4);
			    i++)
				;
			if (i == cm.n) {
				fo_err_msg(e, "'%.*s' is not %s, the row's "
				    "currency", SHOW(m[k]), code);
				r = FO_ERR;
			}
		}
		if (r != FO_OK) {
			e->col = (long)(m[k].p - t.p) + 1;
			return FO_ERR;
		}
		if (code[0] != '\0' && m[k].n <= sizeof g->markseen[0].mark) {
			i = g->marknext++ % (sizeof g->markseen /
			    sizeof g->markseen[0]);
			memcpy(g->markseen[i].mark, m[k].p, m[k].n);
			g->markseen[i].n = (unsigned char)m[k].n;
			memcpy(g->markseen[i].code, code, 4);
		}
	}
	if (fo_fields[f].type == FO_F_AMOUNT && g->signcol >= 0 &&
	    in_list(cell(row, g->signcol), g->prof->sign_neg,
	    g->prof->nsign_neg))
		d.v = -d.v;
	len = fo_dec_fmt(&d, num);
	put_key(o, fo_fields[f].name, g->namelen[f]);
	fo_buf_put(o->b, num, len);
	return FO_OK;
}

/* One side of a debit and credit pair: FO_OK, FO_EMPTY or FO_ERR. */
static int
pair_side(struct fo_ingest *g, const struct fo_csv_row *row, int col,
    int scale, struct fo_dec *d, struct fo_err *e, long *badcol)
{
	struct fo_span t = cell(row, col);
	char why[sizeof e->msg];
	int style, r;

	style = !g->numbers_given && g->numbers_col[col] >= 0 ?
	    g->numbers_col[col] : (int)g->numbers;
	r = fo_dec_parse(t.p, t.n, (enum fo_numstyle)style, scale, d, e);
	if (r != FO_ERR)
		return r;
	snprintf(why, sizeof why, "%s", e->msg);
	return fail_at(e, badcol, col, e->col > 0 ? e->col +
	    (long)(t.p - row->f[col].p) : 0, "%s '%.*s': %s",
	    g->extra[col], SHOW(t), why);
}

/*
 * The amount of a debit and credit pair, into g->amountbuf: a debit is
 * money out, negative however its sign is written (banks differ); a
 * credit is money in. One of them is filled (a zero counts as empty);
 * both filled, or a negative credit, cannot be read one way: rejected.
 */
static int
pair_amount(struct fo_ingest *g, const struct fo_csv_row *row, int scale,
    struct fo_span *out, struct fo_err *e, long *badcol)
{
	struct fo_span dt = cell(row, g->debitcol), ct = cell(row, g->creditcol);
	struct fo_dec d = { 0, 0 }, c = { 0, 0 };
	int rd, rc;

	out->p = "";
	out->n = 0;
	if ((rd = pair_side(g, row, g->debitcol, scale, &d, e, badcol)) ==
	    FO_ERR || (rc = pair_side(g, row, g->creditcol, scale, &c, e,
	    badcol)) == FO_ERR)
		return FO_ERR;
	if (rd == FO_EMPTY && rc == FO_EMPTY)
		return FO_OK;
	if (d.v != 0 && c.v != 0)
		return fail_at(e, badcol, g->creditcol, 1 +
		    (long)(ct.p - row->f[g->creditcol].p), "%s '%.*s' and %s "
		    "'%.*s' both filled: one must be empty",
		    g->extra[g->debitcol], SHOW(dt), g->extra[g->creditcol],
		    SHOW(ct));
	if (c.v < 0)
		return fail_at(e, badcol, g->creditcol, 1 +
		    (long)(ct.p - row->f[g->creditcol].p), "%s '%.*s' is "
		    "negative: a credit is money in", g->extra[g->creditcol],
		    SHOW(ct));
	if (d.v != 0 || rc == FO_EMPTY) {
		if (d.v > 0)
			d.v = -d.v;
		c = d;
	}
	out->n = fo_dec_fmt(&c, g->amountbuf);
	out->p = g->amountbuf;
	return FO_OK;
}

/* The profile's minor units for a currency code (3 bytes and a NUL):
 * the same few codes on every row, so the answers are kept. */
static int
minor_of(struct fo_ingest *g, const char *code)
{
	struct fo_minor *m;
	unsigned char *u = (unsigned char *)code;

	m = &g->minors[(u[0] * 7u + u[1] * 3u + u[2]) & 15];
	if (m->code[0] == '\0' || memcmp(m->code, code, 4) != 0) {
		memcpy(m->code, code, 4);
		m->minor = fo_profile_minor(g->prof, code, 3);
	}
	return m->minor;
}

/* The slot of date text t read in format df: n is t.n when it holds t's
 * answer; else, emptied, the one to fill. NULL: not kept (too long, or
 * no memory). */
static struct fo_dmemo *
dmemo_slot(struct fo_ingest *g, struct fo_span t, enum fo_datefmt df)
{
	struct fo_dmemo *dm;
	uint64_t h;

	if (t.n == 0 || t.n > sizeof dm->text)
		return NULL;
	if (g->dmemo == NULL &&
	    (g->dmemo = calloc(DMEMO_SLOTS, sizeof *g->dmemo)) == NULL)
		return NULL;
	h = memo_hash(t.p, t.n) ^ (uint64_t)df * 0x9e3779b97f4a7c15ULL;
	dm = &g->dmemo[(h ^ h >> 32) & (DMEMO_SLOTS - 1)];
	if (dm->n == t.n && dm->fmt == (unsigned char)df &&
	    memcmp(dm->text, t.p, t.n) == 0)
		return dm;
	dm->n = 0;
	return dm;
}

/* One record from one row (or a gathered row): codes and lines are the
 * JSON text row types add, empty otherwise. */
static int
build(struct fo_ingest *g, const struct fo_csv_row *row, long line,
    struct fo_buf *out, struct fo_err *e, long *badcol, struct fo_span codes,
    struct fo_span lines)
{
	size_t start = out->n, idend = 0, j, k;
	struct fo_span t, txt[FO_FIELDS_MAX];
	struct fo_obj o;
	char date[16], code[4] = "";
	struct fo_dmemo *dm;
	int32_t days;
	enum fo_datefmt df;
	int f, c = -1, r, scale = FO_DEC_ASIS;
	size_t note0;

	*badcol = -1;
	e->col = 0;
	g->nundo = 0;
	note0 = strlen(g->note);
	if (row->nf < g->ncol)
		return fail_at(e, badcol, -1, 0, "row has %zu fields, the "
		    "header has %zu", row->nf, g->ncol);
	for (j = g->ncol + (g->merging ? g->nvirt : 0); j < row->nf; j++)
		if (cell(row, (int)j).n > 0)
			return fail_at(e, badcol, (int)j, 0, "row has %zu "
			    "fields, the header has %zu", row->nf, g->ncol);

	/* each field's text once: the id and the field itself use it */
	for (k = 0; k < g->norder; k++)
		if (g->active[f = g->order[k]])
			txt[f] = field_text(g, row, f);

	for (j = 0; j < g->prof->nextract; j++)
		extract(g, row, txt, j);

	/* the currency first: it decides how many decimals amounts have */
	if ((r = row_currency(g, row, txt, code, e, badcol)) != FO_OK)
		return r;
	if (code[0] != '\0')
		scale = minor_of(g, code);

	if (g->debitcol >= 0 && pair_amount(g, row, scale, &txt[g->amount], e,
	    badcol) != FO_OK)
		return FO_ERR;

	fo_obj_begin(&o, out);
	if ((r = put_id(g, row, txt, &o, e, badcol, &idend)) != FO_OK) {
		out->n = start;
		return r;
	}
	/* the same for every row of the file: made once */
	if (g->fixed.n == 0) {
		struct fo_obj fx = { &g->fixed, 1 };

		put_kstr(&fx, "source", 6, g->prof->name, strlen(g->prof->name));
		put_kstr(&fx, "source_file", 11, g->file, strlen(g->file));
		put_key(&fx, "source_line", 11);
	}
	fo_buf_put(out, g->fixed.p, g->fixed.n);
	o.n += 3;
	put_long(out, line);
	if (g->prof->lists != NULL) {
		if (g->listing.n == 0) {
			struct fo_obj lx = { &g->listing, 1 };

			put_kstr(&lx, "listing", 7, g->prof->lists,
			    strlen(g->prof->lists));
		}
		fo_buf_put(out, g->listing.p, g->listing.n);
		o.n++;
	}
	for (k = 0; k < g->norder; k++) {
		const char *name = fo_fields[f = g->order[k]].name;
		size_t nlen = g->namelen[f];

		if (f == g->currency) {	/* a column, a mark or a default */
			if (code[0] != '\0')
				put_kstr(&o, name, nlen, code, 3);
			continue;
		}
		c = g->fieldcol[f];
		if (fo_fields[f].type == FO_F_CODES) {
			put_codes(g, row, &o, txt[f], codes);
			continue;
		}
		if ((t = txt[f]).n == 0)
			continue;
		switch (fo_fields[f].type) {
		case FO_F_STR:
			if (g->mapped[f])
				t = mapped_value(g->prof, f, t);
			put_kstr(&o, name, nlen, t.p, t.n);
			break;
		case FO_F_DATE:
			df = c >= 0 && !g->dates_given && g->dates_col[c] >= 0 ?
			    (enum fo_datefmt)g->dates_col[c] : g->dates;
			/* a workbook's date cell, computed from its serial */
			if (c >= 0 && row->kind && (size_t)c < row->nf &&
			    row->kind[c] == FO_CELL_DATE)
				df = FO_DATE_ISO;
			/* the common case: already written as it is written
			 * out, which is all fo_date_read would find (ISO is
			 * read whatever the format) */
			if (iso_valid(t)) {
				put_kstr(&o, name, nlen, t.p, 10);
				break;
			}
			if ((dm = dmemo_slot(g, t, df)) != NULL &&
			    dm->n == t.n) {
				put_kstr(&o, name, nlen, dm->iso, 10);
				break;
			}
			r = fo_date_read(t.p, t.n, df, &days, e);
			if (r == FO_ERR)
				goto bad;
			if (r == FO_OK) {
				fo_date_fmt(days, date);
				put_kstr(&o, name, nlen, date, 10);
				if (dm != NULL) {
					memcpy(dm->text, t.p, t.n);
					dm->n = (unsigned char)t.n;
					dm->fmt = (unsigned char)df;
					memcpy(dm->iso, date, 10);
				}
			}
			break;
		case FO_F_AMOUNT:
			if (f == g->amount && g->debitcol >= 0) {
				put_key(&o, name, nlen);
				fo_buf_put(out, t.p, t.n);
				break;
			}
			/* FALLTHROUGH */
		case FO_F_DEC:
			if (put_money(g, row, f, t, scale, code, line, &o,
			    e) == FO_ERR)
				goto bad;
			break;
		case FO_F_CODES:
			break;
		}
	}
	for (j = 0, r = 0; j < g->ncol; j++) {
		if (g->field[j] != COL_EXTRA ||
		    (g->optional[j] && cell(row, (int)j).n == 0))
			continue;
		fo_buf_puts(out, r++ ? "," : "");
		if (r == 1) {
			put_key(&o, "extra", 5);
			fo_buf_putc(out, '{');
		}
		put_jstr(out, g->extra[j], g->extralen[j]);
		fo_buf_putc(out, ':');
		t = g->prof->trim_extra ? cell(row, (int)j) : row->f[j];
		put_jstr(out, t.p, t.n);
	}
	if (lines.n > 0) {
		if (r++ == 0) {
			put_key(&o, "extra", 5);
			fo_buf_putc(out, '{');
		} else
			fo_buf_putc(out, ',');
		fo_buf_puts(out, "\"lines\":[");
		fo_buf_put(out, lines.p, lines.n);
		fo_buf_putc(out, ']');
	}
	if (r > 0)
		fo_buf_putc(out, '}');
	fo_obj_end(&o);
	fo_buf_putc(out, '\n');
	if (idend > 0)
		add_repeat(g, out, idend);
	if (out->oom)
		return FO_ENOMEM;
	return FO_OK;
bad:
	out->n = start;
	/* a rejected row decides no amount form */
	while (g->nundo > 0)
		g->amt[g->undo[--g->nundo]].found = FO_AMT_ASIS;
	g->note[note0] = '\0';
	{
		char why[sizeof e->msg];
		long off = e->col;

		/* the cell's offset: trimmed spaces come before it */
		if (c >= 0 && off > 0 && (size_t)c < row->nf)
			off += (long)(t.p - row->f[c].p);
		snprintf(why, sizeof why, "%s", e->msg);
		return fail_at(e, badcol, c, off, "%s '%.*s': %s",
		    fo_fields[f].name, SHOW(t), why);
	}
}

/* Row types: the record's cells in its own buffer (src may point into
 * the old one, so the copy is made before the old is freed). */
static int
pend_keep(struct fo_ingest *g, const struct fo_csv_row *src)
{
	struct fo_buf b = { 0 };
	struct fo_span *f;
	unsigned char *k = NULL;
	size_t i, off, nf = src->nf;

	/* room for the columns that only fill rows fill */
	if (nf < g->ncol + g->nvirt)
		nf = g->ncol + g->nvirt;
	for (i = 0; i < src->nf; i++) {
		fo_buf_put(&b, src->f[i].p, src->f[i].n);
		fo_buf_putc(&b, '\0');
	}
	f = b.oom ? NULL : calloc(nf + 1, sizeof *f);
	if (f && src->kind)
		k = malloc(nf + 1);
	if (f == NULL || (src->kind && k == NULL)) {
		free(f);
		fo_buf_free(&b);
		return FO_ENOMEM;
	}
	if (k) {
		memcpy(k, src->kind, src->nf);
		memset(k + src->nf, FO_CELL_TEXT, nf - src->nf);
	}
	free(g->pend_kind);
	g->pend_kind = k;
	g->pend_row.kind = k;
	for (i = off = 0; i < src->nf; i++) {
		f[i].p = b.p + off;
		f[i].n = src->f[i].n;
		off += src->f[i].n + 1;
	}
	for (; i < nf; i++)
		f[i].p = "";
	g->pend_row.nf = nf;
	g->pend_row.line = src->line;
	free(g->pend_row.f);
	g->pend_row.f = f;
	fo_buf_free(&g->pend_cells);
	g->pend_cells = b;
	return FO_OK;
}

static int
pend_start(struct fo_ingest *g, const struct fo_csv_row *row)
{
	g->filled = 0;
	fo_buf_reset(&g->pend_lines);
	fo_buf_reset(&g->pend_codes);
	g->pend_line = row->line;
	g->pending = 1;
	return pend_keep(g, row);
}

static struct fo_span
span_of(const struct fo_buf *b)
{
	struct fo_span s = { b->p ? b->p : "", b->n };

	return s;
}

/* A row merged into the record: its non-empty cells, for extra.lines. */
static void
add_line(struct fo_ingest *g, const struct fo_csv_row *row,
    const struct fo_rowlayout *l)
{
	struct fo_buf *b = &g->pend_lines;
	char **key = l ? l->key : g->extra;
	size_t j, ncol = l ? l->nf : g->ncol;
	int n = 0;

	fo_buf_puts(b, b->n ? ",{" : "{");
	for (j = 0; j < row->nf && j < ncol; j++) {
		if (cell(row, (int)j).n == 0)
			continue;
		fo_buf_puts(b, n++ ? "," : "");
		struct fo_span t = g->prof->trim_extra ? cell(row, (int)j) :
		    row->f[j];

		fo_json_str(b, key[j], strlen(key[j]));
		fo_buf_putc(b, ':');
		fo_json_str(b, t.p, t.n);
	}
	fo_buf_putc(b, '}');
}

/* Whether fill rows may fill field f (fill_fields; all when not given). */
static int
fills(const struct fo_prowtypes *t, int f)
{
	size_t i;

	for (i = 0; i < t->nfillf; i++)
		if (t->fillf[i] == f)
			return 1;
	return t->nfillf == 0;
}

/* Fill the record's empty field cells from a fill row, as a unit: only
 * the first fill row that has values for them does (so a record never
 * takes one line's price and another line's PO); the filled record must
 * still be good, else the fill row is the one rejected. Every fill row
 * is kept under extra.lines. */
static int
pend_fill(struct fo_ingest *g, const struct fo_csv_row *row,
    const struct fo_rowlayout *l, struct fo_err *e, long *badcol)
{
	struct fo_csv_row merged = g->pend_row;
	unsigned char *kind = NULL;
	int from[FO_FIELDS_MAX];	/* per field: the fill row's column */
	int c, f, r, n = 0;

	if (g->filled) {
		add_line(g, row, l);
		return g->pend_lines.oom ? FO_ENOMEM : FO_OK;
	}
	if ((merged.f = malloc((merged.nf + 1) * sizeof *merged.f)) == NULL)
		return FO_ENOMEM;
	if (merged.kind && (kind = malloc(merged.nf + 1)) == NULL) {
		free(merged.f);
		return FO_ENOMEM;
	}
	if (kind)
		memcpy(kind, merged.kind, merged.nf);
	merged.kind = kind;
	memcpy(merged.f, g->pend_row.f, merged.nf * sizeof *merged.f);
	/* a row of a layout has the field in its own column */
	for (f = 0; f < (int)fo_nfields; f++) {
		from[f] = -1;
		if ((c = g->fieldcol[f]) < 0 || (size_t)c >= merged.nf ||
		    !fills(g->prof->rowtypes, f))
			continue;
		from[f] = l ? l->fcol[f] : c;
		if (from[f] < 0 || (size_t)from[f] >= row->nf ||
		    trim(merged.f[c].p, merged.f[c].n).n > 0 ||
		    trim(row->f[from[f]].p, row->f[from[f]].n).n == 0)
			continue;
		merged.f[c] = row->f[from[f]];
		if (kind)
			kind[c] = row->kind ? row->kind[from[f]] :
			    FO_CELL_TEXT;
		n++;
	}
	if (n == 0) {
		free(kind);
		free(merged.f);
		add_line(g, row, l);
		return g->pend_lines.oom ? FO_ENOMEM : FO_OK;
	}
	fo_buf_reset(&g->trial);
	g->merging = 1;
	r = build(g, &merged, g->pend_line, &g->trial, e, badcol,
	    span_of(&g->pend_codes), span_of(&g->pend_lines));
	g->merging = 0;
	/* the position is the fill row's, in its own columns */
	if (r == FO_ERR && *badcol >= 0 && (size_t)*badcol < merged.nf &&
	    (f = g->field[*badcol]) >= 0) {
		*badcol = from[f];
		if (l)
			g->badfield = f;
	}
	if (r == FO_OK)
		r = pend_keep(g, &merged);
	free(kind);
	free(merged.f);
	if (r == FO_OK) {
		g->filled = 1;
		add_line(g, row, l);
	}
	return r;
}

int
fo_ingest_badfield(const struct fo_ingest *g, long badcol)
{
	if (g->badfield != -2)
		return g->badfield;
	return badcol >= 0 && (size_t)badcol < g->ncol ? g->field[badcol] : -1;
}

/* A record was written: an id that may repeat counts only then, so
 * that a rejected or trial build does not shift the next one's :2. */
static int
written(struct fo_ingest *g)
{
	return g->keymode != FO_KEYS_PROFILE ? seen_add(g, g->last_hash) :
	    FO_OK;
}

int
fo_ingest_flush(struct fo_ingest *g, struct fo_buf *out, struct fo_err *e)
{
	long badcol;
	int r;

	if (!g->pending)
		return FO_OK;
	g->merging = 1;
	r = build(g, &g->pend_row, g->pend_line, out, e, &badcol,
	    span_of(&g->pend_codes), span_of(&g->pend_lines));
	g->merging = 0;
	g->pending = 0;
	return r == FO_OK ? written(g) : r;
}

/* The layout of a row type, or -1. */
static int
layout_of(const struct fo_prowtypes *t, const char *type, size_t n)
{
	size_t i;

	for (i = 0; i < t->nlayout; i++)
		if (strlen(t->layout_type[i]) == n &&
		    memcmp(t->layout_type[i], type, n) == 0)
			return (int)i;
	return -1;
}

/* A header row of its own for the rows of one type: the first layout
 * whose columns it all has. Its columns name their cells from then on. */
static int
layout_row(struct fo_ingest *g, const struct fo_csv_row *row,
    struct fo_err *e, long *badcol)
{
	const struct fo_prowtypes *t = g->prof->rowtypes;
	struct fo_rowlayout *l;
	char **fold;
	size_t i, j, k;
	int f, r = FO_ENOMEM;

	if ((fold = calloc(row->nf + 1, sizeof *fold)) == NULL)
		return FO_ENOMEM;
	for (j = 0; j < row->nf; j++)
		if ((fold[j] = fo_header_fold(row->f[j].p, row->f[j].n)) ==
		    NULL)
			goto out;
	for (i = 0; i < t->nlayout; i++)
		if (has_all(fold, row->nf, t->layout_cols[i],
		    t->nlayout_cols[i]))
			break;
	if (i == t->nlayout) {
		r = fail_at(e, badcol, g->typecol, 1, "a header row of no "
		    "row type that row_types.layouts names");
		goto out;
	}
	l = &g->layout[i];
	layout_clear(l);
	if ((l->key = calloc(row->nf + 1, sizeof *l->key)) == NULL)
		goto out;
	l->nf = row->nf;
	for (j = 0; j < row->nf; j++)
		if ((l->key[j] = extra_key(row, j, l->key)) == NULL)
			goto out;
	for (f = 0; f < (int)fo_nfields; f++) {
		l->fcol[f] = -1;
		for (k = 0; k < g->prof->fields[f].nsyn && l->fcol[f] < 0; k++)
			l->fcol[f] = find_pcol(fold, row->nf, NULL,
			    &g->prof->fields[f].syn[k]);
	}
	l->holdcol = -1;
	for (k = 0; k < t->nhold; k++)
		if (strcmp(t->hold_type[k], t->layout_type[i]) == 0 &&
		    (l->holdcol = find_pcol(fold, row->nf, NULL,
		    &t->hold_col[k])) < 0) {
			r = fail_at(e, badcol, -1, 0, "the header row of the "
			    "%s rows has no %s column", t->layout_type[i],
			    t->hold_col[k].text);
			layout_clear(l);
			goto out;
		}
	l->parentcol = t->parent.fold ? find_pcol(fold, row->nf, NULL,
	    &t->parent) : -1;
	l->line = row->line;
	g->nlayout_seen++;
	r = FO_OK;
out:
	for (j = 0; j < row->nf; j++)
		free(fold[j]);
	free(fold);
	return r;
}

/* A row of a layout that holds its record's first key must hold the
 * pending record's: a Line row of another invoice is never merged. */
static int
check_parent(struct fo_ingest *g, const struct fo_csv_row *row,
    const struct fo_rowlayout *l, struct fo_span type, struct fo_err *e,
    long *badcol)
{
	const struct fo_prowtypes *t = g->prof->rowtypes;
	struct fo_span mine, its;

	if (l == NULL || l->parentcol < 0 || g->nkey == 0 ||
	    g->keycol[0] < 0)
		return FO_OK;
	mine = cell(row, l->parentcol);
	its = cell(&g->pend_row, g->keycol[0]);
	if (mine.n == its.n && memcmp(mine.p, its.p, its.n) == 0)
		return FO_OK;
	return fail_at(e, badcol, l->parentcol, 1, "%.*s row of %s '%.*s', "
	    "not of the %s row at line %ld ('%.*s')", SHOW(type),
	    t->parent.text, SHOW(mine), t->record[0], g->pend_line,
	    SHOW(its));
}

static int
typed_row(struct fo_ingest *g, const struct fo_csv_row *row,
    struct fo_buf *out, struct fo_err *e, long *badcol, enum fo_rowkind *kind)
{
	const struct fo_prowtypes *t = g->prof->rowtypes;
	struct fo_span type = cell(row, g->typecol), code;
	const struct fo_rowlayout *l = NULL;
	size_t i;
	int li, r;

	*badcol = -1;
	if (t->nlayout && fo_header_fold_eq(type.p, type.n, t->col.fold)) {
		/* a header row of its own: not data, counted as skipped */
		*kind = FO_ROW_SKIPPED;
		return layout_row(g, row, e, badcol);
	}
	if (in_list(type, t->record, t->nrecord)) {
		/* the record before is complete, whatever this row holds */
		*kind = FO_ROW_RECORD;
		if ((r = fo_ingest_flush(g, out, e)) != FO_OK)
			return r;
		fo_buf_reset(&g->trial);
		r = build(g, row, row->line, &g->trial, e, badcol,
		    (struct fo_span){ "", 0 }, (struct fo_span){ "", 0 });
		if (r != FO_OK) {
			g->orphan_line = row->line;
			return r;
		}
		g->orphan_line = 0;
		return pend_start(g, row);
	}
	if (in_list(type, t->skip, t->nskip)) {
		*kind = FO_ROW_SKIPPED;
		return FO_OK;
	}
	*kind = FO_ROW_MERGED;
	for (i = 0; i < t->nhold && !in_list(type, &t->hold_type[i], 1); i++)
		;
	if (i == t->nhold && !in_list(type, t->fill, t->nfill))
		return fail_at(e, badcol, g->typecol, 1, "unknown row type "
		    "'%.*s'", SHOW(type));
	/* a file with no header row but the first reads every row by it */
	if ((li = layout_of(t, type.p, type.n)) >= 0 && g->nlayout_seen) {
		l = &g->layout[li];
		if (l->line == 0)
			return fail_at(e, badcol, g->typecol, 1, "%.*s row "
			    "before the header row of its type (the one with "
			    "%s)", SHOW(type), t->layout_cols[li][0].text);
		g->badfield = -1;
	}
	if (!g->pending)
		return g->orphan_line ?
		    fail_at(e, badcol, g->typecol, 1, "%.*s row of the "
		    "rejected %s row at line %ld", SHOW(type), t->record[0],
		    g->orphan_line) :
		    fail_at(e, badcol, g->typecol, 1, "%.*s row before any "
		    "%s row", SHOW(type), t->record[0]);
	if ((r = check_parent(g, row, l, type, e, badcol)) != FO_OK)
		return r;
	if (i == t->nhold)
		return pend_fill(g, row, l, e, badcol);
	code = cell(row, l ? l->holdcol : g->holdcol[i]);
	if (code.n == 0)
		return fail_at(e, badcol, l ? l->holdcol : g->holdcol[i], 0,
		    "%.*s row without a code in %s", SHOW(type),
		    t->hold_col[i].text);
	fo_buf_puts(&g->pend_codes, g->pend_codes.n ? "," : "");
	fo_json_str(&g->pend_codes, code.p, code.n);
	add_line(g, row, l);
	return g->pend_codes.oom || g->pend_lines.oom ? FO_ENOMEM : FO_OK;
}

int
fo_ingest_row(struct fo_ingest *g, const struct fo_csv_row *row,
    struct fo_buf *out, struct fo_err *e, long *badcol, enum fo_rowkind *kind)
{
	int r;

	*kind = FO_ROW_RECORD;
	g->badfield = -2;
	if (g->prof->rowtypes)
		return typed_row(g, row, out, e, badcol, kind);
	r = build(g, row, row->line, out, e, badcol,
	    (struct fo_span){ "", 0 }, (struct fo_span){ "", 0 });
	return r == FO_OK ? written(g) : r;
}
