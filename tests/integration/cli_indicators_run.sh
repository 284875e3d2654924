# tests/integration/cli_indicators_run.sh: knod indicators run.
#  - differential: on synthetic stores (several seeds) the six reference
#    indicators equal the same definitions written as plain SQL and run by
#    sqlite3 (bench/indicators/sqlite/*.sql), compared by compare.py;
#  - disclosure control, checked as an attacker would: no published group
#    (F + M = both, bands = all ages, regions = nation, ...) has exactly one
#    hidden count, no count 1-4 is shown, and a hidden cell shows nothing.
. "$SRCDIR/tests/integration/lib.sh"
B="$SRCDIR/bench/indicators"

for seed in 3 11; do
    D="$T/s$seed"
    "$KNOD" init --dir "$D" >/dev/null 2>&1
    "$KNOD" synth --persons 4000 --seed "$seed" --out "$D/synth" >/dev/null 2>&1
    "$KNOD" import --quiet --dir "$D" "$D/synth" >/dev/null 2>&1
    run "$KNOD" indicators run --dir "$D" --id ref-a,ref-b,ref-c,ref-d,ref-e,ref-f \
        --no-suppress --out "$D/knod.csv"
    check_rc "seed $seed: run succeeds" 0
    python3 "$B/from_knod.py" "$D/knod.csv" "$D/knod_contract.csv"
    for f in "$B"/sqlite/ref-*.sql; do sqlite3 -csv -header "$D/knod.db" < "$f"; done > "$D/sql_raw.csv"
    { head -1 "$D/sql_raw.csv"; grep -v '^indicator,' "$D/sql_raw.csv" |
        sort -t, -k1,1 -k2,2 -k3,3 -k4,4 -k5,5 -k6,6; } > "$D/sql.csv"
    if cmpout=$(python3 "$B/compare.py" "$D/sql.csv" "$D/knod_contract.csv" 2>&1); then
        ok "seed $seed: ref-a..ref-f equal the SQL reading in SQLite"
    else
        not_ok "seed $seed: ref-a..ref-f equal the SQL reading in SQLite" "$cmpout"
    fi
done

D="$T/s3"
run "$KNOD" indicators run --dir "$D" --out "$D/pub.csv"
check_rc "the whole catalogue runs with suppression" 0
run "$KNOD" indicators run --dir "$D" --id ref-a --out /dev/full
check_rc "--out to a device is refused" 1
check_err "the refusal says it is a device" "'/dev/full' is a device"
[ -c /dev/full ] && ok "/dev/full is still a device" || not_ok "/dev/full is still a device"
ln -s "$D/pub.csv" "$D/pub-link.csv"
run "$KNOD" indicators run --dir "$D" --id ref-a --out "$D/pub-link.csv"
check_rc "--out to a symbolic link is refused" 1
[ -L "$D/pub-link.csv" ] && ok "the link is left alone" || not_ok "the link is left alone"
if attack=$(python3 - "$D/pub.csv" <<'PY' 2>&1
import csv, sys
from collections import defaultdict
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows, "no rows"
bad = []
for r in rows:
    for k in ("numerator", "denominator"):
        v = r[k]
        if v != "" and 0 < float(v) < 5 and r["measure"] not in ():
            # sums (care days, hours) are not counts
            if not (k == "numerator" and "." in v):
                bad.append(("small count shown", r["indicator"], r["measure"], k, v))
    if r["suppressed"] == "1" and r["value"] != "" and r["reason"] != "":
        if r["lower_95"] != "":
            bad.append(("hidden value's interval shown", r["indicator"]))
# groups: F+M=T within (indicator, measure, period, geo, band)
def hidden(r, k):
    return r["suppressed"] == "1" and r[k] == ""
groups = defaultdict(list)
for r in rows:
    base = (r["indicator"], r["measure"], r["period"])
    groups[base + ("sex", r["geo_level"], r["geo"], r["band"])].append(r)
    groups[base + ("band", r["geo_level"], r["geo"], r["sex"])].append(r)
    if r["geo_level"] in ("nation", "region"):
        groups[base + ("regions", r["sex"], r["band"])].append(r)
    if r["geo_level"] in ("nation", "healthcare_region"):
        groups[base + ("hc", r["sex"], r["band"])].append(r)
for key, g in groups.items():
    if len(g) < 2:
        continue
    for k in ("numerator", "denominator"):
        if not any(x[k] != "" for x in g):
            continue  # not a number in this measure (or all hidden)
        h = sum(1 for x in g if hidden(x, k))
        if h == 1:
            bad.append(("recoverable", key, k))
if bad:
    print(len(bad), "findings; first:", bad[:5])
    sys.exit(1)
print("ok", len(rows), "rows,", sum(r["suppressed"] == "1" for r in rows), "suppressed")
PY
); then ok "suppression: no small count shown, no group with one hidden cell ($attack)"
else not_ok "suppression: no small count shown, no group with one hidden cell" "$attack"; fi

run "$KNOD" indicators run --dir "$D" --id ref-a,ref-e --format json --out "$D/pub.jsonl"
check_rc "json output" 0
run "$KNOD" indicators run --dir "$D" --id ref-a,ref-e --out "$D/pub2.csv"
if fcheck=$(python3 - "$D/pub2.csv" "$D/pub.jsonl" <<'PY' 2>&1
import csv, json, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
objs = [json.loads(l) for l in open(sys.argv[2])]
assert len(rows) == len(objs) and rows, (len(rows), len(objs))
for r, o in zip(rows, objs):
    for k, v in r.items():
        j = o[k]
        if k in ("version",):
            assert int(v) == j
        elif k in ("suppressed", "series_break"):
            assert (v == "1") == j
        elif v == "":
            assert j in (None, ""), (k, v, j)
        elif isinstance(j, float):
            assert float(v) == j, (k, v, j)
        else:
            assert str(j) == v, (k, v, j)
# funnel limits of a proportion: p0 +- z sqrt(p0 (1 - p0) / n), p0 the nation's
nat = {(r["indicator"], r["measure"], r["period"], r["sex"], r["band"]): r
       for r in rows if r["geo_level"] == "nation"}
checked = 0
for r in rows:
    if r["indicator"] != "ref-e" or r["geo_level"] != "region" or r["funnel_lower_95"] == "":
        continue
    n = nat[(r["indicator"], r["measure"], r["period"], r["sex"], r["band"])]
    p0 = float(n["numerator"]) / float(n["denominator"])
    d = float(r["denominator"])
    h = 1.959963984540054 * math.sqrt(p0 * (1 - p0) / d)
    assert abs(float(r["funnel_lower_95"]) - 100 * max(0, p0 - h)) < 1e-9, r
    assert abs(float(r["funnel_upper_95"]) - 100 * min(1, p0 + h)) < 1e-9, r
    if r["value"] != "":
        v = float(r["value"])
        want = ("above_99_8" if v > float(r["funnel_upper_99_8"]) else
                "below_99_8" if v < float(r["funnel_lower_99_8"]) else
                "above_95" if v > float(r["funnel_upper_95"]) else
                "below_95" if v < float(r["funnel_lower_95"]) else "within")
        assert r["funnel"] == want, r
    checked += 1
assert checked > 20, checked
# a hidden denominator hides the limits (their width would tell it)
for r in rows:
    if r["denominator"] == "" and r["suppressed"] == "1":
        assert r["funnel_lower_95"] == "" and r["funnel"] == "", r
print("ok", checked)
PY
); then ok "json rows equal the csv rows; funnel limits and positions right ($fcheck)"
else not_ok "json rows equal the csv rows; funnel limits and positions right" "$fcheck"; fi

# a target relative to a base year: met when the value is at least 10 % below
# the same place's 2020 value; --period 2024 still computes 2020 for it
run "$KNOD" indicators run --dir "$D" --id sh-young-rate --period 2024 --no-suppress --out "$D/rel.csv"
check_rc "a relative target with --period" 0
run "$KNOD" indicators run --dir "$D" --id sh-young-rate --no-suppress --out "$D/rel-all.csv"
if rcheck=$(python3 - "$D/rel.csv" "$D/rel-all.csv" <<'PY' 2>&1
import csv, sys
from fractions import Fraction
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["measure"] == "rate"]
assert rows and {r["period"] for r in rows} == {"2024"}, "only 2024 is shown"
base = {(r["geo"], r["sex"], r["band"]): r for r in csv.DictReader(open(sys.argv[2]))
        if r["measure"] == "rate" and r["period"] == "2020"}
n = 0
for r in rows:
    b = base[(r["geo"], r["sex"], r["band"])]
    assert r["target"] == "<=-10% from 2020", r["target"]
    if r["value"] == "" or b["value"] == "":
        assert r["status"] == "", r
        continue
    # on the counts, exactly (docs/indicators.md, "Targets")
    want = ("met" if Fraction(r["numerator"]) * Fraction(b["denominator"]) * 10
            <= Fraction(b["numerator"]) * Fraction(r["denominator"]) * 9 else "not_met")
    assert r["status"] == want, (r, b["value"])
    n += 1
assert n > 20, n
print("ok", n)
PY
); then ok "relative target: status against the same place's 2020 value ($rcheck)"
else not_ok "relative target: status against the same place's 2020 value" "$rcheck"; fi

# a catalogue folder beside the shipped one: a new indicator in two versions,
# the second from 2023; rows carry their version and the series breaks there
mkdir -p "$T/cat"
hdr() { printf 'indicator t-rep\nversion %s\nvalid %s\ntitle sv "T"\ntitle en "T"\ndescription sv "D"\ndescription en "D"\nowner "O"\ngoal self-harm\nfrom act\nwhere age 10-24\npick first per person per period\nyears 2020-2024\n' "$1" "$2"; }
{ hdr 1 "2020-01-01 .. 2023-01-01"; printf 'measure share proportion has act in start (0d, 365d]\ndirection lower\n\n'
  hdr 2 "2023-01-01 .."; printf 'measure share proportion has act in start (0d, 182d]\ndirection lower\n'; } > "$T/cat/t-rep.ind"
run "$KNOD" indicators run --dir "$D" --catalogue "$T/cat" --id t-rep,ref-d --level nation --no-suppress --out "$D/ver.csv"
check_rc "run with a catalogue folder" 0
if vcheck=$(python3 - "$D/ver.csv" <<'PY' 2>&1
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["sex"] == "T"]
t = {r["period"]: r for r in rows if r["indicator"] == "t-rep"}
d = {r["period"]: r for r in rows if r["indicator"] == "ref-d"}
assert sorted(t) == ["2020", "2021", "2022", "2023", "2024"], sorted(t)
assert [t[y]["version"] for y in sorted(t)] == ["1", "1", "1", "2", "2"]
assert [t[y]["series_break"] for y in sorted(t)] == ["0", "0", "0", "1", "0"]
for y in ("2020", "2021", "2022"):  # version 1 is ref-d's definition
    assert (t[y]["numerator"], t[y]["denominator"]) == (d[y]["numerator"], d[y]["denominator"]), y
for y in ("2023", "2024"):  # a 182-day window finds no more than a 365-day one
    assert int(t[y]["numerator"]) <= int(d[y]["numerator"]), y
print("ok")
PY
); then ok "versions: each period by its version, the series breaks where the new one starts"
else not_ok "versions: each period by its version, the series breaks where the new one starts" "$vcheck"; fi
sed 's/(0d, 365d\]/(0d, 364d]/' "$SRCDIR/data/indicators/ref-d.ind" > "$T/cat/ref-d.ind"
run "$KNOD" indicators run --dir "$D" --catalogue "$T/cat" --id ref-d
check_rc "a changed released version in the folder is refused" 1
check_err "... naming the lock line" "catalogue.lock:[0-9]+: indicator ref-d version 1 .* has changed since it was released"

run "$KNOD" indicators run --dir "$D" --id no-such-indicator
check_rc "an unknown id is an input error" 1
run "$KNOD" indicators run --dir "$D" --period 20x4
check_rc "a bad --period is a usage error" 2
finish
