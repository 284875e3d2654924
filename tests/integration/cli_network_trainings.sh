# tests/integration/cli_network_trainings.sh: knod training, trainings and
# their participants as counts per region, organisation and profession.
. "$SRCDIR/tests/integration/lib.sh"

"$KNOD" init --dir "$T/k" >/dev/null 2>&1
export KNOD_DIR="$T/k"
add() { "$KNOD" training add --organiser "Kunskapsnod Skåne" "$@"; }
run add --kind attitude-course --title "Bemötande vid självskada" --start 2025-03-10 --end 2025-03-11 --mode on-site --targets care
check_rc "training add" 0
check_out "... numbered" "^training 1: added$"
run add --kind dbt --title "DBT grundkurs" --start 2025-09-01 --end 2025-09-05 --mode on-site --targets care,school-health
check_rc "a second, with two target groups" 0
run add --kind web-training --title "Webbutbildning" --start 2026-01-10 --end 2026-01-10 --mode self-paced --targets care
check_rc "a third, in 2026" 0
run add --kind seminar --title x --start 2025-01-01 --end 2025-01-01 --mode digital --targets care
check_err "a bad kind lists the kinds" "^knod: error: --kind: 'seminar' is not one of attitude-course"
run add --kind dbt --title x --start 2025-01-02 --end 2025-01-01 --mode digital --targets care
check_err "the end before the start" "^knod: error: --end: before --start"
run add --kind dbt --title x --start 2025-01-01 --end 2025-01-01 --mode digital --targets care,pirates
check_err "a bad target group" "^knod: error: --targets: 'pirates' is not one of"
run add --kind dbt --title "Kurs för 19121212-1212" --start 2025-01-01 --end 2025-01-01 --mode digital --targets care
check_rc "a title with a personnummer is refused" 1
if printf '%s' "$errout" | grep -q 1212; then not_ok "... without echoing it" "$errout"; else ok "... without echoing it"; fi

cat > "$T/p1.csv" <<'CSV'
region,organisation,profession,participants
12,Region Skåne,nurse,14
12,Malmö stad,social-worker,9
07,Region Kronoberg,psychologist,3
CSV
printf 'profession,participants,region,organisation\nnurse,5,12,Region Skåne\nteacher,7,01,Stockholms stad\n' > "$T/p2.csv"
printf 'region,organisation,profession,participants\n01,Region Stockholm,nurse,4\n' > "$T/p3.csv"
run "$KNOD" training participants 1 "$T/p1.csv"
check_out "participants loaded" "^training 1: 3 rows, 26 participants$"
run "$KNOD" training participants 2 "$T/p2.csv"
check_out "columns in any order" "^training 2: 2 rows, 12 participants$"
"$KNOD" training participants 3 "$T/p3.csv" >/dev/null

printf 'region,organisation,profession,participants\n12,Region Skåne,nurse,1\n12,Region Skåne,nurse,2\n' > "$T/dup.csv"
run "$KNOD" training participants 1 "$T/dup.csv"
check_err "a repeated row names file and line" "^knod: error: .*dup.csv:3: the region, organisation and profession of an earlier row again"
printf 'region,organisation,profession,participants\n12,Region Skåne,nurse,1\n99,X,nurse,2\n' > "$T/bad.csv"
run "$KNOD" training participants 1 "$T/bad.csv"
check_err "a bad region names file, line and column" "bad.csv:3: region: '99' is not a region code"
printf 'region,organisation,profession,participants\n12,Region Skåne,janitor,1\n' > "$T/bad2.csv"
run "$KNOD" training participants 1 "$T/bad2.csv"
check_err "a bad profession" "bad2.csv:2: profession: 'janitor' is not one of"
printf 'region,organisation,participants\n12,Region Skåne,1\n' > "$T/bad3.csv"
run "$KNOD" training participants 1 "$T/bad3.csv"
check_err "a missing column" "bad3.csv:1: the header lacks column 'profession'"
run "$KNOD" training participants 9 "$T/p1.csv"
check_err "an unknown training" "no training 9"
run "$KNOD" training list --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
t = {x["id"]: x for x in json.load(sys.stdin)}
assert t[1]["participants"] == 26, t[1]  # the failed loads changed nothing
assert t[2]["target_groups"] == "care,school-health" and t[2]["mode"] == "on-site", t[2]
assert t[3]["starts"] == "2026-01-10" and t[3]["mode"] == "self-paced", t[3]
'; then ok "list: a failed load changes nothing"; else not_ok "list" "$out"; fi

run "$KNOD" training stats --by region --from 2025-01-01 --to 2025-12-31 --format csv
if [ "$out" = "$(printf 'key,trainings,participants\n01,1,7\n07,1,3\n12,2,28\ntotal,2,38')" ]; then
    ok "stats by region in 2025 (the 2026 training left out)"; else not_ok "stats by region" "$out"; fi
run "$KNOD" training stats --by profession --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
s = {x["key"]: (x["trainings"], x["participants"]) for x in json.load(sys.stdin)}
assert s == {"nurse": (3, 23), "social-worker": (1, 9), "psychologist": (1, 3), "teacher": (1, 7), "total": (3, 42)}, s
'; then ok "stats by profession, all years"; else not_ok "stats by profession" "$out"; fi
run "$KNOD" training stats --by kind --from 2025-01-01 --to 2025-12-31
check_out "stats by kind" "^dbt +1 +12$"
run "$KNOD" training stats --by colour
check_err "a bad --by" "^knod: error: --by: 'colour' is not one of region, profession, organisation or kind"
run "$KNOD" training stats
check_rc "stats without --by is a usage error" 2
run "$KNOD" training update 2 --title "DBT grundkurs, del 1" --end 2025-09-03 --mode hybrid --by lead
check_out "training update" "^training 2: updated$"
run "$KNOD" training list --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
t = {x["id"]: x for x in json.load(sys.stdin)}[2]
assert t["title"] == "DBT grundkurs, del 1" and t["ends"] == "2025-09-03" and t["mode"] == "hybrid" and t["starts"] == "2025-09-01" and t["participants"] == 12, t
'; then ok "... the fields given changed, the rest and the participants kept"; else not_ok "training update" "$out"; fi
run "$KNOD" training update 2 --end 2025-08-01
check_err "an end before the start" "^knod: error: --end: before --start"
run "$KNOD" training update 2 --mode radio
check_err "a bad mode" "^knod: error: --mode: 'radio' is not one of"
run "$KNOD" training update 2 --title "Kurs 19121212-1212"
if printf '%s' "$errout" | grep -q 1212; then not_ok "a personnummer is refused unechoed" "$errout"; else ok "a personnummer is refused unechoed"; fi
run "$KNOD" training update 9 --title x
check_err "an unknown training" "no training 9"
run "$KNOD" audit show --user lead
check_out "the change is audited" "training-change +2"
finish
