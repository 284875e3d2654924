-- 0002: the care data model of the registry (see docs/import-format.md).
--
-- Times are INTEGER seconds since 1970-01-01T00:00:00 in Swedish civil time
-- (kn_time); dates are INTEGER days since 1970-01-01 (kn_day). Every record
-- keeps the source system and the source's own id, unique per table, so
-- importing the same record again changes nothing.
--
-- Code lists are CHECKed as OR chains: SQLite evaluates `x IN (...)` in a
-- CHECK by building an ephemeral index on every insert, which made a bulk
-- import several times slower (measured).
--
-- The unique indexes are separate, named indexes (<table>_source,
-- person_pseudonym) rather than table constraints: a bulk load into an empty
-- table drops and rebuilds them inside its transaction (reg_import.c), and a
-- constraint's automatic index cannot be dropped.

-- A care unit: where contacts happen.
CREATE TABLE care_unit (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES region (code),
    unit_type TEXT NOT NULL CHECK (unit_type = 'bup' OR unit_type = 'adult_psychiatry' OR unit_type = 'emergency' OR unit_type = 'somatic' OR unit_type = 'primary_care' OR unit_type = 'nhv' OR unit_type = 'municipal'),
    setting TEXT NOT NULL CHECK (setting = 'inpatient' OR setting = 'outpatient'),
    source_system TEXT NOT NULL,
    source_id TEXT NOT NULL,
    UNIQUE (source_system, source_id)
) STRICT;

-- A person, known only by a keyed pseudonym of the personnummer.
CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    pseudonym TEXT NOT NULL CHECK (length(pseudonym) = 32),
    id_kind TEXT NOT NULL CHECK (id_kind = 'personnummer' OR id_kind = 'samordningsnummer'),
    birth_year INTEGER NOT NULL,
    birth_month INTEGER CHECK (birth_month BETWEEN 1 AND 12),   -- NULL if unknown
    birth_day INTEGER CHECK (birth_day BETWEEN 1 AND 31),       -- NULL if unknown
    sex TEXT NOT NULL CHECK (sex = 'F' OR sex = 'M'),
    municipality TEXT REFERENCES municipality (code),
    region_code TEXT REFERENCES region (code),
    death_date INTEGER,
    death_by_suicide INTEGER CHECK (death_by_suicide = 0 OR death_by_suicide = 1),
    source_system TEXT NOT NULL,
    source_id TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX person_source ON person (source_system, source_id);
CREATE UNIQUE INDEX person_pseudonym ON person (pseudonym);

-- Emergency visits, outpatient visits and inpatient stays.
CREATE TABLE contact (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person (id),
    unit_id INTEGER NOT NULL REFERENCES care_unit (id),
    contact_type TEXT NOT NULL CHECK (contact_type = 'emergency' OR contact_type = 'outpatient' OR contact_type = 'inpatient'),
    start_time INTEGER NOT NULL,
    end_time INTEGER CHECK (end_time IS NULL OR end_time >= start_time),
    legal_basis TEXT NOT NULL CHECK (legal_basis = 'voluntary' OR legal_basis = 'LPT' OR legal_basis = 'LRV'),
    brief_admission INTEGER NOT NULL CHECK (brief_admission = 0 OR brief_admission = 1),
    main_diagnosis TEXT,
    other_diagnoses TEXT,   -- space-separated ICD-10 codes
    cause_code TEXT,        -- ICD-10 external cause (X60-X84, Y10-Y34, ...)
    source_system TEXT NOT NULL,
    source_id TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX contact_source ON contact (source_system, source_id);

-- A self-harm act, dated, with its method category from the cause code.
CREATE TABLE self_harm_act (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person (id),
    act_time INTEGER NOT NULL,
    cause_code TEXT NOT NULL,
    intent TEXT NOT NULL CHECK (intent = 'intentional' OR intent = 'undetermined'),
    method TEXT NOT NULL,
    contact_id INTEGER REFERENCES contact (id),
    source_system TEXT NOT NULL,
    source_id TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX self_harm_act_source ON self_harm_act (source_system, source_id);

-- A coercive measure as an interval inside an inpatient stay. An extension
-- (a new decision continuing an earlier one) links to the measure it extends.
CREATE TABLE coercive_measure (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person (id),
    stay_id INTEGER NOT NULL REFERENCES contact (id),
    measure_type TEXT NOT NULL CHECK (measure_type = 'fastspanning' OR measure_type = 'avskiljning' OR measure_type = 'tvangsmedicinering' OR measure_type = 'fasthallande' OR measure_type = 'other'),
    legal_basis TEXT NOT NULL CHECK (legal_basis = 'LPT' OR legal_basis = 'LRV' OR legal_basis = 'LVU'),
    decision_time INTEGER,
    start_time INTEGER NOT NULL,
    end_time INTEGER CHECK (end_time IS NULL OR end_time >= start_time),
    extends_id INTEGER REFERENCES coercive_measure (id),
    source_system TEXT NOT NULL,
    source_id TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX coercive_measure_source ON coercive_measure (source_system, source_id);

CREATE TABLE assessment (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person (id),
    assessment_time INTEGER NOT NULL,
    assessment_type TEXT NOT NULL CHECK (assessment_type = 'suicide_risk' OR assessment_type = 'psychosocial' OR assessment_type = 'other'),
    contact_id INTEGER REFERENCES contact (id),
    source_system TEXT NOT NULL,
    source_id TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX assessment_source ON assessment (source_system, source_id);

-- Care plans, crisis plans and coordinated individual plans (SIP).
CREATE TABLE care_plan (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person (id),
    plan_time INTEGER NOT NULL,
    plan_type TEXT NOT NULL CHECK (plan_type = 'care_plan' OR plan_type = 'crisis_plan' OR plan_type = 'sip'),
    source_system TEXT NOT NULL,
    source_id TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX care_plan_source ON care_plan (source_system, source_id);

CREATE TABLE treatment (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person (id),
    treatment_type TEXT NOT NULL CHECK (treatment_type = 'dbt' OR treatment_type = 'mbt' OR treatment_type = 'ergt' OR treatment_type = 'erita' OR treatment_type = 'cbt' OR treatment_type = 'other'),
    start_time INTEGER NOT NULL,
    end_time INTEGER CHECK (end_time IS NULL OR end_time >= start_time),
    source_system TEXT NOT NULL,
    source_id TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX treatment_source ON treatment (source_system, source_id);

-- A follow-up contact after discharge from inpatient care.
CREATE TABLE follow_up (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person (id),
    follow_up_time INTEGER NOT NULL,
    mode TEXT NOT NULL CHECK (mode = 'visit' OR mode = 'phone' OR mode = 'video'),
    stay_id INTEGER REFERENCES contact (id),
    source_system TEXT NOT NULL,
    source_id TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX follow_up_source ON follow_up (source_system, source_id);

-- A step of a vårdförlopp (care pathway) reached at a time.
CREATE TABLE pathway_step (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person (id),
    pathway TEXT NOT NULL CHECK (pathway = 'adult' OR pathway = 'child'),
    step TEXT NOT NULL,
    step_time INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    source_id TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX pathway_step_source ON pathway_step (source_system, source_id);

-- No person_id indexes yet: the snapshot reads whole tables in one scan,
-- and every index slows the bulk import. Add one in a later migration when a
-- measured query needs it.

-- One row per import run, for the audit trail and progress of reruns.
CREATE TABLE import_run (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    format TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_stored INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL
) STRICT;
