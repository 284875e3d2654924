/* src/hub/hub_ref_store.h: the evidence register's references in the store
 * (migration 0019, docs/hub-references.md).
 *
 * hub_ref_import() stores a parsed file's references in one transaction:
 * a reference whose DOI or PubMed id is already stored (or came earlier in
 * the same file), or one with neither whose title (ASCII case ignored) and
 * year match a stored one with neither, is a duplicate, reported with where it was read and the
 * stored reference's number, and either skipped (HUB_REF_SKIP: the stored
 * one stays as it is) or merged (HUB_REF_MERGE: the stored one keeps every
 * field it has and gains those it lacks, and the topics it lacks). A
 * failure stores nothing. Each stored reference is indexed for search
 * with Swedish stems and trigrams, as documents are (hub_search.h), and
 * hub_ref_search() ranks by the same rule: word matches first, by bm25
 * with the title three times the rest, then matches inside words.
 *
 * Reading functions take public_only: true shows only the references
 * marked public (the public portal), false all of them. Everything read
 * lives in the caller's arena. Thousands of references at most.
 */
#ifndef KNOD_HUB_HUB_REF_STORE_H
#define KNOD_HUB_HUB_REF_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/error.h"
#include "hub/hub_ref.h"
#include "store/store.h"

enum hub_ref_dup_mode { HUB_REF_SKIP, HUB_REF_MERGE };

struct hub_ref_dup {
    int line;          /* the incoming reference's hub_ref.line */
    int64_t stored;    /* the stored reference it repeats */
    const char *by;    /* "DOI", "PubMed id" or "title and year" */
    const char *value; /* the DOI, PubMed id or title */
};

struct hub_ref_report {
    size_t added, skipped, merged;
    struct hub_ref_dup *dups; /* skipped or merged, in file order */
    size_t ndups, cap;
};

/* Store refs[0..n) (checked again: hub_ref_check); make_public marks the
 * new ones public whatever the file says. Sets each refs[i].id to the
 * stored number (the stored one's for a duplicate). KN_EINPUT naming the
 * reference's line for a bad one. */
int hub_ref_import(struct store *st, struct hub_ref *refs, size_t n,
                   enum hub_ref_dup_mode mode, bool make_public, kn_time now,
                   struct hub_ref_report *rep, struct arena *a, struct kn_error *err);

struct hub_ref_filter {
    const char *study_type; /* NULL: any */
    const char *grade;      /* NULL: any */
    const char *topic;      /* NULL: any; else one of its topics (ASCII case ignored) */
    bool public_only;
};

/* The references that pass f, newest year first, then by number. */
int hub_ref_list(struct store *st, const struct hub_ref_filter *f, struct hub_ref **out,
                 size_t *n, struct arena *a, struct kn_error *err);

/* Reference id; KN_ENOTFOUND if there is none (or it is not public when
 * public_only). */
int hub_ref_get(struct store *st, int64_t id, bool public_only, struct hub_ref *out,
                struct arena *a, struct kn_error *err);

/* The number of the reference key names: its number ("12") or its DOI
 * (any form hub_ref_doi() takes). KN_ENOTFOUND naming key if none. */
int hub_ref_resolve(struct store *st, const char *key, int64_t *id, struct kn_error *err);

/* Up to limit references matching query, best first (above). A query
 * without words finds nothing (not an error). */
int hub_ref_search(struct store *st, const char *query, bool public_only, size_t limit,
                   struct hub_ref **out, size_t *n, struct arena *a, struct kn_error *err);

/* The references document slug's current version names (list: its front
 * matter's comma-separated numbers or DOIs, "" for none): each must exist
 * (KN_ENOTFOUND, or KN_EINPUT for one that is neither, naming it and
 * 'references'). The version's links are then set to them, unless it is
 * published and was not changed by this import (changed false): a
 * published version's links stay as they were. Runs in the caller's
 * transaction (hub_import's). */
int hub_ref_link_version(struct store *st, const char *slug, const char *list, bool changed,
                         struct kn_error *err);

/* The references version_id names, by number, into arena memory. */
int hub_ref_of_version(struct store *st, int64_t version_id, struct hub_ref **out,
                       size_t *n, struct arena *a, struct kn_error *err);

#endif /* KNOD_HUB_HUB_REF_STORE_H */
