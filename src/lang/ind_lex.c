/* src/lang/ind_lex.c: tokens of the indicator language, its value words,
 * and the values of field conditions (docs/indicators.md). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "lang/ind_impl.h"

const char *const ind_sex_words[] = { "F", "M", NULL };
const char *const ind_contact_types[] = { "emergency", "outpatient", "inpatient", NULL };
const char *const ind_measure_types[] = { "fastspanning", "avskiljning",
                                          "tvangsmedicinering", "fasthallande", "other",
                                          NULL };
const char *const ind_assessment_types[] = { "suicide_risk", "psychosocial", "other", NULL };
const char *const ind_plan_types[] = { "care_plan", "crisis_plan", "sip", NULL };
const char *const ind_treatment_types[] = { "dbt", "mbt", "ergt", "erita", "cbt", "other",
                                            NULL };
const char *const ind_unit_kinds[] = { "bup", "adult_psychiatry", "emergency", "somatic",
                                       "primary_care", "nhv", "municipal", NULL };
const char *const ind_settings[] = { "inpatient", "outpatient", NULL };
const char *const ind_legal_words[] = { "voluntary", "LPT", "LRV", "LVU", NULL };
const char *const ind_modes[] = { "visit", "phone", "video", NULL };
const char *const ind_pathways[] = { "adult", "child", NULL };
const char *const ind_intents[] = { "intentional", "undetermined", NULL };
const char *const ind_yes_no[] = { "no", "yes", NULL };

int ind_word_index(const char *const *words, const char *w, size_t len)
{
    for (int i = 0; words[i]; i++)
        if (strlen(words[i]) == len && memcmp(words[i], w, len) == 0)
            return i;
    return -1;
}

static bool word_char(unsigned char c)
{
    return c != 0 && (isalnum(c) || strchr("_-.:+/<>=%", c) != NULL);
}

int ind_fail(const struct ind_line *ln, const struct ind_tok *t, struct kn_error *err,
             const char *fmt, ...)
{
    char msg[KN_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int col = t ? t->col : (ln->n ? ln->tok[ln->n - 1].col + (int)ln->tok[ln->n - 1].len : 1);
    return kn_fail(err, KN_EINPUT, "%s:%d:%d: %s", ln->file, ln->line, col, msg);
}

static int lex_string(struct ind_line *ln, const char *s, size_t len, size_t *pos,
                      struct ind_tok *t, struct arena *a, struct kn_error *err)
{
    /* room for the text up to the closing quote (or the end of the line) */
    size_t e = *pos + 1;
    while (e < len && s[e] != '"')
        e += s[e] == '\\' && e + 1 < len ? 2 : 1;
    char *out = arena_alloc(a, e - *pos);
    if (!out)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    size_t i = *pos + 1, n = 0;
    for (;;) {
        if (i >= len)
            return ind_fail(ln, t, err, "string not closed on its line");
        char c = s[i++];
        if (c == '"')
            break;
        if (c == '\\') {
            if (i >= len || (s[i] != '"' && s[i] != '\\')) {
                struct ind_tok at = { IND_T_PUNCT, s + i - 1, 1, (int)i };
                return ind_fail(ln, &at, err, "only \\\" and \\\\ may be escaped in a string");
            }
            c = s[i++];
        }
        out[n++] = c;
    }
    out[n] = '\0';
    if (!utf8_valid(out, n, NULL))
        return ind_fail(ln, t, err, "string is not valid UTF-8");
    t->s = out;
    t->len = n;
    *pos = i;
    return 0;
}

int ind_lex_line(struct ind_line *ln, const char *s, size_t len, struct arena *a,
                 struct kn_error *err)
{
    ln->n = 0;
    ln->i = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            i++;
            continue;
        }
        if (c == '#')
            break;
        if (ln->n == IND_MAX_TOKENS) {
            struct ind_tok at = { IND_T_PUNCT, s + i, 1, (int)i + 1 };
            return ind_fail(ln, &at, err, "line has more than %d tokens", IND_MAX_TOKENS);
        }
        struct ind_tok *t = &ln->tok[ln->n];
        t->col = (int)i + 1;
        if (c == '"') {
            t->type = IND_T_STRING;
            int rc = lex_string(ln, s, len, &i, t, a, err);
            if (rc != 0)
                return rc;
        } else if (c != 0 && strchr(",()[];", c)) {
            t->type = IND_T_PUNCT;
            t->s = s + i;
            t->len = 1;
            i++;
        } else if (word_char(c)) {
            t->type = IND_T_WORD;
            t->s = s + i;
            while (i < len && word_char((unsigned char)s[i]))
                i++;
            t->len = (size_t)(s + i - t->s);
        } else {
            struct ind_tok at = { IND_T_PUNCT, s + i, 1, (int)i + 1 };
            if (c >= 0x80)
                return ind_fail(ln, &at, err, "non-ASCII text belongs in a \"string\"");
            if (!isprint(c))
                return ind_fail(ln, &at, err, "unexpected control character 0x%02X", c);
            return ind_fail(ln, &at, err, "unexpected character '%c'", c);
        }
        ln->n++;
    }
    return 0;
}

const struct ind_tok *ind_peek(const struct ind_line *ln)
{
    return ln->i < ln->n ? &ln->tok[ln->i] : NULL;
}

const struct ind_tok *ind_next(struct ind_line *ln)
{
    return ln->i < ln->n ? &ln->tok[ln->i++] : NULL;
}

bool ind_is(const struct ind_tok *t, const char *w)
{
    return t && t->type == IND_T_WORD && strlen(w) == t->len && memcmp(t->s, w, t->len) == 0;
}

bool ind_is_punct(const struct ind_tok *t, char c)
{
    return t && t->type == IND_T_PUNCT && t->s[0] == c;
}

int ind_word(struct ind_line *ln, char *buf, size_t cap, const char *what,
             struct kn_error *err)
{
    const struct ind_tok *t = ind_next(ln);
    if (!t || t->type != IND_T_WORD)
        return ind_fail(ln, t, err, "expected %s", what);
    if (t->len >= cap)
        return ind_fail(ln, t, err, "%s is too long (at most %zu characters)", what, cap - 1);
    memcpy(buf, t->s, t->len);
    buf[t->len] = '\0';
    return 0;
}

int ind_int(struct ind_line *ln, long lo, long hi, const char *what, long *out,
            struct kn_error *err)
{
    char buf[24];
    const struct ind_tok *t = ind_peek(ln);
    int rc = ind_word(ln, buf, sizeof buf, what, err);
    if (rc != 0)
        return rc;
    char *end;
    long v = strtol(buf, &end, 10);
    if (*end || end == buf || !isdigit((unsigned char)buf[0]) || v < lo || v > hi)
        return ind_fail(ln, t, err, "%s must be a whole number from %ld to %ld, not '%s'",
                        what, lo, hi, buf);
    *out = v;
    return 0;
}

int ind_expect(struct ind_line *ln, const char *w, struct kn_error *err)
{
    const struct ind_tok *t = ind_next(ln);
    if (!ind_is(t, w))
        return ind_fail(ln, t, err, "expected '%s'", w);
    return 0;
}

int ind_expect_punct(struct ind_line *ln, char c, struct kn_error *err)
{
    const struct ind_tok *t = ind_next(ln);
    if (!ind_is_punct(t, c))
        return ind_fail(ln, t, err, "expected '%c'", c);
    return 0;
}

int ind_duration(struct ind_line *ln, int64_t *out, struct kn_error *err)
{
    char buf[24];
    const struct ind_tok *t = ind_peek(ln);
    int rc = ind_word(ln, buf, sizeof buf, "a duration such as 7d or 24h", err);
    if (rc != 0)
        return rc;
    size_t n = strlen(buf);
    const char *digits = buf[0] == '-' ? buf + 1 : buf;
    char unit = n ? buf[n - 1] : 0;
    bool ok = (unit == 'd' || unit == 'h') && digits < buf + n - 1;
    for (const char *p = digits; ok && p < buf + n - 1; p++)
        ok = isdigit((unsigned char)*p);
    long v = ok ? strtol(digits, NULL, 10) : 0;
    if (!ok || v > 36600L * 24)
        return ind_fail(ln, t, err, "'%s' is not a duration: whole days or hours, "
                        "such as 7d, -365d or 24h", buf);
    *out = (int64_t)v * (unit == 'd' ? 86400 : 3600) * (buf[0] == '-' ? -1 : 1);
    return 0;
}

int ind_end(struct ind_line *ln, struct kn_error *err)
{
    const struct ind_tok *t = ind_peek(ln);
    if (t)
        return ind_fail(ln, t, err, "unexpected '%.*s' at the end of the statement",
                        (int)t->len, t->s);
    return 0;
}
