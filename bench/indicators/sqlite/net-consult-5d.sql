-- net-consult-5d (SQLite anchor, from data/indicators/net-consult-5d.ind and
-- docs/indicators.md, "Consultations", alone). Anchors: net_consultation
-- rows, period = year asked 2025-2026, place = the asking region (the
-- nation: all). Cells: nation and the 21 regions, sex T, band all.
-- share = proportion answered within 5 workdays: the working days after the
-- day asked up to and including the day answered (Monday-Friday less the
-- public holidays falling on weekdays: 1 and 6 January, Good Friday, Easter
-- Monday, 1 May, Ascension Day, 6 June, Midsummer Eve (the Friday of 19-25
-- June), 24, 25, 26 and 31 December; Easter by the anonymous Gregorian
-- computus); one not answered counts to today and is left out while that is
-- 5 or fewer; numerator those answered within 5, denominator those counted.
-- A year outside the years any consultation was asked in holds no data:
-- no numbers at all (knod's status missing), not zeros.
WITH RECURSIVE
years(period) AS (VALUES (2025), (2026)),
geos(geo_level, geo) AS (SELECT 'nation', 'SE' UNION ALL SELECT 'region', code FROM region),
c AS (
    SELECT region_code AS region, date(asked, 'unixepoch') AS a,
           coalesce(date(answered, 'unixepoch'), date('now', 'localtime')) AS e,
           answered IS NULL AS open,
           CAST(strftime('%Y', asked, 'unixepoch') AS INTEGER) AS period
    FROM net_consultation
),
span(d) AS (
    SELECT min(a) FROM c WHERE a IS NOT NULL
    UNION ALL SELECT date(d, '+1 day') FROM span WHERE d < (SELECT max(e) FROM c)
),
yrs(y) AS (SELECT DISTINCT CAST(strftime('%Y', d) AS INTEGER) FROM span),
e1 AS (SELECT y, y % 19 AS a, y / 100 AS b, y % 100 AS c FROM yrs),
e2 AS (SELECT y, a, b, c, b / 4 AS d, b % 4 AS e, (b + 8) / 25 AS f FROM e1),
e3 AS (SELECT y, a, b, c, d, e, (b - f + 1) / 3 AS g FROM e2),
e4 AS (SELECT y, a, c, e, (19 * a + b - d - g + 15) % 30 AS h FROM e3),
e5 AS (SELECT y, a, h, (32 + 2 * e + 2 * (c / 4) - h - c % 4) % 7 AS l FROM e4),
e6 AS (SELECT y, h + l - 7 * ((a + 11 * h + 22 * l) / 451) + 114 AS n FROM e5),
easter(sunday) AS (SELECT printf('%04d-%02d-%02d', y, n / 31, n % 31 + 1) FROM e6),
fixed(md) AS (VALUES ('01-01'), ('01-06'), ('05-01'), ('06-06'), ('12-24'), ('12-25'),
                     ('12-26'), ('12-31')),
hol(d) AS (
    SELECT printf('%04d-%s', y, md) FROM yrs CROSS JOIN fixed
    UNION SELECT date(sunday, '-2 days') FROM easter
    UNION SELECT date(sunday, '+1 day') FROM easter
    UNION SELECT date(sunday, '+39 days') FROM easter
    UNION SELECT d FROM span
          WHERE strftime('%m-%d', d) BETWEEN '06-19' AND '06-25' AND strftime('%w', d) = '5'
),
work(d) AS (SELECT d FROM span WHERE strftime('%w', d) NOT IN ('0', '6')
                                 AND d NOT IN (SELECT d FROM hol)),
wd AS (SELECT c.*, (SELECT count(*) FROM work w WHERE w.d > c.a AND w.d <= c.e) AS n FROM c),
counted AS (SELECT period, region, NOT open AND n <= 5 AS hit FROM wd
            WHERE NOT (open AND n <= 5) AND period BETWEEN 2025 AND 2026),
placed AS (
    SELECT k.*, g.geo_level, g.geo FROM counted k
    JOIN geos g ON g.geo_level = 'nation' OR g.geo = k.region
),
agg AS (SELECT period, geo_level, geo, count(*) AS den, sum(hit) AS num
        FROM placed GROUP BY period, geo_level, geo),
held AS (SELECT min(period) AS y0, max(period) AS y1 FROM c),
cells AS (
    SELECT y.period, g.geo_level, g.geo, 'T' AS sex, 'all' AS band,
           CASE WHEN y.period BETWEEN h.y0 AND h.y1 THEN coalesce(a.num, 0) END AS num,
           CASE WHEN y.period BETWEEN h.y0 AND h.y1 THEN coalesce(a.den, 0) END AS den
    FROM years y CROSS JOIN geos g CROSS JOIN held h
    LEFT JOIN agg a ON a.period = y.period AND a.geo_level = g.geo_level AND a.geo = g.geo
)
SELECT 'net-consult-5d' AS indicator, 'share' AS measure, period, geo_level, geo, sex, band,
       num AS numerator, den AS denominator, CASE WHEN den > 0 THEN num * 100.0 / den END AS value
FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
