-- ref-d: 12-month repetition (SQLite anchor).
-- Denominator: persons aged 10-24 (year - birth_year) with >= 1 self_harm_act
-- in the year, by home region and sex. Numerator: those whose first act in
-- the year (earliest act_time; ties at that time are one moment) is followed
-- by another act of the same person at t with 0 < t - t0 <= 365 days; the
-- later act may fall in the next year. Value: 100 * numerator / denominator.
-- Times are whole seconds, so "strictly later" is the RANGE frame starting
-- 1 second after the row; acts tied with t0 are not "later".
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
sexes(sex) AS (VALUES ('F'), ('M')),
acts AS (
    SELECT person_id, act_time,
           CAST(strftime('%Y', act_time, 'unixepoch') AS INTEGER) AS period,
           count(*) OVER (PARTITION BY person_id ORDER BY act_time
                          RANGE BETWEEN 1 FOLLOWING AND 31536000 FOLLOWING) AS later
    FROM self_harm_act
),
firsts AS (
    SELECT person_id, period, later,
           row_number() OVER (PARTITION BY person_id, period ORDER BY act_time) AS rn
    FROM acts
),
agg AS (
    SELECT f.period, p.region_code AS region, p.sex,
           count(*) AS den, sum(f.later > 0) AS num
    FROM firsts f JOIN person p ON p.id = f.person_id
    WHERE f.rn = 1 AND f.period BETWEEN 2020 AND 2024
      AND f.period - p.birth_year BETWEEN 10 AND 24 AND p.region_code IS NOT NULL
    GROUP BY f.period, p.region_code, p.sex
),
cells AS (
    SELECT y.period, r.code AS region, s.sex,
           coalesce(a.num, 0) AS numerator, coalesce(a.den, 0) AS denominator
    FROM years y CROSS JOIN region r CROSS JOIN sexes s
    LEFT JOIN agg a ON a.period = y.period AND a.region = r.code AND a.sex = s.sex
),
vals AS (
    SELECT *, CASE WHEN denominator > 0 THEN 100.0 * numerator / denominator END AS x FROM cells
),
fmt AS (SELECT *, printf('%!.17g', x) AS s FROM vals)
SELECT 'ref-d' AS indicator, 'share' AS measure, period, region, sex, 'all' AS band,
       numerator, denominator,
       CASE WHEN x IS NULL THEN NULL WHEN s LIKE '%.0' THEN substr(s, 1, length(s) - 2) ELSE s END AS value
FROM fmt
ORDER BY indicator, measure, period, region, sex, band;
