/* src/chart/chart.h: SVG charts drawn from a jansson model.
 *
 * Each function takes the model of one chart and appends one standalone
 * <svg> element to out: role="img", a <title> and a <desc> (the model's
 * "title" and "desc", which say what the chart shows) named by
 * aria-labelledby, a viewBox and width="100%" so it scales to a phone and
 * to print. Every piece of text in the model is escaped (src/chart/svg.h),
 * so the result is trusted markup that a template may insert as it is.
 *
 * The model is given already translated: the module knows no language.
 * Optional keys everywhere: "id" (a prefix for the element ids, [a-z0-9-],
 * default "chart"; give each chart of a page its own), "decimal_comma"
 * (true: 12,5 rather than 12.5 in tick and value labels).
 *
 * A missing or suppressed value is JSON null: it is drawn as a gap (a
 * hatched mark and no bar, point or line through it), never as zero.
 * Significance ("sig": "better", "similar", "worse", "none",
 * "suppressed") is shown by a colour that colour-blind readers can tell
 * apart (dark blue, yellow with a dark outline, dark orange) and by a second
 * cue: a shape (triangle up, circle, triangle down) beside the colour.
 *
 * Models (see each function): a "legend" object gives the words for the
 * significance classes ({"better": ..., "similar": ..., "worse": ...,
 * "none": ..., "suppressed": ...}); a class without a word is left out of
 * the legend.
 *
 * Every function returns 0, or KN_EINPUT with a message naming the bad
 * model key ("chart model: 'bars'[3].'value': not a number"), or
 * KN_ENOMEM. On error out may hold a partial chart: discard it.
 */
#ifndef KNOD_CHART_CHART_H
#define KNOD_CHART_CHART_H

#include <jansson.h>

#include "base/error.h"
#include "base/strbuf.h"

/* A trend: {"title", "desc", "y_label", "x": [period labels],
 * "series": [{"name", "values": [n|null...], "lo": [...], "hi": [...]}]
 * (1 to 4 series, each as long as "x"; "lo"/"hi" optional, drawn as
 * interval bars), "target": n (optional line), "target_label"}. */
int chart_line(const json_t *m, struct strbuf *out, struct kn_error *err);

/* Areas compared, one horizontal bar each: {"title", "desc", "unit",
 * "reference": {"label", "value"} (optional line, e.g. the nation),
 * "bars": [{"label", "value": n|null, "lo", "hi", "sig", "text"}],
 * "legend"}; a bar's "text" (optional) is its value label as the page
 * formats it. */
int chart_bar(const json_t *m, struct strbuf *out, struct kn_error *err);

/* A funnel plot: {"title", "desc", "x_label", "y_label", "centre": n,
 * "limits": [{"n", "lo95", "hi95", "lo998", "hi998"}] (sorted by n),
 * "points": [{"label", "n", "value": n|null, "sig"}], "legend"}. */
int chart_funnel(const json_t *m, struct strbuf *out, struct kn_error *err);

/* An area profile (spine chart): {"title", "desc", "legend",
 * "rows": [{"label", "value": n|null, "nation": n|null, "min", "q1", "q3",
 * "max", "higher_is_better": bool, "sig"}]}. Each row is scaled to its
 * own range of areas, better to the right. */
int chart_spine(const json_t *m, struct strbuf *out, struct kn_error *err);

/* A heat map (areas x indicators): {"title", "desc", "legend",
 * "cols": [labels], "rows": [labels],
 * "cells": [[{"sig", "text"}...]...] (rows x cols)}. */
int chart_heat(const json_t *m, struct strbuf *out, struct kn_error *err);

/* Sweden's 21 regions as tiles in a grid of the country's shape:
 * {"title", "desc", "legend", "tiles": [{"code": "01".."25", "label",
 * "text", "sig"}]}. Regions not listed are drawn empty. */
int chart_tiles(const json_t *m, struct strbuf *out, struct kn_error *err);

/* Small multiples (chart_multiples.c): one small trend per area on one
 * common scale, with a reference line behind each: {"title", "desc",
 * "x": [period labels], "series_label" (the key's word for the areas'
 * line, optional), "reference": {"label", "values": [n|null...]}
 * (optional, e.g. the nation), "panels": [{"label", "values": [n|null...],
 * "text" (optional, e.g. the chosen period's value as the page formats
 * it), "sig" (optional, its class)}] (1 to 64, each as long as "x"),
 * "legend"}. The exception to the one-element rule above: it writes the
 * key (an <svg> with the chart's title and desc) and then one <svg> per
 * panel (its label as title, "label: text (class)" as desc, ids
 * "ID-pN-*"), so that a page can lay the panels out in a grid that
 * reflows on a phone. A gap is a hatched mark on the panel's axis. */
int chart_multiples(const json_t *m, struct strbuf *out, struct kn_error *err);

/* A care pathway as a flow, top to bottom (chart_flow.c): {"title",
 * "desc", "phases": [{"label", "steps": [{"label", "limit": text
 * (optional, e.g. "within 7 days"), "figures": text (optional, e.g. the
 * nation's and a region's value as the page formats them)}]}]}. Each
 * phase is a heading, each step a box, an arrow from each step to the
 * next; a suppressed figure is whatever text the page gives for it. */
int chart_flow(const json_t *m, struct strbuf *out, struct kn_error *err);

#endif /* KNOD_CHART_CHART_H */
