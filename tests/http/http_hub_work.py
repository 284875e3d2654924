#!/usr/bin/env python3
"""tests/http/http_hub_work.py: the document workflow in the portal (TAP):
/documents/work, /documents/{id}/work and its forms (docs/hub.md, "The
workflow in the portal").

A small store (no registry data) with the example documents, the working
group's owner linked to anna.berg (analyst), bo.ek (coordinator, who
reviews) and admin.nation (the programme office); one server. Checks:
who may see the pages and post each form (anonymous 401 or the sign-in
page, another user 403, the owner's and the office's steps apart); the
public never sees an unpublished document or a comment; a full round
draft -> published through the portal, its history equal to the same
round by `knod docs move`; at every state of it, every step the workflow
does not allow is refused over HTTP with the state unchanged; refusals at
their fields (no decision, a personnummer in a comment as the CLI refuses
it, not echoed; a new text's front matter and safe-messaging lint naming
line and rule); every post audited; the JSON answers against
web/openapi/hub_work.json.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import html
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import knodhttp as kh  # noqa: E402

ok, knod = kh.ok, kh.knod
SRCDIR = kh.SRCDIR
NAG = 'Nationella arbetsgruppen för självskadebeteende'
DOC = 'stod-till-narstaende'  # NAG's draft, for relatives and patients
TWIN = 'stod-tvilling'        # the same text, taken through by the CLI
STATES = ['draft', 'review', 'consultation', 'revision', 'published', 'archived']
ALLOWED = {'draft': {'review', 'archived'}, 'review': {'draft', 'consultation', 'archived'},
           'consultation': {'revision'}, 'revision': {'review', 'published', 'archived'},
           'published': {'revision', 'archived'}, 'archived': set()}
# The round: (target, decision, note, who takes it).
ROUND = [('review', '', '', 'anna.berg'),
         ('consultation', 'NPO 2026:1', '', 'admin.nation'),
         ('revision', '', 'remissen stängd', 'admin.nation'),
         ('published', 'NPO 2026:2', '', 'admin.nation')]


def decision_route(frm, to):
    """The programme office's steps (docs/hub.md): the NPO's decisions and
    closing the consultation round."""
    return to in ('consultation', 'published') or frm == 'consultation'


STAFF = {}


def state(d, doc):
    """doc's state, as the office reads it (a request, not a process)."""
    return STAFF['admin.nation'].get('/api/v1/documents/%s/work' % doc).json()['state']


def history(d, doc):
    out = knod('docs', 'history', doc, '--format', 'json', '--dir', d).stdout.decode()
    return [(e['from'], e['to'], e['decision'], e['note'], e['by']) for e in json.loads(out)]


class Staff:
    """A signed-in browser with its session's CSRF token."""

    def __init__(self, name):
        self.name = name
        self.b = kh.Browser()
        self.b.signin(name)
        self.token = self.b.csrf()
        STAFF[name] = self

    def get(self, path):
        return self.b.get(path)

    def post(self, path, fields, token=True):
        f = dict(fields)
        if token:
            f['csrf'] = self.token
        return self.b.post(path, f)

    def step(self, doc, frm, to, decision='', note=''):
        route = 'decide' if decision_route(frm, to) else 'step'
        return self.post('/documents/%s/work/%s' % (doc, route),
                         {'to': to, 'decision': decision, 'note': note})


def check_schema(model, path, name):
    """model against the path's 200 schema in the served OpenAPI document
    (http_openapi's conversion), with jsonschema if there is one."""
    try:
        import jsonschema
        import http_openapi as ho
    except ImportError:
        ok(isinstance(model, dict), name + ' (no jsonschema here)')
        return
    doc = kh.get('/api/v1/openapi.json').json()
    schema = ho.convert(doc['paths'][path]['get']['responses']['200']['content'][
        'application/json']['schema'], doc)
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(model))
    ok(not errors, name, '\n'.join('%s: %s' % ('/'.join(map(str, e.absolute_path)),
                                             e.message[:200]) for e in errors[:5]))


def refused_all(d, admin, doc):
    """Every step the workflow does not allow from doc's state: refused
    over HTTP (the page with the error summary), the state unchanged."""
    frm = state(d, doc)
    bad = []
    for to in STATES:
        if to in ALLOWED[frm]:
            continue
        r = admin.step(doc, frm, to, 'NPO x', 'skäl')
        if not (r.status == 200 and 'error-summary' in r.text()) or state(d, doc) != frm:
            bad.append((to, r.status))
    ok(not bad, 'from %s every step the workflow does not allow is refused (%d)'
       % (frm, len(STATES) - len(ALLOWED[frm])), bad)


def main():
    tmp = tempfile.mkdtemp(prefix='knod-hubwork-')
    try:
        d = kh.store(tmp)
        docs = os.path.join(tmp, 'docs')
        os.mkdir(docs)
        for name in os.listdir(os.path.join(SRCDIR, 'data', 'examples', 'docs')):
            shutil.copy(os.path.join(SRCDIR, 'data', 'examples', 'docs', name), docs)
        text = open(os.path.join(docs, DOC + '.md'), encoding='utf-8').read()
        with open(os.path.join(docs, TWIN + '.md'), 'w', encoding='utf-8') as f:
            f.write(text.replace('id: ' + DOC, 'id: ' + TWIN))
        knod('docs', 'import', docs, '--dir', d)
        kh.add_users(d, [('anna.berg', 'analyst', []),
                         ('bo.ek', 'coordinator', ['--region', '12']),
                         ('admin.nation', 'admin', [])])
        knod('docs', 'owner', NAG, '--user', 'anna.berg', '--by', 'admin.nation', '--dir', d)
        with kh.Server(d, tmp) as server:
            run(d, text, server)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


def run(d, text, server):
    anna, bo, admin = Staff('anna.berg'), Staff('bo.ek'), Staff('admin.nation')
    anon = kh.Browser()
    work = '/documents/%s/work' % DOC

    # Who may see the pages.
    r = anon.get('/documents/work')
    ok(r.status == 303 and (r.h('Location') or '').startswith('/login'),
       'anonymous: /documents/work sends to sign in', r.status)
    for path in ('/api/v1/documents/work', '/api/v1' + work):
        r = anon.get(path)
        ok(r.status == 401, 'anonymous: %s is 401' % path, r.status)
    ok('href="/documents/work"' not in anon.get('/').text(),
       "the navigation has no link to the workspace for an anonymous visitor")
    ok('href="/documents/work"' in bo.get('/').text(),
       '... and has it for signed-in staff')
    r = bo.get('/api/v1/documents/work')
    ok(r.status == 200, 'staff: /api/v1/documents/work', r.status)
    model = r.json() if r.status == 200 else {}
    check_schema(model, '/api/v1/documents/work', '/api/v1/documents/work is valid against '
                 'web/openapi/hub_work.json')
    drafts = [x['id'] for s in model.get('states', []) if s['state'] == 'draft'
              for x in s['documents']]
    ok(DOC in drafts and TWIN in drafts, 'the drafts are listed under draft', drafts)
    r = anna.get('/documents/work')
    ok(r.status == 200 and 'href="%s"' % work in r.text(),
       'the workspace page links to the document\'s workflow page', r.status)
    r = bo.get('/documents/nope/work')
    ok(r.status == 404, 'an unknown document: 404', r.status)
    r = bo.get('/api/v1' + work)
    ok(r.status == 200, 'staff: the workflow page as JSON', r.status)
    page = r.json() if r.status == 200 else {}
    check_schema(page, '/api/v1/documents/{id}/work',
                 '/api/v1/documents/{id}/work is valid against web/openapi/hub_work.json')
    ok([(s['to'], s['may']) for s in page.get('steps', [])] ==
       [('review', False), ('archived', False)],
       "the draft's steps from hub_flow, not another user's to take",
       page.get('steps'))
    r = anna.get('/api/v1' + work)
    ok([(s['to'], s['may'], s['npo']) for s in r.json()['steps']] ==
       [('review', True, False), ('archived', True, False)],
       "... the owner's to take", r.body[:300])

    # Who may post.
    r = anon.post(work + '/step', {'to': 'review', 'csrf': anon.form_token() or ''})
    ok(r.status == 401, 'anonymous: a step is 401', r.status)
    for form, fields in (('step', {'to': 'review'}), ('decide', {'to': 'review'}),
                         ('invite', {'org': 'Region X'}), ('answer', {'org': 'Region X'}),
                         ('impact', {'text': 'x'}), ('version', {'text': text})):
        r = bo.post(work + '/' + form, fields)
        ok(r.status == 403, 'another user: %s is 403' % form, r.status)
    r = anna.post(work + '/step', {'to': 'review'}, token=False)
    ok(r.status == 403, 'the owner without a CSRF token: 403', r.status)
    ok(state(d, DOC) == 'draft', '... and the document is still a draft')
    r = anna.post(work + '/decide', {'to': 'review'})
    ok(r.status == 403, "the owner: the programme office's route is 403", r.status)

    # The public never sees it.
    ok(anon.get('/documents/' + DOC).status == 404, 'the public: the draft is 404')

    # A new text while in draft: the same rules as knod docs import.
    r = anna.post(work + '/version', {'text': text.replace('id: ' + DOC, 'id: annat')})
    ok(r.status == 200 and 'error-summary' in r.text() and 'id="f-version_text"' in r.text()
       and "Huvudets id måste vara" in r.text(),
       'a new text with another id: refused at the text field', r.status)
    r = anna.post(work + '/version', {'text': text.replace('language: sv', 'language: fi')})
    ok(r.status == 200 and "'language': sv or en" in html.unescape(r.text()) and
       '.md:8' in r.text(), '... a bad front matter: the line and the key', r.status)
    lint_text = text.replace('Det är vanligt', 'Vid överdosering är det vanligt')
    r = anna.post(work + '/version', {'text': lint_text.replace('\n', '\r\n')})
    ok(r.status == 200 and 'Säkert budskap' in r.text() and 'method-words' in r.text() and
       re.search(r'line 1[0-9]', r.text()),
       '... a method word in public text: the safe-messaging rule and line', r.text()[-800:])
    r = anna.post(work + '/version', {'text': text.replace('1177 Vårdguiden', 'Vårdguiden')
                                      .replace('Det är vanligt', 'Det är mycket vanligt')})
    ok(r.status == 200 and 'help-1177' in r.text(), '... a missing help number too')
    new = text.replace('Det är vanligt', 'Det är helt vanligt')
    r = anna.post(work + '/version', {'text': new.replace('\n', '\r\n')})
    ok(r.status == 303, 'a good new text (CR LF from the browser): saved', r.status)
    body = knod('docs', 'show', DOC, '--dir', d).stdout.decode()
    ok('Det är helt vanligt' in body and '\r' not in body, '... as the current version')

    # Named reviewers: the owner names them (and removes them) in draft.
    r = bo.post(work + '/reviewer', {'user': 'bo.ek'})
    ok(r.status == 403, 'a reviewer is not named by someone other than the owner', r.status)
    for who in ('bo.ek', 'admin.nation'):
        r = anna.post(work + '/reviewer', {'user': who})
        ok(r.status == 303 and r.h('Location') == work + '#f-reviewer',
           'the owner names %s a reviewer' % who, r.status)
    r = anna.post(work + '/reviewer', {'user': 'admin.nation', 'remove': '1'})
    ok(r.status == 303, '... and removes one again', r.status)
    r = anna.post(work + '/reviewer', {'user': 'ingen.alls'})
    ok(r.status == 200 and 'id="f-reviewer_user-error"' in r.text() and
       "no user 'ingen.alls'" in html.unescape(r.text()),
       'a name that is no user: refused at the field',
       r.status)
    r = anna.post(work + '/reviewer', {'user': 'bo.ek'})
    ok(r.status == 200 and 'id="f-reviewer_user-error"' in r.text(),
       'named twice: refused at the field', r.status)
    m = anna.get('/api/v1' + work).json()
    ok(m['named_reviewers'] == [{'user': 'bo.ek', 'named_by': 'anna.berg',
                                 'commented': False}] and m['reviewer_form']['may'],
       'the page lists the named reviewer, not yet commented', m['named_reviewers'])
    check_schema(m, '/api/v1/documents/{id}/work', '... the model as the OpenAPI schema says')
    cli = json.loads(knod('docs', 'comments', DOC, '--format', 'json', '--dir', d).stdout)
    ok([x['user'] for x in cli['reviewers']] == ['bo.ek'], '... as knod docs comments says')

    # The round, through the portal, with every illegal step refused.
    refused_all(d, admin, DOC)
    r = anna.step(DOC, 'draft', 'review')
    ok(r.status == 303 and r.h('Location') == work + '#history', 'draft -> review', r.status)
    anchors = [s['anchor'] for s in bo.get('/api/v1' + work).json()['sections']]
    ok(anchors == ['stöd-till-närstående'], 'the sections are the headings', anchors)
    r = bo.post(work + '/comment', {'section': anchors[0], 'text': 'Ring 19700808-8885 först.'})
    ok(r.status == 200 and 'f-comment_text' in r.text() and 'personnummer' in r.text() and
       '8885' not in r.text(), 'a personnummer in a comment: refused, not echoed', r.status)
    p = knod('docs', 'comment', DOC, '--section', anchors[0], '--text',
             'Ring 19700808-8885 först.', '--by', 'bo.ek', '--dir', d, check=False)
    ok(p.returncode != 0 and b'personnummer' in p.stderr, '... as knod docs comment refuses it')
    r = bo.post(work + '/comment', {'section': 'nej', 'text': 'Bra.'})
    ok(r.status == 200 and 'id="f-comment_section-error"' in r.text(),
       'an unknown section: refused at the section field', r.status)
    r = bo.post(work + '/comment', {'section': anchors[0], 'text': 'Tydligare om BUP, tack.'})
    ok(r.status == 303, 'a reviewer comments on a section', r.status)
    r = bo.get(work)
    ok('Tydligare om BUP, tack.' in r.text() and 'Stöd till närstående' in r.text(),
       "the comment is shown under its section's heading")
    states = bo.get('/api/v1/documents/work').json()['states']
    row = [x for s in states for x in s['documents'] if x['id'] == DOC]
    ok(row and row[0]['reviewers'] == ['bo.ek'] and row[0]['state'] == 'review',
       'the workspace lists the reviewer', row)
    ok(bo.get('/api/v1' + work).json()['named_reviewers'][0]['commented'],
       'the named reviewer has commented on this version')
    refused_all(d, admin, DOC)
    r = anna.step(DOC, 'review', 'consultation', 'NPO 2026:1')
    ok(r.status == 403, "the owner cannot record the NPO's decision", r.status)
    r = admin.step(DOC, 'review', 'consultation')
    ok(r.status == 200 and 'id="f-step_consultation_decision-error"' in r.text() and
       'Skriv programområdets (NPO) beslut' in r.text(),
       'no decision: refused at the decision field', r.status)
    ok(state(d, DOC) == 'review', '... still in review')
    r = admin.post(work + '/invite', {'org': 'Region Uppsala', 'kind': 'region'})
    ok(r.status == 303, 'the office invites a region (in review)', r.status)
    r = admin.post(work + '/invite', {'org': 'Region Uppsala', 'kind': 'region'})
    ok(r.status == 200 and 'id="f-invite_org-error"' in r.text(), '... not twice', r.status)
    r = admin.step(DOC, 'review', 'consultation', 'NPO 2026:1')
    ok(r.status == 303, 'review -> consultation on the NPO decision', r.status)
    refused_all(d, admin, DOC)
    r = admin.post(work + '/answer', {'org': 'Region Uppsala', 'text': 'Vi tillstyrker.'})
    ok(r.status == 303, "the office records the region's answer", r.status)
    r = admin.post(work + '/answer', {'org': 'Region Skåne', 'text': 'Nej.'})
    ok(r.status == 200 and 'id="f-answer_org' in r.text() and 'was not invited' in r.text(),
       'an organisation not invited: refused at its field', r.status)
    r = anna.post(work + '/impact', {'text': '# Konsekvenser\n\nInga nya kostnader.'})
    ok(r.status == 303, 'the owner attaches the impact assessment', r.status)
    page = anna.get('/api/v1' + work).json()
    ok([(i['org'], i['answer']['text']) for i in page['invitations']] ==
       [('Region Uppsala', 'Vi tillstyrker.')] and 'Inga nya kostnader' in
       page['impacts'][0]['text'], 'the page has the invitation, its answer and the assessment')
    r = anna.step(DOC, 'consultation', 'revision', note='stängd')
    ok(r.status == 403, 'the owner cannot close the consultation round', r.status)
    r = admin.step(DOC, 'consultation', 'revision', note='remissen stängd')
    ok(r.status == 303, 'consultation -> revision', r.status)
    refused_all(d, admin, DOC)
    r = admin.step(DOC, 'revision', 'published', 'NPO 2026:2')
    ok(r.status == 303, 'revision -> published on the NPO decision', r.status)
    refused_all(d, admin, DOC)

    # The same round by the CLI gives the same history.
    for to, decision, note, by in ROUND:
        args = ['docs', 'move', TWIN, to, '--by', by, '--dir', d]
        if decision:
            args += ['--decision', decision]
        if note:
            args += ['--note', note]
        knod(*args)
    ok(history(d, DOC) == history(d, TWIN),
       "the portal's history equals the CLI's (from, to, decision, note, by)",
       (history(d, DOC), history(d, TWIN)))

    # Published: the public sees the text, never the comments.
    r = anon.get('/documents/' + DOC)
    ok(r.status == 200 and 'Det är helt vanligt' in r.text() and
       'Tydligare om BUP' not in r.text() and 'Vi tillstyrker' not in r.text(),
       'the public page shows the published text, no comment or answer', r.status)
    r = anon.get('/api/v1/documents/' + DOC)
    ok(r.status == 200 and 'Tydligare om BUP' not in r.text(), '... nor does its JSON')
    r = anna.post(work + '/comment', {'section': anchors[0], 'text': 'Sent.'})
    ok(r.status == 200 and 'id="f-comment"' in r.text() and 'review' in r.text(),
       'a comment once published: refused, naming the state', r.status)

    # Audited, and nothing shows a personnummer.
    acts = [(e['action'], e['actor']) for e in kh.audit(d) if e['subject'] == DOC]
    want = [('document-edit', 'anna.berg'), ('document-reviewer', 'anna.berg'),
            ('document-reviewer', 'anna.berg'), ('document-reviewer', 'anna.berg'),
            ('document-move', 'anna.berg'),
            ('document-comment', 'bo.ek'), ('document-invite', 'admin.nation'),
            ('document-move', 'admin.nation'), ('document-answer', 'admin.nation'),
            ('document-impact', 'anna.berg'), ('document-move', 'admin.nation'),
            ('document-move', 'admin.nation')]
    ok(acts == want, 'every post is audited, by whom', acts)
    ok('8885' not in server.log_text(), 'the server log has no personnummer')


if __name__ == '__main__':
    main()
