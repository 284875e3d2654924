/* src/registry/reg_key.c: the key fingerprint and key rotation. See
 * reg_key.h. A check is one indexed read of a one-row table; a rotation
 * rewrites every person row (1 M persons: a few seconds), in batches of ids
 * so that no statement reads a table while another updates it. */
#include "registry/reg_key.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* The migration that made key_fingerprint and key_rotation. */
#define KEY_MIGRATION 5

static void copy_col(struct store_stmt *q, int i, char *out, size_t cap)
{
    size_t len = 0;
    const char *t = store_col_text(q, i, &len);
    if (len >= cap)
        len = cap - 1;
    memcpy(out, t, len);
    out[len] = '\0';
}

int reg_key_read(struct store *s, struct reg_key_info *out, struct kn_error *err)
{
    memset(out, 0, sizeof *out);
    /* A store opened read-only keeps the schema it has. */
    int rc = store_schema_version(s, err);
    if (rc < KEY_MIGRATION)
        return rc < 0 ? rc : 0;
    struct store_stmt *q = NULL;
    rc = store_prepare(s, "SELECT fingerprint, layers, recorded_at, recorded_by "
                          "FROM key_fingerprint WHERE id = 1", &q, err);
    if (rc != 0)
        return rc;
    rc = store_step(q, err);
    if (rc == STORE_ROW) {
        out->recorded = true;
        copy_col(q, 0, out->fingerprint, sizeof out->fingerprint);
        out->layers = (unsigned)store_col_int(q, 1);
        copy_col(q, 2, out->recorded_at, sizeof out->recorded_at);
        copy_col(q, 3, out->recorded_by, sizeof out->recorded_by);
    }
    store_finalize(q);
    if (rc < 0)
        return rc;
    rc = store_prepare(s, "SELECT count(*), max(rotated_at) FROM key_rotation", &q, err);
    if (rc != 0)
        return rc;
    rc = store_step(q, err);
    if (rc == STORE_ROW) {
        out->rotations = store_col_int(q, 0);
        if (!store_col_is_null(q, 1))
            copy_col(q, 1, out->last_rotation, sizeof out->last_rotation);
    }
    store_finalize(q);
    return rc < 0 ? rc : 0;
}

/* Insert or replace the one fingerprint row (inside the caller's
 * transaction). */
static int write_fp(struct store *s, const char *fp, unsigned layers, const char *by,
                    struct kn_error *err)
{
    struct store_stmt *q = NULL;
    int rc = store_prepare(s,
        "INSERT INTO key_fingerprint (id, fingerprint, layers, recorded_at, recorded_by) "
        "VALUES (1, $1, $2, CURRENT_TIMESTAMP, $3) ON CONFLICT (id) DO UPDATE SET "
        "fingerprint = excluded.fingerprint, layers = excluded.layers, "
        "recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
        &q, err);
    if (rc != 0)
        return rc;
    store_bind_text(q, 1, fp, strlen(fp));
    store_bind_int(q, 2, layers);
    store_bind_text(q, 3, by, strlen(by));
    rc = store_step(q, err);
    store_finalize(q);
    return rc < 0 ? rc : 0;
}

int reg_key_record(struct store *s, const struct pseudo_key *key, const char *by,
                   bool *recorded, struct kn_error *err)
{
    char fp[PSEUDO_FP_HEX_LEN + 1];
    struct reg_key_info info;
    *recorded = false;
    int rc = store_begin(s, err);
    if (rc != 0)
        return rc;
    rc = reg_key_read(s, &info, err);
    if (rc == 0 && !info.recorded) {
        pseudo_fingerprint(key, key->nrot + 1, fp);
        rc = write_fp(s, fp, key->nrot + 1, by, err);
        *recorded = rc == 0;
    }
    if (rc == 0)
        rc = store_commit(s, err);
    if (rc != 0) {
        store_rollback(s);
        *recorded = false;
        return kn_error_prefix(err, "cannot record the key's fingerprint in '%s': ",
                               store_path(s));
    }
    return 0;
}

int reg_key_check(struct store *s, const struct pseudo_key *key, const char *key_path,
                  struct kn_error *err)
{
    struct reg_key_info info;
    int rc = reg_key_read(s, &info, err);
    if (rc != 0)
        return rc;
    if (!info.recorded)
        return KN_ENOTFOUND;
    char fp[PSEUDO_FP_HEX_LEN + 1];
    unsigned layers = key->nrot + 1;
    pseudo_fingerprint(key, layers, fp);
    if (sodium_memcmp(fp, info.fingerprint, PSEUDO_FP_HEX_LEN) == 0
        && strlen(info.fingerprint) == PSEUDO_FP_HEX_LEN)
        return 0;
    /* An older copy of a rotated store: it matches a prefix of the chain. */
    for (unsigned l = layers - 1; l >= 1; l--) {
        pseudo_fingerprint(key, l, fp);
        if (strcmp(fp, info.fingerprint) == 0)
            return kn_fail(err, KN_EINPUT,
                           "key file '%s' does not match the store '%s': the key has "
                           "been rotated %u time(s) since this store was written (an old "
                           "copy?); open it with the key file it was written with, or "
                           "use the current store",
                           key_path, store_path(s), layers - l);
    }
    if (info.layers > layers)
        return kn_fail(err, KN_EINPUT,
                       "key file '%s' does not match the store '%s': the store's key has "
                       "been rotated (%u key(s) in its chain, this file has %u); use the "
                       "key file 'knod key rotate' wrote", key_path, store_path(s),
                       info.layers, layers);
    return kn_fail(err, KN_EINPUT,
                   "key file '%s' does not match the store '%s': it is not the key the "
                   "stored persons were pseudonymised with (fingerprint recorded by %s "
                   "at %s UTC); a different key would make every stored person a new one. "
                   "Point [pseudonym] key_file in knod.ini (or $CREDENTIALS_DIRECTORY/"
                   "knod.key) at the store's own key file",
                   key_path, store_path(s), info.recorded_by, info.recorded_at);
}

int reg_key_verify(struct store *s, const struct pseudo_key *key, struct kn_error *err)
{
    struct reg_key_info info;
    char fp[PSEUDO_FP_HEX_LEN + 1];
    int rc = reg_key_read(s, &info, err);
    if (rc != 0 || !info.recorded)
        return rc;
    pseudo_fingerprint(key, key->nrot + 1, fp);
    if (strcmp(fp, info.fingerprint) != 0)
        return kn_fail(err, KN_EINPUT, "the key of store '%s' no longer matches this "
                       "command's key (was it rotated meanwhile?); nothing more is stored",
                       store_path(s));
    return 0;
}

#define ROTATE_BATCH 4096

/* Rotate the pseudonyms of persons with id > *after, at most ROTATE_BATCH;
 * *n is how many were done (0 at the end). */
struct rotate_buf {
    int64_t ids[ROTATE_BATCH];
    unsigned char raw[ROTATE_BATCH][PSEUDO_BYTES];
};

static int rotate_batch(const struct pseudo_key *key, struct store_stmt *sel,
                        struct store_stmt *upd, struct rotate_buf *b, int64_t *after,
                        int64_t *n, struct kn_error *err)
{
    int64_t *ids = b->ids;
    unsigned char (*raw)[PSEUDO_BYTES] = b->raw;
    size_t k = 0;
    int rc;
    *n = 0;
    store_reset(sel);
    store_bind_int(sel, 1, *after);
    store_bind_int(sel, 2, ROTATE_BATCH);
    while ((rc = store_step(sel, err)) == STORE_ROW) {
        size_t len = 0;
        const char *hex = store_col_text(sel, 1, &len);
        ids[k] = store_col_int(sel, 0);
        if (pseudo_from_hex(hex, len, raw[k]) != 0)
            return kn_fail(err, KN_ESTORE, "person %lld has a malformed pseudonym",
                           (long long)ids[k]);
        k++;
    }
    store_reset(sel);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < k; i++) {
        char hex[PSEUDO_HEX_LEN + 1];
        pseudo_rotate_raw(key, raw[i]);
        pseudo_to_hex(raw[i], hex);
        store_reset(upd);
        store_bind_text(upd, 1, hex, PSEUDO_HEX_LEN);
        store_bind_int(upd, 2, ids[i]);
        if ((rc = store_step(upd, err)) < 0)
            return rc;
    }
    if (k > 0)
        *after = ids[k - 1];
    *n = (int64_t)k;
    return 0;
}

int reg_key_rotate(struct store *s, const struct pseudo_key *key, int64_t *persons,
                   struct kn_error *err)
{
    struct store_stmt *sel = NULL, *upd = NULL, *ins = NULL;
    char old_fp[PSEUDO_FP_HEX_LEN + 1], new_fp[PSEUDO_FP_HEX_LEN + 1];
    struct reg_key_info info;
    *persons = 0;
    assert(key->nrot >= 1);
    pseudo_fingerprint(key, key->nrot, old_fp);
    pseudo_fingerprint(key, key->nrot + 1, new_fp);

    struct rotate_buf *buf = malloc(sizeof *buf);
    if (buf == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory rotating the key");
    int rc = store_begin(s, err);
    if (rc != 0) {
        free(buf);
        return rc;
    }
    if ((rc = reg_key_read(s, &info, err)) != 0)
        goto out;
    if (!info.recorded || strcmp(info.fingerprint, old_fp) != 0) {
        rc = kn_fail(err, KN_EINPUT, "the key to rotate does not match the store '%s'",
                     store_path(s));
        goto out;
    }
    /* Every pseudonym is keyed with this key: those of a personnummer or
     * samordningsnummer and the external ones (pseudo_derive_external_raw),
     * which an import derives under the whole chain too. */
    rc = store_prepare(s, "SELECT id, pseudonym FROM person WHERE id > $1 AND "
                          "(id_kind = 'personnummer' OR id_kind = 'samordningsnummer' "
                          "OR id_kind = 'external') ORDER BY id LIMIT $2", &sel, err);
    if (rc == 0)
        rc = store_prepare(s, "UPDATE person SET pseudonym = $1 WHERE id = $2", &upd, err);
    int64_t after = 0, n = 0;
    do {
        if (rc == 0)
            rc = rotate_batch(key, sel, upd, buf, &after, &n, err);
        *persons += n;
    } while (rc == 0 && n > 0);
    if (rc != 0)
        goto out;
    if ((rc = write_fp(s, new_fp, key->nrot + 1, "rotate", err)) != 0)
        goto out;
    rc = store_prepare(s, "INSERT INTO key_rotation (rotated_at, old_fingerprint, "
                          "new_fingerprint, layers, persons) VALUES (CURRENT_TIMESTAMP, "
                          "$1, $2, $3, $4)", &ins, err);
    if (rc != 0)
        goto out;
    store_bind_text(ins, 1, old_fp, PSEUDO_FP_HEX_LEN);
    store_bind_text(ins, 2, new_fp, PSEUDO_FP_HEX_LEN);
    store_bind_int(ins, 3, key->nrot + 1);
    store_bind_int(ins, 4, *persons);
    if ((rc = store_step(ins, err)) < 0)
        goto out;
    rc = store_commit(s, err);
out:
    store_finalize(sel);
    store_finalize(upd);
    store_finalize(ins);
    sodium_memzero(buf, sizeof *buf);
    free(buf);
    if (rc != 0) {
        store_rollback(s);
        *persons = 0;
    }
    return rc < 0 ? rc : 0;
}
