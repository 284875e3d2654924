-- sh-young-municipality (SQLite anchor, from data/indicators/sh-young-municipality.ind
-- and docs/indicators.md alone). Anchors: self_harm_act rows with cause
-- X60-X84 or Y10-Y34 (the first three characters of the code), period = year
-- of act_time 2020-2024, age = period - birth_year in 10-24. Geo person:
-- breakdown region, municipality (no sex): the nation, the 21 regions and
-- every municipality of the municipality table, by the person's home
-- region and municipality; both sexes (T), band all; every cell present.
-- persons = distinct persons; acts = anchors.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
geos(geo_level, geo) AS (
    SELECT 'nation', 'SE'
    UNION ALL SELECT 'region', code FROM region
    UNION ALL SELECT 'municipality', code FROM municipality
),
anchors AS (
    SELECT a.person_id, a.period, p.region_code AS region, p.municipality
    FROM (SELECT person_id, cause_code,
                 CAST(strftime('%Y', act_time, 'unixepoch') AS INTEGER) AS period
          FROM self_harm_act) a
    JOIN person p ON p.id = a.person_id
    WHERE (substr(a.cause_code, 1, 3) BETWEEN 'X60' AND 'X84'
           OR substr(a.cause_code, 1, 3) BETWEEN 'Y10' AND 'Y34')
      AND a.period - p.birth_year BETWEEN 10 AND 24
      AND a.period BETWEEN 2020 AND 2024
),
placed AS (
    SELECT a.*, g.geo_level, g.geo
    FROM anchors a
    JOIN geos g ON g.geo_level = 'nation'
                OR (g.geo_level = 'region' AND g.geo = a.region)
                OR (g.geo_level = 'municipality' AND g.geo = a.municipality)
),
agg AS (
    SELECT period, geo_level, geo, count(*) AS events, count(DISTINCT person_id) AS persons
    FROM placed GROUP BY period, geo_level, geo
),
cells AS (
    SELECT y.period, g.geo_level, g.geo, 'T' AS sex, 'all' AS band,
           coalesce(a.events, 0) AS events, coalesce(a.persons, 0) AS persons
    FROM years y CROSS JOIN geos g
    LEFT JOIN agg a ON a.period = y.period AND a.geo_level = g.geo_level AND a.geo = g.geo
)
SELECT 'sh-young-municipality' AS indicator, 'persons' AS measure, period, geo_level, geo, sex, band,
       persons AS numerator, NULL AS denominator, persons AS value
FROM cells
UNION ALL
SELECT 'sh-young-municipality', 'acts', period, geo_level, geo, sex, band, events, NULL, events FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
