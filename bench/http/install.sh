#!/bin/sh
# bench/http/install.sh: the Debian packages only bench/http needs (nginx as
# the static-file anchor, wrk as the load generator), on top of knod's own.
# `make check` never needs them. Safe to run again.
set -eu
cd "$(dirname "$0")/../.."
exec sh tools/install-deps.sh nginx wrk
