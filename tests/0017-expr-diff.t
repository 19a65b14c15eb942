#!/bin/sh
# Native jq subset against libjq: the shipped rules and 400 generated
# expressions on the test data and generated records (a seeded run;
# bench runs it with many more: t-exprdiff 200000).
. "$(dirname "$0")/lib.sh"
exec "$FO_BIN/t-exprdiff" 400
