-- sh-repeat-12m-km (SQLite anchor, from data/indicators/sh-repeat-12m-km.ind
-- and docs/indicators.md alone). Anchors: self_harm_act rows with cause
-- X60-X84 or Y10-Y34 (the first three characters of the code), period = year
-- of act_time 2020-2024, age = period - birth_year in 10-24; of these the
-- first of each person in each period (earliest act_time; a tie by id). Geo
-- person (home region; none: the nation only). Cells: nation and the 21
-- regions x T/F/M, band all, every cell present.
-- km = survival act in start (0d, 365d] censor death: the Kaplan-Meier
-- cumulative incidence (per cent) of a first later act by 365 days.
--   event time: the first other act of the person at t with
--     0 < t - anchor time <= 365 days (31,536,000 s);
--   censoring: at the data's end (the latest start or end of any event in
--     the store, deaths excluded) and at death (the last second of the date
--     of death: death_date * 86400 + 86399), whichever comes first;
--   an anchor whose event lies after its censoring is censored; times are
--   whole seconds since the anchor; at a time with events and censorings the
--   censored anchors are still at risk (events first).
-- S = product over event times t of (1 - d(t) / n(t)), n(t) the anchors of
-- the cell still observed at t; value 100 * (1 - S), empty without anchors.
-- Numerator the anchors with an event (before their censoring), denominator
-- the anchors.
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
    SELECT a.id, a.person_id, a.act_time, a.period, p.sex, p.region_code AS region,
           p.death_date,
           row_number() OVER (PARTITION BY a.person_id, a.period ORDER BY a.act_time, a.id) AS rn
    FROM (SELECT *, CAST(strftime('%Y', act_time, 'unixepoch') AS INTEGER) AS period
          FROM self_harm_act) a
    JOIN person p ON p.id = a.person_id
    WHERE (substr(a.cause_code, 1, 3) BETWEEN 'X60' AND 'X84'
           OR substr(a.cause_code, 1, 3) BETWEEN 'Y10' AND 'Y34')
      AND a.period - p.birth_year BETWEEN 10 AND 24
),
firsts AS MATERIALIZED (
    SELECT * FROM kept WHERE rn = 1 AND period BETWEEN 2020 AND 2024
),
-- the first later act, as a join (SQLite indexes it on the fly; a
-- correlated subquery would scan the table for every anchor)
firsts_ev AS (
    SELECT f.id, min(b.act_time - f.act_time) AS ev
    FROM firsts f JOIN self_harm_act b ON b.person_id = f.person_id AND b.id <> f.id
    WHERE b.act_time - f.act_time > 0 AND b.act_time - f.act_time <= 365 * 86400
    GROUP BY f.id
),
anchors AS MATERIALIZED (
    SELECT f.*, e.ev,
           min((SELECT t FROM data_end),
               coalesce(f.death_date * 86400 + 86399, (SELECT t FROM data_end))) - f.act_time AS cens
    FROM firsts f LEFT JOIN firsts_ev e ON e.id = f.id
),
obs AS (
    SELECT *,
           CASE WHEN ev IS NOT NULL AND ev <= cens THEN ev ELSE min(cens, 365 * 86400) END AS time,
           CASE WHEN ev IS NOT NULL AND ev <= cens THEN 1 ELSE 0 END AS status
    FROM anchors
),
placed AS (
    SELECT o.*, g.geo_level, g.geo, s.sex AS csex
    FROM obs o
    JOIN geos g ON g.geo_level = 'nation' OR g.geo = o.region
    JOIN sexes s ON s.sex = 'T' OR s.sex = o.sex
),
at_time AS (
    SELECT period, geo_level, geo, csex AS sex, time, sum(status) AS d, count(*) AS c
    FROM placed GROUP BY period, geo_level, geo, csex, time
),
risk AS (
    SELECT *, sum(c) OVER (PARTITION BY period, geo_level, geo, sex ORDER BY time DESC
                           ROWS UNBOUNDED PRECEDING) AS n
    FROM at_time
),
km AS (
    SELECT period, geo_level, geo, sex, sum(c) AS anchors, sum(d) AS events,
           CASE WHEN max(d > 0 AND d = n) THEN 0.0
                ELSE exp(sum(CASE WHEN d > 0 THEN ln(1.0 - CAST(d AS REAL) / n) ELSE 0.0 END))
           END AS s
    FROM risk GROUP BY period, geo_level, geo, sex
),
cells AS (
    SELECT y.period, g.geo_level, g.geo, s.sex, 'all' AS band,
           coalesce(k.events, 0) AS events, coalesce(k.anchors, 0) AS anchors, k.s
    FROM years y CROSS JOIN geos g CROSS JOIN sexes s
    LEFT JOIN km k ON k.period = y.period AND k.geo_level = g.geo_level AND k.geo = g.geo
                  AND k.sex = s.sex
)
SELECT 'sh-repeat-12m-km' AS indicator, 'km' AS measure, period, geo_level, geo, sex, band,
       events AS numerator, anchors AS denominator, 100.0 * (1.0 - s) AS value
FROM cells
ORDER BY 1, 2, 3, 4, 5, 6, 7;
