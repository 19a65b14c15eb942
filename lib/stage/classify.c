/*
 * classify.c - fo-classify's policy: an ordered list of rules whose jq
 * conditions, and the measured facts their reasons quote, are compiled
 * once into one jq program (each jq_compile re-reads jq's builtins, so
 * one program, never one per rule: jqprog.c). Each record is handed to
 * it once;
 * the first matching rule names the exception, every match adds its
 * class and reason, and the built-in duplicate check runs in its place in
 * the rule order. The verdict is written into the record in place.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"


static const char *const domains[] = {
	"procurement", "receiving", "vendor_master", "tax", "treasury",
	"approvals", "accounting", "integration", "unknown", NULL
};


enum part_kind { P_TEXT, P_FIELD, P_PARAM, P_FRAG };

struct part {
	enum part_kind kind;
	char *text;		/* literal, field name, or the param's value */
	size_t len;		/* P_TEXT, P_PARAM: its bytes ("?" for none) */
	int frag;		/* P_FRAG: index among the rule's fragments */
	struct fo_key key;	/* P_FIELD: text, numbered */
};

struct rule {
	char *id, *cls;
	const char *domain, *sens;
	size_t idlen, clslen, domainlen, senslen;	/* written per record */
	int conf;		/* hundredths */
	int none, dup;		/* class none; the builtin duplicate check */
	char *when;
	char **frag;		/* {=jq} expressions of the reason */
	size_t nfrag;
	struct part *part;
	size_t npart;
	long line, col;		/* of when (or the rule) */
	long idline;		/* of the id */
	long rline, rcol;	/* of the reason */
};

/* The fields to_invoice reads: the texts by their slot in f[], then
 * amount, currency and doc_date; then an earlier run's verdict. */
enum { K_ID, K_DOC_TYPE, K_VENDOR_ID, K_DOC_NUMBER, K_ENTITY, K_STATUS,
	K_IBAN, K_DOC_ID, NTEXT, K_AMOUNT = NTEXT, K_CURRENCY, K_DOC_DATE,
	K_DUP_OF, K_DUP_SCORE, NKEY };

static const char *const key_name[NKEY] = {
	[K_ID] = "id", [K_DOC_TYPE] = "doc_type", [K_VENDOR_ID] = "vendor_id",
	[K_DOC_NUMBER] = "doc_number", [K_ENTITY] = "entity",
	[K_STATUS] = "status", [K_IBAN] = "iban", [K_DOC_ID] = "doc_id",
	[K_AMOUNT] = "amount", [K_CURRENCY] = "currency",
	[K_DOC_DATE] = "doc_date", [K_DUP_OF] = "duplicate_of",
	[K_DUP_SCORE] = "duplicate_score",
};

struct fo_classify {
	const char *file;	/* the caller's: errors point at it */
	struct rule *rule;
	size_t nrule;
	char **pname, **pval;	/* params: name, value as written */
	struct fo_jqparam *param;
	size_t nparam;
	char **cls;		/* classes added by the rules file */
	size_t ncls;
	struct fo_jq *jq;
	int *hit;		/* [nrule] the rules a record matches */
	uint64_t *dupw;		/* the rules of the duplicate check, as bits
				 * (a record visits only its may's and these) */
	int other_conf;
	int use_dup;
	struct fo_dup_params dup;
	struct fo_buf out, tmp, fld;
	struct fo_buf f[NTEXT];	/* decoded fields for the duplicate check */
	struct fo_key key[NKEY];	/* and their keys, numbered */
	char cur[4];
	struct fo_owned owned;
};

static void *
own(struct fo_classify *c, void *p)
{
	return fo_own(&c->owned, p);
}

static char *
own_str(struct fo_classify *c, const char *s, size_t n)
{
	return own(c, strndup(s, n));
}

static int
in(const char *s, const char *const *list)
{
	for (; list && *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}




/* Hundredths from "0.8", "1", "0.75"; -1 if not 0..1 with <= 2 decimals. */
static int
hundredths(const char *s)
{
	struct fo_dec d;
	struct fo_err e;

	if (s == NULL || fo_dec_parse(s, strlen(s), FO_NUM_PLAIN, FO_DEC_ASIS,
	    &d, &e) != FO_OK || d.scale > 2 || fo_dec_rescale(&d, 2) != FO_OK ||
	    d.v < 0 || d.v > 100)
		return -1;
	return (int)d.v;
}


static void
load_params(struct fo_classify *c, const struct fo_ynode *y,
    struct fo_errs *errs)
{
	const struct fo_ynode *k, *v;
	size_t i;
	long n = 0;
	int h;

	if (y == NULL)
		return;
	if (y->type != FO_Y_MAP) {
		fo_yerr(errs, c->file, y, "%s must be a mapping", "params");
		return;
	}
	c->pname = own(c, calloc(y->n / 2 + 1, sizeof *c->pname));
	c->pval = own(c, calloc(y->n / 2 + 1, sizeof *c->pval));
	c->param = own(c, calloc(y->n / 2 + 1, sizeof *c->param));
	if (c->pname == NULL || c->pval == NULL || c->param == NULL)
		return;
	for (i = 0; i + 1 < y->n; i += 2) {
		k = y->kid[i];
		v = y->kid[i + 1];
		if (!fo_yname_ok(k->str)) {
			fo_yerr(errs, c->file, k, "param '%s': a name is letters, "
			    "digits and _", k->str);
			continue;
		}
		if (v->type != FO_Y_SCALAR) {
			fo_yerr(errs, c->file, v, "param '%s' must be a single "
			    "value", k->str);
			continue;
		}
		c->pname[c->nparam] = own_str(c, k->str, k->len);
		c->pval[c->nparam] = own_str(c, v->str, v->len);
		c->param[c->nparam].name = c->pname[c->nparam];
		c->param[c->nparam].value = c->pval[c->nparam];
		c->param[c->nparam++].plain = v->plain;
		if (strcmp(k->str, "other_confidence") == 0 &&
		    (c->other_conf = h = hundredths(v->str)) < 0)
			fo_yerr(errs, c->file, v, "other_confidence '%s': 0 to 1, "
			    "at most 2 decimals", v->str);
		if (strcmp(k->str, "duplicate_window_days") == 0) {
			if (fo_ywhole(v->str, -1, 3650, &n) != FO_OK)
				fo_yerr(errs, c->file, v, "duplicate_window_days "
				    "'%s': a whole number of days, -1 (off) to "
				    "3650", v->str);
			c->dup.window_days = (int)n;
		}
		if (strcmp(k->str, "duplicate_amount_tolerance_bp") == 0) {
			if (fo_ywhole(v->str, 0, 10000, &n) != FO_OK)
				fo_yerr(errs, c->file, v, "duplicate_amount_"
				    "tolerance_bp '%s': basis points, 0 to 10000",
				    v->str);
			c->dup.amount_tol_bp = (int)n;
		}
		if (strcmp(k->str, "duplicate_match_bank") == 0) {
			if (strcmp(v->str, "true") != 0 &&
			    strcmp(v->str, "false") != 0)
				fo_yerr(errs, c->file, v, "duplicate_match_bank "
				    "'%s': true or false", v->str);
			c->dup.match_bank = strcmp(v->str, "true") == 0;
		}
	}
}

static const char *
param(const struct fo_classify *c, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < c->nparam; i++)
		if (fo_named(c->pname[i], name, n))
			return c->pval[i];
	return NULL;
}

/* A reason template: text with {field}, {$param} and {=jq}. */
static void
load_reason(struct fo_classify *c, struct rule *r, const struct fo_ynode *y,
    struct fo_errs *errs)
{
	const char *s = y->str, *open, *close, *why;
	struct part *p;
	size_t n = 0, cap, at, wlen;
	char name[64];
	/* where the text starts: after the quote of a quoted scalar (a
	 * block scalar's text is on the lines below: its first is near) */
	long col = y->col + !y->plain;

	r->rline = y->line;
	r->rcol = y->col;
	/* a '{' opens at most one fragment and one part, with a text
	 * before it and after the last: room for that many (the shipped
	 * reasons took 152 KB with room for half their bytes as
	 * fragments, 52 KB so: 31 pages fewer touched at start-up) */
	for (open = s, at = 0; (open = strchr(open, '{')) != NULL; open++)
		at++;
	cap = 2 * at + 2;
	if ((r->part = own(c, calloc(cap, sizeof *r->part))) == NULL ||
	    (r->frag = own(c, calloc(at + 1, sizeof *r->frag))) == NULL) {
		fo_errs_addf(errs, c->file, y->line, y->col, "out of memory");
		return;
	}
	while (*s) {
		if (n + 2 > cap) {
			/* never, by the count above; a guard */
			struct part *v = own(c, calloc(cap * 2, sizeof *v));

			if (v == NULL)
				return;
			memcpy(v, r->part, n * sizeof *v);
			r->part = v;
			cap *= 2;
		}
		p = &r->part[n];
		if ((open = strchr(s, '{')) != s) {
			size_t len = open ? (size_t)(open - s) : strlen(s);

			p->kind = P_TEXT;
			p->text = own_str(c, s, len);
			s += len;
			n++;
			continue;
		}
		/* {=jq} may hold braces of its own: match them */
		if (s[1] == '=') {
			int depth = 0;

			for (close = s; *close; close++)
				if (*close == '{')
					depth++;
				else if (*close == '}' && --depth == 0)
					break;
		} else
			close = strchr(s, '}');
		if (close == NULL || *close == '\0') {
			fo_errs_addf(errs, c->file, y->line, col +
			    (long)(s - y->str), "reason: '{' not closed");
			break;
		}
		if (s[1] == '=') {
			p->kind = P_FRAG;
			p->frag = (int)r->nfrag;
			r->frag[r->nfrag++] = own_str(c, s + 2,
			    (size_t)(close - s - 2));
			if (fo_jq_leaky(r->frag[r->nfrag - 1]))
				fo_errs_addf(errs, c->file, y->line, col +
				    (long)(s - y->str), "reason: index, rindex "
				    "and indices leak memory in jq 1.6 on every "
				    "record");
			if ((why = fo_jq_refused(r->frag[r->nfrag - 1], &at,
			    &wlen)) != NULL)
				fo_errs_addf(errs, c->file, y->line, col +
				    (long)(s - y->str), "reason: '%.*s' %s: "
				    "rules are data (fo(7), SECURITY)",
				    (int)wlen, r->frag[r->nfrag - 1] + at, why);
		} else if (s[1] == '$') {
			p->kind = P_PARAM;
			if ((p->text = (char *)param(c, s + 2,
			    (size_t)(close - s - 2))) == NULL) {
				snprintf(name, sizeof name, "%.*s",
				    (int)(close - s - 2), s + 2);
				fo_errs_addf(errs, c->file, y->line, col +
				    (long)(s - y->str), "reason: no param '%s'",
				    name);
			}
		} else {
			p->kind = P_FIELD;
			p->text = own_str(c, s + 1, (size_t)(close - s - 1));
			p->key.name = p->text;
			p->key.fid = -1;
			if (p->text != NULL)
				fo_key_init(&p->key, p->text);
		}
		s = close + 1;
		n++;
	}
	r->npart = n;
}

static void
load_rule(struct fo_classify *c, const struct fo_ynode *y,
    struct fo_errs *errs)
{
	static const char *const keys[] = { "id", "when", "class", "domain",
	    "sensitivity", "confidence", "reason", "builtin", NULL };
	struct rule *r = &c->rule[c->nrule];
	const struct fo_ynode *k;
	const char *s, *why;
	size_t i, at, wlen;

	if (fo_ymap_check(y, keys, "rule", c->file, errs))
		return;
	r->line = y->line;
	r->col = y->col;
	if ((s = fo_yscalar(k = fo_ymap_get(y, "id"))) == NULL || !fo_yname_ok(s)) {
		fo_yerr(errs, c->file, k ? k : y, "a rule needs an %s: letters, "
		    "digits and _", "id");
		return;
	}
	r->id = own_str(c, s, strlen(s));
	r->idline = k->line;
	for (i = 0; i < c->nrule; i++)
		if (strcmp(c->rule[i].id, s) == 0) {
			fo_errs_addf(errs, c->file, k->line, k->col,
			    "duplicate rule id '%s' (first at line %ld)", s,
			    c->rule[i].idline);
			break;
		}
	if ((k = fo_ymap_get(y, "builtin")) != NULL) {
		if (strcmp(fo_yscalar(k) ? k->str : "", "duplicate") != 0)
			fo_yerr(errs, c->file, k, "builtin '%s': only duplicate",
			    fo_yscalar(k) ? k->str : "");
		else if (c->use_dup)
			fo_yerr(errs, c->file, k, "builtin %s given twice",
			    "duplicate");
		r->dup = c->use_dup = 1;
		if (fo_ymap_get(y, "when"))
			fo_yerr(errs, c->file, fo_ymap_get(y, "when"), "a builtin "
			    "rule has no %s", "when");
	} else if ((s = fo_yscalar(k = fo_ymap_get(y, "when"))) == NULL) {
		fo_yerr(errs, c->file, k ? k : y, "rule %s needs a when", r->id);
	} else {
		r->when = own_str(c, s, strlen(s));
		r->line = k->line;
		r->col = k->col;
		if (fo_jq_leaky(s))
			fo_yerr(errs, c->file, k, "rule %s: index, rindex and "
			    "indices leak memory in jq 1.6 on every record: "
			    "write any(.[]; . == X) or contains([X])", r->id);
		if ((why = fo_jq_refused(s, &at, &wlen)) != NULL)
			fo_errs_addf(errs, c->file, k->line, k->col, "rule %s: "
			    "when: '%.*s' %s: rules are data (fo(7), SECURITY)",
			    r->id, (int)wlen, s + at, why);
	}
	if ((s = fo_yscalar(k = fo_ymap_get(y, "class"))) == NULL ||
	    (!in(s, fo_taxonomy) && strcmp(s, "none") != 0 &&
	    !in(s, (const char *const *)c->cls))) {
		fo_yerr(errs, c->file, k ? k : y, "class '%s': not in the "
		    "taxonomy (fo-rules(5)), none, or classes", s ? s : "");
	} else {
		r->cls = own_str(c, s, strlen(s));
		r->none = strcmp(s, "none") == 0;
	}
	s = fo_yscalar(k = fo_ymap_get(y, "domain"));
	for (i = 0, r->domain = NULL; s && domains[i]; i++)
		if (strcmp(s, domains[i]) == 0)
			r->domain = domains[i];
	if (r->domain == NULL)
		fo_yerr(errs, c->file, k ? k : y, "domain '%s': procurement, "
		    "receiving, vendor_master, tax, treasury, approvals, "
		    "accounting, integration or unknown", s ? s : "");
	s = fo_yscalar(k = fo_ymap_get(y, "sensitivity"));
	for (i = 0, r->sens = NULL; s && fo_sensitivities[i]; i++)
		if (strcmp(s, fo_sensitivities[i]) == 0)
			r->sens = fo_sensitivities[i];
	if (r->sens == NULL)
		fo_yerr(errs, c->file, k ? k : y, "sensitivity '%s': low, medium "
		    "or high", s ? s : "");
	if ((r->conf = hundredths(fo_yscalar(k = fo_ymap_get(y, "confidence")))) <
	    0)
		fo_yerr(errs, c->file, k ? k : y, "confidence '%s': 0 to 1, at "
		    "most 2 decimals", fo_yscalar(k) ? k->str : "");
	if ((k = fo_ymap_get(y, "reason")) != NULL) {
		if (k->type != FO_Y_SCALAR)
			fo_yerr(errs, c->file, k, "%s must be a text", "reason");
		else
			load_reason(c, r, k, errs);
	}
	c->nrule++;
}

/* The rules' conditions and reason facts, as one jq program. */
static int
compile(struct fo_classify *c, struct fo_errs *errs)
{
	struct fo_jqrule *jr;
	size_t i;
	int r;

	if ((jr = calloc(c->nrule + 1, sizeof *jr)) == NULL)
		return FO_ENOMEM;
	for (i = 0; i < c->nrule; i++) {
		jr[i].id = c->rule[i].id;
		jr[i].when = c->rule[i].when;	/* NULL for builtin rules */
		jr[i].frag = c->rule[i].frag;
		jr[i].nfrag = c->rule[i].nfrag;
		jr[i].line = c->rule[i].line;
		jr[i].col = c->rule[i].col;
		jr[i].fline = c->rule[i].rline;
		jr[i].fcol = c->rule[i].rcol;
	}
	r = fo_jq_new(&c->jq, c->file, jr, c->nrule, c->param, c->nparam, errs);
	free(jr);
	return r;
}

int
fo_classify_load(const char *path, struct fo_classify **cp,
    struct fo_errs *errs)
{
	static const char *const top[] = { "params", "classes", "rules", NULL };
	struct fo_classify *c;
	struct fo_ydoc *doc = NULL;
	const struct fo_ynode *y, *root;
	size_t before = errs->n, i;
	int r;

	*cp = NULL;
	if ((r = fo_yaml_load(path, &doc, errs)) != FO_OK)
		return r;
	if ((c = calloc(1, sizeof *c)) == NULL) {
		fo_yaml_free(doc);
		return FO_ENOMEM;
	}
	c->file = path;
	c->other_conf = 30;
	c->dup.window_days = 30;
	for (i = 0; i < NKEY; i++)
		fo_key_init(&c->key[i], key_name[i]);
	root = doc->root;
	if (root == NULL || root->type != FO_Y_MAP) {
		fo_errs_addf(errs, path, 1, 1, "a rules file is a mapping with "
		    "params and rules (fo-rules(5))");
		goto out;
	}
	fo_ymap_check(root, top, "rules file", path, errs);
	load_params(c, fo_ymap_get(root, "params"), errs);
	if ((y = fo_ymap_get(root, "classes")) != NULL) {
		if (y->type != FO_Y_SEQ)
			fo_yerr(errs, path, y, "%s must be a list of names",
			    "classes");
		else if ((c->cls = own(c, calloc(y->n + 1, sizeof *c->cls)))) {
			for (i = 0; i < y->n; i++) {
				if (fo_yscalar(y->kid[i]) && fo_yname_ok(y->kid[i]->str))
					c->cls[c->ncls++] = own_str(c,
					    y->kid[i]->str, y->kid[i]->len);
				else
					fo_yerr(errs, path, y->kid[i], "class "
					    "'%s': letters, digits and _",
					    fo_yscalar(y->kid[i]) ? y->kid[i]->str :
					    "");
			}
		}
	}
	if ((y = fo_ymap_get(root, "rules")) == NULL || y->type != FO_Y_SEQ) {
		fo_yerr(errs, path, y ? y : root, "%s must be a list of rules",
		    "rules");
		goto out;
	}
	if ((c->rule = own(c, calloc(y->n + 1, sizeof *c->rule))) == NULL ||
	    (c->hit = own(c, calloc(y->n + 1, sizeof *c->hit))) == NULL ||
	    (c->dupw = own(c, calloc(y->n / 64 + 1, sizeof *c->dupw))) ==
	    NULL)
		goto out;
	for (i = 0; i < y->n; i++)
		load_rule(c, y->kid[i], errs);
	for (i = 0; i < c->nrule; i++) {
		struct rule *ru = &c->rule[i];
		size_t k;

		if (ru->dup)
			c->dupw[i / 64] |= (uint64_t)1 << (i % 64);
		/* what every record's output writes, measured once */
		ru->idlen = ru->id ? strlen(ru->id) : 0;
		ru->clslen = ru->cls ? strlen(ru->cls) : 0;
		ru->domainlen = ru->domain ? strlen(ru->domain) : 0;
		ru->senslen = ru->sens ? strlen(ru->sens) : 0;
		for (k = 0; k < ru->npart; k++)
			ru->part[k].len = ru->part[k].text ?
			    strlen(ru->part[k].text) : 1;
	}
	/* Every text the rules keep is their own copy: the document goes
	 * before the expressions are compiled, whose nodes then take the
	 * pages it held instead of new ones. */
	fo_yaml_free(doc);
	doc = NULL;
	/* jq is asked even when other mistakes were found: all at once */
	if (compile(c, errs) == FO_ENOMEM)
		fo_errs_addf(errs, path, 0, 0, "out of memory");
out:
	fo_yaml_free(doc);
	if (fo_errs_verdict(errs, before) != FO_OK) {
		fo_classify_free(c);
		return FO_ERR;
	}
	*cp = c;
	return FO_OK;
}

void
fo_classify_free(struct fo_classify *c)
{
	if (c == NULL)
		return;
	fo_jq_free(c->jq);
	fo_owned_free(&c->owned);
	fo_buf_free(&c->out);
	fo_buf_free(&c->tmp);
	fo_buf_free(&c->fld);
	fo_bufs_free(c->f, sizeof c->f / sizeof c->f[0]);
	free(c);
}

int
fo_classify_dup_params(const struct fo_classify *c, struct fo_dup_params *p)
{
	*p = c->dup;
	return c->use_dup;
}

/* The text field of slot: NULL when absent (fo_get_text's FO_EMPTY). */
static int
text(struct fo_classify *c, const struct fo_rec *r, int slot,
    const char **v, struct fo_err *e)
{
	int rc = fo_get_text_k(r, &c->key[slot], &c->f[slot], e);

	*v = rc == FO_OK ? c->f[slot].p : NULL;
	return rc < 0 ? rc : FO_OK;
}

/* What the duplicate index needs of a record, read as every stage reads
 * it (recget.c): a value of the wrong type is refused here too, before
 * the rules judge a record they would misread. Payments and bank lines
 * are not invoices: they are never looked up. FO_OK, FO_ERR, FO_ENOMEM. */
static int
to_invoice(struct fo_classify *c, const struct fo_rec *r, const char *defid,
    struct fo_dup_inv *inv, struct fo_err *e)
{
	struct fo_money m;
	int rc;

	memset(inv, 0, sizeof *inv);
	if ((rc = text(c, r, K_ID, &inv->id, e)) != FO_OK ||
	    (rc = text(c, r, K_DOC_TYPE, &inv->doc_type, e)) != FO_OK ||
	    (rc = text(c, r, K_VENDOR_ID, &inv->vendor_id, e)) != FO_OK ||
	    (rc = text(c, r, K_DOC_NUMBER, &inv->doc_number, e)) != FO_OK ||
	    (rc = text(c, r, K_ENTITY, &inv->entity, e)) != FO_OK ||
	    (rc = text(c, r, K_STATUS, &inv->status, e)) != FO_OK ||
	    (rc = text(c, r, K_IBAN, &inv->iban, e)) != FO_OK ||
	    (rc = text(c, r, K_DOC_ID, &inv->doc_id, e)) != FO_OK)
		return rc;
	if ((rc = fo_get_money_k(r, &c->key[K_AMOUNT], &c->key[K_CURRENCY], &m,
	    e)) < 0)
		return rc;
	if (rc == FO_OK) {
		inv->amount = m.v.v;
		inv->has_amount = 1;
	}
	if (m.cur[0]) {
		memcpy(c->cur, m.cur, sizeof c->cur);
		inv->currency = c->cur;
	}
	if ((rc = fo_get_date_k(r, &c->key[K_DOC_DATE], &inv->date, e)) < 0)
		return rc;
	inv->has_date = rc == FO_OK;
	if (inv->id == NULL)
		inv->id = defid;
	if (inv->doc_type && strcmp(inv->doc_type, "invoice") != 0 &&
	    strcmp(inv->doc_type, "credit_memo") != 0) {
		/* only its id and type: it is not indexed */
		inv->vendor_id = NULL;
		inv->has_amount = 0;
	}
	return FO_OK;
}

int
fo_classify_history(struct fo_classify *c, const struct fo_rec *r,
    const char *defid, struct fo_dup *dup, struct fo_err *e)
{
	struct fo_dup_inv inv;
	struct fo_dup_match m;
	int rc;

	fo_err_clear(e);
	if (dup == NULL) {
		fo_err_msg(e, "no duplicate index");
		return FO_ERR;
	}
	/* a record fo-classify would reject is not indexed either */
	if ((rc = to_invoice(c, r, defid, &inv, e)) != FO_OK)
		return rc;
	if ((rc = fo_dup_check(dup, &inv, 1, &m)) == FO_EIO)
		fo_err_msg(e, "duplicate index: %s",
		    strerror(fo_dup_errno(dup)));
	return rc;
}

/* A {field} of a reason: as written in the record; a string decoded
 * through d, which is kept from record to record (no allocation once it
 * has grown). */
static void
put_field(struct fo_buf *b, struct fo_buf *d, const struct fo_rec *r,
    const struct part *p)
{
	int t = fo_key_find(r, &p->key);
	struct fo_span s;

	if (t < 0) {
		fo_buf_putc(b, '?');
		return;
	}
	s = fo_rec_span(r, t);
	if (fo_rec_esc(r, t)) {
		fo_buf_reset(d);
		fo_rec_str(r, t, d);
		fo_buf_put(b, d->p, d->n);
	} else
		fo_buf_put(b, s.p, s.n);
}

/* confidence and duplicate_score: hundredths as 0.85, 1.00 */
static void
put_hundredths(struct fo_buf *b, int v)
{
	char s[16];
	int n = 0, w = v / 100;

	do
		s[n++] = (char)('0' + w % 10);
	while ((w /= 10) > 0);
	while (n > 0)
		fo_buf_putc(b, s[--n]);
	fo_buf_putc(b, '.');
	fo_buf_putc(b, (char)('0' + v % 100 / 10));
	fo_buf_putc(b, (char)('0' + v % 10));
}

/* "<id>: <text>" of a matching rule, as a JSON string into out. */
static void
put_reason(struct fo_classify *c, size_t ri, const struct fo_rec *r,
    const char *extra, struct fo_buf *out)
{
	const struct rule *ru = &c->rule[ri];
	struct fo_buf *b = &c->tmp;
	size_t i;

	fo_buf_reset(b);
	fo_buf_put(b, ru->id, ru->idlen);
	if (ru->npart > 0 || extra)
		fo_buf_puts(b, ": ");
	for (i = 0; i < ru->npart; i++) {
		const struct part *p = &ru->part[i];

		switch (p->kind) {
		case P_TEXT:
		case P_PARAM:
			fo_buf_put(b, p->text ? p->text : "?", p->len);
			break;
		case P_FIELD:
			put_field(b, &c->fld, r, p);
			break;
		case P_FRAG:
			fo_buf_puts(b, fo_jq_frag(c->jq, ri, (size_t)p->frag));
			break;
		}
	}
	if (extra) {
		if (ru->npart)
			fo_buf_puts(b, "; ");
		fo_buf_puts(b, extra);
	}
	fo_json_str_lossy(out, b->p, b->n);
}

/* 1 - prod(1 - c) over the primary class's matches, in millionths, then
 * to hundredths half-even: integer arithmetic, the same everywhere. */
static int
noisy_or(const struct fo_classify *c, const int *hit, size_t n,
    const char *cls)
{
	long long q = 1000000, v;
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(c->rule[hit[i]].cls, cls) == 0)
			q = q * (100 - c->rule[hit[i]].conf) / 100;
	v = 1000000 - q;
	if (v % 10000 > 5000 || (v % 10000 == 5000 && (v / 10000) % 2))
		return (int)(v / 10000 + 1);
	return (int)(v / 10000);
}

int
fo_classify_rec(struct fo_classify *c, const struct fo_rec *r,
    const char *defid, struct fo_dup *dup, struct fo_buf *out,
    struct fo_err *e)
{
	struct fo_buf *b = &c->out;
	struct fo_dup_inv inv;
	struct fo_dup_match m;
	const uint64_t *may;
	struct fo_kv kv[8];
	size_t off[9], nkv = 0, i, k, nhit = 0;	/* 8 keys and the end */
	int *hit = c->hit, first = -1, conf, rc = FO_OK;

	/* jq first: a record it refuses is rejected, and never indexed */
	if (fo_jq_run(c->jq, r, e) != FO_OK)
		return FO_ERR;
	m.ev = FO_DUP_NONE;
	if ((rc = to_invoice(c, r, defid, &inv, e)) != FO_OK)
		return rc;
	if (dup && c->use_dup && (rc = fo_dup_check(dup, &inv, 1, &m)) !=
	    FO_OK) {
		if (rc == FO_EIO)
			fo_err_msg(e, "duplicate index: %s",
			    strerror(fo_dup_errno(dup)));
		return rc;
	}
	may = fo_jq_may(c->jq);
	/* only the rules the plan lets in, and the duplicate check's: the
	 * others are not even looked at */
	for (k = 0; k * 64 < c->nrule; k++) {
		uint64_t w = may[k] | c->dupw[k];

		for (; w != 0; w &= w - 1) {
			if ((i = k * 64 + fo_lowbit(w)) >= c->nrule)
				break;
			if (c->rule[i].dup ? m.ev != FO_DUP_NONE :
			    fo_jq_matched(c->jq, i))
				hit[nhit++] = (int)i;
		}
	}
	if (nhit > 0)
		first = hit[0];

	fo_buf_reset(b);
	off[nkv] = b->n;	/* exception */
	if (first < 0)
		fo_buf_puts(b, "\"other\"");
	else if (c->rule[first].none)
		fo_buf_puts(b, "null");
	else
		fo_json_str(b, c->rule[first].cls, c->rule[first].clslen);
	kv[nkv++].key = "exception";
	off[nkv] = b->n;	/* exceptions: each class once, in rule order */
	fo_buf_putc(b, '[');
	for (i = 0, k = 0; i < nhit; i++) {
		const struct rule *ru = &c->rule[hit[i]];
		size_t j;

		for (j = 0; j < i && strcmp(c->rule[hit[j]].cls, ru->cls); j++)
			;
		if (ru->none || j < i)
			continue;
		fo_buf_puts(b, k++ ? "," : "");
		fo_json_str(b, ru->cls, ru->clslen);
	}
	if (first < 0)
		fo_buf_puts(b, "\"other\"");
	fo_buf_putc(b, ']');
	kv[nkv++].key = "exceptions";
	off[nkv] = b->n;
	fo_buf_puts(b, first < 0 ? "\"unknown\"" : "\"");
	if (first >= 0) {
		fo_buf_put(b, c->rule[first].domain,
		    c->rule[first].domainlen);
		fo_buf_putc(b, '"');
	}
	kv[nkv++].key = "domain";
	off[nkv] = b->n;
	fo_buf_puts(b, first < 0 ? "\"low\"" : "\"");
	if (first >= 0) {
		fo_buf_put(b, c->rule[first].sens, c->rule[first].senslen);
		fo_buf_putc(b, '"');
	}
	kv[nkv++].key = "sensitivity";
	off[nkv] = b->n;
	conf = first < 0 ? c->other_conf :
	    noisy_or(c, hit, nhit, c->rule[first].cls);
	put_hundredths(b, conf);
	kv[nkv++].key = "confidence";
	off[nkv] = b->n;
	fo_buf_putc(b, '[');
	if (first < 0)
		fo_buf_puts(b, "\"other: no rule matched\"");
	for (i = 0; i < nhit; i++) {
		fo_buf_puts(b, i ? "," : "");
		put_reason(c, (size_t)hit[i], r,
		    c->rule[hit[i]].dup ? m.why : NULL, b);
	}
	fo_buf_putc(b, ']');
	kv[nkv++].key = "reasons";
	if (m.ev != FO_DUP_NONE) {
		off[nkv] = b->n;
		fo_json_str(b, m.of, strlen(m.of));
		kv[nkv++].key = "duplicate_of";
		off[nkv] = b->n;
		put_hundredths(b, m.score);
		kv[nkv++].key = "duplicate_score";
	} else if (fo_key_find(r, &c->key[K_DUP_OF]) >= 0 ||
	    fo_key_find(r, &c->key[K_DUP_SCORE]) >= 0) {
		/* a suspect no longer: an earlier run's verdict must not stay */
		off[nkv] = b->n;
		fo_buf_puts(b, "null");
		kv[nkv++].key = "duplicate_of";
		off[nkv] = b->n;
		fo_buf_puts(b, "null");
		kv[nkv++].key = "duplicate_score";
	}
	off[nkv] = b->n;
	if (fo_jq_over(c->jq, e))	/* undecided: rejected, not guessed */
		return FO_ERR;
	if (b->oom || fo_jq_oom(c->jq))
		return FO_ENOMEM;
	/* the values are in one buffer: point at them only once it is done */
	for (i = 0; i < nkv; i++) {
		kv[i].val = b->p + off[i];
		kv[i].vlen = off[i + 1] - off[i];
	}
	rc = fo_rec_write(r, kv, nkv, out);
	return rc;
}

const struct fo_jq *
fo_classify_jq(const struct fo_classify *c)
{
	return c->jq;
}
