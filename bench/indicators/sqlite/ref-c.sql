-- ref-c: coercive measures among young people (SQLite anchor).
-- coercive_measure rows starting in the year (year of start_time), person
-- aged 10-24 (year - birth_year), by home region and sex: persons (distinct),
-- episodes (rows) and hours (sum of end - start over rows with an end_time).
-- Hours are summed in whole seconds and divided once (exact, order-free).
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
sexes(sex) AS (VALUES ('F'), ('M')),
measures(measure) AS (VALUES ('episodes'), ('hours'), ('persons')),
cm AS (
    SELECT person_id, start_time, end_time,
           CAST(strftime('%Y', start_time, 'unixepoch') AS INTEGER) AS period
    FROM coercive_measure
),
agg AS (
    SELECT c.period, p.region_code AS region, p.sex,
           count(DISTINCT c.person_id) AS persons, count(*) AS episodes,
           coalesce(sum(c.end_time - c.start_time), 0) AS seconds
    FROM cm c JOIN person p ON p.id = c.person_id
    WHERE c.period BETWEEN 2020 AND 2024 AND c.period - p.birth_year BETWEEN 10 AND 24
      AND p.region_code IS NOT NULL
    GROUP BY c.period, p.region_code, p.sex
),
cells AS (
    SELECT m.measure, y.period, r.code AS region, s.sex,
           coalesce(a.persons, 0) AS persons, coalesce(a.episodes, 0) AS episodes,
           coalesce(a.seconds, 0) / 3600.0 AS hours
    FROM measures m CROSS JOIN years y CROSS JOIN region r CROSS JOIN sexes s
    LEFT JOIN agg a ON a.period = y.period AND a.region = r.code AND a.sex = s.sex
),
fmt AS (SELECT *, printf('%!.17g', hours) AS s FROM cells),
out AS (
    SELECT measure, period, region, sex,
           CASE measure
               WHEN 'persons' THEN CAST(persons AS TEXT)
               WHEN 'episodes' THEN CAST(episodes AS TEXT)
               ELSE CASE WHEN s LIKE '%.0' THEN substr(s, 1, length(s) - 2) ELSE s END
           END AS v
    FROM fmt
)
SELECT 'ref-c' AS indicator, measure, period, region, sex, 'all' AS band,
       v AS numerator, NULL AS denominator, v AS value
FROM out
ORDER BY indicator, measure, period, region, sex, band;
