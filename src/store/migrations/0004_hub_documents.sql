-- 0004: the knowledge hub's documents, their versions and their workflow.
--
-- A document (hub_document) has a stable slug, a workflow state and an
-- owner; its text lives in numbered versions (hub_version), and a version
-- that was published is never changed again (a trigger refuses it). Every
-- move through the workflow is a row of hub_event: who, when, from which
-- state to which, the decision it rests on and a note.
-- Search: hub_search_stem holds each current version's words as Swedish
-- (or English) stems, for ranked word matches; hub_search_tri holds the raw
-- text under FTS5's trigram tokenizer, which finds parts of compounds
-- ("skada" in "självskadebeteende") and gives the snippets. Full-text
-- search is SQLite's FTS5; a PostgreSQL backend will use its own.

CREATE TABLE hub_document (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state = 'draft' OR state = 'review' OR
        state = 'consultation' OR state = 'revision' OR state = 'published' OR
        state = 'archived'),
    owner TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    review_due INTEGER,               -- kn_day of the next yearly review
    created INTEGER NOT NULL          -- kn_time
) STRICT;

CREATE TABLE hub_version (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES hub_document (id),
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language = 'sv' OR language = 'en'),
    audience TEXT NOT NULL,           -- comma-separated codes
    topics TEXT NOT NULL,             -- comma-separated
    body TEXT NOT NULL,               -- Markdown
    published INTEGER,                -- kn_day it was published, NULL if never
    created INTEGER NOT NULL,         -- kn_time
    UNIQUE (document_id, version)
) STRICT;

CREATE TRIGGER hub_version_frozen BEFORE UPDATE ON hub_version
WHEN OLD.published IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a published version cannot be changed');
END;

CREATE TRIGGER hub_version_kept BEFORE DELETE ON hub_version
WHEN OLD.published IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a published version cannot be removed');
END;

CREATE TABLE hub_event (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES hub_document (id),
    at INTEGER NOT NULL,              -- kn_time
    actor TEXT NOT NULL,
    from_state TEXT,                  -- NULL when the document was created
    to_state TEXT NOT NULL,
    decision TEXT NOT NULL,           -- the decision it rests on, or ''
    note TEXT NOT NULL
) STRICT;
CREATE INDEX hub_event_document ON hub_event (document_id, id);

CREATE VIRTUAL TABLE hub_search_stem USING fts5(version_id UNINDEXED, title, stems,
    tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE hub_search_tri USING fts5(version_id UNINDEXED, title, body,
    tokenize = 'trigram');
