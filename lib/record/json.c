/*
 * json.c - JSON out (strings, flat objects) and in (a strict check of
 * RFC 8259, and NDJSON records tokenised in place by jsmn).
 *
 * jsmn (libjsmn-dev, strict mode, parent links) tokenises a record: it
 * gives every token's place, type and size in one pass. It is lenient:
 * it takes "01", "tru", "[1,]", "[1 2]", {"a"}, a second value after the
 * first, bad escapes in part, control characters and bad UTF-8 in
 * strings, any depth. What it leaves out fo checks token by token after
 * it (rec_walk): the separator in each gap between two tokens, each
 * string (escapes, control characters, UTF-8: the eight-byte scan),
 * each number and literal whole, the depth; then every key unique in
 * every object (the key tables). A line over LONG_LINE bytes is checked
 * whole before jsmn (jsmn's closing of brackets is quadratic in depth).
 * check_text is the one that explains: a record jsmn or the walk
 * refuses is checked again by it for the message and the column.
 */
#include <limits.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define FO_SSE2 1
#endif

#include "fo.h"

/* Objects with more keys than this are checked for duplicates by
 * sorting hashes rather than by comparing every pair. */
#define PAIRWISE_MAX 32

static const char hexdig[] = "0123456789abcdef";

/* json.c: writing */


#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define FO_LE64 1
#endif

/* Eight bytes in the order written: the first is the lowest. */
static uint64_t
le64(const unsigned char *p)
{
	uint64_t v;
#ifdef FO_LE64
	memcpy(&v, p, sizeof v);
#else
	int k;

	for (v = 0, k = 7; k >= 0; k--)
		v = v << 8 | p[k];
#endif
	return v;
}

/* Of eight bytes, a flag on each that a JSON string must escape: a
 * quote, a backslash, a control character. */
static uint64_t
escape8(const unsigned char *p)
{
	uint64_t v = le64(p);

	return FO_JSON_ESC8(v);
}

/* The body of a JSON string, without quotes: copy runs of plain bytes
 * and escape only what RFC 8259 requires. */
static void
put_escaped(struct fo_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	uint64_t m;
	char u[6] = { '\\', 'u', '0', '0', 0, 0 };

	while (i < n) {
		/* eight bytes at a time to the next byte to escape */
		if (n - i >= 8) {
			if ((m = escape8(p + i)) == 0) {
				i += 8;
				continue;
			}
#ifdef FO_LE64
			i += (size_t)__builtin_ctzll(m) / 8;
#else
			while (p[i] >= 0x20 && p[i] != '"' && p[i] != '\\')
				i++;
#endif
		} else if (p[i] >= 0x20 && p[i] != '"' && p[i] != '\\') {
			i++;
			continue;
		}
		fo_buf_put(b, s + run, i - run);
		run = i + 1;
		switch (p[i]) {
		case '"':
			fo_buf_put(b, "\\\"", 2);
			break;
		case '\\':
			fo_buf_put(b, "\\\\", 2);
			break;
		case '\b':
			fo_buf_put(b, "\\b", 2);
			break;
		case '\f':
			fo_buf_put(b, "\\f", 2);
			break;
		case '\n':
			fo_buf_put(b, "\\n", 2);
			break;
		case '\r':
			fo_buf_put(b, "\\r", 2);
			break;
		case '\t':
			fo_buf_put(b, "\\t", 2);
			break;
		default:
			u[4] = hexdig[p[i] >> 4];
			u[5] = hexdig[p[i] & 0xf];
			fo_buf_put(b, u, sizeof u);
			break;
		}
		i++;
	}
	fo_buf_put(b, s + run, n - run);
}

/*
 * The bytes at the start of s (n bytes) a JSON string writes as they
 * are: up to the first quote, backslash or control character, and with
 * ascii, the first non-ASCII byte too.
 */
static size_t
plain_run(const char *s, size_t n, int ascii)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint64_t v, m;
#ifdef FO_SSE2
	const __m128i ctl = _mm_set1_epi8(0x1f), sp = _mm_set1_epi8(0x20),
	    qu = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
	__m128i w, bad;
	int bits;

	while (n >= 16) {
		w = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		/* as signed bytes, non-ASCII is below 0x20 too */
		bad = ascii ? _mm_cmplt_epi8(w, sp) :
		    _mm_cmpeq_epi8(_mm_min_epu8(w, ctl), w);
		bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi8(w, qu),
		    _mm_cmpeq_epi8(w, bs)));
		if ((bits = _mm_movemask_epi8(bad)) != 0)
			return i + (size_t)__builtin_ctz((unsigned)bits);
		if (n - i == 16)
			return n;
		/* the last block overlaps the one before, found clean */
		i = n - i >= 32 ? i + 16 : n - 16;
	}
#endif
	for (; n - i >= 8; i += 8) {
		v = le64(p + i);
		m = FO_JSON_ESC8(v) | (ascii ? v & FO_HIGHS : 0);
		if (m != 0) {
#ifdef FO_LE64
			return i + (size_t)__builtin_ctzll(m) / 8;
#else
			break;
#endif
		}
	}
#ifdef FO_LE64
	/* the last eight bytes, overlapping the ones found clean */
	if (i < n && n >= 8) {
		v = le64(p + n - 8);
		m = FO_JSON_ESC8(v) | (ascii ? v & FO_HIGHS : 0);
		return m != 0 ? n - 8 + (size_t)__builtin_ctzll(m) / 8 : n;
	}
#endif
	for (; i < n; i++)
		if (p[i] < 0x20 || p[i] == '"' || p[i] == '\\' ||
		    (ascii && p[i] >= 0x80))
			break;
	return i;
}

void
fo_json_str(struct fo_buf *b, const char *s, size_t n)
{
	/* Most strings need no escapes: one reservation, then copied
	 * whole, quotes and all. */
	if (n < SIZE_MAX - 2 && fo_buf_reserve(b, n + 2) == FO_OK &&
	    plain_run(s, n, 0) == n) {
		b->p[b->n] = '"';
		memcpy(b->p + b->n + 1, s, n);
		b->p[b->n + 1 + n] = '"';
		b->n += n + 2;
		return;
	}
	fo_buf_putc(b, '"');
	put_escaped(b, s, n);
	fo_buf_putc(b, '"');
}

size_t
fo_json_str_lossy(struct fo_buf *b, const char *s, size_t n)
{
	size_t i = 0, good, bad = 0;

	if (n < SIZE_MAX - 2)
		fo_buf_reserve(b, n + 2);
	/* Most are plain ASCII: good UTF-8 that needs no escape. */
	if (n < SIZE_MAX - 2 && !b->oom && plain_run(s, n, 1) == n) {
		b->p[b->n] = '"';
		memcpy(b->p + b->n + 1, s, n);
		b->p[b->n + 1 + n] = '"';
		b->n += n + 2;
		return 0;
	}
	fo_buf_putc(b, '"');
	while (i < n) {
		good = fo_utf8_check(s + i, n - i);
		put_escaped(b, s + i, good);
		i += good;
		if (i < n) {
			/* One U+FFFD per rejected byte, then look again. */
			fo_buf_put(b, "\xef\xbf\xbd", 3);
			bad++;
			i++;
		}
	}
	fo_buf_putc(b, '"');
	return bad;
}

void
fo_obj_begin(struct fo_obj *o, struct fo_buf *b)
{
	o->b = b;
	o->n = 0;
	fo_buf_putc(b, '{');
}

void
fo_obj_key(struct fo_obj *o, const char *key)
{
	if (o->n++ > 0)
		fo_buf_putc(o->b, ',');
	fo_json_str(o->b, key, strlen(key));
	fo_buf_putc(o->b, ':');
}

void
fo_obj_str(struct fo_obj *o, const char *key, const char *s, size_t n)
{
	fo_obj_key(o, key);
	fo_json_str(o->b, s, n);
}

void
fo_obj_raw(struct fo_obj *o, const char *key, const char *text)
{
	fo_obj_key(o, key);
	fo_buf_puts(o->b, text);
}

void
fo_obj_long(struct fo_obj *o, const char *key, long v)
{
	char d[24];
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	int i = sizeof d;

	fo_obj_key(o, key);
	do	/* by hand: printf is a tenth of fo-ingest's time */
		d[--i] = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		d[--i] = '-';
	fo_buf_put(o->b, d + i, sizeof d - (size_t)i);
}

void
fo_obj_end(struct fo_obj *o)
{
	fo_buf_putc(o->b, '}');
}

/* json.c: reading */

#define IS_WS(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')
#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define IS_ALNUM(c) (IS_DIGIT(c) || ((c) >= 'a' && (c) <= 'z') || \
	((c) >= 'A' && (c) <= 'Z'))

static int	jerr(struct fo_err *, size_t at, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/*
 * Errors leave e->file and e->line to the caller, who knows them (as
 * date.c does); col is the 1-based byte offset, n + 1 for "at the end".
 */
static int
jerr(struct fo_err *e, size_t at, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return FO_ERR;
	e->col = at < LONG_MAX ? (long)at + 1 : LONG_MAX;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return FO_ERR;
}

static size_t
skip_ws(const unsigned char *p, size_t n, size_t i)
{
	while (i < n && IS_WS(p[i]))
		i++;
	return i;
}

/* Say what was found where something else was expected. */
static int
unexpected(struct fo_err *e, const unsigned char *p, size_t n, size_t i,
    const char *want)
{
	unsigned long cp;
	size_t len;

	if (i >= n)
		return jerr(e, n, "unexpected end of input, expected %s", want);
	if (p[i] >= 0x80) {
		len = fo_utf8_check((const char *)p + i, n - i > 4 ? 4 : n - i);
		if (len == 0)
			return jerr(e, i, "invalid UTF-8");
		if (p[i] < 0xe0)
			cp = (p[i] & 0x1fUL) << 6 | (p[i + 1] & 0x3f);
		else if (p[i] < 0xf0)
			cp = (p[i] & 0x0fUL) << 12 | (p[i + 1] & 0x3fUL) << 6 |
			    (p[i + 2] & 0x3f);
		else
			cp = (p[i] & 0x07UL) << 18 | (p[i + 1] & 0x3fUL) << 12 |
			    (p[i + 2] & 0x3fUL) << 6 | (p[i + 3] & 0x3f);
		return jerr(e, i, "expected %s, found U+%04lX", want, cp);
	}
	if (p[i] < 0x20 || p[i] == 0x7f)
		return jerr(e, i, "expected %s, found byte 0x%02x", want, p[i]);
	return jerr(e, i, "expected %s, found '%c'", want, p[i]);
}

static int
is_hex(unsigned char c)
{
	return IS_DIGIT(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * A string starting at the quote p[*ip]. Escaped surrogates are not
 * paired up here: a lone or mismatched \uD800 is accepted (RFC 8259
 * allows it, JSONTestSuite leaves it open) and fo_rec_str turns it into
 * U+FFFD. Raw bytes must be well-formed UTF-8, so no raw surrogates.
 */
static int
check_string(const unsigned char *p, size_t n, size_t *ip, struct fo_err *e)
{
	size_t start = *ip, i = *ip + 1, j, k, good;

	for (;;) {
		/* The common case: plain ASCII. */
		while (i < n && p[i] >= 0x20 && p[i] < 0x80 && p[i] != '"' &&
		    p[i] != '\\')
			i++;
		if (i == n)
			return jerr(e, start, "unterminated string");
		if (p[i] == '"')
			break;
		if (p[i] == '\\') {
			if (i + 1 == n)
				return jerr(e, start, "unterminated string");
			switch (p[i + 1]) {
			case '"':
			case '\\':
			case '/':
			case 'b':
			case 'f':
			case 'n':
			case 'r':
			case 't':
				i += 2;
				continue;
			case 'u':
				for (k = i + 2; k < i + 6; k++) {
					if (k == n)
						return jerr(e, start,
						    "unterminated string");
					if (!is_hex(p[k]))
						return jerr(e, k,
						    "bad \\u escape: expected "
						    "4 hex digits");
				}
				i += 6;
				continue;
			default:
				if (p[i + 1] >= 0x20 && p[i + 1] < 0x7f)
					return jerr(e, i + 1,
					    "bad escape '\\%c'", p[i + 1]);
				return jerr(e, i + 1, "bad escape");
			}
		}
		if (p[i] < 0x20)
			return jerr(e, i, "control character in string");
		/* A run of non-ASCII bytes must be whole UTF-8 by itself. */
		for (j = i; j < n && p[j] >= 0x80; j++)
			;
		good = fo_utf8_check((const char *)p + i, j - i);
		if (good != j - i)
			return jerr(e, i + good, "invalid UTF-8");
		i = j;
	}
	*ip = i + 1;
	return FO_OK;
}

static int
check_number(const unsigned char *p, size_t n, size_t *ip, struct fo_err *e)
{
	size_t i = *ip;

	if (p[i] == '-')
		i++;
	if (i == n || !IS_DIGIT(p[i]))
		return jerr(e, i, "bad number");
	if (p[i] == '0')
		i++;
	else
		while (i < n && IS_DIGIT(p[i]))
			i++;
	if (i < n && p[i] == '.') {
		i++;
		if (i == n || !IS_DIGIT(p[i]))
			return jerr(e, i, "bad number");
		while (i < n && IS_DIGIT(p[i]))
			i++;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i == n || !IS_DIGIT(p[i]))
			return jerr(e, i, "bad number");
		while (i < n && IS_DIGIT(p[i]))
			i++;
	}
	/* "01", "1.2.3", "1x": say so at the byte, not "expected ','". */
	if (i < n && (IS_ALNUM(p[i]) || p[i] == '.' || p[i] == '+' ||
	    p[i] == '-'))
		return jerr(e, i, "bad number");
	*ip = i;
	return FO_OK;
}

static int
check_literal(const unsigned char *p, size_t n, size_t *ip, const char *lit,
    struct fo_err *e)
{
	size_t i = *ip, k;

	for (k = 0; lit[k] != '\0'; k++)
		if (i + k == n || p[i + k] != (unsigned char)lit[k])
			return jerr(e, i + k, "bad literal, expected %s", lit);
	if (i + k < n && IS_ALNUM(p[i + k]))
		return jerr(e, i + k, "bad literal, expected %s", lit);
	*ip = i + k;
	return FO_OK;
}

enum cstate { C_VALUE, C_KEY, C_AFTER };

/*
 * The validator: iterative, with one bit per open container (set for
 * an object) so that a closing bracket knows what it returns to.
 */
static int
check_text(const char *s, size_t n, int max_depth, struct fo_err *e)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char local[512], *kind = local;
	size_t i = 0;
	int depth = 0, obj, rc = FO_ERR;
	enum cstate st = C_VALUE;

	if (max_depth < 0)
		max_depth = 0;
	if ((size_t)max_depth > sizeof local * CHAR_BIT) {
		if ((kind = malloc((size_t)max_depth / CHAR_BIT + 1)) == NULL) {
			if (e != NULL) {
				e->col = 0;
				fo_err_msg(e, "out of memory");
			}
			return FO_ENOMEM;
		}
	}
	for (;;) {
		i = skip_ws(p, n, i);
		switch (st) {
		case C_VALUE:
			if (i == n) {
				rc = unexpected(e, p, n, i, "value");
				goto out;
			}
			switch (p[i]) {
			case '{':
			case '[':
				if (depth >= max_depth) {
					rc = jerr(e, i, "nesting deeper than %d",
					    max_depth);
					goto out;
				}
				obj = p[i] == '{';
				if (obj)
					kind[depth / CHAR_BIT] |=
					    1U << depth % CHAR_BIT;
				else
					kind[depth / CHAR_BIT] &=
					    ~(1U << depth % CHAR_BIT);
				depth++;
				i = skip_ws(p, n, i + 1);
				if (i < n && p[i] == (obj ? '}' : ']')) {
					depth--;
					i++;
					st = C_AFTER;
				} else
					st = obj ? C_KEY : C_VALUE;
				continue;
			case '"':
				rc = check_string(p, n, &i, e);
				break;
			case '-':
			case '0': case '1': case '2': case '3': case '4':
			case '5': case '6': case '7': case '8': case '9':
				rc = check_number(p, n, &i, e);
				break;
			case 't':
				rc = check_literal(p, n, &i, "true", e);
				break;
			case 'f':
				rc = check_literal(p, n, &i, "false", e);
				break;
			case 'n':
				rc = check_literal(p, n, &i, "null", e);
				break;
			default:
				rc = unexpected(e, p, n, i, "value");
				break;
			}
			if (rc != FO_OK)
				goto out;
			st = C_AFTER;
			break;
		case C_KEY:
			if (i == n || p[i] != '"') {
				rc = unexpected(e, p, n, i, "string key");
				goto out;
			}
			if ((rc = check_string(p, n, &i, e)) != FO_OK)
				goto out;
			i = skip_ws(p, n, i);
			if (i == n || p[i] != ':') {
				rc = unexpected(e, p, n, i, "':' after key");
				goto out;
			}
			i++;
			st = C_VALUE;
			break;
		case C_AFTER:
			if (depth == 0) {
				if (i != n) {
					rc = jerr(e, i,
					    "trailing data after value");
					goto out;
				}
				rc = FO_OK;
				goto out;
			}
			obj = kind[(depth - 1) / CHAR_BIT] >>
			    (depth - 1) % CHAR_BIT & 1;
			if (i < n && p[i] == ',') {
				i++;
				st = obj ? C_KEY : C_VALUE;
			} else if (i < n && p[i] == (obj ? '}' : ']')) {
				i++;
				depth--;
			} else {
				rc = unexpected(e, p, n, i,
				    obj ? "',' or '}'" : "',' or ']'");
				goto out;
			}
			break;
		}
	}
out:
	if (kind != local)
		free(kind);
	return rc;
}

int
fo_json_check(const char *s, size_t n, int max_depth, struct fo_err *e)
{
	return check_text(s, n, max_depth, e);
}

/*
 * Records. jsmn tokenises the line, and rec_walk checks what jsmn does
 * not, so that the line is read once by jsmn and its gaps, strings and
 * primitives once more, not checked whole first. The two only say yes
 * or no: on no, fo_rec_parse asks check_text, which says what is wrong
 * and where, so that every message stays the one check_text gives
 * (fuzz-json holds the two to the same verdicts).
 *
 * The record's tokens are jsmn's, read where jsmn wrote them: its type
 * (fo's, in the same order), start and end (a string without its
 * quotes) and size (members of a container, 1 for a key). The parent
 * link, which fo does not use, is overwritten by the walk: a container's
 * with the token after its subtree (any other token's is the next one),
 * a string's with whether it has a backslash in it. Each key's hash
 * (str_hash of its decoded bytes) is beside them.
 */

/* fo.h's accessors (fo_rec_type, _span, _size, _next, _esc) read the
 * tokens in place as FO_TOK_INTS ints each: jsmn's type, start, end,
 * size and parent, in that order. */
_Static_assert(sizeof(jsmntype_t) == sizeof(int) &&
    sizeof(jsmntok_t) == FO_TOK_INTS * sizeof(int) &&
    offsetof(jsmntok_t, type) == FO_TOK_TYPE * sizeof(int) &&
    offsetof(jsmntok_t, start) == FO_TOK_START * sizeof(int) &&
    offsetof(jsmntok_t, end) == FO_TOK_END * sizeof(int) &&
    offsetof(jsmntok_t, size) == FO_TOK_SIZE * sizeof(int) &&
    offsetof(jsmntok_t, parent) == FO_TOK_PARENT * sizeof(int),
    "jsmn's token layout");

/* r->tok is one block: cap of jsmn's tokens, then cap of key hashes. */
#define JTOKS(r) ((jsmntok_t *)(r)->tok)
#define HASHES(r) ((uint32_t *)(JTOKS(r) + (r)->cap))

/* Whether string token t has a backslash in it. */
static inline int
tok_esc(const jsmntok_t *jt, int t)
{
	return jt[t].parent;
}

/* The token after token t's subtree. */
static inline int
tok_next(const jsmntok_t *jt, int t)
{
	return jt[t].type == JSMN_OBJECT || jt[t].type == JSMN_ARRAY ?
	    jt[t].parent : t + 1;
}

/* jsmn's types are fo's, in the same order. */
_Static_assert((int)JSMN_OBJECT == (int)FO_J_OBJECT &&
    (int)JSMN_ARRAY == (int)FO_J_ARRAY &&
    (int)JSMN_STRING == (int)FO_J_STRING &&
    (int)JSMN_PRIMITIVE == (int)FO_J_PRIMITIVE, "jsmn's token types");

/*
 * Decode the escape at s[*ip] (a backslash) of a checked string of n
 * bytes into out; returns its length. A surrogate pair becomes one code
 * point, a surrogate without its partner U+FFFD.
 */
static size_t
unescape(const char *s, size_t n, size_t *ip, unsigned char *out)
{
	size_t i = *ip;
	long cp, lo;	/* the string is checked: four hex digits each */

	*ip = i + 2;
	switch (s[i + 1]) {
	case 'b':
		out[0] = '\b';
		return 1;
	case 'f':
		out[0] = '\f';
		return 1;
	case 'n':
		out[0] = '\n';
		return 1;
	case 'r':
		out[0] = '\r';
		return 1;
	case 't':
		out[0] = '\t';
		return 1;
	case 'u':
		break;
	default:		/* '"', '\\', '/' */
		out[0] = (unsigned char)s[i + 1];
		return 1;
	}
	cp = fo_hex4(s + i + 2);
	i += 6;
	if (cp >= 0xd800 && cp <= 0xdbff && n - i >= 6 && s[i] == '\\' &&
	    s[i + 1] == 'u' && (lo = fo_hex4(s + i + 2)) >= 0xdc00 &&
	    lo <= 0xdfff) {
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		i += 6;
	} else if (cp >= 0xd800 && cp <= 0xdfff)
		cp = 0xfffd;
	*ip = i;
	return fo_utf8_put((unsigned long)cp, (char *)out);
}

/* A string's decoded bytes one at a time, for comparing and hashing
 * keys without a buffer. */
struct sdec {
	const char *s;
	size_t n, i;
	unsigned char u[4];
	size_t ulen, upos;
};

static void
sdec_init(struct sdec *d, const char *s, size_t n)
{
	d->s = s;
	d->n = n;
	d->i = d->ulen = d->upos = 0;
}

static int
sdec_next(struct sdec *d)
{
	if (d->upos < d->ulen)
		return d->u[d->upos++];
	if (d->i >= d->n)
		return -1;
	if (d->s[d->i] != '\\')
		return (unsigned char)d->s[d->i++];
	d->ulen = unescape(d->s, d->n, &d->i, d->u);
	d->upos = 1;
	return d->u[0];
}

void
fo_rec_init(struct fo_rec *r)
{
	r->text = NULL;
	r->len = 0;
	r->tok = NULL;
	r->ntok = r->cap = 0;
	r->top = NULL;
	r->ntop = r->topcap = 0;
	r->topmask = 0;
	r->scratch = NULL;
	r->scratchcap = 0;
	r->inner = 0;
	r->fl = NULL;
}

void
fo_rec_free(struct fo_rec *r)
{
	free(r->tok);
	free(r->top);
	free(r->scratch);
	if (r->fl != NULL) {
		free(r->fl->fgen);
		free(r->fl->ftok);
		free(r->fl);
	}
	fo_rec_init(r);
}

/* Tokens are kept from line to line: a record allocates nothing once
 * the longest line has been read. */
static int
tok_grow(struct fo_rec *r)
{
	size_t cap = r->cap > 0 ? (size_t)r->cap * 2 : 64;
	void *p;

	if (cap > INT_MAX || cap > SIZE_MAX / (sizeof(jsmntok_t) +
	    sizeof(uint32_t)))
		return FO_ENOMEM;
	/* nothing in it is kept: jsmn starts again */
	free(r->tok);
	r->tok = NULL;
	r->cap = 0;
	if ((p = malloc(cap * (sizeof(jsmntok_t) + sizeof(uint32_t)))) ==
	    NULL)
		return FO_ENOMEM;
	r->tok = p;
	r->cap = (int)cap;
	return FO_OK;
}

/* Of eight bytes, a flag (the top bit of its byte) on each that ends a
 * run of plain string: a quote, a backslash, a control character, a
 * non-ASCII byte. The lowest flag is exact (borrows only run upwards). */
static uint64_t
special8(const unsigned char *p)
{
	return escape8(p) | (le64(p) & FO_HIGHS);
}

/*
 * The string whose opening quote is p[i]: the index of its closing
 * quote, or 0 when check_string would refuse it. *esc says whether it
 * has a backslash.
 */
static inline size_t
scan_string(const unsigned char *p, size_t n, size_t i, int *esc)
{
	size_t j, k, good;

	uint64_t m;

	*esc = 0;
	i++;
	for (;;) {
		for (;;) {
			if (n - i < 8) {
				while (i < n && p[i] >= 0x20 && p[i] < 0x80 &&
				    p[i] != '"' && p[i] != '\\')
					i++;
				break;
			}
			if ((m = special8(p + i)) != 0) {
#ifdef FO_LE64
				i += (size_t)__builtin_ctzll(m) / 8;
#else
				while (p[i] >= 0x20 && p[i] < 0x80 &&
				    p[i] != '"' && p[i] != '\\')
					i++;
#endif
				break;
			}
			i += 8;
		}
		if (i == n)
			return 0;
		if (p[i] == '"')
			return i;
		if (p[i] == '\\') {
			*esc = 1;
			if (i + 1 == n)
				return 0;
			switch (p[i + 1]) {
			case '"':
			case '\\':
			case '/':
			case 'b':
			case 'f':
			case 'n':
			case 'r':
			case 't':
				i += 2;
				continue;
			case 'u':
				for (k = i + 2; k < i + 6; k++)
					if (k == n || !is_hex(p[k]))
						return 0;
				i += 6;
				continue;
			default:
				return 0;
			}
		}
		if (p[i] < 0x20)
			return 0;
		for (j = i; j < n && p[j] >= 0x80; j++)
			;
		good = fo_utf8_check((const char *)p + i, j - i);
		if (good != j - i)
			return 0;
		i = j;
	}
}

/* The end of the number at p[i], or 0 when check_number would refuse
 * it. */
static size_t
scan_number(const unsigned char *p, size_t n, size_t i)
{
	if (p[i] == '-')
		i++;
	if (i == n || !IS_DIGIT(p[i]))
		return 0;
	if (p[i] == '0')
		i++;
	else
		while (i < n && IS_DIGIT(p[i]))
			i++;
	if (i < n && p[i] == '.') {
		i++;
		if (i == n || !IS_DIGIT(p[i]))
			return 0;
		while (i < n && IS_DIGIT(p[i]))
			i++;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i == n || !IS_DIGIT(p[i]))
			return 0;
		while (i < n && IS_DIGIT(p[i]))
			i++;
	}
	if (i < n && (IS_ALNUM(p[i]) || p[i] == '.' || p[i] == '+' ||
	    p[i] == '-'))
		return 0;
	return i;
}

/* The end of the literal lit at p[i], or 0. */
static size_t
scan_literal(const unsigned char *p, size_t n, size_t i, const char *lit,
    size_t len)
{
	if (n - i < len || memcmp(p + i, lit, len) != 0)
		return 0;
	i += len;
	if (i < n && IS_ALNUM(p[i]))
		return 0;
	return i;
}

/*
 * The hash of a key's decoded bytes, for the key tables: its length and
 * its first and last eight bytes (keys are short, and FNV's byte at a
 * time was a tenth of a record's reading; keys that hash alike are told
 * apart by their bytes). The same bytes give the same hash as written
 * (hash_plain) or decoded from escapes (str_hash).
 */
#define KMUL 0xff51afd7ed558ccdULL

static inline uint32_t
hash_words(uint64_t a, uint64_t b, size_t n)
{
	uint64_t h;

	h = (a ^ (uint64_t)n * KMUL) * KMUL;
	h = (h ^ h >> 32 ^ b) * KMUL;
	return (uint32_t)(h ^ h >> 29);
}

static inline uint32_t
hash_plain(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t a, b;

	if (n >= 8)
		return hash_words(le64(p), le64(p + n - 8), n);
	if (n >= 4) {
		a = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
		    (uint64_t)p[3] << 24;
		b = (uint64_t)p[n - 4] | (uint64_t)p[n - 3] << 8 |
		    (uint64_t)p[n - 2] << 16 | (uint64_t)p[n - 1] << 24;
		return hash_words(a, b, n);
	}
	a = n > 0 ? (uint64_t)p[0] | (uint64_t)p[n / 2] << 8 |
	    (uint64_t)p[n - 1] << 16 : 0;
	return hash_words(a, 0, n);
}

static inline uint32_t
str_hash(const char *s, size_t n, int esc)
{
	unsigned char head[16], tail[8], w[16];
	struct sdec d;
	size_t len = 0;
	int c, k;

	if (!esc)
		return hash_plain(s, n);
	sdec_init(&d, s, n);
	while ((c = sdec_next(&d)) != -1) {
		if (len < sizeof head)
			head[len] = (unsigned char)c;
		tail[len % 8] = (unsigned char)c;
		len++;
	}
	if (len <= sizeof head)
		return hash_plain((const char *)head, len);
	/* the first eight and the last eight, as hash_plain reads them */
	memcpy(w, head, 8);
	for (k = 0; k < 8; k++)
		w[8 + k] = tail[(len + (size_t)k) % 8];
	return hash_words(le64(w), le64(w + 8), len);
}

/* Whitespace, the byte sep unless it is 0, whitespace: all of p[i..at). */
static inline int
gap_is(const unsigned char *p, size_t i, size_t at, int sep)
{
	/* most records: no whitespace, the separator alone or nothing */
	if (sep != 0 && at == i + 1)
		return p[i] == sep;
	if (sep == 0 && at == i)
		return 1;
	while (i < at && IS_WS(p[i]))
		i++;
	if (sep != 0) {
		if (i == at || p[i] != sep)
			return 0;
		i++;
		while (i < at && IS_WS(p[i]))
			i++;
	}
	return i == at;
}

/*
 * The offset of the first byte of s (n bytes) that a string's check must
 * look at: a control character, a backslash, a non-ASCII byte; n for
 * none. A string jsmn found wholly between two of them is a good string
 * with no escape (jsmn found its end), and needs no scan of its own.
 */
static size_t
plain_prefix(const unsigned char *p, size_t n)
{
	size_t i = 0;
	uint64_t v, m;
#ifdef FO_SSE2
	/* Sixteen bytes at a time: as signed bytes, a control character
	 * and a non-ASCII byte are both below 0x20. */
	const __m128i sp = _mm_set1_epi8(0x20), bs = _mm_set1_epi8('\\');
	__m128i w, x;
	unsigned bits;

	/* a record's line is read whole here: 32 bytes a step */
	for (; n - i >= 32; i += 32) {
		w = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		x = _mm_loadu_si128((const __m128i *)(const void *)(p + i +
		    16));
		bits = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_cmplt_epi8(w, sp), _mm_cmpeq_epi8(w, bs))) |
		    (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_cmplt_epi8(x, sp), _mm_cmpeq_epi8(x, bs))) << 16;
		if (bits != 0)
			return i + (size_t)__builtin_ctz(bits);
	}
	for (; n - i >= 16; i += 16) {
		w = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		bits = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_cmplt_epi8(w, sp), _mm_cmpeq_epi8(w, bs)));
		if (bits != 0)
			return i + (size_t)__builtin_ctz(bits);
	}
#endif

	for (; n - i >= 8; i += 8) {
		v = le64(p + i);
		m = ((v - FO_ONES * 0x20) & ~v & FO_HIGHS) |
		    FO_HAS_ZERO(v ^ (FO_ONES * '\\')) | (v & FO_HIGHS);
		if (m != 0) {
#ifdef FO_LE64
			return i + (size_t)__builtin_ctzll(m) / 8;
#else
			break;
#endif
		}
	}
	while (i < n && p[i] >= 0x20 && p[i] < 0x80 && p[i] != '\\')
		i++;
	return i;
}

/*
 * jsmn's tokens of the record, checked where jsmn is lenient, and made
 * the record's own (each container's next token, each string's escape
 * flag, each key's hash). jsmn (strict mode) gives every token's place,
 * type and size, and refuses a byte outside a token that is not
 * whitespace or a separator, a container or a primitive as a key, a
 * bad escape, brackets that do not match; it does not look at what lies
 * between tokens, nor inside a primitive, nor at control characters or
 * UTF-8 in strings, nor at depth. So this walk, in token order, holds
 * every gap between two tokens to the one separator the grammar wants
 * there (a missing or extra ',' or ':', "[1,]", {"a"}, a second value
 * after the root), every string to check_string's rules (scan_string),
 * every primitive to the number or literal grammar whole ("01", "tru",
 * "1:2"), and the depth to FO_JSON_MAX_DEPTH. FO_OK, or FO_ERR for a
 * text check_text or fo_rec_parse refuses.
 */
static int
rec_walk(struct fo_rec *r, jsmntok_t *jt, int nj)
{
	const unsigned char *p = (const unsigned char *)r->text;
	size_t n = r->len, i, j, s, cend, plain;
	int open[FO_JSON_MAX_DEPTH], depth, t, c, obj, sep, esc;
	uint32_t *hs = HASHES(r);

	if (nj < 1 || jt[0].type != JSMN_OBJECT ||
	    !gap_is(p, 0, (size_t)jt[0].start, 0))
		return FO_ERR;
	/* sep: the separator before the next member, 0 for the first */
	open[0] = 0;
	depth = 1;
	cend = (size_t)jt[0].end;
	obj = 1;
	i = (size_t)jt[0].start + 1;
	sep = 0;
	plain = plain_prefix(p, n);
	for (t = 1; ; t++) {
		s = (size_t)jt[t].start;	/* n for the sentinel, jt[nj] */
		/* the containers that end before token t */
		while (s >= cend) {
			if (sep == ':' || !gap_is(p, i, cend - 1, 0) ||
			    p[cend - 1] != (obj ? '}' : ']'))
				return FO_ERR;
			jt[open[depth - 1]].parent = t;
			i = cend;
			sep = ',';
			if (--depth == 0) {
				/* nothing after the record but whitespace */
				if (t < nj || !gap_is(p, i, n, 0))
					return FO_ERR;
				r->ntok = nj;
				return FO_OK;
			}
			c = open[depth - 1];
			cend = (size_t)jt[c].end;
			obj = jt[c].type == JSMN_OBJECT;
		}
		/* t < nj: at the sentinel (the line's end) all were closed */
		switch (jt[t].type) {
		case JSMN_STRING:
			/* the gap ends at the opening quote */
			if (!gap_is(p, i, s - 1, sep))
				return FO_ERR;
			j = (size_t)jt[t].end;
			esc = 0;
			if (j >= plain) {
				if (scan_string(p, n, s - 1, &esc) != j)
					return FO_ERR;
				/* the next string to scan is the next that
				 * holds a byte to look at */
				plain = j + 1 + plain_prefix(p + j + 1,
				    n - j - 1);
			}
			jt[t].parent = esc;
			i = j + 1;
			if (obj && sep != ':') {
				hs[t] = str_hash(r->text + s, j - s, esc);
				sep = ':';
			} else
				sep = ',';
			break;
		case JSMN_PRIMITIVE:
			if ((obj && sep != ':') || !gap_is(p, i, s, sep))
				return FO_ERR;
			switch (p[s]) {
			case 't':
				j = scan_literal(p, n, s, "true", 4);
				break;
			case 'f':
				j = scan_literal(p, n, s, "false", 5);
				break;
			case 'n':
				j = scan_literal(p, n, s, "null", 4);
				break;
			default:
				j = scan_number(p, n, s);
				break;
			}
			if (j != (size_t)jt[t].end)
				return FO_ERR;
			i = j;
			sep = ',';
			break;
		case JSMN_OBJECT:
		case JSMN_ARRAY:
			if ((obj && sep != ':') || depth >= FO_JSON_MAX_DEPTH ||
			    !gap_is(p, i, s, sep))
				return FO_ERR;
			obj = jt[t].type == JSMN_OBJECT;
			if (obj && jt[t].size >= 2)
				r->inner++;
			open[depth++] = t;
			cend = (size_t)jt[t].end;
			i = s + 1;
			sep = 0;
			break;
		default:
			return FO_ERR;
		}
	}
}

/* Lines longer than this are checked before jsmn reads them. */
#define LONG_LINE 4096

/*
 * The tokens of a record: jsmn's, then rec_walk. FO_OK, FO_ERR for a
 * text check_text or fo_rec_parse refuses, FO_ENOMEM.
 */
static int
rec_scan(struct fo_rec *r)
{
	jsmn_parser jp;
	jsmntok_t *jt;
	int nj;

	/*
	 * jsmn knows no depth, and closes a bracket by walking up from the
	 * last token: a long line of '[' would cost its length squared and
	 * a token (28 bytes) a byte before the walk refuses it. A line
	 * longer than any record seen in practice is checked whole first.
	 */
	if (r->len > LONG_LINE &&
	    check_text(r->text, r->len, FO_JSON_MAX_DEPTH, NULL) != FO_OK)
		return FO_ERR;
	if (r->cap == 0 && tok_grow(r) != FO_OK)
		return FO_ENOMEM;
	for (;;) {
		/* never NULL here; said so, the compiler drops jsmn's
		 * counting mode from the loop it makes of jsmn_parse */
		if ((jt = JTOKS(r)) == NULL)
			return FO_ENOMEM;
		jsmn_init(&jp);
		nj = jsmn_parse(&jp, r->text, r->len, jt, (unsigned)r->cap);
		/* room kept for a sentinel after the last token */
		if (nj != JSMN_ERROR_NOMEM && nj < r->cap)
			break;
		/* the tokens grow with the longest line, then stay */
		if (tok_grow(r) != FO_OK)
			return FO_ENOMEM;
	}
	if (nj < 0)
		return FO_ERR;
	/* a token that starts where the line ends, so that the walk
	 * closes the last containers as it would before any token */
	jt[nj].start = (int)r->len;
	return rec_walk(r, jt, nj);
}

static struct fo_span
tok_span(const struct fo_rec *r, int t)
{
	const jsmntok_t *jt = JTOKS(r);
	struct fo_span sp;

	sp.p = r->text + jt[t].start;
	sp.n = (size_t)(jt[t].end - jt[t].start);
	return sp;
}

/* Decoded equality of two raw string spans (as written, so equal
 * spans are equal strings). Asked only of keys that hash alike: not
 * inlined into the loops that ask it. */
static int __attribute__((noinline))
str_eq(struct fo_span a, int aesc, struct fo_span b, int besc)
{
	struct sdec da, db;
	int c;

	if (!aesc && !besc)
		return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
	if (a.n == b.n && memcmp(a.p, b.p, a.n) == 0)
		return 1;
	sdec_init(&da, a.p, a.n);
	sdec_init(&db, b.p, b.n);
	do {
		if ((c = sdec_next(&da)) != sdec_next(&db))
			return 0;
	} while (c != -1);
	return 1;
}

/* Does the raw string span a decode to the n bytes of s? (Rare: not
 * inlined, so the lookups that call it keep a light frame.) */
static int __attribute__((noinline))
decoded_is(struct fo_span a, const char *s, size_t n)
{
	struct sdec d;
	size_t k;
	int c;

	sdec_init(&d, a.p, a.n);
	for (k = 0; k < n; k++)
		if ((c = sdec_next(&d)) != (unsigned char)s[k])
			return 0;
	return sdec_next(&d) == -1;
}

/* The decoded key, quoted and escaped as JSON, cut short at a character
 * boundary: for messages. */
static void
quote_key(struct fo_span k, char *dst, size_t cap)
{
	static const char named[] = "\b\t\n\f\r";
	struct sdec d;
	const char *q;
	size_t o = 0;
	int c;

	sdec_init(&d, k.p, k.n);
	dst[o++] = '"';
	while ((c = sdec_next(&d)) != -1) {
		if (o + 12 > cap || (o > 64 && (c & 0xc0) != 0x80)) {
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		if (c == '"' || c == '\\') {
			dst[o++] = '\\';
			dst[o++] = (char)c;
		} else if (c != 0 && c < 0x20 &&
		    (q = strchr(named, c)) != NULL) {
			dst[o++] = '\\';
			dst[o++] = "btnfr"[q - named];
		} else if (c < 0x20) {
			memcpy(dst + o, "\\u00", 4);
			dst[o + 4] = hexdig[c >> 4];
			dst[o + 5] = hexdig[c & 0xf];
			o += 6;
		} else
			dst[o++] = (char)c;
	}
	dst[o++] = '"';
	dst[o] = '\0';
}

/* Slots for an object's keys: a power of two, at least four times as
 * many (a record's root is looked up a hundred times, half of them for
 * keys it does not have: a sparse table ends those probes sooner). */
static unsigned
table_size(int nkeys)
{
	unsigned cap = 16;

	while (cap < (unsigned)nkeys * 4)
		cap *= 2;
	return cap;
}

/*
 * Put the keys of object o into the open-addressed table tab (mask + 1
 * slots of key token + 1, 0 for empty), in the order written: the first
 * key that repeats an earlier one (decoded: "a" is "\u0061"), or -1.
 */
static int
table_fill(const struct fo_rec *r, int o, int *tab, unsigned mask)
{
	const jsmntok_t *jt = JTOKS(r);
	const uint32_t *hs = HASHES(r);
	unsigned h;
	int m, k, s;

	memset(tab, 0, ((size_t)mask + 1) * sizeof *tab);
	for (m = 0, k = o + 1; m < jt[o].size; m++, k = tok_next(jt, k + 1)) {
		for (h = hs[k] & mask; (s = tab[h] - 1) >= 0;
		    h = (h + 1) & mask)
			if (hs[s] == hs[k] &&
			    str_eq(tok_span(r, s), tok_esc(jt, s),
			    tok_span(r, k), tok_esc(jt, k)))
				return k;
		tab[h] = k + 1;
	}
	return -1;
}

/* Room for a table of cap slots in *tab (of *tabcap). */
static int
table_room(int **tab, int *tabcap, unsigned cap)
{
	int *np;

	if (cap <= (unsigned)*tabcap)
		return FO_OK;
	if (cap > INT_MAX || (np = realloc(*tab, (size_t)cap *
	    sizeof *np)) == NULL)
		return FO_ENOMEM;
	*tab = np;
	*tabcap = (int)cap;
	return FO_OK;
}

/*
 * Every key unique in every object, the root's keys in r->top for
 * fo_rec_find. Objects are looked at in the order they open, and within
 * one the first key that repeats is named, as before the one pass.
 */
static int
rec_keys(struct fo_rec *r, struct fo_err *e)
{
	const jsmntok_t *jt = JTOKS(r);
	unsigned cap;
	char q[96];
	int t, dup, left;

	cap = table_size(jt[0].size);
	if (table_room(&r->top, &r->topcap, cap) != FO_OK)
		return FO_ENOMEM;
	r->topmask = cap - 1;
	r->ntop = jt[0].size;
	dup = table_fill(r, 0, r->top, r->topmask);
	/* the walk counted the inner objects that need a look */
	for (t = 1, left = r->inner; dup < 0 && left > 0 && t < r->ntok;
	    t++) {
		if (jt[t].type != JSMN_OBJECT || jt[t].size < 2)
			continue;
		left--;
		cap = table_size(jt[t].size);
		if (table_room(&r->scratch, &r->scratchcap, cap) != FO_OK)
			return FO_ENOMEM;
		dup = table_fill(r, t, r->scratch, cap - 1);
	}
	if (dup < 0)
		return FO_OK;
	quote_key(tok_span(r, dup), q, sizeof q);
	/* jt[dup].start is just past the quote: the quote's 1-based col. */
	return jerr(e, (size_t)jt[dup].start - 1, "duplicate key %s", q);
}

/*
 * The numbered fields (fo_field_id): names, lengths and hashes by
 * number, and an open-addressed index of them by hash (the hash and
 * the number + 1, 0 for empty), at most half full; fbloom has a bit of
 * each hash's top twelve set, so that most keys no stage numbered are
 * passed over without a probe. Kept for the process.
 */
struct fslot {
	uint32_t h;
	int f1;
};

static char **fname;
static size_t *flen;
static uint32_t *fhash;
static int nfield, capfield;
static struct fslot *fslot;
static unsigned fmask;
static uint64_t fbloom[64];

#define BLOOM_HAS(h) (fbloom[(h) >> 26] >> ((h) >> 20 & 63) & 1)

static void	rec_fields_new(struct fo_recf *);
static int	rec_fields_room(struct fo_rec *);

int
fo_rec_parse(struct fo_rec *r, const char *text, size_t len,
    struct fo_err *e)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i;
	int rc;

	r->text = text;
	r->len = len;
	r->ntok = 0;
	r->ntop = 0;
	r->inner = 0;
	/* no field found before is this line's */
	if (r->fl != NULL)
		rec_fields_new(r->fl);
	/* tokens count in int */
	if (len >= INT_MAX)
		return jerr(e, 0, "record longer than %d bytes", INT_MAX - 1);
	i = skip_ws(p, len, 0);
	if (i == len)
		return jerr(e, i, "empty record");
	if ((rc = rec_scan(r)) != FO_OK) {
		r->ntok = 0;
		if (rc == FO_ENOMEM)
			goto nomem;
		/* what is wrong, and where, as the check says it */
		if ((rc = check_text(text, len, FO_JSON_MAX_DEPTH, e)) !=
		    FO_OK)
			return rc;
		if (p[i] != '{')
			return jerr(e, i, "record is not an object");
		return jerr(e, 0, "record not understood by the reader");
	}
	if ((rc = rec_keys(r, e)) != FO_OK) {
		r->ntok = 0;
		r->ntop = 0;
		if (rc == FO_ENOMEM)
			goto nomem;
		return rc;
	}
	/* without room, each field is looked up by name */
	if (nfield > 0)
		(void)rec_fields_room(r);
	return FO_OK;
nomem:
	if (e != NULL) {
		e->col = 0;
		fo_err_msg(e, "out of memory");
	}
	return FO_ENOMEM;
}

/* The key token of the root's key s whose hash_plain is h, or -1. */
static inline int
root_key_h(const struct fo_rec *r, const char *s, size_t n, uint32_t h)
{
	const jsmntok_t *jt = JTOKS(r), *k;
	const uint32_t *hs;
	const int *top = r->top;
	unsigned mask = r->topmask, i;
	int t;

	/* no tokens yet: no array to point past */
	if (r->ntok < 1 || r->ntop < 1)
		return -1;
	hs = HASHES(r);
	for (i = h & mask; (t = top[i] - 1) >= 0; i = (i + 1) & mask) {
		if (hs[t] != h)
			continue;
		k = &jt[t];
		if (!tok_esc(jt, t)) {
			if ((size_t)(k->end - k->start) == n &&
			    fo_same(r->text + k->start, s, n))
				return t;
		} else if (decoded_is(tok_span(r, t), s, n))
			return t;
	}
	return -1;
}

/* The key token of the root's key s (n bytes, decoded), or -1. */
static inline int
root_key(const struct fo_rec *r, const char *s, size_t n)
{
	return root_key_h(r, s, n, hash_plain(s, n));
}

uint32_t
fo_rec_keyhash(const char *key, size_t n)
{
	return hash_plain(key, n);
}

int
fo_rec_root(const struct fo_rec *r, const char *key, size_t n, uint32_t h)
{
	int k = root_key_h(r, key, n, h);

	return k < 0 ? -1 : k + 1;
}

/* Put field f into the index ns (mask + 1 slots). */
static void
slot_put(struct fslot *ns, unsigned mask, int f)
{
	unsigned i;

	for (i = fhash[f] & mask; ns[i].f1 != 0; i = (i + 1) & mask)
		;
	ns[i].h = fhash[f];
	ns[i].f1 = f + 1;
}

static int
field_index(int cap)
{
	unsigned mask = (unsigned)cap * 2 - 1;
	struct fslot *ns;
	int f;

	if ((ns = calloc((size_t)mask + 1, sizeof *ns)) == NULL)
		return FO_ENOMEM;
	for (f = 0; f < nfield; f++)
		slot_put(ns, mask, f);
	free(fslot);
	fslot = ns;
	fmask = mask;
	return FO_OK;
}

static int
field_room(void)
{
	int cap = capfield ? 2 * capfield : 64;
	char **nn;
	size_t *nl;
	uint32_t *nh;

	if (nfield < capfield)
		return FO_OK;
	if ((nn = realloc(fname, (size_t)cap * sizeof *nn)) != NULL)
		fname = nn;
	if ((nl = realloc(flen, (size_t)cap * sizeof *nl)) != NULL)
		flen = nl;
	if ((nh = realloc(fhash, (size_t)cap * sizeof *nh)) != NULL)
		fhash = nh;
	if (nn == NULL || nl == NULL || nh == NULL ||
	    field_index(cap) != FO_OK)
		return FO_ENOMEM;
	capfield = cap;
	return FO_OK;
}

int
fo_field_id(const char *key, size_t n)
{
	uint32_t h = hash_plain(key, n);
	unsigned i;
	int f;

	if (fslot != NULL)
		for (i = h & fmask; (f = fslot[i].f1 - 1) >= 0;
		    i = (i + 1) & fmask)
			if (fslot[i].h == h && flen[f] == n &&
			    memcmp(fname[f], key, n) == 0)
				return f;
	if (nfield == FO_MAX_FIELDS || field_room() != FO_OK ||
	    (fname[nfield] = malloc(n ? n : 1)) == NULL)
		return -1;
	if (n)
		memcpy(fname[nfield], key, n);
	flen[nfield] = n;
	fhash[nfield] = h;
	slot_put(fslot, fmask, nfield);
	fbloom[h >> 26] |= (uint64_t)1 << (h >> 20 & 63);
	return nfield++;
}

/* A line's fields looked up by name before its walk: a stage that
 * asks for one field of a line (fo-route, fo-score) pays no walk. */
#define WALK_AFTER 1

/* A new line: no stamp of the last one holds. When the last line was
 * walked, the stage asks for many fields: this one is walked at once. */
static void
rec_fields_new(struct fo_recf *f)
{
	f->nres = 0;
	f->asked = f->walked == f->gen ? WALK_AFTER : 0;
	if (++f->gen == 0) {
		memset(f->fgen, 0, (size_t)f->cap * sizeof *f->fgen);
		f->gen = 1;
		f->walked = 0;
	}
}

/* Stamps for every field numbered now, after a line was read: FO_OK, or
 * FO_ENOMEM with none (nres 0). */
static int
rec_fields_room(struct fo_rec *r)
{
	struct fo_recf *f = r->fl;
	unsigned *ng;
	int *nt, cap;

	if (f == NULL) {
		if ((f = calloc(1, sizeof *f)) == NULL)
			return FO_ENOMEM;
		r->fl = f;
		f->gen = 1;
	}
	if (nfield > f->cap) {
		for (cap = f->cap ? f->cap : 64; cap < nfield; cap *= 2)
			;
		if ((ng = realloc(f->fgen, (size_t)cap * sizeof *ng)) != NULL)
			f->fgen = ng;
		if ((nt = realloc(f->ftok, (size_t)cap * sizeof *nt)) != NULL)
			f->ftok = nt;
		if (ng == NULL || nt == NULL)
			return FO_ENOMEM;
		memset(f->fgen + f->cap, 0,
		    (size_t)(cap - f->cap) * sizeof *ng);
		f->cap = cap;
	}
	f->nres = nfield;
	return FO_OK;
}

/* Find every numbered field among the root's keys (rec_keys has made
 * them unique), and stamp them. */
static void
rec_fields(const struct fo_rec *r, struct fo_recf *fl)
{
	const jsmntok_t *jt = JTOKS(r);
	const uint32_t *hs = HASHES(r);
	unsigned i;
	int m, k, f;

	for (m = 0, k = 1; m < jt[0].size; m++, k = tok_next(jt, k + 1)) {
		if (!BLOOM_HAS(hs[k]))
			continue;
		for (i = hs[k] & fmask; (f = fslot[i].f1 - 1) >= 0;
		    i = (i + 1) & fmask) {
			if (fslot[i].h != hs[k] || f >= fl->nres)
				continue;
			if (tok_esc(jt, k) ? decoded_is(tok_span(r, k),
			    fname[f], flen[f]) :
			    (size_t)(jt[k].end - jt[k].start) == flen[f] &&
			    fo_same(r->text + jt[k].start, fname[f],
			    flen[f])) {
				fl->fgen[f] = fl->gen;
				fl->ftok[f] = k + 1;
				break;
			}
		}
	}
	fl->walked = fl->gen;
}

/*
 * fo_rec_field when the stamps do not answer: a field numbered after the
 * line was read is looked up by name; of the others, the line's first
 * WALK_AFTER by name and stamped, and past them all in one walk.
 */
int
fo_rec_field_find(const struct fo_rec *r, int fid)
{
	struct fo_recf *f = r->fl;
	int t;

	if (fid < 0 || fid >= nfield)
		return -1;
	if (f == NULL || fid >= f->nres || r->ntok < 1)
		return fo_rec_root(r, fname[fid], flen[fid], fhash[fid]);
	if (f->asked >= WALK_AFTER) {
		rec_fields(r, f);
		return f->fgen[fid] == f->gen ? f->ftok[fid] : -1;
	}
	f->asked++;
	t = fo_rec_root(r, fname[fid], flen[fid], fhash[fid]);
	f->fgen[fid] = f->gen;
	f->ftok[fid] = t;
	return t;
}

/* Value token t, or -1 when there is none or it is null. */
static int
nonnull(const struct fo_rec *r, int t)
{
	const jsmntok_t *v;

	if (t < 0)
		return -1;
	v = JTOKS(r) + t;
	if (v->type == JSMN_PRIMITIVE && v->end - v->start == 4 &&
	    memcmp(r->text + v->start, "null", 4) == 0)
		return -1;
	return t;
}

int
fo_rec_value(const struct fo_rec *r, const char *key)
{
	int k = root_key(r, key, strlen(key));

	return nonnull(r, k < 0 ? -1 : k + 1);
}

int
fo_rec_field_value(const struct fo_rec *r, int fid)
{
	return nonnull(r, fo_rec_field(r, fid));
}

int
fo_rec_find(const struct fo_rec *r, const char *key)
{
	int k = root_key(r, key, strlen(key));

	return k < 0 ? -1 : k + 1;
}

long
fo_rec_col(const struct fo_rec *r, int t)
{
	struct fo_span s;

	if (t < 0 || t >= r->ntok)
		return 0;
	s = tok_span(r, t);
	return (long)(s.p - r->text) + (fo_rec_type(r, t) == FO_J_STRING ?
	    0 : 1);
}

/*
 * A string decoded; any other token as written. "\u0000" decodes to a
 * NUL byte: b->n, not strlen, is the length. FO_ERR for no such token.
 */
int
fo_rec_str(const struct fo_rec *r, int t, struct fo_buf *b)
{
	struct fo_span sp;
	unsigned char u[4];
	size_t i, run;

	fo_buf_reset(b);
	if (t < 0 || t >= r->ntok) {
		fo_buf_cstr(b);
		return FO_ERR;
	}
	sp = tok_span(r, t);
	if (JTOKS(r)[t].type != JSMN_STRING || !tok_esc(JTOKS(r), t))
		fo_buf_put(b, sp.p, sp.n);
	else {
		fo_buf_reserve(b, sp.n);
		for (i = run = 0; i < sp.n; ) {
			if (sp.p[i] != '\\') {
				i++;
				continue;
			}
			fo_buf_put(b, sp.p + run, i - run);
			fo_buf_put(b, u, unescape(sp.p, sp.n, &i, u));
			run = i;
		}
		fo_buf_put(b, sp.p + run, sp.n - run);
	}
	fo_buf_cstr(b);
	return b->oom ? FO_ENOMEM : FO_OK;
}

/*
 * The value of key (n bytes, decoded) in object token o, or -1. Raw keys
 * without a backslash compare by memcmp, the others decoded.
 */
int
fo_rec_member(const struct fo_rec *r, int o, const char *key, size_t n)
{
	return fo_rec_member_h(r, o, key, n, hash_plain(key, n));
}

int
fo_rec_member_h(const struct fo_rec *r, int o, const char *key, size_t n,
    uint32_t h)
{
	const jsmntok_t *jt = JTOKS(r);
	const uint32_t *hs;
	struct fo_span k;
	int m, t;

	if (o < 0 || o >= r->ntok || jt[o].type != JSMN_OBJECT)
		return -1;
	hs = HASHES(r);
	if (o == 0)
		return (t = root_key_h(r, key, n, h)) < 0 ? -1 : t + 1;
	/* every key has its hash from the walk: most are passed by it */
	for (m = 0, t = o + 1; m < jt[o].size; m++, t = tok_next(jt, t + 1)) {
		if (hs[t] != h)
			continue;
		k = tok_span(r, t);
		/* a decoded key is never longer than its raw text */
		if (k.n >= n) {
			if (!tok_esc(jt, t)) {
				if (k.n == n && fo_same(k.p, key, n))
					return t + 1;
			} else if (decoded_is(k, key, n))
				return t + 1;
		}
	}
	return -1;
}

size_t
fo_json_unescape(const char *s, size_t n, char *out)
{
	unsigned char *o = (unsigned char *)out;
	const char *bs = memchr(s, '\\', n);
	size_t i, run, len = 0;

	/* most have no escape: copied whole */
	if (bs == NULL) {
		memcpy(out, s, n);
		return n;
	}
	for (i = (size_t)(bs - s), run = 0; i < n; ) {
		if (s[i] != '\\') {
			i++;
			continue;
		}
		memcpy(o + len, s + run, i - run);
		len += i - run;
		len += unescape(s, n, &i, o + len);
		run = i;
	}
	memcpy(o + len, s + run, n - run);
	return len + (n - run);
}
