-- bench/indicators/edge/catalogue.sql: hand-made edge cases for the whole
-- catalogue (every indicator of data/indicators except ref-a..ref-f, which
-- have edge.sql). Apply to a fresh store (`knod init`):
--     sqlite3 STORE/knod.db < catalogue.sql
-- tests/integration/cli_indicators_diff.sh runs knod and the SQL anchors
-- (sqlite/*.sql) on it beside two synthetic stores; there is no expected
-- file: knod and the SQL must agree, and the cells below were checked by
-- hand. Rows are inserted directly (persons without a region or a
-- municipality, a zero-length stay, a death the day before a contact).
-- Times are Swedish civil time written as UTC (kn_time), dates kn_day.
--
-- What is probed (indicator: case -> cell):
--   vf-followup-7d: follow-up exactly 7 d after discharge (in), 7 d + 1 s
--     (out), 1 s before discharge (out); a stay followed by another exactly
--     24 h later (not an anchor); a zero-length stay (start = end) is not its
--     own "stay in end [0h, 24h]" (an anchor); death 2 days after discharge
--     and death at the last second of the date exactly 7 d after (not
--     anchors); geo unit with a person without a home region. 2021: nation
--     3/5, region 03 1/2, 04 2/2, 05 0/1; 2022, 2023: no anchors.
--   adm-readmit-30d: a readmission starting exactly at discharge (out) and
--     exactly 30 d after (in); brief, somatic and nhv stays are not
--     readmissions; period of end across New Year. 2021: region 03 3/4,
--     region 04 1/4; 2022: region 03 1/4.
--   cov-emergency-act: an act exactly 2 d before the visit (in), 2 d + 1 s
--     before and 1 d + 1 s after (out); causes X85, Y35, X59 (not anchors),
--     Y34.9 and X84.1 (anchors). 2021: region 01 1/2, region 04 1/2.
--   vf-risk-assessment-24h: suicide_risk exactly 24 h after (in), 1 s
--     before and 24 h + 1 s after (out), psychosocial (out).
--   sh-suicide-12m: the first contact with a self-harm cause, not an earlier
--     one without; suicide on the contact's own date (in: the death is at
--     the day's last second), on the date before (out), exactly 365 d after
--     (in); another cause of death (no event, not censored). 2021 region 01
--     M 1/1; 2022 region 07 1/1, region 08 0/2; 2023 region 06 1/2.
--   sh-repeat-12m-km: censoring at death (2021 region 01 M: 100 % from one
--     event among two anchors) and at the data's end, which is the latest
--     end (a contact ending 2024-12-31 18:00, after every start): an anchor
--     censored at the very second of another's event is still at risk (2024
--     region 05 F: 2 events of 4 anchors, 62.5 %).
--   sh-young-first: acts tied at the same second (neither is before the
--     other); an earlier act exactly 365 d before (blocks), 365 d + 1 s
--     before (does not), 1 s before across New Year (blocks); an act in 2019
--     blocks one in 2020.
--   sh-young-*, cov-act-linked, sh-young-municipality: a person without a
--     home region (the nation only), one with a region and no municipality
--     (the region, no municipality), a linked act, Y-causes.
--   adm-*, coe-*: an open stay with cause X609 (no dot), LPT and brief
--     stays at psychiatric, somatic and nhv units, coercive measures of every
--     type, one open, one across New Year, one in a somatic stay (2023
--     region 08: 1 episode over 0 psychiatric care days: no value).
--   vf-*: steps at the same second as the first contact (lead 0), 7 d + 1 s
--     and exactly 180 d after; two first contacts of one person; a step of
--     the other pathway; plans exactly 30 d (in) and 30 d + 1 s after (out);
--     treatments exactly 90 d (in), 90 d + 1 s after (out), cbt (not one of
--     the recommended).
PRAGMA foreign_keys = ON;
BEGIN;
INSERT INTO care_unit (id, code, name, region_code, unit_type, setting, source_system, source_id) VALUES
    (1, 'E-EM01', 'em 01', '01', 'emergency', 'outpatient', 'edge', 'u1'),
    (2, 'E-AP03', 'adult psych 03', '03', 'adult_psychiatry', 'inpatient', 'edge', 'u2'),
    (3, 'E-BUP04', 'bup 04', '04', 'bup', 'inpatient', 'edge', 'u3'),
    (4, 'E-SOM05', 'somatic 05', '05', 'somatic', 'inpatient', 'edge', 'u4'),
    (5, 'E-NHV06', 'nhv 06', '06', 'nhv', 'inpatient', 'edge', 'u5'),
    (6, 'E-EM04', 'em 04', '04', 'emergency', 'outpatient', 'edge', 'u6'),
    (7, 'E-OUT01', 'bup out 01', '01', 'bup', 'outpatient', 'edge', 'u7');

INSERT INTO person (id, pseudonym, id_kind, birth_year, sex, municipality, region_code, death_date, death_by_suicide, source_system, source_id) VALUES
    (1, printf('%032d', 1), 'personnummer', 2005, 'F', '0180', '01', NULL, NULL, 'edge', 'p1'),
    (2, printf('%032d', 2), 'personnummer', 2005, 'F', NULL, NULL, NULL, NULL, 'edge', 'p2'),
    (3, printf('%032d', 3), 'personnummer', 2011, 'M', '0380', '03', NULL, NULL, 'edge', 'p3'),
    (4, printf('%032d', 4), 'personnummer', 2012, 'M', '0380', '03', NULL, NULL, 'edge', 'p4'),
    (5, printf('%032d', 5), 'personnummer', 1997, 'F', '0180', '01', NULL, NULL, 'edge', 'p5'),
    (6, printf('%032d', 6), 'personnummer', 2005, 'F', NULL, '01', NULL, NULL, 'edge', 'p6'),
    (7, printf('%032d', 7), 'personnummer', 2005, 'M', '0180', '01', CAST(julianday('2021-03-01') - 2440587.5 AS INTEGER), 1, 'edge', 'p7'),
    (8, printf('%032d', 8), 'personnummer', 2006, 'F', '0380', '03', CAST(julianday('2022-06-10') - 2440587.5 AS INTEGER), 0, 'edge', 'p8'),
    (9, printf('%032d', 9), 'personnummer', 2004, 'M', NULL, '04', NULL, NULL, 'edge', 'p9'),
    (10, printf('%032d', 10), 'personnummer', 2004, 'M', NULL, '04', NULL, NULL, 'edge', 'p10'),
    (11, printf('%032d', 11), 'personnummer', 2005, 'M', '0180', '01', NULL, NULL, 'edge', 'p11'),
    (12, printf('%032d', 12), 'personnummer', 2003, 'F', NULL, '05', NULL, NULL, 'edge', 'p12'),
    (13, printf('%032d', 13), 'personnummer', 2003, 'F', NULL, '05', NULL, NULL, 'edge', 'p13'),
    (14, printf('%032d', 14), 'personnummer', 2003, 'M', NULL, '06', CAST(julianday('2023-01-08') - 2440587.5 AS INTEGER), 0, 'edge', 'p14'),
    (15, printf('%032d', 15), 'personnummer', 2003, 'F', NULL, '06', CAST(julianday('2023-03-01') - 2440587.5 AS INTEGER), 1, 'edge', 'p15'),
    (16, printf('%032d', 16), 'personnummer', 2003, 'F', NULL, '06', CAST(julianday('2023-05-01') - 2440587.5 AS INTEGER), 1, 'edge', 'p16'),
    (17, printf('%032d', 17), 'personnummer', 2002, 'M', NULL, '07', CAST(julianday('2023-01-01') - 2440587.5 AS INTEGER), 1, 'edge', 'p17'),
    (18, printf('%032d', 18), 'personnummer', 2003, 'F', NULL, '05', NULL, NULL, 'edge', 'p18'),
    (19, printf('%032d', 19), 'personnummer', 2004, 'M', NULL, '08', CAST(julianday('2022-03-01') - 2440587.5 AS INTEGER), 0, 'edge', 'p19'),
    (20, printf('%032d', 20), 'personnummer', 2004, 'M', NULL, '08', NULL, NULL, 'edge', 'p20'),
    (21, printf('%032d', 21), 'personnummer', 2003, 'F', NULL, '05', NULL, NULL, 'edge', 'p21');

-- contacts: (id, person, unit, type, start, end, legal, brief, cause)
INSERT INTO contact (id, person_id, unit_id, contact_type, start_time, end_time, legal_basis, brief_admission, cause_code, source_system, source_id)
SELECT id, p, u, ty, strftime('%s', s) + 0, CASE WHEN e IS NULL THEN NULL ELSE strftime('%s', e) + 0 END, lg, br, cc, 'edge', 'c' || id FROM (
    -- vf-followup-7d
    SELECT 10 AS id, 1 AS p, 2 AS u, 'inpatient' AS ty, '2021-01-21 00:00:00' AS s, '2021-01-26 00:00:00' AS e, 'voluntary' AS lg, 0 AS br, 'X60' AS cc
    UNION ALL SELECT 11, 1, 2, 'inpatient', '2021-02-10 00:00:00', '2021-02-11 00:00:00', 'voluntary', 0, 'X60.1'
    UNION ALL SELECT 12, 1, 2, 'inpatient', '2021-02-12 00:00:00', '2021-02-13 00:00:00', 'LPT', 0, 'X61'
    UNION ALL SELECT 13, 6, 3, 'inpatient', '2021-03-02 10:00:00', '2021-03-02 10:00:00', 'voluntary', 0, 'X62'
    UNION ALL SELECT 14, 8, 2, 'inpatient', '2022-06-05 10:00:00', '2022-06-08 10:00:00', 'voluntary', 0, 'Y12'
    UNION ALL SELECT 15, 14, 3, 'inpatient', '2022-12-28 00:00:00', '2023-01-01 23:59:59', 'voluntary', 0, 'X71'
    UNION ALL SELECT 16, 9, 3, 'inpatient', '2020-12-30 00:00:00', '2021-01-02 00:00:00', 'voluntary', 0, 'X84.9'
    UNION ALL SELECT 17, 9, 3, 'inpatient', '2021-06-01 00:00:00', NULL, 'voluntary', 0, 'X609'
    UNION ALL SELECT 18, 2, 4, 'inpatient', '2021-07-01 00:00:00', '2021-07-03 12:00:00', 'voluntary', 0, 'X78'
    -- adm-readmit-30d
    UNION ALL SELECT 20, 3, 2, 'inpatient', '2021-04-10 00:00:00', '2021-04-20 00:00:00', 'LPT', 0, NULL
    UNION ALL SELECT 21, 3, 3, 'inpatient', '2021-04-20 00:00:00', '2021-04-25 00:00:00', 'voluntary', 0, NULL
    UNION ALL SELECT 22, 3, 3, 'inpatient', '2021-05-20 00:00:00', '2021-05-21 00:00:00', 'voluntary', 0, NULL
    UNION ALL SELECT 23, 4, 2, 'inpatient', '2022-03-01 00:00:00', '2022-03-05 00:00:00', 'voluntary', 0, NULL
    UNION ALL SELECT 24, 4, 2, 'inpatient', '2022-03-10 00:00:00', '2022-03-12 00:00:00', 'voluntary', 1, NULL
    UNION ALL SELECT 25, 4, 4, 'inpatient', '2022-03-15 00:00:00', '2022-03-16 00:00:00', 'voluntary', 0, NULL
    UNION ALL SELECT 26, 4, 5, 'inpatient', '2022-03-20 00:00:00', '2022-03-21 00:00:00', 'LPT', 1, NULL
    UNION ALL SELECT 27, 4, 2, 'inpatient', '2022-04-20 00:00:00', '2022-04-21 00:00:00', 'voluntary', 0, NULL
    UNION ALL SELECT 28, 4, 2, 'inpatient', '2022-05-21 00:00:00', '2022-05-22 00:00:00', 'voluntary', 0, NULL
    -- emergency: cov-emergency-act, vf-risk-assessment-24h, sh-suicide-12m
    UNION ALL SELECT 30, 2, 1, 'emergency', '2021-03-10 12:00:00', '2021-03-10 14:00:00', 'voluntary', 0, 'X70'
    UNION ALL SELECT 31, 6, 6, 'emergency', '2021-03-11 12:00:00', NULL, 'voluntary', 0, 'X85'
    UNION ALL SELECT 32, 6, 6, 'emergency', '2021-04-11 12:00:00', NULL, 'voluntary', 0, 'Y34.9'
    UNION ALL SELECT 33, 6, 6, 'emergency', '2021-05-11 12:00:00', NULL, 'voluntary', 0, 'Y35'
    UNION ALL SELECT 34, 6, 6, 'emergency', '2021-06-11 12:00:00', NULL, 'voluntary', 0, 'X59'
    UNION ALL SELECT 35, 6, 6, 'emergency', '2021-07-11 12:00:00', NULL, 'voluntary', 0, 'X84.1'
    UNION ALL SELECT 36, 10, 1, 'emergency', '2021-08-11 12:00:00', NULL, 'voluntary', 0, 'X60'
    UNION ALL SELECT 40, 7, 7, 'outpatient', '2021-01-02 10:00:00', '2021-01-02 11:00:00', 'voluntary', 0, NULL
    UNION ALL SELECT 41, 7, 7, 'outpatient', '2021-01-06 10:00:00', '2021-01-06 11:00:00', 'voluntary', 0, 'X60'
    UNION ALL SELECT 42, 15, 1, 'emergency', '2023-03-01 12:00:00', NULL, 'voluntary', 0, 'Y10'
    UNION ALL SELECT 43, 16, 1, 'emergency', '2023-05-02 00:00:00', NULL, 'voluntary', 0, 'Y10'
    UNION ALL SELECT 44, 17, 1, 'emergency', '2022-01-01 23:59:59', NULL, 'voluntary', 0, 'X60'
    UNION ALL SELECT 45, 19, 1, 'emergency', '2022-01-01 23:59:59', NULL, 'voluntary', 0, 'X60'
    UNION ALL SELECT 46, 20, 1, 'emergency', '2022-01-01 23:59:59', NULL, 'voluntary', 0, 'X60'
    UNION ALL SELECT 47, 8, 7, 'outpatient', '2022-02-01 10:00:00', NULL, 'voluntary', 0, 'X60'
    UNION ALL SELECT 48, 20, 4, 'inpatient', '2023-02-01 00:00:00', '2023-02-03 00:00:00', 'voluntary', 0, NULL
    -- data end: the latest end
    UNION ALL SELECT 50, 20, 7, 'outpatient', '2024-12-31 10:00:00', '2024-12-31 18:00:00', 'voluntary', 0, NULL
);

-- self-harm acts: (person, time, cause, contact)
INSERT INTO self_harm_act (person_id, act_time, cause_code, intent, method, contact_id, source_system, source_id)
SELECT p, strftime('%s', t) + 0, cc, CASE WHEN cc < 'Y' THEN 'intentional' ELSE 'undetermined' END, 'other', cid, 'edge', 'a' || row_number() OVER () FROM (
    SELECT 1 AS p, '2021-01-11 00:00:00' AS t, 'X78' AS cc, NULL AS cid
    UNION ALL SELECT 1, '2021-01-11 00:00:00', 'X78', 10
    UNION ALL SELECT 1, '2021-01-21 00:00:00', 'Y12', NULL
    UNION ALL SELECT 1, '2022-01-11 00:00:00', 'X78', NULL
    UNION ALL SELECT 5, '2020-12-31 23:59:59', 'X60', NULL
    UNION ALL SELECT 5, '2021-01-01 00:00:00', 'X60', NULL
    UNION ALL SELECT 3, '2020-12-01 00:00:00', 'X60', NULL
    UNION ALL SELECT 3, '2021-12-01 00:00:00', 'X60', NULL
    UNION ALL SELECT 9, '2019-06-01 00:00:00', 'X60', NULL
    UNION ALL SELECT 9, '2020-03-01 00:00:00', 'X60', NULL
    UNION ALL SELECT 9, '2021-06-01 00:00:00', 'X60', NULL
    UNION ALL SELECT 10, '2020-03-01 00:00:00', 'X60', NULL
    UNION ALL SELECT 10, '2021-03-01 00:00:01', 'X60', NULL
    UNION ALL SELECT 7, '2021-01-06 00:00:00', 'X60', 41
    UNION ALL SELECT 11, '2021-01-07 00:00:00', 'X60', NULL
    UNION ALL SELECT 11, '2021-04-11 00:00:00', 'X60', NULL
    UNION ALL SELECT 12, '2024-11-01 06:00:00', 'X60', NULL
    UNION ALL SELECT 13, '2024-11-01 00:00:00', 'X60', NULL
    UNION ALL SELECT 13, '2024-12-31 12:00:00', 'X60', NULL
    UNION ALL SELECT 18, '2024-10-01 00:00:00', 'X60', NULL
    UNION ALL SELECT 18, '2024-12-31 17:00:00', 'X60', NULL
    UNION ALL SELECT 21, '2024-09-01 00:00:00', 'X60', NULL
    UNION ALL SELECT 2, '2021-03-08 12:00:00', 'X70', NULL
    UNION ALL SELECT 6, '2021-04-12 12:00:01', 'Y34', NULL
    UNION ALL SELECT 6, '2021-07-09 12:00:00', 'X84', NULL
    UNION ALL SELECT 10, '2021-08-09 11:59:59', 'X60', NULL
);

INSERT INTO follow_up (person_id, follow_up_time, mode, stay_id, source_system, source_id)
SELECT p, strftime('%s', t) + 0, 'visit', NULL, 'edge', 'f' || row_number() OVER () FROM (
    SELECT 1 AS p, '2021-02-02 00:00:00' AS t
    UNION ALL SELECT 1, '2021-02-20 00:00:01'
    UNION ALL SELECT 6, '2021-03-03 10:00:00'
    UNION ALL SELECT 9, '2021-01-09 00:00:00'
    UNION ALL SELECT 2, '2021-07-03 11:59:59'
);

INSERT INTO assessment (person_id, assessment_time, assessment_type, source_system, source_id)
SELECT p, strftime('%s', t) + 0, ty, 'edge', 's' || row_number() OVER () FROM (
    SELECT 2 AS p, '2021-03-11 12:00:00' AS t, 'suicide_risk' AS ty
    UNION ALL SELECT 6, '2021-04-11 11:59:59', 'suicide_risk'
    UNION ALL SELECT 6, '2021-04-11 13:00:00', 'psychosocial'
    UNION ALL SELECT 6, '2021-07-12 12:00:01', 'suicide_risk'
    UNION ALL SELECT 10, '2021-08-11 12:00:00', 'suicide_risk'
);

-- coercive measures (person, stay, type, start, end)
INSERT INTO coercive_measure (person_id, stay_id, measure_type, legal_basis, start_time, end_time, source_system, source_id)
SELECT p, sid, ty, 'LPT', strftime('%s', s) + 0, CASE WHEN e IS NULL THEN NULL ELSE strftime('%s', e) + 0 END, 'edge', 'm' || row_number() OVER () FROM (
    SELECT 3 AS p, 20 AS sid, 'fastspanning' AS ty, '2021-04-11 00:00:00' AS s, '2021-04-11 02:30:00' AS e
    UNION ALL SELECT 3, 20, 'fastspanning', '2021-04-12 00:00:00', '2021-04-12 01:00:00'
    UNION ALL SELECT 3, 20, 'avskiljning', '2021-04-13 00:00:00', NULL
    UNION ALL SELECT 3, 20, 'other', '2021-04-14 00:00:00', '2021-04-14 03:00:00'
    UNION ALL SELECT 9, 16, 'fasthallande', '2020-12-31 23:00:00', '2021-01-01 01:00:00'
    UNION ALL SELECT 2, 18, 'tvangsmedicinering', '2021-07-02 00:00:00', '2021-07-02 00:10:00'
    UNION ALL SELECT 14, 15, 'fastspanning', '2022-12-29 00:00:00', '2022-12-29 04:00:00'
    UNION ALL SELECT 20, 48, 'fasthallande', '2023-02-01 10:00:00', '2023-02-01 10:20:00'
);

INSERT INTO care_plan (person_id, plan_time, plan_type, source_system, source_id)
SELECT p, strftime('%s', t) + 0, ty, 'edge', 'cp' || row_number() OVER () FROM (
    SELECT 1 AS p, '2021-02-09 00:00:00' AS t, 'care_plan' AS ty
    UNION ALL SELECT 3, '2021-02-10 00:00:00', 'sip'
    UNION ALL SELECT 2, '2021-02-09 00:00:01', 'crisis_plan'
);

INSERT INTO treatment (person_id, treatment_type, start_time, end_time, source_system, source_id)
SELECT p, ty, strftime('%s', t) + 0, NULL, 'edge', 'tr' || row_number() OVER () FROM (
    SELECT 1 AS p, 'dbt' AS ty, '2021-04-10 00:00:00' AS t
    UNION ALL SELECT 2, 'cbt', '2021-01-20 00:00:00'
    UNION ALL SELECT 3, 'erita', '2021-05-11 00:00:01'
);

INSERT INTO pathway_step (person_id, pathway, step, step_time, source_system, source_id)
SELECT p, pw, st, strftime('%s', t) + 0, 'edge', 'ps' || row_number() OVER () FROM (
    SELECT 1 AS p, 'adult' AS pw, '1_first_contact' AS st, '2021-01-10 00:00:00' AS t
    UNION ALL SELECT 1, 'adult', '2_assessment', '2021-01-10 00:00:00'
    UNION ALL SELECT 1, 'adult', '2_assessment', '2021-01-12 00:00:00'
    UNION ALL SELECT 2, 'adult', '1_first_contact', '2021-01-10 00:00:00'
    UNION ALL SELECT 2, 'adult', '2_assessment', '2021-01-17 00:00:00'
    UNION ALL SELECT 2, 'child', '2_assessment', '2021-01-11 00:00:00'
    UNION ALL SELECT 3, 'child', '1_first_contact', '2021-02-10 00:00:00'
    UNION ALL SELECT 3, 'child', '1_first_contact', '2021-02-11 00:00:00'
    UNION ALL SELECT 3, 'child', '2_assessment', '2021-02-17 00:00:01'
    UNION ALL SELECT 3, 'child', '2_assessment', '2021-02-18 00:00:00'
    UNION ALL SELECT 6, 'adult', '1_first_contact', '2021-03-01 00:00:00'
    UNION ALL SELECT 6, 'adult', '2_assessment', '2021-08-28 00:00:00'
    UNION ALL SELECT 5, 'adult', '1_first_contact', '2021-03-01 00:00:00'
    UNION ALL SELECT 5, 'adult', '2_assessment', '2021-03-03 00:00:00'
);
-- Consultations (net-consult-5d): working days over Christmas, Easter,
-- Ascension and Midsummer, one answered on the 6th working day, one open
-- since January 2026 (late whatever today is).
INSERT INTO net_consultation (asked, region_code, asking_unit, asking_role, asked_party,
                              urgency, summary, status, answered, answer)
SELECT strftime('%s', a) + 0, r, 'BUP', 'läkare', 'nhv', 'urgent', 'Fall', st,
       CASE WHEN e IS NULL THEN NULL ELSE strftime('%s', e) + 0 END, CASE WHEN e IS NULL THEN NULL ELSE 'Svar' END
FROM (
    SELECT '2025-12-19 10:00:00' AS a, '2025-12-29 15:00:00' AS e, '12' AS r, 'answered' AS st
    UNION ALL SELECT '2025-12-19 11:00:00', '2026-01-02 09:00:00', '12', 'answered'
    UNION ALL SELECT '2025-12-19 12:00:00', '2026-01-05 09:00:00', '12', 'answered'
    UNION ALL SELECT '2025-04-17 10:00:00', '2025-04-25 10:00:00', '01', 'answered'
    UNION ALL SELECT '2025-04-17 10:00:00', '2025-04-28 10:00:00', '01', 'answered'
    UNION ALL SELECT '2025-05-28 10:00:00', '2025-06-05 10:00:00', '01', 'answered'
    UNION ALL SELECT '2025-06-18 10:00:00', '2025-06-26 10:00:00', '14', 'answered'
    UNION ALL SELECT '2025-06-18 10:00:00', '2025-06-27 10:00:00', '14', 'answered'
    UNION ALL SELECT '2026-01-07 10:00:00', NULL, '01', 'asked'
    UNION ALL SELECT '2026-03-02 10:00:00', '2026-03-03 10:00:00', '01', 'answered'
);
COMMIT;
