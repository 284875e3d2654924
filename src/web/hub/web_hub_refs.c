/* src/web/hub/web_hub_refs.c: references and practices, pages and API
 * (web_hub_refs.h). */
#include "web/hub/web_hub_refs.h"

#include <stdlib.h>
#include <string.h>

#include "access/access_session.h"
#include "base/text.h"
#include "hub/hub_links.h"
#include "hub/hub_practice.h"
#include "hub/hub_ref.h"
#include "hub/hub_ref_store.h"
#include "network/net_text.h"
#include "web/hub/web_hub.h"
#include "web/network/web_net.h"
#include "web/web_model.h"
#include "web/web_session.h"

#define SEARCH_MAX 200

bool web_hub_public_only(const struct web_req *rq)
{
    return !rq->session || (rq->session->user.role != ROLE_COORDINATOR &&
                            rq->session->user.role != ROLE_ADMIN);
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *strings(const char *const *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, json_string(v[i])) != 0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

/* One reference as the API shows it. */
static json_t *ref_json(const struct hub_ref *r)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    bool ok = web_set(o, "id", json_integer(r->id)) &&
              web_set(o, "type", json_string(r->pub_type)) &&
              web_set(o, "study_type", str_or_null(r->study_type)) &&
              web_set(o, "grade", str_or_null(r->grade)) &&
              web_set(o, "year", r->year ? json_integer(r->year) : json_null()) &&
              web_set(o, "title", json_string(r->title)) &&
              web_set(o, "authors", strings(r->authors, r->nauthors)) &&
              web_set(o, "journal", str_or_null(r->journal)) &&
              web_set(o, "volume", str_or_null(r->volume)) &&
              web_set(o, "issue", str_or_null(r->issue)) &&
              web_set(o, "pages", str_or_null(r->pages)) &&
              web_set(o, "doi", str_or_null(r->doi)) &&
              web_set(o, "pmid", str_or_null(r->pmid)) &&
              web_set(o, "url", str_or_null(r->url)) &&
              web_set(o, "topics", strings(r->topics, r->ntopics)) &&
              web_set(o, "public", json_boolean(r->is_public)) &&
              web_set(o, "summary", str_or_null(r->summary));
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static bool has_topic(const struct hub_ref *r, const char *topic)
{
    for (size_t i = 0; i < r->ntopics; i++)
        if (strcasecmp(r->topics[i], topic) == 0)
            return true;
    return false;
}

/* The codes as options of a select, the chosen one marked. */
static json_t *options(const char *const *codes, const char *chosen)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && codes[i]; i++) {
        json_t *o = json_pack("{s:s, s:b}", "code", codes[i], "selected",
                              chosen && strcmp(chosen, codes[i]) == 0);
        if (!o || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

/* Query parameter name, NULL when absent or empty; a code of codes, else
 * *bad is set. */
static const char *code_param(struct web_req *rq, const char *name, const char *const *codes,
                              bool *bad)
{
    const char *v = web_query(rq, name);
    if (!v || !*v)
        return NULL;
    for (size_t i = 0; codes[i]; i++)
        if (strcmp(v, codes[i]) == 0)
            return codes[i];
    *bad = true;
    return NULL;
}

int web_hub_references(struct web_req *rq)
{
    const char *q = web_query(rq, "q"), *topic = web_query(rq, "topic");
    bool bad_type = false, bad_grade = false;
    const char *type = code_param(rq, "type", HUB_REF_STUDY_TYPES, &bad_type);
    const char *grade = code_param(rq, "grade", HUB_REF_GRADES, &bad_grade);
    if (bad_type)
        return web_bad_param(rq, "type", web_t(rq, "hubref_err_type"));
    if (bad_grade)
        return web_bad_param(rq, "grade", web_t(rq, "hubref_err_grade"));
    if ((q && strlen(q) > SEARCH_MAX) || (topic && strlen(topic) > HUB_REF_TOPIC_MAX))
        return web_bad_param(rq, q && strlen(q) > SEARCH_MAX ? "q" : "topic",
                             web_t(rq, "hubref_err_long"));
    if (topic && !*topic)
        topic = NULL;
    struct store *st = web_store(rq);
    if (!st)
        return 500;
    struct kn_error err = KN_ERROR_INIT;
    struct hub_ref *refs;
    size_t n;
    struct hub_ref_filter f = {type, grade, topic, web_hub_public_only(rq)};
    int rc = q && *q ? hub_ref_search(st, q, f.public_only, 1000, &refs, &n, rq->arena, &err)
                     : hub_ref_list(st, &f, &refs, &n, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "q");
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        if ((type && (!refs[i].study_type || strcmp(refs[i].study_type, type))) ||
            (grade && (!refs[i].grade || strcmp(refs[i].grade, grade))) ||
            (topic && !has_topic(&refs[i], topic)))
            continue;
        if (json_array_append_new(arr, ref_json(&refs[i])) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    rq->model = json_object();
    if (!rq->model || !web_set(rq->model, "references", arr) ||
        !web_sets(rq->model, "q", q && *q ? q : NULL) || !web_sets(rq->model, "type", type) ||
        !web_sets(rq->model, "grade", grade) || !web_sets(rq->model, "topic", topic) ||
        !web_set(rq->model, "study_types", options(HUB_REF_STUDY_TYPES, type)) ||
        !web_set(rq->model, "grades", options(HUB_REF_GRADES, grade)))
        return 500;
    return 200;
}

/* The number in path parameter name, or 0 if it is not one. */
static int64_t id_param(const struct web_req *rq, const char *name)
{
    const char *v = web_param(rq, name);
    size_t len = v ? strlen(v) : 0;
    if (len == 0 || len > 15 || strspn(v, "0123456789") != len || v[0] == '0')
        return 0;
    return strtoll(v, NULL, 10);
}

int web_hub_reference(struct web_req *rq)
{
    int64_t id = id_param(rq, "id");
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct hub_ref r;
    if (!id)
        return web_not_found(rq, web_t(rq, "hubref_err_not_found"));
    if (!st)
        return 500;
    int rc = hub_ref_get(st, id, web_hub_public_only(rq), &r, rq->arena, &err);
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "hubref_err_not_found"));
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "id");
    /* Its back links: the steps it is linked to, the documents naming it. */
    struct hub_link *steps, *docs;
    size_t nsteps, ndocs;
    if (hub_ref_steps(st, id, &steps, &nsteps, rq->arena, &err) != 0 ||
        hub_links_of_ref(st, id, &docs, &ndocs, rq->arena, &err) != 0)
        return 500;
    rq->model = json_object();
    if (!rq->model || !web_set(rq->model, "reference", ref_json(&r)) ||
        !web_set(rq->model, "steps", web_hub_links_json(rq, steps, nsteps, NULL)) ||
        !web_set(rq->model, "documents", web_hub_links_json(rq, docs, ndocs, NULL)))
        return 500;
    return 200;
}

/* The steps of a practice's "steps" cell (PATHWAY/STEP, comma-separated)
 * as links of kind HUB_LINK_STEP. */
static int practice_steps(struct web_req *rq, const char *list, struct hub_link **out,
                          size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    const char *p;
    size_t len;
    for (const char *at = list; text_list_next(&at, &p, &len);) {
        size_t sl = strcspn(p, "/");
        if (sl < len) {
            if (arena_grow(rq->arena, out, *n, &cap, sizeof **out) != 0)
                return 500;
            (*out)[(*n)++] = (struct hub_link){HUB_LINK_STEP, NULL, NULL,
                                               arena_strndup(rq->arena, p, sl),
                                               arena_strndup(rq->arena, p + sl + 1,
                                                             len - sl - 1)};
        }
    }
    return 0;
}

int web_hub_practices(struct web_req *rq)
{
    const char *region = web_query(rq, "region");
    bool bad_level = false;
    const char *level = code_param(rq, "level", HUB_PRACTICE_LEVELS, &bad_level);
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct net_rows list = {0};
    if (bad_level)
        return web_bad_param(rq, "level", web_t(rq, "hubref_err_level"));
    if (region && !*region)
        region = NULL;
    if (!st)
        return 500;
    if (region && net_region_check(st, "region", region, &err) != 0)
        return web_bad_param(rq, "region", web_t(rq, "hubref_err_region"));
    const char *q = web_query(rq, "q");
    int rc = hub_practice_list(st, region, level, web_hub_public_only(rq), &list, rq->arena, &err);
    if (rc == 0 && q && *q)
        rc = hub_practice_match(&list, q, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "region");
    if (!web_net_model(rq, "practices", &list) || !web_sets(rq->model, "region", region) ||
        !web_sets(rq->model, "q", q && *q ? q : NULL) ||
        !web_sets(rq->model, "level", level) ||
        !web_set(rq->model, "levels", options(HUB_PRACTICE_LEVELS, level)))
        return 500;
    return 200;
}

int web_hub_practice(struct web_req *rq)
{
    int64_t id = id_param(rq, "id");
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct net_rows one = {0};
    if (!id)
        return web_not_found(rq, web_t(rq, "hubref_err_not_found"));
    if (!st)
        return 500;
    bool only = web_hub_public_only(rq);
    int rc = hub_practice_get(st, id, only, &one, rq->arena, &err);
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "hubref_err_not_found"));
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "id");
    json_t *rows = net_rows_json(&one), *refs = json_array();
    json_t *p = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    /* Its references, those the reader may see. */
    const char *ids = json_string_value(json_object_get(p, "references"));
    for (const char *s = ids; refs && s && *s;) {
        struct hub_ref r;
        char *end;
        int64_t rid = strtoll(s, &end, 10);
        if (hub_ref_get(st, rid, only, &r, rq->arena, &err) == 0 &&
            json_array_append_new(refs, ref_json(&r)) != 0) {
            json_decref(refs);
            refs = NULL;
        }
        s = *end ? end + 1 : end;
    }
    /* The steps it serves, and the documents naming it. */
    struct hub_link *steps, *docs;
    size_t nsteps, ndocs;
    if (practice_steps(rq, json_string_value(json_object_get(p, "steps")), &steps,
                       &nsteps) != 0 ||
        hub_links_of_practice(st, id, &docs, &ndocs, rq->arena, &err) != 0) {
        json_decref(p);
        json_decref(refs);
        return 500;
    }
    rq->model = json_object();
    if (!p || !rq->model || !web_set(rq->model, "practice", p) ||
        !web_set(rq->model, "references", refs) ||
        !web_set(rq->model, "steps", web_hub_links_json(rq, steps, nsteps, NULL)) ||
        !web_set(rq->model, "documents", web_hub_links_json(rq, docs, ndocs, NULL)))
        return 500;
    return 200;
}
