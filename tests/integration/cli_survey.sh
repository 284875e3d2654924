# tests/integration/cli_survey.sh: knod survey, a round trip: a
# questionnaire created from a file (broken ones refused by path and
# field), sent as links to a region and a training's participants, answered
# on paper (a bad row names file, line and question, and stores nothing),
# reported with small groups suppressed by knod.ini's min_count, closed,
# exported, a new version after sending, and a pre/post change.
. "$SRCDIR/tests/integration/lib.sh"

"$KNOD" init --dir "$T/k" >/dev/null 2>&1
export KNOD_DIR="$T/k"
EX="$SRCDIR/data/examples/surveys"
run "$KNOD" survey create "$EX/sodra-uppfoljning.json"
check_rc "create the example" 0
check_out "... numbered, version 1" "^survey 1: added \(version 1\)$"

printf '{"code": "x", "title": {"sv": "a", "en": "b"},\n "questions": [{"id": "q", "kind": "scale", "text": {"sv": "a", "en": "b"}}]}\n' > "$T/bad.json"
run "$KNOD" survey create "$T/bad.json"
check_err "a broken questionnaire names the file, path and field" "^knod: error: .*bad.json: questions\[0\]: scale: is missing|^knod: error: .*bad.json: questions\[0\].scale: is missing"
printf '{"code": "x",\n  "title": }\n' > "$T/bad2.json"
run "$KNOD" survey create "$T/bad2.json"
check_err "malformed JSON names line and column" "bad2.json:2:[0-9]+: not valid JSON"
check_rc "... exit 1" 1

run "$KNOD" survey send 1 --to region:12 --count 5 --out "$T/links.txt"
check_rc "send five links to region 12" 0
[ "$(wc -l < "$T/links.txt")" -eq 5 ] && ok "... five links" || not_ok "five links" "$(cat "$T/links.txt")"
grep -Eqv '^/s/[A-Za-z0-9_-]{32}$' "$T/links.txt" && not_ok "links are /s/TOKEN" "$(cat "$T/links.txt")" || ok "links are /s/TOKEN"
[ "$(stat -c %a "$T/links.txt")" = 600 ] && ok "... written 0600" || not_ok "links file mode"
tok=$(head -1 "$T/links.txt" | cut -c4-)
[ "$(sqlite3 "$T/k/knod.db" "SELECT count(*) FROM net_survey_token WHERE hash = '$tok'")" = 0 ] \
    && ok "the token is not stored" || not_ok "the token is not stored"
run "$KNOD" survey send 1 --to region:99 --count 5
check_err "a bad region" "region: '99' is not a region code"

"$KNOD" training add --kind attitude-course --title Bemötande --start 2025-03-10 --end 2025-03-10 \
    --mode on-site --targets care --organiser Nod >/dev/null
printf 'region,organisation,profession,participants\n12,Region Skåne,nurse,14\n07,Region Kronoberg,psychologist,3\n' > "$T/p.csv"
"$KNOD" training participants 1 "$T/p.csv" >/dev/null
run "$KNOD" survey send 1 --to training:1
check_rc "send to a training's participants" 0
check_err "... as many as its participants" "17 invitations to training:1"
run "$KNOD" survey send 1 --to pirates:1 --count 1
check_err "a bad kind of target" "--to: 'pirates' is not one of"

# paper answers: a bad row stores nothing
cp "$EX/sodra-uppfoljning-svar.csv" "$T/svar.csv"
printf 'bup,skane,ja,7,3,,,nej,,ingen,,\n' >> "$T/svar.csv"
bad_line=$(wc -l < "$T/svar.csv")
run "$KNOD" survey answer 1 "$T/svar.csv"
check_err "a bad answer names file, line and question" "svar.csv:$bad_line: bemotande-nytta: not one of the question's options"
printf 'verksamhet,region,bemotande-deltagit,bemotande-trygghet,nhv-kannedom,ovrigt\nbup,skane,ja,4,vet,Ring mig på 19121212-1212\n' > "$T/pnr.csv"
run "$KNOD" survey answer 1 "$T/pnr.csv"
check_err "free text with a personnummer is refused" "pnr.csv:2: ovrigt: holds a personnummer-shaped number"
case "$errout" in *1212*) not_ok "... without echoing it" "$errout";; *) ok "... without echoing it";; esac
run "$KNOD" survey list --format json
printf '%s' "$out" | python3 -c 'import json,sys; assert json.load(sys.stdin)[0]["responses"] == 0' \
    && ok "the refused files stored nothing" || not_ok "the refused files stored nothing" "$out"
run "$KNOD" survey answer 1 "$EX/sodra-uppfoljning-svar.csv"
rows=$(($(wc -l < "$EX/sodra-uppfoljning-svar.csv") - 1))
check_out "the paper answers" "^survey 1: $rows paper answers added$"

# the report against an independent count of the CSV, with min_count 5
run "$KNOD" survey report 1 --format json
printf '%s' "$out" > "$T/report.json"
if python3 - "$EX/sodra-uppfoljning-svar.csv" "$T/report.json" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
rep = json.load(open(sys.argv[2]))
MIN = 5
seen = 0
for r in rep:
    q, opt = r['question'], r['option']
    if r['kind'] == 'text':
        continue
    vals = [x[q] for x in rows if x[q]]
    resp = len(vals)
    n = sum(1 for v in vals if opt in v.split(';'))
    if resp < MIN:
        assert r['count'] is None and r['respondents'] is None, r
        continue
    assert r['respondents'] == resp, (r, resp)
    if 0 < n < MIN:
        assert r['count'] is None and r['status'] == 'count', (r, n)
    elif r['count'] is None:
        assert r['status'] == 'complementary', r
    else:
        assert r['count'] == n, (r, n)
        assert abs(r['share'] - n / resp) < 1e-4, r
        seen += 1
# a single choice or scale question never has exactly one hidden option
by = {}
for r in rep:
    if r['kind'] in ('single', 'scale') and r['respondents'] is not None:
        by.setdefault(r['question'], []).append(r['count'] is None)
assert all(sum(h) != 1 for h in by.values()), by
assert seen > 20, seen
PY
then ok "report: counts, shares and suppression agree with the CSV"; else not_ok "report" "$out"; fi
run "$KNOD" survey report 1 --lang en
check_out "English labels" "Child and adolescent psychiatry"

run "$KNOD" survey export 1
[ "$(printf '%s\n' "$out" | wc -l)" -eq $((rows + 1)) ] && ok "export: one row per response" \
    || not_ok "export rows" "$out"
check_out "... with the question columns" "^response,answered_on,via,verksamhet,region,"

# a sent survey cannot change: the same file is version 2
run "$KNOD" survey create "$EX/sodra-uppfoljning.json"
check_out "a sent survey is not replaced: version 2" "^survey 2: added \(version 2\)$"
run "$KNOD" survey create "$EX/sodra-uppfoljning.json"
check_out "an unsent version is replaced" "^survey 2: replaced, not yet sent \(version 2\)$"

run "$KNOD" survey close 1
check_out "close" "^survey 1: closed$"
run "$KNOD" survey answer 1 "$EX/sodra-uppfoljning-svar.csv"
check_err "no paper answers after close" "survey 1 is closed"
run "$KNOD" survey send 1 --to region:12 --count 1
check_err "no sending after close" "survey 1 is closed"
run "$KNOD" survey close 1
check_err "closed twice" "closed already"

# pre/post: survey 2 after survey 1, on the same scale questions
printf 'bemotande-trygghet\n' > "$T/post.csv"
for i in 1 2 3 4 5 6 7 8; do echo 5; done >> "$T/post.csv"
for i in 1 2 3 4 5 6; do echo 4; done >> "$T/post.csv"
printf '{"code":"post","title":{"sv":"Efter","en":"After"},"questions":[{"id":"bemotande-trygghet","kind":"scale","text":{"sv":"a","en":"b"},"scale":{"min":1,"max":5,"min_label":{"sv":"a","en":"a"},"max_label":{"sv":"b","en":"b"}}}]}' > "$T/post.json"
"$KNOD" survey create "$T/post.json" >/dev/null
run "$KNOD" survey change 3
check_err "change needs a linked survey" "has no survey before it"
run "$KNOD" survey link 3 --pre 1
check_rc "link" 0
"$KNOD" survey answer 3 "$T/post.csv" >/dev/null
run "$KNOD" survey change 3 --format json
if printf '%s' "$out" | python3 -c '
import json, sys
rows = {r["option"]: r for r in json.load(sys.stdin)}
m = rows["mean"]
assert m["post_mean"] is not None and abs(m["post_mean"] - (8*5 + 6*4) / 14) < 1e-4, m
assert rows["5"]["post_count"] == 8 and rows["4"]["post_count"] == 6, rows
assert rows["1"]["post_count"] == 0, rows
'; then ok "change: the post survey's counts and mean"; else not_ok "change" "$out"; fi

run "$KNOD" survey report 1 --bogus
check_rc "a bogus option is a usage error" 2
run "$KNOD" survey report x
check_rc "a bad ID is a usage error" 2
finish
