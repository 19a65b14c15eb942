/*
 * csvout.c - CSV cells for people who open the file in a spreadsheet:
 * RFC 4180 quoting by libcsv (csv_write: every cell quoted, quotes
 * doubled), and a guard against formula injection.
 */
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "fo.h"

void
fo_csv_cell(struct fo_buf *b, const char *s, size_t n, int guard)
{
	char stack[256], *src = (char *)s, *dst = stack, *heap = NULL;
	size_t need;

	/* a text that a spreadsheet would take for a formula is kept text:
	 * a leading ' (OWASP's advice; = + - @, tab and CR) */
	if (guard && n > 0 && strchr("=+-@\t\r", s[0]) != NULL) {
		if ((src = heap = malloc(n + 1)) == NULL) {
			b->oom = 1;
			return;
		}
		src[0] = '\'';
		memcpy(src + 1, s, n);
		n++;
	}
	need = 2 * n + 2;
	if (need > sizeof stack && (dst = malloc(need)) == NULL) {
		b->oom = 1;
		free(heap);
		return;
	}
	fo_buf_put(b, dst, csv_write(dst, need, src, n));
	if (dst != stack)
		free(dst);
	free(heap);
}
