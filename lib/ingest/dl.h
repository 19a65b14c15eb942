/*
 * dl.h - libxml2 and libzip, loaded when a file needs them (dl.c):
 * private to camt.c and xlsx.c (and fuzz-xlsx, which zips its inputs).
 * The libraries' own headers give the types and the constants; each
 * table holds a pointer for every function that is called, typed from
 * the library's own declaration, named as the function is.
 */
#ifndef FO_INGEST_DL_H
#define FO_INGEST_DL_H

#include <libxml/xmlreader.h>
#include <zip.h>

#define FO_DL_XML \
	X(xmlFreeTextReader) \
	X(xmlGetLineNo) \
	X(xmlReaderForIO) \
	X(xmlSetGenericErrorFunc) \
	X(xmlSetStructuredErrorFunc) \
	X(xmlTextReaderConstLocalName) \
	X(xmlTextReaderConstNamespaceUri) \
	X(xmlTextReaderConstValue) \
	X(xmlTextReaderCurrentNode) \
	X(xmlTextReaderGetAttribute) \
	X(xmlTextReaderIsEmptyElement) \
	X(xmlTextReaderMoveToElement) \
	X(xmlTextReaderMoveToFirstAttribute) \
	X(xmlTextReaderMoveToNextAttribute) \
	X(xmlTextReaderNodeType) \
	X(xmlTextReaderRead) \
	X(xmlTextReaderSetStructuredErrorHandler) \
	X(xmlTextReaderValue)

#define FO_DL_ZIP \
	X(zip_close) \
	X(zip_discard) \
	X(zip_error_fini) \
	X(zip_error_init) \
	X(zip_error_init_with_code) \
	X(zip_error_strerror) \
	X(zip_fclose) \
	X(zip_fdopen) \
	X(zip_file_add) \
	X(zip_file_strerror) \
	X(zip_fopen_index) \
	X(zip_fread) \
	X(zip_get_num_entries) \
	X(zip_name_locate) \
	X(zip_open_from_source) \
	X(zip_set_file_compression) \
	X(zip_source_buffer) \
	X(zip_source_buffer_create) \
	X(zip_source_close) \
	X(zip_source_free) \
	X(zip_source_keep) \
	X(zip_source_open) \
	X(zip_source_read) \
	X(zip_source_stat) \
	X(zip_stat_index) \
	X(zip_stat_init) \
	X(zip_strerror)

#define X(f) __typeof__(f) *f;
extern struct fo_xml {
	FO_DL_XML
	/* the variable xmlFree (the header makes its name a macro) */
	xmlFreeFunc *free;
} fo_xml;
extern struct fo_zip {
	FO_DL_ZIP
} fo_zip;
#undef X

/* Load the library the first time, by the soname the build linked
 * against (the Makefile's FO_SONAME_*), and fill its table. FO_OK, or
 * FO_EIO with e naming file, the library, what it was needed for
 * ("a workbook") and dlerror's text; tried again for the next file. */
int	fo_dl_xml(const char *file, const char *what, struct fo_err *e);
int	fo_dl_zip(const char *file, const char *what, struct fo_err *e);

#endif
