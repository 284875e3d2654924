/* tests/fuzz/fuzz_csv.c: fuzz target for src/base/csv.c.
 *
 * Each input is read twice in lockstep, from memory in one chunk and
 * through the streaming path with a chunk of 1 to 13 bytes, so records
 * straddle every boundary. The two must give the same records and the same
 * final result and message. Every record is checked: fields are NUL-free
 * valid UTF-8 within the limits, lines and record numbers only grow, and
 * an error stays. This runs twice: with the defaults, and with ';' and
 * tiny limits so that every limit error is reached.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/utf8.h"
#include "fuzz.h"

#define CHECK(x)                                                                         \
    do {                                                                                 \
        if (!(x)) {                                                                      \
            fprintf(stderr, "fuzz_csv: %s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #x);                                                                 \
            abort();                                                                     \
        }                                                                                \
    } while (0)

static void check_record(const struct csv_record *rec, const struct csv_options *o,
                         size_t prev_line, size_t recno, size_t max_line)
{
    CHECK(rec->recno == recno);
    CHECK(rec->n >= 1);
    CHECK(rec->n <= (o->max_fields ? o->max_fields : CSV_MAX_FIELDS_DEFAULT));
    CHECK(rec->line > prev_line);
    CHECK(rec->line <= max_line);
    size_t max_field = o->max_field ? o->max_field : CSV_MAX_FIELD_DEFAULT;
    size_t max_record = o->max_record ? o->max_record : CSV_MAX_RECORD_DEFAULT;
    size_t raw = rec->n - 1; /* at least the delimiters and the fields */
    for (size_t k = 0; k < rec->n; k++) {
        const struct csv_field *f = &rec->f[k];
        raw += f->len;
        CHECK(f->len <= max_field);
        CHECK(strlen(f->s) == f->len);
        CHECK(utf8_valid(f->s, f->len, NULL));
        CHECK(f->line >= (k > 0 ? rec->f[k - 1].line : rec->line));
        CHECK(f->line <= max_line);
    }
    CHECK(raw <= max_record);
    /* The first field of a name is found at or before it. */
    int at = csv_find(rec, rec->f[rec->n - 1].s);
    CHECK(at >= 0 && (size_t)at < rec->n);
    CHECK(strcmp(rec->f[at].s, rec->f[rec->n - 1].s) == 0);
}

static bool same_record(const struct csv_record *a, const struct csv_record *b)
{
    if (a->n != b->n || a->line != b->line || a->recno != b->recno)
        return false;
    for (size_t k = 0; k < a->n; k++)
        if (a->f[k].len != b->f[k].len || a->f[k].line != b->f[k].line ||
            memcmp(a->f[k].s, b->f[k].s, a->f[k].len) != 0)
            return false;
    return true;
}

static void run(const char *data, size_t size, struct csv_options o, size_t chunk)
{
    size_t max_line = 1;
    for (size_t i = 0; i < size; i++)
        max_line += data[i] == '\n';

    struct csv_reader *a, *b;
    struct kn_error ea = KN_ERROR_INIT, eb = KN_ERROR_INIT;
    o.chunk = size + 1;
    CHECK(csv_open_mem(&a, data, size, "fuzz.csv", &o, &ea) == 0);
    o.chunk = chunk;
    CHECK(csv_open_mem(&b, data, size, "fuzz.csv", &o, &eb) == 0);

    struct csv_record ra, rb;
    size_t recno = 0, line = 0;
    int rc;
    for (;;) {
        rc = csv_next(a, &ra, &ea);
        int rcb = csv_next(b, &rb, &eb);
        CHECK(rc == rcb);
        if (rc != 1)
            break;
        check_record(&ra, &o, line, ++recno, max_line);
        CHECK(same_record(&ra, &rb));
        line = ra.line;
    }
    if (rc < 0) {
        CHECK(rc == KN_EINPUT);
        CHECK(ea.code == rc && eb.code == rc);
        CHECK(strcmp(ea.msg, eb.msg) == 0);
        CHECK(strncmp(ea.msg, "fuzz.csv:", 9) == 0);
        /* The error stays. */
        struct kn_error again = KN_ERROR_INIT;
        CHECK(csv_next(a, &ra, &again) == rc);
        CHECK(strcmp(again.msg, ea.msg) == 0);
    } else {
        CHECK(rc == 0);
        CHECK(csv_next(a, &ra, &ea) == 0);
        CHECK(csv_next(b, &rb, &eb) == 0);
    }
    csv_free(a);
    csv_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t chunk = 1 + size % 13;
    run(s, size, (struct csv_options){0}, chunk);
    run(s, size,
        (struct csv_options){
            .delim = ';', .max_field = 7, .max_fields = 4, .max_record = 24},
        1 + (size / 13) % 5);
    return 0;
}
