/*
 * fuzz-dup.c - libFuzzer target for the duplicate index: invoices read
 * from the input are checked and added; no crash, no leak, scores that
 * belong to their evidence, matches that name an invoice, and text that
 * stays UTF-8 when the input was.
 *
 * Input: three bytes of parameters (window, tolerance, match_bank), then
 * one invoice a line, fields separated by '|':
 *	id|vendor|number|currency|amount|date|doc_type|status|iban|entity|add
 * amount and date are signed decimals (wrapping, so every value can
 * occur; empty: not known); add "0" checks without adding.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

#define NFIELD		11
#define MAX_INVOICES	512

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A signed decimal, wrapping: "-9223372036854775808" and beyond. */
static uint64_t
num(const char *s, int *has)
{
	uint64_t v = 0;
	int neg = 0;

	*has = s != NULL && *s != '\0';
	if (!*has)
		return 0;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s != '\0'; s++)
		v = v * 10 + (uint64_t)(*s >= '0' && *s <= '9' ? *s - '0' :
		    (unsigned char)*s);
	return neg ? (uint64_t)0 - v : v;
}

static void
check_norm(const char *s, size_t size)
{
	char buf[80];
	size_t n, i;

	n = fo_dup_norm(s, buf, size);
	if (size == 0) {
		if (n != 0)
			abort();
		return;
	}
	if (n >= size || strlen(buf) != n)
		abort();
	if (n > 0 && buf[0] == '0')
		abort();
	for (i = 0; i < n; i++)
		if ((buf[i] >= 'a' && buf[i] <= 'z') || strchr(" -/.#", buf[i]))
			abort();
}

static int
score_ok(enum fo_dup_evidence ev, int score)
{
	switch (ev) {
	case FO_DUP_NONE:
		return score == 0;
	case FO_DUP_SAME_NUMBER:
		return score == 95 || score == 85;
	case FO_DUP_LOOKALIKE:
		return score == 90 || score == 70;
	case FO_DUP_TRAILING:
		return score == 85 || score == 65;
	case FO_DUP_ONE_EDIT:
		return score == 80;
	case FO_DUP_AMOUNT_DATE:
		return score == 60;
	case FO_DUP_SHARED_BANK:
		return score == 55;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct fo_dup_params p;
	struct fo_dup_inv inv;
	struct fo_dup_match m;
	struct fo_dup *d;
	char *text, *line, *next, *f[NFIELD];
	uint64_t v;
	size_t added = 0, ninv = 0;
	int utf8, k, has;

	if (n < 3)
		return 0;
	p.window_days = data[0] == 0xff ? INT_MAX : (int)data[0] - 8;
	p.amount_tol_bp = data[1] == 0xff ? INT_MAX : data[1] == 0xfe ? -5 :
	    data[1] * 50;
	p.match_bank = data[2] & 1;
	data += 3;
	n -= 3;
	utf8 = fo_utf8_check((const char *)data, n) == n;
	if ((text = malloc(n + 1)) == NULL)
		return 0;
	memcpy(text, data, n);
	text[n] = '\0';
	if ((d = fo_dup_new(&p)) == NULL)
		abort();
	for (line = text; line != NULL && ninv < MAX_INVOICES; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		for (k = 0; k < NFIELD; k++) {
			f[k] = line;
			if (line != NULL && (line = strchr(line, '|')) != NULL)
				*line++ = '\0';
		}
		memset(&inv, 0, sizeof inv);
		inv.id = f[0];
		inv.vendor_id = f[1];
		inv.doc_number = f[2];
		inv.currency = f[3];
		v = num(f[4], &has);
		inv.amount = (int64_t)v;
		inv.has_amount = has;
		v = num(f[5], &has);
		inv.date = (int32_t)(uint32_t)v;
		inv.has_date = has;
		inv.doc_type = f[6];
		inv.status = f[7];
		inv.iban = f[8];
		inv.entity = f[9];
		check_norm(f[2], ninv % 9 == 8 ? 0 : ninv % 9 + 1);
		check_norm(f[2], 80);
		if (fo_dup_check(d, &inv, f[10] == NULL || f[10][0] != '0',
		    &m) != FO_OK)
			abort();
		ninv++;
		if (!score_ok(m.ev, m.score) || m.score < 0 || m.score > 100)
			abort();
		if (m.of == NULL ||
		    memchr(m.why, '\0', sizeof m.why) == NULL)
			abort();
		if ((m.ev == FO_DUP_NONE) != (m.of[0] == '\0') ||
		    (m.ev == FO_DUP_NONE) != (m.why[0] == '\0'))
			abort();
		if (utf8 && (fo_utf8_check(m.of, strlen(m.of)) !=
		    strlen(m.of) || fo_utf8_check(m.why, strlen(m.why)) !=
		    strlen(m.why)))
			abort();
		if (fo_dup_count(d) > added + 1)
			abort();
		added = fo_dup_count(d);
	}
	if (fo_dup_count(d) > ninv || fo_dup_bytes(d) == 0)
		abort();
	/* Every invoice held costs at least its entry. */
	if (fo_dup_bytes(d) < fo_dup_count(d) * 36)
		abort();
	fo_dup_free(d);
	free(text);
	return 0;
}
