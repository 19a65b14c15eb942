/*
 * t-exprdiff.c - expr.c against libjq: every expression of the shipped
 * rules and a seeded set of generated ones, on the test data's records
 * and generated ones, through the native evaluator and through libjq
 * running jqprog.c's wrappers; every result must be the same.
 *
 * usage: t-exprdiff [cases [seed]]   (cases: generated expressions)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>
#include <jv.h>

#include "fo.h"
#include "tap.h"

#define BATCH 150

/* libjq 1.6 leaks on some of its own error paths (index is the known
 * one, but not the only one): under LeakSanitizer, not ours to find. */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libjq.so\n";
}

struct ex {
	char *src;
	struct fo_expr *x;
	int shipped;
};

static struct ex *exs;
static size_t nex, capex;
static struct fo_jqparam par[32];
static size_t npar;
static unsigned long long rng = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void
add_ex(const char *s, size_t n, int shipped)
{
	if (nex == capex) {
		capex = capex ? capex * 2 : 256;
		if ((exs = realloc(exs, capex * sizeof *exs)) == NULL)
			abort();
	}
	exs[nex].src = strndup(s, n);
	exs[nex].x = NULL;
	exs[nex].shipped = shipped;
	nex++;
}

/* {=...} of a reason, braces matched as classify.c matches them. */
static void
frags(const char *s)
{
	const char *close;
	int depth;

	while ((s = strchr(s, '{')) != NULL) {
		if (s[1] != '=') {
			s++;
			continue;
		}
		depth = 0;
		for (close = s; *close; close++)
			if (*close == '{')
				depth++;
			else if (*close == '}' && --depth == 0)
				break;
		if (*close == '\0')
			return;
		add_ex(s + 2, (size_t)(close - s - 2), 1);
		s = close + 1;
	}
}

static void
walk(const struct fo_ynode *y)
{
	size_t i;

	if (y == NULL)
		return;
	if (y->type == FO_Y_MAP)
		for (i = 0; i + 1 < y->n; i += 2) {
			const char *k = fo_yscalar(y->kid[i]);
			const char *v = fo_yscalar(y->kid[i + 1]);

			if (k && v && strcmp(k, "when") == 0)
				add_ex(v, strlen(v), 1);
			else if (k && v && strcmp(k, "reason") == 0)
				frags(v);
			else
				walk(y->kid[i + 1]);
		}
	else if (y->type == FO_Y_SEQ)
		for (i = 0; i < y->n; i++)
			walk(y->kid[i]);
}

static struct fo_ydoc *docs[4];
static size_t ndocs;

static void
load_rules(const char *file, int params)
{
	const char *dir = getenv("FO_RULES");
	struct fo_errs errs = { 0 };
	struct fo_ydoc *d;
	const struct fo_ynode *p;
	char path[4096];
	size_t i;

	snprintf(path, sizeof path, "%s/%s", dir ? dir : "rules", file);
	if (fo_yaml_load(path, &d, &errs) != FO_OK) {
		printf("# cannot load %s\n", path);
		exit(1);
	}
	fo_errs_free(&errs);
	docs[ndocs++] = d;
	if (params && (p = fo_ymap_get(d->root, "params")) != NULL)
		for (i = 0; i + 1 < p->n && npar < 30; i += 2) {
			par[npar].name = p->kid[i]->str;
			par[npar].value = p->kid[i + 1]->str;
			par[npar].plain = p->kid[i + 1]->plain;
			npar++;
		}
	walk(d->root);
}

/* ---------------------------------------------------------------- */
/* Generated expressions */

static const char *const paths[] = {
	".", ".a", ".b", ".n", ".m", ".s", ".t", ".arr", ".obj", ".obj.x",
	".obj.y", ".[\"a\"]", ".missing", ".hold_codes", ".arr[0]",
	".arr[-1]", ".s[1:]", ".s[:2]", ".arr[1:]", ".obj[\"x\"]",
	".a.b?", ".n?", "$p", "$q", "$r", ".[.s]?", ".status", ".u",
	".big", ".neg", ".e"
};
static const char *const lits[] = {
	"0", "1", "-1", "2.5", "1e17", "1e-5", "0.1", "\"x\"", "\"\"",
	"\"a\"", "\"A\"", "\"abc\"", "\"é\"", "\"\\u00e9\"", "null",
	"true", "false", "[]", "{}", "[1,2]", "[\"a\",\"b\"]",
	"{\"x\":1}", "\"a,b\"", "\",\"", "1e1000", "-0", "3.0",
	"123456789012345678", "\"\\ud83d\\ude00\"", "\"RETURN\""
};
static const char *const regexes[] = {
	"\"a\"", "\"^A\"", "\"b|c\"", "\"^$\"", "\"é\"", "\"[0-9]+\"",
	"\"\\\\bx\\\\b\"", "\"(?i)abc\"", "\".\""
};
static const char *const flags[] = { "\"i\"", "\"x\"", "null", "\"gi\"",
	"\"s\"", "\"n\"", "\"l\"", "\"p\"" };

static void gen(struct fo_buf *, int);

/* The shapes expr.c reads a guard from (what a match needs of a field,
 * checked before the condition runs), with fields and literals that
 * the generated records have, and some that they do not. */
static void
guard_shape(struct fo_buf *b, int d)
{
	static const char *const fields[] = { ".s", ".a", ".hold_codes",
	    ".status", ".arr", ".obj", ".missing", ".u", ".t", ".n" };
	static const char *const strs[] = { "\"a\"", "\"b\"", "\"SPGRP\"",
	    "\"DW\"", "\"\"", "\"x y\"", "\"\u00e9\"", "\"RETURN R02\"",
	    "\"abc\"", "null", "1", "\"c\"" };
	static const char *const types[] = { "\"string\"", "\"number\"",
	    "\"array\"", "\"object\"", "\"null\"", "\"boolean\"",
	    "\"nope\"" };
	const char *f = fields[rnd(sizeof fields / sizeof *fields)];
	const char *l1 = strs[rnd(sizeof strs / sizeof *strs)];
	const char *l2 = strs[rnd(sizeof strs / sizeof *strs)];

	switch (rnd(11)) {
	case 10:
		/* a member of an object present (G_HASKEY) */
		fo_buf_printf(b, "(%s%s // %s) != %s", f, rnd(2) ? ".x" :
		    rnd(2) ? "[\"a\"]" : ".Release", l1, rnd(4) ? l1 : l2);
		break;
	case 0:
		fo_buf_printf(b, "any(%s[]?; . == %s)", f, l1);
		break;
	case 9:
		/* the keys of an object holding a text (G_KEYSUB) */
		fo_buf_printf(b, "%s as $x | any($x | %s[]; (contains(%s)%s) "
		    "and ", f, rnd(2) ? "keys_unsorted" : "keys",
		    rnd(2) ? "\"a\"" : "\"\"", rnd(2) ? " or contains(\"b\")" :
		    "");
		gen(b, d - 1);
		fo_buf_puts(b, ")");
		return;
	case 1:
		fo_buf_printf(b, "any(%s[]; IN(%s, %s))", f, l1, l2);
		break;
	case 2:
		fo_buf_printf(b, "(%s | type) == %s", f,
		    types[rnd(sizeof types / sizeof *types)]);
		break;
	case 3:
		fo_buf_printf(b, "(%s // %s) == %s", f, l1, l2);
		break;
	case 4:
		fo_buf_printf(b, "%s | IN(%s, %s)", f, l1, l2);
		break;
	case 5:
		fo_buf_printf(b, "%s == %s", l1, f);
		break;
	case 6:
		fo_buf_printf(b, "any(%s[]?; . as $c | (\"|a|SPGRP|\" | "
		    "contains(\"|\" + $c + \"|\") | not) and ", f);
		gen(b, d - 1);
		fo_buf_puts(b, ")");
		return;
	case 7:
		fo_buf_printf(b, "any(%s[]?; ", f);
		gen(b, d - 1);
		fo_buf_puts(b, ")");
		return;
	default:
		fo_buf_printf(b, "(%s // %s) | IN(%s)", f, l1, l2);
		break;
	}
	if (rnd(2)) {
		fo_buf_puts(b, rnd(2) ? " and " : " or ");
		gen(b, d - 1);
	}
}

static void
gen2(struct fo_buf *b, int d, const char *pre, const char *mid,
    const char *post)
{
	fo_buf_puts(b, pre);
	gen(b, d - 1);
	fo_buf_puts(b, mid);
	gen(b, d - 1);
	fo_buf_puts(b, post);
}

static void
gen(struct fo_buf *b, int d)
{
	static const char *const binops[] = { " + ", " - ", " == ", " != ",
	    " < ", " <= ", " > ", " >= ", " and ", " or ", " // ", ", ",
	    " | ", " / " };
	static const char *const unary[] = { "not", "length", "type",
	    "ascii_downcase", "ascii_upcase", "tostring", "tojson",
	    "keys", "keys_unsorted", "explode", "tonumber", "numbers",
	    "strings", "first", "any", "all", "round", "empty", "values",
	    "floor" };
	static const char *const onearg[] = { "startswith", "endswith",
	    "has", "contains", "split", "join", "select", "map", "first",
	    "IN", "in", "any", "all" };
	char tmp[64];
	unsigned c;

	if (d <= 0) {
		c = rnd(3);
		fo_buf_puts(b, c == 0 ? lits[rnd(sizeof lits / sizeof *lits)] :
		    paths[rnd(sizeof paths / sizeof *paths)]);
		return;
	}
	switch (rnd(30)) {
	case 28:
	case 29:
		guard_shape(b, d);
		break;
	case 22:
		fo_buf_puts(b, "(");
		gen(b, d - 1);
		fo_buf_puts(b, ")[");
		gen(b, d - 1);
		fo_buf_puts(b, rnd(2) ? "]" : "]?");
		break;
	case 23:
		fo_buf_puts(b, "(");
		gen(b, d - 1);
		fo_buf_puts(b, ")[");
		gen(b, d - 1);
		fo_buf_puts(b, ":");
		if (rnd(2))
			gen(b, d - 1);
		fo_buf_puts(b, "]");
		break;
	case 24:
		fo_buf_puts(b, "first(");
		gen(b, d - 1);
		fo_buf_puts(b, ")");
		break;
	case 25:
		fo_buf_puts(b, "(");
		gen(b, d - 1);
		fo_buf_puts(b, rnd(3) == 0 ? " / 3)" : rnd(2) ? " * 1.1)" :
		    " - 0.7)");
		break;
	case 26:
		fo_buf_puts(b, "{\"a\": 1, \"b\": \"x\", \"c\": null}[");
		gen(b, d - 1);
		fo_buf_puts(b, "]");
		break;
	case 27:
		fo_buf_puts(b, "(");
		gen(b, d - 1);
		fo_buf_puts(b, " | (explode | reduce .[] as $c (0; (. * 31 + $c) "
		    "% 1000003)))");
		break;
	case 0:
	case 1:
	case 2:
		fo_buf_puts(b, paths[rnd(sizeof paths / sizeof *paths)]);
		break;
	case 3:
		fo_buf_puts(b, lits[rnd(sizeof lits / sizeof *lits)]);
		break;
	case 4:
	case 5:
	case 6:
		gen2(b, d, "(", binops[rnd(sizeof binops / sizeof *binops)],
		    ")");
		break;
	case 7:
		fo_buf_puts(b, "(");
		gen(b, d - 1);
		fo_buf_puts(b, " | ");
		fo_buf_puts(b, unary[rnd(sizeof unary / sizeof *unary)]);
		fo_buf_puts(b, ")");
		break;
	case 8:
		fo_buf_puts(b, "(");
		gen(b, d - 1);
		fo_buf_puts(b, " | ");
		fo_buf_puts(b, onearg[rnd(sizeof onearg / sizeof *onearg)]);
		fo_buf_puts(b, "(");
		gen(b, d - 1);
		fo_buf_puts(b, "))");
		break;
	case 9:
		fo_buf_puts(b, "(");
		gen(b, d - 1);
		fo_buf_puts(b, " | test(");
		fo_buf_puts(b, regexes[rnd(sizeof regexes / sizeof *regexes)]);
		if (rnd(2)) {
			fo_buf_puts(b, "; ");
			fo_buf_puts(b, flags[rnd(sizeof flags / sizeof *flags)]);
		}
		fo_buf_puts(b, "))");
		break;
	case 10:
		fo_buf_puts(b, "(if ");
		gen(b, d - 1);
		fo_buf_puts(b, " then ");
		gen(b, d - 1);
		if (rnd(2)) {
			fo_buf_puts(b, " elif ");
			gen(b, d - 1);
			fo_buf_puts(b, " then ");
			gen(b, d - 1);
		}
		fo_buf_puts(b, " else ");
		gen(b, d - 1);
		fo_buf_puts(b, " end)");
		break;
	case 11:
		gen2(b, d, "[", ", ", "]");
		break;
	case 12:
		gen2(b, d, "any(", "; ", ")");
		break;
	case 13:
		gen2(b, d, "all(", "; ", ")");
		break;
	case 14:
		fo_buf_puts(b, "(");
		gen(b, d - 1);
		fo_buf_puts(b, ")?");
		break;
	case 15:
		fo_buf_puts(b, "(reduce ");
		fo_buf_puts(b, rnd(2) ? ".arr[]?" : "(.[]?)");
		fo_buf_puts(b, " as $x (");
		gen(b, d - 1);
		fo_buf_puts(b, "; ");
		fo_buf_puts(b, rnd(2) ? ". + $x" : "[., $x]");
		fo_buf_puts(b, "))");
		break;
	case 16:
		fo_buf_puts(b, "(");
		gen(b, d - 1);
		fo_buf_puts(b, " as $v | ");
		gen(b, d - 1);
		fo_buf_puts(b, rnd(2) ? ", $v)" : " | [., $v])");
		break;
	case 17:
		fo_buf_puts(b, "(");
		gen(b, d - 1);
		snprintf(tmp, sizeof tmp, " %% %d)", (int)rnd(9) + 2);
		fo_buf_puts(b, tmp);
		break;
	case 18:
		fo_buf_puts(b, "(");
		gen(b, d - 1);
		fo_buf_puts(b, rnd(2) ? " * 2)" : rnd(2) ? " * 0.5)" : " * 1.02)");
		break;
	case 19:
		fo_buf_puts(b, "(-");
		gen(b, d - 1);
		fo_buf_puts(b, ")");
		break;
	case 20:
		gen2(b, d, "IN(", "; ", ")");
		break;
	default:
		if (rnd(2)) {
			fo_buf_puts(b, "(.arr[]? | ");
			gen(b, d - 1);
			fo_buf_puts(b, ")");
		} else {
			fo_buf_puts(b, "[.hold_codes[]? | select(");
			gen(b, d - 1);
			fo_buf_puts(b, ")]");
		}
		break;
	}
}

/* ---------------------------------------------------------------- */
/* What jq's lexer refuses or reads its own way: native must not take an
 * expression jq would not compile (the rules load without asking jq) */

/* the texts lower_regex is tried on */
#define LOWTEXTS \
	"[\"ABC\", \"abc\", \"aBc\", \"x[y\", \"A_Z\", \"`\", \"^\"," \
	" \"Z\", \"ZA\", \"[\", \"]\", \"\\u00fc\", \"\\u00dc\"," \
	" \"UEBER\", \"\\u00fcber\", \"\\u00dcBER\", \"k\", \"K\"," \
	" \"\\u212a\", \"s\", \"\\u017f\", \"SS\", \"\\u00df\"," \
	" \"STRASSE\", \"Stra\\u00dfe\", \"x-y\", \"X-Y\"," \
	" \"\\u00e4\", \"a1\", \"AB1\", \"Q\", \"q\", \"\"," \
	" \"R\\u00dcCKBUCHUNG\", \"RUECKBUCHUNG\"," \
	" \"r\\u00fcckbuchung\", \"Geb\\u00fchr\", \"GEBUHR\"," \
	" \"FEES\", \"return\", \"x\\\\\\\\y\", \"ab\", \"c\"," \
	" \" Not Matched \", \"A]\", \"-\", \"\\u0130\", \"\\u0131\"," \
	" \"i\", \"I\", \"a&&b\", \"AA\"]"

static const char *const odd[] = {
	".e10", ".E5", ".e1", ".e+1", ".e-1", ".a.e10", ".a|.e2",
	"{a: .e10}", "not.e1", ".5.a", "1.5.a", "1..a", ".5.", "5..",
	"...", "..5", "1.2.3", ".e", ".ex", ".e1x", ".x1e5", "1.e3",
	".5e3.a", "1.5e3.a", "1.", ".5", "00", "1 .a", "(.5).a", ".5[0]",
	"\"x\".a", "null.e", ".a.e", ".a.[0]", "$e10", "1e", "0x10",
	".a.", "..a", ". a", "1 2", "nul", ".a==", "1_0", ".a.1",
	".e10x", ".E1_", "[.e1]", "IN(.e1)", "1.e", "1e+", ".a - .e1",
	/* NaN (infinity less itself) in jq 1.6's order: below every
	 * number, itself included */
	"(1e400 - 1e400) as $n | [$n < $n, $n == $n, $n > $n, $n <= $n, "
	    "$n >= $n, 1 < $n, 1 > $n, $n < -1e400, -1e400 < $n, $n != $n, "
	    "$n < 1, $n >= 1, $n > 1, $n <= 1, 1 <= $n, 1 >= $n]",
	"(1e400 - 1e400) as $n | [[$n] < [1], [1, $n] > [1, 1], "
	    "{a: $n} < {a: 0}]",
	"(1e400 - 1e400) as $n | if $n < 0 then \"low\" else \"high\" end",
	/* the texts a regex needs (a sieve before Oniguruma): case folds
	 * beyond ASCII, classes, counts, escapes, optional bytes */
	"[\"CANCELLED\", \"Void\", \"x\", \"\\u017f\", \"\\u212a\", \"STRASSE\", "
	    "\"stra\\u00dfe\", \"x]yz\", \"ac\", \"abbc\", \"pending_approval\", "
	    "\"A\\u0301\"] | map(test(\"void|cancel|revers\"; \"i\"), test(\"s\"; \"i\"), "
	    "test(\"k\"; \"i\"), test(\"strasse\"; \"i\"), test(\"[]x]yz\"), "
	    "test(\"ab?c\"), test(\"ab+c\"), test(\"a{0}c\"), test(\"pending[ _]approval\"; "
	    "\"gi\"), test(\"\\\\x41\"), test(\"(?i)void\"), test(\"a|[^]x]\"), "
	    "test(\"\\\\bVOID\\\\b\"; \"i\"))",
	".status | strings | test(\"void|cancel|revers|pend\"; \"i\")",
	"[.[] | strings | test(\"a|e|[0-9]{2}\")]",
};

/* Case-blind regexes lowered for an ASCII text (lower_regex), and those
 * it leaves to folding: brackets, ranges, escapes, letters beyond
 * ASCII, on texts of both cases, of neither, and not ASCII. Each is
 * taken natively, and compared with libjq as every case is. */
static const char *const lowered[] = {
	LOWTEXTS " | map(test(\"[A-Z]+$\"; \"i\"))",
	LOWTEXTS " | map(test(\"^[a-z]\"; \"i\"))",
	LOWTEXTS " | map(test(\"[^a-z]\"; \"i\"))",
	LOWTEXTS " | map(test(\"[^A-Z]x\"; \"i\"))",
	LOWTEXTS " | map(test(\"[A-Za-z]{2}[0-9]\"; \"i\"))",
	LOWTEXTS " | map(test(\"[_-z]\"; \"i\"))",
	LOWTEXTS " | map(test(\"[!-/]\"; \"i\"))",
	LOWTEXTS " | map(test(\"[Z-a]\"; \"i\"))",
	LOWTEXTS " | map(test(\"[a-]\"; \"i\"))",
	LOWTEXTS " | map(test(\"[-A]\"; \"i\"))",
	LOWTEXTS " | map(test(\"[\\\\]A]\"; \"i\"))",
	LOWTEXTS " | map(test(\"[\\\\-a]\"; \"i\"))",
	LOWTEXTS " | map(test(\"x\\\\-y\"; \"i\"))",
	LOWTEXTS " | map(test(\"\\\\W+\"; \"i\"))",
	LOWTEXTS " | map(test(\"\\\\bfees?\\\\b|\\\\bcharges?\\\\b|"
	    "geb[u\\u00fc]hr|kontof[u\\u00fc]hrung|entgelt\"; \"i\"))",
	LOWTEXTS " | map(test(\"R(\\u00dc|UE)CKBUCHUNG\"; \"i\"))",
	LOWTEXTS " | map(test(\"\\\\b(RETURN|R\\u00dcCK\\u00dcBERWEISUNG)"
	    "\\\\b\"; \"i\"))",
	LOWTEXTS " | map(test(\"[[:upper:]]\"; \"i\"))",
	LOWTEXTS " | map(test(\"[[:alpha:]]x\"; \"i\"))",
	LOWTEXTS " | map(test(\"a&&b\"; \"i\"))",
	LOWTEXTS " | map(test(\"[a-z&&[^c]]\"; \"i\"))",
	LOWTEXTS " | map(test(\"\\u00df\"; \"i\"))",
	LOWTEXTS " | map(test(\"stra\\u00dfe\"; \"i\"))",
	LOWTEXTS " | map(test(\"\\u017f\"; \"i\"))",
	LOWTEXTS " | map(test(\"\\u212a\"; \"i\"))",
	LOWTEXTS " | map(test(\"[\\u00e0-\\u00ff]\"; \"i\"))",
	LOWTEXTS " | map(test(\"[a\\u00e4]\"; \"i\"))",
	LOWTEXTS " | map(test(\"\\u00c4|\\u00d6\"; \"i\"))",
	LOWTEXTS " | map(test(\"\\u0130\"; \"i\"))",
	LOWTEXTS " | map(test(\"\\u0131\"; \"i\"))",
	LOWTEXTS " | map(test(\"(?:ab|C)\"; \"i\"))",
	LOWTEXTS " | map(test(\"(?=a)b\"; \"i\"))",
	LOWTEXTS " | map(test(\".\"; \"i\"))",
	LOWTEXTS " | map(test(\"^$\"; \"i\"))",
	LOWTEXTS " | map(test(\"\\\\d\\\\s\"; \"i\"))",
	LOWTEXTS " | map(test(\"[]a]\"; \"i\"))",
	LOWTEXTS " | map(test(\"A{2}\"; \"i\"))",
	LOWTEXTS " | map(test(\"\\\\x41\"; \"i\"))",
	LOWTEXTS " | map(test(\"(?i)q\"; \"i\"))",
	LOWTEXTS " | map(test(\"[^]a]\"; \"i\"))",
	LOWTEXTS " | map(test(\"ss\"; \"i\"))",
	LOWTEXTS " | map(test(\"^ *(yes|y|x|1|on hold|not matched) *$\"; \"i\"))",
	LOWTEXTS " | map(test(\"[\\u00fc-\\u00ff]\"; \"i\"))",
};

static const char mutant[] = ".eE0129+-()[]{}\"\\$?:;,| ";

/* A shipped expression with a few bytes dropped or inserted. */
static void
mutate(struct fo_buf *b, const char *s)
{
	size_t n = strlen(s), k, at;
	char t[4096];

	if (n >= sizeof t - 8)
		n = sizeof t - 8;
	memcpy(t, s, n);
	t[n] = '\0';
	for (k = 1 + rnd(3); k > 0; k--) {
		at = rnd((unsigned)n + 1);
		if (rnd(3) == 0 && at < n) {
			memmove(t + at, t + at + 1, n - at);
			n--;
		} else if (n + 1 < sizeof t - 8) {
			memmove(t + at + 1, t + at, n - at + 1);
			t[at] = mutant[rnd(sizeof mutant - 1)];
			n++;
		}
	}
	fo_buf_reset(b);
	fo_buf_put(b, t, n);
}

/* ---------------------------------------------------------------- */
/* Generated records */

static const char *const vals[] = {
	"null", "true", "false", "0", "-0", "1", "-1", "2.5", "1e17",
	"1e400", "-1e400", "123456789012345678", "0.1", "1e-5", "1.0",
	"1E2", "0.30000000000000004", "97", "1e15", "1e16", "-2.5e-7",
	"\"\"", "\"a\"", "\"A\"", "\"abc\"", "\"ABC\"", "\"a,b\"", "\",\"",
	"\"\\u00e9\"", "\"é\"", "\"\\ud83d\\ude00\"", "\"\\u0000x\"",
	"\"\\u007f\"", "\"\\\\\\\"\"", "\"x y\"", "\"RETURN R02\"",
	"\"12\"", "\" 5 \"", "\"1e3\"", "\"nan\"", "\"b\"", "\"c\"",
	"\"\\udc00\"", "\"\\ud800x\"", "3.14159", "-12.5", "1e-7",
	"0.000123", "5e-324", "1.7976931348623157e308", "4.35", "0.1e1", "\"DE89370400440532013000\"",
	"[]", "[1,2]", "[\"a\",\"b\"]", "[\"a\",1,null]", "{}",
	"{\"x\":1}", "{\"x\":\"y\",\"z\":[1]}", "{\"y\":{\"x\":[null,{}]}}",
	"[\"SPGRP\",\"DW\"]", "[[1],[2,[3]]]", "{\"b\":1,\"a\":2}"
};
static const char *const keys[] = { "a", "b", "n", "m", "s", "t", "arr",
	"obj", "hold_codes", "status", "u", "big", "neg", "e" };

static void
gen_record(struct fo_buf *b)
{
	size_t i, nk = sizeof keys / sizeof *keys;
	int first = 1;

	fo_buf_reset(b);
	fo_buf_puts(b, "{");
	for (i = 0; i < nk; i++) {
		if (rnd(4) == 0)
			continue;
		fo_buf_puts(b, first ? "\"" : ",\"");
		first = 0;
		fo_buf_puts(b, keys[i]);
		fo_buf_puts(b, "\":");
		if (strcmp(keys[i], "obj") == 0 && rnd(3) == 0) {
			fo_buf_puts(b, "{\"x\":");
			fo_buf_puts(b, vals[rnd(sizeof vals / sizeof *vals)]);
			fo_buf_puts(b, ",\"y\":");
			fo_buf_puts(b, vals[rnd(sizeof vals / sizeof *vals)]);
			fo_buf_puts(b, "}");
		} else if (strcmp(keys[i], "arr") == 0 && rnd(3) == 0) {
			fo_buf_puts(b, "[");
			fo_buf_puts(b, vals[rnd(sizeof vals / sizeof *vals)]);
			fo_buf_puts(b, ",");
			fo_buf_puts(b, vals[rnd(sizeof vals / sizeof *vals)]);
			fo_buf_puts(b, "]");
		} else
			fo_buf_puts(b, vals[rnd(sizeof vals / sizeof *vals)]);
	}
	fo_buf_puts(b, "}");
}

/* ---------------------------------------------------------------- */
/* libjq running jqprog.c's wrappers */

static void
quiet(void *data, jv msg)
{
	(void)data;
	jv_free(msg);
}

struct batch {
	jq_state *jq;
	size_t *idx;		/* expressions in this program */
	size_t n;
	struct fo_xplan *plan;	/* their conditions as one rule set */
	uint64_t may[BATCH / 64 + 1];
};

static jv args;

static int
batch_compile(struct batch *bt, size_t *idx, size_t n)
{
	struct fo_buf b = { 0 };
	size_t i;
	int ok;

	fo_buf_puts(&b, "[");
	for (i = 0; i < n; i++) {
		fo_buf_puts(&b, i ? ",\n" : "\n");
		fo_jq_put_cond(&b, exs[idx[i]].src);
		fo_buf_puts(&b, ",\n");
		fo_jq_put_frag(&b, exs[idx[i]].src);
	}
	fo_buf_puts(&b, "]");
	bt->jq = jq_init();
	jq_set_error_cb(bt->jq, quiet, NULL);
	ok = jq_compile_args(bt->jq, fo_buf_cstr(&b), jv_copy(args));
	fo_buf_free(&b);
	bt->idx = idx;
	bt->n = n;
	bt->plan = NULL;
	return ok;
}

/* The batch's conditions as the rules of one rule set (jqprog.c's
 * plan): guards of many expressions sharing fields and literals. */
static void
batch_plan(struct batch *bt)
{
	const struct fo_expr *x[BATCH];
	size_t i;

	for (i = 0; i < bt->n; i++)
		x[i] = exs[bt->idx[i]].x;
	if (fo_xplan_new(&bt->plan, x, bt->n) != FO_OK)
		abort();
}

static size_t ncmp, nrec, nskip, nfail, nplan, npruned;
static const char *lastbad;

static void
compare(struct batch *bt, const char *text, size_t len, struct fo_rec *rec,
    struct fo_xrun *xr)
{
	struct fo_buf fb = { 0 };
	jv in, res, c, f;
	size_t i;
	int nc, judged;

	in = jv_parse_sized(text, (int)len);
	if (!jv_is_valid(in)) {
		jv_free(in);
		nskip++;
		return;
	}
	fo_xrun_record(xr, rec);
	judged = fo_xplan_may(bt->plan, xr, rec, bt->may);
	jq_start(bt->jq, in, 0);
	res = jq_next(bt->jq);
	if (jv_get_kind(res) != JV_KIND_ARRAY) {
		printf("# jq gave no array for %.*s\n", (int)len, text);
		nfail++;
		jv_free(res);
		return;
	}
	for (i = 0; i < bt->n; i++) {
		struct ex *e = &exs[bt->idx[i]];

		c = jv_array_get(jv_copy(res), (int)(2 * i));
		f = jv_array_get(jv_copy(res), (int)(2 * i + 1));
		nc = fo_expr_cond(e->x, xr, rec);
		/* the plan may leave a rule out only when it is false */
		nplan += e->shipped;
		if (!(bt->may[i / 64] >> (i % 64) & 1)) {
			npruned += e->shipped;
			if (jv_get_kind(c) == JV_KIND_TRUE && nfail++ < 20)
				printf("# PLAN left out a true condition: %s\n"
				    "#   record %.*s\n", e->src, (int)len, text);
		} else if (judged && (fo_xplan_whole(bt->plan)[i / 64] >>
		    (i % 64) & 1) && (fo_expr_cond_planned(e->x, xr, rec) != nc ||
		    fo_xplan_cond(bt->plan, i, e->x, xr, rec, 1) != nc) &&
		    nfail++ < 20)
			/* a guard judged whole by the plan, as by the rule */
			printf("# PLAN judged a guard otherwise: %s\n"
			    "#   record %.*s\n", e->src, (int)len, text);
		/* the verdict kept for the others reading the same fields */
		if (fo_xplan_cond(bt->plan, i, e->x, xr, rec, 0) != nc &&
		    nfail++ < 20)
			printf("# GROUP gave another verdict: %s\n"
			    "#   record %.*s\n", e->src, (int)len, text);
		fo_buf_reset(&fb);
		fo_expr_frag(e->x, xr, rec, &fb);
		ncmp += 2;
		if (nc != (jv_get_kind(c) == JV_KIND_TRUE) ||
		    jv_get_kind(f) != JV_KIND_STRING ||
		    (size_t)jv_string_length_bytes(jv_copy(f)) != fb.n ||
		    memcmp(jv_string_value(f), fb.p, fb.n) != 0) {
			if (nfail++ < 20 && e->src != lastbad)
				printf("# DIFF expr %s\n#   record %.*s\n"
				    "#   native %d '%.*s' jq %d '%s'\n", e->src,
				    (int)len, text, nc, (int)fb.n, fb.p,
				    jv_get_kind(c) == JV_KIND_TRUE,
				    jv_get_kind(f) == JV_KIND_STRING ?
				    jv_string_value(f) : "(not a string)");
			lastbad = e->src;
		}
		jv_free(c);
		jv_free(f);
	}
	jv_free(res);
	fo_buf_free(&fb);
}

int
main(int argc, char **argv)
{
	struct fo_buf b = { 0 }, recs[4096];
	size_t ncases = argc > 1 ? strtoul(argv[1], NULL, 10) : 600;
	size_t nshipped, nnative = 0, ngen = 0, i, j, nb, nr = 0, nlow0, *idx;
	struct fo_xrun *xr = fo_xrun_new();
	struct fo_rec rec;
	struct fo_err e;
	char line[65536];
	FILE *fp;
	static const char *const files[] = { "classify/records.ndjson",
	    "route/recs.ndjson", "classify-engine/records.ndjson", NULL };

	if (argc > 2)
		rng = strtoull(argv[2], NULL, 10) * 2654435761ULL + 1;
	fo_rec_init(&rec);
	load_rules("classify.yaml", 1);
	load_rules("route.yaml", 0);
	nshipped = nex;
	/* the generated ones see these as well */
	par[npar].name = "p";
	par[npar].value = "a";
	par[npar++].plain = 0;
	par[npar].name = "q";
	par[npar].value = "2";
	par[npar++].plain = 1;
	par[npar].name = "r";
	par[npar].value = "x";
	par[npar++].plain = 1;
	if (fo_jq_lib(NULL, &e) != FO_OK) {
		printf("Bail out! %s\n", e.msg);
		return 1;
	}
	args = fo_jq_args(par, npar);

	for (i = 0; i < nshipped; i++) {
		int rc = fo_expr_new(&exs[i].x, exs[i].src, par, npar, &e);

		ok(rc == FO_OK, "shipped expression compiles natively: %.60s%s",
		    exs[i].src, rc == FO_OK ? "" : e.msg);
	}
	/* generated: keep those native takes, none calling index */
	for (i = 0; i < ncases; i++) {
		struct fo_expr *x;

		fo_buf_reset(&b);
		gen(&b, 1 + (int)rnd(4));
		ngen++;
		if (fo_expr_new(&x, fo_buf_cstr(&b), par, npar, &e) != FO_OK)
			continue;
		nnative++;
		add_ex(b.p, b.n, 0);
		exs[nex - 1].x = x;
	}
	/* odd lexemes and mutated shipped ones: what native takes, jq
	 * must compile, and then mean the same */
	for (i = 0; i < sizeof odd / sizeof *odd + ncases; i++) {
		struct fo_expr *x;

		fo_buf_reset(&b);
		if (i < sizeof odd / sizeof *odd)
			fo_buf_puts(&b, odd[i]);
		else
			mutate(&b, exs[rnd((unsigned)nshipped)].src);
		if (fo_jq_leaky(fo_buf_cstr(&b)) ||
		    fo_expr_new(&x, fo_buf_cstr(&b), par, npar, &e) != FO_OK)
			continue;
		add_ex(b.p, b.n, 0);
		exs[nex - 1].x = x;
	}
	/* the lowered cases read no record: a batch of their own, run on
	 * a few records (under ASan every record costs) */
	nlow0 = nex;
	for (i = 0; i < sizeof lowered / sizeof *lowered; i++) {
		struct fo_expr *x;
		int rc = fo_expr_new(&x, lowered[i], par, npar, &e);

		ok(rc == FO_OK, "native: %s", lowered[i] + sizeof LOWTEXTS - 1);
		if (rc == FO_OK) {
			add_ex(lowered[i], strlen(lowered[i]), 0);
			exs[nex - 1].x = x;
		}
	}

	/* records: the test data, then generated ones */
	for (i = 0; files[i]; i++) {
		if ((fp = fopen(testdata_path(files[i]), "r")) == NULL)
			continue;
		while (nr < 4096 && fgets(line, sizeof line, fp)) {
			size_t n = strlen(line);

			while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				line[--n] = '\0';
			if (fo_rec_parse(&rec, line, n, NULL) != FO_OK)
				continue;
			recs[nr].p = strdup(line);
			recs[nr].n = n;
			nr++;
		}
		fclose(fp);
	}
	for (i = 0; i < (ncases < 400 ? 200 : ncases / 2) && nr < 4096; i++) {
		gen_record(&b);
		if (fo_rec_parse(&rec, b.p, b.n, NULL) != FO_OK)
			continue;
		recs[nr].p = strdup(fo_buf_cstr(&b));
		recs[nr].n = b.n;
		nr++;
	}

	if ((idx = malloc(nex * sizeof *idx)) == NULL)
		abort();
	for (i = 0; i < nex; i++)
		idx[i] = i;
	for (i = 0; i < nex; i += nb) {
		struct batch bt;
		size_t n, nrun = i >= nlow0 && nr > 4 ? 4 : nr;

		nb = nex - i < BATCH ? nex - i : BATCH;
		if (i < nlow0 && nlow0 < i + nb)
			nb = nlow0 - i;
		n = nb;

		for (j = i; j < i + n; j++)
			if (exs[j].x == NULL)
				break;
		if (j < i + n) {
			/* a shipped expression native refused: skip it */
			size_t k, m = 0;

			for (k = i; k < i + n; k++)
				if (exs[k].x)
					idx[i + m++] = k;
			n = m;
		}
		if (!batch_compile(&bt, idx + i, n)) {
			/* find which: jq must take all that native takes */
			for (j = 0; j < n; j++) {
				struct batch one;

				if (!batch_compile(&one, idx + i + j, 1)) {
					ok(0, "jq compiles what native does: %s",
					    exs[idx[i + j]].src);
					exs[idx[i + j]].x = NULL;
				}
				jq_teardown(&one.jq);
			}
			jq_teardown(&bt.jq);
			continue;
		}
		batch_plan(&bt);
		/* twice: the second time the memos answer what they kept */
		for (j = 0; j < 2 * nrun; j++) {
			if (fo_rec_parse(&rec, recs[j % nrun].p,
			    recs[j % nrun].n, NULL) != FO_OK)
				continue;
			if (i == 0 && j < nr)
				nrec++;
			compare(&bt, recs[j % nrun].p, recs[j % nrun].n, &rec,
			    xr);
		}
		fo_xplan_free(bt.plan);
		jq_teardown(&bt.jq);
	}
	printf("# expressions: %zu shipped, %zu generated of which %zu "
	    "native\n", nshipped, ngen, nnative);
	printf("# records: %zu (%zu skipped: jq refuses them)\n", nr,
	    nskip / (nex / BATCH + 1));
	printf("# comparisons: %zu, differences: %zu\n", ncmp, nfail);
	printf("# plan, shipped expressions: %zu asked, %zu left out\n",
	    nplan, npruned);
	{
		size_t nm, nodes = 0;
		unsigned long l, h, look = 0, hit = 0;

		for (i = 0; i < nex; i++) {
			if (exs[i].x == NULL)
				continue;
			fo_expr_memos(exs[i].x, &nm, &l, &h);
			nodes += nm;
			look += l;
			hit += h;
		}
		printf("# memos: %zu nodes, %lu lookups, %lu answered\n",
		    nodes, look, hit);
		ok(hit * 4 > look, "the memos answered a quarter of their "
		    "lookups or more (every record is read twice)");
	}
	ok(nfail == 0, "native and libjq agree on every comparison, and the "
	    "plan leaves out only false conditions");
	ok(npruned * 2 > nplan, "the plan leaves out more than half of the "
	    "shipped expressions asked");
	ok(nnative * 2 > ngen, "most generated expressions are native");

	for (i = 0; i < nex; i++) {
		fo_expr_free(exs[i].x);
		free(exs[i].src);
	}
	for (i = 0; i < nr; i++)
		free(recs[i].p);
	for (i = 0; i < ndocs; i++)
		fo_yaml_free(docs[i]);
	free(exs);
	free(idx);
	fo_buf_free(&b);
	jv_free(args);
	fo_rec_free(&rec);
	fo_xrun_free(xr);
	return done_testing();
}
