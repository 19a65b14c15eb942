#!/bin/sh
# What a file is by its first bytes, and the encoding the reader settles
# (tests/unit/t-filekind.c).
. "$(dirname "$0")/lib.sh"
exec "$FO_BIN/t-filekind"
