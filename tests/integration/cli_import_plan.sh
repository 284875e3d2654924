# tests/integration/cli_import_plan.sh: which files `knod import` imports and
# in which order (src/cli/cli_import_plan.c): every entry of a folder is
# imported or named, CSV files named together are imported in the kinds'
# order, a failed file names the files not attempted, --continue, the cap
# on the rejected rows shown, and a record repeated within a file.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"
EX="$SRCDIR/data/examples"
db() { sqlite3 "$D/knod.db" "$@"; }
total() {
    db "SELECT (SELECT count(*) FROM care_unit) + (SELECT count(*) FROM person)
        + (SELECT count(*) FROM contact) + (SELECT count(*) FROM self_harm_act)
        + (SELECT count(*) FROM coercive_measure) + (SELECT count(*) FROM assessment)
        + (SELECT count(*) FROM care_plan) + (SELECT count(*) FROM treatment)
        + (SELECT count(*) FROM follow_up) + (SELECT count(*) FROM pathway_step)"
}
run "$KNOD" init --dir "$D"; check_rc "init" 0
TODAY="--today 2026-11-23"

# ---- a folder with misnamed files ----
mkdir -p "$T/mis"
cp "$EX"/*.csv "$T/mis/"
mv "$T/mis/contacts.csv" "$T/mis/contacts_2023.csv"
mv "$T/mis/self_harm.csv" "$T/mis/self-harm.csv"
echo notes > "$T/mis/README.txt"
mkdir "$T/mis/old"
run "$KNOD" import --dir "$D" $TODAY "$T/mis"
check_rc "a folder with a CSV file not named after a kind exits 1" 1
check_err "contacts_2023.csv is named with the nearest kind" \
    "'[^']*/contacts_2023.csv': .*did you mean 'contacts.csv'"
check_err "self-harm.csv is named with the nearest kind" \
    "'[^']*/self-harm.csv': .*did you mean 'self_harm.csv'"
check_err "a file that is not CSV is named in a warning" "warning: '[^']*/README.txt' is not imported"
check_err "a subfolder is named in a warning" "warning: '[^']*/old' is not imported"
[ "$(total)" = 0 ] && ok "nothing of a folder with a misnamed file is stored" \
    || not_ok "nothing of a folder with a misnamed file is stored" "$(total) rows"
printf '%s\n' "$errout" | grep -E "error: '[^']*/(units|persons|assessments).csv'" >/dev/null \
    && not_ok "well-named files are not errors" "$errout" || ok "well-named files are not errors"

# ---- CSV files named in any order ----
run "$KNOD" import --dir "$D" $TODAY --quiet "$EX/assessments.csv" "$EX/care_plans.csv" \
    "$EX/coercive_measures.csv" "$EX/contacts.csv" "$EX/follow_ups.csv" "$EX/pathway_steps.csv" \
    "$EX/persons.csv" "$EX/self_harm.csv" "$EX/treatments.csv" "$EX/units.csv"
check_rc "files named in glob order are imported" 0
[ "$(total)" = 30 ] && ok "every file's rows are stored" || not_ok "every file's rows are stored" "$(total)"
first=$(printf '%s\n' "$out" | head -n 2 | sed 's/:.*//;s|.*/||' | tr '\n' ' ')
[ "$first" = "units.csv persons.csv " ] && ok "units and persons are imported first" \
    || not_ok "units and persons are imported first" "$out"
[ -z "$errout" ] && ok "no file is rejected" || not_ok "no file is rejected" "$errout"

# ---- the rejected rows shown are capped, with a count ----
{
    head -n 1 "$EX/contacts.csv"
    for i in $(seq 1 35); do
        echo "example,x$i,20060709-2384,NOPE,emergency,2023-03-04T22:10,,,,,,"
    done
} > "$T/contacts.csv"
run "$KNOD" import --dir "$D" $TODAY --quiet --keep-valid "$T/contacts.csv"
[ "$(printf '%s\n' "$errout" | grep -c "^contacts.csv:[0-9]*: ")" = 20 ] \
    && ok "20 rejected rows are shown" || not_ok "20 rejected rows are shown" "$errout"
check_err "the rest are counted and found in the reject report" \
    "^\.\.\. and 15 more errors in '[^']*contacts.csv'; all are in the reject report '[^']*contacts.csv.rejects.csv'"
run "$KNOD" import --dir "$D" $TODAY --quiet "$T/contacts.csv"
check_err "without --keep-valid the count says how to get them all" \
    "^\.\.\. and 15 more errors in '[^']*contacts.csv' \(--keep-valid writes"

# ---- a failed file in a folder: what was not attempted, --continue ----
D="$T/site2"
run "$KNOD" init --dir "$D"; check_rc "init of a second store" 0
mkdir -p "$T/fail"
for k in units persons contacts self_harm care_plans treatments follow_ups; do
    sed 's/^example,/f,/' "$EX/$k.csv" > "$T/fail/$k.csv"
done
echo "f,cbad,20060709-2384,NOPE,emergency,2023-03-04T22:10,,,,,," >> "$T/fail/contacts.csv"
run "$KNOD" import --dir "$D" $TODAY --quiet "$T/fail"
check_rc "a folder with a rejected file exits 1" 1
check_err "the files after it are named as not attempted" \
    "not attempted after '[^']*/contacts.csv' failed: '[^']*/self_harm.csv', '[^']*/care_plans.csv', '[^']*/treatments.csv', '[^']*/follow_ups.csv'"
check_err "--continue is offered" "--continue imports the files that do not depend"
[ "$(db "SELECT count(*) FROM care_plan WHERE source_system = 'f'")" = 0 ] \
    && ok "without --continue nothing after the failed file is stored" \
    || not_ok "without --continue nothing after the failed file is stored"
run "$KNOD" import --dir "$D" $TODAY --quiet --continue "$T/fail"
check_rc "--continue still exits 1" 1
check_out "--continue imports care_plans, which needs only persons" "care_plans.csv: care_plans, 2 rows: 2 stored"
check_out "--continue imports treatments" "treatments.csv: treatments, 2 rows: 2 stored"
check_err "--continue names self_harm, which refers to contacts" \
    "not attempted: '[^']*/self_harm.csv' .*contacts.csv', which failed"
check_err "--continue names follow_ups" "not attempted: '[^']*/follow_ups.csv'"
[ "$(db "SELECT count(*) FROM self_harm_act WHERE source_system = 'f'")" = 0 ] \
    && ok "--continue skips self_harm" || not_ok "--continue skips self_harm"
[ "$(db "SELECT count(*) FROM care_plan WHERE source_system = 'f'")" = 2 ] \
    && ok "--continue stores care_plans" || not_ok "--continue stores care_plans"
[ -z "$(db 'PRAGMA foreign_key_check')" ] && ok "foreign_key_check finds nothing" \
    || not_ok "foreign_key_check finds nothing" "$(db 'PRAGMA foreign_key_check')"

# ---- a record repeated within one file ----
mkdir -p "$T/rep"
cat > "$T/rep/care_plans.csv" <<'EOF'
source_system,source_id,pnr,time,plan_type
r,k1,20060709-2384,2023-03-10,crisis_plan
r,k1,20060709-2384,2023-03-10,crisis_plan
r,k2,20060709-2384,2023-03-10,sip
r,k2,20060709-2384,2023-03-11,care_plan
EOF
run "$KNOD" import --dir "$D" $TODAY --quiet "$T/rep/care_plans.csv"
check_rc "a record repeated with other contents rejects the file" 1
check_err "the conflict names both lines" \
    "^care_plans.csv:5: record 'k2' repeats line 4 with different contents \(lines 4 and 5\)"
run "$KNOD" import --dir "$D" $TODAY --quiet --keep-valid "$T/rep/care_plans.csv"
check_rc "--keep-valid stores the rest" 0
check_out "the summary counts the equal repeat and the conflict" \
    "care_plans, 4 rows: 2 stored, 0 unchanged, 1 repeated, 1 rejected"
[ "$(db "SELECT plan_type FROM care_plan WHERE source_system = 'r' AND source_id = 'k2'")" = sip ] \
    && ok "the earlier row of the conflict stands" || not_ok "the earlier row of the conflict stands"
run "$KNOD" import --dir "$D" $TODAY --quiet --keep-valid "$T/rep/care_plans.csv"
check_out "a re-import stores nothing" "care_plans, 4 rows: 0 stored, 2 unchanged, 1 repeated, 1 rejected"

finish
