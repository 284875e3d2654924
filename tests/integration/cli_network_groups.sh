# tests/integration/cli_network_groups.sh: knod node, knod group and knod
# member: the knowledge nodes, the national working group with its gaps,
# a network's meetings, and the three list formats.
. "$SRCDIR/tests/integration/lib.sh"

"$KNOD" init --dir "$T/k" >/dev/null 2>&1
export KNOD_DIR="$T/k"

run "$KNOD" node add --code skane --name "Kunskapsnod Skåne" --host 12 --regions 07,08,10
check_rc "node add" 0
run "$KNOD" node add --code vg --name "Kunskapsnod Västra Götaland" --host 14 --regions 13,12
check_rc "a region linked to another node is refused" 1
check_err "... naming it" "region 12 is linked to another node"
run "$KNOD" node add --code "Bad code" --name x --host 14
check_err "a bad code names the option" "^knod: error: --code: a code of"
run "$KNOD" node list --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
n = json.load(sys.stdin)
assert [x["code"] for x in n] == ["skane"], n
assert n[0]["regions"] == "07,08,10,12", n
'; then ok "node list: the host is linked with the others, and vg was not stored"; else not_ok "node list" "$out"; fi

run "$KNOD" group add --code nag --name "Nationella arbetsgruppen" --kind working-group \
    --professions psychiatrist,psychologist,nurse,social-worker
check_rc "group add" 0
run "$KNOD" group add --code nag --name "Igen" --kind network
check_rc "a code in use is refused" 1
run "$KNOD" group add --code ksp --name "Kommunalt suicidpreventivt nätverk" --kind network --node skane
check_rc "a network tied to a node" 0
run "$KNOD" group add --code new --name "Nytt" --kind network
check_err "the code 'new' is refused (/groups/new is the portal's form)" "--code: 'new' is reserved"
run "$KNOD" node add --code new --name "Ny nod" --host 03
check_err "... for a node too" "--code: 'new' is reserved"
run "$KNOD" group add --code x --name x --kind club
check_err "a bad kind lists the kinds" "--kind: 'club' is not one of working-group or network"

add() { "$KNOD" member add --group nag --organisation "Region" --from 2025-01-01 --to 2027-12-31 "$@"; }
run add --name "Anna" --role chair --healthcare-region Södra --profession psychiatrist
check_rc "member add: the chair" 0
check_out "... 20 % of working time by default" "20 % of working time"
run add --name "Bo" --role member --healthcare-region Norra --profession nurse
check_out "a member: 10 % by default" "^member 2: added to nag \(10 % of working time\)"
run add --name "Cilla" --role member --healthcare-region Västra --profession psychologist --share 15
check_rc "a share given" 0
run add --name "Dan" --role patient-organisation
check_rc "the patient organisation's seat needs no region" 0
run add --name "HTA-centrum" --role partner
check_rc "a partner" 0
run add --name "Eva 850101-1238" --role member --healthcare-region Norra --profession nurse
check_rc "a name with a personnummer is refused" 1
if printf '%s' "$errout" | grep -q 1238; then not_ok "... without echoing it" "$errout"; else ok "... without echoing it"; fi
run add --name "F" --role member --healthcare-region Norra --profession nurse --share 120
check_err "a share over 100" "^knod: error: --share: a whole number from 0 to 100"
run add --name "F" --role member --profession nurse
check_err "a member without a healthcare region" "--healthcare-region is missing"
run "$KNOD" member end 2 --on 2025-12-31
check_rc "member end" 0

run "$KNOD" group gaps nag --as-of 2026-03-01 --format csv
printf '%s\n' "$out" > "$T/gaps.csv"
if python3 - "$T/gaps.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
got = [(r["gap"], r["what"]) for r in rows]
want = [("healthcare-region", h) for h in
        ["Mellansverige", "Norra", "Stockholm-Gotland", "Sydöstra"]] + \
       [("profession", "nurse"), ("profession", "social-worker"), ("role", "process-leader")]
assert got == want, got
assert "preferably a profession the group lacks: nurse, social-worker" in rows[0]["wanted"], rows[0]
PY
then ok "gaps: regions without a seat (Norra's member left), professions lacking, roles"
else not_ok "gaps" "$out"; fi
run "$KNOD" group gaps nag --as-of 2025-06-01
check_out "before Bo left, Norra had its seat" "^profession +social-worker"
if printf '%s\n' "$out" | grep -q "^healthcare-region  *Norra"; then not_ok "... Norra is no gap" "$out"
else ok "... Norra is no gap"; fi

run "$KNOD" member list --group nag --as-of 2026-03-01 --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
m = json.load(sys.stdin)
assert [x["role"] for x in m] == ["chair", "member", "patient-organisation", "partner"], m
assert m[0]["share"] == 20 and m[1]["share"] == 15 and m[3]["share"] == 0, m
assert m[0]["from"] == "2025-01-01" and m[0]["healthcare_region"] == "Södra", m[0]
assert m[2]["healthcare_region"] is None, m[2]
'; then ok "member list: roles in order, shares, terms"; else not_ok "member list" "$out"; fi

run "$KNOD" group meeting ksp --date 2026-02-03 --theme "Skolans roll" --place "Malmö"
check_rc "a network's meeting" 0
run "$KNOD" group meeting ksp --date 2026-02-30 --theme "x"
check_err "a bad date names the option" "^knod: error: --date: "
run "$KNOD" group meeting ksp --date 2026-02-03
check_err "a meeting without a theme names the option" "^knod: error: --theme is missing"
run "$KNOD" group meeting ksp --date 2026-02-03 --theme "Ring 19121212-1212"
check_err "a theme with a personnummer names the option" "^knod: error: --theme holds a personnummer-shaped number"
run "$KNOD" group meetings ksp --format csv
check_out "meetings as CSV" "^2026-02-03,Skolans roll,Malmö$"
run "$KNOD" group list --as-of 2026-03-01 --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
g = {x["code"]: x for x in json.load(sys.stdin)}
assert g["nag"]["members"] == 4 and g["ksp"]["node"] == "skane" and g["nag"]["node"] is None, g
'; then ok "group list"; else not_ok "group list" "$out"; fi
run "$KNOD" group gaps nope
check_rc "an unknown group" 1
run "$KNOD" group list --format xml
check_rc "an unknown format is a usage error" 2
# update: the fields given change, each refusal names its option and
# changes nothing, every change is in the audit log with --by
run "$KNOD" node update skane --name "Noden i Skåne" --regions 07,10 --contact nod@example.se --by lead
check_out "node update" "^node skane: updated$"
run "$KNOD" node list --format csv
check_out "... the regions replaced, the host kept" '^skane,Noden i Skåne,12,"07,10,12",nod@example.se$'
"$KNOD" node add --code vg --name VG --host 14 >/dev/null 2>&1
run "$KNOD" node update vg --regions 10
check_err "a region of another node is refused" "^knod: error: --regions: region 10 is linked to another node"
run "$KNOD" node update vg --name ""
check_err "an empty name" "^knod: error: --name is missing"
run "$KNOD" node update vg --host 01
check_rc "a node keeps its host (usage)" 2
run "$KNOD" node update nowhere --name x
check_err "an unknown node" "no knowledge node 'nowhere'"
run "$KNOD" group update ksp --name "KSP" --professions nurse,teacher --purpose "Skolan" --node "" --by lead
check_out "group update" "^group ksp: updated$"
run "$KNOD" group list --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
g = {x["code"]: x for x in json.load(sys.stdin)}["ksp"]
assert g["name"] == "KSP" and g["node"] is None and g["professions"] == "nurse,teacher" and g["purpose"] == "Skolan", g
'; then ok "... national now, its fields changed"; else not_ok "group update" "$out"; fi
run "$KNOD" group update ksp --node nowhere
check_err "an unknown node names --node" "^knod: error: --node: no knowledge node 'nowhere'"
run "$KNOD" group update ksp --kind working-group
check_err "a group keeps its kind" "^knod: error: --kind: a group keeps its kind"
run "$KNOD" group update ksp --professions plumber
check_err "a bad profession" "^knod: error: --professions: 'plumber' is not one of"
run "$KNOD" member update 3 --organisation "Region Väst" --share 12 --by lead
check_out "member update in place" "^member 3: updated$"
run "$KNOD" member update 3 --share 101
check_err "a share over 100" "^knod: error: --share: a whole number from 0 to 100"
run "$KNOD" member update 3 --healthcare-region ""
check_err "a member without a region" "^knod: error: --healthcare-region is missing"
run "$KNOD" member update 3 --role chair --on 2024-06-01
check_err "a new role before the term" "^knod: error: --on: a new role begins after"
run "$KNOD" member update 3 --name Other
check_rc "a member keeps its name (usage)" 2
run "$KNOD" member update 3 --role process-leader --on 2026-04-01 --by lead
check_out "a new role: a new term" "^member 3: term ends the day before 2026-04-01; member 6: process-leader from 2026-04-01$"
run "$KNOD" member list --group nag --as-of 2026-03-01 --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
m = {x["id"]: x for x in json.load(sys.stdin)}
assert m[3]["role"] == "member" and m[3]["to"] == "2026-03-31" and m[3]["organisation"] == "Region Väst" and m[3]["share"] == 12, m[3]
assert 6 not in m, m
'; then ok "... the old term kept to the day before"; else not_ok "member history" "$out"; fi
run "$KNOD" member list --group nag --as-of 2026-04-01 --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
m = {x["id"]: x for x in json.load(sys.stdin)}
assert 3 not in m and m[6]["role"] == "process-leader" and m[6]["share"] == 10 and m[6]["from"] == "2026-04-01" and m[6]["to"] == "2027-12-31", m
'; then ok "... the new term from --on with the role's share"; else not_ok "member new term" "$out"; fi
run "$KNOD" audit show --user lead
check_out "the changes are audited" "node-change +skane"
check_out "... the group's" "group-change +ksp"
check_out "... the member's" "member-change +3"
if printf '%s\n' "$out" | grep -c 'change' | grep -qx 4; then ok "... refusals are not"; else not_ok "audit count" "$out"; fi
finish
