# tests/integration/cli_indicators.sh: knod indicators list | show | check.
. "$SRCDIR/tests/integration/lib.sh"
IND="$SRCDIR/data/indicators"

# list: every shipped file's id, once, with its version, goal and Swedish title
run "$KNOD" indicators list
check_rc "list succeeds" 0
missing=""
for f in "$IND"/*.ind; do
    id=$(basename "$f" .ind)
    printf '%s\n' "$out" | grep -Eq "^$id +v[0-9]+ " || missing="$missing $id"
done
if [ -z "$missing" ]; then ok "list names every shipped indicator"; else
    not_ok "list names every shipped indicator" "missing:$missing"; fi
nfiles=$(ls "$IND"/*.ind | wc -l)
nlines=$(printf '%s\n' "$out" | grep -c .)
if [ "$nfiles" -eq "$nlines" ] && [ "$nfiles" -ge 32 ]; then ok "list has one line per indicator ($nlines)"; else
    not_ok "list has one line per indicator" "$nlines lines for $nfiles files"; fi
check_out "list shows version, goal and Swedish title" \
    "^ref-a +v1 +self-harm +Unga med självskada per 100 000 invånare \(referens a\)$"
run "$KNOD" indicators list --json
if printf '%s\n' "$out" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
ids = [r["id"] for r in rows]
assert len(ids) == len(set(ids)) and "ref-f" in ids, ids
assert all(len(r["fingerprint"]) == 16 and r["version"] >= 1 for r in rows)
'; then ok "list --json: one object per indicator, unique ids"; else
    not_ok "list --json: one object per indicator, unique ids" "$out"; fi

# show
run "$KNOD" indicators show ref-a
check_rc "show ref-a succeeds" 0
check_out "show prints the Swedish title" "^title \(sv\) +Unga med självskada per 100 000 invånare \(referens a\)$"
check_out "show prints the English title" "^title \(en\) +Young people with self-harm per 100,000 population \(reference a\)$"
check_out "show prints where it was defined" "^defined at +data/indicators/ref-a\.ind:2$"
check_out "show prints the measures with their units" "^measures +rate \(per 100,000 population\)$"
run "$KNOD" indicators show vf-risk-assessment-24h
check_out "show prints a target" "^target +share >= 90$"
run "$KNOD" indicators show no-such-indicator
check_rc "show of an unknown id is invalid input" 1
check_err "it names the id" "no indicator 'no-such-indicator'"
run "$KNOD" indicators show
check_rc "show without an id is a usage error" 2

# check
run "$KNOD" indicators check "$IND"/*.ind
check_rc "check accepts the shipped files" 0
# a file holds one indicator, in one or more versions (one `indicator` line each)
ndefs=$(cat "$IND"/*.ind | grep -c '^indicator ')
check_out "check counts the definitions" "^$ndefs indicator definitions: ok$"
run "$KNOD" indicators check "$IND/coe-per-care-days.ind"
check_rc "check resolves a ratio to another shipped indicator" 0

cat > "$T/broken.ind" <<'IND'
indicator t-broken
version 1
title sv "Trasig"
title en "Broken"
description sv "x"
description en "y"
owner "o"
goal quality
from act
where colour red
measure n count events
direction lower
IND
run "$KNOD" indicators check "$T/broken.ind"
check_rc "check rejects a broken file with exit code 1" 1
check_err "the error names file:line:col" "broken\.ind:10:7: unknown field 'colour'"
if [ -z "$out" ]; then ok "nothing on stdout for a broken file"; else
    not_ok "nothing on stdout for a broken file" "$out"; fi

sed 's/^where colour red$/where has act in start [7d, 1d]/' "$T/broken.ind" > "$T/window.ind"
run "$KNOD" indicators check "$T/window.ind"
check_rc "an empty window is rejected" 1
check_err "it points at the window" "window\.ind:10:24: the window is empty"

sed '/^goal/d; /^where/d' "$T/broken.ind" > "$T/nogoal.ind"
run "$KNOD" indicators check "$T/nogoal.ind"
check_rc "a missing statement is rejected" 1
check_err "it names the indicator's line" "nogoal\.ind:1:1: indicator t-broken: 'goal G' is missing"

sed 's/^where colour red$/measure r ratio n \/ ref-b:no_such per 100/' "$T/broken.ind" > "$T/ratio.ind"
run "$KNOD" indicators check "$T/ratio.ind"
check_rc "a ratio to an unknown measure is rejected" 1
check_err "it names the measure's line" "ratio\.ind:10:1: measure r: the denominator ID:MEASURE is not in the catalogue"

sed 's/^where colour red$//' "$T/broken.ind" > "$T/good.ind"
run "$KNOD" indicators check "$T/good.ind" "$T/broken.ind"
check_rc "one bad file among good ones fails the check" 1
run "$KNOD" indicators check "$T/no-such-file.ind"
check_rc "a file that cannot be read is a runtime error (3)" 3
check_err "it names the file" "no-such-file\.ind"
run "$KNOD" indicators check
check_rc "check without files is a usage error" 2
run "$KNOD" indicators frobnicate
check_rc "an unknown subcommand is a usage error" 2
finish
