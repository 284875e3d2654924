/* src/hub/hub_public.c: the published documents and versions the portal
 * may show (hub_public.h). Two bound queries over hub_document and
 * hub_version (migration 0004). */
#include "hub/hub_public.h"

#include <stdio.h>
#include <string.h>

#include "hub/hub_sql.h"

/* Run hub_version_cols + clause, binding $1 to slug when it is not NULL;
 * read every row. */
static int read_rows(struct store *st, const char *clause, const char *slug,
                     struct hub_version **out, size_t *n, struct arena *a,
                     struct kn_error *err)
{
    char sql[1024];
    struct store_stmt *s;
    snprintf(sql, sizeof sql, "%s%s", hub_version_cols, clause);
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    if (slug)
        store_bind_text(s, 1, slug, strlen(slug));
    return hub_versions_read(s, out, n, a, err);
}

int hub_public_list(struct store *st, struct hub_version **out, size_t *n, struct arena *a,
                    struct kn_error *err)
{
    return read_rows(st,
                     "WHERE d.state <> 'archived' AND v.published IS NOT NULL AND "
                     "v.version = (SELECT max(w.version) FROM hub_version w WHERE "
                     "w.document_id = d.id AND w.published IS NOT NULL) "
                     "ORDER BY v.title, d.slug",
                     NULL, out, n, a, err);
}

int hub_public_versions(struct store *st, const char *slug, struct hub_version **out,
                        size_t *n, struct arena *a, struct kn_error *err)
{
    int rc = read_rows(st,
                       "WHERE d.slug = $1 AND d.state <> 'archived' AND v.published IS "
                       "NOT NULL ORDER BY v.version DESC",
                       slug, out, n, a, err);
    if (rc == 0 && *n == 0)
        rc = kn_fail(err, KN_ENOTFOUND, "no published document '%s'", slug);
    return rc;
}
