#!/bin/bash
# tests/browser/run_hub.sh: the knowledge hub's public pages in Chromium
# (hub.mjs), as a TAP test. Makes a small synthetic store with the example
# documents (data/examples/docs) and one published in two versions, the
# example references and practices (data/examples/hub) with a document
# and steps linking them; hub.mjs serves it (lib.mjs). Needs $KNOD, $SRCDIR; screenshots go to
# $ARTEFACTS (default: the build folder's browser-artefacts/).
. "$SRCDIR/tests/browser/lib.sh"
store 3000 7
"$KNOD" docs import "$SRCDIR/data/examples/docs" --dir "$T/k" >/dev/null 2>&1 || fail "docs import"
"$KNOD" refs import "$SRCDIR/data/examples/hub/references.ris" --dir "$T/k" >/dev/null ||
    fail "refs import"
while IFS= read -r line; do
    case "$line" in '#'* | '') continue ;; esac
    eval "set -- $line"
    "$KNOD" practice add --dir "$T/k" "$@" >/dev/null || fail "practice add"
done < "$SRCDIR/data/examples/hub/practices.txt"
"$KNOD" refs link 2 --step child/follow-up --dir "$T/k" >/dev/null || fail "refs link"
"$KNOD" docs import "$SRCDIR/data/examples/hub/docs" --dir "$T/k" >/dev/null || fail "docs import links"
mkdir -p "$T/d"
doc() { # doc DECIDED TEXT: the test document, published on DECIDED
    printf -- '---\nid: versioner\ntitle: Två versioner\nsummary: Ett test.\naudience: care-staff\nlanguage: sv\nowner: Test\nstatus: published\ndecided: %s\n---\n# Två versioner\n\n%s\n' "$1" "$2" > "$T/d/versioner.md"
}
doc 2025-01-10 'Den första texten om stöd.'
"$KNOD" docs import "$T/d" --dir "$T/k" >/dev/null 2>&1 || fail "docs import v1"
doc 2025-06-10 'Den andra texten om bättre stöd.'
"$KNOD" docs import "$T/d" --dir "$T/k" >/dev/null 2>&1 || fail "docs import v2"
run_node hub.mjs
