#!/usr/bin/env python3
"""Run every knod test suite of a Meson build dir and sum the TAP results.

usage: tests/run.py BUILDDIR [--suite NAME] [--test NAME]... [-j N] [-w N] [-v]

Every test registered in tests/meson.build speaks TAP (cmocka with
CMOCKA_MESSAGE_OUTPUT=TAP, shell scripts through tests/integration/lib.sh).
Each test case counts once. A program that crashes, exits non-zero, or
prints fewer results than its plan counts as a failure. The last line is
'N passed, N failed' (', N skipped' when any were skipped).

Suites run on N workers (-j, default 2: the machine's cores), the longest
first: by their times in the last run (BUILDDIR/meson-logs/run-times.json,
written at the end), else in a reference run (tests/suite-times.json, for
a clean clone), else by their timeouts; results print as suites end,
with wall and CPU seconds (the CPU time of a test and of the children it
waited for: on a shared machine the steadier figure). The suites of the
Meson suite browser run on workers of their own beside those (-w, default
1; -w 0 puts them with the others): they mostly wait for Chromium and the
server (the suite browser: 110 s wall, 31 CPU s in a clean run), so on
two cores a third suite running fills that wait instead of holding one of
the two workers idle.
"""
import concurrent.futures as cf
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

TAP_RESULT = re.compile(r'^(not ok|ok)\b\s*(\d+)?\s*-?\s*(.*?)(\s+#\s*(SKIP|TODO)\b.*)?$', re.I)
TAP_PLAN = re.compile(r'^1\.\.(\d+)')


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def run_one(test, verbose):
    """Run one test; returns its TAP counts, wall and CPU seconds (its
    process and the children it waited for: servers, browsers)."""
    env = os.environ.copy()
    env.update(test.get('env') or {})
    start = time.monotonic()
    cpu = 0.0
    try:
        with tempfile.TemporaryFile() as log:
            # a session of its own: a timeout ends the test's servers too
            p = subprocess.Popen(test['cmd'], cwd=test.get('workdir') or None, env=env,
                                 stdout=log, stderr=subprocess.STDOUT,
                                 start_new_session=True)
            timer = threading.Timer(test.get('timeout') or 600, kill_group, (p.pid,))
            timer.start()
            _, status, usage = os.wait4(p.pid, 0)
            timed_out = not timer.is_alive()
            timer.cancel()
            p.returncode = rc = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
            log.seek(0)
            out = log.read().decode('utf-8', 'replace')
        if timed_out:
            out += '\n# TIMEOUT\n'
            rc = -1
    except OSError as e:
        out, rc = '# cannot run: %s\n' % e, -1
    secs = time.monotonic() - start
    passed = failed = skipped = 0
    plan = None
    failures = []
    for line in out.splitlines():
        m = TAP_PLAN.match(line)
        if m:
            plan = int(m.group(1))
            continue
        m = TAP_RESULT.match(line)
        if not m:
            continue
        directive = (m.group(5) or '').upper()
        if directive == 'SKIP':
            skipped += 1
        elif m.group(1).lower() == 'ok':
            passed += 1
        else:
            failed += 1
            failures.append(line)
    seen = passed + failed + skipped
    broken = None
    if rc != 0 and failed == 0:
        broken = 'exited with status %d' % rc
    elif plan is not None and seen < plan:
        broken = 'ran %d of %d planned tests' % (seen, plan)
    elif plan is None and seen == 0:
        broken = 'printed no TAP results'
    if broken:
        failed += 1
    return test['name'], passed, failed, skipped, secs, cpu, out, broken, failures


def is_waiting(test):
    """A suite that mostly waits (for Chromium and knod serve): the Meson
    suite browser."""
    return any(x == 'browser' or x.endswith(':browser') for x in test.get('suite', []))


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    build = args[0]
    jobs, wait_jobs, suite, verbose, names = 2, 1, None, False, []
    i = 1
    while i < len(args):
        if args[i] == '-j':
            jobs = int(args[i + 1]); i += 2
        elif args[i] == '-w':
            wait_jobs = int(args[i + 1]); i += 2
        elif args[i] == '--suite':
            suite = args[i + 1]; i += 2
        elif args[i] == '--test':
            names.append(args[i + 1]); i += 2
        elif args[i] == '-v':
            verbose = True; i += 1
        else:
            print('unknown argument: %s' % args[i], file=sys.stderr)
            return 2
    tests = json.loads(subprocess.check_output(['meson', 'introspect', '--tests', build]))
    if suite:
        tests = [t for t in tests
                 if any(x == suite or x.endswith(':' + suite) for x in t.get('suite', []))]
    if names:
        tests = [t for t in tests if t['name'] in names]
    if not tests:
        print('no tests found in %s' % build)
        print('0 passed, 1 failed')
        return 1
    # Longest first, so that the two workers end together: each suite's
    # time of the last run (kept in the build folder), else its time in a
    # reference run (tests/suite-times.json: a clean clone has no last
    # run, and its timeouts put the long unit tests last), else its
    # timeout.
    times_path = os.path.join(build, 'meson-logs', 'run-times.json')
    try:
        with open(times_path) as f:
            last = json.load(f)
    except (OSError, ValueError):
        last = {}
    try:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               'suite-times.json')) as f:
            reference = json.load(f)
    except (OSError, ValueError):
        reference = {}
    tests.sort(key=lambda t: -last.get(t['name'], reference.get(t['name'],
                                                                t.get('timeout') or 30)))
    total_p = total_f = total_s = 0
    total_cpu = 0.0
    t0 = time.monotonic()
    waiting = [t for t in tests if wait_jobs > 0 and is_waiting(t)]
    busy = [t for t in tests if not (wait_jobs > 0 and is_waiting(t))]
    with cf.ThreadPoolExecutor(max_workers=jobs) as pool, \
            cf.ThreadPoolExecutor(max_workers=max(wait_jobs, 1)) as wait_pool:
        futures = [pool.submit(run_one, t, verbose) for t in busy]
        futures += [wait_pool.submit(run_one, t, verbose) for t in waiting]
        for fut in cf.as_completed(futures):
            name, p, f, s, secs, cpu, out, broken, failures = fut.result()
            last[name] = round(secs, 1)
            total_p += p; total_f += f; total_s += s
            status = 'FAIL' if f else 'ok  '
            total_cpu += cpu
            print('%s %-32s %4d passed %3d failed %3d skipped  %6.2fs  cpu %6.2fs'
                  % (status, name, p, f, s, secs, cpu))
            sys.stdout.flush()
            if f or verbose:
                for line in failures:
                    print('       ' + line)
                if broken:
                    print('       the test program ' + broken)
                if f:
                    tail = out.splitlines()[-40:]
                    print('       --- last output ---')
                    for line in tail:
                        print('       | ' + line)
    print('# %d suites in %.1fs on %d workers (and %d for %d browser suites); cpu %.1fs'
          % (len(tests), time.monotonic() - t0, jobs, wait_jobs if waiting else 0,
             len(waiting), total_cpu))
    try:
        with open(times_path, 'w') as f:
            json.dump(last, f, indent=0, sort_keys=True)
    except OSError:
        pass
    summary = '%d passed, %d failed' % (total_p, total_f)
    if total_s:
        summary += ', %d skipped' % total_s
    print(summary)
    return 1 if total_f else 0


if __name__ == '__main__':
    sys.exit(main())
