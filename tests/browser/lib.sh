# tests/browser/lib.sh: the store a browser suite runs on (sourced by run_*.sh).
#
#   . "$SRCDIR/tests/browser/lib.sh"     # $T, fail, k, store, add_user, run_node
#   store 300 7                          # knod init, synth PERSONS SEED, import
#   add_user anna.coord --role coordinator --region 12   # password $PW
#   run_node survey.mjs                  # KNOD_DIR=$T/k, ARTEFACTS; exec node
#
# The .mjs starts `knod serve` on the store itself through lib.mjs (serve()),
# so a suite has one server and one Chromium. A failure before node runs is
# one "not ok" line and the plan. Needs $KNOD and $SRCDIR.
set -u
T=$(mktemp -d /tmp/knod-browser-XXXXXX)
trap 'rm -rf "$T"' EXIT
PW='korrekt-häst-batteri'

fail() { echo "not ok 1 - $1"; echo "1..1"; exit 1; }

[ -d "$SRCDIR/tests/browser/node_modules/playwright-core" ] ||
    fail "playwright-core is not installed (tools/install-npm.sh)"

# k ARGS...: knod ARGS --dir $T/k, quiet; a failure fails the suite.
k() { "$KNOD" "$@" --dir "$T/k" >/dev/null 2>&1 || fail "knod $*"; }

# store [PERSONS SEED]: a new store in $T/k, with a synthetic country
# (persons.csv in $T/synth) when PERSONS is given: a copy of the one
# tests/knod_store.py builds once per knod binary.
store() {
    python3 "$SRCDIR/tests/knod_store.py" "$KNOD" "$T/k" ${1:+"$1" "$2" "$T/synth"} \
        >/dev/null 2>&1 || fail "knod init, synth and import (tests/knod_store.py)"
}

# add_user NAME OPTIONS...: a user with the password $PW.
add_user() {
    printf '%s' "$PW" | "$KNOD" user add "$@" --dir "$T/k" >/dev/null 2>&1 || fail "user add $1"
}

# run_node SCRIPT: the suite's .mjs on the store (environment: KNOD_DIR,
# KNOD_PW, ARTEFACTS, and whatever the caller exported).
run_node() {
    local art=${ARTEFACTS:-$PWD/browser-artefacts}
    cd "$SRCDIR/tests/browser" || fail "no tests/browser"
    KNOD_DIR="$T/k" KNOD_PW="$PW" ARTEFACTS="$art" node "$1"
}
