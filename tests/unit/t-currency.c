/* t-currency.c - the currency table (rules/currencies.yaml): names,
 * symbols and codes to ISO 4217 codes, ambiguity, and every refusal of
 * the loader. lib/value/currency.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"
#include "tap.h"

static struct fo_currencies *table;

/* The codes text names, as "USD" or "CAD AUD ..." (the table's order
 * after sorting by code), "-" for none. */
static const char *
codes(const struct fo_currencies *t, const char *text)
{
	static char buf[FO_CUR_MAXCAND * 4 + 1];
	struct fo_curmatch m;
	size_t i;

	buf[0] = '\0';
	if (fo_currency_lookup(t, text, strlen(text), &m) != FO_OK)
		return "-";
	for (i = 0; i < m.n; i++) {
		strcat(buf, i ? " " : "");
		strcat(buf, m.code[i]);
	}
	return buf;
}

static void
is_cur(const char *text, const char *want)
{
	is_str(codes(table, text), want, "'%s' -> %s", text, want);
}

/* Load a table from text; the first error as "LINE:COL: message". */
static const char *
load_err(const char *text)
{
	static char buf[512];
	char path[] = "/tmp/t-currency.XXXXXX";
	struct fo_currencies *t = NULL;
	struct fo_errs errs = { 0 };
	FILE *f;
	int fd, r;

	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w")) == NULL)
		return "mkstemp";
	fputs(text, f);
	fclose(f);
	r = fo_currencies_load(path, &t, &errs);
	unlink(path);
	if (r == FO_OK) {
		fo_currencies_free(t);
		snprintf(buf, sizeof buf, "OK");
	} else
		snprintf(buf, sizeof buf, "%ld:%ld: %s", errs.v[0].line,
		    errs.v[0].col, errs.v[0].msg);
	fo_errs_free(&errs);
	return buf;
}

int
main(void)
{
	struct fo_errs errs = { 0 };
	char path[4096];
	const char *d = getenv("FO_RULES");

	snprintf(path, sizeof path, "%s/currencies.yaml", d ? d : "rules");
	ok(fo_currencies_load(path, &table, &errs) == FO_OK,
	    "the shipped table loads: %s", path);
	fo_warn_errs("t-currency", &errs);
	if (table == NULL)
		return done_testing();

	/* codes, in any case, with or without the table */
	is_cur("USD", "USD");
	is_cur("usd", "USD");
	is_cur("Chf", "CHF");
	is_str(codes(NULL, "jpy"), "JPY", "a code needs no table");
	is_str(codes(NULL, "US Dollar"), "-", "a name does without one");
	is_cur("XAU", "-");		/* gold has no minor unit */
	is_cur("HRK", "-");		/* withdrawn */

	/* ISO 4217's names, and NetSuite's currency records' names */
	is_cur("US Dollar", "USD");
	is_cur("Euro", "EUR");
	is_cur("British pound", "GBP");
	is_cur("Pound Sterling", "GBP");
	is_cur("Japanese Yen", "JPY");
	is_cur("Yen", "JPY");
	is_cur("Swiss Franc", "CHF");
	is_cur("Canadian Dollar", "CAD");
	is_cur("Yuan Renminbi", "CNY");
	is_cur("Kuwaiti Dinar", "KWD");
	is_cur("Bolívar Soberano", "VED VES");	/* ISO names both so */
	is_cur("Leone", "SLE SLL");
	/* folded like headers: case, spaces and dots do not count */
	is_cur("U.S. Dollar", "USD");
	is_cur("us dollar", "USD");
	is_cur("  BRITISH   POUND ", "GBP");
	is_cur("United States Dollar", "USD");
	is_cur("Dollar", "-");
	is_cur("Bitcoin", "-");
	is_cur("", "-");

	/* symbols: exact but for ASCII case */
	is_cur("€", "EUR");
	is_cur("£", "GBP");
	is_cur("₹", "INR");
	is_cur("US$", "USD");
	is_cur("us$", "USD");
	is_cur("C$", "CAD");
	is_cur("A$", "AUD");
	is_cur("NZ$", "NZD");
	is_cur("HK$", "HKD");
	is_cur("S$", "SGD");
	is_cur("R$", "BRL");
	is_cur("Fr.", "CHF");
	is_cur("zł", "PLN");
	is_cur("Kč", "CZK");
	/* ambiguous: every code that writes it, by code */
	is_cur("$", "ARS AUD CAD CLP COP HKD MXN NZD SGD TWD USD");
	is_cur("¥", "CNY JPY");
	is_cur("kr", "DKK ISK NOK SEK");
	is_cur("KR", "DKK ISK NOK SEK");
	/* a sign and a code together, as a NetSuite display symbol */
	is_cur("$CAD", "CAD");
	is_cur("CAD$", "CAD");
	is_cur("$USD", "USD");
	is_cur("$EUR", "-");		/* no euro is written $ */
	is_cur("€$", "-");

	/* the loader refuses, with the position */
	is_str(load_err("currencies:\n  USD: {names: [US Dollar]}\n"), "OK",
	    "a small table loads");
	is_str(load_err("currencies:\n  XYZ: {names: [Zed]}\n"),
	    "2:3: 'XYZ' is not an ISO 4217 code fo knows (a minor unit)",
	    "an unknown code");
	is_str(load_err("currencies:\n  USD: {names: [US Dollar], signs: "
	    "[$]}\n"), "2:29: unknown key 'signs' in USD",
	    "an unknown key");
	is_str(load_err("currencies:\n  USD: {symbols: ['1$']}\n"),
	    "2:19: symbol '1$': at most 8 bytes, no digits, signs, spaces or "
	    "commas", "a symbol with a digit");
	is_str(load_err("currencies:\n  USD: {names: ['...']}\n"),
	    "2:17: name '...' has no letters or digits", "an empty name");
	is_str(load_err("currencies:\n  USD: {names: US Dollar}\n"),
	    "2:16: names must be a list", "names not a list");
	is_str(load_err("currency:\n  USD: {names: [US Dollar]}\n"),
	    "1:1: the currency table is a mapping 'currencies' of ISO 4217 "
	    "code to names and symbols (fo-rules(5))", "no currencies key");
	is_str(load_err("currencies:\n  USD: US Dollar\n"),
	    "2:8: USD: give names and symbols", "a code without a mapping");

	fo_currencies_free(table);
	return done_testing();
}
