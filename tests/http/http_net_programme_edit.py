#!/usr/bin/env python3
"""tests/http/http_net_programme_edit.py: activities, their funding and
events edited in the portal (TAP).

Every form (/activities/new, /activities/{id}/change, /activities/{id}/funding,
/events/new, /events/{id}/change): a good post stored as the CLI stores it
and audited; a refused one re-rendered with the input and the error at the
field named by the CLI's rules (the GOV.UK pattern), nothing stored, a
personnummer never shown again; without the CSRF token 403; the wrong role
403, the wrong region (or another organiser's event) 403, anonymous to
sign-in. An event's registrations (names, e-mail addresses) for its
organiser and administrators only, audited, never on the public pages, the
JSON or the feed; the feed after a change shows the revision and the
cancellation. A small store (no registry data), one server.

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

ok = kh.ok
D = None


def k(*args, check=True):
    return kh.knod(*args, '--dir', D, check=check)


def activities():
    return {a['id']: a for a in json.loads(k('activity', 'list', '--format', 'json').stdout)}


def audit(action):
    return [e for e in kh.audit(D) if e['action'] == action]


def error_pattern(body, field):
    """The GOV.UK pattern: a summary before the h1 linking the field, and
    the error at the field."""
    return ('class="error-summary"' in body and body.index('error-summary') < body.index('<h1')
            and 'href="#%s"' % field in body and 'id="%s-error"' % field in body)


def setup():
    k('node', 'add', '--code', 'skane', '--name', 'Kunskapsnod Skåne', '--host', '12')
    add = ('activity', 'add', '--responsible', 'Samordnare', '--status', 'ongoing',
           '--goal', 'Mål', '--start', '2025-01-01', '--by', 'kansli')
    k(*add, '--title', 'Bemötande i Skåne', '--region', '12')      # 1
    k(*add, '--title', 'Brief admission i Uppsala', '--region', '03')  # 2
    k(*add, '--title', 'Nationell webbutbildning')                  # 3
    k(*add, '--title', 'Nodens nätverk', '--node', 'skane')          # 4
    k('activity', 'fund', '1', '--source', 'region', '--year', '2025', '--allocated', '500',
      '--spent', '100', '--by', 'kansli')
    k('events', 'add', '--kind', 'webinar', '--title', 'Webbinarium från CLI', '--start',
      '2030-02-12T13:00', '--end', '2030-02-12T14:30', '--organiser', 'Nod', '--mode',
      'digital', '--theme', 'Bemötande', '--capacity', '10', '--by', 'kansli')  # event 1, no owner
    kh.add_users(D, [('anna.coord12', 'coordinator', ['--region', '12']),
                     ('olle.coord03', 'coordinator', ['--region', '03']),
                     ('rut.reg12', 'registrar', ['--region', '12']),
                     ('admin.nation', 'admin', [])])


def signed_in(name):
    b = kh.Browser()
    r = b.signin(name)
    ok(r.status == 303, '%s signs in' % name, r.status)
    return b


def check_access(anon, anna, olle, rut, admin):
    for path in ('/activities/new', '/activities/1/change', '/activities/1/funding',
                 '/events/new', '/events/1/change', '/events/1/registrations'):
        r = anon.get(path)
        ok(r.status == 303 and (r.h('Location') or '').startswith('/login?next='),
           'anonymous GET %s: to sign-in' % path, (r.status, r.h('Location')))
    r = anon.get('/api/v1/events/1/registrations')
    ok(r.status == 401 and 'application/json' in (r.h('Content-Type') or ''),
       'anonymous: the registrations JSON is a 401', r.status)
    r = anon.post('/activities/new', {'csrf': anon.form_token() or '', 'title': 'x'})
    ok(r.status in (401, 403) and len(activities()) == 4, 'anonymous POST: refused, nothing '
       'stored', r.status)
    body = anon.get('/activities/1').text()
    ok('/activities/1/change' not in body and 'Bemötande i Skåne' in body,
       'anonymous: the activity page, no change link')
    ok('href="/activities/new"' not in anon.get('/activities').text(),
       'anonymous: no add link on /activities')
    ok('href="/events/new"' not in anon.get('/events').text(),
       'anonymous: no add link on /events')
    # the wrong role
    for path in ('/activities/new', '/events/new', '/activities/1/change',
                 '/activities/1/funding', '/events/1/registrations'):
        ok(rut.get(path).status == 403, 'a registrar: %s is 403' % path)
    ok('href="/activities/new"' not in rut.get('/activities').text(),
       'a registrar gets no add link')
    # the coordinator's own region, and the wrong one
    ok('href="/activities/new"' in anna.get('/activities').text(),
       'a coordinator: the add link on /activities')
    ok('href="/events/new"' in anna.get('/events').text(), '... and on /events')
    ok('href="/activities/1/change"' in anna.get('/activities/1').text(),
       'the coordinator of 12: the change link of a region 12 activity')
    ok(anna.get('/activities/4/change').status == 200,
       '... and of the node hosted by region 12')
    ok('/activities/2/change' not in anna.get('/activities/2').text(),
       'no change link for an activity of region 03')
    for path in ('/activities/2/change', '/activities/2/funding', '/activities/3/change'):
        ok(anna.get(path).status == 403, 'the coordinator of 12: %s is 403' % path)
    r = anna.post_form('/activities/2/change', {'title': 'Kapad', 'goal': 'x', 'status':
                                                'done', 'responsible': 'x', 'start': '2025-01-01'})
    ok(r.status == 403 and activities()[2]['title'] == 'Brief admission i Uppsala',
       'posting a change to an activity of 03: 403, nothing stored', r.status)
    r = anna.post_form('/activities/2/funding', {'source': 'region', 'year': '2025',
                                                 'allocated': '9'})
    ok(r.status == 403 and activities()[2]['allocated'] == 0,
       'posting funding to an activity of 03: 403, nothing stored', r.status)
    ok(olle.get('/activities/2/change').status == 200, 'the coordinator of 03 may change it')
    ok(admin.get('/activities/3/change').status == 200,
       'an administrator may change a national activity')
    ok(anna.get('/activities/99/change').status == 404, 'no such activity: 404')
    ok(anna.get('/activities/x/change').status == 404, 'an id that is no number: 404')
    # an event added by the CLI has no organiser in the portal
    ok(anna.get('/events/1/change').status == 403, 'an event added with the CLI: not a '
       "coordinator's (403)")
    ok(admin.get('/events/1/change').status == 200, '... an administrator\'s')


def check_activity_forms(anna, admin):
    r = anna.get('/activities/new')
    body = r.text()
    ok(r.status == 200 and 'name="title"' in body and 'value="12"' in body and
       'value="03"' not in body, 'the add form offers the coordinator\'s region only', r.status)
    good = {'region': '12', 'node': '', 'title': 'Suicidprevention i skolan',
            'goal': 'Alla skolor i Skåne', 'status': 'planned', 'responsible': 'Samordnare',
            'start': '2026-01-01', 'end': '2026-12-31', 'indicators': 'sh-young-rate',
            'documents': ''}
    ok(anna.post('/activities/new', dict(good, csrf='')).status == 403,
       'without the CSRF token: 403')
    refusals = [({'title': ''}, 'f-title', 'an empty title'),
                ({'status': 'maybe'}, 'f-status', 'a bad status'),
                ({'end': '2025-01-01'}, 'f-end', 'the end before the start'),
                ({'start': '2026-13-01'}, 'f-start', 'not a date'),
                ({'indicators': 'sh-young-rate,nope'}, 'f-indicators', 'an unknown indicator'),
                ({'documents': 'nope'}, 'f-documents', 'an unknown document'),
                ({'node': 'vg', 'region': ''}, 'f-node', 'an unknown node'),
                ({'region': '03'}, 'f-region', 'a region outside the scope'),
                ({'region': ''}, 'f-region', 'a national activity (an administrator\'s)')]
    for change, field, what in refusals:
        r = anna.post_form('/activities/new', dict(good, **change))
        body = r.text()
        ok(r.status == 200 and error_pattern(body, field), 'add: %s is refused at %s'
           % (what, field), r.status)
    ok('Alla skolor i Skåne' in body, '... with the input kept')
    r = anna.post_form('/activities/new', dict(good, goal='Ring 19121212-1212'))
    body = r.text()
    ok(r.status == 200 and error_pattern(body, 'f-goal') and '1212-1212' not in body and
       '19121212' not in body, 'a personnummer in the goal: refused, never shown again')
    ok(len(activities()) == 4, 'nothing stored by a refused form')
    r = anna.post_form('/activities/new', good)
    ok(r.status == 303 and r.h('Location') == '/activities/5?saved=1', 'a good activity: 303',
       (r.status, r.h('Location')))
    a = activities().get(5, {})
    ok(a.get('region') == '12' and a.get('title') == good['title'] and
       a.get('ends') == '2026-12-31' and a.get('indicators') == 'sh-young-rate',
       'stored as knod activity add stores it', a)
    r = anna.post_form('/activities/new', dict(good, region='', node='skane', title='Nod 2'))
    ok(r.status == 303 and activities().get(6, {}).get('node') == 'skane',
       'an activity of the node hosted by region 12', r.status)
    r = admin.post_form('/activities/new', dict(good, region='', title='Nationell'))
    ok(r.status == 303 and activities().get(7, {}).get('region') is None,
       'an administrator adds a national activity', r.status)
    # (the CLI's additions are audited as the forms' are: knod activity add)
    ok([(e['actor'], e['subject']) for e in audit('activity-add')] ==
       [('kansli', '1'), ('kansli', '2'), ('kansli', '3'), ('kansli', '4'),
        ('anna.coord12', '5'), ('anna.coord12', '6'), ('admin.nation', '7')],
       'the additions are audited', audit('activity-add'))

    # change
    r = anna.get('/activities/5/change')
    body = r.text()
    ok(r.status == 200 and 'value="Suicidprevention i skolan"' in body and
       'value="2026-12-31"' in body and 'name="region"' not in body,
       'the change form holds the current values; region and node stay', r.status)
    ch = {'title': 'Suicidprevention i skolan', 'goal': 'Alla skolor', 'status': 'ongoing',
          'responsible': 'Samordnare', 'start': '2026-01-01', 'end': '',
          'indicators': '', 'documents': ''}
    r = anna.post_form('/activities/5/change', dict(ch, status='gone'))
    ok(r.status == 200 and error_pattern(r.text(), 'f-status') and
       activities()[5]['status'] == 'planned', 'change: a bad status at its field, nothing '
       'stored')
    r = anna.post_form('/activities/5/change', dict(ch, responsible=''))
    ok(r.status == 200 and error_pattern(r.text(), 'f-responsible'),
       'change: no one responsible, at its field')
    r = anna.post_form('/activities/5/change', ch)
    a = activities()[5]
    ok(r.status == 303 and a['status'] == 'ongoing' and a['ends'] is None and
       a['goal'] == 'Alla skolor' and a['indicators'] is None and a['region'] == '12',
       'a good change: stored as knod activity update stores it', (r.status, a))
    body = anna.get('/activities/5?saved=1').text()
    ok('role="status"' in body, 'the activity page says it is saved')
    ok([(e['actor'], e['subject']) for e in audit('activity-change')] ==
       [('anna.coord12', '5')], 'the change is audited', audit('activity-change'))

    # funding
    r = anna.get('/activities/1/funding')
    body = r.text()
    ok(r.status == 200 and 'name="allocated"' in body and '>500<' in body,
       'the funding form shows the funding so far', r.status)
    f = {'source': 'national-grant', 'year': '2026', 'allocated': '250000', 'spent': '1000'}
    for change, field, what in [({'allocated': '-5'}, 'f-allocated', 'negative kronor'),
                                ({'allocated': '1 000'}, 'f-allocated', 'not whole kronor'),
                                ({'spent': 'x'}, 'f-spent', 'spent not a number'),
                                ({'year': '1800'}, 'f-year', 'a year out of range'),
                                ({'source': 'lottery'}, 'f-source', 'an unknown source')]:
        r = anna.post_form('/activities/1/funding', dict(f, **change))
        ok(r.status == 200 and error_pattern(r.text(), field), 'funding: %s is refused at %s'
           % (what, field), r.status)
    ok(activities()[1]['allocated'] == 500, 'nothing stored by a refused form')
    r = anna.post_form('/activities/1/funding', f)
    a = activities()[1]
    ok(r.status == 303 and a['allocated'] == 250500 and a['spent'] == 1100,
       'a good source and year: stored as knod activity fund stores it', (r.status, a))
    r = anna.post_form('/activities/1/funding', dict(f, allocated='200000', spent='0'))
    ok(activities()[1]['allocated'] == 200500, 'the same source and year again replaces it')
    j = anna.get('/api/v1/activities/1').json()
    ok(j['activity']['title'] == 'Bemötande i Skåne' and
       [(x['source'], x['year'], x['allocated']) for x in j['funding']] ==
       [('region', 2025, 500), ('national-grant', 2026, 200000)],
       '/api/v1/activities/1: the activity and its funding per source and year', j)
    ok([e['subject'] for e in audit('activity-fund')] == ['1', '1', '1'] and
       audit('activity-fund')[0]['actor'] == 'kansli',
       'each recording is audited', audit('activity-fund'))


def check_event_forms(anna, olle, admin, anon):
    r = anna.get('/events/new')
    ok(r.status == 200 and 'name="capacity"' in r.text(), 'the event form', r.status)
    good = {'kind': 'network-meeting', 'title': 'Nätverksträff Syd', 'start': '2030-03-02T10:00',
            'end': '2030-03-02T12:00', 'organiser': 'Kunskapsnod Skåne', 'mode': 'on-site',
            'place': 'Lund', 'url': '', 'theme': 'Bemötande', 'series': '',
            'description': 'Träff för nätverket', 'capacity': '2', 'status': 'confirmed'}
    ok(anna.post('/events/new', dict(good, csrf='')).status == 403,
       'without the CSRF token: 403')
    for change, field, what in [({'end': '2030-03-02T09:00'}, 'f-end', 'the end before the start'),
                                ({'start': '2030-03-02 10'}, 'f-start', 'not a time'),
                                ({'place': ''}, 'f-place', 'on site without a place'),
                                ({'kind': 'party'}, 'f-kind', 'an unknown kind'),
                                ({'capacity': 'x'}, 'f-capacity', 'seats not a number'),
                                ({'url': 'ftp://x'}, 'f-url', 'not an http address'),
                                ({'title': ''}, 'f-title', 'no title')]:
        r = anna.post_form('/events/new', dict(good, **change))
        ok(r.status == 200 and error_pattern(r.text(), field), 'add: %s is refused at %s'
           % (what, field), r.status)
    r = anna.post_form('/events/new', dict(good, description='Ring 19121212-1212'))
    body = r.text()
    ok(r.status == 200 and error_pattern(body, 'f-description') and '1212-1212' not in body,
       'a personnummer in the description: refused, never shown again')
    ok('Nätverksträff Syd' in body, '... with the input kept')
    evs = json.loads(k('events', 'list', '--format', 'json').stdout)
    ok(len(evs) == 1, 'nothing stored by a refused form', evs)
    r = anna.post_form('/events/new', good)
    ok(r.status == 303 and r.h('Location') == '/events/2?saved=1', 'a good event: 303',
       (r.status, r.h('Location')))
    evs = {e['id']: e for e in json.loads(k('events', 'list', '--format', 'json').stdout)}
    e = evs.get(2, {})
    ok(e.get('place') == 'Lund' and e.get('capacity') == 2 and e.get('kind') == 'network-meeting',
       'stored as knod events add stores it', e)
    ok(e.get('owner') == 'anna.coord12' and e.get('sequence') == 0 and
       evs.get(1, {}).get('owner', '') is None,
       'knod events list: the form\'s user owns it, the CLI\'s event has no owner', e)
    ok([(x['actor'], x['subject']) for x in audit('event-add')] ==
       [('kansli', '1'), ('anna.coord12', '2')],
       'the addition is audited', audit('event-add'))
    body = anna.get('/events/2').text()
    ok('href="/events/2/change"' in body and 'href="/events/2/registrations"' in body,
       'its organiser gets the change and registrations links')
    ok('/events/2/change' not in olle.get('/events/2').text(),
       'another coordinator does not')
    for path in ('/events/2/change', '/events/2/registrations',
                 '/api/v1/events/2/registrations'):
        ok(olle.get(path).status == 403, 'another coordinator: %s is 403' % path)
    r = olle.post_form('/events/2/change', dict(good, title='Kapad'))
    ok(r.status == 403, 'another coordinator posting a change: 403', r.status)

    # three register for two seats
    for i, (name, mail) in enumerate((('Ada Andersson', 'ada@example.se'),
                                      ('Bo Berg', 'bo@example.se'),
                                      ('Cia Carlsson', 'cia@example.se'))):
        k('events', 'register', '2', '--name', name, '--email', mail)
    r = anna.get('/events/2/registrations')
    body = r.text()
    ok(r.status == 200 and 'ada@example.se' in body and 'Cia Carlsson' in body,
       'the organiser sees the registrations', r.status)
    j = anna.get('/api/v1/events/2/registrations').json()
    ok([x['email'] for x in j['seats']] == ['ada@example.se', 'bo@example.se'] and
       [(x['email'], x['position']) for x in j['waiting']] == [('cia@example.se', 1)],
       'the JSON: two seats, one waiting', j)
    ok(admin.get('/events/2/registrations').status == 200, 'an administrator sees them too')
    ok(len(audit('event-registrations')) == 3, 'each view of the registrations is audited')
    # never in public
    public = ['/events', '/events/2', '/api/v1/events', '/api/v1/events/2', '/events.ics',
              '/events?format=csv']
    leaks = [p for p in public for who in (anon, olle)
             if re.search(r'ada@|bo@example|cia@|Ada Andersson|Cia Carlsson', who.get(p).text())]
    ok(not leaks, 'names and e-mail addresses are never on the public pages, JSON or feed',
       leaks)

    # change: more seats move the waiting up; cancelled shows in the feed
    r = anna.get('/events/2/change')
    body = r.text()
    ok(r.status == 200 and 'value="2030-03-02T10:00"' in body and 'value="Lund"' in body,
       'the change form holds the event', r.status)
    r = anna.post_form('/events/2/change', dict(good, mode='on-site', place=''))
    ok(r.status == 200 and error_pattern(r.text(), 'f-place'), 'change: refused at its field')
    r = anna.post_form('/events/2/change', dict(good, capacity='3'))
    ok(r.status == 303, 'more seats: 303', r.status)
    j = anna.get('/api/v1/events/2/registrations').json()
    ok(len(j['seats']) == 3 and not j['waiting'], 'the one waiting got a seat', j)
    r = anna.post_form('/events/2/change', dict(good, capacity='1', status='cancelled'))
    j = anna.get('/api/v1/events/2/registrations').json()
    ok(r.status == 303 and [x['email'] for x in j['seats']] == ['ada@example.se'] and
       [x['email'] for x in j['waiting']] == ['bo@example.se', 'cia@example.se'],
       'one seat: the last to register wait, in order', j)
    ok([x['detail'] for x in audit('event-change')] ==
       ['status confirmed, 1 moved up, 0 moved down', 'status cancelled, 0 moved up, 2 moved down'],
       'each change is audited', audit('event-change'))
    ics = anon.get('/events.ics').text().replace('\r\n ', '')
    ev = [b for b in ics.split('BEGIN:VEVENT')[1:] if 'SUMMARY:Nätverksträff Syd' in b]
    ok(len(ev) == 1 and 'STATUS:CANCELLED\r\n' in ev[0] and 'SEQUENCE:2\r\n' in ev[0],
       'the feed: the event cancelled, at its second revision', ev)
    ok(ics == kh.knod('events', 'ics', '--dir', D).stdout.decode().replace('\r\n ', ''),
       'the feed is the bytes of knod events ics')
    r = admin.post_form('/events/1/change', {
        'kind': 'webinar', 'title': 'Webbinarium från CLI', 'start': '2030-02-12T13:00',
        'end': '2030-02-12T14:30', 'organiser': 'Nod', 'mode': 'digital', 'theme': 'Bemötande',
        'capacity': '', 'status': 'tentative', 'recording': '1'})
    e = {x['id']: x for x in json.loads(k('events', 'list', '--format', 'json').stdout)}[1]
    ok(r.status == 303 and e['capacity'] is None and e['status'] == 'tentative' and e['recording']
       and e['sequence'] == 1 and e['owner'] is None,
       'an administrator changes an event added with the CLI', (r.status, e))


def main():
    global D
    tmp = tempfile.mkdtemp(prefix='knod-http-pedit-')
    try:
        D = kh.store(tmp)
        setup()
        with kh.Server(D, tmp):
            anon = kh.Browser()
            anna, olle, rut, admin = (signed_in(u) for u in
                                      ('anna.coord12', 'olle.coord03', 'rut.reg12',
                                       'admin.nation'))
            check_access(anon, anna, olle, rut, admin)
            check_activity_forms(anna, admin)
            check_event_forms(anna, olle, admin, anon)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


if __name__ == '__main__':
    main()
