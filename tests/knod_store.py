"""tests/knod_store.py: the synthetic stores test suites start from, built
once per knod binary and copied.

    import knod_store
    knod_store.copy(KNOD, os.path.join(tmp, 'site'), persons=300, seed=5,
                    synth=os.path.join(tmp, 'synth'))

or from a shell (tests/browser/lib.sh):

    python3 "$SRCDIR/tests/knod_store.py" "$KNOD" DIR [PERSONS SEED [SYNTH]]

A store is `knod init`, and with PERSONS `knod synth --persons PERSONS
--seed SEED` imported into it (`knod import --quiet`). Suites that ask for
the same store get copies of one built in the folder test-stores beside the
knod binary (in the build folder), keyed by PERSONS, SEED and the binary's
size and modification time, so a rebuilt knod builds its stores again (and
the stale ones are removed). Building it costs 1-3 CPU s under the
sanitizers (init ~0.9 s, the import ~1.3 s at 2,000 persons); a copy costs
next to nothing. A store is built in a private folder and renamed into
place, so suites running at once never see half of one (when two build the
same store, one copy is kept). The copy is the store as built: the same
key, data and audit entries as a store built by the suite itself. SYNTH,
when given, gets the synthetic country's files (persons.csv, ...).
"""
import os
import shutil
import subprocess
import sys
import tempfile


def _knod(knod, *args):
    p = subprocess.run([knod] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError('knod %s: %s' % (' '.join(args), p.stderr.decode()))


def _stamp(knod):
    st = os.stat(knod)
    return '%d-%d' % (st.st_size, st.st_mtime_ns)


def _copy_store(src, dest):
    """The store's files, not SQLite's shared-memory index (made again on
    open); the write-ahead log is copied, empty or not."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns('*-shm'))


def cached(knod, persons=0, seed=0):
    """The folder of the cached store (with k/, the store, and synth/):
    built when missing."""
    root = os.path.join(os.path.dirname(os.path.abspath(knod)), 'test-stores')
    stamp = _stamp(knod)
    final = os.path.join(root, '%d-%d-%s' % (persons, seed, stamp))
    if os.path.isdir(final):
        return final
    os.makedirs(root, exist_ok=True)
    for old in os.listdir(root):  # stores of an older binary
        if not old.startswith('.') and not old.endswith(stamp):
            shutil.rmtree(os.path.join(root, old), ignore_errors=True)
    tmp = tempfile.mkdtemp(prefix='.build-', dir=root)
    try:
        _knod(knod, 'init', '--dir', os.path.join(tmp, 'k'))
        os.mkdir(os.path.join(tmp, 'synth'))
        if persons:
            _knod(knod, 'synth', '--persons', str(persons), '--seed', str(seed), '--out',
                  os.path.join(tmp, 'synth'))
            _knod(knod, 'import', '--quiet', '--dir', os.path.join(tmp, 'k'),
                  os.path.join(tmp, 'synth'))
        try:
            os.rename(tmp, final)
        except OSError:
            if not os.path.isdir(final):  # not another suite's, built at once
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def copy(knod, dest, persons=0, seed=0, synth=None):
    """A copy of the store (PERSONS, SEED) at dest (which must not exist);
    its synthetic files at synth when given."""
    src = cached(knod, persons, seed)
    _copy_store(os.path.join(src, 'k'), dest)
    if synth:
        shutil.copytree(os.path.join(src, 'synth'), synth)
    return dest


if __name__ == '__main__':
    if len(sys.argv) not in (3, 5, 6):
        print('usage: knod_store.py KNOD DIR [PERSONS SEED [SYNTH]]', file=sys.stderr)
        sys.exit(2)
    a = sys.argv[1:]
    try:
        copy(a[0], a[1], int(a[2]) if len(a) > 2 else 0, int(a[3]) if len(a) > 3 else 0,
             a[4] if len(a) > 4 else None)
    except (OSError, RuntimeError) as e:
        print('knod_store: %s' % e, file=sys.stderr)
        sys.exit(1)
