/* tests/unit/network/test_activity.c: development activities changed
 * (network/activity.h): activity_update changes the activity's own fields
 * and keeps its region and node, with every check of activity_add (each
 * refusal names its option and changes nothing), and the links to
 * indicators (the catalogue) and documents (the knowledge hub) must name
 * ones that exist. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lang/ind.h"
#include "network/activity.h"
#include "testutil.h"

static struct store *open_store(const char *name)
{
    char path[256];
    struct store *s = NULL;
    struct kn_error err = KN_ERROR_INIT;
    struct store_options opt = {STORE_CREATE, 0};
    tu_path(path, sizeof path, name);
    if (store_open(path, &opt, &s, &err) != 0)
        fail_msg("store_open: %s", err.msg);
    if (store_exec(
            s,
            "INSERT INTO hub_document (slug, state, owner, current_version, created) "
            "VALUES ('bemotande-akut', 'published', 'x', 1, 0)",
            &err) != 0)
        fail_msg("hub_document: %s", err.msg);
    return s;
}

static struct activity national(void)
{
    struct activity t = {NULL,
                         NULL,
                         "Webbutbildning",
                         "En webbutbildning",
                         "planned",
                         "Programkontoret",
                         0,
                         ACTIVITY_OPEN,
                         NULL,
                         NULL};
    t.starts = date_from_ymd(2025, 2, 1);
    return t;
}

/* Each refusal: the code, the option named first in the message, and the
 * stored activity unchanged. */
static void refused(struct store *s, int64_t id, const struct activity *t,
                    const struct ind_catalogue *cat, const char *option)
{
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    arena_init(&a);
    assert_int_equal(activity_update(s, id, t, cat, &err), KN_EINPUT);
    if (strncmp(err.msg, option, strlen(option)) != 0)
        fail_msg("want %s, got: %s", option, err.msg);
    assert_null(strstr(err.msg, "1212"));
    struct activity now;
    assert_int_equal(activity_get(s, id, &now, &a, &err), 0);
    assert_string_equal(now.title, "Ny titel");
    assert_string_equal(now.status, "ongoing");
    arena_release(&a);
}

static void test_update(void **state)
{
    (void)state;
    struct store *s = open_store("activity.db");
    struct arena a;
    arena_init(&a);
    struct kn_error err = KN_ERROR_INIT;
    struct ind_catalogue cat = {0};
    assert_int_equal(ind_catalogue_shipped(&cat, &a, &err), 0);
    struct activity t = national();
    int64_t id = 0;
    assert_int_equal(activity_add(s, &t, &cat, &id, &err), 0);
    char region[16];
    assert_int_equal(activity_owner_region(s, id, region, &err), 0);
    assert_string_equal(region, ""); /* national */

    struct activity u = t;
    u.title = "Ny titel";
    u.status = "ongoing";
    u.ends = date_from_ymd(2025, 12, 31);
    u.indicators = "sh-young-rate";
    u.documents = "bemotande-akut";
    u.region = "12"; /* not read: an activity keeps its region */
    assert_int_equal(activity_update(s, id, &u, &cat, &err), 0);
    struct activity got;
    assert_int_equal(activity_get(s, id, &got, &a, &err), 0);
    assert_string_equal(got.title, "Ny titel");
    assert_string_equal(got.goal, "En webbutbildning");
    assert_int_equal(got.ends, date_from_ymd(2025, 12, 31));
    assert_string_equal(got.indicators, "sh-young-rate");
    assert_string_equal(got.documents, "bemotande-akut");
    assert_null(got.region);

    struct activity b = u;
    b.title = "";
    refused(s, id, &b, &cat, "--title");
    b = u;
    b.goal = "Ring 19121212-1212";
    refused(s, id, &b, &cat, "--goal");
    b = u;
    b.status = "maybe";
    refused(s, id, &b, &cat, "--status");
    b = u;
    b.responsible = NULL;
    refused(s, id, &b, &cat, "--responsible");
    b = u;
    b.ends = date_from_ymd(2025, 1, 1);
    refused(s, id, &b, &cat, "--end");
    b = u;
    b.indicators = "sh-young-rate,no-such";
    refused(s, id, &b, &cat, "--indicators");
    b = u;
    b.indicators = "a b";
    refused(s, id, &b, &cat, "--indicators");
    b = u;
    b.documents = "no-such-doc";
    refused(s, id, &b, &cat, "--documents");
    assert_int_equal(activity_update(s, 999, &u, &cat, &err), KN_ENOTFOUND);
    /* without a catalogue, indicator ids are checked for form only */
    b = u;
    b.indicators = "not-in-any-catalogue";
    assert_int_equal(activity_update(s, id, &b, NULL, &err), 0);

    /* the funding per source and year, as recorded */
    assert_int_equal(activity_fund(s, id, "region", 2025, 100, 40, &err), 0);
    assert_int_equal(activity_fund(s, id, "national-grant", 2025, 1000, 10, &err), 0);
    assert_int_equal(activity_fund(s, id, "region", 2025, 200, 50, &err), 0);
    struct net_rows f = {0};
    assert_int_equal(activity_fund_list(s, id, &f, &a, &err), 0);
    assert_int_equal(f.nrows, 2);
    assert_string_equal(net_cell(&f, 0, 0), "national-grant");
    assert_string_equal(net_cell(&f, 1, 2), "200");
    assert_string_equal(net_cell(&f, 1, 3), "50");
    arena_release(&a);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_update),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
