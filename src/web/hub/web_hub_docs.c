/* src/web/hub/web_hub_docs.c: the published documents (GET /documents,
 * /api/v1/documents; web_hub.h).
 *
 * Without ?q= the documents are listed by title; with it, hub_search()
 * ranks them (whole Swedish word forms first, then parts of compounds)
 * and each hit carries its snippet as pieces, the hits marked, so that no
 * markup has to be trusted. ?audience= (a code of hub_audiences), ?topic=
 * (one of the documents' topics) and ?language= (sv, en) narrow either
 * list. The page groups the documents into the two public sections: for
 * patients and relatives, and for professionals and vårdgrannar (a
 * document for both is in both). A few hundred documents at most: every
 * request reads the list whole. */
#include <string.h>

#include "base/text.h"
#include "hub/hub_doc.h"
#include "hub/hub_lint.h"
#include "hub/hub_public.h"
#include "hub/hub_search.h"
#include "web/hub/web_hub.h"
#include "web/web_model.h"
#include "web/web_session.h"

#define Q_MAX 200
#define HITS_MAX 100

/* The two public sections and the audiences in each. */
static const struct {
    const char *code;
    const char *audiences[7];
} sections[] = {
    { "patients-relatives", { "patients", "relatives", NULL } },
    { "professionals",
      { "care-staff", "police", "social-services", "school-health", "youth-clinics",
        "decision-makers", NULL } },
};

/* The comma-separated items of list as a JSON array of strings. */
static json_t *items(const char *list)
{
    json_t *arr = json_array();
    const char *p;
    size_t m;
    for (const char *at = list; arr && text_list_next(&at, &p, &m);) {
        text_trim(&p, &m);
        if (m > 0 && json_array_append_new(arr, json_stringn(p, m)) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static const char *audience_text(const struct web_req *rq, const char *code)
{
    for (const struct hub_audience *h = hub_audiences; h->code; h++)
        if (strcmp(h->code, code) == 0)
            return rq->lang == WEB_SV ? h->sv : h->en;
    return code;
}

json_t *web_hub_doc_summary(const struct web_req *rq, const struct hub_version *v)
{
    char day[11] = "";
    if (v->published)
        date_format(v->published, day);
    json_t *aud = json_array(), *codes = items(v->audience);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:i, s:s, s:s, s:b}", "id", v->slug,
                          "title", v->title, "summary", v->summary, "language", v->language,
                          "audience", aud, "topics", items(v->topics), "version", v->version,
                          "published", day, "url",
                          arena_printf(rq->arena, "/documents/%s", v->slug), "public",
                          hub_lint_public(v->audience));
    for (size_t i = 0; o && codes && i < json_array_size(codes); i++) {
        const char *c = json_string_value(json_array_get(codes, i));
        if (json_array_append_new(aud, json_pack("{s:s, s:s}", "code", c, "text",
                                                 audience_text(rq, c))) != 0) {
            json_decref(o);
            o = NULL;
        }
    }
    json_decref(codes);
    return o;
}

/* The snippet of a hit as pieces [{"text", "hit"}]: hits lie between
 * '\x01' and '\x02' (hub_search.h); line ends become spaces. */
static json_t *snippet(const char *p)
{
    json_t *parts = json_array();
    while (parts && *p) {
        bool hit = *p == '\x01';
        if (hit)
            p++;
        size_t len = strcspn(p, hit ? "\x02" : "\x01");
        json_t *text = json_stringn(p, len);
        char *s = text ? (char *)json_string_value(text) : NULL;
        for (size_t i = 0; s && i < len; i++)
            if (s[i] == '\n' || s[i] == '\r')
                s[i] = ' ';
        if (!text || json_array_append_new(parts, json_pack("{s:o, s:b}", "text", text,
                                                            "hit", hit)) != 0) {
            json_decref(parts);
            return NULL;
        }
        p += len + (hit && p[len] ? 1 : 0);
    }
    return parts;
}

/* Does v pass the filters (NULL or "": any)? */
static bool wanted(const struct hub_version *v, const char *audience, const char *topic,
                   const char *language)
{
    return (!audience || !*audience || text_list_has(v->audience, audience)) &&
           (!topic || !*topic || text_list_has(v->topics, topic)) &&
           (!language || !*language || strcmp(v->language, language) == 0);
}

/* The filters' choices: every audience code, and the topics of docs. */
static bool add_choices(struct web_req *rq, const struct hub_version *docs, size_t n,
                        const char *audience, const char *topic, const char *language)
{
    json_t *auds = json_array(), *topics = json_array(), *langs = json_array();
    if (!web_set(rq->model, "audiences", auds) || !web_set(rq->model, "topics", topics) ||
        !web_set(rq->model, "languages", langs))
        return false;
    for (const struct hub_audience *h = hub_audiences; h->code; h++)
        if (json_array_append_new(auds, json_pack("{s:s, s:s, s:b}", "code", h->code, "text",
                                                  rq->lang == WEB_SV ? h->sv : h->en,
                                                  "selected",
                                                  audience && !strcmp(audience, h->code))))
            return false;
    for (size_t i = 0; i < n; i++) {
        json_t *t = items(docs[i].topics);
        for (size_t k = 0; t && k < json_array_size(t); k++) {
            const char *w = json_string_value(json_array_get(t, k));
            bool seen = false;
            for (size_t j = 0; j < json_array_size(topics); j++)
                seen |= !strcmp(json_string_value(
                                    json_object_get(json_array_get(topics, j), "code")),
                                w);
            if (!seen && json_array_append_new(topics,
                                               json_pack("{s:s, s:b}", "code", w, "selected",
                                                         topic && !strcmp(topic, w))) != 0) {
                json_decref(t);
                return false;
            }
        }
        json_decref(t);
        if (!t)
            return false;
    }
    static const char *const codes[] = { "sv", "en" };
    for (size_t i = 0; i < 2; i++)
        if (json_array_append_new(langs, json_pack("{s:s, s:s, s:b}", "code", codes[i],
                                                   "text",
                                                   web_t(rq, i ? "hub_lang_en" : "hub_lang_sv"),
                                                   "selected",
                                                   language && !strcmp(language, codes[i]))))
            return false;
    return true;
}

/* The page's two sections, each with its documents (HTML only). */
static bool add_sections(struct web_req *rq, json_t *list)
{
    json_t *secs = json_array();
    if (!web_set(rq->model, "sections", secs))
        return false;
    for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
        json_t *docs = json_array();
        char key[48];
        snprintf(key, sizeof key, "hub_section_%s", sections[s].code);
        for (char *c = key; *c; c++)
            if (*c == '-')
                *c = '_';
        json_t *sec = json_pack("{s:s, s:s, s:o}", "code", sections[s].code, "heading",
                                web_t(rq, key), "documents", docs);
        if (!sec || json_array_append_new(secs, sec) != 0)
            return false;
        for (size_t i = 0; i < json_array_size(list); i++) {
            json_t *d = json_array_get(list, i), *aud = json_object_get(d, "audience");
            bool in = false;
            for (size_t k = 0; k < json_array_size(aud); k++)
                for (size_t j = 0; sections[s].audiences[j]; j++)
                    in |= !strcmp(json_string_value(
                                      json_object_get(json_array_get(aud, k), "code")),
                                  sections[s].audiences[j]);
            if (in && json_array_append(docs, d) != 0)
                return false;
        }
    }
    return true;
}

int web_hub_documents(struct web_req *rq)
{
    const char *q = web_query(rq, "q"), *audience = web_query(rq, "audience"),
               *topic = web_query(rq, "topic"), *language = web_query(rq, "language");
    if (q && strlen(q) > Q_MAX)
        return web_bad_param(rq, "q", "the search text is longer than 200 characters");
    if (audience && *audience) {
        bool known = false;
        for (const struct hub_audience *h = hub_audiences; h->code; h++)
            known |= !strcmp(h->code, audience);
        if (!known)
            return web_bad_param(rq, "audience", "not an audience code");
    }
    if (topic && strlen(topic) > Q_MAX)
        return web_bad_param(rq, "topic", "the topic is longer than 200 characters");
    if (language && *language && strcmp(language, "sv") && strcmp(language, "en"))
        return web_bad_param(rq, "language", "not sv or en");
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    struct hub_version *docs;
    size_t n;
    if (!st || hub_public_list(st, &docs, &n, rq->arena, &err) != 0)
        return 500;
    json_t *list = json_array();
    rq->model = json_pack("{s:s, s:s, s:s, s:s}", "q", q ? q : "", "audience",
                          audience ? audience : "", "topic", topic ? topic : "", "language",
                          language ? language : "");
    if (!list || !rq->model || !web_set(rq->model, "documents", list) ||
        !add_choices(rq, docs, n, audience, topic, language))
        return 500;
    bool searching = q && *q;
    if (!searching) {
        for (size_t i = 0; i < n; i++) {
            if (!wanted(&docs[i], audience, topic, language))
                continue;
            json_t *o = web_hub_doc_summary(rq, &docs[i]);
            if (!o || json_array_append_new(list, o) != 0)
                return 500;
        }
    } else {
        struct hub_hit *h;
        size_t nh;
        if (hub_search(st, q, HITS_MAX, &h, &nh, rq->arena, &err) != 0)
            return 500;
        for (size_t i = 0; i < nh; i++) {
            const struct hub_version *v = NULL;
            for (size_t k = 0; k < n && !v; k++)
                if (strcmp(docs[k].slug, h[i].slug) == 0)
                    v = &docs[k];
            bool dup = false; /* an older published version also indexed */
            for (size_t k = 0; k < json_array_size(list); k++)
                dup |= !strcmp(json_string_value(json_object_get(json_array_get(list, k), "id")),
                               h[i].slug);
            if (!v || dup || !wanted(v, audience, topic, language))
                continue;
            json_t *o = web_hub_doc_summary(rq, v);
            if (!o || json_array_append_new(list, o) != 0 ||
                !web_set(o, "snippet", snippet(h[i].snippet)) ||
                !web_sets(o, "match", h[i].words ? "words" : "parts"))
                return 500;
        }
    }
    if (!web_set(rq->model, "count", json_integer((json_int_t)json_array_size(list))) ||
        !web_set(rq->model, "searching", json_boolean(searching)))
        return 500;
    if (!rq->api && !searching && !add_sections(rq, list))
        return 500;
    return 200;
}
