# tests/integration/cli_indicators_fhir.sh: the FHIR and Kolada exports.
#  - `indicators show ID --fhir`: every shipped indicator is an R4 Measure
#    with the required elements, known codes and one group per measure;
#  - `indicators run --format fhir`: a Bundle of MeasureReports whose groups
#    and strata are exactly the CSV rows (--format csv) of the same run, with
#    the same numbers, and no number at all where a cell is suppressed;
#  - `--format kolada`: exactly Kolada's shape, the headline rows of the CSV;
#  - `--no-suppress` brings the hidden numbers back.
. "$SRCDIR/tests/integration/lib.sh"

D="$T/store"
"$KNOD" init --dir "$D" >/dev/null 2>&1
"$KNOD" synth --persons 3000 --seed 2 --out "$D/synth" >/dev/null 2>&1
"$KNOD" import --quiet --dir "$D" "$D/synth" >/dev/null 2>&1
# proportion, median to, unit geography, sum + median of duration + count,
# ratio of care days, survival, rate with bands, municipalities, ratio
# with a target, standardised rate
IDS=ref-e,ref-f,adm-sh-young,coe-per-care-days,sh-repeat-12m-km,sh-young-rate-band
IDS=$IDS,sh-young-municipality,cov-act-linked,sh-young-rate-std

# --- Measure --------------------------------------------------------------
# Under `make check` the Measure of every indicator comes from the release
# knod ($KNOD_RELEASE, which make check has just built from the same tree):
# some fifty starts of the sanitized knod cost about 10 CPU s, and the text
# is the same in both builds. The sanitized knod writes the Measures of
# $IDS (a Measure of every kind of measure, breakdown and target), which
# must be the same bytes; without $KNOD_RELEASE (the suite run alone) every
# start is $KNOD's.
BULK=${KNOD_RELEASE:-$KNOD}
"$BULK" indicators list --json | python3 -c '
import json, sys
for l in sys.stdin:
    print(json.loads(l)["id"])' > "$T/ids"
bad=""
while read -r id; do
    "$BULK" indicators show "$id" --fhir > "$T/m-$id.json" 2>"$T/m-$id.err" || bad="$bad $id"
done < "$T/ids"
if [ -z "$bad" ] && [ -s "$T/ids" ]; then ok "show --fhir succeeds for every indicator"; else
    not_ok "show --fhir succeeds for every indicator" "failed:$bad"; fi
bad=""
for id in ${IDS//,/ }; do
    "$KNOD" indicators show "$id" --fhir > "$T/asan-$id.json" 2>/dev/null &&
        cmp -s "$T/asan-$id.json" "$T/m-$id.json" || bad="$bad $id"
done
if [ -z "$bad" ]; then ok "the sanitized knod writes the same Measures (${IDS//,/ })"; else
    not_ok "the sanitized knod writes the same Measures" "differ:$bad"; fi
run "$KNOD" indicators show --fhir ref-a
check_rc "show --fhir ID: the flag may come first" 0
run "$KNOD" indicators show no-such-indicator --fhir
check_rc "show --fhir of an unknown id is an input error" 1

if res=$(python3 - "$T" <<'PY' 2>&1
import glob, json, re, sys
POP = "http://terminology.hl7.org/CodeSystem/measure-population"
SCORING = "http://terminology.hl7.org/CodeSystem/measure-scoring"
IMPROVE = "http://terminology.hl7.org/CodeSystem/measure-improvement-notation"
TRANS = "http://hl7.org/fhir/StructureDefinition/translation"
GSCORE = "http://hl7.org/fhir/5.0/StructureDefinition/extension-Measure.group.scoring"
need = {"proportion": {"initial-population", "numerator", "denominator"},
        "ratio": {"numerator", "denominator"},
        "cohort": {"initial-population"},
        "continuous-variable": {"initial-population", "measure-population",
                                "measure-observation"}}
files = sorted(glob.glob(sys.argv[1] + "/m-*.json"))
assert len(files) >= 30, len(files)
targets = 0
for f in files:
    ind = f.split("/m-")[1][:-5]
    m = json.load(open(f))
    assert m["resourceType"] == "Measure" and m["status"] == "active", f
    assert re.fullmatch(r"[A-Za-z0-9\-.]{1,64}", m["id"]) and m["id"].startswith(ind + "-v")
    assert m["version"] == m["id"].rsplit("-v", 1)[1]
    assert m["url"] == "https://knod.se/fhir/Measure/" + ind
    assert m["identifier"][0]["value"] == ind
    assert re.fullmatch(r"[A-Z][A-Za-z0-9_]{0,254}", m["name"]), m["name"]
    assert m["title"] and m["description"]
    tr = m["_title"]["extension"][0]
    assert tr["url"] == TRANS and tr["extension"][0] == {"url": "lang", "valueCode": "en"}
    assert tr["extension"][1]["url"] == "content" and tr["extension"][1]["valueString"]
    c = m["scoring"]["coding"][0]
    assert c["system"] == SCORING and c["code"] in need, c
    c = m["improvementNotation"]["coding"][0]
    assert c["system"] == IMPROVE and c["code"] in ("increase", "decrease")
    assert m["group"], f
    scorings = []
    for g in m["group"]:
        assert g["id"] == g["code"]["text"] == g["code"]["coding"][0]["code"]
        ext = {e["url"]: e for e in g["extension"]}
        sc = ext[GSCORE]["valueCodeableConcept"]["coding"][0]
        assert sc["system"] == SCORING
        scorings.append(sc["code"])
        codes = set()
        for p in g["population"]:
            pc = p["code"]["coding"][0]
            assert pc["system"] == POP, pc
            codes.add(pc["code"])
            cr = p["criteria"]
            assert cr["language"] in ("text/x-knod-indicator", "text/plain")
            assert cr["expression"] and cr["description"]
        assert need[sc["code"]] <= codes, (f, g["id"], codes)
        for s in g.get("stratifier", []):
            # mea-1: (code | description | criteria).exists() xor component.exists()
            one = any(k in s for k in ("code", "description", "criteria"))
            assert one != ("component" in s), s
        if "https://knod.se/fhir/StructureDefinition/target" in ext:
            targets += 1
            t = {e["url"]: e for e in ext["https://knod.se/fhir/StructureDefinition/target"]["extension"]}
            assert t["comparator"]["valueCode"] in ("<=", ">=")
            if "baseYear" in t:  # a change in per cent from a base year
                assert isinstance(t["baseYear"]["valueInteger"], int)
                assert isinstance(t["changePercent"]["valueDecimal"], (int, float))
            else:
                assert isinstance(t["value"]["valueDecimal"], (int, float))
    assert m["scoring"]["coding"][0]["code"] in scorings
m = json.load(open(sys.argv[1] + "/m-ref-e.json"))
ip = m["group"][0]["population"][0]["criteria"]["expression"]
assert ip.startswith("from stay\nwhere age 10-24"), ip
num = [p for p in m["group"][0]["population"] if p["code"]["coding"][0]["code"] == "numerator"]
assert "measure share proportion has followup in end [0d, 7d]" in num[0]["criteria"]["expression"]
assert targets >= 5, targets
print(len(files), "Measures,", targets, "targets")
PY
); then ok "Measure: required elements, codes, populations per scoring ($res)"
else not_ok "Measure: required elements, codes, populations per scoring" "$res"; fi

# --- MeasureReport --------------------------------------------------------
for mode in sup nosup; do
    flag=""; [ "$mode" = nosup ] && flag=--no-suppress
    "$KNOD" indicators run --dir "$D" --id "$IDS" $flag --out "$T/$mode.csv" 2>/dev/null
    run "$KNOD" indicators run --dir "$D" --id "$IDS" $flag --format fhir --out "$T/$mode.fhir.json"
    check_rc "run --format fhir ${flag:-(suppressed)} succeeds" 0
    run "$KNOD" indicators run --dir "$D" --id "$IDS" $flag --format kolada --out "$T/$mode.kolada.json"
    check_rc "run --format kolada ${flag:-(suppressed)} succeeds" 0
done
"$KNOD" indicators run --dir "$D" --id "$IDS" --format fhir --headline --out "$T/head.fhir.json"

cat > "$T/check.py" <<'PY'
import csv, json, sys
T, mode = sys.argv[1], sys.argv[2]
POP = "http://terminology.hl7.org/CodeSystem/measure-population"
SUP = "https://knod.se/fhir/StructureDefinition/suppressed"
AMOUNT = "https://knod.se/fhir/StructureDefinition/population-amount"
DAR = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
def absent(x):
    # the data-absent-reason of an element that holds one, else None
    for e in (x or {}).get("extension", []):
        if e["url"] == DAR:
            return e["valueCode"]
    return None
LEVEL = {"region": "region", "healthcare-region": "healthcare_region",
         "municipality": "municipality", "unit": "unit"}
rows = {}
for r in csv.DictReader(open(f"{T}/{mode}.csv")):
    key = (r["indicator"], r["measure"], r["period"], r["geo_level"], r["geo"], r["sex"], r["band"])
    assert key not in rows, key
    rows[key] = r
def num(s):
    return None if s == "" else float(s)
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
def cell_key(dims):
    lv, geo, sex, band = "nation", "SE", "T", "all"
    for d, v in dims:
        c = v["coding"][0]
        if d == "sex":
            sex = {"female": "F", "male": "M"}[c["code"]]
            assert c["system"] == "http://hl7.org/fhir/administrative-gender"
        elif d == "age-band":
            band = c["code"]
        else:
            lv, geo = LEVEL[d], c["code"]
    return lv, geo, sex, band

b = json.load(open(f"{T}/{mode}.fhir.json"))
assert b["resourceType"] == "Bundle" and b["type"] == "collection"
seen, stats = set(), {"hidden": 0, "shown": 0, "amount": 0}
def check(ind, meas, per, dims, o):
    key = (ind, meas, per) + cell_key(dims)
    assert key in rows, ("not a CSV row", key)
    assert key not in seen, ("twice", key)
    seen.add(key)
    r = rows[key]
    ext = {e["url"]: e for e in o.get("extension", [])}
    pops = {p["code"]["coding"][0]["code"]: p for p in o["population"]}
    assert all(p["code"]["coding"][0]["system"] == POP for p in o["population"])
    if r["suppressed"] == "1":
        stats["hidden"] += 1
        assert ext[SUP]["valueCode"] == r["reason"], (key, ext, r["reason"])
        assert absent(o["measureScore"]) == "masked" and "value" not in o["measureScore"], key
        assert not has_number(o["population"]), (key, o["population"])
        assert all(absent(p.get("_count")) == "masked" for p in o["population"]), key
        return
    stats["shown"] += 1
    assert SUP not in ext, key
    def val(code):
        p = pops.get(code)
        if p is None:
            return "absent"
        if "count" in p:
            assert isinstance(p["count"], int) and "_count" not in p
            return float(p["count"])
        if "_count" in p:
            assert absent(p["_count"]) in ("unknown", "not-applicable"), (key, p)
            return None
        for e in p.get("extension", []):
            if e["url"] == AMOUNT:
                stats["amount"] += 1
                return e["valueDecimal"]
        return None
    n, d = num(r["numerator"]), num(r["denominator"])
    for code, want in (("numerator", n), ("denominator", d), ("measure-population", d)):
        got = val(code)
        assert got == "absent" or got == want, (key, code, got, want)
    ip = val("initial-population")
    assert ip == "absent" or ip in (n, d), (key, ip, n, d)
    v = num(r["value"])
    if v is None:
        why = absent(o["measureScore"])
        assert why in ("unknown", "not-applicable") and "value" not in o["measureScore"], key
        assert why == "unknown" or d == 0, (key, why, d)
    else:
        assert o["measureScore"]["value"] == v, (key, o["measureScore"], v)

for e in b["entry"]:
    mr = e["resource"]
    assert e["fullUrl"].endswith("/MeasureReport/" + mr["id"])
    assert mr["resourceType"] == "MeasureReport"
    assert mr["status"] == "complete" and mr["type"] == "summary"
    url, ver = mr["measure"].split("|")
    ind = url.rsplit("/", 1)[1]
    m = json.load(open(f"{T}/m-{ind}.json"))
    assert url == m["url"] and ver == m["version"], mr["measure"]
    per = mr["period"]["start"][:4]
    assert mr["period"] == {"start": per + "-01-01", "end": per + "-12-31"}, mr["period"]
    assert mr["id"] == ("unsuppressed-" if mode == "nosup" else "") + f"{ind}-v{ver}-{per}"
    gids = [g["id"] for g in m["group"]]
    assert [g["code"]["text"] for g in mr["group"]] == gids, (gids, mr["group"])
    for g in mr["group"]:
        meas = g["code"]["text"]
        check(ind, meas, per, [], g)
        for s in g.get("stratifier", []):
            dims = [c["coding"][0]["code"] for c in s["code"]]
            for st in s["stratum"]:
                if len(dims) == 1:
                    assert "component" not in st
                    check(ind, meas, per, [(dims[0], st["value"])], st)
                else:
                    assert "value" not in st
                    comps = [(c["code"]["coding"][0]["code"], c["value"]) for c in st["component"]]
                    assert [c[0] for c in comps] == dims
                    check(ind, meas, per, comps, st)
missing = set(rows) - seen
assert not missing, ("CSV rows not in the Bundle", len(missing), sorted(missing)[:3])
assert stats["shown"] > 1000, stats
if mode == "sup":
    assert stats["hidden"] > 100, stats
else:
    assert stats["hidden"] == 0, stats
assert stats["amount"] > 0, stats   # the ratio over care days
print(len(b["entry"]), "reports,", stats["shown"], "cells with numbers,", stats["hidden"], "hidden")
PY

for mode in sup nosup; do
    if res=$(python3 "$T/check.py" "$T" $mode 2>&1); then
        ok "fhir ($mode): strata are the CSV rows, with its numbers; hidden cells carry none ($res)"
    else
        not_ok "fhir ($mode): strata are the CSV rows, with its numbers; hidden cells carry none" "$res"
    fi
done

cat > "$T/kolada.py" <<'PY'
import csv, json, re, sys
T, mode = sys.argv[1], sys.argv[2]
head = {}
for e in json.load(open(f"{T}/head.fhir.json"))["entry"]:
    mr = e["resource"]
    assert len(mr["group"]) == 1, "--headline: one group"
    head[mr["measure"].split("|")[0].rsplit("/", 1)[1]] = mr["group"][0]["code"]["text"]
rows = {}
for r in csv.DictReader(open(f"{T}/{mode}.csv")):
    if head.get(r["indicator"]) != r["measure"] or r["band"] != "all":
        continue
    if r["geo_level"] == "nation":
        place = "0000"
    elif r["geo_level"] == "region":
        place = "00" + r["geo"]
    elif r["geo_level"] == "municipality":
        place = r["geo"]
    else:
        continue
    rows[(r["indicator"], place, int(r["period"]), r["sex"])] = r
doc = json.load(open(f"{T}/{mode}.kolada.json"))
assert list(doc) == (["disclosure_control"] if mode == "nosup" else []) + ["values", "count"], list(doc)
assert doc["count"] == len(doc["values"]), (doc["count"], len(doc["values"]))
seen, hidden = set(), 0
for e in doc["values"]:
    assert list(e) == ["kpi", "municipality", "period", "values"], list(e)
    assert re.fullmatch(r"[0-9]{4}", e["municipality"]), e["municipality"]
    assert isinstance(e["period"], int) and not isinstance(e["period"], bool)
    assert e["values"]
    for v in e["values"]:
        assert list(v) == ["gender", "value", "count", "status"], list(v)
        assert v["gender"] in ("T", "K", "M")
        assert isinstance(v["status"], str)
        sex = {"T": "T", "K": "F", "M": "M"}[v["gender"]]
        key = (e["kpi"].removeprefix("unsuppressed-" if mode == "nosup" else ""),
               e["municipality"], e["period"], sex)
        assert key in rows and key not in seen, key
        seen.add(key)
        r = rows[key]
        if r["suppressed"] == "1":
            hidden += 1
            assert v["value"] is None and v["count"] is None, (key, v)
            assert v["status"] == "suppressed:" + r["reason"], (key, v)
            continue
        assert not v["status"].startswith("suppressed"), (key, v)
        want = None if r["value"] == "" else float(r["value"])
        # one decimal, half away from zero (a float of it)
        assert (v["value"] is None) == (want is None), (key, v, want)
        if want is not None:
            assert abs(v["value"] - want) <= 0.05 + 1e-9 and v["value"] == round(v["value"], 1), (key, v, want)
        assert v["status"] == ("" if want is not None else "missing"), (key, v)
        n = None if r["numerator"] == "" else float(r["numerator"])
        d = None if r["denominator"] == "" else float(r["denominator"])
        assert v["count"] in (n, d), (key, v, n, d)
        if e["kpi"] == "ref-e":
            assert v["count"] == n, (key, v, n)
missing = set(rows) - seen
assert not missing, ("headline CSV rows not in Kolada", sorted(missing)[:3])
assert any(k[1][:2] != "00" for k in seen), "no municipality"
assert (hidden > 50) if mode == "sup" else (hidden == 0), hidden
print(len(doc["values"]), "entries,", len(seen), "values,", hidden, "hidden")
PY

for mode in sup nosup; do
    if res=$(python3 "$T/kolada.py" "$T" $mode 2>&1); then
        ok "kolada ($mode): Kolada's keys, the headline CSV rows, hidden values null ($res)"
    else
        not_ok "kolada ($mode): Kolada's keys, the headline CSV rows, hidden values null" "$res"
    fi
done

if res=$(python3 - "$T" <<'PY' 2>&1
import json, sys
T = sys.argv[1]
def cells(path):
    out = {}
    for e in json.load(open(path))["values"]:
        for v in e["values"]:
            out[(e["kpi"].removeprefix("unsuppressed-"), e["municipality"], e["period"],
                 v["gender"])] = v
    return out
a, b = cells(T + "/sup.kolada.json"), cells(T + "/nosup.kolada.json")
assert a.keys() == b.keys()
back = [k for k in a if a[k]["status"].startswith("suppressed") and b[k]["count"] is not None]
assert len(back) > 50, len(back)
assert all(a[k] == b[k] for k in a if a[k]["status"] == ""), "a shown value changed"
print(len(back), "hidden values shown without suppression")
PY
); then ok "--no-suppress shows the values suppression hides ($res)"
else not_ok "--no-suppress shows the values suppression hides" "$res"; fi

run "$KNOD" indicators run --dir "$D" --id ref-e --format fhir --level region
if printf '%s\n' "$out" | python3 -c '
import json, sys
b = json.load(sys.stdin)
for e in b["entry"]:
    for g in e["resource"]["group"]:
        assert "measureScore" in g or g.get("extension")
        codes = {"+".join(c["coding"][0]["code"] for c in s["code"]) for s in g["stratifier"]}
        assert codes == {"region", "region+sex"}, codes
'; then ok "--level region: only the region strata (the group keeps the nation)"; else
    not_ok "--level region: only the region strata (the group keeps the nation)" "$out"; fi
run "$KNOD" indicators run --dir "$D" --id ref-e --format xml
check_rc "an unknown format is a usage error" 2
finish
