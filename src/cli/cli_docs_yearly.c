/* src/cli/cli_docs_yearly.c: the yearly review in `knod docs`: due (the
 * published documents whose review is due), reviewed (a review that found
 * no need to revise), owner and owners (an administrator's links from a
 * document's owner to users; src/hub/hub_yearly.h has the rule); and move,
 * the workflow's steps. The writes are audited in the same transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/cli_docs.h"
#include "hub/hub_yearly.h"

static void print_json(json_t *o)
{
    char *text = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    if (text)
        puts(text);
    free(text);
    json_decref(o);
}

int docs_due(struct store *st, const struct docs_opts *o, struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    kn_day day = date_today();
    struct hub_version *v;
    size_t n;
    char as_of[11], due[11];
    if (o->as_of && date_parse(o->as_of, strlen(o->as_of), &day, &err) != 0)
        return cli_usage_error("docs due", "--as-of: %s", err.msg);
    if (hub_yearly_due(st, day, o->owner, o->user, &v, &n, a, &err) != 0)
        return cli_fail(&err);
    date_format(day, as_of);
    if (strcmp(o->format, "json") == 0) {
        json_t *list = json_array();
        for (size_t i = 0; list && i < n; i++) {
            date_format(v[i].review_due, due);
            json_array_append_new(
                list, json_pack("{s:s, s:s, s:s, s:i, s:s, s:i}", "id", v[i].slug, "title",
                                v[i].title, "owner", v[i].owner, "version", v[i].version,
                                "review_due", due, "days_overdue",
                                (int)(day - v[i].review_due)));
        }
        print_json(json_pack("{s:s, s:o*}", "as_of", as_of, "documents", list));
        return EXIT_OK;
    }
    if (n == 0) {
        printf("no yearly review due on or before %s\n", as_of);
        return EXIT_OK;
    }
    printf("%-24s %-10s %7s  %-24s %s\n", "id", "due", "overdue", "owner", "title");
    for (size_t i = 0; i < n; i++) {
        date_format(v[i].review_due, due);
        printf("%-24s %-10s %7d  %-24s %s\n", v[i].slug, due, (int)(day - v[i].review_due),
               v[i].owner, v[i].title);
    }
    return EXIT_OK;
}

struct reviewed_arg {
    const char *id;
    const struct docs_opts *o;
    kn_day due;
};

static int reviewed_fn(struct store *st, void *p, struct kn_error *err)
{
    struct reviewed_arg *r = (struct reviewed_arg *)p;
    return hub_yearly_reviewed_in(st, r->id, r->o->note, r->o->by, time_now(), &r->due, err);
}

int docs_reviewed(struct store *st, const struct config *cfg, const char *id,
                  const struct docs_opts *o)
{
    struct reviewed_arg r = {id, o, 0};
    char due[11];
    int rc = cli_audited(st, cfg, o->by, "document-reviewed", id, o->note, reviewed_fn, &r);
    if (rc == EXIT_OK) {
        date_format(r.due, due);
        printf("%s: reviewed, no revision needed; next review %s\n", id, due);
    }
    return rc;
}

struct owner_arg {
    const char *owner;
    const struct docs_opts *o;
};

static int owner_fn(struct store *st, void *p, struct kn_error *err)
{
    const struct owner_arg *w = p;
    return w->o->remove ? hub_owner_unlink(st, w->owner, w->o->user, err)
                        : hub_owner_link(st, w->owner, w->o->user, w->o->by, time_now(), err);
}

int docs_owner(struct store *st, const struct config *cfg, const char *owner,
               const struct docs_opts *o)
{
    if (!o->user)
        return cli_usage_error("docs owner", "--user NAME is required");
    struct owner_arg w = {owner, o};
    char detail[96];
    snprintf(detail, sizeof detail, "user %s", o->user);
    int rc = cli_audited(st, cfg, o->by,
                     o->remove ? "document-owner-unlink" : "document-owner-link", owner,
                     detail, owner_fn, &w);
    if (rc == EXIT_OK)
        printf("'%s' %s user %s\n", owner, o->remove ? "is no longer linked to" : "linked to",
               o->user);
    return rc;
}

struct move_arg {
    const char *id;
    enum hub_state to, from;
    const struct docs_opts *o;
    const struct hub_lint_rules *rules;
};

static int move_fn(struct store *st, void *p, struct kn_error *err)
{
    struct move_arg *m = (struct move_arg *)p;
    return hub_move_in(st, m->id, m->to, m->o->decision, m->o->note, m->o->by, time_now(),
                       m->rules, &m->from, err);
}

int docs_move(struct store *st, const struct config *cfg, const char *id, enum hub_state to,
              const struct docs_opts *o, const struct hub_lint_rules *rules)
{
    struct move_arg m = {id, to, HUB_DRAFT, o, rules};
    /* The detail is written once the step is known: the entry names the
     * target and the decision; the history (knod docs history) has the rest. */
    char detail[300];
    snprintf(detail, sizeof detail, "to %s%s%.200s", hub_state_name(to),
             o->decision && *o->decision ? "; decision: " : "",
             o->decision ? o->decision : "");
    int rc = cli_audited(st, cfg, o->by, "document-move", id, detail, move_fn, &m);
    if (rc == EXIT_OK)
        printf("%s: %s\n", id, hub_state_name(to));
    return rc;
}

int docs_owners(struct store *st, const struct docs_opts *o, struct arena *a)
{
    struct kn_error err = KN_ERROR_INIT;
    struct hub_owner_row *r;
    size_t n;
    char at[20];
    if (hub_owner_links(st, &r, &n, a, &err) != 0)
        return cli_fail(&err);
    if (strcmp(o->format, "json") == 0) {
        json_t *list = json_array();
        for (size_t i = 0; list && i < n; i++) {
            time_format(r[i].linked, at);
            json_array_append_new(list, json_pack("{s:s, s:s, s:i, s:s, s:s}", "owner",
                                                  r[i].owner, "user", r[i].user, "documents",
                                                  r[i].documents, "linked", at, "linked_by",
                                                  r[i].linked_by));
        }
        print_json(list);
        return EXIT_OK;
    }
    if (n == 0) {
        puts("no owner is linked to a user (a user owns the documents whose owner is "
             "the user's name)");
        return EXIT_OK;
    }
    printf("%-32s %-20s %9s\n", "owner", "user", "documents");
    for (size_t i = 0; i < n; i++)
        printf("%-32s %-20s %9d\n", r[i].owner, r[i].user, r[i].documents);
    return EXIT_OK;
}
