# tests/integration/cli_import_external.sh: persons known by an external
# pseudonym (the ext_id layout of docs/import-format.md): a converted
# synthetic country imports, again unchanged, counts in the indicators as
# the same country with personnummer does, and survives a key rotation;
# a file that mixes the layouts, or an external id shaped like a
# personnummer, is refused without echoing it.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"
db() { sqlite3 "$D/knod.db" "$@"; }

"$KNOD" init --dir "$D" >/dev/null 2>&1
"$KNOD" init --dir "$T/ref" >/dev/null 2>&1
"$KNOD" synth --persons 400 --out "$T/syn" >/dev/null 2>&1

# The same country as a pseudonymised extract: each personnummer becomes a
# serial number, persons get birth (year and month) and sex in its place.
python3 - "$T/syn" "$T/ext" <<'PY'
import csv, os, sys
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst)
import datetime
serial = {}
def norm(pnr):  # the 12-digit form, as knod reads it (docs/import-format.md)
    d = pnr.replace('-', '').replace('+', '')
    if len(d) == 12:
        return d
    today = datetime.date.today()
    mmdd = (int(d[2:4]), int(d[4:6]) % 60 or 1)
    c = today.year // 100
    if (c * 100 + int(d[0:2]), max(mmdd[0], 1), mmdd[1]) > (today.year, today.month, today.day):
        c -= 1
    if '+' in pnr:
        c -= 1
    return '%02d%s' % (c, d)
def sid(pnr):
    return serial.setdefault(norm(pnr), 'R-%05d' % (len(serial) + 1))
for name in sorted(os.listdir(src)):
    with open(os.path.join(src, name), newline='') as f:
        rows = list(csv.reader(f))
    head, body = rows[0], rows[1:]
    out = [head[:]]
    pc = head.index('pnr') if 'pnr' in head else -1
    if pc >= 0:
        out[0][pc] = 'ext_id'
        if name == 'persons.csv':
            out[0] += ['birth', 'sex']
    out[0][0] = 'source_system'
    for r in body:
        r = r[:]
        r[0] = 'REGION-X-EXTRACT'
        if pc >= 0:
            d = norm(r[pc])
            r[pc] = sid(d)
            if name == 'persons.csv':
                r += ['%s-%s' % (d[0:4], d[4:6]), 'M' if int(d[10]) % 2 else 'F']
        out.append(r)
    with open(os.path.join(dst, name), 'w', newline='') as f:
        csv.writer(f, lineterminator='\n').writerows(out)
PY
head -2 "$T/ext/persons.csv" | tail -1 | grep -Eq '^REGION-X-EXTRACT,p[0-9]+,R-[0-9]{5},[0-9]{4},.*,[0-9]{4}-[0-9]{2},[FM]$' \
    && ok "the extract has serial numbers, birth months and sexes" \
    || not_ok "the extract has serial numbers, birth months and sexes" "$(head -2 "$T/ext/persons.csv")"

run "$KNOD" import --dir "$D" "$T/ext"; check_rc "the extract imports" 0
[ "$(db "SELECT count(*) FROM person WHERE id_kind = 'external' AND birth_day IS NULL")" = 400 ] \
    && ok "400 persons of id kind external, no day of birth" \
    || not_ok "400 persons of id kind external, no day of birth" "$(db 'SELECT id_kind, count(*) FROM person GROUP BY 1')"
db "SELECT pseudonym FROM person" | grep -q 'R-' && not_ok "the serial numbers are not stored" \
    || ok "the serial numbers are not stored"
contacts=$(db "SELECT count(*) FROM contact")
[ "$contacts" -gt 0 ] && [ "$contacts" = "$(($(wc -l < "$T/ext/contacts.csv") - 1))" ] \
    && ok "every contact found its person by the external pseudonym" \
    || not_ok "every contact found its person by the external pseudonym" "$contacts"

run "$KNOD" import --dir "$D" "$T/ext"; check_rc "the extract again" 0
check_out "the second import changes nothing" "persons.csv.*0 stored, 400 unchanged"
[ "$(db "SELECT count(*) FROM person")" = 400 ] && ok "still 400 persons" \
    || not_ok "still 400 persons" "$(db 'SELECT count(*) FROM person')"

# Indicators: the extract counts as the same country with personnummer
# does (ages are year attained, which the birth year gives).
run "$KNOD" import --dir "$T/ref" "$T/syn"; check_rc "the country with personnummer" 0
for id in ref-a adm-sh-young coe-young; do
    "$KNOD" indicators run --dir "$D" --id $id --format csv --out "$T/e-$id.csv" >/dev/null 2>&1
    "$KNOD" indicators run --dir "$T/ref" --id $id --format csv --out "$T/p-$id.csv" >/dev/null 2>&1
    if [ -s "$T/e-$id.csv" ] && cmp -s "$T/e-$id.csv" "$T/p-$id.csv"; then
        ok "$id: the extract gives every cell the country gives"
    else
        not_ok "$id: the extract gives every cell the country gives" \
            "$(diff "$T/e-$id.csv" "$T/p-$id.csv" | head -5)"
    fi
done

# The same serial number from another source is another person.
printf 'source_system,source_id,ext_id,municipality,birth,sex\nSTUDY-Y,q1,R-00001,0180,2008-02,F\n' \
    > "$T/y.csv"
run "$KNOD" import --dir "$D" --kind persons "$T/y.csv"; check_rc "another source's R-00001" 0
[ "$(db "SELECT count(*) FROM person")" = 401 ] && ok "is another person" \
    || not_ok "is another person" "$(db 'SELECT count(*) FROM person')"
printf 'source_system,source_id,ext_id,time,cause_code,contact_id\nSTUDY-Z,a1,R-00001,2023-01-01,X60,\n' \
    > "$T/z.csv"
run "$KNOD" import --dir "$D" --kind self_harm "$T/z.csv"; check_rc "an act of an unknown source's person" 1
check_err "is refused naming file, line and field" \
    "z.csv:2: field 'ext_id': no stored person has this external pseudonym in source system 'STUDY-Z'"

# Refusals, with file, line and field, never echoing a number.
printf 'source_system,source_id,pnr,ext_id,municipality\nX,1,,R-1,0180\n' > "$T/mixed.csv"
run "$KNOD" import --dir "$D" --kind persons "$T/mixed.csv"; check_rc "a file with pnr and ext_id" 1
check_err "is refused: one layout per file" "mixed.csv:1: columns 'pnr' and 'ext_id' both appear"
printf 'source_system,source_id,ext_id,municipality,birth,sex\nX,1,R-7,0180,2008-02,F\nX,2,20080202-2389,0180,2008-02,F\n' \
    > "$T/shaped.csv"
run "$KNOD" import --dir "$D" --kind persons "$T/shaped.csv"; check_rc "a personnummer as ext_id" 1
check_err "is refused with file, line and field" "shaped.csv:3: field 'ext_id': holds what looks like a personnummer"
printf '%s\n%s\n' "$out" "$errout" | grep -q '2389' && not_ok "without echoing it" "$errout" \
    || ok "without echoing it"
[ "$(db "SELECT count(*) FROM person WHERE source_system = 'X'")" = 0 ] \
    && ok "nothing of the refused file is stored" || not_ok "nothing of the refused file is stored"
printf 'source_system,source_id,ext_id,municipality,birth\nX,1,R-7,0180,2008-02\n' > "$T/nosex.csv"
run "$KNOD" import --dir "$D" --kind persons "$T/nosex.csv"; check_rc "ext_id without sex" 1
check_err "names the missing column" "nosex.csv:1: required column 'sex' is missing"
printf 'source_system,source_id,pnr,municipality,sex\nX,1,20080202-2389,0180,F\n' > "$T/pnrsex.csv"
run "$KNOD" import --dir "$D" --kind persons "$T/pnrsex.csv"; check_rc "pnr with a sex column" 1
check_err "says the number gives the sex" "pnrsex.csv:1: column 'sex' belongs to files that name persons by 'ext_id'"
printf 'source_system,source_id,ext_id,municipality,birth,sex\nX,1,R-7,0180,2008-13,F\nX,2,R-8,0180,2999-01,M\nX,3,R-9,0180,2008-01,K\n' \
    > "$T/badbirth.csv"
run "$KNOD" import --dir "$D" --kind persons "$T/badbirth.csv"; check_rc "bad birth and sex" 1
check_err "a month 13" "badbirth.csv:2: field 'birth': '2008-13' is not a year and month"
check_err "a birth in the future" "badbirth.csv:3: field 'birth': lies in the future"
check_err "a sex other than F or M" "badbirth.csv:4: field 'sex': 'K' is not one of: F, M"

# Key rotation re-pseudonymises the external persons too, and the extract
# still finds them afterwards.
run "$KNOD" key rotate --dir "$D" --new-key "$T/rotated.key"; check_rc "rotate" 0
check_out "every person is re-pseudonymised" "401 persons re-pseudonymised"
printf '[pseudonym]\nkey_file = %s\n' "$T/rotated.key" > "$D/knod.ini"
run "$KNOD" import --dir "$D" "$T/ext"; check_rc "the extract under the rotated key" 0
check_out "finds the same persons" "persons.csv.*0 stored, 400 unchanged"
[ "$(db "SELECT count(*) FROM person")" = 401 ] && ok "no new persons after the rotation" \
    || not_ok "no new persons after the rotation" "$(db 'SELECT count(*) FROM person')"

# Exports: the stored pseudonym, birth year and month, sex, as for anyone.
run "$KNOD" export --dir "$D" --kind persons --out "$T/p.csv"; check_rc "export" 0
grep -q 'R-0' "$T/p.csv" && not_ok "the export holds no external id" || ok "the export holds no external id"
awk -F, 'NR > 1 && $1 == "REGION-X-EXTRACT" { print $4 }' "$T/p.csv" | grep -Evq '^[0-9]{4}-[0-9]{2}$' \
    && not_ok "birth dates as year and month" "$(sed -n 2p "$T/p.csv")" || ok "birth dates as year and month"
finish
