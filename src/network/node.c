/* src/network/node.c: knowledge nodes and their regions (node.h). */
#include "network/node.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "network/net_text.h"

int net_code_check(const char *field, const char *v, struct kn_error *err)
{
    if (!v || !*v)
        return kn_fail(err, KN_EINPUT, "%s is missing", field);
    size_t len = strlen(v);
    bool good = len <= 32 && v[0] != '-';
    for (size_t i = 0; good && i < len; i++)
        good =
            (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9') || v[i] == '-';
    if (!good)
        return kn_fail(err, KN_EINPUT,
                       "%s: a code of 1 to 32 characters a-z, 0-9 and '-' "
                       "(like 'skane' or 'nag')",
                       field);
    /* /nodes/new and /groups/new are the portal's forms: a node or group
     * coded "new" could never be reached at its own page. */
    if (strcmp(v, "new") == 0)
        return kn_fail(err, KN_EINPUT, "%s: 'new' is reserved (the portal's form to add one)",
                       field);
    return 0;
}

static int exists(struct store *st, const char *sql, const char *v, int64_t *id,
                  struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, v, strlen(v));
    int rc = store_step(s, err);
    if (rc == STORE_ROW && id)
        *id = store_col_int(s, 0);
    store_finalize(s);
    return rc;
}

int node_id(struct store *st, const char *code, int64_t *id, struct kn_error *err)
{
    int rc = exists(st, "SELECT id FROM net_node WHERE code = $1", code, id, err);
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND,
                       "no knowledge node '%.32s' (see knod node list)", code);
    return rc < 0 ? rc : 0;
}

/* Link region code (len bytes at r) to node id. */
static int link(struct store *st, int64_t id, const char *r, size_t len,
                struct kn_error *err)
{
    char code[9];
    if (len == 0 || len >= sizeof code)
        return kn_fail(err, KN_EINPUT, "--regions: region codes separated by commas");
    memcpy(code, r, len);
    code[len] = '\0';
    if (net_region_check(st, "--regions", code, err) != 0)
        return err->code;
    int64_t other = 0;
    int rc = exists(st,
                    "SELECT n.id FROM net_node_region r JOIN net_node n ON "
                    "n.id = r.node_id WHERE r.region_code = $1",
                    code, &other, err);
    if (rc < 0)
        return rc;
    if (rc == STORE_ROW && other == id)
        return 0; /* listed twice, or the host again */
    if (rc == STORE_ROW)
        return kn_fail(err, KN_EEXIST, "--regions: region %s is linked to another node",
                       code);
    struct store_stmt *s;
    if (store_prepare(
            st, "INSERT INTO net_node_region (node_id, region_code) VALUES ($1, $2)", &s,
            err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    store_bind_text(s, 2, code, len);
    rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

/* Link the comma-separated regions to node id. */
static int link_all(struct store *st, int64_t id, const char *regions,
                    struct kn_error *err)
{
    int rc = 0;
    const char *p;
    size_t len;
    for (const char *at = regions; rc >= 0 && text_list_next(&at, &p, &len);)
        rc = link(st, id, p, len, err);
    return rc < 0 ? rc : 0;
}

int node_add_in(struct store *st, const struct node_def *d, struct kn_error *err)
{
    if (net_code_check("--code", d->code, err) != 0 ||
        net_text_check("--name", d->name, NET_TEXT_MAX, true, false, err) != 0 ||
        net_text_check("--contact", d->contact, NET_TEXT_MAX, false, false, err) != 0 ||
        net_region_check(st, "--host", d->host, err) != 0)
        return err->code;
    int rc = exists(st, "SELECT id FROM net_node WHERE code = $1", d->code, NULL, err);
    if (rc == STORE_ROW)
        rc = kn_fail(err, KN_EEXIST, "--code: a node '%s' exists already", d->code);
    struct store_stmt *s = NULL;
    if (rc == STORE_DONE)
        rc = store_prepare(st,
                           "INSERT INTO net_node (code, name, host_region, contact) "
                           "VALUES ($1, $2, $3, $4)",
                           &s, err);
    if (rc == 0) {
        store_bind_text(s, 1, d->code, strlen(d->code));
        store_bind_text(s, 2, d->name, strlen(d->name));
        store_bind_text(s, 3, d->host, strlen(d->host));
        const char *c = d->contact ? d->contact : "";
        store_bind_text(s, 4, c, strlen(c));
        rc = store_step(s, err);
        store_finalize(s);
    }
    int64_t id = store_last_insert_id(st);
    if (rc >= 0)
        rc = link(st, id, d->host, strlen(d->host), err);
    if (rc >= 0)
        rc = link_all(st, id, d->regions, err);
    return rc < 0 ? rc : 0;
}

/* Run fn(st, d, err) in a transaction of its own. */
static int in_tx(struct store *st, const struct node_def *d,
                 int (*fn)(struct store *, const struct node_def *, struct kn_error *),
                 struct kn_error *err)
{
    if (store_begin(st, err) != 0)
        return err->code;
    int rc = fn(st, d, err);
    if (rc < 0) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st, err);
}

int node_add(struct store *st, const struct node_def *d, struct kn_error *err)
{
    return in_tx(st, d, node_add_in, err);
}

int node_update_in(struct store *st, const struct node_def *d, struct kn_error *err)
{
    int64_t id = 0;
    if (node_id(st, d->code, &id, err) != 0)
        return err->code;
    if (net_text_check("--name", d->name, NET_TEXT_MAX, d->name != NULL, false, err) !=
            0 ||
        net_text_check("--contact", d->contact, NET_TEXT_MAX, false, false, err) != 0)
        return err->code;
    struct store_stmt *s;
    if (store_prepare(st,
                      "UPDATE net_node SET name = coalesce($1, name), contact = "
                      "coalesce($2, contact) WHERE id = $3",
                      &s, err) != 0)
        return err->code;
    if (d->name)
        store_bind_text(s, 1, d->name, strlen(d->name));
    else
        store_bind_null(s, 1);
    if (d->contact)
        store_bind_text(s, 2, d->contact, strlen(d->contact));
    else
        store_bind_null(s, 2);
    store_bind_int(s, 3, id);
    int rc = store_step(s, err);
    store_finalize(s);
    if (rc < 0 || !d->regions)
        return rc < 0 ? rc : 0;
    /* The regions are replaced: the old links go, the host's and the
     * listed ones are made again (link() refuses a region of another
     * node). */
    char host[9] = "";
    if (store_prepare(st, "SELECT host_region FROM net_node WHERE id = $1", &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    rc = store_step(s, err);
    if (rc == STORE_ROW)
        snprintf(host, sizeof host, "%s", store_col_text(s, 0, NULL));
    store_finalize(s);
    if (rc < 0)
        return rc;
    if (store_prepare(st, "DELETE FROM net_node_region WHERE node_id = $1", &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    rc = store_step(s, err);
    store_finalize(s);
    if (rc >= 0)
        rc = link(st, id, host, strlen(host), err);
    if (rc >= 0)
        rc = link_all(st, id, d->regions, err);
    return rc < 0 ? rc : 0;
}

int node_update(struct store *st, const struct node_def *d, struct kn_error *err)
{
    return in_tx(st, d, node_update_in, err);
}

int node_list(struct store *st, struct net_rows *out, struct arena *a,
              struct kn_error *err)
{
    static const struct net_col cols[] = {
        {"code", NET_TEXT},    {"name", NET_TEXT},    {"host", NET_TEXT},
        {"regions", NET_TEXT}, {"contact", NET_TEXT},
    };
    /* One row per node and region, folded here (no SQL aggregate of text,
     * which SQLite and PostgreSQL spell differently). */
    struct net_rows raw = {0};
    int rc = net_rows_query(st,
                            "SELECT n.code, n.name, n.host_region, r.region_code, "
                            "n.contact FROM net_node n LEFT JOIN net_node_region r ON "
                            "r.node_id = n.id ORDER BY n.code, r.region_code",
                            NULL, 0, cols, 5, &raw, a, err);
    out->cols = cols;
    out->ncols = 5;
    for (size_t i = 0; rc == 0 && i < raw.nrows; i++) {
        const char *row[5];
        for (size_t c = 0; c < 5; c++)
            row[c] = net_cell(&raw, i, c);
        if (!row[3])
            row[3] = "";
        if (out->nrows > 0 && strcmp(net_cell(out, out->nrows - 1, 0), row[0]) == 0) {
            const char **cell = &out->cells[(out->nrows - 1) * 5 + 3];
            *cell = arena_printf(a, "%s,%s", *cell, row[3]);
            if (!*cell)
                rc = kn_fail(err, KN_ENOMEM, "out of memory");
        } else {
            rc = net_rows_add(out, row, a, err);
        }
    }
    return rc;
}
