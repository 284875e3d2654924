#!/usr/bin/env python3
"""tests/http/http_events.py: the portal's /events.ics (TAP).

Makes a store with the example events (data/examples/events.txt), starts
`knod serve` on a free loopback port, and checks that /events.ics answers
200 with text/calendar, is the same bytes as `knod events ics`, parses as
RFC 5545 with python3-icalendar (every event there with its UID, summary
and times in Europe/Stockholm), keeps every line within 75 octets and
CRLF, that ?from= filters as `knod events ics --from` does, and that a bad
?from= is a 400 naming the parameter. No registration shows in the feed.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import os
import shlex
import shutil
import sys
import tempfile
import urllib.error
import urllib.request

import icalendar

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import knodhttp as kh  # noqa: E402

SRCDIR = kh.SRCDIR
ok = kh.ok


def knod(*args):
    return kh.knod(*args).stdout


def get(base, url):
    try:
        with urllib.request.urlopen(base + url, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def main():
    tmp = tempfile.mkdtemp(prefix='knod-http-events-')
    try:
        d = kh.store(tmp)
        added = 0
        with open(os.path.join(SRCDIR, 'data/examples/events.txt'), encoding='utf-8') as f:
            for line in f:
                if line.strip() and not line.startswith('#'):
                    knod('events', 'add', '--dir', d, *shlex.split(line))
                    added += 1
        knod('events', 'register', '1', '--dir', d, '--name', 'Hemlig Deltagare',
             '--email', 'hemlig@example.org')
        with kh.Server(d, tmp) as server:
            checks(d, server.base, added)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kh.done()


def checks(d, base, added):
    status, headers, body = get(base, '/events.ics')
    ok(status == 200, '/events.ics answers 200', status)
    ok((headers.get('Content-Type') or '').startswith('text/calendar'),
       'as text/calendar', headers.get('Content-Type'))
    cli = knod('events', 'ics', '--dir', d)
    ok(body == cli, 'the same bytes as knod events ics', (len(body), len(cli)))
    lines = body.split(b'\r\n')
    ok(lines[-1] == b'' and all(b'\n' not in x for x in lines), 'every line ends in CRLF')
    ok(all(len(x) <= 75 for x in lines), 'no line is longer than 75 octets',
       max(len(x) for x in lines))
    try:
        cal = icalendar.Calendar.from_ical(body)
        events = [c for c in cal.walk() if c.name == 'VEVENT']
        ok(len(events) == added and added > 0,
           'icalendar reads every event (%d)' % added, len(events))
        ok(all(e.get('UID') and e.get('SUMMARY') for e in events), 'each has a UID and a summary')
        ok(all(str(e['DTSTART'].dt.tzinfo).endswith('Stockholm') or
               e['DTSTART'].params.get('TZID') == 'Europe/Stockholm' for e in events),
           'times are in Europe/Stockholm')
        ok(len({str(e['UID']) for e in events}) == len(events), 'the UIDs are distinct')
    except Exception as e:  # noqa: BLE001 - any parse failure is the finding
        ok(False, 'icalendar parses the feed', repr(e))
    ok(b'Hemlig' not in body and b'hemlig@' not in body, 'no registration shows in the feed')

    late = '2030-01-01'
    status, _, body = get(base, '/events.ics?from=' + late)
    ok(status == 200 and body == knod('events', 'ics', '--dir', d, '--from', late),
       '?from= is --from', status)
    status, _, body = get(base, '/events.ics?from=tomorrow')
    ok(status == 400 and b'from' in body, 'a bad ?from= is a 400 naming it', (status, body[:200]))
    status, headers, _ = get(base, '/events.ics/x')
    ok(status == 404, 'a path below the feed is 404', status)


if __name__ == '__main__':
    main()
