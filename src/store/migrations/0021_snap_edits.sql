-- 0021: a count of the edits a snapshot patch cannot follow
-- (src/snapshot/snap_patch.c).
--
-- The portal keeps its snapshot of the care data fresh by reading only the
-- rows an import added (ids above the last ones it read). A row changed in
-- place (a correction re-imported with other values), a row deleted, a
-- unit renamed or the population changed cannot be found that way: these
-- triggers count them, and a snapshot whose count moved is built again
-- from the whole store. Inserts of care data fire nothing (the bulk import
-- pays nothing); the population fires on every change, since it is small.
-- The pseudonym is not read by the snapshot: key rotation counts nothing.
CREATE TABLE snap_edit (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    edits INTEGER NOT NULL
) STRICT;
INSERT INTO snap_edit (id, edits) VALUES (1, 0);

CREATE TRIGGER person_edit AFTER UPDATE OF birth_year, sex, municipality, region_code,
    death_date, death_by_suicide ON person
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER person_delete AFTER DELETE ON person
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER care_unit_edit AFTER UPDATE ON care_unit
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER care_unit_delete AFTER DELETE ON care_unit
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER contact_edit AFTER UPDATE ON contact
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER contact_delete AFTER DELETE ON contact
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER self_harm_act_edit AFTER UPDATE ON self_harm_act
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER self_harm_act_delete AFTER DELETE ON self_harm_act
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER coercive_measure_edit AFTER UPDATE ON coercive_measure
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER coercive_measure_delete AFTER DELETE ON coercive_measure
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER assessment_edit AFTER UPDATE ON assessment
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER assessment_delete AFTER DELETE ON assessment
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER care_plan_edit AFTER UPDATE ON care_plan
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER care_plan_delete AFTER DELETE ON care_plan
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER treatment_edit AFTER UPDATE ON treatment
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER treatment_delete AFTER DELETE ON treatment
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER follow_up_edit AFTER UPDATE ON follow_up
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER follow_up_delete AFTER DELETE ON follow_up
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER pathway_step_edit AFTER UPDATE ON pathway_step
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER pathway_step_delete AFTER DELETE ON pathway_step
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER population_insert AFTER INSERT ON population
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER population_edit AFTER UPDATE ON population
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
CREATE TRIGGER population_delete AFTER DELETE ON population
BEGIN UPDATE snap_edit SET edits = edits + 1; END;
