# tests/integration/cli_user.sh: knod user and knod audit.
. "$SRCDIR/tests/integration/lib.sh"

"$KNOD" init --dir "$T/k" >/dev/null
export KNOD_DIR="$T/k"
run sh -c "echo 'korrekt-häst-batteri' | '$KNOD' user add anna --role coordinator --region 12 --by admin1"
check_rc "add a coordinator of Skåne, the password from standard input" 0
run "$KNOD" user add dan --role admin --no-password --by admin1
check_rc "add an administrator who signs in through the identity provider" 0
run sh -c "echo 'kort' | '$KNOD' user add bo --role analyst"
check_rc "a short password is refused" 1
check_err "... saying why" "at least 12 characters"
run "$KNOD" user add bo --role clinician --region 12 --no-password
check_rc "a clinician with a region scope is refused" 1
check_err "... naming the scope it needs" "a clinician's scope is a unit"
run "$KNOD" user add bo --role coordinator --region 99 --no-password
check_err "an unknown region" "'99' is not a region code"
run "$KNOD" user add anna --role analyst --no-password
check_rc "a taken name" 1
run "$KNOD" user add bo --role boss --no-password
check_rc "an unknown role is a usage error" 2
run "$KNOD" user list --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
u = {x["name"]: x for x in json.load(sys.stdin)}
assert set(u) == {"anna", "dan"}, u
assert u["anna"]["role"] == "coordinator" and u["anna"]["scope_code"] == "12" and u["anna"]["password"]
assert u["dan"]["scope"] == "nation" and not u["dan"]["password"]
'; then ok "list: roles, scopes and sign-in kinds"; else not_ok "list" "$out"; fi
run "$KNOD" user disable anna --by admin1
check_rc "disable" 0
run "$KNOD" user role anna --role registrar --region 12 --by admin1
check_rc "change the role" 0
if sqlite3 "$T/k/knod.db" "SELECT password FROM access_user" | grep -q batteri; then
    not_ok "the password is not stored"; else ok "the password is not stored"; fi

run "$KNOD" audit verify
check_rc "the audit log verifies" 0
check_out "... four entries" "audit log intact: 4 entries, head [0-9a-f]{64}$"
run "$KNOD" audit show --user admin1 --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
e = json.load(sys.stdin)
assert [x["action"] for x in e] == ["user-add", "user-add", "user-disable", "user-role"], e
assert e[0]["subject"] == "anna" and "coordinator" in e[0]["detail"]
'; then ok "show: every change by its actor"; else not_ok "show" "$out"; fi

# Tampering with a copy: a changed, a removed and a reordered entry are found.
for t in "UPDATE access_audit SET detail = 'role admin' WHERE id = 2" \
         "DELETE FROM access_audit WHERE id = 2" \
         "UPDATE access_audit SET action = CASE id WHEN 2 THEN 'user-disable' ELSE 'user-add' END WHERE id IN (2, 3)"; do
    rm -rf "$T/c"; cp -r "$T/k" "$T/c"
    sqlite3 "$T/c/knod.db" "DROP TRIGGER access_audit_no_update; DROP TRIGGER access_audit_no_delete; $t"
    run "$KNOD" audit verify --dir "$T/c"
    check_rc "tampered ($t): verify fails" 1
    check_err "... at entry 2" "audit entry 2 "
done
run "$KNOD" audit verify --bogus
check_rc "an unknown option is a usage error" 2
run "$KNOD" audit list
check_rc "an unknown subcommand is a usage error" 2
finish
