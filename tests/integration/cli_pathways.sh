# tests/integration/cli_pathways.sh: knod pathways list|show|check: the
# shipped pathways are consistent with the shipped catalogue and the
# registry (this is the check `make check` runs on data/pathways), and
# broken data given with --data is refused with the file, line and field.
. "$SRCDIR/tests/integration/lib.sh"

run "$KNOD" pathways check
check_rc "the shipped pathways pass the check" 0
check_out "... both pathways counted" "^2 pathways, [0-9]+ steps: consistent"

run "$KNOD" pathways list
check_rc "list" 0
check_out "... the adult pathway" "^adult +v1 +[0-9]+ steps +Vårdförlopp självskadebeteende hos vuxna"
check_out "... the child pathway" "^child +v1 "

run "$KNOD" pathways show child
check_rc "show child" 0
check_out "... the SIP step with its limit and indicator" "sip +Samordnad individuell plan \(SIP\) \(within 30d of 1_first_contact\) \[vf-child-sip-30d\]"

run "$KNOD" pathways show adult --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
p = json.load(sys.stdin)
steps = [s for ph in p["phases"] for s in ph["steps"]]
codes = [s["code"] for s in steps]
assert p["code"] == "adult" and p["title"]["en"].startswith("Care pathway"), p["title"]
for c in ["1_first_contact", "2_assessment", "3_care_plan", "4_treatment", "5_exit"]:
    assert c in codes, c
a = [s for s in steps if s["code"] == "2_assessment"][0]
assert a["limit"] == "7d" and a["limit_from"] == "1_first_contact", a
assert a["indicator"] == "vf-adult-assess-7d" and a["indicators_more"] == ["vf-adult-assess-median"], a
assert a["assumption"], "the 7-day limit is marked as an assumption"
'; then ok "show --format json: phases, steps, limits, indicators, assumptions"; else
    not_ok "show --format json" "$out"; fi

run "$KNOD" pathways show teen
check_rc "an unknown pathway: exit 1" 1
check_err "... named" "no pathway 'teen'"

# Broken copies of the shipped data.
mkdir -p "$T/p"
cp "$SRCDIR"/data/pathways/*.csv "$T/p/"
run "$KNOD" pathways check --data "$T/p"
check_rc "a copy of the data passes" 0
line=$(grep -n '^child,sip,' "$T/p/steps.csv" | cut -d: -f1)
sed -i 's/^child,sip,planning,\(.*\),30d,1_first_contact,vf-child-sip-30d,/child,sip,planning,\1,10d,1_first_contact,vf-child-sip-30d,/' "$T/p/steps.csv"
run "$KNOD" pathways check --data "$T/p"
check_rc "a limit that is not its indicator's window: exit 1" 1
check_err "... file, line and field" "steps.csv:$line: 'limit': 10d is not the window of vf-child-sip-30d, which ends at 30d"

cp "$SRCDIR"/data/pathways/steps.csv "$T/p/"
sed -i 's/,vf-adult-care-plan-30d,/,vf-adult-plan-99d,/' "$T/p/steps.csv"
line=$(grep -n 'vf-adult-plan-99d' "$T/p/steps.csv" | cut -d: -f1)
run "$KNOD" pathways check --data "$T/p"
check_rc "an indicator not in the catalogue: exit 1" 1
check_err "... file, line and field" "steps.csv:$line: 'indicator': no indicator 'vf-adult-plan-99d' in the catalogue"

# ... unless an own catalogue defines it (as knod indicators --catalogue)
sed 's/vf-adult-care-plan-30d/vf-adult-plan-99d/g' "$SRCDIR/data/indicators/vf-adult-care-plan-30d.ind" > "$T/own.ind"
run "$KNOD" pathways check --data "$T/p" --catalogue "$T/own.ind"
check_rc "... defined in --catalogue: passes" 0

cp "$SRCDIR"/data/pathways/steps.csv "$T/p/"
printf 'adult,2_assessment,assessment,Igen,Again,a,a,e,e,,,,,step,,p,p,r,r\n' >> "$T/p/steps.csv"
line=$(wc -l < "$T/p/steps.csv")
run "$KNOD" pathways check --data "$T/p"
check_rc "a repeated step code: exit 1" 1
check_err "... file, line and field" "steps.csv:$line: 'code': repeated in this pathway"

cp "$SRCDIR"/data/pathways/steps.csv "$T/p/"
rm "$T/p/phases.csv"
run "$KNOD" pathways check --data "$T/p"
check_rc "a missing file: exit 3" 3
check_err "... named" "cannot read '.*phases.csv'"

finish
