/* tests/unit/network/test_group.c: the network's field checks
 * (network/net_text.h), knowledge nodes (node.h) and the working group's
 * gaps (group.h).
 *
 * The gaps rule: among the members whose term covers the day, every
 * healthcare region without a chair, process leader or member is a gap;
 * every wanted profession nobody holds is a gap; a working group without
 * a chair, a process leader or the patient organisation's seat has a gap
 * for each. A partner does not fill a healthcare region's seat, and a
 * member whose term ended the day before does not count. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "network/group.h"
#include "network/net_text.h"
#include "network/node.h"
#include "testutil.h"

static void test_text_checks(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(
        net_text_check("--name", "Kunskapsnod Skåne", 200, true, false, &err), 0);
    assert_int_equal(net_text_check("--name", "", 200, true, false, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--name is missing");
    assert_int_equal(net_text_check("--name", NULL, 200, false, false, &err), 0);
    assert_int_equal(net_text_check("--name", "a\nb", 200, true, false, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "--name: a control character at byte 2"));
    assert_int_equal(net_text_check("--goal", "a\nb", 200, true, true, &err), 0);
    assert_int_equal(net_text_check("--name", "abcdef", 5, true, false, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--name: at most 5 bytes");
    assert_int_equal(net_text_check("--name", "\xc3\x28", 200, true, false, &err),
                     KN_EINPUT);
    /* a personnummer-shaped number is refused and never repeated */
    assert_int_equal(net_text_check("--name", "Eva 201701012393", 200, true, false, &err),
                     KN_EINPUT);
    assert_non_null(strstr(err.msg, "--name holds a personnummer-shaped number"));
    assert_null(strstr(err.msg, "2393"));
    static const char *const kinds[] = {"a", "bb", "c", NULL};
    assert_int_equal(net_enum_check("--kind", "bb", kinds, &err), 0);
    assert_int_equal(net_enum_check("--kind", "d", kinds, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--kind: 'd' is not one of a, bb or c");
    assert_int_equal(net_list_check("--p", "a,c", kinds, true, &err), 0);
    assert_int_equal(net_list_check("--p", "a,a", kinds, true, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--p: 'a' given twice");
    assert_int_equal(net_list_check("--p", "a,", kinds, true, &err), KN_EINPUT);
    assert_int_equal(net_list_check("--p", "", kinds, false, &err), 0);
    long x;
    assert_int_equal(net_int_parse("--share", "20", 0, 100, &x, &err), 0);
    assert_int_equal(x, 20);
    assert_int_equal(net_int_parse("--share", "101", 0, 100, &x, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--share: a whole number from 0 to 100");
    assert_int_equal(net_int_parse("--share", "1x", 0, 100, &x, &err), KN_EINPUT);
    assert_int_equal(net_code_check("--code", "skane", &err), 0);
    assert_int_equal(net_code_check("--code", "Skåne", &err), KN_EINPUT);
}

static void test_nodes(void **state)
{
    (void)state;
    struct store *s = tu_store("nodes.db", true);
    struct kn_error err = KN_ERROR_INIT;
    struct node_def skane = {"skane", "Kunskapsnod Skåne", "12", "07,08,10", NULL};
    assert_int_equal(node_add(s, &skane, &err), 0);
    /* a region linked to another node is refused, and nothing is stored */
    struct node_def vg = {"vg", "Kunskapsnod VG", "14", "13,08", NULL};
    assert_int_equal(node_add(s, &vg, &err), KN_EEXIST);
    assert_string_equal(err.msg, "--regions: region 08 is linked to another node");
    struct node_def bad = {"x", "X", "14", "99", NULL};
    assert_int_equal(node_add(s, &bad, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--regions: '99' is not a region code (see knod geo)");
    struct arena a;
    arena_init(&a);
    struct net_rows t = {0};
    assert_int_equal(node_list(s, &t, &a, &err), 0);
    assert_int_equal(t.nrows, 1);
    assert_string_equal(net_cell(&t, 0, 3), "07,08,10,12");
    arena_release(&a);
    store_close(s);
}

static void member(struct store *s, const char *role, const char *hr, const char *prof,
                   const char *from, const char *to)
{
    struct kn_error err = KN_ERROR_INIT;
    struct group_member m = {"nag", "Namn", role, "Org", hr, prof, -1, 0, 0};
    assert_int_equal(date_parse(from, 10, &m.from, &err), 0);
    assert_int_equal(date_parse(to, 10, &m.to, &err), 0);
    int64_t id;
    if (group_member_add(s, &m, &id, &err) != 0)
        fail_msg("member: %s", err.msg);
}

/* The gaps as "gap:what" lines, for comparison. */
static char *gaps(struct store *s, const char *day, struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    kn_day on;
    assert_int_equal(date_parse(day, 10, &on, &err), 0);
    struct net_rows t = {0};
    if (group_gaps(s, "nag", on, &t, a, &err) != 0)
        fail_msg("gaps: %s", err.msg);
    char *out = arena_strdup(a, "");
    for (size_t i = 0; i < t.nrows; i++)
        out = arena_printf(a, "%s%s:%s\n", out, net_cell(&t, i, 0), net_cell(&t, i, 1));
    return out;
}

static void test_gaps(void **state)
{
    (void)state;
    struct store *s = tu_store("gaps.db", true);
    struct kn_error err = KN_ERROR_INIT;
    struct group_def nag = {"nag", "Nationella arbetsgruppen",        "working-group",
                            NULL,  "psychiatrist,psychologist,nurse", NULL};
    assert_int_equal(group_add(s, &nag, &err), 0);
    struct arena a;
    arena_init(&a);
    /* empty: all six regions, the three professions, the three roles */
    assert_string_equal(
        gaps(s, "2026-01-01", &a),
        "healthcare-region:Mellansverige\nhealthcare-region:Norra\n"
        "healthcare-region:Stockholm-Gotland\nhealthcare-region:Sydöstra\n"
        "healthcare-region:Södra\nhealthcare-region:Västra\n"
        "profession:psychiatrist\nprofession:psychologist\n"
        "profession:nurse\nrole:chair\nrole:process-leader\n"
        "role:patient-organisation\n");
    member(s, "chair", "Södra", "psychiatrist", "2025-01-01", "2027-12-31");
    member(s, "process-leader", "Västra", "psychologist", "2025-01-01", "2027-12-31");
    member(s, "member", "Norra", "nurse", "2025-01-01", "2025-12-31"); /* ended */
    member(s, "member", "Sydöstra", "nurse", "2026-01-01", "2027-12-31");
    member(s, "patient-organisation", NULL, NULL, "2025-01-01", "2027-12-31");
    member(s, "partner", "Mellansverige", NULL, "2025-01-01", "2027-12-31"); /* no seat */
    assert_string_equal(gaps(s, "2026-01-01", &a),
                        "healthcare-region:Mellansverige\nhealthcare-region:Norra\n"
                        "healthcare-region:Stockholm-Gotland\n");
    /* the day before, the Norra nurse still counted and Sydöstra's had not begun */
    assert_string_equal(
        gaps(s, "2025-12-31", &a),
        "healthcare-region:Mellansverige\nhealthcare-region:Stockholm-Gotland\n"
        "healthcare-region:Sydöstra\n");
    /* the wanted profile names the professions lacking, and the regions */
    struct net_rows t = {0};
    kn_day on;
    assert_int_equal(date_parse("2024-06-01", 10, &on, &err), 0);
    assert_int_equal(group_gaps(s, "nag", on, &t, &a, &err), 0);
    assert_non_null(
        strstr(net_cell(&t, 0, 2), "a member from Sjukvårdsregion Mellansverige"));
    assert_non_null(strstr(net_cell(&t, 0, 2), "psychiatrist, psychologist, nurse"));
    /* the member checks name the option */
    struct group_member m = {"nag", "N", "member", "Org", "Södra", NULL, -1, 0, 0};
    int64_t id;
    assert_int_equal(group_member_add(s, &m, &id, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--profession is missing (a member has one)");
    m.profession = "nurse";
    m.from = 10;
    m.to = 9;
    assert_int_equal(group_member_add(s, &m, &id, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--to: the term ends before it begins (--from)");
    m.group = "nope";
    assert_int_equal(group_member_add(s, &m, &id, &err), KN_ENOTFOUND);
    arena_release(&a);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_checks),
        cmocka_unit_test(test_nodes),
        cmocka_unit_test(test_gaps),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
