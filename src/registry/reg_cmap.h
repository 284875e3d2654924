/* src/registry/reg_cmap.h: the contacts an import session stored itself.
 *
 * Self-harm acts, assessments, follow-ups and coercive measures refer to a
 * contact or stay by its source id, and each reference must be a contact of
 * the row's own person. Looking every reference up in the store costs an
 * index seek and a table seek on the inserting thread (about 1.2 us, about
 * as much as the rest of the row; bench/import). So the session keeps, for
 * every contact it inserts into an empty table, what the rules of the
 * referring rows need (id, stay or not, start, end) on a list per person,
 * and phase A finds a reference among the row's person's contacts. What is
 * not found there (a contact stored by an earlier session, another
 * person's, a missing one) is looked up in the store as before, which also
 * gives the error.
 *
 * Keys are 64-bit SipHash values of (source_system, source_id) under a key
 * drawn for the session, so no input can be made to collide; a false match
 * would need two of one person's ids to share a value (about 1 in 10^17 for
 * a person with ten contacts). 32 bytes a contact.
 *
 * Not locked: the inserting thread adds while a contacts file streams
 * through, phase A reads while the files after it do.
 */
#ifndef KNOD_REGISTRY_REG_CMAP_H
#define KNOD_REGISTRY_REG_CMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "registry/reg_pmap.h"

struct reg_cmap_entry {
    uint64_t key;
    int64_t start;  /* kn_time */
    int64_t end;    /* kn_time, or INT64_MAX while it goes on */
    uint32_t id;    /* contact.id */
    uint32_t next;  /* the person's previous entry + 1, 0 = none; bit 31: a stay */
};

struct reg_cmap {
    struct reg_cmap_entry *e;
    size_t n, cap;
    bool off; /* a stored contact changed: trust the store only */
    unsigned char hash_key[crypto_shorthash_KEYBYTES];
};

/* An empty map with a fresh hash key. */
void reg_cmap_init(struct reg_cmap *m);
void reg_cmap_release(struct reg_cmap *m);

/* Room for n more entries; a failure only means growing later. */
void reg_cmap_reserve(struct reg_cmap *m, size_t n);

/* The key of (source_system, source_id). */
uint64_t reg_cmap_key(const struct reg_cmap *m, const char *sys, size_t sys_len,
                      const char *id, size_t id_len);

/* Note a contact just inserted for person p. Quietly not noted (and then
 * found in the store) when the map is off, out of memory or the id is too
 * large. */
void reg_cmap_add(struct reg_cmap *m, struct reg_person *p, uint64_t key, int64_t id,
                  bool stay, int64_t start, int64_t end);

/* The contact of person p with key, or NULL: then ask the store. */
const struct reg_cmap_entry *reg_cmap_find(const struct reg_cmap *m,
                                           const struct reg_person *p, uint64_t key);

static inline bool reg_cmap_is_stay(const struct reg_cmap_entry *e)
{
    return (e->next >> 31) != 0;
}

/* Forget every entry (after a rollback, whose contacts are gone) and the
 * persons' lists in pm (NULL: a map about to be dropped); with off, note
 * nothing more in this session (a stored contact was updated, so an entry
 * may be stale). */
void reg_cmap_clear(struct reg_cmap *m, struct reg_pmap *pm, bool off);

#endif /* KNOD_REGISTRY_REG_CMAP_H */
