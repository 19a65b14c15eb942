/*
 * yamlc - rules files read ahead, as C.
 *
 *	yamlc FILE... > ahead.c
 *
 * Loads each FILE as every tool does (fo_yaml_load, parsing: the table
 * this program links is lib/rules/ahead.c's empty one) and writes its
 * bytes and its tree as a struct fo_yahead: the nodes breadth first,
 * so that a collection's kids are consecutive nodes, with node 0 the
 * root. fo_yaml_load then takes that tree for the same bytes
 * (lib/rules/yaml.c). A file that does not load is an error here, with
 * fo_yaml_load's messages: the build stops on it.
 *
 * Texts are written as string literals: printable ASCII as it is but
 * for " \ and ? (no trigraph can form), a line end as \n and every other
 * byte in three octal digits; the literal's lines end where the file's
 * do, or are cut at 72 columns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

static void
literal(const char *s, size_t n)
{
	size_t i, col = 0;
	unsigned char ch;

	fputs("\t\"", stdout);
	for (i = 0; i < n; i++) {
		ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\' || ch == '?')
			col += printf("\\%c", ch);
		else if (ch == '\n')
			col += printf("\\n");
		else if (ch >= 0x20 && ch < 0x7f)
			col += putchar(ch) != EOF;
		else
			col += printf("\\%03o", ch);
		if (i + 1 < n && (ch == '\n' ||
		    (col >= 72 && s[i + 1] != '\n'))) {
			fputs("\"\n\t\"", stdout);
			col = 0;
		}
	}
	fputs("\"", stdout);
}

static size_t
count(const struct fo_ynode *y)
{
	size_t i, k = 1;

	for (i = 0; i < y->n; i++)
		k += count(y->kid[i]);
	return k;
}

/* File k: its tables, breadth first. */
static int
emit(int k, const char *path)
{
	struct fo_errs errs;
	struct fo_ydoc *doc = NULL;
	struct fo_buf b = { 0 };
	const struct fo_ynode **q = NULL, *y;
	size_t n, nn = 0, head, tail, i, j, kid, off = 0;
	const char *s;
	int rc;

	memset(&errs, 0, sizeof errs);
	if ((rc = fo_buf_slurp(&b, path, FO_YAML_MAX_BYTES)) != FO_OK) {
		if (rc == FO_ERR)
			fprintf(stderr, "yamlc: %s: larger than %d bytes\n",
			    path, FO_YAML_MAX_BYTES);
		else
			fprintf(stderr, "yamlc: %s: %s\n", path,
			    strerror(errno));
		return -1;
	}
	s = b.p;
	n = b.n;
	if (fo_yaml_load_mem(path, s, n, &doc, &errs) != FO_OK) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "yamlc: %s:%ld:%ld: %s\n",
			    errs.v[i].file, errs.v[i].line, errs.v[i].col,
			    errs.v[i].msg);
		fo_errs_free(&errs);
		fo_buf_free(&b);
		return -1;
	}
	if (doc->root != NULL) {
		nn = count(doc->root);
		if ((q = malloc(nn * sizeof *q)) == NULL) {
			fprintf(stderr, "yamlc: %s\n", strerror(errno));
			return -1;
		}
		q[0] = doc->root;
		/* the queue is the order: node i is q[i] */
		for (head = 0, tail = 1; head < tail; head++)
			for (j = 0; j < q[head]->n; j++)
				q[tail++] = q[head]->kid[j];
	}

	printf("/* %s */\nstatic const char text%d[] =\n", path, k);
	literal(s, n);
	printf(";\n\nstatic const char strs%d[] =\n", k);
	for (i = 0; i < nn; i++)
		if (q[i]->type == FO_Y_SCALAR) {
			literal(q[i]->str, q[i]->len + 1);
			putchar('\n');
		}
	printf("\t\"\";\n\nstatic const struct fo_yanode node%d[] = {\n", k);
	/* breadth first, the kids of q[i] come next after those of
	 * q[i - 1]: the first of them is node[kid] */
	for (i = 0, kid = 1; i < nn; i++) {
		y = q[i];
		printf("\t{ %ld, %ld, %zu, %zu, %zu, %zu, %d, %d },\n",
		    y->line, y->col, y->type == FO_Y_SCALAR ? off : 0,
		    y->len, y->n > 0 ? kid : 0, y->n, (int)y->type,
		    y->plain);
		if (y->type == FO_Y_SCALAR)
			off += y->len + 1;
		kid += y->n;
	}
	printf("\t{ 0, 0, 0, 0, 0, 0, 0, 0 }\n};\n\n");
	printf("#define AHEAD%d { \"%s\", text%d, %zu, strs%d, %zu, node%d, "
	    "%zu }\n\n", k, path, k, n, k, off, k, nn);
	free(q);
	fo_yaml_free(doc);
	fo_buf_free(&b);
	return 0;
}

int
main(int argc, char **argv)
{
	int i;

	fo_yaml_ahead = 0;
	printf("/* Made by tools/yamlc from the rules files below: do not "
	    "edit. */\n#include <stddef.h>\n#include <stdint.h>\n\n"
	    "#include \"fo.h\"\n\n");
	for (i = 1; i < argc; i++)
		if (emit(i, argv[i]) == -1)
			return 1;
	printf("const struct fo_yahead fo_yahead[] = {\n");
	for (i = 1; i < argc; i++)
		printf("\tAHEAD%d,\n", i);
	printf("\t{ NULL, NULL, 0, NULL, 0, NULL, 0 }\n};\n");
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "yamlc: <stdout>: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
