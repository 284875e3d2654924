/* src/registry/reg_import_impl.h: what reg_import.c and reg_kinds.c share
 * (internal to src/registry). */
#ifndef KNOD_REGISTRY_REG_IMPORT_IMPL_H
#define KNOD_REGISTRY_REG_IMPORT_IMPL_H

#include "domain/pnr_shape.h"
#include "registry/reg_cmap.h"
#include "registry/reg_import.h"
#include "registry/reg_pmap.h"

#define REG_MAX_COLS 16

enum reg_type {
    RT_ID,           /* source_system / source_id: 1..64 printable chars */
    RT_TEXT,         /* a name: 1..200 chars, no control characters */
    RT_CODE,         /* one of the column's codes; i = its index */
    RT_TIME,         /* kn_time in i */
    RT_DATE,         /* kn_day in i */
    RT_BOOL,         /* 0 or 1 in i */
    RT_PNR,          /* persons: the parsed number; others: the person */
    RT_ICD10,        /* one ICD-10 code */
    RT_ICD10_LIST,   /* codes separated by single spaces */
    RT_MUNICIPALITY, /* four-digit code of a stored municipality */
    RT_REGION,       /* two-digit code of a stored region */
    RT_UNIT,         /* code of a stored unit; ref = struct reg_unit */
    RT_CONTACT,      /* source_id of a stored contact; ref = struct reg_contact */
    RT_MEASURE,      /* source_id of a stored coercive measure; ref = reg_contact */
    RT_STEP,         /* pathway step code: [A-Za-z0-9_.-], 1..40 */
    RT_MONTH,        /* YYYY-MM (a birth month); year * 12 + month - 1 in i */
};

struct reg_column {
    const char *name;
    enum reg_type type;
    bool required;
    const char *const *codes; /* RT_CODE: NULL-terminated */
};

/* A parsed field. */
struct reg_val {
    bool present; /* a non-empty field */
    const char *s;
    size_t len;
    int64_t i;
    const void *ref;
};

struct reg_unit {
    int64_t id;
    char code[65];
    char region[3];
    bool inpatient;
};

/* A stored contact or measure found by source_id. */
struct reg_contact {
    int64_t id;
    int64_t person_id;
    bool inpatient;
    int64_t start;   /* kn_time */
    int64_t end;     /* kn_time, or INT64_MAX while it goes on */
    int64_t stay_id; /* measures: their stay */
};

/* A unique index of a kind's table, dropped during a bulk load. */
struct reg_index {
    const char *name;
    const char *columns; /* "source_id, source_system" (migration 0003) */
};

struct reg_kind {
    const char *name;  /* "contacts" */
    const char *table; /* "contact" */
    /* Unique indexes a bulk load into the empty table may drop and rebuild;
     * NULL (units: small, keyed by a table constraint) means never bulk. */
    const struct reg_index *indexes;
    const struct reg_column *cols;
    size_t ncols;
    size_t ndb; /* entries in db_cols */
    /* Store columns bound as $1.. by row(), before source_system and
     * source_id, which are always last. NULL-terminated. */
    const char *const *db_cols;
    /* Check the cross-field rules on the parsed values and bind $1..$n of
     * the insert; 0 or KN_EINPUT with err naming the field. */
    int (*row)(struct reg_import *im, struct reg_val *v, struct store_stmt *st,
               struct kn_error *err);
    /* After a stored row (persons, units): update the session's maps. */
    int (*post)(struct reg_import *im, struct reg_val *v, struct kn_error *err);
    /* Rows are noted in the session's reg_cmap (contacts): phase A computes
     * their key. */
    bool noted;
};

enum reg_mode { MODE_UNDECIDED = 0, MODE_UPSERT, MODE_BULK };

/* A record written by the upsert in the current file (reg_repeat.c). */
struct reg_seen {
    uint64_t h;    /* reg_repeat_key(); 0: a free slot */
    uint64_t line; /* the row's line (0 if the source has none) */
};

struct reg_import {
    struct store *s;
    struct store_ckpt *ckpt; /* background checkpoints, or NULL */
    const struct pseudo_key *key;
    struct reg_import_options opt;
    struct reg_import_stats stats;
    kn_time time_limit;   /* first second after opt.today */
    struct reg_pmap persons; /* reg_persons.c */
    bool persons_all;        /* every stored person is in persons (preloaded) */
    int64_t persons_stored;  /* the store's persons at the start, roughly */
    uint64_t persons_looked; /* persons looked up in the store one by one */
    struct reg_unit *units;
    size_t nunits, units_cap;
    char muni_region[10000][3]; /* municipality code -> region, "" if unknown */
    bool region_known[100];
    struct store_stmt *insert[16];  /* upsert of each kind */
    struct store_stmt *plain[16];   /* plain INSERT, bulk mode */
    enum reg_mode mode[16];
    /* The kind's table was empty at its first row of this file (and was
     * bulk-loaded): until the file ends, its rows are written with the
     * plain INSERT, and one that meets a stored record repeats a row of
     * the file (REG_EREPEAT). */
    bool fresh[16];
    struct {                  /* records the upsert wrote in this file */
        struct reg_seen *e;
        size_t n, cap;        /* cap: 0 or a power of two */
    } seen;
    uint64_t cur_line;        /* the current row's line, 0 if unknown */
    /* The current file names its persons by external pseudonym (column
     * ext_id, in the pnr column's place) instead of by personnummer; set
     * by the CSV reader per file (docs/import-format.md). */
    bool ext_ids;
    /* The current row's warnings (reg_field_warn()); the limits in
     * seconds (years for the age). */
    struct kn_error warn[REG_MAX_WARNINGS];
    size_t nwarn;
    struct {
        int max_age_years;
        kn_time max_emergency, max_inpatient, max_coercive;
    } plaus;
    /* Bulk loading is allowed only inside reg_import_attempt(), which can
     * undo and repeat its work when a rebuilt index finds a repeat. */
    bool bulk_ok;
    struct store_stmt *find_contact, *find_measure, *find_person, *find_person_born;
    /* persons only: the current row's pseudonym and parsed number */
    unsigned char cur_key[PSEUDO_BYTES];
    char cur_hex[PSEUDO_HEX_LEN + 1]; /* bound to the insert: must outlive the step */
    struct pnr cur_pnr;
    const struct reg_person *cur_person; /* event rows: the entry in persons */
    int pass;                 /* of reg_import_attempt()'s body: 0 outside, 1, 2 */
    struct {                  /* hashes of the rejections told in pass 1 */
        uint64_t *h;
        size_t n, cap;
    } told;
    uint64_t cur_source_key;  /* contacts: the current row's reg_cmap key */
    bool cur_stored;          /* the current row added or changed a record */
    struct reg_cmap contacts; /* what the session inserted itself */
};

/* A row after phase A (reg_import_parse): fields parsed, the person and
 * unit found, and references to contacts the session stored itself found
 * (reg_cmap); the others (RT_MEASURE always) are left to phase B
 * (reg_import_store), which looks them up in the store, applies the kind's
 * rules and writes the row. Phase A touches nothing that phase B changes
 * while rows of one kind stream through, so the CSV importer runs the two
 * phases on two threads. */
#define REG_MAX_REFS 2 /* RT_CONTACT and RT_MEASURE columns of a kind */
struct reg_prepared {
    /* What phase B reads of every row comes first and in one piece, v up
     * to the kind's last column (reg_prepared_hot()), since the row was
     * written on another core and each cache line costs a transfer. */
    int rc;                          /* 0, or KN_EINPUT with msg */
    int nfound;
    uint64_t source_key;             /* contacts: reg_cmap key of the row */
    const struct reg_person *entry;  /* event rows: the person's map entry */
    struct reg_person person;        /* ... and a copy of it, v->ref */
    unsigned char key[PSEUDO_BYTES]; /* pseudonym of the row's pnr */
    struct reg_val v[REG_MAX_COLS];
    struct reg_contact found[REG_MAX_REFS]; /* behind the refs' v[c].ref */
    struct pnr pnr;                  /* persons only; wiped after phase B */
    struct kn_error err;
};

/* Bytes at the start of a row that phase B reads for a kind of ncols. */
static inline size_t reg_prepared_hot(size_t ncols)
{
    return offsetof(struct reg_prepared, v) + ncols * sizeof(struct reg_val);
}

/* What phase A keeps from row to row on its thread: the last personnummer
 * of an event row as written, with its pseudonym and person, so that a run
 * of rows of one person (extracts are mostly sorted by person) costs one
 * BLAKE2b and one map lookup. The number is held in memory only, like the
 * row's own text, and wiped by reg_parse_ctx_wipe(). */
struct reg_parse_ctx {
    char pnr_text[16];
    size_t pnr_len; /* 0: nothing held */
    unsigned char key[PSEUDO_BYTES];
    const struct reg_person *person;
};

void reg_parse_ctx_wipe(struct reg_parse_ctx *ctx);

/* Phase A. Fills *pr; pr->rc says whether the row is still good. The
 * fields' text must stay valid until phase B is done with pr. ctx may be
 * NULL (a row on its own). While reg_persons_alone() phase A looks persons
 * up in the store: then it must run on the session's thread, each row's
 * just before its phase B; otherwise it only reads the session. */
void reg_import_parse(struct reg_import *im, const struct reg_kind *k,
                      const char *const *fields, const size_t *lens,
                      struct reg_prepared *pr, struct reg_parse_ctx *ctx);

/* Phase B: as reg_import_row() for a row that went through phase A. */
int reg_import_store(struct reg_import *im, const struct reg_kind *k,
                     struct reg_prepared *pr, struct kn_error *row_err);

/* The columns of persons that only the external-pseudonym layout has
 * (birth, sex), and the name the file gives the person column. */
#define REG_EXT_COL "ext_id"
#define REG_PERSON_BIRTH_COL 6
#define REG_PERSON_SEX_COL 7

/* Kinds table (reg_kinds.c). */
extern const struct reg_kind reg_kinds[];
extern const size_t reg_nkinds;

/* Shared helpers for row functions (reg_import.c). */
int reg_bind_opt_text(struct store_stmt *st, int i, const struct reg_val *v);
int reg_bind_opt_int(struct store_stmt *st, int i, const struct reg_val *v);
int reg_field_fail(struct kn_error *err, const struct reg_kind *k, size_t col,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Note a warning about the current row's field col ("field 'end': ...");
 * beyond REG_MAX_WARNINGS the rest are dropped. */
void reg_field_warn(struct reg_import *im, const struct reg_kind *k, size_t col,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The unit with the code, or NULL; *at (may be NULL) is where it would go
 * in the sorted unit array. */
struct reg_unit *reg_unit_find(const struct reg_import *im, const char *code, size_t len,
                               size_t *at);

/* A unique index rebuilt after a bulk load found two rows with the same
 * key: the rows repeat a record (or a person). Internal to the registry:
 * reg_import_attempt() answers it by running the rows again without bulk
 * loading, where a repeat is an update. */
#define REG_EREPEAT (-64)

/* Bulk mode (reg_bulk.c): decide at a kind's first row whether its table
 * is loaded in bulk; leave bulk mode (rebuild the indexes) for kind ki, or
 * for the kind whose table must now be looked up. Leaving returns
 * REG_EREPEAT if a rebuilt unique index finds a repeat. */
int reg_bulk_decide(struct reg_import *im, size_t ki, struct kn_error *err);
int reg_bulk_leave(struct reg_import *im, size_t ki, struct kn_error *err);
int reg_bulk_ensure_indexed(struct reg_import *im, const char *table, struct kn_error *err);

/* Run body(ctx, err), which feeds rows to the session, with bulk loading
 * allowed, then rebuild every index it dropped. If that finds a repeated
 * record (body stored a source id or a person twice), undo body's rows
 * (a savepoint), reload the session's maps and run body once more
 * without bulk loading, where the later row updates the earlier one. Stats
 * count the last run only. Returns body's result, or the store's error
 * (never REG_EREPEAT). */
int reg_import_attempt(struct reg_import *im, int (*body)(void *ctx, struct kn_error *err),
                       void *ctx, struct kn_error *err);

/* Whether to tell the user of a rejected row (where, reason): the second
 * run of a reg_import_attempt() body tells only what the first did not. */
bool reg_import_tell(struct reg_import *im, const char *where, const char *reason);

/* Records repeated within a file (reg_repeat.c). reg_repeat_key() is the
 * key of the row v of kind ki (its source key); reg_repeat_find() gives the line of the row
 * of this file that wrote it; reg_repeat_note() notes it (KN_ENOMEM);
 * reg_repeat_clear() forgets every record, at the start of a file or of a
 * second run; reg_repeat_release() frees the table. */
uint64_t reg_repeat_key(const struct reg_import *im, size_t ki, const struct reg_val *v);
bool reg_repeat_find(const struct reg_import *im, uint64_t h, uint64_t *line);
int reg_repeat_note(struct reg_import *im, uint64_t h, uint64_t line);
void reg_repeat_clear(struct reg_import *im);
void reg_repeat_release(struct reg_import *im);

/* The session's persons (reg_persons.c; enum reg_persons_load).
 * reg_persons_begin() fills the map as the session's option says;
 * reg_persons_reload() forgets it and fills it the same way again (after a
 * rollback). reg_persons_expect() is told that about rows will name
 * persons next (reg_persons_expect_file(): a file of kind k of bytes), and
 * in REG_PERSONS_AUTO preloads every person if they are many. While
 * reg_persons_alone() is true for kind k, phase A of its rows must run on
 * the session's thread. reg_persons_find() gives the stored person with
 * the pseudonym key (NULL if none), from the map or else the store. Each
 * returns 0 or a negative KN_E* code. */
int reg_persons_begin(struct reg_import *im, struct kn_error *err);
int reg_persons_reload(struct reg_import *im, struct kn_error *err);
int reg_persons_expect(struct reg_import *im, uint64_t rows, struct kn_error *err);
int reg_persons_expect_file(struct reg_import *im, const struct reg_kind *k,
                            uint64_t bytes, struct kn_error *err);
bool reg_persons_alone(const struct reg_import *im, const struct reg_kind *k);
int reg_persons_find(struct reg_import *im, const unsigned char key[PSEUDO_BYTES],
                     const struct reg_person **out, struct kn_error *err);

/* Forget the session's persons and units and load them again from the
 * store (after a rollback). */
int reg_import_reload(struct reg_import *im, struct kn_error *err);

/* Store a new unit in the session's unit map (units kind). */
int reg_unit_add(struct reg_import *im, const char *code, size_t len,
                 const char *region, bool inpatient, int64_t id);

#endif /* KNOD_REGISTRY_REG_IMPORT_IMPL_H */
