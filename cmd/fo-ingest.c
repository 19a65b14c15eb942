/*
 * fo-ingest - ERP and bank exports (CSV, Excel workbooks) to canonical
 * NDJSON records.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"

#define PROG "fo-ingest"
#define DETECT_ROWS 50		/* rows searched for a header signature */
#define HEADER_ROWS 1000	/* rows searched for the profile's header */
#define EXPLAIN_ROWS 5		/* rows --explain shows as they read */

/* --explain: what is said after the rows are read, gathered meanwhile */
struct explain {
	int *score;		/* per profile: its best detect score */
	struct fo_buf rows;	/* the first rows, as they read */
	struct fo_buf rec;	/* records made, not written */
	struct fo_buf notes;	/* what the profile decided for the file */
	int shown;
	long records, rejected;
	long nnum, ndate;	/* rejects in a number, a date field */
	char numwhy[256], datewhy[256];
};

struct ctx {
	struct fo_profile **profs;	/* all loaded; [0] when -p given */
	size_t nprof;
	struct fo_profile *generic;
	int given;			/* -p */
	struct fo_csv_opts opts;	/* -d, -e, limits: 0/NULL = profile's */
	struct fo_xlsx_opts book;	/* --sheet, --max-part */
	int numbers_set, dates_set;
	enum fo_numstyle numbers;
	enum fo_datefmt dates;
	struct fo_run run;
	struct fo_out out;
	struct fo_buf rec;
	int status;
	struct explain *ex;		/* --explain; NULL otherwise */
	struct fo_currencies *currencies;	/* NULL: the table is absent */
	char currency[4];		/* --currency, or "" */
	int stmt;			/* -p camt or -p mt940: STMT_* */
};

/* Bank statements are read by lib/ingest/camt.c and lib/ingest/mt940.c, not through
 * a YAML profile: their names are shipped profiles all the same. */
enum { STMT_NONE, STMT_CAMT, STMT_MT940 };
static const struct {
	const char *name, *description;
} stmt_profiles[] = {
	{ NULL, NULL },
	{ "camt", "ISO 20022 camt.053 statements, camt.054 notifications, "
	    "camt.052 reports (XML)" },
	{ "mt940", "SWIFT MT940 customer statements" },
};

/* --help: one line an option, in the order of the manual's list. */
static const struct fo_opthelp help[] = {
	{ "--currency code", "currency of rows that name none, or say which "
	    "$ or kr" },
	{ "-d, --delimiter delim", "field delimiter: , ; | : tab, or auto" },
	{ "--dates format", "date format: DD.MM.YYYY, MM/DD/YYYY, ..., auto" },
	{ "-e, --encoding encoding", "utf-8, windows-1252, latin1, utf-16le, "
	    "..., auto" },
	{ "--explain", "why one file reads as it does: a screen, no records" },
	{ "-h, --help", "this help" },
	{ "-l, --list-profiles", "check and list the installed profiles" },
	{ "--max-field bytes", "longest field, 16 to 2^30 (1 MiB)" },
	{ "--max-part bytes", "largest workbook part, 16 to 2^30 (256 MiB)" },
	{ "--max-record bytes", "longest row, 16 to 2^30 (4 MiB)" },
	{ "--numbers style", "number style: 1,234.56, 1.234,56, ..., auto" },
	{ "-o, --output file", "records to file, whole or not at all" },
	{ "-p, --profile profile", "this profile (name or file), not detected" },
	{ "-q, --quiet", "no profile, progress or summary line" },
	{ "--rejects file", "every rejected row to file, as reject records" },
	{ "--sheet name", "the workbook's sheet to read, not the first" },
	{ "-V, --version", "print the version" },
	{ NULL, NULL }
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s [-hlqV] [-d delim] [-e encoding] [-o file] "
	    "[-p profile]\n"
	    "                 [--currency code] [--dates format] [--explain]\n"
	    "                 [--max-field bytes] [--max-part bytes] "
	    "[--max-record bytes]\n"
	    "                 [--numbers style] [--rejects file] "
	    "[--sheet name] [file ...]\n", PROG);
}

static const char *
rules_dir(void)
{
	return fo_rules_file(FO_RULESDIR, NULL, NULL, 0);
}

/* The currency table of the rules directory; a directory without one
 * leaves fo-ingest with the ISO 4217 codes alone. */
static int
load_currencies(struct ctx *x)
{
	struct fo_errs errs = {0};
	char path[4096];
	int r;

	fo_rules_file(FO_RULESDIR, "currencies.yaml", path, sizeof path);
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	r = fo_currencies_load(path, &x->currencies, &errs);
	fo_warn_errs(PROG, &errs);
	return r == FO_OK ? 0 : -1;
}

/* Load one profile; its errors are reported here, while path lives. */
static int
load_one(struct ctx *x, const char *path)
{
	struct fo_errs errs = {0};
	struct fo_profile *p, **v;
	size_t i;
	int r;

	r = fo_profile_load(path, &p, &errs);
	fo_warn_errs(PROG, &errs);
	if (r != FO_OK)
		return -1;
	for (i = 0; i < x->nprof; i++)
		if (strcmp(x->profs[i]->name, p->name) == 0) {
			fo_warnx(PROG, "%s: profile %s is also in %s", path,
			    p->name, x->profs[i]->file);
			fo_profile_free(p);
			return -1;
		}
	if ((v = realloc(x->profs, (x->nprof + 1) * sizeof *v)) == NULL) {
		fo_profile_free(p);
		fo_warnx(PROG, "out of memory");
		return -1;
	}
	x->profs = v;
	x->profs[x->nprof++] = p;
	if (strcmp(p->name, "generic") == 0)
		x->generic = p;
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* -p NAME is rules/ingest/NAME.yaml; a path is taken as it is. */
static int
load_profiles(struct ctx *x, const char *name)
{
	char path[4096], **names = NULL;
	struct dirent *de;
	size_t i, n = 0, len;
	DIR *d;
	int bad = 0;

	if (name) {
		x->given = 1;
		if (strchr(name, '/') || ((len = strlen(name)) > 5 &&
		    strcmp(name + len - 5, ".yaml") == 0))
			snprintf(path, sizeof path, "%s", name);
		else
			snprintf(path, sizeof path, "%s/ingest/%s.yaml",
			    rules_dir(), name);
		bad = load_one(x, path);
	} else {
		snprintf(path, sizeof path, "%s/ingest", rules_dir());
		if ((d = opendir(path)) == NULL) {
			fo_warnx(PROG, "no profiles: %s: %s (set FO_RULES to "
			    "the rules directory)", path, strerror(errno));
			return -1;
		}
		while ((de = readdir(d)) != NULL) {
			len = strlen(de->d_name);
			if (len <= 5 || de->d_name[0] == '.' ||
			    strcmp(de->d_name + len - 5, ".yaml") != 0)
				continue;
			char **v = realloc(names, (n + 1) * sizeof *v);
			if (v == NULL || (v[n] = strdup(de->d_name)) == NULL) {
				fo_warnx(PROG, "out of memory");
				exit(FO_EXIT_SYSTEM);
			}
			names = v;
			n++;
		}
		closedir(d);
		qsort(names, n, sizeof *names, by_name);
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof path, "%s/ingest/%s",
			    rules_dir(), names[i]);
			bad |= load_one(x, path);
			free(names[i]);
		}
		free(names);
		if (!bad && x->generic == NULL) {
			fo_warnx(PROG, "no generic profile in %s/ingest",
			    rules_dir());
			bad = -1;
		}
	}
	return bad ? -1 : 0;
}

/* Where rows come from: a CSV reader, or a workbook's sheet. */
struct src {
	struct fo_csv *csv;
	struct fo_xlsx *book;
};

static int
src_next(struct src *s, struct fo_csv_row **row, struct fo_err *e)
{
	return s->book ? fo_xlsx_next(s->book, row, e) :
	    fo_csv_next(s->csv, row, e);
}

static struct fo_span
src_raw(const struct src *s)
{
	return s->book ? fo_xlsx_raw(s->book) : fo_csv_raw(s->csv);
}

/* Without -p, for a workbook: the profile whose header signature is in
 * the sheet's first rows, whatever the delimiter it names. */
static struct fo_profile *
detect_book(struct ctx *x, struct fo_xlsx *b, int *matched, int *scores)
{
	struct fo_csv_row *row;
	struct fo_profile *best = x->generic, *p;
	struct fo_err e;
	int n, r, score, top = 0;
	size_t i;

	for (n = 0; n < DETECT_ROWS; n++) {
		if ((r = fo_xlsx_next(b, &row, &e)) == FO_EMPTY || r < FO_ERR)
			break;
		if (r != FO_OK)
			continue;
		for (i = 0; i < x->nprof; i++) {
			p = x->profs[i];
			score = fo_profile_detect(p, row);
			if (scores && score > scores[i])
				scores[i] = score;
			if (score > top || (score == top && score > 0 &&
			    strcmp(p->name, best->name) < 0)) {
				top = score;
				best = p;
			}
		}
	}
	*matched = top > 0;
	return best;
}

/* Without -p: the profile whose header signature the file carries. Each
 * profile looks at the first rows split with its own delimiter (or the
 * sniffed one), so a '|' list whose title line has commas is still
 * recognised. Most signature headers wins; a tie goes to the first by
 * name. */
static struct fo_profile *
detect(struct ctx *x, struct fo_csv *c, const struct fo_csv_opts *o,
    int *matched, int *scores)
{
	struct fo_csv_opts try = *o;
	struct fo_csv_row *row;
	struct fo_profile *best = x->generic, *p;
	struct fo_err e;
	int delims[16], nd = 0, sniffed = fo_csv_delim(c), d, k, n, r, score;
	int top = 0;
	size_t i;

	delims[nd++] = sniffed;
	for (i = 0; i < x->nprof && o->delim == 0 && nd < 16; i++) {
		for (k = 0; k < nd && delims[k] != x->profs[i]->delim; k++)
			;
		if (k == nd && x->profs[i]->delim != 0)
			delims[nd++] = x->profs[i]->delim;
	}
	for (k = 0; k < nd; k++) {
		d = delims[k];
		try.delim = d;
		if (k > 0 && fo_csv_reset(c, &try, &e) != FO_OK)
			continue;
		for (n = 0; n < DETECT_ROWS; n++) {
			if ((r = fo_csv_next(c, &row, &e)) == FO_EMPTY ||
			    r < FO_ERR)
				break;
			if (r != FO_OK)
				continue;
			for (i = 0; i < x->nprof; i++) {
				p = x->profs[i];
				if (o->delim == 0 && (p->delim ? p->delim != d :
				    d != sniffed))
					continue;
				score = fo_profile_detect(p, row);
				if (scores && score > scores[i])
					scores[i] = score;
				if (score > top ||
				    (score == top && score > 0 &&
				    strcmp(p->name, best->name) < 0)) {
					top = score;
					best = p;
				}
			}
		}
	}
	*matched = top > 0;
	return best;
}

static int
blank_row(const struct fo_csv_row *row)
{
	size_t i, k;

	for (i = 0; i < row->nf; i++)
		for (k = 0; k < row->f[i].n; k++)
			if (row->f[i].p[k] != ' ' && row->f[i].p[k] != '\t')
				return 0;
	return 1;
}

static int
same_row(const struct fo_csv_row *a, const struct fo_csv_row *b)
{
	size_t i;

	if (a->nf != b->nf)
		return 0;
	for (i = 0; i < a->nf; i++)
		if (a->f[i].n != b->f[i].n ||
		    memcmp(a->f[i].p, b->f[i].p, a->f[i].n) != 0)
			return 0;
	return 1;
}

/* A row that cannot be read: to the reject stream, or, explaining, to
 * what --explain shows. */
static void
reject(struct ctx *x, const struct fo_err *e, const char *raw, size_t n,
    int field)
{
	struct explain *ex = x->ex;
	const char *why;

	if (ex == NULL) {
		fo_reject(&x->run, e, raw, n);
		return;
	}
	x->run.rejected++;
	ex->rejected++;
	if (field >= 0 && fo_fields[field].type == FO_F_DATE) {
		if (ex->ndate++ == 0)
			snprintf(ex->datewhy, sizeof ex->datewhy, "line %ld: %.200s",
			    e->line, e->msg);
	} else if (field >= 0 && (fo_fields[field].type == FO_F_AMOUNT ||
	    fo_fields[field].type == FO_F_DEC)) {
		if (ex->nnum++ == 0)
			snprintf(ex->numwhy, sizeof ex->numwhy, "line %ld: %.200s",
			    e->line, e->msg);
	}
	if (ex->shown++ >= EXPLAIN_ROWS)
		return;
	why = e->msg;
	if (e->col > 0)
		fo_buf_printf(&ex->rows, "  line %ld: rejected at column %ld: "
		    "%s\n", e->line, e->col, why);
	else
		fo_buf_printf(&ex->rows, "  line %ld: rejected: %s\n", e->line,
		    why);
}

static void
reject_row(struct ctx *x, struct fo_err *e, const struct fo_csv_row *row)
{
	reject(x, e, row->raw, row->rawlen, -1);
}

/* Records made while explaining: counted, the first few shown. */
static void
explain_records(struct ctx *x, const char *p, size_t n, long line)
{
	struct explain *ex = x->ex;
	const char *nl;

	while (n > 0 && (nl = memchr(p, '\n', n)) != NULL) {
		ex->records++;
		if (ex->shown++ < EXPLAIN_ROWS)
			fo_buf_printf(&ex->rows, "  line %ld: %.*s\n", line,
			    (int)(nl - p), p);
		n -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
}

static const char *
delim_name(int d)
{
	static char one[4];

	if (d == '\t')
		return "tab";
	snprintf(one, sizeof one, "'%c'", d);
	return one;
}

static void
explain_file(struct fo_csv *c, const char *name)
{
	printf("file:       %s\n", name);
	printf("encoding:   %s (%s)\n", fo_csv_encoding(c),
	    fo_csv_encoding_why(c));
	printf("delimiter:  %s (%s)\n", delim_name(fo_csv_delim(c)),
	    fo_csv_sniffed(c) ? "sniffed: the count most lines share" :
	    "given by -d or the profile");
}

/* The chosen profile and why; the runners-up by score. */
static void
explain_profile(struct ctx *x, const struct fo_profile *p, int matched)
{
	struct explain *ex = x->ex;
	size_t i, k, best;
	int shown = 0;
	char *done;

	if (x->given) {
		printf("profile:    %s (given by -p)\n", p->name);
		return;
	}
	printf("profile:    %s (%s)\n", p->name, matched ?
	    "detected: most signature headers in one of the first rows" :
	    "no profile's signature matched: the fallback");
	if ((done = calloc(x->nprof + 1, 1)) == NULL)
		return;
	for (k = 0; k < 3; k++) {	/* the three best others */
		best = x->nprof;
		for (i = 0; i < x->nprof; i++)
			if (!done[i] && x->profs[i] != p && ex->score[i] > 0 &&
			    (best == x->nprof || ex->score[i] > ex->score[best]))
				best = i;
		if (best == x->nprof)
			break;
		done[best] = 1;
		printf("%s %s %d signature headers\n", shown++ ? "           " :
		    "runner-up: ", x->profs[best]->name, ex->score[best]);
	}
	if (!shown && !x->given)
		printf("runner-up:  none (no other profile's signature "
		    "matched)\n");
	free(done);
}

/* Signature headers: all of them, the missing ones marked (every one
 * must be present); or (any) the present ones and how many are not. */
static void
pcol_list(const char *label, const struct fo_pcol *v, size_t n,
    const struct fo_csv_row *hdr, int all)
{
	size_t i, k = 0, missing = 0;

	if (n == 0)
		return;
	printf("%s", label);
	for (i = 0; i < n; i++) {
		if (!fo_profile_row_has(hdr, &v[i])) {
			missing++;
			if (!all)
				continue;
		}
		printf("%s%s%s", k++ ? ", " : "", v[i].text,
		    fo_profile_row_has(hdr, &v[i]) ? "" : " (missing)");
	}
	if (!all && missing > 0)
		printf("%s%zu not in this header", k ? "; " : "", missing);
	putchar('\n');
}

/* A header as it is shown: its padding trimmed (list exports). */
static struct fo_span
shown(struct fo_span f)
{
	while (f.n > 0 && (*f.p == ' ' || *f.p == '\t')) {
		f.p++;
		f.n--;
	}
	while (f.n > 0 && (f.p[f.n - 1] == ' ' || f.p[f.n - 1] == '\t'))
		f.n--;
	return f;
}

/* Characters of UTF-8 text, for columns that line up. */
static size_t
text_width(const char *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
}

/* The header row: which signature headers it holds, and what each of
 * its columns becomes. */
static void
explain_header(const struct fo_ingest *g, const struct fo_csv_row *h)
{
	const struct fo_profile *p = fo_ingest_profile(g);
	const char *code, *extra;
	struct fo_span t;
	size_t j, f, w = 0, len;
	int field, optional;

	printf("header:     line %ld, %zu columns\n", h->line, h->nf);
	pcol_list("signature:  all of: ", p->detect_all, p->ndetect_all, h, 1);
	pcol_list("            any of: ", p->detect_any, p->ndetect_any, h, 0);
	for (j = 0; j < fo_ingest_ncol(g); j++) {
		t = shown(h->f[j]);
		if ((len = text_width(t.p, t.n)) > w)
			w = len > 30 ? 30 : len;
	}
	printf("columns:\n");
	for (j = 0; j < fo_ingest_ncol(g); j++) {
		t = shown(h->f[j]);
		printf("  %3zu %.*s", j + 1, (int)t.n, t.p);
		for (len = text_width(t.p, t.n); len < w + 2; len++)
			putchar(' ');
		field = fo_ingest_column(g, j, &code, &extra, &optional);
		if (field == -2)
			printf("flag: an X adds hold code %s\n", code);
		else if (field >= 0)
			printf("-> %s\n", fo_fields[field].name);
		else if (optional)
			printf("unused: no header (kept as extra.\"%s\" "
			    "when filled)\n", extra);
		else
			printf("extra.\"%s\"\n", extra);
	}
	for (f = 0; f < fo_nfields; f++)
		if (p->fields[f].constant != NULL &&
		    fo_ingest_fieldcol(g, f) < 0)
			printf("constant:   %s = %s\n", fo_fields[f].name,
			    p->fields[f].constant);
}

/* The styles in force and how the rows read fit them, the keys, then
 * the first rows. */
static void
explain_end(struct ctx *x, const struct fo_ingest *g, int have_hdr,
    const char *where)
{
	struct explain *ex = x->ex;
	const struct fo_profile *p = fo_ingest_profile(g);
	const struct fo_err *keynote = fo_ingest_keynote(g);
	size_t i;

	if (p == NULL)
		return;
	printf("numbers:    %s%s\n", fo_numstyle_name(fo_ingest_numbers(g)),
	    x->numbers_set ? " (given by --numbers)" : " (the profile's)");
	if (ex->nnum)
		printf("            rows that do not fit: %ld; the first: %s\n",
		    ex->nnum, ex->numwhy);
	else if (ex->records + ex->rejected > 0)
		printf("            no row read is rejected for a number\n");
	printf("%.*s", (int)ex->notes.n, ex->notes.p ? ex->notes.p : "");
	printf("dates:      %s%s\n", fo_datefmt_name(fo_ingest_dates(g)),
	    x->dates_set ? " (given by --dates)" : " (the profile's)");
	if (ex->ndate)
		printf("            rows that do not fit: %ld; the first: %s\n",
		    ex->ndate, ex->datewhy);
	else if (ex->records + ex->rejected > 0)
		printf("            no row read is rejected for a date\n");
	printf("keys:       ");
	if (keynote->msg[0] != '\0')	/* the header lacks some */
		printf("%s\n", keynote->msg);
	else {
		for (i = 0; i < p->nkeys; i++)
			printf("%s%s", i ? ", " : "", p->keys[i].text);
		printf("%s\n", p->nkeys ? " (the record id is made from them)" :
		    "none: the id is a hash of the mapped values");
	}
	if (!have_hdr) {
		printf("rows:       no header row found %s\n", where);
		return;
	}
	printf("rows:       %ld read %s: %ld records, %ld rejected\n",
	    ex->records + ex->rejected, where, ex->records, ex->rejected);
	if (ex->records == 0 && ex->rejected > 0)
		printf("            every row is rejected: check the profile "
		    "(-p) and the styles\n");
	printf("first rows:\n%.*s", (int)ex->rows.n, ex->rows.p ? ex->rows.p :
	    "");
	if (ex->shown == 0)
		printf("  (none: header only)\n");
}

/* A copy of the header row: the reader reuses its row. */
static int
keep_row(struct fo_csv_row *dst, struct fo_buf *b, const struct fo_csv_row *src)
{
	size_t i, off;

	fo_buf_reset(b);
	for (i = 0; i < src->nf; i++) {
		fo_buf_put(b, src->f[i].p, src->f[i].n);
		fo_buf_putc(b, '\0');
	}
	fo_buf_put(b, src->raw, src->rawlen);
	if (b->oom || (dst->f = calloc(src->nf + 1, sizeof *dst->f)) == NULL)
		return FO_ENOMEM;
	for (i = off = 0; i < src->nf; i++) {
		dst->f[i].p = b->p + off;
		dst->f[i].n = src->f[i].n;
		off += src->f[i].n + 1;
	}
	dst->nf = src->nf;
	dst->line = src->line;
	dst->lines = src->lines;
	dst->raw = b->p + off;
	dst->rawlen = src->rawlen;
	return FO_OK;
}

/* What the library found out about the file, such as the form of its
 * amounts: said once, when it is found. */
static void
say_note(struct ctx *x, struct fo_ingest *g)
{
	char *note = fo_ingest_note(g);
	const char *s;
	size_t n;

	for (s = note; *s != '\0'; s += n + (s[n] != 0)) {
		n = strcspn(s, "\n");
		if (x->ex)
			fo_buf_printf(&x->ex->notes, "            %.*s\n",
			    (int)n, s);
		else if (!x->run.quiet)
			fo_warnx(PROG, "%.*s", (int)n, s);
	}
	note[0] = '\0';
}

static void
say_file(struct ctx *x, struct src *s, const char *name,
    const struct fo_profile *p, int detected, int matched)
{
	struct fo_csv *c = s->csv;
	int d;

	if (x->run.quiet)
		return;
	if (s->book) {
		fprintf(stderr, "%s: %s: profile %s%s, sheet '%s'\n", PROG,
		    name, p->name, !detected ? "" : matched ? " (detected)" :
		    " (no profile matched)", fo_xlsx_sheet(s->book));
		return;
	}
	d = fo_csv_delim(c);
	fprintf(stderr, "%s: %s: profile %s%s, delimiter '%s'%s, "
	    "encoding %s\n", PROG, name, p->name,
	    !detected ? "" : matched ? " (detected)" : " (no profile matched)",
	    d == '\t' ? "tab" : (char[]){ (char)d, '\0' },
	    fo_csv_sniffed(c) ? " (sniffed)" : "", fo_csv_encoding(c));
}

/* A file that cannot be read at all: one rejected input. */
static void
refuse(struct ctx *x, const struct fo_err *e)
{
	if (x->ex) {
		printf("file:       %s\nrefused:    %s\n", e->file, e->msg);
		return;
	}
	x->run.rows++;
	fo_reject(&x->run, e, "", 0);
}

/* A file that is not text (or is empty) is refused by what it is: one
 * rejected input, never rows of garbage. */
static int
refuse_kind(struct ctx *x, struct fo_csv *c, const char *name)
{
	enum fo_filekind k = fo_csv_kind(c);
	struct fo_err e;

	if (k == FO_FILE_TEXT)
		return 0;
	if (k == FO_FILE_EMPTY)
		fo_err_set(&e, name, 0, 0, "empty file");
	else
		fo_err_set(&e, name, 0, 0, "%s, not a CSV export",
		    fo_filekind_name(k));
	refuse(x, &e);
	return 1;
}

/* The whole input into memory: what the CSV reader took for its head,
 * then the rest of fd, at most max bytes (what says what it is). */
static int
read_whole(int fd, const char *name, struct fo_csv *c, size_t max,
    const char *what, char **datap, size_t *np, struct fo_err *e)
{
	struct fo_span h = fo_csv_head(c);
	size_t n = h.n, cap = h.n + (64 << 10);
	char *data, *v;
	ssize_t r;

	if ((data = malloc(cap)) == NULL)
		goto oom;
	memcpy(data, h.p, h.n);
	for (;;) {
		if (n > max) {
			free(data);
			fo_err_set(e, name, 0, 0, "%s may be %zu bytes at "
			    "most (see --max-part)", what, max);
			return FO_ERR;
		}
		if (n == cap) {
			if ((v = realloc(data, cap * 2)) == NULL) {
				free(data);
				goto oom;
			}
			data = v;
			cap *= 2;
		}
		if ((r = read(fd, data + n, cap - n)) < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fo_err_set(e, name, 0, 0, "read: %s", strerror(errno));
			free(data);
			return FO_EIO;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*datap = data;
	*np = n;
	return FO_OK;
oom:
	fo_err_set(e, name, 0, 0, "out of memory");
	return FO_ENOMEM;
}

/* A workbook is opened where it lies when it can seek; from a pipe it
 * is read whole into memory first (libzip needs the end of a zip before
 * its start), at most --max-part bytes. */
static int
open_book(struct ctx *x, int fd, const char *name, struct fo_csv *c,
    struct fo_xlsx **bp, struct fo_err *e)
{
	struct stat st;
	size_t max = x->book.part_max ? x->book.part_max : FO_XLSX_PART_MAX;
	size_t n;
	char *data;
	int r;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		return fo_xlsx_open(bp, fd, NULL, 0, name, &x->book, e);
	if ((r = read_whole(fd, name, c, max, "a workbook read from a pipe",
	    &data, &n, e)) != FO_OK)
		return r;
	return fo_xlsx_open(bp, -1, data, n, name, &x->book, e);
}

/* A bank statement, record by record (camt streamed, MT940 read whole);
 * every entry and every statement is a row. */
static int
ingest_stmt(struct ctx *x, int fd, const char *name, struct fo_csv *c,
    int kind)
{
	size_t max = x->book.part_max ? x->book.part_max : FO_XLSX_PART_MAX;
	struct fo_camt *cm = NULL;
	struct fo_mt940 *mt = NULL;
	struct fo_buf *outb;
	struct fo_span raw;
	struct fo_err e;
	char *data = NULL;
	size_t n, before;
	long rec0 = x->run.records, rej0 = x->run.rejected;
	int r;

	if (kind == STMT_CAMT) {	/* streamed from where the head ends */
		struct fo_span h = fo_csv_head(c);

		r = fo_camt_open_fd(&cm, h.p, h.n, fd, name, &e);
	} else if ((r = read_whole(fd, name, c, max, "an MT940 statement",
	    &data, &n, &e)) == FO_OK)
		r = fo_mt940_open(&mt, data, n, name, &e);
	if (r != FO_OK) {
		free(data);
		if (r == FO_ERR) {
			refuse(x, &e);
			return FO_OK;
		}
		fo_warn(PROG, &e);
		return FO_EIO;
	}
	if (!x->run.quiet && !x->ex)
		fo_warnx(PROG, "%s: profile %s%s", name,
		    stmt_profiles[kind].name, x->stmt ? "" : " (detected)");
	for (;;) {
		outb = x->ex ? &x->ex->rec : fo_out_buf(&x->out);
		before = outb->n;
		r = cm ? fo_camt_next(cm, outb, &e) : fo_mt940_next(mt, outb,
		    &e);
		if (r == FO_EMPTY)
			break;
		if (r == FO_ENOMEM || r == FO_EIO) {
			outb->n = before;
			if (r == FO_EIO)
				fo_warn(PROG, &e);
			else
				fo_warnx(PROG, "out of memory");
			r = FO_EIO;
			break;
		}
		x->run.rows++;
		fo_progress(&x->run);
		if (r == FO_ERR) {
			outb->n = before;
			raw = cm ? fo_camt_raw(cm) : fo_mt940_raw(mt);
			reject(x, &e, raw.p, raw.n, -1);
			continue;
		}
		x->run.records++;
		if (x->ex)
			explain_records(x, outb->p + before, outb->n - before,
			    0);
		else
			fo_out_done(&x->out);
		if (x->out.err)
			break;
	}
	if (x->ex)
		printf("file:       %s\nprofile:    %s%s%s\nread:       "
		    "%ld records, %ld rejected\n", name,
		    stmt_profiles[kind].name, cm ? " " : "",
		    cm ? fo_camt_kind(cm) : "", x->run.records - rec0,
		    x->run.rejected - rej0);
	fo_camt_close(cm);
	fo_mt940_close(mt);
	free(data);
	return r == FO_EIO ? FO_EIO : FO_OK;
}

/* Read one file through to its end; returns FO_OK or FO_EIO. */
static int
ingest_fd(struct ctx *x, int fd, const char *name)
{
	struct fo_csv *c = NULL;
	struct src s = { NULL, NULL };
	struct fo_csv_opts o = x->opts;
	struct fo_profile *p;
	enum fo_filekind k;
	struct fo_csv_row *row, hdr = {0};
	struct fo_buf hbuf = {0}, *outb;
	struct fo_ingest *g = NULL;
	struct fo_err e, filerr, note;
	enum fo_rowkind kind;
	long skip, line, col, badcol, seen = 0;
	long got0 = x->run.records + x->run.merged, rej0 = x->run.rejected;
	long got, rej;
	size_t before;
	int r, matched = 0, have_hdr = 0, fileerr = 0, ret = FO_OK;

	if (o.encoding == NULL)
		o.encoding = "auto";
	o.head_only = 1;	/* detection must not read what reset cannot undo */
	if ((r = fo_csv_open(&c, fd, name, &o, &e)) != FO_OK) {
		fo_warn(PROG, &e);
		return r == FO_EIO || r == FO_ENOMEM ? FO_EIO : FO_ERR;
	}
	k = fo_csv_kind(c);
	if (x->stmt || (!x->given && k == FO_FILE_TEXT)) {
		/* a bank statement by content, or by -p */
		struct fo_span h = fo_csv_head(c);
		int sk = x->stmt ? x->stmt : fo_camt_sniff(h.p, h.n) ?
		    STMT_CAMT : fo_mt940_sniff(h.p, h.n) ? STMT_MT940 : 0;

		if (sk) {
			r = ingest_stmt(x, fd, name, c, sk);
			fo_csv_close(c);
			return r;
		}
	}
	if (k == FO_FILE_XLSX || k == FO_FILE_ZIP) {
		/* a workbook by content: the zip's own directory says */
		r = open_book(x, fd, name, c, &s.book, &e);
		fo_csv_close(c);
		if (r == FO_EIO || r == FO_ENOMEM) {
			fo_warn(PROG, &e);
			return FO_EIO;
		}
		if (r != FO_OK) {	/* damaged, or a zip of something else */
			refuse(x, &e);
			return FO_OK;
		}
		p = x->given ? x->profs[0] : detect_book(x, s.book, &matched,
		    x->ex ? x->ex->score : NULL);
		if (fo_xlsx_reset(s.book, p->delim, &e) != FO_OK) {
			refuse(x, &e);
			fo_xlsx_close(s.book);
			return FO_OK;
		}
		goto read;
	}
	if (refuse_kind(x, c, name)) {
		fo_csv_close(c);
		return FO_OK;
	}
	s.csv = c;
	p = x->given ? x->profs[0] : detect(x, c, &o, &matched,
	    x->ex ? x->ex->score : NULL);
	o = x->opts;
	if (o.delim == 0)
		o.delim = p->delim;
	if (o.encoding == NULL)
		o.encoding = p->encoding;
	o.quote = p->quote;
	o.head_only = x->ex != NULL;	/* --explain looks at the head only */
	if (fo_csv_reset(c, &o, &e) != FO_OK) {
		fo_warn(PROG, &e);
		fo_csv_close(c);
		return FO_ERR;
	}
read:
	if (x->ex) {
		if (s.book)
			printf("file:       %s\nsheet:      %s (a workbook: no "
			    "encoding or delimiter)\n", name,
			    fo_xlsx_sheet(s.book));
		else
			explain_file(c, name);
		explain_profile(x, p, matched);
	} else
		say_file(x, &s, name, p, !x->given, matched);
	if ((g = fo_ingest_new(p, name, x->numbers_set ? &x->numbers : NULL,
	    x->dates_set ? &x->dates : NULL)) == NULL) {
		fo_warnx(PROG, "out of memory");
		ret = FO_EIO;
		goto done;
	}
	fo_ingest_currencies(g, x->currencies, x->currency);

	for (skip = p->header_skip;;) {
		r = src_next(&s, &row, &e);
		if (s.csv && fo_csv_notice(s.csv, &note) && !x->ex)
			fo_warn(PROG, &note);
		if (r == FO_EMPTY)
			break;
		if (r < FO_ERR) {
			fo_warn(PROG, &e);
			ret = FO_EIO;
			break;
		}
		x->run.rows++;
		fo_progress(&x->run);
		if (r == FO_ERR) {
			struct fo_span raw = src_raw(&s);

			reject(x, &e, raw.p, raw.n, -1);
			continue;
		}
		if (blank_row(row) || skip > 0) {
			skip -= skip > 0 && !blank_row(row);
			x->run.skipped++;
			continue;
		}
		if (fo_ingest_junk(g, row)) {	/* junk, or a context line */
			x->run.skipped++;
			continue;
		}
		if (!have_hdr && !fileerr) {
			if (!fo_profile_is_header(p, row)) {
				if (++seen < HEADER_ROWS) {
					x->run.skipped++;	/* preamble */
					continue;
				}
				fo_err_set(&filerr, name, row->line, 0,
				    "no header row in the first %d rows "
				    "(profile %s)", HEADER_ROWS, p->name);
				fileerr = 1;
				reject_row(x, &filerr, row);
				continue;
			}
			x->run.rows--;		/* the header is not a row */
			if (keep_row(&hdr, &hbuf, row) != FO_OK) {
				fo_warnx(PROG, "out of memory");
				ret = FO_EIO;
				break;
			}
			have_hdr = 1;
			r = fo_ingest_header(g, &hdr, &filerr);
			if (r == FO_ENOMEM) {
				fo_warn(PROG, &filerr);
				ret = FO_EIO;
				break;
			}
			if ((fileerr = r != FO_OK) && x->ex)
				printf("header:     line %ld: %s\n", hdr.line,
				    filerr.msg);
			else if (fileerr)
				fo_warn(PROG, &filerr);
			else if (x->ex)
				explain_header(g, &hdr);
			else if (fo_ingest_keynote(g)->msg[0] != '\0')
				fo_warn(PROG, fo_ingest_keynote(g)); /* once */
			say_note(x, g);	/* which column is the amount */
			continue;
		}
		if (have_hdr && same_row(row, &hdr)) {	/* a header repeated */
			x->run.skipped++;
			continue;
		}
		if (fileerr) {
			e = filerr;
			e.line = row->line;
			reject_row(x, &e, row);
			continue;
		}
		/* records go straight to the output buffer: a record the
		 * row completed is kept even when the row itself fails */
		outb = x->ex ? &x->ex->rec : fo_out_buf(&x->out);
		before = outb->n;
		r = fo_ingest_row(g, row, outb, &e, &badcol, &kind);
		if (r == FO_ENOMEM) {
			outb->n = before;
			fo_warnx(PROG, "out of memory");
			ret = FO_EIO;
			break;
		}
		if (x->ex) {
			explain_records(x, outb->p + before, outb->n - before,
			    row->line);
			outb->n = before;
		} else
			fo_out_done(&x->out);
		say_note(x, g);
		if (r == FO_ERR) {
			line = row->line;
			col = 0;
			if (badcol >= 0 && s.book) {
				/* a cell: its column, and its name */
				char ref[160], why[sizeof e.msg];

				col = badcol + 1;
				fo_xlsx_cellref(s.book, line, (size_t)badcol,
				    ref, sizeof ref);
				snprintf(why, sizeof why, "%s", e.msg);
				fo_err_msg(&e, "%s: %s", ref, why);
			} else if (badcol >= 0) {
				fo_csv_field_pos(c, row, (size_t)badcol, &line,
				    &col);
				if (e.col > 0)
					col += e.col - 1;
			}
			e.file = name;
			e.line = line;
			e.col = col;
			reject(x, &e, row->raw, row->rawlen,
			    fo_ingest_badfield(g, badcol));
		} else if (kind == FO_ROW_RECORD)
			x->run.records++;
		else if (kind == FO_ROW_MERGED)
			x->run.merged++;
		else
			x->run.skipped++;
		if (x->out.err)
			break;
	}
	if (ret == FO_OK && have_hdr && !fileerr) {
		fo_buf_reset(&x->rec);
		if (fo_ingest_flush(g, &x->rec, &e) != FO_OK) {
			fo_warnx(PROG, "out of memory");
			ret = FO_EIO;
		}
		say_note(x, g);
		if (x->ex)
			explain_records(x, x->rec.p, x->rec.n,
			    fo_ingest_pending_line(g));
		else
			fo_out_put(&x->out, x->rec.p, x->rec.n);
	}
	if (!have_hdr && !fileerr && ret == FO_OK && seen > 0) {
		/* rows were read and none was data: that must not pass quietly */
		fo_err_set(&e, name, 0, 0, "no header row found (profile %s)",
		    p->name);
		x->run.rows++;
		reject(x, &e, "", 0, -1);
	}
	got = x->run.records + x->run.merged - got0;
	rej = x->run.rejected - rej0;
	if (x->ex)
		explain_end(x, g, have_hdr, s.book ? "in the sheet" :
		    "in the first 256 KiB");
	else if (ret == FO_OK && have_hdr && !fileerr && got + rej == 0)
		fo_warnx(PROG, "%s: header only, 0 rows", name);
	else if (ret == FO_OK && have_hdr && !fileerr && got == 0)
		fo_warnx(PROG, "%s: 0 of %ld rows read: check the profile (-p) "
		    "or --explain", name, rej);
	else if (ret == FO_OK && !have_hdr && !fileerr && seen == 0 &&
	    rej == 0) {
		fo_err_set(&e, name, 0, 0, "no rows: only blank or skipped "
		    "lines");
		x->run.rows++;
		fo_reject(&x->run, &e, "", 0);
	}
done:
	fo_ingest_free(g);
	free(hdr.f);
	fo_buf_free(&hbuf);
	fo_csv_close(s.csv);
	fo_xlsx_close(s.book);
	return ret;
}

static int
ingest_path(struct ctx *x, const char *path)
{
	int fd, r;

	if (strcmp(path, "-") == 0)
		return ingest_fd(x, 0, "<stdin>");
	if ((fd = open(path, O_RDONLY)) < 0) {
		fo_warnx(PROG, "%s: %s", path, strerror(errno));
		return FO_EIO;
	}
	r = ingest_fd(x, fd, path);
	close(fd);
	return r;
}

static long
parse_size(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 16 || v > (1L << 30))
		return -1;
	return v;
}

static void
list_profiles(struct ctx *x)
{
	size_t i, k = STMT_CAMT;

	for (i = 0; i <= x->nprof; i++) {
		/* the statement readers' names among the others, sorted */
		for (; k <= STMT_MT940 && (i == x->nprof ||
		    strcmp(stmt_profiles[k].name, x->profs[i]->name) < 0); k++)
			printf("%-22s %s\n", stmt_profiles[k].name,
			    stmt_profiles[k].description);
		if (i < x->nprof)
			printf("%-22s %s\n", x->profs[i]->name,
			    x->profs[i]->description ?
			    x->profs[i]->description : "");
	}
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "currency", required_argument, NULL, 'C' },
		{ "dates", required_argument, NULL, 'D' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "explain", no_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ "list-profiles", no_argument, NULL, 'l' },
		{ "max-field", required_argument, NULL, 'F' },
		{ "max-part", required_argument, NULL, 'P' },
		{ "max-record", required_argument, NULL, 'R' },
		{ "numbers", required_argument, NULL, 'N' },
		{ "output", required_argument, NULL, 'o' },
		{ "profile", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "rejects", required_argument, NULL, 'j' },
		{ "sheet", required_argument, NULL, 'S' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctx x;
	struct explain ex;
	struct fo_out rej;
	struct fo_main m = { PROG, usage, help, NULL, NULL, NULL, NULL, 0 };
	const char *profile = NULL;
	long v;
	int ch, i, list = 0, explain = 0, status;

	memset(&x, 0, sizeof x);
	memset(&ex, 0, sizeof ex);
	x.run.prog = PROG;
	while ((ch = getopt_long(argc, argv, "d:e:hlo:p:qV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'C':
			if (strlen(optarg) != 3 ||
			    fo_currency_minor(optarg, 3) < 0) {
				fo_warnx(PROG, "--currency %s: an ISO 4217 code "
				    "such as USD (upper case)", optarg);
				return FO_EXIT_USAGE;
			}
			memcpy(x.currency, optarg, 4);
			break;
		case 'D':
			if (fo_datefmt_parse(optarg, &x.dates) != FO_OK) {
				fo_warnx(PROG, "--dates %s: not a date format "
				    "(see fo-ingest(1))", optarg);
				return FO_EXIT_USAGE;
			}
			x.dates_set = 1;
			break;
		case 'd':
			if ((x.opts.delim = fo_csv_delim_parse(optarg)) < 0) {
				fo_warnx(PROG, "-d %s: use ',', ';', tab, '|', "
				    "':' or auto", optarg);
				return FO_EXIT_USAGE;
			}
			break;
		case 'e':
			if (!fo_csv_encoding_known(optarg)) {
				fo_warnx(PROG, "-e %s: use utf-8, windows-1252, "
				    "latin1, iso-8859-15, utf-16le, utf-16be or "
				    "auto", optarg);
				return FO_EXIT_USAGE;
			}
			x.opts.encoding = optarg;
			break;
		case 'F':
		case 'R':
			if ((v = parse_size(optarg)) < 0) {
				fo_warnx(PROG, "--max-%s %s: bytes, 16 to 2^30",
				    ch == 'F' ? "field" : "record", optarg);
				return FO_EXIT_USAGE;
			}
			*(ch == 'F' ? &x.opts.field_max : &x.opts.record_max) =
			    (size_t)v;
			break;
		case 'P':
			if ((v = parse_size(optarg)) < 0) {
				fo_warnx(PROG, "--max-part %s: bytes, 16 to "
				    "2^30", optarg);
				return FO_EXIT_USAGE;
			}
			x.book.part_max = (size_t)v;
			break;
		case 'S':
			x.book.sheet = optarg;
			break;
		case 'l':
			list = 1;
			break;
		case 'N':
			if (fo_numstyle_parse(optarg, &x.numbers) != FO_OK) {
				fo_warnx(PROG, "--numbers %s: use 1,234.56, "
				    "1.234,56, 1 234,56, 1'234.56, 1234.56 "
				    "or auto", optarg);
				return FO_EXIT_USAGE;
			}
			x.numbers_set = 1;
			break;
		case 'p':
			profile = optarg;
			break;
		case 'X':
			explain = 1;
			break;
		default:
			if ((status = fo_main_opt(&m, ch, optarg)) !=
			    FO_MAIN_NEXT)
				return status;
		}
	}
	x.run.quiet = m.quiet;
	argc -= optind;
	argv += optind;
	if (explain && (argc != 1 || list || m.output || m.rejects)) {
		fo_warnx(PROG, "--explain: one file, without -l, -o or "
		    "--rejects");
		usage(stderr);
		return FO_EXIT_USAGE;
	}
	x.book.field_max = x.opts.field_max;
	x.book.record_max = x.opts.record_max;

	if (!list && profile && (strcmp(profile, "camt") == 0 ||
	    strcmp(profile, "mt940") == 0)) {
		x.stmt = strcmp(profile, "camt") == 0 ? STMT_CAMT : STMT_MT940;
		profile = NULL;	/* the other profiles are loaded, unused */
	}
	/* every profile is checked before any record is read */
	if (load_profiles(&x, list ? NULL : profile) != 0 ||
	    load_currencies(&x) != 0) {
		status = FO_EXIT_USAGE;
		goto done;
	}
	if (list) {
		list_profiles(&x);
		status = fo_stdout_status(PROG);
		goto done;
	}
	if (explain) {
		if ((ex.score = calloc(x.nprof + 1, sizeof *ex.score)) == NULL) {
			fo_warnx(PROG, "out of memory");
			status = FO_EXIT_SYSTEM;
			goto done;
		}
		x.ex = &ex;
		x.run.quiet = 1;
		status = ingest_path(&x, argv[0]) == FO_EIO ? FO_EXIT_SYSTEM :
		    FO_EXIT_OK;
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fo_warnx(PROG, "<stdout>: write: %s", strerror(errno));
			status = FO_EXIT_SYSTEM;
		}
		free(ex.score);
		fo_buf_free(&ex.rows);
		fo_buf_free(&ex.rec);
		fo_buf_free(&ex.notes);
		goto done;
	}
	if (fo_run_open(&x.run, &x.out, m.output, &rej, m.rejects) != FO_OK) {
		status = FO_EXIT_SYSTEM;
		goto done;
	}

	status = FO_EXIT_OK;
	for (i = 0; i < (argc ? argc : 1) && !x.out.err; i++) {
		switch (ingest_path(&x, argc ? argv[i] : "-")) {
		case FO_OK:
			break;
		case FO_ERR:		/* a file that cannot be read as CSV */
			x.run.rejected++;
			x.run.rows++;
			break;
		default:
			status = FO_EXIT_SYSTEM;
		}
	}

	status = fo_run_close(&x.run, &x.out, status == FO_EXIT_SYSTEM);
done:
	for (i = 0; i < (int)x.nprof; i++)
		fo_profile_free(x.profs[i]);
	free(x.profs);
	fo_currencies_free(x.currencies);
	fo_buf_free(&x.rec);
	return status;
}
