# tests/integration/cli_population.sh: knod population import|list, and
# rates over each period's own population year.
#  - a two-year SCB table built here from the shipped 2025 one (2020: every
#    figure doubled), in Latin-1 with ';' as SCB's export writes it: the
#    2020 rates halve (population_year 2020, denominators doubled), 2021-2024
#    use 2020 too (the latest year at or before them), 2025 stays as it was;
#  - the same table in UTF-8 with a byte order mark and ',';
#  - broken files name file, line and field, and store nothing.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/k"
"$KNOD" init --dir "$D" >/dev/null 2>&1
"$KNOD" synth --persons 3000 --seed 5 --years 6 --end-year 2025 --out "$D/synth" >/dev/null 2>&1
"$KNOD" import --quiet --dir "$D" "$D/synth" >/dev/null 2>&1
ID=adm-sh-young-rate

run "$KNOD" population list --dir "$D"
check_rc "list succeeds" 0
check_out "a new store holds the shipped 2025 table" "^2025 +4242 +10605545"

run "$KNOD" indicators run --dir "$D" --id "$ID" --format csv --out "$T/before.csv"
check_rc "run before the import" 0

# scb FILE YEARS ENCODING DELIM: SCB's layout from data/population.csv; the
# figure of year Y is the shipped one times (2026 - Y) / 1 for Y < 2025.
scb() {
    python3 - "$SRCDIR/data/population.csv" "$1" "$2" "$3" "$4" <<'PY'
import csv, sys
src, out, years, enc, delim = sys.argv[1], sys.argv[2], [int(y) for y in sys.argv[3].split(',')], sys.argv[4], sys.argv[5]
names = {r['code']: r['county_name'] for r in csv.DictReader(open(sys.argv[1].replace('population.csv', 'regions.csv'), encoding='utf-8'))}
rows = list(csv.DictReader(open(src, encoding='utf-8')))
q = lambda s: '"' + s + '"'
lines = [q('Folkmängden efter region, ålder, kön och år'), '',
         delim.join([q('region'), q('ålder'), q('kön')] + [q(str(y)) for y in years])]
def fig(v, y):
    return str(int(v) * (2 if y < 2025 else 1))
for sex, word in (('M', 'män'), ('F', 'kvinnor')):
    lines.append(delim.join([q('00 Riket'), q('0 år'), q(word)] + ['1'] * len(years)))
for r in rows:
    age = r['age'] + ' år'
    word = 'män' if r['sex'] == 'M' else 'kvinnor'
    lines.append(delim.join([q(r['region_code'] + ' ' + names[r['region_code']]), q(age), q(word)]
                            + [fig(r['population'], y) for y in years]))
lines.append(delim.join([q('0114 Upplands Väsby'), q('0 år'), q('män')] + ['5'] * len(years)))
data = '\r\n'.join(lines) + '\r\n'
with open(out, 'wb') as f:
    f.write(('\ufeff' + data).encode('utf-8') if enc == 'utf-8-bom' else data.encode(enc))
PY
}
scb "$T/pop.csv" 2020,2025 cp1252 ';'
run "$KNOD" population import --dir "$D" "$T/pop.csv"
check_rc "a Latin-1 file with ';' imports" 0
check_out "it says what it stored" "2020, 2025 stored, 4242 cells each"
check_out "it says what it skipped" "2 rows of the nation, 1 of municipalities"
run "$KNOD" population list --dir "$D" --format json
check_out "2020 is held, doubled" '"year":2020,"cells":4242,"population":21211090'
check_out "2025 is held as shipped" '"year":2025,"cells":4242,"population":10605545'
run "$KNOD" status --dir "$D"
check_out "the import is recorded as a run" "population"

run "$KNOD" indicators run --dir "$D" --id "$ID" --format csv --out "$T/after.csv"
check_rc "run after the import" 0
if cmpout=$(python3 - "$T/before.csv" "$T/after.csv" <<'PY'
import csv, sys
def load(p):
    return {(r['measure'], r['period'], r['geo'], r['sex'], r['band']): r for r in csv.DictReader(open(p))}
a, b = load(sys.argv[1]), load(sys.argv[2])
assert a.keys() == b.keys(), 'different rows'
bad, checked = [], 0
for k, x in a.items():
    y = b[k]
    year = int(k[1][:4])
    want_year = '2025' if year >= 2025 else '2020'
    if x['population_year'] != '2025':
        bad.append(('before', k, x['population_year']))
    if y['population_year'] != want_year:
        bad.append(('year', k, y['population_year']))
    if year >= 2025:
        if x != y:
            bad.append(('2025 changed', k))
        continue
    if x['denominator'] and y['denominator']:
        checked += 1
        if abs(float(y['denominator']) - 2 * float(x['denominator'])) > 1e-6 * float(y['denominator']):
            bad.append(('den', k, x['denominator'], y['denominator']))
    if x['value'] and y['value'] and abs(float(y['value']) * 2 - float(x['value'])) > 1e-9 * float(x['value']) + 1e-12:
        bad.append(('value', k, x['value'], y['value']))
if bad or checked < 100:
    print(checked, bad[:10]); sys.exit(1)
PY
); then ok "2020-2024 rates use 2020 (halved), 2025 is unchanged"; else
    not_ok "2020-2024 rates use 2020 (halved), 2025 is unchanged" "$cmpout"; fi
run "$KNOD" indicators run --dir "$D" --id "$ID" --format json --period 2020
check_out "JSON names the population year" '"population_year":2020'
run "$KNOD" indicators run --dir "$D" --id "$ID" --format fhir --period 2020 --out "$T/r.fhir.json"
if cmpout=$(python3 - "$T/r.fhir.json" <<'PY'
import json, sys
YEAR = "https://knod.se/fhir/StructureDefinition/population-year"
groups = [g for e in json.load(open(sys.argv[1]))["entry"] for g in e["resource"]["group"]]
years = [[x["valuePositiveInt"] for x in g.get("extension", []) if x["url"] == YEAR] for g in groups]
assert groups and all(y == [2020] for y in years), years
PY
); then ok "FHIR: each rate's group names its population year"; else
    not_ok "FHIR: each rate's group names its population year" "$cmpout"; fi

scb "$T/pop8.csv" 2019 utf-8-bom ','
run "$KNOD" population import --dir "$D" "$T/pop8.csv"
check_rc "a UTF-8 file with a byte order mark and ',' imports" 0
check_out "it names the encoding" "UTF-8, ','"
run "$KNOD" population list --dir "$D"
check_out "2019 is held too" "^2019 +4242"

# broken files: each names file, line and field; nothing is stored
before=$("$KNOD" population list --dir "$D" --format json)
bad() { # bad NAME FILE PATTERN
    run "$KNOD" population import --dir "$D" "$2"
    check_rc "$1: refused" 1
    check_err "$1: says where" "$3"
    after=$("$KNOD" population list --dir "$D" --format json)
    [ "$after" = "$before" ] && ok "$1: nothing stored" || not_ok "$1: nothing stored" "$after"
}
scb "$T/full.csv" 2010,2011 utf-8 ','
grep -v '"03 Uppsala län","17 år","kvinnor"' "$T/full.csv" > "$T/gap.csv"
bad "a missing row" "$T/gap.csv" "gap.csv: 2010 has no figure for county 03, kön kvinnor, ålder 17"
sed '10s/,\([0-9]*\)\r$/,..\r/' "$T/full.csv" > "$T/dots.csv"
bad "a figure SCB marks '..'" "$T/dots.csv" "dots.csv:10:5: 2011: '..'"
sed '12s/"[0-9]* år"/"zero"/' "$T/full.csv" > "$T/age.csv"
bad "an age that is not one" "$T/age.csv" "age.csv:12:2: ålder 'zero'"
sed '12s/"kvinnor"/"okänt"/' "$T/full.csv" > "$T/sex.csv"
bad "a sex that is not one" "$T/sex.csv" "sex.csv:12:3: kön 'ok..nt' is not"
sed '12s/"[0-9][0-9] /"99 /' "$T/full.csv" > "$T/reg.csv"
bad "an unknown county" "$T/reg.csv" "reg.csv:12:1: unknown county code '99'"
sed '3s/"2011"/"twenty"/' "$T/full.csv" > "$T/hdr.csv"
bad "a column that is not a year" "$T/hdr.csv" "hdr.csv:3:5: column 'twenty'"
{ cat "$T/full.csv"; sed -n 12p "$T/full.csv"; } > "$T/dup.csv"
bad "a row twice" "$T/dup.csv" "dup.csv:[0-9]+: county .* again \\(first on line 12\\)"
sed '12s/,[0-9]*\r$/\r/' "$T/full.csv" > "$T/short.csv"
bad "a row short of a field" "$T/short.csv" "short.csv:12: 4 fields, the header has 5"
printf 'a,b\n1,2\n' > "$T/nohdr.csv"
bad "no header" "$T/nohdr.csv" "nohdr.csv: no header line"
printf '"region","\xe5lder","k\xf6n","2010"\n"01 Stockholms l\xe4n","0 \xe5r","m\xe4n",\x81\n' > "$T/enc.csv"
bad "bytes neither UTF-8 nor Windows-1252" "$T/enc.csv" "enc.csv:2: neither UTF-8 nor Latin-1"

run "$KNOD" population import --dir "$D" "$T/missing.csv"
check_rc "a file that does not exist" 1
run "$KNOD" population import --dir "$D"
check_rc "import without a file is a usage error" 2
run "$KNOD" population list --dir "$D" --bogus
check_rc "an unknown option is a usage error" 2
finish
