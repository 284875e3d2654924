/* src/hub/hub_lint.h: the safe-messaging lint of public documents.
 *
 * Public text about self-harm follows safe-messaging guidance: no method
 * details, no sensational wording, and always where to get help. The rules
 * are data (data/hub/safe-messaging.csv, compiled in; a knod directory may
 * hold its own safe-messaging.csv instead), one a row:
 *
 *   rule,kind,match,audiences,message
 *   method-words,method,rakblad|överdos*|...,public,names a method ...
 *   help-bris,help,116 111,patients school-health youth-clinics,BRIS ...
 *
 * - kind method or sensational: the text must not hold any of the match
 *   entries ('|'-separated). An entry is one or more words; a word of the
 *   text matches an entry's word when their Snowball stems in the
 *   document's language are equal (the same stemmer as search,
 *   hub_search.h: "förgiftningen" meets "förgiftning"), or the text word
 *   or its stem is the entry's word (Snowball stems "rakblad" to "rakbl"
 *   but "rakbladen" to "rakblad"); an entry word ending in '*' matches the
 *   beginning of a word ("överdos*" finds "överdoserna" and compounds). An
 *   entry of several words matches them in a row.
 * - kind help: the text must hold at least one of the entries: a number
 *   whose digits may be spaced ("116 111", "116111"), not part of a longer
 *   number, or else a word (case-insensitive, as a substring).
 * - audiences: the audience codes (hub_doc.h) a rule applies to, space-
 *   separated; "public" stands for all the public ones: patients,
 *   relatives and the vårdgrannar (police, social-services, school-health,
 *   youth-clinics). A document is public if one of its audiences is.
 *
 * hub_lint() checks title, summary and body and returns every finding with
 * the rule, its message, the line (of the body, counted from the line
 * the caller says the body starts at) and the words found. The workflow
 * runs it when a public document is published (hub.h) and refuses the
 * step on any finding. Rules and findings live in the caller's arena.
 */
#ifndef KNOD_HUB_HUB_LINT_H
#define KNOD_HUB_HUB_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/error.h"

enum hub_lint_kind { HUB_LINT_METHOD, HUB_LINT_SENSATIONAL, HUB_LINT_HELP };

struct hub_lint_rule {
    const char *id, *message;
    enum hub_lint_kind kind;
    const char *const *entries; /* the match entries, lower case */
    size_t nentries;
    unsigned audiences; /* bit i: hub_audiences[i] */
};

struct hub_lint_rules {
    const struct hub_lint_rule *rules;
    size_t n;
};

/* Parse the rules in csv[0..len) (named name in messages: "name:LINE:
 * 'kind': ..."). 0 or KN_EINPUT, KN_ENOMEM. */
int hub_lint_rules_parse(const char *csv, size_t len, const char *name,
                         struct hub_lint_rules *out, struct arena *a, struct kn_error *err);

/* The shipped rules (data/hub/safe-messaging.csv). */
int hub_lint_rules_shipped(struct hub_lint_rules *out, struct arena *a, struct kn_error *err);

/* The rules of knod directory dir: dir/safe-messaging.csv if there is
 * one (a bad one is KN_EINPUT with its line and field), else the shipped
 * ones (src/hub/hub_lint_dir.c). */
int hub_lint_rules_dir(const char *dir, struct hub_lint_rules *out, struct arena *a,
                       struct kn_error *err);

/* Is a document for audience (comma-separated codes) public? */
bool hub_lint_public(const char *audience);

/* A document to check. */
struct hub_lint_text {
    const char *title, *summary, *body;
    const char *audience, *language;
    int body_line; /* the line the body starts at in its file (1 if alone) */
};

struct hub_lint_finding {
    const struct hub_lint_rule *rule;
    const char *where; /* "title", "summary", or NULL for the body */
    int line;          /* in the body: the line; 0 for a missing help entry */
    const char *found; /* the words found; NULL for a missing help entry */
};

/* Every finding of the rules that apply to t->audience, in rule order and
 * then by place. 0 or KN_ENOMEM. */
int hub_lint(const struct hub_lint_rules *rules, const struct hub_lint_text *t,
             struct hub_lint_finding **out, size_t *n, struct arena *a, struct kn_error *err);

/* One finding as a line of text, e.g. "line 14: method-words: 'rakbladen'
 * names a method ..." or "help-112: the emergency number ...". Lives in a. */
const char *hub_lint_describe(const struct hub_lint_finding *f, struct arena *a);

#endif /* KNOD_HUB_HUB_LINT_H */
