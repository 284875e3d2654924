/* tests/unit/network/test_net_update.c: the update functions of nodes
 * (node_update), groups (group_update), members (group_member_update)
 * and trainings (training_update): each field given replaces the stored
 * one, each refusal names its option and changes nothing, and a member's
 * new role ends the old term and starts a new one (the history kept). */
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
#include "network/node.h"
#include "network/training.h"
#include "testutil.h"

static kn_day day(const char *s)
{
    kn_day d;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(date_parse(s, strlen(s), &d, &err), 0);
    return d;
}

/* The nodes' rows, "code|name|regions|contact" per line. */
static char *nodes(struct store *s, struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct net_rows t = {0};
    assert_int_equal(node_list(s, &t, a, &err), 0);
    char *out = arena_strdup(a, "");
    for (size_t i = 0; i < t.nrows; i++)
        out = arena_printf(a, "%s%s|%s|%s|%s\n", out, net_cell(&t, i, 0),
                           net_cell(&t, i, 1), net_cell(&t, i, 3), net_cell(&t, i, 4));
    return out;
}

static void test_node_update(void **state)
{
    (void)state;
    struct store *s = tu_store("node_update.db", true);
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    arena_init(&a);
    struct node_def skane = {"skane", "Kunskapsnod Skåne", "12", "07,08", NULL};
    struct node_def vg = {"vg", "Kunskapsnod VG", "14", "13", NULL};
    assert_int_equal(node_add(s, &skane, &err), 0);
    assert_int_equal(node_add(s, &vg, &err), 0);
    /* the name and contact change; the regions are replaced, the host kept */
    struct node_def u = {"skane", "Noden i Skåne", NULL, "10", "nod@example.se"};
    assert_int_equal(node_update(s, &u, &err), 0);
    assert_string_equal(nodes(s, &a), "skane|Noden i Skåne|10,12|nod@example.se\n"
                                      "vg|Kunskapsnod VG|13,14|\n");
    /* a field not given is kept */
    struct node_def only = {"skane", NULL, NULL, NULL, ""};
    assert_int_equal(node_update(s, &only, &err), 0);
    assert_string_equal(nodes(s, &a), "skane|Noden i Skåne|10,12|\n"
                                      "vg|Kunskapsnod VG|13,14|\n");
    /* refusals name the option, and nothing changes */
    const char *before = nodes(s, &a);
    struct node_def other = {"skane", "X", NULL, "07,13", NULL};
    assert_int_equal(node_update(s, &other, &err), KN_EEXIST);
    assert_string_equal(err.msg, "--regions: region 13 is linked to another node");
    struct node_def host = {"vg", NULL, NULL, "12", NULL};
    assert_int_equal(node_update(s, &host, &err), KN_EEXIST);
    assert_string_equal(err.msg, "--regions: region 12 is linked to another node");
    struct node_def bad = {"skane", NULL, NULL, "99", NULL};
    assert_int_equal(node_update(s, &bad, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--regions: '99' is not a region code (see knod geo)");
    struct node_def empty = {"skane", "", NULL, NULL, NULL};
    assert_int_equal(node_update(s, &empty, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--name is missing");
    struct node_def pnr = {"skane", NULL, NULL, NULL, "ring 201701012393"};
    assert_int_equal(node_update(s, &pnr, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "--contact holds a personnummer-shaped number"));
    struct node_def none = {"nowhere", "X", NULL, NULL, NULL};
    assert_int_equal(node_update(s, &none, &err), KN_ENOTFOUND);
    assert_string_equal(nodes(s, &a), before);
    arena_release(&a);
    store_close(s);
}

/* The group's row of group_list, "name|node|professions|purpose". */
static char *group(struct store *s, const char *code, struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct net_rows t = {0};
    assert_int_equal(group_list(s, day("2026-01-01"), &t, a, &err), 0);
    for (size_t i = 0; i < t.nrows; i++)
        if (strcmp(net_cell(&t, i, 0), code) == 0)
            return arena_printf(a, "%s|%s|%s|%s", net_cell(&t, i, 1),
                                net_cell(&t, i, 3) ? net_cell(&t, i, 3) : "-",
                                net_cell(&t, i, 4), net_cell(&t, i, 5));
    fail_msg("no group %s", code);
    return NULL;
}

static void test_group_update(void **state)
{
    (void)state;
    struct store *s = tu_store("group_update.db", true);
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    arena_init(&a);
    struct node_def skane = {"skane", "Kunskapsnod Skåne", "12", NULL, NULL};
    assert_int_equal(node_add(s, &skane, &err), 0);
    struct group_def ksp = {"ksp", "Nätverket", "network", NULL, "nurse", NULL};
    assert_int_equal(group_add(s, &ksp, &err), 0);
    struct group_def u = {"ksp",   "Kommunalt nätverk", NULL,
                          "skane", "nurse,teacher",     "Suicidprevention i kommunerna"};
    assert_int_equal(group_update(s, &u, &err), 0);
    assert_string_equal(
        group(s, "ksp", &a),
        "Kommunalt nätverk|skane|nurse,teacher|Suicidprevention i kommunerna");
    struct group_def national = {"ksp", NULL, NULL, "", NULL, NULL};
    assert_int_equal(group_update(s, &national, &err), 0);
    assert_string_equal(
        group(s, "ksp", &a),
        "Kommunalt nätverk|-|nurse,teacher|Suicidprevention i kommunerna");
    const char *before = group(s, "ksp", &a);
    struct group_def prof = {"ksp", NULL, NULL, NULL, "nurse,plumber", NULL};
    assert_int_equal(group_update(s, &prof, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "--professions: 'plumber' is not one of"));
    struct group_def node = {"ksp", NULL, NULL, "nowhere", NULL, NULL};
    assert_int_equal(group_update(s, &node, &err), KN_ENOTFOUND);
    assert_non_null(strstr(err.msg, "--node: no knowledge node 'nowhere'"));
    struct group_def kind = {"ksp", NULL, "working-group", NULL, NULL, NULL};
    assert_int_equal(group_update(s, &kind, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--kind: a group keeps its kind");
    struct group_def name = {"ksp", "", NULL, NULL, NULL, NULL};
    assert_int_equal(group_update(s, &name, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--name is missing");
    struct group_def none = {"nope", "X", NULL, NULL, NULL, NULL};
    assert_int_equal(group_update(s, &none, &err), KN_ENOTFOUND);
    assert_string_equal(group(s, "ksp", &a), before);
    arena_release(&a);
    store_close(s);
}

static void test_member_update(void **state)
{
    (void)state;
    struct store *s = tu_store("member_update.db", true);
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    arena_init(&a);
    struct group_def nag = {"nag", "NAG", "working-group", NULL, "nurse", NULL};
    assert_int_equal(group_add(s, &nag, &err), 0);
    struct group_member m = {"nag",   "Bo", "member",          "Region Norr",    "Norra",
                             "nurse", -1,   day("2025-01-01"), day("2027-12-31")};
    int64_t id = 0, new_id = 0;
    assert_int_equal(group_member_add(s, &m, &id, &err), 0);
    /* a correction in place */
    struct group_member_patch p = {NULL, "Region Västerbotten", NULL, NULL, 15, false, 0,
                                   0};
    assert_int_equal(group_member_update(s, id, &p, &new_id, &a, &err), 0);
    assert_int_equal(new_id, id);
    struct group_member g;
    assert_int_equal(group_member_get(s, id, &g, &a, &err), 0);
    assert_string_equal(g.organisation, "Region Västerbotten");
    assert_int_equal(g.share, 15);
    assert_int_equal(g.to, day("2027-12-31"));
    /* refusals name the option and change nothing */
    struct group_member_patch bad[] = {
        {"king", NULL, NULL, NULL, -1, false, 0, day("2026-01-01")},
        {NULL, "", NULL, NULL, -1, false, 0, 0},
        {NULL, NULL, "Atlantis", NULL, -1, false, 0, 0},
        {NULL, NULL, "", NULL, -1, false, 0, 0},
        {NULL, NULL, NULL, "", -1, false, 0, 0},
        {NULL, NULL, NULL, "plumber", -1, false, 0, 0},
        {NULL, NULL, NULL, NULL, 101, false, 0, 0},
        {NULL, NULL, NULL, NULL, -1, true, day("2024-12-31"), 0},
        {"chair", NULL, NULL, NULL, -1, false, 0, day("2025-01-01")},
        {"chair", NULL, NULL, NULL, -1, false, 0, day("2028-01-01")},
        {NULL, "Org 201701012393", NULL, NULL, -1, false, 0, 0},
    };
    static const char *const msgs[] = {
        "--role: 'king' is not one of",
        "--organisation is missing",
        "--healthcare-region: one of",
        "--healthcare-region is missing (the member sits for one)",
        "--profession is missing (a member has one)",
        "--profession: 'plumber' is not one of",
        "--share: a percentage from 0 to 100",
        "--to: the term ends before it begins",
        "--on: a new role begins after the current term's first day",
        "--on: after the term ends (--to)",
        "--organisation holds a personnummer-shaped number",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(store_begin(s, &err), 0);
        assert_int_equal(group_member_update(s, id, &bad[i], &new_id, &a, &err),
                         KN_EINPUT);
        store_rollback(s);
        if (strncmp(err.msg, msgs[i], strlen(msgs[i])) != 0)
            fail_msg("case %zu: '%s', not '%s'", i, err.msg, msgs[i]);
    }
    assert_int_equal(group_member_update(s, 99, &p, &new_id, &a, &err), KN_ENOTFOUND);
    assert_int_equal(group_member_get(s, id, &g, &a, &err), 0);
    assert_string_equal(g.organisation, "Region Västerbotten");
    assert_int_equal(g.share, 15);
    /* a new role: the old term ends the day before, a new one begins with
     * the chair's share by default */
    struct group_member_patch chair = {"chair", NULL,  NULL, NULL,
                                       -1,      false, 0,    day("2026-03-01")};
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(group_member_update(s, id, &chair, &new_id, &a, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_true(new_id != id);
    assert_int_equal(group_member_get(s, id, &g, &a, &err), 0);
    assert_string_equal(g.role, "member");
    assert_int_equal(g.to, day("2026-02-28"));
    assert_int_equal(group_member_get(s, new_id, &g, &a, &err), 0);
    assert_string_equal(g.role, "chair");
    assert_string_equal(g.name, "Bo");
    assert_string_equal(g.healthcare_region, "Norra");
    assert_int_equal(g.share, 20);
    assert_int_equal(g.from, day("2026-03-01"));
    assert_int_equal(g.to, day("2027-12-31"));
    arena_release(&a);
    store_close(s);
}

static void test_training_update(void **state)
{
    (void)state;
    struct store *s = tu_store("training_update.db", true);
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    arena_init(&a);
    struct training t = {"attitude-course", "Bemötande",       "on-site",        "care",
                         "Noden",           day("2026-02-01"), day("2026-02-02")};
    int64_t id;
    assert_int_equal(training_add(s, &t, &id, &err), 0);
    struct training u = {
        NULL, "Bemötande vid självskada", "hybrid",         "care,school-health",
        NULL, TRAINING_DAY_UNSET,         day("2026-02-03")};
    assert_int_equal(training_update(s, id, &u, &a, &err), 0);
    struct training g;
    assert_int_equal(training_get(s, id, &g, &a, &err), 0);
    assert_string_equal(g.kind, "attitude-course");
    assert_string_equal(g.title, "Bemötande vid självskada");
    assert_string_equal(g.format, "hybrid");
    assert_string_equal(g.target_groups, "care,school-health");
    assert_int_equal(g.starts, day("2026-02-01"));
    assert_int_equal(g.ends, day("2026-02-03"));
    struct training bad[] = {
        {"lecture", NULL, NULL, NULL, NULL, TRAINING_DAY_UNSET, TRAINING_DAY_UNSET},
        {NULL, "", NULL, NULL, NULL, TRAINING_DAY_UNSET, TRAINING_DAY_UNSET},
        {NULL, NULL, "radio", NULL, NULL, TRAINING_DAY_UNSET, TRAINING_DAY_UNSET},
        {NULL, NULL, NULL, "", NULL, TRAINING_DAY_UNSET, TRAINING_DAY_UNSET},
        {NULL, NULL, NULL, NULL, "", TRAINING_DAY_UNSET, TRAINING_DAY_UNSET},
        {NULL, NULL, NULL, NULL, NULL, day("2026-02-04"), TRAINING_DAY_UNSET},
    };
    static const char *const msgs[] = {
        "--kind: 'lecture' is not one of", "--title is missing",
        "--mode: 'radio' is not one of",   "--targets",
        "--organiser is missing",          "--end: before --start"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(training_update(s, id, &bad[i], &a, &err), KN_EINPUT);
        if (strncmp(err.msg, msgs[i], strlen(msgs[i])) != 0)
            fail_msg("case %zu: '%s', not '%s'", i, err.msg, msgs[i]);
    }
    assert_int_equal(training_update(s, id + 1, &u, &a, &err), KN_ENOTFOUND);
    assert_int_equal(training_get(s, id, &g, &a, &err), 0);
    assert_string_equal(g.format, "hybrid");
    assert_int_equal(g.starts, day("2026-02-01"));
    arena_release(&a);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_node_update),
        cmocka_unit_test(test_group_update),
        cmocka_unit_test(test_member_update),
        cmocka_unit_test(test_training_update),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
