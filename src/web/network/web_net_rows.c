/* src/web/network/web_net_rows.c: the network's lists as JSON models and
 * as CSV or XLSX downloads (web_net.h). */
#include <string.h>

#include "base/csv_write.h"
#include "base/log.h"
#include "report/rep_xlsx.h"
#include "web/network/web_net.h"
#include "web/web_model.h"

bool web_net_model(struct web_req *rq, const char *key, const struct net_rows *t)
{
    rq->model = json_object();
    return rq->model && web_set(rq->model, key, net_rows_json(t));
}

static int csv_body(struct strbuf *sb, const struct net_rows *t)
{
    int rc = 0;
    for (size_t c = 0; c < t->ncols && rc == 0; c++)
        rc = csvw_field(sb, t->cols[c].name, strlen(t->cols[c].name), c == 0);
    if (rc == 0)
        rc = csvw_end(sb);
    for (size_t r = 0; r < t->nrows && rc == 0; r++) {
        for (size_t c = 0; c < t->ncols && rc == 0; c++) {
            const char *v = net_cell(t, r, c);
            size_t len = v ? strlen(v) : 0;
            rc = t->cols[c].kind == NET_TEXT ? csvw_text(sb, v ? v : "", len, c == 0)
                                             : csvw_field(sb, v ? v : "", len, c == 0);
        }
        if (rc == 0)
            rc = csvw_end(sb);
    }
    return rc;
}

static int xlsx_body(struct web_req *rq, const struct net_rows *t, const char *name)
{
    struct kn_error err = KN_ERROR_INIT;
    const char **cols = arena_calloc(rq->arena, t->ncols + 1, sizeof *cols);
    struct rep_xlsx *book = NULL;
    if (!cols)
        return KN_ENOMEM;
    for (size_t c = 0; c < t->ncols; c++)
        cols[c] = t->cols[c].name;
    json_t *rows = net_rows_json(t);
    int rc = rows ? rep_xlsx_new(&book, name, cols, NULL, &err) : KN_ENOMEM;
    for (size_t r = 0; r < t->nrows && rc == 0; r++)
        rc = rep_xlsx_row(book, json_array_get(rows, r), &err);
    json_decref(rows);
    if (rc == 0)
        return rep_xlsx_finish(book, &rq->body, &err); /* frees book */
    rep_xlsx_free(book);
    log_error("%s.xlsx: %s", name, err.msg);
    return rc;
}

int web_net_export(struct web_req *rq, const struct net_rows *t, const char *name)
{
    const char *f = web_query(rq, "format");
    if (!f || !*f || strcmp(f, "json") == 0)
        return 0;
    bool csv = strcmp(f, "csv") == 0;
    if (!csv && strcmp(f, "xlsx") != 0)
        return web_bad_param(rq, "format", web_t(rq, "net_err_format"));
    int rc = csv ? csv_body(&rq->body, t) : xlsx_body(rq, t, name);
    if (rc != 0) {
        sb_reset(&rq->body);
        return 500;
    }
    rq->content_type = csv ? "text/csv; charset=utf-8"
                           : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    rq->download_name = arena_printf(rq->arena, "knod-%s.%s", name, csv ? "csv" : "xlsx");
    return rq->download_name ? 200 : 500;
}

bool web_net_day(struct web_req *rq, const char *name, kn_day def, kn_day *out, int *status)
{
    const char *v = web_query(rq, name);
    struct kn_error err = KN_ERROR_INIT;
    *out = def;
    if (!v || !*v)
        return true;
    if (date_parse(v, strlen(v), out, &err) != 0) {
        *status = web_bad_param(rq, name, web_t(rq, "net_err_date"));
        return false;
    }
    return true;
}

int web_net_fail(struct web_req *rq, int rc, const struct kn_error *err, const char *param)
{
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "net_err_not_found"));
    if (rc == KN_EINPUT)
        return web_bad_param(rq, param, arena_strdup(rq->arena, err->msg));
    log_error("%s: %s", rq->path, err->msg);
    return 500;
}
