/*
 * scoring.c - one record scored with the model (score.c): its facts
 * gathered (amount in the base currency with the rates, the vendor from
 * the master, due and discount dates from its terms), the points of each
 * factor with the reason for them, the priority and its band.
 *
 * Money is exact: products are taken in 128 bits and rounded half-even
 * once, to the base currency's minor units.
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
 * Exact money.
 */

static const struct fo_dec one = { 1, 0 };

/* Trailing zeros of the fraction dropped: 2.000 -> 2, for messages. */
static size_t
dec_short(struct fo_dec d, char *buf)
{
	while (d.scale > 0 && d.v % 10 == 0) {
		d.v /= 10;
		d.scale--;
	}
	return fo_dec_fmt(&d, buf);
}

static struct fo_dec
dec_abs(struct fo_dec d)
{
	if (d.v < 0)
		d.v = -d.v;
	return d;
}

static const struct entry *
table_get(const struct table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].name && t->v[i].name[0] == name[0] &&
		    strcmp(t->v[i].name, name) == 0)
			return &t->v[i];
	return NULL;
}

/*
 * Scoring.
 */

static int
money_points(const struct bands *b, const struct fo_dec *v, size_t *which)
{
	size_t i;
	int p = 0;

	for (i = 0; i < b->n && fo_dec_cmp(&b->v[i].min, v) <= 0; i++) {
		p = b->v[i].points;
		*which = i;
	}
	return p;
}

/* What the reasons quote, written without the printf family (they are
 * written on every record), and NULL as printf writes it. */
static void
put_str(struct fo_buf *b, const char *s)
{
	fo_buf_puts(b, s ? s : "(null)");
}

/* pre what " from " from post */
static void
put_from(struct fo_buf *b, const char *pre, const char *what,
    const char *from, const char *post)
{
	fo_buf_puts(b, pre);
	put_str(b, what);
	fo_buf_puts(b, " from ");
	put_str(b, from);
	fo_buf_puts(b, post);
}

static void
put_money(struct fo_buf *b, const struct fo_dec *d, const char *cur)
{
	char buf[FO_DEC_BUFSZ];

	fo_dec_fmt(d, buf);
	fo_buf_puts(b, buf);
	fo_buf_putc(b, ' ');
	put_str(b, cur);
}

static void
put_short(struct fo_buf *b, const struct fo_dec *d)
{
	char buf[FO_DEC_BUFSZ];

	dec_short(*d, buf);
	fo_buf_puts(b, buf);
}

static void
put_days(struct fo_buf *b, long n)
{
	fo_buf_putll(b, n);
	fo_buf_puts(b, n == 1 || n == -1 ? " day" : " days");
}

static void
put_date(struct fo_buf *b, int32_t d)
{
	char buf[16];

	fo_date_fmt(d, buf);
	fo_buf_puts(b, buf);
}

/* What fo-score knows of a record. */
struct facts {
	const char *cls;
	int has_amount;
	struct fo_dec amount, rate, base;	/* base: |amount| converted */
	struct fo_dec amount_base;		/* signed, as written out */
	int norate;		/* an amount, but no rate to the base */
	const char *cur;
	char curbuf[4];
	int credit;				/* doc_type credit_memo */
	struct fo_paydates pd;
	int has_age;
	long age;
	const char *age_from;
	int32_t age_date;
	const char *vendor_id;
	const struct fo_vendor *vendor;
	const char *tier;
	int tier_k;
	const char *tier_from;
	const char *sens;
	int has_dup;
	struct fo_dec dup_score;
	int has_sla;
	int64_t sla_due;
	char sla_what[96];
	const char *iban;
};

static int
gather(struct fo_score *s, const struct fo_rec *r, struct facts *f,
    struct fo_err *e)
{
	struct fo_buf *fb = s->f;
	struct fo_money m;
	int t, rc, held = 1;
	int32_t d;

	/* exception: read by the caller */
	if ((rc = fo_get_money(r, "amount", "currency", &m, e)) < 0)
		return rc;
	if (rc == FO_OK) {
		t = fo_rec_find(r, "amount");
		if (m.cur[0] == '\0') {
			fo_err_msg(e, "amount without a currency");
			e->col = fo_rec_col(r, t);
			return FO_ERR;
		}
		memcpy(f->curbuf, m.cur, sizeof f->curbuf);
		f->cur = f->curbuf;
		f->amount = m.v;
		if (strcmp(f->cur, s->base) == 0)
			f->rate = one;
		else if (fo_rates_get(s->rates, f->cur, &f->rate) != FO_OK) {
			/* missing reference data never drops an exception
			 * from the night: scored with the amount unknown,
			 * said in its reasons, counted for the run */
			f->norate = 1;
			s->norate++;
			goto noamount;
		}
		if (fo_dec_mul(&f->amount, &f->rate, s->minor,
		    &f->amount_base) != FO_OK) {
			fo_err_msg(e, "amount too large in %s", s->base);
			e->col = fo_rec_col(r, t);
			return FO_ERR;
		}
		f->base = dec_abs(f->amount_base);
		f->has_amount = 1;
	}
noamount:
	if ((rc = fo_get_text(r, "doc_type", &fb[2], e)) < 0)
		return rc;
	f->credit = rc == FO_OK && strcmp(fb[2].p, "credit_memo") == 0;
	if (fo_rec_paydates(r, &f->pd, e) != FO_OK)
		return FO_ERR;
	/* age: of the exception, since the hold; else of the document */
	f->age_from = "hold_date";
	if ((rc = fo_get_date(r, "hold_date", &d, e)) == FO_EMPTY) {
		held = 0;
		f->age_from = "doc_date";
		rc = fo_get_date(r, "doc_date", &d, e);
	}
	if (rc < 0)
		return FO_ERR;
	if (rc == FO_OK) {
		f->has_age = 1;
		f->age_date = d;
		f->age = (long)s->as_of - d;
	}
	/* the vendor: the record's tier wins over the vendor master's */
	if ((rc = fo_get_text(r, "vendor_id", &fb[3], e)) < 0)
		return rc;
	if (rc == FO_OK) {
		f->vendor_id = fb[3].p;
		f->vendor = fo_vendors_get(s->vendors, fb[3].p, fb[3].n);
	}
	f->tier_k = TIER_UNKNOWN;
	if ((rc = fo_get_text(r, "vendor_tier", &fb[4], e)) < 0)
		return rc;
	if (rc == FO_OK && (t = fo_score_word_in(fb[4].p, fb[4].n,
	    fo_score_tiers)) >= 0 &&
	    t != TIER_UNKNOWN) {
		f->tier_k = t;
		f->tier_from = "record";
	} else if (f->vendor && f->vendor->tier) {
		f->tier_k = fo_score_lookup(f->vendor->tier, fo_score_tiers);
		f->tier_from = "vendor master";
	}
	if ((rc = fo_get_text(r, "sensitivity", &fb[5], e)) < 0)
		return rc;
	f->sens = rc == FO_OK ? fb[5].p : NULL;
	if ((rc = fo_get_dec(r, "duplicate_score", &f->dup_score, e)) < 0)
		return rc;
	f->has_dup = rc == FO_OK && f->dup_score.v > 0;
	/* the SLA fo-route will give the record, computed as it does; an
	 * SLA whose clock starts at the as-of instant (no hold_date, no
	 * first_seen) cannot have run out by it, so the routes are not
	 * asked for one (most records of a night) */
	if (s->sla && s->sla_points > 0 && (held ||
	    fo_get_date(r, "first_seen", &d, e) != FO_EMPTY)) {
		if ((rc = fo_route_sla(s->sla, r, s->sla_asof, &f->sla_due,
		    f->sla_what, sizeof f->sla_what, e)) < 0)
			return rc;
		f->has_sla = rc == FO_OK;
	}
	if ((rc = fo_get_text(r, "iban", &fb[6], e)) < 0)
		return rc;
	if (rc == FO_OK) {
		char *p = fb[6].p, *q = p;
		size_t i;

		for (i = 0; i < fb[6].n; i++)
			if (p[i] != ' ' && p[i] != '\t')
				*q++ = (char)toupper((unsigned char)p[i]);
		fb[6].n = (size_t)(q - p);
		f->iban = fo_buf_cstr(&fb[6]);
	}
	return FO_OK;
}

/* The points of one factor, and why, into why (nothing for 0). */
static int
factor(struct fo_score *s, int fac, const struct facts *f, struct fo_buf *w)
{
	const struct entry *en;
	struct fo_dec v;
	size_t k = 0;
	long days;
	int p = 0, t;
	const char *c = f->cls;
	char ts[32];

	switch (fac) {
	case F_AMOUNT:
		if (!f->has_amount || (p = money_points(&s->amount, &f->base,
		    &k)) == 0)
			return 0;
		fo_buf_puts(w, "amount: ");
		put_money(w, &f->amount_base, s->base);
		if (strcmp(f->cur, s->base) != 0) {
			fo_buf_puts(w, " (");
			put_money(w, &f->amount, f->cur);
			fo_buf_puts(w, " at ");
			put_short(w, &f->rate);
			fo_buf_puts(w, ")");
		}
		if (f->amount_base.v < 0) {	/* a credit is at stake too */
			fo_buf_puts(w, ", ");
			put_money(w, &f->base, s->base);
			fo_buf_puts(w, " at stake");
		}
		fo_buf_puts(w, ", band from ");
		put_short(w, &s->amount.v[k].min);
		return p;
	case F_VENDOR_TIER:
		if ((p = s->tier[f->tier_k]) == 0)
			return 0;
		fo_buf_puts(w, "vendor_tier: ");
		put_str(w, fo_score_tiers[f->tier_k]);
		if (f->tier_from) {
			fo_buf_puts(w, " (");
			put_str(w, f->tier_from);
			fo_buf_putc(w, ')');
		}
		else if (f->vendor_id == NULL)
			fo_buf_puts(w, " (no vendor_id)");
		else if (s->vendors && f->vendor == NULL)
			fo_buf_puts(w, " (not in the vendor master)");
		return p;
	case F_DUE:
		if (!f->pd.has_due)
			return 0;
		days = (long)f->pd.due - s->as_of;
		for (k = 0; k < s->due.n && days > s->due.v[k].days; k++)
			;
		if (k == s->due.n || (p = s->due.v[k].points) == 0)
			return 0;
		fo_buf_puts(w, "due: ");
		if (days < 0) {
			put_days(w, -days);
			fo_buf_puts(w, " overdue");
		} else if (days == 0)
			fo_buf_puts(w, "due today");
		else {
			fo_buf_puts(w, "due in ");
			put_days(w, days);
		}
		fo_buf_puts(w, ", net due ");
		put_date(w, f->pd.due);
		if (strcmp(f->pd.due_from, "due_date") != 0)
			put_from(w, " (", f->pd.due_from, f->pd.base_from,
			    ")");
		return p;
	case F_DISCOUNT:
		if (!f->has_amount || !f->pd.has_discount || f->credit ||
		    f->pd.pct.v <= 0)
			return 0;
		days = (long)f->pd.disc_date - s->as_of;
		if (days < 0 || days > s->disc_within)
			return 0;
		/* |amount| x rate x pct / 100, rounded once */
		if (fo_dec_mul3(&f->amount, &f->rate, &f->pd.pct, 2, s->minor, &v) !=
		    FO_OK)
			return 0;
		v = dec_abs(v);
		if ((p = money_points(&s->discount, &v, &k)) == 0)
			return 0;
		fo_buf_puts(w, "discount: ");
		put_short(w, &f->pd.pct);
		fo_buf_puts(w, "% = ");
		put_money(w, &v, s->base);
		fo_buf_puts(w, ", last day ");
		put_date(w, f->pd.disc_date);
		if (days == 0)
			fo_buf_puts(w, " (today");
		else {
			fo_buf_puts(w, " (in ");
			put_days(w, days);
		}
		if (strcmp(f->pd.disc_from, "discount_date") != 0)
			put_from(w, "; ", f->pd.disc_from, f->pd.base_from,
			    "");
		fo_buf_putc(w, ')');
		return p;
	case F_AGE:
		if (!f->has_age)
			return 0;
		for (k = s->age.n; k > 0 && f->age < s->age.v[k - 1].days; k--)
			;
		if (k == 0 || (p = s->age.v[k - 1].points) == 0)
			return 0;
		fo_buf_puts(w, "age: ");
		put_days(w, f->age);
		fo_buf_puts(w, " since ");
		put_str(w, f->age_from);
		fo_buf_putc(w, ' ');
		put_date(w, f->age_date);
		return p;
	case F_SLA_RISK:
		/* breached by the as-of instant, as fo-route and fo-age
		 * judge it */
		if (!f->has_sla || s->sla_points == 0 ||
		    s->sla_asof->at <= f->sla_due)
			return 0;
		fo_ts_fmt(f->sla_due, ts);
		fo_buf_puts(w, "sla_risk: SLA due ");
		fo_buf_puts(w, ts);
		fo_buf_puts(w, " (");
		put_str(w, f->sla_what);
		fo_buf_puts(w, "), passed");
		return s->sla_points;
	case F_DUPLICATE:
		if (!f->has_amount || !f->has_dup ||
		    fo_dec_mul3(&f->amount, &f->rate, &f->dup_score, 0, s->minor, &v) !=
		    FO_OK)
			return 0;
		v = dec_abs(v);
		if ((p = money_points(&s->duplicate, &v, &k)) == 0)
			return 0;
		fo_buf_puts(w, "duplicate: ");
		put_short(w, &f->dup_score);
		fo_buf_puts(w, " x ");
		put_money(w, &f->base, s->base);
		fo_buf_puts(w, " = ");
		put_money(w, &v, s->base);
		fo_buf_puts(w, " exposed");
		return p;
	case F_SENSITIVITY:
		if (f->sens == NULL || (t = fo_score_lookup(f->sens,
		    fo_sensitivities)) < 0 ||
		    (p = s->sens[t]) == 0)
			return 0;
		fo_buf_puts(w, "sensitivity: ");
		put_str(w, f->sens);
		return p;
	case F_CLASS:
		if ((en = table_get(&s->cls, c)) != NULL)
			p = en->val;
		else if (s->cls.has_default)
			p = s->cls.def;
		if (p == 0)
			return 0;
		fo_buf_puts(w, "class: ");
		put_str(w, c);
		fo_buf_puts(w, en ? "" : " (default)");
		return p;
	case F_BLOCKED_VENDOR:
		if (f->vendor == NULL || !f->vendor->blocked ||
		    s->blocked_points == 0)
			return 0;
		fo_buf_puts(w, "blocked_vendor: vendor ");
		put_str(w, f->vendor_id);
		fo_buf_puts(w, " is blocked in the vendor master");
		return s->blocked_points;
	case F_BANK_MISMATCH:
		if (f->vendor == NULL || f->vendor->iban == NULL ||
		    f->iban == NULL || strcmp(f->iban, f->vendor->iban) == 0 ||
		    s->bank_points == 0)
			return 0;
		fo_buf_puts(w, "bank_mismatch: iban ending ");
		fo_buf_puts(w, f->iban + (strlen(f->iban) > 4 ?
		    strlen(f->iban) - 4 : 0));
		fo_buf_puts(w, " is not the vendor master's, ending ");
		fo_buf_puts(w, f->vendor->iban + strlen(f->vendor->iban) - 4);
		return s->bank_points;
	}
	return 0;
}

/* The amount factor's reason when no rate reaches the base currency. */
static void
norate_reason(struct fo_score *s, const struct facts *f)
{
	fo_buf_reset(&s->tmp);
	fo_buf_puts(&s->tmp, "amount: unknown, no rate for ");
	fo_buf_puts(&s->tmp, f->cur);
	fo_buf_puts(&s->tmp, " to ");
	fo_buf_puts(&s->tmp, s->base);
	if (s->rates) {
		fo_buf_puts(&s->tmp, " in ");
		fo_buf_puts(&s->tmp, fo_rates_file(s->rates));
	} else
		fo_buf_puts(&s->tmp, " (no --rates)");
	fo_buf_puts(&s->tmp, ": 0 points for the amount");
}

/* The keys of priority_factors with their quotes, colons and commas,
 * written once for every record: "amount":,"vendor_tier": ... */
static void
factor_keys(struct fo_score *s)
{
	size_t i;

	for (i = 0; i < s->nfactor; i++) {
		s->facoff[i] = s->facs.n;
		fo_buf_puts(&s->facs, i ? ",\"" : "\"");
		fo_buf_puts(&s->facs, fo_score_factor_names[s->order[i]]);
		fo_buf_puts(&s->facs, "\":");
	}
	s->facoff[i] = s->facs.n;
}

int
fo_score_rec(struct fo_score *s, const struct fo_rec *r, struct fo_buf *out,
    struct fo_err *e)
{
	struct fo_buf *b = &s->vals, *w = &s->why;
	struct facts f;
	struct fo_kv kv[6];
	size_t off[7], nkv = 0, i, nwhy = 0;
	int t, pts[NFACTOR], total = 0;
	char buf[FO_DEC_BUFSZ];

	fo_err_clear(e);
	memset(&f, 0, sizeof f);
	if ((t = fo_rec_exception(r, &s->f[0], e)) != FO_OK)
		return t;
	f.cls = s->f[0].p;
	if ((t = gather(s, r, &f, e)) != FO_OK)
		return t;

	fo_buf_reset(b);
	fo_buf_reset(w);
	fo_buf_putc(w, '[');
	for (i = 0; i < s->nfactor; i++) {
		fo_buf_reset(&s->tmp);
		pts[i] = factor(s, s->order[i], &f, &s->tmp);
		total += pts[i];
		if (pts[i] == 0 && !(s->order[i] == F_AMOUNT && f.norate))
			continue;
		if (pts[i] == 0)
			norate_reason(s, &f);
		if (nwhy++ > 0)
			fo_buf_putc(w, ',');
		fo_json_str_lossy(w, s->tmp.p, s->tmp.n);
	}
	fo_buf_putc(w, ']');

	off[nkv] = b->n;
	fo_buf_putll(b, total);
	kv[nkv++].key = "priority";
	off[nkv] = b->n;
	fo_buf_puts(b, total >= s->p1 ? "\"P1\"" : total >= s->p2 ?
	    "\"P2\"" : total >= s->p3 ? "\"P3\"" : "\"P4\"");
	kv[nkv++].key = "priority_band";
	off[nkv] = b->n;
	if (s->facs.n == 0)
		factor_keys(s);
	fo_buf_putc(b, '{');
	for (i = 0; i < s->nfactor; i++) {
		fo_buf_put(b, s->facs.p + s->facoff[i], s->facoff[i + 1] -
		    s->facoff[i]);
		fo_buf_putll(b, pts[i]);
	}
	fo_buf_putc(b, '}');
	kv[nkv++].key = "priority_factors";
	off[nkv] = b->n;
	fo_buf_put(b, w->p, w->n);
	kv[nkv++].key = "priority_reasons";
	if (f.has_amount) {
		off[nkv] = b->n;
		fo_buf_put(b, buf, fo_dec_fmt(&f.amount_base, buf));
		kv[nkv++].key = "amount_base";
		off[nkv] = b->n;
		fo_buf_putc(b, '"');
		put_str(b, s->base);
		fo_buf_putc(b, '"');
		kv[nkv++].key = "base_currency";
	} else if (fo_rec_find(r, "amount_base") >= 0 ||
	    fo_rec_find(r, "base_currency") >= 0) {
		/* no amount now: an earlier run's must not stay */
		off[nkv] = b->n;
		fo_buf_puts(b, "null");
		kv[nkv++].key = "amount_base";
		off[nkv] = b->n;
		fo_buf_puts(b, "null");
		kv[nkv++].key = "base_currency";
	}
	off[nkv] = b->n;
	if (b->oom || w->oom || s->facs.oom)
		return FO_ENOMEM;
	for (i = 0; i < nkv; i++) {
		kv[i].val = b->p + off[i];
		kv[i].vlen = off[i + 1] - off[i];
	}
	return fo_rec_write(r, kv, nkv, out);
}
