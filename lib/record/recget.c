/*
 * recget.c - the one reader of a record's canonical fields
 * (fo-record.5, VERDICTS). Every stage reads a field it relies on
 * through these, so that one value gets one verdict, and one message,
 * in every stage: a stage never guesses what a wrongly typed value
 * meant, and never reads past one that another stage would refuse.
 */
#include <string.h>

#include "fo.h"

#define SHOWN 40		/* bytes of a bad value quoted in a message */

/* "KEY 'text': why" for a string, "KEY value: why" for anything else,
 * at the value's column. */
static int
bad(const struct fo_rec *r, int t, const char *key, const char *why,
    struct fo_err *e)
{
	struct fo_span s = fo_rec_span(r, t);
	int str = fo_rec_type(r, t) == FO_J_STRING;

	fo_err_msg(e, "%s %s%.*s%s: %s", key, str ? "'" : "",
	    (int)(s.n > SHOWN ? SHOWN : s.n), s.p, str ? "'" : "", why);
	e->col = fo_rec_col(r, t);
	return FO_ERR;
}

/* The value token of key, or -1 when it is absent or null. */
static int
value(const struct fo_rec *r, const char *key)
{
	return fo_rec_value(r, key);
}

/* The same for a key that may have a number (fid >= 0): then found
 * among the record's numbered fields (fo_rec_field). */
static int
value_f(const struct fo_rec *r, const char *key, int fid)
{
	return fid < 0 ? fo_rec_value(r, key) : fo_rec_field_value(r, fid);
}

void
fo_key_init(struct fo_key *k, const char *name)
{
	k->name = name;
	k->fid = fo_field_id(name, strlen(name));
}

int
fo_key_find(const struct fo_rec *r, const struct fo_key *k)
{
	return k->fid >= 0 ? fo_rec_field(r, k->fid) : fo_rec_find(r, k->name);
}

static int
get_text(const struct fo_rec *r, const char *key, int fid, struct fo_buf *b,
    struct fo_err *e)
{
	int t = value_f(r, key, fid);

	fo_buf_reset(b);
	if (t < 0)
		return FO_EMPTY;
	if (fo_rec_type(r, t) != FO_J_STRING)
		return bad(r, t, key, "not a string", e);
	if (fo_rec_str(r, t, b) != FO_OK || fo_buf_cstr(b) == NULL)
		return FO_ENOMEM;
	return b->n > 0 ? FO_OK : FO_EMPTY;
}

int
fo_get_text(const struct fo_rec *r, const char *key, struct fo_buf *b,
    struct fo_err *e)
{
	return get_text(r, key, -1, b, e);
}

int
fo_get_text_k(const struct fo_rec *r, const struct fo_key *k,
    struct fo_buf *b, struct fo_err *e)
{
	return get_text(r, k->name, k->fid, b, e);
}

/* A short string's decoded text: where it lies in the line when it has
 * no escape (most), else decoded into buf (cap bytes); *n its length, or
 * -1 when it is longer than any value of the kind asked for. */
static const char *
short_str(const struct fo_rec *r, int t, char *buf, size_t cap, long *n)
{
	struct fo_span s = fo_rec_span(r, t);

	if (s.n >= cap) {
		*n = -1;
		return buf;
	}
	if (!fo_rec_esc(r, t)) {
		*n = (long)s.n;
		return s.p;
	}
	*n = (long)fo_json_unescape(s.p, s.n, buf);
	return buf;
}

static int
get_date(const struct fo_rec *r, const char *key, int fid, int32_t *days,
    struct fo_err *e)
{
	struct fo_err de;
	char buf[64];
	const char *s;
	long n;
	int t = value_f(r, key, fid);

	if (t < 0)
		return FO_EMPTY;
	if (fo_rec_type(r, t) != FO_J_STRING)
		return bad(r, t, key, "not a date, YYYY-MM-DD", e);
	s = short_str(r, t, buf, sizeof buf, &n);
	if (n == 0)
		return FO_EMPTY;
	/* exactly YYYY-MM-DD: a time after it is a timestamp, not a date */
	if (n != 10 || s[4] != '-' || s[7] != '-' ||
	    fo_date_parse(s, 10, FO_DATE_ISO, days, &de) != FO_OK)
		return bad(r, t, key, "not a date, YYYY-MM-DD", e);
	return FO_OK;
}

int
fo_get_date(const struct fo_rec *r, const char *key, int32_t *days,
    struct fo_err *e)
{
	return get_date(r, key, -1, days, e);
}

int
fo_get_date_k(const struct fo_rec *r, const struct fo_key *k, int32_t *days,
    struct fo_err *e)
{
	return get_date(r, k->name, k->fid, days, e);
}

int
fo_get_ts(const struct fo_rec *r, const char *key, int64_t *secs,
    struct fo_err *e)
{
	static const char why[] = "not a timestamp, YYYY-MM-DDTHH:MM:SSZ";
	struct fo_err de;
	char buf[64];
	const char *s;
	long n;
	int t = value(r, key);

	if (t < 0)
		return FO_EMPTY;
	if (fo_rec_type(r, t) != FO_J_STRING)
		return bad(r, t, key, why, e);
	s = short_str(r, t, buf, sizeof buf, &n);
	if (n == 0)
		return FO_EMPTY;
	if (n < 0 || n < 16 || s[10] != 'T' ||
	    fo_ts_parse(s, (size_t)n, secs, &de) != FO_OK)
		return bad(r, t, key, why, e);
	return FO_OK;
}

/* A JSON number at the scale given (or as written), exactly. */
static int
number(const struct fo_rec *r, int t, const char *key, int scale,
    struct fo_dec *d, struct fo_err *e)
{
	struct fo_span s = fo_rec_span(r, t);
	struct fo_err de;
	long col;

	if (fo_rec_type(r, t) != FO_J_PRIMITIVE || s.n == 0 ||
	    (s.p[0] != '-' && (s.p[0] < '0' || s.p[0] > '9')))
		return bad(r, t, key, "not a number", e);
	if (memchr(s.p, 'e', s.n) || memchr(s.p, 'E', s.n))
		return bad(r, t, key, "not a plain decimal (an exponent)", e);
	fo_err_clear(&de);
	if (fo_dec_parse(s.p, s.n, FO_NUM_PLAIN, scale, d, &de) != FO_OK) {
		col = fo_rec_col(r, t) + (de.col > 1 ? de.col - 1 : 0);
		bad(r, t, key, de.msg, e);
		e->col = col;
		return FO_ERR;
	}
	return FO_OK;
}

int
fo_get_dec(const struct fo_rec *r, const char *key, struct fo_dec *d,
    struct fo_err *e)
{
	int t = value(r, key);

	if (t < 0)
		return FO_EMPTY;
	return number(r, t, key, FO_DEC_ASIS, d, e);
}

static int
get_money(const struct fo_rec *r, const char *key, int fid,
    const char *curkey, int curfid, struct fo_money *m, struct fo_err *e)
{
	char code[64];
	const char *text;
	long n;
	int t = value_f(r, curkey, curfid), minor = FO_MONEY_NOCUR_SCALE;

	memset(m, 0, sizeof *m);
	if (t >= 0) {
		if (fo_rec_type(r, t) != FO_J_STRING)
			return bad(r, t, curkey, "not a string", e);
		text = short_str(r, t, code, sizeof code, &n);
		if (n != 0 && (n != 3 ||
		    (minor = fo_currency_minor(text, 3)) < 0))
			return bad(r, t, curkey, "not an ISO 4217 currency code",
			    e);
		if (n == 3)
			memcpy(m->cur, text, 3);
	}
	if ((t = value_f(r, key, fid)) < 0)
		return FO_EMPTY;
	if (m->cur[0] == '\0')
		minor = FO_MONEY_NOCUR_SCALE;
	return number(r, t, key, minor, &m->v, e);
}

int
fo_get_money(const struct fo_rec *r, const char *key, const char *curkey,
    struct fo_money *m, struct fo_err *e)
{
	return get_money(r, key, -1, curkey, -1, m, e);
}

int
fo_get_money_k(const struct fo_rec *r, const struct fo_key *k,
    const struct fo_key *cur, struct fo_money *m, struct fo_err *e)
{
	return get_money(r, k->name, k->fid, cur->name, cur->fid, m, e);
}

int
fo_get_bool(const struct fo_rec *r, const char *key, int *v,
    struct fo_err *e)
{
	struct fo_span s;
	int t = value(r, key);

	if (t < 0)
		return FO_EMPTY;
	s = fo_rec_span(r, t);
	if (fo_rec_type(r, t) == FO_J_PRIMITIVE && s.n == 4 &&
	    memcmp(s.p, "true", 4) == 0)
		*v = 1;
	else if (fo_rec_type(r, t) == FO_J_PRIMITIVE && s.n == 5 &&
	    memcmp(s.p, "false", 5) == 0)
		*v = 0;
	else
		return bad(r, t, key, "not true or false", e);
	return FO_OK;
}

int
fo_get_texts(const struct fo_rec *r, const char *key, int *tok,
    struct fo_err *e)
{
	int t = value(r, key), k, i, n;

	if (t < 0)
		return FO_EMPTY;
	if (fo_rec_type(r, t) != FO_J_ARRAY)
		return bad(r, t, key, "not an array of strings", e);
	n = fo_rec_size(r, t);
	for (i = 0, k = t + 1; i < n; i++, k = fo_rec_next(r, k))
		if (fo_rec_type(r, k) != FO_J_STRING)
			return bad(r, t, key, "not an array of strings", e);
	*tok = t;
	return FO_OK;
}

int
fo_rec_exception(const struct fo_rec *r, struct fo_buf *cls,
    struct fo_err *e)
{
	int t = value(r, "exception");

	if (cls)
		fo_buf_reset(cls);
	if (t < 0)
		return FO_EMPTY;
	if (fo_rec_type(r, t) != FO_J_STRING || fo_rec_span(r, t).n == 0)
		return bad(r, t, "exception", "not a class name or null", e);
	if (cls && (fo_rec_str(r, t, cls) != FO_OK ||
	    fo_buf_cstr(cls) == NULL))
		return FO_ENOMEM;
	return FO_OK;
}
