#!/usr/bin/env python3
"""bench/http/bench.py: knod serve against nginx, memory and freshness.

Called by bench/http/run.sh (which builds, makes the data and installs
nginx and wrk); standard library only. Over a knod directory STORE:

1. starts `knod serve --threads T` on a free loopback port and waits until
   /api/v1/status says the results are computed (the time is reported);
2. saves the exact bytes of three answers (the start page, an indicator
   page, a results JSON call) and serves them with nginx as static files
   (foreground, a config in a temporary directory, worker_processes 2,
   access_log off, sendfile) on another loopback port, under the same paths;
3. runs wrk (64 connections, 2 threads, --latency) against each URL on both
   servers, alternating knod, nginx, knod, nginx ... PAIRS times, and prints
   requests/s and p99 latency per URL, the medians and the ratio knod/nginx;
   repeated for each --threads value;
4. reads the server's VmRSS and VmHWM from /proc;
5. freshness: imports a small second source system (300 persons) while the
   server runs, waits until the server has settled, then imports its
   self-harm file alone (one commit) and measures the time from that
   import's return (and from its start) to the first answer that shows the
   new numbers (a new generation in /api/v1/status and a changed result).
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

URLS = [
    ('start page', '/'),
    ('indicator page', '/indicators/sh-young-rate'),
    ('results JSON', '/api/v1/results?indicator=sh-young-rate&level=region&period=2024'),
]
FRESH_URL = '/api/v1/results?indicator=sh-young-rate&measure=persons&level=nation&sex=T'


def get(base, path):
    with urllib.request.urlopen(base + path, timeout=60) as r:
        return r.status, dict(r.headers), r.read()


def status(base):
    return json.loads(get(base, '/api/v1/status')[2])


def proc_mem(pid):
    out = {}
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            k, _, v = line.partition(':')
            if k in ('VmRSS', 'VmHWM'):
                out[k] = int(v.split()[0]) * 1024
    return out


def proc_cpu(pid):
    """CPU seconds (user + system) the process has used so far."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def start_knod(knod, store, threads, log):
    p = subprocess.Popen([knod, 'serve', '--dir', store, '--listen', '127.0.0.1:0',
                          '--threads', str(threads)],
                         stdout=subprocess.PIPE, stderr=log)
    m = re.search(r'serving (http://127\.0\.0\.1:\d+)/', p.stdout.readline().decode())
    if not m:
        p.kill()
        sys.exit('knod serve did not start (see its log)')
    base = m.group(1)
    t0 = time.time()
    while not status(base).get('ready'):
        if p.poll() is not None:
            sys.exit('knod serve stopped')
        time.sleep(0.05)
    return p, base, time.time() - t0


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


NGINX_CONF = """daemon off;
master_process on;
worker_processes 2;
user root;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 100000000;
    keepalive_timeout 65;
    etag on;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
{locations}
    }}
}}
"""


def free_port():
    import socket
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_nginx(tmp, saved):
    """nginx serving each saved answer at its path, with its content type."""
    www = os.path.join(tmp, 'www')
    os.makedirs(www, exist_ok=True)
    locs = []
    for i, (name, path, ctype, body) in enumerate(saved):
        fname = 'answer%d' % i
        with open(os.path.join(www, fname), 'wb') as f:
            f.write(body)
        loc = path.split('?')[0]
        locs.append('        location = %s { default_type "%s"; try_files /%s =404; }'
                    % (loc, ctype, fname))
    port = free_port()
    conf = os.path.join(tmp, 'nginx.conf')
    with open(conf, 'w') as f:
        f.write(NGINX_CONF.format(tmp=tmp, port=port, locations='\n'.join(locs)))
    p = subprocess.Popen(['nginx', '-c', conf, '-p', tmp],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = 'http://127.0.0.1:%d' % port
    for _ in range(100):
        try:
            get(base, saved[0][1])
            break
        except OSError:
            time.sleep(0.05)
    for name, path, ctype, body in saved:
        if get(base, path)[2] != body:
            sys.exit('nginx does not serve the saved bytes of ' + path)
    return p, base


def to_ms(text):
    m = re.match(r'([\d.]+)(us|ms|s)$', text)
    v = float(m.group(1))
    return v / 1000 if m.group(2) == 'us' else v * 1000 if m.group(2) == 's' else v


def wrk(url, seconds):
    out = subprocess.run(['wrk', '-t2', '-c64', '-d%ds' % seconds, '--latency', url],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=True,
                         text=True).stdout
    rps = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
    p99 = to_ms(re.search(r'\n\s+99%\s+(\S+)', out).group(1))
    bad = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    errs = re.search(r'Socket errors: (.*)', out)
    if bad or errs:
        print('    wrk: %s %s' % (bad.group(0) if bad else '', errs.group(0) if errs else ''))
    return rps, p99


def load(knod_base, nginx_base, pairs, seconds, label):
    rows = []
    for name, path in URLS:
        k, n = [], []
        for i in range(pairs):
            k.append(wrk(knod_base + path, seconds))
            n.append(wrk(nginx_base + path, seconds))
            print('  %-15s pair %d: knod %9.0f req/s p99 %7.2f ms | nginx %9.0f req/s p99 %7.2f ms'
                  % (name, i + 1, k[-1][0], k[-1][1], n[-1][0], n[-1][1]), flush=True)
        kr = statistics.median(x[0] for x in k)
        kp = statistics.median(x[1] for x in k)
        nr = statistics.median(x[0] for x in n)
        np_ = statistics.median(x[1] for x in n)
        rows.append((label, name, kr, kp, nr, np_))
    return rows


def settle(base, gen0):
    """Wait until a generation after gen0 is served and no newer one follows
    for 2 s or one and a half times the last generation's computation,
    whichever is longer (the import's files commit one by one, and a
    generation that started before the last commit shows it only in the
    next one: waiting 2 s alone returned while a rebuild was still running,
    so the timed import then waited for it)."""
    t = time.time()
    while status(base)['generation'] <= gen0:
        if time.time() - t > 600:
            sys.exit('no new generation within 600 s')
        time.sleep(0.05)
    st = status(base)
    gen = st['generation']
    while True:
        time.sleep(max(2.0, 1.5 * st['compute_ms'] / 1000))
        st = status(base)
        if st['generation'] == gen:
            return gen
        gen = st['generation']


def freshness(knod, store, base, tmp, rounds, pid):
    """Import a second source system's persons and contacts, let the server
    settle, then import its self-harm file alone (one file, one commit) and
    time the first answer with the new numbers."""
    out = []
    for i in range(rounds):
        more = os.path.join(tmp, 'more%d' % i)
        last = os.path.join(tmp, 'more%d-self-harm' % i)
        subprocess.run([knod, 'synth', '--persons', '300', '--seed', str(77 + i), '--out', more],
                       check=True, stdout=subprocess.DEVNULL)
        os.remove(os.path.join(more, 'units.csv'))  # the units are stored already
        for fn in os.listdir(more):  # new records: another source system
            fp = os.path.join(more, fn)
            with open(fp) as f:
                text = f.read()
            with open(fp, 'w') as f:
                f.write(re.sub(r'(?m)^synth,', 'more%d,' % i, text))
        os.makedirs(last)
        os.rename(os.path.join(more, 'self_harm.csv'), os.path.join(last, 'self_harm.csv'))
        gen0 = status(base)['generation']
        subprocess.run([knod, 'import', '--quiet', '--dir', store, more], check=True,
                       stdout=subprocess.DEVNULL)
        gen0 = settle(base, gen0)
        before = get(base, FRESH_URL)[2]
        cpu0 = proc_cpu(pid)
        t_start = time.time()
        subprocess.run([knod, 'import', '--quiet', '--dir', store, last], check=True,
                       stdout=subprocess.DEVNULL)
        t_done = time.time()
        while True:
            st = status(base)
            if st['generation'] > gen0 and get(base, FRESH_URL)[2] != before:
                break
            if time.time() - t_done > 600:
                sys.exit('no new result within 600 s')
            time.sleep(0.01)
        t_seen = time.time()
        cpu = proc_cpu(pid) - cpu0
        out.append((t_seen - t_done, t_seen - t_start, st['compute_ms'], cpu))
        print('  import %d (self_harm.csv, one commit): took %.2f s; the new result was served '
              '%.2f s after it returned (server: computed in %.0f ms, %.1f CPU s)'
              % (i + 1, t_done - t_start, t_seen - t_done, st['compute_ms'], cpu), flush=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--knod', required=True)
    ap.add_argument('--store', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--pairs', type=int, default=3)
    ap.add_argument('--seconds', type=int, default=10)
    ap.add_argument('--threads', type=int, nargs='+', default=[2])
    ap.add_argument('--fresh-rounds', type=int, default=3)
    a = ap.parse_args()
    for tool in ('nginx', 'wrk'):
        if not shutil.which(tool):
            sys.exit('%s is missing: run bench/http/install.sh' % tool)
    tmp = tempfile.mkdtemp(prefix='knod-bench-http-')
    log = open(os.path.join(a.out, 'serve.log'), 'w+b')
    rows, knod_p, nginx_p = [], None, None
    try:
        for threads in a.threads:
            knod_p, kb, ready_s = start_knod(a.knod, a.store, threads, log)
            st = status(kb)
            print('knod serve --threads %d: results ready %.1f s after start (computed in '
                  '%.0f ms, %.1f CPU s, %d events)' % (threads, ready_s, st['compute_ms'],
                                                       proc_cpu(knod_p.pid), st['events']),
                  flush=True)
            saved = []
            for name, path in URLS:
                code, hdr, body = get(kb, path)
                if code != 200:
                    sys.exit('%s: %d' % (path, code))
                saved.append((name, path, hdr['Content-Type'], body))
                with open(os.path.join(a.out, 'answer-%s' % name.replace(' ', '-')), 'wb') as f:
                    f.write(body)
                print('  %-15s %s: %d bytes' % (name, path, len(body)))
            if nginx_p is None:
                nginx_p, nb = start_nginx(tmp, saved)
            rows += load(kb, nb, a.pairs, a.seconds, 'threads %d' % threads)
            mem = proc_mem(knod_p.pid)
            print('  memory after the load: VmRSS %.0f MB, VmHWM %.0f MB'
                  % (mem['VmRSS'] / 1e6, mem['VmHWM'] / 1e6), flush=True)
            if threads == a.threads[-1]:
                fr = freshness(a.knod, a.store, kb, tmp, a.fresh_rounds, knod_p.pid)
                mem = proc_mem(knod_p.pid)
                print('  memory after the imports: VmRSS %.0f MB, VmHWM %.0f MB'
                      % (mem['VmRSS'] / 1e6, mem['VmHWM'] / 1e6), flush=True)
            stop(knod_p)
            knod_p = None
    finally:
        if knod_p:
            stop(knod_p)
        if nginx_p:
            nginx_p.send_signal(signal.SIGQUIT)
            nginx_p.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    log.seek(0)
    lines = [l for l in log.read().decode(errors='replace').splitlines()
             if 'results: generation' in l]
    print('\nthe server\'s computations (serve.log):')
    for l in lines:
        print('  ' + l[l.index('results:'):])
    print()
    print('| server | URL | knod req/s | knod p99 ms | nginx req/s | nginx p99 ms | knod/nginx |')
    print('|---|---|---:|---:|---:|---:|---:|')
    for label, name, kr, kp, nr, np_ in rows:
        print('| %s | %s | %.0f | %.2f | %.0f | %.2f | %.2fx |' % (label, name, kr, kp, nr, np_,
                                                                  kr / nr))
    print()
    print('freshness (median of %d): %.2f s after the import returned, %.2f s after it '
          'started; server computation %.0f ms, %.1f CPU s'
          % (len(fr), statistics.median(x[0] for x in fr), statistics.median(x[1] for x in fr),
             statistics.median(x[2] for x in fr), statistics.median(x[3] for x in fr)))


if __name__ == '__main__':
    main()
