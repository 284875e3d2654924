/* src/report/followup_html.c: the follow-up report as HTML, and as PDF
 * through WeasyPrint (followup.h). */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/outfile.h"
#include "chart/chart.h"
#include "report/followup.h"
#include "web/web_tmpl.h"

extern char **environ;

/* goal[key] drawn by draw into goal[key "_svg"]. */
static int draw(json_t *goal, const char *key,
                int (*fn)(const json_t *, struct strbuf *, struct kn_error *),
                struct kn_error *err)
{
    struct strbuf svg = STRBUF_INIT;
    int rc = fn(json_object_get(goal, key), &svg, err);
    char name[32];
    snprintf(name, sizeof name, "%s_svg", key);
    if (rc == 0 && json_object_set_new(goal, name, json_stringn(svg.buf, svg.len)) != 0)
        rc = kn_fail(err, KN_ENOMEM, "out of memory");
    sb_release(&svg);
    return rc;
}

int followup_page_model(json_t **out, const json_t *model, struct kn_error *err)
{
    json_t *m = json_deep_copy(model);
    if (!m)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    int rc = 0;
    size_t i;
    json_t *g;
    json_array_foreach (json_object_get(m, "goals"), i, g) {
        if (rc == 0)
            rc = draw(g, "trend", chart_line, err);
        if (rc == 0)
            rc = draw(g, "regions", chart_bar, err);
    }
    if (rc != 0) {
        json_decref(m);
        return rc;
    }
    *out = m;
    return 0;
}

int followup_html(const json_t *model, struct strbuf *out, struct kn_error *err)
{
    json_t *m = NULL;
    int rc = followup_page_model(&m, model, err);
    struct web_tmpl_set *ts = NULL;
    if (rc == 0)
        rc = web_tmpl_load_embedded(&ts, err);
    if (rc == 0) {
        const json_t *ctx[] = {m};
        rc = web_tmpl_render(ts, "report_followup", ctx, 1, out, err);
    }
    web_tmpl_set_free(ts);
    json_decref(m);
    return rc;
}

/* Run weasyprint on html_path into pdf_path; its messages go to stderr.
 * SOURCE_DATE_EPOCH is set to epoch so that the fonts it embeds carry no
 * time of making: the same HTML gives the same PDF. */
static int weasyprint(const char *html_path, const char *pdf_path, long long epoch,
                      struct kn_error *err)
{
    char prog[] = "weasyprint", quiet[] = "--quiet", sde[48];
    char *argv[] = {prog, quiet, (char *)html_path, (char *)pdf_path, NULL};
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 2, sizeof *env);
    if (!env)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "SOURCE_DATE_EPOCH=", 18) != 0)
            env[k++] = environ[i];
    snprintf(sde, sizeof sde, "SOURCE_DATE_EPOCH=%lld", epoch);
    env[k++] = sde;
    env[k] = NULL;
    pid_t pid;
    int e = posix_spawnp(&pid, "weasyprint", NULL, NULL, argv, env);
    free(env);
    if (e != 0)
        return kn_fail(err, KN_EIO, "--pdf: cannot run weasyprint (%s); tools/install-deps.sh "
                       "installs it", strerror(e));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return kn_fail(err, KN_EIO, "--pdf: weasyprint: %s", strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return kn_fail(err, KN_EIO, "--pdf: weasyprint failed (status %d)",
                       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}

int followup_write(const char *dir, const char *name, const struct strbuf *html, bool pdf,
                   long long epoch, struct strbuf *written, struct kn_error *err)
{
    struct strbuf path = STRBUF_INIT, pdf_path = STRBUF_INIT;
    struct outfile o = OUTFILE_INIT, p = OUTFILE_INIT;
    int rc = 0;
    if (sb_addf(&path, "%s/%s.html", dir, name) != 0
        || sb_addf(&pdf_path, "%s/%s.pdf", dir, name) != 0)
        rc = kn_fail(err, KN_ENOMEM, "out of memory");
    /* the PDF's target is checked before the HTML is written, so a bad
     * target leaves neither */
    if (rc == 0 && pdf)
        rc = outfile_check(pdf_path.buf, OUTFILE_REPLACE, err);
    if (rc == 0)
        rc = outfile_open(&o, path.buf, OUTFILE_REPLACE, err);
    if (rc == 0)
        rc = outfile_write(&o, html->buf, html->len, err);
    if (rc == 0)
        rc = outfile_commit(&o, err);
    outfile_abort(&o);
    if (rc == 0)
        rc = sb_addf(written, "%s\n", path.buf) ? kn_fail(err, KN_ENOMEM, "out of memory") : 0;
    if (rc == 0 && pdf) {
        rc = outfile_open(&p, pdf_path.buf, OUTFILE_REPLACE, err);
        if (rc == 0)
            rc = weasyprint(path.buf, outfile_temp(&p), epoch, err);
        if (rc == 0)
            rc = outfile_commit(&p, err);
        outfile_abort(&p);
        if (rc == 0 && sb_addf(written, "%s\n", pdf_path.buf) != 0)
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
    }
    sb_release(&path);
    sb_release(&pdf_path);
    return rc;
}
