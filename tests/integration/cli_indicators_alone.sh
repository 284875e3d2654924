# tests/integration/cli_indicators_alone.sh: every indicator of the
# catalogue run alone (`--id ID`) gives the cells it gives in the run of the
# whole catalogue, with disclosure control and without. A ratio over
# another indicator's measure (coe-per-care-days over adm-psych-young:
# care_days) computes that operand alongside and shows only its own rows
# (docs/indicators.md, "Measures").
. "$SRCDIR/tests/integration/lib.sh"

D="$T/s3"
"$KNOD" init --dir "$D" >/dev/null 2>&1
"$KNOD" synth --persons 2000 --seed 3 --out "$D/synth" >/dev/null 2>&1
"$KNOD" import --quiet --dir "$D" "$D/synth" >/dev/null 2>&1
run "$KNOD" indicators run --dir "$D" --out "$D/pub.csv"
check_rc "the whole catalogue runs" 0
run "$KNOD" indicators run --dir "$D" --no-suppress --out "$D/all-raw.csv"
alone_bad=""; alone_n=0
for id in $(sed -n 's/^indicator[[:space:]]\{1,\}\([^[:space:]#]*\).*/\1/p' \
            "$SRCDIR"/data/indicators/*.ind | sort -u); do
    for mode in pub raw; do
        whole="$D/pub.csv"; flag=""
        [ "$mode" = raw ] && { whole="$D/all-raw.csv"; flag="--no-suppress"; }
        "$KNOD" indicators run --dir "$D" --id "$id" $flag --out "$D/alone.csv" 2>/dev/null ||
            { alone_bad="$alone_bad $id($mode: exit $?)"; continue; }
        tail -n +2 "$D/alone.csv" | sort > "$D/alone.sorted"
        grep -E "^(none,)?$id," "$whole" | sort > "$D/whole.sorted"
        if [ ! -s "$D/alone.sorted" ] || ! cmp -s "$D/alone.sorted" "$D/whole.sorted"; then
            alone_bad="$alone_bad $id($mode: $(diff "$D/whole.sorted" "$D/alone.sorted" | head -n 3 | tr '\n' ' '))"
        fi
        alone_n=$((alone_n + 1))
    done
done
if [ -z "$alone_bad" ] && [ "$alone_n" -gt 80 ]; then
    ok "every indicator alone equals its cells in the whole catalogue ($alone_n runs)"
else
    not_ok "every indicator alone equals its cells in the whole catalogue" "$alone_bad"
fi
if python3 - "$D/all-raw.csv" <<'PY'
import csv, sys
n = sum(1 for r in csv.DictReader(open(sys.argv[1]))
        if r["indicator"] == "coe-per-care-days" and r["measure"] == "rate" and r["value"] != "")
sys.exit(0 if n > 100 else 1)
PY
then
    ok "coe-per-care-days has rate values (the check above is not over empty cells)"
else
    not_ok "coe-per-care-days has rate values"
fi
finish
