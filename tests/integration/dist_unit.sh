#!/bin/bash
# tests/integration/dist_unit.sh: dist/knod.service, the systemd unit of
# `knod serve` (docs/operations.md). systemd-analyze verifies a copy whose
# ExecStart is the knod under test (verify wants an executable there), with
# no warning at all (verify exits 0 on a setting it ignores, so its output
# must be empty); the offline security analysis rates the exposure at 2.0
# or less ("OK"); and the unit has what the docs promise: the key as a
# credential, the state directory, the hardening. Without systemd-analyze
# the systemd checks are reported as skipped, not passed.
. "$(dirname "$0")/lib.sh"
UNIT="$SRCDIR/dist/knod.service"

has() { # has NAME REGEX: the unit has a line matching
    if grep -Eq -- "$2" "$UNIT"; then ok "$1"; else not_ok "$1" "no line /$2/ in $UNIT"; fi
}
has "runs knod serve on the knod directory" '^ExecStart=/[^ ]*/knod serve --dir /var/lib/knod$'
has "the pseudonym key is a credential" '^LoadCredential=knod\.key:/etc/knod/knod\.key$'
has "the store lives in the state directory" '^StateDirectory=knod$'
has "the state directory is private" '^StateDirectoryMode=0700$'
has "no new privileges" '^NoNewPrivileges=yes$'
has "the file system is read-only but for the state" '^ProtectSystem=strict$'
has "a private /tmp" '^PrivateTmp=yes$'
has "IP and local sockets only" '^RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX$'
has "no capabilities" '^CapabilityBoundingSet=$'
has "the system-service system calls only" '^SystemCallFilter=@system-service$'

if ! command -v systemd-analyze >/dev/null 2>&1; then
    ok "systemd-analyze verify accepts the unit # SKIP systemd-analyze is not installed"
    ok "the exposure is OK # SKIP systemd-analyze is not installed"
    finish
fi
mkdir -p "$T/unit"
sed "s|^ExecStart=/[^ ]*/knod |ExecStart=$KNOD |" "$UNIT" > "$T/unit/knod.service"
run systemd-analyze verify --man=no "$T/unit/knod.service"
if [ "$rc" -eq 0 ] && [ -z "$out$errout" ]; then ok "systemd-analyze verify accepts the unit"
else not_ok "systemd-analyze verify accepts the unit" "exit $rc: $out $errout"; fi
# the check can fail: a setting systemd does not know is reported
sed 's|^ProtectSystem=strict|ProtectSystem=bogus|' "$T/unit/knod.service" > "$T/unit/bad.service"
run systemd-analyze verify --man=no "$T/unit/bad.service"
if [ -n "$out$errout" ]; then ok "verify reports a bad setting (the check can fail)"
else not_ok "verify reports a bad setting (the check can fail)" "no output"; fi
run systemd-analyze security --offline=true --no-pager "$T/unit/knod.service"
level=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [ -z "$level" ]; then
    ok "the exposure is OK # SKIP this systemd-analyze has no offline security analysis"
elif awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'; then
    ok "the exposure is OK ($level)"
else
    not_ok "the exposure is OK" "exposure $level: $out"
fi
finish
