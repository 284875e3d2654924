#!/bin/bash
# tests/browser/run_survey.sh: a survey answered and its results in
# Chromium (survey.mjs), as a TAP test. Makes a store with the example
# survey (data/examples/surveys) and its synthetic paper answers, sends
# links, serves it with `knod serve` on a free loopback port, runs the
# browser checks and stops the server. Needs $KNOD, $SRCDIR; screenshots go
# to $ARTEFACTS (default: the build folder's browser-artefacts/).
set -u
T=$(mktemp -d /tmp/knod-survey-XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "not ok 1 - $1"; echo "1..1"; exit 1; }

[ -d "$SRCDIR/tests/browser/node_modules/playwright-core" ] ||
    fail "playwright-core is not installed (tools/install-npm.sh)"
PW='korrekt-häst-batteri'
EX="$SRCDIR/data/examples/surveys"
"$KNOD" init --dir "$T/k" >/dev/null 2>&1 || fail "knod init"
"$KNOD" survey create "$EX/sodra-uppfoljning.json" --dir "$T/k" >/dev/null 2>&1 || fail "survey create"
"$KNOD" survey send 1 --to region:12 --count 3 --out "$T/links" --dir "$T/k" >/dev/null 2>&1 ||
    fail "survey send"
"$KNOD" survey answer 1 "$EX/sodra-uppfoljning-svar.csv" --dir "$T/k" >/dev/null 2>&1 ||
    fail "survey answer"
printf '%s' "$PW" | "$KNOD" user add anna.coord --role coordinator --region 12 --dir "$T/k" \
    >/dev/null 2>&1 || fail "user add"
TOKENS=$(cut -c4- "$T/links" | paste -sd,)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$KNOD" serve --dir "$T/k" --listen "127.0.0.1:$port" >"$T/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/login" && break
    sleep 0.2
done
curl -fs -o /dev/null "http://127.0.0.1:$port/login" || fail "knod serve did not answer: $(tail -5 "$T/serve.log")"
ART=${ARTEFACTS:-$PWD/browser-artefacts}
cd "$SRCDIR/tests/browser" &&
    KNOD_URL="http://127.0.0.1:$port" ARTEFACTS="$ART" KNOD_PW="$PW" KNOD_TOKENS="$TOKENS" \
    node survey.mjs
