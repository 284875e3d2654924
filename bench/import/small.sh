#!/bin/bash
# bench/import/small.sh: the time of a small `knod import` into a filled store.
#
#     bench/import/small.sh KNOD DIR PNR UNIT [RUNS]
#
# KNOD: the knod binary (a release build); DIR: a knod directory with a filled
# store (it gets the rows: use a copy); PNR: the personnummer of a stored person;
# UNIT: the code of a stored unit. RUNS times (default 5) each: a self_harm.csv of
# one row of that person, and a contacts.csv of one contact of that person, each
# row new (its own source_id). Prints each run's wall and CPU (user + system)
# seconds and their medians: on a shared machine the CPU seconds say more.
set -euo pipefail
KNOD=$1 DIR=$2 PNR=$3 UNIT=$4 RUNS=${5:-5}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
tag="b$$x$RANDOM"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
secs() { # secs FILE: wall and CPU (user + system) seconds of one import
    local TIMEFORMAT='%R %U %S'
    { time "$KNOD" import --dir "$DIR" --quiet "$1" >/dev/null; } 2>&1 \
        | awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }'
}
for i in $(seq 1 "$RUNS"); do
    printf 'source_system,source_id,pnr,time,cause_code,contact_id\nbench,%s-a%s,%s,2024-06-02T08:52:22,X78,\n' \
        "$tag" "$i" "$PNR" > "$T/self_harm.csv"
    printf 'source_system,source_id,pnr,unit,contact_type,start,end,legal_basis,brief_admission,main_diagnosis,other_diagnoses,cause_code\nbench,%s-c%s,%s,%s,emergency,2024-06-02T08:00:00,2024-06-02T10:00:00,,,T14.9,,X78\n' \
        "$tag" "$i" "$PNR" "$UNIT" > "$T/contacts.csv"
    secs "$T/self_harm.csv" >> "$T/acts"
    secs "$T/contacts.csv" >> "$T/contacts"
done
for f in acts contacts; do
    printf '%-9s wall s: %s-> median %s; CPU s: %s-> median %s\n' "$f" \
        "$(cut -d' ' -f1 "$T/$f" | tr '\n' ' ')" "$(cut -d' ' -f1 "$T/$f" | median)" \
        "$(cut -d' ' -f2 "$T/$f" | tr '\n' ' ')" "$(cut -d' ' -f2 "$T/$f" | median)"
done
