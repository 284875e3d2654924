# tests/integration/cli_consultation.sh: knod consultation.
. "$SRCDIR/tests/integration/lib.sh"

"$KNOD" init --dir "$T/k" >/dev/null
export KNOD_DIR="$T/k"
ask() { # ask REGION AT
    "$KNOD" consultation add --text "Flicka 15 år, upprepade självskador, fråga om behandling" \
        --urgency urgent --region "$1" --unit "BUP Malmö" --role "läkare" --to "NHV Lund" --at "$2"
}
run ask 12 2025-12-19T10:00:00
check_rc "ask" 0
check_out "... numbered" "^consultation 1: asked$"
run "$KNOD" consultation add --text "Pojke född 20100808-1234 med självskador" --urgency routine \
    --region 12 --unit "BUP" --role "läkare" --to "NHV Lund"
check_rc "a summary with a personnummer is refused" 1
check_err "... without echoing it" "'summary' holds a personnummer-shaped number"
if printf '%s' "$errout" | grep -q 1234; then not_ok "the number is not echoed" "$errout"; else ok "the number is not echoed"; fi
run "$KNOD" consultation add --text "x" --urgency soon --region 12 --unit u --role r --to t
check_err "a bad urgency" "'urgency': acute, urgent or routine"
run "$KNOD" consultation add --text "x" --urgency acute --region 99 --unit u --role r --to t
check_err "an unknown region" "'region': '99' is not a region code"

# Answered on Monday 29 December: 3 working days over Christmas.
run "$KNOD" consultation triage 1 --at 2025-12-22T09:00:00
check_rc "triage" 0
run "$KNOD" consultation answer 1 --text "Förslag: DBT-bedömning" --referral --at 2025-12-29T15:00:00
check_rc "answer with a referral" 0
run "$KNOD" consultation answer 1 --text "igen" --at 2025-12-30T15:00:00
check_rc "answering twice is refused" 1
ask 12 2026-01-05T10:00:00 >/dev/null   # answered in 1 working day (6 Jan is Epiphany)
"$KNOD" consultation answer 2 --text "Svar" --at 2026-01-07T10:00:00 >/dev/null
ask 01 2026-01-07T10:00:00 >/dev/null   # never answered: late after 3 working days
ask 01 2026-01-20T10:00:00 >/dev/null   # still open, not yet late on 21 January
run "$KNOD" consultation answer 3 --text "Svar" --at 2026-01-01T10:00:00
check_rc "an answer dated before the question is refused" 1

run "$KNOD" consultation list --format json --at 2026-01-21T12:00:00
if printf '%s\n' "$out" | python3 -c '
import json, sys
c = {x["id"]: x for x in json.load(sys.stdin)}
assert c[1]["working_days"] == 3 and c[1]["referral"] and c[1]["status"] == "answered", c[1]
assert c[2]["working_days"] == 1, c[2]
assert c[3]["answered"] is None and c[3]["working_days"] == 10, c[3]
'; then ok "list: working days over Christmas and Epiphany"; else not_ok "list" "$out"; fi
run "$KNOD" consultation stats --days 3 --format json --at 2026-01-21T12:00:00
if printf '%s\n' "$out" | python3 -c '
import json, sys
s = {x["region"]: x for x in json.load(sys.stdin)}
assert (s["12"]["answered_within"], s["12"]["counted"]) == (2, 2), s["12"]
assert (s["01"]["answered_within"], s["01"]["counted"]) == (0, 1), s["01"]  # the open one is not counted yet
n = s["nation"]
assert (n["answered_within"], n["counted"]) == (2, 3) and abs(n["value"] - 200 / 3) < 1e-9, n
assert n["lower_95"] < n["value"] < n["upper_95"]
'; then ok "stats: the share answered within 3 working days"; else not_ok "stats" "$out"; fi

# The indicator net-consult-5d (docs/indicators.md, "Consultations") equals
# stats --days 5 of each year, as of today, region by region and the nation.
for y in 2025 2026; do
    "$KNOD" consultation stats --days 5 --from $y-01-01 --until $y-12-31 --format json >"$T/s$y.json"
done
run "$KNOD" indicators run --id net-consult-5d --no-suppress --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
got = {(r["period"], r["geo"]): r for r in rows if r["geo_level"] in ("nation", "region")}
n = 0
for y in ("2025", "2026"):
    for s in json.load(open(sys.argv[1] + "/s" + y + ".json")):
        r = got[(y, "SE" if s["region"] == "nation" else s["region"])]
        assert (r["numerator"], r["denominator"]) == (s["answered_within"], s["counted"]), (r, s)
        assert (r["value"], r["lower_95"], r["upper_95"]) == (s["value"], s["lower_95"], s["upper_95"]), (r, s)
        n += 1
assert n == 5, n
' "$T"; then ok "indicators run net-consult-5d equals consultation stats --days 5"; else not_ok "the indicator" "$out"; fi
run "$KNOD" indicators run --id net-consult-5d --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
r = [r for r in rows if r["period"] == "2026" and r["geo"] == "01"][0]
assert r["suppressed"] and r["numerator"] is None and r["value"] is None and r["reason"], r
'; then ok "... published: a region with one consultation is hidden"; else not_ok "suppressed" "$out"; fi
run "$KNOD" consultation stats
check_rc "stats without --days is a usage error" 2
run "$KNOD" consultation stats --days 5 --to 2025-12-31
check_rc "stats --to (the party asked, not a date) is a usage error" 2
check_err "... naming --until" "ends with --until DATE"
run "$KNOD" consultation list --bogus
check_rc "an unknown option is a usage error" 2
finish
