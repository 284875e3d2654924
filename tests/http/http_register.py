#!/usr/bin/env python3
"""tests/http/http_register.py: the registration forms of `knod serve`
(/register/{kind}) over real HTTP (TAP).

Makes a small synthetic store with registrars and clinicians of region 12
and of one unit, starts `knod serve` and checks: every kind has a form
with labels and hints; a posted form goes through the import's rules (a
bad cause code, a bad personnummer, a time after today) and comes back
with the GOV.UK error pattern (summary at the top with role=alert and
links, the error at the field, the values kept) and never with the
personnummer; CSRF on the POST; a unit and a person outside the scope are
refused with nothing stored; a good form is stored, audited, counted as an
import run (the results move on) and seen on the person page; the same
record twice is refused; a new person is registered within the home
region only.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import csv
import html
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import knodhttp as kh  # noqa: E402

ok, knod, Browser, PW = kh.ok, kh.knod, kh.Browser, kh.PW


def luhn_pnr(birth, serial):
    """A valid 12-digit personnummer for birth YYYYMMDD and 3 serial digits."""
    d = birth[2:] + serial
    s = 0
    for i, ch in enumerate(d):
        v = int(ch) * (2 if i % 2 == 0 else 1)
        s += v // 10 + v % 10
    return birth + serial + str((10 - s % 10) % 10)


def count(db, sql, *args):
    c = sqlite3.connect(db)
    try:
        return c.execute(sql, args).fetchone()[0]
    finally:
        c.close()


def pick(db, syn):
    """A person of region 12 (by pnr from the synthetic persons file), a unit
    of region 12 and one of region 01, and a person of region 01 with no
    contact in region 12."""
    c = sqlite3.connect(db)
    unit12 = c.execute("SELECT code FROM care_unit WHERE region_code = '12' ORDER BY code "
                       "LIMIT 1").fetchone()[0]
    unit01 = c.execute("SELECT code FROM care_unit WHERE region_code = '01' ORDER BY code "
                       "LIMIT 1").fetchone()[0]
    ids12 = {r[0]: r[1] for r in c.execute(
        "SELECT source_id, pseudonym FROM person WHERE region_code = '12'")}
    ids01 = {r[0]: r[1] for r in c.execute(
        "SELECT p.source_id, p.pseudonym FROM person p WHERE p.region_code = '01' AND "
        "NOT EXISTS (SELECT 1 FROM contact k JOIN care_unit cu ON cu.id = k.unit_id WHERE "
        "k.person_id = p.id AND cu.region_code = '12')")}
    c.close()
    own = foreign = None
    with open(os.path.join(syn, 'persons.csv'), newline='') as f:
        for row in csv.DictReader(f):
            if row['source_id'] in ids12 and own is None and not row.get('death_date'):
                own = (row['pnr'], ids12[row['source_id']])
            if row['source_id'] in ids01 and foreign is None:
                foreign = (row['pnr'], ids01[row['source_id']])
    return own, foreign, unit12, unit01


def digits(pnr):
    return re.sub(r'\D', '', pnr)


def errors_of(page):
    return re.findall(r'class="error-message"><span class="vh">[^<]*</span> ([^<]*)</p>', page)


def check_forms(d, db, own, foreign, unit12, unit01):
    reg = Browser()
    reg.signin('reg.region')
    r = reg.get('/register')
    ok(r.status == 200 and all('href="/register/%s"' % k in r.text() for k in
                               ('persons', 'contacts', 'self_harm', 'coercive_measures',
                                'assessments', 'care_plans', 'treatments', 'follow_ups',
                                'pathway_steps')), '/register lists a form per kind', r.status)
    ok(Browser().get('/register/self_harm').status == 303, 'anonymous: sent to sign in')
    for kind in ('persons', 'contacts', 'self_harm', 'coercive_measures', 'assessments',
                 'care_plans', 'treatments', 'follow_ups', 'pathway_steps'):
        h = reg.get('/register/' + kind).text()
        ids = re.findall(r'<(?:input|select) id="(f-[a-z_]+)"', h)
        labels = re.findall(r'<label for="(f-[a-z_]+)"', h)
        ok(ids and ids == labels and 'care_col_' not in h and 'care_hint_' not in h and
           h.count('class="hint"') == len(ids),
           '/register/%s: every field has its label and hint' % kind, (ids, labels))
    h = reg.get('/register/self_harm?lang=en').text()
    ok('Cause code' in h and 'Personal identity number' in h, 'the labels in English too')
    reg.get('/register/self_harm?lang=sv')
    ok(reg.get('/register/nothing').status == 404, 'an unknown kind: 404')

    pnr, pseudo = own
    form = {'source_system': 'knod-web', 'source_id': '', 'pnr': pnr,
            'time': '2024-03-05 14:30', 'cause_code': 'X99', 'contact_id': ''}
    r = reg.post('/register/self_harm', form)
    ok(r.status == 403, 'POST without the CSRF token: 403', r.status)
    n_acts = count(db, 'SELECT count(*) FROM self_harm_act')

    # A cause code the import refuses: the error at the field and in the
    # summary, the other values kept, the number not.
    r = reg.post('/register/self_harm', dict(form, csrf=reg.csrf()))
    h = r.text()
    ok(r.status == 200 and 'class="error-summary"' in h and 'role="alert"' in h and
       'tabindex="-1"' in h and h.index('error-summary') < h.index('<h1'),
       'a refused form: the error summary at the top', r.status)
    ok('href="#f-cause_code"' in h and 'id="f-cause_code-error"' in h and
       re.search(r'id="f-cause_code"[^>]*aria-invalid="true"', h) and
       'self-harm cause' in h, 'the summary links to the field, which has the rule\'s error',
       errors_of(h))
    ok('value="2024-03-05 14:30"' in h and 'value="X99"' in h, 'the values are kept')
    ok(digits(pnr)[-10:] not in re.sub(r'[^0-9]', '', h) and 'value=""' in h,
       'the personnummer is not in the page (typed again)')
    ok(re.search(r'<title>[^<]*(Fel|Error)', h) is not None, 'the title says Error')
    ok(count(db, 'SELECT count(*) FROM self_harm_act') == n_acts, 'nothing was stored')

    # The rules are the import's: the same message as knod import gives.
    tmp = os.path.join(os.path.dirname(d), 'self_harm.csv')
    with open(tmp, 'w') as f:
        f.write('source_system,source_id,pnr,time,cause_code\nx,1,%s,2024-03-05 14:30,X99\n'
                % pnr)
    p = knod('import', '--dir', d, tmp, check=False)
    err = p.stderr.decode()
    why = html.unescape(errors_of(h)[0].split(': ', 1)[1]) if errors_of(h) else '?'
    ok(why in err, 'the form says what knod import says of the same row', (why, err))

    bad = dict(form, csrf=reg.csrf(), cause_code='X70')
    r = reg.post('/register/self_harm', dict(bad, pnr=pnr[:-1] + str((int(pnr[-1]) + 1) % 10)))
    h = r.text()
    ok('href="#f-pnr"' in h and digits(pnr)[-10:-1] not in re.sub(r'[^0-9]', '', h),
       'a wrong check digit: an error at the personnummer, which is not echoed', errors_of(h))
    r = reg.post('/register/self_harm', dict(bad, time='2099-01-01 10:00'))
    ok('href="#f-time"' in r.text(), 'a time after today: an error at the time',
       errors_of(r.text()))
    r = reg.post('/register/self_harm', dict(bad, time='2024-03-31 02:30'))
    ok('href="#f-time"' in r.text(), 'a clock time that does not exist in Sweden: refused')

    # Scope: a unit of region 01, a person of region 01.
    n_contacts = count(db, 'SELECT count(*) FROM contact')
    r = reg.post('/register/contacts', {
        'csrf': reg.csrf(), 'source_system': 'knod-web', 'source_id': '', 'pnr': pnr,
        'unit': unit01, 'contact_type': 'outpatient', 'start': '2024-02-01 10:00'})
    h = r.text()
    ok(r.status == 200 and 'href="#f-unit"' in h and ('utanför' in h or 'outside' in h),
       'a registrar of region 12 cannot register at a unit of region 01', errors_of(h))
    ok(count(db, 'SELECT count(*) FROM contact') == n_contacts, 'and nothing was stored')
    r = reg.post('/register/self_harm', dict(bad, pnr=foreign[0]))
    h = r.text()
    ok(r.status == 200 and 'href="#f-pnr"' in h and digits(foreign[0])[-10:] not in
       re.sub(r'[^0-9]', '', h), 'a person outside the scope: refused at the personnummer',
       errors_of(h))
    ok(count(db, 'SELECT count(*) FROM self_harm_act') == n_acts, 'nothing was stored')

    # A good form: stored, 303 to the form with the pseudonym.
    st0 = json.loads(Browser().get('/api/v1/status').text())
    runs = count(db, "SELECT count(*) FROM import_run WHERE format = 'form'")
    r = reg.post('/register/self_harm', dict(bad, source_id='act-form-1'))
    loc = r.h('Location') or ''
    ok(r.status == 303 and loc == '/register/self_harm?stored=%s&id=act-form-1' % pseudo,
       'a good form: 303 with the stored record\'s pseudonym', (r.status, loc, errors_of(r.text())))
    ok(count(db, 'SELECT count(*) FROM self_harm_act') == n_acts + 1, 'the act is stored')
    row = sqlite3.connect(db).execute(
        "SELECT a.cause_code, a.intent, p.pseudonym FROM self_harm_act a JOIN person p ON "
        "p.id = a.person_id WHERE a.source_system = 'knod-web' AND a.source_id = 'act-form-1'"
    ).fetchone()
    ok(row == ('X70', 'intentional', pseudo), 'as the import would store it', row)
    h = reg.get(loc).text()
    ok('role="status"' in h and '/persons/%s' % pseudo in h, 'the form shows the pseudonym '
       'with a link to the person')
    ok(count(db, "SELECT count(*) FROM import_run WHERE format = 'form'") == runs + 1,
       'the form is an import run (the change stamp the results follow)')
    gen = st0.get('generation', 0)
    deadline = time.time() + 300  # a loaded machine computes slowly; poll, do not sleep
    while True:
        st = json.loads(Browser().get('/api/v1/status').text())
        if st.get('generation', 0) > gen or time.time() > deadline:
            break
        time.sleep(0.05)
    ok(st.get('generation', 0) > gen, 'the results are computed again after the form',
       (gen, st.get('generation')))
    es = [e for e in kh.audit(d, '--person', pseudo) if e['action'] == 'register']
    ok(len(es) == 1 and es[0]['actor'] == 'reg.region' and 'self_harm' in es[0]['detail'] and
       'act-form-1' in es[0]['detail'], 'the registration is audited', es)
    r = reg.post('/register/self_harm', dict(bad, source_id='act-form-1', csrf=reg.csrf()))
    ok(r.status == 200 and 'href="#f-source_id"' in r.text(),
       'the same record again: refused at its id (a change is a correction)')
    reg.post('/purpose', {'csrf': reg.csrf(), 'purpose': 'care', 'next': '/persons/' + pseudo})
    h = reg.get('/persons/' + pseudo).text()
    ok('2024-03-05T14:30' in h and 'self_harm_act' in h, 'the act is on the person page')
    check_changes(d, db, reg, pnr, pseudo, foreign, unit12)

    # A new person: within the home region only; then their first act.
    new = luhn_pnr('20080417', '238')
    r = reg.post('/register/persons', {'csrf': reg.csrf(), 'source_system': 'knod-web',
                                       'source_id': '', 'pnr': new, 'municipality': '0180'})
    ok(r.status == 200 and 'href="#f-municipality"' in r.text(),
       'a person of a municipality of region 01: refused', errors_of(r.text()))
    r = reg.post('/register/persons', {'csrf': reg.csrf(), 'source_system': 'knod-web',
                                       'source_id': '', 'pnr': new, 'municipality': '1280'})
    m = re.search(r'stored=([0-9a-f]{32})', r.h('Location') or '')
    ok(r.status == 303 and m, 'a person of Malmö (region 12): stored', errors_of(r.text()))
    r = reg.post('/register/persons', {'csrf': reg.csrf(), 'source_system': 'knod-web',
                                       'source_id': '', 'pnr': new, 'municipality': '1280'})
    ok(r.status == 200 and 'href="#f-pnr"' in r.text(), 'the same person again: refused')

    # A clinician of one unit: a contact at another unit of the region is
    # refused, at their own unit it is stored.
    cli = Browser()
    cli.signin('cli.unit')
    other = sqlite3.connect(db).execute(
        "SELECT code FROM care_unit WHERE region_code = '12' AND code <> ? LIMIT 1",
        (UNIT,)).fetchone()[0]
    f = {'csrf': cli.csrf(), 'source_system': 'knod-web', 'source_id': '', 'pnr': new,
         'unit': other, 'contact_type': 'outpatient', 'start': '2024-02-01 10:00'}
    r = cli.post('/register/contacts', f)
    ok(r.status == 200 and 'href="#f-unit"' in r.text(), 'a unit clinician: another unit '
       'is refused')
    r = cli.post('/register/contacts', dict(f, unit=UNIT))
    ok(r.status == 303, 'and their own unit is stored', errors_of(r.text()))
    ok(knod('audit', 'verify', '--dir', d, check=False).returncode == 0,
       'the audit chain verifies')


def history(db, source_id):
    c = sqlite3.connect(db)
    try:
        return c.execute('SELECT action, old_values, changed_by, reason FROM record_history '
                         'WHERE source_id = ? ORDER BY id', (source_id,)).fetchall()
    finally:
        c.close()


def check_changes(d, db, reg, pnr, pseudo, foreign, unit12):
    """Corrections keep the values before; deletions need a reason."""
    h = reg.get('/persons/' + pseudo).text()
    m = re.search(r'href="(/persons/%s/correct\?kind=self_harm&amp;system=knod-web&amp;'
                  r'id=act-form-1)"' % pseudo, h)
    ok(m is not None, 'the person page links each record to its correction')
    url = html.unescape(m.group(1)) if m else '/'
    r = reg.get(url)
    h = r.text()
    ok(r.status == 200 and 'value="X70"' in h and 'value="2024-03-05T14:30:00"' in h and
       re.search(r'id="f-source_id"[^>]*readonly', h) and 'id="f-pnr"' in h and
       digits(pnr)[-10:] not in re.sub(r'[^0-9]', '', h),
       'the correction form: the stored values, the id read-only, the number to type again')
    ok(any(e['action'] == 'view-person' and 'correction' in e['detail']
           for e in kh.audit(d, '--person', pseudo)), 'opening it is an audited view')
    ok(reg.get('/persons/%s/correct?kind=self_harm&system=knod-web&id=nothing' % pseudo)
       .status == 404, 'a record that is not there: 404')
    fix = {'csrf': reg.csrf(), 'kind': 'self_harm', 'source_system': 'knod-web',
           'source_id': 'act-form-1', 'pnr': '', 'time': '2024-03-05 14:30',
           'cause_code': 'X71', 'contact_id': ''}
    r = reg.post('/persons/%s/correct' % pseudo, fix)
    ok(r.status == 200 and 'href="#f-pnr"' in r.text(), 'a correction without the number: '
       'refused at it', errors_of(r.text()))
    r = reg.post('/persons/%s/correct' % pseudo, dict(fix, cause_code='X70', pnr=pnr))
    ok(r.status == 200 and 'error-summary' in r.text() and history(db, 'act-form-1') == [],
       'a correction that changes nothing: refused, no history', errors_of(r.text()))
    r = reg.post('/persons/%s/correct' % pseudo, dict(fix, cause_code='X30', pnr=pnr))
    ok(r.status == 200 and 'href="#f-cause_code"' in r.text(),
       "a correction goes through the import's rules", errors_of(r.text()))
    r = reg.post('/persons/%s/correct' % pseudo, dict(fix, pnr=pnr))
    ok(r.status == 303 and r.h('Location') == '/persons/' + pseudo, 'a correction: 303 to '
       'the person', (r.status, errors_of(r.text())))
    row = sqlite3.connect(db).execute("SELECT cause_code FROM self_harm_act WHERE source_id "
                                      "= 'act-form-1'").fetchone()
    hist = history(db, 'act-form-1')
    ok(row == ('X71',) and len(hist) == 1 and hist[0][0] == 'correct' and
       json.loads(hist[0][1]).get('cause_code') == 'X70' and hist[0][2] == 'reg.region',
       'the record holds the new value, its history the old one with who', (row, hist))
    h = reg.get('/persons/' + pseudo).text()
    ok('<caption>' in h and 'cause_code = X70' in h and 'reg.region' in h,
       'the person page lists the history')
    es = kh.audit(d, '--person', pseudo)
    ok(any(e['action'] == 'correct' and 'act-form-1' in e['detail'] for e in es),
       'the correction is audited')
    r = reg.post('/persons/%s/correct' % foreign[1], dict(fix, pnr=foreign[0]))
    ok(r.status == 403, "a correction at a person outside the scope: 403", r.status)

    # Deletion: a reason, checked; then gone, with its history.
    u = '/persons/%s/delete?kind=self_harm&system=knod-web&id=act-form-1' % pseudo
    r = reg.get(u)
    ok(r.status == 200 and 'name="reason"' in r.text() and 'X71' in r.text(),
       'the deletion page shows the record and asks for a reason')
    dl = {'csrf': reg.csrf(), 'kind': 'self_harm', 'source_system': 'knod-web',
          'source_id': 'act-form-1'}
    r = reg.post('/persons/%s/delete' % pseudo, dict(dl, reason=''))
    ok(r.status == 200 and 'href="#reason"' in r.text() and 'aria-invalid' in r.text(),
       'no reason: refused at the field')
    r = reg.post('/persons/%s/delete' % pseudo, dict(dl, reason='fel ' + pnr))
    ok(r.status == 200 and digits(pnr)[-10:] not in re.sub(r'[^0-9]', '', r.text()),
       'a reason with a personnummer: refused, and not shown again')
    ok(count(db, "SELECT count(*) FROM self_harm_act WHERE source_id = 'act-form-1'") == 1,
       'a refused deletion deletes nothing')
    reason = 'Registrerad på fel person, dubblett i journalen'
    r = reg.post('/persons/%s/delete' % pseudo, dict(dl, reason=reason))
    ok(r.status == 303, 'a deletion with a reason: 303', (r.status, errors_of(r.text())))
    hist = history(db, 'act-form-1')
    ok(count(db, "SELECT count(*) FROM self_harm_act WHERE source_id = 'act-form-1'") == 0
       and len(hist) == 2 and hist[1][0] == 'delete' and hist[1][3] == reason and
       json.loads(hist[1][1]).get('cause_code') == 'X71', 'the record is gone, its values '
       'and the reason kept', hist)
    ok(any(e['action'] == 'delete' and reason in e['detail']
           for e in kh.audit(d, '--person', pseudo)), 'the deletion is audited with the reason')
    ok(reason in reg.get('/persons/' + pseudo).text(), 'the person page shows it')

    # A contact that an act refers to cannot be deleted before the act.
    r = reg.post('/register/contacts', {
        'csrf': reg.csrf(), 'source_system': 'knod-web', 'source_id': 'c-form-1', 'pnr': pnr,
        'unit': unit12, 'contact_type': 'outpatient', 'start': '2024-02-01 10:00'})
    ok(r.status == 303, 'a contact registered', errors_of(r.text()))
    r = reg.post('/register/self_harm', {
        'csrf': reg.csrf(), 'source_system': 'knod-web', 'source_id': 'act-form-2', 'pnr': pnr,
        'time': '2024-02-01 09:00', 'cause_code': 'X78', 'contact_id': 'c-form-1'})
    ok(r.status == 303, 'an act referring to it', errors_of(r.text()))
    r = reg.post('/persons/%s/delete' % pseudo, {
        'csrf': reg.csrf(), 'kind': 'contacts', 'source_system': 'knod-web',
        'source_id': 'c-form-1', 'reason': reason})
    ok(r.status == 200 and 'error-summary' in r.text() and
       count(db, "SELECT count(*) FROM contact WHERE source_id = 'c-form-1'") == 1,
       'deleting the contact is refused while the act refers to it')


def main():
    global UNIT
    tmp = tempfile.mkdtemp(prefix='knod-register-')
    try:
        d = kh.store(tmp, persons=300, seed=5)
        syn = os.path.join(tmp, 'synth')
        db = os.path.join(d, 'knod.db')
        own, foreign, unit12, unit01 = pick(db, syn)
        UNIT = unit12
        kh.add_users(d, [('reg.region', 'registrar', ['--region', '12']),
                         ('cli.unit', 'clinician', ['--unit', unit12])])
        with kh.Server(d, tmp, '--id', 'ref-a') as server:
            check_forms(d, db, own, foreign, unit12, unit01)
            ok(digits(own[0])[-10:] not in re.sub(r'[^0-9]', '', server.log_text()),
               'the server log has no personnummer')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


if __name__ == '__main__':
    main()
