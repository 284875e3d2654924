# tests/integration/cli_indicators_alone.sh: every indicator of the
# catalogue run alone (`--id ID`) gives the cells it gives in the run of the
# whole catalogue, with disclosure control and without. A ratio over
# another indicator's measure (coe-per-care-days over adm-psych-young:
# care_days) computes that operand alongside and shows only its own rows
# (docs/indicators.md, "Measures").
#
# Without disclosure control `--id` computes only the indicator and its
# operands: each one runs alone. With it, `--id` computes the whole
# catalogue (suppressed together) with the ids asked for first and shows
# only those, so what may differ from the whole run is the order of the
# definitions and what is shown: two runs, each of every other indicator
# in reverse order, put every pair of indicators in the other order than
# the whole run's (a pair in one half is reversed there; of a pair split
# between the halves, the later one goes first in its half's run), and
# each must show its ids' rows only, those of the whole run; the ratios
# over another indicator's measure run alone too.
#
# Under `make check` the runs of the walk (some sixty, each over the whole
# store, most computing the whole catalogue) are the release knod's
# ($KNOD_RELEASE, which make check has just built from the same tree): under
# the sanitizers they cost some 25 CPU s. The same code runs under the
# sanitizers in the small case at the end: the sanitized knod runs two
# indicators alone without disclosure control and a ratio over another's
# measure with it, and must give the release walk's cells. Without
# $KNOD_RELEASE (the suite run alone) every run is $KNOD's.
. "$SRCDIR/tests/integration/lib.sh"
BULK=${KNOD_RELEASE:-$KNOD}

D="$T/s3"
"$KNOD" init --dir "$D" >/dev/null 2>&1
"$KNOD" synth --persons 2000 --seed 3 --out "$D/synth" >/dev/null 2>&1
"$KNOD" import --quiet --dir "$D" "$D/synth" >/dev/null 2>&1
run "$BULK" indicators run --dir "$D" --out "$D/pub.csv"
check_rc "the whole catalogue runs" 0
run "$BULK" indicators run --dir "$D" --no-suppress --out "$D/all-raw.csv"
ids=$(sed -n 's/^indicator[[:space:]]\{1,\}\([^[:space:]#]*\).*/\1/p' \
      "$SRCDIR"/data/indicators/*.ind | sort -u)

# same_rows WHOLE ALONE ID...: ALONE holds exactly the rows of the IDs in
# WHOLE (an unsuppressed CSV's first column is "none"); prints what differs.
same_rows() {
    local whole=$1 alone=$2 id bad=""; shift 2
    for id in "$@"; do
        grep -E "^(none,)?$id," "$alone" | sort > "$D/alone.sorted"
        grep -E "^(none,)?$id," "$whole" | sort > "$D/whole.sorted"
        if [ ! -s "$D/alone.sorted" ] || ! cmp -s "$D/alone.sorted" "$D/whole.sorted"; then
            bad="$bad $id($(diff "$D/whole.sorted" "$D/alone.sorted" | head -n 3 | tr '\n' ' '))"
        fi
    done
    local asked=" $* " other
    other=$(tail -n +2 "$alone" | sed 's/^none,//; s/,.*//' | sort -u |
            while read -r id; do case $asked in *" $id "*) ;; *) printf ' %s' "$id" ;; esac; done)
    [ -z "$other" ] || bad="$bad shown but not asked for:$other"
    printf '%s' "$bad"
}

# without disclosure control: every indicator alone
alone_bad=""; alone_n=0
for id in $ids; do
    "$BULK" indicators run --dir "$D" --id "$id" --no-suppress --out "$D/alone.csv" 2>/dev/null ||
        { alone_bad="$alone_bad $id(exit $?)"; continue; }
    alone_bad="$alone_bad$(same_rows "$D/all-raw.csv" "$D/alone.csv" "$id")"
    alone_n=$((alone_n + 1))
done
if [ -z "$alone_bad" ] && [ "$alone_n" -gt 40 ]; then
    ok "without disclosure control, every indicator alone equals its cells in the whole catalogue ($alone_n runs)"
else
    not_ok "without disclosure control, every indicator alone equals its cells in the whole catalogue" "$alone_bad"
fi

# with disclosure control: the whole run's order (the order its rows come
# in), split in two halves, each run in reverse order
order=$(tail -n +2 "$D/pub.csv" | cut -d, -f1 | uniq | awk '!seen[$0]++')
half_bad=""; half_n=0
for h in 0 1; do
    sel=$(printf '%s\n' "$order" | awk -v h=$h 'NR % 2 == h' | tac)
    "$BULK" indicators run --dir "$D" --id "$(printf '%s\n' "$sel" | paste -sd, -)" \
        --out "$D/half.csv" 2>/dev/null || { half_bad="$half_bad half $h: exit $?"; continue; }
    # shellcheck disable=SC2086
    half_bad="$half_bad$(same_rows "$D/pub.csv" "$D/half.csv" $sel)"
    half_n=$((half_n + $(printf '%s\n' "$sel" | wc -l)))
done
if [ -z "$half_bad" ] && [ "$half_n" -eq "$(printf '%s\n' "$ids" | wc -l)" ]; then
    ok "with disclosure control, every indicator in the other order equals its cells in the whole catalogue ($half_n in 2 runs)"
else
    not_ok "with disclosure control, every indicator in the other order equals its cells in the whole catalogue" \
        "$half_bad ($half_n of $(printf '%s\n' "$ids" | wc -l) ids in the whole run)"
fi

# the ratios over another indicator's measure, alone with disclosure control
ratios=$(grep -l '^measure .* ratio .* / [a-z0-9-]*:' "$SRCDIR"/data/indicators/*.ind |
         xargs sed -n 's/^indicator[[:space:]]\{1,\}\([^[:space:]#]*\).*/\1/p' | sort -u)
ratio_bad=""
for id in $ratios; do
    "$BULK" indicators run --dir "$D" --id "$id" --out "$D/alone.csv" 2>/dev/null ||
        { ratio_bad="$ratio_bad $id(exit $?)"; continue; }
    ratio_bad="$ratio_bad$(same_rows "$D/pub.csv" "$D/alone.csv" "$id")"
done
if [ -z "$ratio_bad" ] && printf '%s\n' "$ratios" | grep -qx coe-per-care-days; then
    ok "with disclosure control, a ratio over another's measure alone equals its cells in the whole catalogue ($(echo $ratios))"
else
    not_ok "with disclosure control, a ratio over another's measure alone equals its cells" "[$ratios]$ratio_bad"
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
# the small case under the sanitizers: the same cells as the walk's
sbad=""
"$KNOD" indicators run --dir "$D" --id ref-e --no-suppress --out "$D/s1.csv" 2>/dev/null ||
    sbad="$sbad ref-e(exit $?)"
sbad="$sbad$(same_rows "$D/all-raw.csv" "$D/s1.csv" ref-e)"
"$KNOD" indicators run --dir "$D" --id coe-young --no-suppress --out "$D/s2.csv" 2>/dev/null ||
    sbad="$sbad coe-young(exit $?)"
sbad="$sbad$(same_rows "$D/all-raw.csv" "$D/s2.csv" coe-young)"
"$KNOD" indicators run --dir "$D" --id coe-per-care-days --out "$D/s3.csv" 2>/dev/null ||
    sbad="$sbad coe-per-care-days(exit $?)"
sbad="$sbad$(same_rows "$D/pub.csv" "$D/s3.csv" coe-per-care-days)"
if [ -z "$sbad" ]; then
    ok "the sanitized knod alone gives the walk's cells (ref-e, coe-young; coe-per-care-days with disclosure control)"
else
    not_ok "the sanitized knod alone gives the walk's cells" "$sbad"
fi
finish
