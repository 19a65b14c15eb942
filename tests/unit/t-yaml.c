/* t-yaml.c - the YAML loader: tree shapes, positions, every refusal. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"
#include "tap.h"

static char tmpdir[] = "/tmp/t-yaml.XXXXXX";

/* The tree, one node per line: plain scalars bare, others quoted. */
static void
dump(struct fo_buf *b, const struct fo_ynode *y, int depth)
{
	size_t i;

	fo_buf_printf(b, "%*s", depth * 2, "");
	if (y == NULL) {
		fo_buf_puts(b, "NULL\n");
		return;
	}
	switch (y->type) {
	case FO_Y_SCALAR:
		if (!y->plain)
			fo_buf_putc(b, '"');
		for (i = 0; i < y->len; i++) {
			if (y->str[i] == '\n')
				fo_buf_puts(b, "\\n");
			else
				fo_buf_putc(b, y->str[i]);
		}
		if (!y->plain)
			fo_buf_putc(b, '"');
		fo_buf_printf(b, "@%ld:%ld\n", y->line, y->col);
		return;
	case FO_Y_SEQ:
		fo_buf_printf(b, "SEQ@%ld:%ld\n", y->line, y->col);
		break;
	case FO_Y_MAP:
		fo_buf_printf(b, "MAP@%ld:%ld\n", y->line, y->col);
		break;
	}
	for (i = 0; i < y->n; i++)
		dump(b, y->kid[i], depth + 1);
}

static char treebuf[8192];
static char errbuf[16384];

static const char *
tree(const struct fo_ydoc *d)
{
	struct fo_buf b = { 0 };

	if (d == NULL)
		return "(no doc)";
	dump(&b, d->root, 0);
	snprintf(treebuf, sizeof treebuf, "%s", fo_buf_cstr(&b));
	fo_buf_free(&b);
	return treebuf;
}

/* Every error as "FILE:LINE:COL: msg\n". */
static const char *
errors(const struct fo_errs *es)
{
	struct fo_buf b = { 0 };
	size_t i;

	for (i = 0; i < es->n; i++)
		fo_buf_printf(&b, "%s:%ld:%ld: %s\n",
		    es->v[i].file ? es->v[i].file : "-", es->v[i].line,
		    es->v[i].col, es->v[i].msg);
	snprintf(errbuf, sizeof errbuf, "%s", fo_buf_cstr(&b));
	fo_buf_free(&b);
	return errbuf;
}

/* Load text; check status, tree (on FO_OK) or errors (otherwise). */
static void
check(const char *name, const char *text, int want_rc, const char *want)
{
	struct fo_errs es = { 0 };
	struct fo_ydoc *d = (struct fo_ydoc *)&es;	/* must become NULL */
	int rc;

	rc = fo_yaml_load_mem("t.yaml", text, strlen(text), &d, &es);
	is_int(rc, want_rc, "%s: status", name);
	if (rc == FO_OK) {
		is_str(tree(d), want, "%s: tree", name);
		is_int(es.n, 0, "%s: no errors", name);
	} else {
		ok(d == NULL, "%s: no doc", name);
		is_str(errors(&es), want, "%s: errors", name);
	}
	fo_yaml_free(d);
	fo_errs_free(&es);
}

static void
test_shapes(void)
{
	check("block mapping",
	    "id: price_variance\n"
	    "confidence: 0.9\n"
	    "tags:\n"
	    "  - a\n"
	    "  - 'b'\n"
	    "nested:\n"
	    "    k: v\n"
	    "empty:\n"
	    "last: x\n",
	    FO_OK,
	    "MAP@1:1\n"
	    "  id@1:1\n"
	    "  price_variance@1:5\n"
	    "  confidence@2:1\n"
	    "  0.9@2:13\n"
	    "  tags@3:1\n"
	    "  SEQ@4:3\n"
	    "    a@4:5\n"
	    "    \"b\"@5:5\n"
	    "  nested@6:1\n"
	    "  MAP@7:5\n"
	    "    k@7:5\n"
	    "    v@7:8\n"
	    "  empty@8:1\n"
	    "  @8:7\n"
	    "  last@9:1\n"
	    "  x@9:7\n");
	check("indentless sequence",
	    "rules:\n"
	    "- id: a\n"
	    "  when: .x\n"
	    "- id: b\n",
	    FO_OK,
	    "MAP@1:1\n"
	    "  rules@1:1\n"
	    "  SEQ@2:1\n"
	    "    MAP@2:3\n"
	    "      id@2:3\n"
	    "      a@2:7\n"
	    "      when@3:3\n"
	    "      .x@3:9\n"
	    "    MAP@4:3\n"
	    "      id@4:3\n"
	    "      b@4:7\n");
	check("flow styles",
	    "{a: [1, 'two', {b: c}], \"k\": ~}",
	    FO_OK,
	    "MAP@1:1\n"
	    "  a@1:2\n"
	    "  SEQ@1:5\n"
	    "    1@1:6\n"
	    "    \"two\"@1:9\n"
	    "    MAP@1:16\n"
	    "      b@1:17\n"
	    "      c@1:20\n"
	    "  \"k\"@1:25\n"
	    "  ~@1:30\n");
	check("flow inside block",
	    "keys: [vendor, invoice_no]\n"
	    "const: {source: sap}\n"
	    "none: []\n"
	    "nomap: {}\n",
	    FO_OK,
	    "MAP@1:1\n"
	    "  keys@1:1\n"
	    "  SEQ@1:7\n"
	    "    vendor@1:8\n"
	    "    invoice_no@1:16\n"
	    "  const@2:1\n"
	    "  MAP@2:8\n"
	    "    source@2:9\n"
	    "    sap@2:17\n"
	    "  none@3:1\n"
	    "  SEQ@3:7\n"
	    "  nomap@4:1\n"
	    "  MAP@4:8\n");
	check("scalar root", "hello\n", FO_OK, "hello@1:1\n");
	check("sequence root", "- 1\n- - 2\n  - 3\n", FO_OK,
	    "SEQ@1:1\n"
	    "  1@1:3\n"
	    "  SEQ@2:3\n"
	    "    2@2:5\n"
	    "    3@3:5\n");
	check("nested block sequences on one line", "- - - a\n", FO_OK,
	    "SEQ@1:1\n"
	    "  SEQ@1:3\n"
	    "    SEQ@1:5\n"
	    "      a@1:7\n");
	check("explicit document markers", "%YAML 1.1\n---\na: 1\n...\n",
	    FO_OK,
	    "MAP@3:1\n"
	    "  a@3:1\n"
	    "  1@3:4\n");
	check("UTF-8 byte order mark ignored", "\xEF\xBB\xBF" "a: 1\n",
	    FO_OK,
	    "MAP@1:1\n"
	    "  a@1:1\n"
	    "  1@1:4\n");
	check("CRLF line ends", "a: 1\r\nb: 2\r\n", FO_OK,
	    "MAP@1:1\n"
	    "  a@1:1\n"
	    "  1@1:4\n"
	    "  b@2:1\n"
	    "  2@2:4\n");
	/* Columns count characters: 'ä' is two bytes but one column. */
	check("columns count characters", "{ä: é, ö: 1}\n", FO_OK,
	    "MAP@1:1\n"
	    "  ä@1:2\n"
	    "  é@1:5\n"
	    "  ö@1:8\n"
	    "  1@1:11\n");
}

static void
test_plain(void)
{
	struct fo_errs es = { 0 };
	struct fo_ydoc *d;
	const struct fo_ynode *v;
	const char *text =
	    "a: null\n"
	    "b: 'null'\n"
	    "c: \"yes\"\n"
	    "d: yes\n"
	    "e: ''\n"
	    "f:\n"
	    "g: \"tab\\there\\u00e9\"\n"
	    "h: \"nul\\0in\"\n";

	is_int(fo_yaml_load_mem("p.yaml", text, strlen(text), &d, &es),
	    FO_OK, "plain: loads");
	is_str(d->file, "p.yaml", "plain: doc->file is the name");
	v = fo_ymap_get(d->root, "a");
	ok(v && v->plain && strcmp(v->str, "null") == 0, "null is plain");
	v = fo_ymap_get(d->root, "b");
	ok(v && !v->plain && strcmp(v->str, "null") == 0, "'null' is quoted");
	v = fo_ymap_get(d->root, "c");
	ok(v && !v->plain && strcmp(v->str, "yes") == 0, "\"yes\" is quoted");
	v = fo_ymap_get(d->root, "d");
	ok(v && v->plain && strcmp(v->str, "yes") == 0, "yes is plain");
	v = fo_ymap_get(d->root, "e");
	ok(v && !v->plain && v->len == 0, "'' is an empty quoted scalar");
	v = fo_ymap_get(d->root, "f");
	ok(v && v->plain && v->len == 0 && v->str[0] == '\0',
	    "a missing value is an empty plain scalar");
	v = fo_ymap_get(d->root, "g");
	is_str(v ? v->str : NULL, "tab\there\xC3\xA9", "escapes resolved");
	v = fo_ymap_get(d->root, "h");
	ok(v && v->len == 6 && memcmp(v->str, "nul\0in", 7) == 0,
	    "len counts past an escaped NUL, str is NUL-terminated");
	ok(fo_ymap_get(d->root, "zz") == NULL, "missing key: NULL");
	ok(fo_ymap_get(NULL, "a") == NULL, "NULL map: NULL");
	ok(fo_ymap_get(fo_ymap_get(d->root, "a"), "a") == NULL,
	    "scalar is not a map: NULL");
	fo_yaml_free(d);
	is_int(es.n, 0, "plain: no errors");
	fo_errs_free(&es);
}

static void
test_multiline(void)
{
	check("multi-line scalars",
	    "plain: one\n"
	    "  two\n"
	    "\n"
	    "  three\n"
	    "folded: >\n"
	    "  f1\n"
	    "  f2\n"
	    "\n"
	    "  f3\n"
	    "quoted: \"q1\n"
	    "  q2\"\n"
	    "literal: |-\n"
	    "  l1\n"
	    "    l2\n"
	    "after: end\n",
	    FO_OK,
	    "MAP@1:1\n"
	    "  plain@1:1\n"
	    "  one two\\nthree@1:8\n"
	    "  folded@5:1\n"
	    "  \"f1 f2\\nf3\\n\"@5:9\n"
	    "  quoted@10:1\n"
	    "  \"q1 q2\"@10:9\n"
	    "  literal@12:1\n"
	    "  \"l1\\n  l2\"@12:10\n"
	    "  after@15:1\n"
	    "  end@15:8\n");
	check("comments",
	    "# head comment\n"
	    "a: 1 # trailing\n"
	    "   # indented comment\n"
	    "b: '# not a comment'\n"
	    "c: x#y\n",
	    FO_OK,
	    "MAP@2:1\n"
	    "  a@2:1\n"
	    "  1@2:4\n"
	    "  b@4:1\n"
	    "  \"# not a comment\"@4:4\n"
	    "  c@5:1\n"
	    "  x#y@5:4\n");
}

static void
test_empty(void)
{
	struct fo_errs es = { 0 };
	struct fo_ydoc *d;

	is_int(fo_yaml_load_mem("e.yaml", "", 0, &d, &es), FO_OK,
	    "empty: FO_OK");
	ok(d != NULL && d->root == NULL, "empty: root is NULL");
	fo_yaml_free(d);
	is_int(fo_yaml_load_mem("e.yaml", NULL, 0, &d, &es), FO_OK,
	    "NULL with length 0: FO_OK");
	ok(d != NULL && d->root == NULL, "NULL with length 0: root is NULL");
	fo_yaml_free(d);
	is_int(es.n, 0, "empty: no errors");
	check("only comments", "# nothing\n\n   # here\n", FO_OK, "NULL\n");
	check("only a document marker", "---\n", FO_OK, "NULL\n");
	check("blank lines", "\n\n  \n", FO_OK, "NULL\n");
	check("quoted empty root is not empty", "--- ''\n", FO_OK,
	    "\"\"@1:5\n");
	fo_yaml_free(NULL);
	ok(1, "fo_yaml_free(NULL) is a no-op");
	fo_errs_free(&es);
}

static void
test_refusals(void)
{
	check("anchor, alias and tag all reported",
	    "a: &x 1\n"
	    "b: *x\n"
	    "c: !!str 3\n"
	    "d: ! 4\n"
	    "e: &y [1]\n"
	    "f: !!map {}\n"
	    "*x : 5\n",
	    FO_ERR,
	    "t.yaml:1:4: anchors and aliases are not allowed\n"
	    "t.yaml:2:4: anchors and aliases are not allowed\n"
	    "t.yaml:3:4: tags are not allowed\n"
	    "t.yaml:4:4: tags are not allowed\n"
	    "t.yaml:5:4: anchors and aliases are not allowed\n"
	    "t.yaml:6:4: tags are not allowed\n"
	    "t.yaml:7:1: anchors and aliases are not allowed\n");
	check("tag directive used", "%TAG !e! tag:example.com,2000:\n---\n"
	    "a: !e!x 1\n", FO_ERR,
	    "t.yaml:3:4: tags are not allowed\n");
	check("two documents", "a: 1\n---\nb: 2\n", FO_ERR,
	    "t.yaml:2:1: only one document allowed\n");
	check("two explicit documents", "---\na: 1\n...\n---\nb: 2\n---\n",
	    FO_ERR,
	    "t.yaml:4:1: only one document allowed\n");
	check("duplicate keys, all of them",
	    "id: 1\n"
	    "when: .x\n"
	    "id: 2\n"
	    "sub: {id: 1, 'id': 3, \"when\": 4}\n"
	    "list:\n"
	    "  - id: a\n"
	    "    id: b\n"
	    "  - id: c\n"
	    "when: .y\n",
	    FO_ERR,
	    "t.yaml:3:1: duplicate key 'id'\n"
	    "t.yaml:4:14: duplicate key 'id'\n"
	    "t.yaml:7:5: duplicate key 'id'\n"
	    "t.yaml:9:1: duplicate key 'when'\n");
	check("same key in different mappings is fine",
	    "a: {id: 1}\nb: {id: 1}\nid: 1\n", FO_OK,
	    "MAP@1:1\n"
	    "  a@1:1\n"
	    "  MAP@1:4\n"
	    "    id@1:5\n"
	    "    1@1:9\n"
	    "  b@2:1\n"
	    "  MAP@2:4\n"
	    "    id@2:5\n"
	    "    1@2:9\n"
	    "  id@3:1\n"
	    "  1@3:5\n");
	check("duplicate key quoted safely",
	    "\"a\\nb\\tc\": 1\n\"a\\nb\\tc\": 2\n"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx: 1\n"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx: 2\n"
	    "ééééééééééééééééééééééééééééé: 1\n"
	    "ééééééééééééééééééééééééééééé: 2\n",
	    FO_ERR,
	    "t.yaml:2:1: duplicate key 'a?b?c'\n"
	    "t.yaml:4:1: duplicate key "
	    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'\n"
	    "t.yaml:6:1: duplicate key 'éééééééééééééééééééé...'\n");
	check("non-scalar keys",
	    "? [a, b]\n"
	    ": 1\n"
	    "? {k: v}\n"
	    ": 2\n"
	    "{[x]: 1}: 3\n",
	    FO_ERR,
	    "t.yaml:1:3: mapping key must be a scalar\n"
	    "t.yaml:3:3: mapping key must be a scalar\n"
	    "t.yaml:5:1: mapping key must be a scalar\n"
	    "t.yaml:5:2: mapping key must be a scalar\n");
	check("errors before a syntax error are kept",
	    "a: 1\na: 2\nb: !!int 3\nc: [1, 2\n",
	    FO_ERR,
	    "t.yaml:2:1: duplicate key 'a'\n"
	    "t.yaml:3:4: tags are not allowed\n"
	    "t.yaml:5:1: did not find expected ',' or ']' "
	    "(while parsing a flow sequence at 4:4)\n");
}

static void
test_syntax(void)
{
	check("bad indentation",
	    "a:\n  b: 1\n c: 2\n", FO_ERR,
	    "t.yaml:3:2: did not find expected key "
	    "(while parsing a block mapping at 1:1)\n");
	check("mapping value in a plain scalar", "a: b: c\n", FO_ERR,
	    "t.yaml:1:5: mapping values are not allowed in this context\n");
	check("key without colon", "x:\n  a: 1\n  b\n", FO_ERR,
	    "t.yaml:4:1: could not find expected ':' "
	    "(while scanning a simple key at 3:3)\n");
	check("unterminated quote", "a: \"open\n", FO_ERR,
	    "t.yaml:2:1: found unexpected end of stream "
	    "(while scanning a quoted scalar at 1:4)\n");
	check("sequence then mapping", "- a\nb: 1\n", FO_ERR,
	    "t.yaml:2:1: did not find expected '-' indicator "
	    "(while parsing a block collection at 1:1)\n");
	check("tab used for indentation", "a:\n\tb: 1\n", FO_ERR,
	    "t.yaml:2:1: found character that cannot start any token "
	    "(while scanning for the next token; "
	    "a tab: YAML indents with spaces)\n");
	check("tab after a plain scalar's indentation",
	    "a:\n  b: 1\n\tc: 2\n", FO_ERR,
	    "t.yaml:3:1: found a tab character that violates indentation "
	    "(while scanning a plain scalar at 2:6)\n");
	check("invalid UTF-8 leading byte", "a: 1\nb: x\xFFy\n", FO_ERR,
	    "t.yaml:2:5: invalid leading UTF-8 octet 0xFF\n");
	check("invalid UTF-8 after other characters",
	    "k: \xC3\xA4\xC3\xA4\xC3\n", FO_ERR,
	    "t.yaml:1:7: invalid trailing UTF-8 octet 0x0A\n");
	check("invalid UTF-8 overlong", "a: \xC0\xAF\n", FO_ERR,
	    "t.yaml:1:4: invalid length of a UTF-8 sequence\n");
	check("invalid UTF-8 surrogate", "\n\n  - \xED\xA0\x80\n", FO_ERR,
	    "t.yaml:3:5: invalid Unicode character (U+D800)\n");
	check("invalid UTF-8 at end of input", "a: b\xE2\x82", FO_ERR,
	    "t.yaml:1:5: incomplete UTF-8 octet sequence\n");
	check("control character", "a: x\x01\n", FO_ERR,
	    "t.yaml:1:5: control characters are not allowed (U+0001)\n");
	check("UTF-16", "\xFF\xFE" "a\0:\0", FO_ERR,
	    "t.yaml:1:1: UTF-16 is not supported; save as UTF-8\n");
}

static void
test_embedded_nul(void)
{
	struct fo_errs es = { 0 };
	struct fo_ydoc *d;

	is_int(fo_yaml_load_mem("n.yaml", "a: 1\nb: \0\n", 10, &d, &es),
	    FO_ERR, "NUL byte: FO_ERR");
	is_str(errors(&es),
	    "n.yaml:2:4: control characters are not allowed (U+0000)\n",
	    "NUL byte: positioned");
	fo_errs_free(&es);
}

static void
test_depth(void)
{
	struct fo_errs es = { 0 };
	struct fo_ydoc *d;
	const struct fo_ynode *y;
	char *s;
	int i, depth;
	size_t n = 100000;

	s = malloc(4 * n + 1);
	memset(s, '[', 32);
	memset(s + 32, ']', 32);
	is_int(fo_yaml_load_mem("d.yaml", s, 64, &d, &es), FO_OK,
	    "32 levels: FO_OK");
	for (depth = 0, y = d->root; y != NULL && y->type == FO_Y_SEQ;
	    y = y->n ? y->kid[0] : NULL)
		depth++;
	is_int(depth, 32, "32 levels: all there");
	fo_yaml_free(d);

	memset(s, '[', 33);
	memset(s + 33, ']', 33);
	is_int(fo_yaml_load_mem("d.yaml", s, 66, &d, &es), FO_ERR,
	    "33 levels: FO_ERR");
	is_str(errors(&es), "d.yaml:1:33: nesting deeper than 32\n",
	    "33 levels: refused at the 33rd");
	ok(d == NULL, "33 levels: no doc");
	fo_errs_free(&es);

	/* libyaml has no limit: these must stop at once, not blow up. */
	memset(s, '[', n);
	is_int(fo_yaml_load_mem("d.yaml", s, n, &d, &es), FO_ERR,
	    "100000 '[': FO_ERR");
	is_str(errors(&es), "d.yaml:1:33: nesting deeper than 32\n",
	    "100000 '[': refused");
	fo_errs_free(&es);

	for (i = 0; i < (int)n; i++)
		memcpy(s + 2 * i, "- ", 2);
	is_int(fo_yaml_load_mem("d.yaml", s, 2 * n, &d, &es), FO_ERR,
	    "100000 '- ': FO_ERR");
	is_str(errors(&es), "d.yaml:1:65: nesting deeper than 32\n",
	    "100000 '- ': refused");
	fo_errs_free(&es);

	for (i = 0; i < (int)n; i++)
		memcpy(s + 4 * i, "{a: ", 4);
	is_int(fo_yaml_load_mem("d.yaml", s, 4 * n, &d, &es), FO_ERR,
	    "100000 '{a: ': FO_ERR");
	is_str(errors(&es), "d.yaml:1:129: nesting deeper than 32\n",
	    "100000 '{a: ': refused");
	fo_errs_free(&es);
	free(s);

	/* Block mappings, each one more space in. */
	{
		struct fo_buf b = { 0 };

		for (i = 0; i < 40; i++)
			fo_buf_printf(&b, "%*sk:\n", i, "");
		is_int(fo_yaml_load_mem("d.yaml", b.p, b.n, &d, &es), FO_ERR,
		    "40 indented mappings: FO_ERR");
		is_str(errors(&es), "d.yaml:33:33: nesting deeper than 32\n",
		    "40 indented mappings: refused at line 33");
		fo_errs_free(&es);
		fo_buf_free(&b);
	}
}

static void
test_size(void)
{
	struct fo_errs es = { 0 };
	struct fo_ydoc *d;
	size_t n = FO_YAML_MAX_BYTES;
	char *s;

	s = malloc(n + 1);
	memcpy(s, "a: 1\n#", 6);
	memset(s + 6, 'x', n + 1 - 6);
	is_int(fo_yaml_load_mem("big.yaml", s, n, &d, &es), FO_OK,
	    "exactly the limit: FO_OK");
	ok(fo_ymap_get(d->root, "a") != NULL, "exactly the limit: loaded");
	fo_yaml_free(d);
	is_int(fo_yaml_load_mem("big.yaml", s, n + 1, &d, &es), FO_ERR,
	    "one byte over: FO_ERR");
	is_str(errors(&es), "big.yaml:0:0: file larger than 4194304 bytes\n",
	    "one byte over: message");
	ok(d == NULL, "one byte over: no doc");
	fo_errs_free(&es);
	free(s);
}

static void
test_too_many(void)
{
	struct fo_errs es = { 0 };
	struct fo_buf b = { 0 };
	struct fo_ydoc *d;
	int i;

	for (i = 0; i < 300; i++)
		fo_buf_puts(&b, "k: 1\n");
	is_int(fo_yaml_load_mem("m.yaml", b.p, b.n, &d, &es), FO_ERR,
	    "300 duplicates: FO_ERR");
	is_int(es.n, 101, "300 duplicates: capped at 100 and a last word");
	is_str(es.v[0].msg, "duplicate key 'k'", "first is a duplicate");
	is_int(es.v[0].line, 2, "first at line 2");
	is_str(es.v[100].msg, "too many errors, giving up", "last word");
	is_int(es.v[100].line, 102, "last word at line 102");
	fo_errs_free(&es);
	fo_buf_free(&b);
}

static void
test_errs_appended(void)
{
	struct fo_errs es = { 0 };
	struct fo_ydoc *d;
	const char *name = "own.yaml";

	fo_errs_addf(&es, "earlier", 1, 1, "an earlier error");
	is_int(fo_yaml_load_mem(name, "a: 1\n", 5, &d, &es), FO_OK,
	    "earlier errors do not fail a good load");
	ok(d != NULL, "doc returned");
	fo_yaml_free(d);
	is_int(fo_yaml_load_mem(name, "a: 1\na: 2\n", 10, &d, &es), FO_ERR,
	    "bad load after earlier errors");
	is_int(es.n, 2, "one error appended");
	ok(es.v[1].file == name, "e.file is the caller's name pointer");
	is_str(es.v[0].msg, "an earlier error", "earlier error kept");
	fo_errs_free(&es);
}

static char *
write_file(const char *base, const char *text, size_t n)
{
	static char path[4][512];
	static int k;
	char *p = path[k++ % 4];
	FILE *fp;

	snprintf(p, sizeof path[0], "%s/%s", tmpdir, base);
	if ((fp = fopen(p, "wb")) == NULL)
		return p;
	fwrite(text, 1, n, fp);
	fclose(fp);
	return p;
}

/* fo_buf_slurp, which fo_yaml_load reads a file with. */
static void
test_slurp(void)
{
	struct fo_buf b = { 0 };
	char *p, missing[600];
	int rc;

	p = write_file("slurp.yaml", "0123456789", 10);
	fo_buf_puts(&b, "kept:");
	is_int(fo_buf_slurp(&b, p, 10), FO_OK, "slurp: exactly max bytes");
	is_int(b.n, 15, "slurp: appended");
	ok(memcmp(b.p, "kept:0123456789", 15) == 0, "slurp: the bytes");
	is_int(fo_buf_slurp(&b, p, 9), FO_ERR, "slurp: a byte over max");
	is_int(b.n, 15, "slurp: over max leaves the buffer as it was");
	snprintf(missing, sizeof missing, "%s/none.yaml", tmpdir);
	errno = 0;
	rc = fo_buf_slurp(&b, missing, 100);
	ok(rc == FO_EIO && errno == ENOENT && b.n == 15,
	    "slurp: a missing file is FO_EIO, ENOENT, the buffer kept");
	fo_buf_reset(&b);
	is_int(fo_buf_slurp(&b, "/dev/null", 100), FO_OK, "slurp: empty");
	is_int(b.n, 0, "slurp: empty: nothing");
	/* not a regular file: read, not sized, and stopped past max */
	is_int(fo_buf_slurp(&b, "/dev/zero", 200000), FO_ERR,
	    "slurp: an endless device stops past max");
	is_int(b.n, 0, "slurp: and leaves the buffer as it was");
	unlink(p);
	fo_buf_free(&b);
}

static void
test_files(void)
{
	struct fo_errs es = { 0 };
	struct fo_ydoc *d;
	char *p, missing[600];
	const char *text = "id: x\nwhen: .a\n";
	int fd;

	p = write_file("ok.yaml", text, strlen(text));
	is_int(fo_yaml_load(p, &d, &es), FO_OK, "file: FO_OK");
	is_str(d ? d->file : NULL, p, "file: doc->file is the path");
	ok(d && d->file != p, "file: doc->file is a copy");
	is_str(tree(d), "MAP@1:1\n  id@1:1\n  x@1:5\n  when@2:1\n  .a@2:7\n",
	    "file: tree");
	fo_yaml_free(d);

	p = write_file("dup.yaml", "a: 1\na: 2\n", 10);
	is_int(fo_yaml_load(p, &d, &es), FO_ERR, "file with error: FO_ERR");
	ok(es.n == 1 && es.v[0].file == p, "file error: e.file is the path");
	is_int(es.n ? es.v[0].line : 0, 2, "file error: line");
	fo_errs_free(&es);

	p = write_file("empty.yaml", "", 0);
	is_int(fo_yaml_load(p, &d, &es), FO_OK, "empty file: FO_OK");
	ok(d && d->root == NULL, "empty file: root NULL");
	fo_yaml_free(d);

	snprintf(missing, sizeof missing, "%s/nope.yaml", tmpdir);
	errno = 0;
	d = (struct fo_ydoc *)&es;
	is_int(fo_yaml_load(missing, &d, &es), FO_EIO, "missing: FO_EIO");
	is_int(errno, ENOENT, "missing: errno kept");
	ok(d == NULL, "missing: no doc");
	is_int(es.n, 1, "missing: one error");
	ok(es.n == 1 && es.v[0].file == missing && es.v[0].line == 0 &&
	    es.v[0].col == 0, "missing: file, line 0");
	is_str(es.n ? es.v[0].msg : NULL, strerror(ENOENT),
	    "missing: strerror text");
	fo_errs_free(&es);

	errno = 0;
	is_int(fo_yaml_load(tmpdir, &d, &es), FO_EIO, "directory: FO_EIO");
	is_int(errno, EISDIR, "directory: errno EISDIR");
	is_str(es.n ? es.v[0].msg : NULL, strerror(EISDIR),
	    "directory: strerror text");
	fo_errs_free(&es);

	/* Refused on its size alone: a sparse file, never read. */
	p = write_file("big.yaml", "", 0);
	fd = open(p, O_WRONLY);
	ok(fd != -1 && ftruncate(fd, FO_YAML_MAX_BYTES + 1) == 0,
	    "big file made");
	close(fd);
	is_int(fo_yaml_load(p, &d, &es), FO_ERR, "big file: FO_ERR");
	ok(es.n == 1 && es.v[0].file == p && es.v[0].line == 0,
	    "big file: at the file");
	is_str(es.n ? es.v[0].msg : NULL, "file larger than 4194304 bytes",
	    "big file: message");
	fo_errs_free(&es);

	p = write_file("bad.yaml", "ok: 1\nbad: \xFE\n", 12);
	is_int(fo_yaml_load(p, &d, &es), FO_ERR, "bad UTF-8 file: FO_ERR");
	ok(es.n == 1 && es.v[0].line == 2 && es.v[0].col == 6,
	    "bad UTF-8 file: at 2:6");
	fo_errs_free(&es);

	/* A pipe has no size to check in advance. */
	{
		int fds[2];
		char dev[64];

		if (pipe(fds) == 0) {
			(void)!write(fds[1], text, strlen(text));
			close(fds[1]);
			snprintf(dev, sizeof dev, "/dev/fd/%d", fds[0]);
			is_int(fo_yaml_load(dev, &d, &es), FO_OK,
			    "pipe: FO_OK");
			ok(d && fo_ymap_get(d->root, "when") != NULL,
			    "pipe: loaded");
			fo_yaml_free(d);
			close(fds[0]);
		} else
			ok(0, "pipe");
	}
	is_int(es.n, 0, "files: no stray errors");
	fo_errs_free(&es);
}

static void
test_check(void)
{
	static const char *const allowed[] = {
		"id", "when", "class", "domain", "confidence", "reason", NULL
	};
	struct fo_errs es = { 0 };
	struct fo_ydoc *d;
	const char *text =
	    "id: a\n"
	    "wehn: .x\n"
	    "clas: c\n"
	    "domian: d\n"
	    "x: 1\n"
	    "severity: high\n"
	    "confidance: 0.9\n"
	    "reason: r\n"
	    "conf: 1\n";

	is_int(fo_yaml_load_mem("c.yaml", text, strlen(text), &d, &es),
	    FO_OK, "check: loads");
	is_int(fo_ymap_check(d->root, allowed, "rule", "c.yaml", &es), 7,
	    "check: seven unknown keys");
	is_str(errors(&es),
	    "c.yaml:2:1: unknown key 'wehn' in rule (did you mean 'when'?)\n"
	    "c.yaml:3:1: unknown key 'clas' in rule (did you mean 'class'?)\n"
	    "c.yaml:4:1: unknown key 'domian' in rule "
	    "(did you mean 'domain'?)\n"
	    "c.yaml:5:1: unknown key 'x' in rule\n"
	    "c.yaml:6:1: unknown key 'severity' in rule\n"
	    "c.yaml:7:1: unknown key 'confidance' in rule "
	    "(did you mean 'confidence'?)\n"
	    "c.yaml:9:1: unknown key 'conf' in rule\n",
	    "check: messages, positions and suggestions");
	fo_errs_free(&es);

	is_int(fo_ymap_check(fo_ymap_get(d->root, "id"), allowed, "rule",
	    "c.yaml", &es), 1, "check: scalar is not a mapping");
	is_str(errors(&es), "c.yaml:1:5: rule must be a mapping\n",
	    "check: not a mapping, at the node");
	fo_errs_free(&es);
	is_int(fo_ymap_check(NULL, allowed, "profile", "c.yaml", &es), 1,
	    "check: NULL is not a mapping");
	is_str(errors(&es), "c.yaml:0:0: profile must be a mapping\n",
	    "check: NULL, no position");
	fo_errs_free(&es);
	fo_yaml_free(d);

	is_int(fo_yaml_load_mem("c.yaml", "{id: 1, when: 2}", 16, &d, &es),
	    FO_OK, "check: flow map loads");
	is_int(fo_ymap_check(d->root, allowed, "rule", "c.yaml", &es), 0,
	    "check: all keys known");
	is_int(es.n, 0, "check: nothing reported");
	fo_yaml_free(d);
	fo_errs_free(&es);
}

/*
 * Rules files read ahead (tools/yamlc): the tree a load takes from the
 * table is, node for node, the one libyaml's parse makes of the same
 * bytes, and bytes that differ at all are parsed.
 */

/* The first difference of two trees, as "where: what", or NULL. */
static const char *
differ(const struct fo_ynode *a, const struct fo_ynode *b, char *where,
    size_t wsz)
{
	const char *d;
	size_t i, len = strlen(where);

	if (a == NULL || b == NULL)
		return a == b ? NULL : "one is NULL";
	snprintf(where + len, wsz - len, "/%ld:%ld", a->line, a->col);
	if (a->type != b->type)
		return "type";
	if (a->line != b->line || a->col != b->col)
		return "position";
	if (a->len != b->len || a->plain != b->plain || a->n != b->n)
		return "len, plain or n";
	if ((a->str == NULL) != (b->str == NULL))
		return "str NULL";
	if (a->str != NULL && (memcmp(a->str, b->str, a->len) != 0 ||
	    a->str[a->len] != '\0' || b->str[b->len] != '\0'))
		return "str";
	if ((a->kid == NULL) != (b->kid == NULL))
		return "kid NULL";
	for (i = 0; i < a->n; i++)
		if ((d = differ(a->kid[i], b->kid[i], where, wsz)) != NULL)
			return d;
	where[len] = '\0';
	return NULL;
}

static size_t
nodes(const struct fo_ynode *y)
{
	size_t i, k = 1;

	for (i = 0; y != NULL && i < y->n; i++)
		k += nodes(y->kid[i]);
	return y == NULL ? 0 : k;
}

static void
test_ahead(void)
{
	static const char *const shipped[] = {
		"rules/age.yaml", "rules/classify.yaml", "rules/currencies.yaml",
		"rules/ingest/bank-csv.yaml", "rules/ingest/coupa-invoices.yaml",
		"rules/ingest/d365-vendor-invoices.yaml",
		"rules/ingest/generic.yaml", "rules/ingest/netsuite-bills.yaml",
		"rules/ingest/oracle-ap-holds.yaml",
		"rules/ingest/payment-status.yaml",
		"rules/ingest/sap-fbl1n.yaml", "rules/ingest/sap-mrbr.yaml",
		"rules/match.yaml", "rules/route.yaml", "rules/score.yaml", NULL
	};
	const struct fo_yahead *a;
	struct fo_errs es = { 0 };
	struct fo_ydoc *live, *ahead, *again;
	char where[512], *edit, *k;
	const char *d;
	size_t i, n;
	int rc1, rc2;

	/* t-yaml is linked with every shipped file (AHEAD_t-yaml) */
	for (n = 0; shipped[n] != NULL; n++)
		;
	for (i = 0; fo_yahead[i].text != NULL; i++)
		;
	is_int(i, n, "ahead: a table entry for each shipped rules file");
	for (i = 0; shipped[i] != NULL; i++) {
		for (a = fo_yahead; a->text != NULL; a++)
			if (strcmp(a->name, shipped[i]) == 0)
				break;
		ok(a->text != NULL, "ahead: %s is in the table", shipped[i]);
	}

	for (a = fo_yahead; a->text != NULL; a++) {
		/* from the file, as a tool loads it, and from memory */
		fo_yaml_ahead = 0;
		rc1 = fo_yaml_load(a->name, &live, &es);
		fo_yaml_ahead = 1;
		rc2 = fo_yaml_load(a->name, &ahead, &es);
		is_int(rc1, FO_OK, "ahead: %s parses", a->name);
		is_int(rc2, FO_OK, "ahead: %s loads ahead", a->name);
		is_int(es.n, 0, "ahead: %s: no errors", a->name);
		if (rc1 != FO_OK || rc2 != FO_OK)
			continue;
		ok(ahead->arena != live->arena && ahead->root != NULL &&
		    ahead->root != live->root, "ahead: %s: a tree of its own",
		    a->name);
		is_str(ahead->file, a->name, "ahead: %s: the name given",
		    a->name);
		where[0] = '\0';
		d = differ(live->root, ahead->root, where, sizeof where);
		ok(d == NULL, "ahead: %s: the same tree as the parse "
		    "(%zu nodes)%s%s%s%s", a->name, nodes(live->root),
		    d ? ": " : "", d ? where : "", d ? " " : "", d ? d : "");
		is_int(nodes(ahead->root), a->nnode, "ahead: %s: every node",
		    a->name);

		/* its texts are the document's: a change stays in it */
		if (ahead->root->n > 0 && ahead->root->kid[0]->len > 0) {
			ahead->root->kid[0]->str[0] ^= 0x20;
			rc2 = fo_yaml_load_mem("x", a->text, a->len, &again,
			    &es);
			where[0] = '\0';
			ok(rc2 == FO_OK && differ(live->root, again->root,
			    where, sizeof where) == NULL,
			    "ahead: %s: a document's edit is its own",
			    a->name);
			fo_yaml_free(again);
		}

		/* one byte of a key changed, the same length: parsed */
		k = live->root->n > 0 && live->root->kid[0]->len > 0 ?
		    live->root->kid[0]->str : NULL;
		if (k != NULL && (edit = malloc(a->len)) != NULL) {
			const char *at;

			memcpy(edit, a->text, a->len);
			/* the first key's first letter where the key is */
			at = edit;
			for (n = 1; n < (size_t)live->root->kid[0]->line; at++)
				if (*at == '\n')
					n++;
			at += live->root->kid[0]->col - 1;
			edit[at - edit] = 'Q';
			rc2 = fo_yaml_load_mem("e.yaml", edit, a->len, &again,
			    &es);
			ok(rc2 == FO_OK && again->root->kid[0]->str[0] == 'Q'
			    && strcmp(again->root->kid[0]->str + 1, k + 1) == 0,
			    "ahead: %s with one byte changed is parsed",
			    a->name);
			fo_yaml_free(again);
			free(edit);
		}
		fo_yaml_free(live);
		fo_yaml_free(ahead);
	}
	fo_errs_free(&es);
}

int
main(void)
{
	(void)testdata_path;	/* tap.h's unused attribute misses with gcc */
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_shapes();
	test_plain();
	test_multiline();
	test_empty();
	test_refusals();
	test_syntax();
	test_embedded_nul();
	test_depth();
	test_size();
	test_slurp();
	test_too_many();
	test_errs_appended();
	test_files();
	test_check();
	test_ahead();
	{
		static const char *const files[] = {
			"ok.yaml", "dup.yaml", "empty.yaml", "big.yaml",
			"bad.yaml", NULL
		};
		char p[600];
		int i;

		for (i = 0; files[i] != NULL; i++) {
			snprintf(p, sizeof p, "%s/%s", tmpdir, files[i]);
			unlink(p);
		}
		rmdir(tmpdir);
	}
	return done_testing();
}
