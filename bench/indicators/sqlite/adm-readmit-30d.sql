-- adm-readmit-30d (SQLite anchor, from data/indicators/adm-readmit-30d.ind and
-- docs/indicators.md alone). Anchors: inpatient stays (contact_type
-- 'inpatient') at a unit of kind bup or adult_psychiatry, brief no
-- (brief_admission 0), with an end (period of end: a stay without one is
-- never an anchor), period = year of end_time 2020-2024, age = period -
-- birth_year in 10-24. Geo unit: the region of the stay's care unit. Cells:
-- nation and the 21 regions x T/F/M (the person's sex), band all, every cell.
-- share = proportion has stay(unit-kind bup, adult_psychiatry; brief no) in
-- end (0d, 30d]: the share (per cent) of anchors for which the person has
-- another inpatient stay (not the anchor) at a bup or adult_psychiatry unit,
-- not a brief admission, starting at t with 0 < t - anchor end <= 30 days
-- (2,592,000 s); numerator those, denominator the anchors.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
geos(geo_level, geo) AS (SELECT 'nation', 'SE' UNION ALL SELECT 'region', code FROM region),
sexes(sex) AS (VALUES ('T'), ('F'), ('M')),
stays AS MATERIALIZED (
    SELECT c.*, u.unit_type, u.region_code AS unit_region
    FROM contact c JOIN care_unit u ON u.id = c.unit_id
    WHERE c.contact_type = 'inpatient'
),
base AS MATERIALIZED (
    SELECT a.id, a.person_id, a.end_time, a.period, p.sex, a.unit_region AS region
    FROM (SELECT *, CAST(strftime('%Y', end_time, 'unixepoch') AS INTEGER) AS period
          FROM stays WHERE end_time IS NOT NULL) a
    JOIN person p ON p.id = a.person_id
    WHERE a.unit_type IN ('bup', 'adult_psychiatry') AND a.brief_admission = 0
      AND a.period - p.birth_year BETWEEN 10 AND 24
      AND a.period BETWEEN 2020 AND 2024
),
-- the relation as a join (SQLite indexes it on the fly; a correlated
-- subquery would scan the table for every anchor)
hits AS (
    SELECT DISTINCT a.id
    FROM base a JOIN stays b ON b.person_id = a.person_id AND b.id <> a.id
    WHERE b.unit_type IN ('bup', 'adult_psychiatry') AND b.brief_admission = 0
      AND b.start_time - a.end_time > 0 AND b.start_time - a.end_time <= 30 * 86400
),
anchors AS MATERIALIZED (
    SELECT a.*, h.id IS NOT NULL AS hit
    FROM base a LEFT JOIN hits h ON h.id = a.id
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
SELECT 'adm-readmit-30d' AS indicator, 'share' AS measure, period, geo_level, geo, sex, band,
       num AS numerator, den AS denominator, CASE WHEN den > 0 THEN num * 100.0 / den END AS value
FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
