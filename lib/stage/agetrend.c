/*
 * agetrend.c - fo-age --trend DIR: the backlog of each night from the
 * dated snapshots examples/nightly.sh keeps (DIR/YYYY-MM-DD/aged.ndjson):
 * the open exceptions and their money per currency, exact (a document's
 * amount once, as the report counts it), as NDJSON, CSV or a table, and
 * as a chart on the page (-f html), drawn from the integers themselves.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"
#include "age.h"

/* The doc_ids of a night whose amount is the document's: counted once. */
struct docset {
	char **v;
	size_t n, cap;		/* cap a power of two, or 0 */
};

/* Whether id was in the set; added if not. FO_ENOMEM. */
static int
docset_seen(struct docset *s, const char *id)
{
	char **v;
	size_t i, m, cap;

	if ((s->n + 1) * 2 > s->cap) {
		cap = s->cap ? 2 * s->cap : 64;
		if ((v = calloc(cap, sizeof *v)) == NULL)
			return FO_ENOMEM;
		for (i = 0; i < s->cap; i++) {
			if (s->v[i] == NULL)
				continue;
			m = fo_fnv1a(FO_FNV_BASIS, s->v[i], strlen(s->v[i])) &
			    (cap - 1);
			while (v[m])
				m = (m + 1) & (cap - 1);
			v[m] = s->v[i];
		}
		free(s->v);
		s->v = v;
		s->cap = cap;
	}
	m = fo_fnv1a(FO_FNV_BASIS, id, strlen(id)) & (s->cap - 1);
	for (; s->v[m]; m = (m + 1) & (s->cap - 1))
		if (strcmp(s->v[m], id) == 0)
			return 1;
	if ((s->v[m] = strdup(id)) == NULL)
		return FO_ENOMEM;
	s->n++;
	return 0;
}

static void
docset_free(struct docset *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static int
money_add(struct night *n, const char *cur, int64_t x)
{
	struct money *m;
	size_t i;

	for (i = 0; i < n->namt; i++)
		if (strcmp(n->amt[i].cur, cur) == 0)
			return __builtin_add_overflow(n->amt[i].v, x,
			    &n->amt[i].v) ? FO_ERR : FO_OK;
	if ((m = realloc(n->amt, (n->namt + 1) * sizeof *m)) == NULL)
		return FO_ENOMEM;
	n->amt = m;
	/* in order of code: the outputs need no sort */
	for (i = n->namt; i > 0 && strcmp(m[i - 1].cur, cur) > 0; i--)
		m[i] = m[i - 1];
	memset(&m[i], 0, sizeof *m);
	snprintf(m[i].cur, sizeof m[i].cur, "%s", cur);
	m[i].v = x;
	n->namt++;
	return FO_OK;
}

/* One night's snapshot into n. FO_OK; FO_EMPTY, no snapshot that night;
 * FO_ERR, damaged (e: its line and column); FO_EIO, unreadable. */
static int
night_read(struct night *n, const char *path, struct fo_err *e)
{
	struct fo_recfile f;
	struct fo_rec *r = &f.rec;
	struct fo_buf b = { 0 };
	struct fo_money fm;
	struct docset docs = { 0 };
	int rr, ret;

	if ((ret = fo_recfile_open(&f, path, NULL, e)) != FO_OK)
		return ret == FO_ERR ? FO_EMPTY : ret;
	while ((rr = fo_recfile_next(&f, e)) != FO_EMPTY) {
		if (rr == FO_EIO || rr == FO_ENOMEM) {
			ret = rr;
			break;
		}
		if (rr == FO_OK && (rr = fo_rec_exception(r, NULL, e)) ==
		    FO_EMPTY)
			continue;
		if (rr == FO_OK)
			n->count++;
		if (rr == FO_OK && (rr = fo_get_money(r, "amount", "currency",
		    &fm, e)) == FO_OK && (rr = fo_get_text(r, "amount_scope",
		    &b, e)) >= 0) {
			/* a document's amount on each of its records: once */
			if (rr == FO_OK && strcmp(b.p, "document") == 0 &&
			    (rr = fo_get_text(r, "doc_id", &b, e)) == FO_OK)
				rr = docset_seen(&docs, b.p);
			else
				rr = rr == FO_ERR ? rr : 0;
			if (rr == 0 && (rr = money_add(n, fm.cur, fm.v.v)) ==
			    FO_ERR)
				fo_err_msg(e, "amount: the sum overflows");
			else if (rr == 1)
				rr = FO_OK;
		}
		if (rr == FO_EMPTY)	/* no amount, or no doc_id */
			rr = FO_OK;
		if (rr != FO_OK) {
			if (rr == FO_ENOMEM) {
				ret = rr;
				break;
			}
			fo_recfile_at(&f, e);
			ret = FO_ERR;
			break;
		}
	}
	fo_recfile_close(&f);
	fo_buf_free(&b);
	docset_free(&docs);
	return ret;
}

static int
night_cmp(const void *x, const void *y)
{
	int32_t p = ((const struct night *)x)->day;
	int32_t q = ((const struct night *)y)->day;

	return (p > q) - (p < q);
}

/* --trend DIR: every night named YYYY-MM-DD in DIR up to the as-of date
 * whose aged.ndjson is there; a night without one is absent. */
int
fo_age_trend_load(struct fo_age *a, const char *dir, struct fo_err *e)
{
	DIR *d;
	struct dirent *de;
	struct night *n;
	struct fo_err de_err;
	int32_t day;
	size_t cap = 0, len;
	int ret = FO_OK, rr;
	char name[16];

	a->has_trend = 1;
	if ((d = opendir(dir)) == NULL) {
		fo_err_set(e, dir, 0, 0, "--trend: %s", strerror(errno));
		return errno == ENOENT || errno == ENOTDIR ? FO_ERR : FO_EIO;
	}
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) != 10 || de->d_name[4] != '-' ||
		    fo_date_parse(de->d_name, 10, FO_DATE_ISO, &day,
		    &de_err) != FO_OK || day > a->as_of)
			continue;
		if (a->ntrend == cap) {
			cap = cap ? 2 * cap : 32;
			if ((n = realloc(a->trend, cap * sizeof *n)) == NULL) {
				ret = FO_ENOMEM;
				break;
			}
			a->trend = n;
		}
		n = &a->trend[a->ntrend];
		memset(n, 0, sizeof *n);
		n->day = day;
		a->ntrend++;
	}
	closedir(d);
	if (ret != FO_OK)
		return ret;
	if (a->ntrend > 1)
		qsort(a->trend, a->ntrend, sizeof *a->trend, night_cmp);
	for (n = a->trend; n < a->trend + a->ntrend; n++) {
		len = strlen(dir) + 32;
		free(a->trend_path);
		if ((a->trend_path = malloc(len)) == NULL)
			return FO_ENOMEM;
		name[fo_date_fmt(n->day, name)] = '\0';
		snprintf(a->trend_path, len, "%s/%s/aged.ndjson", dir, name);
		if ((rr = night_read(n, a->trend_path, e)) == FO_EMPTY) {
			free(n->amt);
			memmove(n, n + 1, (size_t)(a->trend + a->ntrend - n -
			    1) * sizeof *n);
			a->ntrend--;
			n--;
		} else if (rr != FO_OK) {
			if (e->file == NULL)
				e->file = a->trend_path;
			return rr;
		}
	}
	return FO_OK;
}

/* Every currency of the trend, in order of code. */
static int
trend_currencies(const struct fo_age *a, struct night *all)
{
	size_t i, j;
	int r;

	memset(all, 0, sizeof *all);
	for (i = 0; i < a->ntrend; i++)
		for (j = 0; j < a->trend[i].namt; j++)
			if ((r = money_add(all, a->trend[i].amt[j].cur, 0)) !=
			    FO_OK)
				return r;
	return FO_OK;
}

static const struct money *
amount_in(const struct night *n, const char *cur)
{
	size_t i;

	for (i = 0; i < n->namt; i++)
		if (strcmp(n->amt[i].cur, cur) == 0)
			return &n->amt[i];
	return NULL;
}

static void
put_money(struct fo_buf *o, const struct money *m)
{
	char buf[FO_DEC_BUFSZ];

	fo_buf_put(o, buf, fo_age_money_text(m, buf));
}

static void
put_day(struct fo_buf *o, int32_t day)
{
	char buf[16];

	fo_buf_put(o, buf, fo_date_fmt(day, buf));
}

/* The backlog per night, in fmt (ndjson, csv or table). */
int
fo_age_trend_write(struct fo_age *a, enum fo_age_fmt fmt, struct fo_buf *o)
{
	struct night all;
	const struct money *m;
	size_t i, j, w = 5;
	char buf[FO_DEC_BUFSZ];

	if (trend_currencies(a, &all) != FO_OK) {
		free(all.amt);
		return FO_ENOMEM;
	}
	if (fmt == FO_AGE_CSV) {
		fo_buf_puts(o, "night,count");
		for (j = 0; j < all.namt; j++)
			fo_buf_printf(o, ",amount_%s", all.amt[j].cur[0] ?
			    all.amt[j].cur : "none");
		fo_buf_putc(o, '\n');
	} else if (fmt == FO_AGE_TABLE) {
		for (i = 0; i < a->ntrend; i++)
			for (j = 0; j < a->trend[i].namt; j++)
				if (fo_age_money_text(&a->trend[i].amt[j],
				    buf) > w)
					w = fo_age_money_text(
					    &a->trend[i].amt[j], buf);
		fo_buf_printf(o, "backlog by night, to %s: %zu nights\n\n"
		    "night       count  %*s\n", a->as_of_text, a->ntrend,
		    (int)w + 4, "amount");
	}
	for (i = 0; i < a->ntrend; i++) {
		const struct night *n = &a->trend[i];

		switch (fmt) {
		case FO_AGE_CSV:
			put_day(o, n->day);
			fo_buf_printf(o, ",%ld", n->count);
			for (j = 0; j < all.namt; j++) {
				fo_buf_putc(o, ',');
				if ((m = amount_in(n, all.amt[j].cur)))
					put_money(o, m);
			}
			fo_buf_putc(o, '\n');
			break;
		case FO_AGE_TABLE:
			for (j = 0; j < (n->namt ? n->namt : 1); j++) {
				if (j == 0) {
					put_day(o, n->day);
					fo_buf_printf(o, "  %5ld", n->count);
				} else
					fo_buf_printf(o, "%10s  %5s", "", "");
				if (n->namt) {
					fo_age_money_text(&n->amt[j], buf);
					fo_buf_printf(o, "  %*s %-3s", (int)w,
					    buf, n->amt[j].cur);
				}
				while (o->n > 0 && o->p[o->n - 1] == ' ')
					o->n--;
				fo_buf_putc(o, '\n');
			}
			break;
		default:
			fo_buf_puts(o, "{\"night\":\"");
			put_day(o, n->day);
			fo_buf_printf(o, "\",\"count\":%ld,\"amounts\":{",
			    n->count);
			for (j = 0; j < n->namt; j++) {
				if (j)
					fo_buf_putc(o, ',');
				fo_json_str(o, n->amt[j].cur,
				    strlen(n->amt[j].cur));
				fo_buf_putc(o, ':');
				put_money(o, &n->amt[j]);
			}
			fo_buf_puts(o, "}}\n");
		}
		fo_age_spill(a);
	}
	free(all.amt);
	return o->oom ? FO_ENOMEM : FO_OK;
}

/* MM-DD: a bar's label; the year is in its title and the caption. */
static void
put_day5(struct fo_buf *o, int32_t day)
{
	char buf[16];

	fo_date_fmt(day, buf);
	fo_buf_put(o, buf + 5, 5);
}

static int64_t
abs64(int64_t v)
{
	return v < 0 ? -v : v;
}

/* One chart: a bar a night, heights by integer arithmetic from the
 * exact values (count, or an amount in minor units), each bar titled
 * with its date and value, its value above it and its month and day
 * under it, both centred, clear of the chart's title and of the next
 * bar's. cur NULL: the counts. */
static void
chart(struct fo_age *a, struct fo_buf *o, const char *cur)
{
	const int H = 120, BW = 64, TOP = 34, L = 8;
	const struct money *m;
	int64_t max = 0, v;
	size_t i;
	long h;
	char buf[FO_DEC_BUFSZ];

	for (i = 0; i < a->ntrend; i++) {
		v = cur == NULL ? a->trend[i].count :
		    (m = amount_in(&a->trend[i], cur)) ? abs64(m->v) : 0;
		if (v > max)
			max = v;
	}
	fo_buf_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%zu\" height=\"%d\" role=\"img\" class=\"trend\">\n",
	    (size_t)L + a->ntrend * (size_t)BW + 8, TOP + H + 20);
	fo_buf_printf(o, "<text x=\"%d\" y=\"12\" class=\"h\">%s", L,
	    cur ? "open amount in " : "open exceptions");
	if (cur)
		fo_buf_puts(o, cur[0] ? cur : "(no currency)");
	fo_buf_puts(o, "</text>\n");
	for (i = 0; i < a->ntrend; i++) {
		const struct night *n = &a->trend[i];
		int x = L + (int)i * BW;

		m = cur ? amount_in(n, cur) : NULL;
		v = cur == NULL ? n->count : m ? m->v : 0;
		h = max ? (long)((__int128)abs64(v) * H / max) : 0;
		if (cur) {	/* none that night: 0 in its decimals */
			struct money z = { { 0 }, 0 };

			snprintf(z.cur, sizeof z.cur, "%s", cur);
			fo_age_money_text(m ? m : &z, buf);
		} else
			snprintf(buf, sizeof buf, "%ld", n->count);
		fo_buf_printf(o, "<g><title>");
		put_day(o, n->day);
		fo_buf_printf(o, ": %s%s%s</title><rect x=\"%d\" y=\"%ld\" "
		    "width=\"%d\" height=\"%ld\" fill=\"%s\"/>", buf,
		    cur ? " " : " open", cur ? cur : "", x + 4, TOP + H - h,
		    BW - 8, h, v < 0 ? "#b54a4a" : cur ? "#5aa55a" :
		    "#4a7ab5");
		fo_buf_printf(o, "<text x=\"%d\" y=\"%ld\" class=\"v\">%s"
		    "</text>", x + BW / 2, TOP + H - h - 4, buf);
		fo_buf_printf(o, "<text x=\"%d\" y=\"%d\" class=\"d\">",
		    x + BW / 2, TOP + H + 14);
		put_day5(o, n->day);
		fo_buf_puts(o, "</text></g>\n");
	}
	fo_buf_puts(o, "</svg>\n");
}

/* The page's backlog: a chart of the count, one of each currency's
 * amount, night by night. */
void
fo_age_trend_html(struct fo_age *a, struct fo_buf *o)
{
	struct night all;
	size_t j;

	fo_buf_printf(o, "<h2>Backlog, night by night</h2>\n<p>%zu nights "
	    "with a snapshot", a->ntrend);
	if (a->ntrend > 0) {
		fo_buf_puts(o, ", ");
		put_day(o, a->trend[0].day);
		fo_buf_puts(o, " to ");
		put_day(o, a->trend[a->ntrend - 1].day);
	}
	fo_buf_puts(o, "; a night without one is not shown.</p>\n");
	if (a->ntrend == 0)
		return;
	if (trend_currencies(a, &all) != FO_OK) {
		free(all.amt);
		o->oom = 1;
		return;
	}
	chart(a, o, NULL);
	for (j = 0; j < all.namt; j++)
		chart(a, o, all.amt[j].cur);
	free(all.amt);
	fo_age_spill(a);
}
