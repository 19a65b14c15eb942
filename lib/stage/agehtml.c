/*
 * agehtml.c - fo-age -f html: the aging report as one self-contained
 * page (tiles, bars, the aging table, the worklist), and the digit
 * grouping of --number-style.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fo.h"
#include "age.h"

static void
html_text(struct fo_buf *o, const char *s, size_t n)
{
	for (; n; s++, n--)
		switch (*s) {
		case '&':
			fo_buf_puts(o, "&amp;");
			break;
		case '<':
			fo_buf_puts(o, "&lt;");
			break;
		case '>':
			fo_buf_puts(o, "&gt;");
			break;
		case '"':
			fo_buf_puts(o, "&quot;");
			break;
		default:
			fo_buf_putc(o, *s);
		}
}

static void
html_str(struct fo_buf *o, const char *s)
{
	html_text(o, s, strlen(s));
}

/* --number-style: the separator of thousands and the decimal mark. */
static const struct {
	const char *name, *sep, *mark;
} num_styles[] = {
	{ "1,234.56", ",", "." },
	{ "1.234,56", ".", "," },
	{ "1 234,56", "\xc2\xa0", "," },	/* a no-break space */
	{ "1'234.56", "'", "." },
};

int
fo_age_numstyle_parse(const char *s, int *style)
{
	size_t i;

	for (i = 0; i < sizeof num_styles / sizeof *num_styles; i++)
		if (strcmp(s, num_styles[i].name) == 0) {
			*style = (int)i;
			return FO_OK;
		}
	return FO_ERR;
}

/* An amount in its currency's decimals, digits grouped by thousands:
 * the exact decimal text regrouped, no arithmetic. */
static void
put_grouped(struct fo_age *a, struct fo_buf *o, const struct money *m)
{
	char buf[FO_DEC_BUFSZ], *p = buf, *dot;
	size_t n, i;

	fo_age_money_text(m, buf);
	if (*p == '-') {
		fo_buf_puts(o, "\xe2\x88\x92");	/* a minus sign */
		p++;
	}
	n = (dot = strchr(p, '.')) ? (size_t)(dot - p) : strlen(p);
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			fo_buf_puts(o, num_styles[a->style].sep);
		fo_buf_putc(o, p[i]);
	}
	if (dot) {
		fo_buf_puts(o, num_styles[a->style].mark);
		fo_buf_puts(o, dot + 1);
	}
}

static void
html_money(struct fo_age *a, struct fo_buf *o, const struct money *m)
{
	put_grouped(a, o, m);
	if (m->cur[0]) {
		fo_buf_puts(o, "&nbsp;");
		html_str(o, m->cur);
	}
}

static void
html_sums(struct fo_age *a, struct fo_buf *o, const struct money *m,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			fo_buf_puts(o, "<br>");
		html_money(a, o, &m[i]);
	}
}

/* A bucket as a reader says it. */
void
fo_age_bucket_words(const struct fo_age *a, size_t i, char *buf, size_t n)
{
	const struct fo_age_cfg *c = &a->cfg;

	if (i == (size_t)c->nbound + 1)
		snprintf(buf, n, "no date to age from");
	else if (i == 0 && c->bound[0] == 0)
		snprintf(buf, n, "current (0 days)");
	else if (i == 0)
		snprintf(buf, n, "0 to %d days", c->bound[0]);
	else if (i < (size_t)c->nbound)
		snprintf(buf, n, "%d to %d days", c->bound[i - 1] + 1,
		    c->bound[i]);
	else
		snprintf(buf, n, "over %d days", c->bound[i - 1]);
}

/* The base-currency sum of a cell (the first base currency), 0 if none. */
static int64_t
base_sum(const struct cell *c)
{
	return c->nbase ? c->base[0].v : 0;
}

static int64_t
abs64(int64_t v)
{
	return v < 0 ? -v : v;
}

/* Bars of count and of amount in base currency, one pair per row, every
 * row on the same two scales, each bar labelled with its value; widths
 * by integer arithmetic. label(row) names the row. */
static void
html_bars(struct fo_age *a, const struct row *const *w, size_t n,
    const char *const *label, struct fo_buf *o)
{
	const int W = 220, H = 24, L = 190, G = 150;
	long maxc = 0, x;
	int64_t maxa = 0, v;
	size_t i;
	const char *cur = NULL;

	for (i = 0; i < n; i++) {
		if (w[i]->c.count > maxc)
			maxc = w[i]->c.count;
		if (abs64(base_sum(&w[i]->c)) > maxa)
			maxa = abs64(base_sum(&w[i]->c));
		if (w[i]->c.nbase && cur == NULL)
			cur = w[i]->c.base[0].cur;
	}
	fo_buf_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%zu\" role=\"img\">\n", L + 2 * (W + G),
	    (n + 1) * (size_t)H);
	fo_buf_printf(o, "<text x=\"%d\" y=\"14\" class=\"h\">exceptions"
	    "</text><text x=\"%d\" y=\"14\" class=\"h\">amount%s", L,
	    L + W + G, cur ? " in " : "");
	html_str(o, cur ? cur : "");
	fo_buf_puts(o, "</text>\n");
	for (i = 0; i < n; i++) {
		int y = (int)(i + 1) * H;

		fo_buf_printf(o, "<text x=\"0\" y=\"%d\">", y + 14);
		html_str(o, label[i]);
		fo_buf_puts(o, "</text>");
		x = maxc ? w[i]->c.count * W / maxc : 0;
		fo_buf_printf(o, "<rect x=\"%d\" y=\"%d\" width=\"%ld\" "
		    "height=\"16\" fill=\"#4a7ab5\"/><text x=\"%ld\" y=\"%d\">"
		    "%ld</text>", L, y + 2, x, L + x + 4, y + 14, w[i]->c.count);
		v = base_sum(&w[i]->c);
		x = maxa ? (long)((__int128)abs64(v) * W / maxa) : 0;
		fo_buf_printf(o, "<rect x=\"%d\" y=\"%d\" width=\"%ld\" "
		    "height=\"16\" fill=\"%s\"/><text x=\"%ld\" y=\"%d\">",
		    L + W + G, y + 2, x, v < 0 ? "#b54a4a" : "#5aa55a",
		    L + W + G + x + 4, y + 14);
		if (w[i]->c.nbase)
			put_grouped(a, o, &w[i]->c.base[0]);
		else
			fo_buf_puts(o, "-");
		fo_buf_puts(o, "</text>\n");
	}
	fo_buf_puts(o, "</svg>\n");
}

static void
html_opt(struct fo_buf *o, const char *s)
{
	html_str(o, s ? s : "");
}

/* "2026-11-25T16:00:00Z" as "2026-11-25 16:00 UTC". */
static void
html_sla(struct fo_buf *o, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 20 && s[10] == 'T' && s[19] == 'Z') {
		fo_buf_put(o, s, 10);
		fo_buf_putc(o, ' ');
		fo_buf_put(o, s + 11, 5);
		fo_buf_puts(o, " UTC");
	} else
		html_opt(o, s);
}

static void
html_worklist(struct fo_age *a, struct fo_buf *o)
{
	size_t i, n = a->nitem < (size_t)a->top ? a->nitem : (size_t)a->top;

	if (a->merged && (a->noitems || !a->keep)) {
		fo_buf_puts(o, "<p>No worklist: the partials were made "
		    "without -f html or xlsx.</p>\n");
		return;
	}
	fo_buf_printf(o, "<h2>Work these first</h2>\n<p>The %zu highest "
	    "priorities of %zu exceptions; a missed SLA is marked.</p>\n", n,
	    a->nitem);
	if (n == 0)
		return;
	fo_buf_puts(o, "<table class=\"work\">\n<thead><tr><th>Priority</th>"
	    "<th>Document</th><th>Vendor</th><th class=\"n\">Amount</th>"
	    "<th>Class</th><th>Queue</th><th>SLA due</th><th>Why</th>"
	    "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		const struct item *t = &a->item[i];

		fo_buf_printf(o, "<tr%s><td class=\"d\">", t->breached > 0 ?
		    " class=\"breach\"" : "");
		html_opt(o, t->band);
		if (t->prio >= 0)
			fo_buf_printf(o, " (%ld)", t->prio);
		fo_buf_puts(o, "</td><td class=\"d\">");
		html_opt(o, t->doc ? t->doc : t->id);
		fo_buf_puts(o, "</td><td>");
		html_opt(o, t->vendor);
		fo_buf_puts(o, "</td><td class=\"n\">");
		if (t->has_amt)
			html_money(a, o, &t->amt);
		fo_buf_puts(o, "</td><td>");
		html_opt(o, t->cls);
		fo_buf_puts(o, "</td><td>");
		html_opt(o, t->queue);
		fo_buf_puts(o, "</td><td>");
		fo_buf_puts(o, "<span class=\"d\">");
		html_sla(o, t->sla);
		fo_buf_puts(o, "</span>");
		if (t->breached > 0)
			fo_buf_puts(o, "<br><b>SLA missed</b>");
		if (t->escalate)
			fo_buf_puts(o, "<br><b>escalated</b>");
		fo_buf_puts(o, "</td><td>");
		html_opt(o, t->reason);
		fo_buf_puts(o, "</td></tr>\n");
		fo_age_spill(a);
	}
	fo_buf_puts(o, "</tbody>\n</table>\n");
}

/* The group's values as a reader says them: "purchasing", "a, b". */
static void
group_words(struct fo_age *a, const struct group *g, struct fo_buf *o)
{
	size_t k;

	for (k = 0; k < a->ngname; k++) {
		if (k)
			fo_buf_puts(o, ", ");
		if (strcmp(g->val[k], "null") == 0)
			fo_buf_puts(o, "(none)");
		else
			fo_age_put_val(o, g->val[k], 0);
	}
}

static void
html_aging(struct fo_age *a, const struct row *w, size_t n, struct fo_buf *o)
{
	size_t k;
	long oldest, median;
	char name[48];

	fo_buf_puts(o, "<table class=\"aging\">\n<thead><tr><th>Age</th>"
	    "<th class=\"n\">Exceptions</th><th class=\"n\">Amount</th>"
	    "<th class=\"n\">In base currency</th><th class=\"n\">SLA missed"
	    "</th><th class=\"n\">Oldest (days)</th><th class=\"n\">Median "
	    "(days)</th></tr></thead>\n<tbody>\n");
	for (k = 0; k < n; k++) {
		if (w[k].bucket == a->nbucket)
			snprintf(name, sizeof name, "all");
		else
			fo_age_bucket_words(a, w[k].bucket, name, sizeof name);
		fo_buf_printf(o, "<tr%s><td>%s</td><td class=\"n\">%ld</td>"
		    "<td class=\"n\">", w[k].bucket == a->nbucket ?
		    " class=\"total\"" : "", name, w[k].c.count);
		html_sums(a, o, w[k].c.amt, w[k].c.namt);
		fo_buf_puts(o, "</td><td class=\"n\">");
		html_sums(a, o, w[k].c.base, w[k].c.nbase);
		fo_buf_printf(o, "</td><td class=\"n\">%ld</td>",
		    w[k].c.breached);
		if (fo_age_cell_stats(&w[k].c, &oldest, &median))
			fo_buf_printf(o, "<td class=\"n\">%ld</td>"
			    "<td class=\"n\">%ld</td>", oldest, median);
		else
			fo_buf_puts(o, "<td></td><td></td>");
		fo_buf_puts(o, "</tr>\n");
	}
	fo_buf_puts(o, "</tbody>\n</table>\n");
}

/* Since last night, a line a group: the resolved in the group they had
 * last night. */
static void
html_flows(struct fo_age *a, const struct row *const *w, size_t n,
    const char *const *label, struct fo_buf *o)
{
	const struct flow *f;
	size_t j;

	fo_buf_puts(o, "<h2>Since the night before</h2>\n<table class="
	    "\"flows\">\n<thead><tr><th>");
	for (j = 0; j < a->ngname; j++) {
		fo_buf_puts(o, j ? ", " : "");
		html_str(o, a->gname[j]);
	}
	fo_buf_puts(o, "</th><th class=\"n\">New</th><th class=\"n\">"
	    "Carried</th><th class=\"n\">Reopened</th><th class=\"n\">"
	    "Reassigned</th><th class=\"n\">Resolved</th><th class=\"n\">"
	    "Mean days to resolve</th>");
	if (a->has_dec)
		fo_buf_puts(o, "<th class=\"n\">Touched</th><th class=\"n\">"
		    "Untouched</th><th class=\"n\">No decision</th>"
		    "<th class=\"n\">First pass</th>");
	fo_buf_puts(o, "</tr></thead>\n<tbody>\n");
	for (j = 0; j < n; j++) {
		f = &w[j]->g->flow;
		fo_buf_puts(o, "<tr><td>");
		html_str(o, label[j]);
		fo_buf_printf(o, "</td><td class=\"n\">%ld</td><td class=\"n\">"
		    "%ld</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td>"
		    "<td class=\"n\">%ld</td><td class=\"n\">", f->fresh,
		    f->carried, f->reopened, f->reassigned, f->resolved);
		if (f->resolved)
			fo_age_put_tenths(o, fo_age_flow_tenths(f));
		fo_buf_puts(o, "</td>");
		if (a->has_dec)
			fo_buf_printf(o, "<td class=\"n\">%ld</td><td class="
			    "\"n\">%ld</td><td class=\"n\">%ld</td><td class="
			    "\"n\">%ld</td>", f->touched, f->untouched,
			    f->undecided, f->first_pass);
		fo_buf_puts(o, "</tr>\n");
		fo_age_spill(a);
	}
	fo_buf_puts(o, "</tbody>\n</table>\n");
}

static const char html_css[] =
    "body{font-family:sans-serif;margin:2em;color:#222}\n"
    "h1{margin-bottom:0}\nh2{margin-top:1.6em}\n"
    ".tiles{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}\n"
    ".tile{border:1px solid #ccc;border-radius:4px;padding:.5em 1em;"
    "min-width:9em}\n.tile b{display:block;font-size:1.6em}\n"
    ".tile span{font-size:.85em;color:#555}\n.d{white-space:nowrap}\n"
    "table{border-collapse:collapse;margin-bottom:1.5em}\n"
    "th,td{padding:2px 8px;border-bottom:1px solid #ddd;"
    "vertical-align:top;text-align:left}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\ntr.total{font-weight:bold}\n"
    "tr.breach td{background:#fbe3e3}\ntr.breach b{color:#a00}\n"
    "table.work td:last-child{font-size:.85em;max-width:40em}\n"
    "svg text{font-size:12px}\nsvg text.h{font-weight:bold}\n"
    "svg.trend text.v,svg.trend text.d{text-anchor:middle}"
    "svg.trend text.v{font-size:11px}\n"
    "@page{size:A4;margin:12mm}\n"
    "@media print{body{margin:0;font-size:9pt}"
    ".tile{border-color:#888}tr,svg{break-inside:avoid}"
    "thead{display:table-header-group}"
    "tr.breach td{background:none;border-bottom:1px solid #a00}"
    "h2{break-after:avoid}}\n";

void
fo_age_write_html(struct fo_age *a, const struct row *w, size_t nw,
    struct fo_buf *o)
{
	const struct row *all = NULL, **bar = NULL;
	const char **label = NULL;
	struct fo_buf words = { 0 };
	size_t i, j, nbar = 0, *off = NULL;
	struct flow f;

	for (i = 0; i < nw; i++)	/* the last total: every group */
		if (w[i].bucket == a->nbucket)
			all = &w[i];
	fo_buf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>Exceptions as of ");
	html_str(o, a->as_of_text);
	fo_buf_printf(o, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
	    "<h1>Exceptions as of ", html_css);
	html_str(o, a->as_of_text);
	fo_buf_puts(o, "</h1>\n<p>Ages count from the ");
	fo_buf_puts(o, a->cfg.basis == FO_AGE_HOLD ? "hold date (else the "
	    "earliest of first seen, document date, posting date)" :
	    a->cfg.basis == FO_AGE_DOC ? "document date" : a->cfg.basis ==
	    FO_AGE_DUE ? "due date" : "posting date");
	fo_buf_printf(o, "; records that are not exceptions: %ld.</p>\n",
	    a->skipped);
	/* the headline */
	fo_buf_printf(o, "<div class=\"tiles\">\n<div class=\"tile\"><b>%ld"
	    "</b><span>open exceptions</span></div>\n", a->records);
	/* money: in base currency large, each currency below it */
	fo_buf_puts(o, "<div class=\"tile\"><b>");
	if (all && all->c.nbase)
		html_sums(a, o, all->c.base, all->c.nbase);
	else if (all && all->c.namt)
		html_sums(a, o, all->c.amt, all->c.namt);
	else
		fo_buf_puts(o, "-");
	fo_buf_puts(o, "</b><span>money at stake");
	if (all && all->c.nbase && all->c.namt) {
		fo_buf_puts(o, " in base currency, of which:<br>");
		html_sums(a, o, all->c.amt, all->c.namt);
	}
	fo_buf_printf(o, "</span></div>\n<div class=\"tile\"><b>%ld</b><span>"
	    "SLA missed</span></div>\n", all ? all->c.breached : 0);
	fo_buf_printf(o, "<div class=\"tile\"><b>%ld</b><span>"
	    "escalated</span></div>\n", a->n_escalate);
	if (a->has_prev) {
		fo_age_flow_total(a, &f);
		fo_buf_printf(o, "<div class=\"tile\"><b>%ld new</b><span>"
		    "since the night before; %ld resolved", f.fresh,
		    f.resolved);
		if (f.resolved) {
			fo_buf_puts(o, " (mean ");
			fo_age_put_tenths(o, fo_age_flow_tenths(&f));
			fo_buf_puts(o, " days open)");
		}
		fo_buf_printf(o, ", %ld carried</span></div>\n", f.carried);
		fo_buf_printf(o, "<div class=\"tile\"><b>%ld reopened</b>"
		    "<span>resolved before, back tonight; %ld reassigned to "
		    "another queue</span></div>\n", f.reopened, f.reassigned);
		if (a->has_dec)
			fo_buf_printf(o, "<div class=\"tile\"><b>%ld first "
			    "pass</b><span>of %ld resolved: %ld touched, %ld "
			    "untouched, %ld without a decision</span></div>\n",
			    f.first_pass, f.resolved, f.touched, f.untouched,
			    f.undecided);
	}
	fo_buf_puts(o, "</div>\n");
	fo_age_spill(a);
	if (a->keep)
		html_worklist(a, o);
	if (a->has_trend)
		fo_age_trend_html(a, o);
	/* per group: the totals, on one scale */
	if (a->ngname) {
		for (i = 0; i < nw; i++)
			if (w[i].bucket == a->nbucket && w[i].g)
				nbar++;
		if ((bar = calloc(nbar + 1, sizeof *bar)) == NULL ||
		    (label = calloc(nbar + 1, sizeof *label)) == NULL ||
		    (off = calloc(nbar + 1, sizeof *off)) == NULL) {
			o->oom = 1;
			goto out;
		}
		for (i = 0, j = 0; i < nw; i++)
			if (w[i].bucket == a->nbucket && w[i].g) {
				bar[j] = &w[i];
				off[j++] = words.n;
				group_words(a, w[i].g, &words);
				fo_buf_putc(&words, '\0');
			}
		if (words.oom) {
			o->oom = 1;
			goto out;
		}
		for (j = 0; j < nbar; j++)
			label[j] = words.p + off[j];
		fo_buf_puts(o, "<h2>By ");
		for (j = 0; j < a->ngname; j++) {
			fo_buf_puts(o, j ? ", " : "");
			html_str(o, a->gname[j]);
		}
		fo_buf_puts(o, "</h2>\n");
		html_bars(a, bar, nbar, label, o);
		fo_buf_puts(o, "<table class=\"groups\">\n<thead><tr><th>");
		for (j = 0; j < a->ngname; j++) {
			fo_buf_puts(o, j ? ", " : "");
			html_str(o, a->gname[j]);
		}
		fo_buf_puts(o, "</th><th class=\"n\">Exceptions</th>"
		    "<th class=\"n\">Amount</th><th class=\"n\">In base "
		    "currency</th><th class=\"n\">SLA missed</th>"
		    "<th class=\"n\">Oldest (days)</th></tr></thead>\n<tbody>\n");
		for (j = 0; j < nbar; j++) {
			long oldest, median;

			fo_buf_puts(o, "<tr><td>");
			html_str(o, label[j]);
			fo_buf_printf(o, "</td><td class=\"n\">%ld</td>"
			    "<td class=\"n\">", bar[j]->c.count);
			html_sums(a, o, bar[j]->c.amt, bar[j]->c.namt);
			fo_buf_puts(o, "</td><td class=\"n\">");
			html_sums(a, o, bar[j]->c.base, bar[j]->c.nbase);
			fo_buf_printf(o, "</td><td class=\"n\">%ld</td>"
			    "<td class=\"n\">", bar[j]->c.breached);
			if (fo_age_cell_stats(&bar[j]->c, &oldest, &median))
				fo_buf_printf(o, "%ld", oldest);
			fo_buf_puts(o, "</td></tr>\n");
			fo_age_spill(a);
		}
		fo_buf_puts(o, "</tbody>\n</table>\n");
		if (a->has_prev)
			html_flows(a, bar, nbar, label, o);
	}
	/* the aging: every group together (its rows come last), then
	 * each group */
	for (i = 0; i < nw && w[i].g != NULL; i++)
		;
	if (i < nw) {
		fo_buf_puts(o, "<h2>How old, all together</h2>\n");
		html_aging(a, &w[i], nw - i, o);
		fo_age_spill(a);
	}
	for (i = 0; i < nw && w[i].g != NULL; i = j) {
		for (j = i; j < nw && w[j].g == w[i].g; j++)
			;
		{
			fo_buf_reset(&words);
			group_words(a, w[i].g, &words);
			fo_buf_puts(o, "<h2>How old: ");
			html_text(o, words.p ? words.p : "", words.n);
			fo_buf_puts(o, "</h2>\n");
		}
		html_aging(a, &w[i], j - i, o);
		fo_age_spill(a);
	}
	fo_buf_puts(o, "<p class=\"foot\">Amounts are exact sums per "
	    "currency; a total in base currency counts only the records "
	    "fo-score converted.</p>\n</body>\n</html>\n");
out:
	free(bar);
	free(label);
	free(off);
	fo_buf_free(&words);
}
