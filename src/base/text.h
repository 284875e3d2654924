/* src/base/text.h: small helpers for parsers and their messages.
 *
 * text_quote() makes a bounded, printable copy of input for an error
 * message (control and non-ASCII bytes become '?', long input is cut with
 * "..."), so a message never carries raw bytes from a file. text_digits()
 * reads a fixed number of ASCII digits.
 */
#ifndef KNOD_BASE_TEXT_H
#define KNOD_BASE_TEXT_H

#include <stddef.h>

#define TEXT_QUOTE_MAX 40

/* At most TEXT_QUOTE_MAX bytes of s, printable, NUL-terminated, in buf;
 * returns buf. */
const char *text_quote(const char *s, size_t len, char buf[TEXT_QUOTE_MAX + 4]);

/* The value of the n ASCII digits at s, or -1 if any is not a digit
 * (n <= 9). */
int text_digits(const char *s, size_t n);

#endif /* KNOD_BASE_TEXT_H */
