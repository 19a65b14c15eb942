/*
 * fo.h - libfo, the library behind the fo tools.
 *
 * Ownership, once for the whole library:
 * - A function that allocates names its free: fo_X_new/fo_X_load pairs
 *   with fo_X_free; fo_X_init pairs with fo_X_free on a caller's struct.
 * - A struct fo_span points into a buffer the caller owns and is valid
 *   only while that buffer is.
 * - Library functions never print and never exit. They return FO_OK (0),
 *   FO_EMPTY (1, "no value") or a negative status, and fill the
 *   struct fo_err they are given. Only cmd/ reports and exits.
 * - Growable buffers (struct fo_buf) keep a sticky out-of-memory flag, as
 *   stdio keeps ferror: check it once per record, not once per byte.
 * - Value parsers (fo_dec_parse, fo_date_parse, fo_ts_parse,
 *   fo_json_check, fo_rec_parse) set only e->col (1-based, within the
 *   text given) and e->msg: the caller knows the file and line.
 */
#ifndef FO_H
#define FO_H

#include <regex.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define FO_VERSION "0.1.0"

enum fo_status {
	FO_OK = 0,
	FO_EMPTY = 1,		/* a blank or "no value" field: not an error */
	FO_ERR = -1,		/* bad input; the fo_err says where and why */
	FO_ENOMEM = -2,
	FO_EIO = -3		/* system error; errno is kept */
};

/* One exit-status table for every tool (fo.7, each tool's EXIT STATUS). */
enum fo_exit {
	FO_EXIT_OK = 0,		/* success */
	FO_EXIT_REJECTED = 1,	/* ran to the end, some input rejected */
	FO_EXIT_USAGE = 2,	/* usage, rules or profile error: nothing read */
	FO_EXIT_SYSTEM = 3	/* open, read, write or memory error */
};

struct fo_span {
	const char *p;
	size_t n;
};

/* err.c */
struct fo_err {
	const char *file;	/* not owned; NULL when not known */
	long line;		/* 1-based; 0 when not known */
	long col;		/* 1-based; 0 when not known */
	char msg[256];
};

struct fo_errs {		/* every error of a load, for loaders */
	struct fo_err *v;
	size_t n, cap;
};

void	fo_err_clear(struct fo_err *);
void	fo_err_set(struct fo_err *, const char *file, long line, long col,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void	fo_err_msg(struct fo_err *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	fo_errs_add(struct fo_errs *, const struct fo_err *);
int	fo_errs_addf(struct fo_errs *, const char *file, long line, long col,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Order errors from index from on by line and column, stably. */
void	fo_errs_sort(struct fo_errs *, size_t from);
/* The verdict of a load that reported into es from from on: FO_OK when
 * it reported nothing, else FO_ERR with those errors sorted. */
int	fo_errs_verdict(struct fo_errs *, size_t from);
void	fo_errs_free(struct fo_errs *);

/* A library opened when a run first needs it (dl.c), by soname: NULL
 * with e naming file, the library, what it was needed for and dlerror's
 * text. fo_dl_sym: one of its functions, NULL with e saying so. */
void	*fo_dl_open(const char *file, const char *soname, const char *what,
	    struct fo_err *e);
void	*fo_dl_sym(void *, const char *file, const char *soname,
	    const char *name, struct fo_err *e);
void	fo_dl_close(void *);

/* buf.c */
struct fo_buf {
	char *p;
	size_t n, cap;
	int oom;		/* sticky: a put failed for want of memory */
};

void	fo_buf_reset(struct fo_buf *);	/* n = 0, keep memory and oom */
void	fo_buf_free(struct fo_buf *);
/* Each of n buffers (a stage's scratch fields). */
void	fo_bufs_free(struct fo_buf *, size_t n);
/* Room for more bytes plus a NUL (so fo_buf_cstr never fails): inline
 * when there is room already, fo_buf_grow when not. */
int	fo_buf_grow(struct fo_buf *, size_t more);
static inline int
fo_buf_reserve(struct fo_buf *b, size_t more)
{
	if (!b->oom && more < b->cap - b->n)
		return FO_OK;
	return fo_buf_grow(b, more);
}
/* Inline, these three: they write every key, comma and value of every
 * record, most of them a few bytes long (and a literal's strlen is
 * known when compiled). */
static inline void
fo_buf_put(struct fo_buf *b, const void *s, size_t n)
{
	const char *q = s;
	char *d;
	uint64_t x, y;
	uint32_t u, v;

	if (n >= b->cap - b->n && fo_buf_reserve(b, n) != FO_OK)
		return;
	d = b->p + b->n;
#ifdef __GNUC__
	/* where s is a small array and n at most its size, GCC would warn
	 * of the wider loads on paths n never takes (even at link time):
	 * it is not told which object q points into */
	__asm__("" : "+r"(q));
#endif
	/* up to 16 bytes, two loads and two stores that may overlap: a
	 * call to memcpy costs more than such a copy */
	if (n >= 8 && n <= 16) {
		memcpy(&x, q, 8);
		memcpy(&y, q + n - 8, 8);
		memcpy(d, &x, 8);
		memcpy(d + n - 8, &y, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(&u, q, 4);
		memcpy(&v, q + n - 4, 4);
		memcpy(d, &u, 4);
		memcpy(d + n - 4, &v, 4);
	} else if (n > 0 && n < 4) {
		d[0] = q[0];
		d[n / 2] = q[n / 2];
		d[n - 1] = q[n - 1];
	} else if (n > 16)
		memcpy(d, q, n);
	b->n += n;
}
static inline void
fo_buf_puts(struct fo_buf *b, const char *s)
{
	fo_buf_put(b, s, strlen(s));
}
static inline void
fo_buf_putc(struct fo_buf *b, int c)
{
	if (b->n + 1 < b->cap || fo_buf_reserve(b, 1) == FO_OK)
		b->p[b->n++] = (char)c;
}
/* Append the whole file at path: FO_OK; FO_ERR when it holds more than
 * max bytes (a pipe is read a byte past max, no more); FO_EIO or
 * FO_ENOMEM with errno. On anything but FO_OK, b is as it was. */
int	fo_buf_slurp(struct fo_buf *, const char *path, size_t max);
/* A decimal integer, as printf's %lld, without the printf family: for
 * what is written on every record. */
void	fo_buf_putll(struct fo_buf *, long long);
void	fo_buf_printf(struct fo_buf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* A NUL-terminated view ("" when out of memory). */
static inline const char *
fo_buf_cstr(struct fo_buf *b)
{
	if (fo_buf_reserve(b, 0) != FO_OK)
		return "";
	b->p[b->n] = '\0';
	return b->p;
}

/* What a loaded policy owns (its strings and arrays), freed at once. */
struct fo_owned {
	void **v;
	size_t n, cap;
};

/* Keep p, to be freed with the rest; NULL when p is NULL or memory ran
 * out (p is then freed). */
void	*fo_own(struct fo_owned *, void *p);
void	fo_owned_free(struct fo_owned *);

/* Eight bytes at a time, for the scans of text in json.c, csv.c and
 * ingest.c: FO_HAS_ZERO(w) says whether some byte of w is zero (exact as
 * a whole; past the first zero byte a flag may be false);
 * FO_JSON_ESC8(w) flags (the top bit of the byte) the bytes a JSON
 * string must escape: a control character, a quote, a backslash. */
#define FO_ONES 0x0101010101010101ULL
#define FO_HIGHS 0x8080808080808080ULL
#define FO_HAS_ZERO(w) (((w) - FO_ONES) & ~(w) & FO_HIGHS)
#define FO_JSON_ESC8(w) ((((w) - 0x20 * FO_ONES) & ~(w) & FO_HIGHS) | \
	FO_HAS_ZERO((w) ^ ('"' * FO_ONES)) | \
	FO_HAS_ZERO((w) ^ ('\\' * FO_ONES)))

/* utf8.c */
/* Offset of the first byte that is not well-formed UTF-8 (overlongs,
 * surrogates and code points past U+10FFFF are not), or n if all are. */
size_t	fo_utf8_check(const char *, size_t n);
/* Replace each byte of s that is not part of well-formed UTF-8 with '?',
 * in place: a message that quotes 40 bytes of a field, or a cut one,
 * stays UTF-8 on a terminal and in a reject file. */
void	fo_utf8_scrub(char *s);
/* Code point cp (at most U+10FFFF) as UTF-8 into out (4 bytes of room);
 * returns its length. */
size_t	fo_utf8_put(unsigned long cp, char *out);
/* The four hex digits of a \u escape at s as a value, or -1 at the
 * first that is not one (so a shorter string is not read past its end). */
long	fo_hex4(const char *s);

/* FNV-1a, 64 bits: the one hash of the library, for its hash tables and
 * for fo-ingest's hash ids (which must never change). Start h at
 * FO_FNV_BASIS; the result goes on over n more bytes. Inline: fo-ingest
 * hashes every field of every row. */
#define FO_FNV_BASIS 0xcbf29ce484222325ULL
#define FO_FNV_PRIME 0x100000001b3ULL
/* The index of w's lowest set bit; w must not be 0. For walking the
 * set bits of a word: for (; w != 0; w &= w - 1) ... fo_lowbit(w). */
static inline unsigned
fo_lowbit(uint64_t w)
{
#ifdef __GNUC__
	return (unsigned)__builtin_ctzll(w);
#else
	unsigned i = 0;

	for (; !(w & 1); w >>= 1)
		i++;
	return i;
#endif
}

/*
 * Whether the n bytes at a and at b are the same: memcmp(a, b, n) == 0,
 * inline for the short texts every stage compares a record at a time
 * (keys, codes, literals, memo keys): two loads a side at most up to 16
 * bytes, where a call to the C library's memcmp costs more than the
 * compare.
 */
static inline int
fo_same(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;
	uint64_t x, y, u, v;
	uint32_t h, i, j, k;

	if (n >= 8 && n <= 16) {
		memcpy(&x, p, 8);
		memcpy(&y, q, 8);
		memcpy(&u, p + n - 8, 8);
		memcpy(&v, q + n - 8, 8);
		return ((x ^ y) | (u ^ v)) == 0;
	}
	if (n >= 4 && n < 8) {
		memcpy(&h, p, 4);
		memcpy(&i, q, 4);
		memcpy(&j, p + n - 4, 4);
		memcpy(&k, q + n - 4, 4);
		return ((h ^ i) | (j ^ k)) == 0;
	}
	if (n < 4)
		return n == 0 || (p[0] == q[0] && p[n / 2] == q[n / 2] &&
		    p[n - 1] == q[n - 1]);
	return memcmp(a, b, n) == 0;
}

/* Whether the name (NUL-terminated) is the n bytes at w: a table of
 * names looked up by a word of a text, the first byte compared before
 * any call. The word may hold a NUL (a YAML key "rules\0x", a decoded
 * \u0000): the name's length is found first, never read past its end. */
static inline int
fo_named(const char *name, const char *w, size_t n)
{
	return n > 0 && name[0] == w[0] && strnlen(name, n) == n &&
	    name[n] == '\0' && memcmp(name, w, n) == 0;
}

/*
 * A hash of n bytes taken eight at a time, for tables in memory only
 * (nothing written keeps it): the rules' memo keys and literal sets, the
 * duplicate index's id sieve. The last one to seven bytes are two
 * overlapping words, or the first, middle and last byte, not a memcpy of
 * variable length (a call); n is mixed in first.
 */
static inline uint64_t
fo_hash_words(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;
	uint32_t a, b;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	if (n >= 4) {
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		h = (h ^ ((uint64_t)a << 32 | b)) * 0xc4ceb9fe1a85ec53ULL;
	} else if (n > 0)
		h = (h ^ ((uint64_t)s[0] << 16 | (uint64_t)s[n / 2] << 8 |
		    s[n - 1])) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ h >> 29;
}

static inline uint64_t
fo_fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n-- > 0)
		h = (h ^ *s++) * FO_FNV_PRIME;
	return h;
}

/* json.c: writing */
/* Append s as a JSON string, quotes included. s must be valid UTF-8;
 * '"', '\\' and control characters are escaped, nothing else is. */
void	fo_json_str(struct fo_buf *, const char *s, size_t n);
/* Same, for text that may not be UTF-8: each byte that is not well-formed
 * UTF-8 becomes U+FFFD. Returns how many bytes were replaced. */
size_t	fo_json_str_lossy(struct fo_buf *, const char *s, size_t n);

struct fo_obj {			/* writes one JSON object, key by key */
	struct fo_buf *b;
	int n;
};
void	fo_obj_begin(struct fo_obj *, struct fo_buf *);
void	fo_obj_key(struct fo_obj *, const char *key);	/* ,"key": */
void	fo_obj_str(struct fo_obj *, const char *key, const char *s, size_t n);
void	fo_obj_raw(struct fo_obj *, const char *key, const char *text);
void	fo_obj_long(struct fo_obj *, const char *key, long v);
void	fo_obj_end(struct fo_obj *);

/* json.c: reading */
#define FO_JSON_MAX_DEPTH 64

enum fo_jtype {
	FO_J_UNDEF = 0, FO_J_OBJECT, FO_J_ARRAY, FO_J_STRING, FO_J_PRIMITIVE
};

/* Check one complete JSON text (RFC 8259: any value at top level,
 * whitespace around it) against the grammar, escapes, UTF-8 and
 * max_depth. FO_OK, or FO_ERR with e->col the 1-based byte offset. */
int	fo_json_check(const char *s, size_t n, int max_depth, struct fo_err *);

/* A record: one NDJSON line, tokenised in place by jsmn (json.c). */
struct fo_rec {
	const char *text;	/* the line, not owned */
	size_t len;
	void *tok;		/* token array, owned, reused across lines */
	int ntok, cap;
	int inner;		/* objects of two keys or more in the root */
	int *top;		/* hash table of the root's keys, fo_rec_find */
	int ntop, topcap;	/* the root's keys; slots allocated */
	unsigned topmask;	/* slots in use - 1 */
	int *scratch;		/* the same for an inner object's keys */
	int scratchcap;
	struct fo_recf *fl;	/* its numbered fields (fo_rec_field) */
};

/* What a record knows of its numbered fields (fo_field_id): ftok[fid]
 * is the value token of fid (or -1) when fgen[fid] is gen, and when
 * walked is gen every field below nres that is not so stamped is absent.
 * A line's first few fields are looked up by name; from then on one
 * walk of its keys finds them all. */
struct fo_recf {
	unsigned gen, walked;
	int asked;		/* by name, this line */
	int nres;		/* fields with a stamp: the numbered, then */
	int cap;
	unsigned *fgen;
	int *ftok;
};

void	fo_rec_init(struct fo_rec *);
void	fo_rec_free(struct fo_rec *);
/* Tokenise and validate one line (without its '\n'): valid JSON as for
 * fo_json_check (the record's own object counts as depth 1), a single
 * object, unique keys in every object (compared decoded). FO_OK, FO_ERR
 * with e->col and a message that says what is wrong, or FO_ENOMEM. */
int	fo_rec_parse(struct fo_rec *, const char *text, size_t len,
	    struct fo_err *);
/* Token index of the value of a top-level key, or -1. */
int	fo_rec_find(const struct fo_rec *, const char *key);
/* The same, -1 for a value that is null too (recget.c's fields). */
int	fo_rec_value(const struct fo_rec *, const char *key);
/* The same for a key of n bytes whose fo_rec_keyhash is h: a key looked
 * up in every record is hashed once. */
uint32_t fo_rec_keyhash(const char *key, size_t n);
int	fo_rec_root(const struct fo_rec *, const char *key, size_t n,
	    uint32_t h);
/*
 * Top-level keys that a stage reads in every record, numbered once for
 * the process: fo_field_id gives key (n bytes, decoded) its number, the
 * same on every call, or -1 past FO_MAX_FIELDS names (or out of
 * memory); numbers only ever get added. fo_rec_field: the value token
 * of field fid in the record, or -1 when absent. A stage that asks for
 * more than a few fields of a line has them found in one walk of its
 * keys, each key looked up once among the numbered names; the others
 * pay one lookup by name per field.
 */
#define FO_MAX_FIELDS	4096
int	fo_field_id(const char *key, size_t n);
int	fo_rec_field_find(const struct fo_rec *, int fid);
/* fo_rec_field, -1 for a null value too (as fo_rec_value). */
int	fo_rec_field_value(const struct fo_rec *, int fid);
static inline int
fo_rec_field(const struct fo_rec *r, int fid)
{
	const struct fo_recf *f = r->fl;

	if (f != NULL && fid >= 0 && fid < f->nres) {
		if (f->fgen[fid] == f->gen)
			return f->ftok[fid];
		if (f->walked == f->gen)
			return -1;
	}
	return fo_rec_field_find(r, fid);
}
/* Whether the line's numbered fields are stamped (it was walked): a
 * field is then one load, where a lookup by name would walk it. */
static inline int
fo_rec_walked(const struct fo_rec *r)
{
	return r->fl != NULL && r->fl->walked == r->fl->gen;
}
/*
 * The tokens, read in place (every stage reads them for every field): a
 * record's tokens are jsmn's, FO_TOK_INTS ints each (json.c checks the
 * layout), and for a string the last says whether it holds an escape,
 * for a container which token follows it (json.c's walk sets both).
 */
enum { FO_TOK_TYPE, FO_TOK_START, FO_TOK_END, FO_TOK_SIZE, FO_TOK_PARENT,
	FO_TOK_INTS };
static inline const int *
fo_rec_tok(const struct fo_rec *r, int t)
{
	return (const int *)r->tok + (size_t)t * FO_TOK_INTS;
}
/* The token's type; FO_J_UNDEF for no such token. */
static inline enum fo_jtype
fo_rec_type(const struct fo_rec *r, int t)
{
	if (t < 0 || t >= r->ntok)
		return FO_J_UNDEF;
	return (enum fo_jtype)fo_rec_tok(r, t)[FO_TOK_TYPE];
}
/* The token's text: a string without its quotes (escapes left as
 * written), a primitive as written, a container with its brackets. */
static inline struct fo_span
fo_rec_span(const struct fo_rec *r, int t)
{
	struct fo_span s = { NULL, 0 };
	const int *k;

	if (t < 0 || t >= r->ntok)
		return s;
	k = fo_rec_tok(r, t);
	s.p = r->text + k[FO_TOK_START];
	s.n = (size_t)(k[FO_TOK_END] - k[FO_TOK_START]);
	return s;
}
/* Whether string token t holds a backslash; 0 for any other token. */
static inline int
fo_rec_esc(const struct fo_rec *r, int t)
{
	return fo_rec_type(r, t) == FO_J_STRING &&
	    fo_rec_tok(r, t)[FO_TOK_PARENT] != 0;
}
/* The 1-based column of the token in its line, for messages (a string:
 * its opening quote); 0 for no such token. */
long	fo_rec_col(const struct fo_rec *, int tok);
/* Members of an object (keys) or an array; 0 for other tokens. */
static inline int
fo_rec_size(const struct fo_rec *r, int t)
{
	if (t < 0 || t >= r->ntok)
		return 0;
	return fo_rec_tok(r, t)[FO_TOK_SIZE];
}
/* Decode a string token (escapes resolved; \u0000 gives a NUL, so use
 * b->n) into b. FO_OK, FO_ERR (no such token) or FO_ENOMEM. */
int	fo_rec_str(const struct fo_rec *, int tok, struct fo_buf *b);
/* The token after tok's subtree (its next sibling, or past the end):
 * -1 for no such token. */
static inline int
fo_rec_next(const struct fo_rec *r, int t)
{
	const int *k;

	if (t < 0 || t >= r->ntok)
		return -1;
	k = fo_rec_tok(r, t);
	return k[FO_TOK_TYPE] == FO_J_OBJECT || k[FO_TOK_TYPE] == FO_J_ARRAY ?
	    k[FO_TOK_PARENT] : t + 1;
}
/* The value token of key (n bytes, compared decoded) in object token
 * obj, or -1. */
int	fo_rec_member(const struct fo_rec *, int obj, const char *key,
	    size_t n);
/* The same for a key whose fo_rec_keyhash is h, known in advance. */
int	fo_rec_member_h(const struct fo_rec *, int obj, const char *key,
	    size_t n, uint32_t h);
/* Decode the escapes of a checked string's raw bytes (a token's span)
 * into out, which needs n bytes (decoding never lengthens); returns the
 * decoded length. Lone surrogates become U+FFFD, as in fo_rec_str. */
size_t	fo_json_unescape(const char *s, size_t n, char *out);

/* recout.c: a record written back with keys set. */
struct fo_kv {
	const char *key;
	const char *val;	/* the value as JSON text */
	size_t vlen;
};

/* Append r to out with each kv set: a key already in the record keeps its
 * place and takes the new value; the others are added at the end, in the
 * order given; all other bytes are copied as read. No '\n' is added. */
int	fo_rec_write(const struct fo_rec *, const struct fo_kv *, size_t n,
	    struct fo_buf *out);

/* dec.c: exact decimals. value = v / 10^scale. Money never sees a double. */
#define FO_DEC_MAX_SCALE 6	/* quantities, prices, rates */
#define FO_DEC_ASIS (-1)	/* keep the scale as written */

struct fo_dec {
	int64_t v;
	int scale;
};

enum fo_numstyle {
	FO_NUM_AUTO = 0,	/* only what cannot be read two ways */
	FO_NUM_DOT,		/* 1,234.56 */
	FO_NUM_COMMA,		/* 1.234,56 */
	FO_NUM_SPACE,		/* 1 234,56 (also U+00A0, U+202F) */
	FO_NUM_APOS,		/* 1'234.56 */
	FO_NUM_PLAIN		/* 1234.56: no group mark at all */
};

/* The style named by example ("1,234.56", "1.234,56", "1 234,56",
 * "1'234.56", "1234.56", "auto"). FO_OK or FO_ERR. */
int	fo_numstyle_parse(const char *example, enum fo_numstyle *);
const char *fo_numstyle_name(enum fo_numstyle);
/* Parse an amount or quantity. scale >= 0: the result has exactly that
 * scale (an amount: the currency's minor units); more decimals than that
 * are an error unless they are zeros. scale == FO_DEC_ASIS: the scale as
 * written, at most FO_DEC_MAX_SCALE. Negatives in every style: leading
 * or trailing '-', parentheses, trailing CR; DR is positive. Currency
 * symbols are ignored. FO_OK, FO_EMPTY (blank), or FO_ERR with e->col the
 * 1-based offset in s of the first offending character. */
int	fo_dec_parse(const char *s, size_t n, enum fo_numstyle, int scale,
	    struct fo_dec *, struct fo_err *);
/* The same, for an amount whose currency marks the caller resolves (a
 * currency table): marks are not checked but kept, up to two ("$ USD",
 * "$12.00 USD"), each up to 4 ASCII letters, up to 3 signs ('$' or a
 * UTF-8 character that is no space, punctuation or minus), letters
 * again after a sign, and a '.' after two letters: "CHF", "kr", "A$",
 * "NZ$", "$CAD", "Fr.". marks[i] point into s; *nmark is their count
 * (set on FO_OK). */
int	fo_dec_parse_marks(const char *s, size_t n, enum fo_numstyle,
	    int scale, struct fo_dec *, struct fo_span marks[2], int *nmark,
	    struct fo_err *);
/* Plain text "-1234.56" into buf (at least FO_DEC_BUFSZ); returns length. */
#define FO_DEC_BUFSZ 32
size_t	fo_dec_fmt(const struct fo_dec *, char *buf);
/* Move the decimal point: the digits of v stay, the scale becomes
 * scale + shift, so the value is multiplied by 10^-shift exactly. SAP
 * stores 0- and 3-decimal currencies scaled to 2: parse such a raw
 * amount at scale 2, then shift by (minor - 2): "1.00" JPY -> 100,
 * "123.45" KWD -> 12.345. FO_ERR on overflow or lost digits. Scales are
 * 0..18 throughout; v is never INT64_MIN. */
int	fo_dec_shift(struct fo_dec *, int shift);
/* To a new scale; rounding half-even when it drops digits. FO_ERR on
 * overflow. */
int	fo_dec_rescale(struct fo_dec *, int scale);
int	fo_dec_cmp(const struct fo_dec *, const struct fo_dec *);
/* *r = a + b or a * b (result at scale, half-even); FO_ERR on overflow. */
int	fo_dec_add(const struct fo_dec *, const struct fo_dec *, struct fo_dec *r);
int	fo_dec_mul(const struct fo_dec *, const struct fo_dec *, int scale,
	    struct fo_dec *r);
/* *r = a * b * c / 10^down at scale: the product exact in 128 bits,
 * rounded half-even once (amount x rate x percent / 100). FO_ERR on
 * overflow. */
int	fo_dec_mul3(const struct fo_dec *, const struct fo_dec *,
	    const struct fo_dec *, int down, int scale, struct fo_dec *r);

/* recget.c: the one typed reader of a record's canonical fields
 * (fo-record.5, VERDICTS), used by every stage that reads one, so that a
 * value has one verdict and one message in every stage. Each returns
 * FO_OK; FO_EMPTY when the key is absent or null (a text, date or
 * timestamp also when ""); FO_ERR with e->msg "KEY VALUE: what it is
 * not" and e->col the value's column in the line; or FO_ENOMEM. */
/* A string, decoded into b (reset first; NUL-terminated). */
int	fo_get_text(const struct fo_rec *, const char *key, struct fo_buf *b,
	    struct fo_err *);
/* A string of exactly YYYY-MM-DD naming a real day. */
int	fo_get_date(const struct fo_rec *, const char *key, int32_t *days,
	    struct fo_err *);
/* A string YYYY-MM-DDTHH:MM[:SS], then Z or an offset: seconds, UTC. */
int	fo_get_ts(const struct fo_rec *, const char *key, int64_t *secs,
	    struct fo_err *);
/* A JSON number without an exponent, exact, at its written scale (at
 * most FO_DEC_MAX_SCALE): quantities, prices, percents, scores. */
int	fo_get_dec(const struct fo_rec *, const char *key, struct fo_dec *,
	    struct fo_err *);
/* Money: key a JSON number with at most its currency's minor digits,
 * read at exactly that scale; curkey, when present and not "", an ISO
 * 4217 code fo knows (checked even when key is absent). Without a
 * currency cur is "" and the amount, as fo-ingest writes it with the
 * decimals it had (at most six), is read at scale 6. */
#define FO_MONEY_NOCUR_SCALE FO_DEC_MAX_SCALE
struct fo_money {
	struct fo_dec v;
	char cur[4];		/* "" when the record names none */
};
int	fo_get_money(const struct fo_rec *, const char *key,
	    const char *curkey, struct fo_money *, struct fo_err *);
/* A key a stage reads in every record, numbered once (fo_field_id):
 * the _k readers take it for its name, and find it among the record's
 * numbered fields, with the same verdicts and messages. */
struct fo_key {
	const char *name;	/* not copied */
	int fid;		/* -1: looked up by name */
};
void	fo_key_init(struct fo_key *, const char *name);
/* Its value token, null or not (fo_rec_find's), or -1. */
int	fo_key_find(const struct fo_rec *, const struct fo_key *);
int	fo_get_text_k(const struct fo_rec *, const struct fo_key *,
	    struct fo_buf *, struct fo_err *);
int	fo_get_date_k(const struct fo_rec *, const struct fo_key *,
	    int32_t *days, struct fo_err *);
int	fo_get_money_k(const struct fo_rec *, const struct fo_key *,
	    const struct fo_key *cur, struct fo_money *, struct fo_err *);
/* true or false. */
int	fo_get_bool(const struct fo_rec *, const char *key, int *v,
	    struct fo_err *);
/* An array of strings (hold_codes): *tok its token. */
int	fo_get_texts(const struct fo_rec *, const char *key, int *tok,
	    struct fo_err *);
/* Whether a record is an exception, the one test every stage makes
 * (fo-record.5): FO_OK, an exception, its class decoded into cls (may
 * be NULL); FO_EMPTY, none ("exception" absent or null: pass it
 * through); FO_ERR for any other value (42, "", an array), rejected. */
int	fo_rec_exception(const struct fo_rec *, struct fo_buf *cls,
	    struct fo_err *);

/* currency.c: ISO 4217 minor units. -1 when the code is not known. */
int	fo_currency_minor(const char *code, size_t n);

/* The currency table (rules/currencies.yaml, fo-rules.5): the names and
 * symbols exports write for a currency. Every mistake to errs as
 * FILE:LINE:COL. FO_OK, FO_ERR, FO_EIO or FO_ENOMEM. */
struct fo_currencies;

#define FO_CUR_MAXCAND 16

struct fo_curmatch {		/* the codes a text may mean */
	size_t n;
	char code[FO_CUR_MAXCAND][4];
	int oom;
};

int	fo_currencies_load(const char *path, struct fo_currencies **,
	    struct fo_errs *);
void	fo_currencies_free(struct fo_currencies *);
/* What s names: an ISO 4217 code in any case; else a symbol ("$", "CHF",
 * "kr", compared but for ASCII case); else a name (compared folded like
 * headers); else a sign and a code or symbol together ("$CAD"). The
 * table may be NULL: codes only. FO_OK with m->n >= 1 (more than one:
 * ambiguous, in the table's order), FO_EMPTY when nothing is known by
 * that text, FO_ENOMEM. */
int	fo_currency_lookup(const struct fo_currencies *, const char *s,
	    size_t n, struct fo_curmatch *m);

/* date.c: dates as days since 1970-01-01; computed, never guessed. */
enum fo_datefmt {
	FO_DATE_AUTO = 0,	/* ISO, YYYYMMDD, DD.MM.YYYY, DD-MON-YY(YY) */
	FO_DATE_ISO,		/* YYYY-MM-DD, time and offset after it ignored */
	FO_DATE_DMY_DOT,	/* DD.MM.YYYY */
	FO_DATE_MDY_SLASH,	/* MM/DD/YYYY */
	FO_DATE_DMY_SLASH,	/* DD/MM/YYYY */
	FO_DATE_YYYYMMDD,	/* 00000000 is empty */
	FO_DATE_DD_MON_YYYY,
	FO_DATE_DD_MON_YY,
	FO_DATE_YYMMDD,
	FO_DATE_EXCEL,		/* 1900 system serial */
	FO_DATE_EXCEL1904,
	FO_DATE_DMY_DOT_YY	/* DD.MM.YY; a four-digit year read too */
};

/* The format by name as written in --dates and profiles ("DD.MM.YYYY",
 * "MM/DD/YYYY", "DD/MM/YYYY", "YYYY-MM-DD", "YYYYMMDD", "DD-MON-YYYY",
 * "DD-MON-YY", "YYMMDD", "EXCEL", "EXCEL1904", "DD.MM.YY", "auto"). */
int	fo_datefmt_parse(const char *name, enum fo_datefmt *);
const char *fo_datefmt_name(enum fo_datefmt);
/* FO_OK, FO_EMPTY (blank, or 00000000), or FO_ERR with e->col. */
int	fo_date_parse(const char *s, size_t n, enum fo_datefmt, int32_t *days,
	    struct fo_err *);
/* A date as an export's column holds it (fo-ingest(1), Dates): the same,
 * but text that starts YYYY- is read as ISO 8601 (a time and offset
 * after it checked, then dropped) whatever the format, and the
 * day-month-year formats (not auto) take a year of two digits as well
 * as four,
 * 00-68 as 20xx and 69-99 as 19xx (POSIX strptime %y). */
int	fo_date_read(const char *s, size_t n, enum fo_datefmt, int32_t *days,
	    struct fo_err *);
int	fo_date_valid(int y, int m, int d);	/* 1 or 0; years 1..9999 */
/* Months past 12 carry into the year, days past the month's end count
 * on (2026-13-01 is 2027-01-01): date arithmetic by components. */
int32_t	fo_date_from_ymd(int y, int m, int d);
void	fo_date_to_ymd(int32_t days, int *y, int *m, int *d);
/* "YYYY-MM-DD" into buf (at least 11 bytes); returns 10. */
size_t	fo_date_fmt(int32_t days, char *buf);
int	fo_date_weekday(int32_t days);	/* 0 Monday .. 6 Sunday */
/* ISO 8601 timestamp with Z or +-HH:MM offset (seconds optional, a
 * fraction ignored), to seconds since the epoch, UTC. */
int	fo_ts_parse(const char *s, size_t n, int64_t *secs, struct fo_err *);
/* "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes); returns 20. */
size_t	fo_ts_fmt(int64_t secs, char *buf);

/* asof.c: the one --as-of (fo.7, AS OF). It names a day, YYYY-MM-DD;
 * where a stage needs an instant it takes the day's last second,
 * 23:59:59 UTC. A timestamp (YYYY-MM-DDTHH:MM[:SS] with Z or an offset)
 * is taken too: that instant, and its UTC day. */
struct fo_asof {
	int32_t day;		/* days since 1970-01-01 */
	int64_t at;		/* seconds since the epoch, UTC */
	int timed;		/* given as a timestamp */
	char text[24];		/* "2026-11-21" or "2026-11-21T12:00:00Z" */
};

/* FO_OK, or FO_ERR with e->msg "WHAT 'S': ..." (what: "--as-of"). */
int	fo_asof_parse(const char *s, const char *what, struct fo_asof *,
	    struct fo_err *);
/* The run's as-of: arg (--as-of) when not NULL, else $FO_AS_OF when set
 * and not empty, else today (UTC) by the wall clock. */
int	fo_asof_get(const char *arg, struct fo_asof *, struct fo_err *);

/* yaml.c: rules and profiles as a tree with positions (libyaml). */
#define FO_YAML_MAX_DEPTH 32
#define FO_YAML_MAX_BYTES (4 << 20)

enum fo_ytype { FO_Y_SCALAR, FO_Y_SEQ, FO_Y_MAP };

struct fo_ynode {
	enum fo_ytype type;
	long line, col;		/* 1-based start */
	char *str;		/* scalar text, NUL-terminated */
	size_t len;
	int plain;		/* scalar was written unquoted */
	struct fo_ynode **kid;	/* seq: items; map: key, value, key, ... */
	size_t n;		/* number of kid pointers */
};

struct fo_ydoc {
	char *file;		/* as given */
	struct fo_ynode *root;	/* NULL for an empty document */
	void *arena;
};

/* Load a YAML file into a tree. Refuses, with FILE:LINE:COL in errs
 * (file: the path or name argument; columns count characters):
 * syntax errors, anchors/aliases, tags, more than one document, depth
 * past FO_YAML_MAX_DEPTH, files over FO_YAML_MAX_BYTES, duplicate keys
 * in a mapping, non-scalar keys; at most 100 errors a load. FO_OK,
 * FO_ERR (see errs), FO_EIO or FO_ENOMEM; *doc is NULL unless FO_OK. */
int	fo_yaml_load(const char *path, struct fo_ydoc **, struct fo_errs *);
int	fo_yaml_load_mem(const char *name, const char *s, size_t n,
	    struct fo_ydoc **, struct fo_errs *);

/*
 * Rules files read ahead. tools/yamlc loads the shipped rules files at
 * build time and writes each one's bytes and tree as C (struct
 * fo_yahead); a tool is linked with those it reads by default. A load
 * whose bytes are one of them, byte for byte, takes that tree instead
 * of parsing the same bytes again: the same nodes, positions and
 * texts, in a document of its own. Any other bytes are parsed. The
 * table ends with an entry whose text is NULL; lib/rules/ahead.c's
 * empty one is linked where a tool brings none. fo_yaml_ahead = 0
 * parses every load (yamlc, and the tests comparing the two).
 */
struct fo_yanode {
	uint32_t line, col;
	uint32_t str, len;	/* a scalar: its text at strs + str */
	uint32_t kid, n;	/* a collection: node[kid], n of them */
	unsigned char type;	/* enum fo_ytype */
	unsigned char plain;
};

/* The nodes breadth first: node[0] is the root, and a collection's
 * kids are consecutive. */
struct fo_yahead {
	const char *name;	/* the file it was made from, for tests */
	const char *text;	/* the file's bytes */
	size_t len;
	const char *strs;	/* every scalar's text, each NUL-ended */
	size_t strslen;
	const struct fo_yanode *node;
	size_t nnode;		/* 0: an empty document */
};

extern const struct fo_yahead fo_yahead[];
extern int fo_yaml_ahead;
void	fo_yaml_free(struct fo_ydoc *);
const struct fo_ynode *fo_ymap_get(const struct fo_ynode *map, const char *key);
/* The text of a scalar node, or NULL for anything else. */
const char *fo_yscalar(const struct fo_ynode *);
/* A name rules may use: a letter or _, then letters, digits and _. */
int	fo_yname_ok(const char *);
/* An error at a node's position (line 0 when the node is NULL). */
void	fo_yerr(struct fo_errs *, const char *file, const struct fo_ynode *,
	    const char *fmt, const char *arg);
/* A whole number from lo to hi, all of s. FO_OK or FO_ERR. */
int	fo_ywhole(const char *s, long lo, long hi, long *out);
/* Report every key of map not in allowed (NULL-terminated); returns the
 * count reported. */
int	fo_ymap_check(const struct fo_ynode *map, const char *const *allowed,
	    const char *what, const char *file, struct fo_errs *);

/* out.c: checked, buffered output; files appear whole or not at all. */
struct fo_out {
	int fd;
	char *name;		/* for messages: "<stdout>" or the path */
	char *tmp;		/* temporary path while atomic, else NULL */
	char *path;		/* final path when atomic */
	struct fo_buf b;
	int err;		/* errno of the first failed write, sticky */
	int owned_fd;		/* opened here (a device named by path) */
};

int	fo_out_fd(struct fo_out *, int fd, const char *name);
/* Write to a temporary file beside path, renamed over it by
 * fo_out_close; fo_out_abort (or a crash) leaves path as it was. A path
 * that exists and is not a regular file (a device, a FIFO) is written
 * directly. */
int	fo_out_atomic(struct fo_out *, const char *path, struct fo_err *);
void	fo_out_put(struct fo_out *, const void *, size_t);
/* Output made in place, saving a copy: append to the buffer that
 * fo_out_buf gives, then call fo_out_done (which writes once enough is
 * gathered, or drops it after a failed write). */
struct fo_buf *fo_out_buf(struct fo_out *);
void	fo_out_done(struct fo_out *);
int	fo_out_flush(struct fo_out *);	/* FO_OK or FO_EIO (o->err set) */
int	fo_out_close(struct fo_out *, struct fo_err *);	/* flush, fsync, rename */
void	fo_out_abort(struct fo_out *);
/* A directory whose files appear as one set: DIR a symbolic link to a
 * hidden ".DIR.set.XXXXXX" beside it, replaced whole; a plain DIR is
 * moved aside on the first run. Locked (".DIR.lock") from open to
 * commit or abort. */
struct fo_outdir {
	char *path, *parent, *base;
	char *set;		/* the new set, hidden until the switch */
	char *prev;		/* the set DIR names now, removed after it */
	char *lockpath;
	int plain;		/* DIR is a directory, not yet a link */
	int lockfd;
	unsigned mode;
};
/* Lock DIR (waiting up to wait seconds; else FO_EIO, saying who holds
 * it), remove what killed runs left, make the new set. */
int	fo_outdir_open(struct fo_outdir *, const char *dir, long wait,
	    struct fo_err *);
/* The path of a file in the new set (malloc'd; NULL: out of memory). */
char	*fo_outdir_file(const struct fo_outdir *, const char *name);
void	fo_outdir_abort(struct fo_outdir *);
/* All of a run's outputs, or none: each flushed and synced, and only
 * when every one is complete renamed into place (then dir's set
 * switched in), the signals that remove temporaries held off meanwhile.
 * After a failure every output and dir is aborted: each target is as it
 * was. FO_OK or FO_EIO (e says which and why). */
int	fo_out_commit(struct fo_out **, size_t, struct fo_outdir *dir,
	    struct fo_err *);
/* What opening outputs cleaned up (temporaries of killed runs), for the
 * tool to say; moved to *to. */
void	fo_out_notes(struct fo_errs *to);

/* report.c: the one error format, reject format and summary line. */
struct fo_run {
	const char *prog;	/* "fo-ingest" */
	int quiet;
	long rows, records, rejected, skipped, merged;
	struct fo_out *rejects;	/* NULL: rejects only counted and reported */
	int rejects_failed;
	struct fo_out *extra;	/* more outputs committed with the run's */
	size_t nextra;
	struct fo_outdir *dir;	/* and a set switched in with them */
	int progress;		/* -1 off, 0 not shown yet, 1 on screen */
	long progress_next;	/* rows at which to look at the clock */
	int64_t progress_at;	/* last shown, seconds */
};

/* "prog: FILE:LINE:COL: message" on stderr (parts that are unknown left
 * out). */
void	fo_warn(const char *prog, const struct fo_err *);
void	fo_warnx(const char *prog, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Every error of a load, each as fo_warn does; then frees them. */
void	fo_warn_errs(const char *prog, struct fo_errs *);
/* One line of a tool's --help: the option as its manual writes it
 * ("-o, --output file") and what it does, in a few words. */
struct fo_opthelp {
	const char *opt;
	const char *text;
};
/* --help after the tool's usage line: the options, one a line (the table
 * ends with a NULL opt), the exit statuses and the manual page, on
 * standard output. Returns the exit status, as fo_stdout_status. */
int	fo_help(const char *prog, const struct fo_opthelp *);
/* -V: "prog VERSION" on standard output; the exit status. */
int	fo_version(const char *prog);
/* What a tool answered on standard output before it exits (--help, -V,
 * a list) flushed: FO_EXIT_OK, or FO_EXIT_SYSTEM and a message on
 * stderr ("prog: <stdout>: write: ..."), as for records. */
int	fo_stdout_status(const char *prog);
/* A file of the rules directory: $FO_RULES when set and not empty, else
 * builtin (the directory the tool was built for). name NULL: the
 * directory itself (buf unused). */
const char *fo_rules_file(const char *builtin, const char *name, char *buf,
	    size_t n);
/* Count a rejected row, say so on stderr and write
 * {"file","line","col","error","raw"} to the reject stream. */
void	fo_reject(struct fo_run *, const struct fo_err *, const char *raw,
	    size_t rawlen);
/* A progress line on stderr, once a second, when stderr is a terminal;
 * call once per row (cheap: it looks at the clock every 16384 rows). */
void	fo_progress(struct fo_run *);
/* "prog: 10 rows, 8 records, 1 rejected, 1 skipped" unless quiet. */
void	fo_summary(const struct fo_run *);
int	fo_exit_status(const struct fo_run *);
/* Open the records' output (standard output, or a file that appears
 * whole) and the reject file, if named; errors reported. FO_OK, FO_EIO. */
int	fo_run_open(struct fo_run *, struct fo_out *out, const char *output,
	    struct fo_out *rej, const char *rejects);
/* Finish both: on a system error (failed, or a write that failed) a file
 * output and the reject file are abandoned, not left half written. Then
 * the summary line. Returns the exit status. */
int	fo_run_close(struct fo_run *, struct fo_out *out, int failed);

/* filekind.c: what a file is by its first bytes, so that a zip, a PDF or
 * an old .xls given by mistake is refused by name, not read as rows. */
enum fo_filekind {
	FO_FILE_TEXT,		/* a text file: read it as CSV */
	FO_FILE_EMPTY,		/* zero bytes, or a byte order mark alone */
	FO_FILE_ZIP,
	FO_FILE_XLSX,		/* a zip holding an Excel workbook (xl/) */
	FO_FILE_PDF,
	FO_FILE_OLE2,		/* compound file: .xls, .doc, .msg */
	FO_FILE_GZIP,
	FO_FILE_BZIP2,
	FO_FILE_XZ,
	FO_FILE_ZSTD,
	FO_FILE_7Z,
	FO_FILE_RAR,
	FO_FILE_PNG,
	FO_FILE_JPEG,
	FO_FILE_GIF,
	FO_FILE_ELF,
	FO_FILE_BINARY		/* no known magic, but NUL bytes throughout */
};

/* The kind of the file whose first n bytes are at head: all of a short
 * file, else (n at least a few KiB) its beginning. */
enum fo_filekind fo_filekind(const void *head, size_t n);
/* What to call it in a message: "a PDF document". */
const char *fo_filekind_name(enum fo_filekind);
/* UTF-16 without a byte order mark, by the NULs of its first bytes:
 * 'l' little-endian, 'b' big-endian, 0 not UTF-16. */
int	fo_utf16_sniff(const void *head, size_t n);

/* csv.c: CSV front end over libcsv (strict), with physical positions. */
struct fo_csv;

struct fo_csv_opts {
	int delim;		/* ',' ';' '\t' '|' ... ; 0 = sniff */
	const char *encoding;	/* NULL/"utf-8", "windows-1252", "latin1", ... */
	size_t field_max;	/* bytes; 0 = default */
	size_t record_max;	/* bytes; 0 = default */
	int head_only;		/* end of input after the first 256 KiB */
	int quote;		/* 0: '"'; -1: no quoting at all */
	size_t read_max;	/* largest read; 0 = any (tests use small) */
	int nofast;		/* every line through libcsv (tests compare) */
};

#define FO_CSV_FIELD_MAX (1 << 20)
#define FO_CSV_RECORD_MAX (4 << 20)

struct fo_csv_row {
	size_t nf;
	struct fo_span *f;	/* fields, each NUL-terminated */
	long line;		/* physical line where the row starts */
	long lines;		/* physical lines it spans */
	const char *raw;	/* the row's text as read (after decoding) */
	size_t rawlen;
	const unsigned char *kind;	/* per field, enum fo_cellkind; NULL:
					 * all text (CSV) */
};

int	fo_csv_open(struct fo_csv **, int fd, const char *name,
	    const struct fo_csv_opts *, struct fo_err *);
/* Start again from the first byte with other options (a profile chosen
 * after looking at the header); only while nothing past the first
 * 256 KiB has been read. FO_OK or FO_ERR. */
int	fo_csv_reset(struct fo_csv *, const struct fo_csv_opts *,
	    struct fo_err *);
/* The next row: FO_OK (nf == 0 for a blank line), FO_EMPTY at the end of input, FO_ERR for a row
 * that cannot be read (e set, fo_csv_raw gives its text; reading goes on
 * at the next row), FO_EIO/FO_ENOMEM to stop. */
int	fo_csv_next(struct fo_csv *, struct fo_csv_row **, struct fo_err *);
/* The text of the row that failed, for the reject stream. */
struct fo_span fo_csv_raw(const struct fo_csv *);
/* A delimiter as named on the command line or in a profile: ',' ';'
 * '|' ':', "tab" (or a tab, or "\t"), "auto" (0: sniff); -1 if none. */
int	fo_csv_delim_parse(const char *);
int	fo_csv_delim(const struct fo_csv *);
/* Whether fo_csv_open knows an encoding name ("auto" included). */
int	fo_csv_encoding_known(const char *);
int	fo_csv_sniffed(const struct fo_csv *);
const char *fo_csv_encoding(const struct fo_csv *);
/* How the encoding was settled ("a UTF-8 byte order mark", "auto: ..."). */
const char *fo_csv_encoding_why(const struct fo_csv *);
/* What the file's first bytes say it is (fo_filekind). */
enum fo_filekind fo_csv_kind(const struct fo_csv *);
/* Something to tell about the rows read so far that is not an error (a
 * byte order mark removed inside the file): 1 and e set, once; else 0. */
int	fo_csv_notice(struct fo_csv *, struct fo_err *);
/* Physical line and column where the text of field i of row starts. */
void	fo_csv_field_pos(const struct fo_csv *, const struct fo_csv_row *,
	    size_t i, long *line, long *col);
void	fo_csv_close(struct fo_csv *);
/* The first bytes of the input, kept for sniffing (a workbook's magic). */
struct fo_span fo_csv_head(const struct fo_csv *);

/* xlsx.c: Excel workbooks (.xlsx): the zip through libzip, its XML parts
 * through libxml2's streaming reader. One worksheet's rows come out as
 * fo_csv_row: field i is column i (A is 0), empty cells and gaps empty,
 * every row as wide as the widest before it; line is the sheet's row
 * number; raw is the cells joined by the delimiter, quoted as in CSV. */
#define FO_XLSX_PART_MAX (256 << 20)	/* a part, uncompressed */
#define FO_XLSX_MAX_COLS 16384		/* Excel's: A to XFD */
#define FO_XLSX_MAX_ROWS 1048576

enum fo_cellkind {
	FO_CELL_TEXT = 0,	/* a string, a boolean (TRUE, FALSE), a time */
	FO_CELL_NUM,		/* a number: plain decimal text, 15 digits */
	FO_CELL_DATE		/* YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS */
};

struct fo_xlsx_opts {
	const char *sheet;	/* NULL: the first sheet in workbook order */
	int delim;		/* joins the cells into raw; 0: ',' */
	size_t part_max;	/* 0: FO_XLSX_PART_MAX */
	size_t field_max;	/* a cell's text; 0: FO_CSV_FIELD_MAX */
	size_t record_max;	/* a row's raw text; 0: FO_CSV_RECORD_MAX */
};

struct fo_xlsx;

/* Open a workbook: the regular file open on fd (read at any offset,
 * not closed), or, with fd -1, the n bytes at data (malloc'd; owned
 * from here on, freed even on failure). FO_OK; FO_EMPTY: a zip without
 * xl/workbook.xml; FO_ERR: damaged or refused (e names the part, or
 * lists the sheets when the one asked for is not there); FO_EIO (also
 * when libzip or libxml2 cannot be loaded: lib/ingest/dl.c); FO_ENOMEM. */
int	fo_xlsx_open(struct fo_xlsx **, int fd, void *data, size_t n,
	    const char *name, const struct fo_xlsx_opts *, struct fo_err *);
/* Start again at the first row, cells joined by delim (0: ','). */
int	fo_xlsx_reset(struct fo_xlsx *, int delim, struct fo_err *);
/* The next row: FO_OK (nf 0 for an empty row); FO_EMPTY at the end;
 * FO_ERR for a row that cannot be read (an error value such as #N/A, a
 * serial that is no date, a cell past a limit: e names the cell, with
 * line and col its row and column; fo_xlsx_raw gives the row), or for
 * a sheet that cannot be read on (e names the part; FO_EMPTY follows);
 * FO_ENOMEM. */
int	fo_xlsx_next(struct fo_xlsx *, struct fo_csv_row **, struct fo_err *);
struct fo_span fo_xlsx_raw(const struct fo_xlsx *);
const char *fo_xlsx_sheet(const struct fo_xlsx *);
/* "Sheet1!C7" for column col (0-based) of row line. */
void	fo_xlsx_cellref(const struct fo_xlsx *, long line, size_t col,
	    char *buf, size_t n);
void	fo_xlsx_close(struct fo_xlsx *);

/* camt.c: ISO 20022 camt.052/053/054 through libxml2's streaming reader.
 * Each call gives one record (a bank_line of an entry or of one
 * transaction detail of a batch entry; after a statement's entries, its
 * doc_type statement record with the balances), or FO_ERR for a row
 * that is rejected (e says where, fo_camt_raw its text), FO_EMPTY at the
 * end, FO_ENOMEM. A document that is not well-formed gives one FO_ERR
 * and then FO_EMPTY: nothing after the damage is read. */
struct fo_camt;
/* 1 if the first bytes are XML naming a camt.052/053/054 namespace. */
int	fo_camt_sniff(const void *head, size_t n);
int	fo_camt_open(struct fo_camt **, const char *data, size_t n,
	    const char *name, struct fo_err *);
/* The same, streamed: the n bytes at head (kept by the caller until
 * fo_camt_close), then what is left to read from fd. A failed read is
 * FO_EIO from fo_camt_next. Both open FO_OK, FO_ENOMEM, or FO_EIO when
 * libxml2 cannot be loaded (lib/ingest/dl.c). */
int	fo_camt_open_fd(struct fo_camt **, const char *head, size_t n, int fd,
	    const char *name, struct fo_err *);
int	fo_camt_next(struct fo_camt *, struct fo_buf *out, struct fo_err *);
struct fo_span fo_camt_raw(const struct fo_camt *);
const char *fo_camt_kind(const struct fo_camt *);	/* "camt.053.001.02" */
void	fo_camt_close(struct fo_camt *);

/* mt940.c: SWIFT MT940 statements, the same way: a bank_line record a
 * :61: line (with its :86:), a statement record a statement (:20: to
 * :62F:/:62M:), FO_ERR for a rejected line, FO_EMPTY at the end. */
struct fo_mt940;
/* 1 if the first bytes look like MT940 (:20: and :25: or :60F: tags,
 * after SWIFT block headers if any). */
int	fo_mt940_sniff(const void *head, size_t n);
int	fo_mt940_open(struct fo_mt940 **, const char *data, size_t n,
	    const char *name, struct fo_err *);
int	fo_mt940_next(struct fo_mt940 *, struct fo_buf *out, struct fo_err *);
struct fo_span fo_mt940_raw(const struct fo_mt940 *);
void	fo_mt940_close(struct fo_mt940 *);

/* fields.c: the canonical record fields fo-ingest writes (fo-record.5). */
enum fo_ftype {
	FO_F_STR,		/* text as written, trimmed */
	FO_F_DATE,		/* YYYY-MM-DD */
	FO_F_AMOUNT,		/* money: the currency's minor units */
	FO_F_DEC,		/* quantity, price, percent: scale as written */
	FO_F_CODES		/* array of the source's hold/block codes */
};

struct fo_field {
	const char *name;
	enum fo_ftype type;
};

#define FO_FIELDS_MAX 64

extern const struct fo_field fo_fields[];
extern const size_t fo_nfields;
int	fo_field_find(const char *name);	/* index or -1 */
/* The exception classes (design.md section 2) and the sensitivities,
 * NULL-terminated. */
extern const char *const fo_taxonomy[];
extern const char *const fo_sensitivities[];
/* Header text folded for matching: ASCII letters lowered, everything
 * but letters and digits dropped ("Inv. No" -> "invno"). */
char	*fo_header_fold(const char *s, size_t n);
/* Whether s folds to fold (as fo_header_fold makes it), with no copy. */
int	fo_header_fold_eq(const char *s, size_t n, const char *fold);

/* profile.c: fo-ingest profiles (rules/ingest/NAME.yaml, fo-rules.5). */
struct fo_pcol {		/* a column named by header */
	char *fold;		/* folded header */
	char *text;		/* header as written ("A or B" for a choice) */
	struct fo_pcol *or;	/* a choice: the first of these present */
	size_t nor;
};

struct fo_pfield {		/* how one canonical field is found */
	struct fo_pcol *syn;	/* header synonyms, first match wins */
	size_t nsyn;
	char *constant;		/* value when no column gives one */
};

struct fo_pflag {		/* a column whose X becomes a hold code */
	struct fo_pcol col;
	char *code;
};

/* How a column writes its amounts (columns: amount_form, fo-rules.5).
 * SAP stores the amounts of every currency with two decimals (TCURX):
 * 100 JPY as 1.00; its lists show them in the currency's own decimals. */
enum fo_amtform {
	FO_AMT_ASIS = 0,	/* at the currency's decimals, no form */
	FO_AMT_AUTO,		/* stored or displayed: the file's rows tell */
	FO_AMT_STORED,		/* stored_decimals for every currency */
	FO_AMT_DISPLAYED	/* each currency's own decimals */
};

struct fo_pover {		/* per-column parsing */
	struct fo_pcol col;
	int has_numbers, has_dates;
	enum fo_numstyle numbers;
	enum fo_datefmt dates;
	enum fo_amtform amount_form;
	int stored_decimals;	/* of the stored form: 2 unless given */
};

struct fo_pregex {		/* skip: a row whose text matches */
	char *text;
	regex_t re;
	int compiled;
};

struct fo_pcontext {		/* context: a line that sets fields below it */
	struct fo_pregex match;
	int *field, *group;	/* field index, capture group */
	size_t nset;
};

struct fo_pvariant {		/* number and date styles chosen by header */
	struct fo_pcol *all, *any;
	size_t nall, nany;
	int has_numbers, has_dates;
	enum fo_numstyle numbers;
	enum fo_datefmt dates;
	char **constant;	/* per field, or NULL: over the profile's */
	struct fo_pcol *none;	/* detect.none: headers it must not have */
	size_t nnone;
	struct fo_pfield *fields;	/* per field, or NULL: over the */
	char *has_field;		/* profile's where has_field[f] */
};

struct fo_prowtypes {		/* files that mix row types (Coupa) */
	struct fo_pcol col;	/* the column naming the type */
	char **record, **fill, **skip, **hold_type;
	size_t nrecord, nfill, nskip, nhold;
	struct fo_pcol *hold_col;	/* per hold type: the code's column */
	int *fillf;		/* fill_fields: what fill rows may fill */
	size_t nfillf;
	/* layouts: types whose rows have their own header row (Coupa's
	 * export), each known by the columns only that row has */
	char **layout_type;
	struct fo_pcol **layout_cols;
	size_t *nlayout_cols, nlayout;
	struct fo_pcol parent;	/* in a layout: the record's first key;
				 * fold NULL when not given */
};

struct fo_pvalues {		/* values: source values of a text field */
	int field;
	struct fo_pcol *from;	/* folded like headers */
	char **to;
	size_t n;
};

struct fo_pextract {		/* extract: a field out of another's text */
	int field;		/* the field it fills when no column does */
	int from;		/* the field it reads, or -1: the column col */
	struct fo_pcol col;
	struct fo_pregex re;
	int group;		/* the capture group, 1 to 9 */
};

struct fo_minor {
	char code[4];
	int minor;
};

struct fo_profile {
	char *name;
	char *file;
	char *description;
	struct fo_pcol *detect_all, *detect_any;
	size_t ndetect_all, ndetect_any;
	int delim;		/* 0: sniff */
	char *encoding;		/* "auto", "utf-8", "windows-1252", ... */
	enum fo_numstyle numbers;
	enum fo_datefmt dates;
	struct fo_pcol *header_find;	/* the header row holds all these */
	size_t nheader_find;
	long header_skip;		/* lines before the header */
	struct fo_pfield *fields;	/* fo_nfields of them */
	struct fo_pflag *flags;
	size_t nflags;
	struct fo_pover *over;
	size_t nover;
	struct fo_pcol *keys;	/* canonical field names or headers */
	size_t nkeys;
	size_t document_keys;	/* the first N keys name the document */
	char *lists;		/* "exceptions", "documents" or NULL: what
				 * the export lists, each record's listing */
	int quote;		/* the quote character; -1: none (SAP lists) */
	int trim_extra;		/* extra values without padding (list exports) */
	struct fo_minor *minor;
	size_t nminor;
	struct fo_pregex *skip;
	size_t nskip;
	struct fo_pcontext *context;
	size_t ncontext;
	struct fo_pvariant *variant;
	size_t nvariant;
	struct fo_pcol *debit, *credit;	/* debit_credit: one signed amount */
	size_t ndebit, ncredit;
	struct fo_pcol *money;	/* other money columns: named, kept in extra */
	size_t nmoney;
	struct fo_pcol sign_col;	/* debit/credit indicator; fold "" if none */
	char **sign_neg;
	size_t nsign_neg;
	struct fo_prowtypes *rowtypes;	/* NULL: one row, one record */
	struct fo_pvalues *values;
	size_t nvalues;
	struct fo_pextract *extract;
	size_t nextract;
	void *owned;		/* every string above */
};

/* Load and check a profile; every mistake goes to errs as FILE:LINE:COL.
 * FO_OK, FO_ERR or FO_EIO. */
int	fo_profile_load(const char *path, struct fo_profile **,
	    struct fo_errs *);
void	fo_profile_free(struct fo_profile *);
/* Minor units of a currency under this profile (its minor_units table
 * first, then ISO 4217); -1 when unknown. */
int	fo_profile_minor(const struct fo_profile *, const char *code, size_t n);
/* How well a header row matches the profile's detect signature: 0 when
 * it does not, else the number of signature headers present. */
int	fo_profile_detect(const struct fo_profile *, const struct fo_csv_row *);
/* Whether a row holds the header c (one of them, for a choice). */
int	fo_profile_row_has(const struct fo_csv_row *, const struct fo_pcol *c);
/* Whether a row is the profile's header row. */
int	fo_profile_is_header(const struct fo_profile *, const struct fo_csv_row *);

/* ingest.c: CSV rows to canonical records, under a profile. */
enum fo_rowkind {
	FO_ROW_RECORD,		/* the row is (or starts) a record */
	FO_ROW_MERGED,		/* the row was merged into the record before */
	FO_ROW_SKIPPED		/* junk, a context line, a skipped row type */
};

struct fo_ingest;		/* lib/ingest/ingest.h */

/* Start a file under a profile; numbers and dates from the command line
 * (NULL: the profile's). NULL: out of memory. */
struct fo_ingest *fo_ingest_new(const struct fo_profile *, const char *file,
	    const enum fo_numstyle *numbers, const enum fo_datefmt *dates);
/* The currency names table (NULL: ISO codes only) and --currency's code
 * ("" when not given), before the first row. */
void	fo_ingest_currencies(struct fo_ingest *, const struct fo_currencies *,
	    const char defcur[4]);
/* Whether the row is junk (skip) or a context line (its values kept for
 * the rows below): 1 consumed, 0 not. */
int	fo_ingest_junk(struct fo_ingest *, const struct fo_csv_row *);
/* Map the header row. FO_OK, FO_ERR (a sign or row-type column the
 * header lacks: e says which) or FO_ENOMEM. Key columns it lacks are
 * not an error: the ids fall back (fo-ingest(1), Record ids), and
 * g->keynote says so, once for the file, for the caller to report. */
int	fo_ingest_header(struct fo_ingest *, const struct fo_csv_row *,
	    struct fo_err *);
/* Read one data row; what it was goes to *kind. Appends to out (with its
 * '\n') every record that is complete: the row's own, or, for row types,
 * the one it closed. FO_OK; FO_ERR with e naming the field and *badcol
 * its column (or -1); FO_ENOMEM. */
int	fo_ingest_row(struct fo_ingest *, const struct fo_csv_row *,
	    struct fo_buf *out, struct fo_err *, long *badcol,
	    enum fo_rowkind *kind);
/* After fo_ingest_header, fo_ingest_row or fo_ingest_flush, the note,
 * when not empty, is what the caller tells the user, one line or more
 * (which column became amount, the amount form a row decided); the
 * caller empties it. */
char	*fo_ingest_note(struct fo_ingest *);
/* Why the ids are not the profile's keys (fo_ingest_header): msg empty
 * when they are. */
const struct fo_err *fo_ingest_keynote(const struct fo_ingest *);
/* What --explain shows: the profile, the styles in force, the header's
 * width, what column j becomes (a field, -1 a key under extra (*extra;
 * *optional when it has no header), -2 a flag column for hold code
 * *code), the column of field f (-1: none), the line of the record being
 * gathered. */
const struct fo_profile *fo_ingest_profile(const struct fo_ingest *);
enum fo_numstyle fo_ingest_numbers(const struct fo_ingest *);
enum fo_datefmt fo_ingest_dates(const struct fo_ingest *);
size_t	fo_ingest_ncol(const struct fo_ingest *);
int	fo_ingest_column(const struct fo_ingest *, size_t j, const char **code,
	    const char **extra, int *optional);
int	fo_ingest_fieldcol(const struct fo_ingest *, size_t f);
long	fo_ingest_pending_line(const struct fo_ingest *);
/* The field of the column *badcol names after FO_ERR from
 * fo_ingest_row, or -1: a row read by its own header row (row_types
 * layouts) numbers its columns its own way. */
int	fo_ingest_badfield(const struct fo_ingest *, long badcol);
/* At the end of the file: append the record still being gathered. */
int	fo_ingest_flush(struct fo_ingest *, struct fo_buf *out, struct fo_err *);
/* Free all of it (NULL: nothing). */
void	fo_ingest_free(struct fo_ingest *);

/* dup.c: duplicate invoice suspects (domain.md section 6). The index is
 * keyed by vendor, so it partitions by vendor; memory grows with
 * distinct invoices only: a 36-byte entry each, their texts in a
 * temporary file (fo-classify(1), measured by t-dup and bench/mem.sh). */
struct fo_dup_params {
	int window_days;	/* same amount, another number, within this */
	int amount_tol_bp;	/* amount tolerance, basis points (100 = 1%) */
	int match_bank;		/* same amount to two vendors sharing an IBAN */
	int collide;		/* tests: every hash alike, the texts decide */
};

struct fo_dup_inv {		/* one invoice as the index sees it */
	const char *id;		/* record id (copied into the index) */
	const char *vendor_id;	/* NULL or "" : never a suspect, not indexed */
	const char *doc_number;	/* as written; normalised inside */
	const char *currency;	/* ISO code or NULL */
	int64_t amount;		/* minor units of currency (sign as written) */
	int has_amount;
	int32_t date;		/* doc_date, days since 1970; has_date */
	int has_date;
	const char *entity;	/* may be NULL */
	const char *doc_type;	/* "credit_memo" is never a suspect */
	const char *status;	/* void, cancel, revers... never a suspect */
	const char *iban;	/* may be NULL */
	const char *doc_id;	/* rows of one document: never each other's */
};

enum fo_dup_evidence {
	FO_DUP_NONE = 0,
	FO_DUP_SAME_NUMBER,	/* equal after normalising */
	FO_DUP_LOOKALIKE,	/* differs only by OCR look-alikes */
	FO_DUP_TRAILING,	/* one has a trailing letter (582789 / 582789a) */
	FO_DUP_ONE_EDIT,	/* one edit or one transposition apart */
	FO_DUP_AMOUNT_DATE,	/* same amount within the window, other number */
	FO_DUP_SHARED_BANK	/* same amount, other vendor, same IBAN */
};

struct fo_dup_match {
	enum fo_dup_evidence ev;
	const char *of;		/* id of the earlier invoice, whole; "" none.
				 * Valid until the next fo_dup_check */
	int score;		/* 0..100 */
	char why[256];		/* the evidence, for reasons */
};

struct fo_dup;

/* NULL with errno set: no memory, or no temporary file in $TMPDIR (else
 * /tmp) for the texts. */
struct fo_dup *fo_dup_new(const struct fo_dup_params *);
void	fo_dup_free(struct fo_dup *);
/* Normalise an invoice number into buf (size n): trim, upper case, drop
 * spaces - / . # and leading zeros. Returns the length. */
size_t	fo_dup_norm(const char *doc_number, char *buf, size_t n);
/* Compare inv with the invoices indexed before it (best evidence wins),
 * then index it when add is set (--history adds without printing).
 * FO_OK (m->ev FO_DUP_NONE when no suspect) or FO_ENOMEM (memory, or
 * the index's temporary file could not be written or read). */
int	fo_dup_check(struct fo_dup *, const struct fo_dup_inv *, int add,
	    struct fo_dup_match *m);
/* After FO_EIO from fo_dup_check: the errno of the index's temporary
 * file ($TMPDIR), for the message. */
int	fo_dup_errno(const struct fo_dup *);
/* Invoices indexed, and bytes held, for the man page's figure. */
size_t	fo_dup_count(const struct fo_dup *);
size_t	fo_dup_bytes(const struct fo_dup *);

/* carry.c: the cases across nights (fo-record.5). Last night's snapshot
 * (path; NULL for the first night) read whole before any record: an
 * open, a line or a field it cannot read, or a night after as_of, is
 * FO_ERR with e's file, line and column, never a first night. */
struct fo_carry;
int	fo_carry_load(const char *path, int32_t as_of, struct fo_carry **,
	    struct fo_err *);
size_t	fo_carry_count(const struct fo_carry *);	/* exceptions read */
int32_t	fo_carry_night(const struct fo_carry *);	/* its night, or -1 */
/* An exception written to out with first_seen, nights_open, prev_queue
 * and seen_on set; FO_EMPTY for a record that is no exception. */
int	fo_carry_rec(struct fo_carry *, const struct fo_rec *,
	    struct fo_buf *out, struct fo_err *);
/* With the resolution history (fo_history_load), an exception resolved
 * on an earlier night and back tonight keeps the day it was first seen. */
int	fo_carry_history(struct fo_carry *, const char *path,
	    struct fo_err *);
void	fo_carry_free(struct fo_carry *);

/* ageflow.c: the resolution history fo-age --resolved-out writes
 * (fo-record.5), for fo-age --resolved and fo-classify --resolved: the
 * cases resolved on an earlier night and not back since, sorted by id.
 * A line that is not one, an id twice, or a case resolved after as_of
 * is FO_ERR with e's file, line and column (a missing file too; FO_EIO
 * when it cannot be read): a history misread would call a reopened
 * case new and restart its clock. */
struct fo_gone {
	char *id;
	int32_t first_seen, resolved_on;
	long reopens, reassigns;
	int back;		/* for the reader: seen again tonight */
};
int	fo_history_load(const char *path, int32_t as_of, struct fo_gone **,
	    size_t *, struct fo_err *);
struct fo_gone *fo_history_find(struct fo_gone *, size_t, const char *id);
void	fo_history_free(struct fo_gone *, size_t);

/* classify.c: fo-classify's policy (rules/classify.yaml, fo-rules.5):
 * ordered rules whose jq conditions are compiled into one program, and
 * the verdict written into each record. */
struct fo_classify;

/* Load and check a rules file; every mistake to errs as FILE:LINE:COL.
 * FO_OK, FO_ERR or FO_EIO. */
int	fo_classify_load(const char *path, struct fo_classify **,
	    struct fo_errs *);
void	fo_classify_free(struct fo_classify *);
/* Its jq conditions and fragments (--explain-rules). */
const struct fo_jq *fo_classify_jq(const struct fo_classify *);
/* The duplicate index the rules ask for; 0 when no rule is builtin. */
int	fo_classify_dup_params(const struct fo_classify *,
	    struct fo_dup_params *);
/* Classify one record and append it, keys set, to out (no '\n'). dup
 * may be NULL. defid names a record without an id. FO_OK, FO_ERR (e: a
 * record fo-classify cannot read as one, e.g. jq refusing its numbers)
 * or FO_ENOMEM. */
int	fo_classify_rec(struct fo_classify *, const struct fo_rec *,
	    const char *defid, struct fo_dup *, struct fo_buf *out,
	    struct fo_err *);
/* Index a record for duplicates without classifying it (--history).
 * FO_OK; FO_ERR (e->msg, e->col) for a record fo-classify would reject
 * for a field, not indexed; FO_ENOMEM. */
int	fo_classify_history(struct fo_classify *, const struct fo_rec *,
	    const char *defid, struct fo_dup *, struct fo_err *);

/* lines.c: NDJSON input, a line at a time. */
#define FO_LINE_MAX (16 << 20)

struct fo_lines {
	int fd;
	const char *name;
	size_t max;
	struct fo_buf b;
	size_t pos;
	long lineno;		/* of the line last handed out */
	int eof, skipping;
};

int	fo_lines_open(struct fo_lines *, int fd, const char *name, size_t max);
/* The next line without its '\n' (or "\r\n"): FO_OK; FO_EMPTY at the end;
 * FO_ERR for a line past the limit (reported once, then skipped);
 * FO_EIO or FO_ENOMEM to stop. The line is valid until the next call. */
int	fo_lines_next(struct fo_lines *, const char **line, size_t *len,
	    struct fo_err *);
void	fo_lines_close(struct fo_lines *);

/* A file of records read whole before the run's input (last night's
 * snapshot, the resolution history, a night of --trend), one loop for
 * every such reader. Open: FO_OK; FO_ERR when path does not exist, FO_EIO
 * when it cannot be opened otherwise, e saying "WHAT: reason" at path
 * (what NULL: the reason alone). Next: FO_OK with the next record in
 * f->rec (blank lines skipped); FO_EMPTY at the end; FO_ERR for a line
 * that is not a record, e at its path, line and column; FO_EIO or
 * FO_ENOMEM to stop. fo_recfile_at puts the last record's path and line
 * in e, for the reader's own verdict on it. */
struct fo_recfile {
	struct fo_lines in;
	struct fo_rec rec;
	const char *path;
	int fd;
};
int	fo_recfile_open(struct fo_recfile *, const char *path,
	    const char *what, struct fo_err *);
int	fo_recfile_next(struct fo_recfile *, struct fo_err *);
void	fo_recfile_at(const struct fo_recfile *, struct fo_err *);
void	fo_recfile_close(struct fo_recfile *);

/* What a stage after fo-ingest does with one record: append the record
 * to write to out (no '\n'), or return FO_EMPTY to write the line as
 * read, FO_ERR to reject the line (e: message, and col if it knows it),
 * FO_ENOMEM to stop. file and line name the record. */
typedef int fo_stage_fn(void *ctx, const struct fo_rec *, const char *file,
    long line, struct fo_buf *out, struct fo_err *);

/* The loop of every such stage over one input (path "-": stdin): a
 * blank line is skipped, a line that is not a record is rejected with
 * its position, every other line goes to fn; counts and rejects go to
 * run, records to out (NULL: nowhere). FO_OK, or FO_EIO after reporting
 * an open, read, or memory error. */
int	fo_stage_run(struct fo_run *, const char *path, fo_stage_fn *, void *ctx,
	    struct fo_out *out);

/* main.c: the options every tool takes, parsed once. A tool's switch
 * handles its own options and hands every other to fo_main_opt. */
struct fo_main {
	const char *prog;		/* "fo-score" */
	void (*usage)(FILE *);		/* the tool's usage line */
	const struct fo_opthelp *help;	/* its --help table */
	const char *output;		/* -o */
	const char *rejects;		/* --rejects (getopt 'j') */
	const char *rules;		/* -r */
	const char *asof;		/* --as-of (getopt 'A') */
	int quiet;			/* -q */
};
#define FO_MAIN_NEXT	(-1)
/* 1 in the AddressSanitizer builds (check-asan, the fuzz targets),
 * whose LeakSanitizer checks every free at exit; else 0. */
#if defined(__SANITIZE_ADDRESS__)
#define FO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FO_ASAN 1
#endif
#endif
#ifndef FO_ASAN
#define FO_ASAN 0
#endif
/*
 * Whether a stage frees what it built before it exits. The kernel takes
 * a process's memory back whole; freeing the rules' thousands of nodes
 * one by one is a sixteenth of fo-classify's start-up. The sanitizer
 * builds and a build with -DFO_TEARDOWN=1 free, so the leak checker
 * still proves every free.
 */
#ifndef FO_TEARDOWN
#define FO_TEARDOWN FO_ASAN
#endif
/* One option from getopt: FO_MAIN_NEXT when taken, else the exit status
 * of main (-h, -V; an unknown option: the usage line and
 * FO_EXIT_USAGE). */
int	fo_main_opt(struct fo_main *, int ch, const char *arg);
/* fo_stage_run over each of argv's files, or standard input when argc is
 * 0, until a system error or a failed write on out; out NULL: the
 * records go nowhere (a report counts them). FO_OK or FO_EIO. */
int	fo_stage_files(struct fo_run *, int argc, char *argv[], fo_stage_fn *,
	    void *ctx, struct fo_out *out);

/* jqprog.c: jq conditions, and the facts reasons quote, compiled once
 * into one program (each jq_compile re-reads jq's builtins: never one per
 * rule) and run once per record. */
struct fo_jqparam {		/* $name for every expression */
	const char *name;
	const char *value;	/* as written */
	int plain;		/* unquoted: a number, true, false, null */
};

struct fo_jqrule {
	const char *id;		/* for messages */
	const char *when;	/* NULL: never matches (decided elsewhere) */
	char *const *frag;	/* jq expressions whose first output a reason */
	size_t nfrag;		/* quotes; evaluated when the rule matches */
	long line, col;		/* of when */
	long fline, fcol;	/* of the fragments */
};

struct fo_jq;

/* Compile; every expression jq refuses is reported at its rule's
 * position. FO_OK, FO_ERR or FO_ENOMEM. */
int	fo_jq_new(struct fo_jq **, const char *file, const struct fo_jqrule *,
	    size_t n, const struct fo_jqparam *, size_t np, struct fo_errs *);
void	fo_jq_free(struct fo_jq *);
/* Start on a record (kept, not copied: it must stay until the next run).
 * FO_OK, or FO_ERR when a condition needs libjq and jq cannot read the
 * record. */
int	fo_jq_run(struct fo_jq *, const struct fo_rec *, struct fo_err *);
/* After a run: whether rule i matched (a condition is true when its
 * first output is neither false nor null; an error or no output is
 * false), and fragment k of a rule that did or has no when ("?" when it
 * failed; valid until the next call). Each is computed when first asked
 * for, natively where it can be. */
int	fo_jq_matched(struct fo_jq *, size_t i);
const char *fo_jq_frag(struct fo_jq *, size_t i, size_t k);
/* After a run: bit i set for every rule i that may match (the plan's,
 * fo_xplan_may): a rule whose bit is clear did not match, and a caller
 * going over many rules need not ask. */
const uint64_t *fo_jq_may(const struct fo_jq *);
/* Whether scratch memory ran out during this run: the answers given
 * are not to be trusted. */
int	fo_jq_oom(const struct fo_jq *);
/* Whether a rule went over the budget on this record (fo_expr_budget):
 * then 1, and e->msg names the rule, for the record to be rejected. */
int	fo_jq_over(const struct fo_jq *, struct fo_err *e);
/* Why rule i's condition (k 0) or fragment k-1 runs under libjq, or
 * NULL when the native evaluator runs it (or there is no condition). */
const char *fo_jq_why(const struct fo_jq *, size_t i, size_t k);
/* Off: every expression later compiled runs under libjq (--no-native). */
void	fo_jq_native(int on);
/* --explain-rules: one line per condition and fragment, "ID<TAB>when"
 * or "ID<TAB>{=K}", then "<TAB>native", "<TAB>jq<TAB>why", or for a rule
 * decided elsewhere "<TAB>builtin". count: native conditions, all
 * conditions, native fragments, all fragments. */
void	fo_jq_explain(const struct fo_jq *, struct fo_buf *, size_t count[4]);
/* --explain-rules of a tool: the lines on stdout, the counts on stderr
 * unless quiet. An exit status. */
int	fo_explain(const char *prog, const struct fo_jq *, int quiet);
/* How libjq is handed an expression, as fo_jq_new compiles it (the
 * differential test compiles the same text): a condition, true when its
 * first output is neither false nor null; a fragment, its first output
 * as text, "?" when none or an error. */
void	fo_jq_put_cond(struct fo_buf *, const char *expr);
void	fo_jq_put_frag(struct fo_buf *, const char *expr);
/* libjq, opened the first time a program is compiled (it is not
 * linked): FO_OK, or FO_EIO with e naming file (may be NULL), the
 * library and dlerror's text. */
int	fo_jq_lib(const char *file, struct fo_err *e);
#ifdef JV_H
/* The params as libjq's $names: numbers, true, false and null as
 * themselves when written plain, everything else a string. libjq
 * opened first (fo_jq_lib). */
jv	fo_jq_args(const struct fo_jqparam *, size_t n);
#endif
/* Whether an expression calls index, rindex or indices, which leak
 * memory in jq 1.6 on every call. */
int	fo_jq_leaky(const char *expr);
/* Whether an expression uses what a rule may not (jqsafe.c): the
 * environment, input past the record, files, standard error, halting,
 * the clock or the time zone. NULL, or why, with the name at
 * expr + *at, *len bytes long. */
const char *fo_jq_refused(const char *expr, size_t *at, size_t *len);

/* expr.c: the subset of jq that rules use, evaluated natively on a
 * record's tokens (fo-rules.5, NATIVE EVALUATION): compiled once from
 * the same text libjq would run, with jq's semantics (numbers are
 * doubles, jq's ordering of types, Oniguruma regexes as in jq), and no
 * allocation per record once the scratch space has grown. */
struct fo_expr;
struct fo_xrun;			/* scratch for one evaluation at a time */

/* Compile src with the params ($name). FO_OK; FO_ERR when src is not in
 * the subset or not an expression at all (why->msg says which construct,
 * why->col where: the caller hands src to libjq instead, which reports
 * real errors); FO_ENOMEM. */
int	fo_expr_new(struct fo_expr **, const char *src,
	    const struct fo_jqparam *, size_t np, struct fo_err *why);
void	fo_expr_free(struct fo_expr *);
struct fo_xrun *fo_xrun_new(void);
void	fo_xrun_free(struct fo_xrun *);
/* A new record for the expressions run next: once per record, so that
 * each run need not check the record is still the one it indexed. */
void	fo_xrun_record(struct fo_xrun *, const struct fo_rec *);
/* A condition as jqprog.c wraps one: 1 when its first output is neither
 * false nor null; 0 for false, null, no output or an error; FO_ERR when
 * it went over the budget (fo_expr_budget); FO_ENOMEM (negative) when
 * scratch memory runs out. */
int	fo_expr_cond(const struct fo_expr *, struct fo_xrun *,
	    const struct fo_rec *);
/* The same, its guard already judged true on the record, whole, by a
 * plan (fo_xplan_may gave 1 and set its bit, and fo_xplan_whole has it):
 * the guard is not read again. */
int	fo_expr_cond_planned(const struct fo_expr *, struct fo_xrun *,
	    const struct fo_rec *);
/* A reason fragment: its first output appended to out, a string as
 * itself and anything else as jq's tojson writes it; "?" for no output
 * or an error. FO_OK, FO_ERR ("?", over the budget) or FO_ENOMEM. */
int	fo_expr_frag(const struct fo_expr *, struct fo_xrun *,
	    const struct fo_rec *, struct fo_buf *out);
/* Its memos (fo-rules.5, HOW RULES ARE COMPILED): how many nodes have
 * one, and their lookups and hits so far. */
void	fo_expr_memos(const struct fo_expr *, size_t *nodes,
	    unsigned long *look, unsigned long *hit);
/* The plan of a rule set (fo-rules.5, HOW RULES ARE COMPILED): the
 * guards of its native conditions (cond[i]; NULL for a rule the plan
 * cannot judge) indexed by the facts they test, so that a record visits
 * only the rules it may match. The conditions must outlive the plan.
 * _may sets bit i of may (fo_xplan_words of them) for every rule i that
 * may match r: a bit left clear is a condition that is false on r. It
 * gives 1 when it judged r, 0 when it set every bit (r is no object, or
 * memory ran out). _whole: the rules whose bit is then their guard's
 * whole verdict (every clause of the guard's top-level and filed, none
 * with an and inside: the plan files both sides of an or, one side of an
 * and below an or). */
struct fo_xplan;
int	fo_xplan_new(struct fo_xplan **, const struct fo_expr *const *cond,
	    size_t n);
void	fo_xplan_free(struct fo_xplan *);
size_t	fo_xplan_words(const struct fo_xplan *);
int	fo_xplan_may(const struct fo_xplan *, struct fo_xrun *,
	    const struct fo_rec *, uint64_t *may);
const uint64_t *fo_xplan_whole(const struct fo_xplan *);
/* Rule i's condition e (cond[i] of _new) on r, as fo_expr_cond, or as
 * fo_expr_cond_planned when planned: the same verdict, kept by the text
 * of the fields it reads for the other rules that read only those
 * (fo-rules.5, HOW RULES ARE COMPILED), so that one lookup a record
 * answers them all. */
int	fo_xplan_cond(struct fo_xplan *, size_t i, const struct fo_expr *e,
	    struct fo_xrun *, const struct fo_rec *r, int planned);
/* The budget of one evaluation: node steps and scratch bytes (defaults
 * 2,000,000 and 64 MiB; fo-rules(5), BUDGET). _parse reads --rule-budget
 * STEPS[,MIB]: FO_OK or FO_ERR (e says why). */
void	fo_expr_budget(unsigned long steps, size_t bytes);
void	fo_expr_budget_get(unsigned long *steps, size_t *bytes);
int	fo_expr_budget_parse(const char *, struct fo_err *);

/* calendar.c: business time (route.yaml's calendar, fo-rules.5):
 * working hours on workdays that are not holidays, at a fixed offset
 * from UTC (daylight saving time is not modelled). Pure functions. */
struct fo_cal {
	int offset;		/* seconds east of UTC */
	unsigned char workday[7];	/* 0 Monday .. 6 Sunday: 1 works */
	int open, close;	/* working hours, seconds after local midnight */
	const int32_t *holiday;	/* days since 1970, sorted; not owned */
	size_t nholiday;
};

/* The local date of an instant; the instant a local date begins. */
int32_t	fo_cal_day(const struct fo_cal *, int64_t t);
int64_t	fo_cal_midnight(const struct fo_cal *, int32_t day);
/* 1 when day is a workday and no holiday, else 0. */
int	fo_cal_is_workday(const struct fo_cal *, int32_t day);
/* The instant secs of business time after start are used up: a start
 * outside working hours begins at the next working period; time that
 * ends exactly at a close is that close. FO_OK, or FO_ERR when ten
 * years hold too little working time. */
int	fo_cal_add(const struct fo_cal *, int64_t start, int64_t secs,
	    int64_t *due);
/* "+01:00", "-05:00", "Z" or "UTC"; "09:00-17:00". FO_OK or FO_ERR. */
int	fo_cal_offset_parse(const char *, int *offset);
int	fo_cal_hours_parse(const char *, int *open, int *close);

/* route.c: fo-route's policy (rules/route.yaml, fo-rules.5): the queue,
 * human review, SLA due time and escalation of each exception. */
struct fo_route;

/* The longest queue name, in bytes (fo-rules(5)). */
#define FO_QUEUE_MAX 64
/* Load and check a policy; every mistake to errs as FILE:LINE:COL.
 * FO_OK, FO_ERR or FO_EIO. */
int	fo_route_load(const char *path, struct fo_route **, struct fo_errs *);
void	fo_route_free(struct fo_route *);
const struct fo_jq *fo_route_jq(const struct fo_route *);
const struct fo_cal *fo_route_calendar(const struct fo_route *);
/* The policy's queues, each once: those under queues first, then as
 * the routes and the default name them. */
size_t	fo_route_nqueue(const struct fo_route *);
const char *fo_route_queue(const struct fo_route *, size_t i);
/* Route one record as of a day (fo.7, AS OF: an SLA without a
 * hold_date starts at its instant, escalation counts days to it) and
 * append it, keys set, to out (no '\n');
 * *queue is the queue's index. FO_OK; FO_EMPTY when the record is no
 * exception (nothing appended: pass it through); FO_ERR (e->msg: a
 * field fo-route cannot read, or jq refusing the record); FO_ENOMEM. */
int	fo_route_rec(struct fo_route *, const struct fo_rec *,
	    const struct fo_asof *, struct fo_buf *out, size_t *queue,
	    struct fo_err *);
/* The SLA fo-route gives a record as of a day: the one SLA of the
 * pipeline, which fo-score's sla_risk reads too. FO_OK with *due (UTC)
 * and what ("3 business days, route price_quantity", n bytes);
 * FO_EMPTY for no exception; FO_ERR; FO_ENOMEM. */
int	fo_route_sla(struct fo_route *, const struct fo_rec *,
	    const struct fo_asof *, int64_t *due, char *what, size_t n,
	    struct fo_err *);

/* score.c: fo-score's model (rules/score.yaml, fo-rules.5): points per
 * factor that add up to a priority of 0 to 100; the exchange rates to
 * its base currency; the vendor master; payment terms. */
struct fo_score;
struct fo_rates;
struct fo_vendors;

/* Load and check a model; every mistake to errs as FILE:LINE:COL, the
 * factors' highest points adding up to more than 100 included. FO_OK,
 * FO_ERR or FO_EIO. */
int	fo_score_load(const char *path, struct fo_score **, struct fo_errs *);
void	fo_score_free(struct fo_score *);
const char *fo_score_base(const struct fo_score *);	/* "EUR" */
/* Exceptions scored so far with an amount but no rate to the base
 * currency: their amount factor is unknown (0 points, a reason says so);
 * they are scored and written, never rejected. */
long	fo_score_norate(const struct fo_score *);
/* What the scoring of the records that follow uses: rates and vendors
 * may be NULL; as_of in days since 1970-01-01. */
void	fo_score_use(struct fo_score *, const struct fo_rates *,
	    const struct fo_vendors *, int32_t as_of);
/* Whether the model's sla_risk gives points, and so needs the SLAs of
 * fo-route's policy; then hand them over (not owned) with the as-of:
 * sla_risk gives its points when fo_route_sla's due time has passed by
 * the as-of instant. */
int	fo_score_uses_sla(const struct fo_score *);
void	fo_score_sla(struct fo_score *, struct fo_route *,
	    const struct fo_asof *);
/* Score one record and append it, keys set, to out (no '\n'). FO_EMPTY:
 * not an exception ("exception" null or absent), nothing appended, pass
 * it through as read. FO_ERR: e->msg and e->col (in the line) say what
 * of the record cannot be read. FO_ENOMEM. */
int	fo_score_rec(struct fo_score *, const struct fo_rec *,
	    struct fo_buf *out, struct fo_err *);

/* Exchange rates into base: 1 unit of a currency is rate units of base,
 * exact, at most 10 decimals. A CSV file "currency,rate" (an optional
 * header, # comments) or, for a name ending .yaml or .yml, a YAML
 * mapping. base may be NULL (not known: its rate is not checked).
 * Every mistake to errs as FILE:LINE:COL. FO_OK, FO_ERR or FO_EIO. */
int	fo_rates_load(const char *path, const char *base, struct fo_rates **,
	    struct fo_errs *);
void	fo_rates_free(struct fo_rates *);
/* FO_OK, or FO_EMPTY when the file has no rate for code (3 letters). */
int	fo_rates_get(const struct fo_rates *, const char *code,
	    struct fo_dec *);
const char *fo_rates_file(const struct fo_rates *);

/* The vendor master, by vendor id: a CSV file with a header naming
 * vendor_id and any of tier, blocked, iban, tax_id, or NDJSON objects
 * (.ndjson, .jsonl) with those keys. An id of digits only matches
 * without its leading zeros (SAP pads them, Excel drops them). */
struct fo_vendor {
	char *id;		/* as written */
	const char *tier;	/* "strategic" ... "tail", or NULL */
	int blocked;
	char *iban;		/* without spaces, upper case; or NULL */
	char *tax_id;		/* or NULL */
	long line;
};

int	fo_vendors_load(const char *path, struct fo_vendors **,
	    struct fo_errs *);
void	fo_vendors_free(struct fo_vendors *);
const struct fo_vendor *fo_vendors_get(const struct fo_vendors *,
	    const char *id, size_t n);
size_t	fo_vendors_count(const struct fo_vendors *);
const char *fo_vendors_file(const struct fo_vendors *);

/* Payment terms as written: "2/10 net 30", "2% 10 Net 30", "2/10 n/30",
 * "1.5/15 net 45 EOM", "Net 30", "Due on receipt". FO_OK, or FO_EMPTY
 * for text that is not terms of that form (an ERP key such as ZB01). */
struct fo_terms {
	int has_discount;
	struct fo_dec pct;	/* percent: 2 for 2% */
	int disc_days;
	int has_net;
	int net_days;
	int eom;		/* days count from the end of the month */
};

int	fo_terms_parse(const char *s, size_t n, struct fo_terms *);

/* When a record falls due and when its early-payment discount runs out:
 * due_date, and discount_pct with discount_date, as given; else from
 * the terms text, else from SAP's ZBD1T/ZBD1P/ZBD2T/ZBD3T under extra,
 * counted from baseline_date, else doc_date. The *_from are static
 * text for reasons ("due_date", "terms", "ZBD3T", ...). FO_OK, or FO_ERR
 * with e->msg and e->col (in the line) for a field that cannot be read;
 * FO_ENOMEM. */
struct fo_paydates {
	int has_due;
	int32_t due;
	const char *due_from;
	int has_discount;
	int32_t disc_date;
	struct fo_dec pct;
	const char *disc_from;
	int has_base;
	int32_t base;
	const char *base_from;	/* "baseline_date" or "doc_date" */
};

int	fo_rec_paydates(const struct fo_rec *, struct fo_paydates *,
	    struct fo_err *);

/* age.c: fo-age (rules/age.yaml, fo-age(1)): the age of each exception
 * as of a date, on an explicit basis, and the aging report: counts,
 * exact sums per currency, SLA breaches, oldest and median age per group
 * and bucket, as a report or as partials that merge byte for byte. */
#define FO_AGE_MAXBOUND 16

enum fo_age_basis { FO_AGE_HOLD, FO_AGE_DOC, FO_AGE_DUE, FO_AGE_POSTING };
enum fo_age_fmt { FO_AGE_NDJSON, FO_AGE_CSV, FO_AGE_TABLE, FO_AGE_HTML,
	FO_AGE_XLSX };

struct fo_age_cfg {
	enum fo_age_basis basis;
	int bound[FO_AGE_MAXBOUND];	/* ascending upper bounds, inclusive */
	int nbound;
};

/* Load rules/age.yaml (keys basis, buckets); mistakes to errs as
 * FILE:LINE:COL. FO_OK, FO_ERR or FO_EIO. */
int	fo_age_load(const char *path, struct fo_age_cfg *, struct fo_errs *);
/* "hold", "doc", "due", "posting". FO_OK or FO_ERR. */
int	fo_age_basis_parse(const char *, enum fo_age_basis *);
const char *fo_age_basis_name(enum fo_age_basis);
/* "0,30,60,90": ascending whole numbers of days. FO_OK or FO_ERR. */
int	fo_age_buckets_parse(const char *, struct fo_age_cfg *);

struct fo_age;

/* as_of: the day ages count to; sla_at: the instant SLAs are judged at;
 * as_of_text as printed. groups: record fields (not copied, must live
 * as long as the struct). NULL on want of memory. */
struct fo_age *fo_age_new(const struct fo_age_cfg *, int32_t as_of,
	    int64_t sla_at, const char *as_of_text, char *const *groups,
	    size_t ngroups);
void	fo_age_free(struct fo_age *);
/* Keep every exception for the worklist (html, xlsx): the page shows the
 * first top by priority; amounts grouped in style (fo_age_numstyle_parse:
 * "1,234.56", "1.234,56", "1 234,56" or "1'234.56"). */
void	fo_age_keep(struct fo_age *, int top, int style);
int	fo_age_numstyle_parse(const char *, int *style);
/* Last night's records (--prev): ids, first_seen, and what resolved
 * means. FO_OK, FO_ERR (e: file, line, message) or FO_EIO. */
int	fo_age_prev_load(struct fo_age *, const char *path, struct fo_err *);
/* --resolved: the resolution history of last night (ageflow.c), which
 * tells a reopened case from a new one. FO_OK, FO_ERR (e: file, line,
 * col) or FO_EIO. */
int	fo_age_resolved_load(struct fo_age *, const char *path,
	    struct fo_err *);
/* Tonight's history, after every record was read: FO_OK or FO_ENOMEM. */
int	fo_age_resolved_write(struct fo_age *, struct fo_buf *);
/* --decisions: who resolved what, and how; every mistake into errs.
 * FO_OK, FO_ERR or FO_EIO. */
int	fo_age_decisions_load(struct fo_age *, const char *path,
	    struct fo_errs *);
/* --trend DIR: the nights' snapshots (agetrend.c). FO_OK, FO_ERR (a
 * damaged snapshot: e its path, line, col), FO_EIO or FO_ENOMEM. */
int	fo_age_trend_load(struct fo_age *, const char *dir, struct fo_err *);
/* The backlog per night as ndjson, csv or table: FO_OK or FO_ENOMEM. */
int	fo_age_trend_write(struct fo_age *, enum fo_age_fmt, struct fo_buf *);
/* Age one record. annotate: append it with the keys set to out (no
 * '\n'); else add it to the report. FO_OK; FO_EMPTY: no exception
 * (not counted, nothing appended); FO_ERR (e->msg); FO_ENOMEM. */
int	fo_age_rec(struct fo_age *, const struct fo_rec *, int annotate,
	    struct fo_buf *out, struct fo_err *);
/* One line of a partial (--merge). FO_OK, FO_ERR or FO_ENOMEM. */
int	fo_age_merge_rec(struct fo_age *, const struct fo_rec *,
	    struct fo_err *);
/* The report, or the partial, into out. FO_OK or FO_ENOMEM. */
int	fo_age_write(struct fo_age *, enum fo_age_fmt, int partial,
	    struct fo_buf *out);
/* The same, written to o as it is made, a few hundred KiB at a time,
 * not held whole: a report of many groups takes half the memory. A
 * failed write is o's (fo_out_close reports it). */
int	fo_age_write_out(struct fo_age *, enum fo_age_fmt, int partial,
	    struct fo_out *o);
/* The workbook (libxlsxwriter) to path, as is: the caller renames it into
 * place. Its times are as-of's, so the same input gives the same bytes.
 * FO_OK, or FO_EIO with e->msg. */
int	fo_age_write_xlsx(struct fo_age *, const char *path, struct fo_err *);

/* match.c: fo-match (rules/match.yaml, fo-rules.5 MATCHING RULES): which
 * line (bank line, payment) settles which open items, pass by pass. Both
 * sides are held as small entries (their text is not), the items
 * indexed by hashed keys; decisions do not depend on input order. */
struct fo_match;

struct fo_match_counts {
	long lines, matched, suggested, ambiguous, unmatched, duplicate;
	long items, settled;
	long statements, breaks;
};

/* Load and check the passes; every mistake to errs as FILE:LINE:COL.
 * FO_OK, FO_ERR or FO_EIO. */
int	fo_match_load(const char *path, struct fo_match **, struct fo_errs *);
void	fo_match_free(struct fo_match *);
/* "opposite" (a line pays what it settles with the other sign, as a
 * bank writes a payment) or "same". FO_OK or FO_ERR. */
int	fo_match_sign(struct fo_match *, const char *);
/* The vendor master (not copied): an item without an iban takes its
 * vendor's, by vendor_id. Before any record is added. */
void	fo_match_vendors(struct fo_match *, const struct fo_vendors *);
/* --decisions: people's confirmations and rejections (NDJSON), read
 * before any record is added; every mistake to errs. FO_OK, FO_ERR,
 * FO_EIO or FO_ENOMEM. */
int	fo_match_decisions(struct fo_match *, const char *path,
	    struct fo_errs *);
/* After fo_match_run: what was said of the decisions (unknown ids,
 * refusals, each at its line), and how many were refused. */
const struct fo_errs *fo_match_decmsg(const struct fo_match *, long *refused);
/* Hold one record, a line (item 0) or an item; file and line name it in
 * reasons. FO_OK; FO_ERR (e->msg, e->col: reject it); FO_ENOMEM. */
int	fo_match_add(struct fo_match *, int item, const struct fo_rec *,
	    const char *file, long line, struct fo_err *);
/* Decide, once every record is held. FO_OK or FO_ENOMEM. */
int	fo_match_run(struct fo_match *);
/* Record i of a side, in the order held, appended to out with its
 * verdict (no '\n'). FO_OK, FO_ERR (no such record) or FO_ENOMEM. */
int	fo_match_write(struct fo_match *, int item, size_t i,
	    const struct fo_rec *, struct fo_buf *out);
void	fo_match_counts(const struct fo_match *, struct fo_match_counts *);
/* --report: a line per pass, then per side, status and currency the
 * count and the exact sum of the amounts, as NDJSON. */
int	fo_match_report(const struct fo_match *, struct fo_buf *out);
/* Bytes held for the records and their index (fo-match(1) CAVEATS). */
size_t	fo_match_bytes(const struct fo_match *);

/* csvout.c: one CSV cell of n bytes appended to b, quoted (RFC 4180, by
 * libcsv); guard: a text starting with = + - @, tab or CR gets a leading
 * ' so that a spreadsheet does not run it as a formula. */
void	fo_csv_cell(struct fo_buf *, const char *s, size_t n, int guard);

#endif
