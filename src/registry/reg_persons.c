/* src/registry/reg_persons.c: the stored persons an import session finds.
 *
 * An event row names its person; phase A finds the stored person in the
 * session's map (reg_pmap.h). Two ways fill the map:
 *  - preloaded: every stored person at once (one scan of the person table,
 *    about 1 us a person: 1 M persons cost ~1 s of page reads, faults and
 *    hashing), after which a lookup never leaves memory. A large input
 *    (the bulk load of a country) wants this: its rows name most persons.
 *  - looked up: a person missing from the map is read through the unique
 *    index on person.pseudonym (one indexed SELECT) and kept in the map, so
 *    each person costs one SELECT however many rows name them. A small
 *    input (one row of a new self-harm act) then costs its rows, not the
 *    size of the store.
 * REG_PERSONS_AUTO starts with lookups and preloads at the first input
 * that is large next to the store: a CSV file by its size
 * (reg_persons_expect(), before its first row), rows fed one by one by the
 * persons they have looked up so far. Persons the session stores itself are
 * put in the map by the persons kind's post function in both ways.
 *
 * A lookup writes the map and uses the store connection, so while persons
 * are looked up phase A runs on the session's own thread
 * (reg_persons_alone()). The map may grow at a put, which moves its
 * entries: a row's entry (reg_prepared.entry) is used by phase B of the
 * same row before the next row's phase A, and the parse context's person
 * is always the one the last put or find returned.
 */
#include "registry/reg_import_impl.h"

#include <string.h>

/* A stored CSV row is at least this many bytes (a self-harm act without a
 * contact: "s,1,YYYYMMDD-NNNN,YYYY-MM-DDTHH:MM:SS,X60,\n" is 44); fewer
 * than real rows overestimates a file's rows, which errs towards
 * preloading, the old way. */
#define ROW_BYTES_MIN 32

int reg_persons_load_parse(const char *name, enum reg_persons_load *out)
{
    static const char *const names[] = {"auto", "preload", "lookup"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (name != NULL && strcmp(name, names[i]) == 0) {
            *out = (enum reg_persons_load)i;
            return 0;
        }
    }
    return KN_EINPUT;
}

/* The earliest possible birth day of the person row at st's columns from
 * col (birth_year, birth_month, birth_day; unknown parts: the 1st). */
static kn_day born_of(struct store_stmt *st, int col)
{
    int y = (int)store_col_int(st, col);
    int m = store_col_is_null(st, col + 1) ? 1 : (int)store_col_int(st, col + 1);
    int d = store_col_is_null(st, col + 2) ? 1 : (int)store_col_int(st, col + 2);
    return date_valid(y, m, d) ? date_from_ymd(y, m, d) : date_from_ymd(y, 1, 1);
}

/* Every stored person into the map; entries already there (persons found
 * or stored by the session) keep their list of contacts. */
static int preload(struct reg_import *im, struct kn_error *err)
{
    if (reg_pmap_reserve(&im->persons, (size_t)im->persons_stored + 1024) != 0)
        return kn_fail(err, KN_ENOMEM, "out of memory for %lld persons",
                       (long long)im->persons_stored);
    struct store_stmt *st = NULL;
    int rc = store_prepare(im->s,
                           "SELECT id, pseudonym, birth_year, birth_month, birth_day "
                           "FROM person",
                           &st, err);
    if (rc != 0)
        return rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        size_t len = 0;
        const char *hex = store_col_text(st, 1, &len);
        unsigned char key[PSEUDO_BYTES];
        if (pseudo_from_hex(hex, len, key) != 0) {
            rc = kn_fail(err, KN_ESTORE, "person %lld has a malformed pseudonym",
                         (long long)store_col_int(st, 0));
            break;
        }
        struct reg_person *p = reg_pmap_put(&im->persons, key);
        if (p == NULL) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory loading persons");
            break;
        }
        p->id = store_col_int(st, 0);
        p->born = born_of(st, 2);
    }
    store_finalize(st);
    if (rc < 0)
        return rc;
    im->persons_all = true;
    return 0;
}

/* The store's persons, roughly: the largest id (one seek; persons are
 * never deleted by the import, so it is at least their number). */
static int count_stored(struct reg_import *im, struct kn_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(im->s, "SELECT max(id) FROM person", &st, err);
    if (rc != 0)
        return rc;
    rc = store_step(st, err);
    im->persons_stored = rc == STORE_ROW ? store_col_int(st, 0) : 0;
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

int reg_persons_begin(struct reg_import *im, struct kn_error *err)
{
    im->persons_all = false;
    im->persons_looked = 0;
    int rc = count_stored(im, err);
    if (rc == 0 && reg_pmap_init(&im->persons, 0) != 0)
        rc = kn_fail(err, KN_ENOMEM, "out of memory for persons");
    if (rc == 0 && im->find_person_born == NULL)
        rc = store_prepare(im->s,
                           "SELECT id, birth_year, birth_month, birth_day FROM person "
                           "WHERE pseudonym = $1",
                           &im->find_person_born, err);
    if (rc == 0 && im->opt.persons == REG_PERSONS_PRELOAD)
        rc = preload(im, err);
    return rc;
}

int reg_persons_reload(struct reg_import *im, struct kn_error *err)
{
    bool all = im->persons_all;
    reg_pmap_release(&im->persons);
    int rc = reg_persons_begin(im, err);
    return rc == 0 && all && !im->persons_all ? preload(im, err) : rc;
}

int reg_persons_expect(struct reg_import *im, uint64_t rows, struct kn_error *err)
{
    if (im->persons_all || im->opt.persons != REG_PERSONS_AUTO ||
        rows * REG_PERSONS_LOOKUP_DIVISOR < (uint64_t)im->persons_stored)
        return 0;
    return preload(im, err);
}

int reg_persons_expect_file(struct reg_import *im, const struct reg_kind *k,
                            uint64_t bytes, struct kn_error *err)
{
    return reg_kind_pnr_col(k) < 0 ? 0
                                   : reg_persons_expect(im, bytes / ROW_BYTES_MIN, err);
}

bool reg_persons_alone(const struct reg_import *im, const struct reg_kind *k)
{
    return !im->persons_all && reg_kind_pnr_col(k) >= 0 &&
           strcmp(k->table, "person") != 0;
}

int reg_persons_find(struct reg_import *im, const unsigned char key[PSEUDO_BYTES],
                     const struct reg_person **out, struct kn_error *err)
{
    struct reg_person *p = reg_pmap_find(&im->persons, key);
    *out = p;
    /* In bulk mode the person table was empty at the file's first person,
     * and every person stored since is in the map. */
    if (p != NULL || im->persons_all || im->mode[1] == MODE_BULK)
        return 0;
    char hex[PSEUDO_HEX_LEN + 1];
    pseudo_to_hex(key, hex);
    struct store_stmt *st = im->find_person_born;
    store_bind_text(st, 1, hex, PSEUDO_HEX_LEN);
    int rc = store_step(st, err);
    im->persons_looked++;
    if (rc == STORE_ROW) {
        p = reg_pmap_put(&im->persons, key);
        if (p == NULL) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory for persons");
        } else {
            p->id = store_col_int(st, 0);
            p->born = born_of(st, 1);
            *out = p;
        }
    }
    store_reset(st);
    return rc < 0 ? rc : 0;
}
