/*
 * fuzz-xlsx.c - the workbook reader must not crash, must stay within
 * its limits, and must read a sheet the same way twice (fo_xlsx_reset).
 * An input that starts like a zip is the workbook itself; any other is
 * up to four parts separated by a 0x01 byte (the sheet, the shared
 * strings, the styles, the workbook), zipped here with libzip (loaded
 * as fo-ingest loads it, lib/ingest/dl.h) so that the fuzzer works on
 * the XML, not on deflate. Every row's fields are
 * UTF-8 without a NUL, every message UTF-8, and row numbers ascend.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"
#include "ingest/dl.h"

static const char *const parts[] = {
	"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
	"xl/workbook.xml"
};

static const char wb[] = "<workbook xmlns:r=\"urn:r\"><workbookPr/><sheets>"
    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] = "<Relationships><Relationship Id=\"rId1\" "
    "Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "</Relationships>";

/* The parts zipped (stored) into a malloc'd buffer; NULL if libzip
 * will not. */
static void *
zip_parts(const unsigned char *data, size_t n, size_t *len)
{
	const unsigned char *p[4], *end = data + n, *q;
	size_t plen[4], k, np = 0;
	zip_source_t *src, *s;
	zip_error_t ze;
	zip_stat_t st;
	zip_t *z;
	void *out = NULL;

	while (np < 4) {
		q = memchr(data, 1, (size_t)(end - data));
		p[np] = data;
		plen[np++] = (size_t)((q ? q : end) - data);
		if (q == NULL)
			break;
		data = q + 1;
	}
	fo_zip.zip_error_init(&ze);
	if ((src = fo_zip.zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL)
		return NULL;
	fo_zip.zip_source_keep(src);
	if ((z = fo_zip.zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL)
		goto out;
	for (k = 0; k < np; k++)
		if ((s = fo_zip.zip_source_buffer(z, p[k], plen[k], 0)) ==
		    NULL || fo_zip.zip_file_add(z, parts[k], s, 0) < 0)
			fo_zip.zip_source_free(s);
	if (np < 4 && (s = fo_zip.zip_source_buffer(z, wb, strlen(wb),
	    0)) != NULL && fo_zip.zip_file_add(z, parts[3], s, 0) < 0)
		fo_zip.zip_source_free(s);
	if ((s = fo_zip.zip_source_buffer(z, rels, strlen(rels), 0)) != NULL &&
	    fo_zip.zip_file_add(z, "xl/_rels/workbook.xml.rels", s, 0) < 0)
		fo_zip.zip_source_free(s);
	for (k = 0; k < (size_t)fo_zip.zip_get_num_entries(z, 0); k++)
		fo_zip.zip_set_file_compression(z, k, ZIP_CM_STORE, 0);
	if (fo_zip.zip_close(z) != 0) {
		fo_zip.zip_discard(z);
		goto out;
	}
	if (fo_zip.zip_source_stat(src, &st) != 0 ||
	    fo_zip.zip_source_open(src) != 0)
		goto out;
	if ((out = malloc(st.size + 1)) != NULL &&
	    fo_zip.zip_source_read(src, out, st.size) != (zip_int64_t)st.size) {
		free(out);
		out = NULL;
	}
	*len = st.size;
	fo_zip.zip_source_close(src);
out:
	fo_zip.zip_source_free(src);
	fo_zip.zip_error_fini(&ze);
	return out;
}

static void
utf8(const char *s, size_t n)
{
	if (fo_utf8_check(s, n) != n)
		abort();
}

/* Every row as text, the reader's account of the sheet. */
static void
read_rows(struct fo_xlsx *x, struct fo_buf *b)
{
	struct fo_csv_row *row;
	struct fo_err e;
	struct fo_span raw;
	long last = 0;
	size_t i;
	int r;

	while ((r = fo_xlsx_next(x, &row, &e)) != FO_EMPTY) {
		if (r == FO_ENOMEM)
			abort();
		utf8(e.msg, strlen(e.msg));
		if (r == FO_ERR) {
			raw = fo_xlsx_raw(x);
			utf8(raw.p, raw.n);
			fo_buf_printf(b, "ERR %ld:%ld %s\n", e.line, e.col,
			    e.msg);
			continue;
		}
		if (row->line <= last || row->line > FO_XLSX_MAX_ROWS ||
		    row->nf > FO_XLSX_MAX_COLS)
			abort();
		last = row->line;
		fo_buf_printf(b, "%ld", row->line);
		for (i = 0; i < row->nf; i++) {
			if (strlen(row->f[i].p) != row->f[i].n ||
			    row->kind[i] > FO_CELL_DATE || row->f[i].n > 4096)
				abort();
			utf8(row->f[i].p, row->f[i].n);
			fo_buf_printf(b, "|%d:%s", row->kind[i], row->f[i].p);
		}
		fo_buf_putc(b, '\n');
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *, size_t);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	struct fo_xlsx_opts o = { 0 };
	struct fo_xlsx *x;
	struct fo_buf one = { 0 }, two = { 0 };
	struct fo_err e;
	size_t len = n;
	void *zip;

	if (fo_dl_zip("fuzz", "a workbook", &e) != FO_OK) {
		fprintf(stderr, "%s\n", e.msg);
		abort();
	}
	if (fo_filekind(data, n) == FO_FILE_ZIP ||
	    fo_filekind(data, n) == FO_FILE_XLSX) {
		if ((zip = malloc(n + 1)) == NULL)
			return 0;
		memcpy(zip, data, n);
	} else if ((zip = zip_parts(data, n, &len)) == NULL)
		return 0;
	o.part_max = 1 << 20;
	o.field_max = 4096;
	o.record_max = 16384;
	if (fo_xlsx_open(&x, -1, zip, len, "fuzz", &o, &e) != FO_OK) {
		utf8(e.msg, strlen(e.msg));
		return 0;
	}
	read_rows(x, &one);
	if (fo_xlsx_reset(x, ';', &e) != FO_OK) {	/* it opened once */
		fprintf(stderr, "reset: %s\n", e.msg);
		abort();
	}
	read_rows(x, &two);
	if (one.n != two.n || (one.n && memcmp(one.p, two.p, one.n) != 0)) {
		fprintf(stderr, "once:\n%.*s\nagain:\n%.*s\n", (int)one.n,
		    one.p, (int)two.n, two.p);
		abort();
	}
	fo_xlsx_close(x);
	fo_buf_free(&one);
	fo_buf_free(&two);
	return 0;
}
