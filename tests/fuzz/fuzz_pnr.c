/* tests/fuzz/fuzz_pnr.c: fuzz target for src/domain/pnr.c.
 *
 * For any bytes: a valid number normalises to 12 digits whose check digit
 * holds and which parse again to the same kind, birth date and sex; an
 * invalid one leaves the struct wiped and a message that repeats no run of
 * six digits from the input (the number must never be echoed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/pnr.h"
#include "fuzz.h"

#define CHECK(x)                                                                     \
    do {                                                                             \
        if (!(x)) {                                                                  \
            fprintf(stderr, "fuzz_pnr: %s:%d: check failed: %s\n", __FILE__,         \
                    __LINE__, #x);                                                   \
            abort();                                                                 \
        }                                                                            \
    } while (0)

static bool luhn_ok(const char *ten)
{
    int sum = 0;
    for (int i = 0; i < 10; i++) {
        int v = (ten[i] - '0') * (i % 2 == 0 ? 2 : 1);
        sum += v / 10 + v % 10;
    }
    return sum % 10 == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    kn_day today = date_from_ymd(2026, 11, 23);
    struct pnr p, q;
    struct kn_error err = KN_ERROR_INIT;
    if (pnr_parse(s, size, today, &p, &err) == 0) {
        CHECK(strlen(p.digits) == 12);
        for (int i = 0; i < 12; i++)
            CHECK(p.digits[i] >= '0' && p.digits[i] <= '9');
        CHECK(luhn_ok(p.digits + 2));
        CHECK(p.sex == PNR_SEX_FEMALE || p.sex == PNR_SEX_MALE);
        CHECK(p.birth_month >= 0 && p.birth_month <= 12);
        CHECK(p.birth_day >= 0 && p.birth_day <= 31);
        char birth[11];
        pnr_format_birth(&p, birth);
        CHECK(strlen(birth) == 4 || strlen(birth) == 7 || strlen(birth) == 10);
        struct kn_error err2 = KN_ERROR_INIT;
        CHECK(pnr_parse(p.digits, 12, today, &q, &err2) == 0);
        CHECK(q.kind == p.kind && q.sex == p.sex && q.birth_year == p.birth_year
              && q.birth_month == p.birth_month && q.birth_day == p.birth_day);
        CHECK(strcmp(q.digits, p.digits) == 0);
        pnr_wipe(&q);
        pnr_wipe(&p);
        return 0;
    }
    static const struct pnr zero;
    CHECK(memcmp(&p, &zero, sizeof p) == 0);
    CHECK(err.code == KN_EINPUT && err.msg[0] != '\0');
    char digits[64];
    size_t nd = 0;
    for (size_t i = 0; i < size && nd < sizeof digits; i++)
        if (s[i] >= '0' && s[i] <= '9')
            digits[nd++] = s[i];
    for (size_t i = 0; i + 6 <= nd; i++) {
        char run[7];
        memcpy(run, digits + i, 6);
        run[6] = '\0';
        CHECK(strstr(err.msg, run) == NULL);
    }
    return 0;
}
