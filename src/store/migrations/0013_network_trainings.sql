-- 0013: the network's trainings and their participants, as counts
-- (src/network/training.h).
--
-- A training (a course in attitude and approach, a web training, a film,
-- a DBT training, a conference) runs from starts to ends (kn_day,
-- inclusive). Its participants are counts per region, organisation and
-- profession; no names are kept. Loading a training's participants
-- replaces them all in one transaction.

CREATE TABLE net_training (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind = 'attitude-course' OR kind = 'web-training' OR
        kind = 'film' OR kind = 'dbt' OR kind = 'conference' OR kind = 'other'),
    title TEXT NOT NULL,
    starts INTEGER NOT NULL,          -- kn_day
    ends INTEGER NOT NULL,            -- kn_day, inclusive
    format TEXT NOT NULL CHECK (format = 'on-site' OR format = 'digital' OR
        format = 'hybrid' OR format = 'self-paced'),
    target_groups TEXT NOT NULL,      -- comma-separated
    organiser TEXT NOT NULL,
    CHECK (ends >= starts)
) STRICT;
CREATE INDEX net_training_starts ON net_training (starts);

CREATE TABLE net_training_participants (
    training_id INTEGER NOT NULL REFERENCES net_training (id),
    region_code TEXT NOT NULL REFERENCES region (code),
    organisation TEXT NOT NULL,
    profession TEXT NOT NULL,
    participants INTEGER NOT NULL CHECK (participants > 0),
    PRIMARY KEY (training_id, region_code, organisation, profession)
) STRICT;
