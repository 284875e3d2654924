-- sh-repeat-6m (SQLite anchor, from data/indicators/sh-repeat-6m.ind and
-- docs/indicators.md alone). Anchors: self_harm_act rows with cause X60-X84
-- or Y10-Y34 (the first three characters of the code), period = year of
-- act_time 2020-2024, age = period - birth_year in 10-24; of these the first
-- of each person in each period (earliest act_time; a tie by id). Geo person
-- (home region; none: the nation only). Cells: nation and the 21 regions x
-- T/F/M, band all, every cell present.
-- share = proportion has act in start (0d, 182d]: the share (per cent) of
-- anchors for which the person has another act (any act, not the anchor
-- itself) at t with 0 < t - anchor time <= 182 days (15,724,800 s); the
-- later act may lie in another year, at any age. Numerator the anchors with
-- one, denominator the anchors; empty when there are none.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
geos(geo_level, geo) AS (SELECT 'nation', 'SE' UNION ALL SELECT 'region', code FROM region),
sexes(sex) AS (VALUES ('T'), ('F'), ('M')),
kept AS (
    SELECT a.id, a.person_id, a.act_time, a.period, p.sex, p.region_code AS region,
           row_number() OVER (PARTITION BY a.person_id, a.period ORDER BY a.act_time, a.id) AS rn
    FROM (SELECT *, CAST(strftime('%Y', act_time, 'unixepoch') AS INTEGER) AS period
          FROM self_harm_act) a
    JOIN person p ON p.id = a.person_id
    WHERE (substr(a.cause_code, 1, 3) BETWEEN 'X60' AND 'X84'
           OR substr(a.cause_code, 1, 3) BETWEEN 'Y10' AND 'Y34')
      AND a.period - p.birth_year BETWEEN 10 AND 24
),
firsts AS MATERIALIZED (
    SELECT * FROM kept WHERE rn = 1 AND period BETWEEN 2020 AND 2024
),
-- the relation as a join (SQLite indexes it on the fly; a correlated
-- subquery would scan the table for every anchor)
hits AS (
    SELECT DISTINCT f.id
    FROM firsts f JOIN self_harm_act b ON b.person_id = f.person_id AND b.id <> f.id
    WHERE b.act_time - f.act_time > 0 AND b.act_time - f.act_time <= 182 * 86400
),
anchors AS MATERIALIZED (
    SELECT f.*, h.id IS NOT NULL AS hit
    FROM firsts f LEFT JOIN hits h ON h.id = f.id
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
SELECT 'sh-repeat-6m' AS indicator, 'share' AS measure, period, geo_level, geo, sex, band,
       num AS numerator, den AS denominator, CASE WHEN den > 0 THEN num * 100.0 / den END AS value
FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
