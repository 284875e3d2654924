-- 0015: the network's development activities and their funding
-- (src/network/activity.h).
--
-- An activity belongs to a region (NULL: national) and may belong to a
-- knowledge node; it has a goal, a status, who is responsible, its days
-- (the end NULL while open) and the indicators and documents it is linked
-- to (comma-separated ids). Its funding is kept per source and year, in
-- whole kronor: allocated, and spent so far.

CREATE TABLE net_activity (
    id INTEGER PRIMARY KEY,
    region_code TEXT REFERENCES region (code),  -- NULL: national
    node_id INTEGER REFERENCES net_node (id),   -- NULL: none
    title TEXT NOT NULL,
    goal TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status = 'planned' OR status = 'ongoing' OR
        status = 'done' OR status = 'stopped'),
    responsible TEXT NOT NULL,
    starts INTEGER NOT NULL,          -- kn_day
    ends INTEGER,                     -- kn_day, inclusive; NULL: open
    indicators TEXT NOT NULL,         -- indicator ids, comma-separated
    documents TEXT NOT NULL,          -- document ids, comma-separated
    CHECK (ends IS NULL OR ends >= starts)
) STRICT;

CREATE TABLE net_activity_funding (
    activity_id INTEGER NOT NULL REFERENCES net_activity (id),
    source TEXT NOT NULL CHECK (source = 'national-grant' OR source = 'region' OR
        source = 'municipality' OR source = 'other'),
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2199),
    allocated INTEGER NOT NULL CHECK (allocated >= 0),   -- kronor
    spent INTEGER NOT NULL CHECK (spent >= 0),           -- kronor
    PRIMARY KEY (activity_id, source, year)
) STRICT;
