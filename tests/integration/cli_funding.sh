# tests/integration/cli_funding.sh: knod funding allocate.
. "$SRCDIR/tests/integration/lib.sh"

# An independent reading of the method: exact fractions from the shipped
# population file, floors, and the rest by largest remainder (ties to the
# lower code). The command's amounts must equal it, krona for krona.
oracle() { # oracle GRANT POPULATION_CSV(code,population) < knod csv
    python3 -c '
import csv, sys
from fractions import Fraction
grant, pops = int(sys.argv[1]), {}
for r in csv.DictReader(open(sys.argv[2])):
    pops[r["code"]] = pops.get(r["code"], 0) + int(r["population"])
W = sum(pops.values())
q = {c: Fraction(grant * w, W) for c, w in pops.items()}
amt = {c: int(x) for c, x in q.items()}
left = grant - sum(amt.values())
for c in sorted(q, key=lambda c: (-(q[c] - int(q[c])), c))[:left]:
    amt[c] += 1
rows = list(csv.DictReader(sys.stdin))
assert [r["code"] for r in rows] == sorted(pops), [r["code"] for r in rows]
for r in rows:
    assert int(r["amount"]) == amt[r["code"]], (r, amt[r["code"]])
    assert int(r["population"]) == pops[r["code"]], r
    quota = Fraction(r["quota"])
    assert abs(quota - q[r["code"]]) <= Fraction(1, 20000), (r, float(q[r["code"]]))
    assert abs(int(r["amount"]) - quota - Fraction(r["rounding"])) <= Fraction(1, 10000), r
assert sum(int(r["amount"]) for r in rows) == grant
' "$@"
}

awk -F, 'NR == 1 { print "code,population"; next } $1 == 2025 { print $2 "," $5 }' \
    "$SRCDIR/data/population.csv" > "$T/regions.csv"
for grant in 10000000 1 20 999999999999; do
    run "$KNOD" funding allocate --grant $grant --year 2025 --format csv
    check_rc "allocate $grant kronor by region" 0
    if printf '%s\n' "$out" | oracle $grant "$T/regions.csv" 2>"$T/oracle.err"; then
        ok "allocate $grant: the largest-remainder amounts, summing to the grant"
    else not_ok "allocate $grant: the largest-remainder amounts" "$(cat "$T/oracle.err")"; fi
done

run "$KNOD" funding allocate --grant 10000000 --year 2025 --format json
check_rc "json" 0
if printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["grant"] == 10000000 and d["sum"] == 10000000 and d["year"] == 2025
assert len(d["parts"]) == 21 and sum(p["amount"] for p in d["parts"]) == 10000000
assert d["population"] == sum(p["population"] for p in d["parts"])
'; then ok "json: 21 parts that sum to the grant"; else not_ok "json: 21 parts" "$out"; fi
run "$KNOD" funding allocate --grant 10000000 --year 2025
check_out "table: a total row with the grant" "total .* 10000000$"

# Municipalities need a population file; with one, the same method.
run "$KNOD" funding allocate --grant 1000 --year 2025 --by municipality
check_rc "municipalities without a population file: refused" 1
check_err "... saying to give --population" "no municipal populations: give --population"
printf 'code,population\n1380,105000\n1381,26000\n1382,47000\n1383,66000\n1384,86000\n1315,11000\n' > "$T/halland.csv"
run "$KNOD" funding allocate --grant 1000001 --year 2025 --by municipality --region 13 \
    --population "$T/halland.csv" --format csv
check_rc "Halland's six municipalities from a file" 0
if printf '%s\n' "$out" | oracle 1000001 "$T/halland.csv" 2>"$T/oracle.err"; then
    ok "municipalities: the largest-remainder amounts"
else not_ok "municipalities: the largest-remainder amounts" "$(cat "$T/oracle.err")"; fi

# Bad input: named by file, line and field; nothing half printed.
printf 'code,population\n1380,105000\n1380,1\n' > "$T/twice.csv"
run "$KNOD" funding allocate --grant 10 --year 2025 --by municipality --region 13 --population "$T/twice.csv"
check_rc "a code given twice: refused" 1
check_err "... naming file, line and field" "twice.csv:3: field 'code': 1380 is given twice"
printf 'code,population\n1380,many\n' > "$T/bad.csv"
run "$KNOD" funding allocate --grant 10 --year 2025 --by municipality --region 13 --population "$T/bad.csv"
check_err "a bad population: file, line and field" "bad.csv:2: field 'population'"
printf 'code,population\n1380,5\n' > "$T/short.csv"
run "$KNOD" funding allocate --grant 10 --year 2025 --by municipality --region 13 --population "$T/short.csv"
check_err "a missing municipality is named" "short.csv: no population for 13[0-9]{2}"
check "... and nothing was printed on stdout" test -z "$out"
printf 'code,people\n' > "$T/hdr.csv"
run "$KNOD" funding allocate --grant 10 --year 2025 --population "$T/hdr.csv"
check_err "a header without the columns" "hdr.csv:1: the header needs the columns 'code' and 'population'"
run "$KNOD" funding allocate --grant 10 --year 2024
check_rc "a year without a shipped population: refused" 1
check_err "... naming the year the table has" "no shipped population for 2024 \(the table has 2025\)"
run "$KNOD" funding allocate --grant 10,5 --year 2025
check_rc "a grant that is not whole kronor" 1
run "$KNOD" funding allocate --grant 10 --year 2025 --bogus
check_rc "an unknown option is a usage error" 2
run "$KNOD" funding allocate --grant 10 --year 2025 extra
check_rc "an extra argument is a usage error" 2
run "$KNOD" funding allocate --year 2025
check_rc "no --grant is a usage error" 2
run "$KNOD" funding share
check_rc "an unknown subcommand is a usage error" 2
finish
