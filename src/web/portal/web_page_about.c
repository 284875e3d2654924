/* src/web/portal/web_page_about.c: about the data with the accessibility
 * statement (GET /about) and the downloads (GET /downloads). Their text is
 * in the message catalogue; the models carry the numbers the text needs
 * (the disclosure thresholds of knod.ini) and the download links. */
#include <string.h>

#include "base/config.h"
#include "web/web_model.h"
#include "web/web_pages.h"

int web_page_about(struct web_req *rq)
{
    const struct config *cfg = rq->app->cfg;
    rq->model = json_pack("{s:i, s:i}", "min_count", cfg->min_count, "min_denominator",
                          cfg->min_denominator);
    return rq->model ? 200 : 500;
}

int web_page_downloads(struct web_req *rq)
{
    const struct ind_catalogue *cat = rq->app->cat;
    json_t *list = json_array();
    rq->model = json_object();
    if (!list || !rq->model || !web_set(rq->model, "indicators", list))
        return 500;
    for (size_t i = 0; i < cat->n; i++) {
        const struct ind_def *d = &cat->defs[i];
        if (ind_find(cat, d->id) != d)
            continue;
        json_t *o = web_def_summary(rq, d);
        if (!o || json_array_append_new(list, o) != 0 ||
            !web_sets(o, "csv", arena_printf(rq->arena, "/api/v1/results?indicator=%s&format=csv",
                                             d->id)) ||
            !web_sets(o, "xlsx", arena_printf(rq->arena,
                                              "/api/v1/results?indicator=%s&format=xlsx", d->id)) ||
            !web_sets(o, "json", arena_printf(rq->arena, "/api/v1/results?indicator=%s", d->id)) ||
            !web_sets(o, "fhir", arena_printf(rq->arena,
                                              "/api/v1/results?indicator=%s&format=fhir", d->id)) ||
            !web_sets(o, "kolada", arena_printf(rq->arena,
                                                "/api/v1/results?indicator=%s&format=kolada",
                                                d->id)))
            return 500;
    }
    return 200;
}
