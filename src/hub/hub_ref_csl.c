/* src/hub/hub_ref_csl.c: CSL-JSON in and out (hub_ref.h), over jansson.
 *
 * A CSL-JSON file is an array of items (Zotero's "Export: CSL JSON",
 * pandoc's and citeproc's input). The item keys knod keeps: type, title,
 * author (objects with family and given, or a literal name), issued
 * (date-parts, or a raw or literal date whose first four digits are the
 * year), container-title, volume, issue, page, DOI, PMID, URL, abstract
 * (the summary), keyword (topics, comma-separated) and custom.study_type,
 * custom.evidence_grade and custom.public. Other keys are skipped. A value
 * of the wrong JSON type is refused with its path ("[2].author[0].family").
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_ref.h"

/* CSL types and knod's publication types; the first row of each type is
 * what knod writes. */
static const struct {
    const char *csl, *type;
} csl_types[] = {
    {"article-journal", "article"}, {"article", "article"},
    {"article-magazine", "article"}, {"article-newspaper", "article"},
    {"report", "report"},            {"book", "book"},
    {"chapter", "chapter"},          {"webpage", "web"},
    {"post-weblog", "web"},          {"document", "other"},
};

struct csl_ctx {
    const char *file;
    size_t item;
    const char *at; /* the path of the object read, "" or "author[0]." */
    struct arena *a;
    struct kn_error *err;
};

static int bad(struct csl_ctx *c, const char *path, const char *what)
{
    return kn_fail(c->err, KN_EINPUT, "%s: [%zu].%s%s: %s", c->file, c->item, c->at, path,
                   what);
}

/* A string (or, where numbers are allowed, an integer) value of key into
 * *out (arena copy, NULL if absent or empty). */
static int str_of(struct csl_ctx *c, json_t *o, const char *key, bool numbers,
                  const char **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (numbers && json_is_integer(v)) {
        *out = arena_printf(c->a, "%lld", (long long)json_integer_value(v));
        return *out ? 0 : kn_fail(c->err, KN_ENOMEM, "out of memory");
    }
    if (!json_is_string(v))
        return bad(c, key, numbers ? "a string or a number" : "a string");
    size_t len = json_string_length(v);
    if (len == 0)
        return 0;
    if (memchr(json_string_value(v), '\0', len))
        return bad(c, key, "holds a NUL character");
    *out = arena_strndup(c->a, json_string_value(v), len);
    if (!*out)
        return kn_fail(c->err, KN_ENOMEM, "out of memory");
    char field[400];
    snprintf(field, sizeof field, "%s: [%zu].%s%s", c->file, c->item, c->at, key);
    return hub_ref_text_check(field, *out, HUB_REF_SUMMARY_MAX, true, c->err);
}

static int authors_of(struct csl_ctx *c, json_t *o, struct hub_ref *r)
{
    json_t *list = json_object_get(o, "author");
    if (!list)
        return 0;
    if (!json_is_array(list))
        return bad(c, "author", "an array of names");
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p)
    {
        char path[48];
        snprintf(path, sizeof path, "author[%zu]", i);
        if (!json_is_object(p))
            return bad(c, path, "an object with family and given, or literal");
        const char *family, *given, *literal;
        char at[56];
        snprintf(at, sizeof at, "%s.", path);
        c->at = at;
        if (str_of(c, p, "family", false, &family) || str_of(c, p, "given", false, &given) ||
            str_of(c, p, "literal", false, &literal))
            return c->err->code;
        c->at = "";
        const char *name = literal ? literal
                           : family && given ? arena_printf(c->a, "%s, %s", family, given)
                                             : family;
        if (!name)
            return bad(c, path, "needs family or literal");
        int rc = hub_ref_list_add(&r->authors, &r->nauthors, name, strlen(name), c->a);
        if (rc)
            return rc == KN_EINPUT ? bad(c, "author", "more than 1000 names")
                                   : kn_fail(c->err, KN_ENOMEM, "out of memory");
    }
    return 0;
}

/* The year of issued: date-parts[0][0], or the first four digits of raw or
 * literal. */
static int year_of(struct csl_ctx *c, json_t *o, struct hub_ref *r)
{
    json_t *d = json_object_get(o, "issued");
    if (!d || json_is_null(d))
        return 0;
    if (!json_is_object(d))
        return bad(c, "issued", "an object (date-parts, raw or literal)");
    json_t *parts = json_object_get(d, "date-parts");
    if (parts) {
        json_t *first = json_array_get(json_array_get(parts, 0), 0);
        if (json_is_string(first) && json_string_length(first) == 4 &&
            strspn(json_string_value(first), "0123456789") == 4)
            r->year = atoi(json_string_value(first));
        else if (json_is_integer(first) && json_integer_value(first) >= 1500 &&
                 json_integer_value(first) <= 2199)
            r->year = (int)json_integer_value(first);
        else
            return bad(c, "issued.date-parts", "[[YYYY, M, D]], a year 1500 to 2199");
        return 0;
    }
    const char *raw;
    c->at = "issued.";
    if (str_of(c, d, "raw", false, &raw) != 0 ||
        (!raw && str_of(c, d, "literal", false, &raw) != 0))
        return c->err->code;
    c->at = "";
    if (!raw)
        return 0;
    if (strspn(raw, "0123456789") < 4)
        return bad(c, "issued", "a date beginning with its year (YYYY)");
    r->year = (raw[0] - '0') * 1000 + (raw[1] - '0') * 100 + (raw[2] - '0') * 10 +
              (raw[3] - '0');
    return 0;
}

static int topics_of(struct csl_ctx *c, const char *kw, struct hub_ref *r)
{
    for (const char *p = kw; p && *p;) {
        size_t n = strcspn(p, ",;");
        const char *s = p;
        size_t k = n;
        while (k && *s == ' ')
            s++, k--;
        while (k && s[k - 1] == ' ')
            k--;
        bool seen = false;
        for (size_t i = 0; i < r->ntopics && !seen; i++)
            seen = strlen(r->topics[i]) == k && memcmp(r->topics[i], s, k) == 0;
        if (k && !seen) {
            int rc = hub_ref_list_add(&r->topics, &r->ntopics, s, k, c->a);
            if (rc)
                return rc == KN_EINPUT ? bad(c, "keyword", "more than 1000 topics")
                                       : kn_fail(c->err, KN_ENOMEM, "out of memory");
        }
        p += n + (p[n] ? 1 : 0);
    }
    return 0;
}

static int item(struct csl_ctx *c, json_t *o, struct hub_ref *r)
{
    if (!json_is_object(o))
        return kn_fail(c->err, KN_EINPUT, "%s: [%zu]: an object (a CSL item)", c->file,
                       c->item);
    r->line = (int)c->item;
    const char *type, *doi, *kw;
    if (str_of(c, o, "type", false, &type) != 0)
        return c->err->code;
    r->pub_type = "other";
    for (size_t i = 0; type && i < sizeof csl_types / sizeof *csl_types; i++)
        if (strcmp(type, csl_types[i].csl) == 0)
            r->pub_type = csl_types[i].type;
    if (str_of(c, o, "title", false, &r->title) || str_of(c, o, "container-title", false,
                                                          &r->journal) ||
        str_of(c, o, "volume", true, &r->volume) || str_of(c, o, "issue", true, &r->issue) ||
        str_of(c, o, "page", true, &r->pages) || str_of(c, o, "DOI", false, &doi) ||
        str_of(c, o, "PMID", true, &r->pmid) || str_of(c, o, "URL", false, &r->url) ||
        str_of(c, o, "abstract", false, &r->summary) ||
        str_of(c, o, "keyword", false, &kw) || authors_of(c, o, r) || year_of(c, o, r) ||
        topics_of(c, kw, r))
        return c->err->code;
    if (!r->title)
        return bad(c, "title", "a reference needs a title");
    if (doi) {
        char d[HUB_REF_FIELD_MAX + 1];
        if (hub_ref_doi(doi, strlen(doi), d, sizeof d) != 0)
            return bad(c, "DOI", "not a DOI (10.NNNN/...)");
        r->doi = arena_strdup(c->a, d);
    }
    json_t *custom = json_object_get(o, "custom");
    if (custom && !json_is_object(custom))
        return bad(c, "custom", "an object");
    if (custom) {
        json_t *pub = json_object_get(custom, "public");
        if (pub && !json_is_boolean(pub))
            return bad(c, "custom.public", "true or false");
        r->is_public = pub && json_is_true(pub);
        c->at = "custom.";
        if (str_of(c, custom, "study_type", false, &r->study_type) ||
            str_of(c, custom, "evidence_grade", false, &r->grade))
            return c->err->code;
        c->at = "";
    }
    if (hub_ref_check(r, c->err) != 0) {
        const char *key = strncmp(c->err->msg, "study type", 10) == 0 ? "custom.study_type"
                          : strncmp(c->err->msg, "evidence grade", 14) == 0
                              ? "custom.evidence_grade"
                          : strncmp(c->err->msg, "PubMed", 6) == 0 ? "PMID"
                                                                   : NULL;
        if (key)
            return kn_error_prefix(c->err, "%s: [%zu].%s: ", c->file, c->item, key);
        return kn_error_prefix(c->err, "%s: [%zu]: ", c->file, c->item);
    }
    return 0;
}

int hub_csl_parse(const char *text, size_t len, const char *file, struct hub_ref_set *out,
                  struct arena *a, struct kn_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return kn_fail(err, KN_EINPUT, "%s:%d:%d: not JSON: %s", file, je.line, je.column,
                       je.text);
    int rc = 0;
    if (!json_is_array(root))
        rc = kn_fail(err, KN_EINPUT, "%s: an array of CSL items ([{...}, ...])", file);
    else if (json_array_size(root) == 0)
        rc = kn_fail(err, KN_EINPUT, "%s: no references (an empty array)", file);
    struct csl_ctx c = {file, 0, "", a, err};
    for (size_t i = 0; rc == 0 && i < json_array_size(root); i++) {
        c.item = i;
        c.at = "";
        struct hub_ref *r = hub_ref_push(out, a);
        rc = r ? item(&c, json_array_get(root, i), r)
               : kn_fail(err, KN_ENOMEM, "out of memory");
    }
    json_decref(root);
    return rc;
}

static int set_str(json_t *o, const char *key, const char *v)
{
    return v && *v ? json_object_set_new(o, key, json_string(v)) : 0;
}

static json_t *to_json(const struct hub_ref *r)
{
    json_t *o = json_object(), *authors = json_array(), *custom = json_object();
    if (!o || !authors || !custom) {
        json_decref(o);
        json_decref(authors);
        json_decref(custom);
        return NULL;
    }
    const char *type = "document";
    for (size_t k = sizeof csl_types / sizeof *csl_types; k-- > 0;)
        if (strcmp(csl_types[k].type, r->pub_type) == 0)
            type = csl_types[k].csl;
    char id[32];
    snprintf(id, sizeof id, "knod-%lld", (long long)r->id);
    int rc = json_object_set_new(o, "id", json_string(id));
    rc |= json_object_set_new(o, "type", json_string(type));
    rc |= set_str(o, "title", r->title);
    for (size_t i = 0; i < r->nauthors; i++) {
        /* "Family, Given" when both parts are there, else a literal name. */
        const char *comma = strstr(r->authors[i], ", ");
        if (comma && (comma == r->authors[i] || !comma[2]))
            comma = NULL;
        json_t *p = comma ? json_pack("{s:s%,s:s}", "family", r->authors[i],
                                      (size_t)(comma - r->authors[i]), "given", comma + 2)
                          : json_pack("{s:s}", "literal", r->authors[i]);
        rc |= json_array_append_new(authors, p);
    }
    rc |= json_object_set_new(o, "author", authors);
    if (r->year)
        rc |= json_object_set_new(o, "issued", json_pack("{s:[[i]]}", "date-parts", r->year));
    rc |= set_str(o, "container-title", r->journal);
    rc |= set_str(o, "volume", r->volume);
    rc |= set_str(o, "issue", r->issue);
    rc |= set_str(o, "page", r->pages);
    rc |= set_str(o, "DOI", r->doi);
    rc |= set_str(o, "PMID", r->pmid);
    rc |= set_str(o, "URL", r->url);
    rc |= set_str(o, "abstract", r->summary);
    struct strbuf kw = STRBUF_INIT;
    for (size_t i = 0; i < r->ntopics; i++)
        rc |= sb_addf(&kw, "%s%s", i ? ", " : "", r->topics[i]);
    if (kw.len)
        rc |= set_str(o, "keyword", kw.buf);
    sb_release(&kw);
    rc |= set_str(custom, "study_type", r->study_type);
    rc |= set_str(custom, "evidence_grade", r->grade);
    rc |= json_object_set_new(custom, "public", json_boolean(r->is_public));
    rc |= json_object_set_new(o, "custom", custom);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int hub_csl_write(const struct hub_ref *refs, size_t n, struct strbuf *out)
{
    json_t *arr = json_array();
    int rc = arr ? 0 : KN_ENOMEM;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_t *o = to_json(&refs[i]);
        rc = o && json_array_append_new(arr, o) == 0 ? 0 : KN_ENOMEM;
    }
    char *s = rc == 0 ? json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(arr);
    if (rc == 0 && (!s || sb_addstr(out, s) != 0 || sb_addch(out, '\n') != 0))
        rc = KN_ENOMEM;
    free(s);
    return rc;
}
