#!/bin/bash
# tests/browser/run_hub_refs.sh: the evidence and practice register's pages
# in Chromium (hub_refs.mjs), as a TAP test. Makes a store with the example
# references and practices (data/examples/hub); hub_refs.mjs serves it
# (lib.mjs).
# Needs $KNOD, $SRCDIR; screenshots go to $ARTEFACTS.
. "$SRCDIR/tests/browser/lib.sh"
store
"$KNOD" refs import "$SRCDIR/data/examples/hub/references.ris" --dir "$T/k" >/dev/null ||
    fail "knod refs import"
while IFS= read -r line; do
    case "$line" in '#'* | '') continue ;; esac
    eval "set -- $line"
    "$KNOD" practice add --dir "$T/k" "$@" >/dev/null || fail "knod practice add"
done < "$SRCDIR/data/examples/hub/practices.txt"
run_node hub_refs.mjs
