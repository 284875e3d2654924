-- 0030: a unit's yes/no resources may be unknown (docs/network.md, Units):
-- brief_admission, placed_access and sis_access were NOT NULL, so a unit
-- added without --brief-admission read as "no" while its other resources
-- never given read as unknown (NULL). Now NULL is "not stated" and 0 is a
-- stated "no". SQLite cannot relax a column's NOT NULL in place, so the
-- table is copied into a new one. Rows stored before keep their 0: whether
-- someone said no cannot be told from the store.

CREATE TABLE net_unit_resource_new (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES care_unit (id),
    valid_from INTEGER NOT NULL,      -- kn_day
    valid_to INTEGER,                 -- kn_day, exclusive; NULL: current
    age_from INTEGER NOT NULL CHECK (age_from BETWEEN 0 AND 120),
    age_to INTEGER NOT NULL CHECK (age_to BETWEEN 0 AND 120),
    staff INTEGER CHECK (staff >= 0),                 -- NULL: not known
    trained_bemotande INTEGER CHECK (trained_bemotande >= 0),
    trained_dbt INTEGER CHECK (trained_dbt >= 0),
    brief_admission INTEGER CHECK (brief_admission = 0 OR brief_admission = 1),
    offers TEXT NOT NULL,             -- treatment offers, comma-separated
    waiting_days INTEGER CHECK (waiting_days >= 0),   -- NULL: not known
    catchment TEXT NOT NULL,          -- NHV: region codes, comma-separated
    nhv_offers TEXT NOT NULL,         -- NHV: consultation, assessment, treatment
    placed_access INTEGER CHECK (placed_access = 0 OR placed_access = 1),
    sis_access INTEGER CHECK (sis_access = 0 OR sis_access = 1),
    note TEXT NOT NULL,
    UNIQUE (unit_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    CHECK (age_to >= age_from),
    CHECK (trained_bemotande IS NULL OR staff IS NULL OR trained_bemotande <= staff),
    CHECK (trained_dbt IS NULL OR staff IS NULL OR trained_dbt <= staff)
) STRICT;
INSERT INTO net_unit_resource_new SELECT * FROM net_unit_resource;
DROP TABLE net_unit_resource;
ALTER TABLE net_unit_resource_new RENAME TO net_unit_resource;
CREATE UNIQUE INDEX net_unit_resource_current ON net_unit_resource (unit_id)
    WHERE valid_to IS NULL;
