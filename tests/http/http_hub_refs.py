#!/usr/bin/env python3
"""tests/http/http_hub_refs.py: the evidence and practice register's pages
and API (TAP).

Loads the example references and practices (data/examples/hub) into a new
store, starts `knod serve` on a free loopback port and checks: the API's
references equal `knod refs list --format json` restricted to the public
ones for an anonymous reader and a registrar, and all of them for a
coordinator and an administrator; an internal reference or practice is a
404 to the first, as one that does not exist; search (?q=) finds Swedish
word forms and the filters (?type=, ?grade=, ?topic=, ?region=, ?level=)
narrow the list as the CLI does; a bad filter is a 400 naming it; a
practice's page lists only the references its reader may see; every HTML
page carries the public help banner. The links (issue 14): a document
lists its references and practices, a reference and a practice the steps
and documents linking to them, each only the public ones to the public
(http_hub.py checks the pathway page's steps, which need results).

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import json
import os
import shlex
import shutil
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import knodhttp as kh  # noqa: E402

SRCDIR = kh.SRCDIR
ok, knod = kh.ok, kh.knod


def getj(b, path):
    r = b.get(path)
    return r.status, json.loads(r.body) if r.body[:1] in (b'{', b'[') else None


def check(d):
    allrefs = json.loads(knod('refs', 'list', '--format', 'json', '--dir', d).stdout)
    public = [r['id'] for r in allrefs if r['public'] == 1]
    internal = [r['id'] for r in allrefs if r['public'] == 0]
    ok(len(public) == 4 and len(internal) == 1, 'the examples: four public, one internal',
       allrefs)
    readers = {'anonymous': None, 'reg.region': 'registrar', 'anna.coord': 'coordinator',
               'admin.nation': 'admin'}
    for who, role in readers.items():
        b = kh.Browser()
        if role:
            r = b.signin(who)
            ok(r.status == 303, who + ': signed in', r.status)
        sees_all = role in ('coordinator', 'admin')
        want = sorted(public + (internal if sees_all else []))
        st, body = getj(b, '/api/v1/references')
        got = sorted(x['id'] for x in body['references']) if body else None
        ok(st == 200 and got == want, who + ': /api/v1/references lists %s' % want, (st, got))
        st, _ = getj(b, '/api/v1/references/%d' % internal[0])
        ok(st == (200 if sees_all else 404), who + ': an internal reference is %s'
           % ('shown' if sees_all else 'a 404'), st)
        st, body = getj(b, '/api/v1/practices')
        got = body['practices'] if body else []
        ok(st == 200 and len(got) == (3 if sees_all else 2)
           and (sees_all or all(p['public'] == 1 for p in got)),
           who + ': /api/v1/practices: %s' % ('all three' if sees_all else 'the two public'),
           (st, body))
        # The severe practice (internal) names the internal reference only.
        sev = [p for p in json.loads(knod('practice', 'list', '--format', 'json', '--dir',
                                          d).stdout) if p['level'] == 'severe'][0]
        st, body = getj(b, '/api/v1/practices/%d' % sev['id'])
        ok(st == (200 if sees_all else 404), who + ': an internal practice', st)
        early = [p for p in json.loads(knod('practice', 'list', '--format', 'json', '--dir',
                                            d).stdout) if p['level'] == 'early'][0]
        st, body = getj(b, '/api/v1/practices/%d' % early['id'])
        ids = [r['id'] for r in body['references']] if body else None
        ok(st == 200 and ids == [int(x) for x in early['references'].split(',')],
           who + ': a practice with its references', (st, ids, early))
        for page in ('/references', '/references/%d' % public[0], '/practices',
                     '/practices/%d' % early['id']):
            r = b.get(page)
            ok(r.status == 200 and 'class="help"' in r.text() and '<h1>' in r.text(),
               who + ': %s is a page with the help banner' % page, r.status)
    b = kh.Browser()
    st, body = getj(b, '/api/v1/references?q=' + urllib.parse.quote('självskador'))
    ok(st == 200 and sorted(x['id'] for x in body['references']) == sorted(public),
       'search: a Swedish word form finds every public reference', body)
    st, body = getj(b, '/api/v1/references?q=beteendeterapi')
    ok(st == 200 and body['references'] == [], 'search: an internal one is not found', body)
    st, body = getj(b, '/api/v1/references?grade=low&topic=VUXNA')
    ok(st == 200 and [x['title'] for x in body['references']] ==
       ['Psychosocial interventions for self-harm in adults'], 'filters: grade and topic', body)
    st, body = getj(b, '/api/v1/references?type=guideline')
    ok(st == 200 and len(body['references']) == 1 and body['references'][0]['doi'] is None,
       'filter: type of study', body)
    for q, param in (('type=anecdote', 'type'), ('grade=great', 'grade'),
                     ('q=' + 'x' * 300, 'q')):
        st, body = getj(b, '/api/v1/references?' + q)
        ok(st == 400 and body['error']['parameter'] == param, 'a bad %s is a 400' % param,
           (st, body))
    st, body = getj(b, '/api/v1/practices?region=12&level=preventive')
    ok(st == 200 and len(body['practices']) == 1, 'practices: region and level', body)
    # Searching practices: Swedish word forms and parts of compounds, public ones only.
    st, body = getj(b, '/api/v1/practices?q=' + urllib.parse.quote('självskadorna'))
    ok(st == 200 and sorted(p['level'] for p in body['practices']) == ['early', 'preventive']
       and body['q'] == 'självskadorna',
       'practices ?q=: a word form finds the two public practices, not the internal one', body)
    st, body = getj(b, '/api/v1/practices?q=' + urllib.parse.quote('skolnära rutiner'))
    ok(st == 200 and [p['level'] for p in body['practices']] == ['preventive'],
       'practices ?q=: every word, in title and description', body)
    st, body = getj(b, '/api/v1/practices?q=beteendeterapi')
    ok(st == 200 and body['practices'] == [], 'practices ?q=: an internal one is not found', body)
    r = b.get('/practices?q=' + urllib.parse.quote('självskada'))
    ok(r.status == 200 and 'value="självskada"' in r.text() and 'Skolnära' in r.text()
       and 'DBT-team' not in r.text(), 'the practices page searches and keeps the words',
       r.status)
    for q, param in (('region=99', 'region'), ('level=sometimes', 'level')):
        st, body = getj(b, '/api/v1/practices?' + q)
        ok(st == 400 and body['error']['parameter'] == param, 'a bad %s is a 400' % param,
           (st, body))
    for path in ('/api/v1/references/0', '/api/v1/references/x', '/api/v1/references/999',
                 '/api/v1/practices/999', '/references/abc'):
        st, _ = getj(b, path)
        ok(st == 404, path + ' is a 404', st)


def ids(links):
    return sorted(x['id'] for x in links)


def check_links(d):
    slug = 'uppfoljning-efter-akutbesok'
    for who, role in (('anonymous', None), ('anna.coord', 'coordinator')):
        b = kh.Browser()
        if role:
            b.signin(who)
        all_ = role is not None
        st, body = getj(b, '/api/v1/documents/' + slug)
        ok(st == 200 and ids(body['references']) == ['2', '3']
           and ids(body['practices']) == (['2', '3'] if all_ else ['2'])
           and body['practices'][0]['url'] == '/practices/2',
           who + ': a document lists its references and practices', body)
        r = b.get('/documents/' + slug)
        ok(r.status == 200 and 'href="/references/3"' in r.text()
           and ('href="/practices/3"' in r.text()) == all_,
           who + ': the document page links them under Kopplingar', r.status)
        st, body = getj(b, '/api/v1/references/2')
        ok(st == 200 and [x['url'] for x in body['steps']] == ['/pathways/child#step-4_treatment']
           and ids(body['documents']) == [slug],
           who + ': a reference lists the steps and documents linking to it', body)
        st, body = getj(b, '/api/v1/practices/2')
        ok(st == 200 and [x['url'] for x in body['steps']] ==
           ['/pathways/adult#step-follow-up', '/pathways/child#step-follow-up']
           and ids(body['documents']) == [slug],
           who + ': a practice lists the steps it serves and the documents naming it', body)
        r = b.get('/practices/2')
        ok(r.status == 200 and 'href="/pathways/child#step-follow-up"' in r.text()
           and 'href="/documents/%s"' % slug in r.text(),
           who + ': the practice page links them', r.status)


def main():
    tmp = tempfile.mkdtemp(prefix='knod-hubrefs-')
    try:
        d = kh.store(tmp)
        ex = os.path.join(SRCDIR, 'data', 'examples', 'hub')
        knod('refs', 'import', os.path.join(ex, 'references.ris'), '--dir', d)
        with open(os.path.join(ex, 'practices.txt'), encoding='utf-8') as f:
            for line in f:
                if line.strip() and not line.startswith('#'):
                    knod('practice', 'add', '--dir', d, *shlex.split(line))
        kh.add_users(d, [('admin.nation', 'admin', []),
                         ('anna.coord', 'coordinator', ['--region', '12']),
                         ('reg.region', 'registrar', ['--region', '12'])])
        for ref, at in (('2', 'child/4_treatment'), ('5', 'child/4_treatment')):
            knod('refs', 'link', ref, '--step', at, '--dir', d)
        knod('docs', 'import', os.path.join(ex, 'docs'), '--dir', d)
        with kh.Server(d, tmp):
            check(d)
            check_links(d)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


if __name__ == '__main__':
    main()
