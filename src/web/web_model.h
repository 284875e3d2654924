/* src/web/web_model.h: the pieces page models are built from.
 *
 * A page handler builds one jansson model from the current view
 * (web_results.h); these helpers turn the engine's cells into model
 * objects the same way on every page, so that a number, its interval,
 * its suppression and its comparison with the nation read alike
 * everywhere:
 *
 *   cell: { "value": num|null, "lo": num|null, "hi": num|null,
 *           "numerator": num|null, "denominator": num|null,
 *           "value_text": "12,3" | "", "ci_text": "10,1–14,6" | "",
 *           "suppressed": bool, "reason": "count"|"denominator"|
 *           "complementary"|"", "reason_text": words (never a number) }
 * A hidden number is null in the model, never the hidden value: the
 * model is built from what sup.h lets out, as `knod indicators run`.
 *
 * Significance against the nation at 95 % or 99.8 % ("better", "similar",
 * "worse", or "higher"/"lower" for an indicator without a direction,
 * "none" when it cannot be judged or is not comparable: a count or a sum,
 * which grows with the size of the place, "suppressed"): from the funnel limits
 * where the engine has them (proportions and crude rates), else from the
 * place's interval against the nation's value (docs/architecture.md, Web).
 */
#ifndef KNOD_WEB_WEB_MODEL_H
#define KNOD_WEB_WEB_MODEL_H

#include <jansson.h>
#include <stdbool.h>

#include "engine/eng.h"
#include "web/web_req.h"
#include "web/web_results.h"

/* One version's period of a series: result r, its period index p. */
struct web_point {
    const struct eng_result *r;
    int p;
    int month;       /* first month of the period, year * 12 + month - 1 */
    char text[16];   /* "2024" */
};

/* The valid periods of indicator id's measure over all its versions, in
 * time order (arena memory). measure NULL: each version's headline
 * measure. Returns the number of points (0: none). */
size_t web_series(const struct web_view *v, const char *id, const char *measure,
                  struct arena *a, struct web_point **out);

/* The place index of code at level in r ("SE" is the nation), or -1. */
long web_geo_find(const struct eng_result *r, const struct snap *s, enum eng_geo_level level,
                  const char *code);

/* The cell of a model (see above), with the 95 % or 99.8 % interval. */
json_t *web_cell(const struct web_req *rq, const struct eng_result *r, const struct eng_cell *c,
                 bool level998);

/* Significance of cell c against the nation's cell n (see above). */
const char *web_sig(const struct eng_result *r, const struct eng_cell *c,
                    const struct eng_cell *n, bool level998);

/* A number as text in the request's language ("1 234,5" / "1,234.5"). */
void web_fmt(const struct web_req *rq, double v, int decimals, char *buf, size_t cap);

/* Decimals shown for values of r's measure: 0 for counts and sums, else 1. */
int web_decimals(const struct eng_result *r);

/* Whether places' values of r's measure can be set against the nation's:
 * not a count (without `per`) or a sum, which grow with the place. */
bool web_comparable(const struct eng_result *r);

/* The definition's title, description, unit of a measure in the request's
 * language. */
const char *web_title(const struct web_req *rq, const struct ind_def *d);
const char *web_desc(const struct web_req *rq, const struct ind_def *d);
const char *web_unit(const struct web_req *rq, const struct ind_measure *m);

/* A summary of a definition: id, version, title, goal, goal_text, unit,
 * direction, target, url. */
json_t *web_def_summary(const struct web_req *rq, const struct ind_def *d);

/* Set key of obj to a new value; false when out of memory (the helpers
 * below make handlers short: a model that failed is answered 500). */
bool web_set(json_t *obj, const char *key, json_t *v);
bool web_sets(json_t *obj, const char *key, const char *s);

/* The text of a significance word in the request's language. */
const char *web_sig_text(const struct web_req *rq, const char *sig);

/* 503 while no results exist: sets the answer, returns 503. */
int web_not_ready(struct web_req *rq);

/* The ?level= value: false for 95 (default), true for 99.8; 400 on junk
 * (then *status is set). */
bool web_level(struct web_req *rq, int *status);

#endif /* KNOD_WEB_WEB_MODEL_H */
