/* src/base/arena.c: blocks in a singly linked list, newest first.
 *
 * Ordinary blocks start at 64 KiB and double up to 8 MiB, so a snapshot of
 * millions of rows costs a few hundred mallocs. A request larger than a
 * quarter of the block size gets a block of its own. The newest block is
 * always the head, so arena_reset() frees everything made after a mark.
 */
#include "base/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_FIRST (64u * 1024u)
#define ARENA_MAXBLOCK (8u * 1024u * 1024u)

struct arena_block {
    struct arena_block *next;
    size_t size; /* usable bytes in data[] */
    size_t used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

void arena_init(struct arena *a)
{
    a->head = NULL;
    a->block_size = ARENA_FIRST;
    a->total = 0;
}

void arena_release(struct arena *a)
{
    struct arena_block *b = a->head;
    while (b != NULL) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    arena_init(a);
}

static struct arena_block *block_new(size_t size)
{
    if (size > SIZE_MAX - sizeof(struct arena_block))
        return NULL;
    struct arena_block *b = malloc(sizeof *b + size);
    if (b == NULL)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

void *arena_alloc(struct arena *a, size_t size)
{
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX - ARENA_ALIGN)
        return NULL;
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    struct arena_block *h = a->head;

    if (h != NULL && h->size - h->used >= need) {
        void *p = h->data + h->used;
        h->used += need;
        return p;
    }
    if (a->block_size == 0)
        a->block_size = ARENA_FIRST;
    /* A large request gets a block of its own; an ordinary one a fresh
     * block of block_size. Either becomes the head, so arena_reset() frees
     * it; the old head's free tail is given up. */
    size_t bsize = need > a->block_size / 4 ? need : a->block_size;
    struct arena_block *b = block_new(bsize);
    if (b == NULL)
        return NULL;
    a->total += bsize;
    if (bsize == a->block_size && a->block_size < ARENA_MAXBLOCK)
        a->block_size *= 2;
    b->next = h;
    b->used = need;
    a->head = b;
    return b->data;
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    void *p = arena_alloc(a, n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

int arena_grow(struct arena *a, void *vp, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap : 8;
    if (ncap > SIZE_MAX / 2)
        return -1;
    ncap *= 2;
    if (ncap <= n)
        ncap = n + 1;
    void *old, *more = arena_calloc(a, ncap, size);
    if (more == NULL)
        return -1;
    memcpy(&old, vp, sizeof old);
    if (n != 0)
        memcpy(more, old, n * size);
    memcpy(vp, &more, sizeof more);
    *cap = ncap;
    return 0;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = arena_alloc(a, len + 1);
    if (p == NULL)
        return NULL;
    if (len > 0)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

void *arena_memdup(struct arena *a, const void *p, size_t len)
{
    void *q = arena_alloc(a, len);
    if (q != NULL && len > 0)
        memcpy(q, p, len);
    return q;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = arena_alloc(a, (size_t)n + 1);
    if (p == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

struct arena_mark arena_mark(const struct arena *a)
{
    struct arena_mark m = { a->head, a->head ? a->head->used : 0 };
    return m;
}

void arena_reset(struct arena *a, struct arena_mark m)
{
    /* Free the blocks made after the mark; keep the marked one. */
    while (a->head != NULL && a->head != m.block) {
        struct arena_block *next = a->head->next;
        a->total -= a->head->size;
        free(a->head);
        a->head = next;
    }
    if (a->head != NULL)
        a->head->used = m.used;
}
