/* src/network/net_rows.c: query rows as texts (net_rows.h). */
#include "network/net_rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"

static int grow(struct net_rows *t, struct arena *a, struct kn_error *err)
{
    if (t->nrows < t->cap)
        return 0;
    size_t ncap = t->cap ? t->cap * 2 : 16;
    const char **more = arena_calloc(a, ncap * t->ncols, sizeof *more);
    if (!more)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    if (t->cells)
        memcpy(more, t->cells, t->nrows * t->ncols * sizeof *more);
    t->cells = more;
    t->cap = ncap;
    return 0;
}

int net_rows_add(struct net_rows *t, const char *const *cells, struct arena *a,
                 struct kn_error *err)
{
    if (grow(t, a, err) != 0)
        return err->code;
    for (size_t c = 0; c < t->ncols; c++) {
        const char *v = cells[c] ? arena_strdup(a, cells[c]) : NULL;
        if (cells[c] && !v)
            return kn_fail(err, KN_ENOMEM, "out of memory");
        t->cells[t->nrows * t->ncols + c] = v;
    }
    t->nrows++;
    return 0;
}

int net_rows_query(struct store *st, const char *sql, const char *const *params,
                   size_t nparams, const struct net_col *cols, size_t ncols,
                   struct net_rows *out, struct arena *a, struct kn_error *err)
{
    out->cols = cols;
    out->ncols = ncols;
    struct store_stmt *s;
    if (store_prepare(st, sql, &s, err) != 0)
        return err->code;
    for (size_t i = 0; i < nparams; i++) {
        if (params[i])
            store_bind_text(s, (int)i + 1, params[i], strlen(params[i]));
        else
            store_bind_null(s, (int)i + 1);
    }
    int rc;
    while ((rc = store_step(s, err)) == STORE_ROW) {
        if (grow(out, a, err) != 0) {
            rc = err->code;
            break;
        }
        for (size_t c = 0; c < ncols; c++) {
            const char *v = NULL;
            if (!store_col_is_null(s, (int)c)) {
                if (cols[c].kind == NET_INT || cols[c].kind == NET_BOOL)
                    v = arena_printf(a, "%lld", (long long)store_col_int(s, (int)c));
                else if (cols[c].kind == NET_DAY) {
                    char buf[11];
                    date_format((kn_day)store_col_int(s, (int)c), buf);
                    v = arena_strdup(a, buf);
                } else if (cols[c].kind == NET_REAL)
                    v = arena_printf(a, "%.6g", store_col_double(s, (int)c));
                else
                    v = arena_strdup(a, store_col_text(s, (int)c, NULL));
                if (!v) {
                    rc = kn_fail(err, KN_ENOMEM, "out of memory");
                    break;
                }
            }
            out->cells[out->nrows * ncols + c] = v;
        }
        if (rc < 0)
            break;
        out->nrows++;
    }
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

json_t *net_rows_json(const struct net_rows *t)
{
    json_t *arr = json_array();
    for (size_t r = 0; arr && r < t->nrows; r++) {
        json_t *o = json_object();
        for (size_t c = 0; o && c < t->ncols; c++) {
            const char *v = net_cell(t, r, c);
            json_t *x;
            if (!v || (t->cols[c].kind == NET_TEXT && !*v))
                x = json_null(); /* not given: null, never "" */
            else if (t->cols[c].kind == NET_INT)
                x = json_integer(strtoll(v, NULL, 10));
            else if (t->cols[c].kind == NET_REAL)
                x = json_real(strtod(v, NULL));
            else if (t->cols[c].kind == NET_BOOL)
                x = json_boolean(strcmp(v, "0") != 0);
            else
                x = json_string(v);
            if (!x || json_object_set_new(o, t->cols[c].name, x) != 0) {
                json_decref(o);
                o = NULL;
            }
        }
        if (!o || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}
