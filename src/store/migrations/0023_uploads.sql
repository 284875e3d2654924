-- 0023: files uploaded in the portal and imported in the background
-- (src/web/care/web_upload*.c, docs/registration.md, Uploads).
--
-- One row per upload: who sent it, what it was taken for (format and kind),
-- its state and counts, so that its status page and reject report outlive
-- a restart of knod serve. The file itself is never kept: it is imported
-- from a private temporary file that is removed afterwards. file_name is the
-- name the browser gave, with anything shaped like a personnummer masked.
CREATE TABLE upload (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,          -- access_user.id of the uploader
    user_name TEXT NOT NULL,
    file_name TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('csv', 'fhir')),
    kind TEXT NOT NULL,                -- the CSV file's kind, "fhir" for FHIR
    bytes INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'stored', 'rejected',
                                         'failed')),
    rows_total INTEGER NOT NULL DEFAULT 0, -- counted before the import, 0 if unknown
    rows_read INTEGER NOT NULL DEFAULT 0,
    rows_stored INTEGER NOT NULL DEFAULT 0,
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    rows_warned INTEGER NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',  -- the outcome in words (no personal data)
    created_at INTEGER NOT NULL,       -- kn_time
    finished_at INTEGER
) STRICT;

CREATE INDEX upload_user ON upload (user_id, id);

-- The reject report: each rejected row (or FHIR resource) by line, field
-- and reason (the import's words, which never hold a personnummer); warnings
-- about stored rows too.
CREATE TABLE upload_reject (
    upload_id INTEGER NOT NULL REFERENCES upload (id),
    seq INTEGER NOT NULL,
    line INTEGER NOT NULL,             -- 0 when the source has no line (a bundle)
    place TEXT NOT NULL DEFAULT '',    -- FHIR: the entry or resource
    field TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    warning INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (upload_id, seq)
) STRICT, WITHOUT ROWID;
