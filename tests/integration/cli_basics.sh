# tests/integration/cli_basics.sh: command table, help, usage errors, version.
. "$SRCDIR/tests/integration/lib.sh"

run "$KNOD"; check_rc "no command is a usage error" 2
check_err "no command prints usage" "usage: knod COMMAND"
run "$KNOD" help; check_rc "help succeeds" 0
for c in init personnummer geo backup version; do
    check_out "help lists $c" "^  $c "
done
for c in init personnummer geo backup version; do
    run "$KNOD" "$c" --help; check_rc "$c --help succeeds" 0
    check_out "$c --help shows its usage" "^usage: knod $c"
    run "$KNOD" help "$c"; check_out "help $c shows its usage" "^usage: knod $c"
done
run "$KNOD" frobnicate; check_rc "unknown command is a usage error" 2
check_err "unknown command is named" "'frobnicate' is not a knod command"
run "$KNOD" help frobnicate; check_rc "help of unknown command fails" 2
run "$KNOD" geo --bogus regions; check_rc "unknown option is a usage error" 2
check_err "usage error points at --help" "Try 'knod geo --help'"
run "$KNOD" geo; check_rc "geo without a list is a usage error" 2
run "$KNOD" geo cities; check_rc "geo with an unknown list is a usage error" 2
run "$KNOD" backup; check_rc "backup without FILE is a usage error" 2
run "$KNOD" version; check_rc "version succeeds" 0
check_out "version names knod" "^knod [0-9]+\.[0-9]+\.[0-9]+"
check_out "version names the libraries" "^sqlite [0-9.]+, libsodium [0-9.]+, jansson [0-9.]+, libxlsxwriter [0-9.]+$"
check_out "version names the store schema" "^store schema [0-9]+"
run "$KNOD" --version; check_out "--version works too" "^knod [0-9]"
run "$KNOD" version extra; check_rc "version takes no arguments" 2
finish
