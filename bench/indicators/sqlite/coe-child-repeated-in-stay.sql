-- coe-child-repeated-in-stay (SQLite anchor, from
-- data/indicators/coe-child-repeated-in-stay.ind and docs/indicators.md alone).
-- Anchors: inpatient stays (contact rows of type inpatient), period = year of
-- start_time 2020-2024, age = period - birth_year in 0-17, with at least 4
-- coercive_measure rows of the same person of type fastspanning or avskiljning
-- whose start_time lies in [the stay's start_time, its end_time] (`during`;
-- a stay without an end: up to the data's end, the latest start or end of
-- any event). Found by time, not by the measure's stay_id (relations never
-- read links). Geo person (home region; none: the nation only). Cells:
-- nation and the 21 regions x T/F/M, band all, every cell present.
-- episodes = anchors; persons = distinct persons.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
geos(geo_level, geo) AS (SELECT 'nation', 'SE' UNION ALL SELECT 'region', code FROM region),
sexes(sex) AS (VALUES ('T'), ('F'), ('M')),
data_end(t) AS (
    SELECT max(t) FROM (
        SELECT max(start_time) AS t FROM contact UNION ALL SELECT max(end_time) FROM contact
        UNION ALL SELECT max(act_time) FROM self_harm_act
        UNION ALL SELECT max(start_time) FROM coercive_measure
        UNION ALL SELECT max(end_time) FROM coercive_measure
        UNION ALL SELECT max(assessment_time) FROM assessment
        UNION ALL SELECT max(plan_time) FROM care_plan
        UNION ALL SELECT max(start_time) FROM treatment UNION ALL SELECT max(end_time) FROM treatment
        UNION ALL SELECT max(follow_up_time) FROM follow_up
        UNION ALL SELECT max(step_time) FROM pathway_step)
),
anchors AS (
    SELECT c.person_id, c.period, p.sex, p.region_code AS region
    FROM (SELECT *, CAST(strftime('%Y', start_time, 'unixepoch') AS INTEGER) AS period
          FROM contact WHERE contact_type = 'inpatient') c
    JOIN person p ON p.id = c.person_id
    WHERE c.period - p.birth_year BETWEEN 0 AND 17
      AND c.period BETWEEN 2020 AND 2024
      AND (SELECT count(*) FROM coercive_measure m
           WHERE m.person_id = c.person_id
             AND m.measure_type IN ('fastspanning', 'avskiljning')
             AND m.start_time >= c.start_time
             AND m.start_time <= coalesce(c.end_time, (SELECT t FROM data_end))) >= 4
),
placed AS (
    SELECT a.*, g.geo_level, g.geo, s.sex AS csex
    FROM anchors a
    JOIN geos g ON g.geo_level = 'nation' OR g.geo = a.region
    JOIN sexes s ON s.sex = 'T' OR s.sex = a.sex
),
agg AS (
    SELECT period, geo_level, geo, csex AS sex, count(*) AS events,
           count(DISTINCT person_id) AS persons
    FROM placed GROUP BY period, geo_level, geo, csex
),
cells AS (
    SELECT y.period, g.geo_level, g.geo, s.sex, 'all' AS band,
           coalesce(a.events, 0) AS events, coalesce(a.persons, 0) AS persons
    FROM years y CROSS JOIN geos g CROSS JOIN sexes s
    LEFT JOIN agg a ON a.period = y.period AND a.geo_level = g.geo_level AND a.geo = g.geo
                   AND a.sex = s.sex
)
SELECT 'coe-child-repeated-in-stay' AS indicator, 'episodes' AS measure, period, geo_level, geo, sex, band,
       events AS numerator, NULL AS denominator, events AS value
FROM cells
UNION ALL
SELECT 'coe-child-repeated-in-stay', 'persons', period, geo_level, geo, sex, band, persons, NULL, persons FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
