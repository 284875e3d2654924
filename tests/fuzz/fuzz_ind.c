/* tests/fuzz/fuzz_ind.c: fuzz target for the indicator language
 * (src/lang/ind_lex.c, ind_field.c, ind_parse.c, ind_check.c).
 *
 * The bytes are one indicator file, parsed with a fresh arena that is
 * dropped afterwards (so nothing may leak outside it). A failure must be
 * KN_EINPUT with "fuzz.ind:LINE:COL: " (LINE within the file, COL >= 1) and
 * must leave the catalogue empty; a success must give definitions that
 * ind_def_finish() promised: everything required present, windows not
 * empty, targets naming a measure. Parsing is deterministic: the same
 * bytes give the same fingerprints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "fuzz.h"
#include "lang/ind.h"

#define CHECK(x)                                                                         \
    do {                                                                                 \
        if (!(x)) {                                                                      \
            fprintf(stderr, "fuzz_ind: %s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #x);                                                                 \
            abort();                                                                     \
        }                                                                                \
    } while (0)

static void check_related(const struct ind_related *r)
{
    CHECK(r->kinds != 0);
    CHECK(r->lo <= r->hi);
    CHECK(r->lo < r->hi || (!r->lo_open && !r->hi_open));
    CHECK(r->min_count >= 1);
    for (size_t i = 0; i < r->filter.n; i++)
        CHECK(r->filter.fields[i].n > 0 || r->filter.fields[i].mask != 0);
}

static void check_def(const struct ind_catalogue *cat, const struct ind_def *d)
{
    CHECK(d->id && d->id[0] >= 'a' && d->id[0] <= 'z');
    CHECK(d->version >= 1);
    CHECK(d->title_sv && d->title_en && d->desc_sv && d->desc_en && d->owner);
    CHECK(ind_goal_name(d->goal) != NULL);
    CHECK(d->from != 0 && (d->from & (1u << IND_EV_DEATH)) == 0);
    CHECK(d->valid_from < d->valid_to);
    CHECK(d->nmeasures >= 1 && d->nmeasures <= IND_MAX_MEASURES);
    CHECK(d->nbands <= IND_MAX_BANDS);
    CHECK(d->target_measure >= 0 && (size_t)d->target_measure < d->nmeasures);
    CHECK(d->has_direction);
    CHECK(strlen(d->fingerprint) == 16);
    CHECK(ind_find(cat, d->id) != NULL);
    for (size_t i = 0; i < d->nwhere; i++)
        if (d->where[i].is_relation)
            check_related(&d->where[i].rel);
    for (size_t i = 0; i < d->nmeasures; i++) {
        const struct ind_measure *m = &d->measures[i];
        CHECK(m->name && m->name[0]);
        if (m->kind == IND_M_PROPORTION || m->kind == IND_M_MEDIAN_TO ||
            m->kind == IND_M_SURVIVAL)
            check_related(&m->rel.rel);
        if (m->kind == IND_M_RATIO)
            CHECK(m->ratio_a && m->ratio_b && m->per >= 1);
    }
}

/* "fuzz.ind:LINE:COL: " with 1 <= LINE <= lines + 1 and COL >= 1. */
static void check_message(const char *msg, const uint8_t *data, size_t size)
{
    CHECK(strncmp(msg, "fuzz.ind:", 9) == 0);
    char *end;
    long line = strtol(msg + 9, &end, 10);
    CHECK(end > msg + 9 && *end == ':');
    long col = strtol(end + 1, &end, 10);
    CHECK(*end == ':' && end[1] == ' ' && end[2] != '\0');
    long lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    CHECK(line >= 1 && line <= lines + 1);
    CHECK(col >= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    struct ind_catalogue cat = {0};
    struct kn_error err = KN_ERROR_INIT;
    int rc = ind_parse(&cat, "fuzz.ind", (const char *)data, size, &a, &err);
    if (rc == 0) {
        CHECK(cat.n > 0);
        for (size_t i = 0; i < cat.n; i++)
            check_def(&cat, &cat.defs[i]);
        struct kn_error e2 = KN_ERROR_INIT;
        int crc = ind_catalogue_check(&cat, &e2);
        CHECK(crc == 0 || (crc == KN_EINPUT && strncmp(e2.msg, "fuzz.ind:", 9) == 0));
        /* the same bytes again: the same definitions */
        struct ind_catalogue again = {0};
        CHECK(ind_parse(&again, "fuzz.ind", (const char *)data, size, &a, &e2) == 0);
        CHECK(again.n == cat.n);
        for (size_t i = 0; i < cat.n; i++)
            CHECK(strcmp(again.defs[i].fingerprint, cat.defs[i].fingerprint) == 0);
    } else {
        CHECK(rc == KN_EINPUT);
        CHECK(cat.n == 0);
        check_message(err.msg, data, size);
    }
    arena_release(&a);
    return 0;
}
