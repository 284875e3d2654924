#!/usr/bin/env python3
"""tests/http/http_serve.py: what `knod serve` computes and caches (TAP).

- `knod serve --id IDS` serves exactly the cells `knod indicators run --id
  IDS` shows: the whole catalogue is computed and suppressed together, since
  disclosure control runs across indicators, then only IDS are served.
- Answers that read the results are served from the cache of the current
  generation (the same bytes and ETag, /api/v1/status counts the hits), and
  the cache never outlives its generation.
- An import while the server runs: the new generation's every cell, in the
  API and on the cached page, equals a fresh `knod indicators run`.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import knod_store  # noqa: E402  (the stores suites start from)

KNOD = os.environ['KNOD']
IDS = ['adm-sh-young', 'sh-young-rate']

n = 0
failed = 0
BASE = None


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


def knod(*args):
    p = subprocess.run([KNOD] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError('knod %s: %s' % (' '.join(args), p.stderr.decode()))
    return p


def get(url, headers=None):
    req = urllib.request.Request(BASE + url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def status():
    return json.loads(get('/api/v1/status')[2])


def cli_rows(d, ids):
    out = knod('indicators', 'run', '--dir', d, '--format', 'json', '--id', ','.join(ids))
    return [json.loads(line) for line in out.stdout.decode().splitlines() if line.strip()]


def api_rows(ind):
    code, _, body = get('/api/v1/results?indicator=%s&limit=100000' % ind)
    return json.loads(body)['results'] if code == 200 else None


def same_as_cli(d, what):
    cli = cli_rows(d, IDS)
    for ind in IDS:
        want = [row for row in cli if row['indicator'] == ind]
        got = api_rows(ind) or []
        diff = next(((a, b) for a, b in zip(want, got) if a != b), None)
        ok(len(want) > 0 and got == want and any(r['suppressed'] for r in want),
           '%s: %s: every cell (%d, some suppressed) equals `indicators run --id`'
           % (what, ind, len(want)), 'rows %d/%d, first difference: %s'
           % (len(want), len(got), diff))


def second_source(tmp, d, name, seed):
    """A second source system's records in two folders: the persons and
    their care (imported first), and their self-harm file alone."""
    more = os.path.join(tmp, name)
    last = os.path.join(tmp, name + '-self-harm')
    knod('synth', '--persons', '300', '--seed', str(seed), '--out', more)
    os.remove(os.path.join(more, 'units.csv'))  # the units are stored already
    for fn in os.listdir(more):
        fp = os.path.join(more, fn)
        with open(fp) as f:
            text = f.read()
        with open(fp, 'w') as f:
            f.write(re.sub(r'(?m)^synth,', name + ',', text))
    os.makedirs(last)
    os.rename(os.path.join(more, 'self_harm.csv'), os.path.join(last, 'self_harm.csv'))
    return more, last


def wait_generation(gen0, limit_s):
    t0 = time.time()
    while time.time() - t0 < limit_s:
        st = status()
        if st['generation'] > gen0:
            return st
        time.sleep(0.05)
    return status()


def settle(gen0):
    """After an import has returned: the first generation after gen0, then
    none newer for twice its computing time (a file-by-file import commits
    several times; the last commit's generation is the one to check)."""
    st = wait_generation(gen0, 600)
    while True:
        time.sleep(max(1.0, 2 * st['compute_ms'] / 1000))
        now = status()
        if now['generation'] == st['generation']:
            return st
        st = now


def main():
    global BASE
    tmp = tempfile.mkdtemp(prefix='knod-http-serve-')
    server = None
    log = open(os.path.join(tmp, 'serve.log'), 'w+')
    try:
        d = os.path.join(tmp, 'site')
        knod_store.copy(KNOD, d, 1500, 3, os.path.join(tmp, 'synth'))
        ini = os.path.join(d, 'knod.ini')
        with open(ini) as f:
            text = f.read()
        with open(ini, 'w') as f:
            f.write(re.sub(r'(?m)^poll_ms = .*$', 'poll_ms = 50', text))
        server = subprocess.Popen([KNOD, 'serve', '--dir', d, '--listen', '127.0.0.1:0',
                                   '--id', ','.join(IDS)], stdout=subprocess.PIPE, stderr=log)
        m = re.search(r'serving (http://127\.0\.0\.1:\d+)/', server.stdout.readline().decode())
        BASE = m.group(1)
        st = wait_generation(0, 600)
        ok(st['ready'], 'results computed (%.0f ms)' % st['compute_ms'])

        # --id: the cells `indicators run --id` shows, no more, no fewer.
        same_as_cli(d, 'serve --id')
        code, _, body = get('/api/v1/indicators')
        served = sorted(set(re.findall(r'"id":\s*"([a-z0-9-]+)"', body.decode())))
        ok(code == 200 and set(IDS) <= set(served) and 'coe-young' not in served,
           'serve --id lists only the indicators asked for', served)
        # The API writes compact JSON (one line, the newline at its end):
        # indented, a region's results of a year passed 128 KiB, the
        # chunk libmicrohttpd hands to sendfile at once.
        code, _, rbody = get('/api/v1/results?indicator=sh-young-rate&level=region')
        ok(code == 200 and rbody.count(b'\n') == 1 and rbody.endswith(b'}\n')
           and b'\n ' not in rbody, 'the API answers compact JSON', rbody[:80])
        code, _, _ = get('/api/v1/results?indicator=coe-young')
        ok(code == 400, 'an indicator not served: 400', code)

        # The cache: the same bytes and ETag again, counted as hits.
        page = '/indicators/sh-young-rate'
        h0 = status()['cache_hits']
        c1, hd1, b1 = get(page)
        c2, hd2, b2 = get(page)
        c3, hd3, b3 = get(page + '?lang=en')
        h1 = status()['cache_hits']
        ok(c1 == c2 == 200 and b1 == b2 and hd1['ETag'] == hd2['ETag'],
           'a page again: the same bytes and ETag')
        ok(h1 - h0 >= 1, 'the second request came from the cache (%d hits)' % (h1 - h0))
        ok(c3 == 200 and b3 != b1 and 'lang=en' in (hd3['Set-Cookie'] or ''),
           'another language is another answer, with its cookie')
        c4, hd4, b4 = get(page, {'If-None-Match': hd1['ETag']})
        ok(c4 == 304 and b4 == b'', 'If-None-Match on a cached answer: 304')
        c5, hd5, _ = get(page, {'Accept-Language': 'en'})
        ok(c5 == 200 and hd5['ETag'] == hd3['ETag'], 'Accept-Language: en finds the English page')
        # A kept answer of 32 KiB or more goes out of its memory file by
        # sendfile (web_cache.h): the same bytes as the rendered first answer.
        big = '/api/v1/results?indicator=sh-young-rate&level=region'
        c7, hd7, b7 = get(big)
        c8, hd8, b8 = get(big)
        ok(c7 == c8 == 200 and len(b7) >= 32768 and b7 == b8
           and hd7['Content-Length'] == hd8['Content-Length'] == str(len(b7)),
           'a large answer again: the same %d bytes from its memory file' % len(b8))

        # An import while serving: a new generation, equal to a fresh run.
        api_before = get('/api/v1/results?indicator=sh-young-rate&level=nation')[2]
        more, last = second_source(tmp, d, 'more', 77)
        gen0 = settle(status()['generation'] - 1)['generation']
        knod('import', '--quiet', '--dir', d, more)
        gen0 = settle(gen0)['generation']
        knod('import', '--quiet', '--dir', d, last)
        st = settle(gen0)
        ok(st['generation'] > gen0, 'the import made a new generation (%.0f ms)'
           % st['compute_ms'])
        same_as_cli(d, 'after an import while serving')
        api_after = get('/api/v1/results?indicator=sh-young-rate&level=nation')[2]
        ok(api_after != api_before, 'the cached results answer changed with the import')
        c6, hd6, b6 = get(page)
        ok(c6 == 200 and b6 != b1 and hd6['ETag'] != hd1['ETag'],
           'the cached page changed with the import')

        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        server = None
        log.seek(0)
        text = log.read()
        ok('ERROR: AddressSanitizer' not in text and 'runtime error' not in text,
           'no sanitizer report', text[-2000:])
    finally:
        if server is not None:
            server.kill()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print('1..%d' % n)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
