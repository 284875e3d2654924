/* tests/fuzz/fuzz_pop.c: fuzz target for SCB's population CSV
 * (src/registry/reg_pop.c, reg_pop_parse()).
 *
 * Each input is parsed as one file named "fuzz.csv" against the shipped
 * geography (loaded once per process). The parser returns 0 or KN_EINPUT
 * (with a message naming the file), never anything else; on success every
 * year is complete: years ascending and distinct, regions x 2 x 101 rows
 * a year in order, every figure from 0 to 10^8; the counts add up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "domain/geo.h"
#include "registry/reg_pop.h"
#include "fuzz.h"

#define CHECK(x)                                                                         \
    do {                                                                                 \
        if (!(x)) {                                                                      \
            fprintf(stderr, "fuzz_pop: %s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #x);                                                                 \
            abort();                                                                     \
        }                                                                                \
    } while (0)

static struct arena geo_arena;
static struct geo geo;
static int geo_ready;

static void geo_free(void)
{
    arena_release(&geo_arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!geo_ready) {
        arena_init(&geo_arena);
        struct kn_error e = KN_ERROR_INIT;
        CHECK(geo_load(&geo, &geo_arena, &e) == 0);
        atexit(geo_free);
        geo_ready = 1;
    }
    struct arena a;
    arena_init(&a);
    struct reg_pop_table t;
    struct kn_error err = KN_ERROR_INIT;
    int rc = reg_pop_parse((const char *)data, size, "fuzz.csv", &geo, &a, &t, &err);
    if (rc != 0) {
        CHECK(rc == KN_EINPUT);
        CHECK(err.code == rc);
        CHECK(strncmp(err.msg, "fuzz.csv", 8) == 0);
    } else {
        size_t per_year = geo.nregions * 2 * (GEO_AGE_OPEN + 1);
        CHECK(t.nyears >= 1 && t.nyears <= REG_POP_MAX_YEARS);
        CHECK(t.nrows == t.nyears * per_year);
        CHECK(t.delim == ',' || t.delim == ';' || t.delim == '\t');
        for (size_t y = 1; y < t.nyears; y++)
            CHECK(t.years[y - 1] < t.years[y]);
        for (size_t i = 0; i < t.nrows; i++) {
            const struct geo_population *p = &t.rows[i];
            size_t y = i / per_year, k = i % per_year;
            CHECK(p->year == t.years[y]);
            CHECK(strcmp(p->region_code,
                         geo.regions[k / (2 * (GEO_AGE_OPEN + 1))].code) == 0);
            CHECK(p->sex == (k / (GEO_AGE_OPEN + 1) % 2 ? 'M' : 'F'));
            CHECK(p->age == (int)(k % (GEO_AGE_OPEN + 1)));
            CHECK(p->population >= 0 && p->population <= 100000000);
        }
        CHECK(t.data_lines ==
              per_year + t.skipped_nation + t.skipped_municipal + t.skipped_total);
    }
    arena_release(&a);
    return 0;
}
