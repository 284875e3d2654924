# tests/integration/cli_key_apart.sh: the key kept apart from the store:
# init --key, key_file, systemd credentials, backups without the key.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"
db() { sqlite3 "$D/knod.db" "$@"; }
persons() { db "SELECT count(*) FROM person"; }

"$KNOD" init --dir "$D" >/dev/null 2>&1
"$KNOD" init --dir "$T/other" >/dev/null 2>&1
cp "$D/knod.key" "$T/right.key"
"$KNOD" synth --persons 200 --out "$T/full" >/dev/null 2>&1
mkdir "$T/syn"; cp "$T/full/units.csv" "$T/full/persons.csv" "$T/full/contacts.csv" "$T/syn"
run "$KNOD" import --dir "$D" "$T/syn"; check_rc "the first import succeeds" 0
n0=$(persons)
[ "$n0" = 200 ] && ok "200 persons stored" || not_ok "200 persons stored" "$n0"

# A second store under the same key: init --key.
run "$KNOD" init --dir "$T/twin" --key "$T/right.key"; check_rc "init --key succeeds" 0
check "init --key makes no knod.key of its own" test ! -e "$T/twin/knod.key"
check "knod.ini names the given key" grep -q "^key_file = $T/right.key\$" "$T/twin/knod.ini"
run "$KNOD" import --dir "$T/twin" "$T/syn/units.csv" "$T/syn/persons.csv"
check_rc "the twin store imports under the same key" 0
[ "$(sqlite3 "$T/twin/knod.db" 'SELECT pseudonym FROM person ORDER BY 1' | md5sum)" \
  = "$(db 'SELECT pseudonym FROM person ORDER BY 1' | md5sum)" ] \
    && ok "the same pseudonyms in both stores" || not_ok "the same pseudonyms in both stores"
run "$KNOD" init --dir "$T/twin2" --key "$T/nothere.key"; check_rc "init --key of a missing file" 1
check "a failed init --key leaves nothing" test ! -e "$T/twin2/knod.ini"

# A backup does not hold the key (it lives apart from the store).
run "$KNOD" backup --dir "$D" "$T/b.db"; check_rc "backup succeeds" 0
leak=0
for k in $(cat "$T/right.key"); do grep -q "$k" "$T/b.db" && leak=1; done
[ "$leak" = 0 ] && ok "the backup does not hold the key" || not_ok "the backup does not hold the key"
sqlite3 "$T/b.db" .dump > "$T/b.sql"
leak=0
for k in $(cat "$T/right.key"); do grep -q "$k" "$T/b.sql" && leak=1; done
[ "$leak" = 0 ] && ok "no table of the backup holds the key" \
    || not_ok "no table of the backup holds the key"

# Systemd credentials: without key_file, $CREDENTIALS_DIRECTORY/knod.key
# comes before knod.key in the knod directory.
mkdir -m 700 "$T/creds"; cp "$T/right.key" "$T/creds/knod.key"
cp "$T/other/knod.key" "$D/knod.key"
printf '[log]\nlevel = info\n' > "$D/knod.ini"
CREDENTIALS_DIRECTORY="$T/creds" run "$KNOD" key status --dir "$D"
check_rc "the credential is the key without key_file" 0
check_out "key status names the credential" "CREDENTIALS_DIRECTORY"
check_out "key status says it matches" "matches the store"
run "$KNOD" status --dir "$D"; check_rc "without the credential, DIR/knod.key (another key) is refused" 1
printf '[pseudonym]\nkey_file = %s\n' "$T/other/knod.key" > "$D/knod.ini"
CREDENTIALS_DIRECTORY="$T/creds" run "$KNOD" status --dir "$D"
check_rc "key_file wins over the credential" 1
check_err "and is the one named" "key file '$T/other/knod.key'"
# A key kept apart and not reachable: reading commands work, import not.
printf '[pseudonym]\nkey_file = %s\n' "$T/nowhere.key" > "$D/knod.ini"
run "$KNOD" status --dir "$D"; check_rc "status works with the key kept apart" 0
run "$KNOD" import --dir "$D" "$T/syn/persons.csv"; check_rc "import needs the key" 1
check_err "import names the missing key file" "nowhere.key"
finish
