#!/bin/bash
# tests/browser/run_survey.sh: a survey answered and its results in
# Chromium (survey.mjs), as a TAP test. Makes a store with the example
# survey (data/examples/surveys) and its synthetic paper answers, sends
# links; survey.mjs serves it (lib.mjs). Needs $KNOD, $SRCDIR; screenshots
# go to $ARTEFACTS (default: the build folder's browser-artefacts/).
. "$SRCDIR/tests/browser/lib.sh"
EX="$SRCDIR/data/examples/surveys"
store
k survey create "$EX/sodra-uppfoljning.json"
"$KNOD" survey send 1 --to region:12 --count 3 --out "$T/links" --dir "$T/k" >/dev/null 2>&1 ||
    fail "survey send"
k survey answer 1 "$EX/sodra-uppfoljning-svar.csv"
add_user anna.coord --role coordinator --region 12
KNOD_TOKENS=$(cut -c4- "$T/links" | paste -sd,) run_node survey.mjs
