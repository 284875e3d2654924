-- 0029: the persons whose row changed, for a snapshot patch
-- (src/snapshot/snap_patch.c).
--
-- Until now a changed person row (another municipality, a death, a
-- corrected birth year or sex: an import's persons file updates such rows)
-- moved snap_edit's count, and the portal then built its snapshot again
-- from the whole store: at 1 M persons several seconds for a move. The
-- change is now logged by person: a patch reads the persons logged since
-- its last snapshot's mark, reads their rows again and merges their
-- timelines, as it does for a person with new events. A deleted person
-- still counts in snap_edit (a patch cannot follow it). One row per
-- changed person row; the pseudonym is not among the columns (key rotation
-- logs nothing).
CREATE TABLE snap_person_edit (
    seq INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL
) STRICT;

DROP TRIGGER person_edit;
CREATE TRIGGER person_edit AFTER UPDATE OF birth_year, sex, municipality, region_code,
    death_date, death_by_suicide ON person
BEGIN INSERT INTO snap_person_edit (person_id) VALUES (NEW.id); END;
