#!/usr/bin/env python3
"""tests/http/http_privacy.py: no personnummer leaves `knod serve` through an
error path (TAP).

Valid personnummer (each request its own, so that a leak names its
request) are pushed through every error path an HTTP client reaches, each
in the three written forms (19YYMMDD-NNNN, YYMMDD-NNNN, YYYYMMDDNNNN):
anonymous path segments and query strings (values and names), cookies
and Accept-Language; a refused sign-in's user name; a survey answer to an
unknown link; a signed-in administrator's free-text fields (a group's
purpose, a survey's title), which refuse a personnummer; a coordinator's
upload whose file name holds one and whose broken row holds one, and a
person page asked for by one. Then neither any answer (status line,
headers, body), nor the server's access and error log (its stderr), nor
the audit table (knod audit show), nor the upload's reject report holds
any of them in any of the forms (or the ten digits alone). One small
store without persons, one server start.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import json
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import knodhttp as kh  # noqa: E402

ok, knod, audit = kh.ok, kh.knod, kh.audit
BOUNDARY = 'knodprivacyboundary4d2'


def luhn_digit(nine):
    s = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        s += d - 9 if d > 9 else d
    return str((10 - s % 10) % 10)


def pnr(k):
    """The k-th test personnummer: born 19YYMMDD, valid check digit."""
    yymmdd = '%02d%02d%02d' % (40 + k // 28, 1 + k % 12, 1 + k % 28)
    serial = '%03d' % (100 + 7 * k)
    return '19' + yymmdd + serial + luhn_digit(yymmdd + serial)


def forms(p):
    """The written forms of 12-digit p, and its ten digits alone."""
    return [p[:8] + '-' + p[8:], p[2:8] + '-' + p[8:], p, p[2:]]


def leaks(text, numbers):
    """The numbers (any form) that text holds."""
    return sorted({n for n in numbers for f in forms(n) if f in text})


def context(text, numbers):
    """Where in text the numbers are (80 characters around each)."""
    out = []
    for n in numbers:
        for f in forms(n):
            at = text.find(f)
            if at >= 0:
                out.append(text[max(0, at - 80):at + len(f) + 40].replace('\n', ' | '))
    return '\n'.join(out)


def answer_text(r):
    return ('%d\n' % r.status + '\n'.join('%s: %s' % kv for kv in r.headers.items()) +
            '\n' + r.text())


def multipart(fields, filename, data):
    out = b''
    for k, v in fields.items():
        out += ('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                % (BOUNDARY, k, v)).encode()
    out += ('--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
            'Content-Type: text/csv\r\n\r\n' % (BOUNDARY, filename)).encode()
    return out + data + ('\r\n--%s--\r\n' % BOUNDARY).encode()


class Probe:
    """Sends requests, each with numbers of its own; keeps every answer."""

    def __init__(self):
        self.k = 0
        self.numbers = []
        self.answers = []  # (what, numbers, answer text)

    def fresh(self):
        self.k += 1
        p = pnr(self.k)
        self.numbers.append(p)
        return p

    def each_form(self):
        p = self.fresh()
        return p, forms(p)[:3]

    def send(self, what, b, method, path, numbers, **kw):
        r = b.req(method, path, **kw)
        self.answers.append((what, numbers, answer_text(r)))
        return r


def anonymous(pr):
    b = kh.Browser()
    p, fs = pr.each_form()
    for f in fs:
        q = urllib.parse.quote(f)
        for what, path in (('an indicator', '/indicators/'), ('a region', '/regions/'),
                           ('a person', '/persons/'), ('an API indicator', '/api/v1/indicators/'),
                           ('a survey link', '/s/'), ('no route', '/')):
            pr.send('GET %s by a personnummer' % what, b, 'GET', path + q, [p])
        for path in ('/indicators?region=%s&period=%s' % (q, q),
                     '/api/v1/results?indicator=%s&region=%s&period=%s' % (q, q, q),
                     '/?%s=1&lang=%s' % (q, q), '/overview?indicator=' + q):
            pr.send('GET query ' + path.split('?')[0], b, 'GET', path, [p])
        pr.send('cookies and Accept-Language', b, 'GET', '/', [p],
                headers={'Cookie': 'knod_session=%s; lang=%s; knod_csrf=%s' % (f, f, f),
                         'Accept-Language': f})
    p, fs = pr.each_form()
    for f in fs:
        pr.send('a refused sign-in', b, 'POST', '/login', [p],
                body={'csrf': b.form_token(), 'username': f, 'password': 'fel'})
        pr.send('a survey answer to an unknown link', b, 'POST', '/s/abc' + f[-4:], [p],
                body={'csrf': b.form_token(), 'q1': f})
    r = b.get('/indicators?region=%FF%FE')
    ok(r.status == 400, 'a query that is not UTF-8: 400', r.status)
    fives = [(w, t[:200]) for w, _, t in pr.answers if t.startswith('5')]
    ok(not fives, 'no anonymous request gets a 5xx', fives[:3])


def administrator(pr):
    b = kh.Browser()
    b.signin('adam.admin')
    p, fs = pr.each_form()
    for f in fs:
        r = b.post_form('/groups/new', {'code': 'g' + f[-4:], 'name': 'Grupp',
                                        'kind': 'working-group',
                                        'purpose': 'Ring ' + f}, '/groups/new')
        pr.answers.append(('a group purpose', [p], answer_text(r)))
        ok(r.status in (200, 400, 422) and 'f-purpose' in r.text(),
           'a personnummer in a group purpose (%s) is refused at its field' % f, r.status)
        r = b.post_form('/surveys/new', {'code': 's' + f[-4:], 'title_sv': 'Enkät ' + f,
                                         'title_en': 'Survey'}, '/surveys/new')
        pr.answers.append(('a survey title', [p], answer_text(r)))
        ok(r.status != 303, 'a personnummer in a survey title (%s) is not taken' % f,
           r.status)


def coordinator(pr, tmp):
    b = kh.Browser()
    b.signin('cora.coord')
    p_name = pr.fresh()
    p_row, fs = pr.each_form()
    rows = ''.join('knod-web,r%d,%s,2024-13-40 25:00,X99\n' % (i, f) for i, f in enumerate(fs))
    data = ('source_system,source_id,pnr,time,cause_code\n' + rows).encode()
    body = multipart({'csrf': b.form_token('/upload'), 'kind': 'auto'},
                     'self_harm_%s.csv' % forms(p_name)[0], data)
    r = b.req('POST', '/upload', body=body, ctype='multipart/form-data; boundary=' + BOUNDARY)
    pr.answers.append(('the upload', [p_name, p_row], answer_text(r)))
    loc = r.h('Location') or ''
    ok(r.status == 303 and loc.startswith('/upload'), 'the upload is taken for its job',
       '%d %s' % (r.status, r.text()[:300]))
    deadline = time.time() + 60
    page = None
    while loc and time.time() < deadline:
        page = b.get(loc)
        if not re.search(r'data-state="(queued|running)"', page.text()):
            break
        time.sleep(0.1)
    if page is not None:
        pr.answers.append(('the upload status page', [p_name, p_row], answer_text(page)))
        ok('rejected' in page.text() or 'avvisad' in page.text().lower()
           or re.search(r'<td>\d+</td><td>[^<]*</td><td>time', page.text()) is not None,
           'the broken rows are reported', page.text()[:500])
        for m in set(re.findall(r'href="(/upload/[^"]+\.csv)"', page.text())):
            pr.send('the upload reject report', b, 'GET', m, [p_name, p_row])
    p, fs = pr.each_form()
    for f in fs:
        pr.send('a person page by a personnummer', b, 'GET',
                '/persons/' + urllib.parse.quote(f), [p])
        pr.send('a purpose with a personnummer', b, 'POST', '/purpose', [p],
                body={'csrf': b.csrf(), 'purpose': 'Ring ' + f, 'next': '/'})


def main():
    tmp = tempfile.mkdtemp(prefix='knod-http-privacy-')
    try:
        d = kh.store(tmp)
        kh.add_users(d, [('adam.admin', 'admin', []),
                         ('cora.coord', 'coordinator', ['--region', '12'])])
        pr = Probe()
        with kh.Server(d, tmp) as server:
            server.wait_ready()
            anonymous(pr)
            administrator(pr)
            coordinator(pr, tmp)
            log = server.log_text()
        for what in dict.fromkeys(a[0] for a in pr.answers):
            bad = [context(text, ns) for w, ns, text in pr.answers if w == what
                   if leaks(text, ns)]
            ok(not bad, 'the answers to %s show no personnummer' % what, '\n'.join(bad))
        bad = leaks(log, pr.numbers)
        ok(not bad, "the server's access and error log shows no personnummer",
           context(log, pr.numbers)[:1500])
        entries = json.dumps(audit(d), ensure_ascii=False)
        ok('signin-failed' in entries, 'the refused sign-ins are audited')
        bad = leaks(entries, pr.numbers)
        ok(not bad, 'the audit table holds no personnummer', bad)
        p = knod('status', '--dir', d, check=False)
        out = (p.stdout + p.stderr).decode('utf-8', 'replace')
        ok(not leaks(out, pr.numbers), 'knod status (the uploads listed) shows none', out[:800])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


if __name__ == '__main__':
    main()
