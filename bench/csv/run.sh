#!/bin/sh
# bench/csv/run.sh: build and run the CSV reader benchmark (README.md).
# usage: bench/csv/run.sh [ROWS [RUNS]]   defaults: 5000000 rows, 5 runs
# BUILD (default build) is a release build dir of knod; it is set up if
# missing, and only libknodcore.a is built. The data file and the binary
# go to bench/out/csv/ (not in git); the file is kept for the next run.
# SQLITE_RUNS (default 3) sets the sqlite3 .import runs, 0 skips them.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
ROWS=${1:-5000000}
RUNS=${2:-5}
OUT=bench/out/csv

[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" --buildtype=release
buildtype=$(meson introspect --buildoptions "$BUILD" | python3 -c \
  'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="buildtype"][0])')
[ "$buildtype" = release ] || echo "warning: $BUILD is a $buildtype build, not release" >&2
ninja -C "$BUILD" libknodcore.a >/dev/null

mkdir -p "$OUT"
cc -std=c11 -O2 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Wall -Wextra -Werror \
  -Isrc -Ibench/csv bench/csv/bench.c bench/csv/side_libcsv.c \
  "$BUILD/libknodcore.a" -ldl -o "$OUT/bench_csv"

data="$OUT/data-$ROWS.csv"
[ -f "$data" ] || "$OUT/bench_csv" gen "$data" "$ROWS"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(cc --version | head -1)"
"$OUT/bench_csv" run "$data" "$RUNS"
