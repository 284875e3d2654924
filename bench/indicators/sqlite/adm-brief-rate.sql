-- adm-brief-rate (SQLite anchor, from data/indicators/adm-brief-rate.ind and
-- docs/indicators.md alone). Anchors: inpatient stays (contact_type
-- 'inpatient') that are brief admissions by self-referral (brief_admission
-- 1), any unit, period = year of admission (start_time) 2020-2024, age =
-- period - birth_year in 10-24. Geo person (home region; none: the nation
-- only). Cells: nation and the 21 regions x T/F/M, band all, every cell.
-- rate = distinct persons per 100,000 of the population of the cell's
-- region(s), sex(es) and ages 10-24 (the one population year, every period);
-- persons = distinct persons; stays = anchors; care_days = sum of end - start
-- over the stays with an end (whole seconds summed, divided once by 86400);
-- its denominator = the stays with an end.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
geos(geo_level, geo) AS (SELECT 'nation', 'SE' UNION ALL SELECT 'region', code FROM region),
sexes(sex) AS (VALUES ('T'), ('F'), ('M')),
bands(band, lo, hi) AS (VALUES ('all', 10, 24)),
anchors AS (
    SELECT c.person_id, c.start_time, c.end_time, c.period, c.period - p.birth_year AS age,
           p.sex, p.region_code AS region
    FROM (SELECT *, CAST(strftime('%Y', start_time, 'unixepoch') AS INTEGER) AS period
          FROM contact WHERE contact_type = 'inpatient') c
    JOIN care_unit u ON u.id = c.unit_id
    JOIN person p ON p.id = c.person_id
    WHERE c.brief_admission = 1
      AND c.period - p.birth_year BETWEEN 10 AND 24
      AND c.period BETWEEN 2020 AND 2024
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
           count(*) AS events, count(DISTINCT person_id) AS persons,
           count(end_time) AS ended, sum(end_time - start_time) AS seconds
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
           coalesce(a.ended, 0) AS ended, coalesce(a.seconds, 0) / 86400.0 AS days,
           coalesce(pop.population, 0) AS population
    FROM years y CROSS JOIN geos g CROSS JOIN sexes s CROSS JOIN bands b
    LEFT JOIN agg a ON a.period = y.period AND a.geo_level = g.geo_level AND a.geo = g.geo
                   AND a.sex = s.sex AND a.band = b.band
    LEFT JOIN pop ON pop.geo_level = g.geo_level AND pop.geo = g.geo AND pop.sex = s.sex
                 AND pop.band = b.band
)
SELECT 'adm-brief-rate' AS indicator, 'rate' AS measure, period, geo_level, geo, sex, band,
       persons AS numerator, population AS denominator,
       CASE WHEN population > 0 THEN persons * 100000.0 / population END AS value
FROM cells
UNION ALL
SELECT 'adm-brief-rate', 'persons', period, geo_level, geo, sex, band, persons, NULL, persons FROM cells
UNION ALL
SELECT 'adm-brief-rate', 'stays', period, geo_level, geo, sex, band, events, NULL, events FROM cells
UNION ALL
SELECT 'adm-brief-rate', 'care_days', period, geo_level, geo, sex, band, days, ended, days FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
