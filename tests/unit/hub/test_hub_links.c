/* tests/unit/hub/test_hub_links.c: src/hub/hub_links.c: links between
 * documents, references, practices and pathway steps checked when made (an
 * unknown reference or practice names file, line and key; a step names
 * its pathway), and what links to a step, a reference or a practice read
 * back, with an internal reference or practice never shown to the public. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hub/hub.h"
#include "hub/hub_doc.h"
#include "hub/hub_links.h"
#include "hub/hub_pathway.h"
#include "hub/hub_practice.h"
#include "hub/hub_ref.h"
#include "hub/hub_ref_store.h"
#include "testutil.h"

static const struct hub_lint_rules no_rules = {NULL, 0};

#define T0 (time_from_day(date_from_ymd(2026, 1, 10)) + 36000)

/* Reference 1 public, reference 2 internal. */
static const char ris[] = "TY  - JOUR\nTI  - Public review\nPY  - 2020\nDO  - 10.1000/pub\n"
                          "C3  - public\nER  - \n"
                          "TY  - JOUR\nTI  - Internal trial\nPY  - 2021\nDO  - 10.1000/int\n"
                          "ER  - \n";

static struct store *fixture(struct arena *a, struct hub_pathways *ps)
{
    char path[128];
    tu_path(path, sizeof path, "links.db");
    remove(path);
    struct store_options opt = {STORE_CREATE, 0};
    struct store *st;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(store_open(path, &opt, &st, &err), 0);
    assert_int_equal(store_exec(st,
                                "INSERT INTO healthcare_region VALUES ('s', 'Syd'); INSERT "
                                "INTO region VALUES ('12', 'Region Skåne', 'Skåne', 'Skåne "
                                "län', 's')",
                                &err),
                     0);
    struct hub_ref_set set = {0};
    struct hub_ref_report rep;
    assert_int_equal(hub_ris_parse(ris, strlen(ris), "l.ris", &set, a, &err), 0);
    assert_int_equal(hub_ref_import(st, set.refs, set.n, HUB_REF_SKIP, false, 1, &rep, a, &err),
                     0);
    assert_int_equal(hub_pathways_shipped(ps, a, &err), 0);
    return st;
}

static int64_t practice(struct store *st, const struct hub_pathways *ps, bool pub,
                        const char *steps, int want, const char *msg)
{
    struct hub_practice p = {0,       "Uppföljning", "12",   "BUP (exempel)", "early",
                             "Unga",  "Enhetschef",  20000,  "ongoing",       "",
                             NULL,    NULL,          pub,    steps};
    struct kn_error err = KN_ERROR_INIT;
    int64_t id = 0;
    int rc = hub_practice_add(st, &p, NULL, ps, T0, &id, &err);
    if (rc != want)
        fail_msg("practice add: %d (%s)", rc, err.msg);
    if (msg && !strstr(err.msg, msg))
        fail_msg("message '%s' lacks '%s'", err.msg, msg);
    return id;
}

static void test_step_parse(void **state)
{
    (void)state;
    struct arena a;
    struct hub_pathways ps;
    struct kn_error err = KN_ERROR_INIT;
    const char *p, *s;
    arena_init(&a);
    assert_int_equal(hub_pathways_shipped(&ps, &a, &err), 0);
    assert_int_equal(hub_step_parse(&ps, "--step", "child/sip", 9, &p, &s, &err), 0);
    assert_string_equal(p, "child");
    assert_string_equal(s, "sip");
    static const char *const bad[][2] = {
        {"adult", "--step: 'adult' is not PATHWAY/STEP"},
        {"adult/", "is not PATHWAY/STEP"},
        {"nowhere/sip", "--step: no pathway 'nowhere'"},
        {"adult/sip", "--step: pathway 'adult' has no step 'sip'"}, /* the child's only */
        {"adult/9_none", "pathway 'adult' has no step '9_none'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(hub_step_parse(&ps, "--step", bad[i][0], strlen(bad[i][0]), &p, &s,
                                        &err),
                         KN_EINPUT);
        if (!strstr(err.msg, bad[i][1]))
            fail_msg("'%s': message '%s' lacks '%s'", bad[i][0], err.msg, bad[i][1]);
    }
    arena_release(&a);
}

static void check_doc(struct store *st, const char *extra, int want, const char *msg)
{
    struct arena a;
    struct hub_doc d;
    struct kn_error err = KN_ERROR_INIT;
    char text[512];
    arena_init(&a);
    snprintf(text, sizeof text,
             "---\nid: d\ntitle: T\nsummary: S\naudience: patients\nlanguage: sv\n"
             "owner: NAG\n%s---\nText.\n",
             extra);
    assert_int_equal(hub_doc_parse(text, strlen(text), "t.md", &d, &a, &err), 0);
    int rc = hub_doc_check_store_links(st, &d, "t.md", &err);
    if (rc != want)
        fail_msg("'%s': %d (%s)", extra, rc, err.msg);
    if (msg && !strstr(err.msg, msg))
        fail_msg("message '%s' lacks '%s'", err.msg, msg);
    arena_release(&a);
}

static void test_doc_store_links(void **state)
{
    (void)state;
    struct arena a;
    struct hub_pathways ps;
    arena_init(&a);
    struct store *st = fixture(&a, &ps);
    practice(st, &ps, true, NULL, 0, NULL);
    check_doc(st, "references: 1, https://doi.org/10.1000/INT\npractices: 1\n", 0, NULL);
    check_doc(st, "references: 10.1000/pub, 10.1000/none\n", KN_EINPUT,
              "t.md:8: 'references': no reference with DOI 10.1000/none");
    check_doc(st, "references: 3\n", KN_EINPUT, "t.md:8: 'references': no reference 3");
    check_doc(st, "references: x\n", KN_EINPUT, "t.md:8: 'references': 'x' names no reference");
    check_doc(st, "# links\npractices: 1, 99\n", KN_EINPUT,
              "t.md:9: 'practices': no practice '99'");
    check_doc(st, "practices: first\n", KN_EINPUT, "t.md:8: 'practices': no practice 'first'");
    store_close(st);
    arena_release(&a);
}

static void test_practice_steps(void **state)
{
    (void)state;
    struct arena a;
    struct hub_pathways ps;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    struct store *st = fixture(&a, &ps);
    /* A wrong step refuses the practice, and nothing is stored. */
    practice(st, &ps, true, "adult/2_assessment, adult/9_none", KN_EINPUT,
             "--steps: pathway 'adult' has no step '9_none'");
    struct net_rows rows = {0};
    assert_int_equal(hub_practice_list(st, NULL, NULL, false, &rows, &a, &err), 0);
    assert_int_equal(rows.nrows, 0);
    assert_int_equal(practice(st, &ps, true, "child/sip, adult/2_assessment", 0, NULL), 1);
    assert_int_equal(hub_practice_get(st, 1, true, &rows, &a, &err), 0);
    assert_string_equal(net_cell(&rows, 0, 13), "adult/2_assessment,child/sip");
    store_close(st);
    arena_release(&a);
}

static size_t count(const struct hub_link *l, size_t n, int kind, const char *id,
                    const char *step)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if ((int)l[i].kind == kind && (!id || strcmp(l[i].id, id) == 0) &&
            (!step || (l[i].step && strcmp(l[i].step, step) == 0)))
            c++;
    return c;
}

static void test_back_links(void **state)
{
    (void)state;
    struct arena a;
    struct hub_pathways ps;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    struct store *st = fixture(&a, &ps);
    assert_int_equal(practice(st, &ps, true, "adult/2_assessment", 0, NULL), 1);
    assert_int_equal(practice(st, &ps, false, "adult/2_assessment", 0, NULL), 2);
    bool changed;
    for (int64_t r = 1; r <= 2; r++) {
        assert_int_equal(hub_ref_step_set(st, r, "adult", "follow-up", true, &changed, &err), 0);
        assert_true(changed);
    }
    assert_int_equal(hub_ref_step_set(st, 1, "adult", "follow-up", true, &changed, &err), 0);
    assert_false(changed); /* already so */
    assert_int_equal(hub_ref_step_set(st, 9, "adult", "follow-up", true, &changed, &err),
                     KN_ENOTFOUND);

    static const char doc[] = "---\nid: stod\ntitle: Stöd\nsummary: S\naudience: patients\n"
                              "language: sv\nowner: NAG\nstatus: published\ndecided: "
                              "2025-06-01\nsteps: 2_assessment\nreferences: 1, 2\n"
                              "practices: 1, 2\n---\nText.\n";
    struct hub_doc d;
    enum hub_outcome out;
    assert_int_equal(hub_doc_parse(doc, strlen(doc), "s.md", &d, &a, &err), 0);
    assert_int_equal(hub_import(st, &d, "t", T0, &no_rules, &out, &err), 0);

    /* The pathway: the public see the public reference and practice only. */
    const struct hub_pathway *adult = hub_pathway_find(&ps, "adult");
    struct hub_link *l;
    size_t n;
    assert_int_equal(hub_links_to_pathway(st, adult, true, &l, &n, &a, &err), 0);
    assert_int_equal(count(l, n, HUB_LINK_DOCUMENT, "stod", "2_assessment"), 1);
    assert_int_equal(count(l, n, HUB_LINK_REFERENCE, "1", "follow-up"), 1);
    assert_int_equal(count(l, n, HUB_LINK_REFERENCE, "2", NULL), 0);
    assert_int_equal(count(l, n, HUB_LINK_PRACTICE, "1", "2_assessment"), 1);
    assert_int_equal(count(l, n, HUB_LINK_PRACTICE, "2", NULL), 0);
    assert_int_equal(n, 3);
    assert_int_equal(hub_links_to_pathway(st, adult, false, &l, &n, &a, &err), 0);
    assert_int_equal(n, 5);
    /* The document's own links, as the public see them. */
    assert_int_equal(hub_doc_refs(st, "stod", 1, true, &l, &n, &a, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(l[0].title, "Public review");
    assert_int_equal(hub_doc_practices(st, d.practices, true, &l, &n, &a, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(l[0].id, "1");
    assert_int_equal(hub_doc_practices(st, d.practices, false, &l, &n, &a, &err), 0);
    assert_int_equal(n, 2);
    /* Back links of a reference and a practice. */
    assert_int_equal(hub_links_of_ref(st, 2, &l, &n, &a, &err), 0);
    assert_int_equal(count(l, n, HUB_LINK_DOCUMENT, "stod", NULL), 1);
    assert_int_equal(hub_ref_steps(st, 1, &l, &n, &a, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(l[0].pathway, "adult");
    assert_int_equal(hub_links_of_practice(st, 2, &l, &n, &a, &err), 0);
    assert_int_equal(n, 1);

    /* A revision starts with the published version's references. */
    assert_int_equal(
        hub_move(st, "stod", HUB_REVISION, NULL, "yearly review", "t", T0 + 10, &no_rules, &err),
        0);
    assert_int_equal(hub_doc_refs(st, "stod", 2, false, &l, &n, &a, &err), 0);
    assert_int_equal(n, 2);
    /* Unlinked: gone from the pathway. */
    assert_int_equal(hub_ref_step_set(st, 1, "adult", "follow-up", false, &changed, &err), 0);
    assert_true(changed);
    assert_int_equal(hub_links_to_pathway(st, adult, true, &l, &n, &a, &err), 0);
    assert_int_equal(count(l, n, HUB_LINK_REFERENCE, NULL, NULL), 0);
    store_close(st);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_parse),
        cmocka_unit_test(test_doc_store_links),
        cmocka_unit_test(test_practice_steps),
        cmocka_unit_test(test_back_links),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
