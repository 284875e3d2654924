#!/usr/bin/env bash
# bench/indicators/check.sh: differential correctness test of ref-a .. ref-f.
#
# usage: bench/indicators/check.sh [PERSONS]     (default: 20000)
#
# env:   CHECK_DIR  where the stores go (default /tmp/knod-check-indicators)
#        KNOD       a knod binary to use instead of building build-bench/knod
#        SEED       the synth seed (default 1)
#
# 1. edge store: a fresh `knod init` store filled by edge/edge.sql (hand-made
#    edge cases); SQLite, DuckDB, reference.py and knod (when `knod
#    indicators run` exists) must each give edge/expected.csv.
# 2. synthetic store: `knod synth --persons PERSONS --seed SEED` + `knod import`;
#    DuckDB, reference.py and knod must each agree with SQLite.
# Agreement is compare.py's: same keys, equal counts, values within a relative
# 1e-9. Exit status 1 on any disagreement. Takes a few seconds at 20000.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/bench/indicators
PERSONS=${1:-20000}
SEED=${SEED:-1}
CHECK_DIR=${CHECK_DIR:-/tmp/knod-check-indicators}
IDS="ref-a ref-b ref-c ref-d ref-e ref-f"

[ -d "$HERE/node_modules/@duckdb/node-api" ] || (cd "$HERE" && npm ci --no-audit --no-fund)
if [ -z "${KNOD:-}" ]; then
    [ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release >/dev/null
    ninja -C build-bench >/dev/null
    KNOD=$ROOT/build-bench/knod
fi
. "$HERE/knod.sh"

FAILED=0
# results DIR OUT: the contract CSVs of every engine for the store in DIR
results() {
    local dir=$1 out=$2 id
    mkdir -p "$out"
    for id in $IDS; do
        sqlite3 -csv -header "$dir/knod.db" < "$HERE/sqlite/$id.sql" > "$out/sqlite-$id.csv"
    done
    { head -n 1 "$out/sqlite-ref-a.csv"
      for id in $IDS; do tail -n +2 "$out/sqlite-$id.csv"; done; } > "$out/sqlite.csv"
    node "$HERE/duckdb.mjs" --db "$dir/knod.db" --runs 1 --out "$out/duckdb.csv" > /dev/null
    python3 "$HERE/reference.py" "$dir/knod.db" > "$out/reference.csv"
    rm -f "$out/knod.csv"
    if knod_run "$dir" "$out/knod-raw.csv" "$out/knod.stderr"; then
        knod_to_contract "$out/knod-raw.csv" "$out/knod.csv"
    else
        echo "  knod: indicators run not available ($(head -n 1 "$out/knod.stderr"))"
    fi
}
# agree WHAT EXPECTED GOT
agree() {
    if python3 "$HERE/compare.py" "$2" "$3" > "$3.compare" 2>&1; then
        echo "  ok   $1"
    else
        echo "  FAIL $1"
        sed 's/^/       /' "$3.compare"
        FAILED=1
    fi
}

echo "edge cases (edge/edge.sql):"
rm -rf "$CHECK_DIR/edge"
mkdir -p "$CHECK_DIR"
"$KNOD" init --dir "$CHECK_DIR/edge" > /dev/null
sqlite3 "$CHECK_DIR/edge/knod.db" < "$HERE/edge/edge.sql"
results "$CHECK_DIR/edge" "$CHECK_DIR/edge/out"
for e in sqlite duckdb reference knod; do
    if [ -f "$CHECK_DIR/edge/out/$e.csv" ]; then agree "$e = edge/expected.csv" "$HERE/edge/expected.csv" "$CHECK_DIR/edge/out/$e.csv"; fi
done

echo "synthetic store ($PERSONS persons, seed $SEED):"
S=$CHECK_DIR/synth-$PERSONS-$SEED
if [ ! -f "$S/.complete" ]; then
    rm -rf "$S"
    "$KNOD" init --dir "$S" > /dev/null
    "$KNOD" synth --persons "$PERSONS" --seed "$SEED" --out "$S/synth" > /dev/null
    "$KNOD" import --quiet --dir "$S" "$S/synth" > /dev/null
    rm -rf "$S/synth"
    touch "$S/.complete"
fi
results "$S" "$S/out"
for e in duckdb reference knod; do
    if [ -f "$S/out/$e.csv" ]; then agree "$e = sqlite" "$S/out/sqlite.csv" "$S/out/$e.csv"; fi
done
[ "$FAILED" = 0 ] && echo "check: all agree" || echo "check: DISAGREEMENT"
exit "$FAILED"
