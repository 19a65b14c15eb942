/*
 * dec.c - exact decimals: value = v / 10^scale, v an int64_t.
 *
 * No floating point anywhere: money read from a file is read digit by
 * digit, and every operation is exact or fails. Wider intermediates use
 * __int128. A valid v lies in [-INT64_MAX, INT64_MAX] so that negation
 * never overflows; a valid scale lies in [0, SCALE_LIM].
 */
#include <stdint.h>
#include <string.h>

#include "fo.h"

__extension__ typedef __int128 i128;

#define SCALE_LIM 18		/* 10^18 is the largest power in an int64 */

static const int64_t pow10[SCALE_LIM + 1] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL,
	10000000LL, 100000000LL, 1000000000LL, 10000000000LL,
	100000000000LL, 1000000000000LL, 10000000000000LL,
	100000000000000LL, 1000000000000000LL, 10000000000000000LL,
	100000000000000000LL, 1000000000000000000LL
};

static const char *const stylenames[] = {
	[FO_NUM_AUTO] = "auto",
	[FO_NUM_DOT] = "1,234.56",
	[FO_NUM_COMMA] = "1.234,56",
	[FO_NUM_SPACE] = "1 234,56",
	[FO_NUM_APOS] = "1'234.56",
	[FO_NUM_PLAIN] = "1234.56"
};

#define NSTYLES ((int)(sizeof stylenames / sizeof stylenames[0]))

int
fo_numstyle_parse(const char *example, enum fo_numstyle *st)
{
	int i;

	for (i = 0; i < NSTYLES; i++)
		if (strcmp(example, stylenames[i]) == 0) {
			*st = (enum fo_numstyle)i;
			return FO_OK;
		}
	return FO_ERR;
}

const char *
fo_numstyle_name(enum fo_numstyle st)
{
	if ((int)st < 0 || (int)st >= NSTYLES)
		return "?";
	return stylenames[st];
}

static int
inrange(i128 x)
{
	return x >= -(i128)INT64_MAX && x <= (i128)INT64_MAX;
}

static int
okscale(int scale)
{
	return scale >= 0 && scale <= SCALE_LIM;
}

static i128
pow10w(int k)
{
	i128 p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

/* x / q rounded half to even; q > 0. */
static i128
div_even(i128 x, i128 q)
{
	i128 r = x % q, y = x / q;

	if (r < 0)
		r = -r;
	if (r > q - r || (r == q - r && y % 2 != 0))
		y += x < 0 ? -1 : 1;
	return y;
}

/*
 * Parsing. The text is: a prefix of signs and currency marks, the
 * number, a suffix of signs, currency marks and CR/DR. Each piece is
 * matched exactly; whatever is left over is an error at its column.
 */

struct marks {
	char dec;		/* decimal mark */
	char grp;		/* ASCII group mark, 0 for none */
	int spaces;		/* U+00A0 and U+202F group too */
	int rsquo;		/* U+2019 groups too */
};

struct parse {
	const char *s;
	size_t end;		/* past the last non-blank byte */
	int nsign;
	int neg;
	size_t paren;		/* offset of '(' + 1, or 0 */
	int closed;		/* its ')' was seen */
	int ncur;		/* currency marks seen */
	struct fo_span *marks;	/* NULL: marks are checked here, else kept */
	struct fo_err *e;
};

static int
errat(struct fo_err *e, size_t i)
{
	e->col = (long)i + 1;
	return FO_ERR;
}

static int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

static int
isucase(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int
isletter(int c)
{
	return isucase(c) || (c >= 'a' && c <= 'z');
}

/* Does s[i..end) start with the bytes of t? */
static int
at(const struct parse *p, size_t i, const char *t)
{
	size_t n;

	/* most amounts have no mark at all: the first byte settles it */
	if (i >= p->end || p->s[i] != t[0])
		return 0;
	n = strlen(t);
	return p->end - i >= n && memcmp(p->s + i, t, n) == 0;
}

/* Length of a currency symbol at i, or 0. */
static size_t
symbol(const struct parse *p, size_t i)
{
	static const char *const sym[] = {
		"$", "\xe2\x82\xac", "\xc2\xa3", "\xc2\xa5", "\xe2\x82\xb9"
	};
	size_t k;

	for (k = 0; k < sizeof sym / sizeof sym[0]; k++)
		if (at(p, i, sym[k]))
			return strlen(sym[k]);
	return 0;
}

/* Length of a space that may part a currency mark from the number. */
static size_t
space(const struct parse *p, size_t i)
{
	if (i < p->end && p->s[i] == ' ')
		return 1;
	if (at(p, i, "\xc2\xa0"))
		return 2;
	if (at(p, i, "\xe2\x80\xaf"))
		return 3;
	return 0;
}

/* Length of a word of exactly n ASCII letters at i, else 0. */
static size_t
word(const struct parse *p, size_t i, size_t n)
{
	size_t k;

	for (k = 0; i + k < p->end && isletter(p->s[i + k]); k++)
		if (k == n)
			return 0;
	return k == n ? n : 0;
}

/* Length of a group mark at i, or 0. */
static size_t
groupmark(const struct parse *p, const struct marks *m, size_t i)
{
	if (m->grp != 0 && p->s[i] == m->grp)
		return 1;
	if (m->spaces && (at(p, i, "\xc2\xa0") || at(p, i, "\xe2\x80\xaf")))
		return p->s[i] == '\xc2' ? 2 : 3;
	if (m->rsquo && at(p, i, "\xe2\x80\x99"))
		return 3;
	return 0;
}

static int
badchar(const struct parse *p, size_t i)
{
	unsigned char c = (unsigned char)p->s[i];
	size_t n;

	if (c >= 0x80) {
		/* Show a whole character when it is one. */
		n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (n <= p->end - i && fo_utf8_check(p->s + i, n) == n) {
			fo_err_msg(p->e, "bad character '%.*s'", (int)n,
			    p->s + i);
			return errat(p->e, i);
		}
	}
	if (c < 0x20 || c >= 0x7F)
		fo_err_msg(p->e, "bad byte 0x%02x", c);
	else if (isdig(c) || strchr("+-()., '", c) != NULL)
		fo_err_msg(p->e, "misplaced '%c'", c);
	else
		fo_err_msg(p->e, "bad character '%c'", c);
	return errat(p->e, i);
}

static int
sign(struct parse *p, size_t i, int neg)
{
	if (p->nsign++ > 0) {
		fo_err_msg(p->e, "two signs");
		return errat(p->e, i);
	}
	p->neg = neg;
	return FO_OK;
}

/*
 * Length of a currency sign at i: '$', or a whole UTF-8 character that
 * is not a space, punctuation (U+2000-U+207F: the apostrophe that groups
 * digits) or a mathematical operator (U+2212, the minus sign); else 0.
 */
static size_t
signchar(const struct parse *p, size_t i)
{
	unsigned char c = (unsigned char)p->s[i], c1;
	size_t n;

	if (c == '$')
		return 1;
	if (c < 0xC2)
		return 0;
	n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	if (n > p->end - i || fo_utf8_check(p->s + i, n) != n)
		return 0;
	c1 = (unsigned char)p->s[i + 1];
	if ((c == 0xC2 && c1 == 0xA0) ||
	    (c == 0xE2 && (c1 == 0x80 || c1 == 0x81 || c1 == 0x88)))
		return 0;
	return n;
}

/*
 * Length of any currency mark at i, for a caller that resolves it
 * itself: up to 4 ASCII letters, then up to 3 signs, then (after a
 * sign) up to 4 letters more, and a '.' after two letters: CHF, kr,
 * Euro, $, A$, NZ$, R$, $CAD, Fr., Rs. (at most 16 bytes). 0 if none.
 */
static size_t
anymark(const struct parse *p, size_t i, int prefix)
{
	size_t j = i, nl = 0, ns = 0, len;

	while (j < p->end && isletter(p->s[j]) && nl < 4) {
		j++;
		nl++;
	}
	while (j < p->end && ns < 3 && (len = signchar(p, j)) > 0) {
		j += len;
		ns++;
	}
	for (len = 0; ns > 0 && j < p->end && isletter(p->s[j]) && len < 4;
	    len++)
		j++;
	if (j < p->end && isletter(p->s[j]))
		return 0;	/* a word, not a mark */
	if (ns == 0 && nl >= 2 && j < p->end && p->s[j] == '.')
		j++;
	/* after the number a mark ends it: "5,0x0" holds no mark */
	if (!prefix && j < p->end && isdig(p->s[j]))
		return 0;
	/* letters alone before the number must meet it: "abc" is no mark */
	if (ns == 0 && prefix) {
		len = j + space(p, j);
		if (len >= p->end || !(isdig(p->s[len]) ||
		    strchr("-+(.,", p->s[len]) != NULL))
			return 0;
	}
	return j - i <= 16 ? j - i : 0;
}

/*
 * A currency symbol or a known ISO code at i, with the one space that
 * may stand between it and the number (after it in the prefix, before
 * it in the suffix). Returns the length taken, 0 if none is there, or
 * (size_t)-1 after an error.
 */
static size_t
currency(struct parse *p, size_t i, int prefix)
{
	size_t j, n, sp = 0;

	if (!prefix)
		sp = space(p, i);
	j = i + sp;
	if (p->marks != NULL) {
		if ((n = anymark(p, j, prefix)) == 0)
			return 0;
		if (p->ncur >= 2) {
			fo_err_msg(p->e, "three currency marks");
			errat(p->e, j);
			return (size_t)-1;
		}
		p->marks[p->ncur].p = p->s + j;
		p->marks[p->ncur++].n = n;
		if (prefix)
			sp = space(p, j + n);
		return sp + n;
	}
	if ((n = symbol(p, j)) == 0) {
		if (word(p, j, 3) == 0 || !isucase(p->s[j]) ||
		    !isucase(p->s[j + 1]) || !isucase(p->s[j + 2]))
			return 0;
		if (fo_currency_minor(p->s + j, 3) < 0) {
			fo_err_msg(p->e, "unknown currency '%.3s'", p->s + j);
			errat(p->e, j);
			return (size_t)-1;
		}
		n = 3;
	}
	if (p->ncur++ > 0) {
		fo_err_msg(p->e, "two currency marks");
		errat(p->e, j);
		return (size_t)-1;
	}
	if (prefix)
		sp = space(p, j + n);
	return sp + n;
}

static int
prefix(struct parse *p, size_t *ip)
{
	size_t i = *ip, n;
	int c;

	while (i < p->end) {
		c = p->s[i];
		if (isdig(c))	/* most amounts: no sign, no mark */
			break;
		if (c == '+' || c == '-' || c == '(') {
			if (sign(p, i, c != '+') != FO_OK)
				return FO_ERR;
			if (c == '(')
				p->paren = i + 1;
			i++;
			continue;
		}
		if ((n = currency(p, i, 1)) == (size_t)-1)
			return FO_ERR;
		if (n == 0)
			break;
		i += n;
	}
	*ip = i;
	return FO_OK;
}

static int
suffix(struct parse *p, size_t i)
{
	size_t n, sp;
	int c;

	while (i < p->end) {
		c = p->s[i];
		if (c == '-') {
			if (sign(p, i, 1) != FO_OK)
				return FO_ERR;
			i++;
			continue;
		}
		if (c == ')') {
			if (p->paren == 0 || p->closed)
				return badchar(p, i);
			p->closed = 1;
			i++;
			continue;
		}
		/* "100.20 CR", "100.20CR": the credit sign of reports. */
		sp = space(p, i);
		if (word(p, i + sp, 2) &&
		    (at(p, i + sp, "CR") || at(p, i + sp, "DR"))) {
			if (sign(p, i + sp, p->s[i + sp] == 'C') != FO_OK)
				return FO_ERR;
			i += sp + 2;
			continue;
		}
		if ((n = currency(p, i, 0)) == (size_t)-1)
			return FO_ERR;
		if (n > 0) {
			i += n;
			continue;
		}
		if (sp > 0 && i + sp < p->end && isdig(p->s[i + sp])) {
			fo_err_msg(p->e, "space inside the number");
			return errat(p->e, i);
		}
		if (sp > 0 && i + sp < p->end)
			return badchar(p, i + sp);
		return badchar(p, i);
	}
	if (p->paren != 0 && !p->closed) {
		fo_err_msg(p->e, "'(' without ')'");
		return errat(p->e, p->paren - 1);
	}
	return FO_OK;
}

/*
 * FO_NUM_AUTO: settle the marks from the digits and dots and commas at
 * i, taking only what has one reading. "1,234" and "1.234" have two.
 */
static int
automarks(struct parse *p, size_t i, struct marks *m)
{
	size_t j, ndot = 0, ncomma = 0, last = 0;

	for (j = i; j < p->end; j++) {
		if (p->s[j] == '.')
			ndot++;
		else if (p->s[j] == ',')
			ncomma++;
		else if (!isdig(p->s[j]))
			break;
		if (!isdig(p->s[j]))
			last = j;
	}
	memset(m, 0, sizeof *m);
	m->dec = '.';
	m->grp = ',';
	if (ndot + ncomma == 0)
		return FO_OK;
	if (ndot > 0 && ncomma > 0)
		m->dec = p->s[last];
	else if (ndot + ncomma > 1)
		m->dec = ndot > 0 ? ',' : '.';
	else if (last - i >= 1 && last - i <= 3 && j - last - 1 == 3) {
		fo_err_msg(p->e, "ambiguous: '%c' may group thousands or "
		    "mark decimals; give the number style", p->s[last]);
		return errat(p->e, last);
	} else
		m->dec = p->s[last];
	m->grp = m->dec == '.' ? ',' : '.';
	return FO_OK;
}

static void
stylemarks(enum fo_numstyle st, struct marks *m)
{
	memset(m, 0, sizeof *m);
	m->dec = '.';
	switch (st) {
	case FO_NUM_DOT:
		m->grp = ',';
		break;
	case FO_NUM_COMMA:
		m->dec = ',';
		m->grp = '.';
		break;
	case FO_NUM_SPACE:
		m->dec = ',';
		m->grp = ' ';
		m->spaces = 1;
		break;
	case FO_NUM_APOS:
		m->grp = '\'';
		m->rsquo = 1;
		break;
	default:
		break;
	}
}

/*
 * The digits at *ip: an integer part, grouped or not, then maybe the
 * decimal mark and a fraction. The integer part is summed (it only
 * grows with the scale, so overflow here is overflow); the fraction is
 * left in place for the caller to weigh against the scale.
 */
static int
digits(struct parse *p, const struct marks *m, size_t *ip, uint64_t *ival,
    int *ovf, size_t *frac, size_t *nfrac)
{
	size_t i = *ip, g, k, ndig = 0, cur = 0, ngrp = 0;
	uint64_t x = 0;

	*ival = 0;
	*ovf = 0;
	*frac = *nfrac = 0;
	while (i < p->end) {
		if (isdig(p->s[i])) {
			if (x > (UINT64_MAX - 9) / 10)
				*ovf = 1;
			else
				x = x * 10 + (uint64_t)(p->s[i] - '0');
			ndig++;
			cur++;
			i++;
			continue;
		}
		if ((g = groupmark(p, m, i)) == 0)
			break;
		if (ndig == 0)
			return badchar(p, i);
		/* A space not followed by a digit ends the number. */
		if ((p->s[i] == ' ' || (m->spaces && g > 1)) &&
		    (i + g >= p->end || !isdig(p->s[i + g])))
			break;
		if (ngrp == 0 && cur > 3) {
			fo_err_msg(p->e, "group mark after more than 3 digits");
			return errat(p->e, i);
		}
		for (k = 0; k < 3 && i + g + k < p->end; k++)
			if (!isdig(p->s[i + g + k]))
				break;
		if (k < 3 || (i + g + 3 < p->end && isdig(p->s[i + g + 3]))) {
			fo_err_msg(p->e, "group mark not followed by 3 digits");
			return errat(p->e, i);
		}
		ngrp++;
		cur = 0;
		i += g;
	}
	*frac = i;
	if (i < p->end && p->s[i] == m->dec) {
		*frac = ++i;
		while (i < p->end && isdig(p->s[i]))
			i++;
		*nfrac = i - *frac;
	}
	if (ndig == 0 && *nfrac == 0) {
		if (*ip < p->end)
			return badchar(p, *ip);
		fo_err_msg(p->e, "no digits");
		return errat(p->e, p->end - 1);
	}
	*ip = i;
	*ival = x;
	return FO_OK;
}

int
fo_dec_parse(const char *s, size_t n, enum fo_numstyle st, int scale,
    struct fo_dec *d, struct fo_err *e)
{
	return fo_dec_parse_marks(s, n, st, scale, d, NULL, NULL, e);
}

int
fo_dec_parse_marks(const char *s, size_t n, enum fo_numstyle st, int scale,
    struct fo_dec *d, struct fo_span marks[2], int *nmark, struct fo_err *e)
{
	struct parse p;
	struct marks m;
	size_t i, start, frac, nfrac, nsig, k;
	uint64_t ival;
	int64_t v;
	int ovf, sc, dg;

	if (scale != FO_DEC_ASIS && !okscale(scale)) {
		fo_err_msg(e, "bad scale %d", scale);
		return errat(e, 0);
	}
	if ((int)st < 0 || (int)st >= NSTYLES) {
		fo_err_msg(e, "bad number style %d", (int)st);
		return errat(e, 0);
	}
	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (i == n) {
		d->v = 0;
		d->scale = scale == FO_DEC_ASIS ? 0 : scale;
		return FO_EMPTY;
	}
	memset(&p, 0, sizeof p);
	p.s = s;
	p.end = n;
	p.e = e;
	p.marks = marks;
	if (nmark != NULL)
		*nmark = 0;

	if (prefix(&p, &i) != FO_OK)
		return FO_ERR;
	if (st == FO_NUM_AUTO) {
		if (automarks(&p, i, &m) != FO_OK)
			return FO_ERR;
	} else
		stylemarks(st, &m);
	start = i;
	if (digits(&p, &m, &i, &ival, &ovf, &frac, &nfrac) != FO_OK)
		return FO_ERR;

	if (suffix(&p, i) != FO_OK)
		return FO_ERR;

	/* Decimals past the scale may only be zeros: "12.340" is 12.34. */
	for (nsig = nfrac; nsig > 0 && s[frac + nsig - 1] == '0'; nsig--)
		;
	if (scale == FO_DEC_ASIS) {
		if (nfrac > FO_DEC_MAX_SCALE) {
			fo_err_msg(e, "too many decimals: %zu, at most %d",
			    nfrac, FO_DEC_MAX_SCALE);
			return errat(e, frac + FO_DEC_MAX_SCALE);
		}
		sc = (int)nfrac;
	} else {
		if (nsig > (size_t)scale) {
			fo_err_msg(e, "too many decimals: %zu, at most %d",
			    nsig, scale);
			return errat(e, frac + (size_t)scale);
		}
		sc = scale;
	}
	if (ovf || ival > (uint64_t)INT64_MAX)
		goto toolarge;
	v = (int64_t)ival;
	for (k = 0; k < (size_t)sc; k++) {
		dg = k < nfrac ? s[frac + k] - '0' : 0;
		if (v > (INT64_MAX - dg) / 10)
			goto toolarge;
		v = v * 10 + dg;
	}
	d->v = p.neg ? -v : v;
	d->scale = sc;
	if (nmark != NULL)
		*nmark = p.ncur;
	return FO_OK;

toolarge:
	fo_err_msg(e, "number too large");
	return errat(e, start);
}

size_t
fo_dec_fmt(const struct fo_dec *d, char *buf)
{
	char tmp[SCALE_LIM + 4];
	uint64_t u;
	size_t len = 0;
	int n = 0;

	/* Only a caller's bug makes one; never write past FO_DEC_BUFSZ. */
	if (!okscale(d->scale)) {
		memcpy(buf, "?", 2);
		return 1;
	}
	u = d->v < 0 ? -(uint64_t)d->v : (uint64_t)d->v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	while (n <= d->scale)
		tmp[n++] = '0';
	if (d->v < 0)
		buf[len++] = '-';
	while (n > 0) {
		if (n == d->scale)
			buf[len++] = '.';
		buf[len++] = tmp[--n];
	}
	buf[len] = '\0';
	return len;
}

/*
 * Move the decimal point shift places to the left: the digits of v stay
 * as they are and the scale becomes scale + shift, so the value is
 * multiplied by 10^-shift, exactly. SAP keeps every amount with two
 * decimals (TCURX): 100 JPY is stored as 1.00 and 12.345 KWD as 123.45.
 * Read such raw text at scale 2, then
 *
 *	fo_dec_shift(&d, fo_currency_minor(cur, 3) - 2);
 *
 * puts the point where the currency has it: 1.00 -> 100 (scale 0),
 * 123.45 -> 12.345 (scale 3). A scale that would go below 0 is made 0
 * by multiplying v (FO_ERR on overflow); one past 18 is brought back by
 * dropping trailing zeros of v, or FO_ERR if they are not zeros.
 */
int
fo_dec_shift(struct fo_dec *d, int shift)
{
	int64_t v = d->v;
	int ns;

	if (!okscale(d->scale) || shift < -2 * SCALE_LIM ||
	    shift > 2 * SCALE_LIM)
		return FO_ERR;
	ns = d->scale + shift;
	if (ns < 0) {
		if (v != 0 && (-ns > SCALE_LIM ||
		    !inrange((i128)v * pow10[-ns])))
			return FO_ERR;
		if (v != 0)
			v *= pow10[-ns];
		ns = 0;
	}
	for (; ns > SCALE_LIM; ns--) {
		if (v % 10 != 0)
			return FO_ERR;
		v /= 10;
	}
	d->v = v;
	d->scale = ns;
	return FO_OK;
}

int
fo_dec_rescale(struct fo_dec *d, int scale)
{
	i128 x;

	if (!okscale(d->scale) || !okscale(scale))
		return FO_ERR;
	if (scale >= d->scale)
		x = (i128)d->v * pow10[scale - d->scale];
	else
		x = div_even(d->v, pow10[d->scale - scale]);
	if (!inrange(x))
		return FO_ERR;
	d->v = (int64_t)x;
	d->scale = scale;
	return FO_OK;
}

/* Scales must be valid (0..18); the comparison itself cannot overflow. */
int
fo_dec_cmp(const struct fo_dec *a, const struct fo_dec *b)
{
	i128 x = a->v, y = b->v;

	if (a->scale < b->scale)
		x *= pow10[b->scale - a->scale];
	else
		y *= pow10[a->scale - b->scale];
	return x < y ? -1 : x > y;
}

int
fo_dec_add(const struct fo_dec *a, const struct fo_dec *b, struct fo_dec *r)
{
	i128 x;
	int sc;

	if (!okscale(a->scale) || !okscale(b->scale))
		return FO_ERR;
	sc = a->scale > b->scale ? a->scale : b->scale;
	x = (i128)a->v * pow10[sc - a->scale] +
	    (i128)b->v * pow10[sc - b->scale];
	if (!inrange(x))
		return FO_ERR;
	r->v = (int64_t)x;
	r->scale = sc;
	return FO_OK;
}

int
fo_dec_mul(const struct fo_dec *a, const struct fo_dec *b, int scale,
    struct fo_dec *r)
{
	i128 x;
	int ps;

	if (!okscale(a->scale) || !okscale(b->scale) || !okscale(scale))
		return FO_ERR;
	/* |a.v * b.v| < 2^126, and 10^36 < 2^127: all fits. */
	x = (i128)a->v * b->v;
	ps = a->scale + b->scale;
	if (scale < ps)
		x = div_even(x, pow10w(ps - scale));
	else if (scale > ps) {
		if (!inrange(x))
			return FO_ERR;
		x *= pow10[scale - ps];
	}
	if (!inrange(x))
		return FO_ERR;
	r->v = (int64_t)x;
	r->scale = scale;
	return FO_OK;
}

int
fo_dec_mul3(const struct fo_dec *a, const struct fo_dec *b,
    const struct fo_dec *c, int down, int scale, struct fo_dec *r)
{
	i128 x, y;
	int ps;

	if (!okscale(a->scale) || !okscale(b->scale) || !okscale(c->scale) ||
	    !okscale(scale) || down < 0 || down > SCALE_LIM)
		return FO_ERR;
	ps = a->scale + b->scale + c->scale + down;
	if (__builtin_mul_overflow((i128)a->v, (i128)b->v, &x) ||
	    __builtin_mul_overflow(x, (i128)c->v, &y))
		return FO_ERR;
	if (ps > scale)	/* 10^38 is the last power of ten in 128 bits */
		y = ps - scale > 38 ? 0 : div_even(y, pow10w(ps - scale));
	else if (ps < scale &&
	    __builtin_mul_overflow(y, pow10w(scale - ps), &y))
		return FO_ERR;
	if (!inrange(y))
		return FO_ERR;
	r->v = (int64_t)y;
	r->scale = scale;
	return FO_OK;
}
