/*
 * vendors.c - the vendor master (--vendors), CSV or NDJSON, by
 * vendor_id: a vendor's tier, blocked flag and bank account, every
 * mistake reported at its line and column.
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

/*
 * Vendor master.
 */

struct fo_vendors {
	const char *file;	/* the caller's: errors point at it */
	struct fo_vendor *v;
	size_t n, cap;
	size_t *slot;		/* 1 + index into v, 0 empty */
	size_t nslot;
};

/* SAP pads numeric vendor ids with zeros and Excel drops them: an id of
 * digits only is keyed without its leading zeros. */
static void
vkey(const char *id, size_t n, const char **k, size_t *kn)
{
	size_t i;

	for (i = 0; i < n && isdigit((unsigned char)id[i]); i++)
		;
	if (i == n)
		while (n > 1 && *id == '0') {
			id++;
			n--;
		}
	*k = id;
	*kn = n;
}

static size_t *
vslot(const struct fo_vendors *vs, const char *id, size_t n)
{
	const char *k, *k2;
	size_t kn, kn2, i;

	vkey(id, n, &k, &kn);
	for (i = fo_fnv1a(FO_FNV_BASIS, k, kn) & (vs->nslot - 1);; i = (i + 1) & (vs->nslot - 1)) {
		if (vs->slot[i] == 0)
			return &vs->slot[i];
		vkey(vs->v[vs->slot[i] - 1].id, strlen(vs->v[vs->slot[i] -
		    1].id), &k2, &kn2);
		if (kn2 == kn && memcmp(k, k2, kn) == 0)
			return &vs->slot[i];
	}
}

static int
vrehash(struct fo_vendors *vs)
{
	size_t i, *old = vs->slot, oldn = vs->nslot, *sl;

	vs->nslot = vs->nslot ? 2 * vs->nslot : 256;
	if ((vs->slot = calloc(vs->nslot, sizeof *vs->slot)) == NULL) {
		vs->slot = old;
		vs->nslot = oldn;
		return FO_ENOMEM;
	}
	for (i = 0; i < oldn; i++)
		if (old[i]) {
			sl = vslot(vs, vs->v[old[i] - 1].id,
			    strlen(vs->v[old[i] - 1].id));
			*sl = old[i];
		}
	free(old);
	return FO_OK;
}

const struct fo_vendor *
fo_vendors_get(const struct fo_vendors *vs, const char *id, size_t n)
{
	size_t *sl;

	if (vs == NULL || vs->n == 0 || n == 0)
		return NULL;
	sl = vslot(vs, id, n);
	return *sl ? &vs->v[*sl - 1] : NULL;
}

size_t
fo_vendors_count(const struct fo_vendors *vs)
{
	return vs ? vs->n : 0;
}

const char *
fo_vendors_file(const struct fo_vendors *vs)
{
	return vs ? vs->file : NULL;
}

/* An IBAN without its spaces, in upper case; "" when not one. */
static char *
iban_norm(const char *s, size_t n)
{
	char *p, *q;
	size_t i;

	if ((p = q = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			*q++ = (char)toupper((unsigned char)s[i]);
	*q = '\0';
	return p;
}

static int
iban_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 15 || n > 34 || !isupper((unsigned char)s[0]) ||
	    !isupper((unsigned char)s[1]) || !isdigit((unsigned char)s[2]) ||
	    !isdigit((unsigned char)s[3]))
		return 0;
	for (i = 4; i < n; i++)
		if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Values of one vendor as read, with where each starts. */
struct vin {
	const char *id, *tier, *blocked, *iban, *tax;
	size_t idn, tiern, blockedn, ibann, taxn;
	long line, col[5];	/* id, tier, blocked, iban, tax */
	int blocked_bool;	/* -1: text in blocked; 0/1 a JSON boolean */
};

static int
trimmed(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
	return *n > 0;
}

int
fo_score_word_in(const char *s, size_t n, const char *const *list)
{
	int i;

	for (i = 0; list[i]; i++)
		if (strlen(list[i]) == n && strncasecmp(s, list[i], n) == 0)
			return i;
	return -1;
}

static void
vendor_add(struct fo_vendors *vs, struct vin *in, struct fo_errs *errs,
    size_t before)
{
	static const char *const yes[] = { "x", "true", "1", "yes", "y", NULL };
	static const char *const no[] = { "false", "0", "no", "n", NULL };
	struct fo_vendor *v, nv;
	char msg[256];
	size_t *sl;
	int bad = 0;

	memset(&nv, 0, sizeof nv);
	nv.tier = NULL;
	nv.line = in->line;
	if (in->id == NULL || !trimmed(&in->id, &in->idn)) {
		fo_score_add_err(errs, before, vs->file, in->line, in->col[0],
		    "no "
		    "vendor_id");
		return;
	}
	if (in->tier && trimmed(&in->tier, &in->tiern)) {
		int t = fo_score_word_in(in->tier, in->tiern, fo_score_tiers);

		if (t < 0 || t == TIER_UNKNOWN) {
			snprintf(msg, sizeof msg, "tier '%.*s': strategic, "
			    "preferred, standard or tail", (int)(in->tiern > 40 ?
			    40 : in->tiern), in->tier);
			fo_score_add_err(errs, before, vs->file, in->line,
			    in->col[1], msg);
			bad = 1;
		} else
			nv.tier = fo_score_tiers[t];
	}
	if (in->blocked_bool >= 0)
		nv.blocked = in->blocked_bool;
	else if (in->blocked && trimmed(&in->blocked, &in->blockedn)) {
		if (fo_score_word_in(in->blocked, in->blockedn, yes) >= 0)
			nv.blocked = 1;
		else if (fo_score_word_in(in->blocked, in->blockedn, no) < 0) {
			snprintf(msg, sizeof msg, "blocked '%.*s': X, true, 1 or "
			    "yes; empty, false, 0 or no", (int)(in->blockedn >
			    40 ? 40 : in->blockedn), in->blocked);
			fo_score_add_err(errs, before, vs->file, in->line,
			    in->col[2], msg);
			bad = 1;
		}
	}
	if (in->iban && trimmed(&in->iban, &in->ibann)) {
		if ((nv.iban = iban_norm(in->iban, in->ibann)) == NULL)
			bad = 1;
		else if (!iban_ok(nv.iban)) {
			snprintf(msg, sizeof msg, "iban '%.*s': two letters, two "
			    "digits, then letters and digits, 15 to 34 in all",
			    (int)(in->ibann > 40 ? 40 : in->ibann), in->iban);
			fo_score_add_err(errs, before, vs->file, in->line,
			    in->col[3], msg);
			bad = 1;
		}
	}
	if (in->tax && trimmed(&in->tax, &in->taxn))
		nv.tax_id = strndup(in->tax, in->taxn);
	if (!bad && (nv.id = strndup(in->id, in->idn)) == NULL)
		bad = 1;
	if (!bad && (vs->n + 1) * 2 > vs->nslot && vrehash(vs) != FO_OK)
		bad = 1;
	if (!bad && *(sl = vslot(vs, in->id, in->idn)) != 0) {
		snprintf(msg, sizeof msg, "duplicate vendor_id '%.*s' (first at "
		    "line %ld)", (int)(in->idn > 40 ? 40 : in->idn), in->id,
		    vs->v[*sl - 1].line);
		fo_score_add_err(errs, before, vs->file, in->line, in->col[0],
		    msg);
		bad = 1;
	}
	if (!bad && vs->n == vs->cap) {
		vs->cap = vs->cap ? 2 * vs->cap : 256;
		if ((v = realloc(vs->v, vs->cap * sizeof *v)) == NULL)
			bad = 1;
		else
			vs->v = v;
	}
	if (bad) {
		free(nv.id);
		free(nv.iban);
		free(nv.tax_id);
		return;
	}
	vs->v[vs->n++] = nv;
	*vslot(vs, in->id, in->idn) = vs->n;
}

/* The vendor master's columns, by header (folded: "Vendor ID" is
 * vendor_id), in the order of struct vin. */
static const char *const vcols[5][3] = {
	{ "vendorid", NULL }, { "tier", "vendortier", NULL },
	{ "blocked", NULL }, { "iban", NULL }, { "taxid", NULL }
};

static const char *const vnames[5] = {
	"vendor_id", "tier", "blocked", "iban", "tax_id"
};

static int
vendors_header(struct fo_vendors *vs, struct fo_csv *c,
    const struct fo_csv_row *row, long *col, struct fo_errs *errs,
    size_t before)
{
	char msg[128];
	size_t i;
	long l, cc;
	int k, j;

	for (i = 0; i < row->nf; i++)
		for (k = 0; k < 5; k++)
			for (j = 0; vcols[k][j]; j++) {
				if (!fo_header_fold_eq(row->f[i].p, row->f[i].n,
				    vcols[k][j]))
					continue;
				if (col[k] >= 0) {
					fo_csv_field_pos(c, row, i, &l, &cc);
					snprintf(msg, sizeof msg, "a second %s "
					    "column (the first is column %ld)",
					    vnames[k], col[k] + 1);
					fo_score_add_err(errs, before, vs->file,
					    l, cc, msg);
				}
				col[k] = (long)i;
			}
	if (col[0] < 0) {
		fo_score_add_err(errs, before, vs->file, row->line, 1,
		    "the header has "
		    "no vendor_id column");
		return FO_ERR;
	}
	return FO_OK;
}

static void
vin_set(struct vin *in, int k, const char *p, size_t n)
{
	const char **v[5] = { &in->id, &in->tier, &in->blocked, &in->iban,
	    &in->tax };
	size_t *vn[5] = { &in->idn, &in->tiern, &in->blockedn, &in->ibann,
	    &in->taxn };

	*v[k] = p;
	*vn[k] = n;
}

static void
vendors_csv(struct fo_vendors *vs, int fd, struct fo_errs *errs,
    size_t before)
{
	struct fo_csv_opts o = { 0 };
	struct fo_csv *c;
	struct fo_csv_row *row;
	struct fo_err e;
	struct vin in;
	long col[5] = { -1, -1, -1, -1, -1 }, l;
	size_t width = 0;
	int r, k, header = 0;
	char msg[128];

	o.encoding = "auto";
	if (fo_csv_open(&c, fd, vs->file, &o, &e) != FO_OK) {
		fo_errs_add(errs, &e);
		return;
	}
	while ((r = fo_csv_next(c, &row, &e)) != FO_EMPTY) {
		if (r == FO_ERR) {
			if (fo_score_add_err(errs, before, vs->file, e.line,
			    e.col,
			    e.msg) != FO_OK)
				break;
			continue;
		}
		if (r != FO_OK) {
			fo_errs_add(errs, &e);
			break;
		}
		if (row->nf == 0 || (row->nf == 1 && row->f[0].n == 0))
			continue;
		if (!header) {
			header = 1;
			width = row->nf;
			if (vendors_header(vs, c, row, col, errs, before) !=
			    FO_OK)
				break;
			continue;
		}
		if (row->nf != width) {
			snprintf(msg, sizeof msg, "%zu fields, the header has "
			    "%zu", row->nf, width);
			if (fo_score_add_err(errs, before, vs->file, row->line,
			    1, msg) !=
			    FO_OK)
				break;
			continue;
		}
		memset(&in, 0, sizeof in);
		in.blocked_bool = -1;
		in.line = row->line;
		for (k = 0; k < 5; k++) {
			if (col[k] < 0)
				continue;
			vin_set(&in, k, row->f[col[k]].p, row->f[col[k]].n);
			fo_csv_field_pos(c, row, (size_t)col[k], &l, &in.col[k]);
		}
		vendor_add(vs, &in, errs, before);
		if (errs->n - before > MAX_ERRS)
			break;
	}
	if (!header && errs->n == before)
		fo_score_add_err(errs, before, vs->file, 1, 1,
		    "no header line with a "
		    "vendor_id column");
	fo_csv_close(c);
}

int
fo_score_is_null(const struct fo_rec *r, int t)
{
	struct fo_span sp;

	if (fo_rec_type(r, t) != FO_J_PRIMITIVE)
		return 0;
	sp = fo_rec_span(r, t);
	return sp.n == 4 && memcmp(sp.p, "null", 4) == 0;
}

static int
is_bool(const struct fo_rec *r, int t, int *v)
{
	struct fo_span sp;

	if (fo_rec_type(r, t) != FO_J_PRIMITIVE)
		return 0;
	sp = fo_rec_span(r, t);
	if (sp.n == 4 && memcmp(sp.p, "true", 4) == 0)
		return *v = 1, 1;
	if (sp.n == 5 && memcmp(sp.p, "false", 5) == 0)
		return *v = 0, 1;
	return 0;
}

static int
is_number(const struct fo_rec *r, int t)
{
	struct fo_span sp;

	if (fo_rec_type(r, t) != FO_J_PRIMITIVE)
		return 0;
	sp = fo_rec_span(r, t);
	return sp.n > 0 && (sp.p[0] == '-' || isdigit((unsigned char)sp.p[0]));
}

/* One vendor object of an NDJSON vendor master. FO_OK or FO_ERR. */
static int
vendor_obj(struct fo_vendors *vs, const struct fo_rec *rec, long line,
    struct fo_buf *b, struct vin *in, struct fo_errs *errs, size_t before)
{
	static const char *const keys[5][3] = {
		{ "vendor_id", NULL }, { "tier", "vendor_tier", NULL },
		{ "blocked", NULL }, { "iban", NULL }, { "tax_id", NULL }
	};
	char msg[128];
	int k, j, t, bv;

	memset(in, 0, sizeof *in);
	in->blocked_bool = -1;
	in->line = line;
	in->col[0] = 1;
	for (k = 0; k < 5; k++) {
		for (j = 0, t = -1; keys[k][j] && t < 0; j++)
			t = fo_rec_find(rec, keys[k][j]);
		if (t < 0 || fo_score_is_null(rec, t))
			continue;
		in->col[k] = fo_rec_col(rec, t);
		if (k == 2 && is_bool(rec, t, &bv)) {
			in->blocked_bool = bv;
			continue;
		}
		/* numbers for an id, a tax id or a 1/0 flag; else text */
		if (fo_rec_type(rec, t) != FO_J_STRING && (k == 1 || k == 3 ||
		    !is_number(rec, t))) {
			snprintf(msg, sizeof msg, "%s must be %s", keys[k][0],
			    k == 2 ? "true, false or a text" : "a text");
			fo_score_add_err(errs, before, vs->file, line,
			    in->col[k], msg);
			return FO_ERR;
		}
		if (fo_rec_str(rec, t, &b[k]) != FO_OK)
			return FO_ERR;
		vin_set(in, k, b[k].p, b[k].n);
	}
	return FO_OK;
}

static void
vendors_ndjson(struct fo_vendors *vs, int fd, struct fo_errs *errs,
    size_t before)
{
	struct fo_lines ln;
	struct fo_rec rec;
	struct fo_err e;
	struct fo_buf b[5] = { { 0 } };
	struct vin in;
	const char *line;
	size_t len;
	int r, k;

	fo_lines_open(&ln, fd, vs->file, 0);
	fo_rec_init(&rec);
	while ((r = fo_lines_next(&ln, &line, &len, &e)) != FO_EMPTY) {
		if (r == FO_EIO || r == FO_ENOMEM) {
			fo_errs_add(errs, &e);
			break;
		}
		if (r == FO_ERR) {
			if (fo_score_add_err(errs, before, vs->file, e.line,
			    e.col,
			    e.msg) != FO_OK)
				break;
			continue;
		}
		if (len == 0)
			continue;
		if (fo_rec_parse(&rec, line, len, &e) != FO_OK) {
			if (fo_score_add_err(errs, before, vs->file, ln.lineno,
			    e.col,
			    e.msg) != FO_OK)
				break;
			continue;
		}
		if (vendor_obj(vs, &rec, ln.lineno, b, &in, errs, before) ==
		    FO_OK)
			vendor_add(vs, &in, errs, before);
		if (errs->n - before > MAX_ERRS)
			break;
	}
	for (k = 0; k < 5; k++)
		fo_buf_free(&b[k]);
	fo_rec_free(&rec);
	fo_lines_close(&ln);
}

int
fo_vendors_load(const char *path, struct fo_vendors **vp,
    struct fo_errs *errs)
{
	struct fo_vendors *vs;
	size_t before = errs->n;
	int fd;

	*vp = NULL;
	if ((vs = calloc(1, sizeof *vs)) == NULL)
		return FO_ENOMEM;
	vs->file = path;
	if ((fd = open(path, O_RDONLY)) < 0) {
		fo_errs_addf(errs, path, 0, 0, "%s", strerror(errno));
		fo_vendors_free(vs);
		return FO_EIO;
	}
	if (fo_score_ends_with(path, ".ndjson") || fo_score_ends_with(path,
	    ".jsonl"))
		vendors_ndjson(vs, fd, errs, before);
	else
		vendors_csv(vs, fd, errs, before);
	close(fd);
	if (fo_errs_verdict(errs, before) != FO_OK) {
		fo_vendors_free(vs);
		return FO_ERR;
	}
	*vp = vs;
	return FO_OK;
}

void
fo_vendors_free(struct fo_vendors *vs)
{
	size_t i;

	if (vs == NULL)
		return;
	for (i = 0; i < vs->n; i++) {
		free(vs->v[i].id);
		free(vs->v[i].iban);
		free(vs->v[i].tax_id);
	}
	free(vs->v);
	free(vs->slot);
	free(vs);
}
