# tests/integration/cli_privacy.sh: no personnummer leaves knod through a
# file name, a message, the store, status, a backup or an export (issue
# 10, items 1 to 3): a number in an input file's name, in a file without a
# header row, in a free-text field.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"
EX="$SRCDIR/data/examples"
db() { sqlite3 "$D/knod.db" "$@"; }
# Anything shaped like a personnummer (10 or 12 digits, or 6 or 8 and 4
# with '-' or '+'), date or not: stricter than knod's own rule.
SHAPED='(^|[^0-9])([0-9]{10}|[0-9]{12}|[0-9]{6}[-+][0-9]{4}|[0-9]{8}[-+][0-9]{4})([^0-9]|$)'
no_shape() { # no_shape NAME TEXT
    if printf '%s' "$2" | grep -Eq "$SHAPED"; then
        not_ok "$1" "something shaped like a personnummer is shown: $(printf '%s' "$2" | grep -E "$SHAPED" | head -3)"
    else ok "$1"; fi
}
# The raw bytes of files (a store, a backup) hold none of the numbers.
NUMS='20070505-5556|0705055556|200706066669|0706066669|20070808-8885|0708088885|070808-8885|20070101-1116|0701011116|070505-5556'
no_num_file() { # no_num_file NAME FILE...
    local name=$1; shift
    if grep -saEq "$NUMS" "$@"; then not_ok "$name" "$(grep -saEo "$NUMS" "$@" | head -3)"
    else ok "$name"; fi
}

run "$KNOD" init --dir "$D"; check_rc "init" 0
mkdir -p "$T/in"
cp "$EX/units.csv" "$T/in/units_20070505-5556.csv"
cp "$EX/persons.csv" "$T/in/persons_200706066669.csv"

# ---- item 1: a number in a file's name ----
run "$KNOD" import --dir "$D" --kind units "$T/in/units_20070505-5556.csv"
check_rc "a file named with a personnummer imports" 0
check_out "its name is shown masked" "units_XXXXXXXX-XXXX.csv: units, 4 rows: 4 stored"
no_shape "the import output shows no personnummer" "$out$errout"
run "$KNOD" import --dir "$D" --kind persons "$T/in/persons_200706066669.csv"
check_rc "a second one imports" 0
no_shape "its output shows no personnummer" "$out$errout"
[ "$(db "SELECT group_concat(file_name, '|') FROM import_run")" \
    = "$T/in/units_XXXXXXXX-XXXX.csv|$T/in/persons_XXXXXXXXXXXX.csv" ] \
    && ok "import_run holds the names masked" \
    || not_ok "import_run holds the names masked" "$(db 'SELECT file_name FROM import_run')"
run "$KNOD" status --dir "$D"; check_rc "status" 0
check_out "status lists the import masked" "persons_XXXXXXXXXXXX.csv"
no_shape "status shows no personnummer" "$out"
run "$KNOD" backup --dir "$D" "$T/backup.db"; check_rc "backup" 0
no_num_file "the store and the backup hold no number from a file name" \
    "$D/knod.db" "$D/knod.db-wal" "$T/backup.db"

# A rejected file's messages and the default reject file's name.
printf 'source_system,source_id,pnr,municipality,death_date,death_by_suicide\nt,p9,20070808-8885,9999,,\n' \
    > "$T/in/persons_0705055556.csv"
run "$KNOD" import --dir "$D" --kind persons "$T/in/persons_0705055556.csv"
check_rc "a file with a bad row is rejected" 1
check_err "the row error names the file masked" "^persons_XXXXXXXXXX.csv:2: field 'municipality'"
no_shape "the rejection shows no personnummer" "$out$errout"
run "$KNOD" import --dir "$D" --keep-valid --kind persons "$T/in/persons_0705055556.csv"
check_rc "--keep-valid" 0
[ -s "$T/in/persons_XXXXXXXXXX.csv.rejects.csv" ] && ok "the default reject file's name is masked" \
    || not_ok "the default reject file's name is masked" "$(ls "$T/in")"
[ ! -e "$T/in/persons_0705055556.csv.rejects.csv" ] && ok "no reject file carries the number" \
    || not_ok "no reject file carries the number"
no_shape "the --keep-valid output shows no personnummer" "$out$errout"
no_num_file "the reject file holds no number" "$T/in/persons_XXXXXXXXXX.csv.rejects.csv"
run "$KNOD" import --dir "$D" "$T/in/nowhere_20070505-5556.csv"
check_rc "a file that is not there" 2
no_shape "its usage error shows no personnummer" "$out$errout"
run "$KNOD" import --dir "$D" --kind units "$T/in/nowhere_20070505-5556.csv"
check_rc "a file that cannot be opened" 1
check_err "is named masked" "nowhere_XXXXXXXX-XXXX.csv"
no_shape "its error shows no personnummer" "$out$errout"

# ---- item 2: a file without a header row ----
printf '20070101-1116,t,p9,0380,,\n' > "$T/in/persons.csv"
run "$KNOD" import --dir "$D" "$T/in/persons.csv"; check_rc "a file without a header is rejected" 1
check_err "the unknown column is quoted masked" "persons.csv:1: unknown column 'XXXXXXXX-XXXX' for kind 'persons'"
no_shape "the message shows no personnummer" "$out$errout"

# ---- item 3: a number in a free-text field ----
printf 'source_system,source_id,code,name,region_code,unit_type,setting\nt,u9,U9,Patient 20070808-8885 room,03,bup,inpatient\n' \
    > "$T/in/units.csv"
run "$KNOD" import --dir "$D" "$T/in/units.csv"; check_rc "a unit named with a personnummer is refused" 1
check_err "with file, line and field" "^units.csv:2: field 'name': holds what looks like a personnummer"
no_shape "the refusal shows no personnummer" "$out$errout"
[ "$(db "SELECT count(*) FROM care_unit WHERE code = 'U9'")" = 0 ] && ok "the unit is not stored" \
    || not_ok "the unit is not stored"
run "$KNOD" export --dir "$D" --kind units --out "$T/units-out.csv"; check_rc "export units" 0
run "$KNOD" export --dir "$D" --kind units --format xlsx --out "$T/units-out.xlsx"; check_rc "export units as XLSX" 0
( cd "$T" && mkdir -p x && cd x && python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall('.')" "$T/units-out.xlsx" )
no_num_file "no export holds a number" "$T/units-out.csv" -r "$T/x"
run "$KNOD" backup --dir "$D" "$T/backup2.db"; check_rc "a second backup" 0
no_num_file "nor the store or the backup" "$D/knod.db" "$D/knod.db-wal" "$T/backup2.db"
finish
