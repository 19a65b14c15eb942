/*
 * fuzz-json.c - libFuzzer target for json.c: fo_json_check and
 * fo_rec_parse never crash and agree (a record is valid JSON; valid JSON
 * that is an object is a record unless a key repeats), errors carry a
 * column inside the text, and what the reader decodes the writer can
 * write back as valid JSON.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* One record for every input, as a tool keeps one for every line. */
static struct fo_rec rec;
static struct fo_buf dec, out;

static void
check_col(const struct fo_err *e, size_t n)
{
	if (e->col < 1 || (size_t)e->col > n + 1 || e->msg[0] == '\0' ||
	    fo_utf8_check(e->msg, strlen(e->msg)) != strlen(e->msg))
		abort();
}

static void
check_record(const struct fo_rec *r)
{
	struct fo_span sp;
	int t, v, m, c;
	enum fo_jtype ty;

	if (fo_rec_type(r, 0) != FO_J_OBJECT || fo_rec_next(r, 0) != r->ntok)
		abort();
	for (t = 0; t < r->ntok; t++) {
		ty = fo_rec_type(r, t);
		sp = fo_rec_span(r, t);
		if (ty == FO_J_UNDEF || sp.p < r->text ||
		    sp.p + sp.n > r->text + r->len)
			abort();
		/* jsmn's sizes and the subtree ends agree: the members,
		 * stepped over, end where the container's subtree ends,
		 * and the token after it starts past its text */
		v = fo_rec_next(r, t);
		if (v <= t || v > r->ntok || (v < r->ntok &&
		    fo_rec_span(r, v).p < sp.p + sp.n))
			abort();
		if (ty == FO_J_OBJECT || ty == FO_J_ARRAY) {
			m = fo_rec_size(r, t) * (ty == FO_J_OBJECT ? 2 : 1);
			for (c = t + 1; m > 0 && c < v; m--)
				c = fo_rec_next(r, c);
			if (m != 0 || c != v)
				abort();
		}
		if (fo_rec_str(r, t, &dec) != FO_OK)
			abort();
		if (ty != FO_J_STRING)
			continue;
		/* Lone surrogates became U+FFFD: always UTF-8. */
		if (fo_utf8_check(dec.p, dec.n) != dec.n)
			abort();
		fo_buf_reset(&out);
		fo_json_str(&out, dec.p, dec.n);
		if (fo_json_check(out.p, out.n, 1, NULL) != FO_OK)
			abort();
	}
	/* A key found is a string of that name; the first key is found. */
	for (t = 1; t < r->ntok; t++) {
		if (fo_rec_type(r, t) != FO_J_STRING)
			continue;
		if (fo_rec_str(r, t, &dec) != FO_OK)
			abort();
		if (memchr(dec.p, '\0', dec.n) != NULL)
			continue;
		if ((v = fo_rec_find(r, dec.p)) == -1) {
			if (t == 1)
				abort();
			continue;
		}
		if (v < 2 || v >= r->ntok || fo_rec_type(r, v - 1) !=
		    FO_J_STRING)
			abort();
		fo_buf_reset(&out);
		fo_buf_put(&out, dec.p, dec.n);
		if (fo_rec_str(r, v - 1, &dec) != FO_OK || dec.n != out.n ||
		    memcmp(dec.p, out.p, out.n) != 0)
			abort();
	}
}

/*
 * The numbered fields agree with the lookup by name: a few names asked
 * first (by name, then by the walk), then every key of the root, which
 * is numbered for the inputs that follow (numbers only grow, to
 * FO_MAX_FIELDS), so that later records find them in their walk.
 */
static void
check_fields(const struct fo_rec *r)
{
	static const char *const names[] = { "a", "b", "id", "", "\xc3\xa9" };
	size_t i, nl;
	int k, m, f, v;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		nl = strlen(names[i]);
		if ((f = fo_field_id(names[i], nl)) >= 0 &&
		    fo_rec_field(r, f) != fo_rec_root(r, names[i], nl,
		    fo_rec_keyhash(names[i], nl)))
			abort();
	}
	for (m = 0, k = 1; m < fo_rec_size(r, 0); m++,
	    k = fo_rec_next(r, k + 1)) {
		if (fo_rec_str(r, k, &dec) != FO_OK)
			abort();
		if ((f = fo_field_id(dec.p, dec.n)) < 0)
			continue;
		if ((v = fo_rec_field(r, f)) != k + 1)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	const char *s = (const char *)data;
	struct fo_err e, ce;
	size_t i, bad;
	int crc, deep, rrc;

	fo_err_clear(&e);
	crc = fo_json_check(s, n, FO_JSON_MAX_DEPTH, &e);
	if (crc != FO_OK && crc != FO_ERR)
		abort();
	if (crc == FO_ERR)
		check_col(&e, n);
	ce = e;
	/* More depth allowed only ever accepts more. */
	deep = fo_json_check(s, n, 1000, NULL);
	if (crc == FO_OK && deep != FO_OK)
		abort();

	fo_err_clear(&e);
	rrc = fo_rec_parse(&rec, s, n, &e);
	if (rrc == FO_OK && crc != FO_OK)
		abort();
	if (rrc == FO_ERR)
		check_col(&e, n);
	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    s[i] == '\r'); i++)
		;
	if (crc == FO_OK && i < n && s[i] == '{' && rrc != FO_OK &&
	    strncmp(e.msg, "duplicate key ", 14) != 0)
		abort();
	/* jsmn and the reader's walk say no where the check does, and
	 * then with the check's own words at the check's column. */
	if (crc == FO_ERR && i < n && (rrc != FO_ERR || e.col != ce.col ||
	    strcmp(e.msg, ce.msg) != 0))
		abort();
	if (rrc == FO_OK) {
		check_record(&rec);
		check_fields(&rec);
	} else if (fo_rec_find(&rec, "a") != -1 ||
	    fo_rec_field(&rec, fo_field_id("a", 1)) != -1)
		abort();

	fo_buf_reset(&out);
	bad = fo_json_str_lossy(&out, s, n);
	if (out.oom || bad > n || fo_json_check(out.p, out.n, 1, NULL) !=
	    FO_OK)
		abort();
	if (bad == 0) {
		/* Valid UTF-8 is written as fo_json_str writes it. */
		fo_buf_reset(&dec);
		fo_json_str(&dec, s, n);
		if (dec.n != out.n || memcmp(dec.p, out.p, out.n) != 0)
			abort();
	}
	return 0;
}
