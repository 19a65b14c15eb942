/*
 * agexlsx.c - fo-age -f xlsx: the aging report as a workbook, by
 * libxlsxwriter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "fo.h"
#include "age.h"

/*
 * -f xlsx: the workbook, by libxlsxwriter. A Summary sheet (the aging
 * table), a Worklist (every exception by priority) and, grouped by
 * queue, a sheet per queue. A numeric cell holds a double: each amount
 * is converted once from its exact decimal text (strtod, no arithmetic),
 * for reading and sorting, and the exact text stays beside it.
 */
struct book {
	lxw_workbook *wb;
	lxw_format *bold, *date, *money[6];
	lxw_error err;
};

/* A currency's format; without a currency, two decimals and up to four
 * more as written. */
static lxw_format *
money_format(struct book *k, const char *cur)
{
	static const char *const f[6] = { "#,##0", "#,##0.0", "#,##0.00",
	    "#,##0.000", "#,##0.0000", "#,##0.00####" };
	int minor = cur[0] ? fo_currency_minor(cur, 3) : 5;

	if (minor < 0 || minor > 5)
		minor = 5;
	if (k->money[minor] == NULL) {
		k->money[minor] = workbook_add_format(k->wb);
		format_set_num_format(k->money[minor], f[minor]);
	}
	return k->money[minor];
}

/* The error a write returns, kept: the first one is said. */
#define XL(k, call) do { lxw_error e_ = (call); \
	if (e_ != LXW_NO_ERROR && (k)->err == LXW_NO_ERROR) (k)->err = e_; \
	} while (0)

static void
xl_str(struct book *k, lxw_worksheet *ws, int r, int c, const char *s)
{
	if (s && *s)
		XL(k, worksheet_write_string(ws, r, c, s, NULL));
}

/* An amount: a number cell in its currency's format and the exact text
 * in the next column. */
static void
xl_money(struct book *k, lxw_worksheet *ws, int r, int c,
    const struct money *m)
{
	char buf[FO_DEC_BUFSZ];

	fo_age_money_text(m, buf);
	XL(k, worksheet_write_number(ws, r, c, strtod(buf, NULL),
	    money_format(k, m->cur)));
	XL(k, worksheet_write_string(ws, r, c + 1, buf, NULL));
}

static const char *const work_head[] = { "Priority", "Band", "Document",
    "Vendor", "Amount", "Amount (exact)", "Currency", "Class", "Queue",
    "Age (days)", "SLA due (UTC)", "SLA missed", "Escalated", "Why", "Id" };
#define NWORK (sizeof work_head / sizeof *work_head)

static void
xl_item(struct book *k, lxw_worksheet *ws, int r, const struct item *t)
{
	int64_t secs;
	struct fo_err e;
	lxw_datetime dt;
	char day[11];

	if (t->prio >= 0)
		XL(k, worksheet_write_number(ws, r, 0, (double)t->prio, NULL));
	xl_str(k, ws, r, 1, t->band);
	xl_str(k, ws, r, 2, t->doc);
	xl_str(k, ws, r, 3, t->vendor);
	if (t->has_amt) {
		xl_money(k, ws, r, 4, &t->amt);
		xl_str(k, ws, r, 6, t->amt.cur);
	}
	xl_str(k, ws, r, 7, t->cls);
	xl_str(k, ws, r, 8, t->queue);
	if (t->has_age)
		XL(k, worksheet_write_number(ws, r, 9, (double)t->age, NULL));
	if (t->sla && fo_ts_parse(t->sla, strlen(t->sla), &secs, &e) ==
	    FO_OK) {
		int32_t dd = (int32_t)(secs / 86400 - (secs % 86400 < 0));
		int64_t s = secs - (int64_t)dd * 86400;

		fo_date_fmt(dd, day);
		dt.year = atoi(day);
		dt.month = atoi(day + 5);
		dt.day = atoi(day + 8);
		dt.hour = (int)(s / 3600);
		dt.min = (int)(s / 60 % 60);
		dt.sec = (double)(s % 60);
		XL(k, worksheet_write_datetime(ws, r, 10, &dt, k->date));
	}
	if (t->breached >= 0)
		XL(k, worksheet_write_string(ws, r, 11, t->breached ? "yes" :
		    "no", NULL));
	XL(k, worksheet_write_string(ws, r, 12, t->escalate ? "yes" : "no",
	    NULL));
	xl_str(k, ws, r, 13, t->reason);
	xl_str(k, ws, r, 14, t->id);
}

/* A worklist sheet: a header, frozen and filtered, the items of queue
 * (NULL: all). */
static void
xl_worklist(struct fo_age *a, struct book *k, lxw_worksheet *ws,
    const char *queue)
{
	static const double width[NWORK] = { 8, 6, 16, 24, 14, 14, 8, 20, 14,
	    9, 17, 9, 9, 60, 30 };
	size_t i, c;
	int r = 0;

	for (c = 0; c < NWORK; c++) {
		XL(k, worksheet_write_string(ws, 0, c, work_head[c], k->bold));
		XL(k, worksheet_set_column(ws, c, c, width[c], NULL));
	}
	for (i = 0; i < a->nitem; i++) {
		const struct item *t = &a->item[i];

		if (queue && strcmp(queue, t->queue ? t->queue : "") != 0)
			continue;
		xl_item(k, ws, ++r, t);
	}
	if (a->merged && a->noitems)
		XL(k, worksheet_write_string(ws, 1, 0, "No worklist: the "
		    "partials were made without -f html or xlsx.", NULL));
	worksheet_freeze_panes(ws, 1, 0);
	XL(k, worksheet_autofilter(ws, 0, 0, r, NWORK - 1));
}

/* A sheet name Excel takes: no []:*?/\, at most 31 characters, unique. */
static void
sheet_name(lxw_workbook *wb, const char *s, char *out, size_t n)
{
	size_t i, j = 0, chars = 0;
	int dup;

	for (i = 0; s[i] && chars < 25 && j + 5 < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch & 0xc0) != 0x80)
			chars++;
		if (chars > 25)
			break;
		out[j++] = strchr("[]:*?/\\'", ch) ? '_' : (char)ch;
	}
	/* a UTF-8 sequence cut at the end is dropped */
	while (j > 0 && (unsigned char)out[j - 1] >= 0x80) {
		size_t b = j - 1;

		while (b > 0 && ((unsigned char)out[b] & 0xc0) == 0x80)
			b--;
		if ((((unsigned char)out[b] & 0xe0) == 0xc0 && j - b == 2) ||
		    (((unsigned char)out[b] & 0xf0) == 0xe0 && j - b == 3) ||
		    (((unsigned char)out[b] & 0xf8) == 0xf0 && j - b == 4))
			break;
		j = b;
	}
	if (j == 0)
		out[j++] = '_';
	out[j] = '\0';
	/* taken (Excel compares names without case): a number after it */
	for (dup = 2; workbook_validate_sheet_name(wb, out) != LXW_NO_ERROR &&
	    dup < 10000; dup++)
		snprintf(out + j, n - j, "~%d", dup);
}

/* Since the night before, from row r: a line a group, then all. */
static void
xl_flows(struct fo_age *a, struct book *k, lxw_worksheet *ws, int r)
{
	static const char *const head[] = { "New", "Carried", "Reopened",
	    "Reassigned", "Resolved", "Mean days to resolve", "Touched",
	    "Untouched", "No decision", "First pass" };
	size_t i, c, g = a->ngname, nh = a->has_dec ? 10 : 6;
	struct flow tot;
	const struct flow *f;

	fo_age_flow_total(a, &tot);
	XL(k, worksheet_write_string(ws, r++, 0, "Since the night before "
	    "(a resolved case in the group it had then)", k->bold));
	for (c = 0; c < g; c++)
		XL(k, worksheet_write_string(ws, r, c, a->gname[c], k->bold));
	for (c = 0; c < nh; c++)
		XL(k, worksheet_write_string(ws, r, g + c, head[c], k->bold));
	for (i = 0; i <= a->ng; i++) {
		if (i == a->ng && g == 0)
			break;
		f = i < a->ng ? &a->g[i].flow : &tot;
		r++;
		for (c = 0; c < g; c++) {
			fo_buf_reset(&a->tmp);
			if (i == a->ng)
				fo_buf_puts(&a->tmp, "(all)");
			else if (strcmp(a->g[i].val[c], "null"))
				fo_age_put_val(&a->tmp, a->g[i].val[c], 0);
			xl_str(k, ws, r, c, fo_buf_cstr(&a->tmp));
		}
		{
			long v[10] = { f->fresh, f->carried, f->reopened,
			    f->reassigned, f->resolved, 0, f->touched,
			    f->untouched, f->undecided, f->first_pass };

			for (c = 0; c < nh; c++)
				if (c != 5)
					XL(k, worksheet_write_number(ws, r,
					    g + c, (double)v[c], NULL));
				else if (f->resolved)
					/* tenths, exact in a double */
					XL(k, worksheet_write_number(ws, r,
					    g + c, (double)fo_age_flow_tenths(f) /
					    10, NULL));
		}
	}
}

static void
xl_summary(struct fo_age *a, struct book *k, lxw_worksheet *ws,
    const struct row *w, size_t nw)
{
	static const char *const head[] = { "Age", "Exceptions", "Amount",
	    "Amount (exact)", "Currency", "In base currency",
	    "In base (exact)", "Base currency", "SLA missed", "Oldest (days)",
	    "Median (days)" };
	size_t i, j, c, g = a->ngname, lines;
	long oldest, median;
	char name[48];
	int r = 2;

	fo_buf_reset(&a->tmp);
	fo_buf_printf(&a->tmp, "Aging as of %s, ages from the %s date",
	    a->as_of_text, fo_age_basis_name(a->cfg.basis));
	XL(k, worksheet_write_string(ws, 0, 0, fo_buf_cstr(&a->tmp), k->bold));
	for (c = 0; c < g; c++) {
		XL(k, worksheet_write_string(ws, r, c, a->gname[c], k->bold));
		XL(k, worksheet_set_column(ws, c, c, 16, NULL));
	}
	for (c = 0; c < sizeof head / sizeof *head; c++) {
		XL(k, worksheet_write_string(ws, r, g + c, head[c], k->bold));
		XL(k, worksheet_set_column(ws, g + c, g + c, c == 0 ? 20 : 15,
		    NULL));
	}
	for (i = 0; i < nw; i++) {
		lines = w[i].c.namt > w[i].c.nbase ? w[i].c.namt :
		    w[i].c.nbase;
		for (j = 0; j < (lines ? lines : 1); j++) {
			r++;
			for (c = 0; c < g; c++) {
				fo_buf_reset(&a->tmp);
				if (w[i].g && strcmp(w[i].g->val[c], "null"))
					fo_age_put_val(&a->tmp, w[i].g->val[c],
					    0);
				else if (w[i].g == NULL)
					fo_buf_puts(&a->tmp, "(all)");
				xl_str(k, ws, r, c, fo_buf_cstr(&a->tmp));
			}
			if (w[i].bucket == a->nbucket)
				snprintf(name, sizeof name, "all");
			else
				fo_age_bucket_words(a, w[i].bucket, name,
			    sizeof name);
			XL(k, worksheet_write_string(ws, r, g, name,
			    w[i].bucket == a->nbucket ? k->bold : NULL));
			/* counts once, on a row's first line: a column
			 * adds up */
			if (j == 0)
				XL(k, worksheet_write_number(ws, r, g + 1,
				    (double)w[i].c.count, NULL));
			if (j < w[i].c.namt) {
				xl_money(k, ws, r, g + 2, &w[i].c.amt[j]);
				xl_str(k, ws, r, g + 4, w[i].c.amt[j].cur);
			}
			if (j < w[i].c.nbase) {
				xl_money(k, ws, r, g + 5, &w[i].c.base[j]);
				xl_str(k, ws, r, g + 7, w[i].c.base[j].cur);
			}
			if (j > 0)
				continue;
			XL(k, worksheet_write_number(ws, r, g + 8,
			    (double)w[i].c.breached, NULL));
			if (fo_age_cell_stats(&w[i].c, &oldest, &median)) {
				XL(k, worksheet_write_number(ws, r, g + 9,
				    (double)oldest, NULL));
				XL(k, worksheet_write_number(ws, r, g + 10,
				    (double)median, NULL));
			}
		}
	}
	if (a->has_prev)
		xl_flows(a, k, ws, r + 2);
	worksheet_freeze_panes(ws, 3, 0);
}

int
fo_age_write_book(struct fo_age *a, const struct row *w, size_t nw)
{
	lxw_workbook_options opt = { 0 };
	lxw_doc_properties prop = { 0 };
	struct book k = { 0 };
	lxw_worksheet *ws;
	char name[40], *qv;
	size_t i;
	int byqueue = 0;

	for (i = 0; i < a->ngname; i++)
		if (strcmp(a->gname[i], "queue") == 0)
			byqueue = 1;
	/* rows are written in order, each sheet's cells not held: memory
	 * stays flat however many exceptions (strings inline) */
	opt.constant_memory = LXW_TRUE;
	opt.tmpdir = getenv("TMPDIR");
	if ((k.wb = workbook_new_opt(a->xpath, &opt)) == NULL) {
		fo_err_msg(a->xerr, "cannot make a workbook");
		return FO_EIO;
	}
	/* the times in the file: as-of's, not the clock's */
	prop.title = "fo-age";
	prop.created = (time_t)a->as_of * 86400;
	XL(&k, workbook_set_properties(k.wb, &prop));
	k.bold = workbook_add_format(k.wb);
	format_set_bold(k.bold);
	k.date = workbook_add_format(k.wb);
	format_set_num_format(k.date, "yyyy-mm-dd hh:mm");
	if ((ws = workbook_add_worksheet(k.wb, "Summary")) != NULL)
		xl_summary(a, &k, ws, w, nw);
	if ((ws = workbook_add_worksheet(k.wb, "Worklist")) != NULL)
		xl_worklist(a, &k, ws, NULL);
	/* a sheet per queue, in the order of the groups: once a queue,
	 * also when grouped by more than queue */
	for (i = 0; byqueue && i < a->ng && k.err == LXW_NO_ERROR; i++) {
		const char *q = NULL;
		size_t j;

		for (j = 0; j < a->ngname; j++)
			if (strcmp(a->gname[j], "queue") == 0)
				q = a->g[i].val[j];
		if (q == NULL || q[0] != '"')
			continue;
		for (j = 0; j < i; j++) {	/* this queue's before? */
			size_t l;

			for (l = 0; l < a->ngname; l++)
				if (strcmp(a->gname[l], "queue") == 0 &&
				    strcmp(a->g[j].val[l], q) == 0)
					break;
			if (l < a->ngname)
				break;
		}
		if (j < i)
			continue;
		fo_buf_reset(&a->tmp);
		fo_age_put_val(&a->tmp, q, 0);
		if (a->tmp.oom || (qv = strdup(fo_buf_cstr(&a->tmp))) == NULL) {
			k.err = LXW_ERROR_MEMORY_MALLOC_FAILED;
			break;
		}
		sheet_name(k.wb, qv, name, sizeof name);
		if ((ws = workbook_add_worksheet(k.wb, name)) == NULL)
			k.err = LXW_ERROR_SHEETNAME_ALREADY_USED;
		else
			xl_worklist(a, &k, ws, qv);
		free(qv);
	}
	if (k.err != LXW_NO_ERROR) {
		fo_err_msg(a->xerr, "%s", lxw_strerror(k.err));
		workbook_close(k.wb);
		return FO_EIO;
	}
	if ((k.err = workbook_close(k.wb)) != LXW_NO_ERROR) {
		fo_err_msg(a->xerr, "%s", lxw_strerror(k.err));
		return FO_EIO;
	}
	return FO_OK;
}

int
fo_age_write_xlsx(struct fo_age *a, const char *path, struct fo_err *e)
{
	struct fo_buf o = { 0 };
	int rc;

	a->xpath = path;
	a->xerr = e;
	rc = fo_age_write(a, FO_AGE_XLSX, 0, &o);
	fo_buf_free(&o);
	if (rc == FO_ENOMEM)
		fo_err_msg(e, "out of memory");
	return rc;
}
