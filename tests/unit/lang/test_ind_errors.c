/* tests/unit/lang/test_ind_errors.c: the indicator language
 * (src/lang/ind_*.c), broken inputs.
 *
 * Every broken input must fail with KN_EINPUT, the exact "file:line:col:"
 * of the token at fault and a telling message, and leave the catalogue
 * unchanged (parse_err, ind_testutil.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lang/ind.h"
#include "lang/ind_impl.h"
#include "ind_testutil.h"

/* ---- broken inputs --------------------------------------------------------- */

static void test_err_lexical(void **state)
{
    (void)state;
    parse_err(HDR("act") "where sex \"F\n" TAIL,
              "t.ind:10:11: string not closed on its line");
    parse_err("indicator t-x\nversion 1\ntitle sv \"a\\n\"\n",
              "t.ind:3:12: only \\\" and \\\\ may be escaped in a string");
    parse_err("indicator t-x\nversion 1\ntitle sv \"ab\\",
              "t.ind:3:13: only \\\" and \\\\ may be escaped in a string");
    parse_err("indicator t-x\nversion 1\ntitle sv \"bad \xC3\x28 utf-8\"\n",
              "t.ind:3:10: string is not valid UTF-8");
    parse_err("indicator t-x\nversion 1\ntitle sv \"overlong \xC0\xAF\"\n",
              "t.ind:3:10: string is not valid UTF-8");
    parse_err(HDR("act") "where sex Ö\n" TAIL,
              "t.ind:10:11: non-ASCII text belongs in a \"string\"");
    parse_err(HDR("act") "where age 10-24 & 30\n" TAIL,
              "t.ind:10:17: unexpected character '&'");
    parse_err(HDR("act") "where\0 age 10-24\n" TAIL,
              "t.ind:10:6: unexpected control character 0x00");
    parse_err(HDR("act") "where \x01 age\n" TAIL,
              "t.ind:10:7: unexpected control character 0x01");
    /* a line of more than IND_MAX_TOKENS tokens: `where age 1, 1, ...` */
    char many[1024];
    int n = snprintf(many, sizeof many, HDR("act") "where age 1");
    for (int i = 0; i < 70; i++)
        n += snprintf(many + n, sizeof many - (size_t)n, ", 1");
    snprintf(many + n, sizeof many - (size_t)n, "\n" TAIL);
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(ind_parse(&CAT, "t.ind", many, strlen(many), &A, &err), KN_EINPUT);
    /* token 129 is the 1 of the 63rd ", 1" (columns 12 + 3 * 62 .. 14 + 3 * 62) */
    assert_string_equal(err.msg, "t.ind:10:200: line has more than 128 tokens");
}

static void test_err_structure(void **state)
{
    (void)state;
    parse_err("", "t.ind:1:1: no indicator in the file");
    parse_err("# only a comment\n\n", "t.ind:1:1: no indicator in the file");
    parse_err("version 1\nindicator t-x\n", "t.ind:1:1: expected 'indicator ID' first");
    parse_err("\n  title sv \"x\"\n", "t.ind:2:3: expected 'indicator ID' first");
    parse_err("indicator Ref_A\n", "t.ind:1:11: expected the indicator's id");
    parse_err("indicator\n", "t.ind:1:10: expected the indicator's id");
    parse_err("indicator 1abc\n", "t.ind:1:11: expected the indicator's id");
    parse_err("indicator a-b extra\n", "t.ind:1:15: unexpected 'extra' at the end");
    parse_err(HDR("act") "frobnicate 3\n" TAIL,
              "t.ind:10:1: unknown statement 'frobnicate'");
    parse_err(HDR("act") "Where age 10-24\n" TAIL,
              "t.ind:10:1: unknown statement 'Where'");
    parse_err(HDR("act") "\"where\" age\n" TAIL, "t.ind:10:1: unknown statement 'where'");
    parse_err(HDR("act") "direction lower please\n",
              "t.ind:10:17: unexpected 'please' at the end of the statement");
    parse_err(HDR("act") "version 2\n" TAIL,
              "t.ind:10:1: 'version' is given twice in this definition");
    parse_err(HDR("act") "from stay\n" TAIL,
              "t.ind:10:1: 'from' is given twice in this definition");
    parse_err(HDR("act") "measure n count events\ndirection lower\ndirection higher\n",
              "t.ind:12:1: 'direction' is given twice in this definition");
    parse_err(HDR("act") "title sv \"again\"\n" TAIL, "t.ind:10:7: given twice");
    parse_err(HDR("act") "title de \"x\"\n" TAIL,
              "t.ind:10:7: expected the language: sv or en");
    parse_err("indicator t-x\nowner \"\"\n",
              "t.ind:2:7: expected a non-empty \"string\"");
    parse_err("indicator t-x\nowner Name\n",
              "t.ind:2:7: expected a non-empty \"string\"");
    parse_err(HDR("act") "description en x\n" TAIL,
              "t.ind:10:16: expected a non-empty \"string\"");
    parse_err("indicator t-x\ngoal fewer\n", "t.ind:2:6: expected a goal: self-harm");
    parse_err("indicator t-x\nversion 1\nwhere age 10-24\n",
              "t.ind:3:1: 'where' must follow 'from'");
    parse_err("indicator t-x\nmeasure n count events\n",
              "t.ind:2:1: 'measure' must follow 'from'");
    parse_err(HDR("death") TAIL, "t.ind:9:6: expected a kind of event (act, contact");
    parse_err(HDR("acts") TAIL, "t.ind:9:6: expected a kind of event");
    parse_err(HDR("act") "version 0\n", "t.ind:10:1: 'version' is given twice");
}

/* Each required statement left out: the message names the definition's line. */
static void test_err_missing(void **state)
{
    (void)state;
    parse_err("indicator t-x\ntitle sv \"a\"\ntitle en \"a\"\ndescription sv \"a\"\n"
              "description en \"a\"\nowner \"o\"\ngoal quality\nfrom act\n" TAIL,
              "t.ind:1:1: indicator t-x: 'version N' is missing");
    parse_err("indicator t-x\nversion 1\ntitle sv \"a\"\ndescription sv \"a\"\n"
              "description en \"a\"\nowner \"o\"\ngoal quality\nfrom act\n" TAIL,
              "t.ind:1:1: indicator t-x: a title in both sv and en is needed");
    parse_err("indicator t-x\nversion 1\ntitle sv \"a\"\ntitle en \"a\"\n"
              "description en \"a\"\nowner \"o\"\ngoal quality\nfrom act\n" TAIL,
              "t.ind:1:1: indicator t-x: a description in both sv and en is needed");
    parse_err(
        "indicator t-x\nversion 1\ntitle sv \"a\"\ntitle en \"a\"\ndescription sv \"a\"\n"
        "description en \"a\"\ngoal quality\nfrom act\n" TAIL,
        "t.ind:1:1: indicator t-x: 'owner \"...\"' is missing");
    parse_err(
        "indicator t-x\nversion 1\ntitle sv \"a\"\ntitle en \"a\"\ndescription sv \"a\"\n"
        "description en \"a\"\nowner \"o\"\nfrom act\n" TAIL,
        "t.ind:1:1: indicator t-x: 'goal G' is missing");
    parse_err(
        "indicator t-x\nversion 1\ntitle sv \"a\"\ntitle en \"a\"\ndescription sv \"a\"\n"
        "description en \"a\"\nowner \"o\"\ngoal quality\ndirection lower\n",
        "t.ind:1:1: indicator t-x: 'from KIND' is missing");
    parse_err(HDR("act") "direction lower\n",
              "t.ind:1:1: indicator t-x: at least one 'measure' is needed");
    parse_err(HDR("act") "measure n count events\n",
              "t.ind:1:1: indicator t-x: 'direction lower|higher' is missing");
    /* the first of two definitions is checked when the second starts */
    parse_err(HDR("act") "measure n count events\n\nindicator t-y\n",
              "t.ind:1:1: indicator t-x: 'direction lower|higher' is missing");
    parse_err(HDR("act") TAIL "indicator t-y\nversion 1\n",
              "t.ind:12:1: indicator t-y: a title in both sv and en is needed");
}

static void test_err_fields(void **state)
{
    (void)state;
    parse_err(HDR("act") "where colour red\n" TAIL, "t.ind:10:7: unknown field 'colour'");
    parse_err(HDR("act") "where brief yes\n" TAIL,
              "t.ind:10:7: field 'brief' does not apply to act events");
    parse_err(HDR("act") "where diagnosis F32\n" TAIL,
              "t.ind:10:7: field 'diagnosis' does not apply to act events");
    parse_err(HDR("stay") "where intent intentional\n" TAIL,
              "t.ind:10:7: field 'intent' does not apply to stay events");
    parse_err(HDR("act") "where has death(mode visit) in start [0d, 1d]\n" TAIL,
              "t.ind:10:17: field 'mode' does not apply to death events");
    parse_err(HDR("stay") "where has act(linked maybe) in start [0d, 1d]\n" TAIL,
              "t.ind:10:22: 'maybe' is not a value of linked (no, yes)");
    parse_err(HDR("act") "where sex X\n" TAIL,
              "t.ind:10:11: 'X' is not a value of sex (F, M)");
    parse_err(HDR("act") "where sex f\n" TAIL, "t.ind:10:11: 'f' is not a value of sex");
    parse_err(HDR("measure") "where type belt\n" TAIL,
              "t.ind:10:12: 'belt' is not a value of type (fastspanning, avskiljning, "
              "tvangsmedicinering, fasthallande, other)");
    parse_err(HDR("stay") "where has plan(type dbt) in start [0d, 1d]\n" TAIL,
              "t.ind:10:21: 'dbt' is not a value of type (care_plan, crisis_plan, sip)");
    parse_err(HDR("stay") "where legal lpt\n" TAIL,
              "t.ind:10:13: 'lpt' is not a value of legal");
    parse_err(HDR("act") "where region 02\n" TAIL,
              "t.ind:10:14: '02' is not a region code (01 .. 25)");
    parse_err(HDR("act") "where region 45\n" TAIL,
              "t.ind:10:14: '45' is not a region code (01 .. 25)");
    parse_err(HDR("act") "where region 1\n" TAIL,
              "t.ind:10:14: '1' is not a region code");
    parse_err(HDR("act") "where region 99\n" TAIL,
              "t.ind:10:14: '99' is not a region code");
    parse_err(HDR("act") "where cause X6\n" TAIL,
              "t.ind:10:13: 'X6' is not an ICD-10 category or range such as X60");
    parse_err(HDR("act") "where cause X60.1\n" TAIL,
              "t.ind:10:13: 'X60.1' is not an ICD-10 category");
    parse_err(HDR("act") "where cause x60\n" TAIL, "t.ind:10:13: 'x60' is not an ICD-10");
    parse_err(HDR("act") "where cause X60-Y3\n" TAIL,
              "t.ind:10:13: 'X60-Y3' is not an ICD-10");
    parse_err(HDR("act") "where cause X84-X60\n" TAIL,
              "t.ind:10:13: range 'X84-X60' runs backwards");
    parse_err(HDR("act") "where age 24-10\n" TAIL,
              "t.ind:10:11: '24-10' is not an age range such as 10-24");
    parse_err(HDR("act") "where age ten\n" TAIL,
              "t.ind:10:11: 'ten' is not an age range");
    parse_err(HDR("act") "where age 10-200\n" TAIL,
              "t.ind:10:11: '10-200' is not an age range");
    parse_err(HDR("act") "where age 10-24,\n" TAIL, "t.ind:10:17: expected a value");
    parse_err(HDR("act") "where age\n" TAIL, "t.ind:10:10: expected a value");
    parse_err(HDR("act") "where (age 10)\n" TAIL,
              "t.ind:10:7: expected a field, 'has' or 'no'");
    parse_err(HDR("act") "where age 10 20\n" TAIL,
              "t.ind:10:14: unexpected '20' at the end");
}

static void test_err_relations(void **state)
{
    (void)state;
    parse_err(HDR("act") "where observed end 7d\n" TAIL,
              "t.ind:10:16: 'observed end' needs anchors with an end");
    parse_err(HDR("stay") "where observed during 7d\n" TAIL,
              "t.ind:10:16: expected 'start' or 'end'");
    parse_err(HDR("stay") "where observed end -7d\n" TAIL,
              "t.ind:10:20: 'observed' looks forward");
    parse_err(HDR("stay") "where observed end 7w\n" TAIL,
              "t.ind:10:20: '7w' is not a duration");
    /* where duration OP D: anchors with an end, a comparison, a length */
    parse_err(HDR("act") "where duration > 1h\n" TAIL,
              "t.ind:10:7: 'duration' needs anchors with an end");
    parse_err(HDR("measure") "where duration 1h\n" TAIL,
              "t.ind:10:16: expected '>', '>=', '<' or '<=' after 'duration'");
    parse_err(HDR("measure") "where duration = 1h\n" TAIL,
              "t.ind:10:16: expected '>', '>=', '<' or '<=' after 'duration'");
    parse_err(HDR("measure") "where duration > -1h\n" TAIL,
              "t.ind:10:18: a duration is not negative");
    parse_err(HDR("measure") "where duration > 1 h\n" TAIL,
              "t.ind:10:18: '1' is not a duration");
    parse_err(HDR("measure") "where duration > 1h 2h\n" TAIL,
              "t.ind:10:21: unexpected '2h' at the end of the statement");
    parse_err(HDR("act") "where has act in start [0d 7d]\n" TAIL,
              "t.ind:10:28: expected ','");
    parse_err(HDR("act") "where has act in start [0d, 7x]\n" TAIL,
              "t.ind:10:29: '7x' is not a duration: whole days or hours");
    parse_err(HDR("act") "where has act in start [0d, 7]\n" TAIL,
              "t.ind:10:29: '7' is not a duration");
    parse_err(HDR("act") "where has act in start [0d, 1.5d]\n" TAIL,
              "t.ind:10:29: '1.5d' is not a duration");
    parse_err(HDR("act") "where has act in start [0d, --1d]\n" TAIL,
              "t.ind:10:29: '--1d' is not a duration");
    parse_err(HDR("act") "where has act in start [0d, 99999999d]\n" TAIL,
              "t.ind:10:29: '99999999d' is not a duration");
    parse_err(HDR("act") "where has act in start [0d, 7d\n" TAIL,
              "t.ind:10:31: expected ']' or ')' to close the window");
    parse_err(HDR("act") "where has act in start {0d, 7d]\n" TAIL,
              "t.ind:10:24: unexpected character '{'");
    parse_err(HDR("act") "where has act in start 0d, 7d]\n" TAIL,
              "t.ind:10:24: expected a window such as [0d, 7d] or (0d, 365d]");
    parse_err(HDR("act") "where has act in start (5d, 5d]\n" TAIL,
              "t.ind:10:24: the window is empty");
    parse_err(HDR("act") "where has act in start [5d, 5d)\n" TAIL,
              "t.ind:10:24: the window is empty");
    parse_err(HDR("act") "where has act in start [7d, 1d]\n" TAIL,
              "t.ind:10:24: the window is empty");
    parse_err(HDR("act") "where has act in start [24h, 0d]\n" TAIL,
              "t.ind:10:24: the window is empty");
    parse_err(HDR("act") "where has act start [0d, 7d]\n" TAIL,
              "t.ind:10:15: expected 'in'");
    parse_err(HDR("act") "where has act in middle [0d, 7d]\n" TAIL,
              "t.ind:10:18: expected 'start' or 'end'");
    parse_err(
        HDR("act") "where has acts in start [0d, 7d]\n" TAIL,
        "t.ind:10:11: expected a kind of event (act, contact, emergency, outpatient, "
        "stay, measure, assessment, plan, treatment, followup, step, death)");
    parse_err(HDR("act") "where has act() in start [0d, 7d]\n" TAIL,
              "t.ind:10:15: expected a field");
    parse_err(HDR("act") "where has act(cause X60 in start [0d, 7d]\n" TAIL,
              "t.ind:10:25: expected ';' or ')' after the field's values");
    parse_err(HDR("act") "where has act(cause X60, in start [0d, 7d]\n" TAIL,
              "t.ind:10:26: 'in' is not an ICD-10");
    parse_err(HDR("act") "where has act in start [0d, 7d] count >= 0\n" TAIL,
              "t.ind:10:42: the count must be a whole number from 1 to 10000, not '0'");
    parse_err(HDR("act") "where has act in start [0d, 7d] count > 2\n" TAIL,
              "t.ind:10:39: expected '>='");
    parse_err(HDR("act") "where has followup in end [0d, 7d]\n" TAIL,
              "t.ind:10:1: 'in end' needs anchors with an end");
    parse_err(HDR("act") "where no act in end [0d, 7d]\n" TAIL,
              "t.ind:10:1: 'in end' needs anchors with an end");
}

static void test_err_statements(void **state)
{
    (void)state;
    parse_err(HDR("act") "period week\n" TAIL,
              "t.ind:10:8: expected year, tertial, quarter or month");
    parse_err(HDR("act") "period year of middle\n" TAIL,
              "t.ind:10:16: expected 'start' or 'end'");
    parse_err(HDR("act") "period year at end\n" TAIL, "t.ind:10:13: expected 'of'");
    parse_err(HDR("act") "years 2024-2020\n" TAIL,
              "t.ind:10:7: expected years such as 2020-2024, not '2024-2020'");
    parse_err(HDR("act") "years 2020\n" TAIL,
              "t.ind:10:7: expected years such as 2020-2024");
    parse_err(HDR("act") "geo home\n" TAIL, "t.ind:10:5: expected 'person' or 'unit'");
    parse_err(HDR("act") "bands 10-14, 12-19\nbreakdown band\n" TAIL,
              "t.ind:10:14: bands must be in order and must not overlap");
    parse_err(HDR("act") "bands 10\nbreakdown band\n" TAIL,
              "t.ind:10:7: expected an age band such as 10-14, not '10'");
    parse_err(
        HDR("act") "breakdown region, age\n" TAIL,
        "t.ind:10:19: expected a breakdown: region, municipality, unit, sex or band");
    parse_err(HDR("act") "breakdown\n" TAIL, "t.ind:10:10: expected a breakdown");
    parse_err(HDR("act") "pick second per person\n" TAIL,
              "t.ind:10:6: expected 'first', 'last' or 'nth N'");
    parse_err(HDR("act") "pick nth 0 per person\n" TAIL,
              "t.ind:10:10: N must be a whole number from 1 to 1000, not '0'");
    parse_err(HDR("act") "pick first per period\n" TAIL,
              "t.ind:10:16: expected 'person'");
    parse_err(HDR("act") "pick first per person always\n" TAIL,
              "t.ind:10:23: expected 'per period' or 'ever'");
    parse_err(HDR("act") "version x\n", "t.ind:10:1: 'version' is given twice");
    parse_err(
        "indicator t-x\nversion 1.5\n",
        "t.ind:2:9: the version must be a whole number from 1 to 100000, not '1.5'");
    parse_err("indicator t-x\nversion -1\n",
              "t.ind:2:9: the version must be a whole number");
    parse_err("indicator t-x\nversion\n", "t.ind:2:8: expected the version");
    parse_err("indicator t-x\nvalid 2023-01-01 .. 2020-01-01\n",
              "t.ind:2:7: valid: the end must come after the start");
    parse_err("indicator t-x\nvalid 2023-02-30 ..\n", "t.ind:2:7: valid: ");
    parse_err("indicator t-x\nvalid 2023-01-01\n", "t.ind:2:17: expected '..'");
    parse_err("indicator t-x\nvalid 2023-01-01.. 2024-01-01 x\n",
              "t.ind:2:31: unexpected 'x' at the end");
    parse_err(HDR("act") "measure n count events\ntarget <= -10%\ndirection lower\n",
              "t.ind:11:15: expected 'from'");
    parse_err(HDR("act") "measure n count events\ntarget <= -10% from x\ndirection lower\n",
              "t.ind:11:21: the base year must be a whole number");
    parse_err(HDR("act") "measure n count events\ntarget <= -100% from 2020\n"
                         "direction lower\n",
              "t.ind:11:11: a change of -100% leaves nothing");
    parse_err(HDR("act") "measure n count events\ntarget >= lots\ndirection lower\n",
              "t.ind:11:11: 'lots' is not a number");
    parse_err(HDR("act") "measure n count events\ntarget >= nan\ndirection lower\n",
              "t.ind:11:11: 'nan' is not a number");
    parse_err(HDR("act") "measure n count events\ntarget >= inf\ndirection lower\n",
              "t.ind:11:11: 'inf' is not a number");
    parse_err(HDR("act") "measure n count events\ntarget >= 0x10\ndirection lower\n",
              "t.ind:11:11: '0x10' is not a number");
    parse_err(HDR("act") "measure n count events\ntarget = 10\ndirection lower\n",
              "t.ind:11:8: expected '<=' or '>='");
    parse_err(HDR("act") "target >= 10 for n\n" TAIL,
              "t.ind:10:18: no measure of that name above");
    parse_err(HDR("act") "measure n count events\ntarget >= 10 for m\ndirection lower\n",
              "t.ind:11:18: no measure of that name above");
    parse_err(
        HDR("act") "measure n count events\ntarget >= 1\ntarget <= 2\ndirection lower\n",
        "t.ind:12:1: 'target' is given twice in this definition");
    parse_err(HDR("act") "measure n count events\ndirection up\n",
              "t.ind:11:11: expected 'lower' or 'higher'");
}

static void test_err_measures(void **state)
{
    (void)state;
    parse_err(
        HDR("act") "measure n count events\nmeasure n count persons\ndirection lower\n",
        "t.ind:11:9: measure 'n' is defined twice");
    parse_err(HDR("act") "measure N count events\ndirection lower\n",
              "t.ind:10:9: expected a measure name (lower-case letters, digits and _)");
    parse_err(HDR("act") "measure my-rate count events\ndirection lower\n",
              "t.ind:10:9: expected a measure name");
    parse_err(HDR("act") "measure n tally events\ndirection lower\n",
              "t.ind:10:11: expected a measure: count, sum, proportion, median, survival "
              "or ratio");
    parse_err(HDR("act") "measure n count things\ndirection lower\n",
              "t.ind:10:17: expected 'events' or 'persons'");
    parse_err(HDR("act") "measure n count events per 0 population\ndirection lower\n",
              "t.ind:10:28: the multiplier must be a whole number from 1 to 1000000000");
    parse_err(HDR("act") "measure n count events per 1000 people\ndirection lower\n",
              "t.ind:10:33: expected 'population'");
    parse_err(HDR("stay") "measure n sum weeks\ndirection lower\n",
              "t.ind:10:15: expected 'days' or 'hours'");
    parse_err(HDR("stay") "measure n median days\ndirection lower\n",
              "t.ind:10:22: expected 'of duration' or 'to first ...'");
    parse_err(
        HDR("stay") "measure n median days to act in start [0d, 1d]\ndirection lower\n",
        "t.ind:10:26: expected 'first'");
    parse_err(HDR("stay") "measure n proportion colour red\ndirection lower\n",
              "t.ind:10:22: unknown field 'colour'");
    parse_err(HDR("act") "measure n proportion brief yes\ndirection lower\n",
              "t.ind:10:22: field 'brief' does not apply to act events");
    parse_err(HDR("stay") "measure n survival act in start [0d, 1d] censor life\n"
                          "direction lower\n",
              "t.ind:10:49: expected 'death'");
    parse_err(HDR("stay") "measure n count events\nmeasure r ratio n/n per "
                          "100\ndirection lower\n",
              "t.ind:11:17: expected the name of a measure");
    parse_err(HDR("stay") "measure n count events\nmeasure r ratio n / Ref-B:x per 100\n"
                          "direction lower\n",
              "t.ind:11:21: expected ID:MEASURE");
    parse_err(HDR("stay") "measure n count events\nmeasure r ratio n / ref-b: per 100\n"
                          "direction lower\n",
              "t.ind:11:21: expected the name of a measure, or ID:MEASURE");
    parse_err(
        HDR("stay") "measure n count events\nmeasure r ratio n / n\ndirection lower\n",
        "t.ind:11:22: expected 'per'");
    parse_err(HDR("stay") "measure a count events\nmeasure b count events\nmeasure c "
                          "count events\n"
                          "measure d count events\nmeasure e count events\nmeasure f "
                          "count events\n"
                          "measure g count events\nmeasure h count events\nmeasure i "
                          "count events\n"
                          "direction lower\n",
              "t.ind:18:23: at most 8 measures");
}

/* Combinations that are checked when a definition ends. */
static void test_err_combinations(void **state)
{
    (void)state;
    parse_err(HDR("act") "bands 10-14, 15-24\nbreakdown region, band\n"
                         "measure r count persons per 100000 population standardised\n"
                         "direction lower\n",
              "t.ind:12:1: measure r: a standardised rate needs 'bands' of ESP2013's "
              "five-year groups");
    parse_err(HDR("act") "bands 11-15\nbreakdown band\n"
                         "measure r count persons per 100000 population standardised\n"
                         "direction lower\n",
              "t.ind:12:1: measure r: a standardised rate needs 'bands'");
    parse_err(HDR("act") "measure r count persons per 100000 population standardised\n"
                         "direction lower\n",
              "t.ind:10:1: measure r: a standardised rate needs 'bands'");
    parse_err(HDR("act") "geo unit\n" TAIL,
              "t.ind:1:1: indicator t-x: 'geo unit' needs events at a care unit");
    parse_err(HDR("step") "geo unit\n" TAIL,
              "t.ind:1:1: indicator t-x: 'geo unit' needs events at a care unit");
    parse_err(HDR("emergency") "geo unit\nmeasure r count persons per 1000 population\n"
                               "direction lower\n",
              "t.ind:11:1: measure r: a rate per population needs 'geo person'");
    parse_err(HDR("act") "period year of end\n" TAIL,
              "t.ind:1:1: indicator t-x: 'period ... of end' needs events with an end");
    parse_err(HDR("emergency") "geo unit\nbreakdown municipality\n" TAIL,
              "t.ind:1:1: indicator t-x: the municipality breakdown needs 'geo person'");
    parse_err(HDR("emergency") "breakdown unit\n" TAIL,
              "t.ind:1:1: indicator t-x: the unit breakdown needs 'geo unit'");
    parse_err(HDR("act") "breakdown band\n" TAIL,
              "t.ind:1:1: indicator t-x: the band breakdown needs 'bands'");
    parse_err(
        HDR("act") "bands 10-14\n" TAIL,
        "t.ind:1:1: indicator t-x: 'bands' are given but 'band' is not in the breakdown");
    parse_err(HDR("act") "measure d sum days\ndirection lower\n",
              "t.ind:10:1: measure d: only events with an end");
    parse_err(HDR("assessment") "measure d median hours of duration\ndirection lower\n",
              "t.ind:10:1: measure d: only events with an end");
    parse_err(
        HDR("act") "measure p proportion has followup in end [0d, 7d]\ndirection lower\n",
        "t.ind:10:1: measure p: 'in end' needs anchors with an end");
    parse_err(HDR("act") "measure m median days to first act in end [0d, 7d]\ndirection "
                         "lower\n",
              "t.ind:10:1: measure m: 'in end' needs anchors with an end");
    parse_err(HDR("act") "measure k survival act in start (0d, 365d] count >= 2\n"
                         "direction lower\n",
              "t.ind:10:1: measure k: survival counts the first event; drop 'count'");
    parse_err(HDR("act") "measure k survival act in start [-1d, 365d]\ndirection lower\n",
              "t.ind:10:1: measure k: survival looks forward");
    parse_err(
        HDR("act") "measure n count events\nmeasure r ratio x / n per 100\n"
                   "direction lower\n",
        "t.ind:11:1: measure r: the numerator must be another measure of this indicator");
    parse_err(HDR("act") "measure n count events\nmeasure r ratio n / nope per 100\n"
                         "direction lower\n",
              "t.ind:11:1: measure r: the denominator must be another measure of this "
              "indicator, or ID:MEASURE");
    parse_err(HDR("act") "measure n count events\nmeasure r ratio n / n per 100\n"
                         "measure s ratio r / n per 100\ndirection lower\n",
              "t.ind:12:1: measure s: the numerator must be another measure");
    parse_err(HDR("act") "measure r ratio r / r per 100\ndirection lower\n",
              "t.ind:10:1: measure r: the numerator must be another measure");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_err_lexical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_structure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_relations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_statements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_measures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_err_combinations, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
