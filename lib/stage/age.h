/*
 * age.h - what the files of fo-age share, private to them (age.c,
 * agehtml.c, agexlsx.c): struct fo_age as built, its groups, cells,
 * money, documents and worklist items, and the report's rows. Not
 * part of fo.h: cmd/ and other layers see struct fo_age only by
 * pointer.
 */
#ifndef FO_STAGE_AGE_H
#define FO_STAGE_AGE_H

#define NOBUCKET (-1)
#define ALLGROUPS ((size_t)-1)	/* money_once: every group's sums */

struct money {
	char cur[4];		/* "" for an amount without currency */
	int64_t v;		/* minor units */
};

struct agecount {
	int32_t age;
	long n;
};

struct cell {			/* one group x bucket */
	long count, breached;
	struct agecount *ages;
	size_t nages, capages;
	struct money *amt, *base;
	size_t namt, nbase;
};

/* Since last night (--prev), per group: tonight's cases in tonight's
 * group, the resolved ones in the group they had last night. */
struct flow {
	long fresh, carried, reopened, reassigned, resolved;
	int64_t resolve_days;	/* sum of as-of less first_seen, resolved */
	/* with --decisions, of the resolved: */
	long touched, untouched, undecided, first_pass;
};

struct group {
	char *key;		/* {"queue":"x",...} as JSON text */
	char **val;		/* per group field: the value's JSON text */
	struct cell *cell;	/* nbucket cells */
	struct flow flow;
};

/* A document whose amount is on each of its records (amount_scope
 * "document"), in one group or in all of them: its amount counts once,
 * in the bucket of its oldest exception. */
struct doc {
	char *key;		/* "GROUP:doc_id", GROUP "*" for all groups */
	size_t g;		/* group index, or ALLGROUPS */
	size_t bucket;
	int dated;		/* bucket from an age, not undated */
	int32_t age;
	int has_amt, has_base;
	struct money amt, base;
};

struct prev {
	char *id;
	char *gkey;		/* last night's group, as JSON text */
	char *queue;		/* last night's queue, or NULL */
	int32_t first_seen;
	long reopens, reassigns;	/* over the case's life */
	int seen;		/* tonight too */
};

/* --decisions: who resolved a case, and how. */
struct decision {
	char *id;
	int32_t resolved_on;
	long touches;
	long line;		/* in the file, for messages */
};

/* --trend: one night's backlog. */
struct night {
	int32_t day;
	long count;
	struct money *amt;
	size_t namt;
};

/* An exception as the worklist shows it (fo_age_keep): texts decoded,
 * NULL when absent. */
struct item {
	char *id, *doc, *vendor, *cls, *queue, *band, *sla, *reason;
	long prio;		/* -1: none */
	int breached;		/* -1: no sla_due */
	int escalate;
	int has_age, has_amt, has_base;
	int32_t age;
	struct money amt, base;
};

struct fo_age {
	struct fo_age_cfg cfg;
	int32_t as_of;
	int64_t sla_at;
	char *as_of_text;
	char **gname;
	size_t ngname;
	size_t nbucket;		/* nbound + 1, then "undated" */
	struct group *g;
	size_t ng;
	size_t *slot;		/* hash of groups by key: index + 1, or 0 */
	size_t nslot;		/* a power of two, or 0 */
	long records, skipped;
	int merged;		/* a partial's meta line was read */
	struct prev *prev;
	size_t nprev;
	int has_prev;
	struct fo_gone *gone;	/* --resolved, sorted by id */
	size_t ngone;
	int has_gone;
	struct decision *dec;	/* --decisions, sorted by id, day */
	size_t ndec;
	int has_dec;
	int flows_placed;	/* the resolved are in their groups */
	struct night *trend;	/* --trend, by night */
	size_t ntrend;
	int has_trend;
	char *trend_path;	/* the snapshot read last, for messages */
	struct fo_buf tmp, key, val;
	struct fo_buf ann;	/* -a: the values set, reused per record */
	struct fo_out *sink;	/* the report written as it is made, or NULL */
	int keep;		/* keep each exception for the worklist */
	int top;		/* the page's worklist: the first top */
	int style;		/* --number-style: index in num_styles */
	struct item *item;
	size_t nitem, capitem;
	long n_escalate;
	int noitems;		/* merged from a partial without its worklist */
	int oom;		/* a worklist line's copy failed */
	const char *xpath;	/* -f xlsx: the workbook's path */
	struct fo_err *xerr;
	/* the money of every group together, per bucket: a document's
	 * amount in two groups is in their sum once */
	struct cell *allb;	/* nbucket */
	struct doc *doc;	/* open addressing, at most half full */
	size_t ndoc, capdoc;	/* capdoc a power of two, or 0 */
	int docs_placed;	/* their money is in the cells */
	struct fo_buf dockey, docid;
};

/* The report's rows, in order: per group its buckets and its total, then
 * (with groups) all groups together. */
struct row {
	const struct group *g;	/* NULL: all groups */
	size_t bucket;		/* nbucket: total */
	struct cell c;
};

/* age.c: shared by the report writers */
size_t fo_age_money_text(const struct money *, char *);
int fo_age_cell_stats(const struct cell *, long *, long *);
/* After each line of a report: write what is gathered, once there is
 * enough (fo_age_write_out), so that the text is never held whole.
 * Inline: ageflow.c, which fo-classify links for the cases of last
 * night, would otherwise pull in age.o and with it the report writers
 * and libxlsxwriter (and libcrypto), 2 ms of loading a run. */
static inline void
fo_age_spill(struct fo_age *a)
{
	if (a->sink != NULL)
		fo_out_done(a->sink);
}
void fo_age_put_val(struct fo_buf *, const char *, int);
void fo_age_put_tenths(struct fo_buf *, long);

void fo_age_flow_total(const struct fo_age *, struct flow *);
long fo_age_flow_tenths(const struct flow *);
int fo_age_flows_place(struct fo_age *);

/* ageflow.c */
const struct decision *fo_age_decision_find(const struct fo_age *,
    const char *, int32_t);

/* agetrend.c */
void fo_age_trend_html(struct fo_age *, struct fo_buf *);

/* agehtml.c */
void fo_age_bucket_words(const struct fo_age *, size_t, char *, size_t);
void fo_age_write_html(struct fo_age *, const struct row *, size_t,
    struct fo_buf *);

/* agexlsx.c */
int fo_age_write_book(struct fo_age *, const struct row *, size_t);

#endif
