#!/usr/bin/env python3
"""tests/integration/docs_man.py: docs/knod.1 documents every command and
option that knod has, and nothing it no longer has (TAP).

The commands are those `knod help` lists; each command's options and
subcommands are what `knod COMMAND --help` and `knod COMMAND SUB --help`
print (every `--option` in their text, every `knod COMMAND SUB` of their
usage lines). The man page's item of
a command is every `.TP` item of its COMMANDS section whose first word is
the command. One test per command: its item exists, names each of its
subcommands and options (spelt as --help spells them), and names no option
that --help does not know; and one test that every item of the man page is
a command of `knod help`. The options the man page states once for every
command (GENERAL) are not required in each item. And one test that every
`--option` README.md and docs/*.md write in backquotes is an option of some
command (NOT_KNOD: options of the test tools the documents name). Some 150 starts of knod
(a command and each subcommand), the release knod when make check gives it
(KNOD_RELEASE, as cli_usage.sh does): a few seconds in all.

Environment: KNOD (the binary), SRCDIR (the source tree).
"""
import glob
import os
import re
import subprocess
import sys

SRC = os.environ.get('SRCDIR') or os.path.abspath(
    os.path.join(os.path.dirname(__file__), '..', '..'))
KNOD = os.environ.get('KNOD_RELEASE') or os.environ['KNOD']
OPTION = re.compile(r'(?<![\w-])--[a-z0-9][a-z0-9-]*')
# --dir (DESCRIPTION), --help, and the aliases --json and --fhir (the
# paragraph after the commands): stated once, and checked to be there.
GENERAL = {'--dir', '--help', '--json', '--fhir'}
# tests/run.py's --test, and the bogus option cli_usage.sh gives every command
NOT_KNOD = {'--test', '--bogus'}

n = 0
failed = 0


def ok(cond, name, lines=()):
    global n, failed
    n += 1
    if cond:
        print(f'ok {n} - {name}')
    else:
        failed += 1
        print(f'not ok {n} - {name}')
        for line in lines:
            print(f'# {line}')


def knod(*args):
    r = subprocess.run([KNOD, *args], capture_output=True, text=True,
                       env=dict(os.environ, KNOD_DIR='/nonexistent'))
    return r.returncode, r.stdout + r.stderr


def plain(roff):
    """The text of roff lines: escapes and macros dropped, quotes gone."""
    out = []
    for line in roff.split('\n'):
        if line.startswith('.') and not re.match(r'^\.(B|I|BR|RB|BI|IB|IR|RI)\b', line):
            continue
        line = re.sub(r'^\.[A-Z]+\s?', '', line)
        line = line.replace('\\-', '-').replace('\\(em', '-').replace('\\e', '\\')
        line = re.sub(r'\\f[BIRP]', '', line).replace('\\ ', ' ').replace('\\&', '')
        out.append(line.replace('"', ' '))
    return ' '.join(out)


def man_items():
    """(first word, text) of every .TP item of the COMMANDS section."""
    text = open(os.path.join(SRC, 'docs/knod.1'), encoding='utf-8').read()
    head, rest = text.split('\n.SH COMMANDS\n', 1)
    section = rest.split('\n.SH ', 1)[0]
    section, general = section.rsplit('\n.PP\n', 1)
    items = []
    for chunk in ('\n' + section).split('\n.TP\n')[1:]:
        body = plain(chunk)
        first = body.split()[0] if body.split() else ''
        items.append((first, body))
    return items, set(OPTION.findall(plain(head + '\n' + general)))


def main():
    rc, out = knod('help')
    commands = re.findall(r'^  ([a-z][a-z0-9-]*)\s{2,}', out, re.M)
    every = set(GENERAL)
    ok(rc == 0 and len(commands) > 20, f'knod help lists the commands ({len(commands)})')
    items, general = man_items()
    ok(GENERAL <= general, 'the man page states the options every command takes',
       [f'{o} is not stated' for o in sorted(GENERAL - general)])
    by_command = {}
    for first, body in items:
        by_command.setdefault(first, []).append(body)
    unknown = sorted(set(by_command) - set(commands))
    ok(not unknown, 'every command the man page describes is one of knod help',
       [f"docs/knod.1 describes '{c}', which knod help does not list" for c in unknown])
    for c in commands:
        rc, helptext = knod(c, '--help')
        subs = set(re.findall(r'knod ' + re.escape(c) + r' ([a-z][a-z0-9-]*)', helptext))
        for sub in sorted(subs):
            src, subhelp = knod(c, sub, '--help')
            if src == 0:
                helptext += subhelp
        every |= set(OPTION.findall(helptext))
        opts = set(OPTION.findall(helptext)) - GENERAL
        body = ' '.join(by_command.get(c, []))
        man_opts = set(OPTION.findall(body)) - GENERAL
        words = set(re.findall(r'[a-z][a-z0-9-]*', body))
        bad = []
        if not body:
            bad.append(f"docs/knod.1 has no item for '{c}'")
        bad += [f"'knod {c} {s}' is not in docs/knod.1" for s in sorted(subs - words)]
        bad += [f"'knod {c}' option {o} is not in docs/knod.1" for o in sorted(opts - man_opts)]
        bad += [f"docs/knod.1 gives 'knod {c}' the option {o}, which its --help does not know"
                for o in sorted(man_opts - opts)]
        ok(rc == 0 and not bad, f'knod {c}: the man page has its subcommands and options',
           ([f'knod {c} --help: exit {rc}'] if rc else []) + bad)
    unknown = []
    docs = ['README.md'] + sorted(glob.glob('docs/*.md', root_dir=SRC))
    for doc in docs:
        with open(os.path.join(SRC, doc), encoding='utf-8') as f:
            for i, line in enumerate(f, 1):
                for span in re.findall(r'`([^`\n]*)`', line):
                    unknown += [f'{doc}:{i}: {o} (in `{span}`) is no option of knod'
                                for o in OPTION.findall(span)
                                if o not in every and o not in NOT_KNOD]
    ok(not unknown, 'every --option the documents write is an option of knod', unknown)
    print(f'1..{n}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
