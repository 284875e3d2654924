/* src/access/access_scope_consult.c: the parties of a consultation
 * (access_scope.h). One indexed query per check. */
#include <string.h>

#include "access/access_scope.h"

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

void access_consult_party(const struct access_user *u, const char *region_code,
                          const char *asking_unit, const char *asked_party,
                          const char *asked_host, bool *asking, bool *asked)
{
    *asking = *asked = false;
    switch (u->scope) {
    case SCOPE_NATION: return;
    case SCOPE_REGION:
        *asking = same(u->scope_code, region_code);
        *asked = same(u->scope_code, asked_host);
        return;
    case SCOPE_UNIT:
        *asking = same(u->scope_code, asking_unit);
        *asked = same(u->scope_code, asked_party);
        return;
    }
}

int access_scope_consultation(struct store *st, const struct access_user *u, int64_t id,
                              bool *asking, bool *asked, struct kn_error *err)
{
    struct store_stmt *s;
    *asking = *asked = false;
    if (store_prepare(st,
                      "SELECT c.region_code, c.asking_unit, c.asked_party, n.host_region "
                      "FROM net_consultation c LEFT JOIN net_node n ON n.code = "
                      "c.asked_party WHERE c.id = $1",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        access_consult_party(u, store_col_text(s, 0, NULL), store_col_text(s, 1, NULL),
                             store_col_text(s, 2, NULL),
                             store_col_is_null(s, 3) ? NULL : store_col_text(s, 3, NULL),
                             asking, asked);
    store_finalize(s);
    if (rc < 0)
        return rc;
    return rc == STORE_DONE ? kn_fail(err, KN_ENOTFOUND, "no such consultation") : 0;
}
