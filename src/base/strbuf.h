/* src/base/strbuf.h: a growable byte buffer, always NUL-terminated.
 *
 * Invariants: buf is never NULL (an empty buffer points at a shared empty
 * string), buf[len] == '\0', len < cap unless cap == 0. The contents may
 * hold NUL bytes; len is the truth.
 *
 * Life cycle: sb_init() or STRBUF_INIT (no allocation) ... sb_add*() ...
 * sb_release() (frees, back to the initial state). sb_reset() empties the
 * buffer and keeps its memory. sb_detach() hands the malloc'ed string to
 * the caller, who frees it with free(3).
 *
 * The buffer stays put: adding never moves the struct, only buf (so never
 * keep a pointer into buf across an add). An add that cannot allocate
 * returns KN_ENOMEM and leaves the buffer as it was.
 */
#ifndef KNOD_BASE_STRBUF_H
#define KNOD_BASE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

extern char sb_empty[1];

struct strbuf {
    char *buf;
    size_t len;
    size_t cap; /* bytes allocated at buf, 0 while buf == sb_empty */
};

#define STRBUF_INIT { sb_empty, 0, 0 }

void sb_init(struct strbuf *sb);
void sb_release(struct strbuf *sb);
void sb_reset(struct strbuf *sb);

/* Make room for n more bytes (plus the terminator). 0 or KN_ENOMEM. */
int sb_grow(struct strbuf *sb, size_t n);

int sb_add(struct strbuf *sb, const void *p, size_t len);
int sb_addstr(struct strbuf *sb, const char *s);
int sb_addch(struct strbuf *sb, char c);
int sb_addf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Shorten to len bytes (len <= sb->len). */
void sb_truncate(struct strbuf *sb, size_t len);

/* Hand over the string (malloc'ed, NUL-terminated; never NULL unless out
 * of memory); the buffer is left empty. *len_out may be NULL. */
char *sb_detach(struct strbuf *sb, size_t *len_out);

#endif /* KNOD_BASE_STRBUF_H */
