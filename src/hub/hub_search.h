/* src/hub/hub_search.h: full-text search over published documents, in
 * Swedish (and English) word forms and parts of compounds.
 *
 * Two FTS5 tables (migration 0004): hub_search_stem holds each indexed
 * version's words as Snowball stems (libstemmer, the document's language),
 * so "skador", "skada" and "skadan" meet in "skad"; hub_search_tri holds
 * the raw title and text under the trigram tokenizer, so the stem "skad"
 * is also found inside "självskadebeteende". A query's words are stemmed
 * the same way; a document matches when every word (as a stem prefix or,
 * for words of three letters or more, as a substring) is in it. Documents
 * that match as words rank first, by bm25; the rest follow, by bm25 of the
 * trigram match. Snippets come from the raw text with the hits marked.
 */
#ifndef KNOD_HUB_HUB_SEARCH_H
#define KNOD_HUB_HUB_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "store/store.h"

/* Call fn for each word of text (UTF-8; a word is a run of letters and
 * digits, any byte above 0x7F counting as a letter) in order: at and len
 * are the word in text, lower the word in lower case (ASCII and Latin-1
 * capitals; at most 255 bytes), stem its Snowball stem in language ("sv"
 * or "en"). The strings are valid during the call only. A non-zero return
 * from fn stops the walk and is returned; else 0, or KN_ENOMEM. */
typedef int (*hub_word_fn)(void *ctx, const char *at, size_t len, const char *lower,
                           size_t lower_len, const char *stem, size_t stem_len);
int hub_stem_words(const char *text, const char *language, hub_word_fn fn, void *ctx);

/* The words of text (UTF-8) as space-separated lower-case stems of
 * language ("sv" or "en"), appended to out. 0 or KN_ENOMEM. */
int hub_stems(const char *text, const char *language, struct strbuf *out);

/* Put version_id's title, summary and body in the index, or take it out
 * (body NULL). Runs in the caller's transaction. */
int hub_search_index(struct store *st, int64_t version_id, const char *title,
                     const char *summary, const char *body, const char *language,
                     struct kn_error *err);

/* The two FTS5 queries for query (its words stemmed in Swedish), appended
 * to words and parts: `"a"* AND "b"*` for the stem table, and `"a" AND
 * "b"` (stems of 3+ bytes) for the trigram table. Both stay empty for a
 * query with no words. 0 or KN_ENOMEM. The evidence register's search
 * (hub_ref_store.h) runs the same queries over its own tables. */
int hub_search_queries(const char *query, struct strbuf *words, struct strbuf *parts);

struct hub_hit {
    int64_t version_id;
    const char *slug, *title, *summary, *language;
    int words;           /* 1 if it matched as words, 0 if only in parts */
    double rank;         /* lower is better */
    const char *snippet; /* raw text; hits between '\x01' and '\x02' */
};

/* Up to limit hits for query, best first, into arena memory. A query with
 * no words gives no hits (not an error). */
int hub_search(struct store *st, const char *query, size_t limit, struct hub_hit **out,
               size_t *n, struct arena *a, struct kn_error *err);

#endif /* KNOD_HUB_HUB_SEARCH_H */
