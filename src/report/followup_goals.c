/* src/report/followup_goals.c: the follow-up report's indicator sections,
 * the three goals and the care pathway, from the engine's output rows
 * (followup.h, followup_impl.h). */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "report/followup_impl.h"

/* The row's key in the index: indicator, measure, period and place, for
 * both sexes and all ages (the report's cells). */
static void row_key(char *buf, size_t cap, const char *id, const char *measure, int year,
                    const char *geo)
{
    snprintf(buf, cap, "%s|%s|%d|%s", id, measure, year, geo);
}

int fu_index_rows(json_t *index, const json_t *rows, struct kn_error *err)
{
    size_t i;
    json_t *r;
    json_array_foreach (rows, i, r) {
        const char *sex = json_string_value(json_object_get(r, "sex"));
        const char *band = json_string_value(json_object_get(r, "band"));
        const char *level = json_string_value(json_object_get(r, "geo_level"));
        if (!sex || strcmp(sex, "T") || !band || strcmp(band, "all") || !level
            || (strcmp(level, "nation") && strcmp(level, "region")))
            continue;
        const char *id = json_string_value(json_object_get(r, "indicator"));
        const char *m = json_string_value(json_object_get(r, "measure"));
        const char *period = json_string_value(json_object_get(r, "period"));
        const char *geo = json_string_value(json_object_get(r, "geo"));
        if (!id || !m || !period || !geo)
            return kn_fail(err, KN_EINPUT, "engine row %zu: indicator, measure, period or geo "
                           "missing", i);
        /* yearly periods only: "2024" (a definition by quarter is left out) */
        if (strlen(period) != 4)
            continue;
        char key[160];
        row_key(key, sizeof key, id, m, atoi(period), geo);
        if (json_object_set(index, key, r) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    return 0;
}

static const json_t *row_at(const struct fu_ctx *c, const struct ind_def *d, int year,
                            const char *geo)
{
    char key[160];
    row_key(key, sizeof key, d->id, fu_headline(d)->name, year, geo);
    return json_object_get(c->index, key);
}

const struct ind_measure *fu_headline(const struct ind_def *d)
{
    /* (target_measure is -1 only before ind_check) */
    return &d->measures[d->has_target && d->target_measure >= 0 ? d->target_measure : 0];
}

/* The latest version of each indicator is the one reported. */
static bool latest(const struct ind_catalogue *cat, const struct ind_def *d)
{
    for (size_t i = 0; i < cat->n; i++)
        if (strcmp(cat->defs[i].id, d->id) == 0 && cat->defs[i].version > d->version)
            return false;
    return true;
}

static int decimals(const struct ind_def *d)
{
    const struct ind_measure *m = fu_headline(d);
    return (m->kind == IND_M_COUNT && !m->per) || m->kind == IND_M_SUM ? 0 : 1;
}

/* A cell of the report: value and interval as numbers (null when hidden
 * or missing) and as text, the target's status, and why it is hidden. */
static json_t *cell(const struct fu_ctx *c, const struct ind_def *d, const json_t *row)
{
    json_t *o = json_object();
    const json_t *v = row ? json_object_get(row, "value") : NULL;
    bool shown = json_is_number(v);
    bool hidden = row && json_is_true(json_object_get(row, "suppressed"));
    char text[48] = "", ci[112] = "";
    int dec = decimals(d);
    if (shown)
        fu_fmt(c, json_number_value(v), dec, text, sizeof text);
    const json_t *lo = row ? json_object_get(row, "lower_95") : NULL;
    const json_t *hi = row ? json_object_get(row, "upper_95") : NULL;
    if (shown && json_is_number(lo) && json_is_number(hi)) {
        char a[48], b[48];
        fu_fmt(c, json_number_value(lo), dec, a, sizeof a);
        fu_fmt(c, json_number_value(hi), dec, b, sizeof b);
        snprintf(ci, sizeof ci, "%s–%s", a, b);
    }
    const char *status = row ? json_string_value(json_object_get(row, "status")) : NULL;
    const char *reason = row ? json_string_value(json_object_get(row, "reason")) : NULL;
    json_object_set_new(o, "value", shown ? json_real(json_number_value(v)) : json_null());
    json_object_set_new(o, "text", json_string(text));
    json_object_set_new(o, "ci", json_string(ci));
    json_object_set_new(o, "suppressed", json_boolean(hidden));
    json_object_set_new(o, "reason", json_string(hidden && reason ? reason : ""));
    json_object_set_new(o, "missing", json_boolean(!shown && !hidden));
    json_object_set_new(o, "met", json_boolean(status && strcmp(status, "met") == 0));
    json_object_set_new(o, "not_met", json_boolean(status && strcmp(status, "not_met") == 0));
    return o;
}

static const char *title(const struct fu_ctx *c, const struct ind_def *d)
{
    return c->en && d->title_en ? d->title_en : d->title_sv;
}

/* The target in words, as the portal says it (ind_target_words). */
static void target_text(const struct fu_ctx *c, const struct ind_def *d, char *buf, size_t cap)
{
    ind_target_words(d, !c->en, buf, cap);
}

/* The first year of the trend: the definition's, or 2020. */
static int first_year(const struct ind_def *d)
{
    return d->year_from ? d->year_from : 2020;
}

/* The trend chart of d: the nation (and the region) over the years, and
 * the nation's target level when the target is a change from a base year
 * with a shown value there. */
static json_t *trend_chart(const struct fu_ctx *c, const struct ind_def *d, const char *slug)
{
    json_t *x = json_array(), *nat = json_array(), *reg = c->region ? json_array() : NULL;
    for (int y = first_year(d); y <= c->o->year; y++) {
        char yb[8];
        snprintf(yb, sizeof yb, "%d", y);
        json_array_append_new(x, json_string(yb));
        const json_t *v = json_object_get(row_at(c, d, y, "SE"), "value");
        json_array_append_new(nat, json_is_number(v) ? json_real(json_number_value(v))
                                                     : json_null());
        if (reg) {
            v = json_object_get(row_at(c, d, y, c->region->code), "value");
            json_array_append_new(reg, json_is_number(v) ? json_real(json_number_value(v))
                                                         : json_null());
        }
    }
    json_t *series = json_array();
    json_array_append_new(series, json_pack("{s:s,s:o}", "name", c->nation_name, "values", nat));
    if (reg)
        json_array_append_new(series, json_pack("{s:s,s:o}", "name", c->region->name, "values",
                                                reg));
    char desc[512];
    snprintf(desc, sizeof desc, "%s, %d–%d. %s", title(c, d), first_year(d), c->o->year,
             fu_word(c, "rep_chart_trend_desc"));
    json_t *m = json_pack("{s:s,s:s,s:s,s:o,s:o,s:b}", "id", slug, "title", title(c, d),
                          "desc", desc, "x", x, "series", series, "decimal_comma", !c->en);
    if (d->target_base_year) {
        const json_t *base = json_object_get(row_at(c, d, d->target_base_year, "SE"), "value");
        if (json_is_number(base)) {
            json_object_set_new(m, "target",
                                json_real(json_number_value(base) * (1.0 + d->target / 100.0)));
            json_object_set_new(m, "target_label", json_string(fu_word(c, "rep_target_nation")));
        }
    }
    return m;
}

/* The regions in the year as bars, the nation as the reference line. */
static json_t *regions_chart(const struct fu_ctx *c, const struct ind_def *d, const char *slug)
{
    json_t *bars = json_array();
    for (size_t i = 0; i < c->g->nregions; i++) {
        const struct geo_region *r = &c->g->regions[i];
        json_t *cl = cell(c, d, row_at(c, d, c->o->year, r->code));
        json_array_append_new(bars, json_pack("{s:s,s:O,s:O}", "label", r->short_name, "value",
                                              json_object_get(cl, "value"), "text",
                                              json_object_get(cl, "text")));
        json_decref(cl);
    }
    char desc[512];
    snprintf(desc, sizeof desc, "%s, %d. %s", title(c, d), c->o->year,
             fu_word(c, "rep_chart_regions_desc"));
    json_t *m = json_pack("{s:s,s:s,s:s,s:o,s:b}", "id", slug, "title", title(c, d), "desc",
                          desc, "bars", bars, "decimal_comma", !c->en);
    const json_t *nv = json_object_get(row_at(c, d, c->o->year, "SE"), "value");
    if (json_is_number(nv))
        json_object_set_new(m, "reference", json_pack("{s:s,s:f}", "label", c->nation_name,
                                                      "value", json_number_value(nv)));
    return m;
}

/* The places of a table: the nation, then the region or every region. */
static json_t *place_rows(const struct fu_ctx *c, const struct ind_def *d)
{
    json_t *list = json_array();
    json_t *n = cell(c, d, row_at(c, d, c->o->year, "SE"));
    json_object_set_new(n, "place", json_string(c->nation_name));
    json_object_set_new(n, "nation", json_true());
    json_array_append_new(list, n);
    for (size_t i = 0; i < c->g->nregions; i++) {
        const struct geo_region *r = &c->g->regions[i];
        if (c->region && r != c->region)
            continue;
        json_t *x = cell(c, d, row_at(c, d, c->o->year, r->code));
        json_object_set_new(x, "place", json_string(r->name));
        json_array_append_new(list, x);
    }
    return list;
}

static int count_met(const struct fu_ctx *c, const struct ind_def *d, int *met, int *with)
{
    *met = *with = 0;
    for (size_t i = 0; i < c->g->nregions; i++) {
        const char *s = json_string_value(
            json_object_get(row_at(c, d, c->o->year, c->g->regions[i].code), "status"));
        if (s && *s) {
            (*with)++;
            *met += strcmp(s, "met") == 0;
        }
    }
    return 0;
}

static json_t *goal(const struct fu_ctx *c, const struct ind_def *d, const char *key)
{
    char target[160], slug[48];
    target_text(c, d, target, sizeof target);
    json_t *g = json_object();
    char hk[48], tk[48];
    snprintf(hk, sizeof hk, "goal_%s_heading", key);
    snprintf(tk, sizeof tk, "goal_%s_text", key);
    json_object_set_new(g, "heading", json_string(fu_word(c, hk)));
    json_object_set_new(g, "text", json_string(fu_word(c, tk)));
    json_object_set_new(g, "id", json_string(d->id));
    json_object_set_new(g, "title", json_string(title(c, d)));
    json_object_set_new(g, "target", json_string(target));
    json_object_set_new(g, "rows", place_rows(c, d));
    snprintf(slug, sizeof slug, "trend-%s", key);
    json_object_set_new(g, "trend", trend_chart(c, d, slug));
    snprintf(slug, sizeof slug, "regions-%s", key);
    json_object_set_new(g, "regions", regions_chart(c, d, slug));
    json_t *years = json_array();
    for (int y = first_year(d); y <= c->o->year; y++) {
        json_t *x = cell(c, d, row_at(c, d, y, "SE"));
        json_object_set_new(x, "year", json_integer(y));
        if (c->region) {
            json_t *rc = cell(c, d, row_at(c, d, y, c->region->code));
            json_object_set_new(x, "region", rc);
        }
        json_array_append_new(years, x);
    }
    json_object_set_new(g, "years", years);
    int met, with;
    count_met(c, d, &met, &with);
    json_object_set_new(g, "regions_met", json_integer(met));
    json_object_set_new(g, "regions_with_status", json_integer(with));
    return g;
}

int fu_goals(struct fu_ctx *c, json_t *model, struct kn_error *err)
{
    static const struct {
        enum ind_goal goal;
        const char *key;
    } goals[] = {
        { IND_GOAL_SELF_HARM, "main" }, /* messages goal_KEY_heading, goal_KEY_text */
        { IND_GOAL_ADMISSIONS, "admissions" },
        { IND_GOAL_COERCION, "coercion" },
    };
    json_t *list = json_array();
    json_object_set_new(model, "goals", list);
    for (size_t k = 0; k < sizeof goals / sizeof goals[0]; k++) {
        /* the goal's headline: its indicator whose target is a change from
         * a base year (one per goal in the shipped catalogue) */
        const struct ind_def *h = NULL;
        for (size_t i = 0; i < c->cat->n && !h; i++) {
            const struct ind_def *d = &c->cat->defs[i];
            if (d->goal == goals[k].goal && d->has_target && d->target_base_year
                && latest(c->cat, d))
                h = d;
        }
        if (h && json_array_append_new(list, goal(c, h, goals[k].key)) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    json_t *path = json_array();
    json_object_set_new(model, "pathway", path);
    for (size_t i = 0; i < c->cat->n; i++) {
        const struct ind_def *d = &c->cat->defs[i];
        if (d->goal != IND_GOAL_PATHWAY || !d->has_target || !latest(c->cat, d))
            continue;
        char target[160];
        target_text(c, d, target, sizeof target);
        int met, with;
        count_met(c, d, &met, &with);
        json_t *p = json_object();
        json_object_set_new(p, "id", json_string(d->id));
        json_object_set_new(p, "title", json_string(title(c, d)));
        json_object_set_new(p, "target", json_string(target));
        json_object_set_new(p, "nation", cell(c, d, row_at(c, d, c->o->year, "SE")));
        if (c->region)
            json_object_set_new(p, "region",
                                cell(c, d, row_at(c, d, c->o->year, c->region->code)));
        json_object_set_new(p, "regions_met", json_integer(met));
        json_object_set_new(p, "regions_with_status", json_integer(with));
        if (json_array_append_new(path, p) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    return 0;
}
