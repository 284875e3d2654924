#!/bin/bash
# tests/browser/run_register.sh: registering care in Chromium (register.mjs),
# as a TAP test. Makes a small synthetic store with a registrar of region 12
# and picks a living person of region 12 by personnummer; register.mjs
# serves it (lib.mjs). Needs $KNOD, $SRCDIR; screenshots go to $ARTEFACTS.
. "$SRCDIR/tests/browser/lib.sh"
store 300 7
add_user rut.registrar --role registrar --region 12
SID=$(sqlite3 "$T/k/knod.db" "SELECT source_id FROM person WHERE region_code = '12'
    AND death_date IS NULL ORDER BY id LIMIT 1")
PNR=$(awk -F, -v s="$SID" '$2 == s { print $3 }' "$T/synth/persons.csv")
[ -n "$PNR" ] || fail "no person of region 12"
KNOD_PNR="$PNR" run_node register.mjs
