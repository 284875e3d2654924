-- 0005: the fingerprint of the pseudonym key, and the key's rotations.
--
-- A store is bound to one key: a different valid key would make every
-- person already stored a new person. key_fingerprint holds one row, a
-- keyed hash of a fixed label under the key (domain/pseudo.h), never the
-- key; every command checks it against the key it finds (registry/reg_key.c).
-- A store made before this migration has no row until its first open with
-- a key records one. key_rotation is the audit trail of `knod key rotate`.

CREATE TABLE key_fingerprint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
    layers INTEGER NOT NULL CHECK (layers >= 1),
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL CHECK (recorded_by = 'init' OR recorded_by = 'first_open' OR recorded_by = 'rotate')
) STRICT;

CREATE TABLE key_rotation (
    id INTEGER PRIMARY KEY,
    rotated_at TEXT NOT NULL,
    old_fingerprint TEXT NOT NULL CHECK (length(old_fingerprint) = 64),
    new_fingerprint TEXT NOT NULL CHECK (length(new_fingerprint) = 64),
    layers INTEGER NOT NULL,
    persons INTEGER NOT NULL
) STRICT;
