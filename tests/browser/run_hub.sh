#!/bin/bash
# tests/browser/run_hub.sh: the knowledge hub's public pages in Chromium
# (hub.mjs), as a TAP test. Makes a small synthetic store with the example
# documents (data/examples/docs) and one published in two versions, serves
# it with `knod serve` on a free loopback port, runs the browser checks and
# stops the server. Needs $KNOD, $SRCDIR; screenshots go to $ARTEFACTS
# (default: the build folder's browser-artefacts/).
set -u
T=$(mktemp -d /tmp/knod-hub-XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "not ok 1 - $1"; echo "1..1"; exit 1; }

[ -d "$SRCDIR/tests/browser/node_modules/playwright-core" ] ||
    fail "playwright-core is not installed (tools/install-npm.sh)"
"$KNOD" init --dir "$T/k" >/dev/null 2>&1 || fail "knod init"
"$KNOD" synth --persons 3000 --seed 7 --out "$T/synth" >/dev/null 2>&1 || fail "knod synth"
"$KNOD" import --quiet --dir "$T/k" "$T/synth" >/dev/null 2>&1 || fail "knod import"
"$KNOD" docs import "$SRCDIR/data/examples/docs" --dir "$T/k" >/dev/null 2>&1 || fail "docs import"
mkdir -p "$T/d"
doc() { # doc DECIDED TEXT: the test document, published on DECIDED
    printf -- '---\nid: versioner\ntitle: Två versioner\nsummary: Ett test.\naudience: care-staff\nlanguage: sv\nowner: Test\nstatus: published\ndecided: %s\n---\n# Två versioner\n\n%s\n' "$1" "$2" > "$T/d/versioner.md"
}
doc 2025-01-10 'Den första texten om stöd.'
"$KNOD" docs import "$T/d" --dir "$T/k" >/dev/null 2>&1 || fail "docs import v1"
doc 2025-06-10 'Den andra texten om bättre stöd.'
"$KNOD" docs import "$T/d" --dir "$T/k" >/dev/null 2>&1 || fail "docs import v2"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$KNOD" serve --dir "$T/k" --listen "127.0.0.1:$port" >"$T/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/pathways/adult" && break
    sleep 0.2
done
curl -fs -o /dev/null "http://127.0.0.1:$port/pathways/adult" ||
    fail "knod serve did not answer: $(tail -5 "$T/serve.log")"
ART=${ARTEFACTS:-$PWD/browser-artefacts}
cd "$SRCDIR/tests/browser" && KNOD_URL="http://127.0.0.1:$port" ARTEFACTS="$ART" node hub.mjs
