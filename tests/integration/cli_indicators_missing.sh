# tests/integration/cli_indicators_missing.sh: a year that holds none of
# the data is missing, not zero, in CSV and JSON (and so in the portal's
# API, which serves eng_row_json()): every number empty (null), status
# "missing", as Kolada says "missing" and FHIR "unknown"; a year with data
# keeps its numbers and its target status.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/k"
"$KNOD" init --dir "$D" >/dev/null 2>&1
"$KNOD" synth --persons 2000 --seed 9 --out "$D/synth" >/dev/null 2>&1   # 2020-2024
"$KNOD" import --quiet --dir "$D" "$D/synth" >/dev/null 2>&1
ID=adm-sh-young-rate

run "$KNOD" indicators run --dir "$D" --id "$ID" --period 2019-2020 --format csv --out "$T/r.csv"
check_rc "a run over 2019 (no data) and 2020" 0
run "$KNOD" indicators run --dir "$D" --id "$ID" --period 2019-2020 --format json --out "$T/r.json"
check_rc "the same as JSON" 0
if cmpout=$(python3 - "$T/r.csv" "$T/r.json" <<'PY'
import csv, json, sys
NUMS = ["numerator", "denominator", "value", "lower_95", "upper_95", "lower_99_8",
        "upper_99_8", "funnel_lower_95", "funnel_upper_95", "funnel_lower_99_8",
        "funnel_upper_99_8", "population_year"]
csv_rows = list(csv.DictReader(open(sys.argv[1])))
json_rows = [json.loads(l) for l in open(sys.argv[2])]
assert len(csv_rows) == len(json_rows) > 0
seen = {"2019": 0, "2020": 0}
for c, j in zip(csv_rows, json_rows):
    seen[c["period"]] += 1
    if c["period"] == "2019":
        assert c["status"] == "missing" and j["status"] == "missing", (c, j)
        assert all(c[k] == "" for k in NUMS), c
        assert all(j[k] is None for k in NUMS), j
        assert c["suppressed"] == "0" and j["suppressed"] is False
        assert c["reason"] == "" and c["funnel"] == ""
    else:
        assert c["status"] != "missing" and j["status"] != "missing", (c, j)
        if c["geo_level"] != "municipality":
            assert c["population_year"] == "2025" and j["population_year"] == 2025, c
        if c["suppressed"] == "0":
            assert c["value"] != "" and j["value"] is not None, c
assert seen["2019"] > 0 and seen["2019"] == seen["2020"], seen
PY
); then ok "2019 is missing in every row (CSV and JSON), 2020 has its numbers"; else
    not_ok "2019 is missing in every row (CSV and JSON), 2020 has its numbers" "$cmpout"; fi

run "$KNOD" indicators run --dir "$D" --id "$ID" --period 2019 --format table
check_rc "the table" 0
check_out "the table says missing, not 0.0" "\\(saknas\\)"
if printf '%s\n' "$out" | grep -q ' 0\.0 '; then
    not_ok "the table shows no 0.0 for 2019" "$out"
else ok "the table shows no 0.0 for 2019"; fi

run "$KNOD" indicators run --dir "$D" --id "$ID" --period 2019 --format kolada
check_out "Kolada agrees: missing" '"status": *"missing"'
finish
