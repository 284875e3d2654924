#!/usr/bin/env bash
# bench/import/run.sh: time `knod import` against `sqlite3 .import`.
#
# usage: bench/import/run.sh [PERSONS] [RUNS]     (defaults: 1000000 3)
#
# Writes a synthetic country with `knod synth` (PERSONS persons, about ten
# events per person in all files), then RUNS times, alternating so that
# machine noise hits both sides alike:
#   knod    - `knod import FOLDER` into a fresh store, as a user runs it: one
#             process, one transaction per file (validation,
#             pseudonymisation, references); per-file times from its
#             summary lines, the total from the wall clock;
#   sqlite3 - `sqlite3 .import --csv` of the same files, each into a plain
#             table of a fresh database (the anchor: no checks at all);
#   upsert  - the same `knod import` again into the filled store (every
#             row checked and found unchanged: the incremental path).
# Prints per-file medians and the rows/s ratio knod / sqlite3.
set -euo pipefail
cd "$(dirname "$0")/../.."
PERSONS=${1:-1000000}
RUNS=${2:-3}
OUT=bench/out/import
KNOD=build/knod
make -s deps
[ -f build/build.ninja ] || meson setup build --buildtype=release >/dev/null
ninja -C build knod >/dev/null
mkdir -p "$OUT"
DATA="$OUT/data-$PERSONS"
if [ ! -f "$DATA/pathway_steps.csv" ]; then
    echo "writing synthetic data ($PERSONS persons) to $DATA"
    rm -rf "$DATA"
    "$KNOD" synth --persons "$PERSONS" --seed 1 --out "$DATA" >/dev/null
fi
KINDS="units persons contacts self_harm coercive_measures assessments care_plans treatments follow_ups pathway_steps"
RES="$OUT/results.txt"
: > "$RES"
now() { date +%s.%N; }
for run in $(seq 1 "$RUNS"); do
    rm -rf "$OUT/store"
    "$KNOD" init --dir "$OUT/store" >/dev/null
    t0=$(now)
    "$KNOD" import --quiet --today 2026-11-23 --dir "$OUT/store" "$DATA" > "$OUT/knod.out"
    t1=$(now)
    echo "knod all $(echo "$t1 - $t0" | bc)" >> "$RES"
    sed -n 's|.*/\([a-z_]*\)\.csv: .* in \([0-9.]*\) s .*|knod \1 \2|p' "$OUT/knod.out" >> "$RES"
    rm -f "$OUT/anchor.db"*
    for k in $KINDS; do
        t0=$(now); sqlite3 "$OUT/anchor.db" ".import --csv $DATA/$k.csv t_$k"; t1=$(now)
        echo "sqlite3 $k $(echo "$t1 - $t0" | bc)" >> "$RES"
    done
    t0=$(now)
    "$KNOD" import --quiet --today 2026-11-23 --dir "$OUT/store" "$DATA" > "$OUT/upsert.out"
    t1=$(now)
    echo "upsert all $(echo "$t1 - $t0" | bc)" >> "$RES"
    sed -n 's|.*/\([a-z_]*\)\.csv: .* in \([0-9.]*\) s .*|upsert \1 \2|p' "$OUT/upsert.out" >> "$RES"
done
python3 - "$RES" "$DATA" <<'PY'
import statistics, sys, collections
res, data = sys.argv[1], sys.argv[2]
t = collections.defaultdict(list)
for line in open(res):
    side, kind, secs = line.split()
    t[(side, kind)].append(float(secs))
kinds = [k for s, k in t if s == 'knod' and k != 'all']
rows = {k: sum(1 for _ in open(f'{data}/{k}.csv')) - 1 for k in kinds}
print(f"{'file':<20}{'rows':>11}{'knod s':>9}{'sqlite3 s':>11}{'upsert s':>10}{'knod/sqlite3':>14}")
tot = collections.Counter()
for k in kinds:
    kn, sq, up = (statistics.median(t[(s, k)]) for s in ('knod', 'sqlite3', 'upsert'))
    tot['rows'] += rows[k]; tot['knod'] += kn; tot['sqlite3'] += sq; tot['upsert'] += up
    print(f"{k:<20}{rows[k]:>11}{kn:>9.2f}{sq:>11.2f}{up:>10.2f}{sq / kn:>13.2f}x")
kn_all = statistics.median(t[('knod', 'all')])
up_all = statistics.median(t[('upsert', 'all')])
print(f"{'sum of files':<20}{tot['rows']:>11}{tot['knod']:>9.2f}{tot['sqlite3']:>11.2f}{tot['upsert']:>10.2f}{tot['sqlite3'] / tot['knod']:>13.2f}x")
print(f"{'whole command':<20}{tot['rows']:>11}{kn_all:>9.2f}{tot['sqlite3']:>11.2f}{up_all:>10.2f}{tot['sqlite3'] / kn_all:>13.2f}x")
print(f"rows/s (whole command): knod {tot['rows'] / kn_all:,.0f}, sqlite3 {tot['rows'] / tot['sqlite3']:,.0f}, "
      f"knod re-import (unchanged) {tot['rows'] / up_all:,.0f}")
PY
