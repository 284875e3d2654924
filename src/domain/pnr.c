/* src/domain/pnr.c: parsing and checking personnummer and samordningsnummer.
 *
 * Work happens on a small stack copy of the digits that is wiped on every
 * path out. Messages describe the fault, never the digits. Importers call
 * this once per row, so it does no allocation and no locale-dependent
 * calls.
 */
#include "domain/pnr.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int two(const char *d)
{
    return (d[0] - '0') * 10 + (d[1] - '0');
}

/* Luhn check over the ten digits YYMMDDNNNC. */
static bool luhn_ok(const char *ten)
{
    int sum = 0;
    for (int i = 0; i < 10; i++) {
        int v = ten[i] - '0';
        if (i % 2 == 0) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

static const char *const month_names[13] = {
    "", "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
};

/* Compare a possibly partial birth date with today: >0 if after today. */
static int after_today(int y, int m, int d, struct kn_ymd t)
{
    if (y != t.year)
        return y > t.year;
    if (m == 0)
        return 0;
    if (m != t.month)
        return m > t.month;
    if (d == 0)
        return 0;
    return d > t.day;
}

static int parse_core(const char *s, size_t len, kn_day today, struct pnr *out,
                      struct kn_error *err, char *work /* 13 bytes */)
{
    while (len > 0 && is_space(s[0])) {
        s++;
        len--;
    }
    while (len > 0 && is_space(s[len - 1]))
        len--;
    if (len == 0)
        return kn_fail(err, KN_EINPUT, "the number is empty");

    /* Collect digits and find the separator. */
    size_t ndig = 0;
    char sep = 0;
    size_t sep_at = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (is_digit(c)) {
            if (ndig >= 12)
                return kn_fail(err, KN_EINPUT,
                               "too many digits; a personnummer has 10 or 12");
            work[ndig++] = c;
        } else if (c == '-' || c == '+') {
            if (sep != 0)
                return kn_fail(err, KN_EINPUT, "more than one separator");
            sep = c;
            sep_at = ndig;
        } else if (is_space(c)) {
            return kn_fail(err, KN_EINPUT,
                           "a space inside the number; only '-' or '+' may separate");
        } else {
            return kn_fail(err, KN_EINPUT,
                           "a character that is not a digit, '-' or '+' at position %zu",
                           i + 1);
        }
    }
    work[ndig] = '\0';
    if (ndig != 10 && ndig != 12)
        return kn_fail(err, KN_EINPUT,
                       "%zu digits; a personnummer has 10 or 12", ndig);
    if (sep != 0 && sep_at != ndig - 4)
        return kn_fail(err, KN_EINPUT,
                       "the separator must stand before the last four digits");
    if (sep == '+' && ndig == 12)
        return kn_fail(err, KN_EINPUT,
                       "'+' is only used in the 10-digit form (age 100 or over)");

    const char *ten = work + (ndig == 12 ? 2 : 0); /* YYMMDDNNNC */
    int yy = two(ten);
    int month = two(ten + 2);
    int dd = two(ten + 4);
    int birthno = (ten[6] - '0') * 100 + (ten[7] - '0') * 10 + (ten[8] - '0');

    enum pnr_kind kind = PNR_PERSONNUMMER;
    int day = dd;
    if (dd >= 60) {
        kind = PNR_SAMORDNINGSNUMMER;
        day = dd - 60;
    }
    if (month > 12)
        return kn_fail(err, KN_EINPUT, "month %02d does not exist", month);
    if (month == 0 && kind != PNR_SAMORDNINGSNUMMER)
        return kn_fail(err, KN_EINPUT,
                       "month 00 is only used in a samordningsnummer");
    if (day > 31 || (day == 0 && kind != PNR_SAMORDNINGSNUMMER))
        return kn_fail(err, KN_EINPUT, "day %02d does not exist", dd);

    struct kn_ymd t = date_to_ymd(today);
    int year;
    if (ndig == 12) {
        year = two(work) * 100 + yy;
        if (year < 1800)
            return kn_fail(err, KN_EINPUT,
                           "the year is before 1800; no personnummer was issued then");
        if (after_today(year, month, day, t))
            return kn_fail(err, KN_EINPUT,
                           "the birth date is after the reference date");
    } else {
        year = t.year - ((t.year - yy) % 100 + 100) % 100; /* latest year ending in yy */
        if (after_today(year, month, day, t))
            year -= 100;
        if (sep == '+')
            year -= 100;
    }
    if (month != 0 && day != 0 && !date_valid(year, month, day))
        return kn_fail(err, KN_EINPUT, "day %02d does not exist in %s %d",
                       day, month_names[month], year);
    if (birthno == 0)
        return kn_fail(err, KN_EINPUT, "birth number 000 is never assigned");
    if (!luhn_ok(ten))
        return kn_fail(err, KN_EINPUT, "the check digit does not match");

    out->kind = kind;
    out->sex = (ten[8] - '0') % 2 == 1 ? PNR_SEX_MALE : PNR_SEX_FEMALE;
    out->birth_year = year;
    out->birth_month = month;
    out->birth_day = day;
    out->digits[0] = (char)('0' + year / 1000);
    out->digits[1] = (char)('0' + year / 100 % 10);
    memcpy(out->digits + 2, ten, 10);
    out->digits[12] = '\0';
    return 0;
}

int pnr_parse(const char *s, size_t len, kn_day today, struct pnr *out,
              struct kn_error *err)
{
    char work[13];
    memset(out, 0, sizeof *out);
    int rc = parse_core(s, len, today, out, err, work);
    sodium_memzero(work, sizeof work);
    if (rc != 0)
        pnr_wipe(out);
    return rc;
}

bool pnr_birth_date(const struct pnr *p, kn_day *birth)
{
    if (p->birth_month == 0 || p->birth_day == 0)
        return false;
    if (birth != NULL)
        *birth = date_from_ymd(p->birth_year, p->birth_month, p->birth_day);
    return true;
}

void pnr_format_birth(const struct pnr *p, char buf[11])
{
    /* Clamped for the compiler's sake; parse guarantees 1800..9999. */
    unsigned y = (unsigned)p->birth_year % 10000u;
    unsigned m = (unsigned)p->birth_month % 13u;
    unsigned d = (unsigned)p->birth_day % 32u;
    if (m == 0)
        snprintf(buf, 11, "%04u", y);
    else if (d == 0)
        snprintf(buf, 11, "%04u-%02u", y, m);
    else
        snprintf(buf, 11, "%04u-%02u-%02u", y, m, d);
}

const char *pnr_kind_name(enum pnr_kind kind)
{
    return kind == PNR_SAMORDNINGSNUMMER ? "samordningsnummer" : "personnummer";
}

const char *pnr_sex_code(enum pnr_sex sex)
{
    return sex == PNR_SEX_MALE ? "M" : "F";
}

void pnr_wipe(struct pnr *p)
{
    sodium_memzero(p, sizeof *p);
}
