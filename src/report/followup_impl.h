/* src/report/followup_impl.h: what the follow-up report's files share
 * (followup.h). Not an API. */
#ifndef KNOD_REPORT_FOLLOWUP_IMPL_H
#define KNOD_REPORT_FOLLOWUP_IMPL_H

#include "report/followup.h"

struct fu_ctx {
    const struct followup_options *o;
    const struct ind_catalogue *cat;
    const struct geo *g;
    const struct geo_region *region; /* o->region's, or NULL */
    struct store *st;
    struct arena *a;
    json_t *index;       /* "id|measure|year|geo" -> engine row (followup_goals.c) */
    const json_t *words; /* the message catalogue in the report's language */
    bool en;
    const char *nation_name;
};

/* The report's word for key (data/i18n/report.csv), or the key itself. */
const char *fu_word(const struct fu_ctx *c, const char *key);

/* v with decimals, a decimal comma and thin-space thousands in Swedish. */
void fu_fmt(const struct fu_ctx *c, double v, int decimals, char *buf, size_t cap);

/* The headline measure of d: its target's, or its first. */
const struct ind_measure *fu_headline(const struct ind_def *d);

/* Index the rows of both sexes and all ages, nation and regions, by year. */
int fu_index_rows(json_t *index, const json_t *rows, struct kn_error *err);

/* model["goals"] and model["pathway"] (followup_goals.c). */
int fu_goals(struct fu_ctx *c, json_t *model, struct kn_error *err);

/* model["trainings"], ["consultations"], ["activities"] (followup_network.c). */
int fu_network(struct fu_ctx *c, json_t *model, struct kn_error *err);

/* model["surveys"]: those closed in the year (followup_surveys.c). */
int fu_surveys(struct fu_ctx *c, json_t *model, struct kn_error *err);

#endif /* KNOD_REPORT_FOLLOWUP_IMPL_H */
