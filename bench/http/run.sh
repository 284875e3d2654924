#!/usr/bin/env bash
# bench/http/run.sh: `knod serve` against nginx serving the same bytes.
#
# usage: bench/http/run.sh [PERSONS] [PAIRS] [SECONDS] [THREADS...]
#        (defaults: 100000 3 10 2)
#
# Installs nginx and wrk (bench/http/install.sh; `make check` never needs
# them), builds the release build in build/, writes a synthetic country of
# PERSONS persons and imports it into bench/out/http/store-PERSONS (both
# kept for the next run), then bench/http/bench.py: serves it, saves the
# exact bytes of three cached answers, serves those with nginx, and runs wrk
# (64 connections, 2 threads, --latency) against both, alternating, PAIRS
# times for each URL and each server thread count in THREADS; then the
# server's memory and the time from an import's commit to the first new
# result. Figures and their reading: bench/http/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
PERSONS=${1:-100000}
PAIRS=${2:-3}
SECONDS_=${3:-10}
shift $(( $# < 3 ? $# : 3 ))
THREADS=${*:-2}
OUT=bench/out/http
KNOD=build/knod
make -s deps
sh bench/http/install.sh
[ -f build/build.ninja ] || meson setup build --buildtype=release >/dev/null
ninja -C build knod >/dev/null
mkdir -p "$OUT"
DATA="$OUT/data-$PERSONS"
STORE="$OUT/store-$PERSONS"
if [ ! -f "$DATA/pathway_steps.csv" ]; then
    echo "writing synthetic data ($PERSONS persons) to $DATA"
    rm -rf "$DATA"
    "$KNOD" synth --persons "$PERSONS" --seed 1 --out "$DATA" >/dev/null
fi
if [ ! -f "$STORE/.imported" ]; then
    echo "importing into $STORE"
    rm -rf "$STORE"
    "$KNOD" init --dir "$STORE" >/dev/null
    "$KNOD" import --quiet --today 2026-11-23 --dir "$STORE" "$DATA" >/dev/null
    touch "$STORE/.imported"
fi
# The freshness imports change the store: bench.py works on a copy.
rm -rf "$OUT/work"
cp -r "$STORE" "$OUT/work"
# shellcheck disable=SC2086
exec python3 bench/http/bench.py --knod "$KNOD" --store "$OUT/work" --out "$OUT" \
    --pairs "$PAIRS" --seconds "$SECONDS_" --threads $THREADS
