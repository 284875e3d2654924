/* src/cli/cli_catalogue.c: the indicator catalogue a command works with:
 * the shipped one, with definitions from files or a folder in place of the
 * shipped ones of the same id (and new ones beside them). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "lang/ind.h"

static int read_file(const char *path, char **out, size_t *len, struct kn_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return kn_fail(err, KN_EIO, "%s: cannot open", path);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n < cap)
            break;
        char *nb = cap < (64u << 20) ? realloc(buf, cap * 2) : NULL;
        if (!nb) {
            free(buf);
            buf = NULL;
        }
        buf = nb;
        cap *= 2;
    }
    bool bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        return kn_fail(err, bad ? KN_EIO : KN_ENOMEM, "%s: cannot read (or larger than "
                       "64 MiB)", path);
    }
    *out = buf;
    *len = n;
    return 0;
}

static int push_def(struct ind_catalogue *cat, const struct ind_def *d, struct arena *a,
                    struct kn_error *err)
{
    if (cat->n == cat->cap) {
        size_t nc = cat->cap ? cat->cap * 2 : 64;
        struct ind_def *v = arena_alloc(a, nc * sizeof *v);
        if (!v)
            return kn_fail(err, KN_ENOMEM, "out of memory");
        if (cat->n)
            memcpy(v, cat->defs, cat->n * sizeof *v);
        cat->defs = v;
        cat->cap = nc;
    }
    cat->defs[cat->n++] = *d;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.ind files of dir, sorted, in the arena; NULL-terminated. */
static int list_dir(const char *dir, char ***out, size_t *n, struct arena *a,
                    struct kn_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return kn_fail(err, KN_EIO, "%s: cannot open the folder", dir);
    size_t cap = 16;
    char **v = arena_alloc(a, cap * sizeof *v);
    *n = 0;
    int rc = v ? 0 : kn_fail(err, KN_ENOMEM, "out of memory");
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ind") != 0 || e->d_name[0] == '.')
            continue;
        if (*n + 1 == cap) {
            char **w = arena_alloc(a, cap * 2 * sizeof *w);
            if (!w) {
                rc = kn_fail(err, KN_ENOMEM, "out of memory");
                break;
            }
            memcpy(w, v, *n * sizeof *w);
            v = w;
            cap *= 2;
        }
        v[(*n)++] = arena_printf(a, "%s/%s", dir, e->d_name);
        if (!v[*n - 1])
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
    }
    closedir(d);
    if (rc == 0) {
        qsort(v, *n, sizeof *v, cmp_str);
        v[*n] = NULL;
        *out = v;
    }
    return rc;
}

int cli_catalogue(const char *const *paths, size_t npaths, struct ind_catalogue *cat,
                  size_t *own, struct arena *a, struct kn_error *err)
{
    struct ind_catalogue mine = { 0 }, shipped = { 0 };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < npaths; i++) {
        struct stat sb;
        char **files = NULL;
        size_t nfiles = 0;
        if (stat(paths[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            rc = list_dir(paths[i], &files, &nfiles, a, err);
        } else {
            files = (char **)&paths[i];
            nfiles = 1;
        }
        for (size_t f = 0; rc == 0 && f < nfiles; f++) {
            char *text = NULL;
            size_t len = 0;
            rc = read_file(files[f], &text, &len, err);
            if (rc == 0) {
                rc = ind_parse(&mine, files[f], text, len, a, err);
                free(text);
            }
        }
    }
    if (rc == 0)
        rc = ind_catalogue_shipped(&shipped, a, err);
    *own = mine.n;
    memset(cat, 0, sizeof *cat);
    for (size_t i = 0; rc == 0 && i < mine.n; i++)
        rc = push_def(cat, &mine.defs[i], a, err);
    /* the shipped definitions whose id the files do not define */
    for (size_t i = 0; rc == 0 && i < shipped.n; i++) {
        bool replaced = false;
        for (size_t j = 0; j < mine.n; j++)
            replaced |= strcmp(mine.defs[j].id, shipped.defs[i].id) == 0;
        if (!replaced)
            rc = push_def(cat, &shipped.defs[i], a, err);
    }
    if (rc == 0)
        rc = ind_catalogue_check(cat, err);
    if (rc == 0) /* released versions must not change */
        rc = ind_lock_check_shipped(cat, err);
    return rc;
}
