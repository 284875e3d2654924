-- vf-child-assess-median (SQLite anchor, from data/indicators/vf-child-assess-median.ind and
-- docs/indicators.md alone). Anchors: pathway_step rows of pathway child, step
-- 1_first_contact, period = year of step_time 2020-2024, every age. Geo person
-- (home region; none: the nation only). Cells: nation and the 21 regions x
-- T/F/M, band all, every cell present.
-- median = median days to first step(pathway child; step 2_assessment) in start
-- [0d, 180d]: for each anchor the first pathway_step of the person of pathway
-- child, step 2_assessment, at t with 0 <= t - anchor time <= 180 days
-- (15,552,000 s); the lead t - anchor time in days; anchors without one are
-- left out. Value the median of the leads (mean of the middle two for an
-- even count; empty when none); numerator empty, denominator the anchors
-- with a lead.
-- Version 1 (periods before 2024) as above; version 2 (from 2024) also
-- observed start 180d: only anchors with step_time + 180 days <= the data's
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
leads AS (
    SELECT a.id, a.person_id, a.period, p.sex, p.region_code AS region,
           (min(b.step_time) - a.step_time) / 86400.0 AS lead
    FROM (SELECT *, CAST(strftime('%Y', step_time, 'unixepoch') AS INTEGER) AS period
          FROM pathway_step) a
    JOIN person p ON p.id = a.person_id
    JOIN pathway_step b ON b.person_id = a.person_id AND b.id <> a.id
                       AND b.pathway = 'child' AND b.step = '2_assessment'
                       AND b.step_time - a.step_time BETWEEN 0 AND 180 * 86400
    WHERE a.pathway = 'child' AND a.step = '1_first_contact'
      AND a.period BETWEEN 2020 AND 2024
      AND (a.period < 2024 OR a.step_time + 180 * 86400 <= (SELECT t FROM data_end))
    GROUP BY a.id
),
placed AS (
    SELECT l.*, g.geo_level, g.geo, s.sex AS csex
    FROM leads l
    JOIN geos g ON g.geo_level = 'nation' OR g.geo = l.region
    JOIN sexes s ON s.sex = 'T' OR s.sex = l.sex
),
ranked AS (
    SELECT period, geo_level, geo, csex AS sex, lead,
           row_number() OVER (PARTITION BY period, geo_level, geo, csex ORDER BY lead) AS rn,
           count(*) OVER (PARTITION BY period, geo_level, geo, csex) AS n
    FROM placed
),
med AS (
    SELECT period, geo_level, geo, sex, n, avg(lead) AS median
    FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
    GROUP BY period, geo_level, geo, sex, n
),
cells AS (
    SELECT y.period, g.geo_level, g.geo, s.sex, 'all' AS band,
           coalesce(m.n, 0) AS n, m.median
    FROM years y CROSS JOIN geos g CROSS JOIN sexes s
    LEFT JOIN med m ON m.period = y.period AND m.geo_level = g.geo_level AND m.geo = g.geo
                   AND m.sex = s.sex
)
SELECT 'vf-child-assess-median' AS indicator, 'median' AS measure, period, geo_level, geo, sex, band,
       NULL AS numerator, n AS denominator, median AS value
FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
