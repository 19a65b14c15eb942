/* tap.h - the smallest TAP producer for the C unit tests of lib/. */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

static int tap_ok(int, const char *, int, const char *, ...)
    __attribute__((format(printf, 4, 5), unused));

static int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", pass ? "ok" : "not ok", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		printf("#   failed at %s:%d\n", file, line);
		tap_failed++;
	}
	return pass;
}

#define ok(c, ...) tap_ok(!!(c), __FILE__, __LINE__, __VA_ARGS__)

/* Exact string comparison that shows both sides on failure. */
#define is_str(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	if (!tap_ok(g_ && w_ ? strcmp(g_, w_) == 0 : g_ == w_, \
	    __FILE__, __LINE__, __VA_ARGS__)) \
		printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)", \
		    w_ ? w_ : "(null)"); \
} while (0)

#define is_int(got, want, ...) do { \
	long long g_ = (got), w_ = (want); \
	if (!tap_ok(g_ == w_, __FILE__, __LINE__, __VA_ARGS__)) \
		printf("#   got:  %lld\n#   want: %lld\n", g_, w_); \
} while (0)

static int done_testing(void) __attribute__((unused));

static int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

/* Path of a file under testdata/ (FO_TESTDATA, which tests/lib.sh
 * sets), for vectors and suites. */
static const char *testdata_path(const char *) __attribute__((unused));

static const char *
testdata_path(const char *rel)
{
	static char buf[4096];
	const char *d = getenv("FO_TESTDATA");

	snprintf(buf, sizeof buf, "%s/%s", d && *d ? d : "testdata", rel);
	return buf;
}

#endif
