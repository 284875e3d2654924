# tests/integration/cli_indicators_attack.sh: disclosure control over the
# whole shipped catalogue and every output format (docs/indicators.md,
# "Disclosure control"). A synthetic country small enough to have many
# small cells; one year (2024) of every indicator, with each indicator's
# own breakdowns and with `--by region,municipality,sex,band`, as CSV,
# JSON lines, Kolada, FHIR and the table; disclosure_attack.py parses each
# format on its own and checks the rule (a suppressed cell carries no
# number, in any measure of its indicator) and that no hidden count can be
# recovered by subtraction or linear algebra over the true geography.
#
# The truth (every cell without disclosure control, what the attacker does
# not see) is the release knod's under `make check` ($KNOD_RELEASE, which
# make check has just built from the same tree): a run of the whole
# catalogue by every breakdown, the same cells in both builds. Every output
# under attack is the sanitized knod's, and so is the truth when the suite
# runs alone.
. "$SRCDIR/tests/integration/lib.sh"
BULK=${KNOD_RELEASE:-$KNOD}

D="$T/store"
"$KNOD" init --dir "$D" >/dev/null 2>&1
"$KNOD" synth --persons 2000 --seed 7 --out "$D/synth" >/dev/null 2>&1
"$KNOD" import --quiet --dir "$D" "$D/synth" >/dev/null 2>&1
ALL=region,municipality,sex,band

run "$BULK" indicators run --dir "$D" --period 2024 --no-suppress --by "$ALL" --out "$T/truth.csv"
check_rc "the truth: --no-suppress --by $ALL" 0
for fmt in csv json kolada fhir table; do
    run "$KNOD" indicators run --dir "$D" --period 2024 --format "$fmt" --out "$T/default.$fmt"
    check_rc "the whole catalogue as $fmt" 0
done
run "$KNOD" indicators run --dir "$D" --period 2024 --by "$ALL" --out "$T/by.csv"
check_rc "the whole catalogue with --by $ALL" 0

if res=$(python3 "$SRCDIR/tests/integration/disclosure_attack.py" "$SRCDIR/data" \
         "$SRCDIR/data/indicators" 5 "$T/truth.csv" "$T" 2>&1); then
    ok "no hidden number shown or recoverable, in any format ($(echo "$res" | tr '\n' ' '))"
else
    not_ok "no hidden number shown or recoverable, in any format" "$res"
fi
# the bands of a standardised rate are crude rates, and say so (estimate)
if res=$(python3 - "$T" <<'PY' 2>&1
import csv, json, sys
T = sys.argv[1]
rows = list(csv.DictReader(open(f"{T}/default.csv", encoding="utf-8")))
objs = [json.loads(l) for l in open(f"{T}/default.json", encoding="utf-8")]
assert [r["estimate"] for r in rows] == [o["estimate"] for o in objs]
cell = lambda r: (r["period"], r["geo"], r["sex"], r["band"])
std = {cell(r): r for r in rows if r["indicator"] == "sh-young-rate-std" and r["measure"] == "rate"}
crude = {cell(r): r for r in rows if r["indicator"] == "sh-young-rate-std" and r["measure"] == "crude"}
assert std and std.keys() == crude.keys()
same = 0
for k, r in std.items():
    want = "standardised" if r["band"] == "all" else "crude"
    assert r["estimate"] == want, (k, r["estimate"])
    assert crude[k]["estimate"] == "crude", k
    if r["band"] != "all" and r["value"]:
        assert abs(float(r["value"]) - float(crude[k]["value"])) < 1e-9, k
        same += 1
assert same > 10, same
assert all(r["estimate"] == "" for r in rows if r["indicator"] == "ref-e")
assert all(r["estimate"] == "crude" for r in rows if r["indicator"] == "sh-young-rate"
           and r["measure"] == "rate")
print(same, "band cells equal the crude rate")
PY
); then ok "a standardised rate's bands are labelled crude, and are ($res)"
else not_ok "a standardised rate's bands are labelled crude, and are" "$res"; fi
finish
