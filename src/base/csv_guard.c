/* src/base/csv_guard.c: the spreadsheet guard of knod's CSV. See
 * csv_guard.h. */
#include "base/csv_guard.h"

static bool starts_formula(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* The first byte after the leading quotes, or -1 when there is none. */
static int after_quotes(const char *s, size_t len, size_t *quotes)
{
    size_t i = 0;
    while (i < len && s[i] == '\'')
        i++;
    *quotes = i;
    return i < len ? (unsigned char)s[i] : -1;
}

bool csv_guard_needed(const char *s, size_t len)
{
    size_t q;
    int c = after_quotes(s, len, &q);
    return c >= 0 && starts_formula((char)c);
}

bool csv_guard_present(const char *s, size_t len)
{
    size_t q;
    int c = after_quotes(s, len, &q);
    return q > 0 && c >= 0 && starts_formula((char)c);
}
