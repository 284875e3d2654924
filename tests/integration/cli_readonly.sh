# tests/integration/cli_readonly.sh: a store in a folder knod cannot write.
#
# Reading commands open it read-only (SQLite's immutable open, since the
# -wal and -shm files cannot be made); writing commands and a -wal that
# cannot be read say what is wrong. Permissions do not bind root, so the
# commands run as the unprivileged user nobody (setpriv or runuser); where
# neither works the checks are reported as skipped, not passed. The
# decision itself is unit-tested in test_store.c.
. "$SRCDIR/tests/integration/lib.sh"
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
D="$T/site"

"$KNOD" init --dir "$D" >/dev/null 2>&1
"$KNOD" synth --persons 100 --out "$T/full" >/dev/null 2>&1
"$KNOD" import --dir "$D" "$T/full/units.csv" "$T/full/persons.csv" >/dev/null 2>&1
want=$(sqlite3 "$D/knod.db" "SELECT count(*) FROM person")
[ "$want" = 100 ] && ok "100 persons stored" || not_ok "100 persons stored" "$want"
check "no -wal or -shm after the last command" test ! -e "$D/knod.db-wal" -a ! -e "$D/knod.db-shm"

# Run as nobody, if this machine lets us.
as_nobody=""
if [ "$(id -u)" = 0 ]; then
    if setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
        as_nobody="setpriv --reuid=nobody --regid=nogroup --clear-groups"
    elif runuser -u nobody -- true 2>/dev/null; then
        as_nobody="runuser -u nobody --"
    fi
fi
names="status opens read-only|status counts the persons|export opens read-only|import is refused|the refusal names the read-only folder|nothing was written in the folder|a -wal file that cannot be read is refused|that refusal says why"
if [ -z "$as_nobody" ]; then
    IFS='|'; for name in $names; do skip "$name" "cannot run as an unprivileged user here"; done
    unset IFS
    finish
fi
chmod 755 "$T"
chown -R nobody:nogroup "$D"
chmod 555 "$D"
mkdir "$T/out"; chown nobody:nogroup "$T/out"
# shellcheck disable=SC2086
nrun() { run $as_nobody "$KNOD" "$@"; }

nrun status --dir "$D"; check_rc "status opens read-only" 0
check_out "status counts the persons" "persons +100"
nrun export --dir "$D" --kind units --out "$T/out/units.csv"; check_rc "export opens read-only" 0
nrun import --dir "$D" "$T/full/contacts.csv"; check_rc "import is refused" 3
check_err "the refusal names the read-only folder" "folder '$D' of store '$D/knod.db' is read-only"
check "nothing was written in the folder" test ! -e "$D/knod.db-wal" -a ! -e "$D/knod.db-shm"

# A -wal with data the store file does not have yet cannot be read here.
chmod 755 "$D"
printf 'x' > "$D/knod.db-wal"; chown nobody:nogroup "$D/knod.db-wal"
chmod 555 "$D"
nrun status --dir "$D"; check_rc "a -wal file that cannot be read is refused" 3
check_err "that refusal says why" "-wal' file holds changes"
chmod 755 "$D"; rm -f "$D/knod.db-wal"
finish
