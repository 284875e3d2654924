-- ref-a: young people with self-harm, per 100,000 (DuckDB anchor).
-- Same reading as sqlite/ref-a.sql. Times are naive seconds since 1970:
-- make_timestamp(microseconds) gives a TIMESTAMP without time zone.
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
    SELECT DISTINCT person_id, year(make_timestamp(act_time * 1000000)) AS period
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
)
SELECT 'ref-a' AS indicator, 'rate' AS measure, period, region, sex, band, numerator, denominator,
       printf('%.17g', CASE WHEN denominator > 0
                            THEN CAST(numerator AS DOUBLE) / denominator * 100000 END) AS value
FROM cells
ORDER BY indicator, measure, period, region, sex, band;
