# tests/integration/cli_docs_due.sh: knod docs due|reviewed|owner|owners,
# the yearly review of published documents and who owns them.
. "$SRCDIR/tests/integration/lib.sh"

K="$T/k"
NAG="Nationella arbetsgruppen för självskadebeteende"
"$KNOD" init --dir "$K" >/dev/null
"$KNOD" docs import "$SRCDIR/data/examples/docs" --dir "$K" >/dev/null
printf 'korrekt-häst-batteri\n' | "$KNOD" user add anna.berg --role analyst --dir "$K" >/dev/null
printf 'korrekt-häst-batteri\n' | "$KNOD" user add bo.ek --role analyst --dir "$K" >/dev/null

# bemotande-akut was decided 2025-09-15 (due 2026-09-15), vardgrannar-skola
# 2026-03-01 (due 2027-03-01); stod-till-narstaende is a draft.
run "$KNOD" docs due --as-of 2026-09-14 --dir "$K"
check_rc "due before any review is due" 0
check_out "... says none" "no yearly review due on or before 2026-09-14"
run "$KNOD" docs due --as-of 2026-10-15 --format json --dir "$K"
check_rc "due a month later, as JSON" 0
check "... the one document, 30 days overdue" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["as_of"] == "2026-10-15", d
assert [(x["id"], x["review_due"], x["days_overdue"], x["version"]) for x in d["documents"]] == \
    [("bemotande-akut", "2026-09-15", 30, 1)], d' "$out"
run "$KNOD" docs due --as-of 2027-03-01 --owner "Kunskapsnod Skåne" --dir "$K"
check_rc "due by owner" 0
check_out "... only that owner's" "vardgrannar-skola"
if printf '%s' "$out" | grep -q bemotande-akut; then not_ok "... not another owner's" "$out"; else ok "... not another owner's"; fi

# Ownership: nobody is the owner by name; an administrator links the group.
run "$KNOD" docs due --as-of 2026-10-15 --user anna.berg --dir "$K"
check_out "a user who owns nothing has nothing due" "no yearly review due"
run "$KNOD" docs owner "$NAG" --user anna.berg --by admin.nation --dir "$K"
check_rc "link the working group to anna.berg" 0
run "$KNOD" docs owner "$NAG" --user anna.berg --dir "$K"
check_rc "... twice: exit 1" 1
check_err "... already linked" "already linked to user 'anna.berg'"
run "$KNOD" docs owner "$NAG" --user nobody --dir "$K"
check_rc "an unknown user: exit 1" 1
check_err "... named" "no user 'nobody'"
run "$KNOD" docs owner "$NAG" --dir "$K"
check_rc "owner without --user: usage error" 2
run "$KNOD" docs owner "Grupp 700808-8885" --user anna.berg --dir "$K"
check_rc "a personnummer in an owner: exit 1" 1
if printf '%s%s' "$out" "$errout" | grep -q 8885; then not_ok "... not echoed" "$errout"; else ok "... not echoed"; fi
run "$KNOD" docs owners --format json --dir "$K"
check "owners lists the link with its two documents" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert [(x["owner"], x["user"], x["documents"], x["linked_by"]) for x in d] == \
    [("Nationella arbetsgruppen för självskadebeteende", "anna.berg", 2, "admin.nation")], d' "$out"
run "$KNOD" docs due --as-of 2026-10-15 --user anna.berg --dir "$K"
check_out "now anna.berg has the group's document due" "bemotande-akut"
run "$KNOD" docs due --as-of 2026-10-15 --user bo.ek --dir "$K"
check_out "bo.ek has none" "no yearly review due"

# The review: only a published document; the next one a year after the day.
run "$KNOD" docs reviewed stod-till-narstaende --dir "$K"
check_rc "reviewing a draft: exit 1" 1
check_err "... the workflow's rule" "a yearly review is recorded in published only; the document is in draft"
run "$KNOD" docs reviewed bemotande-akut --note "Fortfarande aktuell." --by anna.berg --dir "$K"
check_rc "a yearly review without need to revise" 0
next=$(python3 -c 'import datetime; print(datetime.date.today() + datetime.timedelta(days=365))')
check_out "... the next review a year on" "next review "
run "$KNOD" docs list --format json --dir "$K"
check "... review_due moved a year after the day of the review (UTC or Swedish date)" python3 -c '
import datetime, json, sys
d = {x["id"]: x for x in json.loads(sys.argv[1])}
due = datetime.date.fromisoformat(d["bemotande-akut"]["review_due"])
today = datetime.date.today()
assert due - today in (datetime.timedelta(days=365), datetime.timedelta(days=366)), due
assert d["bemotande-akut"]["state"] == "published" and d["bemotande-akut"]["version"] == 1, d' "$out"
run "$KNOD" docs due --as-of 2026-10-15 --dir "$K"
check_out "... and it is no longer due" "no yearly review due"
run "$KNOD" docs history bemotande-akut --format json --dir "$K"
check "... in the history: published -> published, who, the note" python3 -c '
import json, sys
e = json.loads(sys.argv[1])[-1]
assert (e["from"], e["to"], e["by"] if "by" in e else e.get("actor")) == ("published", "published", "anna.berg"), e
assert e["note"] == "yearly review: no revision needed; Fortfarande aktuell.", e' "$out"
run "$KNOD" audit show --format json --dir "$K"
check "... and in the audit log" python3 -c '
import json, sys
a = json.loads(sys.argv[1])
assert any(x["action"] == "document-reviewed" and x["subject"] == "bemotande-akut" and
           x["actor"] == "anna.berg" for x in a), a
assert any(x["action"] == "document-owner-link" and x["actor"] == "admin.nation" for x in a), a' "$out"

# A review that finds a need to revise is the workflow's step; every step is
# in the audit log too (issue 14: who decided what and when).
run "$KNOD" docs move bemotande-akut revision --note "Nya siffror" --by anna.berg --dir "$K"
check_rc "the review found a need: to revision" 0
run "$KNOD" docs move vardgrannar-skola archived --dir "$K"
check_rc "a step the workflow refuses (archiving needs a reason): exit 1" 1
run "$KNOD" audit show --format json --dir "$K"
check "... the step is audited, the refused one not" python3 -c '
import json, sys
a = [x for x in json.loads(sys.argv[1]) if x["action"] == "document-move"]
assert [(x["subject"], x["actor"], x["detail"]) for x in a] == \
    [("bemotande-akut", "anna.berg", "to revision")], a' "$out"

run "$KNOD" docs owner "$NAG" --user anna.berg --remove --dir "$K"
check_rc "unlink" 0
run "$KNOD" docs owners --dir "$K"
check_out "... no links left" "no owner is linked"
finish
