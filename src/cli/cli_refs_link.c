/* src/cli/cli_refs_link.c: `knod refs link ID|DOI --step PATHWAY/STEP
 * [--unlink]`: a reference linked to (or unlinked from) a step of a care
 * pathway, checked against data/pathways and written with its audit entry
 * in one transaction (hub/hub_links.h, docs/hub.md, Links). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "access/access_audit.h"
#include "cli/cli.h"
#include "cli/cli_refs.h"
#include "hub/hub_links.h"
#include "hub/hub_pathway.h"
#include "hub/hub_ref_store.h"

int refs_link(struct store *st, const struct config *cfg, const char *key, const char *step,
              bool unlink, const char *by)
{
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    struct hub_pathways ps;
    struct audit_key ak;
    const char *pathway = NULL, *code = NULL;
    int64_t id = 0;
    bool changed = false;
    arena_init(&a);
    int rc = hub_pathways_shipped(&ps, &a, &err);
    if (rc == 0)
        rc = hub_step_parse(&ps, "--step", step, strlen(step), &pathway, &code, &err);
    if (rc == 0)
        rc = hub_ref_resolve(st, key, &id, &err);
    if (rc != 0) {
        arena_release(&a);
        return cli_fail(&err);
    }
    if ((rc = cli_audit_key(cfg, &ak)) != 0) {
        arena_release(&a);
        return rc;
    }
    char subject[32], detail[160];
    snprintf(subject, sizeof subject, "reference %" PRId64, id);
    snprintf(detail, sizeof detail, "%s/%s", pathway, code);
    rc = store_begin(st, &err);
    if (rc == 0)
        rc = hub_ref_step_set(st, id, pathway, code, !unlink, &changed, &err);
    if (rc == 0 && changed)
        rc = access_audit_add(st, &ak, time_now(), by,
                              unlink ? "reference-unlink" : "reference-link", subject, "",
                              detail, &err);
    if (rc == 0)
        rc = store_commit(st, &err);
    else
        store_rollback(st);
    arena_release(&a);
    if (rc != 0)
        return cli_fail(&err);
    printf("reference %" PRId64 " %s %s%s\n", id, unlink ? "unlinked from" : "linked to",
           detail, changed ? "" : " (already so)");
    return EXIT_OK;
}
