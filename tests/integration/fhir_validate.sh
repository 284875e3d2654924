# tests/integration/fhir_validate.sh: knod's FHIR output through validators
# knod did not write (tests/fhir/validate.cjs: Medplum's R4 validator with
# the R4 invariants, the official R4 JSON schema, ele-1), resource by
# resource, 0 errors:
#  - the Measure of every indicator of the catalogue (`indicators show --fhir`);
#  - a Bundle of MeasureReports from a synthetic store (`indicators run
#    --format fhir`) over every kind of measure and breakdown, with a year
#    that holds no data (2025), with the Measures in it (--measures, every
#    `measure` resolves inside the Bundle, under knod.ini's canonical_base),
#    and without disclosure control;
#  - the StructureDefinitions of knod's extensions (`indicators definitions`);
#  - and, as a control, a Measure broken on purpose is refused (mea-1), so
#    that a validator that checks nothing cannot pass.
# The validators are npm packages that tools/install-npm.sh installs
# (`make check` runs it); this test never touches the network.
. "$SRCDIR/tests/integration/lib.sh"

V="$SRCDIR/tests/fhir/validate.cjs"
if ! command -v node >/dev/null 2>&1 || [ ! -d "$SRCDIR/tests/fhir/node_modules/@medplum/core" ]; then
    not_ok "the FHIR validators are installed" "run tools/install-npm.sh (make check does)"
    finish
fi
ok "the FHIR validators are installed"

# The validators start once (seconds of loading the R4 definitions and
# compiling the schema) for all the files below, in groups (validate.cjs
# --group). group_out K: group K's problems and its last line "group K: N
# resources, N errors"; nothing when the validators did not get there.
group_out() {
    awk -v k="group $1:" 'index($0, k) == 1 && / resources, [0-9]+ errors$/ {
             printf "%s%s\n", buf, $0; exit }
         /^group [0-9]+: [0-9]+ resources, [0-9]+ errors$/ { buf = ""; next }
         { buf = buf $0 "\n" }' "$T/validated"
}

# validated NAME K: one check, group K without errors (its complaints, or
# the validators' last words, as detail).
validated() {
    local res
    res=$(group_out "$2")
    if printf '%s\n' "$res" | grep -q "^group $2: [0-9]* resources, 0 errors$"; then
        ok "$1 ($(printf '%s\n' "$res" | tail -n 1 | sed 's/^group [0-9]*: //'))"
    else
        not_ok "$1" "$(printf '%s\n' "${res:-no result for group $2: $(tail -n 5 "$T/validated")}" |
                       tail -n 40)"
    fi
}

# --- every Measure of the catalogue ------------------------------------------
# Under `make check` the Measures come from the release knod ($KNOD_RELEASE,
# which make check has just built from the same tree): some fifty starts of
# the sanitized knod cost about 11 CPU s, and the text is the same in both
# builds. The sanitized knod writes one Measure here, which must be the same
# bytes (cli_indicators_fhir.sh does so for a Measure of every kind);
# without $KNOD_RELEASE (the suite run alone) every start is $KNOD's.
BULK=${KNOD_RELEASE:-$KNOD}
"$BULK" indicators list --json | python3 -c '
import json, sys
for l in sys.stdin:
    print(json.loads(l)["id"])' > "$T/ids"
mkdir -p "$T/m"
while read -r id; do
    "$BULK" indicators show "$id" --fhir > "$T/m/$id.json"
done < "$T/ids"
"$KNOD" indicators show ref-e --fhir > "$T/ref-e.json"
if [ -s "$T/ref-e.json" ] && cmp -s "$T/ref-e.json" "$T/m/ref-e.json"; then
    ok "the sanitized knod writes the same Measure as the loop above (ref-e)"
else
    not_ok "the sanitized knod writes the same Measure (ref-e)" \
        "$(diff "$T/ref-e.json" "$T/m/ref-e.json" | head -n 5)"
fi

# --- a Bundle of MeasureReports ------------------------------------------------
D="$T/store"
"$KNOD" init --dir "$D" >/dev/null 2>&1
"$KNOD" synth --persons 1200 --seed 3 --out "$D/synth" >/dev/null 2>&1
"$KNOD" import --quiet --dir "$D" "$D/synth" >/dev/null 2>&1
# proportion, median to, unit geography, sum + median of duration + count,
# ratio of care days, survival, rate with bands, municipalities, ratio
# with a target, standardised rate
IDS=ref-e,ref-f,adm-sh-young,coe-per-care-days,sh-repeat-12m-km,sh-young-rate-band
IDS=$IDS,sh-young-municipality,cov-act-linked,sh-young-rate-std
sed -i 's|^canonical_base = .*|canonical_base = https://stats.example.org/fhir|' "$D/knod.ini"
"$KNOD" indicators run --dir "$D" --id "$IDS" --period 2024-2025 --format fhir --measures \
    --out "$T/bundle.json" 2>/dev/null
"$KNOD" indicators run --dir "$D" --id ref-e,coe-per-care-days --period 2024 --format fhir \
    --no-suppress --out "$T/raw.json" 2>/dev/null
"$KNOD" indicators definitions > "$T/definitions.json"
python3 - "$T/m/ref-e.json" "$T/broken.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
s = [s for s in m["group"][0]["stratifier"] if "component" in s][0]
s["code"] = s["component"][0]["code"]   # code beside components: mea-1
m["group"][0]["population"][0]["criteria"]["expression"] = ""   # ele-1
json.dump(m, open(sys.argv[2], "w"))
PY
node "$V" --group "$T"/m/*.json --group "$T/bundle.json" --group "$T/raw.json" \
    --group "$T/definitions.json" --group "$T/broken.json" > "$T/validated" 2>&1

validated "every Measure of the catalogue is valid R4" 1
validated "a Bundle of Measures and MeasureReports (2024, and 2025 without data) is valid R4" 2
validated "a Bundle without disclosure control is valid R4" 3
if res=$(python3 - "$T/bundle.json" <<'PY' 2>&1
import json, sys
b = json.load(open(sys.argv[1]))
BASE = "https://stats.example.org/fhir"
measures = {e["resource"]["url"] + "|" + e["resource"]["version"]: e
            for e in b["entry"] if e["resource"]["resourceType"] == "Measure"}
reports = [e for e in b["entry"] if e["resource"]["resourceType"] == "MeasureReport"]
assert len(measures) == 9 and reports, (len(measures), len(reports))
for e in reports:
    mr = e["resource"]
    assert mr["measure"] in measures, mr["measure"]
    assert e["fullUrl"] == BASE + "/MeasureReport/" + mr["id"], e["fullUrl"]
    assert mr["date"].endswith("Z") and mr["reporter"]["display"], mr["id"]
for k, e in measures.items():
    assert k.startswith(BASE + "/Measure/") and e["fullUrl"] == BASE + "/Measure/" + e["resource"]["id"]
print(len(reports), "reports resolve to", len(measures), "Measures")
PY
); then ok "every MeasureReport's measure resolves inside the Bundle, under canonical_base ($res)"
else not_ok "every MeasureReport's measure resolves inside the Bundle, under canonical_base" "$res"; fi

validated "the StructureDefinitions of knod's extensions are valid R4" 4
if res=$(python3 - "$T/definitions.json" "$T/bundle.json" <<'PY' 2>&1
import json, sys
defs = {e["resource"]["url"] for e in json.load(open(sys.argv[1]))["entry"]}
used = set()
def walk(x):
    if isinstance(x, dict):
        u = x.get("url")
        if isinstance(u, str) and u.startswith("https://knod.se/fhir/StructureDefinition/"):
            used.add(u)
        for v in x.values():
            walk(v)
    elif isinstance(x, list):
        for v in x:
            walk(v)
for e in json.load(open(sys.argv[2]))["entry"]:
    if e["resource"]["resourceType"] == "MeasureReport":
        walk(e["resource"])
assert used and used <= defs, (used - defs)
print(sorted(u.rsplit("/", 1)[1] for u in used))
PY
); then ok "every extension of knod's in the reports has its StructureDefinition ($res)"
else not_ok "every extension of knod's in the reports has its StructureDefinition" "$res"; fi

# --- the control: a broken Measure is refused ---------------------------------
res=$(group_out 5)
if [ -z "$res" ] || printf '%s\n' "$res" | grep -q '^group 5: [0-9]* resources, 0 errors$'; then
    not_ok "the validators refuse a broken Measure" "$res$(tail -n 5 "$T/validated")"
elif printf '%s\n' "$res" | grep -q 'mea-1' && printf '%s\n' "$res" | grep -q 'ele-1'; then
    ok "the validators refuse a broken Measure (mea-1, ele-1)"
else
    not_ok "the validators refuse a broken Measure (mea-1, ele-1)" "$res"
fi
finish
