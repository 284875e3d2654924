/* src/access/access_oidc_map.c: from a verified ID token's claims to a
 * knod user, by knod.ini's [oidc] claim mapping (access_oidc.h). The
 * mapping can only narrow: a role comes only from a role_map entry, a
 * scope only from the claim the role's scope needs. */
#include "access/access_oidc.h"

#include <ctype.h>
#include <string.h>

#include "domain/pnr_shape.h"

/* A claim's string value, NULL when absent or not a string. */
static const char *claim_str(const json_t *claims, const char *name)
{
    return name[0] != '\0' ? json_string_value(json_object_get(claims, name)) : NULL;
}

/* The role role_map gives value: 0 and *role, or -1 if none. */
static int map_role(const char *map, const char *value, enum access_role *role)
{
    size_t vn = strlen(value);
    for (const char *p = map; *p != '\0';) {
        size_t n = strcspn(p, " ");
        const char *eq = memchr(p, '=', n);
        if (eq != NULL && (size_t)(eq - p) == vn && memcmp(p, value, vn) == 0) {
            char name[32];
            size_t rn = n - vn - 1;
            if (rn >= sizeof name)
                return -1;
            memcpy(name, eq + 1, rn);
            name[rn] = '\0';
            int r = access_role_parse(name);
            if (r < 0)
                return -1;
            *role = (enum access_role)r;
            return 0;
        }
        p += n + (p[n] == ' ');
    }
    return -1;
}

/* The role claim: a string, or an array of which exactly one value is in
 * the map (two mapped values would leave the choice to knod: refused). */
static int role_from(const struct config_oidc *cfg, const json_t *claims,
                     enum access_role *role, struct kn_error *err)
{
    const json_t *v = json_object_get(claims, cfg->claim_role);
    int found = 0;
    if (json_is_string(v)) {
        found = map_role(cfg->role_map, json_string_value(v), role) == 0;
    } else if (json_is_array(v)) {
        size_t i;
        const json_t *e;
        enum access_role r;
        json_array_foreach(v, i, e)
            if (json_is_string(e) && map_role(cfg->role_map, json_string_value(e), &r) == 0) {
                found++;
                *role = r;
            }
    } else {
        return kn_fail(err, KN_EPERM, "the ID token has no claim '%s' (the role)",
                       cfg->claim_role);
    }
    if (found == 0)
        return kn_fail(err, KN_EPERM, "the ID token's claim '%s' names no role of [oidc] "
                       "role_map", cfg->claim_role);
    if (found > 1)
        return kn_fail(err, KN_EPERM, "the ID token's claim '%s' names several roles of "
                       "[oidc] role_map", cfg->claim_role);
    return 0;
}

/* A scope code from a claim: printable, short, not a personnummer. */
static int scope_from(const json_t *claims, const char *claim, const char *what,
                      const char **out, struct arena *a, struct kn_error *err)
{
    const char *v = claim_str(claims, claim);
    if (claim[0] == '\0')
        return kn_fail(err, KN_EPERM, "the role needs a %s, and [oidc] claim_%s is not set",
                       what, what);
    if (v == NULL)
        return kn_fail(err, KN_EPERM, "the ID token has no claim '%s' (the %s)", claim, what);
    size_t n = strlen(v);
    bool ok = n > 0 && n <= 64 && !pnr_find_shaped(v, n, NULL, NULL);
    for (size_t i = 0; ok && i < n; i++)
        ok = v[i] > ' ' && v[i] <= '~';
    if (!ok)
        return kn_fail(err, KN_EPERM, "the ID token's claim '%s' is not a %s code", claim,
                       what);
    *out = arena_strdup(a, v);
    return 0;
}

int access_oidc_map(const struct config_oidc *cfg, const json_t *claims,
                    struct oidc_identity *out, struct arena *a, struct kn_error *err)
{
    memset(out, 0, sizeof *out);
    const char *u = claim_str(claims, cfg->claim_user);
    if (u == NULL)
        return kn_fail(err, KN_EPERM, "the ID token has no string claim '%s' (the user)",
                       cfg->claim_user);
    size_t n = strlen(u);
    if (pnr_find_shaped(u, n, NULL, NULL))
        return kn_fail(err, KN_EPERM, "the ID token's claim '%s' looks like a personnummer; "
                       "knod names users by another claim (docs/access.md)", cfg->claim_user);
    char *name = arena_strndup(a, u, n);
    bool ok = n >= 2 && n <= 64;
    for (size_t i = 0; ok && i < n; i++) {
        name[i] = (char)tolower((unsigned char)name[i]);
        ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9')
             || strchr(".-_@", name[i]) != NULL;
    }
    if (!ok)
        return kn_fail(err, KN_EPERM, "the ID token's claim '%s' is not a knod user name "
                       "(2-64 of a-z, 0-9, '.', '-', '_', '@')", cfg->claim_user);
    out->user = name;
    if (cfg->claim_role[0] == '\0')
        return 0;

    out->has_role = true;
    if (role_from(cfg, claims, &out->role, err) != 0)
        return err->code;
    switch (out->role) {
    case ROLE_ADMIN:
    case ROLE_ANALYST:
        out->scope = SCOPE_NATION;
        return 0;
    case ROLE_COORDINATOR:
        out->scope = SCOPE_REGION;
        return scope_from(claims, cfg->claim_region, "region", &out->scope_code, a, err);
    case ROLE_CLINICIAN:
        out->scope = SCOPE_UNIT;
        return scope_from(claims, cfg->claim_unit, "unit", &out->scope_code, a, err);
    case ROLE_REGISTRAR:
        if (claim_str(claims, cfg->claim_unit) != NULL) {
            out->scope = SCOPE_UNIT;
            return scope_from(claims, cfg->claim_unit, "unit", &out->scope_code, a, err);
        }
        out->scope = SCOPE_REGION;
        return scope_from(claims, cfg->claim_region, "region", &out->scope_code, a, err);
    }
    return kn_fail(err, KN_EPERM, "unknown role");
}

static bool same_scope(const struct access_user *u, const struct oidc_identity *id)
{
    if (u->role != id->role || u->scope != id->scope)
        return false;
    if (u->scope_code == NULL || id->scope_code == NULL)
        return u->scope_code == id->scope_code;
    return strcmp(u->scope_code, id->scope_code) == 0;
}

int access_oidc_user(struct store *st, const struct audit_key *ak,
                     const struct config_oidc *cfg, const struct oidc_identity *id,
                     kn_time now, struct access_user *out, struct arena *a,
                     struct kn_error *err)
{
    char detail[160];
    int rc = access_user_get(st, id->user, out, a, err);
    if (rc == KN_ENOTFOUND) {
        if (!cfg->create_users || !id->has_role)
            return kn_fail(err, KN_EPERM, "no knod user '%s' (add one with `knod user add "
                           "%s --no-password`, or set [oidc] create_users)", id->user,
                           id->user);
        rc = access_user_add(st, id->user, id->role, id->scope, id->scope_code, NULL, now,
                             err);
        snprintf(detail, sizeof detail, "by the identity provider: role %s, %s%s%s",
                 access_role_name(id->role), access_scope_name(id->scope),
                 id->scope_code ? " " : "", id->scope_code ? id->scope_code : "");
        if (rc == 0)
            rc = access_audit_add(st, ak, now, "oidc", "user-add", id->user, "", detail, err);
        return rc != 0 ? rc : access_user_get(st, id->user, out, a, err);
    }
    if (rc != 0)
        return rc;
    if (out->disabled)
        return kn_fail(err, KN_EPERM, "the account '%s' is disabled", id->user);
    if (!id->has_role || same_scope(out, id))
        return 0;
    /* The provider decides role and scope when the mapping names them. */
    rc = access_user_set_role(st, id->user, id->role, id->scope, id->scope_code, err);
    snprintf(detail, sizeof detail, "by the identity provider: role %s, %s%s%s",
             access_role_name(id->role), access_scope_name(id->scope),
             id->scope_code ? " " : "", id->scope_code ? id->scope_code : "");
    if (rc == 0)
        rc = access_audit_add(st, ak, now, "oidc", "user-role", id->user, "", detail, err);
    return rc != 0 ? rc : access_user_get(st, id->user, out, a, err);
}
