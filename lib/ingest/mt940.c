/*
 * mt940.c - SWIFT MT940 customer statements. No Debian library reads
 * them: this is a small reader of the tags fo needs. A line that starts
 * ":NN:" or ":NNa:" begins a tag; the lines after it continue it. SWIFT
 * block headers ({1:...}{2:...}{4:), trailers (-} or -) and the lines
 * some banks put around a message (their BIC, "940") are not tags and
 * are passed over. Each :61: with the :86: after it is a bank_line
 * record; each statement, once its entries are out, a record of
 * doc_type statement with its balances (fo-record(5)).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

struct item {			/* a record or a rejected row, queued */
	int r;
	struct fo_err e;
	size_t off, n;		/* in q: the record, or the raw text */
};

struct bal {
	int set;
	char day[11];
	char ccy[4];
	struct fo_dec d;
	long line;
};

struct fo_mt940 {
	const char *name;
	const char *p, *end;	/* what is left to read */
	long lineno;		/* of the last line read */
	/* the tag being gathered */
	char tag[8];
	long tline, tcol;	/* where its value starts */
	struct fo_buf val;	/* its lines, '\n' between them */
	int intag;
	/* the statement */
	int instmt, sbad;	/* sbad: a balance rejected, no record */
	long sline, nline, sentries, nstmt;
	char ref[40], account[64], seq[40];
	struct bal open, close, avail;
	/* the :61: waiting for its :86: */
	int pend;
	long pline, pcol;
	struct fo_buf pval;
	/* what next() gives */
	struct item *q;
	size_t nq, qcap, qhead;
	struct fo_buf qb, raw, tmp;
};

int
fo_mt940_sniff(const void *head, size_t n)
{
	const char *h = head, *end = h + n;
	int t20 = 0;
	size_t k;

	/* tags at the start of lines, :20: first, then :25: or :60F: */
	for (k = 0; h < end && k < 40; k++) {
		const char *nl = memchr(h, '\n', (size_t)(end - h));
		size_t len = (size_t)((nl ? nl : end) - h);

		if (len >= 4 && memcmp(h, ":20:", 4) == 0)
			t20 = 1;
		else if (t20 && len >= 4 && (memcmp(h, ":25:", 4) == 0 ||
		    (len >= 5 && memcmp(h, ":60F:", 5) == 0)))
			return 1;
		else if (len >= 2 && h[0] == ':' && !t20)
			return 0;
		if (nl == NULL)
			break;
		h = nl + 1;
	}
	return 0;
}

int
fo_mt940_open(struct fo_mt940 **mp, const char *data, size_t n,
    const char *name, struct fo_err *e)
{
	struct fo_mt940 *m;

	if ((m = calloc(1, sizeof *m)) == NULL) {
		*mp = NULL;
		fo_err_set(e, name, 0, 0, "out of memory");
		return FO_ENOMEM;
	}
	m->name = name;
	m->p = data;
	m->end = data + n;
	/* a UTF-8 byte order mark is no text */
	if (n >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		m->p += 3;
	*mp = m;
	return FO_OK;
}

void
fo_mt940_close(struct fo_mt940 *m)
{
	if (m == NULL)
		return;
	fo_buf_free(&m->val);
	fo_buf_free(&m->pval);
	fo_buf_free(&m->qb);
	fo_buf_free(&m->raw);
	fo_buf_free(&m->tmp);
	free(m->q);
	free(m);
}

struct fo_span
fo_mt940_raw(const struct fo_mt940 *m)
{
	struct fo_span s = { m->raw.p ? m->raw.p : "", m->raw.n };

	return s;
}

static struct item *
push(struct fo_mt940 *m, int r)
{
	struct item *it;

	if (m->nq == m->qcap) {
		size_t cap = m->qcap ? m->qcap * 2 : 8;

		if ((it = realloc(m->q, cap * sizeof *it)) == NULL)
			return NULL;
		m->q = it;
		m->qcap = cap;
	}
	it = &m->q[m->nq++];
	memset(it, 0, sizeof *it);
	it->r = r;
	it->off = m->qb.n;
	return it;
}

/* A rejected row: where, why, and its text. */
static int
reject(struct fo_mt940 *m, long line, long col, const char *raw,
    size_t rawn, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int
reject(struct fo_mt940 *m, long line, long col, const char *raw,
    size_t rawn, const char *fmt, ...)
{
	struct item *it;
	va_list ap;

	if ((it = push(m, FO_ERR)) == NULL)
		return FO_ENOMEM;
	fo_err_set(&it->e, m->name, line, col, "%s", "");
	va_start(ap, fmt);
	vsnprintf(it->e.msg, sizeof it->e.msg, fmt, ap);
	va_end(ap);
	fo_utf8_scrub(it->e.msg);
	fo_buf_put(&m->qb, raw, rawn);
	it->n = m->qb.n - it->off;
	return m->qb.oom ? FO_ENOMEM : FO_OK;
}

/* YYMMDD: 70-99 are 19xx, 00-69 20xx. */
static int
yymmdd(const char *s, int *y, int *mo, int *d)
{
	int i;

	for (i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	*y = (s[0] - '0') * 10 + (s[1] - '0');
	*y += *y >= 70 ? 1900 : 2000;
	*mo = (s[2] - '0') * 10 + (s[3] - '0');
	*d = (s[4] - '0') * 10 + (s[5] - '0');
	return fo_date_valid(*y, *mo, *d) ? 0 : -1;
}

static void
ymd_fmt(int y, int mo, int d, char out[11])
{
	fo_date_fmt(fo_date_from_ymd(y, mo, d), out);
}

/* An amount with a decimal comma, at most the currency's decimals:
 * its length in s, or -1 (*bad: the offset of the fault). */
static int
amount(const char *s, size_t n, const char *ccy, struct fo_dec *d,
    size_t *bad)
{
	char buf[40];
	size_t i, k = 0;
	int comma = 0, minor;
	struct fo_err e;

	for (i = 0; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ',');
	    i++) {
		if (s[i] == ',' && comma++) {
			*bad = i;
			return -1;
		}
		if (k + 1 >= sizeof buf) {
			*bad = i;
			return -1;
		}
		buf[k++] = s[i] == ',' ? '.' : s[i];
	}
	if (i == 0 || !comma || s[0] == ',') {
		*bad = i == 0 || s[0] == ',' ? 0 : i;
		return -1;
	}
	if (buf[k - 1] == '.')
		k--;			/* "300," is 300 */
	if ((minor = fo_currency_minor(ccy, 3)) < 0 ||
	    fo_dec_parse(buf, k, FO_NUM_PLAIN, minor, d, &e) != FO_OK) {
		*bad = 0;
		return -1;
	}
	return (int)i;
}

/* :60F: C YYMMDD CCY amount */
static int
balance(struct fo_mt940 *m, struct bal *b, struct fo_err *e)
{
	const char *s = m->val.p;
	size_t n = m->val.n, bad;
	int y, mo, d, len;

	if (n < 1 || (s[0] != 'C' && s[0] != 'D')) {
		fo_err_set(e, m->name, m->tline, m->tcol, ":%s: balance "
		    "without its mark C or D", m->tag);
		return FO_ERR;
	}
	if (n < 7 || yymmdd(s + 1, &y, &mo, &d) != 0) {
		fo_err_set(e, m->name, m->tline, m->tcol + 1, ":%s: no date "
		    "YYMMDD after the mark", m->tag);
		return FO_ERR;
	}
	if (n < 10 || fo_currency_minor(s + 7, 3) < 0) {
		fo_err_set(e, m->name, m->tline, m->tcol + 7, ":%s: no "
		    "currency code after the date", m->tag);
		return FO_ERR;
	}
	memcpy(b->ccy, s + 7, 3);
	b->ccy[3] = '\0';
	if ((len = amount(s + 10, n - 10, b->ccy, &b->d, &bad)) < 0 ||
	    (size_t)len + 10 != n) {
		fo_err_set(e, m->name, m->tline, m->tcol + 10 +
		    (long)(len < 0 ? bad : (size_t)len), ":%s: not an amount "
		    "of %s with a decimal comma", m->tag, b->ccy);
		return FO_ERR;
	}
	if (s[0] == 'D')
		b->d.v = -b->d.v;
	ymd_fmt(y, mo, d, b->day);
	b->line = m->tline;
	b->set = 1;
	return FO_OK;
}

static void
put(struct fo_obj *o, const char *key, const char *v, size_t n)
{
	if (v == NULL || n == 0)
		return;
	fo_obj_key(o, key);
	fo_json_str_lossy(o->b, v, n);
}

static void
puts0(struct fo_obj *o, const char *key, const char *v)
{
	put(o, key, v, v ? strlen(v) : 0);
}

static void
put_head(struct fo_mt940 *m, struct fo_obj *o, long n, long line,
    const char *type)
{
	size_t sid;

	fo_buf_reset(&m->tmp);
	fo_buf_printf(&m->tmp, "mt940:%s:%s", m->account, m->seq);
	/* the statement's own id, which its lines name (fo-record.5): :20:
	 * alone is no name, many banks write one text in every statement */
	sid = m->tmp.n;
	if (n > 0)
		fo_buf_printf(&m->tmp, ":%ld", n);
	put(o, "id", m->tmp.p, m->tmp.n);
	puts0(o, "source", "mt940");
	puts0(o, "source_file", m->name);
	fo_obj_long(o, "source_line", line);
	puts0(o, "doc_type", type);
	puts0(o, "account", m->account);
	put(o, "statement_id", m->tmp.p, sid);
	puts0(o, "statement_ref", m->ref);
	puts0(o, "statement_seq", m->seq);
}

static void
put_bal(struct fo_obj *o, const char *key, const char *dkey,
    const struct bal *b)
{
	char num[FO_DEC_BUFSZ];

	if (!b->set)
		return;
	fo_dec_fmt(&b->d, num);
	fo_obj_raw(o, key, num);
	puts0(o, dkey, b->day);
}

/* The statement's record, after its entries. */
static int
stmt_end(struct fo_mt940 *m)
{
	struct item *it;
	struct fo_obj o;

	if (!m->instmt)
		return FO_OK;
	m->instmt = 0;
	if (m->sbad)
		return FO_OK;
	if (m->open.set && m->close.set && strcmp(m->open.ccy, m->close.ccy))
		return reject(m, m->close.line, 0, "", 0, "statement: "
		    "opening balance in %s, closing balance in %s",
		    m->open.ccy, m->close.ccy);
	if ((it = push(m, FO_OK)) == NULL)
		return FO_ENOMEM;
	fo_obj_begin(&o, &m->qb);
	put_head(m, &o, 0, m->sline, "statement");
	puts0(&o, "currency", m->open.set ? m->open.ccy : m->close.set ?
	    m->close.ccy : NULL);
	put_bal(&o, "opening_balance", "opening_date", &m->open);
	put_bal(&o, "closing_balance", "closing_date", &m->close);
	put_bal(&o, "available_balance", "available_date", &m->avail);
	fo_obj_long(&o, "entries", m->sentries);
	fo_obj_end(&o);
	fo_buf_putc(&m->qb, '\n');
	it->n = m->qb.n - it->off;
	return m->qb.oom ? FO_ENOMEM : FO_OK;
}

/* One SEPA item of a German :86: (EREF+, SVWZ+, ...): its value. */
static const char *
sepa_item(const char *s, size_t n, const char *key, size_t *len)
{
	const char *p, *q, *end = s + n;
	size_t i;

	for (p = s; p + 5 <= end; p++) {
		if (memcmp(p, key, 5) != 0 || (p > s && p[-1] != '\x01'))
			continue;
		p += 5;
		/* to the next subfield that starts an item: ABCD+ or ABCD: */
		for (q = p; q < end; q++) {
			if (*q != '\x01' || q + 5 >= end)
				continue;
			for (i = 1; i <= 4; i++)
				if (q[i] < 'A' || q[i] > 'Z')
					break;
			if (i == 5 && (q[5] == '+' || q[5] == ':'))
				break;
		}
		*len = (size_t)(q - p);
		return p;
	}
	return NULL;
}

/* Drop the subfield marks (0x01) kept between ?2x subfields. */
static void
put_joined(struct fo_obj *o, struct fo_buf *tmp, const char *key,
    const char *s, size_t n)
{
	size_t i;

	fo_buf_reset(tmp);
	for (i = 0; i < n; i++)
		if (s[i] != '\x01')
			fo_buf_putc(tmp, s[i]);
	put(o, key, tmp->p, tmp->n);
}

/* The :61: waiting, with the :86: in m->val if it has one. */
static int
line_end(struct fo_mt940 *m, int with86)
{
	const char *s = m->pval.p, *p, *end = s + m->pval.n, *nl;
	const char *cref = NULL, *bref = NULL, *supp = NULL;
	size_t crefn = 0, brefn = 0, suppn = 0, bad = 0;
	struct item *it;
	struct fo_obj o, x;
	struct fo_dec d;
	char vday[11], bday[11], num[FO_DEC_BUFSZ], mark[3] = "", fund = 0;
	char ttype[5] = "";
	int y, mo, dd, ey, emo, edd, len, neg;
	struct fo_buf *sub = &m->tmp;
	const char *info = with86 ? m->val.p : NULL;
	size_t infon = with86 ? m->val.n : 0;
	/* German structured :86: subfields */
	const char *gvc = NULL, *f00 = NULL, *f30 = NULL, *f31 = NULL;
	size_t f00n = 0, f30n = 0, f31n = 0;
	struct fo_buf rem = {0}, name = {0}, f34 = {0}, flat = {0};
	int r;

	m->pend = 0;
	m->sentries++;
	m->nline++;
	nl = memchr(s, '\n', m->pval.n);
	if (nl) {
		supp = nl + 1;
		suppn = (size_t)(end - supp);
		end = nl;
	}
#define BAD(off, ...) do { \
	r = reject(m, m->pline, m->pcol + (long)(off), m->pval.p, \
	    m->pval.n, __VA_ARGS__); \
	goto out; \
} while (0)
	if (end - s < 6 || yymmdd(s, &y, &mo, &dd) != 0)
		BAD(0, ":61: no value date YYMMDD");
	p = s + 6;
	ey = y, emo = mo, edd = dd;
	if (end - p >= 4 && p[0] >= '0' && p[0] <= '9') {
		emo = (p[0] - '0') * 10 + (p[1] - '0');
		edd = (p[2] - '0') * 10 + (p[3] - '0');
		if (p[1] < '0' || p[1] > '9' || p[2] < '0' || p[2] > '9' ||
		    p[3] < '0' || p[3] > '9')
			BAD(6, ":61: entry date MMDD is not four digits");
		/* the entry date's year is the value date's, but for a
		 * value date in December booked in January, or back */
		if (mo == 12 && emo == 1)
			ey = y + 1;
		else if (mo == 1 && emo == 12)
			ey = y - 1;
		if (!fo_date_valid(ey, emo, edd))
			BAD(6, ":61: entry date %02d%02d is no date in %d",
			    emo, edd, ey);
		p += 4;
	}
	if (end - p >= 2 && p[0] == 'R' && (p[1] == 'C' || p[1] == 'D')) {
		mark[0] = 'R', mark[1] = p[1];
		neg = p[1] == 'C';	/* a credit reversed is a debit */
		p += 2;
	} else if (end - p >= 1 && (p[0] == 'C' || p[0] == 'D')) {
		mark[0] = p[0];
		neg = p[0] == 'D';
		p++;
	} else
		BAD(p - s, ":61: no mark C, D, RC or RD after the date");
	if (p < end && p[0] >= 'A' && p[0] <= 'Z')
		fund = *p++;		/* funds code: currency's third letter */
	if (!m->open.set)
		BAD(p - s, ":61: no currency: the statement has no opening "
		    "balance :60F: or :60M: before it");
	if ((len = amount(p, (size_t)(end - p), m->open.ccy, &d, &bad)) < 0)
		BAD(p - s + (long)bad, ":61: not an amount of %s with a decimal "
		    "comma", m->open.ccy);
	if (neg)
		d.v = -d.v;
	p += len;
	if (end - p < 4 || (p[0] != 'N' && p[0] != 'F' && p[0] != 'S'))
		BAD(p - s, ":61: no transaction type (N, F or S and three "
		    "characters) after the amount");
	memcpy(ttype, p, 4);
	p += 4;
	cref = p;
	for (; p < end && !(p + 1 < end && p[0] == '/' && p[1] == '/'); p++)
		;
	crefn = (size_t)(p - cref);
	if (p < end) {
		bref = p + 2;
		brefn = (size_t)(end - bref);
		while (brefn > 0 && bref[brefn - 1] == ' ')
			brefn--;
	}
	while (crefn > 0 && cref[crefn - 1] == ' ')
		crefn--;
	ymd_fmt(y, mo, dd, vday);
	ymd_fmt(ey, emo, edd, bday);

	/* :86: in the German structured form: GVC code, then ?NN fields */
	if (infon >= 1 && (info[0] == '?' || (infon >= 4 &&
	    info[0] >= '0' && info[0] <= '9' && info[3] == '?'))) {
		const char *q, *qe, *v;
		size_t i;
		int code;

		/* lines break anywhere, even inside a ?NN mark */
		for (i = 0; i < infon; i++)
			if (info[i] != '\n')
				fo_buf_putc(&flat, info[i]);
		if (flat.oom) {
			r = FO_ENOMEM;
			goto out;
		}
		info = flat.p;
		infon = flat.n;
		q = info;
		qe = info + infon;
		if (info[0] != '?') {
			gvc = info;
			q += 3;
		}
		while (q < qe) {
			if (*q != '?' || qe - q < 3 || q[1] < '0' ||
			    q[1] > '9' || q[2] < '0' || q[2] > '9') {
				q++;
				continue;
			}
			code = (q[1] - '0') * 10 + (q[2] - '0');
			v = q + 3;
			for (q = v; q < qe && !(*q == '?' && qe - q >= 3 &&
			    q[1] >= '0' && q[1] <= '9' && q[2] >= '0' &&
			    q[2] <= '9'); q++)
				;
			if (code == 0)
				f00 = v, f00n = (size_t)(q - v);
			else if (code == 30)
				f30 = v, f30n = (size_t)(q - v);
			else if (code == 31)
				f31 = v, f31n = (size_t)(q - v);
			else if (code == 32 || code == 33)
				fo_buf_put(&name, v, (size_t)(q - v));
			else if (code == 34)
				fo_buf_put(&f34, v, (size_t)(q - v));
			else if ((code >= 20 && code <= 29) ||
			    (code >= 60 && code <= 63)) {
				fo_buf_putc(&rem, '\x01');
				fo_buf_put(&rem, v, (size_t)(q - v));
			}
		}
	}
	if ((it = push(m, FO_OK)) == NULL) {
		r = FO_ENOMEM;
		goto out;
	}
	fo_obj_begin(&o, &m->qb);
	put_head(m, &o, m->nline, m->pline, "bank_line");
	puts0(&o, "posting_date", bday);
	puts0(&o, "value_date", vday);
	puts0(&o, "currency", m->open.ccy);
	fo_dec_fmt(&d, num);
	fo_obj_raw(&o, "amount", num);
	if (rem.n > 0) {
		const char *v;
		size_t vn;

		if ((v = sepa_item(rem.p, rem.n, "EREF+", &vn)) != NULL &&
		    !(vn == 11 && memcmp(v, "NOTPROVIDED", 11) == 0))
			put_joined(&o, sub, "end_to_end_id", v, vn);
	}
	if (brefn > 0)
		put(&o, "reference", bref, brefn);
	else if (crefn > 0 && !(crefn == 6 && memcmp(cref, "NONREF", 6) == 0))
		put(&o, "reference", cref, crefn);
	put(&o, "counterparty", name.p, name.n);
	put(&o, "iban", f31, f31n);
	if (rem.n > 0) {
		const char *v;
		size_t vn;

		if ((v = sepa_item(rem.p, rem.n, "SVWZ+", &vn)) == NULL)
			v = rem.p, vn = rem.n;
		put_joined(&o, sub, "remittance", v, vn);
	} else if (infon > 0 && gvc == NULL && f00 == NULL) {
		/* free text: its lines joined by a space */
		size_t i;

		fo_buf_reset(sub);
		for (i = 0; i < infon; i++)
			fo_buf_putc(sub, info[i] == '\n' ? ' ' : info[i]);
		put(&o, "remittance", sub->p, sub->n);
	}
	fo_obj_key(&o, "extra");
	fo_obj_begin(&x, &m->qb);
	puts0(&x, "mark", mark);
	if (fund)
		put(&x, "funds_code", &fund, 1);
	puts0(&x, "transaction_type", ttype);
	put(&x, "customer_reference", cref, crefn);
	put(&x, "bank_reference", bref, brefn);
	put(&x, "supplementary", supp, suppn);
	put(&x, "gvc", gvc, gvc ? 3 : 0);
	put(&x, "booking_text", f00, f00n);
	put(&x, "bic", f30, f30n);
	put(&x, "return_code", f34.p, f34.n);
	fo_obj_end(&x);
	fo_obj_end(&o);
	fo_buf_putc(&m->qb, '\n');
	it->n = m->qb.n - it->off;
	r = m->qb.oom || rem.oom || name.oom || f34.oom ? FO_ENOMEM : FO_OK;
out:
	fo_buf_free(&rem);
	fo_buf_free(&name);
	fo_buf_free(&f34);
	fo_buf_free(&flat);
	return r;
#undef BAD
}

static void
copy(char *dst, size_t cap, const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 1 < cap; i++)
		dst[k++] = s[i] == '\n' ? ' ' : s[i];
	dst[k] = '\0';
}

/* A tag is complete: take it in. */
static int
tag_end(struct fo_mt940 *m)
{
	struct fo_err e;
	int r = FO_OK, is86 = strcmp(m->tag, "86") == 0;
	struct bal *b = NULL;

	m->intag = 0;
	if (m->pend && (r = line_end(m, is86)) != FO_OK)
		return r;
	if (is86)
		return FO_OK;	/* after a :61:, or the statement's own */
	if (strcmp(m->tag, "20") == 0) {
		if ((r = stmt_end(m)) != FO_OK)
			return r;
		m->instmt = 1;
		m->sbad = 0;
		m->nstmt++;
		m->sline = m->tline;
		m->nline = m->sentries = 0;
		m->account[0] = m->seq[0] = '\0';
		memset(&m->open, 0, sizeof m->open);
		memset(&m->close, 0, sizeof m->close);
		memset(&m->avail, 0, sizeof m->avail);
		copy(m->ref, sizeof m->ref, m->val.p, m->val.n);
		return FO_OK;
	}
	if (!m->instmt)
		return reject(m, m->tline, 1, m->val.p, m->val.n, ":%s: "
		    "before the statement's :20:", m->tag);
	if (strcmp(m->tag, "25") == 0)
		copy(m->account, sizeof m->account, m->val.p, m->val.n);
	else if (strcmp(m->tag, "28C") == 0 || strcmp(m->tag, "28") == 0)
		copy(m->seq, sizeof m->seq, m->val.p, m->val.n);
	else if (strcmp(m->tag, "60F") == 0 || strcmp(m->tag, "60M") == 0)
		b = &m->open;
	else if (strcmp(m->tag, "62F") == 0 || strcmp(m->tag, "62M") == 0)
		b = &m->close;
	else if (strcmp(m->tag, "64") == 0)
		b = &m->avail;
	else if (strcmp(m->tag, "61") == 0) {
		fo_buf_reset(&m->pval);
		fo_buf_put(&m->pval, m->val.p, m->val.n);
		m->pend = 1;
		m->pline = m->tline;
		m->pcol = m->tcol;
	} else if (strcmp(m->tag, "21") && strcmp(m->tag, "13") &&
	    strcmp(m->tag, "13D") && strcmp(m->tag, "34F") &&
	    strcmp(m->tag, "65") && strcmp(m->tag, "90D") &&
	    strcmp(m->tag, "90C"))
		return reject(m, m->tline, 1, m->val.p, m->val.n, ":%s: not "
		    "a tag of an MT940 statement", m->tag);
	if (b && balance(m, b, &e) != FO_OK) {
		struct item *it;

		/* a statement without a good balance cannot be checked:
		 * its record is rejected, its lines still read */
		if ((it = push(m, FO_ERR)) == NULL)
			return FO_ENOMEM;
		it->e = e;
		fo_buf_put(&m->qb, m->val.p, m->val.n);
		it->n = m->qb.n - it->off;
		if (b == &m->open || b == &m->close)
			m->sbad = 1;	/* no statement record after all */
	}
	return m->qb.oom || m->pval.oom ? FO_ENOMEM : FO_OK;
}

/* Read lines until something is queued or the input ends. */
static int
fill(struct fo_mt940 *m)
{
	const char *nl, *s;
	size_t n, k;
	int r;

	while (m->qhead == m->nq) {
		m->nq = m->qhead = 0;
		fo_buf_reset(&m->qb);
		if (m->p >= m->end) {
			if (m->intag && (r = tag_end(m)) != FO_OK)
				return r;
			if (m->pend && (r = line_end(m, 0)) != FO_OK)
				return r;
			if ((r = stmt_end(m)) != FO_OK)
				return r;
			return m->nq ? FO_OK : FO_EMPTY;
		}
		s = m->p;
		nl = memchr(s, '\n', (size_t)(m->end - s));
		n = (size_t)((nl ? nl : m->end) - s);
		m->p = nl ? nl + 1 : m->end;
		m->lineno++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		/* a tag: ":NN:" or ":NNa:" */
		for (k = 1; k < n && k < 6 && s[k] != ':'; k++)
			;
		if (n >= 4 && s[0] == ':' && k < n && s[k] == ':' && k >= 3 &&
		    s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' &&
		    (k == 3 || (k == 4 && s[3] >= 'A' && s[3] <= 'Z'))) {
			if (m->intag && (r = tag_end(m)) != FO_OK)
				return r;
			memcpy(m->tag, s + 1, k - 1);
			m->tag[k - 1] = '\0';
			m->intag = 1;
			m->tline = m->lineno;
			m->tcol = (long)k + 2;
			fo_buf_reset(&m->val);
			fo_buf_put(&m->val, s + k + 1, n - k - 1);
			continue;
		}
		if (n == 0)
			continue;	/* blank lines part nothing */
		if (s[0] == '-' || s[0] == '{' || (n >= 2 && s[0] == '}')) {
			/* a message ends (- or -}) or SWIFT blocks begin */
			if (m->intag && (r = tag_end(m)) != FO_OK)
				return r;
			if (s[0] == '-' && (r = stmt_end(m)) != FO_OK)
				return r;
			continue;
		}
		if (m->intag) {
			fo_buf_putc(&m->val, '\n');
			fo_buf_put(&m->val, s, n);
			if (m->val.oom)
				return FO_ENOMEM;
		}
		/* else a bank's line around a message: not a tag */
	}
	return FO_OK;
}

int
fo_mt940_next(struct fo_mt940 *m, struct fo_buf *out, struct fo_err *e)
{
	struct item *it;
	int r;

	fo_err_clear(e);
	if ((r = fill(m)) != FO_OK) {
		if (r == FO_ENOMEM)
			fo_err_set(e, m->name, m->lineno, 0, "out of memory");
		return r;
	}
	it = &m->q[m->qhead++];
	fo_buf_reset(&m->raw);
	if (it->r == FO_ERR) {
		*e = it->e;
		fo_buf_put(&m->raw, m->qb.p + it->off, it->n);
		return m->raw.oom ? FO_ENOMEM : FO_ERR;
	}
	fo_buf_put(out, m->qb.p + it->off, it->n);
	return out->oom ? FO_ENOMEM : FO_OK;
}
