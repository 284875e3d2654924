# tests/integration/cli_key_rotate.sh: `knod key rotate` re-pseudonymises
# every stored person in one transaction, and the same persons are found
# again under the rotated key.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"
db() { sqlite3 "$D/knod.db" "$@"; }
persons() { db "SELECT count(*) FROM person"; }

"$KNOD" init --dir "$D" >/dev/null 2>&1
"$KNOD" init --dir "$T/other" >/dev/null 2>&1
"$KNOD" synth --persons 200 --out "$T/full" >/dev/null 2>&1
mkdir "$T/syn"; cp "$T/full/units.csv" "$T/full/persons.csv" "$T/full/contacts.csv" "$T/syn"
run "$KNOD" import --dir "$D" "$T/syn"; check_rc "the first import succeeds" 0
n0=$(persons)
[ "$n0" = 200 ] && ok "200 persons stored" || not_ok "200 persons stored" "$n0"

# Rotation: one transaction, the same persons afterwards.
run "$KNOD" key rotate --dir "$D"; check_rc "rotate without --new-key is a usage error" 2
run "$KNOD" key rotate --dir "$D" --new-key "$D/knod.key"
check_rc "rotate never overwrites a key file" 1
before=$(db "SELECT pseudonym FROM person ORDER BY id" | md5sum)
run "$KNOD" key rotate --dir "$D" --new-key "$T/rotated.key"; check_rc "rotate succeeds" 0
check_out "rotate says how many persons" "200 persons re-pseudonymised"
check_err "rotate is logged" "rotated the pseudonym key"
[ "$(stat -c %a "$T/rotated.key")" = 600 ] && ok "the rotated key is mode 0600" \
    || not_ok "the rotated key is mode 0600"
after=$(db "SELECT pseudonym FROM person ORDER BY id" | md5sum)
[ "$before" != "$after" ] && ok "every pseudonym changed" || not_ok "every pseudonym changed"
[ "$(db "SELECT count(*) FROM person WHERE pseudonym IN (SELECT pseudonym FROM person)")" = 200 ] \
    && ok "200 pseudonyms still" || not_ok "200 pseudonyms still"
[ "$(db 'SELECT layers, persons FROM key_rotation')" = "2|200" ] \
    && ok "the rotation is recorded with its time" || not_ok "the rotation is recorded with its time"
run "$KNOD" status --dir "$D"; check_rc "the old key is refused after the rotation" 1
check_err "the refusal says the key was rotated" "has been rotated"
printf '[pseudonym]\nkey_file = %s\n' "$T/rotated.key" > "$D/knod.ini"
run "$KNOD" import --dir "$D" "$T/syn"; check_rc "re-import under the rotated key" 0
[ "$(persons)" = "$n0" ] && ok "the same persons after rotation (no new ones)" \
    || not_ok "the same persons after rotation (no new ones)" "$(persons)"
[ "$(db 'PRAGMA foreign_key_check' | wc -l)" = 0 ] && ok "foreign keys hold" \
    || not_ok "foreign keys hold"
run "$KNOD" key status --dir "$D"; check_rc "key status" 0
check_out "key status shows the rotation" "rotations +1"
check_out "key status says where the key is set" "key_file in knod.ini"
check_out "key status shows the rotation" "rotations +1"

finish
