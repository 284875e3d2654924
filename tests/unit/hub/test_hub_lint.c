/* tests/unit/hub/test_hub_lint.c: src/hub/hub_lint.c: each kind of rule
 * with Swedish word forms, spaced help numbers, which audiences a rule
 * reaches, bad rule files named by line, and the workflow refusing to
 * publish a public document that breaks a rule. */
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
#include "hub/hub_lint.h"
#include "testutil.h"

#define T0 (time_from_day(date_from_ymd(2026, 3, 2)) + 36000)

static const char rules_csv[] =
    "rule,kind,match,audiences,message\n"
    "method,method,rakblad*|förgiftning|tablett överdos,public,names a method\n"
    "loud,sensational,chockerande|begå självmord,public,sensational\n"
    "help-112,help,112,public,no 112\n"
    "help-bris,help,116 111|BRIS,patients school-health,no BRIS\n"
    "staff-only,help,riktlinje,care-staff,no guideline\n";

static const char help_ok[] = "\nRing 112. BRIS 116 111.\nriktlinje\n";

static struct hub_lint_rules rules;
static struct arena ra;

static int setup(void **state)
{
    struct kn_error err = KN_ERROR_INIT;
    (void)state;
    arena_init(&ra);
    if (hub_lint_rules_parse(rules_csv, strlen(rules_csv), "r.csv", &rules, &ra, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return tu_tmpdir_setup(state);
}

static int teardown(void **state)
{
    arena_release(&ra);
    return tu_tmpdir_teardown(state);
}

/* The findings for a body (title "T", summary "S") as "rule@line:found"
 * joined by ';'. */
static const char *lint(const char *body, const char *audience, char *out, size_t cap)
{
    struct arena a;
    struct kn_error err = KN_ERROR_INIT;
    struct hub_lint_finding *f;
    size_t n, len = 0;
    arena_init(&a);
    const struct hub_lint_text t = {"T", "S", body, audience, "sv", 10};
    assert_int_equal(hub_lint(&rules, &t, &f, &n, &a, &err), 0);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(out + len, cap - len, "%s%s@%d:%s", i ? ";" : "", f[i].rule->id,
                         f[i].line, f[i].found ? f[i].found : "-");
        len += k > 0 ? (size_t)k : 0;
    }
    arena_release(&a);
    return out;
}

/* Method and sensational words: by stem ("förgiftningen", "förgiftningar"),
 * by prefix ("rakbladen", "rakbladsask"), several words in a row; the
 * line counts from the body's first line (10 here). Words that only look
 * alike ("rak", "giftig") are not found. */
static void test_words(void **state)
{
    (void)state;
    char buf[512], text[512];
    snprintf(text, sizeof text, "Rak text om giftiga ämnen.%s", help_ok);
    assert_string_equal(lint(text, "patients", buf, sizeof buf), "");
    snprintf(text, sizeof text, "Om förgiftningen.\nRakbladen och en rakbladsask.%s", help_ok);
    assert_string_equal(lint(text, "relatives", buf, sizeof buf),
                        "method@10:förgiftningen;method@11:Rakbladen;method@11:rakbladsask");
    snprintf(text, sizeof text, "Förgiftningar, en tablett\növerdos.%s", help_ok);
    assert_string_equal(lint(text, "patients", buf, sizeof buf),
                        "method@10:Förgiftningar;method@10:tablett\növerdos");
    snprintf(text, sizeof text, "CHOCKERANDE att begå självmord.%s", help_ok);
    assert_string_equal(lint(text, "police", buf, sizeof buf),
                        "loud@10:CHOCKERANDE;loud@10:begå självmord");
}

/* Help: the number as a number, its digits spaced or not, not inside a
 * longer number; the audiences a rule names, "public" for all public. */
static void test_help(void **state)
{
    (void)state;
    char buf[512];
    assert_string_equal(lint("Ring 112 eller 116111.", "patients", buf, sizeof buf), "");
    assert_string_equal(lint("Ring 112 eller 116 111.", "patients", buf, sizeof buf), "");
    assert_string_equal(lint("Ring 112 eller bris.", "school-health", buf, sizeof buf), "");
    assert_string_equal(lint("Ring 1120 eller 116 1110.", "patients", buf, sizeof buf),
                        "help-112@0:-;help-bris@0:-");
    /* relatives: public (112), but the BRIS rule is for young people. */
    assert_string_equal(lint("Ring 112.", "relatives", buf, sizeof buf), "");
    /* Not public: only the rules for its own audience. */
    assert_string_equal(lint("Rakblad.", "care-staff", buf, sizeof buf),
                        "staff-only@0:-");
    assert_true(hub_lint_public("care-staff,school-health"));
    assert_false(hub_lint_public("care-staff,decision-makers"));
}

static void bad_rules(const char *csv, const char *want)
{
    struct arena a;
    struct hub_lint_rules r;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    assert_int_equal(hub_lint_rules_parse(csv, strlen(csv), "r.csv", &r, &a, &err), KN_EINPUT);
    if (!strstr(err.msg, want))
        fail_msg("message '%s' lacks '%s'", err.msg, want);
    arena_release(&a);
}

static void test_rule_file(void **state)
{
    (void)state;
    const char *h = "rule,kind,match,audiences,message\n";
    char csv[256];
    bad_rules("rule,kind,match\n", "r.csv:1: the header must be");
    bad_rules("", "r.csv: empty");
    bad_rules(h, "r.csv: no rules");
    snprintf(csv, sizeof csv, "%sa,method,x,public\n", h);
    bad_rules(csv, "r.csv:2: 5 fields wanted, found 4");
    snprintf(csv, sizeof csv, "%sa,loud,x,public,m\n", h);
    bad_rules(csv, "r.csv:2: 'kind': method, sensational or help");
    snprintf(csv, sizeof csv, "%sa,help,x,public,m\nb,help,y,teachers,m\n", h);
    bad_rules(csv, "r.csv:3: 'audiences': unknown code 'teachers'");
    snprintf(csv, sizeof csv, "%sa,help, | ,public,m\n", h);
    bad_rules(csv, "r.csv:2: 'match': no entry");
    snprintf(csv, sizeof csv, "%sa,help,x,public,m\na,help,y,public,m\n", h);
    bad_rules(csv, "r.csv:3: 'rule': 'a' is given twice");
    snprintf(csv, sizeof csv, "%sA b,help,x,public,m\n", h);
    bad_rules(csv, "r.csv:2: 'rule': use 1-80");

    /* The shipped rules parse, and the example documents pass them. */
    struct arena a;
    struct hub_lint_rules shipped;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    assert_int_equal(hub_lint_rules_shipped(&shipped, &a, &err), 0);
    assert_true(shipped.n >= 6);
    arena_release(&a);
}

/* Publishing a public document runs the lint: the move is refused with
 * the rule and the line, and so is an import as already published; a
 * document for care staff only is not held to the public rules. */
static void test_publication(void **state)
{
    (void)state;
    char path[256];
    struct store *s;
    struct store_options opt = {STORE_CREATE, 0};
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    struct hub_doc d;
    enum hub_outcome out;
    tu_path(path, sizeof path, "lint.db");
    if (store_open(path, &opt, &s, &err) != 0)
        fail_msg("store_open: %s", err.msg);
    arena_init(&a);
    const char *text = "---\nid: pub\ntitle: Stöd\nsummary: Kort.\naudience: relatives\n"
                       "language: sv\nowner: NAG\n---\n# Stöd\n\nOm förgiftning.\nRing 112.\n";
    assert_int_equal(hub_doc_parse(text, strlen(text), "pub.md", &d, &a, &err), 0);
    assert_int_equal(d.body_line, 9);
    assert_int_equal(hub_import(s, &d, "t", T0, &rules, &out, &err), 0);
    const enum hub_state path_to[] = {HUB_REVIEW, HUB_CONSULTATION, HUB_REVISION};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(hub_move(s, "pub", path_to[i], "NPO", NULL, "t", T0, &rules, &err), 0);
    assert_int_equal(hub_move(s, "pub", HUB_PUBLISHED, "NPO", NULL, "t", T0, &rules, &err),
                     KN_EINPUT);
    if (!strstr(err.msg, "'pub' cannot be published: it breaks the safe-messaging rules: "
                         "line 3: method: 'förgiftning' names a method"))
        fail_msg("%s", err.msg);
    struct hub_version v;
    assert_int_equal(hub_get(s, "pub", 0, &v, &a, &err), 0);
    assert_string_equal(v.state, "revision"); /* nothing changed */

    /* Imported as already published: refused with the file's line. */
    const char *pubtext = "---\nid: old\ntitle: Stöd\nsummary: Kort.\naudience: patients\n"
                          "language: sv\nowner: NAG\nstatus: published\ndecided: 2025-01-01\n"
                          "---\nRing 112.\n";
    assert_int_equal(hub_doc_parse(pubtext, strlen(pubtext), "old.md", &d, &a, &err), 0);
    assert_int_equal(hub_import(s, &d, "t", T0, &rules, &out, &err), KN_EINPUT);
    if (!strstr(err.msg, "help-bris: no BRIS"))
        fail_msg("%s", err.msg);
    assert_int_equal(hub_get(s, "old", 0, &v, &a, &err), KN_ENOTFOUND);

    /* For care staff: the public rules do not apply. */
    const char *staff = "---\nid: staff\ntitle: Stöd\nsummary: Kort.\naudience: care-staff\n"
                        "language: sv\nowner: NAG\nstatus: published\ndecided: 2025-01-01\n"
                        "---\nOm förgiftning. En riktlinje.\n";
    assert_int_equal(hub_doc_parse(staff, strlen(staff), "staff.md", &d, &a, &err), 0);
    assert_int_equal(hub_import(s, &d, "t", T0, &rules, &out, &err), 0);
    arena_release(&a);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_rule_file),
        cmocka_unit_test(test_publication),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
