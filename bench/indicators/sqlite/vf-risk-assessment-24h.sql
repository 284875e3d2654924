-- vf-risk-assessment-24h (SQLite anchor, from data/indicators/vf-risk-assessment-24h.ind
-- and docs/indicators.md alone). Anchors: emergency visits (contact_type
-- 'emergency') with cause X60-X84 or Y10-Y34 (the visit's cause_code; the
-- first three characters), period = year of start_time 2020-2024, age =
-- period - birth_year in 10-24. Geo unit: the region of the visit's care
-- unit. Cells: nation and the 21 regions x T/F/M (the person's sex), band
-- all, every cell present.
-- share = proportion has assessment(type suicide_risk) in start [0h, 24h]:
-- the share (per cent) of visits for which the person has an assessment of
-- type suicide_risk at t with 0 <= t - start <= 24 hours (86,400 s, both
-- inclusive; linked to the visit or not); numerator those, denominator the
-- visits; empty when there are none.
-- Version 1 (periods before 2024) as above; version 2 (from 2024) also
-- observed start 24h: only visits with start_time + 24 hours <= the data's
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
    SELECT c.id, c.person_id, c.start_time, c.period, p.sex, u.region_code AS region
    FROM (SELECT *, CAST(strftime('%Y', start_time, 'unixepoch') AS INTEGER) AS period
          FROM contact WHERE contact_type = 'emergency') c
    JOIN care_unit u ON u.id = c.unit_id
    JOIN person p ON p.id = c.person_id
    WHERE (substr(c.cause_code, 1, 3) BETWEEN 'X60' AND 'X84'
           OR substr(c.cause_code, 1, 3) BETWEEN 'Y10' AND 'Y34')
      AND c.period - p.birth_year BETWEEN 10 AND 24
      AND c.period BETWEEN 2020 AND 2024
      AND (c.period < 2024 OR c.start_time + 24 * 3600 <= (SELECT t FROM data_end))
),
-- the relation as a join (SQLite indexes it on the fly; a correlated
-- subquery would scan the table for every anchor)
hits AS (
    SELECT DISTINCT a.id
    FROM base a JOIN assessment b ON b.person_id = a.person_id
    WHERE b.assessment_type = 'suicide_risk'
      AND b.assessment_time - a.start_time BETWEEN 0 AND 24 * 3600
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
SELECT 'vf-risk-assessment-24h' AS indicator, 'share' AS measure, period, geo_level, geo, sex, band,
       num AS numerator, den AS denominator, CASE WHEN den > 0 THEN num * 100.0 / den END AS value
FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
