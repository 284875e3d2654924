/* bench/csv/bench.h: what both sides of the CSV benchmark count.
 *
 * Each side parses the whole file and fills a struct bench_count; equal
 * counts and checksums show that both parsed the same fields. The checksum
 * is cheap on purpose (length, first and last byte, position), so that it
 * costs both sides the same and little.
 */
#ifndef KNOD_BENCH_CSV_H
#define KNOD_BENCH_CSV_H

#include <stddef.h>
#include <stdint.h>

struct bench_count {
    uint64_t rows, fields, bytes, sum;
    uint64_t col; /* field index within the current row */
};

static inline void bench_field(struct bench_count *c, const char *s, size_t len)
{
    uint64_t first = len ? (unsigned char)s[0] : 0;
    uint64_t last = len ? (unsigned char)s[len - 1] : 0;
    c->fields++;
    c->bytes += len;
    c->sum += (c->col + 1) * (len + 131 * first + 7 * last);
    c->col++;
}

static inline void bench_row(struct bench_count *c)
{
    c->rows++;
    c->sum = c->sum * 31 + c->col;
    c->col = 0;
}

/* Parse the file at path with libcsv (bench/csv/side_libcsv.c), reading
 * chunk bytes at a time. 0, or -1 with a message on stderr. */
int bench_libcsv(const char *path, size_t chunk, struct bench_count *out);

#endif /* KNOD_BENCH_CSV_H */
