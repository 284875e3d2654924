# tests/integration/cli_personnummer.sh: knod personnummer, text and JSON.
. "$SRCDIR/tests/integration/lib.sh"
TODAY="--today 2026-11-23"

run "$KNOD" personnummer $TODAY 201701012393 19121212-1212 121212+1212 701063-2391
check_rc "all valid exits 0" 0
check_out "text: kind, birth date, sex" "^201701012393	valid	personnummer	2017-01-01	M$"
check_out "text: '+' form is a centenarian" "^121212\+1212	valid	personnummer	1912-12-12	M$"
check_out "text: samordningsnummer" "^701063-2391	valid	samordningsnummer	1970-10-03	M$"

run "$KNOD" personnummer $TODAY 201701012393 201701012394
check_rc "any invalid exits 1" 1
check_out "text: the reason is given" "^201701012394	invalid	the check digit does not match$"

run "$KNOD" personnummer --json $TODAY 201701012393 19121212+1212 "  7010632391 " 20230229-1234 ""
check_rc "json: invalid present exits 1" 1
if printf '%s\n' "$out" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert [list(r) for r in rows][0] == ["input", "valid", "kind", "birth_date", "sex", "error"]
a, b, c, d, e = rows
assert a == {"input": "201701012393", "valid": True, "kind": "personnummer",
             "birth_date": "2017-01-01", "sex": "M", "error": None}, a
assert b["valid"] is False and "only used in the 10-digit form" in b["error"], b
assert b["kind"] is None and b["birth_date"] is None and b["sex"] is None
assert c["valid"] and c["kind"] == "samordningsnummer" and c["input"] == "  7010632391 ", c
assert d["valid"] is False and "February 2023" in d["error"], d
assert e["valid"] is False and "empty" in e["error"], e
'; then ok "json: one object per number, every field right"; else not_ok "json: one object per number, every field right" "$out"; fi

run "$KNOD" personnummer --json $TODAY "$(printf '19121212\3771212')"
if printf '%s\n' "$out" | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); assert r["valid"] is False and "\ufffd" in r["input"]'
then ok "json: invalid UTF-8 input stays valid JSON"; else not_ok "json: invalid UTF-8 input stays valid JSON" "$out"; fi

printf '201701012393\n701063-2391\r\n' > "$T/list.txt"
run sh -c "'$KNOD' personnummer $TODAY < '$T/list.txt'"
check_rc "stdin: numbers one per line" 0
[ "$(printf '%s\n' "$out" | grep -c '	valid	')" = 2 ] && ok "stdin: both lines checked (CRLF too)" \
    || not_ok "stdin: both lines checked (CRLF too)" "$out"

run "$KNOD" personnummer --today 121212 201701012393
check_rc "bad --today is a usage error" 2
run "$KNOD" personnummer --today 2016-01-01 201701012393
check_rc "a birth date after --today is invalid" 1
check_out "future birth date reason" "after the reference date"

# The raw number never reaches the store, logs or the key directory.
D="$T/site"
"$KNOD" init --dir "$D" >/dev/null
KNOD_DIR="$D" "$KNOD" personnummer $TODAY 201701012393 >/dev/null 2>"$T/log"
if grep -rqa -e 201701012393 -e 1701012393 "$D" "$T/log"; then
    not_ok "no raw personnummer in the store directory or stderr"
else ok "no raw personnummer in the store directory or stderr"; fi
finish
