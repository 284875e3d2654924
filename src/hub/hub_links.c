/* src/hub/hub_links.c: links between documents, references, practices and
 * pathway steps, made and read (hub_links.h). */
#include "hub/hub_links.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "hub/hub_practice.h"
#include "hub/hub_public.h"
#include "hub/hub_ref_store.h"
#include "hub/hub_sql.h"

int hub_step_parse(const struct hub_pathways *ps, const char *field, const char *item,
                   size_t len, const char **pathway, const char **step,
                   struct kn_error *err)
{
    const char *slash = memchr(item, '/', len);
    int shown = (int)(len > 60 ? 60 : len);
    if (!slash || slash == item || slash == item + len - 1)
        return kn_fail(err, KN_EINPUT, "%s: '%.*s' is not PATHWAY/STEP (e.g. adult/2_assessment)",
                       field, shown, item);
    size_t pl = (size_t)(slash - item), sl = len - pl - 1;
    for (size_t i = 0; i < ps->n; i++) {
        const struct hub_pathway *p = &ps->p[i];
        if (strlen(p->code) != pl || strncmp(p->code, item, pl) != 0)
            continue;
        for (size_t j = 0; j < p->nsteps; j++)
            if (strlen(p->steps[j].code) == sl && strncmp(p->steps[j].code, slash + 1, sl) == 0) {
                *pathway = p->code;
                *step = p->steps[j].code;
                return 0;
            }
        return kn_fail(err, KN_EINPUT,
                       "%s: pathway '%s' has no step '%.*s' (knod pathways show %s lists them)",
                       field, p->code, (int)(sl > 60 ? 60 : sl), slash + 1, p->code);
    }
    return kn_fail(err, KN_EINPUT, "%s: no pathway '%.*s' (knod pathways list)", field,
                   (int)(pl > 60 ? 60 : pl), item);
}

/* Each item of a normalised comma list (at most 80 bytes each) to fn. */
static int each(const char *list, int (*fn)(void *ctx, const char *item, struct kn_error *err),
                void *ctx, struct kn_error *err)
{
    const char *p;
    size_t len;
    for (const char *at = list; text_list_next(&at, &p, &len);) {
        char item[256];
        snprintf(item, sizeof item, "%.*s", (int)(len < sizeof item ? len : sizeof item - 1),
                 p);
        int rc = fn(ctx, item, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* A practice's number: digits, no leading zero; 0 if not one. */
static int64_t practice_number(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > 15 || strspn(s, "0123456789") != len || s[0] == '0')
        return 0;
    return strtoll(s, NULL, 10);
}

struct check_ctx {
    struct store *st;
    const char *name;
    int line;
};

static int check_ref(void *vc, const char *item, struct kn_error *err)
{
    struct check_ctx *c = vc;
    int64_t id;
    if (hub_ref_resolve(c->st, item, &id, err) == 0)
        return 0;
    if (err->code != KN_ENOTFOUND && err->code != KN_EINPUT)
        return err->code;
    char why[sizeof err->msg];
    snprintf(why, sizeof why, "%s", err->msg);
    return kn_fail(err, KN_EINPUT, "%s:%d: 'references': %s (knod refs list lists them)",
                   c->name, c->line, why);
}

static int check_practice(void *vc, const char *item, struct kn_error *err)
{
    struct check_ctx *c = vc;
    int64_t id = practice_number(item);
    struct arena a;
    struct net_rows one = {0};
    arena_init(&a);
    int rc = id ? hub_practice_get(c->st, id, false, &one, &a, err) : KN_ENOTFOUND;
    arena_release(&a);
    if (rc == 0)
        return 0;
    if (rc != KN_ENOTFOUND)
        return rc;
    return kn_fail(err, KN_EINPUT,
                   "%s:%d: 'practices': no practice '%.60s' (a number of knod practice list)",
                   c->name, c->line, item);
}

int hub_doc_check_store_links(struct store *st, const struct hub_doc *d, const char *name,
                              struct kn_error *err)
{
    struct check_ctx c = {st, name, d->references_line};
    if (each(d->references, check_ref, &c, err) != 0)
        return err->code;
    c.line = d->practices_line;
    if (each(d->practices, check_practice, &c, err) != 0)
        return err->code;
    return 0;
}

int hub_ref_step_set(struct store *st, int64_t ref, const char *pathway, const char *step,
                     bool link, bool *changed, struct kn_error *err)
{
    struct store_stmt *s;
    *changed = false;
    if (store_prepare(st, "SELECT 1 FROM hub_reference WHERE id = $1", &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, ref);
    int rc = store_step(s, err);
    store_finalize(s);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return kn_fail(err, KN_ENOTFOUND, "no reference %" PRId64, ref);
    rc = hub_exec(st,
                  link ? "INSERT INTO hub_reference_step (reference_id, pathway, step) "
                         "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
                       : "DELETE FROM hub_reference_step WHERE reference_id = $1 AND "
                         "pathway = $2 AND step = $3",
                  err, "itt", ref, pathway, step);
    if (rc == 0)
        *changed = store_changes(st) > 0;
    return rc;
}

/* Step s (prepared, bound) to its end, appending one link of kind a row:
 * columns id, title, pathway, step (each may be absent: ncols). */
static int read_links(struct store_stmt *s, int kind, int ncols, struct hub_link **out,
                      size_t *n, size_t *cap, struct arena *a, struct kn_error *err)
{
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (arena_grow(a, out, *n, cap, sizeof **out) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        struct hub_link *l = &(*out)[(*n)++];
        l->kind = kind;
        l->id = hub_col(s, 0, a);
        l->title = ncols > 1 ? hub_col(s, 1, a) : NULL;
        l->pathway = ncols > 2 ? hub_col(s, 2, a) : NULL;
        l->step = ncols > 3 ? hub_col(s, 3, a) : NULL;
    }
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int hub_ref_steps(struct store *st, int64_t ref, struct hub_link **out, size_t *n,
                  struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (store_prepare(st,
                      "SELECT reference_id, NULL, pathway, step FROM hub_reference_step "
                      "WHERE reference_id = $1 ORDER BY pathway, step",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, ref);
    return read_links(s, HUB_LINK_STEP, 4, out, n, &cap, a, err);
}

int hub_doc_refs(struct store *st, const char *slug, int version, bool public_only,
                 struct hub_link **out, size_t *n, struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (store_prepare(st,
                      "SELECT r.id, r.title FROM hub_version_reference l JOIN hub_version v "
                      "ON v.id = l.version_id JOIN hub_document d ON d.id = v.document_id "
                      "JOIN hub_reference r ON r.id = l.reference_id WHERE d.slug = $1 AND "
                      "v.version = $2 AND ($3 = 0 OR r.public = 1) ORDER BY r.id",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, slug, strlen(slug));
    store_bind_int(s, 2, version);
    store_bind_int(s, 3, public_only);
    return read_links(s, HUB_LINK_REFERENCE, 2, out, n, &cap, a, err);
}

struct practices_ctx {
    struct store *st;
    bool public_only;
    struct hub_link **out;
    size_t *n, cap;
    struct arena *a;
};

static int add_practice(void *vc, const char *item, struct kn_error *err)
{
    struct practices_ctx *c = vc;
    int64_t id = practice_number(item);
    struct net_rows one = {0};
    int rc = id ? hub_practice_get(c->st, id, c->public_only, &one, c->a, err) : KN_ENOTFOUND;
    if (rc == KN_ENOTFOUND) /* not public, or gone: not shown */
        return 0;
    if (rc)
        return rc;
    if (arena_grow(c->a, c->out, *c->n, &c->cap, sizeof **c->out) != 0)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    struct hub_link *l = &(*c->out)[(*c->n)++];
    memset(l, 0, sizeof *l);
    l->kind = HUB_LINK_PRACTICE;
    l->id = net_cell(&one, 0, 0);
    l->title = net_cell(&one, 0, 1);
    return 0;
}

int hub_doc_practices(struct store *st, const char *list, bool public_only,
                      struct hub_link **out, size_t *n, struct arena *a,
                      struct kn_error *err)
{
    struct practices_ctx c = {st, public_only, out, n, 0, a};
    *out = NULL;
    *n = 0;
    return each(list, add_practice, &c, err) != 0 ? err->code : 0;
}

/* Append a document link of v to step (may be NULL). */
static int add_doc(const struct hub_version *v, const char *pathway, const char *step,
                   struct hub_link **out, size_t *n, size_t *cap, struct arena *a,
                   struct kn_error *err)
{
    if (arena_grow(a, out, *n, cap, sizeof **out) != 0)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    (*out)[(*n)++] = (struct hub_link){HUB_LINK_DOCUMENT, v->slug, v->title, pathway, step};
    return 0;
}

int hub_links_to_pathway(struct store *st, const struct hub_pathway *p, bool public_only,
                         struct hub_link **out, size_t *n, struct arena *a,
                         struct kn_error *err)
{
    struct hub_version *v;
    size_t nv, cap = 0;
    *out = NULL;
    *n = 0;
    if (hub_public_list(st, &v, &nv, a, err) != 0)
        return err->code;
    for (size_t i = 0; i < nv; i++)
        for (size_t j = 0; j < p->nsteps; j++)
            if (text_list_has(v[i].steps, p->steps[j].code) &&
                add_doc(&v[i], p->code, p->steps[j].code, out, n, &cap, a, err) != 0)
                return err->code;
    static const char *const sql[] = {
        "SELECT r.id, r.title, l.pathway, l.step FROM hub_reference_step l JOIN "
        "hub_reference r ON r.id = l.reference_id WHERE l.pathway = $1 AND ($2 = 0 OR "
        "r.public = 1) ORDER BY r.title, r.id",
        "SELECT x.id, x.title, l.pathway, l.step FROM hub_practice_step l JOIN "
        "hub_practice x ON x.id = l.practice_id WHERE l.pathway = $1 AND ($2 = 0 OR "
        "x.public = 1) ORDER BY x.title, x.id"};
    for (int k = 0; k < 2; k++) {
        struct store_stmt *s;
        if (store_prepare(st, sql[k], &s, err) != 0)
            return err->code;
        store_bind_text(s, 1, p->code, strlen(p->code));
        store_bind_int(s, 2, public_only);
        if (read_links(s, k == 0 ? HUB_LINK_REFERENCE : HUB_LINK_PRACTICE, 4, out, n, &cap,
                       a, err) != 0)
            return err->code;
    }
    return 0;
}

int hub_links_of_ref(struct store *st, int64_t ref, struct hub_link **out, size_t *n,
                     struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (store_prepare(st,
                      "SELECT d.slug, v.title FROM hub_version_reference l JOIN hub_version v "
                      "ON v.id = l.version_id JOIN hub_document d ON d.id = v.document_id "
                      "WHERE l.reference_id = $1 AND d.state <> 'archived' AND v.published "
                      "IS NOT NULL AND v.version = (SELECT max(w.version) FROM hub_version w "
                      "WHERE w.document_id = d.id AND w.published IS NOT NULL) ORDER BY "
                      "v.title, d.slug",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, ref);
    return read_links(s, HUB_LINK_DOCUMENT, 2, out, n, &cap, a, err);
}

int hub_links_of_practice(struct store *st, int64_t id, struct hub_link **out, size_t *n,
                          struct arena *a, struct kn_error *err)
{
    struct hub_version *v;
    size_t nv, cap = 0;
    char key[24];
    *out = NULL;
    *n = 0;
    snprintf(key, sizeof key, "%" PRId64, id);
    if (hub_public_list(st, &v, &nv, a, err) != 0)
        return err->code;
    for (size_t i = 0; i < nv; i++)
        if (text_list_has(v[i].practices, key) &&
            add_doc(&v[i], NULL, NULL, out, n, &cap, a, err) != 0)
            return err->code;
    return 0;
}
