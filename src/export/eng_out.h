/* src/export/eng_out.h: writing result cubes.
 *
 * One row per published cell: the nation, and the healthcare regions,
 * regions and finer places the definition breaks down by; both sexes (T)
 * and F, M with `sex`; all ages and each band with `band`. CSV columns:
 *   indicator,version,measure,period,geo_level,geo,geo_name,sex,band,
 *   numerator,denominator,value,lower_95,upper_95,lower_99_8,upper_99_8,
 *   funnel_lower_95,funnel_upper_95,funnel_lower_99_8,funnel_upper_99_8,
 *   funnel,target,status,suppressed,reason,series_break,estimate,
 *   population_year
 * population_year is the year of the population a rate's denominator is
 * (eng_result.pop_year; empty for measures without a population).
 * The funnel columns are the control limits around the national value for
 * a place's count (eng.h), and where its value lies: above_99_8, above_95,
 * within, below_95, below_99_8.
 * Numbers in full precision; empty where there is no number or it is
 * suppressed (then suppressed is 1 and reason says why), and in every row
 * of a period without data (status ENG_OUT_MISSING).
 *
 * A run without disclosure control (run->suppressed false: sup_apply() did
 * not run, `--no-suppress`) is marked in every format, since it must never
 * be published: the CSV has a first column disclosure_control, and JSON
 * lines a first key of that name, with the value ENG_OUT_UNSUPPRESSED
 * ("none"); the table starts with a line saying so. Published output has
 * no such column.
 */
#ifndef KNOD_STATS_ENG_OUT_H
#define KNOD_STATS_ENG_OUT_H

#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>

#include "engine/eng.h"

#define ENG_OUT_UNSUPPRESSED "none"

/* The status of every row of a period that holds none of the data
 * (eng_period_has_data): its cells are zeros for want of data, not
 * counted zeros, so every number is empty (JSON null), the funnel and
 * the suppression columns are empty, and status says "missing" (as
 * Kolada's status does; FHIR says data-absent-reason "unknown"). */
#define ENG_OUT_MISSING "missing"

struct eng_out_options {
    unsigned dims;  /* IND_DIM_* to show (of those each definition has); 0: all it has */
    int geo_level;  /* only this enum eng_geo_level; -1: all */
    int year_from, year_to; /* only periods in these years (0: all computed) */
    bool headline_only; /* table: only each definition's headline measure */
    /* FHIR only (eng_fhir.h): */
    const char *fhir_base; /* canonical base of the Measures (knod.ini [fhir]
                              canonical_base); NULL: ENG_FHIR_BASE */
    const char *fhir_date; /* MeasureReport.date, a FHIR dateTime; NULL: none */
    bool fhir_measures;    /* the Bundle holds each definition's Measure too */
};

void eng_write_csv(FILE *f, const struct eng_run *run, const struct eng_out_options *o);

/* The same rows as JSON lines: one object per row, the CSV's columns as
 * keys, numbers as numbers, null where the CSV is empty. */
void eng_write_json(FILE *f, const struct eng_run *run, const struct eng_out_options *o);

/* One row of eng_write_json() as a new jansson object (the portal's API
 * serves the same rows): the cell (period p, place g, sex, band) of r.
 * NULL when out of memory. */
json_t *eng_row_json(const struct eng_run *run, const struct eng_result *r, int p, size_t g,
                     int sex, size_t band);

/* Does the series of r break at period p: p is the first period of a later
 * version of the definition, whose earlier version is in the run too? */
bool eng_series_break(const struct eng_run *run, const struct eng_result *r, int p);

/* What a rate's value is (the estimate column): "standardised" for all
 * ages of a standardised rate; "crude" for a crude rate and for the bands
 * of a standardised one (one ESP2013 group: standardised over it, a rate
 * is its crude rate); "" for every other measure. */
const char *eng_estimate(const struct eng_result *r, size_t band);

/* Where a cell's value lies against its funnel limits, or "". */
const char *eng_funnel(const struct eng_cell *c);

/* A readable table (Swedish labels): per result and period, one line per
 * place with value, 95 % interval, its place in the funnel against the
 * nation ("över riket" beyond the 99.8 % limits, "(över)" beyond 95 %)
 * and status against the target. */
void eng_write_table(FILE *f, const struct eng_run *run, const struct eng_out_options *o);

/* Is period p of r in the output under o: valid for the definition's
 * version, and in the years o asks for (--period)? */
bool eng_period_shown(const struct eng_result *r, const struct eng_out_options *o, int p);

/* Is the cell (period p, place g, sex, band) a row of the output under o:
 * a valid period, a published place, and the breakdowns o (or the
 * definition) asks for? The same test for every format (CSV, table,
 * eng_fhir.h, eng_kolada.h). */
bool eng_row_shown(const struct eng_result *r, const struct eng_out_options *o, int p,
                   size_t g, int sex, size_t band);

/* The status of a cell against the definition's target: "met", "not_met",
 * or "" (no target for this measure, no value, or a hidden one). A target
 * relative to a base year compares with the same place, sex, band and
 * period of that year (no status when that is not computed or hidden). */
const char *eng_status(const struct eng_result *r, int p, size_t g, int so, size_t bo);

#endif /* KNOD_STATS_ENG_OUT_H */
