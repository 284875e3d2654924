"""tests/integration/disclosure_attack.py: an attacker on knod's published
indicator output, for cli_indicators_attack.sh (docs/indicators.md,
"Disclosure control"). Python 3 standard library only.

usage: disclosure_attack.py DATA_DIR CATALOGUE_DIR MIN_COUNT TRUTH.csv DIR

TRUTH.csv is `indicators run --no-suppress --by region,municipality,sex,band`
of the same store and periods (every cell the cubes have). DIR holds the
published runs: default.{csv,json,kolada,fhir,table} (each indicator's own
breakdowns) and by.csv (`--by region,municipality,sex,band`). Each format is
parsed on its own. The checks:

  rule      a suppressed cell carries no number at all, in every format;
  siblings  a cell hidden in one measure of an indicator is hidden in every
            measure of it (a ratio also where its other operand is hidden);
  formats   JSON lines, Kolada, FHIR and the table show exactly the CSV's
            numbers, and none of a hidden cell;
  attack    from the published numbers and the true geography alone (not
            knod's groups): T = F + M, all ages = the bands, the nation =
            the regions = the healthcare regions, a healthcare region = its
            regions (Halland split by municipality where municipalities are
            published), a region = its municipalities; what a total holds
            beyond its published parts is one more unknown (shared between
            relations where it is the same number: a stronger attacker).
            Repeated subtraction and exact linear algebra (Fractions) must
            fix no hidden count, nor a small (< MIN_COUNT) residual.
  across    indicators that count the same events, found from the truth
            (count series equal in every cell both have): a count hidden in
            one is shown in none, and the attack over the union of what
            they all show fixes no hidden count.
  nested    indicators whose events lie within another's, read from the
            definitions as an analyst would (the same `from`, `period`,
            `geo`, every event taken; every condition of the outer one in
            the inner one, the same or with fewer values; ages need only
            meet): in a cell both publish, the outer count minus the inner
            count of the same thing (persons, or events) is a count
            published nowhere. No such difference may be shown when small
            (0 < d < MIN_COUNT), and the attack on the differences (places
            and sexes of one band pair) must fix no small difference and no
            difference beside a hidden count (which would give it away).

Prints one line per check; exits 1 on the first class of failure, with
examples.
"""
import csv
import glob
import json
import re
import sys
from collections import defaultdict
from fractions import Fraction

DATA, CAT, MIN_COUNT, TRUTH, DIR = sys.argv[1:6]
MIN_COUNT = int(MIN_COUNT)
NUMS = ["numerator", "denominator", "value", "lower_95", "upper_95", "lower_99_8",
        "upper_99_8", "funnel_lower_95", "funnel_upper_95", "funnel_lower_99_8",
        "funnel_upper_99_8"]
failures = []


def fail(what, examples):
    failures.append(what)
    print(f"FAIL {what}: {len(examples)}, e.g. {examples[:3]}")


# ---- the catalogue: each measure's kind -----------------------------------
KIND = {}  # (indicator, measure) -> kind word ("count", "sum", ..., "ratio")
PER = set()  # (indicator, measure) of rates: the denominator is a population
for path in sorted(glob.glob(CAT + "/*.ind")):
    ind = None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*indicator\s+(\S+)", line)
        if m:
            ind = m.group(1)
        m = re.match(r"\s*measure\s+(\S+)\s+(\S+)(.*)", line)
        if m and ind:
            KIND[(ind, m.group(1))] = m.group(2)
            if m.group(2) == "count" and " per " in m.group(3):
                PER.add((ind, m.group(1)))


def secret_comps(ind, meas):
    """The components (0 numerator, 1 denominator) that are counts from the
    registry: additive, and secret where hidden."""
    k = KIND.get((ind, meas))
    if k == "count":
        return [0]
    if k in ("sum", "proportion", "survival"):
        return [0, 1]
    if k == "median":
        return [1]
    return []


# ---- the geography --------------------------------------------------------
REGION_HC = {}
SPLIT = {}  # Halland municipality -> healthcare region
for r in csv.DictReader(open(DATA + "/regions.csv", encoding="utf-8")):
    REGION_HC[r["code"]] = r["healthcare_region"]
    note = r["healthcare_region_note"]
    for part in note.split(";"):
        m = re.search(r"belong to (\w+)", part)
        if m:
            for code in re.findall(r"\b(\d{4})\b", part):
                SPLIT[code] = m.group(1)
assert sorted(set(SPLIT.values())) == ["Södra", "Västra"] and len(SPLIT) == 6, SPLIT
SPLIT_REGIONS = {c[:2] for c in SPLIT}
MUNI_REGION = {r["code"]: r["region_code"]
               for r in csv.DictReader(open(DATA + "/municipalities.csv", encoding="utf-8"))}


def num(s):
    return None if s in ("", None) else Fraction(s)


# ---- reading each format --------------------------------------------------
def read_csv(path):
    rows = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            key = (r["indicator"], r["measure"], r["period"], r["geo_level"], r["geo"],
                   r["sex"], r["band"])
            assert key not in rows, ("twice", key)
            rows[key] = r
    return rows


truth = read_csv(TRUTH)
pub = read_csv(DIR + "/default.csv")
by = read_csv(DIR + "/by.csv")
print(f"rows: truth {len(truth)}, published {len(pub)}, --by {len(by)}")

# ---- rule: a suppressed cell carries no number at all ----------------------
for name, rows in (("default", pub), ("--by", by)):
    bad = [k for k, r in rows.items() if r["suppressed"] == "1" and any(r[c] for c in NUMS)]
    if bad:
        fail(f"rule ({name}): suppressed cells with numbers", bad)
    bad = [k for k, r in rows.items() if r["suppressed"] == "1" and r["status"]]
    if bad:
        fail(f"rule ({name}): suppressed cells with a target status", bad)
    bad = [k for k in rows if k not in truth]
    if bad:
        fail(f"{name}: rows the truth lacks", bad)

# ---- siblings: hidden in one measure, hidden in all ------------------------
for name, rows in (("default", pub), ("--by", by)):
    cell_hidden = defaultdict(set)  # (ind, period, place, sex, band) -> measures
    measures = defaultdict(set)
    for k, r in rows.items():
        ind, meas = k[0], k[1]
        if KIND.get((ind, meas)) == "ratio":
            continue
        measures[(ind,) + k[2:]].add(meas)
        if r["suppressed"] == "1":
            cell_hidden[(ind,) + k[2:]].add(meas)
    bad = [(c, sorted(h), sorted(measures[c] - h)) for c, h in cell_hidden.items()
           if h != measures[c]]
    if bad:
        fail(f"siblings ({name}): a cell hidden in some measures of an indicator only", bad)
    # a ratio is hidden where its own indicator's cell is
    bad = [k for k, r in rows.items() if KIND.get(k[:2]) == "ratio" and
           r["suppressed"] != "1" and cell_hidden.get((k[0],) + k[2:])]
    if bad:
        fail(f"siblings ({name}): ratios shown beside hidden operands", bad)

# ---- the other formats show the CSV's numbers and no hidden one ------------
def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))


bad = []
nj = 0
for line in open(DIR + "/default.json", encoding="utf-8"):
    o = json.loads(line)
    k = (o["indicator"], o["measure"], o["period"], o["geo_level"], o["geo"], o["sex"],
         o["band"])
    r = pub.get(k)
    nj += 1
    if r is None or bool(o["suppressed"]) != (r["suppressed"] == "1"):
        bad.append(k)
        continue
    if any(not same(o[c], num(r[c])) for c in NUMS):
        bad.append(k)
if bad or nj != len(pub):
    fail("json: rows differ from the CSV", bad or [(nj, len(pub))])

kol = json.load(open(DIR + "/default.kolada", encoding="utf-8"))
bad, nk = [], 0
SEX = {"T": "T", "K": "F", "M": "M"}
pub_by_cell = defaultdict(list)  # all-ages rows by indicator, period, place, sex
for k, r in pub.items():
    if k[6] == "all":
        pub_by_cell[(k[0], k[2], k[3], k[4], k[5])].append((k, r))
for e in kol["values"]:
    place = e["municipality"]
    lv, geo = (("nation", "SE") if place == "0000" else
               ("region", place[2:]) if place.startswith("00") else ("municipality", place))
    for v in e["values"]:
        nk += 1
        rows = pub_by_cell.get((e["kpi"], str(e["period"]), lv, geo, SEX[v["gender"]]), [])
        # the headline measure: the one whose value Kolada shows
        hidden = v["status"].startswith("suppressed")
        if hidden and (v["value"] is not None or v["count"] is not None):
            bad.append(("a hidden value with numbers", e["kpi"], place, v))
            continue
        ok = False
        for k, r in rows:
            if (r["suppressed"] == "1") != hidden:
                continue
            if hidden:
                ok = True
                break
            # Kolada's values are rounded to one decimal (docs/indicators.md)
            want = num(r["value"])
            if (same(v["value"], want) or (v["value"] is not None and want is not None and
                                           abs(v["value"] - want) <= 0.05 + 1e-9)) and (
                    v["count"] is None or same(v["count"], num(r["numerator"])) or
                    same(v["count"], num(r["denominator"]))):
                ok = True
                break
        if not ok:
            bad.append((e["kpi"], place, e["period"], v))
if bad or nk == 0:
    fail("kolada: values differ from the CSV", bad or ["no values"])

# FHIR: every number of a stratum equals the CSV row's, a hidden one has none
POPSRC = {"numerator": "numerator", "denominator": "denominator",
          "measure-population": "denominator"}
LEVEL = {"region": "region", "healthcare-region": "healthcare_region",
         "municipality": "municipality", "unit": "unit"}


def has_number(x):
    if isinstance(x, bool):
        return False
    if isinstance(x, (int, float)):
        return True
    if isinstance(x, dict):
        return any(has_number(v) for v in x.values())
    if isinstance(x, list):
        return any(has_number(v) for v in x)
    return False


fh = json.load(open(DIR + "/default.fhir", encoding="utf-8"))
bad, nf = [], 0


def fhir_cell(ind, meas, per, dims, o):
    global nf
    lv, geo, sex, band = "nation", "SE", "T", "all"
    for d, v in dims:
        c = v["coding"][0]
        if d == "sex":
            sex = {"female": "F", "male": "M"}[c["code"]]
        elif d == "age-band":
            band = c["code"]
        else:
            lv, geo = LEVEL[d], c["code"]
    k = (ind, meas, per, lv, geo, sex, band)
    r = pub.get(k)
    nf += 1
    if r is None:
        bad.append(("not a CSV row", k))
        return
    hidden = any(e.get("url", "").endswith("/suppressed") for e in o.get("extension", []))
    if hidden != (r["suppressed"] == "1"):
        bad.append(("suppressed differs", k))
    if hidden:
        # a hidden score or count carries only a data-absent-reason (masked)
        if has_number(o.get("measureScore", {})) or has_number(o.get("population", [])):
            bad.append(("hidden with numbers", k))
        return
    for p in o.get("population", []):
        code = p["code"]["coding"][0]["code"]
        if "count" in p and code in POPSRC and not same(p["count"], num(r[POPSRC[code]])):
            bad.append((code, k))
    if "value" in o.get("measureScore", {}) and not same(o["measureScore"]["value"],
                                                           num(r["value"])):
        bad.append(("score", k))


for e in fh["entry"]:
    mr = e["resource"]
    ind = mr["measure"].split("|")[0].rsplit("/", 1)[1]
    per = mr["period"]["start"][:4]
    for g in mr["group"]:
        meas = g["code"]["text"]
        fhir_cell(ind, meas, per, [], g)
        for s in g.get("stratifier", []):
            dims = s["code"][0]["coding"][0]["code"].split("+")
            for st in s["stratum"]:
                if "component" in st:
                    comps = [(c["code"]["coding"][0]["code"], c["value"])
                             for c in st["component"]]
                else:
                    comps = [(dims[0], st["value"])]
                fhir_cell(ind, meas, per, comps, st)
# A period without data (status "missing": e.g. a year no consultation was
# asked in, for net-consult-5d) is the nation's group alone in FHIR, with no
# strata (src/export/eng_fhir.h); the CSV still lists its places, empty.
want_nf = sum(1 for k, r in pub.items()
              if r["status"] != "missing" or k[3:] == ("nation", "SE", "T", "all"))
if bad or nf != want_nf:
    fail("fhir: strata differ from the CSV", bad or [(nf, want_nf)])

table = open(DIR + "/default.table", encoding="utf-8").read()
ndolt = table.count("(dolt)")
nsup = sum(r["suppressed"] == "1" for r in pub.values())
if ndolt != nsup:
    fail("table: hidden rows differ from the CSV", [(ndolt, nsup)])
print(f"formats: {nj} json rows, {nk} Kolada values, {nf} FHIR cells, {ndolt} hidden table rows")


# ---- the attack -----------------------------------------------------------
def relations(cells):
    """The true additive relations among the places, sexes and bands of one
    (indicator, measure, period): lists of (coef, cell), sum = residual."""
    rels = []
    places = defaultdict(set)  # level -> geos
    sexes, bands = set(), set()
    for (lv, geo, sex, band) in cells:
        places[lv].add(geo)
        sexes.add(sex)
        bands.add(band)
    parts_b = sorted(b for b in bands if b != "all")
    for lv, geos in places.items():
        for geo in geos:
            for band in bands:
                if {"T", "F", "M"} <= sexes:
                    rels.append([(1, (lv, geo, "T", band)), (-1, (lv, geo, "F", band)),
                                 (-1, (lv, geo, "M", band))])
            for sex in sexes:
                if parts_b and "all" in bands:
                    rels.append([(1, (lv, geo, sex, "all"))] +
                                [(-1, (lv, geo, sex, b)) for b in parts_b])
    regions = sorted(places.get("region", ()))
    hcs = sorted(places.get("healthcare_region", ()))
    munis = sorted(places.get("municipality", ()))
    for sex in sexes:
        for band in bands:
            def c(lv, g):
                return (lv, g, sex, band)
            if regions:
                rels.append([(1, c("nation", "SE"))] + [(-1, c("region", g)) for g in regions])
            if hcs:
                rels.append([(1, c("nation", "SE"))] +
                            [(-1, c("healthcare_region", h)) for h in hcs])
                split_hcs = set(SPLIT.values())
                for h in hcs:
                    x = [(1, c("healthcare_region", h))]
                    x += [(-1, c("region", g)) for g in regions
                          if REGION_HC.get(g) == h and g not in SPLIT_REGIONS]
                    if h not in split_hcs:
                        rels.append(x)
                    elif munis:
                        rels.append(x + [(-1, c("municipality", m)) for m in munis
                                         if SPLIT.get(m) == h])
                # the healthcare regions Halland joins = all their regions
                rels.append([(1, c("healthcare_region", h)) for h in hcs if h in split_hcs] +
                            [(-1, c("region", g)) for g in regions
                             if REGION_HC.get(g) in split_hcs or g in SPLIT_REGIONS])
            for g in regions:
                ms = [m for m in munis if MUNI_REGION.get(m) == g]
                if ms:
                    rels.append([(1, c("region", g))] + [(-1, c("municipality", m)) for m in ms])
    return rels


def solve(rels, unknown, secret):
    """Exact sparse Gauss-Jordan elimination over the unknowns; the secret
    unknowns the relations fix."""
    rows = []
    for rel in rels:
        row = defaultdict(Fraction)
        for coef, var in rel:
            if var in unknown:
                row[var] += coef
        row = {k: v for k, v in row.items() if v != 0}
        if row:
            rows.append(row)
    pivots = {}  # var -> row (dict), fully reduced
    for row in rows:
        for pv, prow in pivots.items():
            if pv in row:
                f = row[pv]
                for k, v in prow.items():
                    nv = row.get(k, 0) - f * v
                    if nv == 0:
                        row.pop(k, None)
                    else:
                        row[k] = nv
        if not row:
            continue
        pv = min(row, key=lambda k: (k not in secret, str(k)))
        f = row[pv]
        row = {k: v / f for k, v in row.items()}
        for other in pivots.values():
            if pv in other:
                g = other[pv]
                for k, v in row.items():
                    nv = other.get(k, 0) - g * v
                    if nv == 0:
                        other.pop(k, None)
                    else:
                        other[k] = nv
        pivots[pv] = row
    return [v for v, row in pivots.items() if len(row) == 1 and v in secret]


def recover(cells, tv, hidden):
    """The hidden counts (and small residuals) that the true relations among
    cells fix, given every other cell's value tv[cell]."""
    rels, extra = [], {}
    for rel in relations(cells):
        if any(c not in cells or tv[c] is None for _, c in rel):
            continue
        res = sum(coef * tv[c] for coef, c in rel)
        if abs(res) < Fraction(1, 10**6):
            res = 0  # sums of days in full precision: rounding, not a residual
        unk = [(coef, c) for coef, c in rel if c in hidden]
        if res != 0:
            unk.append((-1, ("residual", res)))
            extra[("residual", res)] = res
        if not unk:
            continue
        rels.append(unk)
    unknown = hidden | set(extra)
    secret = hidden | {v for v, x in extra.items() if 0 < abs(x) < MIN_COUNT}
    return [(v, str(tv.get(v, extra.get(v)))) for v in solve(rels, unknown, secret)]


def attack(name, rows):
    groups = defaultdict(dict)  # (ind, meas, period) -> cell -> row
    for k, r in rows.items():
        groups[k[:3]][k[3:]] = r
    recovered, nsys, nhidden = [], 0, 0
    for (ind, meas, per), cells in groups.items():
        for comp in secret_comps(ind, meas):
            col = ["numerator", "denominator"][comp]
            tv = {}
            for cell in cells:
                t = truth.get((ind, meas, per) + cell)
                tv[cell] = num(t[col]) if t else None
            hidden = {c for c, r in cells.items() if r[col] == "" and tv[c] is not None}
            if not hidden:
                continue
            nsys += 1
            nhidden += len(hidden)
            for v, val in recover(cells, tv, hidden):
                recovered.append((ind, meas, per, col, v, val))
    print(f"attack ({name}): {nsys} systems, {nhidden} hidden counts")
    if recovered:
        fail(f"attack ({name}): hidden counts recovered", recovered)


# ---- across indicators ----------------------------------------------------
# Indicators that count the same events (sh-young-rate, -band, -std and
# -municipality; adm-sh-young and adm-sh-young-rate) publish the same count
# with different breakdowns. Found from the truth, not from the
# definitions: two count series (an indicator's measure's numerator or
# denominator) are the same count when they are equal in every cell both
# have, in at least SAME_MIN of them non-zero. Over each class of same
# counts: a cell hidden in one series must not be shown in another, and
# the attack runs over the union of what they all show.
SAME_MIN = 10


def series():
    out = defaultdict(dict)  # (ind, meas, col) -> (period, lv, geo, sex, band) -> value
    for k, t in truth.items():
        for comp in secret_comps(k[0], k[1]):
            col = ["numerator", "denominator"][comp]
            v = num(t[col])
            if v is not None:
                out[(k[0], k[1], col)][k[2:]] = v
    return out


def same_counts(ser):
    parent = {s: s for s in ser}

    def find(s):
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s
    # candidates share their national values (every series has the nation)
    bucket = defaultdict(list)
    for s, cells in ser.items():
        sig = tuple(sorted((c[0], v) for c, v in cells.items()
                           if c[1:] == ("nation", "SE", "T", "all")))
        bucket[sig].append(s)
    for sig, ss in bucket.items():
        for i, a in enumerate(ss):
            for b in ss[i + 1:]:
                if a[0] == b[0] or find(a) == find(b):
                    continue  # one indicator's measures: the sibling rule's
                A, B = ser[a], ser[b]
                shared = A.keys() & B.keys()
                if (all(A[c] == B[c] for c in shared) and
                        sum(A[c] != 0 for c in shared) >= SAME_MIN):
                    parent[find(a)] = find(b)
    classes = defaultdict(list)
    for s in ser:
        classes[find(s)].append(s)
    return [sorted(c) for c in classes.values() if len({s[0] for s in c}) > 1]


def across(name, rows, classes, ser):
    shown_hidden, recovered, nhidden = [], [], 0
    for cls in classes:
        per_period = defaultdict(lambda: defaultdict(dict))  # period -> cell -> s -> shown
        for (ind, meas, col) in cls:
            for cell in ser[(ind, meas, col)]:
                r = rows.get((ind, meas) + cell)
                if r is not None:
                    per_period[cell[0]][cell[1:]][(ind, meas, col)] = r[col] != ""
        for per, cells in per_period.items():
            tv = {c: ser[next(iter(st))][(per,) + c] for c, st in cells.items()}
            hidden = {c for c, st in cells.items() if not any(st.values())}
            for c, st in cells.items():
                if not all(st.values()) and any(st.values()) and tv[c] != 0:
                    shown_hidden.append((per, c, str(tv[c]),
                                         sorted(s[0] for s, v in st.items() if not v),
                                         sorted(s[0] for s, v in st.items() if v)))
            if not hidden:
                continue
            nhidden += len(hidden)
            for v, val in recover(cells, tv, hidden):
                recovered.append(([s[0] for s in cls], per, v, val))
    print(f"across ({name}): {len(classes)} classes of same counts "
          f"({', '.join('+'.join(sorted({s[0] for s in c})) for c in classes)}), "
          f"{nhidden} counts hidden in all")
    if shown_hidden:
        fail(f"across ({name}): a count hidden in one indicator shown in another",
             shown_hidden)
    if recovered:
        fail(f"across ({name}): hidden counts recovered from the indicators together",
             recovered)


# ---- nested populations ---------------------------------------------------
def definitions():
    """Each indicator's `from`, `period`, `geo`, `pick`, where lines, bands
    and count measures (name -> "persons" or "events"), from the .ind text."""
    defs, cur = {}, None
    for path in sorted(glob.glob(CAT + "/*.ind")):
        for line in open(path, encoding="utf-8"):
            line = line.split("#", 1)[0].strip()
            w = line.split(None, 1)
            if not w:
                continue
            if w[0] == "indicator":
                cur = defs.setdefault(w[1], {"where": [], "bands": [], "counts": {},
                                             "from": "", "period": "", "geo": "",
                                             "pick": ""})
            elif cur is None:
                continue
            elif w[0] in ("from", "period", "geo", "pick"):
                cur[w[0]] = w[1]
            elif w[0] == "where":
                cur["where"].append(w[1])
            elif w[0] == "bands":
                cur["bands"] = [tuple(int(x) for x in b.strip().split("-"))
                                for b in w[1].split(",")]
            elif w[0] == "measure":
                m = w[1].split()
                if m[1] == "count":
                    cur["counts"][m[0]] = m[2]
    return defs


def ages_of(d):
    s = set(range(0, 256))
    for c in d["where"]:
        f = c.split(None, 1)
        if f[0] == "age":
            t = set()
            for r in f[1].split(","):
                lo, _, hi = r.strip().partition("-")
                t |= set(range(int(lo), int(hi or lo) + 1))
            s &= t
    return s


def token_within(a, bs):
    """Is value a (an ICD-10 code or range, or a word) among values bs?"""
    icd = re.compile(r"^[A-Z][0-9][0-9]")
    lo, _, hi = a.partition("-")
    hi = hi or lo
    for b in bs:
        if not (icd.match(a) and icd.match(b)):
            if a == b:
                return True
            continue
        blo, _, bhi = b.partition("-")
        bhi = bhi or blo
        if lo[:3] >= blo[:3] and hi[:3] <= bhi[:3]:
            return True
    return False


def duration_of(c):
    """`duration OP N(d|h)` as (OP, seconds), or None."""
    m = re.match(r"^duration\s*(>=|<=|>|<)\s*(-?\d+)([dh])$", c)
    return m and (m.group(1), int(m.group(2)) * (86400 if m.group(3) == "d" else 3600))


def duration_within(x, c):
    """Does `duration` condition x keep only what c keeps (> 2h within > 1h)?"""
    dx, dc = duration_of(x), duration_of(c)
    if not dx or not dc or (dx[0][0] == ">") != (dc[0][0] == ">"):
        return False
    (ox, a), (oc, b) = dx, dc
    if ox[0] == "<":
        a, b = -a, -b
    if len(oc) == 1 and len(ox) == 2:  # >= a within > b needs a > b
        return a > b
    return a >= b


def cond_within(inner, c):
    if c in inner or any(duration_within(x, c) for x in inner):
        return True
    f, _, vals = c.partition(" ")
    if f in ("has", "no", "observed", "duration") or "," not in vals and " " in vals:
        return False
    outer_vals = [v.strip() for v in vals.split(",")]
    for x in inner:
        g, _, xv = x.partition(" ")
        if g == f and all(token_within(v.strip(), outer_vals) for v in xv.split(",")):
            return True
    return False


def nested_pairs(defs):
    """(inner, outer, [(inner band, outer band)]) of every nesting."""
    out = []
    for i, a in defs.items():
        for o, b in defs.items():
            if i == o or a["pick"] or b["pick"] or any(a[k] != b[k] for k in
                                                       ("from", "period", "geo")):
                continue
            if sorted(a["where"]) == sorted(b["where"]):
                continue  # the same events: the across rule's
            if not all(cond_within(a["where"], c) for c in b["where"]
                       if not c.startswith("age ")):
                continue
            ai, ao = ages_of(a), ages_of(b)
            pairs = []
            for ia, (lab, sa) in enumerate([("all", ai)] + [
                    ("%d-%d" % r, ai & set(range(r[0], r[1] + 1))) for r in a["bands"]]):
                sa = sa & ao
                if not sa:
                    continue
                for lbb, sb in [("all", ao)] + [("%d-%d" % r, ao & set(range(r[0], r[1] + 1)))
                                                for r in b["bands"]]:
                    if sa <= sb:
                        pairs.append((lab, lbb))
            if pairs:
                out.append((i, o, pairs))
    return out


def nested(name, rows, pairs, defs):
    small, recovered, nd = [], [], 0
    for inner, outer, bands in pairs:
        for mi, what in defs[inner]["counts"].items():
            for mo, what_o in defs[outer]["counts"].items():
                if what != what_o:
                    continue
                for ba, bb in bands:
                    per_period = defaultdict(dict)  # period -> (lv, geo, sex, "d") -> row pair
                    for k, t in truth.items():
                        if k[0] != inner or k[1] != mi or k[6] != ba:
                            continue
                        to = truth.get((outer, mo) + k[2:6] + (bb,))
                        if to is None or t["numerator"] == "" or to["numerator"] == "":
                            continue
                        cell = k[3:6] + ("d",)
                        pi, po = rows.get(k), rows.get((outer, mo) + k[2:6] + (bb,))
                        hi = pi is None or pi["numerator"] == ""
                        ho = po is None or po["numerator"] == ""
                        d = num(to["numerator"]) - num(t["numerator"])
                        per_period[k[2]][cell] = (d, hi, ho)
                    for per, cells in per_period.items():
                        tv = {c: v[0] for c, v in cells.items()}
                        hidden = {c for c, v in cells.items() if v[1] or v[2]}
                        nd += len(cells)
                        for c, (d, hi, ho) in cells.items():
                            if not hi and not ho and 0 < d < MIN_COUNT:
                                small.append((inner, outer, mi, per, c, ba, bb, str(d)))
                        if not hidden:
                            continue
                        # secret: a small difference, or one beside one shown count
                        secret = {c for c in hidden
                                  if 0 < tv[c] < MIN_COUNT or cells[c][1] != cells[c][2]}
                        rels, extra = [], {}
                        for rel in relations(cells):
                            if any(c not in cells for _, c in rel):
                                continue
                            res = sum(coef * tv[c] for coef, c in rel)
                            unk = [(coef, c) for coef, c in rel if c in hidden]
                            if res != 0:
                                unk.append((-1, ("residual", res)))
                                extra[("residual", res)] = res
                            if unk:
                                rels.append(unk)
                        sec = secret | {v for v, x in extra.items() if 0 < abs(x) < MIN_COUNT}
                        for v in solve(rels, hidden | set(extra), sec):
                            recovered.append((inner, outer, mi, per, v, ba, bb,
                                              str(tv.get(v, extra.get(v)))))
    print(f"nested ({name}): {len(pairs)} pairs "
          f"({', '.join(i + ' in ' + o for i, o, _ in pairs)}), {nd} differences")
    if small:
        fail(f"nested ({name}): small differences of two shown counts", small)
    if recovered:
        fail(f"nested ({name}): differences recovered", recovered)


attack("default", pub)
attack("--by", by)
SER = series()
CLASSES = same_counts(SER)
if not CLASSES:
    fail("across: no indicators with the same count (the test lost its subject)", [])
across("default", pub, CLASSES, SER)
across("--by", by, CLASSES, SER)
DEFS = definitions()
NESTED = nested_pairs(DEFS)
if not NESTED:
    fail("nested: no nested indicators (the test lost its subject)", [])
nested("default", pub, NESTED, DEFS)
nested("--by", by, NESTED, DEFS)
sys.exit(1 if failures else 0)
