-- ref-b: inpatient care of young people (SQLite anchor).
-- Inpatient stays (contact_type 'inpatient') admitted in the year (year of
-- start_time), person aged 10-24 (year - birth_year), by home region and sex:
-- persons (distinct), stays (count) and care days (sum of end - start over
-- stays with an end_time, in days; open stays add none). Care days are summed
-- in whole seconds and divided once, so the sum is exact and order-free.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
sexes(sex) AS (VALUES ('F'), ('M')),
measures(measure) AS (VALUES ('care_days'), ('persons'), ('stays')),
stays AS (
    SELECT person_id, start_time, end_time,
           CAST(strftime('%Y', start_time, 'unixepoch') AS INTEGER) AS period
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
           coalesce(a.persons, 0) AS persons, coalesce(a.stays, 0) AS stays,
           coalesce(a.seconds, 0) / 86400.0 AS care_days
    FROM measures m CROSS JOIN years y CROSS JOIN region r CROSS JOIN sexes s
    LEFT JOIN agg a ON a.period = y.period AND a.region = r.code AND a.sex = s.sex
),
fmt AS (SELECT *, printf('%!.17g', care_days) AS s FROM cells),
out AS (
    SELECT measure, period, region, sex,
           CASE measure
               WHEN 'persons' THEN CAST(persons AS TEXT)
               WHEN 'stays' THEN CAST(stays AS TEXT)
               ELSE CASE WHEN s LIKE '%.0' THEN substr(s, 1, length(s) - 2) ELSE s END
           END AS v
    FROM fmt
)
SELECT 'ref-b' AS indicator, measure, period, region, sex, 'all' AS band,
       v AS numerator, NULL AS denominator, v AS value
FROM out
ORDER BY indicator, measure, period, region, sex, band;
