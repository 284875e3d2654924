# tests/integration/cli_indicators_attack.sh: disclosure control over the
# whole shipped catalogue and every output format (docs/indicators.md,
# "Disclosure control"). A synthetic country small enough to have many
# small cells; one year (2024) of every indicator, with each indicator's
# own breakdowns and with `--by region,municipality,sex,band`, as CSV,
# JSON lines, Kolada, FHIR and the table; disclosure_attack.py parses each
# format on its own and checks the rule (a suppressed cell carries no
# number, in any measure of its indicator) and that no hidden count can be
# recovered by subtraction or linear algebra over the true geography.
. "$SRCDIR/tests/integration/lib.sh"

D="$T/store"
"$KNOD" init --dir "$D" >/dev/null 2>&1
"$KNOD" synth --persons 2000 --seed 7 --out "$D/synth" >/dev/null 2>&1
"$KNOD" import --quiet --dir "$D" "$D/synth" >/dev/null 2>&1
ALL=region,municipality,sex,band

run "$KNOD" indicators run --dir "$D" --period 2024 --no-suppress --by "$ALL" --out "$T/truth.csv"
check_rc "the truth: --no-suppress --by $ALL" 0
for fmt in csv json kolada fhir table; do
    run "$KNOD" indicators run --dir "$D" --period 2024 --format "$fmt" --out "$T/default.$fmt"
    check_rc "the whole catalogue as $fmt" 0
done
run "$KNOD" indicators run --dir "$D" --period 2024 --by "$ALL" --out "$T/by.csv"
check_rc "the whole catalogue with --by $ALL" 0

if res=$(python3 "$SRCDIR/tests/integration/disclosure_attack.py" "$SRCDIR/data" \
         "$SRCDIR/data/indicators" 5 "$T/truth.csv" "$T" 2>&1); then
    ok "no hidden number shown or recoverable, in any format ($(echo "$res" | tr '\n' ' '))"
else
    not_ok "no hidden number shown or recoverable, in any format" "$res"
fi
finish
