# tests/integration/lib.sh: a tiny TAP producer for the CLI tests.
#
# Source it, make one check per test, and call `finish` at the end (it
# prints the TAP plan, which may stand last).
# Every check prints "ok N - name" or "not ok N - name" with what was seen.
# $KNOD is the binary under test; $T a fresh temporary directory, removed
# at exit.
set -u
T=$(mktemp -d /tmp/knod-it-XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0
failed=0

ok() { # ok NAME: passes
    n=$((n + 1)); echo "ok $n - $1"
}

not_ok() { # not_ok NAME DETAIL
    n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
    [ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/# /'
    return 0
}

# run CMD...: runs it, keeps stdout in $out, stderr in $errout, status in $rc.
# (bash reads the file itself: no cat started for each of some 700 runs)
run() {
    out=$("$@" 2>"$T/.stderr"); rc=$?
    errout=$(< "$T/.stderr")
}

# check_rc NAME WANT: the last run's exit status.
check_rc() {
    if [ "$rc" -eq "$2" ]; then ok "$1"; else
        not_ok "$1" "exit status $rc, expected $2; stderr: $errout"; fi
}

# check_out NAME PATTERN: the last run's stdout matches the grep -E pattern.
check_out() {
    if printf '%s\n' "$out" | grep -Eq -- "$2"; then ok "$1"; else
        not_ok "$1" "stdout lacks /$2/: $out"; fi
}

# check_err NAME PATTERN: the last run's stderr matches.
check_err() {
    if printf '%s\n' "$errout" | grep -Eq -- "$2"; then ok "$1"; else
        not_ok "$1" "stderr lacks /$2/: $errout"; fi
}

# check NAME COMMAND...: passes if the command succeeds.
check() {
    local name=$1; shift
    if "$@" >/dev/null 2>&1; then ok "$name"; else not_ok "$name" "failed: $*"; fi
}

finish() {
    [ "$n" -gt 0 ] || { echo "not ok 1 - no checks ran"; exit 1; }
    echo "1..$n"
    exit 0
}
