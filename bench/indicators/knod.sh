# bench/indicators/knod.sh: the knod side of the indicator benchmark, sourced
# by run.sh and check.sh. This is the one place to adjust as
# `knod indicators run` evolves. Needs $KNOD (the binary) and $HERE
# (bench/indicators).

KNOD_IDS=ref-a,ref-b,ref-c,ref-d,ref-e,ref-f

# knod_run DIR RAW ERR: run the six reference indicators once on the store in
# DIR; knod's own result file goes to RAW, its stderr to ERR (where --timings
# prints "timing snapshot_ms=<float>" and "timing eval_ms=<float>").
# --no-suppress: the anchors compute every cell without disclosure control,
# so knod must too for the results to be comparable (and the timed work to
# be the same). Returns knod's exit status.
knod_run() {
    "$KNOD" indicators run --dir "$1" --id "$KNOD_IDS" --format csv --out "$2" \
        --no-suppress --timings > /dev/null 2> "$3"
}

# knod_timings ERR: the timing lines of one run as "snapshot <ms>" and
# "eval <ms>".
knod_timings() {
    sed -n 's/^timing snapshot_ms=\([0-9.eE+-]*\).*/snapshot \1/p;
            s/^timing eval_ms=\([0-9.eE+-]*\).*/eval \1/p' "$1"
}

# knod_to_contract RAW CSV: knod's result file -> the contract CSV of
# README.md (header indicator,measure,period,region,sex,band,numerator,
# denominator,value; sorted by the first six columns): from_knod.py keeps the
# region rows of each reference indicator's own breakdown.
knod_to_contract() {
    python3 "$HERE/from_knod.py" "$1" "$2"
}
