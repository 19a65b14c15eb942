/*
 * fuzz-mt940.c - the MT940 reader under the checks of statement.h.
 */
#define STMT mt940
#include "statement.h"
