/*
 * route.c - fo-route's policy: an ordered routing table whose jq
 * conditions are compiled once into one program (jqprog.c), first match
 * wins, else the default; then human review, the SLA's due instant on
 * the business calendar (calendar.c) and escalation, each with its
 * reasons. The verdict is written into the record in place.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"

enum sla_unit { SLA_BDAYS, SLA_BHOURS, SLA_DAYS, SLA_HOURS };

struct sla {
	enum sla_unit unit;
	long n;
};

struct rule {
	char *id;		/* "default" for the default */
	char *when;
	size_t queue;
	struct sla sla;
	long line, col;		/* of when */
	long idline;
};

struct queue {
	char *name;
	char **resolver;
	size_t nresolver;
	int declared;		/* named under queues: */
};

struct threshold {
	char *entity;		/* NULL: the default */
	struct fo_dec amount;
	char *text;		/* as written, for reasons */
};

struct fo_route {
	const char *file;	/* the caller's: errors point at it */
	struct fo_cal cal;
	int32_t *holiday;
	struct queue *queue;
	size_t nqueue, capqueue;
	int has_queues;		/* queues: given, so every queue is declared */
	/* review */
	int has_conf;
	struct fo_dec conf_below;
	char *conf_text;
	struct threshold *thr;
	size_t nthr;
	int sens[3];		/* low, medium, high: review */
	int sod;
	/* escalate: -1 off */
	long esc_discount, esc_due, esc_older;
	struct rule *rule;
	size_t nrule;
	struct rule def;
	struct fo_jq *jq;
	struct fo_buf val, why, esc, what, f[6];
	struct fo_owned owned;
};

static const char *const sens_names[] = { "low", "medium", "high", NULL };
static const char *const day_names[] = { "mon", "tue", "wed", "thu", "fri",
	"sat", "sun", NULL };

static void *
own(struct fo_route *c, void *p)
{
	return fo_own(&c->owned, p);
}

static char *
own_str(struct fo_route *c, const char *s)
{
	return own(c, strdup(s));
}




/* A queue name is a file name under --split: [A-Za-z0-9_-]+, so no
 * NUL, '/' or leading dot, and at most FO_QUEUE_MAX bytes, so that
 * "NAME.ndjson" and its temporary file fit any file system's name. */
static int
queue_name_ok(const struct fo_ynode *k)
{
	size_t i;

	if (k->len == 0 || k->len > FO_QUEUE_MAX || strlen(k->str) != k->len)
		return 0;
	for (i = 0; i < k->len; i++)
		if (!isalnum((unsigned char)k->str[i]) && k->str[i] != '_' &&
		    k->str[i] != '-')
			return 0;
	return 1;
}

/* The refusal, with the name as it can be shown (a NUL cuts it). */
static void
queue_name_err(struct fo_errs *errs, const char *file, const struct fo_ynode *k)
{
	char why[160];

	if (strlen(k->str) != k->len)
		snprintf(why, sizeof why, "queue '%s...': a queue is a file "
		    "name under --split: it holds a NUL byte", k->str);
	else if (k->len > FO_QUEUE_MAX)
		snprintf(why, sizeof why, "queue '%.20s...': a queue is a file "
		    "name under --split: %zu bytes, at most %d", k->str,
		    k->len, FO_QUEUE_MAX);
	else
		snprintf(why, sizeof why, "queue '%.*s': a queue is a file "
		    "name under --split: letters, digits, _ and -",
		    FO_QUEUE_MAX, k->str);
	fo_yerr(errs, file, k, "%s", why);
}

static int
decimal(const char *s, struct fo_dec *d)
{
	struct fo_err e;

	if (s == NULL || fo_dec_parse(s, strlen(s), FO_NUM_PLAIN, FO_DEC_ASIS,
	    d, &e) != FO_OK)
		return FO_ERR;
	return FO_OK;
}

static int
strict_date(const char *s, int32_t *day)
{
	struct fo_err e;

	if (s == NULL || strlen(s) != 10 ||
	    fo_date_parse(s, 10, FO_DATE_ISO, day, &e) != FO_OK)
		return FO_ERR;
	return FO_OK;
}

/* "N business days", "N business hours", "N days", "N hours" (or one
 * of each, singular). */
static int
sla_parse(const char *s, struct sla *sla)
{
	static const struct {
		const char *word;
		enum sla_unit unit;
		long max;
	} units[] = {
		{ " business days", SLA_BDAYS, 366 },
		{ " business day", SLA_BDAYS, 366 },
		{ " business hours", SLA_BHOURS, 8784 },
		{ " business hour", SLA_BHOURS, 8784 },
		{ " days", SLA_DAYS, 366 },
		{ " day", SLA_DAYS, 366 },
		{ " hours", SLA_HOURS, 8784 },
		{ " hour", SLA_HOURS, 8784 },
	};
	char num[16];
	const char *sp;
	size_t i;

	if (s == NULL || (sp = strchr(s, ' ')) == NULL ||
	    (size_t)(sp - s) >= sizeof num)
		return FO_ERR;
	memcpy(num, s, (size_t)(sp - s));
	num[sp - s] = '\0';
	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(sp, units[i].word) == 0) {
			sla->unit = units[i].unit;
			return fo_ywhole(num, 0, units[i].max, &sla->n);
		}
	return FO_ERR;
}

static int
cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return x < y ? -1 : x > y;
}

static void
load_calendar(struct fo_route *c, const struct fo_ynode *y,
    struct fo_errs *errs)
{
	static const char *const keys[] = { "timezone", "workdays", "hours",
	    "holidays", NULL };
	const struct fo_ynode *k;
	size_t i, j, n = 0;

	if (y == NULL) {
		fo_errs_addf(errs, c->file, 1, 1, "a routing policy needs a "
		    "calendar (fo-rules(5))");
		return;
	}
	if (fo_ymap_check(y, keys, "calendar", c->file, errs) &&
	    y->type != FO_Y_MAP)
		return;
	k = fo_ymap_get(y, "timezone");
	if (fo_yscalar(k) == NULL || fo_cal_offset_parse(k->str, &c->cal.offset) !=
	    FO_OK)
		fo_yerr(errs, c->file, k ? k : y, "timezone '%s': a fixed UTC "
		    "offset such as +01:00, -05:00 or Z", fo_yscalar(k) ?
		    k->str : "");
	k = fo_ymap_get(y, "hours");
	if (fo_yscalar(k) == NULL || fo_cal_hours_parse(k->str, &c->cal.open,
	    &c->cal.close) != FO_OK)
		fo_yerr(errs, c->file, k ? k : y, "hours '%s': opening and "
		    "closing time, HH:MM-HH:MM, such as 09:00-17:00",
		    fo_yscalar(k) ? k->str : "");
	if ((k = fo_ymap_get(y, "workdays")) == NULL || k->type != FO_Y_SEQ ||
	    k->n == 0)
		fo_yerr(errs, c->file, k ? k : y, "%s must be a list of days: "
		    "mon, tue, wed, thu, fri, sat, sun", "workdays");
	else
		for (i = 0; i < k->n; i++) {
			const char *d = fo_yscalar(k->kid[i]);

			for (j = 0; d && day_names[j]; j++)
				if (strcmp(d, day_names[j]) == 0)
					break;
			if (d == NULL || day_names[j] == NULL)
				fo_yerr(errs, c->file, k->kid[i], "workday '%s': "
				    "mon, tue, wed, thu, fri, sat or sun",
				    d ? d : "");
			else if (c->cal.workday[j])
				fo_yerr(errs, c->file, k->kid[i], "workday '%s' "
				    "given twice", d);
			else
				c->cal.workday[j] = 1;
		}
	if ((k = fo_ymap_get(y, "holidays")) == NULL)
		return;
	if (k->type != FO_Y_SEQ) {
		fo_yerr(errs, c->file, k, "%s must be a list of dates, "
		    "YYYY-MM-DD", "holidays");
		return;
	}
	if ((c->holiday = own(c, calloc(k->n + 1, sizeof *c->holiday))) == NULL)
		return;
	for (i = 0; i < k->n; i++)
		if (strict_date(fo_yscalar(k->kid[i]), &c->holiday[n]) != FO_OK)
			fo_yerr(errs, c->file, k->kid[i], "holiday '%s': a date, "
			    "YYYY-MM-DD", fo_yscalar(k->kid[i]) ? k->kid[i]->str :
			    "");
		else
			n++;
	qsort(c->holiday, n, sizeof *c->holiday, cmp_day);
	c->cal.holiday = c->holiday;
	c->cal.nholiday = n;
}

/* The queue's index, added when new; SIZE_MAX when out of memory. */
static size_t
queue_add(struct fo_route *c, const char *name)
{
	struct queue *v;
	size_t i;

	for (i = 0; i < c->nqueue; i++)
		if (strcmp(c->queue[i].name, name) == 0)
			return i;
	if (c->nqueue == c->capqueue) {
		c->capqueue = c->capqueue ? 2 * c->capqueue : 16;
		if ((v = realloc(c->queue, c->capqueue * sizeof *v)) == NULL)
			return (size_t)-1;
		c->queue = v;
	}
	memset(&c->queue[c->nqueue], 0, sizeof c->queue[0]);
	if ((c->queue[c->nqueue].name = own_str(c, name)) == NULL)
		return (size_t)-1;
	return c->nqueue++;
}

static void
load_queues(struct fo_route *c, const struct fo_ynode *y,
    struct fo_errs *errs)
{
	static const char *const keys[] = { "resolvers", NULL };
	const struct fo_ynode *k, *v, *r;
	struct queue *q;
	size_t i, j, qi;

	if (y == NULL)
		return;
	c->has_queues = 1;
	if (y->type != FO_Y_MAP) {
		fo_yerr(errs, c->file, y, "%s must be a mapping of queue names",
		    "queues");
		return;
	}
	for (i = 0; i + 1 < y->n; i += 2) {
		k = y->kid[i];
		v = y->kid[i + 1];
		if (!queue_name_ok(k)) {
			queue_name_err(errs, c->file, k);
			continue;
		}
		if ((qi = queue_add(c, k->str)) == (size_t)-1)
			return;
		q = &c->queue[qi];
		q->declared = 1;
		if (fo_ymap_check(v, keys, "a queue", c->file, errs) &&
		    v->type != FO_Y_MAP)
			continue;
		if ((r = fo_ymap_get(v, "resolvers")) == NULL)
			continue;
		if (r->type != FO_Y_SEQ) {
			fo_yerr(errs, c->file, r, "%s must be a list of user "
			    "names", "resolvers");
			continue;
		}
		if ((q->resolver = own(c, calloc(r->n + 1,
		    sizeof *q->resolver))) == NULL)
			return;
		for (j = 0; j < r->n; j++)
			if (fo_yscalar(r->kid[j]) == NULL || r->kid[j]->len == 0)
				fo_yerr(errs, c->file, r->kid[j], "%s: a user "
				    "name", "resolver");
			else
				q->resolver[q->nresolver++] =
				    own_str(c, r->kid[j]->str);
	}
}

static void
load_review(struct fo_route *c, const struct fo_ynode *y,
    struct fo_errs *errs)
{
	static const char *const keys[] = { "confidence_below",
	    "approval_threshold", "sensitivity", "segregation_of_duties",
	    NULL };
	const struct fo_ynode *k, *e, *v;
	struct fo_dec zero = { 0, 0 }, one = { 1, 0 };
	size_t i, j;

	if (y == NULL)
		return;
	if (fo_ymap_check(y, keys, "review", c->file, errs) &&
	    y->type != FO_Y_MAP)
		return;
	if ((k = fo_ymap_get(y, "confidence_below")) != NULL) {
		if (decimal(fo_yscalar(k), &c->conf_below) != FO_OK ||
		    fo_dec_cmp(&c->conf_below, &zero) < 0 ||
		    fo_dec_cmp(&c->conf_below, &one) > 0)
			fo_yerr(errs, c->file, k, "confidence_below '%s': a number "
			    "from 0 to 1", fo_yscalar(k) ? k->str : "");
		c->has_conf = 1;
		c->conf_text = own_str(c, fo_yscalar(k) ? k->str : "");
	}
	if ((k = fo_ymap_get(y, "approval_threshold")) != NULL) {
		if (k->type != FO_Y_MAP) {
			fo_yerr(errs, c->file, k, "%s must be a mapping: default, "
			    "and an amount per entity", "approval_threshold");
		} else if ((c->thr = own(c, calloc(k->n / 2 + 1,
		    sizeof *c->thr))) != NULL) {
			for (i = 0; i + 1 < k->n; i += 2) {
				e = k->kid[i];
				v = k->kid[i + 1];
				if (decimal(fo_yscalar(v), &c->thr[c->nthr].amount) !=
				    FO_OK || c->thr[c->nthr].amount.v < 0) {
					fo_yerr(errs, c->file, v, "approval threshold "
					    "'%s': an amount in the base currency, "
					    "such as \"50000.00\"", fo_yscalar(v) ?
					    v->str : "");
					continue;
				}
				c->thr[c->nthr].text = own_str(c, v->str);
				c->thr[c->nthr].entity = strcmp(e->str,
				    "default") == 0 ? NULL : own_str(c, e->str);
				c->nthr++;
			}
		}
	}
	if ((k = fo_ymap_get(y, "sensitivity")) != NULL) {
		if (k->type != FO_Y_SEQ)
			fo_yerr(errs, c->file, k, "%s must be a list: low, medium, "
			    "high", "sensitivity");
		else
			for (i = 0; i < k->n; i++) {
				const char *s = fo_yscalar(k->kid[i]);

				for (j = 0; s && sens_names[j]; j++)
					if (strcmp(s, sens_names[j]) == 0)
						break;
				if (s == NULL || sens_names[j] == NULL)
					fo_yerr(errs, c->file, k->kid[i],
					    "sensitivity '%s': low, medium or "
					    "high", s ? s : "");
				else
					c->sens[j] = 1;
			}
	}
	if ((k = fo_ymap_get(y, "segregation_of_duties")) != NULL) {
		if (fo_yscalar(k) == NULL || (strcmp(k->str, "true") != 0 &&
		    strcmp(k->str, "false") != 0))
			fo_yerr(errs, c->file, k, "segregation_of_duties '%s': "
			    "true or false", fo_yscalar(k) ? k->str : "");
		else
			c->sod = strcmp(k->str, "true") == 0;
	}
}

static void
load_escalate(struct fo_route *c, const struct fo_ynode *y,
    struct fo_errs *errs)
{
	static const char *const keys[] = { "discount_within_days",
	    "due_within_days", "older_than_days", NULL };
	long *to[] = { &c->esc_discount, &c->esc_due, &c->esc_older };
	const struct fo_ynode *k;
	size_t i;

	if (y == NULL)
		return;
	if (fo_ymap_check(y, keys, "escalate", c->file, errs) &&
	    y->type != FO_Y_MAP)
		return;
	for (i = 0; keys[i]; i++)
		if ((k = fo_ymap_get(y, keys[i])) != NULL &&
		    fo_ywhole(fo_yscalar(k), 0, 3650, to[i]) != FO_OK)
			fo_errs_addf(errs, c->file, k->line, k->col, "%s '%s': "
			    "a whole number of days, 0 to 3650", keys[i],
			    fo_yscalar(k) ? k->str : "");
}

/* queue and sla of a route or of the default. */
static void
load_target(struct fo_route *c, struct rule *r, const struct fo_ynode *y,
    struct fo_errs *errs)
{
	const struct fo_ynode *k;
	size_t qi;

	if ((k = fo_ymap_get(y, "queue")) == NULL || fo_yscalar(k) == NULL)
		fo_yerr(errs, c->file, k ? k : y, "queue '%s': a queue is a file "
		    "name under --split: letters, digits, _ and -", "");
	else if (!queue_name_ok(k))
		queue_name_err(errs, c->file, k);
	else if ((qi = queue_add(c, k->str)) != (size_t)-1) {
		r->queue = qi;
		if (c->has_queues && !c->queue[qi].declared)
			fo_yerr(errs, c->file, k, "queue '%s' is not under queues",
			    k->str);
	}
	if ((k = fo_ymap_get(y, "sla")) == NULL || sla_parse(fo_yscalar(k),
	    &r->sla) != FO_OK)
		fo_yerr(errs, c->file, k ? k : y, "sla '%s': N business days, N "
		    "business hours, N days or N hours (a year at most)",
		    fo_yscalar(k) ? k->str : "");
}

static void
load_route(struct fo_route *c, const struct fo_ynode *y,
    struct fo_errs *errs)
{
	static const char *const keys[] = { "id", "when", "queue", "sla",
	    NULL };
	struct rule *r = &c->rule[c->nrule];
	const struct fo_ynode *k;
	const char *s, *why;
	size_t i, at, wlen;

	if (fo_ymap_check(y, keys, "route", c->file, errs) &&
	    y->type != FO_Y_MAP)
		return;
	r->line = y->line;
	r->col = y->col;
	if ((s = fo_yscalar(k = fo_ymap_get(y, "id"))) == NULL || !fo_yname_ok(s) ||
	    strcmp(s, "default") == 0) {
		fo_yerr(errs, c->file, k ? k : y, "a route needs an %s: letters, "
		    "digits and _, not default", "id");
		return;
	}
	r->id = own_str(c, s);
	r->idline = k->line;
	for (i = 0; i < c->nrule; i++)
		if (strcmp(c->rule[i].id, s) == 0) {
			fo_errs_addf(errs, c->file, k->line, k->col,
			    "duplicate route id '%s' (first at line %ld)", s,
			    c->rule[i].idline);
			break;
		}
	if ((s = fo_yscalar(k = fo_ymap_get(y, "when"))) == NULL) {
		fo_yerr(errs, c->file, k ? k : y, "route %s needs a when", r->id);
	} else {
		r->when = own_str(c, s);
		r->line = k->line;
		r->col = k->col;
		if (fo_jq_leaky(s))
			fo_yerr(errs, c->file, k, "route %s: index, rindex and "
			    "indices leak memory in jq 1.6 on every record: "
			    "write any(.[]; . == X) or contains([X])", r->id);
		if ((why = fo_jq_refused(s, &at, &wlen)) != NULL)
			fo_errs_addf(errs, c->file, k->line, k->col, "route %s: "
			    "when: '%.*s' %s: rules are data (fo(7), SECURITY)",
			    r->id, (int)wlen, s + at, why);
	}
	load_target(c, r, y, errs);
	c->nrule++;
}

static int
compile(struct fo_route *c, struct fo_errs *errs)
{
	struct fo_jqrule *jr;
	size_t i;
	int r;

	if ((jr = calloc(c->nrule + 1, sizeof *jr)) == NULL)
		return FO_ENOMEM;
	for (i = 0; i < c->nrule; i++) {
		jr[i].id = c->rule[i].id;
		jr[i].when = c->rule[i].when;
		jr[i].line = c->rule[i].line;
		jr[i].col = c->rule[i].col;
	}
	r = fo_jq_new(&c->jq, c->file, jr, c->nrule, NULL, 0, errs);
	free(jr);
	return r;
}

int
fo_route_load(const char *path, struct fo_route **cp, struct fo_errs *errs)
{
	static const char *const top[] = { "calendar", "queues", "review",
	    "escalate", "routes", "default", NULL };
	static const char *const defkeys[] = { "queue", "sla", NULL };
	struct fo_route *c;
	struct fo_ydoc *doc = NULL;
	const struct fo_ynode *y, *root;
	size_t before = errs->n, i;
	int r;

	*cp = NULL;
	if ((r = fo_yaml_load(path, &doc, errs)) != FO_OK)
		return r;
	if ((c = calloc(1, sizeof *c)) == NULL) {
		fo_yaml_free(doc);
		return FO_ENOMEM;
	}
	c->file = path;
	c->esc_discount = c->esc_due = c->esc_older = -1;
	c->def.id = "default";
	root = doc->root;
	if (root == NULL || root->type != FO_Y_MAP) {
		fo_errs_addf(errs, path, 1, 1, "a routing policy is a mapping "
		    "with calendar, routes and default (fo-rules(5))");
		goto out;
	}
	fo_ymap_check(root, top, "routing policy", path, errs);
	load_calendar(c, fo_ymap_get(root, "calendar"), errs);
	load_queues(c, fo_ymap_get(root, "queues"), errs);
	load_review(c, fo_ymap_get(root, "review"), errs);
	load_escalate(c, fo_ymap_get(root, "escalate"), errs);
	if ((y = fo_ymap_get(root, "routes")) == NULL || y->type != FO_Y_SEQ) {
		fo_yerr(errs, path, y ? y : root, "%s must be a list of routes",
		    "routes");
	} else if ((c->rule = own(c, calloc(y->n + 1, sizeof *c->rule)))) {
		for (i = 0; i < y->n; i++)
			load_route(c, y->kid[i], errs);
	}
	if ((y = fo_ymap_get(root, "default")) == NULL)
		fo_errs_addf(errs, path, root->line, root->col, "a routing "
		    "policy needs a default: queue and sla");
	else if (!fo_ymap_check(y, defkeys, "default", path, errs) ||
	    y->type == FO_Y_MAP)
		load_target(c, &c->def, y, errs);
	/* jq is asked even when other mistakes were found: all at once */
	if (compile(c, errs) == FO_ENOMEM)
		fo_errs_addf(errs, path, 0, 0, "out of memory");
out:
	fo_yaml_free(doc);
	if (fo_errs_verdict(errs, before) != FO_OK) {
		fo_route_free(c);
		return FO_ERR;
	}
	*cp = c;
	return FO_OK;
}

void
fo_route_free(struct fo_route *c)
{
	size_t i;

	if (c == NULL)
		return;
	fo_jq_free(c->jq);
	fo_owned_free(&c->owned);
	free(c->queue);
	fo_buf_free(&c->val);
	fo_buf_free(&c->why);
	fo_buf_free(&c->esc);
	fo_buf_free(&c->what);
	for (i = 0; i < 6; i++)
		fo_buf_free(&c->f[i]);
	free(c);
}

const struct fo_cal *
fo_route_calendar(const struct fo_route *c)
{
	return &c->cal;
}

size_t
fo_route_nqueue(const struct fo_route *c)
{
	return c->nqueue;
}

const char *
fo_route_queue(const struct fo_route *c, size_t i)
{
	return i < c->nqueue ? c->queue[i].name : NULL;
}

/*
 * A reason is written into b piece by piece, without the printf family
 * (every record has some): reason() opens one, after "; " when there
 * are others, and done() closes it, cut at 511 bytes as the reasons
 * always were.
 */
#define REASON_MAX 511

static size_t
reason(struct fo_buf *b, const char *s)
{
	size_t start;

	if (b->n > 0)
		fo_buf_puts(b, "; ");
	start = b->n;
	fo_buf_puts(b, s);
	return start;
}

static void
done(struct fo_buf *b, size_t start)
{
	if (!b->oom && b->n - start > REASON_MAX)
		b->n = start + REASON_MAX;
}

/* " N day" or " N days", then post */
static void
put_days(struct fo_buf *b, long n, const char *post)
{
	fo_buf_putc(b, ' ');
	fo_buf_putll(b, n);
	fo_buf_puts(b, n == 1 || n == -1 ? " day" : " days");
	fo_buf_puts(b, post);
}

static int
eq_user(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

/* The value of key as written, for reasons: "0.5", "-60000.00". */
static struct fo_span
written(const struct fo_rec *r, const char *key)
{
	return fo_rec_span(r, fo_rec_find(r, key));
}

static int
review(struct fo_route *c, const struct fo_rec *r, size_t qi,
    struct fo_buf *b, struct fo_err *e)
{
	const struct queue *q = &c->queue[qi];
	const struct threshold *th = NULL;
	struct fo_buf *ent = &c->f[1], *by = &c->f[2], *ap = &c->f[3];
	struct fo_buf *sens = &c->f[0];
	struct fo_money m;
	struct fo_span w;
	struct fo_dec d;
	size_t i, at;
	int neg, rc, hent;

	if (c->has_conf &&
	    (rc = fo_get_dec(r, "confidence", &d, e)) != FO_EMPTY) {
		if (rc != FO_OK)
			return rc;
		w = written(r, "confidence");
		if (fo_dec_cmp(&d, &c->conf_below) < 0) {
			at = reason(b, "confidence ");
			fo_buf_put(b, w.p, w.n);
			fo_buf_puts(b, " below ");
			fo_buf_puts(b, c->conf_text);
			done(b, at);
		}
	}
	if (c->nthr > 0 && (rc = fo_get_money(r, "amount_base",
	    "base_currency", &m, e)) != FO_EMPTY) {
		if (rc != FO_OK)
			return rc;
		if ((hent = fo_get_text(r, "entity", ent, e)) < 0)
			return hent;
		for (i = 0; i < c->nthr; i++)
			if (c->thr[i].entity == NULL ? th == NULL :
			    hent == FO_OK && strcmp(ent->p, c->thr[i].entity) ==
			    0)
				th = &c->thr[i];
		/* a credit memo needs approval as much as an invoice */
		d = m.v;
		neg = d.v < 0;
		if (neg)
			d.v = -d.v;
		w = written(r, "amount_base");
		if (th && fo_dec_cmp(&d, &th->amount) >= 0) {
			at = reason(b, "amount_base ");
			fo_buf_put(b, w.p, w.n);
			fo_buf_puts(b, " at or above the approval threshold ");
			fo_buf_puts(b, th->text);
			if (th->entity) {
				fo_buf_puts(b, " of entity ");
				fo_buf_puts(b, th->entity);
			}
			if (neg)
				fo_buf_puts(b, " (in absolute value)");
			done(b, at);
		}
	}
	if ((rc = fo_get_text(r, "sensitivity", sens, e)) < 0)
		return rc;
	if (rc == FO_OK)
		for (i = 0; sens_names[i]; i++)
			if (c->sens[i] && strcmp(sens->p, sens_names[i]) == 0) {
				at = reason(b, "sensitivity ");
				fo_buf_puts(b, sens->p);
				done(b, at);
			}
	if (!c->sod)
		return FO_OK;
	if ((rc = fo_get_text(r, "created_by", by, e)) < 0 ||
	    (rc = fo_get_text(r, "approved_by", ap, e)) < 0)
		return rc;
	if (by->n && ap->n && eq_user(by->p, ap->p)) {
		at = reason(b, "segregation of duties: created_by and "
		    "approved_by are both ");
		fo_buf_puts(b, by->p);
		done(b, at);
	}
	for (i = 0; by->n && i < q->nresolver; i++)
		if (eq_user(by->p, q->resolver[i])) {
			at = reason(b, "segregation of duties: ");
			fo_buf_puts(b, by->p);
			fo_buf_puts(b, " created the record and resolves queue ");
			fo_buf_puts(b, q->name);
			done(b, at);
			break;
		}
	return FO_OK;
}

static int
escalate(struct fo_route *c, const struct fo_rec *r, const struct fo_asof *a,
    int64_t due, struct fo_buf *b, struct fo_err *e)
{
	char ts[32], ds[16];
	size_t at;
	int64_t t = a->at;
	int32_t today = a->day, day = 0;
	long n;
	int rc;

	if (t > due) {
		fo_ts_fmt(due, ts);
		at = reason(b, "SLA breached: due ");
		fo_buf_puts(b, ts);
		done(b, at);
	}
	if (c->esc_discount >= 0) {
		if ((rc = fo_get_date(r, "discount_date", &day, e)) == FO_ERR)
			return FO_ERR;
		n = (long)day - today;
		fo_date_fmt(day, ds);
		if (rc == FO_OK && n >= 0 && n <= c->esc_discount) {
			at = reason(b, "discount_date ");
			fo_buf_puts(b, ds);
			fo_buf_puts(b, " in");
			put_days(b, n, " (within ");
			fo_buf_putll(b, c->esc_discount);
			fo_buf_putc(b, ')');
			done(b, at);
		}
	}
	if (c->esc_due >= 0) {
		if ((rc = fo_get_date(r, "due_date", &day, e)) == FO_ERR)
			return FO_ERR;
		n = (long)day - today;
		fo_date_fmt(day, ds);
		if (rc == FO_OK && n < 0) {
			at = reason(b, "due_date ");
			fo_buf_puts(b, ds);
			fo_buf_puts(b, " passed");
			put_days(b, -n, " ago");
			done(b, at);
		} else if (rc == FO_OK && n <= c->esc_due) {
			at = reason(b, "due_date ");
			fo_buf_puts(b, ds);
			fo_buf_puts(b, " in");
			put_days(b, n, " (within ");
			fo_buf_putll(b, c->esc_due);
			fo_buf_putc(b, ')');
			done(b, at);
		}
	}
	if (c->esc_older >= 0) {
		const char *key = "hold_date";

		if ((rc = fo_get_date(r, key, &day, e)) == FO_EMPTY)
			rc = fo_get_date(r, key = "doc_date", &day, e);
		if (rc == FO_ERR)
			return FO_ERR;
		n = (long)today - day;
		fo_date_fmt(day, ds);
		if (rc == FO_OK && n > c->esc_older) {
			at = reason(b, "age ");
			fo_buf_putll(b, n);
			fo_buf_puts(b, " days since ");
			fo_buf_puts(b, key);
			fo_buf_putc(b, ' ');
			fo_buf_puts(b, ds);
			fo_buf_puts(b, " (over ");
			fo_buf_putll(b, c->esc_older);
			fo_buf_putc(b, ')');
			done(b, at);
		}
	}
	return FO_OK;
}

/* The route a record takes and its SLA: the one computation of an SLA,
 * for fo-route and for fo-score's sla_risk. */
static int
route_sla(struct fo_route *c, const struct fo_rec *r, const struct fo_asof *a,
    const struct rule **rup, int64_t *duep, int64_t *hoursp,
    struct fo_err *e)
{
	const struct rule *ru = &c->def;
	const uint64_t *may;
	int64_t start, due, secs, hours, workday;
	int32_t hold;
	size_t i;
	int x;

	if ((x = fo_rec_exception(r, NULL, e)) != FO_OK)
		return x;
	if (fo_jq_run(c->jq, r, e) != FO_OK)
		return FO_ERR;
	may = fo_jq_may(c->jq);
	for (i = 0; i < c->nrule; i++)
		if ((may[i / 64] >> (i % 64) & 1) && fo_jq_matched(c->jq, i)) {
			ru = &c->rule[i];
			break;
		}
	if (fo_jq_over(c->jq, e))	/* undecided: rejected, not guessed */
		return FO_ERR;
	if (fo_jq_oom(c->jq))
		return FO_ENOMEM;

	/* the SLA runs from the hold, else from the day the case was first
	 * seen (carried across nights: it never restarts), else from the
	 * as-of instant */
	if ((x = fo_get_date(r, "hold_date", &hold, e)) == FO_EMPTY)
		x = fo_get_date(r, "first_seen", &hold, e);
	if (x == FO_ERR)
		return FO_ERR;
	start = x == FO_OK ? fo_cal_midnight(&c->cal, hold) : a->at;
	workday = c->cal.close - c->cal.open;
	switch (ru->sla.unit) {
	case SLA_BDAYS:
		secs = ru->sla.n * workday;
		break;
	case SLA_DAYS:
		secs = ru->sla.n * 86400;
		break;
	default:
		secs = ru->sla.n * 3600;
		break;
	}
	/* a working day that is not whole hours: sla_hours rounds up */
	hours = ru->sla.unit == SLA_BDAYS ? (secs + 3599) / 3600 :
	    secs / 3600;
	if (ru->sla.unit == SLA_DAYS || ru->sla.unit == SLA_HOURS)
		due = start + secs;
	else if (fo_cal_add(&c->cal, start, secs, &due) != FO_OK) {
		fo_err_msg(e, "no working time on the calendar for the SLA");
		return FO_ERR;
	}
	*rup = ru;
	*duep = due;
	*hoursp = hours;
	return FO_OK;
}

int
fo_route_sla(struct fo_route *c, const struct fo_rec *r,
    const struct fo_asof *a, int64_t *due, char *what, size_t n,
    struct fo_err *e)
{
	static const char *const units[] = { "business day",
	    "business hour", "day", "hour" };
	const struct rule *ru;
	int64_t hours;
	int rc;

	if ((rc = route_sla(c, r, a, &ru, due, &hours, e)) != FO_OK)
		return rc;
	/* "N unit[s], route ID", cut at n - 1 bytes: on every record that
	 * fo-score scores, so not through snprintf */
	fo_buf_reset(&c->what);
	fo_buf_putll(&c->what, ru->sla.n);
	fo_buf_putc(&c->what, ' ');
	fo_buf_puts(&c->what, units[ru->sla.unit]);
	fo_buf_puts(&c->what, ru->sla.n == 1 ? ", route " : "s, route ");
	fo_buf_puts(&c->what, ru->id);
	if (c->what.oom)
		return FO_ENOMEM;
	if (n > 0) {
		if (c->what.n > n - 1)
			c->what.n = n - 1;
		memcpy(what, c->what.p, c->what.n);
		what[c->what.n] = '\0';
	}
	return FO_OK;
}

int
fo_route_rec(struct fo_route *c, const struct fo_rec *r,
    const struct fo_asof *a, struct fo_buf *out, size_t *queue,
    struct fo_err *e)
{
	const struct rule *ru;
	struct fo_buf *b = &c->val;
	struct fo_kv kv[8];
	size_t off[9], nkv = 0, i;
	int64_t due, hours;
	char ts[32];
	int x;

	if ((x = route_sla(c, r, a, &ru, &due, &hours, e)) != FO_OK)
		return x;
	*queue = ru->queue;
	fo_buf_reset(&c->why);
	if ((x = review(c, r, ru->queue, &c->why, e)) != FO_OK)
		return x;
	fo_buf_reset(&c->esc);
	if (escalate(c, r, a, due, &c->esc, e) != FO_OK)
		return FO_ERR;

	fo_buf_reset(b);
	off[nkv] = b->n;
	fo_json_str(b, c->queue[ru->queue].name,
	    strlen(c->queue[ru->queue].name));
	kv[nkv++].key = "queue";
	off[nkv] = b->n;
	fo_buf_puts(b, c->why.n ? "true" : "false");
	kv[nkv++].key = "review";
	off[nkv] = b->n;
	if (c->why.n)
		fo_json_str_lossy(b, c->why.p, c->why.n);
	else
		fo_buf_puts(b, "null");
	kv[nkv++].key = "review_reason";
	off[nkv] = b->n;
	fo_buf_putll(b, (long long)hours);
	kv[nkv++].key = "sla_hours";
	off[nkv] = b->n;
	fo_ts_fmt(due, ts);
	fo_json_str(b, ts, strlen(ts));
	kv[nkv++].key = "sla_due";
	off[nkv] = b->n;
	fo_buf_puts(b, c->esc.n ? "true" : "false");
	kv[nkv++].key = "escalate";
	off[nkv] = b->n;
	if (c->esc.n)
		fo_json_str_lossy(b, c->esc.p, c->esc.n);
	else
		fo_buf_puts(b, "null");
	kv[nkv++].key = "escalate_reason";
	off[nkv] = b->n;
	fo_json_str(b, ru->id, strlen(ru->id));
	kv[nkv++].key = "route_rule";
	off[nkv] = b->n;
	if (b->oom || c->why.oom || c->esc.oom)
		return FO_ENOMEM;
	/* the values are in one buffer: point at them only once it is done */
	for (i = 0; i < nkv; i++) {
		kv[i].val = b->p + off[i];
		kv[i].vlen = off[i + 1] - off[i];
	}
	return fo_rec_write(r, kv, nkv, out);
}

const struct fo_jq *
fo_route_jq(const struct fo_route *c)
{
	return c->jq;
}
