/* tests/unit/hub/test_hub_diff.c: src/hub/hub_diff.c: known edit scripts,
 * the unified format of diff -u, word pieces, and the shortest script
 * checked against a textbook LCS table on random sequences. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hub/hub_diff.h"

/* One token per character of s. */
static struct hub_diff_span *chars(const char *s, size_t *n, struct arena *a)
{
    *n = strlen(s);
    struct hub_diff_span *v = arena_alloc(a, (*n + 1) * sizeof *v);
    for (size_t i = 0; i < *n; i++)
        v[i] = (struct hub_diff_span){s + i, 1};
    return v;
}

/* The script is valid: SAME pairs equal tokens, and walking it consumes
 * a and b in order, each exactly once. Returns the number of SAME. */
static size_t check_script(const struct hub_diff_span *a, size_t na,
                           const struct hub_diff_span *b, size_t nb,
                           const struct hub_diff_edit *e, size_t n)
{
    size_t x = 0, y = 0, kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (e[i].op == HUB_DIFF_SAME) {
            assert_int_equal(e[i].a, x);
            assert_int_equal(e[i].b, y);
            assert_int_equal(a[x].len, b[y].len);
            assert_memory_equal(a[x].s, b[y].s, a[x].len);
            x++, y++, kept++;
        } else if (e[i].op == HUB_DIFF_DEL) {
            assert_int_equal(e[i].a, x);
            x++;
        } else {
            assert_int_equal(e[i].op, HUB_DIFF_ADD);
            assert_int_equal(e[i].b, y);
            y++;
        }
    }
    assert_int_equal(x, na);
    assert_int_equal(y, nb);
    return kept;
}

/* The length of the longest common subsequence, by the textbook table. */
static size_t lcs(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    size_t *t = calloc((na + 1) * (nb + 1), sizeof *t);
    for (size_t i = 1; i <= na; i++)
        for (size_t j = 1; j <= nb; j++) {
            size_t up = t[(i - 1) * (nb + 1) + j], left = t[i * (nb + 1) + j - 1];
            t[i * (nb + 1) + j] = a[i - 1] == b[j - 1] ? t[(i - 1) * (nb + 1) + j - 1] + 1
                                  : up > left        ? up
                                                     : left;
        }
    size_t r = t[na * (nb + 1) + nb];
    free(t);
    return r;
}

static void script_of(const char *sa, const char *sb, char *ops)
{
    struct arena a;
    struct kn_error err = KN_ERROR_INIT;
    struct hub_diff_edit *e;
    size_t na, nb, n;
    arena_init(&a);
    struct hub_diff_span *x = chars(sa, &na, &a), *y = chars(sb, &nb, &a);
    assert_int_equal(hub_diff_seq(x, na, y, nb, &e, &n, &a, &err), 0);
    check_script(x, na, y, nb, e, n);
    for (size_t i = 0; i < n; i++)
        ops[i] = (char)e[i].op;
    ops[n] = '\0';
    arena_release(&a);
}

/* Myers' own example: ABCABBA -> CBABAC has distance 5 and an LCS of 4;
 * and small scripts whose shortest form is unique. */
static void test_known_scripts(void **state)
{
    (void)state;
    char ops[64];
    script_of("ABCABBA", "CBABAC", ops);
    size_t del = 0, add = 0;
    for (char *p = ops; *p; p++)
        del += *p == '-', add += *p == '+';
    assert_int_equal(del + add, 5);
    assert_int_equal(strlen(ops) - del - add, 4);

    script_of("abc", "axc", ops);
    assert_string_equal(ops, " -+ "); /* the removal before the addition */
    script_of("", "ab", ops);
    assert_string_equal(ops, "++");
    script_of("ab", "", ops);
    assert_string_equal(ops, "--");
    script_of("abcd", "abcd", ops);
    assert_string_equal(ops, "    ");
    script_of("abcd", "bcde", ops);
    assert_string_equal(ops, "-   +");
    script_of("xaby", "xy", ops);
    assert_string_equal(ops, " -- ");
}

/* Random sequences over a small alphabet: every script is valid and
 * keeps exactly an LCS's worth of tokens (so it is a shortest one). */
static void test_shortest_against_lcs(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    char sa[64], sb[64], ops[130];
    for (int round = 0; round < 2000; round++) {
        size_t na, nb;
        seed = seed * 1103515245u + 12345u;
        na = (seed >> 16) % 40;
        seed = seed * 1103515245u + 12345u;
        nb = (seed >> 16) % 40;
        for (size_t i = 0; i < na; i++) {
            seed = seed * 1103515245u + 12345u;
            sa[i] = (char)('a' + (seed >> 16) % 4);
        }
        for (size_t i = 0; i < nb; i++) {
            seed = seed * 1103515245u + 12345u;
            sb[i] = (char)('a' + (seed >> 16) % 4);
        }
        sa[na] = sb[nb] = '\0';
        script_of(sa, sb, ops);
        size_t kept = 0;
        for (char *p = ops; *p; p++)
            kept += *p == ' ';
        if (kept != lcs(sa, sb))
            fail_msg("'%s' -> '%s': kept %zu, LCS %zu", sa, sb, kept, lcs(sa, sb));
    }
}

/* Past HUB_DIFF_MAX_D the script is still valid (remove all, add all). */
static void test_too_far_apart(void **state)
{
    (void)state;
    enum { N = HUB_DIFF_MAX_D + 500 };
    struct arena a;
    struct kn_error err = KN_ERROR_INIT;
    struct hub_diff_edit *e;
    size_t n;
    static char ta[N][8], tb[N][8];
    static struct hub_diff_span x[N], y[N];
    arena_init(&a);
    for (int i = 0; i < N; i++) {
        snprintf(ta[i], sizeof ta[i], "a%d", i);
        snprintf(tb[i], sizeof tb[i], "b%d", i);
        x[i] = (struct hub_diff_span){ta[i], strlen(ta[i])};
        y[i] = (struct hub_diff_span){tb[i], strlen(tb[i])};
    }
    y[N / 2] = x[N / 2]; /* one token in common, found only by the exact search */
    assert_int_equal(hub_diff_seq(x, N, y, N, &e, &n, &a, &err), 0);
    assert_int_equal(check_script(x, N, y, N, e, n), 0);
    assert_int_equal(n, 2 * N);
    arena_release(&a);
}

static void unified(const char *a, const char *b, int context, const char *want)
{
    struct strbuf out = STRBUF_INIT;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(hub_diff_unified(a, strlen(a), b, strlen(b), "v1", "v2", context,
                                      &out, &err),
                     0);
    assert_string_equal(out.buf, want);
    sb_release(&out);
}

/* The unified format, as GNU diff -u writes it for the same texts. */
static void test_unified(void **state)
{
    (void)state;
    const char *a = "# Rubrik\n\nEtt\nTvå\nTre\nFyra\nFem\nSex\nSju\nÅtta\n";
    const char *b = "# Rubrik\n\nEtt\n2\nTre\nFyra\nFem\nSex\nSju\nÅtta\nNio\n";
    unified(a, b, 1,
            "--- v1\n+++ v2\n"
            "@@ -3,3 +3,3 @@\n Ett\n-Två\n+2\n Tre\n"
            "@@ -10 +10,2 @@\n Åtta\n+Nio\n");
    unified(a, b, 3,
            "--- v1\n+++ v2\n"
            "@@ -1,10 +1,11 @@\n # Rubrik\n \n Ett\n-Två\n+2\n Tre\n Fyra\n Fem\n Sex\n"
            " Sju\n Åtta\n+Nio\n");
    unified(a, a, 3, "");
    unified("", "x\ny\n", 3, "--- v1\n+++ v2\n@@ -0,0 +1,2 @@\n+x\n+y\n");
    unified("a\nb\nc\n", "a\nc\n", 0, "--- v1\n+++ v2\n@@ -2 +1,0 @@\n-b\n");
    unified("a\nb", "a\nb\n", 3,
            "--- v1\n+++ v2\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
}

static const char *piece(json_t *line, size_t i, const char *field)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(line, "words"), i),
                                              field));
}

/* The model: counts, hunks, line numbers, and the word pieces of a
 * changed line paired with its replacement. */
static void test_json_model(void **state)
{
    (void)state;
    const char *a = "# Hjälp\nRing 1177 vid behov.\nSlut\n";
    const char *b = "# Hjälp\nRing 112 vid fara.\nSlut\nNy rad\n";
    json_t *m;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(hub_diff_json(a, strlen(a), b, strlen(b), 3, &m, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(m, "added")), 2);
    assert_int_equal(json_integer_value(json_object_get(m, "removed")), 1);
    json_t *hs = json_object_get(m, "hunks");
    assert_int_equal(json_array_size(hs), 1);
    json_t *h = json_array_get(hs, 0), *lines = json_object_get(h, "lines");
    assert_int_equal(json_integer_value(json_object_get(h, "from_line")), 1);
    assert_int_equal(json_integer_value(json_object_get(h, "from_count")), 3);
    assert_int_equal(json_integer_value(json_object_get(h, "to_count")), 4);
    assert_int_equal(json_array_size(lines), 5);
    json_t *del = json_array_get(lines, 1), *add = json_array_get(lines, 2);
    assert_string_equal(json_string_value(json_object_get(del, "op")), "del");
    assert_int_equal(json_integer_value(json_object_get(del, "old")), 2);
    assert_true(json_is_null(json_object_get(del, "new")));
    assert_string_equal(json_string_value(json_object_get(del, "text")),
                        "Ring 1177 vid behov.");
    assert_string_equal(piece(del, 0, "op"), "same");
    assert_string_equal(piece(del, 0, "text"), "Ring ");
    assert_string_equal(piece(del, 1, "op"), "del");
    assert_string_equal(piece(del, 1, "text"), "1177");
    assert_string_equal(piece(del, 2, "text"), " vid ");
    assert_string_equal(piece(del, 3, "text"), "behov");
    assert_string_equal(piece(add, 1, "op"), "add");
    assert_string_equal(piece(add, 1, "text"), "112");
    assert_string_equal(piece(add, 3, "op"), "add");
    assert_string_equal(piece(add, 3, "text"), "fara");
    assert_string_equal(piece(add, 4, "text"), ".");
    json_t *last = json_array_get(lines, 4);
    assert_string_equal(json_string_value(json_object_get(last, "op")), "add");
    assert_null(json_object_get(last, "words")); /* no removed line to pair with */
    assert_int_equal(json_integer_value(json_object_get(last, "new")), 4);
    json_decref(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_scripts), cmocka_unit_test(test_shortest_against_lcs),
        cmocka_unit_test(test_too_far_apart), cmocka_unit_test(test_unified),
        cmocka_unit_test(test_json_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
