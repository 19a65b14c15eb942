#!/bin/sh
# What a rule's jq may not name (lib/rules/jqsafe.c, fo.7 SECURITY
# CONSIDERATIONS): the scanner's cases, one by one.
. "$(dirname "$0")/lib.sh"
exec "$FO_BIN/t-jqsafe"
