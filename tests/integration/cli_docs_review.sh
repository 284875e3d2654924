# tests/integration/cli_docs_review.sh: knod docs comment|invite|answer|
# impact|comments, the review and consultation round of a document.
. "$SRCDIR/tests/integration/lib.sh"

"$KNOD" init --dir "$T/k" >/dev/null
"$KNOD" docs import "$SRCDIR/data/examples/docs" --dir "$T/k" >/dev/null
D=stod-till-narstaende

# Named reviewers: users of the portal, in draft, review or revision.
printf 'ett-langt-losenord-42\n' | "$KNOD" user add anna --role coordinator --region 03 --dir "$T/k" >/dev/null
printf 'ett-langt-losenord-42\n' | "$KNOD" user add bo --role analyst --dir "$T/k" >/dev/null
run "$KNOD" docs reviewer $D --user anna --by kansli --dir "$T/k"
check_rc "a reviewer named in draft" 0
run "$KNOD" docs reviewer $D --user anna --dir "$T/k"
check_rc "named twice: exit 1" 1
check_err "... said" "'anna' is a named reviewer already"
run "$KNOD" docs reviewer $D --user Nobody --dir "$T/k"
check_rc "a name that is no user: exit 1" 1
check_err "... named" "no user 'Nobody' who may sign in"
run "$KNOD" docs reviewer $D --user bo --dir "$T/k"
check_rc "a second reviewer" 0
run "$KNOD" docs reviewer $D --user bo --remove --by kansli --dir "$T/k"
check_rc "... removed again" 0
run "$KNOD" docs reviewer $D --user bo --remove --dir "$T/k"
check_err "removing one not named: said" "'bo' is not a named reviewer"
run "$KNOD" docs reviewer $D --dir "$T/k"
check_rc "reviewer without --user: usage error" 2

run "$KNOD" docs comment $D --section stöd-till-närstående --text "Kortare." --by anna --dir "$T/k"
check_rc "a comment in draft: exit 1" 1
check_err "... the rule named" "in review only; the document is in draft"
"$KNOD" docs move $D review --dir "$T/k" >/dev/null
run "$KNOD" docs comment $D --section stöd-till-närstående --text "Kortare inledning." --by anna --dir "$T/k"
check_rc "a comment in review, on a heading's anchor" 0
run "$KNOD" docs comment $D --section inledning --text "x" --by anna --dir "$T/k"
check_rc "an unknown section: exit 1" 1
check_err "... the anchors there are listed" "there are: stöd-till-närstående"
run "$KNOD" docs comment $D --section stöd-till-närstående --text "Flickan 070808-8885 kom" --by anna --dir "$T/k"
check_rc "a personnummer in a comment: exit 1" 1
check_err "... refused" "holds a personnummer-shaped number"
if printf '%s%s' "$out" "$errout" | grep -q 8885; then not_ok "... not echoed" "$errout"; else ok "... not echoed"; fi
run "$KNOD" docs comment $D --text "x" --dir "$T/k"
check_rc "a comment without --section: usage error" 2
run "$KNOD" docs invite $D --org "Region Uppsala" --kind region --by kansli --dir "$T/k"
check_rc "invite a region in review" 0
run "$KNOD" docs invite $D --org "Region Uppsala" --kind region --dir "$T/k"
check_rc "invite it twice: exit 1" 1
run "$KNOD" docs invite $D --org "Skolverket" --kind agency --dir "$T/k"
check_rc "an unknown kind: usage error" 2
printf '# Svar från Region Uppsala\n\nVi tillstyrker.\n' > "$T/svar.md"
run "$KNOD" docs answer $D --org "Region Uppsala" --file "$T/svar.md" --dir "$T/k"
check_rc "an answer in review: exit 1" 1
check_err "... the rule named" "in consultation only; the document is in review"
"$KNOD" docs move $D consultation --decision "NPO 2026:3" --dir "$T/k" >/dev/null
run "$KNOD" docs reviewer $D --user bo --dir "$T/k"
check_err "no reviewer named in consultation: the rule named" \
    "a named reviewer is recorded in draft, review or revision only; the document is in consultation"
run "$KNOD" docs invite $D --org "Mind" --dir "$T/k"
check_rc "invite an organisation in consultation" 0
run "$KNOD" docs answer $D --org "Region Uppsala" --file "$T/svar.md" --by kansli --dir "$T/k"
check_rc "the region's answer recorded" 0
run "$KNOD" docs answer $D --org "SPES" --file "$T/svar.md" --dir "$T/k"
check_rc "an answer from an organisation not invited: exit 1" 1
check_err "... named" "'SPES' was not invited"
printf '# Svar\n\nSom i fallet 20070808-8885.\n' > "$T/svar-pnr.md"
run "$KNOD" docs answer $D --org "Mind" --file "$T/svar-pnr.md" --dir "$T/k"
check_rc "a personnummer in an answer file: exit 1" 1
check_err "... with the file and line" "svar-pnr.md:3: holds a personnummer-shaped number"
if printf '%s' "$errout" | grep -q 8885; then not_ok "... not echoed" "$errout"; else ok "... not echoed"; fi
run "$KNOD" docs answer $D --org "Mind" --file "$T/missing.md" --dir "$T/k"
check_rc "a missing answer file: exit 1" 1
check_err "... named" "cannot read '.*missing.md'"
printf '# Konsekvensbeskrivning\n\nInga kostnader för regionerna.\n' > "$T/kb.md"
run "$KNOD" docs impact $D --file "$T/kb.md" --by kansli --dir "$T/k"
check_rc "the impact assessment attached" 0
"$KNOD" docs move $D revision --dir "$T/k" >/dev/null
run "$KNOD" docs comments $D --format json --dir "$T/k"
check_rc "comments --format json" 0
if printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
c = d["comments"]
assert len(c) == 1 and c[0]["section"] == "stöd-till-närstående" and c[0]["by"] == "anna", c
assert c[0]["text"] == "Kortare inledning." and c[0]["version"] == 1
i = {x["org"]: x for x in d["invitations"]}
assert i["Region Uppsala"]["kind"] == "region" and i["Region Uppsala"]["invited_by"] == "kansli"
assert i["Region Uppsala"]["answer"]["text"].startswith("# Svar från Region Uppsala")
assert i["Mind"]["kind"] == "organisation" and i["Mind"]["answer"] is None
m = d["impact_assessments"]
assert len(m) == 1 and "Inga kostnader" in m[0]["text"] and m[0]["by"] == "kansli"
'; then ok "comments: the comment, invitations, answers and the assessment"; else not_ok "comments json" "$out"; fi
run "$KNOD" docs comments $D --dir "$T/k"
check_out "comments as a table: who answered" "Consultation: 2 invited, 1 answered"
check_out "... and the reviewer who commented" "anna  *commented on the current version"
run "$KNOD" docs comments nothing --dir "$T/k"
check_rc "comments of an unknown document: exit 1" 1
# Each record of the round is in the audit log with its author, the refused
# ones not (the portal's forms write the same entries).
run "$KNOD" audit show --format json --dir "$T/k"
check "the round's records are audited, the refused ones not" python3 -c '
import json, sys
a = [(x["action"], x["subject"], x["actor"], x["detail"]) for x in json.loads(sys.argv[1])
     if x["action"] in ("document-comment", "document-invite", "document-answer",
                        "document-impact", "document-reviewer")]
want = [("document-reviewer", "stod-till-narstaende", "kansli", "named anna"),
        ("document-reviewer", "stod-till-narstaende", None, "named bo"),
        ("document-reviewer", "stod-till-narstaende", "kansli", "removed bo"),
        ("document-comment", "stod-till-narstaende", "anna", "section stöd-till-närstående"),
        ("document-invite", "stod-till-narstaende", "kansli", "Region Uppsala (region)"),
        ("document-invite", "stod-till-narstaende", None, "Mind (organisation)"),
        ("document-answer", "stod-till-narstaende", "kansli", "Region Uppsala"),
        ("document-impact", "stod-till-narstaende", "kansli", "")]
assert [(x[0], x[1], w[2] and x[2], x[3]) for x, w in zip(a, want)] == want and \
    len(a) == len(want), a
assert "8885" not in sys.argv[1]' "$out"
finish
