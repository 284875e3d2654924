/* src/base/text.h: small helpers for parsers and their messages.
 *
 * text_quote() makes a bounded, printable copy of input for an error
 * message (control and non-ASCII bytes become '?', long input is cut with
 * "..."), so a message never carries raw bytes from a file. text_digits()
 * reads a fixed number of ASCII digits.
 *
 * Comma-separated lists ("a,b,c": the hub's front-matter lists and query
 * strings, the network's multiple choices, command options such as --id)
 * are walked with text_list_next(), one item at a time, in place:
 *
 *     const char *item;
 *     size_t len;
 *     for (const char *p = list; text_list_next(&p, &item, &len);)
 *         ... item[0 .. len) ...
 *
 * The items are the runs between commas, byte for byte: "a,,b" has an
 * empty item in the middle (len 0), for the caller to refuse or skip, and
 * a comma at the very end adds none ("a," is one item). A NULL or empty
 * list has no items. text_trim() takes the blanks around an item off when
 * the caller allows them.
 */
#ifndef KNOD_BASE_TEXT_H
#define KNOD_BASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#define TEXT_QUOTE_MAX 40

/* At most TEXT_QUOTE_MAX bytes of s, printable, NUL-terminated, in buf;
 * returns buf. */
const char *text_quote(const char *s, size_t len, char buf[TEXT_QUOTE_MAX + 4]);

/* The value of the n ASCII digits at s, or -1 if any is not a digit
 * (n <= 9). */
int text_digits(const char *s, size_t n);

/* The next item of the list at *p (NULL or "" when done): its start in
 * *item and its length in *len, and *p moved past it and its comma.
 * Returns false, and leaves *item and *len alone, when there is none. */
bool text_list_next(const char **p, const char **item, size_t *len);

/* Does list (NULL: no items) hold item as one of its items, blanks
 * (spaces, tabs, carriage returns) around an item ignored? An empty item
 * is never found. */
bool text_list_has(const char *list, const char *item);

/* Move *s past leading and shorten *len by trailing spaces, tabs and
 * carriage returns. */
void text_trim(const char **s, size_t *len);

#endif /* KNOD_BASE_TEXT_H */
