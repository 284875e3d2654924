#!/usr/bin/env python3
"""tests/http/http_access.py: sign-in, sessions, CSRF and route
authorisation of `knod serve` over real HTTP (TAP).

Makes a small synthetic store with one user per role (and coordinators and
registrars in two regions), starts `knod serve` on a free loopback port and
checks: the sign-in form and its answers (the GOV.UK error pattern, the
same words for an unknown user and a wrong password, the lockout), the
session cookie and its rotation at sign-in (a planted id never survives),
sign-out and sign-out everywhere, CSRF on every state-changing request
(missing, wrong, another session's), the form parser's limits, redirects
only to local paths, the audit entries of all of it; then the
authorisation matrix: every route of the table x anonymous and every role
x own and foreign region, with the expected status, and 0 escapes.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import knodhttp as kh  # noqa: E402

ok, knod, Browser, PW, audit = kh.ok, kh.knod, kh.Browser, kh.PW, kh.audit


def pick_people(db):
    """A person of region 12 with a contact at the busiest unit of region 12
    (own), and one of region 01 with no contact in region 12 (foreign)."""
    import sqlite3
    c = sqlite3.connect(db)
    unit = c.execute("SELECT cu.code FROM contact k JOIN care_unit cu ON cu.id = k.unit_id "
                     "WHERE cu.region_code = '12' GROUP BY cu.code "
                     "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]

    def person(pseudonym):
        home = c.execute('SELECT region_code FROM person WHERE pseudonym = ?',
                         (pseudonym,)).fetchone()[0]
        rows = c.execute('SELECT DISTINCT cu.code, cu.region_code FROM contact k JOIN '
                         'care_unit cu ON cu.id = k.unit_id JOIN person p ON p.id = '
                         'k.person_id WHERE p.pseudonym = ?', (pseudonym,)).fetchall()
        return {'p': pseudonym, 'home': home, 'units': {r[0] for r in rows},
                'regions': {r[1] for r in rows}}
    own = c.execute("SELECT p.pseudonym FROM person p JOIN contact k ON k.person_id = p.id "
                    "JOIN care_unit cu ON cu.id = k.unit_id WHERE p.region_code = '12' AND "
                    "cu.code = ? LIMIT 1", (unit,)).fetchone()[0]
    foreign = c.execute("SELECT p.pseudonym FROM person p WHERE p.region_code = '01' AND "
                        "NOT EXISTS (SELECT 1 FROM contact k JOIN care_unit cu ON cu.id = "
                        "k.unit_id WHERE k.person_id = p.id AND cu.region_code = '12') "
                        "LIMIT 1").fetchone()[0]
    people = {'own': person(own), 'foreign': person(foreign)}
    c.close()
    return people, unit


def check_signin(d):
    b = Browser()
    r = b.get('/login')
    ok(r.status == 200 and 'text/html' in (r.h('Content-Type') or ''), 'GET /login is a page')
    html = r.text()
    ok(re.search(r'<form[^>]*method="post"[^>]*action="/login"', html) is not None,
       'the form posts to /login')
    ok('name="username"' in html and 'name="password"' in html and
       'type="hidden" name="csrf"' in html, 'it has username, password and a hidden CSRF field')
    ok('<label for="username">' in html and '<label for="password">' in html,
       'every field has a label')
    anon = [c for c in r.set_cookies if c.startswith('knod_csrf=')]
    ok(len(anon) == 1 and 'HttpOnly' in anon[0] and 'SameSite=Strict' in anon[0] and
       'Secure' not in anon[0], 'the anonymous CSRF cookie: HttpOnly, SameSite=Strict, '
       'no Secure on loopback', r.set_cookies)
    ok('<script>' not in html and ' onclick' not in html, 'no inline script: works without')

    # CSRF on the anonymous form: missing, wrong, or a valid token of
    # another browser (not the cookie's) is 403, and nobody is signed in.
    tok = b.form_token()
    r = b.post('/login', {'username': 'admin', 'password': PW})
    ok(r.status == 403 and not any(c.startswith('knod_session=') for c in r.set_cookies),
       'POST /login without a CSRF token: 403, no session', r.status)
    r = b.post('/login', {'csrf': tok[:-1] + ('0' if tok[-1] != '0' else '1'),
                          'username': 'admin', 'password': PW})
    ok(r.status == 403, 'a changed CSRF token: 403', r.status)
    other = Browser()
    otok = other.form_token()
    r = b.post('/login', {'csrf': otok, 'username': 'admin', 'password': PW})
    ok(r.status == 403, "another browser's token (double submit does not match): 403",
       r.status)
    forged = Browser()
    forged.jar['knod_csrf'] = 'ab' * 48
    r = forged.post('/login', {'csrf': 'ab' * 48, 'username': 'admin', 'password': PW})
    ok(r.status == 403, 'a made-up token in both cookie and form (not signed): 403', r.status)

    # A bad sign-in: the form again, the error summary at the top and at
    # the field; an unknown user and a wrong password read the same.
    r = b.signin('anna.coord', 'fel-lösenord-123')
    wrong = r.text()
    ok(r.status == 200 and 'class="error-summary"' in wrong and 'role="alert"' in wrong and
       'tabindex="-1"' in wrong, 'a wrong password shows the error summary', r.status)
    ok(wrong.index('error-summary') < wrong.index('<h1'), 'the summary comes before the h1')
    ok('href="#username"' in wrong and 'aria-invalid="true"' in wrong and
       'id="username-error"' in wrong, 'the summary links to the field, which has its error')
    ok(re.search(r'<title>[^<]*(Fel|Error)', wrong) is not None, 'the title says Error')
    ok('fel-lösenord' not in wrong, 'the password is never shown again')
    r2 = b.signin('nobody.at.all', 'fel-lösenord-123')
    msg = lambda h: re.findall(r'class="error-message">(.*?)</p>', h)
    ok(msg(r2.text()) == msg(wrong) and msg(wrong), 'unknown user and wrong password: the '
       'same answer', (msg(r2.text()), msg(wrong)))
    r = b.post('/login', {'csrf': b.form_token(), 'username': '', 'password': ''})
    ok(r.text().count('class="error-message"') == 2 and 'href="#password"' in r.text(),
       'both fields empty: an error at each, both in the summary')

    # A personnummer typed as the user name is never shown or audited.
    r = b.signin('19121212-1212', 'fel-lösenord-123')
    ok('1212-1212' not in r.text() and '19121212' not in r.text(),
       'a personnummer typed as user name is not echoed', r.status)

    # Good sign-in: 303 to next, the session cookie.
    before = dict(b.jar)
    r = b.signin('anna.coord', nxt='/regions')
    ok(r.status == 303 and r.h('Location') == '/regions', 'a good sign-in: 303 to next',
       (r.status, r.h('Location')))
    sc = [c for c in r.set_cookies if c.startswith('knod_session=')]
    ok(len(sc) == 1, 'it sets the session cookie', r.set_cookies)
    c = sc[0] if sc else ''
    sid = c.split(';')[0].split('=', 1)[1]
    ok(re.fullmatch(r'[A-Za-z0-9_-]{43}', sid) is not None, 'the id: 43 URL-safe characters '
       '(256 bits)', sid)
    ok('HttpOnly' in c and 'SameSite=Lax' in c and 'Path=/' in c and 'Secure' not in c and
       'Max-Age' not in c and 'Expires' not in c, 'HttpOnly; SameSite=Lax; Path=/, no Secure '
       'on loopback, ends with the browser', c)
    r = b.get('/account')
    ok(r.status == 200 and '<dd>anna.coord</dd>' in r.text() and '12' in r.text(),
       '/account shows who is signed in, role and scope')
    ok('private' in (r.h('Cache-Control') or '') and 'no-store' in r.h('Cache-Control'),
       'a signed-in page is not stored by caches', r.h('Cache-Control'))
    r = b.get('/api/v1/account')
    ok(r.status == 200 and json.loads(r.text())['role'] == 'coordinator',
       '/api/v1/account: the same as JSON')
    ok('anna.coord' in b.get('/').text(), 'every page says who is signed in')
    r = Browser().get('/')
    ok(r.status in (200, 503) and 'anna.coord' not in r.text(),
       "the results cache never hands a signed-in user's page to anyone else")

    # next only to a local path
    for evil in ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:x',
                 '/login']:
        x = Browser()
        r = x.signin('bo.analyst', nxt=evil)
        ok(r.status == 303 and r.h('Location') == '/account',
           'next=%r is not followed (303 /account)' % evil, r.h('Location'))

    # The session's CSRF token: every POST of a signed-in user needs it.
    tok = b.csrf()
    ok(tok and len(tok) == 64, "the account page's forms carry the session's token")
    r = b.post('/logout', {})
    ok(r.status == 403, 'sign-out without the token: 403', r.status)
    r = b.post('/logout', {'csrf': before.get('knod_csrf', 'x')})
    ok(r.status == 403, "sign-out with the anonymous form's token: 403", r.status)
    x = Browser()
    x.signin('anna.coord')
    r = b.post('/logout', {'csrf': x.csrf()})
    ok(r.status == 403, "sign-out with another session's token (same user): 403", r.status)
    ok(b.get('/account').status == 200, 'after the refused POSTs the session still works')
    r = b.req('POST', '/logout', body='{"csrf": "%s"}' % tok, ctype='application/json')
    ok(r.status == 415, 'a JSON body to a form route: 415', r.status)
    r = b.req('POST', '/logout', body='csrf=%zz', ctype='application/x-www-form-urlencoded')
    ok(r.status == 400 and 'csrf' in r.text(), 'a bad %-escape: 400 naming the field', r.status)
    r = b.req('POST', '/logout', body='', headers={'X-CSRF-Token': tok})
    ok(r.status == 303, 'the X-CSRF-Token header does as well as the field (sign-out: 303)',
       r.status)
    ok(b.get('/account').status == 303, 'after sign-out /account sends to sign-in')
    r = Browser()
    r.jar['knod_session'] = sid
    ok(r.get('/api/v1/account').status == 401, 'the ended id is refused everywhere')

    # Fixation: an id planted before sign-in (a valid session of the
    # attacker's) is never the one after, and it is ended by the sign-in.
    att = Browser()
    att.signin('bo.analyst')
    planted = att.jar['knod_session']
    v = Browser()
    v.jar['knod_session'] = planted
    r = v.signin('anna.coord')
    new = v.jar.get('knod_session')
    ok(r.status == 303 and new and new != planted, 'sign-in with a planted id gives a new id')
    ok(att.get('/api/v1/account').status == 401, 'and the planted id no longer works')
    r = v.get('/api/v1/account')
    ok(r.status == 200 and json.loads(r.text())['name'] == 'anna.coord',
       'the victim is signed in as herself under the new id')
    bogus = Browser()
    bogus.jar['knod_session'] = 'A' * 43
    r = bogus.get('/account')
    ok(r.status == 303 and any(c.startswith('knod_session=;') and 'Max-Age=0' in c
                               for c in r.set_cookies),
       'an unknown id is cleared and sends to sign-in', r.set_cookies)

    # Sign out everywhere: every session of the user, no one else's.
    s1, s2, other = Browser(), Browser(), Browser()
    s1.signin('anna.coord')
    s2.signin('anna.coord')
    other.signin('bo.analyst')
    r = s1.post('/account/signout-all', {'csrf': s1.csrf()})
    ok(r.status == 303, 'sign out everywhere: 303', r.status)
    ok(s2.get('/api/v1/account').status == 401 and v.get('/api/v1/account').status == 401,
       "the user's other sessions are ended")
    ok(other.get('/api/v1/account').status == 200, "another user's session is not")

    # The lockout: after 5 failures the right password is refused too,
    # with the lockout's words.
    lk = Browser()
    for i in range(5):
        lk.signin('lars.locked', 'fel-lösenord-%d' % (100 + i))
    r = lk.signin('lars.locked')
    ok(r.status == 200 and 'error-summary' in r.text() and
       re.search(r'(låst|locked)', r.text()) is not None and 'knod_session' not in lk.jar,
       'locked after 5 failures: even the right password is refused, and it says locked')

    # The audit log has all of it, and still verifies.
    es = audit(d)
    acts = [e['action'] for e in es]
    ok('signin' in acts and 'signin-failed' in acts and 'signout' in acts and
       'signout-all' in acts, 'sign-ins, failures and sign-outs are audited',
       sorted(set(acts)))
    fails = [e for e in es if e['action'] == 'signin-failed']
    ok(any(e['subject'] == 'nobody.at.all' for e in fails) and
       any(e['subject'] == 'anna.coord' for e in fails), 'a failure names the user name tried')
    ok(not any('1212-1212' in json.dumps(e) for e in es),
       'no personnummer in the audit log (the typed one is masked)')
    ok(any(e['subject'] == 'XXXXXXXX-XXXX' for e in fails), 'the typed one is there masked')
    ok(all(e['actor'] == 'anonymous' for e in fails), 'failures are by "anonymous"')
    ok(knod('audit', 'verify', '--dir', d, check=False).returncode == 0,
       'the audit chain verifies')


def check_admin(d):
    adm, bo = Browser(), Browser()
    adm.signin('admin.nation')
    bo.signin('bo.analyst')
    r = adm.get('/admin/users')
    ok(r.status == 200 and '<th scope="row">bo.analyst</th>' in r.text(),
       '/admin/users lists the users', r.status)
    ok(adm.get('/admin/audit').status == 200 and 'signin' in adm.get('/admin/audit').text(),
       '/admin/audit shows the audit log')
    ok(adm.get('/admin/audit?since=2026-13-01').status == 400, '/admin/audit?since=junk: 400')
    ok(adm.get('/admin/audit?user=bo.analyst').text().count('<tr><td>') ==
       len(audit(d, '--user', 'bo.analyst')), '/admin/audit?user= filters like knod audit show')
    r = adm.post('/admin/users/disable', {'name': 'bo.analyst'})
    ok(r.status == 403 and bo.get('/api/v1/account').status == 200,
       'disable without the CSRF token: 403, nothing changed')
    r = adm.post('/admin/users/disable', {'csrf': adm.csrf(), 'name': 'bo.analyst'})
    ok(r.status == 303 and r.h('Location') == '/admin/users', 'disable: 303 back to the list')
    ok(bo.get('/api/v1/account').status == 401, "the disabled user's session ends at once")
    r = Browser().signin('bo.analyst')
    ok(r.status == 200 and 'error-summary' in r.text(), 'a disabled user cannot sign in')
    ok('avstängd' in adm.get('/admin/users').text(), 'the list says disabled')
    r = adm.post('/admin/users/enable', {'csrf': adm.csrf(), 'name': 'bo.analyst'})
    ok(r.status == 303 and Browser().signin('bo.analyst').status == 303,
       'enable: the user can sign in again')
    r = adm.post('/admin/users/disable', {'csrf': adm.csrf(), 'name': 'admin.nation'})
    ok(r.status == 400, 'an administrator cannot disable their own account', r.status)
    r = adm.post('/admin/users/disable', {'csrf': adm.csrf(), 'name': 'nobody.here'})
    ok(r.status == 404, 'disabling an unknown user: 404', r.status)
    es = [e for e in audit(d) if e['action'] in ('user-disable', 'user-enable')]
    ok([(e['actor'], e['action'], e['subject']) for e in es] ==
       [('admin.nation', 'user-disable', 'bo.analyst'),
        ('admin.nation', 'user-enable', 'bo.analyst')],
       'disable and enable are audited with the administrator as actor', es)


def check_persons(d, people):
    own, foreign = people['own']['p'], people['foreign']['p']
    c = Browser()
    c.signin('cli.unit')
    n0 = len(audit(d, '--person', own))
    r = c.get('/persons/' + own)
    ok(r.status == 200 and 'name="purpose"' in r.text() and '<table' not in r.text(),
       'the first person page of a session asks for the purpose, and shows no records')
    ok(len(audit(d, '--person', own)) == n0, 'asking for the purpose is no view')
    r = c.post('/purpose', {'csrf': c.csrf(), 'purpose': 'curiosity', 'next': '/persons/' + own})
    ok(r.status == 400, 'a purpose not in the list: 400', r.status)
    r = c.post('/purpose', {'csrf': c.csrf(), 'purpose': 'care', 'next': '/persons/' + own})
    ok(r.status == 303 and r.h('Location') == '/persons/' + own,
       'a purpose from the list: 303 back to the person', (r.status, r.h('Location')))
    r = c.post('/purpose', {'csrf': c.csrf(), 'purpose': 'care', 'next': '//evil.example'})
    ok(r.h('Location') == '/account', 'the purpose form goes back to a person page only')
    r = c.get('/persons/' + own)
    ok(r.status == 200 and '<caption>' in r.text() and own in r.text(),
       'then the person page shows the records')
    vs = [e for e in audit(d, '--person', own) if e['action'] == 'view-person']
    ok(len(vs) == 1 and vs[0]['actor'] == 'cli.unit' and vs[0]['purpose'] == 'care',
       'each view is audited: who, which pseudonym, the purpose', vs)
    ok(any(e['action'] == 'purpose' and e['purpose'] == 'care' for e in audit(d, '--user',
                                                                              'cli.unit')),
       'the stated purpose is audited')
    r = c.get('/persons/' + foreign)
    ok(r.status == 403 and '/persons/%s/emergency' % foreign in r.text(),
       'a person outside the scope: 403, with the way to emergency access')
    ok(not [e for e in audit(d, '--person', foreign) if e['action'] == 'view-person'],
       'and no view of that person')
    r = c.get('/persons/%s/emergency' % foreign)
    ok(r.status == 200 and 'name="reason"' in r.text(), 'the emergency access form')
    r = c.post('/persons/%s/emergency' % foreign, {'csrf': c.csrf(), 'reason': 'akut'})
    ok(r.status == 200 and 'error-summary' in r.text() and 'aria-invalid' in r.text(),
       'a reason too short: the form again with its error')
    r = c.post('/persons/%s/emergency' % foreign,
               {'csrf': c.csrf(), 'reason': 'patienten 19121212-1212 är akut sjuk'})
    ok(r.status == 200 and '1212-1212' not in r.text(),
       'a reason with a personnummer is refused and not shown again')
    ok(c.get('/persons/' + foreign).status == 403, 'a refused reason grants nothing')
    reason = 'Akut omhändertagande på akutmottagningen, journalen behövs nu'
    r = c.post('/persons/%s/emergency' % foreign, {'csrf': c.csrf(), 'reason': reason})
    ok(r.status == 303 and r.h('Location') == '/persons/' + foreign,
       'emergency access with a reason: 303 to the person', r.status)
    r = c.get('/persons/' + foreign)
    ok(r.status == 200 and 'class="warning"' in r.text(),
       'the person is shown, marked as emergency access')
    es = audit(d, '--person', foreign)
    ok(any(e['action'] == 'emergency-access' and e['detail'] == reason for e in es) and
       any(e['action'] == 'view-person' and e['detail'] == 'emergency access' for e in es),
       'the emergency access and the view are audited, with the reason', es)
    c2 = Browser()
    c2.signin('cli.unit')
    c2.post('/purpose', {'csrf': c2.csrf(), 'purpose': 'care', 'next': '/account'})
    ok(c2.get('/persons/' + foreign).status == 403,
       'emergency access holds for its own session only')
    # The review by the coordinator of the person's region (01).
    rv = Browser()
    rv.signin('cea.coord01')
    r = rv.get('/review/01')
    m = re.search(r'name="id" value="(\d+)"', r.text())
    ok(r.status == 200 and reason in r.text() and 'cli.unit' in r.text() and m,
       "the access waits on the review page of the person's region")
    other = Browser()
    other.signin('anna.coord')
    ok(other.get('/review/01').status == 403, "another region's coordinator may not see it")
    ok(other.get('/review/12').status == 200 and reason not in other.get('/review/12').text(),
       'nor is it on their own review page')
    r = rv.post('/review/01/done', {'csrf': rv.csrf(), 'id': m.group(1) if m else '0'})
    ok(r.status == 303 and 'Granskad av cea.coord01' in rv.get('/review/01').text(),
       'marked reviewed, with by whom')
    r = rv.post('/review/01/done', {'csrf': rv.csrf(), 'id': m.group(1) if m else '0'})
    ok(r.status == 404, 'reviewing it again: 404', r.status)
    ok(any(e['action'] == 'emergency-reviewed' and e['actor'] == 'cea.coord01'
           for e in audit(d, '--user', 'cea.coord01')), 'the review is audited')


# --- the authorisation matrix ------------------------------------------

ROUTE_RE = re.compile(r'\{\s*"(GET|POST|PUT|DELETE)",\s*"([^"]+)",\s*\w+,\s*"([^"]+)"')


def route_table():
    """The portal's routes as the source declares them (web_router.c)."""
    src = open(os.path.join(os.environ['SRCDIR'], 'src/web/web_router.c')).read()
    table = src[src.index('routes[] = {'):src.index('};', src.index('routes[] = {'))]
    return ROUTE_RE.findall(table)


def expected(access, who, region, person):
    """The oracle: what a declaration means (docs/access.md), written
    apart from web_router.c. who: None (anonymous) or a user dict."""
    if access == 'public':
        return 'allow'
    if who is None:
        return 'signin'
    words = access.replace(',', ' ').split()
    roles = [w for w in words if not w.startswith('@') and w != 'signed-in']
    if 'signed-in' not in words and who['role'] not in roles:
        return 'deny'
    if '@region' in words:
        if who['scope'] == 'nation':
            return 'allow'
        return 'allow' if who['scope'] == 'region' and who['code'] == region else 'deny'
    if '@activity' in words or '@event' in words or '@survey' in words:
        # {id} is filled with 'ref-a', no activity's, event's or survey's
        # number (404 after the role check); the rules' scope is tested by
        # http_net_programme_edit.py and http_survey_edit.py
        return 'allow'
    if '@unit' in words:
        # the matrix fills {code} with a code no unit has (404 after the
        # role check); the unit rule's scope is tested by http_unit_edit.py
        return 'allow'
    if '@person' in words:
        if who['scope'] == 'nation':
            return 'allow'
        if who['scope'] == 'region':
            ok_ = person['home'] == who['code'] or who['code'] in person['regions']
        else:
            ok_ = who['code'] in person['units']
        return 'allow' if ok_ else 'deny'
    return 'allow'


def outcome(r, api):
    if r.status == 303 and (r.h('Location') or '').startswith('/login?next='):
        return 'signin'
    if r.status == 401:
        return 'signin'
    if r.status == 403:
        return 'deny'
    return 'allow'


def check_matrix(d, people, identities):
    routes = route_table()
    ok(len(routes) >= 20 and any(a != 'public' for _, _, a in routes),
       'the route table is read from the source (%d routes)' % len(routes))
    browsers = {}
    for name, who in identities.items():
        b = Browser()
        if who:
            b.signin(name)
        browsers[name] = b
    fills = {'id': 'ref-a', 'code': '12', 'file': 'knod.css'}
    escapes, wrong, total = [], [], 0
    for method, pattern, access in routes:
        variants = [('own', '12', people['own']), ('foreign', '01', people['foreign'])] \
            if ('{region}' in pattern or '{pseudonym}' in pattern) else [('-', '12', people['own'])]
        for name, who in identities.items():
            for label, region, person in variants:
                path = pattern.replace('{region}', region).replace('{pseudonym}', person['p'])
                path = re.sub(r'\{(\w+)\}', lambda m: fills.get(m.group(1), 'x'), path)
                b = browsers[name]
                if method == 'GET':
                    r = b.get(path)
                else:
                    tok = b.csrf() if who else b.form_token()
                    r = b.post(path, {'csrf': tok or ''})
                total += 1
                want = expected(access, who, region, person)
                got = outcome(r, path.startswith('/api/'))
                if want != 'allow' and got == 'allow':
                    escapes.append('%s %s as %s (%s): %d' % (method, path, name, label, r.status))
                elif want != got:
                    wrong.append('%s %s as %s (%s): want %s, got %d' % (method, path, name, label,
                                                                        want, r.status))
                if who is None and want == 'signin':
                    api = path.startswith('/api/') or method != 'GET'
                    if api and r.status != 401:
                        wrong.append('%s %s anonymous: want 401, got %d' % (method, path, r.status))
                    if api and r.status == 401 and 'application/json' not in (r.h('Content-Type') or ''):
                        if path.startswith('/api/'):
                            wrong.append('%s %s anonymous: 401 not JSON' % (method, path))
                # an allowed POST that ended the session: sign in again
                if who and 'knod_session' not in b.jar:
                    b.signin(name)
    ok(not escapes, 'authorisation matrix: %d route x identity x scope checks, 0 escapes'
       % total, '\n'.join(escapes))
    ok(not wrong, 'authorisation matrix: every status as declared', '\n'.join(wrong[:40]))


def main():
    tmp = tempfile.mkdtemp(prefix='knod-access-')
    try:
        d = kh.store(tmp, persons=300, seed=5)
        people, unit12 = pick_people(os.path.join(d, 'knod.db'))
        users = [('admin.nation', 'admin', []), ('bo.analyst', 'analyst', []),
                 ('anna.coord', 'coordinator', ['--region', '12']),
                 ('lars.locked', 'coordinator', ['--region', '12']),
                 ('cea.coord01', 'coordinator', ['--region', '01']),
                 ('reg.region', 'registrar', ['--region', '12']),
                 ('reg.unit', 'registrar', ['--unit', unit12]),
                 ('cli.unit', 'clinician', ['--unit', unit12])]
        kh.add_users(d, users)
        identities = {'anonymous': None}
        for name, role, scope in users:
            if name in ('lars.locked', 'cea.coord01'):
                continue
            identities[name] = {'role': role,
                                'scope': 'nation' if not scope else scope[0][2:],
                                'code': scope[1] if scope else None}
        with kh.Server(d, tmp, '--id', 'ref-a') as server:
            check_signin(d)
            check_admin(d)
            check_persons(d, people)
            check_matrix(d, people, identities)
            text = server.log_text()
            ok(PW not in text and 'fel-lösenord' not in text and '1212-1212' not in text,
               'the server log has no password and no personnummer')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


if __name__ == '__main__':
    main()
