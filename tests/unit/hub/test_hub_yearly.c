/* tests/unit/hub/test_hub_yearly.c: src/hub/hub_yearly.c: who owns a
 * document (the owner is the user's name, or linked to the user), the
 * documents due for their yearly review, and recording a review that found
 * no need to revise (published only; the next one a year on; in the
 * workflow history). */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "access/access_user.h"
#include "hub/hub.h"
#include "hub/hub_yearly.h"
#include "testutil.h"

static const struct hub_lint_rules no_rules = {NULL, 0};

#define T0 (time_from_day(date_from_ymd(2026, 3, 2)) + 36000)

static void import(struct store *s, const char *slug, const char *owner, const char *extra)
{
    char text[512];
    struct arena a;
    struct hub_doc d;
    enum hub_outcome out;
    struct kn_error err = KN_ERROR_INIT;
    snprintf(text, sizeof text,
             "---\nid: %s\ntitle: Titel %s\nsummary: Kort.\naudience: care-staff\n"
             "language: sv\nowner: %s\n%s---\n# Rubrik\n\nText.\n",
             slug, slug, owner, extra);
    arena_init(&a);
    if (hub_doc_parse(text, strlen(text), "t.md", &d, &a, &err) != 0 ||
        hub_import(s, &d, "author", T0, &no_rules, &out, &err) != 0)
        fail_msg("import %s: %s", slug, err.msg);
    arena_release(&a);
}

static struct store *open_store(void)
{
    char path[256];
    struct store *s;
    struct store_options opt = {STORE_CREATE, 0};
    struct kn_error err = KN_ERROR_INIT;
    tu_path(path, sizeof path, "yearly.db");
    remove(path);
    if (store_open(path, &opt, &s, &err) != 0)
        fail_msg("store_open: %s", err.msg);
    const char *users[] = {"anna.berg", "bo.ek"};
    for (size_t i = 0; i < 2; i++)
        if (access_user_add(s, users[i], ROLE_ANALYST, SCOPE_NATION, NULL, NULL, T0, &err))
            fail_msg("user: %s", err.msg);
    /* due 2026-01-10 and 2026-02-01 (a year after the decision), one not yet,
     * one a draft */
    import(s, "nag-a", "Nationella arbetsgruppen", "status: published\ndecided: 2025-01-10\n");
    import(s, "bo-b", "bo.ek", "status: published\ndecided: 2025-02-01\n");
    import(s, "later", "Nationella arbetsgruppen", "status: published\ndecided: 2025-12-01\n");
    import(s, "utkast", "Nationella arbetsgruppen", "");
    return s;
}

static size_t due(struct store *s, kn_day until, const char *owner, const char *user,
                  const char *first)
{
    struct arena a;
    struct hub_version *v;
    size_t n;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    if (hub_yearly_due(s, until, owner, user, &v, &n, &a, &err) != 0)
        fail_msg("due: %s", err.msg);
    if (first && (n == 0 || strcmp(v[0].slug, first) != 0))
        fail_msg("first due is %s, not %s", n ? v[0].slug : "none", first);
    arena_release(&a);
    return n;
}

static bool owns(struct store *s, const char *slug, const char *user)
{
    bool o = true;
    struct kn_error err = KN_ERROR_INIT;
    if (hub_yearly_owns(s, slug, user, &o, &err) != 0)
        fail_msg("owns: %s", err.msg);
    return o;
}

static void test_owners(void **state)
{
    (void)state;
    struct store *s = open_store();
    struct kn_error err = KN_ERROR_INIT;
    kn_day mar = date_from_ymd(2026, 3, 2);

    assert_int_equal(due(s, mar, NULL, NULL, "nag-a"), 2); /* not later, not the draft */
    assert_int_equal(due(s, date_from_ymd(2026, 1, 9), NULL, NULL, NULL), 0);
    assert_int_equal(due(s, date_from_ymd(2026, 1, 10), NULL, NULL, "nag-a"), 1);
    assert_int_equal(due(s, mar, "Nationella arbetsgruppen", NULL, "nag-a"), 1);

    /* The owner is the user's name: bo.ek owns bo-b; nobody owns the group's yet. */
    assert_true(owns(s, "bo-b", "bo.ek"));
    assert_false(owns(s, "nag-a", "bo.ek"));
    assert_false(owns(s, "nag-a", "anna.berg"));
    assert_int_equal(due(s, mar, NULL, "anna.berg", NULL), 0);
    assert_int_equal(due(s, mar, NULL, "bo.ek", "bo-b"), 1);

    /* An administrator links the group to anna.berg. */
    assert_int_equal(hub_owner_link(s, "Nationella arbetsgruppen", "anna.berg", "admin", T0,
                                    &err),
                     0);
    assert_true(owns(s, "nag-a", "anna.berg"));
    assert_true(owns(s, "utkast", "anna.berg"));
    assert_false(owns(s, "bo-b", "anna.berg"));
    assert_int_equal(due(s, mar, NULL, "anna.berg", "nag-a"), 1);
    assert_int_equal(due(s, mar, NULL, "bo.ek", "bo-b"), 1);
    assert_int_equal(hub_owner_link(s, "Nationella arbetsgruppen", "anna.berg", "admin", T0,
                                    &err),
                     KN_EEXIST);
    assert_int_equal(hub_owner_link(s, "NAG", "cecilia", "admin", T0, &err), KN_ENOTFOUND);
    assert_string_equal(err.msg, "no user 'cecilia'");
    assert_int_equal(hub_owner_link(s, "Grupp 19700808-8885", "anna.berg", "admin", T0, &err),
                     KN_EINPUT);
    assert_null(strstr(err.msg, "8885"));
    assert_int_equal(hub_owner_link(s, "a\nb", "anna.berg", "admin", T0, &err), KN_EINPUT);
    assert_int_equal(hub_yearly_owns(s, "nothing", "anna.berg", &(bool){false}, &err),
                     KN_ENOTFOUND);

    struct arena a;
    struct hub_owner_row *r;
    size_t n;
    arena_init(&a);
    assert_int_equal(hub_owner_links(s, &r, &n, &a, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].owner, "Nationella arbetsgruppen");
    assert_string_equal(r[0].user, "anna.berg");
    assert_int_equal(r[0].documents, 3);
    arena_release(&a);

    assert_int_equal(hub_owner_unlink(s, "Nationella arbetsgruppen", "anna.berg", &err), 0);
    assert_false(owns(s, "nag-a", "anna.berg"));
    assert_int_equal(hub_owner_unlink(s, "Nationella arbetsgruppen", "anna.berg", &err),
                     KN_ENOTFOUND);
    store_close(s);
}

static void test_reviewed(void **state)
{
    (void)state;
    struct store *s = open_store();
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    struct hub_version v;
    struct hub_event *e;
    size_t n;
    kn_day next = 0;
    arena_init(&a);

    assert_int_equal(hub_yearly_reviewed_in(s, "utkast", "", "anna", T0, &next, &err),
                     KN_EINPUT);
    assert_string_equal(err.msg, "'utkast': a yearly review is recorded in published only; "
                                 "the document is in draft");
    assert_int_equal(hub_yearly_reviewed_in(s, "nothing", "", "anna", T0, &next, &err),
                     KN_ENOTFOUND);
    assert_int_equal(hub_yearly_reviewed_in(s, "nag-a", "Se 700808-8885", "anna", T0, &next,
                                            &err),
                     KN_EINPUT);
    assert_null(strstr(err.msg, "8885"));

    assert_int_equal(hub_yearly_reviewed_in(s, "nag-a", "Aktuell.", "anna", T0, &next, &err),
                     0);
    assert_int_equal(next, date_from_ymd(2027, 3, 2));
    assert_int_equal(hub_get(s, "nag-a", 0, &v, &a, &err), 0);
    assert_int_equal(v.review_due, date_from_ymd(2027, 3, 2));
    assert_string_equal(v.state, "published");
    assert_int_equal(v.current_version, 1); /* no new version */
    assert_int_equal(due(s, date_from_ymd(2026, 3, 2), NULL, NULL, "bo-b"), 1);
    assert_int_equal(hub_history(s, "nag-a", &e, &n, &a, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(e[1].from_state, "published");
    assert_string_equal(e[1].to_state, "published");
    assert_string_equal(e[1].actor, "anna");
    assert_int_equal(e[1].at, T0);
    assert_string_equal(e[1].note, "yearly review: no revision needed; Aktuell.");
    assert_string_equal(e[0].from_state, ""); /* created: NULL in the store */

    /* Once revised, the yearly review is the workflow's revision instead. */
    assert_int_equal(hub_move(s, "bo-b", HUB_REVISION, NULL, "behöver nya siffror", "bo.ek",
                              T0, &no_rules, &err),
                     0);
    assert_int_equal(hub_yearly_reviewed_in(s, "bo-b", "", "bo.ek", T0, &next, &err),
                     KN_EINPUT);
    assert_int_equal(due(s, date_from_ymd(2026, 3, 2), NULL, NULL, NULL), 0);
    arena_release(&a);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_owners),
        cmocka_unit_test(test_reviewed),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
