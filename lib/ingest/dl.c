/*
 * dl.c - libxml2 (camt.053, the workbooks' XML) and libzip (workbooks)
 * are opened (lib/core/dl.c) the first time a file needs them, not
 * linked: most runs read CSV, and the loader's work for the two and
 * what they pull (ICU, libstdc++, libcrypto, liblzma, libbz2) was most
 * of fo-ingest's start-up (bench/results.md).
 */
#include "fo.h"
#include "dl.h"

#ifndef FO_SONAME_XML
#error "FO_SONAME_XML: the soname of libxml2 (the Makefile passes it)"
#endif
#ifndef FO_SONAME_ZIP
#error "FO_SONAME_ZIP: the soname of libzip (the Makefile passes it)"
#endif
_Static_assert(sizeof FO_SONAME_XML > 1, "FO_SONAME_XML is empty");
_Static_assert(sizeof FO_SONAME_ZIP > 1, "FO_SONAME_ZIP is empty");

struct fo_xml fo_xml;
struct fo_zip fo_zip;

#define X(f) \
	if ((t.f = (__typeof__(t.f))fo_dl_sym(h, file, so, #f, e)) == NULL) \
		goto fail;

int
fo_dl_xml(const char *file, const char *what, struct fo_err *e)
{
	static int done;
	static const char so[] = FO_SONAME_XML;
	struct fo_xml t;
	void *h;

	if (done)
		return FO_OK;
	if ((h = fo_dl_open(file, so, what, e)) == NULL)
		return FO_EIO;
	FO_DL_XML
	if ((t.free = fo_dl_sym(h, file, so, "xmlFree", e)) == NULL)
		goto fail;
	fo_xml = t;
	done = 1;
	return FO_OK;
fail:
	fo_dl_close(h);
	return FO_EIO;
}

int
fo_dl_zip(const char *file, const char *what, struct fo_err *e)
{
	static int done;
	static const char so[] = FO_SONAME_ZIP;
	struct fo_zip t;
	void *h;

	if (done)
		return FO_OK;
	if ((h = fo_dl_open(file, so, what, e)) == NULL)
		return FO_EIO;
	FO_DL_ZIP
	fo_zip = t;
	done = 1;
	return FO_OK;
fail:
	fo_dl_close(h);
	return FO_EIO;
}
