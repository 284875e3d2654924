/* src/registry/reg_status.h: what a store holds, in counts.
 *
 * For `knod status` and the demo: records per kind, persons per region and
 * the time span of the events, and the latest import runs. Counts only,
 * never person-level rows.
 */
#ifndef KNOD_REGISTRY_REG_STATUS_H
#define KNOD_REGISTRY_REG_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "store/store.h"

struct reg_status_kind {
    const char *kind;  /* import kind name, e.g. "contacts" */
    int64_t rows;
};

struct reg_status_region {
    const char *code, *name;
    int64_t persons;
    int64_t persons_with_self_harm;
};

struct reg_status_run {
    const char *started_at, *file_name, *kind;
    int64_t rows_read, rows_stored, rows_rejected;
};

struct reg_status {
    struct reg_status_kind *kinds;
    size_t nkinds;
    struct reg_status_region *regions;
    size_t nregions;
    struct reg_status_run *runs; /* newest first */
    size_t nruns;
    kn_time first_event, last_event; /* of contacts; 0 if none */
};

/* Fill *st from the store; everything lives in a. At most max_runs runs. */
int reg_status_read(struct store *s, struct arena *a, size_t max_runs,
                    struct reg_status *st, struct kn_error *err);

#endif /* KNOD_REGISTRY_REG_STATUS_H */
