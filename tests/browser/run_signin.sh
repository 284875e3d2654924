#!/bin/bash
# tests/browser/run_signin.sh: sign-in and the signed-in pages in Chromium
# (signin.mjs), as a TAP test. Makes a small synthetic store with one user
# per role and the example documents (one overdue for its yearly review,
# owned by anna.coord); signin.mjs serves it (lib.mjs). Needs $KNOD, $SRCDIR;
# screenshots go to $ARTEFACTS (default: the build folder's browser-artefacts/).
. "$SRCDIR/tests/browser/lib.sh"
store 300 7
add_user admin.demo --role admin
add_user anna.coord --role coordinator --region 12
# anna.coord owns the working group's documents: a yearly review is overdue
k docs import "$SRCDIR/data/examples/docs"
k docs owner "Nationella arbetsgruppen för självskadebeteende" --user anna.coord
# a person of region 12 (in anna.coord's scope) and one of 01 with no care in 12
OWN=$(sqlite3 "$T/k/knod.db" "SELECT pseudonym FROM person WHERE region_code = '12' LIMIT 1")
FOREIGN=$(sqlite3 "$T/k/knod.db" "SELECT p.pseudonym FROM person p WHERE p.region_code = '01'
    AND NOT EXISTS (SELECT 1 FROM contact k JOIN care_unit u ON u.id = k.unit_id
    WHERE k.person_id = p.id AND u.region_code = '12') LIMIT 1")
[ -n "$OWN" ] && [ -n "$FOREIGN" ] || fail "no persons to look at"
KNOD_OWN="$OWN" KNOD_FOREIGN="$FOREIGN" run_node signin.mjs
