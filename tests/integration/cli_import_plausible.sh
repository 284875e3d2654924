# tests/integration/cli_import_plausible.sh: knod import refuses the
# impossible (a clock time Swedish time skips, an end before its start, an
# event before the birth) and warns on the implausible, with the limits of
# [plausibility] in knod.ini (docs/import-format.md, Plausibility): a
# person born in 1894, an emergency visit of eleven years, a stay of four
# years, a coercive measure of a week. Warnings name file, line and field,
# are counted in the summary and listed in the report; they refuse nothing.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"
F="$T/files"
EX="$SRCDIR/data/examples"
db() { sqlite3 "$D/knod.db" "$@"; }
no_pnr() { # no_pnr NAME TEXT: none of this test's numbers is shown
    if printf '%s' "$2" | grep -Eq '9403152383|940315[-+]2383|0504202383|050420[-+]2383'; then
        not_ok "$1" "a personnummer is shown: $2"; else ok "$1"; fi
}

run "$KNOD" init --dir "$D"; check_rc "init" 0
mkdir -p "$F"
cp "$EX/units.csv" "$F/units.csv"
cat > "$F/persons.csv" <<'EOF'
source_system,source_id,pnr,municipality,death_date,death_by_suicide
t,p1,18940315-2383,0380,,
t,p2,20050420-2383,0380,,
EOF
cat > "$F/contacts.csv" <<'EOF'
source_system,source_id,pnr,unit,contact_type,start,end
t,c1,20050420-2383,SE2321000230-EX01,emergency,2013-02-01T10:00,2024-02-01T10:00
t,c2,20050420-2383,SE2321000230-EX02,inpatient,2020-01-01T10:00,2024-02-01T10:00
t,c3,20050420-2383,SE2321000230-EX02,inpatient,2024-05-01T10:00,2024-06-01T10:00
t,c4,20050420-2383,SE2321000230-EX01,emergency,2024-03-01T10:00,2024-03-01T14:00
EOF
cat > "$F/coercive_measures.csv" <<'EOF'
source_system,source_id,pnr,stay_id,measure_type,legal_basis,start,end
t,m1,20050420-2383,c3,avskiljning,LPT,2024-05-02T10:00,2024-05-09T10:00
t,m2,20050420-2383,c3,fastspanning,LPT,2024-05-10T10:00,2024-05-10T11:00
EOF

# ---- the implausible: stored, with warnings ----
run "$KNOD" import --dir "$D" --today 2024-12-31 "$F"; check_rc "an import with implausible values succeeds" 0
check_out "persons: stored, one warning counted" \
    "persons.csv: persons, 2 rows: 2 stored, 0 unchanged, 0 rejected, 1 warning in"
check_out "contacts: stored, two warnings counted" \
    "contacts.csv: contacts, 4 rows: 4 stored, 0 unchanged, 0 rejected, 2 warnings in"
check_out "coercive measures: stored, one warning counted" \
    "coercive_measures.csv: coercive_measures, 2 rows: 2 stored, 0 unchanged, 0 rejected, 1 warning in"
check_out "units: no warnings, none counted" \
    "units.csv: units, 4 rows: 4 stored, 0 unchanged, 0 rejected in"
check_err "the 1894 birth is told with file, line, field and the limit" \
    "persons.csv:2: warning: field 'pnr': the person is 130 years old on 2024-12-31 \(born 1894\).*max_age_years = 110"
check_err "the eleven-year emergency visit is told with file, line, field" \
    "contacts.csv:2: warning: field 'end': the emergency visit lasts 4017 days.*max_emergency_hours = 72"
check_err "the four-year inpatient stay is told" \
    "contacts.csv:3: warning: field 'end': the inpatient stay lasts 1492 days.*max_inpatient_days = 730"
check_err "the week-long coercive measure is told" \
    "coercive_measures.csv:2: warning: field 'end': the coercive measure lasts 7 days.*max_coercive_hours = 48"
[ "$(printf '%s\n' "$errout" | grep -c 'warning')" = 4 ] && ok "plausible rows give no warning" \
    || not_ok "plausible rows give no warning" "$errout"
[ "$(db 'SELECT count(*) FROM person') $(db 'SELECT count(*) FROM contact') $(db 'SELECT count(*) FROM coercive_measure')" = "2 4 2" ] \
    && ok "warned rows are stored" || not_ok "warned rows are stored"
no_pnr "warnings show no personnummer" "$out$errout"

# ---- the report lists warnings with line and field (--keep-valid) ----
run "$KNOD" import --dir "$D" --today 2024-12-31 --keep-valid --rejects "$T/c.csv" "$F/contacts.csv"
check_rc "a second import with --keep-valid succeeds" 0
check_out "the second import counts the warnings again" "4 unchanged, 0 rejected, 2 warnings in"
check_out "the summary names the report" "rows stored with warnings are listed in '.*c.csv'"
[ "$(grep -c '^2,"warning (row stored): field .end.: the emergency visit lasts 4017 days' "$T/c.csv")" = 1 ] \
    && ok "the report lists line 2 as a warning with its field" \
    || not_ok "the report lists line 2 as a warning with its field" "$(cat "$T/c.csv" 2>&1)"
[ "$(grep -c '^3,"warning (row stored): field .end.: the inpatient stay' "$T/c.csv")" = 1 ] \
    && ok "the report lists line 3 as a warning" || not_ok "the report lists line 3 as a warning"
[ "$(wc -l < "$T/c.csv")" = 3 ] && ok "the report holds the header and the two warned rows" \
    || not_ok "the report holds the header and the two warned rows" "$(cat "$T/c.csv")"
no_pnr "the report holds no personnummer" "$(cat "$T/c.csv")"

# ---- the limits are knod.ini's [plausibility] ----
sed -i 's/^max_age_years = 110$/max_age_years = 140/; s/^max_emergency_hours = 72$/max_emergency_hours = 200000/' "$D/knod.ini"
run "$KNOD" import --dir "$D" --today 2024-12-31 "$F/persons.csv" "$F/contacts.csv"
check_rc "an import under raised limits succeeds" 0
check_out "a raised max_age_years: no warning for persons" \
    "persons.csv: persons, 2 rows: 0 stored, 2 unchanged, 0 rejected in"
check_out "a raised max_emergency_hours: one warning left (the stay)" \
    "contacts.csv: contacts, 4 rows: 0 stored, 4 unchanged, 0 rejected, 1 warning in"
sed -i 's/^max_inpatient_days = 730$/max_inpatient_days = 10 days/' "$D/knod.ini"
run "$KNOD" import --dir "$D" --today 2024-12-31 "$F/contacts.csv"
check_rc "a bad limit in knod.ini is an input error" 1
check_err "the bad limit is named with file, line and key" \
    "knod.ini:[0-9]+: setting 'max_inpatient_days' in \[plausibility\] has a bad value"
sed -i 's/^max_inpatient_days = 10 days$/max_inpatient_days = 730/; s/^max_emergency_hours = 200000$/max_emergency_hours = 72/' "$D/knod.ini"

# ---- the impossible: refused, naming file, line and field ----
cat > "$T/bad.csv" <<'EOF'
source_system,source_id,pnr,unit,contact_type,start,end
t,x1,20050420-2383,SE2321000230-EX01,emergency,2024-03-31T02:30,2024-03-31T05:00
t,x2,20050420-2383,SE2321000230-EX01,emergency,2024-03-01T10:00,2024-03-01T09:00
t,x3,20050420-2383,SE2321000230-EX01,emergency,2005-04-19T10:00,2005-04-19T12:00
t,x4,20050420-2383,SE2321000230-EX01,emergency,2024-10-27T02:30,2024-10-27T05:00
EOF
run "$KNOD" import --dir "$D" --today 2024-12-31 --kind contacts "$T/bad.csv"
check_rc "a file with impossible values is rejected" 1
check_err "02:30 on 2024-03-31 is refused with file, line and field" \
    "bad.csv:2: field 'start': '2024-03-31T02:30': does not exist in Swedish time"
check_err "an end before its start is refused" "bad.csv:3: field 'end': lies before 'start'"
check_err "a visit before the person's birth is refused" \
    "bad.csv:4: field 'start': lies before the person's birth"
if printf '%s\n' "$errout" | grep -q 'bad.csv:5'; then
    not_ok "02:30 on the autumn night exists (the hour repeats)" "$errout"
else ok "02:30 on the autumn night exists (the hour repeats)"; fi
[ "$(db "SELECT count(*) FROM contact WHERE source_id LIKE 'x%'")" = 0 ] \
    && ok "nothing of the rejected file is stored" || not_ok "nothing of the rejected file is stored"

# ---- FHIR: the same warning, with the resource and its FHIR path ----
cat > "$T/Patient.ndjson" <<'EOF'
{"resourceType":"Patient","id":"q1","identifier":[{"system":"http://electronichealth.se/identifier/personnummer","value":"200504202383"}],"extension":[{"url":"https://knod.se/fhir/StructureDefinition/municipality","valueCode":"0380"}]}
EOF
cat > "$T/Encounter.ndjson" <<'EOF'
{"resourceType":"Encounter","id":"e1","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"EMER"},"subject":{"reference":"Patient/q1"},"period":{"start":"2013-02-01T10:00:00+01:00","end":"2024-02-01T10:00:00+01:00"},"serviceProvider":{"identifier":{"value":"SE2321000230-EX01"}}}
{"resourceType":"Encounter","id":"e2","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"EMER"},"subject":{"reference":"Patient/q1"},"period":{"start":"2024-02-01T10:00:00+01:00","end":"2024-02-01T12:00:00+01:00"},"serviceProvider":{"identifier":{"value":"SE2321000230-EX01"}}}
EOF
run "$KNOD" import --dir "$D" --today 2024-12-31 --source f --keep-valid --rejects "$T/f.ndjson" \
    "$T/Patient.ndjson" "$T/Encounter.ndjson"
check_rc "a FHIR import with an implausible Encounter succeeds" 0
check_out "the FHIR summary counts the warning" "0 rejected, 0 merged, 0 skipped, 1 warning \\(3 records\\)"
check_err "the FHIR warning names the resource and its path" \
    "Encounter.ndjson:1: Encounter/e1 \(period.end\): warning: field 'end': the emergency visit lasts 4017 days"
[ "$(grep -c '"_warning"' "$T/f.ndjson") $(grep -c '"_error"' "$T/f.ndjson")" = "1 0" ] \
    && ok "the FHIR report lists the warned resource under _warning" \
    || not_ok "the FHIR report lists the warned resource under _warning" "$(cat "$T/f.ndjson" 2>&1)"
[ "$(db "SELECT count(*) FROM contact WHERE source_system = 'f'")" = 2 ] \
    && ok "the warned Encounter is stored" || not_ok "the warned Encounter is stored"
no_pnr "the FHIR warning and report show no personnummer" "$errout$(cat "$T/f.ndjson")"

finish
