/* src/web/portal/web_charts.h: chart models inside page models, and their SVG.
 *
 * A page model may hold "charts": {NAME: {"kind": "line"|"bar"|"funnel"|
 * "spine"|"heat"|"tiles", "model": {...}}}, each model as src/chart/chart.h
 * takes it, built from the page's own numbers (hidden ones are null, so a
 * chart draws a gap). The JSON API returns the chart models as they are;
 * for HTML, web_charts_render() draws every chart into {"svg": {NAME:
 * "<svg ...>"}}, a context that templates insert raw as {{{svg.NAME}}}:
 * the chart module escapes every text, so its output is trusted markup.
 * Each chart has its data table beside it in the template.
 */
#ifndef KNOD_WEB_WEB_CHARTS_H
#define KNOD_WEB_WEB_CHARTS_H

#include <jansson.h>

#include "web/web_req.h"

/* Add chart NAME of kind to the page model (model["charts"][name]); takes
 * the reference to chart. False when out of memory. */
bool web_chart_add(json_t *page, const char *name, const char *kind, json_t *chart);

/* The legend of the significance classes in the request's language. */
json_t *web_chart_legend(const struct web_req *rq);

/* The chart class of a significance word ("higher"/"lower": "none"). */
const char *web_chart_sig(const char *sig);

/* {"svg": {NAME: markup}} for the charts of page (a chart whose model the
 * chart module refuses is left out and logged: its table remains). */
json_t *web_charts_render(const json_t *page);

#endif /* KNOD_WEB_WEB_CHARTS_H */
