/* src/cli/cli_import_plan.h: which files `knod import` imports, and in
 * which order.
 *
 * A plan is a list of CSV files, each with its record kind, sorted into the
 * kinds' dependency order (units and persons first, reg_import.h), whatever
 * order they were named in: a folder's files, or the CSV files named
 * together on the command line (a shell glob of a folder). Planning a
 * folder accounts for every entry in it: a file named after a kind is
 * planned, anything else is named in a warning (not a CSV file, a reject
 * report) or, for a CSV file whose name is not a kind, in an error with the
 * nearest kind name; then nothing of the folder is imported.
 *
 * Only src/cli prints; these functions print their warnings and errors on
 * stderr themselves. Not thread-safe.
 */
#ifndef KNOD_CLI_CLI_IMPORT_PLAN_H
#define KNOD_CLI_CLI_IMPORT_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "registry/reg_import.h"

struct import_item {
    char *path; /* owned by the plan */
    const struct reg_kind *kind;
};

struct import_plan {
    struct import_item *items;
    size_t n, cap;
};

#define IMPORT_PLAN_INIT { NULL, 0, 0 }

/* Add path (copied) as a file of kind. Returns 0, or KN_ENOMEM. */
int plan_add(struct import_plan *p, const char *path, const struct reg_kind *kind);

/* Add the files of folder dir, accounting for every entry as above.
 * Returns 0 (the plan may then hold no file, which the caller reports),
 * or an exit code (cli.h) after printing why. */
int plan_folder(struct import_plan *p, const char *dir);

/* Sort the plan into the kinds' order, keeping the given order within a
 * kind. */
void plan_sort(struct import_plan *p);

/* The kind whose name is nearest to a file's base name ("contacts_2023.csv",
 * "self-harm.csv", "Persons.CSV"), or NULL if none is near. */
const struct reg_kind *plan_suggest_kind(const char *path);

/* Free the plan's contents; the plan may be used again. */
void plan_release(struct import_plan *p);

#endif /* KNOD_CLI_CLI_IMPORT_PLAN_H */
