#!/usr/bin/env python3
"""tests/http/http_openapi.py: real answers of /api/v1 against web/openapi.json (TAP).

Makes a small synthetic store, starts `knod serve` (the helpers of
http_portal.py) and requests every path of the OpenAPI document with the
parameters that matter (formats, filters, places, errors). Each answer must
be described by the document: its status among the operation's responses,
its content type among that response's, every query parameter among the
operation's (with a value its schema allows), and a JSON body valid against
the response's schema (python3-jsonschema, after turning OpenAPI 3.0's
`nullable` into a JSON Schema type list and inlining `$ref`s). Objects that
list their properties are checked strictly (no property the document does
not list), except where the document says "allOf" to extend a schema.
Every path of the document is requested; every /api/ route of the route
table is in the document (tests/unit/web/test_web_router.c checks that in
C; here the table is read from src/web/web_router.c too).

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import knod_store  # noqa: E402  (the stores suites start from)
import http_portal as hp  # noqa: E402

try:
    import jsonschema
except ImportError:  # tools/install-deps.sh installs python3-jsonschema
    jsonschema = None

KNOD, SRCDIR = hp.KNOD, os.environ['SRCDIR']
ok, get, knod = hp.ok, hp.get, hp.knod

REQUESTS = [
    '/api/v1/start', '/api/v1/start?lang=en',
    '/api/v1/indicators', '/api/v1/indicators?q=self', '/api/v1/indicators?q=' + 'x' * 200,
    '/api/v1/results?indicator=ref-a', '/api/v1/results?indicator=ref-e&period=2024&sex=F',
    '/api/v1/results?indicator=sh-young-municipality&level=municipality&limit=20&offset=5',
    '/api/v1/results?indicator=ref-b&level=region&code=03&band=all',
    '/api/v1/results?indicator=ref-a&format=csv', '/api/v1/results?indicator=ref-a&format=xlsx',
    '/api/v1/results?indicator=ref-a&format=fhir',
    '/api/v1/results?indicator=sh-young-rate&format=kolada',
    '/api/v1/results?indicator=ref-a&format=json&measure=rate',
    '/api/v1/results?limit=abc', '/api/v1/results?format=xml', '/api/v1/results?indicator=nope',
    '/api/v1/results?sex=X', '/api/v1/results?level=planet',
    '/api/v1/status', '/api/v1/openapi.json',
    '/api/v1/indicators/ref-a', '/api/v1/indicators/ref-e?region=03&level=99.8',
    '/api/v1/indicators/sh-young-rate?lang=en', '/api/v1/indicators/sh-young-rate-std',
    '/api/v1/indicators/sh-young-municipality',
    '/api/v1/indicators/sh-young-municipality?region=01', '/api/v1/indicators/ref-f',
    '/api/v1/indicators/ref-a?period=2022&measure=rate', '/api/v1/indicators/nope',
    '/api/v1/indicators/ref-a?level=90', '/api/v1/indicators/ref-a?region=99',
    '/api/v1/indicators/sh-young-rate?measure=acts&region=12&lang=en',
    '/api/v1/regions', '/api/v1/regions/01', '/api/v1/regions/03?level=99.8',
    '/api/v1/regions/99', '/api/v1/regions/01?level=1',
    '/api/v1/municipalities', '/api/v1/municipalities?region=03',
    '/api/v1/municipalities?region=99',
    '/api/v1/overview', '/api/v1/overview?level=99.8', '/api/v1/overview?level=x',
    '/api/v1/overview?indicator=ref-e', '/api/v1/overview?indicator=nope',
    '/api/v1/account',  # signed out: the document's 401
    '/api/v1/nodes', '/api/v1/nodes?format=csv', '/api/v1/nodes?format=xml',
    '/api/v1/groups', '/api/v1/groups?as_of=2025-01-01', '/api/v1/groups?as_of=x',
    '/api/v1/groups/nag', '/api/v1/groups/nope',
    '/api/v1/members?group=nag', '/api/v1/members', '/api/v1/members?group=nope',
    '/api/v1/units', '/api/v1/units?as_of=2025-07-01&region=12&kind=nhv&age=15',
    '/api/v1/units?format=xlsx', '/api/v1/units?age=x', '/api/v1/units/nhv-lund',
    '/api/v1/units/nope',
    '/api/v1/trainings', '/api/v1/trainings?from=2025-01-01&to=2025-12-31&format=csv',
    '/api/v1/nodes/skane', '/api/v1/nodes/nope', '/api/v1/members/1', '/api/v1/members/999',
    '/api/v1/members/x', '/api/v1/trainings/1', '/api/v1/trainings/999',
    '/api/v1/activities', '/api/v1/activities?region=12&year=2025', '/api/v1/activities?year=x',
    '/api/v1/funding', '/api/v1/funding?grant=1000001&year=2025&by=region',
    '/api/v1/funding?grant=1000001&year=2025&format=xlsx', '/api/v1/funding?grant=-1',
    '/api/v1/events', '/api/v1/events?from=2020-01-01', '/api/v1/events?from=x',
    '/api/v1/events/1', '/api/v1/events/999',
    '/api/v1/activities/1', '/api/v1/activities/999', '/api/v1/activities/x',
    '/api/v1/events/1/registrations',  # signed out: 401 (http_net_programme_edit.py signs in)
    '/api/v1/surveys',  # signed out: 401 (tests/http/http_survey.py signs in)
    '/api/v1/surveys/1',
    '/api/v1/surveys/1/edit',  # signed out: 401 (tests/http/http_survey_edit.py signs in)
    '/api/v1/consultations', '/api/v1/consultations/1',  # signed out: 401
    '/api/v1/consultations/stats', '/api/v1/consultations?format=csv',  # signed out: 401
    '/api/v1/results?indicator=net-consult-5d',
    '/api/v1/documents', '/api/v1/documents?q=sj%C3%A4lvskada&lang=en',
    '/api/v1/documents?audience=school-health&language=sv&topic=elevh%C3%A4lsa',
    '/api/v1/documents?audience=aliens', '/api/v1/documents?q=' + 'x' * 300,
    '/api/v1/documents/bemotande-akut', '/api/v1/documents/bemotande-akut?version=1',
    '/api/v1/documents/bemotande-akut?version=x', '/api/v1/documents/bemotande-akut?version=7',
    '/api/v1/documents/stod-till-narstaende', '/api/v1/documents/nope',
    '/api/v1/pathways', '/api/v1/pathways?lang=en',
    '/api/v1/pathways/adult', '/api/v1/pathways/child?region=03', '/api/v1/pathways/child?region=99',
    '/api/v1/pathways/teen',
    '/api/v1/worklist',  # signed out: 401 (tests/http/http_worklist.py signs in)
    '/api/v1/worklist/units',
    '/api/v1/reviews',  # signed out: 401 (tests/http/http_hub_review.py signs in)
    '/api/v1/documents/work',  # signed out: 401 (tests/http/http_hub_work.py signs in)
    '/api/v1/documents/stod-till-narstaende/work',
    '/api/v1/uploads/1',  # signed out: 401 (tests/http/http_upload.py signs in)
    '/api/v1/newsletter',  # signed out: 401 (tests/integration/cli_newsletter.py signs in)
    '/api/v1/references', '/api/v1/references?q=sj%C3%A4lvskador&type=systematic-review',
    '/api/v1/references?grade=low&topic=vuxna', '/api/v1/references?type=anecdote',
    '/api/v1/references/1', '/api/v1/references/5', '/api/v1/references/999',
    '/api/v1/practices', '/api/v1/practices?region=12&level=preventive',
    '/api/v1/practices?q=sj%C3%A4lvskada',
    '/api/v1/practices?level=x', '/api/v1/practices/1', '/api/v1/practices/999',
    '/api/v1/references/2', '/api/v1/practices/2', '/api/v1/pathways/child',
    '/api/v1/documents/uppfoljning-efter-akutbesok',
]


def convert(s, doc, strict=True, depth=0):
    """OpenAPI 3.0 schema object -> JSON Schema (draft 7)."""
    if isinstance(s, list):
        return [convert(x, doc, strict, depth) for x in s]
    if not isinstance(s, dict):
        return s
    if '$ref' in s:
        name = s['$ref'].split('/')[-1]
        assert depth < 20, s['$ref']
        return convert(doc['components']['schemas'][name], doc, strict, depth + 1)
    out = {}
    for k, v in s.items():
        if k in ('properties', 'patternProperties'):
            out[k] = {name: convert(x, doc, strict, depth) for name, x in v.items()}
        elif k == 'allOf':  # extends a schema: its members are not closed
            out[k] = [convert(x, doc, False, depth) for x in v]
        elif k in ('items', 'additionalProperties', 'not'):
            out[k] = convert(v, doc, strict, depth) if isinstance(v, dict) else v
        elif k in ('oneOf', 'anyOf'):
            out[k] = [convert(x, doc, strict, depth) for x in v]
        elif k in ('nullable', 'example', 'format', 'description', 'deprecated'):
            continue
        else:
            out[k] = v
    if s.get('nullable'):
        t = out.get('type')
        if t:
            out['type'] = [t, 'null'] if isinstance(t, str) else list(t) + ['null']
        if 'enum' in out:
            out['enum'] = list(out['enum']) + [None]
    if strict and 'properties' in out and 'additionalProperties' not in out and \
       'allOf' not in s:
        out['additionalProperties'] = False
    return out


def match_path(doc, path):
    if path in doc['paths']:  # a literal path before a template (/documents/work)
        return path
    for template in doc['paths']:
        rx = '^' + re.sub(r'\\\{[a-z_]+\\\}', '[^/]+', re.escape(template)) + '$'
        if re.match(rx, path):
            return template
    return None


def check_params(op, query, name):
    declared = {p['name']: p for p in op.get('parameters', []) if p['in'] == 'query'}
    bad = [k for k in query if k not in declared]
    ok(not bad, name + ': every query parameter is declared', bad)


def load_document():
    """web/openapi.json with the fragments web/openapi/*.json merged in
    name order (paths and components.schemas; src/web/web_openapi.h),
    written apart from the C merge so each checks the other."""
    doc = json.load(open(os.path.join(SRCDIR, 'web', 'openapi.json')))
    frag_dir = os.path.join(SRCDIR, 'web', 'openapi')
    names = sorted(f for f in os.listdir(frag_dir) if f.endswith('.json'))
    for name in names:
        frag = json.load(open(os.path.join(frag_dir, name)))
        for path, item in frag.get('paths', {}).items():
            assert path not in doc['paths'], '%s: %s twice' % (name, path)
            doc['paths'][path] = item
        for key, schema in frag.get('components', {}).get('schemas', {}).items():
            assert key not in doc['components']['schemas'], '%s: %s twice' % (name, key)
            doc['components']['schemas'][key] = schema
    ok(names, 'the document has fragments (%s)' % ', '.join(names))
    return doc


def hub_refs_data(d):
    """The example references and practices (data/examples/hub)."""
    import shlex
    ex = os.path.join(SRCDIR, 'data', 'examples', 'hub')
    knod('refs', 'import', os.path.join(ex, 'references.ris'), '--dir', d)
    with open(os.path.join(ex, 'practices.txt'), encoding='utf-8') as f:
        for line in f:
            if line.strip() and not line.startswith('#'):
                knod('practice', 'add', '--dir', d, *shlex.split(line))
    # links to steps, and a document linking references and practices
    knod('refs', 'link', '2', '--step', 'child/4_treatment', '--dir', d)
    knod('docs', 'import', os.path.join(ex, 'docs'), '--dir', d)


def network_data(d):
    """A node, a group with a member, an NHV clinic, a training, an activity
    with funding and an event, so that the network's answers have rows."""
    k = lambda *a: knod(*a, '--dir', d)  # noqa: E731
    k('node', 'add', '--code', 'skane', '--name', 'Kunskapsnod Skåne', '--host', '12')
    k('group', 'add', '--code', 'nag', '--name', 'NAG', '--kind', 'working-group',
      '--professions', 'nurse')
    k('member', 'add', '--group', 'nag', '--name', 'Anna', '--role', 'chair', '--organisation',
      'Region', '--healthcare-region', 'Södra', '--from', '2025-01-01', '--to', '2030-12-31')
    k('unit', 'add', 'nhv-lund', '--name', 'NHV Lund', '--region', '12', '--type', 'nhv',
      '--setting', 'outpatient', '--ages', '13-25', '--catchment', '12,07',
      '--nhv-offers', 'consultation', '--placed-access', 'yes', '--as-of', '2025-02-01')
    k('training', 'add', '--organiser', 'Nod', '--kind', 'dbt', '--title', 'DBT', '--start',
      '2025-03-10', '--end', '2025-03-11', '--mode', 'on-site', '--targets', 'care')
    k('activity', 'add', '--responsible', 'Samordnare', '--status', 'ongoing', '--title', 'A',
      '--goal', 'G', '--start', '2025-02-01', '--region', '12')
    k('activity', 'fund', '1', '--source', 'national-grant', '--year', '2025', '--allocated',
      '1000', '--spent', '10')
    k('events', 'add', '--kind', 'webinar', '--title', 'W', '--start', '2030-02-12T13:00',
      '--end', '2030-02-12T14:30', '--organiser', 'Nod', '--mode', 'digital', '--theme', 'T',
      '--capacity', '10')


def main():
    doc = load_document()
    if jsonschema is None:
        print('ok 1 - response schemas # SKIP python3-jsonschema is not installed')
        print('1..1')
        return
    router = open(os.path.join(SRCDIR, 'src', 'web', 'web_router.c')).read()
    routes = set(re.findall(r'\{\s*"GET",\s*"(/api/v1/[^"]*)"', router))
    ok(routes and routes <= set(doc['paths']),
       'every /api/ route of the table is in the document (%d)' % len(routes),
       routes - set(doc['paths']))
    tmp = tempfile.mkdtemp(prefix='knod-openapi-')
    server = None
    try:
        d = os.path.join(tmp, 'site')
        knod_store.copy(KNOD, d, 1500, 3, os.path.join(tmp, 'synth'))
        network_data(d)
        knod('docs', 'import', os.path.join(SRCDIR, 'data', 'examples', 'docs'), '--dir', d)
        hub_refs_data(d)
        log = open(os.path.join(tmp, 'serve.log'), 'w+')
        server = subprocess.Popen([KNOD, 'serve', '--dir', d, '--listen', '127.0.0.1:0'],
                                  stdout=subprocess.PIPE, stderr=log)
        m = re.search(r'serving (http://127\.0\.0\.1:(\d+))/', server.stdout.readline().decode())
        if not ok(m is not None, 'serve prints the loopback URL it listens on'):
            return
        hp.BASE, hp.PORT = m.group(1), int(m.group(2))
        deadline = time.time() + 300
        while time.time() < deadline and not get('/api/v1/status').json()['ready']:
            time.sleep(0.2)
        served = get('/api/v1/openapi.json')
        ok(served.status == 200 and served.json() == doc,
           '/api/v1/openapi.json is web/openapi.json with its fragments')
        requested = set()
        etag_path = None
        for url in REQUESTS:
            parts = urllib.parse.urlsplit(url)
            query = dict(urllib.parse.parse_qsl(parts.query))
            template = match_path(doc, parts.path)
            if not ok(template is not None, url + ': the path is in the document'):
                continue
            requested.add(template)
            op = doc['paths'][template]['get']
            check_params(op, query, url)
            r = get(url)
            responses = op['responses']
            resp = responses.get(str(r.status)) or responses.get('default')
            if not ok(resp is not None, '%s: status %d is documented' % (url, r.status),
                      sorted(responses)):
                continue
            ctype = (r.h('Content-Type') or '').split(';')[0].strip()
            content = resp.get('content', {})
            if not ok(ctype in content, '%s: %s is a documented content type' % (url, ctype),
                      sorted(content)):
                continue
            if ctype.endswith('json'):
                schema = convert(content[ctype]['schema'], doc)
                errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(r.json()),
                                key=lambda e: list(e.absolute_path))
                ok(not errors, '%s: the %d answer is valid against its schema' % (url, r.status),
                   '\n'.join('%s: %s' % ('/'.join(map(str, e.absolute_path)), e.message[:300])
                             for e in errors[:5]))
            if r.status == 200 and r.h('ETag') and etag_path is None:
                etag_path = (url, r.h('ETag'), op)
        ok(requested == set(doc['paths']), 'every path of the document was requested',
           set(doc['paths']) - requested)
        url, etag, op = etag_path
        r = get(url, {'If-None-Match': etag})
        ok(r.status == 304 and '304' in op['responses'], '%s: 304 is documented' % url)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        server = None
    finally:
        if server is not None:
            server.kill()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
        if hp.n == 0:
            print('not ok 1 - no checks ran')
        print('1..%d' % max(hp.n, 1))


if __name__ == '__main__':
    main()
    sys.exit(0)
