/* src/base/arena.h: a region allocator with one owner.
 *
 * An arena hands out memory by bumping a pointer inside large blocks and
 * frees it all at once: per request, per import batch, per snapshot. Memory
 * from an arena is never freed piece by piece. A function that allocates
 * for its caller takes a struct arena * and its header says "lives in a".
 *
 * Life cycle: arena_init() (no allocation) ... arena_alloc() ...
 * arena_release() (frees every block; the arena may be used again).
 * arena_mark()/arena_reset() roll back to an earlier point, keeping the
 * blocks for reuse (a batch loop that allocates the same amount each time
 * then runs without malloc).
 *
 * Allocations are aligned to 16 bytes. Sizes are overflow-checked; a
 * request that overflows or that malloc cannot meet returns NULL.
 * Not thread-safe: one arena per thread.
 */
#ifndef KNOD_BASE_ARENA_H
#define KNOD_BASE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head;   /* current block, NULL before first use */
    size_t block_size;          /* size of the next ordinary block */
    size_t total;               /* bytes obtained from malloc, for stats */
};

#define ARENA_INIT { NULL, 0, 0 }

struct arena_mark {
    struct arena_block *block;
    size_t used;
};

/* Make an empty arena; allocates nothing. */
void arena_init(struct arena *a);

/* Free every block. Safe on an initialised or already released arena. */
void arena_release(struct arena *a);

/* size bytes, 16-byte aligned, uninitialised; NULL if out of memory. */
void *arena_alloc(struct arena *a, size_t size);

/* n * size bytes, zeroed; NULL on overflow or out of memory. */
void *arena_calloc(struct arena *a, size_t n, size_t size);

/* Room for element n of a growing array: *(T **)vp holds *cap elements of
 * size bytes, n of them used. When n == *cap, a new zeroed array of twice
 * the capacity (16 at first) with the n elements copied takes its place
 * (the old one stays in the arena until the arena is reset or released).
 * The loop that reads rows from a statement into the arena:
 *     if (arena_grow(a, &v, count, &cap, sizeof *v) != 0) -> out of memory
 *     read(&v[count++]);
 * 0, or -1 on overflow or out of memory (the array is unchanged). */
int arena_grow(struct arena *a, void *vp, size_t n, size_t *cap, size_t size);

/* A NUL-terminated copy of the len bytes at s. */
char *arena_strndup(struct arena *a, const char *s, size_t len);

/* A NUL-terminated copy of s. */
char *arena_strdup(struct arena *a, const char *s);

/* A copy of len bytes (no terminator added). */
void *arena_memdup(struct arena *a, const void *p, size_t len);

/* printf into fresh arena memory. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Remember the current fill point / roll back to it. Memory allocated after
 * the mark becomes invalid on reset; blocks are kept for reuse. */
struct arena_mark arena_mark(const struct arena *a);
void arena_reset(struct arena *a, struct arena_mark m);

#endif /* KNOD_BASE_ARENA_H */
