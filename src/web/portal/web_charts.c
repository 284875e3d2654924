/* src/web/portal/web_charts.c: chart models in page models and their SVG
 * (web_charts.h). */
#include <string.h>

#include "base/log.h"
#include "chart/chart.h"
#include "web/portal/web_charts.h"
#include "web/web_model.h"

bool web_chart_add(json_t *page, const char *name, const char *kind, json_t *chart)
{
    json_t *charts = json_object_get(page, "charts");
    if (!charts) {
        charts = json_object();
        if (!charts || json_object_set_new(page, "charts", charts) != 0) {
            json_decref(chart);
            return false;
        }
    }
    json_t *c = json_pack("{s:s, s:o}", "kind", kind, "model", chart);
    return c && json_object_set_new(charts, name, c) == 0;
}

json_t *web_chart_legend(const struct web_req *rq)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "better", web_sig_text(rq, "better"),
                     "similar", web_sig_text(rq, "similar"), "worse",
                     web_sig_text(rq, "worse"), "none", web_sig_text(rq, "none"),
                     "suppressed", web_t(rq, "sig_suppressed_chart"));
}

const char *web_chart_sig(const char *sig)
{
    static const char *const known[] = { "better", "similar", "worse", "none", "suppressed" };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(sig, known[i]) == 0)
            return known[i];
    return "none";
}

json_t *web_charts_render(const json_t *page)
{
    static const struct {
        const char *kind;
        int (*fn)(const json_t *m, struct strbuf *out, struct kn_error *err);
    } kinds[] = {
        { "line", chart_line }, { "bar", chart_bar },     { "funnel", chart_funnel },
        { "spine", chart_spine }, { "heat", chart_heat }, { "tiles", chart_tiles },
        { "flow", chart_flow }, { "multiples", chart_multiples },
    };
    json_t *svg = json_object(), *ctx = json_pack("{s:o}", "svg", svg);
    if (!ctx)
        return NULL;
    const char *name;
    json_t *c;
    json_object_foreach(json_object_get(page, "charts"), name, c) {
        const char *kind = json_string_value(json_object_get(c, "kind"));
        for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++) {
            if (strcmp(kind, kinds[i].kind) != 0)
                continue;
            struct strbuf sb = STRBUF_INIT;
            struct kn_error err = KN_ERROR_INIT;
            if (kinds[i].fn(json_object_get(c, "model"), &sb, &err) == 0)
                json_object_set_new(svg, name, json_stringn(sb.buf, sb.len));
            else
                log_msg(LOG_WARN, "chart '%s': %s", name, err.msg);
            sb_release(&sb);
        }
    }
    return ctx;
}
