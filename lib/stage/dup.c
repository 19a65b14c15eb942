/*
 * dup.c - duplicate invoice suspects (domain.md section 6).
 *
 * The index holds each invoice in a fixed-size entry of 36 bytes: its
 * amount, date, currency and entity, and hashes of its normalised
 * number, of that number read with OCR look-alikes as digits, of its id
 * and of its document. The texts themselves (id, normalised number,
 * doc_id) go to a temporary file, read back only when a hash says two
 * invoices may be alike: every finding is checked against the texts, so
 * a hash collision never makes a duplicate, and the memory an invoice
 * costs is its entry (fo-classify(1), DUPLICATES). A vendor's invoices
 * lie together, in blocks of 1, 2, 4 and then 8 entries linked newest
 * to oldest, found through a hash table of vendors, so a check reads
 * the vendor's own invoices, a few cache lines in a row, and no more.
 * With match_bank a second table maps each IBAN to the invoices paid to
 * it, for two vendors that share a bank account.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"

#define REUSE_DAYS	300	/* the same number this far apart is reused */
#define EDIT_MIN	4	/* shorter numbers are one edit from too many */
#define BLOCK_SIZE	65536	/* arena block; longer strings get their own */
#define NONE_FOUND	UINT32_MAX	/* a word the index has never seen */
#define POOL_SHIFT	16	/* a pool chunk: 2^16 words of 4 bytes */
#define POOL_WORDS	(1u << POOL_SHIFT)
#define ENT_WORDS	9	/* sizeof (struct ent) / 4 */
#define BLK_LOG		3	/* a vendor's blocks: 1, 2, 4 entries, */
#define BLK_MAX		(1u << BLK_LOG)	/* then this many */
#define KEY_LONG	255	/* a vendor id this long or more: in the arena */
#define SPILL_BUF	65536	/* texts not yet written */
#define NLEN_LONG	255	/* a stored length this or more: read it */
#define F_AMOUNT	1
#define F_DATE		2
#define FNV32_BASIS	2166136261u
#define FNV32_PRIME	16777619u

/* How two amounts compare. */
enum amt { AMT_UNKNOWN, AMT_DIFFER, AMT_NEAR, AMT_SAME };

/*
 * One indexed invoice: 36 bytes. Its place in the spill is also its
 * place in arrival: offsets only grow. The id's and doc_id's hashes are
 * 16 bits: they are checked on every entry a check reads, and one entry
 * in 65,536 that passes them for nothing costs one read of its texts.
 */
struct ent {
	uint32_t amt[2];	/* amount, low and high halves */
	uint32_t off;		/* its texts in the spill: low 32 bits */
	uint16_t offhi;		/* and high 16 */
	uint8_t nlen;		/* number's length; NLEN_LONG: or more */
	uint8_t flags;		/* F_AMOUNT, F_DATE */
	uint32_t nhash;		/* of the normalised number */
	uint32_t lhash;		/* of it with look-alikes read as digits */
	int32_t date;
	uint32_t pair;		/* its currency and entity (struct pair) */
	uint16_t idh;		/* of the id */
	uint16_t doc;		/* of the doc_id, | 1; 0 none */
};
_Static_assert(sizeof(struct ent) == ENT_WORDS * 4, "struct ent: 36 bytes");

struct pair {			/* word indexes + 1, 0 none */
	uint32_t cur, entity;
};

struct ref {			/* an invoice paid to an IBAN */
	uint32_t vendor, ent;	/* their words in the pool */
};

struct group {			/* an IBAN or a word */
	const char *key;	/* in the arena */
	uint64_t h;
	void *v;		/* IBAN: struct ref[] */
	uint32_t n, cap;
};

struct table {
	struct group *g;	/* in the order added */
	uint32_t n, cap;
	uint32_t *slot;		/* group index + 1, 0 empty; power of two */
	uint32_t nslot;
};

struct block {
	struct block *next;
	size_t used, cap;
	char p[];
};

struct text {			/* an entry's texts, read back */
	const char *id, *norm, *doc;
	size_t idlen, nlen, doclen;
};

/*
 * The vendors and their entries are in a pool of 4-byte words, named by
 * a word's number (0 none) and never moved: a vendor is a head, its
 * invoice count, the number of its newest block and its id, and its
 * first invoice after that; its next invoices go to blocks of 2, 4 and
 * then BLK_MAX entries, each behind the number of the block before it.
 * A block fills from its end, so that the walk from the newest invoice
 * to the oldest reads forward. A vendor of one invoice costs its head
 * and its entry, 52 bytes with a short id; a vendor of many, about half
 * a block more than its entries.
 */
struct vtab {			/* the vendors: heads' word numbers */
	uint32_t *slot;		/* 0 empty; a power of two, at most half full */
	uint32_t n, nslot;
};

struct fo_dup {
	struct fo_dup_params p;
	struct vtab vendors;
	struct table ibans;
	struct table words;	/* currencies and entities */
	struct pair *pairs;	/* currency and entity pairs */
	uint32_t npair, cappair, *pslot, npslot;
	uint32_t **pool;	/* POOL_WORDS words a chunk */
	uint32_t npool;
	uint32_t top;		/* the pool's next free word */
	struct block *arena;
	size_t count, bytes;
	char *scratch;		/* the normalised number being checked */
	size_t scap;
	int spill;		/* the texts' temporary file, -1 none yet */
	uint64_t spilled;	/* bytes written to it */
	char *wbuf;		/* the texts after them */
	size_t wn;
	char *rbuf;		/* one entry's texts, read back */
	size_t rcap;
	char *of;		/* the id a match names */
	size_t ofcap;
	int ioerr;		/* the spill's errno (ENOMEM: memory); 0 */
};

struct cand {			/* the invoice being checked */
	uint16_t doc;		/* hash of the doc_id | 1; 0 none */
	const char *id, *docid;
	size_t idlen, doclen;
	const char *vendor, *raw, *norm, *enttext;
	size_t vlen, rawlen, nlen, entlen, ibanlen;
	uint32_t nhash, lhash;
	uint16_t idh;
	int64_t amount;
	int32_t date;
	int has_amount, has_date;
	uint32_t cur, entity;	/* word index + 1, 0 none, or NONE_FOUND */
	uint32_t vendor_head;	/* in the pool; 0 none yet */
	const char *curtext;	/* upper case, NUL-terminated, or NULL */
	char curbuf[16];
	char iban[48];		/* without spaces, upper case; "" none */
};

struct best {
	enum fo_dup_evidence ev;
	int score;
	enum amt amt;
	const struct ent *e;
	uint32_t vendor;	/* the entry's vendor's head */
};

static int
isspace_ascii(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\v' || c == '\f';
}

static int
upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
isdigit_ascii(int c)
{
	return c >= '0' && c <= '9';
}

/* s trimmed of ASCII white space; *n its length. NULL gives "". */
static const char *
trim(const char *s, size_t *n)
{
	size_t len;

	if (s == NULL) {
		*n = 0;
		return "";
	}
	while (isspace_ascii((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace_ascii((unsigned char)s[len - 1]))
		len--;
	*n = len;
	return s;
}

/* Case-insensitive: whether s begins with the lower-case word w. */
static int
begins(const char *s, const char *w)
{
	size_t j;

	for (j = 0; w[j] != '\0'; j++)
		if (s[j] == '\0' || lower((unsigned char)s[j]) != w[j])
			return 0;
	return 1;
}

/* Case-insensitive: whether s contains "void", "cancel" or "revers",
 * in one pass (each record's status is asked). */
static int
cancelled(const char *s)
{
	int c;

	for (; *s != '\0'; s++)
		if (((c = lower((unsigned char)*s)) == 'v' &&
		    begins(s, "void")) || (c == 'c' && begins(s, "cancel")) ||
		    (c == 'r' && begins(s, "revers")))
			return 1;
	return 0;
}

static int
eq_nocase(const char *s, size_t n, const char *w)
{
	size_t i;

	if (strlen(w) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)s[i]) != w[i])
			return 0;
	return 1;
}

/*
 * Never a suspect and never indexed: credit memos (they pair with the
 * invoice they credit), documents that are not invoices at all (a
 * payment of an invoice has its amount), and voided, cancelled or
 * reversed documents (one re-entered correctly is not its own double).
 * A negative amount alone is no exclusion: FBL1N shows invoices so.
 */
static int
excluded(const struct fo_dup_inv *inv)
{
	static const char *const types[] = {
		"credit_memo", "payment", "bank_line", "payment_status", NULL
	};
	const char *t;
	size_t i, n;

	if (inv->doc_type != NULL) {
		t = trim(inv->doc_type, &n);
		for (i = 0; types[i] != NULL; i++)
			if (eq_nocase(t, n, types[i]))
				return 1;
	}
	return inv->status != NULL && cancelled(inv->status);
}

size_t
fo_dup_norm(const char *doc_number, char *buf, size_t n)
{
	const char *s;
	size_t len, i, out = 0;
	int c;

	if (n == 0)
		return 0;
	s = trim(doc_number, &len);
	for (i = 0; i < len && out + 1 < n; i++) {
		c = upper((unsigned char)s[i]);
		if (c == ' ' || c == '-' || c == '/' || c == '.' || c == '#')
			continue;
		/* Leading zeros of the whole: "0-0042" is "42". */
		if (c == '0' && out == 0)
			continue;
		buf[out++] = (char)c;
	}
	buf[out] = '\0';
	return out;
}

/* Arena: strings are never freed one by one, only with the index. */
static char *
arena_alloc(struct fo_dup *d, size_t n)
{
	struct block *b = d->arena, *nb;
	size_t cap;

	if (b == NULL || b->cap - b->used < n) {
		cap = n > BLOCK_SIZE / 4 ? n : BLOCK_SIZE;
		if (cap > SIZE_MAX - sizeof *nb)
			return NULL;
		if ((nb = malloc(sizeof *nb + cap)) == NULL)
			return NULL;
		nb->used = 0;
		nb->cap = cap;
		d->bytes += sizeof *nb + cap;
		/* A big string's own block goes behind the current one. */
		if (b != NULL && cap != BLOCK_SIZE) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			d->arena = nb;
		}
		b = nb;
	}
	b->used += n;
	return b->p + b->used - n;
}

/* Grow *p (of *cap elements of size sz) to hold one more than n. */
static int
grow(struct fo_dup *d, void **p, uint32_t *cap, uint32_t n, size_t sz)
{
	uint32_t ncap;
	void *np;

	if (n < *cap)
		return FO_OK;
	if (*cap >= UINT32_MAX / 2)
		return FO_ENOMEM;
	ncap = *cap ? *cap * 2 : 1;
	if ((size_t)ncap > SIZE_MAX / sz)
		return FO_ENOMEM;
	if ((np = realloc(*p, ncap * sz)) == NULL)
		return FO_ENOMEM;
	d->bytes += (ncap - *cap) * sz;
	*p = np;
	*cap = ncap;
	return FO_OK;
}

/*
 * The two open-addressed tables (the IBAN and word groups, the vendors)
 * keep slots of 32-bit values, 0 for empty, in a power of two of them,
 * at most half full so that a probe ends soon.
 */

/* Put v into the first empty slot from hash h on. */
static void
slot_put(uint32_t *slot, uint32_t nslot, uint64_t h, uint32_t v)
{
	uint32_t i;

	for (i = (uint32_t)h & (nslot - 1); slot[i] != 0;
	    i = (i + 1) & (nslot - 1))
		;
	slot[i] = v;
}

/* Room for one more of n values in nslot slots: FO_OK with *ns NULL when
 * the slots serve as they are, else with *ns new zeroed slots, *nns of
 * them, for the caller to fill; FO_ENOMEM. */
static int
slots_grow(uint32_t n, uint32_t nslot, uint32_t **ns, uint32_t *nns)
{
	*ns = NULL;
	if ((n + 1) * 2 <= nslot)
		return FO_OK;
	if (nslot >= UINT32_MAX / 4)
		return FO_ENOMEM;
	*nns = nslot ? nslot * 2 : 16;
	if ((*ns = calloc(*nns, sizeof **ns)) == NULL)
		return FO_ENOMEM;
	return FO_OK;
}

/* The filled new slots in place of the old ones, their bytes counted. */
static void
slots_set(struct fo_dup *d, uint32_t **slot, uint32_t *nslot, uint32_t *ns,
    uint32_t nns)
{
	free(*slot);
	d->bytes += (size_t)(nns - *nslot) * sizeof *ns;
	*slot = ns;
	*nslot = nns;
}

/* Group index + 1 of key s, or 0. */
static uint32_t
tab_find(const struct table *t, const char *s, size_t n, uint64_t h)
{
	const struct group *g;
	uint32_t i, k;

	if (t->nslot == 0)
		return 0;
	for (i = (uint32_t)h & (t->nslot - 1); (k = t->slot[i]) != 0;
	    i = (i + 1) & (t->nslot - 1)) {
		g = &t->g[k - 1];
		if (g->h == h && strncmp(g->key, s, n) == 0 &&
		    g->key[n] == '\0')
			return k;
	}
	return 0;
}

/* Half full at most, so that a probe ends soon. */
static int
tab_rehash(struct fo_dup *d, struct table *t)
{
	uint32_t *slot, nslot, i;

	if (slots_grow(t->n, t->nslot, &slot, &nslot) != FO_OK)
		return FO_ENOMEM;
	if (slot == NULL)
		return FO_OK;
	for (i = 0; i < t->n; i++)
		slot_put(slot, nslot, t->g[i].h, i + 1);
	slots_set(d, &t->slot, &t->nslot, slot, nslot);
	return FO_OK;
}

/* Group index + 1 of key s, added if new; 0 for want of memory. */
static uint32_t
tab_add(struct fo_dup *d, struct table *t, const char *s, size_t n)
{
	struct group *g;
	uint64_t h = fo_fnv1a(FO_FNV_BASIS, s, n);
	uint32_t k;
	char *key;

	if ((k = tab_find(t, s, n, h)) != 0)
		return k;
	if (t->n >= UINT32_MAX - 1 || tab_rehash(d, t) != FO_OK ||
	    grow(d, (void **)&t->g, &t->cap, t->n, sizeof *t->g) != FO_OK ||
	    (key = arena_alloc(d, n + 1)) == NULL)
		return 0;
	memcpy(key, s, n);
	key[n] = '\0';
	g = &t->g[t->n];
	memset(g, 0, sizeof *g);
	g->key = key;
	g->h = h;
	slot_put(t->slot, t->nslot, h, ++t->n);
	return t->n;
}

static void
tab_free(struct table *t, int owns)
{
	uint32_t i;

	if (owns)
		for (i = 0; i < t->n; i++)
			free(t->g[i].v);
	free(t->g);
	free(t->slot);
}

/* ------------------------------------------------------------------ */
/* The pool: vendors and their blocks of entries */

static uint32_t *
at(const struct fo_dup *d, uint32_t w)
{
	return d->pool[w >> POOL_SHIFT] + (w & (POOL_WORDS - 1));
}

/* n words (n <= POOL_WORDS) that never move, in one chunk: the first
 * one's number, 0 for want of memory. The pool ends at 2^32 words
 * (16 GiB, some 400 million invoices). */
static uint32_t
pool_alloc(struct fo_dup *d, uint32_t n)
{
	uint64_t w = d->top;
	uint32_t **pool;

	if (w == 0)
		w = 1;		/* word 0 is none */
	if ((w & (POOL_WORDS - 1)) + n > POOL_WORDS)
		w = (w | (POOL_WORDS - 1)) + 1;
	if (w + n > UINT32_MAX)
		return 0;
	if ((w >> POOL_SHIFT) >= d->npool) {
		if ((pool = realloc(d->pool, (d->npool + 1) *
		    sizeof *pool)) == NULL)
			return 0;
		d->pool = pool;
		if ((pool[d->npool] = malloc(POOL_WORDS *
		    sizeof **pool)) == NULL)
			return 0;
		d->npool++;
		d->bytes += POOL_WORDS * sizeof **pool + sizeof *pool;
	}
	d->top = (uint32_t)(w + n);
	return (uint32_t)w;
}

/*
 * A vendor's head: word 0 the number of its newest block (its head
 * while it has one invoice), word 1 its invoice count, then a byte of
 * the id's length and the id, or KEY_LONG, a length of 4 bytes and a
 * pointer into the arena; then its first entry.
 */
static const char *
vkey(const uint32_t *v, size_t *n)
{
	const unsigned char *b = (const unsigned char *)(v + 2);
	const char *key;
	uint32_t len;

	if (b[0] < KEY_LONG) {
		*n = b[0];
		return (const char *)b + 1;
	}
	memcpy(&len, b + 1, sizeof len);
	memcpy(&key, b + 5, sizeof key);
	*n = len;
	return key;
}

/* The words of a head before its first entry. */
static uint32_t
vhead_words(size_t keylen)
{
	size_t bytes = keylen < KEY_LONG ? 1 + keylen : 5 + sizeof(char *);

	return 2 + (uint32_t)((bytes + 3) / 4);
}

static struct ent *
vfirst(const uint32_t *v)
{
	size_t n;

	vkey(v, &n);
	return (struct ent *)(v + vhead_words(n));
}

/* Block j of a vendor holds 1, 2, 4, then BLK_MAX entries. */
static uint32_t
blk_size(uint32_t j)
{
	return j < BLK_LOG ? 1u << j : BLK_MAX;
}

/* The newest block of a vendor of n invoices (n > 0), and *fill, the
 * entries it holds. */
static uint32_t
blk_newest(uint32_t n, uint32_t *fill)
{
	uint32_t j;

	if (n < BLK_MAX) {
		for (j = 0; (2u << j) <= n; j++)
			;
		*fill = n - ((1u << j) - 1);
		return j;
	}
	j = BLK_LOG - 1 + n / BLK_MAX;
	*fill = n - (BLK_MAX - 1 + (j - BLK_LOG) * BLK_MAX);
	return j;
}

static uint64_t
vhash(const char *s, size_t n)
{
	return fo_fnv1a(FO_FNV_BASIS, s, n);
}

/* The head of vendor s, 0 none. */
static uint32_t
vendor_find(const struct fo_dup *d, const char *s, size_t n)
{
	const struct vtab *t = &d->vendors;
	const char *key;
	uint32_t i, w;
	size_t len;

	if (t->nslot == 0)
		return 0;
	for (i = (uint32_t)vhash(s, n) & (t->nslot - 1); (w = t->slot[i]) !=
	    0; i = (i + 1) & (t->nslot - 1)) {
		key = vkey(at(d, w), &len);
		if (len == n && fo_same(key, s, n))
			return w;
	}
	return 0;
}

/* Half full at most, as the other tables. */
static int
vendor_rehash(struct fo_dup *d)
{
	struct vtab *t = &d->vendors;
	uint32_t *slot, nslot, i;
	const char *key;
	size_t len;

	if (slots_grow(t->n, t->nslot, &slot, &nslot) != FO_OK)
		return FO_ENOMEM;
	if (slot == NULL)
		return FO_OK;
	for (i = 0; i < t->nslot; i++) {
		if (t->slot[i] == 0)
			continue;
		key = vkey(at(d, t->slot[i]), &len);
		slot_put(slot, nslot, vhash(key, len), t->slot[i]);
	}
	slots_set(d, &t->slot, &t->nslot, slot, nslot);
	return FO_OK;
}

/* The head of vendor s, made (without invoices) if new; 0 for want of
 * memory. */
static uint32_t
vendor_add(struct fo_dup *d, const char *s, size_t n)
{
	struct vtab *t = &d->vendors;
	unsigned char *b;
	uint32_t w, len;
	uint32_t *v;
	char *key;

	if ((w = vendor_find(d, s, n)) != 0)
		return w;
	if (n > UINT32_MAX || t->n >= UINT32_MAX / 4 ||
	    vendor_rehash(d) != FO_OK)
		return 0;
	key = NULL;
	if (n >= KEY_LONG && (key = arena_alloc(d, n)) == NULL)
		return 0;
	if ((w = pool_alloc(d, vhead_words(n) + ENT_WORDS)) == 0)
		return 0;
	v = at(d, w);
	v[0] = w;
	v[1] = 0;
	b = (unsigned char *)(v + 2);
	if (key == NULL) {
		b[0] = (unsigned char)n;
		memcpy(b + 1, s, n);
	} else {
		memcpy(key, s, n);
		len = (uint32_t)n;
		b[0] = KEY_LONG;
		memcpy(b + 1, &len, sizeof len);
		memcpy(b + 5, &key, sizeof key);
	}
	slot_put(t->slot, t->nslot, vhash(s, n), w);
	t->n++;
	return w;
}

static int spill_open(struct fo_dup *);

struct fo_dup *
fo_dup_new(const struct fo_dup_params *p)
{
	struct fo_dup *d;

	if ((d = calloc(1, sizeof *d)) == NULL)
		return NULL;
	if (p != NULL)
		d->p = *p;
	else
		d->p.window_days = 30;
	/* More than 100% would call any two amounts of a sign equal. */
	if (d->p.amount_tol_bp < 0)
		d->p.amount_tol_bp = 0;
	if (d->p.amount_tol_bp > 10000)
		d->p.amount_tol_bp = 10000;
	d->spill = -1;
	d->bytes = sizeof *d;
	/* made now, so that a directory it cannot be made in is said at
	 * the start (errno), not found at the first invoice */
	if (spill_open(d) != FO_OK) {
		int err = errno;

		free(d);
		errno = err;
		return NULL;
	}
	return d;
}

void
fo_dup_free(struct fo_dup *d)
{
	struct block *b, *next;
	uint32_t i;

	if (d == NULL)
		return;
	free(d->vendors.slot);
	tab_free(&d->ibans, 1);
	tab_free(&d->words, 0);
	for (b = d->arena; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	for (i = 0; i < d->npool; i++)
		free(d->pool[i]);
	free(d->pool);
	free(d->pairs);
	free(d->pslot);
	if (d->spill >= 0)
		close(d->spill);
	free(d->wbuf);
	free(d->rbuf);
	free(d->of);
	free(d->scratch);
	free(d);
}

int
fo_dup_errno(const struct fo_dup *d)
{
	return d->ioerr;
}

size_t
fo_dup_count(const struct fo_dup *d)
{
	return d->count;
}

size_t
fo_dup_bytes(const struct fo_dup *d)
{
	return d->bytes;
}

/* ------------------------------------------------------------------ */
/* Entries and their texts */

static int64_t
ent_amount(const struct ent *e)
{
	return (int64_t)((uint64_t)e->amt[1] << 32 | e->amt[0]);
}

static uint64_t
ent_off(const struct ent *e)
{
	return (uint64_t)e->offhi << 32 | e->off;
}

static int
has_amount(const struct ent *e)
{
	return (e->flags & F_AMOUNT) != 0;
}

static int
has_date(const struct ent *e)
{
	return (e->flags & F_DATE) != 0;
}

static uint32_t
ent_cur(const struct fo_dup *d, const struct ent *e)
{
	return d->pairs[e->pair].cur;
}

static uint32_t
ent_entity(const struct fo_dup *d, const struct ent *e)
{
	return d->pairs[e->pair].entity;
}

/* FNV-1a in 32 bits: an entry keeps 32-bit hashes, and every one of
 * them is only a sieve before the texts are compared. */
static uint32_t
hash32(const struct fo_dup *d, const char *s, size_t n)
{
	uint32_t h = FNV32_BASIS;
	size_t i;

	if (d->p.collide)
		return 1;
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * FNV32_PRIME;
	return h;
}

/* The same sieve for an id or a doc_id, which nothing derives another
 * hash from: eight bytes a step, not one (an id is two dozen bytes). */
static uint32_t
hash32_words(const struct fo_dup *d, const char *s, size_t n)
{
	uint64_t h;

	if (d->p.collide)
		return 1;
	h = fo_hash_words(s, n);
	return (uint32_t)(h ^ h >> 32);
}

/* The 16 bits an entry keeps of a hash. */
static uint16_t
hash16(uint32_t h)
{
	return (uint16_t)(h ^ h >> 16);
}

static int look(int);

/* The number read as lookalike() reads it: leading look-alikes of 0
 * dropped, the rest mapped; two numbers are look-alikes exactly when
 * these are equal. */
static uint32_t
look_hash(const struct fo_dup *d, const char *s, size_t n)
{
	uint32_t h = FNV32_BASIS;
	size_t i = 0;

	if (d->p.collide)
		return 1;
	while (i < n && look((unsigned char)s[i]) == '0')
		i++;
	for (; i < n; i++)
		h = (h ^ (unsigned char)look((unsigned char)s[i])) * FNV32_PRIME;
	return h;
}

/* The inverse of FNV32_PRIME modulo 2^32 (Newton's iteration): the hash
 * of a number without its last byte, from the hash with it, is then
 * (h * inverse) ^ byte. */
static uint32_t
prime_inverse(void)
{
	uint32_t x = FNV32_PRIME;
	int i;

	for (i = 0; i < 5; i++)
		x *= 2 - FNV32_PRIME * x;
	return x;
}

/* Whether entry e may be the number of c with a letter A-Z after it, or
 * c e's with one: a sieve on the hashes, the texts decide. */
static int
may_trail(const struct fo_dup *d, const struct cand *c, const struct ent *e)
{
	static uint32_t inv;
	uint32_t x;
	int last;

	if (d->p.collide || c->nlen + 1 >= NLEN_LONG || e->nlen >= NLEN_LONG)
		return 1;
	if (c->nlen == (size_t)e->nlen + 1) {
		last = (unsigned char)c->norm[c->nlen - 1];
		return last >= 'A' && last <= 'Z' &&
		    hash32(d, c->norm, c->nlen - 1) == e->nhash;
	}
	if ((size_t)e->nlen != c->nlen + 1)
		return 0;
	if (inv == 0)
		inv = prime_inverse();
	x = (e->nhash * inv) ^ c->nhash;
	return x >= 'A' && x <= 'Z';
}

/* Whether an entry's number may be n bytes long. */
static int
nlen_may(const struct ent *e, size_t n)
{
	return e->nlen >= NLEN_LONG ? n >= NLEN_LONG : e->nlen == n;
}

/* The texts' file: in $TMPDIR (else /tmp), gone from the directory at
 * once, so that nothing is left behind however the run ends. */
static int
spill_open(struct fo_dup *d)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof path, "%s/fo-dup.XXXXXX", dir) >=
	    sizeof path) {
		d->ioerr = ENAMETOOLONG;
		return FO_EIO;
	}
	if ((fd = mkstemp(path)) < 0) {
		d->ioerr = errno;
		return FO_EIO;
	}
	unlink(path);
	d->spill = fd;
	return FO_OK;
}

/* n bytes to the end of the temporary file, made when first needed. */
static int
spill_write(struct fo_dup *d, const char *p, size_t n)
{
	size_t done = 0;
	ssize_t w;

	if (d->spill < 0 && spill_open(d) != FO_OK)
		return FO_EIO;
	while (done < n) {
		w = pwrite(d->spill, p + done, n - done,
		    (off_t)(d->spilled + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			d->ioerr = w < 0 ? errno : ENOSPC;
			return FO_EIO;
		}
		done += (size_t)w;
	}
	d->spilled += n;
	return FO_OK;
}

/* What is buffered, to the file. */
static int
spill_flush(struct fo_dup *d)
{
	int rc = spill_write(d, d->wbuf, d->wn);

	if (rc == FO_OK)
		d->wn = 0;
	return rc;
}

static void
put32(char *p, uint32_t v)
{
	memcpy(p, &v, sizeof v);
}

static uint32_t
get32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

/* c's texts to the spill: three lengths, id, number, doc_id. Its
 * offset, or UINT64_MAX. */
static uint64_t
spill_add(struct fo_dup *d, const struct cand *c)
{
	size_t n = 12 + c->idlen + c->nlen + c->doclen;
	uint64_t off = d->spilled + d->wn;
	char *p;

	if (n > UINT32_MAX || off + n >= (uint64_t)1 << 48)
		return UINT64_MAX;
	if (d->wbuf == NULL) {
		/* and room to read one back: checks then allocate nothing */
		if ((d->wbuf = malloc(SPILL_BUF)) == NULL ||
		    (d->rbuf = malloc(256)) == NULL)
			return UINT64_MAX;
		d->rcap = 256;
		d->bytes += SPILL_BUF + 256;
	}
	if (d->wn + n > SPILL_BUF && spill_flush(d) != FO_OK)
		return UINT64_MAX;
	if (n > SPILL_BUF) {	/* a long one is written at once */
		char hdr[12];

		put32(hdr, (uint32_t)c->idlen);
		put32(hdr + 4, (uint32_t)c->nlen);
		put32(hdr + 8, (uint32_t)c->doclen);
		if (spill_write(d, hdr, 12) != FO_OK ||
		    spill_write(d, c->id, c->idlen) != FO_OK ||
		    spill_write(d, c->norm, c->nlen) != FO_OK ||
		    spill_write(d, c->docid, c->doclen) != FO_OK)
			return UINT64_MAX;
		return off;
	}
	p = d->wbuf + d->wn;
	put32(p, (uint32_t)c->idlen);
	put32(p + 4, (uint32_t)c->nlen);
	put32(p + 8, (uint32_t)c->doclen);
	memcpy(p + 12, c->id, c->idlen);
	memcpy(p + 12 + c->idlen, c->norm, c->nlen);
	memcpy(p + 12 + c->idlen + c->nlen, c->docid, c->doclen);
	d->wn += n;
	return off;
}

/* n bytes at off of the spill, into d->rbuf from at. */
static int
spill_get(struct fo_dup *d, uint64_t off, size_t n, size_t at)
{
	size_t done = 0;
	ssize_t r;
	char *p;

	if (at + n > d->rcap) {
		size_t cap = at + n < 256 ? 256 : (at + n) * 2;

		if ((p = realloc(d->rbuf, cap)) == NULL) {
			d->ioerr = ENOMEM;
			return FO_ENOMEM;
		}
		d->bytes += cap - d->rcap;
		d->rbuf = p;
		d->rcap = cap;
	}
	if (off >= d->spilled) {
		memcpy(d->rbuf + at, d->wbuf + (off - d->spilled), n);
		return FO_OK;
	}
	while (done < n) {
		r = pread(d->spill, d->rbuf + at + done, n - done,
		    (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			d->ioerr = r < 0 ? errno : EIO;
			return FO_EIO;
		}
		done += (size_t)r;
	}
	return FO_OK;
}

/* An entry's texts, valid until the next read; 0 when they cannot be
 * read (d->ioerr is set, the check fails). */
static int
ent_text(struct fo_dup *d, const struct ent *e, struct text *t)
{
	uint64_t off = ent_off(e);
	size_t n;

	if (d->ioerr || spill_get(d, off, 12, 0) != FO_OK)
		return 0;
	t->idlen = get32(d->rbuf);
	t->nlen = get32(d->rbuf + 4);
	t->doclen = get32(d->rbuf + 8);
	n = t->idlen + t->nlen + t->doclen;
	if (spill_get(d, off + 12, n, 12) != FO_OK)
		return 0;
	t->id = d->rbuf + 12;
	t->norm = t->id + t->idlen;
	t->doc = t->norm + t->nlen;
	return 1;
}

/* A currency and entity pair's index, added if new; UINT32_MAX for
 * want of memory. Few pairs: a short probe. */
static uint32_t
pair_add(struct fo_dup *d, uint32_t cur, uint32_t entity)
{
	uint64_t h = ((uint64_t)cur * 0x9e3779b97f4a7c15ULL) ^ entity;
	uint32_t i, k, *slot, n;

	if (d->npslot > 0)
		for (i = (uint32_t)(h * 0x9e3779b97f4a7c15ULL >> 32) &
		    (d->npslot - 1); (k = d->pslot[i]) != 0;
		    i = (i + 1) & (d->npslot - 1))
			if (d->pairs[k - 1].cur == cur &&
			    d->pairs[k - 1].entity == entity)
				return k - 1;
	if (d->npair >= UINT32_MAX / 4 ||
	    grow(d, (void **)&d->pairs, &d->cappair, d->npair,
	    sizeof *d->pairs) != FO_OK)
		return UINT32_MAX;
	if ((d->npair + 1) * 2 > d->npslot) {
		n = d->npslot ? d->npslot * 2 : 16;
		if ((slot = calloc(n, sizeof *slot)) == NULL)
			return UINT32_MAX;
		d->bytes += (size_t)(n - d->npslot) * sizeof *slot;
		free(d->pslot);
		d->pslot = slot;
		d->npslot = n;
		for (k = 0; k < d->npair; k++) {
			uint64_t g = ((uint64_t)d->pairs[k].cur *
			    0x9e3779b97f4a7c15ULL) ^ d->pairs[k].entity;

			for (i = (uint32_t)(g * 0x9e3779b97f4a7c15ULL >> 32) &
			    (n - 1); slot[i] != 0; i = (i + 1) & (n - 1))
				;
			slot[i] = k + 1;
		}
	}
	d->pairs[d->npair].cur = cur;
	d->pairs[d->npair].entity = entity;
	for (i = (uint32_t)(h * 0x9e3779b97f4a7c15ULL >> 32) &
	    (d->npslot - 1); d->pslot[i] != 0; i = (i + 1) & (d->npslot - 1))
		;
	d->pslot[i] = ++d->npair;
	return d->npair - 1;
}

/* Currency and entity as word indexes; currencies compare upper case. */
static uint32_t
word_find(const struct fo_dup *d, const char *s, size_t n)
{
	uint32_t k;

	if (n == 0)
		return 0;
	k = tab_find(&d->words, s, n, fo_fnv1a(FO_FNV_BASIS, s, n));
	return k != 0 ? k : NONE_FOUND;
}

/* In 64 bits: two int32 day numbers can be 2^32 apart. */
static int64_t
days_apart(int32_t a, int32_t b)
{
	int64_t x = (int64_t)a - b;

	return x < 0 ? -x : x;
}

/* Within tol basis points of the larger magnitude, same sign: exact
 * integers, diff * 10000 <= tol * max without overflow. */
static enum amt
amount_cmp(const struct fo_dup *d, const struct cand *c, const struct ent *e)
{
	uint64_t a, b, max, diff, q, r, tol;
	int64_t ea = ent_amount(e);

	if (!c->has_amount || !has_amount(e))
		return AMT_UNKNOWN;
	if (c->cur != ent_cur(d, e))
		return AMT_DIFFER;
	if (c->amount == ea)
		return AMT_SAME;
	if ((c->amount < 0) != (ea < 0) || d->p.amount_tol_bp == 0)
		return AMT_DIFFER;
	a = c->amount < 0 ? -(uint64_t)c->amount : (uint64_t)c->amount;
	b = ea < 0 ? -(uint64_t)ea : (uint64_t)ea;
	max = a > b ? a : b;
	diff = a > b ? a - b : b - a;
	tol = (uint64_t)d->p.amount_tol_bp;
	q = max / 10000;
	r = max % 10000;
	return diff <= tol * q + tol * r / 10000 ? AMT_NEAR : AMT_DIFFER;
}

static int
look(int c)
{
	switch (c) {
	case 'O':
		return '0';
	case 'I':
	case 'L':
		return '1';
	case 'S':
		return '5';
	case 'B':
		return '8';
	case 'Z':
		return '2';
	case 'G':
		return '6';
	default:
		return c;
	}
}

/* Equal once look-alikes are read as digits; an O in front is a
 * leading zero then, so "O42" is "42". */
static int
lookalike(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i;

	while (na > 0 && look((unsigned char)*a) == '0') {
		a++;
		na--;
	}
	while (nb > 0 && look((unsigned char)*b) == '0') {
		b++;
		nb--;
	}
	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (look((unsigned char)a[i]) != look((unsigned char)b[i]))
			return 0;
	return 1;
}

/* One is the other with one letter more at its end. */
static int
trailing(const char *a, size_t na, const char *b, size_t nb)
{
	int c;

	if (na + 1 == nb)
		return trailing(b, nb, a, na);
	if (nb == 0 || na != nb + 1)
		return 0;
	c = (unsigned char)a[nb];
	return c >= 'A' && c <= 'Z' && memcmp(a, b, nb) == 0;
}

/* Damerau-Levenshtein (optimal string alignment) distance exactly 1:
 * after the first difference the rest must agree, so it is linear. */
static int
one_edit(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i;

	if (na + 1 == nb)
		return one_edit(b, nb, a, na);
	if (na != nb && na != nb + 1)
		return 0;
	for (i = 0; i < nb && a[i] == b[i]; i++)
		;
	if (na == nb + 1)	/* a deletion from a */
		return memcmp(a + i + 1, b + i, nb - i) == 0;
	if (i == na)		/* equal */
		return 0;
	if (memcmp(a + i + 1, b + i + 1, na - i - 1) == 0)
		return 1;
	return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
	    memcmp(a + i + 2, b + i + 2, na - i - 2) == 0;
}

/*
 * Two numbers of one series: the same text before a trailing run of
 * digits of the same width, the runs different (R-2026-10 / R-2026-11,
 * INV1001 / INV1002, 4711 / 4890). A vendor numbers what it issues;
 * two such with one amount are a recurring bill (rent, a subscription)
 * far more often than a double, and month-end dates put them inside a
 * 30-day window.
 */
static int
series(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i;

	if (na != nb || na == 0 || !isdigit_ascii((unsigned char)a[na - 1]) ||
	    !isdigit_ascii((unsigned char)b[nb - 1]))
		return 0;
	for (i = na; i > 0 && isdigit_ascii((unsigned char)a[i - 1]) &&
	    isdigit_ascii((unsigned char)b[i - 1]); i--)
		;
	/* Both runs start at i, else one is longer: not the same width. */
	if (i > 0 && (isdigit_ascii((unsigned char)a[i - 1]) ||
	    isdigit_ascii((unsigned char)b[i - 1])))
		return 0;
	return memcmp(a, b, i) == 0;
}

/* The evidence one earlier invoice of the same vendor gives; 0 none.
 * The hashes sieve, the texts (read back only then) decide, in the
 * order the evidence ranks. */
static int
judge(struct fo_dup *d, const struct cand *c, const struct ent *e,
    enum fo_dup_evidence *ev, enum amt *amt)
{
	struct text t;
	int64_t days = 0;
	int dated, near, sameday, seq, have = 0;

	*ev = FO_DUP_NONE;
	*amt = amount_cmp(d, c, e);
	dated = c->has_date && has_date(e);
	if (dated)
		days = days_apart(c->date, e->date);
	near = *amt == AMT_SAME || *amt == AMT_NEAR;
	/* A number reused years later for another amount: not a double. */
	if (*amt == AMT_DIFFER && dated && days > REUSE_DAYS)
		return 0;
	if (c->nlen > 0 && e->nlen > 0) {
		if ((d->p.collide || e->nhash == c->nhash) &&
		    nlen_may(e, c->nlen) && (have || (have = ent_text(d, e,
		    &t))) && c->nlen == t.nlen &&
		    fo_same(c->norm, t.norm, c->nlen)) {
			*ev = FO_DUP_SAME_NUMBER;
			return near ? 95 : 85;
		}
		if ((d->p.collide || e->lhash == c->lhash) &&
		    (have || (have = ent_text(d, e, &t))) &&
		    lookalike(c->norm, c->nlen, t.norm, t.nlen)) {
			*ev = FO_DUP_LOOKALIKE;
			return near ? 90 : 70;
		}
		if (may_trail(d, c, e) &&
		    (have || (have = ent_text(d, e, &t))) &&
		    trailing(c->norm, c->nlen, t.norm, t.nlen)) {
			*ev = FO_DUP_TRAILING;
			return near ? 85 : 65;
		}
	}
	if (!near || (!have && !(have = ent_text(d, e, &t))))
		return 0;
	/* A series is a suspect only on one day: a double keyed again or
	 * re-issued carries the date of the invoice it copies, a
	 * recurring bill never does. */
	seq = series(c->norm, c->nlen, t.norm, t.nlen);
	sameday = dated && days == 0;
	if (seq && !sameday)
		return 0;
	if (c->nlen >= EDIT_MIN && t.nlen >= EDIT_MIN &&
	    one_edit(c->norm, c->nlen, t.norm, t.nlen)) {
		*ev = FO_DUP_ONE_EDIT;
		return 80;
	}
	if (dated && d->p.window_days >= 0 && days <= d->p.window_days) {
		*ev = FO_DUP_AMOUNT_DATE;
		return 60;
	}
	return 0;
}

/* On a tie, the most recent: latest date (undated last), then added
 * (the later the texts' offset, the later added). */
static int
later(const struct ent *a, const struct ent *b)
{
	if (has_date(a) != has_date(b))
		return has_date(a);
	if (has_date(a) && a->date != b->date)
		return a->date > b->date;
	return ent_off(a) > ent_off(b);
}

static void
consider(struct best *bp, int score, enum fo_dup_evidence ev, enum amt amt,
    const struct ent *e, uint32_t vendor)
{
	if (score == 0)
		return;
	if (bp->e != NULL && (score < bp->score ||
	    (score == bp->score && !later(e, bp->e))))
		return;
	bp->ev = ev;
	bp->score = score;
	bp->amt = amt;
	bp->e = e;
	bp->vendor = vendor;
}

/* Two records without an id are not one record. */
static int
same_id(struct fo_dup *d, const struct cand *c, const struct ent *e)
{
	struct text t;

	return c->idlen > 0 && (d->p.collide || e->idh == c->idh) &&
	    ent_text(d, e, &t) && t.idlen == c->idlen &&
	    fo_same(t.id, c->id, c->idlen);
}

/* Rows of one document: the doc_id hashes sieve, the texts decide. */
static int
same_doc(struct fo_dup *d, const struct cand *c, const struct ent *e)
{
	struct text t;

	return c->doc != 0 && e->doc == c->doc && ent_text(d, e, &t) &&
	    t.doclen == c->doclen && fo_same(t.doc, c->docid, c->doclen);
}

/* Cut a truncated string back to a whole UTF-8 character. */
static void
utf8_cut(char *s, size_t size)
{
	size_t len = strlen(s), i, need;
	unsigned char c;

	if (len + 1 < size || len == 0)
		return;
	for (i = len; i > 0 && len - i < 4; i--) {
		c = (unsigned char)s[i - 1];
		if (c < 0x80)
			return;
		if (c >= 0xc0) {
			need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
			if (len - (i - 1) < need)
				s[i - 1] = '\0';
			return;
		}
	}
}

static void say(struct fo_dup_match *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(struct fo_dup_match *m, const char *fmt, ...)
{
	size_t len = strlen(m->why);
	va_list ap;

	if (len + 1 >= sizeof m->why)
		return;
	va_start(ap, fmt);
	vsnprintf(m->why + len, sizeof m->why - len, fmt, ap);
	va_end(ap);
}

/* "1234.56 EUR" from minor units; no currency: 2 digits, no code. */
static void
say_amount(struct fo_dup_match *m, int64_t v, const char *cur)
{
	char buf[FO_DEC_BUFSZ];
	struct fo_dec dec;
	int minor = -1;

	if (cur != NULL)
		minor = fo_currency_minor(cur, strlen(cur));
	dec.v = v;
	dec.scale = minor >= 0 ? minor : 2;
	fo_dec_fmt(&dec, buf);
	if (cur != NULL)
		say(m, "%s %s", buf, cur);
	else
		say(m, "%s", buf);
}

static const char *
word(const struct fo_dup *d, uint32_t k)
{
	return k != 0 && k != NONE_FOUND ? d->words.g[k - 1].key : NULL;
}

static void
explain(const struct fo_dup *d, const struct cand *c, const struct best *bp,
    const char *eid, const char *en, struct fo_dup_match *m)
{
	const struct ent *e = bp->e;
	const char *ecur = word(d, ent_cur(d, e));
	size_t enlen = strlen(en);
	const char *went, *vk;
	char d1[11], d2[11];
	int64_t days;
	size_t vlen;

	if (bp->ev == FO_DUP_SHARED_BANK) {
		vk = vkey(at(d, bp->vendor), &vlen);
		say(m, "vendor %.*s shares IBAN %s with vendor %.*s",
		    (int)c->vlen, c->vendor, c->iban, (int)vlen, vk);
	} else
		say(m, "same vendor %.*s", (int)c->vlen, c->vendor);
	switch (bp->ev) {
	case FO_DUP_SAME_NUMBER:
		if (c->rawlen == c->nlen &&
		    memcmp(c->raw, c->norm, c->nlen) == 0)
			say(m, ", same invoice number %s", c->norm);
		else
			say(m, ", invoice number %.*s = %s after normalising",
			    (int)c->rawlen, c->raw, c->norm);
		break;
	case FO_DUP_LOOKALIKE:
		say(m, ", invoice number %s matches %s but for OCR "
		    "look-alikes", c->norm, en);
		break;
	case FO_DUP_TRAILING:
		if (c->nlen > enlen)
			say(m, ", invoice number %s is %s with a trailing "
			    "letter", c->norm, en);
		else
			say(m, ", invoice number %s is %s without its "
			    "trailing letter", c->norm, en);
		break;
	case FO_DUP_ONE_EDIT:
		say(m, ", invoice number %s is one edit from %s", c->norm, en);
		break;
	default:
		if (c->nlen > 0 && enlen > 0)
			say(m, ", invoice numbers %s and %s", c->norm, en);
		else if (c->nlen > 0)
			say(m, ", invoice number %s, none on the first",
			    c->norm);
		else if (enlen > 0)
			say(m, ", no invoice number, first %s", en);
		else
			say(m, ", no invoice numbers");
		break;
	}
	switch (bp->amt) {
	case AMT_SAME:
		say(m, ", same amount ");
		say_amount(m, c->amount, c->curtext);
		break;
	case AMT_NEAR:
		say(m, ", amounts ");
		say_amount(m, c->amount, c->curtext);
		say(m, " and ");
		say_amount(m, ent_amount(e), ecur);
		say(m, " within %d.%02d%%", d->p.amount_tol_bp / 100,
		    d->p.amount_tol_bp % 100);
		break;
	case AMT_DIFFER:
		say(m, ", amounts differ: ");
		say_amount(m, c->amount, c->curtext);
		say(m, " and ");
		say_amount(m, ent_amount(e), ecur);
		break;
	default:
		say(m, ", amount not known");
		break;
	}
	if (c->has_date && has_date(e)) {
		fo_date_fmt(c->date, d1);
		fo_date_fmt(e->date, d2);
		days = days_apart(c->date, e->date);
		if (days == 0)
			say(m, ", both dated %s", d1);
		else if (bp->ev == FO_DUP_AMOUNT_DATE ||
		    bp->ev == FO_DUP_SHARED_BANK)
			say(m, ", dated %s and %s (%lld days apart, window "
			    "%d)", d1, d2, (long long)days, d->p.window_days);
		else
			say(m, ", dated %s and %s", d1, d2);
	}
	/* The same invoice booked to two entities is still one invoice. */
	went = word(d, ent_entity(d, e));
	if (c->entlen > 0 && went != NULL && c->entity != ent_entity(d, e))
		say(m, ", entity %.*s and %s", (int)c->entlen, c->enttext,
		    went);
	say(m, " (first seen as %s)", eid);
	utf8_cut(m->why, sizeof m->why);
}

/* An IBAN as printed in groups of four is the same IBAN; text too long
 * for one (34 characters) is none. */
static size_t
iban_norm(const char *s, size_t n, char *buf, size_t size)
{
	size_t i, out = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ')
			continue;
		if (out + 1 >= size) {
			out = 0;
			break;
		}
		buf[out++] = (char)upper((unsigned char)s[i]);
	}
	buf[out] = '\0';
	return out;
}

/* Everything about inv that the comparisons need, without adding. */
static int
candidate(struct fo_dup *d, const struct fo_dup_inv *inv, struct cand *c)
{
	const char *s;
	size_t n, i;
	char *p;

	memset(c, 0, sizeof *c);
	c->id = trim(inv->id, &c->idlen);
	c->docid = "";
	if (inv->doc_id && *inv->doc_id) {	/* never 0: 0 means none */
		c->docid = inv->doc_id;
		c->doclen = strlen(inv->doc_id);
		c->doc = hash16(hash32_words(d, c->docid, c->doclen)) | 1;
	}
	c->vendor = trim(inv->vendor_id, &c->vlen);
	/* found first, so that its newest block is on its way while the
	 * rest is made ready */
	if (c->vlen > 0 &&
	    (c->vendor_head = vendor_find(d, c->vendor, c->vlen)) != 0) {
#ifdef __GNUC__
		__builtin_prefetch(at(d, *at(d, c->vendor_head)));
#endif
	}
	c->raw = trim(inv->doc_number, &c->rawlen);
	if (c->rawlen + 1 > d->scap) {
		n = c->rawlen + 1 < 64 ? 64 : c->rawlen + 1;
		if ((p = realloc(d->scratch, n)) == NULL)
			return FO_ENOMEM;
		d->bytes += n - d->scap;
		d->scratch = p;
		d->scap = n;
	}
	c->nlen = fo_dup_norm(c->raw, d->scratch, c->rawlen + 1);
	c->norm = d->scratch;
	c->nhash = hash32(d, c->norm, c->nlen);
	c->lhash = look_hash(d, c->norm, c->nlen);
	c->idh = hash16(hash32_words(d, c->id, c->idlen));
	c->amount = inv->amount;
	c->has_amount = inv->has_amount != 0;
	c->date = inv->date;
	c->has_date = inv->has_date != 0;
	s = trim(inv->currency, &n);
	if (n > 0) {
		/* No code is 15 long: a longer text is cut, not lost, and
		 * cut between characters, for it may be quoted in a reason */
		if (n >= sizeof c->curbuf) {
			n = sizeof c->curbuf - 1;
			while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
				n--;
		}
		for (i = 0; i < n; i++)
			c->curbuf[i] = (char)upper((unsigned char)s[i]);
		c->curbuf[n] = '\0';
		c->curtext = c->curbuf;
		c->cur = word_find(d, c->curbuf, n);
	}
	c->enttext = trim(inv->entity, &c->entlen);
	c->entity = word_find(d, c->enttext, c->entlen);
	if (d->p.match_bank) {
		s = trim(inv->iban, &n);
		c->ibanlen = iban_norm(s, n, c->iban, sizeof c->iban);
	}
	return FO_OK;
}

static int
index_add(struct fo_dup *d, const struct cand *c)
{
	struct group *ib = NULL;
	struct ent *e;
	struct ref *r;
	uint32_t vw, ik, cur = 0, entity = 0, pair, *v, j, fill, size;
	uint32_t nb = 0, ew;
	uint64_t off;

	if (c->idlen > UINT32_MAX / 2 || c->nlen > UINT32_MAX / 2)
		return FO_ENOMEM;
	if ((vw = vendor_add(d, c->vendor, c->vlen)) == 0)
		return FO_ENOMEM;
	if (c->curtext != NULL &&
	    (cur = tab_add(d, &d->words, c->curtext, strlen(c->curtext))) == 0)
		return FO_ENOMEM;
	if (c->entlen > 0 &&
	    (entity = tab_add(d, &d->words, c->enttext, c->entlen)) == 0)
		return FO_ENOMEM;
	if ((pair = pair_add(d, cur, entity)) == UINT32_MAX)
		return FO_ENOMEM;
	if (c->ibanlen > 0) {
		if ((ik = tab_add(d, &d->ibans, c->iban, c->ibanlen)) == 0)
			return FO_ENOMEM;
		ib = &d->ibans.g[ik - 1];
		if (grow(d, &ib->v, &ib->cap, ib->n, sizeof *r) != FO_OK)
			return FO_ENOMEM;
	}
	/* its place: after the head, in the newest block, or at the end
	 * of a new one; the head is read again, for the pool may have
	 * grown (its chunks stay where they are) */
	v = at(d, vw);
	if (v[1] == UINT32_MAX)
		return FO_ENOMEM;
	if (v[1] == 0)
		ew = vw + (uint32_t)((uint32_t *)vfirst(v) - v);
	else {
		j = blk_newest(v[1], &fill);
		if (fill == blk_size(j)) {
			size = blk_size(j + 1);
			if ((nb = pool_alloc(d, 1 + size * ENT_WORDS)) == 0)
				return FO_ENOMEM;
			ew = nb + 1 + (size - 1) * ENT_WORDS;
		} else
			ew = v[0] + 1 + (blk_size(j) - fill - 1) * ENT_WORDS;
	}
	if ((off = spill_add(d, c)) == UINT64_MAX)
		return FO_ENOMEM;
	v = at(d, vw);
	if (nb != 0) {
		*at(d, nb) = v[0];
		v[0] = nb;
	}
	v[1]++;
	e = (struct ent *)at(d, ew);
	memset(e, 0, sizeof *e);
	e->amt[0] = (uint32_t)(uint64_t)c->amount;
	e->amt[1] = (uint32_t)((uint64_t)c->amount >> 32);
	e->off = (uint32_t)off;
	e->offhi = (uint16_t)(off >> 32);
	e->nlen = (uint8_t)(c->nlen < NLEN_LONG ? c->nlen : NLEN_LONG);
	e->flags = (uint8_t)((c->has_amount ? F_AMOUNT : 0) |
	    (c->has_date ? F_DATE : 0));
	e->nhash = c->nhash;
	e->lhash = c->lhash;
	e->idh = c->idh;
	e->doc = c->doc;
	e->date = c->date;
	e->pair = pair;
	if (ib != NULL) {
		r = (struct ref *)ib->v + ib->n++;
		r->vendor = vw;
		r->ent = ew;
	}
	d->count++;
	return FO_OK;
}

int
fo_dup_check(struct fo_dup *d, const struct fo_dup_inv *inv, int add,
    struct fo_dup_match *m)
{
	struct cand c;
	struct best b;
	struct text t;
	struct group *ib;
	const struct ent *e, *end;
	const struct ref *r;
	const uint32_t *v, *blk;
	enum fo_dup_evidence ev;
	enum amt amt;
	uint32_t vw, ik, i, j, k, fill;
	uint64_t selfoff = UINT64_MAX;
	size_t need;
	int score;

	memset(m, 0, sizeof *m);
	m->of = "";
	memset(&b, 0, sizeof b);
	if (inv == NULL || excluded(inv))
		return FO_OK;
	if (candidate(d, inv, &c) != FO_OK)
		return FO_ENOMEM;
	if (c.vlen == 0)
		return FO_OK;
	vw = c.vendor_head;
	if (vw != 0 && (v = at(d, vw))[1] != 0) {
		/* Already indexed (history of itself): only what came
		 * before it counts, so a re-run says what the first did.
		 * The walk runs from the latest back: at itself, all
		 * found so far came after it and is forgotten. */
		j = blk_newest(v[1], &fill);
		for (k = v[0];; j--) {
			if (j == 0) {
				e = vfirst(v);
				end = e + 1;
			} else {
				blk = at(d, k);
				k = blk[0];
#ifdef __GNUC__
				/* the block before is elsewhere: ask for it
				 * while this one is read */
				__builtin_prefetch(at(d, k));
#endif
				end = (const struct ent *)(blk + 1) +
				    blk_size(j);
				e = end - fill;
			}
			for (; e < end; e++) {
				if (same_id(d, &c, e)) {
					selfoff = ent_off(e);
					memset(&b, 0, sizeof b);
					continue;
				}
				/* another item or hold of the same invoice */
				if (same_doc(d, &c, e))
					continue;
				score = judge(d, &c, e, &ev, &amt);
				consider(&b, score, ev, amt, e, vw);
			}
			if (j == 0)
				break;
			fill = blk_size(j - 1);
		}
	}
	if (c.ibanlen > 0 && d->p.window_days >= 0 &&
	    (ik = tab_find(&d->ibans, c.iban, c.ibanlen,
	    fo_fnv1a(FO_FNV_BASIS, c.iban, c.ibanlen))) != 0) {
		ib = &d->ibans.g[ik - 1];
		for (i = 0; i < ib->n; i++) {
			r = (const struct ref *)ib->v + i;
			if (r->vendor == vw)
				continue;
			e = (const struct ent *)at(d, r->ent);
			if (ent_off(e) >= selfoff || same_id(d, &c, e))
				continue;
			amt = amount_cmp(d, &c, e);
			if ((amt == AMT_SAME || amt == AMT_NEAR) &&
			    c.has_date && has_date(e) &&
			    days_apart(c.date, e->date) <= d->p.window_days)
				consider(&b, 55, FO_DUP_SHARED_BANK, amt, e,
				    r->vendor);
		}
	}
	if (b.e != NULL && ent_text(d, b.e, &t)) {
		/* the id it names and its number, whole, until the next
		 * check */
		need = t.idlen + t.nlen + 2;
		if (need > d->ofcap) {
			char *p = realloc(d->of, need * 2);

			if (p == NULL)
				return FO_ENOMEM;
			d->bytes += need * 2 - d->ofcap;
			d->of = p;
			d->ofcap = need * 2;
		}
		memcpy(d->of, t.id, t.idlen);
		d->of[t.idlen] = '\0';
		memcpy(d->of + t.idlen + 1, t.norm, t.nlen);
		d->of[t.idlen + 1 + t.nlen] = '\0';
		m->ev = b.ev;
		m->score = b.score;
		m->of = d->of;
		explain(d, &c, &b, d->of, d->of + t.idlen + 1, m);
	}
	/* Without an id nothing could name it as the first seen. */
	if (!d->ioerr && add && selfoff == UINT64_MAX && c.idlen > 0 &&
	    index_add(d, &c) != FO_OK && !d->ioerr)
		return FO_ENOMEM;
	if (d->ioerr)
		return d->ioerr == ENOMEM ? FO_ENOMEM : FO_EIO;
	return FO_OK;
}
