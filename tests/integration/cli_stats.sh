# tests/integration/cli_stats.sh: knod stats proportion | rate | dsr.
. "$SRCDIR/tests/integration/lib.sh"

printf 'region,year,numerator,denominator\n01,2024,50,200\n01,2024,31,63\n03,2024,15,148\n' > "$T/p.csv"
run "$KNOD" stats proportion --in "$T/p.csv" --by region,year --multiplier 100
check_rc "proportion succeeds" 0
check_out "header names the by columns and the statistics" \
    "^region,year,numerator,denominator,value,lower_95,upper_95,lower_99_8,upper_99_8,note$"
# 81/263 is Newcombe's example: Wilson 95 % 0.2553-0.3662.
if printf '%s\n' "$out" | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
a = rows[0]
assert (a["region"], a["numerator"], a["denominator"]) == ("01", "81", "263"), a
assert abs(float(a["lower_95"]) - 25.53) < 0.01 and abs(float(a["upper_95"]) - 36.62) < 0.01, a
assert float(a["lower_99_8"]) < float(a["lower_95"]) and float(a["upper_99_8"]) > float(a["upper_95"])
assert len(a["value"]) > 12  # full double precision
assert rows[1]["region"] == "03" and len(rows) == 2
'; then ok "proportion: rows summed per group, Wilson limits right"; else not_ok "proportion: rows summed per group, Wilson limits right" "$out"; fi

printf 'count,population\n5,20000\n' > "$T/r.csv"
run "$KNOD" stats rate --in "$T/r.csv"
if printf '%s\n' "$out" | python3 -c '
import csv, sys
r = next(csv.DictReader(sys.stdin))
assert float(r["value"]) == 25.0
assert abs(float(r["lower_95"]) - 1.6235 * 5) < 0.01 and abs(float(r["upper_95"]) - 11.6683 * 5) < 0.01, r
'; then ok "rate: exact Poisson below 10 per 100000"; else not_ok "rate: exact Poisson below 10 per 100000" "$out"; fi

python3 -c "
bands=['0-4','5-9','10-14','15-19','20-24','25-29','30-34','35-39','40-44','45-49','50-54','55-59','60-64','65-69','70-74','75-79','80-84','85-89','90-94','95+']
print('region,age_group,count,population')
for r, k in (('A', 2), ('B', 0)):
    for b in bands: print(f'{r},{b},{k},10000')
" > "$T/d.csv"
run "$KNOD" stats dsr --in "$T/d.csv" --by region
check_rc "dsr succeeds" 0
if printf '%s\n' "$out" | python3 -c '
import csv, sys
rows = {r["region"]: r for r in csv.DictReader(sys.stdin)}
a = rows["A"]
assert abs(float(a["value"]) - 20.0) < 1e-9, a   # equal rates: the DSR is that rate
assert float(a["lower_95"]) < 20 < float(a["upper_95"])
assert rows["B"]["value"] == "" and "fewer than 10" in rows["B"]["note"], rows["B"]
'; then ok "dsr: ESP2013 by default, note below 10 events"; else not_ok "dsr: ESP2013 by default, note below 10 events" "$out"; fi
printf 'age_group,weight\nyoung,1\nold,3\n' > "$T/std.csv"
printf 'g,age_group,count,population\nx,young,10,1000\nx,old,30,1000\n' > "$T/d2.csv"
run "$KNOD" stats dsr --in "$T/d2.csv" --by g --standard "$T/std.csv" --multiplier 1000
if printf '%s\n' "$out" | python3 -c '
import csv, sys
r = next(csv.DictReader(sys.stdin))
# (1 * 10/1000 + 3 * 30/1000) / 4 per 1000
assert (r["count"], r["population"]) == ("40", "2000") and abs(float(r["value"]) - 25) < 1e-9, r
'; then ok "dsr with a given standard"; else not_ok "dsr with a given standard" "$out"; fi

printf 'region,age_group,count,population\nA,0-5,1,10\n' > "$T/bad.csv"
run "$KNOD" stats dsr --in "$T/bad.csv" --by region; check_rc "unknown age group is invalid input" 1
check_err "unknown age group names line and column" "bad.csv:2:2: field 'age_group'"
printf 'numerator,denominator\n5,3\n' > "$T/bad2.csv"
run "$KNOD" stats proportion --in "$T/bad2.csv"; check_rc "numerator above denominator is invalid" 1
check_err "it names line, column and field" "bad2.csv:2:1: field 'numerator'"
printf 'count,population\n-1,10\n' > "$T/bad3.csv"
run "$KNOD" stats rate --in "$T/bad3.csv"; check_err "a negative count is named" "bad3.csv:2:1: field 'count': negative"
printf 'count\n1\n' > "$T/bad4.csv"
run "$KNOD" stats rate --in "$T/bad4.csv"; check_err "a missing column is named" "required column 'population' is missing"
run "$KNOD" stats proportion --in "$T/p.csv" --multiplier 7; check_rc "proportion multiplier 1 or 100" 2
run "$KNOD" stats dsr --in "$T/d.csv"; check_rc "dsr needs --by" 2
run "$KNOD" stats median --in "$T/d.csv"; check_rc "unknown statistic is a usage error" 2
finish
