# tests/integration/cli_import_fhir.sh: knod import of FHIR R4 (src/cli/cmd_import.c,
# src/registry/reg_fhir*.c): a Bundle and a Bulk Data export, the same records as
# the CSV examples, re-import, bad and malformed files, --keep-valid and its
# reject file, --format, --source, usage errors; no personnummer anywhere.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"
FX="$SRCDIR/tests/data/fhir"
db() { sqlite3 "$D/knod.db" "$@"; }
counts() { # counts DIR: rows of every registry table, in import order
    sqlite3 "$1/knod.db" "SELECT (SELECT count(*) FROM care_unit) || ' ' || (SELECT count(*) FROM person)
        || ' ' || (SELECT count(*) FROM contact) || ' ' || (SELECT count(*) FROM self_harm_act)
        || ' ' || (SELECT count(*) FROM coercive_measure) || ' ' || (SELECT count(*) FROM assessment)
        || ' ' || (SELECT count(*) FROM care_plan) || ' ' || (SELECT count(*) FROM treatment)
        || ' ' || (SELECT count(*) FROM follow_up) || ' ' || (SELECT count(*) FROM pathway_step)"
}
PNR_RE='0607092384|060709[-+]2384|0306062381|030606[-+]2381|0802122390|080212[-+]2390|1701012393|170101[-+]2393'
no_pnr() { # no_pnr NAME TEXT
    if printf '%s' "$2" | grep -Eq "$PNR_RE"; then
        not_ok "$1" "a personnummer is shown: $2"; else ok "$1"; fi
}
no_pnr_file() { # no_pnr_file NAME FILE...: the raw bytes
    local name=$1; shift
    if cat "$@" 2>/dev/null | grep -aEq "$PNR_RE"; then not_ok "$name" "found in $*"; else ok "$name"; fi
}

run "$KNOD" import --help; check_rc "import --help" 0
check_out "help names --format" "--format F +csv or fhir"
check_out "help names --source" "--source NAME"

run "$KNOD" init --dir "$D"; check_rc "init" 0

# ---- a Bundle ----
run "$KNOD" import --dir "$D" --today 2026-11-23 --source example "$FX/examples.json"
check_rc "the example Bundle is imported" 0
check_out "its summary: every resource counted once" "examples.json: fhir, 37 resources: 29 stored, 0 unchanged, 0 rejected, 5 merged, 3 skipped \(30 records\)"
check_out "merged Conditions are counted" "5 Conditions became diagnoses or causes"
check_out "unknown types are counted and named" "skipped 1 resources of types knod does not map \(Practitioner\)"
[ "$(counts "$D")" = "4 4 5 3 3 2 2 2 2 3" ] && ok "every table holds the example records" \
    || not_ok "every table holds the example records" "$(counts "$D")"
[ -z "$(db 'PRAGMA foreign_key_check')" ] && ok "foreign_key_check finds nothing" \
    || not_ok "foreign_key_check finds nothing" "$(db 'PRAGMA foreign_key_check')"
[ "$(db "SELECT kind || ' ' || format || ' ' || rows_stored FROM import_run")" = "fhir fhir 30" ] \
    && ok "the run is logged as fhir" || not_ok "the run is logged as fhir" "$(db 'SELECT * FROM import_run')"
no_pnr "the output shows no personnummer" "$out$errout"

run "$KNOD" import --dir "$D" --today 2026-11-23 --source example "$FX/examples.json"
check_rc "a second import succeeds" 0
check_out "and changes nothing" "37 resources: 0 stored, 29 unchanged, 0 rejected, 5 merged, 3 skipped \(30 records\)"

# The same records as the CSV examples (under the same key).
C="$T/csv"
"$KNOD" init --dir "$C" --key "$D/knod.key" >/dev/null 2>&1
run "$KNOD" import --dir "$C" --today 2026-11-23 --quiet "$SRCDIR/data/examples"
check_rc "the CSV examples are imported beside" 0
q="SELECT p.pseudonym, u.code, c.contact_type, c.start_time, c.end_time, c.legal_basis,
   c.brief_admission, c.main_diagnosis, c.other_diagnoses, c.cause_code, c.source_id
   FROM contact c JOIN person p ON p.id = c.person_id JOIN care_unit u ON u.id = c.unit_id
   ORDER BY c.source_id;
   SELECT m.source_id, m.measure_type, m.legal_basis, m.decision_time, m.start_time, m.end_time,
   (SELECT source_id FROM coercive_measure e WHERE e.id = m.extends_id)
   FROM coercive_measure m ORDER BY m.source_id;
   SELECT pathway, step, step_time FROM pathway_step ORDER BY 1, 2, 3;"
a=$(db "$q"); b=$(sqlite3 "$C/knod.db" "$q")
[ -n "$a" ] && [ "$a" = "$b" ] && ok "contacts, measures and pathway steps equal the CSV ones" \
    || not_ok "contacts, measures and pathway steps equal the CSV ones" "$(diff <(echo "$a") <(echo "$b"))"

# --format fhir for any name; without --source the source system is "fhir".
cp "$FX/examples.json" "$T/export.txt"
run "$KNOD" import --dir "$D" --today 2026-11-23 --format fhir --source example "$T/export.txt"
check_rc "--format fhir reads a .txt file" 0
check_out "as the same records" "0 stored, 29 unchanged"
F="$T/fhirsrc"
"$KNOD" init --dir "$F" >/dev/null 2>&1
run "$KNOD" import --dir "$F" --today 2026-11-23 --format fhir "$T/export.txt"
check_rc "the same file without --source" 0
[ "$(sqlite3 "$F/knod.db" "SELECT count(*) FROM contact WHERE source_system = 'fhir'")" = 5 ] \
    && ok "resources without meta.source get the default source fhir" \
    || not_ok "resources without meta.source get the default source fhir"

# ---- a Bulk Data export: one NDJSON file per type, as one import ----
B="$T/bulk"
"$KNOD" init --dir "$B" >/dev/null 2>&1
run "$KNOD" import --dir "$B" --today 2026-11-23 "$FX/bulk/Encounter.ndjson"
check_rc "Encounter.ndjson alone is rejected" 1
check_err "its Patient is not there" "Encounter.ndjson:1: Encounter/b-e1 \(subject\): 'Patient/b1' is not in the input"
check_err "nothing was stored" "was rejected: 3 of 3 rows were rejected; nothing was stored"
run "$KNOD" import --dir "$B" --today 2026-11-23 "$FX"/bulk/*.ndjson
check_rc "the five files together are imported" 0
check_out "as one import" "Condition.ndjson \(\+4 more\): fhir, 12 resources: 11 stored, 0 unchanged, 0 rejected, 1 merged, 0 skipped \(11 records\)"
[ "$(counts "$B")" = "2 3 3 2 1 0 0 0 0 0" ] && ok "units, persons, contacts, acts, a measure" \
    || not_ok "units, persons, contacts, acts, a measure" "$(counts "$B")"
[ "$(sqlite3 "$B/knod.db" "SELECT DISTINCT source_system FROM contact")" = \
  "https://journal.region-uppsala.example/fhir" ] && ok "meta.source without #... is the source" \
    || not_ok "meta.source without #... is the source"
[ "$(sqlite3 "$B/knod.db" "SELECT death_by_suicide FROM person WHERE source_id = 'b3'")" = 1 ] \
    && ok "death by suicide from the extension" || not_ok "death by suicide from the extension"

# ---- several files with --keep-valid: counts that add up, reject files per input ----
# Every summary line (the import's, then one per file) must read
# "N resources: S stored, U unchanged[, P repeated], R rejected, M merged, K skipped"
# with N = S + U + P + R + M + K.
adds_up() { # adds_up NAME TEXT: every counts line of TEXT adds up
    local bad
    bad=$(printf '%s\n' "$1" | python3 -c '
import re, sys
for line in sys.stdin:
    m = re.search(r"(\d+) resources: (.*?)(?: \(| in |$)", line)
    if not m:
        continue
    parts = dict((k, int(v)) for v, k in re.findall(r"(\d+) (stored|unchanged|repeated|rejected|merged|skipped)", m.group(2)))
    if sum(parts.values()) != int(m.group(1)) or len(parts) < 5:
        print(line.strip())
')
    [ -z "$bad" ]
}
MB="$T/multi"
mkdir -p "$MB"
cp "$FX"/bulk/*.ndjson "$MB/"
python3 - "$MB/Encounter.ndjson" <<'EOF'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
r = json.loads(lines[0])
r["period"]["start"] = "2023-13-01T00:00:00Z"
lines[0] = json.dumps(r)
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines) + "\n")
EOF
MS="$T/multistore"
"$KNOD" init --dir "$MS" >/dev/null 2>&1
run "$KNOD" import --dir "$MS" --today 2026-11-23 --keep-valid "$MB"/*.ndjson
check_rc "several FHIR files with a bad Encounter and --keep-valid" 0
check_out "the import's counts: 12 resources, by what became of each" \
    "Condition.ndjson \(\+4 more\): fhir, 12 resources: 9 stored, 0 unchanged, 2 rejected, 1 merged, 0 skipped"
check_out "a counts line per file (Encounter.ndjson)" \
    "multi/Encounter.ndjson: 3 resources: 2 stored, 0 unchanged, 1 rejected, 0 merged, 0 skipped"
check_out "a counts line per file (Condition.ndjson: the act of the bad visit is rejected)" \
    "multi/Condition.ndjson: 3 resources: 1 stored, 0 unchanged, 1 rejected, 1 merged, 0 skipped"
[ "$(printf '%s\n' "$out" | grep -c ' resources: ')" = 6 ] && ok "one counts line for the import and one per file" \
    || not_ok "one counts line for the import and one per file" "$out"
if adds_up "$out"; then ok "every counts line adds up"; else not_ok "every counts line adds up" "$out"; fi
[ "$(wc -l < "$MB/Encounter.ndjson.rejects.ndjson") $(wc -l < "$MB/Condition.ndjson.rejects.ndjson") $(wc -c < "$MB/Patient.ndjson.rejects.ndjson")" = "1 1 0" ] \
    && ok "each input has its own reject file, holding its own rejects" \
    || not_ok "each input has its own reject file, holding its own rejects" "$(ls -l "$MB")"
check_out "the summary names each reject file that holds rejects" \
    "multi/Encounter.ndjson: rejected resources written to '.*multi/Encounter.ndjson.rejects.ndjson'"
run "$KNOD" import --dir "$MS" --today 2026-11-23 --keep-valid --rejects "$T/multi.rejects" "$MB"/*.ndjson
check_rc "--rejects is accepted with several FHIR files" 0
check_err "knod's reject reports among the inputs are left out, with a warning" \
    "warning: '.*Encounter.ndjson.rejects.ndjson' is a reject report of knod; it is left out"
check_out "the second run counts the same 12 resources" \
    "fhir, 12 resources: 0 stored, 9 unchanged, 2 rejected, 1 merged, 0 skipped"
if adds_up "$out"; then ok "the second run's counts add up"; else not_ok "the second run's counts add up" "$out"; fi
if python3 - "$T/multi.rejects" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
files = sorted(r["_file"] for r in rows)
assert files == ["Condition.ndjson", "Encounter.ndjson"], files
for r in rows:
    assert r["_error"].startswith(r["_file"] + ":"), r["_error"]
EOF
then ok "the one report names the input file of each line (_file)"
else not_ok "the one report names the input file of each line (_file)" "$(cat "$T/multi.rejects")"; fi
no_pnr_file "the reject files hold no personnummer" "$T/multi.rejects" "$MB"/*.rejects.ndjson

# ---- bad files ----
python3 - "$FX/examples.json" "$T" <<'EOF'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
bad = text.replace('"2023-03-05T03:00:00+01:00"', '"2023-13-05T03:00:00+01:00"', 1)
open(sys.argv[2] + "/bad.json", "w", encoding="utf-8").write(bad)
open(sys.argv[2] + "/mal.json", "w").write('{\n  "resourceType": "Bundle",\n  "type": "collection"\n  "entry": []\n}\n')
EOF
E="$T/empty"
"$KNOD" init --dir "$E" >/dev/null 2>&1
run "$KNOD" import --dir "$E" --today 2026-11-23 "$T/bad.json"
check_rc "a bundle with a bad resource is rejected" 1
check_err "the error names entry, resource, path and field" \
    "bad.json: entry\[1\] Encounter/c2 \(period.start\): field 'start': "
check_err "what refers to it is rejected too" "entry\[20\] Procedure/m1 \(encounter\): field 'stay_id'"
[ "$(counts "$E")" = "0 0 0 0 0 0 0 0 0 0" ] && ok "nothing from the bundle was stored" \
    || not_ok "nothing from the bundle was stored" "$(counts "$E")"
no_pnr "the errors show no personnummer" "$out$errout"

run "$KNOD" import --dir "$E" --today 2026-11-23 --keep-valid "$T/bad.json"
check_rc "--keep-valid stores the valid resources" 0
check_out "and counts the rejected ones" "37 resources: 24 stored, 0 unchanged, 5 rejected, 5 merged, 3 skipped"
check_out "and names the reject file" "rejected resources written to '.*bad.json.rejects.ndjson'"
[ "$(counts "$E")" = "4 4 4 3 0 2 2 2 1 3" ] && ok "all but the stay and what needs it" \
    || not_ok "all but the stay and what needs it" "$(counts "$E")"
[ "$(wc -l < "$T/bad.json.rejects.ndjson")" = 5 ] && ok "the reject file has five resources" \
    || not_ok "the reject file has five resources" "$(cat "$T/bad.json.rejects.ndjson")"
if python3 - "$T/bad.json.rejects.ndjson" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert all("_error" in r and r.get("resourceType") for r in rows)
assert "Encounter/c2 (period.start): field 'start'" in rows[0]["_error"], rows[0]["_error"]
EOF
then ok "each line is the resource with its _error"; else not_ok "each line is the resource with its _error"; fi
[ "$(stat -c %a "$T/bad.json.rejects.ndjson")" = 600 ] && ok "the reject file is mode 0600" \
    || not_ok "the reject file is mode 0600" "$(stat -c %a "$T/bad.json.rejects.ndjson")"

# A rejected Patient: its personnummer must not reach the reject file.
python3 - "$FX/examples.json" "$T/badp.json" <<'EOF'
import json, sys
b = json.load(open(sys.argv[1], encoding="utf-8"))
for e in b["entry"]:
    r = e["resource"]
    if r["resourceType"] == "Patient":
        r["extension"][0]["valueCode"] = "9999"
        r.setdefault("text", {"status": "generated", "div": "<div>Pnr %s</div>" % r["identifier"][0]["value"]})
json.dump(b, open(sys.argv[2], "w", encoding="utf-8"))
EOF
P="$T/p"
"$KNOD" init --dir "$P" >/dev/null 2>&1
run "$KNOD" import --dir "$P" --today 2026-11-23 --keep-valid --rejects "$T/p.rejects" "$T/badp.json"
check_rc "bad Patients with --keep-valid" 0
check_err "their municipality is named" "Patient/p1 \(extension\(municipality\)\): field 'municipality': '9999'"
[ "$(grep -c '"resourceType":"Patient"' "$T/p.rejects")" = 4 ] && ok "the four Patients are in the reject file" \
    || not_ok "the four Patients are in the reject file" "$(head -c 600 "$T/p.rejects")"
no_pnr_file "the reject file holds no personnummer (identifier or text)" "$T/p.rejects"
no_pnr "the messages hold no personnummer" "$out$errout"
before=$(sha256sum < "$T/p.rejects")
run "$KNOD" import --dir "$P" --today 2026-11-23 --keep-valid --rejects "$T/p.rejects" "$T/badp.json"
check_rc "an existing FHIR --rejects FILE is refused" 1
[ "$before" = "$(sha256sum < "$T/p.rejects")" ] && ok "the refused FHIR reject file is unchanged" \
    || not_ok "the refused FHIR reject file is unchanged"
run "$KNOD" import --dir "$P" --today 2026-11-23 --keep-valid --force --rejects /dev/null "$T/badp.json"
check_rc "a FHIR --rejects device is refused" 1
run "$KNOD" import --dir "$P" --today 2026-11-23 --keep-valid --force --rejects "$T/p.rejects" "$T/badp.json"
check_rc "--force replaces the FHIR reject file" 0
[ "$(grep -c '"resourceType":"Patient"' "$T/p.rejects")" = 4 ] && ok "the replaced FHIR reject file holds this run's rejects" \
    || not_ok "the replaced FHIR reject file holds this run's rejects"

run "$KNOD" import --dir "$E" "$T/mal.json"
check_rc "malformed JSON is rejected" 1
check_err "with file, line and column" "mal.json:4:9: malformed JSON"

# ---- usage ----
run "$KNOD" import --dir "$D" --kind contacts "$FX/examples.json"
check_rc "--kind with a FHIR file is a usage error" 2
run "$KNOD" import --dir "$D" --format xml "$FX/examples.json"
check_rc "an unknown --format is a usage error" 2
check_err "and says which formats there are" "--format is csv or fhir"

no_pnr_file "no store file holds a personnummer" "$D/knod.db" "$D/knod.db-wal" "$B/knod.db" \
    "$B/knod.db-wal" "$E/knod.db" "$E/knod.db-wal" "$P/knod.db" "$P/knod.db-wal"
# A Patient whose gender contradicts the personnummer: stored, the
# personnummer's sex kept, and a warning that names the Patient, not the number.
G="$T/gender"
"$KNOD" init --dir "$G" >/dev/null 2>&1
printf '%s\n' '{"resourceType":"Patient","id":"pg","gender":"male","birthDate":"2006-07-09",' \
    '"extension":[{"url":"https://knod.se/fhir/StructureDefinition/municipality","valueCode":"0380"}],' \
    '"identifier":[{"system":"http://electronichealth.se/identifier/personnummer","value":"200607092384"}]}' \
    > "$T/gender.json"
run "$KNOD" import --dir "$G" --today 2026-11-23 "$T/gender.json"
check_rc "a Patient whose gender contradicts the personnummer is stored" 0
check_err "... with a warning naming the Patient and which wins" \
    "1 Patient with a gender or birthDate that contradicts the personnummer \(the first: Patient/pg\); knod keeps the personnummer's sex"
if printf '%s\n%s\n' "$out" "$errout" | grep -q "0607092384"; then
    not_ok "... never showing the personnummer" "$errout"; else ok "... never showing the personnummer"; fi

finish
