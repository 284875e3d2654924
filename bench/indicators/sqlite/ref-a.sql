-- ref-a: young people with self-harm, per 100,000 (SQLite anchor).
-- Numerator: distinct persons with >= 1 self_harm_act in the year (year of
-- act_time), aged 10-24 (year - birth_year), by home region, sex and band.
-- Denominator: population of region, sex and band; the population table
-- holds one year, used for every year (the latest year present is taken).
-- Every cell of 5 years x 21 regions x 2 sexes x 3 bands is reported.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
sexes(sex) AS (VALUES ('F'), ('M')),
bands(band, lo, hi) AS (VALUES ('10-14', 10, 14), ('15-19', 15, 19), ('20-24', 20, 24)),
pop AS (
    SELECT p.region_code AS region, p.sex, b.band, sum(p.population) AS population
    FROM population p JOIN bands b ON p.age BETWEEN b.lo AND b.hi
    WHERE p.year = (SELECT max(year) FROM population)
    GROUP BY p.region_code, p.sex, b.band
),
act_years AS (
    SELECT DISTINCT person_id,
           CAST(strftime('%Y', act_time, 'unixepoch') AS INTEGER) AS period
    FROM self_harm_act
),
counts AS (
    SELECT a.period, p.region_code AS region, p.sex, b.band, count(*) AS n
    FROM act_years a
    JOIN person p ON p.id = a.person_id
    JOIN bands b ON a.period - p.birth_year BETWEEN b.lo AND b.hi
    WHERE a.period BETWEEN 2020 AND 2024 AND p.region_code IS NOT NULL
    GROUP BY a.period, p.region_code, p.sex, b.band
),
cells AS (
    SELECT y.period, r.code AS region, s.sex, b.band,
           coalesce(c.n, 0) AS numerator, coalesce(pop.population, 0) AS denominator
    FROM years y CROSS JOIN region r CROSS JOIN sexes s CROSS JOIN bands b
    LEFT JOIN counts c ON c.period = y.period AND c.region = r.code AND c.sex = s.sex AND c.band = b.band
    LEFT JOIN pop ON pop.region = r.code AND pop.sex = s.sex AND pop.band = b.band
),
vals AS (
    SELECT *, CASE WHEN denominator > 0 THEN CAST(numerator AS REAL) / denominator * 100000 END AS x
    FROM cells
),
-- Doubles as text with 17 significant digits (%.17g); SQLite's plain %g
-- stops at 16, the '!' flag gives 17 but forces a '.0' on whole numbers,
-- which is cut. printf of NULL is not NULL, hence the test.
fmt AS (SELECT *, printf('%!.17g', x) AS s FROM vals)
SELECT 'ref-a' AS indicator, 'rate' AS measure, period, region, sex, band, numerator, denominator,
       CASE WHEN x IS NULL THEN NULL WHEN s LIKE '%.0' THEN substr(s, 1, length(s) - 2) ELSE s END AS value
FROM fmt
ORDER BY indicator, measure, period, region, sex, band;
