/* src/web/web_i18n.c: loading the message catalogue and choosing the
 * language of a request (web_i18n.h). A few hundred messages: two jansson
 * objects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/csv.h"
#include "base/embed.h"
#include "web/web_i18n.h"

struct web_i18n {
    json_t *table[2];
};

void web_i18n_free(struct web_i18n *c)
{
    if (!c)
        return;
    json_decref(c->table[0]);
    json_decref(c->table[1]);
    free(c);
}

static bool key_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static struct web_i18n *catalogue_new(void)
{
    struct web_i18n *c = calloc(1, sizeof *c);
    if (c && (!(c->table[0] = json_object()) || !(c->table[1] = json_object()))) {
        web_i18n_free(c);
        return NULL;
    }
    return c;
}

/* Add the messages of one catalogue file to c. */
static int parse_into(struct web_i18n *c, const char *name, const char *text, size_t len,
                      struct kn_error *err)
{
    struct csv_reader *r = NULL;
    struct csv_options o = { 0 };
    int rc = csv_open_mem(&r, text, len, name, &o, err);
    struct csv_record rec;
    int got;
    bool header = true;
    while (rc == 0 && (got = csv_next(r, &rec, err)) == 1) {
        if (header) {
            header = false;
            if (rec.n != 3 || strcmp(rec.f[0].s, "key") || strcmp(rec.f[1].s, "sv") ||
                strcmp(rec.f[2].s, "en"))
                rc = kn_fail(err, KN_EINPUT, "%s:%zu: the header must be key,sv,en", name,
                             rec.line);
            continue;
        }
        const char *key = rec.f[0].s;
        if (rec.n != 3)
            rc = kn_fail(err, KN_EINPUT, "%s:%zu: message '%s' needs 3 fields (key,sv,en), "
                         "has %zu", name, rec.line, key, rec.n);
        else if (!key_ok(key))
            rc = kn_fail(err, KN_EINPUT, "%s:%zu: field 'key': bad key '%s'", name, rec.line,
                         key);
        else if (json_object_get(c->table[0], key))
            rc = kn_fail(err, KN_EINPUT, "%s:%zu: message '%s' given twice", name, rec.line,
                         key);
        else if (rec.f[1].len == 0 || rec.f[2].len == 0)
            rc = kn_fail(err, KN_EINPUT, "%s:%zu: message '%s' has no %s text", name,
                         rec.line, key, rec.f[1].len == 0 ? "Swedish (sv)" : "English (en)");
        else if (json_object_set_new(c->table[0], key, json_string(rec.f[1].s)) != 0 ||
                 json_object_set_new(c->table[1], key, json_string(rec.f[2].s)) != 0)
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
    }
    if (rc == 0 && got < 0)
        rc = got;
    csv_free(r);
    if (rc == 0 && header)
        rc = kn_fail(err, KN_EINPUT, "%s: empty catalogue", name);
    return rc;
}

int web_i18n_parse(struct web_i18n **out, const char *name, const char *text, size_t len,
                   struct kn_error *err)
{
    struct web_i18n *c = catalogue_new();
    if (!c)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    int rc = parse_into(c, name, text, len, err);
    if (rc != 0) {
        web_i18n_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

int web_i18n_load_embedded(struct web_i18n **out, struct kn_error *err)
{
    struct web_i18n *c = catalogue_new();
    if (!c)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    int rc = 0;
    unsigned files = 0;
    for (unsigned i = 0; rc == 0 && i < embed_count; i++) {
        const struct embed_file *f = &embed_files[i];
        size_t nl = strlen(f->name);
        if (strncmp(f->name, "i18n/", 5) != 0 || nl < 9 || strcmp(f->name + nl - 4, ".csv"))
            continue;
        char name[128];
        snprintf(name, sizeof name, "data/%s", f->name);
        rc = parse_into(c, name, (const char *)f->data, f->len, err);
        files++;
    }
    if (rc == 0 && files == 0)
        rc = kn_fail(err, KN_ENOTFOUND, "no message catalogue (data/i18n/{name}.csv) is embedded");
    if (rc != 0) {
        web_i18n_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

const json_t *web_i18n_table(const struct web_i18n *c, enum web_lang lang)
{
    return c->table[lang == WEB_EN];
}

const char *web_i18n_get(const struct web_i18n *c, enum web_lang lang, const char *key)
{
    return json_string_value(json_object_get(c->table[lang == WEB_EN], key));
}

const char *web_lang_code(enum web_lang lang)
{
    return lang == WEB_EN ? "en" : "sv";
}

bool web_lang_parse(const char *s, enum web_lang *out)
{
    if (s && strcmp(s, "sv") == 0)
        *out = WEB_SV;
    else if (s && strcmp(s, "en") == 0)
        *out = WEB_EN;
    else
        return false;
    return true;
}

/* The best of sv and en in an Accept-Language value ("en-GB,en;q=0.8,sv;q=0.5"). */
static bool accept_pick(const char *h, enum web_lang *out)
{
    double best = 0;
    bool found = false;
    while (h && *h) {
        while (*h == ' ' || *h == ',')
            h++;
        const char *end = strchr(h, ',');
        size_t len = end ? (size_t)(end - h) : strlen(h);
        size_t tag = strcspn(h, "-;, ");
        if (tag > len)
            tag = len;
        double q = 1;
        const char *qs = memchr(h, ';', len);
        if (qs) {
            const char *v = strstr(qs, "q=");
            if (v && v < h + len)
                q = strtod(v + 2, NULL);
        }
        enum web_lang l = WEB_SV;
        bool known = (tag == 2 && strncasecmp(h, "sv", 2) == 0) ||
                     (tag == 2 && strncasecmp(h, "en", 2) == 0 && (l = WEB_EN, true));
        if (known && q > best) {
            best = q;
            *out = l;
            found = true;
        }
        h = end;
    }
    return found;
}

enum web_lang web_lang_pick(const char *query, const char *cookie, const char *accept)
{
    enum web_lang l = WEB_SV;
    if (web_lang_parse(query, &l) || web_lang_parse(cookie, &l) || accept_pick(accept, &l))
        return l;
    return WEB_SV;
}
