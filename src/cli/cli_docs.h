/* src/cli/cli_docs.h: what the parts of `knod docs` share: the options
 * and the subcommands that live outside cmd_docs.c (cli_docs_review.c:
 * comment, invite, answer, impact, comments; cli_docs_lint.c: lint;
 * cli_docs_yearly.c: due, reviewed, owner, owners).
 * Each returns an exit code (cli.h) and prints its own errors. */
#ifndef KNOD_CLI_CLI_DOCS_H
#define KNOD_CLI_CLI_DOCS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/config.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "hub/hub_flow.h"
#include "hub/hub_lint.h"
#include "store/store.h"

struct docs_opts {
    const char *dir, *by, *state, *decision, *note, *format;
    const char *section, *text, *org, *kind, *file, *rules, *out;
    const char *owner, *user, *as_of; /* due, owner */
    int version, limit, from, to;
    bool remove; /* owner --remove */
};

/* The whole file path (at most max bytes) appended to out. 0, or
 * KN_EINPUT (missing, not a regular file, too long) or KN_EIO (a read
 * failed), err naming the file. */
int docs_read_file(const char *path, size_t max, struct strbuf *out, struct kn_error *err);

/* The safe-messaging rules in use: the file path if given (--rules), else
 * DIR/safe-messaging.csv if the knod directory dir has one, else the
 * shipped rules. 0 or a KN_E* code with err naming the file and line. */
int docs_rules(const char *dir, const char *path, struct hub_lint_rules *out,
               struct arena *a, struct kn_error *err);

/* knod docs lint ID|FILE: opens the store itself (only for an ID). */
int docs_lint(const char *arg, const struct docs_opts *o);

/* The review and consultation round's records (hub_review.h), each with its
 * audit entry (document-comment, -invite, -answer, -impact) in one
 * transaction; cfg gives the audit key. An exit code. */
int docs_comment(struct store *st, const struct config *cfg, const char *id,
                 const struct docs_opts *o);
int docs_invite(struct store *st, const struct config *cfg, const char *id,
                const struct docs_opts *o);
int docs_answer(struct store *st, const struct config *cfg, const char *id,
                const struct docs_opts *o);
int docs_impact(struct store *st, const struct config *cfg, const char *id,
                const struct docs_opts *o);
/* knod docs reviewer ID --user NAME [--remove]: hub_reviewer_in with its
 * audit entry (document-reviewer). An exit code. */
int docs_reviewer(struct store *st, const struct config *cfg, const char *id,
                  const struct docs_opts *o);
int docs_comments(struct store *st, const char *id, const struct docs_opts *o,
                  struct arena *a);

/* The yearly review (cli_docs_yearly.c); reviewed and owner write the
 * audit log with cfg's key. */
int docs_due(struct store *st, const struct docs_opts *o, struct arena *a);
int docs_reviewed(struct store *st, const struct config *cfg, const char *id,
                  const struct docs_opts *o);
int docs_owner(struct store *st, const struct config *cfg, const char *owner,
               const struct docs_opts *o);
int docs_owners(struct store *st, const struct docs_opts *o, struct arena *a);

/* knod docs move: the step and its audit entry (document-move) in one
 * transaction (cli_docs_yearly.c). */
int docs_move(struct store *st, const struct config *cfg, const char *id, enum hub_state to,
              const struct docs_opts *o, const struct hub_lint_rules *rules);

#endif /* KNOD_CLI_CLI_DOCS_H */
