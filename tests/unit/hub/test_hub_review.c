/* tests/unit/hub/test_hub_review.c: src/hub/hub_review.c and hub_outline.c:
 * comments per section in review only, invitations and answers in the
 * consultation round, the impact assessment, personnummer screening, the
 * records kept unchanged, and GitHub's heading anchors. */
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
#include "hub/hub_outline.h"
#include "hub/hub_review.h"
#include "testutil.h"

/* The workflow without the safe-messaging lint (test_hub_lint.c tests it). */
static const struct hub_lint_rules no_rules = {NULL, 0};

#define T0 (time_from_day(date_from_ymd(2026, 3, 2)) + 36000)

static const char doc_text[] = "---\nid: stod\ntitle: Stöd\nsummary: Kort.\n"
                               "audience: relatives\nlanguage: sv\nowner: NAG\n---\n"
                               "# Stöd till närstående\n\n## Vad är självskada?\n\nText.\n\n"
                               "## Vad kan du göra\n\nMer.\n\n## Vad kan du göra\n";

static void test_anchors(void **state)
{
    (void)state;
    struct arena a;
    struct hub_outline o;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    const char *md = "# Stöd till Närstående\n\ntext [länk](/a) ![Bild på en dörr](d.png)\n\n"
                     "Vad är självskada?\n---\n\n### `kod` och *mer*\n\n## Stöd till närstående\n";
    assert_int_equal(hub_outline(md, strlen(md), &o, &a, &err), 0);
    assert_int_equal(o.nheadings, 4);
    assert_string_equal(o.headings[0].anchor, "stöd-till-närstående");
    assert_int_equal(o.headings[0].level, 1);
    assert_int_equal(o.headings[0].line, 1);
    assert_string_equal(o.headings[1].text, "Vad är självskada?");
    assert_string_equal(o.headings[1].anchor, "vad-är-självskada"); /* setext, '?' dropped */
    assert_int_equal(o.headings[1].level, 2);
    assert_string_equal(o.headings[2].anchor, "kod-och-mer");
    assert_int_equal(o.headings[2].level, 3);
    assert_string_equal(o.headings[3].anchor, "stöd-till-närstående-1"); /* repeated */
    assert_int_equal(o.nlinks, 2);
    assert_false(o.links[0].image);
    assert_string_equal(o.links[0].url, "/a");
    assert_string_equal(o.links[0].text, "länk");
    assert_true(o.links[1].image);
    assert_string_equal(o.links[1].text, "Bild på en dörr");
    assert_int_equal(o.links[1].line, 3);
    arena_release(&a);
}

static struct store *open_with_doc(void)
{
    char path[256];
    struct store *s;
    struct store_options opt = {STORE_CREATE, 0};
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    struct hub_doc d;
    enum hub_outcome out;
    tu_path(path, sizeof path, "review.db");
    remove(path);
    if (store_open(path, &opt, &s, &err) != 0)
        fail_msg("store_open: %s", err.msg);
    arena_init(&a);
    assert_int_equal(hub_doc_parse(doc_text, strlen(doc_text), "stod.md", &d, &a, &err), 0);
    assert_int_equal(hub_import(s, &d, "author", T0, &no_rules, &out, &err), 0);
    arena_release(&a);
    return s;
}

static void refused(int rc, const struct kn_error *err, int want, const char *msg)
{
    assert_int_equal(rc, want);
    if (!strstr(err->msg, msg))
        fail_msg("message '%s' lacks '%s'", err->msg, msg);
    assert_null(strstr(err->msg, "8885")); /* a personnummer is never echoed */
}

static void move(struct store *s, enum hub_state to, const char *decision)
{
    struct kn_error err = KN_ERROR_INIT;
    if (hub_move(s, "stod", to, decision, "note", "npo", T0, &no_rules, &err) != 0)
        fail_msg("move: %s", err.msg);
}

/* The rule: a comment only in review, on a heading that exists; an
 * invitation in review or consultation; an answer only in consultation and
 * only from an invited organisation, once. */
static void test_round(void **state)
{
    (void)state;
    struct store *s = open_with_doc();
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    struct hub_review r;
    arena_init(&a);

    refused(hub_comment(s, "stod", "vad-kan-du-gora", "Anna", "Tydligare.", T0, &err), &err,
            KN_EINPUT, "a reviewer's comment is recorded in review only; the document is "
                       "in draft");
    refused(hub_answer(s, "stod", "Region Uppsala", "Svar.", "svar.md", "kansli", T0, &err),
            &err, KN_EINPUT, "in consultation only; the document is in draft");
    refused(hub_comment(s, "nothing", "x", "Anna", "x", T0, &err), &err, KN_ENOTFOUND,
            "no document 'nothing'");
    move(s, HUB_REVIEW, NULL);
    assert_int_equal(hub_comment(s, "stod", "vad-kan-du-göra", "Anna", "Tydligare.", T0, &err),
                     0);
    assert_int_equal(hub_comment(s, "stod", "vad-kan-du-göra-1", "Bo", "Dubbel rubrik.", T0,
                                 &err),
                     0);
    refused(hub_comment(s, "stod", "slutet", "Anna", "x", T0, &err), &err, KN_EINPUT,
            "section 'slutet': no such heading in version 1 (there are: "
            "stöd-till-närstående, vad-är-självskada, vad-kan-du-göra, vad-kan-du-göra-1)");
    refused(hub_comment(s, "stod", "vad-är-självskada", "Anna", "Patient 19700808-8885.", T0,
                        &err),
            &err, KN_EINPUT, "the comment: holds a personnummer-shaped number");
    refused(hub_comment(s, "stod", "vad-är-självskada", "Anna", "  \n", T0, &err), &err,
            KN_EINPUT, "the comment is empty");
    assert_int_equal(hub_invite(s, "stod", "Region Uppsala", "region", "kansli", T0, &err), 0);
    refused(hub_invite(s, "stod", "Region Uppsala", "region", "kansli", T0, &err), &err,
            KN_EEXIST, "already invited");
    refused(hub_invite(s, "stod", "Skolan", "school", "kansli", T0, &err), &err, KN_EINPUT,
            "kind 'school'");
    refused(hub_answer(s, "stod", "Region Uppsala", "Svar.", "svar.md", "kansli", T0, &err),
            &err, KN_EINPUT, "in consultation only; the document is in review");

    move(s, HUB_CONSULTATION, "NPO 2026-1");
    refused(hub_comment(s, "stod", "vad-kan-du-göra", "Anna", "Sent.", T0, &err), &err,
            KN_EINPUT, "in review only; the document is in consultation");
    assert_int_equal(hub_invite(s, "stod", "Uppsala kommun", "municipality", "kansli", T0,
                                &err),
                     0);
    refused(hub_answer(s, "stod", "Mind", "Svar.", "svar.md", "kansli", T0, &err), &err,
            KN_EINPUT, "'Mind' was not invited to the consultation on version 1");
    refused(hub_answer(s, "stod", "Region Uppsala", "# Svar\n\nSe 700808-8885.\n", "svar.md",
                       "kansli", T0, &err),
            &err, KN_EINPUT, "svar.md:3: holds a personnummer-shaped number");
    assert_int_equal(hub_answer(s, "stod", "Region Uppsala", "# Svar\n\nBra.\n", "svar.md",
                                "kansli", T0 + 60, &err),
                     0);
    refused(hub_answer(s, "stod", "Region Uppsala", "Igen.", "svar.md", "kansli", T0, &err),
            &err, KN_EINPUT, "has already answered on version 1");
    assert_int_equal(hub_impact(s, "stod", "# Konsekvenser\n\nFörsta.\n", "k.md", "kansli",
                                T0, &err),
                     0);
    assert_int_equal(hub_impact(s, "stod", "# Konsekvenser\n\nAndra.\n", "k.md", "kansli",
                                T0 + 1, &err),
                     0);
    move(s, HUB_REVISION, NULL);
    refused(hub_invite(s, "stod", "Mind", "organisation", "kansli", T0, &err), &err, KN_EINPUT,
            "in review or consultation only; the document is in revision");

    assert_int_equal(hub_review_get(s, "stod", &r, &a, &err), 0);
    assert_int_equal(r.ncomments, 2);
    assert_string_equal(r.comments[0].section, "vad-kan-du-göra");
    assert_string_equal(r.comments[0].author, "Anna");
    assert_string_equal(r.comments[1].body, "Dubbel rubrik.");
    assert_int_equal(r.ninvites, 2);
    assert_string_equal(r.invites[0].org, "Region Uppsala");
    assert_string_equal(r.invites[0].answer, "# Svar\n\nBra.\n");
    assert_int_equal(r.invites[0].answered, T0 + 60);
    assert_string_equal(r.invites[1].kind, "municipality");
    assert_null(r.invites[1].answer);
    /* SQL NULL reads as NULL through hub_col, not as "" (store_col_text's
     * answer): the unanswered invitation has no one who recorded it. */
    assert_null(r.invites[1].answered_by);
    assert_string_equal(r.invites[0].answered_by, "kansli");
    assert_int_equal(r.nimpacts, 1); /* the newer is in force */
    assert_string_equal(r.impacts[0].body, "# Konsekvenser\n\nAndra.\n");

    /* The records stay as they were said, even behind knod's back. */
    assert_int_equal(store_exec(s, "UPDATE hub_comment SET body = 'x'", &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "a review comment cannot be changed"));
    assert_int_equal(store_exec(s, "DELETE FROM hub_answer", &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "a consultation answer cannot be removed"));
    arena_release(&a);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anchors),
        cmocka_unit_test(test_round),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
