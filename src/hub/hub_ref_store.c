/* src/hub/hub_ref_store.c: references in the store, duplicates, search
 * (hub_ref_store.h). */
#include "hub/hub_ref_store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/text.h"
#include "hub/hub_search.h"
#include "hub/hub_sql.h"

#define COLS                                                                          \
    "r.id, r.pub_type, r.title, r.authors, r.year, r.journal, r.volume, r.issue, "    \
    "r.pages, r.doi, r.pmid, r.url, r.study_type, r.grade, r.summary, r.public "

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* Authors as stored: one a line. */
static int authors_text(const struct hub_ref *r, struct strbuf *out)
{
    int rc = 0;
    for (size_t i = 0; i < r->nauthors && rc == 0; i++)
        rc = sb_addf(out, "%s%s", i ? "\n" : "", r->authors[i]);
    return rc;
}

static int split_authors(struct hub_ref *r, const char *text, struct arena *a)
{
    for (const char *p = text; p && *p;) {
        size_t n = strcspn(p, "\n");
        if (n && hub_ref_list_add(&r->authors, &r->nauthors, p, n, a) != 0)
            return KN_ENOMEM;
        p += n + (p[n] ? 1 : 0);
    }
    return 0;
}

static int read_topics(struct store *st, struct hub_ref *r, struct arena *a,
                       struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st,
                      "SELECT topic FROM hub_reference_topic WHERE reference_id = $1 "
                      "ORDER BY pos",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, r->id);
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        size_t len;
        const char *t = store_col_text(s, 0, &len);
        if (hub_ref_list_add(&r->topics, &r->ntopics, t, len, a) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
    }
    store_finalize(s);
    return rc < 0 ? rc : 0;
}


/* The row of a SELECT COLS into r (topics not yet). */
static int read_row(struct store_stmt *s, struct hub_ref *r, struct arena *a)
{
    memset(r, 0, sizeof *r);
    r->id = store_col_int(s, 0);
    r->pub_type = hub_col(s, 1, a);
    r->title = hub_col(s, 2, a);
    int rc = split_authors(r, hub_col(s, 3, a), a);
    r->year = store_col_is_null(s, 4) ? 0 : (int)store_col_int(s, 4);
    r->journal = hub_col(s, 5, a);
    r->volume = hub_col(s, 6, a);
    r->issue = hub_col(s, 7, a);
    r->pages = hub_col(s, 8, a);
    r->doi = hub_col(s, 9, a);
    r->pmid = hub_col(s, 10, a);
    r->url = hub_col(s, 11, a);
    r->study_type = hub_col(s, 12, a);
    r->grade = hub_col(s, 13, a);
    r->summary = nonempty(hub_col(s, 14, a));
    r->is_public = store_col_int(s, 15) != 0;
    return rc || !r->pub_type || !r->title ? KN_ENOMEM : 0;
}

int hub_ref_get(struct store *st, int64_t id, bool public_only, struct hub_ref *out,
                struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st,
                      "SELECT " COLS "FROM hub_reference r WHERE r.id = $1 AND "
                      "($2 = 0 OR r.public = 1)",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    store_bind_int(s, 2, public_only);
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        rc = read_row(s, out, a) ? kn_fail(err, KN_ENOMEM, "out of memory") : 0;
    else if (rc == STORE_DONE)
        rc = kn_fail(err, KN_ENOTFOUND, "no reference %" PRId64, id);
    store_finalize(s);
    return rc < 0 ? rc : read_topics(st, out, a, err);
}

/* Every row of the prepared s (finalized here) with its topics, into
 * *out (*n of them). */
static int read_all(struct store *st, struct store_stmt *s, struct hub_ref **out,
                    size_t *n, struct arena *a, struct kn_error *err)
{
    size_t cap = 0;
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (arena_grow(a, out, *n, &cap, sizeof **out) != 0 ||
            read_row(s, &(*out)[*n], a) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        (*n)++;
    }
    store_finalize(s);
    for (size_t i = 0; rc >= 0 && i < *n; i++)
        rc = read_topics(st, &(*out)[i], a, err);
    return rc < 0 ? rc : 0;
}

int hub_ref_list(struct store *st, const struct hub_ref_filter *f, struct hub_ref **out,
                 size_t *n, struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    *out = NULL;
    *n = 0;
    if (store_prepare(
            st,
            "SELECT " COLS "FROM hub_reference r WHERE ($1 IS NULL OR r.study_type = $1) "
            "AND ($2 IS NULL OR r.grade = $2) AND ($3 IS NULL OR EXISTS (SELECT 1 FROM "
            "hub_reference_topic t WHERE t.reference_id = r.id AND lower(t.topic) = "
            "lower($3))) AND ($4 = 0 OR r.public = 1) "
            "ORDER BY r.year IS NULL, r.year DESC, r.id",
            &s, err) != 0)
        return err->code;
    const char *p[] = {f->study_type, f->grade, f->topic};
    for (int i = 0; i < 3; i++)
        if (p[i])
            store_bind_text(s, i + 1, p[i], strlen(p[i]));
        else
            store_bind_null(s, i + 1);
    store_bind_int(s, 4, f->public_only);
    return read_all(st, s, out, n, a, err);
}

int hub_ref_resolve(struct store *st, const char *key, int64_t *id, struct kn_error *err)
{
    size_t len = strlen(key);
    char doi[HUB_REF_FIELD_MAX + 1];
    bool number = len && len <= 18 && strspn(key, "0123456789") == len;
    if (!number && hub_ref_doi(key, len, doi, sizeof doi) != 0)
        return kn_fail(err, KN_EINPUT,
                       "'%.60s' names no reference: a reference's number or its DOI", key);
    struct store_stmt *s;
    if (store_prepare(st,
                      number ? "SELECT id FROM hub_reference WHERE id = $1"
                             : "SELECT id FROM hub_reference WHERE doi = $1",
                      &s, err) != 0)
        return err->code;
    if (number)
        store_bind_int(s, 1, strtoll(key, NULL, 10));
    else
        store_bind_text(s, 1, doi, strlen(doi));
    int rc = store_step(s, err);
    if (rc == STORE_ROW)
        *id = store_col_int(s, 0);
    store_finalize(s);
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no reference %s%s", number ? "" : "with DOI ",
                       number ? key : doi);
    return rc < 0 ? rc : 0;
}

/* The stored reference with r's DOI or PubMed id, or, for a reference
 * with neither, one with neither and the same title (ASCII case ignored)
 * and year: *id, *by; 0 if none. */
static int find_dup(struct store *st, const struct hub_ref *r, int64_t *id,
                    const char **by, struct kn_error *err)
{
    static const char *const sql[] = {
        "SELECT id FROM hub_reference WHERE doi = $1",
        "SELECT id FROM hub_reference WHERE pmid = $1",
        "SELECT id FROM hub_reference WHERE doi IS NULL AND pmid IS NULL AND "
        "lower(title) = lower($1) AND (year = $2 OR (year IS NULL AND $2 IS NULL)) "
        "ORDER BY id"};
    static const char *const names[] = {"DOI", "PubMed id", "title and year"};
    const char *key[] = {r->doi, r->pmid, !r->doi && !r->pmid ? r->title : NULL};
    *id = 0;
    for (int i = 0; i < 3 && !*id; i++) {
        if (!key[i])
            continue;
        struct store_stmt *s;
        if (store_prepare(st, sql[i], &s, err) != 0)
            return err->code;
        store_bind_text(s, 1, key[i], strlen(key[i]));
        if (i == 2 && r->year)
            store_bind_int(s, 2, r->year);
        else if (i == 2)
            store_bind_null(s, 2);
        int rc = store_step(s, err);
        if (rc == STORE_ROW) {
            *id = store_col_int(s, 0);
            *by = names[i];
        }
        store_finalize(s);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int index_ref(struct store *st, const struct hub_ref *r, struct kn_error *err)
{
    struct strbuf body = STRBUF_INIT, stems = STRBUF_INIT, tstems = STRBUF_INIT;
    int rc = sb_addf(&body, "%s\n%s\n", r->summary ? r->summary : "",
                     r->journal ? r->journal : "");
    for (size_t i = 0; rc == 0 && i < r->ntopics; i++)
        rc = sb_addf(&body, "%s\n", r->topics[i]);
    rc = rc ? rc : authors_text(r, &body);
    rc = rc ? rc : hub_stems(body.buf, "sv", &stems);
    rc = rc ? rc : hub_stems(r->title, "sv", &tstems);
    if (rc)
        rc = kn_fail(err, KN_ENOMEM, "out of memory");
    if (rc == 0)
        rc = hub_exec(st, "DELETE FROM hub_ref_search_stem WHERE reference_id = $1", err,
                      "i", r->id);
    if (rc == 0)
        rc = hub_exec(st, "DELETE FROM hub_ref_search_tri WHERE reference_id = $1", err,
                      "i", r->id);
    if (rc == 0)
        rc = hub_exec(st,
                      "INSERT INTO hub_ref_search_stem (reference_id, title, stems) "
                      "VALUES ($1, $2, $3)",
                      err, "itt", r->id, tstems.buf, stems.buf);
    if (rc == 0)
        rc = hub_exec(st,
                      "INSERT INTO hub_ref_search_tri (reference_id, title, body) "
                      "VALUES ($1, $2, $3)",
                      err, "itt", r->id, r->title, body.buf);
    sb_release(&body);
    sb_release(&stems);
    sb_release(&tstems);
    return rc;
}

static int write_topics(struct store *st, const struct hub_ref *r, struct kn_error *err)
{
    int rc = hub_exec(st, "DELETE FROM hub_reference_topic WHERE reference_id = $1", err,
                      "i", r->id);
    for (size_t i = 0; rc == 0 && i < r->ntopics; i++)
        rc = hub_exec(st,
                      "INSERT INTO hub_reference_topic (reference_id, pos, topic) VALUES "
                      "($1, $2, $3)",
                      err, "iit", r->id, (int64_t)i, r->topics[i]);
    return rc;
}

/* Insert r (id 0) or rewrite the stored r->id, with its topics and index. */
static int save(struct store *st, struct hub_ref *r, kn_time now, struct kn_error *err)
{
    struct strbuf au = STRBUF_INIT;
    if (authors_text(r, &au) != 0) {
        sb_release(&au);
        return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    int64_t year = r->year;
    int rc;
    if (r->id == 0)
        rc = hub_exec(st,
                      "INSERT INTO hub_reference (pub_type, title, authors, year, journal, "
                      "volume, issue, pages, doi, pmid, url, study_type, grade, summary, "
                      "public, created, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                      "$9, $10, $11, $12, $13, $14, $15, $16, $16)",
                      err, "tttzttttttttttii", r->pub_type, r->title, au.buf, year,
                      nonempty(r->journal), nonempty(r->volume), nonempty(r->issue),
                      nonempty(r->pages), r->doi, r->pmid, nonempty(r->url),
                      r->study_type, r->grade, r->summary ? r->summary : "",
                      (int64_t)r->is_public, (int64_t)now);
    else
        rc = hub_exec(st,
                      "UPDATE hub_reference SET pub_type = $1, title = $2, authors = $3, "
                      "year = $4, journal = $5, volume = $6, issue = $7, pages = $8, "
                      "doi = $9, pmid = $10, url = $11, study_type = $12, grade = $13, "
                      "summary = $14, public = $15, updated = $16 WHERE id = $17",
                      err, "tttzttttttttttiii", r->pub_type, r->title, au.buf, year,
                      nonempty(r->journal), nonempty(r->volume), nonempty(r->issue),
                      nonempty(r->pages), r->doi, r->pmid, nonempty(r->url),
                      r->study_type, r->grade, r->summary ? r->summary : "",
                      (int64_t)r->is_public, (int64_t)now, r->id);
    sb_release(&au);
    if (rc == 0 && r->id == 0)
        r->id = store_last_insert_id(st);
    if (rc == 0)
        rc = write_topics(st, r, err);
    return rc ? rc : index_ref(st, r, err);
}

#define FILL(f)                                                                       \
    if (!nonempty(m.f) && nonempty(in->f))                                             \
        m.f = in->f;

/* The stored reference id with the fields it lacks taken from in. */
static int merge(struct store *st, int64_t id, const struct hub_ref *in, kn_time now,
                 struct arena *a, struct kn_error *err)
{
    struct hub_ref m;
    if (hub_ref_get(st, id, false, &m, a, err) != 0)
        return err->code;
    FILL(journal) FILL(volume) FILL(issue) FILL(pages) FILL(doi) FILL(pmid) FILL(url)
    FILL(study_type) FILL(grade) FILL(summary)
    if (strcmp(m.pub_type, "other") == 0)
        m.pub_type = in->pub_type;
    if (!m.year)
        m.year = in->year;
    if (!m.nauthors) {
        m.authors = in->authors;
        m.nauthors = in->nauthors;
    }
    for (size_t i = 0; i < in->ntopics; i++) {
        bool seen = false;
        for (size_t k = 0; k < m.ntopics && !seen; k++)
            seen = strcmp(m.topics[k], in->topics[i]) == 0;
        if (!seen && hub_ref_list_add(&m.topics, &m.ntopics, in->topics[i],
                                      strlen(in->topics[i]), a) != 0)
            return kn_fail(err, KN_EINPUT, "more than %d topics", HUB_REF_LIST_MAX);
    }
    if (save(st, &m, now, err) != 0)
        return kn_error_prefix(err, "merging into reference %" PRId64 ": ", id);
    return 0;
}

int hub_ref_import(struct store *st, struct hub_ref *refs, size_t n,
                   enum hub_ref_dup_mode mode, bool make_public, kn_time now,
                   struct hub_ref_report *rep, struct arena *a, struct kn_error *err)
{
    memset(rep, 0, sizeof *rep);
    if (store_begin(st, err) != 0)
        return err->code;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct hub_ref *r = &refs[i];
        int64_t dup = 0;
        const char *by = NULL;
        if (hub_ref_check(r, err) != 0 || find_dup(st, r, &dup, &by, err) != 0) {
            rc = kn_error_prefix(err, "reference %d: ", r->line);
            break;
        }
        if (!dup) {
            r->id = 0;
            r->is_public = r->is_public || make_public;
            rc = save(st, r, now, err);
            rep->added += rc == 0;
            continue;
        }
        if (arena_grow(a, &rep->dups, rep->ndups, &rep->cap, sizeof *rep->dups) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        rep->dups[rep->ndups++] = (struct hub_ref_dup){
            r->line, dup, by,
            strcmp(by, "DOI") == 0 ? r->doi : r->pmid ? r->pmid : r->title};
        if (mode == HUB_REF_MERGE) {
            rc = merge(st, dup, r, now, a, err);
            rep->merged += rc == 0;
        } else {
            rep->skipped++;
        }
        r->id = dup;
    }
    if (rc == 0)
        rc = store_commit(st, err);
    if (rc != 0)
        store_rollback(st);
    return rc;
}

/* Append id to ids if it is not there yet (at most limit). */
static int add_id(int64_t **ids, size_t *n, size_t *cap, int64_t id, struct arena *a)
{
    for (size_t i = 0; i < *n; i++)
        if ((*ids)[i] == id)
            return 0;
    if (arena_grow(a, ids, *n, cap, sizeof **ids) != 0)
        return KN_ENOMEM;
    (*ids)[(*n)++] = id;
    return 0;
}

static int run_match(struct store *st, const char *sql, const struct strbuf *q,
                     int64_t **ids, size_t *n, size_t *cap, struct arena *a,
                     struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, q->buf, q->len);
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW)
        if (add_id(ids, n, cap, store_col_int(s, 0), a) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int hub_ref_search(struct store *st, const char *query, bool public_only, size_t limit,
                   struct hub_ref **out, size_t *n, struct arena *a, struct kn_error *err)
{
    struct strbuf words = STRBUF_INIT, parts = STRBUF_INIT;
    int64_t *ids = NULL;
    size_t nids = 0, cap = 0;
    *out = NULL;
    *n = 0;
    int rc = hub_search_queries(query, &words, &parts) ? kn_fail(err, KN_ENOMEM,
                                                                 "out of memory")
                                                      : 0;
    if (rc == 0 && words.len)
        rc = run_match(st,
                       "SELECT reference_id FROM hub_ref_search_stem WHERE "
                       "hub_ref_search_stem MATCH $1 ORDER BY "
                       "bm25(hub_ref_search_stem, 0, 3.0, 1.0), reference_id",
                       &words, &ids, &nids, &cap, a, err);
    if (rc == 0 && parts.len)
        rc = run_match(st,
                       "SELECT reference_id FROM hub_ref_search_tri WHERE "
                       "hub_ref_search_tri MATCH $1 ORDER BY "
                       "bm25(hub_ref_search_tri, 0, 3.0, 1.0), reference_id",
                       &parts, &ids, &nids, &cap, a, err);
    sb_release(&words);
    sb_release(&parts);
    if (rc || nids == 0)
        return rc;
    *out = arena_calloc(a, nids, sizeof **out);
    if (!*out)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < nids && *n < limit; i++) {
        rc = hub_ref_get(st, ids[i], public_only, &(*out)[*n], a, err);
        if (rc == KN_ENOTFOUND)
            continue;
        if (rc)
            return rc;
        (*n)++;
    }
    return 0;
}

/* Each comma-separated item of list resolved to a reference number, into
 * ids (at most cap); *n of them. */
static int resolve_list(struct store *st, const char *list, int64_t *ids, size_t cap,
                        size_t *n, struct kn_error *err)
{
    *n = 0;
    const char *p;
    size_t len;
    for (const char *at = list; text_list_next(&at, &p, &len);) {
        char item[HUB_REF_FIELD_MAX + 1];
        if (len > HUB_REF_FIELD_MAX || *n == cap)
            return kn_fail(err, KN_EINPUT, "'references': at most %zu, each at most %d bytes",
                           cap, HUB_REF_FIELD_MAX);
        memcpy(item, p, len);
        item[len] = '\0';
        if (hub_ref_resolve(st, item, &ids[*n], err) != 0)
            return kn_error_prefix(err, "'references': ");
        (*n)++;
    }
    return 0;
}

int hub_ref_link_version(struct store *st, const char *slug, const char *list, bool changed,
                         struct kn_error *err)
{
    int64_t ids[100];
    size_t n;
    if (resolve_list(st, list, ids, sizeof ids / sizeof *ids, &n, err) != 0)
        return err->code;
    struct store_stmt *s;
    if (store_prepare(st,
                      "SELECT v.id, v.published IS NOT NULL FROM hub_document d JOIN "
                      "hub_version v ON v.document_id = d.id AND v.version = "
                      "d.current_version WHERE d.slug = $1",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, slug, strlen(slug));
    int rc = store_step(s, err);
    int64_t vid = rc == STORE_ROW ? store_col_int(s, 0) : 0;
    bool frozen = rc == STORE_ROW && store_col_int(s, 1) != 0;
    store_finalize(s);
    if (rc < 0)
        return rc;
    if (!vid)
        return kn_fail(err, KN_ENOTFOUND, "no document '%s'", slug);
    if (frozen && !changed)
        return 0;
    rc = hub_exec(st, "DELETE FROM hub_version_reference WHERE version_id = $1", err, "i",
                  vid);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = hub_exec(st,
                      "INSERT INTO hub_version_reference (version_id, reference_id) VALUES "
                      "($1, $2) ON CONFLICT DO NOTHING",
                      err, "ii", vid, ids[i]);
    return rc;
}

int hub_ref_of_version(struct store *st, int64_t version_id, struct hub_ref **out,
                       size_t *n, struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    *out = NULL;
    *n = 0;
    if (store_prepare(st,
                      "SELECT " COLS "FROM hub_reference r JOIN hub_version_reference l ON "
                      "l.reference_id = r.id WHERE l.version_id = $1 ORDER BY r.id",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, version_id);
    return read_all(st, s, out, n, a, err);
}
