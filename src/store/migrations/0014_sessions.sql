-- 0014: the portal's sessions (src/access/access_session.c).
--
-- One row a signed-in browser. The session id itself (256 random bits) is
-- only ever in the browser's cookie; the store keeps its BLAKE2b-256 hash,
-- so a copy of the store signs nobody in. A session ends when idle or too
-- old (knod.ini [web] session_idle_min, session_max_hours), at sign-out,
-- or with every other session of its user ("sign out everywhere"). Row ids
-- are never reused (AUTOINCREMENT), since an emergency access belongs to
-- the one session it was asked in.

CREATE TABLE access_session (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,   -- hex BLAKE2b-256 of the session id
    user_id INTEGER NOT NULL REFERENCES access_user (id) ON DELETE CASCADE,
    via TEXT NOT NULL CHECK (via = 'password' OR via = 'oidc'),
    created INTEGER NOT NULL,          -- kn_time
    last_seen INTEGER NOT NULL,        -- kn_time
    csrf TEXT NOT NULL,                -- hex, 32 random bytes: the forms' CSRF token
    purpose TEXT                       -- purpose of use for person-level data, NULL until asked
) STRICT;

CREATE INDEX access_session_user ON access_session (user_id);
