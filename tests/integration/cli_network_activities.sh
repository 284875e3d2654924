# tests/integration/cli_network_activities.sh: knod activity, development
# activities, their funding by source and year, and spent against the
# region's population part of a national grant (as knod funding allocate
# divides it).
. "$SRCDIR/tests/integration/lib.sh"

"$KNOD" init --dir "$T/k" >/dev/null 2>&1
export KNOD_DIR="$T/k"
"$KNOD" node add --code skane --name "Kunskapsnod Skåne" --host 12 >/dev/null
"$KNOD" docs import "$SRCDIR/data/examples/docs" >/dev/null 2>&1

add() { "$KNOD" activity add --responsible "Samordnare" --status ongoing "$@"; }
run add --title "Bemötandeutbildning i Skåne" --goal "Alla BUP-enheter utbildade" \
    --start 2025-01-01 --end 2025-12-31 --region 12 --node skane --indicators sh-young-rate,vf-child-assess-7d \
    --documents bemotande-akut --by anna.coord
check_rc "activity add" 0
check_out "... numbered" "^activity 1: added$"
run add --title "Brief admission i Uppsala" --goal "Införa självvald inläggning" --start 2025-03-01 --region 03
check_rc "an open activity" 0
run add --title "Nationell webbutbildning" --goal "En webbutbildning" --start 2025-02-01
check_rc "a national activity" 0
run add --title x --goal y --start 2025-02-01 --end 2025-01-01
check_err "the end before the start" "^knod: error: --end: before --start"
run add --title x --goal y --start 2025-02-01 --status maybe
check_rc "a status given twice is a usage error" 2
run "$KNOD" activity add --title x --goal y --start 2025-02-01 --responsible r --status maybe
check_err "a bad status" "--status: 'maybe' is not one of planned, ongoing, done or stopped"
run add --title x --goal y --start 2025-02-01 --region 99
check_err "a bad region" "--region: '99' is not a region code"
run add --title x --goal y --start 2025-02-01 --node vg
check_err "an unknown node" "--node: no knowledge node 'vg'"
run add --title x --goal y --start 2025-02-01 --indicators "a b"
check_err "bad indicator ids" "^knod: error: --indicators: ids separated by commas"
run add --title x --goal y --start 2025-02-01 --indicators sh-young-rate,no-such-indicator
check_err "an unknown indicator" "^knod: error: --indicators: no indicator 'no-such-indicator'"
run add --title x --goal y --start 2025-02-01 --documents vardforlopp-2024
check_err "an unknown document" "^knod: error: --documents: no document 'vardforlopp-2024'"
run add --title "Ring 19121212-1212" --goal y --start 2025-02-01
check_rc "a title with a personnummer is refused" 1
if printf '%s' "$errout" | grep -q 1212; then not_ok "... without echoing it" "$errout"; else ok "... without echoing it"; fi

fund() { "$KNOD" activity fund "$@" >/dev/null; }
fund 1 --source national-grant --year 2025 --allocated 400000 --spent 350000
fund 1 --source region --year 2025 --allocated 100000 --spent 20000
fund 2 --source national-grant --year 2025 --allocated 250000 --spent 100000
fund 2 --source national-grant --year 2024 --allocated 999 --spent 999 --by ola.admin
USER=samordnare "$KNOD" activity fund 3 --source other --year 2025 --allocated 50000 --spent 0 >/dev/null
run "$KNOD" activity fund 2 --source national-grant --year 2025 --allocated 250000 --spent 120000
check_rc "fund again replaces the figures" 0
run "$KNOD" activity fund 9 --source other --year 2025 --allocated 1
check_err "an unknown activity" "no activity 9"
run "$KNOD" activity fund 1 --source lottery --year 2025 --allocated 1
check_err "a bad source" "--source: 'lottery' is not one of national-grant"
run "$KNOD" activity fund 1 --source other --year 2025 --allocated -5
check_err "negative kronor" "^knod: error: --allocated: whole kronor"
# Each add and fund is audited as the portal's forms audit them
# (activity-add with the status, activity-fund with the figures), by --by,
# else $USER; the refused ones are not.
run "$KNOD" audit show --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
a = [(x["action"], x["subject"], x["actor"], x["detail"]) for x in json.load(sys.stdin)
     if x["action"] in ("activity-add", "activity-fund")]
add = [x for x in a if x[0] == "activity-add"]
assert [x[1] for x in add] == ["1", "2", "3"], add
assert add[0][2] == "anna.coord" and add[0][3] == "status ongoing", add
fund = [x for x in a if x[0] == "activity-fund"]
assert len(fund) == 6, fund
assert fund[3][1:] == ("2", "ola.admin", "national-grant 2024: 999 allocated, 999 spent"), fund
assert fund[4][1:3] == ("3", "samordnare"), fund
assert fund[5][1] == "2" and fund[5][3] == "national-grant 2025: 250000 allocated, 120000 spent", fund
' 2>"$T/py.err"; then ok "each add and fund is audited, by --by; the refused ones not"
else not_ok "audited add and fund" "$(cat "$T/py.err") $out"; fi

run "$KNOD" activity list --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
a = json.load(sys.stdin)
assert [x["id"] for x in a] == [3, 2, 1], a      # national first, then by region
one = a[2]
assert one["node"] == "skane" and one["indicators"] == "sh-young-rate,vf-child-assess-7d", one
assert one["allocated"] == 500000 and one["spent"] == 370000, one
assert a[1]["ends"] is None and a[1]["allocated"] == 250999, a[1]
'; then ok "list: national first, funding summed over sources and years"; else not_ok "list" "$out"; fi

# update: the fields given change, the others stay; every refusal of add
# is one of update too, and names its option; each change is audited.
run "$KNOD" activity update 2 --status done --end 2025-09-30 --goal "Infört i hela regionen" --by anna.coord
check_rc "update" 0
check_out "... says so" "^activity 2: updated$"
run "$KNOD" activity list --region 03 --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
a = json.load(sys.stdin)[0]
assert (a["status"], a["ends"], a["goal"]) == ("done", "2025-09-30", "Infört i hela regionen"), a
assert (a["title"], a["starts"], a["region"]) == ("Brief admission i Uppsala", "2025-03-01", "03"), a
'; then ok "update changed the fields given and kept the others"; else not_ok "update" "$out"; fi
run "$KNOD" activity update 2 --end open --indicators sh-young-rate
check_rc "update --end open, a known indicator" 0
run "$KNOD" activity list --region 03 --format json
check_out "... the end is open again" '"ends": null'
run "$KNOD" audit show --format json
if printf '%s\n' "$out" | python3 -c '
import json, sys
e = [x for x in json.load(sys.stdin) if x["action"] == "activity-change"]
assert len(e) == 2 and e[0]["actor"] == "anna.coord" and e[0]["subject"] == "2", e
assert "status done" in e[0]["detail"], e
' 2>"$T/py.err"; then ok "each update is in the audit log, by --by"; else not_ok "audit" "$(cat "$T/py.err") $out"; fi
run "$KNOD" activity update 2 --status maybe
check_err "update: a bad status" "--status: 'maybe' is not one of planned"
run "$KNOD" activity update 2 --end 2025-01-01
check_err "update: the end before the start" "^knod: error: --end: before --start"
run "$KNOD" activity update 2 --title ""
check_err "update: an empty title" "^knod: error: --title"
run "$KNOD" activity update 2 --goal "Ring 19121212-1212"
check_rc "update: a personnummer is refused" 1
if printf '%s' "$errout" | grep -q 1212; then not_ok "... without echoing it" "$errout"; else ok "... without echoing it"; fi
run "$KNOD" activity update 2 --indicators nope
check_err "update: an unknown indicator" "^knod: error: --indicators: no indicator 'nope'"
run "$KNOD" activity update 2 --documents nope
check_err "update: an unknown document" "^knod: error: --documents: no document 'nope'"
run "$KNOD" activity update 2 --start 2025-13-01
check_err "update: a bad date" "--start"
run "$KNOD" activity update 99 --status done
check_err "update: no such activity" "no activity 99"
run "$KNOD" activity update 2 --region 12
check_rc "update cannot move an activity to another region" 2
run "$KNOD" activity update x --status done
check_rc "update: a bad ID" 2
run "$KNOD" audit show --format json
if [ "$(printf '%s\n' "$out" | grep -c '"activity-change"')" = 2 ]; then ok "a refused update writes no audit entry"
else not_ok "a refused update writes no audit entry" "$out"; fi
run "$KNOD" activity update 2 --status ongoing --end 2025-03-01
check_rc "update back" 0

G=10000000
run "$KNOD" activity funding --year 2025 --grant $G --format json
printf '%s\n' "$out" > "$T/f.json"
"$KNOD" funding allocate --grant $G --year 2025 --format json > "$T/alloc.json"
if python3 - "$T/f.json" "$T/alloc.json" <<'PY'
import json, sys
f = {x["region"]: x for x in json.load(open(sys.argv[1]))}
alloc = json.load(open(sys.argv[2]))
rows = alloc["parts"]
part = {r["code"]: r["amount"] for r in rows}
assert set(part) <= set(f), (sorted(part), sorted(f))
for code, amount in part.items():
    assert f[code]["population_part"] == amount, (code, f[code], amount)
s = f["12"]
assert (s["allocated"], s["spent"], s["grant_allocated"], s["grant_spent"]) == (500000, 370000, 400000, 350000), s
assert s["unspent_part"] == part["12"] - 350000, s
u = f["03"]
assert (u["allocated"], u["grant_spent"]) == (250000, 120000), u   # 2024 left out, 2025 replaced
n = f["national"]
assert n["allocated"] == 50000 and n["population_part"] is None, n
t = f["total"]
assert t["allocated"] == 800000 and t["spent"] == 490000 and t["population_part"] == 10000000, t
assert list(f)[-1] == "total" and list(f)[-2] == "national"
PY
then ok "funding: the population parts are knod funding allocate's, spent against them"
else not_ok "funding" "$(cat "$T/f.json" | head -40)"; fi
run "$KNOD" activity funding --year 2025 --format csv
check_out "without a grant the part is empty" "^12,500000,370000,400000,350000,,$"
run "$KNOD" activity funding --year 1990 --grant 100
check_err "a year without population" "the store has no population for 1990"
run "$KNOD" activity funding
check_rc "funding without --year is a usage error" 2
finish
