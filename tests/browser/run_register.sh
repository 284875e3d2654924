#!/bin/bash
# tests/browser/run_register.sh: registering care in Chromium (register.mjs),
# as a TAP test. Makes a small synthetic store with a registrar of region 12
# and picks a living person of region 12 by personnummer (below); register.mjs
# serves it (lib.mjs). Needs $KNOD, $SRCDIR; screenshots go to $ARTEFACTS.
. "$SRCDIR/tests/browser/lib.sh"
store 300 7
add_user rut.registrar --role registrar --region 12
# aged 10-24 in 2024 with no self-harm act and no pathway step: the act
# registered adds one person to ref-a's 2024 count, and the first contact
# opens the person's only clocks on the worklist
SID=$(sqlite3 "$T/k/knod.db" "SELECT source_id FROM person p WHERE region_code = '12'
    AND death_date IS NULL AND birth_year BETWEEN 2000 AND 2014
    AND NOT EXISTS (SELECT 1 FROM self_harm_act a WHERE a.person_id = p.id)
    AND NOT EXISTS (SELECT 1 FROM pathway_step s WHERE s.person_id = p.id)
    ORDER BY id LIMIT 1")
PNR=$(awk -F, -v s="$SID" '$2 == s { print $3 }' "$T/synth/persons.csv")
[ -n "$PNR" ] || fail "no person of region 12"
KNOD_PNR="$PNR" run_node register.mjs
