-- vf-adult-assess-7d (SQLite anchor, from data/indicators/vf-adult-assess-7d.ind and
-- docs/indicators.md alone). Anchors: pathway_step rows of pathway adult, step
-- 1_first_contact, period = year of step_time 2020-2024, every age. Geo person
-- (home region; none: the nation only). Cells: nation and the 21 regions x
-- T/F/M, band all, every cell present.
-- share = proportion has step(pathway adult; step 2_assessment) in start
-- [0d, 7d]: the share (per cent) of anchors for which the person has a
-- pathway_step of pathway adult, step 2_assessment, at t with 0 <= t - anchor
-- time <= 7 days (604,800 s); numerator those, denominator the anchors.
-- Version 1 (periods before 2024) as above; version 2 (from 2024) also
-- observed start 7d: only anchors with step_time + 7 days <= the data's
-- end, the latest start or end of any event of any table (deaths aside).
WITH
data_end(t) AS (
    SELECT max(t) FROM (
        SELECT max(start_time) AS t FROM contact UNION ALL SELECT max(end_time) FROM contact
        UNION ALL SELECT max(act_time) FROM self_harm_act
        UNION ALL SELECT max(start_time) FROM coercive_measure
        UNION ALL SELECT max(end_time) FROM coercive_measure
        UNION ALL SELECT max(assessment_time) FROM assessment
        UNION ALL SELECT max(plan_time) FROM care_plan
        UNION ALL SELECT max(start_time) FROM treatment
        UNION ALL SELECT max(end_time) FROM treatment
        UNION ALL SELECT max(follow_up_time) FROM follow_up
        UNION ALL SELECT max(step_time) FROM pathway_step)
),
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
geos(geo_level, geo) AS (SELECT 'nation', 'SE' UNION ALL SELECT 'region', code FROM region),
sexes(sex) AS (VALUES ('T'), ('F'), ('M')),
base AS MATERIALIZED (
    SELECT a.id, a.person_id, a.step_time, a.period, p.sex, p.region_code AS region
    FROM (SELECT *, CAST(strftime('%Y', step_time, 'unixepoch') AS INTEGER) AS period
          FROM pathway_step) a
    JOIN person p ON p.id = a.person_id
    WHERE a.pathway = 'adult' AND a.step = '1_first_contact'
      AND a.period BETWEEN 2020 AND 2024
      AND (a.period < 2024 OR a.step_time + 7 * 86400 <= (SELECT t FROM data_end))
),
-- the relation as a join (SQLite indexes it on the fly; a correlated
-- subquery would scan the table for every anchor)
hits AS (
    SELECT DISTINCT a.id
    FROM base a JOIN pathway_step b ON b.person_id = a.person_id AND b.id <> a.id
    WHERE b.pathway = 'adult'
      AND b.step = '2_assessment'
      AND b.step_time - a.step_time BETWEEN 0 AND 7 * 86400
),
anchors AS MATERIALIZED (
    SELECT a.*, h.id IS NOT NULL AS hit
    FROM base a LEFT JOIN hits h ON h.id = a.id
),
placed AS (
    SELECT a.*, g.geo_level, g.geo, s.sex AS csex
    FROM anchors a
    JOIN geos g ON g.geo_level = 'nation' OR g.geo = a.region
    JOIN sexes s ON s.sex = 'T' OR s.sex = a.sex
),
agg AS (
    SELECT period, geo_level, geo, csex AS sex, count(*) AS den, sum(hit) AS num
    FROM placed GROUP BY period, geo_level, geo, csex
),
cells AS (
    SELECT y.period, g.geo_level, g.geo, s.sex, 'all' AS band,
           coalesce(a.num, 0) AS num, coalesce(a.den, 0) AS den
    FROM years y CROSS JOIN geos g CROSS JOIN sexes s
    LEFT JOIN agg a ON a.period = y.period AND a.geo_level = g.geo_level AND a.geo = g.geo
                   AND a.sex = s.sex
)
SELECT 'vf-adult-assess-7d' AS indicator, 'share' AS measure, period, geo_level, geo, sex, band,
       num AS numerator, den AS denominator, CASE WHEN den > 0 THEN num * 100.0 / den END AS value
FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
