/* src/registry/reg_repeat.c: records repeated within one file.
 *
 * A record (a source key: source_system and source_id) that appears on two
 * rows of one file is a repeat: with equal contents the later row is
 * counted as repeated and changes nothing, with different contents it is
 * rejected as a conflict naming both lines (docs/import-format.md).
 *
 * Rows written with the upsert (a table that held rows before the file,
 * and the second run of reg_import_attempt()) note each record's key hash
 * and line in an open-addressing table, 16 bytes a row, cleared with every
 * file. A bulk load does not: there the rebuilt unique index finds a
 * repeat, and reg_import_attempt() runs the rows again with the upsert
 * (reg_bulk.c). The hash is 64 bits: two different records of one file
 * take each other for a repeat with a chance of about n^2 / 2^65 (3e-6 at
 * ten million rows).
 */
#include "registry/reg_import_impl.h"

#include <stdlib.h>
#include <string.h>

#include "base/hash.h"

uint64_t reg_repeat_key(const struct reg_import *im, size_t ki, const struct reg_val *v)
{
    (void)im;
    /* The record's source key, for persons too: the same person under
     * another source id is another record of that person (the upsert finds
     * the person by pseudonym and keeps it as one). */
    uint64_t h = kn_fnv1a(KN_FNV_SEED, v[0].s, v[0].len);
    h = kn_fnv1a(h, "", 1); /* keeps ("ab", "c") apart from ("a", "bc") */
    h = kn_fnv1a(h, v[1].s, v[1].len);
    h ^= (uint64_t)(ki + 1) * 0x9e3779b97f4a7c15u; /* kinds apart */
    return h ? h : 1; /* 0 marks a free slot */
}

bool reg_repeat_find(const struct reg_import *im, uint64_t h, uint64_t *line)
{
    if (im->seen.cap == 0)
        return false;
    size_t mask = im->seen.cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        if (im->seen.e[i].h == 0)
            return false;
        if (im->seen.e[i].h == h) {
            *line = im->seen.e[i].line;
            return true;
        }
    }
}

int reg_repeat_note(struct reg_import *im, uint64_t h, uint64_t line)
{
    if (2 * (im->seen.n + 1) > im->seen.cap) {
        size_t cap = im->seen.cap ? im->seen.cap * 2 : 1024;
        struct reg_seen *e = calloc(cap, sizeof *e);
        if (e == NULL)
            return KN_ENOMEM;
        for (size_t j = 0; j < im->seen.cap; j++) {
            if (im->seen.e[j].h == 0)
                continue;
            size_t i = (size_t)im->seen.e[j].h & (cap - 1);
            while (e[i].h != 0)
                i = (i + 1) & (cap - 1);
            e[i] = im->seen.e[j];
        }
        free(im->seen.e);
        im->seen.e = e;
        im->seen.cap = cap;
    }
    size_t mask = im->seen.cap - 1, i = (size_t)h & mask;
    while (im->seen.e[i].h != 0 && im->seen.e[i].h != h)
        i = (i + 1) & mask;
    if (im->seen.e[i].h == 0)
        im->seen.n++;
    im->seen.e[i].h = h;
    im->seen.e[i].line = line;
    return 0;
}

void reg_repeat_clear(struct reg_import *im)
{
    if (im->seen.n > 0)
        memset(im->seen.e, 0, im->seen.cap * sizeof *im->seen.e);
    im->seen.n = 0;
}

void reg_repeat_release(struct reg_import *im)
{
    free(im->seen.e);
    memset(&im->seen, 0, sizeof im->seen);
}
