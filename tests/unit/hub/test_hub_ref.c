/* tests/unit/hub/test_hub_ref.c: src/hub/hub_ref*.c: DOIs normalised, RIS
 * and CSL-JSON read as Zotero and EndNote write them, every broken input
 * refused with the file, the line or JSON path and the field (never
 * echoing a personnummer), each format's output read back to the same
 * references, and the store's duplicates by DOI skipped or merged. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hub/hub_ref.h"
#include "hub/hub_ref_store.h"
#include "testutil.h"

/* Two references as EndNote writes them: CRLF, a BOM, a wrapped abstract,
 * pages in SP and EP, keywords in one line and in two. */
static const char ris[] =
    "\xEF\xBB\xBFTY  - JOUR\r\n"
    "TI  - Interventions for self-harm in children and adolescents\r\n"
    "AU  - Witt, Katrina G.\r\n"
    "AU  - Hetrick, Sarah E.\r\n"
    "PY  - 2021/03/09/\r\n"
    "T2  - Cochrane Database of Systematic Reviews\r\n"
    "IS  - 3\r\n"
    "SP  - CD013667\r\n"
    "DO  - https://doi.org/10.1002/14651858.CD013667.pub2\r\n"
    "AN  - 33677832\r\n"
    "KW  - självskada, ungdomar\r\n"
    "KW  - behandling\r\n"
    "AB  - En systematisk översikt av psykosociala\r\n"
    "och farmakologiska insatser.\r\n"
    "C1  - systematic-review\r\n"
    "C2  - low\r\n"
    "C3  - public\r\n"
    "ER  - \r\n"
    "\r\n"
    "TY  - RPRT\r\n"
    "TI  - Self-harm: assessment, management and preventing recurrence\r\n"
    "AU  - National Institute for Health and Care Excellence\r\n"
    "PY  - 2022\r\n"
    "SP  - 1\r\n"
    "EP  - 64\r\n"
    "UR  - https://www.nice.org.uk/guidance/ng225\r\n"
    "ER  -\r\n";

static void test_doi(void **state)
{
    (void)state;
    char d[64];
    assert_int_equal(hub_ref_doi(" https://doi.org/10.1002/ABC.x1 ", 32, d, sizeof d), 0);
    assert_string_equal(d, "10.1002/abc.x1");
    assert_int_equal(hub_ref_doi("doi:10.1136/bmj.k1234", 21, d, sizeof d), 0);
    assert_string_equal(d, "10.1136/bmj.k1234");
    assert_int_equal(hub_ref_doi("HTTP://DX.DOI.ORG/10.1/x", 24, d, sizeof d), 0);
    assert_string_equal(d, "10.1/x");
    const char *bad[] = {"", "10.1002", "10./x", "11.1002/x", "10.1002/", "10.10a2/x",
                         "10.1002/a b", "10.1002/\xc3\xa5"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(hub_ref_doi(bad[i], strlen(bad[i]), d, sizeof d), KN_EINPUT);
    assert_int_equal(hub_ref_doi("10.1002/abcdef", 14, d, 10), KN_EINPUT); /* too long */
}

static void test_ris_read(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct hub_ref_set set = {0};
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(hub_ris_parse(ris, strlen(ris), "lib.ris", &set, &a, &err), 0);
    assert_int_equal(set.n, 2);
    const struct hub_ref *r = &set.refs[0];
    assert_string_equal(r->pub_type, "article");
    assert_int_equal(r->line, 1);
    assert_int_equal(r->nauthors, 2);
    assert_string_equal(r->authors[1], "Hetrick, Sarah E.");
    assert_int_equal(r->year, 2021);
    assert_string_equal(r->journal, "Cochrane Database of Systematic Reviews");
    assert_string_equal(r->doi, "10.1002/14651858.cd013667.pub2");
    assert_string_equal(r->pmid, "33677832");
    assert_int_equal(r->ntopics, 3);
    assert_string_equal(r->topics[0], "självskada");
    assert_string_equal(r->topics[2], "behandling");
    assert_string_equal(r->summary,
                        "En systematisk översikt av psykosociala och farmakologiska insatser.");
    assert_string_equal(r->study_type, "systematic-review");
    assert_string_equal(r->grade, "low");
    assert_true(r->is_public);
    r = &set.refs[1];
    assert_string_equal(r->pub_type, "report");
    assert_int_equal(r->line, 20);
    assert_string_equal(r->pages, "1-64");
    assert_null(r->doi);
    assert_false(r->is_public);
    assert_string_equal(r->url, "https://www.nice.org.uk/guidance/ng225");
    arena_release(&a);
}

/* Each broken input: the message it must begin with. */
static void expect_ris(const char *text, const char *msg)
{
    struct arena a;
    arena_init(&a);
    struct hub_ref_set set = {0};
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(hub_ris_parse(text, strlen(text), "x.ris", &set, &a, &err), KN_EINPUT);
    if (strncmp(err.msg, msg, strlen(msg)) != 0)
        fail_msg("got '%s', expected '%s'", err.msg, msg);
    assert_null(strstr(err.msg, "1212"));
    arena_release(&a);
}

static void test_ris_broken(void **state)
{
    (void)state;
    expect_ris("", "x.ris: no references");
    expect_ris("TI  - x\nER  - \n", "x.ris:1: expected 'TY  - '");
    expect_ris("hello\n", "x.ris:1: expected 'TY  - '");
    expect_ris("TY  - JOUR\nTI  - a\n", "x.ris:1: TY: the reference has no 'ER  - '");
    expect_ris("TY  - JOUR\nTI  - a\nTY  - JOUR\n", "x.ris:3: TY: a new reference");
    expect_ris("TY  - JOUR\nAU  - A\nER  - \n", "x.ris:1: TI: a reference needs a title");
    expect_ris("TY  - JOUR\nTI  - a\nDO  - 10.1002\nER  - \n", "x.ris:3: DO: not a DOI");
    expect_ris("TY  - JOUR\nTI  - a\nPY  - 20x1\nER  - \n", "x.ris:3: PY: not a year");
    expect_ris("TY  - JOUR\nTI  - a\nPY  - 20211\nER  - \n", "x.ris:3: PY: not a year");
    expect_ris("TY  - JOUR\nTI  - a\nTI  - b\nER  - \n", "x.ris:3: TI: given twice");
    expect_ris("TY  - JOUR\nTI  - a\nC1  - anecdote\nER  - \n",
               "x.ris:3: C1: study type: not one of systematic-review");
    expect_ris("TY  - JOUR\nTI  - a\nC2  - great\nER  - \n",
               "x.ris:3: C2: evidence grade: not one of high");
    expect_ris("TY  - JOUR\nTI  - a\nC3  - yes\nER  - \n", "x.ris:3: C3: 'public' or");
    expect_ris("TY  - JOUR\nTI  - a\nAB  - ring 19121212-1212\nER  - \n",
               "x.ris:3: AB holds a personnummer-shaped number");
    expect_ris("TY  - JOUR\nTI  - a\xff\nER  - \n", "x.ris:2: TI: not valid UTF-8");
    expect_ris("TY  - JOUR\nTI  - a\x01\nER  - \n", "x.ris:2: TI: a control character");
    static const char nul[] = "TY  - JOUR\nTI  - a\0\nER  - \n";
    struct arena a;
    arena_init(&a);
    struct hub_ref_set set = {0};
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(hub_ris_parse(nul, sizeof nul - 1, "x.ris", &set, &a, &err), KN_EINPUT);
    assert_string_equal(err.msg, "x.ris: holds a NUL byte: not a RIS file");
    arena_release(&a);
}

static void expect_csl(const char *text, const char *msg)
{
    struct arena a;
    arena_init(&a);
    struct hub_ref_set set = {0};
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(hub_csl_parse(text, strlen(text), "x.json", &set, &a, &err), KN_EINPUT);
    if (strncmp(err.msg, msg, strlen(msg)) != 0)
        fail_msg("got '%s', expected '%s'", err.msg, msg);
    assert_null(strstr(err.msg, "1212"));
    arena_release(&a);
}

static void test_csl_broken(void **state)
{
    (void)state;
    expect_csl("[{\"title\": \"a\",}]", "x.json:1:");
    expect_csl("{\"title\": \"a\"}", "x.json: an array of CSL items");
    expect_csl("[]", "x.json: no references");
    expect_csl("[{\"title\": \"a\"}, 3]", "x.json: [1]: an object");
    expect_csl("[{\"type\": \"book\"}]", "x.json: [0].title: a reference needs a title");
    expect_csl("[{\"title\": 7}]", "x.json: [0].title: a string");
    expect_csl("[{\"title\": \"a\", \"DOI\": \"doi:10.12\"}]", "x.json: [0].DOI: not a DOI");
    expect_csl("[{\"title\": \"a\", \"author\": {}}]", "x.json: [0].author: an array");
    expect_csl("[{\"title\": \"a\", \"author\": [{\"given\": \"A\"}]}]",
               "x.json: [0].author[0]: needs family or literal");
    expect_csl("[{\"title\": \"a\", \"author\": [{\"family\": 1}]}]",
               "x.json: [0].author[0].family: a string");
    expect_csl("[{\"title\": \"a\", \"issued\": {\"date-parts\": [[\"x\"]]}}]",
               "x.json: [0].issued.date-parts:");
    expect_csl("[{\"title\": \"a\", \"issued\": {\"raw\": \"vår 2020\"}}]",
               "x.json: [0].issued: a date beginning with its year");
    expect_csl("[{\"title\": \"a\", \"custom\": {\"public\": \"yes\"}}]",
               "x.json: [0].custom.public: true or false");
    expect_csl("[{\"title\": \"a\", \"custom\": {\"evidence_grade\": \"great\"}}]",
               "x.json: [0].custom.evidence_grade: evidence grade: not one of");
    expect_csl("[{\"title\": \"a\", \"PMID\": \"PMC123\"}]", "x.json: [0].PMID: PubMed id");
    expect_csl("[{\"title\": \"a\", \"abstract\": \"ring 121212-1212\"}]",
               "x.json: [0].abstract holds a personnummer-shaped number");
    expect_csl("[{\"title\": \"a\", \"title\": \"b\"}]", "x.json:1:");
}

/* Both formats' output, read back, gives the same references. */
static void test_round_trip(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct hub_ref_set in = {0}, viaris = {0}, viacsl = {0};
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(hub_ris_parse(ris, strlen(ris), "lib.ris", &in, &a, &err), 0);
    struct strbuf r = STRBUF_INIT, c = STRBUF_INIT, r2 = STRBUF_INIT, c2 = STRBUF_INIT;
    assert_int_equal(hub_ris_write(in.refs, in.n, &r), 0);
    assert_int_equal(hub_csl_write(in.refs, in.n, &c), 0);
    assert_int_equal(hub_ris_parse(r.buf, r.len, "r.ris", &viaris, &a, &err), 0);
    assert_int_equal(hub_csl_parse(c.buf, c.len, "c.json", &viacsl, &a, &err), 0);
    /* Written again, each is byte for byte what the first write gave. */
    assert_int_equal(hub_ris_write(viacsl.refs, viacsl.n, &r2), 0);
    assert_int_equal(hub_csl_write(viaris.refs, viaris.n, &c2), 0);
    assert_string_equal(r.buf, r2.buf);
    assert_string_equal(c.buf, c2.buf);
    assert_non_null(strstr(c.buf, "\"family\": \"Witt\""));
    assert_non_null(strstr(c.buf, "\"literal\": \"National Institute"));
    sb_release(&r);
    sb_release(&c);
    sb_release(&r2);
    sb_release(&c2);
    arena_release(&a);
}

static void test_store_duplicates(void **state)
{
    (void)state;
    char path[128];
    tu_path(path, sizeof path, "refs.db");
    struct store_options opt = {STORE_CREATE, 0};
    struct store *st;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(store_open(path, &opt, &st, &err), 0);
    struct arena a;
    arena_init(&a);
    struct hub_ref_set set = {0};
    struct hub_ref_report rep;
    assert_int_equal(hub_ris_parse(ris, strlen(ris), "lib.ris", &set, &a, &err), 0);
    assert_int_equal(hub_ref_import(st, set.refs, set.n, HUB_REF_SKIP, false, 1, &rep, &a,
                                     &err),
                     0);
    assert_int_equal(rep.added, 2);
    /* The same DOI in another form, with a grade the stored one has and a
     * URL and a topic it lacks. */
    static const char again[] = "[{\"title\": \"Another title\", \"DOI\": "
                                "\"https://doi.org/10.1002/14651858.cd013667.PUB2\", "
                                "\"URL\": \"https://example.org/x\", \"keyword\": "
                                "\"ungdomar, skola\", \"custom\": {\"evidence_grade\": "
                                "\"high\"}}, {\"title\": \"New\"}]";
    struct hub_ref_set set2 = {0};
    assert_int_equal(hub_csl_parse(again, strlen(again), "a.json", &set2, &a, &err), 0);
    assert_int_equal(hub_ref_import(st, set2.refs, set2.n, HUB_REF_SKIP, false, 2, &rep,
                                     &a, &err),
                     0);
    assert_int_equal(rep.added, 1);
    assert_int_equal(rep.skipped, 1);
    assert_int_equal(rep.ndups, 1);
    assert_int_equal(rep.dups[0].line, 0);
    assert_int_equal(rep.dups[0].stored, 1);
    assert_string_equal(rep.dups[0].by, "DOI");
    struct hub_ref got;
    assert_int_equal(hub_ref_get(st, 1, false, &got, &a, &err), 0);
    assert_null(got.url);
    /* Merged: the stored fields stay, the missing ones come in. */
    set2.n = 1;
    if (hub_ref_import(st, set2.refs, set2.n, HUB_REF_MERGE, false, 3, &rep, &a, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(rep.merged, 1);
    assert_int_equal(hub_ref_get(st, 1, false, &got, &a, &err), 0);
    assert_string_equal(got.title, "Interventions for self-harm in children and adolescents");
    assert_string_equal(got.grade, "low");
    assert_string_equal(got.url, "https://example.org/x");
    assert_int_equal(got.ntopics, 4);
    assert_string_equal(got.topics[3], "skola");
    /* Only public ones when asked; search by Swedish word forms. */
    assert_int_equal(hub_ref_get(st, 2, true, &got, &a, &err), KN_ENOTFOUND);
    struct hub_ref *hits;
    size_t n;
    assert_int_equal(hub_ref_search(st, "självskador", false, 10, &hits, &n, &a, &err), 0);
    assert_int_equal(n, 1); /* the topic "självskada" */
    assert_int_equal(hits[0].id, 1);
    /* A part of a compound: "skador" (stem "skad") inside "självskada". */
    assert_int_equal(hub_ref_search(st, "skador", false, 10, &hits, &n, &a, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(hub_ref_search(st, "recurrence", false, 10, &hits, &n, &a, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(hits[0].id, 2);
    assert_int_equal(hub_ref_search(st, "recurrence", true, 10, &hits, &n, &a, &err), 0);
    assert_int_equal(n, 0);
    arena_release(&a);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doi),         cmocka_unit_test(test_ris_read),
        cmocka_unit_test(test_ris_broken),  cmocka_unit_test(test_csl_broken),
        cmocka_unit_test(test_round_trip),  cmocka_unit_test(test_store_duplicates),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
