/* src/network/node.h: the knowledge nodes and the regions linked to them.
 *
 * The national programme works through regional knowledge nodes
 * (kunskapsnoder, today Skåne, Västra Götaland and Stockholm). A node has
 * a short code ("skane"), a name, the region that hosts it, an optional
 * contact (a function's address, not a person's number) and the regions
 * it serves; a region is linked to at most one node. A handful of rows.
 *
 * Strings in results live in the caller's arena.
 */
#ifndef KNOD_NETWORK_NODE_H
#define KNOD_NETWORK_NODE_H

#include "base/arena.h"
#include "base/error.h"
#include "network/net_rows.h"
#include "store/store.h"

struct node_def {
    const char *code;    /* a-z, 0-9 and '-', 1 to 32 characters */
    const char *name;    /* required, one line */
    const char *host;    /* region code */
    const char *regions; /* comma-separated region codes served; the host is
                            always served, whether listed or not */
    const char *contact; /* optional */
};

/* Check a code as the network's objects use them (node, group, unit,
 * survey): a-z, 0-9 and '-', 1 to 32 characters, starting with a letter
 * or digit, and not "new" (the portal's /nodes/new and /groups/new).
 * KN_EINPUT naming field. */
int net_code_check(const char *field, const char *v, struct kn_error *err);

/* Store a node. KN_EINPUT naming the option (--code, --name, --host,
 * --regions, --contact) for bad input, KN_EEXIST for a code in use or a
 * region already linked to another node (named). One transaction. */
int node_add(struct store *st, const struct node_def *d, struct kn_error *err);

/* Change node d->code: a field given (not NULL) replaces the stored one
 * (d->host is ignored: a node keeps its host); d->regions replaces the
 * regions linked (the host stays linked; "" leaves the host alone). The
 * checks are node_add's: KN_EINPUT naming the option (--name, --regions,
 * --contact), KN_EEXIST for a region linked to another node, KN_ENOTFOUND
 * for no such node. One transaction. */
int node_update(struct store *st, const struct node_def *d, struct kn_error *err);

/* node_add and node_update inside the caller's transaction (store_begin),
 * so that the caller can audit in the same one; on failure the caller
 * rolls back. */
int node_add_in(struct store *st, const struct node_def *d, struct kn_error *err);
int node_update_in(struct store *st, const struct node_def *d, struct kn_error *err);

/* The nodes by code: code, name, host, regions (comma-separated, in code
 * order), contact. */
int node_list(struct store *st, struct net_rows *out, struct arena *a,
              struct kn_error *err);

/* The id of node code; KN_ENOTFOUND naming it. */
int node_id(struct store *st, const char *code, int64_t *id, struct kn_error *err);

#endif /* KNOD_NETWORK_NODE_H */
