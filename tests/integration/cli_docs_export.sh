# tests/integration/cli_docs_export.sh: knod docs export, a standalone HTML
# page and the 1177 package, whose structure is checked here independently
# of knod (python3's html.parser): every image has alt text, no link leads
# to a non-public path, heading levels do not skip.
. "$SRCDIR/tests/integration/lib.sh"

"$KNOD" init --dir "$T/k" >/dev/null
mkdir -p "$T/d" "$T/out"
cat > "$T/d/unga.md" <<'DOC'
---
id: unga
title: Till dig som är ung
summary: Om att må dåligt & få hjälp.
audience: patients
language: sv
owner: NAG
status: published
decided: 2026-01-15
---
# Till dig som är ung

![En hand som håller en annan](hand.png)

## Var får du hjälp?

Läs mer på [1177](https://www.1177.se/) eller skriv till [oss](mailto:nag@example.se).
Se också [nedan](#ring).

### Ring

Ring 112 eller 1177. Självmordslinjen 90101. BRIS 116 111.

<script>alert(1)</script>
DOC
"$KNOD" docs import "$T/d" --dir "$T/k" >/dev/null
run "$KNOD" docs export unga --out "$T/out" --dir "$T/k"
check_rc "export html" 0
check_out "... the file written" "out/unga.html$"
if python3 - "$T/out/unga.html" <<'PY'
import sys
from html.parser import HTMLParser
t = open(sys.argv[1], encoding="utf-8").read()
assert t.startswith("<!doctype html>") and '<html lang="sv">' in t
assert "<script" not in t.lower(), "raw HTML must not pass"
assert "Om att må dåligt &amp; få hjälp." in t  # escaped by the template
assert "Behöver du hjälp nu?" in t  # the help block of a public document
assert "version 1 · published · publicerad 2026-01-15" in t
PY
then ok "... standalone, escaped, the help block, no script"; else not_ok "html export"; fi

run "$KNOD" docs export unga --format 1177 --out "$T/out" --dir "$T/k"
check_rc "export 1177" 0
if python3 - "$T/out/unga-1177" <<'PY'
import json, os, sys
from html.parser import HTMLParser
d = sys.argv[1]
assert sorted(os.listdir(d)) == ["index.html", "manifest.json"], os.listdir(d)
m = json.load(open(os.path.join(d, "manifest.json"), encoding="utf-8"))
assert m["format"] == "knod-1177/1" and m["id"] == "unga" and m["version"] == 1
assert m["published"] == "2026-01-15" and m["files"] == ["index.html"]
assert m["images"] == [{"src": "hand.png", "alt": "En hand som håller en annan"}], m
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.levels = []; self.imgs = []; self.hrefs = []; self.tags = set()
    def handle_starttag(self, tag, attrs):
        a = dict(attrs); self.tags.add(tag)
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit(): self.levels.append(int(tag[1]))
        if tag == "img": self.imgs.append(a)
        if tag == "a": self.hrefs.append(a.get("href", ""))
p = P(); p.feed(open(os.path.join(d, "index.html"), encoding="utf-8").read())
assert p.imgs and all(i.get("alt", "").strip() for i in p.imgs), p.imgs
assert all(h.startswith(("https://", "http://", "mailto:", "tel:", "#")) for h in p.hrefs), p.hrefs
assert p.levels[0] == 1 and all(b <= a + 1 for a, b in zip(p.levels, p.levels[1:])), p.levels
assert not ({"script", "style", "link", "iframe"} & p.tags), p.tags
PY
then ok "... the package: files, manifest, alt texts, public links, heading levels"; else not_ok "1177 package"; fi
run "$KNOD" docs export unga --format 1177 --out "$T/out" --dir "$T/k"
[ "$rc" -ne 0 ] && ok "... an existing package is not overwritten" || not_ok "existing package" "$out"

bad() { # bad NAME BODY WANT: a published public document that 1177 refuses
    mkdir -p "$T/b-$1"
    printf -- '---\nid: %s\ntitle: T\nsummary: S\naudience: relatives\nlanguage: sv\nowner: o\nstatus: published\ndecided: 2026-01-01\n---\n%b\nRing 112, 1177 eller 90101.\n' "$1" "$2" > "$T/b-$1/$1.md"
    "$KNOD" docs import "$T/b-$1" --dir "$T/k" >/dev/null
    run "$KNOD" docs export "$1" --format 1177 --out "$T/out" --dir "$T/k"
    check_rc "1177: $1 refused" 1
    check_err "... $3" "$3"
    [ ! -e "$T/out/$1-1177" ] && ok "... nothing written" || not_ok "... nothing written"
}
bad noalt '# R\n\n![](bild.png)\n' "line 3: the image 'bild.png' has no alt text"
bad inner '# R\n\nSe [statistiken](/network/private).\n' "line 3: the link '/network/private' does not lead to a public page"
bad skip '# R\n\n### Djupt\n' "line 3: the heading 'Djupt' is h3 after h1"
run "$KNOD" docs export unga --format pdf --out "$T/out" --dir "$T/k"
check_rc "an unknown format: usage error" 2
run "$KNOD" docs export unga --dir "$T/k"
check_rc "no --out: usage error" 2
finish
