/*
 * fuzz-camt.c - the camt reader under the checks of statement.h (one
 * error for damaged XML, then the end).
 */
#define STMT camt
#include "statement.h"
