#!/usr/bin/env python3
"""reference.py KNOD.DB > OUT.csv: ref-a .. ref-f in plain Python.

A third implementation, for correctness only (not timed): it reads the columns
with plain SELECTs and does every join, window and median in Python
dictionaries and lists, so it shares no SQL semantics with the two anchors.
Writes the contract CSV (README.md) to stdout, values as '%.17g'. About 8 s
at 1,000,000 persons.
"""
import bisect, collections, datetime, sqlite3, statistics, sys

if len(sys.argv) != 2:
    sys.exit(__doc__.strip().splitlines()[0])
db = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True)
YEARS = range(2020, 2025)
BANDS = [('10-14', 10, 14), ('15-19', 15, 19), ('20-24', 20, 24)]
regions = [r for (r,) in db.execute('select code from region order by code')]
def year(t): return (datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=t)).year
def band(age):
    for b, lo, hi in BANDS:
        if lo <= age <= hi: return b
def fmt(x): return '' if x is None else '%.17g' % x
persons = {i: (by, sex, reg) for i, by, sex, reg in db.execute('select id, birth_year, sex, region_code from person')}
out = []
def row(ind, meas, y, reg, sex, b, num, den, val):
    out.append([ind, meas, str(y), reg, sex, b, '' if num is None else str(num), '' if den is None else str(den), val])

# population: the single (latest) year
maxy = db.execute('select max(year) from population').fetchone()[0]
pop = collections.Counter()
for reg, sex, age, n in db.execute('select region_code, sex, age, population from population where year=?', (maxy,)):
    b = band(age)
    if b: pop[(reg, sex, b)] += n

acts = collections.defaultdict(list)
for pid, t in db.execute('select person_id, act_time from self_harm_act'):
    acts[pid].append(t)
for v in acts.values(): v.sort()

# ref-a
cnt = collections.Counter()
for pid, ts in acts.items():
    by, sex, reg = persons[pid]
    for y in {year(t) for t in ts}:
        b = band(y - by)
        if y in YEARS and b and reg: cnt[(y, reg, sex, b)] += 1
for y in YEARS:
    for reg in regions:
        for sex in 'FM':
            for b, _, _ in BANDS:
                n, d = cnt[(y, reg, sex, b)], pop[(reg, sex, b)]
                row('ref-a', 'rate', y, reg, sex, b, n, d, fmt(n / d * 100000 if d else None))

def young(y, pid):
    by, sex, reg = persons[pid]
    return 10 <= y - by <= 24 and reg is not None

# ref-b, ref-c
def care(ind, rows, names, div):
    P = collections.defaultdict(set); C = collections.Counter(); S = collections.Counter()
    for pid, st, en in rows:
        y = year(st)
        if y not in YEARS or not young(y, pid): continue
        k = (y, persons[pid][2], persons[pid][1])
        P[k].add(pid); C[k] += 1
        if en is not None: S[k] += en - st
    for y in YEARS:
        for reg in regions:
            for sex in 'FM':
                k = (y, reg, sex)
                vals = {names[0]: str(len(P[k])), names[1]: str(C[k]), names[2]: fmt(S[k] / div)}
                for m, v in vals.items():
                    row(ind, m, y, reg, sex, 'all', v, None, v)
care('ref-b', db.execute("select person_id, start_time, end_time from contact where contact_type='inpatient'").fetchall(),
     ['persons', 'stays', 'care_days'], 86400.0)
care('ref-c', db.execute('select person_id, start_time, end_time from coercive_measure').fetchall(),
     ['persons', 'episodes', 'hours'], 3600.0)

def share_rows(ind, N, D):
    for y in YEARS:
        for reg in regions:
            for sex in 'FM':
                k = (y, reg, sex)
                row(ind, 'share', y, reg, sex, 'all', N[k], D[k], fmt(100.0 * N[k] / D[k] if D[k] else None))

# ref-d
N = collections.Counter(); D = collections.Counter()
for pid, ts in acts.items():
    first = {}
    for t in ts:
        first.setdefault(year(t), t)   # ts sorted: first seen = earliest
    for y, t0 in first.items():
        if y not in YEARS or not young(y, pid): continue
        k = (y, persons[pid][2], persons[pid][1])
        D[k] += 1
        if any(0 < t - t0 <= 365 * 86400 for t in ts): N[k] += 1
share_rows('ref-d', N, D)

# ref-e
fu = collections.defaultdict(list)
for pid, t in db.execute('select person_id, follow_up_time from follow_up'):
    fu[pid].append(t)
for v in fu.values(): v.sort()
N = collections.Counter(); D = collections.Counter()
for pid, en in db.execute("select person_id, end_time from contact where contact_type='inpatient' and end_time is not null"):
    y = year(en)
    if y not in YEARS or not young(y, pid): continue
    k = (y, persons[pid][2], persons[pid][1])
    D[k] += 1
    ts = fu.get(pid, [])
    i = bisect.bisect_left(ts, en)
    if i < len(ts) and ts[i] <= en + 7 * 86400: N[k] += 1
share_rows('ref-e', N, D)

# ref-f
ass = collections.defaultdict(list)
for pid, t in db.execute('select person_id, assessment_time from assessment'):
    ass[pid].append(t)
for v in ass.values(): v.sort()
unit_reg = dict(db.execute('select id, region_code from care_unit'))
L = collections.defaultdict(list)
for pid, uid, st in db.execute("select person_id, unit_id, start_time from contact where contact_type='emergency'"):
    y = year(st)
    if y not in YEARS: continue
    ts = ass.get(pid, [])
    i = bisect.bisect_left(ts, st)
    if i < len(ts) and ts[i] <= st + 30 * 86400:
        L[(y, unit_reg[uid])].append((ts[i] - st) / 86400.0)
for y in YEARS:
    for reg in regions:
        xs = L[(y, reg)]
        row('ref-f', 'median', y, reg, 'T', 'all', None, len(xs), fmt(statistics.median(xs) if xs else None))

out.sort(key=lambda r: r[:6])
print('indicator,measure,period,region,sex,band,numerator,denominator,value')
for r in out: print(','.join(r))
