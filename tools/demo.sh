#!/bin/sh
# tools/demo.sh KNOD DIR: the main job of `make demo`.
# Creates a fresh demo knod directory in DIR and shows what it holds. Later
# steps (synthetic country, headline figures, portal) extend this script.
set -eu
KNOD=$1
DIR=$2
if [ -e "$DIR" ]; then
    # Only ever remove a directory that knod made.
    if [ -f "$DIR/knod.ini" ] || [ -z "$(ls -A "$DIR")" ]; then
        rm -rf "$DIR"
    else
        echo "demo: '$DIR' exists and is not a knod directory; not touching it" >&2
        exit 1
    fi
fi
"$KNOD" init --dir "$DIR"
echo
echo "Regions and their young people (10-24), from the demo store:"
"$KNOD" geo regions --dir "$DIR"
echo
echo "Check personal identity numbers (Skatteverket's test numbers):"
"$KNOD" personnummer 201701012393 701063-2391 121212+1212 201701012394 || true
echo
echo "Next: KNOD_DIR=$DIR $KNOD help"
