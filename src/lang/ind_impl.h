/* src/lang/ind_impl.h: the tokenizer shared by the indicator parser files.
 * Internal to src/lang/ind_*.c. */
#ifndef KNOD_STATS_IND_IMPL_H
#define KNOD_STATS_IND_IMPL_H

#include "lang/ind.h"

enum ind_tok_type { IND_T_WORD, IND_T_STRING, IND_T_PUNCT };

struct ind_tok {
    enum ind_tok_type type;
    const char *s; /* word: into the text; string: unescaped, in the arena */
    size_t len;
    int col;       /* 1-based, in bytes */
};

#define IND_MAX_TOKENS 128

/* Region codes in use, as bits of their numbers (ind_field.c; a unit test
 * checks them against the shipped geography). */
extern const uint32_t ind_region_bits;

/* Kinds of events that have an end (and so a duration). */
#define IND_MASK_ENDED \
    (IND_MASK_CONTACT | IND_MASK(IND_EV_MEASURE) | IND_MASK(IND_EV_TREATMENT))

/* One line's tokens and where they came from. */
struct ind_line {
    const char *file;
    int line;
    struct ind_tok tok[IND_MAX_TOKENS];
    size_t n;
    size_t i; /* the next token to read */
};

/* Tokenize one line (without its newline). KN_EINPUT on a bad string, a
 * stray character or too many tokens. */
int ind_lex_line(struct ind_line *ln, const char *s, size_t len, struct arena *a,
                 struct kn_error *err);

/* Fail with "file:line:col: message" at token t (or the end of the line). */
int ind_fail(const struct ind_line *ln, const struct ind_tok *t, struct kn_error *err,
             const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The next token, or NULL at the end of the line. */
const struct ind_tok *ind_peek(const struct ind_line *ln);
const struct ind_tok *ind_next(struct ind_line *ln);

/* Is t the word w / the punctuation c? */
bool ind_is(const struct ind_tok *t, const char *w);
bool ind_is_punct(const struct ind_tok *t, char c);

/* Parse the next token as a word (into a NUL-terminated copy), an integer
 * within lo..hi, a signed duration (`7d`, `-24h`, in seconds), or expect
 * the given word or punctuation. Each fails naming the token. */
int ind_word(struct ind_line *ln, char *buf, size_t cap, const char *what,
             struct kn_error *err);
int ind_int(struct ind_line *ln, long lo, long hi, const char *what, long *out,
            struct kn_error *err);
int ind_expect(struct ind_line *ln, const char *w, struct kn_error *err);
int ind_expect_punct(struct ind_line *ln, char c, struct kn_error *err);
int ind_duration(struct ind_line *ln, int64_t *out, struct kn_error *err);

/* Fail unless the line is used up. */
int ind_end(struct ind_line *ln, struct kn_error *err);

/* Parse a field condition's values after the field word (enumerated
 * values, age ranges, ICD-10 codes, step codes) for events of `kinds`;
 * stops before `)`, `;` or the end of the line. */
int ind_field_values(struct ind_line *ln, const struct ind_tok *name, uint32_t kinds,
                     struct ind_field *f, struct arena *a, struct kn_error *err);

/* Check a definition that has ended (required statements, combinations);
 * KN_EINPUT naming the file and the line of its `indicator`. */
int ind_def_finish(struct ind_def *d, struct kn_error *err);

#endif /* KNOD_STATS_IND_IMPL_H */
