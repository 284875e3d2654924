-- 0011: the network's inventory of units and their resources, with history
-- (src/network/unit.h).
--
-- The units are the registry's care_unit rows: a unit the registry has is
-- linked by its code; one it lacks (a municipal service, say) is added to
-- care_unit with source_system 'network'. Each version of a unit's
-- resources is valid from valid_from (a kn_day) until the day before
-- valid_to; the current version has valid_to NULL. An update closes the
-- current version and adds a new one, so nothing is overwritten and any
-- day's inventory can be read back ("as of").

CREATE TABLE net_unit_resource (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES care_unit (id),
    valid_from INTEGER NOT NULL,      -- kn_day
    valid_to INTEGER,                 -- kn_day, exclusive; NULL: current
    age_from INTEGER NOT NULL CHECK (age_from BETWEEN 0 AND 120),
    age_to INTEGER NOT NULL CHECK (age_to BETWEEN 0 AND 120),
    staff INTEGER CHECK (staff >= 0),                 -- NULL: not known
    trained_bemotande INTEGER CHECK (trained_bemotande >= 0),
    trained_dbt INTEGER CHECK (trained_dbt >= 0),
    brief_admission INTEGER NOT NULL CHECK (brief_admission = 0 OR brief_admission = 1),
    offers TEXT NOT NULL,             -- treatment offers, comma-separated
    waiting_days INTEGER CHECK (waiting_days >= 0),   -- NULL: not known
    catchment TEXT NOT NULL,          -- NHV: region codes, comma-separated
    nhv_offers TEXT NOT NULL,         -- NHV: consultation, assessment, treatment
    placed_access INTEGER NOT NULL CHECK (placed_access = 0 OR placed_access = 1),
    sis_access INTEGER NOT NULL CHECK (sis_access = 0 OR sis_access = 1),
    note TEXT NOT NULL,
    UNIQUE (unit_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    CHECK (age_to >= age_from),
    CHECK (trained_bemotande IS NULL OR staff IS NULL OR trained_bemotande <= staff),
    CHECK (trained_dbt IS NULL OR staff IS NULL OR trained_dbt <= staff)
) STRICT;
CREATE UNIQUE INDEX net_unit_resource_current ON net_unit_resource (unit_id)
    WHERE valid_to IS NULL;
