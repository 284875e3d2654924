# tests/integration/cli_backup.sh: knod backup, its checks and its files.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"
EX="$SRCDIR/data/examples"
mode() { stat -c %a "$1"; }

run "$KNOD" backup --help; check_rc "help succeeds" 0
check_out "help says the store and copy are checked" "quick_check"
run "$KNOD" init --dir "$D"; check_rc "init" 0
run "$KNOD" import --quiet --dir "$D" "$EX"; check_rc "import the examples" 0

run "$KNOD" backup --dir "$D" "$T/b1.db"; check_rc "backup" 0
check_out "backup says where" "backed up '.*knod.db' to '$T/b1.db'"
[ "$(mode "$T/b1.db")" = 600 ] && ok "the backup is mode 0600" || not_ok "the backup is mode 0600" "$(mode "$T/b1.db")"
[ -z "$(find "$T" -maxdepth 1 -name '.b1.db*' -o -maxdepth 1 -name 'b1.db-*')" ] \
    && ok "no temporary or journal file is left" || not_ok "no temporary or journal file is left" "$(ls -la "$T")"
if command -v sqlite3 >/dev/null 2>&1; then
    [ "$(sqlite3 "$T/b1.db" 'SELECT count(*) FROM contact')" = 5 ] && ok "the backup holds the contacts" \
        || not_ok "the backup holds the contacts"
else ok "the backup holds the contacts # SKIP no sqlite3"; fi
run "$KNOD" backup --dir "$D" "$T/b1.db"; check_rc "an existing FILE is refused" 1
check_err "the refusal says so" "already exists"
ln -s "$T/elsewhere.db" "$T/link.db"
run "$KNOD" backup --dir "$D" "$T/link.db"; check_rc "a symbolic link is refused" 1
[ ! -e "$T/elsewhere.db" ] && ok "nothing is written through the link" || not_ok "nothing is written through the link"
run "$KNOD" backup --dir "$D" /dev/null; check_rc "a device is refused" 1
[ -c /dev/null ] && ok "/dev/null is still a device" || not_ok "/dev/null is still a device"

# An interrupted backup (SIGKILL: no handler runs) leaves no FILE, only a
# private hidden file, and the next backup to the same name goes through.
# The old backup wrote FILE itself (0644 until done) and then refused it.
"$KNOD" synth --persons 3000 --out "$T/syn" >/dev/null 2>&1
B="$T/big"
"$KNOD" init --dir "$B" >/dev/null 2>&1
"$KNOD" import --quiet --dir "$B" "$T/syn" >/dev/null 2>&1
caught=""
for try in 1 2 3 4 5; do
    rm -rf "$T/k"; mkdir "$T/k"
    "$KNOD" backup --dir "$B" "$T/k/b.db" >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 400); do
        if [ -n "$(find "$T/k" -name '*b.db*' | head -1)" ]; then kill -KILL "$pid" 2>/dev/null; break; fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.01
    done
    wait "$pid" 2>/dev/null
    st=$?
    if [ "$st" -eq 137 ]; then caught=yes; break; fi
done
if [ -n "$caught" ]; then
    ok "a backup was killed while it ran"
    [ ! -e "$T/k/b.db" ] && ok "the killed backup left no FILE" || not_ok "the killed backup left no FILE" "$(ls -la "$T/k")"
    loose=$(find "$T/k" -type f ! -perm 600)
    [ -z "$loose" ] && ok "what it left is mode 0600" || not_ok "what it left is mode 0600" "$(ls -la "$T/k")"
    run "$KNOD" backup --dir "$B" "$T/k/b.db"; check_rc "the next backup to that name goes through" 0
else
    ok "a backup was killed while it ran # SKIP each finished first"
fi

# A damaged store is refused, with no FILE, instead of being copied.
if command -v sqlite3 >/dev/null 2>&1; then
    cp -r "$D" "$T/bad"
    page=$(sqlite3 "$T/bad/knod.db" "SELECT rootpage FROM sqlite_schema WHERE name = 'contact'")
    size=$(sqlite3 "$T/bad/knod.db" "PRAGMA page_size")
    rm -f "$T/bad/knod.db-wal" "$T/bad/knod.db-shm"
    head -c "$size" /dev/urandom | dd of="$T/bad/knod.db" bs="$size" seek=$((page - 1)) conv=notrunc 2>/dev/null
    run "$KNOD" backup --dir "$T/bad" "$T/bad.db"; check_rc "a damaged store is a runtime failure" 3
    check_err "the error says the store is damaged" "nothing was backed up: the store is damaged"
    [ ! -e "$T/bad.db" ] && ok "no FILE from a damaged store" || not_ok "no FILE from a damaged store"
    [ -z "$(find "$T" -maxdepth 1 -name '.bad.db.*')" ] && ok "no temporary file from a damaged store" \
        || not_ok "no temporary file from a damaged store"
else
    ok "a damaged store is refused # SKIP no sqlite3"
fi
finish
