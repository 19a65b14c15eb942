/*
 * ahead.c - no rules file read ahead.
 *
 * The table a program links when it brings none of its own: a tool
 * links tools/yamlc's table for the files it reads (the Makefile's
 * AHEAD_ lists), which defines fo_yahead first, so this object is
 * never taken from the archive. The unit tests, the fuzz targets and
 * yamlc itself parse every file.
 */
#include <stddef.h>

#include "fo.h"

const struct fo_yahead fo_yahead[] = { { NULL, NULL, 0, NULL, 0, NULL, 0 } };
