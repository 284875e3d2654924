# tests/integration/cli_import.sh: knod import (src/cli/cmd_import.c) of
# data/examples and of bad files; --keep-valid, --rejects, --kind; usage
# errors; and a kill -9 in the middle of a large import.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"
EX="$SRCDIR/data/examples"
db() { sqlite3 "$D/knod.db" "$@"; }
# Row counts of every registry table, in import order.
counts() {
    db "SELECT (SELECT count(*) FROM care_unit) || ' ' || (SELECT count(*) FROM person)
        || ' ' || (SELECT count(*) FROM contact) || ' ' || (SELECT count(*) FROM self_harm_act)
        || ' ' || (SELECT count(*) FROM coercive_measure) || ' ' || (SELECT count(*) FROM assessment)
        || ' ' || (SELECT count(*) FROM care_plan) || ' ' || (SELECT count(*) FROM treatment)
        || ' ' || (SELECT count(*) FROM follow_up) || ' ' || (SELECT count(*) FROM pathway_step)"
}
# Every row of the tables a contacts file touches, for before/after checks.
contact_dump() { db "SELECT * FROM contact ORDER BY id; SELECT * FROM person ORDER BY id;"; }
# The personnummer of the example files, in every written form.
no_pnr() { # no_pnr NAME TEXT
    if printf '%s' "$2" | grep -Eq '0607092384|060709[-+]2384|0306062381|030606[-+]2381|0802122390|080212[-+]2390|1701012393|170101[-+]2393|0607092385|060709-2385'; then
        not_ok "$1" "a personnummer is shown: $2"; else ok "$1"; fi
}

run "$KNOD" init --dir "$D"; check_rc "init" 0

# ---- the example folder ----
run "$KNOD" import --dir "$D" --today 2026-11-23 "$EX"; check_rc "import of data/examples succeeds" 0
for k in units:4 persons:4 contacts:5 self_harm:3 coercive_measures:3 assessments:2 \
         care_plans:2 treatments:2 follow_ups:2 pathway_steps:3; do
    check_out "${k%%:*}: ${k#*:} rows stored" \
        "${k%%:*}.csv: ${k%%:*}, ${k#*:} rows: ${k#*:} stored, 0 unchanged, 0 rejected"
done
[ "$(counts)" = "4 4 5 3 3 2 2 2 2 3" ] && ok "every table holds its file's rows" \
    || not_ok "every table holds its file's rows" "$(counts)"
[ -z "$(db 'PRAGMA foreign_key_check')" ] && ok "foreign_key_check finds nothing" \
    || not_ok "foreign_key_check finds nothing" "$(db 'PRAGMA foreign_key_check')"
[ "$(db 'SELECT count(*) FROM import_run')" = 10 ] && ok "ten import runs are logged" \
    || not_ok "ten import runs are logged" "$(db 'SELECT * FROM import_run')"
no_pnr "the import output shows no personnummer" "$out$errout"
[ "$(db "SELECT count(*) FROM person WHERE length(pseudonym) = 32")" = 4 ] \
    && ok "persons are stored by pseudonym" || not_ok "persons are stored by pseudonym"
check "the store and its WAL hold no personnummer" sh -c \
    "! grep -saEq '0607092384|060709-2384|0306062381|0802122390|1701012393' '$D/knod.db' '$D/knod.db-wal'"

run "$KNOD" import --dir "$D" "$EX"; check_rc "a second import succeeds" 0
[ "$(printf '%s\n' "$out" | grep -c ': 0 stored, ')" = 10 ] && ok "a second import prints '0 stored' for every file" \
    || not_ok "a second import prints '0 stored' for every file" "$out"
check_out "a second import reports the rows unchanged" "contacts, 5 rows: 0 stored, 5 unchanged"
[ "$(counts)" = "4 4 5 3 3 2 2 2 2 3" ] && ok "a second import adds no rows" \
    || not_ok "a second import adds no rows" "$(counts)"

# ---- a file with bad rows ----
mkdir -p "$T/bad"
cat > "$T/bad/contacts.csv" <<'EOF'
source_system,source_id,pnr,unit,contact_type,start,end
example,c1,20060709-2384,SE2321000230-EX01,emergency,2023-03-04T22:10,2023-03-05T03:30
example,c9,20060709-2384,NOPE,emergency,2023-03-04T22:10,
example,c10,200306062381,SE2321000230-EX01,emergency,2024-03-04T10:00,
example,c11,200306062381,SE2321000230-EX01,emergency,2023-13-04,
example,c12,20060709-2385,SE2321000230-EX01,emergency,2023-03-04,
EOF
before=$(contact_dump); counts_before=$(counts)
run "$KNOD" import --dir "$D" "$T/bad/contacts.csv"; check_rc "a file with bad rows exits 1" 1
check_err "the bad unit is reported with file and line" \
    "^contacts.csv:3: field 'unit': no stored unit has the code 'NOPE'"
check_err "the bad time is reported with file and line" "^contacts.csv:5: field 'start': .*month 13"
check_err "the bad number is reported with file and line" \
    "^contacts.csv:6: field 'pnr': the check digit does not match"
[ "$(printf '%s\n' "$errout" | grep -c '^contacts.csv:[0-9]*: ')" = 3 ] \
    && ok "exactly the three bad rows are reported" || not_ok "exactly the three bad rows are reported" "$errout"
check_err "stderr says nothing was stored" \
    "nothing from '[^']*contacts.csv' was stored|'[^']*contacts.csv' was rejected: .*nothing was stored"
no_pnr "the errors show no personnummer" "$out$errout"
[ "$before" = "$(contact_dump)" ] && ok "a rejected file changes no row (changed c1, new c10)" \
    || not_ok "a rejected file changes no row (changed c1, new c10)"
[ "$(counts)" = "$counts_before" ] && ok "a rejected file leaves the counts" \
    || not_ok "a rejected file leaves the counts" "$(counts)"
[ ! -e "$T/bad/contacts.csv.rejects.csv" ] && ok "no reject file without --keep-valid" \
    || not_ok "no reject file without --keep-valid"

# a file-level fault
printf 'source_system,source_id,pnr,unit,contact_type,start,colour\n' > "$T/bad/treatments.csv"
run "$KNOD" import --dir "$D" "$T/bad/treatments.csv"; check_rc "an unknown column exits 1" 1
check_err "the unknown column is named" "treatments.csv:1: unknown column 'unit' for kind 'treatments'"
check_err "the file-level fault says nothing was stored" "nothing from '[^']*treatments.csv' was stored"

# a folder stops at the first rejected file
mkdir -p "$T/folder"
printf 'source_system,source_id,code,name,region_code,unit_type,setting\nf,u1,F-1,Ny,01,bup,inpatient\n' \
    > "$T/folder/units.csv"
printf 'source_system,source_id,pnr,municipality\nf,p1,201701012393,9999\n' > "$T/folder/persons.csv"
printf 'source_system,source_id,pnr,time,plan_type\nf,k1,201701012393,2024-01-01,sip\n' \
    > "$T/folder/care_plans.csv"
run "$KNOD" import --dir "$D" "$T/folder"; check_rc "a folder with a bad file exits 1" 1
check_out "the folder's good first file is stored" "units.csv: units, 1 rows: 1 stored"
check_err "the bad file's row is reported" "^persons.csv:2: field 'municipality'"
[ "$(db "SELECT count(*) FROM care_plan WHERE source_system = 'f'")" = 0 ] \
    && ok "files after the rejected one are not imported" \
    || not_ok "files after the rejected one are not imported"

# ---- --keep-valid ----
run "$KNOD" import --dir "$D" --keep-valid "$T/bad/contacts.csv"
check_rc "--keep-valid stores the valid rows" 0
check_out "--keep-valid counts the rows" "contacts, 5 rows: 2 stored, 0 unchanged, 3 rejected"
check_out "--keep-valid names the reject file" "rejected rows written to '$T/bad/contacts.csv.rejects.csv'"
[ "$(db "SELECT count(*) FROM contact")" = 6 ] && ok "the new valid row is stored" \
    || not_ok "the new valid row is stored" "$(db 'SELECT source_id FROM contact')"
R="$T/bad/contacts.csv.rejects.csv"
check "--keep-valid writes FILE.rejects.csv" test -s "$R"
[ "$(head -n 1 "$R")" = "_line,_error,source_system,source_id,pnr,unit,contact_type,start,end" ] \
    && ok "the reject file's header is _line,_error and the original columns" \
    || not_ok "the reject file's header is _line,_error and the original columns" "$(head -n 1 "$R")"
if python3 - "$R" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
assert len(rows) == 4, rows
assert [r[0] for r in rows[1:]] == ['3', '5', '6'], rows
assert rows[1][1].startswith("field 'unit': "), rows[1]
assert rows[3][1].startswith("field 'pnr': "), rows[3]
assert all(r[4] == '' for r in rows[1:]), 'pnr not empty'
assert [r[3] for r in rows[1:]] == ['c9', 'c11', 'c12'], rows
assert rows[1][5] == 'NOPE' and rows[2][7] == '2023-13-04', rows
EOF
then ok "the reject file holds each bad row with its line and an empty pnr"
else not_ok "the reject file holds each bad row with its line and an empty pnr" "$(cat "$R")"; fi
no_pnr "the reject file holds no personnummer" "$(cat "$R")"
[ "$(stat -c %a "$R")" = 600 ] && ok "the reject file is mode 0600" \
    || not_ok "the reject file is mode 0600" "$(stat -c %a "$R")"
run "$KNOD" import --dir "$D" --keep-valid --rejects "$T/my-rejects.csv" "$T/bad/contacts.csv"
check_rc "--rejects FILE" 0
check_out "the second --keep-valid run stores nothing new" "5 rows: 0 stored, 2 unchanged, 3 rejected"
[ "$(wc -l < "$T/my-rejects.csv")" = 4 ] && ok "--rejects writes the named file" \
    || not_ok "--rejects writes the named file"
# A named reject file follows export's rule: a new name, or a regular file
# with --force; never through a link, never into a device.
before=$(sha256sum < "$T/my-rejects.csv")
run "$KNOD" import --dir "$D" --keep-valid --rejects "$T/my-rejects.csv" "$T/bad/contacts.csv"
check_rc "an existing --rejects FILE is refused" 1
check_err "the refusal names the reject file" "reject file: '$T/my-rejects.csv' already exists"
[ "$before" = "$(sha256sum < "$T/my-rejects.csv")" ] && ok "the refused reject file is unchanged" \
    || not_ok "the refused reject file is unchanged"
echo "old" > "$T/my-rejects.csv"
run "$KNOD" import --dir "$D" --keep-valid --force --rejects "$T/my-rejects.csv" "$T/bad/contacts.csv"
check_rc "--force replaces the --rejects FILE" 0
[ "$(wc -l < "$T/my-rejects.csv")" = 4 ] && ok "the replaced reject file holds the rejects" \
    || not_ok "the replaced reject file holds the rejects" "$(cat "$T/my-rejects.csv")"
echo "keep" > "$T/victim.txt"
ln -s "$T/victim.txt" "$T/rej-link.csv"
run "$KNOD" import --dir "$D" --keep-valid --force --rejects "$T/rej-link.csv" "$T/bad/contacts.csv"
check_rc "a --rejects link is refused, --force or not" 1
check_err "the refusal says it is a link" "'$T/rej-link.csv' is a symbolic link"
[ -L "$T/rej-link.csv" ] && [ "$(cat "$T/victim.txt")" = keep ] && ok "the link's target is untouched" \
    || not_ok "the link's target is untouched" "$(cat "$T/victim.txt")"
run "$KNOD" import --dir "$D" --keep-valid --force --rejects /dev/null "$T/bad/contacts.csv"
check_rc "a --rejects device is refused" 1
[ -c /dev/null ] && ok "/dev/null is still a device" || not_ok "/dev/null is still a device"
rm -f "$R"
ln -s "$T/victim.txt" "$R"
run "$KNOD" import --dir "$D" --keep-valid "$T/bad/contacts.csv"
check_rc "a link at the default reject name is refused" 1
[ "$(cat "$T/victim.txt")" = keep ] && ok "the default name does not follow a link" \
    || not_ok "the default name does not follow a link"
rm -f "$R"
run "$KNOD" import --dir "$D" --keep-valid "$T/bad/contacts.csv"; check_rc "the default reject name again" 0
run "$KNOD" import --dir "$D" --keep-valid "$T/bad/contacts.csv"; check_rc "the default reject file is replaced" 0
[ "$(wc -l < "$R")" = 4 ] && ok "the default reject file holds this run's rejects" \
    || not_ok "the default reject file holds this run's rejects"
[ -z "$(find "$T" -name '.*rejects*')" ] && ok "no temporary reject file is left" \
    || not_ok "no temporary reject file is left" "$(find "$T" -name '.*rejects*')"

# ---- --kind and usage ----
cp "$EX/units.csv" "$T/enheter.csv"
run "$KNOD" import --dir "$D" --kind units "$T/enheter.csv"; check_rc "--kind for a file with another name" 0
check_out "--kind imports the file as that kind" "enheter.csv: units, 4 rows: 0 stored, 4 unchanged"
run "$KNOD" import --dir "$D" "$T/enheter.csv"; check_rc "an unknown file name without --kind is a usage error" 2
check_err "the usage error asks for --kind" "cannot tell the kind of .*enheter.csv.*give --kind"
run "$KNOD" import --dir "$D" --kind visits "$T/enheter.csv"; check_rc "an unknown --kind is a usage error" 2
check_err "the unknown kind is named" "unknown kind 'visits'"
run "$KNOD" import --dir "$D" --kind units "$EX"; check_rc "--kind with a folder is a usage error" 2
run "$KNOD" import --dir "$D"; check_rc "no FILE is a usage error" 2
KNOD_IMPORT_PERSONS=some run "$KNOD" import --dir "$D" "$EX/units.csv"
check_rc "an unknown KNOD_IMPORT_PERSONS is a usage error" 2
check_err "the usage error names the three ways" "KNOD_IMPORT_PERSONS is auto, preload or lookup, not 'some'"
run "$KNOD" import --dir "$D" "$T/nowhere/contacts.csv"; check_rc "a missing file exits 1" 1
check_err "the missing file is named" "cannot open '[^']*nowhere/contacts.csv'"
run "$KNOD" import --help; check_rc "import --help" 0
check_out "--help shows the usage" "^usage: knod import "
check_out "--help documents --keep-valid" "--keep-valid"
[ "$(counts)" = "5 4 6 3 3 2 2 2 2 3" ] && ok "the usage errors changed nothing" \
    || not_ok "the usage errors changed nothing" "$(counts)"

# ---- kill -9 in the middle of a large import ----
N=300000
mkdir -p "$T/big"
python3 - "$T/big" "$N" <<'EOF'
import datetime, sys
out, nrows = sys.argv[1], int(sys.argv[2])
def luhn(nine):  # the check digit of YYMMDDNNN
    s = 0
    for i, c in enumerate(nine):
        v = int(c) * (2 if i % 2 == 0 else 1)
        s += v // 10 + v % 10
    return str((10 - s % 10) % 10)
d0 = datetime.date(1990, 1, 1)
pnrs = []
for i in range(1000):
    d = d0 + datetime.timedelta(days=i)
    nnn = '%03d' % (100 + i % 900)
    pnrs.append(d.strftime('%Y%m%d') + nnn + luhn(d.strftime('%y%m%d') + nnn))
with open(out + '/units.csv', 'w') as f:
    f.write('source_system,source_id,code,name,region_code,unit_type,setting\n')
    f.write('big,u1,BIG-OUT,Mottagning,01,bup,outpatient\n')
with open(out + '/persons.csv', 'w') as f:
    f.write('source_system,source_id,pnr,municipality,death_date,death_by_suicide\n')
    for i, p in enumerate(pnrs):
        f.write('big,p%d,%s,0180,,\n' % (i, p))
t0 = datetime.datetime(2020, 1, 1)
spring = datetime.datetime(2020, 3, 29, 2, 0)  # 02:00-02:59 does not exist that night
def civil(t):
    return t + datetime.timedelta(hours=1) if t >= spring else t
with open(out + '/contacts.csv', 'w') as f:
    f.write('source_system,source_id,pnr,unit,contact_type,start,end\n')
    for i in range(nrows):
        t = t0 + datetime.timedelta(minutes=i)
        f.write('big,c%d,%s,BIG-OUT,outpatient,%s,%s\n' % (
            i, pnrs[i % 1000], civil(t).strftime('%Y-%m-%dT%H:%M'),
            civil(t + datetime.timedelta(minutes=30)).strftime('%Y-%m-%dT%H:%M')))
EOF
[ "$(wc -l < "$T/big/contacts.csv")" = $((N + 1)) ] && ok "generated $N contacts" \
    || not_ok "generated $N contacts"

for delay in 0.3 1.5; do
    K="$T/kill-$delay"
    "$KNOD" init --dir "$K" >/dev/null 2>&1
    "$KNOD" import --dir "$K" --quiet "$T/big/units.csv" "$T/big/persons.csv" >/dev/null 2>&1
    before=$(sqlite3 "$K/knod.db" "SELECT count(*) FROM person")
    "$KNOD" import --dir "$K" --quiet "$T/big/contacts.csv" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null; st=$?
    [ "$st" = 137 ] && ok "kill -9 after $delay s hit the running import" \
        || ok "kill -9 after $delay s hit the running import # SKIP the import had finished"
    [ "$(sqlite3 "$K/knod.db" 'PRAGMA integrity_check')" = ok ] \
        && ok "after kill -9 at $delay s: integrity_check is ok" \
        || not_ok "after kill -9 at $delay s: integrity_check is ok" "$(sqlite3 "$K/knod.db" 'PRAGMA integrity_check')"
    c=$(sqlite3 "$K/knod.db" "SELECT count(*) FROM contact")
    if [ "$c" = 0 ] || [ "$c" = "$N" ]; then ok "after kill -9 at $delay s: contacts are none or all ($c)"
    else not_ok "after kill -9 at $delay s: contacts are none or all" "$c of $N"; fi
    [ "$(sqlite3 "$K/knod.db" "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'contact_source'")" = 1 ] \
        && ok "after kill -9 at $delay s: the contact index is there" \
        || not_ok "after kill -9 at $delay s: the contact index is there"
    [ "$(sqlite3 "$K/knod.db" "SELECT count(*) FROM person")" = "$before" ] \
        && ok "after kill -9 at $delay s: the persons are intact" \
        || not_ok "after kill -9 at $delay s: the persons are intact"
done
K="$T/kill-0.3"
run "$KNOD" import --dir "$K" --quiet "$T/big/contacts.csv"; check_rc "the import after the kill completes" 0
check_out "the import after the kill reads every row" "contacts, $N rows: .* 0 rejected"
[ "$(sqlite3 "$K/knod.db" "SELECT count(*), count(DISTINCT source_id) FROM contact")" = "$N|$N" ] \
    && ok "after the rerun all $N contacts are stored once" \
    || not_ok "after the rerun all $N contacts are stored once" "$(sqlite3 "$K/knod.db" 'SELECT count(*) FROM contact')"
[ -z "$(sqlite3 "$K/knod.db" 'PRAGMA foreign_key_check')" ] && ok "after the rerun foreign_key_check finds nothing" \
    || not_ok "after the rerun foreign_key_check finds nothing"
[ "$(sqlite3 "$K/knod.db" 'PRAGMA integrity_check')" = ok ] && ok "after the rerun integrity_check is ok" \
    || not_ok "after the rerun integrity_check is ok"
finish
