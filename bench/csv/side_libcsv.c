/* bench/csv/side_libcsv.c: the libcsv side of the benchmark (Debian's
 * libcsv-dev, <csv.h>), apart from bench.c because knod's reader has a
 * header of the same name. Strict mode and NUL-terminated fields, the
 * closest libcsv gets to what knod's reader does; it does not check UTF-8.
 *
 * libcsv also exports a csv_free(), which a static link would resolve to
 * knod's csv_free(). So libcsv is loaded with dlopen() and
 * called through pointers, as a shared library is called anyway.
 */
#include <csv.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

typedef void field_cb(void *, size_t, void *);
typedef void row_cb(int, void *);

static struct {
    int (*init)(struct csv_parser *, unsigned char);
    size_t (*parse)(struct csv_parser *, const void *, size_t, field_cb *, row_cb *,
                    void *);
    int (*fini)(struct csv_parser *, field_cb *, row_cb *, void *);
    void (*free)(struct csv_parser *);
    int (*error)(struct csv_parser *);
    char *(*strerror)(int);
} lib;

static int load(void)
{
    if (lib.init != NULL)
        return 0;
    void *h = dlopen("libcsv.so.3", RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        fprintf(stderr, "libcsv: %s\n", dlerror());
        return -1;
    }
    *(void **)&lib.init = dlsym(h, "csv_init");
    *(void **)&lib.parse = dlsym(h, "csv_parse");
    *(void **)&lib.fini = dlsym(h, "csv_fini");
    *(void **)&lib.free = dlsym(h, "csv_free");
    *(void **)&lib.error = dlsym(h, "csv_error");
    *(void **)&lib.strerror = dlsym(h, "csv_strerror");
    if (!lib.init || !lib.parse || !lib.fini || !lib.free || !lib.error ||
        !lib.strerror) {
        fprintf(stderr, "libcsv: a function is missing\n");
        lib.init = NULL;
        return -1;
    }
    return 0;
}

static void on_field(void *s, size_t len, void *data)
{
    bench_field(data, s, len);
}

static void on_row(int c, void *data)
{
    (void)c;
    bench_row(data);
}

int bench_libcsv(const char *path, size_t chunk, struct bench_count *out)
{
    struct csv_parser p;
    if (load() != 0)
        return -1;
    int fd = open(path, O_RDONLY);
    char *buf = malloc(chunk);
    int rc = -1;
    if (fd < 0 || buf == NULL || lib.init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
        fprintf(stderr, "libcsv: cannot start on %s\n", path);
        goto out;
    }
    ssize_t n;
    while ((n = read(fd, buf, chunk)) > 0) {
        if (lib.parse(&p, buf, (size_t)n, on_field, on_row, out) != (size_t)n) {
            fprintf(stderr, "libcsv: %s: %s\n", path, lib.strerror(lib.error(&p)));
            goto done;
        }
    }
    if (n < 0 || lib.fini(&p, on_field, on_row, out) != 0) {
        fprintf(stderr, "libcsv: %s: read or final record failed\n", path);
        goto done;
    }
    rc = 0;
done:
    lib.free(&p);
out:
    free(buf);
    if (fd >= 0)
        close(fd);
    return rc;
}
