/*
 * t-csvfast.c - lib/ingest/csv.c splits most rows itself instead of handing
 * them to libcsv: every row, error, line number and raw text must be
 * the same as when every line goes through libcsv (opts.nofast), on
 * hand-picked tricky inputs and on many generated ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"
#include "tap.h"

/* Every row as text: the reader's whole account of the input. */
static char *
read_all(const char *data, size_t n, int delim, int quote, size_t read_max,
    int nofast)
{
	struct fo_csv_opts o = { 0 };
	struct fo_csv *c;
	struct fo_csv_row *row;
	struct fo_err e;
	struct fo_buf b = { 0 };
	struct fo_span raw;
	size_t i;
	int r, fd[2];

	/* a pipe holds these few bytes: no file to make for each run */
	if (pipe(fd) != 0 || write(fd[1], data, n) != (ssize_t)n ||
	    close(fd[1]) != 0)
		abort();
	o.delim = delim;
	o.quote = quote;
	o.read_max = read_max;
	o.record_max = 64;
	o.field_max = 16;
	o.nofast = nofast;
	if (fo_csv_open(&c, fd[0], "t", &o, &e) != FO_OK)
		abort();
	while ((r = fo_csv_next(c, &row, &e)) != FO_EMPTY) {
		if (r == FO_ERR) {
			raw = fo_csv_raw(c);
			fo_buf_printf(&b, "ERR %ld:%ld %s [", e.line, e.col,
			    e.msg);
			fo_buf_put(&b, raw.p, raw.n);
			fo_buf_puts(&b, "]\n");
			continue;
		}
		if (r < 0)
			abort();
		fo_buf_printf(&b, "%ld+%ld %zu:", row->line, row->lines,
		    row->nf);
		for (i = 0; i < row->nf; i++) {
			if (row->f[i].p[row->f[i].n] != '\0')
				fo_buf_puts(&b, "<not NUL-terminated>");
			fo_buf_putc(&b, '|');
			fo_buf_put(&b, row->f[i].p, row->f[i].n);
		}
		fo_buf_puts(&b, " raw[");
		fo_buf_put(&b, row->raw, row->rawlen);
		fo_buf_puts(&b, "]\n");
	}
	fo_csv_close(c);
	close(fd[0]);
	return (char *)fo_buf_cstr(&b);
}

/* Both ways alike, under every delimiter, quoting and read size. */
static int
same(const char *data, size_t n, int verbose)
{
	static const int delims[] = { ',', ';', '\t', 0 };
	static const int quotes[] = { 0, -1 };
	static const size_t reads[] = { 0, 1, 7 };
	char *fast, *slow;
	size_t d, q, k;
	int good = 1;

	for (d = 0; d < sizeof delims / sizeof delims[0]; d++)
		for (q = 0; q < 2; q++)
			for (k = 0; k < sizeof reads / sizeof reads[0]; k++) {
				fast = read_all(data, n, delims[d], quotes[q],
				    reads[k], 0);
				slow = read_all(data, n, delims[d], quotes[q],
				    reads[k], 1);
				if (strcmp(fast, slow) != 0) {
					good = 0;
					if (verbose)
						printf("# delim %d quote %d "
						    "read %zu\n# fast:\n%s\n"
						    "# libcsv:\n%s\n",
						    delims[d], quotes[q],
						    reads[k], fast, slow);
				}
				free(fast);
				free(slow);
			}
	return good;
}

/* sizeof, not strlen: some cases hold a NUL */
#define CASE(s) { s, sizeof s - 1 }

static const struct {
	const char *s;
	size_t n;
} cases[] = {
	CASE("a,b,c\n1,2,3\n"),
	CASE("a,b,c\r\n1,2,3\r\n"),
	CASE("a,b,c\r1,2,3\r"),
	CASE("a,b,c\n1,2,3"),			/* no newline at the end */
	CASE("a,,c\n,,\n,\n"),
	CASE(" a , b ,c \n"),			/* spaces are data */
	CASE("\ta\t,\tb\n"),
	CASE("\"a\",\"b,c\",d\n"),
	CASE("\"\",\"\"\"\",\"a\"\"b\"\n"),	/* empty, one quote, a""b */
	CASE("\"a\"\"\"\n\"\"\"\"\"\"\n"),
	CASE("\"a\" ,b\n"),			/* text after the closing quote */
	CASE("\"a\"b,c\n"),
	CASE("a\"b,c\n"),			/* a quote in an unquoted field */
	CASE("a,b\"\n"),
	CASE("\"a,b\n"),			/* a quote not closed */
	CASE("\"a\nb\",c\nd,e\n"),		/* a quoted field over two lines */
	CASE("\"a\r\nb\",c\r\nd,e\r\n"),
	CASE("\"a\rb\",c\rd,e\r"),
	CASE("x,\"a\nb\nc\"\n\"\n\"\n"),
	CASE("\n\n\r\n\r\na,b\n\n"),		/* blank lines */
	CASE("a,b\n\r\n\"\"\n"),
	CASE("a;b;c\n\"1;2\";3\n"),
	CASE("a\tb\n\"1\t2\"\t3\n"),
	CASE("a,b\n1,0123456789abcdefXYZ\n"),	/* past field_max */
	CASE("a,\"0123456789abcdefXYZ\"\n"),
	CASE("a,b\n"
	"0123456789,0123456789,0123456789,0123456789,0123456789,"
	"0123456789,0123456789\n1,2\n"),	/* past record_max */
	CASE("caf\xc3\xa9,\xe2\x82\xac\n"),
	CASE("a,\xff\xfe,b\n\xff,\"\xff\"\n"),	/* not UTF-8 */
	CASE("a,b\x00,c\n\"\x00\",d\n"),
	CASE("a,b\r\r\n"),
	CASE("\"a\"\r\n\"b\"\r"),
	CASE("\"a\"\"\",\"\"\"b\",\"\"\n"),
	CASE(",\n\",\"\n\",\",\n"),
	CASE("\"\n"),
	CASE("\"\"\n\"\"\"\n"),
	/* quoted fields over lines: split here too */
	CASE("a,\"x\n\ny\"\nb,c\n"),		/* a blank line inside */
	CASE("\"a\r\n\r\nb\"\r\n\"c\rd\"\r"),
	CASE("\"a\n\"\"\nb\",c\nd,\"\n\"\n"),
	CASE("a,\"b\nc"),			/* never closed */
	CASE("a,\"b\nc\"d\ne\"\n"),		/* text after the quote */
	CASE("a,\"b\n\"\n\"c\n\"x,y\n"),
	CASE("a,\"0123456789\n0123456789\n0123456789\n0123456789\n"
	"0123456789\n0123456789\",b\nc,d\n"),	/* past record_max */
	CASE("a,\"0123456789\n0123456789abcdef\"\n"),	/* past field_max */
	CASE("\"\xff\n\",\"\x00\n\"\n"),
};

/* Bytes that matter to a CSV reader, drawn at random: deterministic. */
static unsigned long seed = 20261122;

static unsigned
rnd(unsigned n)
{
	seed = seed * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(seed >> 33) % n;
}

int
main(void)
{
	static const char alpha[] = "aa b,,;\t\"\"\"\r\n\n\xc3\xa9\xff";
	char buf[200];
	size_t i, n, k, bad = 0;
	char *got;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ok(same(cases[i].s, cases[i].n, 1), "case %zu as libcsv "
		    "reads it", i);
	}

	/* what the fast path gives, spelt out */
	got = read_all("a, b ,\"c,\"\"d\"\"\",\n", 17, ',', 0, 0, 0);
	is_str(got, "1+1 4:|a| b |c,\"d\"| raw[a, b ,\"c,\"\"d\"\"\",]\n",
	    "fields cut, spaces kept, quotes undone");
	free(got);

	for (k = 0; k < 3000; k++) {
		n = rnd(60);
		for (i = 0; i < n; i++)
			buf[i] = alpha[rnd(sizeof alpha - 1)];
		if (!same(buf, n, bad == 0))
			bad++;
	}
	is_int(bad, 0, "3000 generated inputs read as libcsv reads them");
	return done_testing();
}
