/* src/base/embed.h: files compiled into the binary (tools/embed.c).
 *
 * The shipped reference data (the CSV files in data/) and the store migrations
 * (the SQL files in src/store/migrations/) are embedded, so a knod binary needs no
 * files beside it. Names are the last two path components:
 * "data/regions.csv", "migrations/0001_geography.sql". The table is sorted
 * by name; each file's bytes are followed by a NUL not counted in len.
 */
#ifndef KNOD_BASE_EMBED_H
#define KNOD_BASE_EMBED_H

#include <stddef.h>

struct embed_file {
    const char *name;
    const unsigned char *data;
    size_t len;
};

extern const struct embed_file embed_files[];
extern const unsigned embed_count;

/* The file called name, or NULL. */
const struct embed_file *embed_find(const char *name);

#endif /* KNOD_BASE_EMBED_H */
