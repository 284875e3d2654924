#!/bin/bash
# tests/browser/run_hub_refs.sh: the evidence and practice register's pages
# in Chromium (hub_refs.mjs), as a TAP test. Makes a store with the example
# references and practices (data/examples/hub), serves it on a free
# loopback port, runs the checks and stops the server.
# Needs $KNOD, $SRCDIR; screenshots go to $ARTEFACTS.
set -u
T=$(mktemp -d /tmp/knod-browser-refs-XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "not ok 1 - $1"; echo "1..1"; exit 1; }

[ -d "$SRCDIR/tests/browser/node_modules/playwright-core" ] ||
    fail "playwright-core is not installed (tools/install-npm.sh)"
"$KNOD" init --dir "$T/k" >/dev/null 2>&1 || fail "knod init"
"$KNOD" refs import "$SRCDIR/data/examples/hub/references.ris" --dir "$T/k" >/dev/null ||
    fail "knod refs import"
while IFS= read -r line; do
    case "$line" in '#'* | '') continue ;; esac
    eval "set -- $line"
    "$KNOD" practice add --dir "$T/k" "$@" >/dev/null || fail "knod practice add"
done < "$SRCDIR/data/examples/hub/practices.txt"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$KNOD" serve --dir "$T/k" --listen "127.0.0.1:$port" >"$T/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/references" && break
    sleep 0.2
done
curl -fs -o /dev/null "http://127.0.0.1:$port/references" ||
    fail "knod serve did not answer: $(tail -5 "$T/serve.log")"
ART=${ARTEFACTS:-$PWD/browser-artefacts}
cd "$SRCDIR/tests/browser" &&
    KNOD_URL="http://127.0.0.1:$port" ARTEFACTS="$ART" node hub_refs.mjs
