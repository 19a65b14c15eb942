/*
 * slowrename.c - an LD_PRELOAD shim for the kill battery (tests/0907):
 * every rename(2) of the tool waits FO_TEST_RENAME_MS milliseconds
 * first, so that a kill lands between the renames of a run's outputs
 * as often as anywhere else. The kernel is called directly.
 */
#define _GNU_SOURCE
#include <sys/syscall.h>

#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int	rename(const char *, const char *);

int
rename(const char *from, const char *to)
{
	const char *s = getenv("FO_TEST_RENAME_MS");
	long ms = s ? strtol(s, NULL, 10) : 0;
	struct timespec ts;

	if (ms > 0) {
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = ms % 1000 * 1000000L;
		while (nanosleep(&ts, &ts) != 0)
			;
	}
	return (int)syscall(SYS_renameat, AT_FDCWD, from, AT_FDCWD, to);
}
