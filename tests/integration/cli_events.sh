# tests/integration/cli_events.sh: knod events: add, list, register with a
# waiting list, cancel moving the first waiting up, and the iCalendar feed
# checked by an independent parser (python3-icalendar) and a strict reading
# of RFC 5545's line rules.
. "$SRCDIR/tests/integration/lib.sh"

D="$T/k"
run "$KNOD" init --dir "$D"
check_rc "init" 0
ev() { run "$KNOD" events "$@" --dir "$D"; }

# The example events (data/examples/events.txt), one `knod events add` a line.
while IFS= read -r line; do
    case "$line" in '#'* | '') continue ;; esac
    eval "set -- $line"
    ev add "$@"
    check_rc "add example: $2 $4" 0
done < "$SRCDIR/data/examples/events.txt"

ev add --kind webinar --title 'Små; tecken, och \ snedstreck — åäö 😀 en mycket lång titel som måste vikas' \
    --start 2026-03-29T13:00 --end 2026-03-29T14:00 --organiser 'Nod, Skåne' \
    --mode digital --theme Bemötande --capacity 2 --recording --by nod.skane \
    --description "$(printf 'Rad ett\nRad två; tre, fyra')"
check_rc "add a webinar with hostile text" 0
check_out "add prints the id" '^event [0-9]+ added'
W=$(printf '%s\n' "$out" | sed -n 's/^event \([0-9]*\) added.*/\1/p')

# Capacity 2: two seats, then the waiting list in order.
ev register "$W" --name 'Anna A' --email anna@example.se --organisation 'Region Skåne' --region 12
check_rc "register 1" 0
check_out "register 1 gets a seat" '^registered for event'
ev register "$W" --name 'Bo B' --email bo@example.se
check_out "register 2 gets a seat" '^registered for event'
ev register "$W" --name 'Cai C' --email cai@example.se
check_out "register 3 waits first" 'waiting list as number 1'
ev register "$W" --name 'Dan D' --email dan@example.se
check_out "register 4 waits second" 'waiting list as number 2'
ev register "$W" --name 'Bo B' --email BO@example.se
check_rc "the same address again is refused" 1
check_err "and the message names --email" 'email: already registered'
ev cancel "$W" --email bo@example.se
check_rc "cancel a seat" 0
check_out "the first waiting moves up" 'moved up from the waiting list: cai@example.se'
ev list --format json
check_rc "list json" 0
if printf '%s\n' "$out" | python3 -c '
import json, sys
w = [e for e in json.load(sys.stdin) if e["id"] == int(sys.argv[1])][0]
assert (w["registered"], w["waiting"], w["capacity"], w["recording"]) == (2, 1, 2, True), w
' "$W" 2>"$T/py.err"; then ok "counts after the cancellation: 2 seats, 1 waiting"
else not_ok "counts after the cancellation" "$(cat "$T/py.err")"; fi
ev list --format csv
check_out "list csv has the JSON's columns, sequence and owner too" \
    '^id,uid,kind,title,organiser,start,end,mode,place,url,theme,series,description,capacity,recording,status,registered,waiting,sequence,owner$'
ev list
check_out "list table" 'webinar'

# Bad input: exit 1, naming the field; usage errors: exit 2.
ev register "$W" --name X --email not-an-address
check_rc "a bad e-mail address" 1
check_err "names --email" '--email'
ev register "$W" --name X --email x@example.se --region 99
check_rc "a bad region" 1
check_err "names --region" '--region'
ev add --kind webinar --title T --start 2026-05-01T10:00 --end 2026-05-01T09:00 \
    --organiser O --mode digital --theme X
check_rc "end before start" 1
check_err "names --end" '--end'
ev add --kind webinar --title T --start 2026-05-01T10:00 --end 2026-05-01T11:00 \
    --organiser O --mode digital --theme X --description 'Patient 19121212-1212'
check_rc "a personnummer in the description is refused" 1
check_err "names --description" '--description'
if printf '%s\n' "$errout" | grep -q '1212-1212'; then
    not_ok "the message does not repeat it" "$errout"; else ok "the message does not repeat it"; fi
ev add --kind webinar --title T --start 2026-05-01T25:00 --end 2026-05-01T11:00 \
    --organiser O --mode digital --theme X
check_rc "a bad time" 1
check_err "names --start" '--start'
ev add --kind webinar --title T --start 2026-05-01T10:00 --end 2026-05-01T11:00 \
    --organiser O --mode on-site --theme X
check_rc "on site without a place" 1
check_err "names --place" '--place'
ev cancel "$W" --email nobody@example.se
check_rc "cancel without a registration" 1
ev register 9999 --name X --email x@example.se
check_rc "register for no such event" 1
ev register abc --name X --email x@example.se
check_rc "a bad ID" 1
ev list --bogus
check_rc "an unknown option" 2
ev list extra
check_rc "an extra argument" 2
ev list --format xml
check_rc "a bad --format" 2
ev register "$W" --title X
check_rc "an option of another subcommand" 2
ev cancel
check_rc "cancel without an ID" 2
run "$KNOD" events --help
check_rc "--help" 0
check_out "--help shows the subcommands" 'knod events ics'

# The feed.
ev ics --out "$T/all.ics"
check_rc "ics to a file" 0
ev ics --out "$T/all.ics"
check_rc "ics will not replace a file without --force" 1
ev ics --out "$T/all.ics" --force
check_rc "ics --force" 0
ev ics
check_rc "ics to standard output" 0
"$KNOD" events ics --dir "$D" > "$T/stdout.ics" 2>/dev/null
if cmp -s "$T/all.ics" "$T/stdout.ics"; then ok "the same store gives the same bytes"
else not_ok "the same store gives the same bytes"; fi
ev ics --from 2026-03-30 --out "$T/later.ics"
check_rc "ics --from" 0
if grep -q 'SUMMARY:Små' "$T/later.ics"; then
    not_ok "--from leaves out events that ended before"; else ok "--from leaves out events that ended before"; fi

# A strict reading of the line rules, then python3-icalendar, then the
# VTIMEZONE against the system's zoneinfo for Europe/Stockholm. The Debian
# package is installed for the system's python3 (tools/install-deps.sh),
# which may not be the first python3 on the PATH.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
# validate FILE: the feed in FILE passes the checks below (py.out says).
validate() {
"$PY" - "$1" "$W" "$2" >"$T/py.out" 2>&1 <<'PY'
import re, sys
from datetime import datetime, timedelta, timezone
raw = open(sys.argv[1], "rb").read()
assert raw.endswith(b"\r\n"), "does not end in CRLF"
lines = raw[:-2].split(b"\r\n")
for n, l in enumerate(lines, 1):
    assert b"\n" not in l and b"\r" not in l, f"line {n}: bare LF or CR"
    assert len(l) <= 75, f"line {n}: {len(l)} octets"
    l.decode("utf-8")  # each physical line is whole UTF-8: no split sequence
    assert not any(c < 0x20 and c != 9 for c in l), f"line {n}: control character"
logical = []
for l in lines:
    if l.startswith(b" "):
        logical[-1] += l[1:]
    else:
        logical.append(l)
logical = [l.decode("utf-8") for l in logical]
assert logical[0] == "BEGIN:VCALENDAR" and logical[-1] == "END:VCALENDAR"
name = re.compile(r"^[A-Z][A-Z0-9-]*(;[A-Z-]+=[^;:]+)*:")
for l in logical:
    assert name.match(l), f"not a content line: {l!r}"
    prop = l.split(":", 1)[0].split(";")[0]
    if prop in ("SUMMARY", "DESCRIPTION", "LOCATION"):
        v = l.split(":", 1)[1]
        # TEXT: ; , and \ only escaped; \ only before \ ; , n N
        assert not re.search(r"(?<!\\)[;,]", re.sub(r"\\\\", "", v)), f"unescaped: {l!r}"
        assert not re.search(r"\\[^\\;,nN]", re.sub(r"\\\\", "", v)), f"bad escape: {l!r}"

import icalendar
cal = icalendar.Calendar.from_ical(raw)
assert str(cal["VERSION"]) == "2.0" and "PRODID" in cal
events = [c for c in cal.walk("VEVENT")]
uids = [str(e["UID"]) for e in events]
assert len(uids) == len(set(uids)) >= 4, uids
for e in events:
    for p in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "STATUS", "SEQUENCE"):
        assert p in e, (p, e)
    assert e["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert e.decoded("DTSTAMP").tzinfo is not None
    assert e.decoded("DTEND") > e.decoded("DTSTART")
if sys.argv[3] == "first":  # the hostile webinar as it was added
    w = [e for e in events if str(e["SUMMARY"]).startswith("Små")][0]
    assert str(w["SUMMARY"]) == "Små; tecken, och \\ snedstreck — åäö 😀 en mycket lång titel som måste vikas", w["SUMMARY"]
    assert "Rad ett\nRad två; tre, fyra" in str(w["DESCRIPTION"]), w["DESCRIPTION"]
    assert "Fully booked" in str(w["DESCRIPTION"])
    assert "recording" in str(w["DESCRIPTION"])
    assert str(w["LOCATION"]) == "Digital"
    # 2026-03-29 13:00 in Stockholm is summer time already (the switch was at
    # 02:00 that morning): 11:00 UTC.
    assert w.decoded("DTSTART").astimezone(timezone.utc) == datetime(2026, 3, 29, 11, 0, tzinfo=timezone.utc), w.decoded("DTSTART")

# The VTIMEZONE's own rules, read with dateutil, give the same offsets as
# the system's tz database for every hour around the switches, 1997-2037.
from dateutil.rrule import rrulestr
from zoneinfo import ZoneInfo
tz = [c for c in cal.walk("VTIMEZONE")]
assert len(tz) == 1 and str(tz[0]["TZID"]) == "Europe/Stockholm"
trans = []
for sub in tz[0].subcomponents:
    start = sub.decoded("DTSTART")
    off_from = sub.decoded("TZOFFSETFROM")
    off_to = sub.decoded("TZOFFSETTO")
    rule = sub["RRULE"].to_ical().decode()
    for local in rrulestr(rule, dtstart=start).between(datetime(1997, 1, 1), datetime(2038, 1, 1)):
        trans.append((local - off_from, off_to))  # the UTC instant, the offset after
trans.sort()
sto = ZoneInfo("Europe/Stockholm")
def offset_at(utc):
    cur = timedelta(hours=1)
    for at, off in trans:
        if at <= utc:
            cur = off
    return cur
checked = 0
for at, off in trans:
    for d in (timedelta(hours=-1), timedelta(0), timedelta(hours=1)):
        u = at + d
        want = datetime(u.year, u.month, u.day, u.hour, tzinfo=timezone.utc).astimezone(sto).utcoffset()
        assert offset_at(u) == want, (u, offset_at(u), want)
        checked += 1
assert checked >= 2 * 41 * 3
print("ok", len(events), "events,", checked, "instants")
PY
}
if validate "$T/all.ics" first; then ok "the feed is valid iCalendar: $(cat "$T/py.out")"
else not_ok "the feed is valid iCalendar" "$(cat "$T/py.out")"; fi

# update: the fields given change; the seats follow the capacity by the
# rules of registration; each update is a revision of the feed's event.
# Now: Anna and Cai hold the two seats (Cai moved up), Dan waits.
regs() { sqlite3 "$D/knod.db" "SELECT group_concat(email || ':' || state, ' ') FROM (SELECT email, state FROM net_registration WHERE event_id = $W AND state <> 'cancelled' ORDER BY CASE state WHEN 'registered' THEN 0 ELSE 1 END, id)"; }
ev update "$W" --capacity 1 --by ola.admin
check_rc "update --capacity 1" 0
check_out "... says who moved" '^1 moved to the waiting list'
[ "$(regs)" = "anna@example.se:registered cai@example.se:waiting dan@example.se:waiting" ] \
    && ok "fewer seats: the last to register waits, ahead of those waiting" \
    || not_ok "fewer seats" "$(regs)"
ev update "$W" --capacity none
check_out "no limit: everyone waiting moves up" '^2 moved up from the waiting list'
[ "$(regs)" = "anna@example.se:registered cai@example.se:registered dan@example.se:registered" ] \
    && ok "... all three hold seats" || not_ok "no limit" "$(regs)"
ev update "$W" --capacity 2 --no-recording --title 'Små tecken (flyttad)' --start 2026-03-29T15:00 --end 2026-03-29T16:00
check_rc "update several fields" 0
[ "$(regs)" = "anna@example.se:registered cai@example.se:registered dan@example.se:waiting" ] \
    && ok "two seats again: the last to register waits" || not_ok "two seats" "$(regs)"
ev update "$W" --end 2026-03-29T14:00
check_rc "update: the end before the start" 1
check_err "... names --end" '^knod: error: --end'
ev update "$W" --mode on-site
check_err "update: on site without a place" '^knod: error: --place'
ev update "$W" --status gone
check_err "update: a bad status" '^knod: error: --status'
ev update "$W" --description 'Patient 19121212-1212'
check_err "update: a personnummer" '^knod: error: --description'
if printf '%s\n' "$errout" | grep -q '1212-1212'; then not_ok "... not repeated" "$errout"; else ok "... not repeated"; fi
ev update "$W" --capacity -1
check_err "update: a bad capacity" '^knod: error: --capacity'
ev update 9999 --title X
check_err "update: no such event" 'no event 9999'
ev update "$W" --recording --no-recording
check_rc "update: --recording and --no-recording" 2
ev update "$W" --email x@example.se
check_rc "update: an option of another subcommand" 2
ev update "$W" --status cancelled --by ola.admin
check_rc "update --status cancelled" 0
run "$KNOD" audit show --format json --dir "$D"
changes=$(printf '%s\n' "$out" | grep -c '"event-change"')
[ "$changes" = 4 ] && ok "each update is audited (4), a refused one not" || not_ok "audited updates: $changes" "$out"
printf '%s\n' "$out" | grep -q '"ola.admin"' && ok "... by --by" || not_ok "... by --by" "$out"
# Each add is audited as the portal's form audits it (event-add, the
# event's number, its status), by --by, else $USER; a refused add is not.
if printf '%s\n' "$out" | python3 -c '
import json, sys
a = [x for x in json.load(sys.stdin) if x["action"] == "event-add"]
n = int(sys.argv[2])
assert len(a) == n + 1, (len(a), n)
w = [x for x in a if x["subject"] == sys.argv[1]]
assert len(w) == 1 and w[0]["actor"] == "nod.skane", w
assert w[0]["detail"] == "status confirmed, 0 moved up, 0 moved down", w
assert sorted(int(x["subject"]) for x in a) == list(range(1, n + 2)), a
' "$W" "$(grep -c '^--' "$SRCDIR/data/examples/events.txt")" 2>"$T/py.err"
then ok "each add is audited (event-add, by --by), a refused one not"
else not_ok "audited adds" "$(cat "$T/py.err")"; fi
# The list's JSON carries the revision (the feed's SEQUENCE) and the owner
# (none for an event added here: only the portal's form sets one).
ev list --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
e = {x["id"]: x for x in json.load(sys.stdin)}
w = e[int(sys.argv[1])]
assert w["sequence"] == 4 and w["owner"] is None, w
assert all(x["sequence"] == 0 for i, x in e.items() if i != int(sys.argv[1])), e
' "$W" 2>"$T/py.err"; then ok "list json: the sequence (4 after 4 updates) and the owner"
else not_ok "list json: sequence and owner" "$(cat "$T/py.err")"; fi
ev register "$W" --name 'Eva E' --email eva@example.se
check_rc "no registration for a cancelled event" 1
ev ics --out "$T/after.ics"
check_rc "ics after the updates" 0
if validate "$T/after.ics" after; then ok "the feed after the updates is valid iCalendar: $(cat "$T/py.out")"
else not_ok "the feed after the updates is valid iCalendar" "$(cat "$T/py.out")"; fi
if "$PY" - "$T/all.ics" "$T/after.ics" >"$T/py.out" 2>&1 <<'PY'
import sys, icalendar
def events(f):
    cal = icalendar.Calendar.from_ical(open(f, "rb").read())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}
before, after = events(sys.argv[1]), events(sys.argv[2])
assert set(before) == set(after), "the same events, by UID"
changed = [u for u in after if str(after[u]["SUMMARY"]).startswith("Små tecken (flyttad)")]
assert len(changed) == 1, changed
u = changed[0]
b, a = before[u], after[u]
assert str(b["STATUS"]) == "CONFIRMED" and str(a["STATUS"]) == "CANCELLED", (b["STATUS"], a["STATUS"])
assert int(b["SEQUENCE"]) == 0 and int(a["SEQUENCE"]) == 4, (b["SEQUENCE"], a["SEQUENCE"])
assert a.decoded("DTSTAMP") >= b.decoded("DTSTAMP")
assert "recording" not in str(a["DESCRIPTION"]), a["DESCRIPTION"]
for x in after:
    if x != u:
        assert int(after[x]["SEQUENCE"]) == 0 and after[x].to_ical() == before[x].to_ical(), x
print("the cancelled event: STATUS:CANCELLED, SEQUENCE 0 -> 4; the others unchanged")
PY
then ok "$(cat "$T/py.out")"; else not_ok "the cancelled event in the feed" "$(cat "$T/py.out")"; fi

finish
