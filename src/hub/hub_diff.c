/* src/hub/hub_diff.c: Myers' diff over lines and words, and its unified
 * and JSON forms (hub_diff.h). */
#include "hub/hub_diff.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static bool same(const struct hub_diff_span *x, const struct hub_diff_span *y)
{
    return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

/* Grow-as-needed span list in an arena. */
static int push_span(struct hub_diff_span **v, size_t *n, size_t *cap, const char *s,
                     size_t len, struct arena *ar)
{
    if (arena_grow(ar, v, *n, cap, sizeof **v) != 0)
        return KN_ENOMEM;
    (*v)[(*n)++] = (struct hub_diff_span){s, len};
    return 0;
}

int hub_diff_lines(const char *s, size_t len, struct hub_diff_span **out, size_t *n,
                   struct arena *ar, struct kn_error *err)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t l = nl ? (size_t)(nl - (s + i)) + 1 : len - i;
        if (push_span(out, n, &cap, s + i, l, ar) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory");
        i += l;
    }
    return 0;
}

static int word_class(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        c >= 0x80)
        return 1;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        return 2;
    return 0;
}

int hub_diff_words(const char *s, size_t len, struct hub_diff_span **out, size_t *n,
                   struct arena *ar, struct kn_error *err)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < len;) {
        int c = word_class((unsigned char)s[i]);
        size_t l = 1;
        while (c && i + l < len && word_class((unsigned char)s[i + l]) == c)
            l++;
        if (push_span(out, n, &cap, s + i, l, ar) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory");
        i += l;
    }
    return 0;
}

/* The edit script of the middle parts A[0..N) and B[0..M) (no common
 * beginning or end), written backwards from rev[*k]: Myers' greedy
 * forward search, then a walk back through the saved rounds. */
static int middle(const struct hub_diff_span *A, size_t N, const struct hub_diff_span *B,
                  size_t M, struct hub_diff_edit *rev, size_t *k, struct kn_error *err)
{
    ptrdiff_t n = (ptrdiff_t)N, m = (ptrdiff_t)M;
    ptrdiff_t dmax = n + m < HUB_DIFF_MAX_D ? n + m : HUB_DIFF_MAX_D;
    ptrdiff_t off = dmax + 1, found = -1;
    struct arena tmp;
    arena_init(&tmp);
    ptrdiff_t *V = arena_calloc(&tmp, (size_t)(2 * dmax + 3), sizeof *V);
    ptrdiff_t **rounds = arena_calloc(&tmp, (size_t)(dmax + 1), sizeof *rounds);
    if (!V || !rounds)
        goto nomem;
    for (ptrdiff_t d = 0; d <= dmax && found < 0; d++) {
        for (ptrdiff_t kk = -d; kk <= d; kk += 2) {
            ptrdiff_t x = (kk == -d || (kk != d && V[off + kk - 1] < V[off + kk + 1]))
                              ? V[off + kk + 1]
                              : V[off + kk - 1] + 1;
            ptrdiff_t y = x - kk;
            while (x < n && y < m && same(&A[x], &B[y]))
                x++, y++;
            V[off + kk] = x;
            if (x >= n && y >= m)
                found = d;
        }
        rounds[d] = arena_memdup(&tmp, &V[off - d], (size_t)(2 * d + 1) * sizeof *V);
        if (!rounds[d])
            goto nomem;
    }
    if (found < 0) {
        /* Too far apart to compute exactly: remove all, then add all. */
        for (size_t j = M; j-- > 0;)
            rev[(*k)++] = (struct hub_diff_edit){HUB_DIFF_ADD, N, j};
        for (size_t i = N; i-- > 0;)
            rev[(*k)++] = (struct hub_diff_edit){HUB_DIFF_DEL, i, 0};
        arena_release(&tmp);
        return 0;
    }
    ptrdiff_t x = n, y = m;
    for (ptrdiff_t d = found; d > 0; d--) {
        const ptrdiff_t *v = rounds[d - 1] + (d - 1); /* v[kk], kk in -(d-1)..d-1 */
        ptrdiff_t kk = x - y;
        ptrdiff_t pk = (kk == -d || (kk != d && v[kk - 1] < v[kk + 1])) ? kk + 1 : kk - 1;
        ptrdiff_t px = v[pk], py = px - pk;
        while (x > px && y > py) {
            x--, y--;
            rev[(*k)++] = (struct hub_diff_edit){HUB_DIFF_SAME, (size_t)x, (size_t)y};
        }
        if (x == px)
            rev[(*k)++] = (struct hub_diff_edit){HUB_DIFF_ADD, (size_t)x, (size_t)py};
        else
            rev[(*k)++] = (struct hub_diff_edit){HUB_DIFF_DEL, (size_t)px, (size_t)y};
        x = px, y = py;
    }
    while (x > 0 && y > 0) {
        x--, y--;
        rev[(*k)++] = (struct hub_diff_edit){HUB_DIFF_SAME, (size_t)x, (size_t)y};
    }
    arena_release(&tmp);
    return 0;
nomem:
    arena_release(&tmp);
    return kn_fail(err, KN_ENOMEM, "out of memory");
}

int hub_diff_seq(const struct hub_diff_span *a, size_t na, const struct hub_diff_span *b,
                 size_t nb, struct hub_diff_edit **out, size_t *n, struct arena *ar,
                 struct kn_error *err)
{
    size_t pre = 0, suf = 0, k = 0;
    while (pre < na && pre < nb && same(&a[pre], &b[pre]))
        pre++;
    while (suf < na - pre && suf < nb - pre && same(&a[na - 1 - suf], &b[nb - 1 - suf]))
        suf++;
    struct hub_diff_edit *e = arena_alloc(ar, (na + nb + 1) * sizeof *e);
    struct hub_diff_edit *rev = arena_alloc(ar, (na + nb + 1) * sizeof *rev);
    if (!e || !rev)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    size_t cnt = 0;
    for (size_t i = 0; i < pre; i++)
        e[cnt++] = (struct hub_diff_edit){HUB_DIFF_SAME, i, i};
    int rc = middle(a + pre, na - pre - suf, b + pre, nb - pre - suf, rev, &k, err);
    if (rc)
        return rc;
    /* Forwards, in each change the removals before the additions (as diff
     * -u shows them), the indices shifted past the common beginning. */
    size_t x = pre, y = pre;
    while (k > 0) {
        if (rev[k - 1].op == HUB_DIFF_SAME) {
            k--;
            e[cnt++] = (struct hub_diff_edit){HUB_DIFF_SAME, x++, y++};
            continue;
        }
        size_t nd = 0, nadd = 0;
        while (k > 0 && rev[k - 1].op != HUB_DIFF_SAME) {
            if (rev[--k].op == HUB_DIFF_DEL)
                nd++;
            else
                nadd++;
        }
        for (size_t i = 0; i < nd; i++)
            e[cnt++] = (struct hub_diff_edit){HUB_DIFF_DEL, x++, y};
        for (size_t i = 0; i < nadd; i++)
            e[cnt++] = (struct hub_diff_edit){HUB_DIFF_ADD, x, y++};
    }
    for (size_t i = 0; i < suf; i++)
        e[cnt++] = (struct hub_diff_edit){HUB_DIFF_SAME, na - suf + i, nb - suf + i};
    *out = e;
    *n = cnt;
    return 0;
}

/* A hunk: edits [start, end) of the script. */
struct hunk {
    size_t start, end;
};

/* The hunks of script e[0..n) with context lines around each change;
 * changes closer than 2 * context lines share a hunk. */
static int hunks(const struct hub_diff_edit *e, size_t n, size_t context,
                 struct hunk **out, size_t *nh, struct arena *ar)
{
    struct hunk *h = arena_alloc(ar, (n / 2 + 1) * sizeof *h);
    if (!h)
        return KN_ENOMEM;
    *nh = 0;
    for (size_t i = 0; i < n;) {
        if (e[i].op == HUB_DIFF_SAME) {
            i++;
            continue;
        }
        size_t start = i >= context ? i - context : 0, j = i;
        for (;;) {
            while (j < n && e[j].op != HUB_DIFF_SAME)
                j++;
            size_t s = j;
            while (s < n && e[s].op == HUB_DIFF_SAME)
                s++;
            if (s < n && s - j <= 2 * context) {
                j = s;
                continue;
            }
            break;
        }
        size_t end = j + context < n ? j + context : n;
        h[(*nh)++] = (struct hunk){start, end};
        i = end;
    }
    *out = h;
    return 0;
}

/* The first line numbers and counts of a hunk, as diff -u states them. */
static void hunk_range(const struct hub_diff_edit *e, struct hunk h, size_t *from,
                       size_t *nfrom, size_t *to, size_t *nto)
{
    *nfrom = *nto = 0;
    for (size_t i = h.start; i < h.end; i++) {
        *nfrom += e[i].op != HUB_DIFF_ADD;
        *nto += e[i].op != HUB_DIFF_DEL;
    }
    /* An empty side starts at the line before (diff -u: "-0,0"). */
    *from = e[h.start].a + (*nfrom ? 1 : 0);
    *to = e[h.start].b + (*nto ? 1 : 0);
}

struct texts {
    struct hub_diff_span *a, *b;
    size_t na, nb;
    struct hub_diff_edit *e;
    size_t n;
    struct hunk *h;
    size_t nh;
};

static int diff_texts(const char *a, size_t alen, const char *b, size_t blen, int context,
                      struct texts *t, struct arena *ar, struct kn_error *err)
{
    if (hub_diff_lines(a, alen, &t->a, &t->na, ar, err) != 0 ||
        hub_diff_lines(b, blen, &t->b, &t->nb, ar, err) != 0 ||
        hub_diff_seq(t->a, t->na, t->b, t->nb, &t->e, &t->n, ar, err) != 0)
        return err->code;
    if (hunks(t->e, t->n, context > 0 ? (size_t)context : 0, &t->h, &t->nh, ar) != 0)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    return 0;
}

static int add_range(struct strbuf *out, char sign, size_t line, size_t count)
{
    if (count == 1)
        return sb_addf(out, "%c%zu", sign, line);
    return sb_addf(out, "%c%zu,%zu", sign, line, count);
}

int hub_diff_unified(const char *a, size_t alen, const char *b, size_t blen,
                     const char *from, const char *to, int context, struct strbuf *out,
                     struct kn_error *err)
{
    struct arena ar;
    struct texts t;
    arena_init(&ar);
    int rc = diff_texts(a, alen, b, blen, context, &t, &ar, err), sbrc = 0;
    if (rc == 0 && t.nh > 0)
        sbrc |= sb_addf(out, "--- %s\n+++ %s\n", from, to);
    for (size_t i = 0; rc == 0 && i < t.nh; i++) {
        size_t f, nf, tl, nt;
        hunk_range(t.e, t.h[i], &f, &nf, &tl, &nt);
        sbrc |= sb_addstr(out, "@@ ");
        sbrc |= add_range(out, '-', f, nf);
        sbrc |= sb_addch(out, ' ');
        sbrc |= add_range(out, '+', tl, nt);
        sbrc |= sb_addstr(out, " @@\n");
        for (size_t j = t.h[i].start; j < t.h[i].end; j++) {
            const struct hub_diff_edit *x = &t.e[j];
            const struct hub_diff_span *l = x->op == HUB_DIFF_ADD ? &t.b[x->b] : &t.a[x->a];
            sbrc |= sb_addch(out, (char)x->op);
            sbrc |= sb_add(out, l->s, l->len);
            if (l->len == 0 || l->s[l->len - 1] != '\n')
                sbrc |= sb_addstr(out, "\n\\ No newline at end of file\n");
        }
    }
    if (rc == 0 && sbrc != 0)
        rc = kn_fail(err, KN_ENOMEM, "out of memory");
    arena_release(&ar);
    return rc;
}

static size_t chomp(const struct hub_diff_span *l)
{
    return l->len && l->s[l->len - 1] == '\n' ? l->len - 1 : l->len;
}

static const char *op_name(enum hub_diff_op op)
{
    return op == HUB_DIFF_SAME ? "same" : op == HUB_DIFF_DEL ? "del" : "add";
}

/* Append the piece (op, text) to arr, joined to the last piece if that
 * has the same op. */
static void add_piece(json_t *arr, enum hub_diff_op op, struct strbuf *text)
{
    if (text->len == 0)
        return;
    json_t *p = json_object();
    json_object_set_new(p, "op", json_string(op_name(op)));
    json_object_set_new(p, "text", json_stringn(text->buf, text->len));
    json_array_append_new(arr, p);
    sb_reset(text);
}

/* The word diff of the lines x (removed) and y (added): each line gets
 * its pieces, the words it shares with the other and those it alone has,
 * consecutive words of one kind joined. */
static int word_pieces(const struct hub_diff_span *x, const struct hub_diff_span *y,
                       json_t *lx, json_t *ly, struct arena *ar, struct kn_error *err)
{
    struct hub_diff_span *wa, *wb;
    struct hub_diff_edit *e;
    size_t na, nb, n;
    if (hub_diff_words(x->s, chomp(x), &wa, &na, ar, err) != 0 ||
        hub_diff_words(y->s, chomp(y), &wb, &nb, ar, err) != 0 ||
        hub_diff_seq(wa, na, wb, nb, &e, &n, ar, err) != 0)
        return err->code;
    struct strbuf text = STRBUF_INIT;
    int rc = 0;
    for (int side = 0; side < 2; side++) {
        json_t *arr = json_array();
        enum hub_diff_op mine = side ? HUB_DIFF_ADD : HUB_DIFF_DEL, cur = HUB_DIFF_SAME;
        for (size_t i = 0; i < n; i++) {
            if (e[i].op != HUB_DIFF_SAME && e[i].op != mine)
                continue;
            if (e[i].op != cur)
                add_piece(arr, cur, &text);
            cur = e[i].op;
            const struct hub_diff_span *w = side ? &wb[e[i].b] : &wa[e[i].a];
            rc |= sb_add(&text, w->s, w->len);
        }
        add_piece(arr, cur, &text);
        json_object_set_new(side ? ly : lx, "words", arr);
    }
    sb_release(&text);
    return rc ? kn_fail(err, KN_ENOMEM, "out of memory") : 0;
}

static json_t *line_json(const struct texts *t, const struct hub_diff_edit *x)
{
    const struct hub_diff_span *l = x->op == HUB_DIFF_ADD ? &t->b[x->b] : &t->a[x->a];
    json_t *o = json_object();
    json_object_set_new(o, "op", json_string(op_name(x->op)));
    json_object_set_new(o, "old",
                        x->op == HUB_DIFF_ADD ? json_null() : json_integer((json_int_t)x->a + 1));
    json_object_set_new(o, "new",
                        x->op == HUB_DIFF_DEL ? json_null() : json_integer((json_int_t)x->b + 1));
    json_object_set_new(o, "text", json_stringn(l->s, chomp(l)));
    return o;
}

int hub_diff_json(const char *a, size_t alen, const char *b, size_t blen, int context,
                  json_t **out, struct kn_error *err)
{
    struct arena ar;
    struct texts t;
    arena_init(&ar);
    *out = NULL;
    int rc = diff_texts(a, alen, b, blen, context, &t, &ar, err);
    json_t *root = json_object(), *hs = json_array();
    size_t added = 0, removed = 0;
    for (size_t i = 0; i < t.n && rc == 0; i++) {
        added += t.e[i].op == HUB_DIFF_ADD;
        removed += t.e[i].op == HUB_DIFF_DEL;
    }
    for (size_t i = 0; rc == 0 && i < t.nh; i++) {
        size_t f, nf, tl, nt;
        hunk_range(t.e, t.h[i], &f, &nf, &tl, &nt);
        json_t *h = json_object(), *lines = json_array();
        json_object_set_new(h, "from_line", json_integer((json_int_t)f));
        json_object_set_new(h, "from_count", json_integer((json_int_t)nf));
        json_object_set_new(h, "to_line", json_integer((json_int_t)tl));
        json_object_set_new(h, "to_count", json_integer((json_int_t)nt));
        for (size_t j = t.h[i].start; j < t.h[i].end;) {
            if (t.e[j].op == HUB_DIFF_SAME) {
                json_array_append_new(lines, line_json(&t, &t.e[j++]));
                continue;
            }
            /* One change: its removals, then its additions, paired. */
            size_t d0 = j, nd = 0, nadd = 0;
            while (j < t.h[i].end && t.e[j].op == HUB_DIFF_DEL)
                j++, nd++;
            while (j < t.h[i].end && t.e[j].op == HUB_DIFF_ADD)
                j++, nadd++;
            size_t base = json_array_size(lines);
            for (size_t q = d0; q < j; q++)
                json_array_append_new(lines, line_json(&t, &t.e[q]));
            for (size_t q = 0; rc == 0 && q < nd && q < nadd; q++)
                rc = word_pieces(&t.a[t.e[d0 + q].a], &t.b[t.e[d0 + nd + q].b],
                                 json_array_get(lines, base + q),
                                 json_array_get(lines, base + nd + q), &ar, err);
        }
        json_object_set_new(h, "lines", lines);
        json_array_append_new(hs, h);
    }
    json_object_set_new(root, "added", json_integer((json_int_t)added));
    json_object_set_new(root, "removed", json_integer((json_int_t)removed));
    json_object_set_new(root, "hunks", hs);
    arena_release(&ar);
    if (rc) {
        json_decref(root);
        return rc;
    }
    *out = root;
    return 0;
}
