/* src/access/access_audit.c: the keyed hash chain of the audit log
 * (access_audit.h). */
#include "access/access_audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/pnr_shape.h"
#include "domain/pseudo.h"

void access_audit_key(const struct pseudo_key *pk, struct audit_key *out)
{
    crypto_kdf_derive_from_key(out->k, sizeof out->k, 1, "knodaudt", pk->k);
}

/* One field into the hash, length first, so that no two different
 * entries hash the same bytes. */
static void put(crypto_generichash_state *h, const char *s)
{
    unsigned char len[8];
    uint64_t n = strlen(s);
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(n >> (8 * i));
    crypto_generichash_update(h, len, sizeof len);
    crypto_generichash_update(h, (const unsigned char *)s, (size_t)n);
}

static void chain(const struct audit_key *key, const char *prev_hex,
                  const struct audit_entry *e, char out[AUDIT_HASH_HEX + 1])
{
    crypto_generichash_state h;
    unsigned char raw[32];
    char num[2][24];
    snprintf(num[0], sizeof num[0], "%lld", (long long)e->id);
    snprintf(num[1], sizeof num[1], "%lld", (long long)e->at);
    crypto_generichash_init(&h, key->k, sizeof key->k, sizeof raw);
    put(&h, prev_hex);
    put(&h, num[0]);
    put(&h, num[1]);
    put(&h, e->actor);
    put(&h, e->action);
    put(&h, e->subject);
    put(&h, e->purpose);
    put(&h, e->detail);
    crypto_generichash_final(&h, raw, sizeof raw);
    sodium_bin2hex(out, AUDIT_HASH_HEX + 1, raw, sizeof raw);
}

static const char zero_hex[AUDIT_HASH_HEX + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

int access_audit_add(struct store *st, const struct audit_key *key, kn_time at,
                     const char *actor, const char *action, const char *subject,
                     const char *purpose, const char *detail, struct kn_error *err)
{
    /* A subject that is a pseudonym is not screened: its hex may hold a
     * run of digits shaped like a personnummer by chance (pseudo_hex_is),
     * and its person's every view must be logged. */
    const char *fields[] = {actor, action, pseudo_hex_is(subject) ? "" : subject, purpose,
                            detail};
    for (int i = 0; i < 5; i++)
        if (pnr_find_shaped(fields[i], strlen(fields[i]), NULL, NULL))
            return kn_fail(err, KN_EINPUT,
                           "an audit entry may not hold a personnummer-shaped "
                           "number (give the pseudonym)");
    /* SAVEPOINT works inside and outside a transaction alike. */
    if (store_exec(st, "SAVEPOINT audit_add", err) != 0)
        return err->code;
    struct store_stmt *s = NULL;
    char prev[AUDIT_HASH_HEX + 1];
    struct audit_entry e = {.at = at,
                            .actor = actor,
                            .action = action,
                            .subject = subject,
                            .purpose = purpose,
                            .detail = detail};
    int rc = store_prepare(
        st, "SELECT id, hash FROM access_audit ORDER BY id DESC LIMIT 1", &s, err);
    if (rc == 0) {
        rc = store_step(s, err);
        if (rc == STORE_ROW) {
            e.id = store_col_int(s, 0) + 1;
            snprintf(prev, sizeof prev, "%s", store_col_text(s, 1, NULL));
            rc = 0;
        } else if (rc == STORE_DONE) {
            e.id = 1;
            memcpy(prev, zero_hex, sizeof prev);
        }
        store_finalize(s);
    }
    if (rc == 0) {
        chain(key, prev, &e, e.hash);
        rc = store_prepare(
            st,
            "INSERT INTO access_audit (id, at, actor, action, subject, purpose, "
            "detail, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &s, err);
    }
    if (rc == 0) {
        store_bind_int(s, 1, e.id);
        store_bind_int(s, 2, at);
        store_bind_text(s, 3, actor, strlen(actor));
        store_bind_text(s, 4, action, strlen(action));
        store_bind_text(s, 5, subject, strlen(subject));
        store_bind_text(s, 6, purpose, strlen(purpose));
        store_bind_text(s, 7, detail, strlen(detail));
        store_bind_text(s, 8, e.hash, AUDIT_HASH_HEX);
        rc = store_step(s, err);
        rc = rc < 0 ? rc : 0;
        store_finalize(s);
    }
    if (rc == 0)
        return store_exec(st, "RELEASE audit_add", err);
    struct kn_error ignore = KN_ERROR_INIT;
    store_exec(st, "ROLLBACK TO audit_add", &ignore);
    store_exec(st, "RELEASE audit_add", &ignore);
    return rc;
}

static const char *text(struct store_stmt *s, int i)
{
    const char *t = store_col_text(s, i, NULL);
    return t ? t : "";
}

int access_audit_verify(struct store *st, const struct audit_key *key, int64_t *count,
                        char head[AUDIT_HASH_HEX + 1], int64_t *first_bad,
                        struct kn_error *err)
{
    struct store_stmt *s;
    char prev[AUDIT_HASH_HEX + 1];
    memcpy(prev, zero_hex, sizeof prev);
    *count = 0;
    *first_bad = 0;
    if (store_prepare(st,
                      "SELECT id, at, actor, action, subject, purpose, detail, hash FROM "
                      "access_audit ORDER BY rowid",
                      &s, err) != 0)
        return err->code;
    int rc;
    int64_t want_id = 1;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        struct audit_entry e = {
            .id = store_col_int(s, 0),
            .at = store_col_int(s, 1),
            .actor = text(s, 2),
            .action = text(s, 3),
            .subject = text(s, 4),
            .purpose = text(s, 5),
            .detail = text(s, 6),
        };
        char want[AUDIT_HASH_HEX + 1];
        chain(key, prev, &e, want);
        ++*count;
        if (e.id != want_id || strcmp(want, text(s, 7)) != 0) {
            *first_bad = *count;
            rc = kn_fail(err, KN_EINPUT, "audit entry %lld (id %lld): %s",
                         (long long)*count, (long long)e.id,
                         e.id != want_id
                             ? "out of sequence: entries were removed or reordered"
                             : "its hash does not follow from the entry and the "
                               "one before: changed, removed or reordered");
            break;
        }
        memcpy(prev, want, sizeof prev);
        want_id++;
    }
    store_finalize(s);
    if (rc < 0)
        return rc;
    memcpy(head, prev, AUDIT_HASH_HEX + 1);
    return 0;
}

int access_audit_list(struct store *st, kn_time since, const char *actor,
                      const char *subject, struct audit_entry **out, size_t *n,
                      struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    size_t cap = 64, count = 0;
    struct audit_entry *v = arena_calloc(a, cap, sizeof *v);
    if (!v)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    if (store_prepare(st,
                      "SELECT id, at, actor, action, subject, purpose, detail, hash FROM "
                      "access_audit WHERE at >= $1 AND ($2 IS NULL OR actor = $2) AND "
                      "($3 IS NULL OR subject = $3) ORDER BY id",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, since);
    if (actor)
        store_bind_text(s, 2, actor, strlen(actor));
    else
        store_bind_null(s, 2);
    if (subject)
        store_bind_text(s, 3, subject, strlen(subject));
    else
        store_bind_null(s, 3);
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (arena_grow(a, &v, count, &cap, sizeof *v) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        struct audit_entry *e = &v[count++];
        e->id = store_col_int(s, 0);
        e->at = store_col_int(s, 1);
        e->actor = arena_strdup(a, text(s, 2));
        e->action = arena_strdup(a, text(s, 3));
        e->subject = arena_strdup(a, text(s, 4));
        e->purpose = arena_strdup(a, text(s, 5));
        e->detail = arena_strdup(a, text(s, 6));
        snprintf(e->hash, sizeof e->hash, "%s", text(s, 7));
    }
    store_finalize(s);
    *out = v;
    *n = count;
    return rc < 0 ? rc : 0;
}
