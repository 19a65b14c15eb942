/*
 * shortread.c - an LD_PRELOAD shim for the determinism run of the tests
 * (tests/lib.sh, FO_TEST_CHUNK): every read(2) of the tool returns a
 * random number of bytes, from one to what was asked, and now and then
 * pauses first, as a slow pipe or a network file system would deliver
 * the input. Standard input, files named on the command line and rules
 * files alike. The output must not change.
 *
 * FO_TEST_CHUNK is the seed (a number), so a failure can be repeated.
 * The kernel is called directly: no dlsym, and no interceptor of a
 * sanitizer in between.
 */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

ssize_t	read(int, void *, size_t);

static uint64_t state;

static uint64_t
next(void)
{
	const char *s;
	uint64_t x;

	if (state == 0) {
		s = getenv("FO_TEST_CHUNK");
		state = (s ? strtoull(s, NULL, 10) : 0) * 2654435761u + 88172645463325252u;
	}
	/* xorshift64 */
	x = state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return state = x;
}

ssize_t
read(int fd, void *buf, size_t n)
{
	struct timespec ts = { 0, 200000 };
	uint64_t r = next();
	size_t want = n;
	long ret;

	if (n > 1) {
		switch (r & 3) {
		case 0:
			want = 1;
			break;
		case 1:
			want = 1 + (r >> 8) % 16;
			break;
		case 2:
			want = 1 + (r >> 8) % 512;
			break;
		default:
			want = 1 + (r >> 8) % n;
			break;
		}
		if (want > n)
			want = n;
	}
	if ((r >> 40) % 64 == 0)
		nanosleep(&ts, NULL);
	ret = syscall(SYS_read, fd, buf, want);
	if (ret < 0)
		return -1;	/* errno set by syscall() */
	return (ssize_t)ret;
}
