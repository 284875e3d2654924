. "$SRCDIR/tests/integration/lib.sh"
ok stub
finish
