/* src/web/portal/web_multiples.h: the trend in every region of an indicator
 * page, as small multiples.
 *
 * One small trend per region on one common scale, with the nation's trend
 * behind each (not for a count or a sum, whose regions are always below
 * the nation: web_comparable()), the region's value and significance in
 * the chosen period beside its name. The model, under "regions_trend" of
 * the page:
 *
 *   { "periods": ["2020", ...],
 *     "rows": [{"code", "name", "url", "cells": [cell (web_model.h), one
 *               per period; a region missing from a period's version is
 *               a cell without value], "sig", "sig_text" (in the chosen
 *               period)}] }
 *
 * and a chart "multiples" (chart_multiples). A hidden value is null in
 * the chart (a hatched gap) and its reason in the table. Indicators
 * without a breakdown by region, or with one period only, get no
 * "regions_trend".
 */
#ifndef KNOD_WEB_WEB_MULTIPLES_H
#define KNOD_WEB_WEB_MULTIPLES_H

#include <jansson.h>
#include <stdbool.h>

#include "web/web_model.h"
#include "web/web_req.h"

/* Add "regions_trend" and its chart to page for the n periods pts, the
 * chosen one giving each region's significance at 95 % or 99.8 % (l998).
 * False when out of memory. */
bool web_multiples_add(struct web_req *rq, json_t *page, const struct web_point *pts, size_t n,
                       size_t chosen, bool l998);

#endif /* KNOD_WEB_WEB_MULTIPLES_H */
