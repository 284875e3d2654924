/* src/access/access_user.c: users, roles and scopes, passwords and
 * sign-in (access_user.h). */
#include "access/access_user.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char *const role_names[] = {"admin", "analyst", "coordinator", "registrar",
                                         "clinician"};
static const char *const scope_names[] = {"nation", "region", "unit"};

/* Which scopes each role may have: bit 1 << scope. */
static const unsigned role_scopes[] = {
    [ROLE_ADMIN] = 1u << SCOPE_NATION,
    [ROLE_ANALYST] = 1u << SCOPE_NATION,
    [ROLE_COORDINATOR] = 1u << SCOPE_REGION,
    [ROLE_REGISTRAR] = 1u << SCOPE_REGION | 1u << SCOPE_UNIT,
    [ROLE_CLINICIAN] = 1u << SCOPE_UNIT,
};

const char *access_role_name(enum access_role r)
{
    return (unsigned)r < 5 ? role_names[r] : "?";
}

int access_role_parse(const char *name)
{
    for (int i = 0; i < 5; i++)
        if (strcmp(role_names[i], name) == 0)
            return i;
    return -1;
}

const char *access_scope_name(enum access_scope s)
{
    return (unsigned)s < 3 ? scope_names[s] : "?";
}

int access_scope_check(enum access_role r, enum access_scope s, struct kn_error *err)
{
    if (role_scopes[r] & (1u << s))
        return 0;
    static const char *const needs[] = {
        [ROLE_ADMIN] = "the nation (no --region or --unit)",
        [ROLE_ANALYST] = "the nation (no --region or --unit)",
        [ROLE_COORDINATOR] = "a region (--region CODE)",
        [ROLE_REGISTRAR] = "a region or a unit (--region CODE or --unit CODE)",
        [ROLE_CLINICIAN] = "a unit (--unit CODE)",
    };
    return kn_fail(err, KN_EINPUT, "a %s's scope is %s", role_names[r], needs[r]);
}

int access_password_check(const char *name, const char *password, struct kn_error *err)
{
    size_t n = strlen(password);
    if (n < 12)
        return kn_fail(err, KN_EINPUT,
                       "the password is too short: at least 12 characters");
    if (n > 256)
        return kn_fail(err, KN_EINPUT, "the password is too long: at most 256 bytes");
    if (strcasecmp(name, password) == 0 || strstr(password, name))
        return kn_fail(err, KN_EINPUT, "the password must not contain the user name");
    bool seen[256] = {false};
    int distinct = 0;
    for (const unsigned char *p = (const unsigned char *)password; *p; p++)
        if (!seen[*p]) {
            seen[*p] = true;
            distinct++;
        }
    if (distinct < 6)
        return kn_fail(err, KN_EINPUT,
                       "the password needs at least 6 different characters");
    return 0;
}

static bool name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' ||
              *s == '-' || *s == '_' || *s == '@'))
            return false;
    return true;
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES],
                         struct kn_error *err)
{
    if (crypto_pwhash_str(out, password, strlen(password),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return kn_fail(err, KN_ENOMEM, "out of memory hashing the password");
    return 0;
}

static int step_once(struct store_stmt *s, struct kn_error *err)
{
    int rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

/* The role may have the scope, and the scope's region or unit exists. */
static int scope_args(struct store *st, enum access_role role, enum access_scope scope,
                      const char *code, struct kn_error *err)
{
    struct store_stmt *s;
    if (access_scope_check(role, scope, err) != 0)
        return err->code;
    if ((scope == SCOPE_NATION) != (code == NULL || !*code))
        return kn_fail(err, KN_EINPUT, "a %s scope %s", scope_names[scope],
                       scope == SCOPE_NATION ? "has no code" : "needs a code");
    if (scope == SCOPE_NATION)
        return 0;
    if (store_prepare(st,
                      scope == SCOPE_REGION ? "SELECT 1 FROM region WHERE code = $1"
                                            : "SELECT 1 FROM care_unit WHERE code = $1",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, code, strlen(code));
    int rc = store_step(s, err);
    store_finalize(s);
    if (rc == STORE_DONE)
        return kn_fail(err, KN_EINPUT, "'%.20s' is not a %s code%s", code,
                       scope_names[scope],
                       scope == SCOPE_UNIT ? " of the store's care units" : "");
    return rc < 0 ? rc : 0;
}

int access_user_add(struct store *st, const char *name, enum access_role role,
                    enum access_scope scope, const char *scope_code, const char *password,
                    kn_time now, struct kn_error *err)
{
    char hash[crypto_pwhash_STRBYTES];
    struct store_stmt *s;
    if (!name_ok(name))
        return kn_fail(err, KN_EINPUT,
                       "a user name is 2-64 of a-z, 0-9, '.', '-', '_', '@'");
    if (scope_args(st, role, scope, scope_code, err) != 0)
        return err->code;
    if (password && (access_password_check(name, password, err) != 0 ||
                     hash_password(password, hash, err) != 0))
        return err->code;
    if (store_prepare(
            st,
            "INSERT INTO access_user (name, role, scope_kind, scope_code, password, "
            "created) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING",
            &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, name, strlen(name));
    store_bind_text(s, 2, role_names[role], strlen(role_names[role]));
    store_bind_text(s, 3, scope_names[scope], strlen(scope_names[scope]));
    if (scope == SCOPE_NATION)
        store_bind_null(s, 4);
    else
        store_bind_text(s, 4, scope_code, strlen(scope_code));
    if (password)
        store_bind_text(s, 5, hash, strlen(hash));
    else
        store_bind_null(s, 5);
    store_bind_int(s, 6, now);
    int rc = step_once(s, err);
    sodium_memzero(hash, sizeof hash);
    if (rc == 0 && store_changes(st) == 0)
        rc = kn_fail(err, KN_EEXIST, "a user '%s' exists already", name);
    return rc;
}

static const char user_cols[] =
    "SELECT id, name, role, scope_kind, scope_code, disabled, "
    "password IS NOT NULL, failures, locked_until FROM access_user ";

static void read_user(struct store_stmt *s, struct access_user *u, struct arena *a)
{
    const char *t;
    u->id = store_col_int(s, 0);
    u->name = arena_strdup(a, store_col_text(s, 1, NULL));
    u->role = (enum access_role)access_role_parse(store_col_text(s, 2, NULL));
    t = store_col_text(s, 3, NULL);
    u->scope = strcmp(t, "nation") == 0   ? SCOPE_NATION
               : strcmp(t, "region") == 0 ? SCOPE_REGION
                                          : SCOPE_UNIT;
    u->scope_code =
        store_col_is_null(s, 4) ? NULL : arena_strdup(a, store_col_text(s, 4, NULL));
    u->disabled = store_col_int(s, 5) != 0;
    u->has_password = store_col_int(s, 6) != 0;
    u->failures = (int)store_col_int(s, 7);
    u->locked_until = store_col_int(s, 8);
}

int access_user_get(struct store *st, const char *name, struct access_user *out,
                    struct arena *a, struct kn_error *err)
{
    char sql[256];
    struct store_stmt *s;
    snprintf(sql, sizeof sql, "%sWHERE name = $1", user_cols);
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, name, strlen(name));
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        read_user(s, out, a);
        rc = 0;
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ENOTFOUND, "no user '%s'", name);
    }
    store_finalize(s);
    return rc;
}

int access_user_list(struct store *st, struct access_user **out, size_t *n,
                     struct arena *a, struct kn_error *err)
{
    char sql[256];
    struct store_stmt *s;
    size_t cap = 0, count = 0;
    struct access_user *v = NULL;
    snprintf(sql, sizeof sql, "%sORDER BY name", user_cols);
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (arena_grow(a, &v, count, &cap, sizeof *v) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        read_user(s, &v[count++], a);
    }
    store_finalize(s);
    *out = v;
    *n = count;
    return rc < 0 ? rc : 0;
}

/* UPDATE one user by name; KN_ENOTFOUND if there is none. */
static int update(struct store *st, struct store_stmt *s, int name_param,
                  const char *name, struct kn_error *err)
{
    store_bind_text(s, name_param, name, strlen(name));
    int rc = step_once(s, err);
    if (rc == 0 && store_changes(st) == 0)
        rc = kn_fail(err, KN_ENOTFOUND, "no user '%s'", name);
    return rc;
}

int access_user_set_role(struct store *st, const char *name, enum access_role role,
                         enum access_scope scope, const char *scope_code,
                         struct kn_error *err)
{
    struct store_stmt *s;
    if (scope_args(st, role, scope, scope_code, err) != 0)
        return err->code;
    if (store_prepare(
            st,
            "UPDATE access_user SET role = $1, scope_kind = $2, scope_code = $3 WHERE "
            "name = $4",
            &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, role_names[role], strlen(role_names[role]));
    store_bind_text(s, 2, scope_names[scope], strlen(scope_names[scope]));
    if (scope == SCOPE_NATION)
        store_bind_null(s, 3);
    else
        store_bind_text(s, 3, scope_code, strlen(scope_code));
    return update(st, s, 4, name, err);
}

int access_user_set_disabled(struct store *st, const char *name, bool disabled,
                             struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st, "UPDATE access_user SET disabled = $1 WHERE name = $2", &s,
                      err) != 0)
        return err->code;
    store_bind_int(s, 1, disabled);
    return update(st, s, 2, name, err);
}

int access_user_set_password(struct store *st, const char *name, const char *password,
                             struct kn_error *err)
{
    char hash[crypto_pwhash_STRBYTES];
    struct store_stmt *s;
    if (access_password_check(name, password, err) != 0 ||
        hash_password(password, hash, err))
        return err->code;
    int rc = store_prepare(
        st,
        "UPDATE access_user SET password = $1, failures = 0, locked_until = 0 "
        "WHERE name = $2",
        &s, err);
    if (rc == 0) {
        store_bind_text(s, 1, hash, strlen(hash));
        rc = update(st, s, 2, name, err);
    }
    sodium_memzero(hash, sizeof hash);
    return rc;
}

/* The hash that an unknown user's password is checked against: made once,
 * by whichever thread signs in first (the portal signs in on several). */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
    struct kn_error ignored = KN_ERROR_INIT;
    hash_password("knod-dummy-password", dummy_hash, &ignored);
}

int access_signin(struct store *st, const char *name, const char *password, kn_time now,
                  struct access_user *out, struct arena *a, struct kn_error *err)
{
    struct kn_error nf = KN_ERROR_INIT;
    struct store_stmt *s;
    int rc = access_user_get(st, name, out, a, &nf);
    if (rc == KN_ENOTFOUND || (rc == 0 && !out->has_password)) {
        /* The same work as a real check, so timing tells nothing. */
        pthread_once(&dummy_once, dummy_make);
        int same = crypto_pwhash_str_verify(dummy_hash, password, strlen(password));
        (void)same; /* the answer is the same either way */
        return kn_fail(err, KN_EPERM, "wrong user name or password");
    }
    if (rc)
        return kn_fail(err, rc, "%s", nf.msg);
    if (out->disabled)
        return kn_fail(err, KN_EPERM, "the account is disabled");
    if (out->locked_until > now)
        return kn_fail(err, KN_EPERM,
                       "the account is locked for %lld more seconds after "
                       "failed sign-ins",
                       (long long)(out->locked_until - now));
    char hash[crypto_pwhash_STRBYTES] = "";
    if (store_prepare(st, "SELECT password FROM access_user WHERE id = $1", &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, out->id);
    if (store_step(s, err) == STORE_ROW)
        snprintf(hash, sizeof hash, "%s", store_col_text(s, 0, NULL));
    store_finalize(s);
    bool good = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    int failures = good ? 0 : out->failures + 1;
    kn_time until = 0;
    if (failures >= ACCESS_LOCK_AFTER) {
        int64_t lock = ACCESS_LOCK_FIRST;
        for (int i = ACCESS_LOCK_AFTER; i < failures && lock < ACCESS_LOCK_MAX; i++)
            lock *= 2;
        until = now + (lock > ACCESS_LOCK_MAX ? ACCESS_LOCK_MAX : lock);
    }
    if (store_prepare(
            st, "UPDATE access_user SET failures = $1, locked_until = $2 WHERE id = $3",
            &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, failures);
    store_bind_int(s, 2, until);
    store_bind_int(s, 3, out->id);
    if ((rc = step_once(s, err)) != 0)
        return rc;
    out->failures = failures;
    out->locked_until = until;
    return good ? 0 : kn_fail(err, KN_EPERM, "wrong user name or password");
}
