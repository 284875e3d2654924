/* src/access/access_session.c: sessions in the store (access_session.h).
 * A lookup is one indexed SELECT by the id's hash and, at most once a
 * minute per session, an UPDATE of last_seen; a portal has a few hundred
 * sessions at a time. */
#include "access/access_session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* last_seen is written when it is at least this old, so that a page with
 * many requests costs one write, not one per request. The idle timeout is
 * therefore kept to within this many seconds. */
#define TOUCH_EVERY_S 60

/* hex BLAKE2b-256 of the id's bytes into out; KN_EINPUT if id is not 43
 * characters of URL-safe base64 that decode to 32 bytes. */
static int id_hash(const char *id, char out[2 * crypto_generichash_BYTES + 1],
                   struct kn_error *err)
{
    unsigned char raw[SESSION_ID_BYTES], h[crypto_generichash_BYTES];
    size_t n = 0;
    if (strlen(id) != SESSION_ID_CHARS ||
        sodium_base642bin(raw, sizeof raw, id, SESSION_ID_CHARS, NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        n != sizeof raw)
        return kn_fail(err, KN_EINPUT, "not a session id");
    crypto_generichash(h, sizeof h, raw, sizeof raw, NULL, 0);
    sodium_bin2hex(out, 2 * crypto_generichash_BYTES + 1, h, sizeof h);
    sodium_memzero(raw, sizeof raw);
    return 0;
}

const char *const access_purposes[ACCESS_PURPOSES] = { "care", "quality", "registry" };

bool access_purpose_valid(const char *key)
{
    for (size_t i = 0; key && i < ACCESS_PURPOSES; i++)
        if (strcmp(key, access_purposes[i]) == 0)
            return true;
    return false;
}

static int step_once(struct store_stmt *s, struct kn_error *err)
{
    int rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int access_session_create(struct store *st, int64_t user_id, const char *via, kn_time now,
                          struct session_id *out, struct kn_error *err)
{
    unsigned char raw[SESSION_ID_BYTES], csrf_raw[32];
    char hash[2 * crypto_generichash_BYTES + 1], csrf[SESSION_CSRF_CHARS + 1];
    struct store_stmt *s;
    randombytes_buf(raw, sizeof raw);
    randombytes_buf(csrf_raw, sizeof csrf_raw);
    sodium_bin2base64(out->s, sizeof out->s, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    sodium_bin2hex(csrf, sizeof csrf, csrf_raw, sizeof csrf_raw);
    if (id_hash(out->s, hash, err) != 0)
        return err->code; /* cannot happen: we made the id */
    if (store_prepare(st,
                      "INSERT INTO access_session (token_hash, user_id, via, created, "
                      "last_seen, csrf) VALUES ($1, $2, $3, $4, $4, $5)",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, hash, strlen(hash));
    store_bind_int(s, 2, user_id);
    store_bind_text(s, 3, via, strlen(via));
    store_bind_int(s, 4, now);
    store_bind_text(s, 5, csrf, strlen(csrf));
    int rc = step_once(s, err);
    if (rc != 0)
        sodium_memzero(out, sizeof *out);
    return rc;
}

static int delete_by(struct store *st, const char *sql, const char *text, int64_t num,
                     int64_t *n, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    if (text)
        store_bind_text(s, 1, text, strlen(text));
    else
        store_bind_int(s, 1, num);
    int rc = step_once(s, err);
    if (rc == 0 && n)
        *n = store_changes(st);
    return rc;
}

int access_session_get(struct store *st, const char *id, kn_time now, int64_t idle_s,
                       int64_t max_s, struct access_session *out, struct arena *a,
                       struct kn_error *err)
{
    char hash[2 * crypto_generichash_BYTES + 1];
    struct store_stmt *s;
    memset(out, 0, sizeof *out);
    if (id_hash(id, hash, err) != 0)
        return err->code;
    if (store_prepare(st,
                      "SELECT s.id, u.name, s.via, s.created, s.last_seen, s.csrf, "
                      "s.purpose FROM access_session s JOIN access_user u ON "
                      "u.id = s.user_id WHERE s.token_hash = $1",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, hash, strlen(hash));
    int rc = store_step(s, err);
    const char *name = NULL;
    if (rc == STORE_ROW) {
        out->id = store_col_int(s, 0);
        name = arena_strdup(a, store_col_text(s, 1, NULL));
        out->via = arena_strdup(a, store_col_text(s, 2, NULL));
        out->created = store_col_int(s, 3);
        out->last_seen = store_col_int(s, 4);
        snprintf(out->csrf, sizeof out->csrf, "%s", store_col_text(s, 5, NULL));
        if (!store_col_is_null(s, 6))
            out->purpose = arena_strdup(a, store_col_text(s, 6, NULL));
        if (!name || !out->via)
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
    }
    store_finalize(s);
    if (rc < 0)
        return rc;
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no such session");
    if (now - out->last_seen >= idle_s || now - out->created >= max_s) {
        rc = delete_by(st, "DELETE FROM access_session WHERE id = $1", NULL, out->id, NULL,
                       err);
        return rc ? rc : kn_fail(err, KN_ENOTFOUND, "the session has expired");
    }
    struct kn_error uerr = KN_ERROR_INIT;
    rc = access_user_get(st, name, &out->user, a, &uerr);
    if (rc == KN_ENOTFOUND || (rc == 0 && out->user.disabled)) {
        /* Gone for good: enabling the account again does not revive it. */
        rc = delete_by(st, "DELETE FROM access_session WHERE id = $1", NULL, out->id, NULL,
                       err);
        return rc ? rc : kn_fail(err, KN_ENOTFOUND, "the session's user is disabled");
    }
    if (rc != 0)
        return kn_fail(err, rc, "%s", uerr.msg);
    if (now - out->last_seen >= TOUCH_EVERY_S) {
        if (store_prepare(st, "UPDATE access_session SET last_seen = $1 WHERE id = $2", &s,
                          err) != 0)
            return err->code;
        store_bind_int(s, 1, now);
        store_bind_int(s, 2, out->id);
        if ((rc = step_once(s, err)) != 0)
            return rc;
        out->last_seen = now;
    }
    return 0;
}

int access_session_end(struct store *st, const char *id, struct kn_error *err)
{
    char hash[2 * crypto_generichash_BYTES + 1];
    if (id_hash(id, hash, err) != 0)
        return err->code;
    return delete_by(st, "DELETE FROM access_session WHERE token_hash = $1", hash, 0, NULL,
                     err);
}

int access_session_end_user(struct store *st, int64_t user_id, int64_t *n,
                            struct kn_error *err)
{
    return delete_by(st, "DELETE FROM access_session WHERE user_id = $1", NULL, user_id, n,
                     err);
}

int access_session_set_purpose(struct store *st, int64_t id, const char *purpose,
                               struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st, "UPDATE access_session SET purpose = $1 WHERE id = $2", &s,
                      err) != 0)
        return err->code;
    store_bind_text(s, 1, purpose, strlen(purpose));
    store_bind_int(s, 2, id);
    int rc = step_once(s, err);
    if (rc == 0 && store_changes(st) == 0)
        rc = kn_fail(err, KN_ENOTFOUND, "the session has ended");
    return rc;
}

int access_session_sweep(struct store *st, kn_time now, int64_t idle_s, int64_t max_s,
                         int64_t *n, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st,
                      "DELETE FROM access_session WHERE last_seen <= $1 OR created <= $2",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, now - idle_s);
    store_bind_int(s, 2, now - max_s);
    int rc = step_once(s, err);
    if (rc == 0 && n)
        *n = store_changes(st);
    return rc;
}
