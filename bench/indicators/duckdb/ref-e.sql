-- ref-e: follow-up within 7 days of discharge (DuckDB anchor).
-- Same reading as sqlite/ref-e.sql.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
sexes(sex) AS (VALUES ('F'), ('M')),
stays AS (
    SELECT c.id, c.person_id, c.end_time, year(make_timestamp(c.end_time * 1000000)) AS period
    FROM contact c
    WHERE c.contact_type = 'inpatient' AND c.end_time IS NOT NULL
),
followed AS (
    SELECT DISTINCT s.id
    FROM stays s JOIN follow_up f ON f.person_id = s.person_id
    WHERE f.follow_up_time BETWEEN s.end_time AND s.end_time + 604800
),
agg AS (
    SELECT s.period, p.region_code AS region, p.sex,
           count(*) AS den, count(fd.id) AS num
    FROM stays s JOIN person p ON p.id = s.person_id
    LEFT JOIN followed fd ON fd.id = s.id
    WHERE s.period BETWEEN 2020 AND 2024 AND s.period - p.birth_year BETWEEN 10 AND 24
      AND p.region_code IS NOT NULL
    GROUP BY s.period, p.region_code, p.sex
),
cells AS (
    SELECT y.period, r.code AS region, s.sex,
           coalesce(a.num, 0) AS numerator, coalesce(a.den, 0) AS denominator
    FROM years y CROSS JOIN region r CROSS JOIN sexes s
    LEFT JOIN agg a ON a.period = y.period AND a.region = r.code AND a.sex = s.sex
)
SELECT 'ref-e' AS indicator, 'share' AS measure, period, region, sex, 'all' AS band,
       numerator, denominator,
       printf('%.17g', CASE WHEN denominator > 0
                            THEN CAST(100 AS DOUBLE) * numerator / denominator END) AS value
FROM cells
ORDER BY indicator, measure, period, region, sex, band;
