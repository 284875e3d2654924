/* src/export/eng_fhir_impl.h: what the Measure (eng_fhir.c) and the
 * MeasureReport (eng_fhir_report.c) must agree on: the populations and
 * scoring of each kind of measure, the stratifiers of the breakdowns, and
 * the codes. Internal to those two files.
 */
#ifndef KNOD_STATS_ENG_FHIR_IMPL_H
#define KNOD_STATS_ENG_FHIR_IMPL_H

#include "export/eng_fhir.h"

#define EF_CS_SCORING "http://terminology.hl7.org/CodeSystem/measure-scoring"
#define EF_CS_IMPROVEMENT                                                                \
    "http://terminology.hl7.org/CodeSystem/measure-improvement-notation"
#define EF_CS_POPULATION   "http://terminology.hl7.org/CodeSystem/measure-population"
#define EF_CS_GENDER       "http://hl7.org/fhir/administrative-gender"
#define EF_EXT_TRANSLATION "http://hl7.org/fhir/StructureDefinition/translation"
#define EF_EXT_ABSENT      "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
/* R4 has scoring only on the Measure; R5's Measure.group.scoring, carried
 * back with FHIR's cross-version extension, says it per group. */
#define EF_EXT_GROUP_SCORING                                                             \
    "http://hl7.org/fhir/5.0/StructureDefinition/extension-Measure.group.scoring"
#define EF_CS_BREAKDOWN ENG_FHIR_BASE "/CodeSystem/breakdown"
#define EF_CS_MEASURE   ENG_FHIR_BASE "/CodeSystem/indicator-measure"

/* Where a population's count comes from in a cell. */
enum ef_src { EF_NONE, EF_NUM, EF_DEN };

struct ef_pop {
    const char *code; /* of EF_CS_POPULATION */
    enum ef_src src;  /* EF_NONE: the Measure defines it, reports give no count */
};

#define EF_MAX_POPS 3

/* The populations of measure m (at most EF_MAX_POPS), in output order. */
size_t eng_fhir_pops(const struct ind_measure *m, struct ef_pop out[EF_MAX_POPS]);

/* The measure-scoring code of m: proportion, ratio, continuous-variable,
 * cohort. */
const char *eng_fhir_scoring(const struct ind_measure *m);

/* One combination of breakdowns: a stratifier. level is an enum
 * eng_geo_level (ENG_GEO_NATION: no place breakdown). */
struct ef_strat {
    int level;
    bool sex, band;
};

#define EF_MAX_STRATS 16

/* The stratifiers of d under the breakdowns dims (IND_DIM_*; 0: d's own):
 * every combination of place level, sex and band the dims allow, except
 * the nation with both sexes and all ages (the group itself). */
size_t eng_fhir_strats(const struct ind_def *d, unsigned dims,
                       struct ef_strat out[EF_MAX_STRATS]);

/* The breakdown codes of s, in order (place, sex, band): "healthcare-region",
 * "region", "municipality" or "unit", "sex", "age-band". Returns the count. */
size_t eng_fhir_strat_dims(const struct ind_def *d, struct ef_strat s,
                           const char *out[3]);

/* A CodeableConcept with one coding (display may be NULL) and text (may be
 * NULL). */
json_t *eng_fhir_cc(const char *system, const char *code, const char *display,
                    const char *text);

/* The name of stratifier s, its breakdowns joined by '+' ("region+sex"):
 * the Measure's stratifier.id. */
void eng_fhir_strat_id(const struct ind_def *d, struct ef_strat s, char *buf, size_t cap);

/* The code of one breakdown (in EF_CS_BREAKDOWN): a one-breakdown
 * stratifier's code, or a component's. */
json_t *eng_fhir_dim_code(const char *dim);

/* A MeasureReport stratifier's code: an array of the codes of s's
 * breakdowns, in order (one for a single breakdown). mea-1 allows a
 * Measure's composite stratifier no code of its own, so a report names
 * it by its components' codes. */
json_t *eng_fhir_strat_codes(const struct ind_def *d, struct ef_strat s);

/* The code of a measure's group: its name in EF_CS_MEASURE. */
json_t *eng_fhir_group_code(const struct ind_measure *m);

/* A Quantity of value v in m's unit (per cent, days, hours, per N; none
 * for counts), UCUM-coded where UCUM has the unit. */
json_t *eng_fhir_quantity(const struct ind_measure *m, double v);

/* The Measure's id ("sh-young-rate-v1") and canonical URL under base
 * (NULL: ENG_FHIR_BASE), "<base>/Measure/<indicator id>". */
void eng_fhir_id(const struct ind_def *d, char *buf, size_t cap);
void eng_fhir_url(const char *base, const char *indicator_id, char *buf, size_t cap);

/* Set key k of o to v (stolen), or append v to array a. 1 on failure (v
 * NULL included), so that `bad |= ef_set(...)` collects failures. */
static inline int ef_set(json_t *o, const char *k, json_t *v)
{
    return json_object_set_new(o, k, v) != 0;
}

static inline int ef_push(json_t *a, json_t *v)
{
    return json_array_append_new(a, v) != 0;
}

#endif /* KNOD_STATS_ENG_FHIR_IMPL_H */
