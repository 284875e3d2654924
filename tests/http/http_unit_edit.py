#!/usr/bin/env python3
"""tests/http/http_unit_edit.py: the inventory's forms in the portal (TAP).

A region's coordinator adds a unit and records a change of a unit as of a
day (GET/POST /units/new, /units/{code}/change), through the rules of
`knod unit add|update`: a coordinator of region 12 changes a unit of 12,
not one of 03 (403; an administrator may); the GOV.UK error pattern names
the form's field (a day before the current version's, as the CLI refuses
it; more trained than staff; a personnummer in the note, never shown
again); without the CSRF token 403; nothing is stored by a refused form;
the change is audited, the history (page and /api/v1) shows it, what the
form did not change is carried over, and the API equals `knod unit
history`. A small store (no registry data), one server.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse

KNOD = os.environ['KNOD']
PW = 'korrekt-häst-batteri'
n = 0
failed = 0
D = None


def ok(cond, name, detail=''):
    global n, failed
    n += 1
    print('%s %d - %s' % ('ok' if cond else 'not ok', n, name))
    if not cond:
        failed += 1
        for line in str(detail).splitlines()[:20]:
            print('# ' + line)
    sys.stdout.flush()
    return cond


def knod(*args, stdin=None, check=True):
    p = subprocess.run([KNOD] + list(args), input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if check and p.returncode != 0:
        raise RuntimeError('knod %s: %s' % (' '.join(args), p.stderr.decode()))
    return p


class Browser:
    """A cookie jar and no redirect following."""

    def __init__(self, port):
        self.port = port
        self.jar = {}

    def req(self, method, path, fields=None):
        c = http.client.HTTPConnection('127.0.0.1', self.port, timeout=60)
        h = {}
        if self.jar:
            h['Cookie'] = '; '.join('%s=%s' % kv for kv in self.jar.items())
        body = None
        if fields is not None:
            h['Content-Type'] = 'application/x-www-form-urlencoded'
            body = urllib.parse.urlencode(fields).encode()
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        out = (r.status, r.getheader('Location'), r.read().decode('utf-8', 'replace'))
        for k, v in r.getheaders():
            if k.lower() == 'set-cookie':
                name, _, rest = v.partition('=')
                self.jar[name] = rest.split(';')[0]
        c.close()
        return out

    def token(self, path):
        m = re.search(r'name="csrf" value="([0-9a-f]+)"', self.req('GET', path)[2])
        return m.group(1) if m else ''

    def signin(self, user):
        s, _, _ = self.req('POST', '/login', {'csrf': self.token('/login'), 'username': user,
                                              'password': PW})
        return s == 303


def history(code):
    return json.loads(knod('unit', 'history', code, '--dir', D, '--format', 'json').stdout)


def setup():
    knod('init', '--dir', D)
    k = lambda *a: knod(*a, '--dir', D)  # noqa: E731
    k('unit', 'add', 'nhv-lund', '--name', 'NHV Lund', '--region', '12', '--type', 'nhv',
      '--setting', 'outpatient', '--ages', '13-25', '--catchment', '12,07,08,10',
      '--nhv-offers', 'consultation,assessment', '--placed-access', 'yes', '--staff', '8',
      '--as-of', '2025-02-01')
    k('unit', 'add', 'soc-uppsala', '--name', 'Socialtjänsten Uppsala', '--region', '03',
      '--type', 'municipal', '--setting', 'outpatient', '--ages', '12-20',
      '--as-of', '2025-01-01')
    for name, role, scope in (('anna.coord12', 'coordinator', ('--region', '12')),
                              ('olle.coord03', 'coordinator', ('--region', '03')),
                              ('rut.reg12', 'registrar', ('--region', '12')),
                              ('admin.nation', 'admin', ())):
        knod('user', 'add', name, '--role', role, '--dir', D, *scope, stdin=PW.encode())


def error_pattern(body, field):
    """The GOV.UK pattern: a summary before the h1 linking the field, and
    the error at the field."""
    return ('class="error-summary"' in body and body.index('error-summary') < body.index('<h1')
            and 'href="#%s"' % field in body and 'id="%s-error"' % field in body)


def check_access(port):
    anon = Browser(port)
    s, loc, body = anon.req('GET', '/units/nhv-lund')
    ok(s == 200 and '/units/nhv-lund/change' not in body, 'anonymous: the unit page, no '
       'change link', s)
    ok('<td>Ej angivet</td>' in body and '<td>Nej</td>' not in body,
       'the unit page: brief admission never given reads "not stated", not "no"')
    ok('<dd>Nationell högspecialiserad vård (NHV)</dd>' in body and
       '<td>Konsultation, Bedömning</td>' in body and '<dd>12</dd>' not in body,
       'the unit page names the type, offers and region in words, not codes')
    body = anon.req('GET', '/units?as_of=2025-06-01')[2]
    ok('>Barn- och ungdomspsykiatri (BUP)</option>' in body and '>bup</option>' not in body,
       'the units page\'s kind filter in words')
    s, loc, _ = anon.req('GET', '/units/nhv-lund/change')
    ok(s in (303, 401) and (s == 401 or loc.startswith('/login')), 'anonymous: the form '
       'asks to sign in', (s, loc))
    a = Browser(port)
    ok(a.signin('anna.coord12'), 'a coordinator of region 12 signs in')
    s, _, body = a.req('GET', '/units/nhv-lund')
    ok(s == 200 and 'href="/units/nhv-lund/change"' in body, 'the unit of 12 links its '
       'change form for its coordinator')
    s, _, body = a.req('GET', '/units/soc-uppsala')
    ok(s == 200 and '/units/soc-uppsala/change' not in body, 'a unit of 03: no change link')
    s, _, body = a.req('GET', '/units')
    ok(s == 200 and 'href="/units/new"' in body, 'the units page links the add form')
    ok('href="/units/new"' not in anon.req('GET', '/units')[2], 'not for an anonymous visitor')
    ok(a.req('GET', '/units/soc-uppsala/change')[0] == 403, 'the change form of a unit of '
       'region 03: 403')
    tok = a.token('/units/nhv-lund/change')
    s, _, _ = a.req('POST', '/units/soc-uppsala/change',
                    {'csrf': tok, 'as-of': '2025-06-01', 'waiting-days': '3'})
    ok(s == 403 and len(history('soc-uppsala')) == 1, 'posting a change to a unit of 03: 403, '
       'nothing stored', s)
    ok(a.req('GET', '/units/nope/change')[0] == 404, 'a unit that does not exist: 404')
    r = Browser(port)
    r.signin('rut.reg12')
    ok(r.req('GET', '/units/nhv-lund/change')[0] == 403 and r.req('GET', '/units/new')[0] == 403,
       'a registrar of region 12 may not edit: 403')
    ok('/units/nhv-lund/change' not in r.req('GET', '/units/nhv-lund')[2],
       'and gets no link')
    ad = Browser(port)
    ad.signin('admin.nation')
    s, _, body = ad.req('GET', '/units/soc-uppsala/change')
    ok(s == 200 and 'action="/units/soc-uppsala/change"' in body,
       'an administrator may change a unit of any region')
    return a, ad


def check_change(a):
    s, _, body = a.req('GET', '/units/nhv-lund/change')
    ok(s == 200 and 'name="ages"' in body and 'value="13-25"' in body and
       'id="f-catchment"' in body and 'value="12,07,08,10"' in body,
       'the form holds the current version, with the NHV fields', s)
    ok(re.search(r'id="f-nhv-offers"[^>]*checked', body) is not None and
       re.search(r'id="f-nhv-offers-treatment"[^>]*checked', body) is None,
       'the NHV offers ticked as stored')
    tok = a.token('/units/nhv-lund/change')
    good = {'csrf': tok, 'as-of': '2025-09-01', 'ages': '13-25', 'staff': '10',
            'trained-bemotande': '6', 'trained-dbt': '3', 'brief-admission': 'yes',
            'offers.dbt': 'yes', 'offers.cbt': 'yes', 'waiting-days': '21',
            'nhv-offers.consultation': 'yes', 'nhv-offers.assessment': 'yes',
            'nhv-offers.treatment': 'yes', 'placed-access': 'yes', 'sis-access': 'yes',
            'note': 'Ny DBT-grupp från hösten'}
    ok(a.req('POST', '/units/nhv-lund/change', dict(good, csrf=''))[0] == 403,
       'without the CSRF token: 403')

    # a day before the current version's: refused as by the CLI
    cli = knod('unit', 'update', 'nhv-lund', '--as-of', '2025-01-15', '--dir', D, check=False)
    ok(cli.returncode == 1 and b'--as-of: must be after' in cli.stderr,
       'the CLI refuses a day before the current version', cli.stderr)
    s, _, body = a.req('POST', '/units/nhv-lund/change', dict(good, **{'as-of': '2025-01-15'}))
    ok(s == 200 and error_pattern(body, 'f-as-of') and '2025-02-01' in body,
       'the form too: the error at the day, naming the current version\'s', s)
    ok('value="21"' in body and 'Ny DBT-grupp' in body, 'the values are kept')
    s, _, body = a.req('POST', '/units/nhv-lund/change', dict(good, **{'as-of': '2025-02-01'}))
    ok(s == 200 and error_pattern(body, 'f-as-of'), 'the same day as the current version: '
       'refused too')
    s, _, body = a.req('POST', '/units/nhv-lund/change', dict(good, **{'as-of': '2025-13-01'}))
    ok(s == 200 and error_pattern(body, 'f-as-of'), 'not a date: the error at the day')
    s, _, body = a.req('POST', '/units/nhv-lund/change', dict(good, **{'trained-dbt': '11'}))
    ok(s == 200 and error_pattern(body, 'f-trained-dbt'), 'more trained in DBT than staff: '
       'the error at that field')
    s, _, body = a.req('POST', '/units/nhv-lund/change', dict(good, ages='17-13'))
    ok(s == 200 and error_pattern(body, 'f-ages'), 'ages the wrong way round: at the ages')
    s, _, body = a.req('POST', '/units/nhv-lund/change', dict(good, catchment='12,99'))
    ok(s == 200 and error_pattern(body, 'f-catchment'), 'an unknown region in the catchment')
    s, _, body = a.req('POST', '/units/nhv-lund/change',
                       dict(good, note='Ring om 19121212-1212'))
    ok(s == 200 and error_pattern(body, 'f-note') and '1212-1212' not in body and
       '19121212' not in body, 'a personnummer in the note: refused, never shown again')
    ok(len(history('nhv-lund')) == 1, 'no refused form stored anything')

    s, loc, _ = a.req('POST', '/units/nhv-lund/change', good)
    ok(s == 303 and loc == '/units/nhv-lund?saved=2025-09-01', 'a good change: 303 to the '
       'unit', (s, loc))
    h = history('nhv-lund')
    ok(len(h) == 2 and h[0]['until'] == '2025-09-01' and h[1]['since'] == '2025-09-01' and
       h[1]['waiting_days'] == 21 and h[1]['offers'] == 'dbt,cbt' and
       h[1]['brief_admission'] == 1 and h[1]['sis_access'] == 1 and
       h[1]['nhv_offers'] == 'consultation,assessment,treatment' and
       h[1]['note'] == 'Ny DBT-grupp från hösten', 'the history holds the new version', h)
    ok(h[1]['catchment'] == '12,07,08,10' and h[1]['age_from'] == 13,
       'what the form kept is carried over', h[1])
    s, _, body = a.req('GET', '/units/nhv-lund?saved=2025-09-01')
    ok(s == 200 and 'role="status"' in body and '<th scope="row">2025-09-01</th>' in body,
       'the unit page says it is saved and its history shows the change')
    s, _, body = a.req('GET', '/api/v1/units/nhv-lund')
    j = json.loads(body) if s == 200 else {}
    v = j.get('versions', [])
    yes_no = lambda v: None if v is None else bool(v)  # noqa: E731 (never given: null)
    want = [dict(x, brief_admission=yes_no(x['brief_admission']),
                 placed_access=yes_no(x['placed_access']), sis_access=yes_no(x['sis_access']))
            for x in h]
    ok(v == want and j['current']['since'] == '2025-09-01',
       '/api/v1/units/{code} is knod unit history, the change current', v)
    s, _, body = a.req('GET', '/api/v1/units?as_of=2025-10-01&region=12')
    u = [x for x in json.loads(body)['units'] if x['code'] == 'nhv-lund']
    ok(u and u[0]['waiting_days'] == 21, '/api/v1/units as of a later day lists the change', u)
    s, _, body = a.req('GET', '/api/v1/units?as_of=2025-08-01&region=12')
    u = [x for x in json.loads(body)['units'] if x['code'] == 'nhv-lund']
    ok(u and u[0]['waiting_days'] is None and u[0]['staff'] == 8,
       'and as of an earlier day the version before', u)
    au = [(e['actor'], e['action'], e['subject'], e['detail']) for e in
          json.loads(knod('audit', 'show', '--dir', D, '--format', 'json').stdout)
          if e['action'].startswith('unit-')]
    ok(au == [('anna.coord12', 'unit-change', 'nhv-lund', 'as of 2025-09-01')],
       'the change is audited', au)


def check_add(a, ad):
    s, _, body = a.req('GET', '/units/new')
    regions = re.findall(r'<option value="(\d\d)"', body)
    ok(s == 200 and regions == ['12'], "the add form offers the coordinator's own region only",
       regions)
    tok = a.token('/units/new')
    new = {'csrf': tok, 'code': 'bup-ystad', 'name': 'BUP Ystad', 'region': '12',
           'type': 'bup', 'setting': 'outpatient', 'ages': '13-17', 'staff': '12',
           'trained-bemotande': '12', 'offers.dbt': 'yes', 'as-of': '2025-03-01'}
    s, _, body = a.req('POST', '/units/new', dict(new, region='03'))
    ok(s == 200 and error_pattern(body, 'f-region'), 'a unit of region 03: refused at the region')
    s, _, body = a.req('POST', '/units/new', dict(new, ages=''))
    ok(s == 200 and error_pattern(body, 'f-ages'), 'without ages: refused at the ages')
    s, _, body = a.req('POST', '/units/new', dict(new, name=''))
    ok(s == 200 and error_pattern(body, 'f-name'), 'a new unit without a name: at the name')
    s, _, body = a.req('POST', '/units/new', dict(new, code='soc-uppsala', name='', region='',
                                                  type='', setting=''))
    ok(s == 200 and error_pattern(body, 'f-code'), 'a unit of 03 by its code: refused at '
       'the code')
    s, _, body = a.req('POST', '/units/new', dict(new, code='nhv-lund', name='', region='',
                                                  type='', setting=''))
    ok(s == 200 and error_pattern(body, 'f-code'), 'a unit with resources already: at the code')
    ok(json.loads(knod('unit', 'list', '--as-of', '2025-12-31', '--dir', D, '--format',
                       'json').stdout).__len__() == 2, 'nothing stored')
    s, loc, _ = a.req('POST', '/units/new', new)
    ok(s == 303 and loc == '/units/bup-ystad?saved=2025-03-01', 'a good unit: 303', (s, loc))
    h = history('bup-ystad')
    ok(len(h) == 1 and h[0]['name'] == 'BUP Ystad' and h[0]['region'] == '12' and
       h[0]['offers'] == 'dbt' and h[0]['trained_bemotande'] == 12, 'stored as knod unit '
       'add stores it', h)
    tok = ad.token('/units/new')
    s, loc, _ = ad.req('POST', '/units/new', dict(new, csrf=tok, code='bup-uppsala',
                                                  name='BUP Uppsala', region='03'))
    ok(s == 303, 'an administrator adds a unit of any region', (s, loc))
    au = [(e['actor'], e['action'], e['subject']) for e in
          json.loads(knod('audit', 'show', '--dir', D, '--format', 'json').stdout)
          if e['action'] == 'unit-add']
    ok(au == [('anna.coord12', 'unit-add', 'bup-ystad'), ('admin.nation', 'unit-add',
                                                           'bup-uppsala')],
       'the additions are audited', au)


def main():
    global D
    tmp = tempfile.mkdtemp(prefix='knod-http-unit-edit-')
    server = None
    try:
        D = os.path.join(tmp, 'site')
        setup()
        log = open(os.path.join(tmp, 'serve.log'), 'w+')
        server = subprocess.Popen([KNOD, 'serve', '--dir', D, '--listen', '127.0.0.1:0'],
                                  stdout=subprocess.PIPE, stderr=log)
        m = re.search(r'serving http://127\.0\.0\.1:(\d+)/', server.stdout.readline().decode())
        if not ok(m is not None, 'serve listens'):
            return
        port = int(m.group(1))
        a, ad = check_access(port)
        check_change(a)
        check_add(a, ad)
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print('1..%d' % n)
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
