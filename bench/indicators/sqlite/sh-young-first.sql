-- sh-young-first (SQLite anchor, from data/indicators/sh-young-first.ind and
-- docs/indicators.md alone). Anchors: self_harm_act rows with cause X60-X84
-- or Y10-Y34 (the first three characters of the code), age = period -
-- birth_year in 10-24 (period = year of act_time), and no act in start
-- [-365d, 0d): no other act of the person at t with -365 days <= t - anchor
-- time < 0; of the acts left, the first of each person in each period
-- (earliest act_time; a tie by id); periods 2020-2024. Geo person (home
-- region; none: the nation only). Cells: nation and the 21 regions x T/F/M,
-- band all, every cell present.
-- rate = distinct persons per 100,000 of the population of the cell's
-- region(s), sex(es) and ages 10-24 (the one population year, every
-- period); persons = distinct persons;
-- repeat_12m = proportion has act in start (0d, 365d]: the share (per cent)
-- of anchors followed by another act of the person at t with 0 < t - anchor
-- time <= 365 days; numerator those, denominator the anchors.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
geos(geo_level, geo) AS (SELECT 'nation', 'SE' UNION ALL SELECT 'region', code FROM region),
sexes(sex) AS (VALUES ('T'), ('F'), ('M')),
bands(band, lo, hi) AS (VALUES ('all', 10, 24)),
acts AS MATERIALIZED (
    SELECT a.id, a.person_id, a.act_time, a.period, a.period - p.birth_year AS age,
           p.sex, p.region_code AS region
    FROM (SELECT *, CAST(strftime('%Y', act_time, 'unixepoch') AS INTEGER) AS period
          FROM self_harm_act) a
    JOIN person p ON p.id = a.person_id
    WHERE (substr(a.cause_code, 1, 3) BETWEEN 'X60' AND 'X84'
           OR substr(a.cause_code, 1, 3) BETWEEN 'Y10' AND 'Y34')
      AND a.period - p.birth_year BETWEEN 10 AND 24
),
-- the relations as joins (SQLite indexes them on the fly; a correlated
-- subquery would scan the table for every anchor)
blocked AS (
    SELECT DISTINCT a.id
    FROM acts a JOIN self_harm_act b ON b.person_id = a.person_id AND b.id <> a.id
    WHERE b.act_time - a.act_time >= -365 * 86400 AND b.act_time - a.act_time < 0
),
candidates AS (
    SELECT * FROM acts WHERE id NOT IN (SELECT id FROM blocked)
),
kept AS (
    SELECT *, row_number() OVER (PARTITION BY person_id, period ORDER BY act_time, id) AS rn
    FROM candidates
),
firsts AS MATERIALIZED (
    SELECT * FROM kept WHERE rn = 1 AND period BETWEEN 2020 AND 2024
),
hits AS (
    SELECT DISTINCT f.id
    FROM firsts f JOIN self_harm_act b ON b.person_id = f.person_id AND b.id <> f.id
    WHERE b.act_time - f.act_time > 0 AND b.act_time - f.act_time <= 365 * 86400
),
anchors AS MATERIALIZED (
    SELECT f.*, h.id IS NOT NULL AS hit
    FROM firsts f LEFT JOIN hits h ON h.id = f.id
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
           count(*) AS den, sum(hit) AS num, count(DISTINCT person_id) AS persons
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
           coalesce(a.num, 0) AS num, coalesce(a.den, 0) AS den,
           coalesce(a.persons, 0) AS persons, coalesce(pop.population, 0) AS population
    FROM years y CROSS JOIN geos g CROSS JOIN sexes s CROSS JOIN bands b
    LEFT JOIN agg a ON a.period = y.period AND a.geo_level = g.geo_level AND a.geo = g.geo
                   AND a.sex = s.sex AND a.band = b.band
    LEFT JOIN pop ON pop.geo_level = g.geo_level AND pop.geo = g.geo AND pop.sex = s.sex
                 AND pop.band = b.band
)
SELECT 'sh-young-first' AS indicator, 'rate' AS measure, period, geo_level, geo, sex, band,
       persons AS numerator, population AS denominator,
       CASE WHEN population > 0 THEN persons * 100000.0 / population END AS value
FROM cells
UNION ALL
SELECT 'sh-young-first', 'persons', period, geo_level, geo, sex, band, persons, NULL, persons FROM cells
UNION ALL
SELECT 'sh-young-first', 'repeat_12m', period, geo_level, geo, sex, band, num, den,
       CASE WHEN den > 0 THEN num * 100.0 / den END FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
