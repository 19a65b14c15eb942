/*
 * recout.c - a record written back with some keys set: a key already
 * there keeps its place and takes the new value, a new key goes at the
 * end, and every other byte of the line is copied as it was read. A stage
 * never re-serialises what it did not change, and running it twice gives
 * the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

struct slot {
	size_t start, end;	/* the value's bytes in the line */
	size_t kv;		/* which fo_kv */
};

/* In the order of the line: a stage sets a handful of keys, so an
 * insertion sort, without qsort's calls through a pointer. */
static void
by_start(struct slot *s, size_t n)
{
	struct slot x;
	size_t i, j;

	for (i = 1; i < n; i++) {
		x = s[i];
		for (j = i; j > 0 && s[j - 1].start > x.start; j--)
			s[j] = s[j - 1];
		s[j] = x;
	}
}

/*
 * The keys a stage writes are the same few string constants, record
 * after record: each is measured, hashed and written as JSON once, and
 * known again by its address. Its bytes are compared as well (strncmp,
 * then its end), so a key in a buffer that now holds another name is
 * never taken for the name before: it is measured again, in its slot.
 * A key is looked for in KEYPROBE slots from its address's own; when
 * all of them hold other keys it is not kept (the entries an
 * fo_rec_write holds stay valid to its end), and is measured each
 * time, as every key was before.
 */
#define KEYSLOTS	64	/* a power of two */
#define KEYPROBE	8

struct outkey {
	const char *p;		/* the caller's string */
	size_t n;		/* its length */
	uint32_t h;		/* fo_rec_keyhash */
	int fid;		/* fo_field_id, or -1 */
	size_t qn;		/* its JSON text's length */
	char *text;		/* its n bytes and a NUL, then its JSON text */
};

static struct outkey outkeys[KEYSLOTS];

/* Key p's entry, or NULL when there is no memory for it. */
static const struct outkey *
outkey(const char *p)
{
	size_t at = (size_t)(((uintptr_t)p * UINT64_C(0x9e3779b97f4a7c15)) >>
	    58) & (KEYSLOTS - 1), i;
	struct outkey *k, *free_k = NULL;
	struct fo_buf q = { 0 };
	char *t;
	size_t n;

	for (i = 0; i < KEYPROBE; i++) {
		k = &outkeys[(at + i) & (KEYSLOTS - 1)];
		if (k->p == p && strncmp(k->text, p, k->n) == 0 &&
		    p[k->n] == '\0')
			return k;
		if (k->p == p || (k->p == NULL && free_k == NULL))
			free_k = k;
	}
	/* every slot near holds another key, which a caller may be using:
	 * this one is not kept */
	if ((k = free_k) == NULL)
		return NULL;
	n = strlen(p);
	fo_json_str(&q, p, n);
	if (q.oom || (t = malloc(n + 1 + q.n)) == NULL) {
		fo_buf_free(&q);
		return NULL;
	}
	memcpy(t, p, n + 1);
	memcpy(t + n + 1, q.p, q.n);
	free(k->text);
	k->p = p;
	k->n = n;
	k->h = fo_rec_keyhash(p, n);
	k->fid = fo_field_id(p, n);
	k->qn = q.n;
	k->text = t;
	fo_buf_free(&q);
	return k;
}

int
fo_rec_write(const struct fo_rec *r, const struct fo_kv *kv, size_t n,
    struct fo_buf *out)
{
	struct slot stack[32], *slot = stack;
	struct fo_span root = fo_rec_span(r, 0), v;
	const struct outkey *ok[64], *k;
	size_t i, ns = 0, at, close, nroot;
	uint64_t there = 0;	/* kv[i] is in the record (the first 64) */
	int t, added;

	if (n > 32 && (slot = malloc(n * sizeof *slot)) == NULL)
		return FO_ENOMEM;
	for (i = 0; i < n; i++) {
		k = i < 64 ? outkey(kv[i].key) : NULL;
		if (i < 64)
			ok[i] = k;
		/* a numbered field of a walked line: its stamp, not a
		 * lookup (a stage that asks few fields has no walk, and
		 * asking for a field would make one) */
		if ((t = k == NULL ? fo_rec_find(r, kv[i].key) : k->fid >= 0 &&
		    fo_rec_walked(r) ? fo_rec_field(r, k->fid) :
		    fo_rec_root(r, kv[i].key, k->n, k->h)) < 0)
			continue;
		if (i < 64)
			there |= 1ULL << i;
		v = fo_rec_span(r, t);
		slot[ns].start = (size_t)(v.p - r->text);
		slot[ns].end = slot[ns].start + v.n;
		if (fo_rec_type(r, t) == FO_J_STRING) {	/* with its quotes */
			slot[ns].start--;
			slot[ns].end++;
		}
		slot[ns++].kv = i;
	}
	by_start(slot, ns);
	at = 0;
	for (i = 0; i < ns; i++) {
		fo_buf_put(out, r->text + at, slot[i].start - at);
		fo_buf_put(out, kv[slot[i].kv].val, kv[slot[i].kv].vlen);
		at = slot[i].end;
	}
	/* the new keys go just before the root object's closing brace */
	close = (size_t)(root.p - r->text) + root.n - 1;
	fo_buf_put(out, r->text + at, close - at);
	nroot = fo_rec_size(r, 0);
	for (i = 0, added = 0; i < n; i++) {
		if (i < 64 ? there >> i & 1 : fo_rec_find(r, kv[i].key) >= 0)
			continue;
		if (nroot > 0 || added++ > 0)
			fo_buf_putc(out, ',');
		if (i < 64 && ok[i] != NULL)
			fo_buf_put(out, ok[i]->text + ok[i]->n + 1, ok[i]->qn);
		else
			fo_json_str(out, kv[i].key, strlen(kv[i].key));
		fo_buf_putc(out, ':');
		fo_buf_put(out, kv[i].val, kv[i].vlen);
	}
	fo_buf_put(out, r->text + close, r->len - close);
	if (slot != stack)
		free(slot);
	return out->oom ? FO_ENOMEM : FO_OK;
}
