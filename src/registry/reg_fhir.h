/* src/registry/reg_fhir.h: importing FHIR R4 JSON into an import session.
 *
 * Input: one or more files (or one memory buffer), each either a JSON
 * document (a Bundle of type collection, transaction, batch, searchset or
 * document, or a single resource) or NDJSON (one resource per line, as FHIR
 * Bulk Data writes it: often one file per resource type). The files of one
 * call form ONE import: a resource may refer to a resource in another file
 * of the call (an Encounter in Encounter.ndjson to its Patient in
 * Patient.ndjson), and all of them go through the one session the caller
 * began, so they are stored together or not at all.
 *
 * Each resource is mapped onto a record kind (Organization -> units,
 * Patient -> persons, Encounter -> contacts or follow_ups, Condition ->
 * self_harm or a contact's diagnoses, Procedure -> coercive_measures,
 * treatments or care_plans, Observation -> assessments, CarePlan ->
 * care_plans, EpisodeOfCare -> pathway_steps; docs/import-format.md,
 * section "FHIR R4", is the full table) and handed to reg_import_row() as
 * text fields by the kind's column names, so every rule of the CSV import
 * holds unchanged: this module maps, the session validates. Resources are
 * fed kind by kind in the order of reg_kind_at() (units, persons, contacts,
 * ...), whatever their order in the files.
 *
 * Two passes: the first reads every resource once to index ids, fullUrls,
 * each Patient's personnummer, each Organization's unit code and each
 * Condition's code; the second maps and feeds. A bundle stays parsed in
 * memory between the passes (about ten times its size); an NDJSON file is
 * mapped read-only and each line is parsed once per pass, so its size is
 * not limited, only its lines (about 100 bytes of index per resource).
 *
 * Personnummer: they are read from Patient.identifier (or a reference's
 * identifier) and passed to the session, which pseudonymises them at once.
 * The index keeps them in memory for the length of the call and wipes them
 * at the end. They never appear in a message; in the reject file they are
 * removed (see reg_fhir_options.rejects_path).
 *
 * Not thread-safe; one call at a time per session.
 */
#ifndef KNOD_REGISTRY_REG_FHIR_H
#define KNOD_REGISTRY_REG_FHIR_H

#include <stddef.h>
#include <stdint.h>

#include "registry/reg_import.h"

#define REG_FHIR_MAX_COLS 16

/* Defaults of the limits below. */
#define REG_FHIR_MAX_DOCUMENT ((size_t)256 << 20) /* a JSON (not NDJSON) file */
#define REG_FHIR_MAX_LINE     ((size_t)16 << 20)  /* one NDJSON line */
#define REG_FHIR_MAX_DEPTH    64                  /* nesting of arrays and objects */

struct reg_fhir_options {
    /* source_system of resources without meta.source; NULL means "fhir". */
    const char *source_system;
    /* Write rejected resources here as NDJSON, each with an added "_error"
     * and "_file" (the input's name, a personnummer in it masked);
     * personnummer are removed first (identifier values of the personnummer
     * and samordningsnummer systems, and any such number in other text).
     * NULL: no reject file. */
    const char *rejects_path;
    size_t max_document; /* 0: REG_FHIR_MAX_DOCUMENT */
    size_t max_line;     /* 0: REG_FHIR_MAX_LINE */
    int max_depth;       /* 0: REG_FHIR_MAX_DEPTH */
    /* Called for each rejected resource (or NDJSON line). where is e.g.
     * "bundle.json: entry[3] Encounter/abc (period.start)" or
     * "Encounter.ndjson:17: Encounter/abc (subject)"; reason is e.g.
     * "field 'start': lies in the future". */
    void (*on_reject)(void *ctx, const char *where, const char *reason);
    void *ctx;
    /* rejects_path may name an existing regular file, which is replaced;
     * else it is refused (KN_EEXIST); never a folder, link or device
     * (KN_EINPUT, base/outfile.h). Written under a temporary name, it
     * appears only when the import succeeded. */
    bool rejects_replace;
    /* Called for each warning about a stored record (an implausible value,
     * reg_import.h), where as for on_reject. Such a resource is written to
     * the reject file too, with "_warning" holding the warnings. NULL: not
     * told (the session counts them). */
    void (*on_warning)(void *ctx, const char *where, const char *reason);
    /* Instead of rejects_path: one reject file per input, rejects_paths[i]
     * for paths[i] (each written, empty if its input had no rejects, with
     * rejects_replace as above). With rejects_path, the one file names the
     * input of each line ("_file"). NULL: see rejects_path. */
    const char *const *rejects_paths;
    /* If not NULL, one entry per input file (n of reg_fhir_import()), filled
     * with what became of that file's resources. */
    struct reg_fhir_counts *per_file;
};

/* What became of the resources of one input file, or of all (the stats
 * below). Every resource read is counted once, so that
 *   resources = stored + unchanged + repeated + rejected + merged + skipped
 * (docs/import-format.md, FHIR R4, Counts). */
struct reg_fhir_counts {
    uint64_t resources; /* read (bundle entries with a resource, NDJSON lines) */
    uint64_t stored;    /* gave a record that was added or changed */
    uint64_t unchanged; /* gave records stored already, as they are */
    uint64_t repeated;  /* gave records equal to earlier ones of the import */
    uint64_t rejected;  /* not a resource, or it or one of its records rejected */
    uint64_t merged;    /* Conditions that became a contact's diagnosis or cause */
    uint64_t skipped;   /* gave nothing knod keeps: unknown_type and skipped below */
};

struct reg_fhir_stats {
    uint64_t resources;      /* resources read (bundle entries, NDJSON lines) */
    uint64_t records;        /* records handed to the session */
    uint64_t rejected;       /* resources (or lines) with at least one rejected record */
    uint64_t merged;         /* Conditions that became a contact's diagnosis or cause */
    uint64_t unknown_type;   /* resources of a type knod does not map, skipped */
    uint64_t skipped;        /* resources of a mapped type that give no record (status
                              * entered-in-error, no code knod maps, a Condition
                              * whose Encounter is not in the input, ...) */
    struct reg_fhir_counts total; /* every resource by what became of it */
    char unknown_names[128]; /* the first few unknown types, "Practitioner, Medication" */
    /* Patients whose gender or birthDate contradict their personnummer:
     * knod keeps the personnummer's sex and birth date (the elements are
     * not stored); the caller warns. The first one's resource id (ids
     * shaped like a personnummer are refused before this). */
    uint64_t contradicted;
    char contradicted_first[80];
};

/* One record as the mapper makes it: the text of each column of kind (NULL
 * means absent) and the FHIR path it came from (or would have come from),
 * for messages. Valid only during the callback that receives it. */
struct reg_fhir_record {
    const struct reg_kind *kind;
    const char *fields[REG_FHIR_MAX_COLS];
    size_t lens[REG_FHIR_MAX_COLS];
    const char *paths[REG_FHIR_MAX_COLS];
};

/* Import the files at paths[0..n) into im, as described above. Returns 0
 * when every resource was read (some may have been rejected: see stats and
 * the session's stats); KN_EINPUT for a fault that stops the import (a
 * malformed or too large or too deep JSON document, with file, line and
 * column; an empty file); KN_ENOTFOUND / KN_EIO when a file cannot be
 * read; KN_ESTORE and others from the session. On any error the caller
 * finishes the session without committing. stats may be NULL. */
int reg_fhir_import(struct reg_import *im, const char *const *paths, size_t n,
                    const struct reg_fhir_options *opt, struct reg_fhir_stats *stats,
                    struct kn_error *err);

/* The same for len bytes at data (need not be NUL-terminated), named name
 * in messages. */
int reg_fhir_import_mem(struct reg_import *im, const char *name, const char *data,
                        size_t len, const struct reg_fhir_options *opt,
                        struct reg_fhir_stats *stats, struct kn_error *err);

/* The mapping alone, without a session (tests, the fuzz target): reads
 * the bytes as reg_fhir_import_mem() does and calls on_record for every
 * record in feeding order, and opt->on_reject for every resource that does
 * not map. on_record returns 0 to go on, or a negative code to stop (which
 * is returned). */
int reg_fhir_map_mem(const char *name, const char *data, size_t len,
                     const struct reg_fhir_options *opt,
                     int (*on_record)(void *ctx, const struct reg_fhir_record *rec),
                     void *ctx, struct reg_fhir_stats *stats, struct kn_error *err);

#endif /* KNOD_REGISTRY_REG_FHIR_H */
