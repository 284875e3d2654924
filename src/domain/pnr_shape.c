/* src/domain/pnr_shape.c: the scanner of pnr_shape.h.
 *
 * One pass: at the first digit of each run of digits, the run (and a
 * separator with four digits after it) is measured and its date part
 * checked; a run that does not match is skipped whole.
 */
#include "domain/pnr_shape.h"

#include <string.h>

#include "base/date.h"
#include "base/error.h"
#include "domain/pnr.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Could the digits at d (a year of ylen digits, month, day) be the date
 * part of a personnummer or samordningsnummer? Generous on purpose. */
static bool date_part(const char *d, int ylen)
{
    int y = num(d, ylen), m = num(d + ylen, 2), day = num(d + ylen + 2, 2);
    if (ylen == 4 && (y < 1800 || y > 2199))
        return false;
    return m <= 12 && ((day >= 1 && day <= 31) || (day >= 60 && day <= 91));
}

/* The length of the shaped part that starts at s[i] (the first digit of a
 * run), or 0; *run gets the length of the run of digits at i. */
static size_t shaped_at(const char *s, size_t len, size_t i, size_t *run)
{
    size_t j = i;
    while (j < len && is_digit(s[j]))
        j++;
    *run = j - i;
    if (*run == 12 && date_part(s + i, 4))
        return 12;
    if (*run == 10 && date_part(s + i, 2))
        return 10;
    if ((*run == 8 || *run == 6) && len - j >= 5 && (s[j] == '-' || s[j] == '+')
        && is_digit(s[j + 1]) && is_digit(s[j + 2]) && is_digit(s[j + 3])
        && is_digit(s[j + 4]) && (len - j == 5 || !is_digit(s[j + 5]))
        && date_part(s + i, *run == 8 ? 4 : 2))
        return *run + 5;
    return 0;
}

/* The next shaped part at or after *from: true with *at, *n set. */
static bool next_shaped(const char *s, size_t len, size_t *from, size_t *at, size_t *n)
{
    size_t i = *from;
    while (i < len) {
        if (!is_digit(s[i])) {
            i++;
            continue;
        }
        size_t run;
        size_t m = shaped_at(s, len, i, &run);
        if (m > 0) {
            *at = i;
            *n = m;
            *from = i + m;
            return true;
        }
        i += run; /* past the whole run: a digit inside one never starts one */
    }
    *from = len;
    return false;
}

bool pnr_find_shaped(const char *s, size_t len, size_t *at, size_t *n)
{
    size_t from = 0, a, m;
    if (!next_shaped(s, len, &from, &a, &m))
        return false;
    if (at != NULL)
        *at = a;
    if (n != NULL)
        *n = m;
    return true;
}

bool pnr_find_valid(const char *s, size_t len)
{
    size_t from = 0, a, m;
    while (next_shaped(s, len, &from, &a, &m)) {
        struct pnr p;
        struct kn_error ignore;
        kn_error_init(&ignore);
        /* Any date after every birth date will do for the century. */
        bool valid = pnr_parse(s + a, m, date_from_ymd(9999, 12, 31), &p, &ignore) == 0;
        pnr_wipe(&p);
        if (valid)
            return true;
    }
    return false;
}

size_t pnr_mask(char *s, size_t len)
{
    size_t from = 0, a, m, count = 0;
    while (next_shaped(s, len, &from, &a, &m)) {
        for (size_t k = a; k < a + m; k++)
            if (is_digit(s[k]))
                s[k] = PNR_MASK_CHAR;
        count++;
    }
    return count;
}

char *pnr_mask_copy(const char *s, size_t len, char *out, size_t cap)
{
    size_t keep = len < cap - 1 ? len : cap - 1;
    memcpy(out, s, keep);
    out[keep] = '\0';
    /* Scan the whole of s, so that a number the cut splits is found. */
    size_t from = 0, a, m;
    while (next_shaped(s, len, &from, &a, &m))
        for (size_t k = a; k < a + m && k < keep; k++)
            if (is_digit(out[k]))
                out[k] = PNR_MASK_CHAR;
    return out;
}
