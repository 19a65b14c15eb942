/* t-run.c - what every tool's main shares (lib/run/main.c): the common
 * options parsed into struct fo_main, and a stage's loop over its files
 * with no output at all, as fo-age's reports read them. */
#include <unistd.h>

#include "tap.h"
#include "fo.h"

static int usage_calls;
static FILE *usage_to;

static void
usage(FILE *f)
{
	usage_calls++;
	usage_to = f;
}

static long seen_line[8];
static int nseen;

static int
count(void *ctx, const struct fo_rec *rec, const char *file, long line,
    struct fo_buf *out, struct fo_err *e)
{
	(void)ctx;
	(void)rec;
	(void)file;
	(void)out;
	(void)e;
	if (nseen < 8)
		seen_line[nseen] = line;
	nseen++;
	return FO_EMPTY;
}

/* A file of the given text under TMPDIR (or /tmp); its path in buf. */
static int
write_tmp(char *buf, size_t n, const char *text)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(buf, n, "%s/t-run.XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(buf)) < 0)
		return -1;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

int
main(void)
{
	static const struct fo_opthelp help[] = { { NULL, NULL } };
	struct fo_main m = { "t-run", usage, help, NULL, NULL, NULL, NULL, 0 };
	struct fo_run run;
	char a[4096], b[4096];
	char *argv[3];

	/* the common options, each into its field */
	is_int(fo_main_opt(&m, 'o', "out.ndjson"), FO_MAIN_NEXT, "-o taken");
	is_str(m.output, "out.ndjson", "-o: output");
	is_int(fo_main_opt(&m, 'j', "rej.ndjson"), FO_MAIN_NEXT,
	    "--rejects taken");
	is_str(m.rejects, "rej.ndjson", "--rejects: rejects");
	is_int(fo_main_opt(&m, 'r', "my.yaml"), FO_MAIN_NEXT, "-r taken");
	is_str(m.rules, "my.yaml", "-r: rules");
	is_int(fo_main_opt(&m, 'A', "2026-03-31"), FO_MAIN_NEXT,
	    "--as-of taken");
	is_str(m.asof, "2026-03-31", "--as-of: asof");
	is_int(m.quiet, 0, "not quiet before -q");
	is_int(fo_main_opt(&m, 'q', NULL), FO_MAIN_NEXT, "-q taken");
	is_int(m.quiet, 1, "-q: quiet");
	is_int(usage_calls, 0, "no usage line for a known option");
	/* getopt's '?' (and any option the tool did not take itself) */
	is_int(fo_main_opt(&m, '?', NULL), FO_EXIT_USAGE, "unknown: usage");
	is_int(usage_calls, 1, "unknown: the usage line once");
	ok(usage_to == stderr, "unknown: the usage line on stderr");

	/* a stage over two files, the records going nowhere: 4 rows in the
	 * first (a record, a blank line, a line that is no record, a
	 * record), 1 in the second, with no newline at its end */
	if (!ok(write_tmp(a, sizeof a, "{\"id\":\"a\"}\n\nnot json\n"
	    "{\"id\":\"b\"}\n") == 0 && write_tmp(b, sizeof b,
	    "{\"id\":\"c\"}") == 0, "temporary files"))
		return done_testing();
	memset(&run, 0, sizeof run);
	run.prog = "t-run";
	run.quiet = 1;
	argv[0] = a;
	argv[1] = b;
	argv[2] = NULL;
	fprintf(stderr, "# the reject of 'not json' below is expected\n");
	is_int(fo_stage_files(&run, 2, argv, count, NULL, NULL), FO_OK,
	    "no output: FO_OK");
	is_int(run.rows, 5, "rows: 4 + 1");
	is_int(run.records, 3, "records: a, b, c");
	is_int(run.rejected, 1, "rejected: 'not json'");
	is_int(run.skipped, 1, "skipped: the blank line");
	is_int(run.rows, run.records + run.rejected + run.skipped,
	    "rows = records + rejected + skipped");
	is_int(nseen, 3, "the stage saw 3 records");
	is_int(seen_line[0], 1, "a at line 1");
	is_int(seen_line[1], 4, "b at line 4");
	is_int(seen_line[2], 1, "c at line 1 of the second file");

	/* a file that cannot be opened stops the loop: a system error */
	argv[0] = "/nonexistent/t-run";
	nseen = 0;
	fprintf(stderr, "# the open error below is expected\n");
	is_int(fo_stage_files(&run, 2, argv, count, NULL, NULL), FO_EIO,
	    "missing file: FO_EIO");
	is_int(nseen, 0, "missing file: the next file is not read");
	unlink(a);
	unlink(b);
	return done_testing();
}
