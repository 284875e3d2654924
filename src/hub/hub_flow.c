/* src/hub/hub_flow.c: the document workflow's one table (hub_flow.h). */
#include "hub/hub_flow.h"

#include <stdio.h>
#include <string.h>

static const char *const names[HUB_NSTATES] = {
    "draft", "review", "consultation", "revision", "published", "archived",
};

/* The steps: from, to, and what each needs. */
static const struct step {
    enum hub_state from, to;
    bool needs_decision; /* an NPO decision */
    bool needs_note;     /* a reason */
} steps[] = {
    {HUB_DRAFT, HUB_REVIEW, false, false},
    {HUB_REVIEW, HUB_DRAFT, false, false},
    {HUB_REVIEW, HUB_CONSULTATION, true, false},
    {HUB_CONSULTATION, HUB_REVISION, false, false},
    {HUB_REVISION, HUB_REVIEW, false, false},
    {HUB_REVISION, HUB_PUBLISHED, true, false},
    {HUB_PUBLISHED, HUB_REVISION, false, true},
    {HUB_DRAFT, HUB_ARCHIVED, false, true},
    {HUB_REVIEW, HUB_ARCHIVED, false, true},
    {HUB_REVISION, HUB_ARCHIVED, false, true},
    {HUB_PUBLISHED, HUB_ARCHIVED, false, true},
};

const char *hub_state_name(enum hub_state s)
{
    return (unsigned)s < HUB_NSTATES ? names[s] : "?";
}

int hub_state_parse(const char *name)
{
    for (int i = 0; i < HUB_NSTATES; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

int hub_flow_check(enum hub_state from, enum hub_state to, const char *decision,
                   const char *note, struct kn_error *err)
{
    char next[128] = "";
    size_t len = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        const struct step *s = &steps[i];
        if (s->from != from)
            continue;
        if (s->to == to) {
            if (s->needs_decision && (!decision || !*decision))
                return kn_fail(err, KN_EINPUT,
                               "%s -> %s needs the programme area's (NPO) "
                               "decision (--decision)",
                               names[from], names[to]);
            if (s->needs_note && (!note || !*note))
                return kn_fail(err, KN_EINPUT, "%s -> %s needs a reason (--note)",
                               names[from], names[to]);
            return 0;
        }
        int k = snprintf(next + len, sizeof next - len, "%s%s", len ? ", " : "",
                         names[s->to]);
        if (k > 0 && (size_t)k < sizeof next - len)
            len += (size_t)k;
    }
    if (from == to)
        return kn_fail(err, KN_EINPUT, "the document is already %s", names[from]);
    return kn_fail(err, KN_EINPUT, "%s -> %s: not a step of the workflow (from %s: %s)",
                   hub_state_name(from), hub_state_name(to), hub_state_name(from),
                   len ? next : "none, it is final");
}

bool hub_flow_editable(enum hub_state s)
{
    return s == HUB_DRAFT || s == HUB_REVISION;
}

/* The states each act may be recorded in, as a bit set, and how to say it. */
static const struct act_rule {
    unsigned states;
    const char *what, *where;
} act_rules[] = {
    [HUB_ACT_COMMENT] = {1u << HUB_REVIEW, "a reviewer's comment", "in review only"},
    [HUB_ACT_INVITE] = {1u << HUB_REVIEW | 1u << HUB_CONSULTATION,
                        "an invitation to the consultation",
                        "in review or consultation only"},
    [HUB_ACT_ANSWER] = {1u << HUB_CONSULTATION, "a consultation answer",
                        "in consultation only"},
    [HUB_ACT_IMPACT] = {1u << HUB_REVIEW | 1u << HUB_CONSULTATION | 1u << HUB_REVISION,
                        "the impact assessment", "in review, consultation or revision only"},
    [HUB_ACT_YEARLY] = {1u << HUB_PUBLISHED, "a yearly review", "in published only"},
    [HUB_ACT_REVIEWER] = {1u << HUB_DRAFT | 1u << HUB_REVIEW | 1u << HUB_REVISION,
                          "a named reviewer", "in draft, review or revision only"},
};

int hub_flow_may(enum hub_state s, enum hub_act act, struct kn_error *err)
{
    const struct act_rule *r = &act_rules[act];
    if ((unsigned)s < HUB_NSTATES && (r->states & (1u << s)))
        return 0;
    return kn_fail(err, KN_EINPUT, "%s is recorded %s; the document is in %s", r->what,
                   r->where, hub_state_name(s));
}
