#!/bin/bash
# tests/browser/run_upload.sh: uploading a file in Chromium (upload.mjs), as
# a TAP test. Makes a small synthetic store with a registrar of region 12
# and a file of self-harm acts of region 12 with one bad row, serves the
# store with `knod serve --id ref-a` (upload.mjs starts it through lib.mjs),
# runs the browser checks and stops the server. Needs $KNOD, $SRCDIR;
# screenshots go to $ARTEFACTS (default: the build folder's
# browser-artefacts/).
. "$SRCDIR/tests/browser/lib.sh"
store 300 7
add_user rut.registrar --role registrar --region 12
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
KNOD_PNR=$(sed -n 3p "$T/self_harm.csv" | cut -d, -f3)
export KNOD_PNR KNOD_FILE="$T/self_harm.csv"
run_node upload.mjs
