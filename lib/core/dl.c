/*
 * dl.c - a library opened with dlopen(3) the first time a run needs it,
 * not linked: libxml2 and libzip for the files that need them
 * (lib/ingest/dl.c), libjq for the expressions the native evaluator
 * does not take (lib/rules/jqprog.c). Mapping and relocating a library
 * no record calls is start-up every run pays. The sonames are the ones
 * the installed -dev packages link to, passed by the Makefile, so the
 * ABI is the one the headers describe.
 */
#include <dlfcn.h>

#include "fo.h"

void *
fo_dl_open(const char *file, const char *soname, const char *what,
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

void *
fo_dl_sym(void *h, const char *file, const char *soname, const char *name,
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

void
fo_dl_close(void *h)
{
	dlclose(h);
}
