#!/usr/bin/env python3
"""compare.py A.csv B.csv: compare two indicator results in the contract format.

Header: indicator,measure,period,region,sex,band,numerator,denominator,value
(see README.md). The two files must hold the same set of keys (indicator,
measure, period, region, sex, band), each once; numerator and denominator must
be equal (integers exactly; the fractional sums of ref-b care_days and ref-c
hours, which are numerators too, within the value tolerance); values must be
equal within a relative 1e-9 (empty only equals empty). Each file must be
sorted by key. Prints the first 20 differences and a summary; exit status 0
when the files agree, 1 on any difference, 2 on a usage or format error.
"""
import csv
import math
import sys

HEADER = ['indicator', 'measure', 'period', 'region', 'sex', 'band',
          'numerator', 'denominator', 'value']
KEY = HEADER[:6]
REL = 1e-9
SHOW = 20


def load(path):
    with open(path, newline='') as f:
        r = csv.reader(f)
        try:
            header = next(r)
        except StopIteration:
            sys.exit(f'compare.py: {path}: empty file')
        if header != HEADER:
            sys.exit(f'compare.py: {path}: header is {",".join(header)!r}, '
                     f'expected {",".join(HEADER)!r}')
        rows, order, dups = {}, [], []
        for n, rec in enumerate(r, start=2):
            if not rec:
                continue
            if len(rec) != len(HEADER):
                sys.exit(f'compare.py: {path}:{n}: {len(rec)} fields, expected {len(HEADER)}')
            key = tuple(rec[:6])
            if key in rows:
                dups.append(key)
            rows[key] = rec[6:]
            order.append(key)
    return rows, order, dups


def number(s):
    """'' -> None; an integer -> int; else float (raises on garbage)."""
    if s == '':
        return None
    try:
        return int(s)
    except ValueError:
        return float(s)


def close(a, b):
    """a, b from number(): equal, or both numbers within relative REL."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    a, b = float(a), float(b)
    if a == b:
        return True
    if math.isnan(a) or math.isnan(b):
        return False
    return abs(a - b) <= REL * max(abs(a), abs(b))


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    pa, pb = argv[1], argv[2]
    a, order_a, dup_a = load(pa)
    b, order_b, dup_b = load(pb)
    diffs = []  # (kind, text)

    for path, dups in ((pa, dup_a), (pb, dup_b)):
        for k in dups:
            diffs.append(('duplicate', f'duplicate key in {path}: {",".join(k)}'))
    for path, order in ((pa, order_a), (pb, order_b)):
        if order != sorted(order):
            i = next(i for i in range(1, len(order)) if order[i - 1] > order[i])
            diffs.append(('unsorted', f'{path} not sorted by key: {",".join(order[i - 1])} '
                                      f'before {",".join(order[i])}'))
    only_a = sorted(set(a) - set(b))
    only_b = sorted(set(b) - set(a))
    for k in only_a:
        diffs.append(('only A', f'only in A: {",".join(k)}'))
    for k in only_b:
        diffs.append(('only B', f'only in B: {",".join(k)}'))

    max_rel = 0.0
    compared = 0
    for k in sorted(set(a) & set(b)):
        compared += 1
        for i, col in enumerate(('numerator', 'denominator', 'value')):
            sa, sb = a[k][i], b[k][i]
            try:
                na, nb = number(sa), number(sb)
            except ValueError:
                diffs.append((col, f'{",".join(k)}: {col} not a number: A={sa!r} B={sb!r}'))
                continue
            if not close(na, nb):
                diffs.append((col, f'{",".join(k)}: {col} A={sa or "(empty)"} B={sb or "(empty)"}'))
            elif na is not None and nb is not None and float(na) != float(nb):
                m = max(abs(float(na)), abs(float(nb)))
                max_rel = max(max_rel, abs(float(na) - float(nb)) / m)

    for _, text in diffs[:SHOW]:
        print(text)
    if len(diffs) > SHOW:
        print(f'... and {len(diffs) - SHOW} more')
    kinds = {}
    for kind, _ in diffs:
        kinds[kind] = kinds.get(kind, 0) + 1
    print(f'compare: A={pa} ({len(a)} rows), B={pb} ({len(b)} rows), {compared} keys in both, '
          f'max relative difference within tolerance {max_rel:.3g}')
    if diffs:
        print('compare: DIFFERENT: ' + ', '.join(f'{v} {k}' for k, v in sorted(kinds.items())))
        return 1
    print('compare: same (numerators and denominators equal, values within relative 1e-9)')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
