/*
 * jqsafe.c - what a rule's jq may not do. Rules are data: a condition or
 * a reason reads the record and the rules' own params, nothing else.
 * libjq 1.6 offers more: the environment (env, $ENV), the tool's other
 * input (input, inputs, input_filename, input_line_number), files
 * (import, include, modulemeta and the search-path builtins), writes to
 * standard error (debug, stderr), stopping the program (halt,
 * halt_error), and the clock and the time zone (now, localtime,
 * strflocaltime), by which the same records would not give the same
 * bytes. And libjq runs a rule with no budget of steps or memory (the
 * native evaluator has one, expr.c): the generators that have no bound
 * of their own (range, repeat, recurse, while, until, combinations) and
 * function definitions, which may recurse, would let one record hang a
 * night. The loaders refuse a rule that names any of them (fo.7,
 * SECURITY).
 *
 * The scan follows jq's lexical structure: strings, with the code of
 * their \( ) interpolations scanned too; comments; a name after '.' is a
 * field and one after '@' a format, never a call. A rule that defines
 * its own env, or an object key named input, is refused as well: a false
 * alarm is a rule to rename, a miss would be a hole.
 */
#include <ctype.h>
#include <string.h>

#include "fo.h"

#define NEST_MAX 32	/* strings inside interpolations inside strings */

static const struct {
	const char *name;
	const char *why;
} refused[] = {
	{ "env", "reads the environment" },
	{ "$ENV", "reads the environment" },
	{ "input", "reads the tool's input past the record" },
	{ "inputs", "reads the tool's input past the record" },
	{ "input_filename", "reads the tool's input past the record" },
	{ "input_line_number", "reads the tool's input past the record" },
	{ "import", "reads files" },
	{ "include", "reads files" },
	{ "modulemeta", "reads files" },
	{ "get_search_list", "reads where files are" },
	{ "get_prog_origin", "reads where files are" },
	{ "get_jq_origin", "reads where files are" },
	{ "debug", "writes to standard error" },
	{ "stderr", "writes to standard error" },
	{ "halt", "stops the program" },
	{ "halt_error", "stops the program" },
	{ "now", "reads the clock: the same records must give the same "
	    "bytes" },
	{ "localtime", "depends on the time zone: the same records must give "
	    "the same bytes" },
	{ "strflocaltime", "depends on the time zone: the same records must "
	    "give the same bytes" },
	/* libjq runs a rule with no budget: what can generate or recurse
	 * without a bound the record sets is refused instead */
	{ "range", "generates without a bound (libjq has no budget)" },
	{ "repeat", "generates without a bound (libjq has no budget)" },
	{ "recurse", "generates without a bound (libjq has no budget; .. "
	    "walks the record)" },
	{ "while", "generates without a bound (libjq has no budget)" },
	{ "until", "loops without a bound (libjq has no budget)" },
	{ "combinations", "generates without a bound (libjq has no budget)" },
	{ "def", "defines a function, which may recurse without a bound "
	    "(libjq has no budget)" },
};

static int
word(int ch)
{
	return isalnum((unsigned char)ch) || ch == '_';
}

static const char *
lookup(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof refused / sizeof refused[0]; i++)
		if (fo_named(refused[i].name, w, n))
			return refused[i].why;
	return NULL;
}

const char *
fo_jq_refused(const char *s, size_t *at, size_t *len)
{
	/* per open interpolation: the depth of parentheses inside it */
	int paren[NEST_MAX];
	int nest = 0, instr = 0, dollar = 0;
	const char *p = s, *w, *why, *d = s;
	char prev;

	while (*p) {
		if (instr) {
			if (*p == '"') {
				instr = 0;
				p++;
			} else if (*p == '\\' && p[1] == '(') {
				if (nest == NEST_MAX)
					goto deep;
				paren[nest++] = 0;
				instr = 0;
				p += 2;
			} else if (*p == '\\' && p[1] != '\0')
				p += 2;
			else
				p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p == '#') {	/* a comment, to the end of the line */
			while (*p && *p != '\n')
				p++;
			continue;
		}
		/* jq reads $ and the name as two tokens: "$ ENV" is $ENV */
		if (*p == '$') {
			dollar = 1;
			d = p++;
			continue;
		}
		if (word(*p) && !isdigit((unsigned char)*p)) {
			prev = p > s ? p[-1] : ' ';
			for (w = p; word(*w); w++)
				;
			if (dollar)
				why = strncmp(p, "ENV", 3) == 0 && w - p == 3 ?
				    lookup("$ENV", 4) : NULL;
			else if (prev == '.' || prev == '@')
				why = NULL;	/* a field, a format */
			else
				why = lookup(p, (size_t)(w - p));
			if (why != NULL) {
				*at = (size_t)((dollar ? d : p) - s);
				*len = (size_t)(w - s) - *at;
				return why;
			}
			dollar = 0;
			p = w;
			continue;
		}
		dollar = 0;
		switch (*p) {
		case '"':
			instr = 1;
			break;
		case '(':
			if (nest > 0)
				paren[nest - 1]++;
			break;
		case ')':
			if (nest > 0 && paren[nest - 1]-- == 0) {
				nest--;	/* back in the string */
				instr = 1;
			}
			break;
		default:
			/* a number: its letters (1e5) are no name */
			if (isdigit((unsigned char)*p)) {
				while (word(p[1]) || p[1] == '.')
					p++;
			}
			break;
		}
		p++;
	}
	return NULL;
deep:
	*at = (size_t)(p - s);
	*len = 2;
	return "nests strings too deep to check";
}
