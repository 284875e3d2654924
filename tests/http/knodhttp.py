"""tests/http/knodhttp.py: what every tests/http suite shares.

    import knodhttp as kh
    d = kh.store(tmp, persons=300, seed=5)          # knod init, synth, import
    kh.add_users(d, [('anna.coord', 'coordinator', ['--region', '12'])])
    with kh.Server(d, tmp, '--id', 'ref-a') as s:   # a free loopback port
        s.wait_ready()                              # polls /api/v1/status
        b = kh.Browser()                            # a cookie jar on s
        b.signin('anna.coord')                      # the form, with its CSRF
        r = b.post_form('/account', {...})          # adds the session's token
        kh.ok(r.status == 303, 'a form post')
    kh.done()                                       # the plan; exit 1 on failure

TAP goes to stdout: ok() counts, done() prints the plan. Server starts
`knod serve --dir D --listen 127.0.0.1:0 ARGS`, reads the port from the line
the server prints (no port is guessed, so suites never collide; that line
is the check "serve prints the loopback URL it listens on"), and stops
it on leaving the block; its stderr goes to TMP/serve.log (log_text()).
The last server started is the default of Browser() and get() (PORT, BASE).
Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import http.client
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import knod_store  # noqa: E402

KNOD = os.environ['KNOD']
SRCDIR = os.environ.get('SRCDIR', os.path.join(os.path.dirname(__file__), '..', '..'))
PW = 'korrekt-häst-batteri'
PORT = None
BASE = None

n = 0
failed = 0


def ok(cond, name, detail=''):
    """One TAP line; the detail's first 20 lines as comments when it fails."""
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


def done():
    """Print the plan and exit: 1 when a check failed."""
    print('1..%d' % n)
    sys.stdout.flush()
    sys.exit(1 if failed else 0)


def knod(*args, check=True, stdin=None):
    """Run knod ARGS; raise with its stderr when it fails and check is set."""
    p = subprocess.run([KNOD] + list(args), input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if check and p.returncode != 0:
        raise RuntimeError('knod %s: %s' % (' '.join(args), p.stderr.decode()))
    return p


def store(tmp, persons=None, seed=None, name='site'):
    """A new store TMP/NAME, with a synthetic country of PERSONS (its files
    in TMP/synth) when given: a copy of the one tests/knod_store.py builds
    once per knod binary. Returns the store's folder."""
    d = os.path.join(tmp, name)
    if persons:
        knod_store.copy(KNOD, d, persons, seed, os.path.join(tmp, 'synth'))
    else:
        knod_store.copy(KNOD, d)
    return d


def add_users(d, users, password=PW):
    """Users of the store: (name, role, [scope options]) each."""
    for name, role, scope in users:
        knod('user', 'add', name, '--role', role, '--dir', d, *scope,
             stdin=password.encode('utf-8'))


class Server:
    """`knod serve` on the store d, on a free loopback port."""

    def __init__(self, d, tmp, *args):
        global PORT, BASE
        self.log_path = os.path.join(tmp, 'serve.log')
        self.log = open(self.log_path, 'w+')
        self.p = subprocess.Popen([KNOD, 'serve', '--dir', d, '--listen', '127.0.0.1:0']
                                  + list(args), stdout=subprocess.PIPE, stderr=self.log)
        self.line = self.p.stdout.readline().decode()
        m = re.search(r'serving (http://127\.0\.0\.1:(\d+))/', self.line)
        if not ok(m is not None, 'serve prints the loopback URL it listens on', self.line):
            self.stop()
            raise RuntimeError('knod serve printed no URL: %r; log: %s'
                               % (self.line, self.log_text()[-2000:]))
        self.base, self.port = m.group(1), int(m.group(2))
        BASE, PORT = self.base, self.port

    def status(self):
        """GET /api/v1/status as a dict."""
        return json.loads(get(self.base + '/api/v1/status').body)

    def wait_ready(self, limit_s=300):
        """Poll /api/v1/status every 50 ms until the results are computed."""
        deadline = time.time() + limit_s
        while time.time() < deadline:
            if self.status().get('ready'):
                return True
            if self.p.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError('knod serve was not ready in %d s; log: %s'
                           % (limit_s, self.log_text()[-2000:]))

    def log_text(self):
        """What the server wrote to stderr so far."""
        self.log.flush()
        with open(self.log_path, encoding='utf-8', errors='replace') as f:
            return f.read()

    def stop(self):
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.p.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


class Resp:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body
        self.set_cookies = []

    def text(self):
        return self.body.decode('utf-8')

    def json(self):
        return json.loads(self.body)

    def h(self, name):
        for k, v in self.headers.items():
            if k.lower() == name.lower():
                return v
        return None

    def cookies(self):
        return self.set_cookies


def request(port, method, path, body=None, headers=None, timeout=120):
    """One request on a new connection; redirects are not followed."""
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=dict(headers or {}))
        r = c.getresponse()
        raw_headers = r.getheaders()
        resp = Resp(r.status, dict((k, v) for k, v in raw_headers
                                   if k.lower() != 'set-cookie'), r.read())
        resp.set_cookies = [v for k, v in raw_headers if k.lower() == 'set-cookie']
        return resp
    finally:
        c.close()


def get(url, headers=None, method='GET'):
    """GET an absolute URL of a server, or a path of the last one started."""
    if url.startswith('http://'):
        u = urllib.parse.urlsplit(url)
        port, path = u.port, u.path + ('?' + u.query if u.query else '')
    else:
        port, path = PORT, url
    return request(port, method, path, headers=headers)


class Browser:
    """A cookie jar and no redirect following: every answer is seen."""

    def __init__(self, port=None):
        self.port = port
        self.jar = {}

    def req(self, method, path, body=None, headers=None, ctype=None):
        h = dict(headers or {})
        if self.jar:
            h['Cookie'] = '; '.join('%s=%s' % kv for kv in self.jar.items())
        if body is not None:
            h['Content-Type'] = ctype or 'application/x-www-form-urlencoded'
            if isinstance(body, dict):
                body = urllib.parse.urlencode(body)
            if isinstance(body, str):
                body = body.encode('utf-8')
        resp = request(self.port or PORT, method, path, body=body, headers=h)
        for sc in resp.set_cookies:
            name, _, rest = sc.partition('=')
            if 'Max-Age=0' in sc:
                self.jar.pop(name, None)
            else:
                self.jar[name] = rest.split(';')[0]
        return resp

    def get(self, path, **kw):
        return self.req('GET', path, **kw)

    def post(self, path, fields, **kw):
        return self.req('POST', path, body=fields, **kw)

    def form_token(self, path='/login'):
        """The CSRF token of the form on the page at path."""
        r = self.get(path)
        m = re.search(r'name="csrf" value="([0-9a-f]+)"', r.text())
        return m.group(1) if m else None

    def signin(self, user, password=PW, nxt=None):
        """Sign in through the form of /login (its CSRF token first)."""
        f = {'csrf': self.form_token(), 'username': user, 'password': password}
        if nxt is not None:
            f['next'] = nxt
        return self.post('/login', f)

    def csrf(self):
        """The session's token, from the account page's forms."""
        return self.form_token('/account')

    def post_form(self, path, fields, token_from='/account'):
        """POST fields to path with the session's CSRF token added."""
        f = dict(fields)
        f['csrf'] = self.form_token(token_from)
        return self.post(path, f)


def audit(d, *args):
    """knod audit show's entries (JSON), with options args."""
    out = knod('audit', 'show', '--dir', d, '--format', 'json', *args).stdout.decode()
    return json.loads(out)
