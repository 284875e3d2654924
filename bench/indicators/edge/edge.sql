-- bench/indicators/edge/edge.sql: a tiny hand-made store for the edges of the
-- six reference indicators. Apply to a fresh store (`knod init`):
--     sqlite3 STORE/knod.db < edge.sql
-- Rows are inserted directly, because some cases cannot come through
-- `knod import` (a person without a home region: the persons file requires a
-- municipality; follow-ups before discharge). edge/expected.csv holds the
-- result; the cells with events are listed at the end of this file.
--
-- T = 2021-01-01 00:00:00 = 1609459200 s, D = 86400 s.
-- Persons: 1 F 2005 region 01      (16 in 2021)
--          2 F 2005 no region      (outside every region row of a-e)
--          3 M 2011 region 03      (10 in 2021)
--          4 M 2012 region 03      (9 in 2021: too young; 10 in 2022)
--          5 F 1997 region 01      (23 in 2020, 24 in 2021, 25 in 2022)
--          6 F 1996 region 01      (25 in 2021: too old)
--          7 M 2005 region 01
PRAGMA foreign_keys = ON;
BEGIN;
CREATE TEMP TABLE k (T INTEGER, D INTEGER);
INSERT INTO k VALUES (1609459200, 86400);

INSERT INTO care_unit (id, code, name, region_code, unit_type, setting, source_system, source_id) VALUES
    (1, 'EDGE-E01', 'edge emergency 01', '01', 'emergency', 'outpatient', 'edge', 'u1'),
    (2, 'EDGE-I03', 'edge ward 03', '03', 'adult_psychiatry', 'inpatient', 'edge', 'u2'),
    (3, 'EDGE-E04', 'edge emergency 04', '04', 'emergency', 'outpatient', 'edge', 'u3');

INSERT INTO person (id, pseudonym, id_kind, birth_year, sex, region_code, source_system, source_id) VALUES
    (1, printf('%032d', 1), 'personnummer', 2005, 'F', '01', 'edge', 'p1'),
    (2, printf('%032d', 2), 'personnummer', 2005, 'F', NULL, 'edge', 'p2'),
    (3, printf('%032d', 3), 'personnummer', 2011, 'M', '03', 'edge', 'p3'),
    (4, printf('%032d', 4), 'personnummer', 2012, 'M', '03', 'edge', 'p4'),
    (5, printf('%032d', 5), 'personnummer', 1997, 'F', '01', 'edge', 'p5'),
    (6, printf('%032d', 6), 'personnummer', 1996, 'F', '01', 'edge', 'p6'),
    (7, printf('%032d', 7), 'personnummer', 2005, 'M', '01', 'edge', 'p7');

-- ref-a, ref-d
INSERT INTO self_harm_act (person_id, act_time, cause_code, intent, method, source_system, source_id)
SELECT p, t, 'X78', 'intentional', 'sharp_object', 'edge', 'a' || row_number() OVER () FROM (
              SELECT 1 AS p, T + 10*D AS t FROM k  -- p1: two acts tied at its first time in 2021,
    UNION ALL SELECT 1, T + 10*D FROM k            --     not "later" than each other,
    UNION ALL SELECT 1, T + 375*D FROM k           --     and one exactly 365 days later (2022): repeated
    UNION ALL SELECT 2, T + 10*D FROM k            -- p2: no region
    UNION ALL SELECT 3, T + 7*D FROM k             -- p3: only two tied acts: not repeated
    UNION ALL SELECT 3, T + 7*D FROM k
    UNION ALL SELECT 4, T + 8*D FROM k             -- p4: 9 years old in 2021; 10 in 2022
    UNION ALL SELECT 4, T + 400*D FROM k
    UNION ALL SELECT 5, T - 1 FROM k               -- p5: last second of 2020, then first second
    UNION ALL SELECT 5, T FROM k                   --     of 2021: 2020 repeated, 2021 not
    UNION ALL SELECT 6, T + 100 FROM k             -- p6: 25
    UNION ALL SELECT 7, T + 5*D FROM k             -- p7: next act 365 days + 1 s later: not repeated
    UNION ALL SELECT 7, T + 370*D + 1 FROM k);

-- ref-b, ref-e (inpatient, unit in region 03; the persons' home regions count)
-- ref-f (emergency)
INSERT INTO contact (id, person_id, unit_id, contact_type, start_time, end_time, legal_basis,
                     brief_admission, source_system, source_id)
SELECT id, p, u, ty, s, e, 'voluntary', 0, 'edge', 'c' || id FROM (
              SELECT 10 AS id, 1 AS p, 2 AS u, 'inpatient' AS ty, T + 20*D AS s, T + 25*D AS e FROM k
    UNION ALL SELECT 11, 1, 2, 'inpatient', T + 40*D, T + 41*D + D/2 FROM k
    UNION ALL SELECT 12, 3, 2, 'inpatient', T + 50*D, NULL FROM k          -- open stay
    UNION ALL SELECT 13, 5, 2, 'inpatient', T + 363*D, T + 366*D FROM k    -- admitted at 24, discharged 2022 at 25
    UNION ALL SELECT 14, 7, 2, 'inpatient', T + 60*D, T + 61*D FROM k
    UNION ALL SELECT 15, 7, 2, 'inpatient', T + 100*D, T + 102*D FROM k
    UNION ALL SELECT 16, 6, 2, 'inpatient', T + 200*D, T + 201*D FROM k    -- 25
    UNION ALL SELECT 20, 1, 1, 'emergency', T + 1*D, T + 1*D + 3600 FROM k
    UNION ALL SELECT 21, 2, 1, 'emergency', T + 2*D, NULL FROM k
    UNION ALL SELECT 22, 4, 1, 'emergency', T + 3*D, NULL FROM k
    UNION ALL SELECT 23, 7, 3, 'emergency', T + 400*D, NULL FROM k
    UNION ALL SELECT 24, 7, 3, 'emergency', T + 400*D + 1800, NULL FROM k
    UNION ALL SELECT 25, 7, 3, 'emergency', T - 400*D, NULL FROM k);        -- 2019

INSERT INTO follow_up (person_id, follow_up_time, mode, stay_id, source_system, source_id)
SELECT p, t, 'visit', sid, 'edge', 'f' || row_number() OVER () FROM (
              SELECT 1 AS p, T + 25*D AS t, 10 AS sid FROM k     -- at discharge: in
    UNION ALL SELECT 1, T + 48*D + D/2, NULL FROM k              -- stay 11: discharge + 7 days exactly, unlinked: in
    UNION ALL SELECT 7, T + 68*D + 1, 14 FROM k                  -- stay 14: 7 days + 1 s: out
    UNION ALL SELECT 7, T + 61*D - 1, 14 FROM k                  --          1 s before discharge: out
    UNION ALL SELECT 7, T + 105*D, NULL FROM k);                 -- stay 15: 3 days after, unlinked: in

-- ref-c
INSERT INTO coercive_measure (person_id, stay_id, measure_type, legal_basis, start_time, end_time,
                              source_system, source_id)
SELECT p, sid, 'fastspanning', 'LPT', s, e, 'edge', 'm' || row_number() OVER () FROM (
              SELECT 1 AS p, 10 AS sid, T + 21*D AS s, T + 21*D + 9000 AS e FROM k   -- 2.5 h
    UNION ALL SELECT 1, 10, T + 22*D, NULL FROM k                                   -- open: no hours
    UNION ALL SELECT 6, 16, T + 200*D, T + 200*D + 3600 FROM k);                    -- 25

-- ref-f
INSERT INTO assessment (person_id, assessment_time, assessment_type, source_system, source_id)
SELECT p, t, 'suicide_risk', 'edge', 's' || row_number() OVER () FROM (
              SELECT 1 AS p, T + 1*D + 3600 AS t FROM k  -- visit 20: 0 and 1 h after: lead 0
    UNION ALL SELECT 1, T + 1*D FROM k
    UNION ALL SELECT 2, T + 32*D FROM k                  -- visit 21: exactly 30 days: lead 30
    UNION ALL SELECT 4, T + 33*D + 1 FROM k              -- visit 22: 30 days + 1 s, and 1 s before: none
    UNION ALL SELECT 4, T + 3*D - 1 FROM k
    UNION ALL SELECT 7, T + 400*D + 3600 FROM k          -- visits 23, 24: leads 1 h and 30 min
    UNION ALL SELECT 7, T + 400*D + 7200 FROM k);
COMMIT;

-- Cells with events (every other cell: zero, or empty value where the
-- denominator is 0):
--   ref-a 2020 01 F 20-24  1 (p5)        ref-a 2021 01 F 15-19  1 (p1)
--   ref-a 2021 01 F 20-24  1 (p5)        ref-a 2021 01 M 15-19  1 (p7)
--   ref-a 2021 03 M 10-14  1 (p3)        ref-a 2022 01 F 15-19  1 (p1)
--   ref-a 2022 01 M 15-19  1 (p7)        ref-a 2022 03 M 10-14  1 (p4)
--   ref-b 2021 01 F: persons 2, stays 3, care_days 9.5 (5 + 1.5 + 3)
--   ref-b 2021 01 M: persons 1, stays 2, care_days 3
--   ref-b 2021 03 M: persons 1, stays 1, care_days 0 (open stay)
--   ref-c 2021 01 F: persons 1, episodes 2, hours 2.5
--   ref-d 2020 01 F 1/1 = 100; 2021 01 F 1/2 = 50; 2021 01 M 0/1; 2021 03 M 0/1;
--         2022 01 F 0/1; 2022 01 M 0/1; 2022 03 M 0/1
--   ref-e 2021 01 F 2/2 = 100; 2021 01 M 1/2 = 50
--   ref-f 2021 01: n 2, median 15 (of 0 and 30); 2022 04: n 2, median 0.03125
--         (of 1/24 and 1/48 days)
