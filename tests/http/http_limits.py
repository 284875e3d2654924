#!/usr/bin/env python3
"""tests/http/http_limits.py: the server's time limit and its stop on
SIGINT (TAP).

An empty store (no results needed) served with `[web] timeout_s = 1`:
 - a client that sends half a request and then nothing is disconnected
   after about the time limit, and one that connects and sends nothing
   too, while the server goes on answering others;
 - SIGINT (Ctrl-C in a terminal) stops the server with status 0, as
   SIGTERM does (http_portal.py).
(The size limits, 413 and 431, are http_portal.py's.)

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import knodhttp as kh  # noqa: E402

ok = kh.ok
LIMIT_S = 1


def held(port, data):
    """Seconds until the server closes a connection that sent data and then
    nothing (None when it was still open after 30 s)."""
    s = socket.create_connection(('127.0.0.1', port), timeout=30)
    t0 = time.time()
    try:
        if data:
            s.sendall(data)
        while True:
            chunk = s.recv(4096)  # blocks until the server closes (or answers)
            if not chunk:
                return time.time() - t0
    except socket.timeout:
        return None
    except ConnectionResetError:
        return time.time() - t0
    finally:
        s.close()


def main():
    tmp = tempfile.mkdtemp(prefix='knod-limits-')
    try:
        d = kh.store(tmp)
        ini = os.path.join(d, 'knod.ini')
        with open(ini) as f:
            text = f.read()
        with open(ini, 'w') as f:
            f.write(re.sub(r'(?m)^timeout_s = .*$', 'timeout_s = %d' % LIMIT_S, text))
        with kh.Server(d, tmp) as s:
            ok(kh.get(s.base + '/about').status == 200, 'the server answers')
            for name, data in (('half a request', b'GET / HTTP/1.1\r\nHost: x\r\n'),
                               ('nothing at all', b'')):
                took = held(s.port, data)
                ok(took is not None and LIMIT_S * 0.8 <= took <= LIMIT_S + 10,
                   'a client that sent %s is disconnected after the time limit '
                   '(%s s, limit %d s)' % (name, took and round(took, 2), LIMIT_S))
            ok(kh.get(s.base + '/about').status == 200, 'and the server goes on answering')
            s.p.send_signal(signal.SIGINT)
            try:
                rc = s.p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                rc = None
            ok(rc == 0, 'SIGINT stops the server with status 0', rc)
            log = s.log_text()
            ok('ERROR: AddressSanitizer' not in log and 'runtime error' not in log,
               'no sanitizer report', log[-2000:])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


if __name__ == '__main__':
    main()
