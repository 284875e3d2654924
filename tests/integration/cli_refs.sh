# tests/integration/cli_refs.sh: knod refs and knod practice, the evidence
# and practice register: RIS and CSL-JSON in and out (the round trip RIS ->
# store -> CSL-JSON -> store gives the same references), duplicates by DOI
# skipped or merged, broken files refused whole with file, line and field,
# search by Swedish word forms, and practices whose links must exist.
. "$SRCDIR/tests/integration/lib.sh"

"$KNOD" init --dir "$T/a" >/dev/null 2>&1
"$KNOD" init --dir "$T/b" >/dev/null 2>&1
export KNOD_DIR="$T/a"
EX="$SRCDIR/data/examples/hub"

run "$KNOD" refs import "$EX/references.ris"
check_rc "refs import (RIS)" 0
check_out "... five added" "references.ris: 5 added, 0 duplicates skipped$"
run "$KNOD" refs import "$EX/references.ris"
check_rc "the same file again" 0
check_out "... each a duplicate, reported by line and DOI" \
    "references.ris:14: duplicate of reference 2 \(DOI 10.1002/14651858.cd013667.pub2\): skipped"
check_out "... nothing added" "0 added, 5 duplicates skipped$"
check_out "... one without a DOI by its title and year" \
    "references.ris:1: duplicate of reference 1 \(title and year Self-harm: assessment"
cnt=$("$KNOD" refs list --format csv | tail -n +2 | wc -l)
[ "$cnt" -eq 5 ] && ok "... and still five stored" || not_ok "... and still five stored" "$cnt"

# The round trip: RIS -> store a -> CSL-JSON -> store b; both give the same RIS.
"$KNOD" refs export --format csl-json > "$T/a.json"
run "$KNOD" refs import "$T/a.json" --dir "$T/b"
check_rc "refs import (CSL-JSON) into another store" 0
"$KNOD" refs export --format ris > "$T/a.ris"
"$KNOD" refs export --format ris --dir "$T/b" > "$T/b.ris"
if cmp -s "$T/a.ris" "$T/b.ris" && [ -s "$T/a.ris" ]; then ok "the round trip gives the same references"
else not_ok "the round trip gives the same references" "$(diff "$T/a.ris" "$T/b.ris" | head)"; fi
# The numbers are each store's own; everything else is the same.
"$KNOD" refs export --format csv | cut -d, -f2- > "$T/a.csv"
"$KNOD" refs export --format csv --dir "$T/b" | cut -d, -f2- > "$T/b.csv"
check "... and the same CSV but for the numbers" cmp -s "$T/a.csv" "$T/b.csv"
python3 - "$T/a.json" <<'PY' && ok "the CSL-JSON export is CSL (types, names, dates, custom)" || not_ok "the CSL-JSON export is CSL"
import json, sys
a = json.load(open(sys.argv[1]))
assert len(a) == 5, a
lancet = [x for x in a if x.get("DOI") == "10.1016/s0140-6736(12)60322-5"][0]
assert lancet["type"] == "article-journal" and lancet["page"] == "2373-2382", lancet
assert lancet["author"][0] == {"family": "Hawton", "given": "Keith"}, lancet
assert lancet["issued"] == {"date-parts": [[2012]]}, lancet
nice = [x for x in a if x["type"] == "report"][0]
assert nice["author"] == [{"literal": "National Institute for Health and Care Excellence"}]
assert nice["custom"] == {"study_type": "guideline", "public": True}, nice
PY

# Merge: the stored reference keeps its fields and gains what it lacks.
cat > "$T/more.json" <<'J'
[{"type": "article-journal", "title": "A different title", "DOI": "https://doi.org/10.1016/J.JAAC.2014.07.003",
  "URL": "https://example.org/dbt", "keyword": "DBT, föräldrar", "custom": {"evidence_grade": "high"}}]
J
run "$KNOD" refs import "$T/more.json"
check_out "a duplicate in another DOI form is found" \
    "more.json: \[0\]: duplicate of reference 5 \(DOI 10.1016/j.jaac.2014.07.003\): skipped"
run "$KNOD" refs import "$T/more.json" --merge
check_out "... and merged with --merge" "more.json: 0 added, 1 duplicates merged"
run "$KNOD" refs show 10.1016/j.jaac.2014.07.003 --format json
if printf '%s' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["title"].startswith("Dialectical behavior therapy"), r
assert r["grade"] == "moderate" and r["url"] == "https://example.org/dbt", r
assert r["topics"] == "självskada, ungdomar, DBT, föräldrar", r
'; then ok "... keeping the stored fields, adding the missing ones"; else not_ok "... merged fields" "$out"; fi

# Broken files are refused whole, naming file, line (or JSON path) and field.
printf 'TY  - JOUR\nTI  - Fine\nER  - \nTY  - JOUR\nTI  - Bad\nDO  - 10.99\nER  - \n' > "$T/bad.ris"
run "$KNOD" refs import "$T/bad.ris"
check_rc "a bad DOI is refused" 1
check_err "... with file, line and tag" "bad.ris:6: DO: not a DOI"
printf 'TY  - JOUR\nTI  - Fine\nER  - \nTY  - JOUR\nTI  - x\nAB  - Ring 19121212-1212\nER  - \n' > "$T/pnr.ris"
run "$KNOD" refs import "$T/pnr.ris"
check_err "a personnummer in a summary is refused" "pnr.ris:6: AB holds a personnummer-shaped number"
case "$errout" in *1212*) not_ok "... without echoing it" "$errout";; *) ok "... without echoing it";; esac
cnt=$("$KNOD" refs list --format csv | tail -n +2 | wc -l)
[ "$cnt" -eq 5 ] && ok "... and nothing of those files is stored" || not_ok "nothing stored" "$cnt"
printf '[{"title": "a", "author": [{"given": "X"}]}]' > "$T/bad.json"
run "$KNOD" refs import "$T/bad.json"
check_err "CSL-JSON: the path of the fault" "bad.json: \[0\].author\[0\]: needs family or literal"
run "$KNOD" refs import "$T/bad.txt"
check_rc "a file whose name says no format is a usage error" 2
run "$KNOD" refs export --format bibtex
check_rc "an unknown export format is a usage error" 2

# Filters and search.
run "$KNOD" refs list --type rct --format csv
check_out "list --type" "^5,article,rct,moderate,2014"
run "$KNOD" refs list --topic VUXNA --format csv
check_out "list --topic (case ignored)" "^3,"
run "$KNOD" refs search självskador --format csv
if [ "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" -eq 5 ]; then ok "search: a word form finds all five"
else not_ok "search: a word form" "$out"; fi
run "$KNOD" refs search "beteendeterapi ungdomar" --format csv
check_out "search: words inside compounds" "^5,"
run "$KNOD" refs show 99
check_rc "show of an unknown reference" 1

# Practices: the links must exist.
p() { "$KNOD" practice add --unit "BUP (exempel)" --target-group "Unga 13-17 år" \
    --contact-role Enhetschef --start 2025-01-01 --evaluation ongoing "$@"; }
run p --title "Tidig uppföljning" --region 01 --level early \
    --references "2,https://doi.org/10.1016/S0140-6736(12)60322-5" --indicators sh-young-rate --public
check_rc "practice add" 0
check_out "... numbered" "^practice 1: added$"
run p --title x --region 01 --level early --references 10.1000/none
check_rc "an unknown reference is refused" 1
check_err "... named" "--references: no reference with DOI 10.1000/none"
run p --title x --region 01 --level early --indicators no-such-indicator
check_err "an unknown indicator is refused" "--indicators: no indicator 'no-such-indicator'"
run p --title x --region 01 --level sometimes
check_err "a bad level" "--level: 'sometimes' is not one of preventive, early or severe"
run p --title x --region 99 --level early
check_err "a bad region" "--region: '99' is not a region code"
run p --title x --region 01 --level early --description "Ring 19121212-1212"
check_rc "a personnummer in the description is refused" 1
case "$errout" in *1212*) not_ok "... without echoing it" "$errout";; *) ok "... without echoing it";; esac
run "$KNOD" practice show 1 --format json
if printf '%s' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)[0]
assert r["references"] == "2,4" and r["indicators"] == "sh-young-rate" and r["public"] == 1, r
assert r["level"] == "early" and r["starts"] == "2025-01-01", r
'; then ok "practice show: its links"; else not_ok "practice show" "$out"; fi
run "$KNOD" practice export
check_out "practice export: CSV" "^id,title,region,unit,level,target_group,contact_role,starts"
cnt=$(printf '%s\n' "$out" | tail -n +2 | wc -l)
[ "$cnt" -eq 1 ] && ok "... one practice, none of the refused" || not_ok "one practice" "$out"
run "$KNOD" practice list --region 03
check_rc "practice list of a region" 0
run "$KNOD" practice list --level sometimes
check_rc "practice list of an unknown level: usage error" 2
check_err "... naming the level and the levels there are" "--level: 'sometimes' is not one of preventive, early or severe"
run "$KNOD" practice export --level 19121212-1212
check_rc "practice export of a personnummer as level: usage error" 2
case "$out$errout" in *1212*) not_ok "... without echoing it" "$errout";; *) ok "... without echoing it";; esac
run "$KNOD" practice list --level early --format csv
check_rc "practice list of a known level" 0
check_out "... its practice" "^1,Tidig uppföljning"
run "$KNOD" practice show 7
check_rc "show of an unknown practice" 1

# Searching practices: every word, in any Swedish word form or inside a compound.
run p --title "Stöd i skolan" --region 03 --level preventive \
    --description "Elevhälsan känner igen självskadebeteende tidigt"
check_rc "a second practice" 0
run "$KNOD" practice list --q "självskada" --format csv
check_out "--q finds a word inside a compound" "^2,Stöd i skolan"
case "$out" in *Tidig*) not_ok "... and only there" "$out";; *) ok "... and only there";; esac
run "$KNOD" practice list --q "uppföljningen" --format csv
check_out "--q finds another form of a word" "^1,Tidig uppföljning"
case "$out" in *skolan*) not_ok "... and only there" "$out";; *) ok "... and only there";; esac
run "$KNOD" practice list --q "uppföljning självskada" --format csv
[ "$(printf '%s\n' "$out" | tail -n +2 | grep -c .)" -eq 0 ] &&
    ok "--q: every word in one practice" || not_ok "every word" "$out"
run "$KNOD" practice list --q "skolan elevhälsa" --region 01 --format csv
[ "$(printf '%s\n' "$out" | tail -n +2 | grep -c .)" -eq 0 ] &&
    ok "--q with --region: both filters" || not_ok "both filters" "$out"
run "$KNOD" practice show 1 --q x
check_rc "--q on show: usage error" 2

# A document's front matter names references: each must exist.
mkdir "$T/docs"
doc() { printf -- '---\nid: evidens\ntitle: Evidens\nsummary: S\naudience: care-staff\nlanguage: sv\nowner: NAG\nreferences: %s\n---\n# Evidens\n\nText %s.\n' "$1" "$2" > "$T/docs/evidens.md"; }
doc "10.1000/none, 2" a
run "$KNOD" docs import "$T/docs" --by test
check_rc "a document naming an unknown reference is refused" 1
check_err "... named" "'references': no reference with DOI 10.1000/none"
doc "https://doi.org/10.1016/J.JAAC.2014.07.003, 2" a
run "$KNOD" docs import "$T/docs" --by test
check_rc "a document naming stored references (DOI in any form, number)" 0
links=$(sqlite3 "$T/a/knod.db" "SELECT group_concat(reference_id) FROM (SELECT reference_id FROM hub_version_reference ORDER BY 1)")
[ "$links" = "2,5" ] && ok "... is linked to them" || not_ok "... linked" "$links"
doc "2" b
"$KNOD" docs import "$T/docs" --by test >/dev/null 2>&1
links=$(sqlite3 "$T/a/knod.db" "SELECT group_concat(reference_id) FROM hub_version_reference")
[ "$links" = "2" ] && ok "... and a new text's links replace them" || not_ok "... replaced" "$links"

# Links to pathway steps, references and practices (issue 14; docs/hub.md, Links).
run p --title x --region 01 --level early --steps adult/2_assessment,adult/sip
check_rc "practice add with a step the pathway lacks is refused" 1
check_err "... naming the option, pathway and step" "--steps: pathway 'adult' has no step 'sip'"
run p --title x --region 01 --level early --steps 2_assessment
check_err "... and a step without its pathway" "--steps: '2_assessment' is not PATHWAY/STEP"
run p --title "Stegad" --region 01 --level early --steps child/sip,adult/follow-up
check_rc "practice add with the steps it serves" 0
run "$KNOD" practice show 3 --format json
check "... shown with them" python3 -c '
import json, sys
r = json.loads(sys.argv[1])[0]
assert r["steps"] == "adult/follow-up,child/sip", r' "$out"
[ "$("$KNOD" practice list --format csv | tail -n +2 | wc -l)" -eq 3 ] &&
    ok "... and the refused ones not stored" || not_ok "refused not stored" "$("$KNOD" practice list)"
run "$KNOD" refs link 2 --step adult/9_none --by anna
check_rc "refs link to an unknown step" 1
check_err "... named" "--step: pathway 'adult' has no step '9_none'"
run "$KNOD" refs link 99 --step adult/2_assessment
check_rc "refs link of an unknown reference" 1
run "$KNOD" refs link 2 --format json --step adult/2_assessment
check_rc "refs link --format: usage error" 2
run "$KNOD" refs link https://doi.org/10.1002/14651858.CD013667.pub2 --step adult/2_assessment --by anna
check_rc "refs link by DOI" 0
check_out "... reported" "^reference 2 linked to adult/2_assessment$"
run "$KNOD" refs link 2 --step adult/2_assessment --by anna
check_out "... twice is no change" "already so"
run "$KNOD" refs link 2 --step adult/2_assessment --unlink --by anna
check_out "refs link --unlink" "^reference 2 unlinked from adult/2_assessment$"
run "$KNOD" audit show --format json
check "... both in the audit log, the no-change not" python3 -c '
import json, sys
a = [x for x in json.loads(sys.argv[1]) if x["action"].startswith("reference-")]
assert [(x["action"], x["subject"], x["actor"], x["detail"]) for x in a] == [
    ("reference-link", "reference 2", "anna", "adult/2_assessment"),
    ("reference-unlink", "reference 2", "anna", "adult/2_assessment")], a' "$out"
# A document names practices too; a broken link names file, line and key.
rm "$T/docs/evidens.md"
ld() { printf -- '---\nid: lankad\ntitle: Länkad\nsummary: S\naudience: care-staff\nlanguage: sv\nowner: NAG\nreferences: 2\npractices: %s\n---\n# L\n' "$1" > "$T/docs/lankad.md"; }
ld "1, 9"
run "$KNOD" docs import "$T/docs" --by test
check_rc "a document naming an unknown practice is refused" 1
check_err "... with file, line and key" "lankad.md:9: 'practices': no practice '9'"
run "$KNOD" docs lint "$T/docs/lankad.md"
check_rc "docs lint of the file checks it against the store" 1
check_err "... the same way" "lankad.md:9: 'practices': no practice '9'"
ld "1, 2"
run "$KNOD" docs import "$T/docs" --by test
check_rc "a document naming stored practices" 0
run "$KNOD" docs show lankad --format json
check "docs show --format json: its references and practices" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["references"] == "2" and d["practices"] == "1,2", d' "$out"
finish
