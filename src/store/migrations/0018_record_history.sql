-- 0018: the history of corrected and deleted care records
-- (src/registry/reg_entry_change.c, docs/registration.md).
--
-- A correction in the portal replaces a stored record's values, a deletion
-- removes the record; each keeps here what the record held before (its
-- export's columns as a JSON object: codes, times, references by source_id,
-- the person by pseudonym, never a personnummer), who changed it and when,
-- and for a deletion the written reason. Rows are only ever added.
CREATE TABLE record_history (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                -- the import kind: "self_harm", "contacts", ...
    person_id INTEGER,                 -- the record's person (person.id), kept after a deletion
    source_system TEXT NOT NULL,
    source_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('correct', 'delete')),
    old_values TEXT NOT NULL,          -- JSON object, the values before the change
    changed_by TEXT NOT NULL,          -- the user
    changed_at INTEGER NOT NULL,       -- kn_time
    reason TEXT,                       -- required for a deletion
    CHECK (action <> 'delete' OR length(reason) > 0)
) STRICT;

CREATE INDEX record_history_person ON record_history (person_id, id);
CREATE INDEX record_history_record ON record_history (source_system, source_id);

CREATE TRIGGER record_history_no_update BEFORE UPDATE ON record_history
BEGIN SELECT RAISE(ABORT, 'record_history is append-only'); END;
CREATE TRIGGER record_history_no_delete BEFORE DELETE ON record_history
BEGIN SELECT RAISE(ABORT, 'record_history is append-only'); END;
