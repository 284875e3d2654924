/* src/registry/reg_pmap.h: pseudonym -> person, in memory, for imports.
 *
 * Every event row names its person by personnummer; after pseudonymising,
 * the importer finds the stored person here instead of asking the store
 * (a million persons fit in ~40 MB; an indexed SQL lookup per row would
 * cost more than the rest of the row's work). A large import loads every
 * stored person first; a small one asks the store once per person and
 * keeps the answer here (reg_persons.c). The key is the raw 16-byte
 * pseudonym, already a uniform keyed hash, so its first bytes serve as the
 * hash value. Open addressing, linear probing, load factor at most 1/2.
 *
 * Life cycle: reg_pmap_init() ... reg_pmap_put()/reg_pmap_find() ...
 * reg_pmap_release(). Entries never move between a put and the next put.
 */
#ifndef KNOD_REGISTRY_REG_PMAP_H
#define KNOD_REGISTRY_REG_PMAP_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "domain/pseudo.h"

struct reg_person {
    unsigned char key[PSEUDO_BYTES];
    int64_t id;          /* person.id in the store; 0 marks an empty slot */
    kn_day born;         /* earliest possible birth day (partial dates: the 1st) */
    uint32_t contacts;   /* the person's last entry in the session's reg_cmap + 1 */
};

struct reg_pmap {
    struct reg_person *slots;
    size_t cap; /* a power of two */
    size_t n;
};

/* Ask for 2 MiB pages (where the kernel allows, madvise mode) for the
 * whole 2 MiB blocks within [p, p + bytes): for the session's large maps,
 * whose lookups land on random entries and would also miss the TLB. */
void reg_advise_huge(void *p, size_t bytes);

/* Room for about `expect` persons before the first growth. 0 or KN_ENOMEM. */
int reg_pmap_init(struct reg_pmap *m, size_t expect);
void reg_pmap_release(struct reg_pmap *m);

/* Make room for n entries without growing again. 0 or KN_ENOMEM (the map
 * is then unchanged). */
int reg_pmap_reserve(struct reg_pmap *m, size_t n);

/* The entry for key, or NULL. */
struct reg_person *reg_pmap_find(const struct reg_pmap *m,
                                 const unsigned char key[PSEUDO_BYTES]);

/* The entry for key, made (with id 0) if missing; NULL if out of memory.
 * The caller sets id (non-zero) on a new entry before the next put. */
struct reg_person *reg_pmap_put(struct reg_pmap *m, const unsigned char key[PSEUDO_BYTES]);

#endif /* KNOD_REGISTRY_REG_PMAP_H */
