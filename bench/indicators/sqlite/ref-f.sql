-- ref-f: median days from emergency visit to assessment (SQLite anchor).
-- Emergency contacts (contact_type 'emergency') starting in the year (year of
-- start_time), all ages, by the region of the visit's care unit. Lead: the
-- earliest assessment of the same person with start_time <= assessment_time
-- <= start_time + 30 days, minus start_time, in days; visits without one are
-- left out. Value: median of the leads (mean of the two middle ones for an
-- even count); denominator: number of visits with a lead; numerator empty.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
visits AS (
    SELECT c.id, c.person_id, c.start_time, u.region_code AS region,
           CAST(strftime('%Y', c.start_time, 'unixepoch') AS INTEGER) AS period
    FROM contact c JOIN care_unit u ON u.id = c.unit_id
    WHERE c.contact_type = 'emergency'
),
leads AS (
    SELECT v.period, v.region, (min(a.assessment_time) - v.start_time) / 86400.0 AS lead
    FROM visits v JOIN assessment a ON a.person_id = v.person_id
    WHERE v.period BETWEEN 2020 AND 2024
      AND a.assessment_time BETWEEN v.start_time AND v.start_time + 2592000
    GROUP BY v.id
),
ranked AS (
    SELECT period, region, lead,
           row_number() OVER (PARTITION BY period, region ORDER BY lead) AS rn,
           count(*) OVER (PARTITION BY period, region) AS n
    FROM leads
),
med AS (
    SELECT period, region, n, avg(lead) AS median
    FROM ranked
    WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
    GROUP BY period, region, n
),
cells AS (
    SELECT y.period, r.code AS region, coalesce(m.n, 0) AS denominator, m.median AS x
    FROM years y CROSS JOIN region r
    LEFT JOIN med m ON m.period = y.period AND m.region = r.code
),
fmt AS (SELECT *, printf('%!.17g', x) AS s FROM cells)
SELECT 'ref-f' AS indicator, 'median' AS measure, period, region, 'T' AS sex, 'all' AS band,
       NULL AS numerator, denominator,
       CASE WHEN x IS NULL THEN NULL WHEN s LIKE '%.0' THEN substr(s, 1, length(s) - 2) ELSE s END AS value
FROM fmt
ORDER BY indicator, measure, period, region, sex, band;
