-- vf-followup-7d (SQLite anchor, from data/indicators/vf-followup-7d.ind and
-- docs/indicators.md alone). Anchors: inpatient stays (contact_type
-- 'inpatient'), any unit, with cause X60-X84 or Y10-Y34 (the stay's
-- cause_code; the first three characters), with an end (period of end),
-- period = year of end_time 2020-2024, age = period - birth_year in 10-24,
-- and
--   no stay in end [0h, 24h]: no other inpatient stay of the person starting
--     at t with 0 <= t - anchor end <= 24 hours (86,400 s);
--   no death in end [0d, 7d]: the person's death, at the last second of the
--     date of death (death_date * 86400 + 86399), not at 0 <= t - end <= 7 days;
--   observed end 7d: end + 7 days <= the data's end, the latest start or end
--     of any event of any table (deaths aside).
-- Geo unit: the region of the stay's care unit. Cells: nation and the 21
-- regions x T/F/M (the person's sex), band all, every cell present.
-- share = proportion has followup in end [0d, 7d]: the share (per cent) of
-- anchors for which the person has a follow_up (linked to the stay or not)
-- at t with 0 <= t - end <= 7 days (604,800 s); numerator those,
-- denominator the anchors.
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
candidates AS MATERIALIZED (
    SELECT a.id, a.person_id, a.end_time, a.period, p.sex, u.region_code AS region,
           p.death_date
    FROM (SELECT *, CAST(strftime('%Y', end_time, 'unixepoch') AS INTEGER) AS period
          FROM contact WHERE contact_type = 'inpatient' AND end_time IS NOT NULL) a
    JOIN care_unit u ON u.id = a.unit_id
    JOIN person p ON p.id = a.person_id
    WHERE (substr(a.cause_code, 1, 3) BETWEEN 'X60' AND 'X84'
           OR substr(a.cause_code, 1, 3) BETWEEN 'Y10' AND 'Y34')
      AND a.period - p.birth_year BETWEEN 10 AND 24
      AND a.period BETWEEN 2020 AND 2024
),
-- the relations as joins (SQLite indexes them on the fly; a correlated
-- subquery would scan the table for every anchor)
readmitted AS (
    SELECT DISTINCT a.id
    FROM candidates a JOIN contact b ON b.person_id = a.person_id AND b.id <> a.id
    WHERE b.contact_type = 'inpatient' AND b.start_time - a.end_time BETWEEN 0 AND 24 * 3600
),
base AS MATERIALIZED (
    SELECT * FROM candidates
    WHERE id NOT IN (SELECT id FROM readmitted)
      AND end_time + 7 * 86400 <= (SELECT t FROM data_end)
      AND NOT (death_date IS NOT NULL
               AND death_date * 86400 + 86399 - end_time BETWEEN 0 AND 7 * 86400)
),
hits AS (
    SELECT DISTINCT a.id
    FROM base a JOIN follow_up f ON f.person_id = a.person_id
    WHERE f.follow_up_time - a.end_time BETWEEN 0 AND 7 * 86400
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
SELECT 'vf-followup-7d' AS indicator, 'share' AS measure, period, geo_level, geo, sex, band,
       num AS numerator, den AS denominator, CASE WHEN den > 0 THEN num * 100.0 / den END AS value
FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
