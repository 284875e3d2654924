/* src/hub/hub_lint.c: the safe-messaging rules and their check
 * (hub_lint.h). A document is a few thousand words and there are tens of
 * rule entries: every entry is tried at every word. */
#include "hub/hub_lint.h"

#include <stdio.h>
#include <string.h>

#include "base/csv.h"
#include "base/embed.h"
#include "base/strbuf.h"
#include "hub/hub_doc.h"
#include "hub/hub_search.h"

static const char *const kind_names[] = {"method", "sensational", "help"};
static const char *const public_codes[] = {
    "patients", "relatives", "police", "social-services", "school-health", "youth-clinics",
};

static int audience_bit(const char *code, size_t len)
{
    for (int i = 0; hub_audiences[i].code; i++)
        if (strlen(hub_audiences[i].code) == len && memcmp(hub_audiences[i].code, code, len) == 0)
            return i;
    return -1;
}

static unsigned public_bits(void)
{
    unsigned bits = 0;
    for (size_t i = 0; i < sizeof public_codes / sizeof public_codes[0]; i++)
        bits |= 1u << audience_bit(public_codes[i], strlen(public_codes[i]));
    return bits;
}

/* The audience bits of a list of codes separated by sep; unknown codes are
 * named in err (KN_EINPUT) when err is given, else skipped. */
static int audience_bits(const char *s, char sep, unsigned *bits, struct kn_error *err)
{
    *bits = 0;
    while (*s) {
        while (*s == sep || *s == ' ')
            s++;
        size_t len = 0;
        while (s[len] && s[len] != sep && s[len] != ' ')
            len++;
        if (len == 0)
            break;
        int b = audience_bit(s, len);
        if (len == 6 && memcmp(s, "public", 6) == 0)
            *bits |= public_bits();
        else if (b >= 0)
            *bits |= 1u << b;
        else if (err)
            return kn_fail(err, KN_EINPUT, "unknown code '%.*s' (public, or: patients, "
                           "relatives, care-staff, police, social-services, school-health, "
                           "youth-clinics, decision-makers)", (int)len, s);
        s += len;
    }
    return 0;
}

bool hub_lint_public(const char *audience)
{
    unsigned bits;
    audience_bits(audience, ',', &bits, NULL);
    return (bits & public_bits()) != 0;
}

/* Lower-case ASCII and the Latin-1 capitals in place (as search does). */
static void lower(char *s)
{
    unsigned char *p = (unsigned char *)s;
    for (; *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            *p = (unsigned char)(*p + 32);
        else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97)
            p[1] = (unsigned char)(p[1] + 0x20), p++;
    }
}

/* Split s at '|' into trimmed, lower-case, non-empty entries. */
static int split_entries(const char *s, const char ***out, size_t *n, struct arena *a)
{
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == '|';
    const char **v = arena_calloc(a, cap, sizeof *v);
    if (!v)
        return KN_ENOMEM;
    *n = 0;
    while (*s) {
        size_t len = strcspn(s, "|");
        const char *b = s, *e = s + len;
        while (b < e && *b == ' ')
            b++;
        while (e > b && e[-1] == ' ')
            e--;
        if (e > b) {
            char *x = arena_strndup(a, b, (size_t)(e - b));
            if (!x)
                return KN_ENOMEM;
            lower(x);
            v[(*n)++] = x;
        }
        s += len + (s[len] ? 1 : 0);
    }
    *out = v;
    return 0;
}

static bool valid_id(const char *s, size_t len)
{
    if (len == 0 || len > 80)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

static int parse_row(const struct csv_record *r, const char *name, struct hub_lint_rule *x,
                     const struct hub_lint_rules *done, struct arena *a, struct kn_error *err)
{
    if (r->n != 5)
        return kn_fail(err, KN_EINPUT, "%s:%zu: 5 fields wanted, found %zu", name, r->line,
                       r->n);
    if (!valid_id(r->f[0].s, r->f[0].len))
        return kn_fail(err, KN_EINPUT, "%s:%zu: 'rule': use 1-80 of a-z, 0-9 and '-'", name,
                       r->line);
    for (size_t i = 0; i < done->n; i++)
        if (strcmp(done->rules[i].id, r->f[0].s) == 0)
            return kn_fail(err, KN_EINPUT, "%s:%zu: 'rule': '%s' is given twice", name,
                           r->line, r->f[0].s);
    int k;
    for (k = 0; k < 3 && strcmp(kind_names[k], r->f[1].s) != 0; k++)
        ;
    if (k == 3)
        return kn_fail(err, KN_EINPUT, "%s:%zu: 'kind': method, sensational or help", name,
                       r->line);
    const char **entries;
    size_t n;
    if (split_entries(r->f[2].s, &entries, &n, a) != 0)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    if (n == 0)
        return kn_fail(err, KN_EINPUT, "%s:%zu: 'match': no entry", name, r->line);
    unsigned bits;
    if (audience_bits(r->f[3].s, ' ', &bits, err) != 0)
        return kn_error_prefix(err, "%s:%zu: 'audiences': ", name, r->line);
    if (bits == 0)
        return kn_fail(err, KN_EINPUT, "%s:%zu: 'audiences': none given", name, r->line);
    if (r->f[4].len == 0)
        return kn_fail(err, KN_EINPUT, "%s:%zu: 'message' is empty", name, r->line);
    *x = (struct hub_lint_rule){
        .id = arena_strdup(a, r->f[0].s),
        .message = arena_strdup(a, r->f[4].s),
        .kind = (enum hub_lint_kind)k,
        .entries = entries,
        .nentries = n,
        .audiences = bits,
    };
    return x->id && x->message ? 0 : kn_fail(err, KN_ENOMEM, "out of memory");
}

int hub_lint_rules_parse(const char *csv, size_t len, const char *name,
                         struct hub_lint_rules *out, struct arena *a, struct kn_error *err)
{
    static const char *const header[] = {"rule", "kind", "match", "audiences", "message"};
    struct csv_reader *r;
    struct csv_record rec;
    struct hub_lint_rule *v = NULL;
    size_t cap = 0;
    out->rules = NULL;
    out->n = 0;
    if (csv_open_mem(&r, csv, len, name, NULL, err) != 0)
        return err->code;
    int rc = csv_next(r, &rec, err);
    if (rc == 1) {
        bool ok = rec.n == 5;
        for (size_t i = 0; ok && i < 5; i++)
            ok = strcmp(rec.f[i].s, header[i]) == 0;
        rc = ok ? 0
                : kn_fail(err, KN_EINPUT, "%s:%zu: the header must be "
                          "rule,kind,match,audiences,message", name, rec.line);
    } else if (rc == 0) {
        rc = kn_fail(err, KN_EINPUT, "%s: empty, no header", name);
    }
    while (rc == 0 && (rc = csv_next(r, &rec, err)) == 1) {
        if (arena_grow(a, &v, out->n, &cap, sizeof *v) != 0) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        out->rules = v;
        rc = parse_row(&rec, name, &v[out->n], out, a, err);
        if (rc == 0)
            out->n++;
    }
    csv_free(r);
    if (rc == 0 && out->n == 0)
        rc = kn_fail(err, KN_EINPUT, "%s: no rules", name);
    return rc < 0 ? rc : 0;
}

int hub_lint_rules_shipped(struct hub_lint_rules *out, struct arena *a, struct kn_error *err)
{
    const struct embed_file *f = embed_find("hub/safe-messaging.csv");
    if (!f)
        return kn_fail(err, KN_ENOTFOUND, "the shipped safe-messaging rules are missing");
    return hub_lint_rules_parse((const char *)f->data, f->len, "data/hub/safe-messaging.csv",
                                out, a, err);
}

/* The words of one part of the document, in order. */
struct token {
    const char *at;
    size_t len;
    const char *lower, *stem;
    int line;
};

struct tokens {
    struct token *v;
    size_t n, cap;
    struct arena *a;
    const char *text; /* for the lines */
    const char *counted;
    int line;
};

static int add_token(void *ctx, const char *at, size_t len, const char *low, size_t low_len,
                     const char *stem, size_t stem_len)
{
    struct tokens *t = ctx;
    if (arena_grow(t->a, &t->v, t->n, &t->cap, sizeof *t->v) != 0)
        return KN_ENOMEM;
    for (; t->counted < at; t->counted++)
        t->line += *t->counted == '\n';
    struct token *k = &t->v[t->n++];
    k->at = at;
    k->len = len;
    k->lower = arena_strndup(t->a, low, low_len);
    k->stem = arena_strndup(t->a, stem, stem_len);
    k->line = t->line;
    return k->lower && k->stem ? 0 : KN_ENOMEM;
}

static int tokenize(const char *text, const char *language, int line, struct tokens *t,
                    struct arena *a)
{
    *t = (struct tokens){.a = a, .text = text, .counted = text, .line = line};
    return hub_stem_words(text, language, add_token, t);
}

/* One word of an entry: a stem and the word itself, or a prefix of the
 * lower-case word. */
struct part {
    const char *s;
    size_t len;
    bool prefix;
    const char *word;
};

struct stem_ctx {
    struct part *p;
    struct arena *a;
};

static int first_stem(void *ctx, const char *at, size_t len, const char *low, size_t low_len,
                      const char *stem, size_t stem_len)
{
    struct stem_ctx *c = ctx;
    (void)at, (void)len, (void)low, (void)low_len;
    if (c->p->s)
        return 0;
    c->p->s = arena_strndup(c->a, stem, stem_len);
    c->p->len = stem_len;
    return c->p->s ? 0 : KN_ENOMEM;
}

/* The parts of an entry ("begå självmord" -> stems "beg", "självmord"). */
static int entry_parts(const char *entry, const char *language, struct part **out, size_t *n,
                       struct arena *a)
{
    size_t cap = 1;
    for (const char *p = entry; *p; p++)
        cap += *p == ' ';
    struct part *v = arena_calloc(a, cap, sizeof *v);
    if (!v)
        return KN_ENOMEM;
    *n = 0;
    for (const char *p = entry; *p;) {
        size_t len = strcspn(p, " ");
        if (len > 0) {
            struct part x = {0};
            if (p[len - 1] == '*') {
                x = (struct part){arena_strndup(a, p, len - 1), len - 1, true, NULL};
            } else {
                char *w = arena_strndup(a, p, len);
                struct stem_ctx c = {&x, a};
                if (!w || hub_stem_words(w, language, first_stem, &c) != 0)
                    return KN_ENOMEM;
                x.word = w;
                if (!x.s)
                    x.s = ""; /* no word in it: never matches */
            }
            if (!x.s)
                return KN_ENOMEM;
            if (x.len > 0)
                v[(*n)++] = x;
        }
        p += len + (p[len] ? 1 : 0);
    }
    *out = v;
    return 0;
}

static bool part_matches(const struct part *p, const struct token *t)
{
    if (p->prefix)
        return strncmp(t->lower, p->s, p->len) == 0;
    /* Snowball does not always stem a word and its forms alike ("rakblad"
     * -> "rakbl", "rakbladen" -> "rakblad"): the word itself counts too. */
    return strcmp(t->stem, p->s) == 0 || strcmp(t->stem, p->word) == 0 ||
           strcmp(t->lower, p->word) == 0;
}

/* Is the number (digits and spaces) in text, its digits spaced or not,
 * with no digit right before or after? */
static bool has_number(const char *text, const char *num)
{
    for (const char *s = text; *s; s++) {
        if (*s < '0' || *s > '9' || (s > text && s[-1] >= '0' && s[-1] <= '9'))
            continue;
        const char *p = s, *q = num;
        while (*q) {
            if (*q == ' ') {
                q++;
                continue;
            }
            for (;;) { /* spaces, dashes and no-break spaces (C2 A0) between */
                if (*p == ' ' || *p == '-')
                    p++;
                else if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
                    p += 2;
                else
                    break;
            }
            if (*p != *q)
                break;
            p++, q++;
        }
        if (!*q && !(*p >= '0' && *p <= '9'))
            return true;
    }
    return false;
}

static bool all_digits(const char *s)
{
    bool any = false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            any = true;
        else if (*s != ' ')
            return false;
    }
    return any;
}

struct findings {
    struct hub_lint_finding *v;
    size_t n, cap;
};

static int add_finding(struct findings *f, const struct hub_lint_rule *r, const char *where,
                       int line, const char *found, struct arena *a)
{
    if (arena_grow(a, &f->v, f->n, &f->cap, sizeof *f->v) != 0)
        return KN_ENOMEM;
    f->v[f->n++] = (struct hub_lint_finding){r, where, line, found};
    return 0;
}

/* The words rule r forbids, in one part of the document. */
static int check_words(const struct hub_lint_rule *r, struct part **parts,
                       const size_t *nparts, const struct tokens *t, const char *where,
                       struct findings *f, struct arena *a)
{
    for (size_t i = 0; i < t->n; i++)
        for (size_t e = 0; e < r->nentries; e++) {
            size_t k = nparts[e], j;
            if (k == 0 || i + k > t->n)
                continue;
            for (j = 0; j < k && part_matches(&parts[e][j], &t->v[i + j]); j++)
                ;
            if (j < k)
                continue;
            const struct token *last = &t->v[i + k - 1];
            const char *found =
                arena_strndup(a, t->v[i].at, (size_t)(last->at + last->len - t->v[i].at));
            if (!found || add_finding(f, r, where, where ? 0 : t->v[i].line, found, a) != 0)
                return KN_ENOMEM;
            break; /* one finding per word */
        }
    return 0;
}

int hub_lint(const struct hub_lint_rules *rules, const struct hub_lint_text *t,
             struct hub_lint_finding **out, size_t *n, struct arena *a, struct kn_error *err)
{
    struct findings f = {0};
    struct tokens parts_of[3];
    const char *texts[3] = {t->title, t->summary, t->body};
    const char *where[3] = {"title", "summary", NULL};
    unsigned doc;
    audience_bits(t->audience, ',', &doc, NULL);
    *out = NULL;
    *n = 0;
    for (int i = 0; i < 3; i++)
        if (tokenize(texts[i] ? texts[i] : "", t->language, i == 2 ? t->body_line : 0,
                     &parts_of[i], a) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory");
    char *all = arena_printf(a, "%s\n%s\n%s", t->title ? t->title : "",
                             t->summary ? t->summary : "", t->body ? t->body : "");
    if (!all)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    lower(all);
    for (size_t ri = 0; ri < rules->n; ri++) {
        const struct hub_lint_rule *r = &rules->rules[ri];
        if (!(r->audiences & doc))
            continue;
        if (r->kind == HUB_LINT_HELP) {
            bool found = false;
            for (size_t e = 0; e < r->nentries && !found; e++)
                found = all_digits(r->entries[e]) ? has_number(all, r->entries[e])
                                                  : strstr(all, r->entries[e]) != NULL;
            if (!found && add_finding(&f, r, NULL, 0, NULL, a) != 0)
                return kn_fail(err, KN_ENOMEM, "out of memory");
            continue;
        }
        struct part **parts = arena_calloc(a, r->nentries, sizeof *parts);
        size_t *nparts = arena_calloc(a, r->nentries, sizeof *nparts);
        if (!parts || !nparts)
            return kn_fail(err, KN_ENOMEM, "out of memory");
        for (size_t e = 0; e < r->nentries; e++)
            if (entry_parts(r->entries[e], t->language, &parts[e], &nparts[e], a) != 0)
                return kn_fail(err, KN_ENOMEM, "out of memory");
        for (int i = 0; i < 3; i++)
            if (check_words(r, parts, nparts, &parts_of[i], where[i], &f, a) != 0)
                return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    *out = f.v;
    *n = f.n;
    return 0;
}

const char *hub_lint_describe(const struct hub_lint_finding *f, struct arena *a)
{
    char place[32] = "";
    if (f->where)
        snprintf(place, sizeof place, "%s: ", f->where);
    else if (f->line)
        snprintf(place, sizeof place, "line %d: ", f->line);
    if (!f->found)
        return arena_printf(a, "%s%s: %s", place, f->rule->id, f->rule->message);
    return arena_printf(a, "%s%s: '%s' %s", place, f->rule->id, f->found, f->rule->message);
}
