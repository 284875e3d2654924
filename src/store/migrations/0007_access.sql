-- 0007: users, their roles and scopes, and the audit log.
--
-- access_user: one row a user; a local password is an argon2id string
-- (libsodium crypto_pwhash_str), NULL for users who sign in only through
-- the region's identity provider. A role has one kind of scope: the
-- nation (administrator, national analyst), a region (regional
-- coordinator; a registrar too) or a care unit (registrar, NHV clinician).
-- Failed sign-ins lock an account for a while, never for good.
-- access_audit: append-only (triggers refuse UPDATE and DELETE), each entry
-- chained to the one before by a keyed hash (src/access/access_audit.c).

CREATE TABLE access_user (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role = 'admin' OR role = 'analyst' OR
        role = 'coordinator' OR role = 'registrar' OR role = 'clinician'),
    scope_kind TEXT NOT NULL CHECK (scope_kind = 'nation' OR scope_kind = 'region' OR
        scope_kind = 'unit'),
    scope_code TEXT,
    password TEXT,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled = 0 OR disabled = 1),
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0,   -- kn_time; 0 when not locked
    created INTEGER NOT NULL,
    CHECK ((scope_kind = 'nation') = (scope_code IS NULL))
) STRICT;

CREATE TABLE access_audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,          -- kn_time
    actor TEXT NOT NULL,          -- a user name, or 'knod' for the command line
    action TEXT NOT NULL,         -- signin, signin-failed, user-add, view-person, ...
    subject TEXT NOT NULL,        -- what it concerns: a user, a pseudonym, a file
    purpose TEXT NOT NULL,        -- the stated purpose of a view of person data, or ''
    detail TEXT NOT NULL,
    hash TEXT NOT NULL            -- hex keyed BLAKE2b-256 over the previous hash and this entry
) STRICT;

CREATE TRIGGER access_audit_no_update BEFORE UPDATE ON access_audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER access_audit_no_delete BEFORE DELETE ON access_audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
