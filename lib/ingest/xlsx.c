/*
 * xlsx.c - Excel workbooks: the zip container through libzip, each XML
 * part through libxml2's streaming reader, fed from the zip entry as it
 * inflates. One worksheet's rows come out as fo_csv_row, so that they
 * take the same way through profiles as CSV rows: each cell as text,
 * with a kind saying when it was a number or a date (read exactly from
 * the cell's text, never through a double).
 *
 * Every part is bounded: its size is checked in the zip's header and
 * again while it inflates (a header can lie), and strings, cells and
 * rows have limits. A DTD is refused, so no entity is ever expanded.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"
#include "dl.h"

#define META_MAX (16 << 20)	/* workbook, relationships, styles */
#define NUM_MAX 400		/* digits of a number written out */
#define NO_STYLE (-1)

enum fmtkind { FMT_NONE, FMT_DATE, FMT_TIME, FMT_DATETIME, FMT_ELAPSED };

/* A part being read: the zip entry, counted as it inflates. */
struct part {
	zip_file_t *zf;
	const char *name;
	size_t got, max;
	int over, zerr;
};

struct fo_xlsx {
	const char *name;
	struct fo_xlsx_opts o;
	zip_t *zip;
	void *data;		/* the workbook in memory (stdin), or NULL */
	int date1904;

	char **sheets;		/* worksheet names, workbook order */
	size_t nsheet;
	char *sheet;		/* the one read */
	char *sheetpart;	/* its part, e.g. xl/worksheets/sheet1.xml */

	struct fo_buf sst;	/* shared strings, each NUL-terminated */
	size_t *sstoff;
	size_t nsst;
	unsigned char *xfkind;	/* per cellXfs index: enum fmtkind */
	size_t nxf;

	/* the sheet being read */
	struct part part;
	xmlTextReaderPtr rd;
	int done;
	long rowno;		/* of the last row begun */
	struct fo_buf val;	/* text of the cell being read */
	struct fo_buf fbuf;	/* the row's fields, NUL-terminated */
	size_t *foff;
	unsigned char *kind;
	size_t nf, fcap, width;
	struct fo_span *spans;
	size_t spcap;
	struct fo_buf raw;
	struct fo_csv_row row;
	struct fo_err rowerr;	/* the first thing wrong in the row */
	int bad;
};

/* libxml2's messages, kept for ours: it must never print. */
static char xml_msg[160];
static int xml_line;

static void
on_xml_error(void *ctx, xmlErrorPtr err)
{
	size_t n;

	(void)ctx;
	if (xml_msg[0] != '\0' || err == NULL || err->message == NULL)
		return;
	snprintf(xml_msg, sizeof xml_msg, "%s", err->message);
	n = strlen(xml_msg);
	while (n > 0 && (xml_msg[n - 1] == '\n' || xml_msg[n - 1] == ' '))
		xml_msg[--n] = '\0';
	xml_line = err->line;
}

static void
quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

static int
part_read(void *ctx, char *buf, int len)
{
	struct part *p = ctx;
	zip_int64_t r;

	r = fo_zip.zip_fread(p->zf, buf, (zip_uint64_t)len);
	if (r < 0) {
		p->zerr = 1;
		return -1;
	}
	if ((p->got += (size_t)r) > p->max) {
		p->over = 1;
		return -1;
	}
	return (int)r;
}

static int
part_open(struct fo_xlsx *x, struct part *p, const char *name, size_t max,
    struct fo_err *e)
{
	zip_stat_t st;
	zip_int64_t i;

	memset(p, 0, sizeof *p);
	p->name = name;
	p->max = max;
	if ((i = fo_zip.zip_name_locate(x->zip, name, 0)) < 0)
		return FO_EMPTY;
	fo_zip.zip_stat_init(&st);
	if (fo_zip.zip_stat_index(x->zip, (zip_uint64_t)i, 0, &st) == 0 &&
	    (st.valid & ZIP_STAT_SIZE) && st.size > max) {
		fo_err_set(e, x->name, 0, 0, "%s: %llu bytes uncompressed, "
		    "more than the limit of %zu", name,
		    (unsigned long long)st.size, max);
		return FO_ERR;
	}
	if ((p->zf = fo_zip.zip_fopen_index(x->zip, (zip_uint64_t)i, 0)) ==
	    NULL) {
		fo_err_set(e, x->name, 0, 0, "%s: %s", name,
		    fo_zip.zip_strerror(x->zip));
		return FO_ERR;
	}
	return FO_OK;
}

static xmlTextReaderPtr
reader_new(struct part *p)
{
	xmlTextReaderPtr rd;

	xml_msg[0] = '\0';
	xml_line = 0;
	fo_xml.xmlSetGenericErrorFunc(NULL, quiet);
	fo_xml.xmlSetStructuredErrorFunc(NULL, on_xml_error);
	rd = fo_xml.xmlReaderForIO(part_read, NULL, p, p->name, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOCDATA);
	if (rd != NULL)
		fo_xml.xmlTextReaderSetStructuredErrorHandler(rd, on_xml_error,
		    NULL);
	return rd;
}

/* Why a part could not be read, after the reader said -1. */
static int
part_fail(struct fo_xlsx *x, struct part *p, long line, struct fo_err *e)
{
	if (p->over)
		fo_err_set(e, x->name, line, 0, "%s: more than %zu bytes "
		    "uncompressed (the limit; see --max-part)", p->name,
		    p->max);
	else if (p->zerr)
		fo_err_set(e, x->name, line, 0, "%s: damaged: %s", p->name,
		    fo_zip.zip_file_strerror(p->zf));
	else if (xml_msg[0])
		fo_err_set(e, x->name, line, 0, "%s:%d: not well-formed XML: "
		    "%s", p->name, xml_line, xml_msg);
	else
		fo_err_set(e, x->name, line, 0, "%s: cannot be read", p->name);
	fo_utf8_scrub(e->msg);
	return FO_ERR;
}

/* The next node: 1, 0 at the end, or -1 (a DTD counts as an error). */
static int
step(xmlTextReaderPtr rd)
{
	int r = fo_xml.xmlTextReaderRead(rd);

	if (r == 1 && fo_xml.xmlTextReaderNodeType(rd) ==
	    XML_READER_TYPE_DOCUMENT_TYPE) {
		snprintf(xml_msg, sizeof xml_msg, "a DTD, which a workbook "
		    "never has");
		return -1;
	}
	return r;
}

static int
is_el(xmlTextReaderPtr rd, const char *name)
{
	const xmlChar *n = fo_xml.xmlTextReaderConstLocalName(rd);

	return n && strcmp((const char *)n, name) == 0;
}

static int
is_start(xmlTextReaderPtr rd, const char *name)
{
	return fo_xml.xmlTextReaderNodeType(rd) == XML_READER_TYPE_ELEMENT &&
	    is_el(rd, name);
}

static int
is_end(xmlTextReaderPtr rd, const char *name)
{
	return fo_xml.xmlTextReaderNodeType(rd) ==
	    XML_READER_TYPE_END_ELEMENT &&
	    is_el(rd, name);
}

static int
is_text(xmlTextReaderPtr rd)
{
	int t = fo_xml.xmlTextReaderNodeType(rd);

	return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
	    t == XML_READER_TYPE_WHITESPACE ||
	    t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* An attribute without a namespace, or NULL; the caller frees it. */
static char *
attr(xmlTextReaderPtr rd, const char *name)
{
	return (char *)fo_xml.xmlTextReaderGetAttribute(rd,
	    (const xmlChar *)name);
}

/* The relationship id of a <sheet>: r:id, whatever the prefix. */
static char *
attr_rid(xmlTextReaderPtr rd)
{
	char *v = NULL;

	if (fo_xml.xmlTextReaderMoveToFirstAttribute(rd) != 1)
		return NULL;
	do {
		if (is_el(rd, "id") &&
		    fo_xml.xmlTextReaderConstNamespaceUri(rd)) {
			v = (char *)fo_xml.xmlTextReaderValue(rd);
			break;
		}
	} while (fo_xml.xmlTextReaderMoveToNextAttribute(rd) == 1);
	fo_xml.xmlTextReaderMoveToElement(rd);
	return v;
}

/* A whole number from 0 to max, all of s; -1 if not. */
static long
whole(const char *s, long max)
{
	long v = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > max / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > max ? -1 : v;
}

/* Text with Excel's _xHHHH_ escapes (a character XML cannot hold, or
 * _x005F_ for a '_') resolved, onto b. */
static void
put_unescaped(struct fo_buf *b, const char *s, size_t n)
{
	size_t i;
	long cp;
	char u[4];

	for (i = 0; i < n; i++) {
		/* not a NUL or a surrogate: fields are C strings, and UTF-8 */
		if (s[i] == '_' && i + 7 <= n && s[i + 1] == 'x' &&
		    s[i + 6] == '_' && (cp = fo_hex4(s + i + 2)) > 0 &&
		    (cp < 0xD800 || cp > 0xDFFF)) {
			fo_buf_put(b, u, fo_utf8_put((unsigned long)cp, u));
			i += 6;
			continue;
		}
		fo_buf_putc(b, s[i]);
	}
}

/* Workbook: the sheets in order, their relationship ids, the date
 * system. */
static int
read_workbook(struct fo_xlsx *x, char ***rids, struct fo_err *e)
{
	struct part p;
	xmlTextReaderPtr rd;
	char *name, *rid, *v, **nv, **rv;
	int r;

	if ((r = part_open(x, &p, "xl/workbook.xml", META_MAX, e)) != FO_OK)
		return r;
	if ((rd = reader_new(&p)) == NULL) {
		fo_zip.zip_fclose(p.zf);
		return part_fail(x, &p, 0, e);
	}
	while ((r = step(rd)) == 1) {
		if (is_start(rd, "workbookPr")) {
			v = attr(rd, "date1904");
			x->date1904 = v && (strcmp(v, "1") == 0 ||
			    strcmp(v, "true") == 0);
			free(v);
		} else if (is_start(rd, "sheet")) {
			name = attr(rd, "name");
			rid = attr_rid(rd);
			nv = realloc(x->sheets, (x->nsheet + 1) * sizeof *nv);
			if (nv)
				x->sheets = nv;
			rv = nv ? realloc(*rids, (x->nsheet + 1) *
			    sizeof *rv) : NULL;
			if (rv)
				*rids = rv;
			if (!name || !rid || !nv || !rv) {
				free(name);
				free(rid);
				r = -1;
				snprintf(xml_msg, sizeof xml_msg, "a sheet "
				    "without a name or r:id");
				break;
			}
			x->sheets[x->nsheet] = name;
			(*rids)[x->nsheet++] = rid;
		}
	}
	if (r < 0)
		part_fail(x, &p, 0, e);
	fo_xml.xmlFreeTextReader(rd);
	fo_zip.zip_fclose(p.zf);
	if (r < 0)
		return FO_ERR;
	if (x->nsheet == 0) {
		fo_err_set(e, x->name, 0, 0, "xl/workbook.xml: no sheets");
		return FO_ERR;
	}
	return FO_OK;
}

/* A relationship's target as a part name: relative to xl/, or from the
 * root when it starts with '/'. */
static char *
part_name(const char *target)
{
	char *s;
	size_t n;

	if (target[0] == '/')
		return strdup(target + 1);
	n = strlen(target) + 4;
	if ((s = malloc(n)) != NULL)
		snprintf(s, n, "xl/%s", target);
	return s;
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

/* The part of the sheet chosen, and the shared strings' and styles'. */
static int
read_rels(struct fo_xlsx *x, char **rids, size_t want, char **sst,
    char **styles, struct fo_err *e)
{
	struct part p;
	xmlTextReaderPtr rd;
	char *id, *type, *target;
	int r;

	r = part_open(x, &p, "xl/_rels/workbook.xml.rels", META_MAX, e);
	if (r == FO_EMPTY) {
		fo_err_set(e, x->name, 0, 0, "xl/_rels/workbook.xml.rels: "
		    "missing");
		return FO_ERR;
	}
	if (r != FO_OK)
		return r;
	if ((rd = reader_new(&p)) == NULL) {
		fo_zip.zip_fclose(p.zf);
		return part_fail(x, &p, 0, e);
	}
	while ((r = step(rd)) == 1) {
		if (!is_start(rd, "Relationship"))
			continue;
		id = attr(rd, "Id");
		type = attr(rd, "Type");
		target = attr(rd, "Target");
		if (id && type && target) {
			char **to = NULL;

			if (strcmp(id, rids[want]) == 0 &&
			    ends_with(type, "/worksheet"))
				to = &x->sheetpart;
			else if (ends_with(type, "/sharedStrings"))
				to = sst;
			else if (ends_with(type, "/styles"))
				to = styles;
			if (to && *to == NULL && (*to = part_name(target)) ==
			    NULL)
				r = -1;
		}
		free(id);
		free(type);
		free(target);
		if (r < 0)
			break;
	}
	if (r < 0)
		part_fail(x, &p, 0, e);
	fo_xml.xmlFreeTextReader(rd);
	fo_zip.zip_fclose(p.zf);
	if (r < 0)
		return FO_ERR;
	if (x->sheetpart == NULL) {
		fo_err_set(e, x->name, 0, 0, "sheet '%s' is not a worksheet "
		    "(xl/_rels/workbook.xml.rels has no worksheet for %s)",
		    x->sheets[want], rids[want]);
		fo_utf8_scrub(e->msg);
		return FO_ERR;
	}
	return FO_OK;
}

/* Shared strings: each <si>'s text, rich text runs joined, phonetic
 * runs (rPh) left out. */
static int
read_sst(struct fo_xlsx *x, const char *name, struct fo_err *e)
{
	struct part p;
	xmlTextReaderPtr rd;
	struct fo_buf s = { 0 };
	size_t cap = 0, *v;
	int r, in_t = 0, in_rph = 0, in_si = 0;

	if ((r = part_open(x, &p, name, x->o.part_max, e)) != FO_OK)
		return r == FO_EMPTY ? FO_OK : r;	/* no strings at all */
	if ((rd = reader_new(&p)) == NULL) {
		fo_zip.zip_fclose(p.zf);
		return part_fail(x, &p, 0, e);
	}
	while ((r = step(rd)) == 1) {
		int empty = fo_xml.xmlTextReaderIsEmptyElement(rd);

		if (is_start(rd, "si")) {
			fo_buf_reset(&s);
			in_si = !empty;
			in_t = in_rph = 0;
			if (!empty)
				continue;
		} else if (is_start(rd, "rPh"))
			in_rph = !empty;
		else if (is_end(rd, "rPh"))
			in_rph = 0;
		else if (is_start(rd, "t"))
			in_t = in_si && !in_rph && !empty;
		else if (is_end(rd, "t"))
			in_t = 0;
		else if (in_t && is_text(rd)) {
			const char *t;

			t = (const char *)fo_xml.xmlTextReaderConstValue(rd);

			if (t)
				put_unescaped(&s, t, strlen(t));
			continue;
		}
		if (!is_end(rd, "si") && !(is_start(rd, "si") && empty))
			continue;
		in_si = 0;	/* a string past --max-field: its cells' rows */
		if (x->nsst == cap) {
			cap = cap ? cap * 2 : 256;
			if ((v = realloc(x->sstoff, cap * sizeof *v)) == NULL) {
				r = -2;
				break;
			}
			x->sstoff = v;
		}
		x->sstoff[x->nsst++] = x->sst.n;
		fo_buf_put(&x->sst, s.p ? s.p : "", s.n);
		fo_buf_putc(&x->sst, '\0');
		if (x->sst.oom || s.oom) {
			r = -2;
			break;
		}
	}
	fo_buf_free(&s);
	if (r == -1)
		part_fail(x, &p, 0, e);
	else if (r == -2)
		fo_err_set(e, x->name, 0, 0, "out of memory");
	fo_xml.xmlFreeTextReader(rd);
	fo_zip.zip_fclose(p.zf);
	return r == -2 ? FO_ENOMEM : r < 0 ? FO_ERR : FO_OK;
}

/* What a number format shows: a date (d, y, or m without h or s), a
 * time (h, s), both, a duration ([h]:mm:ss, hours past 24), or none;
 * quoted text, escaped characters, [colours and locales] and the
 * padding of _ and * do not count. Only the first section (up to ';')
 * is looked at. */
static enum fmtkind
fmt_kind(const char *f)
{
	int d = 0, m = 0, t = 0, k;

	for (; *f && *f != ';'; f++) {
		switch (*f) {
		case '"':
			while (f[1] && f[1] != '"')
				f++;
			if (f[1])
				f++;
			continue;
		case '[':
			for (k = 1; f[k] && (f[k] | 32) == (f[1] | 32); k++)
				;
			if (f[k] == ']' && k > 1 && strchr("hms", f[1] | 32))
				return FMT_ELAPSED;
			while (f[1] && f[1] != ']')
				f++;
			continue;
		case '\\':
		case '_':
		case '*':
			if (f[1])
				f++;
			continue;
		}
		switch (*f | 32) {
		case 'd':
		case 'y':
			d = 1;
			break;
		case 'm':
			m = 1;
			break;
		case 'h':
		case 's':
			t = 1;
			break;
		}
	}
	if (m && !t)
		d = 1;
	return d && t ? FMT_DATETIME : d ? FMT_DATE : t ? FMT_TIME : FMT_NONE;
}

/* Excel's built-in formats that show dates and times: 14 to 17 dates,
 * 22 both, 18 to 21, 45 and 47 times, 46 [h]:mm:ss. */
static enum fmtkind
builtin_kind(long id)
{
	if (id >= 14 && id <= 17)
		return FMT_DATE;
	if (id == 22)
		return FMT_DATETIME;
	if (id == 46)
		return FMT_ELAPSED;
	if ((id >= 18 && id <= 21) || id == 45 || id == 47)
		return FMT_TIME;
	return FMT_NONE;
}

struct numfmt {
	long id;
	enum fmtkind kind;
};

/* Styles: what each cell style (cellXfs) shows, by its number format. */
static int
read_styles(struct fo_xlsx *x, const char *name, struct fo_err *e)
{
	struct part p;
	xmlTextReaderPtr rd;
	struct numfmt *fmt = NULL, *nf;
	size_t nfmt = 0, i, cap = 0;
	unsigned char *k;
	int r, in_fmts = 0, in_xfs = 0, oom = 0;
	long id;
	char *v;

	if ((r = part_open(x, &p, name, META_MAX, e)) != FO_OK)
		return r == FO_EMPTY ? FO_OK : r;
	if ((rd = reader_new(&p)) == NULL) {
		fo_zip.zip_fclose(p.zf);
		return part_fail(x, &p, 0, e);
	}
	while ((r = step(rd)) == 1 && !oom) {
		int empty = fo_xml.xmlTextReaderIsEmptyElement(rd);

		if (is_start(rd, "numFmts"))
			in_fmts = !empty;
		else if (is_end(rd, "numFmts"))
			in_fmts = 0;
		else if (is_start(rd, "cellXfs"))
			in_xfs = !empty;
		else if (is_end(rd, "cellXfs"))
			in_xfs = 0;
		else if (in_fmts && is_start(rd, "numFmt")) {
			v = attr(rd, "numFmtId");
			id = whole(v, 1000000);
			free(v);
			v = attr(rd, "formatCode");
			nf = realloc(fmt, (nfmt + 1) * sizeof *nf);
			if (nf == NULL)
				oom = 1;
			else {
				fmt = nf;
				fmt[nfmt].id = id;
				fmt[nfmt++].kind = v ? fmt_kind(v) : FMT_NONE;
			}
			free(v);
		} else if (in_xfs && is_start(rd, "xf")) {
			v = attr(rd, "numFmtId");
			id = v ? whole(v, 1000000) : 0;
			free(v);
			if (x->nxf == cap) {
				cap = cap ? 2 * cap : 64;
				if ((k = realloc(x->xfkind, cap)) == NULL) {
					oom = 1;
					break;
				}
				x->xfkind = k;
			}
			x->xfkind[x->nxf] = (unsigned char)builtin_kind(id);
			for (i = 0; i < nfmt; i++)	/* a custom one wins */
				if (fmt[i].id == id)
					x->xfkind[x->nxf] =
					    (unsigned char)fmt[i].kind;
			x->nxf++;
		}
	}
	free(fmt);
	if (r < 0)
		part_fail(x, &p, 0, e);
	else if (oom)
		fo_err_set(e, x->name, 0, 0, "out of memory");
	fo_xml.xmlFreeTextReader(rd);
	fo_zip.zip_fclose(p.zf);
	return oom ? FO_ENOMEM : r < 0 ? FO_ERR : FO_OK;
}


/* Start (again) at the sheet's first row. */
static int
sheet_start(struct fo_xlsx *x, struct fo_err *e)
{
	int r;

	if (x->rd)
		fo_xml.xmlFreeTextReader(x->rd);
	if (x->part.zf)
		fo_zip.zip_fclose(x->part.zf);
	x->rd = NULL;
	x->part.zf = NULL;
	x->rowno = 0;
	x->done = 0;
	x->width = 0;
	r = part_open(x, &x->part, x->sheetpart, x->o.part_max, e);
	if (r == FO_EMPTY) {
		fo_err_set(e, x->name, 0, 0, "%s: missing", x->sheetpart);
		return FO_ERR;
	}
	if (r != FO_OK)
		return r;
	if ((x->rd = reader_new(&x->part)) == NULL)
		return part_fail(x, &x->part, 0, e);
	return FO_OK;
}

/*
 * The number a cell holds, as Excel writes it (the shortest text that
 * gives its double back: "1234.5", "1E-3", "1.2345678901234567E+5"),
 * rounded half-even to 15 significant digits, the precision Excel
 * shows and calculates with, and written out as plain decimal text
 * without an exponent or trailing zeros: "1234.5", "0.001",
 * "123456.789012346". Digits only, never a double. The length, or 0
 * when s is not a number or too large to write out.
 */
static size_t
num_plain(const char *s, size_t n, char out[NUM_MAX + 8])
{
	char dig[NUM_MAX + 2];
	size_t i = 0, nd = 0, k, o = 0, rest;
	long ex = 0, xv = 0;
	int neg = 0, any = 0, up, xneg = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, any = 1) {
		if (nd == 0 && s[i] == '0')
			continue;
		if (nd == NUM_MAX)
			return 0;
		dig[nd++] = s[i];
	}
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, any = 1) {
			ex--;
			if (nd == 0 && s[i] == '0')
				continue;
			if (nd == NUM_MAX)
				return 0;
			dig[nd++] = s[i];
		}
	if (!any)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			xneg = s[i++] == '-';
		if (i == n)
			return 0;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if ((xv = xv * 10 + (s[i] - '0')) > 10000)
				return 0;
		ex += xneg ? -xv : xv;
	}
	if (i != n)
		return 0;
	if (nd > 15) {		/* half-even at the 15th digit */
		rest = nd - 15;
		up = dig[15] > '5';
		if (dig[15] == '5') {
			for (k = 16; k < nd && dig[k] == '0'; k++)
				;
			up = k < nd || (dig[14] - '0') % 2 == 1;
		}
		nd = 15;
		ex += (long)rest;
		for (k = nd; up && k-- > 0;) {
			if (dig[k] == '9')
				dig[k] = '0';
			else {
				dig[k]++;
				up = 0;
			}
		}
		if (up) {	/* 999... became 1000... */
			dig[0] = '1';
			ex++;
		}
	}
	while (nd > 0 && dig[nd - 1] == '0') {
		nd--;
		ex++;
	}
	if (nd == 0) {
		out[0] = '0';
		return 1;
	}
	if ((long)nd + (ex < 0 ? -ex : ex) > NUM_MAX)
		return 0;
	if (neg)
		out[o++] = '-';
	if (ex >= 0) {
		memcpy(out + o, dig, nd);
		o += nd;
		memset(out + o, '0', (size_t)ex);
		o += (size_t)ex;
	} else if ((long)nd + ex > 0) {
		k = (size_t)((long)nd + ex);
		memcpy(out + o, dig, k);
		o += k;
		out[o++] = '.';
		memcpy(out + o, dig + k, nd - k);
		o += nd - k;
	} else {
		out[o++] = '0';
		out[o++] = '.';
		memset(out + o, '0', (size_t)(-ex - (long)nd));
		o += (size_t)(-ex - (long)nd);
		memcpy(out + o, dig, nd);
		o += nd;
	}
	return o;
}

/* A serial (as num_plain writes it) shown as a date, a time or both:
 * "2025-01-05", "13:30:00", "2025-01-05T13:30:00" (no zone: Excel
 * has none). The 1900 system's serial 60, 1900-02-29, never was:
 * fo_date_parse refuses it. The length, or 0 with why set. */
static size_t
serial_text(const struct fo_xlsx *x, const char *num, size_t n,
    enum fmtkind k, char out[32], struct fo_err *why)
{
	const char *dot = memchr(num, '.', n);
	size_t ni = dot ? (size_t)(dot - num) : n, i, len = 0;
	int64_t f = 0, secs;
	int32_t days;
	int digits;

	if (num[0] == '-') {
		fo_err_msg(why, "negative date or time serial %.*s",
		    (int)(n > 40 ? 40 : n), num);
		return 0;
	}
	for (i = ni + 1, digits = 0; dot && digits < 12; digits++)
		f = f * 10 + (i < n ? num[i++] - '0' : 0);
	if (!dot)
		for (digits = 0; digits < 12; digits++)
			f *= 10;
	secs = (f * 86400 + 500000000000LL) / 1000000000000LL;
	if (k == FMT_ELAPSED) {	/* hours past 24: [h]:mm:ss */
		long days_in = 0;

		for (i = 0; i < ni; i++) {
			if (days_in > 100000000L) {
				fo_err_msg(why, "duration out of range");
				return 0;
			}
			days_in = days_in * 10 + (num[i] - '0');
		}
		return (size_t)snprintf(out, 32, "%ld:%02d:%02d",
		    days_in * 24 + (long)(secs / 3600), (int)(secs / 60 % 60),
		    (int)(secs % 60));
	}
	if (k == FMT_TIME && ni == 1 && num[0] == '0') {
		if (secs == 86400)
			secs = 0;
		return (size_t)snprintf(out, 32, "%02d:%02d:%02d",
		    (int)(secs / 3600), (int)(secs / 60 % 60),
		    (int)(secs % 60));
	}
	if (fo_date_parse(num, ni, x->date1904 ? FO_DATE_EXCEL1904 :
	    FO_DATE_EXCEL, &days, why) != FO_OK) {
		if (why->msg[0] == '\0')
			fo_err_msg(why, "not a date serial");
		return 0;
	}
	if (secs >= 86400) {
		days++;
		secs -= 86400;
	}
	len = fo_date_fmt(days, out);
	if (k == FMT_DATE && secs == 0)
		return len;
	len += (size_t)snprintf(out + len, 32 - len, "T%02d:%02d:%02d",
	    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	return len;
}

/* "C" for column 2 (0-based), "AA" for 26. */
static void
col_name(size_t col, char buf[8])
{
	char t[8];
	size_t n = 0, i;

	col++;
	while (col > 0 && n < 7) {
		t[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		buf[i] = t[n - 1 - i];
	buf[n] = '\0';
}

void
fo_xlsx_cellref(const struct fo_xlsx *x, long line, size_t col, char *buf,
    size_t n)
{
	char c[8];

	col_name(col, c);
	snprintf(buf, n, "%s!%s%ld", x->sheet, c, line);
}

/* The first thing wrong in the row; the row is read to its end. */
static void
row_bad(struct fo_xlsx *x, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
row_bad(struct fo_xlsx *x, size_t col, const char *fmt, ...)
{
	char ref[200], msg[200];
	va_list ap;

	if (x->bad)
		return;
	x->bad = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fo_xlsx_cellref(x, x->rowno, col, ref, sizeof ref);
	fo_err_set(&x->rowerr, x->name, x->rowno, (long)col + 1, "%s: %s",
	    ref, msg);
	fo_utf8_scrub(x->rowerr.msg);
}

/* Column col of the row (0-based), the columns before it empty. */
static int
add_field(struct fo_xlsx *x, size_t col, const char *s, size_t n,
    enum fo_cellkind kind)
{
	size_t cap;

	if (n > x->o.field_max) {
		row_bad(x, col, "text longer than %zu bytes", x->o.field_max);
		n = 0;
	}
	while (x->nf <= col) {
		if (x->nf == x->fcap) {
			size_t *v;
			unsigned char *k;

			cap = x->fcap ? 2 * x->fcap : 64;
			if ((v = realloc(x->foff, cap * sizeof *v)) == NULL)
				return FO_ENOMEM;
			x->foff = v;
			if ((k = realloc(x->kind, cap)) == NULL)
				return FO_ENOMEM;
			x->kind = k;
			x->fcap = cap;
		}
		x->foff[x->nf] = x->fbuf.n;
		x->kind[x->nf++] = FO_CELL_TEXT;
		if (x->nf <= col)
			fo_buf_putc(&x->fbuf, '\0');
	}
	x->kind[col] = (unsigned char)kind;
	fo_buf_put(&x->fbuf, s, n);
	fo_buf_putc(&x->fbuf, '\0');
	return x->fbuf.oom ? FO_ENOMEM : FO_OK;
}

/* One cell's value into the row, by its type and style. */
static int
put_cell(struct fo_xlsx *x, size_t col, const char *t, long style,
    struct fo_buf *v)
{
	char num[NUM_MAX + 8], date[32];
	const char *s = v->p ? v->p : "";
	struct fo_buf u = { 0 };
	struct fo_err why;
	enum fmtkind k;
	size_t n;
	long i;
	int r;

	if (t == NULL || strcmp(t, "n") == 0) {
		if (v->n == 0)
			return FO_OK;
		if ((n = num_plain(s, v->n, num)) == 0) {
			row_bad(x, col, "not a number: '%.*s'",
			    (int)(v->n > 40 ? 40 : v->n), s);
			return add_field(x, col, s, v->n, FO_CELL_TEXT);
		}
		k = style >= 0 && (size_t)style < x->nxf ? x->xfkind[style] :
		    FMT_NONE;
		if (k == FMT_NONE)
			return add_field(x, col, num, n, FO_CELL_NUM);
		fo_err_clear(&why);
		if ((i = (long)serial_text(x, num, n, k, date, &why)) == 0) {
			row_bad(x, col, "date %.*s: %s", (int)n, num, why.msg);
			return add_field(x, col, num, n, FO_CELL_NUM);
		}
		n = (size_t)i;
		return add_field(x, col, date, n, k == FMT_ELAPSED ||
		    (k == FMT_TIME && date[2] == ':') ? FO_CELL_TEXT :
		    FO_CELL_DATE);
	}
	if (strcmp(t, "s") == 0) {
		fo_buf_putc(v, '\0');
		if (v->oom)
			return FO_ENOMEM;
		s = v->p;
		v->n--;
		if ((i = whole(s, 1L << 30)) < 0 || (size_t)i >= x->nsst) {
			row_bad(x, col, "shared string '%.*s' is not one of "
			    "the %zu in the workbook", (int)(v->n > 20 ? 20 :
			    v->n), s, x->nsst);
			return FO_OK;
		}
		s = x->sst.p + x->sstoff[i];
		return add_field(x, col, s, strlen(s), FO_CELL_TEXT);
	}
	if (strcmp(t, "str") == 0 || strcmp(t, "inlineStr") == 0) {
		put_unescaped(&u, s, v->n);
		r = u.oom ? FO_ENOMEM : add_field(x, col, u.p ? u.p : "", u.n,
		    FO_CELL_TEXT);
		fo_buf_free(&u);
		return r;
	}
	if (strcmp(t, "b") == 0) {
		if (v->n == 1 && (s[0] == '0' || s[0] == '1'))
			return add_field(x, col, s[0] == '1' ? "TRUE" : "FALSE",
			    s[0] == '1' ? 4 : 5, FO_CELL_TEXT);
		row_bad(x, col, "not a boolean: '%.*s'",
		    (int)(v->n > 40 ? 40 : v->n), s);
		return add_field(x, col, s, v->n, FO_CELL_TEXT);
	}
	if (strcmp(t, "e") == 0) {	/* kept in the row, for its raw text */
		row_bad(x, col, "error value %.*s in the cell",
		    (int)(v->n > 40 ? 40 : v->n), s);
		return add_field(x, col, s, v->n, FO_CELL_TEXT);
	}
	if (strcmp(t, "d") == 0)	/* an ISO 8601 date, as written */
		return add_field(x, col, s, v->n, FO_CELL_DATE);
	row_bad(x, col, "unknown cell type '%.*s'", (int)strlen(t) > 20 ? 20 :
	    (int)strlen(t), t);
	return add_field(x, col, s, v->n, FO_CELL_TEXT);
}

/* "C7" -> 2 (0-based column); -1 when it is not a cell reference. */
static long
ref_col(const char *r)
{
	long c = 0;

	if (r == NULL || *r < 'A' || *r > 'Z')
		return -1;
	for (; *r >= 'A' && *r <= 'Z'; r++)
		if ((c = c * 26 + (*r - 'A' + 1)) > FO_XLSX_MAX_COLS)
			return -1;
	if (*r < '1' || *r > '9')
		return -1;
	while (*r >= '0' && *r <= '9')
		r++;
	return *r ? -1 : c - 1;
}

/* A field's text as the row's raw text holds it: quoted as in CSV when
 * it holds the delimiter, a quote or a line end. */
static void
raw_put(struct fo_buf *b, const char *s, size_t n, int delim)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == delim || s[i] == '"' || s[i] == '\n' ||
		    s[i] == '\r')
			break;
	if (i == n) {
		fo_buf_put(b, s, n);
		return;
	}
	fo_buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			fo_buf_putc(b, '"');
		fo_buf_putc(b, s[i]);
	}
	fo_buf_putc(b, '"');
}

/* The row read: as wide as the widest row so far (a row's empty cells
 * at its end are not written), its raw text the cells joined. */
static int
row_done(struct fo_xlsx *x, struct fo_csv_row **rp, struct fo_err *e)
{
	size_t i;

	if (x->nf > 0 && x->nf < x->width &&
	    add_field(x, x->width - 1, "", 0, FO_CELL_TEXT) != FO_OK)
		return FO_ENOMEM;
	if (x->nf > x->width)
		x->width = x->nf;
	if (x->spcap < x->fcap) {
		struct fo_span *v = realloc(x->spans, x->fcap * sizeof *v);

		if (v == NULL)
			return FO_ENOMEM;
		x->spans = v;
		x->spcap = x->fcap;
	}
	fo_buf_reset(&x->raw);
	for (i = 0; i < x->nf; i++) {
		x->spans[i].p = x->fbuf.p + x->foff[i];
		x->spans[i].n = strlen(x->spans[i].p);
		if (i > 0)
			fo_buf_putc(&x->raw, x->o.delim);
		raw_put(&x->raw, x->spans[i].p, x->spans[i].n, x->o.delim);
	}
	if (x->raw.oom || x->fbuf.oom)
		return FO_ENOMEM;
	if (x->raw.n > x->o.record_max) {
		x->raw.n = x->o.record_max;
		if (!x->bad) {
			x->bad = 1;
			fo_err_set(&x->rowerr, x->name, x->rowno, 0,
			    "%s!row %ld longer than %zu bytes", x->sheet,
			    x->rowno, x->o.record_max);
			fo_utf8_scrub(x->rowerr.msg);
		}
	}
	x->row.nf = x->nf;
	x->row.f = x->spans;
	x->row.kind = x->kind;
	x->row.line = x->rowno;
	x->row.lines = 1;
	x->row.raw = x->raw.p ? x->raw.p : "";
	x->row.rawlen = x->raw.n;
	if (x->bad) {
		*e = x->rowerr;
		return FO_ERR;
	}
	*rp = &x->row;
	return FO_OK;
}

/* The sheet cannot be read on: one error, then the end. */
static int
sheet_fail(struct fo_xlsx *x, struct fo_err *e, const char *fmt, ...)
{
	va_list ap;

	x->done = 1;
	x->nf = 0;
	fo_buf_reset(&x->raw);
	x->row.raw = "";
	x->row.rawlen = 0;
	if (fmt == NULL)
		return part_fail(x, &x->part, x->rowno, e);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	e->file = x->name;
	e->line = x->rowno;
	e->col = 0;
	fo_utf8_scrub(e->msg);
	return FO_ERR;
}

int
fo_xlsx_next(struct fo_xlsx *x, struct fo_csv_row **rp, struct fo_err *e)
{
	xmlTextReaderPtr rd = x->rd;
	char *t = NULL, *v;
	long style = NO_STYLE, col = -1, last = -1, rn;
	int r, in_row = 0, in_cell = 0, in_is = 0, in_rph = 0, collect = 0;
	int empty, vlong = 0, inorder = 0;

	fo_err_clear(e);
	x->nf = 0;
	x->bad = 0;
	fo_buf_reset(&x->fbuf);
	fo_buf_reset(&x->raw);
	x->row.raw = "";
	x->row.rawlen = 0;
	if (x->done)
		return FO_EMPTY;
	while ((r = step(rd)) == 1) {
		empty = fo_xml.xmlTextReaderIsEmptyElement(rd);
		if (collect && is_text(rd)) {
			const char *s;

			s = (const char *)fo_xml.xmlTextReaderConstValue(rd);

			if (s == NULL)
				continue;
			if (x->val.n + strlen(s) <= x->o.field_max)
				fo_buf_puts(&x->val, s);
			else
				vlong = 1;
			continue;
		}
		if (fo_xml.xmlTextReaderNodeType(rd) ==
		    XML_READER_TYPE_ELEMENT) {
			if (!in_row && is_el(rd, "row")) {
				v = attr(rd, "r");
				rn = v ? whole(v, FO_XLSX_MAX_ROWS) :
				    x->rowno + 1;
				free(v);
				if (rn <= x->rowno || rn < 1 ||
				    rn > FO_XLSX_MAX_ROWS) {
					free(t);
					return sheet_fail(x, e, "%s: row "
					    "number %ld after row %ld: "
					    "damaged sheet", x->sheetpart, rn,
					    x->rowno);
				}
				x->rowno = rn;
				if (empty)
					return row_done(x, rp, e);
				in_row = 1;
			} else if (in_row && !in_cell && is_el(rd, "c")) {
				v = attr(rd, "r");
				col = v ? ref_col(v) : last + 1;
				free(v);
				if (col < 0 || col >= FO_XLSX_MAX_COLS) {
					free(t);
					return sheet_fail(x, e, "%s: row "
					    "%ld: a cell reference that is "
					    "not one", x->sheetpart,
					    x->rowno);
				}
				if (!(inorder = col > last))
					row_bad(x, (size_t)col, "cell out "
					    "of order (after column %ld)",
					    last + 1);
				free(t);
				t = attr(rd, "t");
				v = attr(rd, "s");
				style = v ? whole(v, 1L << 30) : NO_STYLE;
				free(v);
				fo_buf_reset(&x->val);
				vlong = 0;
				if (!empty)
					in_cell = 1;
				else if (inorder)
					last = col;
			} else if (in_cell && is_el(rd, "v") && !in_is)
				collect = !empty;
			else if (in_cell && is_el(rd, "is"))
				in_is = !empty;
			else if (in_is && is_el(rd, "rPh"))
				in_rph = !empty;
			else if (in_is && !in_rph && is_el(rd, "t"))
				collect = !empty;
			continue;
		}
		if (fo_xml.xmlTextReaderNodeType(rd) !=
		    XML_READER_TYPE_END_ELEMENT)
			continue;
		if (is_el(rd, "v") || is_el(rd, "t"))
			collect = 0;
		else if (is_el(rd, "rPh"))
			in_rph = 0;
		else if (is_el(rd, "is"))
			in_is = 0;
		else if (in_cell && is_el(rd, "c")) {
			in_cell = in_is = in_rph = collect = 0;
			if (!inorder)
				continue;
			last = col;
			if (vlong) {
				row_bad(x, (size_t)col, "text longer than %zu "
				    "bytes", x->o.field_max);
				continue;
			}
			if (put_cell(x, (size_t)col, t, style, &x->val) !=
			    FO_OK) {
				free(t);
				fo_err_set(e, x->name, x->rowno, 0,
				    "out of memory");
				return FO_ENOMEM;
			}
		} else if (in_row && is_el(rd, "row")) {
			free(t);
			return row_done(x, rp, e);
		} else if (is_el(rd, "sheetData")) {
			x->done = 1;
			free(t);
			return FO_EMPTY;
		}
	}
	free(t);
	if (r < 0)
		return sheet_fail(x, e, NULL);
	if (in_row)
		return sheet_fail(x, e, "%s: ends inside row %ld",
		    x->sheetpart, x->rowno);
	x->done = 1;
	return FO_EMPTY;
}

struct fo_span
fo_xlsx_raw(const struct fo_xlsx *x)
{
	struct fo_span s = { x->row.raw ? x->row.raw : "", x->row.rawlen };

	return s;
}

const char *
fo_xlsx_sheet(const struct fo_xlsx *x)
{
	return x->sheet;
}

int
fo_xlsx_reset(struct fo_xlsx *x, int delim, struct fo_err *e)
{
	x->o.delim = delim ? delim : ',';
	return sheet_start(x, e);
}

/* The sheet asked for, or an error that lists those there are. */
static int
pick_sheet(struct fo_xlsx *x, size_t *want, struct fo_err *e)
{
	struct fo_buf b = { 0 };
	size_t i;

	*want = 0;
	if (x->o.sheet == NULL)
		return FO_OK;
	for (i = 0; i < x->nsheet; i++)
		if (strcmp(x->sheets[i], x->o.sheet) == 0) {
			*want = i;
			return FO_OK;
		}
	for (i = 0; i < x->nsheet; i++)
		fo_buf_printf(&b, "%s'%s'", i ? ", " : "", x->sheets[i]);
	fo_err_set(e, x->name, 0, 0, "no sheet '%s' in the workbook; its "
	    "sheets: %s", x->o.sheet, b.p ? fo_buf_cstr(&b) : "");
	fo_buf_free(&b);
	fo_utf8_scrub(e->msg);
	return FO_ERR;
}

static int
open_zip(struct fo_xlsx *x, int fd, size_t n, struct fo_err *e)
{
	zip_error_t ze;
	zip_source_t *src;
	int code = 0, fd2;

	fo_zip.zip_error_init(&ze);
	if (x->data) {
		if ((src = fo_zip.zip_source_buffer_create(x->data, n, 0,
		    &ze)) != NULL && (x->zip = fo_zip.zip_open_from_source(src,
		    ZIP_RDONLY, &ze)) == NULL)
			fo_zip.zip_source_free(src);
	} else if ((fd2 = dup(fd)) < 0) {
		fo_err_set(e, x->name, 0, 0, "dup: %s", strerror(errno));
		return FO_EIO;
	} else if ((x->zip = fo_zip.zip_fdopen(fd2, ZIP_RDONLY, &code)) ==
	    NULL) {
		close(fd2);
		fo_zip.zip_error_init_with_code(&ze, code);
	}
	if (x->zip == NULL) {
		fo_err_set(e, x->name, 0, 0, "a zip archive that cannot be "
		    "read (cut short?): %s", fo_zip.zip_error_strerror(&ze));
		fo_zip.zip_error_fini(&ze);
		return FO_ERR;
	}
	fo_zip.zip_error_fini(&ze);
	return FO_OK;
}

int
fo_xlsx_open(struct fo_xlsx **xp, int fd, void *data, size_t n,
    const char *name, const struct fo_xlsx_opts *o, struct fo_err *e)
{
	struct fo_xlsx *x;
	char **rids = NULL, *sst = NULL, *styles = NULL;
	size_t want = 0, i;
	int r;

	*xp = NULL;
	fo_err_clear(e);
	if (fo_dl_zip(name, "a workbook", e) != FO_OK ||
	    fo_dl_xml(name, "a workbook", e) != FO_OK) {
		free(data);
		return FO_EIO;
	}
	if ((x = calloc(1, sizeof *x)) == NULL) {
		free(data);
		fo_err_set(e, name, 0, 0, "out of memory");
		return FO_ENOMEM;
	}
	x->name = name;
	x->data = data;
	x->o = *o;
	if (x->o.part_max == 0)
		x->o.part_max = FO_XLSX_PART_MAX;
	if (x->o.field_max == 0)
		x->o.field_max = FO_CSV_FIELD_MAX;
	if (x->o.record_max == 0)
		x->o.record_max = FO_CSV_RECORD_MAX;
	if (x->o.delim == 0)
		x->o.delim = ',';
	if ((r = open_zip(x, fd, n, e)) != FO_OK)
		goto out;
	if (fo_zip.zip_name_locate(x->zip, "xl/workbook.xml", 0) < 0) {
		/* the zips users take for workbooks say what they are */
		if (fo_zip.zip_name_locate(x->zip, "xl/workbook.bin", 0) >= 0)
			fo_err_set(e, name, 0, 0, "an Excel binary workbook "
			    "(.xlsb): save it as .xlsx");
		else if (fo_zip.zip_name_locate(x->zip, "content.xml", 0) >=
		    0 &&
		    fo_zip.zip_name_locate(x->zip, "mimetype", 0) >= 0)
			fo_err_set(e, name, 0, 0, "an OpenDocument file "
			    "(.ods): save it as .xlsx");
		else
			fo_err_set(e, name, 0, 0, "a zip archive without "
			    "xl/workbook.xml: not an Excel workbook");
		r = FO_EMPTY;
		goto out;
	}
	if ((r = read_workbook(x, &rids, e)) != FO_OK ||
	    (r = pick_sheet(x, &want, e)) != FO_OK)
		goto out;
	r = FO_ENOMEM;
	if ((x->sheet = strdup(x->sheets[want])) == NULL)
		goto out;
	if ((r = read_rels(x, rids, want, &sst, &styles, e)) != FO_OK)
		goto out;
	if ((r = read_sst(x, sst ? sst : "xl/sharedStrings.xml", e)) != FO_OK ||
	    (r = read_styles(x, styles ? styles : "xl/styles.xml", e)) !=
	    FO_OK)
		goto out;
	r = sheet_start(x, e);
out:
	for (i = 0; rids && i < x->nsheet; i++)
		free(rids[i]);
	free(rids);
	free(sst);
	free(styles);
	if (r == FO_ENOMEM && e->msg[0] == '\0')
		fo_err_set(e, name, 0, 0, "out of memory");
	if (r != FO_OK) {
		fo_xlsx_close(x);
		return r;
	}
	*xp = x;
	return FO_OK;
}

void
fo_xlsx_close(struct fo_xlsx *x)
{
	size_t i;

	if (x == NULL)
		return;
	if (x->rd)
		fo_xml.xmlFreeTextReader(x->rd);
	if (x->part.zf)
		fo_zip.zip_fclose(x->part.zf);
	if (x->zip)
		fo_zip.zip_discard(x->zip);
	free(x->data);
	for (i = 0; i < x->nsheet; i++)
		free(x->sheets[i]);
	free(x->sheets);
	free(x->sheet);
	free(x->sheetpart);
	fo_buf_free(&x->sst);
	free(x->sstoff);
	free(x->xfkind);
	fo_buf_free(&x->val);
	fo_buf_free(&x->fbuf);
	free(x->foff);
	free(x->kind);
	free(x->spans);
	fo_buf_free(&x->raw);
	free(x);
}
