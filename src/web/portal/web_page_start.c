/* src/web/portal/web_page_start.c: the start page (GET /, /api/v1/start).
 *
 * The overall goal and the two sub-goals of the national agreement, each
 * measured by its headline indicator: the national trend, and every
 * region's latest value against its target. The three indicators are the
 * catalogue's headline ones (the same three `make demo` prints); one that
 * is missing from the catalogue is left out. Each links the downloads of
 * its indicator (web_downloads.h).
 */
#include <string.h>

#include "export/eng_out.h"
#include "web/portal/web_downloads.h"
#include "web/web_model.h"
#include "web/web_pages.h"

static const struct {
    const char *id;
    const char *key; /* messages goal_KEY_heading, goal_KEY_text */
} goals[] = {
    { "sh-young-rate", "main" },
    { "adm-sh-young-rate", "admissions" },
    { "coe-young", "coercion" },
};

static json_t *goal_model(struct web_req *rq, const char *id, const char *key)
{
    const struct ind_def *d = ind_find(rq->app->cat, id);
    struct web_point *pts;
    size_t n = d ? web_series(rq->view, id, NULL, rq->arena, &pts) : 0;
    if (!n)
        return NULL;
    const struct snap *s = rq->view->snap;
    json_t *trend = json_array(), *regions = json_array(), *g = json_object();
    char hk[64], tk[64];
    snprintf(hk, sizeof hk, "goal_%s_heading", key);
    snprintf(tk, sizeof tk, "goal_%s_text", key);
    bool ok = trend && regions && g;
    for (size_t i = 0; ok && i < n; i++) {
        const struct eng_result *r = pts[i].r;
        json_t *row = json_object();
        ok = row && web_sets(row, "period", pts[i].text) &&
             web_set(row, "nation", web_cell(rq, r, eng_cell(r, pts[i].p, 0, 0, 0), false)) &&
             json_array_append_new(trend, row) == 0;
    }
    const struct web_point *last = &pts[n - 1];
    const struct eng_result *r = last->r;
    for (size_t k = 0; ok && k < r->ngeo; k++) {
        if (eng_geo_level(r, k) != ENG_GEO_REGION || !eng_geo_shown(r, k))
            continue;
        const char *st = eng_status(r, last->p, k, 0, 0);
        char sk[32];
        snprintf(sk, sizeof sk, "status_%s", st[0] ? st : "none");
        const char *code = eng_geo_code(r, s, k);
        json_t *row = json_object();
        ok = row && web_sets(row, "code", code) &&
             web_sets(row, "name", eng_geo_name(r, s, k)) &&
             web_sets(row, "url", arena_printf(rq->arena, "/regions/%s", code)) &&
             web_set(row, "cell", web_cell(rq, r, eng_cell(r, last->p, k, 0, 0), false)) &&
             web_sets(row, "status", st) && web_sets(row, "status_text", web_t(rq, sk)) &&
             json_array_append_new(regions, row) == 0;
    }
    ok = ok && web_sets(g, "key", key) && web_sets(g, "heading", web_t(rq, hk)) &&
         web_sets(g, "text", web_t(rq, tk)) && web_set(g, "indicator", web_def_summary(rq, d)) &&
         web_sets(g, "latest", last->text) && web_set(g, "trend", trend) &&
         web_set(g, "regions", regions) &&
         web_set(g, "downloads",
                 web_downloads(rq, arena_printf(rq->arena, "indicator=%s", id),
                               arena_printf(rq->arena, "indicator=%s", id)));
    if (!ok) {
        json_decref(g);
        return NULL;
    }
    return g;
}

int web_page_start(struct web_req *rq)
{
    json_t *list = json_array();
    rq->model = json_object();
    if (!list || !rq->model || !web_set(rq->model, "goals", list))
        return 500;
    for (size_t i = 0; i < sizeof goals / sizeof goals[0]; i++) {
        json_t *g = goal_model(rq, goals[i].id, goals[i].key);
        if (g)
            json_array_append_new(list, g);
    }
    return 200;
}
