-- 0001: reference geography and code lists, loaded at `knod init`.
CREATE TABLE healthcare_region (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE region (
    code TEXT PRIMARY KEY CHECK (length(code) = 2),
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    county_name TEXT NOT NULL,
    healthcare_region TEXT NOT NULL REFERENCES healthcare_region (code)
) STRICT;

-- Halland belongs to two healthcare regions; the municipality decides.
CREATE TABLE municipality (
    code TEXT PRIMARY KEY CHECK (length(code) = 4),
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES region (code),
    healthcare_region TEXT NOT NULL REFERENCES healthcare_region (code)
) STRICT;

-- age 100 stands for "100 or older".
CREATE TABLE population (
    year INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES region (code),
    sex TEXT NOT NULL CHECK (sex IN ('F', 'M')),
    age INTEGER NOT NULL CHECK (age BETWEEN 0 AND 100),
    population INTEGER NOT NULL CHECK (population >= 0),
    PRIMARY KEY (year, region_code, sex, age)
) STRICT;

CREATE TABLE standard_population (
    standard TEXT NOT NULL,
    age_group TEXT NOT NULL,
    age_from INTEGER NOT NULL,
    age_to INTEGER,
    weight REAL NOT NULL CHECK (weight > 0),
    PRIMARY KEY (standard, age_group)
) STRICT;

CREATE TABLE icd10_code (
    code TEXT PRIMARY KEY,
    title_sv TEXT,
    title_en TEXT NOT NULL,
    category TEXT NOT NULL,
    note TEXT
) STRICT;
