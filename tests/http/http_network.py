#!/usr/bin/env python3
"""tests/http/http_network.py: the network's pages and API (TAP).

Makes a store with a node, the national working group with members, units
with history (one NHV clinic), trainings with participants, activities
with funding and events (one fully booked with a recording afterwards),
starts `knod serve` on a free loopback port and checks each page against
the CLI that keeps the same data: the rows of every list equal `knod ...
list --format json`, ?as_of= reads the inventory's history, the funding
division sums exactly to the grant and equals `knod funding allocate`,
?format=csv|xlsx downloads the same rows, and bad parameters are a 400
naming them.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import csv
import http.client
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

KNOD = os.environ['KNOD']
SRCDIR = os.environ['SRCDIR']
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


def knod(*args, stdin=None):
    p = subprocess.run([KNOD] + list(args), input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError('knod %s: %s' % (' '.join(args), p.stderr.decode()))
    return p.stdout


def kj(*args):
    return json.loads(knod(*args, '--dir', D, '--format', 'json'))


def get(base, url):
    try:
        with urllib.request.urlopen(base + url, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def getj(base, url):
    status, _, body = get(base, url)
    return status, json.loads(body) if body[:1] in (b'{', b'[') else None


def setup(d, tmp):
    knod('init', '--dir', d)
    k = lambda *a: knod(*a, '--dir', d)  # noqa: E731
    k('node', 'add', '--code', 'skane', '--name', 'Kunskapsnod Skåne', '--host', '12',
      '--regions', '07,08,10')
    k('group', 'add', '--code', 'nag', '--name', 'Nationella arbetsgruppen', '--kind',
      'working-group', '--professions', 'psychiatrist,psychologist,nurse')
    m = ('member', 'add', '--group', 'nag', '--organisation', 'Region', '--from', '2025-01-01',
         '--to', '2027-12-31')
    k(*m, '--name', 'Anna Ordförande', '--role', 'chair', '--healthcare-region', 'Södra',
      '--profession', 'psychiatrist')
    k(*m, '--name', 'Bo Sjuksköterska', '--role', 'member', '--healthcare-region', 'Norra',
      '--profession', 'nurse')
    k('member', 'end', '2', '--on', '2025-12-31')
    k('group', 'meeting', 'nag', '--date', '2026-02-03', '--theme', 'Skolans roll')
    k('unit', 'add', 'soc-uppsala', '--name', 'Socialtjänsten Uppsala, ungdom', '--region', '03',
      '--type', 'municipal', '--setting', 'outpatient', '--ages', '12-20', '--staff', '10',
      '--trained-bemotande', '4', '--waiting-days', '30', '--as-of', '2025-01-01')
    k('unit', 'update', 'soc-uppsala', '--as-of', '2025-06-01', '--waiting-days', '12',
      '--trained-bemotande', '8')
    k('unit', 'add', 'nhv-lund', '--name', 'NHV Lund', '--region', '12', '--type', 'nhv',
      '--setting', 'outpatient', '--ages', '13-25', '--catchment', '12,07,08,10',
      '--nhv-offers', 'consultation,assessment', '--placed-access', 'yes', '--sis-access', 'no',
      '--as-of', '2025-02-01')
    k('training', 'add', '--organiser', 'Kunskapsnod Skåne', '--kind', 'attitude-course',
      '--title', 'Bemötande vid självskada', '--start', '2025-03-10', '--end', '2025-03-11',
      '--mode', 'on-site', '--targets', 'care')
    p = os.path.join(tmp, 'p1.csv')
    with open(p, 'w') as f:
        f.write('region,organisation,profession,participants\n12,Region Skåne,nurse,14\n'
                '12,Malmö stad,social-worker,9\n07,Region Kronoberg,psychologist,3\n')
    k('training', 'participants', '1', p)
    k('activity', 'add', '--responsible', 'Samordnare', '--status', 'ongoing', '--title',
      'Bemötandeutbildning i Skåne', '--goal', 'Alla BUP-enheter utbildade', '--start',
      '2025-02-01', '--region', '12', '--node', 'skane')
    k('activity', 'add', '--responsible', 'Samordnare', '--status', 'planned', '--title',
      'Brief admission i Uppsala', '--goal', 'Införa självvald inläggning', '--start',
      '2025-03-01', '--region', '03')
    k('activity', 'fund', '1', '--source', 'national-grant', '--year', '2025', '--allocated',
      '250000', '--spent', '120000')
    k('activity', 'fund', '2', '--source', 'region', '--year', '2025', '--allocated', '50000')
    k('events', 'add', '--kind', 'webinar', '--title', 'Fullt webbinarium', '--start',
      '2030-02-12T13:00', '--end', '2030-02-12T14:30', '--organiser', 'Kunskapsnod Skåne',
      '--mode', 'digital', '--theme', 'Bemötande', '--capacity', '1', '--recording')
    k('events', 'add', '--kind', 'network-meeting', '--title', 'Vårträff', '--start',
      '2030-04-21T09:30', '--end', '2030-04-21T15:00', '--organiser', 'Kunskapsnod Skåne',
      '--mode', 'on-site', '--place', 'Göteborg', '--theme', 'Samverkan', '--capacity', '40')
    k('events', 'register', '1', '--name', 'Hemlig Deltagare', '--email', 'hemlig@example.org')


def check_inventory(base):
    s, j = getj(base, '/api/v1/nodes')
    ok(s == 200 and j['nodes'] == kj('node', 'list'), '/api/v1/nodes is knod node list', j)
    s, _, body = get(base, '/nodes')
    ok(s == 200 and 'Kunskapsnod Skåne' in body.decode(), '/nodes is a page', s)
    s, j = getj(base, '/api/v1/groups?as_of=2025-06-01')
    ok(s == 200 and j['groups'] == kj('group', 'list', '--as-of', '2025-06-01'),
       '/api/v1/groups?as_of= is knod group list --as-of')
    s, j = getj(base, '/api/v1/groups/nag?as_of=2025-06-01')
    ok(s == 200 and [m['name'] for m in j['members']] == ['Anna Ordförande', 'Bo Sjuksköterska'],
       'the group on 2025-06-01: both members', j and j.get('members'))
    s, j2 = getj(base, '/api/v1/groups/nag?as_of=2026-03-01')
    ok(s == 200 and [m['name'] for m in j2['members']] == ['Anna Ordförande'],
       'on 2026-03-01 the ended member is gone', j2 and j2.get('members'))
    gaps = kj('group', 'gaps', 'nag', '--as-of', '2026-03-01')
    ok(j2['gaps'] == gaps and any(g['gap'] == 'healthcare-region' for g in gaps),
       'the gaps with the wanted profile are knod group gaps', j2['gaps'])
    ok(j2['meetings'] == kj('group', 'meetings', 'nag'), 'the meetings')
    s, j = getj(base, '/api/v1/members?group=nag&as_of=2026-03-01')
    ok(s == 200 and j['members'] == kj('member', 'list', '--group', 'nag', '--as-of',
                                       '2026-03-01'), '/api/v1/members is knod member list')
    ok(get(base, '/api/v1/members')[0] == 400, '/api/v1/members without a group: 400')
    ok(get(base, '/api/v1/members?group=nope')[0] == 404, 'an unknown group: 404')
    ok(get(base, '/groups/nope')[0] == 404, '/groups/nope: 404')
    s, _, body = get(base, '/groups/nag?as_of=2026-03-01')
    ok(s == 200 and 'Anna Ordförande' in body.decode() and 'Bo Sjuksköterska' not in body.decode(),
       'the group page as of a day', s)
    s, _, body = get(base, '/groups/nag?as_of=2026-02-30')
    ok(s == 400 and b'as_of' in body, 'a bad ?as_of= is a 400 naming it', s)


def check_units(base):
    s, j = getj(base, '/api/v1/units?as_of=2025-03-01')
    ok(s == 200 and j['units'] == [dict(u, brief_admission=bool(u['brief_admission'])
                                        if u['brief_admission'] is not None else None,
                                        placed_access=bool(u['placed_access'])
                                        if u['placed_access'] is not None else None,
                                        sis_access=bool(u['sis_access'])
                                        if u['sis_access'] is not None else None)
                                   for u in kj('unit', 'list', '--as-of', '2025-03-01')],
       '/api/v1/units?as_of= is knod unit list --as-of (yes/no as booleans)', j)
    soc = lambda j: [u for u in j['units'] if u['code'] == 'soc-uppsala'][0]  # noqa: E731
    ok(soc(j)['waiting_days'] == 30 and soc(j)['trained_bemotande'] == 4,
       'as of 2025-03-01: the first version')
    s, j = getj(base, '/api/v1/units?as_of=2025-07-01')
    ok(soc(j)['waiting_days'] == 12 and soc(j)['trained_bemotande'] == 8 and
       soc(j)['staff'] == 10, 'as of 2025-07-01: the update, the rest carried over')
    s, j = getj(base, '/api/v1/units?as_of=2024-12-31')
    ok(s == 200 and j['units'] == [], 'before any version: no units')
    s, j = getj(base, '/api/v1/units?as_of=2025-07-01&region=12')
    ok([u['code'] for u in j['units']] == ['nhv-lund'], '?region= filters')
    s, j = getj(base, '/api/v1/units?as_of=2025-07-01&kind=municipal')
    ok([u['code'] for u in j['units']] == ['soc-uppsala'], '?kind= filters by type')
    s, j = getj(base, '/api/v1/units?as_of=2025-07-01&age=22')
    ok([u['code'] for u in j['units']] == ['nhv-lund'], '?age= keeps the units serving that age')
    s, j = getj(base, '/api/v1/units?as_of=2025-07-01')
    ok([u['code'] for u in j['nhv']] == ['nhv-lund'] and j['nhv'][0]['placed_access'] is True and
       j['nhv'][0]['catchment'] == '12,07,08,10', 'the NHV clinics with catchment and access')
    for q, p in (('age=x', 'age'), ('kind=zoo', 'kind'), ('region=99', 'region'),
                 ('as_of=2025-13-01', 'as_of')):
        s, _, body = get(base, '/api/v1/units?' + q)
        ok(s == 400 and p.encode() in body, '?%s: 400 naming %s' % (q, p), (s, body[:200]))
    s, j = getj(base, '/api/v1/units/soc-uppsala')
    ok(s == 200 and [v['since'] for v in j['versions']] == ['2025-01-01', '2025-06-01'] and
       j['versions'][0]['until'] == '2025-06-01', 'the history of a unit, versions with until')
    ok(get(base, '/units/nope')[0] == 404, 'an unknown unit: 404')
    s, _, body = get(base, '/units?as_of=2025-07-01')
    ok(s == 200 and 'NHV Lund' in body.decode() and 'Socialtjänsten Uppsala' in body.decode(),
       '/units is a page')


def check_programme(base):
    s, j = getj(base, '/api/v1/trainings')
    ok(s == 200 and j['trainings'] == kj('training', 'list'), '/api/v1/trainings is knod '
       'training list')
    ok(j['by_region'] == kj('training', 'stats', '--by', 'region') and
       j['by_profession'] == kj('training', 'stats', '--by', 'profession'),
       'participants by region and profession are knod training stats')
    ok([r['participants'] for r in j['by_region'] if r['key'] == 'total'] == [26],
       'the total is every participation (26)')
    s, j = getj(base, '/api/v1/trainings?from=2025-04-01')
    ok(s == 200 and j['trainings'] == [], '?from= filters')
    s, j = getj(base, '/api/v1/activities?year=2025')
    ok(s == 200 and j['activities'] == kj('activity', 'list'), '/api/v1/activities is knod '
       'activity list')
    ok(j['funding'] == kj('activity', 'funding', '--year', '2025'),
       'the funding per region is knod activity funding')
    r12 = [r for r in j['funding'] if r['region'] == '12'][0]
    ok(r12['allocated'] == 250000 and r12['spent'] == 120000, 'spent against allocated')
    s, j = getj(base, '/api/v1/activities?region=03')
    ok([a['region'] for a in j['activities']] == ['03'], '?region= filters')
    ok(get(base, '/api/v1/activities?year=20x5')[0] == 400, 'a bad year: 400')


def check_funding(base):
    grant = 10000001
    s, j = getj(base, '/api/v1/funding?grant=%d&year=2025&by=region' % grant)
    cli = json.loads(knod('funding', 'allocate', '--grant', str(grant), '--year', '2025',
                          '--format', 'json'))
    ok(s == 200 and j['parts'] == cli['parts'] and
       all(j[k] == cli[k] for k in ('grant', 'year', 'method', 'population', 'sum')),
       '/api/v1/funding is knod funding allocate, row by row', (j, cli))
    ok(sum(a['amount'] for a in j['parts']) == grant and j['sum'] == grant and j['exact'],
       'the amounts sum exactly to the grant')
    ok(any(a['rounding'].startswith('+') for a in j['parts']) and
       any(a['rounding'].startswith('-') for a in j['parts']), 'rounding shown both ways')
    for q, p in (('grant=-5', 'grant'), ('grant=1e6', 'grant'), ('grant=10&by=municipality', 'by'),
                 ('grant=10&year=1800', 'year'), ('grant=10&year=2031', 'year')):
        s, _, body = get(base, '/api/v1/funding?' + q)
        ok(s == 400 and p.encode() in body, '/funding?%s: 400 naming %s' % (q, p), (s, body[:300]))
    s, _, body = get(base, '/funding')
    ok(s == 200 and b'name="grant"' in body, '/funding without a grant is the form')
    s, h, body = get(base, '/funding?grant=%d&year=2025&format=csv' % grant)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    ok(s == 200 and h.get('Content-Type', '').startswith('text/csv') and
       sum(int(r['amount']) for r in rows) == grant and len(rows) == 21,
       '?format=csv: 21 rows summing to the grant', body[:300])
    # the share, quota and rounding are numbers there, as in knod funding
    # allocate --format csv: a negative rounding is no formula to guard
    cli = list(csv.DictReader(io.StringIO(knod(
        'funding', 'allocate', '--grant', str(grant), '--year', '2025', '--format',
        'csv').decode())))
    ok(rows == cli and any(r['rounding'].startswith('-') for r in rows),
       '?format=csv: the rows of knod funding allocate --format csv, rounding unguarded',
       [r['rounding'] for r in rows][:5])
    s, h, body = get(base, '/funding?grant=%d&year=2025&format=xlsx' % grant)
    sheet = zipfile.ZipFile(io.BytesIO(body)).read('xl/worksheets/sheet1.xml').decode()
    ok(s == 200 and re.search(r'<c r="F2"(?![^>]*t=)[^>]*><v>-?[0-9.]+</v>', sheet) is not None,
       '?format=xlsx: the rounding a number cell', sheet[:400])


def check_events(base):
    s, j = getj(base, '/api/v1/events?from=2030-01-01')
    ok(s == 200 and [e['title'] for e in j['events']] == ['Fullt webbinarium', 'Vårträff'],
       '/api/v1/events lists the upcoming events by start')
    full = j['events'][0]
    ok(full['registration'] == 'recording' and full['registered'] == 1 and
       full['seats_left'] == 0, 'a fully booked event with a recording says so', full)
    ok(j['events'][1]['registration'] == 'open' and j['events'][1]['seats_left'] == 40,
       'the other is open with its seats left')
    s, _, body = get(base, '/events?from=2030-01-01')
    html = body.decode()
    ok(s == 200 and ('Fullbokat – inspelning publiceras efteråt' in html) and
       'href="/events.ics"' in html, 'the page says "fully booked — recording afterwards" and '
       'links to /events.ics')
    ok('Hemlig' not in html and 'hemlig@' not in html, 'no registration is shown')
    s, j = getj(base, '/api/v1/events/%d' % full['id'])
    ok(s == 200 and j['event']['title'] == 'Fullt webbinarium', '/api/v1/events/{id}')
    ok(get(base, '/events/999')[0] == 404 and get(base, '/events/abc')[0] == 404,
       'an unknown event: 404')
    ok(get(base, '/api/v1/events?from=soon')[0] == 400, 'a bad ?from=: 400')


def check_exports(base):
    for path, cmd in (('/api/v1/nodes', ('node', 'list')),
                      ('/api/v1/units?as_of=2025-07-01', ('unit', 'list', '--as-of', '2025-07-01')),
                      ('/api/v1/trainings', ('training', 'list')),
                      ('/api/v1/activities', ('activity', 'list'))):
        sep = '&' if '?' in path else '?'
        s, h, body = get(base, path + sep + 'format=csv')
        want = knod(*cmd, '--dir', D, '--format', 'csv')
        ok(s == 200 and body == want and 'attachment' in (h.get('Content-Disposition') or ''),
           '%s?format=csv is the CLI\'s CSV, as a download' % path, (s, body[:200], want[:200]))
        s, h, body = get(base, path + sep + 'format=xlsx')
        try:
            z = zipfile.ZipFile(io.BytesIO(body))
            sheet = z.read('xl/worksheets/sheet1.xml').decode()
            rows = sheet.count('<row ')
            good = rows == len(list(csv.reader(io.StringIO(want.decode()))))
        except Exception as e:  # noqa: BLE001
            good, sheet = False, repr(e)
        ok(s == 200 and good, '%s?format=xlsx: a workbook with the same rows' % path, sheet[:200])
    s, _, body = get(base, '/api/v1/nodes?format=xml')
    ok(s == 400 and b'format' in body, '?format=xml: 400 naming format')


PW = 'korrekt-häst-batteri'
SECRET = 'Flicka 15 år, upprepade självskador, fråga om behandling (hemligt fall)'


class Browser:
    """A cookie jar and no redirect following."""

    def __init__(self, base):
        self.port = int(base.rsplit(':', 1)[1])
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

    def raw(self, path):
        """GET path: (status, Content-Type, the body's bytes)."""
        c = http.client.HTTPConnection('127.0.0.1', self.port, timeout=60)
        h = {'Cookie': '; '.join('%s=%s' % kv for kv in self.jar.items())} if self.jar else {}
        c.request('GET', path, headers=h)
        r = c.getresponse()
        out = (r.status, r.getheader('Content-Type') or '', r.read())
        c.close()
        return out

    def token(self, path):
        m = re.search(r'name="csrf" value="([0-9a-f]+)"', self.req('GET', path)[2])
        return m.group(1) if m else ''

    def signin(self, user):
        s, loc, _ = self.req('POST', '/login', {'csrf': self.token('/login'), 'username': user,
                                                 'password': PW})
        return s == 303


def ids(b):
    s, _, body = b.req('GET', '/api/v1/consultations')
    return sorted(c['id'] for c in json.loads(body)['consultations']) if s == 200 else s


def check_consultations(base):
    for name, role, scope in (('anna.coord12', 'coordinator', ('--region', '12')),
                              ('cea.coord01', 'coordinator', ('--region', '01')),
                              ('olle.coord03', 'coordinator', ('--region', '03')),
                              ('cli.nhv', 'clinician', ('--unit', 'nhv-lund')),
                              ('admin.nation', 'admin', ())):
        knod('user', 'add', name, '--role', role, '--dir', D, *scope, stdin=PW.encode())
    ask = ('consultation', 'add', '--dir', D, '--urgency', 'urgent', '--role', 'läkare')
    knod(*ask, '--text', SECRET, '--region', '12', '--unit', 'BUP Malmö', '--to', 'nhv-lund')
    knod(*ask, '--text', 'Pojke 16 år, fråga om DBT', '--region', '01', '--unit', 'BUP Solna',
         '--to', 'skane')
    knod(*ask, '--text', 'Flicka 14 år, placerad, fråga om bedömning', '--region', '03',
         '--unit', 'BUP Uppsala', '--to', 'nhv-lund')
    b = {}
    for name in ('anna.coord12', 'cea.coord01', 'olle.coord03', 'cli.nhv', 'admin.nation'):
        b[name] = Browser(base)
        ok(b[name].signin(name), 'sign in as %s' % name)
    ok(ids(b['anna.coord12']) == [1, 2], "region 12's coordinator: its own question and the "
       "one asked of its node", ids(b['anna.coord12']))
    ok(ids(b['cea.coord01']) == [2], "region 01's coordinator: only its question")
    ok(ids(b['olle.coord03']) == [3], "region 03's coordinator: only its question")
    ok(ids(b['cli.nhv']) == [1, 3], 'the NHV clinic: the questions asked of it')
    ok(ids(b['admin.nation']) == 403, 'an administrator is no party: 403')
    ok(Browser(base).req('GET', '/api/v1/consultations')[0] == 401, 'anonymous: 401')
    for who, want in (('anna.coord12', 200), ('cli.nhv', 200), ('cea.coord01', 403),
                      ('olle.coord03', 403), ('admin.nation', 403)):
        s, _, body = b[who].req('GET', '/consultations/1')
        ok(s == want and ((SECRET in body) == (want == 200)),
           'case 1 as %s: %d%s' % (who, want, ', with the summary' if want == 200 else
                                   ', the summary never shown'), s)
    s, _, body = b['olle.coord03'].req('GET', '/consultations')
    ok(SECRET not in body and 'BUP Malmö' not in body, "a third region's list never shows "
       "others' cases")
    ok(b['anna.coord12'].req('GET', '/consultations/99')[0] == 404, 'no such case: 404')

    # Ask through the form: errors in the GOV.UK pattern, a personnummer refused unseen.
    o = b['olle.coord03']
    tok = o.token('/consultations')
    before = len(json.loads(knod('consultation', 'list', '--dir', D, '--format', 'json')))
    s, _, body = o.req('POST', '/consultations', {'csrf': tok})
    ok(s == 200 and 'class="error-summary"' in body and body.index('error-summary') <
       body.index('<h1') and 'href="#summary"' in body and 'href="#asked_party"' in body and
       'href="#urgency-acute"' in body and 'aria-invalid="true"' in body,
       'an empty form: the error summary first, linking to each field')
    pnr = 'Pojke född 20100808-1234, upprepade självskador'
    s, _, body = o.req('POST', '/consultations', {
        'csrf': tok, 'summary': pnr, 'urgency': 'routine', 'asked_party': 'nhv-lund',
        'asking_role': 'kurator', 'asking_unit': 'Elevhälsan Uppsala'})
    ok(s == 200 and 'id="summary-error"' in body and '0808-1234' not in body and
       '20100808' not in body, 'a personnummer in the summary: a field error that never '
       'repeats the number', s)
    ok('Elevhälsan Uppsala' in body and 'kurator' in body, 'the other fields are kept')
    after = len(json.loads(knod('consultation', 'list', '--dir', D, '--format', 'json')))
    ok(after == before, 'nothing was stored')
    ok(o.req('POST', '/consultations', {'summary': 'x'})[0] == 403, 'without the CSRF token: 403')
    s, loc, _ = o.req('POST', '/consultations', {
        'csrf': tok, 'summary': 'Flicka 13 år, fråga om brief admission', 'urgency': 'acute',
        'asked_party': 'nhv-lund', 'asking_role': 'kurator',
        'asking_unit': 'Elevhälsan Uppsala'})
    ok(s == 303 and loc == '/consultations/4', 'a good question: 303 to its page', (s, loc))
    rows = json.loads(knod('consultation', 'list', '--dir', D, '--format', 'json'))
    new = [r for r in rows if r['id'] == 4]
    ok(new and new[0]['region'] == '03' and new[0]['asked_party'] == 'nhv-lund',
       "stored with the user's region", new)
    ok(ids(b['cli.nhv']) == [1, 3, 4], 'the clinic asked sees it at once')

    # Triage and answer: the party asked only.
    ok(o.req('POST', '/consultations/4/triage', {'csrf': tok})[0] == 403,
       'the asking party cannot triage: 403')
    c = b['cli.nhv']
    ctok = c.token('/consultations/4')
    s, loc, _ = c.req('POST', '/consultations/4/triage', {'csrf': ctok})
    ok(s == 303 and loc == '/consultations/4', 'the clinic triages: 303', (s, loc))
    s, _, body = c.req('POST', '/consultations/4/answer', {'csrf': ctok, 'answer': ''})
    ok(s == 200 and 'href="#answer"' in body and 'id="answer-error"' in body,
       'an empty answer: the form again with its error')
    s, _, body = c.req('POST', '/consultations/4/answer',
                       {'csrf': ctok, 'answer': 'Ring 19121212-1212'})
    ok(s == 200 and '1212-1212' not in body, 'an answer with a personnummer is refused unseen')
    s, loc, _ = c.req('POST', '/consultations/4/answer',
                      {'csrf': ctok, 'answer': 'Vi tar emot henne för bedömning.',
                       'referral': 'yes'})
    ok(s == 303, 'the clinic answers: 303', s)
    s, _, body = o.req('GET', '/api/v1/consultations/4')
    j = json.loads(body)['consultation'] if s == 200 else {}
    ok(j.get('status') == 'answered' and j.get('referral') is True and
       j.get('answer') == 'Vi tar emot henne för bedömning.' and j.get('working_days') == 0,
       'the asking party reads the answer, the referral and 0 working days', j)
    acts = [(e['actor'], e['action'], e['subject']) for e in
            json.loads(knod('audit', 'show', '--dir', D, '--format', 'json'))
            if e['action'].startswith('consultation-')]
    ok(acts == [('olle.coord03', 'consultation-ask', '4'),
                ('cli.nhv', 'consultation-triage', '4'),
                ('cli.nhv', 'consultation-answer', '4')], 'every change is audited', acts)
    check_consult_downloads(base, b)


XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'


def xlsx_rows(body):
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        return z.read('xl/worksheets/sheet1.xml').decode().count('<row ')


def check_consult_downloads(base, b):
    """The consultations' downloads (docs/network.md): the user's own list
    without case text, and the shares, the CLI's bytes."""
    a = b['anna.coord12']
    s, ctype, body = a.raw('/consultations?format=csv')
    lines = body.decode().splitlines()
    cli = knod('consultation', 'list', '--dir', D, '--format', 'csv').decode().splitlines()
    ok(s == 200 and ctype.startswith('text/csv') and lines[0] == cli[0] and
       lines[1:] == [r for r in cli[1:] if r.split(',')[0] in ('1', '2')],
       "the list's CSV: the user's own consultations, the CLI's rows", (s, ctype, lines))
    ok(SECRET.encode() not in body and b'summary' not in body and b'answer,' not in body,
       '... never the case text, not even to a party')
    s, ctype, body = a.raw('/consultations?format=xlsx')
    ok(s == 200 and ctype == XLSX and xlsx_rows(body) == 3, "the list's XLSX: the same rows",
       (s, ctype))
    ok(Browser(base).raw('/api/v1/consultations?format=csv')[0] == 401,
       'the list download anonymously: 401')
    ok(b['admin.nation'].raw('/api/v1/consultations?format=csv')[0] == 403,
       'the list download for no party: 403')
    want = knod('consultation', 'stats', '--dir', D, '--days', '5', '--format', 'csv')
    s, ctype, body = a.raw('/api/v1/consultations/stats?days=5&format=csv')
    ok(s == 200 and ctype.startswith('text/csv') and body == want,
       'the shares as CSV: the bytes of knod consultation stats --format csv', (s, body, want))
    s, ctype, body = b['cli.nhv'].raw('/api/v1/consultations/stats?days=5&format=xlsx')
    ok(s == 200 and ctype == XLSX and xlsx_rows(body) == len(want.decode().splitlines()),
       'the shares as XLSX: the same rows', (s, ctype))
    s, _, body = a.req('GET', '/api/v1/consultations/stats?days=3&until=2199-12-31')
    j = json.loads(knod('consultation', 'stats', '--dir', D, '--days', '3', '--format', 'json'))
    got = json.loads(body)['stats'] if s == 200 else []
    ok([(r['region'], r['answered_within'], r['counted']) for r in got] ==
       [(r['region'], r['answered_within'], r['counted']) for r in j],
       'the shares as JSON: those of the CLI', (got, j))
    ok(Browser(base).raw('/api/v1/consultations/stats?format=csv')[0] == 401,
       'the shares anonymously: 401')
    ok(b['admin.nation'].raw('/api/v1/consultations/stats')[0] == 403,
       'the shares for an administrator (no network role): 403')
    ok(a.raw('/api/v1/consultations/stats?days=0')[0] == 400, '?days=0: 400')
    # the indicator: in the catalogue, and a new results generation when a
    # consultation is answered (the snapshot cache's stamp, snap_cache.h)
    anon = Browser(base)
    s, _, body = anon.req('GET', '/indicators')
    ok(s == 200 and 'id="g-network"' in body and '/indicators/net-consult-5d' in body,
       '/indicators: the consultation indicator under the network')
    s, _, body = anon.req('GET', '/indicators/net-consult-5d')
    ok(s == 200 and 'net-consult-5d' in body, 'its indicator page', s)
    gen0 = json.loads(anon.req('GET', '/api/v1/status')[2])['generation']
    knod('consultation', 'answer', '2', '--dir', D, '--text', 'Svar')
    gen, deadline = gen0, time.time() + 120
    while gen == gen0 and time.time() < deadline:
        time.sleep(0.1)
        gen = json.loads(anon.req('GET', '/api/v1/status')[2])['generation']
    ok(gen > gen0, 'an answered consultation makes a new results generation', (gen0, gen))


def check_event_register(base):
    a = Browser(base)
    ok(a.signin('anna.coord12'), 'sign in as a coordinator')
    s, _, body = a.req('GET', '/events/2')
    ok(s == 200 and 'action="/events/2/register"' in body, "a coordinator sees the event's "
       'registration form')
    ok('action="/events/2/register"' not in Browser(base).req('GET', '/events/2')[2],
       'an anonymous visitor does not')
    tok = a.token('/events/2')
    s, _, body = a.req('POST', '/events/2/register', {'csrf': tok, 'name': 'Eva',
                                                      'email': 'inte-en-adress'})
    ok(s == 200 and 'href="#email"' in body and 'id="email-error"' in body and
       body.index('error-summary') < body.index('<h1'), 'a bad e-mail address: the GOV.UK '
       'error pattern')
    s, _, body = a.req('POST', '/events/2/register', {'csrf': tok, 'name': 'Eva 19121212-1212',
                                                      'email': 'eva@example.org'})
    ok(s == 200 and '1212-1212' not in body and 'id="name-error"' in body,
       'a personnummer in the name is refused unseen')
    s, loc, _ = a.req('POST', '/events/2/register', {'csrf': tok, 'name': 'Eva Exempel',
                                                     'email': 'eva@example.org',
                                                     'organisation': 'Region Skåne'})
    ok(s == 303 and loc == '/events/2?registered=seat', 'registered: a seat', (s, loc))
    s, loc, _ = a.req('POST', '/events/1/register', {'csrf': tok, 'name': 'Per Exempel',
                                                     'email': 'per@example.org'})
    ok(s == 303 and loc == '/events/1?registered=waiting', 'a fully booked event: the '
       'waiting list', (s, loc))
    s, _, body = a.req('POST', '/events/2/register', {'csrf': tok, 'name': 'Eva Exempel',
                                                      'email': 'EVA@example.org'})
    ok(s == 200 and 'id="email-error"' in body, 'the same address again: a field error')
    _, j = getj(base, '/api/v1/events/2')
    ok(j['event']['registered'] == 1, 'the seat is taken', j)
    _, j = getj(base, '/api/v1/events/1')
    ok(j['event']['waiting'] == 1, 'one waits', j)
    b = Browser(base)
    b.signin('cli.nhv')
    ok(b.req('POST', '/events/2/register', {'csrf': b.token('/consultations'), 'name': 'X',
                                            'email': 'x@example.org'})[0] == 403,
       'a clinician may not register others: 403')
    es = [e for e in json.loads(knod('audit', 'show', '--dir', D, '--format', 'json'))
          if e['action'] == 'event-register']
    ok([(e['actor'], e['subject'], e['detail']) for e in es] ==
       [('anna.coord12', '2', 'seat'), ('anna.coord12', '1', 'waiting list 1')] and
       not any('example.org' in json.dumps(e) for e in es),
       'registrations are audited without the address', es)


def main():
    global D
    tmp = tempfile.mkdtemp(prefix='knod-http-network-')
    server = None
    try:
        D = os.path.join(tmp, 'site')
        setup(D, tmp)
        log = open(os.path.join(tmp, 'serve.log'), 'w+')
        server = subprocess.Popen([KNOD, 'serve', '--dir', D, '--listen', '127.0.0.1:0'],
                                  stdout=subprocess.PIPE, stderr=log)
        m = re.search(r'serving (http://127\.0\.0\.1:\d+)/', server.stdout.readline().decode())
        if not ok(m is not None, 'serve listens'):
            return
        base = m.group(1)
        check_inventory(base)
        check_units(base)
        check_programme(base)
        check_funding(base)
        check_events(base)
        check_exports(base)
        check_consultations(base)
        check_event_register(base)
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print('1..%d' % n)


if __name__ == '__main__':
    main()
