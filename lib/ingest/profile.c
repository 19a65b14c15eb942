/*
 * profile.c - fo-ingest profiles: YAML files that say how to read one
 * kind of export (delimiter, encoding, number and date styles, which
 * header feeds which canonical field, the key columns of the id). The
 * loader reports every mistake with its position, then refuses the file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

struct load {
	struct fo_profile *p;
	const char *file;
	struct fo_errs *errs;
	int oom;
};

static const char *const top_keys[] = {
	"profile", "description", "detect", "delimiter", "encoding",
	"numbers", "dates", "header", "fields", "columns", "flags", "keys",
	"constants", "minor_units", "skip", "context", "variants", "sign",
	"row_types", "values", "quote", "trim_extra", "document_keys",
	"debit_credit", "money", "lists", "extract", NULL
};

static void *
own(struct load *l, void *ptr)
{
	void *p = fo_own(l->p->owned, ptr);

	if (p == NULL)
		l->oom = 1;
	return p;
}

static char *
own_str(struct load *l, const char *s)
{
	return own(l, strdup(s));
}

static void *
own_array(struct load *l, size_t n, size_t size)
{
	return own(l, calloc(n ? n : 1, size));
}

static void
bad(struct load *l, const struct fo_ynode *y, const char *fmt, const char *a)
{
	fo_errs_addf(l->errs, l->file, y ? y->line : 0, y ? y->col : 0, fmt, a);
}

static const char *
scalar(struct load *l, const struct fo_ynode *y, const char *what)
{
	if (y == NULL)
		return NULL;
	if (y->type != FO_Y_SCALAR) {
		bad(l, y, "%s must be a single value", what);
		return NULL;
	}
	return y->str;
}

static int
set_col(struct load *l, struct fo_pcol *c, const char *text)
{
	c->text = own_str(l, text);
	c->fold = own(l, fo_header_fold(text, strlen(text)));
	return c->text && c->fold ? FO_OK : FO_ENOMEM;
}

/* A header, or a choice of headers written as a list: the first of
 * them present in the file. */
static int
set_choice(struct load *l, struct fo_pcol *c, const struct fo_ynode *y,
    const char *what)
{
	struct fo_buf b = { 0 };
	size_t i;

	if (y->type == FO_Y_SCALAR && y->len > 0)
		return set_col(l, c, y->str);
	if (y->type != FO_Y_SEQ || y->n == 0) {
		bad(l, y, "%s: each header must be a non-empty text", what);
		return FO_ERR;
	}
	if ((c->or = own_array(l, y->n, sizeof *c->or)) == NULL)
		return FO_ENOMEM;
	for (i = 0; i < y->n; i++) {
		if (y->kid[i]->type != FO_Y_SCALAR || y->kid[i]->len == 0) {
			bad(l, y->kid[i], "%s: a choice is a list of headers",
			    what);
			continue;
		}
		set_col(l, &c->or[c->nor++], y->kid[i]->str);
		fo_buf_puts(&b, i ? " or " : "");
		fo_buf_puts(&b, y->kid[i]->str);
	}
	c->text = own_str(l, fo_buf_cstr(&b));
	c->fold = c->nor ? c->or[0].fold : own_str(l, "");
	fo_buf_free(&b);
	return FO_OK;
}

/* A header name or a list of them; in a list, an entry that is itself
 * a list is a choice. */
static struct fo_pcol *
col_list(struct load *l, const struct fo_ynode *y, const char *what,
    size_t *np)
{
	struct fo_pcol *v;
	size_t i, n;

	*np = 0;
	if (y == NULL)
		return NULL;
	if (y->type == FO_Y_MAP) {
		bad(l, y, "%s must be a header or a list of headers", what);
		return NULL;
	}
	n = y->type == FO_Y_SCALAR ? 1 : y->n;
	if ((v = own_array(l, n, sizeof *v)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		const struct fo_ynode *k = y->type == FO_Y_SCALAR ? y : y->kid[i];

		if (set_choice(l, &v[*np], k, what) == FO_OK)
			(*np)++;
	}
	return v;
}

static int
named_like_file(const char *name, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
		n -= 5;
	return fo_named(name, base, n);
}

static void
load_top(struct load *l, const struct fo_ynode *root)
{
	struct fo_profile *p = l->p;
	const struct fo_ynode *y;
	const char *s;

	if ((s = scalar(l, fo_ymap_get(root, "profile"), "profile")) != NULL) {
		p->name = own_str(l, s);
		/* -p NAME finds NAME.yaml, and ids begin with the name */
		if (!named_like_file(s, l->file))
			bad(l, fo_ymap_get(root, "profile"), "profile '%s' must "
			    "be named like its file", s);
	} else if (fo_ymap_get(root, "profile") == NULL)
		bad(l, root, "missing key '%s'", "profile");
	if ((s = scalar(l, fo_ymap_get(root, "description"),
	    "description")) != NULL)
		p->description = own_str(l, s);
	p->encoding = own_str(l, "auto");
	if ((y = fo_ymap_get(root, "delimiter")) &&
	    (s = scalar(l, y, "delimiter")) &&
	    (p->delim = fo_csv_delim_parse(s)) < 0) {
		bad(l, y, "delimiter '%s': use ',', ';', tab, '|', ':' or auto",
		    s);
		p->delim = 0;
	}
	if ((y = fo_ymap_get(root, "encoding")) &&
	    (s = scalar(l, y, "encoding"))) {
		p->encoding = own_str(l, s);
		if (!fo_csv_encoding_known(s))
			bad(l, y, "encoding '%s': use utf-8, windows-1252, "
			    "latin1, iso-8859-15, utf-16le, utf-16be or auto", s);
	}
	if ((y = fo_ymap_get(root, "numbers")) &&
	    (s = scalar(l, y, "numbers")) &&
	    fo_numstyle_parse(s, &p->numbers) != FO_OK)
		bad(l, y, "numbers '%s': use 1,234.56, 1.234,56, 1 234,56, "
		    "1'234.56, 1234.56 or auto", s);
	if ((y = fo_ymap_get(root, "dates")) && (s = scalar(l, y, "dates")) &&
	    fo_datefmt_parse(s, &p->dates) != FO_OK)
		bad(l, y, "dates '%s': not a date format (fo-rules(5))", s);
	if ((y = fo_ymap_get(root, "trim_extra")) &&
	    (s = scalar(l, y, "trim_extra"))) {
		if (strcmp(s, "true") == 0)
			p->trim_extra = 1;
		else if (strcmp(s, "false") != 0)
			bad(l, y, "trim_extra '%s': true or false", s);
	}
	/* what a row of the export is: carried on each record as listing */
	if ((y = fo_ymap_get(root, "lists")) && (s = scalar(l, y, "lists"))) {
		if (strcmp(s, "exceptions") == 0 || strcmp(s, "documents") == 0)
			p->lists = own_str(l, s);
		else
			bad(l, y, "lists '%s': exceptions or documents", s);
	}
	if ((y = fo_ymap_get(root, "quote")) && (s = scalar(l, y, "quote"))) {
		if (strcmp(s, "none") == 0)
			p->quote = -1;
		else if (strcmp(s, "\"") != 0)
			bad(l, y, "quote '%s': '\"' or none", s);
	}
}

static void
load_detect(struct load *l, const struct fo_ynode *y)
{
	static const char *const keys[] = { "all", "any", NULL };

	if (y == NULL || fo_ymap_check(y, keys, "detect", l->file, l->errs))
		return;
	l->p->detect_all = col_list(l, fo_ymap_get(y, "all"), "detect.all",
	    &l->p->ndetect_all);
	l->p->detect_any = col_list(l, fo_ymap_get(y, "any"), "detect.any",
	    &l->p->ndetect_any);
	if (l->p->ndetect_all == 0)
		bad(l, y, "detect needs '%s': the headers that identify "
		    "the export", "all");
}

static void
load_header(struct load *l, const struct fo_ynode *y)
{
	static const char *const keys[] = { "find", "skip_lines", NULL };
	const struct fo_ynode *k;
	const char *s;
	char *end;

	if (y == NULL || fo_ymap_check(y, keys, "header", l->file, l->errs))
		return;
	l->p->header_find = col_list(l, fo_ymap_get(y, "find"), "header.find",
	    &l->p->nheader_find);
	if ((k = fo_ymap_get(y, "skip_lines")) &&
	    (s = scalar(l, k, "header.skip_lines"))) {
		errno = 0;
		l->p->header_skip = strtol(s, &end, 10);
		if (*s == '\0' || *end != '\0' || errno ||
		    l->p->header_skip < 0 || l->p->header_skip > 10000)
			bad(l, k, "header.skip_lines '%s': a whole number "
			    "from 0 to 10000", s);
	}
}

static const char **
field_names(void)
{
	static const char *names[128];
	size_t i;

	if (names[0] == NULL)
		for (i = 0; i < fo_nfields; i++)
			names[i] = fo_fields[i].name;
	return names;
}

static void
load_fields(struct load *l, const struct fo_ynode *y)
{
	size_t i;
	int f;

	if (y == NULL)
		return;
	if (fo_ymap_check(y, field_names(), "fields", l->file, l->errs) &&
	    y->type != FO_Y_MAP)
		return;
	for (i = 0; i + 1 < y->n; i += 2) {
		if ((f = fo_field_find(y->kid[i]->str)) < 0)
			continue;
		l->p->fields[f].syn = col_list(l, y->kid[i + 1],
		    y->kid[i]->str, &l->p->fields[f].nsyn);
	}
}

/* constants: {text field: value}; an array indexed by field. */
static char **
constants_of(struct load *l, const struct fo_ynode *y, const char *what)
{
	char **v;
	const char *s;
	size_t i;
	int f;

	if (fo_ymap_check(y, field_names(), what, l->file, l->errs) &&
	    y->type != FO_Y_MAP)
		return NULL;
	if ((v = own_array(l, fo_nfields, sizeof *v)) == NULL)
		return NULL;
	for (i = 0; i + 1 < y->n; i += 2) {
		if ((f = fo_field_find(y->kid[i]->str)) < 0)
			continue;
		if (fo_fields[f].type != FO_F_STR) {
			bad(l, y->kid[i], "constants: '%s' is not a text field",
			    y->kid[i]->str);
			continue;
		}
		if ((s = scalar(l, y->kid[i + 1], y->kid[i]->str)) != NULL)
			v[f] = own_str(l, s);
	}
	return v;
}

static void
load_constants(struct load *l, const struct fo_ynode *y)
{
	char **v;
	size_t f;

	if (y == NULL || (v = constants_of(l, y, "constants")) == NULL)
		return;
	for (f = 0; f < fo_nfields; f++)
		l->p->fields[f].constant = v[f];
}

static void
load_columns(struct load *l, const struct fo_ynode *y)
{
	static const char *const keys[] = { "numbers", "dates",
	    "amount_form", "stored_decimals", NULL };
	static const char *const forms[] = { "", "auto", "stored",
	    "displayed", NULL };
	const struct fo_ynode *k;
	struct fo_pover *o;
	char *end;
	const char *s;
	size_t i, f;

	if (y == NULL)
		return;
	if (y->type != FO_Y_MAP) {
		bad(l, y, "%s must be a mapping of header to options",
		    "columns");
		return;
	}
	if ((l->p->over = own_array(l, y->n / 2, sizeof *o)) == NULL)
		return;
	for (i = 0; i + 1 < y->n; i += 2) {
		o = &l->p->over[l->p->nover];
		if (fo_ymap_check(y->kid[i + 1], keys, y->kid[i]->str, l->file,
		    l->errs))
			continue;
		set_col(l, &o->col, y->kid[i]->str);
		/* stored_decimals alone, the first form of the key, is the
		 * stored form */
		o->stored_decimals = 2;
		if ((k = fo_ymap_get(y->kid[i + 1], "stored_decimals")) &&
		    (s = scalar(l, k, "stored_decimals"))) {
			o->stored_decimals = (int)strtol(s, &end, 10);
			o->amount_form = FO_AMT_STORED;
			if (*s == '\0' || *end != '\0' || o->stored_decimals < 0 ||
			    o->stored_decimals > 4)
				bad(l, k, "stored_decimals '%s': 0 to 4", s);
		}
		if ((k = fo_ymap_get(y->kid[i + 1], "amount_form")) &&
		    (s = scalar(l, k, "amount_form"))) {
			for (f = 1; forms[f] && strcmp(forms[f], s) != 0; f++)
				;
			if (forms[f] == NULL)
				bad(l, k, "amount_form '%s': auto, stored or "
				    "displayed", s);
			else
				o->amount_form = (enum fo_amtform)f;
		}
		if ((k = fo_ymap_get(y->kid[i + 1], "numbers")) &&
		    (s = scalar(l, k, "numbers"))) {
			o->has_numbers = 1;
			if (fo_numstyle_parse(s, &o->numbers) != FO_OK)
				bad(l, k, "numbers '%s': not a number style", s);
		}
		if ((k = fo_ymap_get(y->kid[i + 1], "dates")) &&
		    (s = scalar(l, k, "dates"))) {
			o->has_dates = 1;
			if (fo_datefmt_parse(s, &o->dates) != FO_OK)
				bad(l, k, "dates '%s': not a date format", s);
		}
		l->p->nover++;
	}
}

/* flags: a list of headers (the code is the header) or header: code. */
static void
load_flags(struct load *l, const struct fo_ynode *y)
{
	struct fo_pflag *f;
	const struct fo_ynode *k, *v;
	const char *s;
	size_t i, n;

	if (y == NULL)
		return;
	if (y->type == FO_Y_SCALAR) {
		bad(l, y, "%s must be a list of headers or header: code",
		    "flags");
		return;
	}
	n = y->type == FO_Y_MAP ? y->n / 2 : y->n;
	if ((l->p->flags = own_array(l, n, sizeof *f)) == NULL)
		return;
	for (i = 0; i < n; i++) {
		k = y->type == FO_Y_MAP ? y->kid[2 * i] : y->kid[i];
		v = y->type == FO_Y_MAP ? y->kid[2 * i + 1] : k;
		if ((s = scalar(l, k, "flags")) == NULL ||
		    scalar(l, v, "flags") == NULL)
			continue;
		f = &l->p->flags[l->p->nflags++];
		set_col(l, &f->col, s);
		f->code = own_str(l, v->str);
	}
}

static void
load_keys(struct load *l, const struct fo_ynode *y)
{
	size_t i;

	if (y == NULL)
		return;
	if (y->type != FO_Y_SEQ) {
		bad(l, y, "%s must be a list of fields or headers", "keys");
		return;
	}
	if ((l->p->keys = own_array(l, y->n, sizeof *l->p->keys)) == NULL)
		return;
	for (i = 0; i < y->n; i++)
		if (set_choice(l, &l->p->keys[l->p->nkeys], y->kid[i], "keys") ==
		    FO_OK)
			l->p->nkeys++;
}

static void
load_minor(struct load *l, const struct fo_ynode *y)
{
	const struct fo_ynode *k, *v;
	size_t i;
	char *end;
	long m;

	if (y == NULL)
		return;
	if (y->type != FO_Y_MAP) {
		bad(l, y, "%s must be a mapping of currency to digits",
		    "minor_units");
		return;
	}
	if ((l->p->minor = own_array(l, y->n / 2, sizeof *l->p->minor)) == NULL)
		return;
	for (i = 0; i + 1 < y->n; i += 2) {
		k = y->kid[i];
		v = y->kid[i + 1];
		if (k->len != 3 || strspn(k->str, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3) {
			bad(l, k, "minor_units: '%s' is not a currency code",
			    k->str);
			continue;
		}
		m = v->type == FO_Y_SCALAR ? strtol(v->str, &end, 10) : -1;
		if (v->type != FO_Y_SCALAR || *v->str == '\0' || *end != '\0' ||
		    m < 0 || m > 4) {
			bad(l, v, "minor_units: '%s' must be 0 to 4",
			    v->type == FO_Y_SCALAR ? v->str : "");
			continue;
		}
		memcpy(l->p->minor[l->p->nminor].code, k->str, 4);
		l->p->minor[l->p->nminor++].minor = (int)m;
	}
}

/* A text or a list of texts. */
static char **
str_list(struct load *l, const struct fo_ynode *y, const char *what,
    size_t *np)
{
	char **v;
	size_t i, n;

	*np = 0;
	if (y == NULL)
		return NULL;
	if (y->type == FO_Y_MAP) {
		bad(l, y, "%s must be a value or a list of values", what);
		return NULL;
	}
	n = y->type == FO_Y_SCALAR ? 1 : y->n;
	if ((v = own_array(l, n, sizeof *v)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		const struct fo_ynode *k = y->type == FO_Y_SCALAR ? y : y->kid[i];

		if (scalar(l, k, what) != NULL)
			v[(*np)++] = own_str(l, k->str);
	}
	return v;
}

static void
regex_load(struct load *l, const struct fo_ynode *y, struct fo_pregex *r,
    const char *what)
{
	char msg[128];
	int rc;

	if (scalar(l, y, what) == NULL)
		return;
	r->text = own_str(l, y->str);
	if ((rc = regcomp(&r->re, y->str, REG_EXTENDED)) != 0) {
		regerror(rc, &r->re, msg, sizeof msg);
		fo_errs_addf(l->errs, l->file, y->line, y->col,
		    "%s: bad regular expression '%s': %s", what, y->str, msg);
		return;
	}
	r->compiled = 1;
}

static void
load_skip(struct load *l, const struct fo_ynode *y)
{
	size_t i;

	if (y == NULL)
		return;
	if (y->type != FO_Y_SEQ) {
		bad(l, y, "%s must be a list of regular expressions", "skip");
		return;
	}
	if ((l->p->skip = own_array(l, y->n, sizeof *l->p->skip)) == NULL)
		return;
	for (i = 0; i < y->n; i++)
		regex_load(l, y->kid[i], &l->p->skip[l->p->nskip++], "skip");
}

static void
load_context(struct load *l, const struct fo_ynode *y)
{
	static const char *const keys[] = { "match", "set", NULL };
	const struct fo_ynode *c, *set;
	struct fo_pcontext *x;
	size_t i, k;
	char *end;
	long g;
	int f;

	if (y == NULL)
		return;
	if (y->type != FO_Y_SEQ) {
		bad(l, y, "%s must be a list of {match, set}", "context");
		return;
	}
	if ((l->p->context = own_array(l, y->n, sizeof *x)) == NULL)
		return;
	for (i = 0; i < y->n; i++) {
		c = y->kid[i];
		if (fo_ymap_check(c, keys, "context", l->file, l->errs))
			continue;
		x = &l->p->context[l->p->ncontext++];
		if (fo_ymap_get(c, "match") == NULL ||
		    (set = fo_ymap_get(c, "set")) == NULL) {
			bad(l, c, "context needs %s", "match and set");
			continue;
		}
		regex_load(l, fo_ymap_get(c, "match"), &x->match, "context");
		if (fo_ymap_check(set, field_names(), "context set", l->file,
		    l->errs) && set->type != FO_Y_MAP)
			continue;
		x->field = own_array(l, set->n / 2, sizeof *x->field);
		x->group = own_array(l, set->n / 2, sizeof *x->group);
		if (x->field == NULL || x->group == NULL)
			return;
		for (k = 0; k + 1 < set->n; k += 2) {
			if ((f = fo_field_find(set->kid[k]->str)) < 0)
				continue;
			if (fo_fields[f].type != FO_F_STR) {
				bad(l, set->kid[k], "context: '%s' is not a "
				    "text field", set->kid[k]->str);
				continue;
			}
			g = set->kid[k + 1]->type == FO_Y_SCALAR ?
			    strtol(set->kid[k + 1]->str, &end, 10) : -1;
			if (g < 1 || g > 9 || *end != '\0') {
				bad(l, set->kid[k + 1], "context: group of "
				    "'%s' must be 1 to 9", set->kid[k]->str);
				continue;
			}
			if (x->match.compiled && (size_t)g > x->match.re.re_nsub) {
				fo_errs_addf(l->errs, l->file,
				    set->kid[k + 1]->line, set->kid[k + 1]->col,
				    "context: group %ld of '%s', but the match "
				    "has %zu", g, set->kid[k]->str,
				    x->match.re.re_nsub);
				continue;
			}
			x->field[x->nset] = f;
			x->group[x->nset++] = (int)g;
		}
	}
}

/* A variant's fields: {field: headers} over the profile's; [] maps the
 * field from no column at all in files the variant matches. */
static void
variant_fields(struct load *l, const struct fo_ynode *y,
    struct fo_pvariant *x)
{
	size_t i;
	int f;

	if (fo_ymap_check(y, field_names(), "variant fields", l->file,
	    l->errs) && y->type != FO_Y_MAP)
		return;
	x->fields = own_array(l, fo_nfields, sizeof *x->fields);
	x->has_field = own_array(l, fo_nfields, 1);
	if (x->fields == NULL || x->has_field == NULL)
		return;
	for (i = 0; i + 1 < y->n; i += 2) {
		if ((f = fo_field_find(y->kid[i]->str)) < 0)
			continue;
		x->has_field[f] = 1;
		if (y->kid[i + 1]->type == FO_Y_SEQ && y->kid[i + 1]->n == 0)
			continue;	/* [] : from no column */
		x->fields[f].syn = col_list(l, y->kid[i + 1], y->kid[i]->str,
		    &x->fields[f].nsyn);
	}
}

static void
load_variants(struct load *l, const struct fo_ynode *y)
{
	static const char *const keys[] = { "detect", "numbers", "dates",
	    "constants", "fields", NULL };
	static const char *const dkeys[] = { "all", "any", "none", NULL };
	const struct fo_ynode *v, *d, *k;
	struct fo_pvariant *x;
	const char *s;
	size_t i;

	if (y == NULL)
		return;
	if (y->type != FO_Y_SEQ) {
		bad(l, y, "%s must be a list", "variants");
		return;
	}
	if ((l->p->variant = own_array(l, y->n, sizeof *x)) == NULL)
		return;
	for (i = 0; i < y->n; i++) {
		v = y->kid[i];
		if (fo_ymap_check(v, keys, "variant", l->file, l->errs))
			continue;
		x = &l->p->variant[l->p->nvariant++];
		if ((d = fo_ymap_get(v, "detect")) == NULL ||
		    fo_ymap_check(d, dkeys, "variant detect", l->file, l->errs)) {
			if (d == NULL)
				bad(l, v, "a variant needs %s", "detect");
			continue;
		}
		x->all = col_list(l, fo_ymap_get(d, "all"), "detect.all",
		    &x->nall);
		x->any = col_list(l, fo_ymap_get(d, "any"), "detect.any",
		    &x->nany);
		x->none = col_list(l, fo_ymap_get(d, "none"), "detect.none",
		    &x->nnone);
		if (x->nall + x->nany + x->nnone == 0)
			bad(l, d, "variant detect needs %s", "all, any or none");
		if ((k = fo_ymap_get(v, "numbers")) &&
		    (s = scalar(l, k, "numbers"))) {
			x->has_numbers = 1;
			if (fo_numstyle_parse(s, &x->numbers) != FO_OK)
				bad(l, k, "numbers '%s': not a number style", s);
		}
		if ((k = fo_ymap_get(v, "dates")) &&
		    (s = scalar(l, k, "dates"))) {
			x->has_dates = 1;
			if (fo_datefmt_parse(s, &x->dates) != FO_OK)
				bad(l, k, "dates '%s': not a date format", s);
		}
		if ((k = fo_ymap_get(v, "constants")) != NULL)
			x->constant = constants_of(l, k, "variant constants");
		if ((k = fo_ymap_get(v, "fields")) != NULL)
			variant_fields(l, k, x);
	}
}

static void
load_sign(struct load *l, const struct fo_ynode *y)
{
	static const char *const keys[] = { "column", "negative", NULL };
	const char *s;

	if (y == NULL || fo_ymap_check(y, keys, "sign", l->file, l->errs))
		return;
	if ((s = scalar(l, fo_ymap_get(y, "column"), "sign.column")) == NULL ||
	    fo_ymap_get(y, "negative") == NULL) {
		bad(l, y, "sign needs %s", "column and negative");
		return;
	}
	set_col(l, &l->p->sign_col, s);
	l->p->sign_neg = str_list(l, fo_ymap_get(y, "negative"),
	    "sign.negative", &l->p->nsign_neg);
}

/* debit_credit: {debit: headers, credit: headers}: two columns, one of
 * them filled per row, that make one signed amount. */
static void
load_debit_credit(struct load *l, const struct fo_ynode *y)
{
	static const char *const keys[] = { "debit", "credit", NULL };

	if (y == NULL || fo_ymap_check(y, keys, "debit_credit", l->file,
	    l->errs))
		return;
	l->p->debit = col_list(l, fo_ymap_get(y, "debit"),
	    "debit_credit.debit", &l->p->ndebit);
	l->p->credit = col_list(l, fo_ymap_get(y, "credit"),
	    "debit_credit.credit", &l->p->ncredit);
	if (l->p->ndebit == 0 || l->p->ncredit == 0)
		bad(l, y, "debit_credit needs %s", "debit and credit headers");
}

static int
in_strs(const char *s, char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/* row_types.layouts: {type: header or list of headers}, the columns
 * that tell the header row of that type's rows from the others; the
 * first layout, in the profile's order, whose columns a header row all
 * has is the one it gives. */
static void
load_layouts(struct load *l, struct fo_prowtypes *t, const struct fo_ynode *y)
{
	const char *type;
	size_t i, k, n;

	if (y == NULL)
		return;
	if (y->type != FO_Y_MAP) {
		bad(l, y, "%s must be a mapping of row type to columns",
		    "row_types.layouts");
		return;
	}
	n = y->n / 2;
	t->layout_type = own_array(l, n, sizeof *t->layout_type);
	t->layout_cols = own_array(l, n, sizeof *t->layout_cols);
	t->nlayout_cols = own_array(l, n, sizeof *t->nlayout_cols);
	if (!t->layout_type || !t->layout_cols || !t->nlayout_cols)
		return;
	for (i = 0; i + 1 < y->n; i += 2) {
		type = y->kid[i]->str;
		for (k = 0; k < t->nhold && strcmp(t->hold_type[k], type); k++)
			;
		if (k == t->nhold && !in_strs(type, t->fill, t->nfill) &&
		    !in_strs(type, t->skip, t->nskip)) {
			bad(l, y->kid[i], "row_types.layouts: '%s' is not a "
			    "fill, hold_code or skip type", type);
			continue;
		}
		t->layout_type[t->nlayout] = own_str(l, type);
		t->layout_cols[t->nlayout] = col_list(l, y->kid[i + 1],
		    "row_types.layouts", &t->nlayout_cols[t->nlayout]);
		if (t->nlayout_cols[t->nlayout] == 0)
			bad(l, y->kid[i + 1], "row_types.layouts: '%s' needs "
			    "a column", type);
		else
			t->nlayout++;
	}
}

static void
load_rowtypes(struct load *l, const struct fo_ynode *y)
{
	static const char *const keys[] = { "column", "record", "fill",
	    "fill_fields", "hold_code", "skip", "layouts", "parent", NULL };
	char **ff;
	size_t nff;
	int f;
	struct fo_prowtypes *t;
	const struct fo_ynode *h;
	const char *s;
	size_t i;

	if (y == NULL || fo_ymap_check(y, keys, "row_types", l->file, l->errs))
		return;
	if ((t = l->p->rowtypes = own_array(l, 1, sizeof *t)) == NULL)
		return;
	if ((s = scalar(l, fo_ymap_get(y, "column"), "row_types.column")) ==
	    NULL) {
		bad(l, y, "row_types needs %s", "column");
		return;
	}
	set_col(l, &t->col, s);
	t->record = str_list(l, fo_ymap_get(y, "record"), "row_types.record",
	    &t->nrecord);
	if (t->nrecord == 0)
		bad(l, y, "row_types needs %s: the types that start a record",
		    "record");
	t->fill = str_list(l, fo_ymap_get(y, "fill"), "row_types.fill",
	    &t->nfill);
	t->skip = str_list(l, fo_ymap_get(y, "skip"), "row_types.skip",
	    &t->nskip);
	ff = str_list(l, fo_ymap_get(y, "fill_fields"), "row_types.fill_fields",
	    &nff);
	if (nff > 0 && (t->fillf = own_array(l, nff, sizeof *t->fillf)))
		for (i = 0; i < nff; i++) {
			if ((f = fo_field_find(ff[i])) < 0)
				bad(l, fo_ymap_get(y, "fill_fields"), "row_types."
				    "fill_fields: no field '%s'", ff[i]);
			else
				t->fillf[t->nfillf++] = f;
		}
	if ((h = fo_ymap_get(y, "hold_code")) != NULL && h->type != FO_Y_MAP)
		bad(l, h, "%s must be a mapping of row type to column",
		    "row_types.hold_code");
	else if (h != NULL) {
		t->hold_type = own_array(l, h->n / 2, sizeof *t->hold_type);
		t->hold_col = own_array(l, h->n / 2, sizeof *t->hold_col);
		if (t->hold_type == NULL || t->hold_col == NULL)
			return;
		/* a choice, for a type whose rows have a header row of
		 * their own that names the code's column otherwise */
		for (i = 0; i + 1 < h->n; i += 2)
			if (set_choice(l, &t->hold_col[t->nhold],
			    h->kid[i + 1], "row_types.hold_code") == FO_OK)
				t->hold_type[t->nhold++] = own_str(l,
				    h->kid[i]->str);
	}
	load_layouts(l, t, fo_ymap_get(y, "layouts"));
	if ((h = fo_ymap_get(y, "parent")) != NULL) {
		if (t->nlayout == 0)
			bad(l, h, "row_types.parent needs %s", "layouts");
		else if ((s = scalar(l, h, "row_types.parent")) != NULL)
			set_col(l, &t->parent, s);
	}
}

/* values: {field: {source value: canonical value}} for text fields. */
static void
load_values(struct load *l, const struct fo_ynode *y)
{
	const struct fo_ynode *m;
	struct fo_pvalues *v;
	size_t i, k;
	int f;

	if (y == NULL)
		return;
	if (fo_ymap_check(y, field_names(), "values", l->file, l->errs) &&
	    y->type != FO_Y_MAP)
		return;
	if ((l->p->values = own_array(l, y->n / 2, sizeof *v)) == NULL)
		return;
	for (i = 0; i + 1 < y->n; i += 2) {
		if ((f = fo_field_find(y->kid[i]->str)) < 0)
			continue;
		m = y->kid[i + 1];
		if (fo_fields[f].type != FO_F_STR) {
			bad(l, y->kid[i], "values: '%s' is not a text field",
			    y->kid[i]->str);
			continue;
		}
		if (m->type != FO_Y_MAP) {
			bad(l, m, "values of '%s' must map source values to "
			    "canonical ones", y->kid[i]->str);
			continue;
		}
		v = &l->p->values[l->p->nvalues++];
		v->field = f;
		v->from = own_array(l, m->n / 2, sizeof *v->from);
		v->to = own_array(l, m->n / 2, sizeof *v->to);
		if (v->from == NULL || v->to == NULL)
			return;
		for (k = 0; k + 1 < m->n; k += 2)
			if (scalar(l, m->kid[k + 1], y->kid[i]->str)) {
				set_col(l, &v->from[v->n], m->kid[k]->str);
				v->to[v->n++] = own_str(l, m->kid[k + 1]->str);
			}
	}
}

/* extract: {field: {from: field or header, regex: ERE, group: N}}: a
 * text field no column fills, out of a capture of another's text. */
static void
load_extract(struct load *l, const struct fo_ynode *y)
{
	static const char *const keys[] = { "from", "regex", "group", NULL };
	const struct fo_ynode *v, *k;
	struct fo_pextract *x;
	const char *s;
	size_t i;
	long g;
	int f;

	if (y == NULL)
		return;
	if (fo_ymap_check(y, field_names(), "extract", l->file, l->errs) &&
	    y->type != FO_Y_MAP)
		return;
	if ((l->p->extract = own_array(l, y->n / 2, sizeof *x)) == NULL)
		return;
	for (i = 0; i + 1 < y->n; i += 2) {
		if ((f = fo_field_find(y->kid[i]->str)) < 0)
			continue;
		v = y->kid[i + 1];
		if (fo_fields[f].type != FO_F_STR) {
			bad(l, y->kid[i], "extract: '%s' is not a text field",
			    y->kid[i]->str);
			continue;
		}
		if (fo_ymap_check(v, keys, "extract", l->file, l->errs))
			continue;
		if ((s = scalar(l, fo_ymap_get(v, "from"), "extract.from")) ==
		    NULL || fo_ymap_get(v, "regex") == NULL) {
			bad(l, v, "extract needs %s", "from and regex");
			continue;
		}
		x = &l->p->extract[l->p->nextract++];
		x->field = f;
		x->group = 1;
		if ((x->from = fo_field_find(s)) >= 0 &&
		    fo_fields[x->from].type != FO_F_STR) {
			bad(l, fo_ymap_get(v, "from"), "extract.from: '%s' is "
			    "not a text field", s);
			x->from = -1;
		}
		if (x->from < 0)	/* a header */
			set_col(l, &x->col, s);
		if ((k = fo_ymap_get(v, "group")) != NULL &&
		    (s = scalar(l, k, "extract.group")) != NULL) {
			if (fo_ywhole(s, 1, 9, &g) != FO_OK) {
				bad(l, k, "extract.group '%s': 1 to 9", s);
				continue;
			}
			x->group = (int)g;
		}
		regex_load(l, fo_ymap_get(v, "regex"), &x->re, "extract");
		if (x->re.compiled && (size_t)x->group > x->re.re.re_nsub)
			fo_errs_addf(l->errs, l->file,
			    fo_ymap_get(v, "regex")->line,
			    fo_ymap_get(v, "regex")->col, "extract: group %d of "
			    "'%s', but the regex has %zu", x->group,
			    y->kid[i]->str, x->re.re.re_nsub);
	}
}

/* document_keys: N: the first N keys name the document a row belongs
 * to (an SAP invoice's items, an Oracle invoice's holds); fo-ingest
 * writes it as doc_id, and rows of one document are never each other's
 * duplicates. */
static void
load_document_keys(struct load *l, const struct fo_ynode *y)
{
	const char *s;
	char *end;
	long n;

	if (y == NULL || (s = scalar(l, y, "document_keys")) == NULL)
		return;
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || n < 1 || (size_t)n >= l->p->nkeys)
		bad(l, y, "document_keys '%s': from 1 to one less than the "
		    "number of keys", s);
	else
		l->p->document_keys = (size_t)n;
}

int
fo_profile_load(const char *path, struct fo_profile **pp,
    struct fo_errs *errs)
{
	struct fo_ydoc *doc = NULL;
	struct load l;
	size_t before = errs->n;
	int r;

	*pp = NULL;
	if ((r = fo_yaml_load(path, &doc, errs)) != FO_OK) {
		fo_yaml_free(doc);
		return r;
	}
	memset(&l, 0, sizeof l);
	l.file = path;
	l.errs = errs;
	if ((l.p = calloc(1, sizeof *l.p)) == NULL ||
	    (l.p->owned = calloc(1, sizeof(struct fo_owned))) == NULL) {
		free(l.p);
		fo_yaml_free(doc);
		fo_errs_addf(errs, path, 0, 0, "out of memory");
		return FO_ENOMEM;
	}
	l.p->file = own_str(&l, path);
	l.p->fields = own_array(&l, fo_nfields, sizeof *l.p->fields);
	if (doc->root == NULL || doc->root->type != FO_Y_MAP)
		fo_errs_addf(errs, path, doc->root ? doc->root->line : 1,
		    doc->root ? doc->root->col : 1,
		    "a profile is a mapping of keys (fo-rules(5))");
	else if (!l.oom) {
		fo_ymap_check(doc->root, top_keys, "profile", path, errs);
		load_top(&l, doc->root);
		load_detect(&l, fo_ymap_get(doc->root, "detect"));
		load_header(&l, fo_ymap_get(doc->root, "header"));
		load_fields(&l, fo_ymap_get(doc->root, "fields"));
		load_constants(&l, fo_ymap_get(doc->root, "constants"));
		load_columns(&l, fo_ymap_get(doc->root, "columns"));
		load_flags(&l, fo_ymap_get(doc->root, "flags"));
		load_keys(&l, fo_ymap_get(doc->root, "keys"));
		load_minor(&l, fo_ymap_get(doc->root, "minor_units"));
		load_skip(&l, fo_ymap_get(doc->root, "skip"));
		load_context(&l, fo_ymap_get(doc->root, "context"));
		load_variants(&l, fo_ymap_get(doc->root, "variants"));
		load_sign(&l, fo_ymap_get(doc->root, "sign"));
		load_debit_credit(&l, fo_ymap_get(doc->root, "debit_credit"));
		l.p->money = col_list(&l, fo_ymap_get(doc->root, "money"),
		    "money", &l.p->nmoney);
		load_rowtypes(&l, fo_ymap_get(doc->root, "row_types"));
		load_values(&l, fo_ymap_get(doc->root, "values"));
		load_document_keys(&l, fo_ymap_get(doc->root,
		    "document_keys"));
		load_extract(&l, fo_ymap_get(doc->root, "extract"));
	}
	fo_yaml_free(doc);
	if (l.oom) {
		fo_errs_addf(errs, path, 0, 0, "out of memory");
		fo_profile_free(l.p);
		return FO_ENOMEM;
	}
	if (fo_errs_verdict(errs, before) != FO_OK) {
		fo_profile_free(l.p);
		return FO_ERR;
	}
	*pp = l.p;
	return FO_OK;
}

void
fo_profile_free(struct fo_profile *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nskip; i++)
		if (p->skip[i].compiled)
			regfree(&p->skip[i].re);
	for (i = 0; i < p->ncontext; i++)
		if (p->context[i].match.compiled)
			regfree(&p->context[i].match.re);
	for (i = 0; i < p->nextract; i++)
		if (p->extract[i].re.compiled)
			regfree(&p->extract[i].re.re);
	if (p->owned != NULL) {
		fo_owned_free(p->owned);
		free(p->owned);
	}
	free(p);
}

int
fo_profile_minor(const struct fo_profile *p, const char *code, size_t n)
{
	size_t i;

	for (i = 0; p && n == 3 && i < p->nminor; i++)
		if (memcmp(p->minor[i].code, code, 3) == 0)
			return p->minor[i].minor;
	return fo_currency_minor(code, n);
}

int
fo_profile_row_has(const struct fo_csv_row *row, const struct fo_pcol *c)
{
	size_t i;

	for (i = 0; i < c->nor; i++)
		if (fo_profile_row_has(row, &c->or[i]))
			return 1;
	if (c->nor > 0)
		return 0;

	for (i = 0; i < row->nf; i++)
		if (*c->fold && fo_header_fold_eq(row->f[i].p, row->f[i].n,
		    c->fold))
			return 1;
	return 0;
}

int
fo_profile_detect(const struct fo_profile *p, const struct fo_csv_row *row)
{
	size_t i;
	int score = 0;

	if (p->ndetect_all == 0)
		return 0;
	for (i = 0; i < p->ndetect_all; i++)
		if (!fo_profile_row_has(row, &p->detect_all[i]))
			return 0;
	score = (int)p->ndetect_all;
	for (i = 0; i < p->ndetect_any; i++)
		score += fo_profile_row_has(row, &p->detect_any[i]);
	return score;
}

int
fo_profile_is_header(const struct fo_profile *p, const struct fo_csv_row *row)
{
	size_t i;

	if (p->nheader_find == 0)
		return 1;	/* the first row that is not blank */
	for (i = 0; i < p->nheader_find; i++)
		if (!fo_profile_row_has(row, &p->header_find[i]))
			return 0;
	return 1;
}
