# tests/integration/cli_export.sh: knod export.
. "$SRCDIR/tests/integration/lib.sh"
D="$T/site"
EX="$SRCDIR/data/examples"
mode() { stat -c %a "$1"; }

run "$KNOD" export --help; check_rc "help succeeds" 0
check_out "help shows the usage" "^usage: knod export --kind KIND --out FILE"
check_out "help states the row order" "ordered by \(source_id, source_system\)"
run "$KNOD" help export; check_rc "knod help export" 0
run "$KNOD" help; check_out "export is in the command list" "^  export +"

run "$KNOD" init --dir "$D"; check_rc "init" 0
run "$KNOD" import --quiet --dir "$D" "$EX"; check_rc "import the examples" 0

run "$KNOD" export --dir "$D" --out "$T/x.csv"; check_rc "no --kind is a usage error" 2
check_err "no --kind is named" "--kind is required"
run "$KNOD" export --dir "$D" --kind contacts; check_rc "no --out is a usage error" 2
run "$KNOD" export --dir "$D" --kind visits --out "$T/x.csv"; check_rc "unknown kind is a usage error" 2
check_err "unknown kind is named" "unknown kind 'visits'"
run "$KNOD" export --dir "$D" --kind contacts --out "$T/x.csv" --format ods
check_rc "unknown format is a usage error" 2
run "$KNOD" export --dir "$D" --kind contacts --out "$T/x.csv" --bogus
check_rc "unknown option is a usage error" 2
run "$KNOD" export --dir "$D" --kind contacts --out "$T/x.csv" extra
check_rc "a stray argument is a usage error" 2
[ ! -e "$T/x.csv" ] && ok "usage errors write nothing" || not_ok "usage errors write nothing"

run "$KNOD" export --dir "$D" --kind contacts --out "$T/c.csv"; check_rc "export contacts" 0
check_err "summary names rows, kind, region and file" "exported 5 contacts \(all regions\) to '$T/c.csv'"
[ "$(mode "$T/c.csv")" = 600 ] && ok "export is mode 0600" || not_ok "export is mode 0600" "$(mode "$T/c.csv")"
if python3 - "$T/c.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
assert rows[0] == ['source_system', 'source_id', 'pseudonym', 'unit', 'contact_type', 'start',
                   'end', 'legal_basis', 'brief_admission', 'main_diagnosis',
                   'other_diagnoses', 'cause_code'], rows[0]
assert len(rows) == 6, len(rows)
assert [r[1] for r in rows[1:]] == ['c1', 'c2', 'c3', 'c4', 'c5']
for r in rows[1:]:
    assert len(r) == 12 and len(r[2]) == 32 and all(c in '0123456789abcdef' for c in r[2]), r
assert rows[1][5] == '2023-03-04T22:10:00' and rows[1][3] == 'SE2321000230-EX01', rows[1]
PY
then ok "CSV reads with python's csv module, right header and rows"; else not_ok "CSV reads with python's csv module, right header and rows"; fi

run "$KNOD" export --dir "$D" --kind persons --out "$T/p.csv"; check_rc "export persons" 0
head -1 "$T/p.csv" | grep -qx "source_system,source_id,pseudonym,birth_date,sex,municipality,death_date,death_by_suicide" \
    && ok "persons header has birth_date and sex after the pseudonym" \
    || not_ok "persons header has birth_date and sex after the pseudonym" "$(head -1 "$T/p.csv")"
grep -q "^example,p1,[0-9a-f]\{32\},2008-02,M,0380,," "$T/p.csv" \
    && ok "a person's derived columns: birth year and month by default" \
    || not_ok "a person's derived columns: birth year and month by default" "$(cat "$T/p.csv")"
! grep -q "2008-02-12" "$T/p.csv" && ok "the day of birth is left out by default" \
    || not_ok "the day of birth is left out by default" "$(cat "$T/p.csv")"
run "$KNOD" export --dir "$D" --kind persons --birth year --out "$T/p-year.csv"; check_rc "--birth year" 0
grep -q "^example,p1,[0-9a-f]\{32\},2008,M,0380,," "$T/p-year.csv" && ok "--birth year gives the year" \
    || not_ok "--birth year gives the year" "$(cat "$T/p-year.csv")"
run "$KNOD" export --dir "$D" --kind persons --birth date --out "$T/p-date.csv"; check_rc "--birth date" 0
grep -q "^example,p1,[0-9a-f]\{32\},2008-02-12,M,0380,," "$T/p-date.csv" \
    && ok "--birth date gives the whole date" || not_ok "--birth date gives the whole date" "$(cat "$T/p-date.csv")"
run "$KNOD" export --dir "$D" --kind persons --birth day --out "$T/p-day.csv"; check_rc "--birth day is a usage error" 2
check_err "the levels are named" "--birth is month, year or date"
run "$KNOD" export --help; check_out "--help says why a full date is dangerous" "personnummer"

# No personnummer, in any form it was given or could be written, anywhere.
leak=""
for k in units persons contacts self_harm coercive_measures assessments care_plans treatments follow_ups pathway_steps; do
    run "$KNOD" export --dir "$D" --kind "$k" --out "$T/all-$k.csv"
    [ "$rc" -eq 0 ] || leak="$leak export-$k-failed"
done
for p in $(tail -n +2 "$EX/persons.csv" | cut -d, -f3); do
    d=$(printf '%s' "$p" | tr -d -- '-+')
    [ ${#d} -eq 12 ] && short=${d#??} || short=$d
    if grep -rqF -e "$p" -e "$d" -e "$short" -e "${short%????}-${short#??????}" "$T"/all-*.csv; then
        leak="$leak $p"
    fi
done
[ -z "$leak" ] && ok "no personnummer in any export" || not_ok "no personnummer in any export" "$leak"

before=$(sha256sum < "$T/c.csv")
run "$KNOD" export --dir "$D" --kind contacts --out "$T/c.csv"; check_rc "an existing FILE is refused" 1
check_err "the refusal says how to replace it" "already exists; give --force"
[ "$before" = "$(sha256sum < "$T/c.csv")" ] && ok "the refused FILE is unchanged" || not_ok "the refused FILE is unchanged"
echo "old" > "$T/c.csv"
run "$KNOD" export --dir "$D" --kind contacts --out "$T/c.csv" --force; check_rc "--force replaces it" 0
[ "$before" = "$(sha256sum < "$T/c.csv")" ] && ok "the replaced FILE is the same export again" \
    || not_ok "the replaced FILE is the same export again"

run "$KNOD" export --dir "$D" --kind contacts --region 03 --out "$T/c03.csv"; check_rc "--region 03" 0
check_err "summary names the region" "exported 5 contacts \(region 03\)"
cmp -s "$T/c.csv" "$T/c03.csv" && ok "region 03 holds every example contact" || not_ok "region 03 holds every example contact"
run "$KNOD" export --dir "$D" --kind contacts --region 01 --out "$T/c01.csv"; check_rc "--region 01" 0
[ "$(wc -l < "$T/c01.csv")" = 1 ] && ok "a region without data gives the header only" \
    || not_ok "a region without data gives the header only" "$(cat "$T/c01.csv")"
run "$KNOD" export --dir "$D" --kind contacts --region 99 --out "$T/c99.csv"; check_rc "an unknown region is invalid input" 1
check_err "the unknown region is named" "no region has the code '99'"
[ ! -e "$T/c99.csv" ] && ok "a failed export leaves no FILE" || not_ok "a failed export leaves no FILE"
run "$KNOD" export --dir "$D" --kind contacts --out "$T/no/such/c.csv"; check_rc "a missing folder is a runtime failure" 3
[ -z "$(find "$T" -name '.*.??????' )" ] && ok "no temporary files are left" \
    || not_ok "no temporary files are left" "$(find "$T" -name '.*')"

run "$KNOD" export --dir "$D" --kind contacts --out "$T/c.xlsx"; check_rc "export as XLSX (from the name)" 0
check_err "summary says xlsx" "\(xlsx, [0-9]+ bytes\)"
[ "$(head -c 4 "$T/c.xlsx" | od -An -tx1 | tr -d ' ')" = 504b0304 ] && ok "XLSX is a zip" || not_ok "XLSX is a zip"
[ "$(mode "$T/c.xlsx")" = 600 ] && ok "XLSX is mode 0600" || not_ok "XLSX is mode 0600" "$(mode "$T/c.xlsx")"
if command -v unzip >/dev/null 2>&1; then
    unzip -l "$T/c.xlsx" | grep -q "xl/worksheets/sheet1.xml" && ok "XLSX holds the sheet" \
        || not_ok "XLSX holds the sheet" "$(unzip -l "$T/c.xlsx")"
    sheet=$(unzip -p "$T/c.xlsx" xl/worksheets/sheet1.xml)
    case $sheet in *'<t>other_diagnoses</t>'*'<t>2023-03-04T22:10:00</t>'*) ok "XLSX sheet holds header and rows" ;;
        *) not_ok "XLSX sheet holds header and rows" "$sheet" ;; esac
    unzip -p "$T/c.xlsx" xl/workbook.xml | grep -q 'name="contacts"' && ok "the sheet is named after the kind" \
        || not_ok "the sheet is named after the kind"
else
    ok "XLSX holds the sheet # SKIP no unzip"
    ok "XLSX sheet holds header and rows # SKIP no unzip"
    ok "the sheet is named after the kind # SKIP no unzip"
fi
# Cell by cell, the sheet holds what the CSV export holds (stdlib only).
if python3 - "$T/c.xlsx" "$T/c.csv" <<'PY'
import csv, sys, zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
root = ET.fromstring(z.read('xl/worksheets/sheet1.xml'))
want = list(csv.reader(open(sys.argv[2], newline='', encoding='utf-8')))
def col(ref):
    n = 0
    for ch in ref.rstrip('0123456789'):
        n = n * 26 + ord(ch) - 64
    return n - 1
got = []
for r in root.find('m:sheetData', ns).findall('m:row', ns):
    row = [''] * len(want[0])
    for c in r.findall('m:c', ns):
        i = col(c.get('r'))
        assert c.find('m:f', ns) is None, c.attrib
        if c.get('t') is None or c.get('t') == 'n':
            # the 0/1 flag is a number cell, every other cell text
            assert want[0][i] == 'brief_admission' and len(got) > 0, (want[0][i], c.attrib)
            row[i] = str(int(float(c.find('m:v', ns).text)))
        else:
            assert c.get('t') == 'inlineStr', c.attrib
            row[i] = c.find('m:is/m:t', ns).text
    got.append(row)
assert got == want, (got, want)
PY
then ok "XLSX cells equal the CSV export"; else not_ok "XLSX cells equal the CSV export"; fi
run "$KNOD" export --dir "$D" --kind contacts --format csv --out "$T/c2.xlsx"; check_rc "--format wins over the name" 0
head -1 "$T/c2.xlsx" | grep -q "^source_system," && ok "--format csv wrote CSV" || not_ok "--format csv wrote CSV"

run "$KNOD" export --dir "$T/none" --kind contacts --out "$T/n.csv"; check_rc "no store is invalid input" 1

# Only regular files are written, and --force never turns a device, a link
# or a FIFO into a file.
for dev in /dev/null /dev/full; do
    [ -c "$dev" ] || continue
    run "$KNOD" export --dir "$D" --kind units --out "$dev" --force
    check_rc "--force to $dev is refused" 1
    check_err "the refusal says $dev is a device" "'$dev' is a device; knod writes only regular files"
    [ -c "$dev" ] && ok "$dev is still a device" || not_ok "$dev is still a device" "$(ls -l "$dev")"
done
echo "target" > "$T/target.csv"
ln -s "$T/target.csv" "$T/link.csv"
run "$KNOD" export --dir "$D" --kind units --out "$T/link.csv" --force
check_rc "--force to a symbolic link is refused" 1
check_err "the refusal names the link" "'$T/link.csv' is a symbolic link"
[ -L "$T/link.csv" ] && [ "$(cat "$T/target.csv")" = target ] && ok "the link and its target are untouched" \
    || not_ok "the link and its target are untouched"
mkfifo "$T/fifo.csv"
run "$KNOD" export --dir "$D" --kind units --out "$T/fifo.csv" --force
check_rc "--force to a FIFO is refused" 1
[ -p "$T/fifo.csv" ] && ok "the FIFO is still a FIFO" || not_ok "the FIFO is still a FIFO"
run "$KNOD" export --dir "$D" --kind units --out "$T/sub/" ; check_rc "a name ending in / is refused" 1
run "$KNOD" export --dir "$D" --kind units --out -; check_rc "--out - writes to standard output" 0
[ "$(printf '%s\n' "$out" | head -1)" = "source_system,source_id,code,name,region_code,unit_type,setting" ] \
    && [ "$(printf '%s\n' "$out" | wc -l)" = 5 ] && ok "standard output holds the CSV" \
    || not_ok "standard output holds the CSV" "$out"
check_err "the summary says standard output" "to 'standard output'"
[ ! -e "$T/-" ] && ok "no file named '-'" || not_ok "no file named '-'"
run "$KNOD" export --dir "$D" --kind units --out - --format xlsx; check_rc "XLSX to standard output is refused" 1

# CSV for spreadsheets: a text that a spreadsheet would run as a formula
# gets a leading single quote, which knod import takes off again.
H="$T/hostile"
mkdir "$H"
cat > "$H/units.csv" <<'CSV'
source_system,source_id,code,name,region_code,unit_type,setting
hostile,-1,=CODE1,"=HYPERLINK(""http://x"",""y"")",03,emergency,outpatient
hostile,u2,+CODE2,+cmd|' /C calc'!A0,03,bup,inpatient
hostile,u3,@C3,@SUM(1+1),03,bup,inpatient
hostile,u4,C4,-5,03,bup,inpatient
hostile,u5,C5,'plain quote,03,bup,inpatient
hostile,u6,C6,''-two quotes,03,bup,inpatient
hostile,u7,C7,a=b+c,03,bup,inpatient
CSV
run "$KNOD" init --dir "$H/s1"; run "$KNOD" init --dir "$H/s2"
run "$KNOD" import --quiet --dir "$H/s1" --kind units "$H/units.csv"; check_rc "import hostile unit texts" 0
run "$KNOD" export --dir "$H/s1" --kind units --out "$H/e1.csv"; check_rc "export them" 0
if python3 - "$H/e1.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
cells = {r[1]: r for r in rows[1:]}
for r in rows[1:]:
    for v in r:
        assert v[:1] not in ('=', '+', '-', '@', '\t', '\r'), r
assert cells["'-1"][2:4] == ["'=CODE1", '\'=HYPERLINK("http://x","y")'], cells["'-1"]
assert cells['u2'][2:4] == ["'+CODE2", "'+cmd|' /C calc'!A0"], cells['u2']
assert cells['u3'][2:4] == ["'@C3", "'@SUM(1+1)"], cells['u3']
assert cells['u4'][3] == "'-5", cells['u4']
assert cells['u5'][3] == "'plain quote", cells['u5']     # no formula: unchanged
assert cells['u6'][3] == "''-two quotes", cells['u6']    # stored "'-two quotes"
assert cells['u7'][3] == 'a=b+c', cells['u7']
PY
then ok "no CSV cell begins with a formula character"; else not_ok "no CSV cell begins with a formula character" "$(cat "$H/e1.csv")"; fi
run "$KNOD" import --quiet --dir "$H/s2" --kind units "$H/e1.csv"; check_rc "the export imports" 0
run "$KNOD" export --dir "$H/s2" --kind units --out "$H/e2.csv"; check_rc "and exports again" 0
cmp -s "$H/e1.csv" "$H/e2.csv" && ok "import of an export round-trips exactly" \
    || not_ok "import of an export round-trips exactly" "$(diff "$H/e1.csv" "$H/e2.csv")"
a=$(sqlite3 "$H/s1/knod.db" "SELECT group_concat(source_id||'|'||code||'|'||name, '~') FROM (SELECT * FROM care_unit ORDER BY source_id)" 2>/dev/null)
b=$(sqlite3 "$H/s2/knod.db" "SELECT group_concat(source_id||'|'||code||'|'||name, '~') FROM (SELECT * FROM care_unit ORDER BY source_id)" 2>/dev/null)
if ! command -v sqlite3 >/dev/null 2>&1; then ok "both stores hold the same texts # SKIP no sqlite3"
elif [ -n "$a" ] && [ "$a" = "$b" ]; then ok "both stores hold the same texts"
else not_ok "both stores hold the same texts" "$a / $b"; fi
case $a in *'|=CODE1|=HYPERLINK("http://x","y")'*) ok "the stored text has no guard" ;;
    *) command -v sqlite3 >/dev/null 2>&1 && not_ok "the stored text has no guard" "$a" || ok "the stored text has no guard # SKIP no sqlite3" ;; esac

# XLSX: typed cells, never a formula, formula-like text as text.
run "$KNOD" export --dir "$H/s1" --kind units --out "$H/u.xlsx"; check_rc "hostile units as XLSX" 0
{ head -1 "$EX/persons.csv"; sed -n 2p "$EX/persons.csv" | sed 's/,,$/,2024-01-05,1/'; sed -n 3p "$EX/persons.csv"; } > "$H/persons.csv"
run "$KNOD" import --quiet --dir "$H/s1" --kind persons "$H/persons.csv"; check_rc "import a person who died" 0
run "$KNOD" export --dir "$H/s1" --kind persons --out "$T/p.xlsx"; check_rc "persons as XLSX" 0
if python3 - "$H/u.xlsx" "$T/p.xlsx" <<'PY'
import sys, zipfile, xml.etree.ElementTree as ET
ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
def cells(path):
    z = zipfile.ZipFile(path)
    xml = z.read('xl/worksheets/sheet1.xml')
    assert b'<f>' not in xml and b'<f ' not in xml, 'a formula element'
    root = ET.fromstring(xml)
    rows = []
    for r in root.find('m:sheetData', ns).findall('m:row', ns):
        row = {}
        for c in r.findall('m:c', ns):
            ref = c.get('r').rstrip('0123456789')
            t = c.get('t', 'n')
            v = c.find('m:is/m:t', ns).text if t == 'inlineStr' else c.find('m:v', ns).text
            row[ref] = (t, v)
        rows.append(row)
    return rows
u = cells(sys.argv[1])
names = {r['B'][1]: r['D'] for r in u[1:]}
assert names['-1'] == ('inlineStr', '=HYPERLINK("http://x","y")'), names['-1']
assert names['u4'] == ('inlineStr', '-5'), names['u4']
assert u[1]['E'] == ('inlineStr', '03'), u[1]['E']        # a code keeps its zero
p = cells(sys.argv[2])
hdr = {k: v[1] for k, v in p[0].items()}
flag = [k for k, v in hdr.items() if v == 'death_by_suicide'][0]
born = [k for k, v in hdr.items() if v == 'birth_date'][0]
seen = 0
for r in p[1:]:
    if flag in r:
        assert r[flag][0] == 'n' and r[flag][1] in ('0', '1'), r[flag]
        seen += 1
    assert r[born][0] == 'inlineStr' and len(r[born][1]) in (4, 7, 10), r[born]
assert seen > 0, 'no death_by_suicide cell'
PY
then ok "XLSX: flags are numbers, text is text, no formula"; else not_ok "XLSX: flags are numbers, text is text, no formula"; fi
finish
