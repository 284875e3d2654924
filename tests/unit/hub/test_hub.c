/* tests/unit/hub/test_hub.c: src/hub: the front matter, the workflow, the
 * documents in the store, safe rendering and Swedish search. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/strbuf.h"
#include "hub/hub.h"
#include "hub/hub_pathway.h"
#include "lang/ind.h"
#include "hub/hub_render.h"
#include "hub/hub_search.h"
#include "testutil.h"

/* The workflow without the safe-messaging lint (test_hub_lint.c tests it). */
static const struct hub_lint_rules no_rules = {NULL, 0};

/* A time in 2026, Swedish civil time. */
#define T0 (time_from_day(date_from_ymd(2026, 1, 10)) + 36000)

#define DOC(id, status, extra, body)                                                     \
    "---\nid: " id "\ntitle: Titel " id                                                  \
    "\nsummary: Kort.\naudience: relatives, patients\n"                                  \
    "topics: stöd\nlanguage: sv\nowner: NAG\nstatus: " status "\n" extra "---\n" body

static int parse(const char *text, struct hub_doc *d, struct arena *a,
                 struct kn_error *err)
{
    return hub_doc_parse(text, strlen(text), "t.md", d, a, err);
}

static void refused(const char *text, const char *want)
{
    struct arena a;
    struct hub_doc d;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    assert_int_equal(parse(text, &d, &a, &err), KN_EINPUT);
    if (!strstr(err.msg, want))
        fail_msg("message '%s' lacks '%s'", err.msg, want);
    assert_null(strstr(err.msg, "0808")); /* the personnummer is never echoed */
    arena_release(&a);
}

static void test_front_matter(void **state)
{
    (void)state;
    struct arena a;
    struct hub_doc d;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    assert_int_equal(parse(DOC("a-1", "published", "decided: 2025-06-01\n", "# Rubrik\n"),
                           &d, &a, &err),
                     0);
    assert_string_equal(d.slug, "a-1");
    assert_string_equal(d.audience, "relatives,patients");
    assert_true(d.published);
    assert_int_equal(d.decided, date_from_ymd(2025, 6, 1));
    assert_string_equal(d.body, "# Rubrik\n");
    arena_release(&a);

    refused("# no front matter\n", "t.md:1: no front matter");
    refused("---\nid: a\n", "t.md:1: the front matter has no closing line");
    refused(DOC("a", "draft", "colour: red\n", ""), "t.md:10: unknown key 'colour'");
    refused(DOC("a", "draft", "title: again\n", ""), "t.md:10: 'title' is given twice");
    refused(DOC("A_1", "draft", "", ""), "t.md:2: 'id': use 1-80 of a-z");
    refused(DOC("work", "draft", "", ""), "t.md:2: 'id': 'work' is the portal's");
    refused(DOC("a", "published", "", ""), "t.md:9: 'status: published' needs 'decided");
    refused(DOC("a", "draft", "decided: 2025-01-01\n", ""),
            "t.md:10: 'decided' goes with");
    refused(DOC("a", "review", "", ""), "t.md:9: 'status': draft or published");
    refused("---\nid: a\ntitle: t\nsummary: s\naudience: teachers\nlanguage: sv\nowner: "
            "o\n---\n",
            "t.md:5: 'audience': unknown code 'teachers'");
    refused("---\nid: a\ntitle: t\nsummary: s\naudience: patients\nowner: o\n---\n",
            "t.md:7: 'language' is missing");
    refused(DOC("a", "draft", "", "Första raden.\n\nPatienten 20070808-8885 kom in.\n"),
            "t.md:13: the text holds a personnummer-shaped number");
    refused(DOC("a", "draft", "20070808-8885: x\n", ""),
            "t.md:10: unknown key 'XXXXXXXX-XXXX'");
    refused("---\nid: a\ntitle: Om 200708088885\n",
            "t.md:3: 'title': holds a personnummer");
    refused("---\nid: a\n\xff\n---\n", "t.md:3: not UTF-8");
}

/* The links to indicators and pathway steps: parsed as lists, checked
 * against the shipped catalogue and pathways with file, line and key. */
static void links(const char *extra, int want, const char *msg)
{
    struct arena a;
    struct hub_doc d;
    struct kn_error err = KN_ERROR_INIT;
    struct ind_catalogue cat = {0};
    struct hub_pathways ps;
    arena_init(&a);
    assert_int_equal(ind_catalogue_shipped(&cat, &a, &err), 0);
    assert_int_equal(hub_pathways_shipped(&ps, &a, &err), 0);
    assert_int_equal(parse(DOC("a", "draft", "", ""), &d, &a, &err), 0);
    assert_string_equal(d.indicators, "");
    assert_string_equal(d.steps, "");
    char text[512];
    snprintf(text, sizeof text, DOC("a", "draft", "%s", ""), extra);
    assert_int_equal(parse(text, &d, &a, &err), 0);
    assert_int_equal(hub_doc_check_links(&d, "t.md", &cat, &ps, &err), want);
    if (msg && !strstr(err.msg, msg))
        fail_msg("message '%s' lacks '%s'", err.msg, msg);
    arena_release(&a);
}

static void test_doc_links(void **state)
{
    (void)state;
    links("indicators: vf-followup-7d , vf-adult-assess-7d\nsteps: sip,follow-up\n", 0,
          NULL);
    links("indicators: vf-followup-7d, nothing-7d\n", KN_EINPUT,
          "t.md:10: 'indicators': unknown indicator 'nothing-7d'");
    links("# c\nsteps: follow-up, 9_none\n", KN_EINPUT,
          "t.md:11: 'steps': unknown step code '9_none'");
    links("steps: ,\n", 0, NULL);
    refused(DOC("a", "draft", "steps: sip\nsteps: sip\n", ""),
            "t.md:11: 'steps' is given twice");
}

static void test_pnr_shaped(void **state)
{
    (void)state;
    assert_true(hub_pnr_shaped("x 070808-8885 y"));
    assert_true(hub_pnr_shaped("20070808-8885"));
    assert_true(hub_pnr_shaped("200708088885"));
    assert_true(hub_pnr_shaped("0708088885"));
    assert_true(hub_pnr_shaped("070868+8885")); /* samordningsnummer, day + 60 */
    assert_false(hub_pnr_shaped("Ring 90101 eller 116 111"));
    assert_false(hub_pnr_shaped("ISBN 9789144123456")); /* 13 digits */
    assert_false(hub_pnr_shaped("1234567890"));         /* month 56: no date */
    assert_false(hub_pnr_shaped("2025-06-01"));
}

static void test_flow_table(void **state)
{
    (void)state;
    /* Exactly these steps exist (hub_flow.h); every other pair is refused. */
    static const int allowed[HUB_NSTATES][HUB_NSTATES] = {
        /* to: draft review consult revision published archived */
        [HUB_DRAFT] = {0, 1, 0, 0, 0, 1},        [HUB_REVIEW] = {1, 0, 1, 0, 0, 1},
        [HUB_CONSULTATION] = {0, 0, 0, 1, 0, 0}, [HUB_REVISION] = {0, 1, 0, 0, 1, 1},
        [HUB_PUBLISHED] = {0, 0, 0, 1, 0, 1},    [HUB_ARCHIVED] = {0, 0, 0, 0, 0, 0},
    };
    for (int f = 0; f < HUB_NSTATES; f++)
        for (int t = 0; t < HUB_NSTATES; t++) {
            struct kn_error err = KN_ERROR_INIT;
            int rc = hub_flow_check(f, t, "NPO 1", "why", &err);
            if (allowed[f][t] != (rc == 0))
                fail_msg("%s -> %s: %s", hub_state_name(f), hub_state_name(t), err.msg);
        }
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(hub_flow_check(HUB_REVISION, HUB_PUBLISHED, "", "", &err),
                     KN_EINPUT);
    assert_non_null(strstr(err.msg, "needs the programme area's (NPO) decision"));
    assert_int_equal(hub_flow_check(HUB_REVIEW, HUB_CONSULTATION, NULL, NULL, &err),
                     KN_EINPUT);
    assert_int_equal(hub_flow_check(HUB_PUBLISHED, HUB_ARCHIVED, "", "", &err),
                     KN_EINPUT);
    assert_non_null(strstr(err.msg, "needs a reason"));
    assert_int_equal(hub_flow_check(HUB_DRAFT, HUB_PUBLISHED, "NPO", "", &err),
                     KN_EINPUT);
    assert_non_null(strstr(err.msg, "from draft: review, archived"));
    assert_int_equal(hub_flow_check(HUB_ARCHIVED, HUB_DRAFT, "", "", &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "final"));
    assert_true(hub_flow_editable(HUB_DRAFT) && hub_flow_editable(HUB_REVISION));
    assert_false(hub_flow_editable(HUB_PUBLISHED) || hub_flow_editable(HUB_REVIEW) ||
                 hub_flow_editable(HUB_CONSULTATION) || hub_flow_editable(HUB_ARCHIVED));
}

static void test_render_hostile(void **state)
{
    (void)state;
    static const char *const hostile =
        "# Rubrik\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[klick](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
        "<iframe src=\"https://example.org\"></iframe>\n\n| a | b |\n|---|---|\n| 1 | 2 "
        "|\n\n"
        "Text <b onclick=x>fet</b> & mer.\n";
    struct strbuf out = STRBUF_INIT;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(hub_render_html(hostile, strlen(hostile), &out, &err), 0);
    assert_non_null(strstr(out.buf, "<h1>Rubrik</h1>"));
    assert_non_null(strstr(out.buf, "<table>")); /* GFM tables work */
    assert_non_null(strstr(out.buf, "&amp; mer"));
    assert_null(strstr(out.buf, "<script"));
    assert_null(strstr(out.buf, "<img"));
    assert_null(strstr(out.buf, "onerror"));
    assert_null(strstr(out.buf, "onclick"));
    assert_null(strstr(out.buf, "javascript:"));
    assert_null(strstr(out.buf, "data:text"));
    assert_null(strstr(out.buf, "<iframe"));
    sb_release(&out);
}

static enum hub_outcome import(struct store *s, const char *text, int want_rc)
{
    struct arena a;
    struct hub_doc d;
    struct kn_error err = KN_ERROR_INIT;
    enum hub_outcome out = HUB_UNCHANGED;
    arena_init(&a);
    assert_int_equal(parse(text, &d, &a, &err), 0);
    int rc = hub_import(s, &d, "tester", T0, &no_rules, &out, &err);
    if (rc != want_rc)
        fail_msg("import: %d (%s)", rc, err.msg);
    arena_release(&a);
    return out;
}

static size_t search(struct store *s, const char *q, const char *first)
{
    struct arena a;
    struct hub_hit *h;
    size_t n;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    assert_int_equal(hub_search(s, q, 10, &h, &n, &a, &err), 0);
    if (first && (n == 0 || strcmp(h[0].slug, first) != 0))
        fail_msg("search '%s': first hit %s, wanted %s", q, n ? h[0].slug : "none",
                 first);
    arena_release(&a);
    return n;
}

static void test_documents_in_store(void **state)
{
    (void)state;
    struct store *s = tu_store("docs.db", false);
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    arena_init(&a);
    const char *pub = DOC("bemotande", "published", "decided: 2025-09-15\n",
                          "Om självskadebeteende och bemötande på akuten.\n");
    assert_int_equal(import(s, pub, 0), HUB_CREATED);
    assert_int_equal(import(s, pub, 0), HUB_UNCHANGED);
    /* A published text cannot change by import... */
    import(s, DOC("bemotande", "draft", "", "Ändrad text.\n"), KN_EINPUT);
    /* ... nor by SQL behind knod's back. */
    assert_int_equal(store_exec(s, "UPDATE hub_version SET body = 'x'", &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "a published version cannot be changed"));

    const char *draft = DOC("narstaende", "draft", "", "Stöd när ett barn har skador.\n");
    assert_int_equal(import(s, draft, 0), HUB_CREATED);
    assert_int_equal(
        import(s, DOC("narstaende", "draft", "", "Nytt utkast om skador.\n"), 0),
        HUB_UPDATED);
    struct hub_version v;
    assert_int_equal(hub_get(s, "narstaende", 0, &v, &a, &err), 0);
    assert_string_equal(v.body, "Nytt utkast om skador.\n");
    assert_string_equal(v.state, "draft");

    /* Search: published documents only, in Swedish word forms and parts. */
    assert_int_equal(search(s, "självskada", "bemotande"), 1); /* självskadebeteende */
    assert_int_equal(search(s, "bemöta", "bemotande"), 1);     /* bemötande */
    assert_int_equal(search(s, "skador", "bemotande"), 1);     /* a part: själv|skad|e */
    assert_int_equal(search(s, "utkast", NULL), 0);            /* a draft is not public */
    assert_int_equal(search(s, "\"*) OR NOT (", NULL), 0);     /* FTS syntax is inert */

    /* Through the workflow to publication, then a revision. */
    assert_int_equal(
        hub_move(s, "narstaende", HUB_PUBLISHED, "NPO", "", "t", T0 + 2000, &no_rules, &err),
        KN_EINPUT);
    assert_int_equal(
        hub_move(s, "narstaende", HUB_REVIEW, NULL, NULL, "t", T0 + 2000, &no_rules, &err), 0);
    assert_int_equal(
        hub_move(s, "narstaende", HUB_CONSULTATION, "NPO 1", NULL, "t", T0 + 2100, &no_rules, &err),
        0);
    import(s, DOC("narstaende", "draft", "", "Under remiss ändrad.\n"), KN_EINPUT);
    assert_int_equal(
        hub_move(s, "narstaende", HUB_REVISION, NULL, NULL, "t", T0 + 2200, &no_rules, &err), 0);
    assert_int_equal(
        hub_move(s, "narstaende", HUB_PUBLISHED, "NPO 2", NULL, "t", T0 + 2300, &no_rules, &err), 0);
    assert_int_equal(search(s, "utkast", "narstaende"), 1);
    assert_int_equal(hub_move(s, "narstaende", HUB_REVISION, NULL, "yearly review", "t",
                              T0 + 3000, &no_rules, &err),
                     0);
    assert_int_equal(import(s, DOC("narstaende", "draft", "", "Version två.\n"), 0),
                     HUB_UPDATED);
    struct hub_version v1, v2;
    assert_int_equal(hub_get(s, "narstaende", 1, &v1, &a, &err), 0);
    assert_int_equal(hub_get(s, "narstaende", 2, &v2, &a, &err), 0);
    assert_string_equal(v1.body, "Nytt utkast om skador.\n"); /* kept as published */
    assert_int_equal(v1.published, date_from_ymd(2026, 1, 10));
    assert_string_equal(v2.body, "Version två.\n");
    assert_int_equal(v2.published, 0);
    assert_int_equal(hub_get(s, "narstaende", 3, &v, &a, &err), KN_ENOTFOUND);

    struct hub_event *e;
    size_t n;
    assert_int_equal(hub_history(s, "narstaende", &e, &n, &a, &err), 0);
    assert_int_equal(n, 6);
    assert_string_equal(e[2].to_state, "consultation");
    assert_string_equal(e[2].decision, "NPO 1");
    assert_string_equal(e[5].note, "yearly review");

    /* Archived: out of search, and final. */
    assert_int_equal(
        hub_move(s, "bemotande", HUB_ARCHIVED, NULL, "replaced", "t", T0 + 4000, &no_rules, &err),
        0);
    assert_int_equal(search(s, "självskada", NULL), 0);
    assert_int_equal(hub_move(s, "bemotande", HUB_DRAFT, NULL, "x", "t", T0 + 4100, &no_rules, &err),
                     KN_EINPUT);
    assert_int_equal(hub_move(s, "nothing", HUB_REVIEW, NULL, NULL, "t", T0 + 4100, &no_rules, &err),
                     KN_ENOTFOUND);
    arena_release(&a);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_front_matter),       cmocka_unit_test(test_pnr_shaped),
        cmocka_unit_test(test_doc_links),
        cmocka_unit_test(test_flow_table),         cmocka_unit_test(test_render_hostile),
        cmocka_unit_test(test_documents_in_store),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
