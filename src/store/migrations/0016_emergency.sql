-- 0016: emergency access (src/access/access_emergency.c).
--
-- Emergency access (nödåtkomst): a user reaching a person outside their
-- scope, with a written reason, for the rest of that session only. Kept
-- after the session ends, for the review by the coordinator of the
-- person's region (region_code: the person's home region, else the region
-- of a unit of their care); reviewed_by/reviewed_at once reviewed.
CREATE TABLE access_emergency (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL,       -- access_session.id, which may be gone
    user_name TEXT NOT NULL,
    pseudonym TEXT NOT NULL,
    region_code TEXT,
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    at INTEGER NOT NULL,               -- kn_time
    reviewed_by TEXT,
    reviewed_at INTEGER,
    CHECK ((reviewed_by IS NULL) = (reviewed_at IS NULL))
) STRICT;

CREATE INDEX access_emergency_session ON access_emergency (session_id, pseudonym);
CREATE INDEX access_emergency_region ON access_emergency (region_code, at);
