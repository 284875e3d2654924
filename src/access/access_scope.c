/* src/access/access_scope.c: regions and persons within a user's scope
 * (access_scope.h). A person lookup is two indexed queries. */
#include "access/access_scope.h"

#include <stdio.h>
#include <string.h>

bool access_scope_has_region(const struct access_user *u, const char *code)
{
    switch (u->scope) {
    case SCOPE_NATION: return true;
    case SCOPE_REGION: return code && u->scope_code && strcmp(u->scope_code, code) == 0;
    case SCOPE_UNIT: return false;
    }
    return false;
}

int access_scope_has_person(struct store *st, const struct access_user *u,
                            const char *pseudonym, bool *in, struct kn_error *err)
{
    struct store_stmt *s;
    *in = false;
    if (store_prepare(st, "SELECT id, region_code FROM person WHERE pseudonym = $1", &s,
                      err) != 0)
        return err->code;
    store_bind_text(s, 1, pseudonym, strlen(pseudonym));
    int rc = store_step(s, err);
    int64_t id = 0;
    bool home = false;
    if (rc == STORE_ROW) {
        id = store_col_int(s, 0);
        home = u->scope == SCOPE_REGION && !store_col_is_null(s, 1) &&
               strcmp(store_col_text(s, 1, NULL), u->scope_code) == 0;
    }
    store_finalize(s);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no such person");
    if (u->scope == SCOPE_NATION || home) {
        *in = true;
        return 0;
    }
    const char *sql = u->scope == SCOPE_REGION
                          ? "SELECT 1 FROM contact c JOIN care_unit cu ON cu.id = c.unit_id "
                            "WHERE c.person_id = $1 AND cu.region_code = $2 LIMIT 1"
                          : "SELECT 1 FROM contact c JOIN care_unit cu ON cu.id = c.unit_id "
                            "WHERE c.person_id = $1 AND cu.code = $2 LIMIT 1";
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    store_bind_text(s, 2, u->scope_code, strlen(u->scope_code));
    rc = store_step(s, err);
    store_finalize(s);
    if (rc < 0)
        return rc;
    *in = rc == STORE_ROW;
    return 0;
}

/* The region of unit code: 1 and region, 0 if there is none, or an error. */
static int unit_region(struct store *st, const char *code, char region[3], struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st, "SELECT region_code FROM care_unit WHERE code = $1", &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, code, strlen(code));
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        snprintf(region, 3, "%s", store_col_text(s, 0, NULL));
    store_finalize(s);
    return rc < 0 ? rc : rc == STORE_ROW;
}

int access_scope_has_unit(struct store *st, const struct access_user *u, const char *code,
                          bool *in, struct kn_error *err)
{
    char region[3] = "";
    *in = false;
    int rc = unit_region(st, code, region, err);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return kn_fail(err, KN_ENOTFOUND, "no such unit");
    switch (u->scope) {
    case SCOPE_NATION: *in = true; break;
    case SCOPE_REGION: *in = u->scope_code && strcmp(u->scope_code, region) == 0; break;
    case SCOPE_UNIT: *in = u->scope_code && strcmp(u->scope_code, code) == 0; break;
    }
    return 0;
}

int access_scope_has_home(struct store *st, const struct access_user *u, const char *code,
                          bool *in, struct kn_error *err)
{
    char region[3] = "";
    *in = false;
    if (u->scope != SCOPE_UNIT) {
        *in = access_scope_has_region(u, code);
        return 0;
    }
    int rc = u->scope_code ? unit_region(st, u->scope_code, region, err) : 0;
    if (rc < 0)
        return rc;
    *in = rc == 1 && code && strcmp(region, code) == 0;
    return 0;
}
