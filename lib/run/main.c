/*
 * main.c - what every tool's main does the same way: the options all
 * of them take (-h, -V, -o, -q, -r, --rejects, --as-of) and the loop
 * of a stage over each file named, or standard input.
 */
#include <stdio.h>

#include "fo.h"

int
fo_main_opt(struct fo_main *m, int ch, const char *arg)
{
	switch (ch) {
	case 'A':
		m->asof = arg;
		return FO_MAIN_NEXT;
	case 'h':
		m->usage(stdout);
		return fo_help(m->prog, m->help);
	case 'j':
		m->rejects = arg;
		return FO_MAIN_NEXT;
	case 'o':
		m->output = arg;
		return FO_MAIN_NEXT;
	case 'q':
		m->quiet = 1;
		return FO_MAIN_NEXT;
	case 'r':
		m->rules = arg;
		return FO_MAIN_NEXT;
	case 'V':
		return fo_version(m->prog);
	default:
		m->usage(stderr);
		return FO_EXIT_USAGE;
	}
}

int
fo_stage_files(struct fo_run *run, int argc, char *argv[], fo_stage_fn *fn,
    void *ctx, struct fo_out *out)
{
	int i;

	for (i = 0; i < (argc ? argc : 1) && !(out && out->err); i++)
		if (fo_stage_run(run, argc ? argv[i] : "-", fn, ctx, out) !=
		    FO_OK)
			return FO_EIO;
	return FO_OK;
}
