-- 0020: persons known by an external pseudonym (id_kind 'external').
--
-- An extract a region has pseudonymised already, or a research extract
-- with serial numbers, names its persons by the source's own id, with the
-- birth month and sex beside it (docs/import-format.md, "Persons without a
-- personnummer"). The stored pseudonym is then a keyed hash of the source
-- system and that id (domain/pseudo.h), in a domain of its own; id_kind
-- records which kind of id a person was made from. SQLite cannot change a
-- CHECK in place, so the table is rebuilt as its documentation says (new
-- table, copy, drop, rename, indexes); the migration runner turns foreign
-- keys off meanwhile and checks them all before the commit (migrate.c).
-- The rows, their ids and the other tables' references are unchanged.

CREATE TABLE person_0020 (
    id INTEGER PRIMARY KEY,
    pseudonym TEXT NOT NULL CHECK (length(pseudonym) = 32),
    id_kind TEXT NOT NULL CHECK (id_kind = 'personnummer' OR id_kind = 'samordningsnummer' OR id_kind = 'external'),
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
INSERT INTO person_0020 (id, pseudonym, id_kind, birth_year, birth_month, birth_day, sex,
                         municipality, region_code, death_date, death_by_suicide,
                         source_system, source_id)
    SELECT id, pseudonym, id_kind, birth_year, birth_month, birth_day, sex, municipality,
           region_code, death_date, death_by_suicide, source_system, source_id
    FROM person;
DROP TABLE person;
ALTER TABLE person_0020 RENAME TO person;
CREATE UNIQUE INDEX person_source ON person (source_id, source_system);
CREATE UNIQUE INDEX person_pseudonym ON person (pseudonym);
