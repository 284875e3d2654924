/* src/domain/pnr_shape.h: finding what looks like a personnummer in text.
 *
 * pnr.h checks one field that is meant to be a number. This file finds a
 * number where none should be: in a file name, an id, a unit's name, or
 * any text that goes into a message, a reject file or the store. It is the
 * one scanner knod has for that; every message that quotes input masks
 * it here, and every text field of an import is checked here.
 *
 * A part of a text is "shaped like a personnummer" when it is
 *   - a run of 10 or 12 digits, or
 *   - a run of 6 or 8 digits, a '-' or '+', and 4 digits,
 * with no digit right before or after it, and its date part could be a
 * date: for the 12-digit forms (8 digits before the separator) the year
 * YYYY is 1800..2199, for the 10-digit forms any YY; the month is 00..12;
 * the day 01..31, or 61..91 (a samordningsnummer: day + 60, 60 when the
 * day is not known). The birth number and the check digit are not looked
 * at: a number with a wrong check digit, or a made-up one, is still
 * masked, since an almost-right number is still personal data. A
 * timestamp ("202401150930") or a phone number of ten digits may match
 * too; masking those costs nothing. Runs of 11 or of 13 and more digits
 * never match.
 *
 * "Holds a personnummer" (pnr_find_valid) is narrower: a shaped part that
 * pnr_parse() accepts (a real date, a birth number other than 000 and a
 * matching check digit). Ids are refused for that, not for the shape, so
 * that ids made of a timestamp stay usable.
 *
 * Nothing here allocates or depends on the locale; the scan is one pass
 * over the bytes, cheap enough for every text field of an import.
 */
#ifndef KNOD_DOMAIN_PNR_SHAPE_H
#define KNOD_DOMAIN_PNR_SHAPE_H

#include <stdbool.h>
#include <stddef.h>

/* The character that replaces each digit of a masked number. */
#define PNR_MASK_CHAR 'X'

/* Find the first part of s[0..len) shaped like a personnummer (above).
 * Returns true and sets *at and *n (either may be NULL) to its offset and
 * length, separator included; false if there is none. */
bool pnr_find_shaped(const char *s, size_t len, size_t *at, size_t *n);

/* True if s[0..len) holds a valid personnummer or samordningsnummer in any
 * written form anywhere in it (see above). */
bool pnr_find_valid(const char *s, size_t len);

/* Overwrite every digit of every shaped part of s[0..len) with
 * PNR_MASK_CHAR, in place; the length and everything else stay
 * ("persons_20070505-5556.csv" -> "persons_XXXXXXXX-XXXX.csv"). Returns
 * the number of parts masked. */
size_t pnr_mask(char *s, size_t len);

/* Copy s[0..len) into out (cap > 0 bytes, always NUL-terminated, cut if
 * too long) with every shaped part masked as by pnr_mask(). A number that
 * the cut splits is masked all the same: no digit of it shows. A NUL in s
 * ends the copy early. Returns out. */
char *pnr_mask_copy(const char *s, size_t len, char *out, size_t cap);

#endif /* KNOD_DOMAIN_PNR_SHAPE_H */
