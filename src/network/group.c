/* src/network/group.c: working groups, networks, members, meetings and
 * the gaps to fill (group.h). A group has tens of members and meetings. */
#include "network/group.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "network/net_text.h"
#include "network/node.h"

const char *const GROUP_KINDS[] = {"working-group", "network", NULL};
const char *const GROUP_ROLES[] = {
    "chair",   "process-leader",        "member", "patient-organisation",
    "partner", "international-partner", NULL};
const char *const GROUP_PROFESSIONS[] = {"psychiatrist",
                                         "physician",
                                         "psychologist",
                                         "nurse",
                                         "social-worker",
                                         "counsellor",
                                         "occupational-therapist",
                                         "teacher",
                                         "researcher",
                                         "manager",
                                         "peer-expert",
                                         "other",
                                         NULL};

static void bind_opt(struct store_stmt *s, int i, const char *v)
{
    if (v)
        store_bind_text(s, i, v, strlen(v));
    else
        store_bind_null(s, i);
}

/* The id of group code; KN_ENOTFOUND naming it. *kind gets its kind if
 * kind is not NULL (cap 16). */
static int group_id(struct store *st, const char *code, int64_t *id, char *kind,
                    struct kn_error *err)
{
    struct store_stmt *s;
    if (!code || !*code)
        return kn_fail(err, KN_EINPUT, "--group is missing");
    if (store_prepare(st, "SELECT id, kind FROM net_group WHERE code = $1", &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, code, strlen(code));
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        *id = store_col_int(s, 0);
        if (kind)
            snprintf(kind, 16, "%s", store_col_text(s, 1, NULL));
    }
    store_finalize(s);
    if (rc == STORE_DONE) {
        if (net_code_check("group", code, err) != 0)
            return kn_fail(err, KN_ENOTFOUND, "no such group (see knod group list)");
        return kn_fail(err, KN_ENOTFOUND, "no group '%s' (see knod group list)", code);
    }
    return rc < 0 ? rc : 0;
}

int group_add(struct store *st, const struct group_def *d, struct kn_error *err)
{
    int64_t node = 0;
    if (net_code_check("--code", d->code, err) != 0 ||
        net_text_check("--name", d->name, NET_TEXT_MAX, true, false, err) != 0 ||
        net_enum_check("--kind", d->kind, GROUP_KINDS, err) != 0 ||
        net_list_check("--professions", d->professions, GROUP_PROFESSIONS, false, err) !=
            0 ||
        net_text_check("--purpose", d->purpose, NET_LONG_MAX, false, true, err) != 0)
        return err->code;
    if (d->node && node_id(st, d->node, &node, err) != 0)
        return kn_error_prefix(err, "--node: ");
    struct store_stmt *s;
    int64_t other;
    if (group_id(st, d->code, &other, NULL, err) == 0)
        return kn_fail(err, KN_EEXIST, "--code: a group '%s' exists already", d->code);
    if (err->code != KN_ENOTFOUND)
        return err->code;
    kn_error_clear(err);
    if (store_prepare(st,
                      "INSERT INTO net_group (code, name, kind, node_id, professions, "
                      "purpose) VALUES ($1, $2, $3, $4, $5, $6)",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, d->code, strlen(d->code));
    store_bind_text(s, 2, d->name, strlen(d->name));
    store_bind_text(s, 3, d->kind, strlen(d->kind));
    if (d->node)
        store_bind_int(s, 4, node);
    else
        store_bind_null(s, 4);
    store_bind_text(s, 5, d->professions ? d->professions : "",
                    d->professions ? strlen(d->professions) : 0);
    store_bind_text(s, 6, d->purpose ? d->purpose : "",
                    d->purpose ? strlen(d->purpose) : 0);
    int rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int group_update(struct store *st, const struct group_def *d, struct kn_error *err)
{
    int64_t gid = 0, node = 0;
    if (group_id(st, d->code, &gid, NULL, err) != 0)
        return err->code;
    if (net_text_check("--name", d->name, NET_TEXT_MAX, d->name != NULL, false, err) !=
            0 ||
        net_list_check("--professions", d->professions, GROUP_PROFESSIONS, false, err) !=
            0 ||
        net_text_check("--purpose", d->purpose, NET_LONG_MAX, false, true, err) != 0)
        return err->code;
    if (d->kind)
        return kn_fail(err, KN_EINPUT, "--kind: a group keeps its kind");
    if (d->node && *d->node && node_id(st, d->node, &node, err) != 0)
        return kn_error_prefix(err, "--node: ");
    struct store_stmt *s;
    if (store_prepare(st,
                      "UPDATE net_group SET name = coalesce($1, name), professions = "
                      "coalesce($2, professions), purpose = coalesce($3, purpose), "
                      "node_id = CASE WHEN $4 = 0 THEN node_id WHEN $4 = 1 THEN NULL "
                      "ELSE $5 END WHERE id = $6",
                      &s, err) != 0)
        return err->code;
    bind_opt(s, 1, d->name);
    bind_opt(s, 2, d->professions);
    bind_opt(s, 3, d->purpose);
    store_bind_int(s, 4, !d->node ? 0 : !*d->node ? 1 : 2);
    store_bind_int(s, 5, node);
    store_bind_int(s, 6, gid);
    int rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int group_list(struct store *st, kn_day on, struct net_rows *out, struct arena *a,
               struct kn_error *err)
{
    static const struct net_col cols[] = {
        {"code", NET_TEXT},   {"name", NET_TEXT},        {"kind", NET_TEXT},
        {"node", NET_TEXT},   {"professions", NET_TEXT}, {"purpose", NET_TEXT},
        {"members", NET_INT},
    };
    char day[16];
    snprintf(day, sizeof day, "%d", (int)on);
    const char *p[] = {day};
    return net_rows_query(
        st,
        "SELECT g.code, g.name, g.kind, n.code, g.professions, g.purpose, (SELECT "
        "count(*) FROM net_member m WHERE m.group_id = g.id AND m.term_from <= $1 AND "
        "m.term_to >= $1) FROM net_group g LEFT JOIN net_node n ON n.id = g.node_id "
        "ORDER BY g.code",
        p, 1, cols, 7, out, a, err);
}

static int default_share(const char *role)
{
    if (strcmp(role, "chair") == 0)
        return 20;
    if (strstr(role, "partner"))
        return 0;
    return 10;
}

/* The chair, the process leader and members sit for a healthcare region. */
static bool regional(const char *role)
{
    return strcmp(role, "chair") == 0 || strcmp(role, "process-leader") == 0 ||
           strcmp(role, "member") == 0;
}

/* Check member m as it would be stored (add, or update after merging):
 * KN_EINPUT naming the option. Sets a share of -1 to the role's default. */
static int member_check(struct store *st, struct group_member *m, struct kn_error *err)
{
    if (net_text_check("--name", m->name, NET_TEXT_MAX, true, false, err) != 0 ||
        net_enum_check("--role", m->role, GROUP_ROLES, err) != 0 ||
        net_text_check("--organisation", m->organisation, NET_TEXT_MAX, true, false,
                       err) != 0)
        return err->code;
    if (m->profession &&
        net_enum_check("--profession", m->profession, GROUP_PROFESSIONS, err) != 0)
        return err->code;
    if (!m->profession && strcmp(m->role, "member") == 0)
        return kn_fail(err, KN_EINPUT, "--profession is missing (a member has one)");
    if (!m->healthcare_region && regional(m->role))
        return kn_fail(err, KN_EINPUT,
                       "--healthcare-region is missing (the %s sits for one)", m->role);
    if (m->healthcare_region) {
        struct store_stmt *s;
        if (store_prepare(st, "SELECT 1 FROM healthcare_region WHERE code = $1", &s,
                          err) != 0)
            return err->code;
        store_bind_text(s, 1, m->healthcare_region, strlen(m->healthcare_region));
        int rc = store_step(s, err);
        store_finalize(s);
        if (rc == STORE_DONE)
            return kn_fail(err, KN_EINPUT,
                           "--healthcare-region: one of Norra, Mellansverige, "
                           "Stockholm-Gotland, Sydöstra, Södra, Västra");
        if (rc < 0)
            return rc;
    }
    if (m->share < 0)
        m->share = default_share(m->role);
    if (m->share > 100)
        return kn_fail(err, KN_EINPUT, "--share: a percentage from 0 to 100");
    if (m->to < m->from)
        return kn_fail(err, KN_EINPUT, "--to: the term ends before it begins (--from)");
    return 0;
}

/* Insert member m of group gid; *id gets its number. */
static int member_insert(struct store *st, int64_t gid, const struct group_member *m,
                         int64_t *id, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st,
                      "INSERT INTO net_member (group_id, name, role, organisation, "
                      "healthcare_region, profession, share, term_from, term_to) VALUES "
                      "($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, gid);
    store_bind_text(s, 2, m->name, strlen(m->name));
    store_bind_text(s, 3, m->role, strlen(m->role));
    store_bind_text(s, 4, m->organisation, strlen(m->organisation));
    bind_opt(s, 5, m->healthcare_region);
    store_bind_text(s, 6, m->profession ? m->profession : "",
                    m->profession ? strlen(m->profession) : 0);
    store_bind_int(s, 7, m->share);
    store_bind_int(s, 8, m->from);
    store_bind_int(s, 9, m->to);
    int rc = store_step(s, err);
    store_finalize(s);
    if (rc < 0)
        return rc;
    *id = store_last_insert_id(st);
    return 0;
}

int group_member_add(struct store *st, struct group_member *m, int64_t *id,
                     struct kn_error *err)
{
    int64_t gid = 0;
    if (group_id(st, m->group, &gid, NULL, err) != 0 || member_check(st, m, err) != 0)
        return err->code;
    return member_insert(st, gid, m, id, err);
}

int group_member_get(struct store *st, int64_t id, struct group_member *m,
                     struct arena *a, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(
            st,
            "SELECT g.code, m.name, m.role, m.organisation, m.healthcare_region, "
            "m.profession, m.share, m.term_from, m.term_to FROM net_member m "
            "JOIN net_group g ON g.id = m.group_id WHERE m.id = $1",
            &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        const char **f[] = {
            &m->group,     &m->name, &m->role, &m->organisation, &m->healthcare_region,
            &m->profession};
        for (int i = 0; i < 6; i++) {
            const char *v = store_col_text(s, i, NULL);
            *f[i] = v ? arena_strdup(a, v) : NULL;
            if (v && !*f[i])
                rc = kn_fail(err, KN_ENOMEM, "out of memory");
        }
        if (m->profession && !*m->profession)
            m->profession = NULL;
        m->share = (int)store_col_int(s, 6);
        m->from = (kn_day)store_col_int(s, 7);
        m->to = (kn_day)store_col_int(s, 8);
    }
    store_finalize(s);
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no member %lld (see knod member list)",
                       (long long)id);
    return rc < 0 ? rc : 0;
}

int group_member_update(struct store *st, int64_t id, const struct group_member_patch *p,
                        int64_t *new_id, struct arena *a, struct kn_error *err)
{
    struct group_member m;
    int64_t gid = 0;
    if (group_member_get(st, id, &m, a, err) != 0 ||
        group_id(st, m.group, &gid, NULL, err) != 0)
        return err->code;
    bool new_role = p->role && strcmp(p->role, m.role) != 0;
    if (p->role) {
        if (net_enum_check("--role", p->role, GROUP_ROLES, err) != 0)
            return err->code;
        m.role = p->role;
    }
    if (p->organisation)
        m.organisation = p->organisation;
    if (p->healthcare_region)
        m.healthcare_region = *p->healthcare_region ? p->healthcare_region : NULL;
    if (p->profession)
        m.profession = *p->profession ? p->profession : NULL;
    if (p->share >= 0)
        m.share = p->share;
    else if (new_role)
        m.share = -1; /* the new role's default */
    if (p->to_given)
        m.to = p->to;
    *new_id = id;
    if (!new_role) {
        if (member_check(st, &m, err) != 0)
            return err->code;
        struct store_stmt *s;
        if (store_prepare(
                st,
                "UPDATE net_member SET organisation = $1, healthcare_region = $2, "
                "profession = $3, share = $4, term_to = $5 WHERE id = $6",
                &s, err) != 0)
            return err->code;
        store_bind_text(s, 1, m.organisation, strlen(m.organisation));
        bind_opt(s, 2, m.healthcare_region);
        store_bind_text(s, 3, m.profession ? m.profession : "",
                        m.profession ? strlen(m.profession) : 0);
        store_bind_int(s, 4, m.share);
        store_bind_int(s, 5, m.to);
        store_bind_int(s, 6, id);
        int rc = store_step(s, err);
        store_finalize(s);
        return rc < 0 ? rc : 0;
    }
    /* A new role is a new term: the old one ends the day before p->on,
     * the new one runs from p->on to the old term's end (or p->to). */
    if (p->on <= m.from)
        return kn_fail(err, KN_EINPUT,
                       "--on: a new role begins after the current term's first day");
    if (p->on > m.to)
        return kn_fail(err, KN_EINPUT, "--on: after the term ends (--to)");
    m.from = p->on;
    if (member_check(st, &m, err) != 0)
        return err->code;
    if (group_member_end(st, id, p->on - 1, err) != 0)
        return err->code;
    return member_insert(st, gid, &m, new_id, err);
}

int group_member_end(struct store *st, int64_t id, kn_day day, struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st, "SELECT term_from FROM net_member WHERE id = $1", &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    int rc = store_step(s, err);
    kn_day from = rc == STORE_ROW ? (kn_day)store_col_int(s, 0) : 0;
    store_finalize(s);
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no member %lld", (long long)id);
    if (rc < 0)
        return rc;
    if (day < from)
        return kn_fail(err, KN_EINPUT, "--on: before the member's term begins");
    if (store_prepare(st, "UPDATE net_member SET term_to = $1 WHERE id = $2", &s, err) !=
        0)
        return err->code;
    store_bind_int(s, 1, day);
    store_bind_int(s, 2, id);
    rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int group_members(struct store *st, const char *group, kn_day on, struct net_rows *out,
                  struct arena *a, struct kn_error *err)
{
    static const struct net_col cols[] = {
        {"id", NET_INT},
        {"name", NET_TEXT},
        {"role", NET_TEXT},
        {"organisation", NET_TEXT},
        {"healthcare_region", NET_TEXT},
        {"profession", NET_TEXT},
        {"share", NET_INT},
        {"from", NET_DAY},
        {"to", NET_DAY},
    };
    int64_t gid;
    if (group_id(st, group, &gid, NULL, err) != 0)
        return err->code;
    char g[24], day[16];
    snprintf(g, sizeof g, "%lld", (long long)gid);
    snprintf(day, sizeof day, "%d", (int)on);
    const char *p[] = {g, day};
    return net_rows_query(
        st,
        "SELECT id, name, role, organisation, healthcare_region, profession, share, "
        "term_from, term_to FROM net_member WHERE group_id = $1 AND term_from <= $2 AND "
        "term_to >= $2 ORDER BY CASE role WHEN 'chair' THEN 0 WHEN 'process-leader' THEN "
        "1 WHEN 'member' THEN 2 WHEN 'patient-organisation' THEN 3 ELSE 4 END, "
        "healthcare_region, name, id",
        p, 2, cols, 9, out, a, err);
}

int group_meeting_add(struct store *st, const char *group, kn_day day, const char *theme,
                      const char *place, struct kn_error *err)
{
    int64_t gid;
    if (group_id(st, group, &gid, NULL, err) != 0 ||
        net_text_check("--theme", theme, NET_TEXT_MAX, true, false, err) != 0 ||
        net_text_check("--place", place, NET_TEXT_MAX, false, false, err) != 0)
        return err->code;
    struct store_stmt *s;
    if (store_prepare(st,
                      "INSERT INTO net_meeting (group_id, day, theme, place) VALUES ($1, "
                      "$2, $3, $4)",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, gid);
    store_bind_int(s, 2, day);
    store_bind_text(s, 3, theme, strlen(theme));
    store_bind_text(s, 4, place ? place : "", place ? strlen(place) : 0);
    int rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int group_meetings(struct store *st, const char *group, struct net_rows *out,
                   struct arena *a, struct kn_error *err)
{
    static const struct net_col cols[] = {
        {"date", NET_DAY}, {"theme", NET_TEXT}, {"place", NET_TEXT}};
    int64_t gid;
    if (group_id(st, group, &gid, NULL, err) != 0)
        return err->code;
    char g[24];
    snprintf(g, sizeof g, "%lld", (long long)gid);
    const char *p[] = {g};
    return net_rows_query(st,
                          "SELECT day, theme, place FROM net_meeting WHERE group_id = $1 "
                          "ORDER BY day, id",
                          p, 1, cols, 3, out, a, err);
}

/* Gaps ------------------------------------------------------------------ */

static int add_gap(struct net_rows *out, const char *gap, const char *what,
                   const char *wanted, struct arena *a, struct kn_error *err)
{
    const char *row[] = {gap, what, wanted};
    return net_rows_add(out, row, a, err);
}

int group_gaps(struct store *st, const char *group, kn_day on, struct net_rows *out,
               struct arena *a, struct kn_error *err)
{
    static const struct net_col cols[] = {
        {"gap", NET_TEXT}, {"what", NET_TEXT}, {"wanted", NET_TEXT}};
    static const struct net_col gcols[] = {{"professions", NET_TEXT}};
    static const struct net_col hcols[] = {{"code", NET_TEXT}, {"name", NET_TEXT}};
    static const struct net_col mcols[] = {
        {"role", NET_TEXT}, {"healthcare_region", NET_TEXT}, {"profession", NET_TEXT}};
    int64_t gid;
    char kind[16];
    if (group_id(st, group, &gid, kind, err) != 0)
        return err->code;
    out->cols = cols;
    out->ncols = 3;
    char g[24], day[16];
    snprintf(g, sizeof g, "%lld", (long long)gid);
    snprintf(day, sizeof day, "%d", (int)on);
    const char *p[] = {g, day};
    struct net_rows wanted = {0}, hr = {0}, mem = {0};
    if (net_rows_query(st, "SELECT professions FROM net_group WHERE id = $1", p, 1, gcols,
                       1, &wanted, a, err) != 0 ||
        net_rows_query(st, "SELECT code, name FROM healthcare_region ORDER BY code", NULL,
                       0, hcols, 2, &hr, a, err) != 0 ||
        net_rows_query(st,
                       "SELECT role, healthcare_region, profession FROM net_member WHERE "
                       "group_id = $1 AND term_from <= $2 AND term_to >= $2",
                       p, 2, mcols, 3, &mem, a, err) != 0)
        return err->code;
    /* The wanted professions no one holds, and the healthcare regions
     * without a regional seat, as comma lists for the profiles. */
    const char *profs = net_cell(&wanted, 0, 0);
    char lacking[400] = "", empty_regions[200] = "";
    const char *prof;
    size_t plen;
    for (const char *at = profs; text_list_next(&at, &prof, &plen);) {
        bool held = false;
        for (size_t i = 0; i < mem.nrows && !held; i++) {
            const char *pr = net_cell(&mem, i, 2);
            held = pr && strlen(pr) == plen && memcmp(pr, prof, plen) == 0;
        }
        if (!held)
            snprintf(lacking + strlen(lacking), sizeof lacking - strlen(lacking),
                     "%s%.*s", *lacking ? ", " : "", (int)plen, prof);
    }
    bool *seated = arena_calloc(a, hr.nrows + 1, sizeof *seated);
    if (!seated)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t h = 0; h < hr.nrows; h++) {
        for (size_t i = 0; i < mem.nrows && !seated[h]; i++) {
            const char *r = net_cell(&mem, i, 1);
            seated[h] = r && regional(net_cell(&mem, i, 0)) &&
                        strcmp(r, net_cell(&hr, h, 0)) == 0;
        }
        if (!seated[h])
            snprintf(empty_regions + strlen(empty_regions),
                     sizeof empty_regions - strlen(empty_regions), "%s%s",
                     *empty_regions ? ", " : "", net_cell(&hr, h, 0));
    }
    int rc = 0;
    for (size_t h = 0; h < hr.nrows && rc == 0; h++) {
        if (seated[h])
            continue;
        const char *w = arena_printf(
            a, "a member from %s, about 10 %% of working time%s%s", net_cell(&hr, h, 1),
            *lacking ? "; preferably a profession the group lacks: " : "", lacking);
        rc = w ? add_gap(out, "healthcare-region", net_cell(&hr, h, 0), w, a, err)
               : kn_fail(err, KN_ENOMEM, "out of memory");
    }
    for (const char *q = *lacking ? lacking : NULL; q && *q && rc == 0;) {
        const char *e = strstr(q, ", ");
        size_t len = e ? (size_t)(e - q) : strlen(q);
        const char *what = arena_strndup(a, q, len);
        const char *w = arena_printf(
            a, "a %s, about 10 %% of working time%s%s", what,
            *empty_regions ? "; preferably from a healthcare region without a member: "
                           : "",
            empty_regions);
        rc = what && w ? add_gap(out, "profession", what, w, a, err)
                       : kn_fail(err, KN_ENOMEM, "out of memory");
        q = e ? e + 2 : q + len;
    }
    static const char *const roles[] = {"chair", "process-leader",
                                        "patient-organisation"};
    static const char *const profiles[] = {
        "a chair from one of the healthcare regions, about 20 % of working time",
        "a process leader who runs the group's work between meetings",
        "the patient organisation's representative (a seat of its own)"};
    for (size_t r = 0; r < 3 && rc == 0 && strcmp(kind, "working-group") == 0; r++) {
        bool held = false;
        for (size_t i = 0; i < mem.nrows && !held; i++)
            held = strcmp(net_cell(&mem, i, 0), roles[r]) == 0;
        if (!held)
            rc = add_gap(out, "role", roles[r], profiles[r], a, err);
    }
    return rc;
}
