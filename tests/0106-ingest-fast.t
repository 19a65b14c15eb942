#!/bin/sh
# The CSV reader's own line splitter against libcsv (tests/unit/t-csvfast.c).
. "$(dirname "$0")/lib.sh"
exec "$FO_BIN/t-csvfast"
