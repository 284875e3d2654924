-- ref-d: 12-month repetition (DuckDB anchor).
-- Same reading as sqlite/ref-d.sql: for each act, the number of acts of the
-- person in (t, t + 365 days] (RANGE frame from 1 second after); the row of
-- the first act of each person and year decides the numerator (arg_min: acts
-- tied at that time share the frame, so any of them gives the same count).
-- (A row_number() = 1 filter here hits an internal error in DuckDB 1.5.6's
-- TopNWindowElimination optimizer.)
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
sexes(sex) AS (VALUES ('F'), ('M')),
acts AS (
    SELECT person_id, act_time, year(make_timestamp(act_time * 1000000)) AS period,
           count(*) OVER (PARTITION BY person_id ORDER BY act_time
                          RANGE BETWEEN 1 FOLLOWING AND 31536000 FOLLOWING) AS later
    FROM self_harm_act
),
firsts AS (
    SELECT person_id, period, arg_min(later, act_time) AS later
    FROM acts
    GROUP BY person_id, period
),
agg AS (
    SELECT f.period, p.region_code AS region, p.sex,
           count(*) AS den, count(*) FILTER (WHERE f.later > 0) AS num
    FROM firsts f JOIN person p ON p.id = f.person_id
    WHERE f.period BETWEEN 2020 AND 2024
      AND f.period - p.birth_year BETWEEN 10 AND 24 AND p.region_code IS NOT NULL
    GROUP BY f.period, p.region_code, p.sex
),
cells AS (
    SELECT y.period, r.code AS region, s.sex,
           coalesce(a.num, 0) AS numerator, coalesce(a.den, 0) AS denominator
    FROM years y CROSS JOIN region r CROSS JOIN sexes s
    LEFT JOIN agg a ON a.period = y.period AND a.region = r.code AND a.sex = s.sex
)
SELECT 'ref-d' AS indicator, 'share' AS measure, period, region, sex, 'all' AS band,
       numerator, denominator,
       printf('%.17g', CASE WHEN denominator > 0
                            THEN CAST(100 AS DOUBLE) * numerator / denominator END) AS value
FROM cells
ORDER BY indicator, measure, period, region, sex, band;
