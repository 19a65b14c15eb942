/*
 * fuzz-regex.c - libFuzzer target for the native test() against
 * Oniguruma compiling the regex as jq 1.6 does. The input is three
 * lines: test()'s flags, the regex and the text. `.t | test(REGEX;
 * FLAGS)` runs natively on {"t": TEXT}; where the native evaluator
 * takes it, its answer must be onig_search's with jq's options (the
 * flags as jq maps them, ONIG_OPTION_CAPTURE_GROUP, UTF-8, the Perl_NT
 * syntax), and an error where Oniguruma does not compile the regex so.
 * What this is for: the regexes compiled for ASCII texts only, lowered
 * or folding ASCII letters only (expr.c, lower_regex and ascii_regex),
 * must find what jq's finds, and jq's twin must serve the other texts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <oniguruma.h>

#include "fo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct fo_rec rec;
static struct fo_buf src, line;
static struct fo_xrun *xr;

/* jq's: 1 found, 0 not, -1 an error (the regex does not compile). The
 * flags are mapped as jq 1.6's f_match maps them, written here apart
 * from expr.c's compile_test on purpose: an oracle that shared the code
 * under test would agree with its mistakes. */
static int
jq_test(const char *re, size_t ren, const char *fl, size_t fln,
    const char *s, size_t n)
{
	OnigOptionType opt = ONIG_OPTION_CAPTURE_GROUP;
	OnigEncoding enc = ONIG_ENCODING_UTF8;
	OnigErrorInfo ei;
	regex_t *r;
	size_t i;
	int rc;

	for (i = 0; i < fln; i++)
		switch (fl[i]) {
		case 'g':
			break;
		case 'i':
			opt |= ONIG_OPTION_IGNORECASE;
			break;
		case 'x':
			opt |= ONIG_OPTION_EXTEND;
			break;
		case 'n':
			opt |= ONIG_OPTION_FIND_NOT_EMPTY;
			break;
		case 's':
			opt |= ONIG_OPTION_SINGLELINE;
			break;
		case 'p':
			opt |= ONIG_OPTION_MULTILINE | ONIG_OPTION_SINGLELINE;
			break;
		case 'l':
			opt |= ONIG_OPTION_FIND_LONGEST;
			break;
		default:
			return -2;	/* not a flag jq takes */
		}
	onig_initialize(&enc, 1);
	if (onig_new(&r, (const UChar *)re, (const UChar *)re + ren, opt,
	    enc, ONIG_SYNTAX_PERL_NG, &ei) != ONIG_NORMAL)
		return -1;
	rc = onig_search(r, (const UChar *)s, (const UChar *)s + n,
	    (const UChar *)s, (const UChar *)s + n, NULL, ONIG_OPTION_NONE);
	onig_free(r);
	return rc >= 0 ? 1 : rc == ONIG_MISMATCH ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	const char *p = (const char *)data, *e = p + n, *re, *fl, *t;
	const char *nl1, *nl2;
	struct fo_expr *x;
	struct fo_err err;
	size_t fln, ren, tn;
	int want, got;

	if ((nl1 = memchr(p, '\n', n)) == NULL ||
	    (nl2 = memchr(nl1 + 1, '\n', (size_t)(e - nl1 - 1))) == NULL)
		return 0;
	fl = p;
	fln = (size_t)(nl1 - p);
	re = nl1 + 1;
	ren = (size_t)(nl2 - re);
	t = nl2 + 1;
	tn = (size_t)(e - t);
	if (memchr(t, '\n', tn) != NULL || fo_utf8_check(re, ren) != ren ||
	    fo_utf8_check(t, tn) != tn || fo_utf8_check(fl, fln) != fln ||
	    memchr(re, '\0', ren) != NULL || memchr(t, '\0', tn) != NULL)
		return 0;
	if ((want = jq_test(re, ren, fl, fln, t, tn)) == -2)
		return 0;

	if (xr == NULL && (xr = fo_xrun_new()) == NULL)
		abort();
	fo_buf_reset(&src);
	fo_buf_puts(&src, ".t | test(");
	fo_json_str(&src, re, ren);
	fo_buf_puts(&src, "; ");
	fo_json_str(&src, fl, fln);
	fo_buf_puts(&src, ")");
	fo_buf_reset(&line);
	fo_buf_puts(&line, "{\"t\":");
	fo_json_str(&line, t, tn);
	fo_buf_puts(&line, "}");
	if (src.oom || line.oom)
		return 0;
	if (fo_expr_new(&x, fo_buf_cstr(&src), NULL, 0, &err) != FO_OK)
		return 0;	/* not native: libjq runs it, as jq */
	if (fo_rec_parse(&rec, line.p, line.n, NULL) != FO_OK)
		abort();	/* {"t": a string of valid UTF-8} */
	got = fo_expr_cond(x, xr, &rec);
	fo_expr_free(x);
	if (want == -1 ? got != FO_ERR : got != want)
		abort();
	return 0;
}
