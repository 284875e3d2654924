/* src/web/hub/web_hub_doc_links.c: a document's links to indicators,
 * pathway steps, references and practices in the document page's model,
 * and the links of hub_links.h as JSON (web_hub.h). */
#include <string.h>

#include "base/text.h"
#include "hub/hub.h"
#include "hub/hub_links.h"
#include "hub/hub_pathway.h"
#include "web/hub/web_hub.h"
#include "web/hub/web_hub_refs.h"
#include "web/web_model.h"
#include "web/web_session.h"

/* Append {id, url} for each indicator id of the comma list. */
static bool indicators(struct web_req *rq, json_t *arr, const char *list)
{
    const char *p;
    size_t n;
    for (const char *at = list; text_list_next(&at, &p, &n);) {
        char *id = arena_strndup(rq->arena, p, n);
        if (!id || json_array_append_new(
                       arr, json_pack("{s:s, s:s}", "id", id, "url",
                                      arena_printf(rq->arena, "/indicators/%s", id))) != 0)
            return false;
    }
    return true;
}

/* Append {code, title, pathway, pathway_title, url} for each step code of
 * the list and each pathway that has the step. */
static bool steps(struct web_req *rq, json_t *arr, const char *list,
                  const struct hub_pathways *ps)
{
    int l = rq->lang == WEB_SV ? 0 : 1;
    const char *p;
    size_t n;
    for (const char *at = list; text_list_next(&at, &p, &n);) {
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
    }
    return true;
}

/* The server's pathways, or the shipped ones parsed into the request's
 * arena (an app made without them, as in unit tests). */
static int pathways(struct web_req *rq, struct hub_pathways *ps)
{
    struct kn_error err = KN_ERROR_INIT;
    if (rq->app->pathways) {
        *ps = *rq->app->pathways;
        return 0;
    }
    return hub_pathways_shipped(ps, rq->arena, &err);
}

static const char *const link_dirs[] = {"documents", "references", "practices"};

json_t *web_hub_links_json(struct web_req *rq, const struct hub_link *l, size_t n,
                           const char *step)
{
    int lang = rq->lang == WEB_SV ? 0 : 1;
    struct hub_pathways ps = {0};
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        if (step && (!l[i].step || strcmp(l[i].step, step) != 0))
            continue;
        json_t *o = NULL;
        if (l[i].kind != HUB_LINK_STEP) {
            o = json_pack("{s:s, s:s, s:s}", "id", l[i].id, "title",
                          l[i].title ? l[i].title : "", "url",
                          arena_printf(rq->arena, "/%s/%s", link_dirs[l[i].kind], l[i].id));
        } else {
            if (ps.n == 0 && pathways(rq, &ps) != 0)
                break;
            const struct hub_pathway *p = hub_pathway_find(&ps, l[i].pathway);
            const struct hub_step *s = NULL;
            for (size_t j = 0; p && j < p->nsteps && !s; j++)
                if (strcmp(p->steps[j].code, l[i].step) == 0)
                    s = &p->steps[j];
            if (!s) /* no longer in the shipped pathways */
                continue;
            o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", s->code, "title",
                          s->title[lang], "pathway", p->code, "pathway_title",
                          p->title[lang], "url",
                          arena_printf(rq->arena, "/pathways/%s#step-%s", p->code, s->code));
        }
        if (!o || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

int web_hub_doc_links(struct web_req *rq, json_t *model, const struct hub_version *v)
{
    struct hub_pathways ps;
    struct kn_error err = KN_ERROR_INIT;
    struct store *store = web_store(rq);
    struct hub_link *refs, *prs;
    size_t nrefs, nprs;
    bool only = web_hub_public_only(rq);
    if (!store || pathways(rq, &ps) != 0 ||
        hub_doc_refs(store, v->slug, v->version, only, &refs, &nrefs, rq->arena, &err) != 0 ||
        hub_doc_practices(store, v->practices, only, &prs, &nprs, rq->arena, &err) != 0)
        return 500;
    json_t *ind = json_array(), *st = json_array();
    bool ok = ind && st && indicators(rq, ind, v->indicators) &&
              steps(rq, st, v->steps, &ps);
    if (!ok) {
        json_decref(ind);
        json_decref(st);
        return 500;
    }
    bool any = json_array_size(ind) > 0 || json_array_size(st) > 0 || nrefs || nprs;
    if (!web_set(model, "indicators", ind) || !web_set(model, "steps", st) ||
        !web_set(model, "references", web_hub_links_json(rq, refs, nrefs, NULL)) ||
        !web_set(model, "practices", web_hub_links_json(rq, prs, nprs, NULL)) ||
        (!rq->api && !web_set(model, "has_links", json_boolean(any))))
        return 500;
    return 0;
}
