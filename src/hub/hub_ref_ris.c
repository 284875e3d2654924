/* src/hub/hub_ref_ris.c: RIS in and out (hub_ref.h).
 *
 * RIS is a line format: each line "XY  - value" with a two-character tag
 * (a capital, then a capital or digit); a reference runs from "TY  - TYPE"
 * to "ER  - ". Exports differ in small ways, all accepted: CRLF or LF, a
 * byte-order mark, "ER  -" without the space, blank lines between
 * references, and long values (an abstract) wrapped onto lines without a
 * tag, which continue the field before them. A reference's lines are
 * gathered first and read as a whole at its "ER", so that the tags may
 * come in any order and each field's message names the line it was on.
 *
 * The tags knod keeps: TY (type), TI/T1 (title), AU/A1 (authors, in
 * order), PY/Y1/DA (the year, their first four digits), T2/JF/JO/JA/BT
 * (journal, or the book of a chapter, in that preference), VL, IS, SP and
 * EP (pages), DO (DOI), AN (PubMed id when it is digits only), UR (the
 * first URL), KW (topics; a comma or semicolon also separates them), AB/N2
 * (the summary), and knod's C1 (type of study), C2 (evidence grade) and C3
 * (public or internal). Every other tag is skipped.
 */
#include <stdio.h>
#include <string.h>

#include "hub/hub_ref.h"

struct ris_line {
    char tag[3];
    int line;
    char *value; /* arena; continuation lines appended with a space */
    size_t len;
};

struct ris_rec {
    struct ris_line *v;
    size_t n, cap;
    int ty_line;
};

/* The RIS types and knod's publication types: the first row of each type
 * is what knod writes. */
static const struct {
    const char *ris, *type;
} ris_types[] = {
    {"JOUR", "article"}, {"EJOUR", "article"}, {"MGZN", "article"}, {"NEWS", "article"},
    {"RPRT", "report"},  {"GOVDOC", "report"}, {"BOOK", "book"},    {"EBOOK", "book"},
    {"EDBOOK", "book"},  {"CHAP", "chapter"},  {"ECHAP", "chapter"}, {"ELEC", "web"},
    {"WEB", "web"},      {"GEN", "other"},
};

static bool tag_line(const char *s, size_t len)
{
    return len >= 5 && s[0] >= 'A' && s[0] <= 'Z' &&
           ((s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= '0' && s[1] <= '9')) && s[2] == ' ' &&
           s[3] == ' ' && s[4] == '-' && (len == 5 || s[5] == ' ');
}

static const struct ris_line *find(const struct ris_rec *r, const char *tag)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].tag, tag) == 0)
            return &r->v[i];
    return NULL;
}

/* The first of the tags (space-separated pairs, "T2 JF") that the record
 * has with a non-empty value. */
static const struct ris_line *first_of(const struct ris_rec *r, const char *tags)
{
    for (const char *t = tags; *t; t += t[2] ? 3 : 2) {
        char tag[3] = {t[0], t[1], 0};
        for (size_t i = 0; i < r->n; i++)
            if (strcmp(r->v[i].tag, tag) == 0 && r->v[i].len)
                return &r->v[i];
        if (!t[2])
            break;
    }
    return NULL;
}

static int fail_at(struct kn_error *err, const char *file, const struct ris_line *l,
                   const char *msg)
{
    return kn_fail(err, KN_EINPUT, "%s:%d: %s: %s", file, l->line, l->tag, msg);
}

static int split_topics(struct hub_ref *ref, const struct ris_line *l, struct arena *a)
{
    const char *p = l->value;
    while (*p) {
        size_t n = strcspn(p, ",;");
        const char *s = p;
        size_t k = n;
        while (k && (*s == ' ' || *s == '\t'))
            s++, k--;
        while (k && (s[k - 1] == ' ' || s[k - 1] == '\t'))
            k--;
        bool seen = false;
        for (size_t i = 0; i < ref->ntopics && !seen; i++)
            seen = strlen(ref->topics[i]) == k && memcmp(ref->topics[i], s, k) == 0;
        if (k && !seen) {
            int rc = hub_ref_list_add(&ref->topics, &ref->ntopics, s, k, a);
            if (rc)
                return rc;
        }
        p += n + (p[n] ? 1 : 0);
    }
    return 0;
}

/* Read the gathered lines of one reference into ref. */
static int build(const struct ris_rec *rec, const char *file, struct hub_ref *ref,
                 struct arena *a, struct kn_error *err)
{
    static const char *const once[] = {"TY", "TI", "T1", "PY", "DO", "AB", "C1", "C2",
                                       "C3", NULL};
    for (size_t i = 0; i < rec->n; i++) {
        const struct ris_line *l = &rec->v[i];
        for (size_t k = 0; once[k]; k++)
            if (strcmp(l->tag, once[k]) == 0 && find(rec, l->tag) != l)
                return fail_at(err, file, l, "given twice in one reference");
        if (hub_ref_text_check(l->tag, l->value, HUB_REF_SUMMARY_MAX, false, err) != 0)
            return kn_error_prefix(err, "%s:%d: ", file, l->line);
    }
    ref->line = rec->ty_line;
    const struct ris_line *ty = &rec->v[0], *l;
    ref->pub_type = "other";
    for (size_t i = 0; i < sizeof ris_types / sizeof *ris_types; i++)
        if (strcmp(ty->value, ris_types[i].ris) == 0)
            ref->pub_type = ris_types[i].type;
    if ((l = first_of(rec, "TI T1")))
        ref->title = l->value;
    else
        return kn_fail(err, KN_EINPUT, "%s:%d: TI: a reference needs a title", file,
                       rec->ty_line);
    if ((l = first_of(rec, "PY Y1 DA"))) {
        int y = 0;
        for (size_t i = 0; i < 4; i++)
            y = l->len >= 4 && l->value[i] >= '0' && l->value[i] <= '9'
                    ? y * 10 + (l->value[i] - '0')
                    : -1;
        if (y < 1500 || y > 2199 || (l->len > 4 && l->value[4] >= '0' && l->value[4] <= '9'))
            return fail_at(err, file, l, "not a year (YYYY, 1500 to 2199)");
        ref->year = y;
    }
    if ((l = first_of(rec, "T2 JF JO JA BT")))
        ref->journal = l->value;
    if ((l = first_of(rec, "VL")))
        ref->volume = l->value;
    if ((l = first_of(rec, "IS")))
        ref->issue = l->value;
    const struct ris_line *sp = first_of(rec, "SP"), *ep = first_of(rec, "EP");
    if (sp && ep && !strchr(sp->value, '-'))
        ref->pages = arena_printf(a, "%s-%s", sp->value, ep->value);
    else if (sp || ep)
        ref->pages = (sp ? sp : ep)->value;
    if ((l = first_of(rec, "DO"))) {
        char d[HUB_REF_FIELD_MAX + 1];
        if (hub_ref_doi(l->value, l->len, d, sizeof d) != 0)
            return fail_at(err, file, l, "not a DOI (10.NNNN/...)");
        ref->doi = arena_strdup(a, d);
    }
    if ((l = first_of(rec, "AN")) && l->len <= 9 && strspn(l->value, "0123456789") == l->len &&
        l->value[0] != '0')
        ref->pmid = l->value;
    if ((l = first_of(rec, "UR")))
        ref->url = l->value;
    if ((l = first_of(rec, "AB N2")))
        ref->summary = l->value;
    if ((l = first_of(rec, "C1")))
        ref->study_type = l->value;
    if ((l = first_of(rec, "C2")))
        ref->grade = l->value;
    if ((l = first_of(rec, "C3"))) {
        if (strcmp(l->value, "public") != 0 && strcmp(l->value, "internal") != 0)
            return fail_at(err, file, l, "'public' or 'internal'");
        ref->is_public = strcmp(l->value, "public") == 0;
    }
    for (size_t i = 0; i < rec->n; i++) {
        const struct ris_line *x = &rec->v[i];
        int rc = 0;
        if ((strcmp(x->tag, "AU") == 0 || strcmp(x->tag, "A1") == 0) && x->len)
            rc = hub_ref_list_add(&ref->authors, &ref->nauthors, x->value, x->len, a);
        else if (strcmp(x->tag, "KW") == 0)
            rc = split_topics(ref, x, a);
        if (rc == KN_EINPUT)
            return fail_at(err, file, x, "more than 1000 in one reference");
        if (rc)
            return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    if (hub_ref_check(ref, err) != 0) {
        const char *tag = strncmp(err->msg, "study type", 10) == 0       ? "C1"
                          : strncmp(err->msg, "evidence grade", 14) == 0 ? "C2"
                                                                         : NULL;
        if (tag)
            return kn_error_prefix(err, "%s:%d: %s: ", file,
                                   find(rec, tag) ? find(rec, tag)->line : rec->ty_line, tag);
        return kn_error_prefix(err, "%s:%d: ", file, rec->ty_line);
    }
    return 0;
}

int hub_ris_parse(const char *text, size_t len, const char *file, struct hub_ref_set *out,
                  struct arena *a, struct kn_error *err)
{
    if (memchr(text, '\0', len))
        return kn_fail(err, KN_EINPUT, "%s: holds a NUL byte: not a RIS file", file);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3;
    struct ris_rec rec = {0};
    bool in = false;
    int lineno = 0;
    size_t before = out->n;
    for (size_t pos = 0; pos < len;) {
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl ? 1 : 0);
        lineno++;
        while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        bool tagged = tag_line(s, n);
        if (!in) {
            if (n == 0)
                continue;
            if (!tagged || memcmp(s, "TY", 2) != 0)
                return kn_fail(err, KN_EINPUT,
                               "%s:%d: expected 'TY  - ' to begin a reference", file, lineno);
            in = true;
            rec.n = 0;
            rec.ty_line = lineno;
        } else if (tagged && memcmp(s, "TY", 2) == 0) {
            return kn_fail(err, KN_EINPUT,
                           "%s:%d: TY: a new reference before 'ER  - ' ends the one of "
                           "line %d",
                           file, lineno, rec.ty_line);
        }
        if (tagged && memcmp(s, "ER", 2) == 0) {
            struct hub_ref *ref = hub_ref_push(out, a);
            if (!ref)
                return kn_fail(err, KN_ENOMEM, "out of memory");
            if (build(&rec, file, ref, a, err) != 0)
                return err->code;
            in = false;
            continue;
        }
        if (!tagged) {
            if (n == 0)
                continue;
            /* A wrapped value: continue the field before. */
            struct ris_line *l = &rec.v[rec.n - 1];
            char *v = arena_alloc(a, l->len + 1 + n + 1);
            if (!v)
                return kn_fail(err, KN_ENOMEM, "out of memory");
            memcpy(v, l->value, l->len);
            v[l->len] = ' ';
            memcpy(v + l->len + 1, s, n);
            l->len += 1 + n;
            v[l->len] = '\0';
            l->value = v;
            if (l->len > HUB_REF_FILE_MAX / 4)
                return kn_fail(err, KN_EINPUT, "%s:%d: %s: too long", file, l->line, l->tag);
            continue;
        }
        if (arena_grow(a, &rec.v, rec.n, &rec.cap, sizeof *rec.v) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory");
        struct ris_line *l = &rec.v[rec.n++];
        l->tag[0] = s[0];
        l->tag[1] = s[1];
        l->tag[2] = '\0';
        l->line = lineno;
        l->len = n > 6 ? n - 6 : 0;
        l->value = arena_strndup(a, s + 6, l->len);
        if (!l->value)
            return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    if (in)
        return kn_fail(err, KN_EINPUT, "%s:%d: TY: the reference has no 'ER  - ' at its end",
                       file, rec.ty_line);
    if (out->n == before)
        return kn_fail(err, KN_EINPUT, "%s: no references (TY  - ... ER  - )", file);
    return 0;
}

static int put(struct strbuf *out, const char *tag, const char *v)
{
    if (!v || !*v)
        return 0;
    /* A value is one line: newlines in a summary become spaces. */
    int rc = sb_addf(out, "%s  - ", tag);
    for (const char *p = v; rc == 0 && *p; p++)
        rc = sb_addch(out, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
    return rc ? rc : sb_add(out, "\r\n", 2);
}

int hub_ris_write(const struct hub_ref *refs, size_t n, struct strbuf *out)
{
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct hub_ref *r = &refs[i];
        const char *ty = "GEN";
        for (size_t k = sizeof ris_types / sizeof *ris_types; k-- > 0;)
            if (strcmp(ris_types[k].type, r->pub_type) == 0)
                ty = ris_types[k].ris;
        char year[8] = "";
        if (r->year)
            snprintf(year, sizeof year, "%d", r->year);
        rc = put(out, "TY", ty);
        rc = rc ? rc : put(out, "TI", r->title);
        for (size_t k = 0; rc == 0 && k < r->nauthors; k++)
            rc = put(out, "AU", r->authors[k]);
        rc = rc ? rc : put(out, "PY", year);
        rc = rc ? rc : put(out, "T2", r->journal);
        rc = rc ? rc : put(out, "VL", r->volume);
        rc = rc ? rc : put(out, "IS", r->issue);
        rc = rc ? rc : put(out, "SP", r->pages);
        rc = rc ? rc : put(out, "DO", r->doi);
        rc = rc ? rc : put(out, "AN", r->pmid);
        rc = rc ? rc : put(out, "UR", r->url);
        for (size_t k = 0; rc == 0 && k < r->ntopics; k++)
            rc = put(out, "KW", r->topics[k]);
        rc = rc ? rc : put(out, "AB", r->summary);
        rc = rc ? rc : put(out, "C1", r->study_type);
        rc = rc ? rc : put(out, "C2", r->grade);
        rc = rc ? rc : put(out, "C3", r->is_public ? "public" : "internal");
        rc = rc ? rc : sb_addstr(out, "ER  - \r\n\r\n");
    }
    return rc ? KN_ENOMEM : 0;
}
