/* src/web/portal/web_page_catalogue.c: the indicator catalogue (GET /indicators,
 * /api/v1/indicators): the newest version of every indicator, grouped by
 * goal area, filtered by ?q= (words in the id, title or description, in
 * the page's language; case-insensitive for ASCII and å, ä, ö). */
#include <string.h>

#include "web/web_model.h"
#include "web/web_pages.h"

#define Q_MAX 100

/* s lower-cased (ASCII, Å Ä Ö) in the arena. */
static char *lower(struct arena *a, const char *s)
{
    char *o = arena_strdup(a, s);
    for (char *p = o; p && *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
        else if ((unsigned char)p[0] == 0xc3 && ((unsigned char)p[1] == 0x85 ||
                                                 (unsigned char)p[1] == 0x84 ||
                                                 (unsigned char)p[1] == 0x96))
            p[1] = (char)((unsigned char)p[1] + 0x20);
    }
    return o;
}

static bool matches(struct web_req *rq, const struct ind_def *d, const char *q)
{
    if (!q || !*q)
        return true;
    const char *fields[] = { d->id, web_title(rq, d), web_desc(rq, d) };
    for (size_t i = 0; i < 3; i++) {
        char *h = lower(rq->arena, fields[i] ? fields[i] : "");
        if (h && strstr(h, q))
            return true;
    }
    return false;
}

int web_page_catalogue(struct web_req *rq)
{
    static const enum ind_goal order[] = { IND_GOAL_SELF_HARM, IND_GOAL_ADMISSIONS,
                                           IND_GOAL_COERCION, IND_GOAL_PATHWAY,
                                           IND_GOAL_QUALITY, IND_GOAL_NETWORK };
    const char *q = web_query(rq, "q");
    if (q && strlen(q) > Q_MAX)
        return web_bad_param(rq, "q", "the search text is longer than 100 characters");
    const char *lq = q ? lower(rq->arena, q) : NULL;
    const struct ind_catalogue *cat = rq->app->cat;
    json_t *groups = json_array();
    rq->model = json_object();
    if (!groups || !rq->model || !web_set(rq->model, "groups", groups) ||
        !web_sets(rq->model, "q", q ? q : ""))
        return 500;
    size_t count = 0;
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        json_t *list = json_array();
        if (!list)
            return 500;
        for (size_t i = 0; i < cat->n; i++) {
            const struct ind_def *d = &cat->defs[i];
            if (d->goal != order[k] || ind_find(cat, d->id) != d || !matches(rq, d, lq))
                continue;
            json_t *sum = web_def_summary(rq, d);
            if (!sum || json_array_append_new(list, sum) != 0) {
                json_decref(list);
                return 500;
            }
            if (!web_sets(sum, "description", web_desc(rq, d))) {
                json_decref(list);
                return 500;
            }
            count++;
        }
        if (json_array_size(list) == 0) {
            json_decref(list);
            continue;
        }
        char gk[48];
        snprintf(gk, sizeof gk, "goal_%s", ind_goal_name(order[k]));
        for (char *p = gk; *p; p++)
            if (*p == '-')
                *p = '_';
        json_t *g = json_object();
        if (!g || !web_sets(g, "goal", ind_goal_name(order[k])) ||
            !web_sets(g, "goal_text", web_t(rq, gk)) || !web_set(g, "indicators", list) ||
            json_array_append_new(groups, g) != 0)
            return 500;
    }
    return web_set(rq->model, "count", json_integer((json_int_t)count)) ? 200 : 500;
}
