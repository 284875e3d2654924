#!/usr/bin/env python3
"""tests/http/http_net_edit.py: the network's editing forms in the portal (TAP).

Nodes, groups, members and trainings are added and changed, and a
training's participants uploaded, through the forms of
src/web/network/web_net_edit_*.c, which call the commands' own functions:
every form once with success (303, the change seen by the CLI, an audit
entry with the user as actor), once refused (the GOV.UK error pattern at
the field the library's message names, the input kept, a personnummer
never shown again, nothing stored), with the wrong role (403), the wrong
region (403: a group's node hosted by another region; a participants row
of another region names its line and column), anonymously (to sign in),
and without the CSRF token (403). Links to the forms only for who may.
One small store (no registry data), one server.

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


def cli(d, *args):
    return json.loads(kh.knod(*args, '--dir', d, '--format', 'json').stdout)


def error_at(r, field):
    """The GOV.UK pattern: a summary linking the field, the error at it."""
    t = r.text()
    return (r.status == 200 and 'class="error-summary"' in t and 'href="#%s"' % field in t
            and 'id="%s-error"' % field in t)


def audited(d, user, action, subject=None):
    return [e for e in kh.audit(d, '--user', user)
            if e['action'] == action and (subject is None or e['subject'] == subject)]


def multipart(token, name, data):
    b = 'knodtestboundary'
    body = ('--%s\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n%s\r\n'
            '--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
            'Content-Type: text/csv\r\n\r\n' % (b, token, b, name)).encode() + \
        data.encode() + ('\r\n--%s--\r\n' % b).encode()
    return body, 'multipart/form-data; boundary=' + b


def upload(b, tid, name, data):
    body, ctype = multipart(b.form_token('/trainings/%d/participants' % tid), name, data)
    return b.req('POST', '/trainings/%d/participants' % tid, body=body, ctype=ctype)


def nodes_and_groups(d, admin, anna, olle, anon):
    r = anon.get('/nodes/new')
    ok(r.status == 303 and r.h('Location').startswith('/login'), 'anonymous: to sign in',
       r.status)
    ok(anna.get('/nodes/new').status == 403, 'a coordinator may not add a node (403)')
    ok('href="/nodes/new"' in admin.get('/nodes').text(), '/nodes links the form for an admin')
    form = admin.get('/nodes/new').text()
    host = re.search(r'<select id="f-host" name="host"[^>]*>(.*?)</select>', form, re.S)
    ok(host and len(re.findall(r'<option value="\d\d"', host.group(1))) == 21 and
       '<option value="14">14 ' in host.group(1),
       'the host region is a select of the 21 regions, their codes as values')
    ok('href="/nodes/new"' not in anna.get('/nodes').text() and
       '/change"' not in anna.get('/nodes').text(), '... not for a coordinator')
    r = admin.post_form('/nodes/new', {'code': 'vg', 'name': 'Kunskapsnod VG', 'host': '14',
                                       'regions': '13,12', 'contact': ''}, '/nodes/new')
    ok(error_at(r, 'f-regions') and 'region 12 is linked to another node' in r.text() and
       'value="Kunskapsnod VG"' in r.text(), 'a region of another node: at the field, input kept')
    ok([n['code'] for n in cli(d, 'node', 'list')] == ['skane'], '... nothing stored')
    r = admin.post('/nodes/new', {'csrf': '0' * 64, 'code': 'vg', 'name': 'VG', 'host': '14'})
    ok(r.status == 403, 'without the CSRF token: 403', r.status)
    r = admin.post_form('/nodes/new', {'code': 'vg', 'name': 'Kunskapsnod VG', 'host': '14',
                                       'regions': '13', 'contact': ''}, '/nodes/new')
    ok(r.status == 303 and r.h('Location') == '/nodes', 'a node added: 303', r.status)
    ok({n['code']: n['regions'] for n in cli(d, 'node', 'list')}.get('vg') == '13,14',
       '... as knod node list shows it')
    ok(audited(d, 'admin.nation', 'node-add', 'vg'), '... audited')
    r = admin.post_form('/nodes/skane/change', {'name': 'Noden i Skåne', 'regions': '12,07',
                                                'contact': 'nod@example.se'},
                        '/nodes/skane/change')
    n = {n['code']: n for n in cli(d, 'node', 'list')}['skane']
    ok(r.status == 303 and n['name'] == 'Noden i Skåne' and n['regions'] == '07,12',
       'a node changed', (r.status, n))
    ok(audited(d, 'admin.nation', 'node-change', 'skane'), '... audited')
    r = admin.post_form('/nodes/skane/change', {'name': '', 'regions': '', 'contact': ''},
                        '/nodes/skane/change')
    ok(error_at(r, 'f-name'), 'an empty name: at the field')
    ok(kh.get('/api/v1/nodes/skane').json()['node']['name'] == 'Noden i Skåne' and
       kh.get('/api/v1/nodes/nope').status == 404, '/api/v1/nodes/{code}')

    ok(anna.get('/groups/new').status == 403, 'a coordinator may not add a group (403)')
    r = admin.post_form('/groups/new', {'code': 'ksp2', 'name': 'Nätverk', 'kind': '',
                                        'node': 'skane'}, '/groups/new')
    ok(error_at(r, 'f-kind'), 'a group without a kind: at the field')
    r = admin.post_form('/groups/new', {'code': 'ksp2', 'name': 'Nätverk', 'kind': 'network',
                                        'node': 'nowhere'}, '/groups/new')
    ok(error_at(r, 'f-node') and 'no knowledge node' in r.text(), 'an unknown node: at the field')
    r = admin.post_form('/groups/new', {'code': 'ksp2', 'name': 'Nätverk', 'kind': 'network',
                                        'node': 'vg', 'professions.nurse': 'yes'},
                        '/groups/new')
    g = {x['code']: x for x in cli(d, 'group', 'list')}
    ok(r.status == 303 and g['ksp2']['node'] == 'vg' and g['ksp2']['professions'] == 'nurse',
       'a group added', r.status)
    ok(audited(d, 'admin.nation', 'group-add', 'ksp2'), '... audited')
    ok('href="/groups/new"' in admin.get('/groups').text() and
       'href="/groups/new"' not in anna.get('/groups').text(), '/groups links the form for an admin only')
    # the group of skane's node: its host region's coordinator
    ok(anna.get('/groups/ksp/change').status == 200, "the coordinator of the node's host region may")
    ok(olle.get('/groups/ksp/change').status == 403, "another region's coordinator: 403")
    ok(anna.get('/groups/nag/change').status == 403, 'a national group: administrators only')
    ok(anna.get('/groups/nope/change').status == 404, 'no such group: 404')
    t = anna.get('/groups/ksp').text()
    ok('href="/groups/ksp/change"' in t and 'href="/groups/ksp/members/new"' in t and
       'href="/members/1/change"' in t, 'the group page links its forms for its coordinator')
    ok('/change"' not in olle.get('/groups/ksp').text(), '... not for another region')
    r = anna.post_form('/groups/ksp/change', {'name': 'KSP', 'node': 'skane',
                                              'professions.teacher': 'yes',
                                              'purpose': 'Ring 19121212-1212'},
                       '/groups/ksp/change')
    ok(error_at(r, 'f-purpose') and '1212-1212' not in r.text(),
       'a personnummer in the purpose: refused, never shown again')
    r = anna.post_form('/groups/ksp/change', {'name': 'KSP', 'node': 'skane',
                                              'professions.teacher': 'yes',
                                              'purpose': 'Skolan'}, '/groups/ksp/change')
    g = {x['code']: x for x in cli(d, 'group', 'list')}['ksp']
    ok(r.status == 303 and g['name'] == 'KSP' and g['professions'] == 'teacher' and
       g['purpose'] == 'Skolan', 'a group changed by its coordinator', (r.status, g))
    ok(audited(d, 'anna.coord12', 'group-change', 'ksp'), '... audited, the coordinator the actor')
    r = olle.post_form('/groups/ksp/change', {'name': 'X'}, '/account')
    ok(r.status == 403, "another region's POST: 403")


def members(d, admin, anna, olle):
    f = {'name': 'Eva', 'role': 'member', 'organisation': 'Malmö stad',
         'healthcare-region': 'Södra', 'profession': 'teacher', 'share': '150',
         'from': '2025-01-01', 'to': '2027-12-31'}
    r = anna.post_form('/groups/ksp/members/new', f, '/groups/ksp/members/new')
    ok(error_at(r, 'f-share') and 'value="Malmö stad"' in r.text(), 'a share of 150: at the field')
    f['share'], f['profession'] = '', ''
    r = anna.post_form('/groups/ksp/members/new', f, '/groups/ksp/members/new')
    ok(error_at(r, 'f-profession'), 'a member without a profession: at the field')
    f['profession'], f['to'] = 'teacher', '2027-02-30'
    r = anna.post_form('/groups/ksp/members/new', f, '/groups/ksp/members/new')
    ok(error_at(r, 'f-to'), 'a bad day: at the field')
    ok(len(cli(d, 'member', 'list', '--group', 'ksp', '--as-of', '2026-01-01')) == 1,
       '... nothing stored')
    f['to'] = '2027-12-31'
    r = anna.post_form('/groups/ksp/members/new', f, '/groups/ksp/members/new')
    ms = cli(d, 'member', 'list', '--group', 'ksp', '--as-of', '2026-01-01')
    ok(r.status == 303 and r.h('Location') == '/groups/ksp' and
       [m['share'] for m in ms if m['name'] == 'Eva'] == [10], 'a member added (the default share)')
    ok(audited(d, 'anna.coord12', 'member-add', '2'), '... audited')
    ok(olle.get('/groups/ksp/members/new').status == 403, "another region's coordinator: 403")
    ok(olle.get('/members/2/change').status == 403, '... nor a member of the group (403)')
    ok(anna.get('/members/99/change').status == 404, 'no such member: 404')
    r = anna.post_form('/members/2/change', {'role': 'chair', 'on': '2025-01-01',
                                             'organisation': 'Malmö stad',
                                             'healthcare-region': 'Södra',
                                             'profession': 'teacher', 'share': '',
                                             'to': '2027-12-31'}, '/members/2/change')
    ok(error_at(r, 'f-on'), "a new role on the term's first day: at the field")
    r = anna.post_form('/members/2/change', {'role': 'chair', 'on': '2026-03-01',
                                             'organisation': 'Malmö stad',
                                             'healthcare-region': 'Södra',
                                             'profession': 'teacher', 'share': '',
                                             'to': '2027-12-31'}, '/members/2/change')
    old = kh.get('/api/v1/members/2').json()
    new = kh.get('/api/v1/members/3').json()
    ok(r.status == 303 and old['to'] == '2026-02-28' and old['role'] == 'member' and
       new['role'] == 'chair' and new['from'] == '2026-03-01' and new['share'] == 20,
       'a new role ends the term and starts another (the history kept)', (old, new))
    ok(audited(d, 'anna.coord12', 'member-change', '2'), '... audited')
    r = anna.post_form('/members/3/change', {'role': 'chair', 'organisation': 'Malmö stad',
                                             'healthcare-region': 'Södra',
                                             'profession': 'teacher', 'share': '20',
                                             'to': '2026-06-30'}, '/members/3/change')
    ok(r.status == 303 and kh.get('/api/v1/members/3').json()['to'] == '2026-06-30',
       'an earlier last day ends the term')
    ok(kh.get('/api/v1/members/999').status == 404, '/api/v1/members/{id}: 404 for none')


def trainings(d, admin, anna, olle, reg):
    ok(reg.get('/trainings/new').status == 403, 'a registrar may not add a training (403)')
    ok('href="/trainings/new"' in anna.get('/trainings').text() and
       'href="/trainings/new"' not in reg.get('/trainings').text(),
       '/trainings links the forms for a coordinator only')
    f = {'kind': 'dbt', 'title': 'DBT', 'start': '2026-03-10', 'end': '2026-03-09',
         'mode': 'on-site', 'targets.care': 'yes', 'organiser': 'Noden'}
    r = anna.post_form('/trainings/new', f, '/trainings/new')
    ok(error_at(r, 'f-end') and 'before --start' in r.text(), 'an end before the start: at the field')
    f['end'] = '2026-03-11'
    r = anna.post_form('/trainings/new', f, '/trainings/new')
    ok(r.status == 303 and [t['title'] for t in cli(d, 'training', 'list')] == ['Bemötande', 'DBT'],
       'a training added', r.status)
    ok(audited(d, 'anna.coord12', 'training-add', '2'), '... audited')
    f['title'], f['mode'] = 'DBT grundkurs', 'hybrid'
    r = anna.post_form('/trainings/2/change', f, '/trainings/2/change')
    t = kh.get('/api/v1/trainings/2').json()['training']
    ok(r.status == 303 and t['title'] == 'DBT grundkurs' and t['mode'] == 'hybrid',
       'a training changed', t)
    ok(audited(d, 'anna.coord12', 'training-change', '2'), '... audited')
    ok(kh.get('/api/v1/trainings/99').status == 404, '/api/v1/trainings/{id}: 404 for none')

    head = 'region,organisation,profession,participants\n'
    r = upload(admin, 1, 'alla.csv', head + '01,Region Stockholm,nurse,4\n12,Region Skåne,nurse,9\n')
    ok(r.status == 303, "an administrator's file: every region", r.status)
    r = upload(admin, 1, 'fel.csv', head + '12,Region Skåne,nurse,1\n12,Region Skåne,janitor,2\n')
    ok(error_at(r, 'f-file') and 'fel.csv:3: profession' in r.text(),
       'a bad row names the file, line and column')
    r = upload(olle, 1, 'o.csv', head + '03,Region Uppsala,nurse,2\n12,Region Skåne,nurse,2\n')
    ok(error_at(r, 'f-file') and 'o.csv:3: region: 12 is outside your scope' in r.text(),
       "a row of another region: refused, naming line and column")
    ok(kh.get('/api/v1/trainings/1').json()['training']['participants'] == 13,
       '... nothing changed by the refused files')
    r = upload(anna, 1, 'skane.csv', head + '12,Region Skåne,psychologist,5\n12,Malmö stad,teacher,6\n')
    ok(r.status == 303 and kh.get('/api/v1/trainings/1').json()['training']['participants'] == 15,
       "a coordinator's file replaces the region's rows only (01's 4 stay)")
    e = audited(d, 'anna.coord12', 'training-participants', '1')
    ok(e and e[0]['detail'] == '2 rows, 11 participants (own regions)', '... audited', e)
    r = anna.post_form('/trainings/1/participants', {}, '/trainings/1/participants')
    ok(error_at(r, 'f-file'), 'no file: at the field')
    ok(reg.get('/trainings/1/participants').status == 403, 'a registrar: 403')


def main():
    tmp = tempfile.mkdtemp(prefix='knod-net-edit-')
    try:
        d = kh.store(tmp)
        k = lambda *a: kh.knod(*a, '--dir', d)  # noqa: E731
        k('node', 'add', '--code', 'skane', '--name', 'Kunskapsnod Skåne', '--host', '12')
        k('group', 'add', '--code', 'nag', '--name', 'NAG', '--kind', 'working-group')
        k('group', 'add', '--code', 'ksp', '--name', 'Nätverket', '--kind', 'network',
          '--node', 'skane')
        k('member', 'add', '--group', 'ksp', '--name', 'Bo', '--role', 'partner',
          '--organisation', 'HTA', '--from', '2025-01-01', '--to', '2027-12-31')
        k('training', 'add', '--kind', 'attitude-course', '--title', 'Bemötande', '--start',
          '2025-03-10', '--end', '2025-03-11', '--mode', 'on-site', '--targets', 'care',
          '--organiser', 'Noden')
        kh.add_users(d, [('admin.nation', 'admin', []),
                         ('anna.coord12', 'coordinator', ['--region', '12']),
                         ('olle.coord03', 'coordinator', ['--region', '03']),
                         ('rut.reg12', 'registrar', ['--region', '12'])])
        with kh.Server(d, tmp) as s:
            s.wait_ready()
            users = {}
            for name in ('admin.nation', 'anna.coord12', 'olle.coord03', 'rut.reg12'):
                users[name] = kh.Browser()
                ok(users[name].signin(name).status == 303, name + ' signs in')
            admin, anna, olle, reg = (users[x] for x in
                                      ('admin.nation', 'anna.coord12', 'olle.coord03', 'rut.reg12'))
            nodes_and_groups(d, admin, anna, olle, kh.Browser())
            members(d, admin, anna, olle)
            trainings(d, admin, anna, olle, reg)
            ok('ERROR' not in s.log_text() and 'runtime error' not in s.log_text(),
               'the server logged no error', s.log_text()[-2000:])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


if __name__ == '__main__':
    main()
