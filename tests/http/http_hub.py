#!/usr/bin/env python3
"""tests/http/http_hub.py: the knowledge hub's public pages (TAP):
/documents, /documents/{id} with its versions and diff, /pathways,
/pathways/{code} and /pathways/{code}/patientresa, and their /api/v1 twins.

Makes a small synthetic store with the example documents and a few of its
own (a document published in two versions and then taken to revision with
a draft text; a hostile Markdown document; one whose only words are
compound and inflected forms), starts `knod serve` and checks:
 - only published versions are ever shown: a draft document, a draft
   version in revision and an archived document are not found, and the
   draft's text shows in no page, API answer or search;
 - search through the API finds Swedish word forms and compounds
   ("självskada" finds "självskadebeteendet", "skada" finds "skadorna"),
   marks the hits, and the filters narrow the list;
 - hostile Markdown (script, raw HTML, javascript: links, iframes) is
   rendered inert, and the title is escaped;
 - versions are listed and viewable, and the diff shows the changed words;
 - every public page carries the help banner (safe messaging);
 - each pathway step's figures are the engine's (`knod indicators run`):
   the nation's and ?region='s value in the latest period, a hidden value
   null with its reason, never zero.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import json
import os
import re
import shlex
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

KNOD, SRCDIR = hp.KNOD, os.environ['SRCDIR']
ok, get, knod = hp.ok, hp.get, hp.knod
DRAFT_WORD = 'HEMLIGTUTKAST'


def write(path, meta, body):
    with open(path, 'w') as f:
        f.write('---\n' + ''.join('%s: %s\n' % kv for kv in meta) + '---\n' + body)


def meta(doc_id, title, audience='care-staff', language='sv', extra=()):
    return [('id', doc_id), ('title', title), ('summary', 'Ett test.'), ('audience', audience),
            ('language', language), ('owner', 'Test')] + list(extra)


def q(s):
    return urllib.parse.quote(s)


def setup(tmp, d):
    knod_store.copy(KNOD, d, 1500, 5, os.path.join(tmp, 'synth'))
    knod('docs', 'import', os.path.join(SRCDIR, 'data', 'examples', 'docs'), '--dir', d)
    # The example register, with references linked to a step (issue 14's links).
    ex = os.path.join(SRCDIR, 'data', 'examples', 'hub')
    knod('refs', 'import', os.path.join(ex, 'references.ris'), '--dir', d)
    with open(os.path.join(ex, 'practices.txt'), encoding='utf-8') as f:
        for line in f:
            if line.strip() and not line.startswith('#'):
                knod('practice', 'add', '--dir', d, *shlex.split(line))
    for ref in ('2', '5'):  # 5 is internal
        knod('refs', 'link', ref, '--step', 'child/4_treatment', '--dir', d)
    src = os.path.join(tmp, 'docs')
    os.makedirs(src)
    v = os.path.join(src, 'versioner.md')
    write(v, meta('versioner', 'Versioner', extra=[('status', 'published'),
                                                   ('decided', '2025-01-10')]),
          '# Versioner\n\nDen första texten om stöd.\n\nEn rad som står kvar.\n')
    knod('docs', 'import', src, '--dir', d)
    write(v, meta('versioner', 'Versioner', extra=[('status', 'published'),
                                                   ('decided', '2025-06-10')]),
          '# Versioner\n\nDen andra texten om bättre stöd.\n\nEn rad som står kvar.\n')
    knod('docs', 'import', src, '--dir', d)
    knod('docs', 'move', 'versioner', 'revision', '--note', 'årlig översyn', '--dir', d)
    write(v, meta('versioner', 'Versioner'), '# Versioner\n\n%s text i arbete.\n' % DRAFT_WORD)
    knod('docs', 'import', src, '--dir', d)
    os.remove(v)
    write(os.path.join(src, 'hostile.md'),
          meta('hostile', 'Hostile <b>bold</b> & "q"', language='en',
               extra=[('status', 'published'), ('decided', '2025-02-01')]),
          '# Hostile\n\n<script>alert("x")</script>\n\n<img src=x onerror="alert(1)">\n\n'
          '[click](javascript:alert(1)) and <iframe src="https://evil.example/"></iframe>\n\n'
          '<a href="javascript:alert(2)">raw link</a> <style>body{display:none}</style>\n')
    write(os.path.join(src, 'ordformer.md'),
          meta('ordformer', 'Ordformer', extra=[('status', 'published'),
                                               ('decided', '2025-03-01')]),
          '# Ordformer\n\nOm självskadebeteendet hos unga och om skadorna.\n')
    write(os.path.join(src, 'arkiv.md'),
          meta('arkiv', 'Arkiverad', extra=[('status', 'published'), ('decided', '2024-03-01')]),
          '# Arkiverad\n\nGammal text om självskadebeteende.\n')
    knod('docs', 'import', src, '--dir', d)
    knod('docs', 'move', 'arkiv', 'archived', '--note', 'ersatt', '--dir', d)


def check_documents():
    r = get('/documents')
    html = r.text()
    ok(r.status == 200 and 'text/html' in r.h('Content-Type'), '/documents: 200 HTML')
    ok('id="s-patients-relatives"' in html and 'id="s-professionals"' in html,
       '/documents: the two public sections')
    ok('/documents/bemotande-akut' in html and '/documents/vardgrannar-skola' in html,
       '/documents: the published examples are listed')
    ok('stod-till-narstaende' not in html and '/documents/arkiv' not in html,
       '/documents: neither the draft nor the archived document is listed')
    ids = [x['id'] for x in get('/api/v1/documents').json()['documents']]
    ok(sorted(ids) == sorted(['bemotande-akut', 'vardgrannar-skola', 'versioner', 'hostile',
                              'ordformer']), '/api/v1/documents: exactly the published', ids)
    # search: Swedish word forms and compounds, through the API
    hits = get('/api/v1/documents?q=' + q('självskada')).json()
    found = {h['id']: h for h in hits['documents']}
    ok('ordformer' in found, '"självskada" finds "självskadebeteendet"', list(found))
    marked = [p['text'] for p in found.get('ordformer', {}).get('snippet', []) if p['hit']]
    ok(any(m.lower().startswith('självskad') for m in marked),
       '... the hit is marked in the snippet', found.get('ordformer'))
    ok('arkiv' not in found, '... the archived document is not found')
    ids = [h['id'] for h in get('/api/v1/documents?q=' + q('skada')).json()['documents']]
    ok('ordformer' in ids, '"skada" finds "skadorna"', ids)
    ok(get('/api/v1/documents?q=zebraflodh%C3%A4st').json()['documents'] == [],
       'a word no document has finds nothing')
    ok(get('/api/v1/documents?q=' + DRAFT_WORD).json()['documents'] == [],
       'the draft text of a document in revision is not searchable')
    page = get('/documents?q=' + q('självskada')).text()
    ok(re.search(r'<mark>[Ss]jälvskad', page) is not None, 'the page marks hits with <mark>')
    # filters
    en = get('/api/v1/documents?language=en').json()['documents']
    ok([x['id'] for x in en] == ['hostile'], '?language=en', en)
    school = get('/api/v1/documents?audience=school-health').json()['documents']
    ok([x['id'] for x in school] == ['vardgrannar-skola'], '?audience=school-health', school)
    r = get('/api/v1/documents?audience=aliens')
    ok(r.status == 400 and r.json()['error']['parameter'] == 'audience',
       'an unknown audience: 400 naming the parameter')


def check_links():
    doc = get('/api/v1/documents/bemotande-akut').json()
    ok([x['id'] for x in doc['indicators']] == ['vf-adult-assess-7d', 'vf-followup-7d'],
       '/api/v1/documents/{id}: the indicators of the front matter', doc['indicators'])
    urls = [x['url'] for x in doc['steps']]
    ok('/pathways/adult#step-risk_assessment' in urls and
       '/pathways/child#step-follow-up' in urls and len(urls) == 4,
       '... its steps, once per pathway having the step', urls)
    html = get('/documents/bemotande-akut').text()
    ok('Indikatorer' in html and 'href="/indicators/vf-followup-7d"' in html and
       'Vårdförloppets steg' in html and 'href="/pathways/adult#step-follow-up"' in html,
       '/documents/{id}: the links to indicators and steps')
    ok('id="step-risk_assessment"' in get('/pathways/adult').text(),
       '/pathways/{code}: each step has the anchor documents link to')
    ok('id="links-h"' not in get('/documents/vardgrannar-skola').text(),
       'a document without links has no links section')


def check_versions():
    r = get('/api/v1/documents/versioner')
    m = r.json()
    ok(r.status == 200 and m['version'] == 2 and m['newest'] is True,
       'the newest published version is shown while a revision is in draft', m.get('version'))
    ok([v['version'] for v in m['versions']] == [2, 1], '... its published versions listed',
       m.get('versions'))
    ok('andra texten' in m['markdown'] and DRAFT_WORD not in json.dumps(m),
       '... with its text, never the draft')
    v1 = get('/documents/versioner?version=1').text()
    ok('första texten' in v1 and 'äldre version' in v1, '?version=1 shows the older version')
    for u in ('/documents/versioner?version=3', '/api/v1/documents/versioner?version=3'):
        r = get(u)
        ok(r.status == 404 and DRAFT_WORD not in r.text(), '%s (a draft version): 404' % u)
    for u in ('/documents/stod-till-narstaende', '/documents/arkiv', '/documents/nope'):
        ok(get(u).status == 404, '%s: 404 (draft, archived, unknown)' % u)
    ok(get('/documents/versioner?version=x').status == 400, '?version=x: 400')
    diff = get('/documents/versioner/diff?from=1&to=2').text()
    ok('<del>första</del>' in diff and '<ins>andra</ins>' in diff and
       '<ins> bättre</ins>' in diff, 'the diff marks the changed words', diff[diff.index('<main'):][:3000])
    ok(get('/documents/versioner/diff?from=1&to=3').status == 404,
       'a diff with a draft version: 404')
    for u in ('/documents', '/documents/versioner', '/documents/versioner/diff'):
        ok(DRAFT_WORD not in get(u).text(), '%s: the draft text never shows' % u)


def check_hostile():
    r = get('/documents/hostile')
    html = r.text()
    main = html[html.index('<main'):html.index('</main>')]
    ok(r.status == 200, 'the hostile document is shown')
    for bad in ('<script', 'javascript:', 'onerror', '<iframe', '<style', '<img'):
        ok(bad not in main.lower(), 'hostile Markdown: no %s in the page' % bad)
    ok('Hostile &lt;b&gt;bold&lt;/b&gt; &amp; &quot;q&quot;' in html,
       'the title is escaped in the page')
    api = get('/api/v1/documents/hostile').json()
    ok('<script' not in api['html'] and 'javascript:' not in api['html'],
       'the API\'s html is the same safe rendering')


def check_banner():
    for u in ('/documents', '/documents/bemotande-akut', '/documents/versioner/diff',
              '/pathways', '/pathways/adult', '/pathways/child/patientresa'):
        r = get(u)
        t = r.text()
        ok(r.status == 200 and '<aside class="help"' in t and '90101' in t and '116 111' in t,
           '%s: the help banner' % u, r.status)


def check_pathways(d):
    r = get('/api/v1/pathways')
    codes = [p['code'] for p in r.json()['pathways']]
    ok(r.status == 200 and codes == ['adult', 'child'], '/api/v1/pathways: both', codes)
    m = get('/api/v1/pathways/child?region=03').json()
    steps = [s for ph in m['phases'] for s in ph['steps']]
    ok([s['code'] for s in steps][:3] == ['1_first_contact', 'risk_assessment', '2_assessment'],
       'the child pathway\'s steps in order')
    inds = sorted({s['indicator']['id'] for s in steps if 'indicator' in s})
    rows = hp.cli_rows(d, inds)
    bad = []
    for s in steps:
        if 'indicator' not in s:
            continue
        ind = s['indicator']['id']
        mine = [x for x in rows if x['indicator'] == ind and x['sex'] == 'T' and
                x['band'] == 'all' and x['period'] == s['period']]
        for cell, geo in ((s['nation'], 'SE'), (s['region_cell'], '03')):
            row = [x for x in mine if x['geo'] == geo and
                   x['geo_level'] == ('nation' if geo == 'SE' else 'region')]
            if len(row) != 1:
                bad.append('%s %s: %d CLI rows' % (ind, geo, len(row)))
                continue
            row = row[0]
            if row['suppressed']:
                if cell['value'] is not None or not cell['suppressed'] or not cell['reason']:
                    bad.append('%s %s: hidden in the CLI, shown %r' % (ind, geo, cell))
            elif row['value'] is None:  # no data: none shown either, never a zero
                if cell['value'] is not None:
                    bad.append('%s %s: no value in the CLI, shown %r' % (ind, geo, cell))
            elif cell['value'] is None or abs(cell['value'] - row['value']) > 1e-9:
                bad.append('%s %s: %r != %r' % (ind, geo, cell['value'], row['value']))
    ok(not bad and len(inds) >= 5, 'each step\'s figures are the engine\'s, nation and region '
       '(%d indicators)' % len(inds), '\n'.join(bad))
    latest = max(x['period'] for x in rows)
    ok(all(s['period'] == latest for s in steps if 'indicator' in s),
       '... in the latest period (%s)' % latest)
    html = get('/pathways/child?region=03').text()
    ok('<svg' in html and 'role="img"' in html and '<title id="flow-title">' in html,
       'the pathway page draws the flow as an accessible SVG')
    ok('inom 24 timmar' in html and 'inom 7 dagar' in html, 'the time limits are shown')
    ok(re.search(r'<td><span class="sup">[^<]+</span>', html) is not None or
       all(not s.get('region_cell', {}).get('suppressed') for s in steps),
       'a hidden region value shows its reason')
    # What links to a step: published documents, and the public references and
    # practices (the internal reference 5 and practice 3 are not shown).
    at = {s['code']: s for s in steps}
    t4, fu = at['4_treatment'], at['follow-up']
    ok([x['id'] for x in t4['references']] == ['2'] and t4['practices'] == []
       and t4['references'][0]['url'] == '/references/2',
       'a step lists the public references and practices linking to it', t4)
    ok([x['url'] for x in fu['documents']] == ['/documents/bemotande-akut']
       and [x['id'] for x in fu['practices']] == ['2'] and fu['references'] == [],
       'a step lists the published documents linking to it (front matter steps)', fu)
    ok('href="/documents/bemotande-akut"' in html and 'href="/practices/2"' in html
       and 'href="/references/2"' in html and 'href="/references/5"' not in html
       and 'href="/practices/3"' not in html and 'id="step-4_treatment"' in html,
       'the pathway page links them at the step, the internal ones not')
    ok(get('/api/v1/pathways/child?region=99').status == 400, '?region=99: 400')
    ok(get('/pathways/teen').status == 404, 'an unknown pathway: 404')
    pr = get('/pathways/child/patientresa')
    t = pr.text()
    ok(pr.status == 200 and 'För dig som är närstående' in t and 'SIP' in t,
       'the patient journey tells each step to the young person and relatives')
    ok('vf-' not in t[t.index('<main'):t.index('</main>')],
       '... in plain words (no indicator ids)')


def main():
    tmp = tempfile.mkdtemp(prefix='knod-hub-')
    server = None
    try:
        d = os.path.join(tmp, 'site')
        setup(tmp, d)
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
        check_documents()
        check_links()
        check_versions()
        check_hostile()
        check_banner()
        check_pathways(d)
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
