/* src/web/portal/web_funnel.h: the funnel plot of an indicator page.
 *
 * Each region's value against its denominator (the trials of a
 * proportion, the population of a rate) in one period, with the nation's
 * value as the centre line and the 95 % and 99.8 % control limits around
 * it (eng_funnel_limits(): the normal approximations to the binomial for
 * proportions and to the Poisson for crude rates, the same limits the
 * engine classifies each region by). The model, under "funnel" of the page:
 *
 *   { "period": "2024", "method": "proportion" | "rate",
 *     "centre": num (the nation's value), "x_label": words,
 *     "limits": [{"n", "lo95", "hi95", "lo998", "hi998"}] (the curves,
 *                 sorted by n, up to the largest shown n),
 *     "rows": [{"code", "name", "url", "cell" (web_model.h), "n_text" (the
 *               denominator as text, "" where hidden),
 *               "limits": {"lo95", "hi95", "lo998", "hi998",
 *                          "text95", "text998"} | null,
 *               "sig", "sig_text"}] }
 *
 * and a chart "funnel" (chart_funnel). A region whose value or denominator
 * is hidden is a gap in the chart and a row with the reason in the table;
 * its limits are null when its denominator is hidden (they would give it
 * away). Measures without funnel limits (counts, medians, standardised
 * totals, ratios) and indicators without a breakdown by region get no
 * "funnel" at all.
 */
#ifndef KNOD_WEB_WEB_FUNNEL_H
#define KNOD_WEB_WEB_FUNNEL_H

#include <jansson.h>
#include <stdbool.h>

#include "web/web_model.h"
#include "web/web_req.h"

/* Add "funnel" and its chart to page for the regions of pt at 95 % or
 * 99.8 % (l998) significance; nothing when the measure has no funnel.
 * False when out of memory. */
bool web_funnel_add(struct web_req *rq, json_t *page, const struct web_point *pt,
                    bool l998);

#endif /* KNOD_WEB_WEB_FUNNEL_H */
