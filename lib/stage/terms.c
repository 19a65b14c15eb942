/*
 * terms.c - payment terms: "2/10 net 30" and the like parsed, and the
 * due and discount dates of a record from its terms, or from SAP's days
 * and percents under extra.
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
 * Payment terms.
 */

struct tcur {
	const char *s;
	size_t i, n;
};

static void
tskip(struct tcur *c)
{
	while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t' ||
	    c->s[c->i] == ','))
		c->i++;
}

/* A word, case-insensitive, not followed by a letter. */
static int
tword(struct tcur *c, const char *w)
{
	size_t k = strlen(w);

	if (c->n - c->i < k || strncasecmp(c->s + c->i, w, k) != 0 ||
	    (c->i + k < c->n && isalpha((unsigned char)c->s[c->i + k])))
		return 0;
	c->i += k;
	return 1;
}

static int
tdays(struct tcur *c, int *days)
{
	size_t st = c->i;
	long v = 0;

	while (c->i < c->n && isdigit((unsigned char)c->s[c->i]) &&
	    c->i - st < 5)
		v = v * 10 + (c->s[c->i++] - '0');
	if (c->i == st || (c->i < c->n && (isdigit((unsigned char)c->s[c->i]) ||
	    c->s[c->i] == '.'))) {
		c->i = st;
		return 0;
	}
	*days = (int)v;
	return 1;
}

static int
tpct(struct tcur *c, struct fo_dec *d)
{
	struct fo_err e;
	size_t st = c->i;

	while (c->i < c->n && (isdigit((unsigned char)c->s[c->i]) ||
	    c->s[c->i] == '.'))
		c->i++;
	if (c->i == st || fo_dec_parse(c->s + st, c->i - st, FO_NUM_PLAIN,
	    FO_DEC_ASIS, d, &e) != FO_OK) {
		c->i = st;
		return 0;
	}
	return 1;
}

static int
tnet(struct tcur *c, struct fo_terms *t)
{
	size_t st = c->i, left = c->n - c->i;

	if (tword(c, "net"))
		tskip(c);
	else if (left >= 2 && strncasecmp(c->s + c->i, "n/", 2) == 0)
		c->i += 2;
	else if (tword(c, "n"))
		tskip(c);
	else if (left >= 3 && strncasecmp(c->s + c->i, "net", 3) == 0)
		c->i += 3;	/* net30 */
	else if (left >= 1 && (c->s[c->i] == 'n' || c->s[c->i] == 'N'))
		c->i += 1;	/* n30 */
	else
		return 0;
	if (!tdays(c, &t->net_days)) {
		c->i = st;
		return 0;
	}
	t->has_net = 1;
	tskip(c);
	(void)tword(c, "days");
	return 1;
}

int
fo_terms_parse(const char *s, size_t n, struct fo_terms *t)
{
	struct tcur c = { s, 0, n };
	size_t st;

	memset(t, 0, sizeof *t);
	tskip(&c);
	if (tword(&c, "due")) {
		tskip(&c);
		if (!tword(&c, "on"))
			return FO_EMPTY;
		tskip(&c);
		if (!tword(&c, "receipt"))
			return FO_EMPTY;
		t->has_net = 1;
		goto end;
	}
	if (tword(&c, "immediate") || tword(&c, "immediately")) {
		t->has_net = 1;
		goto end;
	}
	/* discount: PCT[%] then '/' or spaces, then DAYS */
	st = c.i;
	if (tpct(&c, &t->pct)) {
		int ok = 0;

		if (c.i < c.n && c.s[c.i] == '%')
			c.i++;
		while (c.i < c.n && (c.s[c.i] == ' ' || c.s[c.i] == '\t'))
			c.i++, ok = 1;
		if (c.i < c.n && c.s[c.i] == '/') {
			c.i++;
			ok = 1;
			while (c.i < c.n && c.s[c.i] == ' ')
				c.i++;
		}
		if (ok && tdays(&c, &t->disc_days))
			t->has_discount = 1;
		else {
			c.i = st;
			memset(&t->pct, 0, sizeof t->pct);
		}
	}
	tskip(&c);
	if (!tnet(&c, t) && !t->has_discount)
		return FO_EMPTY;
	tskip(&c);
	if (tword(&c, "eom"))
		t->eom = 1;
end:
	tskip(&c);
	if (c.i != c.n || (t->has_discount && (t->pct.v <= 0 ||
	    fo_dec_cmp(&t->pct, &(struct fo_dec){ 100, 0 }) >= 0))) {
		memset(t, 0, sizeof *t);
		return FO_EMPTY;
	}
	return FO_OK;
}

static int32_t
month_end(int32_t day)
{
	int y, m, d;

	fo_date_to_ymd(day, &y, &m, &d);
	return fo_date_from_ymd(y, m + 1, 1) - 1;
}

/* SAP's days and percents as an export writes them under extra: "10",
 * "010", "2,000", "2.000". A percent below 100 needs no group mark, so
 * a single ',' is its decimal mark. FO_OK, FO_EMPTY (absent or blank),
 * or FO_ERR with *tok the value's token. */
static int
sap_value(const struct fo_rec *r, int obj, const char *key, int pct,
    struct fo_dec *d, int *tok)
{
	static const struct fo_dec hundred = { 100, 0 };
	/* kept across records, so that the hot loop does not allocate;
	 * still reachable at exit (the tools are single-threaded) */
	static struct fo_buf b;
	struct fo_err e;
	char *comma;
	int rc;

	*tok = fo_rec_member(r, obj, key, strlen(key));
	if (*tok < 0 || fo_score_is_null(r, *tok))
		return FO_EMPTY;
	if (fo_rec_str(r, *tok, &b) != FO_OK || fo_buf_cstr(&b) == NULL)
		return FO_ERR;
	if (pct && (comma = strchr(b.p, ',')) != NULL && !strchr(b.p, '.') &&
	    !strchr(comma + 1, ','))
		*comma = '.';
	rc = fo_dec_parse(b.p, b.n, FO_NUM_PLAIN, pct ? FO_DEC_ASIS : 0, d, &e);
	if (rc == FO_OK && (d->v < 0 || (pct ? fo_dec_cmp(d, &hundred) >= 0 :
	    d->v > 36500)))
		rc = FO_ERR;
	return rc;
}

/* SAP's terms in extra, read where they lie in the record: neither the
 * object read again nor a buffer allocated, on every record. */
static int
sap_terms(const struct fo_rec *r, int32_t base, struct fo_paydates *pd,
    struct fo_err *e)
{
	static const char *const keys[] = { "ZBD1T", "ZBD1P", "ZBD2T",
	    "ZBD3T" };
	struct fo_dec v[4];
	int t = fo_rec_find(r, "extra"), has[4], k, tok;

	if (t < 0 || fo_rec_type(r, t) != FO_J_OBJECT)
		return FO_OK;
	for (k = 0; k < 4; k++) {
		has[k] = 0;
		switch (sap_value(r, t, keys[k], k == 1, &v[k], &tok)) {
		case FO_OK:
			has[k] = 1;
			break;
		case FO_EMPTY:
			break;
		default:
			fo_err_msg(e, "extra.%s: %s", keys[k], k == 1 ?
			    "a percent below 100, as 2,000 or 2.000" :
			    "a whole number of days");
			e->col = fo_rec_col(r, tok);
			return FO_ERR;
		}
	}
	/* net days: the last of ZBD3T, ZBD2T, ZBD1T that is set */
	for (k = 3; k >= 0; k--)
		if (k != 1 && has[k] && v[k].v > 0)
			break;
	if (!pd->has_due && k >= 0) {
		pd->has_due = 1;
		pd->due = base + (int32_t)v[k].v;
		pd->due_from = k == 3 ? "ZBD3T" : k == 2 ? "ZBD2T" : "ZBD1T";
	}
	if (!pd->has_discount && has[0] && has[1] && v[1].v > 0) {
		pd->has_discount = 1;
		pd->disc_date = base + (int32_t)v[0].v;
		pd->pct = v[1];
		pd->disc_from = "ZBD1T/ZBD1P";
	}
	return FO_OK;
}

int
fo_rec_paydates(const struct fo_rec *r, struct fo_paydates *pd,
    struct fo_err *e)
{
	static struct fo_buf b;	/* reused: no allocation per record */
	struct fo_terms tm;
	struct fo_dec pct;
	int32_t base, start, dd;
	int rc, hp, hd;

	memset(pd, 0, sizeof *pd);
	if ((rc = fo_get_date(r, "due_date", &pd->due, e)) < 0)
		goto out;
	if (rc == FO_OK) {
		pd->has_due = 1;
		pd->due_from = "due_date";
	}
	if ((hp = fo_get_dec(r, "discount_pct", &pct, e)) < 0 ||
	    (hd = fo_get_date(r, "discount_date", &dd, e)) < 0) {
		rc = FO_ERR;
		goto out;
	}
	if (hp == FO_OK && (pct.v < 0 || fo_dec_cmp(&pct,
	    &(struct fo_dec){ 100, 0 }) >= 0)) {
		fo_err_msg(e, "discount_pct: a percent from 0 to below 100");
		e->col = fo_rec_col(r, fo_rec_find(r, "discount_pct"));
		rc = FO_ERR;
		goto out;
	}
	if (hp == FO_OK && hd == FO_OK) {
		pd->has_discount = 1;
		pd->pct = pct;
		pd->disc_date = dd;
		pd->disc_from = "discount_date";
	}
	rc = FO_OK;
	if (pd->has_due && pd->has_discount)
		goto out;
	if ((rc = fo_get_date(r, "baseline_date", &base, e)) == FO_EMPTY) {
		rc = fo_get_date(r, "doc_date", &base, e);
		pd->base_from = "doc_date";
	} else
		pd->base_from = "baseline_date";
	if (rc != FO_OK)
		goto out;
	pd->has_base = 1;
	pd->base = base;
	if ((rc = fo_get_text(r, "terms", &b, e)) < 0)
		goto out;
	if (rc == FO_OK && fo_terms_parse(b.p, b.n, &tm) == FO_OK) {
		start = tm.eom ? month_end(base) : base;
		if (!pd->has_due && tm.has_net) {
			pd->has_due = 1;
			pd->due = start + tm.net_days;
			pd->due_from = "terms";
		}
		if (!pd->has_discount && tm.has_discount) {
			pd->has_discount = 1;
			pd->disc_date = start + tm.disc_days;
			pd->pct = tm.pct;
			pd->disc_from = "terms";
		}
	}
	rc = FO_OK;
	if (!pd->has_due || !pd->has_discount)
		rc = sap_terms(r, base, pd, e);
out:
	return rc > 0 ? FO_OK : rc;
}
