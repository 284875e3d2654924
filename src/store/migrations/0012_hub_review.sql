-- 0012: the knowledge hub's review and consultation round.
--
-- During internal review, named reviewers comment on a document's sections
-- (hub_comment, the section by its heading's anchor). For the consultation
-- round (remiss), regions, municipalities and organisations are invited
-- (hub_invite) and each invited organisation's answer is recorded against
-- the document's version (hub_answer, one per invitation). The impact
-- assessment (konsekvensbeskrivning) is a Markdown part of the version
-- (hub_impact; the newest row of a version is the one in force). All four
-- are records of what was said: a trigger refuses to change or remove a
-- row. Which state allows which record is decided in src/hub/hub_flow.c.

CREATE TABLE hub_comment (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES hub_document (id),
    version INTEGER NOT NULL,
    section TEXT NOT NULL,            -- the heading's anchor
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    at INTEGER NOT NULL               -- kn_time
) STRICT;
CREATE INDEX hub_comment_document ON hub_comment (document_id, id);

CREATE TABLE hub_invite (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES hub_document (id),
    version INTEGER NOT NULL,
    org TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind = 'region' OR kind = 'municipality' OR
        kind = 'organisation'),
    invited_by TEXT NOT NULL,
    at INTEGER NOT NULL,              -- kn_time
    UNIQUE (document_id, version, org)
) STRICT;

CREATE TABLE hub_answer (
    id INTEGER PRIMARY KEY,
    invite_id INTEGER NOT NULL UNIQUE REFERENCES hub_invite (id),
    body TEXT NOT NULL,               -- Markdown
    recorded_by TEXT NOT NULL,
    at INTEGER NOT NULL               -- kn_time
) STRICT;

CREATE TABLE hub_impact (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES hub_document (id),
    version INTEGER NOT NULL,
    body TEXT NOT NULL,               -- Markdown
    recorded_by TEXT NOT NULL,
    at INTEGER NOT NULL               -- kn_time
) STRICT;
CREATE INDEX hub_impact_document ON hub_impact (document_id, version, id);

CREATE TRIGGER hub_comment_kept BEFORE UPDATE ON hub_comment
BEGIN SELECT RAISE(ABORT, 'a review comment cannot be changed'); END;
CREATE TRIGGER hub_comment_kept_d BEFORE DELETE ON hub_comment
BEGIN SELECT RAISE(ABORT, 'a review comment cannot be removed'); END;
CREATE TRIGGER hub_invite_kept BEFORE UPDATE ON hub_invite
BEGIN SELECT RAISE(ABORT, 'an invitation cannot be changed'); END;
CREATE TRIGGER hub_invite_kept_d BEFORE DELETE ON hub_invite
BEGIN SELECT RAISE(ABORT, 'an invitation cannot be removed'); END;
CREATE TRIGGER hub_answer_kept BEFORE UPDATE ON hub_answer
BEGIN SELECT RAISE(ABORT, 'a consultation answer cannot be changed'); END;
CREATE TRIGGER hub_answer_kept_d BEFORE DELETE ON hub_answer
BEGIN SELECT RAISE(ABORT, 'a consultation answer cannot be removed'); END;
CREATE TRIGGER hub_impact_kept BEFORE UPDATE ON hub_impact
BEGIN SELECT RAISE(ABORT, 'an impact assessment cannot be changed'); END;
CREATE TRIGGER hub_impact_kept_d BEFORE DELETE ON hub_impact
BEGIN SELECT RAISE(ABORT, 'an impact assessment cannot be removed'); END;
