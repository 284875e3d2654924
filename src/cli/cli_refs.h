/* src/cli/cli_refs.h: the parts of `knod refs` outside cmd_refs.c. Each
 * returns an exit code (cli.h) and prints its own errors. */
#ifndef KNOD_CLI_CLI_REFS_H
#define KNOD_CLI_CLI_REFS_H

#include <stdbool.h>

#include "base/config.h"
#include "store/store.h"

/* knod refs link: reference key (its number or DOI) linked to step
 * ("PATHWAY/STEP"), or unlinked, by `by`, with an audit entry
 * (reference-link, reference-unlink) when anything changed
 * (cli_refs_link.c). */
int refs_link(struct store *st, const struct config *cfg, const char *key, const char *step,
              bool unlink, const char *by);

#endif /* KNOD_CLI_CLI_REFS_H */
