/*
 * fuzz-csv.c - the CSV front end must not crash, and must read the same
 * rows (fields, lines, errors) whether the bytes arrive whole or in
 * small pieces: chunk boundaries inside a line, a CRLF, a quoted field
 * or a multi-byte character must change nothing; nor must reading
 * every line through libcsv instead of csv.c's own splitter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"

static const char *const encodings[] = {
	"utf-8", "windows-1252", "utf-16le", "auto"
};

/* Every row as text: the reader's whole account of the input. */
static char *
read_all(const unsigned char *data, size_t n, int delim, const char *enc,
    size_t read_max, int nofast, size_t *len)
{
	struct fo_csv_opts o = { 0 };
	struct fo_csv *c;
	struct fo_csv_row *row;
	struct fo_err e;
	struct fo_buf b = { 0 };
	struct fo_span raw;
	FILE *f = tmpfile();
	size_t i;
	int r;

	if (f == NULL || fwrite(data, 1, n, f) != n || fflush(f) != 0)
		abort();
	rewind(f);
	o.delim = delim;
	o.encoding = enc;
	o.read_max = read_max;
	o.record_max = 4096;
	o.field_max = 1024;
	o.nofast = nofast;
	if (fo_csv_open(&c, fileno(f), "fuzz", &o, &e) != FO_OK) {
		fclose(f);
		fo_buf_printf(&b, "open: %s", e.msg);
		*len = b.n;
		return b.p;
	}
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
			abort();	/* no I/O errors on a temporary file */
		fo_buf_printf(&b, "%ld+%ld %zu:", row->line, row->lines, row->nf);
		for (i = 0; i < row->nf; i++) {
			if (strlen(row->f[i].p) > row->f[i].n)
				abort();	/* a field is NUL-terminated */
			fo_buf_putc(&b, '|');
			fo_buf_put(&b, row->f[i].p, row->f[i].n);
		}
		fo_buf_putc(&b, '\n');
	}
	fo_buf_printf(&b, "delim %d enc %s\n", fo_csv_delim(c),
	    fo_csv_encoding(c));
	fo_csv_close(c);
	fclose(f);
	*len = b.n;
	return b.p ? b.p : calloc(1, 1);
}

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	static const int delims[] = { 0, ',', ';', '\t' };
	char *whole, *chunked, *slow;
	size_t wl, cl, sl;
	int delim;
	const char *enc;

	if (n < 1)
		return 0;
	delim = delims[data[0] & 3];
	enc = encodings[(data[0] >> 2) & 3];
	whole = read_all(data + 1, n - 1, delim, enc, 0, 0, &wl);
	chunked = read_all(data + 1, n - 1, delim, enc, 1 + (data[0] >> 4),
	    0, &cl);
	slow = read_all(data + 1, n - 1, delim, enc, 0, 1, &sl);
	if (wl != cl || memcmp(whole, chunked, wl) != 0) {
		fprintf(stderr, "whole:\n%.*s\nchunked:\n%.*s\n", (int)wl,
		    whole, (int)cl, chunked);
		abort();
	}
	if (wl != sl || memcmp(whole, slow, wl) != 0) {
		fprintf(stderr, "whole:\n%.*s\nlibcsv only:\n%.*s\n",
		    (int)wl, whole, (int)sl, slow);
		abort();
	}
	free(whole);
	free(chunked);
	free(slow);
	return 0;
}
