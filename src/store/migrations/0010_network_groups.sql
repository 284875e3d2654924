-- 0010: the network's knowledge nodes, working groups and networks
-- (src/network/node.h, group.h).
--
-- A knowledge node (kunskapsnod) is hosted by one region and serves the
-- regions linked to it; a region is linked to at most one node. A group is
-- the national working group (kind 'working-group') or a network such as
-- the municipal suicide-prevention network (kind 'network'); it states the
-- professions it wants, so that a profession it lacks shows as a gap. A
-- member holds a role for a term (days, kn_day, both inclusive) with a
-- share of working time in percent; partners and the patient
-- organisation's seat need no healthcare region. Names are of the members'
-- public roles; no personnummer is kept (free text is screened).

CREATE TABLE net_node (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    host_region TEXT NOT NULL REFERENCES region (code),
    contact TEXT NOT NULL             -- '' if none
) STRICT;

CREATE TABLE net_node_region (
    node_id INTEGER NOT NULL REFERENCES net_node (id),
    region_code TEXT NOT NULL UNIQUE REFERENCES region (code),
    PRIMARY KEY (node_id, region_code)
) STRICT;

CREATE TABLE net_group (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind = 'working-group' OR kind = 'network'),
    node_id INTEGER REFERENCES net_node (id),  -- NULL: national
    professions TEXT NOT NULL,        -- wanted, comma-separated; '' if none
    purpose TEXT NOT NULL             -- '' if none
) STRICT;

CREATE TABLE net_member (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES net_group (id),
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role = 'chair' OR role = 'process-leader' OR
        role = 'member' OR role = 'patient-organisation' OR role = 'partner' OR
        role = 'international-partner'),
    organisation TEXT NOT NULL,
    healthcare_region TEXT REFERENCES healthcare_region (code), -- NULL: none
    profession TEXT NOT NULL,         -- '' if none (partners)
    share INTEGER NOT NULL CHECK (share BETWEEN 0 AND 100),     -- % of working time
    term_from INTEGER NOT NULL,       -- kn_day
    term_to INTEGER NOT NULL,         -- kn_day, inclusive
    CHECK (term_to >= term_from)
) STRICT;
CREATE INDEX net_member_group ON net_member (group_id);

CREATE TABLE net_meeting (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES net_group (id),
    day INTEGER NOT NULL,             -- kn_day
    theme TEXT NOT NULL,
    place TEXT NOT NULL               -- '' if none (digital)
) STRICT;
CREATE INDEX net_meeting_group ON net_meeting (group_id, day);
