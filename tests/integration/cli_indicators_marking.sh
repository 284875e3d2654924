# tests/integration/cli_indicators_marking.sh: output without disclosure
# control (`indicators run --no-suppress`) is marked in every format and
# never shares an id with published output (docs/indicators.md,
# "Disclosure control"); published output carries no such mark.
. "$SRCDIR/tests/integration/lib.sh"

D="$T/store"
"$KNOD" init --dir "$D" >/dev/null 2>&1
"$KNOD" synth --persons 600 --seed 4 --out "$D/synth" >/dev/null 2>&1
"$KNOD" import --quiet --dir "$D" "$D/synth" >/dev/null 2>&1
IDS=ref-e,sh-young-rate

for mode in sup nosup; do
    flag=""; [ "$mode" = nosup ] && flag=--no-suppress
    for fmt in csv json kolada fhir table; do
        run "$KNOD" indicators run --dir "$D" --id "$IDS" $flag --format "$fmt" \
            --out "$T/$mode.$fmt"
        check_rc "run --format $fmt ${flag:-(suppressed)}" 0
    done
done

if res=$(python3 - "$T" <<'PY' 2>&1
import csv, json, sys
T = sys.argv[1]
CONF = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
def load(mode):
    out = {}
    out["csv"] = list(csv.reader(open(f"{T}/{mode}.csv")))
    out["json"] = [json.loads(l) for l in open(f"{T}/{mode}.json")]
    out["kolada"] = json.load(open(f"{T}/{mode}.kolada"))
    out["fhir"] = json.load(open(f"{T}/{mode}.fhir"))
    out["table"] = open(f"{T}/{mode}.table", encoding="utf-8").read()
    return out
pub, raw = load("sup"), load("nosup")

# CSV: a first column disclosure_control = none on every row; not published
assert raw["csv"][0][0] == "disclosure_control", raw["csv"][0][:2]
assert raw["csv"][0][1:] == pub["csv"][0], "the other columns are the published ones"
assert len(raw["csv"]) > 10 and all(r[0] == "none" for r in raw["csv"][1:])
assert "disclosure_control" not in pub["csv"][0]
# JSON lines: the first key
assert raw["json"] and all(next(iter(o)) == "disclosure_control" and
                           o["disclosure_control"] == "none" for o in raw["json"])
assert not any("disclosure_control" in o for o in pub["json"])
# Kolada: a top-level field, and kpi ids of its own
assert raw["kolada"]["disclosure_control"] == "none"
assert "disclosure_control" not in pub["kolada"]
rk = {e["kpi"] for e in raw["kolada"]["values"]}
pk = {e["kpi"] for e in pub["kolada"]["values"]}
assert pk == {"ref-e", "sh-young-rate"}, pk
assert rk == {"unsuppressed-" + k for k in pk}, rk
# FHIR: meta.security R on the Bundle and every MeasureReport; ids and
# fullUrls never those of published reports
def restricted(res):
    return any(s.get("system") == CONF and s.get("code") == "R"
               for s in res.get("meta", {}).get("security", []))
assert restricted(raw["fhir"]) and not restricted(pub["fhir"])
rids = {e["resource"]["id"] for e in raw["fhir"]["entry"]}
pids = {e["resource"]["id"] for e in pub["fhir"]["entry"]}
rurls = {e["fullUrl"] for e in raw["fhir"]["entry"]}
purls = {e["fullUrl"] for e in pub["fhir"]["entry"]}
assert len(rids) == len(pids) > 1 and not rids & pids and not rurls & purls
assert all(i.startswith("unsuppressed-") for i in rids), rids
assert all(restricted(e["resource"]) for e in raw["fhir"]["entry"])
assert not any("meta" in e["resource"] for e in pub["fhir"]["entry"])
assert all(u.endswith("/MeasureReport/" + e["resource"]["id"])
           for e in raw["fhir"]["entry"] for u in [e["fullUrl"]])
# table: the first line says so
assert raw["table"].startswith("EJ RÖJANDEKONTROLLERAT"), raw["table"][:60]
assert "RÖJANDEKONTROLLERAT" not in pub["table"]
print(len(rids), "reports,", len(raw["csv"]) - 1, "rows")
PY
); then ok "--no-suppress is marked in every format, with ids of its own ($res)"
else not_ok "--no-suppress is marked in every format, with ids of its own" "$res"; fi

run "$KNOD" indicators run --help
check_out "--help says how unsuppressed output is marked" "unsuppressed-ID"
finish
