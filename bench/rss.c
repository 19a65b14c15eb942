/* rss - run a command, then write "SECONDS MAXRSS_KIB EXIT" (wall-clock
 * seconds, the peak resident set of the command and of the processes it
 * waited for, from wait4's ru_maxrss, and its exit status) to -o FILE or
 * to standard error. With -s FILE, also write the command's own VmRSS
 * (KiB) once a second, "SECONDS KIB" per line, to see whether it stays
 * flat. Standard input and output are the command's: it sits in a
 * pipeline unchanged. Usage: rss [-o FILE] [-s FILE] command [arg ...] */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long
vmrss(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0) {
			kib = strtol(line + 6, NULL, 10);
			break;
		}
	fclose(f);
	return kib;
}

int
main(int argc, char **argv)
{
	const char *out = NULL, *samples = NULL;
	struct rusage ru;
	FILE *o, *s = NULL;
	double t0, next;
	pid_t pid, w;
	int c, st, code;

	while ((c = getopt(argc, argv, "+o:s:")) != -1)
		switch (c) {
		case 'o': out = optarg; break;
		case 's': samples = optarg; break;
		default: goto usage;
		}
	if (optind >= argc) {
usage:
		fputs("usage: rss [-o FILE] [-s FILE] command [arg ...]\n", stderr);
		return 2;
	}
	if (samples && (s = fopen(samples, "w")) == NULL) {
		perror(samples);
		return 2;
	}
	t0 = now();
	if ((pid = fork()) < 0) {
		perror("fork");
		return 3;
	}
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "rss: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	signal(SIGINT, SIG_IGN);
	next = t0 + 1;
	for (;;) {
		w = wait4(pid, &st, s ? WNOHANG : 0, &ru);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			perror("wait4");
			return 3;
		}
		if (s && now() >= next) {
			fprintf(s, "%.0f %ld\n", now() - t0, vmrss(pid));
			fflush(s);
			next += 1;
		}
		if (s)
			usleep(20000);
	}
	code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (s)
		fclose(s);
	o = out ? fopen(out, "w") : stderr;
	if (o == NULL) {
		perror(out);
		return 3;
	}
	fprintf(o, "%.3f %ld %d\n", now() - t0, ru.ru_maxrss, code);
	if (o != stderr)
		fclose(o);
	return code;
}
