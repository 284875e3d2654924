/* tests/unit/survey/test_survey_draft.c: a questionnaire built step by
 * step in the portal (survey/survey_draft.h).
 *
 * A draft may have no questions but cannot be sent; survey_def_to_json
 * writes what the reader reads back the same; a new draft takes a code no
 * survey has and keeps its maker; a step changes the survey it names and
 * no other, keeps its code, and is refused once the survey is sent. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "survey/survey_draft.h"
#include "testutil.h"

static const char *const EMPTY =
    "{\"code\": \"kurs\", \"title\": {\"sv\": \"K\", \"en\": \"C\"}, \"questions\": []}";
static const char *const FULL =
    "{\"code\": \"kurs\", \"anonymous\": false, \"title\": {\"sv\": \"K\", \"en\": "
    "\"C\"}, "
    "\"intro\": {\"sv\": \"I\", \"en\": \"I\"}, \"questions\": ["
    "{\"id\": \"s\", \"kind\": \"scale\", \"required\": true, \"text\": {\"sv\": \"S\", "
    "\"en\": \"S\"}, \"help\": {\"sv\": \"h\", \"en\": \"h\"}, \"scale\": {\"min\": 0, "
    "\"max\": 4, \"min_label\": {\"sv\": \"a\", \"en\": \"a\"}, \"max_label\": {\"sv\": "
    "\"b\", \"en\": \"b\"}}},"
    "{\"id\": \"c\", \"kind\": \"single\", \"required\": false, \"text\": {\"sv\": "
    "\"C\", \"en\": \"C\"}, \"options\": [{\"value\": \"y\", \"sv\": \"Ja\", \"en\": "
    "\"Yes\"}, {\"value\": \"n\", \"sv\": \"Nej\", \"en\": \"No\"}]},"
    "{\"id\": \"f\", \"kind\": \"text\", \"required\": false, \"text\": {\"sv\": "
    "\"F\", \"en\": \"F\"}}]}";

static void draft_parse(void **state)
{
    (void)state;
    struct arena a;
    struct survey_def d;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    /* the file's reader still wants a question, the draft's does not */
    assert_int_equal(survey_def_parse(EMPTY, strlen(EMPTY), "d", &d, &a, &err),
                     KN_EINPUT);
    assert_non_null(strstr(err.msg, "questions: a list of 1 to 100"));
    assert_int_equal(survey_def_parse_draft(EMPTY, strlen(EMPTY), "d", &d, &a, &err), 0);
    assert_int_equal(d.nq, 0);
    /* every other rule stays */
    const char *bad = "{\"code\": \"K!\", \"title\": {\"sv\": \"K\", \"en\": \"C\"}, "
                      "\"questions\": []}";
    assert_int_equal(survey_def_parse_draft(bad, strlen(bad), "d", &d, &a, &err),
                     KN_EINPUT);
    assert_non_null(strstr(err.msg, "d: code: 1 to 40"));
    arena_release(&a);
}

static void json_round_trip(void **state)
{
    (void)state;
    struct arena a;
    struct survey_def d, back;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    assert_int_equal(survey_def_parse(FULL, strlen(FULL), "d", &d, &a, &err), 0);
    json_t *j = survey_def_to_json(&d);
    assert_non_null(j);
    json_t *orig = json_loads(FULL, 0, NULL);
    assert_true(json_equal(j, orig)); /* the file's JSON, key for key */
    char *s = json_dumps(j, 0);
    assert_int_equal(survey_def_parse(s, strlen(s), "d", &back, &a, &err), 0);
    assert_int_equal(back.nq, 3);
    assert_string_equal(back.q[0].help.en, "h");
    assert_int_equal(back.q[0].min, 0);
    assert_false(back.anonymous);
    free(s);
    json_decref(j);
    json_decref(orig);
    arena_release(&a);
}

static void draft_store(void **state)
{
    (void)state;
    struct store *st = tu_store("draft.db", true);
    struct arena a;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    int64_t id = 0, other = 0;
    assert_int_equal(
        survey_draft_add(st, EMPTY, strlen(EMPTY), "q", "anna", 1000, &id, &err), 0);
    const char *by;
    assert_int_equal(survey_creator(st, id, &by, &a, &err), 0);
    assert_string_equal(by, "anna");
    /* a code in use is refused, naming the code */
    assert_int_equal(
        survey_draft_add(st, EMPTY, strlen(EMPTY), "q", "bo", 1000, &other, &err),
        KN_EEXIST);
    assert_non_null(strstr(err.msg, "q: code: survey"));
    /* a draft without questions cannot be sent */
    char **t;
    size_t n;
    assert_int_equal(survey_send(st, id, "region", "12", 2, 1000, &t, &n, &a, &err),
                     KN_EINPUT);
    assert_non_null(strstr(err.msg, "no questions"));
    /* a step: the survey named, its code kept */
    assert_int_equal(survey_draft_update(st, id, FULL, strlen(FULL), "q", 1001, &err), 0);
    struct survey_info si;
    assert_int_equal(survey_get(st, id, &si, &a, &err), 0);
    assert_int_equal(si.def.nq, 3);
    assert_false(si.anonymous);
    const char *renamed =
        "{\"code\": \"annan\", \"title\": {\"sv\": \"K\", \"en\": \"C\"}, "
        "\"questions\": []}";
    assert_int_equal(
        survey_draft_update(st, id, renamed, strlen(renamed), "q", 1001, &err),
        KN_EINPUT);
    assert_non_null(strstr(err.msg, "q: code: "));
    /* sent: no more steps */
    assert_int_equal(survey_send(st, id, "region", "12", 2, 1002, &t, &n, &a, &err), 0);
    assert_int_equal(survey_draft_update(st, id, EMPTY, strlen(EMPTY), "q", 1003, &err),
                     KN_EEXIST);
    assert_non_null(strstr(err.msg, "a sent survey never changes"));
    assert_int_equal(survey_get(st, id, &si, &a, &err), 0);
    assert_int_equal(si.def.nq, 3);
    /* a survey of the CLI has no maker */
    int v;
    bool replaced;
    const char *cli = "{\"code\": \"cli\", \"title\": {\"sv\": \"K\", \"en\": \"C\"}, "
                      "\"questions\": [{\"id\": \"f\", \"kind\": \"text\", \"text\": "
                      "{\"sv\": \"F\", \"en\": \"F\"}}]}";
    assert_int_equal(
        survey_create(st, cli, strlen(cli), "c", 1000, &other, &v, &replaced, &err), 0);
    assert_int_equal(survey_creator(st, other, &by, &a, &err), 0);
    assert_null(by);
    assert_int_equal(survey_creator(st, 999, &by, &a, &err), KN_ENOTFOUND);
    arena_release(&a);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(draft_parse),
        cmocka_unit_test(json_round_trip),
        cmocka_unit_test(draft_store),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
