-- ref-e: follow-up within 7 days of discharge (SQLite anchor).
-- Denominator: inpatient stays with an end_time in the year (year of
-- end_time), person aged 10-24 (discharge year - birth_year), by home region
-- and sex. Numerator: those stays for which the person has any follow_up
-- (linked to the stay or not) with end_time <= follow_up_time <=
-- end_time + 7 days, both ends inclusive. Value: 100 * numerator / denominator.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
sexes(sex) AS (VALUES ('F'), ('M')),
stays AS (
    SELECT c.id, c.person_id, c.end_time,
           CAST(strftime('%Y', c.end_time, 'unixepoch') AS INTEGER) AS period
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
),
vals AS (
    SELECT *, CASE WHEN denominator > 0 THEN 100.0 * numerator / denominator END AS x FROM cells
),
fmt AS (SELECT *, printf('%!.17g', x) AS s FROM vals)
SELECT 'ref-e' AS indicator, 'share' AS measure, period, region, sex, 'all' AS band,
       numerator, denominator,
       CASE WHEN x IS NULL THEN NULL WHEN s LIKE '%.0' THEN substr(s, 1, length(s) - 2) ELSE s END AS value
FROM fmt
ORDER BY indicator, measure, period, region, sex, band;
