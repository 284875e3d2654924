#!/bin/bash
# tests/browser/run.sh: the portal in Chromium (portal.mjs), as a TAP test.
# Makes a small synthetic store; portal.mjs serves it (lib.mjs).
# Needs $KNOD, $SRCDIR; screenshots go to $ARTEFACTS (default: the build
# folder's browser-artefacts/).
. "$SRCDIR/tests/browser/lib.sh"
store 4000 7
run_node portal.mjs
