#!/usr/bin/env python3
"""tests/http/http_hub_review.py: the yearly review of a user's documents
in the portal (TAP): the reminders on /account and /api/v1/reviews, and
POST /documents/{id}/reviewed (route rule @owner).

A small store (no registry data) with the example documents, the working
group's owner linked to anna.berg, and three more users; one server.
Checks: the owner sees the overdue document with its due date and days
overdue (the model against web/openapi/hub_review.json), and not another
owner's; another user and an anonymous visitor see nothing; only the
owner or an administrator may record the review (403 for another user,
401 anonymous, 403 without CSRF); recording it moves the next review a
year on, in the history and the audit log; a draft, an unknown document
and a personnummer in the note are refused.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import datetime
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import knodhttp as kh  # noqa: E402

ok, knod = kh.ok, kh.knod
SRCDIR = kh.SRCDIR
NAG = 'Nationella arbetsgruppen för självskadebeteende'
DOC = 'bemotande-akut'  # NAG's, decided 2025-09-15: due 2026-09-15


def check_schema(model):
    """The 200 model against the fragment, with jsonschema if there is one."""
    try:
        import jsonschema
    except ImportError:
        ok(set(model) == {'as_of', 'notice_days', 'documents'},
           'the model has its documented keys (no jsonschema here)', model)
        return
    frag = json.load(open(os.path.join(SRCDIR, 'web', 'openapi', 'hub_review.json')))
    schema = frag['paths']['/api/v1/reviews']['get']['responses']['200']['content'][
        'application/json']['schema']
    schema = json.loads(json.dumps(schema).replace(
        '"$ref": "#/components/schemas/ReviewDue"',
        json.dumps(frag['components']['schemas']['ReviewDue'])[1:-1]))
    try:
        jsonschema.validate(model, schema)
        ok(True, 'the model is valid against web/openapi/hub_review.json')
    except jsonschema.ValidationError as e:
        ok(False, 'the model is valid against web/openapi/hub_review.json', e.message)


def docs(d):
    out = knod('docs', 'list', '--format', 'json', '--dir', d).stdout.decode()
    return {x['id']: x for x in json.loads(out)}


def main():
    tmp = tempfile.mkdtemp(prefix='knod-hubreview-')
    try:
        d = kh.store(tmp)
        knod('docs', 'import', os.path.join(SRCDIR, 'data', 'examples', 'docs'), '--dir', d)
        users = [('anna.berg', 'analyst', []), ('bo.ek', 'coordinator', ['--region', '12']),
                 ('admin.nation', 'admin', [])]
        kh.add_users(d, users)
        knod('docs', 'owner', NAG, '--user', 'anna.berg', '--by', 'admin.nation', '--dir', d)
        with kh.Server(d, tmp) as server:
            run(d, users, server)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


def run(d, users, server):
    b = {}
    for name, _, _ in users:
        b[name] = kh.Browser()
        b[name].signin(name)
    anon = kh.Browser()

    # The owner's reminders.
    r = b['anna.berg'].get('/api/v1/reviews')
    ok(r.status == 200, 'the owner gets /api/v1/reviews', r.status)
    model = r.json() if r.status == 200 else {}
    check_schema(model)
    as_of = datetime.date.fromisoformat(model.get('as_of', '2000-01-01'))
    want = (as_of - datetime.date(2026, 9, 15)).days
    rows = [(x['id'], x['review_due'], x['days_overdue'], x['overdue'])
            for x in model.get('documents', [])]
    if want >= -30:
        ok(rows == [(DOC, '2026-09-15', want, want > 0)],
           "the working group's document, its due date and days overdue", rows)
    else:  # a clock before the reminder window: nothing yet
        ok(rows == [], 'nothing due before the reminder window', rows)
    ok(all(x['id'] != 'vardgrannar-skola' or as_of >= datetime.date(2027, 2, 1)
           for x in model.get('documents', [])),
       "another owner's document is not among them")
    page = b['anna.berg'].get('/account').text()
    ok('Dokument att granska' in page and 'href="/documents/%s"' % DOC in page and
       'action="/documents/%s/reviewed"' % DOC in page and
       '%d dagar försenad' % want in page,
       'the account page lists it with the days overdue and the review form', page[-3000:])
    en = b['anna.berg'].get('/account?lang=en').text()
    ok('Documents due for review' in en and '%d days overdue' % want in en,
       '... in English too')

    # Nobody else sees them.
    r = b['bo.ek'].get('/api/v1/reviews')
    ok(r.status == 200 and r.json()['documents'] == [],
       'another user has no reminders', r.body[:300])
    page = b['bo.ek'].get('/account').text()
    ok('Dokument att granska' not in page and DOC not in page,
       "... and the account page shows none of the owner's")
    r = anon.get('/api/v1/reviews')
    ok(r.status == 401 and 'application/json' in (r.h('Content-Type') or ''),
       'an anonymous visitor: 401 as JSON', r.status)
    r = anon.get('/account')
    ok(r.status == 303 and (r.h('Location') or '').startswith('/login'),
       '... and /account sends to sign in', r.status)

    # Who may record the review.
    before = docs(d)[DOC]['review_due']
    r = anon.post('/documents/%s/reviewed' % DOC, {'csrf': anon.form_token() or ''})
    ok(r.status == 401, 'anonymous: 401', r.status)
    r = b['bo.ek'].post('/documents/%s/reviewed' % DOC, {'csrf': b['bo.ek'].csrf()})
    ok(r.status == 403, 'another user: 403 (@owner)', r.status)
    r = b['anna.berg'].post('/documents/%s/reviewed' % DOC, {'note': 'x'})
    ok(r.status == 403, 'the owner without a CSRF token: 403', r.status)
    ok(docs(d)[DOC]['review_due'] == before, '... and the date has not moved')
    r = b['anna.berg'].post('/documents/nope/reviewed', {'csrf': b['anna.berg'].csrf()})
    ok(r.status == 404, 'an unknown document: 404', r.status)
    r = b['anna.berg'].post('/documents/stod-till-narstaende/reviewed',
                            {'csrf': b['anna.berg'].csrf()})
    # (the lang cookie is English since ?lang=en above)
    ok(r.status == 400 and 'The document is not published' in r.text(),
       "the owner's draft: 400, only a published document is reviewed", r.status)
    r = b['anna.berg'].post('/documents/%s/reviewed' % DOC,
                            {'csrf': b['anna.berg'].csrf(), 'note': 'Se 700808-8885'})
    ok(r.status == 400 and '8885' not in r.text(),
       'a personnummer in the note: 400, not echoed', r.status)

    # The owner records it: the next review a year on.
    r = b['anna.berg'].post('/documents/%s/reviewed' % DOC,
                            {'csrf': b['anna.berg'].csrf(), 'note': 'Fortfarande aktuell.'})
    ok(r.status == 303 and r.h('Location') == '/account#reviews',
       'the owner records the review: back to the account page', r.status)
    due = docs(d)[DOC]['review_due']
    ok(due == str(as_of + datetime.timedelta(days=365)),
       'review_due moved a year after the day of the review', (before, due))
    r = b['anna.berg'].get('/api/v1/reviews')
    ok(r.status == 200 and all(x['id'] != DOC for x in r.json()['documents']),
       '... and the reminder is gone')
    hist = json.loads(knod('docs', 'history', DOC, '--format', 'json', '--dir',
                           d).stdout.decode())
    ok(hist[-1]['from'] == 'published' and hist[-1]['to'] == 'published' and
       hist[-1]['note'] == 'yearly review: no revision needed; Fortfarande aktuell.',
       'the history has the review with its note', hist[-1])
    ok(any(e['action'] == 'document-reviewed' and e['subject'] == DOC and
           e['actor'] == 'anna.berg' for e in kh.audit(d)), 'the review is audited')
    r = b['admin.nation'].post('/documents/vardgrannar-skola/reviewed',
                               {'csrf': b['admin.nation'].csrf()})
    ok(r.status == 303, 'an administrator may record it for any owner', r.status)
    ok('8885' not in server.log_text(), 'the server log has no personnummer')


if __name__ == '__main__':
    main()
