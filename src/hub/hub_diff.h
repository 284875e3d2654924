/* src/hub/hub_diff.h: the difference between two versions of a document's
 * Markdown, by lines and, inside changed lines, by words.
 *
 * Debian packages no C diff library (libdtl is C++, libgit2's diff needs a
 * repository), so this is Myers' O((N+M)D) greedy algorithm ("An O(ND)
 * Difference Algorithm and Its Variations", 1986) over token sequences:
 * the common beginning and end are taken off first, then the furthest
 * reaching paths are kept per edit distance d (memory ~ D^2 words) and
 * walked back into an edit script. Documents are a few hundred lines and
 * versions differ by a few dozen; if the distance passes HUB_DIFF_MAX_D,
 * the middle is given as removed then added (a correct, not a shortest,
 * script) so that memory stays bounded (~32 MB).
 *
 * Tokens are spans of the caller's text: lines (each with its newline, so
 * a missing newline at the end is a difference) or words (runs of letters
 * and digits, runs of white space, and single other characters). Nothing
 * is copied; edit scripts live in the caller's arena.
 *
 * Output: hub_diff_unified() writes the unified format of GNU diff -u
 * (hunks with `context` lines around each change, "@@ -l,n +l,n @@"
 * headers, "\ No newline at end of file"); hub_diff_json() builds the
 * same hunks as a jansson model for the portal, where each removed line
 * that is paired with an added one (the k-th removed with the k-th added
 * of one change) carries its word diff.
 */
#ifndef KNOD_HUB_HUB_DIFF_H
#define KNOD_HUB_HUB_DIFF_H

#include <stddef.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/strbuf.h"

/* The largest edit distance computed exactly. */
#define HUB_DIFF_MAX_D 2000

struct hub_diff_span {
    const char *s;
    size_t len;
};

enum hub_diff_op { HUB_DIFF_SAME = ' ', HUB_DIFF_DEL = '-', HUB_DIFF_ADD = '+' };

/* One step of an edit script: SAME keeps a[a] (equal to b[b]), DEL
 * removes a[a], ADD inserts b[b]. The unused index is the position the
 * step stands at in the other sequence. */
struct hub_diff_edit {
    enum hub_diff_op op;
    size_t a, b;
};

/* The lines of s[0..len) (each with its '\n'; the last may lack one), in
 * arena memory. 0 or KN_ENOMEM. */
int hub_diff_lines(const char *s, size_t len, struct hub_diff_span **out, size_t *n,
                   struct arena *ar, struct kn_error *err);

/* The words of s[0..len) (above), in arena memory. 0 or KN_ENOMEM. */
int hub_diff_words(const char *s, size_t len, struct hub_diff_span **out, size_t *n,
                   struct arena *ar, struct kn_error *err);

/* An edit script turning a[0..na) into b[0..nb): the shortest one when the
 * distance is at most HUB_DIFF_MAX_D. The script is in order; *n is its
 * length. Lives in ar. 0 or KN_ENOMEM. */
int hub_diff_seq(const struct hub_diff_span *a, size_t na, const struct hub_diff_span *b,
                 size_t nb, struct hub_diff_edit **out, size_t *n, struct arena *ar,
                 struct kn_error *err);

/* The unified diff of the texts a and b (lines), with the header lines
 * "--- from" and "+++ to" and `context` lines of context, appended to
 * out. Equal texts give nothing. 0 or KN_ENOMEM. */
int hub_diff_unified(const char *a, size_t alen, const char *b, size_t blen,
                     const char *from, const char *to, int context, struct strbuf *out,
                     struct kn_error *err);

/* The same diff as a model (new reference in *out):
 *   {"added": n, "removed": n, "hunks": [{"from_line", "from_count",
 *    "to_line", "to_count", "lines": [{"op": "same"|"del"|"add",
 *    "old": n|null, "new": n|null, "text": "...",
 *    "words": [{"op", "text"}, ...] (paired changed lines only)}]}]}
 * Line numbers count from 1; "text" is without its newline.
 * 0 or KN_ENOMEM. */
int hub_diff_json(const char *a, size_t alen, const char *b, size_t blen, int context,
                  json_t **out, struct kn_error *err);

#endif /* KNOD_HUB_HUB_DIFF_H */
