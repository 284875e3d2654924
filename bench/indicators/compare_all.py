#!/usr/bin/env python3
"""compare_all.py KNOD.csv SQL.csv: knod's results against the SQL anchors, per indicator.

usage: compare_all.py [--catalogue DIR] KNOD.csv SQL.csv

KNOD.csv is `knod indicators run --no-suppress --format csv` output (the full
column set of src/export/eng_out.h). SQL.csv is the concatenated output of
bench/indicators/sqlite/*.sql in the extended contract:

    indicator,measure,period,geo_level,geo,sex,band,numerator,denominator,value

(several header lines, one per query, are allowed). Every indicator in SQL.csv
is compared with knod's rows of that indicator at the geo levels, sexes and
bands the SQL gives for it (nation and region, sometimes municipality; the
queries of bench/indicators/sqlite give every sex and band knod shows): the
two must hold the same cells (indicator, measure, period, geo_level, geo, sex,
band), each once; numerators and denominators equal (two integers exactly,
otherwise - sums of days or hours - within a relative 1e-9); values within a
relative 1e-9, or 1e-6 for a Kaplan-Meier (`survival`) measure, which the
catalogue (--catalogue, default data/indicators) names; empty equals only
empty.

Prints one line per indicator, sorted by id:
    ok<TAB>ID<TAB>N cells
    FAIL<TAB>ID<TAB>the first differing cell (and how many differ)
Exit status 0 when all agree, 1 on any difference, 2 on a usage error.
"""
import csv
import math
import os
import re
import sys
from collections import defaultdict

KEY = ['indicator', 'measure', 'period', 'geo_level', 'geo', 'sex', 'band']
SQL_HEADER = KEY + ['numerator', 'denominator', 'value']
REL = 1e-9
REL_KM = 1e-6
ABS = 1e-12  # below this two numbers are equal (a value of 0 against 1e-17)


def survival_measures(catalogue):
    """{(indicator id, measure name)} of every `survival` measure."""
    out = set()
    if not os.path.isdir(catalogue):
        return out
    for name in sorted(os.listdir(catalogue)):
        if not name.endswith('.ind'):
            continue
        ident = None
        with open(os.path.join(catalogue, name), encoding='utf-8') as f:
            for line in f:
                line = line.split('#', 1)[0].split()
                if len(line) >= 2 and line[0] == 'indicator':
                    ident = line[1]
                elif len(line) >= 3 and line[0] == 'measure' and line[2] == 'survival':
                    out.add((ident, line[1]))
    return out


def number(s):
    """'' -> None; an integer -> int; else float (ValueError on garbage)."""
    if s == '':
        return None
    if re.fullmatch(r'-?\d+', s):
        return int(s)
    return float(s)


def close(a, b, rel):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    a, b = float(a), float(b)
    if a == b:
        return True
    if math.isnan(a) or math.isnan(b):
        return False
    d = abs(a - b)
    return d <= ABS or d <= rel * max(abs(a), abs(b))


def load_sql(path):
    rows = defaultdict(dict)   # id -> key -> (num, den, val)
    dups = defaultdict(list)
    with open(path, newline='', encoding='utf-8') as f:
        for n, rec in enumerate(csv.reader(f), start=1):
            if not rec:
                continue
            if rec == SQL_HEADER:
                continue
            if rec[0] == 'indicator':
                sys.exit(f'compare_all.py: {path}:{n}: header {",".join(rec)!r}, '
                         f'expected {",".join(SQL_HEADER)!r}')
            if len(rec) != len(SQL_HEADER):
                sys.exit(f'compare_all.py: {path}:{n}: {len(rec)} fields, expected {len(SQL_HEADER)}')
            key = tuple(rec[:7])
            if key in rows[rec[0]]:
                dups[rec[0]].append(key)
            rows[rec[0]][key] = tuple(rec[7:])
    return rows, dups


def load_knod(path, shown):
    """knod's rows of the indicators in shown (id -> (geo levels, sexes,
    bands)) at those levels, sexes and bands."""
    rows = defaultdict(dict)
    dups = defaultdict(list)
    with open(path, newline='', encoding='utf-8') as f:
        r = csv.DictReader(f)
        missing = [c for c in SQL_HEADER if c not in (r.fieldnames or [])]
        if missing:
            sys.exit(f'compare_all.py: {path}: no column(s) {", ".join(missing)}')
        for rec in r:
            ind = rec['indicator']
            if ind not in shown:
                continue
            levels, sexes, bands = shown[ind]
            if rec['geo_level'] not in levels or rec['sex'] not in sexes or rec['band'] not in bands:
                continue
            key = tuple(rec[k] for k in KEY)
            if key in rows[ind]:
                dups[ind].append(key)
            rows[ind][key] = (rec['numerator'], rec['denominator'], rec['value'])
    return rows, dups


def show(v):
    return v if v != '' else '(empty)'


def compare_one(ind, knod, sql, kdups, sdups, km):
    """(number of cells, [difference texts]) of one indicator."""
    diffs = []
    for k in kdups:
        diffs.append((k, f'{",".join(k)}: twice in knod'))
    for k in sdups:
        diffs.append((k, f'{",".join(k)}: twice in the SQL'))
    if not knod:
        return len(sql), [(None, 'knod has no rows of this indicator')] + diffs
    for k in set(knod) - set(sql):
        diffs.append((k, f'{",".join(k)}: only in knod {knod[k]}'))
    for k in set(sql) - set(knod):
        diffs.append((k, f'{",".join(k)}: only in the SQL {sql[k]}'))
    for k in set(knod) & set(sql):
        rel = REL_KM if (ind, k[1]) in km else REL
        for i, col in enumerate(('numerator', 'denominator', 'value')):
            a, b = knod[k][i], sql[k][i]
            try:
                na, nb = number(a), number(b)
            except ValueError:
                diffs.append((k, f'{",".join(k)}: {col} not a number: knod={a!r} sql={b!r}'))
                continue
            if not close(na, nb, rel if col == 'value' else REL):
                diffs.append((k, f'{",".join(k)}: {col} knod={show(a)} sql={show(b)}'))
    diffs.sort(key=lambda d: (d[0] is not None, d[0] or ()))
    return len(sql), [t for _, t in diffs]


def main(argv):
    args = argv[1:]
    here = os.path.dirname(os.path.abspath(__file__))
    catalogue = os.path.join(here, '..', '..', 'data', 'indicators')
    if len(args) >= 2 and args[0] == '--catalogue':
        catalogue = args[1]
        args = args[2:]
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    kpath, spath = args
    sql, sdups = load_sql(spath)
    shown = {ind: ({k[3] for k in cells}, {k[5] for k in cells}, {k[6] for k in cells})
             for ind, cells in sql.items()}
    knod, kdups = load_knod(kpath, shown)
    km = survival_measures(catalogue)
    bad = 0
    for ind in sorted(sql):
        n, diffs = compare_one(ind, knod.get(ind, {}), sql[ind], kdups.get(ind, []),
                               sdups.get(ind, []), km)
        if diffs:
            bad += 1
            more = f' (and {len(diffs) - 1} more differences)' if len(diffs) > 1 else ''
            print(f'FAIL\t{ind}\t{diffs[0]}{more}')
        else:
            lv, sx, bd = shown[ind]
            print(f'ok\t{ind}\t{n} cells ({"/".join(sorted(lv))}; sex {"/".join(sorted(sx))}; '
                  f'band {"/".join(sorted(bd))})')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
