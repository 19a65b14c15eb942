/* t-filekind.c - fo_filekind, fo_utf16_sniff, and what fo_csv_open makes
 * of encodings and byte order marks. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fo.h"
#include "tap.h"

#define KIND(s, k, what) ok(fo_filekind(s, sizeof s - 1) == (k), "%s", what)

/* The encoding fo_csv_open settles for the n bytes at s, auto. */
static const char *
enc_of(const char *s, size_t n, const char *want)
{
	static char name[32];
	struct fo_csv_opts o = { 0 };
	struct fo_csv *c;
	struct fo_err e;
	int fd[2];

	if (pipe(fd) != 0 || write(fd[1], s, n) != (ssize_t)n)
		return "pipe";
	close(fd[1]);
	o.encoding = want;
	if (fo_csv_open(&c, fd[0], "t", &o, &e) != FO_OK) {
		close(fd[0]);
		return "error";
	}
	snprintf(name, sizeof name, "%s", fo_csv_encoding(c));
	fo_csv_close(c);
	close(fd[0]);
	return name;
}

/* The fields of the rows of s (UTF-8), '|' between fields, '/' between
 * rows, and the BOM notices as "@LINE". */
static const char *
rows_of(const char *s, size_t n)
{
	static char out[512];
	struct fo_csv_opts o = { 0 };
	struct fo_csv_row *row;
	struct fo_csv *c;
	struct fo_err e, note;
	size_t i, len = 0;
	int fd[2], r;

	if (pipe(fd) != 0 || write(fd[1], s, n) != (ssize_t)n)
		return "pipe";
	close(fd[1]);
	o.encoding = "auto";
	o.delim = ',';
	out[0] = '\0';
	if (fo_csv_open(&c, fd[0], "t", &o, &e) != FO_OK)
		return "error";
	while ((r = fo_csv_next(c, &row, &e)) != FO_EMPTY && r >= FO_ERR) {
		if (fo_csv_notice(c, &note))
			len += snprintf(out + len, sizeof out - len, "@%ld",
			    note.line);
		if (r == FO_ERR) {
			len += snprintf(out + len, sizeof out - len, "!/");
			continue;
		}
		for (i = 0; i < row->nf; i++)
			len += snprintf(out + len, sizeof out - len, "%s%.*s",
			    i ? "|" : "", (int)row->f[i].n, row->f[i].p);
		len += snprintf(out + len, sizeof out - len, "/");
	}
	fo_csv_close(c);
	close(fd[0]);
	return out;
}

int
main(void)
{
	static const char pdf[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
	static const char le[] = "I\0n\0v\0o\0i\0c\0e\0,\0V\0\n\0";
	static const char be[] = "\0I\0n\0v\0o\0i\0c\0e\0,\0V\0\n";
	char zip[64], nuls[64];

	ok(fo_filekind("", 0) == FO_FILE_EMPTY, "zero bytes: empty");
	KIND("\xef\xbb\xbf", FO_FILE_EMPTY, "a UTF-8 BOM alone: empty");
	KIND("\xff\xfe", FO_FILE_EMPTY, "a UTF-16 BOM alone: empty");
	KIND("\xef\xbb\xbf\n", FO_FILE_TEXT, "a BOM and a line: text");
	KIND("Invoice,Amount\n1,2\n", FO_FILE_TEXT, "CSV: text");
	KIND(pdf, FO_FILE_PDF, "%PDF-: a PDF");
	KIND("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", FO_FILE_OLE2,
	    "OLE2 magic: an old .xls");
	KIND("\x1f\x8b\x08\0", FO_FILE_GZIP, "gzip");
	KIND("BZh91AY&SY", FO_FILE_BZIP2, "bzip2");
	KIND("\xfd" "7zXZ\0\0", FO_FILE_XZ, "xz");
	KIND("\x89PNG\r\n\x1a\n", FO_FILE_PNG, "PNG");
	KIND("\x7f" "ELF\2\1", FO_FILE_ELF, "ELF");
	memset(zip, 0, sizeof zip);
	memcpy(zip, "PK\3\4", 4);
	memcpy(zip + 30, "word/document.xml", 17);
	ok(fo_filekind(zip, sizeof zip) == FO_FILE_ZIP, "a zip, not a workbook");
	memcpy(zip + 30, "xl/worksheets/a.x", 17);
	ok(fo_filekind(zip, sizeof zip) == FO_FILE_XLSX,
	    "a zip whose member is under xl/: a workbook");
	ok(fo_filekind(le, sizeof le - 1) == FO_FILE_TEXT,
	    "UTF-16LE without a BOM: text, not binary");
	ok(fo_filekind(be, sizeof be - 1) == FO_FILE_TEXT,
	    "UTF-16BE without a BOM: text");
	memset(nuls, 0, sizeof nuls);
	memcpy(nuls, "DATA", 4);
	ok(fo_filekind(nuls, sizeof nuls) == FO_FILE_BINARY,
	    "mostly NULs, no magic: binary");
	KIND("a,b\n1,\0\n3,4\n", FO_FILE_TEXT, "one stray NUL: still text");
	is_str(fo_filekind_name(FO_FILE_PDF), "a PDF document", "a PDF's name");

	ok(fo_utf16_sniff(le, sizeof le - 1) == 'l', "NUL after: UTF-16LE");
	ok(fo_utf16_sniff(be, sizeof be - 1) == 'b', "NUL before: UTF-16BE");
	ok(fo_utf16_sniff("I\0n\0", 4) == 0, "too short to tell");
	ok(fo_utf16_sniff("Invoice,Vendor\n", 15) == 0, "ASCII: not UTF-16");

	is_str(enc_of("a,b\n1,2\n", 8, "auto"), "utf-8", "ASCII: utf-8");
	is_str(enc_of("a\n\xfc\n\xe9\n", 6, "auto"), "windows-1252",
	    "only stray bytes: windows-1252");
	is_str(enc_of("a\n\xc3\xbc\n\xc3\xa9\n\xe9\n", 10, "auto"), "utf-8",
	    "two UTF-8 characters, one stray byte: utf-8");
	is_str(enc_of("a\n\xc3\xbc\n\xe9\n", 7, "auto"), "utf-8",
	    "one each: a tie stays utf-8");
	is_str(enc_of("a\n\xc3\xbc\n\xe9\xfc\n", 8, "auto"), "windows-1252",
	    "two stray bytes, one UTF-8 character: windows-1252");
	is_str(enc_of(le, sizeof le - 1, "utf-8"), "utf-16le",
	    "UTF-16LE without a BOM beats -e utf-8");
	is_str(enc_of(le, sizeof le - 1, "utf-16be"), "utf-16be",
	    "but not -e utf-16be");

	is_str(rows_of("a,b\n1,2\n\xef\xbb\xbf" "a,b\n3,4\n", 19),
	    "a|b/1|2/@3a|b/3|4/", "a BOM at a line start: removed, told");
	is_str(rows_of("a,b\n1,\xef\xbb\xbf" "2\n", 11),
	    "a|b/@21|2/", "a BOM mid-line: removed from the value");
	is_str(rows_of("\xef\xbb\xbf" "a,b\n1,2\n", 11), "a|b/1|2/",
	    "the BOM at the start: removed, not told");
	is_str(rows_of("a,b\n\xef\xbb\xbf", 7), "a|b/",
	    "a BOM alone at the end: nothing left");
	is_str(rows_of("a,b\n\xef\xbb\xbf\n\xef\xbb\xbf\n", 12),
	    "a|b/@2/@3/", "two lines of a BOM each: each told");
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
