/* tests/fuzz/driver.c: runs a fuzz target without libFuzzer, for make check.
 *
 * usage: fuzz_<name> CORPUS [MUTATIONS]
 *
 * The target (see fuzz.h) is linked in. CORPUS is a directory of seed
 * inputs (or one file, to replay a crash that libFuzzer saved). The driver
 * prints TAP with two results:
 *   1. every corpus file, in name order;
 *   2. MUTATIONS (default 20000) inputs made from the seeds by a seeded
 *      PRNG: bit flips, random bytes, inserted quotes, delimiters, CR, LF,
 *      0xC3 and NUL, deleted and repeated runs, splices and truncation. It
 *      stops early after 2 seconds, so a slow sanitizer build stays quick.
 * Runs are reproducible: the same corpus gives the same inputs. Each input
 * is passed in a heap block of exactly its size, so AddressSanitizer sees
 * any read past its end. A crash or a broken invariant aborts the program;
 * the TAP runner counts the missing results and the exit status as
 * failures, and the sanitizer's report names the place.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fuzz.h"

#define FUZZ_MAX_INPUT (1u << 20)
#define TIME_LIMIT     2.0

struct input {
    char *name;
    unsigned char *data;
    size_t len;
};

struct corpus {
    struct input *in;
    size_t n, cap;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "fuzz driver: out of memory\n");
        exit(2);
    }
    return p;
}

/* Add the file at path to c; returns 0, or -1 if it cannot be read. */
static int add_file(struct corpus *c, const char *path, const char *name)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    unsigned char *buf = xmalloc(FUZZ_MAX_INPUT);
    size_t len = fread(buf, 1, FUZZ_MAX_INPUT, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return -1;
    }
    unsigned char *fit = realloc(buf, len ? len : 1);
    if (fit != NULL)
        buf = fit;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        struct input *in = realloc(c->in, c->cap * sizeof *in);
        if (in == NULL) {
            fprintf(stderr, "fuzz driver: out of memory\n");
            exit(2);
        }
        c->in = in;
    }
    c->in[c->n].name = strdup(name);
    c->in[c->n].data = buf;
    c->in[c->n].len = len;
    c->n++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct input *)a)->name, ((const struct input *)b)->name);
}

/* Load a directory's regular files (not hidden ones), or one file. */
static int load(struct corpus *c, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return add_file(c, path, path);
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    struct dirent *e;
    char full[4096];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        if (stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
            add_file(c, full, e->d_name) != 0) {
            closedir(d);
            return -1;
        }
    }
    closedir(d);
    qsort(c->in, c->n, sizeof *c->in, by_name);
    return 0;
}

/* Run the target on a copy of exactly len bytes. */
static void run(const unsigned char *data, size_t len)
{
    unsigned char *copy = xmalloc(len);
    if (len > 0)
        memcpy(copy, data, len);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
}

static unsigned long long rng = 0x2545F4914F6CDD1Dull;

static size_t rnd(size_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n ? (size_t)(rng >> 11) % n : 0;
}

/* One random change to buf[0..*len), which has room for FUZZ_MAX_INPUT bytes. */
static void mutate(unsigned char *buf, size_t *len, const struct corpus *c)
{
    static const unsigned char special[] = {'"',  ',',  ';',  '\r', '\n',
                                            0xC3, 0x00, '\t', ' '};
    size_t n = *len;
    switch (rnd(8)) {
    case 0: /* flip a bit */
        if (n > 0)
            buf[rnd(n)] ^= (unsigned char)(1u << rnd(8));
        break;
    case 1: /* overwrite a byte */
        if (n > 0)
            buf[rnd(n)] = (unsigned char)rnd(256);
        break;
    case 2: /* insert a special byte */
    case 3:
        if (n < FUZZ_MAX_INPUT) {
            size_t at = rnd(n + 1);
            memmove(buf + at + 1, buf + at, n - at);
            buf[at] = special[rnd(sizeof special)];
            *len = n + 1;
        }
        break;
    case 4: { /* delete a run */
        if (n == 0)
            break;
        size_t at = rnd(n), k = 1 + rnd(n - at < 8 ? n - at : 8);
        memmove(buf + at, buf + at + k, n - at - k);
        *len = n - k;
        break;
    }
    case 5: { /* repeat a run */
        if (n == 0)
            break;
        size_t at = rnd(n), k = 1 + rnd(n - at < 16 ? n - at : 16);
        if (n + k > FUZZ_MAX_INPUT)
            break;
        memmove(buf + at + k, buf + at, n - at);
        *len = n + k;
        break;
    }
    case 6: { /* splice: keep a prefix, append the tail of another seed */
        const struct input *o = &c->in[rnd(c->n)];
        size_t at = rnd(n + 1), from = rnd(o->len + 1);
        size_t k = o->len - from;
        if (at + k > FUZZ_MAX_INPUT)
            k = FUZZ_MAX_INPUT - at;
        memcpy(buf + at, o->data + from, k);
        *len = at + k;
        break;
    }
    default: /* truncate */
        *len = rnd(n + 1);
        break;
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s CORPUS [MUTATIONS]\n", argv[0]);
        return 2;
    }
    long mutations = argc == 3 ? strtol(argv[2], NULL, 10) : 20000;
    struct corpus c = {0};

    printf("1..2\n");
    fflush(stdout);
    if (load(&c, argv[1]) != 0 || c.n == 0) {
        printf("not ok 1 - corpus: cannot read any input from %s\n", argv[1]);
        printf("not ok 2 - mutations: no seeds\n");
        return 1;
    }
    for (size_t i = 0; i < c.n; i++)
        run(c.in[i].data, c.in[i].len);
    printf("ok 1 - corpus: %zu inputs from %s\n", c.n, argv[1]);
    fflush(stdout);

    unsigned char *buf = xmalloc(FUZZ_MAX_INPUT);
    double t0 = now();
    long done = 0;
    for (; done < mutations; done++) {
        if (done % 64 == 0 && now() - t0 > TIME_LIMIT)
            break;
        const struct input *seed = &c.in[rnd(c.n)];
        size_t len = seed->len;
        memcpy(buf, seed->data, len);
        for (size_t k = 1 + rnd(4); k > 0; k--)
            mutate(buf, &len, &c);
        run(buf, len);
    }
    printf("ok 2 - mutations: %ld inputs in %.2f s\n", done, now() - t0);

    free(buf);
    for (size_t i = 0; i < c.n; i++) {
        free(c.in[i].name);
        free(c.in[i].data);
    }
    free(c.in);
    return 0;
}
