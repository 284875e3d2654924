/* src/web/hub/web_hub_pathway.c: the care pathways (GET /pathways,
 * /pathways/{code} and their /api/v1 twins, /pathways/{code}/patientresa;
 * web_hub.h).
 *
 * The pathways are the shipped data (hub_pathway.h), parsed once when the
 * server starts (web_app's pathways, read-only; parsing them per request
 * took about 50 ms of an ASan build's page, docs/pathways.md). A
 * pathway's page draws it as a flow (chart/chart.h, chart_flow) with the
 * data table beside it: for each step its time limit and, when an
 * indicator measures it, the indicator's headline value in its latest
 * period for the nation and for ?region= (a region code), as the public
 * sees them after disclosure control: a hidden value is null with its
 * reason, never zero; and what links to the step (hub_links.h): the
 * published documents, and the references and practices the reader may
 * see (web_hub_public_only). The patient journey (patientresa) is the same
 * pathway told in plain words to the young person and to relatives. */
#include <assert.h>
#include <string.h>

#include "hub/hub_links.h"
#include "hub/hub_pathway.h"
#include "web/hub/web_hub.h"
#include "web/hub/web_hub_refs.h"
#include "web/portal/web_charts.h"
#include "web/web_model.h"
#include "web/web_results.h"
#include "web/web_session.h"

/* The pathways: the server's, parsed at start, else (an app made without
 * them, as in unit tests) parsed into the request's arena. */
static int load(struct web_req *rq, struct hub_pathways *ps)
{
    struct kn_error err = KN_ERROR_INIT;
    if (rq->app->pathways) {
        *ps = *rq->app->pathways; /* shares the read-only arrays */
        return 0;
    }
    return hub_pathways_shipped(ps, rq->arena, &err) == 0 ? 0 : 500;
}

static const struct hub_pathway *find(struct web_req *rq, struct hub_pathways *ps, int *status)
{
    if ((*status = load(rq, ps)) != 0)
        return NULL;
    const struct hub_pathway *p = hub_pathway_find(ps, web_param(rq, "code"));
    if (!p)
        *status = web_not_found(rq, web_t(rq, "hub_pathway_not_found"));
    return p;
}

static int li(const struct web_req *rq)
{
    return rq->lang == WEB_SV ? 0 : 1;
}

int web_hub_pathways(struct web_req *rq)
{
    struct hub_pathways ps;
    if (load(rq, &ps))
        return 500;
    json_t *list = json_array();
    rq->model = json_object();
    if (!list || !rq->model || !web_set(rq->model, "pathways", list))
        return 500;
    for (size_t i = 0; i < ps.n; i++) {
        const struct hub_pathway *p = &ps.p[i];
        json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:i, s:s, s:s, s:s}", "code", p->code,
                              "version", p->version, "title", p->title[li(rq)], "summary",
                              p->summary[li(rq)], "steps", (int)p->nsteps, "assumption",
                              p->assumption, "url",
                              arena_printf(rq->arena, "/pathways/%s", p->code),
                              "patientresa_url",
                              arena_printf(rq->arena, "/pathways/%s/patientresa", p->code));
        if (!o || json_array_append_new(list, o) != 0)
            return 500;
    }
    return 200;
}

/* "inom 7 dagar" / "within 24 hours" for a step with a limit. */
static const char *limit_text(struct web_req *rq, const struct hub_step *s)
{
    size_t tl = strlen(s->limit_text);
    bool days = tl > 0 && s->limit_text[tl - 1] == 'd'; /* as the data writes it */
    long long n = (long long)(days ? s->limit / 86400 : s->limit / 3600);
    return arena_printf(rq->arena, "%s %lld %s", web_t(rq, "hub_within"), n,
                        web_t(rq, days ? (n == 1 ? "hub_day" : "hub_days")
                                       : (n == 1 ? "hub_hour" : "hub_hours")));
}

static const char *from_text(struct web_req *rq, const struct hub_pathway *p,
                             const struct hub_step *s)
{
    if (!strcmp(s->limit_from, "emergency-visit"))
        return web_t(rq, "hub_from_emergency");
    if (!strcmp(s->limit_from, "discharge"))
        return web_t(rq, "hub_from_discharge");
    for (size_t i = 0; i < p->nsteps; i++)
        if (!strcmp(p->steps[i].code, s->limit_from))
            return p->steps[i].title[li(rq)];
    return s->limit_from;
}

/* A cell's text for the flow chart: its value and unit, or why not. */
static const char *cell_text(struct web_req *rq, const json_t *cell, const char *unit)
{
    const char *v = json_string_value(json_object_get(cell, "value_text"));
    if (v && *v)
        return arena_printf(rq->arena, "%s %s", v, unit);
    const char *r = json_string_value(json_object_get(cell, "reason_text"));
    return r && *r ? r : web_t(rq, "no_value");
}

/* The figures of step s's indicator into step model o ("indicator",
 * "period", "nation", "region_cell": each left out when there is none),
 * and the line of them for the chart into *line. */
static bool figures(struct web_req *rq, const struct hub_step *s, const struct geo_region *gr,
                    json_t *o, const char **line)
{
    const struct ind_def *d = *s->indicator ? ind_find(rq->app->cat, s->indicator) : NULL;
    *line = "";
    if (!d) /* no indicator: no figures (the keys are left out, never zero) */
        return true;
    json_t *sum = web_def_summary(rq, d);
    if (!web_set(o, "indicator", sum))
        return false;
    struct web_point *pts;
    size_t n = web_series(rq->view, d->id, NULL, rq->arena, &pts);
    if (n == 0) /* not computed (no data): no figures */
        return true;
    const struct web_point *pt = &pts[n - 1];
    const char *unit = json_string_value(json_object_get(sum, "unit"));
    json_t *nat = web_cell(rq, pt->r, eng_cell(pt->r, pt->p, 0, 0, 0), false);
    if (!web_set(o, "nation", nat) || !web_sets(o, "period", pt->text))
        return false;
    *line = arena_printf(rq->arena, "%s %s: %s", web_t(rq, "hub_nation"), pt->text,
                         cell_text(rq, nat, unit ? unit : ""));
    long g = gr ? web_geo_find(pt->r, rq->view->snap, ENG_GEO_REGION, gr->code) : -1;
    if (g < 0) /* no region chosen */
        return true;
    json_t *rc = web_cell(rq, pt->r, eng_cell(pt->r, pt->p, (size_t)g, 0, 0), false);
    if (!web_set(o, "region_cell", rc))
        return false;
    *line = arena_printf(rq->arena, "%s · %s: %s", *line,
                         gr->short_name ? gr->short_name : gr->name,
                         cell_text(rq, rc, unit ? unit : ""));
    return *line != NULL;
}

/* What links to the pathway's steps, by kind: runs [from[k], from[k + 1])
 * of l (hub_links_to_pathway gives documents, references, practices in
 * that order). */
struct step_links {
    struct hub_link *l;
    size_t from[4];
};

static int step_links_load(struct web_req *rq, const struct hub_pathway *p,
                           struct step_links *sl)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    size_t n;
    if (!st || hub_links_to_pathway(st, p, web_hub_public_only(rq), &sl->l, &n, rq->arena,
                                    &err) != 0)
        return 500;
    size_t i = 0;
    for (int k = 0; k < 3; k++) {
        sl->from[k] = i;
        while (i < n && (int)sl->l[i].kind == k)
            i++;
    }
    sl->from[3] = i;
    return 0;
}

/* Step s's "documents", "references" and "practices" into o, and on pages
 * "has_links". */
static bool step_links_set(struct web_req *rq, const struct step_links *sl,
                           const struct hub_step *s, json_t *o)
{
    static const char *const keys[] = {"documents", "references", "practices"};
    static_assert(HUB_LINK_DOCUMENT == 0 && HUB_LINK_PRACTICE == 2, "the kinds' order");
    bool any = false;
    for (int k = 0; k < 3; k++) {
        json_t *arr = web_hub_links_json(rq, sl->l + sl->from[k], sl->from[k + 1] - sl->from[k],
                                         s->code);
        any = any || json_array_size(arr) > 0;
        if (!web_set(o, keys[k], arr))
            return false;
    }
    return rq->api || web_set(o, "has_links", json_boolean(any));
}

/* The regions for the choice, the chosen one marked. */
static json_t *regions(const struct web_req *rq, const struct geo_region *gr)
{
    const struct geo *g = rq->app->geo;
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < g->nregions; i++) {
        const struct geo_region *r = &g->regions[i];
        if (json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "code", r->code, "name",
                                                 r->short_name ? r->short_name : r->name,
                                                 "selected", r == gr)) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

/* The model's head: the pathway's own words in the request's language. */
static json_t *head(struct web_req *rq, const struct hub_pathway *p)
{
    int l = li(rq);
    return json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "code",
                     p->code, "version", p->version, "title", p->title[l], "heading",
                     p->title[l], "summary", p->summary[l], "entry", p->entry[l], "exit",
                     p->exit[l], "source", p->source, "assumption", p->assumption, "url",
                     arena_printf(rq->arena, "/pathways/%s", p->code), "patientresa_url",
                     arena_printf(rq->arena, "/pathways/%s/patientresa", p->code));
}

int web_hub_pathway(struct web_req *rq)
{
    struct hub_pathways ps;
    int status;
    const struct hub_pathway *p = find(rq, &ps, &status);
    if (!p)
        return status;
    const char *rcode = web_query(rq, "region");
    const struct geo_region *gr = NULL;
    if (rcode && *rcode && !(gr = geo_region(rq->app->geo, rcode)))
        return web_bad_param(rq, "region", "region takes a region code, 01 to 25");
    int l = li(rq);
    struct step_links sl;
    if (step_links_load(rq, p, &sl) != 0)
        return 500;
    json_t *phases = json_array(), *cphases = json_array();
    rq->model = head(rq, p);
    if (!phases || !cphases || !rq->model || !web_set(rq->model, "phases", phases) ||
        !web_set(rq->model, "region",
                 gr ? json_pack("{s:s, s:s}", "code", gr->code, "name",
                                gr->short_name ? gr->short_name : gr->name)
                    : json_null()) ||
        !web_set(rq->model, "regions", regions(rq, gr))) {
        json_decref(cphases);
        return 500;
    }
    for (size_t j = 0; j < p->nphases; j++) {
        json_t *steps = json_array(), *csteps = json_array();
        json_t *ph = json_pack("{s:s, s:s, s:o}", "code", p->phases[j].code, "title",
                               p->phases[j].title[l], "steps", steps);
        json_t *cph = json_pack("{s:s, s:o}", "label", p->phases[j].title[l], "steps", csteps);
        if (!ph || json_array_append_new(phases, ph) != 0 || !cph ||
            json_array_append_new(cphases, cph) != 0) {
            json_decref(cphases);
            return 500;
        }
        for (size_t i = 0; i < p->nsteps; i++) {
            const struct hub_step *s = &p->steps[i];
            if (strcmp(s->phase, p->phases[j].code))
                continue;
            const char *lt = s->limit ? limit_text(rq, s) : "", *line;
            json_t *o = json_pack(
                "{s:s, s:s, s:s, s:s, s:s?, s:s, s:s?, s:s, s:s?, s:s}", "code", s->code,
                "title", s->title[l], "actor", s->actor[l], "entry", s->entry[l], "limit",
                s->limit ? s->limit_text : NULL, "limit_text", lt, "limit_from",
                s->limit ? s->limit_from : NULL, "limit_from_text",
                s->limit ? from_text(rq, p, s) : "", "recorded_as",
                *s->recorded_as ? s->recorded_as : NULL, "assumption", s->assumption);
            if (!o || json_array_append_new(steps, o) != 0 || !figures(rq, s, gr, o, &line) ||
                !step_links_set(rq, &sl, s, o) ||
                json_array_append_new(csteps, json_pack("{s:s, s:s, s:s}", "label",
                                                        s->title[l], "limit", lt, "figures",
                                                        line)) != 0) {
                json_decref(cphases);
                return 500;
            }
        }
    }
    const char *title = arena_printf(rq->arena, "%s: %s", web_t(rq, "hub_flow_title"),
                                     p->title[l]);
    return web_chart_add(rq->model, "flow", "flow",
                         json_pack("{s:s, s:s, s:s, s:o}", "id", "flow", "title", title,
                                   "desc", web_t(rq, "hub_flow_desc"), "phases", cphases))
               ? 200
               : 500;
}

int web_hub_patientresa(struct web_req *rq)
{
    struct hub_pathways ps;
    int status;
    const struct hub_pathway *p = find(rq, &ps, &status);
    if (!p)
        return status;
    int l = li(rq);
    json_t *steps = json_array();
    rq->model = head(rq, p);
    if (!steps || !rq->model || !web_set(rq->model, "steps", steps) ||
        !web_sets(rq->model, "heading",
                  arena_printf(rq->arena, "%s: %s", web_t(rq, "hub_patientresa"),
                               p->title[l])))
        return 500;
    for (size_t j = 0; j < p->nphases; j++)
        for (size_t i = 0; i < p->nsteps; i++) {
            const struct hub_step *s = &p->steps[i];
            if (strcmp(s->phase, p->phases[j].code))
                continue;
            json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", s->title[l],
                                  "patient", s->patient[l], "relative", s->relative[l],
                                  "limit_text", s->limit ? limit_text(rq, s) : "",
                                  "limit_from_text", s->limit ? from_text(rq, p, s) : "");
            if (!o || json_array_append_new(steps, o) != 0)
                return 500;
        }
    return 200;
}
