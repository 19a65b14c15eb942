/*
 * yaml.c - rules and profiles as a tree with positions, over libyaml.
 *
 * The tree is built from libyaml's events with an explicit stack, never
 * by recursion, and the depth is checked on every collection start:
 * libyaml 0.2.5 has no nesting limit of its own. Nodes and strings come
 * from an arena that the document owns, so freeing walks blocks, not
 * the tree.
 *
 * Errors point at the name the caller gave (e.file == path or name):
 * the caller keeps it alive as long as it keeps the errors. Lines and
 * columns are 1-based; columns count characters, as libyaml does. At
 * most MAX_ERRORS are collected per load. Besides FO_OK, FO_ERR and
 * FO_EIO, a load may return FO_ENOMEM. On anything but FO_OK, *doc is
 * NULL. A document of nothing but "---" has a NULL root, as an empty
 * file has.
 *
 * Bytes that are those of a shipped rules file read ahead at build time
 * (tools/yamlc, fo.h's struct fo_yahead) are not parsed: the tree comes
 * from the table the tool was linked with, into an arena of its own as
 * a parsed one does (ahead_load). t-yaml proves the two trees the same.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "fo.h"

#define ARENA_BLOCK	(64 * 1024)
#define MAX_ERRORS	100	/* a broken file should not flood stderr */
#define EXCERPT_MAX	40	/* bytes of a key quoted in a message */
#define SUGGEST_MAX	64	/* longest key worth a "did you mean" */

struct ablock {
	struct ablock *next;
	size_t used, cap;
	max_align_t mem[];
};

/* One open sequence or mapping; kids gather here until its end event. */
struct frame {
	struct fo_ynode *node;
	struct fo_ynode **v;
	size_t n, cap;
	size_t mapid;
};

/* Keys seen so far, by (mapping, text), to find duplicates in one pass. */
struct kslot {
	const struct fo_ynode *key;
	size_t mapid;
	uint64_t hash;
};

struct ctx {
	const char *name;
	const char *s;		/* input, for positions of reader errors */
	size_t n;
	struct fo_errs *errs;
	size_t errs0;		/* errs->n when the load began */
	struct ablock *arena;
	struct frame stack[FO_YAML_MAX_DEPTH];
	int depth;
	struct fo_ynode *root;
	int ndoc;
	size_t nmap;
	struct kslot *keys;
	size_t nkeys, capkeys;
	int oom;
	int stop;
};

static void	errpos(struct ctx *, long, long, const char *, ...)
		    __attribute__((format(printf, 4, 5)));

static void *
aalloc(struct ablock **head, size_t size)
{
	struct ablock *b;
	size_t cap, al = sizeof(max_align_t);
	void *p;

	if (size > SIZE_MAX / 2)
		return NULL;
	size = (size + al - 1) / al * al;
	b = *head;
	if (b == NULL || b->cap - b->used < size) {
		cap = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
		if ((b = malloc(sizeof *b + cap)) == NULL)
			return NULL;
		b->used = 0;
		b->cap = cap;
		/* A big block goes behind the head so the head's room stays. */
		if (*head != NULL && cap != ARENA_BLOCK) {
			b->next = (*head)->next;
			(*head)->next = b;
		} else {
			b->next = *head;
			*head = b;
		}
	}
	p = (char *)b->mem + b->used;
	b->used += size;
	return p;
}

static void
afree(struct ablock *b)
{
	struct ablock *next;

	for (; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
}

static char *
astrdup(struct ablock **head, const char *s, size_t n)
{
	char *p;

	if ((p = aalloc(head, n + 1)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/*
 * A key as it may appear inside a one-line message: at most EXCERPT_MAX
 * bytes cut on a character boundary, control characters shown as '?'.
 */
static const char *
excerpt(char *buf, size_t bufsz, const char *s, size_t n)
{
	size_t i, max = EXCERPT_MAX;
	unsigned char c;
	int cut = 0;

	if (max > bufsz - 4)
		max = bufsz - 4;
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		cut = 1;
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		buf[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
	}
	if (cut) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

static void
errpos(struct ctx *c, long line, long col, const char *fmt, ...)
{
	struct fo_err e;
	va_list ap;

	if (c->stop)
		return;
	e.file = c->name;
	e.line = line;
	e.col = col;
	if (c->errs->n - c->errs0 >= MAX_ERRORS) {
		snprintf(e.msg, sizeof e.msg, "too many errors, giving up");
		c->stop = 1;
	} else {
		va_start(ap, fmt);
		vsnprintf(e.msg, sizeof e.msg, fmt, ap);
		va_end(ap);
	}
	if (fo_errs_add(c->errs, &e) != FO_OK) {
		c->oom = 1;
		c->stop = 1;
	}
}

#define MLINE(m)	((long)(m).line + 1)
#define MCOL(m)		((long)(m).column + 1)

/*
 * Line and column of a byte offset, counted the way libyaml counts its
 * marks: characters, with CR LF, CR, LF, NEL, LS and PS as line breaks.
 */
static void
offset_pos(const char *s, size_t n, size_t off, long *linep, long *colp)
{
	const unsigned char *p = (const unsigned char *)s;
	long line = 1, col = 1;
	size_t i = 0, w;

	if (off > n)
		off = n;
	while (i < off) {
		w = 0;
		if (p[i] == '\r' && i + 1 < off && p[i + 1] == '\n')
			w = 2;
		else if (p[i] == '\n' || p[i] == '\r')
			w = 1;
		else if (p[i] == 0xC2 && i + 1 < off && p[i + 1] == 0x85)
			w = 2;
		else if (p[i] == 0xE2 && i + 2 < off && p[i + 1] == 0x80 &&
		    (p[i + 2] == 0xA8 || p[i + 2] == 0xA9))
			w = 3;
		if (w > 0) {
			line++;
			col = 1;
			i += w;
			continue;
		}
		if ((p[i] & 0xC0) != 0x80)
			col++;
		i++;
	}
	*linep = line;
	*colp = col;
}

/* The byte at a libyaml mark, whose index counts characters. */
static int
byte_at(const char *s, size_t n, size_t index)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (k++ == index)
			return (unsigned char)s[i];
	}
	return -1;
}

static void
parser_error(struct ctx *c, const yaml_parser_t *yp)
{
	const char *problem = yp->problem ? yp->problem : "syntax error";
	const char *hint = "";
	long line, col;
	int v = yp->problem_value;

	switch (yp->error) {
	case YAML_MEMORY_ERROR:
		c->oom = 1;
		break;
	case YAML_READER_ERROR:
		offset_pos(c->s, c->n, yp->problem_offset, &line, &col);
		if (v == -1)
			errpos(c, line, col, "%s", problem);
		else if (strstr(problem, "octet") != NULL)
			errpos(c, line, col, "%s 0x%02X", problem, (unsigned)v);
		else
			errpos(c, line, col, "%s (U+%04X)", problem,
			    (unsigned)v);
		break;
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
		line = MLINE(yp->problem_mark);
		col = MCOL(yp->problem_mark);
		/* libyaml does not say why a tab cannot start a token. */
		if (yp->error == YAML_SCANNER_ERROR &&
		    strstr(problem, "tab") == NULL &&
		    byte_at(c->s, c->n, yp->problem_mark.index) == '\t')
			hint = "; a tab: YAML indents with spaces";
		if (yp->context == NULL)
			errpos(c, line, col, "%s%s", problem, hint);
		else if (yp->context_mark.index == yp->problem_mark.index)
			errpos(c, line, col, "%s (%s%s)", problem,
			    yp->context, hint);
		else
			errpos(c, line, col, "%s (%s at %ld:%ld%s)", problem,
			    yp->context, MLINE(yp->context_mark),
			    MCOL(yp->context_mark), hint);
		break;
	default:
		errpos(c, 0, 0, "libyaml error %d: %s", (int)yp->error,
		    problem);
		break;
	}
	c->stop = 1;
}

static uint64_t
key_hash(const char *s, size_t n, size_t mapid)
{
	uint64_t h = fo_fnv1a(FO_FNV_BASIS, s, n);

	h ^= (uint64_t)mapid * 0x9E3779B97F4A7C15ULL;
	h ^= h >> 29;
	return h;
}

static int
keys_grow(struct ctx *c)
{
	struct kslot *v, *o;
	size_t cap, i, j;

	cap = c->capkeys ? c->capkeys * 2 : 64;
	if ((v = calloc(cap, sizeof *v)) == NULL)
		return -1;
	for (i = 0; i < c->capkeys; i++) {
		o = &c->keys[i];
		if (o->key == NULL)
			continue;
		for (j = o->hash & (cap - 1); v[j].key != NULL;
		    j = (j + 1) & (cap - 1))
			;
		v[j] = *o;
	}
	free(c->keys);
	c->keys = v;
	c->capkeys = cap;
	return 0;
}

/* Report key if its mapping already has one with the same text. */
static void
check_dup(struct ctx *c, size_t mapid, const struct fo_ynode *key)
{
	struct kslot *k;
	uint64_t h;
	size_t j;
	char buf[EXCERPT_MAX + 8];

	if (c->nkeys * 2 >= c->capkeys && keys_grow(c) == -1) {
		c->oom = c->stop = 1;
		return;
	}
	h = key_hash(key->str, key->len, mapid);
	for (j = h & (c->capkeys - 1); (k = &c->keys[j])->key != NULL;
	    j = (j + 1) & (c->capkeys - 1)) {
		if (k->hash == h && k->mapid == mapid &&
		    k->key->len == key->len &&
		    memcmp(k->key->str, key->str, key->len) == 0) {
			errpos(c, key->line, key->col, "duplicate key '%s'",
			    excerpt(buf, sizeof buf, key->str, key->len));
			return;
		}
	}
	k->key = key;
	k->mapid = mapid;
	k->hash = h;
	c->nkeys++;
}

static struct fo_ynode *
new_node(struct ctx *c, enum fo_ytype type, const yaml_mark_t *m)
{
	struct fo_ynode *y;

	if ((y = aalloc(&c->arena, sizeof *y)) == NULL) {
		c->oom = c->stop = 1;
		return NULL;
	}
	memset(y, 0, sizeof *y);
	y->type = type;
	y->line = MLINE(*m);
	y->col = MCOL(*m);
	return y;
}

/* Hang a new node under the open collection, or make it the root. */
static void
attach(struct ctx *c, struct fo_ynode *y, int checkdup)
{
	struct frame *f;
	struct fo_ynode **v;
	size_t cap;

	if (c->depth == 0) {
		if (c->root == NULL)
			c->root = y;
		return;
	}
	f = &c->stack[c->depth - 1];
	if (f->node->type == FO_Y_MAP && f->n % 2 == 0) {
		if (y->type != FO_Y_SCALAR)
			errpos(c, y->line, y->col,
			    "mapping key must be a scalar");
		else if (checkdup)
			check_dup(c, f->mapid, y);
	}
	if (f->n == f->cap) {
		cap = f->cap ? f->cap * 2 : 8;
		if ((v = realloc(f->v, cap * sizeof *v)) == NULL) {
			c->oom = c->stop = 1;
			return;
		}
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n++] = y;
}

static void
properties(struct ctx *c, const yaml_mark_t *m, const yaml_char_t *anchor,
    const yaml_char_t *tag)
{
	if (anchor != NULL)
		errpos(c, MLINE(*m), MCOL(*m),
		    "anchors and aliases are not allowed");
	if (tag != NULL)
		errpos(c, MLINE(*m), MCOL(*m), "tags are not allowed");
}

static void
open_collection(struct ctx *c, enum fo_ytype type, const yaml_mark_t *m,
    const yaml_char_t *anchor, const yaml_char_t *tag)
{
	struct fo_ynode *y;
	struct frame *f;

	/* Stop here: the rest of a hostile file is not worth reading. */
	if (c->depth == FO_YAML_MAX_DEPTH) {
		errpos(c, MLINE(*m), MCOL(*m), "nesting deeper than %d",
		    FO_YAML_MAX_DEPTH);
		c->stop = 1;
		return;
	}
	properties(c, m, anchor, tag);
	if ((y = new_node(c, type, m)) == NULL)
		return;
	attach(c, y, 1);
	f = &c->stack[c->depth++];
	f->node = y;
	f->n = 0;
	f->mapid = type == FO_Y_MAP ? ++c->nmap : 0;
}

static void
close_collection(struct ctx *c)
{
	struct frame *f;

	if (c->depth == 0)
		return;
	f = &c->stack[--c->depth];
	if (f->n > 0) {
		f->node->kid = aalloc(&c->arena, f->n * sizeof *f->v);
		if (f->node->kid == NULL) {
			c->oom = c->stop = 1;
			return;
		}
		memcpy(f->node->kid, f->v, f->n * sizeof *f->v);
	}
	f->node->n = f->n;
	f->n = 0;
}

static void
on_event(struct ctx *c, const yaml_event_t *ev)
{
	const yaml_mark_t *m = &ev->start_mark;
	struct fo_ynode *y;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (c->ndoc++ > 0) {
			errpos(c, MLINE(*m), MCOL(*m),
			    "only one document allowed");
			c->stop = 1;
		}
		break;
	case YAML_ALIAS_EVENT:
		errpos(c, MLINE(*m), MCOL(*m),
		    "anchors and aliases are not allowed");
		/* A stand-in keeps the mapping's keys and values paired. */
		if ((y = new_node(c, FO_Y_SCALAR, m)) == NULL)
			break;
		if ((y->str = astrdup(&c->arena, "", 0)) == NULL) {
			c->oom = c->stop = 1;
			break;
		}
		attach(c, y, 0);
		break;
	case YAML_SCALAR_EVENT:
		properties(c, m, ev->data.scalar.anchor, ev->data.scalar.tag);
		if ((y = new_node(c, FO_Y_SCALAR, m)) == NULL)
			break;
		y->str = astrdup(&c->arena, (const char *)ev->data.scalar.value,
		    ev->data.scalar.length);
		if (y->str == NULL) {
			c->oom = c->stop = 1;
			break;
		}
		y->len = ev->data.scalar.length;
		y->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		attach(c, y, 1);
		break;
	case YAML_SEQUENCE_START_EVENT:
		open_collection(c, FO_Y_SEQ, m, ev->data.sequence_start.anchor,
		    ev->data.sequence_start.tag);
		break;
	case YAML_MAPPING_START_EVENT:
		open_collection(c, FO_Y_MAP, m, ev->data.mapping_start.anchor,
		    ev->data.mapping_start.tag);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		close_collection(c);
		break;
	default:
		break;
	}
}

/* Out of memory: said once, as every load says it. */
static int
no_memory(const char *name, struct fo_errs *errs)
{
	fo_errs_addf(errs, name, 0, 0, "%s", strerror(ENOMEM));
	errno = ENOMEM;
	return FO_ENOMEM;
}

/* A document in the arena, named as the caller named the file; NULL
 * when memory runs out. */
static struct fo_ydoc *
doc_new(struct ablock **arena, const char *name)
{
	struct fo_ydoc *doc;

	if ((doc = aalloc(arena, sizeof *doc)) == NULL)
		return NULL;
	memset(doc, 0, sizeof *doc);
	if (name != NULL && (doc->file = astrdup(arena, name,
	    strlen(name))) == NULL)
		return NULL;
	return doc;
}

static int
parse(const char *name, const char *s, size_t n, struct fo_ydoc **docp,
    struct fo_errs *errs)
{
	struct ctx c;
	struct fo_ydoc *doc;
	yaml_parser_t yp;
	yaml_event_t ev;
	int i, end;

	memset(&c, 0, sizeof c);
	c.name = name;
	c.errs = errs;
	c.errs0 = errs->n;
	if (s == NULL)
		s = "";
	/*
	 * Drop a UTF-8 byte order mark here: forced to UTF-8, libyaml
	 * would count it as a character and shift the first line's columns.
	 */
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		n -= 3;
	} else if (n >= 2 && (memcmp(s, "\xFF\xFE", 2) == 0 ||
	    memcmp(s, "\xFE\xFF", 2) == 0)) {
		errpos(&c, 1, 1, "UTF-16 is not supported; save as UTF-8");
		return c.oom ? FO_ENOMEM : FO_ERR;
	}
	c.s = s;
	c.n = n;

	if (!yaml_parser_initialize(&yp))
		return no_memory(name, errs);
	yaml_parser_set_input_string(&yp, (const unsigned char *)s, n);
	yaml_parser_set_encoding(&yp, YAML_UTF8_ENCODING);
	while (!c.stop) {
		if (!yaml_parser_parse(&yp, &ev)) {
			parser_error(&c, &yp);
			break;
		}
		end = ev.type == YAML_STREAM_END_EVENT;
		on_event(&c, &ev);
		yaml_event_delete(&ev);
		if (end)
			break;
	}
	yaml_parser_delete(&yp);
	for (i = 0; i < FO_YAML_MAX_DEPTH; i++)
		free(c.stack[i].v);
	free(c.keys);

	doc = NULL;
	if (!c.oom && errs->n == c.errs0 &&
	    (doc = doc_new(&c.arena, name)) == NULL)
		c.oom = 1;
	if (c.oom) {
		afree(c.arena);
		return no_memory(name, errs);
	}
	if (errs->n > c.errs0) {
		afree(c.arena);
		return FO_ERR;
	}
	/* "---" and nothing else is as empty as an empty file. */
	if (c.root != NULL && c.root->type == FO_Y_SCALAR && c.root->plain &&
	    c.root->len == 0)
		c.root = NULL;
	doc->root = c.root;
	doc->arena = c.arena;
	*docp = doc;
	return FO_OK;
}

int fo_yaml_ahead = 1;

/* The file read ahead whose bytes these are, or NULL. */
static const struct fo_yahead *
ahead_find(const char *s, size_t n)
{
	const struct fo_yahead *a;

	if (!fo_yaml_ahead)
		return NULL;
	for (a = fo_yahead; a->text != NULL; a++)
		if (a->len == n && memcmp(a->text, s, n) == 0)
			return a;
	return NULL;
}

/*
 * The tree parse() makes of a's bytes, from the table: the same nodes,
 * positions and texts, in an arena of the document's own as parse()'s
 * are (the texts copied: they are the document's to keep).
 */
static int
ahead_load(const char *name, const struct fo_yahead *a,
    struct fo_ydoc **docp, struct fo_errs *errs)
{
	struct ablock *arena = NULL;
	struct fo_ydoc *doc;
	struct fo_ynode *nd = NULL, **at = NULL;
	const struct fo_yanode *y;
	char *strs = NULL;
	size_t i;

	if ((doc = doc_new(&arena, name)) == NULL ||
	    (a->nnode > 0 && ((nd = aalloc(&arena, a->nnode * sizeof *nd)) ==
	    NULL || (at = aalloc(&arena, a->nnode * sizeof *at)) == NULL)) ||
	    (a->strslen > 0 && (strs = aalloc(&arena, a->strslen)) == NULL)) {
		afree(arena);
		return no_memory(name, errs);
	}
	if (a->strslen > 0)
		memcpy(strs, a->strs, a->strslen);
	/* at[] serves every collection its kids: they are consecutive */
	for (i = 0; i < a->nnode; i++) {
		y = &a->node[i];
		at[i] = &nd[i];
		nd[i].type = (enum fo_ytype)y->type;
		nd[i].line = y->line;
		nd[i].col = y->col;
		nd[i].str = y->type == FO_Y_SCALAR ? strs + y->str : NULL;
		nd[i].len = y->len;
		nd[i].plain = y->plain;
		nd[i].kid = y->n > 0 ? at + y->kid : NULL;
		nd[i].n = y->n;
	}
	doc->root = a->nnode > 0 ? &nd[0] : NULL;
	doc->arena = arena;
	*docp = doc;
	return FO_OK;
}

/* The file's tree: read ahead if these are its bytes, else parsed. */
static int
load(const char *name, const char *s, size_t n, struct fo_ydoc **docp,
    struct fo_errs *errs)
{
	const struct fo_yahead *a;

	if ((a = ahead_find(s, n)) != NULL)
		return ahead_load(name, a, docp, errs);
	return parse(name, s, n, docp, errs);
}

static int
too_big(const char *name, struct fo_errs *errs)
{
	if (fo_errs_addf(errs, name, 0, 0, "file larger than %d bytes",
	    FO_YAML_MAX_BYTES) != FO_OK)
		return FO_ENOMEM;
	return FO_ERR;
}

static int
io_error(const char *path, struct fo_errs *errs)
{
	int saved = errno;

	fo_errs_addf(errs, path, 0, 0, "%s", strerror(saved));
	errno = saved;
	return FO_EIO;
}

int
fo_yaml_load(const char *path, struct fo_ydoc **docp, struct fo_errs *errs)
{
	struct fo_buf b = { 0 };
	int rc;

	*docp = NULL;
	switch (fo_buf_slurp(&b, path, FO_YAML_MAX_BYTES)) {
	case FO_OK:
		break;
	case FO_ERR:
		fo_buf_free(&b);
		return too_big(path, errs);
	default:
		fo_buf_free(&b);
		return io_error(path, errs);
	}
	rc = load(path, b.p, b.n, docp, errs);
	fo_buf_free(&b);
	return rc;
}

int
fo_yaml_load_mem(const char *name, const char *s, size_t n,
    struct fo_ydoc **docp, struct fo_errs *errs)
{
	*docp = NULL;
	if (n > FO_YAML_MAX_BYTES)
		return too_big(name, errs);
	return load(name, s, n, docp, errs);
}

void
fo_yaml_free(struct fo_ydoc *doc)
{
	/* The document lives in its own arena: read the head first. */
	if (doc != NULL)
		afree(doc->arena);
}

const struct fo_ynode *
fo_ymap_get(const struct fo_ynode *map, const char *key)
{
	const struct fo_ynode *k;
	size_t i, len;

	if (map == NULL || map->type != FO_Y_MAP || key == NULL)
		return NULL;
	len = strlen(key);
	for (i = 0; i + 1 < map->n; i += 2) {
		k = map->kid[i];
		if (k->type == FO_Y_SCALAR && k->len == len &&
		    memcmp(k->str, key, len) == 0)
			return map->kid[i + 1];
	}
	return NULL;
}

/* Optimal string alignment distance: a swap of two letters costs 1. */
static size_t
edit_distance(const char *a, size_t na, const char *b, size_t nb)
{
	size_t d[3][SUGGEST_MAX + 1], *prev2, *prev, *cur, *t;
	size_t i, j, v;

	prev2 = d[0];
	prev = d[1];
	cur = d[2];
	for (j = 0; j <= nb; j++)
		prev[j] = j;
	for (i = 1; i <= na; i++) {
		cur[0] = i;
		for (j = 1; j <= nb; j++) {
			v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[nb];
}

/*
 * The allowed key nearest to an unknown one, if within 2 edits and
 * sharing at least a character with it ("x" is not a typo of "id").
 */
static const char *
suggest(const struct fo_ynode *key, const char *const *allowed)
{
	const char *best = NULL;
	size_t i, len, d, bestd = 3;

	if (key->len > SUGGEST_MAX)
		return NULL;
	for (i = 0; allowed[i] != NULL; i++) {
		len = strlen(allowed[i]);
		if (len > SUGGEST_MAX || len + 2 < key->len ||
		    key->len + 2 < len)
			continue;
		d = edit_distance(key->str, key->len, allowed[i], len);
		if (d < bestd && d < len) {
			best = allowed[i];
			bestd = d;
		}
	}
	return best;
}

int
fo_ymap_check(const struct fo_ynode *map, const char *const *allowed,
    const char *what, const char *file, struct fo_errs *errs)
{
	const struct fo_ynode *k;
	const char *near;
	char buf[EXCERPT_MAX + 8];
	size_t i, j;
	int count = 0;

	if (map == NULL || map->type != FO_Y_MAP) {
		fo_errs_addf(errs, file, map ? map->line : 0,
		    map ? map->col : 0, "%s must be a mapping", what);
		return 1;
	}
	for (i = 0; i + 1 < map->n; i += 2) {
		k = map->kid[i];
		if (k->type != FO_Y_SCALAR)
			continue;	/* the loader refused these already */
		for (j = 0; allowed[j] != NULL; j++)
			if (fo_named(allowed[j], k->str, k->len))
				break;
		if (allowed[j] != NULL)
			continue;
		excerpt(buf, sizeof buf, k->str, k->len);
		if ((near = suggest(k, allowed)) != NULL)
			fo_errs_addf(errs, file, k->line, k->col,
			    "unknown key '%s' in %s (did you mean '%s'?)",
			    buf, what, near);
		else
			fo_errs_addf(errs, file, k->line, k->col,
			    "unknown key '%s' in %s", buf, what);
		count++;
	}
	return count;
}

const char *
fo_yscalar(const struct fo_ynode *y)
{
	return y && y->type == FO_Y_SCALAR ? y->str : NULL;
}

int
fo_yname_ok(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

void
fo_yerr(struct fo_errs *errs, const char *file, const struct fo_ynode *y,
    const char *fmt, const char *arg)
{
	fo_errs_addf(errs, file, y ? y->line : 0, y ? y->col : 0, fmt, arg);
}

int
fo_ywhole(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	/* no sign but a minus, no space: strtol would take " +5" */
	if (s == NULL || !(isdigit((unsigned char)*s) ||
	    (*s == '-' && isdigit((unsigned char)s[1]))))
		return FO_ERR;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno || v < lo || v > hi)
		return FO_ERR;
	*out = v;
	return FO_OK;
}
