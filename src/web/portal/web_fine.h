/* src/web/portal/web_fine.h: an indicator's municipalities or care units within
 * one region, for the indicator page and the region profile.
 *
 * Only for definitions with the breakdown `municipality` or `unit`
 * (ind.h IND_DIM_MUNICIPALITY, IND_DIM_UNIT), and only the cells that
 * disclosure control lets out: a hidden cell is a row with its reason and
 * a gap in the chart. The model:
 *
 *   { "period": "2024", "geo_level": "municipality" | "unit",
 *     "level_text": "Kommuner", "col_text": "Kommun" (words of the level),
 *     "region": {"code", "name"},
 *     "rows": [{"code", "name", "cell" (web_model.h), "sig", "sig_text"}] }
 *
 * in the places' order of the reference geography (municipality codes) or
 * of the store (units). Significance is against the nation, as for the
 * regions ("none" for counts and sums). The chart is a bar chart with
 * intervals (chart_bar), with the nation's value as the reference line
 * where the measure is comparable (proportions, rates, medians).
 */
#ifndef KNOD_WEB_WEB_FINE_H
#define KNOD_WEB_WEB_FINE_H

#include <jansson.h>
#include <stdbool.h>

#include "web/web_model.h"
#include "web/web_req.h"

/* Does the definition have municipalities or units? */
bool web_fine_has(const struct ind_def *d);

/* The model above for the places of region (a region code) in pt, at 95 %
 * or 99.8 % (l998); NULL when out of memory. */
json_t *web_fine(struct web_req *rq, const struct web_point *pt, const char *region,
                 bool l998);

/* The bar chart of fine (a model of web_fine(), for r) as chart name of
 * page, titled title, values in unit; nothing when it has no rows. False
 * when out of memory. */
bool web_fine_chart(struct web_req *rq, json_t *page, const char *name,
                    const struct web_point *pt, const json_t *fine, const char *title,
                    const char *unit);

#endif /* KNOD_WEB_WEB_FINE_H */
