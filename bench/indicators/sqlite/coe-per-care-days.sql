-- coe-per-care-days (SQLite anchor, from data/indicators/coe-per-care-days.ind
-- and docs/indicators.md alone). Anchors: coercive_measure rows (every row,
-- any type), period = year of start_time 2020-2024, age = period - birth_year
-- in 10-24. Geo person (home region; none: the nation only). Cells: nation
-- and the 21 regions x T/F/M, band all, every cell present.
-- episodes = anchors (count events).
-- rate = ratio episodes / adm-psych-young:care_days per 1000: the episodes
-- over adm-psych-young's care days in the same cell (inpatient stays at a
-- bup, adult_psychiatry or nhv unit admitted in the period, age 10-24 in the
-- year of admission, sum of end - start over the stays with an end, whole
-- seconds divided once by 86400), times 1000; numerator the episodes,
-- denominator the care days; empty when there are no care days.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
geos(geo_level, geo) AS (SELECT 'nation', 'SE' UNION ALL SELECT 'region', code FROM region),
sexes(sex) AS (VALUES ('T'), ('F'), ('M')),
-- kind 'm': this indicator's measures; kind 's': adm-psych-young's stays
events AS (
    SELECT 'm' AS kind, m.period, p.sex, p.region_code AS region, 0 AS seconds
    FROM (SELECT *, CAST(strftime('%Y', start_time, 'unixepoch') AS INTEGER) AS period
          FROM coercive_measure) m
    JOIN person p ON p.id = m.person_id
    WHERE m.period - p.birth_year BETWEEN 10 AND 24 AND m.period BETWEEN 2020 AND 2024
    UNION ALL
    SELECT 's', c.period, p.sex, p.region_code, coalesce(c.end_time - c.start_time, 0)
    FROM (SELECT *, CAST(strftime('%Y', start_time, 'unixepoch') AS INTEGER) AS period
          FROM contact WHERE contact_type = 'inpatient') c
    JOIN care_unit u ON u.id = c.unit_id
    JOIN person p ON p.id = c.person_id
    WHERE u.unit_type IN ('bup', 'adult_psychiatry', 'nhv')
      AND c.period - p.birth_year BETWEEN 10 AND 24 AND c.period BETWEEN 2020 AND 2024
),
placed AS (
    SELECT e.*, g.geo_level, g.geo, s.sex AS csex
    FROM events e
    JOIN geos g ON g.geo_level = 'nation' OR g.geo = e.region
    JOIN sexes s ON s.sex = 'T' OR s.sex = e.sex
),
agg AS (
    SELECT period, geo_level, geo, csex AS sex,
           sum(kind = 'm') AS episodes, sum(CASE WHEN kind = 's' THEN seconds ELSE 0 END) AS seconds
    FROM placed GROUP BY period, geo_level, geo, csex
),
cells AS (
    SELECT y.period, g.geo_level, g.geo, s.sex, 'all' AS band,
           coalesce(a.episodes, 0) AS episodes, coalesce(a.seconds, 0) / 86400.0 AS care_days
    FROM years y CROSS JOIN geos g CROSS JOIN sexes s
    LEFT JOIN agg a ON a.period = y.period AND a.geo_level = g.geo_level AND a.geo = g.geo
                   AND a.sex = s.sex
)
SELECT 'coe-per-care-days' AS indicator, 'rate' AS measure, period, geo_level, geo, sex, band,
       episodes AS numerator, care_days AS denominator,
       CASE WHEN care_days <> 0 THEN episodes * 1000.0 / care_days END AS value
FROM cells
UNION ALL
SELECT 'coe-per-care-days', 'episodes', period, geo_level, geo, sex, band, episodes, NULL, episodes FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
