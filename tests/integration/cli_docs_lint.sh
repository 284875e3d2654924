# tests/integration/cli_docs_lint.sh: knod docs lint, and the safe-messaging
# lint refusing to publish a public document.
. "$SRCDIR/tests/integration/lib.sh"

"$KNOD" init --dir "$T/k" >/dev/null
mkdir -p "$T/d"
cat > "$T/d/unga.md" <<'DOC'
---
id: unga
title: Till dig som är ung
summary: Om att må dåligt.
audience: patients
language: sv
owner: NAG
---
# Till dig som är ung

Det är chockerande vanligt.
Ring 112 eller 1177. Självmordslinjen 90101.
DOC
run "$KNOD" docs lint "$T/d/unga.md" --dir "$T/k"
check_rc "lint a file with findings: exit 1" 1
check_out "... the rule and the file's line" "^unga.md: line 11: sensational: 'chockerande'"
check_out "... the missing help for young people" "^unga.md: help-bris: BRIS 116 111 is missing"
run "$KNOD" docs lint "$T/d/unga.md" --format json --dir "$T/k"
if printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["public"] is True
assert [(f["rule"], f["line"]) for f in d["findings"]] == [("sensational", 11), ("help-bris", None)], d
'; then ok "lint --format json"; else not_ok "lint json" "$out"; fi

"$KNOD" docs import "$T/d" --dir "$T/k" >/dev/null
for step in review "consultation --decision NPO-1" revision; do
    "$KNOD" docs move unga $step --dir "$T/k" >/dev/null
done
run "$KNOD" docs move unga published --decision NPO-2 --dir "$T/k"
check_rc "publishing it: exit 1" 1
check_err "... refused with the rule and the line" "'unga' cannot be published: it breaks the safe-messaging rules: line 3: sensational: 'chockerande'.*\(and 1 more\)"
run "$KNOD" docs list --state revision --dir "$T/k"
check_out "... and it stays in revision" "^unga +revision"
run "$KNOD" docs lint unga --dir "$T/k"
check_rc "lint the stored document: exit 1" 1

# The knod directory's own rules replace the shipped ones.
printf 'rule,kind,match,audiences,message\nhelp-112,help,112,public,no 112\n' > "$T/k/safe-messaging.csv"
run "$KNOD" docs move unga published --decision NPO-2 --dir "$T/k"
check_rc "with the directory's own rules: published" 0
printf 'rule,kind,match,audiences,message\nx,help,112,pupils,m\n' > "$T/bad.csv"
run "$KNOD" docs lint "$T/d/unga.md" --rules "$T/bad.csv" --dir "$T/k"
check_rc "a bad rules file: exit 1" 1
check_err "... named with its line and field" "bad.csv:2: 'audiences': unknown code 'pupils'"
run "$KNOD" docs lint "$SRCDIR/data/examples/docs/vardgrannar-skola.md" --rules "$SRCDIR/data/hub/safe-messaging.csv" --dir "$T/k"
check_rc "the public example passes the shipped rules" 0
run "$KNOD" docs lint nothing --dir "$T/k"
check_rc "lint an unknown document: exit 1" 1
finish
