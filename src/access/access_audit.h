/* src/access/access_audit.h: the append-only, hash-chained audit log.
 *
 * Every sign-in and failure, every view of person-level data (who, which
 * pseudonym, for what purpose), every change and every export is one entry.
 * Entry i carries h_i = BLAKE2b-256 keyed with the audit key over
 * (h_{i-1}, id, at, actor, action, subject, purpose, detail), each field
 * length-prefixed, h_0 = 32 zero bytes. So altering, removing or reordering
 * any entry breaks the chain from there on, and without the key nobody can
 * write a chain that verifies. The store refuses UPDATE and DELETE on the
 * table; the chain finds what is done to a copy of the file behind its
 * back. Removing the newest entries leaves a valid shorter chain: keep the
 * head hash that access_audit_verify() reports (e.g. in the daily
 * operations log) to find that too.
 *
 * The audit key is derived from the pseudonym key (libsodium crypto_kdf,
 * context "knodaudt", subkey 1), so it needs no file of its own and is
 * never stored. The log never holds a personnummer: callers give
 * pseudonyms, and access_audit_add() refuses a personnummer-shaped string.
 */
#ifndef KNOD_ACCESS_ACCESS_AUDIT_H
#define KNOD_ACCESS_ACCESS_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "domain/pseudo.h"
#include "store/store.h"

#define AUDIT_KEY_BYTES 32
#define AUDIT_HASH_HEX  64

struct audit_key {
    unsigned char k[AUDIT_KEY_BYTES];
};

/* The audit key of a pseudonym key. */
void access_audit_key(const struct pseudo_key *pk, struct audit_key *out);

struct audit_entry {
    int64_t id;
    kn_time at;
    const char *actor, *action, *subject, *purpose, *detail;
    char hash[AUDIT_HASH_HEX + 1];
};

/* Append one entry (in the caller's transaction if one is open, else in
 * its own). KN_EINPUT if a field holds a personnummer-shaped number. */
int access_audit_add(struct store *st, const struct audit_key *key, kn_time at,
                     const char *actor, const char *action, const char *subject,
                     const char *purpose, const char *detail, struct kn_error *err);

/* Walk the whole chain. 0 with *count entries and the head hash when it
 * holds; KN_EINPUT naming the first broken entry ("audit entry 42 (id 42):
 * its hash does not follow from the entry and the one before: changed,
 * removed or reordered") otherwise, with *first_bad its position. */
int access_audit_verify(struct store *st, const struct audit_key *key, int64_t *count,
                        char head[AUDIT_HASH_HEX + 1], int64_t *first_bad,
                        struct kn_error *err);

/* Entries, oldest first, filtered (NULL or 0: any): since (kn_time), by
 * actor, about subject. */
int access_audit_list(struct store *st, kn_time since, const char *actor,
                      const char *subject, struct audit_entry **out, size_t *n,
                      struct arena *a, struct kn_error *err);

#endif /* KNOD_ACCESS_ACCESS_AUDIT_H */
