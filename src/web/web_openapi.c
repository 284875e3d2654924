/* src/web/web_openapi.c: merging the API description's fragments
 * (web_openapi.h). */
#include <string.h>

#include "base/embed.h"
#include "web/web_openapi.h"

/* Add every member of from to the object at doc[section][sub] (sub may be
 * NULL), refusing a name already there. */
static int add_members(json_t *doc, const char *section, const char *sub, const json_t *from,
                       const char *name, struct kn_error *err)
{
    if (!json_is_object(from))
        return kn_fail(err, KN_EINPUT, "openapi/%s: '%s%s%s' is not an object", name, section,
                       sub ? "." : "", sub ? sub : "");
    json_t *into = json_object_get(doc, section);
    if (!into) {
        into = json_object();
        if (!into || json_object_set_new(doc, section, into) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    if (sub) {
        json_t *inner = json_object_get(into, sub);
        if (!inner) {
            inner = json_object();
            if (!inner || json_object_set_new(into, sub, inner) != 0)
                return kn_fail(err, KN_ENOMEM, "out of memory");
        }
        into = inner;
    }
    if (!json_is_object(into))
        return kn_fail(err, KN_EINPUT, "openapi: the base's '%s' is not an object", section);
    const char *key;
    json_t *value;
    json_object_foreach ((json_t *)from, key, value) {
        if (json_object_get(into, key))
            return kn_fail(err, KN_EINPUT, "openapi/%s: %s '%s' is already described elsewhere",
                           name, sub ? "schema" : "path", key);
        if (json_object_set(into, key, value) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    return 0;
}

int web_openapi_merge(json_t *doc, const json_t *fragment, const char *name,
                      struct kn_error *err)
{
    if (!json_is_object(fragment))
        return kn_fail(err, KN_EINPUT, "openapi/%s: not a JSON object", name);
    const char *key;
    json_t *value;
    json_object_foreach ((json_t *)fragment, key, value) {
        int rc = 0;
        if (strcmp(key, "paths") == 0) {
            rc = add_members(doc, "paths", NULL, value, name, err);
        } else if (strcmp(key, "components") == 0) {
            const char *ck;
            json_t *cv;
            if (!json_is_object(value))
                return kn_fail(err, KN_EINPUT, "openapi/%s: 'components' is not an object", name);
            json_object_foreach (value, ck, cv) {
                if (strcmp(ck, "schemas") != 0)
                    return kn_fail(err, KN_EINPUT,
                                   "openapi/%s: components.%s: a fragment holds only schemas",
                                   name, ck);
                rc = add_members(doc, "components", "schemas", cv, name, err);
                if (rc != 0)
                    return rc;
            }
        } else {
            return kn_fail(err, KN_EINPUT,
                           "openapi/%s: '%s': a fragment holds only paths and components", name,
                           key);
        }
        if (rc != 0)
            return rc;
    }
    return 0;
}

static json_t *parse(const struct embed_file *f, struct kn_error *err)
{
    json_error_t je;
    json_t *v = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &je);
    if (!v)
        kn_fail(err, KN_EINPUT, "%s:%d: %s", f->name, je.line, je.text);
    return v;
}

int web_openapi_build(json_t **out, struct kn_error *err)
{
    const struct embed_file *base = embed_find("web/openapi.json");
    if (!base)
        return kn_fail(err, KN_ENOTFOUND, "no OpenAPI document (web/openapi.json) is embedded");
    json_t *doc = parse(base, err);
    if (!doc)
        return KN_EINPUT;
    /* embed_files is sorted by name: fragments merge in name order */
    for (unsigned i = 0; i < embed_count; i++) {
        const struct embed_file *f = &embed_files[i];
        size_t nl = strlen(f->name);
        if (strncmp(f->name, "openapi/", 8) != 0 || nl < 14 || strcmp(f->name + nl - 5, ".json"))
            continue;
        json_t *frag = parse(f, err);
        int rc = frag ? web_openapi_merge(doc, frag, f->name + 8, err) : KN_EINPUT;
        json_decref(frag);
        if (rc != 0) {
            json_decref(doc);
            return rc;
        }
    }
    *out = doc;
    return 0;
}
