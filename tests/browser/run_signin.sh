#!/bin/bash
# tests/browser/run_signin.sh: sign-in and the signed-in pages in Chromium
# (signin.mjs), as a TAP test. Makes a small synthetic store with one user
# per role, serves it with `knod serve` on a free loopback port, runs the
# browser checks and stops the server. Needs $KNOD, $SRCDIR; screenshots go
# to $ARTEFACTS (default: the build folder's browser-artefacts/).
set -u
T=$(mktemp -d /tmp/knod-signin-XXXXXX)
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
add() { printf '%s' "$PW" | "$KNOD" user add "$@" --dir "$T/k" >/dev/null 2>&1 || fail "user add $1"; }
add admin.demo --role admin
add anna.coord --role coordinator --region 12
# a person of region 12 (in anna.coord's scope) and one of 01 with no care in 12
OWN=$(sqlite3 "$T/k/knod.db" "SELECT pseudonym FROM person WHERE region_code = '12' LIMIT 1")
FOREIGN=$(sqlite3 "$T/k/knod.db" "SELECT p.pseudonym FROM person p WHERE p.region_code = '01'
    AND NOT EXISTS (SELECT 1 FROM contact k JOIN care_unit u ON u.id = k.unit_id
    WHERE k.person_id = p.id AND u.region_code = '12') LIMIT 1")
[ -n "$OWN" ] && [ -n "$FOREIGN" ] || fail "no persons to look at"
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
    KNOD_URL="http://127.0.0.1:$port" ARTEFACTS="$ART" KNOD_PW="$PW" KNOD_OWN="$OWN" KNOD_FOREIGN="$FOREIGN" \
    node signin.mjs
