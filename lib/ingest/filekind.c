/*
 * filekind.c - what a file is, by its first bytes: a CSV export (text)
 * or something given by mistake (a zip, a PDF, an old .xls, ...), which
 * must be refused by name, never read as rows of garbage.
 */
#include <string.h>

#include "fo.h"

static const struct {
	enum fo_filekind kind;
	const char *magic;
	size_t n;
} magics[] = {
	/* an .xlsx is a zip: told apart below, before plain zips */
	{ FO_FILE_ZIP, "PK\003\004", 4 },
	{ FO_FILE_ZIP, "PK\005\006", 4 },	/* an empty archive */
	{ FO_FILE_PDF, "%PDF-", 5 },
	{ FO_FILE_OLE2, "\320\317\021\340\241\261\032\341", 8 },
	{ FO_FILE_GZIP, "\037\213", 2 },
	{ FO_FILE_BZIP2, "BZh", 3 },
	{ FO_FILE_XZ, "\3757zXZ\0", 6 },
	{ FO_FILE_ZSTD, "\050\265\057\375", 4 },
	{ FO_FILE_7Z, "7z\274\257\047\034", 6 },
	{ FO_FILE_RAR, "Rar!\032\007", 6 },
	{ FO_FILE_PNG, "\211PNG\r\n\032\n", 8 },
	{ FO_FILE_JPEG, "\377\330\377", 3 },
	{ FO_FILE_GIF, "GIF8", 4 },
	{ FO_FILE_ELF, "\177ELF", 4 },
};

/* A zip whose first member is an OOXML part under xl/, or whose head
 * names one: an Excel workbook. */
static int
is_xlsx(const unsigned char *h, size_t n)
{
	static const char part[] = "xl/workbook.xml";
	size_t i;

	if (n < 30)
		return 0;
	for (i = 0; i + sizeof part - 1 <= n; i++)
		if (h[i] == 'x' && memcmp(h + i, part, sizeof part - 1) == 0)
			return 1;
	/* Excel writes [Content_Types].xml first and xl/ parts later, past
	 * a short head: a name starting xl/ in any local header will do */
	for (i = 0; i + 34 <= n; i++)
		if (memcmp(h + i, "PK\003\004", 4) == 0 &&
		    memcmp(h + i + 30, "xl/", 3) == 0)
			return 1;
	return 0;
}

enum fo_filekind
fo_filekind(const void *head, size_t n)
{
	const unsigned char *h = head;
	size_t i, nul;

	/* nothing, or nothing but a byte order mark (an empty sheet saved
	 * as "CSV UTF-8" or "Unicode Text") */
	if (n == 0 || (n == 3 && memcmp(h, "\357\273\277", 3) == 0) ||
	    (n == 2 && (memcmp(h, "\377\376", 2) == 0 ||
	    memcmp(h, "\376\377", 2) == 0)))
		return FO_FILE_EMPTY;
	for (i = 0; i < sizeof magics / sizeof magics[0]; i++)
		if (n >= magics[i].n && memcmp(h, magics[i].magic,
		    magics[i].n) == 0) {
			if (magics[i].kind == FO_FILE_ZIP && is_xlsx(h, n))
				return FO_FILE_XLSX;
			return magics[i].kind;
		}
	/* text has no NUL; UTF-16 has them, but in a pattern the reader
	 * recognises (fo_csv_open) and a BOM may announce */
	if (fo_utf16_sniff(head, n) != 0 || (n >= 2 && ((h[0] == 0xFF &&
	    h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF))))
		return FO_FILE_TEXT;
	if (n > 1024)
		n = 1024;
	for (i = nul = 0; i < n; i++)
		nul += h[i] == 0;
	/* a stray NUL rejects its row; many of them make a binary file */
	return nul >= 4 && nul * 16 > n ? FO_FILE_BINARY : FO_FILE_TEXT;
}

/* UTF-16 without a BOM: most of the first 128 code units have one NUL
 * byte, on the same side (ASCII text written two bytes a character). */
int
fo_utf16_sniff(const void *head, size_t n)
{
	const unsigned char *h = head;
	size_t i, units, le = 0, be = 0;

	if (n > 256)
		n = 256;
	if ((units = n / 2) < 4)
		return 0;
	for (i = 0; i + 1 < n; i += 2) {
		le += h[i] != 0 && h[i + 1] == 0;
		be += h[i] == 0 && h[i + 1] != 0;
	}
	if (le * 4 >= units * 3)
		return 'l';
	if (be * 4 >= units * 3)
		return 'b';
	return 0;
}

const char *
fo_filekind_name(enum fo_filekind k)
{
	switch (k) {
	case FO_FILE_TEXT:
		return "a text file";
	case FO_FILE_EMPTY:
		return "empty file";
	case FO_FILE_ZIP:	/* fo-ingest opens zips as workbooks */
		return "a zip archive";
	case FO_FILE_XLSX:
		return "an Excel workbook (.xlsx)";
	case FO_FILE_PDF:
		return "a PDF document";
	case FO_FILE_OLE2:
		return "an OLE2 compound file (an old .xls workbook? save "
		    "the sheet as CSV)";
	case FO_FILE_GZIP:
		return "gzip data (gunzip it first)";
	case FO_FILE_BZIP2:
		return "bzip2 data (bunzip2 it first)";
	case FO_FILE_XZ:
		return "xz data (unxz it first)";
	case FO_FILE_ZSTD:
		return "zstd data (unzstd it first)";
	case FO_FILE_7Z:
		return "a 7-zip archive";
	case FO_FILE_RAR:
		return "a RAR archive";
	case FO_FILE_PNG:
		return "a PNG image";
	case FO_FILE_JPEG:
		return "a JPEG image";
	case FO_FILE_GIF:
		return "a GIF image";
	case FO_FILE_ELF:
		return "an executable (ELF)";
	case FO_FILE_BINARY:
		return "binary data (NUL bytes)";
	}
	return "unknown";
}
