/* src/hub/hub_ref.c: a reference's codes, its DOI and its checks
 * (hub_ref.h). */
#include "hub/hub_ref.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "domain/pnr_shape.h"

const char *const HUB_REF_PUB_TYPES[] = {"article", "report", "book", "chapter",
                                         "web",     "other",  NULL};
const char *const HUB_REF_STUDY_TYPES[] = {
    "systematic-review", "meta-analysis", "rct",       "cohort",
    "case-control",      "cross-sectional", "qualitative", "case-series",
    "guideline",         "expert-opinion",  "other",       NULL};
const char *const HUB_REF_GRADES[] = {"high", "moderate", "low", "very-low", NULL};

int hub_ref_doi(const char *s, size_t len, char *out, size_t cap)
{
    static const char *const prefixes[] = {"https://doi.org/", "http://doi.org/",
                                           "https://dx.doi.org/", "http://dx.doi.org/",
                                           "doi:", NULL};
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    for (size_t i = 0; prefixes[i]; i++) {
        size_t pl = strlen(prefixes[i]);
        if (len >= pl && strncasecmp(s, prefixes[i], pl) == 0) {
            s += pl;
            len -= pl;
            break;
        }
    }
    if (len < 6 || len >= cap || strncmp(s, "10.", 3) != 0)
        return KN_EINPUT;
    size_t slash = 0;
    for (size_t i = 3; i < len && !slash; i++) {
        if (s[i] == '/')
            slash = i;
        else if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
            return KN_EINPUT;
    }
    if (slash <= 3 || slash + 1 >= len)
        return KN_EINPUT;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f)
            return KN_EINPUT;
        out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[len] = '\0';
    return 0;
}

int hub_ref_text_check(const char *field, const char *v, size_t max, bool multiline,
                       struct kn_error *err)
{
    if (!v)
        return 0;
    size_t len = strlen(v);
    if (len > max)
        return kn_fail(err, KN_EINPUT, "%s: at most %zu bytes", field, max);
    if (!utf8_valid(v, len, NULL))
        return kn_fail(err, KN_EINPUT, "%s: not valid UTF-8", field);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7f)
            return kn_fail(err, KN_EINPUT, "%s: a control character at byte %zu", field,
                           i + 1);
    }
    if (pnr_find_shaped(v, len, NULL, NULL))
        return kn_fail(err, KN_EINPUT,
                       "%s holds a personnummer-shaped number: the register names no "
                       "person",
                       field);
    return 0;
}

static bool known(const char *v, const char *const *codes)
{
    for (size_t i = 0; codes[i]; i++)
        if (strcmp(v, codes[i]) == 0)
            return true;
    return false;
}

static int code_check(const char *field, const char *v, const char *const *codes,
                      struct kn_error *err)
{
    if (!v || known(v, codes))
        return 0;
    char list[300] = "";
    size_t len = 0;
    for (size_t i = 0; codes[i] && len + strlen(codes[i]) + 3 < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                                codes[i]);
    return kn_fail(err, KN_EINPUT, "%s: not one of %s", field, list);
}

int hub_ref_check(const struct hub_ref *r, struct kn_error *err)
{
    if (!r->title || !*r->title)
        return kn_fail(err, KN_EINPUT, "title: a reference needs a title");
    if (!r->pub_type || !known(r->pub_type, HUB_REF_PUB_TYPES))
        return code_check("type", r->pub_type ? r->pub_type : "", HUB_REF_PUB_TYPES, err);
    if (code_check("study type", r->study_type, HUB_REF_STUDY_TYPES, err) != 0 ||
        code_check("evidence grade", r->grade, HUB_REF_GRADES, err) != 0)
        return err->code;
    if (r->year && (r->year < 1500 || r->year > 2199))
        return kn_fail(err, KN_EINPUT, "year: 1500 to 2199");
    if (hub_ref_text_check("title", r->title, HUB_REF_TITLE_MAX, false, err) != 0 ||
        hub_ref_text_check("journal", r->journal, HUB_REF_FIELD_MAX, false, err) != 0 ||
        hub_ref_text_check("volume", r->volume, HUB_REF_FIELD_MAX, false, err) != 0 ||
        hub_ref_text_check("issue", r->issue, HUB_REF_FIELD_MAX, false, err) != 0 ||
        hub_ref_text_check("pages", r->pages, HUB_REF_FIELD_MAX, false, err) != 0 ||
        hub_ref_text_check("URL", r->url, HUB_REF_FIELD_MAX, false, err) != 0 ||
        hub_ref_text_check("summary", r->summary, HUB_REF_SUMMARY_MAX, true, err) != 0)
        return err->code;
    if (r->doi) {
        char d[HUB_REF_FIELD_MAX + 1];
        if (hub_ref_doi(r->doi, strlen(r->doi), d, sizeof d) != 0 || strcmp(d, r->doi))
            return kn_fail(err, KN_EINPUT, "DOI: not a DOI (10.NNNN/...)");
    }
    if (r->pmid) {
        size_t n = strlen(r->pmid);
        bool digits = n >= 1 && n <= 9;
        for (size_t i = 0; digits && i < n; i++)
            digits = r->pmid[i] >= '0' && r->pmid[i] <= '9';
        if (!digits || r->pmid[0] == '0')
            return kn_fail(err, KN_EINPUT, "PubMed id: 1 to 9 digits");
    }
    for (size_t i = 0; i < r->nauthors; i++) {
        if (!*r->authors[i])
            return kn_fail(err, KN_EINPUT, "author %zu: empty", i + 1);
        if (hub_ref_text_check("author", r->authors[i], HUB_REF_FIELD_MAX, false, err))
            return err->code;
    }
    for (size_t i = 0; i < r->ntopics; i++) {
        if (!*r->topics[i] || strchr(r->topics[i], ','))
            return kn_fail(err, KN_EINPUT, "topic %zu: a word or words, no comma", i + 1);
        if (hub_ref_text_check("topic", r->topics[i], HUB_REF_TOPIC_MAX, false, err))
            return err->code;
    }
    return 0;
}

struct hub_ref *hub_ref_push(struct hub_ref_set *set, struct arena *a)
{
    if (arena_grow(a, &set->refs, set->n, &set->cap, sizeof *set->refs) != 0)
        return NULL;
    struct hub_ref *r = &set->refs[set->n++];
    memset(r, 0, sizeof *r);
    return r;
}

int hub_ref_list_add(const char ***v, size_t *n, const char *s, size_t len,
                     struct arena *a)
{
    if (*n >= HUB_REF_LIST_MAX)
        return KN_EINPUT;
    /* The capacity is the next power of two: grow when n is one. */
    if (*n == 0 || (*n & (*n - 1)) == 0) {
        size_t cap = *n ? *n * 2 : 1;
        const char **nv = arena_alloc(a, cap * sizeof *nv);
        if (!nv)
            return KN_ENOMEM;
        if (*n)
            memcpy(nv, *v, *n * sizeof *nv);
        *v = nv;
    }
    char *c = arena_strndup(a, s, len);
    if (!c)
        return KN_ENOMEM;
    (*v)[(*n)++] = c;
    return 0;
}
