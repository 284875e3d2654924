/* src/export/eng_fhir.h: indicators as HL7 FHIR R4 Measure and MeasureReport.
 *
 * A definition (ind.h) becomes a Measure; the results of a run (eng.h)
 * become a Bundle (type collection) of MeasureReports, one per definition
 * and period, so that a register platform or a portal that speaks FHIR
 * can take knod's figures without knowing knod's CSV. The mapping is in
 * docs/indicators.md, "Exports: FHIR and Kolada"; in short:
 *
 *   Measure        id "<id>-v<version>", url <base>/Measure/<id> (base:
 *                  o->fhir_base, knod.ini [fhir] canonical_base; knod's
 *                  code systems and extensions stay on ENG_FHIR_BASE),
 *                  version, title (sv) with the English title in the
 *                  translation extension, scoring of the headline measure,
 *                  one group per measure (group.id and code = the measure's
 *                  name) with its populations and the stratifiers of the
 *                  definition's breakdowns;
 *   MeasureReport  status complete, type summary, measure = url|version,
 *                  date o->fhir_date (when given), reporter the
 *                  indicator's owner (by display, an Organization),
 *                  the period's first and last day; one group per measure
 *                  with the nation's figures, and one stratum per published
 *                  cell (eng_row_shown()) of each combination of breakdowns.
 *
 * With o->fhir_measures the Bundle holds each definition's Measure too,
 * before its reports, so that `measure` resolves inside the Bundle.
 *
 * Disclosure control: a cell with any suppression flag (sup.h) carries no
 * number at all (in FHIR as in every format, sup.h): its populations keep
 * their codes, each count replaced by the
 * data-absent-reason extension ("_count") with code "masked", its
 * measureScore likewise, and the extension ENG_FHIR_EXT_SUPPRESSED says
 * why ("count", "denominator", "complementary"). Apply sup_apply() first.
 * Other numbers that are absent carry a data-absent-reason too:
 * "not-applicable" where there is nobody to take a score over (a
 * denominator of 0), "unknown" otherwise, and for every number of a
 * period that holds none of the data (eng_period_has_data: the report has
 * the nation's groups only, every figure "unknown", and no strata).
 *
 * Every json_t returned here is a new reference owned by the caller
 * (json_decref). NULL means out of memory. Output is deterministic (no
 * random ids; the only time is o->fhir_date, as given). Not thread-safe
 * per object; separate calls may run in parallel.
 */
#ifndef KNOD_STATS_ENG_FHIR_H
#define KNOD_STATS_ENG_FHIR_H

#include <jansson.h>
#include <stdio.h>

#include "base/error.h"
#include "engine/eng.h"
#include "export/eng_out.h"
#include "lang/ind.h"

/* The base of knod's canonical URLs, code systems and extensions. A
 * placeholder: knod.se does not serve these URLs (yet); they only have to
 * be stable and unique. Change it here and nowhere else. */
#define ENG_FHIR_BASE "https://knod.se/fhir"

/* Extensions of knod's own (all on ENG_FHIR_BASE). */
#define ENG_FHIR_EXT_TARGET     ENG_FHIR_BASE "/StructureDefinition/target"
#define ENG_FHIR_EXT_SUPPRESSED ENG_FHIR_BASE "/StructureDefinition/suppressed"
#define ENG_FHIR_EXT_AMOUNT     ENG_FHIR_BASE "/StructureDefinition/population-amount"
#define ENG_FHIR_EXT_POP_YEAR   ENG_FHIR_BASE "/StructureDefinition/population-year"

/* Without disclosure control (run->suppressed false, `--no-suppress`) the
 * Bundle and every MeasureReport carry meta.security with the
 * v3-Confidentiality code R (restricted), and each MeasureReport's id (so
 * its fullUrl) starts ENG_FHIR_UNSUPPRESSED: such figures never share an
 * id with published ones. eng_fhir_restricted() is that meta. */
#define ENG_FHIR_UNSUPPRESSED "unsuppressed-"
json_t *eng_fhir_restricted(void);

/* The Measure of d, its url under base (NULL: ENG_FHIR_BASE). Its criteria quote the definition's own statements
 * (language "text/x-knod-indicator") when d comes from the shipped
 * catalogue, else its English description (language "text/plain"). */
json_t *eng_fhir_measure(const struct ind_def *d, const char *base);

/* The MeasureReport of the definition of run->results[result_index] in
 * period p (an index of that result's periods, which must be valid:
 * period_valid[p]). One group per result of that definition in run, in
 * run order; with o->headline_only only the headline measure's. Strata
 * follow o like the CSV rows do (o->dims, o->geo_level); the group's own
 * figures are the nation's (both sexes, all ages) whatever o->geo_level. */
json_t *eng_fhir_report(const struct eng_run *run, size_t result_index, int p,
                        const struct eng_out_options *o);

/* A Bundle of type collection with the MeasureReports of every definition
 * and valid period of run, definitions in run order. */
json_t *eng_fhir_bundle(const struct eng_run *run, const struct eng_out_options *o);

/* Write eng_fhir_measure(d) / eng_fhir_bundle(run, o) to f, indented, UTF-8,
 * followed by a newline. 0, KN_ENOMEM or KN_EIO. */
int eng_fhir_write_measure(FILE *f, const struct ind_def *d, const char *base,
                           struct kn_error *err);
int eng_fhir_write_bundle(FILE *f, const struct eng_run *run,
                          const struct eng_out_options *o, struct kn_error *err);

/* The StructureDefinitions of knod's own extensions (ENG_FHIR_EXT_SUPPRESSED,
 * ENG_FHIR_EXT_AMOUNT, ENG_FHIR_EXT_POP_YEAR; shipped in data/fhir/,
 * embedded) as a Bundle of type collection, each entry's fullUrl its canonical url; and that Bundle
 * written to f (0, KN_ENOMEM, KN_EIO). The portal serves the same files. */
json_t *eng_fhir_definitions(void);
int eng_fhir_write_definitions(FILE *f, struct kn_error *err);

#endif /* KNOD_STATS_ENG_FHIR_H */
