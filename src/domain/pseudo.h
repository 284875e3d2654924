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
 *
 * Rotation (`knod key rotate`, docs/operations.md). The store holds no
 * personnummer, so a new key cannot be applied to the numbers; it is
 * applied to the stored pseudonyms instead. A rotated key is a chain: the
 * first key K0 and the rotation keys K1..Kn, one per line of the key file
 * (64 hex characters each). The pseudonym of a number is then
 *   H(Kn, ... H(K1, H(K0, digits)) ...)       (H = BLAKE2b-128, keyed)
 * which is what rotation writes into the store (H(Kn+1, stored)) and what
 * an import derives afterwards: one number keeps one stored pseudonym, and
 * a pseudonym from before a rotation cannot be linked to one after it
 * without the newer key. An unrotated key file (one line) is the chain of
 * K0 alone, so stores made before rotation existed are unchanged.
 *
 * Fingerprint. pseudo_fingerprint() is a keyed hash of a fixed label under
 * the chain: the store records it (never the key) and every command checks
 * it, so a different key is refused instead of making new persons.
 */
#ifndef KNOD_DOMAIN_PSEUDO_H
#define KNOD_DOMAIN_PSEUDO_H

#include "base/error.h"
#include "domain/pnr.h"

#define PSEUDO_KEY_BYTES 32
#define PSEUDO_BYTES 16
#define PSEUDO_HEX_LEN (2 * PSEUDO_BYTES)
#define PSEUDO_ROT_MAX 15 /* rotations a key file may hold */
#define PSEUDO_FP_BYTES 32
#define PSEUDO_FP_HEX_LEN (2 * PSEUDO_FP_BYTES)

/* True if s is written as a pseudonym: exactly PSEUDO_HEX_LEN lowercase
 * hex characters. A run of digits inside one can be shaped like a
 * personnummer by chance ("...ca1206699052": about one pseudonym in 400,
 * pnr_shape.h); such a string is still a pseudonym, not a number. */
bool pseudo_hex_is(const char *s);

struct pseudo_key {
    unsigned char k[PSEUDO_KEY_BYTES];                   /* K0 */
    unsigned nrot;                                       /* rotations applied */
    unsigned char rot[PSEUDO_ROT_MAX][PSEUDO_KEY_BYTES]; /* K1..Knrot */
};

/* Make a new random key and write it to path, which must not exist
 * (KN_EEXIST), with mode 0600. 0, KN_EEXIST or KN_EIO. */
int pseudo_key_create(const char *path, struct kn_error *err);

/* Read the key (chain) at path. KN_EPERM if the file is readable or
 * writable by group or others, or not a regular file; KN_EINPUT if its
 * contents are not 1 to 1 + PSEUDO_ROT_MAX lines of 64 hex characters;
 * KN_EIO or KN_ENOTFOUND if it cannot be read. */
int pseudo_key_load(const char *path, struct pseudo_key *key,
                    struct kn_error *err);

/* Write key with one more rotation (a new random key Kn+1) to path, which
 * must not exist (KN_EEXIST), mode 0600, synced; *out is the new chain
 * (wipe it after use). KN_EINPUT if key already holds PSEUDO_ROT_MAX
 * rotations; KN_EIO if it cannot be written (nothing is left behind). */
int pseudo_key_rotate(const struct pseudo_key *key, const char *path,
                      struct pseudo_key *out, struct kn_error *err);

/* One rotation step on a stored pseudonym: raw <- H(key's last rotation
 * key, raw). key must hold at least one rotation. */
void pseudo_rotate_raw(const struct pseudo_key *key, unsigned char raw[PSEUDO_BYTES]);

/* The fingerprint of the first layers keys of the chain (layers = 1 +
 * key->nrot for the whole key) as PSEUDO_FP_HEX_LEN hex chars and a NUL.
 * It shows nothing of the key; a prefix of the chain gives the fingerprint
 * the store had before the later rotations. */
void pseudo_fingerprint(const struct pseudo_key *key, unsigned layers,
                        char out[PSEUDO_FP_HEX_LEN + 1]);

/* Overwrite the key in memory. */
void pseudo_key_wipe(struct pseudo_key *key);

/* Write the pseudonym of p under key (the whole chain): PSEUDO_HEX_LEN hex
 * chars and a NUL. */
void pseudo_derive(const struct pseudo_key *key, const struct pnr *p,
                   char out[PSEUDO_HEX_LEN + 1]);

/* The same pseudonym as PSEUDO_BYTES raw bytes (for in-memory maps). */
void pseudo_derive_raw(const struct pseudo_key *key, const struct pnr *p,
                       unsigned char out[PSEUDO_BYTES]);

/* External pseudonyms (docs/import-format.md, "Persons without a
 * personnummer"): a person an extract identifies by its own pseudonym or
 * serial number (ext, elen) within a named source system (source, slen)
 * gets the keyed hash, under the same chain, of a fixed label, the
 * source's length and name, and the id. No input of pseudo_derive() (12
 * digits) starts like the label, so an external id never gives the
 * pseudonym of a personnummer, and the same id from two sources gives two
 * persons. Rotation applies to these pseudonyms like to the others. */
void pseudo_derive_external_raw(const struct pseudo_key *key, const char *source,
                                size_t slen, const char *ext, size_t elen,
                                unsigned char out[PSEUDO_BYTES]);

/* Raw bytes to the stored hex form and back; pseudo_from_hex returns 0, or
 * KN_EINPUT if hex is not PSEUDO_HEX_LEN lowercase hex characters. */
void pseudo_to_hex(const unsigned char raw[PSEUDO_BYTES], char out[PSEUDO_HEX_LEN + 1]);
int pseudo_from_hex(const char *hex, size_t len, unsigned char raw[PSEUDO_BYTES]);

#endif /* KNOD_DOMAIN_PSEUDO_H */
