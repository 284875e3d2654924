-- coe-young-fastspanning (SQLite anchor, from data/indicators/coe-young-fastspanning.ind and
-- docs/indicators.md alone). Anchors: coercive_measure rows (every row is a
-- measure, extensions included) of type fastspanning, period = year of start_time
-- 2020-2024, age = period - birth_year in 10-24. Geo person (home region;
-- none: the nation only). Cells: nation and the 21 regions x T/F/M x bands
-- all (10-24), 10-17, 18-24, every cell present.
-- rate = distinct persons per 100,000 of the population of the cell's
-- region(s), sex(es) and ages (10-24 cut by the band; the one population
-- year, every period); persons = distinct persons; episodes = anchors;
-- hours = sum of end - start over the measures with an end (whole seconds
-- summed, divided once by 3600), denominator the measures with an end;
-- median_hours = the median duration in hours of the measures with an end
-- (mean of the middle two for an even count; empty when none), numerator
-- empty, denominator the measures with an end.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
geos(geo_level, geo) AS (SELECT 'nation', 'SE' UNION ALL SELECT 'region', code FROM region),
sexes(sex) AS (VALUES ('T'), ('F'), ('M')),
bands(band, lo, hi) AS (VALUES ('all', 10, 24), ('10-17', 10, 17), ('18-24', 18, 24)),
anchors AS (
    SELECT m.person_id, m.start_time, m.end_time, m.period, m.period - p.birth_year AS age,
           p.sex, p.region_code AS region
    FROM (SELECT *, CAST(strftime('%Y', start_time, 'unixepoch') AS INTEGER) AS period
          FROM coercive_measure) m
    JOIN person p ON p.id = m.person_id
    WHERE m.measure_type = 'fastspanning'
      AND m.period - p.birth_year BETWEEN 10 AND 24
      AND m.period BETWEEN 2020 AND 2024
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
           coalesce(a.ended, 0) AS ended, coalesce(a.seconds, 0) / 3600.0 AS hours,
           coalesce(pop.population, 0) AS population
    FROM years y CROSS JOIN geos g CROSS JOIN sexes s CROSS JOIN bands b
    LEFT JOIN agg a ON a.period = y.period AND a.geo_level = g.geo_level AND a.geo = g.geo
                   AND a.sex = s.sex AND a.band = b.band
    LEFT JOIN pop ON pop.geo_level = g.geo_level AND pop.geo = g.geo AND pop.sex = s.sex
                 AND pop.band = b.band
),
-- median of the durations (hours) of the cell's measures with an end: the
-- mean of the rows numbered floor((n+1)/2) and floor((n+2)/2)
ranked AS (
    SELECT period, geo_level, geo, csex AS sex, band, (end_time - start_time) / 3600.0 AS h,
           row_number() OVER (PARTITION BY period, geo_level, geo, csex, band
                              ORDER BY end_time - start_time) AS rn,
           count(*) OVER (PARTITION BY period, geo_level, geo, csex, band) AS n
    FROM placed WHERE end_time IS NOT NULL
),
med AS (
    SELECT period, geo_level, geo, sex, band, avg(h) AS median
    FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
    GROUP BY period, geo_level, geo, sex, band
)
SELECT 'coe-young-fastspanning' AS indicator, 'rate' AS measure, period, geo_level, geo, sex, band,
       persons AS numerator, population AS denominator,
       CASE WHEN population > 0 THEN persons * 100000.0 / population END AS value
FROM cells
UNION ALL
SELECT 'coe-young-fastspanning', 'persons', period, geo_level, geo, sex, band, persons, NULL, persons FROM cells
UNION ALL
SELECT 'coe-young-fastspanning', 'episodes', period, geo_level, geo, sex, band, events, NULL, events FROM cells
UNION ALL
SELECT 'coe-young-fastspanning', 'hours', period, geo_level, geo, sex, band, hours, ended, hours FROM cells
UNION ALL
SELECT 'coe-young-fastspanning', 'median_hours', c.period, c.geo_level, c.geo, c.sex, c.band, NULL, c.ended, m.median
FROM cells c
LEFT JOIN med m ON m.period = c.period AND m.geo_level = c.geo_level AND m.geo = c.geo
               AND m.sex = c.sex AND m.band = c.band
ORDER BY 1, 2, 3, 4, 5, 6, 7;
