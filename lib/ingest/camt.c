/*
 * camt.c - ISO 20022 bank statements (camt.053), notifications
 * (camt.054) and reports (camt.052) through libxml2's streaming reader.
 * Each statement gives its entries as bank_line records, one a Ntry, or
 * one a TxDtls of a batch entry that has several, and then one record
 * of doc_type statement with its opening and closing balances
 * (fo-record(5)). The reader keeps the path of open elements and takes
 * the few it knows by their path under the statement, the balance, the
 * entry or the transaction detail; everything else is passed over.
 * A DTD is refused, so no entity is ever expanded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"
#include "dl.h"

#define PATH_MAX_LEN 512
#define TX_MAX 100000		/* transaction details of one entry */

enum { L_STMT, L_BAL, L_NTRY, L_TX, L_N };

enum {	/* statement */
	S_ID, S_SEQ, S_ESEQ, S_IBAN, S_OTHR, S_ACCCY, S_N
};
enum {	/* balance */
	B_CD, B_AMT, B_CCY, B_CDI, B_DT, B_N
};
enum {	/* entry */
	E_AMT, E_CCY, E_CDI, E_STS, E_BOOK, E_VAL, E_REF, E_SVCREF, E_RVSL,
	E_ADDTL, E_N
};
enum {	/* transaction detail */
	T_AMT, T_CCY, T_TXAMT, T_TXCCY, T_CDI, T_E2E, T_INSTR, T_SVCREF,
	T_CDTR, T_DBTR, T_CDTRIBAN, T_DBTRIBAN, T_USTRD, T_STRDREF, T_RSN,
	T_ADDTL, T_N
};

struct path {
	int level;
	const char *rel;	/* under the level's element */
	int field;
	int ccy;		/* an amount: the field its Ccy goes to, or -1 */
};

static const struct path paths[] = {
	{ L_STMT, "Id", S_ID, -1 },
	{ L_STMT, "LglSeqNb", S_SEQ, -1 },
	{ L_STMT, "ElctrncSeqNb", S_ESEQ, -1 },
	{ L_STMT, "Acct/Id/IBAN", S_IBAN, -1 },
	{ L_STMT, "Acct/Id/Othr/Id", S_OTHR, -1 },
	{ L_STMT, "Acct/Ccy", S_ACCCY, -1 },
	{ L_BAL, "Tp/CdOrPrtry/Cd", B_CD, -1 },
	{ L_BAL, "Amt", B_AMT, B_CCY },
	{ L_BAL, "CdtDbtInd", B_CDI, -1 },
	{ L_BAL, "Dt/Dt", B_DT, -1 },
	{ L_BAL, "Dt/DtTm", B_DT, -1 },
	{ L_NTRY, "Amt", E_AMT, E_CCY },
	{ L_NTRY, "CdtDbtInd", E_CDI, -1 },
	{ L_NTRY, "Sts", E_STS, -1 },
	{ L_NTRY, "Sts/Cd", E_STS, -1 },
	{ L_NTRY, "BookgDt/Dt", E_BOOK, -1 },
	{ L_NTRY, "BookgDt/DtTm", E_BOOK, -1 },
	{ L_NTRY, "ValDt/Dt", E_VAL, -1 },
	{ L_NTRY, "ValDt/DtTm", E_VAL, -1 },
	{ L_NTRY, "NtryRef", E_REF, -1 },
	{ L_NTRY, "AcctSvcrRef", E_SVCREF, -1 },
	{ L_NTRY, "RvslInd", E_RVSL, -1 },
	{ L_NTRY, "AddtlNtryInf", E_ADDTL, -1 },
	{ L_TX, "Amt", T_AMT, T_CCY },
	{ L_TX, "AmtDtls/TxAmt/Amt", T_TXAMT, T_TXCCY },
	{ L_TX, "CdtDbtInd", T_CDI, -1 },
	{ L_TX, "Refs/EndToEndId", T_E2E, -1 },
	{ L_TX, "Refs/InstrId", T_INSTR, -1 },
	{ L_TX, "Refs/AcctSvcrRef", T_SVCREF, -1 },
	{ L_TX, "RltdPties/Cdtr/Nm", T_CDTR, -1 },
	{ L_TX, "RltdPties/Cdtr/Pty/Nm", T_CDTR, -1 },
	{ L_TX, "RltdPties/Dbtr/Nm", T_DBTR, -1 },
	{ L_TX, "RltdPties/Dbtr/Pty/Nm", T_DBTR, -1 },
	{ L_TX, "RltdPties/CdtrAcct/Id/IBAN", T_CDTRIBAN, -1 },
	{ L_TX, "RltdPties/DbtrAcct/Id/IBAN", T_DBTRIBAN, -1 },
	{ L_TX, "RmtInf/Ustrd", T_USTRD, -1 },
	{ L_TX, "RmtInf/Strd/CdtrRefInf/Ref", T_STRDREF, -1 },
	{ L_TX, "RtrInf/Rsn/Cd", T_RSN, -1 },
	{ L_TX, "AddtlTxInf", T_ADDTL, -1 },
};

struct bal {
	char *f[B_N];
	long line;
};

struct tx {
	char *f[T_N];
	long line;
};

struct fo_camt {
	const char *name;
	const char *data;	/* the document, or its head; not owned */
	size_t n;
	int fd;			/* the rest of the document, or -1 */
	size_t given;		/* of data, to libxml2 */
	int ioerr;		/* errno of a failed read, or 0 */
	xmlTextReaderPtr rd;
	char msg[160];		/* libxml2's first message */
	int msgline;
	int started, done, failed;
	char kind[32];		/* "camt.053.001.02" */
	char path[PATH_MAX_LEN];
	size_t plen, off[64];	/* path length at each open depth */
	int depth, lost;	/* lost: depth past the path's room, or 0 */
	size_t lvl[L_N];	/* path length under each level's element */
	int in[L_N];
	char *s[S_N];
	long sline, nstmt, sentries;
	struct bal bal, open, close;
	char *e[E_N];
	long eline, nentry;
	struct tx *tx;
	size_t ntx, txcap;
	size_t emit, nemit;	/* records of the last entry still to give */
	int stmt_end;		/* the statement record still to give */
	struct fo_buf raw;
};

static void
on_xml_error(void *ctx, xmlErrorPtr err)
{
	struct fo_camt *c = ctx;
	size_t n;

	if (c->msg[0] != '\0' || err == NULL || err->message == NULL)
		return;
	snprintf(c->msg, sizeof c->msg, "%s", err->message);
	n = strlen(c->msg);
	while (n > 0 && (c->msg[n - 1] == '\n' || c->msg[n - 1] == ' '))
		c->msg[--n] = '\0';
	c->msgline = err->line;
}

static void
quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

int
fo_camt_sniff(const void *head, size_t n)
{
	const char *h = head, *end = h + n, *p;
	static const char ns[] = "urn:iso:std:iso:20022:tech:xsd:camt.05";
	size_t i;

	/* an XML document: '<' first, after a BOM and white space */
	if (n >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0)
		h += 3;
	while (h < end && (*h == ' ' || *h == '\t' || *h == '\r' ||
	    *h == '\n'))
		h++;
	if (h == end || *h != '<')
		return 0;
	for (p = h; (size_t)(end - p) >= sizeof ns; p++) {
		if (memcmp(p, ns, sizeof ns - 1) != 0)
			continue;
		i = sizeof ns - 1;
		return p[i] == '2' || p[i] == '3' || p[i] == '4';
	}
	return 0;
}

static void
clear(char **f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(f[i]);
		f[i] = NULL;
	}
}

static void
tx_clear(struct fo_camt *c)
{
	size_t i;

	for (i = 0; i < c->ntx; i++)
		clear(c->tx[i].f, T_N);
	c->ntx = 0;
}

/* libxml2 reads the head first, then the rest from the descriptor. */
static int
io_read(void *ctx, char *buf, int len)
{
	struct fo_camt *c = ctx;
	size_t k;
	ssize_t r;

	if (c->given < c->n) {
		k = c->n - c->given < (size_t)len ? c->n - c->given : (size_t)len;
		memcpy(buf, c->data + c->given, k);
		c->given += k;
		return (int)k;
	}
	if (c->fd < 0)
		return 0;
	do
		r = read(c->fd, buf, (size_t)len);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		c->ioerr = errno;
		return -1;
	}
	return (int)r;
}

int
fo_camt_open_fd(struct fo_camt **cp, const char *head, size_t n, int fd,
    const char *name, struct fo_err *e)
{
	struct fo_camt *c;

	*cp = NULL;
	if (fo_dl_xml(name, "a camt statement", e) != FO_OK)
		return FO_EIO;
	if ((c = calloc(1, sizeof *c)) == NULL)
		goto oom;
	c->name = name;
	c->data = head;
	c->n = n;
	c->fd = fd;
	fo_xml.xmlSetGenericErrorFunc(NULL, quiet);
	c->rd = fo_xml.xmlReaderForIO(io_read, NULL, c, name, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOCDATA);
	if (c->rd == NULL) {
		free(c);
		goto oom;
	}
	fo_xml.xmlTextReaderSetStructuredErrorHandler(c->rd, on_xml_error, c);
	*cp = c;
	return FO_OK;
oom:
	fo_err_set(e, name, 0, 0, "out of memory");
	return FO_ENOMEM;
}

int
fo_camt_open(struct fo_camt **cp, const char *data, size_t n,
    const char *name, struct fo_err *e)
{
	return fo_camt_open_fd(cp, data, n, -1, name, e);
}

void
fo_camt_close(struct fo_camt *c)
{
	if (c == NULL)
		return;
	fo_xml.xmlFreeTextReader(c->rd);
	clear(c->s, S_N);
	clear(c->bal.f, B_N);
	clear(c->open.f, B_N);
	clear(c->close.f, B_N);
	clear(c->e, E_N);
	tx_clear(c);
	free(c->tx);
	fo_buf_free(&c->raw);
	free(c);
}

const char *
fo_camt_kind(const struct fo_camt *c)
{
	return c->kind;
}

struct fo_span
fo_camt_raw(const struct fo_camt *c)
{
	struct fo_span s = { c->raw.p ? c->raw.p : "", c->raw.n };

	return s;
}

/* The fields of the level a path under an open level names (the
 * innermost level first) and, in *field, which; NULL if none. */
static char **
field_of(struct fo_camt *c, int *field, int *ccy)
{
	static const int order[] = { L_TX, L_BAL, L_NTRY, L_STMT };
	const char *rel;
	size_t i, k;
	int l;

	for (k = 0; k < 4; k++) {
		l = order[k];
		if (!c->in[l] || c->plen < c->lvl[l])
			continue;
		rel = c->path + c->lvl[l];
		for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
			if (paths[i].level != l || strcmp(paths[i].rel, rel))
				continue;
			*field = paths[i].field;
			*ccy = paths[i].ccy;
			switch (l) {
			case L_STMT:
				return c->s;
			case L_BAL:
				return c->bal.f;
			case L_NTRY:
				return c->e;
			default:
				return c->tx[c->ntx - 1].f;
			}
		}
		return NULL;	/* inside the innermost level: not above */
	}
	return NULL;
}

static int
set(char **f, const char *v, int append)
{
	char *n;
	size_t a, b;

	if (*f == NULL || !append) {
		if ((n = strdup(v)) == NULL)
			return FO_ENOMEM;
		free(*f);
		*f = n;
		return FO_OK;
	}
	a = strlen(*f);
	b = strlen(v);
	if ((n = realloc(*f, a + b + 2)) == NULL)
		return FO_ENOMEM;
	n[a] = ' ';
	memcpy(n + a + 1, v, b + 1);
	*f = n;
	return FO_OK;
}

/* The line of "<!DOCTYPE": a DTD node has none of its own, and the
 * parser has read past it. A DTD is in the prolog: in the head. */
static int
dtd_line(const struct fo_camt *c)
{
	size_t i;
	int line = 1;

	for (i = 0; i + 9 <= c->n; i++) {
		if (c->data[i] == '\n')
			line++;
		else if (memcmp(c->data + i, "<!DOCTYPE", 9) == 0)
			return line;
	}
	return 0;
}

static long
node_line(struct fo_camt *c)
{
	xmlNodePtr nd = fo_xml.xmlTextReaderCurrentNode(c->rd);

	return nd ? (long)fo_xml.xmlGetLineNo(nd) : 0;
}

/* The root: a Document in a camt.052, .053 or .054 namespace. */
static int
root(struct fo_camt *c, const char *local, struct fo_err *e)
{
	const char *ns =
	    (const char *)fo_xml.xmlTextReaderConstNamespaceUri(c->rd);
	static const char pre[] = "urn:iso:std:iso:20022:tech:xsd:";

	if (strcmp(local, "Document") == 0 && ns &&
	    strncmp(ns, pre, sizeof pre - 1) == 0 &&
	    strncmp(ns + sizeof pre - 1, "camt.05", 7) == 0 &&
	    strchr("234", ns[sizeof pre - 1 + 7]) && strlen(ns) <
	    sizeof pre + sizeof c->kind - 1) {
		snprintf(c->kind, sizeof c->kind, "%s", ns + sizeof pre - 1);
		return FO_OK;
	}
	fo_err_set(e, c->name, node_line(c), 0, "not an ISO 20022 camt.052, "
	    "camt.053 or camt.054 document: its root is %s%s%s", local,
	    ns ? " in namespace " : " in no namespace", ns ? ns : "");
	fo_utf8_scrub(e->msg);
	return FO_ERR;
}

static int
start(struct fo_camt *c, struct fo_err *e)
{
	const char *local =
	    (const char *)fo_xml.xmlTextReaderConstLocalName(c->rd);
	size_t len = strlen(local);
	char **f, *v;
	int field, ccy = -1, r, d = c->depth;

	if (!c->started) {
		c->started = 1;
		if ((r = root(c, local, e)) != FO_OK)
			return r;
	}
	if (c->lost || d >= 64 || c->plen + len + 2 > sizeof c->path) {
		/* too deep for the path: passed over, with all under it */
		if (!c->lost)
			c->lost = d + 1;
		c->depth++;
		return FO_OK;
	}
	c->off[d] = c->plen;
	if (c->plen > 0)
		c->path[c->plen++] = '/';
	memcpy(c->path + c->plen, local, len + 1);
	c->plen += len;
	/* Document/BkToCstmrStmt/Stmt: a statement, report or notice */
	if (d == 2 && (strcmp(local, "Stmt") == 0 ||
	    strcmp(local, "Rpt") == 0 || strcmp(local, "Ntfctn") == 0)) {
		c->in[L_STMT] = 1;
		c->lvl[L_STMT] = c->plen + 1;
		clear(c->s, S_N);
		clear(c->open.f, B_N);
		clear(c->close.f, B_N);
		c->sline = node_line(c);
		c->nstmt++;
		c->nentry = 0;
		c->sentries = 0;
	} else if (d == 3 && c->in[L_STMT] && strcmp(local, "Bal") == 0) {
		c->in[L_BAL] = 1;
		c->lvl[L_BAL] = c->plen + 1;
		clear(c->bal.f, B_N);
		c->bal.line = node_line(c);
	} else if (d == 3 && c->in[L_STMT] && strcmp(local, "Ntry") == 0) {
		c->in[L_NTRY] = 1;
		c->lvl[L_NTRY] = c->plen + 1;
		clear(c->e, E_N);
		tx_clear(c);
		c->eline = node_line(c);
		c->nentry++;
	} else if (d == 5 && c->in[L_NTRY] && strcmp(local, "TxDtls") == 0) {
		if (c->ntx == TX_MAX) {
			fo_err_set(e, c->name, node_line(c), 0, "an entry "
			    "with more than %d transaction details", TX_MAX);
			return FO_ERR;
		}
		if (c->ntx == c->txcap) {
			size_t cap = c->txcap ? c->txcap * 2 : 4;
			struct tx *t = realloc(c->tx, cap * sizeof *t);

			if (t == NULL)
				return FO_ENOMEM;
			c->tx = t;
			c->txcap = cap;
		}
		memset(&c->tx[c->ntx], 0, sizeof c->tx[0]);
		c->tx[c->ntx++].line = node_line(c);
		c->in[L_TX] = 1;
		c->lvl[L_TX] = c->plen + 1;
	} else if ((f = field_of(c, &field, &ccy)) != NULL && ccy >= 0) {
		/* an amount: its currency is an attribute */
		v = (char *)fo_xml.xmlTextReaderGetAttribute(c->rd,
		    (const xmlChar *)"Ccy");
		r = v ? set(&f[ccy], v, 0) : FO_OK;
		(*fo_xml.free)(v);
		if (r != FO_OK)
			return r;
	}
	c->depth++;
	return FO_OK;
}

static void
keep_balance(struct fo_camt *c)
{
	struct bal *to = NULL;
	const char *cd = c->bal.f[B_CD];

	if (cd && (strcmp(cd, "OPBD") == 0 || strcmp(cd, "PRCD") == 0))
		to = &c->open;
	else if (cd && strcmp(cd, "CLBD") == 0)
		to = &c->close;
	/* a statement may give OPBD and PRCD both: the first is kept */
	if (to == NULL || (to->line != 0 && to->f[B_AMT] != NULL))
		return;
	clear(to->f, B_N);
	*to = c->bal;
	memset(&c->bal, 0, sizeof c->bal);
}

static void
end(struct fo_camt *c)
{
	int d;

	if (c->depth == 0)
		return;
	d = --c->depth;
	if (c->lost) {
		if (d + 1 == c->lost)
			c->lost = 0;
		return;
	}
	if (c->in[L_TX] && c->plen + 1 == c->lvl[L_TX])
		c->in[L_TX] = 0;
	else if (c->in[L_BAL] && c->plen + 1 == c->lvl[L_BAL]) {
		c->in[L_BAL] = 0;
		keep_balance(c);
	} else if (c->in[L_NTRY] && c->plen + 1 == c->lvl[L_NTRY]) {
		c->in[L_NTRY] = 0;
		c->emit = 0;
		c->nemit = c->ntx > 1 ? c->ntx : 1;
	} else if (c->in[L_STMT] && c->plen + 1 == c->lvl[L_STMT]) {
		c->in[L_STMT] = 0;
		c->stmt_end = 1;
	}
	c->plen = c->off[d];
	c->path[c->plen] = '\0';
}

static int
text(struct fo_camt *c)
{
	const char *v = (const char *)fo_xml.xmlTextReaderConstValue(c->rd);
	char **f;
	int field, ccy;

	if (c->lost || v == NULL || (f = field_of(c, &field, &ccy)) == NULL)
		return FO_OK;
	/* Ustrd repeats: its lines are joined by a space */
	return set(&f[field], v, c->in[L_TX] && field == T_USTRD);
}

/* An amount as camt writes it: digits, a '.' and the currency's minor
 * digits at most (trailing zeros past them are exact too). */
static int
amount(struct fo_camt *c, const char *what, const char *amt,
    const char *ccy, const char *cdi, long line, struct fo_dec *d,
    struct fo_err *e)
{
	int minor, dot = 0;
	const char *p;

	if (amt == NULL) {
		fo_err_set(e, c->name, line, 0, "%s: no amount (Amt)", what);
		return FO_ERR;
	}
	if (ccy == NULL || (minor = fo_currency_minor(ccy, strlen(ccy))) < 0) {
		fo_err_set(e, c->name, line, 0, "%s: amount %s: %s%s%s", what,
		    amt, ccy ? "unknown currency '" : "no currency (Ccy)",
		    ccy ? ccy : "", ccy ? "'" : "");
		fo_utf8_scrub(e->msg);
		return FO_ERR;
	}
	for (p = amt; *p; p++)
		if (!(*p >= '0' && *p <= '9') && !(*p == '.' && !dot++ &&
		    p > amt && p[1] != '\0'))
			break;
	if (*p || p == amt ||
	    fo_dec_parse(amt, strlen(amt), FO_NUM_PLAIN, minor, d, e) != FO_OK) {
		fo_err_set(e, c->name, line, 0, "%s: not an amount of %s: "
		    "'%.40s'", what, ccy, amt);
		fo_utf8_scrub(e->msg);
		return FO_ERR;
	}
	if (cdi == NULL || (strcmp(cdi, "CRDT") && strcmp(cdi, "DBIT"))) {
		fo_err_set(e, c->name, line, 0, "%s: CdtDbtInd is %s%.10s%s, "
		    "not CRDT or DBIT", what, cdi ? "'" : "missing", cdi ? cdi :
		    "", cdi ? "'" : "");
		fo_utf8_scrub(e->msg);
		return FO_ERR;
	}
	if (strcmp(cdi, "DBIT") == 0)
		d->v = -d->v;
	return FO_OK;
}

static int
date(struct fo_camt *c, const char *what, const char *s, long line,
    char out[11], struct fo_err *e)
{
	int32_t days;

	out[0] = '\0';
	if (s == NULL)
		return FO_OK;
	if (fo_date_parse(s, strlen(s), FO_DATE_ISO, &days, e) != FO_OK) {
		fo_err_set(e, c->name, line, 0, "%s: not a date: '%.40s'",
		    what, s);
		fo_utf8_scrub(e->msg);
		return FO_ERR;
	}
	fo_date_fmt(days, out);
	return FO_OK;
}

static void
put(struct fo_obj *o, const char *key, const char *v)
{
	if (v != NULL && *v != '\0')
		fo_obj_str(o, key, v, strlen(v));
}

static void
put_head(struct fo_camt *c, struct fo_obj *o, const char *idtail,
    long line, const char *type)
{
	char n[32];
	size_t sid;

	/* the id: camt:STATEMENT[:ENTRY] */
	fo_buf_reset(&c->raw);
	fo_buf_puts(&c->raw, "camt:");
	if (c->s[S_ID])
		fo_buf_puts(&c->raw, c->s[S_ID]);
	else {
		snprintf(n, sizeof n, "#%ld", c->nstmt);
		fo_buf_puts(&c->raw, n);
	}
	/* the statement's own id, which its lines name (fo-record.5) */
	sid = c->raw.n;
	if (idtail) {
		fo_buf_putc(&c->raw, ':');
		fo_buf_puts(&c->raw, idtail);
	}
	fo_obj_str(o, "id", c->raw.p, c->raw.n);
	put(o, "source", "camt");
	put(o, "source_file", c->name);
	fo_obj_long(o, "source_line", line);
	put(o, "doc_type", type);
	put(o, "account", c->s[S_IBAN] ? c->s[S_IBAN] : c->s[S_OTHR]);
	fo_obj_str(o, "statement_id", c->raw.p, sid);
	fo_buf_reset(&c->raw);
	put(o, "statement_ref", c->s[S_ID]);
	put(o, "statement_seq", c->s[S_SEQ] ? c->s[S_SEQ] : c->s[S_ESEQ]);
}

/* The k-th record of the entry just read. */
static int
entry_record(struct fo_camt *c, size_t k, struct fo_buf *out,
    struct fo_err *e)
{
	struct tx none, *t = &none;
	struct fo_obj o;
	struct fo_dec d;
	char what[64], idtail[512], seq[24], num[FO_DEC_BUFSZ], book[11];
	char val[11];
	const char *amt, *ccy, *cdi, *ref, *ctp, *iban, *rmt, *e2e;
	long line;
	int credit, batch = c->nemit > 1, r;

	memset(&none, 0, sizeof none);
	if (c->ntx > 0)
		t = &c->tx[k];
	line = batch ? t->line : c->eline;
	if (batch) {
		snprintf(what, sizeof what, "entry %ld, transaction %zu of %zu",
		    c->nentry, k + 1, c->ntx);
		amt = t->f[T_AMT] ? t->f[T_AMT] : t->f[T_TXAMT];
		ccy = t->f[T_AMT] ? t->f[T_CCY] : t->f[T_TXCCY];
		cdi = t->f[T_CDI] ? t->f[T_CDI] : c->e[E_CDI];
	} else {
		snprintf(what, sizeof what, "entry %ld", c->nentry);
		amt = c->e[E_AMT];
		ccy = c->e[E_CCY];
		cdi = c->e[E_CDI];
	}
	fo_buf_reset(&c->raw);
	if ((r = amount(c, what, amt, ccy, cdi, line, &d, e)) != FO_OK ||
	    (r = date(c, what, c->e[E_BOOK], line, book, e)) != FO_OK ||
	    (r = date(c, what, c->e[E_VAL], line, val, e)) != FO_OK) {
		fo_buf_reset(&c->raw);
		fo_buf_puts(&c->raw, amt ? amt : "");
		return r;
	}
	credit = strcmp(cdi, "CRDT") == 0;
	ref = c->e[E_REF] ? c->e[E_REF] : c->e[E_SVCREF];
	if (ref == NULL) {	/* no reference: the entry's number */
		snprintf(seq, sizeof seq, "%ld", c->nentry);
		ref = seq;
	}
	if (batch)
		snprintf(idtail, sizeof idtail, "%.400s:%zu", ref, k + 1);
	else
		snprintf(idtail, sizeof idtail, "%.400s", ref);
	fo_obj_begin(&o, out);
	put_head(c, &o, idtail, line, "bank_line");
	put(&o, "posting_date", book);
	put(&o, "value_date", val);
	put(&o, "currency", ccy);
	fo_dec_fmt(&d, num);
	fo_obj_raw(&o, "amount", num);
	put(&o, "status", c->e[E_STS]);
	e2e = t->f[T_E2E];
	if (e2e && strcmp(e2e, "NOTPROVIDED") == 0)
		e2e = NULL;
	put(&o, "end_to_end_id", e2e);
	if (batch)
		ref = t->f[T_SVCREF] ? t->f[T_SVCREF] : c->e[E_SVCREF];
	else
		ref = c->e[E_SVCREF] ? c->e[E_SVCREF] : t->f[T_SVCREF];
	put(&o, "reference", ref ? ref : t->f[T_INSTR]);
	ctp = credit ? t->f[T_DBTR] : t->f[T_CDTR];
	iban = credit ? t->f[T_DBTRIBAN] : t->f[T_CDTRIBAN];
	put(&o, "counterparty", ctp);
	put(&o, "iban", iban);
	rmt = t->f[T_USTRD] ? t->f[T_USTRD] : t->f[T_STRDREF];
	put(&o, "remittance", rmt);
	put(&o, "reason_code", t->f[T_RSN]);
	if (c->e[E_RVSL] || c->e[E_ADDTL] || t->f[T_ADDTL]) {
		struct fo_obj x;

		fo_obj_key(&o, "extra");
		fo_obj_begin(&x, out);
		put(&x, "RvslInd", c->e[E_RVSL]);
		put(&x, "AddtlNtryInf", c->e[E_ADDTL]);
		put(&x, "AddtlTxInf", t->f[T_ADDTL]);
		fo_obj_end(&x);
	}
	fo_obj_end(&o);
	fo_buf_putc(out, '\n');
	return out->oom ? FO_ENOMEM : FO_OK;
}

/* A batch entry's details must add up to the entry: each detail read
 * as its record will be, in the entry's currency. A detail that cannot
 * be read is left to its own record's reject. */
static int
batch_check(struct fo_camt *c, struct fo_err *e)
{
	struct fo_dec sum = { 0, 0 }, d, want;
	char what[64], a[FO_DEC_BUFSZ], b[FO_DEC_BUFSZ];
	struct tx *t;
	size_t k;

	snprintf(what, sizeof what, "entry %ld", c->nentry);
	if (amount(c, what, c->e[E_AMT], c->e[E_CCY], c->e[E_CDI], c->eline,
	    &want, e) != FO_OK)
		return FO_OK;	/* no entry amount to hold the details to */
	sum.scale = want.scale;
	for (k = 0; k < c->ntx; k++) {
		t = &c->tx[k];
		if (amount(c, what, t->f[T_AMT] ? t->f[T_AMT] : t->f[T_TXAMT],
		    t->f[T_AMT] ? t->f[T_CCY] : t->f[T_TXCCY], t->f[T_CDI] ?
		    t->f[T_CDI] : c->e[E_CDI], t->line, &d, e) != FO_OK)
			return FO_OK;
		if (strcmp(t->f[T_AMT] ? t->f[T_CCY] : t->f[T_TXCCY],
		    c->e[E_CCY]) != 0 || fo_dec_add(&sum, &d, &sum) != FO_OK)
			return FO_OK;	/* another currency: not comparable */
	}
	if (fo_dec_cmp(&sum, &want) == 0)
		return FO_OK;
	fo_dec_fmt(&sum, a);
	fo_dec_fmt(&want, b);
	fo_err_set(e, c->name, c->eline, 0, "entry %ld: its %zu transaction "
	    "details add up to %s %s, not the entry's %s", c->nentry, c->ntx,
	    a, c->e[E_CCY], b);
	fo_utf8_scrub(e->msg);
	fo_buf_reset(&c->raw);
	fo_buf_puts(&c->raw, c->e[E_AMT]);
	return FO_ERR;
}

static int
balance(struct fo_camt *c, struct fo_obj *o, const char *key,
    const char *datekey, struct bal *b, struct fo_err *e)
{
	struct fo_dec d;
	char num[FO_DEC_BUFSZ], day[11], what[48];
	int r;

	if (b->f[B_AMT] == NULL)
		return FO_OK;
	snprintf(what, sizeof what, "%s balance %s", key, b->f[B_CD]);
	if ((r = amount(c, what, b->f[B_AMT], b->f[B_CCY], b->f[B_CDI],
	    b->line, &d, e)) != FO_OK ||
	    (r = date(c, what, b->f[B_DT], b->line, day, e)) != FO_OK)
		return r;
	fo_dec_fmt(&d, num);
	if (o) {
		fo_obj_raw(o, key, num);
		put(o, datekey, day);
	}
	return FO_OK;
}

static int
stmt_record(struct fo_camt *c, struct fo_buf *out, struct fo_err *e)
{
	struct fo_obj o;
	const char *ccy;
	int r;

	/* the balances checked first: a bad one rejects the record */
	if ((r = balance(c, NULL, "opening", NULL, &c->open, e)) != FO_OK ||
	    (r = balance(c, NULL, "closing", NULL, &c->close, e)) != FO_OK) {
		fo_buf_reset(&c->raw);
		return r;
	}
	if (c->open.f[B_AMT] && c->close.f[B_AMT] &&
	    strcmp(c->open.f[B_CCY], c->close.f[B_CCY]) != 0) {
		/* one currency field cannot tell both: no record lies */
		fo_err_set(e, c->name, c->close.line, 0, "statement: opening "
		    "balance in %s, closing balance in %s", c->open.f[B_CCY],
		    c->close.f[B_CCY]);
		fo_utf8_scrub(e->msg);
		fo_buf_reset(&c->raw);
		return FO_ERR;
	}
	ccy = c->open.f[B_CCY] ? c->open.f[B_CCY] : c->close.f[B_CCY] ?
	    c->close.f[B_CCY] : c->s[S_ACCCY];
	fo_obj_begin(&o, out);
	put_head(c, &o, NULL, c->sline, "statement");
	put(&o, "currency", ccy);
	balance(c, &o, "opening_balance", "opening_date", &c->open, e);
	balance(c, &o, "closing_balance", "closing_date", &c->close, e);
	fo_obj_long(&o, "entries", c->sentries);
	fo_obj_end(&o);
	fo_buf_putc(out, '\n');
	return out->oom ? FO_ENOMEM : FO_OK;
}

int
fo_camt_next(struct fo_camt *c, struct fo_buf *out, struct fo_err *e)
{
	int r, t, empty;

	fo_err_clear(e);
	for (;;) {
		if (c->emit == 0 && c->nemit > 1 && batch_check(c, e) != FO_OK) {
			/* the details do not add up: the entry is one row,
			 * rejected, rather than lines that lie about money */
			c->emit = c->nemit;
			c->sentries++;
			e->file = c->name;
			return FO_ERR;
		}
		if (c->emit < c->nemit) {
			c->sentries++;
			r = entry_record(c, c->emit++, out, e);
			if (r == FO_ERR)
				e->file = c->name;
			return r;
		}
		if (c->stmt_end) {
			c->stmt_end = 0;
			r = stmt_record(c, out, e);
			if (r == FO_ERR)
				e->file = c->name;
			return r;
		}
		if (c->done)
			return FO_EMPTY;
		r = fo_xml.xmlTextReaderRead(c->rd);
		if (r == 1 && fo_xml.xmlTextReaderNodeType(c->rd) ==
		    XML_READER_TYPE_DOCUMENT_TYPE) {
			snprintf(c->msg, sizeof c->msg, "a DTD, which a "
			    "statement never has");
			c->msgline = dtd_line(c);
			r = -1;
		}
		if (r == 0 && !c->started) {
			c->done = 1;
			fo_err_set(e, c->name, 0, 0, "no XML document");
			return FO_ERR;
		}
		if (r == 0) {
			c->done = 1;
			return FO_EMPTY;
		}
		if (r < 0 && c->ioerr) {
			c->done = 1;
			fo_err_set(e, c->name, 0, 0, "read: %s",
			    strerror(c->ioerr));
			return FO_EIO;
		}
		if (r < 0) {
			c->done = 1;
			fo_err_set(e, c->name, c->msgline, 0, "not well-formed "
			    "XML: %s; what follows is not read",
			    c->msg[0] ? c->msg : "cannot be read");
			fo_utf8_scrub(e->msg);
			fo_buf_reset(&c->raw);
			return FO_ERR;
		}
		t = fo_xml.xmlTextReaderNodeType(c->rd);
		if (t == XML_READER_TYPE_ELEMENT) {
			empty = fo_xml.xmlTextReaderIsEmptyElement(c->rd);
			if ((r = start(c, e)) != FO_OK) {
				c->done = 1;
				fo_buf_reset(&c->raw);
				return r == FO_ENOMEM ? r : FO_ERR;
			}
			if (empty)
				end(c);
		} else if (t == XML_READER_TYPE_END_ELEMENT)
			end(c);
		else if (t == XML_READER_TYPE_TEXT ||
		    t == XML_READER_TYPE_CDATA) {
			if (text(c) != FO_OK)
				return FO_ENOMEM;
		}
	}
}
