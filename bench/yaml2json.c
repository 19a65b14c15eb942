/* yaml2json - a rules file as one line of JSON, read with libfo's own YAML
 * loader (fo_yaml_load), so that bench/jqgen-*.jq see exactly the tree the
 * tools see. Plain scalars that look like JSON numbers, true, false and
 * null are written as such; everything else (quoted scalars included) is
 * a string. Usage: yaml2json FILE.yaml. Exit 2 on a bad file. */
#include <stdio.h>
#include <string.h>

#include "fo.h"

/* a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? */
static int
isnum(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return 0;
	if (*s == '.') {
		if (*++s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		if (*++s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

static void
str(const char *s, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void
node(const struct fo_ynode *y)
{
	size_t i;

	if (y == NULL) {
		fputs("null", stdout);
		return;
	}
	switch (y->type) {
	case FO_Y_SCALAR:
		if (y->plain && (strcmp(y->str, "true") == 0 ||
		    strcmp(y->str, "false") == 0 || strcmp(y->str, "null") == 0 ||
		    isnum(y->str)))
			fputs(y->str, stdout);
		else if (y->plain && (strcmp(y->str, "~") == 0 || y->len == 0))
			fputs("null", stdout);
		else
			str(y->str, y->len);
		break;
	case FO_Y_SEQ:
		putchar('[');
		for (i = 0; i < y->n; i++) {
			if (i)
				putchar(',');
			node(y->kid[i]);
		}
		putchar(']');
		break;
	case FO_Y_MAP:
		putchar('{');
		for (i = 0; i + 1 < y->n; i += 2) {
			if (i)
				putchar(',');
			str(y->kid[i]->str, y->kid[i]->len);
			putchar(':');
			node(y->kid[i + 1]);
		}
		putchar('}');
		break;
	}
}

int
main(int argc, char **argv)
{
	struct fo_errs errs = {0};
	struct fo_ydoc *doc = NULL;

	if (argc != 2) {
		fputs("usage: yaml2json FILE.yaml\n", stderr);
		return 2;
	}
	if (fo_yaml_load(argv[1], &doc, &errs) != FO_OK) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "yaml2json: %s: error %zu\n", argv[1], i + 1);
		fo_errs_free(&errs);
		return 2;
	}
	node(doc->root);
	putchar('\n');
	fo_yaml_free(doc);
	return ferror(stdout) ? 3 : 0;
}
