-- sh-suicide-12m (SQLite anchor, from data/indicators/sh-suicide-12m.ind and
-- docs/indicators.md alone). Anchors: contacts of every type (emergency,
-- outpatient, inpatient) with cause X60-X84 or Y10-Y34 (the contact's
-- cause_code; the first three characters), period = year of start_time
-- 2020-2024, age = period - birth_year in 10-24; of these the first of each
-- person in each period (earliest start_time; a tie by id). Geo person
-- (home region; none: the nation only). Cells: nation and the 21 regions x
-- T/F/M, band all, every cell present.
-- The related event death(suicide yes): the person's death with
-- death_by_suicide 1, at the last second of the date of death
-- (death_date * 86400 + 86399), in start [0d, 365d]: 0 <= t - start <=
-- 365 days (31,536,000 s).
-- km = survival death(suicide yes) in start [0d, 365d]: the Kaplan-Meier
-- cumulative incidence (per cent) by 365 days, censored at the data's end
-- (the latest start or end of any event in the store, deaths excluded; no
-- `censor death`); an anchor whose death lies after its censoring is
-- censored; at a time with events and censorings the censored are still at
-- risk. S = product over event times t of (1 - d(t) / n(t)); value
-- 100 * (1 - S), empty without anchors. Numerator the anchors with an event
-- (before censoring), denominator the anchors.
-- share = proportion has death(suicide yes) in start [0d, 365d]: the share
-- (per cent) of anchors with such a death; numerator those, denominator the
-- anchors.
WITH
years(period) AS (VALUES (2020), (2021), (2022), (2023), (2024)),
geos(geo_level, geo) AS (SELECT 'nation', 'SE' UNION ALL SELECT 'region', code FROM region),
sexes(sex) AS (VALUES ('T'), ('F'), ('M')),
data_end(t) AS (
    SELECT max(t) FROM (
        SELECT max(start_time) AS t FROM contact UNION ALL SELECT max(end_time) FROM contact
        UNION ALL SELECT max(act_time) FROM self_harm_act
        UNION ALL SELECT max(start_time) FROM coercive_measure
        UNION ALL SELECT max(end_time) FROM coercive_measure
        UNION ALL SELECT max(assessment_time) FROM assessment
        UNION ALL SELECT max(plan_time) FROM care_plan
        UNION ALL SELECT max(start_time) FROM treatment UNION ALL SELECT max(end_time) FROM treatment
        UNION ALL SELECT max(follow_up_time) FROM follow_up
        UNION ALL SELECT max(step_time) FROM pathway_step)
),
kept AS (
    SELECT c.id, c.person_id, c.start_time, c.period, p.sex, p.region_code AS region,
           CASE WHEN p.death_by_suicide = 1 THEN p.death_date * 86400 + 86399 END AS suicide_time,
           row_number() OVER (PARTITION BY c.person_id, c.period ORDER BY c.start_time, c.id) AS rn
    FROM (SELECT *, CAST(strftime('%Y', start_time, 'unixepoch') AS INTEGER) AS period
          FROM contact) c
    JOIN person p ON p.id = c.person_id
    WHERE (substr(c.cause_code, 1, 3) BETWEEN 'X60' AND 'X84'
           OR substr(c.cause_code, 1, 3) BETWEEN 'Y10' AND 'Y34')
      AND c.period - p.birth_year BETWEEN 10 AND 24
),
anchors AS (
    SELECT k.*,
           CASE WHEN k.suicide_time - k.start_time BETWEEN 0 AND 365 * 86400
                THEN k.suicide_time - k.start_time END AS ev,
           (SELECT t FROM data_end) - k.start_time AS cens
    FROM kept k
    WHERE k.rn = 1 AND k.period BETWEEN 2020 AND 2024
),
obs AS (
    SELECT *,
           CASE WHEN ev IS NOT NULL AND ev <= cens THEN ev ELSE min(cens, 365 * 86400) END AS time,
           CASE WHEN ev IS NOT NULL AND ev <= cens THEN 1 ELSE 0 END AS status,
           ev IS NOT NULL AS hit
    FROM anchors
),
placed AS (
    SELECT o.*, g.geo_level, g.geo, s.sex AS csex
    FROM obs o
    JOIN geos g ON g.geo_level = 'nation' OR g.geo = o.region
    JOIN sexes s ON s.sex = 'T' OR s.sex = o.sex
),
at_time AS (
    SELECT period, geo_level, geo, csex AS sex, time, sum(status) AS d, count(*) AS c,
           sum(hit) AS h
    FROM placed GROUP BY period, geo_level, geo, csex, time
),
risk AS (
    SELECT *, sum(c) OVER (PARTITION BY period, geo_level, geo, sex ORDER BY time DESC
                           ROWS UNBOUNDED PRECEDING) AS n
    FROM at_time
),
km AS (
    SELECT period, geo_level, geo, sex, sum(c) AS anchors, sum(d) AS events, sum(h) AS hits,
           CASE WHEN max(d > 0 AND d = n) THEN 0.0
                ELSE exp(sum(CASE WHEN d > 0 THEN ln(1.0 - CAST(d AS REAL) / n) ELSE 0.0 END))
           END AS s
    FROM risk GROUP BY period, geo_level, geo, sex
),
cells AS (
    SELECT y.period, g.geo_level, g.geo, s.sex, 'all' AS band,
           coalesce(k.events, 0) AS events, coalesce(k.hits, 0) AS hits,
           coalesce(k.anchors, 0) AS anchors, k.s
    FROM years y CROSS JOIN geos g CROSS JOIN sexes s
    LEFT JOIN km k ON k.period = y.period AND k.geo_level = g.geo_level AND k.geo = g.geo
                  AND k.sex = s.sex
)
SELECT 'sh-suicide-12m' AS indicator, 'km' AS measure, period, geo_level, geo, sex, band,
       events AS numerator, anchors AS denominator, 100.0 * (1.0 - s) AS value
FROM cells
UNION ALL
SELECT 'sh-suicide-12m', 'share', period, geo_level, geo, sex, band, hits, anchors,
       CASE WHEN anchors > 0 THEN hits * 100.0 / anchors END
FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
