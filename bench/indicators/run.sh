#!/usr/bin/env bash
# bench/indicators/run.sh: time knod's indicator engine against the same six
# reference indicators (ref-a .. ref-f) written as SQL for SQLite and DuckDB.
#
# usage: bench/indicators/run.sh [PERSONS] [RUNS]     (defaults: 1000000 5)
#
# env:   BENCH_DIR  where the store and the results go
#                   (default /tmp/knod-bench-indicators)
#        KNOD       a knod binary to use instead of building build-bench/knod
#
# Steps:
#   1. build knod (release, build-bench/), unless KNOD is given;
#   2. create the store BENCH_DIR/store-PERSONS with `knod synth --persons
#      PERSONS --seed 1` and `knod import` (reused when it is already complete);
#      print the event counts;
#   3. SQLite: each sqlite/<id>.sql RUNS times with the sqlite3 CLI on the store
#      (wall clock of the whole `sqlite3` process, output to a file);
#   4. DuckDB: duckdb.mjs loads the tables into an in-memory database (not
#      timed) and runs each duckdb/<id>.sql RUNS times on all cores;
#   5. knod: `knod indicators run ... --timings` RUNS times (knod.sh);
#   6. compare.py: SQLite against DuckDB (must agree), and against knod when
#      it ran; then a summary of medians and ratios.
# Exit status 1 when SQLite and DuckDB disagree.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/bench/indicators
PERSONS=${1:-1000000}
RUNS=${2:-5}
BENCH_DIR=${BENCH_DIR:-/tmp/knod-bench-indicators}
IDS="ref-a ref-b ref-c ref-d ref-e ref-f"
DIR=$BENCH_DIR/store-$PERSONS
DB=$DIR/knod.db
OUT=$BENCH_DIR/out-$PERSONS
RES=$OUT/times.txt            # lines: "<side> <what> <ms>"
now_ns() { date +%s%N; }
ms_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.3f", (b - a) / 1e6 }'; }

# -- 1. tools and knod ------------------------------------------------------
sh tools/install-deps.sh
command -v node >/dev/null 2>&1 || sh tools/install-deps.sh nodejs npm
[ -d "$HERE/node_modules/@duckdb/node-api" ] || (cd "$HERE" && npm ci --no-audit --no-fund)
if [ -z "${KNOD:-}" ]; then
    [ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release >/dev/null
    ninja -C build-bench >/dev/null
    KNOD=$ROOT/build-bench/knod
fi

# -- 2. the store -----------------------------------------------------------
mkdir -p "$BENCH_DIR" "$OUT"
if [ -f "$DIR/.complete" ]; then
    echo "store: reusing $DIR ($PERSONS persons)"
else
    echo "store: writing $PERSONS persons (seed 1) to $DIR"
    rm -rf "$DIR"
    "$KNOD" init --dir "$DIR" >/dev/null
    t0=$(now_ns)
    "$KNOD" synth --persons "$PERSONS" --seed 1 --out "$DIR/synth" >/dev/null
    "$KNOD" import --quiet --dir "$DIR" "$DIR/synth" >/dev/null
    rm -rf "$DIR/synth"
    echo "store: synth + import in $(ms_since "$t0" | awk '{ printf "%.1f", $1 / 1000 }') s"
    touch "$DIR/.complete"
fi
echo "store: $(du -h "$DB" | cut -f1) $DB"
sqlite3 "$DB" "
SELECT printf('  %-18s %12d', 'persons', count(*)) FROM person;
SELECT printf('  %-18s %12d', 'contacts ' || contact_type, count(*)) FROM contact GROUP BY contact_type;
SELECT printf('  %-18s %12d', 'self_harm_acts', count(*)) FROM self_harm_act;
SELECT printf('  %-18s %12d', 'coercive_measures', count(*)) FROM coercive_measure;
SELECT printf('  %-18s %12d', 'assessments', count(*)) FROM assessment;
SELECT printf('  %-18s %12d', 'follow_ups', count(*)) FROM follow_up;"
: > "$RES"
# bring the store into the page cache once, so that no side pays the first read
cat "$DB" > /dev/null

# -- 3. SQLite --------------------------------------------------------------
echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1): $RUNS runs per query"
for id in $IDS; do
    for run in $(seq 1 "$RUNS"); do
        t0=$(now_ns)
        sqlite3 -csv -header "$DB" < "$HERE/sqlite/$id.sql" > "$OUT/sqlite-$id.csv"
        echo "sqlite $id $(ms_since "$t0")" >> "$RES"
    done
    printf '  %s %s ms\n' "$id" "$(awk -v id="$id" '$1=="sqlite" && $2==id {print $3}' "$RES" | paste -sd/)"
done
{ head -n 1 "$OUT/sqlite-ref-a.csv"
  for id in $IDS; do tail -n +2 "$OUT/sqlite-$id.csv"; done; } > "$OUT/sqlite.csv"

# -- 4. DuckDB --------------------------------------------------------------
echo "duckdb: $RUNS runs per query"
node "$HERE/duckdb.mjs" --db "$DB" --runs "$RUNS" --out "$OUT/duckdb.csv" --work "$OUT/duckdb-csv" \
    | tee "$OUT/duckdb.log" | sed 's/^/  /'
rm -rf "$OUT/duckdb-csv"
sed -n 's/^duckdb \(ref-[a-f]\) median_ms=\([0-9.]*\) .*/duckdb \1 \2/p' "$OUT/duckdb.log" >> "$RES"

# -- 5. knod ----------------------------------------------------------------
# The knod side lives in knod.sh (knod_run, knod_timings, knod_to_contract):
# adjust it there. run_knod appends "knod all|snapshot|eval <ms>" lines to
# $RES per run and leaves a contract-format CSV in $OUT/knod.csv; it returns 1
# when knod cannot run the six reference indicators.
. "$HERE/knod.sh"
run_knod() {
    local run t0 rc wall
    for run in $(seq 1 "$RUNS"); do
        t0=$(now_ns)
        rc=0
        knod_run "$DIR" "$OUT/knod-raw.csv" "$OUT/knod.stderr" || rc=$?
        wall=$(ms_since "$t0")
        if [ "$rc" -ne 0 ]; then
            echo "knod: indicators run not available (exit $rc: $(head -n 1 "$OUT/knod.stderr"))"
            return 1
        fi
        echo "knod all $wall" >> "$RES"
        knod_timings "$OUT/knod.stderr" | sed 's/^/knod /' >> "$RES"
    done
    knod_to_contract "$OUT/knod-raw.csv" "$OUT/knod.csv"
    printf '  all %s ms\n' "$(awk '$1=="knod" && $2=="all" {print $3}' "$RES" | paste -sd/)"
}
echo "knod: $RUNS runs of indicators run"
KNOD_OK=1
run_knod || KNOD_OK=0

# -- 6. agreement and summary -----------------------------------------------
echo "compare: SQLite vs DuckDB"
SAME=0
python3 "$HERE/compare.py" "$OUT/sqlite.csv" "$OUT/duckdb.csv" > "$OUT/compare-duckdb.txt" 2>&1 || SAME=1
sed 's/^/  /' "$OUT/compare-duckdb.txt"
if [ "$KNOD_OK" = 1 ]; then
    echo "compare: SQLite vs knod"
    python3 "$HERE/compare.py" "$OUT/sqlite.csv" "$OUT/knod.csv" > "$OUT/compare-knod.txt" 2>&1 || true
    sed 's/^/  /' "$OUT/compare-knod.txt"
fi

python3 - "$RES" "$PERSONS" "$RUNS" <<'PY'
import collections, statistics, sys
res, persons, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t = collections.defaultdict(list)
for line in open(res):
    side, what, ms = line.split()
    t[(side, what)].append(float(ms))
med = lambda k: statistics.median(t[k]) if t.get(k) else None
ids = ['ref-a', 'ref-b', 'ref-c', 'ref-d', 'ref-e', 'ref-f']
f = lambda x: f'{x:10.1f}' if x is not None else f'{"-":>10}'
print(f'\nsummary: {persons:,} persons, medians of {runs} runs, milliseconds')
print(f'{"query":<16}{"SQLite":>10}{"DuckDB":>10}')
for i in ids:
    print(f'{i:<16}{f(med(("sqlite", i)))}{f(med(("duckdb", i)))}')
sq = sum(med(('sqlite', i)) for i in ids)
dk = sum(med(('duckdb', i)) for i in ids)
print(f'{"sum":<16}{f(sq)}{f(dk)}')
print(f'SQLite/DuckDB: {sq / dk:.2f}x (ratios are time / time: above 1 the second is faster)')
ka, ks, ke = med(('knod', 'all')), med(('knod', 'snapshot')), med(('knod', 'eval'))
if ka is None:
    print('knod: indicators run not available (no knod figures, no ratios)')
else:
    print(f'knod: whole command {ka:.1f} ms, snapshot {f(ks).strip()} ms, eval {f(ke).strip()} ms')
    print(f'{"ratio":<28}{"vs knod whole":>14}{"vs knod eval":>14}')
    for name, x in (('DuckDB/knod', dk), ('SQLite/knod', sq)):
        r_all = f'{x / ka:13.2f}x'
        r_ev = f'{x / ke:13.2f}x' if ke else f'{"-":>14}'
        print(f'{name:<28}{r_all}{r_ev}')
PY
echo "results: $OUT (times.txt, sqlite.csv, duckdb.csv$([ "$KNOD_OK" = 1 ] && echo ", knod.csv"))"
exit "$SAME"
