/* src/access/access_user.h: users, their role and scope, local passwords
 * and sign-in.
 *
 * Roles and the scopes each may have (one place decides it):
 *   admin        administrator              nation
 *   analyst      national analyst           nation
 *   coordinator  regional coordinator       region
 *   registrar    registrar                  region or unit
 *   clinician    NHV clinician              unit
 * A region scope is a region code ("12"); a unit scope a care unit's code
 * as the registry knows it (units.csv, source id).
 *
 * Local passwords are stored as argon2id strings (libsodium
 * crypto_pwhash_str, interactive limits). The policy: 12 to 256 bytes,
 * not the user name, and at least 6 different characters.
 *
 * Sign-in (access_signin) counts failures: from the fifth in a row the
 * account is locked for 1 minute, doubling with each further failure up to
 * 15 minutes; a good sign-in resets the count. A lock always ends, so
 * nobody can lock another user out for good by guessing; a sign-in during
 * a lock is refused without checking the password (so guessing during a
 * lock learns nothing). Unknown users and wrong passwords give the same
 * answer, and an unknown user costs the same argon2id work.
 */
#ifndef KNOD_ACCESS_ACCESS_USER_H
#define KNOD_ACCESS_ACCESS_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "store/store.h"

#define ACCESS_LOCK_AFTER 5
#define ACCESS_LOCK_FIRST 60
#define ACCESS_LOCK_MAX   900

enum access_role {
    ROLE_ADMIN,
    ROLE_ANALYST,
    ROLE_COORDINATOR,
    ROLE_REGISTRAR,
    ROLE_CLINICIAN
};
enum access_scope { SCOPE_NATION, SCOPE_REGION, SCOPE_UNIT };

const char *access_role_name(enum access_role r);
int access_role_parse(const char *name); /* -1 if unknown */
const char *access_scope_name(enum access_scope s);

/* May role r have scope s? 0, or KN_EINPUT saying which scopes it has. */
int access_scope_check(enum access_role r, enum access_scope s, struct kn_error *err);

/* The password policy above. 0 or KN_EINPUT with the rule broken (the
 * password itself is never quoted). */
int access_password_check(const char *name, const char *password, struct kn_error *err);

struct access_user {
    int64_t id;
    const char *name;
    enum access_role role;
    enum access_scope scope;
    const char *scope_code; /* NULL for the nation */
    bool disabled, has_password;
    int failures;
    kn_time locked_until;
};

/* Add a user (password may be NULL: identity-provider sign-in only).
 * User names: 2-64 of a-z, 0-9, '.', '-', '_', '@'. KN_EEXIST if taken. */
int access_user_add(struct store *st, const char *name, enum access_role role,
                    enum access_scope scope, const char *scope_code, const char *password,
                    kn_time now, struct kn_error *err);

int access_user_get(struct store *st, const char *name, struct access_user *out,
                    struct arena *a, struct kn_error *err);
int access_user_list(struct store *st, struct access_user **out, size_t *n,
                     struct arena *a, struct kn_error *err);
int access_user_set_role(struct store *st, const char *name, enum access_role role,
                         enum access_scope scope, const char *scope_code,
                         struct kn_error *err);
int access_user_set_disabled(struct store *st, const char *name, bool disabled,
                             struct kn_error *err);
int access_user_set_password(struct store *st, const char *name, const char *password,
                             struct kn_error *err);

/* Check name and password at time now. 0 and *out on success; KN_EPERM
 * "wrong user name or password" (the same for an unknown user), or
 * "the account is locked for N more seconds", or "the account is
 * disabled". */
int access_signin(struct store *st, const char *name, const char *password, kn_time now,
                  struct access_user *out, struct arena *a, struct kn_error *err);

#endif /* KNOD_ACCESS_ACCESS_USER_H */
