/* src/snapshot/snap_cols.c: the block the snapshot's columns live in,
 * shared between a snapshot and those patched from it (snap_impl.h).
 *
 * One allocation per block; the columns of 4 bytes first, then those of 2
 * and of 1, so every column is aligned. The room beyond the events (a
 * quarter) is address space only until a patch writes there: pages are
 * given to a process when first touched. */
#include <stdlib.h>

#include "snapshot/snap_impl.h"

size_t snap_cols_room(size_t n)
{
    return (n + n / 4 + 1024 + 63) & ~(size_t)63;
}

struct snap_cols *snap_cols_new(size_t cap)
{
    struct snap_cols *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    cap = (cap + 63) & ~(size_t)63;
    if (cap == 0)
        cap = 64;
    c->mem = malloc(cap * 18);
    if (!c->mem) {
        free(c);
        return NULL;
    }
    uint8_t *m = c->mem;
    c->cap = cap;
    c->t = (int32_t *)(void *)m;
    c->dur = (uint32_t *)(void *)(m + cap * 4);
    c->unit = (uint16_t *)(void *)(m + cap * 8);
    c->code = (uint16_t *)(void *)(m + cap * 10);
    c->diag = (uint16_t *)(void *)(m + cap * 12);
    c->kind = m + cap * 14;
    c->sub = m + cap * 15;
    c->flags = m + cap * 16;
    c->kind_pos = m + cap * 17;
    atomic_init(&c->refs, 0);
    atomic_init(&c->used, 0);
    return c;
}

void snap_cols_attach(struct snap *s, struct snap_cols *c)
{
    atomic_fetch_add(&c->refs, 1);
    s->cols = c;
    s->t = c->t;
    s->dur = c->dur;
    s->unit = c->unit;
    s->code = c->code;
    s->diag = c->diag;
    s->kind = c->kind;
    s->sub = c->sub;
    s->flags = c->flags;
    s->kind_pos = c->kind_pos;
}

void snap_cols_unref(struct snap_cols *c)
{
    if (c && atomic_fetch_sub(&c->refs, 1) == 1) {
        free(c->mem);
        free(c);
    }
}

bool snap_cols_claim(struct snap_cols *c, size_t from, size_t n)
{
    if (from > c->cap || n > c->cap - from)
        return false;
    size_t expect = from;
    return atomic_compare_exchange_strong(&c->used, &expect, from + n);
}
