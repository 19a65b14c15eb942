/*
 * ingest.c - one CSV row to one canonical record: the header mapped by
 * the profile once per file, then each row's cells parsed by the type of
 * the field they feed (money exact, dates checked), the id built from
 * the key columns, and every column no field takes kept under "extra".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

#define COL_EXTRA (-1)
#define COL_FLAG (-2)

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

int
fo_ingest_init(struct fo_ingest *g, const struct fo_profile *p,
    const char *file, enum fo_numstyle numbers, enum fo_datefmt dates,
    const struct fo_csv_row *h, struct fo_err *e)
{
	char **fold;
	size_t i, j, k;
	int c, f, r = FO_ENOMEM;

	memset(g, 0, sizeof *g);
	g->prof = p;
	g->file = file;
	g->numbers = numbers;
	g->dates = dates;
	g->ncol = h->nf;
	g->currency = fo_field_find("currency");
	if ((fold = calloc(h->nf + 1, sizeof *fold)) == NULL)
		goto fail;
	g->field = calloc(h->nf + 1, sizeof *g->field);
	g->code = calloc(h->nf + 1, sizeof *g->code);
	g->extra = calloc(h->nf + 1, sizeof *g->extra);
	g->numbers_col = calloc(h->nf + 1, sizeof *g->numbers_col);
	g->dates_col = calloc(h->nf + 1, sizeof *g->dates_col);
	g->keycol = calloc(p->nkeys + 1, sizeof *g->keycol);
	g->keyfield = calloc(p->nkeys + 1, sizeof *g->keyfield);
	if (!g->field || !g->code || !g->extra || !g->numbers_col ||
	    !g->dates_col || !g->keycol || !g->keyfield)
		goto fail;
	for (j = 0; j < h->nf; j++) {
		if ((fold[j] = fo_header_fold(h->f[j].p, h->f[j].n)) == NULL)
			goto fail;
		g->field[j] = COL_EXTRA;
		g->numbers_col[j] = g->dates_col[j] = -1;
	}
	/* flags first: a flag column is never a field's synonym */
	for (i = 0; i < p->nflags; i++)
		if ((c = find_col(fold, h->nf, g->field,
		    p->flags[i].col.fold)) >= 0) {
			g->field[c] = COL_FLAG;
			g->code[c] = p->flags[i].code;
		}
	/* fields in table order, each taking its first synonym present */
	for (f = 0; f < (int)fo_nfields; f++) {
		g->fieldcol[f] = -1;
		for (k = 0; k < p->fields[f].nsyn; k++)
			if ((c = find_col(fold, h->nf, g->field,
			    p->fields[f].syn[k].fold)) >= 0) {
				g->field[c] = f;
				g->fieldcol[f] = c;
				break;
			}
	}
	for (i = 0; i < p->nover; i++)
		if ((c = find_col(fold, h->nf, NULL, p->over[i].col.fold)) >= 0) {
			if (p->over[i].has_numbers)
				g->numbers_col[c] = (int)p->over[i].numbers;
			if (p->over[i].has_dates)
				g->dates_col[c] = (int)p->over[i].dates;
		}
	for (j = 0; j < h->nf; j++)
		if (g->field[j] == COL_EXTRA &&
		    (g->extra[j] = extra_key(h, j, g->extra)) == NULL)
			goto fail;
	for (i = 0; i < p->nkeys; i++) {
		char *kf = fo_header_fold(p->keys[i], strlen(p->keys[i]));

		if (kf == NULL)
			goto fail;
		g->keyfield[i] = fo_field_find(p->keys[i]);
		g->keycol[i] = g->keyfield[i] >= 0 ? -1 :
		    find_col(fold, h->nf, NULL, kf);
		free(kf);
		if (g->keycol[i] < 0 && (g->keyfield[i] < 0 ||
		    (g->fieldcol[g->keyfield[i]] < 0 &&
		    p->fields[g->keyfield[i]].constant == NULL))) {
			fo_err_set(e, file, h->line, 0, "key column '%s' of "
			    "profile %s is not in the header", p->keys[i],
			    p->name);
			r = FO_ERR;
			goto fail;
		}
	}
	for (j = 0; j < h->nf; j++)
		free(fold[j]);
	free(fold);
	return FO_OK;
fail:
	if (fold)
		for (j = 0; j < h->nf; j++)
			free(fold[j]);
	free(fold);
	fo_ingest_free(g);
	if (r == FO_ENOMEM)
		fo_err_set(e, file, 0, 0, "out of memory");
	return r;
}

void
fo_ingest_free(struct fo_ingest *g)
{
	size_t j;

	if (g->extra)
		for (j = 0; j < g->ncol; j++)
			free(g->extra[j]);
	free(g->extra);
	free(g->field);
	free(g->code);
	free(g->numbers_col);
	free(g->dates_col);
	free(g->keycol);
	free(g->keyfield);
	fo_buf_free(&g->scratch);
	memset(g, 0, sizeof *g);
}

/* The text that feeds field f: its column trimmed, else the constant. */
static struct fo_span
field_text(const struct fo_ingest *g, const struct fo_csv_row *row, int f)
{
	struct fo_span t = { "", 0 };
	int c = g->fieldcol[f];
	const char *k;

	if (c >= 0 && (size_t)c < row->nf)
		t = trim(row->f[c].p, row->f[c].n);
	if (t.n == 0 && (k = g->prof->fields[f].constant) != NULL) {
		t.p = k;
		t.n = strlen(k);
	}
	return t;
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

/* FNV-1a: the id of a row whose profile names no key columns. */
static uint64_t
fnv1a(uint64_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int
is_flag_set(struct fo_span t)
{
	return t.n == 1 && (t.p[0] == 'X' || t.p[0] == 'x');
}

static int
put_id(struct fo_ingest *g, const struct fo_csv_row *row, struct fo_obj *o,
    struct fo_err *e, long *badcol)
{
	const struct fo_profile *p = g->prof;
	struct fo_buf *b = &g->scratch;
	struct fo_span t;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;
	int f, c;

	fo_buf_reset(b);
	fo_buf_puts(b, p->name);
	for (i = 0; i < p->nkeys; i++) {
		if ((f = g->keyfield[i]) >= 0) {
			t = field_text(g, row, f);
			c = g->fieldcol[f];
		} else {
			c = g->keycol[i];
			t = trim(row->f[c].p, row->f[c].n);
		}
		if (t.n == 0)
			return fail_at(e, badcol, c, 0, "key %s is empty",
			    p->keys[i]);
		fo_buf_putc(b, ':');
		fo_buf_put(b, t.p, t.n);
	}
	if (p->nkeys == 0) {
		for (f = 0; f < (int)fo_nfields; f++) {
			t = field_text(g, row, f);
			if (t.n == 0 && fo_fields[f].type != FO_F_CODES)
				continue;
			h = fnv1a(h, fo_fields[f].name, strlen(fo_fields[f].name));
			h = fnv1a(h, "=", 1);
			h = fnv1a(h, t.p, t.n);
			h = fnv1a(h, "\x1f", 1);
		}
		for (c = 0; c < (int)g->ncol; c++)	/* flags set */
			if (g->field[c] == COL_FLAG &&
			    is_flag_set(trim(row->f[c].p, row->f[c].n)))
				h = fnv1a(fnv1a(h, g->code[c],
				    strlen(g->code[c])), "\x1f", 1);
		fo_buf_printf(b, ":%016llx", (unsigned long long)h);
	}
	fo_obj_str(o, "id", b->p, b->n);
	return FO_OK;
}

static void
put_codes(struct fo_ingest *g, const struct fo_csv_row *row,
    struct fo_obj *o, int f)
{
	struct fo_span t;
	size_t j;
	int n = 0;

	for (j = 0; j < g->ncol; j++) {
		if (g->field[j] != COL_FLAG ||
		    !is_flag_set(trim(row->f[j].p, row->f[j].n)))
			continue;
		if (n++ == 0) {
			fo_obj_key(o, "hold_codes");
			fo_buf_putc(o->b, '[');
		} else
			fo_buf_putc(o->b, ',');
		fo_json_str(o->b, g->code[j], strlen(g->code[j]));
	}
	t = field_text(g, row, f);
	if (t.n > 0) {
		if (n++ == 0) {
			fo_obj_key(o, "hold_codes");
			fo_buf_putc(o->b, '[');
		} else
			fo_buf_putc(o->b, ',');
		fo_json_str(o->b, t.p, t.n);
	}
	if (n > 0)
		fo_buf_putc(o->b, ']');
}

/* Shown in messages: at most 40 bytes of the cell. */
#define SHOW(t) (int)((t).n > 40 ? 40 : (t).n), (t).p

int
fo_ingest_row(struct fo_ingest *g, const struct fo_csv_row *row, long line,
    struct fo_buf *out, struct fo_err *e, long *badcol)
{
	size_t start = out->n, j;
	struct fo_span t, cur = { "", 0 };
	struct fo_dec d;
	struct fo_obj o;
	char num[FO_DEC_BUFSZ], date[16], code[4] = "";
	int32_t days;
	int f, c, r, scale = FO_DEC_ASIS, style;

	*badcol = -1;
	e->col = 0;
	if (row->nf < g->ncol) {
		return fail_at(e, badcol, -1, 0, "row has %zu fields, the "
		    "header has %zu", row->nf, g->ncol);
	}
	for (j = g->ncol; j < row->nf; j++)
		if (trim(row->f[j].p, row->f[j].n).n > 0)
			return fail_at(e, badcol, (int)j, 0, "row has %zu "
			    "fields, the header has %zu", row->nf, g->ncol);

	/* the currency first: it decides how many decimals amounts have */
	if ((f = g->currency) >= 0 && (cur = field_text(g, row, f)).n > 0) {
		for (j = 0; j < cur.n && j < 3; j++)
			code[j] = (char)(cur.p[j] >= 'a' && cur.p[j] <= 'z' ?
			    cur.p[j] - 'a' + 'A' : cur.p[j]);
		code[3] = '\0';
		if (cur.n != 3 ||
		    (scale = fo_profile_minor(g->prof, code, 3)) < 0)
			return fail_at(e, badcol, g->fieldcol[f], 1,
			    "currency '%.*s' is not an ISO 4217 code",
			    SHOW(cur));
	}

	fo_obj_begin(&o, out);
	if ((r = put_id(g, row, &o, e, badcol)) != FO_OK) {
		out->n = start;
		return r;
	}
	fo_obj_str(&o, "source", g->prof->name, strlen(g->prof->name));
	fo_obj_str(&o, "source_file", g->file, strlen(g->file));
	fo_obj_long(&o, "source_line", line);
	for (f = 0; f < (int)fo_nfields; f++) {
		const char *name = fo_fields[f].name;

		c = g->fieldcol[f];
		if (fo_fields[f].type == FO_F_CODES) {
			put_codes(g, row, &o, f);
			continue;
		}
		if ((t = field_text(g, row, f)).n == 0)
			continue;
		switch (fo_fields[f].type) {
		case FO_F_STR:
			if (f == g->currency)
				fo_obj_str(&o, name, code, 3);
			else
				fo_obj_str(&o, name, t.p, t.n);
			break;
		case FO_F_DATE:
			r = fo_date_parse(t.p, t.n, c >= 0 && !g->dates_given &&
			    g->dates_col[c] >= 0 ?
			    (enum fo_datefmt)g->dates_col[c] : g->dates,
			    &days, e);
			if (r == FO_ERR)
				goto bad;
			if (r == FO_OK) {
				fo_date_fmt(days, date);
				fo_obj_str(&o, name, date, 10);
			}
			break;
		case FO_F_AMOUNT:
		case FO_F_DEC:
			style = c >= 0 && !g->numbers_given &&
			    g->numbers_col[c] >= 0 ?
			    g->numbers_col[c] : (int)g->numbers;
			r = fo_dec_parse(t.p, t.n, (enum fo_numstyle)style,
			    fo_fields[f].type == FO_F_AMOUNT ? scale :
			    FO_DEC_ASIS, &d, e);
			if (r == FO_ERR)
				goto bad;
			if (r == FO_OK) {
				fo_dec_fmt(&d, num);
				fo_obj_raw(&o, name, num);
			}
			break;
		case FO_F_CODES:
			break;
		}
	}
	for (j = 0, r = 0; j < g->ncol; j++) {
		if (g->field[j] != COL_EXTRA)
			continue;
		if (r++ == 0) {
			fo_obj_key(&o, "extra");
			fo_buf_putc(out, '{');
		} else
			fo_buf_putc(out, ',');
		fo_json_str(out, g->extra[j], strlen(g->extra[j]));
		fo_buf_putc(out, ':');
		fo_json_str(out, row->f[j].p, row->f[j].n);
	}
	if (r > 0)
		fo_buf_putc(out, '}');
	fo_obj_end(&o);
	fo_buf_putc(out, '\n');
	if (out->oom)
		return FO_ENOMEM;
	return FO_OK;
bad:
	out->n = start;
	{
		char why[sizeof e->msg];
		long off = e->col;

		/* the cell's offset: trimmed spaces come before it */
		if (c >= 0 && off > 0)
			off += (long)(t.p - row->f[c].p);
		snprintf(why, sizeof why, "%s", e->msg);
		return fail_at(e, badcol, c, off, "%s '%.*s': %s",
		    fo_fields[f].name, SHOW(t), why);
	}
}
