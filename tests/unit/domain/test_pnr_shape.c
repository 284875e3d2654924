/* tests/unit/domain/test_pnr_shape.c: src/domain/pnr_shape.c
 *
 * The rule of pnr_shape.h as a table of texts and what masking makes of
 * them, written out by hand: the written forms of a number (10 and 12
 * digits, '-' and '+'), samordningsnummer, numbers with a wrong check
 * digit (masked all the same), and the look-alikes that are left alone
 * (11 or 13 digits, no date, times and dates in their usual forms).
 * Numbers: Skatteverket's test numbers and 701063-2391 (samordningsnummer).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/pnr_shape.h"

struct mask_case {
    const char *in;
    const char *out; /* after pnr_mask() */
    int valid;       /* pnr_find_valid() */
};

static const struct mask_case cases[] = {
    /* the forms, valid numbers */
    { "200607092384", "XXXXXXXXXXXX", 1 },
    { "20060709-2384", "XXXXXXXX-XXXX", 1 },
    { "0607092384", "XXXXXXXXXX", 1 },
    { "060709-2384", "XXXXXX-XXXX", 1 },
    { "060709+2384", "XXXXXX+XXXX", 1 },
    { "701063-2391", "XXXXXX-XXXX", 1 },          /* samordningsnummer */
    /* in text, at either end, several */
    { "persons_20070505-5556.csv", "persons_XXXXXXXX-XXXX.csv", 1 },
    { "/in/200706066669.json", "/in/XXXXXXXXXXXX.json", 1 },
    { "Patient 20070808-8885 room", "Patient XXXXXXXX-XXXX room", 1 },
    { "p.csv:1: unknown column '20070101-1116'", "p.csv:1: unknown column 'XXXXXXXX-XXXX'", 1 },
    { "a200607092384b0607092384", "aXXXXXXXXXXXXbXXXXXXXXXX", 1 },
    { "HSA-060709-2384", "HSA-XXXXXX-XXXX", 1 },
    /* a wrong check digit, a made-up birth number: masked, not valid */
    { "20060709-2385", "XXXXXXXX-XXXX", 0 },
    { "19900360-0000", "XXXXXXXX-XXXX", 0 },     /* day not known (60) */
    { "0600002384", "0600002384", 0 },            /* day 00: no date (60 is "not known") */
    { "7013632391", "7013632391", 0 },            /* month 13: no date */
    /* dates and times as written are left alone */
    { "2024-01-15T09:30", "2024-01-15T09:30", 0 },
    { "2024-01-15 09:30:00", "2024-01-15 09:30:00", 0 },
    /* a timestamp and a phone number of ten digits read as dates: masked */
    { "202401150930", "XXXXXXXXXXXX", 0 },
    { "0701234567", "XXXXXXXXXX", 0 },
    /* no date where the number would have one */
    { "1234567890", "1234567890", 0 },            /* month 56 */
    { "SE2321000016-15BQ", "SE2321000016-15BQ", 0 },  /* an HSA-id (month 21) */
    { "170001012393", "170001012393", 0 },        /* year 1700 */
    { "220001012393", "220001012393", 0 },        /* year 2200 */
    /* wrong lengths */
    { "20060709238", "20060709238", 0 },          /* 11 digits */
    { "2006070923845", "2006070923845", 0 },      /* 13 digits */
    { "20060709-23845", "20060709-23845", 0 },    /* 5 after the separator */
    { "2006070-2384", "2006070-2384", 0 },        /* 7 before it */
    { "20060709--2384", "20060709--2384", 0 },
    { "20060709 2384", "20060709 2384", 0 },      /* a space is no separator */
    { "", "", 0 },
};

static void test_mask_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct mask_case *c = &cases[i];
        char buf[128];
        snprintf(buf, sizeof buf, "%s", c->in);
        size_t len = strlen(buf);
        size_t count = pnr_mask(buf, len);
        if (strcmp(buf, c->out) != 0)
            fail_msg("'%s' masked to '%s', expected '%s'", c->in, buf, c->out);
        int changed = strcmp(c->in, c->out) != 0;
        if ((count > 0) != changed)
            fail_msg("'%s': pnr_mask() returned %zu", c->in, count);
        if (pnr_find_shaped(c->in, len, NULL, NULL) != changed)
            fail_msg("'%s': pnr_find_shaped() says %d", c->in, !changed);
        if ((int)pnr_find_valid(c->in, len) != c->valid)
            fail_msg("'%s': pnr_find_valid() says %d", c->in, !c->valid);
        char copy[128];
        assert_string_equal(pnr_mask_copy(c->in, len, copy, sizeof copy), c->out);
    }
}

static void test_find_position_and_count(void **state)
{
    (void)state;
    size_t at = 99, n = 99;
    const char *s = "x 19990101 0607092384 and 060709-2384";
    assert_true(pnr_find_shaped(s, strlen(s), &at, &n));
    assert_int_equal(at, 11);
    assert_int_equal(n, 10);
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    assert_int_equal(pnr_mask(buf, strlen(buf)), 2);
    assert_string_equal(buf, "x 19990101 XXXXXXXXXX and XXXXXX-XXXX");
    /* Only the given length is looked at. */
    assert_false(pnr_find_shaped("0607092384", 9, NULL, NULL));
    assert_true(pnr_find_shaped("0607092384x", 10, NULL, NULL));
    /* A number right at the end of the given length, a digit after it. */
    assert_false(pnr_find_shaped("06070923845", 11, NULL, NULL));
}

/* A copy cut short masks a number the cut splits: no part of it shows. */
static void test_mask_copy_cut(void **state)
{
    (void)state;
    char out[16];
    assert_string_equal(pnr_mask_copy("persons_20070505-5556.csv", 25, out, sizeof out),
                        "persons_XXXXXXX");
    assert_string_equal(pnr_mask_copy("ab", 2, out, 1), "");
    assert_string_equal(pnr_mask_copy("0607092384", 10, out, 6), "XXXXX");
    /* Only len bytes are read; a number beyond them is not there. */
    assert_string_equal(pnr_mask_copy("x0607092384", 5, out, sizeof out), "x0607");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_table),
        cmocka_unit_test(test_find_position_and_count),
        cmocka_unit_test(test_mask_copy_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
