-- adm-lpt-share (SQLite anchor, from data/indicators/adm-lpt-share.ind and
-- docs/indicators.md alone). Anchors: inpatient stays (contact_type
-- 'inpatient') at a unit of kind bup, adult_psychiatry or nhv, period = year
-- of admission (start_time) 2020-2024, age = period - birth_year in 10-24.
-- Geo person (home region; none: the nation only). Cells: nation and the 21
-- regions x T/F/M, band all, every cell present.
-- share = proportion legal LPT: the share (per cent) of the anchors whose
-- legal basis is LPT; numerator those, denominator the anchors; empty when
-- there are none.
-- Version 1 (periods before 2024) as above; version 2 (from 2024) also
-- where legal voluntary, LPT: stays under LRV are not anchors at all.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
geos(geo_level, geo) AS (SELECT 'nation', 'SE' UNION ALL SELECT 'region', code FROM region),
sexes(sex) AS (VALUES ('T'), ('F'), ('M')),
anchors AS (
    SELECT c.person_id, c.period, p.sex, p.region_code AS region,
           c.legal_basis = 'LPT' AS hit
    FROM (SELECT *, CAST(strftime('%Y', start_time, 'unixepoch') AS INTEGER) AS period
          FROM contact WHERE contact_type = 'inpatient') c
    JOIN care_unit u ON u.id = c.unit_id
    JOIN person p ON p.id = c.person_id
    WHERE u.unit_type IN ('bup', 'adult_psychiatry', 'nhv')
      AND c.period - p.birth_year BETWEEN 10 AND 24
      AND c.period BETWEEN 2020 AND 2024
      AND (c.period < 2024 OR c.legal_basis IN ('voluntary', 'LPT'))
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
SELECT 'adm-lpt-share' AS indicator, 'share' AS measure, period, geo_level, geo, sex, band,
       num AS numerator, den AS denominator, CASE WHEN den > 0 THEN num * 100.0 / den END AS value
FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
