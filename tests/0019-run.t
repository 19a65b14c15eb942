#!/bin/sh
. "$(dirname "$0")/lib.sh"
exec "$FO_BIN/t-run"
