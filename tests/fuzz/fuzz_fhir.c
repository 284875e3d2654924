/* tests/fuzz/fuzz_fhir.c: fuzz target for the FHIR importer
 * (src/registry/reg_fhir*.c).
 *
 * Each input is mapped as one FHIR file twice: as "fuzz.json" (a Bundle or
 * a resource, or NDJSON if the content says so) and as "fuzz.ndjson"; if
 * the first gave records, it is also imported.
 *  1. The mapping alone (reg_fhir_map_mem): every record's fields are NUL-
 *     terminated at their length, valid UTF-8, within the kind's columns,
 *     with a path for every field given; no source_id or source_system is
 *     shaped like a personnummer; no message holds one; the counts add up.
 *  2. The whole import into a session on a store, which is then rolled
 *     back: the calls return only the documented codes and the store stays
 *     empty. The store (with its geography) is made once per process in a
 *     temporary directory, which is removed at exit; since every session
 *     is rolled back, no input sees another's data.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/utf8.h"
#include "domain/geo.h"
#include "domain/pnr_shape.h"
#include "registry/reg_fhir.h"
#include "registry/reg_fhir_impl.h"
#include "registry/reg_geo.h"
#include "registry/reg_import.h"
#include "fuzz.h"

#define CHECK(x)                                                                         \
    do {                                                                                 \
        if (!(x)) {                                                                      \
            fprintf(stderr, "fuzz_fhir: %s:%d: check failed: %s\n", __FILE__, __LINE__,  \
                    #x);                                                                 \
            abort();                                                                     \
        }                                                                                \
    } while (0)

struct seen {
    uint64_t records, rejects;
};

static int on_record(void *ctx, const struct reg_fhir_record *rec)
{
    struct seen *s = ctx;
    CHECK(rec->kind != NULL);
    size_t n = reg_kind_ncols(rec->kind);
    CHECK(n <= REG_FHIR_MAX_COLS);
    for (size_t c = 0; c < REG_FHIR_MAX_COLS; c++) {
        if (c >= n) {
            CHECK(rec->fields[c] == NULL);
            continue;
        }
        if (rec->fields[c] == NULL)
            continue;
        CHECK(strlen(rec->fields[c]) == rec->lens[c]);
        CHECK(utf8_valid(rec->fields[c], rec->lens[c], NULL));
        CHECK(rec->paths[c] != NULL && rec->paths[c][0] != '\0');
    }
    for (int c = 0; c < 2; c++) /* source_system, source_id */
        CHECK(rec->fields[c] == NULL || !pnr_find_valid(rec->fields[c], rec->lens[c]));
    s->records++;
    return 0;
}

/* A message holds nothing shaped like a personnummer, and no control
 * characters. */
static bool clean(const char *s)
{
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
    return !pnr_find_shaped(s, strlen(s), NULL, NULL);
}

static void on_reject(void *ctx, const char *where, const char *reason)
{
    struct seen *s = ctx;
    CHECK(where[0] != '\0' && reason[0] != '\0');
    CHECK(clean(where) && clean(reason));
    s->rejects++;
}

/* The session's own reasons may quote a field (control characters and
 * all), but never anything shaped like a personnummer (reg_import.c). */
static void on_session_reject(void *ctx, const char *where, const char *reason)
{
    struct seen *s = ctx;
    CHECK(where[0] != '\0' && reason[0] != '\0');
    CHECK(clean(where) && !pnr_find_shaped(reason, strlen(reason), NULL, NULL));
    s->rejects++;
}

static char dir[64];
static struct store *store;

static void cleanup(void)
{
    store_close(store);
    char path[128];
    const char *files[] = {"knod.db", "knod.db-wal", "knod.db-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static struct store *the_store(void)
{
    if (store != NULL)
        return store;
    snprintf(dir, sizeof dir, "/tmp/knod-fuzz-fhir-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/knod.db", dir);
    struct kn_error err = KN_ERROR_INIT;
    struct store_options opt = {STORE_CREATE, 0};
    CHECK(store_open(path, &opt, &store, &err) == 0);
    struct arena a;
    arena_init(&a);
    struct geo g;
    CHECK(geo_load(&g, &a, &err) == 0);
    CHECK(reg_geo_install(store, &g, &err) == 0);
    arena_release(&a);
    atexit(cleanup);
    return store;
}

static int64_t count(struct store *s, const char *sql)
{
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    CHECK(store_prepare(s, sql, &st, &err) == 0);
    CHECK(store_step(st, &err) == STORE_ROW);
    int64_t n = store_col_int(st, 0);
    store_finalize(st);
    return n;
}

/* Returns the number of records mapped. */
static uint64_t map(const char *name, const char *data, size_t size)
{
    struct seen seen = {0, 0};
    struct reg_fhir_options opt = {.on_reject = on_reject, .ctx = &seen, .max_depth = 32};
    struct reg_fhir_stats st;
    struct kn_error err = KN_ERROR_INIT;
    int rc = reg_fhir_map_mem(name, data, size, &opt, on_record, &seen, &st, &err);
    CHECK(rc == 0 || rc == KN_EINPUT);
    CHECK(clean(err.msg));
    if (rc == 0) {
        CHECK(st.records == seen.records);
        CHECK(st.rejected == seen.rejects);
        CHECK(st.unknown_type + st.skipped + st.merged <= st.resources);
        CHECK(strlen(st.unknown_names) < sizeof st.unknown_names);
    }
    return seen.records;
}

static void import(const char *name, const char *data, size_t size)
{
    struct seen seen2 = {0, 0};
    struct reg_fhir_options opt = {
        .on_reject = on_session_reject, .ctx = &seen2, .max_depth = 32};
    struct reg_fhir_stats st;
    struct kn_error err = KN_ERROR_INIT;
    static const struct pseudo_key key = {.k = {7,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                           11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                                           22, 23, 24, 25, 26, 27, 28, 29, 30, 31}};
    struct store *s = the_store();
    struct reg_import_options io = { .keep_valid = true,
                                     .today = date_from_ymd(2026, 11, 23) };
    struct reg_import *im = NULL;
    CHECK(reg_import_begin(s, &key, &io, &im, &err) == 0);
    int rc = reg_fhir_import_mem(im, name, data, size, &opt, &st, &err);
    CHECK(rc == 0 || rc == KN_EINPUT);
    const struct reg_import_stats *is = reg_import_get_stats(im);
    if (rc == 0) {
        CHECK(is->rows >= st.records);
        CHECK(is->stored + is->unchanged + is->repeated + is->rejected == is->rows);
    }
    CHECK(reg_import_finish(im, false, NULL, NULL, NULL, &err) == 0);
    CHECK(count(s, "SELECT (SELECT count(*) FROM person) + (SELECT count(*) FROM contact)"
                   " + (SELECT count(*) FROM care_unit)") == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    uint64_t records = map("fuzz.json", text, size);
    map("fuzz.ndjson", text, size);
    if (records > 0) /* a session costs a few ms: only with something to store */
        import("fuzz.json", text, size);
    return 0;
}
