#!/usr/bin/env python3
"""tests/http/http_survey_edit.py: surveys built, sent, closed and linked in
the portal (TAP; src/web/network/web_survey_{new,draft,question,send,close}.c).

A full round as a coordinator: a survey made from nothing, four kinds of
questions added, one moved and one removed, the preview, invitations sent
to a unit and to a training (the links shown once, and as CSV from the
page's own form), answered through /s/{token} with the links the page gave,
closed; two surveys from the shipped examples linked pre/post and the
results page showing the change; a survey from a file. Every refusal at its
field in the GOV.UK error pattern with nothing stored (a bad scale, empty
options, lines that do not pair, a code in use, a broken file naming its
line and column, a change after sending, a target outside the scope, no
confirmation); who may (@survey: the maker or an administrator; another
region's coordinator 403, a registrar 403); CSRF; the audit entries; no
token in the server's log or the audit. One small store, one server.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import os
import re
import shutil
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import knodhttp as kh  # noqa: E402

ok = kh.ok
BASE_URL = 'https://knod.se'  # knod.ini [web] base_url's default


def errors(page):
    """The error summary's (anchor, text) pairs."""
    m = re.search(r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>', page, re.S)
    return re.findall(r'<a href="#([^"]+)">([^<]*)</a>', m.group(1)) if m else []


def definition(b, sid):
    return b.get('/api/v1/surveys/%d/edit' % sid).json()['definition']


def post(b, path, fields, token_from=None):
    return b.post_form(path, fields, token_from=token_from or path)


def sid_of(r):
    m = re.match(r'/surveys/(\d+)/edit', r.h('Location') or '')
    return int(m.group(1)) if m else 0


QUESTIONS = [
    {'q-kind': 'single', 'q-text-sv': 'Deltog du?', 'q-text-en': 'Did you take part?',
     'q-options-sv': 'Ja\nNej', 'q-options-en': 'Yes\r\nNo', 'q-required': 'yes'},
    {'q-kind': 'multiple', 'q-text-sv': 'Vilka teman?', 'q-text-en': 'Which themes?',
     'q-options-sv': 'Bemötande\nVårdförlopp\nNHV', 'q-options-en': 'Approach\nPathway\nNHV',
     'q-required': 'no'},
    {'q-kind': 'scale', 'q-text-sv': 'Hur nyttigt?', 'q-text-en': 'How useful?',
     'q-min': '1', 'q-max': '5', 'q-min-label-sv': 'Inte alls', 'q-min-label-en': 'Not at all',
     'q-max-label-sv': 'Mycket', 'q-max-label-en': 'Very', 'q-required': 'yes'},
    {'q-kind': 'text', 'q-text-sv': 'Övrigt', 'q-text-en': 'Anything else', 'q-required': 'no'},
]


def build(d, anna, olle, reg, admin):
    r = anna.post('/surveys/new', {'survey-code': 'kurs'})
    ok(r.status == 403, 'POST /surveys/new without the CSRF token: 403', r.status)
    new = {'survey-code': 'kurs', 'survey-title-sv': 'Kursenkät', 'survey-title-en': 'Course',
           'survey-intro-sv': '', 'survey-intro-en': '', 'survey-anonymous': 'yes'}
    ok(reg.get('/surveys/new').status == 403, 'a registrar may not make a survey')
    r = post(anna, '/surveys/new', dict(new, **{'survey-code': 'Kurs A'}))
    e = errors(r.text())
    ok(r.status == 200 and e and e[0][0] == 'f-survey-code' and 'a-z' in e[0][1]
       and 'value="Kurs A"' in r.text(),
       'a bad code: the error at the field, the value kept', e)
    r = post(anna, '/surveys/new', new)
    sid = sid_of(r)
    ok(r.status == 303 and sid > 0, 'a survey made from nothing: 303 to its page', r.status)
    r = post(anna, '/surveys/new', new)
    e = errors(r.text())
    ok(e and e[0][0] == 'f-survey-code' and 'has the code' in e[0][1],
       'the same code again: refused at the code', e)
    page = anna.get('/surveys/%d/edit' % sid).text()
    ok('inga frågor' in page and '/send"' not in page,
       'its page: no questions yet, nothing to send')

    change = {'survey-title-sv': 'Kursenkät 2026', 'survey-title-en': 'Course 2026',
              'survey-intro-sv': 'Hej', 'survey-intro-en': '', 'survey-anonymous': 'no'}
    r = post(anna, '/surveys/%d/change' % sid, change)
    e = errors(r.text())
    ok(e and e[0][0] == 'f-survey-intro-en', 'an intro in Swedish only: refused at English', e)
    r = post(anna, '/surveys/%d/change' % sid, dict(change, **{'survey-intro-en': 'Hi'}))
    got = definition(anna, sid)
    ok(r.status == 303 and got['title'] == {'sv': 'Kursenkät 2026', 'en': 'Course 2026'} and
       got['intro']['en'] == 'Hi' and got['anonymous'] is False and got['code'] == 'kurs',
       'the title, intro and anonymity changed, the code kept', got)
    path = '/surveys/%d/questions/new' % sid
    for q in QUESTIONS:
        r = post(anna, path, q)
        ok(r.status == 303, 'a %s question added' % q['q-kind'], r.status)
    before = definition(anna, sid)
    ok([q['kind'] for q in before['questions']] == ['single', 'multiple', 'scale', 'text'] and
       before['questions'][2]['scale'] == {'min': 1, 'max': 5, 'min_label':
                                           {'sv': 'Inte alls', 'en': 'Not at all'},
                                           'max_label': {'sv': 'Mycket', 'en': 'Very'}} and
       [o['en'] for o in before['questions'][1]['options']] == ['Approach', 'Pathway', 'NHV'],
       'the questionnaire as the reader keeps it (options one a line, a scale with its ends)',
       before)

    # refusals: at the field, nothing stored
    r = post(anna, path, dict(QUESTIONS[2], **{'q-min': '3'}))
    e = errors(r.text())
    ok(e and e[0][0] == 'f-q-min' and 'from 0 to 1' in e[0][1] and 'value="3"' in r.text(),
       'a bad scale: the error at min, the value kept', e)
    r = post(anna, path, dict(QUESTIONS[0], **{'q-options-sv': '', 'q-options-en': ''}))
    e = errors(r.text())
    ok(e and e[0][0] == 'f-q-options-sv' and '2 to 30' in e[0][1], 'empty options: refused', e)
    r = post(anna, path, dict(QUESTIONS[0], **{'q-options-en': 'Yes'}))
    e = errors(r.text())
    ok(e and e[0][0] == 'f-q-options-en', 'options that do not pair: refused at English', e)
    r = post(anna, path, dict(QUESTIONS[3], **{'q-text-en': ''}))
    e = errors(r.text())
    ok(e and e[0][0] == 'f-q-text-en', 'no English wording: refused at it', e)
    r = post(anna, path, dict(QUESTIONS[3], **{'q-text-sv': 'Ring 19121212-1212'}))
    ok(errors(r.text()) and '19121212-1212' not in r.text(),
       'a personnummer in a wording: refused, never shown again')
    ok(definition(anna, sid) == before, '... nothing of the refused stored')

    # change, move, remove
    r = post(anna, '/surveys/%d/questions/4/change' % sid, dict(QUESTIONS[3], **{
        'q-text-sv': 'Något mer?'}))
    ok(r.status == 303 and definition(anna, sid)['questions'][3]['text']['sv'] == 'Något mer?',
       'a question changed')
    r = post(anna, '/surveys/%d/questions/3/move' % sid, {'dir': 'up'},
             token_from='/surveys/%d/edit' % sid)
    ids = [q['id'] for q in definition(anna, sid)['questions']]
    ok(r.status == 303 and ids == ['q1', 'q3', 'q2', 'q4'], 'the scale moved up', ids)
    post(anna, path, dict(QUESTIONS[3], **{'q-text-sv': 'Extra', 'q-text-en': 'Extra'}))
    r = post(anna, '/surveys/%d/questions/5/remove' % sid, {},
             token_from='/surveys/%d/edit' % sid)
    ids = [q['id'] for q in definition(anna, sid)['questions']]
    ok(r.status == 303 and ids == ['q1', 'q3', 'q2', 'q4'], 'a question removed', ids)

    page = anna.get('/surveys/%d/preview' % sid).text()
    ok(page.count('<legend>') == 3 and 'type="radio"' in page and 'type="checkbox"' in page and
       '<textarea' in page and 'action="/s/' not in page and 'type="submit"' not in page,
       'the preview: the respondent\'s form, posting nowhere')

    # who may
    for who, name in ((olle, 'another region\'s coordinator'), (reg, 'a registrar')):
        ok(who.get('/surveys/%d/edit' % sid).status == 403 and
           who.get('/api/v1/surveys/%d/edit' % sid).status == 403 and
           who.post_form(path, QUESTIONS[0], token_from='/account').status == 403,
           name + ': 403 on the survey\'s page, its JSON and its forms')
    ok(admin.get('/surveys/%d/edit' % sid).status == 200, 'an administrator may open it')
    ok(kh.Browser().get('/surveys/%d/edit' % sid).status in (303, 401),
       'anonymously: to sign in')
    lst = anna.get('/surveys').text()
    ok('href="/surveys/%d/edit"' % sid in lst and 'href="/surveys/new"' in lst,
       'the list links the survey\'s page and the new forms')
    ok('href="/surveys/%d/edit"' % sid not in olle.get('/surveys').text(),
       '... not for another region\'s coordinator')
    return sid


def send(d, s, anna, olle, sid, tid):
    path = '/surveys/%d/send' % sid
    page = anna.get(path).text()
    ok('name="send-units.U12"' in page and 'U03' not in page and
       '<option value="12"' in page and '<option value="03"' not in page,
       'the send form offers the units and the region within the scope')
    ok('<option value="%d">Bemötande (2026-03-10)</option>' % tid in page and
       'BUP U12 (U12)' in page and re.search(r'<option value="12">12 \w', page),
       'the send form names the training by its title and first day, the units and '
       'the region by name (the values their numbers and codes)', page[-3000:])
    r = post(anna, path, {'send-region': '03', 'send-count': '2'})
    e = errors(r.text())
    ok(e and e[0][0] == 'f-send-region', 'a region outside the scope: refused', e)
    r = post(anna, path, {'send-count': '2'})
    e = errors(r.text())
    ok(e and e[0][0] == 'f-send-units', 'no target: refused', e)
    r = post(anna, path, {'send-units.U12': 'yes'})
    e = errors(r.text())
    ok(e and e[0][0] == 'f-send-count', 'units without a count: refused', e)
    ok(olle.post_form(path, {'send-region': '03', 'send-count': '2'}).status == 403,
       'another region\'s coordinator may not send it')

    r = post(anna, path, {'send-units.U12': 'yes', 'send-count': '3'})
    m = re.search(r'<textarea id="links" name="links" rows="10" readonly[^>]*>(.*?)</textarea>',
                  r.text(), re.S)
    links = m.group(1).split() if m else []
    ok(r.status == 200 and len(links) == 3 and
       all(re.fullmatch(re.escape(BASE_URL) + r'/s/[A-Za-z0-9_-]{32}', x) for x in links),
       'sent to a unit: the three links shown once, BASE/s/TOKEN', r.text()[-1500:])
    ok('no-store' in (r.h('Cache-Control') or ''), '... not kept by the browser')
    csrf = re.search(r'action="/surveys/%d/links.csv">\s*<input type="hidden" name="csrf" '
                     r'value="([0-9a-f]+)"' % sid, r.text())
    r = anna.post('/surveys/%d/links.csv' % sid, {'csrf': csrf.group(1) if csrf else '',
                                                  'links': m.group(1) if m else ''})
    ok(r.status == 200 and r.h('Content-Type').startswith('text/csv') and
       'attachment' in (r.h('Content-Disposition') or '') and
       r.text().split() == ['link'] + links, 'the same links as CSV from the page\'s own form',
       r.status)
    r = anna.post('/surveys/%d/links.csv' % sid, {'csrf': csrf.group(1) if csrf else '',
                                                  'links': 'https://evil.example/x'})
    ok(r.status == 400, 'the CSV form takes nothing but the links', r.status)
    r = post(anna, path, {'send-training': str(tid)})
    m2 = re.search(r'readonly[^>]*>(.*?)</textarea>', r.text(), re.S)
    tlinks = m2.group(1).split() if m2 else []
    ok(r.status == 200 and len(tlinks) == 4, 'sent to a training: one link per participant',
       len(tlinks))

    # answered through the links the page gave
    tok = links[0].split('/s/')[1]
    b = kh.Browser()
    page = b.get('/s/' + tok).text()
    ok('Deltog du?' in page, 'a link opens the questionnaire')
    r = b.post('/s/' + tok, {'csrf': b.form_token('/s/' + tok), 'q1': 'o1', 'q3': '4',
                             'q2.0': 'o1', 'q4': 'Bra'})
    ok(r.status == 303, 'answered through the link', r.status)

    # no change after sending
    r = post(anna, '/surveys/%d/questions/new' % sid, QUESTIONS[3])
    e = errors(r.text())
    ok(e and 'sent' in e[0][1] and 'never changes' in e[0][1],
       'a question added after sending: refused, the page says why', e)
    r = post(anna, '/surveys/%d/questions/2/remove' % sid, {}, token_from='/account')
    ok(r.status == 200 and errors(r.text()) and len(definition(anna, sid)['questions']) == 4,
       'a question removed after sending: refused in the summary, nothing changed')
    page = anna.get('/surveys/%d/edit' % sid).text()
    ok('/questions/new' not in page and 'kan inte längre ändras' in page,
       'the page of a sent survey offers no changes')

    # close
    path = '/surveys/%d/close' % sid
    r = post(anna, path, {})
    e = errors(r.text())
    ok(e and e[0][0] == 'f-close-confirm', 'closing unconfirmed: refused', e)
    r = post(anna, path, {'close-confirm.yes': 'yes'})
    ok(r.status == 303 and anna.get('/api/v1/surveys/%d/edit' % sid).json()['survey'][
        'closed_on'], 'closed', r.status)
    ok('stängd' in kh.Browser().get('/s/' + links[1].split('/s/')[1]).text(),
       'a link of the closed survey says so')
    r = post(anna, path, {'close-confirm.yes': 'yes'})
    ok(errors(r.text()) and 'closed already' in errors(r.text())[0][1],
       'closing again: refused')
    return links + tlinks


def prepost(d, anna, olle):
    ids = []
    for ex, code in (('bemotande-fore', ''), ('bemotande-efter', 'efter-2026')):
        r = post(anna, '/surveys/new/example', {'survey-example': ex, 'survey-code': code})
        ids.append(sid_of(r))
        ok(r.status == 303 and ids[-1], 'a survey from the example ' + ex, r.status)
    pre, post_ = ids
    ok(definition(anna, post_)['code'] == 'efter-2026', '... under the code given')
    r = post(anna, '/surveys/new/example', {'survey-example': 'bemotande-fore'})
    e = errors(r.text())
    ok(e and e[0][0] == 'f-survey-code', 'the example again under its own code: refused', e)
    page = anna.get('/surveys/%d/link' % post_).text()
    ok('<option value="%d">Före utbildningen i bemötande (bemotande-fore v1, ' % pre in page,
       'the link form names the surveys before it by title, code and version, not number',
       page[-2000:])
    r = post(anna, '/surveys/%d/link' % pre, {'link-pre': str(post_)})
    e = errors(r.text())
    ok(e and e[0][0] == 'f-link-pre', 'a survey made after it as the one before: refused', e)
    ok(olle.post_form('/surveys/%d/link' % post_, {'link-pre': str(pre)}).status == 403,
       'another region\'s coordinator may not link it')
    r = post(anna, '/surveys/%d/link' % post_, {'link-pre': str(pre)})
    ok(r.status == 303, 'linked pre/post', r.status)
    rep = anna.get('/api/v1/surveys/%d' % post_).json()
    ok(rep['survey']['pre_id'] == pre and isinstance(rep['change'], list) and rep['change'],
       'the results show the change from the survey before', rep.get('change'))
    page = anna.get('/surveys/%d' % post_).text()
    part = page.split('Förändring sedan', 1)[-1]
    rows = re.findall(r'<tr><td>', part)
    ok(len(rows) == len(rep['change']),
       'the results page lists every row of the change (a row\'s own "change" hid them)',
       (len(rows), len(rep['change'])))
    q0 = rep['change'][0]['question'] if rep['change'] else '?'
    ok('<td>Medelvärde</td>' in part and '<td>%s</td>' % q0 not in part and
       '<td>mean</td>' not in part and not re.search(r'\d\.\d{3}', part),
       'the change in words: the questions\' text, not their ids, means to two decimals',
       part[:1500])


def check_schema(b, sid):
    """The survey's JSON against the served OpenAPI document (the
    fragment web/openapi/network_survey_edit.json)."""
    import http_openapi as ho
    if ho.jsonschema is None:
        return  # python3-jsonschema missing: http_openapi.py says so
    doc = b.get('/api/v1/openapi.json').json()
    op = doc['paths'].get('/api/v1/surveys/{id}/edit', {}).get('get', {})
    schema = op['responses']['200']['content']['application/json']['schema'] if op else None
    detail = ''
    try:
        ho.jsonschema.validate(b.get('/api/v1/surveys/%d/edit' % sid).json(),
                               ho.convert(schema, doc))
    except Exception as e:  # noqa: BLE001 (the detail of any failure)
        detail = str(e)[:1500]
    ok(schema and not detail, '/api/v1/surveys/{id}/edit answers as the document says', detail)


def multipart(token, name, data):
    b = 'knodtestboundary'
    body = ('--%s\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n%s\r\n'
            '--%s\r\nContent-Disposition: form-data; name="survey-file"; filename="%s"\r\n'
            'Content-Type: application/json\r\n\r\n' % (b, token, b, name)).encode() + \
        data.encode() + ('\r\n--%s--\r\n' % b).encode()
    return body, 'multipart/form-data; boundary=' + b


def from_file(anna):
    src = open(os.path.join(os.environ['SRCDIR'],
                            'data/examples/surveys/sodra-uppfoljning.json')).read()
    ok('type="file" accept=".json,application/json"' in anna.get('/surveys/new/file').text(),
       'the file form asks for JSON')
    body, ctype = multipart(anna.form_token('/surveys/new/file'), 'trasig.json',
                            '{"code": "x",\n  "title": }')
    r = anna.req('POST', '/surveys/new/file', body=body, ctype=ctype)
    e = errors(r.text())
    ok(r.status == 200 and e and e[0][0] == 'f-survey-file' and 'trasig.json:2:' in e[0][1],
       'a broken file: refused naming the file, line and column', e)
    body, ctype = multipart(anna.form_token('/surveys/new/file'), 'sodra.json', src)
    r = anna.req('POST', '/surveys/new/file', body=body, ctype=ctype)
    ok(r.status == 303 and definition(anna, sid_of(r))['code'] == 'sodra-uppfoljning',
       'a survey from a file', r.status)


def main():
    tmp = tempfile.mkdtemp(prefix='knod-survey-edit-')
    try:
        d = kh.store(tmp)
        k = lambda *a: kh.knod(*a, '--dir', d)  # noqa: E731
        for code, region in (('U12', '12'), ('U03', '03')):
            k('unit', 'add', code, '--ages', '0-17', '--name', 'BUP ' + code, '--region',
              region, '--type', 'bup', '--setting', 'outpatient')
        k('training', 'add', '--kind', 'attitude-course', '--title', 'Bemötande', '--start',
          '2026-03-10', '--end', '2026-03-11', '--mode', 'on-site', '--targets', 'care',
          '--organiser', 'Noden')
        pcsv = os.path.join(tmp, 'p.csv')
        with open(pcsv, 'w') as f:
            f.write('region,organisation,profession,participants\n12,Region Skåne,nurse,4\n')
        k('training', 'participants', '1', pcsv)
        kh.add_users(d, [('admin.nation', 'admin', []),
                         ('anna.coord12', 'coordinator', ['--region', '12']),
                         ('olle.coord03', 'coordinator', ['--region', '03']),
                         ('rut.reg12', 'registrar', ['--region', '12'])])
        with kh.Server(d, tmp) as s:
            s.wait_ready()
            users = {}
            for name in ('admin.nation', 'anna.coord12', 'olle.coord03', 'rut.reg12'):
                users[name] = kh.Browser()
                users[name].signin(name)
            admin, anna, olle, reg = (users[x] for x in
                                      ('admin.nation', 'anna.coord12', 'olle.coord03',
                                       'rut.reg12'))
            sid = build(d, anna, olle, reg, admin)
            links = send(d, s, anna, olle, sid, 1)
            check_schema(anna, sid)
            prepost(d, anna, olle)
            from_file(anna)
            log = s.log_text()
            ok(links and not any(x.split('/s/')[1] in log for x in links),
               'no token in the server\'s log')
            entries = kh.audit(d, '--user', 'anna.coord12')
            acts = {e['action'] for e in entries}
            ok({'survey-add', 'survey-change', 'survey-send', 'survey-close',
                'survey-link'} <= acts, 'every step audited with its actor', acts)
            text = str(entries)
            ok(not any(x.split('/s/')[1] in text for x in links), '... and no token in the audit')
            c = sqlite3.connect(os.path.join(d, 'knod.db'))
            by = c.execute('SELECT created_by FROM net_survey WHERE id = ?', (sid,)).fetchone()
            c.close()
            ok(by == ('anna.coord12',), 'the survey keeps who made it', by)
            ok('ERROR' not in log and 'runtime error' not in log, 'the server logged no error',
               log[-2000:])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


if __name__ == '__main__':
    main()
