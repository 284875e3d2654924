#!/usr/bin/env python3
"""Run every knod test suite of a Meson build dir and sum the TAP results.

usage: tests/run.py BUILDDIR [--suite NAME] [-j N] [-v]

Every test registered in tests/meson.build speaks TAP (cmocka with
CMOCKA_MESSAGE_OUTPUT=TAP, shell scripts through tests/integration/lib.sh).
Each test case counts once. A program that crashes, exits non-zero, or
prints fewer results than its plan counts as a failure. The last line is
'N passed, N failed' (', N skipped' when any were skipped).
"""
import concurrent.futures as cf
import json
import os
import re
import subprocess
import sys
import time

TAP_RESULT = re.compile(r'^(not ok|ok)\b\s*(\d+)?\s*-?\s*(.*?)(\s+#\s*(SKIP|TODO)\b.*)?$', re.I)
TAP_PLAN = re.compile(r'^1\.\.(\d+)')


def run_one(test, verbose):
    env = os.environ.copy()
    env.update(test.get('env') or {})
    start = time.monotonic()
    try:
        proc = subprocess.run(test['cmd'], cwd=test.get('workdir') or None, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=test.get('timeout') or 600)
        out, rc = proc.stdout.decode('utf-8', 'replace'), proc.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'').decode('utf-8', 'replace') + '\n# TIMEOUT\n'
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
    return test['name'], passed, failed, skipped, secs, out, broken, failures


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    build = args[0]
    jobs, suite, verbose = 2, None, False
    i = 1
    while i < len(args):
        if args[i] == '-j':
            jobs = int(args[i + 1]); i += 2
        elif args[i] == '--suite':
            suite = args[i + 1]; i += 2
        elif args[i] == '-v':
            verbose = True; i += 1
        else:
            print('unknown argument: %s' % args[i], file=sys.stderr)
            return 2
    tests = json.loads(subprocess.check_output(['meson', 'introspect', '--tests', build]))
    if suite:
        tests = [t for t in tests
                 if any(x == suite or x.endswith(':' + suite) for x in t.get('suite', []))]
    if not tests:
        print('no tests found in %s' % build)
        print('0 passed, 1 failed')
        return 1
    total_p = total_f = total_s = 0
    t0 = time.monotonic()
    with cf.ThreadPoolExecutor(max_workers=jobs) as pool:
        for name, p, f, s, secs, out, broken, failures in pool.map(
                lambda t: run_one(t, verbose), tests):
            total_p += p; total_f += f; total_s += s
            status = 'FAIL' if f else 'ok  '
            print('%s %-32s %4d passed %3d failed %3d skipped  %6.2fs' % (status, name, p, f, s, secs))
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
    print('# %d suites in %.1fs' % (len(tests), time.monotonic() - t0))
    summary = '%d passed, %d failed' % (total_p, total_f)
    if total_s:
        summary += ', %d skipped' % total_s
    print(summary)
    return 1 if total_f else 0


if __name__ == '__main__':
    sys.exit(main())
