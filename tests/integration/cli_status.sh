# tests/integration/cli_status.sh: knod status on an empty and a filled store.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"
"$KNOD" init --dir "$D" >/dev/null
run "$KNOD" status --dir "$D"; check_rc "status of an empty store" 0
check_out "no contacts yet" "^  contacts +0$"
"$KNOD" import --quiet --today 2026-11-23 --dir "$D" "$SRCDIR/data/examples" >/dev/null
run "$KNOD" status --dir "$D"; check_rc "status after importing the examples" 0
check_out "units counted" "^  units +4$"
check_out "persons counted" "^  persons +4$"
check_out "contacts counted" "^  contacts +5$"
check_out "coercive measures counted" "^  coercive_measures +3$"
check_out "the span of the contacts" "^contacts from 2023-03-04 to 2024-05-14$"
check_out "persons and persons with self-harm in Uppsala" "^  03  Region Uppsala +4 +2$"
check_out "the latest import is listed" "pathway_steps +3 rows, +3 stored, +0 rejected"
if printf '%s\n' "$out" | grep -Eq '[0-9]{6}-?[0-9]{4}'; then
    not_ok "status shows no personnummer or pseudonym-like ids"
else ok "status shows no personnummer or pseudonym-like ids"; fi
run "$KNOD" status extra --dir "$D"; check_rc "status takes no arguments" 2
finish
