/* src/registry/reg_pmap.c: open-addressing map of pseudonyms. */
#include "registry/reg_pmap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/error.h"

#define HUGE_PAGE ((size_t)2 << 20)

void reg_advise_huge(void *p, size_t bytes)
{
    uintptr_t from = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t to = ((uintptr_t)p + bytes) & ~(uintptr_t)(HUGE_PAGE - 1);
    if (to > from)
        madvise((void *)from, to - from, MADV_HUGEPAGE);
}

/* Zeroed slots; a large table aligned to 2 MiB pages (reg_advise_huge). */
static struct reg_person *alloc_slots(size_t cap)
{
    size_t bytes = cap * sizeof(struct reg_person);
    if (bytes < HUGE_PAGE)
        return calloc(cap, sizeof(struct reg_person));
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, bytes) != 0)
        return NULL;
    reg_advise_huge(p, bytes);
    memset(p, 0, bytes);
    return p;
}

static size_t slot_of(const unsigned char *key, size_t cap)
{
    uint64_t h;
    memcpy(&h, key, sizeof h);
    return (size_t)h & (cap - 1);
}

int reg_pmap_init(struct reg_pmap *m, size_t expect)
{
    size_t cap = 1024;
    while (cap < expect * 2)
        cap *= 2;
    m->slots = alloc_slots(cap);
    m->cap = m->slots ? cap : 0;
    m->n = 0;
    return m->slots ? 0 : KN_ENOMEM;
}

void reg_pmap_release(struct reg_pmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->n = 0;
}

struct reg_person *reg_pmap_find(const struct reg_pmap *m,
                                 const unsigned char key[PSEUDO_BYTES])
{
    if (m->cap == 0)
        return NULL;
    for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
        struct reg_person *p = &m->slots[i];
        if (p->id == 0)
            return NULL;
        if (memcmp(p->key, key, PSEUDO_BYTES) == 0)
            return p;
    }
}

static int rehash(struct reg_pmap *m, size_t cap)
{
    struct reg_person *slots = alloc_slots(cap);
    if (slots == NULL)
        return KN_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].id == 0)
            continue;
        size_t j = slot_of(m->slots[i].key, cap);
        while (slots[j].id != 0)
            j = (j + 1) & (cap - 1);
        slots[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

static int grow(struct reg_pmap *m)
{
    return rehash(m, m->cap * 2);
}

int reg_pmap_reserve(struct reg_pmap *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 1024;
    while (cap < n * 2)
        cap *= 2;
    return cap > m->cap ? rehash(m, cap) : 0;
}

struct reg_person *reg_pmap_put(struct reg_pmap *m, const unsigned char key[PSEUDO_BYTES])
{
    struct reg_person *p = reg_pmap_find(m, key);
    if (p != NULL)
        return p;
    if ((m->n + 1) * 2 > m->cap && grow(m) != 0)
        return NULL;
    size_t i = slot_of(key, m->cap);
    while (m->slots[i].id != 0)
        i = (i + 1) & (m->cap - 1);
    p = &m->slots[i];
    memcpy(p->key, key, PSEUDO_BYTES);
    m->n++;
    return p;
}
