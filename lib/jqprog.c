/*
 * jqprog.c - the jq conditions of a policy, and the facts its reasons
 * quote, compiled into one jq program and run once per record. Each
 * jq_compile re-reads jq's builtins (tens of milliseconds), so a policy
 * is one program, never one per rule: [ rule1, rule2, ... ], each
 * element null when the rule does not match, else the array of its
 * reason fragments.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>
#include <jv.h>

#include "fo.h"

struct fo_jq {
	const char *file;
	jq_state *jq;
	jv args;		/* the params: {name: value} */
	jv res;			/* the last run's result */
	size_t n;
	struct fo_buf err;	/* jq's first message */
	struct fo_buf prog;
};

static void
jq_message(void *data, jv msg)
{
	struct fo_buf *b = data;

	msg = jq_format_error(msg);
	if (jv_get_kind(msg) == JV_KIND_STRING) {
		const char *s = jv_string_value(msg), *nl = strchr(s, '\n');

		/* the first error is the one that says what is wrong; its
		 * place is ours to say, not jq's (a line of the wrapper) */
		if (b->n == 0) {
			const char *cut[] = { " (Unix shell", " at <top-level>" };
			size_t n, k;

			if (strncmp(s, "jq: error: ", 11) == 0)
				s += 11;
			n = nl ? (size_t)(nl - s) : strlen(s);
			for (k = 0; k < 2; k++) {
				const char *x = strstr(s, cut[k]);

				if (x && (size_t)(x - s) < n)
					n = (size_t)(x - s);
			}
			fo_buf_put(b, s, n);
		}
	}
	jv_free(msg);
}

int
fo_jq_leaky(const char *s)
{
	static const char *const bad[] = { "index", "rindex", "indices" };
	const char *p, *w;
	size_t i, n;

	for (p = s; *p; p++) {
		if (*p == '"') {	/* skip the string, escapes and all */
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p == '\0')
				break;
			continue;
		}
		if (!isalpha((unsigned char)*p) || (p > s &&
		    (isalnum((unsigned char)p[-1]) || p[-1] == '_' ||
		    p[-1] == '$')))
			continue;
		for (w = p; isalnum((unsigned char)*w) || *w == '_'; w++)
			;
		n = (size_t)(w - p);
		for (i = 0; i < 3; i++)
			if (n == strlen(bad[i]) && strncmp(p, bad[i], n) == 0) {
				while (*w == ' ' || *w == '\t' || *w == '\n')
					w++;
				if (*w == '(')
					return 1;
			}
		p = w - 1;
	}
	return 0;
}

/* A param for jq: numbers, true, false and null as themselves when
 * written plain; everything else a string. */
static jv
param_value(const struct fo_jqparam *p)
{
	jv v;

	if (p->plain) {
		v = jv_parse(p->value);
		if (jv_is_valid(v) && jv_get_kind(v) != JV_KIND_STRING &&
		    jv_get_kind(v) != JV_KIND_ARRAY &&
		    jv_get_kind(v) != JV_KIND_OBJECT)
			return v;
		jv_free(v);
	}
	return jv_string(p->value);
}

/* One expression inside the program, so that a '#' comment or a pipe in
 * it cannot reach past its own parentheses. */
static void
put_expr(struct fo_buf *b, const char *expr)
{
	fo_buf_puts(b, "(\n");
	fo_buf_puts(b, expr);
	fo_buf_puts(b, "\n)");
}

static void
put_cond(struct fo_buf *b, const char *when)
{
	fo_buf_puts(b, "(try ([first(");
	put_expr(b, when);
	fo_buf_puts(b, ")] | (length > 0 and (.[0] | . != null and . != "
	    "false))) catch false)");
}

static void
put_frag(struct fo_buf *b, const char *expr)
{
	fo_buf_puts(b, "(try ([first(");
	put_expr(b, expr);
	fo_buf_puts(b, ")] | if length > 0 then (.[0] | if type == \"string\" "
	    "then . else tojson end) else \"?\" end) catch \"?\")");
}

static void
put_frags(struct fo_buf *b, const struct fo_jqrule *r)
{
	size_t k;

	fo_buf_putc(b, '[');
	for (k = 0; k < r->nfrag; k++) {
		fo_buf_puts(b, k ? "," : "");
		put_frag(b, r->frag[k]);
	}
	fo_buf_putc(b, ']');
}

static int
compiles(struct fo_jq *q, const char *prog)
{
	fo_buf_reset(&q->err);
	return jq_compile_args(q->jq, prog, jv_copy(q->args));
}

/* The whole program would not compile: find the expressions that do
 * not, each alone, to report them where they are written. Only on this
 * path is jq asked to compile more than once. */
static void
find_bad(struct fo_jq *q, const struct fo_jqrule *r, size_t n,
    struct fo_errs *errs)
{
	struct fo_buf b = { 0 };
	size_t i, k, before = errs->n;

	for (i = 0; i < n; i++) {
		if (r[i].when) {
			fo_buf_reset(&b);
			put_cond(&b, r[i].when);
			if (!compiles(q, fo_buf_cstr(&b)))
				fo_errs_addf(errs, q->file, r[i].line, r[i].col,
				    "rule %s: when: %s", r[i].id,
				    fo_buf_cstr(&q->err));
		}
		for (k = 0; k < r[i].nfrag; k++) {
			fo_buf_reset(&b);
			put_frag(&b, r[i].frag[k]);
			if (!compiles(q, fo_buf_cstr(&b)))
				fo_errs_addf(errs, q->file, r[i].fline,
				    r[i].fcol, "rule %s: reason {=%s}: %s",
				    r[i].id, r[i].frag[k], fo_buf_cstr(&q->err));
		}
	}
	if (errs->n == before)
		fo_errs_addf(errs, q->file, 0, 0, "the rules do not compile "
		    "together: %s", fo_buf_cstr(&q->err));
	fo_buf_free(&b);
}

int
fo_jq_new(struct fo_jq **qp, const char *file, const struct fo_jqrule *r,
    size_t n, const struct fo_jqparam *p, size_t np, struct fo_errs *errs)
{
	struct fo_jq *q;
	struct fo_buf *b;
	size_t i;

	*qp = NULL;
	if ((q = calloc(1, sizeof *q)) == NULL)
		return FO_ENOMEM;
	q->file = file;
	q->n = n;
	q->res = jv_null();
	q->args = jv_object();
	for (i = 0; i < np; i++)
		q->args = jv_object_set(q->args, jv_string(p[i].name),
		    param_value(&p[i]));
	q->jq = jq_init();
	if (q->jq == NULL) {
		fo_jq_free(q);
		return FO_ENOMEM;
	}
	jq_set_error_cb(q->jq, jq_message, &q->err);
	b = &q->prog;
	fo_buf_putc(b, '[');
	for (i = 0; i < n; i++) {
		fo_buf_puts(b, i ? ",\n" : "\n");
		if (r[i].when == NULL) {	/* decided elsewhere */
			put_frags(b, &r[i]);
			continue;
		}
		fo_buf_puts(b, "(if ");
		put_cond(b, r[i].when);
		fo_buf_puts(b, " then ");
		put_frags(b, &r[i]);
		fo_buf_puts(b, " else null end)");
	}
	fo_buf_puts(b, "\n]");
	if (b->oom) {
		fo_jq_free(q);
		return FO_ENOMEM;
	}
	if (!compiles(q, fo_buf_cstr(b))) {
		find_bad(q, r, n, errs);
		fo_jq_free(q);
		return FO_ERR;
	}
	*qp = q;
	return FO_OK;
}

void
fo_jq_free(struct fo_jq *q)
{
	if (q == NULL)
		return;
	if (q->jq)
		jq_teardown(&q->jq);
	jv_free(q->args);
	jv_free(q->res);
	fo_buf_free(&q->err);
	fo_buf_free(&q->prog);
	free(q);
}

int
fo_jq_run(struct fo_jq *q, const char *text, size_t len, struct fo_err *e)
{
	jv in, v;

	jv_free(q->res);
	q->res = jv_null();
	fo_buf_reset(&q->err);
	/* jq refuses some records our own check accepts (lone surrogates) */
	in = jv_parse_sized(text, (int)len);
	if (!jv_is_valid(in)) {
		v = jv_invalid_get_msg(in);
		fo_err_msg(e, "jq cannot read the record: %s",
		    jv_get_kind(v) == JV_KIND_STRING ? jv_string_value(v) :
		    "not JSON to jq");
		jv_free(v);
		return FO_ERR;
	}
	jq_start(q->jq, in, 0);
	q->res = jq_next(q->jq);
	if (jv_get_kind(q->res) == JV_KIND_ARRAY &&
	    (size_t)jv_array_length(jv_copy(q->res)) == q->n)
		return FO_OK;
	if (jv_invalid_has_msg(jv_copy(q->res))) {
		v = jv_invalid_get_msg(jv_copy(q->res));
		fo_err_msg(e, "jq cannot read the record: %s",
		    jv_get_kind(v) == JV_KIND_STRING ? jv_string_value(v) :
		    "no result");
		jv_free(v);
	} else
		fo_err_msg(e, "jq cannot read the record: %s",
		    q->err.n ? fo_buf_cstr(&q->err) : "no result");
	jv_free(q->res);
	q->res = jv_null();
	return FO_ERR;
}

int
fo_jq_matched(const struct fo_jq *q, size_t i)
{
	jv v;
	int m;

	if (jv_get_kind(q->res) != JV_KIND_ARRAY || i >= q->n)
		return 0;
	v = jv_array_get(jv_copy(q->res), (int)i);
	m = jv_get_kind(v) == JV_KIND_ARRAY;
	jv_free(v);
	return m;
}

const char *
fo_jq_frag(const struct fo_jq *q, size_t i, size_t k)
{
	const char *s = "?";
	jv v, f;

	if (jv_get_kind(q->res) != JV_KIND_ARRAY || i >= q->n)
		return s;
	v = jv_array_get(jv_copy(q->res), (int)i);
	if (jv_get_kind(v) == JV_KIND_ARRAY) {
		f = jv_array_get(jv_copy(v), (int)k);
		/* the string lives in q->res, which holds a reference */
		if (jv_get_kind(f) == JV_KIND_STRING)
			s = jv_string_value(f);
		jv_free(f);
	}
	jv_free(v);
	return s;
}
