-- 0024: a knowledge-support document's links to indicators and pathway
-- steps, per version (front matter keys indicators and steps; docs/hub.md).
-- Comma-separated indicator ids and step codes, checked at import against
-- the indicator catalogue and data/pathways; '' when none.

ALTER TABLE hub_version ADD COLUMN indicators TEXT NOT NULL DEFAULT '';
ALTER TABLE hub_version ADD COLUMN steps TEXT NOT NULL DEFAULT '';
