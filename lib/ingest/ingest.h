/*
 * ingest.h - struct fo_ingest, private to ingest.c: what reading one
 * file under a profile keeps between rows. Everyone else holds it by
 * pointer (fo.h: fo_ingest_new and the accessors).
 */
#ifndef FO_INGEST_INGEST_H
#define FO_INGEST_INGEST_H

struct fo_ingest {
	const struct fo_profile *prof;
	const char *file;	/* source_file, as given */
	enum fo_numstyle numbers;	/* after variants and the command line */
	enum fo_datefmt dates;
	int numbers_given, dates_given;	/* on the command line: they win */
	char *ctx[FO_FIELDS_MAX];	/* values from context lines, owned */
	struct fo_buf scratch;
	/* set by fo_ingest_header */
	size_t ncol;		/* header width */
	int *field;		/* per column: field, -1 extra, -2 flag */
	const char **code;	/* per column: hold code of a flag column */
	char **extra;		/* per column: key under "extra" */
	int *optional;		/* per column: no header, kept only if filled */
	int *numbers_col;	/* per column: FO_NUM_* or -1 */
	int *dates_col;
	struct fo_amtcol {	/* per column: the form of its amounts */
		enum fo_amtform form;	/* the profile's */
		int stored;	/* decimals of the stored form */
		enum fo_amtform found;	/* auto: the form a row showed */
		long line;	/* that row */
		char why[48];	/* its amount and currency */
	} *amt;
	int *undo;		/* columns whose form the record being built
				 * decided: undone when it is rejected */
	size_t nundo;
	char note[512];		/* for stderr, a line each: the forms a
				 * row decided */
	int fieldcol[FO_FIELDS_MAX];	/* per field: its column or -1 */
	char active[FO_FIELDS_MAX];	/* a column, context or constant feeds it */
	int order[FO_FIELDS_MAX];	/* what build writes: the active fields
					 * and the currency, in field order */
	size_t norder;
	char mapped[FO_FIELDS_MAX];	/* a values table maps the field */
	int currency;		/* index of the currency field */
	/* the keys of this file's ids: the profile's, or a fallback when
	 * the header lacks some (fo-ingest(1), Record ids) */
	enum fo_keymode {
		FO_KEYS_PROFILE,	/* all of the profile's keys */
		FO_KEYS_PRESENT,	/* those of them the header has */
		FO_KEYS_DOCUMENT,	/* entity, vendor, doc_number */
		FO_KEYS_HASH		/* a hash of the row's fields */
	} keymode;
	size_t nkey;		/* keys used */
	size_t docn;		/* the first docn name the document (doc_id) */
	int *keycol;		/* per key: column, or -1 */
	int *keyfield;		/* per key: field index, or -1 */
	const char **keyname;	/* per key: as the profile names it */
	struct fo_err keynote;	/* why the ids are not the profile's keys;
				 * keynote.msg empty when they are */
	int signcol, typecol;	/* -1 when the profile has none */
	int amount;		/* index of the amount field */
	int debitcol, creditcol;	/* the debit_credit pair, or -1 */
	char amountbuf[FO_DEC_BUFSZ];	/* the amount they make, per row */
	char **vconst;		/* the chosen variant's constants, or NULL */
	uint64_t *seen;		/* hash ids written in this file (0: free) */
	size_t nseen, capseen;
	struct fo_seen {	/* those written more than once: how often */
		uint64_t h;
		long n;
	} *again;
	size_t nagain, capagain;
	long nzero;		/* the hash 0, which cannot be in seen */
	uint64_t last_hash;	/* of the record being built */
	size_t namelen[FO_FIELDS_MAX];	/* strlen of each field's name */
	size_t *extralen;	/* per column: strlen of its extra key */
	struct fo_buf fixed;	/* ,"source":...,"source_line": as JSON */
	struct fo_buf listing;	/* ,"listing":"..." as JSON, or empty */
	struct fo_minor minors[16];	/* currencies met, and their units */
	struct fo_fnvskip *nameskip;	/* per field: its name= hashed */
	int *holdcol;		/* per row_types hold type: its column */
	/* row types: the record being gathered */
	int pending, filled;
	long pend_line;
	struct fo_buf pend_cells, pend_lines, pend_codes, trial;
	struct fo_csv_row pend_row;
	unsigned char *pend_kind;	/* its cells' kinds (a workbook) */
	long orphan_line;	/* its record row was rejected */
	/* currencies: set by the caller after fo_ingest_begin */
	const struct fo_currencies *currencies;	/* NULL: ISO codes only */
	char defcur[4];		/* --currency CODE, or "" */
	struct {		/* currency texts read, and their codes */
		char text[31];
		unsigned char n;	/* 0: empty */
		char code[4];
	} curseen[8];
	unsigned curnext;	/* the one the next text takes */
	struct fo_dmemo *dmemo;	/* dates read, as written out */
	int *xcol;		/* per extract: the column it reads, or -1 */
	struct fo_xmemo *xmemo;	/* per extract: answers for texts seen */
	struct {		/* marks checked against the row's currency */
		char mark[15];
		unsigned char n;	/* 0: empty */
		char code[4];
	} markseen[8];
	unsigned marknext;	/* the one the next mark takes */
	/* row types with their own header row: one per layout */
	struct fo_rowlayout {
		long line;	/* of its header row; 0: none met yet */
		size_t nf;
		char **key;	/* per column: key under extra.lines */
		int fcol[FO_FIELDS_MAX];	/* per field: its column, -1 */
		int holdcol, parentcol;	/* -1 when none */
	} *layout;
	size_t nlayout_seen;	/* header rows of layouts met */
	size_t nvirt;		/* columns after the header's: fields only
				 * a layout's rows fill */
	int merging;		/* building a record with its fill rows */
	int badfield;		/* the rejected row's field when it was read
				 * by a layout (-1: none); -2: not so */
};

#endif /* FO_INGEST_INGEST_H */
