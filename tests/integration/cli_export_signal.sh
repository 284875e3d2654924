# tests/integration/cli_export_signal.sh: an export ended by SIGTERM or
# SIGHUP leaves neither FILE nor its hidden temporary file.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"

run "$KNOD" synth --persons 5000 --out "$T/syn"; check_rc "synth" 0
run "$KNOD" init --dir "$D"; check_rc "init" 0
run "$KNOD" import --quiet --dir "$D" "$T/syn"; check_rc "import" 0

# interrupt SIG: start an XLSX export (seconds for 20,000 contacts), wait
# for its temporary file, send SIG, and look at what is left.
interrupt() {
    local sig=$1 out="$T/out-$1"
    mkdir "$out"
    "$KNOD" export --dir "$D" --kind contacts --out "$out/c.xlsx" 2>"$out/err" &
    local pid=$! seen=""
    for _ in $(seq 1 600); do
        seen=$(find "$out" -name '.c.xlsx.*' | head -1)
        [ -n "$seen" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if [ -z "$seen" ]; then
        wait "$pid"
        not_ok "SIG$sig: the export made its temporary file" "$(ls -la "$out"; cat "$out/err")"
        return
    fi
    ok "SIG$sig: the export made its temporary file"
    kill -"$sig" "$pid"
    wait "$pid"; local rc=$?
    if [ "$rc" -eq $((128 + $(kill -l "$sig"))) ]; then ok "SIG$sig: knod died of the signal"
    elif [ "$rc" -eq 0 ]; then ok "SIG$sig: knod died of the signal # SKIP it finished first"
    else not_ok "SIG$sig: knod died of the signal" "exit status $rc"; fi
    left=$(find "$out" -name '.c.xlsx.*' -o -name 'tmp*')
    [ -z "$left" ] && ok "SIG$sig: no temporary file is left" \
        || not_ok "SIG$sig: no temporary file is left" "$left"
    if [ "$rc" -ne 0 ]; then
        [ ! -e "$out/c.xlsx" ] && ok "SIG$sig: no FILE" || not_ok "SIG$sig: no FILE"
    fi
}
interrupt TERM
interrupt HUP
finish
