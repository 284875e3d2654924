/* src/hub/hub_public.c: the published documents and versions the portal
 * may show (hub_public.h). Two bound queries over hub_document and
 * hub_version (migration 0004). */
#include "hub/hub_public.h"

#include <stdio.h>
#include <string.h>

#include "hub/hub_sql.h"

/* Run hub_version_cols + clause, binding nparams values: $1 the text p1
 * (NULL for NULL), $2 the integer p2; read every row. */
static int read_rows(struct store *st, const char *clause, int nparams, const char *p1,
                     int64_t p2,
                     struct hub_version **out, size_t *n, struct arena *a,
                     struct kn_error *err)
{
    char sql[1024];
    struct store_stmt *s;
    snprintf(sql, sizeof sql, "%s%s", hub_version_cols, clause);
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    if (nparams >= 1 && p1)
        store_bind_text(s, 1, p1, strlen(p1));
    else if (nparams >= 1)
        store_bind_null(s, 1);
    if (nparams >= 2)
        store_bind_int(s, 2, p2);
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
                     0, NULL, 0, out, n, a, err);
}

int hub_public_versions(struct store *st, const char *slug, struct hub_version **out,
                        size_t *n, struct arena *a, struct kn_error *err)
{
    int rc = read_rows(st,
                       "WHERE d.slug = $1 AND d.state <> 'archived' AND v.published IS "
                       "NOT NULL ORDER BY v.version DESC",
                       1, slug, 0, out, n, a, err);
    if (rc == 0 && *n == 0)
        rc = kn_fail(err, KN_ENOTFOUND, "no published document '%s'", slug);
    return rc;
}
