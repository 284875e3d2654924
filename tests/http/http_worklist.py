#!/usr/bin/env python3
"""tests/http/http_worklist.py: the care-pathway worklist of `knod serve`
over real HTTP (TAP).

A small synthetic store plus hand-made persons at a unit of region 12
(written with SQL into the store before the server starts): one whose
assessment is 12 days overdue, one assessed in time, one of region 12 only.
Checks, as of a fixed day (?as_of): the scope of each user (the registrar
of region 12 sees them, the registrar of region 01 sees none of them, and
every person anyone sees is within their scope by an SQL oracle written
from docs/access.md); the order (most overdue first) and the figures of a
hand-made item; the HTML page links each row to the person page, which
asks the purpose and is audited when opened; the coordinator's summary per
unit and its coverage; who may not (analyst, and the registrar on the
summary); a bad as_of.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import calendar
import os
import re
import shutil
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import knodhttp as kh  # noqa: E402

ok, knod, PW, audit = kh.ok, kh.knod, kh.PW, kh.audit
AS_OF = '2024-12-20'


def add_people(db):
    """Hand-made persons at a new unit of region 12; returns their pseudonyms."""
    c = sqlite3.connect(db)
    c.execute("INSERT INTO care_unit (code, name, region_code, unit_type, setting, "
              "source_system, source_id) VALUES ('WL-12', 'Arbetslistans enhet', '12', "
              "'adult_psychiatry', 'outpatient', 'wl', 'u1')")
    unit = c.execute("SELECT id FROM care_unit WHERE code = 'WL-12'").fetchone()[0]
    ps = {}
    for k, name in enumerate(['late', 'done', 'home']):
        p = ('%032x' % (0xabc000 + k))
        ps[name] = p
        c.execute("INSERT INTO person (pseudonym, id_kind, birth_year, sex, region_code, "
                  "source_system, source_id) VALUES (?, 'personnummer', 1990, 'F', '12', "
                  "'wl', ?)", (p, 'p%d' % k))
    pid = {n: c.execute("SELECT id FROM person WHERE pseudonym = ?", (p,)).fetchone()[0]
           for n, p in ps.items()}
    def t(day, hour):  # civil time as the store keeps it: seconds on that clock
        y, mo, dd = map(int, day.split('-'))
        return calendar.timegm((y, mo, dd, hour, 0, 0))
    for n in ('late', 'done'):
        c.execute("INSERT INTO contact (person_id, unit_id, contact_type, start_time, end_time, "
                  "legal_basis, brief_admission, source_system, source_id) VALUES "
                  "(?, ?, 'outpatient', ?, ?, 'voluntary', 0, 'wl', ?)",
                  (pid[n], unit, t('2024-12-01', 9), t('2024-12-01', 10), 'c' + n))
    src = 0
    for n in ('late', 'done', 'home'):
        src += 1
        c.execute("INSERT INTO pathway_step (person_id, pathway, step, step_time, "
                  "source_system, source_id) VALUES (?, 'adult', '1_first_contact', ?, 'wl', ?)",
                  (pid[n], t('2024-12-01', 10), 's%d' % src))
    c.execute("INSERT INTO pathway_step (person_id, pathway, step, step_time, source_system, "
              "source_id) VALUES (?, 'adult', '2_assessment', ?, 'wl', 'sx')",
              (pid['done'], t('2024-12-05', 10)))
    c.commit()
    c.close()
    return ps


def in_scope(db, scope, code):
    """The persons (pseudonyms) of a scope, by docs/access.md's rule."""
    c = sqlite3.connect(db)
    if scope == 'region':
        rows = c.execute("SELECT pseudonym FROM person WHERE region_code = ? UNION "
                         "SELECT p.pseudonym FROM person p JOIN contact k ON k.person_id = p.id "
                         "JOIN care_unit u ON u.id = k.unit_id WHERE u.region_code = ?",
                         (code, code)).fetchall()
    else:
        rows = c.execute("SELECT p.pseudonym FROM person p JOIN contact k ON k.person_id = p.id "
                         "JOIN care_unit u ON u.id = k.unit_id WHERE u.code = ?",
                         (code,)).fetchall()
    c.close()
    return set(r[0] for r in rows)


def main():
    tmp = tempfile.mkdtemp(prefix='knod-worklist-')
    try:
        d = kh.store(tmp, persons=300, seed=5)
        db = os.path.join(d, 'knod.db')
        ps = add_people(db)
        users = [('reg.12', 'registrar', ['--region', '12']),
                 ('reg.01', 'registrar', ['--region', '01']),
                 ('cli.wl', 'clinician', ['--unit', 'WL-12']),
                 ('coord.12', 'coordinator', ['--region', '12']),
                 ('ana.lys', 'analyst', [])]
        kh.add_users(d, users)
        with kh.Server(d, tmp, '--id', 'ref-a') as server:
            checks(d, db, ps, users, server)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


def checks(d, db, ps, users, server):
    b = {}
    for name, _, _ in users:
        b[name] = kh.Browser()
        b[name].signin(name)
    api = lambda who, path: b[who].get(path)
    # results are computed in the background: wait for the first view
    server.wait_ready()
    r = api('reg.12', '/api/v1/worklist?as_of=' + AS_OF)
    ok(r.status == 200, 'the registrar of region 12 gets the worklist', r.status)
    w = r.json()
    items = w['items']
    ok(w['as_of'] == AS_OF, 'as of the day asked for', w['as_of'])
    late = [i for i in items if i['pseudonym'] == ps['late']]
    a = [i for i in late if i['step'] == 'assessment']
    ok(len(a) == 1 and a[0]['days_overdue'] == 12 and a[0]['status'] == 'overdue' and
       a[0]['due_date'] == '2024-12-08' and a[0]['unit'] and a[0]['unit']['code'] == 'WL-12'
       and a[0]['indicator'] == 'vf-adult-assess-7d',
       'a first contact on 12-01 without assessment: 12 days overdue on 12-20, at its unit', late)
    ok(sorted(i['step'] for i in late) == ['assessment', 'care_plan', 'treatment'],
       'its open steps: assessment, care plan, treatment', late)
    done = [i['step'] for i in items if i['pseudonym'] == ps['done']]
    ok('assessment' not in done and 'care_plan' in done,
       'a person assessed in time has no assessment item', done)
    ok(any(i['pseudonym'] == ps['home'] for i in items),
       'a person living in region 12 without a contact is in its scope')
    days = [i['days_overdue'] for i in items]
    ok(days == sorted(days, reverse=True) and len(items) > 3,
       'sorted by how overdue (%d items)' % len(items), days[:20])
    scope12 = in_scope(db, 'region', '12')
    ok(all(i['pseudonym'] in scope12 for i in items), 'every person listed is in region 12')

    r = api('reg.01', '/api/v1/worklist?as_of=' + AS_OF)
    seen01 = set(i['pseudonym'] for i in r.json()['items']) if r.status == 200 else None
    ok(seen01 is not None and not seen01 & set(ps.values()),
       'the registrar of region 01 sees none of region 12\'s hand-made persons', r.status)
    scope01 = in_scope(db, 'region', '01')
    ok(seen01 is not None and seen01 <= scope01 and seen01,
       'and only persons of region 01 (%d)' % len(seen01 or ()), (seen01 or set()) - scope01)
    r = api('cli.wl', '/api/v1/worklist?as_of=' + AS_OF)
    seen = set(i['pseudonym'] for i in r.json()['items']) if r.status == 200 else set()
    ok(seen == {ps['late'], ps['done']},
       'the clinician of the unit sees the unit\'s persons only', seen)
    r = api('ana.lys', '/api/v1/worklist')
    ok(r.status == 403, 'the national analyst has no worklist (403)', r.status)
    r = api('reg.12', '/api/v1/worklist?as_of=2024-13-01')
    ok(r.status == 400 and r.json()['error'].get('parameter') == 'as_of',
       'a bad as_of: 400 naming it', r.body[:200])

    # the page: rows link to the audited person page
    r = b['reg.12'].get('/worklist?as_of=' + AS_OF)
    html = r.text()
    ok(r.status == 200 and ('href="/persons/%s"' % ps['late']) in html,
       'the page links the person to the person page', r.status)
    rows = re.findall(r'<tr><td><a class="id" href="/persons/([0-9a-f]+)"', html)
    ok(rows and rows[0] == items[0]['pseudonym'] and len(rows) == len(items),
       'the page lists the same rows in the same order')
    r = b['reg.12'].get('/persons/' + ps['late'])
    ok(r.status == 200 and 'name="purpose"' in r.text(),
       'opening one asks for the purpose first')
    tok = b['reg.12'].csrf()
    r = b['reg.12'].post('/purpose', {'csrf': tok, 'purpose': 'care',
                                      'next': '/persons/' + ps['late']})
    r = b['reg.12'].get('/persons/' + ps['late'])
    ok(r.status == 200 and ps['late'] in r.text(), 'then shows the person')
    entries = audit(d, '--person', ps['late'])
    ok(any(e['action'] == 'view-person' and e['actor'] == 'reg.12' and
           e['purpose'] == 'care' for e in entries),
       'the view from the worklist is audited, with its purpose', entries[-3:])
    r = b['reg.01'].get('/persons/' + ps['late'])
    ok(r.status == 403, 'the registrar of region 01 cannot open the person (403)', r.status)

    # the coordinator's summary and coverage
    r = api('coord.12', '/api/v1/worklist/units?as_of=' + AS_OF)
    ok(r.status == 200, 'the coordinator gets the summary per unit', r.status)
    units = r.json()['units'] if r.status == 200 else []
    wl = [u for u in units if u['unit']['code'] == 'WL-12']
    # at WL-12: 'late' (assessment overdue, care plan and treatment due) and
    # 'done' (care plan and treatment due); 'home' has no contact, no unit
    ok(len(wl) == 1 and wl[0]['overdue'] == 1 and wl[0]['due'] == 4 and
       wl[0]['by_step'] == {'assessment': 1, 'care_plan': 2, 'sip': 0, 'treatment': 2,
                            'followup': 0} and not wl[0]['late'],
       'the unit: 1 overdue, 4 due, by step', wl)
    ok(all(u['unit']['region'] == '12' for u in units) and len(units) > 1,
       'only the units of region 12 (%d)' % len(units))
    r = api('reg.12', '/api/v1/worklist/units?as_of=' + AS_OF)
    ok(r.status == 403, 'a registrar has no summary (403)', r.status)
    r = b['coord.12'].get('/worklist/units?as_of=' + AS_OF)
    ok(r.status == 200 and 'WL-12' in r.text(), 'the summary page lists the unit')
    # a later day: nothing reported in the last 8 weeks, so units are late
    r = api('coord.12', '/api/v1/worklist/units?as_of=2025-06-01')
    units = r.json()['units'] if r.status == 200 else []
    ok(any(u['unit']['code'] == 'WL-12' and u['late'] for u in units),
       'half a year later the unit is late in reporting')
    ok(PW not in server.log_text(), 'the server log has no password')


if __name__ == '__main__':
    main()
