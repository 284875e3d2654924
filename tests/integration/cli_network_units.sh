# tests/integration/cli_network_units.sh: knod unit, the inventory of
# units, municipal services and NHV clinics, with history ("as of").
. "$SRCDIR/tests/integration/lib.sh"

"$KNOD" init --dir "$T/k" >/dev/null 2>&1
export KNOD_DIR="$T/k"
"$KNOD" import "$SRCDIR/data/examples/units.csv" >/dev/null 2>&1

U=SE2321000230-EX02   # BUP heldygnsvård Uppsala, from the registry's units
run "$KNOD" unit add $U --ages 0-17 --staff 40 --trained-bemotande 30 --trained-dbt 12 \
    --offers dbt,family-therapy --brief-admission yes --waiting-days 21 --as-of 2025-01-01
check_rc "a registry unit's resources" 0
run "$KNOD" unit add $U --ages 0-17 --name "Annat namn"
check_err "the registry gives a unit's name" "--name: unit '$U' is in the registry already"
run "$KNOD" unit add soc-uppsala --name "Socialtjänsten Uppsala, ungdom" --region 03 \
    --type municipal --setting outpatient --ages 12-20 --as-of 2025-01-01
check_rc "a municipal service the registry lacks" 0
[ "$(sqlite3 "$T/k/knod.db" "SELECT source_system FROM care_unit WHERE code = 'soc-uppsala'")" = network ] \
    && ok "... is added to the registry's units, once" || not_ok "... is added to the registry's units"
run "$KNOD" unit add nhv-lund --name "NHV Lund" --region 12 --type nhv --setting outpatient \
    --ages 13-25 --catchment 12,07,08,10 --nhv-offers consultation,assessment,treatment \
    --placed-access yes --sis-access yes --as-of 2025-02-01
check_rc "an NHV clinic with catchment and access for placed children" 0
run "$KNOD" unit add bup-y --name "BUP Y" --region 03 --type bup --setting outpatient \
    --ages 6-17 --sis-access yes
check_err "SiS access is for NHV clinics" "^knod: error: --sis-access: for an NHV clinic"
run "$KNOD" unit add bup-y --name "BUP Y" --region 03 --type bup --setting outpatient --ages 17-6
check_err "bad ages" "^knod: error: --ages: "
run "$KNOD" unit add bup-y --name "BUP Y" --region 03 --type bup --setting outpatient \
    --ages 6-17 --note "Kontakt 19121212-1212"
check_rc "a note with a personnummer is refused" 1
if printf '%s' "$errout" | grep -q 1212; then not_ok "... without echoing it" "$errout"; else ok "... without echoing it"; fi

run "$KNOD" unit update $U --as-of 2025-06-01 --waiting-days 45
check_rc "update: a new version" 0
run "$KNOD" unit update $U --as-of 2025-05-01 --waiting-days 10
check_err "an update before the current version is refused" "must be after the current version's day \(2025-06-01\)"
run "$KNOD" unit update $U --waiting-days 10
check_rc "update without --as-of is a usage error" 2

run "$KNOD" unit list --as-of 2025-03-01 --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
u = {x["code"]: x for x in json.load(sys.stdin)}
assert sorted(u) == ["SE2321000230-EX02", "nhv-lund", "soc-uppsala"], sorted(u)
assert u["SE2321000230-EX02"]["waiting_days"] == 21, u
assert u["SE2321000230-EX02"]["name"] == "BUP heldygnsvård Uppsala"
n = u["nhv-lund"]
assert n["catchment"] == "12,07,08,10" and n["placed_access"] == 1 and n["sis_access"] == 1, n
assert u["soc-uppsala"]["staff"] is None
'; then ok "list as of March: the first version"; else not_ok "list as of March" "$out"; fi
run "$KNOD" unit list --as-of 2025-07-01 --region 03 --format csv
printf '%s\n' "$out" > "$T/u.csv"
if python3 - "$T/u.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert [r["code"] for r in rows] == ["SE2321000230-EX02", "soc-uppsala"], rows
assert rows[0]["waiting_days"] == "45" and rows[0]["trained_dbt"] == "12" and rows[0]["offers"] == "dbt,family-therapy", rows[0]
PY
then ok "list as of July in region 03: the update, the rest carried over"; else not_ok "list as of July" "$out"; fi
run "$KNOD" unit list --as-of 2024-12-31
[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && ok "before the first version: nothing" || not_ok "before the first version" "$out"
run "$KNOD" unit history $U --format csv
[ "$(printf '%s\n' "$out" | wc -l)" = 3 ] && ok "history: both versions" || not_ok "history" "$out"
for c in node group member unit; do
    run "$KNOD" $c --help
    if [ "$rc" = 0 ] && [ -z "$errout" ] && printf '%s\n' "$out" | grep -q "^usage: knod $c "; then
        ok "knod $c --help prints the usage and nothing else"
    else not_ok "knod $c --help" "rc=$rc $errout"; fi
done
run "$KNOD" unit list --region 99
check_err "an unknown region" "--region: '99' is not a region code"
finish
