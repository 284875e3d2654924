# tests/integration/cli_indicators_by.sh: `knod indicators run --by` refuses
# a breakdown that an indicator chosen with --id does not have (src/cli/
# cmd_indicators_run.c), naming the breakdowns it has, instead of printing
# cells that were never computed.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"
run "$KNOD" init --dir "$D"; check_rc "init" 0
run "$KNOD" synth --persons 300 --seed 3 --out "$T/synth"; check_rc "synth" 0
run "$KNOD" import --dir "$D" --quiet "$T/synth"; check_rc "import" 0

run "$KNOD" indicators run --dir "$D" --id ref-f --by sex
check_rc "--by sex for ref-f (by region only) is a usage error" 2
check_err "the message names the missing breakdown and those it has" \
    "ref-f \(version 1\) has no breakdown by sex; it has: region"
[ -z "$out" ] && ok "no cells are printed" || not_ok "no cells are printed" "$out"

run "$KNOD" indicators run --dir "$D" --id ref-b --by band
check_rc "--by band for ref-b (no bands) is a usage error" 2
check_err "ref-b's breakdowns are listed" "ref-b \(version 1\) has no breakdown by band; it has: region, sex"

run "$KNOD" indicators run --dir "$D" --id ref-f,ref-b --by region,sex
check_rc "one indicator without the breakdown refuses the run" 2
check_err "only the one that lacks it is named" "ref-f .*no breakdown by sex"
printf '%s\n' "$errout" | grep -q "ref-b (version" && not_ok "ref-b has sex and is not named" "$errout" \
    || ok "ref-b has sex and is not named"

run "$KNOD" indicators run --dir "$D" --id ref-b --by sex --period 2024
check_rc "a breakdown the indicator has is accepted" 0
check_out "its cells are printed" "^ref-b,"
run "$KNOD" indicators run --dir "$D" --id ref-f --by region --period 2024
check_rc "ref-f by region is accepted" 0
run "$KNOD" indicators run --dir "$D" --by sex --period 2024
check_rc "the whole catalogue with --by sex runs" 0
printf '%s\n' "$out" | grep -E '^ref-f,' | grep -Eq ',(F|M),' \
    && not_ok "no sex rows are shown for ref-f, which has none" "$(printf '%s\n' "$out" | grep '^ref-f,' | head -3)" \
    || ok "no sex rows are shown for ref-f, which has none"
printf '%s\n' "$out" | grep -E '^ref-b,' | grep -Eq ',(F|M),' \
    && ok "sex rows are shown for ref-b" || not_ok "sex rows are shown for ref-b"
finish
