/*
 * fuzz-rules.c - libFuzzer: the rules and profile loaders must not
 * crash, hang or leak on any file, and every error they report must
 * have a message, in UTF-8. The first byte picks the loader (p
 * profile, c fo-classify's rules, s fo-score's model, r fo-route's
 * policy, a fo-age's rules, x a rates file in YAML, u the currency
 * table; any other byte: by its value), the rest is the file, written where the loaders read it:
 * they take a path, as the tools give them. What loads is used a
 * little: the score model and the age rules on a record (no jq there,
 * so no rule can loop); jq's conditions are compiled, never run, for a
 * fuzzed condition may loop forever by design (fo.7, SECURITY).
 *
 * libjq 1.6 leaks in index, rindex and indices at run time, which the
 * loaders refuse. Compiling, its parser loses the string it was lexing
 * when a program ends inside one (corpus: jq-unterminated-string, found
 * here in CI); jqprog.c keeps LeakSanitizer from counting what
 * jq_compile allocates, and nothing else.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

static char path[256];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/fuzz-rules.XXXXXX";

	(void)argc;
	(void)argv;
	if (mkdtemp(dir) == NULL)
		abort();
	/* a profile must be named like its file: "profile: fuzz" */
	snprintf(path, sizeof path, "%s/fuzz.yaml", dir);
	return 0;
}

static void
check_errs(const struct fo_errs *es, int rc)
{
	size_t i;

	if (rc == FO_OK && es->n != 0)
		__builtin_trap();
	if (rc == FO_ERR && es->n == 0)
		__builtin_trap();
	for (i = 0; i < es->n; i++)
		if (es->v[i].msg[0] == '\0' || es->v[i].line < 0 ||
		    es->v[i].col < 0 || fo_utf8_check(es->v[i].msg,
		    strlen(es->v[i].msg)) != strlen(es->v[i].msg))
			__builtin_trap();
}

static const char rec1[] = "{\"id\":\"a\",\"exception\":\"price_variance\","
    "\"exceptions\":[\"price_variance\"],\"sensitivity\":\"high\","
    "\"confidence\":0.9,\"vendor_id\":\"V1\",\"currency\":\"EUR\","
    "\"amount\":1234.50,\"doc_date\":\"2026-10-01\",\"due_date\":"
    "\"2026-11-30\",\"terms\":\"2/10 net 30\",\"hold_date\":\"2026-11-02\","
    "\"queue\":\"purchasing\",\"sla_due\":\"2026-11-20T17:00:00Z\"}";

static void
use_score(struct fo_score *s)
{
	struct fo_rec r;
	struct fo_buf out = { 0 };
	struct fo_err e;

	fo_score_use(s, NULL, NULL, 20598);
	fo_rec_init(&r);
	if (fo_rec_parse(&r, rec1, sizeof rec1 - 1, &e) != FO_OK)
		__builtin_trap();
	(void)fo_score_rec(s, &r, &out, &e);
	fo_rec_free(&r);
	fo_buf_free(&out);
}

static void
use_age(const struct fo_age_cfg *cfg)
{
	struct fo_age *a;
	struct fo_rec r;
	struct fo_buf out = { 0 };
	struct fo_err e;

	if ((a = fo_age_new(cfg, 20598, (int64_t)20598 * 86400, "2026-11-24",
	    NULL, 0)) == NULL)
		return;
	fo_rec_init(&r);
	if (fo_rec_parse(&r, rec1, sizeof rec1 - 1, &e) != FO_OK)
		__builtin_trap();
	(void)fo_age_rec(a, &r, 1, &out, &e);
	(void)fo_age_rec(a, &r, 0, &out, &e);
	fo_buf_reset(&out);
	(void)fo_age_write(a, FO_AGE_TABLE, 0, &out);
	fo_rec_free(&r);
	fo_buf_free(&out);
	fo_age_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fo_errs es = { 0 };
	struct fo_profile *p;
	struct fo_classify *c;
	struct fo_score *s;
	struct fo_route *r;
	struct fo_rates *rt;
	struct fo_currencies *cur;
	struct fo_curmatch m;
	struct fo_age_cfg cfg;
	static const char loaders[] = "pcsraxu";	/* by the first byte */
	const char *p_pick;
	FILE *f;
	int rc, which;

	if (size == 0)
		return 0;
	which = data[0] % 7;
	p_pick = strchr(loaders, data[0]);
	if (data[0] != '\0' && p_pick != NULL)
		which = (int)(p_pick - loaders);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	if (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1)
		abort();
	if (fclose(f) != 0)
		abort();

	switch (which) {
	case 0:
		rc = fo_profile_load(path, &p, &es);
		check_errs(&es, rc);
		if (rc == FO_OK)
			fo_profile_free(p);
		break;
	case 1:
		rc = fo_classify_load(path, &c, &es);
		check_errs(&es, rc);
		if (rc == FO_OK)
			fo_classify_free(c);
		break;
	case 2:
		rc = fo_score_load(path, &s, &es);
		check_errs(&es, rc);
		if (rc == FO_OK) {
			use_score(s);
			fo_score_free(s);
		}
		break;
	case 3:
		rc = fo_route_load(path, &r, &es);
		check_errs(&es, rc);
		if (rc == FO_OK)
			fo_route_free(r);
		break;
	case 4:
		memset(&cfg, 0, sizeof cfg);
		rc = fo_age_load(path, &cfg, &es);
		check_errs(&es, rc);
		if (rc == FO_OK)
			use_age(&cfg);
		break;
	case 6:
		rc = fo_currencies_load(path, &cur, &es);
		check_errs(&es, rc);
		if (rc == FO_OK) {
			(void)fo_currency_lookup(cur, "$", 1, &m);
			(void)fo_currency_lookup(cur, "US Dollar", 9, &m);
			(void)fo_currency_lookup(cur, "$CAD", 4, &m);
			fo_currencies_free(cur);
		}
		break;
	default:
		rc = fo_rates_load(path, "EUR", &rt, &es);
		check_errs(&es, rc);
		if (rc == FO_OK)
			fo_rates_free(rt);
		break;
	}
	fo_errs_free(&es);
	return 0;
}
