/* src/hub/hub_search.c: stems, the two FTS5 indexes and ranked search
 * (hub_search.h). */
#include "hub/hub_search.h"

#include <libstemmer.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Lower-case one UTF-8 word in place: ASCII and the Latin-1 capitals
 * (À-Þ, which covers Å, Ä, Ö, É, Ü) that Swedish and English text uses. */
static void lower_word(unsigned char *w, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (w[i] >= 'A' && w[i] <= 'Z')
            w[i] = (unsigned char)(w[i] + 32);
        else if (w[i] == 0xC3 && i + 1 < len && w[i + 1] >= 0x80 && w[i + 1] <= 0x9E &&
                 w[i + 1] != 0x97)
            w[++i] += 0x20;
    }
}

static bool word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80;
}

int hub_stem_words(const char *text, const char *language, hub_word_fn fn, void *ctx)
{
    struct sb_stemmer *st =
        sb_stemmer_new(strcmp(language, "en") == 0 ? "english" : "swedish", "UTF_8");
    if (!st)
        return KN_ENOMEM;
    int rc = 0;
    unsigned char word[256];
    const unsigned char *p = (const unsigned char *)text;
    while (*p && rc == 0) {
        if (!word_byte(*p)) {
            p++;
            continue;
        }
        size_t len = 0;
        while (word_byte(p[len]))
            len++;
        /* A "word" of punctuation bytes above 0x7F (e.g. a dash) stems to
         * itself and matches nothing; long runs are cut. */
        size_t n = len < sizeof word ? len : sizeof word - 1;
        memcpy(word, p, n);
        lower_word(word, n);
        word[n] = '\0';
        const sb_symbol *s = sb_stemmer_stem(st, word, (int)n);
        if (!s) {
            rc = KN_ENOMEM;
            break;
        }
        rc = fn(ctx, (const char *)p, len, (const char *)word, n, (const char *)s,
                (size_t)sb_stemmer_length(st));
        p += len;
    }
    sb_stemmer_delete(st);
    return rc;
}

static int add_stem(void *ctx, const char *at, size_t len, const char *lower,
                    size_t lower_len, const char *stem, size_t stem_len)
{
    struct strbuf *out = ctx;
    (void)at, (void)len, (void)lower, (void)lower_len;
    int rc = out->len ? sb_addch(out, ' ') : 0;
    return rc ? rc : sb_add(out, stem, stem_len);
}

int hub_stems(const char *text, const char *language, struct strbuf *out)
{
    return hub_stem_words(text, language, add_stem, out);
}

int hub_search_index(struct store *st, int64_t version_id, const char *title,
                     const char *summary, const char *body, const char *language,
                     struct kn_error *err)
{
    static const char *const del[] = {
        "DELETE FROM hub_search_stem WHERE version_id = $1",
        "DELETE FROM hub_search_tri WHERE version_id = $1",
    };
    struct store_stmt *s = NULL;
    for (int i = 0; i < 2; i++) {
        if (store_prepare(st, del[i], &s, err) != 0)
            return err->code;
        store_bind_int(s, 1, version_id);
        int rc = store_step(s, err);
        store_finalize(s);
        if (rc < 0)
            return rc;
    }
    if (!body)
        return 0;
    struct strbuf stems = STRBUF_INIT, tstems = STRBUF_INIT, text = STRBUF_INIT;
    int rc = sb_addf(&text, "%s\n\n%s", summary, body);
    if (rc == 0)
        rc = hub_stems(text.buf, language, &stems);
    if (rc == 0)
        rc = hub_stems(title, language, &tstems);
    if (rc)
        rc = kn_fail(err, KN_ENOMEM, "out of memory");
    if (rc == 0)
        rc = store_prepare(st,
                           "INSERT INTO hub_search_stem (version_id, title, stems) "
                           "VALUES ($1, $2, $3)",
                           &s, err);
    if (rc == 0) {
        store_bind_int(s, 1, version_id);
        store_bind_text(s, 2, tstems.buf, tstems.len);
        store_bind_text(s, 3, stems.buf, stems.len);
        rc = store_step(s, err);
        store_finalize(s);
    }
    if (rc >= 0)
        rc = store_prepare(st,
                           "INSERT INTO hub_search_tri (version_id, title, body) "
                           "VALUES ($1, $2, $3)",
                           &s, err);
    if (rc == 0) {
        store_bind_int(s, 1, version_id);
        store_bind_text(s, 2, title, strlen(title));
        store_bind_text(s, 3, text.buf, text.len);
        rc = store_step(s, err);
        store_finalize(s);
    }
    sb_release(&stems);
    sb_release(&tstems);
    sb_release(&text);
    return rc < 0 ? rc : 0;
}

/* A stem holds no '"' (only word bytes), so quoting is safe. */
int hub_search_queries(const char *query, struct strbuf *words, struct strbuf *parts)
{
    struct strbuf stems = STRBUF_INIT;
    int rc = hub_stems(query, "sv", &stems);
    for (char *p = stems.buf; rc == 0 && *p;) {
        char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        rc = sb_addf(words, "%s\"%.*s\"*", words->len ? " AND " : "", (int)len, p);
        if (rc == 0 && len >= 3)
            rc = sb_addf(parts, "%s\"%.*s\"", parts->len ? " AND " : "", (int)len, p);
        p += len + (sp ? 1 : 0);
    }
    sb_release(&stems);
    return rc;
}

static int by_rank(const void *a, const void *b)
{
    const struct hub_hit *x = a, *y = b;
    if (x->words != y->words)
        return y->words - x->words;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->version_id < y->version_id ? -1 : x->version_id > y->version_id;
}

static const char *dup_col(struct store_stmt *s, int i, struct arena *a)
{
    size_t len = 0;
    const char *t = store_col_text(s, i, &len);
    return arena_strndup(a, t, len); /* "" for NULL */
}

int hub_search(struct store *st, const char *query, size_t limit, struct hub_hit **out,
               size_t *n, struct arena *a, struct kn_error *err)
{
    struct strbuf words = STRBUF_INIT, parts = STRBUF_INIT;
    struct store_stmt *s = NULL;
    size_t cap = 64, count = 0;
    struct hub_hit *hits = NULL;
    *out = NULL;
    *n = 0;
    int rc = hub_search_queries(query, &words, &parts)
                 ? kn_fail(err, KN_ENOMEM, "out of memory")
                 : 0;
    if (rc || words.len == 0)
        goto done;
    hits = arena_calloc(a, cap, sizeof *hits);
    if (!hits) {
        rc = kn_fail(err, KN_ENOMEM, "out of memory");
        goto done;
    }
    /* The word matches, by bm25 (the title weighs three times the text). */
    rc = store_prepare(st,
                       "SELECT s.version_id, bm25(hub_search_stem, 0, 3.0, 1.0), d.slug, "
                       "v.title, v.summary, v.language FROM hub_search_stem s "
                       "JOIN hub_version v ON v.id = s.version_id "
                       "JOIN hub_document d ON d.id = v.document_id "
                       "WHERE hub_search_stem MATCH $1",
                       &s, err);
    if (rc == 0) {
        store_bind_text(s, 1, words.buf, words.len);
        while ((rc = store_step(s, err)) == STORE_ROW) {
            if (arena_grow(a, &hits, count, &cap, sizeof *hits) != 0) {
                rc = kn_fail(err, KN_ENOMEM, "out of memory");
                break;
            }
            struct hub_hit *h = &hits[count++];
            h->version_id = store_col_int(s, 0);
            h->rank = store_col_double(s, 1);
            h->slug = dup_col(s, 2, a);
            h->title = dup_col(s, 3, a);
            h->summary = dup_col(s, 4, a);
            h->language = dup_col(s, 5, a);
            h->words = 1;
            h->snippet = "";
        }
        store_finalize(s);
    }
    if (rc < 0)
        goto done;
    rc = 0;
    /* The part matches: snippets for all, and the documents found only so. */
    if (parts.len) {
        rc = store_prepare(
            st,
            "SELECT t.version_id, bm25(hub_search_tri, 0, 3.0, 1.0), "
            "snippet(hub_search_tri, 2, char(1), char(2), '…', 48), d.slug, "
            "v.title, v.summary, v.language FROM hub_search_tri t "
            "JOIN hub_version v ON v.id = t.version_id "
            "JOIN hub_document d ON d.id = v.document_id "
            "WHERE hub_search_tri MATCH $1",
            &s, err);
        if (rc == 0) {
            store_bind_text(s, 1, parts.buf, parts.len);
            while ((rc = store_step(s, err)) == STORE_ROW) {
                int64_t id = store_col_int(s, 0);
                size_t k;
                for (k = 0; k < count && hits[k].version_id != id; k++)
                    ;
                if (k == count) {
                    if (count == cap)
                        continue; /* enough already */
                    struct hub_hit *h = &hits[count++];
                    h->version_id = id;
                    h->rank = store_col_double(s, 1);
                    h->slug = dup_col(s, 3, a);
                    h->title = dup_col(s, 4, a);
                    h->summary = dup_col(s, 5, a);
                    h->language = dup_col(s, 6, a);
                }
                hits[k].snippet = dup_col(s, 2, a);
            }
            store_finalize(s);
        }
        if (rc < 0)
            goto done;
        rc = 0;
    }
    qsort(hits, count, sizeof *hits, by_rank);
    *out = hits;
    *n = count < limit ? count : limit;
done:
    sb_release(&words);
    sb_release(&parts);
    return rc;
}
