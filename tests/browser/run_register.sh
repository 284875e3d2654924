#!/bin/bash
# tests/browser/run_register.sh: registering care in Chromium (register.mjs),
# as a TAP test. Makes a small synthetic store with a registrar of region 12,
# serves it with `knod serve` on a free loopback port, runs the browser
# checks and stops the server. Needs $KNOD, $SRCDIR; screenshots go to
# $ARTEFACTS (default: the build folder's browser-artefacts/).
set -u
T=$(mktemp -d /tmp/knod-register-XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "not ok 1 - $1"; echo "1..1"; exit 1; }

[ -d "$SRCDIR/tests/browser/node_modules/playwright-core" ] ||
    fail "playwright-core is not installed (tools/install-npm.sh)"
PW='korrekt-häst-batteri'
"$KNOD" init --dir "$T/k" >/dev/null 2>&1 || fail "knod init"
"$KNOD" synth --persons 300 --seed 7 --out "$T/synth" >/dev/null 2>&1 || fail "knod synth"
"$KNOD" import --quiet --dir "$T/k" "$T/synth" >/dev/null 2>&1 || fail "knod import"
printf '%s' "$PW" | "$KNOD" user add rut.registrar --role registrar --region 12 --dir "$T/k" \
    >/dev/null 2>&1 || fail "user add"
# a living person of region 12: the source id from the store, the number from the
# synthetic persons file (the store has none)
SID=$(sqlite3 "$T/k/knod.db" "SELECT source_id FROM person WHERE region_code = '12'
    AND death_date IS NULL ORDER BY id LIMIT 1")
PNR=$(awk -F, -v s="$SID" '$2 == s { print $3 }' "$T/synth/persons.csv")
[ -n "$PNR" ] || fail "no person of region 12"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$KNOD" serve --dir "$T/k" --listen "127.0.0.1:$port" --id ref-a >"$T/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/login" && break
    sleep 0.2
done
curl -fs -o /dev/null "http://127.0.0.1:$port/login" || fail "knod serve did not answer: $(tail -5 "$T/serve.log")"
ART=${ARTEFACTS:-$PWD/browser-artefacts}
cd "$SRCDIR/tests/browser" &&
    KNOD_URL="http://127.0.0.1:$port" ARTEFACTS="$ART" KNOD_PW="$PW" KNOD_PNR="$PNR" \
    node register.mjs
