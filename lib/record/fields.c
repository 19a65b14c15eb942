/*
 * fields.c - the canonical fields of a record, in the order fo-ingest
 * writes them (design §2, fo-record.5). Their types are the record
 * contract, not policy: which header feeds which field is the profiles'.
 */
#include <stdlib.h>
#include <string.h>

#include "fo.h"

const struct fo_field fo_fields[] = {
	{ "doc_type", FO_F_STR },
	{ "entity", FO_F_STR },
	{ "vendor_id", FO_F_STR },
	{ "vendor_name", FO_F_STR },
	{ "vendor_tier", FO_F_STR },
	{ "doc_number", FO_F_STR },
	{ "doc_date", FO_F_DATE },
	{ "posting_date", FO_F_DATE },
	{ "due_date", FO_F_DATE },
	{ "baseline_date", FO_F_DATE },
	{ "terms", FO_F_STR },
	{ "discount_pct", FO_F_DEC },
	{ "discount_date", FO_F_DATE },
	{ "currency", FO_F_STR },
	{ "amount", FO_F_AMOUNT },
	{ "amount_scope", FO_F_STR },
	{ "tax_amount", FO_F_AMOUNT },
	{ "tax_code", FO_F_STR },
	{ "po_number", FO_F_STR },
	{ "po_line", FO_F_STR },
	{ "po_qty", FO_F_DEC },
	{ "gr_qty", FO_F_DEC },
	{ "inv_qty", FO_F_DEC },
	{ "po_price", FO_F_DEC },
	{ "inv_price", FO_F_DEC },
	{ "hold_codes", FO_F_CODES },
	{ "hold_date", FO_F_DATE },
	{ "held_by", FO_F_STR },
	{ "payment_block", FO_F_STR },
	{ "status", FO_F_STR },
	{ "created_by", FO_F_STR },
	{ "approved_by", FO_F_STR },
	{ "end_to_end_id", FO_F_STR },
	{ "reference", FO_F_STR },
	{ "reason_code", FO_F_STR },
	{ "iban", FO_F_STR },
	{ "value_date", FO_F_DATE },
	{ "counterparty", FO_F_STR },
	{ "remittance", FO_F_STR },
};

const size_t fo_nfields = sizeof fo_fields / sizeof fo_fields[0];

/* The exception classes of design.md section 2; rules files extend them. */
const char *const fo_taxonomy[] = {
	"price_variance", "quantity_variance", "missing_receipt",
	"missing_po", "duplicate_suspect", "tax_mismatch", "blocked_vendor",
	"vendor_master_mismatch", "bank_rejection", "recon_break",
	"unapplied_cash", "short_payment", "date_variance", "manual_hold",
	"amount_limit", "approval_missing", "fx_missing", "coding_error",
	"funds_check", "match_ambiguous", "other", NULL
};

const char *const fo_sensitivities[] = { "low", "medium", "high", NULL };

_Static_assert(sizeof fo_fields / sizeof fo_fields[0] <= FO_FIELDS_MAX,
    "FO_FIELDS_MAX is too small for the field table");

int
fo_field_find(const char *name)
{
	size_t i;

	for (i = 0; i < fo_nfields; i++)
		if (strcmp(fo_fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
fold_char(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 'a' - 'A';
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
		return c;
	return -1;	/* dropped */
}

int
fo_header_fold_eq(const char *s, size_t n, const char *fold)
{
	size_t i;
	int c;

	for (i = 0; i < n; i++)
		if ((c = fold_char((unsigned char)s[i])) >= 0 &&
		    c != (unsigned char)*fold++)
			return 0;
	return *fold == '\0';
}

char *
fo_header_fold(const char *s, size_t n)
{
	char *d, *p;
	size_t i;

	if ((d = p = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		int c = fold_char((unsigned char)s[i]);

		if (c >= 0)
			*p++ = (char)c;
	}
	*p = '\0';
	return d;
}
