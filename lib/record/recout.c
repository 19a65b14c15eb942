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

int
fo_rec_write(const struct fo_rec *r, const struct fo_kv *kv, size_t n,
    struct fo_buf *out)
{
	struct slot stack[32], *slot = stack;
	struct fo_span root = fo_rec_span(r, 0), v;
	size_t i, ns = 0, at, close, nroot, klen[64], kn;
	uint64_t there = 0;	/* kv[i] is in the record (the first 64) */
	int t, added;

	if (n > 32 && (slot = malloc(n * sizeof *slot)) == NULL)
		return FO_ENOMEM;
	for (i = 0; i < n; i++) {
		/* each key's length once, for its lookup and its writing */
		kn = strlen(kv[i].key);
		if (i < 64)
			klen[i] = kn;
		if ((t = fo_rec_member(r, 0, kv[i].key, kn)) < 0)
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
		fo_json_str(out, kv[i].key, i < 64 ? klen[i] :
		    strlen(kv[i].key));
		fo_buf_putc(out, ':');
		fo_buf_put(out, kv[i].val, kv[i].vlen);
	}
	fo_buf_put(out, r->text + close, r->len - close);
	if (slot != stack)
		free(slot);
	return out->oom ? FO_ENOMEM : FO_OK;
}
