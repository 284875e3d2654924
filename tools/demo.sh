#!/bin/sh
# tools/demo.sh KNOD DIR [PERSONS]: the main job of `make demo`.
# Creates a fresh demo knod directory in DIR, writes a synthetic country
# (knod synth), imports it (knod import) and shows what the store holds.
# It adds one demo user per role (known passwords, printed: for the demo
# only) and ends by serving the portal on http://127.0.0.1:8080/ (Ctrl-C
# stops it; set DEMO_SERVE=0 to end without serving).
set -eu
KNOD=$1
DIR=$2
PERSONS=${3:-100000}
if [ -e "$DIR" ]; then
    # Only ever remove a directory that knod made.
    if [ -f "$DIR/knod.ini" ] || [ -z "$(ls -A "$DIR")" ]; then
        rm -rf "$DIR"
    else
        echo "demo: '$DIR' exists and is not a knod directory; not touching it" >&2
        exit 1
    fi
fi
"$KNOD" init --dir "$DIR"
echo
echo "== a synthetic country: $PERSONS young persons in care, 2020-2024 (fictional data)"
"$KNOD" synth --persons "$PERSONS" --seed 1 --out "$DIR/synth"
echo
echo "== importing it (validated, every personnummer pseudonymised at the door)"
"$KNOD" import --quiet --dir "$DIR" "$DIR/synth"
echo
echo "== what the store holds"
"$KNOD" status --dir "$DIR"
echo
echo "== the three national numbers, 2024, per region: fictional data, suppressed as for"
echo "   the public; against the nation (funnel limits) and a project target of 10 % fewer than 2020"
"$KNOD" indicators run --dir "$DIR" --id sh-young-rate,adm-sh-young-rate,coe-young \
    --period 2024 --by region --level region --headline --format table
echo
echo "== the evidence and practice register: example references and practices (written for knod)"
SRC=$(cd "$(dirname "$0")/.." && pwd)
"$KNOD" refs import "$SRC/data/examples/hub/references.ris" --dir "$DIR"
while IFS= read -r line; do
    case "$line" in '#'* | '') continue ;; esac
    eval "set -- $line"
    "$KNOD" practice add --dir "$DIR" "$@" >/dev/null
done < "$SRC/data/examples/hub/practices.txt"
"$KNOD" practice list --dir "$DIR" --format csv | cut -d, -f1-5
# references linked to the pathway steps they support (shown on /pathways/{code})
"$KNOD" refs link 10.1002/14651858.CD013668.pub2 --step adult/4_treatment --dir "$DIR" --by demo
"$KNOD" refs link 10.1002/14651858.CD013667.pub2 --step child/4_treatment --dir "$DIR" --by demo
"$KNOD" refs link '10.1016/S0140-6736(12)60322-5' --step child/risk_assessment --dir "$DIR" --by demo
echo
echo "== the knowledge hub: example knowledge-support documents (written for knod)"
"$KNOD" docs import "$SRC/data/examples/docs" --dir "$DIR" --by demo
"$KNOD" docs import "$SRC/data/examples/hub/docs" --dir "$DIR" --by demo
"$KNOD" docs search självskada --dir "$DIR"
echo
echo "== the care pathways as data (data/pathways), checked against the catalogue and the registry"
"$KNOD" pathways check
"$KNOD" pathways list
echo "   on the portal: /documents, /pathways/adult, /pathways/child and /pathways/child/patientresa"
echo
echo "== the network: example events, and a grant divided by population share"
while IFS= read -r line; do
    case "$line" in '#'* | '') continue ;; esac
    eval "set -- $line"
    "$KNOD" events add --dir "$DIR" "$@" >/dev/null
done < "$SRC/data/examples/events.txt"
"$KNOD" events list --dir "$DIR"
echo "   the example network (data/examples/network): nodes, the national working group"
echo "   with its vacancies, a network's meetings, units and NHV clinics with history,"
echo "   trainings, funded activities and consultations"
while IFS= read -r line; do
    case "$line" in '#'* | '') continue ;; esac
    eval "set -- $line"
    "$KNOD" "$@" --dir "$DIR" >/dev/null
done < "$SRC/data/examples/network/network.txt"
"$KNOD" group gaps nag --dir "$DIR" --as-of 2025-06-01
"$KNOD" funding allocate --grant 10000000 --year 2025 | head -8
echo "   ..."
echo
echo "== the network: the southern healthcare region's follow-up survey, synthetic paper answers"
"$KNOD" survey create "$SRC/data/examples/surveys/sodra-uppfoljning.json" --dir "$DIR"
"$KNOD" survey send 1 --to region:12 --count 40 --dir "$DIR" --out "$DIR/survey-1-links.txt"
"$KNOD" survey answer 1 "$SRC/data/examples/surveys/sodra-uppfoljning-svar.csv" --dir "$DIR"
echo "   links to answer it: $DIR/survey-1-links.txt (http://127.0.0.1:8080/s/...)"
echo "   a training's survey before and after it, and the change per scale question:"
"$KNOD" survey create "$SRC/data/examples/surveys/bemotande-fore.json" --dir "$DIR"
"$KNOD" survey create "$SRC/data/examples/surveys/bemotande-efter.json" --dir "$DIR"
"$KNOD" survey answer 2 "$SRC/data/examples/surveys/bemotande-fore-svar.csv" --dir "$DIR"
"$KNOD" survey answer 3 "$SRC/data/examples/surveys/bemotande-efter-svar.csv" --dir "$DIR"
"$KNOD" survey link 3 --pre 2 --dir "$DIR"
"$KNOD" survey change 3 --dir "$DIR" | grep -E '^question|mean'
echo
echo "Check personal identity numbers (Skatteverket's test numbers):"
"$KNOD" personnummer 201701012393 701063-2391 121212+1212 201701012394 || true
echo
echo "== demo log-ins, one per role (for the demo only: known passwords, never in production)"
DEMO_PW="demo-knod-lösen"
# A care unit of region 12 (Skåne) for the unit-scoped roles.
UNIT=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["region_code"] == "12" { print $c["code"]; exit }' "$DIR/synth/units.csv")
add_user() {
    printf '%s' "$DEMO_PW" | "$KNOD" user add "$@" --dir "$DIR" --by demo >/dev/null
}
add_user admin.demo --role admin
add_user analys.demo --role analyst
add_user samordnare.skane --role coordinator --region 12
add_user samordnare.sthlm --role coordinator --region 01
add_user registrator.skane --role registrar --region 12
add_user registrator.sthlm --role registrar --region 01
[ -n "$UNIT" ] && add_user behandlare.demo --role clinician --unit "$UNIT"
printf '   %-20s %-22s %s\n' "user" "role" "scope" \
    admin.demo administrator "the nation" \
    analys.demo "national analyst" "the nation" \
    samordnare.skane "regional coordinator" "region 12 Skåne" \
    samordnare.sthlm "regional coordinator" "region 01 Stockholm" \
    registrator.skane registrar "region 12 Skåne" \
    registrator.sthlm registrar "region 01 Stockholm"
[ -n "$UNIT" ] && printf '   %-20s %-22s %s\n' behandlare.demo "NHV clinician" "unit $UNIT"
echo "   password for every one: $DEMO_PW"
# The example documents' owners answer for their yearly review (docs/hub.md):
# their reminders are on these users' account pages.
"$KNOD" docs owner "Nationella arbetsgruppen för självskadebeteende" --user analys.demo \
    --by demo --dir "$DIR" >/dev/null
"$KNOD" docs owner "Kunskapsnod Skåne" --user samordnare.skane --by demo --dir "$DIR" >/dev/null
echo "   the example documents' yearly reviews: analys.demo (the national working"
echo "   group's) and samordnare.skane (Kunskapsnod Skåne's), on /account"
echo "   sign in at http://127.0.0.1:8080/login"
echo
echo "Next: KNOD_DIR=$DIR $KNOD help"
if [ "${DEMO_SERVE:-1}" != 0 ]; then
    echo
    echo "== the portal: open http://127.0.0.1:8080/ in a browser (Ctrl-C stops it)"
    exec "$KNOD" serve --dir "$DIR" --listen 127.0.0.1:8080
fi
