/* src/cli/cli_import_plan.c: which files `knod import` imports, and in
 * which order. See cli_import_plan.h.
 *
 * Folders hold a handful of files (one per kind, perhaps reject reports and
 * notes), so a folder is listed whole and sorted by name before anything
 * is said about it.
 */
#include "cli/cli_import_plan.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

int plan_add(struct import_plan *p, const char *path, const struct reg_kind *kind)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        struct import_item *n = realloc(p->items, cap * sizeof *n);
        if (n == NULL)
            return KN_ENOMEM;
        p->items = n;
        p->cap = cap;
    }
    char *copy = strdup(path);
    if (copy == NULL)
        return KN_ENOMEM;
    p->items[p->n].path = copy;
    p->items[p->n].kind = kind;
    p->n++;
    return 0;
}

void plan_release(struct import_plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->items[i].path);
    free(p->items);
    p->items = NULL;
    p->n = p->cap = 0;
}

static size_t kind_index(const struct reg_kind *k)
{
    for (size_t i = 0; i < reg_kind_count(); i++)
        if (reg_kind_at(i) == k)
            return i;
    return reg_kind_count();
}

void plan_sort(struct import_plan *p)
{
    /* Insertion sort: stable, and plans are short. */
    for (size_t i = 1; i < p->n; i++) {
        struct import_item it = p->items[i];
        size_t ki = kind_index(it.kind), j = i;
        while (j > 0 && kind_index(p->items[j - 1].kind) > ki) {
            p->items[j] = p->items[j - 1];
            j--;
        }
        p->items[j] = it;
    }
}

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Edit distance of a and b (short names). */
static size_t distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    size_t row[65];
    if (m > 64)
        return m;
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

const struct reg_kind *plan_suggest_kind(const char *path)
{
    /* The base name without its extension, lower case, '-' and ' ' as '_'. */
    char name[65];
    const char *base = base_name(path);
    size_t n = strcspn(base, ".");
    if (n >= sizeof name)
        n = sizeof name - 1;
    for (size_t i = 0; i < n; i++) {
        char c = (char)tolower((unsigned char)base[i]);
        name[i] = c == '-' || c == ' ' ? '_' : c;
    }
    name[n] = '\0';
    const struct reg_kind *best = NULL;
    size_t best_len = 0;
    /* A kind's name within the file's name ("contacts_2023"): the longest. */
    for (size_t i = 0; i < reg_kind_count(); i++) {
        const char *k = reg_kind_name(reg_kind_at(i));
        if (strstr(name, k) != NULL && strlen(k) > best_len) {
            best = reg_kind_at(i);
            best_len = strlen(k);
        }
    }
    if (best != NULL)
        return best;
    /* Else the nearest by edit distance, if near ("contact", "selfharm"). */
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < reg_kind_count(); i++) {
        size_t d = distance(name, reg_kind_name(reg_kind_at(i)));
        if (d < best_d) {
            best_d = d;
            best = reg_kind_at(i);
        }
    }
    size_t limit = n / 3 > 2 ? n / 3 : 2;
    return best_d <= limit ? best : NULL;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What a folder entry is, and why it is not imported (NULL: it is). */
static const char *classify(const char *dir, const char *name, const struct reg_kind **kind,
                            bool *bad_csv)
{
    char path[PATH_MAX];
    struct stat sb;
    *kind = NULL;
    *bad_csv = false;
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return "its name is too long";
    if (stat(path, &sb) != 0)
        return "it cannot be read";
    if (S_ISDIR(sb.st_mode))
        return "it is a folder (folders within a folder are not imported)";
    if (!S_ISREG(sb.st_mode))
        return "it is not a regular file";
    if (ends_with_ci(name, ".rejects.csv") || ends_with_ci(name, ".rejects.ndjson"))
        return "it is the reject report of an earlier import";
    if (ends_with_ci(name, ".json") || ends_with_ci(name, ".ndjson")
        || ends_with_ci(name, ".jsonl"))
        return "FHIR files are imported when named on the command line, not from a folder";
    if (!ends_with_ci(name, ".csv"))
        return "it is not a CSV file";
    size_t n = strlen(name) - 4;
    char kname[65];
    if (n < sizeof kname && strcmp(name + n, ".csv") == 0) {
        memcpy(kname, name, n);
        kname[n] = '\0';
        *kind = reg_kind_find(kname);
    }
    if (*kind == NULL) {
        *bad_csv = true;
        return "its name is not a kind of record";
    }
    return NULL;
}

int plan_folder(struct import_plan *p, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        char shown[PATH_MAX];
        fprintf(stderr, "knod: error: cannot read the folder '%s'\n",
                cli_shown(dir, shown, sizeof shown));
        return EXIT_INPUT;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            size_t c2 = cap ? cap * 2 : 32;
            char **nn = realloc(names, c2 * sizeof *nn);
            if (nn == NULL) {
                rc = KN_ENOMEM;
                break;
            }
            names = nn;
            cap = c2;
        }
        if ((names[n] = strdup(e->d_name)) == NULL)
            rc = KN_ENOMEM;
        else
            n++;
    }
    closedir(d);
    if (n > 0)
        qsort(names, n, sizeof *names, cmp_names);
    int bad = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct reg_kind *k;
        bool bad_csv;
        const char *why = classify(dir, names[i], &k, &bad_csv);
        char path[PATH_MAX], shown[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        cli_shown(path, shown, sizeof shown); /* as messages give it */
        if (why == NULL) {
            rc = plan_add(p, path, k);
        } else if (bad_csv) {
            const struct reg_kind *near = plan_suggest_kind(names[i]);
            bad++;
            if (near != NULL)
                fprintf(stderr, "knod: error: '%s': %s; did you mean '%s.csv'? (rename it, "
                                "or import it on its own with --kind %s)\n", shown, why,
                        reg_kind_name(near), reg_kind_name(near));
            else
                fprintf(stderr, "knod: error: '%s': %s (units.csv, persons.csv, "
                                "contacts.csv, ... see docs/import-format.md)\n", shown, why);
        } else {
            fprintf(stderr, "knod: warning: '%s' is not imported: %s\n", shown, why);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    char shown[PATH_MAX];
    cli_shown(dir, shown, sizeof shown);
    if (rc != 0) {
        fprintf(stderr, "knod: error: out of memory listing '%s'\n", shown);
        return EXIT_RUNTIME;
    }
    if (bad > 0) {
        fprintf(stderr, "knod: error: nothing from '%s' was imported: %d CSV file%s not "
                        "named after a kind of record\n", shown, bad,
                bad == 1 ? " is" : "s are");
        return EXIT_INPUT;
    }
    return 0;
}
