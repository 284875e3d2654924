#!/usr/bin/env python3
"""tests/http/http_survey.py: surveys in `knod serve` over real HTTP (TAP).

Makes a store with the example survey (data/examples/surveys), sends
links, starts `knod serve` and checks: /s/{token} is the questionnaire as
a form (a fieldset and legend per question, radio buttons, checkboxes and
a textarea, sv and en) that works without script; a POST without the CSRF
token is refused and stores nothing; an empty or wrong answer comes back
with the GOV.UK error pattern (summary with role=alert and links to each
question, the error at the question, values kept, a personnummer typed
into free text never shown again); a good answer is stored (303, then a
thank-you page); the used link then gives a clear page and a second POST
stores nothing; in a survey that is not anonymous the link opens the form
again with the answer given, and a new answer replaces it; an unknown link is 404; a closed survey's link says so;
the results page and /api/v1/surveys/{id} are for coordinators and admins
only, hide small groups (a question answered by fewer than min_count is
not shown; counts agree with the store) and draw a chart with role=img
beside its table.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import knodhttp as kh  # noqa: E402

ok, knod, Browser, PW = kh.ok, kh.knod, kh.Browser, kh.PW
SRC = os.environ['SRCDIR']
EX = os.path.join(SRC, 'data/examples/surveys')

GOOD = {'verksamhet': 'bup', 'region': 'skane', 'bemotande-deltagit': 'ja',
        'bemotande-nytta': '4', 'bemotande-trygghet': '5', 'nhv-kannedom': 'vet',
        'lagesbild-teman.0': 'vantetider', 'lagesbild-teman.4': 'overgang',
        'ovrigt': 'Bra utbildning.'}


def responses(db):
    c = sqlite3.connect(db)
    try:
        return c.execute('SELECT count(*) FROM net_survey_response').fetchone()[0]
    finally:
        c.close()


def check_answer(d, db, links):
    b = Browser()
    tok = links[0]
    r = b.get('/s/' + tok)
    page = r.text()
    ok(r.status == 200 and '<form class="survey" method="post" action="/s/%s"' % tok in page,
       'GET /s/{token}: the form')
    ok(page.count('<fieldset') == 11 and page.count('<legend>') == 11 and
       '<textarea id="q-ovrigt" name="ovrigt"' in page,
       '... a fieldset and legend per choice question, a textarea for free text',
       page.count('<fieldset'))
    ok('type="radio" id="q-verksamhet-0" name="verksamhet" value="bup"' in page and
       'type="checkbox" id="q-lagesbild-teman-0" name="lagesbild-teman.0" value="vantetider"'
       in page and '<label class="inline" for="q-verksamhet-0">' in page,
       '... radio buttons and checkboxes with labels')
    ok('<script' not in page.split('</head>')[1], '... no script in the page body')
    en = Browser().get('/s/%s?lang=en' % tok).text()
    ok('Where do you work?' in en and 'Send the answer' in en, '... in English with ?lang=en')
    csrf = b.form_token('/s/' + tok)

    r = b.post('/s/' + tok, dict(GOOD))
    ok(r.status == 403 and responses(db) == 0, 'POST without the CSRF token: 403, nothing stored',
       r.status)
    r = b.post('/s/' + tok, {'csrf': 'ab' * 48, **GOOD})
    ok(r.status == 403 and responses(db) == 0, 'POST with a wrong token: 403, nothing stored')

    r = b.post('/s/' + tok, {'csrf': csrf, 'verksamhet': 'bup',
                             'ovrigt': 'Ring mig, 19121212-1212'})
    page = r.text()
    summary = re.search(r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>', page, re.S)
    ok(r.status == 200 and summary is not None, 'an incomplete answer: the error summary')
    links_ = re.findall(r'<a href="#([^"]+)">', summary.group(1) if summary else '')
    ok(links_ == ['q-region-0', 'q-bemotande-deltagit-0', 'q-bemotande-trygghet-0',
                  'q-nhv-kannedom-0', 'q-ovrigt'],
       '... a link to each question at fault, in order', links_)
    ok(all(('id="%s"' % a) in page for a in links_), '... each link leads to an input')
    ok('id="q-region-error" class="error-message"' in page and
       'aria-describedby="q-region-error"' in page,
       '... the error at its question, named by the fieldset')
    ok('value="bup" checked' in page, '... the answers given are kept')
    ok('1212' not in page and 'XXXXXXXX-XXXX' in page,
       '... a personnummer typed into free text is not shown again')
    ok(responses(db) == 0, '... nothing stored')
    r = b.post('/s/' + tok, {'csrf': csrf, **GOOD, 'bemotande-nytta': '9'})
    ok(r.status == 200 and 'q-bemotande-nytta-error' in r.text() and responses(db) == 0,
       'a value that is not an option: refused at its question')

    r = b.post('/s/' + tok, {'csrf': csrf, **GOOD})
    ok(r.status == 303 and r.h('Location') == '/s/%s?answered=1' % tok,
       'a good answer: 303 to the thank-you page', (r.status, r.h('Location')))
    ok(responses(db) == 1, '... stored once')
    r = b.get(r.h('Location') or '/')
    ok(r.status == 200 and 'Tack för ditt svar' in r.text(), '... thanks')
    r = b.get('/s/' + tok)
    ok(r.status == 200 and 'Länken är redan använd' in r.text() and '<form class="survey"'
       not in r.text(), 'the used link: a clear page, no form')
    r = b.post('/s/' + tok, {'csrf': csrf, **GOOD})
    ok(r.status == 200 and responses(db) == 1, 'a second POST with the used link stores nothing')
    c = sqlite3.connect(db)
    linked = c.execute('SELECT count(*) FROM net_survey_token WHERE response_id IS NOT NULL'
                       ).fetchone()[0]
    c.close()
    ok(linked == 0, 'the anonymous answer is not linked to its token')
    r = b.get('/s/' + 'A' * 32)
    ok(r.status == 404 and 'inte känd' in r.text(), 'an unknown link: 404 with a clear page')
    r = b.get('/s/short')
    ok(r.status == 404, 'a malformed link: 404')
    return b


def check_report(d, db, links):
    # five more answers through the form, to have something to show
    for tok in links[1:6]:
        b = Browser()
        csrf = b.form_token('/s/' + tok)
        ans = dict(GOOD)
        ans['region'] = 'blekinge' if tok == links[1] else 'skane'
        b.post('/s/' + tok, {'csrf': csrf, **ans})
    ok(responses(db) == 6, 'six answers through the portal')
    anon = Browser()
    r = anon.get('/surveys/1')
    ok(r.status == 303 and (r.h('Location') or '').startswith('/login'), 'results: sign in first')
    r = anon.get('/api/v1/surveys/1')
    ok(r.status == 401, '/api/v1/surveys/1 signed out: 401')
    reg = Browser()
    reg.signin('reg.region')
    ok(reg.get('/surveys/1').status == 403 and reg.get('/api/v1/surveys').status == 403,
       'a registrar may not see the results')
    co = Browser()
    co.signin('anna.coord')
    r = co.get('/api/v1/surveys/1')
    ok(r.status == 200, 'a coordinator: /api/v1/surveys/1', r.status)
    m = json.loads(r.text())
    q = {x['id']: x for x in m['questions']}
    ok(m['survey']['responses'] == 6 and m['survey']['min_count'] == 5,
       '... six responses, min_count from knod.ini')
    reg_q = {o['value']: o for o in q['region']['options']}
    # skane 5, blekinge 1 (small: hidden), and one more hidden beside it (0s are shown)
    ok(reg_q['blekinge']['count'] is None and reg_q['blekinge']['status'] == 'count',
       '... a count of 1 is hidden', reg_q['blekinge'])
    ok(reg_q['skane']['count'] is None and reg_q['skane']['status'] == 'complementary',
       '... and the one that would give it away', reg_q['skane'])
    ok(reg_q['kronoberg']['count'] == 0, '... zeros are shown')
    ok(q['verksamhet']['options'][0]['count'] == 6 and
       abs(q['verksamhet']['options'][0]['share'] - 1.0) < 1e-9, '... shown counts and shares')
    ok(q['webb-nytta']['hidden'] and q['webb-nytta']['respondents'] is None,
       '... a question nobody answered is not shown', q['webb-nytta'])
    ok(q['ovrigt']['texts'] == ['Bra utbildning.'] * 6, '... the free text for a coordinator')
    r = co.get('/surveys/1')
    page = r.text()
    ok(r.status == 200 and '<svg' in page and 'role="img"' in page and '<table>' in page,
       'the results page: charts (role=img) beside tables')
    ok('<title id=' in page and '<desc id=' in page, '... each chart has a title and a description')
    r = co.get('/api/v1/surveys')
    ok(r.status == 200 and json.loads(r.text())['surveys'][0]['responses'] == 6,
       '/api/v1/surveys lists it')
    ok(co.get('/surveys/99').status == 404 and co.get('/surveys/x').status == 404,
       'an unknown survey: 404')
    # the downloads: `knod survey report 1 --format csv`, byte for byte (docs/network.md)
    want = knod('survey', 'report', '1', '--format', 'csv', '--dir', d).stdout
    r = co.get('/surveys/1?format=csv')
    ok(r.status == 200 and r.h('Content-Type').startswith('text/csv') and r.body == want and
       'Bra utbildning.'.encode() in r.body,
       'the results as CSV: the bytes of knod survey report --format csv, with the free text',
       (r.status, r.body[:200], want[:200]))
    ok(b'blekinge' in want and b',count' in want and b'skane' in want,
       '... the hidden counts hidden there too', want[:300])
    r = co.get('/api/v1/surveys/1?format=xlsx')
    ok(r.status == 200 and r.h('Content-Type').startswith('application/vnd.openxmlformats') and
       r.body[:2] == b'PK', 'the results as XLSX', r.status)
    ok(anon.get('/api/v1/surveys/1?format=csv').status == 401 and
       reg.get('/api/v1/surveys/1?format=csv').status == 403,
       'the download signed out: 401; for a registrar: 403')


def check_named(d, db, tmp):
    src = json.load(open(os.path.join(EX, 'sodra-uppfoljning.json'), encoding='utf-8'))
    src['code'], src['anonymous'] = 'namngiven', False
    path = os.path.join(tmp, 'named.json')
    json.dump(src, open(path, 'w', encoding='utf-8'), ensure_ascii=False)
    knod('survey', 'create', path, '--dir', d)
    out = os.path.join(tmp, 'named-links.txt')
    knod('survey', 'send', '2', '--to', 'region:12', '--count', '1', '--out', out, '--dir', d)
    tok = open(out).read().strip()[3:]
    b = Browser()
    csrf = b.form_token('/s/' + tok)
    r = b.post('/s/' + tok, {'csrf': csrf, **GOOD})
    ok(r.status == 303, 'not anonymous: answered')
    page = b.get('/s/' + tok).text()
    ok('<form class="survey"' in page and 'Du har redan svarat' in page,
       '... the link opens the form again, to replace the answer')
    ok('value="bup" checked' in page and 'name="lagesbild-teman.4" value="overgang" checked'
       in page and '>Bra utbildning.</textarea>' in page, '... with the answer given')
    r = b.post('/s/' + tok, {'csrf': csrf, **GOOD, 'verksamhet': 'elevhalsa'})
    c = sqlite3.connect(db)
    rows = c.execute("SELECT a.value FROM net_survey_answer a JOIN net_survey_response r ON "
                     "r.id = a.response_id WHERE r.survey_id = 2 AND a.question = 'verksamhet'"
                     ).fetchall()
    c.close()
    ok(r.status == 303 and rows == [('elevhalsa',)], '... replaced, not added', rows)


def check_closed(d, links):
    knod('survey', 'close', '1', '--dir', d)
    b = Browser()
    r = b.get('/s/' + links[7])
    ok(r.status == 200 and 'Enkäten är stängd' in r.text() and '<form class="survey"'
       not in r.text(), 'a closed survey: a clear page, no form')


def main():
    tmp = tempfile.mkdtemp(prefix='knod-survey-')
    try:
        d = kh.store(tmp)
        db = os.path.join(d, 'knod.db')
        knod('survey', 'create', os.path.join(EX, 'sodra-uppfoljning.json'), '--dir', d)
        out = os.path.join(tmp, 'links.txt')
        knod('survey', 'send', '1', '--to', 'region:12', '--count', '10', '--out', out,
             '--dir', d)
        links = [line.strip()[3:] for line in open(out)]
        kh.add_users(d, [('anna.coord', 'coordinator', ['--region', '12']),
                         ('reg.region', 'registrar', ['--region', '12'])])
        with kh.Server(d, tmp, '--id', 'ref-a') as server:
            check_answer(d, db, links)
            check_report(d, db, links)
            check_named(d, db, tmp)
            check_closed(d, links)
            text = server.log_text()
            ok(not any(t in text for t in links) and '1212-1212' not in text,
               'the server log has no token and no personnummer')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


if __name__ == '__main__':
    main()
