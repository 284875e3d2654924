/* src/web/hub/web_hub_doc_links.c: a document's links to indicators and
 * pathway steps in the document page's model (web_hub.h). */
#include <string.h>

#include "hub/hub.h"
#include "hub/hub_pathway.h"
#include "web/hub/web_hub.h"
#include "web/web_model.h"

/* Append {id, url} for each indicator id of the comma list. */
static bool indicators(struct web_req *rq, json_t *arr, const char *list)
{
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        char *id = arena_strndup(rq->arena, p, n);
        if (!id || json_array_append_new(
                       arr, json_pack("{s:s, s:s}", "id", id, "url",
                                      arena_printf(rq->arena, "/indicators/%s", id))) != 0)
            return false;
        p += n + (p[n] == ',');
    }
    return true;
}

/* Append {code, title, pathway, pathway_title, url} for each step code of
 * the list and each pathway that has the step. */
static bool steps(struct web_req *rq, json_t *arr, const char *list,
                  const struct hub_pathways *ps)
{
    int l = rq->lang == WEB_SV ? 0 : 1;
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        for (size_t i = 0; i < ps->n; i++)
            for (size_t j = 0; j < ps->p[i].nsteps; j++) {
                const struct hub_step *s = &ps->p[i].steps[j];
                if (strlen(s->code) != n || strncmp(s->code, p, n) != 0)
                    continue;
                const char *url = arena_printf(rq->arena, "/pathways/%s#step-%s",
                                               ps->p[i].code, s->code);
                if (!url ||
                    json_array_append_new(
                        arr, json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", s->code,
                                       "title", s->title[l], "pathway", ps->p[i].code,
                                       "pathway_title", ps->p[i].title[l], "url", url)) != 0)
                    return false;
            }
        p += n + (p[n] == ',');
    }
    return true;
}

int web_hub_doc_links(struct web_req *rq, json_t *model, const struct hub_version *v)
{
    struct hub_pathways ps;
    struct kn_error err = KN_ERROR_INIT;
    if (rq->app->pathways)
        ps = *rq->app->pathways;
    else if (hub_pathways_shipped(&ps, rq->arena, &err) != 0)
        return 500;
    json_t *ind = json_array(), *st = json_array();
    bool ok = ind && st && indicators(rq, ind, v->indicators) &&
              steps(rq, st, v->steps, &ps);
    if (!ok) {
        json_decref(ind);
        json_decref(st);
        return 500;
    }
    bool any = json_array_size(ind) > 0 || json_array_size(st) > 0;
    if (!web_set(model, "indicators", ind) || !web_set(model, "steps", st) ||
        (!rq->api && !web_set(model, "has_links", json_boolean(any))))
        return 500;
    return 0;
}
