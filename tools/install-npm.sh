#!/bin/sh
# Install the npm packages of knod's tests (tests/*/package.json with a
# package-lock.json beside it) with `npm ci`, when node_modules is missing or
# older than the lock file. Node.js and npm come from Debian when the
# machine has none; Chromium for the browser tests from Debian too.
# Called by `make check`; safe to run again.
set -eu
cd "$(dirname "$0")/.."
need=""
command -v node >/dev/null 2>&1 || need="$need nodejs"
command -v npm >/dev/null 2>&1 || need="$need npm"
[ -x /usr/bin/chromium ] || need="$need chromium"
if [ -n "$need" ]; then
    # shellcheck disable=SC2086
    sh tools/install-deps.sh $need
fi
for lock in tests/*/package-lock.json; do
    [ -f "$lock" ] || continue
    dir=$(dirname "$lock")
    stamp="$dir/node_modules/.knod-installed"
    if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ] || [ "$dir/package.json" -nt "$stamp" ]; then
        echo "knod: npm ci in $dir"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
        touch "$stamp"
    fi
done
