#!/usr/bin/env python3
"""Convert `knod indicators run --format csv` output of ref-a..ref-f into the
contract CSV of compare.py (region rows, the breakdowns of
REFERENCE-INDICATORS.md)."""
import csv
import sys

BANDED = {"ref-a"}
BOTH_SEXES = {"ref-f"}


def main(src, dst):
    rows = []
    with open(src, newline="") as f:
        for r in csv.DictReader(f):
            ind = r["indicator"]
            if not ind.startswith("ref-") or r["geo_level"] != "region":
                continue
            if ind in BOTH_SEXES:
                if r["sex"] != "T":
                    continue
            elif r["sex"] == "T":
                continue
            if ind in BANDED:
                if r["band"] == "all":
                    continue
            elif r["band"] != "all":
                continue
            num, den, val = r["numerator"], r["denominator"], r["value"]
            kind = r["measure"]
            if ind in ("ref-b", "ref-c"):
                den = ""
            if ind == "ref-f":
                num = ""
            for k in ("num", "den"):
                pass
            def intish(x):
                return str(int(float(x))) if x != "" and float(x) == int(float(x)) else x
            if ind not in ("ref-b", "ref-c") or kind != "care_days" and kind != "hours":
                num = intish(num)
            den = intish(den)
            if ind == "ref-a" and kind == "rate" and num == "0":
                pass
            rows.append([ind, kind, r["period"], r["geo"], r["sex"], r["band"], num, den, val])
    rows.sort(key=lambda x: (x[0], x[1], x[2], x[3], x[4], x[5]))
    with open(dst, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["indicator", "measure", "period", "region", "sex", "band",
                    "numerator", "denominator", "value"])
        w.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
