# tests/integration/cli_init.sh: knod init, geo, backup, knod.ini, key mode.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"
mode() { stat -c %a "$1"; }

run "$KNOD" init --dir "$D"; check_rc "init succeeds" 0
check_out "init reports the reference data" "21 regions, 290 municipalities"
check "init made the store" test -s "$D/knod.db"
check "init made the key" test -s "$D/knod.key"
check "init made knod.ini" test -s "$D/knod.ini"
[ "$(mode "$D/knod.key")" = 600 ] && ok "key is mode 0600" || not_ok "key is mode 0600" "$(mode "$D/knod.key")"
[ "$(mode "$D/knod.db")" = 600 ] && ok "store is mode 0600" || not_ok "store is mode 0600" "$(mode "$D/knod.db")"
check "knod.ini documents min_count" grep -q "^min_count = 5" "$D/knod.ini"

key_before=$(sha256sum "$D/knod.key")
run "$KNOD" init --dir "$D"; check_rc "second init is refused" 1
check_err "second init says why" "already exists"
[ "$key_before" = "$(sha256sum "$D/knod.key")" ] && ok "second init left the key alone" \
    || not_ok "second init left the key alone"

KNOD_DIR="$D" run "$KNOD" geo regions
check_rc "geo regions via KNOD_DIR" 0
[ "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" = 21 ] && ok "21 regions listed" \
    || not_ok "21 regions listed" "$out"
check_out "Halland is listed with its healthcare region" "^13 +Region Halland +Västra"
run "$KNOD" geo regions --json --dir "$D"
if printf '%s\n' "$out" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert len(rows) == 21, len(rows)
assert sum(r["population"] for r in rows) == 10605545
assert sum(r["municipalities"] for r in rows) == 290
assert rows[0]["code"] == "01" and rows[0]["name"] == "Region Stockholm"
'; then ok "geo regions --json is valid and complete"; else not_ok "geo regions --json is valid and complete"; fi
run "$KNOD" geo municipalities --region 13 --dir "$D"; check_rc "municipalities of Halland" 0
[ "$(printf '%s\n' "$out" | grep -c Södra)" = 3 ] && ok "three Halland municipalities in Södra" \
    || not_ok "three Halland municipalities in Södra" "$out"
run "$KNOD" geo municipalities --region 99 --dir "$D"; check_rc "unknown region is invalid input" 1
check_err "unknown region is named" "no region has the code '99'"
run "$KNOD" geo regions --dir "$T/empty"; check_rc "no store is invalid input" 1
check_err "no store says how to make one" "knod init"

run "$KNOD" backup --dir "$D" "$T/b.db"; check_rc "backup succeeds" 0
[ "$(sqlite3 "$T/b.db" 'SELECT count(*) FROM municipality')" = 290 ] && ok "backup holds the data" \
    || not_ok "backup holds the data"
[ "$(sqlite3 "$T/b.db" 'PRAGMA integrity_check')" = ok ] && ok "backup passes integrity_check" \
    || not_ok "backup passes integrity_check"
run "$KNOD" backup --dir "$D" "$T/b.db"; check_rc "backup onto an existing file is refused" 1

chmod 644 "$D/knod.key"
run "$KNOD" geo regions --dir "$D"; check_rc "a world-readable key is refused" 3
check_err "the refusal says how to fix it" "chmod 600"
chmod 600 "$D/knod.key"

cp "$D/knod.ini" "$T/ini.bak"
printf '[store]\npath = knod.db\ncolour = red\n' > "$D/knod.ini"
run "$KNOD" geo regions --dir "$D"; check_rc "a bad knod.ini is invalid input" 1
check_err "the bad setting is named with its line" "knod.ini:3: unknown setting 'colour'"
cp "$T/ini.bak" "$D/knod.ini"

# A repeated setting used to win silently (a second min_count = 1 turned
# small-cell suppression off); so did a threshold below the floor.
printf '[disclosure]\nmin_count = 5\nmin_count = 1\n' > "$D/knod.ini"
run "$KNOD" geo regions --dir "$D"; check_rc "a repeated setting is invalid input" 1
check_err "the repeat is named with both lines" "knod.ini:3: setting 'min_count' in \[disclosure\] is repeated \(first set on line 2\)"
printf '[disclosure]\nmin_count = 1\n' > "$D/knod.ini"
run "$KNOD" geo regions --dir "$D"; check_rc "min_count below the floor is refused" 1
check_err "the refusal names the line and the way out" "knod.ini:2: .*below the floor.*allow_below_floor = yes"
printf '[disclosure]\nmin_count = 1\nallow_below_floor = yes\n' > "$D/knod.ini"
run "$KNOD" indicators run --dir "$D" --id ref-a --period 2024; check_rc "acknowledged, it is used" 0
check_err "and logged as a warning on use" "warning: disclosure control is below its floor"
cp "$T/ini.bak" "$D/knod.ini"

# A 0-byte knod.db used to be migrated into a store without reference data.
mkdir "$T/empty0"; : > "$T/empty0/knod.db"
run "$KNOD" status --dir "$T/empty0"; check_rc "a 0-byte store is refused" 1
check_err "as not a knod store" "'$T/empty0/knod.db' is an empty file, not a knod store"
run "$KNOD" import --dir "$T/empty0" "$SRCDIR/data/examples/units.csv"
check_rc "import refuses it too" 1
[ ! -s "$T/empty0/knod.db" ] && ok "the empty file is left as it was" \
    || not_ok "the empty file is left as it was"

# init where it cannot create its files fails and leaves nothing behind
: > "$T/plainfile"
run "$KNOD" init --dir "$T/plainfile"; check_rc "init into a plain file fails" 3
check_err "the failure names the path" "plainfile"
# the store cannot be made after key and ini were: both are removed again
mkdir -p "$T/half/knod.db-wal"
run "$KNOD" init --dir "$T/half"; check_rc "init fails when the store cannot be made" 3
[ "$(ls "$T/half")" = "knod.db-wal" ] && ok "a failed init removes what it made" \
    || not_ok "a failed init removes what it made" "$(ls "$T/half")"
finish
