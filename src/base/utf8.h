/* src/base/utf8.h: strict UTF-8 validation for text from outside.
 *
 * Everything from a file, form or URL is checked here before it is used:
 * no overlong forms, no surrogates (U+D800..U+DFFF), nothing above
 * U+10FFFF, no truncated sequences. NUL bytes are rejected too, since no
 * knod text field may hold one.
 */
#ifndef KNOD_BASE_UTF8_H
#define KNOD_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True if the len bytes at s are valid UTF-8 without NUL. Otherwise false,
 * and *bad (if not NULL) is the byte offset of the first invalid byte. */
bool utf8_valid(const char *s, size_t len, size_t *bad);

/* Number of code points in valid UTF-8 (counts lead bytes). */
size_t utf8_length(const char *s, size_t len);

#endif /* KNOD_BASE_UTF8_H */
