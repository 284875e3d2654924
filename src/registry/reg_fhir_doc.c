/* src/registry/reg_fhir_doc.c: FHIR input files and the index of pass one.
 *
 * A file is mapped read-only. Its format is told by the name (*.ndjson,
 * *.jsonl: NDJSON) or else by its content: NDJSON if its first line is a
 * whole JSON object and more follows, otherwise one JSON document (a
 * Bundle or a single resource). A document is parsed whole with jansson and
 * stays parsed for pass two; it may not exceed max_document bytes. NDJSON is
 * read line by line, each line parsed on its own (and again in pass two),
 * so only its lines are limited. Every text is scanned for its nesting depth
 * before jansson sees it.
 *
 * A malformed document stops the import (file, line and column); a
 * malformed NDJSON line is one rejected resource, so --keep-valid keeps the
 * others. jansson's messages may quote the input near the fault, so they
 * are masked for personnummer before they go anywhere.
 *
 * The key table maps "Type/id" and each bundle entry's fullUrl to the
 * resource, for references; only resource types that are referred to
 * (Patient, Organization, Encounter, Condition, Procedure) are entered.
 */
#include "registry/reg_fhir_impl.h"

#include "base/hash.h"
#include "domain/pnr.h"
#include "domain/pnr_shape.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void fx_set_init(struct fx_set *set, const struct reg_fhir_options *opt,
                 struct reg_fhir_stats *st)
{
    memset(set, 0, sizeof *set);
    arena_init(&set->a);
    set->max_document =
        opt && opt->max_document ? opt->max_document : REG_FHIR_MAX_DOCUMENT;
    set->max_line = opt && opt->max_line ? opt->max_line : REG_FHIR_MAX_LINE;
    set->max_depth = opt && opt->max_depth > 0 ? opt->max_depth : REG_FHIR_MAX_DEPTH;
    set->source_system = opt && opt->source_system ? opt->source_system : "fhir";
    set->st = st;
}

void fx_set_release(struct fx_set *set)
{
    for (size_t i = 0; i < set->nsecret; i++)
        sodium_memzero(set->secret[i], strlen(set->secret[i]));
    free(set->secret);
    for (size_t i = 0; i < set->nsrc; i++) {
        json_decref(set->src[i].doc);
        if (set->src[i].map != NULL)
            munmap(set->src[i].map, set->src[i].map_len);
        free(set->src[i].name);
    }
    free(set->src);
    free(set->res);
    free(set->tab);
    arena_release(&set->a);
    memset(set, 0, sizeof *set);
}

const char *fx_keep(struct fx_set *set, const char *s, size_t len, bool secret)
{
    char *p = arena_strndup(&set->a, s, len);
    if (p == NULL) {
        set->oom = true;
        return NULL;
    }
    if (secret) {
        if (set->nsecret == set->capsecret) {
            size_t cap = set->capsecret ? set->capsecret * 2 : 256;
            char **n = realloc(set->secret, cap * sizeof *n);
            if (n == NULL) {
                sodium_memzero(p, len);
                set->oom = true;
                return NULL;
            }
            set->secret = n;
            set->capsecret = cap;
        }
        set->secret[set->nsecret++] = p;
    }
    return p;
}

static bool is_type_name(const char *s, size_t len)
{
    if (len == 0 || s[0] < 'A' || s[0] > 'Z')
        return false;
    for (size_t i = 1; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    return true;
}

void fx_note_unknown(struct fx_set *set, const char *type)
{
    if (set->st == NULL || type == NULL || strlen(type) > 40 ||
        !is_type_name(type, strlen(type)))
        return; /* counted, but not named: it is not a FHIR type name */
    char *names = set->st->unknown_names;
    size_t have = strlen(names), tlen = strlen(type);
    /* already listed? */
    for (const char *p = names; (p = strstr(p, type)) != NULL; p += tlen)
        if ((p == names || p[-1] == ' ') && (p[tlen] == ',' || p[tlen] == '\0'))
            return;
    if (have + tlen + 3 < sizeof set->st->unknown_names)
        snprintf(names + have, sizeof set->st->unknown_names - have, "%s%s",
                 have ? ", " : "", type);
}

/* ---- the key table ---- */

static uint64_t key_hash(const char *s, size_t len)
{
    uint64_t h = kn_fnv1a(KN_FNV_SEED, s, len);
    return h ^ (h >> 29);
}

static uint32_t tab_find(const struct fx_set *set, const char *s, size_t len)
{
    if (set->tabcap == 0)
        return 0;
    size_t m = set->tabcap - 1;
    for (size_t i = (size_t)key_hash(s, len) & m; set->tab[i].key != NULL;
         i = (i + 1) & m)
        if (set->tab[i].len == len && memcmp(set->tab[i].key, s, len) == 0)
            return set->tab[i].idx;
    return 0;
}

static bool tab_grow(struct fx_set *set)
{
    size_t cap = set->tabcap ? set->tabcap * 2 : 1024;
    struct fx_slot *t = calloc(cap, sizeof *t);
    if (t == NULL)
        return false;
    for (size_t i = 0; i < set->tabcap; i++) {
        const struct fx_slot *o = &set->tab[i];
        if (o->key == NULL)
            continue;
        size_t j = (size_t)key_hash(o->key, o->len) & (cap - 1);
        while (t[j].key != NULL)
            j = (j + 1) & (cap - 1);
        t[j] = *o;
    }
    free(set->tab);
    set->tab = t;
    set->tabcap = cap;
    return true;
}

void fx_add_key(struct fx_set *set, const char *key, size_t len, const struct fx_res *r)
{
    uint32_t idx = (uint32_t)(r - set->res) + 1;
    if (len == 0 || len > UINT32_MAX)
        return;
    if ((set->tabn + 1) * 2 > set->tabcap && !tab_grow(set)) {
        set->oom = true;
        return;
    }
    size_t m = set->tabcap - 1, i = (size_t)key_hash(key, len) & m;
    for (; set->tab[i].key != NULL; i = (i + 1) & m) {
        if (set->tab[i].len == len && memcmp(set->tab[i].key, key, len) == 0) {
            set->tab[i].idx = idx;
            return;
        }
    }
    const char *k = fx_keep(set, key, len, false);
    if (k == NULL)
        return;
    set->tab[i] = (struct fx_slot){k, (uint32_t)len, idx};
    set->tabn++;
}

/* ---- references ---- */

bool fx_ref_split(const char *ref, const char **type, size_t *tlen, const char **id,
                  size_t *ilen)
{
    if (ref == NULL || ref[0] == '#' || strncmp(ref, "urn:", 4) == 0)
        return false;
    size_t len = strlen(ref);
    const char *hist = strstr(ref, "/_history/");
    if (hist != NULL)
        len = (size_t)(hist - ref);
    size_t slash = len;
    while (slash > 0 && ref[slash - 1] != '/')
        slash--;
    if (slash == 0 || slash == len)
        return false; /* no "Type/" before the id, or an empty id */
    size_t tstart = slash - 1;
    while (tstart > 0 && ref[tstart - 1] != '/')
        tstart--;
    if (!is_type_name(ref + tstart, slash - 1 - tstart))
        return false;
    *type = ref + tstart;
    *tlen = slash - 1 - tstart;
    *id = ref + slash;
    *ilen = len - slash;
    return true;
}

uint32_t fx_resolve(const struct fx_set *set, const char *ref)
{
    if (ref == NULL || ref[0] == '\0' || ref[0] == '#')
        return 0;
    uint32_t idx = tab_find(set, ref, strlen(ref));
    if (idx != 0)
        return idx;
    const char *type, *id;
    size_t tlen, ilen;
    char key[256];
    if (!fx_ref_split(ref, &type, &tlen, &id, &ilen) || tlen + ilen + 2 > sizeof key)
        return 0;
    memcpy(key, type, tlen);
    key[tlen] = '/';
    memcpy(key + tlen + 1, id, ilen);
    return tab_find(set, key, tlen + 1 + ilen);
}

/* ---- personnummer in text ---- */

void fx_clean(char *s, size_t len)
{
    pnr_mask(s, len);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            s[i] = '?';
}

/* ---- locations ---- */

void fx_where(const struct fx_set *set, size_t i, char *buf, size_t size)
{
    const struct fx_res *r = &set->res[i];
    const struct fx_src *src = &set->src[r->src];
    int n;
    if (src->ndjson)
        n = snprintf(buf, size, "%s:%u", src->name, r->seq);
    else if (src->entries != NULL)
        n = snprintf(buf, size, "%s: entry[%u]", src->name, r->seq);
    else
        n = snprintf(buf, size, "%s", src->name);
    if (n >= 0 && (size_t)n < size && r->rtype != NULL)
        snprintf(buf + n, size - (size_t)n, "%s%s%s%s",
                 src->entries && !src->ndjson ? " " : ": ", r->rtype, r->id ? "/" : "",
                 r->id ? r->id : "");
    fx_clean(buf, strlen(buf));
}

/* ---- reading ---- */

/* 0 if the JSON text nests at most max deep, else 1 + the offset of the
 * bracket that goes deeper. Brackets inside strings do not count. */
static size_t depth_excess(const char *s, size_t len, int max)
{
    int d = 0;
    bool str = false, esc = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (str) {
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"')
                str = false;
        } else if (c == '"') {
            str = true;
        } else if (c == '{' || c == '[') {
            if (++d > max)
                return i + 1;
        } else if (c == '}' || c == ']') {
            d--;
        }
    }
    return 0;
}

static void line_col(const char *s, size_t off, size_t *line, size_t *col)
{
    *line = 1;
    size_t start = 0;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n') {
            (*line)++;
            start = i + 1;
        }
    }
    *col = off - start + 1;
}

static int new_res(struct fx_set *set, uint32_t si, uint32_t seq, struct fx_res **out)
{
    if (set->nres == set->capres) {
        size_t cap = set->capres ? set->capres * 2 : 1024;
        if (cap > UINT32_MAX - 1)
            return KN_ENOMEM;
        struct fx_res *n = realloc(set->res, cap * sizeof *n);
        if (n == NULL)
            return KN_ENOMEM;
        set->res = n;
        set->capres = cap;
    }
    struct fx_res *r = &set->res[set->nres++];
    memset(r, 0, sizeof *r);
    r->src = si;
    r->seq = seq;
    r->kind = -1;
    *out = r;
    return 0;
}

static void set_bad(struct fx_set *set, struct fx_res *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_bad(struct fx_set *set, struct fx_res *r, const char *fmt, ...)
{
    char msg[KN_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fx_clean(msg, strlen(msg));
    r->fate = FX_BAD;
    r->value = fx_keep(set, msg, strlen(msg), false);
}

/* A parsed value that should be a resource: index it, or mark it bad. */
static void take(struct fx_set *set, struct fx_res *r, json_t *res, const char *full_url)
{
    if (!json_is_object(res))
        set_bad(set, r, "expected a FHIR resource (a JSON object)");
    else if (!json_is_string(json_object_get(res, "resourceType")))
        set_bad(set, r, "the resource has no 'resourceType'");
    else
        fx_index(set, r, res, full_url);
}

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

static int index_ndjson(struct fx_set *set, uint32_t si, struct kn_error *err)
{
    const char *data = set->src[si].data, *end = data + set->src[si].len;
    const char *name = set->src[si].name;
    size_t found = 0;
    uint32_t line = 0;
    for (const char *p = data; p < end && !set->oom;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *ls = p, *le = nl ? nl : end;
        p = nl ? nl + 1 : end;
        if (line == UINT32_MAX)
            return kn_fail(err, KN_EINPUT, "%s: more than %u lines", name,
                           UINT32_MAX - 1);
        line++;
        if (line == 1 && le - ls >= 3 && memcmp(ls, "\xEF\xBB\xBF", 3) == 0)
            ls += 3;
        if (le > ls && le[-1] == '\r')
            le--;
        size_t len = (size_t)(le - ls);
        if (blank(ls, len))
            continue;
        found++;
        struct fx_res *r;
        if (new_res(set, si, line, &r) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory indexing '%s'", name);
        r->off = (size_t)(ls - data);
        r->len = len;
        size_t deep;
        json_error_t je;
        if (len > set->max_line) {
            set_bad(set, r, "the line is %zu bytes long, more than the %zu allowed", len,
                    set->max_line);
        } else if ((deep = depth_excess(ls, len, set->max_depth)) != 0) {
            set_bad(set, r, "column %zu: the JSON nests deeper than %d levels", deep,
                    set->max_depth);
        } else {
            json_t *res = json_loadb(ls, len, JSON_REJECT_DUPLICATES, &je);
            if (res == NULL)
                set_bad(set, r, "column %d: malformed JSON: %s", je.column, je.text);
            else
                take(set, r, res, NULL);
            json_decref(res);
        }
    }
    if (set->oom)
        return kn_fail(err, KN_ENOMEM, "out of memory indexing '%s'", name);
    if (found == 0)
        return kn_fail(err, KN_EINPUT, "%s: the file holds no resources", name);
    return 0;
}

static const char *const bundle_types[] = {"collection", "transaction", "batch",
                                           "searchset",  "document",    NULL};

static int index_document(struct fx_set *set, uint32_t si, struct kn_error *err)
{
    struct fx_src *src = &set->src[si];
    const char *name = src->name;
    if (src->len > set->max_document)
        return kn_fail(err, KN_EINPUT,
                       "%s: the file is %zu bytes, more than the %zu a JSON "
                       "document may have; split it, or write NDJSON",
                       name, src->len, set->max_document);
    size_t deep = depth_excess(src->data, src->len, set->max_depth), line, col;
    if (deep != 0) {
        line_col(src->data, deep - 1, &line, &col);
        return kn_fail(err, KN_EINPUT, "%s:%zu:%zu: the JSON nests deeper than %d levels",
                       name, line, col, set->max_depth);
    }
    json_error_t je;
    json_t *doc = json_loadb(src->data, src->len, JSON_REJECT_DUPLICATES, &je);
    if (doc == NULL) {
        fx_clean(je.text, strlen(je.text));
        return kn_fail(err, KN_EINPUT, "%s:%d:%d: malformed JSON: %s", name, je.line,
                       je.column, je.text);
    }
    src->doc = doc;
    if (!json_is_object(doc))
        return kn_fail(err, KN_EINPUT,
                       "%s: expected a FHIR Bundle or resource (a JSON "
                       "object)",
                       name);
    const char *rt = json_string_value(json_object_get(doc, "resourceType"));
    if (rt == NULL)
        return kn_fail(err, KN_EINPUT,
                       "%s: the JSON object has no 'resourceType'; expected "
                       "a FHIR Bundle or resource",
                       name);
    struct fx_res *r;
    if (strcmp(rt, "Bundle") != 0) {
        if (new_res(set, si, 0, &r) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory");
        take(set, r, doc, NULL);
        return set->oom ? kn_fail(err, KN_ENOMEM, "out of memory indexing '%s'", name)
                        : 0;
    }
    const char *type = json_string_value(json_object_get(doc, "type"));
    size_t t = 0;
    while (bundle_types[t] != NULL &&
           (type == NULL || strcmp(type, bundle_types[t]) != 0))
        t++;
    if (bundle_types[t] == NULL)
        return kn_fail(err, KN_EINPUT,
                       "%s: a Bundle of type '%.40s' is not imported; use "
                       "collection, transaction, batch, searchset or document",
                       name, type ? type : "(none)");
    json_t *entries = json_object_get(doc, "entry");
    if (entries == NULL)
        return kn_fail(err, KN_EINPUT, "%s: the Bundle has no entries", name);
    if (!json_is_array(entries))
        return kn_fail(err, KN_EINPUT, "%s: the Bundle's 'entry' is not an array", name);
    src->entries = entries;
    for (size_t k = 0; k < json_array_size(entries) && !set->oom; k++) {
        json_t *e = json_array_get(entries, k);
        if (k >= UINT32_MAX || new_res(set, si, (uint32_t)k, &r) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory indexing '%s'", name);
        json_t *res = json_object_get(e, "resource");
        if (!json_is_object(e))
            set_bad(set, r, "the entry is not a JSON object");
        else if (res == NULL)
            r->fate = FX_NOTHING; /* a DELETE in a transaction, say */
        else
            take(set, r, res, json_string_value(json_object_get(e, "fullUrl")));
    }
    return set->oom ? kn_fail(err, KN_ENOMEM, "out of memory indexing '%s'", name) : 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* NDJSON by its content: the first line is a whole JSON object and more
 * text follows. A pretty-printed document's first line is not. */
static bool looks_ndjson(const struct fx_set *set, const char *s, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    const char *nl = memchr(s + i, '\n', len - i);
    if (nl == NULL || (size_t)(nl - (s + i)) > set->max_line ||
        depth_excess(s + i, (size_t)(nl - (s + i)), set->max_depth) != 0)
        return false;
    json_t *first = json_loadb(s + i, (size_t)(nl - (s + i)), 0, NULL);
    bool yes = json_is_object(first) && !blank(nl, len - (size_t)(nl - s));
    json_decref(first);
    return yes;
}

static int add_source(struct fx_set *set, const char *path, const char *data, size_t len,
                      void *map, struct kn_error *err)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (set->nsrc == set->capsrc) {
        size_t cap = set->capsrc ? set->capsrc * 2 : 8;
        struct fx_src *n = realloc(set->src, cap * sizeof *n);
        if (n == NULL) {
            if (map != NULL)
                munmap(map, len);
            return kn_fail(err, KN_ENOMEM, "out of memory");
        }
        set->src = n;
        set->capsrc = cap;
    }
    struct fx_src *src = &set->src[set->nsrc];
    memset(src, 0, sizeof *src);
    src->name = strdup(base);
    src->data = data;
    src->len = len;
    src->map = map;
    src->map_len = len;
    if (src->name == NULL) {
        if (map != NULL)
            munmap(map, len);
        return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    pnr_mask(src->name, strlen(src->name)); /* as every message shows it */
    uint32_t si = (uint32_t)set->nsrc++;
    if (len == 0)
        return kn_fail(err, KN_EINPUT, "%s: the file is empty", src->name);
    src->ndjson = has_suffix(base, ".ndjson") || has_suffix(base, ".jsonl") ||
                  looks_ndjson(set, data, len);
    return src->ndjson ? index_ndjson(set, si, err) : index_document(set, si, err);
}

int fx_add_mem(struct fx_set *set, const char *name, const char *data, size_t len,
               struct kn_error *err)
{
    return add_source(set, name, data, len, NULL, err);
}

int fx_add_file(struct fx_set *set, const char *path, struct kn_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return kn_fail(err, errno == ENOENT ? KN_ENOTFOUND : KN_EIO,
                       "cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return kn_fail(err, KN_EINPUT, "'%s' is not a regular file", path);
    }
    size_t len = (size_t)st.st_size;
    void *map = NULL;
    if (len > 0) {
        map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            int e = errno;
            close(fd);
            return kn_fail(err, KN_EIO, "cannot read '%s': %s", path, strerror(e));
        }
        madvise(map, len, MADV_SEQUENTIAL);
    }
    close(fd);
    return add_source(set, path, map, len, map, err);
}

json_t *fx_get(const struct fx_set *set, size_t i)
{
    const struct fx_res *r = &set->res[i];
    const struct fx_src *src = &set->src[r->src];
    if (r->fate == FX_BAD || r->fate == FX_NOTHING)
        return NULL;
    if (src->ndjson)
        return json_loadb(src->data + r->off, r->len, JSON_REJECT_DUPLICATES, NULL);
    if (src->entries != NULL)
        return json_incref(
            json_object_get(json_array_get(src->entries, r->seq), "resource"));
    return json_incref(src->doc);
}

/* ---- linking ---- */

static bool is_contact(const struct fx_res *r)
{
    return r->type == FX_ENCOUNTER && r->fate == FX_FEED && r->kind >= 0 &&
           strcmp(reg_kind_name(reg_kind_at((size_t)r->kind)), "contacts") == 0;
}

void fx_link(struct fx_set *set)
{
    for (size_t i = 0; i < set->nres; i++) {
        struct fx_res *r = &set->res[i];
        if (r->type == FX_CONDITION && r->dx != FX_DX_NONE && r->link != NULL) {
            uint32_t e = fx_resolve(set, r->link);
            if (e != 0 && is_contact(&set->res[e - 1])) {
                struct fx_res *enc = &set->res[e - 1];
                r->link_idx = e;
                if (enc->last_dx != 0)
                    set->res[enc->last_dx - 1].next_dx = (uint32_t)i + 1;
                else
                    enc->first_dx = (uint32_t)i + 1;
                enc->last_dx = (uint32_t)i + 1;
            }
        } else if (is_contact(r)) {
            for (uint32_t k = 0; k < r->ndxrefs; k++) {
                uint32_t c = fx_resolve(set, r->dxrefs[k].ref);
                if (c != 0 && set->res[c - 1].type == FX_CONDITION)
                    set->res[c - 1].listed = true;
            }
        } else if (r->type == FX_PROCEDURE && r->link != NULL) {
            r->link_idx = fx_resolve(set, r->link);
        }
    }
    struct reg_fhir_stats *st = set->st;
    for (size_t i = 0; i < set->nres; i++) {
        struct fx_res *r = &set->res[i];
        if (r->type == FX_CONDITION && (r->dx == FX_DX_DIAGNOSIS || r->dx == FX_DX_CAUSE))
            r->fate = r->link_idx != 0 || r->listed ? FX_MERGE : FX_SKIP;
        if (r->type == FX_PROCEDURE && r->link_idx != 0) {
            uint32_t d = 0;
            for (uint32_t j = r->link_idx; j != 0 && d < 64; j = set->res[j - 1].link_idx)
                d++;
            r->depth = d;
        }
        if (st == NULL || r->fate == FX_NOTHING)
            continue;
        st->resources++;
        st->unknown_type += r->fate == FX_UNKNOWN;
        st->skipped += r->fate == FX_SKIP;
        st->merged += r->fate == FX_MERGE;
    }
}
