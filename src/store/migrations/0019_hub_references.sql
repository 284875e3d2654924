-- 0019: the evidence and practice register of the knowledge hub
-- (src/hub/hub_ref.h, src/hub/hub_practice.h).
--
-- A reference (hub_reference) is a piece of national or international
-- literature: its bibliographic facts (as RIS and CSL-JSON carry them), the
-- type of study, its evidence grade, a summary in Swedish and whether it is
-- public. A DOI (normalised: lower case, no resolver prefix) and a PubMed
-- id are each unique, which is how duplicates are found at import. Authors
-- keep their order (one a line, "Family, Given"); topics are rows of
-- hub_reference_topic, so that a filter by topic is a plain join.
-- Search: hub_ref_search_stem holds each reference's title, summary and
-- topics as Snowball stems, hub_ref_search_tri the raw text under the
-- trigram tokenizer, as hub_search_stem and hub_search_tri do for documents.
--
-- A local practice (hub_practice) is what a region's unit does: preventive,
-- early, or for the most severely ill; its target group, the role to
-- contact (never a person's name), its start, how far it is evaluated and
-- the references and indicators it rests on.

CREATE TABLE hub_reference (
    id INTEGER PRIMARY KEY,
    pub_type TEXT NOT NULL CHECK (pub_type = 'article' OR pub_type = 'report' OR
        pub_type = 'book' OR pub_type = 'chapter' OR pub_type = 'guideline' OR
        pub_type = 'web' OR pub_type = 'other'),
    title TEXT NOT NULL,
    authors TEXT NOT NULL,            -- one a line, "Family, Given", in order
    year INTEGER,                     -- NULL: not known
    journal TEXT,
    volume TEXT,
    issue TEXT,
    pages TEXT,
    doi TEXT UNIQUE,                  -- normalised, e.g. 10.1002/14651858.cd013668.pub2
    pmid TEXT UNIQUE,                 -- digits
    url TEXT,
    study_type TEXT,                  -- HUB_REF_STUDY_TYPES, NULL: not stated
    grade TEXT,                       -- HUB_REF_GRADES, NULL: not graded
    summary TEXT NOT NULL,            -- in Swedish, '' if none yet
    public INTEGER NOT NULL CHECK (public = 0 OR public = 1),
    created INTEGER NOT NULL,         -- kn_time
    updated INTEGER NOT NULL          -- kn_time
) STRICT;

CREATE TABLE hub_reference_topic (
    reference_id INTEGER NOT NULL REFERENCES hub_reference (id),
    pos INTEGER NOT NULL,
    topic TEXT NOT NULL,
    PRIMARY KEY (reference_id, pos)
) STRICT;
CREATE INDEX hub_reference_topic_by_topic ON hub_reference_topic (topic);

CREATE VIRTUAL TABLE hub_ref_search_stem USING fts5(reference_id UNINDEXED, title, stems,
    tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE hub_ref_search_tri USING fts5(reference_id UNINDEXED, title, body,
    tokenize = 'trigram');

CREATE TABLE hub_practice (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES region (code),
    unit TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level = 'preventive' OR level = 'early' OR
        level = 'severe'),
    target_group TEXT NOT NULL,
    contact_role TEXT NOT NULL,
    starts INTEGER NOT NULL,          -- kn_day
    evaluation TEXT NOT NULL CHECK (evaluation = 'not-evaluated' OR
        evaluation = 'ongoing' OR evaluation = 'evaluated' OR
        evaluation = 'published'),
    description TEXT NOT NULL,
    public INTEGER NOT NULL CHECK (public = 0 OR public = 1),
    created INTEGER NOT NULL          -- kn_time
) STRICT;

CREATE TABLE hub_practice_reference (
    practice_id INTEGER NOT NULL REFERENCES hub_practice (id),
    reference_id INTEGER NOT NULL REFERENCES hub_reference (id),
    PRIMARY KEY (practice_id, reference_id)
) STRICT;

CREATE TABLE hub_practice_indicator (
    practice_id INTEGER NOT NULL REFERENCES hub_practice (id),
    indicator TEXT NOT NULL,          -- an id of the indicator catalogue
    PRIMARY KEY (practice_id, indicator)
) STRICT;

-- The references a document's version names in its front matter
-- (`references:`), each checked to exist when the version is imported.
CREATE TABLE hub_version_reference (
    version_id INTEGER NOT NULL REFERENCES hub_version (id),
    reference_id INTEGER NOT NULL REFERENCES hub_reference (id),
    PRIMARY KEY (version_id, reference_id)
) STRICT;
