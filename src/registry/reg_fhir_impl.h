/* src/registry/reg_fhir_impl.h: what the FHIR importer's files share
 * (internal to src/registry).
 *
 *   reg_fhir_doc.c  reading files (bundle or NDJSON), limits, the resource
 *                   index of pass one, references, locations for messages;
 *   reg_fhir_elem.c reading FHIR elements, codings, extensions and times;
 *   reg_fhir_map.c  one resource -> records of a kind (no store);
 *   reg_fhir.c      the passes, feeding the session, the reject file.
 *
 * The index holds one struct fx_res per resource of every input, in input
 * order (files in the given order, entries or lines in file order). Its
 * strings live in the set's arena; personnummer among them are listed in
 * set->secret and wiped by fx_set_release().
 */
#ifndef KNOD_REGISTRY_REG_FHIR_IMPL_H
#define KNOD_REGISTRY_REG_FHIR_IMPL_H

#include <jansson.h>
#include <stdbool.h>

#include "base/arena.h"
#include "domain/pnr_shape.h"
#include "registry/reg_fhir.h"

/* knod's own code systems and extensions (docs/import-format.md). */
#define KNOD_CS "https://knod.se/fhir/CodeSystem/"
#define KNOD_SD "https://knod.se/fhir/StructureDefinition/"

/* The resource types knod maps. */
enum fx_type {
    FX_OTHER = 0,
    FX_ORGANIZATION,
    FX_PATIENT,
    FX_ENCOUNTER,
    FX_CONDITION,
    FX_PROCEDURE,
    FX_OBSERVATION,
    FX_CAREPLAN,
    FX_EPISODE,
};

/* What becomes of a resource. */
enum fx_fate {
    FX_FEED = 0, /* mapped to records of kind */
    FX_UNKNOWN,  /* a type knod does not map */
    FX_SKIP,     /* a mapped type, but nothing to take (counted) */
    FX_MERGE,    /* a Condition that goes into its Encounter's contact */
    FX_BAD,      /* not a resource, or a malformed NDJSON line: rejected */
    FX_NOTHING,  /* a bundle entry without a resource (a DELETE): ignored */
};

/* What a Condition's ICD-10 code is, for its Encounter. */
enum fx_dx { FX_DX_NONE = 0, FX_DX_DIAGNOSIS, FX_DX_CAUSE, FX_DX_SELF_HARM };

/* A diagnosis an Encounter lists (Encounter.diagnosis[]). */
struct fx_dxref {
    const char *ref; /* the condition reference as written */
    long rank;       /* 0 if not given */
};

struct fx_res {
    uint32_t src;      /* index into set->src */
    uint32_t seq;      /* bundle: entry index; NDJSON: line number */
    size_t off, len;   /* NDJSON: the line's bytes in the source */
    uint8_t type;      /* enum fx_type */
    uint8_t fate;      /* enum fx_fate */
    uint8_t dx;        /* Conditions: enum fx_dx */
    int8_t kind;       /* FX_FEED: the kind's index in reg_kind_at() order */
    const char *rtype; /* resourceType as written (NULL if none) */
    const char *id;    /* source id: Resource.id, else the fullUrl's uuid; or NULL */
    const char *value; /* Patient: personnummer (secret); Organization: unit code;
                        * Condition: its ICD-10 code; FX_BAD: the reason */
    const char *link;  /* Condition: Condition.encounter; coercive measure: the
                        * measure it extends (both as written), or NULL */
    uint32_t link_idx; /* 1 + index of that resource in the input, or 0 */
    uint32_t next_dx;  /* Condition: 1 + index of the next Condition of the
                        * same Encounter */
    uint32_t depth;    /* coercive measure: length of its extends chain, so
                        * that a measure is fed after the one it extends */
    uint32_t first_dx; /* Encounter: 1 + index of its first Condition, or 0 */
    uint32_t last_dx;
    struct fx_dxref *dxrefs; /* Encounter: its diagnosis[] */
    uint32_t ndxrefs;
    bool listed; /* Condition: some Encounter.diagnosis names it */
    uint8_t outcome; /* FX_FEED: enum fx_outcome, set as it is fed */
};

/* What feeding did with a resource of fate FX_FEED (reg_fhir.c). */
enum fx_outcome {
    FX_OUT_NONE = 0,   /* not fed (yet) */
    FX_OUT_STORED,     /* a record of it was added or changed */
    FX_OUT_UNCHANGED,  /* its records were stored already, as they are */
    FX_OUT_REPEATED,   /* its records repeat earlier resources of the import */
    FX_OUT_REJECTED,   /* it, or a record of it, was rejected */
    FX_OUT_EMPTY,      /* it gave no record: counted as skipped */
};

struct fx_src {
    char *name;       /* base name, for messages */
    const char *data; /* the bytes (mapped file or the caller's buffer) */
    size_t len;
    void *map; /* mmap to undo, or NULL */
    size_t map_len;
    bool ndjson;
    json_t *doc;     /* a JSON document, parsed */
    json_t *entries; /* its Bundle.entry, or NULL for a single resource */
};

struct fx_slot {
    const char *key; /* "Patient/abc" or a fullUrl; NULL: empty slot */
    uint32_t len;
    uint32_t idx; /* 1 + resource index */
};

struct fx_set {
    struct arena a;
    struct fx_src *src;
    size_t nsrc, capsrc;
    struct fx_res *res;
    size_t nres, capres;
    struct fx_slot *tab; /* open addressing, power-of-two capacity */
    size_t tabcap, tabn;
    char **secret; /* personnummer to wipe */
    size_t nsecret, capsecret;
    size_t max_document, max_line;
    int max_depth;
    const char *source_system; /* default for resources without meta.source */
    struct reg_fhir_stats *st;
    bool oom; /* an allocation failed: the add reports KN_ENOMEM */
};

/* ---- reg_fhir_doc.c ---- */

void fx_set_init(struct fx_set *set, const struct reg_fhir_options *opt,
                 struct reg_fhir_stats *st);
/* Wipe the personnummer, free the documents and unmap the files. */
void fx_set_release(struct fx_set *set);

/* Read a file (mapped read-only) or a buffer (not copied: it must outlive
 * the set) and index its resources (pass one). KN_EINPUT with "NAME:LINE:COL:
 * ..." for malformed, too large or too deep JSON; KN_EIO, KN_ENOTFOUND. */
int fx_add_file(struct fx_set *set, const char *path, struct kn_error *err);
int fx_add_mem(struct fx_set *set, const char *name, const char *data, size_t len,
               struct kn_error *err);

/* After the last add: resolve the links between Conditions and Encounters
 * and settle each Condition's fate. */
void fx_link(struct fx_set *set);

/* The resource at index i as JSON, a new reference (json_decref it); NULL
 * if it cannot be had (FX_BAD, FX_NOTHING). */
json_t *fx_get(const struct fx_set *set, size_t i);

/* 1 + index of the resource a reference names ("Patient/abc", an absolute
 * URL ending in Type/id[/_history/n], a fullUrl such as "urn:uuid:..."),
 * or 0 if it is not in the input. */
uint32_t fx_resolve(const struct fx_set *set, const char *ref);

/* Split a literal reference into type and id ("Encounter/abc" or
 * "http://host/fhir/Encounter/abc/_history/2"). false if it has no such
 * form (a urn:uuid, "#contained"). */
bool fx_ref_split(const char *ref, const char **type, size_t *tlen, const char **id,
                  size_t *ilen);

/* "bundle.json: entry[3] Encounter/abc" or "x.ndjson:17: Encounter/abc". */
void fx_where(const struct fx_set *set, size_t i, char *buf, size_t size);

/* Keep a copy of s in the set's arena and, if secret, wipe it at release.
 * NULL (and set->oom) if out of memory. */
const char *fx_keep(struct fx_set *set, const char *s, size_t len, bool secret);

/* Enter key (copied) -> the resource r into the set's table (a later
 * resource with the same key replaces the earlier, as the upsert does). */
void fx_add_key(struct fx_set *set, const char *key, size_t len, const struct fx_res *r);

/* Count a resource type knod does not map in the stats' list of names. */
void fx_note_unknown(struct fx_set *set, const char *type);

/* Make s fit for a message: mask numbers as pnr_mask() (domain/pnr_shape.h)
 * and replace control characters by '?'. */
void fx_clean(char *s, size_t len);

/* ---- reg_fhir_elem.c ---- */

/* Is s (may be NULL) one of the NULL-terminated list? */
bool fx_in_list(const char *s, const char *const *list);
/* Is system one of the personnummer / samordningsnummer identifier systems? */
bool fx_pnr_system(const char *system);
/* The string member key of o, or NULL (no such member, not a string). */
const char *fx_str(const json_t *o, const char *key);
bool fx_status_in(const json_t *res, const char *const *list);
/* The code of the first coding of the CodeableConcept cc in one of systems. */
const char *fx_cc_code(const json_t *cc, const char *const *systems);
/* The same for knod's code system KNOD_CS cs; and over an array of
 * CodeableConcepts (Organization.type, CarePlan.category, ...). */
const char *fx_knod_code(const json_t *cc, const char *cs);
const char *fx_knod_code_in(const json_t *ccs, const char *cs);
/* knod's extension KNOD_SD name on elem; a part of a complex extension. */
json_t *fx_ext(const json_t *elem, const char *name);
json_t *fx_part(const json_t *e, const char *name);
/* An extension's value: a code (valueCode, valueString, the code of
 * valueCoding or valueCodeableConcept); "1"/"0" for a valueBoolean (else
 * the code, for the session to refuse); a valueDateTime/Instant/Date. */
const char *fx_ext_code(const json_t *e);
const char *fx_ext_bool(const json_t *e);
const char *fx_ext_time(const json_t *e);
/* A Patient's personnummer (else samordningsnummer) identifier value. */
const char *fx_patient_pnr(const json_t *patient);
/* An Organization's unit code: its HSA-id, else its first identifier. */
const char *fx_org_code(const json_t *org);
/* A Condition's ICD-10 code (the first coding of an ICD-10 system). */
const char *fx_icd_code(const json_t *condition);
enum fx_dx fx_classify(const char *code);
/* A FHIR dateTime/instant as knod time text in Swedish civil time, and a
 * date or dateTime as its civil date; new text lives in a. Text that is
 * not such a value is returned as it is, for the session to judge. */
const char *fx_civil_time(struct arena *a, const char *s);

/* Is s a dateTime with a time but no zone ("2024-03-05T10:00:00"), which
 * R4 does not allow? Is s a date alone ("2024-03-05")? */
bool fx_time_zoneless(const char *s);
bool fx_is_date(const char *s);
const char *fx_civil_date(struct arena *a, const char *s);

/* ---- reg_fhir_map.c ---- */

/* Pass one for the resource r (res is its JSON; full_url its bundle entry's
 * fullUrl or NULL): its type, id, what other resources need of it (value,
 * links), its keys in the set's table and its first fate. */
void fx_index(struct fx_set *set, struct fx_res *r, json_t *res, const char *full_url);

/* The records of one resource. */
struct fx_out {
    struct reg_fhir_record *rec; /* lives in the arena given to fx_map */
    size_t n;
    const char *path; /* fx_map failed: the FHIR path at fault */
};

/* Pass two: map the resource at index i (res is its JSON) into out, with
 * strings in a (or borrowed from res, which must outlive out). 0, or
 * KN_EINPUT with err saying why it does not map and out->path where;
 * KN_ENOMEM. */
int fx_map(struct fx_set *set, size_t i, json_t *res, struct arena *a, struct fx_out *out,
           struct kn_error *err);

#endif /* KNOD_REGISTRY_REG_FHIR_IMPL_H */
