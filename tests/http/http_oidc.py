#!/usr/bin/env python3
"""tests/http/http_oidc.py: signing in to `knod serve` through an OpenID
provider on loopback, end to end over real HTTP (TAP).

Two providers from tests/oidc/provider.mjs (node, installed by
tools/install-npm.sh): the real `oidc-provider` from npm, whose login and
consent forms this test fills in like a browser (following every redirect,
keeping cookies), and a scripted one whose token endpoint issues the bad ID
tokens (node's jose): wrong audience, expired, signed by another key,
wrong nonce, and a callback with another state. Each bad case is checked
against a good run through the same provider, so that a refusal is the
check's doing, and each leaves a "signin-failed" audit entry naming the
check. Then an issuer mismatch in discovery, a sign-in that comes back to
another browser, a replayed callback, and an unknown user.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

KNOD = os.environ['KNOD']
SRCDIR = os.environ['SRCDIR']
PROVIDER = os.path.join(SRCDIR, 'tests', 'oidc', 'provider.mjs')

n = 0
failed = 0


def ok(cond, name, detail=''):
    global n, failed
    n += 1
    if cond:
        print('ok %d - %s' % (n, name))
    else:
        failed += 1
        print('not ok %d - %s' % (n, name))
        for line in str(detail).splitlines()[:20]:
            print('# ' + line)
    sys.stdout.flush()
    return cond


def knod(*args, check=True, stdin=None):
    p = subprocess.run([KNOD] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       input=stdin)
    if check and p.returncode != 0:
        raise RuntimeError('knod %s: %s' % (' '.join(args), p.stderr.decode()))
    return p


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Browser:
    """Cookies and redirects followed by hand, so that every hop is seen."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.hops = []

    def one(self, url, data=None):
        req = urllib.request.Request(url, data=data)
        try:
            r = self.opener.open(req, timeout=60)
            return r.status, r.headers, r.read().decode('utf-8', 'replace'), url
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode('utf-8', 'replace'), url

    def go(self, url, data=None, stop=None):
        """Follow redirects from url; stop (a function of the URL) ends the
        walk before that URL is requested, returning (None, None, None, url)."""
        for _ in range(20):
            if stop and stop(url):
                return None, None, None, url
            status, headers, body, url = self.one(url, data)
            self.hops.append((status, url))
            data = None
            if status in (301, 302, 303, 307, 308):
                url = urllib.parse.urljoin(url, headers['Location'])
                continue
            return status, headers, body, url
        raise RuntimeError('too many redirects')


class Forms(HTMLParser):
    """Every <form> of a page: action, method and its inputs."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'form':
            self.forms.append({'action': a.get('action', ''), 'method': a.get('method', 'get'),
                               'fields': {}})
        elif tag == 'input' and self.forms and a.get('name'):
            self.forms[-1]['fields'][a['name']] = a.get('value', '')


def provider_sign_in(b, url, login):
    """At the real provider: fill in the login form (account id login),
    then consent; follow until the answer leaves the provider. Returns the
    last answer."""
    status, headers, body, url = b.go(url)
    for _ in range(4):
        if status != 200 or '<form' not in body:
            return status, headers, body, url
        f = Forms()
        f.feed(body)
        form = f.forms[0]
        fields = dict(form['fields'])
        if 'prompt' not in fields:  # back at knod: not the provider's form
            return status, headers, body, url
        if fields.get('prompt') == 'login':
            fields['login'] = login
            fields['password'] = 'any'
        action = urllib.parse.urljoin(url, form['action'])
        status, headers, body, url = b.go(action, urllib.parse.urlencode(fields).encode())
    return status, headers, body, url


class Provider:
    def __init__(self, mode, redirect):
        self.p = subprocess.Popen(['node', PROVIDER, mode, redirect], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.info = json.loads(self.p.stdout.readline().decode())
        self.issuer = self.info['issuer']

    def scenario(self, name):
        req = urllib.request.Request(self.issuer + '/scenario', data=name.encode())
        urllib.request.urlopen(req, timeout=30).read()

    def stop(self):
        self.p.stdin.close()
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()


class Portal:
    """knod serve on port with [oidc] pointing at issuer."""

    def __init__(self, d, port, issuer, secret, tmp, name):
        ini = os.path.join(d, 'knod.ini')
        with open(ini) as f:
            text = f.read()
        text = re.sub(r'(?ms)^\[oidc\]\n.*', '', text)
        with open(os.path.join(d, 'oidc.secret'), 'w') as f:
            f.write(secret + '\n')
        os.chmod(os.path.join(d, 'oidc.secret'), 0o600)
        text += ('[oidc]\nissuer = %s\nclient_id = knod-test\nclient_secret_file = '
                 'oidc.secret\nredirect_uri = http://127.0.0.1:%d/login/oidc/callback\n'
                 'claim_user = hsa_id\nclaim_role = knodroll\nrole_map = '
                 'KNOD-SAMORD=coordinator\nclaim_region = region\n' % (issuer, port))
        with open(ini, 'w') as f:
            f.write(text)
        self.log = open(os.path.join(tmp, name + '.log'), 'w+')
        self.p = subprocess.Popen([KNOD, 'serve', '--dir', d, '--listen',
                                   '127.0.0.1:%d' % port], stdout=subprocess.PIPE,
                                  stderr=self.log)
        line = self.p.stdout.readline().decode()
        self.base = 'http://127.0.0.1:%d' % port
        if 'serving' not in line:
            raise RuntimeError('knod serve did not start: ' + line)

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        try:
            self.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
        self.log.seek(0)
        return self.log.read()


def audit(d):
    out = knod('audit', 'show', '--dir', d, '--format', 'json').stdout.decode()
    out = out.strip()
    if out.startswith('['):
        return json.loads(out)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def failures(d):
    return [e for e in audit(d) if e.get('action') == 'signin-failed']


def main():
    tmp = tempfile.mkdtemp(prefix='knod-oidc-')
    procs = []
    try:
        d = os.path.join(tmp, 'site')
        knod('init', '--dir', d)
        # The user the provider's account "anna" maps to: her HSA-id,
        # lower-cased; stored as a registrar of region 03 so that the
        # provider's role (coordinator of 12) is seen to take over.
        knod('user', 'add', 'se2321000016-a001', '--role', 'registrar', '--region', '03',
             '--no-password', '--dir', d)

        # 1. The real provider, end to end.
        port = free_port()
        real = Provider('real', 'http://127.0.0.1:%d/login/oidc/callback' % port)
        procs.append(real)
        portal = Portal(d, port, real.issuer, real.info['client_secret'], tmp, 'real')
        procs.append(portal)
        base = portal.base

        b = Browser()
        status, _, body, _ = b.go(base + '/login')
        ok(status == 200 and 'href="/login/oidc' in body,
           '/login offers the identity provider', body[:2000])
        status, headers, _, _ = b.one(base + '/login/oidc?next=/account')
        loc = headers.get('Location', '') if headers else ''
        ok(status in (302, 303) and loc.startswith(real.issuer + '/auth?'),
           '/login/oidc redirects to the provider', (status, loc))
        q = urllib.parse.parse_qs(urllib.parse.urlparse(loc).query)
        ok(q.get('code_challenge_method') == ['S256'] and len(q['code_challenge'][0]) == 43
           and len(q['state'][0]) == 43 and len(q['nonce'][0]) == 43
           and q['response_type'] == ['code'] and q['client_id'] == ['knod-test'],
           'the request has PKCE S256, a random state and nonce', q)
        status, _, body, url = provider_sign_in(b, loc, 'anna')
        ok(status == 200 and url == base + '/account' and 'se2321000016-a001' in body,
           'signed in through the provider, back on /account', (status, url, b.hops))
        status, _, body, _ = b.go(base + '/api/v1/account')
        ok(status == 200 and '"coordinator"' in body and '"12"' in body,
           'the role and region come from the claims by role_map', (status, body[:1000]))
        entries = audit(d)
        ok(any(e['action'] == 'signin' and e['actor'] == 'se2321000016-a001'
               and 'oidc' in (e.get('detail') or '') for e in entries),
           'the sign-in is audited', entries[-5:])
        ok(any(e['action'] == 'user-role' and e['actor'] == 'oidc' for e in entries),
           "the provider's role change is audited", entries[-5:])
        text = json.dumps(entries)
        ok('eyJ' not in text and real.info['client_secret'] not in text,
           'no token or secret in the audit log')

        # A replayed callback (the same state and code again) is refused.
        # A replayed callback (the same state, code and state cookie) is
        # refused: an attempt is used once.
        cb = [u for s, u in b.hops if '/login/oidc/callback' in u][-1]
        state = urllib.parse.parse_qs(urllib.parse.urlparse(cb).query)['state'][0]
        req = urllib.request.Request(cb, headers={'Cookie': 'knod_oidc=' + state})
        try:
            status = urllib.request.build_opener(NoRedirect).open(req, timeout=60).status
        except urllib.error.HTTPError as e:
            status = e.code
        ok(status == 403 and 'used already' in failures(d)[-1]['detail'],
           'a replayed callback is refused', (status, failures(d)[-1:]))

        # The callback in another browser than the one that started: refused.
        b1, b2 = Browser(), Browser()
        _, headers, _, _ = b1.one(base + '/login/oidc?next=/account')
        status, headers, body, url = provider_sign_in_until_callback(b1, headers['Location'],
                                                                     'anna', base)
        ok(url.startswith(base + '/login/oidc/callback'), 'the provider sends the code back',
           url)
        status, _, _, _ = b2.one(url)
        ok(status == 403, "a callback in another browser is refused (state cookie)", status)
        status, _, body, url2 = b1.go(url)
        ok(status == 200 and url2 == base + '/account',
           'the same callback in the browser that started it signs in', (status, url2))

        # An account the provider knows but knod does not.
        b3 = Browser()
        _, headers, _, _ = b3.one(base + '/login/oidc')
        before = len(failures(d))
        status, _, body, url = provider_sign_in(b3, headers['Location'], 'mallory')
        f = failures(d)
        ok(status == 403 and url.startswith(base + '/login/oidc/callback'),
           'an unknown user is refused', (status, url))
        ok(len(f) == before + 1 and 'hsa_id' in f[-1]['detail'],
           'the refusal is audited with its reason', f[-1:])
        logs = portal.stop()
        procs.remove(portal)
        real.stop()
        procs.remove(real)

        # 2. The scripted provider: each bad token against a good one.
        port = free_port()
        fake = Provider('fake', 'http://127.0.0.1:%d/login/oidc/callback' % port)
        procs.append(fake)
        portal = Portal(d, port, fake.issuer, fake.info['client_secret'], tmp, 'fake')
        procs.append(portal)
        base = portal.base

        def attempt(scenario, nxt='/account'):
            fake.scenario(scenario)
            b = Browser()
            before = len(failures(d))
            status, _, _, url = b.go(base + '/login/oidc?next=' + urllib.parse.quote(nxt))
            f = failures(d)
            return status, url, f[-1]['detail'] if len(f) > before else ''

        status, url, why = attempt('good')
        ok(status == 200 and url == base + '/account' and why == '',
           'a good token from the scripted provider signs in', (status, url, why))
        for nxt in ['//evil.example/x', 'https://evil.example/', '/\\evil.example']:
            status, url, why = attempt('good', nxt)
            ok(url == base + '/' and why == '', 'next=%s ends on this portal' % nxt,
               (status, url, why))
        for scenario, words in [('wrong-aud', 'audience'), ('expired', 'expired'),
                                ('bad-signature', 'signature'), ('wrong-nonce', 'nonce'),
                                ('wrong-state', 'state')]:
            status, url, why = attempt(scenario)
            ok(status == 403 and url.startswith(base + '/login/oidc/callback')
               and words in why, '%s is refused and audited (%s)' % (scenario, words),
               (status, url, why))
        logs += portal.stop()
        procs.remove(portal)
        ok('eyJ' not in logs and fake.info['client_secret'] not in logs
           and 'code=' not in logs, 'no token, code or secret in the server log', logs[-2000:])

        # 3. Discovery names another issuer than [oidc] issuer.
        port = free_port()
        portal = Portal(d, port, fake.issuer + '/other-issuer', fake.info['client_secret'],
                        tmp, 'mismatch')
        procs.append(portal)
        b = Browser()
        status, _, body, url = b.go(portal.base + '/login/oidc')
        ok(status == 502 and url == portal.base + '/login/oidc',
           'an issuer mismatch in discovery stops the sign-in before the provider', status)
        log = portal.stop()
        procs.remove(portal)
        ok('issuer' in log, 'the server log says why (issuer)', log[-2000:])
    finally:
        for p in procs:
            try:
                p.stop()
            except Exception:
                pass
        shutil.rmtree(tmp, ignore_errors=True)
    print('1..%d' % n)
    return 1 if failed else 0


def provider_sign_in_until_callback(b, url, login, base):
    """Like provider_sign_in, but stop before the callback is requested."""
    stop = lambda u: u.startswith(base + '/login/oidc/callback')
    status, headers, body, url = b.go(url, stop=stop)
    for _ in range(4):
        if status is None or status != 200 or '<form' not in body:
            return status, headers, body, url
        f = Forms()
        f.feed(body)
        form = f.forms[0]
        fields = dict(form['fields'])
        if 'prompt' not in fields:  # back at knod: not the provider's form
            return status, headers, body, url
        if fields.get('prompt') == 'login':
            fields['login'] = login
            fields['password'] = 'any'
        action = urllib.parse.urljoin(url, form['action'])
        status, headers, body, url = b.go(action, urllib.parse.urlencode(fields).encode(),
                                          stop=stop)
    return status, headers, body, url


if __name__ == '__main__':
    sys.exit(main())
