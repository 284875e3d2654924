/* src/cli/cli_published.h: the engine's published rows for the commands
 * that report figures (knod report followup, knod newsletter).
 *
 * Builds the snapshot of the store, runs the whole catalogue through the
 * engine, applies disclosure control with knod.ini's rules ([disclosure]
 * min_count, min_denominator; a warning is logged when they are below
 * their floor) and reads back the rows `knod indicators run --format json`
 * prints, so that a report shows exactly what the other outputs show.
 */
#ifndef KNOD_CLI_CLI_PUBLISHED_H
#define KNOD_CLI_CLI_PUBLISHED_H

#include <jansson.h>

#include "base/config.h"
#include "base/error.h"
#include "domain/geo.h"
#include "lang/ind.h"
#include "store/store.h"

/* The published rows of cat's indicators, nation and regions, for the
 * years [from, to] (from 0: from the first), as a new JSON array in *rows
 * (followup_rows_years()). */
int cli_published_rows(struct store *st, const struct config *cfg,
                       const struct ind_catalogue *cat, const struct geo *g, int from,
                       int to, json_t **rows, struct kn_error *err);

#endif /* KNOD_CLI_CLI_PUBLISHED_H */
