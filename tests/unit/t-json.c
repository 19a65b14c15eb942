/*
 * t-json.c - lib/record/json.c: the writer's escaping, fo_json_check against
 * JSONTestSuite (read at run time from testdata/conformance), and
 * records: what jsmn (as json.c sets it up) lets through, and that the
 * reader refuses each with check_text's message and column.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#include "fo.h"
#include "tap.h"

static struct fo_buf out;

/* s as fo_json_str writes it, NUL-terminated (valid until next call). */
static const char *
jstr(const char *s, size_t n)
{
	fo_buf_reset(&out);
	fo_json_str(&out, s, n);
	return fo_buf_cstr(&out);
}

static const char *
jlossy(const char *s, size_t n, size_t *bad)
{
	fo_buf_reset(&out);
	*bad = fo_json_str_lossy(&out, s, n);
	return fo_buf_cstr(&out);
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Every y_ file accepted, every n_ file rejected with a column inside
 * the text (or just past it), every i_ file answered either way. The
 * deepest y_ file nests 3 deep, so FO_JSON_MAX_DEPTH serves. Records
 * are a subset: fo_rec_parse may accept only what fo_json_check does.
 */
static void
test_suite(void)
{
	struct fo_rec r;
	struct fo_err e;
	char dir[4096], path[8192], **names = NULL, **nn;
	struct dirent *de;
	DIR *d;
	size_t i, n, len, cap = 0;
	int rc, rrc, ny = 0, nn_ = 0, ni = 0, yok = 0, nok = 0, mismatch = 0;
	struct fo_buf fb = { 0 };
	const char *s;

	snprintf(dir, sizeof dir, "%s",
	    testdata_path("conformance/JSONTestSuite/test_parsing"));
	if ((d = opendir(dir)) == NULL) {
		ok(0, "open %s", dir);
		return;
	}
	n = 0;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 7 || strcmp(de->d_name + len - 5, ".json") != 0 ||
		    de->d_name[1] != '_' || strchr("yni", de->d_name[0]) ==
		    NULL)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 512;
			if ((nn = realloc(names, cap * sizeof *names)) == NULL)
				break;
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			break;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, namecmp);
	fo_rec_init(&r);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		fo_buf_free(&fb);
		if (fo_buf_slurp(&fb, path, SIZE_MAX) != FO_OK) {
			ok(0, "read %s", names[i]);
			free(names[i]);
			continue;
		}
		s = fb.p;
		len = fb.n;
		fo_err_clear(&e);
		rc = fo_json_check(s, len, FO_JSON_MAX_DEPTH, &e);
		rrc = fo_rec_parse(&r, s, len, &e);
		if (rrc == FO_OK && rc != FO_OK)
			mismatch++;
		fo_err_clear(&e);
		rc = fo_json_check(s, len, FO_JSON_MAX_DEPTH, &e);
		switch (names[i][0]) {
		case 'y':
			ny++;
			yok += rc == FO_OK;
			if (!ok(rc == FO_OK, "accept %s", names[i]))
				printf("#   col %ld: %s\n", e.col, e.msg);
			break;
		case 'n':
			/* Not for want of depth alone: deep, still wrong. */
			nn_++;
			rrc = fo_json_check(s, len, 1 << 20, NULL);
			nok += rc == FO_ERR && rrc == FO_ERR;
			ok(rc == FO_ERR && rrc == FO_ERR && e.col >= 1 &&
			    (size_t)e.col <= len + 1, "reject %s (col %ld: %s)",
			    names[i], e.col, e.msg);
			break;
		default:
			ni++;
			ok(rc == FO_OK || (rc == FO_ERR && e.col >= 1 &&
			    (size_t)e.col <= len + 1), "survive %s (%s)",
			    names[i], rc == FO_OK ? "accepted" : e.msg);
			break;
		}
		free(names[i]);
	}
	fo_buf_free(&fb);
	free(names);
	fo_rec_free(&r);
	ok(ny > 0 && nn_ > 0 && ni > 0, "JSONTestSuite: %d/%d y accepted, "
	    "%d/%d n rejected, %d i survived", yok, ny, nok, nn_, ni);
	is_int(mismatch, 0, "fo_rec_parse accepts nothing fo_json_check "
	    "rejects");
}

static void
test_writer(void)
{
	char in[2], want[16];
	int c;
	size_t bad;

	is_str(jstr("", 0), "\"\"", "empty string");
	is_str(jstr("plain text", 10), "\"plain text\"", "plain text as is");
	is_str(jstr("a\"b\\c", 5), "\"a\\\"b\\\\c\"", "quote and backslash");
	is_str(jstr("a/b", 3), "\"a/b\"", "'/' not escaped");
	is_str(jstr("x\x7fy", 3), "\"x\x7fy\"", "DEL passed through");
	is_str(jstr("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9),
	    "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
	    "non-ASCII UTF-8 passed through");
	for (c = 0; c < 0x20; c++) {
		in[0] = (char)c;
		switch (c) {
		case '\b':
			snprintf(want, sizeof want, "\"\\b\"");
			break;
		case '\f':
			snprintf(want, sizeof want, "\"\\f\"");
			break;
		case '\n':
			snprintf(want, sizeof want, "\"\\n\"");
			break;
		case '\r':
			snprintf(want, sizeof want, "\"\\r\"");
			break;
		case '\t':
			snprintf(want, sizeof want, "\"\\t\"");
			break;
		default:
			snprintf(want, sizeof want, "\"\\u%04x\"", c);
			break;
		}
		is_str(jstr(in, 1), want, "control 0x%02x escaped as %s", c,
		    want);
	}
	is_str(jstr("a\nb\x1f", 4), "\"a\\nb\\u001f\"",
	    "escapes mixed with text");

	is_str(jlossy("ok \xc3\xa9", 5, &bad), "\"ok \xc3\xa9\"",
	    "lossy: valid UTF-8 unchanged");
	is_int(bad, 0, "lossy: nothing replaced");
	is_str(jlossy("a\xff" "b", 3, &bad), "\"a\xef\xbf\xbd" "b\"",
	    "lossy: a bad byte becomes U+FFFD");
	is_int(bad, 1, "lossy: one replaced");
	is_str(jlossy("\xe2\x82x", 3, &bad),
	    "\"\xef\xbf\xbd\xef\xbf\xbdx\"",
	    "lossy: truncated sequence, one U+FFFD per byte");
	is_int(bad, 2, "lossy: two replaced");
	is_str(jlossy("\xc0\xaf\xed\xa0\x80", 5, &bad),
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
	    "lossy: overlong and surrogate bytes replaced");
	is_int(bad, 5, "lossy: five replaced");
	is_str(jlossy("\x01\"\xe9t\xe9", 5, &bad),
	    "\"\\u0001\\\"\xef\xbf\xbdt\xef\xbf\xbd\"",
	    "lossy: Latin-1 replaced, controls still escaped");
	is_int(bad, 2, "lossy: two Latin-1 bytes replaced");
	ok(fo_json_check(out.p, out.n, 1, NULL) == FO_OK,
	    "lossy output is valid JSON");
	is_str(jlossy("", 0, &bad), "\"\"", "lossy: empty");
}

/*
 * The writers look at sixteen or eight bytes at a time: one byte of each
 * kind at every place in strings of 1 to 40 bytes, so that it falls in
 * each lane of a block, in the tail and across a boundary.
 */
static void
test_writer_lanes(void)
{
	static const struct {
		const char *in, *as, *lossy;	/* lossy NULL: as as */
		size_t bad;
	} kind[] = {
		{ "\"", "\\\"", NULL, 0 },
		{ "\\", "\\\\", NULL, 0 },
		{ "\n", "\\n", NULL, 0 },
		{ "\x01", "\\u0001", NULL, 0 },
		{ "\x1f", "\\u001f", NULL, 0 },
		{ " ", " ", NULL, 0 },
		{ "\x7f", "\x7f", NULL, 0 },
		{ "\xc3\xa9", "\xc3\xa9", NULL, 0 },
		{ "\xff", "\xff", "\xef\xbf\xbd", 1 },
		{ "\x80", "\x80", "\xef\xbf\xbd", 1 },
	};
	static const char as[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	char in[64], want[128], wantl[128];
	size_t i, len, k, kn, n, bad;
	int wrong, wrongl;

	for (i = 0; i < sizeof kind / sizeof kind[0]; i++) {
		wrong = wrongl = 0;
		kn = strlen(kind[i].in);
		for (len = kn; len <= 40; len++)
			for (k = 0; k + kn <= len; k++) {
				memset(in, 'a', len);
				memcpy(in + k, kind[i].in, kn);
				n = len - k - kn;
				snprintf(want, sizeof want, "\"%.*s%s%.*s\"",
				    (int)k, as, kind[i].as, (int)n, as);
				snprintf(wantl, sizeof wantl, "\"%.*s%s%.*s\"",
				    (int)k, as, kind[i].lossy ? kind[i].lossy :
				    kind[i].as, (int)n, as);
				if (strcmp(jstr(in, len), want) != 0 &&
				    wrong++ == 0)
					printf("#   len %zu at %zu: %s\n", len,
					    k, out.p);
				if ((strcmp(jlossy(in, len, &bad), wantl) != 0 ||
				    bad != kind[i].bad) && wrongl++ == 0)
					printf("#   lossy len %zu at %zu: %s\n",
					    len, k, out.p);
			}
		is_int(wrong, 0, "byte %zu of the kinds in every lane", i);
		is_int(wrongl, 0, "lossy: byte %zu of the kinds in every lane",
		    i);
	}
}

static void
test_obj(void)
{
	struct fo_buf b = { 0 };
	struct fo_obj o;
	char want[64];

	fo_obj_begin(&o, &b);
	fo_obj_end(&o);
	is_str(fo_buf_cstr(&b), "{}", "empty object");

	fo_buf_reset(&b);
	fo_obj_begin(&o, &b);
	fo_obj_str(&o, "id", "x\"1", 3);
	fo_obj_raw(&o, "amount", "1234.50");
	fo_obj_long(&o, "n", -42);
	fo_obj_key(&o, "arr");
	fo_buf_puts(&b, "[1,2]");
	fo_obj_str(&o, "k\ney", "\xc3\xa9\t", 3);
	fo_obj_raw(&o, "z", "null");
	fo_obj_end(&o);
	is_str(fo_buf_cstr(&b), "{\"id\":\"x\\\"1\",\"amount\":1234.50,"
	    "\"n\":-42,\"arr\":[1,2],\"k\\ney\":\"\xc3\xa9\\t\",\"z\":null}",
	    "object written exactly");
	ok(fo_json_check(b.p, b.n, 2, NULL) == FO_OK, "object is valid JSON");

	fo_buf_reset(&b);
	fo_obj_begin(&o, &b);
	fo_obj_long(&o, "min", LONG_MIN);
	fo_obj_str(&o, "", "", 0);
	fo_obj_end(&o);
	snprintf(want, sizeof want, "{\"min\":%ld,\"\":\"\"}", LONG_MIN);
	is_str(fo_buf_cstr(&b), want, "LONG_MIN and empty key");
	ok(!b.oom, "no out-of-memory");
	fo_buf_free(&b);
}

/* Parse, expecting success. */
static int
parse(struct fo_rec *r, const char *s)
{
	struct fo_err e;

	fo_err_clear(&e);
	if (fo_rec_parse(r, s, strlen(s), &e) != FO_OK) {
		printf("#   %s: col %ld: %s\n", s, e.col, e.msg);
		return FO_ERR;
	}
	return FO_OK;
}

/* Parse, expecting failure with message msg at column col. */
static void
reject(struct fo_rec *r, const char *s, size_t n, long col, const char *msg,
    const char *name)
{
	struct fo_err e;
	int rc;

	fo_err_clear(&e);
	e.file = "f.ndjson";
	e.line = 7;
	rc = fo_rec_parse(r, s, n, &e);
	ok(rc == FO_ERR, "%s: rejected", name);
	is_int(e.col, col, "%s: col", name);
	is_str(e.msg, msg, "%s: message", name);
	ok(e.file != NULL && strcmp(e.file, "f.ndjson") == 0 && e.line == 7,
	    "%s: file and line left to the caller", name);
	is_int(fo_rec_find(r, "a"), -1, "%s: nothing to find after", name);
}

static void
rejects(struct fo_rec *r, const char *s, long col, const char *msg,
    const char *name)
{
	reject(r, s, strlen(s), col, msg, name);
}

/* The text of the value of top-level key k, or "(none)". */
static const char *
val(const struct fo_rec *r, const char *k)
{
	static char buf[256];
	struct fo_span sp;
	int t;

	if ((t = fo_rec_find(r, k)) < 0)
		return "(none)";
	sp = fo_rec_span(r, t);
	snprintf(buf, sizeof buf, "%.*s", (int)sp.n, sp.p);
	return buf;
}

static void
test_rec_accept(struct fo_rec *r)
{
	struct fo_span sp;

	ok(parse(r, "{}") == FO_OK, "empty object is a record");
	ok(parse(r, "{\"a\":1,\"b\":\"x\"}") == FO_OK, "simple record");
	ok(parse(r, " \t{\"a\":1} \r") == FO_OK,
	    "whitespace around, trailing CR");
	is_str(val(r, "a"), "1", "CRLF record: value");
	sp = fo_rec_span(r, 0);
	is_int((long)sp.n, 7, "CRLF record: CR not in the object");
	ok(parse(r, "{\"a\":{\"a\":{\"a\":1}},\"b\":[{\"a\":1},{\"a\":2}]}") ==
	    FO_OK, "the same key in different objects");
	ok(parse(r, "{\"ab\":1,\"a\":2,\"a\\\\\":3,\"A\":4}") == FO_OK,
	    "similar keys are different keys");
}

static void
test_rec_reject(struct fo_rec *r)
{
	rejects(r, "[1,2]", 1, "record is not an object", "bare array");
	rejects(r, "\"str\"", 1, "record is not an object", "bare string");
	rejects(r, "42", 1, "record is not an object", "bare number");
	rejects(r, "  null", 3, "record is not an object", "bare null");
	rejects(r, "true", 1, "record is not an object", "bare true");
	rejects(r, "", 1, "empty record", "empty line");
	rejects(r, " \r", 3, "empty record", "blank line");
	rejects(r, "{\"a\":1,\"a\":2}", 8, "duplicate key \"a\"",
	    "duplicate key");
	rejects(r, "{\"a\":1,\"\\u0061\":2}", 8, "duplicate key \"a\"",
	    "duplicate key spelled with \\u escape");
	rejects(r, "{\"\\u0061\":1,\"b\":2,\"a\":2}", 19,
	    "duplicate key \"a\"", "duplicate key, escape first");
	rejects(r, "{\"a/b\":1,\"a\\/b\":2}", 10, "duplicate key \"a/b\"",
	    "duplicate key spelled with \\/");
	rejects(r, "{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}", 19,
	    "duplicate key \"\xf0\x9f\x98\x80\"",
	    "duplicate key: surrogate pair and raw UTF-8");
	rejects(r, "{\"q\\\"\\n\":1,\"q\\u0022\\u000a\":2}", 12,
	    "duplicate key \"q\\\"\\n\"", "duplicate key: message escaped");
	rejects(r, "{\"x\":{\"k\":1,\"j\":2,\"k\":3}}", 19,
	    "duplicate key \"k\"", "duplicate key in a nested object");
	rejects(r, "{\"a\":[{\"k\":1,\"k\":1}]}", 14,
	    "duplicate key \"k\"", "duplicate key in an object in an array");
}

/* Objects with more keys than the pairwise limit go by hash. */
static void
test_rec_many_keys(struct fo_rec *r)
{
	struct fo_buf b = { 0 };
	struct fo_obj o;
	struct fo_err e;
	char k[32];
	long col;
	int i, rc;

	fo_obj_begin(&o, &b);
	for (i = 0; i < 200; i++) {
		snprintf(k, sizeof k, "key%d", i);
		fo_obj_long(&o, k, i);
	}
	fo_obj_end(&o);
	ok(parse(r, fo_buf_cstr(&b)) == FO_OK, "200 unique keys");
	is_str(val(r, "key0"), "0", "200 keys: first");
	is_str(val(r, "key199"), "199", "200 keys: last");
	is_str(val(r, "key77"), "77", "200 keys: middle");

	/* Two duplicates: the one reported is the first to repeat. */
	b.n--;
	col = (long)b.n + 2;
	fo_buf_puts(&b, ",\"key150\":1,\"key3\":2}");
	fo_err_clear(&e);
	rc = fo_rec_parse(r, b.p, b.n, &e);
	ok(rc == FO_ERR, "200 keys + duplicates rejected");
	is_str(e.msg, "duplicate key \"key150\"", "first repeated key named");
	is_int(e.col, col, "its column");

	fo_buf_reset(&b);
	fo_obj_begin(&o, &b);
	for (i = 0; i < 100; i++) {
		snprintf(k, sizeof k, "k%d", i);
		fo_obj_long(&o, k, i);
	}
	/* By hand: fo_obj_key would escape the backslash. */
	fo_buf_puts(&b, ",\"\\u006b42\":0}");
	fo_err_clear(&e);
	rc = fo_rec_parse(r, b.p, b.n, &e);
	ok(rc == FO_ERR, "many keys: duplicate by escape rejected");
	is_str(e.msg, "duplicate key \"k42\"", "many keys: decoded in message");
	fo_buf_free(&b);
}

/* The member key of the root's "extra" object, as val gives it. */
static const char *
member(struct fo_rec *r, const char *key)
{
	static char buf[256];
	struct fo_span sp;
	int o = fo_rec_find(r, "extra"), t = fo_rec_member(r, o, key,
	    strlen(key));

	/* the same token with the key's hash given */
	if (fo_rec_member_h(r, o, key, strlen(key),
	    fo_rec_keyhash(key, strlen(key))) != t)
		return "(member_h differs)";
	if (t < 0)
		return "(none)";
	sp = fo_rec_span(r, t);
	snprintf(buf, sizeof buf, "%.*s", (int)sp.n, sp.p);
	return buf;
}

static void
test_rec_find(struct fo_rec *r)
{
	ok(parse(r, "{\"a\":{\"b\":1},\"c\":\"b\",\"b\":2}") == FO_OK,
	    "find: parse");
	is_str(val(r, "b"), "2", "find: top-level b, not the nested one");
	is_str(val(r, "a"), "{\"b\":1}", "find: a");
	is_str(val(r, "c"), "b", "find: c");
	is_str(val(r, "x"), "(none)", "find: missing key");

	ok(parse(r, "{\"x\":{\"b\":1},\"y\":[\"b\",{\"b\":2}],\"v\":\"b\"}") ==
	    FO_OK, "find: parse nested only");
	is_int(fo_rec_find(r, "b"), -1,
	    "find: keys of nested objects and string values do not count");

	ok(parse(r, "{\"a\":[[1,{\"b\":2}],{\"c\":[]},[]],\"d\":{},\"b\":3}") ==
	    FO_OK, "find: parse deep subtrees");
	is_str(val(r, "b"), "3", "find: steps over subtrees");
	is_str(val(r, "d"), "{}", "find: empty object value");
	is_str(val(r, "c"), "(none)", "find: nested c not found");

	ok(parse(r, "{\"\\u0061b\":1,\"q\\\"\":2,\"\":3,\"\\/\":4,"
	    "\"\\u00e9\":5}") == FO_OK, "find: parse escaped keys");
	is_str(val(r, "ab"), "1", "find: \\u0061b found as ab");
	is_str(val(r, "\\u0061b"), "(none)", "find: not by its raw spelling");
	is_str(val(r, "q\""), "2", "find: escaped quote");
	is_str(val(r, ""), "3", "find: empty key");
	is_str(val(r, "/"), "4", "find: \\/");
	is_str(val(r, "\xc3\xa9"), "5", "find: \\u00e9 as UTF-8");
	is_str(val(r, "a"), "(none)", "find: a prefix is not a match");

	ok(parse(r, "{}") == FO_OK, "find: parse empty");
	is_int(fo_rec_find(r, "a"), -1, "find: nothing in {}");

	/* fo_rec_value: as fo_rec_find, but a null is no value */
	ok(parse(r, "{\"a\":null,\"b\":\"null\",\"c\":[null],\"d\":0,"
	    "\"e\":{\"a\":1}}") == FO_OK, "value: parse");
	is_int(fo_rec_value(r, "a"), -1, "value: null is none");
	is_int(fo_rec_find(r, "a"), 2, "value: but found");
	is_int(fo_rec_value(r, "b"), 4, "value: the string \"null\" is one");
	is_int(fo_rec_value(r, "c"), 6, "value: an array of null is one");
	is_int(fo_rec_value(r, "d"), 9, "value: 0");
	is_int(fo_rec_value(r, "x"), -1, "value: absent");

	/* an inner object's member: keys of one length told apart, escaped
	 * keys decoded, a member's own subtree stepped over */
	ok(parse(r, "{\"extra\":{\"ZBD1T\":\"14\",\"ZBD2T\":[1,{\"ZBD3T\":0}],"
	    "\"\\u005aBD3T\":\"30\",\"q\\\"\":1},\"ZBD1T\":2}") == FO_OK,
	    "member: parse");
	is_str(member(r, "ZBD1T"), "14", "member: ZBD1T");
	is_str(member(r, "ZBD2T"), "[1,{\"ZBD3T\":0}]", "member: ZBD2T");
	is_str(member(r, "ZBD3T"), "30", "member: \\u005aBD3T as ZBD3T");
	is_str(member(r, "q\""), "1", "member: an escaped quote");
	is_str(member(r, "ZBD4T"), "(none)", "member: missing");
	is_str(member(r, "ZBD"), "(none)", "member: a prefix is not a match");
}

/*
 * Numbered fields: one walk of the root's keys when the line is read
 * finds every field numbered so far; a field numbered after that is
 * looked up by name; nested keys never count; an escaped key is found
 * decoded; a line refused leaves nothing of the one before.
 */
static void
test_rec_field(struct fo_rec *r)
{
	int fa, fb, fe, fc, fz, late;

	fa = fo_field_id("a", 1);
	fb = fo_field_id("b", 1);
	fe = fo_field_id("\xc3\xa9", 2);
	fz = fo_field_id("zz", 2);
	ok(fa >= 0 && fb >= 0 && fe >= 0 && fz >= 0 && fa != fb &&
	    fb != fe && fe != fz, "field: four numbers, all different");
	is_int(fo_field_id("a", 1), fa, "field: the same name, the same number");
	is_int(fo_field_id("ab", 1), fa, "field: n bytes of the name count");
	/* tokens: 0 {, 1 "b", 2 {, 3 "a", 4 1, 5 "a", 6 "x", 7 "\u00e9",
	 * 8 5, 9 "c", 10 null */
	ok(parse(r, "{\"b\":{\"a\":1},\"a\":\"x\",\"\\u00e9\":5,"
	    "\"c\":null}") == FO_OK, "field: parse");
	is_int(fo_rec_field(r, fa), 6, "field: a, the root's, not b's");
	is_int(fo_rec_field(r, fb), 2, "field: b, an object");
	is_int(fo_rec_field(r, fe), 8, "field: \\u00e9 found decoded");
	is_int(fo_rec_field(r, fz), -1, "field: absent");
	is_int(fo_rec_field(r, -1), -1, "field: no number");
	is_int(fo_rec_field(r, 1 << 20), -1, "field: a number never given");
	fc = fo_field_id("c", 1);
	is_int(fo_rec_field(r, fc), 10,
	    "field: numbered after the line was read, found by name");
	is_int(fo_rec_field_value(r, fc), -1, "field value: a null is none");
	is_int(fo_rec_field_value(r, fb), 2, "field value: b");
	is_int(fo_rec_field_value(r, fz), -1, "field value: absent");
	ok(parse(r, "{\"zz\":[1],\"c\":2}") == FO_OK, "field: next line");
	is_int(fo_rec_field(r, fa), -1, "field: a is gone");
	is_int(fo_rec_field(r, fz), 2, "field: zz");
	is_int(fo_rec_field(r, fc), 5, "field: c, found in the walk now");
	ok(parse(r, "{\"zz\":1,\"zz\":2}") == FO_ERR, "field: bad line");
	is_int(fo_rec_field(r, fz), -1, "field: nothing kept of a bad line");
	/* more names than the first arrays hold, the record's grown */
	late = -1;
	for (int i = 0; i < 300; i++) {
		char k[16];

		snprintf(k, sizeof k, "k%d", i);
		late = fo_field_id(k, strlen(k));
	}
	ok(late >= 300, "field: 300 more numbered");
	ok(parse(r, "{\"k299\":7,\"k0\":8,\"a\":9}") == FO_OK,
	    "field: parse after growth");
	is_int(fo_rec_field(r, late), 2, "field: k299");
	is_int(fo_rec_field(r, fo_field_id("k0", 2)), 4, "field: k0");
	is_int(fo_rec_field(r, fa), 6, "field: a still");
	is_int(fo_rec_field(r, fo_field_id("k1", 2)), -1, "field: k1 absent");
	/* the first asked by name, absent, then the walk, then again: the
	 * walk keeps what the lookup by name stamped */
	ok(parse(r, "{\"k0\":1,\"a\":2,\"zz\":3}") == FO_OK,
	    "field: parse for the walk");
	is_int(fo_rec_field(r, fb), -1, "field: b absent, by name");
	is_int(fo_rec_field(r, fz), 6, "field: zz, by the walk");
	is_int(fo_rec_field(r, fb), -1, "field: b still absent");
	is_int(fo_rec_field(r, fa), 4, "field: a, from the walk");
	is_int(fo_rec_field(r, fo_field_id("k0", 2)), 2, "field: k0 too");
	is_int(fo_rec_field(r, late), -1, "field: k299 absent after the walk");
	/* a line asked once: by name only, and the next line's stamps are
	 * its own */
	ok(parse(r, "{\"a\":[]}") == FO_OK, "field: parse a line asked once");
	is_int(fo_rec_field(r, fa), 2, "field: a, by name");
	ok(parse(r, "{\"zz\":0,\"a\":1}") == FO_OK, "field: and the next");
	is_int(fo_rec_field(r, fz), 2, "field: zz");
	is_int(fo_rec_field(r, fa), 4, "field: a, not the line before's");
}

/* fo_json_unescape: a checked string's body decoded, and its length. */
static void
test_unescape(void)
{
	static const struct {
		const char *in, *want;
		size_t n;
	} c[] = {
		{ "", "", 0 },
		{ "2026-10-02", "2026-10-02", 10 },
		{ "a\\nb", "a\nb", 3 },
		{ "\\u00e9x", "\xc3\xa9x", 3 },
		{ "x\\\"", "x\"", 2 },
		{ "\\ud83d\\ude00!", "\xf0\x9f\x98\x80!", 5 },
		{ "a\\u0000b", "a\0b", 3 },
	};
	char dec[32];
	size_t i, n;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		n = fo_json_unescape(c[i].in, strlen(c[i].in), dec);
		ok(n == c[i].n && memcmp(dec, c[i].want, n) == 0,
		    "unescape '%s': %zu bytes", c[i].in, c[i].n);
	}
}

static void
test_rec_span(struct fo_rec *r)
{
	struct fo_span sp;
	int t;

	ok(parse(r, "{\"s\":\"a\\nb\",\"n\":-1.5e3,\"t\":true,\"f\":false,"
	    "\"z\":null,\"o\":{\"k\":[1,2]},\"a\":[{\"x\":1},2],\"e\":\"\"}") ==
	    FO_OK, "span: parse");
	is_int(fo_rec_type(r, 0), FO_J_OBJECT, "span: root is an object");
	sp = fo_rec_span(r, 0);
	is_int((long)sp.n, (long)r->len, "span: root is the whole line");
	is_int(fo_rec_type(r, fo_rec_find(r, "s")), FO_J_STRING, "type s");
	is_str(val(r, "s"), "a\\nb", "span s: no quotes, escape as written");
	is_int(fo_rec_type(r, fo_rec_find(r, "n")), FO_J_PRIMITIVE, "type n");
	is_str(val(r, "n"), "-1.5e3", "span n: number as written");
	is_int(fo_rec_type(r, fo_rec_find(r, "t")), FO_J_PRIMITIVE, "type t");
	is_str(val(r, "t"), "true", "span t");
	is_str(val(r, "f"), "false", "span f");
	is_int(fo_rec_type(r, fo_rec_find(r, "z")), FO_J_PRIMITIVE, "type z");
	is_str(val(r, "z"), "null", "span z");
	is_int(fo_rec_type(r, fo_rec_find(r, "o")), FO_J_OBJECT, "type o");
	is_str(val(r, "o"), "{\"k\":[1,2]}", "span o: with braces");
	is_int(fo_rec_type(r, fo_rec_find(r, "a")), FO_J_ARRAY, "type a");
	is_str(val(r, "a"), "[{\"x\":1},2]", "span a: with brackets");
	t = fo_rec_find(r, "e");
	is_int(fo_rec_type(r, t), FO_J_STRING, "type e");
	is_int((long)fo_rec_span(r, t).n, 0, "span e: empty");
	is_int(fo_rec_type(r, -1), FO_J_UNDEF, "type of -1");
	is_int(fo_rec_type(r, r->ntok), FO_J_UNDEF, "type past the end");
	ok(fo_rec_span(r, -1).p == NULL && fo_rec_span(r, -1).n == 0,
	    "span of -1 is empty");
}

/*
 * fo_hash_words reads every byte: for every length from 0 to 40, a
 * one-bit change anywhere gives another hash, and the same bytes at
 * another address the same hash.
 */
static void
test_hash_words(void)
{
	unsigned char a[48], b[48];
	size_t n, i, bad = 0;
	uint64_t h;
	int bit;

	for (n = 0; n <= 40; n++) {
		for (i = 0; i < n; i++)
			a[i] = b[i + 1] = (unsigned char)(i * 37 + n);
		h = fo_hash_words(a, n);
		if (fo_hash_words(b + 1, n) != h)
			bad++;
		for (i = 0; i < n; i++)
			for (bit = 0; bit < 8; bit++) {
				a[i] ^= (unsigned char)(1u << bit);
				if (fo_hash_words(a, n) == h)
					bad++;
				a[i] ^= (unsigned char)(1u << bit);
			}
	}
	ok(bad == 0 && fo_hash_words("ab", 2) != fo_hash_words("ab\0", 3),
	    "fo_hash_words: every byte and the length count, %zu misses",
	    bad);
}

/*
 * fo_buf_put, whose copies of up to 16 bytes are two loads and two
 * stores that may overlap: every length from 0 to 40, after every
 * offset from 0 to 17 of the buffer, from a source one byte off
 * alignment, writes those bytes and nothing past them; the buffer grows
 * when it must.
 */
static void
test_buf_put(void)
{
	struct fo_buf b = { 0 };
	char src[48], want[64];
	size_t n, at, i, bad = 0, tried = 0;

	for (i = 0; i < sizeof src; i++)
		src[i] = (char)('A' + i % 26);
	for (n = 0; n <= 40; n++)
		for (at = 0; at <= 17; at++) {
			fo_buf_reset(&b);
			for (i = 0; i < at; i++)
				fo_buf_putc(&b, '.');
			fo_buf_put(&b, src + 1, n);
			fo_buf_putc(&b, '|');
			memset(want, '.', at);
			memcpy(want + at, src + 1, n);
			want[at + n] = '|';
			if (b.oom || b.n != at + n + 1 ||
			    memcmp(b.p, want, at + n + 1) != 0)
				bad++;
			tried++;
		}
	ok(bad == 0, "fo_buf_put: %zu copies of 0 to 40 bytes, %zu wrong",
	    tried, bad);
	fo_buf_free(&b);
}

/*
 * fo_same, the inline compare of keys and codes: for every length from 0
 * to 40 (the two-word cases, the four-byte cases, the byte cases and
 * past them memcmp's), the same bytes at other addresses are the same,
 * and a difference in any one byte, in any one bit of it, is seen; the
 * texts lie one byte off alignment from each other, as a key in a line
 * does.
 */
static void
test_same(void)
{
	unsigned char a[48], b[48];
	size_t n, i, bad = 0, tried = 0;
	int bit;

	for (n = 0; n <= 40; n++) {
		for (i = 0; i < n; i++)
			a[i] = b[i + 1] = (unsigned char)('a' + (i * 7 + n) % 26);
		if (!fo_same(a, b + 1, n))
			bad++;
		tried++;
		for (i = 0; i < n; i++)
			for (bit = 0; bit < 8; bit++) {
				b[i + 1] ^= (unsigned char)(1u << bit);
				if (fo_same(a, b + 1, n))
					bad++;
				b[i + 1] ^= (unsigned char)(1u << bit);
				tried++;
			}
	}
	ok(bad == 0 && tried == 41 + 8 * (40 * 41 / 2),
	    "fo_same: %zu compares of 0 to 40 bytes, %zu wrong", tried, bad);
	ok(fo_same("status", "status", 6) && !fo_same("status", "statu5", 6) &&
	    !fo_same("doc_type", "doc_typf", 8) && fo_same("", "x", 0) &&
	    !fo_same("ab", "ac", 2) && !fo_same("V00468 x", "V00469 x", 8),
	    "fo_same: field names and codes");
}

/* fo_named: a NUL-terminated name against the n bytes of a word in a
 * longer text, worked out by hand: the word's end is n, not a NUL. */
static void
test_named(void)
{
	static const char text[] = "envx input_line_number";

	ok(fo_named("env", text, 3) && !fo_named("env", text, 2) &&
	    !fo_named("env", text, 4) && !fo_named("en", text, 3) &&
	    !fo_named("envy", text, 4) && !fo_named("fnv", text, 3) &&
	    !fo_named("", text, 0) && !fo_named("env", text, 0),
	    "fo_named: a name against a prefix of a text");
	ok(fo_named("input_line_number", text + 5, 17) &&
	    !fo_named("input", text + 5, 17) &&
	    fo_named("input", text + 5, 5) &&
	    !fo_named("input_line_numbers", text + 5, 17),
	    "fo_named: a word that ends the text, and its prefix");
	/* strncmp stops at the NUL both hold; the name ends there, and
	 * its byte n lies past it (ASan's check-asan sees such a read) */
	ok(!fo_named("rules", "rules\0abc", 9) &&
	    !fo_named("a", "a\0", 2) && fo_named("a", "a\0", 1),
	    "fo_named: a word with a NUL inside, longer than the name");
}

/*
 * fo_rec_esc: whether a string token holds a backslash, as the walk
 * found it, whether the string lies in the line's plain prefix or after
 * its first special byte (here the é), and 0 for every other token,
 * an object holding escapes included. fo_rec_next and fo_rec_size on
 * the same tokens.
 */
static void
test_rec_esc(struct fo_rec *r)
{
	int t, o, a;

	ok(parse(r, "{\"plain\":\"abc\",\"k\\u0065y\":\"v\",\"q\":\"a\\\"b\","
	    "\"caf\xc3\xa9\":\"no escape\",\"late\":\"x\\ty\","
	    "\"o\":{\"in\":\"\\u00e9\"},\"a\":[\"p\",\"\\/\",3],"
	    "\"n\":1}") == FO_OK, "esc: parse");
	t = fo_rec_find(r, "plain");
	ok(!fo_rec_esc(r, t) && !fo_rec_esc(r, t - 1),
	    "esc: a plain value and its key");
	t = fo_rec_find(r, "key");
	ok(t > 0 && fo_rec_esc(r, t - 1) && !fo_rec_esc(r, t),
	    "esc: an escaped key, its plain value");
	ok(fo_rec_esc(r, fo_rec_find(r, "q")), "esc: \\\" in the value");
	t = fo_rec_find(r, "caf\xc3\xa9");
	ok(!fo_rec_esc(r, t) && !fo_rec_esc(r, t - 1),
	    "esc: past a non-ASCII byte, none");
	ok(fo_rec_esc(r, fo_rec_find(r, "late")), "esc: \\t after it");
	o = fo_rec_find(r, "o");
	ok(!fo_rec_esc(r, o) && fo_rec_esc(r, o + 2),
	    "esc: an object holding one is no string; its member is");
	a = fo_rec_find(r, "a");
	ok(fo_rec_size(r, a) == 3 && !fo_rec_esc(r, a + 1) &&
	    fo_rec_esc(r, a + 2) && !fo_rec_esc(r, a + 3),
	    "esc: array items, in turn");
	ok(!fo_rec_esc(r, fo_rec_find(r, "n")) && !fo_rec_esc(r, -1) &&
	    !fo_rec_esc(r, r->ntok), "esc: a number, no token, past the end");
	is_int(fo_rec_next(r, o), o + 3, "next: past the object's members");
	is_int(fo_rec_next(r, a), a + 4, "next: past the array's items");
	is_int(fo_rec_next(r, a + 1), a + 2, "next: a string's is the next");
	is_int(fo_rec_next(r, -1), -1, "next: no token");
	is_int(fo_rec_size(r, o), 1, "size: the object's members");
	is_int(fo_rec_size(r, fo_rec_find(r, "n")), 0, "size: a number's");
}

/* Decoded value of key k via fo_rec_str. */
static const char *
dec(const struct fo_rec *r, const char *k, struct fo_buf *b)
{
	if (fo_rec_str(r, fo_rec_find(r, k), b) != FO_OK)
		return "(error)";
	return b->p;
}

static void
test_rec_str(struct fo_rec *r)
{
	struct fo_buf b = { 0 };

	ok(parse(r, "{\"esc\":\"a\\nb\\t\\\"\\\\\\/\\b\\f\\r\","
	    "\"e\":\"\\u00e9\\u20AC\",\"pair\":\"\\ud83d\\ude00\","
	    "\"clef\":\"\\uD834\\uDD1E\",\"hi\":\"\\ud800\","
	    "\"lo\":\"x\\udc00y\",\"hiA\":\"\\ud800\\u0041\","
	    "\"inv\":\"\\ude00\\ud83d\",\"hihi\":\"\\ud800\\ud83d\\ude00\","
	    "\"nul\":\"a\\u0000b\",\"raw\":\"\xc3\xa9\xe2\x82\xac\","
	    "\"num\":12.50,\"plain\":\"no escapes\"}") == FO_OK,
	    "str: parse");
	is_str(dec(r, "esc", &b), "a\nb\t\"\\/\b\f\r", "str: named escapes");
	is_str(dec(r, "e", &b), "\xc3\xa9\xe2\x82\xac", "str: \\u to UTF-8");
	is_str(dec(r, "pair", &b), "\xf0\x9f\x98\x80",
	    "str: surrogate pair to 4 bytes");
	is_str(dec(r, "clef", &b), "\xf0\x9d\x84\x9e",
	    "str: upper-case hex pair");
	is_str(dec(r, "hi", &b), "\xef\xbf\xbd", "str: lone high -> U+FFFD");
	is_str(dec(r, "lo", &b), "x\xef\xbf\xbdy", "str: lone low -> U+FFFD");
	is_str(dec(r, "hiA", &b), "\xef\xbf\xbd" "A",
	    "str: high then non-surrogate");
	is_str(dec(r, "inv", &b), "\xef\xbf\xbd\xef\xbf\xbd",
	    "str: inverted pair -> two U+FFFD");
	is_str(dec(r, "hihi", &b), "\xef\xbf\xbd\xf0\x9f\x98\x80",
	    "str: high, then a whole pair");
	ok(fo_rec_str(r, fo_rec_find(r, "nul"), &b) == FO_OK && b.n == 3 &&
	    memcmp(b.p, "a\0b", 3) == 0, "str: \\u0000 kept, length in b.n");
	is_str(dec(r, "raw", &b), "\xc3\xa9\xe2\x82\xac", "str: raw UTF-8");
	is_str(dec(r, "num", &b), "12.50", "str: primitive as written");
	is_str(dec(r, "plain", &b), "no escapes",
	    "str: buffer reset between calls");
	is_int(fo_rec_str(r, -1, &b), FO_ERR, "str: no such token");
	is_str(fo_buf_cstr(&b), "", "str: buffer empty after FO_ERR");
	fo_buf_free(&b);
}

static void
nest(struct fo_buf *b, const char *pre, int n, const char *post)
{
	int i;

	fo_buf_reset(b);
	fo_buf_puts(b, pre);
	for (i = 0; i < n; i++)
		fo_buf_putc(b, '[');
	for (i = 0; i < n; i++)
		fo_buf_putc(b, ']');
	fo_buf_puts(b, post);
	fo_buf_cstr(b);
}

/* What jsmn says of n bytes: its token count, or its error (< 0). */
static int
jsmn_says(const char *s, size_t n)
{
	static jsmntok_t tok[256];
	jsmn_parser p;

	jsmn_init(&p);
	return jsmn_parse(&p, s, n, tok, sizeof tok / sizeof tok[0]);
}

/*
 * jsmn 1.1.0 in strict mode with parent links, as json.c includes it,
 * takes each of these: the reader must refuse them itself (rec_walk),
 * with check_text's message and column. Expected by hand from the text.
 */
static void
test_jsmn_lenient(struct fo_rec *r)
{
	static const struct {
		const char *text;
		int toks;		/* what jsmn returns (in strict mode
					 * ':' does not end a primitive:
					 * "1:2" is one) */
		long col;
		const char *msg, *what;
	} t[] = {
	{ "{\"a\":1,}", 3, 8, "expected string key, found '}'",
	    "trailing comma in an object" },
	{ "{\"a\":[1,]}", 4, 9, "expected value, found ']'",
	    "trailing comma in an array" },
	{ "{\"a\":[,1]}", 4, 7, "expected value, found ','",
	    "leading comma in an array" },
	{ "{,\"a\":1}", 3, 2, "expected string key, found ','",
	    "leading comma in an object" },
	{ "{\"a\":1,,\"b\":2}", 5, 8, "expected string key, found ','",
	    "two commas" },
	{ "{\"a\":[1 2]}", 5, 9, "expected ',' or ']', found '2'",
	    "missing comma in an array" },
	{ "{\"a\":1 \"b\":2}", 5, 8, "expected ',' or '}', found '\"'",
	    "missing comma in an object" },
	{ "{\"a\" \"b\"}", 3, 6, "expected ':' after key, found '\"'",
	    "missing colon, a string after the key" },
	{ "{\"a\"}", 2, 5, "expected ':' after key, found '}'",
	    "a key without a value" },
	{ "{\"a\":}", 2, 6, "expected value, found '}'",
	    "a colon without a value" },
	{ "{\"a\":1:2}", 3, 7, "expected ',' or '}', found ':'",
	    "a colon after a value" },
	{ "{\"a\":\"b\":\"c\"}", 4, 9, "expected ',' or '}', found ':'",
	    "a value used as a key" },
	{ "{\"a\":[1:2]}", 4, 8, "expected ',' or ']', found ':'",
	    "a colon in an array" },
	{ "{\"a\":1}{\"b\":2}", 6, 8, "trailing data after value",
	    "a second object after the record" },
	{ "{\"a\":1} 2 ", 4, 9, "trailing data after value",
	    "a number after the record" },
	{ "{\"a\":01}", 3, 7, "bad number", "leading zero" },
	{ "{\"a\":-}", 3, 7, "bad number", "a minus alone" },
	{ "{\"a\":1.}", 3, 8, "bad number", "no digit after the point" },
	{ "{\"a\":1e+}", 3, 9, "bad number", "no digit in the exponent" },
	{ "{\"a\":1.2.3}", 3, 9, "bad number", "two points" },
	{ "{\"a\":0x1F}", 3, 7, "bad number", "hex" },
	{ "{\"a\":tru}", 3, 9, "bad literal, expected true",
	    "a literal cut short" },
	{ "{\"a\":nulll}", 3, 10, "bad literal, expected null",
	    "a literal too long" },
	{ "{\"a\":fals3}", 3, 10, "bad literal, expected false",
	    "a literal misspelt" },
	{ "{\"a\":true\"b\"}", 3, 10, "expected ',' or '}', found '\"'",
	    "a string straight after a literal" },
	{ "{\"a\":\"x\ty\"}", 3, 8, "control character in string",
	    "a raw tab in a string" },
	{ "{\"a\x01\":1}", 3, 4, "control character in string",
	    "a control character in a key" },
	{ "{\"a\":\"\xff\"}", 3, 7, "invalid UTF-8", "a stray byte" },
	{ "{\"a\":\"\xc3\"}", 3, 7, "invalid UTF-8", "a cut sequence" },
	{ "{\"a\":\"\xed\xa0\x80\"}", 3, 7, "invalid UTF-8",
	    "a raw surrogate" },
	{ "{\"a\":\"\xc0\xaf\"}", 3, 7, "invalid UTF-8", "an overlong form" },
	};
	/* jsmn refuses these itself; the messages are still check_text's */
	static const struct {
		const char *text;
		long col;
		const char *msg, *what;
	} u[] = {
	{ "{\"a\" 1}", 6, "expected ':' after key, found '1'",
	    "missing colon before a number" },
	{ "{1:2}", 2, "expected string key, found '1'", "a number as a key" },
	{ "{\"a\":1,2}", 8, "expected string key, found '2'",
	    "a number where a key must be" },
	{ "{{}:1}", 2, "expected string key, found '{'", "an object as a key" },
	{ "{[1]:1}", 2, "expected string key, found '['", "an array as a key" },
	{ "{\"a\":[1}]", 8, "expected ',' or ']', found '}'",
	    "brackets that do not match" },
	{ "{\"a\":\"\\x\"}", 8, "bad escape '\\x'", "a bad escape" },
	{ "{\"a\":\"\\u12G4\"}", 11, "bad \\u escape: expected 4 hex digits",
	    "a bad \\u escape" },
	{ "{\"a\":x}", 6, "expected value, found 'x'", "a bare word" },
	};
	struct fo_buf b = { 0 };
	char msg[64];
	size_t i;
	int cap;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		is_int(jsmn_says(t[i].text, strlen(t[i].text)), t[i].toks,
		    "jsmn takes %s", t[i].what);
		rejects(r, t[i].text, t[i].col, t[i].msg, t[i].what);
	}
	for (i = 0; i < sizeof u / sizeof u[0]; i++) {
		ok(jsmn_says(u[i].text, strlen(u[i].text)) < 0,
		    "jsmn refuses %s", u[i].what);
		rejects(r, u[i].text, u[i].col, u[i].msg, u[i].what);
	}
	/* a NUL byte ends jsmn's input: what follows it is not read */
	is_int(jsmn_says("{\"a\":1}\0{", 9), 3, "jsmn stops at a NUL");
	reject(r, "{\"a\":1}\0{", 9, 8, "trailing data after value",
	    "a NUL after the record");
	/* jsmn has no depth limit: 65 arrays deep in the record */
	nest(&b, "{\"a\":", FO_JSON_MAX_DEPTH, "}");
	is_int(jsmn_says(b.p, b.n), FO_JSON_MAX_DEPTH + 2,
	    "jsmn takes any depth");
	snprintf(msg, sizeof msg, "nesting deeper than %d", FO_JSON_MAX_DEPTH);
	rejects(r, b.p, 5 + FO_JSON_MAX_DEPTH, msg, "65 deep, jsmn's tokens");
	/* a million '[' is refused at the 65th, without a token for each
	 * nor jsmn's closing walk up the open brackets (quadratic: this
	 * ran for minutes before json.c checked long lines first) */
	cap = r->cap;
	nest(&b, "{\"a\":", 1000000, "}");
	rejects(r, b.p, 5 + FO_JSON_MAX_DEPTH, msg, "a million deep");
	ok(r->cap <= cap * 2 && r->cap < 100000,
	    "a million deep: the tokens did not grow for it (%d, were %d)",
	    r->cap, cap);
	fo_buf_free(&b);
}

static void
test_depth(struct fo_rec *r)
{
	struct fo_buf b = { 0 };
	struct fo_err e;
	char msg[64];
	int i;

	snprintf(msg, sizeof msg, "nesting deeper than %d", FO_JSON_MAX_DEPTH);
	nest(&b, "", FO_JSON_MAX_DEPTH, "");
	ok(fo_json_check(b.p, b.n, FO_JSON_MAX_DEPTH, &e) == FO_OK,
	    "%d nested arrays accepted", FO_JSON_MAX_DEPTH);
	nest(&b, "", FO_JSON_MAX_DEPTH + 1, "");
	fo_err_clear(&e);
	ok(fo_json_check(b.p, b.n, FO_JSON_MAX_DEPTH, &e) == FO_ERR,
	    "%d nested arrays rejected", FO_JSON_MAX_DEPTH + 1);
	is_str(e.msg, msg, "depth: message");
	is_int(e.col, FO_JSON_MAX_DEPTH + 1, "depth: col of the bracket");

	/* In a record the object is the first level. */
	nest(&b, "{\"a\":", FO_JSON_MAX_DEPTH - 1, "}");
	ok(parse(r, b.p) == FO_OK, "record at the depth limit accepted");
	nest(&b, "{\"a\":", FO_JSON_MAX_DEPTH, "}");
	rejects(r, b.p, 5 + FO_JSON_MAX_DEPTH, msg,
	    "record past the depth limit");

	fo_buf_reset(&b);
	fo_buf_puts(&b, "{\"a\":");
	for (i = 0; i < FO_JSON_MAX_DEPTH; i++)
		fo_buf_puts(&b, "{\"a\":");
	fo_buf_puts(&b, "1");
	for (i = 0; i <= FO_JSON_MAX_DEPTH; i++)
		fo_buf_putc(&b, '}');
	fo_buf_cstr(&b);
	fo_err_clear(&e);
	ok(fo_json_check(b.p, b.n, FO_JSON_MAX_DEPTH, &e) == FO_ERR &&
	    strcmp(e.msg, msg) == 0, "nested objects count too");

	nest(&b, "", 5000, "");
	ok(fo_json_check(b.p, b.n, 5000, NULL) == FO_OK,
	    "5000 deep with max_depth 5000");
	ok(fo_json_check(b.p, b.n, 4999, NULL) == FO_ERR,
	    "5000 deep with max_depth 4999");
	ok(fo_json_check("1", 1, 0, NULL) == FO_OK, "max_depth 0: scalar");
	ok(fo_json_check("[]", 2, 0, NULL) == FO_ERR, "max_depth 0: no array");
	fo_buf_free(&b);
}

static void
test_big(struct fo_rec *r)
{
	struct fo_buf b = { 0 }, s = { 0 };
	size_t big = 1 << 20, i;
	struct fo_span sp;

	fo_buf_puts(&b, "{\"n\":1,\"big\":\"");
	for (i = 0; i < big; i++)
		fo_buf_putc(&b, "abcdefghij"[i % 10]);
	fo_buf_puts(&b, "\",\"m\":2}");
	fo_buf_cstr(&b);
	ok(!b.oom && parse(r, b.p) == FO_OK, "1 MB string value");
	sp = fo_rec_span(r, fo_rec_find(r, "big"));
	is_int((long)sp.n, (long)big, "1 MB: span length");
	ok(fo_rec_str(r, fo_rec_find(r, "big"), &s) == FO_OK && s.n == big &&
	    memcmp(s.p, sp.p, big) == 0, "1 MB: decoded");
	is_str(val(r, "m"), "2", "1 MB: key after it");

	/* The same size in escapes: half as many decoded bytes. */
	fo_buf_reset(&b);
	fo_buf_puts(&b, "{\"big\":\"");
	for (i = 0; i < big / 2; i++)
		fo_buf_puts(&b, "\\n");
	fo_buf_puts(&b, "\"}");
	fo_buf_cstr(&b);
	ok(parse(r, b.p) == FO_OK, "1 MB of escapes");
	ok(fo_rec_str(r, fo_rec_find(r, "big"), &s) == FO_OK &&
	    s.n == big / 2 && s.p[0] == '\n' && s.p[s.n - 1] == '\n',
	    "1 MB of escapes: decoded");
	fo_buf_free(&b);
	fo_buf_free(&s);
}

/* One struct fo_rec over lines of different token counts; ASan's leak
 * check covers the "no leak" part. */
/*
 * The walk reads a line 32, 16 and 8 bytes at a time for the bytes its
 * strings must look at: a control character, an escape, a non-ASCII
 * byte at each place of an 80-byte value (and of a second one after it)
 * gets the verdict and column it gets anywhere.
 */
static void
test_rec_lanes(struct fo_rec *r)
{
	struct fo_buf b = { 0 }, v = { 0 };
	struct fo_err e;
	char pad[81], want[96];
	int k, wrong = 0, wrongcol = 0, wrongval = 0, second;

	memset(pad, 'x', 80);
	pad[80] = '\0';
	for (second = 0; second <= 1; second++)
		for (k = 0; k < 80; k++) {
			/* a control character: refused at its column */
			fo_buf_reset(&b);
			fo_buf_puts(&b, second ? "{\"z\":\"\xc3\xa9\",\"a\":\"" :
			    "{\"a\":\"");
			fo_buf_put(&b, pad, (size_t)k);
			fo_buf_putc(&b, '\x01');
			fo_buf_put(&b, pad, (size_t)(79 - k));
			fo_buf_puts(&b, "\"}");
			fo_err_clear(&e);
			if (fo_rec_parse(r, b.p, b.n, &e) != FO_ERR ||
			    strcmp(e.msg, "control character in string") != 0)
				wrong++;
			/* {"z":"é","a":" is 15 bytes, {"a":" 6 */
			else if (e.col != (second ? 16 : 7) + k)
				wrongcol++;
			/* an escape and a non-ASCII character: taken */
			fo_buf_reset(&b);
			fo_buf_puts(&b, second ? "{\"z\":\"\xc3\xa9\",\"a\":\"" :
			    "{\"a\":\"");
			fo_buf_put(&b, pad, (size_t)k);
			fo_buf_puts(&b, "\\n\xc3\xa9");
			fo_buf_put(&b, pad, (size_t)(79 - k));
			fo_buf_puts(&b, "\"}");
			snprintf(want, sizeof want, "%.*s\n\xc3\xa9%.*s", k, pad,
			    79 - k, pad);
			if (fo_rec_parse(r, b.p, b.n, NULL) != FO_OK)
				wrong++;
			else if (fo_rec_str(r, fo_rec_find(r, "a"), &v) !=
			    FO_OK || strcmp(v.p, want) != 0)
				wrongval++;
		}
	is_int(wrong, 0, "lanes: each verdict as anywhere");
	is_int(wrongcol, 0, "lanes: each control character's column");
	is_int(wrongval, 0, "lanes: each value decoded");
	fo_buf_free(&b);
	fo_buf_free(&v);
}

/* A record never tokenised (its first line empty) has no token array:
 * the lookups answer none without pointing past it (UBSan, check-asan). */
/* Records of 63, 64 and 65 tokens, each into a new record: the token
 * array starts at 64 and keeps one more than a line's tokens. */
static void
test_token_edge(void)
{
	struct fo_rec r;
	struct fo_buf b = { 0 };
	struct fo_err e;
	int k, i;

	for (k = 60; k <= 62; k++) {
		fo_rec_init(&r);
		fo_buf_reset(&b);
		fo_buf_puts(&b, "{\"a\":[");
		for (i = 0; i < k; i++)
			fo_buf_puts(&b, i ? ",1" : "1");
		fo_buf_puts(&b, "]}");
		fo_err_clear(&e);
		ok(fo_rec_parse(&r, b.p, b.n, &e) == FO_OK,
		    "%d tokens: parsed", k + 3);
		is_int(fo_rec_size(&r, fo_rec_find(&r, "a")), k,
		    "%d tokens: the array's items", k + 3);
		is_int(fo_rec_next(&r, 0), k + 3, "%d tokens: the root's next",
		    k + 3);
		fo_rec_free(&r);
	}
	fo_buf_free(&b);
}

static void
test_untokenised(void)
{
	struct fo_rec r;
	struct fo_err e;

	fo_rec_init(&r);
	fo_err_clear(&e);
	ok(fo_rec_parse(&r, "", 0, &e) == FO_ERR, "untokenised: empty line");
	is_int(fo_rec_find(&r, "a"), -1, "untokenised: find");
	is_int(fo_rec_member(&r, 0, "a", 1), -1, "untokenised: member");
	is_int(fo_rec_next(&r, 0), -1, "untokenised: next");
	fo_rec_free(&r);
}

static void
test_reuse(void)
{
	static const int sizes[] = { 0, 5, 3000, 1, 20000, 2, 20000, 0, 7 };
	struct fo_rec r;
	struct fo_buf b = { 0 };
	struct fo_err e;
	size_t k;
	int i, fail = 0, cap = 0, cap_grew_again = 0;
	char want[32];

	fo_rec_init(&r);
	for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		fo_buf_reset(&b);
		fo_buf_puts(&b, "{\"v\":[");
		for (i = 0; i < sizes[k]; i++)
			fo_buf_printf(&b, "%s%d", i ? "," : "", i);
		fo_buf_printf(&b, "],\"n\":%d}", sizes[k]);
		if (fo_rec_parse(&r, b.p, b.n, &e) != FO_OK) {
			fail++;
			continue;
		}
		snprintf(want, sizeof want, "%d", sizes[k]);
		if (r.ntok != sizes[k] + 5 || strcmp(val(&r, "n"), want) != 0)
			fail++;
		if (sizes[k] == 20000) {
			if (cap != 0 && r.cap != cap)
				cap_grew_again = 1;
			cap = r.cap;
		}
		/* A bad line in between must not spoil the next. */
		if (fo_rec_parse(&r, "{\"a\":1,\"a\":2}", 13, &e) != FO_ERR)
			fail++;
	}
	is_int(fail, 0, "one fo_rec over lines of 5 to 20005 tokens");
	ok(cap >= 20005 && !cap_grew_again,
	    "token array kept and grown only when needed (cap %d)", cap);
	fo_rec_free(&r);
	ok(r.tok == NULL && r.ntok == 0 && r.cap == 0, "fo_rec_free resets");
	fo_rec_free(&r);
	ok(1, "fo_rec_free twice is harmless");
	fo_buf_free(&b);
}

static void
test_columns(struct fo_rec *r)
{
	rejects(r, "{\"a\":1,}", 8, "expected string key, found '}'",
	    "trailing comma in object");
	rejects(r, "{\"a\" 1}", 6, "expected ':' after key, found '1'",
	    "missing colon");
	rejects(r, "{\"a\":01}", 7, "bad number", "leading zero");
	rejects(r, "{\"a\":-}", 7, "bad number", "lone minus");
	rejects(r, "{\"a\":1.}", 8, "bad number", "no fraction digits");
	rejects(r, "{\"a\":1e+}", 9, "bad number", "no exponent digits");
	rejects(r, "{\"a\":\"x", 6, "unterminated string",
	    "unterminated string");
	rejects(r, "{\"a\":\"x\\", 6, "unterminated string",
	    "unterminated after backslash");
	rejects(r, "{\"a\":\"x\ty\"}", 8, "control character in string",
	    "raw tab in string");
	reject(r, "{\"a\":\"x\0\"}", 10, 8, "control character in string",
	    "raw NUL in string");
	rejects(r, "{\"a\":\"ab\xff\"}", 9, "invalid UTF-8",
	    "bad UTF-8 in string");
	rejects(r, "{\"a\":\"\xc3\xa9\xe2\x82\"}", 9, "invalid UTF-8",
	    "truncated UTF-8 after a good character");
	rejects(r, "{\"a\":\"\xed\xa0\x80\"}", 7, "invalid UTF-8",
	    "raw surrogate in string");
	rejects(r, "{\"a\":1} x", 9, "trailing data after value",
	    "trailing data");
	rejects(r, "{\"a\":1}{}", 8, "trailing data after value",
	    "two objects");
	rejects(r, "{\"a\":tru}", 9, "bad literal, expected true",
	    "short literal");
	rejects(r, "{\"a\":nullx}", 10, "bad literal, expected null",
	    "long literal");
	rejects(r, "{\"a\":\"\\x\"}", 8, "bad escape '\\x'", "bad escape");
	rejects(r, "{\"a\":\"\\u12G4\"}", 11,
	    "bad \\u escape: expected 4 hex digits", "bad \\u escape");
	rejects(r, "{\"a\":[1 2]}", 9, "expected ',' or ']', found '2'",
	    "missing comma in array");
	rejects(r, "{\"a\":1 \"b\":2}", 8, "expected ',' or '}', found '\"'",
	    "missing comma in object");
	rejects(r, "{\"a\":1", 7,
	    "unexpected end of input, expected ',' or '}'", "unclosed object");
	rejects(r, "{\"a\":", 6, "unexpected end of input, expected value",
	    "missing value at the end");
	rejects(r, "{\"a\":]", 6, "expected value, found ']'", "bad value");
	rejects(r, "{a:1}", 2, "expected string key, found 'a'",
	    "unquoted key");
	rejects(r, "\xef\xbb\xbf{}", 1, "expected value, found U+FEFF",
	    "byte order mark");
	rejects(r, "{\"a\":\xff}", 6, "invalid UTF-8", "bad UTF-8 as value");
	rejects(r, "{\"a\":\x01}", 6, "expected value, found byte 0x01",
	    "control byte as value");
	rejects(r, "{\"a\":1,\"b\":[1,{\"c\":[}]]}", 21,
	    "expected value, found '}'", "mismatched bracket");
	rejects(r, "{\"a\":\f1}", 6, "expected value, found byte 0x0c",
	    "form feed is not whitespace");
}

/* fo_utf8_scrub: what is not UTF-8 becomes '?', byte by byte. */
static void
test_scrub(void)
{
	static const struct {
		const char *in, *want, *what;
	} t[] = {
		{ "plain", "plain", "ASCII stays" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac "
		    "\xf0\x9f\x98\x80", "2, 3 and 4 bytes stay" },
		{ "cut \xc3", "cut ?", "a character cut after its first byte" },
		{ "cut \xe2\x82", "cut ??", "cut after two of three" },
		{ "caf\xe9 x", "caf? x", "Latin-1" },
		{ "\xed\xa0\x80", "???", "a surrogate" },
		{ "\xc0\xaf", "??", "an overlong" },
		{ "\x80" "a\xbf", "?a?", "lone continuation bytes" },
		{ "", "", "empty" },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(buf, sizeof buf, "%s", t[i].in);
		fo_utf8_scrub(buf);
		is_str(buf, t[i].want, "scrub: %s", t[i].what);
	}
}

int
main(void)
{
	struct fo_rec r;

	test_suite();
	test_writer();
	test_writer_lanes();
	test_obj();
	fo_rec_init(&r);
	test_rec_accept(&r);
	test_rec_reject(&r);
	test_rec_many_keys(&r);
	test_rec_find(&r);
	test_rec_field(&r);
	test_unescape();
	test_same();
	test_named();
	test_buf_put();
	test_hash_words();
	test_rec_span(&r);
	test_rec_esc(&r);
	test_rec_str(&r);
	test_depth(&r);
	test_jsmn_lenient(&r);
	test_big(&r);
	test_columns(&r);
	test_rec_lanes(&r);
	fo_rec_free(&r);
	test_untokenised();
	test_token_edge();
	test_reuse();
	test_scrub();
	fo_buf_free(&out);
	return done_testing();
}
