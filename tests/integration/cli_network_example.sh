# tests/integration/cli_network_example.sh: the example network that
# `make demo` loads (data/examples/network/network.txt, one knod command a
# line) runs on a fresh store, and shows what issue 15's inventory asks for:
# nodes and their regions, the working group's roles, shares and vacancies
# with the wanted profile, partners, a network's meetings, units with
# competence, brief admission, offers and waiting times as of a day, the NHV
# clinics' catchment and access, trainings, funded activities and
# consultations.
. "$SRCDIR/tests/integration/lib.sh"

"$KNOD" init --dir "$T/k" >/dev/null 2>&1
export KNOD_DIR="$T/k"
SRC=$SRCDIR
lines=0
bad=""
while IFS= read -r line; do
    case "$line" in '#'* | '') continue ;; esac
    eval "set -- $line"
    lines=$((lines + 1))
    "$KNOD" "$@" >/dev/null 2>"$T/err" || bad="$bad
$line: $(cat "$T/err")"
done < "$SRCDIR/data/examples/network/network.txt"
[ -z "$bad" ] && [ "$lines" -gt 30 ] && ok "every example command runs ($lines)" ||
    not_ok "the example commands" "$bad"

json() { # json ASSERTION KNOD-ARGS...: the command's JSON as x meets the assertion
    a=$1; shift
    "$KNOD" "$@" --format json 2>"$T/err" | python3 -c "
import json, sys
x = json.load(sys.stdin)
assert $a, x" 2>>"$T/err"
}
t() { # t NAME ASSERTION KNOD-ARGS...
    name=$1; shift
    if json "$@"; then ok "$name"; else not_ok "$name" "$(cat "$T/err")"; fi
}
t "three nodes; Skåne's serves its host and three regions" \
    'len(x) == 3 and [n["regions"] for n in x if n["code"] == "skane"] == ["07,08,10,12"]' \
    node list
t "the NAG's chair at 20 %, members at 10 % or more, a partner and an international partner at 0 %" \
    'sorted((m["role"], m["share"]) for m in x) == [("chair", 20), ("international-partner", 0), ("member", 10), ("member", 15), ("partner", 0), ("process-leader", 10)]' \
    member list --group nag --as-of 2025-06-01
t "vacancies: two healthcare regions, a profession and the patient organisation's seat, each with its wanted profile" \
    'sorted((g["gap"], g["what"]) for g in x) == [("healthcare-region", "Mellansverige"), ("healthcare-region", "Norra"), ("profession", "nurse"), ("role", "patient-organisation")] and all(g["wanted"] for g in x)' \
    group gaps nag --as-of 2025-06-01
t "the municipal network's meetings and themes" \
    '[m["date"] for m in x] == ["2025-03-12", "2025-10-08"] and all(m["theme"] for m in x)' \
    group meetings ksp
t "a unit as of a day before its change: 25 trained in bemötande, no brief admission, 45 days' wait" \
    '[(u["trained_bemotande"], u["trained_dbt"], u["brief_admission"], u["waiting_days"], u["offers"]) for u in x if u["code"] == "bup-lund-ex"] == [(25, 8, 0, 45, "dbt,cbt,family-therapy")]' \
    unit list --as-of 2025-06-01
t "... and after it: 34, brief admission, 30 days" \
    '[(u["trained_bemotande"], u["brief_admission"], u["waiting_days"]) for u in x if u["code"] == "bup-lund-ex"] == [(34, 1, 30)]' \
    unit list --as-of 2025-10-01
t "the NHV clinics: catchment, offers, access for placed children and SiS homes" \
    'sorted((u["code"], u["nhv_offers"], u["placed_access"], u["sis_access"]) for u in x) == [("nhv-lund-ex", "consultation,assessment,treatment", 1, 1), ("nhv-sthlm-ex", "consultation,assessment", 1, 0)] and all(u["catchment"] for u in x)' \
    unit list --as-of 2025-06-01 --type nhv
t "trainings: participants by region" \
    '[r["participants"] for r in x if r["key"] == "total"] == [395]' \
    training stats --by region
t "activities' funding: region 12 allocated 500,000 and spent 370,000 in 2025" \
    '[(r["allocated"], r["spent"]) for r in x if r["region"] == "12"] == [(500000, 370000)]' \
    activity funding --year 2025
t "consultations: one answered with a referral, one open" \
    'sorted(c["status"] for c in x) == ["answered", "asked"]' \
    consultation list
finish
