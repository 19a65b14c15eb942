/* t-jqsafe.c - what fo_jq_refused finds in a rule's jq, and what not. */
#include <stdio.h>
#include <string.h>

#include "fo.h"
#include "tap.h"

static const struct {
	const char *expr;
	const char *name;	/* the name reported, or NULL: allowed */
} cases[] = {
	{ "env.HOME", "env" },
	{ "$ENV.HOME", "$ENV" },
	{ "$ ENV", "$ ENV" },
	{ "$\n  ENV", "$\n  ENV" },
	{ "[inputs]", "inputs" },
	{ "input", "input" },
	{ "input_filename", "input_filename" },
	{ "input_line_number", "input_line_number" },
	{ "import \"a\" as a; 1", "import" },
	{ "include \"a\"; 1", "include" },
	{ "\"a\" | modulemeta", "modulemeta" },
	{ "get_search_list", "get_search_list" },
	{ "get_prog_origin", "get_prog_origin" },
	{ "get_jq_origin", "get_jq_origin" },
	{ "debug", "debug" },
	{ "stderr", "stderr" },
	{ "halt", "halt" },
	{ "halt_error(1)", "halt_error" },
	{ "now", "now" },
	{ "0 | localtime", "localtime" },
	{ "strflocaltime(\"%H\")", "strflocaltime" },
	/* in string interpolations, however deep */
	{ "\"\\(env)\"", "env" },
	{ "\"a\\(\"b\\(\"c\\(now)\")\")\"", "now" },
	{ "\"\\((1 + 2) | tostring)\\(input)\"", "input" },
	{ "{(env | keys[0]): 1}", "env" },
	{ "def env: 1; env", "def" },
	/* generators without a bound: libjq has no budget */
	{ "last(range(1e9)) > 0", "range" },
	{ "[limit(3; repeat(1))]", "repeat" },
	{ "1 | recurse(. + 1)", "recurse" },
	{ "[.[] | until(. > 9; . + 1)]", "until" },
	{ ".range == .until and .def != \"while\"", NULL },
	{ "{$ENV}", "$ENV" },
	{ ".a as $x | $x | env", "env" },
	/* names as data: fields, strings, comments, formats, variables */
	{ ".env", NULL },
	{ ".a.env.input", NULL },
	{ ".[\"env\"]", NULL },
	{ "\"env input now\"", NULL },
	{ "\"a\\\"env\\\\\" == .x", NULL },
	{ "\"\\\\(env)\"", NULL },
	{ "1 # env now", NULL },
	{ "# $ENV\n.a", NULL },
	{ "@text \"x\"", NULL },
	{ "$envelope", NULL },
	{ ". as $env | $env", NULL },
	{ "$__loc__", NULL },
	{ "getpath([\"a\"])", NULL },
	{ "1e5 + 2E3", NULL },
	{ "environment", NULL },
	{ "nowhere", NULL },
	{ "input_x", NULL },
	{ ".price > .po_price * (1 + $tol / 100)", NULL },
	{ "any(.hold_codes[]?; . == \"SPGRP\")", NULL },
	{ "", NULL },
};

/* The expression on one line, for the test's name. */
static const char *
shown(const char *s)
{
	static char b[128];
	size_t n = 0;

	for (; *s && n + 3 < sizeof b; s++) {
		if (*s == '\n') {
			b[n++] = '\\';
			b[n++] = 'n';
		} else
			b[n++] = *s;
	}
	b[n] = '\0';
	return b;
}

int
main(void)
{
	size_t i, at, len;
	const char *why;
	char got[64];

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		at = len = 0;
		why = fo_jq_refused(cases[i].expr, &at, &len);
		if (why == NULL) {
			is_str(NULL, cases[i].name, "%s: allowed",
			    shown(cases[i].expr));
			continue;
		}
		snprintf(got, sizeof got, "%.*s", (int)len,
		    cases[i].expr + at);
		is_str(got, cases[i].name, "%s: refused (%s)",
		    shown(cases[i].expr), why);
	}
	/* strings inside interpolations 32 deep are checked; past it, refused */
	{
		char deep[512] = "";
		int k;

		for (k = 0; k < 33; k++)
			strcat(deep, "\"\\(");
		strcat(deep, "1");
		for (k = 0; k < 33; k++)
			strcat(deep, ")\"");
		why = fo_jq_refused(deep, &at, &len);
		is_str(why, "nests strings too deep to check",
		    "33 nested interpolations refused");
		deep[0] = '\0';
		for (k = 0; k < 32; k++)
			strcat(deep, "\"\\(");
		strcat(deep, "env");
		for (k = 0; k < 32; k++)
			strcat(deep, ")\"");
		why = fo_jq_refused(deep, &at, &len);
		is_str(why, "reads the environment",
		    "env 32 interpolations deep found");
	}
	return done_testing();
}
