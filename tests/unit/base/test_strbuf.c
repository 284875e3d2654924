/* tests/unit/base/test_strbuf.c: src/base/strbuf.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/strbuf.h"

static void test_initial_state(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    assert_non_null(sb.buf);
    assert_int_equal(sb.len, 0);
    assert_string_equal(sb.buf, "");
    sb_release(&sb);
    assert_int_equal(sb.cap, 0);
}

static void test_add_and_grow(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(sb_addf(&sb, "%03d,", i), 0);
    assert_int_equal(sb.len, 4000);
    assert_memory_equal(sb.buf, "000,001,", 8);
    assert_memory_equal(sb.buf + 3996, "999,", 4);
    assert_int_equal(sb.buf[sb.len], '\0');
    sb_truncate(&sb, 3);
    assert_string_equal(sb.buf, "000");
    assert_int_equal(sb_addch(&sb, 'x'), 0);
    assert_int_equal(sb_addstr(&sb, "yz"), 0);
    assert_string_equal(sb.buf, "000xyz");
    sb_reset(&sb);
    assert_int_equal(sb.len, 0);
    assert_string_equal(sb.buf, "");
    sb_release(&sb);
}

static void test_binary_and_detach(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    assert_int_equal(sb_add(&sb, "a\0b", 3), 0);
    assert_int_equal(sb.len, 3);
    size_t len = 0;
    char *s = sb_detach(&sb, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(s, "a\0b", 4);
    free(s);
    assert_int_equal(sb.len, 0);
    /* Detaching an empty buffer still gives a string to free. */
    s = sb_detach(&sb, NULL);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
}

static void test_overflow_is_refused(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    assert_int_equal(sb_addstr(&sb, "keep"), 0);
    assert_int_not_equal(sb_grow(&sb, SIZE_MAX - 2), 0);
    assert_string_equal(sb.buf, "keep");
    sb_release(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_initial_state),
        cmocka_unit_test(test_add_and_grow),
        cmocka_unit_test(test_binary_and_detach),
        cmocka_unit_test(test_overflow_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
