/* tests/unit/lang/ind_testutil.h: what the indicator-language tests
 * (test_ind_parse.c, test_ind_errors.c, test_ind_catalogue.c) share.
 *
 * Each test gets an empty catalogue CAT in the arena A (setup/teardown,
 * cmocka fixtures). parse_ok() must add a definition and returns the first
 * new one; parse_err() must fail with KN_EINPUT and a message starting with
 * the exact "file:line:col:" and leave the catalogue unchanged;
 * check_ok()/check_err() run ind_catalogue_check on the whole catalogue.
 *
 * Most texts are HDR(from) + statements + TAIL: lines 1-9 are the header
 * (line 9 is `from`), so the statement under test stands on line 10.
 *
 * Header-only (static inline functions, a private A and CAT in each test
 * file) so that each test stays one source file. Include <cmocka.h> first.
 */
#ifndef KNOD_TESTS_IND_TESTUTIL_H
#define KNOD_TESTS_IND_TESTUTIL_H

#include <string.h>

#include "base/arena.h"
#include "base/error.h"
#include "lang/ind.h"

#define HDR(from)                                                                        \
    "indicator t-x\n"                                                                    \
    "version 1\n"                                                                        \
    "title sv \"Titel\"\n"                                                               \
    "title en \"Title\"\n"                                                               \
    "description sv \"Beskrivning\"\n"                                                   \
    "description en \"Description\"\n"                                                   \
    "owner \"NAG\"\n"                                                                    \
    "goal self-harm\n"                                                                   \
    "from " from "\n"
#define TAIL "measure n count events\ndirection lower\n"

#define DAY  (86400LL)
#define HOUR (3600LL)

static struct arena A;
static struct ind_catalogue CAT;

static inline int setup(void **state)
{
    (void)state;
    arena_init(&A);
    memset(&CAT, 0, sizeof CAT);
    return 0;
}

static inline int teardown(void **state)
{
    (void)state;
    arena_release(&A);
    return 0;
}

/* Parse text (a string literal: it may hold NUL bytes) as "t.ind"; must
 * succeed. The first new definition. */
#define parse_ok(text) parse_ok_(text, sizeof(text) - 1, __LINE__)
static inline const struct ind_def *parse_ok_(const char *text, size_t len, int line)
{
    struct kn_error err = KN_ERROR_INIT;
    size_t before = CAT.n;
    if (ind_parse(&CAT, "t.ind", text, len, &A, &err) != 0)
        fail_msg("test line %d: parse failed: %s", line, err.msg);
    if (CAT.n <= before)
        fail_msg("test line %d: no definition added", line);
    return &CAT.defs[before];
}

/* Parse text; must fail with KN_EINPUT and a message that starts with want
 * (the "t.ind:line:col: " prefix and the message's start), leaving the
 * catalogue as it was. */
#define parse_err(text, want) parse_err_(text, sizeof(text) - 1, want, __LINE__)
static inline void parse_err_(const char *text, size_t len, const char *want, int line)
{
    struct kn_error err = KN_ERROR_INIT;
    size_t before = CAT.n;
    int rc = ind_parse(&CAT, "t.ind", text, len, &A, &err);
    if (rc != KN_EINPUT)
        fail_msg("test line %d: rc %d, expected KN_EINPUT (%s)", line, rc, err.msg);
    if (strncmp(err.msg, want, strlen(want)) != 0)
        fail_msg("test line %d:\n  got  '%s'\n  want '%s...'", line, err.msg, want);
    if (CAT.n != before)
        fail_msg("test line %d: a failed parse changed the catalogue", line);
}

/* ind_catalogue_check must fail with a message starting with want. */
static inline void check_err(const char *want)
{
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(ind_catalogue_check(&CAT, &err), KN_EINPUT);
    if (strncmp(err.msg, want, strlen(want)) != 0)
        fail_msg("got  '%s'\nwant '%s...'", err.msg, want);
}

static inline void check_ok(void)
{
    struct kn_error err = KN_ERROR_INIT;
    if (ind_catalogue_check(&CAT, &err) != 0)
        fail_msg("catalogue check failed: %s", err.msg);
}

#endif /* KNOD_TESTS_IND_TESTUTIL_H */
