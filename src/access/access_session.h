/* src/access/access_session.h: the portal's sessions, kept in the store.
 *
 * A session is what a signed-in browser carries: a 256-bit random id from
 * libsodium (randombytes_buf), handed to the browser once, in its cookie,
 * as 43 characters of URL-safe base64 without padding. The store keeps only
 * a BLAKE2b-256 hash of the id (access_session.token_hash), so a copy of
 * the store signs nobody in. Beside it: the user, when it began, when it
 * was last used, how the user signed in ("password", "oidc"), the
 * session's CSRF token (32 random bytes as hex, sent in every form) and
 * the purpose of use stated for person-level data (NULL until asked).
 *
 * Timeouts: a session ends when it has not been used for idle_s seconds
 * or when it began more than max_s seconds ago, whichever comes first;
 * access_session_get() deletes it then and answers KN_ENOTFOUND, exactly
 * as for an id that never existed. A session of a disabled or removed user
 * is not found either, and is deleted (enabling the user again does not
 * revive it). The user's role and scope are read afresh on every
 * lookup, so a role change applies at the next request.
 *
 * Fixation: sign-in always creates a new id (access_session_create); the
 * caller ends any session the request came with first, so an id set
 * before sign-in is never the one after (web_session_start does both).
 * Sign-out deletes the one session, "sign out everywhere" every session
 * of the user.
 *
 * All functions take the store of the calling thread (store.h: one thread
 * per connection) and a caller's time `now`, so tests drive the clock.
 * Errors: KN_EINPUT for a malformed id (never quoted), KN_ENOTFOUND for
 * none or expired, KN_ESTORE from the store.
 */
#ifndef KNOD_ACCESS_ACCESS_SESSION_H
#define KNOD_ACCESS_ACCESS_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "access/access_user.h"
#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "store/store.h"

#define SESSION_ID_BYTES 32   /* 256 bits */
#define SESSION_ID_CHARS 43   /* URL-safe base64, no padding */
#define SESSION_CSRF_CHARS 64 /* hex of 32 random bytes */

/* The defaults of knod.ini [web] session_idle_min and session_max_hours. */
#define SESSION_IDLE_DEFAULT_S (30 * 60)
#define SESSION_MAX_DEFAULT_S (12 * 3600)

/* A session id as the browser holds it. */
struct session_id {
    char s[SESSION_ID_CHARS + 1];
};

struct access_session {
    int64_t id;              /* the row, not the secret id */
    struct access_user user; /* as of this lookup (strings in the arena) */
    kn_time created, last_seen;
    const char *via;         /* "password", "oidc" */
    char csrf[SESSION_CSRF_CHARS + 1];
    const char *purpose;     /* purpose of use, or NULL (not asked yet) */
};

/* Start a session for user_id at now, signed in via ("password", "oidc").
 * 0 and *out holds the new id (to put in the cookie; it is nowhere else). */
int access_session_create(struct store *st, int64_t user_id, const char *via, kn_time now,
                          struct session_id *out, struct kn_error *err);

/* The live session of id (NUL-terminated, as the cookie held it) at now,
 * with the timeouts idle_s and max_s; marks it used at now. KN_ENOTFOUND
 * if none, expired (it is then deleted) or its user is disabled. Strings
 * of *out live in a. */
int access_session_get(struct store *st, const char *id, kn_time now, int64_t idle_s,
                       int64_t max_s, struct access_session *out, struct arena *a,
                       struct kn_error *err);

/* End the session of id (sign-out). Ending an unknown id is no error. */
int access_session_end(struct store *st, const char *id, struct kn_error *err);

/* End every session of user_id ("sign out everywhere"; also when an
 * account is disabled). *n, if not NULL, gets how many were ended. */
int access_session_end_user(struct store *st, int64_t user_id, int64_t *n,
                            struct kn_error *err);

/* The purposes of use a session may state for person-level data, as
 * keys (their words: purpose_KEY in data/i18n/access.csv): "care" (care
 * of the patient), "quality" (quality follow-up and improvement),
 * "registry" (registration and correction of the records). */
#define ACCESS_PURPOSES 3
extern const char *const access_purposes[ACCESS_PURPOSES];
bool access_purpose_valid(const char *key);

/* Record the purpose of use stated in the session of row id (see
 * struct access_session). KN_ENOTFOUND if the session is gone. */
int access_session_set_purpose(struct store *st, int64_t id, const char *purpose,
                               struct kn_error *err);

/* Delete every session expired at now (idle_s, max_s); *n how many. */
int access_session_sweep(struct store *st, kn_time now, int64_t idle_s, int64_t max_s,
                         int64_t *n, struct kn_error *err);

#endif /* KNOD_ACCESS_ACCESS_SESSION_H */
