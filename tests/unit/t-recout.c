/* t-recout.c - records written back: keys replaced in place, added at
 * the end, every other byte as read; idempotent. */
#include <limits.h>

#include "tap.h"
#include "fo.h"

static void
is_written(const char *in, const struct fo_kv *kv, size_t n, const char *want,
    const char *name)
{
	struct fo_rec r;
	struct fo_buf b = { 0 };
	struct fo_err e;

	fo_rec_init(&r);
	if (!ok(fo_rec_parse(&r, in, strlen(in), &e) == FO_OK, "%s: parses",
	    name)) {
		fo_rec_free(&r);
		return;
	}
	ok(fo_rec_write(&r, kv, n, &b) == FO_OK, "%s: writes", name);
	is_str(fo_buf_cstr(&b), want, "%s", name);
	fo_buf_free(&b);
	fo_rec_free(&r);
}

#define KV(k, v) { k, v, sizeof v - 1 }

int
main(void)
{
	struct fo_kv add[] = { KV("priority", "42"), KV("band", "\"P2\"") };
	struct fo_kv rep[] = { KV("band", "\"P1\""), KV("priority", "7") };
	struct fo_kv one[] = { KV("a", "[1,2]") };
	struct fo_kv esc[] = { KV("r\"x", "\"v\\n\"") };

	is_written("{\"id\":\"x\",\"amount\":1234.50}", add, 2,
	    "{\"id\":\"x\",\"amount\":1234.50,\"priority\":42,\"band\":\"P2\"}",
	    "new keys at the end, in order");
	is_written("{\"id\":\"x\",\"priority\":42,\"band\":\"P2\"}", rep, 2,
	    "{\"id\":\"x\",\"priority\":7,\"band\":\"P1\"}",
	    "present keys replaced in place, whatever the order given");
	is_written("{ \"b\" : {\"a\": 0},  \"a\" : \"old\" , \"z\":null }", one, 1,
	    "{ \"b\" : {\"a\": 0},  \"a\" : [1,2] , \"z\":null }",
	    "spacing kept; a nested key of the same name untouched");
	is_written("{}", one, 1, "{\"a\":[1,2]}", "an empty object");
	is_written("{ }", add, 2, "{ \"priority\":42,\"band\":\"P2\"}",
	    "an empty object with a space");
	is_written("{\"n\":1.000e3,\"s\":\"\\u00e9\"}", esc, 1,
	    "{\"n\":1.000e3,\"s\":\"\\u00e9\",\"r\\\"x\":\"v\\n\"}",
	    "unknown values byte for byte; a key that needs escaping");
	is_written("{\"id\":\"x\",\"amount\":1234.50,\"priority\":42,\"band\":\"P2\"}",
	    add, 2,
	    "{\"id\":\"x\",\"amount\":1234.50,\"priority\":42,\"band\":\"P2\"}",
	    "written twice: the same bytes");
	is_written("{\"a\":\"x\",\"a\\u0000\":1}", one, 1,
	    "{\"a\":[1,2],\"a\\u0000\":1}", "only the exact key is replaced");

	/* fo_rec_write knows a key again by its address: a buffer that
	 * holds another name next time is another key, longer, shorter,
	 * or one that needs escaping */
	{
		static const struct {
			const char *key, *in, *want, *name;
		} ren[] = {
			{ "aa", "{\"aa\":0}", "{\"aa\":1}",
			    "a key in a buffer: replaced in place" },
			{ "aa", "{\"aa\":0}", "{\"aa\":1}",
			    "the same key at the same address again" },
			{ "bb", "{\"aa\":0}", "{\"aa\":0,\"bb\":1}",
			    "the buffer holds another name: added, not taken "
			    "for aa" },
			{ "bbbb", "{\"bb\":0}", "{\"bb\":0,\"bbbb\":1}",
			    "a longer name that starts with the one before" },
			{ "b", "{\"bb\":0}", "{\"bb\":0,\"b\":1}",
			    "a shorter name, a prefix of the one before" },
			{ "q\"", "{}", "{\"q\\\"\":1}",
			    "a name that needs an escape" },
			{ "q\"", "{\"q\\\"\":[]}", "{\"q\\\"\":1}",
			    "the same, found in the record" },
		};
		char kb[16];
		struct fo_kv kv[] = { { kb, "1", 1 } };
		size_t i;

		for (i = 0; i < sizeof ren / sizeof ren[0]; i++) {
			strcpy(kb, ren[i].key);
			is_written(ren[i].in, kv, 1, ren[i].want, ren[i].name);
		}
	}
	/* more keys than the cache's slots, twice: each written as named */
	{
		static char names[100][8];
		struct fo_kv kv[50];
		char want[2048], *w;
		size_t i, round, k;

		for (round = 0; round < 2; round++) {
			w = want;
			/* k0 is in the record: replaced in place */
			w += sprintf(w, round ? "{\"k0\":\"x\"" : "{\"k0\":7");
			for (i = 0; i < 50; i++) {
				k = round * 50 + i;
				snprintf(names[k], sizeof names[0], "k%zu", k);
				kv[i].key = names[k];
				kv[i].val = "7";
				kv[i].vlen = 1;
				if (k > 0)
					w += sprintf(w, ",\"k%zu\":7", k);
			}
			strcpy(w, "}");
			is_written("{\"k0\":\"x\"}", kv, 50, want,
			    round ? "50 other keys after them" :
			    "50 keys, one of them in the record");
		}
	}

	/* the integers the stages write on every record */
	{
		struct fo_buf b = { 0 };

		fo_buf_putll(&b, 0);
		fo_buf_putc(&b, ' ');
		fo_buf_putll(&b, 7);
		fo_buf_putc(&b, ' ');
		fo_buf_putll(&b, 9);
		fo_buf_putc(&b, ' ');
		fo_buf_putll(&b, 10);
		fo_buf_putc(&b, ' ');
		fo_buf_putll(&b, 99);
		fo_buf_putc(&b, ' ');
		fo_buf_putll(&b, 100);
		fo_buf_putc(&b, ' ');
		fo_buf_putll(&b, -1);
		fo_buf_putc(&b, ' ');
		fo_buf_putll(&b, -42);
		fo_buf_putc(&b, ' ');
		fo_buf_putll(&b, 1234567890123LL);
		fo_buf_putc(&b, ' ');
		fo_buf_putll(&b, LLONG_MIN);
		fo_buf_putc(&b, ' ');
		fo_buf_putll(&b, LLONG_MAX);
		is_str(fo_buf_cstr(&b), "0 7 9 10 99 100 -1 -42 1234567890123 "
		    "-9223372036854775808 9223372036854775807",
		    "fo_buf_putll: as %%lld writes them, the extremes too");
		fo_buf_free(&b);
	}
	return done_testing();
}
