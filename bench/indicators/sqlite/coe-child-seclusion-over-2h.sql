-- coe-child-seclusion-over-2h (SQLite anchor, from data/indicators/coe-child-seclusion-over-2h.ind and
-- docs/indicators.md alone). Anchors: coercive_measure rows (every row is a
-- measure, extensions included) of type avskiljning with an end and
-- end_time - start_time > 7200 s (duration > 2h), period = year of
-- start_time 2020-2024, age = period - birth_year in 0-17. Geo person (home
-- region; none: the nation only). Cells: nation and the 21 regions x T/F/M,
-- band all, every cell present.
-- episodes = anchors; persons = distinct persons.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
geos(geo_level, geo) AS (SELECT 'nation', 'SE' UNION ALL SELECT 'region', code FROM region),
sexes(sex) AS (VALUES ('T'), ('F'), ('M')),
anchors AS (
    SELECT m.person_id, m.period, p.sex, p.region_code AS region
    FROM (SELECT *, CAST(strftime('%Y', start_time, 'unixepoch') AS INTEGER) AS period
          FROM coercive_measure) m
    JOIN person p ON p.id = m.person_id
    WHERE m.measure_type = 'avskiljning'
      AND m.end_time IS NOT NULL AND m.end_time - m.start_time > 7200
      AND m.period - p.birth_year BETWEEN 0 AND 17
      AND m.period BETWEEN 2020 AND 2024
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
SELECT 'coe-child-seclusion-over-2h' AS indicator, 'episodes' AS measure, period, geo_level, geo, sex, band,
       events AS numerator, NULL AS denominator, events AS value
FROM cells
UNION ALL
SELECT 'coe-child-seclusion-over-2h', 'persons', period, geo_level, geo, sex, band, persons, NULL, persons FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
