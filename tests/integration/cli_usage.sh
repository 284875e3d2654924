# tests/integration/cli_usage.sh: every command and subcommand refuses an
# unknown option and an extra argument as a usage error (exit 2, with a
# message that says what was wrong and points to --help). The commands are
# read from `knod help` (src/cli/main.c's table) and the subcommands and
# their arguments from each command's usage lines, so a new command is
# walked without a change here.
#
# The walk is some 300 starts of knod. Under `make check` ($KNOD_RELEASE:
# the release build of the same tree, which make check has just built) the
# subcommands' cases and the reading of the usage run the release binary:
# what they check is the exit status and the message, the same code in both
# builds, and a start of the sanitized binary costs about 0.14 CPU s
# against 0.02. Each command's own --bogus and the checks after the walk
# still run the sanitized $KNOD, so every command's usage-error path runs
# under ASan, UBSan and the leak checker. Without $KNOD_RELEASE (a suite
# run alone with meson test) every case runs $KNOD.
. "$SRCDIR/tests/integration/lib.sh"
WALK=${KNOD_RELEASE:-$KNOD}
if [ ! -x "$WALK" ]; then
    not_ok "KNOD_RELEASE is a knod binary" "$WALK"; finish
fi
echo "# the walk runs $WALK; each command's --bogus runs $KNOD"
export KNOD_DIR="$T/site"
run "$KNOD" init --dir "$KNOD_DIR"; check_rc "init" 0
: > "$T/dummy.csv"
mkdir -p "$T/dummydir"
cd "$T" || exit 1

# One case per line: NAME<TAB>KIND<TAB>ARG... (KIND: bogus, the command's
# own (run by the sanitized $KNOD), bogus or extra).
python3 - "$WALK" "$T" > "$T/cases" <<'EOF'
import re, subprocess, sys
knod, t = sys.argv[1], sys.argv[2]
dummy = {'FILE': t + '/dummy.csv', 'DIR': t + '/dummydir', 'N': '10', 'YYYY': '2024',
         'SEK': '1000', 'ID': 'ref-a', 'STATE': 'draft', 'QUERY': 'q', 'KIND': 'contacts',
         'CODE': '01', 'COLS': 'region', 'YEARS': '2024', 'COMMAND': 'status',
         'NAME': 'x', 'Y': '1', 'S': '1'}
def out(*a):
    print('\t'.join(a))
helptext = subprocess.run([knod, 'help'], capture_output=True, text=True).stdout
cmds = re.findall(r'^  ([a-z][a-z_-]*) ', helptext.split('Commands:')[1], re.M)
if len(cmds) < 5:
    out('too few commands in knod help', 'fail')
for c in cmds:
    text = subprocess.run([knod, c, '--help'], capture_output=True, text=True).stdout
    # usage lines, with their continuation lines joined
    invs, cur = [], None
    for line in text.split('\n'):
        m = re.match(r'^(?:usage: |\s+)knod ' + re.escape(c) + r'\b(.*)$', line)
        if m:
            cur = [m.group(1)]
            invs.append(cur)
        elif cur is not None and line.startswith(' ') and line.strip().startswith('['):
            cur.append(line.strip())
        else:
            cur = None
    out('knod %s --bogus' % c, 'own', c, '--bogus')
    if not invs:
        out('knod %s --help prints its usage' % c, 'fail')
        continue
    for parts in invs:
        rest = ' '.join(parts)
        # optional positionals ([COMMAND], [NUMBER...]) are kept, other groups dropped
        rest = re.sub(r'\[([A-Z][A-Z_]*(?:\.\.\.)?)\]', r'\1', rest)
        while re.search(r'\[[^\[\]]*\]', rest):
            rest = re.sub(r'\[[^\[\]]*\]', '', rest)
        toks = rest.split()
        args, sub, variadic, i = [], None, False, 0
        if toks and re.match(r'^[a-z][a-z_-]*$', toks[0]):
            sub = toks[0]
            args.append(sub)
            i = 1
        while i < len(toks):
            tok = toks[i]
            if tok.startswith('--'):
                opt = tok.split('|')[0]
                args.append(opt)
                if i + 1 < len(toks) and re.match(r'^[A-Z]', toks[i + 1]):
                    args.append(dummy.get(toks[i + 1].rstrip('.'), 'x'))
                    i += 1
            elif tok.endswith('...'):
                variadic = True
            elif re.match(r'^[A-Z]', tok):
                args.append(dummy.get(tok.split('|')[0], 'x'))
            i += 1
        name = 'knod %s%s' % (c, ' ' + sub if sub else '')
        if sub:
            out(name + ' --bogus', 'bogus', c, sub, '--bogus')
        if not variadic:
            out(name + ' with an extra argument', 'extra', c, *args, 'extra')
EOF
[ -s "$T/cases" ] && ok "the cases are read from knod help" || not_ok "the cases are read from knod help"
grep -q "knod indicators list --bogus" "$T/cases" && grep -q "knod indicators lock with an extra" "$T/cases" \
    && ok "subcommands are found in the usage lines" \
    || not_ok "subcommands are found in the usage lines" "$(cat "$T/cases")"

re_usage="Try 'knod [^
]*--help'|usage:|see 'knod help'"
re_bogus='bogus|unknown option|unrecognized'
re_extra="'extra'|argument"
while IFS=$'\t' read -r name kind args; do
    if [ "$kind" = fail ]; then not_ok "$name"; continue; fi
    # shellcheck disable=SC2086
    set -f; IFS=$'\t'; set -- $args; IFS=$' \t\n'; set +f
    if [ "$kind" = own ]; then run "$KNOD" "$@" < /dev/null; kind=bogus
    else run "$WALK" "$@" < /dev/null; fi
    # the messages matched by bash itself ([[ =~ ]], extended regular
    # expressions as grep -E's), not by a grep started per case
    if [ "$rc" -ne 2 ]; then
        not_ok "$name: exit 2" "exit $rc; stdout: $(printf '%s' "$out" | head -c 300); stderr: $errout"
    elif ! [[ $errout =~ $re_usage ]]; then
        not_ok "$name: a usage message" "$errout"
    elif [ "$kind" = bogus ] && ! [[ $errout =~ $re_bogus ]]; then
        not_ok "$name: the option is named" "$errout"
    elif [ "$kind" = extra ] && ! [[ $errout =~ $re_extra ]]; then
        not_ok "$name: the argument is named" "$errout"
    else
        ok "$name"
    fi
done < "$T/cases"

# --format where a command has formats; --json stays as an alias
run "$KNOD" indicators list --format json; check_rc "indicators list --format json" 0
check_out "indicators list --format json prints JSON" '^\{"id":"'
run "$KNOD" indicators list --json; check_rc "indicators list --json is kept" 0
check_out "--json is the same" '^\{"id":"'
run "$KNOD" indicators list --format xml; check_rc "an unknown format is a usage error" 2
check_err "the formats are listed" "--format is one of text, json"
run "$KNOD" indicators show ref-a --format fhir; check_rc "indicators show --format fhir" 0
check_out "a FHIR Measure" '"resourceType": ?"Measure"'
run "$KNOD" geo regions --format json; check_rc "geo regions --format json" 0
check_out "geo prints JSON" '^\{"code":'
run "$KNOD" personnummer --format json 201701012393; check_rc "personnummer --format json" 0
check_out "personnummer prints JSON" '"valid":true'
run "$KNOD" indicators check --bogus; check_rc "indicators check --bogus is a usage error" 2
finish
