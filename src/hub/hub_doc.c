/* src/hub/hub_doc.c: the front matter of a knowledge-support document. */
#include "hub/hub_doc.h"

#include <string.h>

#include "base/text.h"
#include "base/utf8.h"
#include "domain/pnr_shape.h"

const struct hub_audience hub_audiences[] = {
    {"patients", "Patienter", "Patients"},
    {"relatives", "Närstående", "Relatives"},
    {"care-staff", "Vård- och omsorgspersonal", "Care staff"},
    {"police", "Polis", "Police"},
    {"social-services", "Socialtjänst", "Social services"},
    {"school-health", "Elevhälsa", "School health"},
    {"youth-clinics", "Ungdomsmottagningar", "Youth clinics"},
    {"decision-makers", "Beslutsfattare", "Decision makers"},
    {NULL, NULL, NULL},
};

int hub_pnr_shaped(const char *s)
{
    return pnr_find_shaped(s, strlen(s), NULL, NULL);
}

/* Trimmed copy of s[0..len) in the arena. */
static char *trimmed(struct arena *a, const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    return arena_strndup(a, s, len);
}

static bool slug_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 80 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

/* A comma list normalised to "a,b" (trimmed, no empty items). */
static char *list_norm(struct arena *a, const char *v)
{
    size_t n = strlen(v);
    char *out = arena_alloc(a, n + 1), *o = out;
    if (!out)
        return NULL;
    const char *item;
    size_t len;
    for (const char *p = v; text_list_next(&p, &item, &len);) {
        text_trim(&item, &len);
        if (len == 0)
            continue;
        if (o != out)
            *o++ = ',';
        memcpy(o, item, len);
        o += len;
    }
    *o = '\0';
    return out;
}

static int check_audience(const char *list, const char *name, int line,
                          struct kn_error *err)
{
    if (!*list)
        return kn_fail(err, KN_EINPUT, "%s:%d: 'audience': give at least one code", name,
                       line);
    const char *p;
    size_t len;
    for (const char *at = list; text_list_next(&at, &p, &len);) {
        bool known = false;
        for (const struct hub_audience *h = hub_audiences; h->code; h++)
            if (strlen(h->code) == len && strncmp(h->code, p, len) == 0)
                known = true;
        if (!known)
            return kn_fail(
                err, KN_EINPUT,
                "%s:%d: 'audience': unknown code '%.*s' (patients, relatives, "
                "care-staff, police, social-services, school-health, youth-clinics, "
                "decision-makers)",
                name, line, (int)(len > 40 ? 40 : len), p);
    }
    return 0;
}

/* The line (from 1) of byte at of text. */
static int line_of(const char *text, size_t at)
{
    int line = 1;
    for (size_t i = 0; i < at; i++)
        line += text[i] == '\n';
    return line;
}

int hub_doc_parse(const char *text, size_t len, const char *name, struct hub_doc *d,
                  struct arena *a, struct kn_error *err)
{
    memset(d, 0, sizeof *d);
    d->decided = 0;
    size_t bad = len;
    const char *nul = memchr(text, '\0', len);
    if (!utf8_valid(text, len, &bad) || nul) {
        if (nul && (size_t)(nul - text) < bad)
            bad = (size_t)(nul - text);
        return kn_fail(err, KN_EINPUT, "%s:%d: not UTF-8 text (byte %zu)", name,
                       line_of(text, bad), bad + 1);
    }
    if (len < 4 || strncmp(text, "---", 3) != 0 || (text[3] != '\n' && text[3] != '\r'))
        return kn_fail(err, KN_EINPUT,
                       "%s:1: no front matter: the file must start with a line "
                       "'---'",
                       name);
    const char *p = text + (text[3] == '\r' ? 5 : 4), *end = text + len;
    int line = 2, status_line = 0, decided_line = 0;
    bool closed = false;
    const char *status = NULL, *decided = NULL;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (ll && p[ll - 1] == '\r')
            ll--;
        if (ll == 3 && strncmp(p, "---", 3) == 0) {
            closed = true;
            p = nl ? nl + 1 : end;
            break;
        }
        const char *colon = memchr(p, ':', ll);
        if (ll == 0 || p[0] == '#') {
            /* blank lines and comments */
        } else if (!colon) {
            return kn_fail(err, KN_EINPUT, "%s:%d: expected 'key: value'", name, line);
        } else {
            char *key = trimmed(a, p, (size_t)(colon - p));
            char *val = trimmed(a, colon + 1, ll - (size_t)(colon - p) - 1);
            if (!key || !val)
                return kn_fail(err, KN_ENOMEM, "out of memory");
            if (hub_pnr_shaped(val))
                return kn_fail(err, KN_EINPUT,
                               "%s:%d: '%s': holds a personnummer-shaped "
                               "number; documents never name a person",
                               name, line, key);
            const char **slot = NULL;
            if (strcmp(key, "id") == 0)
                slot = &d->slug;
            else if (strcmp(key, "title") == 0)
                slot = &d->title;
            else if (strcmp(key, "summary") == 0)
                slot = &d->summary;
            else if (strcmp(key, "audience") == 0)
                slot = &d->audience;
            else if (strcmp(key, "topics") == 0)
                slot = &d->topics;
            else if (strcmp(key, "language") == 0)
                slot = &d->language;
            else if (strcmp(key, "owner") == 0)
                slot = &d->owner;
            else if (strcmp(key, "status") == 0)
                slot = &status, status_line = line;
            else if (strcmp(key, "decided") == 0)
                slot = &decided, decided_line = line;
            else if (strcmp(key, "references") == 0)
                slot = &d->references, d->references_line = line;
            else if (strcmp(key, "practices") == 0)
                slot = &d->practices, d->practices_line = line;
            else if (strcmp(key, "indicators") == 0)
                slot = &d->indicators, d->indicators_line = line;
            else if (strcmp(key, "steps") == 0)
                slot = &d->steps, d->steps_line = line;
            else {
                char shown[41]; /* a personnummer in a key is not echoed either */
                pnr_mask_copy(key, strlen(key), shown, sizeof shown);
                return kn_fail(
                    err, KN_EINPUT,
                    "%s:%d: unknown key '%s' (id, title, "
                    "summary, audience, topics, language, owner, status, decided, "
                    "references, practices, indicators, steps)",
                    name, line, shown);
            }
            if (*slot)
                return kn_fail(err, KN_EINPUT, "%s:%d: '%s' is given twice", name, line,
                               key);
            if (strcmp(key, "audience") == 0 || strcmp(key, "topics") == 0 ||
                strcmp(key, "references") == 0 || strcmp(key, "practices") == 0 ||
                strcmp(key, "indicators") == 0 ||
                strcmp(key, "steps") == 0) {
                val = list_norm(a, val);
                if (!val)
                    return kn_fail(err, KN_ENOMEM, "out of memory");
                if (strcmp(key, "audience") == 0 && check_audience(val, name, line, err))
                    return err->code;
            }
            *slot = val;
            if (slot == &d->slug && !slug_ok(val))
                return kn_fail(err, KN_EINPUT,
                               "%s:%d: 'id': use 1-80 of a-z, 0-9 and '-'", name, line);
            if (slot == &d->slug && strcmp(val, "work") == 0)
                return kn_fail(err, KN_EINPUT,
                               "%s:%d: 'id': 'work' is the portal's (/documents/work)",
                               name, line);
            if (slot == &d->language && strcmp(val, "sv") != 0 && strcmp(val, "en") != 0)
                return kn_fail(err, KN_EINPUT, "%s:%d: 'language': sv or en", name, line);
            if (slot == &status && strcmp(val, "draft") != 0 &&
                strcmp(val, "published") != 0)
                return kn_fail(err, KN_EINPUT,
                               "%s:%d: 'status': draft or published (other "
                               "states are reached through the workflow)",
                               name, line);
            if (slot == &decided && date_parse(val, strlen(val), &d->decided, err) != 0)
                return kn_error_prefix(err, "%s:%d: 'decided': ", name, line);
        }
        line++;
        p = nl ? nl + 1 : end;
    }
    if (!closed)
        return kn_fail(err, KN_EINPUT, "%s:1: the front matter has no closing line '---'",
                       name);
    static const char *const required[] = {"id",       "title",    "summary",
                                           "audience", "language", "owner"};
    const char *vals[] = {d->slug,     d->title,    d->summary,
                          d->audience, d->language, d->owner};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!vals[i] || !*vals[i])
            return kn_fail(err, KN_EINPUT,
                           "%s:%d: '%s' is missing from the front matter (it ends here)",
                           name, line, required[i]);
    if (!d->topics)
        d->topics = "";
    if (!d->references)
        d->references = "";
    if (!d->practices)
        d->practices = "";
    if (!d->indicators)
        d->indicators = "";
    if (!d->steps)
        d->steps = "";
    d->published = status && strcmp(status, "published") == 0;
    if (d->published && !decided)
        return kn_fail(err, KN_EINPUT,
                       "%s:%d: 'status: published' needs 'decided: "
                       "YYYY-MM-DD', the date of the decision to publish",
                       name, status_line);
    if (!d->published && decided)
        return kn_fail(err, KN_EINPUT,
                       "%s:%d: 'decided' goes with 'status: published' only", name,
                       decided_line);
    d->body = arena_strndup(a, p, (size_t)(end - p));
    d->body_line = 1;
    for (const char *q = text; q < p; q++)
        d->body_line += *q == '\n';
    if (!d->body)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    size_t at;
    if (pnr_find_shaped(d->body, strlen(d->body), &at, NULL))
        return kn_fail(err, KN_EINPUT,
                       "%s:%d: the text holds a personnummer-shaped number; "
                       "documents never name a person",
                       name, d->body_line + line_of(d->body, at) - 1);
    return 0;
}
