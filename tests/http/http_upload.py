#!/usr/bin/env python3
"""tests/http/http_upload.py: uploads in the portal (/upload) over real
HTTP (TAP).

Makes a small synthetic store with registrars of region 12 and 03, starts
`knod serve` with [web] upload_max_mb = 1 and checks: the form (multipart,
CSRF, the kinds); a good CSV file is imported in the background (303 to its
status page, stored, counted as an import run, audited, and the portal's
results move on to a new generation); a file with a bad row is rejected
whole (nothing stored) with its reject report as a table and as CSV (line,
field, reason; never the personnummer); rows outside the uploader's region
are rejected rows naming the field; FHIR NDJSON is taken by its name, stored
for a registrar of its region and refused row by row for another; a file too
large gets the 413 page (by Content-Length and while streaming); CSRF
missing is 403 with nothing queued; another user may not read a report (an
administrator may); a wrong content type is 415; an empty file and a file
without a kind come back as the form with its error; a truncated multipart
body is 400; no temporary file is left behind; the status page and the
list survive a restart.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import csv
import http.client
import json
import os
import re
import select
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import knodhttp as kh  # noqa: E402

ok, knod, Browser, PW = kh.ok, kh.knod, kh.Browser, kh.PW
KNOD = kh.KNOD
BOUNDARY = 'knodtestboundary7MA4YWxk'


def multipart(fields, filename=None, data=b'', boundary=BOUNDARY, close=True):
    out = b''
    for k, v in fields.items():
        out += ('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                % (boundary, k, v)).encode()
    if filename is not None:
        out += ('--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
                'Content-Type: application/octet-stream\r\n\r\n' % (boundary, filename)).encode()
        out += data + b'\r\n'
    if close:
        out += ('--%s--\r\n' % boundary).encode()
    return out


def upload(b, filename, data, kind='auto', csrf=True, close=True):
    tok = b.form_token('/upload') if csrf else None
    fields = {'csrf': tok} if tok else {}
    fields['kind'] = kind
    body = multipart(fields, filename, data, close=close)
    return b.req('POST', '/upload', body=body,
                 ctype='multipart/form-data; boundary=' + BOUNDARY)


def wait_done(b, loc, timeout=120):
    """The status page once the import has ended (it refreshes itself till then)."""
    deadline = time.time() + timeout
    seen_refresh = False
    while True:
        r = b.get(loc)
        state = re.search(r'data-state="(\w+)"', r.text())
        state = state.group(1) if state else None
        if state in ('queued', 'running'):
            seen_refresh |= 'http-equiv="refresh"' in r.text() and '<progress' in r.text()
            if time.time() > deadline:
                return r, state, seen_refresh
            time.sleep(0.1)
            continue
        return r, state, seen_refresh


def rejects_of(page):
    rows = re.findall(r'<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>',
                      page)
    return rows


def js(r):
    return json.loads(r.text()) if r.status == 200 else {}


def count(db, sql, *args):
    c = sqlite3.connect(db)
    try:
        return c.execute(sql, args).fetchone()[0]
    finally:
        c.close()


def digits(pnr):
    return re.sub(r'\D', '', pnr)


def pick(db, syn):
    """Acts of persons who live in region 12, and of one who lives in region
    01 without a contact in 12, as CSV rows (the synthetic files' pnr)."""
    c = sqlite3.connect(db)
    home = {r[0]: r[1] for r in c.execute('SELECT source_id, region_code FROM person')}
    with12 = {r[0] for r in c.execute(
        "SELECT DISTINCT p.source_id FROM person p JOIN contact k ON k.person_id = p.id "
        "JOIN care_unit cu ON cu.id = k.unit_id WHERE cu.region_code = '12'")}
    unit01 = c.execute("SELECT code FROM care_unit WHERE region_code = '01' ORDER BY code "
                       "LIMIT 1").fetchone()[0]
    c.close()
    pnr_of = {}
    with open(os.path.join(syn, 'persons.csv'), newline='') as f:
        for row in csv.DictReader(f):
            pnr_of[row['pnr']] = row['source_id']
    own, foreign = [], []
    with open(os.path.join(syn, 'self_harm.csv'), newline='') as f:
        for row in csv.DictReader(f):
            sid = pnr_of.get(row['pnr'])
            if home.get(sid) == '12':
                own.append(row)
            elif home.get(sid) == '01' and sid not in with12:
                foreign.append(row)
    return own, foreign, unit01


def acts_csv(rows, prefix):
    lines = ['source_system,source_id,pnr,time,cause_code,contact_id']
    for i, r in enumerate(rows):
        lines.append('%s,%s%d,%s,%s,%s,%s' % (r['source_system'], prefix, i, r['pnr'], r['time'],
                                              r['cause_code'], r['contact_id']))
    return ('\n'.join(lines) + '\n').encode()


def raw_post(path, headers, chunks, cookie):
    """A POST whose body is sent in pieces (chunked when there is no
    Content-Length), reading the answer even if the server stops reading."""
    c = http.client.HTTPConnection('127.0.0.1', kh.PORT, timeout=60)
    c.putrequest('POST', path)
    chunked = 'Content-Length' not in headers
    for k, v in headers.items():
        c.putheader(k, v)
    if chunked:
        c.putheader('Transfer-Encoding', 'chunked')
    c.putheader('Cookie', cookie)
    c.endheaders()
    try:
        for piece in chunks:
            if select.select([c.sock], [], [], 0.05)[0]:
                break  # the server has answered before the end: read it
            if chunked:
                c.send(b'%x\r\n%s\r\n' % (len(piece), piece))
            else:
                c.send(piece)
        if chunked:
            c.send(b'0\r\n\r\n')
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        pass
    try:
        r = c.getresponse()
        return r.status, r.read().decode('utf-8', 'replace')
    except (http.client.HTTPException, ConnectionResetError, OSError) as e:
        return None, str(e)
    finally:
        c.close()


def check(d, db, syn, gen_of):
    own, foreign, unit01 = pick(db, syn)
    ok(len(own) >= 6 and len(foreign) >= 1, 'the synthetic store has acts to upload',
       (len(own), len(foreign)))
    reg = Browser()
    reg.signin('reg.region')
    r = reg.get('/upload')
    ok(r.status == 200 and 'enctype="multipart/form-data"' in r.text() and
       'name="csrf"' in r.text() and 'value="self_harm"' in r.text() and
       'type="file"' in r.text(), 'GET /upload: the form, multipart, with CSRF and the kinds')
    ok('href="/upload"' in reg.get('/register').text(),
       'the registration pages link to /upload')
    acts0 = count(db, 'SELECT count(*) FROM self_harm_act')
    runs0 = count(db, 'SELECT count(*) FROM import_run')

    # A good file: stored in the background, counted as an import run.
    gen0 = gen_of()
    good = acts_csv(own[:5], 'up-good-')
    r = upload(reg, 'self_harm.csv', good)
    loc = r.h('Location') or ''
    ok(r.status == 303 and re.fullmatch(r'/upload/\d+', loc), 'POST /upload: 303 to its status page',
       (r.status, loc, r.text()[:300]))
    good_id = loc.rsplit('/', 1)[-1]
    r, state, _ = wait_done(reg, loc)
    ok(state == 'stored' and 'id="rejects"' not in r.text(),
       'the good file is stored, with no reject report', r.text()[:2000])
    ok(count(db, "SELECT count(*) FROM self_harm_act WHERE source_id LIKE 'up-good-%'") == 5,
       'its 5 rows are in the store')
    ok(count(db, "SELECT count(*) FROM import_run WHERE file_name = ?",
             'upload %s: self_harm.csv' % good_id) == 1,
       'recorded as an import run (the results follow it)')
    j = js(reg.get('/api/v1/uploads/' + good_id))
    ok(j.get('state') == 'stored' and j.get('stored') == 5 and j.get('rows_total') == 5 and
       j.get('rows_read') == 5 and j.get('rejects') == [] and j.get('kind') == 'self_harm',
       '/api/v1/uploads/{id}: the outcome as JSON', j)
    deadline = time.time() + 600
    while time.time() < deadline and gen_of() <= gen0:
        time.sleep(0.2)
    ok(gen_of() > gen0, 'the portal computes new results after the upload (generation %d -> %d)'
       % (gen0, gen_of()))

    # A bad row: the whole file is rejected, the report names line and field.
    bad_rows = own[5:8]
    bad = acts_csv(bad_rows, 'up-bad-').decode().splitlines()
    f = bad[2].split(',')
    f[3] = '2020-13-26T14:55:42'
    bad[2] = ','.join(f)
    r = upload(reg, 'acts-with-a-bad-row.csv', ('\n'.join(bad) + '\n').encode(), kind='self_harm')
    loc = r.h('Location') or ''
    bad_id = loc.rsplit('/', 1)[-1]
    r, state, _ = wait_done(reg, loc)
    rows = rejects_of(r.text())
    ok(state == 'rejected' and rows == [('3', '', 'time', rows[0][3] if rows else '')],
       'a bad row: the file is rejected, the table names line 3 and field time', rows)
    ok(count(db, "SELECT count(*) FROM self_harm_act WHERE source_id LIKE 'up-bad-%'") == 0,
       'nothing of that file is stored (all or nothing)')
    ok('month 13' in r.text() and 'rejects.csv' in r.text(), 'the reason, and the CSV link')
    rc = reg.get('/upload/%s/rejects.csv' % bad_id)
    lines = rc.text().splitlines()
    ok(rc.status == 200 and 'text/csv' in (rc.h('Content-Type') or '') and
       lines[0] == 'line,place,field,reason,warning' and lines[1].startswith('3,,time,') and
       len(lines) == 2 and 'attachment' in (rc.h('Content-Disposition') or ''),
       'GET /upload/{id}/rejects.csv: the report as CSV', rc.text())
    pnrs = [digits(x['pnr']) for x in bad_rows]
    ok(not any(p[-10:] in digits(r.text() + rc.text()) for p in pnrs),
       'neither the page nor the CSV holds a personnummer')

    # Rows outside the uploader's region.
    mixed = acts_csv(own[8:9] + foreign[:1], 'up-scope-')
    r = upload(reg, 'self_harm.csv', mixed)
    r, state, _ = wait_done(reg, r.h('Location') or '/upload/0')
    rows = rejects_of(r.text())
    ok(state == 'rejected' and len(rows) == 1 and rows[0][0] == '3' and rows[0][2] == 'pnr' and
       'region' in rows[0][3],
       'a row of a person outside region 12: rejected, naming the field and the scope', rows)
    ok(count(db, "SELECT count(*) FROM self_harm_act WHERE source_id LIKE 'up-scope-%'") == 0,
       'and nothing of the file is stored')
    with open(os.path.join(syn, 'contacts.csv'), newline='') as fh:
        rd = csv.reader(fh)
        head = next(rd)
        first = next(rd)
    first[1] = 'up-unit-1'
    first[3] = unit01
    text = (','.join(head) + '\n' + ','.join(first) + '\n').encode()
    r = upload(reg, 'contacts.csv', text)
    r, state, _ = wait_done(reg, r.h('Location') or '/upload/0')
    rows = rejects_of(r.text())
    ok(state == 'rejected' and len(rows) == 1 and rows[0][2] == 'unit' and unit01 in rows[0][3],
       'a contact at a unit of region 01: rejected at its field unit', rows)

    # FHIR NDJSON, told by its name: the Patients live in region 03.
    nd = open(os.path.join(os.environ['SRCDIR'], 'tests/data/fhir/bulk/Patient.ndjson'),
              'rb').read()
    r = upload(reg, 'Patient.ndjson', nd)
    r, state, _ = wait_done(reg, r.h('Location') or '/upload/0')
    rows = rejects_of(r.text())
    ok(state == 'rejected' and rows and all(x[2] == 'municipality' and 'Patient/' in x[1]
                                            for x in rows),
       'FHIR Patients of region 03 uploaded by region 12: each refused by its municipality',
       rows)
    r3 = Browser()
    r3.signin('reg.03')
    r = upload(r3, 'Patient.ndjson', nd)
    fhir_loc = r.h('Location') or '/upload/0'
    r, state, _ = wait_done(r3, fhir_loc)
    ok(state == 'stored' and js(r3.get('/api/v1/uploads/' + fhir_loc.rsplit('/', 1)[-1]))
       .get('format') == 'fhir', 'the same file by a registrar of region 03: stored as FHIR',
       r.text()[:1500])

    # Too large: by Content-Length at once, and while streaming.
    cookie = '; '.join('%s=%s' % kv for kv in reg.jar.items())
    big = multipart({'csrf': reg.form_token('/upload'), 'kind': 'auto'}, 'self_harm.csv',
                    b'x' * (1536 * 1024))
    status, text = raw_post('/upload', {
        'Content-Type': 'multipart/form-data; boundary=' + BOUNDARY,
        'Content-Length': str(len(big))}, [big[:4096]], cookie)
    ok(status == 413 and '<html' in text and 'upload_max_mb' in text and '1 MB' in text,
       'a file beyond upload_max_mb (Content-Length): the 413 page', (status, text[:300]))
    status, text = raw_post('/upload', {
        'Content-Type': 'multipart/form-data; boundary=' + BOUNDARY},
        [big[i:i + 65536] for i in range(0, len(big), 65536)], cookie)
    ok(status == 413 and 'upload_max_mb' in text,
       'a file beyond upload_max_mb sent without a length: 413 while streaming',
       (status, text[:300]))

    n_up = count(db, 'SELECT count(*) FROM upload')
    r = upload(reg, 'self_harm.csv', good, csrf=False)
    ok(r.status == 403 and count(db, 'SELECT count(*) FROM upload') == n_up,
       'CSRF missing: 403, nothing queued', r.status)
    r = reg.req('POST', '/upload', body='just text', ctype='text/plain')
    ok(r.status == 415, 'a text/plain body: 415', r.status)
    r = reg.post('/upload', {'csrf': reg.form_token('/upload'), 'kind': 'auto'})
    ok(r.status == 415 and 'multipart/form-data' in r.text(),
       'a urlencoded form without a file: 415 saying how to upload', r.status)
    r = upload(reg, 'self_harm.csv', b'')
    ok(r.status == 200 and 'error-summary' in r.text() and 'Filen är tom' in r.text() and
       'aria-invalid="true"' in r.text() and count(db, 'SELECT count(*) FROM upload') == n_up,
       'an empty file: the form again with its error, nothing queued')
    r = upload(reg, 'export.csv', good)
    ok(r.status == 200 and 'error-summary' in r.text() and 'välj slaget' in r.text(),
       'a CSV file whose name tells no kind: the form asks for the kind')
    r = upload(reg, 'self_harm.csv', good, close=False)
    ok(r.status == 400 and count(db, 'SELECT count(*) FROM upload') == n_up,
       'a truncated multipart body (no closing boundary): 400', r.status)

    # Who may read a report.
    other = Browser()
    other.signin('reg.other')
    for path in ('/upload/%s' % bad_id, '/upload/%s/rejects.csv' % bad_id,
                 '/api/v1/uploads/%s' % bad_id):
        ok(other.get(path).status == 403, 'another registrar of the region: %s is 403' % path)
    adm = Browser()
    adm.signin('admin.nation')
    ok(adm.get('/upload/%s' % bad_id).status == 200 and
       adm.get('/upload/%s/rejects.csv' % bad_id).status == 200,
       'an administrator may read it')
    ok(other.get('/upload/999999').status == 404, 'no such upload: 404')
    ok(('self_harm.csv' not in other.get('/upload').text()) and
       'acts-with-a-bad-row.csv' in reg.get('/upload').text(),
       "/upload lists the user's own uploads only")

    acts1 = count(db, 'SELECT count(*) FROM self_harm_act')
    ok(acts1 == acts0 + 5, 'in all, only the good file added acts', (acts0, acts1))
    ok(count(db, 'SELECT count(*) FROM import_run') > runs0, 'import runs recorded')
    aud = subprocess.run([KNOD, 'audit', 'show', '--dir', d, '--user', 'reg.region'],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout.decode()
    ok(re.search(r'upload\b.*upload/%s' % good_id, aud) and
       re.search(r'upload-done.*upload/%s.*5 stored, 0 rejected' % good_id, aud) and
       re.search(r'upload-done.*upload/%s.*rejected' % bad_id, aud),
       'uploads are audited: who, which, kind, rows stored and rejected', aud[-1500:])
    ok(subprocess.run([KNOD, 'audit', 'verify', '--dir', d],
                      stdout=subprocess.PIPE).returncode == 0, 'the audit chain holds')
    return reg, bad_id


def main():
    tmp = tempfile.mkdtemp(prefix='knod-upload-')
    try:
        d = kh.store(tmp, persons=300, seed=5)
        ini = os.path.join(d, 'knod.ini')
        text = open(ini).read()
        open(ini, 'w').write(re.sub(r'(?m)^upload_max_mb = \d+', 'upload_max_mb = 1', text))
        syn = os.path.join(tmp, 'synth')
        db = os.path.join(d, 'knod.db')
        kh.add_users(d, [('reg.region', 'registrar', ['--region', '12']),
                         ('reg.other', 'registrar', ['--region', '12']),
                         ('reg.03', 'registrar', ['--region', '03']),
                         ('admin.nation', 'admin', [])])
        with kh.Server(d, tmp, '--id', 'ref-a') as s:
            s.wait_ready(600)
            anon = Browser()
            r = anon.get('/upload')
            ok(r.status == 303 and r.h('Location') == '/login?next=%2Fupload',
               'anonymous: /upload asks to sign in', r.status)
            reg, bad_id = check(d, db, syn, lambda: s.status().get('generation', 0))
            ok(not [f for f in os.listdir(d) if f.startswith('.knod-upload-')],
               'no temporary upload file is left in the store directory', os.listdir(d))
            text = s.log_text()
        with kh.Server(d, tmp, '--id', 'ref-a'):
            reg2 = Browser()
            reg2.signin('reg.region')
            r = reg2.get('/upload/%s' % bad_id)
            ok(r.status == 200 and 'data-state="rejected"' in r.text() and
               len(rejects_of(r.text())) == 1 and
               'acts-with-a-bad-row.csv' in reg2.get('/upload').text(),
               'after a restart: the status page, its report and the list are still there')
        with open(os.path.join(syn, 'persons.csv'), newline='') as f:
            pnrs = [row['pnr'] for row in csv.DictReader(f)]
        ok(not [p for p in pnrs if p in text or digits(p) in text],
           'the server log has no personnummer')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


if __name__ == '__main__':
    main()
