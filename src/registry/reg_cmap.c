/* src/registry/reg_cmap.c: the contacts an import session stored itself.
 * See reg_cmap.h. */
#include "registry/reg_cmap.h"

#include <stdlib.h>
#include <string.h>

#define STAY_BIT (UINT32_C(1) << 31)

void reg_cmap_init(struct reg_cmap *m)
{
    memset(m, 0, sizeof *m);
    crypto_shorthash_keygen(m->hash_key);
}

void reg_cmap_release(struct reg_cmap *m)
{
    free(m->e);
    sodium_memzero(m, sizeof *m);
}

static bool grow(struct reg_cmap *m, size_t need)
{
    if (need <= m->cap)
        return true;
    size_t cap = m->cap ? m->cap : 1u << 16;
    while (cap < need)
        cap *= 2;
    struct reg_cmap_entry *e = realloc(m->e, cap * sizeof *e);
    if (e == NULL)
        return false;
    reg_advise_huge(e, cap * sizeof *e); /* lookups wander over the entries */
    m->e = e;
    m->cap = cap;
    return true;
}

void reg_cmap_reserve(struct reg_cmap *m, size_t n)
{
    if (!m->off)
        grow(m, m->n + n);
}

uint64_t reg_cmap_key(const struct reg_cmap *m, const char *sys, size_t sys_len,
                      const char *id, size_t id_len)
{
    /* Both are ids of at most 64 characters (RT_ID); a 0 byte between
     * them keeps ("ab", "c") apart from ("a", "bc"). */
    unsigned char buf[2 * 64 + 1];
    if (sys_len > 64 || id_len > 64)
        return 0;
    memcpy(buf, sys, sys_len);
    buf[sys_len] = 0;
    memcpy(buf + sys_len + 1, id, id_len);
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, buf, sys_len + 1 + id_len, m->hash_key);
    uint64_t k;
    memcpy(&k, out, sizeof k);
    return k;
}

void reg_cmap_add(struct reg_cmap *m, struct reg_person *p, uint64_t key, int64_t id,
                  bool stay, int64_t start, int64_t end)
{
    if (m->off || id <= 0 || id > (int64_t)UINT32_MAX || m->n >= (size_t)(STAY_BIT - 1)
        || !grow(m, m->n + 1))
        return;
    struct reg_cmap_entry *e = &m->e[m->n];
    e->key = key;
    e->start = start;
    e->end = end;
    e->id = (uint32_t)id;
    e->next = p->contacts | (stay ? STAY_BIT : 0);
    p->contacts = (uint32_t)++m->n;
}

const struct reg_cmap_entry *reg_cmap_find(const struct reg_cmap *m,
                                           const struct reg_person *p, uint64_t key)
{
    if (m->off)
        return NULL;
    for (uint32_t i = p->contacts; i != 0 && i <= m->n;) {
        const struct reg_cmap_entry *e = &m->e[i - 1];
        if (e->key == key)
            return e;
        i = e->next & ~STAY_BIT;
    }
    return NULL;
}

void reg_cmap_clear(struct reg_cmap *m, struct reg_pmap *pm, bool off)
{
    if (m->n > 0 && pm != NULL)
        for (size_t i = 0; i < pm->cap; i++)
            pm->slots[i].contacts = 0;
    m->n = 0;
    m->off = m->off || off;
}
