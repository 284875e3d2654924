#!/bin/bash
# tests/browser/run_upload.sh: uploading a file in Chromium (upload.mjs), as
# a TAP test. Makes a small synthetic store with a registrar of region 12
# and a file of self-harm acts of region 12 with one bad row, serves the
# store with `knod serve` on a free loopback port, runs the browser checks
# and stops the server. Needs $KNOD, $SRCDIR; screenshots go to $ARTEFACTS
# (default: the build folder's browser-artefacts/).
set -u
T=$(mktemp -d /tmp/knod-upload-XXXXXX)
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
# Three acts of persons of region 12 under new ids, the second with a month 13.
python3 - "$T/k/knod.db" "$T/synth" "$T/self_harm.csv" <<'PY' || fail "no acts of region 12"
import csv, sqlite3, sys
db, syn, out = sys.argv[1:]
c = sqlite3.connect(db)
home = dict(c.execute('SELECT source_id, region_code FROM person'))
pnr_of = {r['pnr']: r['source_id'] for r in csv.DictReader(open(syn + '/persons.csv'))}
acts = [r for r in csv.DictReader(open(syn + '/self_harm.csv'))
        if home.get(pnr_of.get(r['pnr'])) == '12'][:3]
assert len(acts) == 3
acts[1]['time'] = '2020-13-02T10:00:00'
with open(out, 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['source_system', 'source_id', 'pnr', 'time', 'cause_code', 'contact_id'])
    for i, r in enumerate(acts):
        w.writerow([r['source_system'], 'browser-up-%d' % i, r['pnr'], r['time'],
                    r['cause_code'], r['contact_id']])
PY
PNR=$(sed -n 3p "$T/self_harm.csv" | cut -d, -f3)
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
    KNOD_FILE="$T/self_harm.csv" node upload.mjs
