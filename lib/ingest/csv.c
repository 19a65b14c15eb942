/*
 * csv.c - the CSV front end: libcsv in strict mode, fed one physical line
 * at a time so that every row knows the line it starts on and its text
 * as read, for messages and the reject stream.
 *
 * Input flows: fd -> raw bytes (the first FO_CSV_HEAD bytes kept, so the
 * reader can start again with other options after a profile is chosen)
 * -> iconv to UTF-8 when the file is not UTF-8 -> libcsv.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <csv.h>

#include "fo.h"

#define FO_CSV_HEAD (256 << 10)	/* what sniffing and detection may see */
#define FO_CSV_BLOCK (64 << 10)
#define BAD_BYTE 0xFF		/* never valid UTF-8: marks a byte iconv refused */


struct fo_csv {
	int fd;
	const char *name;
	struct fo_csv_opts o;
	int delim, sniffed;
	char enc[32];		/* canonical name of the input encoding */
	char encwhy[160];	/* how it was settled, for --explain */
	enum fo_filekind kind;	/* what the head looks like */
	int utf8_shown;		/* a BOM or UTF-8 characters say UTF-8 */
	int tallied;		/* 1 + the more of the head's UTF-8 tally */
	size_t seq, bad;	/* that tally: a restart reads the same head */

	/* raw input: the kept head, then reads from fd */
	char *head;
	size_t headlen, headpos;
	int past_head, eof;
	int drained;		/* fill() found nothing more to decode */
	size_t skip;		/* BOM bytes at the start of head */

	/* decoding */
	iconv_t cd;
	char rbuf[FO_CSV_BLOCK];
	size_t rlen;		/* undecoded bytes carried to the next read */
	struct fo_buf dec;	/* decoded UTF-8 waiting to be parsed */
	size_t decpos;
	int bomscan;		/* a BOM may be in what is decoded: look */
	long bomline, bommore;	/* one not yet told, and how many since */

	/* parsing */
	struct csv_parser p;
	long line;		/* physical line being fed, 1-based */
	long linecol;		/* bytes of that line fed so far */
	int skip_to_nl;		/* after a bad row: drop the rest of its line */

	/* the row being read */
	int inrow, rowdone;
	long rowline;
	struct fo_buf raw;	/* its text as read */
	int rawfull;		/* raw passed record_max */
	struct fo_buf fbuf;	/* its fields, each NUL-terminated */
	struct fpos {
		size_t off, n;	/* where in fbuf, and how long */
	} *fpos;
	size_t nf, fcap;
	size_t bigfield;	/* 1 + index of a field past field_max */
	int fieldoom;

	struct fo_csv_row row;
	struct fo_span *spans;
	size_t spcap;
	struct fo_span errraw;
};

static int
no_space(unsigned char ch)
{
	(void)ch;
	return 0;	/* spaces are data: "spaces kept" */
}

/* Note field nf at off in fbuf (its text already there, or about to
 * be); 0 when out of memory. */
static int
add_field(struct fo_csv *c, size_t off, size_t len)
{
	struct fpos *v;
	size_t cap;

	if (c->nf == c->fcap) {
		cap = c->fcap ? c->fcap * 2 : 32;
		if ((v = realloc(c->fpos, cap * sizeof *v)) == NULL) {
			c->fieldoom = 1;
			return 0;
		}
		c->fpos = v;
		c->fcap = cap;
	}
	if (len > c->o.field_max && c->bigfield == 0)
		c->bigfield = c->nf + 1;
	c->fpos[c->nf].off = off;
	c->fpos[c->nf++].n = len;
	return 1;
}

static void
on_field(void *s, size_t len, void *data)
{
	struct fo_csv *c = data;

	if (!s)
		len = 0;
	if (!add_field(c, c->fbuf.n, len))
		return;
	fo_buf_put(&c->fbuf, s ? s : "", len);
	fo_buf_putc(&c->fbuf, '\0');
}

static void
on_row(int ch, void *data)
{
	struct fo_csv *c = data;

	(void)ch;
	c->rowdone = 1;
}

static int
parser_start(struct fo_csv *c)
{
	if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return FO_ENOMEM;
	csv_set_delim(&c->p, (unsigned char)c->delim);
	/* no quoting: a byte UTF-8 never has (a refused byte's mark is
	 * rejected with its row anyway) */
	csv_set_quote(&c->p, c->o.quote < 0 ? BAD_BYTE : '"');
	csv_set_space_func(&c->p, no_space);
	return FO_OK;
}

static void
row_clear(struct fo_csv *c)
{
	c->inrow = c->rowdone = c->rawfull = c->fieldoom = 0;
	c->bigfield = 0;
	c->nf = 0;
	fo_buf_reset(&c->fbuf);
	fo_buf_reset(&c->raw);
}

/* Forget a bad row: a fresh parser, nothing pending. */
static int
parser_restart(struct fo_csv *c)
{
	csv_free(&c->p);
	return parser_start(c);
}

/* Read raw bytes: the kept head first, then the file. */
static ssize_t
src_read(struct fo_csv *c, char *buf, size_t cap)
{
	ssize_t r;
	size_t n;

	if (c->o.read_max > 0 && cap > c->o.read_max)
		cap = c->o.read_max;
	if (c->headpos < c->headlen) {
		n = c->headlen - c->headpos;
		if (n > cap)
			n = cap;
		memcpy(buf, c->head + c->headpos, n);
		c->headpos += n;
		return (ssize_t)n;
	}
	if (c->eof || c->o.head_only)
		return 0;
	c->past_head = 1;
	do
		r = read(c->fd, buf, cap);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		c->eof = 1;
	return r;
}

/* Decode more input onto the end of c->dec: 1 when some was added,
 * 0 at the end of input, FO_EIO or FO_ENOMEM. */
static int
decode(struct fo_csv *c)
{
	char *in, *out;
	size_t inleft, outleft, k, before;
	ssize_t r;

	if (c->decpos > 0) {	/* keep what is not parsed yet, at the front */
		memmove(c->dec.p, c->dec.p + c->decpos, c->dec.n - c->decpos);
		c->dec.n -= c->decpos;
		c->decpos = 0;
	}
	before = c->dec.n;
	for (;;) {
		r = src_read(c, c->rbuf + c->rlen, sizeof c->rbuf - c->rlen);
		if (r < 0)
			return FO_EIO;
		if (r == 0 && c->rlen == 0)
			return 0;
		if (c->cd == (iconv_t)-1) {
			fo_buf_put(&c->dec, c->rbuf, (size_t)r);
			return c->dec.oom ? FO_ENOMEM : 1;
		}
		c->rlen += (size_t)r;
		in = c->rbuf;
		inleft = c->rlen;
		while (inleft > 0) {
			if (fo_buf_reserve(&c->dec, inleft * 4 + 16) != FO_OK)
				return FO_ENOMEM;
			out = c->dec.p + c->dec.n;
			outleft = c->dec.cap - c->dec.n - 1;
			k = iconv(c->cd, &in, &inleft, &out, &outleft);
			c->dec.n = (size_t)(out - c->dec.p);
			if (k != (size_t)-1)
				break;
			if (errno == E2BIG)
				continue;
			if (errno == EINVAL && r > 0)
				break;	/* a sequence split by the read */
			/* a byte the encoding does not have: mark it, go on */
			fo_buf_putc(&c->dec, BAD_BYTE);
			in++;
			inleft--;
		}
		memmove(c->rbuf, in, inleft);
		c->rlen = inleft;
		if (c->dec.n > before)
			return 1;
	}
}

static int
has_bom(const char *s, size_t n)
{
	const char *p;

	while (n >= 3 && (p = memchr(s, 0xEF, n - 2)) != NULL) {
		if ((unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
			return 1;
		n -= (size_t)(p - s) + 1;
		s = p + 1;
	}
	return 0;
}

/* decode(), noting whether what waits to be parsed holds a byte order
 * mark (U+FEFF, whatever the encoding): files joined by cat carry one
 * at each join, and it must not stay in a value. */
static int
fill(struct fo_csv *c)
{
	int r = decode(c);

	if (r > 0)
		c->bomscan = has_bom(c->dec.p, c->dec.n);
	return r;
}

/* Take the byte order marks out of the *len bytes of the line at
 * dec.p + decpos; the first is remembered for fo_csv_notice. */
static void
strip_bom(struct fo_csv *c, size_t *len)
{
	char *seg = c->dec.p + c->decpos;
	size_t i = 0;

	while (*len >= 3 && i + 3 <= *len) {
		char *p = memchr(seg + i, 0xEF, *len - i - 2);

		if (p == NULL)
			break;
		i = (size_t)(p - seg);
		if ((unsigned char)p[1] != 0xBB || (unsigned char)p[2] != 0xBF) {
			i++;
			continue;
		}
		memmove(p, p + 3, c->dec.n - c->decpos - i - 3);
		c->dec.n -= 3;
		*len -= 3;
		if (c->bomline == 0)
			c->bomline = c->line;
		else
			c->bommore++;
	}
}

/* Count each candidate outside quotes on the first lines of the head.
 * The delimiter is the one whose most common count is shared by the most
 * lines: a preamble's few lines cannot outvote the data, and a decimal
 * comma (one per row) loses to a ';' that splits the row into columns. */
#define SNIFF_LINES 30

static int
sniff_delim(const char *s, size_t n)
{
	static const char cand[] = ",;\t|";
	long cnt[4][SNIFF_LINES], score, bestscore = 0, c;
	int lines = 0, inq = 0, content = 0, best = ',', k, j, i2, same;
	size_t i;

	memset(cnt, 0, sizeof cnt);
	for (i = 0; i < n && lines < SNIFF_LINES; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"')
			inq = !inq;
		if (inq)
			continue;
		if (ch == '\n') {
			lines += content;	/* blank lines do not count */
			content = 0;
			if (lines < SNIFF_LINES)
				for (k = 0; k < 4; k++)
					cnt[k][lines] = 0;
			continue;
		}
		if (ch != ' ' && ch != '\r' && ch != '\t' && ch != '\0')
			content = 1;
		for (k = 0; k < 4; k++)
			if (ch == (unsigned char)cand[k])
				cnt[k][lines]++;
	}
	if (lines < SNIFF_LINES && content)
		lines++;
	for (k = 0; k < 4; k++)
		for (j = 0; j < lines; j++) {
			if ((c = cnt[k][j]) == 0)
				continue;
			for (i2 = same = 0; i2 < lines; i2++)
				same += cnt[k][i2] == c;
			score = (long)same * 1000 + c;
			if (score > bestscore) {
				bestscore = score;
				best = cand[k];
			}
		}
	return best;
}

/* Encodings by the names users give, and iconv's name for each. */
static const struct {
	const char *name, *iconv;
} encodings[] = {
	{ "utf-8", "" }, { "utf8", "" },
	{ "windows-1252", "WINDOWS-1252" }, { "cp1252", "WINDOWS-1252" },
	{ "latin1", "ISO-8859-1" }, { "iso-8859-1", "ISO-8859-1" },
	{ "iso-8859-15", "ISO-8859-15" }, { "latin9", "ISO-8859-15" },
	{ "utf-16le", "UTF-16LE" }, { "utf-16be", "UTF-16BE" },
};

static const char *
iconv_name(const char *want)
{
	size_t i;

	for (i = 0; i < sizeof encodings / sizeof encodings[0]; i++)
		if (strcasecmp(want, encodings[i].name) == 0)
			return encodings[i].iconv;
	return NULL;
}

int
fo_csv_encoding_known(const char *name)
{
	return strcasecmp(name, "auto") == 0 || iconv_name(name) != NULL;
}

/* Tally the non-ASCII bytes of the n bytes at s: those in well-formed
 * UTF-8 sequences (*seq counts the sequences) and those in none (*bad).
 * A sequence cut by the end of the head (more to come) is not counted. */
static void
utf8_tally(const unsigned char *s, size_t n, int more, size_t *seq,
    size_t *bad)
{
	size_t i = 0, len;

	*seq = *bad = 0;
	while (i < n) {
		/* mostly ASCII: eight bytes at a time */
		while (n - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i == n)
			break;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		len = s[i] >= 0xF0 ? 4 : s[i] >= 0xE0 ? 3 : s[i] >= 0xC0 ? 2 : 1;
		if (len > 1 && i + len > n && more)
			break;
		if (len > 1 && i + len <= n &&
		    fo_utf8_check((const char *)s + i, len) == len) {
			++*seq;
			i += len;
		} else {
			++*bad;
			i++;
		}
	}
}

/* Settle the encoding from the options, a BOM, the NULs of UTF-16, or
 * (auto) the head. */
static int
setup_encoding(struct fo_csv *c, struct fo_err *e)
{
	const unsigned char *h = (const unsigned char *)c->head;
	const char *want = c->o.encoding ? c->o.encoding : "utf-8", *from;
	size_t n = c->headlen, seq, bad;
	int u16;

	c->skip = 0;
	c->utf8_shown = 0;
	snprintf(c->encwhy, sizeof c->encwhy, "%s", c->o.encoding &&
	    strcasecmp(want, "auto") != 0 ? "given by -e or the profile" :
	    "the default");
	if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
		c->skip = 3;
		c->utf8_shown = 1;
		if (strcasecmp(want, "auto") == 0) {
			want = "utf-8";
			snprintf(c->encwhy, sizeof c->encwhy,
			    "a UTF-8 byte order mark");
		}
	} else if (n >= 2 && h[0] == 0xFF && h[1] == 0xFE) {
		c->skip = 2;
		want = "utf-16le";
		snprintf(c->encwhy, sizeof c->encwhy, "a UTF-16LE byte order "
		    "mark");
	} else if (n >= 2 && h[0] == 0xFE && h[1] == 0xFF) {
		c->skip = 2;
		want = "utf-16be";
		snprintf(c->encwhy, sizeof c->encwhy, "a UTF-16BE byte order "
		    "mark");
	} else if (strncasecmp(want, "utf-16", 6) != 0 &&
	    (u16 = fo_utf16_sniff(h, n)) != 0) {
		/* no 8-bit text has a NUL every other byte */
		want = u16 == 'l' ? "utf-16le" : "utf-16be";
		snprintf(c->encwhy, sizeof c->encwhy, "no byte order mark, "
		    "but a NUL %s each ASCII byte", u16 == 'l' ? "after" :
		    "before");
	}
	if (strcasecmp(want, "auto") == 0) {
		if (c->tallied != 1 + !c->eof) {
			utf8_tally(h, n, !c->eof, &c->seq, &c->bad);
			c->tallied = 1 + !c->eof;
		}
		seq = c->seq;
		bad = c->bad;
		if (bad == 0) {
			want = "utf-8";
			snprintf(c->encwhy, sizeof c->encwhy, "auto: the first "
			    "%zu KiB are valid UTF-8", (n + 1023) >> 10);
		} else if (bad > seq) {
			want = "windows-1252";
			snprintf(c->encwhy, sizeof c->encwhy, "auto: %zu bytes "
			    "are not UTF-8, more than the %zu UTF-8 characters",
			    bad, seq);
		} else {
			want = "utf-8";
			c->utf8_shown = 1;
			snprintf(c->encwhy, sizeof c->encwhy, "auto: %zu UTF-8 "
			    "characters outnumber %zu bytes that are not; their "
			    "rows are rejected", seq, bad);
		}
	}
	if ((from = iconv_name(want)) == NULL) {
		fo_err_set(e, c->name, 0, 0, "unknown encoding '%s'", want);
		return FO_ERR;
	}
	if (*from && (c->cd = iconv_open("UTF-8", from)) == (iconv_t)-1) {
		fo_err_set(e, c->name, 0, 0, "encoding '%s': %s", want,
		    strerror(errno));
		return FO_ERR;
	}
	snprintf(c->enc, sizeof c->enc, "%s", *from ? want : "utf-8");
	for (char *p = c->enc; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return FO_OK;
}

/* (Re)start reading from the first byte with the options given. */
static int
start(struct fo_csv *c, const struct fo_csv_opts *o, struct fo_err *e)
{
	int r;

	c->o = *o;
	if (c->o.field_max == 0)
		c->o.field_max = FO_CSV_FIELD_MAX;
	if (c->o.record_max == 0)
		c->o.record_max = FO_CSV_RECORD_MAX;
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	c->cd = (iconv_t)-1;
	if ((r = setup_encoding(c, e)) != FO_OK)
		return r;
	c->headpos = c->skip;
	c->rlen = 0;
	c->drained = 0;
	c->dec.n = c->decpos = 0;
	c->bomscan = 0;
	c->bomline = c->bommore = 0;
	c->line = 1;
	c->linecol = 0;
	c->skip_to_nl = 0;
	row_clear(c);
	c->sniffed = o->delim == 0;
	if (c->sniffed) {
		/* UTF-16 puts a NUL after each ASCII byte; sniff past them */
		c->delim = sniff_delim(c->head + c->skip, c->headlen - c->skip);
	} else
		c->delim = o->delim;
	return parser_start(c);
}

int
fo_csv_open(struct fo_csv **cp, int fd, const char *name,
    const struct fo_csv_opts *o, struct fo_err *e)
{
	struct fo_csv *c;
	ssize_t r;

	*cp = NULL;
	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->head = malloc(FO_CSV_HEAD)) == NULL) {
		free(c);
		fo_err_set(e, name, 0, 0, "out of memory");
		return FO_ENOMEM;
	}
	c->fd = fd;
	c->name = name;
	c->cd = (iconv_t)-1;
	while (c->headlen < FO_CSV_HEAD) {
		r = read(fd, c->head + c->headlen, FO_CSV_HEAD - c->headlen);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fo_err_set(e, name, 0, 0, "read: %s", strerror(errno));
			fo_csv_close(c);
			return FO_EIO;
		}
		if (r == 0) {
			c->eof = 1;
			break;
		}
		c->headlen += (size_t)r;
	}
	c->kind = fo_filekind(c->head, c->headlen);
	if (start(c, o, e) != FO_OK) {
		fo_csv_close(c);
		return FO_ERR;
	}
	*cp = c;
	return FO_OK;
}

int
fo_csv_reset(struct fo_csv *c, const struct fo_csv_opts *o, struct fo_err *e)
{
	if (c->past_head) {
		fo_err_set(e, c->name, c->line, 0,
		    "cannot start again past the first %d KiB", FO_CSV_HEAD >> 10);
		return FO_ERR;
	}
	csv_free(&c->p);
	return start(c, o, e);
}

/* Line and column of byte off of the current row's text. */
static void
raw_pos(const struct fo_csv *c, const char *raw, long rowline, size_t off,
    long *line, long *col)
{
	size_t i, bol = 0;
	long l = rowline;

	(void)c;
	for (i = 0; i < off; i++)
		if (raw[i] == '\n') {
			l++;
			bol = i + 1;
		}
	*line = l;
	*col = (long)(off - bol) + 1;
}

/* Where field idx's text starts in the row as read (past its opening
 * quote), or the end of it. */
static size_t
field_off(const struct fo_csv *c, const char *raw, size_t n, size_t idx)
{
	size_t i, k = 0;
	int inq = 0;

	for (i = 0; i < n && k < idx; i++) {
		if (raw[i] == '"' && c->o.quote >= 0)
			inq = !inq;
		else if (!inq && (unsigned char)raw[i] == c->delim)
			k++;
	}
	if (i < n && raw[i] == '"' && c->o.quote >= 0)
		i++;	/* the text, not its opening quote */
	return i;
}

static size_t
trim_eol(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return n;
}

/* The row as read is bad: keep its text for the reject stream. */
static int
row_fail(struct fo_csv *c, struct fo_err *e, long line, long col,
    const char *msg)
{
	fo_err_set(e, c->name, line, col, "%s", msg);
	c->errraw.p = c->raw.p;
	c->errraw.n = trim_eol(c->raw.p ? c->raw.p : "", c->raw.n);
	c->inrow = 0;
	return FO_ERR;
}

/* Whether the n bytes at s are all ASCII and none is NUL. */
static int
plain(const char *s, size_t n)
{
	uint64_t w;
	size_t i;

	for (i = 0; n - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		if ((w & FO_HIGHS) != 0 || FO_HAS_ZERO(w) != 0)
			return 0;
	}
	for (; i < n; i++)
		if (s[i] == '\0' || (unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* Hand out a finished row, after the checks libcsv does not make. */
static int
row_emit(struct fo_csv *c, struct fo_csv_row **rp, struct fo_err *e)
{
	const char *raw = c->raw.p;
	size_t n = trim_eol(raw, c->raw.n), bad, i;
	long line, col;
	char msg[128];
	int odd;

	if (c->fieldoom || c->fbuf.oom || c->raw.oom) {
		fo_err_set(e, c->name, c->rowline, 0, "out of memory");
		return FO_ENOMEM;
	}
	/* most rows are ASCII without a NUL: neither look below is needed */
	odd = !plain(raw, n);
	if (odd && (bad = fo_utf8_check(raw, n)) < n) {
		raw_pos(c, raw, c->rowline, bad, &line, &col);
		if (c->cd != (iconv_t)-1)
			snprintf(msg, sizeof msg, "byte not valid in %s", c->enc);
		else if (c->utf8_shown)
			snprintf(msg, sizeof msg, "invalid UTF-8 byte 0x%02X in "
			    "a UTF-8 file (a row from another encoding?)",
			    (unsigned char)raw[bad]);
		else
			snprintf(msg, sizeof msg, "invalid UTF-8 byte 0x%02X "
			    "(not UTF-8? give -e windows-1252)",
			    (unsigned char)raw[bad]);
		return row_fail(c, e, line, col, msg);
	}
	if (odd && (raw = memchr(raw, '\0', n)) != NULL) {
		raw_pos(c, c->raw.p, c->rowline, (size_t)(raw - c->raw.p),
		    &line, &col);
		return row_fail(c, e, line, col, "NUL byte");
	}
	if (c->bigfield) {
		snprintf(msg, sizeof msg, "field %zu longer than %zu bytes",
		    c->bigfield, c->o.field_max);
		raw_pos(c, c->raw.p, c->rowline, field_off(c, c->raw.p,
		    c->raw.n, c->bigfield - 1), &line, &col);
		return row_fail(c, e, line, col, msg);
	}
	if (c->nf > c->spcap) {
		struct fo_span *v = realloc(c->spans, c->nf * sizeof *v);

		if (v == NULL)
			return FO_ENOMEM;
		c->spans = v;
		c->spcap = c->nf;
	}
	for (i = 0; i < c->nf; i++) {
		c->spans[i].p = c->fbuf.p + c->fpos[i].off;
		c->spans[i].n = c->fpos[i].n;
	}
	c->row.nf = c->nf;
	c->row.f = c->spans;
	c->row.line = c->rowline;
	c->row.lines = c->line - c->rowline + (c->linecol > 0);
	if (c->row.lines < 1)
		c->row.lines = 1;
	c->row.raw = c->raw.p;
	c->row.rawlen = n;
	c->inrow = 0;
	*rp = &c->row;
	return FO_OK;
}

static int
emit_blank(struct fo_csv *c, struct fo_csv_row **rp, long line)
{
	c->row.nf = 0;
	c->row.f = c->spans;
	c->row.line = line;
	c->row.lines = 1;
	c->row.raw = "";
	c->row.rawlen = 0;
	*rp = &c->row;
	return FO_OK;
}

/* The input ended: finish a last row that has no newline. */
static int
at_end(struct fo_csv *c, struct fo_csv_row **rp, struct fo_err *e)
{
	int bad;

	if (!c->inrow)
		return FO_EMPTY;
	bad = csv_fini(&c->p, on_field, on_row, c) != 0;
	csv_free(&c->p);
	parser_start(c);
	if (bad)
		return row_fail(c, e, c->rowline, 0,
		    "quoted field not closed at end of input");
	if (!c->rowdone)
		return FO_EMPTY;
	return row_emit(c, rp, e);
}

/*
 * Most rows are split here, without libcsv's byte-at-a-time state
 * machine. The result must be exactly libcsv's in strict mode (spaces
 * kept, "" inside quotes for one quote, line ends inside quotes kept),
 * so anything else is declined and the row goes to libcsv line by line
 * from its start: a quote where strict mode stops, a row not all in the
 * buffer, a row longer than record_max. tests/unit/t-csvfast.c and
 * fuzz/fuzz-csv.c hold it to libcsv.
 */
enum { SPLIT_NO, SPLIT_OK, SPLIT_OPEN };

/* The first byte from i on that is a or b, else m. Eight bytes at a
 * time: fields are short, and a call to memchr costs more than that. */
static size_t
find2(const char *p, size_t i, size_t m, int a, int b)
{
	uint64_t w, wa = FO_ONES * (unsigned char)a, wb = FO_ONES * (unsigned char)b;

	for (; m - i >= 8; i += 8) {
		memcpy(&w, p + i, 8);
		if ((w = FO_HAS_ZERO(w ^ wa) | FO_HAS_ZERO(w ^ wb)) == 0)
			continue;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* the lowest flag is exact (borrows only run upwards) */
		return i + (size_t)__builtin_ctzll(w) / 8;
#else
		break;
#endif
	}
	for (; i < m; i++)
		if ((unsigned char)p[i] == a || (unsigned char)p[i] == b)
			return i;
	return m;
}

/*
 * Split the text of len bytes (whole lines, the last one's end not
 * part of the row) into fields. It is copied to fbuf once and each field
 * is cut out of the copy in place, the byte after it (a delimiter, the
 * closing quote, the line end) becoming its NUL. SPLIT_OPEN: the last
 * field is a quoted one still open at the end.
 */
static int
split(struct fo_csv *c, const char *seg, size_t len)
{
	int q = c->o.quote < 0 ? BAD_BYTE : '"', d = c->delim, r = SPLIT_NO;
	size_t m = len, i = 0, k, w, at, start;
	char *p;

	if (seg[m - 1] == '\n')
		m--;
	if (m > 0 && seg[m - 1] == '\r')
		m--;
	c->nf = 0;
	c->bigfield = 0;
	if (fo_buf_reserve(&c->fbuf, m) != FO_OK)
		goto out;	/* libcsv's path reports it */
	p = c->fbuf.p;
	memcpy(p, seg, m);
	p[m] = '\0';
	c->fbuf.n = m + 1;
	for (;;) {
		if (i < m && (unsigned char)p[i] == q) {
			start = w = k = i + 1;
			for (;;) {	/* up to the closing quote */
				if ((at = find2(p, k, m, q, q)) == m) {
					r = SPLIT_OPEN;
					goto out;
				}
				if (w != k)	/* after a "" only */
					memmove(p + w, p + k, at - k);
				w += at - k;
				if (at + 1 < m && (unsigned char)p[at + 1] == q) {
					p[w++] = (char)q;	/* "" */
					k = at + 2;
					continue;
				}
				k = at + 1;
				break;
			}
			if (k < m && (unsigned char)p[k] != d)
				goto out;	/* text after the closing quote */
			p[w] = '\0';
			if (!add_field(c, start, w - start))
				goto out;
		} else {
			k = find2(p, i, m, d, q);
			if (k < m && (unsigned char)p[k] == q)
				goto out;	/* a quote in an unquoted field */
			p[k] = '\0';
			if (!add_field(c, i, k - i))
				goto out;
		}
		if (k == m)
			return SPLIT_OK;
		i = k + 1;
	}
out:
	c->nf = 0;
	c->bigfield = 0;
	c->fieldoom = 0;
	fo_buf_reset(&c->fbuf);
	return r;
}

/* The next line of the n bytes at s as fo_csv_next cuts one (at a LF or
 * a bare CR), or 0 when no LF is there to end it yet. */
static size_t
next_line(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n), *cr;
	size_t len;

	if (nl == NULL)
		return 0;
	len = (size_t)(nl - s) + 1;
	if ((cr = memchr(s, '\r', len)) != NULL && cr + 1 < nl)
		len = (size_t)(cr - s) + 1;	/* a bare CR ends a line */
	return len;
}

/*
 * The row that starts with the line of len bytes at seg, split: its
 * length (that line and those its quoted fields run on to, avail bytes
 * at most), *lines the lines it takes; 0 to leave it to libcsv. Only
 * a quoted field open at the end of a line makes the row go on, so
 * only quoted fields hold line ends, as in libcsv.
 */
static size_t
fast_row(struct fo_csv *c, const char *seg, size_t len, size_t avail,
    long *lines)
{
	size_t more;
	int r;

	*lines = 1;
	for (;;) {
		if (trim_eol(seg, len) > c->o.record_max)
			return 0;	/* libcsv's path says so */
		if ((r = split(c, seg, len)) == SPLIT_OK)
			break;
		if (r == SPLIT_NO ||
		    (more = next_line(seg + len, avail - len)) == 0)
			return 0;
		len += more;
		++*lines;
	}
	c->rowdone = 1;
	return len;
}

int
fo_csv_next(struct fo_csv *c, struct fo_csv_row **rp, struct fo_err *e)
{
	const char *seg, *nl, *cr;
	size_t avail, len, got;
	long lines;
	int r, eol, fresh;

	fo_err_clear(e);
	if (!c->inrow)
		row_clear(c);
	for (;;) {
		avail = c->dec.n - c->decpos;
		nl = avail ? memchr(c->dec.p + c->decpos, '\n', avail) : NULL;
		/* a whole line at a time, unless it is longer than a row may be */
		if (nl == NULL && !c->drained && avail <= c->o.record_max) {
			r = fill(c);
			if (r < 0) {
				fo_err_set(e, c->name, c->line, 0, "%s",
				    r == FO_ENOMEM ? "out of memory" :
				    strerror(errno));
				return r;
			}
			if (r == 0)
				c->drained = 1;
			continue;
		}
		if (avail == 0)
			return at_end(c, rp, e);
		seg = c->dec.p + c->decpos;
		len = nl ? (size_t)(nl - seg) + 1 : avail;
		if (c->bomscan) {
			size_t was = len;

			strip_bom(c, &len);
			avail -= was - len;
			if (len == 0)
				continue;
		}
		cr = memchr(seg, '\r', len);
		if (cr && (size_t)(cr - seg) + 1 < len && cr[1] != '\n')
			len = (size_t)(cr - seg) + 1;	/* a bare CR ends a line */
		eol = seg[len - 1] == '\n' || (seg[len - 1] == '\r' &&
		    (len < avail || c->drained));
		c->decpos += len;

		if (c->skip_to_nl) {
			if (eol) {
				c->skip_to_nl = 0;
				c->line++;
				c->linecol = 0;
			}
			continue;
		}
		if (!c->inrow && c->linecol == 0 && eol &&
		    (len == 1 || (len == 2 && seg[0] == '\r'))) {
			long blank = c->line;

			c->line++;
			return emit_blank(c, rp, blank);
		}
		if ((fresh = !c->inrow)) {
			c->inrow = 1;
			c->rowline = c->line;
		}
		/* the fast splitter takes a quoted row's later lines as they
		 * lie; where a byte order mark may be among them (bomscan),
		 * each line goes through strip_bom first, the slow way */
		if (fresh && eol && c->linecol == 0 && !c->o.nofast &&
		    !c->bomscan &&
		    (got = fast_row(c, seg, len, avail, &lines)) > 0) {
			c->decpos += got - len;	/* the lines after the first */
			fo_buf_put(&c->raw, seg, got);
			c->line += lines;
			return row_emit(c, rp, e);
		}
		/* the limit is on the text; its line end (up to 2) is extra */
		if (c->raw.n + len <= c->o.record_max + 2)
			fo_buf_put(&c->raw, seg, len);
		else {	/* keep what fits, for the reject stream */
			fo_buf_put(&c->raw, seg, c->o.record_max + 2 - c->raw.n);
			c->rawfull = 1;
		}

		got = csv_parse(&c->p, seg, len, on_field, on_row, c);
		if (got < len) {
			long line = c->line, col = c->linecol + (long)got + 1;

			if (eol) {
				c->line++;
				c->linecol = 0;
			} else
				c->skip_to_nl = 1;
			parser_restart(c);
			if (csv_error(&c->p) == CSV_ENOMEM)
				return FO_ENOMEM;
			return row_fail(c, e, line, col,
			    "quote in an unquoted field, or text after a "
			    "closing quote");
		}
		if (eol) {
			c->line++;
			c->linecol = 0;
		} else
			c->linecol += (long)len;
		if (c->rawfull || trim_eol(c->raw.p, c->raw.n) > c->o.record_max) {
			char msg[128];

			if (!eol)
				c->skip_to_nl = 1;
			parser_restart(c);
			snprintf(msg, sizeof msg, "row longer than %zu bytes "
			    "(a quote not closed?)", c->o.record_max);
			row_fail(c, e, c->rowline, 0, msg);
			if (c->errraw.n > c->o.record_max)
				c->errraw.n = c->o.record_max;
			return FO_ERR;
		}
		if (c->rowdone)
			return row_emit(c, rp, e);
	}
}

struct fo_span
fo_csv_raw(const struct fo_csv *c)
{
	return c->errraw;
}

int
fo_csv_delim_parse(const char *s)
{
	if (strcmp(s, "auto") == 0)
		return 0;
	if (strcmp(s, "tab") == 0 || strcmp(s, "\t") == 0 ||
	    strcmp(s, "\\t") == 0)
		return '\t';
	if (strlen(s) == 1 && strchr(",;|:", s[0]))
		return s[0];
	return -1;
}

struct fo_span
fo_csv_head(const struct fo_csv *c)
{
	struct fo_span s = { c->head, c->headlen };

	return s;
}

int
fo_csv_delim(const struct fo_csv *c)
{
	return c->delim;
}

int
fo_csv_sniffed(const struct fo_csv *c)
{
	return c->sniffed;
}

const char *
fo_csv_encoding(const struct fo_csv *c)
{
	return c->enc;
}

const char *
fo_csv_encoding_why(const struct fo_csv *c)
{
	return c->encwhy;
}

enum fo_filekind
fo_csv_kind(const struct fo_csv *c)
{
	return c->kind;
}

int
fo_csv_notice(struct fo_csv *c, struct fo_err *e)
{
	if (c->bomline == 0)
		return 0;
	if (c->bommore > 0)
		fo_err_set(e, c->name, c->bomline, 0, "byte order mark inside "
		    "the file (files joined?): removed, and %ld more up to "
		    "line %ld", c->bommore, c->line);
	else
		fo_err_set(e, c->name, c->bomline, 0, "byte order mark inside "
		    "the file (files joined?): removed");
	c->bomline = c->bommore = 0;
	return 1;
}

void
fo_csv_field_pos(const struct fo_csv *c, const struct fo_csv_row *row,
    size_t idx, long *line, long *col)
{
	raw_pos(c, row->raw, row->line, field_off(c, row->raw, row->rawlen,
	    idx), line, col);
}

void
fo_csv_close(struct fo_csv *c)
{
	if (c == NULL)
		return;
	csv_free(&c->p);
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	free(c->head);
	fo_buf_free(&c->dec);
	fo_buf_free(&c->raw);
	fo_buf_free(&c->fbuf);
	free(c->fpos);
	free(c->spans);
	free(c);
}
