-- sh-young-rate-band (SQLite anchor, from data/indicators/sh-young-rate-band.ind and
-- docs/indicators.md alone). Anchors: self_harm_act rows with cause X60-X84
-- or Y10-Y34 (a code matches its subdivisions: the first three characters),
-- period = year of act_time 2020-2024, age = period - birth_year in 10-24.
-- Geo person: the home region; persons without one count in the nation only.
-- Cells: nation and the 21 regions x T/F/M x bands all, 10-14, 15-19, 20-24
-- (age at the anchor's period), every cell present.
-- rate = distinct persons per 100,000 of the population of the cell's
-- region(s), sex(es) and ages (10-24 cut by the band; the one population
-- year, every period); persons = distinct persons.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
geos(geo_level, geo) AS (SELECT 'nation', 'SE' UNION ALL SELECT 'region', code FROM region),
sexes(sex) AS (VALUES ('T'), ('F'), ('M')),
bands(band, lo, hi) AS (VALUES ('all', 10, 24), ('10-14', 10, 14), ('15-19', 15, 19), ('20-24', 20, 24)),
anchors AS (
    SELECT a.person_id, a.period, a.period - p.birth_year AS age, p.sex, p.region_code AS region
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
    SELECT a.*, g.geo_level, g.geo, s.sex AS csex, b.band
    FROM anchors a
    JOIN geos g ON g.geo_level = 'nation' OR g.geo = a.region
    JOIN sexes s ON s.sex = 'T' OR s.sex = a.sex
    JOIN bands b ON a.age BETWEEN b.lo AND b.hi
),
agg AS (
    SELECT period, geo_level, geo, csex AS sex, band,
           count(*) AS events, count(DISTINCT person_id) AS persons
    FROM placed GROUP BY period, geo_level, geo, csex, band
),
pop AS (
    SELECT g.geo_level, g.geo, s.sex, b.band, sum(p.population) AS population
    FROM geos g CROSS JOIN sexes s CROSS JOIN bands b
    JOIN population p ON p.year = (SELECT max(year) FROM population)
        AND (g.geo_level = 'nation' OR p.region_code = g.geo)
        AND (s.sex = 'T' OR p.sex = s.sex)
        AND p.age BETWEEN b.lo AND b.hi AND p.age BETWEEN 10 AND 24
    GROUP BY g.geo_level, g.geo, s.sex, b.band
),
cells AS (
    SELECT y.period, g.geo_level, g.geo, s.sex, b.band,
           coalesce(a.events, 0) AS events, coalesce(a.persons, 0) AS persons,
           coalesce(pop.population, 0) AS population
    FROM years y CROSS JOIN geos g CROSS JOIN sexes s CROSS JOIN bands b
    LEFT JOIN agg a ON a.period = y.period AND a.geo_level = g.geo_level AND a.geo = g.geo
                   AND a.sex = s.sex AND a.band = b.band
    LEFT JOIN pop ON pop.geo_level = g.geo_level AND pop.geo = g.geo AND pop.sex = s.sex
                 AND pop.band = b.band
)
SELECT 'sh-young-rate-band' AS indicator, 'rate' AS measure, period, geo_level, geo, sex, band,
       persons AS numerator, population AS denominator,
       CASE WHEN population > 0 THEN persons * 100000.0 / population END AS value
FROM cells
UNION ALL
SELECT 'sh-young-rate-band', 'persons', period, geo_level, geo, sex, band, persons, NULL, persons FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
