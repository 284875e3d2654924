#!/usr/bin/env python3
"""tests/integration/docs_paths.py: the documents name only what exists (TAP).

Reads README.md, docs/*.md and bench/*/README.md and checks, one test per
document:
- every path written in backquotes exists in the source tree: a span counts
  as a path when it has no spaces and either holds a '/' or ends in a file
  extension the project uses (`src/web/web_router.c`, `tools/demo.sh`,
  `knod.1`); it may be written from the repository's root, from src/ (as
  the docs name modules: `registry/reg_import.c`), from src/web/ or
  tests/, or as a bare file name found somewhere in the tree; `*` and
  `{a,b}` are expanded; paths that a document names as output or as a
  file of a knod directory (a store's `knod.key`, `bench/out/...`) are in
  ALLOW below;
- every relative Markdown link [text](target) names a file that exists;
- docs/architecture.md's maps name every folder of the project's top-level
  folders (src/, tests/, web/, data/, tools/, bench/, docs/, dist/) and of
  src/web/, so a new folder gets its line there, and tests/unit/ mirrors
  src/ as it says (every tests/unit/LAYER is a src/LAYER);
- the layer table of docs/architecture.md names, under `depends on`, every
  folder of src/ whose headers the layer's files include, and no other
  (src/base goes without saying; a row that says `all below` is not checked);
- every knod.ini setting knod reads (src/base/config.c, config_oidc.c) is
  in docs/operations.md and in docs/knod.1, and every `[section] name` the
  documents write is a setting knod reads.
Nothing is built or run: the suite takes well under a second.

Environment: SRCDIR (the source tree; default: two levels above this file).
"""
import fnmatch
import glob
import os
import re
import subprocess
import sys

SRC = os.environ.get('SRCDIR') or os.path.abspath(
    os.path.join(os.path.dirname(__file__), '..', '..'))

# Paths a document names that are not in the source tree by design: what
# knod, the build or a benchmark writes, and files of a knod directory or of
# the machine it runs on. fnmatch patterns, matched against the span.
ALLOW = [
    'build/*', 'build-asan/*', 'build-fuzz/*', '$(*', 'demo/*', 'site/*',
    'bench/out/*', 'bench/*/out/*', '*/out/*',
    'knod.key', 'knod.ini', 'knod.db', 'knod.db-wal', 'knod.db-shm',
    'DIR/*', 'KNOD_DIR/*', '$KNOD_DIR/*', '$CREDENTIALS_DIRECTORY/*',
    '/etc/*', '/var/*', '/run/*', '/usr/*', '/srv/*', '/tmp/*', '~/*',
    'node_modules/*', '*.csv.rejects', 'test-stores/*', 'build-bench/',
    # files a user names or knod writes, given as examples
    'persons_*.csv', 'contacts_2023.csv', 'self-harm.csv', 'self_harm-2025.csv',
    'export/*.ndjson', 'followup-*.html', 'newsletter.txt',
    # the sections of `knod report followup --text DIR`
    'intro.md', 'goals.md', 'pathway.md', 'trainings.md', 'consultations.md',
    'activities.md', 'surveys.md', 'conclusions.md',
    # not paths: a pathway's step, a FHIR reference, two columns, a ratio
    'adult/*', 'child/*', 'Type/id', 'source_system/source_id', 'SQLite/knod',
]

# A span with a placeholder in capitals (`migrations/NNNN_name.sql`,
# `FILE.rejects.csv`, `ISSUER/.well-known/...`) or a code (`F32.1`) stands
# for a name, and a MIME type or a DOI is not a path.
PLACEHOLDER = re.compile(r'(^|[/_.-])[A-Z][A-Z0-9]*([/_.-]|$)')
NOT_PATH = re.compile(r'^((text|application|multipart|image)/|\d)')

EXT = ('.c', '.h', '.md', '.sh', '.py', '.mjs', '.cjs', '.js', '.sql',
       '.csv', '.json', '.html', '.css', '.ind', '.ini', '.service', '.1',
       '.build', '.txt', '.ris', '.lock', '.yaml', '.yml', '.xml')

SPAN = re.compile(r'`([^`\n]+)`')
PATHLIKE = re.compile(r'^[A-Za-z0-9_.*{},/+-]+/?$')
LINK = re.compile(r'\]\(([^)\s]+)\)')


def tree_files():
    names = {}
    for root, dirs, files in os.walk(SRC):
        dirs[:] = [d for d in dirs if not d.startswith(('.', 'build'))
                   and d != 'node_modules' and d != 'demo']
        for f in files:
            names.setdefault(f, []).append(os.path.join(root, f))
    return names


BASENAMES = tree_files()


def braces(p):
    m = re.search(r'\{([^{}]*,[^{}]*)\}', p)
    if not m:
        return [p]
    out = []
    for alt in m.group(1).split(','):
        out += braces(p[:m.start()] + alt + p[m.end():])
    return out


def exists(span, docdir):
    for p in braces(span):
        p = p.rstrip('/')
        found = False
        for base in (docdir, '', 'src', 'src/web', 'tests'):
            for ext in ('', '.c', '.h'):
                full = os.path.join(SRC, base, p + ext)
                if glob.glob(full) if '*' in p else os.path.exists(full):
                    found = True
                    break
            if found:
                break
        if not found and '/' not in p:
            found = any(fnmatch.fnmatch(n, p) for n in BASENAMES) \
                if '*' in p else p in BASENAMES
        if not found:
            return False
    return True


def is_path(span):
    if not PATHLIKE.match(span) or '://' in span:
        return False
    if span.startswith(('/', '-', '.', '*')) or span.endswith(','):
        return False
    if '/' in span:
        # a/b where neither side looks like a file or folder name (a ratio,
        # "yes/no") is not a path: every segment must be word-like
        return all(re.match(r'^[A-Za-z0-9_.*{},+-]+$', s)
                   for s in span.rstrip('/').split('/'))
    return span.endswith(EXT)


def allowed(span):
    return any(fnmatch.fnmatch(span, a) for a in ALLOW)


def documents():
    docs = ['README.md'] + sorted(glob.glob('docs/*.md', root_dir=SRC)) \
        + sorted(glob.glob('bench/*/README.md', root_dir=SRC))
    return [d for d in docs if os.path.exists(os.path.join(SRC, d))]


def check(doc):
    bad = []
    text = open(os.path.join(SRC, doc), encoding='utf-8').read()
    for n, line in enumerate(text.split('\n'), 1):
        for span in SPAN.findall(line):
            span = span.strip()
            if is_path(span) and not allowed(span) \
                    and not exists(span, os.path.dirname(doc)) \
                    and not PLACEHOLDER.search(span) and not NOT_PATH.match(span):
                bad.append(f'{doc}:{n}: `{span}` does not exist')
        for target in LINK.findall(line):
            if re.match(r'^[a-z]+:', target) or target.startswith('#'):
                continue
            path = target.split('#')[0]
            full = os.path.normpath(os.path.join(SRC, os.path.dirname(doc), path))
            if not os.path.exists(full):
                bad.append(f'{doc}:{n}: link ({target}) leads nowhere')
    return bad


MAPPED = ('src', 'tests', 'web', 'data', 'tools', 'bench', 'docs', 'dist',
          'src/web')


def tracked_folders():
    """The folders (TOP/NAME) that hold a file git tracks, or None outside
    a git checkout: a folder of output a run leaves (bench/out) is no room."""
    try:
        out = subprocess.run(['git', '-C', SRC, 'ls-files'], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {'/'.join(f.split('/')[:2]) for f in out.splitlines() if f.count('/') >= 2}


def unmapped_folders():
    text = open(os.path.join(SRC, 'docs/architecture.md'), encoding='utf-8').read()
    folders = []
    tracked = tracked_folders()
    for top in MAPPED:
        for d in sorted(os.listdir(os.path.join(SRC, top))):
            if os.path.isdir(os.path.join(SRC, top, d)) and not d.startswith('.') \
                    and d != 'node_modules' and (tracked is None or f'{top}/{d}' in tracked):
                folders.append(f'{top}/{d}')
    for d in sorted(os.listdir(os.path.join(SRC, 'tests/unit'))):
        if os.path.isdir(os.path.join(SRC, 'tests/unit', d)) \
                and not os.path.isdir(os.path.join(SRC, 'src', d)):
            folders.append(f'tests/unit/{d} (no src/{d} to mirror)')
    # src/web's folders are written from src/web (`portal/`), the rest in full
    return [f for f in folders
            if not re.search(r'(?<![\w/-])' + re.escape(f) + r'(?![\w-])', text)
            and not (f.startswith('src/web/') and
                     re.search(r'`' + re.escape(f[8:]) + r'/`', text))]


def layer_faults():
    text = open(os.path.join(SRC, 'docs/architecture.md'), encoding='utf-8').read()
    layers = sorted(d for d in os.listdir(os.path.join(SRC, 'src'))
                    if os.path.isdir(os.path.join(SRC, 'src', d)))
    bad = []
    rows = {}
    for line in text.split('\n'):
        m = re.match(r'^\| src/([a-z]+) \|(.*)\|([^|]*)\|([^|]*)\|\s*$', line)
        if m and m.group(1) in layers:
            rows[m.group(1)] = m.group(3)
    for layer in layers:
        if layer not in rows:
            bad.append(f'src/{layer} has no row in the layer table')
            continue
        deps = rows[layer]
        if 'all below' in deps:
            continue
        named = set(re.findall(r'(?<![\w/`])([a-z]+)(?![\w/`])', deps)) & set(layers)
        used = set()
        for root, _, files in os.walk(os.path.join(SRC, 'src', layer)):
            for f in files:
                if f.endswith(('.c', '.h')):
                    src = open(os.path.join(root, f), encoding='utf-8').read()
                    used |= set(re.findall(r'^#include "([a-z]+)/', src, re.M))
        used.discard(layer)
        named.add('base')  # every layer may use base without saying so
        used.add('base')
        bad += [f'src/{layer} includes {d}/ but its row does not name it'
                for d in sorted(used - named)]
        bad += [f'src/{layer} names {d} but includes nothing of it'
                for d in sorted(named - used)]
    return bad


def undocumented_settings():
    base = os.path.join(SRC, 'src/base')
    names = re.findall(r'\{ "[a-z]+", "([a-z_]+)" \}',
                       open(os.path.join(base, 'config.c'), encoding='utf-8').read())
    oidc = open(os.path.join(base, 'config_oidc.c'), encoding='utf-8').read()
    names += re.findall(r'\[K_[A-Z_]+\] = "([a-z_]+)"', oidc)
    ops = open(os.path.join(SRC, 'docs/operations.md'), encoding='utf-8').read()
    man = open(os.path.join(SRC, 'docs/knod.1'), encoding='utf-8').read().replace('\\-', '-')
    bad = [f'{n} is not in docs/operations.md' for n in names
           if not re.search(r'(?<![\w])' + n + r'(?![\w])', ops)]
    bad += [f'{n} is not in docs/knod.1' for n in names
            if not re.search(r'(?<![\w])' + n + r'(?![\w])', man)]
    pairs = set(re.findall(r'\{ "([a-z]+)", "([a-z_]+)" \}',
                           open(os.path.join(base, 'config.c'), encoding='utf-8').read()))
    pairs |= {('oidc', k) for k in re.findall(r'\[K_[A-Z_]+\] = "([a-z_]+)"', oidc)}
    sections = {sec for sec, _ in pairs}
    for doc in documents() + ['docs/knod.1']:
        text = open(os.path.join(SRC, doc), encoding='utf-8').read().replace('\\-', '-')
        for m in re.finditer(r'`\[([a-z]+)\]\s+([a-z_]+)`|\[([a-z]+)\] ([a-z_]+_[a-z_]+)', text):
            sec, name = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            if sec in sections and (sec, name) not in pairs:
                line = text[:m.start()].count('\n') + 1
                bad.append(f'{doc}:{line}: [{sec}] {name} is no setting of knod.ini')
    return names, bad


def main():
    docs = documents()
    print(f'1..{len(docs) + 3}')
    failed = 0
    missing = unmapped_folders()
    if missing:
        failed += 1
        print('not ok 1 - docs/architecture.md maps every folder')
        for f in missing:
            print(f'# {f}/ has no line in docs/architecture.md')
    else:
        print('ok 1 - docs/architecture.md maps every folder')
    for i, doc in enumerate(docs, 2):
        bad = check(doc)
        if bad:
            failed += 1
            print(f'not ok {i} - {doc} names only what exists')
            for b in bad:
                print(f'# {b}')
        else:
            print(f'ok {i} - {doc} names only what exists')
    names, bad = undocumented_settings()
    if bad or len(names) < 20:
        failed += 1
        print(f'not ok {len(docs) + 2} - every knod.ini setting is documented')
        for b in bad:
            print(f'# {b}')
    else:
        print(f'ok {len(docs) + 2} - every knod.ini setting ({len(names)}) is documented')
    bad = layer_faults()
    if bad:
        failed += 1
        print(f'not ok {len(docs) + 3} - the layer table says what each layer includes')
        for b in bad:
            print(f'# {b}')
    else:
        print(f'ok {len(docs) + 3} - the layer table says what each layer includes')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
