/* src/registry/reg_key.h: the store's record of its pseudonym key.
 *
 * A store is bound to the key its persons were pseudonymised with. At
 * `knod init` the key's fingerprint (pseudo_fingerprint(), a keyed hash of
 * a fixed label, never the key) is recorded in table key_fingerprint
 * (migration 0005); every command that finds a key checks it, so a
 * different key is refused instead of silently making every stored person
 * a new one. A store made before migration 0005 gets its fingerprint at the
 * first open with a key (recorded_by 'first_open').
 *
 * Rotation: reg_key_rotate() applies the newest rotation key of a chain
 * (pseudo.h) to every stored pseudonym of a personnummer or
 * samordningsnummer, in one transaction with the new fingerprint and a row
 * in key_rotation (the audit trail). Either all of it is done or none.
 *
 * Messages name the key file and the store, never key material.
 */
#ifndef KNOD_REGISTRY_REG_KEY_H
#define KNOD_REGISTRY_REG_KEY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "domain/pseudo.h"
#include "store/store.h"

struct reg_key_info {
    bool recorded;                              /* false: no fingerprint yet */
    char fingerprint[PSEUDO_FP_HEX_LEN + 1];
    unsigned layers;                            /* 1 + rotations of the key */
    char recorded_at[32];                       /* "YYYY-MM-DD HH:MM:SS" UTC */
    char recorded_by[16];                       /* init, first_open, rotate */
    int64_t rotations;                          /* rows in key_rotation */
    char last_rotation[32];                     /* when, or "" */
};

/* What the store records of its key. A store whose schema predates
 * migration 0005 (opened read-only) reads as not recorded. */
int reg_key_read(struct store *s, struct reg_key_info *out, struct kn_error *err);

/* Record key's fingerprint if the store has none yet (by: "init" or
 * "first_open"); *recorded tells whether this call recorded it. Runs in its
 * own transaction, so two commands racing record one fingerprint. */
int reg_key_record(struct store *s, const struct pseudo_key *key, const char *by,
                   bool *recorded, struct kn_error *err);

/* Check key (read from key_path, named in messages) against the store's
 * fingerprint. 0 if it matches; KN_ENOTFOUND if none is recorded;
 * KN_EINPUT if it does not match, with a message that names the key file
 * and the store, says why (another key, a key from before or after a
 * rotation) and what to do. */
int reg_key_check(struct store *s, const struct pseudo_key *key, const char *key_path,
                  struct kn_error *err);

/* For a writer inside its transaction: 0 if key matches the store or the
 * store records no fingerprint, else KN_EINPUT (the key was rotated while
 * the writer ran). An import checks this at every transaction it opens. */
int reg_key_verify(struct store *s, const struct pseudo_key *key, struct kn_error *err);

/* Rotate the store to key, whose newest rotation key is new: key without
 * it must match the store (KN_EINPUT otherwise). Every person's pseudonym
 * p becomes H(new, p), the fingerprint becomes key's, and key_rotation gets
 * a row; one transaction. *persons is the number of pseudonyms changed. */
int reg_key_rotate(struct store *s, const struct pseudo_key *key, int64_t *persons,
                   struct kn_error *err);

#endif /* KNOD_REGISTRY_REG_KEY_H */
