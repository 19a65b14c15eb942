/*
 * dl.c - libxml2 (camt.053, the workbooks' XML) and libzip (workbooks)
 * are opened with dlopen(3) the first time a file needs them, not
 * linked: most runs read CSV, and the loader's work for the two and
 * what they pull (ICU, libstdc++, libcrypto, liblzma, libbz2) was most
 * of fo-ingest's start-up (bench/results.md). The sonames are the ones
 * the installed -dev packages link to, passed by the Makefile, so the
 * ABI is the one the headers describe.
 */
#include <dlfcn.h>

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

static void *
open_lib(const char *file, const char *soname, const char *what,
    struct fo_err *e)
{
	void *h;

	if ((h = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		const char *why = dlerror();

		fo_err_set(e, file, 0, 0, "%s cannot be loaded, and is "
		    "needed to read %s: %s", soname, what,
		    why ? why : "dlopen failed");
	}
	return h;
}

static void *
sym(void *h, const char *file, const char *soname, const char *name,
    struct fo_err *e)
{
	void *p;

	dlerror();
	if ((p = dlsym(h, name)) == NULL) {
		const char *why = dlerror();

		fo_err_set(e, file, 0, 0, "%s has no %s: %s", soname, name,
		    why ? why : "a null symbol");
	}
	return p;
}

#define X(f) \
	if ((t.f = (__typeof__(t.f))sym(h, file, so, #f, e)) == NULL) \
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
	if ((h = open_lib(file, so, what, e)) == NULL)
		return FO_EIO;
	FO_DL_XML
	if ((t.free = sym(h, file, so, "xmlFree", e)) == NULL)
		goto fail;
	fo_xml = t;
	done = 1;
	return FO_OK;
fail:
	dlclose(h);
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
	if ((h = open_lib(file, so, what, e)) == NULL)
		return FO_EIO;
	FO_DL_ZIP
	fo_zip = t;
	done = 1;
	return FO_OK;
fail:
	dlclose(h);
	return FO_EIO;
}
