-- 0009: consultations in individual cases.
--
-- A region or municipality asks an NHV clinic or a knowledge node for advice
-- in one case. The case summary is de-identified (knod refuses a
-- personnummer-shaped string in it); the asking unit and its role, the party
-- asked, the urgency and the times of asking and answering are kept, so the
-- share answered within N working days can be followed. Case detail is for
-- the two parties only (the portal's scopes enforce it).

CREATE TABLE net_consultation (
    id INTEGER PRIMARY KEY,
    asked INTEGER NOT NULL,                       -- kn_time
    region_code TEXT NOT NULL REFERENCES region (code),
    asking_unit TEXT NOT NULL,
    asking_role TEXT NOT NULL,
    asked_party TEXT NOT NULL,                    -- the NHV clinic or knowledge node
    urgency TEXT NOT NULL CHECK (urgency = 'acute' OR urgency = 'urgent' OR
        urgency = 'routine'),
    summary TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status = 'asked' OR status = 'triaged' OR
        status = 'answered' OR status = 'closed'),
    triaged INTEGER,                              -- kn_time
    answered INTEGER,                             -- kn_time
    answer TEXT,
    referral INTEGER NOT NULL DEFAULT 0 CHECK (referral = 0 OR referral = 1),
    CHECK (answered IS NULL OR answered >= asked)
) STRICT;
CREATE INDEX net_consultation_asked ON net_consultation (asked);
