-- 0026: the knowledge hub's links to pathway steps, references and
-- practices (issue 14; docs/hub.md, Links).
--
-- A document's version names the local practices it builds on (front
-- matter `practices`: their numbers, comma-separated, '' when none),
-- checked at import against hub_practice, as its `references` are
-- (hub_version_reference) and its `indicators` and `steps` (0024).
-- A practice names the pathway steps it serves (knod practice add
-- --steps), and a reference is linked to steps by knod refs link
-- (audited): each a pathway code and a step code of data/pathways, checked
-- when the link is made. The pathway page lists per step what links to it.

ALTER TABLE hub_version ADD COLUMN practices TEXT NOT NULL DEFAULT '';

CREATE TABLE hub_practice_step (
    practice_id INTEGER NOT NULL REFERENCES hub_practice (id),
    pathway TEXT NOT NULL,
    step TEXT NOT NULL,
    PRIMARY KEY (practice_id, pathway, step)
) STRICT;
CREATE INDEX hub_practice_step_by_step ON hub_practice_step (pathway, step);

CREATE TABLE hub_reference_step (
    reference_id INTEGER NOT NULL REFERENCES hub_reference (id),
    pathway TEXT NOT NULL,
    step TEXT NOT NULL,
    PRIMARY KEY (reference_id, pathway, step)
) STRICT;
CREATE INDEX hub_reference_step_by_step ON hub_reference_step (pathway, step);
