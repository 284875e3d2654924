/* tests/unit/base/test_arena.c: src/base/arena.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/arena.h"

static void test_alignment_and_contents(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    char *prev = NULL;
    for (int i = 1; i < 5000; i++) {
        char *p = arena_alloc(&a, (size_t)(i % 97) + 1);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, i & 0xff, (size_t)(i % 97) + 1);
        if (prev != NULL)
            assert_int_equal((unsigned char)prev[0], (unsigned char)((i - 1) & 0xff));
        prev = p;
    }
    arena_release(&a);
    assert_null(a.head);
}

static void test_large_and_overflow(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    char *big = arena_alloc(&a, 10u * 1024 * 1024);
    assert_non_null(big);
    big[10u * 1024 * 1024 - 1] = 'x';
    char *small = arena_alloc(&a, 10);
    assert_non_null(small);
    assert_null(arena_alloc(&a, SIZE_MAX));
    assert_null(arena_calloc(&a, SIZE_MAX / 2, 4));
    int *z = arena_calloc(&a, 1000, sizeof *z);
    assert_non_null(z);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(z[i], 0);
    arena_release(&a);
}

static void test_strings(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    char *s = arena_strndup(&a, "hello world", 5);
    assert_string_equal(s, "hello");
    assert_string_equal(arena_strdup(&a, "åäö"), "åäö");
    assert_string_equal(arena_printf(&a, "%s:%d", "visits.csv", 41), "visits.csv:41");
    const unsigned char raw[3] = { 0, 1, 2 };
    unsigned char *m = arena_memdup(&a, raw, 3);
    assert_memory_equal(m, raw, 3);
    arena_release(&a);
}

static void test_mark_reset_reuses_memory(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    (void)arena_alloc(&a, 100);
    struct arena_mark m = arena_mark(&a);
    size_t before = a.total;
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < 2000; i++)
            assert_non_null(arena_alloc(&a, 200));
        (void)arena_alloc(&a, 1u << 20); /* a large block each round */
        arena_reset(&a, m);
        assert_int_equal(a.total, before);
    }
    char *p = arena_alloc(&a, 16);
    assert_non_null(p);
    arena_release(&a);
}

static void test_reset_to_empty_mark(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct arena_mark m = arena_mark(&a);
    assert_non_null(arena_alloc(&a, 1000));
    arena_reset(&a, m);
    assert_null(a.head);
    assert_int_equal(a.total, 0);
    arena_release(&a);
}

/* arena_grow keeps the elements, zeroes the new room, and leaves the array
 * as it was when it cannot grow. */
static void test_grow(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    int *v = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(arena_grow(&a, &v, n, &cap, sizeof *v), 0);
        assert_true(cap > n);
        assert_int_equal(v[n], 0); /* fresh room is zeroed */
        v[n++] = i * 7;
    }
    for (int i = 0; i < 1000; i++)
        assert_int_equal(v[i], i * 7);
    assert_true(cap >= 1000 && cap < 2048);
    size_t before = cap;
    assert_int_equal(arena_grow(&a, &v, 10, &cap, sizeof *v), 0); /* room left: no-op */
    assert_int_equal(cap, before);
    int *same = v;
    size_t huge = SIZE_MAX / 2 + 1;
    assert_int_equal(arena_grow(&a, &v, huge, &huge, sizeof *v), -1);
    assert_ptr_equal(v, same);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment_and_contents),
        cmocka_unit_test(test_large_and_overflow),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_mark_reset_reuses_memory),
        cmocka_unit_test(test_reset_to_empty_mark),
        cmocka_unit_test(test_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
