# tests/integration/cli_synth.sh: knod synth, its files, determinism, bad arguments.
. "$SRCDIR/tests/integration/lib.sh"
FILES="units persons contacts self_harm coercive_measures assessments care_plans
treatments follow_ups pathway_steps"

run "$KNOD" synth --help; check_rc "synth --help" 0
check_out "help names the options" "--persons N.*--out DIR"
check_out "help names the files" "coercive_measures.csv"
run "$KNOD" help synth; check_rc "knod help synth" 0
run "$KNOD" help; check_out "synth is in the command list" "^  synth "

run "$KNOD" synth --persons 400 --out "$T/a"; check_rc "a small run succeeds" 0
check_out "a line per file" "^pathway_steps.csv +[0-9]+ rows"
check_out "the total with the period" "^total +[0-9]+ rows .* s \(2020-2024, seed 1\)"
check_out "persons.csv has 400 rows" "^persons.csv +400 rows"
missing=""
for f in $FILES; do
    [ -s "$T/a/$f.csv" ] || missing="$missing $f"
    head -1 "$T/a/$f.csv" | grep -q '^source_system,source_id,' || missing="$missing $f(header)"
done
[ -z "$missing" ] && ok "all ten files with their headers" || not_ok "all ten files with their headers" "$missing"
[ "$(wc -l < "$T/a/persons.csv")" = 401 ] && ok "persons.csv: header and 400 rows" \
    || not_ok "persons.csv: header and 400 rows" "$(wc -l < "$T/a/persons.csv")"
[ "$(cut -d, -f5 "$T/a/units.csv" | tail -n +2 | sort -u | wc -l)" = 21 ] \
    && ok "units in all 21 regions" || not_ok "units in all 21 regions"
if python3 - "$T/a" <<'EOF'
import csv, sys
d = sys.argv[1]
rows = lambda f: list(csv.DictReader(open(f"{d}/{f}.csv", encoding="utf-8")))
contacts = {r["source_id"]: r for r in rows("contacts")}
for f, ref in (("self_harm", "contact_id"), ("assessments", "contact_id"),
               ("follow_ups", "stay_id"), ("coercive_measures", "stay_id")):
    for r in rows(f):
        assert r[ref] == "" or r[ref] in contacts, (f, r["source_id"])
times = [r["start"] for r in contacts.values()] + [r["time"] for r in rows("self_harm")]
assert min(times) >= "2020-01-01T00:00:00" and max(times) <= "2024-12-31T23:59:59"
EOF
then ok "references resolve, times inside 2020-2024"; else not_ok "references resolve, times inside 2020-2024"; fi

run "$KNOD" synth --persons 400 --out "$T/b" --threads 1; check_rc "the same run on one thread" 0
(cd "$T/a" && sha256sum *.csv) > "$T/a.sum"
(cd "$T/b" && sha256sum *.csv) > "$T/b.sum"
cmp -s "$T/a.sum" "$T/b.sum" && ok "same arguments give byte-identical files" \
    || not_ok "same arguments give byte-identical files" "$(diff "$T/a.sum" "$T/b.sum")"
run "$KNOD" synth --persons 400 --out "$T/c" --seed 2; check_rc "another seed" 0
(cd "$T/c" && sha256sum *.csv) > "$T/c.sum"
[ "$(diff "$T/a.sum" "$T/c.sum" | grep -c '^>')" = 9 ] && ok "another seed changes every file but units" \
    || not_ok "another seed changes every file but units" "$(diff "$T/a.sum" "$T/c.sum")"
run "$KNOD" synth --persons 200 --years 2 --end-year 2023 --out "$T/d"; check_rc "--years and --end-year" 0
check_out "the period follows" "\(2022-2023, seed 1\)"
[ "$(cut -d, -f4 "$T/d/self_harm.csv" | tail -n +2 | cut -c1-4 | sort -u | tr '\n' ' ')" = "2022 2023 " ] \
    && ok "acts only in 2022-2023" || not_ok "acts only in 2022-2023"

run "$KNOD" synth --persons 0 --out "$T/e"; check_rc "--persons 0 is a usage error" 2
check_err "--persons 0 says why" "--persons must be a whole number"
run "$KNOD" synth --persons abc --out "$T/e"; check_rc "--persons abc is a usage error" 2
run "$KNOD" synth --persons 10x --out "$T/e"; check_rc "--persons 10x is a usage error" 2
run "$KNOD" synth --persons 10; check_rc "a missing --out is a usage error" 2
check_err "a missing --out is named" "--out is required"
run "$KNOD" synth --out "$T/e"; check_rc "a missing --persons is a usage error" 2
run "$KNOD" synth --persons 10 --out "$T/e" --end-year 2999; check_rc "a future --end-year is a usage error" 2
run "$KNOD" synth --persons 10 --out "$T/e" --seed -1; check_rc "a negative seed is a usage error" 2
run "$KNOD" synth --persons 10 --out "$T/e" extra; check_rc "an extra argument is a usage error" 2
run "$KNOD" synth --persons 10 --bogus; check_rc "an unknown option is a usage error" 2
[ ! -e "$T/e" ] && ok "usage errors write nothing" || not_ok "usage errors write nothing"
: > "$T/plain"
run "$KNOD" synth --persons 10 --out "$T/plain"; check_rc "--out on a plain file fails" 3
check_err "the failure names the path" "plain' is not a directory"

# The files are what `knod import` takes.
"$KNOD" init --dir "$T/site" >/dev/null 2>&1
run "$KNOD" import --quiet --dir "$T/site" "$T/d"; check_rc "knod import takes the files" 0
finish
