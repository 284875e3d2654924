/* src/domain/pseudo.h: keyed pseudonyms for personal identity numbers.
 *
 * A pseudonym is the keyed BLAKE2b hash (libsodium crypto_generichash) of
 * the normalised 12-digit number (struct pnr digits) under a 32-byte secret
 * key, cut to 16 bytes and written as 32 lowercase hex characters. The same
 * number always gives the same pseudonym under the same key; without the
 * key a pseudonym cannot be linked back to a number, not even by trying
 * every possible number.
 *
 * The key lives in a file made by `knod init` (pseudo_key_create): 64 hex
 * characters and a newline, mode 0600. pseudo_key_load() refuses a key
 * file that the group or others may read or write. Losing the key means
 * new imports can no longer be linked to stored persons: back it up apart
 * from the store.
 */
#ifndef KNOD_DOMAIN_PSEUDO_H
#define KNOD_DOMAIN_PSEUDO_H

#include "base/error.h"
#include "domain/pnr.h"

#define PSEUDO_KEY_BYTES 32
#define PSEUDO_BYTES 16
#define PSEUDO_HEX_LEN (2 * PSEUDO_BYTES)

struct pseudo_key {
    unsigned char k[PSEUDO_KEY_BYTES];
};

/* Make a new random key and write it to path, which must not exist
 * (KN_EEXIST), with mode 0600. 0, KN_EEXIST or KN_EIO. */
int pseudo_key_create(const char *path, struct kn_error *err);

/* Read the key at path. KN_EPERM if the file is readable or writable by
 * group or others, or not a regular file; KN_EINPUT if its contents are
 * not a key; KN_EIO or KN_ENOTFOUND if it cannot be read. */
int pseudo_key_load(const char *path, struct pseudo_key *key,
                    struct kn_error *err);

/* Overwrite the key in memory. */
void pseudo_key_wipe(struct pseudo_key *key);

/* Write the pseudonym of p under key: PSEUDO_HEX_LEN hex chars and a NUL. */
void pseudo_derive(const struct pseudo_key *key, const struct pnr *p,
                   char out[PSEUDO_HEX_LEN + 1]);

/* The same pseudonym as PSEUDO_BYTES raw bytes (for in-memory maps). */
void pseudo_derive_raw(const struct pseudo_key *key, const struct pnr *p,
                       unsigned char out[PSEUDO_BYTES]);

/* Raw bytes to the stored hex form and back; pseudo_from_hex returns 0, or
 * KN_EINPUT if hex is not PSEUDO_HEX_LEN lowercase hex characters. */
void pseudo_to_hex(const unsigned char raw[PSEUDO_BYTES], char out[PSEUDO_HEX_LEN + 1]);
int pseudo_from_hex(const char *hex, size_t len, unsigned char raw[PSEUDO_BYTES]);

#endif /* KNOD_DOMAIN_PSEUDO_H */
