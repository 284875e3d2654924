-- ref-b: inpatient care of young people (DuckDB anchor).
-- Same reading as sqlite/ref-b.sql (care days summed in seconds, divided once).
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
sexes(sex) AS (VALUES ('F'), ('M')),
measures(measure) AS (VALUES ('care_days'), ('persons'), ('stays')),
stays AS (
    SELECT person_id, start_time, end_time, year(make_timestamp(start_time * 1000000)) AS period
    FROM contact
    WHERE contact_type = 'inpatient'
),
agg AS (
    SELECT s.period, p.region_code AS region, p.sex,
           count(DISTINCT s.person_id) AS persons, count(*) AS stays,
           coalesce(sum(s.end_time - s.start_time), 0) AS seconds
    FROM stays s JOIN person p ON p.id = s.person_id
    WHERE s.period BETWEEN 2020 AND 2024 AND s.period - p.birth_year BETWEEN 10 AND 24
      AND p.region_code IS NOT NULL
    GROUP BY s.period, p.region_code, p.sex
),
cells AS (
    SELECT m.measure, y.period, r.code AS region, s.sex,
           CASE m.measure
               WHEN 'persons' THEN CAST(coalesce(a.persons, 0) AS VARCHAR)
               WHEN 'stays' THEN CAST(coalesce(a.stays, 0) AS VARCHAR)
               ELSE printf('%.17g', CAST(coalesce(a.seconds, 0) AS DOUBLE) / 86400)
           END AS v
    FROM measures m CROSS JOIN years y CROSS JOIN region r CROSS JOIN sexes s
    LEFT JOIN agg a ON a.period = y.period AND a.region = r.code AND a.sex = s.sex
)
SELECT 'ref-b' AS indicator, measure, period, region, sex, 'all' AS band,
       v AS numerator, NULL AS denominator, v AS value
FROM cells
ORDER BY indicator, measure, period, region, sex, band;
