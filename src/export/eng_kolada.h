/* src/export/eng_kolada.h: headline results in the shape of Kolada's API.
 *
 * Kolada (kolada.se, RKA) publishes key figures of regions and
 * municipalities; its API v2 answers /data with
 *
 *   {"values":[{"kpi":"N12345","municipality":"0180","period":2024,
 *               "values":[{"gender":"T","value":12.3,"count":1,"status":""}]}],
 *    "count":1}
 *
 * knod writes its results in exactly that shape, so that tools built for
 * Kolada can read them (knod's ids are not Kolada KPI ids):
 *
 *   count         the number of entries in values (as Kolada's "count");
 *   kpi           the indicator id ("sh-young-rate");
 *   municipality  Kolada's place id: "0000" the nation, "00" + county code
 *                 for a region ("0001" Stockholm), the four-digit kommunkod
 *                 for a municipality ("0180"). Healthcare regions and care
 *                 units have no Kolada id and are left out;
 *   period        the year, a number; only definitions reported by year
 *                 (others are skipped and counted);
 *   gender        T both sexes, K women (F), M men; only all ages (Kolada
 *                 has no age bands);
 *   value         the headline measure's value rounded to
 *                 ENG_KOLADA_DECIMALS decimals (half away from zero), or
 *                 null (none, hidden, or a year without data);
 *   count         the cell's numerator (the denominator for medians and
 *                 sums, whose numerator is not a count), or null;
 *   status        "" shown, "missing" no value (nobody to take it over, or
 *                 a year that holds none of the data: eng_period_has_data;
 *                 then count is null too), "suppressed:<reason>" hidden by
 *                 disclosure control (reason count, denominator,
 *                 complementary); a hidden cell has value and count null.
 *
 * Only each definition's headline measure (ind_def.target_measure), only
 * the cells eng_row_shown() publishes. Apply sup_apply() first: without it
 * (`--no-suppress`) the document starts with "disclosure_control": "none"
 * and every kpi with ENG_KOLADA_UNSUPPRESSED, so that such figures never
 * share a key (kpi, municipality, period) with published ones.
 */
#ifndef KNOD_STATS_ENG_KOLADA_H
#define KNOD_STATS_ENG_KOLADA_H

#include <jansson.h>
#include <stdio.h>

#include "base/error.h"
#include "engine/eng.h"
#include "export/eng_out.h"

/* Decimals of value: one, for rates per 100 000, per cents, days and hours
 * alike (docs/indicators.md, "Kolada"). */
#define ENG_KOLADA_DECIMALS 1

#define ENG_KOLADA_UNSUPPRESSED "unsuppressed-"

/* The document above for run under o; *skipped (may be NULL) is set to the
 * number of headline results left out because their periods are not
 * years. A new reference, or NULL when out of memory. */
json_t *eng_kolada_values(const struct eng_run *run, const struct eng_out_options *o,
                          size_t *skipped);

/* Write it to f, indented, UTF-8, and a newline. 0, KN_ENOMEM or KN_EIO. */
int eng_kolada_write(FILE *f, const struct eng_run *run, const struct eng_out_options *o,
                     size_t *skipped, struct kn_error *err);

#endif /* KNOD_STATS_ENG_KOLADA_H */
