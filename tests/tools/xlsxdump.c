/*
 * xlsxdump - every row of a workbook's sheet as lib/ingest/xlsx.c reads it,
 * for tests/0110-ingest-xlsx.t: a row is its number, then each field as
 * |KIND:TEXT (t text, n number, d date; an empty field is a bare |; a
 * line end in a cell as \n or \r); a row that cannot be read is
 * "LINE:COL ERR message [raw]".
 *
 *	xlsxdump FILE [SHEET]
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "fo.h"

/* A line ending inside a cell as \n or \r, so a row stays one line. */
static void
put(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\n')
			fputs("\\n", stdout);
		else if (s[i] == '\r')
			fputs("\\r", stdout);
		else
			putchar(s[i]);
}

int
main(int argc, char *argv[])
{
	struct fo_xlsx_opts o = { 0 };
	struct fo_xlsx *x;
	struct fo_csv_row *row;
	struct fo_err e;
	struct fo_span raw;
	size_t i;
	int fd, r;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: xlsxdump file [sheet]\n");
		return 2;
	}
	o.sheet = argc == 3 ? argv[2] : NULL;
	if ((fd = open(argv[1], O_RDONLY)) < 0) {
		perror(argv[1]);
		return 3;
	}
	if ((r = fo_xlsx_open(&x, fd, NULL, 0, argv[1], &o, &e)) != FO_OK) {
		printf("OPEN %d %s\n", r, e.msg);
		return 1;
	}
	printf("sheet %s\n", fo_xlsx_sheet(x));
	while ((r = fo_xlsx_next(x, &row, &e)) != FO_EMPTY) {
		if (r == FO_ERR) {
			raw = fo_xlsx_raw(x);
			printf("%ld:%ld ERR %s [", e.line, e.col, e.msg);
			put(raw.p, raw.n);
			printf("]\n");
			continue;
		}
		if (r != FO_OK) {
			printf("FAIL %d %s\n", r, e.msg);
			return 1;
		}
		printf("%ld", row->line);
		for (i = 0; i < row->nf; i++)
			if (row->f[i].n == 0)
				printf("|");
			else {
				printf("|%c:", "tnd"[row->kind[i]]);
				put(row->f[i].p, row->f[i].n);
			}
		printf("\n");
	}
	fo_xlsx_close(x);
	close(fd);
	return fflush(stdout) == 0 ? 0 : 3;
}
