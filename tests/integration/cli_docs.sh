# tests/integration/cli_docs.sh: knod docs, the knowledge-support documents.
. "$SRCDIR/tests/integration/lib.sh"

"$KNOD" init --dir "$T/k" >/dev/null
run "$KNOD" docs import "$SRCDIR/data/examples/docs" --dir "$T/k" --by tester
check_rc "the example documents import" 0
check_out "... three new" "^3 documents: 3 new, 0 updated, 0 new versions, 0 unchanged, 0 refused$"
run "$KNOD" docs import "$SRCDIR/data/examples/docs" --dir "$T/k"
check_out "again: unchanged" "3 unchanged, 0 refused$"

run "$KNOD" docs list --dir "$T/k" --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
d = {x["id"]: x for x in json.load(sys.stdin)}
assert d["bemotande-akut"]["state"] == "published" and d["bemotande-akut"]["review_due"] == "2026-09-15"
assert d["stod-till-narstaende"]["state"] == "draft" and d["stod-till-narstaende"]["published"] is None
'; then ok "list: states and review dates"; else not_ok "list: states and review dates" "$out"; fi

run "$KNOD" docs search "självskada" --dir "$T/k" --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
hits = json.load(sys.stdin)
ids = [h["id"] for h in hits]
assert ids[0] == "bemotande-akut" and "vardgrannar-skola" in ids, ids
assert "stod-till-narstaende" not in ids  # a draft is not searched
assert any(p["hit"] for p in hits[0]["snippet"]), hits[0]
'; then ok "search: Swedish word forms, published only, marked snippets"; else not_ok "search" "$out"; fi

run "$KNOD" docs move stod-till-narstaende published --dir "$T/k"
check_rc "draft -> published is refused" 1
check_err "... naming the steps there are" "from draft: review, archived"
run "$KNOD" docs move stod-till-narstaende review --note "ring 19700808-8885" --dir "$T/k"
check_rc "a personnummer in a step's note is refused" 1
check_err "... naming the note" "the note holds a personnummer-shaped number"
case "$out$errout" in *8885*) not_ok "... and not echoed" "$errout" ;; *) ok "... and not echoed" ;; esac
for step in "review" "consultation --decision NPO-2026-11" "revision" "published --decision NPO-2026-12"; do
    run "$KNOD" docs move stod-till-narstaende $step --dir "$T/k" --by tester
    check_rc "move to ${step%% *}" 0
done
run "$KNOD" docs history stod-till-narstaende --dir "$T/k" --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
h = json.load(sys.stdin)
assert [e["to"] for e in h] == ["draft", "review", "consultation", "revision", "published"], h
assert h[4]["decision"] == "NPO-2026-12" and h[4]["by"] == "tester"
'; then ok "history: every step, with its decision and actor"; else not_ok "history" "$out"; fi
run "$KNOD" docs search "förälder" --dir "$T/k" --format json
check_out "published now: found by search" "stod-till-narstaende"

# diff: the yearly review reopens the published text as version 2; the
# changes are shown as diff -u shows them (the oracle) and as a model.
run "$KNOD" docs diff stod-till-narstaende --dir "$T/k"
check_rc "diff of a document with one version: exit 1" 1
check_err "... saying why" "has no version before it"
run "$KNOD" docs move stod-till-narstaende revision --note "yearly review" --dir "$T/k"
check_rc "published -> revision" 0
mkdir -p "$T/v2"
sed -e 's/Ring 112 vid akut fara./Ring 112 vid fara för liv./' \
    -e '/^Prata med barnet/i Lyssna först.\n' \
    "$SRCDIR/data/examples/docs/stod-till-narstaende.md" > "$T/v2/stod-till-narstaende.md"
run "$KNOD" docs import "$T/v2" --dir "$T/k"
check_out "the revision's text changes" "1 updated"
"$KNOD" docs show stod-till-narstaende --version 1 --dir "$T/k" > "$T/v1.md"
"$KNOD" docs show stod-till-narstaende --dir "$T/k" > "$T/v2.md"
run "$KNOD" docs diff stod-till-narstaende --dir "$T/k"
check_rc "diff 1 -> 2" 0
want=$(diff -u "$T/v1.md" "$T/v2.md" | tail -n +3)
got=$(printf '%s\n' "$out" | tail -n +3)
[ "$got" = "$want" ] && ok "... the hunks diff -u gives" || not_ok "... the hunks diff -u gives" "got:
$got
want:
$want"
check_out "... headed by the versions" "^--- stod-till-narstaende version 1$"
run "$KNOD" docs diff stod-till-narstaende --from 1 --to 2 --format json --dir "$T/k"
if printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["from"] == 1 and d["to"] == 2 and d["added"] == 3 and d["removed"] == 1, d
lines = [l for h in d["hunks"] for l in h["lines"]]
changed = [l for l in lines if l["op"] == "add" and "words" in l]
assert [w["text"] for w in changed[0]["words"] if w["op"] == "add"] == [" för liv"], changed
'; then ok "diff --format json: counts and changed words"; else not_ok "diff json" "$out"; fi
run "$KNOD" docs diff stod-till-narstaende --from 2 --to 2 --dir "$T/k"
[ "$rc" -eq 0 ] && [ -z "$out" ] && ok "a version against itself: nothing" || not_ok "same version" "$rc $out"
run "$KNOD" docs diff stod-till-narstaende --from 1 --to 7 --dir "$T/k"
check_rc "an unknown version: exit 1" 1
check_err "... named" "has no version 7"
run "$KNOD" docs diff stod-till-narstaende --from x --dir "$T/k"
check_rc "--from not a number: usage error" 2

mkdir -p "$T/bad"
printf -- '---\nid: x\ntitle: t\nsummary: s\naudience: patients\nlanguage: sv\nowner: o\n---\n<script>alert(1)</script>\n[a](javascript:alert(1))\n' > "$T/bad/x.md"
printf -- '---\nid: y\ntitle: Om 070808-8885\n---\n' > "$T/bad/y.md"
run "$KNOD" docs import "$T/bad" --dir "$T/k"
check_rc "a bad file in the folder: exit 1" 1
check_err "... named with its line, the number not echoed" "y.md:3: 'title': holds a personnummer"
if printf '%s' "$errout" | grep -q 8885; then not_ok "no personnummer in the message" "$errout"; else ok "no personnummer in the message"; fi
mkdir -p "$T/links"
printf -- '---\nid: l1\ntitle: t\nsummary: s\naudience: patients\nlanguage: sv\nowner: o\nindicators: vf-followup-7d, no-such-indicator\n---\nText\n' > "$T/links/l1.md"
printf -- '---\nid: l2\ntitle: t\nsummary: s\naudience: patients\nlanguage: sv\nowner: o\n\nsteps: follow-up, 9_nowhere\n---\nText\n' > "$T/links/l2.md"
printf -- '---\nid: l3\ntitle: t\nsummary: s\naudience: patients\nlanguage: sv\nowner: o\nindicators: vf-followup-7d\nsteps: sip\n---\nText\n' > "$T/links/l3.md"
run "$KNOD" docs import "$T/links" --dir "$T/k"
check_rc "links to an unknown indicator or step: exit 1" 1
check_err "... the indicator named with file, line and key" "l1.md:8: 'indicators': unknown indicator 'no-such-indicator'"
check_err "... the step named with file, line and key" "l2.md:9: 'steps': unknown step code '9_nowhere'"
check_out "... the good one imported" "1 new, 0 updated, 0 new versions, 0 unchanged, 2 refused"
run "$KNOD" docs show l3 --format json --dir "$T/k"
check_out "... stored with its version" '"indicators": "vf-followup-7d"'
check_out "... and its steps" '"steps": "sip"'
run "$KNOD" docs lint "$T/links/l2.md" --dir "$T/k"
check_rc "docs lint of a file checks the steps too" 1
check_err "... naming file, line and key" "l2.md:9: 'steps': unknown step code"
run "$KNOD" docs show x --format html --dir "$T/k"
check_rc "show html" 0
if printf '%s' "$out" | grep -Eqi '<script|javascript:'; then not_ok "hostile Markdown rendered safe" "$out"; else ok "hostile Markdown rendered safe"; fi
run "$KNOD" docs show nothing --dir "$T/k"
check_rc "an unknown document: exit 1" 1
run "$KNOD" docs list extra --dir "$T/k"
check_rc "an extra argument: usage error" 2
run "$KNOD" docs list --bogus --dir "$T/k"
check_rc "an unknown option: usage error" 2
run "$KNOD" docs list --format xml --dir "$T/k"
check_rc "an unknown format: usage error" 2
finish
