-- ref-f: median days from emergency visit to assessment (DuckDB anchor).
-- Same reading as sqlite/ref-f.sql; the median is DuckDB's median()
-- (quantile_cont 0.5: the mean of the two middle values for an even count).
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
visits AS (
    SELECT c.id, c.person_id, c.start_time, u.region_code AS region,
           year(make_timestamp(c.start_time * 1000000)) AS period
    FROM contact c JOIN care_unit u ON u.id = c.unit_id
    WHERE c.contact_type = 'emergency'
),
leads AS (
    SELECT v.id, v.period, v.region,
           CAST(min(a.assessment_time) - v.start_time AS DOUBLE) / 86400 AS lead
    FROM visits v JOIN assessment a ON a.person_id = v.person_id
    WHERE v.period BETWEEN 2020 AND 2024
      AND a.assessment_time BETWEEN v.start_time AND v.start_time + 2592000
    GROUP BY v.id, v.period, v.region, v.start_time
),
med AS (
    SELECT period, region, count(*) AS n, median(lead) AS median
    FROM leads
    GROUP BY period, region
),
cells AS (
    SELECT y.period, r.code AS region, coalesce(m.n, 0) AS denominator, m.median AS x
    FROM years y CROSS JOIN region r
    LEFT JOIN med m ON m.period = y.period AND m.region = r.code
)
SELECT 'ref-f' AS indicator, 'median' AS measure, period, region, 'T' AS sex, 'all' AS band,
       NULL AS numerator, denominator, printf('%.17g', x) AS value
FROM cells
ORDER BY indicator, measure, period, region, sex, band;
