/*
 * fuzz-pipeline.c - libFuzzer: records through the four stages with the
 * shipped rules (rules/, testdata/demo-rates.csv), as
 * fo-classify | fo-score | fo-route | fo-age -a run them. Each line of
 * the input is a record; every stage either writes a record that the
 * next one can read (valid JSON, valid UTF-8: the reader is strict) or
 * refuses it with a UTF-8 message and a column inside the line; no
 * crash, no leak. fo-classify and fo-score, run again on their own
 * output, change nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

#ifndef FO_FUZZ_DIR
#define FO_FUZZ_DIR "."
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

#define MAX_LINES	16

static struct fo_classify *cls;
static struct fo_score *sco;
static struct fo_rates *rates;
static struct fo_route *rou;
static struct fo_age_cfg agecfg;
static struct fo_dup_params dp;
static int has_dup;
static struct fo_asof asof;	/* the one as-of (lib/value/asof.c) */
static int32_t as_of;
static int64_t at;
static struct fo_rec rec, again;
static struct fo_buf out[5];

static void
load_fail(const char *what, struct fo_errs *es)
{
	fprintf(stderr, "fuzz-pipeline: %s: %s\n", what,
	    es->n ? es->v[0].msg : "?");
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fo_errs es = { 0 };
	struct fo_err e;

	(void)argc;
	(void)argv;
	if (fo_classify_load(FO_FUZZ_DIR "/rules/classify.yaml", &cls,
	    &es) != FO_OK)
		load_fail("classify.yaml", &es);
	has_dup = fo_classify_dup_params(cls, &dp);
	if (fo_score_load(FO_FUZZ_DIR "/rules/score.yaml", &sco, &es) !=
	    FO_OK)
		load_fail("score.yaml", &es);
	if (fo_rates_load(FO_FUZZ_DIR "/testdata/demo-rates.csv",
	    fo_score_base(sco), &rates, &es) != FO_OK)
		load_fail("demo-rates.csv", &es);
	if (fo_route_load(FO_FUZZ_DIR "/rules/route.yaml", &rou, &es) !=
	    FO_OK)
		load_fail("route.yaml", &es);
	if (fo_age_load(FO_FUZZ_DIR "/rules/age.yaml", &agecfg, &es) !=
	    FO_OK)
		load_fail("age.yaml", &es);
	fo_errs_free(&es);
	if (fo_asof_parse("2026-11-21", "--as-of", &asof, &e) != FO_OK)
		abort();
	as_of = asof.day;
	at = asof.at;
	fo_score_use(sco, rates, NULL, as_of);
	/* fo-score's sla_risk reads fo-route's SLAs, as fo-score does */
	if (fo_score_uses_sla(sco))
		fo_score_sla(sco, rou, &asof);
	fo_rec_init(&rec);
	fo_rec_init(&again);
	return 0;
}

static int
utf8(const char *s)
{
	return fo_utf8_check(s, strlen(s)) == strlen(s);
}

/* A refusal: a message in UTF-8, a column inside the line (0: none). */
static void
check_err(const struct fo_err *e, size_t n)
{
	if (e->msg[0] == '\0' || !utf8(e->msg) || e->col < 0 ||
	    (size_t)e->col > n + 1)
		abort();
}

/* What a stage wrote must be a record the next stage can read. */
static void
check_out(struct fo_rec *r, const struct fo_buf *b)
{
	struct fo_err e;

	if (memchr(b->p, '\n', b->n) != NULL ||
	    fo_rec_parse(r, b->p, b->n, &e) != FO_OK) {
		fprintf(stderr, "fuzz-pipeline: not a record: %.*s\n%s\n",
		    (int)b->n, b->p, e.msg);
		abort();
	}
}

static void
same(const struct fo_buf *a, const struct fo_buf *b, const char *stage)
{
	if (a->n != b->n || memcmp(a->p, b->p, a->n) != 0) {
		fprintf(stderr, "fuzz-pipeline: %s twice differs:\n%.*s\n"
		    "%.*s\n", stage, (int)a->n, a->p, (int)b->n, b->p);
		abort();
	}
}

/* One line through the stages; what each wrote, in out[1..4]. */
static void
stages(const char *line, size_t n, struct fo_dup *dup, struct fo_age *age,
    long lineno)
{
	struct fo_err e;
	struct fo_dup *fresh;
	const struct fo_buf *in;
	char defid[32];
	size_t q;
	int rc, i;

	for (i = 0; i < 5; i++)
		fo_buf_reset(&out[i]);
	fo_err_clear(&e);
	if (fo_rec_parse(&rec, line, n, &e) != FO_OK) {
		check_err(&e, n);
		return;
	}
	snprintf(defid, sizeof defid, "fuzz:%ld", lineno);

	/* fo-classify */
	rc = fo_classify_rec(cls, &rec, defid, dup, &out[1], &e);
	if (rc == FO_ENOMEM)
		abort();
	if (rc != FO_OK) {
		check_err(&e, n);
		return;
	}
	check_out(&rec, &out[1]);
	/* again, alone: the same (a duplicate needs the others: not then) */
	if ((fresh = has_dup ? fo_dup_new(&dp) : NULL) == NULL && has_dup)
		abort();
	if (fo_classify_rec(cls, &rec, defid, fresh, &out[0], &e) != FO_OK)
		abort();
	fo_dup_free(fresh);
	if (fo_rec_find(&rec, "duplicate_of") < 0)
		same(&out[1], &out[0], "fo-classify");

	/* fo-score; FO_EMPTY: no exception, passed through */
	fo_buf_reset(&out[0]);
	rc = fo_score_rec(sco, &rec, &out[2], &e);
	if (rc == FO_ENOMEM)
		abort();
	if (rc == FO_ERR) {
		check_err(&e, out[1].n);
		return;
	}
	in = rc == FO_EMPTY ? &out[1] : &out[2];
	if (rc == FO_OK) {
		check_out(&rec, &out[2]);
		if (fo_score_rec(sco, &rec, &out[0], &e) != FO_OK)
			abort();
		same(&out[2], &out[0], "fo-score");
	} else if (fo_rec_parse(&rec, in->p, in->n, &e) != FO_OK)
		abort();

	/* fo-route */
	rc = fo_route_rec(rou, &rec, &asof, &out[3], &q, &e);
	if (rc == FO_ENOMEM)
		abort();
	if (rc == FO_ERR) {
		check_err(&e, in->n);
		return;
	}
	if (rc == FO_OK) {
		check_out(&again, &out[3]);
		in = &out[3];
	}
	if (fo_rec_parse(&rec, in->p, in->n, &e) != FO_OK)
		abort();

	/* fo-age -a */
	rc = fo_age_rec(age, &rec, 1, &out[4], &e);
	if (rc == FO_ENOMEM)
		abort();
	if (rc == FO_ERR)
		check_err(&e, in->n);
	else if (rc == FO_OK)
		check_out(&again, &out[4]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fo_dup *dup = NULL;
	struct fo_age *age;
	const char *p = (const char *)data, *end = p + size, *nl;
	long lineno = 0;

	if (has_dup && (dup = fo_dup_new(&dp)) == NULL)
		abort();
	if ((age = fo_age_new(&agecfg, as_of, at, "2026-11-21", NULL, 0)) ==
	    NULL)
		abort();
	while (p < end && lineno < MAX_LINES) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		stages(p, (size_t)(nl - p), dup, age, ++lineno);
		p = nl + 1;
	}
	fo_age_free(age);
	fo_dup_free(dup);
	return 0;
}
